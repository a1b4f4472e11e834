/*
 * test_match_server: the match through a real server and client over
 * loopback: warmup with one player, the host starting the round
 * (server_start_round), the countdown and round-start EVENTs, MATCH
 * counting down on the client, the round's end by its time limit with the
 * winner in an EVENT and in MATCH, and the server's stats on the way.
 */
#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "client.h"
#include "server.h"

static uint64_t now_us(uint64_t t0)
{
    return (SDL_GetPerformanceCounter() - t0) * 1000000 / SDL_GetPerformanceFrequency();
}

int main(void)
{
    if (SDL_Init(SDL_INIT_TIMER) != 0)
        return 1;
    char err[256];
    server_config sc = server_default_config();
    sc.port = 0;
    sc.seed = 5;
    sc.round_seconds = 5;
    server *srv = server_start(&sc, err, sizeof err);
    CHECK_MSG(srv != NULL, "%s", err);
    if (!srv)
        return check_done("match_server");
    netclient_config nc = netclient_default_config();
    snprintf(nc.host, sizeof nc.host, "127.0.0.1");
    nc.port = server_port(srv);
    snprintf(nc.name, sizeof nc.name, "Solo");
    uint64_t t0 = SDL_GetPerformanceCounter();
    client *c = client_create(&nc, now_us(t0));

    int countdowns = 0, starts = 0, ends = 0, end_winner = -1;
    bool saw_warmup = false, asked = false, saw_playing = false, saw_intermission = false;
    uint32_t max_left_playing = 0;
    /* Bounded: 40 s of wall time at most; a round is 3 + 5 s. */
    for (int i = 0; i < 40 * 200 && !saw_intermission; i++) {
        uint64_t t = now_us(t0);
        client_update(c, t, 0);
        const client_view *v = client_get_view(c);
        client_event e;
        while (client_next_event(c, &e)) {
            countdowns += e.kind == PROTO_EV_COUNTDOWN;
            starts += e.kind == PROTO_EV_ROUND_START;
            if (e.kind == PROTO_EV_ROUND_END) {
                ends++;
                end_winner = e.a;
            }
        }
        server_stats st = server_get_stats(srv);
        if (v->match.known && v->match.phase == SIM_PHASE_WARMUP && st.players == 1 && !asked) {
            saw_warmup = true;
            SDL_Delay(1500); /* alone, nothing starts by itself */
            CHECK(server_get_stats(srv).phase == SIM_PHASE_WARMUP);
            server_start_round(srv);
            asked = true;
        }
        if (v->match.known && v->match.phase == SIM_PHASE_PLAYING) {
            saw_playing = true;
            uint32_t left = client_match_seconds_left(v, t);
            max_left_playing = left > max_left_playing ? left : max_left_playing;
        }
        if (v->match.known && v->match.phase == SIM_PHASE_INTERMISSION) {
            saw_intermission = true;
            CHECK(v->match.winner == v->my_id && v->match.round == 1);
        }
        SDL_Delay(5);
    }
    CHECK(saw_warmup && asked && saw_playing && saw_intermission);
    CHECK_MSG(countdowns == 3 && starts == 1, "%d countdowns, %d starts", countdowns, starts);
    CHECK_MSG(max_left_playing == 5, "the round showed %u s at most", max_left_playing);
    /* The END event may trail MATCH by a message: let it arrive. */
    for (int i = 0; i < 200 && ends == 0; i++) {
        client_update(c, now_us(t0), 0);
        client_event e;
        while (client_next_event(c, &e))
            if (e.kind == PROTO_EV_ROUND_END) {
                ends++;
                end_winner = e.a;
            }
        SDL_Delay(5);
    }
    CHECK(ends == 1 && end_winner == client_get_view(c)->my_id);
    /* The stats say so too (published once a second). */
    bool stats_ok = false;
    for (int i = 0; i < 300 && !stats_ok; i++) {
        server_stats st = server_get_stats(srv);
        stats_ok = st.phase == SIM_PHASE_INTERMISSION && st.round == 1 && st.round_left_s <= 8 && st.round_left_s > 0;
        SDL_Delay(10);
    }
    CHECK(stats_ok);
    client_destroy(c, PROTO_BYE_QUIT);
    server_stop(srv);
    SDL_Quit();
    return check_done("match_server");
}
