#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hud.h"
#include "render.h"

static const uint32_t draw_palette[DRAW_PALETTE_SIZE] = {
    0xE8483FFF, 0x3F8FE8FF, 0x4CC94CFF, 0xF2C230FF, 0xB35CE0FF, 0x39C9C0FF, 0xF2872EFF, 0xE85CA8FF,
    0x9BD93FFF, 0x5C6BE0FF, 0xD9D9D9FF, 0x8C5A3CFF, 0x2EA36BFF, 0xC93F6BFF, 0x6BB5F2FF, 0xB5A36BFF,
};

uint32_t draw_player_colour(uint8_t colour)
{
    return draw_palette[colour % DRAW_PALETTE_SIZE];
}

typedef struct {
    float ox, oy, scale; /* arena pixel -> screen pixel */
} draw_xform;

static draw_xform draw_fit(const draw_frame *f)
{
    float top = 34.0f * f->ui_scale, bottom = 26.0f * f->ui_scale;
    float sx = (float)f->w / SIM_ARENA_W;
    float sy = ((float)f->h - top - bottom) / SIM_ARENA_H;
    draw_xform x;
    x.scale = sx < sy ? sx : sy;
    x.ox = ((float)f->w - SIM_ARENA_W * x.scale) * 0.5f;
    x.oy = top + (((float)f->h - top - bottom) - SIM_ARENA_H * x.scale) * 0.5f;
    return x;
}

void draw_to_screen(const draw_frame *f, float ax, float ay, float *sx, float *sy, float *scale)
{
    draw_xform x = draw_fit(f);
    *sx = x.ox + ax * x.scale;
    *sy = x.oy + ay * x.scale;
    *scale = x.scale;
}

void draw_clock(uint32_t seconds, char *out, size_t cap)
{
    snprintf(out, cap, "%u:%02u", seconds / 60, seconds % 60);
}

static void draw_arena(const draw_xform *x)
{
    float t = SIM_TILE * x->scale;
    for (int ty = 0; ty < SIM_MAP_H; ty++) {
        for (int tx = 0; tx < SIM_MAP_W; tx++) {
            render_sprite_id id = sim_is_wall(tx, ty) ? RENDER_SPR_WALL : RENDER_SPR_FLOOR;
            /* +0.5 px overlap hides seams from non-integer scales. */
            render_sprite(id, x->ox + tx * t, x->oy + ty * t, t + 0.5f, false, 0xFFFFFFFF);
        }
    }
}

static render_sprite_id draw_player_frame(const sim_player *p, bool *flip)
{
    int walk = 0;
    if (p->moving)
        walk = 1 + (p->step / 8) % 2; /* 7.5 steps a second at 60 Hz */
    *flip = p->facing == SIM_FACE_LEFT;
    switch (p->facing) {
    case SIM_FACE_UP:
        return (render_sprite_id)(RENDER_SPR_UP_IDLE + walk);
    case SIM_FACE_LEFT:
    case SIM_FACE_RIGHT:
        return (render_sprite_id)(RENDER_SPR_SIDE_IDLE + walk);
    default:
        return (render_sprite_id)(RENDER_SPR_DOWN_IDLE + walk);
    }
}

static float draw_measure_small(const char *utf8, void *ctx)
{
    (void)ctx;
    return render_text_width(RENDER_FONT_SMALL, utf8);
}

static void draw_hud(const draw_frame *f, const client_view *v)
{
    float s = f->ui_scale, pad = 10 * s;
    render_rect(0, 0, (float)f->w, 30 * s, 0x101418E0);
    /* Who hosts, when it is not us: the top bar says so (it changes when
     * the host leaves and a successor takes over). */
    int host = -1;
    for (int i = 0; i < SIM_MAX_PLAYERS && host < 0 && !f->host_info; i++)
        if (v->players[i].present && v->players[i].is_host)
            host = i;
    char hosted[96] = "LAN Arena";
    if (host >= 0)
        snprintf(hosted, sizeof hosted, "Hosted by %s", host == v->my_id ? "you" : v->players[host].name);

    static hud_player players[SIM_MAX_PLAYERS];
    static const char *names[SIM_MAX_PLAYERS];
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const client_player *p = &v->players[i];
        names[i] = p->name;
        if (p->present)
            players[n++] = (hud_player){.id = i, .score = p->state.score, .me = i == v->my_id, .host = p->is_host};
    }
    static hud_topbar bar;
    hud_topbar_layout(players, n, names, f->host_info ? f->host_info : hosted, (float)f->w, pad, 12 * s,
                      draw_measure_small, NULL, &bar);
    render_text(RENDER_FONT_SMALL, bar.info, pad, 7 * s, RENDER_ALIGN_LEFT, f->host_info ? 0xF2E6A0FF : 0xC8D0D8FF);
    for (int k = 0; k < bar.count; k++) {
        const hud_entry *e = &bar.entries[k];
        bool me = e->id == v->my_id;
        if (me) /* your own score on a lighter plate, so it is found at a glance */
            render_rect(e->right - e->width - 4 * s, 4 * s, e->width + 8 * s, 22 * s, 0xFFFFFF30);
        float w = render_text(RENDER_FONT_SMALL, e->label, e->right, 7 * s, RENDER_ALIGN_RIGHT,
                              me ? 0xFFFFFFFF : 0xC8D0D8FF);
        render_rect(e->right - w - 12 * s, 11 * s, 8 * s, 8 * s, draw_player_colour(v->players[e->id].colour));
    }
    /* The match in the middle of the bar: phase, round and clock. */
    const client_match *m = &v->match;
    if (m->known) {
        char clock[16], line[96];
        uint32_t left = client_match_seconds_left(v, f->now_us);
        draw_clock(left, clock, sizeof clock);
        if (m->phase == SIM_PHASE_WARMUP)
            snprintf(line, sizeof line, "Warmup - round %u %s", m->round,
                     left ? "starts soon" : f->host_info ? "starts with 2 players (F5: start now)" : "starts with 2 players");
        else if (m->phase == SIM_PHASE_PLAYING && m->left)
            snprintf(line, sizeof line, "Round %u   %s", m->round, clock);
        else if (m->phase == SIM_PHASE_PLAYING)
            snprintf(line, sizeof line, "Round %u   first to %u", m->round, m->score_limit);
        else
            snprintf(line, sizeof line, "Round %u over - next in %s", m->round, clock);
        /* Under the bar, so it never meets the scores in it. */
        uint32_t col = m->phase == SIM_PHASE_PLAYING && m->left && left <= 10 ? 0xFF7060FF : 0xF2E6A0FF;
        float tw = render_text_width(RENDER_FONT_SMALL, line), th = render_font_height(RENDER_FONT_SMALL);
        render_rect((float)f->w * 0.5f - tw / 2 - 8 * s, 30 * s, tw + 16 * s, th + 6 * s, 0x101418E0);
        render_text(RENDER_FONT_SMALL, line, (float)f->w * 0.5f, 33 * s, RENDER_ALIGN_CENTER, col);
    }
    render_text(RENDER_FONT_SMALL, "WASD / arrows / pad: move   Space / Shift / pad A: dash   Enter: chat   Tab: scores   Esc: menu",
                (float)f->w * 0.5f, (float)f->h - 22 * s, RENDER_ALIGN_CENTER, 0x8C98A4FF);
}

typedef struct {
    float x, y, w, h;
} draw_tag;

static bool draw_tag_overlaps(const draw_tag *t, const draw_tag *placed, int n)
{
    for (int i = 0; i < n; i++) {
        const draw_tag *o = &placed[i];
        if (t->x < o->x + o->w && o->x < t->x + t->w && t->y < o->y + o->h && o->y < t->y + t->h)
            return true;
    }
    return false;
}

void draw_world(const draw_frame *f, const client_view *v)
{
    draw_xform x = draw_fit(f);
    /* The arena never changes: drawn once per layout, copied after that. */
    uint32_t scale_bits;
    memcpy(&scale_bits, &f->ui_scale, sizeof scale_bits);
    uint64_t key = (uint64_t)(uint32_t)f->w << 40 ^ (uint64_t)(uint32_t)f->h << 20 ^ scale_bits;
    if (!render_background_begin(key)) {
        draw_arena(&x);
        render_background_end();
    }

    render_sprite_id gem = (f->now_us / 250000) % 2 ? RENDER_SPR_GEM2 : RENDER_SPR_GEM1;
    for (int i = 0; i < v->gem_count; i++) {
        float size = RENDER_SPRITE_PX * x.scale;
        render_sprite(gem, x.ox + v->gems[i].x * x.scale - size / 2, x.oy + v->gems[i].y * x.scale - size / 2, size,
                      false, 0xFFFFFFFF);
    }

    /* Players, then all name tags so no sprite covers a name. */
    float size = RENDER_SPRITE_PX * x.scale * 1.5f;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const client_player *p = &v->players[i];
        if (!p->present || !p->seen || !p->state.active)
            continue;
        bool flip;
        render_sprite_id fr = draw_player_frame(&p->shown, &flip);
        float cx = x.ox + p->draw_x * x.scale, cy = x.oy + p->draw_y * x.scale;
        uint32_t colour = draw_player_colour(p->colour);
        if (i == v->my_id) {
            /* You: a bright ring on the floor under your feet. */
            float r = size * 0.42f, t = 2.0f * f->ui_scale;
            render_rect(cx - r, cy + size * 0.22f, 2 * r, t, 0xFFE040FF);
            render_rect(cx - r, cy + size * 0.22f + size * 0.14f, 2 * r, t, 0xFFE040FF);
            render_rect(cx - r, cy + size * 0.22f, t, size * 0.14f + t, 0xFFE040FF);
            render_rect(cx + r - t, cy + size * 0.22f, t, size * 0.14f + t, 0xFFE040FF);
        }
        /* A dark rim keeps every colour readable on the floor. */
        render_rect(cx - size * 0.3f, cy + size * 0.26f, size * 0.6f, size * 0.14f, 0x000000A0);
        if (p->shown.dash > 0 || p->state.dash > 0) {
            /* A dash leaves two fading copies behind it. */
            float dx = (float)p->state.vx / SIM_FP * x.scale, dy = (float)p->state.vy / SIM_FP * x.scale;
            for (int k = 2; k >= 1; k--)
                render_sprite(fr, cx - size / 2 - dx * 2.0f * (float)k, cy - size * 0.62f - dy * 2.0f * (float)k,
                              size, flip, (colour & 0xFFFFFF00) | (uint32_t)(0x50 / k));
        }
        if (p->state.stun > 0 && (f->now_us / 60000) % 2)
            colour = 0xFFFFFFFF; /* knocked: flickers white */
        render_sprite(fr, cx - size / 2, cy - size * 0.62f, size, flip, colour);
    }
    /* Tags: yours first, then by id; a tag that would overlap one
     * already placed moves up a row, and after two rows it is left out
     * rather than piled on. */
    static draw_tag placed[SIM_MAX_PLAYERS];
    int n_placed = 0;
    float fh = render_font_height(RENDER_FONT_SMALL);
    for (int k = -1; k < SIM_MAX_PLAYERS; k++) {
        int i = k < 0 ? v->my_id : k;
        if (i < 0 || i >= SIM_MAX_PLAYERS || (k >= 0 && i == v->my_id))
            continue;
        const client_player *p = &v->players[i];
        if (!p->present || !p->seen || !p->state.active)
            continue;
        float cx = x.ox + p->draw_x * x.scale, cy = x.oy + p->draw_y * x.scale;
        /* A player the host cannot hear: the tag fades and trails off. */
        char tag[PROTO_NAME_WIRE_MAX + 8];
        snprintf(tag, sizeof tag, "%s%s", p->name, p->silent ? " ..." : "");
        float w = render_text_width(RENDER_FONT_SMALL, tag) + 6;
        draw_tag t = {cx - w / 2, cy - size * 0.62f - fh - 1, w, fh};
        /* Kept inside the window. */
        if (t.x < 0)
            t.x = 0;
        if (t.x + t.w > (float)f->w)
            t.x = (float)f->w - t.w;
        if (t.y < 32 * f->ui_scale)
            t.y = 32 * f->ui_scale;
        int tries = 0;
        while (tries < 3 && draw_tag_overlaps(&t, placed, n_placed)) {
            t.y -= fh;
            tries++;
        }
        if (tries == 3)
            continue;
        placed[n_placed++] = t;
        bool me = i == v->my_id;
        render_rect(t.x, t.y, t.w, t.h, p->silent ? 0x00000030 : me ? 0xFFE040E0 : 0x000000B0);
        render_rect(t.x, t.y + t.h - 2, t.w, 2, draw_player_colour(p->colour));
        render_text(RENDER_FONT_SMALL, tag, t.x + t.w / 2, t.y, RENDER_ALIGN_CENTER,
                    p->silent ? 0xE6E6E670 : me ? 0x101418FF : 0xF0F0F0FF);
    }
    draw_hud(f, v);
}

void draw_link_banner(const draw_frame *f, const client_link *l)
{
    char line[400];
    unsigned secs = (l->left_ms + 999) / 1000;
    switch (l->state) {
    case CLIENT_LINK_OK:
        return;
    case CLIENT_LINK_QUIET:
        snprintf(line, sizeof line, "Connection problem - waiting for the host (%u s)", secs);
        break;
    case CLIENT_LINK_REJOINING:
        snprintf(line, sizeof line, "Reconnecting to %s... (%u s)", l->host_addr, secs);
        break;
    case CLIENT_LINK_MIGRATING:
        snprintf(line, sizeof line, "The host left - moving the game to %s... (%u s)", l->host_addr, secs);
        break;
    }
    float s = f->ui_scale, h = render_font_height(RENDER_FONT_SMALL) + 16 * s;
    float y = (float)f->h * 0.5f - h * 0.5f;
    render_rect(0, y, (float)f->w, h, 0x000000B0);
    render_text(RENDER_FONT_SMALL, line, (float)f->w * 0.5f, y + 8 * s, RENDER_ALIGN_CENTER, 0xFFD27AFF);
}
