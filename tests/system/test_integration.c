/*
 * A real server thread and real clients (each with its own connection
 * thread) over 127.0.0.1 for a few seconds, driven by the bot AI: four,
 * then a full game of PROTO_MAX_PLAYERS (250; not under ThreadSanitizer,
 * see BIG_GAME). Every client must see every player, and every snapshot a
 * client receives must equal the server's world at that tick exactly.
 */
#include <SDL.h>
#include <string.h>

#include "bot.h"
#include "check.h"
#include "client.h"
#include "server.h"

#define RING 512

/* Under ThreadSanitizer (5-15x slower) one server thread cannot serve
 * even 100 clients' joins and snapshots in real time on two cores (tried:
 * they time out). The big game adds no thread the small one lacks, so
 * TSan runs the small one; the normal and ASan builds run both. */
#if defined(__SANITIZE_THREAD__)
#define BIG_GAME 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BIG_GAME 0
#endif
#endif
#ifndef BIG_GAME
#define BIG_GAME PROTO_MAX_PLAYERS
#endif

static sim_world ring[RING];
static client *cl[SIM_MAX_PLAYERS];
static bot_state ai[SIM_MAX_PLAYERS];
static uint32_t last_checked[SIM_MAX_PLAYERS], last_thought[SIM_MAX_PLAYERS];
static uint8_t held[SIM_MAX_PLAYERS];

/* CLIENTS players for about `seconds` of play once all have joined. With
 * `raw`, clients neither predict nor interpolate (as the host's bots), so
 * one loop can serve 250 of them; what is compared is the snapshots, which
 * both kinds keep. */
static void run_game(int CLIENTS, double seconds, bool raw, int snapshot_hz)
{
    char err[256];
    server_config sc = server_default_config();
    sc.port = 0;
    sc.seed = 1234;
    sc.max_players = CLIENTS;
    sc.snapshot_hz = snapshot_hz;
    server *srv = server_start(&sc, err, sizeof err);
    CHECK_MSG(srv != NULL, "%s", err);
    if (!srv)
        return;

    memset(last_checked, 0, sizeof last_checked);
    memset(ring, 0, sizeof ring);
    for (int i = 0; i < CLIENTS; i++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "127.0.0.1");
        nc.port = server_port(srv);
        snprintf(nc.name, sizeof nc.name, "Bot %d", i);
        const client_netcode plain = {.predict = false, .interp = false};
        cl[i] = client_create_with(&nc, raw ? &plain : NULL, 0);
        bot_init(&ai[i], 99u + (uint32_t)i);
        last_thought[i] = UINT32_MAX;
        held[i] = 0;
    }

    const uint64_t freq = SDL_GetPerformanceFrequency(), t0 = SDL_GetPerformanceCounter();
    uint64_t compared = 0, mismatched = 0, moved_checks = 0;
    uint64_t all_in_us = 0; /* when the server first had every player */
    static sim_world w;
    for (int iter = 0; iter < 400000; iter++) { /* bounded; wall time ends it first */
        uint64_t now_us = (SDL_GetPerformanceCounter() - t0) * 1000000 / freq;
        if (!all_in_us && server_get_stats(srv).players == CLIENTS)
            all_in_us = now_us;
        if (all_in_us ? now_us > all_in_us + (uint64_t)(seconds * 1e6) : now_us > 100000000)
            break;
        server_get_world(srv, &w);
        ring[w.tick % RING] = w;
        for (int i = 0; i < CLIENTS; i++) {
            const client_view *v = client_get_view(cl[i]);
            /* The AI thinks once per snapshot, as the host's bots do. */
            if (v->my_id >= 0 && v->server_tick != last_thought[i]) {
                static sim_world cw;
                client_view_to_world(v, &cw);
                held[i] = bot_think(&ai[i], &cw, v->my_id);
                last_thought[i] = v->server_tick;
            }
            client_update(cl[i], now_us, held[i]);
            v = client_get_view(cl[i]);
            uint32_t t = v->server_tick;
            /* Until its first snapshot a client's tick is WELCOME's and its
             * world is empty: nothing to compare yet. */
            if (v->my_id < 0 || !v->players[v->my_id].seen || t == last_checked[i] ||
                ring[t % RING].tick != t)
                continue;
            last_checked[i] = t;
            const sim_world *sw = &ring[t % RING];
            for (int p = 0; p < SIM_MAX_PLAYERS; p++) {
                const sim_player *a = &sw->players[p], *b = &v->players[p].state;
                if (a->active != b->active) {
                    mismatched++;
                    continue;
                }
                if (!a->active)
                    continue;
                compared++;
                if (a->vx || a->vy)
                    moved_checks++;
                if (a->x != b->x || a->y != b->y || a->vx != b->vx || a->vy != b->vy || a->score != b->score ||
                    a->facing != b->facing)
                    mismatched++;
            }
        }
        SDL_Delay(1);
    }

    for (int i = 0; i < CLIENTS; i++) {
        char why[256];
        CHECK_MSG(client_get_phase(cl[i], why, sizeof why) == CLIENT_PLAYING, "client %d: %s", i, why);
        client_stats st = client_get_stats(cl[i]);
        CHECK_MSG(st.players == CLIENTS, "client %d knows %d players", i, st.players);
        /* Liveness, not speed: snapshots still arrive. The rate a loaded
         * machine reaches is bench_perf's to report. */
        CHECK_MSG(st.snapshot_hz > 1, "client %d gets %.1f snapshots/s", i, st.snapshot_hz);
        const client_view *v = client_get_view(cl[i]);
        int seen = 0;
        for (int p = 0; p < SIM_MAX_PLAYERS; p++)
            seen += v->players[p].present && v->players[p].seen;
        CHECK_MSG(seen == CLIENTS, "client %d sees %d players in its world", i, seen);
    }
    printf("%d players (all in after %.1f s): compared %llu player states at equal ticks (%llu moving), %llu "
           "mismatched\n",
           CLIENTS, all_in_us / 1e6, (unsigned long long)compared, (unsigned long long)moved_checks,
           (unsigned long long)mismatched);
    CHECK_MSG(all_in_us > 0, "only %d of %d players joined in 100 s", server_get_stats(srv).players, CLIENTS);
    CHECK(compared > 1000);
    CHECK(moved_checks > 100);
    CHECK(mismatched == 0);
    server_stats ss = server_get_stats(srv);
    CHECK_MSG(ss.players == CLIENTS, "server has %d players", ss.players);

    for (int i = 0; i < CLIENTS; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);
}

int main(void)
{
    SDL_Init(SDL_INIT_TIMER | SDL_INIT_EVENTS);
    run_game(4, 4, false, 0);
    /* 250 clients in one loop decode 250 snapshots of 250 players each;
     * at 10 Hz a busy two-core machine keeps up, and equality does not
     * depend on the rate. */
    if (BIG_GAME > 0)
        run_game(BIG_GAME, 3, true, 10);
    SDL_Quit();
    return check_done("integration");
}
