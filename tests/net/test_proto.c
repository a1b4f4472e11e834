/*
 * test_proto: the wire codec. Round trips for every message, golden bytes
 * to pin the byte order, every truncated prefix, trailing bytes, every
 * documented range, and seeded random input (random strings and mutations
 * of valid messages) that must never crash and must re-encode exactly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frame.h"
#include "log.h"
#include "proto.h"
#include "wire.h"

#include "testrng.h"

/* ---- sample messages ---- */

static proto_msg msg_zero(uint8_t type)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    return m;
}

static proto_msg msg_hello(const char *name)
{
    return proto_make_hello(name);
}

static proto_msg msg_hello_foreign(uint32_t magic, uint16_t version)
{
    proto_msg m = msg_zero(PROTO_HELLO);
    m.u.hello.magic = magic;
    m.u.hello.version = version;
    return m;
}

static proto_msg msg_welcome(void)
{
    proto_msg m = msg_zero(PROTO_WELCOME);
    m.u.welcome = (proto_welcome){.player_id = 63, .tick_rate = 30, .max_players = 64,
                                  .arena_id = 255, .arena_w = 0xFFFF, .arena_h = 480,
                                  .server_tick = 0xDEADBEEFu, .token = 0x0102030405060708u};
    return m;
}

/* A v2 HELLO with every field set: reconnect token, colour, password. */
static proto_msg msg_hello_full(const char *name, uint64_t token, uint8_t colour, const char *password)
{
    proto_msg m = proto_make_hello(name);
    m.u.hello.token = token;
    m.u.hello.colour = colour;
    m.u.hello.password_len = (uint8_t)strlen(password);
    memcpy(m.u.hello.password, password, m.u.hello.password_len + 1);
    return m;
}

static proto_msg msg_chat(uint8_t type, uint8_t from, const char *text)
{
    proto_msg m = msg_zero(type);
    m.u.chat.from = type == PROTO_CHAT ? from : 0;
    m.u.chat.text_len = (uint8_t)strlen(text);
    memcpy(m.u.chat.text, text, m.u.chat.text_len + 1);
    return m;
}

static proto_msg msg_info(int count)
{
    proto_msg m = msg_zero(PROTO_PLAYER_INFO);
    m.u.info.count = (uint8_t)count;
    for (int i = 0; i < count; i++)
        m.u.info.entries[i] = (proto_player_info_entry){.id = (uint8_t)(PROTO_MAX_PLAYERS - 1 - i),
                                                        .ping_ms = (uint16_t)(i == 0 ? PROTO_PING_UNKNOWN : i * 7),
                                                        .flags = (uint8_t)(i == 1 ? PROTO_PF_HOST : 0)};
    return m;
}

static proto_msg msg_reject(uint8_t reason)
{
    proto_msg m = msg_zero(PROTO_REJECT);
    m.u.reject.reason = reason;
    m.u.reject.server_version = 0xABCD;
    return m;
}

static proto_msg msg_match(uint8_t phase, uint8_t winner)
{
    proto_msg m = msg_zero(PROTO_MATCH);
    m.u.match = (proto_match){.phase = phase, .round = 65535, .left = 0x01020304, .round_ticks = 3600 * 60,
                              .score_limit = 50, .winner = winner};
    return m;
}

static proto_msg msg_event(uint8_t kind, uint8_t drop)
{
    proto_msg m = msg_zero(PROTO_EVENT);
    m.u.event = (proto_event){.kind = kind, .a = 3, .b = 249, .drop = drop, .x = -5, .y = 431};
    return m;
}

static proto_msg msg_input(uint8_t buttons)
{
    proto_msg m = msg_zero(PROTO_INPUT);
    m.u.input = (proto_input){.seq = 0xFFFFFFFFu, .buttons = buttons, .ack_tick = 12345};
    return m;
}

/* An INPUT repeating n earlier ticks' buttons. */
static proto_msg msg_input_history(int n)
{
    proto_msg m = msg_input(PROTO_BTN_DOWN);
    m.u.input.history_len = (uint8_t)n;
    for (int i = 0; i < n; i++)
        m.u.input.history[i] = (uint8_t)(i & PROTO_BTN_MASK);
    return m;
}

static proto_msg msg_rate(uint8_t hz)
{
    proto_msg m = msg_zero(PROTO_RATE);
    m.u.rate.snapshot_hz = hz;
    return m;
}

static proto_msg msg_snapshot(int players, int gems)
{
    proto_msg m = msg_zero(PROTO_SNAPSHOT);
    proto_snapshot *s = &m.u.snapshot;
    s->tick = 0x01020304u;
    s->ack_seq = 0xFFFFFFFEu;
    s->player_count = (uint8_t)players;
    for (int i = 0; i < players; i++) {
        proto_player_state *p = &s->players[i];
        p->id = (uint8_t)(PROTO_MAX_PLAYERS - 1 - i); /* any order, unique */
        p->x = i % 2 ? INT32_MIN + i : INT32_MAX - i;
        p->y = -256 * i;
        p->vx = i % 3 ? INT16_MIN : INT16_MAX;
        p->vy = (int16_t)(-i);
        p->facing = (uint8_t)(i % PROTO_FACE_COUNT);
        p->moving = (uint8_t)(i % 2);
        p->step = (uint8_t)(i * 37);
        p->score = (uint16_t)(65535 - i);
    }
    s->gem_count = (uint8_t)gems;
    for (int i = 0; i < gems; i++) {
        s->gems[i].x = (int16_t)(i % 2 ? -1 - i : 1000 + i);
        s->gems[i].y = (int16_t)(i == 0 ? INT16_MIN : INT16_MAX - i);
    }
    return m;
}

static proto_msg msg_joined(uint8_t id, const char *name)
{
    proto_msg m = msg_zero(PROTO_PLAYER_JOINED);
    m.u.joined.id = id;
    m.u.joined.colour = 7;
    m.u.joined.name_len = (uint8_t)strlen(name);
    memcpy(m.u.joined.name, name, m.u.joined.name_len + 1);
    return m;
}

static proto_msg msg_left(uint8_t id, uint8_t reason)
{
    proto_msg m = msg_zero(PROTO_PLAYER_LEFT);
    m.u.left.id = id;
    m.u.left.reason = reason;
    return m;
}

static proto_msg msg_ping(void)
{
    proto_msg m = msg_zero(PROTO_PING);
    m.u.ping.token = 0x80000001u;
    return m;
}

static proto_msg msg_pong(void)
{
    proto_msg m = msg_zero(PROTO_PONG);
    m.u.ping.token = 0x80000001u;
    m.u.ping.held_us = 99;
    return m;
}

/* Field-by-field, only the fields the message carries. */
static bool msg_equal(const proto_msg *a, const proto_msg *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case PROTO_HELLO: {
        const proto_hello *x = &a->u.hello, *y = &b->u.hello;
        if (x->magic != y->magic || x->version != y->version)
            return false;
        if (x->magic != PROTO_MAGIC || x->version != PROTO_VERSION)
            return true;
        return x->name_len == y->name_len && memcmp(x->name, y->name, x->name_len) == 0 &&
               y->name[y->name_len] == '\0' && x->token == y->token && x->colour == y->colour &&
               x->password_len == y->password_len && memcmp(x->password, y->password, x->password_len) == 0 &&
               y->password[y->password_len] == '\0' && x->snapshot_hz == y->snapshot_hz;
    }
    case PROTO_WELCOME: {
        const proto_welcome *x = &a->u.welcome, *y = &b->u.welcome;
        return x->player_id == y->player_id && x->tick_rate == y->tick_rate &&
               x->max_players == y->max_players && x->arena_id == y->arena_id &&
               x->arena_w == y->arena_w && x->arena_h == y->arena_h &&
               x->server_tick == y->server_tick && x->token == y->token;
    }
    case PROTO_REJECT:
        return a->u.reject.reason == b->u.reject.reason &&
               a->u.reject.server_version == b->u.reject.server_version;
    case PROTO_INPUT:
        return a->u.input.seq == b->u.input.seq && a->u.input.buttons == b->u.input.buttons &&
               a->u.input.ack_tick == b->u.input.ack_tick && a->u.input.history_len == b->u.input.history_len &&
               memcmp(a->u.input.history, b->u.input.history, a->u.input.history_len) == 0 &&
               a->u.input.view_back == b->u.input.view_back;
    case PROTO_RATE:
        return a->u.rate.snapshot_hz == b->u.rate.snapshot_hz;
    case PROTO_SNAPSHOT: {
        const proto_snapshot *x = &a->u.snapshot, *y = &b->u.snapshot;
        if (x->tick != y->tick || x->ack_seq != y->ack_seq ||
            x->player_count != y->player_count || x->gem_count != y->gem_count)
            return false;
        for (int i = 0; i < x->player_count; i++) {
            const proto_player_state *p = &x->players[i], *q = &y->players[i];
            if (p->id != q->id || p->x != q->x || p->y != q->y || p->vx != q->vx ||
                p->vy != q->vy || p->facing != q->facing || p->moving != q->moving ||
                p->step != q->step || p->score != q->score || p->dash != q->dash ||
                p->cooldown != q->cooldown || p->stun != q->stun)
                return false;
        }
        for (int i = 0; i < x->gem_count; i++)
            if (x->gems[i].x != y->gems[i].x || x->gems[i].y != y->gems[i].y)
                return false;
        return true;
    }
    case PROTO_PLAYER_JOINED: {
        const proto_player_joined *x = &a->u.joined, *y = &b->u.joined;
        return x->id == y->id && x->colour == y->colour && x->name_len == y->name_len &&
               memcmp(x->name, y->name, x->name_len) == 0 && y->name[y->name_len] == '\0' && x->proof == y->proof;
    }
    case PROTO_PLAYER_LEFT:
        return a->u.left.id == b->u.left.id && a->u.left.reason == b->u.left.reason;
    case PROTO_PING:
        return a->u.ping.token == b->u.ping.token && b->u.ping.held_us == 0;
    case PROTO_PONG:
        return a->u.ping.token == b->u.ping.token &&
               a->u.ping.held_us == b->u.ping.held_us;
    case PROTO_GOODBYE:
        return a->u.goodbye.reason == b->u.goodbye.reason;
    case PROTO_CHAT:
    case PROTO_CHAT_SEND: {
        const proto_chat *x = &a->u.chat, *y = &b->u.chat;
        return (a->type == PROTO_CHAT_SEND || x->from == y->from) && x->text_len == y->text_len &&
               memcmp(x->text, y->text, x->text_len) == 0 && y->text[y->text_len] == '\0';
    }
    case PROTO_MATCH:
        return memcmp(&a->u.match, &b->u.match, sizeof a->u.match) == 0; /* zeroed, so padding agrees */
    case PROTO_EVENT:
        return memcmp(&a->u.event, &b->u.event, sizeof a->u.event) == 0;
    case PROTO_PLAYER_INFO:
        if (a->u.info.count != b->u.info.count)
            return false;
        for (int i = 0; i < a->u.info.count; i++) {
            const proto_player_info_entry *p = &a->u.info.entries[i], *q = &b->u.info.entries[i];
            if (p->id != q->id || p->ping_ms != q->ping_ms || p->flags != q->flags)
                return false;
        }
        return true;
    case PROTO_HOST_PLAN:
        if (a->u.plan.flags != b->u.plan.flags || a->u.plan.port != b->u.plan.port ||
            a->u.plan.count != b->u.plan.count)
            return false;
        for (int i = 0; i < a->u.plan.count; i++)
            if (a->u.plan.entries[i].id != b->u.plan.entries[i].id ||
                a->u.plan.entries[i].addr != b->u.plan.entries[i].addr)
                return false;
        return true;
    }
    return false;
}

/* A HELLO we do not speak re-encodes as its frozen 7-byte head only. */
static bool msg_is_foreign_hello(const proto_msg *m)
{
    return m->type == PROTO_HELLO &&
           (m->u.hello.magic != PROTO_MAGIC || m->u.hello.version != PROTO_VERSION);
}

#define MAX_SAMPLES 96
static proto_msg samples[MAX_SAMPLES];
static int sample_count;

static void samples_build(void)
{
    static char name64[PROTO_NAME_WIRE_MAX + 1];
    memset(name64, 'n', PROTO_NAME_WIRE_MAX);
    samples[sample_count++] = msg_hello("Ana");
    samples[sample_count++] = msg_hello("");
    samples[sample_count++] = msg_hello(name64);
    samples[sample_count++] = msg_hello("\xC3\xA9l\xC3\xA8ve");
    samples[sample_count++] = msg_hello_foreign(PROTO_MAGIC, PROTO_VERSION + 1);
    samples[sample_count++] = msg_hello_foreign(0x12345678u, PROTO_VERSION);
    samples[sample_count++] = msg_welcome();
    proto_msg w = msg_welcome();
    w.u.welcome.player_id = 0;
    w.u.welcome.tick_rate = 1;
    w.u.welcome.max_players = 1;
    samples[sample_count++] = w;
    for (uint8_t r = PROTO_REJECT_VERSION; r <= PROTO_REJECT_PASSWORD; r++)
        samples[sample_count++] = msg_reject(r);
    samples[sample_count++] = msg_input(0);
    samples[sample_count++] = msg_input(PROTO_BTN_MASK);
    samples[sample_count++] = msg_input(PROTO_BTN_UP | PROTO_BTN_RIGHT);
    samples[sample_count++] = msg_snapshot(0, 0);
    samples[sample_count++] = msg_snapshot(1, 1);
    samples[sample_count++] = msg_snapshot(5, 3);
    samples[sample_count++] = msg_snapshot(PROTO_MAX_PLAYERS, PROTO_MAX_GEMS);
    samples[sample_count++] = msg_joined(0, "Bob");
    samples[sample_count++] = msg_joined(63, "");
    samples[sample_count++] = msg_joined(5, name64);
    for (uint8_t r = PROTO_BYE_QUIT; r <= PROTO_BYE_LAST; r++) {
        samples[sample_count++] = msg_left(r, r);
        samples[sample_count++] = proto_make_goodbye(r);
    }
    samples[sample_count++] = msg_left(63, PROTO_BYE_QUIT);
    samples[sample_count++] = msg_ping();
    samples[sample_count++] = msg_pong();
    /* Version 2. */
    static char pass32[PROTO_PASSWORD_MAX + 1], chat200[PROTO_CHAT_WIRE_MAX + 1];
    memset(pass32, 'p', PROTO_PASSWORD_MAX);
    memset(chat200, 'c', PROTO_CHAT_WIRE_MAX);
    samples[sample_count++] = msg_hello_full("Ana", 0xFFFFFFFFFFFFFFFFu, 0, "");
    samples[sample_count++] = msg_hello_full("Ana", 1, PROTO_COLOURS - 1, "s\xC3\xA9same");
    samples[sample_count++] = msg_hello_full(name64, 0x8000000000000001u, PROTO_COLOUR_ANY, pass32);
    samples[sample_count++] = msg_chat(PROTO_CHAT_SEND, 0, "hi");
    samples[sample_count++] = msg_chat(PROTO_CHAT_SEND, 0, chat200);
    samples[sample_count++] = msg_chat(PROTO_CHAT, 0, "gg \xF0\x9F\x8E\xAE");
    samples[sample_count++] = msg_chat(PROTO_CHAT, PROTO_MAX_PLAYERS - 1, chat200);
    samples[sample_count++] = msg_chat(PROTO_CHAT, PROTO_CHAT_FROM_HOST, "Slow down.");
    samples[sample_count++] = msg_info(0);
    samples[sample_count++] = msg_info(2);
    samples[sample_count++] = msg_info(PROTO_MAX_PLAYERS);
    /* Version 4. */
    proto_msg h4 = msg_hello_full("Ana", 7, 3, "");
    h4.u.hello.snapshot_hz = PROTO_SNAPSHOT_HZ_MIN;
    samples[sample_count++] = h4;
    h4.u.hello.snapshot_hz = PROTO_SNAPSHOT_HZ_MAX;
    samples[sample_count++] = h4;
    samples[sample_count++] = msg_input_history(1);
    samples[sample_count++] = msg_input_history(PROTO_INPUT_HISTORY);
    samples[sample_count++] = msg_rate(1);
    samples[sample_count++] = msg_rate(25);
    samples[sample_count++] = msg_rate(PROTO_SNAPSHOT_HZ_MAX);
    proto_msg j = msg_joined(7, "Cy");
    j.u.joined.proof = 0xFEDCBA9876543210u;
    samples[sample_count++] = j;
    proto_msg plan = msg_zero(PROTO_HOST_PLAN);
    plan.u.plan.port = 1;
    samples[sample_count++] = plan; /* nobody to succeed */
    plan.u.plan.flags = PROTO_PLAN_NOW;
    plan.u.plan.port = 65535;
    plan.u.plan.count = PROTO_PLAN_MAX;
    for (int i = 0; i < PROTO_PLAN_MAX; i++)
        plan.u.plan.entries[i] = (proto_plan_entry){.id = (uint8_t)(PROTO_MAX_PLAYERS - 1 - i),
                                                    .addr = 0x0A4D0000u + (uint32_t)i * 0x01010101u};
    samples[sample_count++] = plan;
    samples[sample_count++] = msg_match(PROTO_PHASE_WARMUP, PROTO_NOBODY);
    samples[sample_count++] = msg_match(PROTO_PHASE_INTERMISSION, PROTO_MAX_PLAYERS - 1);
    samples[sample_count++] = msg_event(PROTO_EV_PICKUP, 0);
    samples[sample_count++] = msg_event(PROTO_EV_LAST, 1);
    proto_msg iv = msg_input(PROTO_BTN_DASH);
    iv.u.input.view_back = 255;
    samples[sample_count++] = iv;
    CHECK(sample_count <= MAX_SAMPLES);
}

/* ---- round trips, prefixes, trailing bytes ---- */

static void test_round_trips(void)
{
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE + 16];
    int types_seen = 0;
    for (int i = 0; i < sample_count; i++) {
        const proto_msg *m = &samples[i];
        types_seen |= 1 << m->type;
        size_t n = proto_encode(m, buf, sizeof buf);
        CHECK_MSG(n > 0, "sample %d (%s) did not encode", i, proto_type_name(m->type));
        if (n == 0)
            continue;
        CHECK(buf[0] == m->type);

        static proto_msg out;
        proto_error e = proto_decode(buf, n, &out);
        CHECK_MSG(e == PROTO_OK, "sample %d (%s): %s", i, proto_type_name(m->type),
                  proto_error_text(e));
        CHECK_MSG(msg_equal(m, &out), "sample %d (%s) differs after round trip", i,
                  proto_type_name(m->type));

        /* Exactly the right buffer size works; one byte less does not. */
        uint8_t exact[PROTO_MAX_MESSAGE_SIZE];
        CHECK(proto_encode(m, exact, n) == n && memcmp(exact, buf, n) == 0);
        CHECK(proto_encode(m, exact, n - 1) == 0);

        /* Every strict prefix is a truncated message (or empty). */
        int prefix_bad = 0;
        for (size_t k = 0; k < n; k++) {
            proto_error pe = proto_decode(buf, k, &out);
            if (pe != (k == 0 ? PROTO_ERR_EMPTY : PROTO_ERR_TRUNCATED))
                prefix_bad++;
        }
        CHECK_MSG(prefix_bad == 0, "sample %d (%s): %d prefixes not rejected as truncated", i,
                  proto_type_name(m->type), prefix_bad);

        /* One extra byte: trailing, except after a foreign HELLO's head. */
        buf[n] = 0;
        e = proto_decode(buf, n + 1, &out);
        if (msg_is_foreign_hello(m))
            CHECK(e == PROTO_OK && msg_equal(m, &out));
        else
            CHECK_MSG(e == PROTO_ERR_TRAILING, "sample %d (%s): trailing byte gave %s", i,
                      proto_type_name(m->type), proto_error_text(e));
    }
    /* all of 0x01..0x0A and 0x10..0x16 (0x0B/0x0C are in test_delta.c) */
    CHECK(types_seen == (0x7FE | 1 << PROTO_CHAT_SEND | 1 << PROTO_CHAT | 1 << PROTO_PLAYER_INFO | 1 << PROTO_RATE |
                         1 << PROTO_HOST_PLAN | 1 << PROTO_MATCH | 1 << PROTO_EVENT));
}

static void test_sizes(void)
{
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE];
    proto_msg full = msg_snapshot(PROTO_MAX_PLAYERS, PROTO_MAX_GEMS);
    CHECK(proto_encode(&full, buf, sizeof buf) == PROTO_SNAPSHOT_MAX_SIZE);
    CHECK(PROTO_MAX_MESSAGE_SIZE <= FRAME_MAX_PAYLOAD);

    char long_name[PROTO_NAME_WIRE_MAX + 2];
    memset(long_name, 'z', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    proto_msg h = msg_hello(long_name);
    CHECK(proto_encode(&h, buf, sizeof buf) == 1 + 4 + 2 + 1 + PROTO_NAME_WIRE_MAX + 8 + 1 + 1 + 1);

    CHECK(proto_encode(&full, NULL, 0) == 0);
}

/* Golden bytes: round trips cannot catch a byte order that is wrong the
 * same way in both directions. */
static void test_golden(void)
{
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE];
    proto_msg out;

    proto_msg h = msg_hello("Al");
    static const uint8_t hello[] = {0x01, 0x4C, 0x4E, 0x41, 0x52, 0x00, PROTO_VERSION, 0x02, 'A', 'l',
                                    0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0x00, 0x00};
    CHECK(proto_encode(&h, buf, sizeof buf) == sizeof hello && memcmp(buf, hello, sizeof hello) == 0);

    proto_msg w = msg_welcome();
    static const uint8_t welcome[] = {0x02, 63, 30, 64, 255, 0xFF, 0xFF, 0x01, 0xE0,
                                      0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(proto_encode(&w, buf, sizeof buf) == sizeof welcome &&
          memcmp(buf, welcome, sizeof welcome) == 0);

    proto_msg in = msg_input(PROTO_BTN_LEFT);
    static const uint8_t input[] = {0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x04, 0x00, 0x00, 0x30, 0x39, 0x00, 0x00};
    CHECK(proto_encode(&in, buf, sizeof buf) == sizeof input && memcmp(buf, input, sizeof input) == 0);
    proto_msg in2 = msg_input_history(2);
    static const uint8_t input2[] = {0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x00, 0x00, 0x30, 0x39, 0x02, 0x00, 0x01, 0x00};
    CHECK(proto_encode(&in2, buf, sizeof buf) == sizeof input2 && memcmp(buf, input2, sizeof input2) == 0);
    proto_msg rate = msg_rate(25);
    static const uint8_t rate_bytes[] = {0x13, 25};
    CHECK(proto_encode(&rate, buf, sizeof buf) == sizeof rate_bytes && memcmp(buf, rate_bytes, 2) == 0);

    proto_msg s = msg_zero(PROTO_SNAPSHOT);
    s.u.snapshot.tick = 1;
    s.u.snapshot.ack_seq = 2;
    s.u.snapshot.player_count = 1;
    s.u.snapshot.players[0] = (proto_player_state){.id = 9, .x = -2, .y = 0x01020304, .vx = -256,
                                                   .vy = 258, .facing = PROTO_FACE_RIGHT,
                                                   .moving = 1, .step = 200, .score = 513,
                                                   .dash = 7, .cooldown = 59, .stun = 0};
    s.u.snapshot.gem_count = 1;
    s.u.snapshot.gems[0] = (proto_gem){.x = -1, .y = 300};
    static const uint8_t snap[] = {0x05, 0, 0, 0, 1, 0, 0, 0, 2, 1,
                                   9, 0xFF, 0xFF, 0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04,
                                   0xFF, 0x00, 0x01, 0x02, 3, 1, 200, 0x02, 0x01, 7, 59, 0,
                                   1, 0xFF, 0xFF, 0x01, 0x2C};
    CHECK(proto_encode(&s, buf, sizeof buf) == sizeof snap && memcmp(buf, snap, sizeof snap) == 0);
    CHECK(proto_decode(snap, sizeof snap, &out) == PROTO_OK && msg_equal(&s, &out));
    CHECK(out.u.snapshot.players[0].x == -2 && out.u.snapshot.players[0].vx == -256);

    proto_msg ma = msg_match(PROTO_PHASE_PLAYING, 7);
    static const uint8_t match[] = {0x15, 1, 0xFF, 0xFF, 1, 2, 3, 4, 0, 3, 0x4B, 0xC0, 0, 50, 7};
    CHECK(proto_encode(&ma, buf, sizeof buf) == sizeof match && memcmp(buf, match, sizeof match) == 0);
    proto_msg ev = msg_event(PROTO_EV_HIT, 1);
    static const uint8_t event[] = {0x16, 3, 3, 249, 1, 0xFF, 0xFB, 0x01, 0xAF};
    CHECK(proto_encode(&ev, buf, sizeof buf) == sizeof event && memcmp(buf, event, sizeof event) == 0);
    CHECK(proto_decode(event, sizeof event, &out) == PROTO_OK && msg_equal(&ev, &out));

    proto_msg p = msg_pong();
    static const uint8_t pong[] = {0x09, 0x80, 0, 0, 1, 0, 0, 0, 99};
    CHECK(proto_encode(&p, buf, sizeof buf) == sizeof pong && memcmp(buf, pong, sizeof pong) == 0);

    /* Signed extremes survive the two's-complement mapping. */
    wire_writer wr;
    wire_writer_init(&wr, buf, sizeof buf);
    wire_put_i32(&wr, INT32_MIN);
    wire_put_i32(&wr, -1);
    wire_put_i16(&wr, INT16_MIN);
    wire_put_i16(&wr, -1);
    wire_reader rd;
    wire_reader_init(&rd, buf, wr.len);
    CHECK(wire_get_i32(&rd) == INT32_MIN && wire_get_i32(&rd) == -1);
    CHECK(wire_get_i16(&rd) == INT16_MIN && wire_get_i16(&rd) == -1);
    CHECK(!rd.error && wire_remaining(&rd) == 0);
}

static void test_wire_sticky(void)
{
    uint8_t buf[5];
    wire_writer w;
    wire_writer_init(&w, buf, sizeof buf);
    wire_put_u32(&w, 1);
    wire_put_u16(&w, 2); /* does not fit */
    CHECK(w.overflow && w.len == 4);
    wire_put_u8(&w, 3); /* would fit, but the error is sticky */
    CHECK(w.overflow && w.len == 4);

    static const uint8_t in[] = {0x12, 0x34, 0x56};
    wire_reader r;
    wire_reader_init(&r, in, sizeof in);
    CHECK(wire_get_u16(&r) == 0x1234);
    CHECK(wire_get_u16(&r) == 0 && r.error);
    CHECK(wire_get_u8(&r) == 0); /* 0x56 is there, but the error is sticky */
    CHECK(wire_remaining(&r) == 0);
    uint8_t dst[4] = {1, 2, 3, 4};
    wire_get_bytes(&r, dst, sizeof dst);
    CHECK(dst[0] == 0 && dst[3] == 0);
}

/* ---- ranges: decode rejects, encode refuses ---- */

/* Encodes valid, patches one byte, and expects decode to say FIELD. */
static void expect_field_patch(proto_msg m, size_t offset, uint8_t value, int line)
{
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE];
    proto_msg out;
    size_t n = proto_encode(&m, buf, sizeof buf);
    CHECK_MSG(n > offset, "line %d: base message did not encode", line);
    if (n <= offset)
        return;
    buf[offset] = value;
    proto_error e = proto_decode(buf, n, &out);
    CHECK_MSG(e == PROTO_ERR_FIELD, "line %d: patched byte gave %s", line, proto_error_text(e));
}

static void expect_refused(proto_msg m, int line)
{
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE + 64];
    CHECK_MSG(proto_encode(&m, buf, sizeof buf) == 0, "line %d: encode accepted a bad field", line);
}

#define FIELD_PATCH(m, off, val) expect_field_patch((m), (off), (val), __LINE__)
#define REFUSED(m) expect_refused((m), __LINE__)

/* SNAPSHOT layout: type 0, tick 1, ack_seq 5, player_count 9, players at
 * 10 (18 bytes each: id +0, facing +13, moving +14), then gem_count. */
#define SNAP_PLAYER(i) (10 + PROTO_SNAPSHOT_PLAYER_SIZE * (i))

static void test_ranges(void)
{
    proto_msg m;

    m = msg_welcome(); m.u.welcome.player_id = PROTO_MAX_PLAYERS; REFUSED(m);
    m = msg_welcome(); m.u.welcome.tick_rate = 0; REFUSED(m);
    m = msg_welcome(); m.u.welcome.max_players = 0; REFUSED(m);
    m = msg_welcome(); m.u.welcome.max_players = PROTO_MAX_PLAYERS + 1; REFUSED(m);
    FIELD_PATCH(msg_welcome(), 1, PROTO_MAX_PLAYERS);
    FIELD_PATCH(msg_welcome(), 1, 255);
    FIELD_PATCH(msg_welcome(), 2, 0);
    FIELD_PATCH(msg_welcome(), 3, 0);
    FIELD_PATCH(msg_welcome(), 3, PROTO_MAX_PLAYERS + 1);

    REFUSED(msg_reject(0));
    REFUSED(msg_reject(PROTO_REJECT_PASSWORD + 1));
    FIELD_PATCH(msg_reject(PROTO_REJECT_FULL), 1, 0);
    FIELD_PATCH(msg_reject(PROTO_REJECT_FULL), 1, PROTO_REJECT_PASSWORD + 1);
    FIELD_PATCH(msg_reject(PROTO_REJECT_FULL), 1, 255);

    REFUSED(msg_input(PROTO_BTN_MASK + 1));
    REFUSED(msg_match(PROTO_PHASE_COUNT, 0));
    REFUSED(msg_match(0, PROTO_MAX_PLAYERS));
    FIELD_PATCH(msg_match(0, 0), 1, PROTO_PHASE_COUNT);
    FIELD_PATCH(msg_match(0, 0), 14, PROTO_MAX_PLAYERS);
    REFUSED(msg_event(0, 0));
    REFUSED(msg_event(PROTO_EV_LAST + 1, 0));
    REFUSED(msg_event(PROTO_EV_HIT, 2));
    FIELD_PATCH(msg_event(1, 0), 1, 0);
    FIELD_PATCH(msg_event(1, 0), 4, 2);
    REFUSED(msg_input(0x80));
    FIELD_PATCH(msg_input(0), 5, 0x20);
    FIELD_PATCH(msg_input(0), 5, 0xFF);
    m = msg_input_history(2); m.u.input.history[1] = 0x20; REFUSED(m);
    m = msg_input_history(PROTO_INPUT_HISTORY); m.u.input.history_len = PROTO_INPUT_HISTORY + 1; REFUSED(m);
    FIELD_PATCH(msg_input_history(2), 12, 0x20);
    FIELD_PATCH(msg_input_history(2), 10, 0xFF);
    /* A history_len past the limit with the bytes to match is a field
     * error, not a read past the history array. */
    {
        uint8_t longin[11 + PROTO_INPUT_HISTORY + 1] = {PROTO_INPUT};
        longin[10] = PROTO_INPUT_HISTORY + 1;
        proto_msg o;
        CHECK(proto_decode(longin, sizeof longin, &o) == PROTO_ERR_FIELD);
    }
    REFUSED(msg_rate(0));
    REFUSED(msg_rate(PROTO_SNAPSHOT_HZ_MAX + 1));
    FIELD_PATCH(msg_rate(30), 1, 0);
    FIELD_PATCH(msg_rate(30), 1, PROTO_SNAPSHOT_HZ_MAX + 1);
    m = msg_hello_full("Ana", 0, 0, ""); m.u.hello.snapshot_hz = PROTO_SNAPSHOT_HZ_MIN - 1; REFUSED(m);
    m = msg_hello_full("Ana", 0, 0, ""); m.u.hello.snapshot_hz = PROTO_SNAPSHOT_HZ_MAX + 1; REFUSED(m);
    /* HELLO "Ana": head 7, name 1+3, token 8, colour 1, password_len 1: snapshot_hz at 21. */
    FIELD_PATCH(msg_hello_full("Ana", 0, 0, ""), 21, PROTO_SNAPSHOT_HZ_MIN - 1);
    FIELD_PATCH(msg_hello_full("Ana", 0, 0, ""), 21, 255);

    m = msg_snapshot(PROTO_MAX_PLAYERS, 0); m.u.snapshot.player_count = PROTO_MAX_PLAYERS + 1; REFUSED(m);
    m = msg_snapshot(3, 1); m.u.snapshot.players[2].id = m.u.snapshot.players[0].id; REFUSED(m);
    m = msg_snapshot(3, 1); m.u.snapshot.players[1].id = PROTO_MAX_PLAYERS; REFUSED(m);
    m = msg_snapshot(3, 1); m.u.snapshot.players[1].facing = PROTO_FACE_COUNT; REFUSED(m);
    m = msg_snapshot(3, 1); m.u.snapshot.players[1].moving = 2; REFUSED(m);
    m = msg_snapshot(3, PROTO_MAX_GEMS); m.u.snapshot.gem_count = PROTO_MAX_GEMS + 1; REFUSED(m);
    FIELD_PATCH(msg_snapshot(PROTO_MAX_PLAYERS, 0), 9, PROTO_MAX_PLAYERS + 1);
    FIELD_PATCH(msg_snapshot(3, 1), 9, 255);
    FIELD_PATCH(msg_snapshot(3, 1), SNAP_PLAYER(2), PROTO_MAX_PLAYERS - 1); /* = players[0].id */
    FIELD_PATCH(msg_snapshot(3, 1), SNAP_PLAYER(1), PROTO_MAX_PLAYERS);
    FIELD_PATCH(msg_snapshot(3, 1), SNAP_PLAYER(0), 255);
    FIELD_PATCH(msg_snapshot(3, 1), SNAP_PLAYER(1) + 13, PROTO_FACE_COUNT);
    FIELD_PATCH(msg_snapshot(3, 1), SNAP_PLAYER(1) + 14, 2);
    FIELD_PATCH(msg_snapshot(3, 1), SNAP_PLAYER(3), PROTO_MAX_GEMS + 1);
    FIELD_PATCH(msg_snapshot(PROTO_MAX_PLAYERS, PROTO_MAX_GEMS), SNAP_PLAYER(PROTO_MAX_PLAYERS),
                PROTO_MAX_GEMS + 1);

    m = msg_hello("x"); m.u.hello.name_len = PROTO_NAME_WIRE_MAX + 1; REFUSED(m);
    m = msg_hello("x"); FIELD_PATCH(m, 7, PROTO_NAME_WIRE_MAX + 1);
    m = msg_joined(1, "x"); m.u.joined.name_len = PROTO_NAME_WIRE_MAX + 1; REFUSED(m);
    m = msg_joined(PROTO_MAX_PLAYERS, "x"); REFUSED(m);
    FIELD_PATCH(msg_joined(1, "x"), 3, PROTO_NAME_WIRE_MAX + 1);
    FIELD_PATCH(msg_joined(1, "x"), 1, PROTO_MAX_PLAYERS);

    /* A name_len too large with enough bytes after it is still a field
     * error, not a read past the name buffer. */
    uint8_t big[1 + 3 + 255];
    memset(big, 'a', sizeof big);
    big[0] = PROTO_PLAYER_JOINED, big[1] = 1, big[2] = 0, big[3] = 255;
    proto_msg out;
    CHECK(proto_decode(big, sizeof big, &out) == PROTO_ERR_FIELD);

    REFUSED(msg_left(1, 0));
    REFUSED(msg_left(1, PROTO_BYE_LAST + 1));
    REFUSED(msg_left(PROTO_MAX_PLAYERS, PROTO_BYE_QUIT));
    FIELD_PATCH(msg_left(1, PROTO_BYE_QUIT), 2, 0);
    FIELD_PATCH(msg_left(1, PROTO_BYE_QUIT), 2, PROTO_BYE_LAST + 1);
    FIELD_PATCH(msg_left(1, PROTO_BYE_QUIT), 1, PROTO_MAX_PLAYERS);

    REFUSED(proto_make_goodbye(0));
    REFUSED(proto_make_goodbye(PROTO_BYE_LAST + 1));
    FIELD_PATCH(proto_make_goodbye(PROTO_BYE_QUIT), 1, 0);
    FIELD_PATCH(proto_make_goodbye(PROTO_BYE_QUIT), 1, 200);

    /* Unknown types. */
    static const uint8_t types[] = {0x00, 0x0D, 0x17, 0x7F, 0xFF};
    for (size_t i = 0; i < sizeof types; i++) {
        uint8_t b[8] = {types[i], 1, 2, 3, 4, 5, 6, 7};
        CHECK(proto_decode(b, 1, &out) == PROTO_ERR_UNKNOWN);
        CHECK(proto_decode(b, sizeof b, &out) == PROTO_ERR_UNKNOWN);
        REFUSED(msg_zero(types[i]));
    }
    CHECK(proto_decode(NULL, 0, &out) == PROTO_ERR_EMPTY);
}

static void test_hello_versions(void)
{
    proto_msg out;
    /* A future client: the next version, with a body we cannot know. */
    static const uint8_t v3[] = {0x01, 0x4C, 0x4E, 0x41, 0x52, 0x00, PROTO_VERSION + 1, 0xFF, 0xFF, 0xFF, 0x00};
    CHECK(proto_decode(v3, sizeof v3, &out) == PROTO_OK);
    CHECK(out.type == PROTO_HELLO && out.u.hello.magic == PROTO_MAGIC && out.u.hello.version == PROTO_VERSION + 1);
    CHECK(out.u.hello.name_len == 0 && out.u.hello.name[0] == '\0');
    CHECK(proto_decode(v3, 7, &out) == PROTO_OK && out.u.hello.version == PROTO_VERSION + 1);
    CHECK(proto_decode(v3, 6, &out) == PROTO_ERR_TRUNCATED);

    /* Old clients, version 1 (name only) among them: only the head is read,
     * so the server can answer "version mismatch". */
    static const uint8_t v0[] = {0x01, 0x4C, 0x4E, 0x41, 0x52, 0x00, 0x00};
    CHECK(proto_decode(v0, sizeof v0, &out) == PROTO_OK && out.u.hello.version == 0);
    static const uint8_t v1[] = {0x01, 0x4C, 0x4E, 0x41, 0x52, 0x00, 0x01, 0x02, 'A', 'l'};
    CHECK(proto_decode(v1, sizeof v1, &out) == PROTO_OK && out.u.hello.version == 1 && out.u.hello.name_len == 0);

    /* Not LAN Arena at all, e.g. an HTTP client: stop after the version. */
    static const uint8_t http[] = "\x01GET / HTTP/1.1\r\n";
    CHECK(proto_decode(http, sizeof http - 1, &out) == PROTO_OK);
    CHECK(out.u.hello.magic != PROTO_MAGIC && out.u.hello.name_len == 0);

    /* Our version with a bad magic also stops after the version. */
    static const uint8_t bad_magic[] = {0x01, 0, 0, 0, 0, 0x00, PROTO_VERSION, 0xFF};
    CHECK(proto_decode(bad_magic, sizeof bad_magic, &out) == PROTO_OK);
    CHECK(out.u.hello.magic == 0 && out.u.hello.version == PROTO_VERSION);

    /* A mismatched HELLO encodes as the frozen 7-byte head only. */
    uint8_t buf[64];
    proto_msg m = msg_hello("ignored");
    m.u.hello.version = PROTO_VERSION + 1;
    CHECK(proto_encode(&m, buf, sizeof buf) == 7);
    m.u.hello.name_len = 200; /* never written, so never judged */
    CHECK(proto_encode(&m, buf, sizeof buf) == 7);
}

/* ---- random input ---- */

/* Decodes data; if accepted, re-encoding must give the same bytes (only
 * the 7-byte head for a foreign HELLO). Returns 1 if it was accepted. */
static int fuzz_one(const uint8_t *data, size_t len, int *mismatches)
{
    static proto_msg m;
    uint8_t again[PROTO_MAX_MESSAGE_SIZE];
    if (proto_decode(data, len, &m) != PROTO_OK)
        return 0;
    size_t n = proto_encode(&m, again, sizeof again);
    size_t want = msg_is_foreign_hello(&m) ? 7 : len;
    if (n != want || memcmp(again, data, n) != 0) {
        if (*mismatches < 5)
            fprintf(stderr, "re-encode mismatch: %s, %zu bytes -> %zu\n",
                    proto_type_name(data[0]), len, n);
        (*mismatches)++;
    }
    return 1;
}

static void test_random_strings(void)
{
    enum { ROUNDS = 1000000, MAX_LEN = 96 };
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE + 8];
    int accepted = 0, mismatches = 0;
    for (int i = 0; i < ROUNDS; i++) {
        /* Mostly short strings with a known type, so the decoders (not
         * just the type switch) see the noise; sometimes a long one. */
        size_t len = i % 64 == 0 ? rng_below(sizeof buf + 1) : rng_below(MAX_LEN + 1);
        for (size_t k = 0; k < len; k++)
            buf[k] = (uint8_t)rng_next();
        if (len > 0 && i % 4 != 0)
            buf[0] = (uint8_t)(1 + rng_below(10));
        accepted += fuzz_one(buf, len, &mismatches);
    }
    printf("random strings: %d of %d accepted, %d re-encode mismatches\n", accepted, ROUNDS,
           mismatches);
    CHECK(mismatches == 0);
    CHECK(accepted > 0);
}

static void test_random_mutations(void)
{
    enum { PER_SAMPLE = 20000 };
    uint8_t base[PROTO_MAX_MESSAGE_SIZE], buf[PROTO_MAX_MESSAGE_SIZE + 8];
    int accepted = 0, total = 0, mismatches = 0;
    for (int s = 0; s < sample_count; s++) {
        size_t n = proto_encode(&samples[s], base, sizeof base);
        if (n == 0)
            continue;
        for (int i = 0; i < PER_SAMPLE; i++) {
            size_t len = n;
            memcpy(buf, base, n);
            int edits = 1 + (int)rng_below(3);
            for (int e = 0; e < edits; e++) {
                switch (rng_below(4)) {
                case 0: /* flip bits */
                    buf[rng_below((uint32_t)len)] ^= (uint8_t)(1 + rng_below(255));
                    break;
                case 1: /* a boundary value */
                    buf[rng_below((uint32_t)len)] = (uint8_t[]){0, 1, 2, 63, 64, 65, 127, 255}[rng_below(8)];
                    break;
                case 2: /* cut */
                    if (len > 1)
                        len = 1 + rng_below((uint32_t)len - 1);
                    break;
                default: /* grow */
                    if (len < sizeof buf)
                        buf[len++] = (uint8_t)rng_next();
                    break;
                }
            }
            total++;
            accepted += fuzz_one(buf, len, &mismatches);
        }
    }
    printf("mutations: %d of %d accepted, %d re-encode mismatches\n", accepted, total, mismatches);
    CHECK(mismatches == 0);
}

/* ---- names and text ---- */

static void test_names(void)
{
    CHECK(!proto_name_valid("", 0));
    CHECK(!proto_name_valid(NULL, 3));
    CHECK(proto_name_valid("a", 1));
    CHECK(proto_name_valid("0123456789abcdef", 16));
    CHECK(!proto_name_valid("0123456789abcdefg", 17));
    CHECK(proto_name_valid("\xC3\xA9", 2));                 /* é */
    CHECK(proto_name_valid("Ren\xC3\xA9 \xF0\x9F\x8E\xAE", 10)); /* René 🎮 */
    CHECK(proto_name_valid("\xE6\x97\xA5\xE6\x9C\xAC", 6)); /* 日本 */
    CHECK(!proto_name_valid("\xC3\x28", 2));                /* bad continuation */
    CHECK(!proto_name_valid("\xC0\xAF", 2));                /* overlong '/' */
    CHECK(!proto_name_valid("\xE0\x80\xAF", 3));            /* overlong, 3 bytes */
    CHECK(!proto_name_valid("\xF0\x80\x80\xAF", 4));        /* overlong, 4 bytes */
    CHECK(!proto_name_valid("\xED\xA0\x80", 3));            /* surrogate U+D800 */
    CHECK(!proto_name_valid("\xF4\x90\x80\x80", 4));        /* U+110000 */
    CHECK(!proto_name_valid("\xF8\x88\x80\x80\x80", 5));    /* 5-byte form */
    CHECK(!proto_name_valid("\xA9", 1));                    /* lone continuation */
    CHECK(!proto_name_valid("ab\xC3", 3));                  /* cut sequence */
    CHECK(!proto_name_valid("\xFF", 1));
    CHECK(!proto_name_valid("a\x01", 2));
    CHECK(!proto_name_valid("a\x1F", 2));
    CHECK(!proto_name_valid("a\tb", 3));
    CHECK(!proto_name_valid("a\x7F", 2));                   /* DEL */
    CHECK(!proto_name_valid("a\xC2\x85", 3));               /* C1 NEL */
    CHECK(!proto_name_valid("a\0b", 3));                    /* embedded NUL */
    CHECK(!proto_name_valid(" ", 1));
    CHECK(!proto_name_valid("    ", 4));
    CHECK(!proto_name_valid(" \xC2\xA0 \xE3\x80\x80", 7)); /* NBSP, ideographic space */
    CHECK(proto_name_valid(" a ", 3));
    CHECK(!proto_name_valid("\xC2\xA0", 2));              /* NBSP alone */
    CHECK(proto_name_valid("\xC2\xA1", 2));                 /* ¡ is not C1 */
    CHECK(proto_name_valid("\xF4\x8F\xBF\xBD", 4));         /* U+10FFFD, the last plane */

    /* proto_make_hello truncates to the wire bound, on a character edge. */
    char long_name[100];
    memset(long_name, 'a', sizeof long_name);
    long_name[99] = '\0';
    proto_msg h = proto_make_hello(long_name);
    CHECK(h.u.hello.name_len == PROTO_NAME_WIRE_MAX && h.u.hello.name[PROTO_NAME_WIRE_MAX] == '\0');
    CHECK(h.u.hello.magic == PROTO_MAGIC && h.u.hello.version == PROTO_VERSION);
    memcpy(long_name + 63, "\xC3\xA9xyz", 6); /* é straddles byte 64 */
    h = proto_make_hello(long_name);
    CHECK(h.u.hello.name_len == 63 && h.u.hello.name[63] == '\0');
    h = proto_make_hello(NULL);
    CHECK(h.type == PROTO_HELLO && h.u.hello.name_len == 0 && h.u.hello.name[0] == '\0');
    h = proto_make_hello("Zoe");
    CHECK(h.u.hello.name_len == 3 && strcmp(h.u.hello.name, "Zoe") == 0);
}

static bool is_sentence(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[n - 1] == '.';
}

static void test_text(void)
{
    for (int r = 0; r < 256; r++) {
        CHECK(is_sentence(proto_reject_text((uint8_t)r)));
        CHECK(is_sentence(proto_bye_text((uint8_t)r)));
        CHECK(proto_type_name((uint8_t)r) != NULL);
    }
    CHECK(strcmp(proto_reject_text(PROTO_REJECT_VERSION),
                 "The host is running a different version of LAN Arena.") == 0);
    CHECK(strcmp(proto_reject_text(PROTO_REJECT_FULL), "The server is full.") == 0);
    CHECK(strcmp(proto_type_name(PROTO_HELLO), "HELLO") == 0);
    CHECK(strcmp(proto_type_name(PROTO_GOODBYE), "GOODBYE") == 0);
    CHECK(strcmp(proto_type_name(0), "unknown") == 0);
    for (int e = PROTO_OK; e <= PROTO_ERR_NO_ROOM; e++)
        CHECK(proto_error_text((proto_error)e) != NULL);
    CHECK(strcmp(proto_error_text(PROTO_ERR_TRUNCATED), proto_error_text(PROTO_ERR_TRAILING)) != 0);
}

int main(void)
{
    rng_state = 0x4C414E4152454E41u; /* this suite's fixed seed */
    /* Encode refusals are warnings; this test provokes hundreds of them. */
    log_set_level(LOG_ERROR);
    samples_build();
    test_round_trips();
    test_sizes();
    test_golden();
    test_wire_sticky();
    test_ranges();
    test_hello_versions();
    test_random_strings();
    test_random_mutations();
    test_names();
    test_text();
    return check_done("proto");
}
