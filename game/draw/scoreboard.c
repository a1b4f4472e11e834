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

void scoreboard_draw(const client_view *v, int w, int h, float ui_scale)
{
    scoreboard_row rows[SIM_MAX_PLAYERS];
    int n = scoreboard_rows(v, rows);
    float s = ui_scale, fh = render_font_height(RENDER_FONT_SMALL);
    float row_h = fh + 8 * s, tw = 520 * s;
    float top = 60 * s, avail = (float)h - top - 60 * s;
    int fit = (int)((avail - 2 * row_h) / row_h);
    if (fit < 1)
        fit = 1;
    int pick[SIM_MAX_PLAYERS];
    int shown = scoreboard_pick(rows, n, fit < SIM_MAX_PLAYERS ? fit : SIM_MAX_PLAYERS, pick);
    float x = (float)w * 0.5f - tw / 2, y = top;
    float th = (float)(shown + 2) * row_h + 12 * s;
    render_rect(x, y, tw, th, 0x0C1016FA); /* nearly opaque: the arena must not show through the rows */
    float c_name = x + 40 * s, c_score = x + tw - 150 * s, c_ping = x + tw - 20 * s;
    y += 6 * s;
    render_text(RENDER_FONT_SMALL, "Player", c_name, y, RENDER_ALIGN_LEFT, 0x8C98A4FF);
    render_text(RENDER_FONT_SMALL, "Score", c_score, y, RENDER_ALIGN_RIGHT, 0x8C98A4FF);
    render_text(RENDER_FONT_SMALL, "Host ping", c_ping, y, RENDER_ALIGN_RIGHT, 0x8C98A4FF);
    y += row_h;
    for (int i = 0; i < shown; i++, y += row_h) {
        bool pinned = pick[i] != i; /* your row, ranked below the board */
        const scoreboard_row *r = &rows[pick[i]];
        if (r->you)
            render_rect(x + 4 * s, y - 3 * s, tw - 8 * s, row_h - 2 * s, 0x3F8FE840);
        render_rect(x + 14 * s, y + fh * 0.2f, fh * 0.6f, fh * 0.6f, draw_player_colour(r->colour));
        char name[PROTO_NAME_WIRE_MAX + 32];
        if (pinned)
            snprintf(name, sizeof name, "%d. %s%s", pick[i] + 1, r->name, r->host ? "  (host)" : "");
        else
            snprintf(name, sizeof name, "%s%s", r->name, r->host ? "  (host)" : "");
        render_text(RENDER_FONT_SMALL, name, c_name, y, RENDER_ALIGN_LEFT, r->you ? 0xFFFFFFFF : 0xC8D0D8FF);
        char num[16];
        snprintf(num, sizeof num, "%u", r->score);
        render_text(RENDER_FONT_SMALL, num, c_score, y, RENDER_ALIGN_RIGHT, 0xFFFFFFFF);
        if (r->ping_ms >= 0)
            snprintf(num, sizeof num, "%d ms", r->ping_ms);
        else
            snprintf(num, sizeof num, "...");
        render_text(RENDER_FONT_SMALL, num, c_ping, y, RENDER_ALIGN_RIGHT, 0xC8D0D8FF);
    }
    /* The two pings a player can see are named apart: this one is the
     * host's, the net graph's (F3) is this client's own echo. */
    char foot[128];
    if (shown < n)
        snprintf(foot, sizeof foot, "%d players, %d not shown  \xC2\xB7  ping as the host measures it",
                 n, n - shown);
    else
        snprintf(foot, sizeof foot, "%d player%s  \xC2\xB7  ping as the host measures it", n,
                 n == 1 ? "" : "s");
    render_text(RENDER_FONT_SMALL, foot, (float)w * 0.5f, y, RENDER_ALIGN_CENTER, 0x8C98A4FF);
}
