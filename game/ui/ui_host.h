/*
 * ui_host: the Host screen of the menus (ui.h), a form a newcomer can
 * read top to bottom: the game's name (what Find LAN games lists), the
 * port, max players, bots, the round length (1 to 30 minutes or no time
 * limit), the score limit (0: none), the password (masked; F2 or a click
 * on "show" reveals it), and Start hosting.
 *
 * Keys: Up/Down (or Tab/Shift+Tab) move between fields, Left/Right
 * change a number or a choice, typing edits the name, the numbers and the
 * password, Backspace deletes, Ctrl+V pastes, F2 shows or hides the
 * password, Enter on any field starts hosting, Esc goes back. Hosting
 * starts only when every field holds a value the host accepts
 * (ui_host_check); otherwise the first wrong field gets the focus and the
 * reason in red beside it.
 *
 * It says what to do (UI_ACT_HOST, or *back) and never hosts itself: the
 * app reads ui_host_check's values, hosts with them and saves them
 * (without the password). Built on ui_state.h alone, like ui_settings.
 *
 * Main thread only.
 */
#ifndef LANARENA_UI_HOST_H
#define LANARENA_UI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "ui_state.h"

enum {
    UI_HOST_NAME = 0,
    UI_HOST_PORT,
    UI_HOST_MAX_PLAYERS,
    UI_HOST_BOTS,
    UI_HOST_ROUND,
    UI_HOST_SCORE,
    UI_HOST_PASSWORD,
    UI_HOST_START,
    UI_HOST_COUNT
};

/* The ranges the form accepts. Ports below 1024 need root on most
 * systems; one player alone is no game to host. */
#define UI_HOST_PORT_MIN 1024
#define UI_HOST_PLAYERS_MIN 2
#define UI_HOST_DEFAULT_PLAYERS 32 /* server.h's SERVER_DEFAULT_MAX_PLAYERS */
#define UI_HOST_ROUND_MINUTES_MAX 30
#define UI_HOST_SCORE_MAX 65535

/* A game to host, as the form holds it once checked. */
typedef struct {
    char game_name[PROTO_NAME_MAX + 1]; /* a valid name (proto_name_valid) */
    uint16_t port;
    int max_players;   /* UI_HOST_PLAYERS_MIN..PROTO_MAX_PLAYERS */
    int bots;          /* 0..max_players - 1: the host's own player needs a place */
    int round_seconds; /* 0 (no time limit) or SIM_ROUND_SECONDS_MIN..MAX */
    int score_limit;   /* 0 (none)..UI_HOST_SCORE_MAX */
    char password[PROTO_PASSWORD_MAX + 1];
} ui_host_values;

/* "<player>'s game", shortened to a valid game name when it would be too
 * long ("<player>", cut at a character boundary). */
void ui_host_default_name(const char *player, char *out, size_t cap);
/* Puts v into the form (the password too) and clears any error. */
void ui_host_fill(ui_state *ui, const ui_host_values *v);
/* Shows the form afresh: the focus on the first field, no error, the
 * password hidden; an empty game name becomes the default for ui->name. */
void ui_host_open(ui_state *ui);
/* True with the form's values in out when all of them are accepted;
 * otherwise false, the focus on the first wrong field and the reason in
 * ui->host.error. */
bool ui_host_check(ui_state *ui, ui_host_values *out);
/* One event on the Host screen; *back asks for the screen it was opened
 * from. */
ui_action ui_host_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my, bool *back);
void ui_host_draw(const ui_state *ui, const ui_frame *f);
/* "3 min", "No time limit", or "45 s" for a length not in whole minutes. */
void ui_host_round_label(int seconds, char *out, size_t cap);

#endif
