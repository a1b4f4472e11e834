/*
 * wire: big-endian byte-buffer reader and writer with sticky errors.
 *
 * Values are assembled byte by byte with shifts, so the host's byte order
 * and the compiler's struct layout never reach the wire. Every bounds test
 * is written as "n > space left" so it cannot overflow size_t.
 */
#include "wire.h"

#include <string.h>

void wire_writer_init(wire_writer *w, void *buf, size_t cap)
{
    w->data = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
    w->overflow = false;
}

/* Reserves n bytes and returns where to write them, or NULL (and the
 * sticky overflow) when they do not fit. */
static uint8_t *wire_reserve(wire_writer *w, size_t n)
{
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = true;
        return NULL;
    }
    uint8_t *p = w->data + w->len;
    w->len += n;
    return p;
}

void wire_put_u8(wire_writer *w, uint8_t v)
{
    uint8_t *p = wire_reserve(w, 1);
    if (p)
        p[0] = v;
}

void wire_put_u16(wire_writer *w, uint16_t v)
{
    uint8_t *p = wire_reserve(w, 2);
    if (p) {
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
    }
}

void wire_put_u32(wire_writer *w, uint32_t v)
{
    uint8_t *p = wire_reserve(w, 4);
    if (p) {
        p[0] = (uint8_t)(v >> 24);
        p[1] = (uint8_t)(v >> 16);
        p[2] = (uint8_t)(v >> 8);
        p[3] = (uint8_t)v;
    }
}

/* Signed values travel as their two's-complement bit pattern. */
void wire_put_i16(wire_writer *w, int16_t v)
{
    wire_put_u16(w, (uint16_t)v);
}

void wire_put_i32(wire_writer *w, int32_t v)
{
    wire_put_u32(w, (uint32_t)v);
}

void wire_put_bytes(wire_writer *w, const void *src, size_t n)
{
    if (n == 0) /* nothing to write cannot overflow */
        return;
    uint8_t *p = wire_reserve(w, n);
    if (p)
        memcpy(p, src, n);
}

void wire_reader_init(wire_reader *r, const void *buf, size_t len)
{
    r->data = buf;
    r->len = buf ? len : 0;
    r->pos = 0;
    r->error = false;
}

/* Claims n bytes and returns where they start, or NULL (and the sticky
 * error) when fewer than n remain. */
static const uint8_t *wire_take(wire_reader *r, size_t n)
{
    if (r->error || n > r->len - r->pos) {
        r->error = true;
        return NULL;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += n;
    return p;
}

uint8_t wire_get_u8(wire_reader *r)
{
    const uint8_t *p = wire_take(r, 1);
    return p ? p[0] : 0;
}

uint16_t wire_get_u16(wire_reader *r)
{
    const uint8_t *p = wire_take(r, 2);
    return p ? (uint16_t)((unsigned)p[0] << 8 | p[1]) : 0;
}

uint32_t wire_get_u32(wire_reader *r)
{
    const uint8_t *p = wire_take(r, 4);
    if (!p)
        return 0;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Converting an out-of-range unsigned value to a signed type is
 * implementation-defined in C11; this mapping is exact everywhere. */
int16_t wire_get_i16(wire_reader *r)
{
    uint16_t u = wire_get_u16(r);
    return u <= INT16_MAX ? (int16_t)u : (int16_t)((int32_t)u - 65536);
}

int32_t wire_get_i32(wire_reader *r)
{
    uint32_t u = wire_get_u32(r);
    return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 2147483648u) - INT32_MAX - 1;
}

void wire_get_bytes(wire_reader *r, void *dst, size_t n)
{
    if (n == 0) /* nothing to read cannot overrun */
        return;
    const uint8_t *p = wire_take(r, n);
    if (p)
        memcpy(dst, p, n);
    else
        memset(dst, 0, n);
}

size_t wire_remaining(const wire_reader *r)
{
    return r->error ? 0 : r->len - r->pos;
}
