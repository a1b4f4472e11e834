/*
 * bot: the brain of a `--bot` client. Each tick it looks at the world it
 * was shown (normally the client's latest snapshot) and answers with the
 * buttons a player would hold. It runs a breadth-first search over the
 * tile map to the nearest gem, steers along the path, wanders to random
 * tiles when there is no gem, and, when its position stops changing while
 * it presses buttons, holds a random direction for half a second. When
 * its dash is ready and a player with points is close ahead, it dashes.
 *
 * Pure: the answer depends only on the view, self_id and bot_state (which
 * holds its own xorshift generator), so a seeded bot replays exactly.
 * No SDL, no clocks, no globals; one bot_state per bot, any thread.
 *
 * Time is view->tick. A client loop may poll faster than snapshots come
 * in: a call whose view has the tick of the previous call returns the
 * previous answer and changes nothing, and timers (stuck detection, the
 * half-second detour) count server ticks, however many passed between
 * calls.
 */
#ifndef LANARENA_BOT_H
#define LANARENA_BOT_H

#include <stdint.h>

#include "sim.h"

typedef struct {
    uint32_t rng;           /* xorshift32 state, never 0 */
    int8_t target_gem;      /* index into view->gems, -1: none */
    int16_t target_x;       /* that gem's pixel position when chosen, so */
    int16_t target_y;       /* a respawned gem reads as a new target */
    int16_t wander_tx;      /* random goal tile when no gem is reachable; */
    int16_t wander_ty;      /* -1: pick a new one */
    uint16_t wander_ticks;  /* ticks left before giving up on that goal */
    uint32_t last_tick;     /* view->tick of the last decision */
    uint8_t thought;        /* 1 once a decision was made */
    int32_t last_x, last_y; /* own position at the last decision */
    uint8_t last_buttons;   /* the last decision */
    uint8_t still_ticks;    /* ticks pressing buttons without moving */
    uint8_t detour_ticks;   /* > 0: holding detour_buttons blindly */
    uint8_t detour_buttons;
} bot_state;

/* Seed 0 is replaced by a fixed non-zero value (xorshift needs one). */
void bot_init(bot_state *b, uint32_t seed);

/* Returns SIM_BTN_* bits for player self_id in view. Returns 0 when that
 * player is not active (or self_id is out of range). Call it once per
 * frame or per tick; see the opening comment on repeated ticks. */
uint8_t bot_think(bot_state *b, const sim_world *view, int self_id);

/* Buttons that take player self_id along the shortest floor path toward
 * the point (x, y), 1/SIM_FP px. Stateless; for scripted players. */
uint8_t bot_steer_to(const sim_world *view, int self_id, int32_t x, int32_t y);

#endif
