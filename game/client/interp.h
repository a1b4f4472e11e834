/*
 * interp: remote players drawn between two received snapshots, a short,
 * adaptive delay in the past (entity interpolation, as in Source and
 * Gambetta's articles, but with a delay that follows the link instead of
 * a fixed 100 ms).
 *
 * Render time. The caller passes the "arrival tick" (clocksync: the tick
 * whose snapshot would just have arrived on a perfect link); players are
 * drawn at render_tick = arrival_tick - delay. To draw between snapshots
 * k-1 and k the client needs k, so on a perfect link the delay must cover
 * one snapshot interval; on a real one it must also cover how late
 * snapshots come. Each snapshot's lateness (how far behind the arrival
 * line it came) goes into a histogram per 500 ms, and the target delay is
 *     one tick + jitter + 1 ms,
 * (one snapshot interval: interp_set_interval gives it in ticks when the
 * host sends fewer than one snapshot a tick, e.g. 3 at 20 Hz),
 * where jitter is the second highest of the last six half-seconds' 98th
 * percentiles of lateness: lateness that persists for a second or more
 * (jitter) is covered, so the buffer runs dry about 2% of the time or
 * less, while a single burst (a stall, a retransmit) is left to
 * extrapolation instead of adding its length to every frame for seconds.
 * On a clean LAN at 60 Hz the delay is about 18-21 ms. It follows its
 * target smoothly:
 * up at 10% of elapsed time (remote players slow to 0.9x for a moment),
 * down at 3% once the target is 1 ms below; render time never runs
 * backward.
 *
 * Running dry. When render_tick passes the newest snapshot, players are
 * extrapolated from it with sim_player_move, holding the buttons their
 * velocity shows (so walls still stop them), for at most
 * INTERP_MAX_EXTRAP_TICKS (100 ms); then they hold still. When snapshots
 * return, the jump from the guess to the truth is glided over ~50 ms
 * (jumps over INTERP_SNAP_PX snap).
 *
 * Pure: no SDL, no clocks; time is passed in (microseconds).
 */
#ifndef LANARENA_INTERP_H
#define LANARENA_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

#define INTERP_SNAPS 64
#define INTERP_MAX_EXTRAP_TICKS 6     /* 100 ms at 60 Hz */
#define INTERP_MAX_DELAY_US 250000.0
#define INTERP_HIST_BINS 256          /* lateness in 1 ms bins */
#define INTERP_HIST_BUCKETS 6         /* 6 x 500 ms */
#define INTERP_HIST_BUCKET_US 500000
#define INTERP_PERCENTILE 98
#define INTERP_MARGIN_US 1000.0
#define INTERP_SNAP_PX 32.0f
#define INTERP_SMOOTH_US 50000.0f

typedef enum {
    INTERP_ABSENT = 0,   /* not in the buffered snapshots */
    INTERP_BETWEEN,      /* between two snapshots (or at the oldest) */
    INTERP_EXTRAPOLATED, /* past the newest snapshot, <= 100 ms */
    INTERP_HELD          /* past the newest snapshot by more: held */
} interp_status;

typedef struct {
    uint32_t tick;
    sim_player players[SIM_MAX_PLAYERS]; /* by id; inactive: absent */
} interp_snap;

typedef struct {
    interp_status status;
    float x, y;           /* pixels, smoothed */
    sim_player look;      /* facing, moving, step (and velocity) as drawn */
} interp_out;

/* Per player: what was drawn last, to glide out of extrapolation. */
typedef struct {
    bool drawn;
    interp_status status;
    double tick;
    float raw_x, raw_y, vx, vy; /* vx, vy: pixels per tick */
    float err_x, err_y;
} interp_track;

typedef struct {
    interp_snap snaps[INTERP_SNAPS];
    int head, count;      /* head: index of the oldest */
    /* Lateness histograms, one per 500 ms bucket, and each one's 98th
     * percentile (-1: empty). */
    uint16_t hist[INTERP_HIST_BUCKETS][INTERP_HIST_BINS];
    uint32_t hist_count[INTERP_HIST_BUCKETS];
    double hist_pct_us[INTERP_HIST_BUCKETS];
    uint32_t hist_total;
    int hbucket;
    uint64_t hbucket_start_us;
    double jitter_us;     /* see above */
    double target_us, delay_us;
    int interval_ticks;   /* ticks between snapshots; 0 or 1: every tick */
    bool delay_ready;
    double render_tick;
    uint64_t last_us;
    bool started;
    interp_track last[SIM_MAX_PLAYERS];
} interp_buffer;

void interp_init(interp_buffer *b);

/* A snapshot of every player (inactive ones are absent) at server tick
 * `tick`; lateness_us is how late it came against the arrival line
 * (clocksync_lateness_us), arrival_us when. Older or repeated ticks are
 * ignored. */
void interp_push(interp_buffer *b, uint32_t tick, const sim_player players[SIM_MAX_PLAYERS], double lateness_us,
                 uint64_t arrival_us);

/* Advances render time to now (arrival_tick from clocksync) and draws
 * every player into out[SIM_MAX_PLAYERS]. Returns the render tick. */
double interp_sample(interp_buffer *b, uint64_t now_us, double arrival_tick, interp_out out[SIM_MAX_PLAYERS]);

/* Snapshots come every `ticks` ticks (at most; 25 Hz of 60 is 3). The
 * delay follows its new target smoothly, as for jitter. */
void interp_set_interval(interp_buffer *b, int ticks);

/* Newest buffered tick (0 when empty). */
uint32_t interp_newest_tick(const interp_buffer *b);

#endif
