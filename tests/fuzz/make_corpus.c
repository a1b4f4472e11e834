/*
 * make_corpus: writes the seed corpus of the fuzz targets, every file
 * made with proto_encode and frame_write so the seeds are valid messages
 * and streams for whatever the protocol is today.
 *
 *   make_corpus DIR   writes files into DIR/proto, DIR/frame and DIR/server
 *
 * Regenerate after a protocol change:
 *   tests/ci/fuzz.sh builds it; run  BUILD/fuzz/tests/fuzz/make_corpus tests/fuzz/corpus
 */
#include <stdio.h>
#include <string.h>

#include "delta.h"
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
    list[n++].m.u.ping = (proto_ping){.token = 1, .server_tick = 2};
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

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR (DIR/proto, DIR/frame, DIR/server must exist)\n");
        return 2;
    }
    corpus_dir = argv[1];
    corpus_proto();
    corpus_frames();
    corpus_server();
    printf("make_corpus: wrote %d files under %s\n", corpus_files, corpus_dir);
    return 0;
}
