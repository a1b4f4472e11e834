/*
 * test_match: the rules players share: solid bodies, the dash and its
 * knockback and dropped point, the hit judge, and the match (warmup,
 * countdown, rounds by time and by score, intermission, next round).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sim.h"

#define TILE_FP (SIM_TILE * SIM_FP)
#define HALF_FP (SIM_PLAYER_HALF * SIM_FP)

static uint32_t test_rng(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

/* Centre (fp) of an open floor square of side 2r+1 tiles. */
static void test_open_spot(int r, int32_t *x, int32_t *y)
{
    CHECK(r <= 3); /* the map has no wider open square */
    for (int ty = 0; ty < SIM_MAP_H; ty++) {
        for (int tx = 0; tx < SIM_MAP_W; tx++) {
            bool open = true;
            for (int yy = ty - r; yy <= ty + r && open; yy++)
                for (int xx = tx - r; xx <= tx + r && open; xx++)
                    open = !sim_is_wall(xx, yy);
            if (open) {
                *x = (tx * SIM_TILE + SIM_TILE / 2) * SIM_FP;
                *y = (ty * SIM_TILE + SIM_TILE / 2) * SIM_FP;
                return;
            }
        }
    }
    *x = *y = 0;
}

static bool test_overlap(const sim_player *a, const sim_player *b)
{
    return abs(a->x - b->x) < 2 * HALF_FP && abs(a->y - b->y) < 2 * HALF_FP;
}

static int test_count_events(const sim_world *w, uint8_t type)
{
    int n = 0;
    for (int i = 0; i < w->event_count; i++)
        n += w->events[i].type == type;
    return n;
}

static bool test_hits_wall(const sim_player *p)
{
    for (int32_t y = p->y - HALF_FP; y < p->y + HALF_FP; y += HALF_FP)
        for (int32_t x = p->x - HALF_FP; x < p->x + HALF_FP; x += HALF_FP)
            if (sim_is_wall(x / TILE_FP, y / TILE_FP))
                return true;
    return sim_is_wall((p->x + HALF_FP - 1) / TILE_FP, (p->y + HALF_FP - 1) / TILE_FP);
}

/* A world with the match already playing and no time limit, so rules
 * tests are not interrupted by a round start. */
static void test_playing_world(sim_world *w, uint32_t seed, int players)
{
    sim_init(w, seed);
    sim_match_config(w, 0, 0);
    for (int id = 0; id < players; id++)
        sim_add_player(w, id);
    sim_match_start(w);
    for (int t = 0; t < SIM_COUNTDOWN_TICKS + 1 && w->match.phase != SIM_PHASE_PLAYING; t++)
        sim_step(w, NULL);
}

static void test_solid(void)
{
    static sim_world w;
    int32_t cx, cy;
    test_open_spot(3, &cx, &cy);

    /* Stacked exactly: pushed apart within a tick, the lower id left. */
    test_playing_world(&w, 5, 2);
    CHECK(w.match.phase == SIM_PHASE_PLAYING);
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        w.gems[i].active = false; /* nothing to pick up here */
    w.players[0].x = w.players[1].x = cx;
    w.players[0].y = w.players[1].y = cy;
    sim_step(&w, NULL);
    CHECK_MSG(!test_overlap(&w.players[0], &w.players[1]), "%d,%d %d,%d", w.players[0].x, w.players[0].y,
              w.players[1].x, w.players[1].y);
    CHECK(w.players[0].x < w.players[1].x);
    CHECK(w.players[0].x + w.players[1].x == 2 * cx); /* half each */

    /* Walking into each other: they stop touching, never overlapping. */
    w.players[0].x = cx - 6 * SIM_TILE * SIM_FP / 2;
    w.players[1].x = cx + 6 * SIM_TILE * SIM_FP / 2;
    w.players[0].y = w.players[1].y = cy;
    uint8_t b[SIM_MAX_PLAYERS] = {0};
    b[0] = SIM_BTN_RIGHT;
    b[1] = SIM_BTN_LEFT;
    int overlaps = 0;
    for (int t = 0; t < 120; t++) {
        sim_step(&w, b);
        overlaps += test_overlap(&w.players[0], &w.players[1]);
    }
    CHECK_MSG(overlaps == 0, "%d ticks overlapping", overlaps);
    CHECK(w.players[1].x - w.players[0].x == 2 * HALF_FP); /* flush */
    CHECK(w.players[0].x + w.players[1].x == 2 * cx);     /* neither wins a shoving match */

    /* Pushed against a wall: the pushed one stays out of the wall, the
     * pusher is held off. */
    int32_t wall_x = 0;
    for (int tx = (int)(cx / TILE_FP); tx < SIM_MAP_W; tx++) {
        if (sim_is_wall(tx, (int)(cy / TILE_FP))) {
            wall_x = tx * TILE_FP;
            break;
        }
    }
    CHECK(wall_x > 0);
    w.players[0].x = wall_x - 40 * SIM_FP;
    w.players[1].x = wall_x - HALF_FP;
    w.players[0].y = w.players[1].y = cy;
    b[0] = SIM_BTN_RIGHT;
    b[1] = 0;
    int bad = 0;
    for (int t = 0; t < 120; t++) {
        sim_step(&w, b);
        bad += test_hits_wall(&w.players[0]) || test_hits_wall(&w.players[1]);
    }
    CHECK(bad == 0);
    CHECK(!test_overlap(&w.players[0], &w.players[1]));

    /* A crowd of every player, random walking: nobody in a wall, and
     * two worlds stay equal (the order is fixed). */
    static sim_world a, c;
    test_playing_world(&a, 77, SIM_MAX_PLAYERS);
    c = a;
    uint32_t rng = 99;
    int walls = 0;
    for (int t = 0; t < 600; t++) {
        uint8_t bb[SIM_MAX_PLAYERS];
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            bb[i] = (uint8_t)(test_rng(&rng) & 31);
        sim_step(&a, bb);
        sim_step(&c, bb);
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            walls += test_hits_wall(&a.players[i]);
    }
    CHECK_MSG(walls == 0, "%d player-ticks in a wall", walls);
    CHECK(memcmp(a.players, c.players, sizeof a.players) == 0 && memcmp(a.gems, c.gems, sizeof a.gems) == 0);
}

static void test_dash(void)
{
    static sim_world w;
    int32_t cx, cy;
    test_open_spot(3, &cx, &cy);

    /* Alone: the dash runs SIM_DASH_TICKS at dash speed, then cools down. */
    sim_player p;
    memset(&p, 0, sizeof p);
    p.active = true;
    p.x = cx;
    p.y = cy;
    p.facing = SIM_FACE_RIGHT;
    sim_player_move(&p, SIM_BTN_DASH);
    CHECK(p.vx == SIM_DASH_SPEED && p.vy == 0 && p.x == cx + SIM_DASH_SPEED);
    CHECK(p.dash == SIM_DASH_TICKS - 1 && p.cooldown == SIM_DASH_COOLDOWN);
    for (int t = 1; t < SIM_DASH_TICKS; t++)
        sim_player_move(&p, 0); /* the dash carries on without the key */
    CHECK(p.x == cx + SIM_DASH_TICKS * SIM_DASH_SPEED && p.dash == 0);
    sim_player_move(&p, 0);
    CHECK(p.vx <= SIM_MAX_SPEED); /* back under the normal cap at once */
    /* Holding the key does not dash again until the cooldown is over. */
    int dashes = 0;
    for (int t = SIM_DASH_TICKS + 1; t < SIM_DASH_COOLDOWN + 30; t++) {
        uint8_t before = p.dash;
        sim_player_move(&p, SIM_BTN_DASH | SIM_BTN_LEFT);
        if (before == 0 && p.dash > 0) {
            dashes++;
            CHECK_MSG(t == SIM_DASH_COOLDOWN, "second dash at tick %d", t);
            CHECK(p.vx == -SIM_DASH_SPEED); /* in the held direction */
        }
    }
    CHECK(dashes == 1);
    /* Diagonal dashes are not faster. */
    memset(&p, 0, sizeof p);
    p.active = true;
    p.x = cx;
    p.y = cy;
    sim_player_move(&p, SIM_BTN_DASH | SIM_BTN_DOWN | SIM_BTN_RIGHT);
    CHECK((int64_t)p.vx * p.vx + (int64_t)p.vy * p.vy <= (int64_t)SIM_DASH_SPEED * SIM_DASH_SPEED && p.vx > 0 &&
          p.vx == p.vy);

    /* Prediction replays a dash exactly: sim_player_move alone equals
     * sim_step for a player nobody else touches. */
    test_playing_world(&w, 3, 1);
    sim_player copy = w.players[0];
    uint32_t rng = 5;
    int differ = 0;
    for (int t = 0; t < 3000; t++) {
        uint8_t b[SIM_MAX_PLAYERS] = {0};
        b[0] = (uint8_t)(test_rng(&rng) & 31);
        sim_step(&w, b);
        sim_player_move(&copy, b[0]);
        copy.score = w.players[0].score; /* gems are the server's */
        differ += memcmp(&copy, &w.players[0], sizeof copy) != 0;
    }
    CHECK_MSG(differ == 0, "%d ticks differ", differ);

    /* A dash event on the tick it starts, once. */
    test_playing_world(&w, 4, 1);
    uint8_t b[SIM_MAX_PLAYERS] = {0};
    b[0] = SIM_BTN_DASH;
    sim_step(&w, b);
    CHECK(test_count_events(&w, SIM_EV_DASH) == 1 && w.events[0].a == 0);
    sim_step(&w, b);
    CHECK(test_count_events(&w, SIM_EV_DASH) == 0);
}

static bool test_judge_never(const sim_world *w, int a, int b, void *ctx)
{
    (void)w, (void)a, (void)b;
    (*(int *)ctx)++;
    return false;
}

static bool test_judge_always(const sim_world *w, int a, int b, void *ctx)
{
    (void)w, (void)a, (void)b, (void)ctx;
    return true;
}

static void test_hit(void)
{
    static sim_world w;
    int32_t cx, cy;
    test_open_spot(3, &cx, &cy);
    test_playing_world(&w, 6, 3);
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        w.gems[i].active = false;
    sim_player *a = &w.players[0], *v = &w.players[1], *o = &w.players[2];
    a->x = cx - 20 * SIM_FP;
    a->y = cy;
    v->x = cx;
    v->y = cy;
    v->score = 3;
    o->x = cx + 30 * SIM_FP; /* just past where the point drops */
    o->y = cy - 2 * SIM_TILE * SIM_FP;
    uint8_t b[SIM_MAX_PLAYERS] = {0};
    b[0] = SIM_BTN_DASH | SIM_BTN_RIGHT;
    int hit_tick = -1;
    sim_event hit = {0};
    for (int t = 0; t < 6 && hit_tick < 0; t++) {
        sim_step(&w, b);
        b[0] = SIM_BTN_RIGHT;
        for (int i = 0; i < w.event_count; i++)
            if (w.events[i].type == SIM_EV_HIT) {
                hit = w.events[i];
                hit_tick = t;
            }
    }
    CHECK_MSG(hit_tick >= 0, "the dash never landed");
    CHECK(hit.a == 0 && hit.b == 1 && hit.drop == 1);
    CHECK(v->stun == SIM_STUN_TICKS && v->vx == SIM_KNOCK_SPEED && v->vy == 0);
    CHECK(v->score == 2);
    /* The point lies where the victim was hit, in a drop slot. */
    int drops = 0;
    for (int i = SIM_ACTIVE_GEMS; i < SIM_MAX_GEMS; i++)
        if (w.gems[i].active && w.gems[i].x == hit.x && w.gems[i].y == hit.y)
            drops++;
    CHECK(drops == 1);

    /* Tumbling: immune to more hits, no pickups, no control. */
    sim_player before = *v;
    b[1] = SIM_BTN_LEFT | SIM_BTN_DASH;
    sim_step(&w, b);
    CHECK(v->stun == before.stun - 1 && v->vx == before.vx - SIM_FRICTION && v->dash == 0);
    CHECK(test_count_events(&w, SIM_EV_HIT) == 0);
    int32_t travelled = 0;
    for (int t = 0; t < SIM_STUN_TICKS; t++) {
        int32_t x0 = v->x;
        sim_step(&w, b);
        travelled += v->x - x0;
    }
    CHECK(v->stun == 0);
    CHECK(travelled > 0); /* flew away from the dasher */

    /* Someone else picks the dropped point up: +1 and the slot empties. */
    memset(b, 0, sizeof b);
    for (int i = SIM_ACTIVE_GEMS; i < SIM_MAX_GEMS; i++) {
        if (w.gems[i].active) {
            o->x = w.gems[i].x * SIM_FP;
            o->y = w.gems[i].y * SIM_FP;
            o->stun = 0;
            uint16_t s0 = o->score;
            a->x = o->x - 40 * SIM_FP; /* keep the dasher off it */
            v->x = o->x + 40 * SIM_FP;
            sim_step(&w, b);
            CHECK(o->score == s0 + 1 && !w.gems[i].active);
            CHECK(test_count_events(&w, SIM_EV_PICKUP) == 1);
        }
    }

    /* A victim with no points drops nothing. */
    test_playing_world(&w, 6, 2);
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        w.gems[i].active = false;
    w.players[0].x = cx - 14 * SIM_FP;
    w.players[0].y = w.players[1].y = cy;
    w.players[1].x = cx;
    memset(b, 0, sizeof b);
    b[0] = SIM_BTN_DASH | SIM_BTN_RIGHT;
    sim_step(&w, b);
    CHECK(test_count_events(&w, SIM_EV_HIT) == 1 && w.events[w.event_count - 1].drop == 0);
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        CHECK(!w.gems[i].active);

    /* The judge decides: overlapping yet judged a miss is no hit, and far
     * away yet judged a hit is one. Only dashers are judged. */
    test_playing_world(&w, 6, 2);
    w.players[0].x = cx - 14 * SIM_FP;
    w.players[0].y = w.players[1].y = cy;
    w.players[1].x = cx;
    int asked = 0;
    sim_step_judged(&w, b, test_judge_never, &asked);
    CHECK(asked >= 1 && w.players[1].stun == 0);
    test_playing_world(&w, 6, 2);
    uint8_t none[SIM_MAX_PLAYERS] = {0};
    sim_step_judged(&w, none, test_judge_always, NULL);
    CHECK(w.players[1].stun == 0); /* nobody dashed */
    sim_step_judged(&w, b, test_judge_always, NULL);
    CHECK(w.players[1].stun == SIM_STUN_TICKS);

    /* Reach: boxes within SIM_DASH_REACH px on both axes. */
    int32_t r = (2 * SIM_PLAYER_HALF + SIM_DASH_REACH) * SIM_FP;
    CHECK(sim_dash_reaches_at(0, 0, r - 1, r - 1));
    CHECK(!sim_dash_reaches_at(0, 0, r, 0));
    CHECK(!sim_dash_reaches_at(0, 0, 0, -r));

    /* Drops beyond the free slots reuse the oldest. */
    test_playing_world(&w, 8, 2);
    for (int i = SIM_ACTIVE_GEMS; i < SIM_MAX_GEMS; i++)
        w.gems[i] = (sim_gem){.active = true, .x = (int16_t)(cx / SIM_FP), .y = (int16_t)(cy / SIM_FP)};
    w.players[0].x = cx - 7 * SIM_FP;
    w.players[0].y = w.players[1].y = cy + 2 * SIM_TILE * SIM_FP;
    w.players[1].x = cx + 7 * SIM_FP;
    w.players[1].score = 1;
    sim_step(&w, b);
    int at_hit = 0;
    for (int i = SIM_ACTIVE_GEMS; i < SIM_MAX_GEMS; i++)
        at_hit += w.gems[i].active && w.gems[i].y == (int16_t)(w.players[1].y / SIM_FP);
    CHECK(at_hit == 1 && w.players[1].score == 0);
}

/* Runs until the phase changes or limit ticks pass; returns ticks run. */
static int test_run_until_phase(sim_world *w, const uint8_t *b, uint8_t phase, int limit)
{
    for (int t = 1; t <= limit; t++) {
        sim_step(w, b);
        if (w->match.phase == phase)
            return t;
    }
    return -1;
}

static void test_match(void)
{
    static sim_world w;
    sim_init(&w, 12);
    CHECK(w.match.phase == SIM_PHASE_WARMUP && w.match.round == 1);
    CHECK(w.match.round_ticks == SIM_ROUND_SECONDS_DEFAULT * SIM_TICK_HZ);
    CHECK(strcmp(sim_phase_name(SIM_PHASE_INTERMISSION), "intermission") == 0);
    sim_match_config(&w, 5, 0);

    /* One player: warmup for as long as it takes, scoring allowed. */
    sim_add_player(&w, 0);
    for (int t = 0; t < 600; t++)
        sim_step(&w, NULL);
    CHECK(w.match.phase == SIM_PHASE_WARMUP && w.match.left == 0);
    w.players[0].score = 4;

    /* A second player starts a countdown: 3, 2, 1, then round 1. */
    sim_add_player(&w, 1);
    int countdown[4] = {0}, starts = 0, t = 0;
    for (; t < SIM_COUNTDOWN_TICKS + 5 && w.match.phase == SIM_PHASE_WARMUP; t++) {
        sim_step(&w, NULL);
        for (int i = 0; i < w.event_count; i++) {
            if (w.events[i].type == SIM_EV_COUNTDOWN && w.events[i].a <= 3)
                countdown[w.events[i].a]++;
            starts += w.events[i].type == SIM_EV_ROUND_START;
        }
    }
    CHECK_MSG(t == SIM_COUNTDOWN_TICKS, "round started after %d ticks", t);
    CHECK(countdown[3] == 1 && countdown[2] == 1 && countdown[1] == 1 && starts == 1);
    CHECK(w.match.phase == SIM_PHASE_PLAYING && w.match.round == 1);
    CHECK(w.players[0].score == 0); /* warmup points do not count */
    CHECK(sim_match_seconds_left(&w.match) == 5);

    /* Time limit: 5 s later the round ends; the higher score wins. */
    w.players[1].score = 2;
    int ticks = test_run_until_phase(&w, NULL, SIM_PHASE_INTERMISSION, 10 * SIM_TICK_HZ);
    CHECK_MSG(ticks == 5 * SIM_TICK_HZ, "round lasted %d ticks", ticks);
    CHECK(w.match.winner == 1 && test_count_events(&w, SIM_EV_ROUND_END) == 1);
    CHECK(w.events[w.event_count - 1].a == 1);
    CHECK(sim_match_seconds_left(&w.match) == SIM_INTERMISSION_TICKS / SIM_TICK_HZ);

    /* Intermission: frozen, about 8 s, then round 2 from zero. */
    sim_player p0 = w.players[0];
    uint8_t b[SIM_MAX_PLAYERS];
    memset(b, SIM_BTN_RIGHT | SIM_BTN_DASH, sizeof b);
    w.gems[0].x = (int16_t)(p0.x / SIM_FP); /* a gem underfoot stays put */
    w.gems[0].y = (int16_t)(p0.y / SIM_FP);
    sim_step(&w, b);
    CHECK(w.players[0].x == p0.x && w.players[0].score == p0.score && w.gems[0].active);
    ticks = 1 + test_run_until_phase(&w, b, SIM_PHASE_PLAYING, 20 * SIM_TICK_HZ);
    CHECK_MSG(ticks == SIM_INTERMISSION_TICKS, "intermission lasted %d ticks", ticks);
    CHECK(w.match.round == 2 && w.players[1].score == 0 && w.players[0].score == 0);

    /* A mid-round joiner plays at once. */
    sim_step(&w, NULL);
    sim_add_player(&w, 2);
    int32_t x2 = w.players[2].x;
    memset(b, 0, sizeof b);
    b[2] = SIM_BTN_RIGHT | SIM_BTN_DOWN;
    sim_step(&w, b);
    CHECK(w.players[2].x != x2 && w.match.phase == SIM_PHASE_PLAYING && w.match.round == 2);

    /* Score limit, no time limit: the first to reach it ends the round. */
    sim_match_config(&w, 0, 3);
    test_run_until_phase(&w, NULL, SIM_PHASE_INTERMISSION, 10 * SIM_TICK_HZ);
    test_run_until_phase(&w, NULL, SIM_PHASE_PLAYING, 10 * SIM_TICK_HZ);
    CHECK(w.match.round == 3 && w.match.left == 0);
    for (int k = 0; k < 600; k++)
        sim_step(&w, NULL);
    CHECK(w.match.phase == SIM_PHASE_PLAYING); /* no clock */
    w.players[2].score = 3;
    sim_step(&w, NULL);
    CHECK(w.match.phase == SIM_PHASE_INTERMISSION && w.match.winner == 2);

    /* A tie is a draw. */
    sim_match_config(&w, 5, 0);
    test_run_until_phase(&w, NULL, SIM_PHASE_PLAYING, 10 * SIM_TICK_HZ);
    w.players[0].score = w.players[1].score = 7;
    test_run_until_phase(&w, NULL, SIM_PHASE_INTERMISSION, 10 * SIM_TICK_HZ);
    CHECK(w.match.winner == SIM_NOBODY);

    /* Everyone leaves: back to warmup. */
    for (int id = 0; id < 3; id++)
        sim_remove_player(&w, id);
    test_run_until_phase(&w, NULL, SIM_PHASE_WARMUP, 10 * SIM_TICK_HZ);
    CHECK(w.match.phase == SIM_PHASE_WARMUP);

    /* The host starts alone; a countdown that loses its second player
     * stops. */
    sim_init(&w, 13);
    sim_add_player(&w, 0);
    sim_add_player(&w, 1);
    for (int k = 0; k < 60; k++)
        sim_step(&w, NULL);
    CHECK(w.match.left > 0);
    sim_remove_player(&w, 1);
    sim_step(&w, NULL);
    CHECK(w.match.phase == SIM_PHASE_WARMUP && w.match.left == 0);
    for (int k = 0; k < 600; k++)
        sim_step(&w, NULL);
    CHECK(w.match.phase == SIM_PHASE_WARMUP);
    sim_match_start(&w);
    ticks = test_run_until_phase(&w, NULL, SIM_PHASE_PLAYING, 10 * SIM_TICK_HZ);
    CHECK(ticks == SIM_COUNTDOWN_TICKS);
    CHECK(w.match.round_ticks == SIM_ROUND_SECONDS_DEFAULT * SIM_TICK_HZ);

    /* Limits are clamped to what the host may set. */
    sim_match_config(&w, 1, -4);
    CHECK(w.match.round_ticks == SIM_ROUND_SECONDS_MIN * SIM_TICK_HZ && w.match.score_limit == 0);
    sim_match_config(&w, 99999, 70000);
    CHECK(w.match.round_ticks == SIM_ROUND_SECONDS_MAX * SIM_TICK_HZ && w.match.score_limit == UINT16_MAX);
}

/* Whole matches with dashing random players: two worlds stay equal, and
 * nobody leaves the floor or exceeds the top speed. */
static void test_determinism(void)
{
    static sim_world a, c;
    sim_init(&a, 0xABCDu);
    sim_match_config(&a, 5, 0);
    for (int id = 0; id < 12; id++)
        sim_add_player(&a, id * 3);
    c = a;
    uint32_t rng = 1;
    int bad = 0, hits = 0, rounds = 0;
    uint8_t held[SIM_MAX_PLAYERS] = {0};
    for (int t = 0; t < 4000; t++) {
        for (int id = 0; id < SIM_MAX_PLAYERS; id++)
            if (test_rng(&rng) % 20 == 0)
                held[id] = (uint8_t)(test_rng(&rng) & 31);
        sim_step(&a, held);
        sim_step(&c, held);
        hits += test_count_events(&a, SIM_EV_HIT);
        rounds += test_count_events(&a, SIM_EV_ROUND_END);
        for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
            const sim_player *p = &a.players[id];
            if (!p->active)
                continue;
            if (test_hits_wall(p) || (int64_t)p->vx * p->vx + (int64_t)p->vy * p->vy >
                                         (int64_t)SIM_TOP_SPEED * SIM_TOP_SPEED)
                bad++;
        }
    }
    CHECK(memcmp(a.players, c.players, sizeof a.players) == 0 && memcmp(a.gems, c.gems, sizeof a.gems) == 0 &&
          memcmp(&a.match, &c.match, sizeof a.match) == 0 && a.rng == c.rng);
    CHECK_MSG(bad == 0, "%d bad player-ticks", bad);
    CHECK_MSG(hits > 0, "random dashers never hit anyone");
    CHECK_MSG(rounds >= 4, "only %d rounds ended", rounds);
}

int main(void)
{
    test_solid();
    test_dash();
    test_hit();
    test_match();
    test_determinism();
    return check_done("match");
}
