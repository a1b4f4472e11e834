/*
 * scoreboard: the table shown while Tab is held: every player's name,
 * colour, score and ping (measured by the host), best score first, the
 * host and you marked; for the hosting player, the row picked to kick
 * and the keys that kick it. scoreboard_rows is pure (a view in, rows out) so
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
    int place; /* 1 for the best, in the order scoreboard_rows gives */
} scoreboard_row;

/* Fills rows (room for SIM_MAX_PLAYERS) with the players present, best
 * score first, ties by id; returns how many. */
int scoreboard_rows(const client_view *v, scoreboard_row *rows);
/* Which rows a board with room for `fit` lines shows, in order, into pick
 * (room for fit); returns how many. All of them when they fit; otherwise
 * the best fit, except that your own row, if it would be hidden, takes the
 * last line. */
int scoreboard_pick(const scoreboard_row *rows, int n, int fit, int *pick);
/* The rows a w x h board shows, in order (scoreboard_rows, then
 * scoreboard_pick for the lines that fit), into shown (room for
 * SIM_MAX_PLAYERS); *total gets how many players there are. Returns how
 * many are shown. */
int scoreboard_shown(const client_view *v, int h, float ui_scale, scoreboard_row *shown, int *total);

/* The host's kick controls on the board (NULL: none, as every other
 * player sees it): the row picked, and whether a kick of it waits for
 * its confirmation. */
typedef struct {
    int selected; /* player id; -1: none */
    bool asking;  /* "Press K again to kick NAME" */
} scoreboard_marks;

/* Draws the table centred on a w x h frame. */
void scoreboard_draw(const client_view *v, int w, int h, float ui_scale, const scoreboard_marks *marks);
/* The player id of the row at (x, y) on the board scoreboard_draw draws,
 * or -1. */
int scoreboard_row_at(const client_view *v, int w, int h, float ui_scale, float x, float y);

#endif
