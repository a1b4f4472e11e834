/*
 * ui: the menu screens as a small state machine: Main, Join, Find LAN
 * games, Name, Settings (ui_settings.c), Host (the game's name, port,
 * limits and password: ui_host.c),
 * Password (the host asked for one), Connecting, and Game (the arena,
 * drawn by the app; the ui only answers Esc there). It turns SDL events
 * into actions for the app and draws the screens with render. It never
 * touches the network: the app does what an action asks and tells the ui
 * what happened.
 *
 * Back. Each screen remembers the screen it was opened from (ui_open);
 * Esc, a right click and a Back item return there (ui_back).
 *
 * Main thread only.
 */
#ifndef LANARENA_UI_H
#define LANARENA_UI_H

#include "ui_state.h"

void ui_init(ui_state *ui, const char *name, uint16_t default_port);
/* Shows screen; its Back goes where it last went (by default: the main
 * menu, and the Join screen from Password). */
void ui_show(ui_state *ui, ui_screen screen);
/* Shows screen, opened from back: Esc there returns to back. */
void ui_open(ui_state *ui, ui_screen screen, ui_screen back);
/* Returns to the screen the current one was opened from. */
void ui_back(ui_state *ui);
/* Handles one event on a menu screen; returns what the app should do. */
ui_action ui_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f);
void ui_draw(const ui_state *ui, const ui_frame *f);
/* In game: the Esc menu over the arena, when it is open. */
void ui_draw_game_menu(const ui_state *ui, const ui_frame *f);

/* The games found so far and a status line ("Searching..."), from the app. */
void ui_lan_set(ui_state *ui, const discovery_game *games, int count, const char *status);
/* Remembers a joined address ("HOST:PORT") as the newest recent host; a
 * repeat moves to the front, the oldest beyond UI_RECENT_MAX is dropped.
 * Whoever persists the list adds the saved entries oldest first. */
void ui_recent_add(ui_state *ui, const char *address);
int ui_recent_count(const ui_state *ui);
/* 0 is the newest; NULL when out of range. */
const char *ui_recent_get(const ui_state *ui, int i);

#endif
