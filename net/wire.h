/*
 * wire: bounded byte-buffer reader and writer with explicit big-endian
 * byte order (network order). Pure; no allocation; no I/O.
 *
 * Errors are sticky, as in Quake III's msg.c: a write past the end sets
 * `overflow` and every later write is a no-op; a read past the end returns
 * 0, sets `error`, and every later read returns 0. Callers check once after
 * a whole message instead of after every field.
 */
#ifndef LANARENA_WIRE_H
#define LANARENA_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *data;
    size_t cap;
    size_t len;
    bool overflow;
} wire_writer;

typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
    bool error;
} wire_reader;

void wire_writer_init(wire_writer *w, void *buf, size_t cap);
void wire_put_u8(wire_writer *w, uint8_t v);
void wire_put_u16(wire_writer *w, uint16_t v);
void wire_put_u32(wire_writer *w, uint32_t v);
void wire_put_i16(wire_writer *w, int16_t v);
void wire_put_i32(wire_writer *w, int32_t v);
void wire_put_bytes(wire_writer *w, const void *src, size_t n);

void wire_reader_init(wire_reader *r, const void *buf, size_t len);
uint8_t wire_get_u8(wire_reader *r);
uint16_t wire_get_u16(wire_reader *r);
uint32_t wire_get_u32(wire_reader *r);
int16_t wire_get_i16(wire_reader *r);
int32_t wire_get_i32(wire_reader *r);
/* Copies n bytes into dst; on overrun sets error and leaves dst zeroed. */
void wire_get_bytes(wire_reader *r, void *dst, size_t n);
/* Bytes left to read (0 once in error). */
size_t wire_remaining(const wire_reader *r);

#endif
