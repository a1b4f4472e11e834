/*
 * bot: gem-chasing AI for `--bot` clients. See bot.h for the contract.
 *
 * Each tick: BFS over floor tiles from the bot's tile; pick the nearest
 * reachable gem (sticking with the current one unless another is clearly
 * nearer, so two equidistant gems do not make it dither); follow the
 * path's first straight run and steer to the centre of the tile where the
 * run ends, coasting when friction alone would stop it there. If its
 * position stops changing while it presses buttons, it holds a random
 * direction for half a second, which frees it from whatever the path
 * logic did not foresee.
 */
#include "bot.h"

#include <stdbool.h>
#include <string.h>

/* A bot dashes at a player with points this close (px, per axis). */
#define BOT_DASH_RANGE 24
#define BOT_TILES (SIM_MAP_W * SIM_MAP_H)
#define BOT_TILE_FP (SIM_TILE * SIM_FP)
#define BOT_STUCK_TICKS 12                /* still ticks (200 ms) before a detour */
#define BOT_DETOUR_TICKS (SIM_TICK_HZ / 2) /* ~0.5 s of random direction */
#define BOT_WANDER_TICKS (SIM_TICK_HZ * 5) /* give up on a wander goal */
#define BOT_SWITCH_MARGIN 4               /* tiles nearer before switching gem */
#define BOT_CLAIMED_PENALTY 30            /* tiles added to a gem someone else is nearer to */
#define BOT_DEADZONE SIM_FP               /* 1 px: close enough on an axis */
#define BOT_MAX_ELAPSED SIM_TICK_HZ        /* longer gaps count as one tick */
#define BOT_RNG_FALLBACK 0x2545F491u

_Static_assert(BOT_TILES <= INT16_MAX, "BFS distances are int16");
_Static_assert(BOT_DETOUR_TICKS <= UINT8_MAX && BOT_STUCK_TICKS <= UINT8_MAX, "tick counters are uint8");

static uint32_t bot_rng_next(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

void bot_init(bot_state *b, uint32_t seed)
{
    memset(b, 0, sizeof *b);
    b->rng = seed ? seed : BOT_RNG_FALLBACK;
    b->target_gem = -1;
    b->wander_tx = -1;
    b->wander_ty = -1;
}

/* Steps from (sx, sy) to every tile through 4-connected floor; -1 where
 * unreachable (walls included). The map is small (48x27), so a full
 * search per tick is simpler than keeping a path valid across ticks. */
static void bot_bfs(int sx, int sy, int16_t dist[BOT_TILES])
{
    int16_t queue[BOT_TILES];
    int head = 0, tail = 0;
    bool wall[BOT_TILES]; /* one sim_is_wall per tile, not per neighbour */
    for (int i = 0; i < BOT_TILES; i++) {
        dist[i] = -1;
        wall[i] = sim_is_wall(i % SIM_MAP_W, i / SIM_MAP_W);
    }
    if (sim_is_wall(sx, sy))
        return;
    dist[sy * SIM_MAP_W + sx] = 0;
    queue[tail++] = (int16_t)(sy * SIM_MAP_W + sx);
    while (head < tail) {
        int t = queue[head++];
        int tx = t % SIM_MAP_W, ty = t / SIM_MAP_W;
        static const int dir[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int d = 0; d < 4; d++) {
            int nx = tx + dir[d][0], ny = ty + dir[d][1];
            /* Off-map neighbours are walls; check before indexing. */
            if (nx < 0 || ny < 0 || nx >= SIM_MAP_W || ny >= SIM_MAP_H)
                continue;
            int n = ny * SIM_MAP_W + nx;
            if (wall[n] || dist[n] >= 0)
                continue;
            dist[n] = (int16_t)(dist[t] + 1);
            queue[tail++] = (int16_t)n;
        }
    }
}

/* Where to steer (fixed point): the far end of the first straight run of
 * the shortest path from the bot's tile to (gx, gy), as a tile centre.
 * Steering to the end of the run rather than the next tile keeps the bot
 * at full speed down corridors and brakes it only at turns. */
static void bot_path_target(const int16_t dist[BOT_TILES], int gx, int gy, int32_t *out_x, int32_t *out_y)
{
    int16_t path[BOT_TILES]; /* path[0] = goal ... path[n] = bot tile */
    int n = 0, tx = gx, ty = gy;
    path[0] = (int16_t)(gy * SIM_MAP_W + gx);
    while (dist[ty * SIM_MAP_W + tx] > 0) {
        static const int dir[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        int here = dist[ty * SIM_MAP_W + tx];
        bool found = false;
        for (int d = 0; d < 4 && !found; d++) {
            int nx = tx + dir[d][0], ny = ty + dir[d][1];
            if (!sim_is_wall(nx, ny) && dist[ny * SIM_MAP_W + nx] == here - 1) {
                tx = nx;
                ty = ny;
                found = true;
            }
        }
        if (!found)
            break; /* cannot happen for a BFS field; never loop forever */
        path[++n] = (int16_t)(ty * SIM_MAP_W + tx);
    }
    /* Walk forward from the bot (path[n]) while the direction holds. */
    int end = n;
    if (n > 0) {
        int step = path[n - 1] - path[n];
        end = n - 1;
        while (end > 0 && path[end - 1] - path[end] == step)
            end--;
    }
    *out_x = ((path[end] % SIM_MAP_W) * SIM_TILE + SIM_TILE / 2) * SIM_FP;
    *out_y = ((path[end] / SIM_MAP_W) * SIM_TILE + SIM_TILE / 2) * SIM_FP;
}

/* One axis of "arrive" steering: +1/-1 to press toward the target, 0 to
 * coast. Releasing once friction alone would stop the bot at the target
 * avoids overshooting and sawing back and forth. */
static int bot_axis(int32_t err, int32_t v)
{
    if (err > BOT_DEADZONE) {
        int32_t stop = v > 0 ? v * v / (2 * SIM_FRICTION) + v / 2 : 0;
        return stop >= err ? 0 : 1;
    }
    if (err < -BOT_DEADZONE) {
        int32_t stop = v < 0 ? v * v / (2 * SIM_FRICTION) - v / 2 : 0;
        return stop >= -err ? 0 : -1;
    }
    return 0;
}

/* BFS distance to the tile under pixel (px, py); -1 off the map, so a
 * corrupt view cannot index outside dist. */
static int bot_dist_at(const int16_t dist[BOT_TILES], int px, int py)
{
    if (px < 0 || py < 0 || px >= SIM_ARENA_W || py >= SIM_ARENA_H)
        return -1;
    return dist[(py / SIM_TILE) * SIM_MAP_W + px / SIM_TILE];
}

/* True when another player is nearer to the gem than self (ties go to the
 * lower id). Bots leave such gems to that player, so two bots never chase
 * the same gem side by side and end up stacked on one spot. */
static bool bot_gem_claimed(const sim_world *view, int self_id, const sim_gem *g)
{
    const sim_player *me = &view->players[self_id];
    int64_t mdx = me->x / SIM_FP - g->x, mdy = me->y / SIM_FP - g->y;
    int64_t mine = mdx * mdx + mdy * mdy;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *p = &view->players[i];
        if (i == self_id || !p->active)
            continue;
        int64_t dx = p->x / SIM_FP - g->x, dy = p->y / SIM_FP - g->y;
        int64_t theirs = dx * dx + dy * dy;
        if (theirs < mine || (theirs == mine && i < self_id))
            return true;
    }
    return false;
}

/* Chooses the gem to chase; -1 when none is active and reachable. */
static int bot_pick_gem(bot_state *b, const sim_world *view, int self_id, const int16_t dist[BOT_TILES])
{
    int best = -1, best_d = INT16_MAX;
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        const sim_gem *g = &view->gems[i];
        if (!g->active)
            continue;
        int d = bot_dist_at(dist, g->x, g->y);
        if (d >= 0 && bot_gem_claimed(view, self_id, g))
            d += BOT_CLAIMED_PENALTY;
        if (d >= 0 && d < best_d) {
            best = i;
            best_d = d;
        }
    }
    int cur = b->target_gem;
    if (cur >= 0 && cur < SIM_MAX_GEMS) {
        const sim_gem *g = &view->gems[cur];
        /* A gem that moved was collected and respawned: a new target. */
        if (g->active && g->x == b->target_x && g->y == b->target_y) {
            int d = bot_dist_at(dist, g->x, g->y);
            if (d >= 0 && bot_gem_claimed(view, self_id, g))
                d += BOT_CLAIMED_PENALTY;
            if (d >= 0 && d <= best_d + BOT_SWITCH_MARGIN)
                best = cur;
        }
    }
    b->target_gem = (int8_t)best;
    if (best >= 0) {
        b->target_x = view->gems[best].x;
        b->target_y = view->gems[best].y;
    }
    return best;
}

/* Keeps a random reachable floor tile as the wander goal, renewing it on
 * arrival or when it took too long. Returns false if none was found. */
static bool bot_wander_goal(bot_state *b, int tx, int ty, const int16_t dist[BOT_TILES], int elapsed)
{
    bool arrived = (b->wander_tx == tx && b->wander_ty == ty);
    if (b->wander_tx >= 0 && !arrived && b->wander_ticks > elapsed) {
        b->wander_ticks = (uint16_t)(b->wander_ticks - elapsed);
        return true;
    }
    for (int attempt = 0; attempt < 64; attempt++) {
        uint32_t r = bot_rng_next(&b->rng) % BOT_TILES;
        if (dist[r] > 0) {
            b->wander_tx = (int16_t)(r % SIM_MAP_W);
            b->wander_ty = (int16_t)(r / SIM_MAP_W);
            b->wander_ticks = BOT_WANDER_TICKS;
            return true;
        }
    }
    b->wander_tx = b->wander_ty = -1;
    return false;
}

static uint8_t bot_buttons(int ax, int ay)
{
    uint8_t buttons = 0;
    if (ax > 0)
        buttons |= SIM_BTN_RIGHT;
    if (ax < 0)
        buttons |= SIM_BTN_LEFT;
    if (ay > 0)
        buttons |= SIM_BTN_DOWN;
    if (ay < 0)
        buttons |= SIM_BTN_UP;
    return buttons;
}

/* Someone with points close ahead in the direction the buttons go, who
 * is not tumbling already: worth a dash. */
static bool bot_prey_ahead(const sim_world *view, int self_id, uint8_t buttons)
{
    const sim_player *me = &view->players[self_id];
    int dirx = ((buttons & SIM_BTN_RIGHT) != 0) - ((buttons & SIM_BTN_LEFT) != 0);
    int diry = ((buttons & SIM_BTN_DOWN) != 0) - ((buttons & SIM_BTN_UP) != 0);
    if (dirx == 0 && diry == 0)
        return false;
    const int32_t range = BOT_DASH_RANGE * SIM_FP;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *p = &view->players[i];
        if (i == self_id || !p->active || p->stun > 0 || p->score == 0)
            continue;
        /* In 64 bits: what a client sees may come from a hostile host. */
        int64_t dx = (int64_t)p->x - me->x, dy = (int64_t)p->y - me->y;
        if (dx > range || dx < -range || dy > range || dy < -range)
            continue;
        if (dx * dirx + dy * diry > 0)
            return true;
    }
    return false;
}

uint8_t bot_steer_to(const sim_world *view, int self_id, int32_t x, int32_t y)
{
    if (self_id < 0 || self_id >= SIM_MAX_PLAYERS || !view->players[self_id].active)
        return 0;
    const sim_player *me = &view->players[self_id];
    int tx = me->x / BOT_TILE_FP, ty = me->y / BOT_TILE_FP;
    int gx = x / BOT_TILE_FP, gy = y / BOT_TILE_FP;
    int32_t aim_x = x, aim_y = y;
    if (gx != tx || gy != ty) {
        int16_t dist[BOT_TILES];
        bot_bfs(tx, ty, dist);
        if (gx >= 0 && gy >= 0 && gx < SIM_MAP_W && gy < SIM_MAP_H && dist[gy * SIM_MAP_W + gx] > 0)
            bot_path_target(dist, gx, gy, &aim_x, &aim_y);
    }
    return bot_buttons(bot_axis(aim_x - me->x, me->vx), bot_axis(aim_y - me->y, me->vy));
}

uint8_t bot_think(bot_state *b, const sim_world *view, int self_id)
{
    if (self_id < 0 || self_id >= SIM_MAX_PLAYERS || !view->players[self_id].active)
        return 0;
    /* A position off the map (never our host's; a hostile host's
     * snapshot) is taken as the nearest point on it, so the steering's
     * differences below cannot overflow. */
    sim_player self = view->players[self_id];
    self.x = self.x < 0 ? 0 : (self.x > SIM_ARENA_W * SIM_FP ? SIM_ARENA_W * SIM_FP : self.x);
    self.y = self.y < 0 ? 0 : (self.y > SIM_ARENA_H * SIM_FP ? SIM_ARENA_H * SIM_FP : self.y);
    const sim_player *me = &self;

    /* Same snapshot as last call: nothing new to decide on. */
    if (b->thought && view->tick == b->last_tick)
        return b->last_buttons;
    /* Ticks since the last decision. A tick that went backwards (a new
     * server) or jumped far counts as one, so timers never leap. */
    uint32_t gap = view->tick - b->last_tick;
    int elapsed = (!b->thought || gap == 0 || gap > BOT_MAX_ELAPSED) ? 1 : (int)gap;
    b->thought = 1;
    b->last_tick = view->tick;

    /* Stuck: pressing but not moving (a corner the steering did not
     * foresee, or a wall the snapshot disagrees about). */
    bool moved = (me->x != b->last_x || me->y != b->last_y);
    if (b->last_buttons != 0 && !moved) {
        int still = b->still_ticks + elapsed;
        b->still_ticks = (uint8_t)(still > UINT8_MAX ? UINT8_MAX : still);
    } else {
        b->still_ticks = 0;
    }
    b->last_x = me->x;
    b->last_y = me->y;
    b->detour_ticks = (uint8_t)(b->detour_ticks > elapsed ? b->detour_ticks - elapsed : 0);
    if (b->still_ticks >= BOT_STUCK_TICKS) {
        /* The eight d-pad directions; diagonals slide along walls. */
        static const uint8_t dirs[8] = {
            SIM_BTN_UP, SIM_BTN_DOWN, SIM_BTN_LEFT, SIM_BTN_RIGHT,
            SIM_BTN_UP | SIM_BTN_LEFT, SIM_BTN_UP | SIM_BTN_RIGHT,
            SIM_BTN_DOWN | SIM_BTN_LEFT, SIM_BTN_DOWN | SIM_BTN_RIGHT};
        b->detour_buttons = dirs[bot_rng_next(&b->rng) % 8];
        b->detour_ticks = BOT_DETOUR_TICKS;
        b->still_ticks = 0;
    }
    if (b->detour_ticks > 0) {
        b->last_buttons = b->detour_buttons;
        return b->detour_buttons;
    }

    int tx = me->x / BOT_TILE_FP, ty = me->y / BOT_TILE_FP;
    int16_t dist[BOT_TILES];
    bot_bfs(tx, ty, dist);

    int32_t aim_x = me->x, aim_y = me->y;
    int gem = bot_pick_gem(b, view, self_id, dist);
    if (gem >= 0) {
        const sim_gem *g = &view->gems[gem];
        int gx = g->x / SIM_TILE, gy = g->y / SIM_TILE;
        b->wander_tx = b->wander_ty = -1;
        if (gx == tx && gy == ty) {
            aim_x = g->x * SIM_FP;
            aim_y = g->y * SIM_FP;
        } else {
            bot_path_target(dist, gx, gy, &aim_x, &aim_y);
        }
    } else if (bot_wander_goal(b, tx, ty, dist, elapsed)) {
        bot_path_target(dist, b->wander_tx, b->wander_ty, &aim_x, &aim_y);
    }

    uint8_t buttons = bot_buttons(bot_axis(aim_x - me->x, me->vx), bot_axis(aim_y - me->y, me->vy));
    if (me->cooldown == 0 && me->stun == 0 && me->dash == 0 && bot_prey_ahead(view, self_id, buttons))
        buttons |= SIM_BTN_DASH;
    b->last_buttons = buttons;
    return buttons;
}
