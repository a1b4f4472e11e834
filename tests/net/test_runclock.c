/*
 * runclock: steps up to the limit count in full, a longer step (a stopped
 * process) counts only the limit, a reading that goes back counts
 * nothing, and the clock never decreases.
 */
#include "check.h"
#include "runclock.h"

int main(void)
{
    runclock rc;
    runclock_init(&rc, 1500);
    CHECK(runclock_now(&rc, 10000) == 10000); /* the first reading is its own time */
    CHECK(runclock_now(&rc, 10016) == 10016);
    CHECK(runclock_now(&rc, 11516) == 11516); /* exactly the limit: all of it */
    CHECK(rc.pauses == 0 && rc.paused_ms == 0);

    /* Stopped for 5 s: only 1.5 s of it counts. */
    CHECK(runclock_now(&rc, 16516) == 13016);
    CHECK(rc.pauses == 1 && rc.paused_ms == 3500);
    CHECK(runclock_now(&rc, 16532) == 13032); /* then running again */

    /* A reading earlier than the last one: no time passes, none is lost. */
    CHECK(runclock_now(&rc, 16000) == 13032);
    CHECK(runclock_now(&rc, 16540) == 13040);

    /* A silence deadline on this clock: a peer last heard 100 ms before a
     * 10 s pause is not 10 s silent afterwards. */
    uint64_t heard = runclock_now(&rc, 16600);
    uint64_t woke = runclock_now(&rc, 26700);
    CHECK(woke - heard == 1500);
    CHECK(rc.pauses == 2);

    /* A zero limit is taken as 1 ms. */
    runclock_init(&rc, 0);
    CHECK(runclock_now(&rc, 5) == 5);
    CHECK(runclock_now(&rc, 500) == 6);
    return check_done("test_runclock");
}
