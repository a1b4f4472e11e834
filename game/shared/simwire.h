/*
 * simwire: the one conversion between the simulation's shapes (sim.h) and
 * the wire's (proto.h), shared by both sides as Quake III's bg_ files are.
 * The server turns its world into a SNAPSHOT's records here; a client
 * turns each record back into a sim_player here. Nothing else copies a
 * player field by field between the two.
 *
 * The rules (game/rules) see only the C library, so they cannot name
 * proto.h's constants; the twins live on in both headers and this
 * module's _Static_asserts tie each pair: a player id, a button bit, a
 * facing and a gem index are the same number in the simulation and on the
 * wire.
 *
 * Threading contract: pure functions, no state; any thread.
 */
#ifndef LANARENA_SIMWIRE_H
#define LANARENA_SIMWIRE_H

#include "proto.h"
#include "sim.h"

/* Player id's state as its wire record. Velocities fit in i16 because
 * |v| <= SIM_TOP_SPEED (checked in simwire.c). */
proto_player_state simwire_player_to_wire(const sim_player *p, int id);

/* A wire record as an active sim_player (its id is the caller's index). */
sim_player simwire_player_from_wire(const proto_player_state *ps);

/* The world's active players (by ascending id) and active gems (by index)
 * into a SNAPSHOT with the world's tick; ack_seq is left as it was (it
 * differs per client). */
void simwire_world_to_snapshot(const sim_world *w, proto_snapshot *out);

/* The match as a MATCH body, and one step's event as an EVENT body. */
proto_match simwire_match_to_wire(const sim_match *m);
proto_event simwire_event_to_wire(const sim_event *e);

/* A snapshot's gems as active sim_gems; returns how many. */
int simwire_gems_from_snapshot(const proto_snapshot *s, sim_gem out[SIM_MAX_GEMS]);

#endif
