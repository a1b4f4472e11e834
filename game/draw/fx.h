/*
 * fx: what the game shows about what just happened: a sparkle and "+1"
 * where a gem was taken, a flash on a player who was hit (and a red edge
 * when it was you), the event feed (joined, left, round winner), the
 * round clock, the countdown and "GO", and the round-end scoreboard with
 * the winner during the intermission.
 *
 * fx_event and fx_feed_* are pure bookkeeping (time passed in) so tests
 * can check them; fx_draw draws through render. Main thread only.
 */
#ifndef LANARENA_FX_H
#define LANARENA_FX_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "draw.h"

#define FX_MAX 64
#define FX_FEED_LINES 5
#define FX_FEED_US 6000000 /* a feed line shows this long */
#define FX_SPARKLE_US 600000
#define FX_FLASH_US 350000

typedef enum { FX_SPARKLE = 1, FX_FLASH, FX_GO } fx_kind;

typedef struct {
    uint8_t kind;   /* fx_kind; 0: free */
    float x, y;     /* arena pixels */
    uint64_t at_us;
    bool mine;      /* it happened to us: "+1" or the red edge */
} fx_effect;

typedef struct {
    char text[96];
    uint32_t colour;
    uint64_t at_us;
} fx_line;

typedef struct {
    fx_effect effects[FX_MAX];
    int next;
    fx_line feed[FX_FEED_LINES]; /* newest last */
    int feed_count;
    uint64_t hurt_us; /* when we were last hit (0: never) */
} fx_state;

void fx_init(fx_state *s);
/* Turns one client event into effects and feed lines. */
void fx_event(fx_state *s, const client_event *e, const client_view *v, uint64_t now_us);
/* Adds a feed line (the oldest scrolls away). */
void fx_feed_add(fx_state *s, const char *text, uint32_t colour, uint64_t now_us);
/* Feed lines still showing at now_us, oldest first, into out; returns count. */
int fx_feed_visible(const fx_state *s, uint64_t now_us, const fx_line **out, int cap);
/* Live effects at now_us. */
int fx_live(const fx_state *s, uint64_t now_us);

/* Draws the effects over the world (after draw_world). */
void fx_draw(const fx_state *s, const draw_frame *f, const client_view *v);

#endif
