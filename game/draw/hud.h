/*
 * hud: where the in-game top bar puts things, as a pure function of the
 * players, the bar's width and a text-width measure, so the layout is
 * tested at every size and player count without a window.
 *
 * The bar holds, left to right: the info text (the address friends join,
 * or the game's name), then scores from the right edge leftwards. The
 * rules, in order of priority:
 *   1. the info text is never covered: scores stop HUD_GAP short of it;
 *   2. your own score is always shown (with its rank when it is not in
 *      the best few), then the host's;
 *   3. the best scores fill what room is left, best first.
 * Entries keep rank order on screen, best at the right. When even your
 * own score does not fit beside the info text, the info text is cut
 * (with "...") rather than your score dropped.
 *
 * Threading contract: pure; any thread.
 */
#ifndef LANARENA_HUD_H
#define LANARENA_HUD_H

#include <stdbool.h>
#include <stdint.h>

#define HUD_TOPBAR_MAX 10 /* entries at most, however wide the bar */

typedef struct {
    int id;         /* player id */
    uint16_t score;
    bool me, host;
} hud_player;

typedef struct {
    int id;
    int rank;       /* 1 = best; equal scores rank by id */
    char label[96]; /* "name: 12", or ranked: "#N name: 12" */
    float right;    /* the entry's right edge; it spans [right - width, right] */
    float width;    /* the label plus its colour swatch */
} hud_entry;

typedef struct {
    int count;
    hud_entry entries[HUD_TOPBAR_MAX]; /* right to left: best first */
    char info[160];                    /* the info text, cut if it had to be */
    float info_right;                  /* where the info text ends */
} hud_topbar;

/* Text width in pixels of utf8, as the bar's font draws it. */
typedef float (*hud_measure)(const char *utf8, void *ctx);

/* names[id] for each player's label. pad: the margin at both ends; swatch:
 * the width a colour square and its spacing add to a label. */
void hud_topbar_layout(const hud_player *players, int count, const char *const *names, const char *info,
                       float bar_w, float pad, float swatch, hud_measure measure, void *ctx, hud_topbar *out);

#endif
