#include "app.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "bots.h"
#include "client.h"
#include "draw.h"
#include "lan.h"
#include "log.h"
#include "render.h"
#include "server.h"
#include "stats.h"
#include "ui.h"

#define APP_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

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
} app;

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

/* Starts the server thread, the local bots, and fills host_info. */
static bool app_host(app *a, uint16_t port, char *err, size_t err_cap)
{
    server_config sc = server_default_config();
    sc.port = port;
    sc.max_players = a->opt->max_players;
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
    return true;
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
                        .frame_ms_p99 = frame_p99};
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
    if (!app_host(a, a->opt->port, err, sizeof err)) {
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
    a->cl = client_create(&nc, app_now_us(a));
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
            code = ph == CLIENT_FAILED ? 1 : 0;
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
    if (!app_host(a, port, err, sizeof err)) {
        snprintf(ui->notice, sizeof ui->notice, "%s", err);
        ui_show(ui, UI_MAIN);
        return;
    }
    netclient_config nc = app_client_config("127.0.0.1", server_port(a->srv), ui->name);
    a->cl = client_create(&nc, app_now_us(a));
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
    a->cl = client_create(&nc, app_now_us(a));
    snprintf(ui->connecting_to, sizeof ui->connecting_to, "%s:%u", host, port);
    ui_show(ui, UI_CONNECTING);
}

static void app_leave(app *a, uint8_t reason)
{
    client_destroy(a->cl, reason);
    a->cl = NULL;
    if (a->srv)
        app_unhost(a);
}

/* Moves the ui along when the connection changes state. */
static void app_follow_client(app *a, ui_state *ui)
{
    if (!a->cl)
        return;
    char why[256];
    client_phase ph = client_get_phase(a->cl, why, sizeof why);
    if (ph == CLIENT_PLAYING && ui->screen == UI_CONNECTING) {
        ui_show(ui, UI_GAME);
    } else if (ph == CLIENT_FAILED || ph == CLIENT_ENDED) {
        bool was_joining = ui->screen == UI_CONNECTING && !a->srv;
        app_leave(a, PROTO_BYE_QUIT);
        if (was_joining) {
            snprintf(ui->error, sizeof ui->error, "%s", why);
            ui_show(ui, UI_JOIN);
        } else {
            snprintf(ui->notice, sizeof ui->notice, "%s", why);
            ui_show(ui, UI_MAIN);
        }
    }
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
    SDL_GLContext gl = SDL_GL_CreateContext(win);
    if (!gl) {
        fprintf(stderr, "lanarena: cannot create an OpenGL 3.3 core context: %s\n", SDL_GetError());
        SDL_DestroyWindow(win);
        return 1;
    }
    bool vsync = SDL_GL_SetSwapInterval(1) == 0;
    char err[512];
    render_config rc = {.asset_dir = LANARENA_SOURCE_DIR "/assets", .shader_dir = LANARENA_SOURCE_DIR "/shaders",
                        .font_path = APP_FONT};
    if (!render_init(&rc, err, sizeof err)) {
        fprintf(stderr, "lanarena: %s\n", err);
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
    if (o->host) {
        app_start_hosting(a, &ui);
    } else if (o->join) {
        snprintf(ui.join_text, sizeof ui.join_text, "%.100s:%u", o->join_host, o->port);
        app_start_joining(a, &ui);
    }

    bool running = true;
    uint64_t quit_at = o->quit_after > 0 ? (uint64_t)(o->quit_after * 1e6) : 0;
    int code = 0;
    float p50 = 0, p99 = 0;
    while (running) {
        uint64_t frame_start = app_now_us(a);
        int ww, wh, dw, dh;
        SDL_GetWindowSize(win, &ww, &wh);
        SDL_GL_GetDrawableSize(win, &dw, &dh);
        ui_frame uf = {.w = dw, .h = dh, .scale = ww > 0 ? (float)dw / ww : 1.0f, .now_us = frame_start};
        uf.ui_scale = (float)dh / 720.0f;
        if (uf.ui_scale < 0.75f)
            uf.ui_scale = 0.75f;

        SDL_Event ev;
        while (SDL_PollEvent(&ev)) {
            if (ev.type == SDL_QUIT) {
                running = false;
                break;
            }
            switch (ui_event(&ui, &ev, &uf)) {
            case UI_ACT_HOST:
                app_start_hosting(a, &ui);
                break;
            case UI_ACT_JOIN:
                app_start_joining(a, &ui);
                break;
            case UI_ACT_CANCEL:
                app_leave(a, PROTO_BYE_QUIT);
                ui_show(&ui, a->opt->host ? UI_MAIN : UI_JOIN);
                break;
            case UI_ACT_LEAVE:
                app_leave(a, PROTO_BYE_QUIT);
                ui_show(&ui, UI_MAIN);
                break;
            case UI_ACT_QUIT:
                running = false;
                break;
            case UI_ACT_NONE:
                break;
            }
        }
        if (quit_at && frame_start >= quit_at)
            running = false;

        if (a->cl) {
            bool focused = (SDL_GetWindowFlags(win) & SDL_WINDOW_INPUT_FOCUS) != 0;
            client_update(a->cl, frame_start, ui.screen == UI_GAME && focused ? app_keyboard_buttons() : 0);
            app_follow_client(a, &ui);
        }

        render_begin(dw, dh, 0x1B2430FF);
        if (ui.screen == UI_GAME && a->cl) {
            draw_frame df = {.w = dw, .h = dh, .ui_scale = uf.ui_scale,
                             .host_info = a->srv ? a->host_info : NULL, .now_us = frame_start};
            draw_world(&df, client_get_view(a->cl));
        } else {
            ui_draw(&ui, &uf);
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
        if (a->stats && work_end >= a->next_stats_us) {
            stats_frames_take(&a->frames, &p50, &p99);
            app_write_stats(a, work_end, p50, p99);
        }
        SDL_GL_SwapWindow(win);
        /* Without working vsync (e.g. offscreen), pace to ~60 fps instead of spinning. */
        uint64_t spent = app_now_us(a) - frame_start;
        if ((!vsync || spent < 2000) && spent < 16000)
            SDL_Delay((Uint32)((16000 - spent) / 1000));
    }

    if (a->cl)
        app_leave(a, a->srv ? PROTO_BYE_HOST_ENDED : PROTO_BYE_QUIT);
    render_shutdown();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(win);
    return code;
}

int app_run(const options *o)
{
    app a = {.opt = o};
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
