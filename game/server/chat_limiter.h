/*
 * chat_limiter: the host's chat rate limit per player. A token bucket of
 * CHAT_RATE_COUNT messages per CHAT_RATE_WINDOW_MS; a message over it is
 * dropped and the sender told (at most one notice per CHAT_NOTICE_GAP_MS),
 * and a sender that keeps pushing, so that CHAT_KICK_DROPS drops pile up
 * faster than one per refill, is kicked. Pure: time is passed in.
 *
 * Threading contract: a limiter belongs to the server thread.
 */
#ifndef LANARENA_CHAT_LIMITER_H
#define LANARENA_CHAT_LIMITER_H

#include <stdbool.h>
#include <stdint.h>

#define CHAT_RATE_COUNT 4          /* messages ... */
#define CHAT_RATE_WINDOW_MS 5000   /* ... per this many ms, sustained and at once */
#define CHAT_NOTICE_GAP_MS 2000    /* at most one "too fast" notice this often */
#define CHAT_KICK_DROPS 20         /* dropped messages that get a sender kicked */

typedef enum {
    CHAT_OK = 0,      /* relay it */
    CHAT_DROP,        /* over the rate: drop silently (a notice went out lately) */
    CHAT_DROP_NOTIFY, /* over the rate: drop and tell the sender */
    CHAT_KICK         /* flooding: drop the connection */
} chat_verdict;

typedef struct {
    uint64_t level;     /* bucket fill, in 1/1000 message; full = CHAT_RATE_COUNT */
    uint64_t drops;     /* drop pressure, in 1/1000 drop; drains like level */
    uint64_t last_ms;   /* when both were last drained */
    uint64_t notice_ms; /* when the sender was last told */
    bool noticed;
} chat_limiter;

void chat_limiter_init(chat_limiter *l, uint64_t now_ms);
chat_verdict chat_limiter_take(chat_limiter *l, uint64_t now_ms);

#endif
