/*
 * runclock: a millisecond clock that counts only the time its thread could
 * run. A thread reads its monotonic clock each turn of its loop and passes
 * the reading in; a step between two readings longer than the loop can
 * ever take on its own (its longest wait plus a slack) means the process
 * was stopped (SIGSTOP, a laptop asleep, a debugger), and counts only
 * max_step_ms.
 *
 * Silence limits measured on this clock judge the peer only by time we
 * were there to listen: after a pause, the host's own in-process players
 * and its server thread both wake with their partner still asleep for a
 * few milliseconds, and neither mistakes the pause for the other's
 * silence. A peer that is really gone is found one limit later than the
 * pause, never never.
 *
 * Threading contract: one runclock per thread; pure otherwise (the
 * reading is passed in).
 */
#ifndef LANARENA_RUNCLOCK_H
#define LANARENA_RUNCLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t max_step_ms; /* the most one step between readings counts */
    uint64_t last_raw_ms; /* the previous reading */
    uint64_t now_ms;      /* the run time at that reading */
    uint64_t paused_ms;   /* time judged paused so far */
    uint32_t pauses;      /* steps longer than max_step_ms so far */
    bool started;
} runclock;

/* A clock whose steps count at most max_step_ms (>= 1). */
void runclock_init(runclock *rc, uint64_t max_step_ms);

/* The run time at the monotonic reading raw_ms: the first reading is its
 * own run time; later ones advance it by the step since the previous
 * reading, at most max_step_ms. A reading earlier than the previous one
 * advances nothing. Never decreases. */
uint64_t runclock_now(runclock *rc, uint64_t raw_ms);

#endif
