/* Host migration's pure halves: the host's order of succession, and the
 * successor's server world rebuilt from the last snapshot it saw -- mid
 * round, with a player whose PLAYER_JOINED had not arrived, one who had
 * joined but was in no snapshot yet, and proofs instead of tokens. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "migrate.h"
#include "proto.h"
#include "reconnect.h"

static void test_order(void)
{
    proto_host_plan plan;
    /* Nobody: an empty plan. */
    migrate_order(NULL, 0, &plan);
    CHECK(plan.count == 0);

    /* Longest connected first; the host's own process and silent players
     * never; a tie in arrival goes to the lower id. */
    migrate_candidate c[] = {
        {.id = 0, .joined = 1, .addr = 0x7F000001, .in_process = true}, /* the host's own player */
        {.id = 5, .joined = 4, .addr = 0x0A4D0003},
        {.id = 2, .joined = 2, .addr = 0x0A4D0002},
        {.id = 7, .joined = 3, .addr = 0x0A4D0004, .silent = true},
        {.id = 9, .joined = 4, .addr = 0x0A4D0005},
        {.id = 3, .joined = 9, .addr = 0x7F000001, .in_process = true}, /* a bot */
    };
    migrate_order(c, 6, &plan);
    CHECK(plan.count == 3);
    CHECK(plan.entries[0].id == 2 && plan.entries[0].addr == 0x0A4D0002);
    CHECK(plan.entries[1].id == 5 && plan.entries[1].addr == 0x0A4D0003);
    CHECK(plan.entries[2].id == 9);

    /* Never more than PROTO_PLAN_MAX, and the earliest of them. */
    migrate_candidate many[40];
    for (int i = 0; i < 40; i++)
        many[i] = (migrate_candidate){.id = (uint8_t)i, .joined = (uint64_t)(100 - i), .addr = (uint32_t)i};
    migrate_order(many, 40, &plan);
    CHECK(plan.count == PROTO_PLAN_MAX);
    CHECK(plan.entries[0].id == 39 && plan.entries[PROTO_PLAN_MAX - 1].id == 40 - PROTO_PLAN_MAX);

    /* The plan the server sends passes the codec's own checks. */
    proto_msg m = {.type = PROTO_HOST_PLAN}, back;
    m.u.plan = plan;
    m.u.plan.port = 27960;
    m.u.plan.flags = PROTO_PLAN_NOW;
    uint8_t buf[256];
    size_t n = proto_encode(&m, buf, sizeof buf);
    CHECK(n == 1 + 1 + 2 + 1 + (size_t)PROTO_PLAN_MAX * 5);
    CHECK(proto_decode(buf, n, &back) == PROTO_OK && back.u.plan.count == PROTO_PLAN_MAX &&
          back.u.plan.flags == PROTO_PLAN_NOW && back.u.plan.port == 27960 && back.u.plan.entries[3].addr == 36);
}

static void member(migrate_seed *s, int id, const char *name, uint8_t colour, uint64_t token)
{
    s->members[id].known = true;
    snprintf(s->members[id].name, sizeof s->members[id].name, "%s", name);
    s->members[id].colour = colour;
    s->members[id].proof = proto_token_proof(token);
}

static void test_rebuild(void)
{
    static migrate_seed seed;
    memset(&seed, 0, sizeof seed);
    seed.rng_seed = 77;
    /* Mid round: tick 5000, three players in the snapshot with scores, four gems. */
    proto_snapshot *sn = &seed.snapshot;
    seed.have_snapshot = true;
    seed.ticks_since = 3;
    sn->tick = 5000;
    sn->player_count = 3;
    sn->players[0] = (proto_player_state){.id = 1, .x = 100 * SIM_FP, .y = 50 * SIM_FP, .facing = 2, .score = 17};
    sn->players[1] = (proto_player_state){.id = 4, .x = 300 * SIM_FP, .y = 80 * SIM_FP, .score = 3};
    /* Player 6 is in the snapshot, but its PLAYER_JOINED had not come:
     * nobody can prove to be it. */
    sn->players[2] = (proto_player_state){.id = 6, .x = 200 * SIM_FP, .y = 90 * SIM_FP, .score = 9};
    sn->gem_count = 4;
    for (int i = 0; i < 4; i++)
        sn->gems[i] = (proto_gem){.x = (int16_t)(40 + i * 10), .y = (int16_t)(60 + i)};
    member(&seed, 1, "Ann", 3, 0x1111);
    member(&seed, 4, "Bob", 7, 0x4444);
    /* Cy had joined (PLAYER_JOINED) but was in no snapshot yet. */
    member(&seed, 8, "Cy", 9, 0x8888);
    /* A member without a proof (an older host) cannot come back. */
    seed.members[10].known = true;
    snprintf(seed.members[10].name, sizeof seed.members[10].name, "Dee");

    static sim_world w;
    static reconnect_table gone;
    reconnect_init(&gone, 0);
    int back = migrate_rebuild(&seed, &w, &gone, 1000);
    CHECK(back == 3);
    CHECK(w.tick == 5003);
    int gems = 0;
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        gems += w.gems[i].active;
    CHECK(gems == 4 && w.gems[0].x == 40 && w.gems[3].x == 70 && w.gems[3].y == 63);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        CHECK(!w.players[i].active); /* everyone comes back by joining */
    CHECK(reconnect_count(&gone, 1000) == 3);

    reconnect_entry e;
    /* A token is checked against its proof: the wrong one, or the proof
     * itself presented as a token, gets nothing. */
    CHECK(!reconnect_claim(&gone, "Ann", 0x1112, 1500, &e));
    CHECK(!reconnect_claim(&gone, "Ann", proto_token_proof(0x1111), 1500, &e));
    CHECK(!reconnect_claim(&gone, "Bob", 0x1111, 1500, &e));
    CHECK(reconnect_claim(&gone, "Ann", 0x1111, 1500, &e));
    CHECK(e.id == 1 && e.colour == 3 && e.score == 17 && e.placed && e.x == 100 * SIM_FP && e.y == 50 * SIM_FP &&
          e.facing == 2);
    CHECK(reconnect_claim(&gone, "Bob", 0x4444, 1500, &e) && e.id == 4 && e.score == 3 && e.colour == 7);
    CHECK(reconnect_claim(&gone, "Cy", 0x8888, 1500, &e) && e.id == 8 && e.score == 0 && !e.placed && e.colour == 9);
    CHECK(!reconnect_claim(&gone, "Dee", 0, 1500, &e));
    CHECK(reconnect_count(&gone, 1500) == 0);

    /* No snapshot yet (the successor was still joining): a fresh world,
     * the roster still remembered. */
    seed.have_snapshot = false;
    reconnect_init(&gone, 0);
    CHECK(migrate_rebuild(&seed, &w, &gone, 0) == 3);
    CHECK(w.tick == 0);
    gems = 0;
    for (int i = 0; i < SIM_MAX_GEMS; i++)
        gems += w.gems[i].active;
    CHECK(gems == SIM_ACTIVE_GEMS);
    CHECK(reconnect_claim(&gone, "Ann", 0x1111, 10, &e) && e.score == 0 && !e.placed);
}

static void test_proof(void)
{
    CHECK(proto_token_proof(0) == 0);
    CHECK(proto_token_proof(1) != 0 && proto_token_proof(1) != 1);
    CHECK(proto_token_proof(0x1111) == proto_token_proof(0x1111));
    CHECK(proto_token_proof(0x1111) != proto_token_proof(0x1112));
    /* Neighbouring tokens give unrelated proofs: about half the bits differ. */
    int bits = __builtin_popcountll(proto_token_proof(0x1111) ^ proto_token_proof(0x1112));
    CHECK_MSG(bits > 16 && bits < 48, "%d bits differ", bits);
}

int main(void)
{
    test_order();
    test_rebuild();
    test_proof();
    return check_done("test_migrate");
}
