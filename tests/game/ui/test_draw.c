/*
 * test_draw: the cost shape of a frame, on a real offscreen GL 3.3 context
 * at 1280x720. With 64 players, name tags and the HUD, and on every menu
 * screen:
 *  - the whole frame is at most 3 draw calls (it is one: one atlas, one
 *    batch), counted by render_get_stats;
 *  - our side of the frame (draw_world / ui_draw, everything that builds
 *    the batch; it makes no GL call) allocates nothing: malloc, calloc and
 *    realloc are counted by wrapping glibc's, for every library in the
 *    process. What the GL driver allocates inside the draw calls and the
 *    swap is printed, not asserted: that is the driver's business.
 * And the arena, cached after its first frame, is copied in pixel-exact.
 * Frame times are not asserted here; tests/bench_perf.c prints them.
 */
#define GL_GLEXT_PROTOTYPES 1
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <GL/gl.h>
#include <SDL.h>

#include "check.h"
#include "client.h"
#include "draw.h"
#include "render.h"
#include "ui.h"

/* Counting allocator: a program may replace malloc & co. (glibc manual,
 * "Replacing malloc"); these forward to glibc's own. Sanitizer builds
 * bring their own allocator, so there the count is skipped. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TEST_SANITIZED 1
#endif
#endif
#ifdef TEST_SANITIZED
#define TEST_COUNT_ALLOCS 0
static long test_allocs(void)
{
    return 0;
}
#else
#define TEST_COUNT_ALLOCS 1
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
static atomic_long test_alloc_calls;

void *malloc(size_t n)
{
    atomic_fetch_add_explicit(&test_alloc_calls, 1, memory_order_relaxed);
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    atomic_fetch_add_explicit(&test_alloc_calls, 1, memory_order_relaxed);
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    atomic_fetch_add_explicit(&test_alloc_calls, 1, memory_order_relaxed);
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

static long test_allocs(void)
{
    return atomic_load(&test_alloc_calls);
}
#endif

#define W 1280
#define H 720

/* 64 players spread over the arena, all moving, 16-byte names. */
static void test_fill_view(client_view *v, int players)
{
    memset(v, 0, sizeof *v);
    v->my_id = 3;
    v->max_players = SIM_MAX_PLAYERS;
    v->server_tick = 1000;
    for (int i = 0; i < players; i++) {
        client_player *p = &v->players[i];
        p->present = p->seen = true;
        snprintf(p->name, sizeof p->name, "Player number %d", i);
        p->colour = (uint8_t)i;
        p->state.active = true;
        p->state.x = (24 + (i % 8) * 90) * SIM_FP;
        p->state.y = (30 + (i / 8) % 8 * 50 + i / 64 * 6) * SIM_FP;
        p->state.vx = 300;
        p->state.moving = 1;
        p->state.step = (uint8_t)(i * 5);
        p->state.facing = (uint8_t)(i % 4);
        p->state.score = (uint16_t)(i * 3);
        p->draw_x = (float)p->state.x / SIM_FP;
        p->draw_y = (float)p->state.y / SIM_FP;
    }
    v->gem_count = 6;
    for (int i = 0; i < 6; i++)
        v->gems[i] = (sim_gem){.active = true, .x = (int16_t)(40 + i * 100), .y = 200};
}

static uint8_t test_px_a[W * H * 4], test_px_b[W * H * 4];

static void test_read(uint8_t *px)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px);
}

/* The cached arena must look exactly like the drawn one: frame 1 draws it
 * (and keeps a copy), frame 2 copies it in; the pixels must be equal. A
 * new layout (ui_scale) must draw it again, not reuse the old copy. */
static void test_background_cache(SDL_Window *win)
{
    static client_view empty;
    memset(&empty, 0, sizeof empty);
    empty.my_id = -1;
    render_stats st[4];
    float scales[4] = {1.0f, 1.0f, 1.25f, 1.25f};
    for (int f = 0; f < 4; f++) {
        render_begin(W, H, 0x1B2430FF);
        draw_frame df = {.w = W, .h = H, .ui_scale = scales[f], .host_info = NULL, .now_us = 0};
        draw_world(&df, &empty);
        render_end();
        st[f] = render_get_stats();
        if (f == 0)
            test_read(test_px_a);
        if (f == 1)
            test_read(test_px_b);
        SDL_GL_SwapWindow(win);
    }
    CHECK(st[0].quads > SIM_MAP_W * SIM_MAP_H && st[0].copies == 0); /* drawn, and kept */
    CHECK(st[1].quads < 100 && st[1].copies == 1);                   /* copied in */
    CHECK(st[2].quads > SIM_MAP_W * SIM_MAP_H);                      /* new layout: drawn again */
    CHECK(st[3].quads < 100);
    long differ = 0;
    for (size_t i = 0; i < sizeof test_px_a; i++)
        differ += test_px_a[i] != test_px_b[i];
    printf("background cache: drawn %d quads, then copied (%d quads); %ld bytes differ\n", st[0].quads, st[1].quads,
           differ);
    CHECK(differ == 0);
}

/* Sixty frames of a game of `players`, every one walking. The issue's
 * case is 64 (nothing of ours may allocate); a full game of 250 must still
 * draw everyone in at most 3 draw calls (its batch overflows once, so the
 * driver draws, and allocates, inside draw_world: counted but not held). */
static void test_game_frames(SDL_Window *win, int players)
{
    static client_view v;
    test_fill_view(&v, players);
    long ours = 0, driver = 0;
    int max_calls = 0, quads = 0;
    for (int f = 0; f < 60; f++) {
        render_begin(W, H, 0x1B2430FF);
        long a0 = test_allocs();
        draw_frame df = {.w = W, .h = H, .ui_scale = 1.0f, .host_info = "Hosting: friends join 10.0.0.1:27960",
                         .now_us = (uint64_t)f * 16667};
        for (int i = 0; i < players; i++) /* everyone walks a little */
            v.players[i].draw_x += 0.5f;
        draw_world(&df, &v);
        long a1 = test_allocs();
        render_end();
        render_stats st = render_get_stats();
        max_calls = st.draw_calls > max_calls ? st.draw_calls : max_calls;
        quads = st.quads;
        SDL_GL_SwapWindow(win);
        if (f > 0) { /* the first frame may set up lazily */
            ours += a1 - a0;
            driver += test_allocs() - a1;
        }
    }
    printf("%d players, tags and HUD at %dx%d: %d quads, at most %d draw call(s) a frame; over 59 frames "
           "%ld allocations in draw_world, %ld in the GL driver's draws and swaps%s\n",
           players, W, H, quads, max_calls, ours, driver, TEST_COUNT_ALLOCS ? "" : " (not counted: sanitizer build)");
    CHECK(max_calls >= 1 && max_calls <= 3);
    CHECK_MSG(quads > players * 3, "%d players: %d quads", players, quads); /* sprites, shadows, tags */
    if (players <= 64)
        CHECK(ours == 0);
}

int main(void)
{
    if (!getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        CHECK(false);
        return check_done("draw");
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window *win = SDL_CreateWindow("test_draw", 0, 0, W, H, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext ctx = win ? SDL_GL_CreateContext(win) : NULL;
    CHECK_MSG(ctx != NULL, "no GL 3.3 core context: %s", SDL_GetError());
    if (!ctx) {
        SDL_Quit();
        return check_done("draw");
    }
    char err[512];
    render_config rc = {.asset_dir = LANARENA_TEST_DATA "/assets", .shader_dir = LANARENA_TEST_DATA "/shaders",
                        .font_path = LANARENA_TEST_DATA "/fonts/DejaVuSans.ttf"};
    bool ok = render_init(&rc, err, sizeof err);
    CHECK_MSG(ok, "render_init: %s", err);
    if (ok) {
        test_background_cache(win);
        test_game_frames(win, 64);
        test_game_frames(win, SIM_MAX_PLAYERS);
        /* The counter is live: setting up the renderer did allocate. */
        CHECK(!TEST_COUNT_ALLOCS || test_allocs() > 0);

        ui_state ui;
        ui_init(&ui, "Tester", 27960);
        static const ui_screen screens[] = {UI_MAIN, UI_JOIN, UI_NAME, UI_CONNECTING};
        for (size_t k = 0; k < sizeof screens / sizeof screens[0]; k++) {
            ui_show(&ui, screens[k]);
            snprintf(ui.notice, sizeof ui.notice, "A notice on the menu.");
            snprintf(ui.join_text, sizeof ui.join_text, "192.168.1.20:27960");
            long menu_allocs = 0;
            for (int f = 0; f < 10; f++) {
                ui_frame uf = {.w = W, .h = H, .scale = 1.0f, .ui_scale = 1.0f, .now_us = (uint64_t)f * 100000};
                render_begin(W, H, 0x1B2430FF);
                long a0 = test_allocs();
                ui_draw(&ui, &uf);
                if (f > 0)
                    menu_allocs += test_allocs() - a0;
                render_end();
                CHECK(render_get_stats().draw_calls <= 3);
            }
            CHECK_MSG(menu_allocs == 0, "screen %d: %ld allocations while drawing", (int)screens[k], menu_allocs);
        }
        render_shutdown();
    }
    SDL_GL_DeleteContext(ctx);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return check_done("draw");
}
