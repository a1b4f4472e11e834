/*
 * libFuzzer target: every message decoder (proto_decode) and encoder.
 *
 * Invariants, both directions:
 *  - bytes -> decode: never reads out of bounds (ASan), and when it
 *    succeeds, encode(decode(b)) == b byte for byte (the codec has one
 *    form per message), except a foreign HELLO, whose body past the
 *    frozen 7 bytes is skipped by design;
 *  - the input also read as a message struct -> encode: when encode
 *    accepts it, decode(encode(x)) succeeds and gives back every field the
 *    wire carries (checked as encode(decode(encode(x))) == encode(x), and
 *    field by field for the common messages);
 *  - what decodes lies within its type's size bounds (proto_wire_bounds);
 *  - the text helpers and the name policy accept any byte.
 */
#include <string.h>

#include "fuzz.h"
#include "proto.h"

#ifndef FUZZ_PROTO_ENTRY
#define FUZZ_PROTO_ENTRY LLVMFuzzerTestOneInput
#endif

#define FUZZ_PROTO_CAP PROTO_MAX_MESSAGE_SIZE

static void fuzz_proto_bytes_first(const uint8_t *data, size_t size)
{
    static proto_msg m, m2;
    static uint8_t out[FUZZ_PROTO_CAP];
    proto_error e = proto_decode(data, size, &m);
    FUZZ_ASSERT(proto_error_text(e) != NULL);
    if (e != PROTO_OK)
        return;
    FUZZ_ASSERT(size > 0 && data[0] == m.type);
    size_t n = proto_encode(&m, out, sizeof out);
    FUZZ_ASSERT(n > 0);
    FUZZ_ASSERT(n <= PROTO_MAX_MESSAGE_SIZE);
    bool foreign_hello = m.type == PROTO_HELLO &&
                         (m.u.hello.magic != PROTO_MAGIC || m.u.hello.version != PROTO_VERSION);
    /* The table's size bounds hold for everything that decodes. */
    size_t min = 0, max = 0;
    FUZZ_ASSERT(proto_wire_bounds(m.type, &min, &max));
    FUZZ_ASSERT(size >= min && (foreign_hello || size <= max));
    if (foreign_hello) {
        FUZZ_ASSERT(n == 7 && size >= 7 && memcmp(out, data, 7) == 0);
    } else {
        FUZZ_ASSERT(n == size);
        FUZZ_ASSERT(memcmp(out, data, n) == 0);
    }
    /* Decoding is deterministic: the same bytes, the same struct. */
    FUZZ_ASSERT(proto_decode(out, n, &m2) == PROTO_OK);
    if (!foreign_hello)
        FUZZ_ASSERT(memcmp(&m, &m2, proto_msg_size(m.type)) == 0); /* the rest is unspecified */
    if (m.type == PROTO_HELLO && !foreign_hello) {
        FUZZ_ASSERT(m.u.hello.name_len <= PROTO_NAME_WIRE_MAX);
        FUZZ_ASSERT(m.u.hello.name[m.u.hello.name_len] == '\0');
        (void)proto_name_valid(m.u.hello.name, m.u.hello.name_len);
    }
    /* Every strict prefix is an error, never a shorter message. */
    if (size > 1 && !foreign_hello)
        FUZZ_ASSERT(proto_decode(data, size - 1, &m2) != PROTO_OK);
}

/* Field-by-field comparison for the messages whose fields are all carried. */
static void fuzz_proto_same_fields(const proto_msg *x, const proto_msg *y)
{
    FUZZ_ASSERT(x->type == y->type);
    switch (x->type) {
    case PROTO_HELLO:
        FUZZ_ASSERT(x->u.hello.magic == y->u.hello.magic);
        FUZZ_ASSERT(x->u.hello.version == y->u.hello.version);
        if (x->u.hello.magic == PROTO_MAGIC && x->u.hello.version == PROTO_VERSION) {
            FUZZ_ASSERT(x->u.hello.name_len == y->u.hello.name_len);
            FUZZ_ASSERT(memcmp(x->u.hello.name, y->u.hello.name, x->u.hello.name_len) == 0);
            FUZZ_ASSERT(x->u.hello.token == y->u.hello.token && x->u.hello.colour == y->u.hello.colour);
            FUZZ_ASSERT(x->u.hello.password_len == y->u.hello.password_len);
            FUZZ_ASSERT(memcmp(x->u.hello.password, y->u.hello.password, x->u.hello.password_len) == 0);
        }
        break;
    case PROTO_INPUT:
        FUZZ_ASSERT(x->u.input.seq == y->u.input.seq);
        FUZZ_ASSERT(x->u.input.buttons == y->u.input.buttons);
        FUZZ_ASSERT(x->u.input.ack_tick == y->u.input.ack_tick);
        break;
    case PROTO_SNAPSHOT: {
        const proto_snapshot *a = &x->u.snapshot, *b = &y->u.snapshot;
        FUZZ_ASSERT(a->tick == b->tick && a->ack_seq == b->ack_seq);
        FUZZ_ASSERT(a->player_count == b->player_count && a->gem_count == b->gem_count);
        for (int i = 0; i < a->player_count; i++) {
            const proto_player_state *p = &a->players[i], *q = &b->players[i];
            FUZZ_ASSERT(p->id == q->id && p->x == q->x && p->y == q->y);
            FUZZ_ASSERT(p->vx == q->vx && p->vy == q->vy && p->facing == q->facing);
            FUZZ_ASSERT(p->moving == q->moving && p->step == q->step && p->score == q->score);
        }
        for (int i = 0; i < a->gem_count; i++)
            FUZZ_ASSERT(a->gems[i].x == b->gems[i].x && a->gems[i].y == b->gems[i].y);
        break;
    }
    case PROTO_PLAYER_JOINED:
        FUZZ_ASSERT(x->u.joined.id == y->u.joined.id && x->u.joined.colour == y->u.joined.colour);
        FUZZ_ASSERT(x->u.joined.name_len == y->u.joined.name_len);
        FUZZ_ASSERT(memcmp(x->u.joined.name, y->u.joined.name, x->u.joined.name_len) == 0);
        break;
    case PROTO_PING:
        FUZZ_ASSERT(x->u.ping.token == y->u.ping.token);
        break;
    case PROTO_PONG:
        FUZZ_ASSERT(x->u.ping.token == y->u.ping.token);
        FUZZ_ASSERT(x->u.ping.held_us == y->u.ping.held_us);
        break;
    case PROTO_GOODBYE:
        FUZZ_ASSERT(x->u.goodbye.reason == y->u.goodbye.reason);
        break;
    case PROTO_CHAT:
        FUZZ_ASSERT(x->u.chat.from == y->u.chat.from);
        /* fall through */
    case PROTO_CHAT_SEND:
        FUZZ_ASSERT(x->u.chat.text_len == y->u.chat.text_len);
        FUZZ_ASSERT(memcmp(x->u.chat.text, y->u.chat.text, x->u.chat.text_len) == 0);
        break;
    default:
        break; /* covered by the re-encode comparison */
    }
}

static void fuzz_proto_struct_first(const uint8_t *data, size_t size)
{
    static proto_msg x, y;
    static uint8_t e1[FUZZ_PROTO_CAP], e2[FUZZ_PROTO_CAP];
    if (size < 2)
        return;
    memset(&x, 0, sizeof x);
    /* Types 0x00..0x1F: every known one and a few unknown. */
    x.type = data[0] & 0x1F;
    size_t body = size - 1 < sizeof x.u ? size - 1 : sizeof x.u;
    memcpy(&x.u, data + 1, body);
    size_t n = proto_encode(&x, e1, sizeof e1);
    if (n == 0)
        return;
    FUZZ_ASSERT(n <= PROTO_MAX_MESSAGE_SIZE);
    /* Anything we send, we also accept. */
    FUZZ_ASSERT(proto_decode(e1, n, &y) == PROTO_OK);
    fuzz_proto_same_fields(&x, &y);
    size_t n2 = proto_encode(&y, e2, sizeof e2);
    FUZZ_ASSERT(n2 == n && memcmp(e1, e2, n) == 0);
    /* A buffer one byte short is refused, never overrun. */
    FUZZ_ASSERT(proto_encode(&x, e2, n - 1) == 0);
}

int FUZZ_PROTO_ENTRY(const uint8_t *data, size_t size)
{
    fuzz_quiet_logs();
    fuzz_proto_bytes_first(data, size);
    fuzz_proto_struct_first(data, size);
    if (size > 0) {
        FUZZ_ASSERT(proto_type_name(data[0]) != NULL);
        FUZZ_ASSERT(proto_reject_text(data[0]) != NULL);
        FUZZ_ASSERT(proto_bye_text(data[0]) != NULL);
    }
    (void)proto_name_valid((const char *)data, size);
    return 0;
}
