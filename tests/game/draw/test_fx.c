/*
 * test_fx: the bookkeeping behind the feedback: which events make
 * effects and feed lines, what they say, and when they go.
 */
#include <string.h>

#include "check.h"
#include "fx.h"

static client_view view;

static void test_add_player(int id, const char *name)
{
    view.players[id].present = true;
    strcpy(view.players[id].name, name);
}

int main(void)
{
    static fx_state fx;
    fx_init(&fx);
    memset(&view, 0, sizeof view);
    view.my_id = 2;
    test_add_player(2, "Me");
    test_add_player(5, "Ann");
    view.match.round = 2;
    const fx_line *lines[FX_FEED_LINES];
    uint64_t t = 1000000;

    /* Join and leave go to the feed. */
    client_event e = {.kind = CLIENT_EV_JOINED, .a = 7};
    strcpy(e.name, "Bo");
    fx_event(&fx, &e, &view, t);
    e.kind = CLIENT_EV_LEFT;
    fx_event(&fx, &e, &view, t);
    int n = fx_feed_visible(&fx, t, lines, FX_FEED_LINES);
    CHECK(n == 2 && strcmp(lines[0]->text, "Bo joined") == 0 && strcmp(lines[1]->text, "Bo left") == 0);

    /* A pickup: a sparkle that fades, no feed line. */
    client_event pick = {.kind = PROTO_EV_PICKUP, .a = 2, .x = 100, .y = 50};
    fx_event(&fx, &pick, &view, t);
    CHECK(fx_live(&fx, t) == 1 && fx_live(&fx, t + FX_SPARKLE_US) == 0);
    CHECK(fx.effects[0].mine && fx.effects[0].x == 100.0f);
    CHECK(fx_feed_visible(&fx, t, lines, FX_FEED_LINES) == 2);

    /* Hit on us: a flash, the red edge, a line naming the dasher. */
    client_event hit = {.kind = PROTO_EV_HIT, .a = 5, .b = 2, .drop = 1, .x = 10, .y = 10};
    fx_event(&fx, &hit, &view, t + 1);
    CHECK(fx.hurt_us == t + 1);
    n = fx_feed_visible(&fx, t + 1, lines, FX_FEED_LINES);
    CHECK(n == 3 && strcmp(lines[2]->text, "Ann knocked you - a point fell!") == 0);
    /* Hits between others flash but do not fill the feed. */
    client_event other = {.kind = PROTO_EV_HIT, .a = 5, .b = 9};
    fx_event(&fx, &other, &view, t + 2);
    CHECK(fx_feed_visible(&fx, t + 2, lines, FX_FEED_LINES) == 3);

    /* The round's winner, and a draw. */
    client_event end = {.kind = PROTO_EV_ROUND_END, .a = 2};
    fx_event(&fx, &end, &view, t + 3);
    n = fx_feed_visible(&fx, t + 3, lines, FX_FEED_LINES);
    CHECK(strcmp(lines[n - 1]->text, "You won round 2!") == 0);
    end.a = 5;
    fx_event(&fx, &end, &view, t + 4);
    n = fx_feed_visible(&fx, t + 4, lines, FX_FEED_LINES);
    CHECK(strcmp(lines[n - 1]->text, "Ann won round 2!") == 0);
    end.a = SIM_NOBODY;
    fx_event(&fx, &end, &view, t + 5);
    n = fx_feed_visible(&fx, t + 5, lines, FX_FEED_LINES);
    CHECK(n == FX_FEED_LINES && strcmp(lines[n - 1]->text, "Round 2 is a draw.") == 0);
    /* The oldest scrolled away. */
    CHECK(strcmp(lines[0]->text, "Bo left") == 0);
    /* A player the host kicked: said so. */
    client_event kicked = {.kind = CLIENT_EV_LEFT, .a = 5, .b = PROTO_BYE_KICKED_BY_HOST};
    strcpy(kicked.name, "Ann");
    fx_event(&fx, &kicked, &view, t + 6);
    n = fx_feed_visible(&fx, t + 6, lines, FX_FEED_LINES);
    CHECK(strcmp(lines[n - 1]->text, "Ann was kicked") == 0);
    /* Lines go after FX_FEED_US. */
    CHECK(fx_feed_visible(&fx, t + FX_FEED_US + 10, lines, FX_FEED_LINES) == 0);
    return check_done("fx");
}
