/*
 * predict: a client predicting against a simulated server on a simulated
 * link (ticks, no threads, no sockets).
 *
 *  - Replaying the unacknowledged inputs from an acknowledged server state
 *    reproduces the server's later state bit for bit, so on a clean link
 *    10 minutes of random play reconcile without a single correction.
 *  - Inputs that arrive late (the server repeats the last buttons) or are
 *    dropped force corrections, all classified as late/dropped, never as
 *    mismatches; the prediction is exact again right after each one.
 *  - A server that moves the player by itself (a push) is a mismatch: a
 *    small one glides over a few frames, a large one snaps.
 *  - A hostile server's acks (huge, then small; far behind the ring) cost
 *    at most one ring of replay each, and leave the prediction on the
 *    server's state; extreme positions reconcile without overflow.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "predict.h"
#include "sim.h"

#define QCAP 64
#define HIST 4096

typedef struct {
    uint32_t seq;
    uint8_t buttons;
    int arrive; /* server tick at which it is in the server's queue */
} test_input;

typedef struct {
    sim_player p;
    test_input q[QCAP];
    int qlen;
    uint32_t last_seq;
    uint8_t last_buttons;
    uint32_t tick;
    int keep;              /* drop beyond this many buffered, like the server */
    sim_player at_ack[HIST]; /* server state right after applying seq */
} test_server;

typedef struct {
    uint32_t tick, ack;
    sim_player state;
    int arrive; /* client tick */
} test_snap;

static uint32_t test_rng = 12345;
static uint32_t test_rand(void)
{
    test_rng ^= test_rng << 13;
    test_rng ^= test_rng >> 17;
    test_rng ^= test_rng << 5;
    return test_rng;
}

static sim_player test_spawn(void)
{
    static sim_world w;
    sim_init(&w, 7);
    sim_add_player(&w, 0);
    return w.players[0];
}

/* One server tick, exactly as game/server.c: drop beyond keep, apply one
 * input if one is due, else repeat the last buttons. */
static void test_server_tick(test_server *s)
{
    int due = 0;
    while (due < s->qlen && s->q[due].arrive <= (int)s->tick)
        due++;
    if (due > s->keep) {
        int drop = due - s->keep;
        memmove(s->q, s->q + drop, sizeof s->q[0] * (size_t)(s->qlen - drop));
        s->qlen -= drop;
        due -= drop;
    }
    if (due > 0) {
        s->last_buttons = s->q[0].buttons;
        s->last_seq = s->q[0].seq;
        memmove(s->q, s->q + 1, sizeof s->q[0] * (size_t)(s->qlen - 1));
        s->qlen--;
    }
    sim_player_move(&s->p, s->last_buttons);
    if (due > 0)
        s->at_ack[s->last_seq % HIST] = s->p;
    s->tick++;
}

typedef struct {
    int ticks;
    int up_latency, down_latency; /* ticks */
    int up_jitter;                /* extra 0..up_jitter ticks, order kept */
    int keep;
    int push_at;                  /* server tick of a push, or -1 */
    int push_px;
} test_run_cfg;

static predict_state pr;

static void test_run(const test_run_cfg *cfg)
{
    static test_server srv;
    static test_snap snaps[HIST];
    memset(&srv, 0, sizeof srv);
    srv.p = test_spawn();
    srv.keep = cfg->keep;
    predict_init(&pr);
    int snap_head = 0, snap_len = 0, last_arrive = 0;
    uint32_t seq = 0;
    uint8_t buttons = 0;
    for (int t = 0; t < cfg->ticks; t++) {
        /* Client: deliver snapshots due now, then one input. */
        while (snap_len > 0 && snaps[snap_head].arrive <= t) {
            test_snap *sn = &snaps[snap_head];
            predict_reconcile(&pr, &sn->state, sn->tick, sn->ack);
            snap_head = (snap_head + 1) % HIST;
            snap_len--;
        }
        if (test_rand() % 20 == 0)
            buttons = (uint8_t)(test_rand() % 16);
        seq++;
        predict_input_apply(&pr, seq, buttons);
        int arrive = t + cfg->up_latency + (cfg->up_jitter ? (int)(test_rand() % (uint32_t)(cfg->up_jitter + 1)) : 0);
        if (arrive < last_arrive)
            arrive = last_arrive;
        last_arrive = arrive;
        if (srv.qlen < QCAP)
            srv.q[srv.qlen++] = (test_input){seq, buttons, arrive};
        /* Server. */
        test_server_tick(&srv);
        if ((int)srv.tick == cfg->push_at)
            srv.p.x += cfg->push_px * SIM_FP;
        if (snap_len < HIST) {
            snaps[(snap_head + snap_len) % HIST] =
                (test_snap){srv.tick, srv.last_seq, srv.p, t + cfg->down_latency};
            snap_len++;
        }
    }
}

static void test_replay_exact(void)
{
    /* The statement itself: from the server's state at ack A, replaying
     * inputs A+1..A+k reproduces the server's state at ack A+k. */
    static test_server srv;
    memset(&srv, 0, sizeof srv);
    srv.p = test_spawn();
    srv.keep = 1000;
    uint8_t pressed[HIST];
    for (int t = 0; t < 3000; t++) {
        pressed[t + 1] = (uint8_t)(test_rand() % 16);
        srv.q[srv.qlen++] = (test_input){(uint32_t)t + 1, pressed[t + 1], t};
        test_server_tick(&srv);
    }
    int exact = 0;
    for (uint32_t a = 1; a + 40 < 3000; a += 37) {
        sim_player s = srv.at_ack[a % HIST];
        for (uint32_t k = a + 1; k <= a + 40; k++)
            sim_player_move(&s, pressed[k]);
        exact += predict_same_motion(&s, &srv.at_ack[(a + 40) % HIST]);
    }
    CHECK_MSG(exact == 80, "%d of 80 replays exact", exact);
}

/* CPU time of this thread, seconds: a bound that a busy machine does not
 * move, since a frozen client is CPU spent, not time waited. */
static double test_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A hostile host's acks: huge, then small, forty times. Each pair used to
 * replay ~4 billion sequence numbers (2.8 s of frozen main thread); now
 * the replay is bounded by the ring, and an ack the ring cannot reach
 * puts the prediction on the server's state. */
static void test_hostile_acks(void)
{
    predict_state h;
    predict_init(&h);
    sim_player srv = test_spawn();
    uint32_t seq = 0;
    predict_reconcile(&h, &srv, 1, 0);
    for (int i = 0; i < 20; i++)
        predict_input_apply(&h, ++seq, SIM_BTN_RIGHT);
    double t0 = test_cpu_s();
    uint32_t tick = 2;
    bool on_server = true;
    for (int pair = 0; pair < 40; pair++) {
        sim_player odd = srv;
        odd.x += (pair % 7) * SIM_FP;
        /* Both in one frame's messages, before our next input. */
        predict_reconcile(&h, &odd, tick++, UINT32_MAX - (uint32_t)pair);
        predict_reconcile(&h, &odd, tick++, (uint32_t)pair);
        /* The small ack is billions behind the huge one: nothing held to
         * replay, so the prediction is the server's state. */
        on_server = on_server && predict_same_motion(&h.current, &odd);
        predict_input_apply(&h, ++seq, SIM_BTN_LEFT);
    }
    double spent = test_cpu_s() - t0;
    printf("hostile acks: 40 pairs in %.3f s of CPU\n", spent);
    CHECK_MSG(spent < 2.0, "40 huge/small ack pairs took %.1f s of CPU (a frozen client)", spent);
    CHECK(on_server);

    /* Inside the ring the replay is as before: the server applied input
     * seq-3; the three after it are replayed on its state. */
    predict_state r;
    predict_init(&r);
    sim_player base = test_spawn();
    predict_reconcile(&r, &base, 1, 0);
    for (uint32_t q = 1; q <= 300; q++)
        predict_input_apply(&r, q, q > 297 ? SIM_BTN_RIGHT : 0);
    sim_player want = base;
    for (int k = 0; k < 3; k++)
        sim_player_move(&want, SIM_BTN_RIGHT);
    predict_reconcile(&r, &base, 2, 297);
    CHECK(predict_same_motion(&r.current, &want));
    /* One past the ring's reach (the newest is 300, the ring holds 256):
     * the server's state as it is, nothing replayed. */
    predict_reconcile(&r, &base, 3, 300 - PREDICT_RING);
    CHECK(predict_same_motion(&r.current, &base));
    /* And prediction goes on from there. */
    predict_input_apply(&r, 301, SIM_BTN_RIGHT);
    sim_player next = base;
    sim_player_move(&next, SIM_BTN_RIGHT);
    CHECK(predict_same_motion(&r.current, &next));

    /* Positions at the ends of int32: no overflow in the correction's
     * length (UBSan builds abort on one), a snap rather than a glide. */
    predict_state e;
    predict_init(&e);
    sim_player lo = base, hi = base;
    lo.x = INT32_MIN;
    lo.y = INT32_MIN;
    hi.x = INT32_MAX;
    hi.y = INT32_MAX;
    predict_reconcile(&e, &lo, 1, 0);
    predict_input_apply(&e, 1, SIM_BTN_LEFT | SIM_BTN_UP);
    CHECK(predict_reconcile(&e, &hi, 2, 0));
    CHECK(e.count.snaps >= 1 && e.err_x == 0 && e.err_y == 0);
    float dx, dy;
    predict_draw_pos(&e, &dx, &dy);
    CHECK(isfinite(dx) && isfinite(dy));
}

int main(void)
{
    test_replay_exact();
    test_hostile_acks();

    /* Clean link, 9 ticks (150 ms) round trip, ten minutes of random play:
     * not one correction. */
    test_run(&(test_run_cfg){.ticks = 36000, .up_latency = 4, .down_latency = 5, .keep = 4, .push_at = -1});
    printf("clean: corrections %u mismatches %u\n", pr.count.corrections, pr.count.mismatches);
    CHECK(pr.ready);
    CHECK(pr.count.corrections == 0 && pr.count.mismatches == 0);
    CHECK(pr.newest_seq == 36000);

    /* Jittery uplink: inputs now and then arrive after their tick. */
    test_run(&(test_run_cfg){.ticks = 36000, .up_latency = 3, .up_jitter = 2, .down_latency = 3, .keep = 4,
                             .push_at = -1});
    printf("jitter: corrections %u (late %u, dropped %u) mismatches %u\n", pr.count.corrections, pr.count.late,
           pr.count.dropped, pr.count.mismatches);
    CHECK(pr.count.late > 0);
    CHECK(pr.count.mismatches == 0);
    CHECK(pr.count.corrections >= pr.count.late + pr.count.dropped);

    /* A burst of inputs beyond what the server keeps: drops. */
    test_run(&(test_run_cfg){.ticks = 36000, .up_latency = 2, .up_jitter = 8, .down_latency = 2, .keep = 2,
                             .push_at = -1});
    printf("drops: corrections %u (late %u, dropped %u) mismatches %u\n", pr.count.corrections, pr.count.late,
           pr.count.dropped, pr.count.mismatches);
    CHECK(pr.count.dropped > 0);
    CHECK(pr.count.mismatches == 0);

    /* The server pushes the player 3 px: one mismatch, glided. The push
     * lands in a snapshot that still shows our input as applied, so the
     * check is exact: every later snapshot matches again. */
    test_run(&(test_run_cfg){.ticks = 600, .up_latency = 2, .down_latency = 2, .keep = 4, .push_at = 300,
                             .push_px = 3});
    CHECK_MSG(pr.count.mismatches == 1, "push: %u mismatches", pr.count.mismatches);
    CHECK(pr.count.snaps == 0);

    /* Glide: a 3 px correction is drawn where the old prediction was, then
     * fades in a few frames. */
    predict_state g;
    predict_init(&g);
    sim_player s0 = test_spawn();
    predict_reconcile(&g, &s0, 1, 0);
    float x0, y0, x1, y1;
    predict_draw_pos(&g, &x0, &y0);
    sim_player pushed = s0;
    pushed.x += 3 * SIM_FP;
    CHECK(predict_reconcile(&g, &pushed, 2, 0));
    predict_draw_pos(&g, &x1, &y1);
    CHECK(fabsf(x1 - x0) < 0.001f && fabsf(y1 - y0) < 0.001f);
    for (int f = 0; f < 3; f++)
        predict_smooth(&g, 16667);
    predict_draw_pos(&g, &x1, &y1);
    CHECK(x1 > x0 + 1.5f && x1 < x0 + 3.0f); /* on its way */
    for (int f = 0; f < 30; f++)
        predict_smooth(&g, 16667);
    predict_draw_pos(&g, &x1, &y1);
    CHECK(fabsf(x1 - (x0 + 3.0f)) < 0.02f);
    CHECK(g.count.mismatches == 1 && g.count.snaps == 0);

    /* The same push while another player was near (or the host moved
     * everyone) is counted as moved, not as a mismatch; so is a knock,
     * which the server state shows as a tumble. */
    predict_state h;
    predict_init(&h);
    predict_reconcile(&h, &s0, 1, 0);
    CHECK(predict_reconcile_moved(&h, &pushed, 2, 0, true));
    CHECK(h.count.moved == 1 && h.count.mismatches == 0 && h.count.corrections == 1);
    sim_player knocked = pushed;
    knocked.x += 2 * SIM_FP;
    knocked.stun = SIM_STUN_TICKS;
    CHECK(predict_reconcile_moved(&h, &knocked, 3, 0, false));
    CHECK(h.count.moved == 2 && h.count.mismatches == 0);
    sim_player odd = knocked;
    odd.stun = 0;
    odd.x += SIM_FP;
    CHECK(predict_reconcile_moved(&h, &odd, 4, 0, false));
    CHECK(h.count.mismatches == 1); /* nobody near, no tumble: a real mismatch */

    /* A 40 px correction (a teleport) snaps. */
    sim_player far = pushed;
    far.y += 40 * SIM_FP;
    predict_reconcile(&g, &far, 3, 0);
    predict_draw_pos(&g, &x1, &y1);
    CHECK(fabsf(y1 - (float)far.y / SIM_FP) < 0.001f);
    CHECK(g.count.snaps == 1);
    return check_done("predict");
}
