/*
 * fuzz: shared bits of the libFuzzer targets in this folder.
 *
 * Each target defines its entry point through a macro (FUZZ_FRAME_ENTRY,
 * ...) that defaults to LLVMFuzzerTestOneInput. tests/test_fuzz_corpus.c
 * renames the three and #includes them, so the committed corpus replays
 * through the same code in every ordinary ctest run, with no clang needed.
 *
 * FUZZ_ASSERT is the invariant check: it prints the broken condition and
 * aborts, which libFuzzer reports as a crash and saves the input.
 */
#ifndef LANARENA_FUZZ_H
#define LANARENA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

#define FUZZ_ASSERT(cond)                                                           \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", __FILE__, __LINE__, \
                    #cond);                                                         \
            abort();                                                                \
        }                                                                           \
    } while (0)

/* A byte source over the fuzz input: control decisions (chunk sizes, clock
 * steps) are taken from it, so libFuzzer can steer them too. Past the end
 * it yields zeros. */
typedef struct {
    const uint8_t *data;
    size_t len, pos;
} fuzz_src;

static inline uint8_t fuzz_u8(fuzz_src *s)
{
    return s->pos < s->len ? s->data[s->pos++] : 0;
}

static inline uint16_t fuzz_u16(fuzz_src *s)
{
    uint16_t hi = fuzz_u8(s);
    return (uint16_t)(hi << 8 | fuzz_u8(s));
}

/* The codec logs every refusal as a warning; a fuzzer makes millions. */
static inline void fuzz_quiet_logs(void)
{
    static int done;
    if (!done) {
        log_set_level(LOG_ERROR);
        done = 1;
    }
}

#endif
