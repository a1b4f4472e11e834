/*
 * app_internal: the app's state, shared by the files that make up the app
 * (one per mode) and by nothing else.
 *
 * The app is a state machine. Its mode is stored (app->mode) and changes
 * only in app_enter (app.c), which ends what the old mode owned, starts
 * the new one and logs the change at debug level:
 *
 *   MENU --Host--> HOST_JOINING --welcomed--> HOSTING --Esc, lost--> MENU
 *   MENU --Join--> JOINING      --welcomed--> PLAYING --Esc, lost--> MENU
 *   JOINING, HOST_JOINING --Cancel--> MENU at the screen the attempt was
 *                                     started from (cancel_to)
 *   JOINING --refused--> MENU at Password (a password is needed) or Join
 *   HEADLESS: the windowless client, from the command line
 *   any --quit--> DONE
 *
 * One loop (app_loop) runs every mode: each frame it does the mode's work
 * (app_window_frame, app_headless_frame), then what
 * every frame does: --quit-after, --stats, --screenshot and pacing.
 *
 * Files: app.c (loop, transitions, stats), app_window.c (the window, its
 * events and drawing), app_menu.c (menu actions, settings, Find LAN
 * games), app_play.c (joining, the local player's client, in game),
 * app_host.c (the server, its bots and discovery), app_headless.c (the
 * windowless client and --list-lan). A dedicated server (--host
 * --headless) is no mode of the app: app_run hands it to dedicated_run
 * (game/launch/dedicated.h), the code lanarena-server runs.
 *
 * Threading contract: main thread only, like the whole app.
 */
#ifndef LANARENA_APP_INTERNAL_H
#define LANARENA_APP_INTERNAL_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bot.h"
#include "bots.h"
#include "chat.h"
#include "client.h"
#include "discovery.h"
#include "fx.h"
#include "gamepad.h"
#include "netgraph.h"
#include "options.h"
#include "server.h"
#include "settings.h"
#include "sound.h"
#include "stats.h"
#include "ui.h"
#include "ui_kick.h"

typedef enum {
    APP_MENU = 0,     /* the menu screens; no game */
    APP_JOINING,      /* our player is joining someone's game */
    APP_PLAYING,      /* our player is in someone else's game */
    APP_HOST_JOINING, /* our server runs; our player is joining it */
    APP_HOSTING,      /* our server runs and our player is in its game */
    APP_HEADLESS,     /* --join --headless: a player (maybe a bot), no window */
    APP_DONE          /* the loop ends */
} app_mode;

/* What this process remembers per host address ("HOST:PORT"), in memory
 * only: the reconnect token from its WELCOME (presented when rejoining,
 * so a dropped player gets colour and score back) and a password typed
 * for it (sent to that host alone). */
#define APP_HOSTS 8
typedef struct {
    char addr[UI_TEXT_MAX];
    uint64_t token;
    char password[PROTO_PASSWORD_MAX + 1];
} app_host_memory;

/* The game we host: from the command line (--host), the Host screen's
 * form, or Practice vs bots. */
typedef struct {
    char game_name[DISCOVERY_NAME_MAX + 1]; /* LAN searches list it (a valid name) */
    uint16_t port;      /* 0: any free port */
    int max_players;
    int bots;
    int round_seconds;  /* 0: no time limit */
    int score_limit;    /* 0: none */
    char password[PROTO_PASSWORD_MAX + 1];
    bool announce;      /* answer LAN searches; off for practice */
    bool start_now;     /* start the first round without waiting (practice) */
} app_host_setup;

/* Our server, its bots and its LAN discovery responder. */
typedef struct {
    server *srv;
    bots *bots;
    char info[256]; /* "Hosting: friends join ..." */
    discovery_responder *responder;
    app_host_setup setup; /* what app_host_start starts */
    uint64_t next_responder_us;
    uint64_t token; /* our own player's token: marks the host */
    /* A game taken over from a host that left: the world our server
     * starts from, while app_host_start starts it. */
    const migrate_seed *takeover;
} app_hosting;

/* The Find LAN games screen's search. */
typedef struct {
    discovery_search *search;
    bool failed;
    char error[200];
    discovery_game games[UI_LAN_MAX];
    int count;
    uint64_t started_us, next_query_us;
} app_lan;

/* --stats: one line a second per role. */
typedef struct {
    FILE *file;
    uint64_t next_us;
    uint64_t srv_bytes_in, srv_bytes_out;
    stats_frames frames;
    float last_frame_ms;
} app_stats;

/* The window and what is drawn over the game. */
typedef struct {
    SDL_Window *window;
    SDL_GLContext gl;
    bool vsync;             /* the swap interval is 1 */
    bool shown_first_frame;
    char toast[600];        /* a short message over everything, e.g. where F12 saved */
    uint64_t toast_until_us;
    bool want_shot;         /* F12 pressed: save this frame */
    netgraph graph;         /* F3 toggles it */
    bool show_graph;
    gamepad_set pads;
    gamepad_nav nav;
    uint8_t pad_dirs;       /* directions held on any pad this frame */
    bool pad_dash;          /* a pad's dash button is held */
    int w, h;               /* drawable pixels of the frame being made */
    sound *sound;           /* NULL without audio; never opened without a window */
    fx_state fx;            /* effects and the event feed over the game */
    ui_kick kick;           /* the host's pick on the scoreboard */
} app_window;

/* Preferences on disk. */
typedef struct {
    settings saved;
    char path[1024];              /* "" when SDL has no pref path: nothing is saved */
    char start_name[UI_TEXT_MAX]; /* the name at start (--name is for this run only) */
} app_prefs;

typedef struct {
    const options *opt;
    app_mode mode;
    ui_screen cancel_to; /* JOINING, HOST_JOINING: where Cancel returns */
    bool quit;           /* leave after this frame */
    int exit_code;
    uint64_t start_counter, freq;
    client *cl;          /* our player, in every mode with a game */
    bool sent_password;  /* the join in progress presented a password */
    bool rejoin_after_name; /* the host refused the name: a new one joins again */
    app_host_memory hosts[APP_HOSTS]; /* oldest replaced first */
    int host_next;
    app_hosting host;
    app_lan lan;
    app_stats stats;
    app_window win;
    app_prefs prefs;
    ui_state ui;
    chat_log chat;
    chat_input chat_in;
    bot_state ai;        /* --bot: the headless client's driver */
    sim_world bot_view;
} app;

/* app.c */
void app_enter(app *a, app_mode next, ui_screen screen);
uint64_t app_now_us(const app *a);
void app_toast(app *a, const char *text, uint64_t now_us);
const char *app_mode_name(app_mode m);

/* app_window.c */
bool app_window_open(app *a);
void app_window_frame(app *a, uint64_t now_us);
void app_window_present(app *a);
int app_window_idle_ms(const app *a, uint64_t quit_at, uint64_t now_us);
void app_window_close(app *a);

/* app_menu.c */
void app_menu_action(app *a, ui_action act);
void app_menu_load_settings(app *a);
void app_menu_apply_settings(app *a);
void app_menu_lan_tick(app *a, uint64_t now_us);
void app_menu_remember_host(app *a, const char *addr);

/* app_play.c */
void app_default_name(char *out, size_t cap);
netclient_config app_client_config(const char *host, uint16_t port, const char *name);
client *app_new_client(app *a, netclient_config *nc);
app_host_memory *app_memory(app *a, const char *addr, bool create);
void app_play_join(app *a, ui_screen from);
void app_play_follow(app *a);
void app_play_update(app *a, uint64_t now_us);
bool app_play_chat_event(app *a, const SDL_Event *ev);
bool app_play_kick_event(app *a, const SDL_Event *ev, const ui_frame *uf);
void app_play_draw(app *a, const ui_frame *uf, uint64_t now_us);

/* app_host.c */
app_host_setup app_host_setup_from_options(const app *a, const char *game_name);
bool app_host_start(app *a, char *err, size_t err_cap);
void app_host_bots(app *a);
void app_host_tick(app *a, uint64_t now_us);
void app_host_stop(app *a);
void app_host_take_over(app *a);
void app_host_from_menu(app *a, ui_screen from, const app_host_setup *setup);
void app_host_practice(app *a);

/* app_headless.c */
void app_headless_begin(app *a);
void app_headless_frame(app *a, uint64_t now_us);
int app_list_lan(const options *o);

#endif
