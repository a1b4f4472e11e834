/*
 * make_corpus: writes the seed corpus of the fuzz targets, every file
 * made with proto_encode and frame_write so the seeds are valid messages
 * and streams for whatever the protocol is today.
 *
 *   make_corpus DIR   writes files into DIR/proto, DIR/frame, DIR/server,
 *                     DIR/client, DIR/discovery and DIR/settings
 *
 * Regenerate after a protocol change:
 *   tests/ci/fuzz.sh builds it; run  BUILD/fuzz/tests/fuzz/make_corpus tests/fuzz/corpus
 */
#include <stdio.h>
#include <string.h>

#include "delta.h"
#include "discovery.h"
#include "frame.h"
#include "proto.h"

static const char *corpus_dir;
static int corpus_files;

static void corpus_write(const char *target, const char *name, const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", corpus_dir, target, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "make_corpus: cannot write %s\n", path);
        if (f)
            fclose(f);
        return;
    }
    fclose(f);
    corpus_files++;
}

/* A growing byte buffer for streams. */
typedef struct {
    uint8_t data[64 * 1024];
    size_t len;
} corpus_buf;

static size_t corpus_encode(const proto_msg *m, uint8_t *out, size_t cap)
{
    size_t n = proto_encode(m, out, cap);
    if (n == 0)
        fprintf(stderr, "make_corpus: %s did not encode\n", proto_type_name(m->type));
    return n;
}

static void corpus_frame(corpus_buf *b, const proto_msg *m)
{
    uint8_t payload[FRAME_MAX_PAYLOAD];
    size_t n = corpus_encode(m, payload, sizeof payload);
    if (n)
        b->len += frame_write(b->data + b->len, sizeof b->data - b->len, payload, n);
}

static void corpus_raw(corpus_buf *b, const void *bytes, size_t n)
{
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

static proto_msg corpus_input(uint32_t seq, uint8_t buttons)
{
    proto_msg m = {.type = PROTO_INPUT};
    m.u.input.seq = seq;
    m.u.input.buttons = buttons;
    m.u.input.ack_tick = seq + 100;
    return m;
}

static proto_msg corpus_snapshot(int players, int gems)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT;
    m.u.snapshot.tick = 123456;
    m.u.snapshot.ack_seq = 4242;
    m.u.snapshot.player_count = (uint8_t)players;
    for (int i = 0; i < players; i++) {
        proto_player_state *p = &m.u.snapshot.players[i];
        p->id = (uint8_t)(players - 1 - i);
        p->x = 100 * 256 + i * 999;
        p->y = -i * 7;
        p->vx = (int16_t)(i * 3 - 90);
        p->vy = (int16_t)(512 - i);
        p->facing = (uint8_t)(i % PROTO_FACE_COUNT);
        p->moving = (uint8_t)(i & 1);
        p->step = (uint8_t)(i * 5);
        p->score = (uint16_t)(i * 1000);
    }
    m.u.snapshot.gem_count = (uint8_t)gems;
    for (int i = 0; i < gems; i++) {
        m.u.snapshot.gems[i].x = (int16_t)(16 * i + 8);
        m.u.snapshot.gems[i].y = (int16_t)(400 - 16 * i);
    }
    return m;
}

typedef struct {
    const char *name;
    proto_msg m;
} corpus_item;

static void corpus_proto(void)
{
    static corpus_item list[32];
    int n = 0;
    list[n].name = "hello";
    list[n++].m = proto_make_hello("Alice");
    list[n].name = "hello_utf8";
    list[n++].m = proto_make_hello("J\xc3\xbcrgen \xe2\x98\x83");
    list[n].name = "hello_long_name";
    list[n++].m = proto_make_hello("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    list[n].name = "hello_bad_magic";
    list[n].m = proto_make_hello("x");
    list[n++].m.u.hello.magic = 0x47455420; /* "GET " */
    list[n].name = "hello_version_2";
    list[n].m = proto_make_hello("x");
    list[n++].m.u.hello.version = 2;
    list[n].name = "welcome";
    list[n].m.type = PROTO_WELCOME;
    list[n].m.u.welcome = (proto_welcome){.player_id = 3, .tick_rate = 60, .max_players = 32,
                                          .arena_w = 768, .arena_h = 432, .server_tick = 77};
    n++;
    list[n].name = "reject_full";
    list[n].m.type = PROTO_REJECT;
    list[n++].m.u.reject = (proto_reject){.reason = PROTO_REJECT_FULL, .server_version = 1};
    list[n].name = "input";
    list[n++].m = corpus_input(1, PROTO_BTN_UP | PROTO_BTN_RIGHT);
    list[n].name = "snapshot_small";
    list[n++].m = corpus_snapshot(2, 3);
    list[n].name = "snapshot_full";
    list[n++].m = corpus_snapshot(PROTO_MAX_PLAYERS, PROTO_MAX_GEMS);
    list[n].name = "snapshot_empty";
    list[n++].m = corpus_snapshot(0, 0);
    list[n].name = "player_joined";
    list[n].m.type = PROTO_PLAYER_JOINED;
    list[n].m.u.joined.id = 5;
    list[n].m.u.joined.colour = 5;
    list[n].m.u.joined.name_len = 3;
    list[n].m.u.joined.proof = proto_token_proof(0x1122334455667788u);
    memcpy(list[n++].m.u.joined.name, "Bob", 4);
    list[n].name = "player_left";
    list[n].m.type = PROTO_PLAYER_LEFT;
    list[n++].m.u.left = (proto_player_left){.id = 5, .reason = PROTO_BYE_TIMEOUT};
    list[n].name = "ping";
    list[n].m.type = PROTO_PING;
    list[n++].m.u.ping.token = 0xDEADBEEF;
    list[n].name = "pong";
    list[n].m.type = PROTO_PONG;
    list[n++].m.u.ping = (proto_ping){.token = 1, .held_us = 2};
    list[n].name = "goodbye";
    list[n++].m = proto_make_goodbye(PROTO_BYE_QUIT);
    list[n].name = "hello_rejoin";
    list[n].m = proto_make_hello("Carol");
    list[n].m.u.hello.token = 0x0123456789ABCDEFull;
    list[n].m.u.hello.password_len = 6;
    memcpy(list[n++].m.u.hello.password, "secret", 7);
    list[n].name = "chat_send";
    list[n].m.type = PROTO_CHAT_SEND;
    list[n].m.u.chat.text_len = 5;
    memcpy(list[n++].m.u.chat.text, "hello", 6);
    list[n].name = "chat";
    list[n].m.type = PROTO_CHAT;
    list[n].m.u.chat.from = 2;
    list[n].m.u.chat.text_len = 10;
    memcpy(list[n++].m.u.chat.text, "gg \xe2\x98\x83 all", 11);
    list[n].name = "keepalive";
    list[n].m.type = PROTO_KEEPALIVE;
    list[n++].m.u.keepalive = (proto_keepalive){.tick = 1000, .base_age = 15, .ack_seq = 990};
    list[n].name = "player_info";
    list[n].m.type = PROTO_PLAYER_INFO;
    list[n].m.u.info.count = 2;
    list[n].m.u.info.entries[0] = (proto_player_info_entry){.id = 0, .ping_ms = 3};
    list[n++].m.u.info.entries[1] = (proto_player_info_entry){.id = 5, .ping_ms = 250, .flags = PROTO_PF_SILENT};
    list[n].name = "host_plan";
    list[n].m.type = PROTO_HOST_PLAN;
    list[n].m.u.plan.flags = PROTO_PLAN_NOW;
    list[n].m.u.plan.port = 27960;
    list[n].m.u.plan.count = 2;
    list[n].m.u.plan.entries[0] = (proto_plan_entry){.id = 3, .addr = 0x0A4D0002};
    list[n++].m.u.plan.entries[1] = (proto_plan_entry){.id = 9, .addr = 0x7F000001};
    list[n].name = "match";
    list[n].m.type = PROTO_MATCH;
    list[n++].m.u.match = (proto_match){.phase = PROTO_PHASE_PLAYING, .round = 3, .left = 1800,
                                        .round_ticks = 10800, .score_limit = 20, .winner = 4};
    list[n].name = "event";
    list[n].m.type = PROTO_EVENT;
    list[n++].m.u.event = (proto_event){.kind = PROTO_EV_HIT, .a = 1, .b = 2, .drop = 1, .x = 120, .y = 64};
    {
        /* A delta between two real snapshots: players moved, one left, one
         * joined, a gem moved. */
        proto_msg base = corpus_snapshot(6, 6), cur = corpus_snapshot(6, 6);
        base.u.snapshot.tick = 100;
        cur.u.snapshot.tick = 103;
        for (int i = 0; i < 6; i++) {
            cur.u.snapshot.players[i].x += 3 * cur.u.snapshot.players[i].vx;
            cur.u.snapshot.players[i].step += 3;
        }
        cur.u.snapshot.players[2].id = 40; /* id 3 left, 40 joined */
        cur.u.snapshot.players[4].score += 1;
        cur.u.snapshot.gems[1].x += 32;
        list[n].name = "snapshot_delta";
        list[n].m.type = PROTO_SNAPSHOT_DELTA;
        if (delta_make(&base.u.snapshot, &cur.u.snapshot, &list[n].m.u.delta))
            n++;
        else
            fprintf(stderr, "make_corpus: no delta\n");
    }
    for (int i = 0; i < n; i++) {
        uint8_t out[PROTO_MAX_MESSAGE_SIZE];
        size_t len = corpus_encode(&list[i].m, out, sizeof out);
        if (len)
            corpus_write("proto", list[i].name, out, len);
    }
}

static void corpus_frames(void)
{
    static corpus_buf b;
    b.len = 0;
    proto_msg hello = proto_make_hello("Alice");
    corpus_frame(&b, &hello);
    for (uint32_t i = 1; i <= 5; i++) {
        proto_msg in = corpus_input(i, PROTO_BTN_LEFT);
        corpus_frame(&b, &in);
    }
    corpus_write("frame", "inputs", b.data, b.len);
    proto_msg snap = corpus_snapshot(PROTO_MAX_PLAYERS, PROTO_MAX_GEMS);
    corpus_frame(&b, &snap);
    corpus_frame(&b, &snap);
    corpus_write("frame", "two_big_snapshots", b.data, b.len);
    corpus_write("frame", "cut_mid_frame", b.data, b.len - 100);
    static const uint8_t zero[] = {0x00, 0x05, 0x08, 1, 2, 3, 4, 0x00, 0x00, 0x08};
    corpus_write("frame", "zero_length", zero, sizeof zero);
    static const uint8_t big[] = {0x00, 0x01, 0x0A, 0x08, 0x01, 0xFF};
    corpus_write("frame", "too_big", big, sizeof big);
    uint8_t maxf[FRAME_MAX_SIZE];
    memset(maxf, 0xAB, sizeof maxf);
    maxf[0] = FRAME_MAX_PAYLOAD >> 8;
    maxf[1] = FRAME_MAX_PAYLOAD & 0xFF;
    corpus_write("frame", "max_payload", maxf, sizeof maxf);
}

/* Server seeds: ctl_len, ctl, then what a client sends. */
static void corpus_session(const char *name, const uint8_t *ctl, size_t ctl_len, int variant)
{
    static corpus_buf b;
    b.len = 0;
    uint8_t cl = (uint8_t)ctl_len;
    corpus_raw(&b, &cl, 1);
    corpus_raw(&b, ctl, ctl_len);
    proto_msg hello = proto_make_hello(variant == 3 ? "" : "Alice");
    if (variant == 1)
        hello.u.hello.magic = 0x16030100; /* a TLS ClientHello's first bytes */
    if (variant == 2)
        hello.u.hello.version = 7;
    if (variant == 4) {
        static const uint8_t bad_utf8[] = {0x01, 0x4C, 0x4E, 0x41, 0x52, 0x00, 0x01, 0x03, 'a', 0xC3, 0x28};
        uint8_t f[2] = {0, sizeof bad_utf8};
        corpus_raw(&b, f, 2);
        corpus_raw(&b, bad_utf8, sizeof bad_utf8);
    } else {
        corpus_frame(&b, &hello);
    }
    int inputs = variant == 5 ? 400 : 12;
    for (int i = 1; i <= inputs; i++) {
        proto_msg in = corpus_input((uint32_t)i, (uint8_t)(i & PROTO_BTN_MASK));
        corpus_frame(&b, &in);
        if (i % 5 == 0) {
            proto_msg ping = {.type = PROTO_PING};
            ping.u.ping.token = (uint32_t)i;
            corpus_frame(&b, &ping);
        }
        if (i % 7 == 0) {
            proto_msg chat = {.type = PROTO_CHAT_SEND};
            chat.u.chat.text_len = 2;
            memcpy(chat.u.chat.text, "hi", 3);
            corpus_frame(&b, &chat);
        }
    }
    if (variant == 6)
        corpus_frame(&b, &hello); /* a second HELLO */
    if (variant == 7) {
        proto_msg snap = corpus_snapshot(2, 1); /* server-to-client type */
        corpus_frame(&b, &snap);
    }
    if (variant == 8) {
        static const uint8_t unknown[] = {0x00, 0x03, 0x7F, 0x00, 0x00};
        corpus_raw(&b, unknown, sizeof unknown);
    }
    if (variant == 9) {
        static const uint8_t cut[] = {0x00, 0x40, 0x04, 0x00};
        corpus_raw(&b, cut, sizeof cut);
    } else if (variant != 10) {
        proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
        corpus_frame(&b, &bye);
    }
    corpus_write("server", name, b.data, b.len);
}

static void corpus_server(void)
{
    static const uint8_t none[1] = {0};
    static const uint8_t trickle[] = {0, 0, 1, 2, 0, 3, 1, 1, 0, 0, 0, 0, 4, 9, 0, 0};
    static const uint8_t late[] = {2, 10, 0x80, 0, 40, 0};
    static const uint8_t slow_clock[] = {255, 255, 255, 255, 255, 255, 255, 255};
    corpus_session("session_clean", none, 0, 0);
    corpus_session("session_trickle", trickle, sizeof trickle, 0);
    corpus_session("session_decide_late", late, sizeof late, 0);
    corpus_session("session_slow_clock", slow_clock, sizeof slow_clock, 0);
    corpus_session("bad_magic", none, 0, 1);
    corpus_session("bad_version", none, 0, 2);
    corpus_session("empty_name", none, 0, 3);
    corpus_session("bad_utf8_name", none, 0, 4);
    corpus_session("input_flood", none, 0, 5);
    corpus_session("second_hello", none, 0, 6);
    corpus_session("server_message", none, 0, 7);
    corpus_session("unknown_type", none, 0, 8);
    corpus_session("cut_then_silence", none, 0, 9);
    corpus_session("no_goodbye", none, 0, 10);
}

/* ---- fuzz_client: host messages and frames (see fuzz_client.c) ---- */

static void client_msg(corpus_buf *b, const proto_msg *m)
{
    uint8_t payload[FRAME_MAX_PAYLOAD];
    size_t n = corpus_encode(m, payload, sizeof payload);
    if (!n)
        return;
    uint8_t head[3] = {0x00, (uint8_t)(n >> 8), (uint8_t)n};
    corpus_raw(b, head, sizeof head);
    corpus_raw(b, payload, n);
}

static void client_frame(corpus_buf *b, int ms, uint8_t buttons)
{
    uint8_t rec[2] = {(uint8_t)(0xC0 | (ms & 0x3F)), buttons};
    corpus_raw(b, rec, sizeof rec);
}

static proto_msg client_welcome(uint8_t id)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_WELCOME;
    m.u.welcome.player_id = id;
    m.u.welcome.tick_rate = 60;
    m.u.welcome.max_players = 8;
    m.u.welcome.server_tick = 1000;
    m.u.welcome.token = 99;
    return m;
}

static proto_msg client_joined(uint8_t id, const char *name)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_PLAYER_JOINED;
    m.u.joined.id = id;
    m.u.joined.colour = id;
    m.u.joined.name_len = (uint8_t)strlen(name);
    memcpy(m.u.joined.name, name, m.u.joined.name_len);
    return m;
}

/* Two players on an open row, player 1 running right; 3 gems. */
static proto_snapshot client_world(uint32_t tick, uint32_t ack)
{
    proto_snapshot s;
    memset(&s, 0, sizeof s);
    s.tick = tick;
    s.ack_seq = ack;
    s.player_count = 2;
    for (int i = 0; i < 2; i++) {
        proto_player_state *p = &s.players[i];
        p->id = (uint8_t)i;
        p->x = (40 + 30 * i) * 256 + (i == 1 ? (int32_t)(tick - 1000) * 512 : 0);
        p->y = 136 * 256;
        p->vx = (int16_t)(i == 1 ? 512 : 0);
        p->moving = (uint8_t)i;
        p->step = (uint8_t)(i ? tick : 0);
    }
    s.gem_count = 3;
    for (int g = 0; g < 3; g++) {
        s.gems[g].x = (int16_t)(100 + 40 * g);
        s.gems[g].y = 200;
    }
    return s;
}

static void client_start(corpus_buf *b)
{
    b->len = 0;
    proto_msg w = client_welcome(0), j0 = client_joined(0, "Me"), j1 = client_joined(1, "You");
    client_msg(b, &w);
    client_msg(b, &j0);
    client_msg(b, &j1);
}

static void client_snap(corpus_buf *b, const proto_snapshot *s)
{
    static proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT;
    m.u.snapshot = *s;
    client_msg(b, &m);
}

static void corpus_client(void)
{
    static corpus_buf b;
    static proto_msg m;

    /* Full snapshots, a frame each, keys held. */
    client_start(&b);
    for (uint32_t t = 1000; t < 1040; t++) {
        proto_snapshot s = client_world(t, t > 1003 ? t - 1003 : 0);
        client_snap(&b, &s);
        client_frame(&b, 16, (uint8_t)(t & 15));
    }
    corpus_write("client", "snapshots", b.data, b.len);

    /* Deltas and keep-alives against acknowledged bases. */
    client_start(&b);
    proto_snapshot prev = client_world(1000, 0);
    client_snap(&b, &prev);
    client_frame(&b, 16, 0);
    for (uint32_t t = 1001; t < 1030; t++) {
        proto_snapshot cur = client_world(t, t - 1000);
        memset(&m, 0, sizeof m);
        if (t % 5 == 0) {
            m.type = PROTO_KEEPALIVE;
            m.u.keepalive.tick = t;
            m.u.keepalive.base_age = (uint8_t)(t - prev.tick);
            m.u.keepalive.ack_seq = t - 1000;
            client_msg(&b, &m);
            continue; /* the world stood still: the base stays */
        }
        m.type = PROTO_SNAPSHOT_DELTA;
        if (delta_make(&prev, &cur, &m.u.delta))
            client_msg(&b, &m);
        prev = cur;
        client_frame(&b, 17, PROTO_BTN_RIGHT);
    }
    corpus_write("client", "deltas", b.data, b.len);

    /* Chat, player info, a player leaving, a goodbye. */
    client_start(&b);
    proto_snapshot s = client_world(1000, 0);
    client_snap(&b, &s);
    memset(&m, 0, sizeof m);
    m.type = PROTO_CHAT;
    m.u.chat.from = 1;
    m.u.chat.text_len = 5;
    memcpy(m.u.chat.text, "hi \x01!", 5);
    client_msg(&b, &m);
    m.u.chat.from = PROTO_CHAT_FROM_HOST;
    client_msg(&b, &m);
    memset(&m, 0, sizeof m);
    m.type = PROTO_PLAYER_INFO;
    m.u.info.count = 2;
    m.u.info.entries[0].id = 0;
    m.u.info.entries[0].ping_ms = 12;
    m.u.info.entries[0].flags = PROTO_PF_HOST;
    m.u.info.entries[1].id = 1;
    m.u.info.entries[1].ping_ms = PROTO_PING_UNKNOWN;
    client_msg(&b, &m);
    client_frame(&b, 16, 0);
    memset(&m, 0, sizeof m);
    m.type = PROTO_PLAYER_LEFT;
    m.u.left.id = 1;
    m.u.left.reason = PROTO_BYE_QUIT;
    client_msg(&b, &m);
    m = proto_make_goodbye(PROTO_BYE_HOST_ENDED);
    client_msg(&b, &m);
    client_frame(&b, 16, 0);
    corpus_write("client", "chat_info_leave", b.data, b.len);

    /* A delta from a base never sent, then a snapshot and a WELCOME: the
     * client stays failed with its first reason. */
    client_start(&b);
    s = client_world(1000, 0);
    client_snap(&b, &s);
    client_frame(&b, 16, 0);
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT_DELTA;
    m.u.delta.tick = 1100;
    m.u.delta.base_age = 40;
    client_msg(&b, &m);
    s = client_world(1101, 3);
    client_snap(&b, &s);
    m = client_welcome(2);
    client_msg(&b, &m);
    client_frame(&b, 16, 0);
    corpus_write("client", "bad_base_then_welcome", b.data, b.len);

    /* Acks huge, then small, in one frame's messages. */
    client_start(&b);
    for (uint32_t i = 0; i < 4; i++) {
        client_frame(&b, 16, PROTO_BTN_RIGHT);
        s = client_world(1000 + 2 * i, 0xFFFFFFF0u + i);
        client_snap(&b, &s);
        s = client_world(1001 + 2 * i, i);
        client_snap(&b, &s);
    }
    client_frame(&b, 16, 0);
    corpus_write("client", "ack_huge_then_small", b.data, b.len);

    /* Positions at the ends of int32, moving. */
    client_start(&b);
    for (uint32_t t = 1000; t < 1008; t++) {
        s = client_world(t, t - 1000);
        s.players[0].x = (t & 1) ? 2147483647 : -2147483647 - 1;
        s.players[1].x = (t & 1) ? -2147483647 - 1 : 2147483647;
        s.players[1].y = (t & 2) ? 2147483647 : -2147483647 - 1;
        client_snap(&b, &s);
        client_frame(&b, 16, PROTO_BTN_LEFT);
    }
    corpus_write("client", "extreme_positions", b.data, b.len);

    /* Snapshots with long silences between them (a stalled host). */
    client_start(&b);
    for (uint32_t t = 1000; t < 1010; t++) {
        s = client_world(t * 7, t - 1000);
        client_snap(&b, &s);
        for (int k = 0; k < 6; k++)
            client_frame(&b, 63, 0);
    }
    corpus_write("client", "stalls", b.data, b.len);
}

/* ---- fuzz_discovery: datagrams ---- */

static void corpus_discovery(void)
{
    uint8_t buf[DISCOVERY_QUERY_SIZE + 16];
    discovery_msg q = discovery_make_query(0x12345678u);
    size_t n = discovery_encode(&q, buf, sizeof buf);
    corpus_write("discovery", "query", buf, n);
    buf[4] = 2; /* a later version with extra bytes */
    memset(buf + n, 0xAB, 8);
    corpus_write("discovery", "query_v2_longer", buf, n + 8);

    discovery_msg a;
    memset(&a, 0, sizeof a);
    a.type = DISCOVERY_ANSWER;
    a.version = DISCOVERY_VERSION;
    a.nonce = 0x12345678u;
    a.game_version = PROTO_VERSION;
    a.game_port = PROTO_DEFAULT_PORT;
    a.players = 3;
    a.max_players = 16;
    a.game_id = 0x0123456789ABCDEFull;
    snprintf(a.name, sizeof a.name, "LAN Arena host");
    n = discovery_encode(&a, buf, sizeof buf);
    corpus_write("discovery", "answer", buf, n);
    a.flags = DISCOVERY_FLAG_PASSWORD;
    n = discovery_encode(&a, buf, sizeof buf);
    corpus_write("discovery", "answer_locked", buf, n);
    corpus_write("discovery", "answer_no_flags", buf, n - 1); /* version 2 fields cut short */
    a.flags = 0;
    snprintf(a.name, sizeof a.name, "J\xc3\xa9r\xc3\xb4me");
    a.game_version = 1;
    n = discovery_encode(&a, buf, sizeof buf);
    corpus_write("discovery", "answer_utf8_old", buf, n);
    buf[4] = 7;
    corpus_write("discovery", "answer_v7", buf, n); /* a later version */
    buf[16] = 40; /* a name_len past the maximum */
    corpus_write("discovery", "answer_long_name", buf, n);
    /* A version 1 host: no id, no flags. */
    a.version = 1;
    a.game_id = 0;
    n = discovery_encode(&a, buf, sizeof buf);
    corpus_write("discovery", "answer_v1", buf, n);
    const char bad_magic[] = "LNAX\x01\x01zzzz";
    corpus_write("discovery", "bad_magic", bad_magic, sizeof bad_magic - 1);
}

/* ---- fuzz_settings: files ---- */

static void corpus_settings(void)
{
    static const struct {
        const char *name, *text;
    } files[] = {
        {"full", "version = 1\nname = Alice\ncolour = 3\nfullscreen = false\nvsync = true\n"
                 "show_netgraph = 1\nlast_address = 192.168.1.20:27960\nrecent = 192.168.1.20:27960\n"
                 "recent = host.lan\n"},
        {"comments_crlf", "# LAN Arena\r\nversion = 1\r\n\r\n  name =  Bob  \r\ncolour=-1\r\n"},
        {"newer_keys", "version = 1\nfuture_key = whatever\nname = J\xc3\xa9r\xc3\xb4me\n"},
        {"no_version", "name = Carol\n"},
        {"bad_colour", "version = 1\ncolour = 16\n"},
        {"too_many_recent", "version = 1\nrecent = a\nrecent = b\nrecent = c\nrecent = d\nrecent = e\nrecent = f\n"},
        {"nul_byte", "version = 1\nname = A\0B\n"},
        {"empty", ""},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len = strlen(files[i].text);
        if (strcmp(files[i].name, "nul_byte") == 0)
            len = 23; /* the NUL inside counts */
        corpus_write("settings", files[i].name, files[i].text, len);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR (DIR/proto, frame, server, client, discovery and settings must exist)\n");
        return 2;
    }
    corpus_dir = argv[1];
    corpus_proto();
    corpus_frames();
    corpus_server();
    corpus_client();
    corpus_discovery();
    corpus_settings();
    printf("make_corpus: wrote %d files under %s\n", corpus_files, corpus_dir);
    return 0;
}
