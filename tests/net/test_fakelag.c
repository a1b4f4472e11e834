/*
 * fakelag: constant delay, jitter within bounds and in order, stalls that
 * hold everything back and then release it at once, a full queue, and
 * configurations that make no sense.
 */
#include <stdint.h>

#include "check.h"
#include "fakelag.h"

#define MS 1000ull

static void test_constant_delay(void)
{
    fakelag_config c = {.lag_ms = 30};
    CHECK(fakelag_enabled(&c));
    fakelag *f = fakelag_create(&c, sizeof(int), 16, 0);
    CHECK(f != NULL);
    int v = 7, out = 0;
    CHECK(fakelag_push(f, &v, 1000 * MS));
    uint64_t due = 0;
    CHECK(fakelag_next_due(f, &due) && due == 1030 * MS);
    CHECK(!fakelag_pop(f, 1029 * MS, &out));
    CHECK(fakelag_pop(f, 1030 * MS, &out) && out == 7);
    CHECK(!fakelag_pop(f, 2000 * MS, &out));
    CHECK(!fakelag_next_due(f, &due));
    fakelag_destroy(f);
}

static void test_jitter_keeps_order(void)
{
    fakelag_config c = {.lag_ms = 50, .jitter_ms = 15, .seed = 42};
    fakelag *f = fakelag_create(&c, sizeof(int), 4096, 0);
    uint64_t t = 0, last_out = 0;
    int next_expected = 0, pushed = 0, spread_seen = 0;
    uint64_t min_delay = UINT64_MAX, max_delay = 0;
    uint64_t sent_at[4000];
    /* One element per 16.667 ms tick, popped by a reader polling every 1 ms. */
    for (t = 0; t < 60000 * MS; t += MS) {
        if (pushed < 3000 && t >= (uint64_t)pushed * 16667) {
            sent_at[pushed] = t;
            CHECK(fakelag_push(f, &pushed, t));
            pushed++;
        }
        int out;
        while (fakelag_pop(f, t, &out)) {
            CHECK_MSG(out == next_expected, "got %d, want %d", out, next_expected);
            uint64_t d = t - sent_at[out];
            if (d < min_delay)
                min_delay = d;
            if (d > max_delay)
                max_delay = d;
            CHECK(t >= last_out);
            last_out = t;
            next_expected++;
        }
        if (pushed == 3000 && fakelag_count(f) == 0)
            break;
    }
    CHECK(next_expected == 3000);
    spread_seen = (int)((max_delay - min_delay) / MS);
    printf("jitter 15: delay %llu..%llu ms\n", (unsigned long long)(min_delay / MS),
           (unsigned long long)(max_delay / MS));
    CHECK(min_delay >= 50 * MS);
    /* Order costs at most one more tick of waiting behind a late element. */
    CHECK(max_delay <= (50 + 15 + 1) * MS);
    CHECK(spread_seen >= 10); /* the jitter really varies */
    fakelag_destroy(f);
}

static void test_stall(void)
{
    /* A 200 ms stall every second, no lag: nothing comes out in
     * [1000, 1200) ms, then everything queued comes out at 1200 ms. */
    fakelag_config c = {.stall_ms = 200, .stall_every_ms = 1000};
    CHECK(fakelag_enabled(&c));
    fakelag *f = fakelag_create(&c, sizeof(int), 256, 0);
    int got_in_stall = 0, burst = 0, total = 0;
    for (uint64_t t = 0; t < 1500 * MS; t += MS) {
        if (t % (10 * MS) == 0) {
            int v = (int)(t / MS);
            CHECK(fakelag_push(f, &v, t));
        }
        int out;
        while (fakelag_pop(f, t, &out)) {
            total++;
            if (t >= 1000 * MS && t < 1200 * MS)
                got_in_stall++;
            if (t == 1200 * MS)
                burst++;
        }
    }
    CHECK(got_in_stall == 0);
    CHECK_MSG(burst == 21, "burst of %d at the stall's end", burst); /* 1000..1200 inclusive */
    CHECK(total == 150);
    fakelag_destroy(f);
}

static void test_full_and_bad_config(void)
{
    fakelag_config c = {.lag_ms = 10};
    fakelag *f = fakelag_create(&c, sizeof(int), 2, 0);
    int v = 1;
    CHECK(fakelag_push(f, &v, 0));
    CHECK(fakelag_push(f, &v, 0));
    CHECK(!fakelag_push(f, &v, 0));
    CHECK(fakelag_count(f) == 2);
    fakelag_destroy(f);

    fakelag_config off = {0};
    CHECK(!fakelag_enabled(&off));
    fakelag_config neg = {.lag_ms = -1};
    CHECK(fakelag_create(&neg, 4, 4, 0) == NULL);
    fakelag_config stall_longer_than_period = {.stall_ms = 2000, .stall_every_ms = 1000};
    CHECK(fakelag_create(&stall_longer_than_period, 4, 4, 0) == NULL);
    CHECK(fakelag_create(&c, 0, 4, 0) == NULL);
}

int main(void)
{
    test_constant_delay();
    test_jitter_keeps_order();
    test_stall();
    test_full_and_bad_config();
    return check_done("fakelag");
}
