/*
 * proto_snapshot: the codecs of the two snapshot messages, SNAPSHOT and
 * SNAPSHOT_DELTA (their rows are in proto.c's message table), the
 * varints only SNAPSHOT_DELTA uses, and the delta's two-part encoding for
 * a host that sends one delta to many clients. Same rules as proto.c:
 * the fault function is the one range check for both directions, and a
 * reader exits early only where a count bounds an array.
 *
 * Pure and thread-safe: no allocation, no shared state.
 */
#include <string.h>

#include "log.h"
#include "proto_codec.h"

/* ---- varints ---- */

/* See the table in proto.h. */
static void proto_put_varint(wire_writer *w, uint32_t v)
{
    while (v >= 0x80) {
        wire_put_u8(w, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    wire_put_u8(w, (uint8_t)v);
}

static uint32_t proto_zigzag(int32_t v)
{
    return ((uint32_t)v << 1) ^ (uint32_t)-(int32_t)((uint32_t)v >> 31);
}

static int32_t proto_unzigzag(uint32_t u)
{
    return (int32_t)((u >> 1) ^ (uint32_t)-(int32_t)(u & 1));
}

/* Reads a varint of at most `bits` bits. Anything the writer above would
 * not produce (an overlong form, a value past `bits`, a group past the
 * last possible one) sets *bad, so every accepted message re-encodes to
 * the same bytes. A cut varint is the reader's sticky truncation. */
static uint32_t proto_get_varint(wire_reader *r, int bits, bool *bad)
{
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        uint8_t b = wire_get_u8(r);
        if (r->error)
            return 0;
        if (shift > 0 && b == 0) {
            *bad = true; /* overlong: a trailing zero group */
            return 0;
        }
        uint64_t part = (uint64_t)(b & 0x7F) << shift;
        if ((part >> bits) != 0) {
            *bad = true;
            return 0;
        }
        v |= (uint32_t)part;
        if (!(b & 0x80))
            return v;
    }
    *bad = true;
    return 0;
}

/* ---- SNAPSHOT ---- */

const char *proto_snapshot_fault(const proto_msg *m)
{
    const proto_snapshot *s = &m->u.snapshot;
    if (s->player_count > PROTO_MAX_PLAYERS)
        return "SNAPSHOT player_count > PROTO_MAX_PLAYERS";
    if (s->gem_count > PROTO_MAX_GEMS)
        return "SNAPSHOT gem_count > PROTO_MAX_GEMS";
    bool seen[PROTO_MAX_PLAYERS] = {0};
    for (int i = 0; i < s->player_count; i++) {
        const proto_player_state *p = &s->players[i];
        if (p->id >= PROTO_MAX_PLAYERS)
            return "SNAPSHOT player id >= PROTO_MAX_PLAYERS";
        if (seen[p->id])
            return "SNAPSHOT player id repeated";
        seen[p->id] = true;
        if (p->facing >= PROTO_FACE_COUNT)
            return "SNAPSHOT player facing >= PROTO_FACE_COUNT";
        if (p->moving > 1)
            return "SNAPSHOT player moving not 0 or 1";
    }
    return NULL;
}

void proto_snapshot_write(wire_writer *w, const proto_msg *m)
{
    const proto_snapshot *s = &m->u.snapshot;
    wire_put_u32(w, s->tick);
    wire_put_u32(w, s->ack_seq);
    wire_put_u8(w, s->player_count);
    for (int i = 0; i < s->player_count; i++) {
        const proto_player_state *p = &s->players[i];
        wire_put_u8(w, p->id);
        wire_put_i32(w, p->x);
        wire_put_i32(w, p->y);
        wire_put_i16(w, p->vx);
        wire_put_i16(w, p->vy);
        wire_put_u8(w, p->facing);
        wire_put_u8(w, p->moving);
        wire_put_u8(w, p->step);
        wire_put_u16(w, p->score);
        wire_put_u8(w, p->dash);
        wire_put_u8(w, p->cooldown);
        wire_put_u8(w, p->stun);
    }
    wire_put_u8(w, s->gem_count);
    for (int i = 0; i < s->gem_count; i++) {
        wire_put_i16(w, s->gems[i].x);
        wire_put_i16(w, s->gems[i].y);
    }
}

proto_error proto_snapshot_read(wire_reader *r, proto_msg *m)
{
    proto_snapshot *s = &m->u.snapshot;
    s->tick = wire_get_u32(r);
    s->ack_seq = wire_get_u32(r);
    s->player_count = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (s->player_count > PROTO_MAX_PLAYERS) {
        log_debug("proto: dropped SNAPSHOT: player_count %u > PROTO_MAX_PLAYERS", s->player_count);
        return PROTO_ERR_FIELD;
    }
    for (int i = 0; i < s->player_count; i++) {
        proto_player_state *p = &s->players[i];
        p->id = wire_get_u8(r);
        p->x = wire_get_i32(r);
        p->y = wire_get_i32(r);
        p->vx = wire_get_i16(r);
        p->vy = wire_get_i16(r);
        p->facing = wire_get_u8(r);
        p->moving = wire_get_u8(r);
        p->step = wire_get_u8(r);
        p->score = wire_get_u16(r);
        p->dash = wire_get_u8(r);
        p->cooldown = wire_get_u8(r);
        p->stun = wire_get_u8(r);
    }
    s->gem_count = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (s->gem_count > PROTO_MAX_GEMS) {
        log_debug("proto: dropped SNAPSHOT: gem_count %u > PROTO_MAX_GEMS", s->gem_count);
        return PROTO_ERR_FIELD;
    }
    for (int i = 0; i < s->gem_count; i++) {
        s->gems[i].x = wire_get_i16(r);
        s->gems[i].y = wire_get_i16(r);
    }
    return PROTO_OK;
}

/* ---- SNAPSHOT_DELTA ---- */

/* Also checks proto_encode_delta_tail's input, which has no proto_msg. */
static const char *proto_delta_check(const proto_snapshot_delta *d)
{
    if (d->base_age == 0)
        return "SNAPSHOT_DELTA base_age is 0";
    if (d->entry_count > PROTO_MAX_PLAYERS)
        return "SNAPSHOT_DELTA entry_count > PROTO_MAX_PLAYERS";
    /* Ascending ids: unique, and one encoding per delta. */
    for (int i = 0; i < d->entry_count; i++) {
        const proto_delta_entry *e = &d->entries[i];
        if (e->id >= PROTO_MAX_PLAYERS)
            return "SNAPSHOT_DELTA entry id >= PROTO_MAX_PLAYERS";
        if (i > 0 && e->id <= d->entries[i - 1].id)
            return "SNAPSHOT_DELTA entry ids not strictly ascending";
        if ((e->fields & PROTO_DF_LOOK) && (e->facing >= PROTO_FACE_COUNT || e->moving > 1))
            return "SNAPSHOT_DELTA entry look out of range";
        if (e->fields >> 4 & ~PROTO_DF_MORE_MASK)
            return "SNAPSHOT_DELTA entry fields outside PROTO_DF_*";
    }
    if (d->gem_count > PROTO_MAX_GEMS)
        return "SNAPSHOT_DELTA gem_count > PROTO_MAX_GEMS";
    if (d->gem_changed >> d->gem_count)
        return "SNAPSHOT_DELTA gem_changed names a gem past gem_count";
    return NULL;
}

const char *proto_delta_fault(const proto_msg *m)
{
    return proto_delta_check(&m->u.delta);
}

static void proto_delta_write_head(wire_writer *w, uint32_t tick, uint8_t base_age, uint32_t ack_seq)
{
    wire_put_u32(w, tick);
    wire_put_u8(w, base_age);
    proto_put_varint(w, ack_seq);
}

static void proto_delta_write_entry(wire_writer *w, const proto_delta_entry *e, int prev)
{
    int gap = e->id - prev - 1; /* >= 0: the range check made ids ascend */
    uint8_t more = (uint8_t)(e->fields >> 4 & PROTO_DF_MORE_MASK);
    uint8_t code = (uint8_t)(gap < PROTO_DELTA_GAP_EXPLICIT ? gap : PROTO_DELTA_GAP_EXPLICIT);
    wire_put_u8(w, (uint8_t)(code << 5 | (e->fields & PROTO_DF_HEAD_MASK) | (more ? PROTO_DF_MORE : 0)));
    if (code == PROTO_DELTA_GAP_EXPLICIT)
        wire_put_u8(w, e->id);
    if (more)
        wire_put_u8(w, more);
    if (e->fields & PROTO_DF_X)
        proto_put_varint(w, proto_zigzag(e->x));
    if (e->fields & PROTO_DF_Y)
        proto_put_varint(w, proto_zigzag(e->y));
    if (e->fields & PROTO_DF_VX)
        proto_put_varint(w, proto_zigzag(e->vx));
    if (e->fields & PROTO_DF_VY)
        proto_put_varint(w, proto_zigzag(e->vy));
    if (e->fields & PROTO_DF_LOOK)
        wire_put_u8(w, (uint8_t)(e->facing | e->moving << 2));
    if (e->fields & PROTO_DF_STEP)
        wire_put_u8(w, e->step);
    if (e->fields & PROTO_DF_SCORE)
        proto_put_varint(w, e->score);
    if (e->fields & PROTO_DF_ACT) {
        wire_put_u8(w, e->dash);
        wire_put_u8(w, e->cooldown);
        wire_put_u8(w, e->stun);
    }
}

static void proto_delta_write_tail(wire_writer *w, const proto_snapshot_delta *d)
{
    wire_put_u8(w, d->entry_count);
    for (int i = 0; i < d->entry_count; i++)
        proto_delta_write_entry(w, &d->entries[i], i > 0 ? d->entries[i - 1].id : -1);
    wire_put_u8(w, d->gem_count);
    wire_put_u8(w, d->gem_changed);
    for (int i = 0; i < d->gem_count; i++) {
        if (d->gem_changed & (1u << i)) {
            wire_put_i16(w, d->gems[i].x);
            wire_put_i16(w, d->gems[i].y);
        }
    }
}

void proto_delta_write(wire_writer *w, const proto_msg *m)
{
    proto_delta_write_head(w, m->u.delta.tick, m->u.delta.base_age, m->u.delta.ack_seq);
    proto_delta_write_tail(w, &m->u.delta);
}

/* Reads one entry after the one with id prev (-1 before the first) and
 * returns its id. Anything not in its one encoding sets *bad. */
static int proto_delta_read_entry(wire_reader *r, proto_delta_entry *e, int prev, bool *bad)
{
    uint8_t head = wire_get_u8(r);
    int code = head >> 5, id = prev + 1 + code;
    if (code == PROTO_DELTA_GAP_EXPLICIT) {
        id = wire_get_u8(r);
        /* A gap the short form covers must use it: one encoding only. */
        *bad |= !r->error && id - prev - 1 < PROTO_DELTA_GAP_EXPLICIT;
    }
    uint8_t more = (head & PROTO_DF_MORE) ? wire_get_u8(r) : 0;
    *bad |= !r->error && (head & PROTO_DF_MORE) && (more == 0 || (more & ~PROTO_DF_MORE_MASK));
    e->id = (uint8_t)(id > 255 ? 255 : id); /* past the last id is caught by the range check */
    e->fields = (uint16_t)((head & PROTO_DF_HEAD_MASK) | (more & PROTO_DF_MORE_MASK) << 4);
    if (e->fields & PROTO_DF_X)
        e->x = proto_unzigzag(proto_get_varint(r, 32, bad));
    if (e->fields & PROTO_DF_Y)
        e->y = proto_unzigzag(proto_get_varint(r, 32, bad));
    if (e->fields & PROTO_DF_VX)
        e->vx = (int16_t)proto_unzigzag(proto_get_varint(r, 16, bad));
    if (e->fields & PROTO_DF_VY)
        e->vy = (int16_t)proto_unzigzag(proto_get_varint(r, 16, bad));
    if (e->fields & PROTO_DF_LOOK) {
        uint8_t look = wire_get_u8(r);
        e->facing = look & 3;
        e->moving = look >> 2; /* > 1 is caught by the range check */
    }
    if (e->fields & PROTO_DF_STEP)
        e->step = wire_get_u8(r);
    if (e->fields & PROTO_DF_SCORE)
        e->score = (uint16_t)proto_get_varint(r, 16, bad);
    if (e->fields & PROTO_DF_ACT) {
        e->dash = wire_get_u8(r);
        e->cooldown = wire_get_u8(r);
        e->stun = wire_get_u8(r);
    }
    return id;
}

/* A varint the writer would not produce is a FIELD error; the caller sees
 * truncation through the reader's sticky error as usual. */
proto_error proto_delta_read(wire_reader *r, proto_msg *m)
{
    proto_snapshot_delta *d = &m->u.delta;
    bool bad = false;
    d->tick = wire_get_u32(r);
    d->base_age = wire_get_u8(r);
    d->ack_seq = proto_get_varint(r, 32, &bad);
    d->entry_count = wire_get_u8(r);
    if (bad) {
        log_debug("proto: dropped SNAPSHOT_DELTA: non-canonical ack_seq varint");
        return PROTO_ERR_FIELD;
    }
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (d->entry_count > PROTO_MAX_PLAYERS) {
        log_debug("proto: dropped SNAPSHOT_DELTA: entry_count %u > PROTO_MAX_PLAYERS", d->entry_count);
        return PROTO_ERR_FIELD;
    }
    int prev = -1;
    for (int i = 0; i < d->entry_count && !r->error && !bad; i++)
        prev = proto_delta_read_entry(r, &d->entries[i], prev, &bad);
    if (bad) {
        log_debug("proto: dropped SNAPSHOT_DELTA: an entry not in its one encoding (varint, id or more byte)");
        return PROTO_ERR_FIELD;
    }
    d->gem_count = wire_get_u8(r);
    d->gem_changed = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (d->gem_count > PROTO_MAX_GEMS) {
        log_debug("proto: dropped SNAPSHOT_DELTA: gem_count %u > PROTO_MAX_GEMS", d->gem_count);
        return PROTO_ERR_FIELD;
    }
    for (int i = 0; i < d->gem_count; i++) {
        if (d->gem_changed & (1u << i)) {
            d->gems[i].x = wire_get_i16(r);
            d->gems[i].y = wire_get_i16(r);
        }
    }
    return PROTO_OK;
}

/* ---- the delta in two parts ---- */

size_t proto_encode_delta_head(uint32_t tick, uint8_t base_age, uint32_t ack_seq, uint8_t *out, size_t cap)
{
    if (base_age == 0)
        return 0;
    wire_writer w;
    wire_writer_init(&w, out, cap);
    wire_put_u8(&w, PROTO_SNAPSHOT_DELTA);
    proto_delta_write_head(&w, tick, base_age, ack_seq);
    return w.overflow ? 0 : w.len;
}

size_t proto_encode_delta_tail(const proto_snapshot_delta *d, uint8_t *out, size_t cap)
{
    const char *fault = proto_delta_check(d);
    if (fault) {
        log_warn("proto: refusing to encode SNAPSHOT_DELTA: %s", fault);
        return 0;
    }
    wire_writer w;
    wire_writer_init(&w, out, cap);
    proto_delta_write_tail(&w, d);
    return w.overflow ? 0 : w.len;
}
