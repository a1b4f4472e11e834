/*
 * ui: the menu screens (main menu, join, name, connecting) as a small
 * state machine. It turns SDL events into actions for the app and draws
 * the screens with render. It never touches the network: the app does
 * what an action asks and tells the ui what happened.
 *
 * Main thread only.
 */
#ifndef LANARENA_UI_H
#define LANARENA_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "discovery.h"

typedef enum {
    UI_MAIN = 0,
    UI_JOIN,
    UI_NAME,
    UI_CONNECTING,
    UI_GAME,
    UI_LAN,
    UI_SETTINGS, /* name, colour, display (ui_settings.c) */
    UI_HOST,     /* before hosting: an optional password */
    UI_PASSWORD  /* the host asked for a password: type it, Enter retries */
} ui_screen;

typedef enum {
    UI_ACT_NONE = 0,
    UI_ACT_HOST,    /* start hosting */
    UI_ACT_JOIN,    /* join ui.join_text */
    UI_ACT_CANCEL,  /* abandon the connection attempt */
    UI_ACT_LEAVE,   /* leave the game in progress */
    UI_ACT_QUIT,
    UI_ACT_SETTINGS /* a setting changed: the app applies and saves it */
} ui_action;

/* Find LAN games comes after Join game so that scripted key paths written
 * for the first menu (Down, Enter = Join game) keep their meaning. The
 * name is set in Settings. */
enum { UI_MAIN_HOST = 0, UI_MAIN_JOIN, UI_MAIN_FIND, UI_MAIN_NAME, UI_MAIN_SETTINGS, UI_MAIN_QUIT, UI_MAIN_COUNT };

#define UI_TEXT_MAX 128
#define UI_LAN_MAX 16    /* games the Find LAN games screen lists */
#define UI_RECENT_MAX 5  /* recent hosts on the Join screen */

typedef struct {
    ui_screen screen;
    ui_screen name_return;        /* where Enter/Esc on the Name screen goes */
    int selected;                 /* main menu item */
    char join_text[UI_TEXT_MAX];  /* kept across failed attempts */
    char name_text[UI_TEXT_MAX];
    char name[UI_TEXT_MAX];       /* the committed player name */
    char error[256];              /* red line on the join/name screen */
    char notice[256];             /* banner on the main menu */
    char connecting_to[300];
    uint16_t default_port;
    bool hover_cancel;
    /* Find LAN games: the app fills the list (ui_lan_set); the ui only
     * shows it and picks one. */
    discovery_game lan[UI_LAN_MAX];
    int lan_count;
    int lan_selected;
    char lan_status[160];
    /* Recent hosts, newest first (ui_recent_*); the Join screen offers them. */
    char recent[UI_RECENT_MAX][UI_TEXT_MAX];
    int recent_count;
    int recent_pick; /* -1: the field holds what was typed */
    /* Issue #5. Passwords are typed here and shown masked; the app never
     * saves them. Settings values are the app's to apply and persist. */
    char host_password[UI_TEXT_MAX]; /* Host screen: "" hosts an open game */
    char join_password[UI_TEXT_MAX]; /* Password screen */
    int colour;                      /* -1: the host chooses; else 0..15 */
    bool fullscreen, vsync, show_graph;
    int settings_selected;
} ui_state;

typedef struct {
    int w, h;       /* drawable pixels */
    float scale;    /* drawable pixels per window point (HiDPI) */
    float ui_scale; /* text/layout scale */
    uint64_t now_us;
} ui_frame;

void ui_init(ui_state *ui, const char *name, uint16_t default_port);
void ui_show(ui_state *ui, ui_screen screen);
/* Handles one event on a menu screen; returns what the app should do. */
ui_action ui_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f);
void ui_draw(const ui_state *ui, const ui_frame *f);

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
