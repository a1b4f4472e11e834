/*
 * Rendering smoke test: the real binary hosts with 2 bots in an offscreen
 * GL window and saves a screenshot. The picture must show the arena (wall
 * and floor tiles over most of it) and three player sprites, told apart by
 * their cloak colours (players 0, 1 and 2 wear palette colours 0, 1, 2).
 */
#include <SDL.h>
#include <SDL_image.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "draw.h"
#include "testproc.h"

static int near(int a, int b)
{
    return abs(a - b) <= 4;
}

int main(void)
{
    const char *dir = getenv("LANARENA_TEST_OUT") ? getenv("LANARENA_TEST_OUT") : "/tmp";
    char path[512], cmd[1400];
    snprintf(path, sizeof path, "%s/screenshot_smoke.png", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && rm -f '%s' && SDL_VIDEODRIVER=offscreen '%s' --host --bots 2 --port %d "
             "--name Host --quit-after 3 --screenshot '%s'", dir, path, LANARENA_BIN, testproc_free_port(), path);
    int rc = system(cmd);
    CHECK_MSG(rc == 0, "lanarena exited with %d", rc);

    SDL_Surface *raw = IMG_Load(path);
    CHECK_MSG(raw != NULL, "screenshot %s loads: %s", path, IMG_GetError());
    if (!raw)
        return check_done("screenshot");
    SDL_Surface *img = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    CHECK(img->w == 1280 && img->h == 720);

    /* The arena lies between the top bar and the bottom hint line. */
    long arena_px = 0, background_px = 0, colour_px[3] = {0};
    for (int y = 40; y < img->h - 30; y++) {
        const Uint8 *row = (const Uint8 *)img->pixels + y * img->pitch;
        for (int x = 0; x < img->w; x++) {
            int r = row[x * 4], g = row[x * 4 + 1], b = row[x * 4 + 2];
            arena_px++;
            if (near(r, 0x1B) && near(g, 0x24) && near(b, 0x30))
                background_px++;
            for (int k = 0; k < 3; k++) {
                uint32_t c = draw_player_colour((uint8_t)k);
                if (near(r, (int)(c >> 24)) && near(g, (int)((c >> 16) & 0xFF)) && near(b, (int)((c >> 8) & 0xFF)))
                    colour_px[k]++;
            }
        }
    }
    double covered = 1.0 - (double)background_px / (double)arena_px;
    printf("arena covers %.0f%% of the play area; cloak pixels: %ld %ld %ld\n", covered * 100, colour_px[0],
           colour_px[1], colour_px[2]);
    CHECK(covered > 0.7);
    /* A sprite at this size shows well over 30 pixels of its brightest cloak shade. */
    for (int k = 0; k < 3; k++)
        CHECK_MSG(colour_px[k] >= 30, "player colour %d: %ld pixels", k, colour_px[k]);
    /* The fourth palette colour belongs to nobody: it must be (almost) absent. */
    uint32_t c3 = draw_player_colour(3);
    long stray = 0;
    for (int y = 40; y < img->h - 30; y++) {
        const Uint8 *row = (const Uint8 *)img->pixels + y * img->pitch;
        for (int x = 0; x < img->w; x++)
            if (near(row[x * 4], (int)(c3 >> 24)) && near(row[x * 4 + 1], (int)((c3 >> 16) & 0xFF)) &&
                near(row[x * 4 + 2], (int)((c3 >> 8) & 0xFF)))
                stray++;
    }
    CHECK_MSG(stray < 10, "colour 3 appears %ld times", stray);
    SDL_FreeSurface(img);
    SDL_FreeSurface(raw);
    return check_done("screenshot");
}
