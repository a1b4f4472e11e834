/*
 * ui_state: what the menu screens share: the screens, the actions they
 * ask of the app, their state and the frame they are drawn in. Types
 * only; ui.h has the functions, and each screen's module (ui.c,
 * ui_settings.c, ui_host.c) builds on this header alone, so no screen includes
 * another.
 *
 * Main thread only.
 */
#ifndef LANARENA_UI_STATE_H
#define LANARENA_UI_STATE_H

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
    UI_HOST,     /* before hosting: the game's name, port, limits, password (ui_host.c) */
    UI_PASSWORD, /* the host asked for a password: type it, Enter retries */
    UI_SCREEN_COUNT
} ui_screen;

typedef enum {
    UI_ACT_NONE = 0,
    UI_ACT_HOST,    /* start hosting */
    UI_ACT_JOIN,    /* join ui.join_text */
    UI_ACT_CANCEL,  /* abandon the connection attempt */
    UI_ACT_LEAVE,   /* leave the game in progress */
    UI_ACT_QUIT,
    UI_ACT_SETTINGS, /* a setting changed: the app applies and saves it */
    UI_ACT_RECONNECT, /* join ui.reconnect_to again (the main menu's offer) */
    UI_ACT_PRACTICE  /* a private game against bots, started at once */
} ui_action;

/* Find LAN games and Practice come after Join game so that scripted key
 * paths written for the first menu (Home = Host game, Down, Enter = Join
 * game; End = Quit) keep their meaning. The name is set in Settings. */
enum {
    UI_MAIN_HOST = 0,
    UI_MAIN_JOIN,
    UI_MAIN_FIND,
    UI_MAIN_PRACTICE,
    UI_MAIN_NAME,
    UI_MAIN_SETTINGS,
    UI_MAIN_QUIT,
    UI_MAIN_COUNT
};

#define UI_TEXT_MAX 128
#define UI_LAN_MAX 16    /* games the Find LAN games screen lists */
#define UI_RECENT_MAX 5  /* recent hosts on the Join screen */

/* The Host screen's form as typed (ui_host.h checks it and says which
 * field is wrong). Numbers are kept as the digits typed, so a half-typed
 * port is shown as it is; the password is ui_state.host_password. */
typedef struct {
    char game_name[UI_TEXT_MAX];
    char port[8], max_players[8], bots[8], score_limit[8];
    int round_seconds;   /* 0: no time limit */
    bool show_password;  /* F2: the password in clear */
    int selected;        /* the field with the focus (UI_HOST_*) */
    int error_field;     /* the field error is about; -1: none */
    char error[160];
} ui_host_form;

typedef struct {
    ui_screen screen;
    ui_screen back[UI_SCREEN_COUNT]; /* where Esc (Back) on each screen goes:
                                      * the screen it was opened from */
    int selected;                 /* main menu item */
    char join_text[UI_TEXT_MAX];  /* kept across failed attempts */
    char name_text[UI_TEXT_MAX];
    char name[UI_TEXT_MAX];       /* the committed player name */
    char error[256];              /* red line on the join/name screen */
    char notice[256];             /* banner on the main menu */
    char reconnect_to[UI_TEXT_MAX]; /* "HOST:PORT" a lost game was on: the
                                     * main menu offers Reconnect (R) */
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
    /* Passwords are typed here and shown masked; the app never saves
     * them. Settings values are the app's to apply and persist. */
    char host_password[UI_TEXT_MAX]; /* Host screen: "" hosts an open game */
    ui_host_form host;               /* the rest of the Host screen */
    char join_password[UI_TEXT_MAX]; /* Password screen */
    int colour;                      /* -1: the host chooses; else 0..15 */
    bool fullscreen, vsync, show_graph;
    int snapshot_hz;                 /* Network: 0 Auto, 60 LAN, 30 Wi-Fi */
    int volume; /* 0..100 */
    bool mute;
    int settings_selected;
    /* In game, Esc opens a small menu over the arena (the game goes on
     * behind it): Resume, Settings, Leave game. */
    bool game_menu;
    int game_menu_selected;
} ui_state;

typedef struct {
    int w, h;       /* drawable pixels */
    float scale;    /* drawable pixels per window point (HiDPI) */
    float ui_scale; /* text/layout scale */
    uint64_t now_us;
} ui_frame;

#endif
