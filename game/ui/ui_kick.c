#include "ui_kick.h"

void ui_kick_init(ui_kick *k)
{
    k->selected = -1;
    k->asked = -1;
    k->asked_until_us = 0;
}

/* The index of id among the rows, or -1. */
static int ui_kick_find(const scoreboard_row *rows, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (rows[i].id == id)
            return i;
    return -1;
}

static bool ui_kick_pickable(const scoreboard_row *rows, int n, int id)
{
    int i = ui_kick_find(rows, n, id);
    return i >= 0 && !rows[i].you;
}

void ui_kick_sync(ui_kick *k, const scoreboard_row *rows, int n, uint64_t now_us)
{
    if (k->asked >= 0 && (now_us >= k->asked_until_us || k->asked != k->selected))
        k->asked = -1;
    if (ui_kick_pickable(rows, n, k->selected))
        return;
    k->selected = -1;
    k->asked = -1;
    for (int i = 0; i < n && k->selected < 0; i++)
        if (!rows[i].you)
            k->selected = rows[i].id;
}

/* The next row that is not ours, dir rows away (round and round). */
static void ui_kick_move(ui_kick *k, const scoreboard_row *rows, int n, int dir)
{
    int at = ui_kick_find(rows, n, k->selected);
    for (int step = 1; step <= n; step++) {
        int i = ((at < 0 ? (dir > 0 ? -1 : 0) : at) + dir * step % n + n) % n;
        if (!rows[i].you) {
            k->selected = rows[i].id;
            break;
        }
    }
    k->asked = -1;
}

int ui_kick_key(ui_kick *k, SDL_Keycode key, const scoreboard_row *rows, int n, uint64_t now_us, bool *used)
{
    *used = true;
    ui_kick_sync(k, rows, n, now_us);
    if (key == SDLK_UP || key == SDLK_DOWN) {
        ui_kick_move(k, rows, n, key == SDLK_UP ? -1 : 1);
        return -1;
    }
    if (key != SDLK_k && key != SDLK_DELETE) {
        *used = false;
        return -1;
    }
    if (k->selected < 0)
        return -1;
    if (k->asked == k->selected && now_us < k->asked_until_us) {
        int id = k->selected;
        k->asked = -1;
        return id;
    }
    k->asked = k->selected;
    k->asked_until_us = now_us + UI_KICK_CONFIRM_US;
    return -1;
}

void ui_kick_point(ui_kick *k, int id, const scoreboard_row *rows, int n)
{
    if (id == k->selected || !ui_kick_pickable(rows, n, id))
        return;
    k->selected = id;
    k->asked = -1;
}

scoreboard_marks ui_kick_marks(const ui_kick *k, uint64_t now_us)
{
    return (scoreboard_marks){.selected = k->selected,
                              .asking = k->asked >= 0 && k->asked == k->selected && now_us < k->asked_until_us};
}
