/*
 * predict: client-side prediction and server reconciliation for the local
 * player, as in Quake III and Gambetta's articles.
 *
 * Every input the client sends is applied at once to a predicted copy of
 * its own player with sim_player_move, the very function the server runs,
 * and kept in a ring with the state it produced. Each snapshot says which
 * input the server applied last (ack_seq) and where that left the player.
 * When that equals what we predicted for ack_seq, nothing happens. When
 * it differs, the client takes the server's state and replays the inputs
 * the server has not applied yet: a reconciliation. The drawn position
 * then glides from the old prediction to the new one over a few frames
 * (small corrections) or jumps there (more than PREDICT_SNAP_PX).
 *
 * The server moves a player one tick per tick even when no input arrived
 * in time (it repeats the last buttons), and it drops inputs beyond a few
 * buffered. Both change the player's path and so force a correction, but
 * neither is a wrong prediction: the snapshot stream shows them (ack_seq
 * stands still for a tick, or jumps by more than one), and a correction
 * that one tick of those explains exactly is counted as late or dropped.
 * Players are solid and a dash knocks its victim away, so another player
 * can move ours; so can the host at a round's start (everyone back to
 * spawn) or end (everyone stops). The caller knows when that may have
 * happened (predict_reconcile_moved) and such corrections are counted as
 * moved, not as mismatches.
 * Only the rest are mismatches: a mismatch means the client's simulation
 * disagreed with the server's on the same inputs (or something else, such
 * as another player, moved us).
 *
 * Pure: no SDL, no sockets, no clocks; time is passed in (microseconds).
 */
#ifndef LANARENA_PREDICT_H
#define LANARENA_PREDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

#define PREDICT_RING 256       /* inputs kept: over 4 s at 60 Hz */
#define PREDICT_SNAP_PX 24.0f  /* corrections longer than this snap */
#define PREDICT_SMOOTH_US 40000 /* time constant of the glide */

typedef struct {
    uint32_t seq;
    uint8_t buttons;
    sim_player after; /* predicted state after this input */
} predict_input;

typedef struct {
    uint32_t corrections;  /* reconciliations that moved the prediction */
    uint32_t mismatches;   /* ... not explained by a late or dropped input, nor by others */
    uint32_t moved;        /* ... while another player or the host may have moved us */
    uint32_t late;         /* the server repeated buttons: our input was late */
    uint32_t dropped;      /* the server dropped some of our inputs */
    uint32_t snaps;        /* corrections too large to glide */
    float last_correction_px;
} predict_counters;

typedef struct {
    bool ready;            /* has a server state */
    sim_player current;    /* predicted state after newest_seq */
    uint32_t newest_seq;   /* newest input applied locally */
    uint32_t acked_seq;    /* newest input the server applied */
    predict_input ring[PREDICT_RING];
    /* The previous snapshot, to explain a correction. */
    bool have_prev;
    uint32_t prev_tick, prev_ack;
    sim_player prev_server;
    float err_x, err_y;    /* drawn minus predicted, pixels; decays to 0 */
    predict_counters count;
} predict_state;

void predict_init(predict_state *p);

/* Applies the input to the prediction (seq increments by 1 per call). No
 * effect until the first server state has arrived. */
void predict_input_apply(predict_state *p, uint32_t seq, uint8_t buttons);

/* A snapshot: the server's state of our player at server tick `tick`,
 * after our input ack_seq. Returns true when the prediction moved. */
bool predict_reconcile(predict_state *p, const sim_player *server, uint32_t tick, uint32_t ack_seq);
/* The same when moved_by_others says another player was close enough to
 * push or dash us, or the host moved everyone: a correction then counts
 * as moved rather than as a mismatch. */
bool predict_reconcile_moved(predict_state *p, const sim_player *server, uint32_t tick, uint32_t ack_seq,
                             bool moved_by_others);

/* Lets the drawn position glide toward the prediction for dt_us. */
void predict_smooth(predict_state *p, uint64_t dt_us);

/* Where to draw the player, pixels. */
void predict_draw_pos(const predict_state *p, float *x, float *y);

/* The fields sim_player_move produces are equal (score is not ours). */
bool predict_same_motion(const sim_player *a, const sim_player *b);

#endif
