#include "dedicated.h"

#include <SDL.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bots.h"
#include "discovery.h"
#include "lan.h"
#include "log.h"
#include "stats.h"

static volatile sig_atomic_t dedicated_quit;

static void dedicated_on_signal(int sig)
{
    (void)sig;
    dedicated_quit = 1;
}

static uint64_t dedicated_now_us(void)
{
    static uint64_t freq;
    if (!freq)
        freq = SDL_GetPerformanceFrequency();
    uint64_t t = SDL_GetPerformanceCounter();
    return t / freq * 1000000u + t % freq * 1000000u / freq;
}

server_config dedicated_server_config(const options *o)
{
    server_config sc = server_default_config();
    sc.port = o->port;
    snprintf(sc.password, sizeof sc.password, "%s", o->password);
    sc.max_players = o->max_players;
    sc.no_delta = o->no_delta;
    sc.snapshot_hz = o->snapshot_hz; /* 0: no cap */
    sc.silence_timeout_ms = o->timeout_s * 1000; /* as long as its players wait */
    sc.round_seconds = o->round_seconds;
    sc.score_limit = o->score_limit;
    snprintf(sc.trusted_addr[1], sizeof sc.trusted_addr[1], "%s", o->trust_addr);
    return sc;
}

int dedicated_run(const options *o, const char *prog)
{
    FILE *stats = NULL;
    char err[1200];
    if (o->stats[0] && !(stats = stats_open(o->stats, err, sizeof err))) {
        fprintf(stderr, "%s: cannot use the --stats file: %s\n", prog, err);
        return 1;
    }
    server_config sc = dedicated_server_config(o);

    server *srv = server_start(&sc, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "%s: %s\n", prog, err);
        if (stats)
            fclose(stats);
        return 1;
    }
    uint16_t port = server_port(srv);
    char info[256];
    lan_hosting_line(port, info, sizeof info);
    log_info("%s", info);
    printf("%s\n", info);
    fflush(stdout);

    /* Discovery is a convenience: hosting goes on without it (e.g. a
     * second host on this computer holds the UDP port). */
    discovery_responder_config dc = discovery_default_responder_config();
    dc.game_port = port;
    dc.max_players = o->max_players;
    dc.game_id = discovery_new_game_id(); /* this server's session, on every interface */
    dc.password = o->password[0] != '\0';
    snprintf(dc.name, sizeof dc.name, "%.*s", DISCOVERY_NAME_MAX, o->name_set ? o->name : DISCOVERY_HOST_NAME);
    char derr[256];
    discovery_responder *responder = discovery_responder_start(&dc, derr, sizeof derr);
    if (!responder)
        log_warn("LAN discovery is off: %s", derr);
    bots *b = o->bots > 0 ? bots_start("127.0.0.1", port, o->bots, (uint32_t)dedicated_now_us() | 1u) : NULL;

    /* ISO C's signal(): the handler only sets a flag, and it is on
     * Windows too (Ctrl+C arrives as SIGINT). */
    signal(SIGINT, dedicated_on_signal);
    signal(SIGTERM, dedicated_on_signal);

    /* Once a second a line, each with a second the server has just
     * published: its own once-a-second clock has any phase against ours
     * (it restarts after the process was stopped), so at each mark the
     * line waits up to half a second for a fresh publication, and goes
     * with the old one only when none comes (a server that stopped
     * ticking). */
    uint64_t start = dedicated_now_us(), next_second = start + 1000000;
    uint64_t bytes_in = 0, bytes_out = 0;
    uint32_t last_tick = 0;
    while (!dedicated_quit) {
        uint64_t now = dedicated_now_us() - start;
        if (o->quit_after > 0 && now >= (uint64_t)(o->quit_after * 1e6))
            break;
        server_stats ss = server_get_stats(srv);
        bool fresh = ss.tick != last_tick;
        if (now + start >= next_second && (fresh || now + start >= next_second + 500000)) {
            next_second += 1000000;
            if (next_second < now + start)
                next_second = now + start + 1000000;
            last_tick = ss.tick;
            if (responder)
                discovery_responder_update(responder, dc.name, ss.players, o->max_players);
            if (stats) {
                stats_line l = {.t = (double)now / 1e6, .role = "server", .players = ss.players, .tick = ss.tick,
                                .snapshot_hz = ss.snapshot_hz, .rtt_ms = 0,
                                .bytes_in_per_s = (float)(ss.bytes_in - bytes_in),
                                .bytes_out_per_s = (float)(ss.bytes_out - bytes_out),
                                .frame_ms_p50 = ss.tick_ms_p50, .frame_ms_p99 = ss.tick_ms_p99,
                                .phase = sim_phase_name(ss.phase), .round = ss.round,
                                .round_left_s = ss.round_left_s};
                bytes_in = ss.bytes_in;
                bytes_out = ss.bytes_out;
                stats_write(stats, &l);
            }
        }
        SDL_Delay(20);
    }
    bots_stop(b);
    discovery_responder_stop(responder);
    server_stop(srv);
    if (stats)
        fclose(stats);
    return 0;
}
