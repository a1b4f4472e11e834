/*
 * netgraph: the history ring and its 1-2-5 scales (pure), then the F3
 * panel drawn on an offscreen GL 3.3 context: the panel is where it was
 * asked to be, every plot shows its line in its colour, a spike in ping
 * lands at the right edge (newest) and near the top of its plot, and the
 * panel is saved as $LANARENA_TEST_OUT/netgraph.png to look at.
 */
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <SDL.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "netgraph.h"
#include "render.h"

#define W 640
#define H 480

static void test_history(void)
{
    netgraph g;
    netgraph_init(&g);
    CHECK(netgraph_value(&g, NETGRAPH_PING, 0) == 0);
    CHECK(netgraph_scale(&g, NETGRAPH_PING) == 10); /* the floor */
    for (int i = 0; i < NETGRAPH_SAMPLES + 50; i++) {
        netgraph_sample s = {{0}};
        s.v[NETGRAPH_PING] = (float)i;
        s.v[NETGRAPH_BYTES_IN] = 3000;
        s.v[NETGRAPH_FRAME] = NAN; /* ignored, not plotted as garbage */
        netgraph_add(&g, &s);
    }
    CHECK(g.count == NETGRAPH_SAMPLES);
    CHECK(netgraph_value(&g, NETGRAPH_PING, 0) == NETGRAPH_SAMPLES + 49);
    CHECK(netgraph_value(&g, NETGRAPH_PING, NETGRAPH_SAMPLES - 1) == 50);
    CHECK(netgraph_value(&g, NETGRAPH_PING, NETGRAPH_SAMPLES) == 0);
    CHECK(netgraph_value(&g, NETGRAPH_FRAME, 0) == 0);
    CHECK(netgraph_scale(&g, NETGRAPH_PING) == 500);     /* max 349 */
    CHECK(netgraph_scale(&g, NETGRAPH_BYTES_IN) == 5000); /* max 3000 */
    netgraph_sample s = {{0}};
    s.v[NETGRAPH_GAP] = 120;
    netgraph_add(&g, &s);
    CHECK(netgraph_scale(&g, NETGRAPH_GAP) == 200);
    s.v[NETGRAPH_GAP] = 100;
    netgraph_add(&g, &s);
    CHECK(netgraph_scale(&g, NETGRAPH_GAP) == 200);
}

static uint8_t fb[W * H * 4];

static const uint8_t *px(int x, int y)
{
    return &fb[((size_t)(H - 1 - y) * W + (size_t)x) * 4];
}

/* Pixels near colour c (0xRRGGBBAA) in a rectangle. */
static int count_colour(int x0, int y0, int w, int h, uint32_t c)
{
    int n = 0;
    for (int y = y0; y < y0 + h && y < H; y++)
        for (int x = x0; x < x0 + w && x < W; x++) {
            const uint8_t *p = px(x, y);
            if (abs(p[0] - (int)(c >> 24)) < 12 && abs(p[1] - (int)(c >> 16 & 0xFF)) < 12 &&
                abs(p[2] - (int)(c >> 8 & 0xFF)) < 12)
                n++;
        }
    return n;
}

static void test_draw(void)
{
    if (!getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        CHECK_MSG(false, "SDL_Init: %s", SDL_GetError());
        return;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_Window *win = SDL_CreateWindow("test_netgraph", 0, 0, W, H, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext ctx = win ? SDL_GL_CreateContext(win) : NULL;
    CHECK_MSG(ctx != NULL, "no GL 3.3 core context: %s", SDL_GetError());
    if (!ctx) {
        SDL_Quit();
        return;
    }
    render_config cfg = {.asset_dir = LANARENA_TEST_DATA "/assets", .shader_dir = LANARENA_TEST_DATA "/shaders",
                         .font_path = LANARENA_TEST_DATA "/fonts/DejaVuSans.ttf"};
    char err[512];
    bool ok = render_init(&cfg, err, sizeof err);
    CHECK_MSG(ok, "render_init: %s", err);
    if (ok) {
        netgraph g;
        netgraph_init(&g);
        for (int i = 0; i < NETGRAPH_SAMPLES; i++) {
            netgraph_sample s = {{0}};
            s.v[NETGRAPH_PING] = i == NETGRAPH_SAMPLES - 1 ? 95.0f : 40.0f + 5.0f * sinf((float)i * 0.1f);
            s.v[NETGRAPH_GAP] = 16.7f + (i % 7 == 0 ? 15.0f : 0.0f);
            s.v[NETGRAPH_DELAY] = 33.0f;
            s.v[NETGRAPH_JITTER] = 15.0f;
            s.v[NETGRAPH_CORRECTION] = i % 50 == 0 ? 2.0f : 0.0f;
            s.v[NETGRAPH_BYTES_IN] = 2800.0f;
            s.v[NETGRAPH_BYTES_OUT] = 700.0f;
            s.v[NETGRAPH_FRAME] = 3.0f + (float)(i % 5);
            netgraph_add(&g, &s);
        }
        const uint32_t bg = 0x203040FF;
        render_begin(W, H, bg);
        float x = 20, y = 10, w = 380;
        float h = netgraph_draw(&g, x, y, w, 1.0f);
        render_end();
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, fb);
        CHECK(h > 200 && h < H);
        /* Outside the panel: the background, untouched. */
        CHECK(count_colour((int)(x + w) + 5, 0, W - (int)(x + w) - 5, H, bg) == (W - (int)(x + w) - 5) * H);
        /* Each plot's line colour is present (ping, gap, delay, corrections,
         * bytes in, bytes out, frame). */
        const uint32_t colours[] = {0x5CC8F2FF, 0xF2C230FF, 0x7CE07CFF, 0xF25C5CFF, 0x5CF2B0FF, 0xF2A05CFF, 0xD0D0D0FF};
        for (size_t k = 0; k < sizeof colours / sizeof colours[0]; k++) {
            int n = count_colour((int)x, (int)y, (int)w, (int)h, colours[k]);
            CHECK_MSG(n > 50, "colour %06X: %d pixels", (unsigned)(colours[k] >> 8), n);
        }
        /* The ping spike (95 of a 100 ms scale) is the newest sample: at the
         * right edge, near the top of the first plot. The line's colour in
         * the right-most 4 px of the plot reaches within 6 px of its top,
         * and further left it stays near 40/100. */
        int plot_top = (int)(y + 8 + render_font_height(RENDER_FONT_SMALL) + 2);
        int right = (int)(x + w - 8);
        CHECK(count_colour(right - 4, plot_top, 4, 6, 0x5CC8F2FF) > 0);
        CHECK(count_colour(right - 60, plot_top, 40, 12, 0x5CC8F2FF) == 0);
        const char *dir = getenv("LANARENA_TEST_OUT") ? getenv("LANARENA_TEST_OUT") : "/tmp";
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            fprintf(stderr, "cannot create %s\n", dir);
        char path[600];
        snprintf(path, sizeof path, "%s/netgraph.png", dir);
        CHECK_MSG(render_screenshot(path, W, H, err, sizeof err), "%s", err);
        render_shutdown();
    }
    SDL_GL_DeleteContext(ctx);
    SDL_DestroyWindow(win);
    SDL_Quit();
}

int main(void)
{
    test_history();
    test_draw();
    return check_done("netgraph");
}
