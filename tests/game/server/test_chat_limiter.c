/*
 * test_chat_limiter: the host's chat rate limit and kick, on a simulated
 * clock.
 */
#include <stdint.h>

#include "chat_limiter.h"
#include "check.h"

static void test_limiter(void)
{
    chat_limiter l;
    chat_limiter_init(&l, 1000);
    /* A burst of CHAT_RATE_COUNT is fine; the next is dropped with a notice. */
    for (int i = 0; i < CHAT_RATE_COUNT; i++)
        CHECK(chat_limiter_take(&l, 1000) == CHAT_OK);
    CHECK(chat_limiter_take(&l, 1000) == CHAT_DROP_NOTIFY);
    /* More within the notice gap: dropped quietly. */
    CHECK(chat_limiter_take(&l, 1100) == CHAT_DROP);
    /* One message's worth refills in WINDOW / COUNT ms. */
    uint64_t t = 1000 + CHAT_RATE_WINDOW_MS / CHAT_RATE_COUNT + 1;
    CHECK(chat_limiter_take(&l, t) == CHAT_OK);
    CHECK(chat_limiter_take(&l, t) != CHAT_OK);
    /* After a quiet window the whole burst is back. */
    t += CHAT_RATE_WINDOW_MS;
    for (int i = 0; i < CHAT_RATE_COUNT; i++)
        CHECK(chat_limiter_take(&l, t) == CHAT_OK);

    /* Sustained: one message every WINDOW / COUNT ms never drops. */
    chat_limiter_init(&l, 0);
    int drops = 0;
    for (int i = 0; i < 200; i++)
        drops += chat_limiter_take(&l, (uint64_t)i * (CHAT_RATE_WINDOW_MS / CHAT_RATE_COUNT)) != CHAT_OK;
    CHECK(drops == 0);

    /* A flood: ten a second gets kicked, and within a bounded time. */
    chat_limiter_init(&l, 0);
    int kicked_at = -1, notices = 0;
    for (int i = 0; i < 1000 && kicked_at < 0; i++) {
        chat_verdict v = chat_limiter_take(&l, (uint64_t)i * 100);
        notices += v == CHAT_DROP_NOTIFY;
        if (v == CHAT_KICK)
            kicked_at = i;
    }
    CHECK_MSG(kicked_at > CHAT_KICK_DROPS && kicked_at < 100, "kicked after %d messages", kicked_at);
    /* Notices are themselves limited: at most one per CHAT_NOTICE_GAP_MS. */
    CHECK_MSG(notices >= 1 && notices <= kicked_at * 100 / CHAT_NOTICE_GAP_MS + 1, "%d notices", notices);

    /* A long silence cannot overflow anything. */
    chat_limiter_init(&l, 0);
    CHECK(chat_limiter_take(&l, UINT64_MAX / 2) == CHAT_OK);
}

int main(void)
{
    test_limiter();
    return check_done("chat_limiter");
}
