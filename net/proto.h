/*
 * proto: the LAN Arena wire protocol, version PROTO_VERSION.
 *
 * Each message is one frame payload (see frame.h): a type byte, then the
 * fields below, all big-endian, no padding, nothing implied. Decoding is
 * pure and bounds-checked: a truncated body, trailing bytes, an unknown
 * type or a field out of range is an error, and the caller drops that
 * connection with the text of proto_error_text().
 *
 * The first 7 bytes of HELLO (type, magic, version) are frozen across all
 * versions so that any future peer can be told "version mismatch" in a
 * sentence instead of a garbled game.
 *
 *  type  name            dir  body (field: type)
 *  ----  --------------  ---  -------------------------------------------
 *  0x01  HELLO           c>s  magic: u32 = 0x4C4E4152 ("LNAR")
 *                             version: u16
 *                             -- fields below only when version == ours --
 *                             name_len: u8 (0..PROTO_NAME_WIRE_MAX)
 *                             name: name_len bytes (UTF-8, validated by
 *                                   the server, not the codec)
 *  0x02  WELCOME         s>c  player_id: u8 (< PROTO_MAX_PLAYERS)
 *                             tick_rate: u8 (Hz, > 0)
 *                             max_players: u8 (1..PROTO_MAX_PLAYERS)
 *                             arena_id: u8
 *                             arena_w: u16, arena_h: u16 (pixels)
 *                             server_tick: u32
 *  0x03  REJECT          s>c  reason: u8 (proto_reject_reason)
 *                             server_version: u16
 *  0x04  INPUT           c>s  seq: u32 (increments by 1 per tick)
 *                             buttons: u8 (PROTO_BTN_* bits; others 0)
 *                             ack_tick: u32 (newest snapshot tick received)
 *  0x05  SNAPSHOT        s>c  tick: u32
 *                             ack_seq: u32 (newest INPUT seq applied for
 *                                      the receiving client)
 *                             player_count: u8 (<= PROTO_MAX_PLAYERS)
 *                             player_count x {
 *                               id: u8 (< PROTO_MAX_PLAYERS, unique)
 *                               x: i32, y: i32 (1/256 pixel)
 *                               vx: i16, vy: i16 (1/256 pixel per tick)
 *                               facing: u8 (PROTO_FACE_*)
 *                               moving: u8 (0 or 1)
 *                               step: u8 (animation clock, ticks, wraps)
 *                               score: u16
 *                             }
 *                             gem_count: u8 (<= PROTO_MAX_GEMS)
 *                             gem_count x { x: i16, y: i16 (pixels) }
 *  0x06  PLAYER_JOINED   s>c  id: u8 (< PROTO_MAX_PLAYERS), colour: u8,
 *                             name_len: u8, name
 *  0x07  PLAYER_LEFT     s>c  id: u8 (< PROTO_MAX_PLAYERS),
 *                             reason: u8 (proto_bye_reason)
 *  0x08  PING            both token: u32 (sender's clock, echoed back)
 *  0x09  PONG            both token: u32, server_tick: u32 (0 from client)
 *  0x0A  GOODBYE         both reason: u8 (proto_bye_reason)
 *
 * Session: client sends HELLO first; server answers WELCOME then one
 * PLAYER_JOINED per player already present, or REJECT and closes. After
 * WELCOME the client sends one INPUT per tick; the server sends one
 * SNAPSHOT per tick. Either side may PING; the other PONGs. GOODBYE
 * precedes a clean close.
 */
#ifndef LANARENA_PROTO_H
#define LANARENA_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC 0x4C4E4152u /* "LNAR" */
#define PROTO_VERSION 1
#define PROTO_DEFAULT_PORT 27960
#define PROTO_MAX_PLAYERS 64
#define PROTO_MAX_GEMS 8
#define PROTO_NAME_WIRE_MAX 64 /* codec bound; the server's policy is tighter */
#define PROTO_NAME_MAX 16      /* bytes of UTF-8 a valid player name may hold */

enum {
    PROTO_BTN_UP = 1 << 0,
    PROTO_BTN_DOWN = 1 << 1,
    PROTO_BTN_LEFT = 1 << 2,
    PROTO_BTN_RIGHT = 1 << 3,
    PROTO_BTN_MASK = 0x0F
};

enum { PROTO_FACE_DOWN = 0, PROTO_FACE_UP, PROTO_FACE_LEFT, PROTO_FACE_RIGHT, PROTO_FACE_COUNT };

typedef enum {
    PROTO_HELLO = 0x01,
    PROTO_WELCOME = 0x02,
    PROTO_REJECT = 0x03,
    PROTO_INPUT = 0x04,
    PROTO_SNAPSHOT = 0x05,
    PROTO_PLAYER_JOINED = 0x06,
    PROTO_PLAYER_LEFT = 0x07,
    PROTO_PING = 0x08,
    PROTO_PONG = 0x09,
    PROTO_GOODBYE = 0x0A
} proto_type;

typedef enum {
    PROTO_REJECT_VERSION = 1,    /* protocol version differs */
    PROTO_REJECT_FULL = 2,       /* no free player slot */
    PROTO_REJECT_NAME = 3,       /* empty, too long, bad UTF-8 or control chars */
    PROTO_REJECT_NAME_TAKEN = 4, /* another connected player has it */
    PROTO_REJECT_BAD_MAGIC = 5   /* not a LAN Arena client */
} proto_reject_reason;

typedef enum {
    PROTO_BYE_QUIT = 1,           /* player left on purpose */
    PROTO_BYE_HOST_ENDED = 2,     /* host closed the game */
    PROTO_BYE_TIMEOUT = 3,        /* peer went silent */
    PROTO_BYE_PROTOCOL_ERROR = 4, /* peer sent a malformed message */
    PROTO_BYE_TOO_SLOW = 5,       /* peer stopped reading; backlog too large */
    PROTO_BYE_KICKED = 6,         /* broke a host limit (e.g. input flood) */
    PROTO_BYE_CONNECTION_LOST = 7 /* socket closed without a goodbye */
} proto_bye_reason;

typedef enum {
    PROTO_OK = 0,
    PROTO_ERR_EMPTY,      /* zero-length payload */
    PROTO_ERR_UNKNOWN,    /* unknown message type */
    PROTO_ERR_TRUNCATED,  /* body shorter than its fields */
    PROTO_ERR_TRAILING,   /* bytes left after the last field */
    PROTO_ERR_FIELD,      /* a field out of its documented range */
    PROTO_ERR_NO_ROOM     /* encode: output buffer too small */
} proto_error;

typedef struct {
    uint32_t magic;
    uint16_t version;
    char name[PROTO_NAME_WIRE_MAX + 1]; /* NUL-terminated; may hold any bytes */
    uint8_t name_len;
} proto_hello;

typedef struct {
    uint8_t player_id, tick_rate, max_players, arena_id;
    uint16_t arena_w, arena_h;
    uint32_t server_tick;
} proto_welcome;

typedef struct {
    uint8_t reason;
    uint16_t server_version;
} proto_reject;

typedef struct {
    uint32_t seq;
    uint8_t buttons;
    uint32_t ack_tick;
} proto_input;

typedef struct {
    uint8_t id;
    int32_t x, y;
    int16_t vx, vy;
    uint8_t facing, moving, step;
    uint16_t score;
} proto_player_state;

typedef struct {
    int16_t x, y;
} proto_gem;

typedef struct {
    uint32_t tick;
    uint32_t ack_seq;
    uint8_t player_count;
    proto_player_state players[PROTO_MAX_PLAYERS];
    uint8_t gem_count;
    proto_gem gems[PROTO_MAX_GEMS];
} proto_snapshot;

typedef struct {
    uint8_t id, colour;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t name_len;
} proto_player_joined;

typedef struct {
    uint8_t id, reason;
} proto_player_left;

typedef struct {
    uint32_t token;
    uint32_t server_tick;
} proto_ping; /* PING uses token only; PONG uses both */

typedef struct {
    uint8_t reason;
} proto_goodbye;

typedef struct {
    uint8_t type; /* proto_type */
    union {
        proto_hello hello;
        proto_welcome welcome;
        proto_reject reject;
        proto_input input;
        proto_snapshot snapshot;
        proto_player_joined joined;
        proto_player_left left;
        proto_ping ping; /* PING and PONG */
        proto_goodbye goodbye;
    } u;
} proto_msg;

/* Largest encoded message (a full snapshot); fits in FRAME_MAX_PAYLOAD. */
#define PROTO_MAX_MESSAGE_SIZE (1 + 4 + 4 + 1 + PROTO_MAX_PLAYERS * 18 + 1 + PROTO_MAX_GEMS * 4)

/* Encodes msg into out. Returns bytes written, or 0 when a field is out of
 * range (e.g. player_count > PROTO_MAX_PLAYERS) or out is too small. */
size_t proto_encode(const proto_msg *msg, uint8_t *out, size_t cap);

/* Decodes one payload into msg. On error msg's contents are unspecified. */
proto_error proto_decode(const uint8_t *data, size_t len, proto_msg *msg);

const char *proto_error_text(proto_error e);
const char *proto_type_name(uint8_t type); /* "HELLO", ..., "unknown" */
/* Sentences a player can read, e.g. "The server is full." */
const char *proto_reject_text(uint8_t reason);
const char *proto_bye_text(uint8_t reason);

/* Server policy for names: 1..PROTO_NAME_MAX bytes of valid UTF-8 with no
 * control characters and not only spaces. */
bool proto_name_valid(const char *name, size_t len);

/* Convenience constructors for the common small messages. */
proto_msg proto_make_hello(const char *name);
proto_msg proto_make_goodbye(uint8_t reason);

#endif
