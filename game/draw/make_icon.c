/*
 * make_icon: a build tool, not part of the game. Draws the desktop icon
 * from the game's own pixel art: the player sprite facing the viewer,
 * tinted in the first player colour, scaled by whole pixels.
 *
 *   make_icon SPRITES.TXT OUT.PNG SIZE     SIZE a multiple of 16
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

#include "draw.h"
#include "sprite_art.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: make_icon SPRITES.TXT OUT.PNG SIZE\n");
        return 2;
    }
    int size = atoi(argv[3]);
    if (size < SPRITE_ART_PX || size % SPRITE_ART_PX != 0 || size > 1024) {
        fprintf(stderr, "make_icon: SIZE must be a multiple of %d up to 1024, not '%s'\n", SPRITE_ART_PX, argv[3]);
        return 2;
    }
    size_t len = 0;
    char *text = SDL_LoadFile(argv[1], &len);
    if (!text) {
        fprintf(stderr, "make_icon: cannot read %s: %s\n", argv[1], SDL_GetError());
        return 1;
    }
    static sprite_art art;
    char err[256];
    bool ok = sprite_art_parse(text, len, &art, err, sizeof err);
    SDL_free(text);
    int idx = ok ? sprite_art_find(&art, "down_idle") : -1;
    if (idx < 0) {
        fprintf(stderr, "make_icon: %s: %s\n", argv[1], ok ? "no frame down_idle" : err);
        return 1;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_RGBA32);
    if (!s) {
        fprintf(stderr, "make_icon: %s\n", SDL_GetError());
        return 1;
    }
    const uint32_t tint = draw_player_colour(0); /* 0xRRGGBBAA */
    const int k = size / SPRITE_ART_PX;
    const uint8_t *src = art.frames[idx].rgba;
    for (int y = 0; y < size; y++) {
        uint8_t *row = (uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
        for (int x = 0; x < size; x++) {
            const uint8_t *p = src + ((y / k) * SPRITE_ART_PX + x / k) * 4;
            uint8_t *d = row + x * 4;
            memcpy(d, p, 4);
            if (p[3] == 255) { /* a tint pixel: multiplied by the player's colour */
                d[0] = (uint8_t)(p[0] * ((tint >> 24) & 0xFF) / 255);
                d[1] = (uint8_t)(p[1] * ((tint >> 16) & 0xFF) / 255);
                d[2] = (uint8_t)(p[2] * ((tint >> 8) & 0xFF) / 255);
            } else if (p[3] == SPRITE_ART_ALPHA_KEEP) {
                d[3] = 255;
            }
        }
    }
    int rc = IMG_SavePNG(s, argv[2]);
    SDL_FreeSurface(s);
    if (rc != 0) {
        fprintf(stderr, "make_icon: cannot write %s: %s\n", argv[2], IMG_GetError());
        return 1;
    }
    return 0;
}
