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

typedef enum { UI_MAIN = 0, UI_JOIN, UI_NAME, UI_CONNECTING, UI_GAME } ui_screen;

typedef enum {
    UI_ACT_NONE = 0,
    UI_ACT_HOST,    /* start hosting */
    UI_ACT_JOIN,    /* join ui.join_text */
    UI_ACT_CANCEL,  /* abandon the connection attempt */
    UI_ACT_LEAVE,   /* leave the game in progress */
    UI_ACT_QUIT
} ui_action;

enum { UI_MAIN_HOST = 0, UI_MAIN_JOIN, UI_MAIN_NAME, UI_MAIN_QUIT, UI_MAIN_COUNT };

#define UI_TEXT_MAX 128

typedef struct {
    ui_screen screen;
    int selected;                 /* main menu item */
    char join_text[UI_TEXT_MAX];  /* kept across failed attempts */
    char name_text[UI_TEXT_MAX];
    char name[UI_TEXT_MAX];       /* the committed player name */
    char error[256];              /* red line on the join/name screen */
    char notice[256];             /* banner on the main menu */
    char connecting_to[300];
    uint16_t default_port;
    bool hover_cancel;
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

#endif
