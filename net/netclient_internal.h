/*
 * netclient_internal: what netclient.c (the connection thread, the
 * session, the owner's API) and netclient_dial.c (the name lookup and the
 * connect) share: the connection's state and the calls that change it.
 * Only those two files include it.
 *
 * Threading contract: as netclient.h; the nc_ functions run on the
 * connection thread.
 */
#ifndef LANARENA_NETCLIENT_INTERNAL_H
#define LANARENA_NETCLIENT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "conn.h"
#include "fakelag.h"
#include "mq.h"
#include "netclient.h"
#include "runclock.h"
#include "sock.h"

#define NC_INBOX_CAP 512
#define NC_OUTBOX_CAP 256
#define NC_OUTBOX_LIMIT (64 * 1024) /* bytes queued to the host */
#define NC_READ_BUDGET 256          /* messages per loop turn */
#define NC_LINGER_MS 200            /* stop: GOODBYE delivery + FIN exchange */
#define NC_MAX_WAIT_MS 1000         /* no wait longer than this */
/* A loop turn longer than its wait by this much means the process was
 * stopped: the session's clock (runclock.h) does not count the rest. */
#define NC_PAUSE_SLACK_MS 500
#define NC_LAG_IN_CAP 2048          /* messages held by fake lag: seconds of snapshots */
#define NC_LAG_OUT_CAP 512

/* What the inbox holds: a message and when it arrived (nc_now_us). */
typedef struct {
    proto_msg msg;
    uint64_t at_us;
} nc_arrival;

struct netclient {
    netclient_config cfg;
    char target[300]; /* "HOST:PORT" as the player typed it, for sentences */
    char tag[400];    /* "'name'@HOST:PORT", for the log: many bots share a host */
    SDL_Thread *thread;
    mq *inbox, *outbox;
    sock_wake wake;
    bool sock_started; /* sock_init succeeded: sock_cleanup owed */
    atomic_int stop;
    atomic_int stop_reason;

    SDL_mutex *lock; /* guards the four fields below */
    netclient_state state;
    char why[256];
    netclient_stats stats;
    netclient_fault fault;

    atomic_int heard_ms; /* SDL_GetTicks64 at the last message, mod 2^32 (netclient_quiet_ms) */

    /* Connection thread only. */
    conn c;
    runclock run; /* the session's clock, ms: stands still while the process is stopped */
    uint32_t pauses_logged;
    uint64_t last_recv_ms, next_ping_ms;
    uint64_t last_sent_ms; /* when the owner's last message went to the conn */
    float rtt_ms;
    fakelag *lag_in, *lag_out; /* NULL unless fake conditions are configured */
};

/* netclient.c */
void nc_set_state(netclient *nc, netclient_state s, const char *why);
void nc_set_state_fault(netclient *nc, netclient_state s, const char *why, netclient_fault fault);
bool nc_stopping(netclient *nc);
void nc_drain_wake(netclient *nc);
void nc_format_seconds(int ms, char *buf, size_t cap);
netclient_fault nc_connect_fault(int err);

/* netclient_dial.c */
/* SDL_net and the lookup lock, once per process (any thread). */
void nc_net_init(void);
bool nc_resolve(netclient *nc, uint64_t deadline, uint32_t *host_be);
sock_t nc_connect(netclient *nc, uint32_t host_be, uint64_t deadline);

#endif
