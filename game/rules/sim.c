/*
 * sim: the game rules. Everything here is integer arithmetic on the
 * caller's state plus one constant map, so the server's sim_step and a
 * client's prediction with sim_player_move produce the same bits.
 *
 * Conventions:
 *  - Positions are fixed point, SIM_FP units per pixel; a tile is
 *    SIM_TILE_FP units wide.
 *  - A player's hitbox is the half-open square [x-H, x+H) x [y-H, y+H)
 *    with H = SIM_HALF_FP. Invariant: it never overlaps a wall tile
 *    (spawns are on floor; every move clamps to the wall face).
 *  - Gems sit on floor tile centres, in whole pixels.
 */
#include "sim.h"

#include <stddef.h>
#include <string.h>

#define SIM_TILE_FP (SIM_TILE * SIM_FP)
#define SIM_HALF_FP (SIM_PLAYER_HALF * SIM_FP)

/* Per-axis top speed when both axes are pressed: 181/256 ~ 1/sqrt(2), so
 * running diagonally is not faster than running straight. */
#define SIM_DIAG_SPEED (SIM_MAX_SPEED * 181 / 256)

/* A respawned gem keeps this far (pixels) from every player, so nobody
 * scores twice by standing still, and this far from the other gems. */
#define SIM_GEM_PLAYER_GAP (5 * SIM_TILE)
#define SIM_GEM_GEM_GAP (3 * SIM_TILE)
#define SIM_GEM_TRIES 16

/* xorshift32 has a fixed point at 0; a zero seed would freeze the gems. */
#define SIM_RNG_FALLBACK 0x9E3779B9u

/* Collision checks only the leading tile column/row of a move; that is
 * exact only while a tick's motion is shorter than a tile. */
_Static_assert(SIM_MAX_SPEED < SIM_TILE_FP, "a tick's move must be shorter than a tile");
_Static_assert(2 * SIM_PLAYER_HALF < SIM_TILE, "the hitbox must fit a one-tile gap");
_Static_assert(SIM_DIAG_SPEED * SIM_DIAG_SPEED * 2 <= SIM_MAX_SPEED * SIM_MAX_SPEED,
               "diagonal top speed must not exceed the straight one");
_Static_assert(SIM_ACTIVE_GEMS <= SIM_MAX_GEMS, "more active gems than slots");
_Static_assert(SIM_ARENA_W <= INT16_MAX && SIM_ARENA_H <= INT16_MAX, "gem pixels are int16");

/* The arena. Left-right and top-bottom symmetric so no spawn corner is
 * favoured; corridors are at least two tiles wide. tests/test_sim.c checks
 * that every floor tile is reachable from every other. */
static const char sim_map[SIM_MAP_H][SIM_MAP_W + 1] = {
    "################################################",
    "#......................##......................#",
    "#......................##......................#",
    "#..............................................#",
    "#..######.....#..................#.....######..#",
    "#..#..........#.....##....##.....#..........#..#",
    "#..#..........#.....##....##.....#..........#..#",
    "#..#........................................#..#",
    "#..............................................#",
    "#.......##.....######......######.....##.......#",
    "#.......##............................##.......#",
    "#####......................................#####",
    "#.................#....##....#.................#",
    "#.................#....##....#.................#",
    "#.................#....##....#.................#",
    "#####......................................#####",
    "#.......##............................##.......#",
    "#.......##.....######......######.....##.......#",
    "#..............................................#",
    "#..#........................................#..#",
    "#..#..........#.....##....##.....#..........#..#",
    "#..#..........#.....##....##.....#..........#..#",
    "#..######.....#..................#.....######..#",
    "#..............................................#",
    "#......................##......................#",
    "#......................##......................#",
    "################################################",
};

/* What lies outside the map reads as solid, like sim_is_wall says. */
static const char sim_solid_row[SIM_MAP_W + 1] =
    "################################################";

bool sim_is_wall(int tx, int ty)
{
    if (tx < 0 || ty < 0 || tx >= SIM_MAP_W || ty >= SIM_MAP_H)
        return true;
    return sim_map[ty][tx] == '#';
}

const char *sim_map_row(int ty)
{
    if (ty < 0 || ty >= SIM_MAP_H)
        return sim_solid_row;
    return sim_map[ty];
}

/* Rounds toward minus infinity, so a position a hair left of 0 maps to
 * tile -1 (a wall) rather than tile 0. */
static int32_t sim_floor_div(int32_t a, int32_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static uint32_t sim_rng_next(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* ---- movement ---------------------------------------------------------- */

static int32_t sim_approach(int32_t v, int32_t target, int32_t rate)
{
    if (v < target)
        return (target - v > rate) ? v + rate : target;
    if (v > target)
        return (v - target > rate) ? v - rate : target;
    return v;
}

static int32_t sim_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Smallest r with r*r >= s, for s >= 0 (s stays below 2^20 here). */
static int32_t sim_isqrt_ceil(int32_t s)
{
    int32_t lo = 0, hi = 2048;
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (mid * mid >= s)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Per-axis targets keep steady diagonal speed legal, but mixing friction
 * on one axis with acceleration on the other can overshoot for a few
 * ticks (e.g. releasing UP while running UP+RIGHT), so the length is
 * capped as well. Rounding the root up and dividing toward zero keeps the
 * result at or under the cap and mirror-symmetric. */
static void sim_cap_speed(int32_t *vx, int32_t *vy)
{
    const int32_t max = SIM_MAX_SPEED;
    /* Per-axis clamp first: it bounds the squares below and sanitises a
     * state that came off the wire. */
    *vx = sim_clamp(*vx, -max, max);
    *vy = sim_clamp(*vy, -max, max);
    int32_t s = *vx * *vx + *vy * *vy;
    if (s <= max * max)
        return;
    int32_t len = sim_isqrt_ceil(s);
    *vx = *vx * max / len;
    *vy = *vy * max / len;
}

/* True when a wall lies in tile column tx anywhere between tile rows
 * ty0..ty1 (inclusive). */
static bool sim_column_blocked(int32_t tx, int32_t ty0, int32_t ty1)
{
    for (int32_t ty = ty0; ty <= ty1; ty++)
        if (sim_is_wall(tx, ty))
            return true;
    return false;
}

static bool sim_row_blocked(int32_t ty, int32_t tx0, int32_t tx1)
{
    for (int32_t tx = tx0; tx <= tx1; tx++)
        if (sim_is_wall(tx, ty))
            return true;
    return false;
}

/* Moves along x by vx. Only the leading column can be new (the move is
 * under a tile, the box was clear), so that is the one to check; on a hit
 * the box stops flush with the wall face and vx is spent. */
static void sim_move_x(sim_player *p)
{
    if (p->vx == 0)
        return;
    int32_t nx = p->x + p->vx;
    int32_t ty0 = sim_floor_div(p->y - SIM_HALF_FP, SIM_TILE_FP);
    int32_t ty1 = sim_floor_div(p->y + SIM_HALF_FP - 1, SIM_TILE_FP);
    if (p->vx > 0) {
        int32_t tx = sim_floor_div(nx + SIM_HALF_FP - 1, SIM_TILE_FP);
        if (sim_column_blocked(tx, ty0, ty1)) {
            nx = tx * SIM_TILE_FP - SIM_HALF_FP;
            p->vx = 0;
        }
    } else {
        int32_t tx = sim_floor_div(nx - SIM_HALF_FP, SIM_TILE_FP);
        if (sim_column_blocked(tx, ty0, ty1)) {
            nx = (tx + 1) * SIM_TILE_FP + SIM_HALF_FP;
            p->vx = 0;
        }
    }
    p->x = nx;
}

static void sim_move_y(sim_player *p)
{
    if (p->vy == 0)
        return;
    int32_t ny = p->y + p->vy;
    int32_t tx0 = sim_floor_div(p->x - SIM_HALF_FP, SIM_TILE_FP);
    int32_t tx1 = sim_floor_div(p->x + SIM_HALF_FP - 1, SIM_TILE_FP);
    if (p->vy > 0) {
        int32_t ty = sim_floor_div(ny + SIM_HALF_FP - 1, SIM_TILE_FP);
        if (sim_row_blocked(ty, tx0, tx1)) {
            ny = ty * SIM_TILE_FP - SIM_HALF_FP;
            p->vy = 0;
        }
    } else {
        int32_t ty = sim_floor_div(ny - SIM_HALF_FP, SIM_TILE_FP);
        if (sim_row_blocked(ty, tx0, tx1)) {
            ny = (ty + 1) * SIM_TILE_FP + SIM_HALF_FP;
            p->vy = 0;
        }
    }
    p->y = ny;
}

void sim_player_move(sim_player *p, uint8_t buttons)
{
    /* Opposite buttons cancel, as on a d-pad. */
    int dx = ((buttons & SIM_BTN_RIGHT) != 0) - ((buttons & SIM_BTN_LEFT) != 0);
    int dy = ((buttons & SIM_BTN_DOWN) != 0) - ((buttons & SIM_BTN_UP) != 0);
    int32_t top = (dx != 0 && dy != 0) ? SIM_DIAG_SPEED : SIM_MAX_SPEED;

    /* A position off the map (never the server's own; a hostile host's
     * snapshot, predicted or extrapolated on a client) is brought to the
     * map's edge first, so no sum below can overflow. */
    p->x = sim_clamp(p->x, 0, SIM_ARENA_W * SIM_FP);
    p->y = sim_clamp(p->y, 0, SIM_ARENA_H * SIM_FP);

    p->vx = dx ? sim_approach(p->vx, dx * top, SIM_ACCEL) : sim_approach(p->vx, 0, SIM_FRICTION);
    p->vy = dy ? sim_approach(p->vy, dy * top, SIM_ACCEL) : sim_approach(p->vy, 0, SIM_FRICTION);
    sim_cap_speed(&p->vx, &p->vy);

    /* x then y: sliding along a wall keeps the free axis' motion. */
    sim_move_x(p);
    sim_move_y(p);

    /* Facing follows the motion that actually happened (after collision),
     * so pushing into a wall does not turn the sprite; on an exact
     * diagonal the vertical sprite wins. */
    int32_t ax = p->vx < 0 ? -p->vx : p->vx;
    int32_t ay = p->vy < 0 ? -p->vy : p->vy;
    if (ax > ay)
        p->facing = p->vx > 0 ? SIM_FACE_RIGHT : SIM_FACE_LEFT;
    else if (ay > 0)
        p->facing = p->vy > 0 ? SIM_FACE_DOWN : SIM_FACE_UP;

    p->moving = (p->vx != 0 || p->vy != 0);
    p->step = p->moving ? (uint8_t)(p->step + 1) : 0;
}

/* ---- spawn points ------------------------------------------------------ */

/* A tile is a good spawn when it and its eight neighbours are floor: the
 * player starts with room to move and is not pinned against a wall. */
static bool sim_spawn_candidate(int tx, int ty)
{
    for (int y = ty - 1; y <= ty + 1; y++)
        for (int x = tx - 1; x <= tx + 1; x++)
            if (sim_is_wall(x, y))
                return false;
    return true;
}

/* Spawn tile of player id. The first four go to the candidates nearest
 * the four corners (top-left, bottom-right, top-right, bottom-left) so
 * small games start fair; each later one is the candidate farthest from
 * all earlier spawns (farthest-point order). Derived from the map rather
 * than tabled, so editing the map cannot leave a spawn inside a wall.
 * Already chosen tiles have distance 0 and are never picked again while
 * any other candidate remains, so ids get distinct tiles. */
static void sim_spawn_tile(int id, int *out_tx, int *out_ty)
{
    static const int corner[4][2] = {
        {0, 0}, {SIM_MAP_W - 1, SIM_MAP_H - 1}, {SIM_MAP_W - 1, 0}, {0, SIM_MAP_H - 1}};
    int32_t dist[SIM_MAP_H][SIM_MAP_W]; /* squared tiles to nearest spawn; -1: not a candidate */
    int bx = SIM_MAP_W / 2, by = SIM_MAP_H / 2;

    for (int ty = 0; ty < SIM_MAP_H; ty++)
        for (int tx = 0; tx < SIM_MAP_W; tx++)
            dist[ty][tx] = sim_spawn_candidate(tx, ty) ? INT32_MAX : -1;

    for (int k = 0; k <= id; k++) {
        int32_t best = -1;
        for (int ty = 0; ty < SIM_MAP_H; ty++) {
            for (int tx = 0; tx < SIM_MAP_W; tx++) {
                if (dist[ty][tx] <= 0)
                    continue;
                int32_t score;
                if (k < 4) {
                    int32_t cx = tx - corner[k][0], cy = ty - corner[k][1];
                    score = INT32_MAX - (cx * cx + cy * cy); /* nearest corner wins */
                } else {
                    score = dist[ty][tx];
                }
                if (score > best) {
                    best = score;
                    bx = tx;
                    by = ty;
                }
            }
        }
        if (best < 0)
            break; /* no candidates left: keep the last tile */
        for (int ty = 0; ty < SIM_MAP_H; ty++) {
            for (int tx = 0; tx < SIM_MAP_W; tx++) {
                int32_t ex = tx - bx, ey = ty - by, d = ex * ex + ey * ey;
                if (dist[ty][tx] > d)
                    dist[ty][tx] = d;
            }
        }
    }
    *out_tx = bx;
    *out_ty = by;
}

void sim_add_player(sim_world *w, int id)
{
    if (id < 0 || id >= SIM_MAX_PLAYERS)
        return;
    int tx, ty;
    sim_spawn_tile(id, &tx, &ty);
    sim_player *p = &w->players[id];
    memset(p, 0, sizeof *p);
    p->active = true;
    p->x = (tx * SIM_TILE + SIM_TILE / 2) * SIM_FP;
    p->y = (ty * SIM_TILE + SIM_TILE / 2) * SIM_FP;
    p->facing = SIM_FACE_DOWN;
}

void sim_remove_player(sim_world *w, int id)
{
    if (id < 0 || id >= SIM_MAX_PLAYERS)
        return;
    memset(&w->players[id], 0, sizeof w->players[id]);
}

/* ---- gems -------------------------------------------------------------- */

static int sim_floor_count(void)
{
    int n = 0;
    for (int ty = 0; ty < SIM_MAP_H; ty++)
        for (int tx = 0; tx < SIM_MAP_W; tx++)
            n += !sim_is_wall(tx, ty);
    return n;
}

/* The n-th floor tile in row-major order (0 <= n < sim_floor_count()). */
static void sim_nth_floor(int n, int *out_tx, int *out_ty)
{
    for (int ty = 0; ty < SIM_MAP_H; ty++) {
        for (int tx = 0; tx < SIM_MAP_W; tx++) {
            if (sim_is_wall(tx, ty))
                continue;
            if (n-- == 0) {
                *out_tx = tx;
                *out_ty = ty;
                return;
            }
        }
    }
    *out_tx = 1; /* unreachable while n is in range */
    *out_ty = 1;
}

/* Squared distance in pixels^2 from a gem-to-be at pixel (gx, gy) to the
 * nearest active player (centre), or INT64_MAX when there is none. */
static int64_t sim_nearest_player_d2(const sim_world *w, int32_t gx, int32_t gy)
{
    int64_t best = INT64_MAX;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *p = &w->players[i];
        if (!p->active)
            continue;
        int64_t dx = (int64_t)p->x - (int64_t)gx * SIM_FP;
        int64_t dy = (int64_t)p->y - (int64_t)gy * SIM_FP;
        int64_t d2 = (dx * dx + dy * dy) / ((int64_t)SIM_FP * SIM_FP);
        if (d2 < best)
            best = d2;
    }
    return best;
}

static bool sim_near_other_gem(const sim_world *w, int self, int32_t gx, int32_t gy)
{
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        const sim_gem *g = &w->gems[i];
        if (i == self || !g->active)
            continue;
        int32_t dx = g->x - gx, dy = g->y - gy;
        if (dx * dx + dy * dy < SIM_GEM_GEM_GAP * SIM_GEM_GEM_GAP)
            return true;
    }
    return false;
}

/* Puts gem i on a random floor tile centre that keeps its distance from
 * players and other gems. A crowded arena may offer no such tile; after a
 * bounded number of draws take the draw farthest from the players, so the
 * step always ends and stays deterministic. */
static void sim_place_gem(sim_world *w, int i)
{
    const int floors = sim_floor_count();
    int32_t best_x = 0, best_y = 0;
    int64_t best_d2 = -1;
    for (int attempt = 0; attempt < SIM_GEM_TRIES; attempt++) {
        int tx, ty;
        sim_nth_floor((int)(sim_rng_next(&w->rng) % (uint32_t)floors), &tx, &ty);
        int32_t gx = tx * SIM_TILE + SIM_TILE / 2, gy = ty * SIM_TILE + SIM_TILE / 2;
        int64_t d2 = sim_nearest_player_d2(w, gx, gy);
        bool crowded = sim_near_other_gem(w, i, gx, gy);
        if (!crowded && d2 >= (int64_t)SIM_GEM_PLAYER_GAP * SIM_GEM_PLAYER_GAP) {
            best_x = gx;
            best_y = gy;
            break;
        }
        if (d2 > best_d2) {
            best_d2 = d2;
            best_x = gx;
            best_y = gy;
        }
    }
    w->gems[i].active = true;
    w->gems[i].x = (int16_t)best_x;
    w->gems[i].y = (int16_t)best_y;
}

/* Centre distance within SIM_GEM_RADIUS, exact in fixed point. */
static bool sim_touches_gem(const sim_player *p, const sim_gem *g)
{
    int64_t dx = (int64_t)p->x - (int64_t)g->x * SIM_FP;
    int64_t dy = (int64_t)p->y - (int64_t)g->y * SIM_FP;
    int64_t r = (int64_t)SIM_GEM_RADIUS * SIM_FP;
    return dx * dx + dy * dy <= r * r;
}

/* ---- world ------------------------------------------------------------- */

void sim_init(sim_world *w, uint32_t seed)
{
    memset(w, 0, sizeof *w);
    w->rng = seed ? seed : SIM_RNG_FALLBACK;
    for (int i = 0; i < SIM_ACTIVE_GEMS; i++)
        sim_place_gem(w, i);
}

void sim_step(sim_world *w, const uint8_t buttons[SIM_MAX_PLAYERS])
{
    /* A NULL buttons array means nobody presses anything. */
    for (int id = 0; id < SIM_MAX_PLAYERS; id++)
        if (w->players[id].active)
            sim_player_move(&w->players[id], buttons ? buttons[id] : 0);

    /* Pickups after all moves, so the result does not depend on the order
     * players moved in; ties go to the lowest id. */
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        if (!w->gems[i].active)
            continue;
        for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
            sim_player *p = &w->players[id];
            if (p->active && sim_touches_gem(p, &w->gems[i])) {
                if (p->score < UINT16_MAX)
                    p->score++;
                sim_place_gem(w, i);
                break;
            }
        }
    }
    w->tick++;
}
