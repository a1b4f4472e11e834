#include "conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define CONN_OUT_INITIAL 4096
/* Bounds the EINTR retries of one flush; EAGAIN ends it long before. */
#define CONN_FLUSH_MAX_CALLS 64
/* Bounds the input discarded at close. */
#define CONN_DRAIN_MAX (64 * 1024)

void conn_init(conn *c, sock_t fd, const char *peer, size_t outbox_limit)
{
    memset(c, 0, sizeof *c);
    c->fd = fd;
    snprintf(c->peer, sizeof c->peer, "%s", peer ? peer : "?");
    frame_reader_init(&c->reader);
    c->out_limit = outbox_limit;
}

conn_io conn_read(conn *c, char *why, size_t why_cap)
{
    if (c->fd == SOCK_NONE) {
        snprintf(why, why_cap, "socket already closed");
        return CONN_IO_ERROR;
    }
    size_t space = frame_reader_space(&c->reader);
    if (space == 0)
        return CONN_IO_FULL;
    for (int tries = 0; tries < 8; tries++) {
        int e;
        ptrdiff_t n = sock_recv(c->fd, frame_reader_tail(&c->reader), space, &e);
        if (n > 0) {
            frame_reader_commit(&c->reader, (size_t)n);
            c->bytes_in += (uint64_t)n;
            return CONN_IO_OK;
        }
        if (n == 0)
            return CONN_IO_CLOSED;
        if (e == SOCK_ERR_INTR)
            continue;
        if (e == SOCK_ERR_AGAIN)
            return CONN_IO_IDLE;
        snprintf(why, why_cap, "receive failed: %s", tcp_strerror(e));
        return CONN_IO_ERROR;
    }
    return CONN_IO_IDLE;
}

conn_io conn_flush(conn *c, char *why, size_t why_cap)
{
    if (c->fd == SOCK_NONE) {
        snprintf(why, why_cap, "socket already closed");
        return CONN_IO_ERROR;
    }
    for (int calls = 0; c->out_len > 0 && calls < CONN_FLUSH_MAX_CALLS; calls++) {
        int e;
        ptrdiff_t n = sock_send(c->fd, c->out + c->out_head, c->out_len, &e);
        if (n > 0) {
            c->out_head += (size_t)n;
            c->out_len -= (size_t)n;
            c->bytes_out += (uint64_t)n;
            continue;
        }
        if (n < 0 && e == SOCK_ERR_INTR)
            continue;
        if (n < 0 && e == SOCK_ERR_AGAIN)
            break;
        snprintf(why, why_cap, "send failed: %s", n < 0 ? tcp_strerror(e) : "wrote nothing");
        return CONN_IO_ERROR;
    }
    if (c->out_len == 0)
        c->out_head = 0;
    return CONN_IO_OK;
}

size_t conn_pending(const conn *c)
{
    return c->out_len;
}

/* Makes room for `need` more bytes at the end of the outbox, moving the
 * unsent bytes to the front or growing the buffer up to `max_total`. */
static conn_queue_result conn_reserve(conn *c, size_t need, size_t max_total)
{
    if (c->out_len + need > max_total)
        return CONN_QUEUE_FULL;
    if (c->out_head + c->out_len + need <= c->out_cap)
        return CONN_QUEUED;
    if (c->out_head > 0) {
        memmove(c->out, c->out + c->out_head, c->out_len);
        c->out_head = 0;
        if (c->out_len + need <= c->out_cap)
            return CONN_QUEUED;
    }
    size_t cap = c->out_cap ? c->out_cap : CONN_OUT_INITIAL;
    while (cap < c->out_len + need)
        cap *= 2;
    if (cap > max_total)
        cap = max_total;
    uint8_t *p = realloc(c->out, cap);
    if (!p)
        return CONN_QUEUE_NO_MEMORY;
    c->out = p;
    c->out_cap = cap;
    return CONN_QUEUED;
}

static conn_queue_result conn_queue_within(conn *c, const proto_msg *msg, size_t max_total)
{
    uint8_t payload[FRAME_MAX_PAYLOAD];
    size_t n = proto_encode(msg, payload, sizeof payload);
    if (n == 0)
        return CONN_QUEUE_BAD_MSG;
    size_t need = FRAME_HEADER_SIZE + n;
    conn_queue_result r = conn_reserve(c, need, max_total);
    if (r != CONN_QUEUED)
        return r;
    size_t w = frame_write(c->out + c->out_head + c->out_len, c->out_cap - c->out_head - c->out_len,
                           payload, n);
    if (w != need)
        return CONN_QUEUE_BAD_MSG;
    c->out_len += w;
    c->msgs_out++;
    return CONN_QUEUED;
}

conn_queue_result conn_queue_parts(conn *c, const uint8_t *head, size_t head_len, const uint8_t *tail,
                                   size_t tail_len)
{
    size_t n = head_len + tail_len;
    if (head_len == 0 || n > FRAME_MAX_PAYLOAD)
        return CONN_QUEUE_BAD_MSG;
    size_t need = FRAME_HEADER_SIZE + n;
    conn_queue_result r = conn_reserve(c, need, c->out_limit);
    if (r != CONN_QUEUED)
        return r;
    size_t w = frame_write_parts(c->out + c->out_head + c->out_len, c->out_cap - c->out_head - c->out_len, head,
                                 head_len, tail, tail_len);
    if (w != need)
        return CONN_QUEUE_BAD_MSG;
    c->out_len += w;
    c->msgs_out++;
    return CONN_QUEUED;
}

conn_queue_result conn_queue(conn *c, const proto_msg *msg)
{
    return conn_queue_within(c, msg, c->out_limit);
}

conn_queue_result conn_queue_last(conn *c, const proto_msg *msg)
{
    return conn_queue_within(c, msg, c->out_limit + CONN_LAST_RESERVE);
}

static void conn_decode_why(const conn *c, proto_error e, char *why, size_t why_cap)
{
    uint8_t type = c->payload_len > 0 ? c->payload[0] : 0;
    const char *name = proto_type_name(type);
    switch (e) {
    case PROTO_ERR_EMPTY:
        snprintf(why, why_cap, "empty message");
        break;
    case PROTO_ERR_UNKNOWN:
        snprintf(why, why_cap, "unknown message type 0x%02x", (unsigned)type);
        break;
    case PROTO_ERR_TRUNCATED:
        snprintf(why, why_cap, "truncated %s (%zu bytes)", name, c->payload_len);
        break;
    case PROTO_ERR_TRAILING:
        snprintf(why, why_cap, "%s with trailing bytes (%zu bytes)", name, c->payload_len);
        break;
    case PROTO_ERR_FIELD:
        snprintf(why, why_cap, "%s with a field out of range", name);
        break;
    default:
        snprintf(why, why_cap, "undecodable %s: %s", name, proto_error_text(e));
        break;
    }
}

conn_next_result conn_next(conn *c, proto_msg *msg, char *why, size_t why_cap)
{
    size_t len = 0;
    frame_status fs = frame_reader_pop(&c->reader, c->payload, sizeof c->payload, &len);
    switch (fs) {
    case FRAME_NEED_MORE:
        return CONN_NEXT_NONE;
    case FRAME_OK:
        break;
    case FRAME_ERR_EMPTY:
        c->payload_len = 0;
        snprintf(why, why_cap, "frame length 0");
        return CONN_NEXT_ERROR;
    case FRAME_ERR_TOO_BIG:
        c->payload_len = 0;
        snprintf(why, why_cap, "frame length over %d bytes", FRAME_MAX_PAYLOAD);
        return CONN_NEXT_ERROR;
    default:
        c->payload_len = 0;
        snprintf(why, why_cap, "bad frame: %s", frame_status_text(fs));
        return CONN_NEXT_ERROR;
    }
    c->payload_len = len;
    proto_error e = proto_decode(c->payload, len, msg);
    if (e != PROTO_OK) {
        conn_decode_why(c, e, why, why_cap);
        return CONN_NEXT_ERROR;
    }
    c->msgs_in++;
    return CONN_NEXT_MSG;
}

void conn_close(conn *c)
{
    if (c->fd != SOCK_NONE) {
        tcp_drain(c->fd, CONN_DRAIN_MAX);
        tcp_close(c->fd);
        c->fd = SOCK_NONE;
    }
    free(c->out);
    c->out = NULL;
    c->out_head = c->out_len = c->out_cap = 0;
}

const char *conn_queue_result_text(conn_queue_result r)
{
    switch (r) {
    case CONN_QUEUED: return "queued";
    case CONN_QUEUE_FULL: return "outbox over its limit";
    case CONN_QUEUE_BAD_MSG: return "message could not be encoded";
    case CONN_QUEUE_NO_MEMORY: return "out of memory for the outbox";
    }
    return "?";
}
