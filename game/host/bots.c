#include "bots.h"

#include <stdatomic.h>
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

#include "bot.h"
#include "client.h"
#include "log.h"

typedef struct {
    client *cl;
    bot_state ai;
    bool reported;
} bots_member;

struct bots {
    int count;
    bots_member *members;
    netclient_config base;
    SDL_Thread *thread;
    atomic_int stop;
    atomic_int playing;
};

static int bots_thread(void *arg)
{
    bots *b = arg;
    const uint64_t freq = SDL_GetPerformanceFrequency();
    const uint64_t start = SDL_GetPerformanceCounter();
    sim_world world;
    while (!atomic_load(&b->stop)) {
        uint64_t now_us = (SDL_GetPerformanceCounter() - start) * 1000000 / freq;
        int playing = 0;
        for (int i = 0; i < b->count; i++) {
            bots_member *m = &b->members[i];
            char why[160];
            client_phase ph = client_get_phase(m->cl, why, sizeof why);
            uint8_t buttons = 0;
            if (ph == CLIENT_PLAYING) {
                const client_view *v = client_get_view(m->cl);
                client_view_to_world(v, &world);
                if (v->my_id >= 0)
                    buttons = bot_think(&m->ai, &world, v->my_id);
                playing++;
            } else if ((ph == CLIENT_FAILED || ph == CLIENT_ENDED) && !m->reported) {
                log_info("bot %d: %s", i + 1, why);
                m->reported = true;
            }
            client_update(m->cl, now_us, buttons);
        }
        atomic_store(&b->playing, playing);
        SDL_Delay(2);
    }
    return 0;
}

bots *bots_start(const char *host, uint16_t port, int count, uint32_t seed)
{
    bots *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->members = calloc((size_t)(count > 0 ? count : 1), sizeof *b->members);
    if (!b->members) {
        free(b);
        return NULL;
    }
    b->count = count;
    b->base = netclient_default_config();
    snprintf(b->base.host, sizeof b->base.host, "%s", host);
    b->base.port = port;
    for (int i = 0; i < count; i++) {
        netclient_config cfg = b->base;
        snprintf(cfg.name, sizeof cfg.name, "Bot %d", i + 1);
        /* Bots never draw: no prediction or interpolation to pay for. */
        const client_netcode raw = {.predict = false, .interp = false};
        b->members[i].cl = client_create_with(&cfg, &raw, 0);
        bot_init(&b->members[i].ai, seed + 7919u * (uint32_t)(i + 1));
    }
    b->thread = SDL_CreateThread(bots_thread, "bots", b);
    return b;
}

int bots_playing(bots *b)
{
    return b ? atomic_load(&b->playing) : 0;
}

void bots_stop(bots *b)
{
    if (!b)
        return;
    atomic_store(&b->stop, 1);
    if (b->thread)
        SDL_WaitThread(b->thread, NULL);
    for (int i = 0; i < b->count; i++)
        client_destroy(b->members[i].cl, PROTO_BYE_QUIT);
    free(b->members);
    free(b);
}
