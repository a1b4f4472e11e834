/*
 * sim: the game rules as pure functions. No SDL, no sockets, no clocks,
 * no globals. The server runs sim_step on its world; a client runs
 * sim_player_move on its own player for prediction. Same inputs, same
 * state: positions are fixed-point integers so every machine computes the
 * same bits and the wire carries them exactly.
 *
 * Time: the step is one fixed tick of 1/SIM_TICK_HZ s (dt is constant, so
 * it is implied rather than passed; the tick counter lives in the world).
 */
#ifndef LANARENA_SIM_H
#define LANARENA_SIM_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_TICK_HZ 60
#define SIM_MAX_PLAYERS 250 /* = PROTO_MAX_PLAYERS (tied in game/shared/simwire.c) */
#define SIM_MAX_GEMS 8 /* = PROTO_MAX_GEMS (tied in simwire.c) */
#define SIM_ACTIVE_GEMS 6
#define SIM_FP 256     /* fixed-point units per pixel */
#define SIM_TILE 16    /* pixels per tile */
#define SIM_MAP_W 48   /* tiles */
#define SIM_MAP_H 27
#define SIM_ARENA_W (SIM_MAP_W * SIM_TILE) /* 768 px */
#define SIM_ARENA_H (SIM_MAP_H * SIM_TILE) /* 432 px */
#define SIM_PLAYER_HALF 5                  /* hitbox half-size, pixels */
#define SIM_GEM_RADIUS 7                   /* pickup distance, pixels */

/* Movement tuning, fixed-point per tick. */
#define SIM_MAX_SPEED (2 * SIM_FP)  /* 2 px/tick = 120 px/s */
#define SIM_ACCEL (SIM_FP / 4)      /* reaches full speed in 8 ticks */
#define SIM_FRICTION (SIM_FP / 5)   /* 51/tick: stops from full speed in 11 ticks */

/* Buttons and facings are the wire's numbers (PROTO_BTN_*, PROTO_FACE_*;
 * tied in simwire.c). */
enum { SIM_BTN_UP = 1, SIM_BTN_DOWN = 2, SIM_BTN_LEFT = 4, SIM_BTN_RIGHT = 8, SIM_BTN_MASK = 0x0F };
enum { SIM_FACE_DOWN = 0, SIM_FACE_UP, SIM_FACE_LEFT, SIM_FACE_RIGHT, SIM_FACE_COUNT };

typedef struct {
    bool active;
    int32_t x, y;   /* centre, 1/SIM_FP pixel */
    int32_t vx, vy; /* 1/SIM_FP pixel per tick, |v| <= SIM_MAX_SPEED */
    uint8_t facing; /* SIM_FACE_* */
    uint8_t moving; /* 1 while |v| > 0 */
    uint8_t step;   /* ticks spent moving, wraps; drives the walk cycle */
    uint16_t score;
} sim_player;

typedef struct {
    bool active;
    int16_t x, y; /* centre, pixels */
} sim_gem;

typedef struct {
    uint32_t tick;
    uint32_t rng; /* xorshift state; only sim_step advances it */
    sim_player players[SIM_MAX_PLAYERS];
    sim_gem gems[SIM_MAX_GEMS];
} sim_world;

/* Clears the world and places SIM_ACTIVE_GEMS gems from seed (non-zero). */
void sim_init(sim_world *w, uint32_t seed);

/* True for wall tiles and anything outside the map. */
bool sim_is_wall(int tx, int ty);

/* Activates player id at its spawn point (a function of id), score 0. */
void sim_add_player(sim_world *w, int id);
void sim_remove_player(sim_world *w, int id);

/* One player's motion for one tick: acceleration, friction, speed cap,
 * wall collision, facing and animation clock. Pure. Used by the server
 * (via sim_step) and by client prediction. */
void sim_player_move(sim_player *p, uint8_t buttons);

/* One world tick: every active player moves with buttons[id], gems are
 * collected (score +1) and respawned, tick increments. */
void sim_step(sim_world *w, const uint8_t buttons[SIM_MAX_PLAYERS]);

/* The arena as text, one row per line: '#' wall, '.' floor. For the
 * renderer and tests. */
const char *sim_map_row(int ty);

#endif
