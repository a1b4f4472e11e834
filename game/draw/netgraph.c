#include "netgraph.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

/* Each series' smallest scale, so a quiet link does not magnify noise. */
static const float netgraph_floor[NETGRAPH_SERIES] = {10, 20, 20, 20, 1, 1000, 1000, 20};

void netgraph_init(netgraph *g)
{
    memset(g, 0, sizeof *g);
}

void netgraph_add(netgraph *g, const netgraph_sample *s)
{
    for (int k = 0; k < NETGRAPH_SERIES; k++)
        g->hist[k][g->head] = s->v[k] > 0 && isfinite(s->v[k]) ? s->v[k] : 0.0f;
    g->head = (g->head + 1) % NETGRAPH_SAMPLES;
    if (g->count < NETGRAPH_SAMPLES)
        g->count++;
}

float netgraph_value(const netgraph *g, netgraph_series s, int i)
{
    if (i < 0 || i >= g->count)
        return 0.0f;
    return g->hist[s][(g->head - 1 - i + 2 * NETGRAPH_SAMPLES) % NETGRAPH_SAMPLES];
}

float netgraph_scale(const netgraph *g, netgraph_series s)
{
    float top = 0;
    for (int i = 0; i < g->count; i++)
        if (g->hist[s][i] > top)
            top = g->hist[s][i];
    float scale = netgraph_floor[s];
    if (top <= scale)
        return scale;
    /* 1-2-5 steps: a round number the eye can read off the grid line. */
    float p = powf(10.0f, floorf(log10f(top)));
    if (top <= p)
        return p;
    if (top <= 2 * p)
        return 2 * p;
    if (top <= 5 * p)
        return 5 * p;
    return 10 * p;
}

static void netgraph_format(char *buf, size_t cap, float v, const char *unit)
{
    if (strcmp(unit, "B/s") == 0) {
        if (v >= 1e6f)
            snprintf(buf, cap, "%.1f MB/s", v / 1e6f);
        else
            snprintf(buf, cap, "%.1f kB/s", v / 1e3f);
    } else {
        snprintf(buf, cap, "%.1f %s", v, unit);
    }
}

/* One series as a line: a thin vertical bar from each value to the next,
 * so steep changes stay connected. */
static void netgraph_line(const netgraph *g, netgraph_series s, float scale, float x, float y, float w, float h,
                          float thick, uint32_t rgba)
{
    int n = g->count;
    if (n == 0)
        return;
    float step = w / NETGRAPH_SAMPLES;
    float prev = 0;
    for (int i = n - 1; i >= 0; i--) { /* oldest first, left to right */
        float v = netgraph_value(g, s, i);
        if (v > scale)
            v = scale;
        float py = y + h - v / scale * h;
        float px = x + w - (float)(i + 1) * step;
        if (i == n - 1)
            prev = py;
        float top = py < prev ? py : prev, bottom = py < prev ? prev : py;
        render_rect(px, top - thick / 2, step + 0.5f, bottom - top + thick, rgba);
        prev = py;
    }
}

typedef struct {
    const char *name, *unit;
    netgraph_series a, b; /* b == a: one line */
    uint32_t ca, cb;
} netgraph_plot;

static const netgraph_plot netgraph_plots[] = {
    {"round trip (echo)", "ms", NETGRAPH_PING, NETGRAPH_PING, 0x5CC8F2FF, 0},
    {"snapshot gap", "ms", NETGRAPH_GAP, NETGRAPH_GAP, 0xF2C230FF, 0},
    {"interp delay", "ms", NETGRAPH_DELAY, NETGRAPH_JITTER, 0x7CE07CFF, 0x7CE07C80},
    {"corrections", "px", NETGRAPH_CORRECTION, NETGRAPH_CORRECTION, 0xF25C5CFF, 0},
    {"bytes in", "B/s", NETGRAPH_BYTES_IN, NETGRAPH_BYTES_OUT, 0x5CF2B0FF, 0xF2A05CFF},
    {"frame", "ms", NETGRAPH_FRAME, NETGRAPH_FRAME, 0xD0D0D0FF, 0},
};

float netgraph_draw(const netgraph *g, float x, float y, float w, float ui_scale)
{
    const int plots = (int)(sizeof netgraph_plots / sizeof netgraph_plots[0]);
    float s = ui_scale, pad = 8 * s, text_h = render_font_height(RENDER_FONT_SMALL);
    float plot_h = 34 * s, row_h = text_h + plot_h + 6 * s;
    float h = pad * 2 + row_h * (float)plots;
    render_rect(x, y, w, h, 0x0A0E14E0);
    float cy = y + pad;
    for (int k = 0; k < plots; k++) {
        const netgraph_plot *p = &netgraph_plots[k];
        float scale = netgraph_scale(g, p->a);
        if (p->b != p->a) {
            float sb = netgraph_scale(g, p->b);
            if (sb > scale)
                scale = sb;
        }
        char now[48], label[128], top[32];
        netgraph_format(now, sizeof now, netgraph_value(g, p->a, 0), p->unit);
        if (p->a == NETGRAPH_BYTES_IN) {
            char out[48];
            netgraph_format(out, sizeof out, netgraph_value(g, p->b, 0), p->unit);
            snprintf(label, sizeof label, "bytes in %s  out %s", now, out);
        } else if (p->a == NETGRAPH_DELAY) {
            snprintf(label, sizeof label, "%s %s  (jitter %.1f ms)", p->name, now, netgraph_value(g, p->b, 0));
        } else {
            snprintf(label, sizeof label, "%s %s", p->name, now);
        }
        render_text(RENDER_FONT_SMALL, label, x + pad, cy, RENDER_ALIGN_LEFT, p->ca | 0xFF);
        netgraph_format(top, sizeof top, scale, p->unit);
        render_text(RENDER_FONT_SMALL, top, x + w - pad, cy, RENDER_ALIGN_RIGHT, 0x8C98A4FF);
        float py = cy + text_h + 2 * s, pw = w - 2 * pad;
        render_rect(x + pad, py, pw, plot_h, 0x1A2230C0);
        render_rect(x + pad, py, pw, 1, 0x3A4658FF);          /* the scale's line */
        render_rect(x + pad, py + plot_h - 1, pw, 1, 0x3A4658FF); /* zero */
        if (p->b != p->a)
            netgraph_line(g, p->b, scale, x + pad, py, pw, plot_h, 1.5f * s, p->cb);
        netgraph_line(g, p->a, scale, x + pad, py, pw, plot_h, 2.0f * s, p->ca);
        cy += row_h;
    }
    return h;
}
