#include "chat_limiter.h"

#include <string.h>

#define CHAT_UNIT 1000 /* one message (or one drop) in bucket units */

void chat_limiter_init(chat_limiter *l, uint64_t now_ms)
{
    memset(l, 0, sizeof *l);
    l->level = (uint64_t)CHAT_RATE_COUNT * CHAT_UNIT; /* a full bucket: a burst is fine */
    l->last_ms = now_ms;
}

static uint64_t chat_sub(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

chat_verdict chat_limiter_take(chat_limiter *l, uint64_t now_ms)
{
    const uint64_t full = (uint64_t)CHAT_RATE_COUNT * CHAT_UNIT;
    if (now_ms > l->last_ms) {
        /* Clamped first so a long silence cannot overflow the product. */
        uint64_t elapsed = now_ms - l->last_ms;
        if (elapsed > (uint64_t)CHAT_RATE_WINDOW_MS * CHAT_KICK_DROPS)
            elapsed = (uint64_t)CHAT_RATE_WINDOW_MS * CHAT_KICK_DROPS;
        uint64_t refill = elapsed * full / CHAT_RATE_WINDOW_MS;
        l->level = l->level + refill > full ? full : l->level + refill;
        l->drops = chat_sub(l->drops, refill);
        l->last_ms = now_ms;
    }
    if (l->level >= CHAT_UNIT) {
        l->level -= CHAT_UNIT;
        return CHAT_OK;
    }
    l->drops += CHAT_UNIT;
    if (l->drops >= (uint64_t)CHAT_KICK_DROPS * CHAT_UNIT)
        return CHAT_KICK;
    if (l->noticed && now_ms - l->notice_ms < CHAT_NOTICE_GAP_MS)
        return CHAT_DROP;
    l->noticed = true;
    l->notice_ms = now_ms;
    return CHAT_DROP_NOTIFY;
}
