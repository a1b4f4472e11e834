/*
 * render: the only module that calls OpenGL. A 2D quad batcher over one
 * RGBA texture atlas that holds the sprite frames (built from the text
 * pixel art in assets/), the glyphs of the UI font (rendered once with
 * SDL2_ttf) and a white texel for solid rectangles, so a whole frame is
 * normally one draw call. Shaders are loaded from shaders/.
 *
 * Threading contract: main thread only (it owns the GL context).
 *
 * Coordinates are window pixels, origin top-left. Colours are 0xRRGGBBAA.
 */
#ifndef LANARENA_RENDER_H
#define LANARENA_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

/* Sprite frames in the atlas. Left-facing frames are the right-facing
 * ones mirrored (render_sprite's flip). */
typedef enum {
    RENDER_SPR_DOWN_IDLE = 0,
    RENDER_SPR_DOWN_WALK1,
    RENDER_SPR_DOWN_WALK2,
    RENDER_SPR_UP_IDLE,
    RENDER_SPR_UP_WALK1,
    RENDER_SPR_UP_WALK2,
    RENDER_SPR_SIDE_IDLE,
    RENDER_SPR_SIDE_WALK1,
    RENDER_SPR_SIDE_WALK2,
    RENDER_SPR_GEM1,
    RENDER_SPR_GEM2,
    RENDER_SPR_WALL,
    RENDER_SPR_FLOOR,
    RENDER_SPR_COUNT
} render_sprite_id;

#define RENDER_SPRITE_PX 16 /* every sprite frame is 16x16 pixels */

typedef enum { RENDER_FONT_SMALL = 0, RENDER_FONT_MEDIUM, RENDER_FONT_LARGE, RENDER_FONT_COUNT } render_font;
typedef enum { RENDER_ALIGN_LEFT = 0, RENDER_ALIGN_CENTER, RENDER_ALIGN_RIGHT } render_align;

typedef struct {
    const char *asset_dir;  /* folder holding sprites.txt */
    const char *shader_dir; /* folder holding sprite.vert / sprite.frag */
    const char *font_path;  /* a TTF file (DejaVu Sans) */
} render_config;

typedef struct {
    int draw_calls;  /* in the last frame */
    int quads;
    int copies;      /* cached backgrounds drawn in the last frame (one quad each) */
} render_stats;

/* Call after the GL context is current. On failure writes a sentence to
 * err and returns false. */
bool render_init(const render_config *cfg, char *err, size_t err_cap);
void render_shutdown(void);

/* Starts a frame of w x h pixels (drawable size) and clears to rgba. */
void render_begin(int w, int h, uint32_t clear_rgba);
void render_rect(float x, float y, float w, float h, uint32_t rgba);
/* Draws a sprite frame scaled to size x size pixels, multiplied by tint.
 * The art is drawn in greys where a player's colour should show. */
void render_sprite(render_sprite_id id, float x, float y, float size, bool flip_x, uint32_t tint);
/* Draws UTF-8 text (glyphs outside the atlas show as '?'); returns width. */
float render_text(render_font font, const char *utf8, float x, float y, render_align align, uint32_t rgba);
float render_text_width(render_font font, const char *utf8);
float render_font_height(render_font font);
/* Text is rasterised at fixed pixel sizes (sharp, sampled 1:1); for a
 * bigger or smaller UI (HiDPI, a resized window) the glyphs are drawn
 * again at scale x those sizes (clamped to 0.5..4). Does nothing unless
 * the scale differs from the current one by more than 10%; true when it
 * rebuilt. Call between frames; it costs tens of milliseconds. */
bool render_set_text_scale(float scale);
float render_text_scale(void);
/* A cached background for what never changes (the arena): drawn once into
 * a copy of the frame, then copied into later frames instead of drawn,
 * because on a software rasteriser (llvmpipe) filling the screen with
 * quads costs far more than copying it. Call right after render_begin:
 * true means the background for key (anything that changes its look, e.g.
 * the layout) is already in the frame; false means draw it now and then
 * call render_background_end, which keeps a copy for next time. */
bool render_background_begin(uint64_t key);
void render_background_end(void);
/* Flushes the batch. */
void render_end(void);

render_stats render_get_stats(void);

/* Reads back the current framebuffer (call after render_end, before the
 * swap) and saves it as PNG. */
bool render_screenshot(const char *path, int w, int h, char *err, size_t err_cap);

#endif
