/*
 * scoreboard: the table shown while Tab is held: every player's name,
 * colour, score and ping (measured by the host), best score first, the
 * host and you marked. scoreboard_rows is pure (a view in, rows out) so
 * the order and marks are tested without a window; scoreboard_draw
 * renders the rows. Main thread only.
 */
#ifndef LANARENA_SCOREBOARD_H
#define LANARENA_SCOREBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"

typedef struct {
    int id;
    const char *name;
    uint8_t colour;
    uint16_t score;
    int ping_ms;  /* -1: not measured yet */
    bool host;
    bool you;
} scoreboard_row;

/* Fills rows (room for SIM_MAX_PLAYERS) with the players present, best
 * score first, ties by id; returns how many. */
int scoreboard_rows(const client_view *v, scoreboard_row *rows);
/* Which rows a board with room for `fit` lines shows, in order, into pick
 * (room for fit); returns how many. All of them when they fit; otherwise
 * the best fit, except that your own row, if it would be hidden, takes the
 * last line. */
int scoreboard_pick(const scoreboard_row *rows, int n, int fit, int *pick);
/* Draws the table centred on a w x h frame. */
void scoreboard_draw(const client_view *v, int w, int h, float ui_scale);

#endif
