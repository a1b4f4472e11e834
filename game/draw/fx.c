#include "fx.h"

#include <stdio.h>
#include <string.h>

#include "render.h"
#include "scoreboard.h"

void fx_init(fx_state *s)
{
    memset(s, 0, sizeof *s);
}

static void fx_add(fx_state *s, uint8_t kind, float x, float y, bool mine, uint64_t now_us)
{
    s->effects[s->next] = (fx_effect){.kind = kind, .x = x, .y = y, .at_us = now_us, .mine = mine};
    s->next = (s->next + 1) % FX_MAX;
}

void fx_feed_add(fx_state *s, const char *text, uint32_t colour, uint64_t now_us)
{
    if (s->feed_count == FX_FEED_LINES) {
        memmove(s->feed, s->feed + 1, sizeof s->feed[0] * (FX_FEED_LINES - 1));
        s->feed_count--;
    }
    fx_line *l = &s->feed[s->feed_count++];
    snprintf(l->text, sizeof l->text, "%s", text);
    l->colour = colour;
    l->at_us = now_us;
}

int fx_feed_visible(const fx_state *s, uint64_t now_us, const fx_line **out, int cap)
{
    int n = 0;
    for (int i = 0; i < s->feed_count && n < cap; i++)
        if (now_us < s->feed[i].at_us + FX_FEED_US)
            out[n++] = &s->feed[i];
    return n;
}

int fx_live(const fx_state *s, uint64_t now_us)
{
    int n = 0;
    for (int i = 0; i < FX_MAX; i++) {
        const fx_effect *e = &s->effects[i];
        uint64_t life = e->kind == FX_SPARKLE ? FX_SPARKLE_US : e->kind == FX_GO ? 1000000 : FX_FLASH_US;
        n += e->kind && now_us < e->at_us + life;
    }
    return n;
}

static const char *fx_name(const client_view *v, int id)
{
    if (id < 0 || id >= SIM_MAX_PLAYERS || !v->players[id].present)
        return "someone";
    return v->players[id].name;
}

void fx_event(fx_state *s, const client_event *e, const client_view *v, uint64_t now_us)
{
    char line[96];
    switch (e->kind) {
    case PROTO_EV_PICKUP:
        fx_add(s, FX_SPARKLE, e->x, e->y, e->a == v->my_id, now_us);
        break;
    case PROTO_EV_HIT:
        fx_add(s, FX_FLASH, e->x, e->y, e->b == v->my_id, now_us);
        if (e->b == v->my_id)
            s->hurt_us = now_us;
        if (e->a == v->my_id || e->b == v->my_id) {
            snprintf(line, sizeof line, "%s knocked %s%s", e->a == v->my_id ? "You" : fx_name(v, e->a),
                     e->b == v->my_id ? "you" : fx_name(v, e->b), e->drop ? " - a point fell!" : "");
            fx_feed_add(s, line, 0xFFB060FF, now_us);
        }
        break;
    case PROTO_EV_ROUND_START:
        fx_add(s, FX_GO, 0, 0, false, now_us);
        break;
    case PROTO_EV_ROUND_END:
        if (e->a < SIM_MAX_PLAYERS)
            snprintf(line, sizeof line, "%s won round %u!", e->a == v->my_id ? "You" : fx_name(v, e->a),
                     v->match.round);
        else
            snprintf(line, sizeof line, "Round %u is a draw.", v->match.round);
        fx_feed_add(s, line, 0xFFE040FF, now_us);
        break;
    case CLIENT_EV_JOINED:
        snprintf(line, sizeof line, "%s joined", e->name);
        fx_feed_add(s, line, 0x9BE09BFF, now_us);
        break;
    case CLIENT_EV_LEFT:
        snprintf(line, sizeof line, e->b == PROTO_BYE_KICKED_BY_HOST ? "%s was kicked" : "%s left", e->name);
        fx_feed_add(s, line, 0xC8A0A0FF, now_us);
        break;
    default:
        break;
    }
}

/* The winner's panel in an intermission: the scoreboard, and who won. */
static void fx_draw_round_end(const draw_frame *f, const client_view *v)
{
    float s = f->ui_scale;
    char title[128], clock[16];
    const client_match *m = &v->match;
    if (m->winner < SIM_MAX_PLAYERS && v->players[m->winner].present)
        snprintf(title, sizeof title, "%s wins round %u!",
                 m->winner == v->my_id ? "You" : v->players[m->winner].name, m->round);
    else
        snprintf(title, sizeof title, "Round %u: a draw", m->round);
    render_rect(0, 30 * s, (float)f->w, (float)f->h - 30 * s, 0x000000A0); /* the arena steps back */
    scoreboard_draw(v, f->w, f->h, s, NULL);
    float tw = render_text_width(RENDER_FONT_LARGE, title);
    float th = render_font_height(RENDER_FONT_LARGE);
    float y = (float)f->h * 0.72f;
    render_rect(f->w * 0.5f - tw / 2 - 16 * s, y - 6 * s, tw + 32 * s, th + 12 * s, 0x101418F0);
    render_text(RENDER_FONT_LARGE, title, f->w * 0.5f, y, RENDER_ALIGN_CENTER, 0xFFE040FF);
    draw_clock(client_match_seconds_left(v, f->now_us), clock, sizeof clock);
    char next[64];
    snprintf(next, sizeof next, "Next round in %s", clock);
    render_text(RENDER_FONT_SMALL, next, f->w * 0.5f, y + th + 10 * s, RENDER_ALIGN_CENTER, 0xE0E0E0FF);
}

void fx_draw(const fx_state *s, const draw_frame *f, const client_view *v)
{
    float ui = f->ui_scale;
    uint64_t now = f->now_us;
    for (int i = 0; i < FX_MAX; i++) {
        const fx_effect *e = &s->effects[i];
        if (!e->kind || now < e->at_us)
            continue;
        float age = (float)(now - e->at_us) / 1e6f, sx, sy, sc;
        draw_to_screen(f, e->x, e->y, &sx, &sy, &sc);
        if (e->kind == FX_SPARKLE && now < e->at_us + FX_SPARKLE_US) {
            float k = age / (FX_SPARKLE_US / 1e6f), r = (4.0f + 14.0f * k) * sc, d = 3.0f * sc * (1.0f - k) + 1;
            uint32_t a = (uint32_t)(255 * (1.0f - k));
            static const float dir[8][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {.7f, .7f}, {-.7f, .7f}, {.7f, -.7f}, {-.7f, -.7f}};
            for (int k8 = 0; k8 < 8; k8++)
                render_rect(sx + dir[k8][0] * r - d / 2, sy + dir[k8][1] * r - d / 2, d, d, 0xFFF0A000 | a);
            const char *plus = "+1";
            render_text(RENDER_FONT_MEDIUM, plus, sx, sy - (12.0f + 30.0f * k) * sc, RENDER_ALIGN_CENTER,
                        (e->mine ? 0xFFE04000 : 0xFFFFFF00) | a);
        } else if (e->kind == FX_FLASH && now < e->at_us + FX_FLASH_US) {
            float k = age / (FX_FLASH_US / 1e6f), r = (8.0f + 10.0f * k) * sc;
            uint32_t a = (uint32_t)(230 * (1.0f - k));
            render_rect(sx - r, sy - r, 2 * r, 2 * r, 0xFFFFFF00 | a);
        } else if (e->kind == FX_GO && now < e->at_us + 1000000) {
            uint32_t a = (uint32_t)(255 * (1.0f - age));
            render_text(RENDER_FONT_LARGE, "GO!", f->w * 0.5f, f->h * 0.35f, RENDER_ALIGN_CENTER, 0x60FF80 << 8 | a);
        }
    }
    /* Hit: the screen's edge glows red for a moment. */
    if (s->hurt_us && now < s->hurt_us + FX_FLASH_US * 2) {
        uint32_t a = (uint32_t)(140 * (1.0f - (float)(now - s->hurt_us) / (FX_FLASH_US * 2)));
        float t = 14 * ui;
        render_rect(0, 0, (float)f->w, t, 0xFF202000 | a);
        render_rect(0, (float)f->h - t, (float)f->w, t, 0xFF202000 | a);
        render_rect(0, 0, t, (float)f->h, 0xFF202000 | a);
        render_rect((float)f->w - t, 0, t, (float)f->h, 0xFF202000 | a);
    }
    /* The countdown before a round, big in the middle. */
    const client_match *m = &v->match;
    uint32_t left = client_match_seconds_left(v, now);
    bool counting = m->known && left > 0 && left <= 3 &&
                    (m->phase == SIM_PHASE_WARMUP || m->phase == SIM_PHASE_INTERMISSION);
    if (m->known && m->phase == SIM_PHASE_INTERMISSION && !counting)
        fx_draw_round_end(f, v);
    if (counting) {
        char num[8];
        snprintf(num, sizeof num, "%u", left);
        char what[48];
        snprintf(what, sizeof what, "Round %u starts in", m->phase == SIM_PHASE_INTERMISSION ? m->round + 1 : m->round);
        render_text(RENDER_FONT_MEDIUM, what, f->w * 0.5f, f->h * 0.28f, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
        render_text(RENDER_FONT_LARGE, num, f->w * 0.5f, f->h * 0.28f + 40 * ui, RENDER_ALIGN_CENTER, 0xFFE040FF);
    }
    /* The feed, top right under the bar. */
    const fx_line *lines[FX_FEED_LINES];
    int n = fx_feed_visible(s, now, lines, FX_FEED_LINES);
    float y = 40 * ui, fh = render_font_height(RENDER_FONT_SMALL), right = (float)f->w - 8 * ui;
    for (int i = 0; i < n; i++) {
        float w = render_text_width(RENDER_FONT_SMALL, lines[i]->text);
        render_rect(right - w - 12 * ui, y - 2, w + 12 * ui, fh + 4, 0x000000B0);
        render_text(RENDER_FONT_SMALL, lines[i]->text, right - 6 * ui, y, RENDER_ALIGN_RIGHT, lines[i]->colour);
        y += fh + 6;
    }
}
