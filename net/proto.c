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
    return reason >= PROTO_REJECT_VERSION && reason <= PROTO_REJECT_BAD_MAGIC;
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
    uint64_t seen = 0; /* one bit per id: PROTO_MAX_PLAYERS is 64 */
    for (int i = 0; i < s->player_count; i++) {
        const proto_player_state *p = &s->players[i];
        if (p->id >= PROTO_MAX_PLAYERS)
            return "SNAPSHOT player id >= PROTO_MAX_PLAYERS";
        if (seen & (UINT64_C(1) << p->id))
            return "SNAPSHOT player id repeated";
        seen |= UINT64_C(1) << p->id;
        if (p->facing >= PROTO_FACE_COUNT)
            return "SNAPSHOT player facing >= PROTO_FACE_COUNT";
        if (p->moving > 1)
            return "SNAPSHOT player moving not 0 or 1";
    }
    return NULL;
}

/* Names the first field out of its documented range, or NULL if none. */
static const char *proto_msg_fault(const proto_msg *m)
{
    switch (m->type) {
    case PROTO_HELLO:
        if (proto_hello_is_ours(&m->u.hello) && m->u.hello.name_len > PROTO_NAME_WIRE_MAX)
            return "HELLO name_len > PROTO_NAME_WIRE_MAX";
        return NULL;
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
    default:
        return "unknown message type";
    }
}

/* ---- encode ---- */

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

static void proto_write_body(wire_writer *w, const proto_msg *m)
{
    switch (m->type) {
    case PROTO_HELLO:
        wire_put_u32(w, m->u.hello.magic);
        wire_put_u16(w, m->u.hello.version);
        if (proto_hello_is_ours(&m->u.hello)) {
            wire_put_u8(w, m->u.hello.name_len);
            wire_put_bytes(w, m->u.hello.name, m->u.hello.name_len);
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
    }
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
    return proto_read_name(r, h->name, &h->name_len, "HELLO");
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
    default:
        return PROTO_ERR_UNKNOWN;
    }
}

proto_error proto_decode(const uint8_t *data, size_t len, proto_msg *msg)
{
    if (!data || len == 0)
        return PROTO_ERR_EMPTY;
    /* Zeroed so that fields a message does not carry (PING's server_tick,
     * a foreign HELLO's name) read as 0 rather than stale values. */
    memset(msg, 0, sizeof *msg);
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

bool proto_name_valid(const char *name, size_t len)
{
    if (!name || len == 0 || len > PROTO_NAME_MAX)
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

/* ---- constructors ---- */

proto_msg proto_make_hello(const char *name)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_HELLO;
    m.u.hello.magic = PROTO_MAGIC;
    m.u.hello.version = PROTO_VERSION;
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
