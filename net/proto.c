/*
 * proto: encoder and decoder for the messages tabled in proto.h. That table
 * is the specification; the writers and readers below follow it field by
 * field and in the same order.
 *
 * One range check per message (proto_msg_fault) serves both directions:
 * decode rejects what it finds, and encode refuses to produce it, so
 * anything we send, we would also accept.
 *
 * Decoding leans on wire.c's sticky error: a reader reads all its fields,
 * and proto_decode checks once for a truncated body, then the ranges, then
 * trailing bytes. A reader exits early only where a count on the wire
 * bounds an array, so that no loop or copy runs past the struct.
 *
 * Pure and thread-safe: no allocation, no shared state. Rejected messages
 * are logged at debug level with the field at fault.
 */
#include "proto.h"

#include <string.h>

#include "log.h"
#include "wire.h"

#define PROTO_STR_(x) #x
#define PROTO_STR(x) PROTO_STR_(x)

/* ---- range checks, shared by encode and decode ---- */

static bool proto_reject_known(uint8_t reason)
{
    return reason >= PROTO_REJECT_VERSION && reason <= PROTO_REJECT_PASSWORD;
}

static bool proto_bye_known(uint8_t reason)
{
    return reason >= PROTO_BYE_QUIT && reason <= PROTO_BYE_CONNECTION_LOST;
}

/* Only a HELLO of our magic and version has fields past the version: a
 * foreign or future peer's body is not ours to parse, only to refuse. */
static bool proto_hello_is_ours(const proto_hello *h)
{
    return h->magic == PROTO_MAGIC && h->version == PROTO_VERSION;
}

static const char *proto_snapshot_fault(const proto_snapshot *s)
{
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

static const char *proto_delta_fault(const proto_snapshot_delta *d)
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
    }
    if (d->gem_count > PROTO_MAX_GEMS)
        return "SNAPSHOT_DELTA gem_count > PROTO_MAX_GEMS";
    if (d->gem_changed >> d->gem_count)
        return "SNAPSHOT_DELTA gem_changed names a gem past gem_count";
    return NULL;
}

static const char *proto_hello_fault(const proto_hello *h)
{
    if (!proto_hello_is_ours(h))
        return NULL; /* only the frozen head is ours to judge */
    if (h->name_len > PROTO_NAME_WIRE_MAX)
        return "HELLO name_len > PROTO_NAME_WIRE_MAX";
    if (h->colour >= PROTO_COLOURS && h->colour != PROTO_COLOUR_ANY)
        return "HELLO colour not < PROTO_COLOURS nor PROTO_COLOUR_ANY";
    if (h->password_len > PROTO_PASSWORD_MAX)
        return "HELLO password_len > PROTO_PASSWORD_MAX";
    return NULL;
}

static const char *proto_info_fault(const proto_player_info *in)
{
    if (in->count > PROTO_MAX_PLAYERS)
        return "PLAYER_INFO count > PROTO_MAX_PLAYERS";
    bool seen[PROTO_MAX_PLAYERS] = {0};
    for (int i = 0; i < in->count; i++) {
        const proto_player_info_entry *e = &in->entries[i];
        if (e->id >= PROTO_MAX_PLAYERS)
            return "PLAYER_INFO id >= PROTO_MAX_PLAYERS";
        if (seen[e->id])
            return "PLAYER_INFO id repeated";
        seen[e->id] = true;
        if (e->flags & ~PROTO_PF_MASK)
            return "PLAYER_INFO flags outside PROTO_PF_MASK";
    }
    return NULL;
}

/* Names the first field out of its documented range, or NULL if none. */
static const char *proto_msg_fault(const proto_msg *m)
{
    switch (m->type) {
    case PROTO_HELLO:
        return proto_hello_fault(&m->u.hello);
    case PROTO_WELCOME:
        if (m->u.welcome.player_id >= PROTO_MAX_PLAYERS)
            return "WELCOME player_id >= PROTO_MAX_PLAYERS";
        if (m->u.welcome.tick_rate == 0)
            return "WELCOME tick_rate is 0";
        if (m->u.welcome.max_players == 0 || m->u.welcome.max_players > PROTO_MAX_PLAYERS)
            return "WELCOME max_players not in 1..PROTO_MAX_PLAYERS";
        return NULL;
    case PROTO_REJECT:
        return proto_reject_known(m->u.reject.reason) ? NULL : "REJECT reason unknown";
    case PROTO_INPUT:
        return (m->u.input.buttons & ~PROTO_BTN_MASK) ? "INPUT buttons outside PROTO_BTN_MASK" : NULL;
    case PROTO_SNAPSHOT:
        return proto_snapshot_fault(&m->u.snapshot);
    case PROTO_PLAYER_JOINED:
        /* Receivers index their player tables by id. */
        if (m->u.joined.id >= PROTO_MAX_PLAYERS)
            return "PLAYER_JOINED id >= PROTO_MAX_PLAYERS";
        if (m->u.joined.name_len > PROTO_NAME_WIRE_MAX)
            return "PLAYER_JOINED name_len > PROTO_NAME_WIRE_MAX";
        return NULL;
    case PROTO_PLAYER_LEFT:
        if (m->u.left.id >= PROTO_MAX_PLAYERS)
            return "PLAYER_LEFT id >= PROTO_MAX_PLAYERS";
        return proto_bye_known(m->u.left.reason) ? NULL : "PLAYER_LEFT reason unknown";
    case PROTO_PING:
    case PROTO_PONG:
        return NULL;
    case PROTO_GOODBYE:
        return proto_bye_known(m->u.goodbye.reason) ? NULL : "GOODBYE reason unknown";
    case PROTO_SNAPSHOT_DELTA:
        return proto_delta_fault(&m->u.delta);
    case PROTO_KEEPALIVE:
        return m->u.keepalive.base_age == 0 ? "KEEPALIVE base_age is 0" : NULL;
    case PROTO_CHAT_SEND:
    case PROTO_CHAT:
        if (m->u.chat.text_len == 0 || m->u.chat.text_len > PROTO_CHAT_WIRE_MAX)
            return "CHAT text_len not in 1..PROTO_CHAT_WIRE_MAX";
        if (m->type == PROTO_CHAT && m->u.chat.from >= PROTO_MAX_PLAYERS && m->u.chat.from != PROTO_CHAT_FROM_HOST)
            return "CHAT from is neither a player id nor PROTO_CHAT_FROM_HOST";
        return NULL;
    case PROTO_PLAYER_INFO:
        return proto_info_fault(&m->u.info);
    default:
        return "unknown message type";
    }
}

/* ---- varints (see the table in proto.h) ---- */

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

/* ---- encode ---- */

/* 64-bit fields go as two big-endian u32, high half first. */
static void proto_put_u64(wire_writer *w, uint64_t v)
{
    wire_put_u32(w, (uint32_t)(v >> 32));
    wire_put_u32(w, (uint32_t)v);
}

static void proto_write_player(wire_writer *w, const proto_player_state *p)
{
    wire_put_u8(w, p->id);
    wire_put_i32(w, p->x);
    wire_put_i32(w, p->y);
    wire_put_i16(w, p->vx);
    wire_put_i16(w, p->vy);
    wire_put_u8(w, p->facing);
    wire_put_u8(w, p->moving);
    wire_put_u8(w, p->step);
    wire_put_u16(w, p->score);
}

static void proto_write_delta_head(wire_writer *w, uint32_t tick, uint8_t base_age, uint32_t ack_seq)
{
    wire_put_u32(w, tick);
    wire_put_u8(w, base_age);
    proto_put_varint(w, ack_seq);
}

static void proto_write_delta_tail(wire_writer *w, const proto_snapshot_delta *d)
{
    wire_put_u8(w, d->entry_count);
    int prev = -1;
    for (int i = 0; i < d->entry_count; i++) {
        const proto_delta_entry *e = &d->entries[i];
        int gap = e->id - prev - 1; /* >= 0: the range check made ids ascend */
        uint8_t more = (uint8_t)(e->fields >> 4);
        uint8_t code = (uint8_t)(gap < PROTO_DELTA_GAP_EXPLICIT ? gap : PROTO_DELTA_GAP_EXPLICIT);
        wire_put_u8(w, (uint8_t)(code << 5 | (e->fields & PROTO_DF_HEAD_MASK) | (more ? PROTO_DF_MORE : 0)));
        if (code == PROTO_DELTA_GAP_EXPLICIT)
            wire_put_u8(w, e->id);
        if (more)
            wire_put_u8(w, more);
        prev = e->id;
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
    }
    wire_put_u8(w, d->gem_count);
    wire_put_u8(w, d->gem_changed);
    for (int i = 0; i < d->gem_count; i++) {
        if (d->gem_changed & (1u << i)) {
            wire_put_i16(w, d->gems[i].x);
            wire_put_i16(w, d->gems[i].y);
        }
    }
}

static void proto_write_delta(wire_writer *w, const proto_snapshot_delta *d)
{
    proto_write_delta_head(w, d->tick, d->base_age, d->ack_seq);
    proto_write_delta_tail(w, d);
}

static void proto_write_body(wire_writer *w, const proto_msg *m)
{
    switch (m->type) {
    case PROTO_HELLO:
        wire_put_u32(w, m->u.hello.magic);
        wire_put_u16(w, m->u.hello.version);
        if (proto_hello_is_ours(&m->u.hello)) {
            wire_put_u8(w, m->u.hello.name_len);
            wire_put_bytes(w, m->u.hello.name, m->u.hello.name_len);
            proto_put_u64(w, m->u.hello.token);
            wire_put_u8(w, m->u.hello.colour);
            wire_put_u8(w, m->u.hello.password_len);
            wire_put_bytes(w, m->u.hello.password, m->u.hello.password_len);
        }
        break;
    case PROTO_WELCOME:
        wire_put_u8(w, m->u.welcome.player_id);
        wire_put_u8(w, m->u.welcome.tick_rate);
        wire_put_u8(w, m->u.welcome.max_players);
        wire_put_u8(w, m->u.welcome.arena_id);
        wire_put_u16(w, m->u.welcome.arena_w);
        wire_put_u16(w, m->u.welcome.arena_h);
        wire_put_u32(w, m->u.welcome.server_tick);
        proto_put_u64(w, m->u.welcome.token);
        break;
    case PROTO_REJECT:
        wire_put_u8(w, m->u.reject.reason);
        wire_put_u16(w, m->u.reject.server_version);
        break;
    case PROTO_INPUT:
        wire_put_u32(w, m->u.input.seq);
        wire_put_u8(w, m->u.input.buttons);
        wire_put_u32(w, m->u.input.ack_tick);
        break;
    case PROTO_SNAPSHOT:
        wire_put_u32(w, m->u.snapshot.tick);
        wire_put_u32(w, m->u.snapshot.ack_seq);
        wire_put_u8(w, m->u.snapshot.player_count);
        for (int i = 0; i < m->u.snapshot.player_count; i++)
            proto_write_player(w, &m->u.snapshot.players[i]);
        wire_put_u8(w, m->u.snapshot.gem_count);
        for (int i = 0; i < m->u.snapshot.gem_count; i++) {
            wire_put_i16(w, m->u.snapshot.gems[i].x);
            wire_put_i16(w, m->u.snapshot.gems[i].y);
        }
        break;
    case PROTO_PLAYER_JOINED:
        wire_put_u8(w, m->u.joined.id);
        wire_put_u8(w, m->u.joined.colour);
        wire_put_u8(w, m->u.joined.name_len);
        wire_put_bytes(w, m->u.joined.name, m->u.joined.name_len);
        break;
    case PROTO_PLAYER_LEFT:
        wire_put_u8(w, m->u.left.id);
        wire_put_u8(w, m->u.left.reason);
        break;
    case PROTO_PING:
        wire_put_u32(w, m->u.ping.token);
        break;
    case PROTO_PONG:
        wire_put_u32(w, m->u.ping.token);
        wire_put_u32(w, m->u.ping.server_tick);
        break;
    case PROTO_GOODBYE:
        wire_put_u8(w, m->u.goodbye.reason);
        break;
    case PROTO_SNAPSHOT_DELTA:
        proto_write_delta(w, &m->u.delta);
        break;
    case PROTO_KEEPALIVE:
        wire_put_u32(w, m->u.keepalive.tick);
        wire_put_u8(w, m->u.keepalive.base_age);
        wire_put_u32(w, m->u.keepalive.ack_seq);
        break;
    case PROTO_CHAT:
    case PROTO_CHAT_SEND:
        if (m->type == PROTO_CHAT)
            wire_put_u8(w, m->u.chat.from);
        wire_put_u8(w, m->u.chat.text_len);
        wire_put_bytes(w, m->u.chat.text, m->u.chat.text_len);
        break;
    case PROTO_PLAYER_INFO:
        wire_put_u8(w, m->u.info.count);
        for (int i = 0; i < m->u.info.count; i++) {
            wire_put_u8(w, m->u.info.entries[i].id);
            wire_put_u16(w, m->u.info.entries[i].ping_ms);
            wire_put_u8(w, m->u.info.entries[i].flags);
        }
        break;
    }
}

size_t proto_encode_delta_head(uint32_t tick, uint8_t base_age, uint32_t ack_seq, uint8_t *out, size_t cap)
{
    if (base_age == 0)
        return 0;
    wire_writer w;
    wire_writer_init(&w, out, cap);
    wire_put_u8(&w, PROTO_SNAPSHOT_DELTA);
    proto_write_delta_head(&w, tick, base_age, ack_seq);
    return w.overflow ? 0 : w.len;
}

size_t proto_encode_delta_tail(const proto_snapshot_delta *d, uint8_t *out, size_t cap)
{
    const char *fault = proto_delta_fault(d);
    if (fault) {
        log_warn("proto: refusing to encode SNAPSHOT_DELTA: %s", fault);
        return 0;
    }
    wire_writer w;
    wire_writer_init(&w, out, cap);
    proto_write_delta_tail(&w, d);
    return w.overflow ? 0 : w.len;
}

size_t proto_encode(const proto_msg *msg, uint8_t *out, size_t cap)
{
    /* Refusing here keeps a bug on our side from reaching a peer, which
     * would drop us for it. */
    const char *fault = proto_msg_fault(msg);
    if (fault) {
        log_warn("proto: refusing to encode %s: %s", proto_type_name(msg->type), fault);
        return 0;
    }
    wire_writer w;
    wire_writer_init(&w, out, cap);
    wire_put_u8(&w, msg->type);
    proto_write_body(&w, msg);
    if (w.overflow) {
        log_warn("proto: %s does not fit in %zu bytes", proto_type_name(msg->type), cap);
        return 0;
    }
    return w.len;
}

/* ---- decode ---- */

static uint64_t proto_get_u64(wire_reader *r)
{
    uint64_t hi = wire_get_u32(r);
    return hi << 32 | wire_get_u32(r);
}

/* A length-prefixed byte string into a buffer of max + 1 bytes, NUL added.
 * The length is checked before the copy because it sizes it. */
static proto_error proto_read_text(wire_reader *r, char *out, uint8_t *out_len, size_t max, const char *what)
{
    *out_len = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (*out_len > max) {
        log_debug("proto: dropped %s: length %u > %zu", what, *out_len, max);
        return PROTO_ERR_FIELD;
    }
    wire_get_bytes(r, out, *out_len);
    out[*out_len] = '\0';
    return PROTO_OK;
}

/* Reads name_len and the name into a NUL-terminated buffer of
 * PROTO_NAME_WIRE_MAX + 1 bytes. The length is checked before the copy
 * because it sizes it. */
static proto_error proto_read_name(wire_reader *r, char *name, uint8_t *name_len, const char *what)
{
    *name_len = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (*name_len > PROTO_NAME_WIRE_MAX) {
        log_debug("proto: dropped %s: name_len %u > PROTO_NAME_WIRE_MAX", what, *name_len);
        return PROTO_ERR_FIELD;
    }
    wire_get_bytes(r, name, *name_len);
    name[*name_len] = '\0';
    return PROTO_OK;
}

static proto_error proto_read_hello(wire_reader *r, proto_hello *h)
{
    h->magic = wire_get_u32(r);
    h->version = wire_get_u16(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (!proto_hello_is_ours(h)) {
        /* The first 7 bytes are frozen across versions; whatever follows
         * belongs to a protocol we do not speak, so it is skipped, not
         * judged. The server answers with REJECT. */
        r->pos = r->len;
        return PROTO_OK;
    }
    proto_error e = proto_read_name(r, h->name, &h->name_len, "HELLO");
    if (e != PROTO_OK)
        return e;
    h->token = proto_get_u64(r);
    h->colour = wire_get_u8(r);
    return proto_read_text(r, h->password, &h->password_len, PROTO_PASSWORD_MAX, "HELLO password");
}

static proto_error proto_read_info(wire_reader *r, proto_player_info *in)
{
    in->count = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (in->count > PROTO_MAX_PLAYERS) {
        log_debug("proto: dropped PLAYER_INFO: count %u > PROTO_MAX_PLAYERS", in->count);
        return PROTO_ERR_FIELD;
    }
    for (int i = 0; i < in->count; i++) {
        in->entries[i].id = wire_get_u8(r);
        in->entries[i].ping_ms = wire_get_u16(r);
        in->entries[i].flags = wire_get_u8(r);
    }
    return PROTO_OK;
}

static void proto_read_player(wire_reader *r, proto_player_state *p)
{
    p->id = wire_get_u8(r);
    p->x = wire_get_i32(r);
    p->y = wire_get_i32(r);
    p->vx = wire_get_i16(r);
    p->vy = wire_get_i16(r);
    p->facing = wire_get_u8(r);
    p->moving = wire_get_u8(r);
    p->step = wire_get_u8(r);
    p->score = wire_get_u16(r);
}

static proto_error proto_read_snapshot(wire_reader *r, proto_snapshot *s)
{
    s->tick = wire_get_u32(r);
    s->ack_seq = wire_get_u32(r);
    s->player_count = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (s->player_count > PROTO_MAX_PLAYERS) {
        log_debug("proto: dropped SNAPSHOT: player_count %u > PROTO_MAX_PLAYERS", s->player_count);
        return PROTO_ERR_FIELD;
    }
    for (int i = 0; i < s->player_count; i++)
        proto_read_player(r, &s->players[i]);
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

/* A varint the writer would not produce is a FIELD error; the caller sees
 * truncation through the reader's sticky error as usual. */
static proto_error proto_read_delta(wire_reader *r, proto_snapshot_delta *d)
{
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
    for (int i = 0; i < d->entry_count && !r->error && !bad; i++) {
        proto_delta_entry *e = &d->entries[i];
        uint8_t head = wire_get_u8(r);
        int code = head >> 5, id = prev + 1 + code;
        if (code == PROTO_DELTA_GAP_EXPLICIT) {
            id = wire_get_u8(r);
            /* A gap the short form covers must use it: one encoding only. */
            bad |= !r->error && id - prev - 1 < PROTO_DELTA_GAP_EXPLICIT;
        }
        uint8_t more = (head & PROTO_DF_MORE) ? wire_get_u8(r) : 0;
        bad |= !r->error && (head & PROTO_DF_MORE) && (more == 0 || (more & ~(0xF0 >> 4)));
        e->id = (uint8_t)(id > 255 ? 255 : id); /* > 63 is caught by the range check */
        e->fields = (uint8_t)((head & PROTO_DF_HEAD_MASK) | more << 4);
        prev = id;
        if (e->fields & PROTO_DF_X)
            e->x = proto_unzigzag(proto_get_varint(r, 32, &bad));
        if (e->fields & PROTO_DF_Y)
            e->y = proto_unzigzag(proto_get_varint(r, 32, &bad));
        if (e->fields & PROTO_DF_VX)
            e->vx = (int16_t)proto_unzigzag(proto_get_varint(r, 16, &bad));
        if (e->fields & PROTO_DF_VY)
            e->vy = (int16_t)proto_unzigzag(proto_get_varint(r, 16, &bad));
        if (e->fields & PROTO_DF_LOOK) {
            uint8_t look = wire_get_u8(r);
            e->facing = look & 3;
            e->moving = look >> 2; /* > 1 is caught by the range check */
        }
        if (e->fields & PROTO_DF_STEP)
            e->step = wire_get_u8(r);
        if (e->fields & PROTO_DF_SCORE)
            e->score = (uint16_t)proto_get_varint(r, 16, &bad);
    }
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

static proto_error proto_read_body(wire_reader *r, proto_msg *m)
{
    switch (m->type) {
    case PROTO_HELLO:
        return proto_read_hello(r, &m->u.hello);
    case PROTO_WELCOME:
        m->u.welcome.player_id = wire_get_u8(r);
        m->u.welcome.tick_rate = wire_get_u8(r);
        m->u.welcome.max_players = wire_get_u8(r);
        m->u.welcome.arena_id = wire_get_u8(r);
        m->u.welcome.arena_w = wire_get_u16(r);
        m->u.welcome.arena_h = wire_get_u16(r);
        m->u.welcome.server_tick = wire_get_u32(r);
        m->u.welcome.token = proto_get_u64(r);
        return PROTO_OK;
    case PROTO_REJECT:
        m->u.reject.reason = wire_get_u8(r);
        m->u.reject.server_version = wire_get_u16(r);
        return PROTO_OK;
    case PROTO_INPUT:
        m->u.input.seq = wire_get_u32(r);
        m->u.input.buttons = wire_get_u8(r);
        m->u.input.ack_tick = wire_get_u32(r);
        return PROTO_OK;
    case PROTO_SNAPSHOT:
        return proto_read_snapshot(r, &m->u.snapshot);
    case PROTO_PLAYER_JOINED:
        m->u.joined.id = wire_get_u8(r);
        m->u.joined.colour = wire_get_u8(r);
        return proto_read_name(r, m->u.joined.name, &m->u.joined.name_len, "PLAYER_JOINED");
    case PROTO_PLAYER_LEFT:
        m->u.left.id = wire_get_u8(r);
        m->u.left.reason = wire_get_u8(r);
        return PROTO_OK;
    case PROTO_PING:
        m->u.ping.token = wire_get_u32(r);
        return PROTO_OK;
    case PROTO_PONG:
        m->u.ping.token = wire_get_u32(r);
        m->u.ping.server_tick = wire_get_u32(r);
        return PROTO_OK;
    case PROTO_GOODBYE:
        m->u.goodbye.reason = wire_get_u8(r);
        return PROTO_OK;
    case PROTO_SNAPSHOT_DELTA:
        return proto_read_delta(r, &m->u.delta);
    case PROTO_KEEPALIVE:
        m->u.keepalive.tick = wire_get_u32(r);
        m->u.keepalive.base_age = wire_get_u8(r);
        m->u.keepalive.ack_seq = wire_get_u32(r);
        return PROTO_OK;
    case PROTO_CHAT:
        m->u.chat.from = wire_get_u8(r);
        return proto_read_text(r, m->u.chat.text, &m->u.chat.text_len, PROTO_CHAT_WIRE_MAX, "CHAT");
    case PROTO_CHAT_SEND:
        return proto_read_text(r, m->u.chat.text, &m->u.chat.text_len, PROTO_CHAT_WIRE_MAX, "CHAT_SEND");
    case PROTO_PLAYER_INFO:
        return proto_read_info(r, &m->u.info);
    default:
        return PROTO_ERR_UNKNOWN;
    }
}

size_t proto_msg_size(uint8_t type)
{
    size_t head = offsetof(proto_msg, u);
    switch ((proto_type)type) {
    case PROTO_HELLO:
        return head + sizeof(proto_hello);
    case PROTO_WELCOME:
        return head + sizeof(proto_welcome);
    case PROTO_REJECT:
        return head + sizeof(proto_reject);
    case PROTO_INPUT:
        return head + sizeof(proto_input);
    case PROTO_SNAPSHOT:
        return head + sizeof(proto_snapshot);
    case PROTO_PLAYER_JOINED:
        return head + sizeof(proto_player_joined);
    case PROTO_PLAYER_LEFT:
        return head + sizeof(proto_player_left);
    case PROTO_PING:
    case PROTO_PONG:
        return head + sizeof(proto_ping);
    case PROTO_GOODBYE:
        return head + sizeof(proto_goodbye);
    case PROTO_SNAPSHOT_DELTA:
        return head + sizeof(proto_snapshot_delta);
    case PROTO_KEEPALIVE:
        return head + sizeof(proto_keepalive);
    case PROTO_CHAT_SEND:
    case PROTO_CHAT:
        return head + sizeof(proto_chat);
    case PROTO_PLAYER_INFO:
        return head + sizeof(proto_player_info);
    }
    return sizeof(proto_msg);
}

void proto_msg_copy(proto_msg *dst, const proto_msg *src)
{
    memcpy(dst, src, proto_msg_size(src->type));
}

proto_error proto_decode(const uint8_t *data, size_t len, proto_msg *msg)
{
    if (!data || len == 0)
        return PROTO_ERR_EMPTY;
    /* Zeroed so that fields a message does not carry (PING's server_tick,
     * a foreign HELLO's name) read as 0 rather than stale values; only as
     * much as its type can use (proto_msg_size). */
    memset(msg, 0, proto_msg_size(data[0]));
    wire_reader r;
    wire_reader_init(&r, data, len);
    msg->type = wire_get_u8(&r);

    proto_error e = proto_read_body(&r, msg);
    if (e == PROTO_OK && r.error)
        e = PROTO_ERR_TRUNCATED;
    if (e == PROTO_OK) {
        const char *fault = proto_msg_fault(msg);
        if (fault) {
            log_debug("proto: dropped %s: %s", proto_type_name(msg->type), fault);
            e = PROTO_ERR_FIELD;
        }
    }
    if (e == PROTO_OK && wire_remaining(&r) > 0)
        e = PROTO_ERR_TRAILING;
    if (e == PROTO_ERR_UNKNOWN)
        log_debug("proto: dropped message of unknown type 0x%02X (%zu bytes)", msg->type, len);
    else if (e == PROTO_ERR_TRUNCATED || e == PROTO_ERR_TRAILING)
        log_debug("proto: dropped %s (%zu bytes): %s", proto_type_name(msg->type), len,
                  proto_error_text(e));
    return e;
}

/* ---- text ---- */

const char *proto_error_text(proto_error e)
{
    switch (e) {
    case PROTO_OK:
        return "no error";
    case PROTO_ERR_EMPTY:
        return "empty message";
    case PROTO_ERR_UNKNOWN:
        return "unknown message type";
    case PROTO_ERR_TRUNCATED:
        return "message shorter than its fields";
    case PROTO_ERR_TRAILING:
        return "unexpected bytes after the last field";
    case PROTO_ERR_FIELD:
        return "a field is out of its allowed range";
    case PROTO_ERR_NO_ROOM:
        return "output buffer too small";
    }
    return "unknown error";
}

const char *proto_type_name(uint8_t type)
{
    switch (type) {
    case PROTO_HELLO:
        return "HELLO";
    case PROTO_WELCOME:
        return "WELCOME";
    case PROTO_REJECT:
        return "REJECT";
    case PROTO_INPUT:
        return "INPUT";
    case PROTO_SNAPSHOT:
        return "SNAPSHOT";
    case PROTO_PLAYER_JOINED:
        return "PLAYER_JOINED";
    case PROTO_PLAYER_LEFT:
        return "PLAYER_LEFT";
    case PROTO_PING:
        return "PING";
    case PROTO_PONG:
        return "PONG";
    case PROTO_GOODBYE:
        return "GOODBYE";
    case PROTO_SNAPSHOT_DELTA:
        return "SNAPSHOT_DELTA";
    case PROTO_KEEPALIVE:
        return "KEEPALIVE";
    case PROTO_CHAT_SEND:
        return "CHAT_SEND";
    case PROTO_CHAT:
        return "CHAT";
    case PROTO_PLAYER_INFO:
        return "PLAYER_INFO";
    }
    return "unknown";
}

const char *proto_reject_text(uint8_t reason)
{
    switch (reason) {
    case PROTO_REJECT_VERSION:
        return "The host is running a different version of LAN Arena.";
    case PROTO_REJECT_FULL:
        return "The server is full.";
    case PROTO_REJECT_NAME:
        return "That name can't be used. A name must not be blank, must fit in "
               PROTO_STR(PROTO_NAME_MAX) " bytes and must not contain control characters.";
    case PROTO_REJECT_NAME_TAKEN:
        return "Someone in this game is already using that name.";
    case PROTO_REJECT_BAD_MAGIC:
        return "The host did not recognise this program as LAN Arena.";
    case PROTO_REJECT_PASSWORD:
        return "This game has a password, and the password given was wrong or missing.";
    }
    return "The host refused the connection for an unknown reason.";
}

/* Read both by the player who was disconnected and by those told that
 * someone else left, so the sentences avoid "you". */
const char *proto_bye_text(uint8_t reason)
{
    switch (reason) {
    case PROTO_BYE_QUIT:
        return "The player left the game.";
    case PROTO_BYE_HOST_ENDED:
        return "The host ended the game.";
    case PROTO_BYE_TIMEOUT:
        return "The connection timed out.";
    case PROTO_BYE_PROTOCOL_ERROR:
        return "The connection was closed because a garbled message arrived.";
    case PROTO_BYE_TOO_SLOW:
        return "The connection was too slow to keep up with the game.";
    case PROTO_BYE_KICKED:
        return "The host removed the player for breaking a server limit.";
    case PROTO_BYE_CONNECTION_LOST:
        return "The connection was lost.";
    }
    return "The connection was closed for an unknown reason.";
}

/* ---- names ---- */

/* Decodes one UTF-8 sequence from s (n bytes available) into *cp and
 * returns its length, or 0 if it is not well-formed: a stray continuation
 * byte, a short sequence, an overlong form, a surrogate, or > U+10FFFF. */
static size_t proto_utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t b = s[0];
    size_t len;
    uint32_t min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC0 && b <= 0xDF) {
        len = 2, min = 0x80, *cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, min = 0x800, *cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF7) {
        len = 4, min = 0x10000, *cp = b & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* Characters that draw nothing: Unicode's space separators plus the
 * zero-width ones, so "   " in any script is still a blank name. */
static bool proto_is_blank(uint32_t cp)
{
    return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* 1..max bytes of valid UTF-8, no control characters, not only blanks. */
static bool proto_text_valid(const char *name, size_t len, size_t max)
{
    if (!name || len == 0 || len > max)
        return false;
    const uint8_t *s = (const uint8_t *)name;
    bool blank = true;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = proto_utf8_next(s + i, len - i, &cp);
        if (n == 0)
            return false;
        /* C0 (incl. NUL), DEL and C1 controls */
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return false;
        if (!proto_is_blank(cp))
            blank = false;
        i += n;
    }
    return !blank;
}

bool proto_name_valid(const char *name, size_t len)
{
    return proto_text_valid(name, len, PROTO_NAME_MAX);
}

bool proto_chat_valid(const char *text, size_t len)
{
    return proto_text_valid(text, len, PROTO_CHAT_MAX);
}

/* ---- constructors ---- */

proto_msg proto_make_hello(const char *name)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_HELLO;
    m.u.hello.magic = PROTO_MAGIC;
    m.u.hello.version = PROTO_VERSION;
    m.u.hello.colour = PROTO_COLOUR_ANY;
    size_t n = name ? strlen(name) : 0;
    if (n > PROTO_NAME_WIRE_MAX) {
        n = PROTO_NAME_WIRE_MAX;
        /* Cut before a character, not through one: back off over up to
         * three continuation bytes of the character the cut would split. */
        for (int k = 0; k < 3 && n > 0 && ((uint8_t)name[n] & 0xC0) == 0x80; k++)
            n--;
    }
    if (n > 0)
        memcpy(m.u.hello.name, name, n);
    m.u.hello.name[n] = '\0';
    m.u.hello.name_len = (uint8_t)n;
    return m;
}

proto_msg proto_make_goodbye(uint8_t reason)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_GOODBYE;
    m.u.goodbye.reason = reason;
    return m;
}
