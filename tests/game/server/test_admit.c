/* admit: the join rate and the password backoff per address, on a clock
 * passed in, and one log line per address per interval. */
#include <stdio.h>

#include "admit.h"
#include "check.h"

static void test_joins(void)
{
    admit_table t;
    admit_init(&t);
    uint64_t now = 100000;
    /* A burst at once, then one every ADMIT_JOIN_EVERY_MS. */
    for (int i = 0; i < ADMIT_JOIN_BURST; i++) {
        CHECK(admit_wait(&t, "10.0.0.2", true, false, now) == 0);
        admit_joined(&t, "10.0.0.2", now);
    }
    uint64_t w = admit_wait(&t, "10.0.0.2", true, false, now);
    CHECK_MSG(w > 0 && w <= ADMIT_JOIN_EVERY_MS, "wait %llu", (unsigned long long)w);
    CHECK(admit_wait(&t, "10.0.0.2", true, false, now + w) == 0);
    /* Not for a trusted address (joins false), nor for another address. */
    CHECK(admit_wait(&t, "10.0.0.2", false, false, now) == 0);
    CHECK(admit_wait(&t, "10.0.0.3", true, false, now) == 0);
    /* 370 joins a second for 10 s get through at the rate, no faster. */
    admit_init(&t);
    int joined = 0;
    for (uint64_t ms = 0; ms < 10000; ms += 3) {
        if (admit_wait(&t, "10.0.0.9", true, false, now + ms) == 0) {
            admit_joined(&t, "10.0.0.9", now + ms);
            joined++;
        }
    }
    printf("admit: %d of 3334 churning joins in 10 s let through\n", joined);
    CHECK(joined <= ADMIT_JOIN_BURST + 10000 / ADMIT_JOIN_EVERY_MS + 1);
    CHECK(joined >= 10000 / ADMIT_JOIN_EVERY_MS);
}

static void test_passwords(void)
{
    admit_table t;
    admit_init(&t);
    uint64_t now = 5000, backoff;
    uint32_t count;
    CHECK(admit_wait(&t, "10.0.0.5", true, true, now) == 0);
    /* The first wrong one: logged, 250 ms. */
    CHECK(admit_password_failed(&t, "10.0.0.5", now, &count, &backoff));
    CHECK(count == 1 && backoff == ADMIT_BACKOFF_FIRST_MS);
    CHECK(admit_wait(&t, "10.0.0.5", true, true, now) == ADMIT_BACKOFF_FIRST_MS);
    CHECK(admit_wait(&t, "10.0.0.5", true, false, now) == 0); /* no password: no backoff */
    CHECK(admit_wait(&t, "10.0.0.6", true, true, now) == 0);  /* another address */
    /* Doubling, capped, and not logged again within the interval. */
    uint64_t expect = ADMIT_BACKOFF_FIRST_MS;
    int lines = 0;
    for (int i = 0; i < 10; i++) {
        now += admit_wait(&t, "10.0.0.5", true, true, now);
        lines += admit_password_failed(&t, "10.0.0.5", now, &count, &backoff);
        expect = expect * 2 > ADMIT_BACKOFF_MAX_MS ? ADMIT_BACKOFF_MAX_MS : expect * 2;
        CHECK_MSG(backoff == expect, "failure %d: backoff %llu, expected %llu", i + 2, (unsigned long long)backoff,
                  (unsigned long long)expect);
    }
    CHECK(lines == 1);                       /* ~14 s of guessing: one more line */
    CHECK(backoff == ADMIT_BACKOFF_MAX_MS);
    /* The right password clears it. */
    admit_password_ok(&t, "10.0.0.5");
    CHECK(admit_wait(&t, "10.0.0.5", false, true, now) == 0);
    CHECK(admit_password_failed(&t, "10.0.0.5", now, &count, &backoff) == false && backoff == ADMIT_BACKOFF_FIRST_MS);
    /* Guessing flat out for a minute: how many guesses are looked at. */
    admit_init(&t);
    int looked = 0, logged = 0;
    for (uint64_t ms = 0; ms < 60000; ms += 1) {
        if (admit_wait(&t, "10.0.0.7", true, true, ms) == 0) {
            looked++;
            logged += admit_password_failed(&t, "10.0.0.7", ms, &count, &backoff);
        }
    }
    printf("admit: %d password guesses looked at in 60 s of guessing, %d log lines\n", looked, logged);
    CHECK(looked <= 60000 / ADMIT_BACKOFF_MAX_MS + 5);
    CHECK(logged <= 60000 / ADMIT_LOG_EVERY_MS + 1);
}

static void test_table_full(void)
{
    admit_table t;
    admit_init(&t);
    uint64_t backoff;
    uint32_t count;
    admit_password_failed(&t, "10.0.0.1", 1000, &count, &backoff);
    /* Many other addresses: the oldest goes, the table never overflows. */
    for (int i = 0; i < 3 * ADMIT_ADDRS; i++) {
        char addr[24];
        snprintf(addr, sizeof addr, "10.1.%d.%d", i / 256, i % 256);
        admit_wait(&t, addr, true, true, 2000 + (uint64_t)i);
    }
    int used = 0;
    for (int i = 0; i < ADMIT_ADDRS; i++)
        used += t.e[i].used;
    CHECK(used == ADMIT_ADDRS);
}

int main(void)
{
    test_joins();
    test_passwords();
    test_table_full();
    return check_done("admit");
}
