/*
 * test_sim: the simulation's promises (determinism, walls, speed, gems,
 * prediction replay, map, spawns) and that bots play.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "check.h"
#include "sim.h"

#define TILE_FP (SIM_TILE * SIM_FP)
#define HALF_FP (SIM_PLAYER_HALF * SIM_FP)
#define DIAG_SPEED (SIM_MAX_SPEED * 181 / 256)

static uint32_t test_rng(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static int32_t test_floor_div(int32_t a, int32_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The hitbox is the half-open square [x-H, x+H) x [y-H, y+H). */
static bool test_hits_wall(const sim_player *p)
{
    int tx0 = test_floor_div(p->x - HALF_FP, TILE_FP), tx1 = test_floor_div(p->x + HALF_FP - 1, TILE_FP);
    int ty0 = test_floor_div(p->y - HALF_FP, TILE_FP), ty1 = test_floor_div(p->y + HALF_FP - 1, TILE_FP);
    for (int ty = ty0; ty <= ty1; ty++)
        for (int tx = tx0; tx <= tx1; tx++)
            if (sim_is_wall(tx, ty))
                return true;
    return false;
}

static bool test_in_arena(const sim_player *p)
{
    return p->x - HALF_FP >= 0 && p->y - HALF_FP >= 0 && p->x + HALF_FP <= SIM_ARENA_W * SIM_FP &&
           p->y + HALF_FP <= SIM_ARENA_H * SIM_FP;
}

static bool test_speed_ok(const sim_player *p)
{
    int64_t s = (int64_t)p->vx * p->vx + (int64_t)p->vy * p->vy;
    return s <= (int64_t)SIM_MAX_SPEED * SIM_MAX_SPEED;
}

/* Field by field: padding bytes are not part of the state. */
static bool test_player_eq(const sim_player *a, const sim_player *b, bool with_score)
{
    return a->active == b->active && a->x == b->x && a->y == b->y && a->vx == b->vx && a->vy == b->vy &&
           a->facing == b->facing && a->moving == b->moving && a->step == b->step &&
           (!with_score || a->score == b->score);
}

/* True when another active player's box comes within `gap` px of p's:
 * a push-apart may have moved p this tick. */
static bool test_near_other(const sim_world *w, int id, int gap)
{
    const sim_player *p = &w->players[id];
    int32_t lim = (2 * SIM_PLAYER_HALF + gap) * SIM_FP;
    for (int j = 0; j < SIM_MAX_PLAYERS; j++) {
        const sim_player *q = &w->players[j];
        if (j == id || !q->active)
            continue;
        if (abs(q->x - p->x) < lim && abs(q->y - p->y) < lim)
            return true;
    }
    return false;
}

static bool test_event_seen(const sim_world *w, uint8_t type)
{
    for (int i = 0; i < w->event_count; i++)
        if (w->events[i].type == type)
            return true;
    return false;
}

static bool test_world_eq(const sim_world *a, const sim_world *b)
{
    if (a->tick != b->tick || a->rng != b->rng)
        return false;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (!test_player_eq(&a->players[i], &b->players[i], true))
            return false;
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        const sim_gem *g = &a->gems[i], *h = &b->gems[i];
        if (g->active != h->active || g->x != h->x || g->y != h->y)
            return false;
    }
    return true;
}

/* Random buttons held for a random while, the way a person plays; every
 * combination (including opposite pairs) shows up. */
typedef struct {
    uint8_t buttons[SIM_MAX_PLAYERS];
    int hold[SIM_MAX_PLAYERS];
} test_input;

static void test_input_next(test_input *in, uint32_t *rng)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (in->hold[i]-- > 0)
            continue;
        in->buttons[i] = (uint8_t)(test_rng(rng) & 15);
        in->hold[i] = (int)(test_rng(rng) % 90);
    }
}

/* Centre tile of a floor square of side 2r+1, so short runs stay clear of
 * walls. Returns false if the map has none. */
static bool test_open_tile(int r, int *out_tx, int *out_ty)
{
    for (int ty = 0; ty < SIM_MAP_H; ty++) {
        for (int tx = 0; tx < SIM_MAP_W; tx++) {
            bool open = true;
            for (int y = ty - r; y <= ty + r && open; y++)
                for (int x = tx - r; x <= tx + r && open; x++)
                    open = !sim_is_wall(x, y);
            if (open) {
                *out_tx = tx;
                *out_ty = ty;
                return true;
            }
        }
    }
    return false;
}

static sim_player test_player_at(int tx, int ty)
{
    sim_player p;
    memset(&p, 0, sizeof p);
    p.active = true;
    p.x = (tx * SIM_TILE + SIM_TILE / 2) * SIM_FP;
    p.y = (ty * SIM_TILE + SIM_TILE / 2) * SIM_FP;
    p.facing = SIM_FACE_DOWN;
    return p;
}

static void test_map(void)
{
    int floors = 0, first_x = -1, first_y = -1;
    for (int ty = 0; ty < SIM_MAP_H; ty++) {
        const char *row = sim_map_row(ty);
        CHECK(row != NULL && strlen(row) == SIM_MAP_W);
        for (int tx = 0; tx < SIM_MAP_W; tx++) {
            CHECK(row[tx] == '#' || row[tx] == '.');
            CHECK(sim_is_wall(tx, ty) == (row[tx] == '#'));
            if (tx == 0 || ty == 0 || tx == SIM_MAP_W - 1 || ty == SIM_MAP_H - 1)
                CHECK_MSG(sim_is_wall(tx, ty), "border tile %d,%d is floor", tx, ty);
            if (row[tx] == '.') {
                floors++;
                if (first_x < 0) {
                    first_x = tx;
                    first_y = ty;
                }
            }
        }
    }
    CHECK(sim_is_wall(-1, 5) && sim_is_wall(SIM_MAP_W, 5) && sim_is_wall(5, -1) && sim_is_wall(5, SIM_MAP_H));
    CHECK(strlen(sim_map_row(-1)) == SIM_MAP_W && strspn(sim_map_row(SIM_MAP_H), "#") == SIM_MAP_W);
    /* Open, not a maze: most of the arena is floor... */
    CHECK_MSG(floors * 4 > SIM_MAP_W * SIM_MAP_H * 3, "only %d floor tiles", floors);
    /* ...but there is something to run around. */
    CHECK(floors < (SIM_MAP_W - 2) * (SIM_MAP_H - 2));

    /* Flood fill (4-connected, as a player moves): one region. */
    static bool seen[SIM_MAP_H][SIM_MAP_W];
    memset(seen, 0, sizeof seen);
    int stack[SIM_MAP_W * SIM_MAP_H], top = 0, reached = 0;
    stack[top++] = first_y * SIM_MAP_W + first_x;
    seen[first_y][first_x] = true;
    while (top > 0) {
        int t = stack[--top], tx = t % SIM_MAP_W, ty = t / SIM_MAP_W;
        reached++;
        static const int dir[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int d = 0; d < 4; d++) {
            int nx = tx + dir[d][0], ny = ty + dir[d][1];
            if (!sim_is_wall(nx, ny) && !seen[ny][nx]) {
                seen[ny][nx] = true;
                stack[top++] = ny * SIM_MAP_W + nx;
            }
        }
    }
    CHECK_MSG(reached == floors, "flood fill reached %d of %d floor tiles", reached, floors);
}

static void test_spawns(void)
{
    static sim_world w, w2;
    sim_init(&w, 1);
    for (int id = 0; id < SIM_MAX_PLAYERS; id++)
        sim_add_player(&w, id);
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        const sim_player *p = &w.players[id];
        CHECK(p->active && p->score == 0 && p->vx == 0 && p->vy == 0 && p->step == 0 && !p->moving);
        CHECK_MSG(!sim_is_wall(p->x / TILE_FP, p->y / TILE_FP), "spawn %d on a wall", id);
        CHECK_MSG(!test_hits_wall(p), "spawn %d overlaps a wall", id);
        for (int j = 0; j < id; j++)
            CHECK_MSG(p->x != w.players[j].x || p->y != w.players[j].y, "spawns %d and %d coincide", id, j);
    }
    /* Spread: the first four (a typical LAN game) are far apart. */
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < i; j++) {
            int32_t dx = (w.players[i].x - w.players[j].x) / TILE_FP;
            int32_t dy = (w.players[i].y - w.players[j].y) / TILE_FP;
            CHECK_MSG(dx * dx + dy * dy >= 20 * 20, "spawns %d and %d only %d,%d tiles apart", i, j, dx, dy);
        }
    }
    /* A function of id alone: order of joining and leaving does not matter. */
    sim_init(&w2, 99);
    sim_add_player(&w2, 17);
    sim_remove_player(&w2, 17);
    CHECK(!w2.players[17].active);
    sim_add_player(&w2, 17);
    CHECK(test_player_eq(&w2.players[17], &w.players[17], true));
    /* Rejoining resets the score. */
    w2.players[17].score = 9;
    sim_add_player(&w2, 17);
    CHECK(w2.players[17].score == 0);
    /* Out-of-range ids are ignored. */
    sim_init(&w2, 99);
    sim_add_player(&w2, -1);
    sim_add_player(&w2, SIM_MAX_PLAYERS);
    sim_remove_player(&w2, SIM_MAX_PLAYERS);
    int active = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        active += w2.players[i].active;
    CHECK(active == 0);
}

static void test_speed_cap(void)
{
    int tx, ty;
    CHECK(test_open_tile(3, &tx, &ty));

    /* Straight: exactly SIM_MAX_SPEED after MAX/ACCEL ticks, never above. */
    sim_player p = test_player_at(tx, ty);
    for (int i = 0; i < SIM_MAX_SPEED / SIM_ACCEL; i++) {
        int32_t x0 = p.x;
        sim_player_move(&p, SIM_BTN_RIGHT);
        CHECK(p.x - x0 == p.vx); /* in the open, velocity is displacement */
    }
    CHECK(p.vx == SIM_MAX_SPEED && p.vy == 0);
    sim_player_move(&p, SIM_BTN_RIGHT);
    CHECK(p.vx == SIM_MAX_SPEED);

    /* Diagonal: settles at MAX*181/256 per axis, length within the cap. */
    p = test_player_at(tx, ty);
    for (int i = 0; i < 20; i++) {
        sim_player_move(&p, SIM_BTN_DOWN | SIM_BTN_RIGHT);
        CHECK(test_speed_ok(&p));
    }
    CHECK(p.vx == DIAG_SPEED && p.vy == DIAG_SPEED);
    CHECK(p.vx > SIM_MAX_SPEED * 7 / 10); /* capped, not crippled */

    /* Mixed friction and acceleration (release UP while running UP+LEFT)
     * would briefly exceed the cap without the length clamp. */
    p = test_player_at(tx, ty);
    for (int i = 0; i < 12; i++)
        sim_player_move(&p, SIM_BTN_UP | SIM_BTN_LEFT);
    for (int i = 0; i < 12; i++) {
        sim_player_move(&p, SIM_BTN_LEFT);
        CHECK_MSG(test_speed_ok(&p), "vx %d vy %d", p.vx, p.vy);
    }

    /* Mirror symmetry: left and right are the same moves. */
    sim_player a = test_player_at(tx, ty), b = test_player_at(tx, ty);
    static const uint8_t seq[] = {SIM_BTN_RIGHT | SIM_BTN_UP, SIM_BTN_RIGHT, SIM_BTN_UP, 0};
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 7; i++) {
            sim_player_move(&a, seq[k]);
            uint8_t m = (uint8_t)((seq[k] & ~SIM_BTN_RIGHT) | ((seq[k] & SIM_BTN_RIGHT) ? SIM_BTN_LEFT : 0));
            sim_player_move(&b, m);
            int32_t x0 = (tx * SIM_TILE + SIM_TILE / 2) * SIM_FP;
            CHECK(a.vx == -b.vx && a.vy == b.vy && a.x - x0 == x0 - b.x && a.y == b.y);
        }
    }

    /* Opposite buttons cancel. */
    p = test_player_at(tx, ty);
    sim_player_move(&p, SIM_BTN_LEFT | SIM_BTN_RIGHT | SIM_BTN_UP | SIM_BTN_DOWN);
    CHECK(p.vx == 0 && p.vy == 0 && !p.moving);
    sim_player_move(&p, SIM_BTN_LEFT | SIM_BTN_UP | SIM_BTN_DOWN);
    CHECK(p.vx == -SIM_ACCEL && p.vy == 0);
}

static void test_friction(void)
{
    int tx, ty;
    CHECK(test_open_tile(3, &tx, &ty));
    sim_player p = test_player_at(tx, ty);
    for (int i = 0; i < 10; i++)
        sim_player_move(&p, SIM_BTN_LEFT);
    CHECK(p.vx == -SIM_MAX_SPEED);
    int ticks = 0;
    int32_t prev = p.vx;
    while (p.vx != 0 && ticks < 100) {
        sim_player_move(&p, 0);
        CHECK(p.vx > prev || p.vx == 0); /* slows every tick */
        CHECK(p.vx <= 0);                /* never bounces back */
        prev = p.vx;
        ticks++;
    }
    CHECK_MSG(ticks == (SIM_MAX_SPEED + SIM_FRICTION - 1) / SIM_FRICTION, "stopped in %d ticks", ticks);
    CHECK(!p.moving && p.step == 0);
    int32_t x = p.x, y = p.y;
    sim_player_move(&p, 0);
    CHECK(p.x == x && p.y == y);

    /* Friction acts per axis: running on y is untouched by x braking. */
    p = test_player_at(tx, ty);
    for (int i = 0; i < 10; i++)
        sim_player_move(&p, SIM_BTN_RIGHT);
    sim_player_move(&p, SIM_BTN_DOWN);
    CHECK(p.vx == SIM_MAX_SPEED - SIM_FRICTION && p.vy == SIM_ACCEL);
}

static void test_facing_step(void)
{
    int tx, ty;
    CHECK(test_open_tile(3, &tx, &ty));
    static sim_world w;
    sim_init(&w, 3);
    sim_add_player(&w, 0);
    CHECK(w.players[0].facing == SIM_FACE_DOWN && w.players[0].step == 0 && !w.players[0].moving);

    sim_player p = test_player_at(tx, ty);
    for (int i = 1; i <= 5; i++) {
        sim_player_move(&p, SIM_BTN_RIGHT);
        CHECK(p.facing == SIM_FACE_RIGHT && p.moving == 1 && p.step == i);
    }
    for (int i = 0; i < 20; i++)
        sim_player_move(&p, 0);
    CHECK(p.facing == SIM_FACE_RIGHT && !p.moving && p.step == 0); /* stopped: keeps facing */

    static const struct {
        uint8_t buttons, facing;
    } cases[] = {
        {SIM_BTN_UP, SIM_FACE_UP},
        {SIM_BTN_LEFT, SIM_FACE_LEFT},
        {SIM_BTN_DOWN, SIM_FACE_DOWN},
        {SIM_BTN_RIGHT, SIM_FACE_RIGHT},
        {SIM_BTN_UP | SIM_BTN_LEFT, SIM_FACE_UP}, /* exact diagonal: vertical */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        p = test_player_at(tx, ty);
        p.facing = cases[c].facing == SIM_FACE_DOWN ? SIM_FACE_UP : SIM_FACE_DOWN;
        sim_player_move(&p, cases[c].buttons);
        CHECK_MSG(p.facing == cases[c].facing, "buttons %d facing %d", cases[c].buttons, p.facing);
    }

    /* Horizontal wins once it is the larger component. */
    p = test_player_at(tx, ty);
    for (int i = 0; i < 10; i++)
        sim_player_move(&p, SIM_BTN_UP);
    sim_player_move(&p, SIM_BTN_UP | SIM_BTN_RIGHT);
    CHECK(p.facing == SIM_FACE_UP);
    for (int i = 0; i < 10; i++)
        sim_player_move(&p, SIM_BTN_RIGHT);
    CHECK(p.facing == SIM_FACE_RIGHT);

    /* The walk clock wraps. */
    p = test_player_at(tx, ty);
    p.step = 254;
    sim_player_move(&p, SIM_BTN_DOWN);
    CHECK(p.step == 255);
    sim_player_move(&p, SIM_BTN_DOWN);
    CHECK(p.step == 0 && p.moving);
    sim_player_move(&p, SIM_BTN_DOWN);
    CHECK(p.step == 1);

    /* Pushing into a wall is standing still: no walk cycle, facing kept. */
    p = w.players[0];
    for (int i = 0; i < 600; i++)
        sim_player_move(&p, SIM_BTN_LEFT);
    CHECK(p.vx == 0 && !p.moving && p.step == 0 && p.facing == SIM_FACE_LEFT);
    sim_player_move(&p, SIM_BTN_LEFT);
    CHECK(p.vx == 0 && !p.moving && p.step == 0);
}

/* Every floor tile, every direction, held until the player is pinned:
 * the hitbox never overlaps a wall, and a blocked axis rests exactly on
 * the wall face. */
static void test_walls_sweep(void)
{
    static const uint8_t dirs[8] = {
        SIM_BTN_UP, SIM_BTN_DOWN, SIM_BTN_LEFT, SIM_BTN_RIGHT,
        SIM_BTN_UP | SIM_BTN_LEFT, SIM_BTN_UP | SIM_BTN_RIGHT, SIM_BTN_DOWN | SIM_BTN_LEFT, SIM_BTN_DOWN | SIM_BTN_RIGHT};
    int bad = 0, not_flush = 0;
    for (int ty = 0; ty < SIM_MAP_H; ty++) {
        for (int tx = 0; tx < SIM_MAP_W; tx++) {
            if (sim_is_wall(tx, ty))
                continue;
            for (int d = 0; d < 8; d++) {
                sim_player p = test_player_at(tx, ty);
                for (int i = 0; i < 600; i++) {
                    sim_player_move(&p, dirs[d]);
                    if (test_hits_wall(&p) || !test_in_arena(&p) || !test_speed_ok(&p))
                        bad++;
                }
                /* 600 ticks covers the whole arena: a straight run ends
                 * pinned to the wall face. */
                if (dirs[d] == SIM_BTN_RIGHT && (p.vx != 0 || (p.x + HALF_FP) % TILE_FP != 0))
                    not_flush++;
                if (dirs[d] == SIM_BTN_LEFT && (p.vx != 0 || (p.x - HALF_FP) % TILE_FP != 0))
                    not_flush++;
                if (dirs[d] == SIM_BTN_DOWN && (p.vy != 0 || (p.y + HALF_FP) % TILE_FP != 0))
                    not_flush++;
                if (dirs[d] == SIM_BTN_UP && (p.vy != 0 || (p.y - HALF_FP) % TILE_FP != 0))
                    not_flush++;
            }
        }
    }
    CHECK_MSG(bad == 0, "%d ticks with a player in a wall or too fast", bad);
    CHECK_MSG(not_flush == 0, "%d runs did not end flush with a wall", not_flush);
}

/* Every player slot, random held inputs, thousands of ticks. */
static void test_walls_random(void)
{
    static sim_world w;
    static test_input in;
    memset(&in, 0, sizeof in);
    uint32_t rng = 0xC0FFEEu;
    sim_init(&w, 77);
    for (int id = 0; id < SIM_MAX_PLAYERS; id++)
        sim_add_player(&w, id);
    int bad = 0, jumps = 0, gems_bad = 0;
    for (int t = 0; t < 5000; t++) {
        test_input_next(&in, &rng);
        sim_world before = w;
        sim_step(&w, in.buttons);
        for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
            const sim_player *p = &w.players[id], *q = &before.players[id];
            if (test_hits_wall(p) || !test_in_arena(p) || !test_speed_ok(p))
                bad++;
            int32_t dx = p->x - q->x, dy = p->y - q->y;
            /* Round starts put everyone back at spawn; push-apart moves
             * players in a crowd further than their own speed. */
            if ((int64_t)dx * dx + (int64_t)dy * dy > (int64_t)SIM_MAX_SPEED * SIM_MAX_SPEED &&
                !test_event_seen(&w, SIM_EV_ROUND_START) && !test_near_other(&before, id, 2 * SIM_PLAYER_HALF))
                jumps++;
        }
        int active = 0;
        for (int i = 0; i < SIM_MAX_GEMS; i++) {
            const sim_gem *g = &w.gems[i];
            if (!g->active)
                continue;
            active++;
            if (sim_is_wall(g->x / SIM_TILE, g->y / SIM_TILE) || g->x % SIM_TILE != SIM_TILE / 2 ||
                g->y % SIM_TILE != SIM_TILE / 2)
                gems_bad++;
        }
        if (active != SIM_ACTIVE_GEMS)
            gems_bad++;
    }
    CHECK_MSG(bad == 0, "%d player-ticks in a wall, outside or too fast", bad);
    CHECK_MSG(jumps == 0, "%d moves longer than SIM_MAX_SPEED", jumps);
    CHECK_MSG(gems_bad == 0, "%d gem problems", gems_bad);
    CHECK(w.tick == 5000);
}

static void test_determinism(void)
{
    static sim_world a, b;
    static test_input in;
    memset(&in, 0, sizeof in);
    uint32_t rng = 0xBADC0DEu;
    static const int ids[8] = {0, 1, 5, 9, 22, 40, 41, 63};
    sim_init(&a, 0x1234567u);
    sim_init(&b, 0x1234567u);
    CHECK(test_world_eq(&a, &b));
    for (int i = 0; i < 8; i++) {
        sim_add_player(&a, ids[i]);
        sim_add_player(&b, ids[i]);
    }
    uint8_t buttons[SIM_MAX_PLAYERS];
    for (int t = 0; t < 10000; t++) {
        test_input_next(&in, &rng);
        memset(buttons, 0, sizeof buttons);
        for (int i = 0; i < 8; i++)
            buttons[ids[i]] = in.buttons[ids[i]];
        sim_step(&a, buttons);
        sim_step(&b, buttons);
        if (t == 5000) { /* a mid-game join is part of the input too */
            sim_add_player(&a, 30);
            sim_add_player(&b, 30);
        }
    }
    CHECK(test_world_eq(&a, &b));
    CHECK(a.tick == 10000);
    int total = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        total += a.players[i].score;
    CHECK_MSG(total > 0, "random walkers never found a gem"); /* gems did get exercised */

    /* The seed matters. */
    sim_init(&a, 1);
    sim_init(&b, 2);
    CHECK(!test_world_eq(&a, &b));
    /* Seed 0 is usable (xorshift would stick at 0). */
    sim_init(&a, 0);
    CHECK(a.rng != 0 && a.gems[0].active);
}

static void test_gems(void)
{
    static sim_world w;
    sim_init(&w, 42);
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        const sim_gem *g = &w.gems[i];
        CHECK(g->active == (i < SIM_ACTIVE_GEMS));
        if (!g->active)
            continue;
        CHECK(!sim_is_wall(g->x / SIM_TILE, g->y / SIM_TILE));
        for (int j = 0; j < i; j++)
            CHECK(g->x != w.gems[j].x || g->y != w.gems[j].y);
    }

    /* Pickup: +1, and the gem reappears on floor away from the player. */
    sim_add_player(&w, 3);
    sim_player *p = &w.players[3];
    p->x = w.gems[0].x * SIM_FP;
    p->y = w.gems[0].y * SIM_FP;
    sim_gem old = w.gems[0];
    sim_step(&w, NULL);
    CHECK(p->score == 1);
    CHECK(w.gems[0].active && (w.gems[0].x != old.x || w.gems[0].y != old.y));
    CHECK(!sim_is_wall(w.gems[0].x / SIM_TILE, w.gems[0].y / SIM_TILE));
    int32_t dx = w.gems[0].x - p->x / SIM_FP, dy = w.gems[0].y - p->y / SIM_FP;
    CHECK_MSG(dx * dx + dy * dy >= (4 * SIM_TILE) * (4 * SIM_TILE), "respawned %d,%d px from the player", dx, dy);
    sim_step(&w, NULL);
    CHECK(p->score == 1); /* standing still does not score again */
    CHECK(w.tick == 2);

    /* Radius is inclusive and exact in fixed point. */
    sim_init(&w, 42);
    sim_add_player(&w, 0);
    p = &w.players[0];
    p->x = (w.gems[1].x + SIM_GEM_RADIUS) * SIM_FP + 1;
    p->y = w.gems[1].y * SIM_FP;
    sim_step(&w, NULL);
    CHECK(p->score == 0);
    p->x -= 1;
    sim_step(&w, NULL);
    CHECK(p->score == 1);
    /* Diagonal distance: (5,5) is 7.07 px away, (4,5) is 6.4 px. */
    sim_init(&w, 43);
    sim_add_player(&w, 0);
    p = &w.players[0];
    p->x = (w.gems[2].x + 5) * SIM_FP;
    p->y = (w.gems[2].y + 5) * SIM_FP;
    sim_step(&w, NULL);
    CHECK(p->score == 0);
    p->x -= SIM_FP;
    sim_step(&w, NULL);
    CHECK(p->score == 1);

    /* Tie: the lowest id takes it, once. */
    sim_init(&w, 7);
    sim_add_player(&w, 5);
    sim_add_player(&w, 2);
    w.players[5].x = w.players[2].x = w.gems[4].x * SIM_FP;
    w.players[5].y = w.players[2].y = w.gems[4].y * SIM_FP;
    sim_step(&w, NULL);
    CHECK(w.players[2].score == 1 && w.players[5].score == 0);

    /* Inactive players collect nothing. */
    sim_init(&w, 7);
    sim_add_player(&w, 1);
    sim_remove_player(&w, 1);
    w.players[1].x = w.gems[0].x * SIM_FP;
    w.players[1].y = w.gems[0].y * SIM_FP;
    old = w.gems[0];
    sim_step(&w, NULL);
    CHECK(w.players[1].score == 0 && w.gems[0].x == old.x && w.gems[0].y == old.y);

    /* Two gems under one player: both count. */
    sim_init(&w, 9);
    sim_add_player(&w, 0);
    w.gems[1] = w.gems[0];
    w.players[0].x = w.gems[0].x * SIM_FP;
    w.players[0].y = w.gems[0].y * SIM_FP;
    sim_step(&w, NULL);
    CHECK(w.players[0].score == 2);

    /* A full arena still places gems (the respawn search is bounded). */
    sim_init(&w, 11);
    for (int id = 0; id < SIM_MAX_PLAYERS; id++)
        sim_add_player(&w, id);
    w.players[0].x = w.gems[0].x * SIM_FP;
    w.players[0].y = w.gems[0].y * SIM_FP;
    sim_step(&w, NULL);
    CHECK(w.players[0].score == 1 && w.gems[0].active);
}

/* Client prediction replays its own inputs with sim_player_move on a copy
 * of its state; that must give exactly what the server's sim_step gave. */
static void test_replay(void)
{
    static sim_world w;
    static test_input in;
    memset(&in, 0, sizeof in);
    uint32_t rng = 0x5EED5u;
    sim_init(&w, 2024);
    for (int id = 0; id < 8; id++)
        sim_add_player(&w, id * 7);
    int mismatches = 0, score_events = 0;
    for (int t = 0; t < 5000; t++) {
        test_input_next(&in, &rng);
        sim_player copies[SIM_MAX_PLAYERS];
        memcpy(copies, w.players, sizeof copies);
        static sim_world before;
        before = w;
        sim_step(&w, in.buttons);
        for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
            /* Other players (push-apart) and round starts are the
             * server's to decide, like gems. */
            if (!copies[id].active || test_near_other(&before, id, 2 * 2) || test_event_seen(&w, SIM_EV_ROUND_START))
                continue;
            sim_player_move(&copies[id], in.buttons[id]);
            if (!test_player_eq(&copies[id], &w.players[id], false))
                mismatches++;
            if (copies[id].score != w.players[id].score)
                score_events++; /* a gem: the one thing prediction leaves to the server */
        }
    }
    CHECK_MSG(mismatches == 0, "%d predicted moves differ from the server's", mismatches);
    CHECK(score_events > 0);

    /* A longer replay, as after a snapshot: N inputs from an old state. */
    sim_init(&w, 5);
    sim_add_player(&w, 4);
    sim_player snap = w.players[4];
    uint8_t history[120], buttons[SIM_MAX_PLAYERS] = {0};
    for (int t = 0; t < 120; t++) {
        history[t] = (uint8_t)(test_rng(&rng) & 15);
        buttons[4] = history[t];
        sim_step(&w, buttons);
    }
    for (int t = 0; t < 120; t++)
        sim_player_move(&snap, history[t]);
    CHECK(test_player_eq(&snap, &w.players[4], false));
}

/* Runs n bots for ticks, the view lagging `lag` ticks behind the world
 * (a client sees snapshots a little late) and each bot asked `polls`
 * times per tick (a client loop runs faster than the tick; the last
 * answer is the one sent). Reports per-bot scores and whether every bot
 * moved in every 5 s window. */
static int test_stacked_ticks; /* ticks in which two bots stood within 3 px */

static void test_run_bots(uint32_t seed, int n, int ticks, int lag, int polls, bool no_gems, int scores[],
                          bool *always_moving, bool *walls_ok)
{
    test_stacked_ticks = 0;
    enum { MAX_LAG = 8 };
    static sim_world w, history[MAX_LAG + 1];
    bot_state bots[SIM_MAX_PLAYERS];
    sim_init(&w, seed);
    for (int i = 0; i < n; i++) {
        sim_add_player(&w, i);
        bot_init(&bots[i], seed * 31u + (uint32_t)i);
    }
    int32_t window_x[SIM_MAX_PLAYERS], window_y[SIM_MAX_PLAYERS];
    bool window_moved[SIM_MAX_PLAYERS];
    *always_moving = true;
    *walls_ok = true;
    for (int t = 0; t < ticks; t++) {
        if (no_gems)
            for (int g = 0; g < SIM_MAX_GEMS; g++)
                w.gems[g].active = false;
        history[t % (MAX_LAG + 1)] = w;
        const sim_world *view = &history[(t - (t >= lag ? lag : t)) % (MAX_LAG + 1)];
        if (t % (5 * SIM_TICK_HZ) == 0) {
            for (int i = 0; i < n && t > 0; i++)
                if (!window_moved[i])
                    *always_moving = false;
            for (int i = 0; i < n; i++) {
                window_x[i] = w.players[i].x;
                window_y[i] = w.players[i].y;
                window_moved[i] = false;
            }
        }
        uint8_t buttons[SIM_MAX_PLAYERS] = {0};
        for (int k = 0; k < polls; k++)
            for (int i = 0; i < n; i++)
                buttons[i] = bot_think(&bots[i], view, i);
        sim_step(&w, buttons);
        for (int i = 0; i < n; i++) {
            if (w.players[i].x != window_x[i] || w.players[i].y != window_y[i])
                window_moved[i] = true;
            if (test_hits_wall(&w.players[i]))
                *walls_ok = false;
        }
        bool stacked = false;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (abs(w.players[i].x - w.players[j].x) <= 3 * SIM_FP && abs(w.players[i].y - w.players[j].y) <= 3 * SIM_FP)
                    stacked = true;
        test_stacked_ticks += stacked;
    }
    for (int i = 0; i < n; i++) {
        if (!window_moved[i])
            *always_moving = false;
        scores[i] = w.players[i].score;
    }
}

static void test_bots(void)
{
    int scores[SIM_MAX_PLAYERS], again[SIM_MAX_PLAYERS];
    bool moving, walls_ok;

    test_run_bots(1, 4, 60 * SIM_TICK_HZ, 0, 1, false, scores, &moving, &walls_ok);
    int total = 0;
    for (int i = 0; i < 4; i++)
        total += scores[i];
    printf("bots, 60 s: scores %d %d %d %d (total %d)\n", scores[0], scores[1], scores[2], scores[3], total);
    CHECK(total > 0);
    CHECK_MSG(total >= 40, "bots collected only %d gems in 60 s", total); /* they actually hunt */
    for (int i = 0; i < 4; i++)
        CHECK_MSG(scores[i] > 0, "bot %d scored nothing", i);
    CHECK(moving);
    CHECK(walls_ok);
    /* Bots leave a gem to whoever is nearer, so they spread out instead
     * of running as one stacked sprite. */
    printf("bots, 60 s: two bots stacked in %d of %d ticks\n", test_stacked_ticks, 60 * SIM_TICK_HZ);
    CHECK(test_stacked_ticks < 60 * SIM_TICK_HZ / 50);

    /* Same seeds, same game. */
    test_run_bots(1, 4, 60 * SIM_TICK_HZ, 0, 1, false, again, &moving, &walls_ok);
    CHECK(memcmp(scores, again, 4 * sizeof scores[0]) == 0);

    /* Through a lagging view (100 ms) polled 8 times a tick, as a real
     * client loop sees the world. */
    test_run_bots(2, 4, 60 * SIM_TICK_HZ, 6, 8, false, scores, &moving, &walls_ok);
    total = scores[0] + scores[1] + scores[2] + scores[3];
    printf("bots, 60 s, 100 ms lag: total %d\n", total);
    CHECK(total > 0 && moving && walls_ok);

    /* A crowd of 16 bots, three seeds: none is ever stuck for 5 s. */
    for (uint32_t seed = 3; seed < 6; seed++) {
        test_run_bots(seed, 16, 60 * SIM_TICK_HZ, 0, 1, false, scores, &moving, &walls_ok);
        CHECK_MSG(moving, "seed %u: a bot stood still for 5 s", seed);
        CHECK(walls_ok);
    }

    /* Without gems they wander rather than stand. */
    test_run_bots(9, 4, 30 * SIM_TICK_HZ, 0, 1, true, scores, &moving, &walls_ok);
    CHECK(moving && walls_ok);

    /* Stuck (the view says it never moves, whatever it presses): it
     * tries other directions, holding each for a while. */
    static sim_world frozen;
    bot_state b;
    sim_init(&frozen, 4);
    sim_add_player(&frozen, 0);
    bot_init(&b, 12);
    uint16_t seen = 0;
    uint8_t prev = 0;
    int run = 0, short_runs = 0, pressed = 0;
    for (int t = 0; t < 10 * SIM_TICK_HZ; t++) {
        frozen.tick++; /* snapshots keep coming; the bot is not in them moving */
        uint8_t btn = bot_think(&b, &frozen, 0);
        pressed += btn != 0;
        seen |= (uint16_t)(1u << btn);
        if (btn != prev && t > 0) {
            short_runs += run < 5; /* dithering, not trying a direction */
            run = 0;
        }
        run++;
        prev = btn;
    }
    int distinct = 0;
    for (int i = 1; i < 16; i++)
        distinct += (seen >> i) & 1;
    CHECK_MSG(distinct >= 3, "stuck bot tried %d directions", distinct);
    CHECK_MSG(short_runs == 0, "stuck bot changed its mind %d times within 5 ticks", short_runs);
    CHECK(pressed > 10 * SIM_TICK_HZ * 9 / 10);

    /* Asking again about the same tick changes nothing. */
    bot_state b1, b2;
    bot_init(&b1, 5);
    sim_init(&frozen, 4);
    sim_add_player(&frozen, 1);
    uint8_t first = bot_think(&b1, &frozen, 1);
    memcpy(&b2, &b1, sizeof b2);
    for (int k = 0; k < 50; k++)
        CHECK(bot_think(&b1, &frozen, 1) == first);
    CHECK(memcmp(&b1, &b2, sizeof b1) == 0);

    /* A hostile host's view: ourselves and a gem-racing rival at the ends
     * of int32. The bot and the move both start from the nearest point on
     * the map (no overflow: UBSan builds abort on one); the bot presses
     * only real buttons and the move ends beside the map. */
    static sim_world odd;
    sim_init(&odd, 4);
    sim_add_player(&odd, 0);
    sim_add_player(&odd, 1);
    for (int g = 0; g < SIM_MAX_GEMS; g++)
        odd.gems[g].active = false; /* no gem: it wanders, aiming at a tile */
    bot_init(&b, 9);
    for (int t = 0; t < 10; t++) { /* first on the map: it picks a goal */
        odd.tick++;
        bot_think(&b, &odd, 0);
    }
    for (int t = 0; t < 40; t++) {
        odd.tick++;
        odd.players[0].x = (t & 1) ? INT32_MIN : INT32_MAX;
        odd.players[0].y = (t & 2) ? INT32_MIN : INT32_MAX;
        odd.players[1].x = (t & 1) ? INT32_MAX : INT32_MIN;
        uint8_t btn = bot_think(&b, &odd, 0);
        CHECK((btn & ~(SIM_BTN_UP | SIM_BTN_DOWN | SIM_BTN_LEFT | SIM_BTN_RIGHT)) == 0);
        sim_player moved = odd.players[0];
        sim_player_move(&moved, SIM_BTN_RIGHT | SIM_BTN_DOWN);
        /* Near the map: the edge, or flush with the wall face beside it. */
        const int32_t tile = SIM_TILE * SIM_FP;
        CHECK(moved.x >= -tile && moved.x <= SIM_ARENA_W * SIM_FP + tile);
        CHECK(moved.y >= -tile && moved.y <= SIM_ARENA_H * SIM_FP + tile);
    }

    /* An inactive or out-of-range self presses nothing. */
    static sim_world w;
    sim_init(&w, 1);
    bot_init(&b, 0);
    CHECK(b.rng != 0);
    CHECK(bot_think(&b, &w, 0) == 0);
    CHECK(bot_think(&b, &w, -1) == 0 && bot_think(&b, &w, SIM_MAX_PLAYERS) == 0);

    /* A corrupt view (gem off the map) is ignored, not indexed. */
    sim_add_player(&w, 0);
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        w.gems[i].active = true;
        w.gems[i].x = (int16_t)(i & 1 ? -40 : 30000);
        w.gems[i].y = (int16_t)(i & 2 ? -3 : 20000);
    }
    for (int t = 0; t < 100; t++)
        sim_step(&w, (uint8_t[SIM_MAX_PLAYERS]){bot_think(&b, &w, 0)});
    CHECK(w.players[0].score == 0 && !test_hits_wall(&w.players[0]));
}

int main(void)
{
    test_map();
    test_spawns();
    test_speed_cap();
    test_friction();
    test_facing_step();
    test_walls_sweep();
    test_walls_random();
    test_determinism();
    test_gems();
    test_replay();
    test_bots();
    return check_done("sim");
}
