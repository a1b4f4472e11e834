/*
 * app_menu: what the menus ask of the app (ui_action), the settings they
 * edit (loaded at start, applied to the window and saved at each change),
 * and the search behind the Find LAN games screen.
 */
#include <string.h>

#include "app_internal.h"
#include "log.h"
#include "ui_host.h"

_Static_assert(UI_HOST_DEFAULT_PLAYERS == SERVER_DEFAULT_MAX_PLAYERS, "the Host screen starts where --max-players does");

static void app_menu_save(app *a)
{
    char err[600];
    if (a->prefs.path[0] && !settings_save(&a->prefs.saved, a->prefs.path, err, sizeof err))
        log_warn("settings not saved: %s", err);
}

/* Host from the Host screen: its values, checked, are kept for next time
 * (not the password; a game name that is the default for the player's
 * name is kept as "" so it follows a new name) and hosted. */
static void app_menu_host(app *a)
{
    ui_host_values v;
    if (!ui_host_check(&a->ui, &v))
        return;
    settings *p = &a->prefs.saved;
    char fallback[UI_TEXT_MAX];
    ui_host_default_name(a->ui.name, fallback, sizeof fallback);
    snprintf(p->host_name, sizeof p->host_name, "%s", strcmp(v.game_name, fallback) == 0 ? "" : v.game_name);
    p->host_port = v.port;
    p->host_max_players = v.max_players;
    p->host_bots = v.bots;
    p->host_round_seconds = v.round_seconds;
    p->host_score_limit = v.score_limit;
    app_menu_save(a);
    app_host_setup su = {.port = v.port, .max_players = v.max_players, .bots = v.bots,
                         .round_seconds = v.round_seconds, .score_limit = v.score_limit, .announce = true};
    snprintf(su.game_name, sizeof su.game_name, "%s", v.game_name);
    snprintf(su.password, sizeof su.password, "%s", v.password);
    app_host_from_menu(a, UI_HOST, &su);
}

/* The Host screen's form: the last game hosted from it, where the
 * command line's hosting flags, when given, win for this run. */
static void app_menu_load_host_form(app *a)
{
    const options *o = a->opt;
    const settings *p = &a->prefs.saved;
    ui_host_values v = {.port = (uint16_t)p->host_port, .max_players = p->host_max_players, .bots = p->host_bots,
                        .round_seconds = p->host_round_seconds, .score_limit = p->host_score_limit};
    snprintf(v.game_name, sizeof v.game_name, "%.*s", PROTO_NAME_MAX, p->host_name); /* "": the default, when the screen opens */
    if (o->port_set)
        v.port = o->port;
    if (o->max_players_set)
        v.max_players = o->max_players;
    if (o->bots_set)
        v.bots = o->bots;
    if (o->round_seconds_set)
        v.round_seconds = o->round_seconds;
    if (o->score_limit_set)
        v.score_limit = o->score_limit;
    snprintf(v.password, sizeof v.password, "%s", o->password);
    ui_host_fill(&a->ui, &v);
}

/* A menu action. Host and Join start from the screen they were chosen on,
 * which is where Cancel returns; Leave returns to the main menu. */
void app_menu_action(app *a, ui_action act)
{
    switch (act) {
    case UI_ACT_HOST:
        if (a->mode == APP_MENU)
            app_menu_host(a);
        break;
    case UI_ACT_PRACTICE:
        if (a->mode == APP_MENU)
            app_host_practice(a);
        break;
    case UI_ACT_JOIN:
    case UI_ACT_RECONNECT:
        if (a->mode == APP_MENU)
            app_play_join(a, a->ui.screen);
        break;
    case UI_ACT_CANCEL:
        app_enter(a, APP_MENU, a->cancel_to);
        break;
    case UI_ACT_LEAVE:
        app_enter(a, APP_MENU, UI_MAIN);
        break;
    case UI_ACT_SETTINGS:
        app_menu_apply_settings(a);
        /* A new name after the host refused the old one: the Name screen
         * went back to Join, whose address is still there. */
        if (a->rejoin_after_name && a->mode == APP_MENU && a->ui.screen == UI_JOIN)
            app_play_join(a, UI_JOIN);
        break;
    case UI_ACT_QUIT:
        a->quit = true;
        break;
    case UI_ACT_NONE:
        break;
    }
}

/* Settings from the pref folder; a damaged file is reported on the main
 * menu and replaced by defaults. Then the command line wins for this run. */
void app_menu_load_settings(app *a)
{
    const options *o = a->opt;
    ui_state *ui = &a->ui;
    settings *p = &a->prefs.saved;
    char note[1200] = "";
    if (settings_default_path(a->prefs.path, sizeof a->prefs.path)) {
        if (!settings_load(p, a->prefs.path, note, sizeof note)) {
            log_warn("%s", note);
            a->prefs.path[0] = '\0'; /* not a file we may replace */
            note[0] = '\0';
        }
    } else {
        a->prefs.path[0] = '\0';
        log_warn("no folder for settings (%s); they will not be kept", SDL_GetError());
    }
    if (note[0]) {
        log_warn("%s", note);
        snprintf(ui->notice, sizeof ui->notice, "Your settings file was damaged, so the defaults are back.");
        app_menu_save(a);
    }
    if (o->name_set) {
        snprintf(ui->name, sizeof ui->name, "%s", o->name);
    } else if (p->name[0]) {
        snprintf(ui->name, sizeof ui->name, "%s", p->name);
    } else {
        /* Kept, so the invented name stays the same next time. */
        snprintf(p->name, sizeof p->name, "%s", ui->name);
        app_menu_save(a);
    }
    snprintf(a->prefs.start_name, sizeof a->prefs.start_name, "%s", ui->name);
    ui->colour = p->colour;
    ui->fullscreen = p->fullscreen;
    ui->vsync = p->vsync;
    ui->show_graph = a->win.show_graph = p->show_netgraph;
    ui->snapshot_hz = p->snapshot_hz;
    ui->volume = p->volume;
    ui->mute = p->mute;
    for (int i = p->recent_count - 1; i >= 0; i--) /* oldest first */
        ui_recent_add(ui, p->recent[i]);
    if (p->last_address[0])
        snprintf(ui->join_text, sizeof ui->join_text, "%s", p->last_address);
    app_menu_load_host_form(a);
}

/* The display settings as the ui holds them, onto the window; then saved. */
void app_menu_apply_settings(app *a)
{
    ui_state *ui = &a->ui;
    settings *p = &a->prefs.saved;
    /* --name is for this run: only a name typed in Settings is kept. */
    if (!a->opt->name_set || strcmp(ui->name, a->prefs.start_name) != 0)
        snprintf(p->name, sizeof p->name, "%s", ui->name);
    p->colour = ui->colour;
    if (SDL_SetWindowFullscreen(a->win.window, ui->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) != 0) {
        log_warn("fullscreen: %s", SDL_GetError());
        ui->fullscreen = (SDL_GetWindowFlags(a->win.window) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
    }
    if (p->fullscreen != ui->fullscreen)
        log_info("window: %s", ui->fullscreen ? "fullscreen" : "windowed");
    p->fullscreen = ui->fullscreen;
    p->vsync = ui->vsync;
    a->win.vsync = SDL_GL_SetSwapInterval(p->vsync ? 1 : 0) == 0 && p->vsync;
    p->show_netgraph = a->win.show_graph = ui->show_graph;
    p->snapshot_hz = ui->snapshot_hz; /* from the next game joined or hosted */
    p->volume = ui->volume;
    p->mute = ui->mute;
    sound_set_volume(a->win.sound, p->mute ? 0 : p->volume);
    app_menu_save(a);
}

/* A join that worked: the address joins the recent hosts, on screen and
 * on disk. */
void app_menu_remember_host(app *a, const char *addr)
{
    ui_recent_add(&a->ui, addr);
    settings_add_recent(&a->prefs.saved, addr);
    app_menu_save(a);
}

static void app_menu_lan_status(app *a, uint64_t now_us)
{
    app_lan *l = &a->lan;
    char status[400];
    if (l->error[0])
        snprintf(status, sizeof status, "%s", l->error);
    else if (l->count == 0 && now_us - l->started_us < 1000000)
        snprintf(status, sizeof status, "Searching the LAN (%s)...", a->opt->discovery_addr);
    else
        snprintf(status, sizeof status, "%d game%s found (asking %s)", l->count, l->count == 1 ? "" : "s",
                 a->opt->discovery_addr);
    ui_lan_set(&a->ui, l->games, l->count, status);
}

/* Find LAN games: searches while that screen is open and asks again every
 * 2 s, so hosts that come and go appear and disappear. Non-blocking UDP on
 * the main thread: the frame never waits for the network. */
void app_menu_lan_tick(app *a, uint64_t now_us)
{
    app_lan *l = &a->lan;
    if (a->mode != APP_MENU || a->ui.screen != UI_LAN) {
        discovery_search_close(l->search);
        l->search = NULL;
        l->failed = false;
        return;
    }
    if (l->failed)
        return;
    if (!l->search) {
        l->count = 0;
        l->error[0] = '\0';
        l->search = discovery_search_open(a->opt->discovery_addr, DISCOVERY_PORT, l->error, sizeof l->error);
        if (!l->search) {
            l->failed = true;
            ui_lan_set(&a->ui, l->games, 0, l->error);
            return;
        }
        l->started_us = l->next_query_us = now_us;
    }
    if (now_us >= l->next_query_us) {
        l->next_query_us = now_us + 2000000;
        /* Two missed rounds and a host is gone. */
        l->count = discovery_games_expire(l->games, l->count, now_us, 5000000);
        if (discovery_search_send(l->search, l->error, sizeof l->error))
            l->error[0] = '\0';
    }
    l->count = discovery_search_poll(l->search, l->games, l->count, UI_LAN_MAX, now_us);
    app_menu_lan_status(a, now_us);
}
