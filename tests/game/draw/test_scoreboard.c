/* The Tab scoreboard's rows (game/scoreboard.c): who is listed, in what
 * order, with which marks, from a client view built by hand. */
#include <string.h>

#include "check.h"
#include "scoreboard.h"

static void add(client_view *v, int id, const char *name, uint8_t colour, uint16_t score, uint16_t ping, bool host)
{
    client_player *p = &v->players[id];
    p->present = true;
    p->seen = true;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->colour = colour;
    p->state.active = true;
    p->state.score = score;
    p->ping_ms = ping;
    p->is_host = host;
}

int main(void)
{
    static client_view v;
    memset(&v, 0, sizeof v);
    v.my_id = 5;
    scoreboard_row rows[SIM_MAX_PLAYERS];
    CHECK(scoreboard_rows(&v, rows) == 0);

    add(&v, 0, "Host", 0, 3, 2, true);
    add(&v, 5, "Me", 1, 7, 25, false);
    add(&v, 9, "Tie", 2, 3, PROTO_PING_UNKNOWN, false);
    add(&v, 63, "Last", 3, 0, 140, false);
    v.players[9].seen = false; /* announced, not yet in a snapshot */
    v.players[9].state.score = 99;
    add(&v, 20, "Gone", 4, 50, 1, false);
    v.players[20].present = false; /* left: not listed */

    int n = scoreboard_rows(&v, rows);
    CHECK(n == 4);
    /* Best first; equal scores by id; an unseen player counts 0. */
    CHECK(rows[0].id == 5 && rows[0].score == 7 && rows[0].you && !rows[0].host && rows[0].ping_ms == 25);
    CHECK(rows[1].id == 0 && rows[1].host && !rows[1].you && rows[1].ping_ms == 2 && strcmp(rows[1].name, "Host") == 0);
    CHECK(rows[2].id == 9 && rows[2].score == 0 && rows[2].ping_ms == -1);
    CHECK(rows[3].id == 63 && rows[3].score == 0 && rows[3].colour == 3 && rows[3].ping_ms == 140);
    for (int i = 0; i < n; i++)
        CHECK(rows[i].place == i + 1);
    int hosts = 0;
    for (int i = 0; i < n; i++)
        hosts += rows[i].host;
    CHECK(hosts == 1);

    /* A full game lists all SIM_MAX_PLAYERS (250). */
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        add(&v, i, "P", (uint8_t)(i % 16), (uint16_t)i, 10, i == 0);
    n = scoreboard_rows(&v, rows);
    CHECK(n == SIM_MAX_PLAYERS && rows[0].id == SIM_MAX_PLAYERS - 1 && rows[SIM_MAX_PLAYERS - 1].id == 0 &&
          rows[SIM_MAX_PLAYERS - 1].host);

    /* A board with room for 5: the best 5, or the best 4 and you. */
    int pick[SIM_MAX_PLAYERS];
    for (int i = 0; i < n; i++)
        rows[i].you = rows[i].id == 100;
    CHECK(scoreboard_pick(rows, n, 5, pick) == 5 && pick[0] == 0 && pick[3] == 3 && pick[4] == 149);
    CHECK(rows[pick[4]].you);
    rows[149].you = false;
    rows[2].you = true;
    CHECK(scoreboard_pick(rows, n, 5, pick) == 5 && pick[2] == 2 && pick[4] == 4);
    CHECK(scoreboard_pick(rows, 3, 5, pick) == 3 && pick[2] == 2);

    /* The rows a board shows (no font here: lines of the smallest height):
     * as many as fit, our own row kept, each with its place. */
    v.my_id = 0; /* the worst score */
    scoreboard_row shown[SIM_MAX_PLAYERS];
    int total, k = scoreboard_shown(&v, 720, 1.0f, shown, &total);
    CHECK(total == SIM_MAX_PLAYERS && k > 0 && k < total);
    CHECK(shown[0].place == 1 && shown[k - 1].you && shown[k - 1].place == SIM_MAX_PLAYERS);
    return check_done("scoreboard");
}
