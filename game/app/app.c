#include "app.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot.h"
#include "bots.h"
#include "chat.h"
#include "datadir.h"
#include "client.h"
#include "discovery.h"
#include "draw.h"
#include "gamepad.h"
#include "lan.h"
#include "log.h"
#include "netgraph.h"
#include "reconnect.h"
#include "render.h"
#include "scoreboard.h"
#include "server.h"
#include "settings.h"
#include "stats.h"
#include "ui.h"


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

typedef struct {
    const options *opt;
    uint64_t start_counter, freq;
    server *srv;
    bots *bots;
    client *cl;
    char host_info[256];
    FILE *stats;
    uint64_t next_stats_us;
    uint64_t srv_bytes_in, srv_bytes_out;
    stats_frames frames;
    /* LAN discovery: the host's responder and the menu's search. */
    discovery_responder *responder;
    char responder_name[DISCOVERY_NAME_MAX + 1]; /* a player name, or DISCOVERY_HOST_NAME */
    uint64_t next_responder_us;
    discovery_search *search;
    bool search_failed;
    char search_error[200];
    discovery_game lan[UI_LAN_MAX];
    int lan_count;
    uint64_t search_started_us, next_query_us;
    char toast[600];        /* a short message over everything, e.g. where F12 saved */
    uint64_t toast_until_us;
    bool want_shot;         /* F12 pressed: save this frame */
    netgraph graph;         /* F3 toggles it */
    bool show_graph;
    float last_frame_ms;
    /* Issue #5: settings on disk, chat, gamepads, reconnecting. */
    SDL_Window *win;
    bool vsync;             /* the swap interval is 1 */
    settings prefs;
    char settings_path[1024]; /* "" when SDL has no pref path: nothing is saved */
    char start_name[UI_TEXT_MAX]; /* the name at start (--name is for this run only) */
    chat_log chat;
    chat_input chat_in;
    gamepad_set pads;
    gamepad_nav nav;
    uint8_t pad_dirs;       /* directions held on any pad this frame */
    uint64_t host_token;    /* our own player's token when we host: marks the host */
    app_host_memory hosts[APP_HOSTS]; /* oldest replaced first */
    int host_next;
    bool sent_password;     /* the join in progress presented a password */
} app;

/* The memory for addr; with create, a new (or the oldest) entry. */
static app_host_memory *app_memory(app *a, const char *addr, bool create)
{
    for (int i = 0; i < APP_HOSTS; i++)
        if (a->hosts[i].addr[0] && strcmp(a->hosts[i].addr, addr) == 0)
            return &a->hosts[i];
    if (!create)
        return NULL;
    app_host_memory *m = &a->hosts[a->host_next];
    a->host_next = (a->host_next + 1) % APP_HOSTS;
    memset(m, 0, sizeof *m);
    snprintf(m->addr, sizeof m->addr, "%s", addr);
    return m;
}

static void app_toast(app *a, const char *text, uint64_t now_us)
{
    snprintf(a->toast, sizeof a->toast, "%s", text);
    a->toast_until_us = now_us + 4000000;
}

static void app_save_settings(app *a)
{
    char err[600];
    if (a->settings_path[0] && !settings_save(&a->prefs, a->settings_path, err, sizeof err))
        log_warn("settings not saved: %s", err);
}

static uint64_t app_now_us(const app *a)
{
    return (SDL_GetPerformanceCounter() - a->start_counter) * 1000000 / a->freq;
}

static void app_default_name(char *out, size_t cap)
{
    /* Distinct enough that two windows on one machine don't collide. */
    snprintf(out, cap, "Player %03u", (unsigned)(SDL_GetPerformanceCounter() % 1000));
}

static netclient_config app_client_config(const char *host, uint16_t port, const char *name)
{
    netclient_config c = netclient_default_config();
    snprintf(c.host, sizeof c.host, "%s", host);
    c.port = port;
    snprintf(c.name, sizeof c.name, "%s", name);
    return c;
}

/* The local player's client, with the command line's netcode settings. */
static client *app_new_client(app *a, netclient_config *nc)
{
    const options *o = a->opt;
    nc->fake_lag_ms = o->fake_lag_ms;
    nc->fake_jitter_ms = o->fake_jitter_ms;
    nc->fake_stall_ms = o->fake_stall_ms;
    nc->fake_stall_every_s = o->fake_stall_every_s;
    client_netcode cn = {.predict = !o->no_predict, .interp = !o->no_interp};
    nc->colour = a->prefs.colour >= 0 && a->prefs.colour < PROTO_COLOURS ? (uint8_t)a->prefs.colour : PROTO_COLOUR_ANY;
    a->sent_password = nc->password[0] != '\0';
    return client_create_with(nc, &cn, app_now_us(a));
}

/* Starts the server thread, the local bots, and fills host_info. */
static bool app_host(app *a, uint16_t port, const char *password, char *err, size_t err_cap)
{
    server_config sc = server_default_config();
    sc.port = port;
    snprintf(sc.password, sizeof sc.password, "%s", password);
    sc.host_token = a->host_token; /* 0 for a dedicated server: nobody is the host */
    sc.max_players = a->opt->max_players;
    sc.no_delta = a->opt->no_delta;
    a->srv = server_start(&sc, err, err_cap);
    if (!a->srv)
        return false;
    uint16_t p = server_port(a->srv);
    char addrs[LAN_ADDR_MAX][16];
    int n = lan_local_addresses(addrs, LAN_ADDR_MAX);
    if (n == 0) {
        snprintf(a->host_info, sizeof a->host_info, "Hosting on port %u (no LAN address found)", p);
    } else {
        int off = snprintf(a->host_info, sizeof a->host_info, "Hosting: friends join %s:%u", addrs[0], p);
        for (int i = 1; i < n && off < (int)sizeof a->host_info - 24; i++)
            off += snprintf(a->host_info + off, sizeof a->host_info - (size_t)off, " or %s:%u", addrs[i], p);
    }
    log_info("%s", a->host_info);
    /* Discovery is a convenience: hosting goes on without it (e.g. a
     * second host on this computer holds the UDP port). */
    if (!a->responder_name[0])
        snprintf(a->responder_name, sizeof a->responder_name, "%.*s", DISCOVERY_NAME_MAX,
                 a->opt->name_set ? a->opt->name : DISCOVERY_HOST_NAME);
    discovery_responder_config dc = discovery_default_responder_config();
    dc.game_port = p;
    dc.max_players = a->opt->max_players;
    snprintf(dc.name, sizeof dc.name, "%.*s", DISCOVERY_NAME_MAX, a->responder_name);
    char derr[256];
    a->responder = discovery_responder_start(&dc, derr, sizeof derr);
    if (!a->responder)
        log_warn("LAN discovery is off: %s", derr);
    return true;
}

/* Once a second the responder learns the player count, off the server's
 * own stats, so the server thread never knows discovery exists. */
static void app_responder_tick(app *a, uint64_t now_us)
{
    if (!a->responder || !a->srv || now_us < a->next_responder_us)
        return;
    a->next_responder_us = now_us + 1000000;
    server_stats ss = server_get_stats(a->srv);
    discovery_responder_update(a->responder, a->responder_name, ss.players, a->opt->max_players);
}

/* Bots join after the local player so that the host is usually player 0. */
static void app_start_bots(app *a)
{
    if (a->opt->bots > 0 && a->srv)
        a->bots = bots_start("127.0.0.1", server_port(a->srv), a->opt->bots, (uint32_t)SDL_GetPerformanceCounter());
}

static void app_unhost(app *a)
{
    bots_stop(a->bots);
    a->bots = NULL;
    discovery_responder_stop(a->responder);
    a->responder = NULL;
    a->responder_name[0] = '\0';
    server_stop(a->srv);
    a->srv = NULL;
    a->host_info[0] = '\0';
}

static void app_write_stats(app *a, uint64_t now_us, float frame_p50, float frame_p99)
{
    if (!a->stats || now_us < a->next_stats_us)
        return;
    a->next_stats_us = now_us + 1000000;
    double t = (double)now_us / 1e6;
    if (a->srv) {
        server_stats ss = server_get_stats(a->srv);
        stats_line l = {.t = t, .role = "server", .players = ss.players, .tick = ss.tick,
                        .snapshot_hz = ss.snapshot_hz, .rtt_ms = 0,
                        .bytes_in_per_s = (float)(ss.bytes_in - a->srv_bytes_in),
                        .bytes_out_per_s = (float)(ss.bytes_out - a->srv_bytes_out),
                        .frame_ms_p50 = ss.tick_ms_p50, .frame_ms_p99 = ss.tick_ms_p99};
        a->srv_bytes_in = ss.bytes_in;
        a->srv_bytes_out = ss.bytes_out;
        stats_write(a->stats, &l);
    }
    if (a->cl) {
        client_stats cs = client_get_stats(a->cl);
        stats_line l = {.t = t, .role = "client", .players = cs.players,
                        .tick = client_get_view(a->cl)->server_tick, .snapshot_hz = cs.snapshot_hz,
                        .rtt_ms = cs.rtt_ms, .bytes_in_per_s = cs.bytes_in_per_s,
                        .bytes_out_per_s = cs.bytes_out_per_s, .frame_ms_p50 = frame_p50,
                        .frame_ms_p99 = frame_p99, .interp_delay_ms = cs.interp_delay_ms,
                        .jitter_ms = cs.jitter_ms, .pred_corrections_per_s = cs.pred_corrections_per_s,
                        .extrapolating_ms_per_s = cs.extrapolating_ms_per_s,
                        .pred_mismatches = cs.pred_mismatches};
        stats_write(a->stats, &l);
    }
}

static bool app_open_stats(app *a)
{
    if (!a->opt->stats[0])
        return true;
    a->stats = stats_open(a->opt->stats);
    if (!a->stats) {
        fprintf(stderr, "lanarena: cannot open --stats file '%s'.\n", a->opt->stats);
        return false;
    }
    return true;
}

static bool app_quit_requested(void)
{
    SDL_Event ev;
    bool quit = false;
    while (SDL_PollEvent(&ev))
        if (ev.type == SDL_QUIT)
            quit = true;
    return quit;
}

/* --headless --host: a dedicated server, no local player. */
static int app_run_dedicated(app *a)
{
    char err[256];
    if (!app_host(a, a->opt->port, a->opt->password, err, sizeof err)) {
        fprintf(stderr, "lanarena: %s\n", err);
        return 1;
    }
    printf("%s\n", a->host_info);
    fflush(stdout);
    app_start_bots(a);
    while (!app_quit_requested()) {
        uint64_t now = app_now_us(a);
        if (a->opt->quit_after > 0 && now >= (uint64_t)(a->opt->quit_after * 1e6))
            break;
        app_write_stats(a, now, 0, 0);
        app_responder_tick(a, now);
        SDL_Delay(20);
    }
    app_unhost(a);
    return 0;
}

/* --headless --join: a client without a window, optionally a bot. */
static int app_run_headless_client(app *a)
{
    const options *o = a->opt;
    char name[64];
    if (o->name_set)
        snprintf(name, sizeof name, "%s", o->name);
    else if (o->bot)
        snprintf(name, sizeof name, "Bot %03u", (unsigned)(SDL_GetPerformanceCounter() % 1000));
    else
        app_default_name(name, sizeof name);
    netclient_config nc = app_client_config(o->join_host, o->port, name);
    snprintf(nc.password, sizeof nc.password, "%s", o->password);
    a->cl = app_new_client(a, &nc);
    bot_state ai;
    bot_init(&ai, (uint32_t)SDL_GetPerformanceCounter() | 1u);
    sim_world world;
    int code = 0;
    while (!app_quit_requested()) {
        uint64_t now = app_now_us(a);
        if (o->quit_after > 0 && now >= (uint64_t)(o->quit_after * 1e6))
            break;
        char why[256];
        client_phase ph = client_get_phase(a->cl, why, sizeof why);
        if (ph == CLIENT_FAILED || ph == CLIENT_ENDED) {
            fprintf(stderr, "lanarena: %s\n", why);
            code = client_ended_cleanly(a->cl) ? 0 : 1;
            break;
        }
        uint8_t buttons = 0;
        const client_view *v = client_get_view(a->cl);
        if (o->bot && ph == CLIENT_PLAYING && v->my_id >= 0) {
            client_view_to_world(v, &world);
            buttons = bot_think(&ai, &world, v->my_id);
        }
        client_update(a->cl, now, buttons);
        app_write_stats(a, now, 0, 0);
        SDL_Delay(2);
    }
    client_destroy(a->cl, PROTO_BYE_QUIT);
    a->cl = NULL;
    return code;
}

static uint8_t app_keyboard_buttons(void)
{
    const Uint8 *k = SDL_GetKeyboardState(NULL);
    uint8_t b = 0;
    if (k[SDL_SCANCODE_W] || k[SDL_SCANCODE_UP])
        b |= SIM_BTN_UP;
    if (k[SDL_SCANCODE_S] || k[SDL_SCANCODE_DOWN])
        b |= SIM_BTN_DOWN;
    if (k[SDL_SCANCODE_A] || k[SDL_SCANCODE_LEFT])
        b |= SIM_BTN_LEFT;
    if (k[SDL_SCANCODE_D] || k[SDL_SCANCODE_RIGHT])
        b |= SIM_BTN_RIGHT;
    return b;
}

/* Menu action: host, then join our own server over loopback. */
static void app_start_hosting(app *a, ui_state *ui)
{
    char err[256];
    uint16_t port = a->opt->port;
    snprintf(a->responder_name, sizeof a->responder_name, "%.*s", DISCOVERY_NAME_MAX, ui->name);
    if (!app_host(a, port, ui->host_password, err, sizeof err)) {
        snprintf(ui->notice, sizeof ui->notice, "%s", err);
        ui_show(ui, UI_MAIN);
        return;
    }
    netclient_config nc = app_client_config("127.0.0.1", server_port(a->srv), ui->name);
    nc.reconnect_token = a->host_token;
    snprintf(nc.password, sizeof nc.password, "%.*s", PROTO_PASSWORD_MAX, ui->host_password);
    a->cl = app_new_client(a, &nc);
    if (ui->host_password[0] && a->opt->bots > 0)
        app_toast(a, "Bots cannot join a game with a password; hosting without them.", app_now_us(a));
    else
        app_start_bots(a);
    snprintf(ui->connecting_to, sizeof ui->connecting_to, "your game on port %u", server_port(a->srv));
    ui_show(ui, UI_CONNECTING);
}

static void app_start_joining(app *a, ui_state *ui)
{
    char host[256], err[256];
    uint16_t port;
    if (!options_split_address(ui->join_text, host, sizeof host, &port, a->opt->port, err, sizeof err)) {
        snprintf(ui->error, sizeof ui->error, "%s", err);
        return;
    }
    ui->error[0] = '\0';
    netclient_config nc = app_client_config(host, port, ui->name);
    char addr[UI_TEXT_MAX];
    snprintf(addr, sizeof addr, "%.100s:%u", host, port);
    /* A password typed on the Password screen belongs to this host. */
    app_host_memory *m = app_memory(a, addr, ui->screen == UI_PASSWORD);
    if (ui->screen == UI_PASSWORD)
        snprintf(m->password, sizeof m->password, "%.*s", PROTO_PASSWORD_MAX, ui->join_password);
    if (m) {
        nc.reconnect_token = m->token;
        snprintf(nc.password, sizeof nc.password, "%s", m->password);
    }
    a->cl = app_new_client(a, &nc);
    snprintf(ui->connecting_to, sizeof ui->connecting_to, "%s:%u", host, port);
    ui_show(ui, UI_CONNECTING);
}

static void app_leave(app *a, uint8_t reason)
{
    client_destroy(a->cl, reason);
    a->cl = NULL;
    chat_input_init(&a->chat_in);
    if (a->srv)
        app_unhost(a);
}

/* Find LAN games: searches while that screen is open and asks again every
 * 2 s, so hosts that come and go appear and disappear. Non-blocking UDP on
 * the main thread: the frame never waits for the network. */
static void app_lan_tick(app *a, ui_state *ui, uint64_t now_us)
{
    if (ui->screen != UI_LAN) {
        discovery_search_close(a->search);
        a->search = NULL;
        a->search_failed = false;
        return;
    }
    if (a->search_failed)
        return;
    if (!a->search) {
        a->lan_count = 0;
        a->search_error[0] = '\0';
        a->search = discovery_search_open(a->opt->discovery_addr, DISCOVERY_PORT, a->search_error,
                                          sizeof a->search_error);
        if (!a->search) {
            a->search_failed = true;
            ui_lan_set(ui, a->lan, 0, a->search_error);
            return;
        }
        a->search_started_us = a->next_query_us = now_us;
    }
    if (now_us >= a->next_query_us) {
        a->next_query_us = now_us + 2000000;
        /* Two missed rounds and a host is gone. */
        a->lan_count = discovery_games_expire(a->lan, a->lan_count, now_us, 5000000);
        if (discovery_search_send(a->search, a->search_error, sizeof a->search_error))
            a->search_error[0] = '\0';
    }
    a->lan_count = discovery_search_poll(a->search, a->lan, a->lan_count, UI_LAN_MAX, now_us);
    char status[400];
    if (a->search_error[0])
        snprintf(status, sizeof status, "%s", a->search_error);
    else if (a->lan_count == 0 && now_us - a->search_started_us < 1000000)
        snprintf(status, sizeof status, "Searching the LAN (%s)...", a->opt->discovery_addr);
    else
        snprintf(status, sizeof status, "%d game%s found (asking %s)", a->lan_count, a->lan_count == 1 ? "" : "s",
                 a->opt->discovery_addr);
    ui_lan_set(ui, a->lan, a->lan_count, status);
}

/* --list-lan: one query, answers for 1 s, one line per game. */
static int app_run_list_lan(const options *o)
{
    discovery_game games[64];
    char err[256];
    int n = discovery_list(o->discovery_addr, DISCOVERY_PORT, 1000, games, 64, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "lanarena: %s\n", err);
        return 1;
    }
    if (n == 0) {
        fprintf(stderr, "lanarena: no LAN games answered within 1 s (asked %s, UDP port %d).\n", o->discovery_addr,
                DISCOVERY_PORT);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char line[128];
        discovery_game_format(&games[i], line, sizeof line);
        printf("%s\n", line);
    }
    return 0;
}

/* Moves the ui along when the connection changes state. */
static void app_follow_client(app *a, ui_state *ui)
{
    if (!a->cl)
        return;
    char why[256];
    client_phase ph = client_get_phase(a->cl, why, sizeof why);
    if (ph == CLIENT_PLAYING && ui->screen == UI_CONNECTING) {
        if (!a->srv) {
            ui_recent_add(ui, ui->connecting_to);
            /* Kept for a rejoin: the host gives colour and score back to
             * this name with this token within 60 s. */
            app_memory(a, ui->connecting_to, true)->token = client_get_view(a->cl)->reconnect_token;
            settings_add_recent(&a->prefs, ui->connecting_to);
            app_save_settings(a);
        }
        chat_log_clear(&a->chat);
        chat_input_init(&a->chat_in);
        ui_show(ui, UI_GAME);
    } else if (ph == CLIENT_FAILED || ph == CLIENT_ENDED) {
        bool was_joining = ui->screen == UI_CONNECTING && !a->srv;
        bool needs_password = was_joining && client_reject_reason(a->cl) == PROTO_REJECT_PASSWORD;
        app_leave(a, PROTO_BYE_QUIT);
        if (needs_password) {
            ui_show(ui, UI_PASSWORD);
            snprintf(ui->error, sizeof ui->error, "%s",
                     a->sent_password ? "That password is not right. Try again." : "");
        } else if (was_joining) {
            snprintf(ui->error, sizeof ui->error, "%s", why);
            ui_show(ui, UI_JOIN);
        } else {
            snprintf(ui->notice, sizeof ui->notice, "%s", why);
            ui_show(ui, UI_MAIN);
        }
    }
}

/* F12: a PNG in the pref folder, named by date; the player is told where. */
static void app_save_f12_screenshot(app *a, int w, int h, uint64_t now_us)
{
    char *dir = SDL_GetPrefPath("lanarena", "LAN Arena");
    char path[512], err[256];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof path, "%sscreenshot-%s-%03u.png", dir ? dir : "./", stamp,
             (unsigned)((now_us / 1000) % 1000));
    SDL_free(dir);
    if (render_screenshot(path, w, h, err, sizeof err)) {
        snprintf(a->toast, sizeof a->toast, "Screenshot saved to %s", path);
        log_info("screenshot saved to %s", path);
    } else {
        snprintf(a->toast, sizeof a->toast, "Screenshot failed: %s", err);
        log_warn("%s", a->toast);
    }
    a->toast_until_us = now_us + 4000000;
}

/* True on a menu with no game behind it: nothing on it moves by itself. */
static bool app_still_menu(const app *a, const ui_state *ui)
{
    return !a->cl && !a->srv && ui->screen != UI_CONNECTING && ui->screen != UI_GAME;
}

/* How long the window loop may sleep waiting for an event, or -1 to draw
 * at the frame rate. A still menu changes only on events, so it sleeps
 * until one arrives or a deadline (quit, stats, toast) passes, at most
 * 5 s; the LAN screen wakes 4 times a second to show games as they
 * answer. Connecting and playing draw every frame. */
static int app_idle_wait_ms(const app *a, const ui_state *ui, uint64_t quit_at, uint64_t now)
{
    /* A held stick sends no events; its menu repeat needs frames. */
    if (!app_still_menu(a, ui) || a->want_shot || a->pad_dirs)
        return -1;
    uint64_t wake = now + (ui->screen == UI_LAN ? 250000 : 5000000);
    if (a->toast[0] && a->toast_until_us > now && a->toast_until_us < wake)
        wake = a->toast_until_us;
    if (quit_at && quit_at < wake)
        wake = quit_at;
    if (a->stats && a->next_stats_us < wake)
        wake = a->next_stats_us;
    return wake > now ? (int)((wake - now + 999) / 1000) : 0;
}

/* F3: the net graph. Samples are taken every frame so the plot has no
 * holes when it is switched on. */
static void app_draw_graph(app *a, const ui_frame *uf)
{
    client_netinfo ni = client_take_netinfo(a->cl);
    client_stats cs = client_get_stats(a->cl);
    netgraph_sample smp = {{0}};
    smp.v[NETGRAPH_PING] = ni.rtt_ms;
    smp.v[NETGRAPH_GAP] = ni.snapshot_gap_ms;
    smp.v[NETGRAPH_DELAY] = ni.interp_delay_ms;
    smp.v[NETGRAPH_JITTER] = ni.jitter_ms;
    smp.v[NETGRAPH_CORRECTION] = ni.correction_px;
    smp.v[NETGRAPH_BYTES_IN] = cs.bytes_in_per_s;
    smp.v[NETGRAPH_BYTES_OUT] = cs.bytes_out_per_s;
    smp.v[NETGRAPH_FRAME] = a->last_frame_ms;
    netgraph_add(&a->graph, &smp);
    if (a->show_graph)
        netgraph_draw(&a->graph, 10 * uf->ui_scale, 40 * uf->ui_scale, 380 * uf->ui_scale, uf->ui_scale);
}

/* Settings from the pref folder; a damaged file is reported on the main
 * menu and replaced by defaults. Then the command line wins for this run. */
static void app_load_settings(app *a, ui_state *ui)
{
    const options *o = a->opt;
    char note[1200] = "";
    if (settings_default_path(a->settings_path, sizeof a->settings_path)) {
        settings_load(&a->prefs, a->settings_path, note, sizeof note);
    } else {
        a->settings_path[0] = '\0';
        log_warn("no folder for settings (%s); they will not be kept", SDL_GetError());
    }
    if (note[0]) {
        log_warn("%s", note);
        snprintf(ui->notice, sizeof ui->notice, "Your settings file was damaged, so the defaults are back.");
        app_save_settings(a);
    }
    if (o->name_set) {
        snprintf(ui->name, sizeof ui->name, "%s", o->name);
    } else if (a->prefs.name[0]) {
        snprintf(ui->name, sizeof ui->name, "%s", a->prefs.name);
    } else {
        /* Kept, so the invented name stays the same next time. */
        snprintf(a->prefs.name, sizeof a->prefs.name, "%s", ui->name);
        app_save_settings(a);
    }
    snprintf(a->start_name, sizeof a->start_name, "%s", ui->name);
    ui->colour = a->prefs.colour;
    ui->fullscreen = a->prefs.fullscreen;
    ui->vsync = a->prefs.vsync;
    ui->show_graph = a->show_graph = a->prefs.show_netgraph;
    for (int i = a->prefs.recent_count - 1; i >= 0; i--) /* oldest first */
        ui_recent_add(ui, a->prefs.recent[i]);
    if (a->prefs.last_address[0])
        snprintf(ui->join_text, sizeof ui->join_text, "%s", a->prefs.last_address);
    snprintf(ui->host_password, sizeof ui->host_password, "%s", o->password);
}

/* The display settings as the ui holds them, onto the window; then saved. */
static void app_apply_settings(app *a, ui_state *ui)
{
    settings *p = &a->prefs;
    /* --name is for this run: only a name typed in Settings is kept. */
    if (!a->opt->name_set || strcmp(ui->name, a->start_name) != 0)
        snprintf(p->name, sizeof p->name, "%s", ui->name);
    p->colour = ui->colour;
    if (SDL_SetWindowFullscreen(a->win, ui->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) != 0) {
        log_warn("fullscreen: %s", SDL_GetError());
        ui->fullscreen = (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
    }
    if (p->fullscreen != ui->fullscreen)
        log_info("window: %s", ui->fullscreen ? "fullscreen" : "windowed");
    p->fullscreen = ui->fullscreen;
    p->vsync = ui->vsync;
    a->vsync = SDL_GL_SetSwapInterval(p->vsync ? 1 : 0) == 0 && p->vsync;
    p->show_netgraph = a->show_graph = ui->show_graph;
    app_save_settings(a);
}

/* A menu action: what the ui asks the app to do. False: quit. */
static bool app_ui_action(app *a, ui_state *ui, ui_action act)
{
    switch (act) {
    case UI_ACT_HOST:
        app_start_hosting(a, ui);
        break;
    case UI_ACT_JOIN:
        app_start_joining(a, ui);
        break;
    case UI_ACT_CANCEL:
        app_leave(a, PROTO_BYE_QUIT);
        ui_show(ui, a->opt->host ? UI_MAIN : UI_JOIN);
        break;
    case UI_ACT_LEAVE:
        app_leave(a, PROTO_BYE_QUIT);
        ui_show(ui, UI_MAIN);
        break;
    case UI_ACT_SETTINGS:
        app_apply_settings(a, ui);
        break;
    case UI_ACT_QUIT:
        return false;
    case UI_ACT_NONE:
        break;
    }
    return true;
}

/* In game, the chat line gets keys first: while it is open every key is
 * its own (Esc cancels the line instead of leaving the game). True when
 * the event was chat's. */
static bool app_chat_event(app *a, const SDL_Event *ev)
{
    chat_input_result r = chat_input_event(&a->chat_in, ev);
    if (r == CHAT_IN_OPENED) {
        SDL_StartTextInput();
    } else if (r == CHAT_IN_SEND || r == CHAT_IN_CANCELLED) {
        SDL_StopTextInput();
        if (r == CHAT_IN_SEND && !client_send_chat(a->cl, a->chat_in.text))
            app_toast(a, "That message could not be sent.", app_now_us(a));
    }
    return r != CHAT_IN_IGNORED;
}

static int app_run_window(app *a)
{
    const options *o = a->opt;
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window *win = SDL_CreateWindow("LAN Arena", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->width, o->height,
                                       SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!win) {
        fprintf(stderr, "lanarena: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_SetWindowMinimumSize(win, OPTIONS_MIN_W, OPTIONS_MIN_H);
    SDL_GLContext gl = SDL_GL_CreateContext(win);
    if (!gl) {
        fprintf(stderr, "lanarena: cannot create an OpenGL 3.3 core context: %s\n", SDL_GetError());
        SDL_DestroyWindow(win);
        return 1;
    }
    a->win = win;
    char err[2048], data[DATADIR_PATH_MAX], assets[DATADIR_PATH_MAX + 16], shaders[DATADIR_PATH_MAX + 16],
        font[DATADIR_PATH_MAX + 32];
    bool have_data = datadir_find(o->data_dir, data, sizeof data, err, sizeof err);
    snprintf(assets, sizeof assets, "%sassets", data);
    snprintf(shaders, sizeof shaders, "%sshaders", data);
    snprintf(font, sizeof font, "%s%s", data, DATADIR_FONT);
    render_config rc = {.asset_dir = assets, .shader_dir = shaders, .font_path = font};
    if (!have_data || !render_init(&rc, err, sizeof err)) {
        /* Without data there is no font to draw a sentence with: the
         * system's own message box says why. */
        fprintf(stderr, "lanarena: %s\n", err);
        SDL_ShowSimpleMessageBox(SDL_MESSAGEBOX_ERROR, "LAN Arena cannot start", err, win);
        SDL_GL_DeleteContext(gl);
        SDL_DestroyWindow(win);
        return 1;
    }

    char name[64];
    if (o->name_set)
        snprintf(name, sizeof name, "%s", o->name);
    else
        app_default_name(name, sizeof name);
    ui_state ui;
    ui_init(&ui, name, o->port);
    ui_show(&ui, UI_MAIN);
    app_load_settings(a, &ui);
    a->vsync = SDL_GL_SetSwapInterval(a->prefs.vsync ? 1 : 0) == 0 && a->prefs.vsync;
    if (a->prefs.fullscreen && SDL_SetWindowFullscreen(win, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
        log_warn("fullscreen: %s", SDL_GetError());
    a->host_token = reconnect_new_token();
    /* Hot-plugged pads; a machine without the subsystem still plays. */
    if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) != 0)
        log_warn("no gamepad support: %s", SDL_GetError());
    gamepad_set_init(&a->pads);
    gamepad_nav_init(&a->nav);
    chat_input_init(&a->chat_in);
    if (o->host) {
        app_start_hosting(a, &ui);
    } else if (o->join) {
        snprintf(ui.join_text, sizeof ui.join_text, "%.100s:%u", o->join_host, o->port);
        if (o->password[0])
            snprintf(app_memory(a, ui.join_text, true)->password, PROTO_PASSWORD_MAX + 1, "%s", o->password);
        app_start_joining(a, &ui);
    }

    bool running = true;
    uint64_t quit_at = o->quit_after > 0 ? (uint64_t)(o->quit_after * 1e6) : 0;
    int code = 0;
    float p50 = 0, p99 = 0;
    bool shown_first_frame = false;
    while (running) {
        uint64_t frame_start = app_now_us(a);
        int ww, wh, dw, dh;
        SDL_GetWindowSize(win, &ww, &wh);
        SDL_GL_GetDrawableSize(win, &dw, &dh);
        /* Menus stand still: their clock is stopped, so the background gems
         * rest at one moment of their drift and the caret stays lit. An
         * idle menu then changes only on events and costs nearly nothing
         * (app_idle_wait_ms); a drift redrawn at a low rate would stutter. */
        ui_frame uf = {.w = dw, .h = dh, .scale = ww > 0 ? (float)dw / ww : 1.0f,
                       .now_us = app_still_menu(a, &ui) ? 0 : frame_start};
        uf.ui_scale = (float)dh / 720.0f;
        if (uf.ui_scale < 0.75f)
            uf.ui_scale = 0.75f;

        SDL_Event ev;
        while (SDL_PollEvent(&ev)) {
            if (ev.type == SDL_QUIT) {
                running = false;
                break;
            }
            char note[200];
            if (gamepad_set_event(&a->pads, &ev, note, sizeof note)) {
                if (note[0])
                    app_toast(a, note, frame_start);
                continue;
            }
            if (ev.type == SDL_CONTROLLERBUTTONDOWN) {
                /* In menus A confirms and B backs, as Return and Esc; in
                 * game the buttons do nothing (B must not leave a game). */
                SDL_Keycode k = ui.screen == UI_GAME ? SDLK_UNKNOWN : gamepad_button_key(ev.cbutton.button);
                if (k == SDLK_UNKNOWN)
                    continue;
                ev = gamepad_key_event(k, ev.cbutton.timestamp);
            }
            if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_F3 && !ev.key.repeat) {
                ui.show_graph = !a->show_graph;
                app_apply_settings(a, &ui);
                continue;
            }
            if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_F11 && !ev.key.repeat) {
                ui.fullscreen = !ui.fullscreen;
                app_apply_settings(a, &ui);
                continue;
            }
            if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_F12 && !ev.key.repeat) {
                a->want_shot = true;
                continue;
            }
            if (ui.screen == UI_GAME && a->cl && app_chat_event(a, &ev))
                continue;
            if (!app_ui_action(a, &ui, ui_event(&ui, &ev, &uf)))
                running = false;
        }
        if (quit_at && frame_start >= quit_at)
            running = false;

        /* Pads: the stick and D-pad move in game and step through menus. */
        a->pad_dirs = gamepad_set_directions(&a->pads);
        uint8_t nav = ui.screen == UI_GAME ? 0 : gamepad_nav_step(&a->nav, a->pad_dirs, frame_start / 1000);
        if (ui.screen == UI_GAME)
            gamepad_nav_init(&a->nav);
        if (nav && running) {
            SDL_Event kev = gamepad_key_event(gamepad_direction_key(nav), SDL_GetTicks());
            running = app_ui_action(a, &ui, ui_event(&ui, &kev, &uf));
        }

        if (a->cl) {
            bool focused = (SDL_GetWindowFlags(win) & SDL_WINDOW_INPUT_FOCUS) != 0;
            bool steer = ui.screen == UI_GAME && focused && !a->chat_in.open;
            client_update(a->cl, frame_start, steer ? app_keyboard_buttons() | a->pad_dirs : 0);
            client_chat ch;
            while (client_next_chat(a->cl, &ch)) {
                chat_log_add(&a->chat, ch.from < 0 ? NULL : ch.name, draw_player_colour(ch.colour), ch.text,
                             frame_start);
                log_info("chat: %s: %s", ch.from < 0 ? "(host)" : ch.name, ch.text); /* like a console */
            }
            app_follow_client(a, &ui);
        }
        app_responder_tick(a, frame_start);
        app_lan_tick(a, &ui, frame_start);

        /* Sharp text at any size: glyphs drawn again when the scale moves. */
        render_set_text_scale(uf.ui_scale);
        render_begin(dw, dh, 0x1B2430FF);
        if (ui.screen == UI_GAME && a->cl) {
            draw_frame df = {.w = dw, .h = dh, .ui_scale = uf.ui_scale,
                             .host_info = a->srv ? a->host_info : NULL, .now_us = frame_start};
            draw_world(&df, client_get_view(a->cl));
            app_draw_graph(a, &uf);
            chat_draw(&a->chat, &a->chat_in, dw, dh, uf.ui_scale, frame_start);
            if (!a->chat_in.open && SDL_GetKeyboardState(NULL)[SDL_SCANCODE_TAB])
                scoreboard_draw(client_get_view(a->cl), dw, dh, uf.ui_scale);
        } else {
            ui_draw(&ui, &uf);
        }
        if (a->want_shot) {
            /* Capture before the toast is drawn, so a screenshot never
             * shows the message about the previous one. */
            render_end();
            a->want_shot = false;
            app_save_f12_screenshot(a, dw, dh, frame_start);
        }
        if (a->toast[0] && frame_start < a->toast_until_us) {
            float tw = render_text_width(RENDER_FONT_SMALL, a->toast);
            float ty = (float)dh - 60 * uf.ui_scale;
            render_rect(dw * 0.5f - tw / 2 - 10, ty - 6, tw + 20, render_font_height(RENDER_FONT_SMALL) + 12, 0x000000C0);
            render_text(RENDER_FONT_SMALL, a->toast, dw * 0.5f, ty, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
        }
        render_end();

        if (!running && o->screenshot[0]) {
            if (render_screenshot(o->screenshot, dw, dh, err, sizeof err)) {
                log_info("screenshot saved to %s", o->screenshot);
            } else {
                fprintf(stderr, "lanarena: %s\n", err);
                code = 1;
            }
        }
        uint64_t work_end = app_now_us(a);
        stats_frames_add(&a->frames, (float)(work_end - frame_start) / 1000.0f);
        a->last_frame_ms = (float)(work_end - frame_start) / 1000.0f;
        if (a->stats && work_end >= a->next_stats_us) {
            stats_frames_take(&a->frames, &p50, &p99);
            app_write_stats(a, work_end, p50, p99);
        }
        SDL_GL_SwapWindow(win);
        if (!shown_first_frame) { /* start-up ends here (tests/bench_perf.c) */
            log_info("app: first frame drawn");
            shown_first_frame = true;
        }
        int idle_ms = running ? app_idle_wait_ms(a, &ui, quit_at, app_now_us(a)) : -1;
        if (idle_ms >= 0) {
            SDL_WaitEventTimeout(NULL, idle_ms); /* leaves the event queued */
            continue;
        }
        /* Without working vsync (e.g. offscreen), pace to ~60 fps instead of spinning. */
        uint64_t spent = app_now_us(a) - frame_start;
        if ((!a->vsync || spent < 2000) && spent < 16000)
            SDL_Delay((Uint32)((16000 - spent) / 1000));
    }

    if (a->cl)
        app_leave(a, a->srv ? PROTO_BYE_HOST_ENDED : PROTO_BYE_QUIT);
    discovery_search_close(a->search);
    a->search = NULL;
    gamepad_set_close(&a->pads);
    render_shutdown();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(win);
    return code;
}

int app_run(const options *o)
{
    if (o->list_lan)
        return app_run_list_lan(o);
    static app a; /* large (chat log, LAN list): off the stack */
    memset(&a, 0, sizeof a);
    a.opt = o;
    settings_defaults(&a.prefs); /* headless runs keep the defaults (host picks colours) */
    Uint32 flags = SDL_INIT_EVENTS | SDL_INIT_TIMER;
    if (!o->headless)
        flags |= SDL_INIT_VIDEO;
    if (SDL_Init(flags) != 0) {
        fprintf(stderr, "lanarena: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    a.freq = SDL_GetPerformanceFrequency();
    a.start_counter = SDL_GetPerformanceCounter();
    if (!app_open_stats(&a)) {
        SDL_Quit();
        return 1;
    }
    int code;
    if (o->headless && o->host)
        code = app_run_dedicated(&a);
    else if (o->headless)
        code = app_run_headless_client(&a);
    else
        code = app_run_window(&a);
    if (a.stats)
        fclose(a.stats);
    SDL_Quit();
    return code;
}
