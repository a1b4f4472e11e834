/*
 * tool_soak: a headless host under churn, as netcode.io's soak.c does it.
 *
 * It starts `lanarena --host --headless` and keeps up to --clients
 * clients in the game: two in-process observers (client objects of this
 * program, driven by the bot AI, whose worlds are compared) and the rest
 * bot processes (`lanarena --join --headless --bot`). Every second some
 * processes leave cleanly (SIGTERM: the client says GOODBYE), some are
 * killed (SIGKILL: the socket just closes) and new ones join.
 *
 * At the end, after 3 quiet seconds, it checks and prints:
 *  - the host never exited and exits 0 when told to quit (under ASan,
 *    that includes no leak), and its RSS (VmRSS) at the start and the end,
 *    which must not grow by more than --max-rss-growth-kb;
 *  - every connected client's world matches the server's: the observers'
 *    worlds (every player's position, velocity, score; the gems) are equal
 *    at every tick both saw; the host, every bot process and every
 *    observer agree on how many players are in the game;
 *  - no bot process died or was dropped other than by the soak's hand;
 *  - joins, clean leaves, kills, snapshots, duration.
 * Exit 0 when all holds, 1 otherwise.
 *
 *   tool_soak [--seconds N] [--clients N] [--max-rss-growth-kb N] [--out DIR]
 *             [--seed N]   (the churn is random; the seed is printed)
 *
 * Traffic stays on 127.0.0.1. Every process it starts is bounded by
 * --quit-after, so nothing outlives it by more than a minute.
 */
#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bot.h"
#include "client.h"
#include "log.h"
#include "sim.h"
#include "testproc.h"

#define SOAK_MAX_BOTS 64
#define SOAK_OBSERVERS 2
#define SOAK_RING 256          /* digests kept per observer, by tick */
#define SOAK_SETTLE_S 3.0
#define SOAK_LEAVE_LIMIT_S 5.0 /* a SIGTERMed bot must be gone by then */

typedef struct {
    pid_t pid;
    int n;              /* "Soak n" */
    double started;
    bool leaving;       /* SIGTERM or SIGKILL sent */
    bool killed;        /* SIGKILL: any exit status is ours */
    double leave_at;
    char stats[600], log[600];
} soak_bot;

typedef struct {
    uint32_t tick;
    uint64_t present;   /* who is in the game, with names */
    uint64_t state;     /* every player's state and the gems */
    bool valid;
} soak_digest;

typedef struct {
    client *cl;
    bot_state ai;
    uint32_t last_tick;
    uint64_t updates;   /* world updates (snapshot, delta or keepalive) applied */
    soak_digest ring[SOAK_RING];
} soak_observer;

static char out_dir[512], host_log[600], host_stats[600];
static uint16_t port;
static pid_t host_pid;
static soak_bot bots[SOAK_MAX_BOTS];
static int bot_count, bot_serial;
static soak_observer obs[SOAK_OBSERVERS];
static uint64_t joins, leaves, kills, unexpected_exits, leave_errors;
static uint64_t compared, mismatched, skipped;
static int failures;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void soak_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void soak_fail(const char *fmt, ...)
{
    failures++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tool_soak: FAIL: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static uint32_t rng_state = 0x2545F491u;

static uint32_t soak_rand(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return n ? rng_state % n : 0;
}

/* VmRSS of pid in KiB, 0 when unreadable. */
static long soak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* The newest line of a --stats file with the given role. */
static bool soak_last_line(const char *path, const char *role, char *line, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char buf[1024], want[64];
    snprintf(want, sizeof want, "\"role\":\"%s\"", role);
    bool found = false;
    while (fgets(buf, sizeof buf, f))
        if (strstr(buf, want)) {
            snprintf(line, cap, "%s", buf);
            found = true;
        }
    fclose(f);
    return found;
}

static double soak_json(const char *line, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = strstr(line, k);
    return p ? atof(p + strlen(k)) : -1;
}

/* ---- bot processes ---- */

static void soak_bot_start(double quit_after)
{
    if (bot_count >= SOAK_MAX_BOTS)
        return;
    soak_bot *b = &bots[bot_count];
    memset(b, 0, sizeof *b);
    b->n = ++bot_serial;
    snprintf(b->stats, sizeof b->stats, "%s/bot-%d.jsonl", out_dir, b->n);
    snprintf(b->log, sizeof b->log, "%s/bot-%d.log", out_dir, b->n);
    char addr[64], name[32], quit[32];
    snprintf(addr, sizeof addr, "127.0.0.1:%u", (unsigned)port);
    snprintf(name, sizeof name, "Soak %d", b->n);
    snprintf(quit, sizeof quit, "%.0f", quit_after);
    char *argv[] = {LANARENA_BIN, "--join", addr, "--headless", "--bot", "--name", name,
                    "--quit-after", quit, "--stats", b->stats, NULL};
    b->pid = testproc_spawn(argv, b->log);
    b->started = now_s();
    if (b->pid > 0) {
        bot_count++;
        joins++;
    }
}

static void soak_bot_forget(int i, bool keep_log)
{
    if (!keep_log)
        unlink(bots[i].log);
    unlink(bots[i].stats);
    bots[i] = bots[--bot_count];
}

/* Reaps exited bots. A bot that exits without being told to was dropped
 * by the host or crashed: a failure, its log kept. */
static void soak_reap(double now)
{
    for (int i = 0; i < bot_count;) {
        soak_bot *b = &bots[i];
        int status;
        pid_t r = waitpid(b->pid, &status, WNOHANG);
        if (r == b->pid) {
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (!b->leaving) {
                unexpected_exits++;
                soak_fail("bot 'Soak %d' exited on its own (status %d); see %s", b->n, code, b->log);
                soak_bot_forget(i, true);
            } else if (code != 0 && !b->killed) {
                leave_errors++;
                soak_fail("bot 'Soak %d' exited %d when told to leave; see %s", b->n, code, b->log);
                soak_bot_forget(i, true);
            } else {
                soak_bot_forget(i, false);
            }
            continue;
        }
        if (b->leaving && now - b->leave_at > SOAK_LEAVE_LIMIT_S) {
            leave_errors++;
            soak_fail("bot 'Soak %d' did not leave within %.0f s of SIGTERM", b->n, SOAK_LEAVE_LIMIT_S);
            kill(b->pid, SIGKILL);
            b->killed = true;
            b->leave_at = now + 1e9; /* reaped next turn */
        }
        i++;
    }
}

/* Picks a bot that is in the game (not leaving, up a while). */
static int soak_pick(double now)
{
    int candidates[SOAK_MAX_BOTS], n = 0;
    for (int i = 0; i < bot_count; i++)
        if (!bots[i].leaving && now - bots[i].started > 2.0)
            candidates[n++] = i;
    return n ? candidates[soak_rand((uint32_t)n)] : -1;
}

/* ---- observers ---- */

static uint64_t soak_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xBF58476D1CE4E5B9ull;
}

static soak_digest soak_digest_of(const client_view *v)
{
    soak_digest d = {.tick = v->server_tick, .present = 1, .state = 1, .valid = true};
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const client_player *p = &v->players[i];
        if (p->present) {
            d.present = soak_mix(d.present, (uint64_t)i);
            for (const char *c = p->name; *c; c++)
                d.present = soak_mix(d.present, (uint8_t)*c);
        }
        const sim_player *s = &p->state;
        if (!s->active)
            continue;
        d.state = soak_mix(d.state, (uint64_t)i);
        d.state = soak_mix(d.state, (uint32_t)s->x);
        d.state = soak_mix(d.state, (uint32_t)s->y);
        d.state = soak_mix(d.state, (uint32_t)s->vx);
        d.state = soak_mix(d.state, (uint32_t)s->vy);
        d.state = soak_mix(d.state, (uint64_t)s->facing << 16 | (uint64_t)s->moving << 8 | s->step);
        d.state = soak_mix(d.state, s->score);
    }
    for (int i = 0; i < v->gem_count && i < SIM_MAX_GEMS; i++) {
        d.state = soak_mix(d.state, (uint16_t)v->gems[i].x);
        d.state = soak_mix(d.state, (uint16_t)v->gems[i].y);
    }
    return d;
}

/* Compares observer k's digest at its newest tick with every other
 * observer's at the same tick. Equal player sets (with names) must mean
 * equal worlds; unequal sets only mean one drained a join or leave that
 * follows that tick's snapshot, so that pair is skipped. */
static void soak_compare(int k, const soak_digest *d)
{
    for (int j = 0; j < SOAK_OBSERVERS; j++) {
        if (j == k)
            continue;
        const soak_digest *o = &obs[j].ring[d->tick % SOAK_RING];
        if (!o->valid || o->tick != d->tick)
            continue;
        if (o->present != d->present) {
            skipped++;
        } else if (o->state != d->state) {
            mismatched++;
            if (mismatched <= 5)
                fprintf(stderr, "tool_soak: observers %d and %d disagree about tick %u\n", k + 1, j + 1,
                        (unsigned)d->tick);
        } else {
            compared++;
        }
    }
}

static void soak_observe(uint64_t now_us)
{
    static sim_world world;
    for (int k = 0; k < SOAK_OBSERVERS; k++) {
        soak_observer *o = &obs[k];
        if (!o->cl)
            continue;
        const client_view *v = client_get_view(o->cl);
        uint8_t buttons = 0;
        if (client_get_phase(o->cl, NULL, 0) == CLIENT_PLAYING && v->my_id >= 0) {
            client_view_to_world(v, &world);
            buttons = bot_think(&o->ai, &world, v->my_id);
        }
        client_update(o->cl, now_us, buttons);
        v = client_get_view(o->cl);
        if (v->server_tick != o->last_tick && v->my_id >= 0) {
            o->last_tick = v->server_tick;
            o->updates++;
            soak_digest d = soak_digest_of(v);
            o->ring[d.tick % SOAK_RING] = d;
            soak_compare(k, &d);
        }
    }
}

static int soak_observer_players(const soak_observer *o)
{
    const client_view *v = client_get_view(o->cl);
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        n += v->players[i].present;
    return n;
}

/* Runs the observers for `seconds`, reaping bots meanwhile; false if the
 * host exited. */
static bool soak_run_for(double seconds, uint64_t t0_us_base, double t0)
{
    double until = now_s() + seconds;
    while (now_s() < until) {
        double now = now_s();
        soak_observe((uint64_t)((now - t0) * 1e6) + t0_us_base);
        soak_reap(now);
        int status;
        if (waitpid(host_pid, &status, WNOHANG) == host_pid) {
            host_pid = -1;
            return false;
        }
        SDL_Delay(2);
    }
    return true;
}

/* Host-side snapshots sent: the sum over its --stats lines of per-client
 * rate times players. */
static double soak_host_snapshots(void)
{
    FILE *f = fopen(host_stats, "r");
    double sum = 0;
    char buf[1024];
    while (f && fgets(buf, sizeof buf, f))
        if (strstr(buf, "\"role\":\"server\""))
            sum += soak_json(buf, "snapshot_hz") * soak_json(buf, "players");
    if (f)
        fclose(f);
    return sum;
}

static int soak_usage(void)
{
    fprintf(stderr,
            "usage: tool_soak [--seconds N] [--clients 3..%d] [--max-rss-growth-kb N] [--out DIR] [--seed N]\n",
            SOAK_MAX_BOTS);
    return 2;
}

int main(int argc, char **argv)
{
    double seconds = 60;
    int clients = 64;
    long max_growth_kb = 16 * 1024;
    const char *out = getenv("LANARENA_TEST_OUT");
    char out_buf[400];
    snprintf(out_buf, sizeof out_buf, "%s", out ? out : "/tmp/lanarena-test");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--clients") == 0 && i + 1 < argc)
            clients = atoi(argv[++i]);
        else if (strcmp(argv[i], "--max-rss-growth-kb") == 0 && i + 1 < argc)
            max_growth_kb = atol(argv[++i]);
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            snprintf(out_buf, sizeof out_buf, "%s", argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state = (uint32_t)strtoul(argv[++i], NULL, 0);
        else
            return soak_usage();
    }
    if (seconds < 5 || seconds > 24 * 3600 || clients < SOAK_OBSERVERS + 1 ||
        clients > SOAK_MAX_BOTS)
        return soak_usage();
    int max_bots = clients - SOAK_OBSERVERS;
    signal(SIGPIPE, SIG_IGN);
    SDL_SetMainReady();
    if (SDL_Init(SDL_INIT_TIMER) != 0) {
        fprintf(stderr, "tool_soak: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    log_set_level(LOG_WARN); /* the observers' joins are not news */
    mkdir(out_buf, 0755);
    snprintf(out_dir, sizeof out_dir, "%s/soak", out_buf);
    mkdir(out_dir, 0755);
    snprintf(host_log, sizeof host_log, "%s/host.log", out_dir);
    snprintf(host_stats, sizeof host_stats, "%s/host.jsonl", out_dir);
    unlink(host_stats);
    if (rng_state == 0x2545F491u) /* no --seed */
        rng_state = (uint32_t)time(NULL) * 2654435761u;
    if (rng_state == 0)
        rng_state = 1; /* xorshift's fixed point */
    uint32_t seed = rng_state;

    port = testproc_free_port();
    char port_s[16], quit_s[32], addr[64];
    snprintf(port_s, sizeof port_s, "%u", (unsigned)port);
    snprintf(quit_s, sizeof quit_s, "%.0f", seconds + 60);
    snprintf(addr, sizeof addr, "127.0.0.1:%u", (unsigned)port);
    char *host_argv[] = {LANARENA_BIN, "--host", "--headless", "--port", port_s, "--max-players", "64",
                         "--quit-after", quit_s, "--stats", host_stats, NULL};
    host_pid = testproc_spawn(host_argv, host_log);
    double t0 = now_s();
    SDL_Delay(500);
    printf("tool_soak: host pid %d on port %u, %d clients (%d bot processes, %d in-process observers), "
           "%.0f s, seed %u\n",
           (int)host_pid, (unsigned)port, clients, max_bots, SOAK_OBSERVERS, seconds, (unsigned)seed);
    fflush(stdout);

    for (int k = 0; k < SOAK_OBSERVERS; k++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "127.0.0.1");
        nc.port = port;
        snprintf(nc.name, sizeof nc.name, "Observer %d", k + 1);
        obs[k].cl = client_create(&nc, 0);
        bot_init(&obs[k].ai, 0x1234u + (uint32_t)k * 7919u);
    }
    double quit_after = seconds + 60;
    for (int i = 0; i < max_bots * 3 / 4; i++)
        soak_bot_start(quit_after);

    /* Warm-up: everyone in, then the starting RSS. */
    bool host_ok = soak_run_for(4.0, 0, t0);
    long rss_start = host_ok ? soak_rss_kb(host_pid) : 0;
    double churn_start = now_s();
    uint64_t last_report = 0;
    while (host_ok && now_s() - churn_start < seconds) {
        double now = now_s();
        /* One round of churn a second. */
        int n_leave = (int)soak_rand(4), n_kill = (int)soak_rand(3);
        for (int k = 0; k < n_leave; k++) {
            int i = soak_pick(now);
            if (i < 0)
                break;
            kill(bots[i].pid, SIGTERM);
            bots[i].leaving = true;
            bots[i].leave_at = now;
            leaves++;
        }
        for (int k = 0; k < n_kill; k++) {
            int i = soak_pick(now);
            if (i < 0)
                break;
            kill(bots[i].pid, SIGKILL);
            bots[i].leaving = true;
            bots[i].killed = true;
            bots[i].leave_at = now;
            kills++;
        }
        int target = max_bots / 2 + (int)soak_rand((uint32_t)(max_bots - max_bots / 2 + 1));
        int in_game = 0;
        for (int i = 0; i < bot_count; i++)
            in_game += !bots[i].leaving;
        for (int k = 0; k < target - in_game && bot_count < max_bots; k++)
            soak_bot_start(quit_after);
        host_ok = soak_run_for(1.0, 0, t0);
        uint64_t secs = (uint64_t)(now_s() - churn_start);
        if (secs / 30 != last_report / 30) {
            last_report = secs;
            printf("tool_soak: %3llus: %d bots, %llu joins, %llu leaves, %llu kills, host RSS %ld KiB\n",
                   (unsigned long long)secs, bot_count, (unsigned long long)joins,
                   (unsigned long long)leaves, (unsigned long long)kills, soak_rss_kb(host_pid));
            fflush(stdout);
        }
    }
    double churn_s = now_s() - churn_start;

    /* Quiet: let every leave finish, then compare. */
    if (host_ok)
        host_ok = soak_run_for(SOAK_SETTLE_S, 0, t0);
    long rss_end = host_ok ? soak_rss_kb(host_pid) : 0;
    if (!host_ok) {
        soak_fail("the host exited during the soak; see %s", host_log);
    }

    /* Every connected client agrees with the host on who is playing. */
    int in_game = bot_count + SOAK_OBSERVERS;
    char line[1024];
    int host_players = -1;
    if (soak_last_line(host_stats, "server", line, sizeof line))
        host_players = (int)soak_json(line, "players");
    if (host_ok && host_players != in_game)
        soak_fail("the host counts %d players, the soak has %d", host_players, in_game);
    int bots_agree = 0;
    for (int i = 0; i < bot_count; i++) {
        int p = soak_last_line(bots[i].stats, "client", line, sizeof line) ? (int)soak_json(line, "players") : -1;
        if (p == host_players)
            bots_agree++;
        else
            fprintf(stderr, "tool_soak: bot 'Soak %d' counts %d players, the host %d\n", bots[i].n, p,
                    host_players);
    }
    if (bots_agree != bot_count)
        soak_fail("%d bot processes disagree with the host about the players", bot_count - bots_agree);
    for (int k = 0; k < SOAK_OBSERVERS; k++) {
        char why[256] = "";
        if (client_get_phase(obs[k].cl, why, sizeof why) != CLIENT_PLAYING)
            soak_fail("observer %d is no longer playing: %s", k + 1, why);
        else if (soak_observer_players(&obs[k]) != host_players)
            soak_fail("observer %d counts %d players, the host %d", k + 1, soak_observer_players(&obs[k]),
                      host_players);
    }
    if (mismatched > 0)
        soak_fail("observers' worlds differed at %llu ticks", (unsigned long long)mismatched);
    if (compared < (uint64_t)(churn_s * SIM_TICK_HZ / 4))
        soak_fail("only %llu ticks could be compared between observers", (unsigned long long)compared);

    int bots_at_end = bot_count;
    /* Clean shutdown: bots, observers, then the host (must exit 0). */
    for (int i = 0; i < bot_count; i++) {
        kill(bots[i].pid, SIGTERM);
        bots[i].leaving = true;
        bots[i].leave_at = now_s();
    }
    for (int k = 0; k < 100 && bot_count > 0; k++) {
        soak_reap(now_s());
        SDL_Delay(50);
    }
    for (int i = 0; i < bot_count; i++)
        kill(bots[i].pid, SIGKILL), waitpid(bots[i].pid, NULL, 0);
    uint64_t updates = 0;
    for (int k = 0; k < SOAK_OBSERVERS; k++) {
        updates += obs[k].updates;
        client_destroy(obs[k].cl, PROTO_BYE_QUIT);
    }
    double host_snapshots = soak_host_snapshots();
    int host_code = -1;
    if (host_pid > 0) {
        kill(host_pid, SIGTERM);
        int status = 0;
        for (int k = 0; k < 200; k++) {
            if (waitpid(host_pid, &status, WNOHANG) == host_pid) {
                host_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                break;
            }
            SDL_Delay(50);
        }
        if (host_code < 0) {
            kill(host_pid, SIGKILL);
            waitpid(host_pid, NULL, 0);
        }
        if (host_code != 0)
            soak_fail("the host exited %d when told to quit; see %s", host_code, host_log);
    }

    long growth = rss_end - rss_start;
    if (host_ok && growth > max_growth_kb)
        soak_fail("host RSS grew by %ld KiB (limit %ld)", growth, max_growth_kb);
    printf("tool_soak: duration %.1f s of churn (+%.0f s warm-up, %.0f s settle)\n", churn_s, 4.0, SOAK_SETTLE_S);
    printf("tool_soak: joins %llu, clean leaves %llu, kills %llu, bots that left on their own %llu, "
           "failed leaves %llu\n",
           (unsigned long long)joins, (unsigned long long)leaves, (unsigned long long)kills,
           (unsigned long long)unexpected_exits, (unsigned long long)leave_errors);
    printf("tool_soak: snapshots: %.0f sent by the host, %llu world updates applied by the observers\n",
           host_snapshots, (unsigned long long)updates);
    printf("tool_soak: observers' worlds: %llu ticks compared equal, %llu differed, %llu skipped (join/leave "
           "in flight)\n",
           (unsigned long long)compared, (unsigned long long)mismatched, (unsigned long long)skipped);
    printf("tool_soak: players at the end: host %d, soak %d, bot processes agreeing %d/%d\n", host_players,
           in_game, bots_agree, bots_at_end);
    printf("tool_soak: host RSS %ld KiB at start, %ld KiB at end (%+ld KiB, limit +%ld); host exit %d\n",
           rss_start, rss_end, growth, max_growth_kb, host_code);
    printf("tool_soak: %s\n", failures ? "FAILED" : "passed");
    SDL_Quit();
    return failures ? 1 : 0;
}
