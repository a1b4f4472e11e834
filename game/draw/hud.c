#include "hud.h"

#include <stdio.h>
#include <string.h>

#define HUD_GAP_EM 1.5f /* space kept between the info text and the scores, in "M" widths */

static bool hud_before(const hud_player *a, const hud_player *b)
{
    return a->score != b->score ? a->score > b->score : a->id < b->id;
}

/* The rank of players[i] among all: 1 + how many come before it. */
static int hud_rank(const hud_player *players, int count, int i)
{
    int r = 1;
    for (int j = 0; j < count; j++)
        r += j != i && hud_before(&players[j], &players[i]);
    return r;
}

/* Cuts text (at a character boundary) with "..." until it fits in w. */
static void hud_cut(char text[160], float w, hud_measure measure, void *ctx)
{
    if (measure(text, ctx) <= w)
        return;
    size_t n = strlen(text);
    char buf[160];
    while (n > 0) {
        do
            n--;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80);
        snprintf(buf, sizeof buf, "%.*s...", (int)(n < 150 ? n : 150), text);
        if (measure(buf, ctx) <= w)
            break;
    }
    memcpy(text, n > 0 ? buf : "", n > 0 ? sizeof buf : 1);
}

void hud_topbar_layout(const hud_player *players, int count, const char *const *names, const char *info,
                       float bar_w, float pad, float swatch, hud_measure measure, void *ctx, hud_topbar *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->info, sizeof out->info, "%s", info ? info : "");
    float gap = HUD_GAP_EM * measure("M", ctx);

    /* The candidates in priority order: me, the host, then the best few
     * (kept in order as we go: no sort of all 250). */
    int pick[HUD_TOPBAR_MAX], n = 0;
    for (int i = 0; i < count && n < HUD_TOPBAR_MAX; i++)
        if (players[i].me)
            pick[n++] = i;
    for (int i = 0; i < count && n < HUD_TOPBAR_MAX; i++)
        if (players[i].host && !players[i].me)
            pick[n++] = i;
    int must = n;
    int best[HUD_TOPBAR_MAX], nb = 0;
    for (int i = 0; i < count; i++) {
        if (players[i].me || players[i].host)
            continue;
        int at = nb < HUD_TOPBAR_MAX ? nb++ : HUD_TOPBAR_MAX;
        while (at > 0 && hud_before(&players[i], &players[best[at - 1]])) {
            if (at < HUD_TOPBAR_MAX)
                best[at] = best[at - 1];
            at--;
        }
        if (at < HUD_TOPBAR_MAX)
            best[at] = i;
    }
    for (int k = 0; k < nb && n < HUD_TOPBAR_MAX; k++)
        pick[n++] = best[k];

    /* Labels and widths; the best few keep the top ranks' plain label. */
    hud_entry cand[HUD_TOPBAR_MAX];
    for (int k = 0; k < n; k++) {
        const hud_player *p = &players[pick[k]];
        hud_entry *e = &cand[k];
        e->id = p->id;
        e->rank = hud_rank(players, count, pick[k]);
        const char *name = names && names[p->id] ? names[p->id] : "?";
        if (e->rank <= HUD_TOPBAR_MAX)
            snprintf(e->label, sizeof e->label, "%s: %u", name, (unsigned)p->score);
        else
            snprintf(e->label, sizeof e->label, "#%d %s: %u", e->rank, name, (unsigned)p->score);
        e->width = measure(e->label, ctx) + swatch;
    }

    /* Room: what the info text leaves. The must-show entries get theirs
     * even if the info text has to be cut for it. */
    float info_w = measure(out->info, ctx);
    float must_w = 0;
    for (int k = 0; k < must; k++)
        must_w += cand[k].width + (k ? gap : 0);
    float room_for_info = bar_w - 2 * pad - must_w - (must ? gap : 0);
    if (info_w > room_for_info) {
        hud_cut(out->info, room_for_info > 0 ? room_for_info : 0, measure, ctx);
        info_w = measure(out->info, ctx);
    }
    out->info_right = pad + info_w;
    float left_limit = out->info_right + (info_w > 0 ? gap : 0);

    /* Take the must-shows, then the best while they fit. */
    bool take[HUD_TOPBAR_MAX] = {0};
    float used = 0;
    for (int k = 0; k < n; k++) {
        float need = cand[k].width + (used > 0 ? gap : 0);
        if (k >= must && bar_w - pad - used - need < left_limit)
            break; /* the best stay contiguous: no 5th without the 4th */
        take[k] = true;
        used += need;
    }
    /* On screen in rank order, best at the right. */
    for (int k = 0; k < n; k++)
        if (take[k])
            out->entries[out->count++] = cand[k];
    for (int a = 1; a < out->count; a++) {
        hud_entry e = out->entries[a];
        int b = a;
        while (b > 0 && out->entries[b - 1].rank > e.rank) {
            out->entries[b] = out->entries[b - 1];
            b--;
        }
        out->entries[b] = e;
    }
    float x = bar_w - pad;
    for (int k = 0; k < out->count; k++) {
        out->entries[k].right = x;
        x -= out->entries[k].width + gap;
    }
}
