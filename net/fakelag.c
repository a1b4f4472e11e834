#include "fakelag.h"

#include <stdlib.h>
#include <string.h>

struct fakelag {
    fakelag_config cfg;
    size_t elem_size, cap, head, count;
    uint64_t *due;       /* release time per slot */
    uint8_t *elems;
    uint64_t start_us;   /* stall clock origin */
    uint64_t last_due;   /* release time of the newest element: order */
    uint32_t rng;
};

bool fakelag_enabled(const fakelag_config *cfg)
{
    return cfg && (cfg->lag_ms > 0 || cfg->jitter_ms > 0 || (cfg->stall_ms > 0 && cfg->stall_every_ms > 0));
}

fakelag *fakelag_create(const fakelag_config *cfg, size_t elem_size, size_t capacity, uint64_t now_us)
{
    if (!cfg || elem_size == 0 || capacity == 0 || cfg->lag_ms < 0 || cfg->jitter_ms < 0 || cfg->stall_ms < 0 ||
        cfg->stall_every_ms < 0 || (cfg->stall_ms > 0 && cfg->stall_ms >= cfg->stall_every_ms))
        return NULL;
    fakelag *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->cfg = *cfg;
    f->elem_size = elem_size;
    f->cap = capacity;
    f->due = calloc(capacity, sizeof *f->due);
    f->elems = calloc(capacity, elem_size);
    if (!f->due || !f->elems) {
        fakelag_destroy(f);
        return NULL;
    }
    f->start_us = now_us;
    f->rng = cfg->seed ? cfg->seed : 0x2545F491u;
    return f;
}

void fakelag_destroy(fakelag *f)
{
    if (!f)
        return;
    free(f->due);
    free(f->elems);
    free(f);
}

static uint32_t fakelag_rand(fakelag *f)
{
    uint32_t x = f->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    f->rng = x;
    return x;
}

/* A release time inside a stall window moves to the window's end. */
static uint64_t fakelag_after_stall(const fakelag *f, uint64_t t)
{
    if (f->cfg.stall_ms <= 0 || f->cfg.stall_every_ms <= 0 || t < f->start_us)
        return t;
    uint64_t every = (uint64_t)f->cfg.stall_every_ms * 1000, len = (uint64_t)f->cfg.stall_ms * 1000;
    uint64_t since = t - f->start_us;
    uint64_t k = since / every;
    if (k == 0)
        return t; /* the first stall starts one period in */
    uint64_t into = since - k * every;
    return into < len ? f->start_us + k * every + len : t;
}

bool fakelag_push(fakelag *f, const void *elem, uint64_t now_us)
{
    if (f->count == f->cap)
        return false;
    uint64_t t = now_us + (uint64_t)f->cfg.lag_ms * 1000;
    if (f->cfg.jitter_ms > 0)
        t += fakelag_rand(f) % ((uint64_t)f->cfg.jitter_ms * 1000 + 1);
    if (t < f->last_due)
        t = f->last_due; /* never overtake the element ahead */
    t = fakelag_after_stall(f, t);
    f->last_due = t;
    size_t slot = (f->head + f->count) % f->cap;
    f->due[slot] = t;
    memcpy(f->elems + slot * f->elem_size, elem, f->elem_size);
    f->count++;
    return true;
}

bool fakelag_pop(fakelag *f, uint64_t now_us, void *out)
{
    if (f->count == 0 || f->due[f->head] > now_us)
        return false;
    memcpy(out, f->elems + f->head * f->elem_size, f->elem_size);
    f->head = (f->head + 1) % f->cap;
    f->count--;
    return true;
}

bool fakelag_next_due(const fakelag *f, uint64_t *due_us)
{
    if (f->count == 0)
        return false;
    *due_us = f->due[f->head];
    return true;
}

size_t fakelag_count(const fakelag *f)
{
    return f->count;
}
