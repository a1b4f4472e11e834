/*
 * netserver_internal: what netserver.c (events, reads, the pump, the
 * game's calls) and netserver_accept.c (accepting, the handshake pool)
 * share: a slot per connection and the transport's state. Only those
 * two files include it.
 *
 * Threading contract: the thread that owns the netserver, as netserver.h.
 */
#ifndef LANARENA_NETSERVER_INTERNAL_H
#define LANARENA_NETSERVER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"
#include "netserver.h"
#include "session.h"
#include "sock.h"
#include "tcp.h"

#define NS_READ_BUDGET 64    /* messages per connection per pump */
#define NS_ACCEPT_BUDGET 32  /* accepts per pump */
#define NS_ACCEPT_PAUSE_MS 100
#define NS_CLOSE_FLUSH_MS 250 /* netserver_close: best-effort GOODBYE delivery */
#define NS_MAX_PLAYERS 4096
#define NS_MAX_HANDSHAKES 1024
/* Kernel send buffer per connection (Linux doubles it: 128 KB in flight).
 * A full 250-player snapshot is about 5.3 KB (PROTO_SNAPSHOT_MAX_SIZE) and
 * a delta usually far less, so at 60 Hz this is over a dozen ticks of
 * slack even at LAN bandwidth-delay products, and it keeps a stalled peer
 * from hiding megabytes in the kernel before outbox_limit sees it. */
#define NS_SOCKET_SNDBUF (64 * 1024)
#define NS_EP_LISTEN UINT64_MAX /* poller tag of the listener; slots use their index */

typedef struct {
    conn c;
    bool open;
    session sess;
    bool evented; /* an EV_HELLO went out: one EV_DISCONNECT is owed */
    bool backlog; /* may hold readable input the poller will not report */
    bool wr_shut; /* netserver_close: FIN sent */
    int ep_mask;  /* interest registered in the poller (SOCK_POLL_*) */
    int ep_ready; /* what this pump's wait reported */
    bool held;    /* PENDING, and the game said it decides later */
    bool quiet;   /* its close is logged at debug level */
    bool trusted; /* from cfg.trusted_addr */
    bool player;  /* accepted: holds one of the max_players slots */
    bool paced;   /* written only when released (netserver_pace) */
    bool release; /* paced: write at the next pump */
    bool draining; /* paced: a release the kernel has not taken all of */
    bool pong_owed; /* paced: a PING waits for the next release */
    uint32_t pong_token;
    uint64_t pong_at_us; /* when that PING was read (ns_clock_us) */
    char addr[TCP_ADDR_TEXT_MAX]; /* peer address without the port */
} ns_slot;

struct netserver {
    netserver_config cfg;
    sock_t listen_fd;
    uint16_t port;
    sock_poller *poller;
    int listen_mask; /* the listener's registered interest */
    sock_ready *ready; /* nslots + 1: every registered socket fits */
    bool sock_started; /* sock_init succeeded: sock_cleanup owed */

    ns_slot *slots;
    int nslots, open_count, next_slot;
    int accepted; /* slots that are players */

    netserver_event *events;
    size_t ev_cap, ev_head, ev_count;
    size_t owed; /* EV_DISCONNECTs the ring must keep room for */

    uint64_t now_ms;
    uint64_t accept_paused_until;
    netserver_stats closed; /* counters of connections already closed */
    uint64_t refused;
    int *pool_scratch; /* nslots: ns_pool_victim's list */
    uint64_t evicted_unlogged; /* evictions since the last summary line */
    uint64_t evict_log_at;     /* the next summary may go out then */
};

#define NS_EVICT_LOG_MS 10000 /* a flood of evictions: one line per 10 s */

/* netserver.c */
/* Closes slot i: queues `last` (GOODBYE/REJECT; may be NULL), tries one
 * non-blocking flush, closes the socket, logs `why`, and queues the owed
 * EV_DISCONNECT. Never blocks. */
void ns_close_slot(netserver *ns, int i, const proto_msg *last, uint8_t bye_reason, bool fault, const char *why);
/* Reads and applies what slot i has, within the read budget. */
void ns_service_reads(netserver *ns, int i, uint64_t now);

/* netserver_accept.c */
/* Accepts what the listener has, within NS_ACCEPT_BUDGET: each new
 * connection gets a slot, evicting from the handshake pool when full. */
void ns_accept_all(netserver *ns, uint64_t now);

#endif
