/* The host's kick controls on the scoreboard (ui_kick.c), with rows built
 * by hand: our own row is never picked, Up/Down walk the others round and
 * round, K asks and K again kicks, the question lapses after
 * UI_KICK_CONFIRM_US or when the pick moves, Delete works as K, and a
 * player who leaves hands the pick to the next row. */
#include <string.h>

#include "check.h"
#include "ui_kick.h"

static scoreboard_row rows[4];

static void setup(void)
{
    memset(rows, 0, sizeof rows);
    static const int ids[4] = {7, 2, 9, 4}; /* best first */
    for (int i = 0; i < 4; i++) {
        rows[i].id = ids[i];
        rows[i].name = "x";
        rows[i].place = i + 1;
    }
    rows[1].you = true; /* the host, player 2 */
    rows[1].host = true;
}

static int press(ui_kick *k, SDL_Keycode key, uint64_t now)
{
    bool used;
    int id = ui_kick_key(k, key, rows, 4, now, &used);
    CHECK(used);
    return id;
}

int main(void)
{
    setup();
    ui_kick k;
    ui_kick_init(&k);
    uint64_t t = 1000000;
    ui_kick_sync(&k, rows, 4, t);
    CHECK(k.selected == 7); /* the first row that is not ours */
    /* Down skips our own row and goes round. */
    press(&k, SDLK_DOWN, t);
    CHECK(k.selected == 9);
    press(&k, SDLK_DOWN, t);
    CHECK(k.selected == 4);
    press(&k, SDLK_DOWN, t);
    CHECK(k.selected == 7);
    press(&k, SDLK_UP, t);
    CHECK(k.selected == 4);
    press(&k, SDLK_UP, t);
    CHECK(k.selected == 9);
    press(&k, SDLK_UP, t);
    CHECK(k.selected == 7);

    /* K asks, K again kicks that player. */
    CHECK(press(&k, SDLK_k, t) == -1 && ui_kick_marks(&k, t).asking && ui_kick_marks(&k, t).selected == 7);
    CHECK(press(&k, SDLK_k, t + 1000) == 7);
    CHECK(!ui_kick_marks(&k, t + 1000).asking);
    /* The question lapses. */
    press(&k, SDLK_k, t);
    CHECK(!ui_kick_marks(&k, t + UI_KICK_CONFIRM_US).asking);
    CHECK(press(&k, SDLK_k, t + UI_KICK_CONFIRM_US) == -1); /* asks again instead */
    /* Moving the pick withdraws it: K then asks about the new row. */
    press(&k, SDLK_DOWN, t + UI_KICK_CONFIRM_US + 1);
    CHECK(!ui_kick_marks(&k, t + UI_KICK_CONFIRM_US + 1).asking);
    CHECK(press(&k, SDLK_DELETE, t + UI_KICK_CONFIRM_US + 2) == -1);
    CHECK(press(&k, SDLK_DELETE, t + UI_KICK_CONFIRM_US + 3) == 9);

    /* Other keys are not the board's. */
    bool used = true;
    CHECK(ui_kick_key(&k, SDLK_a, rows, 4, t, &used) == -1 && !used);

    /* The mouse picks a row, never ours. */
    ui_kick_point(&k, 4, rows, 4);
    CHECK(k.selected == 4);
    ui_kick_point(&k, 2, rows, 4);
    CHECK(k.selected == 4);
    ui_kick_point(&k, 99, rows, 4);
    CHECK(k.selected == 4);

    /* Player 4 leaves: the pick goes to the first row that is not ours. */
    ui_kick_sync(&k, rows, 3, t);
    CHECK(k.selected == 7);
    /* Alone: nothing to pick, K kicks nobody. */
    rows[0] = rows[1];
    ui_kick_sync(&k, rows, 1, t);
    CHECK(k.selected == -1);
    CHECK(ui_kick_key(&k, SDLK_k, rows, 1, t, &used) == -1 && ui_kick_key(&k, SDLK_k, rows, 1, t, &used) == -1);
    return check_done("ui_kick");
}
