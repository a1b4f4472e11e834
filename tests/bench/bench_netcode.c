/*
 * bench_netcode: how the game feels at 0, 50 and 150 ms round trip, each
 * with and without 15 ms of jitter (each way), with prediction and
 * interpolation on and, measured in the same run, off (--no-predict
 * --no-interp), so the gain shows as a ratio. Prints a table.
 *
 * In one process, so the server's true state is observable: a server
 * thread (server_start), 3 bots over loopback (bots_start), and two
 * measured clients over loopback with fake lag (netclient's fakelag),
 * driven by this thread at 59.94 frames a second (a display rate that
 * drifts against the 60 Hz ticks, so no lucky phase) with the same
 * scripted keys: a direction for 12 frames, nothing for 48, cycling
 * right, left, down, up (so the player stays near its spawn). A sampler
 * thread polls server_get_world every millisecond and stamps each new
 * tick with the time it appeared: the truth.
 *
 * Figures, per condition and client:
 *  1. local response: frames from the frame whose update first carries a
 *     key press (the player at rest) to the first frame whose drawn
 *     position of the local player moved, counting that first frame as 1.
 *     Presses blocked by a wall (no motion within 60 frames) are left out.
 *  2. remote display delay: for every remote player that moves, the point
 *     of the server's true path (last 60 ticks, linear between ticks)
 *     nearest to where it is drawn; delay = now - the time the server was
 *     there. Median and 95th percentile, over frames where the drawn
 *     point lies within 0.25 px of the path.
 *  3. smoothness: frames in which a remote player that truly moved at
 *     every tick of the last 300 ms is drawn not moving (< 0.01 px) or
 *     moving more than twice its fastest true speed in that window; per
 *     minute, summed over remote players.
 *  4. prediction: mismatches per minute (corrections that no late or
 *     dropped input explains: the simulation disagreed), and all
 *     corrections per minute for reference.
 *
 * Usage: bench_netcode [SECONDS_PER_CONDITION [SNAPSHOT_HZ]]   (default
 * 40 s, and a host without a cap: 60 snapshots a second; with
 * SNAPSHOT_HZ (10..60) the host sends every client that many, as
 * `--snapshot-hz` does; about 6 x (SECONDS + 4) s in all). Loopback
 * only; every loop is bounded.
 */
#include <stdatomic.h>
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bots.h"
#include "client.h"
#include "server.h"

#define BENCH_HIST 512
#define BENCH_BOTS 3
#define BENCH_FRAME_US 16683 /* 59.94 Hz, like most displays: the frame phase sweeps past the ticks */
#define BENCH_MAX_SAMPLES 200000

typedef struct {
    uint32_t tick;
    uint64_t t_us;
    int32_t x[SIM_MAX_PLAYERS], y[SIM_MAX_PLAYERS];
    bool active[SIM_MAX_PLAYERS];
} bench_tick;

static struct {
    server *srv;
    SDL_mutex *lock;
    bench_tick hist[BENCH_HIST];
    uint32_t newest;
    atomic_int stop;
} bench;

static uint64_t bench_now_us(void)
{
    return (uint64_t)((double)SDL_GetPerformanceCounter() * 1e6 / (double)SDL_GetPerformanceFrequency());
}

static void bench_sleep_until(uint64_t t_us)
{
    uint64_t now = bench_now_us();
    if (t_us <= now)
        return;
    uint64_t d = t_us - now;
    struct timespec ts = {.tv_sec = (time_t)(d / 1000000), .tv_nsec = (long)(d % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static int bench_sampler(void *arg)
{
    (void)arg;
    static sim_world w;
    for (int n = 0; n < 20 * 60 * 1000 && !atomic_load(&bench.stop); n++) { /* bounded: 20 min */
        server_get_world(bench.srv, &w);
        uint64_t now = bench_now_us();
        SDL_LockMutex(bench.lock);
        if (w.tick != bench.newest) {
            bench_tick *h = &bench.hist[w.tick % BENCH_HIST];
            h->tick = w.tick;
            h->t_us = now;
            for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
                h->active[i] = w.players[i].active;
                h->x[i] = w.players[i].x;
                h->y[i] = w.players[i].y;
            }
            bench.newest = w.tick;
        }
        SDL_UnlockMutex(bench.lock);
        SDL_Delay(1);
    }
    return 0;
}

/* Entries of the last n ticks that the sampler saw, oldest first. Under
 * the lock. */
static int bench_recent(const bench_tick **out, int n)
{
    int k = 0;
    for (uint32_t t = bench.newest - (uint32_t)n + 1; k < n && t != bench.newest + 1; t++) {
        const bench_tick *h = &bench.hist[t % BENCH_HIST];
        if (h->tick == t && h->t_us != 0)
            out[k++] = h;
    }
    return k;
}

typedef struct {
    const char *label;
    client_netcode opts;
    client *cl;
    /* local response */
    bool waiting;
    int press_frame;
    float rest_x, rest_y;
    int resp[1024], resp_n, blocked;
    /* remote delay */
    float *delays;
    int delay_n, unmatched;
    /* smoothness */
    float prev_x[SIM_MAX_PLAYERS], prev_y[SIM_MAX_PLAYERS];
    bool have_prev[SIM_MAX_PLAYERS];
    int stalls, jumps, moving_frames;
    uint64_t prev_now;
    /* prediction */
    client_netinfo start_info;
} bench_client;

static int bench_cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static int bench_cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Scripted keys: 12 frames of a direction, 48 of nothing. */
static uint8_t bench_buttons(int frame)
{
    static const uint8_t dirs[4] = {SIM_BTN_RIGHT, SIM_BTN_LEFT, SIM_BTN_DOWN, SIM_BTN_UP};
    int cycle = frame / 60, in = frame % 60;
    return in < 12 ? dirs[cycle % 4] : 0;
}

/* Remote player r as drawn at now: delay behind the server's true path,
 * and whether it truly moved through the last 300 ms (vmax: its fastest
 * true speed then, px per tick). Under the lock. */
static bool bench_truth(int r, float dx, float dy, uint64_t now, float *delay_ms, bool *moving, float *vmax)
{
    const bench_tick *h[60];
    int n = bench_recent(h, 60);
    *moving = n >= 20;
    *vmax = 0;
    for (int i = 1; i < n; i++) {
        if (h[i]->t_us + 300000 < now)
            continue;
        if (!h[i]->active[r] || !h[i - 1]->active[r]) {
            *moving = false;
            continue;
        }
        float ex = (float)(h[i]->x[r] - h[i - 1]->x[r]) / SIM_FP, ey = (float)(h[i]->y[r] - h[i - 1]->y[r]) / SIM_FP;
        float ticks = (float)(h[i]->tick - h[i - 1]->tick);
        float v = sqrtf(ex * ex + ey * ey) / ticks;
        if (v < 0.25f)
            *moving = false;
        if (v > *vmax)
            *vmax = v;
    }
    /* Nearest point of the path, newest segments first on ties. */
    float best = 1e9f;
    double best_t = 0;
    for (int i = n - 1; i >= 1; i--) {
        if (!h[i]->active[r] || !h[i - 1]->active[r])
            continue;
        float ax = (float)h[i - 1]->x[r] / SIM_FP, ay = (float)h[i - 1]->y[r] / SIM_FP;
        float bx = (float)h[i]->x[r] / SIM_FP, by = (float)h[i]->y[r] / SIM_FP;
        float sx = bx - ax, sy = by - ay, len2 = sx * sx + sy * sy;
        float f = len2 > 0 ? ((dx - ax) * sx + (dy - ay) * sy) / len2 : 0;
        f = f < 0 ? 0 : (f > 1 ? 1 : f);
        float px = ax + f * sx - dx, py = ay + f * sy - dy, d = sqrtf(px * px + py * py);
        if (d < best - 1e-4f) {
            best = d;
            best_t = (double)h[i - 1]->t_us + f * (double)(h[i]->t_us - h[i - 1]->t_us);
        }
    }
    if (best > 0.25f)
        return false;
    *delay_ms = (float)(((double)now - best_t) / 1000.0);
    return true;
}

static void bench_frame(bench_client *b, int frame, uint64_t now, uint8_t buttons, uint8_t prev_buttons)
{
    client_update(b->cl, now, buttons);
    const client_view *v = client_get_view(b->cl);
    if (v->my_id < 0)
        return;
    const client_player *me = &v->players[v->my_id];

    /* 1. local response */
    if (buttons && !prev_buttons) {
        b->waiting = true;
        b->press_frame = frame;
    }
    if (b->waiting) {
        if (fabsf(me->draw_x - b->rest_x) > 0.01f || fabsf(me->draw_y - b->rest_y) > 0.01f) {
            if (b->resp_n < 1024)
                b->resp[b->resp_n++] = frame - b->press_frame + 1;
            b->waiting = false;
        } else if (frame - b->press_frame > 60) {
            b->blocked++;
            b->waiting = false;
        }
    }
    if (!buttons && !b->waiting) {
        b->rest_x = me->draw_x;
        b->rest_y = me->draw_y;
    }

    /* 2, 3. remote players */
    float frame_ticks = b->prev_now ? (float)(now - b->prev_now) / (1e6f / SIM_TICK_HZ) : 1.0f;
    b->prev_now = now;
    SDL_LockMutex(bench.lock);
    for (int r = 0; r < SIM_MAX_PLAYERS; r++) {
        const client_player *p = &v->players[r];
        if (r == v->my_id || !p->present || !p->seen || !p->state.active) {
            b->have_prev[r] = false;
            continue;
        }
        float delay = 0, vmax = 0;
        bool moving = false;
        bool matched = bench_truth(r, p->draw_x, p->draw_y, now, &delay, &moving, &vmax);
        if (moving) {
            if (matched && b->delay_n < BENCH_MAX_SAMPLES)
                b->delays[b->delay_n++] = delay;
            else if (!matched)
                b->unmatched++;
            if (b->have_prev[r]) {
                float mx = p->draw_x - b->prev_x[r], my = p->draw_y - b->prev_y[r];
                float moved = sqrtf(mx * mx + my * my);
                b->moving_frames++;
                if (moved < 0.01f)
                    b->stalls++;
                else if (moved > 2.0f * vmax * frame_ticks)
                    b->jumps++;
            }
        }
        b->prev_x[r] = p->draw_x;
        b->prev_y[r] = p->draw_y;
        b->have_prev[r] = true;
    }
    SDL_UnlockMutex(bench.lock);
}

typedef struct {
    float resp_mean, resp_max;
    int resp_n, blocked;
    float delay_p50, delay_p95, matched_pct;
    float smooth_per_min, stalls_per_min, jumps_per_min;
    float mismatch_per_min, corrections_per_min;
} bench_result;

static bench_result bench_summary(bench_client *b, double minutes)
{
    bench_result r;
    memset(&r, 0, sizeof r);
    r.resp_n = b->resp_n;
    r.blocked = b->blocked;
    if (b->resp_n) {
        qsort(b->resp, (size_t)b->resp_n, sizeof b->resp[0], bench_cmp_int);
        long sum = 0;
        for (int i = 0; i < b->resp_n; i++)
            sum += b->resp[i];
        r.resp_mean = (float)sum / (float)b->resp_n;
        r.resp_max = (float)b->resp[b->resp_n - 1];
    }
    if (b->delay_n) {
        qsort(b->delays, (size_t)b->delay_n, sizeof(float), bench_cmp_float);
        r.delay_p50 = b->delays[b->delay_n / 2];
        r.delay_p95 = b->delays[(b->delay_n * 95) / 100];
    }
    r.matched_pct = b->delay_n + b->unmatched ? 100.0f * (float)b->delay_n / (float)(b->delay_n + b->unmatched) : 0;
    r.stalls_per_min = (float)(b->stalls / minutes);
    r.jumps_per_min = (float)(b->jumps / minutes);
    r.smooth_per_min = r.stalls_per_min + r.jumps_per_min;
    client_netinfo ni = client_take_netinfo(b->cl);
    r.mismatch_per_min = (float)((ni.mismatches - b->start_info.mismatches) / minutes);
    r.corrections_per_min = (float)((ni.corrections - b->start_info.corrections) / minutes);
    return r;
}

static bool bench_condition(uint16_t port, int rtt_ms, int jitter_ms, double seconds, bench_result out[2])
{
    bench_client bc[2];
    memset(bc, 0, sizeof bc);
    bc[0].label = "on";
    bc[0].opts = (client_netcode){.predict = true, .interp = true};
    bc[1].label = "off";
    bc[1].opts = (client_netcode){.predict = false, .interp = false};
    uint64_t t0 = bench_now_us();
    for (int i = 0; i < 2; i++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "127.0.0.1");
        nc.port = port;
        snprintf(nc.name, sizeof nc.name, "Measured %s", bc[i].label);
        nc.fake_lag_ms = rtt_ms / 2;
        nc.fake_jitter_ms = jitter_ms;
        bc[i].cl = client_create_with(&nc, &bc[i].opts, t0);
        bc[i].delays = malloc(sizeof(float) * BENCH_MAX_SAMPLES);
    }
    /* Join and settle: 3 s of frames with no keys. */
    int warm = 3 * 60, total = warm + (int)(seconds * 60);
    uint8_t prev = 0;
    bool ok = true;
    for (int f = 0; f < total; f++) {
        uint64_t at = t0 + (uint64_t)f * BENCH_FRAME_US;
        bench_sleep_until(at);
        uint64_t now = bench_now_us();
        int mf = f - warm;
        uint8_t buttons = mf >= 0 ? bench_buttons(mf) : 0;
        if (mf == 0)
            for (int i = 0; i < 2; i++)
                bc[i].start_info = client_take_netinfo(bc[i].cl);
        for (int i = 0; i < 2; i++) {
            if (mf < 0) {
                client_update(bc[i].cl, now, 0);
                continue;
            }
            bench_frame(&bc[i], mf, now, buttons, prev);
        }
        prev = buttons;
        for (int i = 0; i < 2; i++) {
            char why[256];
            if (client_get_phase(bc[i].cl, why, sizeof why) > CLIENT_PLAYING) {
                fprintf(stderr, "bench: client %s: %s\n", bc[i].label, why);
                ok = false;
            }
        }
        if (!ok)
            break;
    }
    for (int i = 0; i < 2; i++) {
        out[i] = bench_summary(&bc[i], seconds / 60.0);
        client_destroy(bc[i].cl, PROTO_BYE_QUIT);
        free(bc[i].delays);
    }
    return ok;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 40.0;
    int hz = argc > 2 ? atoi(argv[2]) : 0;
    if (!(seconds >= 5 && seconds <= 600) || (argc > 2 && (hz < 10 || hz > 60))) {
        fprintf(stderr, "usage: bench_netcode [SECONDS_PER_CONDITION 5..600 [SNAPSHOT_HZ 10..60]]\n");
        return 2;
    }
    SDL_Init(SDL_INIT_TIMER | SDL_INIT_EVENTS);
    char err[256];
    server_config sc = server_default_config();
    sc.port = 0;
    sc.seed = 4242;
    sc.snapshot_hz = hz;
    bench.srv = server_start(&sc, err, sizeof err);
    if (!bench.srv) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    bench.lock = SDL_CreateMutex();
    SDL_Thread *sampler = SDL_CreateThread(bench_sampler, "sampler", NULL);
    bots *bb = bots_start("127.0.0.1", server_port(bench.srv), BENCH_BOTS, 77);
    SDL_Delay(500);

    printf("bench_netcode: %.0f s per condition, %d snapshots a second, 59.94 fps, %d bots; \"on\" = prediction "
           "+ interpolation (default), \"off\" = --no-predict --no-interp, measured side by side\n\n",
           seconds, hz ? hz : 60, BENCH_BOTS);
    printf("| RTT | jitter | local response, frames: on / off | remote display delay p50 (p95), ms: on / off "
           "| stalls + jumps per min: on / off | mispredictions per min (all corrections) |\n");
    printf("|---|---|---|---|---|---|\n");
    fflush(stdout);
    static const int rtts[3] = {0, 50, 150}, jitters[2] = {0, 15};
    bench_result all[3][2][2];
    int failed = 0;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
            bench_result *r = all[i][j];
            if (!bench_condition(server_port(bench.srv), rtts[i], jitters[j], seconds, r))
                failed++;
            printf("| %d ms | %d ms | %.2f (max %.0f) / %.2f (max %.0f) | %.1f (%.1f) / %.1f (%.1f) "
                   "| %.1f / %.1f | %.1f (%.1f) |\n",
                   rtts[i], jitters[j], r[0].resp_mean, r[0].resp_max, r[1].resp_mean, r[1].resp_max,
                   r[0].delay_p50, r[0].delay_p95, r[1].delay_p50, r[1].delay_p95, r[0].smooth_per_min,
                   r[1].smooth_per_min, r[0].mismatch_per_min, r[0].corrections_per_min);
            fflush(stdout);
        }
    }
    printf("\nDetail (on | off):\n");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++) {
            bench_result *r = all[i][j];
            printf("  %3d ms RTT, %2d ms jitter: presses %d (+%d blocked) | %d (+%d); delay samples on the "
                   "true path %.0f%% | %.0f%%; stalls %.1f jumps %.1f /min | stalls %.1f jumps %.1f /min\n",
                   rtts[i], jitters[j], r[0].resp_n, r[0].blocked, r[1].resp_n, r[1].blocked, r[0].matched_pct,
                   r[1].matched_pct, r[0].stalls_per_min, r[0].jumps_per_min, r[1].stalls_per_min,
                   r[1].jumps_per_min);
        }
    bots_stop(bb);
    atomic_store(&bench.stop, 1);
    SDL_WaitThread(sampler, NULL);
    server_stop(bench.srv);
    SDL_DestroyMutex(bench.lock);
    SDL_Quit();
    return failed ? 1 : 0;
}
