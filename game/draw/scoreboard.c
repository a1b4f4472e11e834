#include "scoreboard.h"

#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "render.h"

/* Best first; equal scores by id. */
static bool scoreboard_before(const scoreboard_row *x, const scoreboard_row *y)
{
    return x->score != y->score ? x->score > y->score : x->id < y->id;
}

int scoreboard_rows(const client_view *v, scoreboard_row *rows)
{
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const client_player *p = &v->players[i];
        if (!p->present)
            continue;
        /* The score lives in the world state; a player not yet in a
         * snapshot has none to show but is listed all the same. */
        rows[n++] = (scoreboard_row){.id = i, .name = p->name, .colour = p->colour,
                                     .score = p->seen ? p->state.score : 0,
                                     .ping_ms = p->ping_ms == PROTO_PING_UNKNOWN ? -1 : p->ping_ms,
                                     .host = p->is_host, .you = i == v->my_id};
    }
    /* Insertion sort: drawn every frame Tab is held, and glibc's qsort
     * would malloc for more than 1 KB of rows. */
    for (int i = 1; i < n; i++) {
        scoreboard_row r = rows[i];
        int at = i;
        for (; at > 0 && scoreboard_before(&r, &rows[at - 1]); at--)
            rows[at] = rows[at - 1];
        rows[at] = r;
    }
    for (int i = 0; i < n; i++)
        rows[i].place = i + 1;
    return n;
}

int scoreboard_pick(const scoreboard_row *rows, int n, int fit, int *pick)
{
    int shown = n < fit ? n : fit;
    for (int i = 0; i < shown; i++)
        pick[i] = i;
    for (int i = shown; i < n && shown > 0; i++)
        if (rows[i].you)
            pick[shown - 1] = i;
    return shown;
}

/* Where the board's parts go on a w x h frame. */
typedef struct {
    float x, y, w;  /* the panel's top left and width */
    float row_h;    /* one line */
    float first_y;  /* the first player row's top */
    int fit;        /* player lines that fit */
} scoreboard_geometry;

static scoreboard_geometry scoreboard_layout(int w, int h, float ui_scale)
{
    float s = ui_scale, fh = render_font_height(RENDER_FONT_SMALL);
    scoreboard_geometry g = {.row_h = fh + 8 * s, .w = 520 * s, .y = 60 * s};
    float avail = (float)h - g.y - 60 * s;
    /* A header line and a footer line; the host's kick line besides. */
    g.fit = (int)((avail - 3 * g.row_h) / g.row_h);
    if (g.fit < 1)
        g.fit = 1;
    if (g.fit > SIM_MAX_PLAYERS)
        g.fit = SIM_MAX_PLAYERS;
    g.x = (float)w * 0.5f - g.w / 2;
    g.first_y = g.y + 6 * s + g.row_h;
    return g;
}

int scoreboard_shown(const client_view *v, int h, float ui_scale, scoreboard_row *shown, int *total)
{
    scoreboard_row rows[SIM_MAX_PLAYERS];
    int n = scoreboard_rows(v, rows);
    int pick[SIM_MAX_PLAYERS];
    int k = scoreboard_pick(rows, n, scoreboard_layout(0, h, ui_scale).fit, pick);
    for (int i = 0; i < k; i++)
        shown[i] = rows[pick[i]];
    *total = n;
    return k;
}

int scoreboard_row_at(const client_view *v, int w, int h, float ui_scale, float x, float y)
{
    scoreboard_geometry g = scoreboard_layout(w, h, ui_scale);
    scoreboard_row shown[SIM_MAX_PLAYERS];
    int total, k = scoreboard_shown(v, h, ui_scale, shown, &total);
    if (x < g.x || x >= g.x + g.w || y < g.first_y - 3 * ui_scale)
        return -1;
    int i = (int)((y - (g.first_y - 3 * ui_scale)) / g.row_h);
    return i < k ? shown[i].id : -1;
}

/* The footer: how many players, whose ping it is; for the host, the kick
 * keys or the question a first K asked. */
static void scoreboard_footer(const scoreboard_geometry *g, int shown, int n, const scoreboard_marks *marks,
                              const char *asked, float y, float s)
{
    /* The two pings a player can see are named apart: this one is the
     * host's, the net graph's (F3) is this client's own echo. */
    char foot[128];
    if (shown < n)
        snprintf(foot, sizeof foot, "%d players, %d not shown  \xC2\xB7  ping as the host measures it", n, n - shown);
    else
        snprintf(foot, sizeof foot, "%d player%s  \xC2\xB7  ping as the host measures it", n, n == 1 ? "" : "s");
    float cx = g->x + g->w / 2;
    render_text(RENDER_FONT_SMALL, foot, cx, y, RENDER_ALIGN_CENTER, 0x8C98A4FF);
    if (!marks)
        return;
    char line[PROTO_NAME_WIRE_MAX + 64];
    if (marks->asking && asked)
        snprintf(line, sizeof line, "Press K again to kick %s", asked);
    else
        snprintf(line, sizeof line, n > 1 ? "Up/Down or mouse: pick a player   K or Delete: kick" : "No one to kick");
    render_text(RENDER_FONT_SMALL, line, cx, y + g->row_h, RENDER_ALIGN_CENTER,
                marks->asking ? 0xFF8A7CFF : 0xC8D0D8FF);
}

void scoreboard_draw(const client_view *v, int w, int h, float ui_scale, const scoreboard_marks *marks)
{
    scoreboard_geometry g = scoreboard_layout(w, h, ui_scale);
    scoreboard_row rows[SIM_MAX_PLAYERS];
    int n, shown = scoreboard_shown(v, h, ui_scale, rows, &n);
    float s = ui_scale, fh = render_font_height(RENDER_FONT_SMALL), row_h = g.row_h, tw = g.w;
    float x = g.x, y = g.y;
    float th = (float)(shown + 2 + (marks ? 1 : 0)) * row_h + 12 * s;
    render_rect(x, y, tw, th, 0x0C1016FA); /* nearly opaque: the arena must not show through the rows */
    float c_name = x + 40 * s, c_score = x + tw - 150 * s, c_ping = x + tw - 20 * s;
    y += 6 * s;
    render_text(RENDER_FONT_SMALL, "Player", c_name, y, RENDER_ALIGN_LEFT, 0x8C98A4FF);
    render_text(RENDER_FONT_SMALL, "Score", c_score, y, RENDER_ALIGN_RIGHT, 0x8C98A4FF);
    render_text(RENDER_FONT_SMALL, "Host ping", c_ping, y, RENDER_ALIGN_RIGHT, 0x8C98A4FF);
    y += row_h;
    const char *asked = NULL;
    for (int i = 0; i < shown; i++, y += row_h) {
        const scoreboard_row *r = &rows[i];
        bool picked = marks && r->id == marks->selected;
        if (picked) {
            asked = r->name;
            render_rect(x + 4 * s, y - 3 * s, tw - 8 * s, row_h - 2 * s, marks->asking ? 0xB8403AE0 : 0x3F8FE8C0);
        } else if (r->you) {
            render_rect(x + 4 * s, y - 3 * s, tw - 8 * s, row_h - 2 * s, 0x3F8FE840);
        }
        render_rect(x + 14 * s, y + fh * 0.2f, fh * 0.6f, fh * 0.6f, draw_player_colour(r->colour));
        char name[PROTO_NAME_WIRE_MAX + 32];
        if (r->place != i + 1) /* your row, ranked below the board, says its place */
            snprintf(name, sizeof name, "%d. %s%s", r->place, r->name, r->host ? "  (host)" : "");
        else
            snprintf(name, sizeof name, "%s%s", r->name, r->host ? "  (host)" : "");
        render_text(RENDER_FONT_SMALL, name, c_name, y, RENDER_ALIGN_LEFT, r->you || picked ? 0xFFFFFFFF : 0xC8D0D8FF);
        char num[16];
        snprintf(num, sizeof num, "%u", r->score);
        render_text(RENDER_FONT_SMALL, num, c_score, y, RENDER_ALIGN_RIGHT, 0xFFFFFFFF);
        if (r->ping_ms >= 0)
            snprintf(num, sizeof num, "%d ms", r->ping_ms);
        else
            snprintf(num, sizeof num, "...");
        render_text(RENDER_FONT_SMALL, num, c_ping, y, RENDER_ALIGN_RIGHT, 0xC8D0D8FF);
    }
    scoreboard_footer(&g, shown, n, marks, asked, y, s);
}
