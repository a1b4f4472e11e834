/*
 * discovery: finding LAN Arena games on the LAN without typing an address.
 *
 * An asker sends one QUERY datagram to the discovery address (by default
 * the broadcast address 255.255.255.255) on UDP port DISCOVERY_PORT. Every
 * host's responder answers the asker alone, by unicast, with one ANSWER.
 * Hosts never announce on their own: a quiet LAN stays quiet.
 *
 * Wire format, discovery version 2. All fields big-endian, no padding,
 * written and read with wire.h; nothing is memcpy'd onto the wire.
 *
 *  off  field          type  notes
 *  ---  -------------  ----  ---------------------------------------------
 *    0  magic          u32   0x4C4E4144 ("LNAD"); anything else is not ours
 *    4  version        u8    1 or 2 (DISCOVERY_VERSION); 0 is invalid
 *    5  type           u8    1 = QUERY, 2 = ANSWER
 *  QUERY (exactly DISCOVERY_QUERY_SIZE = 64 bytes)
 *    6  nonce          u32   chosen by the asker for this query, echoed in
 *                      every answer to it; the asker times the round trip
 *                      by it
 *   10  padding        54 x u8 (zero). A query is at least as large as any
 *                      answer, so a spoofed query cannot amplify traffic.
 *  ANSWER, version 1 fields (17 + name_len bytes)
 *    6  nonce          u32   the query's nonce
 *   10  game_version   u16   the host's game protocol (PROTO_VERSION)
 *   12  game_port      u16   the host's game TCP port, not 0
 *   14  players        u8    <= max_players
 *   15  max_players    u8    >= 1
 *   16  name_len       u8    1..DISCOVERY_NAME_MAX
 *   17  name           name_len bytes: a valid player name (proto_name_valid:
 *                      UTF-8, no control characters), so a printed list can
 *                      never be forged with newlines
 *  ANSWER, appended in version 2 (26 + name_len bytes, at most 42)
 *   17+n  game_id      u64   not 0; drawn at random once per hosting
 *                      session, the same on every interface the host
 *                      answers from, so an asker lists one game once
 *   25+n  flags        u8    bit 0 (DISCOVERY_FLAG_PASSWORD): joining needs
 *                      a password. Other bits are kept as read and mean
 *                      nothing yet.
 *
 * Bytes 0..5 and the version 1 fields are frozen: a later discovery version
 * may only append fields, so an old asker still lists a new host (and marks
 * it incompatible by its game_version), and a version 1 answer still
 * decodes (game_id 0: no id, flags 0). A packet of this version with
 * trailing bytes is an error, as is a version 1 packet with any; a later
 * version's extra bytes are ignored.
 *
 * Threading: the codec and the game list helpers are pure. A responder runs
 * on its own thread; discovery_responder_update/stop may be called from any
 * one owner thread. A search belongs to the thread that opened it and never
 * blocks except in discovery_search_wait / discovery_list; inside, a reader
 * thread of its own receives and timestamps answers (so a round trip is
 * timed to the answer's arrival), which close stops within ~20 ms.
 */
#ifndef LANARENA_DISCOVERY_H
#define LANARENA_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define DISCOVERY_MAGIC 0x4C4E4144u /* "LNAD" */
#define DISCOVERY_VERSION 2
#define DISCOVERY_PORT 27961        /* UDP; the game itself uses TCP 27960 */
#define DISCOVERY_DEFAULT_ADDR "255.255.255.255"
#define DISCOVERY_QUERY_SIZE 64
#define DISCOVERY_NAME_MAX PROTO_NAME_MAX
#define DISCOVERY_ANSWER_V1_FIXED 17 /* an answer's bytes besides the name, version 1 */
#define DISCOVERY_ANSWER_FIXED 26    /* the same, version 2 */
#define DISCOVERY_ANSWER_MAX (DISCOVERY_ANSWER_FIXED + DISCOVERY_NAME_MAX)
#define DISCOVERY_FLAG_PASSWORD 0x01u
#define DISCOVERY_HOST_NAME "LAN Arena host" /* a host without a player */
#define DISCOVERY_ADDR_TEXT 16               /* "255.255.255.255" + NUL */

typedef enum { DISCOVERY_QUERY = 1, DISCOVERY_ANSWER = 2 } discovery_type;

typedef struct {
    uint8_t type;    /* discovery_type */
    uint8_t version; /* as read. The encoder writes 1 as version 1 (tests pose
                      * as old hosts with it) and anything else as
                      * DISCOVERY_VERSION. */
    uint32_t nonce;
    /* ANSWER only */
    uint16_t game_version;
    uint16_t game_port;
    uint8_t players, max_players;
    char name[DISCOVERY_NAME_MAX + 1];
    uint64_t game_id; /* version 2: not 0; version 1: 0 */
    uint8_t flags;    /* version 2: DISCOVERY_FLAG_*; version 1: 0 */
} discovery_msg;

typedef enum {
    DISCOVERY_OK = 0,
    DISCOVERY_ERR_TRUNCATED,
    DISCOVERY_ERR_MAGIC,
    DISCOVERY_ERR_VERSION,
    DISCOVERY_ERR_TYPE,
    DISCOVERY_ERR_TRAILING,
    DISCOVERY_ERR_FIELD,
    DISCOVERY_ERR_NAME,
    DISCOVERY_ERR_COUNT /* how many there are, not an error */
} discovery_error;

/* Writes m into buf; returns the byte count, or 0 if m is invalid (the same
 * rules as the decoder) or buf is too small. */
size_t discovery_encode(const discovery_msg *m, void *buf, size_t cap);
discovery_error discovery_decode(const void *buf, size_t len, discovery_msg *out);
const char *discovery_error_text(discovery_error e);
discovery_msg discovery_make_query(uint32_t nonce);

/* A fresh game id for one hosting session: system randomness, never 0. */
uint64_t discovery_new_game_id(void);

/* ---- the list of games an asker has heard from (pure) ---- */

/* A game's ping is the lowest query-to-answer round trip measured in the
 * last DISCOVERY_PING_WINDOW_US: a figure older than that gives way to the
 * next one, so a link that got slower shows it within a few queries. */
#define DISCOVERY_PING_WINDOW_US 10000000u

typedef struct {
    char addr[DISCOVERY_ADDR_TEXT]; /* the address to dial (an answer's UDP source) */
    uint16_t game_port;
    uint16_t game_version;
    int players, max_players;
    char name[DISCOVERY_NAME_MAX + 1];
    uint64_t game_id;   /* 0: a version 1 host, known by addr:port alone */
    bool locked;        /* joining needs a password */
    bool near;          /* addr is on one of the asker's own subnets */
    int64_t ping_us;    /* query-to-answer round trip to addr; < 0 unknown */
    uint64_t ping_at_us; /* the caller's clock when ping_us was measured */
    uint64_t seen_us;   /* caller's clock at the newest answer */
} discovery_game;

/* A game of another protocol version is listed but cannot be joined. */
bool discovery_game_compatible(const discovery_game *g);
/* Adds the answer g, or folds it into the entry it belongs to:
 *  - the entry with the same game_id (g->game_id != 0): one host heard on
 *    several of its interfaces, or answering several queries, is one game;
 *  - else the entry at the same addr:port (a version 1 host, or a host
 *    that restarted there with a new game id: the old game is gone).
 * The entry takes the newest name, counts, flags and version. Its address
 * stays the first one heard unless g's is on the asker's own subnet and
 * the entry's is not (a host's docker or VPN address answers too, and the
 * asker may not reach it); an address that changes brings its own ping.
 * The ping is the lowest recent figure to the kept address (see
 * DISCOVERY_PING_WINDOW_US). Returns the new count; a full list keeps its
 * entries. */
int discovery_games_merge(discovery_game *list, int count, int max, const discovery_game *g);
/* Drops entries not heard from since now_us - max_age_us (a host that
 * stopped). Keeps the order of the rest; returns the new count. */
int discovery_games_expire(discovery_game *list, int count, uint64_t now_us, uint64_t max_age_us);
/* A game's ping in whole milliseconds, rounded to nearest (0 for a sub-ms
 * LAN round trip); -1 when unknown. */
int discovery_game_ping_ms(const discovery_game *g);
/* "ADDRESS:PORT  NAME  PLAYERS/MAX  vVERSION  PING ms", then "  locked"
 * for a game that needs a password, as --list-lan prints it. An unknown
 * ping prints as "? ms". */
void discovery_game_format(const discovery_game *g, char *buf, size_t cap);

/* Answers are rationed so a flood of queries costs the host little. A
 * token bucket on the caller's clock: `rate` answers per second, bursts of
 * up to `rate`. */
typedef struct {
    int rate;
    double tokens;
    uint64_t last_ms;
    bool started;
} discovery_limiter;

void discovery_limiter_init(discovery_limiter *l, int rate);
bool discovery_limiter_allow(discovery_limiter *l, uint64_t now_ms);

/* The responder's rationing: every asker (source address) has a bucket of
 * its own, `per_asker` answers a second in bursts of twice that, and all
 * answers together share the global budget. A query over its asker's
 * bucket is dropped without touching the global budget, so one flooding
 * address cannot spend everyone's share: the others are still answered.
 * DISCOVERY_ASKERS addresses are tracked; a new one takes the place of
 * the one whose bucket is fullest (it loses nothing: a full bucket is what
 * a new asker starts with), else the one heard from longest ago. */
#define DISCOVERY_ASKERS 128
typedef struct {
    uint32_t addr; /* IPv4, any byte order, as long as it is always the same */
    bool used;
    double tokens; /* up to 2 * per_asker */
    uint64_t seen_ms; /* the bucket was refilled up to then */
} discovery_asker;

typedef struct {
    discovery_limiter global;
    int per_asker;
    discovery_asker askers[DISCOVERY_ASKERS];
} discovery_rationer;

typedef enum {
    DISCOVERY_RATION_OK = 0, /* answer it (a token of each budget is spent) */
    DISCOVERY_RATION_ASKER,  /* over its asker's own budget */
    DISCOVERY_RATION_ALL     /* over the budget everyone shares */
} discovery_ration;

void discovery_rationer_init(discovery_rationer *r, int global_rate, int per_asker_rate);
/* Whether a query from addr at now_ms is answered. */
discovery_ration discovery_rationer_allow(discovery_rationer *r, uint32_t addr, uint64_t now_ms);

/* ---- responder: a host's thread that answers queries ---- */

typedef struct discovery_responder discovery_responder;

typedef struct {
    uint16_t udp_port;     /* DISCOVERY_PORT; 0 = any free port (tests) */
    uint16_t game_port;
    uint16_t game_version; /* PROTO_VERSION; tests pose as other versions */
    char name[DISCOVERY_NAME_MAX + 1];
    int players, max_players;
    uint64_t game_id;      /* the hosting session's (discovery_new_game_id);
                            * 0: the responder draws one */
    bool password;         /* joining needs a password: answers say so */
    int answers_per_s;     /* answer budget for everyone (discovery_rationer) */
    int answers_per_asker_s; /* answer budget of one source address */
} discovery_responder_config;

typedef struct {
    uint64_t queries;  /* valid queries received */
    uint64_t answered;
    uint64_t dropped;  /* not ours, malformed, not a query, over budget */
    uint64_t over_asker; /* of those, over their own asker's budget */
} discovery_responder_stats;

discovery_responder_config discovery_default_responder_config(void);
/* Binds the UDP port on the calling thread (so "port in use" is reported
 * at once) and starts the thread. NULL with a sentence in err. */
discovery_responder *discovery_responder_start(const discovery_responder_config *cfg, char *err, size_t err_cap);
uint16_t discovery_responder_port(discovery_responder *r);
/* The game id its answers carry (cfg->game_id, or the one it drew). */
uint64_t discovery_responder_game_id(discovery_responder *r);
/* What the next answers say. An invalid name becomes DISCOVERY_HOST_NAME;
 * counts are clamped to 0..255 with players <= max. */
void discovery_responder_update(discovery_responder *r, const char *name, int players, int max_players);
discovery_responder_stats discovery_responder_get_stats(discovery_responder *r);
/* Stops and joins the thread (within ~50 ms) and closes the socket. NULL ok. */
void discovery_responder_stop(discovery_responder *r);

/* ---- search: the asker's side ---- */

typedef struct discovery_search discovery_search;

/* addr must be an IPv4 literal (a broadcast, subnet broadcast or unicast
 * address): no name lookup, so opening never blocks. port 0 means
 * DISCOVERY_PORT. NULL with a sentence in err. */
discovery_search *discovery_search_open(const char *addr, uint16_t port, char *err, size_t err_cap);
uint16_t discovery_search_local_port(discovery_search *s);
/* Sends one query with a nonce of its own. The last
 * DISCOVERY_SEARCH_QUERIES queries are remembered with the time they left,
 * so a late answer to an earlier one still counts and is timed against the
 * query it answers. To 255.255.255.255 the query also goes to each
 * interface's subnet broadcast address: Linux sends the limited broadcast
 * out of one interface only, and not at all without a default route.
 * False with a sentence in err when nothing was sent. */
#define DISCOVERY_SEARCH_QUERIES 8
bool discovery_search_send(discovery_search *s, char *err, size_t err_cap);
/* Never blocks: merges the answers that have arrived into list (see
 * discovery_games_merge), stamped now_us (the caller's clock). Each
 * answer's round trip is timed by the search itself, from its query's
 * sending to the answer's arrival on the search's reader thread, so the
 * figure does not depend on how often the caller polls (a menu polls
 * once a frame). Answers to no remembered query are dropped, as are
 * malformed ones; each is counted by reason (discovery_search_get_stats).
 * Returns the new count. */
int discovery_search_poll(discovery_search *s, discovery_game *list, int count, int max, uint64_t now_us);

typedef struct {
    uint64_t answers;  /* merged into the list */
    uint64_t malformed[DISCOVERY_ERR_COUNT]; /* by discovery_error; a datagram
                                               * that decodes but is not an
                                               * answer counts as _ERR_TYPE */
    uint64_t stale;    /* an answer to no query of this search's recent ones */
    uint64_t overflow; /* arrived while the inbox was full (unpolled) */
} discovery_search_stats;
discovery_search_stats discovery_search_get_stats(discovery_search *s);
/* Waits up to timeout_ms for a datagram to arrive; true if one did. */
bool discovery_search_wait(discovery_search *s, int timeout_ms);
void discovery_search_close(discovery_search *s);

/* One blocking round for scripts (--list-lan): queries addr:port, collects
 * answers for window_ms (the query is sent twice, in case one is lost), and
 * returns how many games answered, or -1 with a sentence in err. */
int discovery_list(const char *addr, uint16_t port, int window_ms, discovery_game *out, int max, char *err,
                   size_t err_cap);

#endif
