/*
 * render: see render.h for the contract. The only file that calls OpenGL;
 * the text (fonts, glyphs, UTF-8) is render_text.c, which shares
 * render_internal.h with it.
 *
 * Atlas: one RENDER_ATLAS_W x RENDER_ATLAS_H RGBA8 texture, GL_NEAREST,
 * built once in render_init. Items are packed in shelves, left to right and
 * top to bottom, each inside a 1-texel transparent gutter so a sample at a
 * quad's edge never picks up its neighbour:
 *   - shelf 0: the 13 sprite frames in render_sprite_id order, frame i at
 *     texel (1 + 18 i, 1), then a 4x4 white block at (235, 1). Rects sample
 *     the centre of that block, so any colour is "white times colour".
 *   - from the next shelf down: the glyphs of RENDER_FONT_SMALL, MEDIUM and
 *     LARGE for U+0020..U+007E and U+00A0..U+00FF, cropped to their ink,
 *     white with coverage in alpha.
 *   - below them, any other character the first time it is drawn: the
 *     fonts stay open, and the glyph is rendered, packed on the same
 *     shelves and uploaded with glTexSubImage2D (RENDER_EXTRA_GLYPHS per
 *     font). A character the font lacks, or one that finds no room, is
 *     drawn as a hollow box, so it is visibly missing rather than "?".
 *
 * Tint convention (shared with sprite_art.h and shaders/sprite.frag): a
 * texel with alpha 254 keeps its own colour and is drawn opaque (outline,
 * skin, eyes, gems); every other texel is multiplied by the quad's colour.
 * Glyph coverage of exactly 254 is stored as 255 so text never hits the
 * marker.
 *
 * Batching: quads go into a preallocated vertex array; render_end (or a full
 * array) uploads it and draws it with one glDrawElementsBaseVertex over a
 * static index buffer. Uploads go to a ring of RENDER_VBO_RING buffers, one
 * per frame, appended at rising offsets within a frame, so a buffer is
 * rewritten only frames after the GPU read it: no stall, and no orphaning,
 * which on llvmpipe meant a fresh 640 KiB allocation on every flush.
 *
 * Background cache: render_background_end blits the frame so far into a
 * texture-backed FBO of the frame's size (once per layout); while the key
 * and size match, render_background_begin draws that texture as one
 * opaque quad instead of the arena's 1296 tiles. Through the same shader
 * with a white tint an RGB8 texel comes back unchanged, so the copy is
 * exact. On llvmpipe that one quad is still a pass over the frame (~3 ms
 * CPU at 1280x720 here) but a third of the tiles' cost, and unlike a
 * per-frame glBlitFramebuffer it makes Mesa allocate nothing.
 */
#include "render_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>
#include <SDL_ttf.h>

#include "glload.h"
#include "log.h"
#include "sprite_art.h"

static const char *const render_sprite_names[RENDER_SPR_COUNT] = {
    "down_idle", "down_walk1", "down_walk2", "up_idle", "up_walk1", "up_walk2", "side_idle",
    "side_walk1", "side_walk2", "gem1", "gem2", "wall", "floor",
};

render_globals render_state;

void render_errorf(char *err, size_t err_cap, const char *fmt, ...)
{
    if (!err || err_cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_cap, fmt, ap);
    va_end(ap);
}

static bool render_join(char *out, size_t cap, const char *dir, const char *name, char *err, size_t err_cap)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap) {
        render_errorf(err, err_cap, "The path %s/%s is too long.", dir, name);
        return false;
    }
    return true;
}

/* Whole file, NUL-terminated, malloc'd; *len excludes the NUL. */
static char *render_read_file(const char *path, size_t *len, char *err, size_t err_cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        render_errorf(err, err_cap, "Cannot open %s: %s.", path, strerror(errno));
        return NULL;
    }
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || size > RENDER_MAX_FILE || fseek(f, 0, SEEK_SET) != 0) {
        render_errorf(err, err_cap, size > RENDER_MAX_FILE ? "%s is larger than 1 MiB, too big to be what it should be."
                                                           : "Cannot read %s.",
                      path);
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)size, f) : 0;
    bool failed = !buf || n != (size_t)size;
    fclose(f);
    if (failed) {
        render_errorf(err, err_cap, buf ? "Cannot read %s." : "Out of memory while reading %s.", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- atlas building (CPU side) ---------------------------------------- */

bool render_pack(render_packer *p, int w, int h, int *out_x, int *out_y)
{
    int cw = w + 2, ch = h + 2; /* 1-texel gutter on every side */
    if (p->x + cw > RENDER_ATLAS_W) {
        p->y += p->shelf_h;
        p->x = 0;
        p->shelf_h = 0;
    }
    if (cw > RENDER_ATLAS_W || p->y + ch > RENDER_ATLAS_H)
        return false;
    *out_x = p->x + 1;
    *out_y = p->y + 1;
    p->x += cw;
    if (ch > p->shelf_h)
        p->shelf_h = ch;
    return true;
}

static void render_pack_new_shelf(render_packer *p)
{
    p->y += p->shelf_h;
    p->x = 0;
    p->shelf_h = 0;
}

static bool render_build_sprites(const render_config *cfg, uint8_t *atlas, render_packer *pk, char *err,
                                 size_t err_cap)
{
    char path[1024];
    if (!render_join(path, sizeof path, cfg->asset_dir, "sprites.txt", err, err_cap))
        return false;
    size_t len = 0;
    char *text = render_read_file(path, &len, err, err_cap);
    if (!text)
        return false;
    sprite_art *art = malloc(sizeof *art);
    char perr[256];
    bool ok = art && sprite_art_parse(text, len, art, perr, sizeof perr);
    free(text);
    if (!ok) {
        if (art)
            render_errorf(err, err_cap, "%s, %s.", path, perr);
        else
            render_errorf(err, err_cap, "Out of memory while loading %s.", path);
        free(art);
        return false;
    }
    for (int id = 0; id < RENDER_SPR_COUNT; id++) {
        int idx = sprite_art_find(art, render_sprite_names[id]);
        if (idx < 0) {
            render_errorf(err, err_cap, "%s has no frame named '%s'.", path, render_sprite_names[id]);
            free(art);
            return false;
        }
        int ax, ay;
        if (!render_pack(pk, RENDER_SPRITE_PX, RENDER_SPRITE_PX, &ax, &ay)) {
            render_errorf(err, err_cap, "The texture atlas is full (sprite frames).");
            free(art);
            return false;
        }
        for (int row = 0; row < RENDER_SPRITE_PX; row++)
            memcpy(&atlas[((size_t)(ay + row) * RENDER_ATLAS_W + (size_t)ax) * 4],
                   &art->frames[idx].rgba[row * RENDER_SPRITE_PX * 4], RENDER_SPRITE_PX * 4);
        render_state.sprite_uv[id][0] = (float)ax / RENDER_ATLAS_W;
        render_state.sprite_uv[id][1] = (float)ay / RENDER_ATLAS_H;
        render_state.sprite_uv[id][2] = (float)(ax + RENDER_SPRITE_PX) / RENDER_ATLAS_W;
        render_state.sprite_uv[id][3] = (float)(ay + RENDER_SPRITE_PX) / RENDER_ATLAS_H;
    }
    free(art);

    int wx, wy;
    if (!render_pack(pk, RENDER_WHITE_PX, RENDER_WHITE_PX, &wx, &wy)) {
        render_errorf(err, err_cap, "The texture atlas is full (white block).");
        return false;
    }
    for (int row = 0; row < RENDER_WHITE_PX; row++)
        memset(&atlas[((size_t)(wy + row) * RENDER_ATLAS_W + (size_t)wx) * 4], 255, RENDER_WHITE_PX * 4);
    /* The centre of the block: nearest sampling there can only hit white. */
    render_state.white_u = (wx + RENDER_WHITE_PX * 0.5f) / RENDER_ATLAS_W;
    render_state.white_v = (wy + RENDER_WHITE_PX * 0.5f) / RENDER_ATLAS_H;
    return true;
}

/* ---- GL objects --------------------------------------------------------- */

static GLuint render_compile_shader(GLenum type, const char *dir, const char *name, char *err, size_t err_cap)
{
    char path[1024];
    if (!render_join(path, sizeof path, dir, name, err, err_cap))
        return 0;
    size_t len = 0;
    char *src = render_read_file(path, &len, err, err_cap);
    if (!src)
        return 0;
    GLuint sh = glCreateShader(type);
    const GLchar *srcs[1] = {src};
    GLint lens[1] = {(GLint)len};
    glShaderSource(sh, 1, srcs, lens);
    glCompileShader(sh);
    free(src);
    GLint ok = GL_FALSE;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetShaderInfoLog(sh, sizeof log, NULL, log);
        size_t n = strlen(log);
        while (n > 0 && (log[n - 1] == '\n' || log[n - 1] == ' '))
            log[--n] = '\0';
        render_errorf(err, err_cap, "The shader %s failed to compile: %s", path, log);
        glDeleteShader(sh);
        return 0;
    }
    return sh;
}

static bool render_build_program(const char *shader_dir, char *err, size_t err_cap)
{
    GLuint vs = render_compile_shader(GL_VERTEX_SHADER, shader_dir, "sprite.vert", err, err_cap);
    if (!vs)
        return false;
    GLuint fs = render_compile_shader(GL_FRAGMENT_SHADER, shader_dir, "sprite.frag", err, err_cap);
    if (!fs) {
        glDeleteShader(vs);
        return false;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDeleteShader(vs); /* the program keeps them alive while attached */
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetProgramInfoLog(prog, sizeof log, NULL, log);
        render_errorf(err, err_cap, "The shaders in %s failed to link: %s", shader_dir, log);
        glDeleteProgram(prog);
        return false;
    }
    render_state.program = prog;
    render_state.u_viewport = glGetUniformLocation(prog, "u_viewport");
    glUseProgram(prog);
    glUniform1i(glGetUniformLocation(prog, "u_atlas"), 0);
    if (render_state.u_viewport < 0) {
        render_errorf(err, err_cap, "The vertex shader in %s has no u_viewport uniform.", shader_dir);
        return false;
    }
    return true;
}

static void render_build_buffers(void)
{
    static uint16_t indices[RENDER_BATCH_QUADS * 6];
    for (int q = 0; q < RENDER_BATCH_QUADS; q++) {
        uint16_t v = (uint16_t)(q * 4);
        uint16_t *i = &indices[q * 6];
        i[0] = v, i[1] = (uint16_t)(v + 1), i[2] = (uint16_t)(v + 2);
        i[3] = v, i[4] = (uint16_t)(v + 2), i[5] = (uint16_t)(v + 3);
    }
    glGenBuffers(1, &render_state.ibo);
    glGenVertexArrays(RENDER_VBO_RING, render_state.vao);
    glGenBuffers(RENDER_VBO_RING, render_state.vbo);
    for (int k = 0; k < RENDER_VBO_RING; k++) {
        glBindVertexArray(render_state.vao[k]);
        glBindBuffer(GL_ARRAY_BUFFER, render_state.vbo[k]);
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(RENDER_VBO_QUADS * 4 * sizeof(render_vertex)), NULL,
                     GL_STREAM_DRAW);
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, render_state.ibo); /* recorded in the VAO */
        if (k == 0)
            glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof indices, indices, GL_STATIC_DRAW);
        GLsizei stride = sizeof(render_vertex);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(render_vertex, x));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (const void *)offsetof(render_vertex, u));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (const void *)offsetof(render_vertex, r));
    }
}

static void render_upload_atlas(const uint8_t *atlas)
{
    glGenTextures(1, &render_state.atlas);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, render_state.atlas);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, RENDER_ATLAS_W, RENDER_ATLAS_H, 0, GL_RGBA, GL_UNSIGNED_BYTE, atlas);
    /* Nearest keeps pixel art crisp and keeps alpha 254 exact for the shader. */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

bool render_init(const render_config *cfg, char *err, size_t err_cap)
{
    if (err && err_cap > 0)
        err[0] = '\0';
    if (!glload_init(err, err_cap))
        return false;
    render_shutdown();
    if (!cfg || !cfg->asset_dir || !cfg->shader_dir || !cfg->font_path) {
        render_errorf(err, err_cap, "render_init needs asset_dir, shader_dir and font_path.");
        return false;
    }
    const char *version = (const char *)glGetString(GL_VERSION);
    if (!version) {
        render_errorf(err, err_cap, "render_init was called without a current OpenGL context.");
        return false;
    }
    while (glGetError() != GL_NO_ERROR) {
        /* drop errors left by others so the check below blames us only */
    }

    render_state.atlas_h = RENDER_ATLAS_H_MIN;
    render_state.text_scale = 1.0f;
    snprintf(render_state.asset_dir, sizeof render_state.asset_dir, "%s", cfg->asset_dir);
    snprintf(render_state.font_path, sizeof render_state.font_path, "%s", cfg->font_path);
    uint8_t *atlas = calloc((size_t)RENDER_ATLAS_W * RENDER_ATLAS_H, 4);
    if (!atlas) {
        render_errorf(err, err_cap, "Out of memory for the %dx%d texture atlas.", RENDER_ATLAS_W, RENDER_ATLAS_H);
        return false;
    }
    render_packer pk = {0, 0, 0};
    bool ok = render_build_sprites(cfg, atlas, &pk, err, err_cap);
    if (ok) {
        render_pack_new_shelf(&pk);
        ok = render_build_fonts(cfg->font_path, atlas, &pk, err, err_cap);
    }
    ok = ok && render_build_program(cfg->shader_dir, err, err_cap);
    if (ok) {
        render_upload_atlas(atlas);
        render_build_buffers();
        GLenum e = glGetError();
        if (e != GL_NO_ERROR) {
            render_errorf(err, err_cap, "OpenGL error 0x%04x while creating the renderer (GL %s).", e, version);
            ok = false;
        }
    }
    free(atlas);
    if (!ok) {
        render_shutdown();
        return false;
    }
    render_state.pk = pk;
    render_state.ready = true;
    log_debug("render: GL %s, atlas rows 0..%d of %d in use", version, pk.y + pk.shelf_h, RENDER_ATLAS_H);
    return true;
}

void render_shutdown(void)
{
    /* Safe after a failed or partial init: glDelete* ignores name 0. */
    if (render_state.program)
        glDeleteProgram(render_state.program);
    glDeleteBuffers(RENDER_VBO_RING, render_state.vbo);
    if (render_state.ibo)
        glDeleteBuffers(1, &render_state.ibo);
    glDeleteVertexArrays(RENDER_VBO_RING, render_state.vao);
    if (render_state.atlas)
        glDeleteTextures(1, &render_state.atlas);
    if (render_state.bg_fbo)
        glDeleteFramebuffers(1, &render_state.bg_fbo);
    if (render_state.bg_tex)
        glDeleteTextures(1, &render_state.bg_tex);
    for (int i = 0; i < RENDER_FONT_COUNT; i++)
        if (render_state.ttf[i])
            TTF_CloseFont(render_state.ttf[i]);
    if (TTF_WasInit())
        TTF_Quit();
    memset(&render_state, 0, sizeof render_state);
}

/* ---- per frame ---------------------------------------------------------- */

/* Uploads quads into this frame's buffer and draws them: one draw call. */
static void render_draw(const render_vertex *verts, int quads)
{
    size_t vsize = 4 * sizeof(render_vertex);
    glBindBuffer(GL_ARRAY_BUFFER, render_state.vbo[render_state.ring]);
    if (render_state.vbo_quads + quads > RENDER_VBO_QUADS) {
        /* A frame past the buffer: orphan rather than overwrite what an
         * earlier draw of this frame may still be reading. */
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(RENDER_VBO_QUADS * vsize), NULL, GL_STREAM_DRAW);
        render_state.vbo_quads = 0;
    }
    glBufferSubData(GL_ARRAY_BUFFER, (GLintptr)(render_state.vbo_quads * vsize), (GLsizeiptr)(quads * vsize),
                    verts);
    glDrawElementsBaseVertex(GL_TRIANGLES, quads * 6, GL_UNSIGNED_SHORT, NULL, render_state.vbo_quads * 4);
    render_state.vbo_quads += quads;
    render_state.frame_draw_calls++;
}

void render_flush(void)
{
    if (render_state.bg_due) {
        /* The cached background, one opaque quad over the frame. GL rows
         * run bottom-up, so the top of the screen is v = 1. */
        render_state.bg_due = false;
        float w = (float)render_state.frame_w, h = (float)render_state.frame_h;
        const render_vertex bg[4] = {{0, 0, 0, 1, 255, 255, 255, 255}, {w, 0, 1, 1, 255, 255, 255, 255},
                                     {w, h, 1, 0, 255, 255, 255, 255}, {0, h, 0, 0, 255, 255, 255, 255}};
        glBindTexture(GL_TEXTURE_2D, render_state.bg_tex);
        glDisable(GL_BLEND); /* opaque: cheaper, and exact */
        render_draw(bg, 1);
        glEnable(GL_BLEND);
        glBindTexture(GL_TEXTURE_2D, render_state.atlas);
    }
    if (render_state.quad_count == 0)
        return;
    render_draw(render_state.verts, render_state.quad_count);
    render_state.quad_count = 0;
}

void render_upload_region(int x, int y, int w, int h, const uint8_t *rgba)
{
    glBindTexture(GL_TEXTURE_2D, render_state.atlas);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
}

void render_quad(float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1,
                        uint32_t rgba)
{
    if (render_state.quad_count == RENDER_BATCH_QUADS)
        render_flush();
    render_vertex *v = &render_state.verts[render_state.quad_count * 4];
    uint8_t r = (uint8_t)(rgba >> 24), g = (uint8_t)(rgba >> 16), b = (uint8_t)(rgba >> 8), a = (uint8_t)rgba;
    v[0] = (render_vertex){x0, y0, u0, v0, r, g, b, a};
    v[1] = (render_vertex){x1, y0, u1, v0, r, g, b, a};
    v[2] = (render_vertex){x1, y1, u1, v1, r, g, b, a};
    v[3] = (render_vertex){x0, y1, u0, v1, r, g, b, a};
    render_state.quad_count++;
    render_state.frame_quads++;
}

void render_begin(int w, int h, uint32_t clear_rgba)
{
    if (!render_state.ready)
        return;
    render_state.quad_count = 0;
    render_state.frame_draw_calls = 0;
    render_state.frame_quads = 0;
    render_state.frame_copies = 0;
    render_state.frame_w = w;
    render_state.frame_h = h;
    render_state.ring = (render_state.ring + 1) % RENDER_VBO_RING;
    render_state.vbo_quads = 0;
    render_state.bg_due = false;
    glViewport(0, 0, w, h);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    /* Straight alpha; destination alpha accumulates as "over" so the
     * framebuffer stays opaque over an opaque clear. */
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glClearColor((float)(clear_rgba >> 24 & 0xFF) / 255.0f, (float)(clear_rgba >> 16 & 0xFF) / 255.0f,
                 (float)(clear_rgba >> 8 & 0xFF) / 255.0f, (float)(clear_rgba & 0xFF) / 255.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glUseProgram(render_state.program);
    glUniform2f(render_state.u_viewport, (float)(w > 0 ? w : 1), (float)(h > 0 ? h : 1));
    glBindVertexArray(render_state.vao[render_state.ring]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, render_state.atlas);
}

void render_rect(float x, float y, float w, float h, uint32_t rgba)
{
    if (!render_state.ready)
        return;
    float u = render_state.white_u, v = render_state.white_v;
    render_quad(x, y, x + w, y + h, u, v, u, v, rgba);
}

void render_sprite(render_sprite_id id, float x, float y, float size, bool flip_x, uint32_t tint)
{
    if (!render_state.ready || (int)id < 0 || id >= RENDER_SPR_COUNT)
        return;
    const float *uv = render_state.sprite_uv[id];
    float u0 = flip_x ? uv[2] : uv[0], u1 = flip_x ? uv[0] : uv[2];
    render_quad(x, y, x + size, y + size, u0, uv[1], u1, uv[3], tint);
}

/* Rebuilds sprites and glyphs into a fresh atlas, as tall as needed, and
 * re-specifies the texture. On failure everything stays as it was. */
bool render_set_text_scale(float scale)
{
    if (!render_state.ready || !(scale > 0))
        return false;
    if (scale < RENDER_TEXT_SCALE_MIN)
        scale = RENDER_TEXT_SCALE_MIN;
    if (scale > RENDER_TEXT_SCALE_MAX)
        scale = RENDER_TEXT_SCALE_MAX;
    float cur = render_state.text_scale;
    /* Within 10%: not worth a rebuild (a window being dragged would
     * otherwise rebuild every frame). */
    if (scale >= cur / 1.1f && scale <= cur * 1.1f)
        return false;
    render_flush(); /* queued quads refer to the old atlas */
    float old_sprite_uv[RENDER_SPR_COUNT][4];
    static render_font_data old_fonts[RENDER_FONT_COUNT]; /* large: kept off the stack */
    memcpy(old_sprite_uv, render_state.sprite_uv, sizeof old_sprite_uv);
    memcpy(old_fonts, render_state.fonts, sizeof old_fonts);
    float old_white_u = render_state.white_u, old_white_v = render_state.white_v;
    int old_h = render_state.atlas_h;
    render_config cfg = {.asset_dir = render_state.asset_dir, .font_path = render_state.font_path};
    char err[256] = "";
    for (int h = RENDER_ATLAS_H_MIN; h <= RENDER_ATLAS_H_MAX; h *= 2) {
        uint8_t *atlas = calloc((size_t)RENDER_ATLAS_W * (size_t)h, 4);
        if (!atlas)
            break;
        render_state.atlas_h = h;
        render_state.text_scale = scale;
        memset(render_state.fonts, 0, sizeof render_state.fonts);
        render_packer pk = {0, 0, 0};
        bool ok = render_build_sprites(&cfg, atlas, &pk, err, sizeof err);
        if (ok) {
            render_pack_new_shelf(&pk);
            ok = render_build_fonts(cfg.font_path, atlas, &pk, err, sizeof err);
        }
        if (ok) {
            glBindTexture(GL_TEXTURE_2D, render_state.atlas);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, RENDER_ATLAS_W, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, atlas);
            free(atlas);
            render_state.pk = pk;
            log_debug("render: text scale %.2f, atlas %dx%d", scale, RENDER_ATLAS_W, h);
            return true;
        }
        free(atlas);
    }
    log_warn("render: cannot rebuild the text at scale %.2f (%s); keeping scale %.2f", scale, err, cur);
    memcpy(render_state.sprite_uv, old_sprite_uv, sizeof old_sprite_uv);
    memcpy(render_state.fonts, old_fonts, sizeof old_fonts);
    render_state.white_u = old_white_u;
    render_state.white_v = old_white_v;
    render_state.atlas_h = old_h;
    render_state.text_scale = cur;
    return false;
}

bool render_background_begin(uint64_t key)
{
    if (!render_state.ready)
        return false;
    render_flush(); /* whatever came first stays underneath */
    int w = render_state.frame_w, h = render_state.frame_h;
    if (render_state.bg_valid && render_state.bg_key == key && render_state.bg_w == w && render_state.bg_h == h) {
        /* Drawn by the next flush, ahead of the batch: building the rest
         * of the frame then makes no GL call at all. */
        render_state.bg_due = true;
        render_state.frame_copies++;
        return true;
    }
    render_state.bg_pending_key = key;
    return false;
}

void render_background_end(void)
{
    if (!render_state.ready)
        return;
    render_flush();
    int w = render_state.frame_w, h = render_state.frame_h;
    render_state.bg_valid = false;
    if (w <= 0 || h <= 0)
        return;
    if (!render_state.bg_fbo)
        glGenFramebuffers(1, &render_state.bg_fbo);
    if (!render_state.bg_tex || render_state.bg_w != w || render_state.bg_h != h) {
        if (!render_state.bg_tex)
            glGenTextures(1, &render_state.bg_tex);
        glBindTexture(GL_TEXTURE_2D, render_state.bg_tex);
        /* No alpha, so the tint shader reads every texel as opaque and
         * never as a "keep" texel (alpha 254). */
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, w, h, 0, GL_BGRA, GL_UNSIGNED_INT_8_8_8_8_REV, NULL);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glBindTexture(GL_TEXTURE_2D, render_state.atlas); /* the batch samples the atlas */
        glBindFramebuffer(GL_FRAMEBUFFER, render_state.bg_fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, render_state.bg_tex, 0);
        bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        if (!complete) {
            log_warn("render: the background cache is not usable; drawing the arena every frame");
            return;
        }
        render_state.bg_w = w;
        render_state.bg_h = h;
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, render_state.bg_fbo);
    glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    render_state.bg_key = render_state.bg_pending_key;
    render_state.bg_valid = true;
}

void render_end(void)
{
    if (!render_state.ready)
        return;
    render_flush();
    render_state.last.draw_calls = render_state.frame_draw_calls;
    render_state.last.quads = render_state.frame_quads;
    render_state.last.copies = render_state.frame_copies;
}

render_stats render_get_stats(void)
{
    return render_state.last;
}

bool render_screenshot(const char *path, int w, int h, char *err, size_t err_cap)
{
    if (!render_state.ready) {
        render_errorf(err, err_cap, "The renderer is not initialised, so there is nothing to capture.");
        return false;
    }
    if (w <= 0 || h <= 0 || w > 16384 || h > 16384) {
        render_errorf(err, err_cap, "Cannot capture a %dx%d screenshot.", w, h);
        return false;
    }
    size_t row = (size_t)w * 4;
    uint8_t *pixels = malloc(row * (size_t)h);
    uint8_t *flipped = malloc(row * (size_t)h);
    if (!pixels || !flipped) {
        free(pixels);
        free(flipped);
        render_errorf(err, err_cap, "Out of memory for a %dx%d screenshot.", w, h);
        return false;
    }
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    GLenum e = glGetError();
    /* GL rows run bottom-up; PNG rows top-down. The screen is opaque, so
     * the PNG is too, whatever alpha the framebuffer happens to hold. */
    for (int y = 0; y < h; y++) {
        uint8_t *dst = flipped + (size_t)y * row;
        memcpy(dst, pixels + (size_t)(h - 1 - y) * row, row);
        for (int x = 0; x < w; x++)
            dst[x * 4 + 3] = 255;
    }
    free(pixels);
    bool ok = false;
    if (e != GL_NO_ERROR) {
        render_errorf(err, err_cap, "glReadPixels failed with OpenGL error 0x%04x.", e);
    } else {
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(flipped, w, h, 32, (int)row, SDL_PIXELFORMAT_RGBA32);
        if (!s) {
            render_errorf(err, err_cap, "Cannot wrap the screenshot in an SDL surface: %s.", SDL_GetError());
        } else if (IMG_SavePNG(s, path) != 0) {
            render_errorf(err, err_cap, "Cannot save the screenshot to %s: %s.", path, IMG_GetError());
        } else {
            ok = true;
        }
        SDL_FreeSurface(s);
    }
    free(flipped);
    return ok;
}
