/*
 * test_rate: a client's snapshot rate against simulated links, on a
 * simulated clock: a clean link keeps the ceiling, a slow one settles on
 * the highest step it carries without swinging, a dead one is hopeless
 * only at the floor and only after RATE_HOPELESS_MS, and a link that
 * recovers gets the ceiling back.
 */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "rate.h"

/* A bottleneck of capacity bytes/s with a queue in front, a base round
 * trip, and snapshots of snap_bytes at the rate the module picks. */
typedef struct {
    double capacity;   /* bytes per second; 0: nothing gets through */
    double snap_bytes;
    double base_rtt_ms;
    double queue;      /* bytes waiting at the bottleneck */
} sim_link;

/* Runs the link for ms milliseconds in RATE_EVAL_MS steps from *now.
 * Returns the rate at the end; counts steps spent at each rate. */
static int run(rate_state *r, sim_link *l, uint64_t *now, uint64_t ms, int *hz_hist)
{
    int hz = rate_hz(r);
    for (uint64_t t = 0; t < ms; t += RATE_EVAL_MS) {
        double dt = RATE_EVAL_MS / 1000.0;
        double sent = hz * l->snap_bytes * dt;
        l->queue += sent - l->capacity * dt;
        if (l->queue < 0)
            l->queue = 0;
        double in_flight = l->capacity > 0 ? sent / dt * l->base_rtt_ms / 1000.0 : 0;
        /* Nothing gets through: no acknowledgement, so the host's round
         * trip stays what it last measured. */
        double rtt = l->base_rtt_ms + (l->capacity > 0 ? l->queue / l->capacity * 1000.0 : 0.0) + 1000.0 / hz / 2;
        rate_link link = {.backlog_bytes = (uint32_t)(l->queue + in_flight),
                          .sent_per_s = (uint32_t)(hz * l->snap_bytes),
                          .rtt_ms = (float)rtt};
        *now += RATE_EVAL_MS;
        hz = rate_update(r, &link, *now);
        if (hz_hist)
            hz_hist[hz]++;
    }
    return hz;
}

static void test_ladder(void)
{
    rate_state r;
    rate_init(&r, 60, true, 0);
    CHECK(r.step_count == 5 && r.steps[0] == 60 && r.steps[4] == RATE_FLOOR_HZ);
    CHECK(rate_hz(&r) == 60);
    rate_init(&r, 25, true, 0);
    CHECK(r.step_count == 4 && r.steps[0] == 25 && r.steps[1] == 20 && r.steps[3] == 10);
    rate_init(&r, 10, false, 0);
    CHECK(r.step_count == 1 && rate_hz(&r) == 10);
    rate_init(&r, 5, true, 0); /* a host cap below the floor: one step */
    CHECK(r.step_count == 1 && rate_hz(&r) == 5);
    rate_init(&r, 99, true, 0);
    CHECK(rate_hz(&r) == 60);
}

static void test_clean_link(void)
{
    /* 64 moving players on a LAN, and on a clean link with a 150 ms
     * round trip: neither is behind. */
    double rtts[] = {1, 50, 150};
    for (int i = 0; i < 3; i++) {
        rate_state r;
        uint64_t now = 0;
        rate_init(&r, 60, true, now);
        sim_link l = {.capacity = 10e6, .snap_bytes = 900, .base_rtt_ms = rtts[i]};
        CHECK(run(&r, &l, &now, 120000, NULL) == 60);
        CHECK_MSG(r.downs == 0, "rtt %.0f: %u steps down on a clean link", rtts[i], r.downs);
        CHECK(!rate_hopeless(&r));
    }
}

static void test_slow_link(void)
{
    /* 96 kbit/s (12 KB/s) with 700-byte snapshots: 15 Hz (10.5 KB/s)
     * fits, 20 Hz (14 KB/s) does not. */
    rate_state r;
    uint64_t now = 0;
    rate_init(&r, 60, true, now);
    sim_link l = {.capacity = 12000, .snap_bytes = 700, .base_rtt_ms = 20};
    int hz = run(&r, &l, &now, 10000, NULL);
    CHECK_MSG(hz <= 15, "after 10 s still at %d Hz", hz);
    CHECK(!rate_hopeless(&r));
    /* Over the next three minutes: mostly at 15, rarely probing 20, never
     * hopeless, never above 20. */
    int hist[61] = {0};
    uint32_t ups_before = r.ups;
    run(&r, &l, &now, 180000, hist);
    int total = 0;
    for (int i = 0; i <= 60; i++)
        total += hist[i];
    printf("slow link: 15 Hz %d%%, 10 Hz %d%%, 20 Hz %d%%, above %d, %u probes up in 180 s\n",
           hist[15] * 100 / total, hist[10] * 100 / total, hist[20] * 100 / total,
           hist[30] + hist[60], r.ups - ups_before);
    CHECK(hist[30] == 0 && hist[60] == 0);
    CHECK_MSG(hist[15] * 100 / total >= 70, "at 15 Hz only %d%% of the time", hist[15] * 100 / total);
    CHECK_MSG(r.ups - ups_before <= 12, "%u probes in 180 s: the hold does not grow", r.ups - ups_before);
    CHECK(!rate_hopeless(&r));
    CHECK(rate_hz(&r) >= RATE_FLOOR_HZ);

    /* The link recovers: back to the ceiling, one step per hold. */
    l.capacity = 10e6;
    hz = run(&r, &l, &now, 4 * RATE_HOLD_MAX_MS, NULL);
    CHECK_MSG(hz == 60, "recovered link: %d Hz", hz);
}

static void test_dead_link(void)
{
    /* Nothing gets through (a peer that stopped reading). */
    rate_state r;
    uint64_t now = 0;
    rate_init(&r, 60, true, now);
    sim_link l = {.capacity = 0, .snap_bytes = 700, .base_rtt_ms = 1};
    /* Starts being behind once the backlog passes RATE_BACKLOG_MIN. */
    uint64_t floor_at = 0, hopeless_at = 0;
    for (int i = 0; i < 200 && !hopeless_at; i++) {
        run(&r, &l, &now, RATE_EVAL_MS, NULL);
        if (!floor_at && rate_hz(&r) == RATE_FLOOR_HZ)
            floor_at = now;
        if (rate_hopeless(&r))
            hopeless_at = now;
    }
    printf("dead link: floor after %.2f s, hopeless after %.2f s\n", floor_at / 1000.0, hopeless_at / 1000.0);
    CHECK(floor_at > 0 && floor_at <= 6000);
    CHECK(hopeless_at >= floor_at + RATE_HOPELESS_MS);
    CHECK(hopeless_at <= floor_at + RATE_HOPELESS_MS + 2 * RATE_EVAL_MS);

    /* At the floor, behind but draining: never hopeless. */
    rate_init(&r, 60, true, 0);
    now = 0;
    l = (sim_link){.capacity = 8000, .snap_bytes = 700, .base_rtt_ms = 1, .queue = 150000};
    run(&r, &l, &now, 60000, NULL);
    CHECK(!rate_hopeless(&r));
}

static void test_fixed_rate(void)
{
    /* A round trip that grows by far more than the backlog explains (a
     * queue further along the path): Auto steps down, a client that asked
     * for 60 keeps it. And a round trip that grows with nothing waiting
     * (a busy host or client; the kernels acknowledged every byte): both
     * keep 60. */
    rate_state a, f, busy;
    uint64_t now = 0;
    rate_init(&a, 60, true, now);
    rate_init(&f, 60, false, now);
    rate_init(&busy, 60, true, now);
    rate_link good = {.backlog_bytes = 100, .sent_per_s = 40000, .rtt_ms = 20};
    for (int i = 0; i < 40; i++) {
        now += RATE_EVAL_MS;
        rate_update(&a, &good, now);
        rate_update(&f, &good, now);
        rate_update(&busy, &good, now);
    }
    for (int i = 0; i < 40; i++) {
        now += RATE_EVAL_MS;
        float rtt = 400.0f + (float)i * 20.0f;
        rate_link bad = {.backlog_bytes = 5000, .sent_per_s = 40000, .rtt_ms = rtt};
        rate_update(&a, &bad, now);
        rate_update(&f, &bad, now);
        rate_link slow_cpu = {.backlog_bytes = 200, .sent_per_s = 40000, .rtt_ms = rtt};
        rate_update(&busy, &slow_cpu, now);
    }
    CHECK(rate_hz(&a) < 60);
    CHECK(rate_hz(&f) == 60);
    CHECK_MSG(rate_hz(&busy) == 60 && busy.downs == 0, "a busy client lost its rate: %d Hz", rate_hz(&busy));
    /* A backlog lowers both. */
    for (int i = 0; i < 20; i++) {
        now += RATE_EVAL_MS;
        rate_link jam = {.backlog_bytes = 50000u + (uint32_t)i * 5000u, .sent_per_s = 40000, .rtt_ms = 20};
        rate_update(&f, &jam, now);
    }
    CHECK(rate_hz(&f) < 60);
}

static void test_eval_spacing(void)
{
    rate_state r;
    rate_init(&r, 60, true, 1000);
    rate_link jam = {.backlog_bytes = 1000000, .sent_per_s = 1000, .rtt_ms = 900};
    /* Calls more often than RATE_EVAL_MS change nothing. */
    for (uint64_t t = 1001; t < 1000 + RATE_EVAL_MS; t++)
        CHECK(rate_update(&r, &jam, t) == 60);
    CHECK(rate_update(&r, &jam, 1000 + RATE_EVAL_MS) == 30);
    /* Then at most one step down per RATE_DOWN_GAP_MS. */
    CHECK(rate_update(&r, &jam, 1000 + 2 * RATE_EVAL_MS) == 30);
    CHECK(rate_update(&r, &jam, 1000 + RATE_EVAL_MS + RATE_DOWN_GAP_MS) == 20);
}

static void test_due(void)
{
    int counts[4] = {0};
    int rates[4] = {60, 30, 25, 10};
    for (int k = 0; k < 4; k++) {
        uint32_t last = 0;
        int max_gap = 0;
        for (uint32_t t = 1000; t < 1600; t++) {
            if (rate_due(rates[k], 60, t, last)) {
                if (last && (int)(t - last) > max_gap)
                    max_gap = (int)(t - last);
                last = t;
                counts[k]++;
            }
        }
        CHECK_MSG(counts[k] >= rates[k] * 10 && counts[k] <= rates[k] * 10 + 1, "%d Hz: %d in 10 s", rates[k],
                  counts[k]);
        CHECK(max_gap == (60 + rates[k] - 1) / rates[k]);
    }
    CHECK(rate_due(25, 60, 5, 0)); /* the first is always due */
}

int main(void)
{
    test_ladder();
    test_clean_link();
    test_slow_link();
    test_dead_link();
    test_fixed_rate();
    test_eval_spacing();
    test_due();
    return check_done("rate");
}
