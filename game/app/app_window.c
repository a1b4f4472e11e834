/*
 * app_window: the window's side of every windowed mode (menu, joining,
 * playing, hosting): opening the window and its GL context, one frame's
 * events (F3, F11, F12, gamepads, chat, the menus) and drawing (the menus
 * or the arena, then the toast), and closing it all again.
 */
#include <time.h>

#include "app_internal.h"
#include "datadir.h"
#include "log.h"
#include "reconnect.h"
#include "render.h"

/* The window, GL 3.3 core, the renderer, the menus with the saved
 * settings, gamepads. False, with the reason on stderr, when any of them
 * cannot start. */
bool app_window_open(app *a)
{
    const options *o = a->opt;
    app_window *w = &a->win;
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window *win = SDL_CreateWindow("LAN Arena", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o->width, o->height,
                                       SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!win) {
        fprintf(stderr, "lanarena: cannot open a window: %s\n", SDL_GetError());
        return false;
    }
    SDL_SetWindowMinimumSize(win, OPTIONS_MIN_W, OPTIONS_MIN_H);
    SDL_GLContext gl = SDL_GL_CreateContext(win);
    if (!gl) {
        fprintf(stderr, "lanarena: cannot create an OpenGL 3.3 core context: %s\n", SDL_GetError());
        SDL_DestroyWindow(win);
        return false;
    }
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
        return false;
    }
    w->window = win;
    w->gl = gl;

    char name[64];
    if (o->name_set)
        snprintf(name, sizeof name, "%s", o->name);
    else
        app_default_name(name, sizeof name);
    ui_init(&a->ui, name, o->port);
    app_enter(a, APP_MENU, UI_MAIN);
    app_menu_load_settings(a);
    w->vsync = SDL_GL_SetSwapInterval(a->prefs.saved.vsync ? 1 : 0) == 0 && a->prefs.saved.vsync;
    if (a->prefs.saved.fullscreen && SDL_SetWindowFullscreen(win, SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
        log_warn("fullscreen: %s", SDL_GetError());
    a->host.token = reconnect_new_token();
    /* Hot-plugged pads; a machine without the subsystem still plays. */
    if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) != 0)
        log_warn("no gamepad support: %s", SDL_GetError());
    gamepad_set_init(&w->pads);
    gamepad_nav_init(&w->nav);
    chat_input_init(&a->chat_in);
    fx_init(&w->fx);
    ui_kick_init(&w->kick);
    w->sound = sound_open(a->prefs.saved.mute ? 0 : a->prefs.saved.volume);
    return true;
}

void app_window_close(app *a)
{
    app_window *w = &a->win;
    discovery_search_close(a->lan.search);
    a->lan.search = NULL;
    if (!w->window)
        return;
    gamepad_set_close(&w->pads);
    if (w->sound)
        log_info("sound: played %u pickup, %u dash, %u hit, %u countdown, %u round start, %u round end, %u join, "
                 "%u leave, %u chat",
                 sound_played(w->sound, SOUND_PICKUP), sound_played(w->sound, SOUND_DASH),
                 sound_played(w->sound, SOUND_HIT), sound_played(w->sound, SOUND_COUNTDOWN),
                 sound_played(w->sound, SOUND_ROUND_START), sound_played(w->sound, SOUND_ROUND_END),
                 sound_played(w->sound, SOUND_JOIN), sound_played(w->sound, SOUND_LEAVE),
                 sound_played(w->sound, SOUND_CHAT));
    sound_close(w->sound);
    w->sound = NULL;
    render_shutdown();
    SDL_GL_DeleteContext(w->gl);
    SDL_DestroyWindow(w->window);
    w->window = NULL;
}

/* The arena is on screen: a game mode, and not a menu opened from the
 * game (Settings from the game menu shows over the menu background while
 * the game goes on). */
static bool app_in_game(const app *a)
{
    return (a->mode == APP_PLAYING || a->mode == APP_HOSTING) && a->ui.screen == UI_GAME;
}

/* F12: a PNG in the pref folder, named by date; the player is told where. */
static void app_save_f12_screenshot(app *a, uint64_t now_us)
{
    char *dir = SDL_GetPrefPath("lanarena", "LAN Arena");
    char path[512], err[256], text[600];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof path, "%sscreenshot-%s-%03u.png", dir ? dir : "./", stamp,
             (unsigned)((now_us / 1000) % 1000));
    SDL_free(dir);
    if (render_screenshot(path, a->win.w, a->win.h, err, sizeof err)) {
        snprintf(text, sizeof text, "Screenshot saved to %s", path);
        log_info("screenshot saved to %s", path);
    } else {
        snprintf(text, sizeof text, "Screenshot failed: %s", err);
        log_warn("%s", text);
    }
    app_toast(a, text, now_us);
}

static bool app_in_game(const app *a);

/* F3, F11 and F12 work on every screen; F5 when hosting a game. True when
 * the event was one. */
static bool app_function_key(app *a, const SDL_Event *ev)
{
    if (ev->type != SDL_KEYDOWN || ev->key.repeat)
        return false;
    switch (ev->key.keysym.sym) {
    case SDLK_F3:
        a->ui.show_graph = !a->win.show_graph;
        app_menu_apply_settings(a);
        return true;
    case SDLK_F11:
        a->ui.fullscreen = !a->ui.fullscreen;
        app_menu_apply_settings(a);
        return true;
    case SDLK_F12:
        a->win.want_shot = true;
        return true;
    case SDLK_F5:
        /* The host starts the first round without waiting for a second
         * player. */
        if (!a->host.srv || !app_in_game(a))
            return false;
        server_start_round(a->host.srv);
        return true;
    default:
        return false;
    }
}

/* This frame's events, in order: the window closing, gamepads arriving
 * and leaving, function keys, the chat line (in game), then the screen. */
static void app_window_events(app *a, const ui_frame *uf, uint64_t now_us)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_QUIT) {
            a->quit = true;
            break;
        }
        char note[200];
        if (gamepad_set_event(&a->win.pads, &ev, note, sizeof note)) {
            if (note[0])
                app_toast(a, note, now_us);
            continue;
        }
        if (ev.type == SDL_CONTROLLERBUTTONDOWN) {
            /* In menus A confirms and B backs, as Return and Esc; in
             * game the buttons do nothing (B must not leave a game). */
            SDL_Keycode k = app_in_game(a) ? SDLK_UNKNOWN : gamepad_button_key(ev.cbutton.button);
            if (k == SDLK_UNKNOWN)
                continue;
            ev = gamepad_key_event(k, ev.cbutton.timestamp);
        }
        if (app_function_key(a, &ev))
            continue;
        if (app_in_game(a) && !a->ui.game_menu && app_play_chat_event(a, &ev))
            continue;
        if (app_play_kick_event(a, &ev, uf))
            continue;
        app_menu_action(a, ui_event(&a->ui, &ev, uf));
    }
    /* Pads: the stick and D-pad move in game and step through menus. */
    a->win.pad_dirs = gamepad_set_directions(&a->win.pads);
    a->win.pad_dash = gamepad_set_dash(&a->win.pads);
    if (app_in_game(a)) {
        gamepad_nav_init(&a->win.nav);
        return;
    }
    uint8_t nav = gamepad_nav_step(&a->win.nav, a->win.pad_dirs, now_us / 1000);
    if (nav && !a->quit) {
        SDL_Event kev = gamepad_key_event(gamepad_direction_key(nav), SDL_GetTicks());
        app_menu_action(a, ui_event(&a->ui, &kev, uf));
    }
}

/* The toast sits over everything, after any F12 capture, so a screenshot
 * never shows the message about the previous one. */
static void app_draw_toast(app *a, const ui_frame *uf, uint64_t now_us)
{
    app_window *w = &a->win;
    if (!w->toast[0] || now_us >= w->toast_until_us)
        return;
    float tw = render_text_width(RENDER_FONT_SMALL, w->toast);
    float ty = (float)uf->h - 60 * uf->ui_scale;
    render_rect(uf->w * 0.5f - tw / 2 - 10, ty - 6, tw + 20, render_font_height(RENDER_FONT_SMALL) + 12, 0x000000C0);
    render_text(RENDER_FONT_SMALL, w->toast, uf->w * 0.5f, ty, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
}

/* One windowed frame: events, the game's and the menus' own work, then
 * drawing. The loop swaps it in (app_window_present). */
void app_window_frame(app *a, uint64_t now_us)
{
    app_window *w = &a->win;
    int ww, wh;
    SDL_GetWindowSize(w->window, &ww, &wh);
    SDL_GL_GetDrawableSize(w->window, &w->w, &w->h);
    /* Menus stand still: their clock is stopped, so the background gems
     * rest at one moment of their drift and the caret stays lit. An idle
     * menu then changes only on events and costs nearly nothing
     * (app_window_idle_ms); a drift redrawn at a low rate would stutter. */
    ui_frame uf = {.w = w->w, .h = w->h, .scale = ww > 0 ? (float)w->w / ww : 1.0f,
                   .now_us = a->mode == APP_MENU ? 0 : now_us};
    uf.ui_scale = (float)w->h / 720.0f;
    if (uf.ui_scale < 0.75f)
        uf.ui_scale = 0.75f;

    app_window_events(a, &uf, now_us);
    app_play_update(a, now_us);
    app_host_tick(a, now_us);
    app_menu_lan_tick(a, now_us);

    /* Sharp text at any size: glyphs drawn again when the scale moves. */
    render_set_text_scale(uf.ui_scale);
    render_begin(w->w, w->h, 0x1B2430FF);
    if (app_in_game(a)) {
        app_play_draw(a, &uf, now_us);
        ui_draw_game_menu(&a->ui, &uf);
    } else {
        ui_draw(&a->ui, &uf);
    }
    if (w->want_shot) {
        render_end();
        w->want_shot = false;
        app_save_f12_screenshot(a, now_us);
    }
    app_draw_toast(a, &uf, now_us);
    render_end();
}

void app_window_present(app *a)
{
    SDL_GL_SwapWindow(a->win.window);
    if (!a->win.shown_first_frame) { /* start-up ends here (tests/bench/bench_perf.c) */
        log_info("app: first frame drawn");
        a->win.shown_first_frame = true;
    }
}

/* How long the window may sleep waiting for an event, or -1 to draw at
 * the frame rate. A menu changes only on events, so it sleeps until one
 * arrives or a deadline (quit, stats, toast) passes, at most 5 s; the LAN
 * screen wakes 4 times a second to show games as they answer. Connecting
 * and playing draw every frame. */
int app_window_idle_ms(const app *a, uint64_t quit_at, uint64_t now_us)
{
    /* A held stick sends no events; its menu repeat needs frames. */
    if (a->mode != APP_MENU || a->win.want_shot || a->win.pad_dirs)
        return -1;
    uint64_t wake = now_us + (a->ui.screen == UI_LAN ? 250000 : 5000000);
    if (a->win.toast[0] && a->win.toast_until_us > now_us && a->win.toast_until_us < wake)
        wake = a->win.toast_until_us;
    if (quit_at && quit_at < wake)
        wake = quit_at;
    if (a->stats.file && a->stats.next_us < wake)
        wake = a->stats.next_us;
    return wake > now_us ? (int)((wake - now_us + 999) / 1000) : 0;
}
