#include "client_netcode.h"

#include <string.h>

void client_netcode_init(client_netcode_state *n, client_netcode opts, uint64_t now_us)
{
    memset(n, 0, sizeof *n);
    n->opts = opts;
    predict_init(&n->pred);
    interp_init(&n->interp);
    clocksync_init(&n->clock);
    n->last_draw_us = now_us;
}

/* Another player close enough to have pushed or dashed into player me
 * in the last tick: boxes within a dash's reach plus two ticks at top
 * speed. */
static bool client_netcode_others_near(const sim_player players[SIM_MAX_PLAYERS], int me)
{
    const int32_t lim = (2 * SIM_PLAYER_HALF + SIM_DASH_REACH) * SIM_FP + 2 * SIM_TOP_SPEED;
    const sim_player *p = &players[me];
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *q = &players[i];
        if (i == me || !q->active)
            continue;
        /* In 64 bits: a hostile host may send positions far apart. */
        int64_t dx = (int64_t)q->x - p->x, dy = (int64_t)q->y - p->y;
        if (dx < lim && dx > -lim && dy < lim && dy > -lim)
            return true;
    }
    return false;
}

void client_netcode_snapshot(client_netcode_state *n, const client_view *v, uint32_t tick, uint32_t ack_seq)
{
    uint64_t at = n->arrival_us;
    if (n->last_arrival_us && at >= n->last_arrival_us) {
        float gap = (float)(at - n->last_arrival_us) / 1000.0f;
        if (gap > n->gap_max_ms)
            n->gap_max_ms = gap;
    }
    n->last_arrival_us = at;

    clocksync_on_snapshot(&n->clock, tick, at);
    sim_player local[SIM_MAX_PLAYERS];
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        local[i] = v->players[i].state;
    interp_push(&n->interp, tick, local, clocksync_lateness_us(&n->clock, tick, at), at);

    if (n->opts.predict && v->my_id >= 0 && v->my_id < SIM_MAX_PLAYERS && local[v->my_id].active) {
        bool moved = ack_seq <= n->host_moved_until_seq || client_netcode_others_near(local, v->my_id);
        if (predict_reconcile_moved(&n->pred, &local[v->my_id], tick, ack_seq, moved))
            n->correction_px += n->pred.count.last_correction_px;
    }
}

void client_netcode_input(client_netcode_state *n, uint32_t seq, uint8_t buttons)
{
    if (n->opts.predict)
        predict_input_apply(&n->pred, seq, buttons);
}

void client_netcode_rate(client_netcode_state *n, int snapshot_hz)
{
    if (snapshot_hz < 1)
        snapshot_hz = 1;
    /* The longest gap between two snapshots at this rate, in ticks. */
    interp_set_interval(&n->interp, (SIM_TICK_HZ + snapshot_hz - 1) / snapshot_hz);
}

/* The drawn state: the drawn motion (position, velocity, facing, walk
 * cycle), with presence and score as the server last said. */
static sim_player client_netcode_look(const sim_player *state, const sim_player *look)
{
    sim_player s = *look;
    s.active = state->active;
    s.score = state->score;
    return s;
}

void client_netcode_draw(client_netcode_state *n, client_view *v, uint64_t now_us, float rtt_ms)
{
    uint64_t dt = n->drawn_once && now_us > n->last_draw_us ? now_us - n->last_draw_us : 0;
    n->drawn_once = true;
    n->last_draw_us = now_us;
    if (rtt_ms > 0)
        clocksync_on_rtt(&n->clock, rtt_ms, now_us);
    clocksync_update(&n->clock, now_us);

    bool extrapolating = false;
    if (n->opts.interp && n->clock.ready) {
        n->render_tick = interp_sample(&n->interp, now_us, clocksync_arrival_tick(&n->clock, now_us), n->out);
        for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
            client_player *p = &v->players[i];
            const interp_out *o = &n->out[i];
            if (i == v->my_id || !p->present || o->status == INTERP_ABSENT)
                continue;
            p->draw_x = o->x;
            p->draw_y = o->y;
            p->shown = client_netcode_look(&p->state, &o->look);
            /* Standing players past the newest snapshot are simply still
             * (the host sends rarely while nothing moves): not a guess. */
            if ((o->status == INTERP_EXTRAPOLATED || o->status == INTERP_HELD) &&
                (p->state.vx != 0 || p->state.vy != 0))
                extrapolating = true;
        }
    } else {
        for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
            client_player *p = &v->players[i];
            if (i == v->my_id || !p->seen)
                continue;
            p->draw_x = (float)p->state.x / SIM_FP;
            p->draw_y = (float)p->state.y / SIM_FP;
            p->shown = p->state;
        }
    }

    if (v->my_id >= 0 && v->my_id < SIM_MAX_PLAYERS) {
        client_player *me = &v->players[v->my_id];
        if (n->opts.predict && n->pred.ready) {
            predict_smooth(&n->pred, dt);
            predict_draw_pos(&n->pred, &me->draw_x, &me->draw_y);
            me->shown = client_netcode_look(&me->state, &n->pred.current);
        } else if (me->seen) {
            me->draw_x = (float)me->state.x / SIM_FP;
            me->draw_y = (float)me->state.y / SIM_FP;
            me->shown = me->state;
        }
    }
    n->extrapolating = extrapolating;
    if (extrapolating)
        n->window_extrap_us += (double)dt;
}

void client_netcode_window(client_netcode_state *n, client_stats *st, double secs)
{
    if (secs <= 0)
        secs = 1;
    st->interp_delay_ms = n->opts.interp ? (float)(n->interp.delay_us / 1000.0) : 0.0f;
    st->jitter_ms = (float)(n->interp.jitter_us / 1000.0);
    st->pred_corrections_per_s = (float)((n->pred.count.corrections - n->window_corrections) / secs);
    n->window_corrections = n->pred.count.corrections;
    st->extrapolating_ms_per_s = (float)(n->window_extrap_us / 1000.0 / secs);
    n->window_extrap_us = 0;
    st->pred_mismatches = n->pred.count.mismatches;
}

client_netinfo client_netcode_take_info(client_netcode_state *n)
{
    client_netinfo i;
    memset(&i, 0, sizeof i);
    i.snapshot_gap_ms = n->gap_max_ms;
    i.interp_delay_ms = n->opts.interp ? (float)(n->interp.delay_us / 1000.0) : 0.0f;
    i.jitter_ms = (float)(n->interp.jitter_us / 1000.0);
    i.correction_px = n->correction_px;
    i.corrections = n->pred.count.corrections;
    i.mismatches = n->pred.count.mismatches;
    i.moved = n->pred.count.moved;
    i.late_inputs = n->pred.count.late;
    i.dropped_inputs = n->pred.count.dropped;
    i.server_tick = clocksync_server_tick(&n->clock, n->last_draw_us);
    i.render_tick = n->render_tick;
    i.extrapolating = n->extrapolating;
    n->gap_max_ms = 0;
    n->correction_px = 0;
    return i;
}

uint32_t client_netcode_view_q(const client_netcode_state *n)
{
    if (!n->opts.interp || !n->clock.ready || n->render_tick <= 0.0 || n->render_tick > (double)(UINT32_MAX / 4))
        return 0;
    return (uint32_t)(n->render_tick * 4.0 + 0.5);
}
