/*
 * libFuzzer target: the frame reassembler (net/frame.c) fed an arbitrary
 * byte stream in arbitrary chunks, through both of its input paths
 * (frame_reader_push and tail/commit). The frames it yields, and the error
 * it stops at, must be exactly those of a one-pass reference parse of the
 * whole stream; after an error it must stay in error. Round trip:
 * frame_write then reassembly gives the payload back.
 */
#include <string.h>

#include "frame.h"
#include "fuzz.h"

#ifndef FUZZ_FRAME_ENTRY
#define FUZZ_FRAME_ENTRY LLVMFuzzerTestOneInput
#endif

/* Reference: the frames a correct reader must find, in order, and where it
 * must stop. Offsets are of payloads within data. */
typedef struct {
    size_t off[FRAME_READER_CAP], len[FRAME_READER_CAP];
    size_t count;
    frame_status end; /* NEED_MORE, or the error the stream ends in */
} fuzz_frame_ref;

static void fuzz_frame_reference(const uint8_t *data, size_t size, fuzz_frame_ref *ref)
{
    size_t pos = 0;
    ref->count = 0;
    ref->end = FRAME_NEED_MORE;
    while (size - pos >= FRAME_HEADER_SIZE && ref->count < FRAME_READER_CAP) {
        size_t length = (size_t)data[pos] << 8 | data[pos + 1];
        if (length == 0) {
            ref->end = FRAME_ERR_EMPTY;
            return;
        }
        if (length > FRAME_MAX_PAYLOAD) {
            ref->end = FRAME_ERR_TOO_BIG;
            return;
        }
        if (size - pos - FRAME_HEADER_SIZE < length)
            return;
        ref->off[ref->count] = pos + FRAME_HEADER_SIZE;
        ref->len[ref->count] = length;
        ref->count++;
        pos += FRAME_HEADER_SIZE + length;
    }
}

/* Pops every complete frame, checking each against the reference. Returns
 * false once the reader is in error (checked to be the expected one). */
static int fuzz_frame_drain(frame_reader *fr, const uint8_t *data, const fuzz_frame_ref *ref,
                            size_t *popped)
{
    static uint8_t out[FRAME_MAX_PAYLOAD];
    for (;;) {
        size_t n = 12345;
        frame_status st = frame_reader_pop(fr, out, sizeof out, &n);
        if (st == FRAME_NEED_MORE) {
            FUZZ_ASSERT(n == 0);
            return 1;
        }
        if (st != FRAME_OK) {
            FUZZ_ASSERT(*popped == ref->count);
            FUZZ_ASSERT(st == ref->end);
            FUZZ_ASSERT(n == 0);
            /* Sticky: the stream is condemned for good. */
            FUZZ_ASSERT(frame_reader_pop(fr, out, sizeof out, &n) == st);
            FUZZ_ASSERT(frame_reader_push(fr, "xy", 2) == 2);
            FUZZ_ASSERT(frame_reader_space(fr) > 0);
            return 0;
        }
        FUZZ_ASSERT(*popped < ref->count);
        FUZZ_ASSERT(n >= 1 && n <= FRAME_MAX_PAYLOAD);
        FUZZ_ASSERT(n == ref->len[*popped]);
        FUZZ_ASSERT(memcmp(out, data + ref->off[*popped], n) == 0);
        (*popped)++;
    }
}

static void fuzz_frame_round_trip(const uint8_t *data, size_t size)
{
    static uint8_t framed[FRAME_MAX_SIZE + 8], out[FRAME_MAX_PAYLOAD];
    size_t len = size > FRAME_MAX_PAYLOAD ? FRAME_MAX_PAYLOAD : size;
    size_t w = frame_write(framed, sizeof framed, data, len);
    if (len == 0) {
        FUZZ_ASSERT(w == 0);
        return;
    }
    FUZZ_ASSERT(w == FRAME_HEADER_SIZE + len);
    FUZZ_ASSERT(frame_write(framed, w - 1, data, len) == 0); /* one byte short */
    frame_reader fr;
    frame_reader_init(&fr);
    FUZZ_ASSERT(frame_reader_push(&fr, framed, w) == w);
    size_t n = 0;
    FUZZ_ASSERT(frame_reader_pop(&fr, out, sizeof out, &n) == FRAME_OK);
    FUZZ_ASSERT(n == len && memcmp(out, data, len) == 0);
    FUZZ_ASSERT(frame_reader_pop(&fr, out, sizeof out, &n) == FRAME_NEED_MORE);
}

int FUZZ_FRAME_ENTRY(const uint8_t *data, size_t size)
{
    fuzz_quiet_logs();
    static fuzz_frame_ref ref;
    fuzz_frame_reference(data, size, &ref);

    /* Chunk sizes come from a generator seeded by the input, so the same
     * input always splits the same way. */
    uint32_t rng = 0x9E3779B9u ^ (uint32_t)size;
    for (size_t i = 0; i < size && i < 4; i++)
        rng = rng * 31u + data[i];
    rng |= 1u;

    frame_reader fr;
    frame_reader_init(&fr);
    size_t fed = 0, popped = 0;
    int healthy = 1;
    while (fed < size && healthy) {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        size_t chunk = 1 + rng % 700;
        if (chunk > size - fed)
            chunk = size - fed;
        size_t took;
        if (rng & 0x10000) {
            took = frame_reader_push(&fr, data + fed, chunk);
        } else {
            size_t space = frame_reader_space(&fr);
            took = chunk < space ? chunk : space;
            memcpy(frame_reader_tail(&fr), data + fed, took);
            frame_reader_commit(&fr, took);
        }
        FUZZ_ASSERT(took <= chunk);
        fed += took;
        healthy = fuzz_frame_drain(&fr, data, &ref, &popped);
        /* A healthy reader always has room after a drain: a full buffer
         * would hold a whole frame, and the drain took it. */
        if (healthy)
            FUZZ_ASSERT(frame_reader_space(&fr) > 0);
    }
    if (healthy) {
        FUZZ_ASSERT(ref.end == FRAME_NEED_MORE);
        FUZZ_ASSERT(popped == ref.count);
        size_t used = ref.count ? ref.off[ref.count - 1] + ref.len[ref.count - 1] : 0;
        FUZZ_ASSERT(fr.len == size - used);
    }
    fuzz_frame_round_trip(data, size);
    return 0;
}
