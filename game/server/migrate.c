#include "migrate.h"

#include <string.h>

#include "simwire.h"

void migrate_order(const migrate_candidate *players, int n, proto_host_plan *plan)
{
    plan->count = 0;
    bool taken[SIM_MAX_PLAYERS] = {0};
    while (plan->count < PROTO_PLAN_MAX) {
        const migrate_candidate *best = NULL;
        for (int i = 0; i < n; i++) {
            const migrate_candidate *c = &players[i];
            if (c->in_process || c->silent || c->id >= SIM_MAX_PLAYERS || taken[c->id])
                continue;
            if (!best || c->joined < best->joined || (c->joined == best->joined && c->id < best->id))
                best = c;
        }
        if (!best)
            break;
        taken[best->id] = true;
        plan->entries[plan->count].id = best->id;
        plan->entries[plan->count].addr = best->addr;
        plan->count++;
    }
}

int migrate_rebuild(const migrate_seed *seed, sim_world *w, reconnect_table *gone, uint64_t now_ms)
{
    sim_init(w, seed->rng_seed ? seed->rng_seed : 1u);
    const proto_snapshot *snap = seed->have_snapshot ? &seed->snapshot : NULL;
    if (snap) {
        w->tick = snap->tick + seed->ticks_since;
        memset(w->gems, 0, sizeof w->gems); /* only the gems that were there */
        simwire_gems_from_snapshot(snap, w->gems);
    }
    int n = 0;
    for (int id = 0; id < SIM_MAX_PLAYERS; id++) {
        const migrate_member *m = &seed->members[id];
        if (!m->known || m->proof == 0)
            continue;
        /* played_ms: they were in a real game; never a throwaway. */
        reconnect_entry e = {.token = m->proof, .by_proof = true, .id = (uint8_t)id, .colour = m->colour,
                             .played_ms = RECONNECT_KEEP_PLAYED_MS, .left_ms = now_ms};
        memcpy(e.name, m->name, sizeof e.name);
        e.name[PROTO_NAME_WIRE_MAX] = '\0';
        for (int i = 0; snap && i < snap->player_count; i++) {
            if (snap->players[i].id != id)
                continue;
            sim_player sp = simwire_player_from_wire(&snap->players[i]);
            e.score = sp.score;
            e.placed = true;
            e.x = sp.x;
            e.y = sp.y;
            e.facing = sp.facing;
        }
        reconnect_remember_entry(gone, &e);
        n++;
    }
    return n;
}
