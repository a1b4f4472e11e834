/*
 * client: one player's view of a game. Owns a netclient (the connection
 * thread), turns its messages into a world view, and makes one input per
 * tick, sent in batches at the rate the host sends it snapshots (RATE;
 * each INPUT repeats a few earlier ticks' buttons). Used by the windowed game, by headless clients and by bots alike:
 * the host's own player is an ordinary client over loopback.
 *
 * Threading contract: every call from one owner thread. Time is passed in
 * (microseconds on the caller's monotonic clock).
 *
 * Netcode. Where each player is drawn (draw_x, draw_y):
 *  - the local player is predicted (predict.h): every input moves it at
 *    once with the server's own sim_player_move, and each snapshot's
 *    ack_seq reconciles it, so it answers a key on the next frame at any
 *    round-trip time;
 *  - remote players are interpolated (interp.h) a short delay behind the
 *    clock-synchronised arrival of snapshots (clocksync.h); the delay
 *    follows the measured jitter, extrapolation covers 100 ms of silence.
 * `state` stays the newest server state, exactly as received. Either part
 * can be turned off (client_netcode) to draw raw snapshots instead.
 *
 * Surviving the network (client_recovery, client_get_link). When nothing
 * has arrived for CLIENT_QUIET_MS the link is QUIET: the game goes on
 * drawing (our player predicted, the others extrapolated briefly, then
 * held) until the connection's silence timeout. A connection lost for
 * good (closed without a GOODBYE, or silent too long) is dialled again
 * with the reconnect token, and a host that is gone is replaced by its
 * successor (rejoin.h) -- the phase stays PLAYING throughout, and the view
 * is kept on screen until a new WELCOME replaces it. A successor's owner
 * hosts when asked (client_host_request) from client_last_snapshot and
 * the roster in the view.
 */
#ifndef LANARENA_CLIENT_H
#define LANARENA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netclient.h"
#include "sim.h"

typedef enum {
    CLIENT_CONNECTING = 0, /* resolving, connecting, handshaking */
    CLIENT_PLAYING,        /* welcomed; snapshots flowing */
    CLIENT_FAILED,         /* could not join, or the connection broke */
    CLIENT_ENDED           /* the host said goodbye */
} client_phase;

typedef struct {
    bool present;          /* announced by PLAYER_JOINED and not left */
    bool seen;             /* has appeared in a snapshot */
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t colour;
    sim_player state;      /* newest state from the server */
    float draw_x, draw_y;  /* where to draw it, pixels */
    sim_player shown;      /* the state drawn: predicted or interpolated
                            * (facing, walk cycle); == state when raw */
    uint16_t ping_ms;      /* host-measured; PROTO_PING_UNKNOWN until known */
    bool is_host;          /* the hosting player (PLAYER_INFO) */
    bool silent;           /* the host has not heard from it for a while */
    uint64_t proof;        /* PLAYER_JOINED's proof of its token */
} client_player;

/* The match as the host last said (MATCH), counted down locally. */
typedef struct {
    bool known;            /* a MATCH has arrived */
    uint8_t phase;         /* sim_phase */
    uint16_t round;
    uint32_t left;         /* ticks left in the phase when it arrived (0: no limit) */
    uint32_t round_ticks;
    uint16_t score_limit;
    uint8_t winner;        /* SIM_NOBODY: a draw or none */
    uint64_t at_us;        /* when it arrived */
} client_match;

/* Something that happened, for sounds and effects: an EVENT from the
 * host (PROTO_EV_*), our own dash as predicted, or a player joining or
 * leaving while we play. */
enum { CLIENT_EV_JOINED = 100, CLIENT_EV_LEFT = 101 };
typedef struct {
    uint8_t kind;          /* PROTO_EV_* or CLIENT_EV_* */
    uint8_t a, b, drop;    /* as sim_event; JOINED/LEFT: a is the player */
    int16_t x, y;
    char name[PROTO_NAME_WIRE_MAX + 1]; /* JOINED/LEFT: their name */
} client_event;
#define CLIENT_EVENT_QUEUE 64

typedef struct {
    int my_id;             /* -1 until welcomed */
    int max_players;
    uint32_t server_tick;  /* tick of the newest snapshot */
    uint32_t ack_seq;      /* newest of our inputs the server applied */
    client_player players[SIM_MAX_PLAYERS];
    sim_gem gems[SIM_MAX_GEMS];
    int gem_count;
    uint64_t reconnect_token; /* from WELCOME: present it to rejoin as ourselves */
    proto_host_plan plan;  /* the newest HOST_PLAN (count 0: none) */
    client_match match;
} client_view;

/* A chat message as received. */
typedef struct {
    int from;              /* player id, or -1: a notice from the host */
    char name[PROTO_NAME_WIRE_MAX + 1]; /* the sender's name then ("" for the host) */
    uint8_t colour;        /* the sender's colour then */
    char text[PROTO_CHAT_WIRE_MAX + 1];
} client_chat;

typedef struct {
    float snapshot_hz;     /* snapshots received per second */
    int rate_hz;           /* the rate the host says it sends us (RATE) */
    float rtt_ms;
    float bytes_in_per_s, bytes_out_per_s;
    int players;           /* players present in this view */
    /* Netcode, over the same second (0 when that part is off). */
    float interp_delay_ms;        /* how far behind arrival remote players are drawn */
    float jitter_ms;              /* snapshot lateness the delay covers (interp.h) */
    float pred_corrections_per_s; /* reconciliations that moved our player */
    float extrapolating_ms_per_s; /* time a moving remote player was extrapolated or held */
    uint32_t pred_mismatches;     /* since start: corrections no late or dropped input explains */
} client_stats;

/* Per-frame figures for the net graph and benchmarks. */
typedef struct {
    float rtt_ms;
    float snapshot_gap_ms;   /* longest gap between snapshot arrivals since the last call */
    float interp_delay_ms, jitter_ms;
    float correction_px;     /* prediction corrections since the last call, summed */
    uint32_t corrections, mismatches, late_inputs, dropped_inputs; /* since start */
    uint32_t moved;          /* since start: corrections when another player or the host moved us */
    double server_tick;      /* clock sync's estimate of the server's tick now */
    double render_tick;      /* remote players are drawn as of this tick */
    bool extrapolating;      /* a moving remote player is past the newest snapshot */
} client_netinfo;

typedef struct {
    bool predict; /* draw the local player from its own inputs */
    bool interp;  /* draw remote players between snapshots */
} client_netcode;

typedef struct client client;

#define CLIENT_QUIET_MS 1000

typedef enum {
    CLIENT_LINK_OK = 0,     /* messages flowing */
    CLIENT_LINK_QUIET,      /* connected, but nothing for CLIENT_QUIET_MS */
    CLIENT_LINK_REJOINING,  /* the connection broke: dialling the host again */
    CLIENT_LINK_MIGRATING   /* the host is gone: moving to its successor */
} client_link_state;

typedef struct {
    client_link_state state;
    uint32_t quiet_ms;      /* QUIET: how long nothing has arrived */
    uint32_t left_ms;       /* QUIET: until the connection is given up;
                             * REJOINING, MIGRATING: until we stop trying */
    char host_addr[300];    /* "ADDR:PORT" of the host we play on (or dial) */
    bool hosting;           /* our own process hosts the game now */
    uint32_t migrations;    /* times we moved to a new host */
} client_link;

typedef struct {
    bool rejoin;   /* dial again when the connection is lost */
    bool migrate;  /* follow the host's plan when the host is gone */
    bool can_host; /* the owner answers client_host_request */
} client_recovery;

/* Both on. */
client_netcode client_default_netcode(void);
client *client_create(const netclient_config *cfg, uint64_t now_us);
/* nc NULL: client_default_netcode(). */
client *client_create_with(const netclient_config *cfg, const client_netcode *nc, uint64_t now_us);
/* A client without a connection: what the host says comes only through
 * client_feed, and its inputs (predicted as usual) go nowhere. For tests
 * and the fuzz target tests/fuzz/fuzz_client.c, which so run the very
 * code a connected client runs. */
client *client_create_detached(const client_netcode *nc, uint64_t now_us);
/* One message from the host, which arrived at arrival_us: client_update
 * hands every message its connection received to this. Once the client
 * has failed or ended, messages change nothing. */
void client_feed(client *c, const proto_msg *m, uint64_t arrival_us);
/* Drains the connection through client_feed and, once per tick, makes
 * an input of buttons (SIM_BTN_*), sending the inputs made so far when
 * one is due. The first reason the client failed for is kept:
 * client_get_phase reports it for good. */
void client_update(client *c, uint64_t now_us, uint8_t buttons);
client_phase client_get_phase(client *c, char *why, size_t why_cap);
const client_view *client_get_view(const client *c);
/* Rates over the last whole second. */
client_stats client_get_stats(client *c);
/* Current netcode figures; "since the last call" fields restart. */
client_netinfo client_take_netinfo(client *c);
/* Chat: the next message received (oldest first; the newest
 * CLIENT_CHAT_QUEUE are kept), and sending one. Send is false when not
 * playing or the text is not 1..PROTO_CHAT_MAX bytes of valid text. */
#define CLIENT_CHAT_QUEUE 32
bool client_next_chat(client *c, client_chat *out);
bool client_send_chat(client *c, const char *text);
/* The next thing that happened (oldest first; the newest
 * CLIENT_EVENT_QUEUE are kept). */
bool client_next_event(client *c, client_event *out);
/* Whole seconds left in the match phase at now_us, counted down from
 * the last MATCH (0: no limit or not known). */
uint32_t client_match_seconds_left(const client_view *v, uint64_t now_us);
/* Our own score (0 before we are in). */
int client_my_score(const client_view *v);
/* The REJECT reason if the host refused us (proto_reject_reason), else 0. */
uint8_t client_reject_reason(const client *c);
/* The game is over and nobody did anything wrong: the host ended it. False
 * while playing, after a failure, and when the host dropped us (kicked,
 * too slow, timed out): a headless client exits 1 for those. */
bool client_ended_cleanly(const client *c);
/* The view as a world, for code that reasons about worlds (bots). */
void client_view_to_world(const client_view *v, sim_world *out);
/* Rejoin and migrate on, can_host off. */
client_recovery client_default_recovery(void);
void client_set_recovery(client *c, const client_recovery *r);
client_link client_get_link(const client *c, uint64_t now_us);
/* We are the successor: the owner should start a server on *port (or
 * any port if that one is taken) from client_last_snapshot and the view's
 * roster, with our reconnect token as its host token, then call
 * client_host_result. False when nothing is asked. */
bool client_host_request(const client *c, uint16_t *port);
void client_host_result(client *c, bool ok, uint16_t port, uint64_t now_us);
/* The password this client presents (a successor's server asks it too). */
const char *client_password(const client *c);
/* The newest snapshot rebuilt from the wire; NULL before the first. */
const proto_snapshot *client_last_snapshot(const client *c);
/* Says goodbye (if connected) and frees c. */
void client_destroy(client *c, uint8_t bye_reason);

#endif
