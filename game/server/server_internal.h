/*
 * server_internal: what the server's own files share. The server thread's
 * state (struct server, one record per player), its limits, and the
 * functions one file of the server offers the others:
 *   server.c       the thread, the tick, inputs, chat, departures, stats;
 *   server_join.c  HELLO to WELCOME: admission, names, the slot;
 *   server_send.c  what goes to the players: snapshots in their cheapest
 *                  form at each player's rate, announcements, notices.
 * Nothing outside game/server includes it.
 *
 * Threading contract: everything here runs on the server thread, except
 * what server.c's public functions (server.h) guard with a lock or an
 * atomic.
 */
#ifndef LANARENA_SERVER_INTERNAL_H
#define LANARENA_SERVER_INTERNAL_H

#include <SDL.h>
#include <stdatomic.h>

#include "admit.h"
#include "chat_limiter.h"
#include "delta.h"
#include "lagcomp.h"
#include "migrate.h"
#include "netserver.h"
#include "proto.h"
#include "rate.h"
#include "reconnect.h"
#include "server.h"
#include "sim.h"


/* PLAYER_INFO (pings, host mark) goes to everyone once a second. */
#define SERVER_INFO_TICKS SIM_TICK_HZ
/* Joins, leaves and renames are told to everyone in batches, at most one
 * every SERVER_ANNOUNCE_TICKS (250 ms): a batch says only how the list
 * changed since the last one, so a player who joined and left in between
 * costs the others nothing, and churning joins cannot multiply traffic. */
#define SERVER_ANNOUNCE_TICKS 15
/* HELLOs the server holds for later (admit.h): a join over its address's
 * rate, a password try during its address's backoff. netserver's
 * handshake pool bounds how many can wait; this is well above it. */
#define SERVER_HELD_MAX 64

/* Inputs buffered per player, one per tick. A client sends them in
 * batches at its snapshot rate; a few more absorb network bunching.
 * Beyond SERVER_INPUT_KEEP plus the last batch's size the oldest are
 * dropped so latency stays low, and nobody gets more than one input per
 * tick, so flooding cannot make a player faster. */
#define SERVER_INPUT_QUEUE 32
#define SERVER_INPUT_KEEP 4
/* Input flood limit: inputs a client may send per second, sustained, and
 * how many it may send at once above that. The burst is the silence
 * limit's worth and a second more (server_input_burst): a network stall
 * the host waits out is survived, and TCP then delivers every input sent
 * meanwhile at once. A client over it is kicked: it cannot move faster
 * anyway, but it costs the host a decode and an event per input. */
#define SERVER_INPUT_RATE_MAX (2 * SIM_TICK_HZ)
/* A player the host has heard nothing from for this long is marked
 * PROTO_PF_SILENT: an idle client still sends two inputs a second. */
#define SERVER_SILENT_MS 1500
/* HOST_PLAN goes out after every join and departure, and every 2 s (for
 * who fell silent or spoke again). */
#define SERVER_PLAN_TICKS (2 * SIM_TICK_HZ)
#define SERVER_TICK_US (1000000 / SIM_TICK_HZ)
#define SERVER_TICK_SAMPLES 128
/* While nothing moves, a KEEPALIVE every 30 ticks (500 ms) keeps the
 * client's tick, ack_seq and baseline fresh (well inside DELTA_WINDOW)
 * for a thirtieth of the messages: with the TCP acks each one draws, an
 * idle client then costs under 1 KB/s each way. */
#define SERVER_KEEPALIVE_TICKS 30
/* Distinct baselines delta-coded per tick; clients mostly share one or
 * two (their acks lag by the same tick or so), so each delta is made and
 * encoded once; a client's copy differs only in its few head bytes. */
#define SERVER_DELTA_CACHE 4
#define SERVER_PUMP_GAP_US 2000 /* see server_thread */
/* The server loop never waits longer than a tick; a step of its clock
 * longer than this means the process was stopped, and the connections'
 * silence clocks count no more of it (runclock.h). */
#define SERVER_PAUSE_STEP_MS 1000
/* A client's link is full (its next snapshot waits) past this much queue. */
#define SERVER_BACKLOG_MS 250
#define SERVER_BACKLOG_MIN 4096

/* What was sent to one client at a tick, for using that tick as its base. */
typedef struct {
    uint32_t tick;
    uint32_t ack_seq;
    bool valid;
    uint64_t at_us; /* when it was queued: its ack times the round trip */
} server_sent;

typedef struct {
    uint32_t base_tick;
    bool same_world;       /* KEEPALIVE suffices */
    bool full_is_smaller;  /* the delta would not save bytes */
    proto_msg msg;         /* SNAPSHOT_DELTA (its ack_seq is per client) */
    uint8_t tail[PROTO_MAX_MESSAGE_SIZE]; /* msg past its head, encoded */
    size_t tail_len;
} server_delta_cache;

/* One tick's input from a batch, and where its client drew the others
 * when it was made: view_back quarter ticks behind ack_tick (lagcomp). */
typedef struct {
    uint32_t seq;
    uint8_t buttons;
    uint32_t ack_tick;
    uint32_t view_back;
} server_input;

typedef struct {
    bool used;
    int conn;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t colour;
    uint8_t last_buttons;
    uint32_t last_seq;     /* newest seq applied */
    uint32_t newest_seq;   /* newest seq received */
    server_input queue[SERVER_INPUT_QUEUE];
    int queue_len;
    int input_batch;       /* new inputs in the newest INPUT */
    uint64_t input_level;    /* flood bucket, in 1/1000 input */
    uint64_t input_drain_ms; /* when input_level was last drained */
    uint32_t snapshots_sent;
    bool has_ack;
    uint32_t ack_tick;     /* newest snapshot tick the client says it has */
    uint32_t last_sent_tick;
    server_sent sent[DELTA_WINDOW]; /* by tick % DELTA_WINDOW */
    uint64_t token;        /* reconnect token, from WELCOME */
    uint32_t gen;          /* which join this is (announcements tell joins apart) */
    uint64_t joined_ms;
    bool host;             /* presented the hosting app's token */
    float rtt_ms;          /* smoothed; 0 until the first sample */
    chat_limiter chat;
    rate_state rate;       /* this client's snapshot rate */
    int hz;                /* the rate last announced in a RATE */
    uint64_t link_bytes_out, link_at_ms; /* for its send rate */
    float sent_per_s;      /* bytes a second the kernel took for it, smoothed */
    uint32_t snapshots_skipped; /* due while its link was full (server_send_due) */
    uint64_t heard_ms;     /* when its last message arrived */
    uint64_t joined;       /* order of arrival, for the plan */
    uint32_t addr;         /* IPv4 it connects from, host byte order */
    bool in_process;       /* one of this process's own clients */
    uint32_t view_lag_q;   /* quarter ticks its screen trails the world (lagcomp) */
} server_player;

/* What the other players were last told about a player slot. */
typedef struct {
    bool present;
    uint32_t gen;
    uint8_t colour;
    char name[PROTO_NAME_WIRE_MAX + 1];
} server_announced;

/* A server_kick waiting for the server thread. */
typedef struct {
    int id;
    char name[PROTO_NAME_WIRE_MAX + 1];
} server_kick_req;

/* A HELLO whose decision waits (admit.h). */
typedef struct {
    bool used;
    int conn;
    uint64_t since_ms, due_ms;
    proto_hello hello;
} server_held;

struct server {
    server_config cfg;
    netserver *net;
    uint16_t port;
    SDL_Thread *thread;
    atomic_int stop;
    atomic_int start_round; /* server_start_round asked; taken at the next tick */
    SDL_mutex *kick_lock;   /* guards kicks and kick_count (server_kick) */
    server_kick_req kicks[SERVER_KICKS];
    int kick_count;
    atomic_int kicks_waiting; /* kick_count > 0, read without the lock */
    SDL_mutex *stats_lock;
    server_stats stats;
    sim_world published; /* copy of world after each tick, under stats_lock */
    sim_world world;
    server_player players[SIM_MAX_PLAYERS];
    proto_msg scratch; /* the snapshot is large; build it off the stack */
    proto_msg keepalive;
    bool scratch_ready; /* scratch holds this tick's full snapshot */
    proto_snapshot ring[DELTA_WINDOW]; /* world by tick % DELTA_WINDOW (ack_seq 0) */
    server_delta_cache cache[SERVER_DELTA_CACHE];
    int cache_len;
    uint32_t full_sent, delta_sent, keepalive_sent;
    float tick_samples[SERVER_TICK_SAMPLES];
    int tick_sample_count;
    reconnect_table gone; /* players who left, for reconnects */
    admit_table admit;    /* per-address join rate and password backoff */
    server_held held[SERVER_HELD_MAX];
    server_announced announced[SIM_MAX_PLAYERS];
    uint8_t left_reason[SIM_MAX_PLAYERS]; /* why the slot's last player left */
    bool info_dirty;      /* PLAYER_INFO is due with the next batch */
    uint32_t last_announce_tick;
    uint32_t next_gen;
    int input_burst;      /* see SERVER_INPUT_RATE_MAX */
    uint64_t joins;       /* players welcomed so far */
    bool plan_due;        /* a join or departure since the last plan */
    migrate_candidate candidates[SIM_MAX_PLAYERS]; /* server_send_plan's */
    atomic_int handover; /* server_stop_handover */
    lagcomp lag;
    sim_match sent_match; /* the MATCH last broadcast */
    uint32_t hits, dashes;
};

/* ---- server.c ---- */
/* Microseconds on the performance counter. */
uint64_t server_now_us(void);
int server_player_of_conn(server *s, int conn);
int server_player_count(server *s);
/* Frees slot id; the others hear of it with the next batch. */
void server_remove(server *s, int id, uint8_t reason, const char *why);

/* ---- server_join.c ---- */
/* A HELLO on conn: a WELCOME, a REJECT, or held for later (admit.h). */
void server_join_hello(server *s, int conn, const proto_hello *h);
/* Decides the held HELLOs whose time has come. */
void server_join_run_held(server *s, uint64_t now_ms);
/* conn closed: a HELLO it left waiting is forgotten. */
void server_join_forget(server *s, int conn);

/* ---- server_send.c ---- */
void server_send_all(server *s, const proto_msg *m, int except_id);
proto_msg server_send_joined_msg(const server *s, int id);
proto_msg server_send_match_msg(const server *s);
void server_send_notice(server *s, const server_player *p, const char *text);
/* Joins, leaves and renames since the last batch, to everyone. */
void server_send_announce(server *s);
void server_send_info(server *s);
void server_send_plan(server *s, uint8_t flags);
/* Whether p's snapshot is due at tick (its rate, its link's backlog). */
bool server_send_due(const server *s, server_player *p, uint32_t tick);
/* Looks at p's link and moves its rate; false when p was dropped. */
bool server_send_adapt_rate(server *s, server_player *p, uint64_t now_ms);
/* p's snapshot of cur in its cheapest form; false if p was dropped. */
bool server_send_snapshot(server *s, server_player *p, const proto_snapshot *cur);

#endif
