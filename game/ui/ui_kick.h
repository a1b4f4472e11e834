/*
 * ui_kick: the hosting player's kick controls on the scoreboard (held
 * Tab). Up/Down or the mouse pick a row, never our own; K or Delete asks
 * ("Press K again to kick NAME") and the same key again within
 * UI_KICK_CONFIRM_US on the same row kicks. Anything else (another row,
 * the time running out) withdraws the question. Pure: the shown rows and
 * the time come in, the player to kick goes out; the app posts it to its
 * server (server_kick) and only the host's app calls this at all, so no
 * one else ever sees the controls.
 *
 * Main thread only.
 */
#ifndef LANARENA_UI_KICK_H
#define LANARENA_UI_KICK_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "scoreboard.h"

#define UI_KICK_CONFIRM_US 3000000

typedef struct {
    int selected;            /* player id picked; -1: none */
    int asked;               /* player id the first K asked about; -1: none */
    uint64_t asked_until_us;
} ui_kick;

void ui_kick_init(ui_kick *k);
/* Keeps the pick on a shown row that is not ours: the first such row
 * when the picked player is gone (or none was picked), -1 when there is
 * none. Call with the board's rows each frame it is shown. */
void ui_kick_sync(ui_kick *k, const scoreboard_row *rows, int n, uint64_t now_us);
/* A key while the board is shown. *used: the key was the board's (Up,
 * Down, K, Delete). Returns the player id to kick now, else -1. */
int ui_kick_key(ui_kick *k, SDL_Keycode key, const scoreboard_row *rows, int n, uint64_t now_us, bool *used);
/* The mouse over a row (id, -1 for none): picks it unless it is ours. */
void ui_kick_point(ui_kick *k, int id, const scoreboard_row *rows, int n);
/* What scoreboard_draw shows. */
scoreboard_marks ui_kick_marks(const ui_kick *k, uint64_t now_us);

#endif
