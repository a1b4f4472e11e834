/*
 * proto: encoder and decoder for the messages tabled in proto.h. That table
 * is the specification; this file describes each message once, as a row of
 * proto_rows (at the bottom): its name, the bytes of proto_msg it uses, its
 * encoded size bounds, and its three functions:
 *
 *   fault  names the first field out of its documented range, or NULL.
 *          One check serves both directions: decode rejects what it finds,
 *          encode refuses to produce it, so anything we send, we would
 *          also accept.
 *   write  writes the body, field by field in the table's order.
 *   read   reads the body back. Reading leans on wire.c's sticky error: a
 *          reader reads all its fields and proto_decode checks once for a
 *          truncated body, then fault, then trailing bytes. A reader exits
 *          early only where a count on the wire bounds an array, so that
 *          no loop or copy runs past the struct.
 *
 * Adding a message is one row plus those three functions; proto_encode,
 * proto_decode, proto_msg_size and proto_type_name read the table. The
 * two snapshot messages' functions are in proto_snapshot.c (declared in
 * proto_codec.h); the sentences, the name and chat policy and the
 * constructors are in proto_text.c.
 *
 * Pure and thread-safe: no allocation, no shared state. Rejected messages
 * are logged at debug level with the field at fault.
 */
#include "proto.h"

#include <string.h>

#include "log.h"
#include "proto_codec.h"

/* ---- shared by several messages ---- */

static bool proto_reject_known(uint8_t reason)
{
    return reason >= PROTO_REJECT_VERSION && reason <= PROTO_REJECT_PASSWORD;
}

static bool proto_bye_known(uint8_t reason)
{
    return reason >= PROTO_BYE_QUIT && reason <= PROTO_BYE_LAST;
}

/* 64-bit fields go as two big-endian u32, high half first. */
static void proto_put_u64(wire_writer *w, uint64_t v)
{
    wire_put_u32(w, (uint32_t)(v >> 32));
    wire_put_u32(w, (uint32_t)v);
}

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

/* ---- HELLO ---- */

/* Only a HELLO of our magic and version has fields past the version: a
 * foreign or future peer's body is not ours to parse, only to refuse. */
static bool proto_hello_is_ours(const proto_hello *h)
{
    return h->magic == PROTO_MAGIC && h->version == PROTO_VERSION;
}

static const char *proto_hello_fault(const proto_msg *m)
{
    const proto_hello *h = &m->u.hello;
    if (!proto_hello_is_ours(h))
        return NULL; /* only the frozen head is ours to judge */
    if (h->name_len > PROTO_NAME_WIRE_MAX)
        return "HELLO name_len > PROTO_NAME_WIRE_MAX";
    if (h->colour >= PROTO_COLOURS && h->colour != PROTO_COLOUR_ANY)
        return "HELLO colour not < PROTO_COLOURS nor PROTO_COLOUR_ANY";
    if (h->password_len > PROTO_PASSWORD_MAX)
        return "HELLO password_len > PROTO_PASSWORD_MAX";
    if (h->snapshot_hz != PROTO_SNAPSHOT_HZ_AUTO &&
        (h->snapshot_hz < PROTO_SNAPSHOT_HZ_MIN || h->snapshot_hz > PROTO_SNAPSHOT_HZ_MAX))
        return "HELLO snapshot_hz not AUTO nor PROTO_SNAPSHOT_HZ_MIN..MAX";
    return NULL;
}

static void proto_hello_write(wire_writer *w, const proto_msg *m)
{
    const proto_hello *h = &m->u.hello;
    wire_put_u32(w, h->magic);
    wire_put_u16(w, h->version);
    if (!proto_hello_is_ours(h))
        return;
    wire_put_u8(w, h->name_len);
    wire_put_bytes(w, h->name, h->name_len);
    proto_put_u64(w, h->token);
    wire_put_u8(w, h->colour);
    wire_put_u8(w, h->password_len);
    wire_put_bytes(w, h->password, h->password_len);
    wire_put_u8(w, h->snapshot_hz);
}

static proto_error proto_hello_read(wire_reader *r, proto_msg *m)
{
    proto_hello *h = &m->u.hello;
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
    e = proto_read_text(r, h->password, &h->password_len, PROTO_PASSWORD_MAX, "HELLO password");
    h->snapshot_hz = wire_get_u8(r);
    return e;
}

/* ---- WELCOME ---- */

static const char *proto_welcome_fault(const proto_msg *m)
{
    const proto_welcome *wl = &m->u.welcome;
    if (wl->player_id >= PROTO_MAX_PLAYERS)
        return "WELCOME player_id >= PROTO_MAX_PLAYERS";
    if (wl->tick_rate == 0)
        return "WELCOME tick_rate is 0";
    if (wl->max_players == 0 || wl->max_players > PROTO_MAX_PLAYERS)
        return "WELCOME max_players not in 1..PROTO_MAX_PLAYERS";
    return NULL;
}

static void proto_welcome_write(wire_writer *w, const proto_msg *m)
{
    const proto_welcome *wl = &m->u.welcome;
    wire_put_u8(w, wl->player_id);
    wire_put_u8(w, wl->tick_rate);
    wire_put_u8(w, wl->max_players);
    wire_put_u8(w, wl->arena_id);
    wire_put_u16(w, wl->arena_w);
    wire_put_u16(w, wl->arena_h);
    wire_put_u32(w, wl->server_tick);
    proto_put_u64(w, wl->token);
}

static proto_error proto_welcome_read(wire_reader *r, proto_msg *m)
{
    proto_welcome *wl = &m->u.welcome;
    wl->player_id = wire_get_u8(r);
    wl->tick_rate = wire_get_u8(r);
    wl->max_players = wire_get_u8(r);
    wl->arena_id = wire_get_u8(r);
    wl->arena_w = wire_get_u16(r);
    wl->arena_h = wire_get_u16(r);
    wl->server_tick = wire_get_u32(r);
    wl->token = proto_get_u64(r);
    return PROTO_OK;
}

/* ---- REJECT ---- */

static const char *proto_reject_fault(const proto_msg *m)
{
    return proto_reject_known(m->u.reject.reason) ? NULL : "REJECT reason unknown";
}

static void proto_reject_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.reject.reason);
    wire_put_u16(w, m->u.reject.server_version);
}

static proto_error proto_reject_read(wire_reader *r, proto_msg *m)
{
    m->u.reject.reason = wire_get_u8(r);
    m->u.reject.server_version = wire_get_u16(r);
    return PROTO_OK;
}

/* ---- INPUT ---- */

static const char *proto_input_fault(const proto_msg *m)
{
    if (m->u.input.history_len > PROTO_INPUT_HISTORY)
        return "INPUT history_len > PROTO_INPUT_HISTORY";
    for (int i = 0; i < m->u.input.history_len; i++)
        if (m->u.input.history[i] & ~PROTO_BTN_MASK)
            return "INPUT history buttons outside PROTO_BTN_MASK";
    return (m->u.input.buttons & ~PROTO_BTN_MASK) ? "INPUT buttons outside PROTO_BTN_MASK" : NULL;
}

static void proto_input_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u32(w, m->u.input.seq);
    wire_put_u8(w, m->u.input.buttons);
    wire_put_u32(w, m->u.input.ack_tick);
    wire_put_u8(w, m->u.input.history_len);
    wire_put_bytes(w, m->u.input.history, m->u.input.history_len);
    wire_put_u8(w, m->u.input.view_back);
}

static proto_error proto_input_read(wire_reader *r, proto_msg *m)
{
    m->u.input.seq = wire_get_u32(r);
    m->u.input.buttons = wire_get_u8(r);
    m->u.input.ack_tick = wire_get_u32(r);
    m->u.input.history_len = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (m->u.input.history_len > PROTO_INPUT_HISTORY) {
        log_debug("proto: dropped INPUT: history_len %u > PROTO_INPUT_HISTORY", m->u.input.history_len);
        return PROTO_ERR_FIELD;
    }
    wire_get_bytes(r, m->u.input.history, m->u.input.history_len);
    m->u.input.view_back = wire_get_u8(r);
    return PROTO_OK;
}

/* ---- PLAYER_JOINED ---- */

static const char *proto_joined_fault(const proto_msg *m)
{
    /* Receivers index their player tables by id. */
    if (m->u.joined.id >= PROTO_MAX_PLAYERS)
        return "PLAYER_JOINED id >= PROTO_MAX_PLAYERS";
    if (m->u.joined.name_len > PROTO_NAME_WIRE_MAX)
        return "PLAYER_JOINED name_len > PROTO_NAME_WIRE_MAX";
    return NULL;
}

static void proto_joined_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.joined.id);
    wire_put_u8(w, m->u.joined.colour);
    wire_put_u8(w, m->u.joined.name_len);
    wire_put_bytes(w, m->u.joined.name, m->u.joined.name_len);
    proto_put_u64(w, m->u.joined.proof);
}

static proto_error proto_joined_read(wire_reader *r, proto_msg *m)
{
    m->u.joined.id = wire_get_u8(r);
    m->u.joined.colour = wire_get_u8(r);
    proto_error e = proto_read_name(r, m->u.joined.name, &m->u.joined.name_len, "PLAYER_JOINED");
    m->u.joined.proof = proto_get_u64(r);
    return e;
}

/* ---- PLAYER_LEFT ---- */

static const char *proto_left_fault(const proto_msg *m)
{
    if (m->u.left.id >= PROTO_MAX_PLAYERS)
        return "PLAYER_LEFT id >= PROTO_MAX_PLAYERS";
    return proto_bye_known(m->u.left.reason) ? NULL : "PLAYER_LEFT reason unknown";
}

static void proto_left_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.left.id);
    wire_put_u8(w, m->u.left.reason);
}

static proto_error proto_left_read(wire_reader *r, proto_msg *m)
{
    m->u.left.id = wire_get_u8(r);
    m->u.left.reason = wire_get_u8(r);
    return PROTO_OK;
}

/* ---- PING and PONG (one struct; PING carries the token only) ---- */

static void proto_ping_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u32(w, m->u.ping.token);
}

static proto_error proto_ping_read(wire_reader *r, proto_msg *m)
{
    m->u.ping.token = wire_get_u32(r);
    return PROTO_OK;
}

static void proto_pong_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u32(w, m->u.ping.token);
    wire_put_u32(w, m->u.ping.held_us);
}

static proto_error proto_pong_read(wire_reader *r, proto_msg *m)
{
    m->u.ping.token = wire_get_u32(r);
    m->u.ping.held_us = wire_get_u32(r);
    return PROTO_OK;
}

/* ---- GOODBYE ---- */

static const char *proto_goodbye_fault(const proto_msg *m)
{
    return proto_bye_known(m->u.goodbye.reason) ? NULL : "GOODBYE reason unknown";
}

static void proto_goodbye_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.goodbye.reason);
}

static proto_error proto_goodbye_read(wire_reader *r, proto_msg *m)
{
    m->u.goodbye.reason = wire_get_u8(r);
    return PROTO_OK;
}

/* ---- KEEPALIVE ---- */

static const char *proto_keepalive_fault(const proto_msg *m)
{
    return m->u.keepalive.base_age == 0 ? "KEEPALIVE base_age is 0" : NULL;
}

static void proto_keepalive_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u32(w, m->u.keepalive.tick);
    wire_put_u8(w, m->u.keepalive.base_age);
    wire_put_u32(w, m->u.keepalive.ack_seq);
}

static proto_error proto_keepalive_read(wire_reader *r, proto_msg *m)
{
    m->u.keepalive.tick = wire_get_u32(r);
    m->u.keepalive.base_age = wire_get_u8(r);
    m->u.keepalive.ack_seq = wire_get_u32(r);
    return PROTO_OK;
}

/* ---- CHAT_SEND and CHAT (one struct; CHAT_SEND has no sender) ---- */

static const char *proto_chat_send_fault(const proto_msg *m)
{
    if (m->u.chat.text_len == 0 || m->u.chat.text_len > PROTO_CHAT_WIRE_MAX)
        return "CHAT text_len not in 1..PROTO_CHAT_WIRE_MAX";
    return NULL;
}

static void proto_chat_send_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.chat.text_len);
    wire_put_bytes(w, m->u.chat.text, m->u.chat.text_len);
}

static proto_error proto_chat_send_read(wire_reader *r, proto_msg *m)
{
    return proto_read_text(r, m->u.chat.text, &m->u.chat.text_len, PROTO_CHAT_WIRE_MAX, "CHAT_SEND");
}

static const char *proto_chat_fault(const proto_msg *m)
{
    const char *fault = proto_chat_send_fault(m);
    if (fault)
        return fault;
    if (m->u.chat.from >= PROTO_MAX_PLAYERS && m->u.chat.from != PROTO_CHAT_FROM_HOST)
        return "CHAT from is neither a player id nor PROTO_CHAT_FROM_HOST";
    return NULL;
}

static void proto_chat_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.chat.from);
    proto_chat_send_write(w, m);
}

static proto_error proto_chat_read(wire_reader *r, proto_msg *m)
{
    m->u.chat.from = wire_get_u8(r);
    return proto_read_text(r, m->u.chat.text, &m->u.chat.text_len, PROTO_CHAT_WIRE_MAX, "CHAT");
}

/* ---- PLAYER_INFO ---- */

static const char *proto_info_fault(const proto_msg *m)
{
    const proto_player_info *in = &m->u.info;
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

static void proto_info_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.info.count);
    for (int i = 0; i < m->u.info.count; i++) {
        wire_put_u8(w, m->u.info.entries[i].id);
        wire_put_u16(w, m->u.info.entries[i].ping_ms);
        wire_put_u8(w, m->u.info.entries[i].flags);
    }
}

static proto_error proto_info_read(wire_reader *r, proto_msg *m)
{
    proto_player_info *in = &m->u.info;
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

/* ---- RATE ---- */

static const char *proto_rate_fault(const proto_msg *m)
{
    return m->u.rate.snapshot_hz == 0 || m->u.rate.snapshot_hz > PROTO_SNAPSHOT_HZ_MAX
               ? "RATE snapshot_hz not 1..PROTO_SNAPSHOT_HZ_MAX"
               : NULL;
}

static void proto_rate_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.rate.snapshot_hz);
}

static proto_error proto_rate_read(wire_reader *r, proto_msg *m)
{
    m->u.rate.snapshot_hz = wire_get_u8(r);
    return PROTO_OK;
}

/* ---- HOST_PLAN ---- */

static const char *proto_plan_fault(const proto_msg *m)
{
    const proto_host_plan *p = &m->u.plan;
    if (p->flags & ~PROTO_PLAN_MASK)
        return "HOST_PLAN flags outside PROTO_PLAN_MASK";
    if (p->port == 0)
        return "HOST_PLAN port is 0";
    if (p->count > PROTO_PLAN_MAX)
        return "HOST_PLAN count > PROTO_PLAN_MAX";
    for (int i = 0; i < p->count; i++) {
        if (p->entries[i].id >= PROTO_MAX_PLAYERS)
            return "HOST_PLAN id >= PROTO_MAX_PLAYERS";
        for (int j = 0; j < i; j++)
            if (p->entries[j].id == p->entries[i].id)
                return "HOST_PLAN id repeated";
    }
    return NULL;
}

static void proto_plan_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.plan.flags);
    wire_put_u16(w, m->u.plan.port);
    wire_put_u8(w, m->u.plan.count);
    for (int i = 0; i < m->u.plan.count; i++) {
        wire_put_u8(w, m->u.plan.entries[i].id);
        wire_put_u32(w, m->u.plan.entries[i].addr);
    }
}

static proto_error proto_plan_read(wire_reader *r, proto_msg *m)
{
    proto_host_plan *p = &m->u.plan;
    p->flags = wire_get_u8(r);
    p->port = wire_get_u16(r);
    p->count = wire_get_u8(r);
    if (r->error)
        return PROTO_ERR_TRUNCATED;
    if (p->count > PROTO_PLAN_MAX) {
        log_debug("proto: dropped HOST_PLAN: count %u > PROTO_PLAN_MAX", p->count);
        return PROTO_ERR_FIELD;
    }
    for (int i = 0; i < p->count; i++) {
        p->entries[i].id = wire_get_u8(r);
        p->entries[i].addr = wire_get_u32(r);
    }
    return PROTO_OK;
}

/* ---- MATCH ---- */

static const char *proto_match_fault(const proto_msg *m)
{
    if (m->u.match.phase >= PROTO_PHASE_COUNT)
        return "MATCH phase >= PROTO_PHASE_COUNT";
    if (m->u.match.winner >= PROTO_MAX_PLAYERS && m->u.match.winner != PROTO_NOBODY)
        return "MATCH winner is neither a player id nor PROTO_NOBODY";
    return NULL;
}

static void proto_match_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.match.phase);
    wire_put_u16(w, m->u.match.round);
    wire_put_u32(w, m->u.match.left);
    wire_put_u32(w, m->u.match.round_ticks);
    wire_put_u16(w, m->u.match.score_limit);
    wire_put_u8(w, m->u.match.winner);
}

static proto_error proto_match_read(wire_reader *r, proto_msg *m)
{
    m->u.match.phase = wire_get_u8(r);
    m->u.match.round = wire_get_u16(r);
    m->u.match.left = wire_get_u32(r);
    m->u.match.round_ticks = wire_get_u32(r);
    m->u.match.score_limit = wire_get_u16(r);
    m->u.match.winner = wire_get_u8(r);
    return PROTO_OK;
}

/* ---- EVENT ---- */

static const char *proto_event_fault(const proto_msg *m)
{
    if (m->u.event.kind == 0 || m->u.event.kind > PROTO_EV_LAST)
        return "EVENT kind not in 1..PROTO_EV_LAST";
    return m->u.event.drop > 1 ? "EVENT drop not 0 or 1" : NULL;
}

static void proto_event_write(wire_writer *w, const proto_msg *m)
{
    wire_put_u8(w, m->u.event.kind);
    wire_put_u8(w, m->u.event.a);
    wire_put_u8(w, m->u.event.b);
    wire_put_u8(w, m->u.event.drop);
    wire_put_i16(w, m->u.event.x);
    wire_put_i16(w, m->u.event.y);
}

static proto_error proto_event_read(wire_reader *r, proto_msg *m)
{
    m->u.event.kind = wire_get_u8(r);
    m->u.event.a = wire_get_u8(r);
    m->u.event.b = wire_get_u8(r);
    m->u.event.drop = wire_get_u8(r);
    m->u.event.x = wire_get_i16(r);
    m->u.event.y = wire_get_i16(r);
    return PROTO_OK;
}

/* ---- the message table ---- */

typedef struct {
    const char *name;    /* NULL: no message has this type */
    size_t size;         /* bytes of proto_msg it uses: the type and its union member */
    size_t wire_min;     /* encoded bytes, type byte included */
    size_t wire_max;
    const char *(*fault)(const proto_msg *m); /* NULL: every value is in range */
    void (*write)(wire_writer *w, const proto_msg *m);
    proto_error (*read)(wire_reader *r, proto_msg *m);
} proto_row;

#define PROTO_USES(member) (offsetof(proto_msg, u) + sizeof(((proto_msg *)0)->u.member))
#define PROTO_CODEC(prefix) prefix##_fault, prefix##_write, prefix##_read

/* Indexed by type. Sizes: type byte + the body in proto.h's table; a
 * foreign HELLO is its frozen head alone. */
static const proto_row proto_rows[256] = {
    /*  type                     name              uses             wire min          wire max */
    [PROTO_HELLO] =          {"HELLO",          PROTO_USES(hello), 1 + 6,          1 + 6 + 1 + PROTO_NAME_WIRE_MAX + 8 + 1 + 1 + PROTO_PASSWORD_MAX + 1,
                              PROTO_CODEC(proto_hello)},
    [PROTO_WELCOME] =        {"WELCOME",        PROTO_USES(welcome), 1 + 20,       1 + 20,
                              PROTO_CODEC(proto_welcome)},
    [PROTO_REJECT] =         {"REJECT",         PROTO_USES(reject), 1 + 3,         1 + 3,
                              PROTO_CODEC(proto_reject)},
    [PROTO_INPUT] =          {"INPUT",          PROTO_USES(input), 1 + 11,         1 + 11 + PROTO_INPUT_HISTORY,
                              PROTO_CODEC(proto_input)},
    [PROTO_SNAPSHOT] =       {"SNAPSHOT",       PROTO_USES(snapshot), 1 + 10,      PROTO_SNAPSHOT_MAX_SIZE,
                              PROTO_CODEC(proto_snapshot)},
    [PROTO_PLAYER_JOINED] =  {"PLAYER_JOINED",  PROTO_USES(joined), 1 + 3 + 8,     1 + 3 + PROTO_NAME_WIRE_MAX + 8,
                              PROTO_CODEC(proto_joined)},
    [PROTO_PLAYER_LEFT] =    {"PLAYER_LEFT",    PROTO_USES(left), 1 + 2,           1 + 2,
                              PROTO_CODEC(proto_left)},
    [PROTO_PING] =           {"PING",           PROTO_USES(ping), 1 + 4,           1 + 4,
                              NULL, proto_ping_write, proto_ping_read},
    [PROTO_PONG] =           {"PONG",           PROTO_USES(ping), 1 + 8,           1 + 8,
                              NULL, proto_pong_write, proto_pong_read},
    [PROTO_GOODBYE] =        {"GOODBYE",        PROTO_USES(goodbye), 1 + 1,        1 + 1,
                              PROTO_CODEC(proto_goodbye)},
    [PROTO_SNAPSHOT_DELTA] = {"SNAPSHOT_DELTA", PROTO_USES(delta), 1 + 9,          PROTO_DELTA_MAX_SIZE,
                              PROTO_CODEC(proto_delta)},
    [PROTO_KEEPALIVE] =      {"KEEPALIVE",      PROTO_USES(keepalive), 1 + 9,      1 + 9,
                              PROTO_CODEC(proto_keepalive)},
    [PROTO_CHAT_SEND] =      {"CHAT_SEND",      PROTO_USES(chat), 1 + 2,           1 + 1 + PROTO_CHAT_WIRE_MAX,
                              PROTO_CODEC(proto_chat_send)},
    [PROTO_CHAT] =           {"CHAT",           PROTO_USES(chat), 1 + 3,           1 + 2 + PROTO_CHAT_WIRE_MAX,
                              PROTO_CODEC(proto_chat)},
    [PROTO_PLAYER_INFO] =    {"PLAYER_INFO",    PROTO_USES(info), 1 + 1,           1 + 1 + PROTO_MAX_PLAYERS * 4,
                              PROTO_CODEC(proto_info)},
    [PROTO_RATE] =           {"RATE",           PROTO_USES(rate), 1 + 1,           1 + 1,
                              PROTO_CODEC(proto_rate)},
    [PROTO_HOST_PLAN] =      {"HOST_PLAN",      PROTO_USES(plan), 1 + 4,           1 + 4 + PROTO_PLAN_MAX * 5,
                              PROTO_CODEC(proto_plan)},
    [PROTO_MATCH] =          {"MATCH",          PROTO_USES(match), 1 + 14,         1 + 14,
                              PROTO_CODEC(proto_match)},
    [PROTO_EVENT] =          {"EVENT",          PROTO_USES(event), 1 + 8,          1 + 8,
                              PROTO_CODEC(proto_event)},
};

static const proto_row *proto_row_of(uint8_t type)
{
    return proto_rows[type].name ? &proto_rows[type] : NULL;
}

static const char *proto_fault(const proto_row *row, const proto_msg *m)
{
    return row->fault ? row->fault(m) : NULL;
}

/* ---- the public codec, driven by the table ---- */

size_t proto_msg_size(uint8_t type)
{
    const proto_row *row = proto_row_of(type);
    return row ? row->size : sizeof(proto_msg);
}

void proto_msg_copy(proto_msg *dst, const proto_msg *src)
{
    memcpy(dst, src, proto_msg_size(src->type));
}

const char *proto_type_name(uint8_t type)
{
    const proto_row *row = proto_row_of(type);
    return row ? row->name : "unknown";
}

bool proto_wire_bounds(uint8_t type, size_t *min, size_t *max)
{
    const proto_row *row = proto_row_of(type);
    if (!row)
        return false;
    *min = row->wire_min;
    *max = row->wire_max;
    return true;
}

size_t proto_encode(const proto_msg *msg, uint8_t *out, size_t cap)
{
    const proto_row *row = proto_row_of(msg->type);
    if (!row) {
        log_warn("proto: refusing to encode a message of unknown type 0x%02X", msg->type);
        return 0;
    }
    /* Refusing here keeps a bug on our side from reaching a peer, which
     * would drop us for it. */
    const char *fault = proto_fault(row, msg);
    if (fault) {
        log_warn("proto: refusing to encode %s: %s", row->name, fault);
        return 0;
    }
    wire_writer w;
    wire_writer_init(&w, out, cap);
    wire_put_u8(&w, msg->type);
    row->write(&w, msg);
    if (w.overflow) {
        log_warn("proto: %s does not fit in %zu bytes", row->name, cap);
        return 0;
    }
    return w.len;
}

proto_error proto_decode(const uint8_t *data, size_t len, proto_msg *msg)
{
    if (!data || len == 0)
        return PROTO_ERR_EMPTY;
    /* Zeroed so that fields a message does not carry (PING's held_us,
     * a foreign HELLO's name) read as 0 rather than stale values; only as
     * much as its type can use (proto_msg_size). */
    memset(msg, 0, proto_msg_size(data[0]));
    wire_reader r;
    wire_reader_init(&r, data, len);
    msg->type = wire_get_u8(&r);
    const proto_row *row = proto_row_of(msg->type);
    if (!row) {
        log_debug("proto: dropped message of unknown type 0x%02X (%zu bytes)", msg->type, len);
        return PROTO_ERR_UNKNOWN;
    }

    proto_error e = row->read(&r, msg);
    if (e == PROTO_OK && r.error)
        e = PROTO_ERR_TRUNCATED;
    if (e == PROTO_OK) {
        const char *fault = proto_fault(row, msg);
        if (fault) {
            log_debug("proto: dropped %s: %s", row->name, fault);
            e = PROTO_ERR_FIELD;
        }
    }
    if (e == PROTO_OK && wire_remaining(&r) > 0)
        e = PROTO_ERR_TRAILING;
    if (e == PROTO_ERR_TRUNCATED || e == PROTO_ERR_TRAILING)
        log_debug("proto: dropped %s (%zu bytes): %s", row->name, len, proto_error_text(e));
    return e;
}
/* ---- token proofs ---- */

#define PROTO_ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void proto_sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = PROTO_ROTL64(v[1], 13) ^ v[0];
    v[0] = PROTO_ROTL64(v[0], 32);
    v[2] += v[3];
    v[3] = PROTO_ROTL64(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = PROTO_ROTL64(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = PROTO_ROTL64(v[1], 17) ^ v[2];
    v[2] = PROTO_ROTL64(v[2], 32);
}

/* SipHash-2-4 of the 8 bytes of token (little-endian, as the reference
 * takes a message), keyed with the constant "LANArena-migrate". */
uint64_t proto_token_proof(uint64_t token)
{
    if (token == 0)
        return 0;
    const uint64_t k0 = 0x416E6572414E414Cull, k1 = 0x6574617267696D2Dull;
    uint64_t v[4] = {k0 ^ 0x736F6D6570736575ull, k1 ^ 0x646F72616E646F6Dull, k0 ^ 0x6C7967656E657261ull,
                     k1 ^ 0x7465646279746573ull};
    v[3] ^= token;
    proto_sip_round(v);
    proto_sip_round(v);
    v[0] ^= token;
    uint64_t last = (uint64_t)8 << 56;
    v[3] ^= last;
    proto_sip_round(v);
    proto_sip_round(v);
    v[0] ^= last;
    v[2] ^= 0xFF;
    for (int i = 0; i < 4; i++)
        proto_sip_round(v);
    uint64_t h = v[0] ^ v[1] ^ v[2] ^ v[3];
    return h ? h : 1;
}
