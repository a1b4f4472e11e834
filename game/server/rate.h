/*
 * rate: how many snapshots a second one client gets, chosen from what its
 * link carries (Quake III's `snaps`, Source's `cl_updaterate`, decided by
 * the host).
 *
 * The rate moves along a ladder of steps: the client's ceiling (the
 * lesser of what it asked for and the host's cap), then whichever of
 * RATE_STEPS lie below it, down to RATE_FLOOR_HZ (10). Every
 * RATE_EVAL_MS the host reports what it sees of the link:
 *  - backlog: bytes it has queued for the client that the client has not
 *    acknowledged yet (its outbox plus the kernel's unacknowledged bytes);
 *    divided by what it sends the client a second, that is how long a new
 *    snapshot waits behind the old ones (the queue delay);
 *  - rtt: the smoothed round trip from a snapshot to the input that
 *    acknowledges it, against the lowest one seen lately (inflation).
 * The link is behind when the queue delay (the backlog's time less the
 * lowest round trip: bytes merely in flight are no queue) passes
 * RATE_QUEUE_MS, or, in Auto, the round trip has grown by more than
 * RATE_QUEUE_MS plus one snapshot interval (the client's input pacing
 * adds up to one) while at least RATE_BACKLOG_MIN bytes wait: a round
 * trip that grows with nothing waiting is a busy host or client (the
 * kernels acknowledged every byte), which fewer snapshots would not
 * help. Behind
 * and not catching up (the backlog or round trip has not fallen by a
 * tenth since the last look), it steps down, at most once per
 * RATE_DOWN_GAP_MS so a step has time to show. Clear for `hold` ms (both
 * signals under half their limits), it steps up one; a step up that is
 * followed by trouble within RATE_PROBE_MS doubles the hold (up to
 * RATE_HOLD_MAX_MS), so a link that carries 15 Hz but not 20 settles at
 * 15 instead of swinging; a calm RATE_PROBE_MS after a step up halves it
 * again.
 *
 * A client not in Auto (it asked for a rate) is only lowered for the
 * queue delay, never for a long round trip: what it asked for is kept
 * unless the link cannot carry it at all.
 *
 * Hopeless: at the floor, the queue delay over RATE_HOPELESS_QUEUE_MS, and
 * the backlog has not shrunk by RATE_HOPELESS_DRAIN bytes for
 * RATE_HOPELESS_MS: even 10 snapshots a second do not get through, and
 * the host drops the player as too slow.
 *
 * Pure: no clocks, no sockets; time is passed in (milliseconds).
 *
 * Threading contract: a rate_state belongs to one thread (the server's);
 * no locking.
 */
#ifndef LANARENA_RATE_H
#define LANARENA_RATE_H

#include <stdbool.h>
#include <stdint.h>

#define RATE_FLOOR_HZ 10
#define RATE_EVAL_MS 250
#define RATE_QUEUE_MS 150
#define RATE_DOWN_GAP_MS 750
#define RATE_HOLD_MS 2000
#define RATE_HOLD_MAX_MS 32000
#define RATE_PROBE_MS 6000
#define RATE_HOPELESS_MS 10000
#define RATE_HOPELESS_QUEUE_MS 2000
#define RATE_HOPELESS_DRAIN 1000 /* bytes: a backlog shrinking less than this is stuck */
#define RATE_BACKLOG_MIN 3000 /* bytes: less is never "behind" (a few packets in flight) */
#define RATE_RTT_WINDOW_MS 10000 /* the lowest round trip is taken over 2 x this */
#define RATE_MAX_STEPS 8

typedef struct {
    int steps[RATE_MAX_STEPS]; /* descending: ceiling .. RATE_FLOOR_HZ */
    int step_count;
    int step;                  /* index into steps: the current rate */
    bool adaptive;             /* Auto: the round trip counts too */
    uint64_t last_eval_ms, last_down_ms, last_up_ms, clear_since_ms;
    uint32_t hold_ms;
    bool probing;              /* stepped up less than RATE_PROBE_MS ago */
    uint32_t prev_backlog;
    float prev_rtt_ms;
    float rtt_min_ms[2];       /* lowest round trip: this window and the last */
    uint64_t rtt_window_ms;    /* when the current window began */
    uint64_t floor_since_ms;   /* behind at the floor without shrinking since; 0: not */
    uint32_t floor_backlog;    /* the backlog then */
    bool hopeless;
    /* for stats and tests */
    uint32_t downs, ups;
} rate_state;

typedef struct {
    uint32_t backlog_bytes; /* queued for the client and not yet acknowledged */
    uint32_t sent_per_s;    /* bytes sent to it over about the last second */
    float rtt_ms;           /* smoothed snapshot-to-ack round trip; 0: unknown */
} rate_link;

/* ceiling_hz: what the client gets at most (1..60); adaptive: Auto. A
 * ceiling below RATE_FLOOR_HZ is a ladder of one step. */
void rate_init(rate_state *r, int ceiling_hz, bool adaptive, uint64_t now_ms);

/* Looks at the link (at most every RATE_EVAL_MS; more often is ignored)
 * and returns the rate now in effect. */
int rate_update(rate_state *r, const rate_link *link, uint64_t now_ms);

int rate_hz(const rate_state *r);
/* Even the floor rate does not get through (see above). */
bool rate_hopeless(const rate_state *r);

/* Whether a client at hz is due a snapshot at tick, given the tick of its
 * last one (0: none yet): whenever tick * hz / tick_hz steps past its
 * value at the last, so 25 Hz of 60 is gaps of 2 and 3 ticks, exactly 25
 * a second. hz >= tick_hz: every tick. */
bool rate_due(int hz, int tick_hz, uint32_t tick, uint32_t last_tick);

#endif
