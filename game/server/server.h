/*
 * server: the authoritative game server. Runs on its own thread at a
 * fixed SIM_TICK_HZ: pumps the transport (netserver), applies one input
 * per player per tick to the shared simulation (sim_step) and sends every
 * accepted client a snapshot on each tick its own rate makes due (rate.h:
 * 60 a second where its link carries it, fewer where not): a
 * SNAPSHOT_DELTA against the newest tick that client acknowledged (a full
 * SNAPSHOT when it has none usable), or while nothing moves a KEEPALIVE
 * every SERVER_KEEPALIVE_TICKS.
 *
 * Who may join and how fast: netserver keeps handshakes in a small pool of
 * their own with a cap per address; admit.h rations joins and password
 * tries per address (the server holds a HELLO rather than refuse it);
 * names are normalised and compared for lookalikes (name.h); a returning
 * player's reconnect token wins their name back from whoever took it.
 * The match state goes out as MATCH (on a change and once a second) and
 * what happened in a tick (pickups, hits, the round's start and end) as
 * EVENTs; a dash is judged where the dasher saw its victim (lagcomp.h).
 * Each round's end is logged with its winner.
 *
 * Threading contract: server_start/stats/stop are called from one owner
 * thread; server_start_round and server_kick from any thread (they post a
 * request the server thread takes); everything else happens on the server thread, which is the only
 * thread that touches the world and the sockets. Slot reservation happens
 * on that one thread, so two simultaneous joins can never share a player.
 *
 * Host migration: the server sends everyone a HOST_PLAN (migrate.h) after
 * each join and departure and every SERVER_PLAN_TICKS, naming players in
 * other processes as successors; a player lives in this process when its
 * connection's local port is one of this process's own
 * (netclient_is_own_port).
 */
#ifndef LANARENA_SERVER_H
#define LANARENA_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "migrate.h"
#include "proto.h"
#include "sim.h"

typedef struct server server;

/* Players a game holds unless told otherwise (the host's --max-players). */
#define SERVER_DEFAULT_MAX_PLAYERS 32
#define SERVER_TRUSTED 2 /* addresses a host may trust (netserver's NETSERVER_TRUSTED) */

typedef struct {
    uint16_t port;         /* 0: any free port */
    int max_players;       /* 1..SIM_MAX_PLAYERS */
    uint32_t seed;         /* world seed; 0 picks one from the clock */
    int handshake_timeout_ms;
    int silence_timeout_ms;
    bool no_delta;         /* full SNAPSHOT every tick (for comparison) */
    /* A HELLO without this password is refused ("" = open game). The
     * hosting app gives its own player host_token (0: a dedicated server,
     * nobody is marked host); a HELLO presenting it is marked host in
     * PLAYER_INFO. reconnect_window_ms: how long a player who left can
     * reclaim colour and score (0: RECONNECT_WINDOW_MS). */
    char password[PROTO_PASSWORD_MAX + 1];
    uint64_t host_token;
    uint32_t reconnect_window_ms;
    /* The most snapshots a second any client gets (1..SIM_TICK_HZ; 0:
     * every tick). Each client gets at most this, at most what it asked
     * for in HELLO, and in Auto what its link carries (rate.h). */
    int snapshot_hz;
    /* Connections from these addresses skip the per-address limits (the
     * handshake pool's cap, the join rate; admit.h, netserver.h): by
     * default "127.0.0.1", this computer, where the host's own player and
     * its bots connect from, and no second one (--trust-addr). "" is none. */
    char trusted_addr[SERVER_TRUSTED][16];
    /* A game taken over from a host that left (migrate.h): the world and
     * the players who may come back. Read during server_start only; NULL
     * for a new game. */
    const migrate_seed *takeover;
    /* The match: round length in seconds (0: no time limit; else
     * SIM_ROUND_SECONDS_MIN..MAX) and a score that ends a round (0:
     * none). no_lagcomp judges dashes where everyone is at the tick
     * (for comparison) instead of where the dasher saw them. */
    int round_seconds;
    int score_limit;
    bool no_lagcomp;
    int lagcomp_max_ms; /* the rewind bound; 0: LAGCOMP_MAX_REWIND_MS (200) */
} server_config;

typedef struct {
    uint32_t tick;
    int players;
    float snapshot_hz;     /* snapshots sent per client per second (last second) */
    float tick_hz;
    uint64_t bytes_in, bytes_out;
    int connections;
    float tick_ms_p50, tick_ms_p99; /* CPU time per tick, last second */
    uint32_t full_sent, delta_sent, keepalive_sent; /* since start, all clients */
    uint8_t phase;          /* sim_phase */
    uint16_t round;         /* from 1 */
    uint32_t round_left_s;  /* seconds left in the phase (0: no limit) */
    uint32_t hits, dashes;  /* since start */
    float rewind_ms_mean;   /* lag compensation: mean rewind of judged dashes */
    uint32_t rewinds, rewinds_at_bound; /* since start: judged, held at 200 ms */
} server_stats;

server_config server_default_config(void);

/* Binds the port on the calling thread (so "port in use" is reported at
 * once) and starts the server thread. NULL with a sentence in err. */
server *server_start(const server_config *cfg, char *err, size_t err_cap);
uint16_t server_port(server *s);
server_stats server_get_stats(server *s);
/* Copies the world as of the newest tick (tests compare clients to it). */
void server_get_world(server *s, sim_world *out);
/* Asks the server thread to start the first round without waiting for
 * a second player (after the countdown). No effect outside warmup. Any
 * thread. */
void server_start_round(server *s);
/* Asks the server thread to remove player id, whose name the caller saw
 * as `name` (a different player in that slot now is left alone): it is
 * told GOODBYE(KICKED_BY_HOST) and everyone else PLAYER_LEFT with that
 * reason, within a tick. The host's own player (the one that presented
 * host_token) is never removed. False when id is out of range or
 * SERVER_KICKS requests are already waiting. Any thread. */
#define SERVER_KICKS 8
bool server_kick(server *s, int id, const char *name);
/* Says GOODBYE(HOST_ENDED) to every client, stops and joins the thread. */
void server_stop(server *s);
/* The same, after a HOST_PLAN with PROTO_PLAN_NOW: the players move to the
 * first successor at once. */
void server_stop_handover(server *s);

#endif
