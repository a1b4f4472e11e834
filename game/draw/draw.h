/*
 * draw: the arena, the players and the in-game HUD, on top of render.
 * Main thread only.
 */
#ifndef LANARENA_DRAW_H
#define LANARENA_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"

#define DRAW_PALETTE_SIZE 16

typedef struct {
    int w, h;              /* drawable pixels */
    float ui_scale;        /* 1 at 720p; text and margins scale with it */
    const char *host_info; /* "Hosting on 192.168.1.5:27960" or NULL */
    uint64_t now_us;       /* animation clock */
} draw_frame;

/* 0xRRGGBBAA of a player colour index. */
uint32_t draw_player_colour(uint8_t colour);
/* The arena, its players (a silent one's name tag faded, with "...")
 * and the top bar (host_info, else who hosts the game). */
void draw_world(const draw_frame *f, const client_view *v);
/* A band across the arena while the connection is in trouble
 * ("Connection problem", "Reconnecting..."); nothing when it is fine. */
void draw_link_banner(const draw_frame *f, const client_link *l);
/* Arena pixels to screen pixels for this frame; *scale: screen px per
 * arena px. */
void draw_to_screen(const draw_frame *f, float ax, float ay, float *sx, float *sy, float *scale);
/* Whole seconds as "m:ss". */
void draw_clock(uint32_t seconds, char *out, size_t cap);

#endif
