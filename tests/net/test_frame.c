/*
 * test_frame: reassembly of a TCP byte stream. The same stream of frames
 * is fed one byte at a time, in random splits, and through the
 * tail/space/commit path; each must give back exactly the payloads sent.
 * Bad lengths must put the reader in an error it never leaves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frame.h"
#include "log.h"

static uint64_t rng_state = 0x4652414D45u; /* fixed seed: failures reproduce */

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static size_t rng_range(size_t lo, size_t hi) /* inclusive */
{
    return lo + (size_t)(rng_next() % (hi - lo + 1));
}

enum { FRAMES = 500 };

static uint8_t *stream;       /* all frames back to back */
static size_t stream_len;
static size_t frame_at[FRAMES]; /* offset of each frame's payload in stream */
static size_t frame_len[FRAMES];

static void stream_build(void)
{
    stream = malloc((size_t)FRAMES * FRAME_MAX_SIZE);
    uint8_t payload[FRAME_MAX_PAYLOAD];
    for (int i = 0; i < FRAMES; i++) {
        /* Both extremes appear, the rest is spread over the range. */
        size_t len = i == 0 ? 1 : i == 1 ? FRAME_MAX_PAYLOAD : rng_range(1, FRAME_MAX_PAYLOAD);
        for (size_t k = 0; k < len; k++)
            payload[k] = (uint8_t)rng_next();
        size_t n = frame_write(stream + stream_len, FRAME_MAX_SIZE, payload, len);
        CHECK(n == FRAME_HEADER_SIZE + len);
        frame_at[i] = stream_len + FRAME_HEADER_SIZE;
        frame_len[i] = len;
        stream_len += n;
    }
}

/* Pops every complete frame, comparing with the next expected one. */
static void drain(frame_reader *fr, int *next, int *bad)
{
    static uint8_t out[FRAME_MAX_PAYLOAD];
    size_t len;
    frame_status s;
    while ((s = frame_reader_pop(fr, out, sizeof out, &len)) == FRAME_OK) {
        if (*next >= FRAMES || len != frame_len[*next] ||
            memcmp(out, stream + frame_at[*next], len) != 0)
            (*bad)++;
        (*next)++;
    }
    if (s != FRAME_NEED_MORE)
        (*bad)++;
}

/* Feeds the stream in chunks of lo..hi bytes through frame_reader_push. */
static void feed_push(size_t lo, size_t hi, const char *label)
{
    static frame_reader fr;
    frame_reader_init(&fr);
    int next = 0, bad = 0;
    for (size_t pos = 0; pos < stream_len;) {
        size_t chunk = rng_range(lo, hi);
        if (chunk > stream_len - pos)
            chunk = stream_len - pos;
        /* push takes less only when full; popping makes room. */
        while (chunk > 0) {
            size_t took = frame_reader_push(&fr, stream + pos, chunk);
            pos += took;
            chunk -= took;
            drain(&fr, &next, &bad);
        }
    }
    CHECK_MSG(next == FRAMES && bad == 0 && fr.len == 0, "%s: %d frames, %d bad, %zu left", label,
              next, bad, fr.len);
    printf("%s: %d frames, %zu bytes, %d bad\n", label, next, stream_len, bad);
}

/* The recv() path: write into tail(), at most space() bytes, commit. */
static void feed_commit(void)
{
    static frame_reader fr;
    frame_reader_init(&fr);
    int next = 0, bad = 0;
    for (size_t pos = 0; pos < stream_len;) {
        size_t want = rng_range(1, 3 * FRAME_MAX_SIZE);
        size_t space = frame_reader_space(&fr);
        if (want > space)
            want = space;
        if (want > stream_len - pos)
            want = stream_len - pos;
        if (space == 0)
            bad++; /* full with no complete frame would stall a recv loop */
        memcpy(frame_reader_tail(&fr), stream + pos, want);
        frame_reader_commit(&fr, want);
        pos += want;
        drain(&fr, &next, &bad);
    }
    CHECK_MSG(next == FRAMES && bad == 0 && fr.len == 0, "commit: %d frames, %d bad", next, bad);
    printf("tail/space/commit: %d frames, %d bad\n", next, bad);
}

static void test_bad_lengths(void)
{
    static frame_reader fr;
    uint8_t out[FRAME_MAX_PAYLOAD];
    size_t len = 99;

    /* A good frame, then length 0: the good one still comes out. */
    frame_reader_init(&fr);
    static const uint8_t zero[] = {0x00, 0x01, 'x', 0x00, 0x00, 0x00, 0x01, 'y'};
    CHECK(frame_reader_push(&fr, zero, sizeof zero) == sizeof zero);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_OK && len == 1 && out[0] == 'x');
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_ERR_EMPTY && len == 0);
    CHECK(fr.error == FRAME_ERR_EMPTY);
    /* Sticky: a perfectly good frame afterwards changes nothing. */
    static const uint8_t good[] = {0x00, 0x02, 'o', 'k'};
    CHECK(frame_reader_push(&fr, good, sizeof good) == sizeof good);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_ERR_EMPTY);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_ERR_EMPTY);
    /* In error, bytes are swallowed rather than refused, so neither a
     * push-until-taken loop nor a recv() loop can stall on a full buffer. */
    static uint8_t junk[2 * FRAME_READER_CAP];
    CHECK(frame_reader_push(&fr, junk, sizeof junk) == sizeof junk);
    CHECK(frame_reader_space(&fr) == FRAME_READER_CAP);
    frame_reader_commit(&fr, FRAME_READER_CAP);
    CHECK(frame_reader_space(&fr) == FRAME_READER_CAP);

    /* Too big is caught from the header alone, before any body arrives. */
    frame_reader_init(&fr);
    static const uint8_t big[] = {(FRAME_MAX_PAYLOAD + 1) >> 8, (FRAME_MAX_PAYLOAD + 1) & 0xFF};
    CHECK(frame_reader_push(&fr, big, 1) == 1);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_NEED_MORE);
    CHECK(frame_reader_push(&fr, big + 1, 1) == 1);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_ERR_TOO_BIG);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_ERR_TOO_BIG);
    CHECK(fr.error == FRAME_ERR_TOO_BIG);

    frame_reader_init(&fr);
    static const uint8_t huge[] = {0xFF, 0xFF};
    frame_reader_push(&fr, huge, sizeof huge);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_ERR_TOO_BIG);

    /* Exactly the maximum is fine. */
    frame_reader_init(&fr);
    static uint8_t max_frame[FRAME_MAX_SIZE];
    CHECK(frame_write(max_frame, sizeof max_frame, out, FRAME_MAX_PAYLOAD) == FRAME_MAX_SIZE);
    CHECK(max_frame[0] == FRAME_MAX_PAYLOAD >> 8 && max_frame[1] == (FRAME_MAX_PAYLOAD & 0xFF));
    frame_reader_push(&fr, max_frame, sizeof max_frame);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_OK && len == FRAME_MAX_PAYLOAD);

    /* init clears the error. */
    frame_reader_init(&fr);
    CHECK(fr.error == FRAME_NEED_MORE && fr.len == 0);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_NEED_MORE);
    for (int s = FRAME_NEED_MORE; s <= FRAME_ERR_TOO_BIG; s++)
        CHECK(frame_status_text((frame_status)s) != NULL);
}

static void test_write(void)
{
    static uint8_t out[FRAME_MAX_SIZE + 8];
    static uint8_t payload[FRAME_MAX_PAYLOAD + 1];
    CHECK(frame_write(out, sizeof out, payload, 0) == 0);
    CHECK(frame_write(out, sizeof out, payload, FRAME_MAX_PAYLOAD + 1) == 0);
    CHECK(frame_write(out, 4, "abc", 3) == 0); /* needs 5 */
    CHECK(frame_write(out, 5, "abc", 3) == 5);
    CHECK(out[0] == 0 && out[1] == 3 && memcmp(out + 2, "abc", 3) == 0);
    CHECK(frame_write(out, 1, "a", 1) == 0);
    /* In two pieces: the same frame as the joined payload. */
    CHECK(frame_write_parts(out, 6, "ab", 2, "cd", 2) == 6);
    CHECK(out[0] == 0 && out[1] == 4 && memcmp(out + 2, "abcd", 4) == 0);
    CHECK(frame_write_parts(out, 5, "ab", 2, "cd", 2) == 0); /* needs 6 */
    CHECK(frame_write_parts(out, sizeof out, payload, FRAME_MAX_PAYLOAD, "x", 1) == 0);
    CHECK(frame_write_parts(out, sizeof out, NULL, 0, NULL, 0) == 0);
    uint8_t big_endian[2 + 0x102];
    memset(payload, 7, 0x102);
    CHECK(frame_write(big_endian, sizeof big_endian, payload, 0x102) == sizeof big_endian);
    CHECK(big_endian[0] == 0x01 && big_endian[1] == 0x02);
}

static void test_full(void)
{
    static frame_reader fr;
    static uint8_t block[FRAME_READER_CAP + 300];
    uint8_t out[FRAME_MAX_PAYLOAD];
    size_t len;
    /* A stream of 100-byte frames longer than the buffer. */
    size_t n = 0;
    while (n + 102 <= sizeof block) {
        block[n] = 0, block[n + 1] = 100;
        memset(block + n + 2, (int)(n / 102), 100);
        n += 102;
    }
    frame_reader_init(&fr);
    size_t took = frame_reader_push(&fr, block, n);
    CHECK(took == FRAME_READER_CAP); /* less than offered: full */
    CHECK(frame_reader_space(&fr) == 0);
    CHECK(frame_reader_push(&fr, block + took, n - took) == 0);
    CHECK(frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_OK && len == 100 && out[0] == 0);
    CHECK(frame_reader_space(&fr) == 102);
    CHECK(frame_reader_push(&fr, block + took, n - took) == 102);
    int frames = 1;
    while (frame_reader_pop(&fr, out, sizeof out, &len) == FRAME_OK)
        frames++;
    CHECK(frames == (int)((took + 102) / 102));
    /* commit never goes past the capacity */
    frame_reader_init(&fr);
    frame_reader_commit(&fr, FRAME_READER_CAP + 50);
    CHECK(fr.len == FRAME_READER_CAP && frame_reader_space(&fr) == 0);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    stream_build();
    feed_push(1, 1, "one byte at a time");
    feed_push(1, 64, "small random splits");
    feed_push(1, 3 * FRAME_MAX_SIZE, "large random splits");
    feed_push(FRAME_READER_CAP, 4 * FRAME_READER_CAP, "oversized pushes");
    feed_commit();
    test_bad_lengths();
    test_write();
    test_full();
    free(stream);
    return check_done("frame");
}
