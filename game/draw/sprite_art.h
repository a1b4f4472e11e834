/*
 * sprite_art: parses the text pixel art of assets/sprites.txt into RGBA
 * frames. Pure (no GL, no files, no globals), so it is tested without a GPU.
 *
 * Format, one statement per line. Blank lines and lines whose first
 * non-blank character is '#' are skipped everywhere.
 *
 *   colour <c> transparent         <c> is one printable character
 *   colour <c> #rrggbb tint        multiplied by the sprite's tint colour
 *   colour <c> #rrggbb keep        keeps its colour whatever the tint
 *   frame <name>                   then exactly 16 rows of 16 palette
 *                                  characters, one character per pixel
 *
 * Tint convention (the sprite shader relies on it): a "keep" pixel is
 * stored with alpha SPRITE_ART_ALPHA_KEEP (254), a "tint" pixel with
 * alpha 255, a transparent pixel as 0,0,0,0. The shader draws alpha 254
 * as opaque and skips the colour multiply for it.
 */
#ifndef LANARENA_SPRITE_ART_H
#define LANARENA_SPRITE_ART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPRITE_ART_PX 16          /* frames are 16 x 16 pixels */
#define SPRITE_ART_MAX_FRAMES 32
#define SPRITE_ART_NAME_MAX 32    /* including the terminating NUL */
#define SPRITE_ART_ALPHA_KEEP 254 /* marks a pixel the tint leaves alone */

typedef struct {
    char name[SPRITE_ART_NAME_MAX];
    uint8_t rgba[SPRITE_ART_PX * SPRITE_ART_PX * 4]; /* rows top to bottom */
} sprite_art_frame;

typedef struct {
    int frame_count;
    sprite_art_frame frames[SPRITE_ART_MAX_FRAMES];
} sprite_art;

/* Parses len bytes of text (no NUL needed). On bad input writes
 * "line N: <what is wrong>" to err and returns false. */
bool sprite_art_parse(const char *text, size_t len, sprite_art *out, char *err, size_t err_cap);

/* Index of the frame called name, or -1. */
int sprite_art_find(const sprite_art *art, const char *name);

#endif
