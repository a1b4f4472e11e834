/*
 * test_lagcomp: the server judges a dash against where the dasher saw the
 * victim, from a recorded history of positions, within 200 ms.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "lagcomp.h"
#include "sim.h"

#define PX SIM_FP

static lagcomp lc;
static sim_world w;

/* A row of floor tiles wide enough for the runs below. */
static void test_floor_row(int32_t *x0, int32_t *y)
{
    for (int ty = 1; ty < SIM_MAP_H - 1; ty++) {
        int run = 0;
        for (int tx = 1; tx < SIM_MAP_W - 1; tx++) {
            bool clear = !sim_is_wall(tx, ty) && !sim_is_wall(tx, ty - 1) && !sim_is_wall(tx, ty + 1);
            run = clear ? run + 1 : 0;
            if (run == 14) {
                *x0 = ((tx - 13) * SIM_TILE + SIM_TILE / 2) * PX;
                *y = (ty * SIM_TILE + SIM_TILE / 2) * PX;
                return;
            }
        }
    }
    *x0 = *y = 0;
}

static void test_view_q(void)
{
    CHECK(lagcomp_view_q(100, 95, 8) == 95 * 4 - 8);
    CHECK(lagcomp_view_q(100, 100, 0) == 400);
    /* Bounded at 200 ms = 12 ticks. */
    CHECK(LAGCOMP_MAX_REWIND_Q == 48);
    CHECK(lagcomp_view_q(100, 80, 0) == 400 - 48);
    CHECK(lagcomp_view_q(100, 99, 255) == 400 - 48);
    /* Nothing from the future, nothing below 0. */
    CHECK(lagcomp_view_q(100, 150, 0) == 400);
    CHECK(lagcomp_view_q(5, 0, 9) == 0);
    /* Another bound, for comparison; never past LAGCOMP_LIMIT_MS. */
    CHECK(lagcomp_view_q_within(100, 80, 0, 250) == 400 - 60);
    CHECK(lagcomp_view_q_within(100, 80, 0, 0) == 400 - 48);
    CHECK(lagcomp_view_q_within(100, 10, 0, 9999) == 400 - LAGCOMP_LIMIT_MS * 60 * 4 / 1000);
}

/* A history of a victim walking right at 2 px a tick. */
static void test_record_walk(int32_t x0, int32_t y, int ticks)
{
    sim_init(&w, 3);
    sim_match_config(&w, 0, 0);
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        w.gems[i].active = false;
    sim_add_player(&w, 1);
    w.players[1].x = x0;
    w.players[1].y = y;
    w.players[1].vx = SIM_MAX_SPEED;
    lagcomp_init(&lc, true, 0);
    lagcomp_record(&lc, &w);
    uint8_t b[SIM_MAX_PLAYERS] = {0};
    b[1] = SIM_BTN_RIGHT;
    for (int t = 0; t < ticks; t++) {
        sim_step(&w, b);
        lagcomp_record(&lc, &w);
    }
}

static void test_positions(void)
{
    int32_t x0, y;
    test_floor_row(&x0, &y);
    CHECK(x0 > 0);
    test_record_walk(x0, y, 20);
    int32_t x, yy;
    CHECK(lagcomp_position(&lc, 1, 14 * 4, &x, &yy) && x == x0 + 14 * 2 * PX && yy == y);
    /* Between ticks: linear, as the client's interpolation draws it. */
    CHECK(lagcomp_position(&lc, 1, 14 * 4 + 2, &x, &yy) && x == x0 + 14 * 2 * PX + PX);
    CHECK(lagcomp_position(&lc, 1, 14 * 4 + 1, &x, &yy) && x == x0 + 14 * 2 * PX + PX / 2);
    /* Past the newest: the newest. */
    CHECK(lagcomp_position(&lc, 1, 25 * 4, &x, &yy) && x == x0 + 20 * 2 * PX);
    /* Nobody recorded in that slot. */
    CHECK(!lagcomp_position(&lc, 7, 14 * 4, &x, &yy));
    CHECK(!lagcomp_position(&lc, -1, 14 * 4, &x, &yy));
    /* Older than the ring: its oldest tick. */
    test_record_walk(x0, y, 40);
    CHECK(lagcomp_position(&lc, 1, 2 * 4, &x, &yy) && x == x0 + (40 - LAGCOMP_HISTORY + 1) * 2 * PX);
}

static void test_judge(void)
{
    int32_t x0, y;
    test_floor_row(&x0, &y);
    test_record_walk(x0, y, 20);
    /* The dasher stands on where the victim was at tick 12; the victim is
     * now 16 px further on, out of reach. */
    sim_add_player(&w, 0);
    w.players[0].x = x0 + 12 * 2 * PX;
    w.players[0].y = y;
    CHECK(!sim_dash_reaches(&w, 0, 1, NULL));

    lagcomp_set_view(&lc, w.tick, 0, lagcomp_view_q(w.tick, 17, 20)); /* saw tick 12 */
    CHECK(lagcomp_judge(&w, 0, 1, &lc));
    /* Lag compensation off: judged where the victim is now. */
    lc.enabled = false;
    CHECK(!lagcomp_judge(&w, 0, 1, &lc));
    lc.enabled = true;
    /* Seen too long ago: bounded to 200 ms (tick 8), a miss. */
    w.players[0].x = x0 + 2 * 2 * PX - 8 * PX; /* reaches tick 2's victim, not tick 8's */
    lagcomp_set_view(&lc, w.tick, 0, lagcomp_view_q(w.tick, 2, 0));
    CHECK(lc.view_q[0] == 8 * 4);
    CHECK(!lagcomp_judge(&w, 0, 1, &lc));
    w.players[0].x = x0 + 8 * 2 * PX;
    CHECK(lagcomp_judge(&w, 0, 1, &lc));
}

/* The whole rule: a dash in sim_step_judged lands on the rewound victim. */
static void test_dash_rewound(void)
{
    int32_t x0, y;
    test_floor_row(&x0, &y);
    for (int on = 0; on <= 1; on++) {
        test_record_walk(x0 + 40 * PX, y, 20);
        lc.enabled = on;
        sim_add_player(&w, 0);
        /* The victim at tick 12 was 24 px ahead of the dasher. */
        w.players[0].x = x0 + 40 * PX + 12 * 2 * PX - 26 * PX;
        w.players[0].y = y;
        w.players[0].facing = SIM_FACE_RIGHT;
        uint8_t b[SIM_MAX_PLAYERS] = {0};
        b[0] = SIM_BTN_DASH | SIM_BTN_RIGHT;
        b[1] = SIM_BTN_RIGHT;
        int hits = 0;
        for (int t = 0; t < 4; t++) {
            /* Each input: the client saw the others 8 ticks back. */
            lagcomp_set_view(&lc, w.tick, 0, (w.tick - 8) * 4);
            sim_step_judged(&w, b, lagcomp_judge, &lc);
            lagcomp_record(&lc, &w);
            for (int i = 0; i < w.event_count; i++)
                hits += w.events[i].type == SIM_EV_HIT && w.events[i].a == 0 && w.events[i].b == 1;
        }
        CHECK_MSG(hits == on, "lag compensation %s: %d hits", on ? "on" : "off", hits);
    }
}

int main(void)
{
    test_view_q();
    test_positions();
    test_judge();
    test_dash_rewound();
    return check_done("lagcomp");
}
