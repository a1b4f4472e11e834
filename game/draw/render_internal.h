/*
 * render_internal: what render.c (the atlas, GL, batching, the background
 * cache) and render_text.c (fonts, glyphs, UTF-8 text) share: the atlas
 * layout, the glyph tables and the renderer's state. Only game/draw's
 * render files include it.
 *
 * Threading contract: main thread only, like render.h.
 */
#ifndef LANARENA_RENDER_INTERNAL_H
#define LANARENA_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL_ttf.h>

#include "glload.h"
#include "render.h"

#define RENDER_ATLAS_W 1024
/* The height grows when render_set_text_scale needs room for bigger
 * glyphs (up to RENDER_ATLAS_H_MAX); 512 holds everything at scale 1. */
#define RENDER_ATLAS_H_MIN 512
#define RENDER_ATLAS_H_MAX 4096
#define RENDER_ATLAS_H (render_state.atlas_h)
#define RENDER_TEXT_SCALE_MIN 0.5f
#define RENDER_TEXT_SCALE_MAX 4.0f
#define RENDER_WHITE_PX 4
#define RENDER_BATCH_QUADS 4096 /* 16384 vertices: fits 16-bit indices */
#define RENDER_VBO_RING 3
#define RENDER_VBO_QUADS (2 * RENDER_BATCH_QUADS) /* per frame before it must orphan */
#define RENDER_MAX_FILE (1 << 20)
#define RENDER_GLYPH_FALLBACK '?'
#define RENDER_EXTRA_GLYPHS 1024 /* per font, beyond Latin-1; a power of two */

typedef struct {
    float x, y, u, v;
    uint8_t r, g, b, a;
} render_vertex;

typedef struct {
    bool present;         /* the font has it: it has an advance */
    int16_t x, y, w, h;   /* ink in the atlas; w == 0 for blank glyphs */
    int16_t dx, dy;       /* ink offset from the pen x and the line top */
    int16_t advance;
} render_glyph;

typedef struct {
    uint32_t cp;       /* 0: free slot */
    render_glyph glyph; /* present false: the font lacks it (drawn as a box) */
} render_extra_glyph;

typedef struct {
    render_glyph glyph[256]; /* by codepoint; 32..126 and 160..255 filled */
    int height;
    render_extra_glyph extra[RENDER_EXTRA_GLYPHS]; /* open addressing by codepoint */
    int extra_count;
} render_font_data;

typedef struct {
    int x, y, shelf_h;
} render_packer;

typedef struct {
    bool ready;
    GLuint program, ibo, atlas;
    GLuint vao[RENDER_VBO_RING], vbo[RENDER_VBO_RING];
    int ring;      /* this frame's vao/vbo */
    int vbo_quads; /* quads already in this frame's vbo */
    GLint u_viewport;
    float sprite_uv[RENDER_SPR_COUNT][4]; /* u0 v0 u1 v1 */
    float white_u, white_v;
    render_font_data fonts[RENDER_FONT_COUNT];
    int quad_count;
    int frame_draw_calls, frame_quads, frame_copies;
    int frame_w, frame_h;
    GLuint bg_fbo, bg_tex;
    int bg_w, bg_h;
    uint64_t bg_key, bg_pending_key;
    bool bg_valid;
    bool bg_due; /* draw the cached background before the next batch */
    render_stats last;
    int atlas_h;          /* RENDER_ATLAS_H */
    float text_scale;     /* glyphs are rasterised at render_font_px x this */
    char asset_dir[512], font_path[512]; /* to rebuild the atlas */
    TTF_Font *ttf[RENDER_FONT_COUNT];     /* open while ready: glyphs on demand */
    render_packer pk;                     /* where the next glyph goes */
    bool atlas_full_logged;
    render_vertex verts[RENDER_BATCH_QUADS * 4];
} render_globals;

/* The renderer's one state, render.c's; main thread only. */
extern render_globals render_state;

/* ---- render.c ---- */
void render_errorf(char *err, size_t err_cap, const char *fmt, ...);
/* A w x h place in the atlas, on the packer's shelves; false when full. */
bool render_pack(render_packer *p, int w, int h, int *out_x, int *out_y);
void render_quad(float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1, uint32_t rgba);
/* Draws the queued quads (before the atlas under them changes). */
void render_flush(void);
/* Copies w x h RGBA pixels into the atlas texture at x, y. */
void render_upload_region(int x, int y, int w, int h, const uint8_t *rgba);

/* ---- render_text.c ---- */
/* Opens the three fonts at render_state.text_scale and renders their
 * Latin-1 glyphs into atlas on pk's shelves; the fonts stay open for
 * glyphs drawn later. On failure the previous fonts stay. */
bool render_build_fonts(const char *font_path, uint8_t *atlas, render_packer *pk, char *err, size_t err_cap);

#endif
