/*
 * netserver_accept: new connections. Each gets a slot, a place in the
 * poller and its first read at once. The handshake pool (netserver.h)
 * bounds the connections still waiting for a decision: a newcomer
 * displaces the oldest of its own address's when that address is at its
 * cap, else, with the pool full, the oldest of the address with the most
 * waiting (never a trusted one), so a flood of silent connections never
 * locks honest players out. See netserver.c for the rest of the
 * transport.
 */
#include "netserver_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "log.h"
#include "proto.h"

/* No room even after eviction: one non-blocking REJECT(FULL) and close.
 * The connection never had a slot, so there is no event. */
static void ns_refuse_full(netserver *ns, sock_t fd, const char *peer)
{
    proto_msg rej = proto_make_reject(PROTO_REJECT_FULL);
    uint8_t payload[16], frame[32];
    size_t n = proto_encode(&rej, payload, sizeof payload);
    size_t f = n ? frame_write(frame, sizeof frame, payload, n) : 0;
    int e;
    ptrdiff_t sent = f ? sock_send(fd, frame, f, &e) : -1;
    ns->refused++;
    log_info("netserver: refused %s: server full (%d players, %d connections)%s", peer, ns->accepted,
             ns->open_count, sent == (ptrdiff_t)f ? "" : "; REJECT could not be sent");
    tcp_drain(fd, 64 * 1024);
    tcp_close(fd);
}

/* ---- the handshake pool ---- */

/* Waiting for a decision the game is not about to make: no HELLO yet, or
 * a HELLO the game holds. */
static bool ns_in_pool(const ns_slot *s)
{
    return s->open && (s->sess.state == SESSION_HANDSHAKE || (s->sess.state == SESSION_PENDING && s->held));
}

/* Which waiting connection a newcomer from addr displaces: the oldest of
 * addr's own when addr is at its cap, else, when the pool is full, the
 * oldest of the address with the most (trusted ones never). -1: there is
 * room without closing anything; -2: no room, and nothing may go. */
static int ns_pool_victim(netserver *ns, const char *addr, bool trusted)
{
    int *pool = ns->pool_scratch, n = 0, mine = 0;
    for (int i = 0; i < ns->nslots; i++) {
        if (!ns_in_pool(&ns->slots[i]))
            continue;
        pool[n++] = i;
        mine += !trusted && strcmp(ns->slots[i].addr, addr) == 0;
    }
    bool addr_full = !trusted && mine >= ns->cfg.handshake_per_addr;
    if (!addr_full && n < ns->cfg.handshake_slots)
        return -1;
    int victim = -2, victim_count = 0;
    for (int k = 0; k < n; k++) {
        const ns_slot *s = &ns->slots[pool[k]];
        if (s->trusted || (addr_full && strcmp(s->addr, addr) != 0))
            continue;
        int count = 0;
        for (int j = 0; j < n; j++)
            count += strcmp(ns->slots[pool[j]].addr, s->addr) == 0;
        if (victim < 0 || count > victim_count ||
            (count == victim_count && s->sess.opened_ms < ns->slots[victim].sess.opened_ms)) {
            victim = pool[k];
            victim_count = count;
        }
    }
    return victim;
}

/* Closes a waiting connection for a newcomer, with REJECT(FULL): the
 * server had no room for it to wait. */
static void ns_evict(netserver *ns, int i, const char *newcomer)
{
    proto_msg rej = proto_make_reject(PROTO_REJECT_FULL);
    char why[128], addr[TCP_ADDR_TEXT_MAX];
    snprintf(why, sizeof why, "evicted for %s: the handshake pool is full (%d, at most %d from one address)",
             newcomer, ns->cfg.handshake_slots, ns->cfg.handshake_per_addr);
    memcpy(addr, ns->slots[i].addr, sizeof addr);
    /* One line per eviction only at debug level: a flood would fill the
     * log. A summary at most every NS_EVICT_LOG_MS instead. */
    ns->slots[i].quiet = true;
    ns_close_slot(ns, i, &rej, PROTO_BYE_KICKED, false, why);
    ns->evicted_unlogged++;
    if (ns->now_ms >= ns->evict_log_at) {
        log_info("netserver: handshake pool full: %llu waiting connection%s closed for newcomers (the latest from "
                 "%s) since the last such line",
                 (unsigned long long)ns->evicted_unlogged, ns->evicted_unlogged == 1 ? "" : "s", addr);
        ns->evicted_unlogged = 0;
        ns->evict_log_at = ns->now_ms + NS_EVICT_LOG_MS;
    }
}

/* "a.b.c.d:port" -> "a.b.c.d" */
static void ns_addr_of(const char *peer, char *addr, size_t cap)
{
    snprintf(addr, cap, "%s", peer);
    char *colon = strrchr(addr, ':');
    if (colon)
        *colon = '\0';
}

void ns_accept_all(netserver *ns, uint64_t now)
{
    for (int n = 0; n < NS_ACCEPT_BUDGET; n++) {
        char peer[TCP_ADDR_TEXT_MAX];
        int err = 0;
        sock_t fd = tcp_accept(ns->listen_fd, peer, sizeof peer, &err);
        if (fd == SOCK_NONE) {
            if (err == SOCK_ERR_AGAIN)
                return;
            if (err == SOCK_ERR_INTR || err == SOCK_ERR_ABORTED || err == SOCK_ERR_PROTO ||
                err == SOCK_ERR_RESET)
                continue;
            /* Out of descriptors or memory: the listener stays readable,
             * so pause it instead of spinning on it. */
            log_warn("netserver: cannot accept a connection: %s; pausing accepts for %d ms",
                     tcp_strerror(err), NS_ACCEPT_PAUSE_MS);
            ns->accept_paused_until = now + NS_ACCEPT_PAUSE_MS;
            return;
        }
        char addr[TCP_ADDR_TEXT_MAX];
        ns_addr_of(peer, addr, sizeof addr);
        bool trusted = false;
        for (int k = 0; k < NETSERVER_TRUSTED; k++)
            trusted |= ns->cfg.trusted_addr[k][0] && strcmp(addr, ns->cfg.trusted_addr[k]) == 0;
        int victim = ns_pool_victim(ns, addr, trusted);
        if (victim >= 0)
            ns_evict(ns, victim, peer);
        /* A trusted newcomer may wait beyond the pool while slots last. */
        if ((victim == -2 && !trusted) || ns->open_count >= ns->nslots) {
            ns_refuse_full(ns, fd, peer);
            continue;
        }
        int i = ns->next_slot;
        for (int k = 0; k < ns->nslots && ns->slots[i].open; k++)
            i = (i + 1) % ns->nslots;
        /* A new session is HANDSHAKE with an empty outbox: input only. */
        int e = sock_poller_add(ns->poller, fd, (uint64_t)i, SOCK_POLL_IN);
        if (e != SOCK_OK) {
            log_warn("netserver: cannot watch %s: %s; closed it, pausing accepts for %d ms", peer,
                     tcp_strerror(e), NS_ACCEPT_PAUSE_MS);
            tcp_close(fd);
            ns->accept_paused_until = now + NS_ACCEPT_PAUSE_MS;
            return;
        }
        ns->next_slot = (i + 1) % ns->nslots;
        ns_slot *s = &ns->slots[i];
        s->ep_mask = SOCK_POLL_IN;
        s->ep_ready = 0;
        tcp_set_send_buffer(fd, NS_SOCKET_SNDBUF);
        conn_init(&s->c, fd, peer, ns->cfg.outbox_limit);
        session_limits lim = {.handshake_timeout_ms = ns->cfg.handshake_timeout_ms,
                              .silence_timeout_ms = ns->cfg.silence_timeout_ms};
        session_init(&s->sess, &lim, now);
        s->open = true;
        s->evented = false;
        s->backlog = true; /* its HELLO may already be here */
        s->wr_shut = false;
        s->held = false;
        s->quiet = false;
        s->paced = s->release = s->draining = s->pong_owed = false;
        s->trusted = trusted;
        memcpy(s->addr, addr, sizeof s->addr);
        ns->open_count++;
        log_debug("netserver: conn %d (%s) connected (%d open)", i, peer, ns->open_count);
        /* A HELLO already here leaves the pool before the next newcomer
         * is weighed, so a burst of honest joins evicts none of its own. */
        ns_service_reads(ns, i, now);
    }
}

