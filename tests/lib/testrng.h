/*
 * testrng: splitmix64 for tests. Each test sets rng_state to its own fixed
 * seed at the top of main, so any failure reproduces.
 */
#ifndef LANARENA_TESTRNG_H
#define LANARENA_TESTRNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline uint32_t rng_below(uint32_t n)
{
    return (uint32_t)(rng_next() % n);
}

#endif
