/* Reconnect tokens: name AND token claim a departed player's colour and
 * score within the window, once; clocks read a millisecond apart by the
 * server's two code paths must not make a fresh departure look ancient. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "reconnect.h"

static void test_reconnect(void)
{
    reconnect_table t;
    reconnect_init(&t, 0);
    CHECK(t.window_ms == RECONNECT_WINDOW_MS && RECONNECT_WINDOW_MS == 60000);
    reconnect_entry e;
    reconnect_remember(&t, "Ann", 0, 1, 2, 3, 0, 1000); /* no token: nothing to remember */
    CHECK(reconnect_count(&t, 1000) == 0);

    reconnect_remember(&t, "Ann", 0xABCDEF, 3, 5, 42, 0, 1000);
    CHECK(reconnect_count(&t, 1000) == 1);
    CHECK(!reconnect_claim(&t, "Ann", 0xABCDEE, 2000, &e)); /* wrong token */
    CHECK(!reconnect_claim(&t, "Bob", 0xABCDEF, 2000, &e)); /* right token, wrong name */
    CHECK(!reconnect_claim(&t, "Ann", 0, 2000, &e));
    CHECK(reconnect_claim(&t, "Ann", 0xABCDEF, 1000 + RECONNECT_WINDOW_MS - 1, &e));
    CHECK(e.id == 3 && e.colour == 5 && e.score == 42 && strcmp(e.name, "Ann") == 0);
    CHECK(!reconnect_claim(&t, "Ann", 0xABCDEF, 3000, &e)); /* once only */

    reconnect_remember(&t, "Ann", 0xABCDEF, 3, 5, 42, 0, 1000);
    CHECK(!reconnect_claim(&t, "Ann", 0xABCDEF, 1000 + RECONNECT_WINDOW_MS, &e)); /* 60 s: too late */
    CHECK(reconnect_count(&t, 1000 + RECONNECT_WINDOW_MS) == 0);

    /* A shorter window for tests; a second departure replaces the first. */
    reconnect_init(&t, 500);
    reconnect_remember(&t, "Cy", 7, 0, 0, 1, 0, 0);
    reconnect_remember(&t, "Cy", 7, 0, 0, 9, 0, 100);
    CHECK(reconnect_count(&t, 100) == 1);
    CHECK(reconnect_claim(&t, "Cy", 7, 599, &e) && e.score == 9);

    /* Full: the oldest is forgotten first. */
    reconnect_init(&t, 0);
    for (int i = 0; i < RECONNECT_MAX + 1; i++) {
        char name[16];
        snprintf(name, sizeof name, "P%d", i);
        reconnect_remember(&t, name, (uint64_t)i + 1, 0, 0, 0, 0, 1000 + (uint64_t)i);
    }
    CHECK(reconnect_count(&t, 2000) == RECONNECT_MAX);
    CHECK(!reconnect_claim(&t, "P0", 1, 2000, &e));
    CHECK(reconnect_claim(&t, "P1", 2, 2000, &e));
    char last[16];
    snprintf(last, sizeof last, "P%d", RECONNECT_MAX);
    CHECK(reconnect_claim(&t, last, RECONNECT_MAX + 1, 2000, &e));

    /* Tokens: never 0, and not repeating. */
    uint64_t a = reconnect_new_token(), b = reconnect_new_token();
    CHECK(a != 0 && b != 0 && a != b);
}

static void test_clock_skew(void)
{
    reconnect_table t;
    reconnect_entry e;
    reconnect_init(&t, 60000);

    reconnect_remember(&t, "Ben", 42, 1, 9, 7, 0, 1001);
    CHECK(!reconnect_claim(&t, "Ben", 41, 1002, &e));   /* wrong token */
    CHECK(!reconnect_claim(&t, "Bob", 42, 1002, &e));   /* wrong name */
    /* Claimed "before" it was remembered: the caller read its clock first. */
    CHECK(reconnect_claim(&t, "Ben", 42, 1000, &e));
    CHECK(e.id == 1 && e.colour == 9 && e.score == 7);
    CHECK(!reconnect_claim(&t, "Ben", 42, 1003, &e));   /* only once */

    reconnect_remember(&t, "Ann", 7, 2, 3, 5, 0, 5000);
    CHECK(reconnect_count(&t, 5000 + 59999) == 1);
    CHECK(!reconnect_claim(&t, "Ann", 7, 5000 + 60000, &e)); /* window over */

    reconnect_remember(&t, "Cal", 8, 3, 4, 0, 0, 9000);
    CHECK(reconnect_claim(&t, "Cal", 8, 9000 + 59999, &e));
}

/* Every player of a full game fits, and churn cannot evict a real player:
 * throwaways (no score, a few seconds of play) only evict each other, and
 * find no room in a table of real players. */
static void test_churn(void)
{
    CHECK(RECONNECT_MAX >= 2 * PROTO_MAX_PLAYERS);
    reconnect_table t;
    reconnect_entry e;
    reconnect_init(&t, 0);
    reconnect_remember(&t, "Ann", 1, 1, 1, 3, 5000, 1000);    /* scored */
    reconnect_remember(&t, "Bob", 2, 2, 2, 0, 120000, 1000);  /* played two minutes */
    for (int i = 0; i < 10 * RECONNECT_MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "churn%d", i);
        reconnect_remember(&t, name, 1000 + (uint64_t)i, 3, 3, 0, 200, 2000 + (uint64_t)i / 100);
    }
    CHECK(reconnect_count(&t, 3000) == RECONNECT_MAX);
    CHECK(reconnect_claim(&t, "Ann", 1, 3000, &e) && e.score == 3);
    CHECK(reconnect_claim(&t, "Bob", 2, 3000, &e) && e.played_ms == 120000);

    /* A table of real players: a throwaway is not remembered. */
    reconnect_init(&t, 0);
    for (int i = 0; i < RECONNECT_MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "real%d", i);
        CHECK(reconnect_remember(&t, name, 1 + (uint64_t)i, 0, 0, 1, 0, 1000));
    }
    CHECK(!reconnect_remember(&t, "throwaway", 99999, 0, 0, 0, 100, 1500));
    CHECK(reconnect_claim(&t, "real0", 1, 2000, &e));
    /* A real one evicts the oldest real one when nothing else is left. */
    reconnect_init(&t, 0);
    for (int i = 0; i < RECONNECT_MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "real%d", i);
        reconnect_remember(&t, name, 1 + (uint64_t)i, 0, 0, 1, 0, 1000 + (uint64_t)i);
    }
    CHECK(reconnect_remember(&t, "late", 99999, 0, 0, 2, 0, 5000));
    CHECK(!reconnect_claim(&t, "real0", 1, 5001, &e));
    CHECK(reconnect_claim(&t, "late", 99999, 5001, &e));

    /* Names match as the server compares them: a lookalike with the right
     * token is the same player. */
    reconnect_init(&t, 0);
    reconnect_remember(&t, "Ann", 77, 0, 0, 1, 0, 1000);
    CHECK(reconnect_holds(&t, "\xD0\x90nn", 77, 1001)); /* Cyrillic A */
    CHECK(!reconnect_holds(&t, "Ann", 78, 1001));
    CHECK(reconnect_claim(&t, " ann ", 77, 1001, &e));
}

int main(void)
{
    test_reconnect();
    test_clock_skew();
    test_churn();
    return check_done("reconnect");
}
