/*
 * tool_swarm: COUNT players in one process, each an ordinary client with
 * its own connection (and connection thread), for benchmarks that need
 * the players outside the host process.
 *
 *   tool_swarm HOST PORT COUNT move|idle SECONDS
 *
 * move: every player is driven by the bot AI; idle: nobody presses
 * anything. Prints "ready N" once all COUNT are playing (or after 15 s,
 * with however many are), then runs until SECONDS have passed since start
 * and leaves cleanly. Exit 0 when every player was still playing at the
 * end, 1 otherwise. Bounded: it never runs past SECONDS; SIGTERM ends it
 * early, cleanly.
 */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "client.h"
#include "log.h"

#define SWARM_MAX 256

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: tool_swarm HOST PORT COUNT move|idle SECONDS\n");
        return 2;
    }
    int count = atoi(argv[3]);
    bool move = strcmp(argv[4], "move") == 0;
    double secs = atof(argv[5]);
    if (count < 1 || count > SWARM_MAX || secs <= 0 || secs > 3600) {
        fprintf(stderr, "tool_swarm: COUNT 1..%d, SECONDS 0..3600\n", SWARM_MAX);
        return 2;
    }
    log_set_level(LOG_WARN);
    SDL_Init(SDL_INIT_TIMER | SDL_INIT_EVENTS);
    static client *cl[SWARM_MAX];
    static bot_state ai[SWARM_MAX];
    const uint64_t freq = SDL_GetPerformanceFrequency(), t0 = SDL_GetPerformanceCounter();
    for (int i = 0; i < count; i++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "%s", argv[1]);
        nc.port = (uint16_t)atoi(argv[2]);
        nc.silence_timeout_ms = 8000; /* a loaded 2-core box can stall */
        snprintf(nc.name, sizeof nc.name, "S%d-%d", (int)(SDL_GetPerformanceCounter() % 1000), i);
        cl[i] = client_create(&nc, 0);
        bot_init(&ai[i], 1000u + (uint32_t)i);
    }
    bool ready = false;
    sim_world w;
    int playing = 0;
    bool quit = false;
    while (!quit) {
        uint64_t now_us = (SDL_GetPerformanceCounter() - t0) * 1000000 / freq;
        if (now_us >= (uint64_t)(secs * 1e6))
            break;
        SDL_Event ev;
        while (SDL_PollEvent(&ev)) /* SIGTERM/SIGINT arrive as SDL_QUIT */
            quit |= ev.type == SDL_QUIT;
        playing = 0;
        for (int i = 0; i < count; i++) {
            const client_view *v = client_get_view(cl[i]);
            uint8_t b = 0;
            if (client_get_phase(cl[i], NULL, 0) == CLIENT_PLAYING) {
                playing++;
                if (move && v->my_id >= 0) {
                    client_view_to_world(v, &w);
                    b = bot_think(&ai[i], &w, v->my_id);
                }
            }
            client_update(cl[i], now_us, b);
        }
        if (!ready && (playing == count || now_us > 15000000)) {
            printf("ready %d\n", playing);
            fflush(stdout);
            ready = true;
        }
        SDL_Delay(2);
    }
    for (int i = 0; i < count; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    SDL_Quit();
    return playing == count ? 0 : 1;
}
