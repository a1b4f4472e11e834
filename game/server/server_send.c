/* server_send: what the server thread sends its players (server_internal.h). */
#include "server_internal.h"

#include <SDL.h>
#include <string.h>

#include "log.h"
#include "simwire.h"

proto_msg server_send_joined_msg(const server *s, int id)
{
    proto_msg m = {.type = PROTO_PLAYER_JOINED};
    m.u.joined.id = (uint8_t)id;
    m.u.joined.colour = s->players[id].colour;
    size_t n = strlen(s->players[id].name);
    memcpy(m.u.joined.name, s->players[id].name, n + 1);
    m.u.joined.name_len = (uint8_t)n;
    m.u.joined.proof = proto_token_proof(s->players[id].token);
    return m;
}

void server_send_all(server *s, const proto_msg *m, int except_id)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->players[i].used && i != except_id)
            netserver_send(s->net, s->players[i].conn, m);
}

proto_msg server_send_match_msg(const server *s)
{
    proto_msg msg = {.type = PROTO_MATCH};
    msg.u.match = simwire_match_to_wire(&s->world.match);
    return msg;
}

/* Tells everyone how the player list changed since the last batch: a
 * LEFT for each slot whose announced player is gone, a JOINED for each
 * player not yet announced (or renamed), then everyone's PLAYER_INFO. */
void server_send_announce(server *s)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        server_announced *a = &s->announced[i];
        const server_player *p = &s->players[i];
        if (a->present && !(p->used && p->gen == a->gen)) {
            proto_msg m = {.type = PROTO_PLAYER_LEFT};
            m.u.left.id = (uint8_t)i;
            m.u.left.reason = s->left_reason[i];
            server_send_all(s, &m, -1);
            a->present = false;
            s->info_dirty = true;
        }
        if (p->used && (!a->present || a->colour != p->colour || strcmp(a->name, p->name) != 0)) {
            proto_msg j = server_send_joined_msg(s, i);
            server_send_all(s, &j, -1);
            a->present = true;
            a->gen = p->gen;
            a->colour = p->colour;
            SDL_strlcpy(a->name, p->name, sizeof a->name);
            s->info_dirty = true;
        }
    }
    if (s->info_dirty)
        server_send_info(s);
    s->info_dirty = false;
}

/* A CHAT from the host itself, to one player. */
void server_send_notice(server *s, const server_player *p, const char *text)
{
    proto_msg m = {.type = PROTO_CHAT};
    m.u.chat.from = PROTO_CHAT_FROM_HOST;
    m.u.chat.text_len = (uint8_t)SDL_strlcpy(m.u.chat.text, text, sizeof m.u.chat.text);
    netserver_send(s->net, p->conn, &m);
}

/* Everyone's ping and the host mark, to everyone. */
void server_send_info(server *s)
{
    uint64_t now_ms = SDL_GetTicks64();
    proto_msg m = {.type = PROTO_PLAYER_INFO};
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const server_player *p = &s->players[i];
        if (!p->used)
            continue;
        proto_player_info_entry *e = &m.u.info.entries[m.u.info.count++];
        e->id = (uint8_t)i;
        e->ping_ms = p->rtt_ms <= 0.0f ? PROTO_PING_UNKNOWN
                     : p->rtt_ms >= PROTO_PING_UNKNOWN - 1 ? PROTO_PING_UNKNOWN - 1
                                                          : (uint16_t)(p->rtt_ms + 0.5f);
        e->flags = (uint8_t)((p->host ? PROTO_PF_HOST : 0) |
                             (now_ms - p->heard_ms > SERVER_SILENT_MS ? PROTO_PF_SILENT : 0));
    }
    server_send_all(s, &m, -1);
}

/* Who takes over if this host goes, to everyone. */
void server_send_plan(server *s, uint8_t flags)
{
    migrate_candidate *cand = s->candidates;
    uint64_t now_ms = SDL_GetTicks64();
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const server_player *p = &s->players[i];
        if (p->used)
            cand[n++] = (migrate_candidate){.id = (uint8_t)i, .joined = p->joined, .addr = p->addr,
                                            .in_process = p->in_process,
                                            .silent = now_ms - p->heard_ms > SERVER_SILENT_MS};
    }
    proto_msg m = {.type = PROTO_HOST_PLAN};
    m.u.plan.flags = flags;
    m.u.plan.port = s->port;
    migrate_order(cand, n, &m.u.plan);
    server_send_all(s, &m, -1);
    s->plan_due = false;
}

/* The base for p: the tick it acknowledged, if that tick was sent to p and
 * the world of then is still in the ring. NULL: p gets a full snapshot. */
static const proto_snapshot *server_base_for(const server *s, const server_player *p, uint32_t now,
                                             uint32_t *base_ack_seq)
{
    if (s->cfg.no_delta || !p->has_ack)
        return NULL;
    uint32_t age = now - p->ack_tick;
    if (age == 0 || age >= DELTA_WINDOW)
        return NULL;
    const server_sent *sent = &p->sent[p->ack_tick % DELTA_WINDOW];
    const proto_snapshot *base = &s->ring[p->ack_tick % DELTA_WINDOW];
    if (!sent->valid || sent->tick != p->ack_tick || base->tick != p->ack_tick)
        return NULL;
    *base_ack_seq = sent->ack_seq;
    return base;
}

/* This tick's delta from base, made once however many clients share it. */
static server_delta_cache *server_delta_from(server *s, const proto_snapshot *base, const proto_snapshot *cur)
{
    for (int i = 0; i < s->cache_len; i++)
        if (s->cache[i].base_tick == base->tick)
            return &s->cache[i];
    /* Full: reuse the last slot; a fifth distinct base in one tick is rare. */
    server_delta_cache *c = &s->cache[s->cache_len < SERVER_DELTA_CACHE ? s->cache_len++ : SERVER_DELTA_CACHE - 1];
    c->base_tick = base->tick;
    c->same_world = delta_same_world(base, cur);
    c->full_is_smaller = false;
    if (!c->same_world) {
        c->msg.type = PROTO_SNAPSHOT_DELTA;
        c->tail_len = 0;
        if (delta_make(base, cur, &c->msg.u.delta))
            c->tail_len = proto_encode_delta_tail(&c->msg.u.delta, c->tail, sizeof c->tail);
        /* 7: the head's size with a one-byte ack varint, the usual case. */
        c->full_is_smaller = c->tail_len == 0 || c->tail_len + 7 >= PROTO_SNAPSHOT_SIZE(cur->player_count, cur->gem_count);
    }
    return c;
}

/* Sends p this tick's snapshot in the cheapest form that lets it rebuild
 * the world exactly. False only when the connection was dropped. */
bool server_send_snapshot(server *s, server_player *p, const proto_snapshot *cur)
{
    uint32_t base_ack = 0;
    const proto_snapshot *base = server_base_for(s, p, cur->tick, &base_ack);
    proto_msg *m = NULL;
    const server_delta_cache *delta = NULL;
    if (base) {
        server_delta_cache *c = server_delta_from(s, base, cur);
        if (c->same_world) {
            if (cur->tick - p->last_sent_tick < SERVER_KEEPALIVE_TICKS)
                return true; /* nothing new to say yet */
            m = &s->keepalive;
            m->type = PROTO_KEEPALIVE;
            m->u.keepalive.tick = cur->tick;
            m->u.keepalive.base_age = (uint8_t)(cur->tick - base->tick);
            m->u.keepalive.ack_seq = p->last_seq;
        } else if (!c->full_is_smaller) {
            delta = c;
        }
    }
    if (delta) {
        uint8_t head[PROTO_DELTA_HEAD_MAX];
        size_t n = proto_encode_delta_head(cur->tick, delta->msg.u.delta.base_age, p->last_seq - base_ack, head,
                                           sizeof head);
        if (!netserver_send_parts(s->net, p->conn, head, n, delta->tail, delta->tail_len))
            return false;
    } else if (!m) {
        m = &s->scratch;
        if (!s->scratch_ready) {
            m->type = PROTO_SNAPSHOT;
            m->u.snapshot = *cur;
            s->scratch_ready = true;
        }
        m->u.snapshot.ack_seq = p->last_seq;
    }
    if (m && !netserver_send(s->net, p->conn, m))
        return false;
    p->sent[cur->tick % DELTA_WINDOW] =
        (server_sent){.tick = cur->tick, .ack_seq = p->last_seq, .valid = true, .at_us = server_now_us()};
    p->last_sent_tick = cur->tick;
    p->snapshots_sent++;
    if (delta)
        s->delta_sent++;
    else if (m->type == PROTO_SNAPSHOT)
        s->full_sent++;
    else
        s->keepalive_sent++;
    return true;
}

/* Looks at p's link and moves its rate (rate.h); announces a change with
 * a RATE. False when p was dropped: even the lowest rate does not get
 * through. */
bool server_send_adapt_rate(server *s, server_player *p, uint64_t now_ms)
{
    if (now_ms - p->link_at_ms < RATE_EVAL_MS)
        return true;
    netserver_link link;
    if (!netserver_link_info(s->net, p->conn, &link))
        return true;
    double secs = (double)(now_ms - p->link_at_ms) / 1000.0;
    float per_s = (float)((double)(link.bytes_out - p->link_bytes_out) / secs);
    p->sent_per_s = p->sent_per_s == 0.0f ? per_s : p->sent_per_s + 0.25f * (per_s - p->sent_per_s);
    p->link_bytes_out = link.bytes_out;
    p->link_at_ms = now_ms;
    size_t backlog = link.outbox + link.unacked;
    rate_link rl = {.backlog_bytes = backlog > UINT32_MAX ? UINT32_MAX : (uint32_t)backlog,
                    .sent_per_s = (uint32_t)p->sent_per_s,
                    .rtt_ms = p->rtt_ms};
    int hz = rate_update(&p->rate, &rl, now_ms);
    if (rate_hopeless(&p->rate)) {
        char why[128];
        SDL_snprintf(why, sizeof why, "too slow: even %d snapshots a second do not get through (%zu bytes waiting)",
                     hz, backlog);
        netserver_drop(s->net, p->conn, PROTO_BYE_TOO_SLOW, why);
        return false;
    }
    if (hz != p->hz) {
        log_info("server: '%s' now gets %d snapshots a second (was %d; %zu bytes waiting, round trip %.0f ms)",
                 p->name, hz, p->hz, backlog, (double)p->rtt_ms);
        p->hz = hz;
        proto_msg m = {.type = PROTO_RATE};
        m.u.rate.snapshot_hz = (uint8_t)hz;
        return netserver_send(s->net, p->conn, &m);
    }
    return true;
}

/* Whether p's next snapshot is due at tick (rate_due at p's rate). It
 * waits while the link is full: more bytes in p's outbox and
 * unacknowledged in the kernel than SERVER_BACKLOG_MS of what p's link
 * has carried (and SERVER_BACKLOG_MIN bytes). A few snapshots in the
 * outbox are normal: ticks that catch up after a late wake-up queue one
 * each before the next pump writes them. A snapshot queued behind
 * them would arrive old, its acknowledgement later still, so the deltas
 * after it would be coded against older bases and grow; skipped, the
 * next one goes out fresh as soon as the link has room, while rate.c
 * brings the rate down to what the link carries. */
bool server_send_due(const server *s, server_player *p, uint32_t tick)
{
    if (!rate_due(p->hz, SIM_TICK_HZ, tick, p->last_sent_tick))
        return false;
    netserver_link link;
    if (p->last_sent_tick == 0 || !netserver_link_info(s->net, p->conn, &link))
        return true;
    size_t room = (size_t)(p->sent_per_s * SERVER_BACKLOG_MS / 1000.0f);
    if (room < SERVER_BACKLOG_MIN)
        room = SERVER_BACKLOG_MIN;
    if (link.outbox + link.unacked > room) {
        p->snapshots_skipped++;
        return false;
    }
    return true;
}
