/*
 * netserver: the server's transport. Accepts TCP connections, reassembles
 * frames, decodes messages, enforces transport limits, and writes through
 * non-blocking sockets with a bounded outbox per connection.
 *
 * Threading contract: it has no thread of its own. Everything is called
 * from the one server thread, which alternates netserver_pump() with its
 * game tick. No call blocks longer than the timeout passed to pump.
 *
 * Why one slow peer cannot stall the host: sockets are non-blocking;
 * netserver_send() only appends to that connection's outbox, and pump
 * writes what the kernel accepts. An outbox past outbox_limit bytes means
 * the peer has stopped reading: that connection alone is dropped
 * (PROTO_BYE_TOO_SLOW) and the tick carries on.
 *
 * The transport handles by itself: magic/version check of HELLO (REJECT
 * with the reason), "server full" past max_players accepted connections,
 * handshake timeout, silence timeout, message floods, PING→PONG (at once,
 * or with the next release of a paced connection),
 * malformed frames and messages (drop with a logged reason). The
 * per-connection rules live in session.h, a socket-free state machine the
 * fuzzer drives too. Everything else reaches the game as events. A
 * connection is identified by its conn index, never by an id it claims.
 *
 * Players' slots are never spent on handshakes. A connection waiting for
 * a decision (no HELLO yet, or a HELLO the game holds with
 * netserver_hold) sits in a pool of its own, handshake_slots in all and
 * handshake_per_addr from one source address. A newcomer is never
 * refused for a full pool: the oldest waiting connection of its own
 * address (when that address is at its cap), else of the address with
 * the most, is closed to make room. A HELLO that arrived and waits for
 * the game's first look is not in the pool: it was read the moment its
 * connection was accepted, and the game decides it before the next pump.
 * A trusted_addr (the host's own computer, 127.0.0.1, where its player
 * and bots come from) is never evicted, has no per-address cap, and may
 * wait beyond the pool while there are free slots.
 */
#ifndef LANARENA_NETSERVER_H
#define LANARENA_NETSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

typedef struct netserver netserver;

#define NETSERVER_TRUSTED 2 /* addresses a host may trust */

typedef struct {
    uint16_t port;             /* 0: pick a free one (tests) */
    int max_players;           /* accepted connections; more get REJECT full */
    int handshake_slots;       /* connections waiting for a decision */
    int handshake_per_addr;    /* of those, from one source address */
    char trusted_addr[NETSERVER_TRUSTED][16]; /* IPv4 text exempt from the per-address rules; "" none */
    int handshake_timeout_ms;  /* HELLO must arrive within this */
    int silence_timeout_ms;    /* a playing peer silent this long is dropped */
    size_t outbox_limit;       /* bytes queued to one peer before it is dropped */
    uint32_t server_tick_hint; /* unused by transport; reserved */
} netserver_config;

typedef enum {
    NETSERVER_EV_HELLO = 1,  /* valid magic+version; game must accept or reject */
    NETSERVER_EV_MESSAGE,    /* any message after acceptance except PING/PONG */
    NETSERVER_EV_DISCONNECT  /* connection gone; reason holds why */
} netserver_event_type;

typedef struct {
    netserver_event_type type;
    int conn;
    proto_msg msg;          /* HELLO / MESSAGE */
    uint8_t bye_reason;     /* DISCONNECT: proto_bye_reason */
    char reason[128];       /* DISCONNECT: human-readable, for the log */
} netserver_event;

typedef struct {
    uint64_t bytes_in, bytes_out;
    uint64_t msgs_in, msgs_out;
    int connections;        /* open sockets (handshaking + accepted) */
    uint64_t dropped;       /* connections dropped for a fault */
} netserver_stats;

netserver_config netserver_default_config(void);

/* Binds 0.0.0.0:port. On failure returns NULL and writes a sentence
 * ("Port 27960 is already in use.") to err. */
netserver *netserver_open(const netserver_config *cfg, char *err, size_t err_cap);
uint16_t netserver_port(netserver *ns);

/* Waits up to timeout_ms for socket activity, accepts, reads, writes, runs
 * timeouts. now_ms is the caller's monotonic clock in ms (the server
 * thread's runclock.h, so a stopped process does not time its peers out). */
void netserver_pump(netserver *ns, int timeout_ms, uint64_t now_ms);

/* Next queued event; false when none. */
bool netserver_next_event(netserver *ns, netserver_event *ev);

/* After EV_HELLO: accept (then send WELCOME yourself) or refuse. An
 * accept past max_players accepted connections is a REJECT(FULL). */
void netserver_accept(netserver *ns, int conn);
void netserver_reject(netserver *ns, int conn, uint8_t reject_reason);
/* The same refusal, logged at debug level only (the game logs a summary:
 * a password guesser must not fill the log). */
void netserver_reject_quietly(netserver *ns, int conn, uint8_t reject_reason);
/* After EV_HELLO: the game will decide later (within the handshake
 * timeout). The connection goes back into the handshake pool, where a
 * newcomer may evict it (an EV_DISCONNECT then follows). */
void netserver_hold(netserver *ns, int conn);
/* The peer's IPv4 address as text ("10.0.0.7", no port); "" if conn is
 * not open. Valid until the connection closes. */
const char *netserver_peer_addr(netserver *ns, int conn);

/* Queues msg for conn (accepted connections only). If the outbox is over
 * its limit the connection is dropped and false returned. */
bool netserver_send(netserver *ns, int conn, const proto_msg *msg);
/* The same for a message already encoded as head then tail (a delta
 * shared by many clients: proto_encode_delta_head / _tail). */
bool netserver_send_parts(netserver *ns, int conn, const uint8_t *head, size_t head_len, const uint8_t *tail,
                          size_t tail_len);

/* Pacing, so that a client at a low snapshot rate gets one segment per
 * snapshot: a paced connection's messages wait in its outbox until the
 * game releases it, and then go out together at the next pump. A PING
 * from a paced peer is answered in that same write, its PONG saying how
 * long the PING waited (held_us). Closing (netserver_drop, a fault,
 * netserver_close) writes what waits regardless. Off by default; turning
 * it off releases what waits. */
void netserver_pace(netserver *ns, int conn, bool paced);
void netserver_release(netserver *ns, int conn);

/* Sends GOODBYE(reason), closes after a short best-effort flush, and
 * queues an EV_DISCONNECT with `why`. */
void netserver_drop(netserver *ns, int conn, uint8_t bye_reason, const char *why);

netserver_stats netserver_get_stats(netserver *ns);

/* One accepted connection's link as the host sees it: what waits in our
 * outbox, what the kernel holds unacknowledged, and the bytes the kernel
 * has taken so far. False for a conn that is not open. */
typedef struct {
    size_t outbox, unacked;
    uint64_t bytes_out;
} netserver_link;
bool netserver_link_info(netserver *ns, int conn, netserver_link *out);

/* The IPv4 address and port (host byte order) conn comes from; false for
 * a closed conn. */
bool netserver_peer(netserver *ns, int conn, uint32_t *addr, uint16_t *port);

/* Sends GOODBYE(HOST_ENDED) to all, flushes briefly, closes everything. */
void netserver_close(netserver *ns);

#endif
