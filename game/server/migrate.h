/*
 * migrate: host migration as pure functions, for the two ends of it.
 *
 * The host names its successors in advance (migrate_order, sent in
 * HOST_PLAN): players in other processes, longest connected first, not
 * silent. Players in the host's own process (its own player, its bots)
 * are never named: they end with it. So are silent ones: a player the
 * host cannot hear is a poor bet to reach the others.
 *
 * The successor starts a server from the last world it saw
 * (migrate_rebuild): the tick and gems of its newest snapshot, and every
 * player it knew by name, each remembered as a departed player who may
 * come back (reconnect.h) with score, colour, slot and position -- found
 * by the proof of their token, which PLAYER_JOINED carried. Players seen
 * in a snapshot whose PLAYER_JOINED had not arrived cannot prove who
 * they are, and start again when they join. Bots that lived in the old
 * host's process are remembered like everyone, and nobody comes back for
 * them: their places free when the reconnect window closes.
 *
 * Pure: no SDL, no sockets; time comes in.
 * Threading contract: call from any one thread; nothing is shared.
 */
#ifndef LANARENA_MIGRATE_H
#define LANARENA_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"
#include "reconnect.h"
#include "sim.h"

/* What the host knows of a player when it makes a plan. */
typedef struct {
    uint8_t id;
    uint64_t joined;   /* order of arrival: smaller joined earlier */
    uint32_t addr;     /* IPv4 as the host sees it, host byte order */
    bool in_process;   /* lives in the host's own process */
    bool silent;
} migrate_candidate;

/* The order of succession for n players, into plan's count and entries
 * (flags and port are the caller's). */
void migrate_order(const migrate_candidate *players, int n, proto_host_plan *plan);

/* A player as the successor knew them: PLAYER_JOINED's fields. */
typedef struct {
    bool known;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t colour;
    uint64_t proof;
} migrate_member;

/* Everything a successor hands its new server. */
typedef struct {
    bool have_snapshot;
    proto_snapshot snapshot;             /* the newest the successor rebuilt */
    migrate_member members[SIM_MAX_PLAYERS]; /* by id */
    uint32_t ticks_since;                /* ticks from that snapshot to now */
    uint32_t rng_seed;                   /* non-zero */
} migrate_seed;

/* Fills w (tick, gems; no player active) and remembers every member in
 * gone as of now_ms. Returns how many players may come back. */
int migrate_rebuild(const migrate_seed *seed, sim_world *w, reconnect_table *gone, uint64_t now_ms);

#endif
