#include "rate.h"

#include <string.h>

/* The standard ladder: divisors of 60, so each is a snapshot every 1, 2,
 * 3, 4 or 6 ticks. */
static const int rate_ladder[] = {60, 30, 20, 15, 10};

void rate_init(rate_state *r, int ceiling_hz, bool adaptive, uint64_t now_ms)
{
    memset(r, 0, sizeof *r);
    if (ceiling_hz < 1)
        ceiling_hz = 1;
    if (ceiling_hz > rate_ladder[0])
        ceiling_hz = rate_ladder[0];
    r->steps[r->step_count++] = ceiling_hz;
    for (size_t i = 0; i < sizeof rate_ladder / sizeof rate_ladder[0]; i++)
        if (rate_ladder[i] < ceiling_hz && r->step_count < RATE_MAX_STEPS)
            r->steps[r->step_count++] = rate_ladder[i];
    r->adaptive = adaptive;
    r->last_eval_ms = now_ms;
    r->clear_since_ms = now_ms;
    r->rtt_window_ms = now_ms;
    r->hold_ms = RATE_HOLD_MS;
}

int rate_hz(const rate_state *r)
{
    return r->steps[r->step];
}

bool rate_hopeless(const rate_state *r)
{
    return r->hopeless;
}

static float rate_rtt_min(const rate_state *r)
{
    float a = r->rtt_min_ms[0], b = r->rtt_min_ms[1];
    if (a <= 0.0f)
        return b;
    if (b <= 0.0f)
        return a;
    return a < b ? a : b;
}

int rate_update(rate_state *r, const rate_link *link, uint64_t now_ms)
{
    if (now_ms - r->last_eval_ms < RATE_EVAL_MS)
        return rate_hz(r);
    r->last_eval_ms = now_ms;

    /* The lowest round trip over the last one to two windows: it forgets a
     * route that got slower for good, but not within a congestion episode. */
    if (now_ms - r->rtt_window_ms >= RATE_RTT_WINDOW_MS) {
        r->rtt_min_ms[1] = r->rtt_min_ms[0];
        r->rtt_min_ms[0] = 0.0f;
        r->rtt_window_ms = now_ms;
    }
    if (link->rtt_ms > 0.0f && (r->rtt_min_ms[0] <= 0.0f || link->rtt_ms < r->rtt_min_ms[0]))
        r->rtt_min_ms[0] = link->rtt_ms;

    int hz = rate_hz(r);
    float interval_ms = 1000.0f / (float)hz;
    float rtt_min = rate_rtt_min(r);
    /* Queue delay: how long the backlog takes at the rate we send, less
     * the part that is only the link's own round trip (bytes in flight).
     * With nothing sent lately, any backlog past the minimum is stuck. */
    float queue_ms = 0.0f;
    if (link->backlog_bytes >= RATE_BACKLOG_MIN) {
        queue_ms = link->sent_per_s > 0 ? (float)link->backlog_bytes * 1000.0f / (float)link->sent_per_s
                                        : 1e9f;
        queue_ms -= rtt_min;
    }
    float inflation_ms = 0.0f;
    if (r->adaptive && link->rtt_ms > 0.0f && rtt_min > 0.0f)
        inflation_ms = link->rtt_ms - rtt_min - interval_ms;
    /* A long round trip alone (a busy host or client: the kernel still
     * acknowledged everything) is not the link; with a backlog it is. */
    bool inflated = inflation_ms > RATE_QUEUE_MS && link->backlog_bytes >= RATE_BACKLOG_MIN;
    bool behind = queue_ms > RATE_QUEUE_MS || inflated;
    bool clear = queue_ms < RATE_QUEUE_MS / 2 && inflation_ms < RATE_QUEUE_MS / 2;

    if (behind) {
        r->clear_since_ms = now_ms;
        if (r->probing) {
            /* The step up did not hold: wait longer before the next. */
            r->hold_ms = r->hold_ms * 2 > RATE_HOLD_MAX_MS ? RATE_HOLD_MAX_MS : r->hold_ms * 2;
            r->probing = false;
        }
        bool backlog_falling = link->backlog_bytes < r->prev_backlog - r->prev_backlog / 10;
        bool rtt_falling = r->adaptive && link->rtt_ms > 0.0f && link->rtt_ms < r->prev_rtt_ms * 0.9f;
        bool catching_up = (queue_ms <= RATE_QUEUE_MS || backlog_falling) &&
                           (inflation_ms <= RATE_QUEUE_MS || rtt_falling || backlog_falling);
        if (!catching_up && r->step + 1 < r->step_count && now_ms - r->last_down_ms >= RATE_DOWN_GAP_MS) {
            r->step++;
            r->downs++;
            r->last_down_ms = now_ms;
        }
        /* At the floor: hopeless once the backlog stops shrinking for long. */
        if (r->step + 1 == r->step_count && queue_ms > RATE_HOPELESS_QUEUE_MS) {
            if (r->floor_since_ms == 0 || link->backlog_bytes + RATE_HOPELESS_DRAIN < r->floor_backlog) {
                r->floor_since_ms = now_ms;
                r->floor_backlog = link->backlog_bytes;
            } else if (now_ms - r->floor_since_ms >= RATE_HOPELESS_MS) {
                r->hopeless = true;
            }
        } else {
            r->floor_since_ms = 0;
        }
    } else {
        r->floor_since_ms = 0;
        if (!clear)
            r->clear_since_ms = now_ms;
        if (r->probing && now_ms - r->last_up_ms >= RATE_PROBE_MS) {
            r->probing = false;
            r->hold_ms = r->hold_ms / 2 < RATE_HOLD_MS ? RATE_HOLD_MS : r->hold_ms / 2;
        }
        if (clear && r->step > 0 && now_ms - r->clear_since_ms >= r->hold_ms) {
            r->step--;
            r->ups++;
            r->last_up_ms = now_ms;
            r->clear_since_ms = now_ms;
            r->probing = true;
        }
    }
    r->prev_backlog = link->backlog_bytes;
    r->prev_rtt_ms = link->rtt_ms;
    return rate_hz(r);
}

bool rate_due(int hz, int tick_hz, uint32_t tick, uint32_t last_tick)
{
    if (hz >= tick_hz || last_tick == 0)
        return true;
    if (hz <= 0)
        return false;
    uint64_t now = (uint64_t)tick * (uint64_t)hz / (uint64_t)tick_hz;
    uint64_t last = (uint64_t)last_tick * (uint64_t)hz / (uint64_t)tick_hz;
    return now != last;
}
