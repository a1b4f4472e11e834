#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_netcode.h"
#include "delta.h"
#include "log.h"
#include "rejoin.h"
#include "simwire.h"

#define CLIENT_TICK_US (1000000 / SIM_TICK_HZ)
/* Earlier inputs an INPUT repeats beyond those made since the last one. */
#define CLIENT_INPUT_REDUNDANT 2
#define CLIENT_INPUT_RING (PROTO_INPUT_HISTORY + 1)
#define CLIENT_INPUT_AFTER_US 20000

/* Snapshots rebuilt from the wire, by tick % DELTA_WINDOW: the bases the
 * server's deltas refer to. The server only uses a base less than
 * DELTA_WINDOW ticks old that we acknowledged, so it is always here. */
typedef struct {
    proto_snapshot snaps[DELTA_WINDOW];
    bool valid[DELTA_WINDOW];
    uint32_t newest; /* tick of the newest rebuilt snapshot; 0: none yet */
    proto_snapshot scratch;
} client_baselines;

struct client {
    netclient *net;
    client_phase phase;
    char why[160];
    client_view view;
    uint32_t input_seq;
    uint64_t next_input_us;
    /* per-second stats */
    uint64_t window_start_us;
    uint32_t snapshots_in_window;
    uint64_t window_bytes_in, window_bytes_out;
    client_stats stats;
    client_baselines base;
    uint8_t last_sent_buttons;
    uint32_t last_sent_seq, last_sent_ack;
    uint32_t last_pressed_seq; /* newest sent input with a button down */
    int rate_hz;               /* snapshots a second the host sends us (RATE) */
    uint32_t last_due_seq;     /* the input at the last send point, sent or not */
    uint8_t input_ring[CLIENT_INPUT_RING]; /* buttons by seq % CLIENT_INPUT_RING */
    uint32_t view_ring[CLIENT_INPUT_RING]; /* the tick x4 others were drawn at, same index; 0: none */
    bool pressed_since_send;   /* a button was down in an input not yet sent */
    bool snapshot_since_send;  /* a snapshot arrived since the last send point */
    uint64_t snapshot_at_us;   /* when the first of them arrived */
    client_netcode_state nc;
    client_chat chat[CLIENT_CHAT_QUEUE]; /* ring of received chat */
    int chat_head, chat_count;
    uint8_t reject_reason;
    uint8_t bye_reason; /* the host's GOODBYE, 0 before one */
    /* Surviving the network (client.h). */
    netclient_config cfg;     /* as created: dials copy it */
    client_netcode opts;
    client_recovery recovery;
    bool welcomed;            /* a WELCOME came on some connection */
    bool plan_now;            /* the host said PROTO_PLAN_NOW */
    rejoin_state rejoin;
    rejoin_target dial_target;
    bool dial_new_host;       /* the dial is to a host other than the lost
                               * one (or to its address, once it is known
                               * gone: a successor on the same machine) */
    char dial_addr[300];      /* "ADDR:PORT" being dialled */
    char host_addr[300];      /* "ADDR:PORT" of the host we play on */
    bool host_asked;          /* client_host_request is true */
    uint16_t host_port;
    bool hosting;
    uint32_t migrations;
    bool announce_host;       /* after a migration: say who hosts now */
    client_event events[CLIENT_EVENT_QUEUE]; /* ring */
    int ev_head, ev_count;
    uint8_t my_dash; /* the predicted dash counter, to hear our own dash start */
};

static void client_push_event(client *c, const client_event *e)
{
    int slot = (c->ev_head + c->ev_count) % CLIENT_EVENT_QUEUE;
    if (c->ev_count == CLIENT_EVENT_QUEUE)
        c->ev_head = (c->ev_head + 1) % CLIENT_EVENT_QUEUE; /* drop the oldest */
    else
        c->ev_count++;
    c->events[slot] = *e;
}

bool client_next_event(client *c, client_event *out)
{
    if (c->ev_count == 0)
        return false;
    *out = c->events[c->ev_head];
    c->ev_head = (c->ev_head + 1) % CLIENT_EVENT_QUEUE;
    c->ev_count--;
    return true;
}

uint32_t client_match_seconds_left(const client_view *v, uint64_t now_us)
{
    const client_match *m = &v->match;
    if (!m->known || m->left == 0)
        return 0;
    uint64_t gone = now_us > m->at_us ? (now_us - m->at_us) * SIM_TICK_HZ / 1000000 : 0;
    uint64_t left = gone >= m->left ? 0 : m->left - gone;
    return (uint32_t)((left + SIM_TICK_HZ - 1) / SIM_TICK_HZ);
}

int client_my_score(const client_view *v)
{
    if (v->my_id < 0 || v->my_id >= SIM_MAX_PLAYERS || !v->players[v->my_id].seen)
        return 0;
    return v->players[v->my_id].state.score;
}

client_netcode client_default_netcode(void)
{
    return (client_netcode){.predict = true, .interp = true};
}

client *client_create(const netclient_config *cfg, uint64_t now_us)
{
    return client_create_with(cfg, NULL, now_us);
}

/* The first failure is the one the player reads: later ones (the
 * connection closing because of it, say) do not replace it. */
static void client_fail(client *c, const char *why)
{
    if (c->phase == CLIENT_FAILED || c->phase == CLIENT_ENDED)
        return;
    c->phase = CLIENT_FAILED;
    snprintf(c->why, sizeof c->why, "%s", why);
    log_info("client: %s", c->why);
}

client *client_create_detached(const client_netcode *opts, uint64_t now_us)
{
    client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->opts = opts ? *opts : client_default_netcode();
    client_netcode_init(&c->nc, c->opts, now_us);
    c->view.my_id = -1;
    c->rate_hz = SIM_TICK_HZ;
    c->window_start_us = now_us;
    c->cfg = netclient_default_config();
    c->recovery = client_default_recovery();
    return c;
}

client *client_create_with(const netclient_config *cfg, const client_netcode *opts, uint64_t now_us)
{
    client *c = client_create_detached(opts, now_us);
    if (!c)
        return NULL;
    if (cfg)
        c->cfg = *cfg;
    snprintf(c->host_addr, sizeof c->host_addr, "%.255s:%u", c->cfg.host, (unsigned)c->cfg.port);
    c->net = netclient_start(&c->cfg);
    if (!c->net)
        client_fail(c, "Could not start the network thread.");
    return c;
}

static void client_apply_snapshot(client *c, const proto_snapshot *s)
{
    client_view *v = &c->view;
    /* TCP keeps order, so an older tick can only come from a confused
     * server; ignore it rather than jump back. */
    if (s->tick < v->server_tick && v->server_tick != 0)
        return;
    v->server_tick = s->tick;
    v->ack_seq = s->ack_seq;
    bool in_snap[SIM_MAX_PLAYERS] = {0};
    for (int i = 0; i < s->player_count; i++) {
        const proto_player_state *ps = &s->players[i];
        if (ps->id >= SIM_MAX_PLAYERS)
            continue;
        client_player *p = &v->players[ps->id];
        in_snap[ps->id] = true;
        p->seen = true;
        p->state = simwire_player_from_wire(ps);
        p->draw_x = (float)ps->x / SIM_FP;
        p->draw_y = (float)ps->y / SIM_FP;
    }
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (!in_snap[i])
            v->players[i].state.active = false;
    v->gem_count = simwire_gems_from_snapshot(s, v->gems);
    c->snapshots_in_window++;
    if (!c->snapshot_since_send)
        c->snapshot_at_us = c->nc.arrival_us;
    c->snapshot_since_send = true;
    client_netcode_snapshot(&c->nc, v, s->tick, s->ack_seq);
}

/* Keeps a rebuilt snapshot as a future base, then shows it. */
static void client_keep_snapshot(client *c, const proto_snapshot *s)
{
    client_baselines *b = &c->base;
    int slot = (int)(s->tick % DELTA_WINDOW);
    b->snaps[slot] = *s;
    b->valid[slot] = true;
    if (b->newest == 0 || (int32_t)(s->tick - b->newest) > 0)
        b->newest = s->tick;
    client_apply_snapshot(c, &b->snaps[slot]);
}

/* SNAPSHOT_DELTA and KEEPALIVE: rebuild the full snapshot from the base it
 * names. The server only names ticks we acknowledged, so a missing base
 * means the two sides disagree and the view can no longer be trusted. */
static void client_rebuild(client *c, const proto_msg *m)
{
    client_baselines *b = &c->base;
    bool keep = m->type == PROTO_KEEPALIVE;
    uint32_t tick = keep ? m->u.keepalive.tick : m->u.delta.tick;
    uint32_t base_tick = tick - (keep ? m->u.keepalive.base_age : m->u.delta.base_age);
    const proto_snapshot *base = &b->snaps[base_tick % DELTA_WINDOW];
    bool ok = b->valid[base_tick % DELTA_WINDOW] && base->tick == base_tick;
    if (ok)
        ok = keep ? delta_apply_keepalive(base, &m->u.keepalive, &b->scratch)
                  : delta_apply(base, &m->u.delta, &b->scratch);
    if (!ok) {
        log_warn("client: cannot rebuild %s of tick %u from base %u", proto_type_name(m->type), tick, base_tick);
        client_fail(c, "The host sent an update this game could not apply.");
        return;
    }
    client_keep_snapshot(c, &b->scratch);
}

/* A line in the event feed from this game itself (from -1, like the
 * host's notices). */
static void client_notice(client *c, const char *text)
{
    client_chat *ch = &c->chat[(c->chat_head + c->chat_count) % CLIENT_CHAT_QUEUE];
    if (c->chat_count == CLIENT_CHAT_QUEUE)
        c->chat_head = (c->chat_head + 1) % CLIENT_CHAT_QUEUE;
    else
        c->chat_count++;
    memset(ch, 0, sizeof *ch);
    ch->from = -1;
    snprintf(ch->text, sizeof ch->text, "%s", text);
    log_info("client: %s", text);
}

/* WELCOME: we play as m's player. On a new connection (rejoined or
 * migrated) the host tells the whole story again, from an empty view. */
static void client_on_welcome(client *c, const proto_welcome *w)
{
    client_view *v = &c->view;
    if (c->welcomed) {
        proto_host_plan plan = v->plan;
        memset(v->players, 0, sizeof v->players);
        memset(&c->base, 0, sizeof c->base);
        v->gem_count = 0;
        v->plan = plan;
        client_netcode_init(&c->nc, c->opts, c->nc.arrival_us);
        client_netcode_rate(&c->nc, c->rate_hz);
        c->last_sent_buttons = 0;
        c->last_sent_seq = c->last_sent_ack = c->last_pressed_seq = c->last_due_seq = 0;
        c->pressed_since_send = c->snapshot_since_send = false;
        c->bye_reason = 0;
        c->plan_now = false;
        /* A new host: the PLAYER_INFO that follows says who it is. */
        c->announce_host = c->dial_new_host;
    }
    c->welcomed = true;
    v->my_id = w->player_id;
    v->max_players = w->max_players;
    v->server_tick = w->server_tick;
    v->reconnect_token = w->token;
    c->phase = CLIENT_PLAYING;
    log_info("client: welcomed as player %d", v->my_id);
}

/* PLAYER_INFO: pings and marks; after a migration it says who hosts now. */
static void client_on_info(client *c, const proto_player_info *info)
{
    client_view *v = &c->view;
    for (int i = 0; i < info->count; i++) {
        client_player *p = &v->players[info->entries[i].id];
        p->ping_ms = info->entries[i].ping_ms;
        p->is_host = (info->entries[i].flags & PROTO_PF_HOST) != 0;
        p->silent = (info->entries[i].flags & PROTO_PF_SILENT) != 0;
        if (p->is_host && c->announce_host) {
            c->announce_host = false;
            char text[160];
            if (info->entries[i].id == v->my_id)
                snprintf(text, sizeof text, "The host left. You host the game now (%.60s).", c->dial_addr);
            else
                snprintf(text, sizeof text, "The host left. %.40s hosts the game now (%.60s).", p->name,
                         c->dial_addr);
            client_notice(c, text);
        }
    }
}

/* CHAT: queued with the sender's name and colour as of now (the sender
 * may leave before it shows). */
static void client_on_chat(client *c, const proto_chat *chat)
{
    client_view *v = &c->view;
    client_chat *ch = &c->chat[(c->chat_head + c->chat_count) % CLIENT_CHAT_QUEUE];
    if (c->chat_count == CLIENT_CHAT_QUEUE)
        c->chat_head = (c->chat_head + 1) % CLIENT_CHAT_QUEUE; /* drop the oldest */
    else
        c->chat_count++;
    memset(ch, 0, sizeof *ch);
    bool host = chat->from == PROTO_CHAT_FROM_HOST;
    ch->from = host ? -1 : chat->from;
    if (!host) {
        memcpy(ch->name, v->players[chat->from].name, sizeof ch->name);
        ch->colour = v->players[chat->from].colour;
    }
    memcpy(ch->text, chat->text, sizeof ch->text);
    /* Our host never relays control characters; another might, and
     * the text reaches the screen and the log. */
    for (char *t = ch->text; *t; t++)
        if ((unsigned char)*t < 0x20 || *t == 0x7F)
            *t = '?';
}

void client_feed(client *c, const proto_msg *m, uint64_t arrival_us)
{
    client_view *v = &c->view;
    /* A failed client's view stays as it was when it failed, and nothing
     * (a late WELCOME, say) brings it back to playing. */
    if (c->phase == CLIENT_FAILED || c->phase == CLIENT_ENDED)
        return;
    c->nc.arrival_us = arrival_us;
    switch (m->type) {
    case PROTO_WELCOME:
        client_on_welcome(c, &m->u.welcome);
        break;
    case PROTO_PLAYER_JOINED: {
        client_player *p = &v->players[m->u.joined.id];
        p->present = true;
        p->colour = m->u.joined.colour;
        memcpy(p->name, m->u.joined.name, sizeof p->name);
        p->ping_ms = PROTO_PING_UNKNOWN;
        p->proof = m->u.joined.proof;
        if (c->base.newest != 0) { /* not the roll call that follows WELCOME */
            client_event e = {.kind = CLIENT_EV_JOINED, .a = m->u.joined.id};
            memcpy(e.name, p->name, sizeof e.name);
            client_push_event(c, &e);
        }
        break;
    }
    case PROTO_MATCH:
        v->match = (client_match){.known = true,
                                  .phase = m->u.match.phase,
                                  .round = m->u.match.round,
                                  .left = m->u.match.left,
                                  .round_ticks = m->u.match.round_ticks,
                                  .score_limit = m->u.match.score_limit,
                                  .winner = m->u.match.winner,
                                  .at_us = c->nc.arrival_us};
        break;
    case PROTO_EVENT: {
        client_event e = {.kind = m->u.event.kind, .a = m->u.event.a, .b = m->u.event.b, .drop = m->u.event.drop,
                          .x = m->u.event.x, .y = m->u.event.y};
        /* A round's start puts everyone back at spawn, its end stops
         * everyone: the host moves us, with any input sent so far. */
        if (e.kind == PROTO_EV_ROUND_START || e.kind == PROTO_EV_ROUND_END)
            c->nc.host_moved_until_seq = c->input_seq;
        client_push_event(c, &e);
        break;
    }
    case PROTO_PLAYER_INFO:
        client_on_info(c, &m->u.info);
        break;
    case PROTO_HOST_PLAN:
        v->plan = m->u.plan;
        v->plan.flags = 0;
        if (m->u.plan.flags & PROTO_PLAN_NOW) {
            c->plan_now = true;
            log_info("client: the host is leaving and hands the game over");
        }
        break;

    case PROTO_CHAT:
        client_on_chat(c, &m->u.chat);
        break;
    case PROTO_REJECT:
        c->reject_reason = m->u.reject.reason;
        break;
    case PROTO_RATE:
        if (m->u.rate.snapshot_hz != c->rate_hz)
            log_info("client: the host now sends %d snapshots a second", m->u.rate.snapshot_hz);
        c->rate_hz = m->u.rate.snapshot_hz;
        client_netcode_rate(&c->nc, c->rate_hz);
        break;
    case PROTO_GOODBYE:
        c->bye_reason = m->u.goodbye.reason;
        break;
    case PROTO_PLAYER_LEFT: {
        client_player *p = &v->players[m->u.left.id];
        client_event e = {.kind = CLIENT_EV_LEFT, .a = m->u.left.id, .b = m->u.left.reason};
        memcpy(e.name, p->name, sizeof e.name);
        if (p->present)
            client_push_event(c, &e);
        memset(p, 0, sizeof *p);
        break;
    }
    case PROTO_SNAPSHOT:
        client_keep_snapshot(c, &m->u.snapshot);
        break;
    case PROTO_SNAPSHOT_DELTA:
    case PROTO_KEEPALIVE:
        client_rebuild(c, m);
        break;
    default:
        break; /* netclient turns GOODBYE/REJECT into its status */
    }
}

/* True when an INPUT would tell the server nothing: nothing pressed now or
 * in the last input sent, no newer tick to acknowledge, and in the newest
 * snapshot the server has applied our last input with a button down and
 * our player is at rest. The server repeats the last buttons (none) by
 * itself, so skipping changes nothing there; and every tick from that
 * snapshot on is a tick with nothing pressed on a player at rest, a no-op,
 * so prediction that replays the skipped ticks stays exact. An idle client
 * then sends one input per KEEPALIVE (2 a second) instead of sixty. */
static bool client_input_redundant(const client *c, uint8_t buttons)
{
    const client_baselines *b = &c->base;
    if (buttons || c->last_sent_buttons || c->last_sent_seq == 0 || c->view.my_id < 0 || b->newest == 0 ||
        b->newest != c->last_sent_ack)
        return false;
    const proto_snapshot *s = &b->snaps[b->newest % DELTA_WINDOW];
    if ((int32_t)(c->last_pressed_seq - s->ack_seq) > 0)
        return false; /* a press the server has not applied yet */
    for (int i = 0; i < s->player_count; i++)
        if (s->players[i].id == c->view.my_id)
            return s->players[i].vx == 0 && s->players[i].vy == 0;
    return false;
}

/* Queues an input for the host; a detached client has none to send to,
 * and takes every input as sent. */
static bool client_send(client *c, const proto_msg *m)
{
    return c->net ? netclient_send(c->net, m) : true;
}

/* Inputs go out at the rate snapshots come in: at 60 a second each as it
 * is made; below that, the ones made so far half an interval (at most
 * CLIENT_INPUT_AFTER_US) after a snapshot arrives. Both ends' delayed
 * acknowledgements then ride on data (ours of the snapshot on the INPUT,
 * the host's of the INPUT on its next snapshot), as Linux delays one by
 * 40 ms at least: one segment each way per snapshot instead of two. When
 * snapshots stop (nothing moves: a KEEPALIVE every half second) they go
 * every two intervals. */
static bool client_input_due(const client *c, uint32_t seq, uint64_t now_us)
{
    if (c->rate_hz >= SIM_TICK_HZ || c->last_due_seq == 0)
        return true;
    uint32_t interval = (uint32_t)((SIM_TICK_HZ + c->rate_hz - 1) / c->rate_hz);
    uint64_t after = (uint64_t)CLIENT_TICK_US * interval / 2;
    if (after > CLIENT_INPUT_AFTER_US)
        after = CLIENT_INPUT_AFTER_US;
    if (c->snapshot_since_send && now_us >= c->snapshot_at_us + after)
        return true;
    return seq - c->last_due_seq >= 2 * interval;
}

/* The INPUT for seq: its buttons, and as history those made since the
 * last send point (prev_due) plus up to CLIENT_INPUT_REDUNDANT sent
 * before it that the host has not acknowledged. Never inputs skipped at
 * an idle send point: the host counts those as applied, and queueing them
 * now would only delay the new ones behind them. */
static proto_msg client_input_msg(const client *c, uint32_t seq, uint32_t prev_due)
{
    proto_msg in = {.type = PROTO_INPUT};
    in.u.input.seq = seq;
    in.u.input.buttons = c->input_ring[seq % CLIENT_INPUT_RING];
    in.u.input.ack_tick = c->base.newest; /* the base the server may code against */
    uint32_t view_q = c->view_ring[seq % CLIENT_INPUT_RING], ack_q = c->base.newest * 4;
    in.u.input.view_back = view_q == 0 || view_q >= ack_q ? 0 : ack_q - view_q > 255 ? 255 : (uint8_t)(ack_q - view_q);
    uint32_t n = prev_due ? seq - prev_due - 1 : 0;
    if (prev_due != 0 && c->last_sent_seq == prev_due) {
        uint32_t unacked = (int32_t)(prev_due - c->view.ack_seq) > 0 ? prev_due - c->view.ack_seq : 0;
        n += unacked < CLIENT_INPUT_REDUNDANT ? unacked : CLIENT_INPUT_REDUNDANT;
    }
    if (n > PROTO_INPUT_HISTORY)
        n = PROTO_INPUT_HISTORY;
    in.u.input.history_len = (uint8_t)n;
    for (uint32_t k = 1; k <= n; k++)
        in.u.input.history[k - 1] = c->input_ring[(seq - k) % CLIENT_INPUT_RING];
    return in;
}

/* Dials what the rejoin plan asks for. */
static void client_dial(client *c, const rejoin_action *a)
{
    netclient_config cfg = c->cfg;
    cfg.reconnect_token = c->view.reconnect_token;
    cfg.connect_timeout_ms = REJOIN_DIAL_TIMEOUT_MS;
    if (a->target == REJOIN_TARGET_SELF) {
        snprintf(cfg.host, sizeof cfg.host, "127.0.0.1");
        cfg.port = a->port;
    } else if (a->target == REJOIN_TARGET_SUCCESSOR) {
        if (a->addr != 0)
            snprintf(cfg.host, sizeof cfg.host, "%u.%u.%u.%u", (unsigned)(a->addr >> 24),
                     (unsigned)(a->addr >> 16 & 0xFF), (unsigned)(a->addr >> 8 & 0xFF), (unsigned)(a->addr & 0xFF));
        cfg.port = a->port;
    }
    c->dial_target = a->target;
    c->dial_new_host = a->target != REJOIN_TARGET_OLD || c->rejoin.host_gone;
    if (a->target == REJOIN_TARGET_SELF) {
        /* Where the others find us: our address as the old host saw it. */
        uint32_t me = 0;
        for (int i = 0; i < c->rejoin.plan.count; i++)
            if (c->rejoin.plan.entries[i].id == c->rejoin.my_id)
                me = c->rejoin.plan.entries[i].addr;
        if (me != 0 && (me >> 24) != 127)
            snprintf(c->dial_addr, sizeof c->dial_addr, "%u.%u.%u.%u:%u", (unsigned)(me >> 24),
                     (unsigned)(me >> 16 & 0xFF), (unsigned)(me >> 8 & 0xFF), (unsigned)(me & 0xFF),
                     (unsigned)cfg.port);
        else
            snprintf(c->dial_addr, sizeof c->dial_addr, "%.255s:%u", c->cfg.host, (unsigned)cfg.port);
    } else {
        snprintf(c->dial_addr, sizeof c->dial_addr, "%.255s:%u", cfg.host, (unsigned)cfg.port);
    }
    log_info("client: dialling %s (%s)", c->dial_addr,
             a->target == REJOIN_TARGET_OLD ? "the host again" : a->target == REJOIN_TARGET_SELF ? "our own server"
                                                                                               : "the successor");
    c->net = netclient_start(&cfg);
}

/* One step of rejoining: follows the dial in progress, or starts the next. */
static void client_rejoin_step(client *c, uint64_t now_us)
{
    uint64_t now_ms = now_us / 1000;
    if (c->net) {
        char why[256];
        netclient_state st = netclient_status(c->net, why, sizeof why);
        if (st == NETCLIENT_CONNECTING || st == NETCLIENT_HANDSHAKE)
            return;
        if (st == NETCLIENT_CONNECTED) {
            c->rejoin.active = false;
            snprintf(c->host_addr, sizeof c->host_addr, "%s", c->dial_addr);
            c->hosting = c->dial_target == REJOIN_TARGET_SELF;
            if (c->dial_new_host)
                c->migrations++;
            log_info("client: back in the game on %s", c->host_addr);
            return;
        }
        log_info("client: dial of %s failed: %s", c->dial_addr, why);
        rejoin_dial_failed(&c->rejoin, netclient_get_fault(c->net), now_ms);
        netclient_stop(c->net, PROTO_BYE_QUIT);
        c->net = NULL;
    }
    rejoin_action a = rejoin_next(&c->rejoin, now_ms);
    switch (a.verb) {
    case REJOIN_WAIT:
        break;
    case REJOIN_GIVE_UP:
        client_fail(c, c->rejoin.plan.count > 0
                           ? "The host was lost and nobody could take over the game within 60 s."
                           : "Lost connection to the host, and could not reach it again within 60 s.");
        break;
    case REJOIN_HOST:
        c->host_asked = true;
        c->host_port = a.port;
        log_info("client: the host is gone and we are its successor: asking to host on port %u", a.port);
        break;
    case REJOIN_DIAL:
        client_dial(c, &a);
        break;
    }
}

/* Follows the connection's state: the game ends, fails, or rejoins. */
static void client_follow_net(client *c, uint64_t now_us)
{
    if (c->rejoin.active) {
        client_rejoin_step(c, now_us);
        return;
    }
    if (!c->net)
        return;
    char why[sizeof c->why];
    netclient_state st = netclient_status(c->net, why, sizeof why);
    bool playing = c->phase == CLIENT_PLAYING;
    rejoin_cause cause = 0;
    if (st == NETCLIENT_FAILED && playing && c->recovery.rejoin) {
        netclient_fault f = netclient_get_fault(c->net);
        cause = f == NETCLIENT_FAULT_CLOSED ? REJOIN_LOST_CLOSED : f == NETCLIENT_FAULT_SILENT ? REJOIN_LOST_SILENT : 0;
    } else if (st == NETCLIENT_CLOSED && playing && c->plan_now && c->recovery.migrate && c->view.plan.count > 0) {
        cause = REJOIN_HANDOVER;
    }
    if (cause) {
        log_info("client: %s %s", why,
                 cause == REJOIN_HANDOVER ? "Following the host's successor." : "Reconnecting.");
        netclient_stop(c->net, PROTO_BYE_CONNECTION_LOST);
        c->net = NULL;
        rejoin_begin(&c->rejoin, cause, &c->view.plan, c->view.my_id, c->recovery.migrate, c->recovery.can_host,
                     now_us / 1000);
        client_rejoin_step(c, now_us);
        return;
    }
    if (st == NETCLIENT_FAILED) {
        client_fail(c, why);
    } else if (st == NETCLIENT_CLOSED && c->phase != CLIENT_ENDED && c->phase != CLIENT_FAILED) {
        c->phase = CLIENT_ENDED;
        snprintf(c->why, sizeof c->why, "%s", why);
        log_info("client: %s", c->why);
    }
}

void client_update(client *c, uint64_t now_us, uint8_t buttons)
{
    proto_msg m;
    uint64_t age;
    while (c->net && netclient_poll_timed(c->net, &m, &age))
        client_feed(c, &m, age < now_us ? now_us - age : 0); /* when it really came */
    client_follow_net(c, now_us);

    if (c->phase == CLIENT_PLAYING && !c->rejoin.active) {
        /* Nobody moves in an intermission: pressing keys then would only
         * make prediction disagree with the host. */
        if (c->view.match.phase == SIM_PHASE_INTERMISSION)
            buttons = 0;
        if (c->next_input_us == 0 || now_us > c->next_input_us + 250000)
            c->next_input_us = now_us; /* first input, or we were stalled */
        /* One input per tick of our clock; several if a frame was long.
         * An input due within half a tick is made now: at 60 fps every
         * frame then makes exactly one, so a key shows on the next frame
         * even when frames and ticks drift against each other. Each moves
         * our player at once (prediction); they go to the host in batches
         * at our snapshot rate. */
        while (now_us + CLIENT_TICK_US / 2 >= c->next_input_us) {
            uint32_t seq = ++c->input_seq;
            uint8_t b = buttons & PROTO_BTN_MASK;
            c->input_ring[seq % CLIENT_INPUT_RING] = b;
            c->pressed_since_send |= b != 0;
            client_netcode_input(&c->nc, seq, b);
            /* Where the other players were drawn as this input was made:
             * the host judges a dash there (lagcomp.h). */
            c->view_ring[seq % CLIENT_INPUT_RING] = client_netcode_view_q(&c->nc);
            uint8_t dash = c->nc.pred.current.dash;
            if (dash > c->my_dash && c->view.my_id >= 0) {
                client_event e = {.kind = PROTO_EV_DASH, .a = (uint8_t)c->view.my_id};
                client_push_event(c, &e);
            }
            c->my_dash = dash;
            c->next_input_us += CLIENT_TICK_US;
        }
        /* The inputs made since the last send point, when one is due. */
        uint32_t seq = c->input_seq;
        if (seq != 0 && seq != c->last_due_seq && client_input_due(c, seq, now_us)) {
            uint8_t b = c->input_ring[seq % CLIENT_INPUT_RING];
            proto_msg in = client_input_msg(c, seq, c->last_due_seq);
            c->last_due_seq = seq;
            c->snapshot_since_send = false;
            if (!(!c->pressed_since_send && client_input_redundant(c, b)) && client_send(c, &in)) {
                c->last_sent_buttons = b;
                c->last_sent_seq = seq;
                c->last_sent_ack = in.u.input.ack_tick;
                if (c->pressed_since_send)
                    c->last_pressed_seq = seq;
                c->pressed_since_send = false;
            }
        }
    }

    if (now_us >= c->window_start_us + 1000000) {
        double secs = (double)(now_us - c->window_start_us) / 1e6;
        netclient_stats ns = netclient_get_stats(c->net);
        if (ns.bytes_in < c->window_bytes_in || ns.bytes_out < c->window_bytes_out)
            c->window_bytes_in = c->window_bytes_out = 0; /* a new connection counts from 0 */
        c->stats.snapshot_hz = (float)(c->snapshots_in_window / secs);
        c->stats.rtt_ms = ns.rtt_ms;
        c->stats.bytes_in_per_s = (float)((double)(ns.bytes_in - c->window_bytes_in) / secs);
        c->stats.bytes_out_per_s = (float)((double)(ns.bytes_out - c->window_bytes_out) / secs);
        c->window_bytes_in = ns.bytes_in;
        c->window_bytes_out = ns.bytes_out;
        c->snapshots_in_window = 0;
        c->window_start_us = now_us;
        client_netcode_window(&c->nc, &c->stats, secs);
    }
    client_netcode_draw(&c->nc, &c->view, now_us, netclient_get_stats(c->net).rtt_ms);
}

client_phase client_get_phase(client *c, char *why, size_t why_cap)
{
    if (why && why_cap)
        snprintf(why, why_cap, "%s", c->why);
    return c->phase;
}

const client_view *client_get_view(const client *c)
{
    return &c->view;
}

client_netinfo client_take_netinfo(client *c)
{
    client_netinfo i = client_netcode_take_info(&c->nc);
    i.rtt_ms = netclient_get_stats(c->net).rtt_ms;
    return i;
}

client_stats client_get_stats(client *c)
{
    client_stats s = c->stats;
    s.rate_hz = c->rate_hz;
    s.players = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        s.players += c->view.players[i].present;
    return s;
}

bool client_next_chat(client *c, client_chat *out)
{
    if (c->chat_count == 0)
        return false;
    *out = c->chat[c->chat_head];
    c->chat_head = (c->chat_head + 1) % CLIENT_CHAT_QUEUE;
    c->chat_count--;
    return true;
}

bool client_send_chat(client *c, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (!c->net || c->phase != CLIENT_PLAYING || !proto_chat_valid(text, n))
        return false;
    proto_msg m = {.type = PROTO_CHAT_SEND};
    memcpy(m.u.chat.text, text, n + 1);
    m.u.chat.text_len = (uint8_t)n;
    return netclient_send(c->net, &m);
}

uint8_t client_reject_reason(const client *c)
{
    return c->reject_reason;
}

bool client_ended_cleanly(const client *c)
{
    return c->phase == CLIENT_ENDED && (c->bye_reason == PROTO_BYE_HOST_ENDED || c->bye_reason == PROTO_BYE_QUIT);
}

void client_view_to_world(const client_view *v, sim_world *out)
{
    memset(out, 0, sizeof *out);
    out->tick = v->server_tick;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        out->players[i] = v->players[i].state;
    for (int i = 0; i < v->gem_count && i < SIM_MAX_GEMS; i++)
        out->gems[i] = v->gems[i];
}

client_recovery client_default_recovery(void)
{
    return (client_recovery){.rejoin = true, .migrate = true, .can_host = false};
}

void client_set_recovery(client *c, const client_recovery *r)
{
    c->recovery = *r;
}

client_link client_get_link(const client *c, uint64_t now_us)
{
    client_link l = {0};
    snprintf(l.host_addr, sizeof l.host_addr, "%s", c->rejoin.active ? c->dial_addr : c->host_addr);
    l.hosting = c->hosting;
    l.migrations = c->migrations;
    uint64_t now_ms = now_us / 1000;
    if (c->rejoin.active) {
        l.state = c->rejoin.host_gone && c->rejoin.plan.count > 0 ? CLIENT_LINK_MIGRATING : CLIENT_LINK_REJOINING;
        uint64_t spent = now_ms - c->rejoin.start_ms;
        l.left_ms = spent < REJOIN_LIMIT_MS ? (uint32_t)(REJOIN_LIMIT_MS - spent) : 0;
    } else if (c->phase == CLIENT_PLAYING && c->net) {
        l.quiet_ms = netclient_quiet_ms(c->net);
        if (l.quiet_ms >= CLIENT_QUIET_MS) {
            l.state = CLIENT_LINK_QUIET;
            uint32_t limit = (uint32_t)c->cfg.silence_timeout_ms;
            l.left_ms = l.quiet_ms < limit ? limit - l.quiet_ms : 0;
        }
    }
    return l;
}

bool client_host_request(const client *c, uint16_t *port)
{
    if (!c->host_asked)
        return false;
    *port = c->host_port;
    return true;
}

void client_host_result(client *c, bool ok, uint16_t port, uint64_t now_us)
{
    if (!c->host_asked)
        return;
    c->host_asked = false;
    log_info(ok ? "client: hosting on port %u; joining our own server" : "client: could not host (port %u)", port);
    rejoin_hosting(&c->rejoin, ok, port, now_us / 1000);
}

const char *client_password(const client *c)
{
    return c->cfg.password;
}

const proto_snapshot *client_last_snapshot(const client *c)
{
    const client_baselines *b = &c->base;
    if (b->newest == 0 || !b->valid[b->newest % DELTA_WINDOW])
        return NULL;
    return &b->snaps[b->newest % DELTA_WINDOW];
}

void client_destroy(client *c, uint8_t bye_reason)
{
    if (!c)
        return;
    if (c->net)
        netclient_stop(c->net, bye_reason);
    free(c);
}
