/*
 * frame: length-prefixed frames over a TCP byte stream.
 *
 *   +----------------+---------------------------+
 *   | length: u16 BE | payload: `length` bytes   |
 *   +----------------+---------------------------+
 *
 * length is 1..FRAME_MAX_PAYLOAD. 0 and anything larger are stream errors:
 * the connection is dropped (a peer that lies about lengths cannot be
 * resynchronised). TCP may split or merge frames anywhere, so each
 * connection owns a frame_reader that reassembles them. Pure; no I/O.
 */
#ifndef LANARENA_FRAME_H
#define LANARENA_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER_SIZE 2
#define FRAME_MAX_PAYLOAD 8192 /* a full 250-player SNAPSHOT is ~4.5 KB */
#define FRAME_MAX_SIZE (FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD)
/* Room for one maximal frame plus a large read, so a recv() is never tiny. */
#define FRAME_READER_CAP (2 * FRAME_MAX_SIZE)

typedef enum {
    FRAME_NEED_MORE = 0, /* no complete frame buffered yet */
    FRAME_OK,            /* one payload extracted */
    FRAME_ERR_EMPTY,     /* length field is 0 */
    FRAME_ERR_TOO_BIG    /* length field exceeds FRAME_MAX_PAYLOAD */
} frame_status;

typedef struct {
    uint8_t data[FRAME_READER_CAP];
    size_t len;         /* bytes buffered */
    frame_status error; /* sticky: FRAME_NEED_MORE while healthy */
} frame_reader;

void frame_reader_init(frame_reader *fr);

/* Direct-to-buffer reads: recv() into frame_reader_tail(), up to
 * frame_reader_space() bytes, then frame_reader_commit() what arrived. */
uint8_t *frame_reader_tail(frame_reader *fr);
size_t frame_reader_space(const frame_reader *fr);
void frame_reader_commit(frame_reader *fr, size_t n);

/* Copies up to n bytes in; returns how many were taken (less than n only
 * when the buffer is full: pop frames, then push the rest). */
size_t frame_reader_push(frame_reader *fr, const void *data, size_t n);

/* Extracts the next complete frame's payload into out (cap must be at
 * least FRAME_MAX_PAYLOAD). After an error the reader stays in error: the
 * stream cannot be trusted again. */
frame_status frame_reader_pop(frame_reader *fr, uint8_t *out, size_t cap, size_t *out_len);

/* Writes header + payload into out. Returns bytes written, or 0 if len is
 * 0, len > FRAME_MAX_PAYLOAD, or out is too small. */
size_t frame_write(uint8_t *out, size_t cap, const void *payload, size_t len);
/* The same for a payload in two pieces (head then tail), written as one
 * frame without first joining them. */
size_t frame_write_parts(uint8_t *out, size_t cap, const void *head, size_t head_len, const void *tail,
                         size_t tail_len);

const char *frame_status_text(frame_status s);

#endif
