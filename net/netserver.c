/*
 * netserver: the server transport over non-blocking sockets and a
 * level-triggered sock_poller (epoll on Linux). See netserver.h for the
 * contract.
 *
 * Connections live in a slot array allocated once; a conn index is a
 * slot index. New connections take the next free slot after the last one
 * used, so an index is not reused at once. There are max_players slots
 * for accepted connections, handshake_slots for the pool (see
 * netserver.h), and NS_ACCEPT_BUDGET for HELLOs read at accept that the
 * game has not looked at yet: the game decides every one of those before
 * the next pump, so they never outlive one accept round.
 *
 * A slot is free or open. An open slot's protocol state (HANDSHAKE ->
 * PENDING -> ACCEPTED) lives in its session (session.h), the socket-free
 * state machine that decides what every frame means; this file only does
 * the I/O and carries out the session's verdicts:
 *   HELLO    queue EV_HELLO; the game decides; nothing more is read
 *            until it does
 *   DELIVER  queue EV_MESSAGE
 *   REPLY    queue the reply (PONG); on a paced connection, owe it
 *            and queue it, with how long it waited, at the next release
 *   CLOSE    queue the final GOODBYE/REJECT, close, log the reason, and
 *            queue an EV_DISCONNECT when the slot had produced an
 *            EV_HELLO (so every EV_HELLO is followed by exactly one
 *            EV_DISCONNECT)
 *
 * Events go into a ring allocated once. Space for one EV_DISCONNECT per
 * connection that has had an EV_HELLO is always held back, so a
 * disconnect is never lost: when the ring is short of room, reading stops
 * (the bytes wait in the kernel) until the game drains events.
 *
 * Every open socket stays in one poller set, tagged with its slot index,
 * from accept until just before it is closed. Its interest is input
 * unless PENDING, plus output while its outbox holds bytes; it is only
 * changed (sock_poller_mod) when that differs from what is registered, so
 * with epoll a steady pump is one epoll_wait() whose cost follows the
 * ready sockets, not the open ones. Level-triggered, so input left behind
 * by the read budget is reported again.
 *
 * A paced connection (netserver_pace) is written only when the game
 * releases it: what was queued since, and the PONG it owes, go out in one
 * write at the next pump. A release the kernel could not take at once
 * keeps the slot draining (written as it has room, output interest on)
 * until its outbox is empty; otherwise a paced slot with bytes waiting
 * registers no output interest, or the level-triggered poller would wake
 * for a writable socket on every pump.
 */
#include "netserver_internal.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"


netserver_config netserver_default_config(void)
{
    netserver_config c;
    memset(&c, 0, sizeof c);
    c.port = PROTO_DEFAULT_PORT;
    c.max_players = 8;
    c.handshake_slots = 16;
    c.handshake_per_addr = 4;
    c.handshake_timeout_ms = 3000;
    c.silence_timeout_ms = 5000;
    c.outbox_limit = 256 * 1024;
    return c;
}

/* ---- events ---- */

static size_t ns_ev_free(const netserver *ns)
{
    return ns->ev_cap - ns->ev_count;
}

/* An event is ~6 KB because its message could be a 250-player snapshot;
 * an INPUT uses a dozen bytes of it, and one arrives per player per tick.
 * So events are copied field by field and the message by its size. */
static void ns_event_copy(netserver_event *dst, const netserver_event *src)
{
    dst->type = src->type;
    dst->conn = src->conn;
    dst->bye_reason = src->bye_reason;
    memcpy(dst->reason, src->reason, strnlen(src->reason, sizeof dst->reason - 1) + 1);
    dst->reason[sizeof dst->reason - 1] = '\0';
    if (src->type == NETSERVER_EV_DISCONNECT)
        dst->msg.type = 0;
    else
        proto_msg_copy(&dst->msg, &src->msg);
}

/* The ring slot the next event goes in; NULL (and a log line) if full. */
static netserver_event *ns_event_slot(netserver *ns, netserver_event_type type, int conn_index)
{
    if (ns->ev_count == ns->ev_cap) {
        /* Unreachable while the reservation holds; say so loudly if not. */
        log_error("netserver: event ring full, %s event for conn %d lost",
                  type == NETSERVER_EV_DISCONNECT ? "DISCONNECT" : "HELLO/MESSAGE", conn_index);
        return NULL;
    }
    netserver_event *e = &ns->events[(ns->ev_head + ns->ev_count) % ns->ev_cap];
    ns->ev_count++;
    return e;
}

static void ns_push_event(netserver *ns, const netserver_event *ev)
{
    netserver_event *e = ns_event_slot(ns, ev->type, ev->conn);
    if (e)
        ns_event_copy(e, ev);
}

static void ns_push_message(netserver *ns, netserver_event_type type, int conn_index, const proto_msg *msg)
{
    netserver_event *e = ns_event_slot(ns, type, conn_index);
    if (!e)
        return;
    e->type = type;
    e->conn = conn_index;
    e->bye_reason = 0;
    e->reason[0] = '\0';
    proto_msg_copy(&e->msg, msg);
}

bool netserver_next_event(netserver *ns, netserver_event *ev)
{
    if (!ns || ns->ev_count == 0)
        return false;
    ns_event_copy(ev, &ns->events[ns->ev_head]);
    ns->ev_head = (ns->ev_head + 1) % ns->ev_cap;
    ns->ev_count--;
    return true;
}

/* ---- poller interest ---- */

/* Sets fd's interest to `want` unless *cur already says so. Errors and
 * hang-ups are reported whatever the mask. Returns 0 or a sock_err. */
static int ns_watch(netserver *ns, sock_t fd, uint64_t tag, int *cur, int want)
{
    if (*cur == want)
        return 0;
    int e = sock_poller_mod(ns->poller, fd, tag, want);
    if (e != SOCK_OK)
        return e;
    *cur = want;
    return 0;
}

/* Whether slot s may be written now: unpaced, released, or draining. */
static bool ns_writable(const ns_slot *s)
{
    return !s->paced || s->release || s->draining;
}

static int ns_want(const ns_slot *s)
{
    int want = 0;
    if (s->sess.state != SESSION_PENDING)
        want |= SOCK_POLL_IN; /* PENDING: nothing is read until the game decides */
    if (conn_pending(&s->c) > 0 && ns_writable(s))
        want |= SOCK_POLL_OUT;
    return want;
}

/* Microseconds on a monotonic clock: how long a paced slot held a PING. */
static uint64_t ns_clock_us(void)
{
    uint64_t t = SDL_GetPerformanceCounter(), f = SDL_GetPerformanceFrequency();
    return t / f * 1000000u + t % f * 1000000u / f;
}

/* ---- closing ---- */

static void ns_add_counters(netserver_stats *st, const conn *c)
{
    st->bytes_in += c->bytes_in;
    st->bytes_out += c->bytes_out;
    st->msgs_in += c->msgs_in;
    st->msgs_out += c->msgs_out;
}

/* Closes slot i: queues `last` (GOODBYE/REJECT; may be NULL), tries one
 * non-blocking flush, closes the socket, logs `why`, and queues the owed
 * EV_DISCONNECT. Never blocks. */
void ns_close_slot(netserver *ns, int i, const proto_msg *last, uint8_t bye_reason, bool fault, const char *why)
{
    ns_slot *s = &ns->slots[i];
    if (!s->open)
        return;
    size_t unsent = 0;
    if (s->c.fd != SOCK_NONE) {
        if (last && conn_queue_last(&s->c, last) != CONN_QUEUED)
            log_debug("netserver: conn %d (%s): no room for the final %s", i, s->c.peer,
                      proto_type_name(last->type));
        char ferr[96];
        if (conn_pending(&s->c) > 0)
            (void)conn_flush(&s->c, ferr, sizeof ferr);
        unsent = conn_pending(&s->c);
    }
    log_msg(fault ? LOG_WARN : s->quiet ? LOG_DEBUG : LOG_INFO, "netserver: conn %d (%s) closed: %s%s", i,
            s->c.peer, why, unsent ? " (unsent bytes discarded)" : "");
    if (unsent)
        log_debug("netserver: conn %d: %zu unsent bytes discarded", i, unsent);
    ns_add_counters(&ns->closed, &s->c);
    if (fault)
        ns->closed.dropped++;
    if (bye_reason == PROTO_BYE_TOO_SLOW && s->c.fd != SOCK_NONE) {
        /* A peer that stopped reading will not read a GOODBYE either, and
         * a graceful close would leave the kernel holding our backlog for
         * it until its zero window times out: reset instead. */
        (void)sock_set_linger_reset(s->c.fd);
    }
    /* Out of the set before the descriptor goes, so the poller never
     * reports a closed or reused one. */
    if (s->c.fd != SOCK_NONE)
        sock_poller_del(ns->poller, s->c.fd);
    s->ep_mask = 0;
    s->ep_ready = 0;
    conn_close(&s->c);
    if (s->evented) {
        netserver_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = NETSERVER_EV_DISCONNECT;
        ev.conn = i;
        ev.bye_reason = bye_reason;
        snprintf(ev.reason, sizeof ev.reason, "%s", why);
        ns_push_event(ns, &ev);
        ns->owed--;
    }
    if (s->player)
        ns->accepted--;
    s->player = false;
    s->open = false;
    s->sess.state = SESSION_CLOSED;
    s->evented = false;
    s->backlog = false;
    s->held = false;
    s->quiet = false;
    s->paced = s->release = s->draining = s->pong_owed = false;
    ns->open_count--;
}

/* A fault found here rather than by the session (an outbox over its
 * limit): tell the peer why with GOODBYE(reason), then close. */
static void ns_fail(netserver *ns, int i, uint8_t bye_reason, const char *why)
{
    proto_msg bye = proto_make_goodbye(bye_reason);
    ns_close_slot(ns, i, &bye, bye_reason, true, why);
}

/* The socket itself is broken: nothing can be sent any more. */
static void ns_lost(netserver *ns, int i, const char *why)
{
    ns_close_slot(ns, i, NULL, PROTO_BYE_CONNECTION_LOST, true, why);
}

/* ---- open ---- */

netserver *netserver_open(const netserver_config *cfg_in, char *err, size_t err_cap)
{
    netserver_config cfg = cfg_in ? *cfg_in : netserver_default_config();
    netserver_config def = netserver_default_config();
    if (cfg.max_players <= 0)
        cfg.max_players = def.max_players;
    if (cfg.max_players > NS_MAX_PLAYERS)
        cfg.max_players = NS_MAX_PLAYERS;
    if (cfg.handshake_slots <= 0)
        cfg.handshake_slots = def.handshake_slots;
    if (cfg.handshake_slots > NS_MAX_HANDSHAKES)
        cfg.handshake_slots = NS_MAX_HANDSHAKES;
    if (cfg.handshake_per_addr <= 0 || cfg.handshake_per_addr > cfg.handshake_slots)
        cfg.handshake_per_addr = cfg.handshake_slots < def.handshake_per_addr ? cfg.handshake_slots
                                                                                : def.handshake_per_addr;
    for (int k = 0; k < NETSERVER_TRUSTED; k++)
        cfg.trusted_addr[k][sizeof cfg.trusted_addr[k] - 1] = '\0';
    if (cfg.handshake_timeout_ms <= 0)
        cfg.handshake_timeout_ms = def.handshake_timeout_ms;
    if (cfg.silence_timeout_ms <= 0)
        cfg.silence_timeout_ms = def.silence_timeout_ms;
    if (cfg.outbox_limit < 2 * FRAME_MAX_SIZE) {
        log_warn("netserver: outbox_limit %zu is below two frames; using %d", cfg.outbox_limit,
                 2 * FRAME_MAX_SIZE);
        cfg.outbox_limit = 2 * FRAME_MAX_SIZE;
    }

    netserver *ns = calloc(1, sizeof *ns);
    if (!ns) {
        snprintf(err, err_cap, "Out of memory.");
        return NULL;
    }
    ns->cfg = cfg;
    ns->listen_fd = SOCK_NONE;
    ns->nslots = cfg.max_players + cfg.handshake_slots + NS_ACCEPT_BUDGET;
    ns->ev_cap = (size_t)ns->nslots * 8 + 16;
    ns->slots = calloc((size_t)ns->nslots, sizeof *ns->slots);
    ns->ready = calloc((size_t)ns->nslots + 1, sizeof *ns->ready);
    ns->events = calloc(ns->ev_cap, sizeof *ns->events);
    ns->pool_scratch = calloc((size_t)ns->nslots, sizeof *ns->pool_scratch);
    if (!ns->slots || !ns->ready || !ns->events || !ns->pool_scratch) {
        snprintf(err, err_cap, "Out of memory.");
        netserver_close(ns);
        return NULL;
    }
    for (int i = 0; i < ns->nslots; i++)
        ns->slots[i].c.fd = SOCK_NONE;

    if (!sock_init(err, err_cap)) {
        log_warn("netserver: %s", err);
        netserver_close(ns);
        return NULL;
    }
    ns->sock_started = true;
    int e;
    ns->poller = sock_poller_create(ns->nslots + 1, &e);
    if (!ns->poller) {
        snprintf(err, err_cap, "Cannot wait for network activity: %s.", tcp_strerror(e));
        log_warn("netserver: %s", err);
        netserver_close(ns);
        return NULL;
    }
    ns->listen_fd = tcp_listen(cfg.port, err, err_cap);
    if (ns->listen_fd == SOCK_NONE) {
        log_warn("netserver: %s", err);
        netserver_close(ns);
        return NULL;
    }
    e = sock_poller_add(ns->poller, ns->listen_fd, NS_EP_LISTEN, SOCK_POLL_IN);
    if (e != SOCK_OK) {
        snprintf(err, err_cap, "Cannot watch the listening socket: %s.", tcp_strerror(e));
        log_warn("netserver: %s", err);
        netserver_close(ns);
        return NULL;
    }
    ns->listen_mask = SOCK_POLL_IN;
    ns->port = tcp_local_port(ns->listen_fd);
    log_info("netserver: listening on 0.0.0.0:%u (%d players, %d handshakes, %d from one address; outbox "
             "limit %zu bytes, %s)",
             (unsigned)ns->port, cfg.max_players, cfg.handshake_slots, cfg.handshake_per_addr, cfg.outbox_limit,
             sock_poller_kind());
    return ns;
}

uint16_t netserver_port(netserver *ns)
{
    return ns ? ns->port : 0;
}

/* ---- messages ---- */

/* Copies a peer-chosen name for the log with control bytes masked. */
static void ns_log_name(char *dst, size_t cap, const char *src, size_t len)
{
    size_t j = 0;
    for (size_t k = 0; k < len && j + 1 < cap; k++) {
        unsigned char ch = (unsigned char)src[k];
        dst[j++] = (ch < 0x20 || ch == 0x7F) ? '?' : (char)ch;
    }
    dst[j] = '\0';
}

/* Carries out what the session decided about slot i. */
static void ns_apply(netserver *ns, int i, session_action *act)
{
    ns_slot *s = &ns->slots[i];
    switch (act->verdict) {
    case SESSION_NONE:
    case SESSION_IGNORED:
        return;
    case SESSION_HELLO: {
        char name[PROTO_NAME_WIRE_MAX + 1];
        ns_log_name(name, sizeof name, act->msg.u.hello.name, act->msg.u.hello.name_len);
        log_debug("netserver: conn %d (%s) HELLO from '%s'", i, s->c.peer, name);
        s->evented = true;
        ns->owed++;
        ns_push_message(ns, NETSERVER_EV_HELLO, i, &act->msg);
        return;
    }
    case SESSION_DELIVER:
        ns_push_message(ns, NETSERVER_EV_MESSAGE, i, &act->msg);
        return;
    case SESSION_REPLY: {
        if (s->paced && act->reply.type == PROTO_PONG) {
            /* A newer PING replaces one still owed: the peer times each
             * by its own token, so answering the newest loses nothing. */
            s->pong_owed = true;
            s->pong_token = act->reply.u.ping.token;
            s->pong_at_us = ns_clock_us();
            return;
        }
        conn_queue_result r = conn_queue(&s->c, &act->reply);
        if (r != CONN_QUEUED) {
            char why[128];
            snprintf(why, sizeof why, "cannot answer %s: %s", proto_type_name(act->reply.type),
                     conn_queue_result_text(r));
            ns_fail(ns, i, PROTO_BYE_TOO_SLOW, why);
        }
        return;
    }
    case SESSION_CLOSE:
        ns_close_slot(ns, i, act->has_reply ? &act->reply : NULL, act->bye_reason, act->fault,
                      act->why);
        return;
    }
}

/* Reads and handles up to NS_READ_BUDGET messages from slot i. */
void ns_service_reads(netserver *ns, int i, uint64_t now)
{
    ns_slot *s = &ns->slots[i];
    s->backlog = false;
    int msgs = 0;
    session_action act;
    for (int steps = 0; steps < 4 * NS_READ_BUDGET; steps++) {
        if (!s->open || (s->sess.state != SESSION_HANDSHAKE && s->sess.state != SESSION_ACCEPTED))
            return;
        if (msgs >= NS_READ_BUDGET || ns_ev_free(ns) < ns->owed + 2) {
            s->backlog = true; /* more next pump; the rest waits buffered */
            return;
        }
        if (session_next(&s->sess, &s->c, now, &act) != SESSION_NONE) {
            msgs++;
            ns_apply(ns, i, &act);
            continue;
        }
        char why[128];
        switch (conn_read(&s->c, why, sizeof why)) {
        case CONN_IO_OK:
            continue;
        case CONN_IO_IDLE:
            return;
        case CONN_IO_CLOSED:
            session_on_eof(&s->sess, s->c.reader.len > 0, &act);
            ns_apply(ns, i, &act);
            return;
        case CONN_IO_FULL:
            /* A full reader always holds a whole frame, so the session
             * cannot have said NONE; guard the loop anyway. */
            ns_fail(ns, i, PROTO_BYE_PROTOCOL_ERROR, "frame reader full without a frame");
            return;
        case CONN_IO_ERROR:
        default:
            ns_lost(ns, i, why);
            return;
        }
    }
    s->backlog = true;
}

static void ns_check_timeouts(netserver *ns, uint64_t now)
{
    session_action act;
    for (int i = 0; i < ns->nslots; i++) {
        ns_slot *s = &ns->slots[i];
        if (s->open && session_check_time(&s->sess, now, &act) != SESSION_NONE)
            ns_apply(ns, i, &act);
    }
}

/* ---- pump ---- */

/* Queues the PONG a released slot owes, with how long its PING waited.
 * False when that dropped the connection. */
static bool ns_release_pong(netserver *ns, int i)
{
    ns_slot *s = &ns->slots[i];
    if (!s->pong_owed)
        return true;
    s->pong_owed = false;
    uint64_t held = ns_clock_us() - s->pong_at_us;
    proto_msg pong;
    memset(&pong, 0, sizeof pong);
    pong.type = PROTO_PONG;
    pong.u.ping.token = s->pong_token;
    pong.u.ping.held_us = held > UINT32_MAX ? UINT32_MAX : (uint32_t)held;
    conn_queue_result r = conn_queue(&s->c, &pong);
    if (r != CONN_QUEUED) {
        char why[128];
        snprintf(why, sizeof why, "cannot answer PING: %s", conn_queue_result_text(r));
        ns_fail(ns, i, PROTO_BYE_TOO_SLOW, why);
        return false;
    }
    return true;
}

void netserver_pump(netserver *ns, int timeout_ms, uint64_t now_ms)
{
    if (!ns)
        return;
    ns->now_ms = now_ms;
    char why[128];

    /* 1. Write what was queued since the last pump (on a paced
     * connection, only when released). */
    for (int i = 0; i < ns->nslots; i++) {
        ns_slot *s = &ns->slots[i];
        if (s->open && s->paced && s->release && !ns_release_pong(ns, i))
            continue;
        if (s->open && ns_writable(s) && conn_pending(&s->c) > 0 &&
            conn_flush(&s->c, why, sizeof why) != CONN_IO_OK)
            ns_lost(ns, i, why);
        if (s->open) {
            s->draining = s->paced && conn_pending(&s->c) > 0 && ns_writable(s);
            s->release = false;
        }
    }

    /* 2. Bring the interest sets up to date (a syscall only where one
     * changed), then wait for activity. */
    bool hurry = false;
    if (ns->listen_fd != SOCK_NONE) {
        int want = now_ms >= ns->accept_paused_until ? SOCK_POLL_IN : 0;
        int e = ns_watch(ns, ns->listen_fd, NS_EP_LISTEN, &ns->listen_mask, want);
        if (e)
            log_warn("netserver: cannot %s accepts: %s", want ? "resume" : "pause", tcp_strerror(e));
    }
    bool room = ns_ev_free(ns) >= ns->owed + 2;
    for (int i = 0; i < ns->nslots; i++) {
        ns_slot *s = &ns->slots[i];
        if (!s->open)
            continue;
        int e = ns_watch(ns, s->c.fd, (uint64_t)i, &s->ep_mask, ns_want(s));
        if (e) {
            snprintf(why, sizeof why, "cannot watch the socket: %s", tcp_strerror(e));
            ns_lost(ns, i, why);
            continue;
        }
        if (s->backlog && s->sess.state != SESSION_PENDING && room)
            hurry = true;
    }
    int wait = hurry ? 0 : (timeout_ms < 0 ? 0 : timeout_ms);
    int werr;
    int ready = sock_poller_wait(ns->poller, ns->ready, ns->nslots + 1, wait, &werr);
    if (ready < 0) {
        if (werr != SOCK_ERR_INTR)
            log_warn("netserver: waiting for the network failed: %s", tcp_strerror(werr));
        ready = 0;
    }
    bool accept_ready = false;
    for (int k = 0; k < ready; k++) {
        uint64_t tag = ns->ready[k].tag;
        if (tag == NS_EP_LISTEN)
            accept_ready = (ns->ready[k].revents & SOCK_POLL_IN) != 0;
        else if (tag < (uint64_t)ns->nslots)
            ns->slots[tag].ep_ready = ns->ready[k].revents;
    }

    /* 3. New connections. */
    if (accept_ready)
        ns_accept_all(ns, now_ms);

    /* 4. Reads (budgeted) and writes. */
    for (int i = 0; i < ns->nslots; i++) {
        ns_slot *s = &ns->slots[i];
        int re = s->ep_ready;
        s->ep_ready = 0;
        if (!s->open)
            continue;
        if (s->sess.state == SESSION_PENDING && (re & (SOCK_POLL_ERR | SOCK_POLL_HUP))) {
            ns_lost(ns, i, "connection lost while waiting for acceptance");
            continue;
        }
        if ((re & (SOCK_POLL_IN | SOCK_POLL_ERR | SOCK_POLL_HUP)) || s->backlog)
            ns_service_reads(ns, i, now_ms);
        if (s->open && conn_pending(&s->c) > 0 && (re & SOCK_POLL_OUT) && ns_writable(s) &&
            conn_flush(&s->c, why, sizeof why) != CONN_IO_OK)
            ns_lost(ns, i, why);
        if (s->open && s->draining && conn_pending(&s->c) == 0)
            s->draining = false;
    }

    /* 5. Timeouts. */
    ns_check_timeouts(ns, now_ms);
}

/* ---- game calls ---- */

static bool ns_valid(netserver *ns, int i, const char *fn)
{
    if (!ns || i < 0 || i >= ns->nslots || !ns->slots[i].open) {
        log_debug("netserver: %s: conn %d is not open", fn, i);
        return false;
    }
    return true;
}

void netserver_accept(netserver *ns, int i)
{
    if (!ns_valid(ns, i, "netserver_accept"))
        return;
    ns_slot *s = &ns->slots[i];
    if (s->sess.state != SESSION_PENDING) {
        log_warn("netserver: netserver_accept: conn %d is not waiting for a decision", i);
        return;
    }
    if (ns->accepted >= ns->cfg.max_players) {
        log_warn("netserver: netserver_accept: conn %d would be player %d of %d; refused as full", i,
                 ns->accepted + 1, ns->cfg.max_players);
        netserver_reject(ns, i, PROTO_REJECT_FULL);
        return;
    }
    session_accept(&s->sess, ns->now_ms);
    s->held = false;
    s->player = true;
    ns->accepted++;
    s->backlog = true; /* input that arrived after HELLO is still buffered */
    log_info("netserver: conn %d (%s) accepted", i, s->c.peer);
}

void netserver_reject(netserver *ns, int i, uint8_t reject_reason)
{
    if (!ns_valid(ns, i, "netserver_reject"))
        return;
    session_action act;
    session_reject(&ns->slots[i].sess, reject_reason, &act);
    ns_apply(ns, i, &act);
}

void netserver_reject_quietly(netserver *ns, int i, uint8_t reject_reason)
{
    if (!ns_valid(ns, i, "netserver_reject_quietly"))
        return;
    ns->slots[i].quiet = true;
    netserver_reject(ns, i, reject_reason);
}

void netserver_hold(netserver *ns, int i)
{
    if (!ns_valid(ns, i, "netserver_hold"))
        return;
    ns_slot *s = &ns->slots[i];
    if (s->sess.state == SESSION_PENDING)
        s->held = true;
}

const char *netserver_peer_addr(netserver *ns, int i)
{
    if (!ns || i < 0 || i >= ns->nslots || !ns->slots[i].open)
        return "";
    return ns->slots[i].addr;
}

/* Slot i if the game may send to it now, else NULL (logged). */
static ns_slot *ns_sendable(netserver *ns, int i, uint8_t type)
{
    if (!ns_valid(ns, i, "netserver_send"))
        return NULL;
    ns_slot *s = &ns->slots[i];
    if (s->sess.state != SESSION_ACCEPTED) {
        log_debug("netserver: netserver_send: conn %d is not accepted; %s not sent", i, proto_type_name(type));
        return NULL;
    }
    return s;
}

/* What a queueing attempt means for the connection. */
static bool ns_queued(netserver *ns, int i, uint8_t type, conn_queue_result r)
{
    ns_slot *s = &ns->slots[i];
    if (r == CONN_QUEUED)
        return true;
    if (r == CONN_QUEUE_BAD_MSG) {
        log_warn("netserver: conn %d: %s could not be encoded; not sent", i, proto_type_name(type));
        return false;
    }
    char why[128];
    snprintf(why, sizeof why, "too slow: %s (%zu bytes waiting, limit %zu)",
             conn_queue_result_text(r), conn_pending(&s->c), s->c.out_limit);
    ns_fail(ns, i, PROTO_BYE_TOO_SLOW, why);
    return false;
}

bool netserver_send(netserver *ns, int i, const proto_msg *msg)
{
    ns_slot *s = ns_sendable(ns, i, msg->type);
    return s && ns_queued(ns, i, msg->type, conn_queue(&s->c, msg));
}

bool netserver_send_parts(netserver *ns, int i, const uint8_t *head, size_t head_len, const uint8_t *tail,
                          size_t tail_len)
{
    uint8_t type = head_len ? head[0] : 0;
    ns_slot *s = ns_sendable(ns, i, type);
    return s && ns_queued(ns, i, type, conn_queue_parts(&s->c, head, head_len, tail, tail_len));
}

void netserver_pace(netserver *ns, int i, bool paced)
{
    if (!ns_valid(ns, i, "netserver_pace"))
        return;
    ns_slot *s = &ns->slots[i];
    if (s->paced && !paced) {
        s->release = true; /* what it holds goes at the next pump */
        if (!ns_release_pong(ns, i))
            return;
    }
    s->paced = paced;
}

void netserver_release(netserver *ns, int i)
{
    if (ns_valid(ns, i, "netserver_release"))
        ns->slots[i].release = true;
}

void netserver_drop(netserver *ns, int i, uint8_t bye_reason, const char *why)
{
    if (!ns_valid(ns, i, "netserver_drop"))
        return;
    char text[128];
    snprintf(text, sizeof text, "dropped by the game: %s", why ? why : proto_bye_text(bye_reason));
    proto_msg bye = proto_make_goodbye(bye_reason);
    ns_close_slot(ns, i, &bye, bye_reason, true, text);
}

bool netserver_peer(netserver *ns, int id, uint32_t *addr, uint16_t *port)
{
    if (!ns || id < 0 || id >= ns->nslots || !ns->slots[id].open)
        return false;
    return tcp_peer_addr(ns->slots[id].c.fd, addr, port);
}

netserver_stats netserver_get_stats(netserver *ns)
{
    netserver_stats st;
    memset(&st, 0, sizeof st);
    if (!ns)
        return st;
    st = ns->closed;
    st.connections = 0;
    for (int i = 0; i < ns->nslots; i++) {
        if (!ns->slots[i].open)
            continue;
        ns_add_counters(&st, &ns->slots[i].c);
        st.connections++;
    }
    return st;
}

bool netserver_link_info(netserver *ns, int i, netserver_link *out)
{
    memset(out, 0, sizeof *out);
    if (!ns || i < 0 || i >= ns->nslots || !ns->slots[i].open)
        return false;
    const conn *c = &ns->slots[i].c;
    out->outbox = conn_pending(c);
    out->unacked = tcp_unacked_bytes(c->fd);
    out->bytes_out = c->bytes_out;
    return true;
}

/* ---- close ---- */

static uint64_t ns_clock_ms(void)
{
    return SDL_GetTicks64();
}

/* GOODBYE(HOST_ENDED) to everyone, then a close that lets it arrive: write
 * it, send FIN, and wait (at most NS_CLOSE_FLUSH_MS in all) for the peer's
 * own close, so no unread input turns our close into an RST. */
void netserver_close(netserver *ns)
{
    if (!ns)
        return;
    if (ns->slots) {
        proto_msg bye = proto_make_goodbye(PROTO_BYE_HOST_ENDED);
        int open = 0;
        for (int i = 0; i < ns->nslots; i++) {
            ns_slot *s = &ns->slots[i];
            if (!s->open)
                continue;
            if (conn_queue_last(&s->c, &bye) != CONN_QUEUED)
                log_debug("netserver: conn %d: no room for GOODBYE", i);
            open++;
        }
        /* The drain waits on the same poller; no accepts now. */
        if (ns->listen_fd != SOCK_NONE)
            (void)ns_watch(ns, ns->listen_fd, NS_EP_LISTEN, &ns->listen_mask, 0);
        uint64_t deadline = ns_clock_ms() + NS_CLOSE_FLUSH_MS;
        while (open > 0) {
            int waiting = 0;
            for (int i = 0; i < ns->nslots; i++) {
                ns_slot *s = &ns->slots[i];
                if (!s->open)
                    continue;
                char why[96];
                if (conn_pending(&s->c) > 0 && conn_flush(&s->c, why, sizeof why) != CONN_IO_OK) {
                    ns_close_slot(ns, i, NULL, PROTO_BYE_HOST_ENDED, false, "server closing");
                    continue;
                }
                if (conn_pending(&s->c) == 0 && !s->wr_shut) {
                    (void)sock_shutdown_write(s->c.fd);
                    s->wr_shut = true;
                }
                if (s->wr_shut) {
                    /* Discard input until the peer's EOF. */
                    uint8_t scratch[4096];
                    ptrdiff_t n;
                    int reads = 0, e = SOCK_OK;
                    while ((n = sock_recv(s->c.fd, scratch, sizeof scratch, &e)) > 0 && ++reads < 16) {
                    }
                    if (n == 0 || (n < 0 && e != SOCK_ERR_AGAIN && e != SOCK_ERR_INTR)) {
                        ns_close_slot(ns, i, NULL, PROTO_BYE_HOST_ENDED, false, "server closing");
                        continue;
                    }
                }
                int want = SOCK_POLL_IN | (s->wr_shut ? 0 : SOCK_POLL_OUT);
                if (ns_watch(ns, s->c.fd, (uint64_t)i, &s->ep_mask, want) != 0) {
                    ns_close_slot(ns, i, NULL, PROTO_BYE_HOST_ENDED, false, "server closing");
                    continue;
                }
                waiting++;
            }
            open = waiting;
            uint64_t now = ns_clock_ms();
            if (open == 0 || now >= deadline)
                break;
            int werr;
            (void)sock_poller_wait(ns->poller, ns->ready, ns->nslots + 1, (int)(deadline - now), &werr);
        }
        for (int i = 0; i < ns->nslots; i++)
            ns_close_slot(ns, i, NULL, PROTO_BYE_HOST_ENDED, false, "server closing");
    }
    if (ns->listen_fd != SOCK_NONE) {
        if (ns->poller)
            sock_poller_del(ns->poller, ns->listen_fd);
        tcp_close(ns->listen_fd);
        log_info("netserver: port %u closed (%llu connections refused as full)", (unsigned)ns->port,
                 (unsigned long long)ns->refused);
    }
    sock_poller_destroy(ns->poller);
    if (ns->sock_started)
        sock_cleanup();
    free(ns->slots);
    free(ns->ready);
    free(ns->events);
    free(ns->pool_scratch);
    free(ns);
}
