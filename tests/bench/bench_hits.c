/*
 * bench_hits: are dashes judged fairly at any ping? At 0, 50 and 150 ms
 * round trip, with and without 15 ms of jitter (each way), with the
 * host's lag compensation on and off (server_config.no_lagcomp), two
 * clients over loopback with fake lag (netclient's fakelag, the same
 * delay tool_relay adds between processes) play one scripted duel:
 *
 *  - the victim walks a seeded random path (a new direction every 20 to
 *    40 frames) while the dasher is near, and toward it (along the
 *    floor, bot_steer_to) when it is over 80 px away; it never dashes;
 *  - the dasher steers toward where its screen shows the victim and
 *    dashes whenever the victim is drawn within 30 px and the dash is
 *    ready (the dash is predicted: its own player moves at once).
 *
 * Both are driven by this thread at 59.94 frames a second, like a
 * display. Per dash:
 *  - "seen hit": on some frame of the dash the dasher's screen shows its
 *    own (predicted) box within reach of the victim's (interpolated)
 *    box, as sim_dash_reaches_at says, the victim not tumbling;
 *  - "host hit": the host sent a HIT of dasher on victim for it (EVENTs
 *    are assigned to the latest dash started before they arrived;
 *    dashes are a second apart, longer than any trip here);
 *  - "victim saw a clear miss": for a host hit, on none of the victim's
 *    frames from 300 ms before to 150 ms after the HIT reached it were
 *    the two drawn boxes within reach + 8 px.
 *
 * Prints, per condition: dashes, seen hits, agreement (host hits among
 * seen hits), host hits the dasher did not see, and the victim's clear
 * misses among host hits. Also the dasher's prediction corrections a
 * minute, split as predict.h does: mismatches (its simulation disagreed)
 * and moved (the victim was close enough to push it; cf. bench_netcode).
 *
 * Also the host's view: the mean rewind of the dashes it judged and how
 * many were held at the 200 ms bound (lag compensation on).
 *
 * Usage: bench_hits [SECONDS_PER_CONDITION [RTT_MS [BOUND_MS]]]  (default
 * 30, every round trip, the host's 200 ms bound; 12 conditions of SECONDS
 * + 7 s, or 4 for one RTT_MS of 0, 50 or 150). Loopback only; every loop
 * is bounded.
 */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot.h"
#include "lagcomp.h"
#include "client.h"
#include "server.h"

#define BENCH_FRAME_US 16683
#define BENCH_MAX_DASHES 4096
#define BENCH_MAX_HITS 4096
#define BENCH_VICTIM_FRAMES 8192 /* ring of the victim's view: time and the gap */

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

static uint32_t bench_rng(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

typedef struct {
    uint64_t start_us;
    bool seen;
    int host_hits;
} bench_dash;

typedef struct {
    uint64_t t_us;
    bool near; /* the two drawn boxes within reach + 8 px */
} bench_vframe;

typedef struct {
    int dashes, seen, seen_and_host, host, host_unseen, victim_hits, victim_clear_miss;
    float mismatch_per_min, moved_per_min;
    float rewind_ms;
    uint32_t rewinds, at_bound;
} bench_result;

static bool bench_reach_px(float ax, float ay, float bx, float by, float extra)
{
    float r = 2 * SIM_PLAYER_HALF + SIM_DASH_REACH + extra;
    return ax - bx < r && bx - ax < r && ay - by < r && by - ay < r;
}

/* Buttons toward (dx, dy), eight ways, with a little dead zone. */
static uint8_t bench_toward(float dx, float dy)
{
    uint8_t b = 0;
    if (dx > 2)
        b |= SIM_BTN_RIGHT;
    if (dx < -2)
        b |= SIM_BTN_LEFT;
    if (dy > 2)
        b |= SIM_BTN_DOWN;
    if (dy < -2)
        b |= SIM_BTN_UP;
    return b;
}

static int bench_bound_ms; /* 0: the host's default */

static bool bench_condition(int rtt_ms, int jitter_ms, bool compensate, double seconds, bench_result *r)
{
    memset(r, 0, sizeof *r);
    server_config sc = server_default_config();
    sc.port = 0;
    sc.max_players = 4;
    sc.seed = 99;
    sc.round_seconds = 0; /* one endless round: no intermissions */
    sc.no_lagcomp = !compensate;
    sc.lagcomp_max_ms = bench_bound_ms;
    char err[256];
    server *srv = server_start(&sc, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "bench_hits: %s\n", err);
        return false;
    }
    uint64_t t0 = bench_now_us();
    client *cl[2];
    for (int i = 0; i < 2; i++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "127.0.0.1");
        nc.port = server_port(srv);
        snprintf(nc.name, sizeof nc.name, i == 0 ? "Dasher" : "Victim");
        nc.fake_lag_ms = rtt_ms / 2;
        nc.fake_jitter_ms = jitter_ms;
        cl[i] = client_create_with(&nc, NULL, t0);
    }
    static bench_dash dashes[BENCH_MAX_DASHES];
    static bench_vframe vframes[BENCH_VICTIM_FRAMES];
    static uint64_t victim_hit_at[BENCH_MAX_HITS];
    int nd = 0, nvf = 0, nvh = 0;
    /* Joining and the first round's countdown (which respawns both). */
    int warm = 5 * 60, total = warm + (int)(seconds * 60);
    uint32_t rng = 0x5EED1u + (uint32_t)rtt_ms * 7u + (uint32_t)jitter_ms;
    uint8_t victim_buttons = 0;
    int victim_hold = 0;
    uint32_t mismatch0 = 0, moved0 = 0;
    bool ok = true;
    for (int f = 0; f < total && ok; f++) {
        bench_sleep_until(t0 + (uint64_t)f * BENCH_FRAME_US);
        uint64_t now = bench_now_us();
        bool measuring = f >= warm;
        const client_view *dv = client_get_view(cl[0]), *vv = client_get_view(cl[1]);
        int me = dv->my_id, vid = vv->my_id;

        /* The victim wanders near the dasher, and comes back when far. */
        static sim_world seen;
        bool victim_sees = vid >= 0 && me >= 0 && vv->players[me].seen && vv->players[vid].seen;
        float far_x = victim_sees ? vv->players[me].draw_x - vv->players[vid].draw_x : 0;
        float far_y = victim_sees ? vv->players[me].draw_y - vv->players[vid].draw_y : 0;
        if (victim_sees && far_x * far_x + far_y * far_y > 80.0f * 80.0f) {
            client_view_to_world(vv, &seen);
            victim_buttons = bot_steer_to(&seen, vid, vv->players[me].state.x, vv->players[me].state.y);
            victim_hold = 0;
        } else if (--victim_hold <= 0) {
            static const uint8_t dirs[8] = {SIM_BTN_UP, SIM_BTN_DOWN, SIM_BTN_LEFT, SIM_BTN_RIGHT,
                                            SIM_BTN_UP | SIM_BTN_LEFT, SIM_BTN_UP | SIM_BTN_RIGHT,
                                            SIM_BTN_DOWN | SIM_BTN_LEFT, SIM_BTN_DOWN | SIM_BTN_RIGHT};
            victim_buttons = dirs[bench_rng(&rng) % 8];
            victim_hold = 20 + (int)(bench_rng(&rng) % 21);
        }
        /* The dasher chases what it sees and dashes when close. */
        uint8_t dasher_buttons = 0;
        bool can_see = me >= 0 && vid >= 0 && dv->players[vid].seen && dv->players[me].seen;
        if (can_see) {
            const client_player *a = &dv->players[me], *b = &dv->players[vid];
            float dx = b->draw_x - a->draw_x, dy = b->draw_y - a->draw_y;
            static sim_world seen_by_dasher;
            client_view_to_world(dv, &seen_by_dasher);
            dasher_buttons = dx * dx + dy * dy > 40.0f * 40.0f
                                 ? bot_steer_to(&seen_by_dasher, me, (int32_t)(b->draw_x * SIM_FP),
                                                (int32_t)(b->draw_y * SIM_FP))
                                 : bench_toward(dx, dy);
            if (a->shown.cooldown == 0 && a->shown.stun == 0 && dx < 30 && dx > -30 && dy < 30 && dy > -30)
                dasher_buttons |= SIM_BTN_DASH;
        }
        client_update(cl[0], now, dasher_buttons);
        client_update(cl[1], now, victim_buttons);
        if (f == warm) {
            client_netinfo ni = client_take_netinfo(cl[0]);
            mismatch0 = ni.mismatches;
            moved0 = ni.moved;
        }

        /* What each screen shows now. */
        client_event e;
        while (client_next_event(cl[0], &e)) {
            if (!measuring)
                continue;
            if (e.kind == PROTO_EV_DASH && e.a == me && nd < BENCH_MAX_DASHES)
                dashes[nd++] = (bench_dash){.start_us = now};
            else if (e.kind == PROTO_EV_HIT && e.a == me && e.b == vid && nd > 0)
                dashes[nd - 1].host_hits++;
        }
        while (client_next_event(cl[1], &e))
            if (measuring && e.kind == PROTO_EV_HIT && e.b == vid && nvh < BENCH_MAX_HITS)
                victim_hit_at[nvh++] = now;
        if (can_see && nd > 0) {
            const client_player *a = &dv->players[me], *b = &dv->players[vid];
            bool dashing = a->shown.dash > 0 || now - dashes[nd - 1].start_us < 20000;
            if (dashing && b->state.stun == 0 && bench_reach_px(a->draw_x, a->draw_y, b->draw_x, b->draw_y, 0))
                dashes[nd - 1].seen = true;
        }
        if (measuring && vid >= 0 && me >= 0 && vv->players[me].seen && vv->players[vid].seen) {
            const client_player *a = &vv->players[me], *b = &vv->players[vid];
            vframes[nvf % BENCH_VICTIM_FRAMES] =
                (bench_vframe){.t_us = now, .near = bench_reach_px(a->draw_x, a->draw_y, b->draw_x, b->draw_y, 8)};
            nvf++;
        }
        char why[160];
        if (client_get_phase(cl[0], why, sizeof why) == CLIENT_FAILED ||
            client_get_phase(cl[1], why, sizeof why) == CLIENT_FAILED) {
            fprintf(stderr, "bench_hits: a client failed: %s\n", why);
            ok = false;
        }
    }
    /* Let the last HITs arrive, then judge. */
    for (int f = 0; f < 30; f++) {
        bench_sleep_until(bench_now_us() + BENCH_FRAME_US);
        client_update(cl[0], bench_now_us(), 0);
        client_event e;
        while (client_next_event(cl[0], &e))
            if (e.kind == PROTO_EV_HIT && e.a == client_get_view(cl[0])->my_id && nd > 0)
                dashes[nd - 1].host_hits++;
    }
    client_netinfo end = client_take_netinfo(cl[0]);
    r->mismatch_per_min = (float)((end.mismatches - mismatch0) / (seconds / 60.0));
    r->moved_per_min = (float)((end.moved - moved0) / (seconds / 60.0));
    for (int i = 0; i < nd; i++) {
        r->dashes++;
        r->seen += dashes[i].seen;
        r->host += dashes[i].host_hits > 0;
        r->seen_and_host += dashes[i].seen && dashes[i].host_hits > 0;
        r->host_unseen += !dashes[i].seen && dashes[i].host_hits > 0;
    }
    r->victim_hits = nvh;
    int first = nvf > BENCH_VICTIM_FRAMES ? nvf - BENCH_VICTIM_FRAMES : 0;
    for (int h = 0; h < nvh; h++) {
        bool near = false;
        for (int i = first; i < nvf && !near; i++) {
            const bench_vframe *v = &vframes[i % BENCH_VICTIM_FRAMES];
            near = v->near && v->t_us + 300000 >= victim_hit_at[h] && v->t_us <= victim_hit_at[h] + 150000;
        }
        r->victim_clear_miss += !near;
    }
    SDL_Delay(1100); /* the stats are published once a second */
    server_stats st = server_get_stats(srv);
    r->rewind_ms = st.rewind_ms_mean;
    r->rewinds = st.rewinds;
    r->at_bound = st.rewinds_at_bound;
    for (int i = 0; i < 2; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);
    return ok;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 30.0;
    if (seconds < 5 || seconds > 600) {
        fprintf(stderr, "bench_hits: SECONDS_PER_CONDITION must be 5..600\n");
        return 2;
    }
    if (SDL_Init(SDL_INIT_TIMER) != 0)
        return 1;
    printf("bench_hits: %.0f s per condition; dasher chases and dashes, victim wanders\n\n", seconds);
    int only_rtt = argc > 2 ? atoi(argv[2]) : -1;
    bench_bound_ms = argc > 3 ? atoi(argv[3]) : 0;
    if (bench_bound_ms)
        printf("rewind bound %d ms instead of %d\n", bench_bound_ms, LAGCOMP_MAX_REWIND_MS);
    printf("rtt   jitter  lagcomp  dashes  seen  agree      host-unseen  victim-clear-miss  mismatch/min  "
           "moved/min  rewind(mean, at bound)\n");
    static const int rtts[3] = {0, 50, 150}, jitters[2] = {0, 15};
    for (int ri = 0; ri < 3; ri++) {
        if (only_rtt >= 0 && rtts[ri] != only_rtt)
            continue;
        for (int ji = 0; ji < 2; ji++) {
            for (int lc = 1; lc >= 0; lc--) {
                bench_result r;
                if (!bench_condition(rtts[ri], jitters[ji], lc, seconds, &r))
                    return 1;
                printf("%3d   %2d      %-3s      %5d   %4d  %5.1f %%    %4d         %4d of %-4d       %6.1f        %6.1f     ",
                       rtts[ri], jitters[ji], lc ? "on" : "off", r.dashes, r.seen,
                       r.seen ? 100.0 * r.seen_and_host / r.seen : 0.0, r.host_unseen, r.victim_clear_miss, r.victim_hits,
                       r.mismatch_per_min, r.moved_per_min);
                if (lc)
                    printf("%5.0f ms, %u of %u\n", r.rewind_ms, r.at_bound, r.rewinds);
                else
                    printf("-\n");
                fflush(stdout);
            }
        }
    }
    SDL_Quit();
    return 0;
}
