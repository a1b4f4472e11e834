/*
 * test_hud: the in-game top bar's layout at sizes from a 480-pixel window
 * to 4K and with 1 to 250 players: your own score and the host's are
 * always there, the address friends join is never covered, nothing
 * overlaps or leaves the bar, and the best scores are shown best first.
 * Text is measured as a fixed-width font of 7 pixels a byte.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hud.h"

#define PX 7.0f

static float test_measure(const char *utf8, void *ctx)
{
    (void)ctx;
    return PX * (float)strlen(utf8);
}

static char test_names[250][20];
static const char *test_name_ptr[250];

static void test_one(int count, float bar_w, int me, int host, uint32_t seed, const char *info)
{
    hud_player p[250];
    for (int i = 0; i < count; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (hud_player){.id = i, .score = (uint16_t)((seed >> 16) % 60), .me = i == me, .host = i == host};
    }
    hud_topbar bar;
    const float pad = 10, swatch = 12;
    hud_topbar_layout(p, count, test_name_ptr, info, bar_w, pad, swatch, test_measure, NULL, &bar);

    bool saw_me = me < 0, saw_host = host < 0;
    float gap = 1.5f * PX;
    for (int k = 0; k < bar.count; k++) {
        const hud_entry *e = &bar.entries[k];
        saw_me |= e->id == me;
        saw_host |= e->id == host;
        CHECK_MSG(e->right <= bar_w - pad + 0.01f, "entry %d right %g of %g", k, e->right, bar_w);
        CHECK_MSG(e->right - e->width >= bar.info_right - 0.01f, "%d players, %gpx: '%s' covers the info (%g < %g)",
                  count, bar_w, e->label, e->right - e->width, bar.info_right);
        CHECK(fabsf(e->width - (test_measure(e->label, NULL) + swatch)) < 0.01f);
        if (k > 0) {
            const hud_entry *r = &bar.entries[k - 1];
            CHECK_MSG(e->right <= r->right - r->width - gap + 0.01f, "entries %d and %d overlap", k - 1, k);
            CHECK_MSG(e->rank > r->rank, "rank order %d then %d", r->rank, e->rank);
        }
        /* The label is the player's, with its rank when it is not a top one. */
        char want[96];
        if (e->rank <= HUD_TOPBAR_MAX)
            snprintf(want, sizeof want, "%s: %u", test_names[e->id], (unsigned)p[e->id].score);
        else
            snprintf(want, sizeof want, "#%d %s: %u", e->rank, test_names[e->id], (unsigned)p[e->id].score);
        CHECK_MSG(strcmp(e->label, want) == 0, "'%s' != '%s'", e->label, want);
    }
    CHECK_MSG(saw_me, "%d players at %g px: my score is missing", count, bar_w);
    CHECK_MSG(saw_host, "%d players at %g px: the host's score is missing", count, bar_w);
    /* The info text is whole whenever it and the must-shows fit (two long
     * ranked labels and the address need about 720 px here). */
    if (bar_w >= 800)
        CHECK_MSG(strcmp(bar.info, info) == 0, "info cut to '%s' at %g px", bar.info, bar_w);
    else
        CHECK(strncmp(bar.info, info, strlen(bar.info) > 3 ? strlen(bar.info) - 3 : 0) == 0);
    CHECK(bar.info_right <= bar_w);
    /* A wide bar shows more than the must-shows, and they are the best. */
    if (bar_w >= 1920 && count >= 4) {
        CHECK_MSG(bar.count >= 4, "%d entries at %g px", bar.count, bar_w);
        int best = 0;
        for (int i = 1; i < count; i++)
            if (p[i].score > p[best].score || (p[i].score == p[best].score && i < best))
                best = i;
        bool has_best = false;
        for (int k = 0; k < bar.count; k++)
            has_best |= bar.entries[k].id == best;
        CHECK_MSG(has_best, "the leader is not on a %g px bar", bar_w);
    }
}

int main(void)
{
    for (int i = 0; i < 250; i++) {
        snprintf(test_names[i], sizeof test_names[i], i % 3 ? "P%d" : "LongName%08d", i);
        test_name_ptr[i] = test_names[i];
    }
    const char *info = "Hosting: friends join 192.168.100.200:27960";
    static const float widths[] = {480, 640, 800, 1280, 1920, 3840};
    static const int counts[] = {1, 2, 3, 8, 9, 16, 64, 250};
    int cases = 0;
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
            for (int me = 0; me < counts[c]; me += counts[c] / 7 + 1)
                for (int host = -1; host < 2 && host < counts[c]; host++) {
                    test_one(counts[c], widths[w], me, host, (uint32_t)(w * 977 + c * 131 + (size_t)me), info);
                    cases++;
                }
    /* Last place in a big game, on a small window: still shown, ranked. */
    hud_player p[250];
    for (int i = 0; i < 250; i++)
        p[i] = (hud_player){.id = i, .score = (uint16_t)(250 - i), .me = i == 249};
    hud_topbar bar;
    hud_topbar_layout(p, 250, test_name_ptr, info, 640, 10, 12, test_measure, NULL, &bar);
    bool found = false;
    for (int k = 0; k < bar.count; k++)
        if (bar.entries[k].id == 249) {
            found = true;
            CHECK_MSG(strcmp(bar.entries[k].label, "#250 LongName00000249: 1") == 0, "%s", bar.entries[k].label);
        }
    CHECK(found);
    printf("hud: %d layouts checked\n", cases);
    return check_done("hud");
}
