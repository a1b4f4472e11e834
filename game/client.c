#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define CLIENT_TICK_US (1000000 / SIM_TICK_HZ)

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
};

client *client_create(const netclient_config *cfg, uint64_t now_us)
{
    client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->view.my_id = -1;
    c->net = netclient_start(cfg);
    if (!c->net) {
        c->phase = CLIENT_FAILED;
        snprintf(c->why, sizeof c->why, "Could not start the network thread.");
    }
    c->window_start_us = now_us;
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
        p->state.active = true;
        p->state.x = ps->x;
        p->state.y = ps->y;
        p->state.vx = ps->vx;
        p->state.vy = ps->vy;
        p->state.facing = ps->facing;
        p->state.moving = ps->moving;
        p->state.step = ps->step;
        p->state.score = ps->score;
        p->draw_x = (float)ps->x / SIM_FP;
        p->draw_y = (float)ps->y / SIM_FP;
    }
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (!in_snap[i])
            v->players[i].state.active = false;
    v->gem_count = 0;
    for (int i = 0; i < s->gem_count && i < SIM_MAX_GEMS; i++) {
        v->gems[i].active = true;
        v->gems[i].x = s->gems[i].x;
        v->gems[i].y = s->gems[i].y;
        v->gem_count++;
    }
    c->snapshots_in_window++;
}

static void client_handle(client *c, const proto_msg *m)
{
    client_view *v = &c->view;
    switch (m->type) {
    case PROTO_WELCOME:
        v->my_id = m->u.welcome.player_id;
        v->max_players = m->u.welcome.max_players;
        v->server_tick = m->u.welcome.server_tick;
        c->phase = CLIENT_PLAYING;
        log_info("client: welcomed as player %d", v->my_id);
        break;
    case PROTO_PLAYER_JOINED: {
        client_player *p = &v->players[m->u.joined.id];
        p->present = true;
        p->colour = m->u.joined.colour;
        memcpy(p->name, m->u.joined.name, sizeof p->name);
        break;
    }
    case PROTO_PLAYER_LEFT: {
        client_player *p = &v->players[m->u.left.id];
        memset(p, 0, sizeof *p);
        break;
    }
    case PROTO_SNAPSHOT:
        client_apply_snapshot(c, &m->u.snapshot);
        break;
    default:
        break; /* netclient turns GOODBYE/REJECT into its status */
    }
}

void client_update(client *c, uint64_t now_us, uint8_t buttons)
{
    if (!c->net)
        return;
    proto_msg m;
    while (netclient_poll(c->net, &m))
        client_handle(c, &m);

    netclient_state st = netclient_status(c->net, c->why, sizeof c->why);
    if (st == NETCLIENT_FAILED && c->phase != CLIENT_FAILED) {
        c->phase = CLIENT_FAILED;
        log_info("client: %s", c->why);
    } else if (st == NETCLIENT_CLOSED && c->phase != CLIENT_ENDED && c->phase != CLIENT_FAILED) {
        c->phase = CLIENT_ENDED;
        log_info("client: %s", c->why);
    }

    if (c->phase == CLIENT_PLAYING) {
        if (c->next_input_us == 0 || now_us > c->next_input_us + 250000)
            c->next_input_us = now_us; /* first input, or we were stalled */
        /* One input per tick of our clock; several if a frame was long. */
        while (now_us >= c->next_input_us) {
            proto_msg in = {.type = PROTO_INPUT};
            in.u.input.seq = ++c->input_seq;
            in.u.input.buttons = buttons & PROTO_BTN_MASK;
            in.u.input.ack_tick = c->view.server_tick;
            netclient_send(c->net, &in);
            c->next_input_us += CLIENT_TICK_US;
        }
    }

    if (now_us >= c->window_start_us + 1000000) {
        double secs = (double)(now_us - c->window_start_us) / 1e6;
        netclient_stats ns = netclient_get_stats(c->net);
        c->stats.snapshot_hz = (float)(c->snapshots_in_window / secs);
        c->stats.rtt_ms = ns.rtt_ms;
        c->stats.bytes_in_per_s = (float)((double)(ns.bytes_in - c->window_bytes_in) / secs);
        c->stats.bytes_out_per_s = (float)((double)(ns.bytes_out - c->window_bytes_out) / secs);
        c->window_bytes_in = ns.bytes_in;
        c->window_bytes_out = ns.bytes_out;
        c->snapshots_in_window = 0;
        c->window_start_us = now_us;
    }
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

client_stats client_get_stats(client *c)
{
    client_stats s = c->stats;
    s.players = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        s.players += c->view.players[i].present;
    return s;
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

void client_destroy(client *c, uint8_t bye_reason)
{
    if (!c)
        return;
    if (c->net)
        netclient_stop(c->net, bye_reason);
    free(c);
}
