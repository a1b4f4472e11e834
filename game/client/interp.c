#include "interp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INTERP_TICK_US (1000000.0 / SIM_TICK_HZ)
#define INTERP_UP_RATE 0.10   /* delay grows by at most 10% of elapsed time */
#define INTERP_DOWN_RATE 0.03 /* and shrinks by at most 3% */
#define INTERP_HYSTERESIS_US 1000.0
#define INTERP_MIN_SAMPLES 20 /* before that, assume a little jitter */
#define INTERP_START_JITTER_US 5000.0
#define INTERP_RESET_TICKS 30.0 /* render time 0.5 s ahead of the clock: start over */

void interp_init(interp_buffer *b)
{
    memset(b, 0, sizeof *b);
}

void interp_set_interval(interp_buffer *b, int ticks)
{
    b->interval_ticks = ticks < 1 ? 1 : ticks;
}

uint32_t interp_newest_tick(const interp_buffer *b)
{
    return b->count ? b->snaps[(b->head + b->count - 1) % INTERP_SNAPS].tick : 0;
}

static const interp_snap *interp_at(const interp_buffer *b, int i)
{
    return &b->snaps[(b->head + i) % INTERP_SNAPS];
}

/* The 98th percentile of one bucket's lateness, or -1 when it is empty. */
static double interp_bucket_pct(const interp_buffer *b, int k)
{
    if (b->hist_count[k] == 0)
        return -1.0;
    uint32_t need = (b->hist_count[k] * INTERP_PERCENTILE + 99) / 100, seen = 0;
    for (int i = 0; i < INTERP_HIST_BINS; i++) {
        seen += b->hist[k][i];
        if (seen >= need)
            return (i + 0.5) * 1000.0;
    }
    return INTERP_HIST_BINS * 1000.0;
}

/* Second highest bucket: one burst alone does not move the delay. */
static void interp_update_jitter(interp_buffer *b)
{
    double first = -1.0, second = -1.0;
    for (int k = 0; k < INTERP_HIST_BUCKETS; k++) {
        double v = b->hist_pct_us[k];
        if (v > first) {
            second = first;
            first = v;
        } else if (v > second) {
            second = v;
        }
    }
    b->jitter_us = second >= 0 ? second : (first >= 0 ? first : 0.0);
}

/* Opens new 500 ms histogram buckets for the time that passed. */
static void interp_rotate(interp_buffer *b, uint64_t now_us)
{
    bool moved = false;
    for (int n = 0; n < INTERP_HIST_BUCKETS && now_us >= b->hbucket_start_us + INTERP_HIST_BUCKET_US; n++) {
        b->hbucket = (b->hbucket + 1) % INTERP_HIST_BUCKETS;
        b->hist_total -= b->hist_count[b->hbucket];
        b->hist_count[b->hbucket] = 0;
        b->hist_pct_us[b->hbucket] = -1.0;
        memset(b->hist[b->hbucket], 0, sizeof b->hist[b->hbucket]);
        b->hbucket_start_us += INTERP_HIST_BUCKET_US;
        moved = true;
    }
    if (now_us >= b->hbucket_start_us + INTERP_HIST_BUCKET_US)
        b->hbucket_start_us = now_us;
    if (moved)
        interp_update_jitter(b);
}

void interp_push(interp_buffer *b, uint32_t tick, const sim_player players[SIM_MAX_PLAYERS], double lateness_us,
                 uint64_t arrival_us)
{
    if (b->count > 0 && tick <= interp_newest_tick(b))
        return;
    if (b->hist_total == 0 && b->hbucket_start_us == 0) {
        b->hbucket_start_us = arrival_us;
        for (int k = 0; k < INTERP_HIST_BUCKETS; k++)
            b->hist_pct_us[k] = -1.0;
    }
    interp_rotate(b, arrival_us);
    int bin = lateness_us <= 0 ? 0 : (int)(lateness_us / 1000.0);
    if (bin >= INTERP_HIST_BINS)
        bin = INTERP_HIST_BINS - 1;
    if (b->hist[b->hbucket][bin] < UINT16_MAX) {
        b->hist[b->hbucket][bin]++;
        b->hist_count[b->hbucket]++;
        b->hist_total++;
    }
    b->hist_pct_us[b->hbucket] = interp_bucket_pct(b, b->hbucket);
    interp_update_jitter(b);

    if (b->count == INTERP_SNAPS) {
        b->head = (b->head + 1) % INTERP_SNAPS;
        b->count--;
    }
    interp_snap *s = &b->snaps[(b->head + b->count) % INTERP_SNAPS];
    b->count++;
    s->tick = tick;
    memcpy(s->players, players, sizeof s->players);
}

/* The buttons a player seems to hold: the direction of its velocity on
 * each axis, unless that axis is slowing down (keys released). */
static uint8_t interp_guess_buttons(const sim_player *e, const sim_player *prev)
{
    uint8_t b = 0;
    bool slowing_x = prev && prev->active && abs(e->vx) < abs(prev->vx);
    bool slowing_y = prev && prev->active && abs(e->vy) < abs(prev->vy);
    if (e->vx > 0 && !slowing_x)
        b |= SIM_BTN_RIGHT;
    if (e->vx < 0 && !slowing_x)
        b |= SIM_BTN_LEFT;
    if (e->vy > 0 && !slowing_y)
        b |= SIM_BTN_DOWN;
    if (e->vy < 0 && !slowing_y)
        b |= SIM_BTN_UP;
    return b;
}

/* Runs the simulation `ticks` (fractional) past the newest snapshot. */
static void interp_extrapolate(const sim_player *e, const sim_player *prev, double ticks, interp_out *o,
                               float *vx, float *vy)
{
    uint8_t buttons = interp_guess_buttons(e, prev);
    sim_player p = *e;
    if (buttons == 0 && e->vx == 0 && e->vy == 0) {
        /* At rest: it stays put (the host sends rarely while nothing moves). */
        o->x = (float)e->x / SIM_FP;
        o->y = (float)e->y / SIM_FP;
        o->look = p;
        *vx = *vy = 0;
        return;
    }
    int whole = (int)floor(ticks);
    for (int i = 0; i < whole; i++)
        sim_player_move(&p, buttons);
    sim_player q = p;
    sim_player_move(&q, buttons);
    double f = ticks - whole;
    /* In double: a hostile host's positions can be any int32, and the
     * difference of two of them need not fit one. */
    double stepx = (double)q.x - p.x, stepy = (double)q.y - p.y;
    o->x = (float)((p.x + stepx * f) / SIM_FP);
    o->y = (float)((p.y + stepy * f) / SIM_FP);
    o->look = p;
    *vx = (float)(stepx / SIM_FP);
    *vy = (float)(stepy / SIM_FP);
}

static void interp_update_delay(interp_buffer *b, double dt_us)
{
    double jitter = b->hist_total >= INTERP_MIN_SAMPLES ? b->jitter_us : INTERP_START_JITTER_US;
    int interval = b->interval_ticks > 1 ? b->interval_ticks : 1;
    double target = interval * INTERP_TICK_US + jitter + INTERP_MARGIN_US;
    if (target > INTERP_MAX_DELAY_US)
        target = INTERP_MAX_DELAY_US;
    b->target_us = target;
    if (!b->delay_ready) {
        b->delay_us = target;
        b->delay_ready = true;
    } else if (target > b->delay_us) {
        double step = INTERP_UP_RATE * dt_us;
        b->delay_us += target - b->delay_us < step ? target - b->delay_us : step;
    } else if (target < b->delay_us - INTERP_HYSTERESIS_US) {
        double step = INTERP_DOWN_RATE * dt_us;
        b->delay_us -= b->delay_us - target < step ? b->delay_us - target : step;
    }
}

/* Where player id is at render tick rt: between the two snapshots
 * around rt (i0 is the newest at or before it, -1 if rt is before them
 * all), or guessed past the newest. Sets o and the drawn velocity; false
 * when the player is not there to draw. */
static bool interp_place(const interp_buffer *b, int i0, double rt, int id, interp_out *o, float *vx, float *vy)
{
    *vx = *vy = 0;
    if (i0 < 0) {
        /* Render time is before everything buffered: the oldest. */
        const sim_player *e = &interp_at(b, 0)->players[id];
        if (!e->active)
            return false;
        o->status = INTERP_BETWEEN;
        o->x = (float)e->x / SIM_FP;
        o->y = (float)e->y / SIM_FP;
        o->look = *e;
        return true;
    }
    if (i0 < b->count - 1) {
        const interp_snap *s0 = interp_at(b, i0), *s1 = interp_at(b, i0 + 1);
        const sim_player *e0 = &s0->players[id], *e1 = &s1->players[id];
        if (!e1->active)
            return false; /* gone by the next snapshot */
        o->status = INTERP_BETWEEN;
        if (!e0->active) {
            o->x = (float)e1->x / SIM_FP;
            o->y = (float)e1->y / SIM_FP;
            o->look = *e1;
            return true;
        }
        double span = (double)(s1->tick - s0->tick);
        double f = (rt - s0->tick) / span;
        /* In double, as in interp_extrapolate. */
        double ddx = (double)e1->x - e0->x, ddy = (double)e1->y - e0->y;
        float dx = (float)(ddx / SIM_FP), dy = (float)(ddy / SIM_FP);
        if (dx * dx + dy * dy > INTERP_SNAP_PX * INTERP_SNAP_PX) {
            /* A teleport, not a motion: no sliding across the map. */
            const sim_player *e = f < 0.5 ? e0 : e1;
            o->x = (float)e->x / SIM_FP;
            o->y = (float)e->y / SIM_FP;
        } else {
            o->x = (float)((e0->x + ddx * f) / SIM_FP);
            o->y = (float)((e0->y + ddy * f) / SIM_FP);
            *vx = (float)(dx / span);
            *vy = (float)(dy / span);
        }
        o->look = *(f < 0.5 ? e0 : e1);
        return true;
    }
    /* At or past the newest snapshot. */
    const interp_snap *newest = interp_at(b, b->count - 1);
    const sim_player *e = &newest->players[id];
    if (!e->active)
        return false;
    double ahead = rt - newest->tick;
    if (ahead <= 0.0) {
        o->status = INTERP_BETWEEN;
        o->x = (float)e->x / SIM_FP;
        o->y = (float)e->y / SIM_FP;
        o->look = *e;
        return true;
    }
    const sim_player *prev = b->count >= 2 ? &interp_at(b, b->count - 2)->players[id] : NULL;
    o->status = ahead <= INTERP_MAX_EXTRAP_TICKS ? INTERP_EXTRAPOLATED : INTERP_HELD;
    interp_extrapolate(e, prev, ahead <= INTERP_MAX_EXTRAP_TICKS ? ahead : INTERP_MAX_EXTRAP_TICKS, o, vx, vy);
    if (o->status == INTERP_HELD)
        *vx = *vy = 0;
    return true;
}

/* Glide out of a guess: when the previous frame was extrapolated or held,
 * keep the drawn point continuous and let the difference fade. */
static void interp_glide(interp_track *l, interp_out *o, double rt, float vx, float vy, float decay)
{
    float raw_x = o->x, raw_y = o->y;
    if (!l->drawn) {
        l->err_x = l->err_y = 0;
    } else {
        l->err_x *= decay;
        l->err_y *= decay;
        bool from_guess = l->status == INTERP_EXTRAPOLATED || l->status == INTERP_HELD;
        if (from_guess && o->status != INTERP_HELD) {
            float dtk = (float)(rt - l->tick);
            float jx = raw_x - (l->raw_x + l->vx * dtk), jy = raw_y - (l->raw_y + l->vy * dtk);
            float j2 = jx * jx + jy * jy;
            if (j2 > INTERP_SNAP_PX * INTERP_SNAP_PX) {
                l->err_x = l->err_y = 0;
            } else if (j2 > 1e-4f) {
                l->err_x -= jx;
                l->err_y -= jy;
            }
        }
        if (fabsf(l->err_x) < 0.01f && fabsf(l->err_y) < 0.01f)
            l->err_x = l->err_y = 0;
    }
    l->drawn = true;
    l->status = o->status;
    l->tick = rt;
    l->raw_x = raw_x;
    l->raw_y = raw_y;
    l->vx = vx;
    l->vy = vy;
    o->x = raw_x + l->err_x;
    o->y = raw_y + l->err_y;
}

double interp_sample(interp_buffer *b, uint64_t now_us, double arrival_tick, interp_out out[SIM_MAX_PLAYERS])
{
    double dt_us = b->started && now_us > b->last_us ? (double)(now_us - b->last_us) : 0.0;
    b->started = true;
    b->last_us = now_us;
    if (b->hbucket_start_us != 0)
        interp_rotate(b, now_us);
    interp_update_delay(b, dt_us);

    double rt = arrival_tick - b->delay_us / INTERP_TICK_US;
    /* Never backward, so a player never walks back in time; but a clock
     * that was reset (clocksync found a new arrival line) is followed. */
    if (rt < b->render_tick && rt > b->render_tick - INTERP_RESET_TICKS)
        rt = b->render_tick;
    b->render_tick = rt;

    float decay = expf(-(float)dt_us / INTERP_SMOOTH_US);
    memset(out, 0, sizeof(interp_out) * SIM_MAX_PLAYERS);
    if (b->count == 0)
        return rt;

    /* Bracket: the newest snapshot at or before rt. */
    int i0 = -1;
    for (int i = b->count - 1; i >= 0; i--) {
        if (interp_at(b, i)->tick <= rt) {
            i0 = i;
            break;
        }
    }
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        float vx, vy;
        if (interp_place(b, i0, rt, id, &out[id], &vx, &vy))
            interp_glide(&b->last[id], &out[id], rt, vx, vy, decay);
        else
            out[id].status = INTERP_ABSENT;
    }
    /* Players not drawn this time start fresh when they come back. */
    for (int id = 0; id < SIM_MAX_PLAYERS; id++)
        if (out[id].status == INTERP_ABSENT)
            b->last[id].drawn = false;
    return rt;
}
