/*
 * sim: the game rules as pure functions. No SDL, no sockets, no clocks,
 * no globals. The server runs sim_step on its world; a client runs
 * sim_player_move on its own player for prediction. Same inputs, same
 * state: positions are fixed-point integers so every machine computes the
 * same bits and the wire carries them exactly.
 *
 * Time: the step is one fixed tick of 1/SIM_TICK_HZ s (dt is constant, so
 * it is implied rather than passed; the tick counter lives in the world).
 *
 * Players affect each other: they are solid (overlapping boxes are pushed
 * apart, half each, in id order), and a dash (SIM_BTN_DASH, then a
 * cooldown) knocks back whoever it reaches and makes them drop a point as
 * a gem anyone can pick up. A knocked player tumbles for SIM_STUN_TICKS:
 * no control, no pickups, no further hits.
 *
 * Matches (sim_match): warmup until two players are in (or
 * sim_match_start), a short countdown, a round with a time limit and/or a
 * score limit, an intermission of SIM_INTERMISSION_TICKS showing the
 * winner, then the next round with scores at 0. A player added mid-round
 * plays at once.
 *
 * Threading contract: none needed. Every function works only on the
 * state it is given; any thread may call them on its own world.
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

/* Dash: SIM_DASH_TICKS at SIM_DASH_SPEED in the held direction (else the
 * facing one), then SIM_DASH_COOLDOWN ticks (counted from the start)
 * before the next. Whoever the dasher reaches (boxes within
 * SIM_DASH_REACH px) is knocked away at SIM_KNOCK_SPEED and tumbles for
 * SIM_STUN_TICKS, slowing by SIM_FRICTION. */
#define SIM_DASH_SPEED (5 * SIM_FP)   /* 300 px/s */
#define SIM_DASH_TICKS 8              /* 40 px */
#define SIM_DASH_COOLDOWN 60          /* 1 s */
#define SIM_DASH_REACH 3              /* px beyond touching */
#define SIM_KNOCK_SPEED (4 * SIM_FP)
#define SIM_STUN_TICKS 20
/* The fastest any player moves in one tick. */
#define SIM_TOP_SPEED SIM_DASH_SPEED

/* Match timing. */
#define SIM_COUNTDOWN_TICKS (3 * SIM_TICK_HZ)      /* before a round, warmup or intermission */
#define SIM_INTERMISSION_TICKS (8 * SIM_TICK_HZ)   /* round-end scoreboard */
#define SIM_ROUND_SECONDS_DEFAULT 180
#define SIM_ROUND_SECONDS_MIN 5
#define SIM_ROUND_SECONDS_MAX 3600
#define SIM_NOBODY 0xFF /* no winner (a draw, or no round yet) */

/* Buttons and facings are the wire's numbers (PROTO_BTN_*, PROTO_FACE_*;
 * tied in simwire.c). */
enum { SIM_BTN_UP = 1, SIM_BTN_DOWN = 2, SIM_BTN_LEFT = 4, SIM_BTN_RIGHT = 8, SIM_BTN_DASH = 16, SIM_BTN_MASK = 0x1F };
enum { SIM_FACE_DOWN = 0, SIM_FACE_UP, SIM_FACE_LEFT, SIM_FACE_RIGHT, SIM_FACE_COUNT };

typedef struct {
    bool active;
    int32_t x, y;   /* centre, 1/SIM_FP pixel */
    int32_t vx, vy; /* 1/SIM_FP pixel per tick, |v| <= SIM_MAX_SPEED */
    uint8_t facing; /* SIM_FACE_* */
    uint8_t moving; /* 1 while |v| > 0 */
    uint8_t step;   /* ticks spent moving, wraps; drives the walk cycle */
    uint16_t score;
    uint8_t dash;     /* ticks of dash left, 0..SIM_DASH_TICKS */
    uint8_t cooldown; /* ticks until the next dash may start, 0..SIM_DASH_COOLDOWN */
    uint8_t stun;     /* ticks of knockback left, 0..SIM_STUN_TICKS */
} sim_player;

typedef struct {
    bool active;
    int16_t x, y; /* centre, pixels */
} sim_gem;

/* Gem slots below SIM_ACTIVE_GEMS always hold a gem and move when taken;
 * the rest hold points dropped by knocked players and empty when taken. */
#define SIM_DROP_GEMS (SIM_MAX_GEMS - SIM_ACTIVE_GEMS)

typedef enum { SIM_PHASE_WARMUP = 0, SIM_PHASE_PLAYING, SIM_PHASE_INTERMISSION, SIM_PHASE_COUNT } sim_phase;

typedef struct {
    uint8_t phase;        /* sim_phase */
    uint16_t round;       /* the round being played or next up, from 1 */
    uint32_t left;        /* ticks: warmup countdown (0: not counting),
                           * playing time left (0 with no time limit),
                           * intermission left */
    uint32_t round_ticks; /* round length, 0: no time limit */
    uint16_t score_limit; /* a score that ends the round, 0: none */
    uint8_t winner;       /* of the last round, SIM_NOBODY: a draw or none */
    bool start_now;       /* the host asked to start without waiting */
} sim_match;

/* What happened in the last step, for sounds and effects. Not part of
 * the state: each sim_step clears and refills it. */
typedef enum {
    SIM_EV_PICKUP = 1,  /* a: player, x/y: the gem, pixels */
    SIM_EV_DASH,        /* a: player */
    SIM_EV_HIT,         /* a: dasher, b: victim, x/y: victim, drop: a point fell */
    SIM_EV_COUNTDOWN,   /* a: whole seconds before the round starts (3, 2, 1) */
    SIM_EV_ROUND_START, /* a: round number (low byte) */
    SIM_EV_ROUND_END    /* a: winner or SIM_NOBODY */
} sim_event_type;

typedef struct {
    uint8_t type; /* sim_event_type */
    uint8_t a, b;
    uint8_t drop;
    int16_t x, y;
} sim_event;

#define SIM_MAX_EVENTS 64

typedef struct {
    uint32_t tick;
    uint32_t rng; /* xorshift state; only sim_step advances it */
    sim_player players[SIM_MAX_PLAYERS];
    sim_gem gems[SIM_MAX_GEMS];
    uint8_t drop_next; /* drop slot the next dropped point takes when all are full */
    sim_match match;
    int event_count;
    sim_event events[SIM_MAX_EVENTS];
} sim_world;

/* Decides whether dasher's dash reaches victim this tick. NULL in
 * sim_step_judged: the boxes as they stand now (sim_dash_reaches). The
 * server passes one that places the victim where the dasher saw it. */
typedef bool (*sim_hit_judge)(const sim_world *w, int dasher, int victim, void *ctx);

/* Clears the world and places SIM_ACTIVE_GEMS gems from seed (non-zero).
 * The match starts in warmup, round 1, with the default time limit. */
void sim_init(sim_world *w, uint32_t seed);

/* Round length in seconds (0: no time limit; else clamped to
 * SIM_ROUND_SECONDS_MIN..MAX) and score limit (0: none). With neither,
 * a round never ends. Takes effect from the next round. */
void sim_match_config(sim_world *w, int round_seconds, int score_limit);
/* The host starts the first round without waiting for a second player
 * (after the countdown). No effect outside warmup. */
void sim_match_start(sim_world *w);
/* Whole seconds left in the current phase, rounded up (0: no limit). */
uint32_t sim_match_seconds_left(const sim_match *m);
const char *sim_phase_name(uint8_t phase); /* "warmup", "playing", "intermission" */

/* True for wall tiles and anything outside the map. */
bool sim_is_wall(int tx, int ty);

/* Activates player id at its spawn point (a function of id), score 0. */
void sim_add_player(sim_world *w, int id);
void sim_remove_player(sim_world *w, int id);

/* One player's motion for one tick: acceleration, friction, speed cap,
 * wall collision, facing and animation clock. Pure. Used by the server
 * (via sim_step) and by client prediction. */
void sim_player_move(sim_player *p, uint8_t buttons);

/* One world tick: every active player moves with buttons[id] (nobody
 * moves in an intermission), dashes land, players are pushed apart, gems
 * are collected (score +1) and respawned, the match clock runs, tick
 * increments. */
void sim_step(sim_world *w, const uint8_t buttons[SIM_MAX_PLAYERS]);
/* The same with a hit judge (see sim_hit_judge; NULL: sim_dash_reaches). */
void sim_step_judged(sim_world *w, const uint8_t buttons[SIM_MAX_PLAYERS], sim_hit_judge judge, void *ctx);

/* True when a dasher at (dx, dy) reaches a victim at (vx, vy) (centres,
 * 1/SIM_FP px): the boxes are within SIM_DASH_REACH px on both axes. */
bool sim_dash_reaches_at(int32_t dx, int32_t dy, int32_t vx, int32_t vy);
/* The default judge: both where they stand now. */
bool sim_dash_reaches(const sim_world *w, int dasher, int victim, void *ctx);
/* Whether victim can be hit at all: active, not the dasher, not tumbling. */
bool sim_can_be_hit(const sim_world *w, int dasher, int victim);

/* The arena as text, one row per line: '#' wall, '.' floor. For the
 * renderer and tests. */
const char *sim_map_row(int ty);

#endif
