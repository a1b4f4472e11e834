#include "lagcomp.h"

#include <string.h>

_Static_assert(LAGCOMP_LIMIT_MS * SIM_TICK_HZ / 1000 + 2 < LAGCOMP_HISTORY, "the history must cover any bound");

static uint32_t lagcomp_bound_q(int max_ms)
{
    if (max_ms <= 0)
        max_ms = LAGCOMP_MAX_REWIND_MS;
    if (max_ms > LAGCOMP_LIMIT_MS)
        max_ms = LAGCOMP_LIMIT_MS;
    return (uint32_t)max_ms * SIM_TICK_HZ * 4 / 1000;
}

void lagcomp_init(lagcomp *lc, bool enabled, int max_ms)
{
    memset(lc, 0, sizeof *lc);
    lc->enabled = enabled;
    lc->max_q = lagcomp_bound_q(max_ms);
}

void lagcomp_record(lagcomp *lc, const sim_world *w)
{
    lagcomp_frame *f = &lc->frames[w->tick % LAGCOMP_HISTORY];
    f->tick = w->tick;
    f->valid = true;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *p = &w->players[i];
        f->active[i] = p->active;
        f->x[i] = p->x;
        f->y[i] = p->y;
    }
    lc->now_tick = w->tick;
    lc->newest = w->tick;
    lc->any = true;
}

uint32_t lagcomp_view_q(uint32_t now_tick, uint32_t ack_tick, uint8_t view_back)
{
    return lagcomp_view_q_within(now_tick, ack_tick, view_back, LAGCOMP_MAX_REWIND_MS);
}

uint32_t lagcomp_view_q_within(uint32_t now_tick, uint32_t ack_tick, uint32_t view_back, int max_ms)
{
    uint64_t bound = lagcomp_bound_q(max_ms);
    uint64_t now_q = (uint64_t)now_tick * 4;
    uint64_t ack_q = (uint64_t)ack_tick * 4;
    uint64_t view = ack_q >= view_back ? ack_q - view_back : 0;
    if (view > now_q)
        view = now_q; /* a client cannot have seen the future */
    if (view + bound < now_q)
        view = now_q - bound;
    return (uint32_t)view;
}

void lagcomp_set_view(lagcomp *lc, uint32_t now_tick, int id, uint32_t view_q)
{
    if (id < 0 || id >= SIM_MAX_PLAYERS)
        return;
    lc->now_tick = now_tick;
    lc->view_q[id] = view_q;
}

static const lagcomp_frame *lagcomp_frame_at(const lagcomp *lc, uint32_t tick)
{
    const lagcomp_frame *f = &lc->frames[tick % LAGCOMP_HISTORY];
    return f->valid && f->tick == tick ? f : NULL;
}

bool lagcomp_position(const lagcomp *lc, int id, uint32_t tick_q, int32_t *x, int32_t *y)
{
    if (id < 0 || id >= SIM_MAX_PLAYERS)
        return false;
    if (!lc->any)
        return false;
    uint64_t newest_q = (uint64_t)lc->newest * 4;
    uint64_t oldest_q = lc->newest >= LAGCOMP_HISTORY - 1 ? (uint64_t)(lc->newest - (LAGCOMP_HISTORY - 1)) * 4 : 0;
    uint64_t q = tick_q > newest_q ? newest_q : tick_q < oldest_q ? oldest_q : tick_q;
    uint32_t t0 = (uint32_t)(q / 4), frac = (uint32_t)(q % 4);
    const lagcomp_frame *a = lagcomp_frame_at(lc, t0);
    const lagcomp_frame *b = frac ? lagcomp_frame_at(lc, t0 + 1) : a;
    if (!a || !b)
        return false; /* a gap in the record (none while it is called every tick) */
    if (!a || !a->active[id] || !b->active[id])
        return false;
    /* Linear between the ticks, in fixed point: what interp draws. */
    *x = a->x[id] + (int32_t)(((int64_t)(b->x[id] - a->x[id]) * frac) / 4);
    *y = a->y[id] + (int32_t)(((int64_t)(b->y[id] - a->y[id]) * frac) / 4);
    return true;
}

bool lagcomp_judge(const sim_world *w, int dasher, int victim, void *ctx)
{
    lagcomp *lc = ctx;
    const sim_player *a = &w->players[dasher], *b = &w->players[victim];
    int32_t vx = b->x, vy = b->y;
    if (lc && lc->enabled) {
        int32_t rx, ry;
        if (lagcomp_position(lc, victim, lc->view_q[dasher], &rx, &ry)) {
            vx = rx;
            vy = ry;
        }
        lc->rewinds++;
        uint32_t now_q = lc->now_tick * 4;
        uint32_t back = now_q > lc->view_q[dasher] ? now_q - lc->view_q[dasher] : 0;
        lc->rewound_q_total += back;
        lc->at_bound += back >= lc->max_q;
    }
    return sim_dash_reaches_at(a->x, a->y, vx, vy);
}
