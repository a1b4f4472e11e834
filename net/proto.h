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
 *                             token: u64 (a WELCOME's reconnect token to
 *                                    reclaim that player; 0: none) [v2]
 *                             colour: u8 (< PROTO_COLOURS, or
 *                                     PROTO_COLOUR_ANY: host chooses) [v2]
 *                             password_len: u8 (0..PROTO_PASSWORD_MAX) [v2]
 *                             password: password_len bytes [v2]
 *                             snapshot_hz: u8 (PROTO_SNAPSHOT_HZ_AUTO: the
 *                                     host adapts to the link; else the
 *                                     most this client wants, 10..60) [v4]
 *  0x02  WELCOME         s>c  player_id: u8 (< PROTO_MAX_PLAYERS)
 *                             tick_rate: u8 (Hz, > 0)
 *                             max_players: u8 (1..PROTO_MAX_PLAYERS)
 *                             arena_id: u8
 *                             arena_w: u16, arena_h: u16 (pixels)
 *                             server_tick: u32
 *                             token: u64 (reconnect token; 0: the host
 *                                    offers none, ours always does) [v2]
 *  0x03  REJECT          s>c  reason: u8 (proto_reject_reason)
 *                             server_version: u16
 *  0x04  INPUT           c>s  seq: u32 (increments by 1 per tick)
 *                             buttons: u8 (PROTO_BTN_* bits; others 0)
 *                             ack_tick: u32 (newest snapshot tick received)
 *                             history_len: u8 (0..PROTO_INPUT_HISTORY) [v4]
 *                             history: history_len x u8 (PROTO_BTN_* bits:
 *                                      the buttons of seq-1, seq-2, ...,
 *                                      newest first) [v4]
 *                             view_back: u8 (quarter ticks: the others
 *                                        were drawn at ack_tick -
 *                                        view_back/4 when this input was
 *                                        made; the host judges dashes
 *                                        there) [v6]
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
 *                               dash: u8 (dash ticks left) [v6]
 *                               cooldown: u8 (ticks to the next dash) [v6]
 *                               stun: u8 (knockback ticks left) [v6]
 *                             }
 *                             gem_count: u8 (<= PROTO_MAX_GEMS)
 *                             gem_count x { x: i16, y: i16 (pixels) }
 *  0x06  PLAYER_JOINED   s>c  id: u8 (< PROTO_MAX_PLAYERS), colour: u8,
 *                             name_len: u8, name
 *                             proof: u64 (a one-way function of the
 *                                    player's reconnect token,
 *                                    proto_token_proof; 0: none) [v5]
 *  0x07  PLAYER_LEFT     s>c  id: u8 (< PROTO_MAX_PLAYERS),
 *                             reason: u8 (proto_bye_reason)
 *  0x08  PING            both token: u32 (sender's clock, echoed back)
 *  0x09  PONG            both token: u32 (the PING's)
 *                             held_us: u32 (microseconds the answering
 *                                      side held the PING before this
 *                                      PONG went out; 0: at once) [v8]
 *  0x0A  GOODBYE         both reason: u8 (proto_bye_reason)
 *  0x0B  SNAPSHOT_DELTA  s>c  a SNAPSHOT coded against an earlier one the
 *                             client acknowledged (its "base"; see delta.h
 *                             for the arithmetic). vN / zN: varints below.
 *                             tick: u32
 *                             base_age: u8 (1..255; base tick = tick - age)
 *                             ack_seq: v32 (ack_seq - base's ack_seq)
 *                             entry_count: u8 (<= PROTO_MAX_PLAYERS)
 *                             entry_count x {  (ids strictly ascending)
 *                               head: u8 = gap << 5 | X 1 | Y 2 | VX 4 |
 *                                     VY 8 | MORE 16; gap 0..6: id = the
 *                                     previous entry's id (-1 before the
 *                                     first) + 1 + gap; gap 7: id follows.
 *                                     No flag at all: the player left,
 *                                     nothing more follows.
 *                               id: u8 if gap 7 (< PROTO_MAX_PLAYERS, and
 *                                   at least previous + 8)
 *                               more: u8 if MORE (LOOK 1 | STEP 2 |
 *                                     SCORE 4 | NEW 8 | ACT 16, not 0)
 *                               (PROTO_DF_* name these flags in memory)
 *                               x: z32 if X, y: z32 if Y (residual
 *                                  from delta.h's predicted position)
 *                               vx: z16 if VX, vy: z16 if VY
 *                                  (new - base, mod 2^16)
 *                               look: u8 if LOOK (facing | moving << 2,
 *                                     < 8)
 *                               step: u8 if STEP (the new value)
 *                               score: v16 if SCORE (new - base, mod
 *                                      2^16)
 *                               dash, cooldown, stun: u8 each if ACT
 *                                     (the new values) [v6]
 *                             }
 *                             gem_count: u8 (<= PROTO_MAX_GEMS)
 *                             gem_changed: u8 (bit i: gem i follows; no bit
 *                                          at or above gem_count)
 *                             per set bit, lowest first { x: i16, y: i16 }
 *  0x0C  KEEPALIVE       s>c  tick: u32, base_age: u8 (1..255),
 *                             ack_seq: u32. The world at tick is exactly
 *                             the base's (nobody moved); only the tick and
 *                             ack_seq are new.
 *  0x10  CHAT_SEND       c>s  text_len: u8 (1..PROTO_CHAT_WIRE_MAX), text
 *                             (the host enforces proto_chat_valid) [v2]
 *  0x11  CHAT            s>c  from: u8 (player id < PROTO_MAX_PLAYERS, or
 *                                   PROTO_CHAT_FROM_HOST: a notice from
 *                                   the host itself)
 *                             text_len: u8 (1..PROTO_CHAT_WIRE_MAX), text [v2]
 *  0x12  PLAYER_INFO     s>c  count: u8 (<= PROTO_MAX_PLAYERS)
 *                             count x {
 *                               id: u8 (< PROTO_MAX_PLAYERS, unique)
 *                               ping_ms: u16 (host-measured round trip;
 *                                        PROTO_PING_UNKNOWN: not yet)
 *                               flags: u8 (PROTO_PF_* bits; others 0)
 *                             } [v2]
 *  0x13  RATE            s>c  snapshot_hz: u8 (1..60): how many snapshots a
 *                             second the host now sends this client [v4]
 *  0x14  HOST_PLAN       s>c  who hosts the game if this host goes [v5]:
 *                             flags: u8 (PROTO_PLAN_NOW: this host is
 *                                    leaving now, move at once; others 0)
 *                             port: u16 (> 0; successors listen on it)
 *                             count: u8 (<= PROTO_PLAN_MAX)
 *                             count x {  (the order of succession)
 *                               id: u8 (< PROTO_MAX_PLAYERS, unique)
 *                               addr: u32 (the player's IPv4 address as
 *                                     the host sees it)
 *                             }
 *  0x15  MATCH           s>c  phase: u8 (PROTO_PHASE_*, < PROTO_PHASE_COUNT)
 *                             round: u16 (from 1)
 *                             left: u32 (ticks left in the phase; 0: no
 *                                   time limit or not counting down)
 *                             round_ticks: u32 (round length; 0: none)
 *                             score_limit: u16 (0: none)
 *                             winner: u8 (last round's winner id, or
 *                                     PROTO_NOBODY: a draw or none) [v6]
 *  0x16  EVENT           s>c  kind: u8 (PROTO_EV_*, 1..PROTO_EV_LAST)
 *                             a: u8, b: u8 (player ids or a number, by
 *                                  kind; see sim_event in sim.h)
 *                             drop: u8 (0 or 1: a point fell)
 *                             x: i16, y: i16 (pixels) [v6]
 *
 * Varints: vN is an unsigned value of at most N bits in 7-bit groups, least
 * significant group first, high bit set on every byte but the last; the
 * shortest form only (no trailing 0x00 group), at most ceil(N/7) bytes.
 * zN is a signed value zigzag-mapped (0,-1,1,-2.. -> 0,1,2,3..) then a vN.
 *
 * The codec describes each message once, as a row of the table in
 * proto.c (name, size bounds, range check, writer, reader; the snapshot
 * messages' functions are in proto_snapshot.c); proto_text.c holds the
 * sentences and the name and chat policy.
 *
 * Threading contract: every function here is pure (no allocation, no
 * shared state) and may be called from any thread.
 *
 * Session: client sends HELLO first; server answers WELCOME, a RATE, then
 * one PLAYER_JOINED per player already present, or REJECT and closes.
 * After WELCOME the server sends one SNAPSHOT, SNAPSHOT_DELTA or KEEPALIVE
 * on each tick the client's rate makes due (every tick at 60), except that
 * while the world stands still it may send a KEEPALIVE only every few
 * ticks; the client sends INPUTs at the same rate, covering every tick. Either
 * side may PING; the other PONGs. GOODBYE precedes a clean close.
 * No segment goes out for a round-trip measurement alone: the client
 * writes its PING together with an INPUT (alone only when it has sent
 * nothing for a ping interval: the keepalive of a silent client), and the
 * server answers with the next batch it writes that client (with the
 * client's next snapshot), saying in held_us how long the PING waited, so
 * that the round trip comes out net of it.
 * Version 2 added the [v2] fields and messages: the server sends a
 * PLAYER_INFO after WELCOME and then every second, relays each accepted
 * CHAT_SEND as a CHAT to everyone (the sender too), and answers a
 * dropped one with a CHAT from PROTO_CHAT_FROM_HOST to the sender alone.
 * Version 3 changed no layout: it raised PROTO_MAX_PLAYERS from 64 to 250
 * (and the frame limit to match), so a v2 peer, which would reject a
 * 65th id as malformed, is told "version mismatch" at HELLO instead.
 * Version 4 added the [v4] fields and RATE: each client gets snapshots at
 * its own rate (a SNAPSHOT, SNAPSHOT_DELTA or KEEPALIVE only on the ticks
 * its rate makes due), announced by a RATE after WELCOME and on every
 * change, and sends INPUT at that rate too, each carrying the buttons of
 * the ticks since its last one and a few before (history): the server
 * applies each seq once, in order, so a late or repeated one costs
 * nothing.
 * Version 5 added host migration: PLAYER_JOINED's proof, PLAYER_INFO's
 * PROTO_PF_SILENT, and HOST_PLAN, which the server sends after every
 * join and departure and every few seconds, and once with PROTO_PLAN_NOW
 * before a GOODBYE(HOST_ENDED) when its host hands the game over.
 * Version 6 added matches and the dash: the [v6] fields, the DASH button,
 * MATCH (after WELCOME, on every phase change and once a second) and
 * EVENT (pickups, hits, countdown, round start and end, to everyone).
 * Version 7 added the bye reason KICKED_BY_HOST (the hosting player
 * removed someone from the scoreboard), in GOODBYE and PLAYER_LEFT.
 * Version 8 changed no layout: PONG's second field, which was a server
 * tick nobody used (always 0), became held_us, and the server answers a
 * PING with its next batch instead of at once, which an older client
 * would count into the round trip.
 */
#ifndef LANARENA_PROTO_H
#define LANARENA_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC 0x4C4E4152u /* "LNAR" */
#define PROTO_VERSION 8
#define PROTO_DEFAULT_PORT 27960
#define PROTO_MAX_PLAYERS 250 /* every id field is a u8; 0xFF is a sentinel */
#define PROTO_MAX_GEMS 8
#define PROTO_NAME_WIRE_MAX 64 /* codec bound; the server's policy is tighter */
#define PROTO_NAME_MAX 16      /* bytes of UTF-8 a valid player name may hold */
#define PROTO_PASSWORD_MAX 32  /* bytes of a host password (codec bound and policy) */
#define PROTO_CHAT_WIRE_MAX 200 /* codec bound for chat text; the policy is tighter */
#define PROTO_CHAT_MAX 100      /* bytes of UTF-8 a chat message may hold */
#define PROTO_COLOURS 16        /* player colours (palette entries) */
#define PROTO_COLOUR_ANY 0xFF   /* HELLO: no colour asked for; the host chooses */
#define PROTO_CHAT_FROM_HOST 0xFF /* CHAT: a notice from the host, not a player */
#define PROTO_PING_UNKNOWN 0xFFFF
#define PROTO_INPUT_HISTORY 15      /* INPUT: earlier ticks' buttons it may repeat */
#define PROTO_SNAPSHOT_HZ_AUTO 0    /* HELLO: the host picks the rate the link carries */
#define PROTO_SNAPSHOT_HZ_MIN 10    /* the lowest rate a client may ask for */
#define PROTO_SNAPSHOT_HZ_MAX 60    /* a snapshot every tick */

/* PLAYER_INFO flags. SILENT: the host has heard nothing from that player
 * for over a second (its network is in trouble). */
enum { PROTO_PF_HOST = 1 << 0, PROTO_PF_SILENT = 1 << 1, PROTO_PF_MASK = 0x03 };

/* HOST_PLAN. */
#define PROTO_PLAN_MAX 8 /* successors named in one plan */
enum { PROTO_PLAN_NOW = 1 << 0, PROTO_PLAN_MASK = 0x01 };

enum {
    PROTO_BTN_UP = 1 << 0,
    PROTO_BTN_DOWN = 1 << 1,
    PROTO_BTN_LEFT = 1 << 2,
    PROTO_BTN_RIGHT = 1 << 3,
    PROTO_BTN_DASH = 1 << 4,
    PROTO_BTN_MASK = 0x1F
};

/* MATCH phases and EVENT kinds (the same numbers as sim.h's). */
enum { PROTO_PHASE_WARMUP = 0, PROTO_PHASE_PLAYING, PROTO_PHASE_INTERMISSION, PROTO_PHASE_COUNT };
enum {
    PROTO_EV_PICKUP = 1,
    PROTO_EV_DASH,
    PROTO_EV_HIT,
    PROTO_EV_COUNTDOWN,
    PROTO_EV_ROUND_START,
    PROTO_EV_ROUND_END,
    PROTO_EV_LAST = PROTO_EV_ROUND_END
};
#define PROTO_NOBODY 0xFF

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
    PROTO_GOODBYE = 0x0A,
    PROTO_SNAPSHOT_DELTA = 0x0B,
    PROTO_KEEPALIVE = 0x0C,
    PROTO_CHAT_SEND = 0x10,
    PROTO_CHAT = 0x11,
    PROTO_PLAYER_INFO = 0x12,
    PROTO_RATE = 0x13,
    PROTO_HOST_PLAN = 0x14,
    PROTO_MATCH = 0x15,
    PROTO_EVENT = 0x16
} proto_type;

/* SNAPSHOT_DELTA entry fields: which coded values follow the id. */
enum {
    PROTO_DF_X = 1 << 0,
    PROTO_DF_Y = 1 << 1,
    PROTO_DF_VX = 1 << 2,
    PROTO_DF_VY = 1 << 3,
    PROTO_DF_LOOK = 1 << 4,
    PROTO_DF_STEP = 1 << 5,
    PROTO_DF_SCORE = 1 << 6,
    PROTO_DF_NEW = 1 << 7, /* not in the base: coded against an all-zero player */
    PROTO_DF_ACT = 1 << 8  /* dash, cooldown, stun (predicted to count down) */
};
/* On the wire X..VY sit in an entry's head byte; LOOK..ACT in its "more"
 * byte, shifted down by 4 (see the table). */
#define PROTO_DF_MORE_MASK 0x1F
#define PROTO_DF_HEAD_MASK 0x0F
#define PROTO_DF_MORE 0x10
#define PROTO_DELTA_GAP_EXPLICIT 7

typedef enum {
    PROTO_REJECT_VERSION = 1,    /* protocol version differs */
    PROTO_REJECT_FULL = 2,       /* no free player slot */
    PROTO_REJECT_NAME = 3,       /* empty, too long, bad UTF-8 or control chars */
    PROTO_REJECT_NAME_TAKEN = 4, /* another connected player has it */
    PROTO_REJECT_BAD_MAGIC = 5,  /* not a LAN Arena client */
    PROTO_REJECT_PASSWORD = 6    /* the game has a password; HELLO's was wrong or missing */
} proto_reject_reason;

typedef enum {
    PROTO_BYE_QUIT = 1,           /* player left on purpose */
    PROTO_BYE_HOST_ENDED = 2,     /* host closed the game */
    PROTO_BYE_TIMEOUT = 3,        /* peer went silent */
    PROTO_BYE_PROTOCOL_ERROR = 4, /* peer sent a malformed message */
    PROTO_BYE_TOO_SLOW = 5,       /* peer stopped reading; backlog too large */
    PROTO_BYE_KICKED = 6,         /* broke a host limit (e.g. input flood) */
    PROTO_BYE_CONNECTION_LOST = 7, /* socket closed without a goodbye */
    PROTO_BYE_KICKED_BY_HOST = 8, /* the host's player removed them (v7) */
    PROTO_BYE_LAST = PROTO_BYE_KICKED_BY_HOST
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
    uint64_t token;  /* 0: a new player */
    uint8_t colour;  /* PROTO_COLOUR_ANY or < PROTO_COLOURS */
    char password[PROTO_PASSWORD_MAX + 1]; /* NUL-terminated; may hold any bytes */
    uint8_t password_len;
    uint8_t snapshot_hz; /* PROTO_SNAPSHOT_HZ_AUTO or MIN..MAX */
} proto_hello;

typedef struct {
    uint8_t player_id, tick_rate, max_players, arena_id;
    uint16_t arena_w, arena_h;
    uint32_t server_tick;
    uint64_t token; /* present it in a later HELLO to get this player back */
} proto_welcome;

typedef struct {
    uint8_t reason;
    uint16_t server_version;
} proto_reject;

typedef struct {
    uint32_t seq;
    uint8_t buttons;
    uint32_t ack_tick;
    uint8_t history_len;
    uint8_t history[PROTO_INPUT_HISTORY]; /* buttons of seq-1, seq-2, ... */
    uint8_t view_back; /* quarter ticks behind ack_tick the others were drawn */
} proto_input;

typedef struct {
    uint8_t snapshot_hz; /* 1..PROTO_SNAPSHOT_HZ_MAX */
} proto_rate;

typedef struct {
    uint8_t id;
    int32_t x, y;
    int16_t vx, vy;
    uint8_t facing, moving, step;
    uint16_t score;
    uint8_t dash, cooldown, stun;
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

/* Coded values, not states: delta.c turns them into a proto_snapshot. */
typedef struct {
    uint8_t id;
    uint16_t fields;  /* PROTO_DF_*; 0: the player left */
    int32_t x, y;     /* residuals */
    int16_t vx, vy;   /* differences, mod 2^16 */
    uint8_t facing, moving, step;
    uint16_t score;   /* difference, mod 2^16 */
    uint8_t dash, cooldown, stun; /* the new values */
} proto_delta_entry;

typedef struct {
    uint32_t tick;
    uint8_t base_age;
    uint32_t ack_seq; /* difference from the base's */
    uint8_t entry_count;
    proto_delta_entry entries[PROTO_MAX_PLAYERS];
    uint8_t gem_count;
    uint8_t gem_changed;
    proto_gem gems[PROTO_MAX_GEMS]; /* by gem index; only changed ones are sent */
} proto_snapshot_delta;

typedef struct {
    uint32_t tick;
    uint8_t base_age;
    uint32_t ack_seq;
} proto_keepalive;

typedef struct {
    uint8_t id, colour;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t name_len;
    uint64_t proof; /* proto_token_proof of the player's token; 0: none */
} proto_player_joined;

typedef struct {
    uint8_t id, reason;
} proto_player_left;

typedef struct {
    uint32_t token;
    uint32_t held_us; /* PONG: how long the PING waited for an answer */
} proto_ping; /* PING uses token only; PONG uses both */

typedef struct {
    uint8_t reason;
} proto_goodbye;

/* CHAT_SEND (from unused) and CHAT. */
typedef struct {
    uint8_t from;
    uint8_t text_len;
    char text[PROTO_CHAT_WIRE_MAX + 1]; /* NUL-terminated; may hold any bytes */
} proto_chat;

typedef struct {
    uint8_t id;
    uint16_t ping_ms;
    uint8_t flags; /* PROTO_PF_* */
} proto_player_info_entry;

typedef struct {
    uint8_t count;
    proto_player_info_entry entries[PROTO_MAX_PLAYERS];
} proto_player_info;

typedef struct {
    uint8_t id;
    uint32_t addr; /* IPv4, host byte order */
} proto_plan_entry;

typedef struct {
    uint8_t flags; /* PROTO_PLAN_* */
    uint16_t port;
    uint8_t count;
    proto_plan_entry entries[PROTO_PLAN_MAX];
} proto_host_plan;

typedef struct {
    uint8_t phase;
    uint16_t round;
    uint32_t left, round_ticks;
    uint16_t score_limit;
    uint8_t winner;
} proto_match;

typedef struct {
    uint8_t kind, a, b, drop;
    int16_t x, y;
} proto_event;

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
        proto_snapshot_delta delta;
        proto_keepalive keepalive;
        proto_chat chat; /* CHAT_SEND and CHAT */
        proto_player_info info;
        proto_rate rate;
        proto_host_plan plan;
        proto_match match;
        proto_event event;
    } u;
} proto_msg;

/* Encoded bytes of a SNAPSHOT of this many players and gems, and of a
 * full one. */
#define PROTO_SNAPSHOT_PLAYER_SIZE 21
#define PROTO_SNAPSHOT_SIZE(players, gems) \
    (1 + 4 + 4 + 1 + (size_t)(players) * PROTO_SNAPSHOT_PLAYER_SIZE + 1 + (size_t)(gems) * 4)
#define PROTO_SNAPSHOT_MAX_SIZE PROTO_SNAPSHOT_SIZE(PROTO_MAX_PLAYERS, PROTO_MAX_GEMS)
/* A SNAPSHOT_DELTA with every field of every player, every varint at its
 * longest. The server sends a full SNAPSHOT instead when that is smaller. */
#define PROTO_DELTA_MAX_SIZE \
    (1 + 4 + 1 + 5 + 1 + PROTO_MAX_PLAYERS * (1 + 1 + 5 + 5 + 3 + 3 + 1 + 1 + 3 + 3) + 1 + 1 + PROTO_MAX_GEMS * 4)
/* (each entry: head, more, x, y, vx, vy, look, step, score, act; with every
 * player present the ids are consecutive, so no explicit id byte) */
/* Largest encoded message; fits in FRAME_MAX_PAYLOAD. */
#define PROTO_MAX_MESSAGE_SIZE \
    (PROTO_DELTA_MAX_SIZE > PROTO_SNAPSHOT_MAX_SIZE ? PROTO_DELTA_MAX_SIZE : PROTO_SNAPSHOT_MAX_SIZE)

/* The leading bytes of a proto_msg of this type that hold its message: the
 * type and its union member (sizeof(proto_msg) for an unknown type). A
 * proto_msg is sized for a 250-player SNAPSHOT (~6 KB); an INPUT needs 12
 * bytes of it, so the server's per-message path copies and clears only
 * this much. */
size_t proto_msg_size(uint8_t type);
/* Copies proto_msg_size(src->type) bytes; the rest of *dst is untouched. */
void proto_msg_copy(proto_msg *dst, const proto_msg *src);

/* A SNAPSHOT_DELTA in two parts, for a host that sends one delta to many
 * clients who differ only in ack_seq: the head (type, tick, base_age,
 * ack_seq) and the tail (entries and gems, encoded once). Head then tail
 * is byte for byte what proto_encode writes for the message. Each returns
 * bytes written, or 0 when a field is out of range (base_age 0, the
 * checks proto_encode makes) or out is too small. */
#define PROTO_DELTA_HEAD_MAX (1 + 4 + 1 + 5)
size_t proto_encode_delta_head(uint32_t tick, uint8_t base_age, uint32_t ack_seq, uint8_t *out, size_t cap);
size_t proto_encode_delta_tail(const proto_snapshot_delta *d, uint8_t *out, size_t cap);

/* Encodes msg into out. Returns bytes written, or 0 when a field is out of
 * range (e.g. player_count > PROTO_MAX_PLAYERS) or out is too small. */
size_t proto_encode(const proto_msg *msg, uint8_t *out, size_t cap);

/* Decodes one payload into msg: its first proto_msg_size(type) bytes, the
 * fields the message lacks zeroed; the bytes past them are left as they
 * were. On error msg's contents are unspecified. */
proto_error proto_decode(const uint8_t *data, size_t len, proto_msg *msg);

const char *proto_error_text(proto_error e);
const char *proto_type_name(uint8_t type); /* "HELLO", ..., "unknown" */
/* The encoded size range of a message of this type, type byte included:
 * min, its shortest valid form (for HELLO a foreign peer's frozen head);
 * max, every count and length at its limit (for HELLO ours; a foreign
 * peer's body past its head is skipped, not bounded). False for a type
 * that is no message. */
bool proto_wire_bounds(uint8_t type, size_t *min, size_t *max);
/* Sentences a player can read, e.g. "The server is full." */
const char *proto_reject_text(uint8_t reason);
const char *proto_bye_text(uint8_t reason);

/* Server policy for names: 1..PROTO_NAME_MAX bytes of valid UTF-8 with no
 * control characters and not only spaces. */
bool proto_name_valid(const char *name, size_t len);
/* Server policy for chat: 1..PROTO_CHAT_MAX bytes of valid UTF-8 with no
 * control characters and not only spaces. */
bool proto_chat_valid(const char *text, size_t len);

/* What PLAYER_JOINED carries instead of a reconnect token: a one-way
 * function of it (SipHash-2-4 under a fixed key), so that every player
 * can check a token presented to it after a host migration without
 * learning anyone's token. 0 for token 0; never 0 otherwise. */
uint64_t proto_token_proof(uint64_t token);

/* Convenience constructors for the common small messages. */
proto_msg proto_make_hello(const char *name);
proto_msg proto_make_goodbye(uint8_t reason);
/* REJECT(reason), with this side's PROTO_VERSION. */
proto_msg proto_make_reject(uint8_t reason);

#endif
