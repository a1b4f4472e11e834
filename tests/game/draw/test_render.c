/*
 * test_render: the sprite_art parser on good and broken samples (pure), then
 * the renderer on a real offscreen GL 3.3 core context: init failures with
 * readable reasons, a scene whose pixels are checked (tinted sprites, flip,
 * text, rects, blending, one draw call), batching past the buffer size, a
 * screenshot that loads back, and a preview of all the art
 * ($LANARENA_TEST_OUT/sprites-preview.png, copied to docs/ by hand).
 *
 * The test reads pixels with glReadPixels itself so the check does not
 * depend on the code it checks.
 */
#define GL_GLEXT_PROTOTYPES 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <GL/gl.h>
#include <SDL.h>
#include <SDL_image.h>

#include "check.h"
#include "render.h"
#include "sprite_art.h"

#define TEST_W 640
#define TEST_H 360
#define TEST_BG 0x1B2030FFu
#define TEST_RED 0xE84A4AFFu
#define TEST_BLUE 0x4A7BE8FFu
#define TEST_WHITE 0xFFFFFFFFu

/* ---- sprite_art (no GL) ------------------------------------------------ */

static const char *const test_frame_names[RENDER_SPR_COUNT] = {
    "down_idle", "down_walk1", "down_walk2", "up_idle", "up_walk1", "up_walk2", "side_idle",
    "side_walk1", "side_walk2", "gem1", "gem2", "wall", "floor",
};

/* Appends a 16-row frame: top row of k, 14 rows of k..k, bottom row of 1. */
static void test_art_frame(char *buf, size_t cap, const char *name, int rows)
{
    size_t n = strlen(buf);
    n += (size_t)snprintf(buf + n, cap - n, "frame %s\n", name);
    for (int r = 0; r < rows && n < cap; r++) {
        const char *row = r == 0 ? "kkkkkkkkkkkkkkkk" : r == 15 ? "1111111111111111" : "k..............k";
        n += (size_t)snprintf(buf + n, cap - n, "%s\n", row);
    }
}

static const char *test_art_palette = "# a sample\n"
                                      "colour . transparent\n"
                                      "colour k #102030 keep\n"
                                      "\n"
                                      "colour 1 #808080 tint\n";

static bool test_art_parse(const char *text, sprite_art *art, char *err, size_t cap)
{
    return sprite_art_parse(text, strlen(text), art, err, cap);
}

/* A broken sample must fail with its line number and a phrase that says why. */
static void test_art_bad(const char *text, const char *line, const char *phrase)
{
    static sprite_art art;
    char err[256] = "";
    bool ok = test_art_parse(text, &art, err, sizeof err);
    CHECK_MSG(!ok, "sample expected to fail on %s parsed", line);
    CHECK_MSG(strstr(err, line) != NULL, "error '%s' does not name %s", err, line);
    CHECK_MSG(strstr(err, phrase) != NULL, "error '%s' does not say '%s'", err, phrase);
}

static void test_sprite_art_samples(void)
{
    static sprite_art art;
    static char buf[4096], crlf[8192];
    char err[256];

    snprintf(buf, sizeof buf, "%s", test_art_palette);
    test_art_frame(buf, sizeof buf, "first", 16);
    strcat(buf, "# between frames\n");
    test_art_frame(buf, sizeof buf, "second", 16);
    CHECK_MSG(test_art_parse(buf, &art, err, sizeof err), "good sample failed: %s", err);
    CHECK(art.frame_count == 2);
    CHECK(sprite_art_find(&art, "first") == 0);
    CHECK(sprite_art_find(&art, "second") == 1);
    CHECK(sprite_art_find(&art, "third") == -1);
    const uint8_t *p = art.frames[0].rgba;
    CHECK(p[0] == 0x10 && p[1] == 0x20 && p[2] == 0x30 && p[3] == SPRITE_ART_ALPHA_KEEP);
    const uint8_t *clear = &p[(1 * 16 + 1) * 4];
    CHECK(clear[0] == 0 && clear[1] == 0 && clear[2] == 0 && clear[3] == 0);
    const uint8_t *grey = &p[(15 * 16 + 7) * 4];
    CHECK(grey[0] == 0x80 && grey[1] == 0x80 && grey[2] == 0x80 && grey[3] == 255);

    /* Windows line ends give the same pixels. */
    size_t j = 0;
    for (size_t i = 0; buf[i] && j + 2 < sizeof crlf; i++) {
        if (buf[i] == '\n')
            crlf[j++] = '\r';
        crlf[j++] = buf[i];
    }
    crlf[j] = '\0';
    static sprite_art art2;
    CHECK_MSG(test_art_parse(crlf, &art2, err, sizeof err), "CRLF sample failed: %s", err);
    CHECK(art2.frame_count == 2 && memcmp(art.frames[1].rgba, art2.frames[1].rgba, sizeof art.frames[1].rgba) == 0);

    /* Lines: 1 comment, 2-3 colours, 4 blank, 5 colour, 6 "frame", 7.. rows. */
    snprintf(buf, sizeof buf, "%sframe a\nkkkkkkkkkkkkkkk\n", test_art_palette);
    test_art_bad(buf, "line 7", "has 15 pixels");
    snprintf(buf, sizeof buf, "%sframe a\nkkkkkkkkkkkkkkkk\nk.z............k\n", test_art_palette);
    test_art_bad(buf, "line 8", "column 3: 'z' is not in the palette");
    snprintf(buf, sizeof buf, "%s", test_art_palette);
    test_art_frame(buf, sizeof buf, "a", 5);
    test_art_bad(buf, "line 11", "ends after 5 rows");
    snprintf(buf, sizeof buf, "%s", test_art_palette);
    test_art_frame(buf, sizeof buf, "a", 3);
    test_art_frame(buf, sizeof buf, "b", 16);
    test_art_bad(buf, "line 10", "has only 3 rows");
    snprintf(buf, sizeof buf, "%s", test_art_palette);
    test_art_frame(buf, sizeof buf, "a", 16);
    test_art_frame(buf, sizeof buf, "a", 16);
    test_art_bad(buf, "line 23", "frame 'a' is defined twice");
    test_art_bad("colour x #12345 keep\n", "line 1", "#rrggbb");
    test_art_bad("colour x #12345g keep\n", "line 1", "#rrggbb");
    test_art_bad("\ncolour x #123456 shiny\n", "line 2", "'tint' or 'keep'");
    test_art_bad("colour x transparent\ncolour x #000000 keep\n", "line 2", "defined twice");
    test_art_bad("colour xy transparent\n", "line 1", "one printable character");
    test_art_bad("colour # transparent\n", "line 1", "one printable character");
    test_art_bad("color x transparent\n", "line 1", "expected 'colour' or 'frame'");
    test_art_bad("frame\n", "line 1", "expected 'frame <name>'");
    test_art_bad("frame a_name_that_goes_on_and_on_and_on\n", "line 1", "longer than");
    test_art_bad("# only a comment\ncolour . transparent\n", "line 2", "no frames");
    test_art_bad("", "line 0", "no frames");
    /* A tiny error buffer truncates the sentence but stays terminated. */
    char small[8];
    CHECK(!sprite_art_parse("x", 1, &art, small, sizeof small) && strlen(small) < sizeof small);
}

static void test_sprite_art_asset(void)
{
    static sprite_art art;
    static char text[1 << 16];
    char err[256];
    const char *path = LANARENA_SOURCE_DIR "/assets/sprites.txt";
    FILE *f = fopen(path, "rb");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    CHECK(n > 0 && n < sizeof text);
    CHECK_MSG(sprite_art_parse(text, n, &art, err, sizeof err), "%s: %s", path, err);
    for (int i = 0; i < RENDER_SPR_COUNT; i++)
        CHECK_MSG(sprite_art_find(&art, test_frame_names[i]) == i, "frame %s missing or out of order",
                  test_frame_names[i]);
    /* Player frames have tinted cloak and untinted face; gems are untinted. */
    for (int i = 0; i < art.frame_count && i <= RENDER_SPR_GEM2; i++) {
        int tint = 0, keep = 0;
        for (int k = 0; k < 16 * 16; k++) {
            tint += art.frames[i].rgba[k * 4 + 3] == 255;
            keep += art.frames[i].rgba[k * 4 + 3] == SPRITE_ART_ALPHA_KEEP;
        }
        if (i < RENDER_SPR_GEM1)
            CHECK_MSG(tint > 40 && keep > 40, "frame %s: %d tint, %d keep pixels", art.frames[i].name, tint, keep);
        else
            CHECK_MSG(tint == 0 && keep > 40, "frame %s: %d tint, %d keep pixels", art.frames[i].name, tint, keep);
    }
}

/* ---- GL helpers --------------------------------------------------------- */

static uint8_t test_fb[TEST_W * TEST_H * 4];

static void test_read_fb(void)
{
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, TEST_W, TEST_H, GL_RGBA, GL_UNSIGNED_BYTE, test_fb);
}

/* Pixel at (x, y) with y down from the top, as render.h counts. */
static const uint8_t *test_px(int x, int y)
{
    return &test_fb[((size_t)(TEST_H - 1 - y) * TEST_W + (size_t)x) * 4];
}

static bool test_is_bg(const uint8_t *p)
{
    return p[0] == (TEST_BG >> 24 & 0xFF) && p[1] == (TEST_BG >> 16 & 0xFF) && p[2] == (TEST_BG >> 8 & 0xFF);
}

typedef bool (*test_px_pred)(const uint8_t *p);

static bool test_reddish(const uint8_t *p) { return p[0] >= 100 && p[0] > p[1] + 50 && p[0] > p[2] + 50; }
static bool test_bluish(const uint8_t *p) { return p[2] >= 100 && p[2] > p[0] + 50 && p[2] > p[1] + 30; }
static bool test_skin(const uint8_t *p) { return p[0] > 220 && p[1] > 190 && p[2] > 160 && p[2] < 215; }
static bool test_bright(const uint8_t *p) { return p[0] > 200 && p[1] > 200 && p[2] > 200; }
static bool test_not_bg(const uint8_t *p) { return !test_is_bg(p); }

static int test_count(int x0, int y0, int w, int h, test_px_pred pred)
{
    int n = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++)
            n += pred(test_px(x, y));
    return n;
}

static const char *test_out_dir(void)
{
    const char *dir = getenv("LANARENA_TEST_OUT");
    if (!dir || !*dir)
        dir = "test-out";
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        fprintf(stderr, "cannot create %s: %s\n", dir, strerror(errno));
    return dir;
}

static void test_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK_MSG(f != NULL, "cannot write %s", path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static render_config test_config(void)
{
    return (render_config){
        .asset_dir = LANARENA_TEST_DATA "/assets",
        .shader_dir = LANARENA_TEST_DATA "/shaders",
        .font_path = LANARENA_TEST_DATA "/fonts/DejaVuSans.ttf",
    };
}

/* ---- GL tests ----------------------------------------------------------- */

static void test_init_failures(const char *out)
{
    char err[512], dir[512], path[600];
    render_config cfg = test_config();
    cfg.asset_dir = "/nonexistent/assets";
    CHECK(!render_init(&cfg, err, sizeof err));
    CHECK_MSG(strstr(err, "/nonexistent/assets/sprites.txt") != NULL, "err: %s", err);

    cfg = test_config();
    cfg.shader_dir = "/nonexistent/shaders";
    CHECK(!render_init(&cfg, err, sizeof err));
    CHECK_MSG(strstr(err, "/nonexistent/shaders/sprite.vert") != NULL, "err: %s", err);

    cfg = test_config();
    cfg.font_path = "/nonexistent/font.ttf";
    CHECK(!render_init(&cfg, err, sizeof err));
    CHECK_MSG(strstr(err, "font") && strstr(err, "/nonexistent/font.ttf"), "err: %s", err);

    /* A shader that does not compile: the reason carries GL's info log. */
    snprintf(dir, sizeof dir, "%s/bad_shaders", out);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/sprite.vert", dir);
    test_write(path, "#version 330 core\nvoid main() { gl_Position = vec4(undefined_thing); }\n");
    snprintf(path, sizeof path, "%s/sprite.frag", dir);
    test_write(path, "#version 330 core\nout vec4 o;\nvoid main() { o = vec4(1.0); }\n");
    cfg = test_config();
    cfg.shader_dir = dir;
    CHECK(!render_init(&cfg, err, sizeof err));
    CHECK_MSG(strstr(err, "sprite.vert failed to compile") && strstr(err, "undefined_thing"), "err: %s", err);

    /* Broken art: the reason names the file and the line. */
    snprintf(dir, sizeof dir, "%s/bad_assets", out);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/sprites.txt", dir);
    test_write(path, "colour . transparent\nframe down_idle\n...\n");
    cfg = test_config();
    cfg.asset_dir = dir;
    CHECK(!render_init(&cfg, err, sizeof err));
    CHECK_MSG(strstr(err, "sprites.txt") && strstr(err, "line 3"), "err: %s", err);

    /* Parses, but lacks frames the renderer needs. */
    char art[2048] = "colour . transparent\nframe down_idle\n";
    for (int i = 0; i < 16; i++)
        strcat(art, "................\n");
    test_write(path, art);
    CHECK(!render_init(&cfg, err, sizeof err));
    CHECK_MSG(strstr(err, "no frame named 'down_walk1'") != NULL, "err: %s", err);

    /* Nothing drawn by a renderer that failed to start. */
    render_begin(TEST_W, TEST_H, TEST_BG);
    render_rect(0, 0, 10, 10, TEST_WHITE);
    CHECK(render_text_width(RENDER_FONT_SMALL, "abc") == 0.0f);
    render_end();
}

static void test_text_metrics(void)
{
    float h_s = render_font_height(RENDER_FONT_SMALL);
    float h_m = render_font_height(RENDER_FONT_MEDIUM);
    float h_l = render_font_height(RENDER_FONT_LARGE);
    CHECK_MSG(h_s >= 14 && h_s < h_m && h_m < h_l && h_l >= 40, "heights %g %g %g", h_s, h_m, h_l);

    float q = render_text_width(RENDER_FONT_MEDIUM, "?");
    CHECK(q > 0);
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "") == 0.0f);
    CHECK(render_text_width(RENDER_FONT_MEDIUM, NULL) == 0.0f);
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "ab") ==
          render_text_width(RENDER_FONT_MEDIUM, "a") + render_text_width(RENDER_FONT_MEDIUM, "b"));
    /* Latin-1 is in the atlas: é has e's advance in DejaVu, not '?'s. */
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xC3\xA9") == render_text_width(RENDER_FONT_MEDIUM, "e"));
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xC3\xBF") == render_text_width(RENDER_FONT_MEDIUM, "y"));
    /* Malformed UTF-8 shows as U+FFFD, one per bad byte. */
    float r = render_text_width(RENDER_FONT_MEDIUM, "\xEF\xBF\xBD");
    CHECK(r > 0);
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xFF") == r);                 /* never valid */
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xC3") == r);                 /* truncated */
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xC0\xAF") == 2 * r);         /* overlong '/' */
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xED\xA0\x80") == 3 * r);     /* surrogate */
    CHECK(render_text_width(RENDER_FONT_MEDIUM, "\xC3" "a") == r + render_text_width(RENDER_FONT_MEDIUM, "a"));
}

/* Bright pixels of one string drawn alone at (20, 100), into mask. */
static int test_ink(const char *utf8, uint8_t *mask, int w, int h)
{
    render_begin(TEST_W, TEST_H, TEST_BG);
    render_text(RENDER_FONT_LARGE, utf8, 20, 100, RENDER_ALIGN_LEFT, TEST_WHITE);
    render_end();
    test_read_fb();
    int n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            n += (mask[y * w + x] = test_bright(test_px(20 + x, 100 + y)));
    return n;
}

/* Characters beyond Latin-1 are rendered from the font the first time
 * they are drawn; characters the font lacks are a hollow box, not '?'. */
static void test_text_on_demand(void)
{
    enum { W = 60, H = 60 };
    static uint8_t zhe[W * H], zhe2[W * H], qm[W * H], box[W * H];
    const char *const ZHE = "\xD0\x96", *const MISSING = "\xE4\xB8\xAD"; /* U+0416, U+4E2D (not in DejaVu Sans) */
    int n_zhe = test_ink(ZHE, zhe, W, H);
    int n_qm = test_ink("?", qm, W, H);
    CHECK_MSG(n_zhe > 40 && n_qm > 20, "ink: Zhe %d, ? %d", n_zhe, n_qm);
    CHECK_MSG(memcmp(zhe, qm, sizeof zhe) != 0, "Zhe drawn as '?'");
    /* Cached: the second time is the same glyph, without a rebuild. */
    CHECK(test_ink(ZHE, zhe2, W, H) == n_zhe && memcmp(zhe, zhe2, sizeof zhe) == 0);
    CHECK(render_text_width(RENDER_FONT_LARGE, "\xD0\x96\xD0\x96") == 2 * render_text_width(RENDER_FONT_LARGE, ZHE));

    /* Not in DejaVu Sans: a box a digit wide, hollow in the middle. */
    CHECK(render_text_width(RENDER_FONT_LARGE, MISSING) == render_text_width(RENDER_FONT_LARGE, "0"));
    int n_box = test_ink(MISSING, box, W, H);
    int bw = (int)render_text_width(RENDER_FONT_LARGE, "0"), fh = (int)render_font_height(RENDER_FONT_LARGE);
    CHECK_MSG(n_box > 40, "box ink %d", n_box);
    CHECK_MSG(!box[(fh / 2) * W + bw / 2], "the box is filled in the middle");
    CHECK_MSG(memcmp(box, qm, sizeof box) != 0, "a missing character drawn as '?'");

    /* Hundreds of different characters: Greek and Cyrillic, all in the
     * font, then more than the table holds, which fall back to boxes. */
    char line[8];
    for (uint32_t cp = 0x391; cp < 0x4FF; cp++) {
        snprintf(line, sizeof line, "%c%c", (char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F)));
        render_text_width(RENDER_FONT_SMALL, line);
    }
    for (uint32_t cp = 0x4E00; cp < 0x4E00 + 2000; cp++) { /* CJK: not in DejaVu Sans */
        snprintf(line, sizeof line, "%c%c%c", (char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                 (char)(0x80 | (cp & 0x3F)));
        CHECK(render_text_width(RENDER_FONT_SMALL, line) == render_text_width(RENDER_FONT_SMALL, "0"));
    }
    CHECK(test_ink(ZHE, zhe2, W, H) == n_zhe && memcmp(zhe, zhe2, sizeof zhe) == 0);
}

static void test_scene(const char *out)
{
    const float size = 64;
    render_begin(TEST_W, TEST_H, TEST_BG);
    for (int i = 0; i < 8; i++)
        render_sprite(RENDER_SPR_FLOOR, (float)i * 32, 296, 32, false, TEST_WHITE);
    render_sprite(RENDER_SPR_DOWN_IDLE, 96, 96, size, false, TEST_RED);
    render_sprite(RENDER_SPR_DOWN_IDLE, 224, 96, size, false, TEST_BLUE);
    render_sprite(RENDER_SPR_SIDE_IDLE, 352, 96, size, false, TEST_WHITE);
    render_sprite(RENDER_SPR_SIDE_IDLE, 448, 96, size, true, TEST_WHITE);
    render_rect(560, 280, 40, 40, 0x00FF00FFu);
    render_rect(560, 200, 40, 40, 0xFFFFFF80u);
    float tw = render_text(RENDER_FONT_LARGE, "LAN Arena", 20, 20, RENDER_ALIGN_LEFT, TEST_WHITE);
    render_end();
    test_read_fb();

    render_stats st = render_get_stats();
    CHECK_MSG(st.draw_calls == 1, "draw calls %d", st.draw_calls);
    CHECK_MSG(st.quads == 8 + 4 + 2 + 8, "quads %d (8 floor, 4 sprites, 2 rects, 8 glyphs)", st.quads);

    int red = test_count(96, 96, 64, 64, test_reddish);
    int blue = test_count(224, 96, 64, 64, test_bluish);
    CHECK_MSG(red > 1200, "red sprite has %d reddish pixels", red);
    CHECK_MSG(blue > 1200, "blue sprite has %d bluish pixels", blue);
    /* Only the tint differs: no blue on the red one; on the blue one, red
     * only where the untinted blush and mouth are. */
    CHECK(test_count(96, 96, 64, 64, test_bluish) == 0);
    CHECK(test_count(224, 96, 64, 64, test_reddish) < red / 8);
    /* The face is "keep": skin, not red or blue. */
    CHECK(test_count(96, 96, 64, 64, test_skin) > 150);
    CHECK(test_count(224, 96, 64, 64, test_skin) > 150);

    /* flip_x mirrors the frame exactly, and the side frame is not symmetric. */
    bool mirrored = true, symmetric = true;
    for (int y = 96; y < 160; y++) {
        for (int x = 0; x < 64; x++) {
            mirrored = mirrored && memcmp(test_px(352 + x, y), test_px(448 + 63 - x, y), 3) == 0;
            symmetric = symmetric && memcmp(test_px(352 + x, y), test_px(352 + 63 - x, y), 3) == 0;
        }
    }
    CHECK(mirrored);
    CHECK(!symmetric);

    CHECK_MSG(tw > 150 && tw == render_text_width(RENDER_FONT_LARGE, "LAN Arena"), "text width %g", tw);
    int bright = test_count(20, 20, (int)tw, (int)render_font_height(RENDER_FONT_LARGE), test_bright);
    CHECK_MSG(bright > 400, "text area has %d bright pixels", bright);
    CHECK(test_count(20 + (int)tw + 2, 20, 40, 40, test_not_bg) == 0);

    CHECK(test_count(0, 296, 256, 32, test_not_bg) == 256 * 32); /* floor is opaque */
    const uint8_t *g = test_px(580, 300);
    CHECK(g[0] == 0 && g[1] == 255 && g[2] == 0);
    const uint8_t *half = test_px(580, 220);
    int expect = (0x1B * 127 + 255 * 128) / 255; /* 0x80 alpha over the red channel of the clear colour */
    CHECK_MSG(half[0] >= expect - 3 && half[0] <= expect + 3, "blend gave %d, expected about %d", half[0], expect);

    /* Background wherever nothing was drawn. */
    CHECK(test_count(0, 0, TEST_W, 18, test_not_bg) == 0);
    CHECK(test_count(0, 170, 540, 120, test_not_bg) == 0);
    CHECK(test_count(260, 296, 290, 64, test_not_bg) == 0);
    CHECK(test_count(610, 0, 30, TEST_H, test_not_bg) == 0);

    /* The screenshot is the same picture, rows top-down. */
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/render-scene.png", out);
    CHECK_MSG(render_screenshot(path, TEST_W, TEST_H, err, sizeof err), "screenshot: %s", err);
    SDL_Surface *img = IMG_Load(path);
    CHECK_MSG(img != NULL, "IMG_Load(%s): %s", path, IMG_GetError());
    if (img) {
        CHECK(img->w == TEST_W && img->h == TEST_H);
        SDL_Surface *rgba = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_RGBA32, 0);
        CHECK(rgba != NULL);
        if (rgba) {
            const uint8_t *pix = rgba->pixels;
            const uint8_t *pg = &pix[300 * rgba->pitch + 580 * 4];
            const uint8_t *pb = &pix[5 * rgba->pitch + 5 * 4];
            CHECK(pg[0] == 0 && pg[1] == 255 && pg[2] == 0 && pg[3] == 255);
            CHECK(test_is_bg(pb) && pb[3] == 255);
            SDL_FreeSurface(rgba);
        }
        SDL_FreeSurface(img);
    }
    CHECK(!render_screenshot("/nonexistent/dir/shot.png", TEST_W, TEST_H, err, sizeof err) &&
          strstr(err, "/nonexistent/dir/shot.png"));
}

static void test_alignment(void)
{
    render_begin(TEST_W, TEST_H, TEST_BG);
    float wr = render_text(RENDER_FONT_MEDIUM, "Right", 600, 40, RENDER_ALIGN_RIGHT, TEST_WHITE);
    float wc = render_text(RENDER_FONT_MEDIUM, "Centre", 320, 200, RENDER_ALIGN_CENTER, TEST_WHITE);
    render_end();
    test_read_fb();
    int rmin = TEST_W, rmax = -1, cmin = TEST_W, cmax = -1;
    for (int y = 30; y < 80; y++) {
        for (int x = 0; x < TEST_W; x++) {
            if (!test_is_bg(test_px(x, y)))
                rmin = x < rmin ? x : rmin, rmax = x > rmax ? x : rmax;
        }
    }
    for (int y = 190; y < 240; y++) {
        for (int x = 0; x < TEST_W; x++) {
            if (!test_is_bg(test_px(x, y)))
                cmin = x < cmin ? x : cmin, cmax = x > cmax ? x : cmax;
        }
    }
    CHECK_MSG(rmax <= 600 && rmin >= 600 - (int)wr - 2 && rmax - rmin > wr / 2, "right text spans %d..%d (w %g)",
              rmin, rmax, wr);
    float mid = (cmin + cmax) * 0.5f;
    CHECK_MSG(mid > 316 && mid < 324 && cmax - cmin > wc / 2, "centred text spans %d..%d", cmin, cmax);
}

static void test_batch_overflow(void)
{
    /* More quads than one batch holds: flushed early, nothing lost. */
    render_begin(TEST_W, TEST_H, TEST_BG);
    for (int i = 0; i < 10000; i++)
        render_rect((float)(i % 100), (float)(i / 100), 1, 1, 0xFF00FFFFu);
    render_end();
    render_stats st = render_get_stats();
    CHECK_MSG(st.draw_calls > 1 && st.quads == 10000, "draw calls %d, quads %d", st.draw_calls, st.quads);
    test_read_fb();
    CHECK(test_count(0, 0, 100, 100, test_not_bg) == 100 * 100);
    CHECK(test_count(100, 0, 100, 100, test_not_bg) == 0);
}

/* All the art at 4x and text at every size, for people to look at. */
static void test_preview(const char *out)
{
    static const uint32_t tints[] = {0xE84A4AFFu, 0x4A7BE8FFu, 0x5BC85BFFu, 0xF2C14EFFu, 0xB06AE0FFu,
                                     0x3FD0C8FFu, 0xFF8A3DFFu, 0xF0F0F0FFu};
    render_begin(TEST_W, TEST_H, 0x14171FFFu);
    for (int x = 0; x < TEST_W; x += 32)
        render_sprite(RENDER_SPR_WALL, (float)x, 0, 32, false, TEST_WHITE);
    for (int y = 32; y < TEST_H; y += 32)
        for (int x = 0; x < TEST_W; x += 32)
            render_sprite(RENDER_SPR_FLOOR, (float)x, (float)y, 32, false, TEST_WHITE);

    render_text(RENDER_FONT_LARGE, "LAN Arena", 12, 36, RENDER_ALIGN_LEFT, TEST_WHITE);
    render_text(RENDER_FONT_MEDIUM, "Medium 20px: Gems 12 \xC2\xB7 Ping 3 ms", 628, 44, RENDER_ALIGN_RIGHT,
                0xFFE9A0FFu);
    render_text(RENDER_FONT_SMALL, "Small 14px: Caf\xC3\xA9 na\xC3\xAFve \xC3\x85ngstr\xC3\xB6m \xC2\xBF\xC2\xA9", 628,
                68, RENDER_ALIGN_RIGHT, 0xD0D8E8FFu);

    /* Row 1: the nine player frames, 4x, in red. Row 2: tints, gems, tiles. */
    render_rect(6, 90, 628, 156, 0x0B0D12C0u);
    for (int i = 0; i <= RENDER_SPR_SIDE_WALK2; i++)
        render_sprite((render_sprite_id)i, 12 + (float)i * 68, 96, 64, false, tints[0]);
    for (int i = 0; i < 5; i++)
        render_sprite(i == 4 ? RENDER_SPR_SIDE_WALK1 : RENDER_SPR_DOWN_IDLE, 12 + (float)i * 68, 176, 64, i == 4,
                      tints[1 + i]);
    for (int i = RENDER_SPR_GEM1; i <= RENDER_SPR_FLOOR; i++)
        render_sprite((render_sprite_id)i, 12 + (float)(i - RENDER_SPR_GEM1 + 5) * 68, 176, 64, false, TEST_WHITE);

    /* Game scale (2x) with name tags, as a match would look. */
    const char *names[] = {"Ada", "Bj\xC3\xB6rn", "Chlo\xC3\xA9", "Dmitri", "Eun-ji"};
    for (int i = 0; i < 5; i++) {
        float x = 40 + (float)i * 120, y = 292;
        render_sprite((render_sprite_id)(i * 2 % 9), x, y, 32, i == 3, tints[i]);
        render_rect(x + 16 - render_text_width(RENDER_FONT_SMALL, names[i]) * 0.5f - 3, y - 20,
                    render_text_width(RENDER_FONT_SMALL, names[i]) + 6, 18, 0x00000090u);
        render_text(RENDER_FONT_SMALL, names[i], x + 16, y - 19, RENDER_ALIGN_CENTER, TEST_WHITE);
        render_sprite(i % 2 ? RENDER_SPR_GEM2 : RENDER_SPR_GEM1, x + 56, y + 8, 32, false, TEST_WHITE);
    }
    render_end();
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/sprites-preview.png", out);
    CHECK_MSG(render_screenshot(path, TEST_W, TEST_H, err, sizeof err), "preview: %s", err);
    CHECK(render_get_stats().draw_calls == 1);
    printf("preview written to %s\n", path);
}

int main(void)
{
    test_sprite_art_samples();
    test_sprite_art_asset();

    if (!getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        CHECK(false);
        return check_done("render");
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window *win = SDL_CreateWindow("test_render", 0, 0, TEST_W, TEST_H, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext ctx = win ? SDL_GL_CreateContext(win) : NULL;
    CHECK_MSG(ctx != NULL, "no GL 3.3 core context: %s", SDL_GetError());
    if (!ctx) {
        SDL_Quit();
        return check_done("render");
    }
    int dw = 0, dh = 0;
    SDL_GL_GetDrawableSize(win, &dw, &dh);
    CHECK_MSG(dw == TEST_W && dh == TEST_H, "drawable %dx%d", dw, dh);

    const char *out = test_out_dir();
    test_init_failures(out);

    char err[512];
    render_config cfg = test_config();
    bool ok = render_init(&cfg, err, sizeof err);
    CHECK_MSG(ok, "render_init: %s", err);
    if (ok) {
        test_text_metrics();
        test_text_on_demand();
        test_scene(out);
        test_alignment();
        test_batch_overflow();
        test_preview(out);
        SDL_GL_SwapWindow(win);
        render_shutdown();
        render_shutdown(); /* twice is harmless */
    }
    SDL_GL_DeleteContext(ctx);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return check_done("render");
}
