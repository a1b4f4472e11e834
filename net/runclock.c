#include "runclock.h"

#include <string.h>

void runclock_init(runclock *rc, uint64_t max_step_ms)
{
    memset(rc, 0, sizeof *rc);
    rc->max_step_ms = max_step_ms ? max_step_ms : 1;
}

uint64_t runclock_now(runclock *rc, uint64_t raw_ms)
{
    if (!rc->started) {
        rc->started = true;
        rc->last_raw_ms = raw_ms;
        rc->now_ms = raw_ms;
        return rc->now_ms;
    }
    uint64_t step = raw_ms > rc->last_raw_ms ? raw_ms - rc->last_raw_ms : 0;
    rc->last_raw_ms = raw_ms > rc->last_raw_ms ? raw_ms : rc->last_raw_ms;
    if (step > rc->max_step_ms) {
        rc->paused_ms += step - rc->max_step_ms;
        rc->pauses++;
        step = rc->max_step_ms;
    }
    rc->now_ms += step;
    return rc->now_ms;
}
