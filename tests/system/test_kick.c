/*
 * test_kick: the host removes a player (server_kick) through a real
 * server and three clients over loopback. A kick names the player the
 * host saw: a stale name or the host's own player is left alone; the
 * right one is told "Kicked by the host." and leaves the game, the others
 * hear PLAYER_LEFT with that reason and play on, and the player count
 * drops by exactly one.
 */
#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "client.h"
#include "server.h"

#define HOST_TOKEN 0x5EC12E7ull

static uint64_t t0;

static uint64_t now_us(void)
{
    return (SDL_GetPerformanceCounter() - t0) * 1000000 / SDL_GetPerformanceFrequency();
}

static client *join(uint16_t port, const char *name, uint64_t token)
{
    netclient_config nc = netclient_default_config();
    snprintf(nc.host, sizeof nc.host, "127.0.0.1");
    nc.port = port;
    nc.reconnect_token = token;
    snprintf(nc.name, sizeof nc.name, "%s", name);
    return client_create(&nc, now_us());
}

/* Runs every client for ms milliseconds; counts the LEFT events each saw
 * for player `watch` with reason KICKED_BY_HOST. */
static void run(client **cl, int n, int ms, int watch, int *kicked_seen)
{
    for (int t = 0; t < ms; t += 5) {
        for (int i = 0; i < n; i++) {
            client_update(cl[i], now_us(), 0);
            client_event e;
            while (client_next_event(cl[i], &e))
                if (e.kind == CLIENT_EV_LEFT && e.a == watch && e.b == PROTO_BYE_KICKED_BY_HOST)
                    kicked_seen[i]++;
        }
        SDL_Delay(5);
    }
}

static int present(const client *c)
{
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        n += client_get_view(c)->players[i].present;
    return n;
}

int main(void)
{
    if (SDL_Init(SDL_INIT_TIMER) != 0)
        return 1;
    t0 = SDL_GetPerformanceCounter();
    char err[256];
    server_config sc = server_default_config();
    sc.port = 0;
    sc.seed = 9;
    sc.host_token = HOST_TOKEN;
    server *srv = server_start(&sc, err, sizeof err);
    CHECK_MSG(srv != NULL, "%s", err);
    if (!srv)
        return check_done("kick");
    client *cl[3];
    cl[0] = join(server_port(srv), "Hostess", HOST_TOKEN);
    cl[1] = join(server_port(srv), "Bob", 0);
    cl[2] = join(server_port(srv), "Cy", 0);
    int seen[3] = {0};
    /* Everyone in, and everyone sees everyone (bounded: 20 s). */
    bool all = false;
    for (int k = 0; k < 200 && !all; k++) {
        run(cl, 3, 100, -1, seen);
        all = true;
        for (int i = 0; i < 3; i++)
            all = all && client_get_phase(cl[i], NULL, 0) == CLIENT_PLAYING && present(cl[i]) == 3;
    }
    CHECK(all);
    int host_id = client_get_view(cl[0])->my_id, bob = client_get_view(cl[1])->my_id;
    CHECK(host_id >= 0 && bob >= 0 && host_id != bob);
    CHECK(client_get_view(cl[1])->players[host_id].is_host);

    /* The host's own player and a name no longer in the slot are refused;
     * out of range is refused at once. */
    CHECK(server_kick(srv, host_id, "Hostess"));
    CHECK(server_kick(srv, bob, "Robert"));
    CHECK(!server_kick(srv, -1, "Bob") && !server_kick(srv, SIM_MAX_PLAYERS, "Bob"));
    run(cl, 3, 1500, bob, seen);
    for (int i = 0; i < 3; i++)
        CHECK_MSG(client_get_phase(cl[i], NULL, 0) == CLIENT_PLAYING && present(cl[i]) == 3,
                  "client %d: a refused kick removed someone", i);
    CHECK(server_get_stats(srv).players == 3);

    /* Bob, by the name the host sees. */
    CHECK(server_kick(srv, bob, "Bob"));
    char why[256] = "";
    bool ended = false;
    for (int k = 0; k < 100 && !ended; k++) {
        run(cl, 3, 100, bob, seen);
        ended = client_get_phase(cl[1], why, sizeof why) == CLIENT_ENDED;
    }
    CHECK_MSG(ended && strcmp(why, "Kicked by the host.") == 0, "Bob: ended %d, '%s'", ended, why);
    /* The others hear it once, with the reason, and carry on. */
    for (int k = 0; k < 50 && !(seen[0] && seen[2]); k++)
        run(cl, 3, 100, bob, seen);
    run(cl, 3, 1000, bob, seen);
    CHECK_MSG(seen[0] == 1 && seen[2] == 1, "LEFT(KICKED_BY_HOST) seen %d and %d times", seen[0], seen[2]);
    for (int i = 0; i < 3; i += 2)
        CHECK_MSG(client_get_phase(cl[i], NULL, 0) == CLIENT_PLAYING && present(cl[i]) == 2 &&
                      !client_get_view(cl[i])->players[bob].present,
                  "client %d after the kick", i);
    bool two = false;
    for (int k = 0; k < 300 && !two; k++) {
        two = server_get_stats(srv).players == 2;
        SDL_Delay(10);
    }
    CHECK(two);
    /* A kicked player gets no score back: it is not remembered. Bob joins
     * again as a new player, which the host allows. */
    client_destroy(cl[1], PROTO_BYE_QUIT);
    cl[1] = join(server_port(srv), "Bob", 0);
    bool back = false;
    for (int k = 0; k < 100 && !back; k++) {
        run(cl, 3, 100, -1, seen);
        back = client_get_phase(cl[1], NULL, 0) == CLIENT_PLAYING;
    }
    CHECK(back);
    for (int i = 0; i < 3; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);
    SDL_Quit();
    return check_done("kick");
}
