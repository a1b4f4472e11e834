#include "admit.h"

#include <stdio.h>
#include <string.h>

void admit_init(admit_table *t)
{
    memset(t, 0, sizeof *t);
}

/* addr's entry, made if need be (forgetting the address seen longest ago
 * when the table is full). */
static admit_entry *admit_find(admit_table *t, const char *addr, uint64_t now_ms)
{
    admit_entry *free_e = NULL, *oldest = &t->e[0];
    for (int i = 0; i < ADMIT_ADDRS; i++) {
        admit_entry *e = &t->e[i];
        if (!e->used) {
            if (!free_e)
                free_e = e;
            continue;
        }
        if (strcmp(e->addr, addr) == 0) {
            e->seen_ms = now_ms;
            return e;
        }
        if (!oldest->used || e->seen_ms < oldest->seen_ms)
            oldest = e;
    }
    admit_entry *e = free_e ? free_e : oldest;
    memset(e, 0, sizeof *e);
    e->used = true;
    snprintf(e->addr, sizeof e->addr, "%s", addr);
    e->seen_ms = now_ms;
    return e;
}

uint64_t admit_wait(admit_table *t, const char *addr, bool joins, bool password, uint64_t now_ms)
{
    admit_entry *e = admit_find(t, addr, now_ms);
    uint64_t wait = 0;
    /* GCRA: the next join may come when the schedule is no more than a
     * burst ahead of now. */
    const uint64_t burst = (uint64_t)ADMIT_JOIN_BURST * ADMIT_JOIN_EVERY_MS;
    uint64_t next_tat = (e->join_tat_ms > now_ms ? e->join_tat_ms : now_ms) + ADMIT_JOIN_EVERY_MS;
    if (joins && next_tat > now_ms + burst)
        wait = next_tat - (now_ms + burst);
    if (password && e->locked_until_ms > now_ms && e->locked_until_ms - now_ms > wait)
        wait = e->locked_until_ms - now_ms;
    return wait;
}

void admit_joined(admit_table *t, const char *addr, uint64_t now_ms)
{
    admit_entry *e = admit_find(t, addr, now_ms);
    e->join_tat_ms = (e->join_tat_ms > now_ms ? e->join_tat_ms : now_ms) + ADMIT_JOIN_EVERY_MS;
}

bool admit_password_failed(admit_table *t, const char *addr, uint64_t now_ms, uint32_t *count, uint64_t *backoff_ms)
{
    admit_entry *e = admit_find(t, addr, now_ms);
    uint64_t backoff = ADMIT_BACKOFF_FIRST_MS;
    for (int i = 0; i < e->fails && backoff < ADMIT_BACKOFF_MAX_MS; i++)
        backoff *= 2;
    if (backoff > ADMIT_BACKOFF_MAX_MS)
        backoff = ADMIT_BACKOFF_MAX_MS;
    if (e->fails < 1000)
        e->fails++;
    e->locked_until_ms = now_ms + backoff;
    e->unlogged++;
    *backoff_ms = backoff;
    *count = e->unlogged;
    if (now_ms < e->next_log_ms)
        return false;
    e->next_log_ms = now_ms + ADMIT_LOG_EVERY_MS;
    e->unlogged = 0;
    return true;
}

void admit_password_ok(admit_table *t, const char *addr)
{
    for (int i = 0; i < ADMIT_ADDRS; i++) {
        admit_entry *e = &t->e[i];
        if (e->used && strcmp(e->addr, addr) == 0) {
            e->fails = 0;
            e->locked_until_ms = 0;
        }
    }
}
