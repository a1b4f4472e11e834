/*
 * render_text: the game's text. The three sizes of DejaVu Sans are
 * rendered with SDL_ttf into the atlas at start (Latin-1) and any other
 * character the first time it is drawn; text is drawn as atlas quads,
 * one per glyph, from UTF-8. A character the font lacks is a hollow box.
 * See render.c for the atlas; this file makes no GL call of its own.
 */
#include "render_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sprite_art.h"

static const int render_font_px[RENDER_FONT_COUNT] = {14, 20, 40};

/* Renders one glyph, crops it to its ink and copies it into the atlas. */
static bool render_build_glyph(TTF_Font *font, const char *what, uint32_t cp, render_glyph *g, uint8_t *atlas,
                               render_packer *pk, char *err, size_t err_cap)
{
    int minx, maxx, miny, maxy, advance;
    if (!TTF_GlyphIsProvided32(font, cp) || TTF_GlyphMetrics32(font, cp, &minx, &maxx, &miny, &maxy, &advance) != 0)
        return true; /* not in the font: drawn as the fallback */
    g->present = true;
    g->advance = (int16_t)advance;

    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *raw = TTF_RenderGlyph32_Blended(font, cp, white);
    if (!raw)
        return true; /* blank glyphs (space) may have no surface: advance only */
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(raw);
    if (!s) {
        render_errorf(err, err_cap, "Cannot convert the %s glyph U+%04X: %s.", what, (unsigned)cp, SDL_GetError());
        return false;
    }

    int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
    const uint8_t *px = s->pixels;
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            if (px[y * s->pitch + x * 4 + 3] == 0)
                continue;
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
    }
    bool ok = true;
    if (x1 >= 0) {
        int w = x1 - x0 + 1, h = y1 - y0 + 1, ax, ay;
        ok = render_pack(pk, w, h, &ax, &ay);
        if (!ok)
            render_errorf(err, err_cap, "The %dx%d texture atlas is full (%s glyphs).", RENDER_ATLAS_W, RENDER_ATLAS_H,
                          what);
        uint8_t *ink = ok && !atlas ? malloc((size_t)w * (size_t)h * 4) : NULL;
        if (ok && !atlas && !ink) {
            render_errorf(err, err_cap, "Out of memory for a %s glyph.", what);
            ok = false;
        }
        if (ok) {
            /* Into the CPU atlas at init, else straight into the texture. */
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    uint8_t a = px[(y0 + y) * s->pitch + (x0 + x) * 4 + 3];
                    uint8_t *dst = atlas ? &atlas[((size_t)(ay + y) * RENDER_ATLAS_W + (size_t)(ax + x)) * 4]
                                         : &ink[((size_t)y * (size_t)w + (size_t)x) * 4];
                    dst[0] = dst[1] = dst[2] = 255;
                    dst[3] = a == SPRITE_ART_ALPHA_KEEP ? 255 : a;
                }
            }
            if (ink) {
                render_upload_region(ax, ay, w, h, ink);
                free(ink);
            }
            g->x = (int16_t)ax;
            g->y = (int16_t)ay;
            g->w = (int16_t)w;
            g->h = (int16_t)h;
            /* SDL_ttf starts a one-glyph surface at min(0, minx) from the
             * pen and at the line top. */
            g->dx = (int16_t)((minx < 0 ? minx : 0) + x0);
            g->dy = (int16_t)y0;
        }
    }
    SDL_FreeSurface(s);
    return ok;
}

static bool render_build_font(TTF_Font *font, const char *what, render_font_data *fd, uint8_t *atlas,
                              render_packer *pk, char *err, size_t err_cap)
{
    fd->height = TTF_FontHeight(font);
    for (uint32_t cp = 32; cp < 256; cp++) {
        if (cp > 126 && cp < 160)
            continue; /* DEL and the C1 controls have no glyphs */
        if (!render_build_glyph(font, what, cp, &fd->glyph[cp], atlas, pk, err, err_cap))
            return false;
    }
    if (!fd->glyph[RENDER_GLYPH_FALLBACK].present) {
        render_errorf(err, err_cap, "The font for %s text has no '?' glyph to stand in for missing ones.", what);
        return false;
    }
    return true;
}

/* DejaVu ships its bold face as a sibling file (DejaVuSans-Bold.ttf); use it
 * when it is there, else let SDL_ttf embolden the regular face. */
static TTF_Font *render_open_bold(const char *path, int px)
{
    char bold[1024];
    size_t n = strlen(path);
    if (n > 4 && n + 6 < sizeof bold && strcmp(path + n - 4, ".ttf") == 0) {
        snprintf(bold, sizeof bold, "%.*s-Bold.ttf", (int)(n - 4), path);
        TTF_Font *f = TTF_OpenFont(bold, px);
        if (f)
            return f;
    }
    TTF_Font *f = TTF_OpenFont(path, px);
    if (f)
        TTF_SetFontStyle(f, TTF_STYLE_BOLD);
    return f;
}

bool render_build_fonts(const char *font_path, uint8_t *atlas, render_packer *pk, char *err,
                               size_t err_cap)
{
    static const char *const names[RENDER_FONT_COUNT] = {"small", "medium", "large"};
    if (!TTF_WasInit() && TTF_Init() != 0) {
        render_errorf(err, err_cap, "SDL_ttf failed to start: %s.", TTF_GetError());
        return false;
    }
    TTF_Font *open[RENDER_FONT_COUNT] = {0};
    bool ok = true;
    for (int i = 0; ok && i < RENDER_FONT_COUNT; i++) {
        int px = (int)(render_font_px[i] * render_state.text_scale + 0.5f);
        open[i] = i == RENDER_FONT_LARGE ? render_open_bold(font_path, px) : TTF_OpenFont(font_path, px);
        if (!open[i]) {
            render_errorf(err, err_cap, "Cannot open the font %s: %s.", font_path, TTF_GetError());
            ok = false;
            break;
        }
        ok = render_build_font(open[i], names[i], &render_state.fonts[i], atlas, pk, err, err_cap);
    }
    /* The new fonts replace the old only when all of them built. */
    for (int i = 0; i < RENDER_FONT_COUNT; i++) {
        TTF_Font **keep = ok ? &render_state.ttf[i] : &open[i];
        if (*keep)
            TTF_CloseFont(*keep);
        if (ok)
            render_state.ttf[i] = open[i];
    }
    return ok;
}

/* Decodes one UTF-8 sequence and advances *s past it. Malformed input
 * (stray continuation bytes, overlong forms, surrogates, > U+10FFFF,
 * truncation) yields U+FFFD and consumes one byte, so decoding always
 * moves forward. */
static uint32_t render_utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int extra;
    uint32_t min;
    if (c < 0x80) {
        *s = p + 1;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        extra = 1, min = 0x80, c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2, min = 0x800, c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3, min = 0x10000, c &= 0x07;
    } else {
        *s = p + 1;
        return 0xFFFD;
    }
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *s = p + 1;
            return 0xFFFD;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *s = p + 1;
        return 0xFFFD;
    }
    *s = p + 1 + extra;
    return c;
}

/* The glyph for cp: Latin-1 from the table built at init, anything else
 * from the extra table, rendered into the atlas the first time. A glyph
 * with present false is drawn as a box the width of a digit. */
static const render_glyph *render_glyph_for(render_font font, uint32_t cp)
{
    render_font_data *fd = &render_state.fonts[font];
    if (cp < 256 && (fd->glyph[cp].present || cp < 32 || (cp > 126 && cp < 160)))
        return fd->glyph[cp].present ? &fd->glyph[cp] : &fd->glyph[RENDER_GLYPH_FALLBACK];
    static const render_glyph missing = {0};
    if (cp < 256)
        return &missing;
    uint32_t h = (cp * 2654435761u) & (RENDER_EXTRA_GLYPHS - 1);
    for (int probe = 0; probe < RENDER_EXTRA_GLYPHS; probe++) {
        render_extra_glyph *e = &fd->extra[(h + (uint32_t)probe) & (RENDER_EXTRA_GLYPHS - 1)];
        if (e->cp == cp)
            return &e->glyph;
        if (e->cp != 0)
            continue;
        /* A free slot: this character has not been drawn before. Three
         * quarters full is full, so probes stay short. */
        if (fd->extra_count >= RENDER_EXTRA_GLYPHS * 3 / 4 || !render_state.ttf[font])
            return &missing;
        e->cp = cp;
        fd->extra_count++;
        char err[160];
        render_flush(); /* queued quads may sample where the glyph goes */
        if (!render_build_glyph(render_state.ttf[font], "extra", cp, &e->glyph, NULL, &render_state.pk, err,
                                sizeof err)) {
            memset(&e->glyph, 0, sizeof e->glyph);
            if (!render_state.atlas_full_logged)
                log_warn("render: %s; further new characters are drawn as boxes", err);
            render_state.atlas_full_logged = true;
        }
        return &e->glyph;
    }
    return &missing;
}

/* A missing character's box: as wide as a digit, as tall as a capital. */
static int render_box_advance(const render_font_data *fd)
{
    return fd->glyph['0'].advance > 0 ? fd->glyph['0'].advance : fd->height / 2;
}

float render_text_width(render_font font, const char *utf8)
{
    if (!render_state.ready || !utf8 || (int)font < 0 || font >= RENDER_FONT_COUNT)
        return 0.0f;
    const render_font_data *fd = &render_state.fonts[font];
    const unsigned char *s = (const unsigned char *)utf8;
    int w = 0;
    while (*s) {
        const render_glyph *g = render_glyph_for(font, render_utf8_next(&s));
        w += g->present ? g->advance : render_box_advance(fd);
    }
    return (float)w;
}

float render_text(render_font font, const char *utf8, float x, float y, render_align align, uint32_t rgba)
{
    float w = render_text_width(font, utf8);
    if (w <= 0.0f)
        return w;
    const render_font_data *fd = &render_state.fonts[font];
    if (align == RENDER_ALIGN_CENTER)
        x -= w * 0.5f;
    else if (align == RENDER_ALIGN_RIGHT)
        x -= w;
    /* Whole pixels: glyphs are sampled 1:1 with GL_NEAREST, so a fractional
     * position would drop or double texel columns. */
    float pen = floorf(x + 0.5f), top = floorf(y + 0.5f);
    float iw = 1.0f / RENDER_ATLAS_W, ih = 1.0f / RENDER_ATLAS_H;
    const unsigned char *s = (const unsigned char *)utf8;
    while (*s) {
        const render_glyph *g = render_glyph_for(font, render_utf8_next(&s));
        if (!g->present) {
            /* A hollow box: four one-pixel (at scale) edges inside the advance. */
            float adv = (float)render_box_advance(fd), t = floorf(render_state.text_scale + 0.5f);
            float x0 = pen + 1.0f * t, x1 = pen + adv - 1.0f * t;
            float y0 = top + floorf(fd->height * 0.2f), y1 = top + floorf(fd->height * 0.8f);
            t = t < 1.0f ? 1.0f : t;
            render_rect(x0, y0, x1 - x0, t, rgba);
            render_rect(x0, y1 - t, x1 - x0, t, rgba);
            render_rect(x0, y0, t, y1 - y0, rgba);
            render_rect(x1 - t, y0, t, y1 - y0, rgba);
            pen += adv;
            continue;
        }
        if (g->w > 0) {
            float gx = pen + g->dx, gy = top + g->dy;
            render_quad(gx, gy, gx + g->w, gy + g->h, g->x * iw, g->y * ih, (g->x + g->w) * iw,
                        (g->y + g->h) * ih, rgba);
        }
        pen += g->advance;
    }
    return w;
}

float render_text_scale(void)
{
    return render_state.ready ? render_state.text_scale : 1.0f;
}

float render_font_height(render_font font)
{
    if (!render_state.ready || (int)font < 0 || font >= RENDER_FONT_COUNT)
        return 0.0f;
    return (float)render_state.fonts[font].height;
}
