/*
 * tool_pngcheck: finds player sprites in a game screenshot by their cloak
 * colour (the brightest cloak shade is exactly the player's palette
 * colour). Prints one line per colour present:
 *   colour K pixels N x X y Y      (centroid, in image pixels)
 * Only the area below the top bar and above the bottom hint is searched,
 * where the HUD draws no player colours. Exit 1 if the file won't load.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tool_pngcheck FILE.png\n");
        return 2;
    }
    SDL_Surface *raw = IMG_Load(argv[1]);
    if (!raw) {
        fprintf(stderr, "tool_pngcheck: %s\n", IMG_GetError());
        return 1;
    }
    SDL_Surface *img = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    int top = img->h * 40 / 720, bottom = img->h - img->h * 30 / 720;
    long count[DRAW_PALETTE_SIZE] = {0};
    double sx[DRAW_PALETTE_SIZE] = {0}, sy[DRAW_PALETTE_SIZE] = {0};
    for (int y = top; y < bottom; y++) {
        const Uint8 *row = (const Uint8 *)img->pixels + y * img->pitch;
        for (int x = 0; x < img->w; x++) {
            int r = row[x * 4], g = row[x * 4 + 1], b = row[x * 4 + 2];
            for (int k = 0; k < DRAW_PALETTE_SIZE; k++) {
                uint32_t c = draw_player_colour((uint8_t)k);
                if (abs(r - (int)(c >> 24)) <= 4 && abs(g - (int)((c >> 16) & 0xFF)) <= 4 &&
                    abs(b - (int)((c >> 8) & 0xFF)) <= 4) {
                    count[k]++;
                    sx[k] += x;
                    sy[k] += y;
                }
            }
        }
    }
    printf("image %d %d\n", img->w, img->h);
    for (int k = 0; k < DRAW_PALETTE_SIZE; k++)
        if (count[k] >= 10)
            printf("colour %d pixels %ld x %.0f y %.0f\n", k, count[k], sx[k] / count[k], sy[k] / count[k]);
    SDL_FreeSurface(img);
    SDL_FreeSurface(raw);
    return 0;
}
