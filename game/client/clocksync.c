#include "clocksync.h"

#include <math.h>
#include <string.h>

void clocksync_init(clocksync *c)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < CLOCKSYNC_BUCKETS; i++) {
        c->bucket_min[i] = INFINITY;
        c->rtt_min_ms[i] = INFINITY;
    }
}

static void clocksync_retarget(clocksync *c)
{
    double m = INFINITY, r = INFINITY;
    for (int i = 0; i < CLOCKSYNC_BUCKETS; i++) {
        if (c->bucket_min[i] < m)
            m = c->bucket_min[i];
        if (c->rtt_min_ms[i] < r)
            r = c->rtt_min_ms[i];
    }
    if (m < INFINITY)
        c->target_us = m;
    if (r < INFINITY)
        c->one_way_us = r * 500.0; /* half the round trip, in microseconds */
}

/* Starts new buckets for the time that passed; the oldest fall out. */
static void clocksync_rotate(clocksync *c, uint64_t now_us)
{
    if (c->samples == 0)
        return;
    for (int n = 0; n < CLOCKSYNC_BUCKETS && now_us >= c->bucket_start_us + CLOCKSYNC_BUCKET_US; n++) {
        c->bucket = (c->bucket + 1) % CLOCKSYNC_BUCKETS;
        c->bucket_min[c->bucket] = INFINITY;
        c->rtt_min_ms[c->bucket] = INFINITY;
        c->bucket_start_us += CLOCKSYNC_BUCKET_US;
    }
    if (now_us >= c->bucket_start_us + CLOCKSYNC_BUCKET_US)
        c->bucket_start_us = now_us; /* a long silence: restart the grid */
    clocksync_retarget(c);
}

void clocksync_on_snapshot(clocksync *c, uint32_t tick, uint64_t arrival_us)
{
    double v = (double)arrival_us - (double)tick * CLOCKSYNC_TICK_US;
    if (c->samples == 0) {
        c->bucket_start_us = arrival_us;
        c->last_update_us = arrival_us;
    }
    clocksync_rotate(c, arrival_us);
    /* A run of samples far above the line is a new clock (the host froze
     * and its ticks restarted later, or it restarted): forget the old line. */
    c->far_run = c->ready && v > c->target_us + CLOCKSYNC_RESYNC_US ? c->far_run + 1 : 0;
    if (c->far_run >= CLOCKSYNC_RESYNC_RUN) {
        for (int i = 0; i < CLOCKSYNC_BUCKETS; i++)
            c->bucket_min[i] = INFINITY;
        c->far_run = 0;
    }
    if (v < c->bucket_min[c->bucket])
        c->bucket_min[c->bucket] = v;
    c->samples++;
    clocksync_retarget(c);
    if (!c->ready) {
        c->offset_us = c->target_us;
        c->ready = true;
    }
}

void clocksync_on_rtt(clocksync *c, float rtt_ms, uint64_t now_us)
{
    if (!(rtt_ms > 0))
        return;
    clocksync_rotate(c, now_us);
    if (rtt_ms < c->rtt_min_ms[c->bucket])
        c->rtt_min_ms[c->bucket] = rtt_ms;
    clocksync_retarget(c);
}

void clocksync_update(clocksync *c, uint64_t now_us)
{
    if (!c->ready) {
        c->last_update_us = now_us;
        return;
    }
    clocksync_rotate(c, now_us);
    double dt = now_us > c->last_update_us ? (double)(now_us - c->last_update_us) : 0.0;
    c->last_update_us = now_us;
    double diff = c->target_us - c->offset_us;
    if (fabs(diff) > CLOCKSYNC_RESYNC_US) {
        c->offset_us = c->target_us;
        return;
    }
    double step = CLOCKSYNC_SLEW * dt;
    c->offset_us += diff > step ? step : (diff < -step ? -step : diff);
}

double clocksync_arrival_tick(const clocksync *c, uint64_t now_us)
{
    if (!c->ready)
        return 0.0;
    return ((double)now_us - c->offset_us) / CLOCKSYNC_TICK_US;
}

double clocksync_server_tick(const clocksync *c, uint64_t now_us)
{
    if (!c->ready)
        return 0.0;
    return ((double)now_us - c->offset_us + c->one_way_us) / CLOCKSYNC_TICK_US;
}

double clocksync_lateness_us(const clocksync *c, uint32_t tick, uint64_t arrival_us)
{
    return (double)arrival_us - (double)tick * CLOCKSYNC_TICK_US - c->offset_us;
}
