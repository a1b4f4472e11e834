/*
 * lagcomp: lag compensation for the dash, after Bernier ("Latency
 * Compensating Methods in Client/Server In-game Protocol Design and
 * Optimization", 2001). A client draws the other players a little in the
 * past: its snapshots are a one-way trip old, and it interpolates between
 * them a short delay behind the newest. So when it dashes at someone it
 * aims at where that player was then. The server keeps every player's
 * position for the last LAGCOMP_HISTORY ticks and judges a dash against
 * the victim where the dasher saw it: each INPUT says which snapshot tick
 * the client had (ack_tick) and how far behind it the others were drawn
 * (view_back, quarter ticks), and the victim is placed at that tick,
 * interpolated between the two recorded ticks around it. The rewind is
 * bounded at LAGCOMP_MAX_REWIND_MS, so a very late client cannot reach
 * far into the past (and a lying one gains at most that much).
 *
 * The dasher stands where the server has it now: its own motion is
 * predicted by its client, so that is also where it saw itself.
 *
 * Pure: no SDL, no sockets, no clocks; time is the tick number.
 * Threading contract: one lagcomp per server, used on the server thread
 * only (a test may own one on any thread).
 */
#ifndef LANARENA_LAGCOMP_H
#define LANARENA_LAGCOMP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

#define LAGCOMP_HISTORY 32 /* ticks kept, over any bound below */
#define LAGCOMP_MAX_REWIND_MS 200
#define LAGCOMP_LIMIT_MS 400 /* the most a host may configure instead */
/* The bound in quarter ticks (200 ms = 12 ticks at 60 Hz). */
#define LAGCOMP_MAX_REWIND_Q (LAGCOMP_MAX_REWIND_MS * SIM_TICK_HZ * 4 / 1000)

typedef struct {
    uint32_t tick;
    bool valid;
    bool active[SIM_MAX_PLAYERS];
    int32_t x[SIM_MAX_PLAYERS], y[SIM_MAX_PLAYERS];
} lagcomp_frame;

typedef struct {
    bool enabled;                       /* false: judge where everyone is now */
    lagcomp_frame frames[LAGCOMP_HISTORY]; /* by tick % LAGCOMP_HISTORY */
    uint32_t now_tick;                  /* the world's tick when stepping */
    uint32_t newest;                    /* newest recorded tick */
    bool any;                           /* something is recorded */
    uint32_t view_q[SIM_MAX_PLAYERS];   /* per dasher: the tick it saw others at, x4 */
    /* Statistics: dasher-victim pairs judged, their summed rewind
     * (quarter ticks) and how many were held at the bound. */
    uint32_t rewinds, rewound_q_total, at_bound;
    uint32_t max_q; /* the bound in force, quarter ticks */
} lagcomp;

/* max_ms: the rewind bound (0: LAGCOMP_MAX_REWIND_MS). */
void lagcomp_init(lagcomp *lc, bool enabled, int max_ms);

/* Records every player's position as of w->tick (call after each step,
 * and once at the start). */
void lagcomp_record(lagcomp *lc, const sim_world *w);

/* The tick x4 a client drew the others at: ack_tick - view_back/4,
 * bounded to [now - LAGCOMP_MAX_REWIND_Q, now] (now = now_tick x4). */
uint32_t lagcomp_view_q(uint32_t now_tick, uint32_t ack_tick, uint8_t view_back);
/* The same with another bound, max_ms (1..LAGCOMP_LIMIT_MS), for
 * comparing bounds. */
uint32_t lagcomp_view_q_within(uint32_t now_tick, uint32_t ack_tick, uint32_t view_back, int max_ms);

/* Before stepping the world at now_tick: player id's input says it saw
 * the others at view_q (from lagcomp_view_q). */
void lagcomp_set_view(lagcomp *lc, uint32_t now_tick, int id, uint32_t view_q);

/* Where player id was at tick_q (x4), interpolated between recorded
 * ticks; the newest or oldest kept tick when tick_q is outside them.
 * False when id was not recorded there. */
bool lagcomp_position(const lagcomp *lc, int id, uint32_t tick_q, int32_t *x, int32_t *y);

/* A sim_hit_judge (ctx: the lagcomp): the dasher where it stands now,
 * the victim where the dasher saw it. With lagcomp off, both now. */
bool lagcomp_judge(const sim_world *w, int dasher, int victim, void *ctx);

#endif
