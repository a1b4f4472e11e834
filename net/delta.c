/*
 * delta: see delta.h for the coding rules. Both directions index the
 * players of a snapshot by id first (PROTO_MAX_PLAYERS slots), so the cost is one pass
 * over each snapshot plus work proportional to what changed.
 */
#include "delta.h"

#include <string.h>

typedef struct {
    const proto_player_state *by_id[PROTO_MAX_PLAYERS]; /* NULL: absent */
} delta_index;

static bool delta_index_build(const proto_snapshot *s, delta_index *ix)
{
    memset(ix->by_id, 0, sizeof ix->by_id);
    if (s->player_count > PROTO_MAX_PLAYERS || s->gem_count > PROTO_MAX_GEMS)
        return false;
    for (int i = 0; i < s->player_count; i++) {
        uint8_t id = s->players[i].id;
        if (id >= PROTO_MAX_PLAYERS || ix->by_id[id])
            return false;
        ix->by_id[id] = &s->players[i];
    }
    return true;
}

/* Where a player at base_x with speed v0 gets in `age` ticks if its speed
 * moved linearly to v1: the trapezoid base_x + age*v0 + (v1-v0)(age+1)/2.
 * Exact at rest, at constant speed, over one tick, and along a steady
 * acceleration ramp. Wrapping arithmetic keeps any input defined. */
static int32_t delta_predict_x(int32_t base_x, uint8_t age, int16_t v0, int16_t v1)
{
    int32_t dv = (int32_t)v1 - (int32_t)v0; /* |dv| < 2^16: no overflow below */
    int32_t ramp = dv * (int32_t)(age + 1) / 2;
    return (int32_t)((uint32_t)base_x + (uint32_t)age * (uint32_t)(int32_t)v0 + (uint32_t)ramp);
}

static uint8_t delta_predict_step(const proto_player_state *base, uint8_t age, uint8_t moving)
{
    return moving ? (uint8_t)(base->step + age) : 0;
}

/* The dash, cooldown and stun counters run down one a tick to 0. */
static uint8_t delta_predict_count(uint8_t base, uint8_t age)
{
    return base > age ? (uint8_t)(base - age) : 0;
}

static bool delta_act_predicted(const proto_player_state *b, const proto_player_state *p, uint8_t age)
{
    return p->dash == delta_predict_count(b->dash, age) && p->cooldown == delta_predict_count(b->cooldown, age) &&
           p->stun == delta_predict_count(b->stun, age);
}

static const proto_player_state delta_zero_player;

/* Codes p against b (the all-zero player when p is new). */
static void delta_code_player(const proto_player_state *b, const proto_player_state *p, uint8_t age,
                              proto_delta_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = p->id;
    if (p->vx != b->vx) {
        e->fields |= PROTO_DF_VX;
        e->vx = (int16_t)(uint16_t)((uint16_t)p->vx - (uint16_t)b->vx);
    }
    if (p->vy != b->vy) {
        e->fields |= PROTO_DF_VY;
        e->vy = (int16_t)(uint16_t)((uint16_t)p->vy - (uint16_t)b->vy);
    }
    int32_t px = delta_predict_x(b->x, age, b->vx, p->vx), py = delta_predict_x(b->y, age, b->vy, p->vy);
    if (p->x != px) {
        e->fields |= PROTO_DF_X;
        e->x = (int32_t)((uint32_t)p->x - (uint32_t)px);
    }
    if (p->y != py) {
        e->fields |= PROTO_DF_Y;
        e->y = (int32_t)((uint32_t)p->y - (uint32_t)py);
    }
    if (p->facing != b->facing || p->moving != b->moving) {
        e->fields |= PROTO_DF_LOOK;
        e->facing = p->facing;
        e->moving = p->moving;
    }
    if (p->step != delta_predict_step(b, age, p->moving)) {
        e->fields |= PROTO_DF_STEP;
        e->step = p->step;
    }
    if (p->score != b->score) {
        e->fields |= PROTO_DF_SCORE;
        e->score = (uint16_t)(p->score - b->score);
    }
    if (!delta_act_predicted(b, p, age)) {
        e->fields |= PROTO_DF_ACT;
        e->dash = p->dash;
        e->cooldown = p->cooldown;
        e->stun = p->stun;
    }
}

bool delta_make(const proto_snapshot *base, const proto_snapshot *cur, proto_snapshot_delta *out)
{
    uint32_t age = cur->tick - base->tick;
    if (age == 0 || age > 255)
        return false;
    delta_index bi, ci;
    if (!delta_index_build(base, &bi) || !delta_index_build(cur, &ci))
        return false;
    out->tick = cur->tick;
    out->base_age = (uint8_t)age;
    out->ack_seq = cur->ack_seq - base->ack_seq;
    out->entry_count = 0;
    for (int id = 0; id < PROTO_MAX_PLAYERS; id++) {
        if (!bi.by_id[id] && !ci.by_id[id])
            continue;
        proto_delta_entry *e = &out->entries[out->entry_count];
        if (!ci.by_id[id]) {
            memset(e, 0, sizeof *e); /* left: an entry with no fields */
            e->id = (uint8_t)id;
            out->entry_count++;
            continue;
        }
        bool is_new = !bi.by_id[id];
        delta_code_player(is_new ? &delta_zero_player : bi.by_id[id], ci.by_id[id], (uint8_t)age, e);
        if (is_new)
            e->fields |= PROTO_DF_NEW;
        if (e->fields)
            out->entry_count++;
    }
    out->gem_count = cur->gem_count;
    out->gem_changed = 0;
    for (int i = 0; i < cur->gem_count; i++) {
        if (i >= base->gem_count || cur->gems[i].x != base->gems[i].x || cur->gems[i].y != base->gems[i].y) {
            out->gem_changed |= (uint8_t)(1u << i);
            out->gems[i] = cur->gems[i];
        }
    }
    return true;
}

bool delta_same_world(const proto_snapshot *base, const proto_snapshot *cur)
{
    if (base->player_count != cur->player_count || base->gem_count != cur->gem_count)
        return false;
    delta_index bi;
    if (!delta_index_build(base, &bi))
        return false;
    for (int i = 0; i < cur->player_count; i++) {
        const proto_player_state *p = &cur->players[i];
        if (p->id >= PROTO_MAX_PLAYERS || !bi.by_id[p->id])
            return false;
        const proto_player_state *b = bi.by_id[p->id];
        if (p->x != b->x || p->y != b->y || p->vx != b->vx || p->vy != b->vy || p->facing != b->facing ||
            p->moving != b->moving || p->step != b->step || p->score != b->score || p->dash != b->dash ||
            p->cooldown != b->cooldown || p->stun != b->stun)
            return false;
    }
    for (int i = 0; i < cur->gem_count; i++)
        if (cur->gems[i].x != base->gems[i].x || cur->gems[i].y != base->gems[i].y)
            return false;
    return true;
}

/* Inverse of delta_code_player. */
static void delta_decode_player(const proto_player_state *b, const proto_delta_entry *e, uint8_t age,
                                proto_player_state *p)
{
    p->id = e->id;
    uint16_t f = e->fields;
    p->vx = (f & PROTO_DF_VX) ? (int16_t)(uint16_t)((uint16_t)b->vx + (uint16_t)e->vx) : b->vx;
    p->vy = (f & PROTO_DF_VY) ? (int16_t)(uint16_t)((uint16_t)b->vy + (uint16_t)e->vy) : b->vy;
    p->x = delta_predict_x(b->x, age, b->vx, p->vx);
    p->y = delta_predict_x(b->y, age, b->vy, p->vy);
    if (f & PROTO_DF_X)
        p->x = (int32_t)((uint32_t)p->x + (uint32_t)e->x);
    if (f & PROTO_DF_Y)
        p->y = (int32_t)((uint32_t)p->y + (uint32_t)e->y);
    p->facing = (f & PROTO_DF_LOOK) ? e->facing : b->facing;
    p->moving = (f & PROTO_DF_LOOK) ? e->moving : b->moving;
    p->step = (f & PROTO_DF_STEP) ? e->step : delta_predict_step(b, age, p->moving);
    p->score = (f & PROTO_DF_SCORE) ? (uint16_t)(b->score + e->score) : b->score;
    p->dash = (f & PROTO_DF_ACT) ? e->dash : delta_predict_count(b->dash, age);
    p->cooldown = (f & PROTO_DF_ACT) ? e->cooldown : delta_predict_count(b->cooldown, age);
    p->stun = (f & PROTO_DF_ACT) ? e->stun : delta_predict_count(b->stun, age);
}

bool delta_apply(const proto_snapshot *base, const proto_snapshot_delta *d, proto_snapshot *out)
{
    if (d->base_age == 0 || base->tick != d->tick - d->base_age || d->entry_count > PROTO_MAX_PLAYERS ||
        d->gem_count > PROTO_MAX_GEMS)
        return false;
    delta_index bi;
    if (!delta_index_build(base, &bi))
        return false;
    /* The entries in id order, so the merge below is one pass. */
    const proto_delta_entry *entry[PROTO_MAX_PLAYERS] = {0};
    for (int i = 0; i < d->entry_count; i++) {
        uint8_t id = d->entries[i].id;
        if (id >= PROTO_MAX_PLAYERS || entry[id])
            return false;
        entry[id] = &d->entries[i];
    }
    out->tick = d->tick;
    out->ack_seq = base->ack_seq + d->ack_seq;
    out->player_count = 0;
    for (int id = 0; id < PROTO_MAX_PLAYERS; id++) {
        bool in_base = bi.by_id[id] != NULL;
        const proto_delta_entry *e = entry[id];
        if (!e) {
            if (!in_base)
                continue;
            /* Unlisted: moved exactly as predicted. */
            proto_delta_entry none = {.id = (uint8_t)id};
            delta_decode_player(bi.by_id[id], &none, d->base_age, &out->players[out->player_count++]);
            continue;
        }
        if (e->fields == 0) {
            if (!in_base)
                return false; /* removes a player the base lacks */
            continue;
        }
        bool is_new = (e->fields & PROTO_DF_NEW) != 0;
        if (is_new == in_base)
            return false;
        proto_player_state *p = &out->players[out->player_count++];
        delta_decode_player(is_new ? &delta_zero_player : bi.by_id[id], e, d->base_age, p);
        if (p->facing >= PROTO_FACE_COUNT || p->moving > 1)
            return false;
    }
    out->gem_count = d->gem_count;
    for (int i = 0; i < d->gem_count; i++) {
        if (d->gem_changed & (1u << i))
            out->gems[i] = d->gems[i];
        else if (i < base->gem_count)
            out->gems[i] = base->gems[i];
        else
            return false; /* unchanged, yet the base has no such gem */
    }
    return true;
}

bool delta_apply_keepalive(const proto_snapshot *base, const proto_keepalive *k, proto_snapshot *out)
{
    if (k->base_age == 0 || base->tick != k->tick - k->base_age || base->player_count > PROTO_MAX_PLAYERS ||
        base->gem_count > PROTO_MAX_GEMS)
        return false;
    delta_index bi;
    if (!delta_index_build(base, &bi))
        return false;
    /* Ascending ids, like every other reconstructed snapshot. */
    out->player_count = 0;
    for (int id = 0; id < PROTO_MAX_PLAYERS; id++)
        if (bi.by_id[id])
            out->players[out->player_count++] = *bi.by_id[id];
    out->gem_count = base->gem_count;
    memcpy(out->gems, base->gems, sizeof out->gems[0] * base->gem_count);
    out->tick = k->tick;
    out->ack_seq = k->ack_seq;
    return true;
}
