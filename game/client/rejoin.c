#include "rejoin.h"

#include <string.h>

void rejoin_begin(rejoin_state *r, rejoin_cause cause, const proto_host_plan *plan, int my_id, bool migrate,
                  bool can_host, uint64_t now_ms)
{
    memset(r, 0, sizeof *r);
    r->active = true;
    r->migrate = migrate;
    r->can_host = can_host;
    r->my_id = my_id;
    if (plan && migrate)
        r->plan = *plan;
    r->start_ms = now_ms;
    r->host_gone = cause == REJOIN_HANDOVER || cause == REJOIN_LOST_CLOSED;
    r->gone_ms = now_ms;
    /* A host known gone is not worth the first dial. */
    r->next_target = r->host_gone && r->plan.count > 0 ? REJOIN_TARGET_SUCCESSOR : REJOIN_TARGET_OLD;
    r->next_ms = now_ms;
}

int rejoin_turn(const rejoin_state *r, uint64_t now_ms)
{
    if (!r->host_gone || r->plan.count == 0)
        return -1;
    uint64_t k = (now_ms - r->gone_ms) / REJOIN_TURN_MS;
    return k < r->plan.count ? (int)k : -1;
}

rejoin_action rejoin_next(rejoin_state *r, uint64_t now_ms)
{
    rejoin_action a = {.verb = REJOIN_WAIT, .successor_id = -1};
    if (!r->active || now_ms - r->start_ms >= REJOIN_LIMIT_MS) {
        r->active = false;
        a.verb = REJOIN_GIVE_UP;
        return a;
    }
    if (now_ms < r->next_ms) {
        a.at_ms = r->next_ms;
        return a;
    }
    if (r->host_asked && !r->host_answered) {
        a.at_ms = now_ms + REJOIN_BACKOFF_MIN_MS; /* the owner is starting our server */
        return a;
    }
    if (r->hosting) {
        a.verb = REJOIN_DIAL;
        a.target = r->last_target = REJOIN_TARGET_SELF;
        a.port = r->self_port;
        return a;
    }
    int turn = rejoin_turn(r, now_ms);
    if (turn >= 0 && r->plan.entries[turn].id == r->my_id && r->can_host && !r->host_asked) {
        r->host_asked = true;
        a.verb = REJOIN_HOST;
        a.port = r->plan.port;
        return a;
    }
    /* Before the host is known gone, the first successor is the one worth
     * trying besides it; afterwards, whoever's turn it is. Never us. */
    int succ = turn >= 0 ? turn : r->host_gone ? -1 : 0;
    bool have_succ = succ >= 0 && succ < r->plan.count && r->plan.entries[succ].id != r->my_id;
    a.verb = REJOIN_DIAL;
    if (have_succ && r->next_target == REJOIN_TARGET_SUCCESSOR) {
        a.target = REJOIN_TARGET_SUCCESSOR;
        a.addr = r->plan.entries[succ].addr;
        if ((a.addr >> 24) == 127)
            a.addr = 0; /* the old host's machine */
        a.port = r->plan.port;
        a.successor_id = r->plan.entries[succ].id;
    } else {
        a.target = REJOIN_TARGET_OLD;
    }
    r->last_target = a.target;
    r->next_target = have_succ && a.target == REJOIN_TARGET_OLD ? REJOIN_TARGET_SUCCESSOR : REJOIN_TARGET_OLD;
    return a;
}

void rejoin_dial_failed(rejoin_state *r, netclient_fault fault, uint64_t now_ms)
{
    if (!r->active)
        return;
    if (fault == NETCLIENT_FAULT_NO_ROUTE)
        r->unsure_ms = 0;
    else if (r->last_target == REJOIN_TARGET_OLD && fault == NETCLIENT_FAULT_NO_ANSWER && r->unsure_ms == 0)
        r->unsure_ms = now_ms ? now_ms : 1;
    if (r->last_target == REJOIN_TARGET_OLD && !r->host_gone &&
        (fault == NETCLIENT_FAULT_REFUSED ||
         (fault == NETCLIENT_FAULT_NO_ANSWER && now_ms - r->unsure_ms >= REJOIN_UNSURE_MS))) {
        r->host_gone = true;
        r->gone_ms = now_ms;
        r->next_ms = now_ms; /* a successor may take over now: no backoff */
        return;
    }
    /* The first dial of each pair goes straight after the other: only a
     * whole round of failures backs off. */
    bool round_done = r->next_target == REJOIN_TARGET_OLD || r->plan.count == 0 || r->hosting;
    if (!round_done) {
        r->next_ms = now_ms;
        return;
    }
    uint64_t wait = (uint64_t)REJOIN_BACKOFF_MIN_MS << (r->fails < 10 ? r->fails : 10);
    if (wait > REJOIN_BACKOFF_MAX_MS)
        wait = REJOIN_BACKOFF_MAX_MS;
    r->fails++;
    r->next_ms = now_ms + wait;
}

void rejoin_hosting(rejoin_state *r, bool ok, uint16_t port, uint64_t now_ms)
{
    r->host_answered = true;
    r->hosting = ok;
    r->self_port = port;
    r->next_ms = now_ms;
}
