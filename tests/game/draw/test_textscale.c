/*
 * test_textscale: render_set_text_scale on a real offscreen GL 3.3 core
 * context. Text is rasterised again at scale x its base pixel sizes, so a
 * HiDPI or larger window gets sharp text of the right size: font heights
 * and widths follow the scale, small changes (< 10%) do not rebuild, a
 * large scale grows the atlas, sprites and rects still draw from the new
 * atlas, and going back to 1 gives the original metrics exactly. Pixels
 * are read with glReadPixels here, independent of the code under test.
 */
#define GL_GLEXT_PROTOTYPES 1
#include <stdlib.h>
#include <string.h>

#include <GL/gl.h>
#include <SDL.h>

#include "check.h"
#include "render.h"

#define W 640
#define H 360

static uint32_t pixel(int x, int y)
{
    uint8_t p[4];
    glReadPixels(x, H - 1 - y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, p);
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | 0xFF;
}

/* Bright pixels (text is white on black) in a box. */
static int bright(int x0, int y0, int w, int h)
{
    static uint8_t buf[W * H * 4];
    glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, buf);
    int n = 0;
    for (int y = y0; y < y0 + h && y < H; y++)
        for (int x = x0; x < x0 + w && x < W; x++) {
            const uint8_t *p = &buf[((size_t)(H - 1 - y) * W + (size_t)x) * 4];
            n += p[0] > 128 && p[1] > 128 && p[2] > 128;
        }
    return n;
}

/* Draws "Ag" at (10,10), a red rect and a white-tinted wall sprite;
 * returns the count of bright text pixels. */
static int scene(float *text_w)
{
    render_begin(W, H, 0x000000FF);
    *text_w = render_text(RENDER_FONT_MEDIUM, "Ag", 10, 10, RENDER_ALIGN_LEFT, 0xFFFFFFFF);
    render_rect(400, 300, 20, 20, 0xE8483FFF);
    render_sprite(RENDER_SPR_GEM1, 500, 280, 64, false, 0xFFFFFFFF);
    render_end();
    return bright(0, 0, 300, 200);
}

int main(void)
{
    if (!getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        CHECK_MSG(false, "SDL_Init: %s", SDL_GetError());
        return check_done("textscale");
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_Window *win = SDL_CreateWindow("test_textscale", 0, 0, W, H, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext ctx = win ? SDL_GL_CreateContext(win) : NULL;
    CHECK_MSG(ctx != NULL, "no GL 3.3 core context: %s", SDL_GetError());
    if (!ctx) {
        SDL_Quit();
        return check_done("textscale");
    }
    char err[512];
    render_config cfg = {.asset_dir = LANARENA_TEST_DATA "/assets", .shader_dir = LANARENA_TEST_DATA "/shaders",
                         .font_path = LANARENA_TEST_DATA "/fonts/DejaVuSans.ttf"};
    bool ok = render_init(&cfg, err, sizeof err);
    CHECK_MSG(ok, "render_init: %s", err);
    if (ok) {
        CHECK(render_text_scale() == 1.0f);
        float h1[RENDER_FONT_COUNT];
        for (int f = 0; f < RENDER_FONT_COUNT; f++)
            h1[f] = render_font_height((render_font)f);
        float w1 = render_text_width(RENDER_FONT_MEDIUM, "LAN Arena"), tw1;
        int ink1 = scene(&tw1);
        uint32_t rect1 = pixel(410, 310), gem1 = pixel(532, 312);
        CHECK(ink1 > 50 && rect1 == 0xE8483FFF);

        /* Within 10%: nothing happens. */
        CHECK(!render_set_text_scale(1.05f) && !render_set_text_scale(0.95f) && render_text_scale() == 1.0f);

        uint64_t t = SDL_GetPerformanceCounter();
        CHECK(render_set_text_scale(2.0f));
        double ms = (double)(SDL_GetPerformanceCounter() - t) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        printf("rebuilding the atlas at scale 2 took %.1f ms\n", ms);
        CHECK(render_text_scale() == 2.0f);
        for (int f = 0; f < RENDER_FONT_COUNT; f++) {
            float r = render_font_height((render_font)f) / h1[f];
            CHECK_MSG(r > 1.8f && r < 2.2f, "font %d height x%.2f at scale 2", f, r);
        }
        float r = render_text_width(RENDER_FONT_MEDIUM, "LAN Arena") / w1;
        CHECK_MSG(r > 1.8f && r < 2.2f, "width x%.2f at scale 2", r);
        float tw2;
        int ink2 = scene(&tw2);
        /* Twice the size: about four times the ink, drawn from the new atlas. */
        CHECK_MSG(ink2 > 3 * ink1 && ink2 < 5 * ink1, "ink %d at scale 1, %d at 2", ink1, ink2);
        CHECK(pixel(410, 310) == rect1 && pixel(532, 312) == gem1); /* rects and sprites unchanged */

        /* Scale 4: the bold 160 px glyphs need a taller atlas. */
        CHECK(render_set_text_scale(4.0f));
        r = render_font_height(RENDER_FONT_LARGE) / h1[RENDER_FONT_LARGE];
        CHECK_MSG(r > 3.6f && r < 4.4f, "large font x%.2f at scale 4", r);
        float tw4;
        CHECK(scene(&tw4) > ink2 && pixel(410, 310) == rect1 && pixel(532, 312) == gem1);
        CHECK(!render_set_text_scale(9.0f) && render_text_scale() == 4.0f); /* clamped to 4 */

        CHECK(render_set_text_scale(0.75f));
        r = render_font_height(RENDER_FONT_MEDIUM) / h1[RENDER_FONT_MEDIUM];
        CHECK_MSG(r > 0.6f && r < 0.9f, "medium font x%.2f at scale 0.75", r);

        /* Back to 1: exactly the metrics and pixels of before. */
        CHECK(render_set_text_scale(1.0f));
        for (int f = 0; f < RENDER_FONT_COUNT; f++)
            CHECK(render_font_height((render_font)f) == h1[f]);
        CHECK(render_text_width(RENDER_FONT_MEDIUM, "LAN Arena") == w1);
        float tw_back;
        CHECK(scene(&tw_back) == ink1 && tw_back == tw1);
        CHECK(!render_set_text_scale(0.0f) && !render_set_text_scale(-1.0f));
        render_shutdown();
    }
    CHECK(!render_set_text_scale(2.0f)); /* not initialised */
    SDL_GL_DeleteContext(ctx);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return check_done("textscale");
}
