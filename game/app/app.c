/*
 * app: the loop and the transitions (app_internal.h has the map). Every
 * mode runs in app_loop; every change of mode goes through app_enter.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "dedicated.h"
#include "log.h"
#include "render.h"

const char *app_mode_name(app_mode m)
{
    static const char *const names[] = {"menu", "joining", "playing", "host-joining", "hosting", "headless", "done"};
    return m <= APP_DONE ? names[m] : "?";
}

static const char *app_screen_name(ui_screen s)
{
    static const char *const names[] = {"Main", "Join",     "Name", "Connecting", "Game",
                                        "LAN",  "Settings", "Host", "Password"};
    return s < UI_SCREEN_COUNT ? names[s] : "?";
}

static bool app_mode_has_game(app_mode m)
{
    return m == APP_JOINING || m == APP_PLAYING || m == APP_HOST_JOINING || m == APP_HOSTING || m == APP_HEADLESS;
}

/* The one place the mode changes. Leaving every game mode ends the game
 * this process had: our player says goodbye (the host's ending tells
 * everyone the game is over) and our server, its bots and discovery
 * stop. Entering a windowed mode shows its screen: `screen` in the menu,
 * Connecting while joining, the arena in a game. */
void app_enter(app *a, app_mode next, ui_screen screen)
{
    if (next == APP_MENU)
        log_debug("app: %s -> menu (%s)", app_mode_name(a->mode), app_screen_name(screen));
    else
        log_debug("app: %s -> %s", app_mode_name(a->mode), app_mode_name(next));
    if (!app_mode_has_game(next)) {
        if (a->cl) {
            client_destroy(a->cl, next == APP_DONE && a->host.srv ? PROTO_BYE_HOST_ENDED : PROTO_BYE_QUIT);
            a->cl = NULL;
        }
        chat_input_init(&a->chat_in);
        app_host_stop(a);
    }
    a->mode = next;
    if (!a->win.window)
        return;
    switch (next) {
    case APP_MENU:
        ui_show(&a->ui, screen);
        break;
    case APP_JOINING:
    case APP_HOST_JOINING:
        ui_show(&a->ui, UI_CONNECTING);
        break;
    case APP_PLAYING:
    case APP_HOSTING:
        chat_log_clear(&a->chat);
        chat_input_init(&a->chat_in);
        ui_show(&a->ui, UI_GAME);
        break;
    case APP_HEADLESS:
    case APP_DONE:
        break;
    }
}

uint64_t app_now_us(const app *a)
{
    return (SDL_GetPerformanceCounter() - a->start_counter) * 1000000 / a->freq;
}

void app_toast(app *a, const char *text, uint64_t now_us)
{
    snprintf(a->win.toast, sizeof a->win.toast, "%s", text);
    a->win.toast_until_us = now_us + 4000000;
}

/* ---- --stats ---- */

static bool app_stats_open(app *a)
{
    if (!a->opt->stats[0])
        return true;
    char err[1200];
    a->stats.file = stats_open(a->opt->stats, err, sizeof err);
    if (!a->stats.file) {
        fprintf(stderr, "lanarena: cannot use the --stats file: %s\n", err);
        return false;
    }
    return true;
}

/* A server line when we host, a client line when we play; frame times
 * only where there is a window. */
static void app_stats_write(app *a, uint64_t now_us, float frame_p50, float frame_p99)
{
    app_stats *st = &a->stats;
    st->next_us = now_us + 1000000;
    double t = (double)now_us / 1e6;
    if (a->host.srv) {
        server_stats ss = server_get_stats(a->host.srv);
        stats_line l = {.t = t, .role = "server", .players = ss.players, .tick = ss.tick,
                        .snapshot_hz = ss.snapshot_hz, .rtt_ms = 0,
                        .bytes_in_per_s = (float)(ss.bytes_in - st->srv_bytes_in),
                        .bytes_out_per_s = (float)(ss.bytes_out - st->srv_bytes_out),
                        .frame_ms_p50 = ss.tick_ms_p50, .frame_ms_p99 = ss.tick_ms_p99,
                        .phase = sim_phase_name(ss.phase), .round = ss.round, .round_left_s = ss.round_left_s};
        st->srv_bytes_in = ss.bytes_in;
        st->srv_bytes_out = ss.bytes_out;
        stats_write(st->file, &l);
    }
    if (a->cl) {
        static const char *links[] = {"ok", "quiet", "rejoining", "migrating"};
        client_link lk = client_get_link(a->cl, now_us);
        const client_view *v = client_get_view(a->cl);
        client_stats cs = client_get_stats(a->cl);
        stats_line l = {.t = t, .role = "client", .players = cs.players,
                        .tick = client_get_view(a->cl)->server_tick, .snapshot_hz = cs.snapshot_hz,
                        .rtt_ms = cs.rtt_ms, .bytes_in_per_s = cs.bytes_in_per_s,
                        .bytes_out_per_s = cs.bytes_out_per_s, .frame_ms_p50 = frame_p50,
                        .frame_ms_p99 = frame_p99, .interp_delay_ms = cs.interp_delay_ms,
                        .jitter_ms = cs.jitter_ms, .pred_corrections_per_s = cs.pred_corrections_per_s,
                        .extrapolating_ms_per_s = cs.extrapolating_ms_per_s,
                        .pred_mismatches = cs.pred_mismatches, .host_addr = lk.host_addr,
                        .my_score = v->my_id >= 0 ? v->players[v->my_id].state.score : 0,
                        .link = links[lk.state], .hosting = lk.hosting, .migrations = lk.migrations};
        stats_write(st->file, &l);
    }
}

/* After a frame's work: its CPU time (window frames, before the swap) and,
 * once a second, the stats lines. */
static void app_stats_frame(app *a, uint64_t start_us, uint64_t end_us)
{
    float p50 = 0, p99 = 0;
    if (a->win.window) {
        float ms = (float)(end_us - start_us) / 1000.0f;
        stats_frames_add(&a->stats.frames, ms);
        a->stats.last_frame_ms = ms;
    }
    if (!a->stats.file || end_us < a->stats.next_us)
        return;
    if (a->win.window)
        stats_frames_take(&a->stats.frames, &p50, &p99);
    app_stats_write(a, end_us, p50, p99);
}

/* ---- the loop ---- */

/* --screenshot: the last frame, before it is swapped away. */
static void app_save_last_frame(app *a)
{
    char err[512];
    if (!a->win.window || !a->opt->screenshot[0])
        return;
    if (render_screenshot(a->opt->screenshot, a->win.w, a->win.h, err, sizeof err)) {
        log_info("screenshot saved to %s", a->opt->screenshot);
    } else {
        fprintf(stderr, "lanarena: %s\n", err);
        a->exit_code = 1;
    }
}

/* Until the next frame is due: a still menu sleeps until an event or a
 * deadline (app_window_idle_ms); other window frames pace to ~60 fps when
 * vsync does not; a headless client looks around 500 times a second. */
static void app_pace(app *a, uint64_t start_us, uint64_t quit_at)
{
    if (a->mode == APP_HEADLESS) {
        SDL_Delay(2);
        return;
    }
    int idle_ms = app_window_idle_ms(a, quit_at, app_now_us(a));
    if (idle_ms >= 0) {
        SDL_WaitEventTimeout(NULL, idle_ms); /* leaves the event queued */
        return;
    }
    uint64_t spent = app_now_us(a) - start_us;
    if ((!a->win.vsync || spent < 2000) && spent < 16000)
        SDL_Delay((Uint32)((16000 - spent) / 1000));
}

/* Every mode, one frame at a time, until a frame asks to quit or
 * --quit-after runs out. A window still draws its last frame (for
 * --screenshot); a windowless frame that must quit stops at once. */
static void app_loop(app *a)
{
    uint64_t quit_at = a->opt->quit_after > 0 ? (uint64_t)(a->opt->quit_after * 1e6) : 0;
    while (a->mode != APP_DONE) {
        uint64_t start = app_now_us(a);
        if (quit_at && start >= quit_at)
            a->quit = true;
        if (a->mode == APP_HEADLESS)
            app_headless_frame(a, start);
        else
            app_window_frame(a, start);
        if (a->quit)
            app_save_last_frame(a);
        if (!a->quit || a->win.window)
            app_stats_frame(a, start, app_now_us(a));
        if (a->win.window)
            app_window_present(a);
        if (a->quit)
            app_enter(a, APP_DONE, UI_MAIN);
        else
            app_pace(a, start, quit_at);
    }
}

/* The first mode: from the command line. False: it could not start
 * (the reason is on stderr, the exit code set). */
static bool app_begin(app *a)
{
    const options *o = a->opt;
    if (o->headless) {
        app_headless_begin(a);
        return true;
    }
    if (!app_window_open(a)) {
        a->exit_code = 1;
        return false;
    }
    if (o->host) {
        /* The command line's game, announced under our player's name. */
        app_host_setup su = app_host_setup_from_options(a, a->ui.name);
        app_host_from_menu(a, UI_MAIN, &su);
    } else if (o->join) {
        snprintf(a->ui.join_text, sizeof a->ui.join_text, "%.100s:%u", o->join_host, o->port);
        if (o->password[0])
            snprintf(app_memory(a, a->ui.join_text, true)->password, PROTO_PASSWORD_MAX + 1, "%s", o->password);
        app_play_join(a, UI_JOIN);
    }
    return true;
}

int app_run(const options *o)
{
    if (o->list_lan)
        return app_list_lan(o);
    /* A dedicated server is lanarena-server's code (dedicated.h): no
     * window, no player, not even SDL_Init. */
    if (o->headless && o->host)
        return dedicated_run(o, "lanarena");
    static app a; /* large (chat log, LAN list, a world): off the stack */
    memset(&a, 0, sizeof a);
    a.opt = o;
    a.mode = APP_MENU;
    settings_defaults(&a.prefs.saved); /* headless runs keep the defaults (host picks colours) */
    Uint32 flags = SDL_INIT_EVENTS | SDL_INIT_TIMER;
    if (!o->headless)
        flags |= SDL_INIT_VIDEO;
    if (SDL_Init(flags) != 0) {
        fprintf(stderr, "lanarena: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    a.freq = SDL_GetPerformanceFrequency();
    a.start_counter = SDL_GetPerformanceCounter();
    if (!app_stats_open(&a)) {
        SDL_Quit();
        return 1;
    }
    if (app_begin(&a))
        app_loop(&a);
    app_window_close(&a);
    if (a.stats.file)
        fclose(a.stats.file);
    SDL_Quit();
    return a.exit_code;
}
