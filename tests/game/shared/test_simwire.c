/*
 * test_simwire: the one conversion between sim players and wire records.
 * A world run for a while with random buttons goes into a SNAPSHOT,
 * through the encoder and decoder, and back into sim players equal to the
 * world's, field for field; the snapshot lists exactly the active players
 * by ascending id and the active gems, and its size is what
 * PROTO_SNAPSHOT_SIZE says. Players at the edges of every field's range
 * round-trip too.
 */
#include <string.h>

#include "check.h"
#include "log.h"
#include "proto.h"
#include "sim.h"
#include "simwire.h"

#include "testrng.h"

static bool same_player(const sim_player *a, const sim_player *b)
{
    return a->active == b->active && a->x == b->x && a->y == b->y && a->vx == b->vx && a->vy == b->vy &&
           a->facing == b->facing && a->moving == b->moving && a->step == b->step && a->score == b->score;
}

static void test_world_through_the_wire(void)
{
    static sim_world w;
    static proto_msg m, back;
    static uint8_t buf[PROTO_MAX_MESSAGE_SIZE];
    sim_init(&w, 1234);
    for (int id = 0; id < SIM_MAX_PLAYERS; id += 1 + (int)rng_below(3))
        sim_add_player(&w, id);
    sim_remove_player(&w, 7);
    int checked = 0;
    for (int tick = 0; tick < 400; tick++) {
        uint8_t buttons[SIM_MAX_PLAYERS];
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            buttons[i] = (uint8_t)(rng_next() & SIM_BTN_MASK);
        sim_step(&w, buttons);
        if (tick % 40 != 39)
            continue;

        memset(&m, 0, sizeof m);
        m.type = PROTO_SNAPSHOT;
        m.u.snapshot.ack_seq = 77;
        simwire_world_to_snapshot(&w, &m.u.snapshot);
        const proto_snapshot *s = &m.u.snapshot;
        CHECK(s->tick == w.tick && s->ack_seq == 77);

        int active = 0, prev = -1, order_ok = 1;
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            active += w.players[i].active;
        for (int i = 0; i < s->player_count; i++) {
            order_ok &= s->players[i].id > prev;
            prev = s->players[i].id;
        }
        CHECK(s->player_count == active && order_ok);
        int gems = 0;
        for (int i = 0; i < SIM_MAX_GEMS; i++)
            gems += w.gems[i].active;
        CHECK(s->gem_count == gems && gems > 0);

        size_t n = proto_encode(&m, buf, sizeof buf);
        CHECK_MSG(n == PROTO_SNAPSHOT_SIZE(s->player_count, s->gem_count), "encoded %zu bytes", n);
        CHECK(proto_decode(buf, n, &back) == PROTO_OK);

        static sim_player rebuilt[SIM_MAX_PLAYERS];
        memset(rebuilt, 0, sizeof rebuilt);
        for (int i = 0; i < back.u.snapshot.player_count; i++)
            rebuilt[back.u.snapshot.players[i].id] = simwire_player_from_wire(&back.u.snapshot.players[i]);
        int differ = 0;
        for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
            sim_player want = w.players[i].active ? w.players[i] : (sim_player){0};
            differ += !same_player(&rebuilt[i], &want);
        }
        CHECK_MSG(differ == 0, "tick %u: %d players differ after the wire", w.tick, differ);

        sim_gem g[SIM_MAX_GEMS];
        int gn = simwire_gems_from_snapshot(&back.u.snapshot, g);
        int k = 0, gems_ok = gn == gems;
        for (int i = 0; i < SIM_MAX_GEMS && gems_ok; i++) {
            if (!w.gems[i].active)
                continue;
            gems_ok = g[k].active && g[k].x == w.gems[i].x && g[k].y == w.gems[i].y;
            k++;
        }
        CHECK(gems_ok);
        checked++;
    }
    CHECK(checked == 10);
}

/* Every field at the ends of its range, one player each. */
static void test_edges_round_trip(void)
{
    const sim_player edges[] = {
        {.active = true, .x = INT32_MIN, .y = INT32_MAX, .vx = -SIM_MAX_SPEED, .vy = SIM_MAX_SPEED,
         .facing = SIM_FACE_RIGHT, .moving = 1, .step = 255, .score = UINT16_MAX},
        {.active = true, .x = 0, .y = 0, .vx = 0, .vy = 0, .facing = SIM_FACE_DOWN, .moving = 0, .step = 0,
         .score = 0},
        {.active = true, .x = -1, .y = 1, .vx = 1, .vy = -1, .facing = SIM_FACE_COUNT - 1, .moving = 1, .step = 1,
         .score = 1},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        proto_player_state ps = simwire_player_to_wire(&edges[i], SIM_MAX_PLAYERS - 1);
        CHECK(ps.id == SIM_MAX_PLAYERS - 1);
        sim_player back = simwire_player_from_wire(&ps);
        CHECK_MSG(same_player(&back, &edges[i]), "edge player %zu", i);
    }
}

int main(void)
{
    log_set_level(LOG_ERROR);
    rng_state = 0x51B1E;
    test_world_through_the_wire();
    test_edges_round_trip();
    return check_done("test_simwire");
}
