/*
 * test_delta: snapshot delta compression (net/delta.c) and its two
 * messages, SNAPSHOT_DELTA and KEEPALIVE (net/proto.c).
 *
 *  - codec: golden bytes, round trips, every truncated prefix, trailing
 *    bytes, ranges, non-canonical varints, seeded mutations that must
 *    re-encode to the same bytes;
 *  - reconstruction: random world sequences (sim-driven bots plus joins,
 *    leaves, teleports, wrap-around values, gem changes) sent through the
 *    same base choice the server makes, with random acknowledgement
 *    patterns (lost, late, reordered, never acked); the client must
 *    rebuild exactly the server's snapshot every time, and a delta applied
 *    to any other base must be refused or differ, never crash;
 *  - quantisation: the rebuilt positions differ from the server's by at
 *    most DELTA_QUANT_ERROR_FP (0) and client prediction from the rebuilt
 *    state equals the server's next state bit for bit;
 *  - live: a real server and clients over loopback, moving then idle,
 *    with and without --no-delta.
 */
#include <SDL.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "check.h"
#include "client.h"
#include "delta.h"
#include "frame.h"
#include "log.h"
#include "proto.h"
#include "server.h"
#include "sim.h"

#include "testrng.h"

/* ---- helpers ---- */

static bool snap_equal(const proto_snapshot *a, const proto_snapshot *b)
{
    if (a->tick != b->tick || a->ack_seq != b->ack_seq || a->player_count != b->player_count ||
        a->gem_count != b->gem_count)
        return false;
    for (int i = 0; i < a->player_count; i++) {
        const proto_player_state *p = &a->players[i], *q = &b->players[i];
        if (p->id != q->id || p->x != q->x || p->y != q->y || p->vx != q->vx || p->vy != q->vy ||
            p->facing != q->facing || p->moving != q->moving || p->step != q->step || p->score != q->score)
            return false;
    }
    for (int i = 0; i < a->gem_count; i++)
        if (a->gems[i].x != b->gems[i].x || a->gems[i].y != b->gems[i].y)
            return false;
    return true;
}

static void snap_from_world(const sim_world *w, uint32_t ack_seq, proto_snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->tick = w->tick;
    s->ack_seq = ack_seq;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *sp = &w->players[i];
        if (!sp->active)
            continue;
        proto_player_state *ps = &s->players[s->player_count++];
        *ps = (proto_player_state){.id = (uint8_t)i, .x = sp->x, .y = sp->y, .vx = (int16_t)sp->vx,
                                   .vy = (int16_t)sp->vy, .facing = sp->facing, .moving = sp->moving,
                                   .step = sp->step, .score = sp->score, .dash = sp->dash,
                                   .cooldown = sp->cooldown, .stun = sp->stun};
    }
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        if (w->gems[i].active) {
            s->gems[s->gem_count].x = w->gems[i].x;
            s->gems[s->gem_count].y = w->gems[i].y;
            s->gem_count++;
        }
    }
}

static int16_t rand_i16(void)
{
    static const int16_t edge[] = {0, 1, -1, 64, -64, 512, -512, INT16_MAX, INT16_MIN};
    return rng_below(3) == 0 ? edge[rng_below(9)] : (int16_t)rng_next();
}

static int32_t rand_i32(void)
{
    static const int32_t edge[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 196608};
    return rng_below(3) == 0 ? edge[rng_below(8)] : (int32_t)rng_next();
}

static proto_player_state rand_player(uint8_t id)
{
    return (proto_player_state){.id = id, .x = rand_i32(), .y = rand_i32(), .vx = rand_i16(), .vy = rand_i16(),
                                .facing = (uint8_t)rng_below(PROTO_FACE_COUNT), .moving = (uint8_t)rng_below(2),
                                .step = (uint8_t)rng_next(), .score = (uint16_t)rng_next()};
}

/* Any valid snapshot, players in ascending ids (the order rebuilt ones use). */
static void rand_snapshot(proto_snapshot *s, uint32_t tick)
{
    memset(s, 0, sizeof *s);
    s->tick = tick;
    s->ack_seq = (uint32_t)rng_next();
    for (int id = 0; id < PROTO_MAX_PLAYERS; id++)
        if (rng_below(4) == 0)
            s->players[s->player_count++] = rand_player((uint8_t)id);
    s->gem_count = (uint8_t)rng_below(PROTO_MAX_GEMS + 1);
    for (int i = 0; i < s->gem_count; i++)
        s->gems[i] = (proto_gem){rand_i16(), rand_i16()};
}

/* cur = base with a few random edits, at base_tick + age. */
static void rand_successor(const proto_snapshot *base, proto_snapshot *cur, uint32_t age)
{
    *cur = *base;
    cur->tick = base->tick + age;
    cur->ack_seq = base->ack_seq + rng_below(3) * age;
    int edits = (int)rng_below(6);
    for (int e = 0; e < edits; e++) {
        int k = cur->player_count ? (int)rng_below(cur->player_count) : 0;
        proto_player_state *p = &cur->players[k];
        switch (rng_below(12)) {
        case 0: /* leave */
            if (cur->player_count) {
                memmove(p, p + 1, sizeof *p * (size_t)(cur->player_count - k - 1));
                cur->player_count--;
            }
            break;
        case 1: { /* join: a free id, kept in order */
            bool used[PROTO_MAX_PLAYERS] = {0};
            for (int i = 0; i < cur->player_count; i++)
                used[cur->players[i].id] = true;
            int id = (int)rng_below(PROTO_MAX_PLAYERS);
            if (used[id])
                break;
            int at = 0;
            while (at < cur->player_count && cur->players[at].id < id)
                at++;
            memmove(&cur->players[at + 1], &cur->players[at], sizeof *p * (size_t)(cur->player_count - at));
            cur->players[at] = rand_player((uint8_t)id);
            cur->player_count++;
            break;
        }
        case 2:
            if (cur->player_count)
                *p = rand_player(p->id); /* teleport: everything new */
            break;
        case 3:
            if (cur->player_count)
                p->score = (uint16_t)(p->score + 1); /* wraps at 65535 */
            break;
        case 4:
            cur->gem_count = (uint8_t)rng_below(PROTO_MAX_GEMS + 1);
            for (int i = base->gem_count; i < cur->gem_count; i++)
                cur->gems[i] = (proto_gem){rand_i16(), rand_i16()};
            break;
        case 5:
            if (cur->gem_count)
                cur->gems[rng_below(cur->gem_count)] = (proto_gem){rand_i16(), rand_i16()};
            break;
        default: /* the common case: move along with small changes */
            if (cur->player_count) {
                p->vx = (int16_t)(p->vx + (int)rng_below(129) - 64);
                p->vy = (int16_t)(p->vy + (int)rng_below(129) - 64);
                p->x = (int32_t)((uint32_t)p->x + (uint32_t)(p->vx * (int32_t)age) + rng_below(9) - 4);
                p->y = (int32_t)((uint32_t)p->y + (uint32_t)(p->vy * (int32_t)age));
                p->moving = (p->vx || p->vy);
                p->step = p->moving ? (uint8_t)(p->step + age) : 0;
                if (rng_below(4) == 0)
                    p->facing = (uint8_t)rng_below(PROTO_FACE_COUNT);
            }
            break;
        }
    }
}

/* Encodes, decodes and re-encodes m; the bytes must agree and the decoded
 * message must be the same message. Returns the encoded size. */
static size_t wire_trip(const proto_msg *m, proto_msg *out)
{
    static uint8_t buf[PROTO_MAX_MESSAGE_SIZE], again[PROTO_MAX_MESSAGE_SIZE];
    size_t n = proto_encode(m, buf, sizeof buf);
    CHECK_MSG(n > 0, "%s did not encode", proto_type_name(m->type));
    if (n == 0)
        return 0;
    proto_error e = proto_decode(buf, n, out);
    CHECK_MSG(e == PROTO_OK, "%s: %s", proto_type_name(m->type), proto_error_text(e));
    size_t n2 = proto_encode(out, again, sizeof again);
    CHECK(n2 == n && memcmp(buf, again, n) == 0);
    if (m->type == PROTO_SNAPSHOT_DELTA) {
        /* The host's way: a head per client, the tail encoded once. */
        const proto_snapshot_delta *d = &m->u.delta;
        size_t h = proto_encode_delta_head(d->tick, d->base_age, d->ack_seq, again, PROTO_DELTA_HEAD_MAX);
        size_t t = proto_encode_delta_tail(d, again + h, sizeof again - h);
        CHECK_MSG(h > 0 && t > 0 && h + t == n && memcmp(buf, again, n) == 0,
                  "head %zu + tail %zu bytes != %zu encoded", h, t, n);
    }
    return n;
}

/* ---- codec ---- */

static void test_golden(void)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT_DELTA;
    proto_snapshot_delta *d = &m.u.delta;
    d->tick = 0x01020304;
    d->base_age = 2;
    d->ack_seq = 300; /* varint AC 02 */
    d->entry_count = 3;
    d->entries[0] = (proto_delta_entry){.id = 1, .fields = PROTO_DF_X | PROTO_DF_VX, .x = -1, .vx = 64};
    d->entries[1] = (proto_delta_entry){.id = 5, .fields = 0};
    d->entries[2] = (proto_delta_entry){.id = 9, .fields = PROTO_DF_LOOK | PROTO_DF_STEP | PROTO_DF_SCORE,
                                        .facing = PROTO_FACE_LEFT, .moving = 1, .step = 200, .score = 1};
    d->gem_count = 3;
    d->gem_changed = 0x04;
    d->gems[2] = (proto_gem){.x = -1, .y = 300};
    static const uint8_t golden[] = {
        0x0B, 0x01, 0x02, 0x03, 0x04, 0x02, 0xAC, 0x02, 0x03,
        0x25, 0x01, 0x80, 0x01,            /* id 1 (gap 1): X zz(-1)=1, VX zz(64)=128 */
        0x60,                              /* id 5 (gap 3), no flags: left */
        0x70, 0x07, 0x06, 0xC8, 0x01,      /* id 9 (gap 3), more: look 2|1<<2, step 200, score +1 */
        0x03, 0x04, 0xFF, 0xFF, 0x01, 0x2C /* 3 gems, gem 2 moved */
    };
    uint8_t buf[PROTO_MAX_MESSAGE_SIZE];
    size_t n = proto_encode(&m, buf, sizeof buf);
    CHECK(n == sizeof golden && memcmp(buf, golden, sizeof golden) == 0);
    proto_msg out;
    CHECK(proto_decode(golden, sizeof golden, &out) == PROTO_OK);
    CHECK(out.u.delta.entries[0].x == -1 && out.u.delta.entries[0].vx == 64 && out.u.delta.ack_seq == 300);
    CHECK(out.u.delta.entries[2].facing == PROTO_FACE_LEFT && out.u.delta.entries[2].moving == 1);

    proto_msg k = {.type = PROTO_KEEPALIVE};
    k.u.keepalive = (proto_keepalive){.tick = 7, .base_age = 15, .ack_seq = 0xA0B0C0D0};
    static const uint8_t kgold[] = {0x0C, 0, 0, 0, 7, 15, 0xA0, 0xB0, 0xC0, 0xD0};
    CHECK(proto_encode(&k, buf, sizeof buf) == sizeof kgold && memcmp(buf, kgold, sizeof kgold) == 0);
    CHECK(strcmp(proto_type_name(PROTO_SNAPSHOT_DELTA), "SNAPSHOT_DELTA") == 0);
    CHECK(strcmp(proto_type_name(PROTO_KEEPALIVE), "KEEPALIVE") == 0);
}

static void test_prefixes_and_trailing(const proto_msg *m)
{
    static uint8_t buf[PROTO_MAX_MESSAGE_SIZE + 1];
    static proto_msg out;
    size_t n = proto_encode(m, buf, sizeof buf - 1);
    if (n == 0) {
        CHECK(n > 0);
        return;
    }
    int bad = 0;
    for (size_t k = 0; k < n; k++)
        if (proto_decode(buf, k, &out) != (k == 0 ? PROTO_ERR_EMPTY : PROTO_ERR_TRUNCATED))
            bad++;
    CHECK_MSG(bad == 0, "%s: %d of %zu prefixes not rejected as truncated", proto_type_name(m->type), bad, n);
    buf[n] = 0;
    CHECK(proto_decode(buf, n + 1, &out) == PROTO_ERR_TRAILING);
    CHECK(proto_encode(m, buf, n - 1) == 0);
}

static void test_codec_random(void)
{
    static proto_snapshot a, b;
    static proto_msg m, out;
    int trips = 0;
    for (int i = 0; i < 3000; i++) {
        rand_snapshot(&a, (uint32_t)rng_next());
        /* Half the time an unrelated snapshot: every field of every player. */
        if (i % 2)
            rand_successor(&a, &b, 1 + rng_below(255));
        else
            rand_snapshot(&b, a.tick + 1 + rng_below(255));
        m.type = PROTO_SNAPSHOT_DELTA;
        CHECK(delta_make(&a, &b, &m.u.delta));
        size_t n = wire_trip(&m, &out);
        CHECK(n <= PROTO_DELTA_MAX_SIZE);
        if (i % 50 == 0)
            test_prefixes_and_trailing(&m);
        trips++;
    }
    /* The largest possible delta fits the documented maximum exactly. */
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT_DELTA;
    m.u.delta = (proto_snapshot_delta){.tick = 1, .base_age = 1, .ack_seq = UINT32_MAX,
                                       .entry_count = PROTO_MAX_PLAYERS, .gem_count = PROTO_MAX_GEMS,
                                       .gem_changed = 0xFF};
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
        m.u.delta.entries[i] = (proto_delta_entry){.id = (uint8_t)i, .fields = 0x1FF, .x = INT32_MIN,
                                                   .y = INT32_MIN, .vx = INT16_MIN, .vy = INT16_MIN,
                                                   .facing = 3, .moving = 1, .score = 0xFFFF, .dash = 1};
    CHECK(wire_trip(&m, &out) == PROTO_DELTA_MAX_SIZE);
    uint8_t head[PROTO_DELTA_HEAD_MAX + 1];
    CHECK(proto_encode_delta_head(UINT32_MAX, 255, UINT32_MAX, head, sizeof head) == PROTO_DELTA_HEAD_MAX);
    CHECK(proto_encode_delta_head(7, 0, 0, head, sizeof head) == 0);           /* base_age 0 */
    CHECK(proto_encode_delta_head(7, 1, UINT32_MAX, head, PROTO_DELTA_HEAD_MAX - 1) == 0); /* no room */
    CHECK(PROTO_MAX_MESSAGE_SIZE <= FRAME_MAX_PAYLOAD);
    test_prefixes_and_trailing(&m);

    proto_msg k = {.type = PROTO_KEEPALIVE};
    k.u.keepalive = (proto_keepalive){.tick = UINT32_MAX, .base_age = 255, .ack_seq = 1};
    CHECK(wire_trip(&k, &out) == 10);
    test_prefixes_and_trailing(&k);
    printf("codec: %d random deltas round-tripped byte for byte\n", trips);
}

static void expect_field(const uint8_t *bytes, size_t n, int line)
{
    proto_msg out;
    proto_error e = proto_decode(bytes, n, &out);
    CHECK_MSG(e == PROTO_ERR_FIELD, "line %d: got %s", line, proto_error_text(e));
}
#define EXPECT_FIELD(...)                                                                                   \
    do {                                                                                                    \
        static const uint8_t b_[] = {__VA_ARGS__};                                                          \
        expect_field(b_, sizeof b_, __LINE__);                                                              \
    } while (0)

static void test_ranges(void)
{
    /* Decoding refuses what encoding would never produce. */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 0, 0, 0, 0, 0);                   /* base_age 0 */
    EXPECT_FIELD(0x0C, 0, 0, 0, 9, 0, 0, 0, 0, 0);                   /* KEEPALIVE base_age 0 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0x80, 0x00, 0, 0, 0);          /* overlong ack varint */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0, 0, 0); /* ack > 32 bits */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x8F, 0x01, 0, 0, 0); /* 6 groups */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 251, 0, 0, 0);              /* entry_count > 250 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0xE0, 250, 0, 0);        /* explicit id 250 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 2, 0xE0, 245, 0xC0, 0, 0);  /* gap 6 after 245: id 252 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 2, 0x00, 0xE0, 3, 0, 0);    /* explicit id for a short gap */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0xE0, 6, 0, 0);          /* explicit id 6 from -1 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0x10, 0x00, 0, 0);       /* MORE with no flag */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0x10, 0x20, 0, 0);       /* MORE with an unknown flag */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0x10, 0x01, 8, 0, 0);    /* look: moving 2 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0x04, 0x80, 0x80, 0x04, 0, 0); /* vx varint > 16 bits */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 1, 0x10, 0x04, 0x80, 0x00, 0, 0); /* overlong score */
    /* The explicit form is fine for a gap of 7 or more. */
    static const uint8_t far[] = {0x0B, 0, 0, 0, 9, 1, 0, 2, 0x00, 0xE0, 8, 0, 0};
    proto_msg fm;
    CHECK(proto_decode(far, sizeof far, &fm) == PROTO_OK && fm.u.delta.entries[1].id == 8 &&
          fm.u.delta.entries[0].id == 0 && fm.u.delta.entries[0].fields == 0);
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 0, 9, 0);                   /* gem_count 9 */
    EXPECT_FIELD(0x0B, 0, 0, 0, 9, 1, 0, 0, 2, 0x04, 0, 0, 0, 0);    /* gem 2 of 2 */

    proto_msg m = {.type = PROTO_SNAPSHOT_DELTA};
    m.u.delta.base_age = 1;
    uint8_t buf[64];
    CHECK(proto_encode(&m, buf, sizeof buf) == 1 + 4 + 1 + 1 + 1 + 1 + 1);
    m.u.delta.base_age = 0;
    CHECK(proto_encode(&m, buf, sizeof buf) == 0);
    m.u.delta.base_age = 1;
    m.u.delta.gem_count = 1;
    m.u.delta.gem_changed = 2;
    CHECK(proto_encode(&m, buf, sizeof buf) == 0);
}

/* Mutations of valid deltas: never a crash, and whatever is accepted
 * re-encodes to the very same bytes (one encoding per message). */
static void test_mutations(void)
{
    static proto_snapshot a, b;
    static proto_msg m, out;
    static uint8_t base[PROTO_MAX_MESSAGE_SIZE], buf[PROTO_MAX_MESSAGE_SIZE + 8], again[PROTO_MAX_MESSAGE_SIZE + 8];
    int accepted = 0, total = 0, mismatches = 0;
    for (int s = 0; s < 200; s++) {
        rand_snapshot(&a, 1000);
        rand_successor(&a, &b, 1 + rng_below(8));
        m.type = PROTO_SNAPSHOT_DELTA;
        delta_make(&a, &b, &m.u.delta);
        size_t n = proto_encode(&m, base, sizeof base);
        for (int i = 0; i < 500 && n > 0; i++) {
            size_t len = n;
            memcpy(buf, base, n);
            for (int e = 1 + (int)rng_below(3); e > 0; e--) {
                size_t at = 1 + rng_below((uint32_t)(len > 1 ? len - 1 : 1));
                switch (rng_below(4)) {
                case 0:
                    buf[at] ^= (uint8_t)(1 + rng_below(255));
                    break;
                case 1:
                    buf[at] = (uint8_t[]){0, 1, 0x7F, 0x80, 0xFF, 63, 64, 8}[rng_below(8)];
                    break;
                case 2:
                    len = 1 + rng_below((uint32_t)len);
                    break;
                default:
                    if (len < sizeof buf)
                        buf[len++] = (uint8_t)rng_next();
                    break;
                }
            }
            total++;
            if (proto_decode(buf, len, &out) != PROTO_OK)
                continue;
            accepted++;
            size_t n2 = proto_encode(&out, again, sizeof again);
            if (n2 != len || memcmp(again, buf, len) != 0)
                mismatches++;
            /* A decodable delta applied to the wrong base: refused or not,
             * but never out of bounds (ASan/UBSan builds watch this). */
            static proto_snapshot junk;
            (void)delta_apply(&a, &out.u.delta, &junk);
        }
    }
    printf("mutations: %d of %d accepted, %d re-encode mismatches\n", accepted, total, mismatches);
    CHECK(mismatches == 0);
    CHECK(accepted > 0);
}

/* ---- reconstruction over random ack patterns ---- */

#define RING DELTA_WINDOW

/* A model of one server->client link: the server's world ring and
 * per-client sent record (what game/server.c keeps), the client's ring of
 * rebuilt snapshots (what game/client.c keeps), and acks that travel back
 * with random loss, delay and reordering. */
typedef struct {
    proto_snapshot world[RING]; /* server, by tick % RING */
    struct {
        uint32_t tick, ack_seq;
        bool valid;
    } sent[RING];
    bool has_ack;
    uint32_t server_ack; /* newest ack the server has seen */
    proto_snapshot rebuilt[RING]; /* client */
    bool rebuilt_valid[RING];
    uint32_t newest;
    uint32_t pending_ack[16]; /* acks in flight */
    int pending_due[16];
    int pending;
    int mode; /* 0 prompt, 1 lossy, 2 late/reordered, 3 never acked */
    long full, delta, keep, skipped, bytes;
} link_model;

static void link_send(link_model *L, const proto_snapshot *cur, int now)
{
    /* Deliver acks that are due; a late one older than the newest is ignored. */
    for (int i = 0; i < L->pending;) {
        if (L->pending_due[i] <= now) {
            uint32_t a = L->pending_ack[i];
            if (!L->has_ack || (int32_t)(a - L->server_ack) > 0) {
                L->server_ack = a;
                L->has_ack = true;
            }
            L->pending_ack[i] = L->pending_ack[L->pending - 1];
            L->pending_due[i] = L->pending_due[L->pending - 1];
            L->pending--;
        } else {
            i++;
        }
    }
    /* The server's choice of base, as in server_base_for(). */
    const proto_snapshot *base = NULL;
    uint32_t base_ack = 0;
    if (L->has_ack) {
        uint32_t age = cur->tick - L->server_ack;
        int slot = (int)(L->server_ack % RING);
        if (age > 0 && age < RING && L->sent[slot].valid && L->sent[slot].tick == L->server_ack &&
            L->world[slot].tick == L->server_ack) {
            base = &L->world[slot];
            base_ack = L->sent[slot].ack_seq;
        }
    }
    static proto_msg m, out;
    bool skip = false;
    if (!base) {
        m.type = PROTO_SNAPSHOT;
        m.u.snapshot = *cur;
        L->full++;
    } else if (delta_same_world(base, cur)) {
        skip = rng_below(3) == 0; /* the server skips most of these ticks */
        m.type = PROTO_KEEPALIVE;
        m.u.keepalive = (proto_keepalive){cur->tick, (uint8_t)(cur->tick - base->tick), cur->ack_seq};
        L->keep++;
    } else {
        m.type = PROTO_SNAPSHOT_DELTA;
        CHECK(delta_make(base, cur, &m.u.delta));
        m.u.delta.ack_seq = cur->ack_seq - base_ack;
        L->delta++;
    }
    if (skip) {
        L->skipped++;
        return;
    }
    L->sent[cur->tick % RING].tick = cur->tick;
    L->sent[cur->tick % RING].ack_seq = cur->ack_seq;
    L->sent[cur->tick % RING].valid = true;
    L->bytes += (long)wire_trip(&m, &out);

    /* The client, as in client_rebuild(). */
    static proto_snapshot got;
    bool ok = true;
    if (out.type == PROTO_SNAPSHOT) {
        got = out.u.snapshot;
    } else {
        bool keep = out.type == PROTO_KEEPALIVE;
        uint32_t bt = keep ? out.u.keepalive.tick - out.u.keepalive.base_age : out.u.delta.tick - out.u.delta.base_age;
        int slot = (int)(bt % RING);
        ok = L->rebuilt_valid[slot] && L->rebuilt[slot].tick == bt;
        CHECK_MSG(ok, "client lacks base %u for tick %u", bt, cur->tick);
        if (ok)
            ok = keep ? delta_apply_keepalive(&L->rebuilt[slot], &out.u.keepalive, &got)
                      : delta_apply(&L->rebuilt[slot], &out.u.delta, &got);
        CHECK(ok);
    }
    CHECK_MSG(ok && snap_equal(&got, cur), "tick %u (%s, mode %d): rebuilt snapshot differs", cur->tick,
              proto_type_name(out.type), L->mode);
    L->rebuilt[cur->tick % RING] = got;
    L->rebuilt_valid[cur->tick % RING] = true;
    L->newest = cur->tick;

    /* The ack goes back (in the next INPUT), subject to the mode. */
    bool lost = L->mode == 3 || (L->mode == 1 && rng_below(3) == 0);
    if (!lost && L->pending < 16) {
        L->pending_ack[L->pending] = L->newest;
        L->pending_due[L->pending] = now + (L->mode == 2 ? (int)rng_below(40) : (int)rng_below(3));
        L->pending++;
    }
}

static void test_reconstruction_random(void)
{
    static link_model L[4];
    static proto_snapshot cur, next;
    long checked = 0;
    for (int round = 0; round < 8; round++) {
        memset(L, 0, sizeof L);
        for (int k = 0; k < 4; k++)
            L[k].mode = k;
        rand_snapshot(&cur, (uint32_t)rng_next() | 1); /* tick may wrap through 0 */
        for (int t = 0; t < 600; t++) {
            /* Sometimes nothing changes for a while (keepalives). */
            if (t % 100 < 70)
                rand_successor(&cur, &next, 1);
            else {
                next = cur;
                next.tick++;
            }
            cur = next;
            for (int k = 0; k < 4; k++) {
                L[k].world[cur.tick % RING] = cur;
                link_send(&L[k], &cur, t);
            }
            checked++;
        }
    }
    for (int k = 0; k < 4; k++)
        printf("random worlds, ack mode %d: %ld full, %ld delta, %ld keepalive (%ld skipped)\n", k, L[k].full,
               L[k].delta, L[k].keep, L[k].skipped);
    CHECK(L[0].delta > L[0].full && L[1].delta > 0 && L[2].delta > 0);
    CHECK(L[3].delta == 0 && L[3].keep == 0); /* never acked: always full */
    CHECK(L[0].keep > 0);
    printf("random worlds: %ld ticks x 4 ack patterns rebuilt exactly\n", checked);
}

/* A delta applied to a base other than its own is refused when the tick
 * does not match, and a base missing a player it changes is refused. */
static void test_wrong_base(void)
{
    static proto_snapshot a, b, c, out;
    rand_snapshot(&a, 100);
    rand_successor(&a, &b, 3);
    proto_snapshot_delta d;
    CHECK(delta_make(&a, &b, &d));
    CHECK(delta_apply(&a, &d, &out) && snap_equal(&out, &b));
    c = a;
    c.tick = 101;
    CHECK(!delta_apply(&c, &d, &out));
    CHECK(!delta_make(&b, &a, &d)); /* base newer than cur */
    c = a;
    c.tick = a.tick + 256;
    CHECK(!delta_make(&a, &c, &d)); /* too old for base_age */
    /* A NEW entry on top of a base that has the player. */
    memset(&a, 0, sizeof a);
    a.tick = 5;
    b = a;
    b.tick = 6;
    b.player_count = 1;
    b.players[0] = rand_player(7);
    CHECK(delta_make(&a, &b, &d) && d.entry_count == 1 && (d.entries[0].fields & PROTO_DF_NEW));
    CHECK(!delta_apply(&b, &(proto_snapshot_delta){.tick = 7, .base_age = 1, .entry_count = 1,
                                                    .entries[0] = d.entries[0]},
                       &out));
    /* Removing a player the base lacks. */
    proto_snapshot_delta rm = {.tick = 6, .base_age = 1, .entry_count = 1, .entries[0] = {.id = 3}};
    CHECK(!delta_apply(&a, &rm, &out));
    /* An unchanged gem the base does not have. */
    proto_snapshot_delta gem = {.tick = 6, .base_age = 1, .gem_count = 1};
    CHECK(!delta_apply(&a, &gem, &out));
    proto_keepalive k = {.tick = 6, .base_age = 2};
    CHECK(!delta_apply_keepalive(&a, &k, &out));
    k.base_age = 1;
    CHECK(delta_apply_keepalive(&a, &k, &out) && out.tick == 6);
}

/* ---- quantisation and prediction with the real simulation ---- */

/* Another player's box within a push or a dash of id's. */
static bool delta_test_crowded(const sim_world *w, int id)
{
    const sim_player *p = &w->players[id];
    int32_t lim = (2 * SIM_PLAYER_HALF + SIM_DASH_REACH + 2 * SIM_TOP_SPEED / SIM_FP) * SIM_FP; /* a dash reaches this far */
    for (int j = 0; j < SIM_MAX_PLAYERS; j++)
        if (j != id && w->players[j].active && abs(w->players[j].x - p->x) < lim && abs(w->players[j].y - p->y) < lim)
            return true;
    return false;
}

static bool delta_test_round_started(const sim_world *w)
{
    for (int i = 0; i < w->event_count; i++)
        if (w->events[i].type == SIM_EV_ROUND_START)
            return true;
    return false;
}

static void test_quantisation_and_prediction(void)
{
    static sim_world w, before;
    static bot_state bots[SIM_MAX_PLAYERS];
    static proto_snapshot ring[RING], got;
    sim_init(&w, 4321);
    const int n = 24;
    for (int i = 0; i < n; i++) {
        sim_add_player(&w, i);
        bot_init(&bots[i], 7u + (uint32_t)i);
    }
    long predicted = 0, mismatched = 0, moving = 0;
    int32_t max_err = 0;
    long bytes = 0, msgs = 0;
    for (int t = 0; t < 1800; t++) {
        uint8_t buttons[SIM_MAX_PLAYERS] = {0};
        for (int i = 0; i < n; i++)
            buttons[i] = bot_think(&bots[i], &w, i);
        if (t % 600 == 599) /* a leave and a rejoin now and then */
            sim_remove_player(&w, (int)rng_below(n));
        if (t % 600 == 300)
            for (int i = 0; i < n; i++)
                if (!w.players[i].active)
                    sim_add_player(&w, i);
        before = w;
        sim_step(&w, buttons);
        snap_from_world(&w, (uint32_t)t, &ring[w.tick % RING]);
        if (t < 8)
            continue;
        uint32_t age = 1 + rng_below(6);
        const proto_snapshot *base = &ring[(w.tick - age) % RING], *cur = &ring[w.tick % RING];
        static proto_msg m, out;
        m.type = PROTO_SNAPSHOT_DELTA;
        CHECK(delta_make(base, cur, &m.u.delta));
        bytes += (long)wire_trip(&m, &out);
        msgs++;
        CHECK(delta_apply(base, &out.u.delta, &got));
        CHECK(snap_equal(&got, cur));
        /* Rebuilt positions against the server's own state. */
        for (int i = 0; i < got.player_count; i++) {
            const proto_player_state *p = &got.players[i];
            const sim_player *sp = &w.players[p->id];
            int32_t ex = abs(p->x - sp->x), ey = abs(p->y - sp->y);
            max_err = ex > max_err ? ex : max_err;
            max_err = ey > max_err ? ey : max_err;
        }
        /* Prediction from the rebuilt previous state: the client steps
         * the state it rebuilt for the tick before with the same buttons
         * and must land exactly on the server's state. */
        static proto_snapshot prev;
        const proto_snapshot *pbase = &ring[(before.tick - 1) % RING];
        if (before.tick >= 2 && delta_make(pbase, &ring[before.tick % RING], &m.u.delta) &&
            delta_apply(pbase, &m.u.delta, &prev)) {
            for (int i = 0; i < prev.player_count; i++) {
                const proto_player_state *q = &prev.players[i];
                if (!w.players[q->id].active)
                    continue;
                /* Other players' pushes and a round's start are the
                 * host's to decide, not the player's own motion. */
                if (delta_test_crowded(&before, q->id) || delta_test_round_started(&w))
                    continue;
                sim_player sp = {.active = true, .x = q->x, .y = q->y, .vx = q->vx, .vy = q->vy,
                                 .facing = q->facing, .moving = q->moving, .step = q->step, .score = q->score,
                                 .dash = q->dash, .cooldown = q->cooldown, .stun = q->stun};
                sim_player_move(&sp, buttons[q->id]);
                const sim_player *truth = &w.players[q->id];
                predicted++;
                moving += truth->moving;
                if (sp.x != truth->x || sp.y != truth->y || sp.vx != truth->vx || sp.vy != truth->vy ||
                    sp.facing != truth->facing || sp.step != truth->step)
                    mismatched++;
            }
        }
    }
    printf("quantisation: max |rebuilt - server| = %d (bound %d, 1/256 px); %ld predictions (%ld moving), %ld "
           "mismatched; %.1f bytes per delta for %d bots\n",
           max_err, DELTA_QUANT_ERROR_FP, predicted, moving, mismatched, (double)bytes / (double)msgs, n);
    CHECK(max_err <= DELTA_QUANT_ERROR_FP);
    CHECK(predicted > 10000 && moving > 1000);
    CHECK(mismatched == 0);
}

/* ---- live: server thread and clients over loopback ---- */

typedef struct {
    server_stats st;
    long compared, mismatched;
    bool all_playing;
} live_result;

/* Runs a server and `count` clients for about `secs` s; bots move for the
 * first half, then everyone stands still. Every client view is compared
 * with the server's world at equal ticks. */
static live_result live_run(bool no_delta, int count, double secs)
{
    live_result r = {0};
    char err[256];
    server_config sc = server_default_config();
    sc.port = 0;
    sc.seed = 77;
    sc.no_delta = no_delta;
    server *srv = server_start(&sc, err, sizeof err);
    CHECK_MSG(srv != NULL, "%s", err);
    if (!srv)
        return r;
    enum { MAXC = 4, WRING = 256 };
    client *cl[MAXC];
    bot_state ai[MAXC];
    static sim_world ring[WRING];
    uint32_t last[MAXC] = {0};
    memset(ring, 0, sizeof ring); /* a previous run's ticks must not match */
    for (int i = 0; i < count; i++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "127.0.0.1");
        nc.port = server_port(srv);
        snprintf(nc.name, sizeof nc.name, "Live %d", i);
        cl[i] = client_create(&nc, 0);
        bot_init(&ai[i], 5u + (uint32_t)i);
    }
    const uint64_t freq = SDL_GetPerformanceFrequency(), t0 = SDL_GetPerformanceCounter();
    sim_world w;
    for (int iter = 0; iter < 100000; iter++) { /* bounded; the clock ends it first */
        uint64_t now_us = (SDL_GetPerformanceCounter() - t0) * 1000000 / freq;
        if (now_us > (uint64_t)(secs * 1e6))
            break;
        bool moving = now_us < (uint64_t)(secs * 0.5e6);
        server_get_world(srv, &w);
        ring[w.tick % WRING] = w;
        for (int i = 0; i < count; i++) {
            const client_view *v = client_get_view(cl[i]);
            uint8_t b = 0;
            if (moving && v->my_id >= 0) {
                sim_world cw;
                client_view_to_world(v, &cw);
                b = bot_think(&ai[i], &cw, v->my_id);
            }
            client_update(cl[i], now_us, b);
            v = client_get_view(cl[i]);
            uint32_t t = v->server_tick;
            /* WELCOME sets server_tick before any snapshot: wait for one. */
            if (v->my_id < 0 || !v->players[v->my_id].seen || t == last[i] || ring[t % WRING].tick != t)
                continue;
            last[i] = t;
            for (int p = 0; p < SIM_MAX_PLAYERS; p++) {
                const sim_player *a = &ring[t % WRING].players[p], *c = &v->players[p].state;
                if (a->active != c->active) {
                    r.mismatched++;
                    continue;
                }
                if (!a->active)
                    continue;
                r.compared++;
                if (a->x != c->x || a->y != c->y || a->vx != c->vx || a->vy != c->vy || a->score != c->score ||
                    a->step != c->step || a->facing != c->facing)
                    r.mismatched++;
            }
        }
        SDL_Delay(1);
    }
    r.all_playing = true;
    for (int i = 0; i < count; i++) {
        char why[256];
        if (client_get_phase(cl[i], why, sizeof why) != CLIENT_PLAYING) {
            r.all_playing = false;
            fprintf(stderr, "client %d: %s\n", i, why);
        }
    }
    r.st = server_get_stats(srv);
    for (int i = 0; i < count; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);
    return r;
}

static void test_live(void)
{
    live_result d = live_run(false, 3, 5.0); /* 2.5 s still: several KEEPALIVEs reach the 1 s stats */
    printf("live, delta: %ld states compared, %ld mismatched; sent %u full, %u delta, %u keepalive\n", d.compared,
           d.mismatched, d.st.full_sent, d.st.delta_sent, d.st.keepalive_sent);
    CHECK(d.all_playing);
    CHECK(d.compared > 300 && d.mismatched == 0);
    CHECK(d.st.delta_sent > 10 * d.st.full_sent);
    CHECK(d.st.keepalive_sent > 0);
    /* Idle half: keepalives only every few ticks, so far fewer messages
     * than ticks x clients (generous: CPU contention can stretch ticks). */
    CHECK(d.st.delta_sent + d.st.keepalive_sent + d.st.full_sent < (uint32_t)(3 * d.st.tick * 0.9));

    live_result f = live_run(true, 2, 2.0);
    printf("live, --no-delta: %ld states compared, %ld mismatched; sent %u full, %u delta, %u keepalive\n",
           f.compared, f.mismatched, f.st.full_sent, f.st.delta_sent, f.st.keepalive_sent);
    CHECK(f.all_playing);
    CHECK(f.compared > 100 && f.mismatched == 0);
    CHECK(f.st.delta_sent == 0 && f.st.keepalive_sent == 0 && f.st.full_sent > 100);
}

int main(void)
{
    rng_state = 0x44454C5441u; /* this suite's fixed seed */
    log_set_level(LOG_ERROR); /* refusals are logged; this test provokes many */
    SDL_Init(SDL_INIT_TIMER | SDL_INIT_EVENTS);
    test_golden();
    test_codec_random();
    test_ranges();
    test_mutations();
    test_wrong_base();
    test_reconstruction_random();
    test_quantisation_and_prediction();
    test_live();
    SDL_Quit();
    return check_done("delta");
}
