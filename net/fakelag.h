/*
 * fakelag: a delay line for messages, like Source's net_fakelag, so a
 * LAN (or loopback) can play like a bad link on purpose.
 *
 * An element pushed at time t comes out at t + lag + a random 0..jitter,
 * but never before the element pushed ahead of it: a TCP stream keeps
 * order, so a late message holds back the ones behind it. With a stall
 * configured, every stall_every_ms (the first one stall_every_ms after
 * fakelag_create) nothing comes out for stall_ms; what fell due in the
 * meantime comes out at once when it ends, which is how a TCP retransmit
 * looks to the reader.
 *
 * Pure: time is passed in (microseconds on any monotonic clock), the
 * randomness is a seeded xorshift, elements are opaque bytes of a size
 * fixed at creation. Not thread-safe: one owner thread.
 */
#ifndef LANARENA_FAKELAG_H
#define LANARENA_FAKELAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int lag_ms;         /* constant one-way delay */
    int jitter_ms;      /* extra delay, uniform in 0..jitter_ms per element */
    int stall_ms;       /* 0: no stalls */
    int stall_every_ms; /* period of the stalls */
    uint32_t seed;      /* 0 picks a fixed one */
} fakelag_config;

typedef struct fakelag fakelag;

/* True when cfg delays anything at all (otherwise skip the queue). */
bool fakelag_enabled(const fakelag_config *cfg);

/* NULL when out of memory or the arguments make no sense. now_us starts
 * the stall clock. */
fakelag *fakelag_create(const fakelag_config *cfg, size_t elem_size, size_t capacity, uint64_t now_us);
void fakelag_destroy(fakelag *f);

/* Queues a copy of elem. False when full (the caller decides). */
bool fakelag_push(fakelag *f, const void *elem, uint64_t now_us);

/* Pops the oldest element into out if it is due at now_us. */
bool fakelag_pop(fakelag *f, uint64_t now_us, void *out);

/* When the oldest element falls due; false when empty. */
bool fakelag_next_due(const fakelag *f, uint64_t *due_us);

size_t fakelag_count(const fakelag *f);

#endif
