#include "simwire.h"

#include <string.h>

_Static_assert(SIM_MAX_PLAYERS == PROTO_MAX_PLAYERS, "a player id is the same number in the sim and on the wire");
_Static_assert(SIM_MAX_GEMS == PROTO_MAX_GEMS, "every gem the sim has fits in a snapshot");
/* The enums are distinct types; compare their numbers. */
#define SIMWIRE_SAME(a, b) ((int)(a) == (int)(b))
_Static_assert(SIMWIRE_SAME(SIM_BTN_UP, PROTO_BTN_UP) && SIMWIRE_SAME(SIM_BTN_DOWN, PROTO_BTN_DOWN) &&
                   SIMWIRE_SAME(SIM_BTN_LEFT, PROTO_BTN_LEFT) && SIMWIRE_SAME(SIM_BTN_RIGHT, PROTO_BTN_RIGHT) &&
                   SIMWIRE_SAME(SIM_BTN_DASH, PROTO_BTN_DASH) && SIMWIRE_SAME(SIM_BTN_MASK, PROTO_BTN_MASK),
               "an INPUT's button bits are the sim's, unchanged");
_Static_assert(SIMWIRE_SAME(SIM_FACE_DOWN, PROTO_FACE_DOWN) && SIMWIRE_SAME(SIM_FACE_UP, PROTO_FACE_UP) &&
                   SIMWIRE_SAME(SIM_FACE_LEFT, PROTO_FACE_LEFT) && SIMWIRE_SAME(SIM_FACE_RIGHT, PROTO_FACE_RIGHT) &&
                   SIMWIRE_SAME(SIM_FACE_COUNT, PROTO_FACE_COUNT),
               "a facing is the same number in the sim and on the wire");
_Static_assert(SIM_TOP_SPEED <= INT16_MAX, "a velocity, a dash's too, fits the wire's i16");
_Static_assert(SIMWIRE_SAME(SIM_PHASE_WARMUP, PROTO_PHASE_WARMUP) && SIMWIRE_SAME(SIM_PHASE_PLAYING, PROTO_PHASE_PLAYING) &&
                   SIMWIRE_SAME(SIM_PHASE_INTERMISSION, PROTO_PHASE_INTERMISSION) &&
                   SIMWIRE_SAME(SIM_PHASE_COUNT, PROTO_PHASE_COUNT),
               "a MATCH phase is the sim's");
_Static_assert(SIMWIRE_SAME(SIM_EV_PICKUP, PROTO_EV_PICKUP) && SIMWIRE_SAME(SIM_EV_DASH, PROTO_EV_DASH) &&
                   SIMWIRE_SAME(SIM_EV_HIT, PROTO_EV_HIT) && SIMWIRE_SAME(SIM_EV_COUNTDOWN, PROTO_EV_COUNTDOWN) &&
                   SIMWIRE_SAME(SIM_EV_ROUND_START, PROTO_EV_ROUND_START) &&
                   SIMWIRE_SAME(SIM_EV_ROUND_END, PROTO_EV_ROUND_END) && SIMWIRE_SAME(SIM_EV_ROUND_END, PROTO_EV_LAST),
               "an EVENT's kind is the sim's");
_Static_assert(SIM_NOBODY == PROTO_NOBODY, "no winner is the same byte");

proto_player_state simwire_player_to_wire(const sim_player *p, int id)
{
    return (proto_player_state){
        .id = (uint8_t)id,
        .x = p->x,
        .y = p->y,
        .vx = (int16_t)p->vx,
        .vy = (int16_t)p->vy,
        .facing = p->facing,
        .moving = p->moving,
        .step = p->step,
        .score = p->score,
        .dash = p->dash,
        .cooldown = p->cooldown,
        .stun = p->stun,
    };
}

sim_player simwire_player_from_wire(const proto_player_state *ps)
{
    return (sim_player){
        .active = true,
        .x = ps->x,
        .y = ps->y,
        .vx = ps->vx,
        .vy = ps->vy,
        .facing = ps->facing,
        .moving = ps->moving,
        .step = ps->step,
        .score = ps->score,
        .dash = ps->dash,
        .cooldown = ps->cooldown,
        .stun = ps->stun,
    };
}

void simwire_world_to_snapshot(const sim_world *w, proto_snapshot *out)
{
    out->tick = w->tick;
    out->player_count = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (w->players[i].active)
            out->players[out->player_count++] = simwire_player_to_wire(&w->players[i], i);
    out->gem_count = 0;
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        if (w->gems[i].active)
            out->gems[out->gem_count++] = (proto_gem){.x = w->gems[i].x, .y = w->gems[i].y};
}

proto_match simwire_match_to_wire(const sim_match *m)
{
    return (proto_match){.phase = m->phase,
                         .round = m->round,
                         .left = m->left,
                         .round_ticks = m->round_ticks,
                         .score_limit = m->score_limit,
                         .winner = m->winner < SIM_MAX_PLAYERS ? m->winner : PROTO_NOBODY};
}

proto_event simwire_event_to_wire(const sim_event *e)
{
    return (proto_event){.kind = e->type, .a = e->a, .b = e->b, .drop = e->drop, .x = e->x, .y = e->y};
}

int simwire_gems_from_snapshot(const proto_snapshot *s, sim_gem out[SIM_MAX_GEMS])
{
    int n = s->gem_count < SIM_MAX_GEMS ? s->gem_count : SIM_MAX_GEMS;
    for (int i = 0; i < n; i++)
        out[i] = (sim_gem){.active = true, .x = s->gems[i].x, .y = s->gems[i].y};
    return n;
}
