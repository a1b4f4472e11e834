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
 */
#include <math.h>
#include <string.h>

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

int main(void)
{
    test_replay_exact();

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

    /* A 40 px correction (a teleport) snaps. */
    sim_player far = pushed;
    far.y += 40 * SIM_FP;
    predict_reconcile(&g, &far, 3, 0);
    predict_draw_pos(&g, &x1, &y1);
    CHECK(fabsf(y1 - (float)far.y / SIM_FP) < 0.001f);
    CHECK(g.count.snaps == 1);
    return check_done("predict");
}
