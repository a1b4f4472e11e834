#include "predict.h"

#include <math.h>
#include <string.h>

void predict_init(predict_state *p)
{
    memset(p, 0, sizeof *p);
}

bool predict_same_motion(const sim_player *a, const sim_player *b)
{
    return a->x == b->x && a->y == b->y && a->vx == b->vx && a->vy == b->vy && a->facing == b->facing &&
           a->moving == b->moving && a->step == b->step && a->dash == b->dash && a->cooldown == b->cooldown &&
           a->stun == b->stun;
}

static predict_input *predict_slot(predict_state *p, uint32_t seq)
{
    predict_input *in = &p->ring[seq % PREDICT_RING];
    return in->seq == seq && seq != 0 ? in : NULL;
}

void predict_input_apply(predict_state *p, uint32_t seq, uint8_t buttons)
{
    predict_input *in = &p->ring[seq % PREDICT_RING];
    in->seq = seq;
    in->buttons = buttons;
    if (p->ready) {
        sim_player_move(&p->current, buttons);
        in->after = p->current;
    }
    p->newest_seq = seq;
}

/* What we predicted the server would hold after input ack, if we know. */
static bool predict_expected(predict_state *p, uint32_t ack, sim_player *out)
{
    if (!p->ready)
        return false;
    if (ack == p->newest_seq) {
        *out = p->current;
        return true;
    }
    const predict_input *in = predict_slot(p, ack);
    if (!in)
        return false;
    *out = in->after;
    return true;
}

/* True when one server tick of a repeated or a skipped-to input, applied
 * to the previous snapshot's state, gives exactly this one. */
static bool predict_explain(predict_state *p, const sim_player *server, uint32_t tick, uint32_t ack, bool *late)
{
    if (!p->have_prev || tick != p->prev_tick + 1)
        return false;
    uint8_t buttons;
    if (ack == p->prev_ack) {
        /* No input arrived in time: the server repeated the last one. */
        const predict_input *in = predict_slot(p, ack);
        if (ack != 0 && !in)
            return false;
        buttons = ack == 0 ? 0 : in->buttons;
        *late = true;
    } else if (ack > p->prev_ack + 1) {
        /* Inputs prev_ack+1 .. ack-1 were dropped; ack was applied. */
        const predict_input *in = predict_slot(p, ack);
        if (!in)
            return false;
        buttons = in->buttons;
        *late = false;
    } else {
        return false;
    }
    sim_player model = p->prev_server;
    sim_player_move(&model, buttons);
    return predict_same_motion(&model, server);
}

bool predict_reconcile(predict_state *p, const sim_player *server, uint32_t tick, uint32_t ack_seq)
{
    return predict_reconcile_moved(p, server, tick, ack_seq, false);
}

bool predict_reconcile_moved(predict_state *p, const sim_player *server, uint32_t tick, uint32_t ack_seq,
                             bool moved_by_others)
{
    bool moved = false;
    if (ack_seq > p->newest_seq) {
        /* The server applied inputs we never sent (a new session): start over. */
        predict_init(p);
        p->newest_seq = ack_seq;
    }
    /* Only inputs still in the ring can be replayed. An ack further behind
     * than the ring reaches (a server that fell far behind, or one that
     * sends nonsense) leaves nothing to rebuild the path from: the
     * prediction restarts from the server's state, and the ring's states,
     * predicted from the old path, are forgotten. */
    uint32_t behind = p->newest_seq - ack_seq;
    if (behind >= PREDICT_RING) {
        memset(p->ring, 0, sizeof p->ring);
        behind = 0;
    }
    sim_player expected;
    bool known = predict_expected(p, ack_seq, &expected);
    if (known && predict_same_motion(&expected, server)) {
        p->current.score = server->score;
    } else {
        /* Reconcile: the server's state, then every input it has not applied. */
        sim_player s = *server;
        predict_input *at_ack = predict_slot(p, ack_seq);
        if (at_ack)
            at_ack->after = s;
        for (uint32_t k = 1; k <= behind; k++) {
            predict_input *in = predict_slot(p, ack_seq + k);
            if (!in)
                continue; /* never made, or overwritten: nothing to replay */
            sim_player_move(&s, in->buttons);
            in->after = s;
        }
        s.score = server->score;
        if (p->ready && !predict_same_motion(&p->current, &s)) {
            /* In double: a hostile host's positions can be any int32. */
            float dx = (float)(((double)p->current.x - s.x) / SIM_FP);
            float dy = (float)(((double)p->current.y - s.y) / SIM_FP);
            float dist = sqrtf(dx * dx + dy * dy);
            p->count.corrections++;
            p->count.last_correction_px = dist;
            bool late = false;
            if (predict_explain(p, server, tick, ack_seq, &late)) {
                if (late)
                    p->count.late++;
                else
                    p->count.dropped++;
            } else if (moved_by_others || server->stun > 0) {
                p->count.moved++; /* pushed, knocked, or the host's round start or end */
            } else {
                p->count.mismatches++;
            }
            if (dist > PREDICT_SNAP_PX) {
                p->err_x = p->err_y = 0;
                p->count.snaps++;
            } else {
                p->err_x += dx; /* keep the drawn position where it was */
                p->err_y += dy;
            }
            moved = true;
        }
        p->current = s;
        p->ready = true;
    }
    p->acked_seq = ack_seq;
    p->have_prev = true;
    p->prev_tick = tick;
    p->prev_ack = ack_seq;
    p->prev_server = *server;
    return moved;
}

void predict_smooth(predict_state *p, uint64_t dt_us)
{
    float k = expf(-(float)dt_us / (float)PREDICT_SMOOTH_US);
    p->err_x *= k;
    p->err_y *= k;
    if (fabsf(p->err_x) < 0.01f && fabsf(p->err_y) < 0.01f)
        p->err_x = p->err_y = 0;
}

void predict_draw_pos(const predict_state *p, float *x, float *y)
{
    *x = (float)p->current.x / SIM_FP + p->err_x;
    *y = (float)p->current.y / SIM_FP + p->err_y;
}
