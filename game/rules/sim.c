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
 *  - Gems sit on floor tile centres, in whole pixels; a dropped point
 *    sits where its player's centre was, which is floor too.
 *  - Order within a step: moves, dash hits (ascending dasher id, then
 *    victim id), push-apart (pairs in ascending id order), pickups
 *    (ascending gem, then player id), the match clock. Every loop runs in
 *    id order, so the result is the same on every machine.
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
_Static_assert(SIM_TOP_SPEED < SIM_TILE_FP && SIM_KNOCK_SPEED <= SIM_TOP_SPEED && SIM_MAX_SPEED <= SIM_TOP_SPEED,
               "a dash or a knock must be shorter than a tile a tick");
_Static_assert(2 * SIM_PLAYER_HALF * SIM_FP < SIM_TILE_FP, "a push-apart must be shorter than a tile");
_Static_assert(SIM_DASH_TICKS >= 2 && SIM_DASH_TICKS <= 15 && SIM_DASH_COOLDOWN <= 255 && SIM_STUN_TICKS <= 255,
               "dash counters are u8 (and a started dash outlives its first tick)");
_Static_assert(SIM_DROP_GEMS >= 1, "a knocked player's point needs a gem slot");
_Static_assert(SIM_COUNTDOWN_TICKS < SIM_INTERMISSION_TICKS, "the countdown ends the intermission");
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

/* Smallest r with r*r >= s, for s >= 0 (s stays below 2048^2 here:
 * both axes are clamped to SIM_TOP_SPEED first). */
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
static void sim_cap_speed(int32_t *vx, int32_t *vy, int32_t max)
{
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

static int32_t sim_sign(int32_t v)
{
    return (v > 0) - (v < 0);
}

/* Starts a dash in the held direction, or the facing one when none is. */
static void sim_dash_start(sim_player *p, int dx, int dy)
{
    if (dx == 0 && dy == 0) {
        dx = p->facing == SIM_FACE_RIGHT ? 1 : p->facing == SIM_FACE_LEFT ? -1 : 0;
        dy = p->facing == SIM_FACE_DOWN ? 1 : p->facing == SIM_FACE_UP ? -1 : 0;
    }
    int32_t speed = (dx != 0 && dy != 0) ? SIM_DASH_SPEED * 181 / 256 : SIM_DASH_SPEED;
    p->vx = dx * speed;
    p->vy = dy * speed;
    p->dash = SIM_DASH_TICKS;
    p->cooldown = SIM_DASH_COOLDOWN;
}

void sim_player_move(sim_player *p, uint8_t buttons)
{
    /* Opposite buttons cancel, as on a d-pad. */
    int dx = ((buttons & SIM_BTN_RIGHT) != 0) - ((buttons & SIM_BTN_LEFT) != 0);
    int dy = ((buttons & SIM_BTN_DOWN) != 0) - ((buttons & SIM_BTN_UP) != 0);
    int32_t top = (dx != 0 && dy != 0) ? SIM_DIAG_SPEED : SIM_MAX_SPEED;

    /* A position off the map (never the server's own; a hostile host's
     * snapshot, predicted or extrapolated on a client) is brought to the
     * map's edge first, so no sum below can overflow; so are counters
     * past their limits. */
    p->x = sim_clamp(p->x, 0, SIM_ARENA_W * SIM_FP);
    p->y = sim_clamp(p->y, 0, SIM_ARENA_H * SIM_FP);
    if (p->dash > SIM_DASH_TICKS)
        p->dash = SIM_DASH_TICKS;
    if (p->cooldown > SIM_DASH_COOLDOWN)
        p->cooldown = SIM_DASH_COOLDOWN;
    if (p->stun > SIM_STUN_TICKS)
        p->stun = SIM_STUN_TICKS;

    if (p->cooldown > 0)
        p->cooldown--;
    if (p->stun > 0) {
        /* Tumbling: no control, the knock slows by friction. */
        p->stun--;
        p->dash = 0;
        p->vx = sim_approach(p->vx, 0, SIM_FRICTION);
        p->vy = sim_approach(p->vy, 0, SIM_FRICTION);
        sim_cap_speed(&p->vx, &p->vy, SIM_KNOCK_SPEED);
    } else {
        if ((buttons & SIM_BTN_DASH) && p->cooldown == 0 && p->dash == 0)
            sim_dash_start(p, dx, dy);
        if (p->dash > 0) {
            /* The dash keeps its velocity; a wall spends an axis of it. */
            p->dash--;
            sim_cap_speed(&p->vx, &p->vy, SIM_DASH_SPEED);
        } else {
            p->vx = dx ? sim_approach(p->vx, dx * top, SIM_ACCEL) : sim_approach(p->vx, 0, SIM_FRICTION);
            p->vy = dy ? sim_approach(p->vy, dy * top, SIM_ACCEL) : sim_approach(p->vy, 0, SIM_FRICTION);
            sim_cap_speed(&p->vx, &p->vy, SIM_MAX_SPEED);
        }
    }

    /* x then y: sliding along a wall keeps the free axis' motion. */
    sim_move_x(p);
    sim_move_y(p);

    /* Facing follows the motion that actually happened (after collision),
     * so pushing into a wall does not turn the sprite; on an exact
     * diagonal the vertical sprite wins. A tumble does not turn it. */
    int32_t ax = p->vx < 0 ? -p->vx : p->vx;
    int32_t ay = p->vy < 0 ? -p->vy : p->vy;
    if (p->stun > 0)
        ;
    else if (ax > ay)
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

/* ---- players on players ------------------------------------------------ */

static void sim_event_add(sim_world *w, sim_event e)
{
    if (w->event_count < SIM_MAX_EVENTS)
        w->events[w->event_count++] = e;
}

bool sim_dash_reaches_at(int32_t dx, int32_t dy, int32_t vx, int32_t vy)
{
    int64_t reach = (int64_t)(2 * SIM_PLAYER_HALF + SIM_DASH_REACH) * SIM_FP;
    int64_t ex = (int64_t)vx - dx, ey = (int64_t)vy - dy;
    return ex < reach && ex > -reach && ey < reach && ey > -reach;
}

bool sim_dash_reaches(const sim_world *w, int dasher, int victim, void *ctx)
{
    (void)ctx;
    const sim_player *a = &w->players[dasher], *b = &w->players[victim];
    return sim_dash_reaches_at(a->x, a->y, b->x, b->y);
}

bool sim_can_be_hit(const sim_world *w, int dasher, int victim)
{
    if (victim < 0 || victim >= SIM_MAX_PLAYERS || victim == dasher)
        return false;
    const sim_player *b = &w->players[victim];
    return b->active && b->stun == 0;
}

/* A point dropped at (x, y) pixels: a free drop slot, else the oldest. */
static void sim_drop_gem(sim_world *w, int16_t x, int16_t y)
{
    int slot = -1;
    for (int i = SIM_ACTIVE_GEMS; i < SIM_MAX_GEMS && slot < 0; i++)
        if (!w->gems[i].active)
            slot = i;
    if (slot < 0) {
        slot = SIM_ACTIVE_GEMS + w->drop_next % SIM_DROP_GEMS;
        w->drop_next = (uint8_t)((w->drop_next + 1) % SIM_DROP_GEMS);
    }
    w->gems[slot] = (sim_gem){.active = true, .x = x, .y = y};
}

/* a's dash reached b: b is knocked along a's motion (or straight away
 * from a when a stands against a wall), tumbles, and drops a point. */
static void sim_hit(sim_world *w, int a_id, int b_id)
{
    sim_player *a = &w->players[a_id], *b = &w->players[b_id];
    int32_t kx = sim_sign(a->vx), ky = sim_sign(a->vy);
    if (kx == 0 && ky == 0) {
        kx = sim_sign(b->x - a->x);
        ky = sim_sign(b->y - a->y);
        if (kx == 0 && ky == 0)
            kx = a_id < b_id ? 1 : -1;
    }
    int32_t speed = (kx != 0 && ky != 0) ? SIM_KNOCK_SPEED * 181 / 256 : SIM_KNOCK_SPEED;
    b->vx = kx * speed;
    b->vy = ky * speed;
    b->dash = 0;
    b->stun = SIM_STUN_TICKS;
    sim_event e = {.type = SIM_EV_HIT, .a = (uint8_t)a_id, .b = (uint8_t)b_id,
                   .x = (int16_t)(b->x / SIM_FP), .y = (int16_t)(b->y / SIM_FP)};
    if (b->score > 0) {
        b->score--;
        sim_drop_gem(w, e.x, e.y);
        e.drop = 1;
    }
    sim_event_add(w, e);
}

/* Moves p by d fp units along x (or y) with the wall collision of a move
 * (|d| under a tile), keeping its velocity. Returns how far it went. */
static int32_t sim_nudge(sim_player *p, bool along_x, int32_t d)
{
    int32_t vx = p->vx, vy = p->vy, x0 = p->x, y0 = p->y;
    if (along_x) {
        p->vx = d;
        sim_move_x(p);
    } else {
        p->vy = d;
        sim_move_y(p);
    }
    p->vx = vx;
    p->vy = vy;
    return along_x ? p->x - x0 : p->y - y0;
}

/* Separates a and b by `gap` along one axis, b toward +s: half each, and
 * what a wall keeps one from moving the other takes. */
static void sim_separate(sim_player *a, sim_player *b, bool along_x, int32_t s, int32_t gap)
{
    int32_t want_b = s * (gap - gap / 2);
    int32_t short_b = want_b - sim_nudge(b, along_x, want_b);
    int32_t want_a = -s * (gap / 2) - short_b;
    int32_t short_a = want_a - sim_nudge(a, along_x, want_a);
    if (short_a != 0)
        sim_nudge(b, along_x, -short_a);
}

/* Overlapping boxes move apart along the axis they overlap least, half
 * each (b, the higher id, goes right or down on a tie). One pass a tick,
 * in id order; a crowd settles over the next ticks. Tumbling players
 * pass through others. */
static void sim_push_apart(sim_world *w)
{
    const int32_t size = 2 * SIM_HALF_FP;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        sim_player *a = &w->players[i];
        if (!a->active || a->stun > 0)
            continue;
        for (int j = i + 1; j < SIM_MAX_PLAYERS; j++) {
            sim_player *b = &w->players[j];
            if (!b->active || b->stun > 0)
                continue;
            int32_t dx = b->x - a->x, dy = b->y - a->y;
            int32_t adx = dx < 0 ? -dx : dx, ady = dy < 0 ? -dy : dy;
            if (adx >= size || ady >= size)
                continue;
            int32_t px = size - adx, py = size - ady;
            if (px <= py)
                sim_separate(a, b, true, dx < 0 ? -1 : 1, px);
            else
                sim_separate(a, b, false, dy < 0 ? -1 : 1, py);
        }
    }
}

/* ---- the match ---------------------------------------------------------- */

const char *sim_phase_name(uint8_t phase)
{
    switch (phase) {
    case SIM_PHASE_WARMUP:
        return "warmup";
    case SIM_PHASE_PLAYING:
        return "playing";
    case SIM_PHASE_INTERMISSION:
        return "intermission";
    default:
        return "unknown";
    }
}

void sim_match_config(sim_world *w, int round_seconds, int score_limit)
{
    if (round_seconds < 0)
        round_seconds = SIM_ROUND_SECONDS_DEFAULT;
    if (round_seconds > 0 && round_seconds < SIM_ROUND_SECONDS_MIN)
        round_seconds = SIM_ROUND_SECONDS_MIN;
    if (round_seconds > SIM_ROUND_SECONDS_MAX)
        round_seconds = SIM_ROUND_SECONDS_MAX;
    w->match.round_ticks = (uint32_t)round_seconds * SIM_TICK_HZ;
    w->match.score_limit = (uint16_t)(score_limit < 0 ? 0 : score_limit > UINT16_MAX ? UINT16_MAX : score_limit);
}

void sim_match_start(sim_world *w)
{
    if (w->match.phase == SIM_PHASE_WARMUP)
        w->match.start_now = true;
}

uint32_t sim_match_seconds_left(const sim_match *m)
{
    return (m->left + SIM_TICK_HZ - 1) / SIM_TICK_HZ;
}

/* Everyone back to their spawn with nothing, fresh gems, the clock set. */
static void sim_round_start(sim_world *w)
{
    sim_match *m = &w->match;
    for (int id = 0; id < SIM_MAX_PLAYERS; id++)
        if (w->players[id].active)
            sim_add_player(w, id);
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        w->gems[i].active = false;
    for (int i = 0; i < SIM_ACTIVE_GEMS; i++)
        sim_place_gem(w, i);
    w->drop_next = 0;
    m->phase = SIM_PHASE_PLAYING;
    m->left = m->round_ticks;
    m->start_now = false;
    sim_event_add(w, (sim_event){.type = SIM_EV_ROUND_START, .a = (uint8_t)m->round});
}

/* The single best score wins; a tie is a draw. */
static void sim_round_end(sim_world *w)
{
    sim_match *m = &w->match;
    int best = -1, winner = SIM_NOBODY;
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        const sim_player *p = &w->players[id];
        if (!p->active)
            continue;
        if (p->score > best) {
            best = p->score;
            winner = id;
        } else if (p->score == best) {
            winner = SIM_NOBODY;
        }
    }
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        sim_player *p = &w->players[id];
        p->vx = p->vy = 0;
        p->moving = 0;
        p->step = 0;
        p->dash = p->stun = 0;
    }
    m->phase = SIM_PHASE_INTERMISSION;
    m->left = SIM_INTERMISSION_TICKS;
    m->winner = (uint8_t)winner;
    sim_event_add(w, (sim_event){.type = SIM_EV_ROUND_END, .a = (uint8_t)winner});
}

/* A countdown event on each whole second of the last three. */
static void sim_countdown_tick(sim_world *w)
{
    uint32_t left = w->match.left;
    if (left > 0 && left <= SIM_COUNTDOWN_TICKS && left % SIM_TICK_HZ == 0)
        sim_event_add(w, (sim_event){.type = SIM_EV_COUNTDOWN, .a = (uint8_t)(left / SIM_TICK_HZ)});
}

static void sim_match_step(sim_world *w)
{
    sim_match *m = &w->match;
    int players = 0, best = 0;
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        if (w->players[id].active) {
            players++;
            if (w->players[id].score > best)
                best = w->players[id].score;
        }
    }
    if (m->round == 0)
        m->round = 1;
    switch (m->phase) {
    case SIM_PHASE_WARMUP:
        if (players == 0 || (players < 2 && !m->start_now)) {
            m->left = 0; /* a countdown stops when the second player leaves */
            if (players == 0)
                m->start_now = false;
        } else if (m->left == 0) {
            /* This tick is the countdown's first. */
            sim_event_add(w, (sim_event){.type = SIM_EV_COUNTDOWN, .a = SIM_COUNTDOWN_TICKS / SIM_TICK_HZ});
            m->left = SIM_COUNTDOWN_TICKS - 1;
        } else if (--m->left == 0) {
            sim_round_start(w);
        } else {
            sim_countdown_tick(w);
        }
        break;
    case SIM_PHASE_PLAYING:
        if (players == 0) {
            m->phase = SIM_PHASE_WARMUP;
            m->left = 0;
        } else if (m->score_limit > 0 && best >= m->score_limit) {
            sim_round_end(w);
        } else if (m->left > 0 && --m->left == 0) {
            sim_round_end(w);
        }
        break;
    case SIM_PHASE_INTERMISSION:
        if (m->left > 0)
            m->left--;
        if (m->left == 0) {
            m->round++;
            if (m->round == 0)
                m->round = 1;
            if (players == 0) {
                m->phase = SIM_PHASE_WARMUP;
            } else {
                sim_round_start(w);
            }
        } else {
            sim_countdown_tick(w);
        }
        break;
    default:
        m->phase = SIM_PHASE_WARMUP;
        m->left = 0;
        break;
    }
}

/* ---- world ------------------------------------------------------------- */

void sim_init(sim_world *w, uint32_t seed)
{
    memset(w, 0, sizeof *w);
    w->rng = seed ? seed : SIM_RNG_FALLBACK;
    for (int i = 0; i < SIM_ACTIVE_GEMS; i++)
        sim_place_gem(w, i);
    w->match.round = 1;
    w->match.winner = SIM_NOBODY;
    sim_match_config(w, SIM_ROUND_SECONDS_DEFAULT, 0);
}

void sim_step(sim_world *w, const uint8_t buttons[SIM_MAX_PLAYERS])
{
    sim_step_judged(w, buttons, NULL, NULL);
}

void sim_step_judged(sim_world *w, const uint8_t buttons[SIM_MAX_PLAYERS], sim_hit_judge judge, void *ctx)
{
    w->event_count = 0;
    bool frozen = w->match.phase == SIM_PHASE_INTERMISSION;
    /* A NULL buttons array means nobody presses anything. */
    static const uint8_t none[SIM_MAX_PLAYERS];
    if (!buttons || frozen)
        buttons = none;
    if (!judge)
        judge = sim_dash_reaches;

    /* A player dashes this tick when its dash had ticks left or just
     * started. */
    uint8_t dashing[SIM_MAX_PLAYERS];
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        sim_player *p = &w->players[id];
        dashing[id] = 0;
        if (!p->active)
            continue;
        uint8_t before = p->dash;
        sim_player_move(p, buttons[id]);
        dashing[id] = before > 0 || p->dash > 0;
        if (before == 0 && p->dash > 0)
            sim_event_add(w, (sim_event){.type = SIM_EV_DASH, .a = (uint8_t)id,
                                         .x = (int16_t)(p->x / SIM_FP), .y = (int16_t)(p->y / SIM_FP)});
    }

    /* Dashes land after all moves; a dasher knocked earlier in this loop
     * is tumbling and lands nothing. */
    for (int a = 0; a < SIM_MAX_PLAYERS; a++) {
        if (!dashing[a] || w->players[a].stun > 0)
            continue;
        for (int b = 0; b < SIM_MAX_PLAYERS; b++)
            if (sim_can_be_hit(w, a, b) && judge(w, a, b, ctx))
                sim_hit(w, a, b);
    }
    sim_push_apart(w);

    /* Pickups after all moves, so the result does not depend on the order
     * players moved in; ties go to the lowest id. Nothing is picked up in
     * an intermission or while tumbling. */
    for (int i = 0; i < SIM_MAX_GEMS && !frozen; i++) {
        if (!w->gems[i].active)
            continue;
        for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
            sim_player *p = &w->players[id];
            if (p->active && p->stun == 0 && sim_touches_gem(p, &w->gems[i])) {
                if (p->score < UINT16_MAX)
                    p->score++;
                sim_event_add(w, (sim_event){.type = SIM_EV_PICKUP, .a = (uint8_t)id, .x = w->gems[i].x,
                                             .y = w->gems[i].y});
                if (i < SIM_ACTIVE_GEMS)
                    sim_place_gem(w, i);
                else
                    w->gems[i].active = false;
                break;
            }
        }
    }
    sim_match_step(w);
    w->tick++;
}
