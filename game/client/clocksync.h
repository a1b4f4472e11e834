/*
 * clocksync: the client's estimate of the server's tick clock.
 *
 * Every snapshot is a sample: tick T arrived at local time a. Network
 * delay only ever adds to a, so a - T * tick_us is the offset between the
 * two clocks plus this message's delay, and the smallest value over a few
 * seconds is the offset plus the link's minimum delay: the "arrival line",
 * the earliest time each tick can be here. Jitter makes samples late,
 * never early, so a windowed minimum ignores it (a mean would not).
 *
 * Two readings come out:
 *  - clocksync_arrival_tick(now): the tick whose snapshot would have just
 *    arrived on a perfect link; interpolation renders behind it.
 *  - clocksync_server_tick(now): the server's current tick, the arrival
 *    tick plus the minimum one-way delay from ping/pong (half the lowest
 *    round trip seen recently).
 *
 * No visible time jumps: the published offset follows the windowed
 * minimum at a bounded slew rate (CLOCKSYNC_SLEW, a few percent of the
 * time that passes), so rendering time never runs backward or leaps. Only
 * a change beyond CLOCKSYNC_RESYNC_US (a server restart, a host that was
 * frozen) resets it at once: CLOCKSYNC_RESYNC_RUN snapshots in a row that
 * late are a new clock, not jitter.
 *
 * Pure: time is passed in (microseconds on the caller's clock).
 */
#ifndef LANARENA_CLOCKSYNC_H
#define LANARENA_CLOCKSYNC_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCKSYNC_TICK_US (1000000.0 / 60.0)
#define CLOCKSYNC_BUCKETS 8            /* minimum over 8 x 500 ms */
#define CLOCKSYNC_BUCKET_US 500000
#define CLOCKSYNC_SLEW 0.05            /* offset moves at most 5% of elapsed time */
#define CLOCKSYNC_RESYNC_US 250000.0
#define CLOCKSYNC_RESYNC_RUN 10        /* samples in a row beyond it: a new clock */

typedef struct {
    bool ready;
    double offset_us;          /* published: arrival line = tick * tick_us + offset */
    double target_us;          /* windowed minimum */
    double bucket_min[CLOCKSYNC_BUCKETS];
    int bucket;                /* current bucket index */
    uint64_t bucket_start_us;
    uint64_t last_update_us;
    double rtt_min_ms[CLOCKSYNC_BUCKETS]; /* lowest ping per bucket */
    double one_way_us;
    uint32_t samples;
    uint32_t far_run;          /* samples in a row far above the line */
} clocksync;

void clocksync_init(clocksync *c);
/* A snapshot of server tick `tick` arrived at local time arrival_us. */
void clocksync_on_snapshot(clocksync *c, uint32_t tick, uint64_t arrival_us);
/* A round-trip sample from ping/pong, milliseconds. */
void clocksync_on_rtt(clocksync *c, float rtt_ms, uint64_t now_us);
/* Moves the published offset toward the target; call once per frame. */
void clocksync_update(clocksync *c, uint64_t now_us);

/* Fractional ticks; 0 until the first snapshot. */
double clocksync_arrival_tick(const clocksync *c, uint64_t now_us);
double clocksync_server_tick(const clocksync *c, uint64_t now_us);
/* Lateness of a sample against the arrival line, microseconds (>= 0 up to
 * slewing). */
double clocksync_lateness_us(const clocksync *c, uint32_t tick, uint64_t arrival_us);

#endif
