/* rejoin: whom a client dials after losing its host, when, and when it
 * hosts the game itself -- on a simulated clock. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rejoin.h"

static proto_host_plan plan_of(int n, const int *ids, const uint32_t *addrs)
{
    proto_host_plan p = {.port = 27960, .count = (uint8_t)n};
    for (int i = 0; i < n; i++)
        p.entries[i] = (proto_plan_entry){.id = (uint8_t)ids[i], .addr = addrs[i]};
    return p;
}

/* Our link broke and there is no plan: the old host again and again, the
 * waits doubling to REJOIN_BACKOFF_MAX_MS, until REJOIN_LIMIT_MS. */
static void test_rejoin_alone(void)
{
    rejoin_state r;
    rejoin_begin(&r, REJOIN_LOST_SILENT, NULL, 3, true, true, 1000);
    uint64_t t = 1000, prev_gap = 0;
    int dials = 0;
    bool monotonic = true;
    for (;;) {
        rejoin_action a = rejoin_next(&r, t);
        if (a.verb == REJOIN_GIVE_UP)
            break;
        if (a.verb == REJOIN_WAIT) {
            CHECK(a.at_ms > t);
            uint64_t gap = a.at_ms - t;
            monotonic &= gap >= prev_gap && gap <= REJOIN_BACKOFF_MAX_MS;
            prev_gap = gap;
            t = a.at_ms;
            continue;
        }
        CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD);
        dials++;
        t += 5; /* unreachable at once: our cable is out */
        rejoin_dial_failed(&r, NETCLIENT_FAULT_NO_ANSWER, t);
    }
    CHECK(monotonic && prev_gap == REJOIN_BACKOFF_MAX_MS);
    CHECK_MSG(t >= 1000 + REJOIN_LIMIT_MS && t < 1000 + REJOIN_LIMIT_MS + REJOIN_BACKOFF_MAX_MS, "gave up at %llu",
              (unsigned long long)t);
    CHECK_MSG(dials > 30 && dials < 60, "%d dials", dials); /* 60 s at <= 2 s apart */
}

/* The host's process died (its socket closed): the successor hosts at
 * once and then joins its own server. */
static void test_successor_hosts(void)
{
    int ids[] = {3, 5};
    uint32_t addrs[] = {0x0A4D0002, 0x0A4D0003};
    proto_host_plan p = plan_of(2, ids, addrs);
    rejoin_state r;
    rejoin_begin(&r, REJOIN_LOST_CLOSED, &p, 3, true, true, 500);
    rejoin_action a = rejoin_next(&r, 500);
    CHECK(a.verb == REJOIN_HOST && a.port == 27960);
    CHECK(rejoin_next(&r, 501).verb == REJOIN_WAIT); /* asked once, until answered */
    rejoin_hosting(&r, true, 27961, 510);              /* that port was taken here */
    a = rejoin_next(&r, 510);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_SELF && a.port == 27961);

    /* A client whose owner cannot host does not wait for itself. */
    rejoin_begin(&r, REJOIN_LOST_CLOSED, &p, 3, true, false, 500);
    a = rejoin_next(&r, 500);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD);
    /* --no-migrate: the plan is ignored. */
    rejoin_begin(&r, REJOIN_LOST_CLOSED, &p, 3, false, true, 500);
    a = rejoin_next(&r, 500);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD && r.plan.count == 0);
}

/* Another player: the successor first, the old host in turn, the first
 * pair back to back, then backing off. */
static void test_follower(void)
{
    int ids[] = {3, 5};
    uint32_t addrs[] = {0x0A4D0002, 0x7F000001};
    proto_host_plan p = plan_of(2, ids, addrs);
    rejoin_state r;
    rejoin_begin(&r, REJOIN_LOST_CLOSED, &p, 8, true, true, 0);
    rejoin_action a = rejoin_next(&r, 0);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_SUCCESSOR && a.addr == 0x0A4D0002 && a.port == 27960 &&
          a.successor_id == 3);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_REFUSED, 2); /* not listening yet */
    a = rejoin_next(&r, 2);
    CHECK(a.verb == REJOIN_WAIT && a.at_ms == 2 + REJOIN_BACKOFF_MIN_MS);
    a = rejoin_next(&r, a.at_ms);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_REFUSED, 53);
    a = rejoin_next(&r, 53);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_SUCCESSOR);

    /* The first successor never came: after REJOIN_TURN_MS the second's
     * turn, and a loopback plan address means the old host's machine. */
    uint64_t t = 53;
    rejoin_dial_failed(&r, NETCLIENT_FAULT_REFUSED, t);
    int old_dials = 0;
    for (;;) { /* fails everywhere until the turn passes */
        a = rejoin_next(&r, t);
        if (a.verb == REJOIN_WAIT) {
            t = a.at_ms;
            continue;
        }
        CHECK(a.verb == REJOIN_DIAL);
        if (t >= REJOIN_TURN_MS && a.target == REJOIN_TARGET_SUCCESSOR)
            break;
        CHECK(a.target == REJOIN_TARGET_OLD || a.successor_id == 3);
        old_dials += a.target == REJOIN_TARGET_OLD;
        rejoin_dial_failed(&r, NETCLIENT_FAULT_REFUSED, t);
    }
    CHECK(old_dials >= 3);
    CHECK(a.successor_id == 5 && a.addr == 0 && a.port == 27960);
    CHECK(rejoin_turn(&r, REJOIN_TURN_MS + 1) == 1);
    CHECK(rejoin_turn(&r, 2 * REJOIN_TURN_MS) == -1); /* nobody left: the old host only */

    /* And when it is our turn, we host. */
    int ids2[] = {3, 8};
    proto_host_plan p2 = plan_of(2, ids2, addrs);
    rejoin_begin(&r, REJOIN_HANDOVER, &p2, 8, true, true, 0);
    a = rejoin_next(&r, 0);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_SUCCESSOR);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_REFUSED, REJOIN_TURN_MS);
    a = rejoin_next(&r, REJOIN_TURN_MS + REJOIN_BACKOFF_MAX_MS);
    CHECK(a.verb == REJOIN_HOST);
}

/* The host fell silent: not known gone. The successor hosts only when
 * the old host refuses, or stays unreachable REJOIN_UNSURE_MS. */
static void test_silent_host(void)
{
    int ids[] = {3};
    uint32_t addrs[] = {0x0A4D0002};
    proto_host_plan p = plan_of(1, ids, addrs);
    rejoin_state r;
    rejoin_begin(&r, REJOIN_LOST_SILENT, &p, 3, true, true, 0);
    rejoin_action a = rejoin_next(&r, 0);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_REFUSED, 10); /* its game is gone */
    a = rejoin_next(&r, 10);
    CHECK(a.verb == REJOIN_HOST);

    rejoin_begin(&r, REJOIN_LOST_SILENT, &p, 3, true, true, 0);
    uint64_t t = 0;
    bool hosted = false;
    while (t < REJOIN_LIMIT_MS && !hosted) {
        a = rejoin_next(&r, t);
        if (a.verb == REJOIN_WAIT) {
            t = a.at_ms;
        } else if (a.verb == REJOIN_HOST) {
            hosted = true;
        } else {
            CHECK(a.target == REJOIN_TARGET_OLD);
            t += REJOIN_DIAL_TIMEOUT_MS;
            rejoin_dial_failed(&r, NETCLIENT_FAULT_NO_ANSWER, t);
        }
    }
    CHECK_MSG(hosted && t >= REJOIN_UNSURE_MS && t < REJOIN_UNSURE_MS + 2 * REJOIN_DIAL_TIMEOUT_MS + REJOIN_BACKOFF_MAX_MS,
              "hosted %d at %llu", hosted, (unsigned long long)t);

    /* Our own link is down (no route): that says nothing about the host,
     * so the successor never takes over however long it lasts, and
     * keeps dialling the old host for when the link comes back. */
    rejoin_begin(&r, REJOIN_LOST_SILENT, &p, 3, true, true, 0);
    t = 0;
    int dials = 0;
    bool took_over = false;
    while (t < 20000) {
        a = rejoin_next(&r, t);
        if (a.verb == REJOIN_WAIT) {
            t = a.at_ms;
            continue;
        }
        took_over |= a.verb == REJOIN_HOST;
        CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD);
        dials++;
        t += 1;
        rejoin_dial_failed(&r, NETCLIENT_FAULT_NO_ROUTE, t);
    }
    CHECK(!took_over && dials >= 10 && !r.host_gone);
    /* The link is back but the host's machine does not answer: now it is. */
    t += 1;
    rejoin_next(&r, t + REJOIN_BACKOFF_MAX_MS);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_NO_ANSWER, t + 4000);
    CHECK(!r.host_gone);
    rejoin_next(&r, t + 4000 + REJOIN_BACKOFF_MAX_MS);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_NO_ANSWER, t + 8000);
    CHECK(r.host_gone);

    /* A follower of a silent host tries the old host first, then the successor. */
    rejoin_begin(&r, REJOIN_LOST_SILENT, &p, 9, true, true, 0);
    a = rejoin_next(&r, 0);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_OLD);
    rejoin_dial_failed(&r, NETCLIENT_FAULT_NO_ANSWER, 100);
    a = rejoin_next(&r, 100);
    CHECK(a.verb == REJOIN_DIAL && a.target == REJOIN_TARGET_SUCCESSOR && a.successor_id == 3);
}

int main(void)
{
    test_rejoin_alone();
    test_successor_hosts();
    test_follower();
    test_silent_host();
    return check_done("test_rejoin");
}
