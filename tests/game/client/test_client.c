/*
 * client: a detached client (no connection) fed the host's messages with
 * client_feed, the very path client_update takes for a connected one.
 *
 *  - A welcomed client plays: snapshots, deltas and keep-alives rebuild
 *    the world, inputs are predicted, remote players are interpolated.
 *  - An update the client cannot apply fails it with a sentence a player
 *    can read, and that first reason sticks: later snapshots, keep-alives,
 *    a second WELCOME and more frames neither change it nor bring the
 *    phase back to playing.
 *  - The hostile ack pair (huge, then small, in one frame's messages)
 *    costs no more than a frame.
 * The same failure over a real connection, with the reason the headless
 * binary prints, is tests/system/test_hostile_host.c.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "client.h"
#include "delta.h"

#define TICK_US 16667
#define SENTENCE "The host sent an update this game could not apply."

static uint64_t now_us = 1000000;

static proto_msg welcome(uint8_t id)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_WELCOME;
    m.u.welcome.player_id = id;
    m.u.welcome.tick_rate = SIM_TICK_HZ;
    m.u.welcome.max_players = 8;
    m.u.welcome.server_tick = 100;
    m.u.welcome.token = 77;
    return m;
}

/* Players 0 and 1 on open floor, player 1 walking right. */
static void world_at(proto_snapshot *s, uint32_t tick, uint32_t ack)
{
    memset(s, 0, sizeof *s);
    s->tick = tick;
    s->ack_seq = ack;
    s->player_count = 2;
    for (int i = 0; i < 2; i++) {
        proto_player_state *p = &s->players[i];
        p->id = (uint8_t)i;
        p->x = (40 + 20 * i) * SIM_FP + (i == 1 ? (int32_t)(tick - 100) * SIM_MAX_SPEED : 0);
        p->y = (8 * SIM_TILE + SIM_TILE / 2) * SIM_FP;
        p->vx = (int16_t)(i == 1 ? SIM_MAX_SPEED : 0);
        p->moving = i == 1;
        p->facing = PROTO_FACE_COUNT - 1;
    }
    s->gem_count = 1;
    s->gems[0].x = 100;
    s->gems[0].y = 100;
}

static proto_msg snapshot_msg(const proto_snapshot *s)
{
    static proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT;
    m.u.snapshot = *s;
    return m;
}

static void frame(client *c, uint8_t buttons)
{
    now_us += TICK_US;
    client_update(c, now_us, buttons);
}

static void feed(client *c, const proto_msg *m)
{
    client_feed(c, m, now_us);
}

static client *joined_client(proto_snapshot *last)
{
    client *c = client_create_detached(NULL, now_us);
    CHECK(c != NULL);
    char why[200];
    CHECK(client_get_phase(c, why, sizeof why) == CLIENT_CONNECTING);
    proto_msg w = welcome(0);
    feed(c, &w);
    for (uint8_t i = 0; i < 2; i++) {
        proto_msg j;
        memset(&j, 0, sizeof j);
        j.type = PROTO_PLAYER_JOINED;
        j.u.joined.id = i;
        snprintf(j.u.joined.name, sizeof j.u.joined.name, "P%d", i);
        j.u.joined.name_len = 2;
        feed(c, &j);
    }
    for (uint32_t t = 100; t < 130; t++) {
        world_at(last, t, t > 102 ? t - 102 : 0);
        proto_msg m = snapshot_msg(last);
        feed(c, &m);
        frame(c, 0);
    }
    return c;
}

static void test_plays(void)
{
    proto_snapshot last, next;
    client *c = joined_client(&last);
    char why[200];
    CHECK(client_get_phase(c, why, sizeof why) == CLIENT_PLAYING);
    const client_view *v = client_get_view(c);
    CHECK(v->my_id == 0 && v->server_tick == 129 && v->reconnect_token == 77);
    CHECK(v->players[1].present && v->players[1].seen && strcmp(v->players[1].name, "P1") == 0);
    CHECK(v->gem_count == 1);

    /* A delta and a keep-alive against the last snapshot rebuild it. */
    world_at(&next, 131, 28);
    static proto_msg d;
    memset(&d, 0, sizeof d);
    d.type = PROTO_SNAPSHOT_DELTA;
    CHECK(delta_make(&last, &next, &d.u.delta));
    feed(c, &d);
    frame(c, SIM_BTN_RIGHT);
    CHECK(v->server_tick == 131 && v->players[1].state.x == next.players[1].x);
    proto_msg k = {.type = PROTO_KEEPALIVE};
    k.u.keepalive.tick = 133;
    k.u.keepalive.base_age = 2;
    k.u.keepalive.ack_seq = 30;
    feed(c, &k);
    frame(c, SIM_BTN_RIGHT);
    CHECK(v->server_tick == 133 && v->ack_seq == 30);
    /* The remote player is drawn between snapshots, on its row. */
    CHECK(fabsf(v->players[1].draw_y - (float)next.players[1].y / SIM_FP) < 0.01f);
    CHECK(client_get_phase(c, why, sizeof why) == CLIENT_PLAYING && why[0] == '\0');
    client_destroy(c, PROTO_BYE_QUIT);
}

static void test_failure_sticks(void)
{
    proto_snapshot last;
    client *c = joined_client(&last);
    /* A delta from a base the client never had. */
    static proto_msg bad;
    memset(&bad, 0, sizeof bad);
    bad.type = PROTO_SNAPSHOT_DELTA;
    bad.u.delta.tick = 200;
    bad.u.delta.base_age = 5;
    feed(c, &bad);
    frame(c, 0);
    char why[200];
    CHECK(client_get_phase(c, why, sizeof why) == CLIENT_FAILED);
    CHECK_MSG(strcmp(why, SENTENCE) == 0, "why: '%s'", why);
    uint32_t tick_at_failure = client_get_view(c)->server_tick;

    /* Everything after: a full snapshot, a keep-alive on a base it has, a
     * WELCOME, a goodbye, and a few seconds of frames. */
    proto_snapshot s;
    world_at(&s, 300, 1);
    proto_msg m = snapshot_msg(&s);
    feed(c, &m);
    proto_msg k = {.type = PROTO_KEEPALIVE};
    k.u.keepalive.tick = 301;
    k.u.keepalive.base_age = 1;
    feed(c, &k);
    proto_msg w = welcome(3);
    feed(c, &w);
    proto_msg bye = proto_make_goodbye(PROTO_BYE_HOST_ENDED);
    feed(c, &bye);
    for (int f = 0; f < 200; f++)
        frame(c, SIM_BTN_UP);
    CHECK(client_get_phase(c, why, sizeof why) == CLIENT_FAILED);
    CHECK_MSG(strcmp(why, SENTENCE) == 0, "why after more messages: '%s'", why);
    CHECK(client_get_view(c)->my_id == 0);
    CHECK(client_get_view(c)->server_tick == tick_at_failure);
    CHECK(!client_ended_cleanly(c));
    CHECK(!client_send_chat(c, "hello"));
    client_destroy(c, PROTO_BYE_QUIT);
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hostile_acks(void)
{
    proto_snapshot last;
    client *c = joined_client(&last);
    for (int f = 0; f < 10; f++)
        frame(c, SIM_BTN_DOWN);
    double t0 = cpu_s();
    uint32_t tick = 140;
    for (int pair = 0; pair < 10; pair++) {
        proto_snapshot s;
        world_at(&s, tick++, UINT32_MAX - (uint32_t)pair);
        proto_msg m = snapshot_msg(&s);
        feed(c, &m);
        world_at(&s, tick++, (uint32_t)pair);
        m = snapshot_msg(&s);
        feed(c, &m);
        frame(c, SIM_BTN_DOWN);
    }
    double spent = cpu_s() - t0;
    CHECK_MSG(spent < 2.0, "10 hostile ack pairs took %.1f s of CPU", spent);
    char why[200];
    CHECK(client_get_phase(c, why, sizeof why) == CLIENT_PLAYING);
    const client_view *v = client_get_view(c);
    CHECK(isfinite(v->players[0].draw_x) && isfinite(v->players[0].draw_y));
    client_destroy(c, PROTO_BYE_QUIT);
}

int main(void)
{
    test_plays();
    test_failure_sticks();
    test_hostile_acks();
    return check_done("test_client");
}
