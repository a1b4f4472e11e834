/*
 * delta: snapshot delta compression, the arithmetic behind SNAPSHOT_DELTA
 * and KEEPALIVE (their bytes are in proto.h). Pure and stateless: no
 * allocation, no clock, no globals; the server and the client each keep
 * their own ring of snapshots and pass the base in.
 *
 * A delta codes a snapshot `cur` against an earlier snapshot `base` that
 * the client has acknowledged, base_age = cur.tick - base.tick ticks
 * older. Every value is coded against a prediction made from the base,
 * and a player whose every value matches the prediction is left out:
 *
 *   vx, vy     predicted unchanged; sent as new - base (mod 2^16)
 *   x, y       predicted as if the speed had moved linearly from the
 *              base's to the new one: base.x + age * base.vx +
 *              (vx - base.vx) * (age + 1) / 2 (C division). Exact at rest,
 *              at constant speed, over one tick and along a steady
 *              acceleration ramp; sent as the residual (mod 2^32)
 *   facing, moving   predicted unchanged; sent together in one byte
 *   step       predicted new moving ? base.step + base_age : 0 (the walk
 *              clock counts ticks in motion); sent as the new value
 *   score      predicted unchanged; sent as new - base (mod 2^16)
 *   dash, cooldown, stun   predicted to count down by base_age to 0;
 *              sent together as the new values
 *
 * A player missing from the base is coded against an all-zero player
 * (PROTO_DF_NEW); a player missing from cur gets an entry with no fields.
 * Gems are compared by index. All arithmetic wraps in unsigned integers,
 * so any pair of snapshots off the wire round-trips exactly.
 *
 * Quantisation: none beyond the simulation's own. Positions are integers
 * of 1/256 pixel in the simulation itself (sim.h), and the wire carries
 * those integers exactly, so the client reconstructs the server's state
 * bit for bit and predicts from the very state the server steps: the
 * quantisation error relative to the server is 0, and relative to a real
 * position the 1/256 px grid bounds it by 1/512 px.
 *
 * Snapshots are sets of players: the order of players[] in the input does
 * not matter; reconstructed snapshots list players by ascending id.
 */
#ifndef LANARENA_DELTA_H
#define LANARENA_DELTA_H

#include <stdbool.h>

#include "proto.h"

/* Oldest base a sender may use: base_age < DELTA_WINDOW. A receiver that
 * keeps its last DELTA_WINDOW reconstructed ticks always has the base. */
#define DELTA_WINDOW 64

/* Largest |rebuilt - server| of a position, in 1/256 px (see above). */
#define DELTA_QUANT_ERROR_FP 0

/* Codes cur against base into out (SNAPSHOT_DELTA). False when no delta
 * can be made: base is not 1..255 ticks older than cur. ack_seq is coded
 * against base->ack_seq; a server that keeps one shared ring of world
 * snapshots may overwrite out->ack_seq per client. */
bool delta_make(const proto_snapshot *base, const proto_snapshot *cur, proto_snapshot_delta *out);

/* True when cur's world (players and gems, not tick or ack_seq) equals
 * base's, so a KEEPALIVE describes it. */
bool delta_same_world(const proto_snapshot *base, const proto_snapshot *cur);

/* Rebuilds the snapshot d describes from its base. False, with out
 * unspecified, when d does not fit base: wrong base tick, an entry that
 * removes or changes a player the base lacks, a gem index past both
 * lists. out may not alias base. */
bool delta_apply(const proto_snapshot *base, const proto_snapshot_delta *d, proto_snapshot *out);

/* KEEPALIVE: base's world at a new tick with a new ack_seq. */
bool delta_apply_keepalive(const proto_snapshot *base, const proto_keepalive *k, proto_snapshot *out);

#endif
