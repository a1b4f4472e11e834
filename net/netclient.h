/*
 * netclient: one client connection to a LAN Arena server, run on its own
 * thread so that name resolution, connecting and blocking I/O never touch
 * the UI thread.
 *
 * Threading contract: netclient_start/poll/send/status/stats/stop are
 * called from one owner thread (the main thread or a bot thread). The
 * connection thread owns the socket; the two exchange proto_msg values
 * through two mq queues. Time comes from SDL_GetTicks64 inside the
 * connection thread only (for timeouts and ping); the owner passes nothing.
 *
 * Lifecycle: CONNECTING (resolve + connect, bounded by connect_timeout_ms)
 * -> HANDSHAKE (HELLO sent, waiting for WELCOME/REJECT) -> CONNECTED ->
 * CLOSED. Any failure goes to FAILED with a sentence for the player.
 * The thread answers PINGs and sends its own every ping_interval_ms to
 * measure RTT: each in the same write as a message of the owner's (an
 * INPUT), alone only after ping_interval_ms with nothing sent (a
 * keepalive); the host's PONG says how long it held the PING, which the
 * round trip leaves out. It fails with "The host stopped responding" when nothing
 * arrives for silence_timeout_ms of time the process ran: a process that
 * was stopped (SIGSTOP, a laptop asleep) does not count the pause against
 * its host (runclock.h). The
 * owner sees a quiet spell as it happens (netclient_quiet_ms) and, after a
 * failure, what kind it was (netclient_get_fault), which tells a link that
 * broke, worth dialling again, from a host that refused us.
 */
#ifndef LANARENA_NETCLIENT_H
#define LANARENA_NETCLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

typedef struct netclient netclient;

#define NETCLIENT_SILENCE_MS 10000 /* the default silence_timeout_ms */

typedef struct {
    char host[256];           /* IPv4 dotted quad or host name */
    uint16_t port;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint16_t version;         /* PROTO_VERSION; tests override it */
    /* HELLO's version 2 fields (proto.h). */
    uint64_t reconnect_token; /* a WELCOME's token from this host; 0: none */
    uint8_t colour;           /* PROTO_COLOUR_ANY (the default) or < PROTO_COLOURS */
    char password[PROTO_PASSWORD_MAX + 1]; /* "" when the game has none */
    uint8_t snapshot_hz;      /* PROTO_SNAPSHOT_HZ_AUTO (the default) or 10..60 */
    int connect_timeout_ms;   /* resolve + TCP connect */
    int silence_timeout_ms;   /* nothing received for this long: failed */
    int ping_interval_ms;
    /* Fake network conditions for testing (net/fakelag.h); 0 is off. Lag
     * and jitter delay every message after HELLO both ways (the final
     * GOODBYE excepted); a stall holds back what arrives for fake_stall_ms
     * every fake_stall_every_s seconds. */
    int fake_lag_ms, fake_jitter_ms;
    int fake_stall_ms, fake_stall_every_s;
} netclient_config;

typedef enum {
    NETCLIENT_CONNECTING = 0,
    NETCLIENT_HANDSHAKE,
    NETCLIENT_CONNECTED,
    NETCLIENT_FAILED, /* see netclient_status's why */
    NETCLIENT_CLOSED  /* the server said GOODBYE, or we stopped */
} netclient_state;

/* Why a connection failed. */
typedef enum {
    NETCLIENT_FAULT_NONE = 0,    /* not failed */
    NETCLIENT_FAULT_CLOSED,      /* a welcomed connection ended without a
                                  * GOODBYE: EOF or reset (the host's
                                  * process is gone, or the link broke) */
    NETCLIENT_FAULT_SILENT,      /* a welcomed connection went silent for
                                  * silence_timeout_ms */
    NETCLIENT_FAULT_REFUSED,     /* connection refused: the machine answers
                                  * but nothing listens on the port */
    NETCLIENT_FAULT_NO_ANSWER,   /* no connection or no WELCOME in time,
                                  * or the host's machine is unreachable */
    NETCLIENT_FAULT_NO_ROUTE,    /* our own network is down: no route */
    NETCLIENT_FAULT_OTHER        /* refused by the game (REJECT), a bad
                                  * message, too slow, name lookup... */
} netclient_fault;

typedef struct {
    uint64_t bytes_in, bytes_out;   /* payload + frame headers */
    uint64_t msgs_in, msgs_out;
    float rtt_ms;                   /* smoothed, net of the host's hold; 0 until the first PONG */
} netclient_stats;

netclient_config netclient_default_config(void);

/* Starts the connection thread. Never blocks. Returns NULL only when out
 * of memory or threads. */
netclient *netclient_start(const netclient_config *cfg);

/* Pops the next received message (WELCOME, SNAPSHOT, PLAYER_*, GOODBYE,
 * REJECT); PING/PONG are handled inside. False when none is waiting. */
bool netclient_poll(netclient *nc, proto_msg *out);

/* The same, and how long ago the message arrived (after any fake delay),
 * in microseconds, so the owner can time arrivals more finely than it
 * polls. */
bool netclient_poll_timed(netclient *nc, proto_msg *out, uint64_t *age_us);

/* Queues msg for sending; false if the connection is not up or the queue
 * is full. */
bool netclient_send(netclient *nc, const proto_msg *msg);

/* Current state; when FAILED or CLOSED, copies the reason sentence. */
netclient_state netclient_status(netclient *nc, char *why, size_t why_cap);

netclient_stats netclient_get_stats(netclient *nc);

/* Milliseconds since the last message arrived, while connected (0 in any
 * other state). */
uint32_t netclient_quiet_ms(netclient *nc);

/* What kind of failure a FAILED connection had (NONE in other states). */
netclient_fault netclient_get_fault(netclient *nc);

/* True when a connection of this process's own netclients uses this
 * local TCP port: a server in the same process asks it to tell the
 * players who live in its own process (its host's player, its bots) from
 * players elsewhere. Any thread. */
bool netclient_is_own_port(uint16_t port);

/* Sends GOODBYE(reason) if connected, closes and joins the thread within a
 * bounded time, frees nc. Safe in any state. */
void netclient_stop(netclient *nc, uint8_t bye_reason);

#endif
