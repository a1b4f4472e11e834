/*
 * frame: u16 big-endian length prefix and a per-connection reassembly
 * buffer. See frame.h for the layout.
 *
 * The buffer always starts at a frame boundary: pop moves the unread tail
 * to the front. That costs a memmove of at most FRAME_READER_CAP bytes per
 * frame and keeps the struct to the three fields the header promises.
 *
 * Because FRAME_READER_CAP holds a whole maximal frame, a full buffer
 * always contains a complete frame, so push can never deadlock with pop.
 */
#include "frame.h"

#include <string.h>

#include "log.h"

#define FRAME_STR_(x) #x
#define FRAME_STR(x) FRAME_STR_(x)

_Static_assert(FRAME_MAX_PAYLOAD <= 0xFFFF, "length must fit the u16 prefix");
_Static_assert(FRAME_READER_CAP >= FRAME_MAX_SIZE, "reader must hold a maximal frame");

void frame_reader_init(frame_reader *fr)
{
    fr->len = 0;
    fr->error = FRAME_NEED_MORE;
}

/* Enters the sticky error state. Buffered bytes are discarded: nothing
 * after a bad length can be trusted, and an empty buffer keeps
 * frame_reader_space() non-zero so a recv() loop never asks for 0 bytes. */
static frame_status frame_reader_fail(frame_reader *fr, frame_status why, size_t length)
{
    log_debug("frame: stream error: %s (length %zu)", frame_status_text(why), length);
    fr->error = why;
    fr->len = 0;
    return why;
}

uint8_t *frame_reader_tail(frame_reader *fr)
{
    return fr->data + fr->len;
}

size_t frame_reader_space(const frame_reader *fr)
{
    return FRAME_READER_CAP - fr->len;
}

void frame_reader_commit(frame_reader *fr, size_t n)
{
    if (fr->error != FRAME_NEED_MORE)
        return; /* stream already condemned: arriving bytes are dropped */
    size_t space = FRAME_READER_CAP - fr->len;
    fr->len += n < space ? n : space;
}

size_t frame_reader_push(frame_reader *fr, const void *data, size_t n)
{
    if (fr->error != FRAME_NEED_MORE)
        return n; /* swallowed, so a push-until-taken loop still ends */
    size_t space = FRAME_READER_CAP - fr->len;
    size_t take = n < space ? n : space;
    if (take > 0)
        memcpy(fr->data + fr->len, data, take);
    fr->len += take;
    return take;
}

frame_status frame_reader_pop(frame_reader *fr, uint8_t *out, size_t cap, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (fr->error != FRAME_NEED_MORE)
        return fr->error;
    if (fr->len < FRAME_HEADER_SIZE)
        return FRAME_NEED_MORE;
    /* The length is judged as soon as it is readable, without waiting for
     * a body that a lying peer may never send. */
    size_t length = (size_t)fr->data[0] << 8 | fr->data[1];
    if (length == 0)
        return frame_reader_fail(fr, FRAME_ERR_EMPTY, length);
    if (length > FRAME_MAX_PAYLOAD)
        return frame_reader_fail(fr, FRAME_ERR_TOO_BIG, length);
    if (length > cap) {
        /* The caller broke the contract (cap >= FRAME_MAX_PAYLOAD); the
         * frame cannot be delivered, so the stream cannot go on either. */
        log_error("frame: pop buffer of %zu bytes is smaller than FRAME_MAX_PAYLOAD", cap);
        return frame_reader_fail(fr, FRAME_ERR_TOO_BIG, length);
    }
    size_t total = FRAME_HEADER_SIZE + length;
    if (fr->len < total)
        return FRAME_NEED_MORE;
    memcpy(out, fr->data + FRAME_HEADER_SIZE, length);
    memmove(fr->data, fr->data + total, fr->len - total);
    fr->len -= total;
    if (out_len)
        *out_len = length;
    return FRAME_OK;
}

size_t frame_write_parts(uint8_t *out, size_t cap, const void *head, size_t head_len, const void *tail,
                         size_t tail_len)
{
    size_t len = head_len + tail_len;
    if (len == 0 || len > FRAME_MAX_PAYLOAD || cap < FRAME_HEADER_SIZE + len)
        return 0;
    out[0] = (uint8_t)(len >> 8);
    out[1] = (uint8_t)len;
    if (head_len)
        memcpy(out + FRAME_HEADER_SIZE, head, head_len);
    if (tail_len)
        memcpy(out + FRAME_HEADER_SIZE + head_len, tail, tail_len);
    return FRAME_HEADER_SIZE + len;
}

size_t frame_write(uint8_t *out, size_t cap, const void *payload, size_t len)
{
    return frame_write_parts(out, cap, payload, len, NULL, 0);
}

const char *frame_status_text(frame_status s)
{
    switch (s) {
    case FRAME_NEED_MORE:
        return "waiting for more bytes";
    case FRAME_OK:
        return "frame complete";
    case FRAME_ERR_EMPTY:
        return "frame length is 0";
    case FRAME_ERR_TOO_BIG:
        return "frame length exceeds the maximum of " FRAME_STR(FRAME_MAX_PAYLOAD) " bytes";
    }
    return "unknown frame status";
}
