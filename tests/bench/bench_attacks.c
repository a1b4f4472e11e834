/*
 * bench_attacks: what an attacker on the LAN can still do to a host, in
 * figures. A real server thread in this process; raw clients bound to
 * other 127.0.0.0/8 addresses play the attackers (127.0.0.1 is the host's
 * own computer). Four measurements, each bounded in time:
 *
 *  1. silent flood: 38 silent connections (the count that locked players
 *     out), plus 64 more from 127.0.0.2, all reopened as soon as they
 *     close; an honest player from its own address tries to join every
 *     0.5 s for 10 s. Prints how many got in and the slowest join.
 *  2. churn: 31 players who ack every snapshot as a real client does; one
 *     of them is measured. Its download for 4 s of calm, then for 6 s while
 *     a churner from 127.0.0.2 joins and leaves as fast as the host lets
 *     it (and, as a second figure, a churner from 127.0.0.1, which no
 *     per-address limit applies to, showing the batching alone).
 *  3. passwords: one connection guessing back to back, then 16 at once,
 *     from 127.0.0.2, 5 s each: wrong-password answers per second.
 *
 *   bench_attacks [--quick]     (--quick: shorter phases)
 *
 * The --list-lan figure under a query flood is tests/bench/bench_lan_flood.sh
 * (network namespaces, root).
 */
#include <stdatomic.h>
#include <SDL.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rawclient.h"
#include "server.h"

static double scale = 1.0;

static server *start(int max_players, const char *password)
{
    server_config cfg = server_default_config();
    cfg.port = 0;
    cfg.max_players = max_players;
    cfg.seed = 11;
    if (password)
        snprintf(cfg.password, sizeof cfg.password, "%s", password);
    char why[256];
    server *s = server_start(&cfg, why, sizeof why);
    if (!s) {
        fprintf(stderr, "bench_attacks: %s\n", why);
        exit(1);
    }
    return s;
}

/* ---- 1 ---- */

#define FLOOD 102

static void bench_silent_flood(void)
{
    server *srv = start(32, NULL);
    uint16_t port = server_port(srv);
    static rawclient flood[FLOOD];
    char from[FLOOD][24];
    for (int i = 0; i < FLOOD; i++) {
        snprintf(from[i], sizeof from[i], i < 38 ? "127.0.1.%d" : "127.0.0.2", i + 1);
        rawclient_open(&flood[i], from[i], port);
    }
    int tries = 0, joined = 0, reopened = 0;
    double worst = 0, t0 = rawclient_now(), next = t0 + 0.5, end = t0 + 10.0 * scale;
    static rawclient honest[64];
    while (rawclient_now() < end) {
        for (int i = 0; i < FLOOD; i++) {
            rawclient_pump(&flood[i]);
            if (flood[i].eof || flood[i].fd < 0) {
                rawclient_close(&flood[i]);
                rawclient_open(&flood[i], from[i], port);
                reopened++;
            }
        }
        if (rawclient_now() >= next && tries < 20) {
            next += 0.5;
            char addr[24], name[24];
            snprintf(addr, sizeof addr, "127.0.2.%d", tries + 1);
            snprintf(name, sizeof name, "Honest %d", tries + 1);
            rawclient *c = &honest[tries++];
            double asked = rawclient_now();
            if (rawclient_open(c, addr, port) && rawclient_hello(c, name, 0, NULL) && rawclient_wait_answer(c, 5.0))
                joined++;
            if (rawclient_now() - asked > worst)
                worst = rawclient_now() - asked;
        }
        SDL_Delay(5);
    }
    printf("1. silent flood (38 addresses + 64 from one, %d reopened in %.0f s): honest joins %d of %d, "
           "slowest answer %.3f s\n",
           reopened, rawclient_now() - t0, joined, tries, worst);
    for (int i = 0; i < FLOOD; i++)
        rawclient_close(&flood[i]);
    for (int i = 0; i < tries; i++)
        rawclient_close(&honest[i]);
    server_stop(srv);
}

/* ---- 2 ---- */

#define PLAYERS 31

typedef struct {
    uint16_t port;
    const char *from;
    atomic_int stop;
    int cycles;
} churn_job;

static int churn_thread(void *arg)
{
    churn_job *j = arg;
    for (int k = 0; k < 200000 && !atomic_load(&j->stop); k++) {
        rawclient c;
        if (!rawclient_open(&c, j->from, j->port))
            break;
        char name[24];
        snprintf(name, sizeof name, "Churn %d", k % 16);
        if (rawclient_hello(&c, name, 0, NULL) && rawclient_wait_answer(&c, 1.0)) {
            proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
            rawclient_send(&c, &bye);
            j->cycles++;
        }
        rawclient_close(&c);
    }
    return 0;
}

/* Pumps every player, each acking with an INPUT every 16 ms, for secs;
 * returns the bytes player 0 received. */
static uint64_t play(rawclient *p, int n, double secs, uint32_t *seq)
{
    uint64_t before = p[0].bytes_in;
    double end = rawclient_now() + secs, next = 0;
    while (rawclient_now() < end) {
        for (int i = 0; i < n; i++)
            rawclient_pump(&p[i]);
        if (rawclient_now() >= next) {
            next = rawclient_now() + 0.016;
            ++*seq;
            for (int i = 0; i < n; i++)
                if (p[i].welcomed && !p[i].eof)
                    rawclient_input(&p[i], *seq);
        }
        SDL_Delay(1);
    }
    return p[0].bytes_in - before;
}

static void bench_churn(const char *from, const char *label)
{
    server *srv = start(32, NULL);
    uint16_t port = server_port(srv);
    static rawclient p[PLAYERS];
    for (int i = 0; i < PLAYERS; i++) {
        char name[24];
        snprintf(name, sizeof name, "Player %d", i + 1);
        if (!rawclient_open(&p[i], "127.0.0.1", port) || !rawclient_hello(&p[i], name, 0, NULL) ||
            !rawclient_wait_answer(&p[i], 5.0))
            fprintf(stderr, "bench_attacks: %s did not join\n", name);
    }
    uint32_t seq = 0;
    play(p, PLAYERS, 2.0, &seq); /* settle */
    double calm_s = 4.0 * scale;
    uint64_t calm = play(p, PLAYERS, calm_s, &seq);
    churn_job job = {.port = port, .from = from};
    SDL_Thread *t = SDL_CreateThread(churn_thread, "churn", &job);
    double churn_s = 6.0 * scale;
    uint32_t j0 = p[0].joined, l0 = p[0].left, i0 = p[0].info;
    uint64_t churned = play(p, PLAYERS, churn_s, &seq);
    atomic_store(&job.stop, 1);
    SDL_WaitThread(t, NULL);
    int alive = 0;
    for (int i = 0; i < PLAYERS; i++)
        alive += p[i].welcomed && !p[i].eof;
    printf("2. churn from %s: a player's download %.1f KB/s calm, %.1f KB/s during %d join/leave cycles in %.0f s "
           "(%.0f/s); it heard %u JOINED, %u LEFT, %u INFO; %d of %d players still in\n",
           label, calm / calm_s / 1000.0, churned / churn_s / 1000.0, job.cycles, churn_s, job.cycles / churn_s,
           p[0].joined - j0, p[0].left - l0, p[0].info - i0, alive, PLAYERS);
    for (int i = 0; i < PLAYERS; i++)
        rawclient_close(&p[i]);
    server_stop(srv);
}

/* ---- 3 ---- */

static void bench_passwords(int conns)
{
    server *srv = start(8, "swordfish");
    uint16_t port = server_port(srv);
    rawclient g[16];
    bool open[16] = {false};
    int sent = 0, wrong = 0, busy = 0;
    double t0 = rawclient_now(), secs = 5.0 * scale, end = t0 + secs;
    while (rawclient_now() < end && sent < 1000000) {
        for (int i = 0; i < conns; i++) {
            if (open[i]) {
                rawclient_pump(&g[i]);
                if (!g[i].rejected && !g[i].eof)
                    continue;
                wrong += g[i].rejected && g[i].reject_reason == PROTO_REJECT_PASSWORD;
                busy += g[i].rejected && g[i].reject_reason == PROTO_REJECT_FULL;
                rawclient_close(&g[i]);
            }
            char guess[16];
            snprintf(guess, sizeof guess, "g%d", sent);
            open[i] = rawclient_open(&g[i], "127.0.0.2", port) && rawclient_hello(&g[i], "Guesser", 0, guess);
            sent += open[i];
        }
        if (conns == 1) {
            struct pollfd pf = {.fd = g[0].fd, .events = POLLIN};
            poll(&pf, 1, 5);
        } else {
            SDL_Delay(1);
        }
    }
    for (int i = 0; i < conns; i++)
        if (open[i])
            rawclient_close(&g[i]);
    printf("3. passwords, %d connection%s at a time from one address: %d guesses sent, %.1f answered "
           "\"wrong password\" a second, %d told busy\n",
           conns, conns == 1 ? "" : "s", sent, wrong / secs, busy);
    server_stop(srv);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && strcmp(argv[1], "--quick") == 0)
        scale = 0.5;
    log_set_level(LOG_WARN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    SDL_Init(SDL_INIT_TIMER);
    bench_silent_flood();
    bench_churn("127.0.0.2", "127.0.0.2");
    bench_churn("127.0.0.1", "127.0.0.1 (no per-address limit)");
    bench_passwords(1);
    bench_passwords(16);
    SDL_Quit();
    return 0;
}
