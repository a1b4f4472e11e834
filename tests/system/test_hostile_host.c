/*
 * A hostile host against the real client binary, over raw TCP on
 * 127.0.0.1 only: this test listens, starts `lanarena --join --headless
 * --bot` against itself, answers its HELLO with a WELCOME, and then sends
 * what our host never would.
 *
 *  1. An update the client cannot apply (a delta from a base it never
 *     had), followed by good snapshots, keep-alives and a second WELCOME:
 *     the client exits 1 and prints the first reason, "The host sent an
 *     update this game could not apply.", not an empty sentence.
 *  2. Forty snapshot pairs whose acks are huge, then small, sent at once
 *     (one frame's messages), then ordinary snapshots: the client keeps
 *     playing and acknowledges the first ordinary snapshot within a few
 *     seconds (it used to replay ~4 billion inputs per pair, 2.8 s each).
 *  3. Positions at the ends of int32, moving: the client keeps playing
 *     (under the ASan/UBSan stage, any overflow would end it).
 *
 * Every wait is bounded; the run takes about 10 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "delta.h"
#include "frame.h"
#include "proto.h"
#include "sim.h"
#include "testproc.h"

#define SENTENCE "The host sent an update this game could not apply."

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char out_dir[512];

/* One fake host's connection to one client process. */
typedef struct {
    const char *label;
    pid_t pid;
    int listen_fd, fd;
    frame_reader rd;
    char err_path[700];
    uint32_t newest_ack_tick; /* from the client's INPUTs */
    int inputs;
    bool hello;
} peer;

static bool send_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Appends one framed message to buf. */
static size_t put_msg(uint8_t *buf, size_t cap, const proto_msg *m)
{
    static uint8_t payload[FRAME_MAX_PAYLOAD];
    size_t n = proto_encode(m, payload, sizeof payload);
    CHECK_MSG(n > 0, "%s did not encode", proto_type_name(m->type));
    return n ? frame_write(buf, cap, payload, n) : 0;
}

static bool send_msg(peer *p, const proto_msg *m)
{
    static uint8_t buf[FRAME_MAX_PAYLOAD + 16];
    size_t n = put_msg(buf, sizeof buf, m);
    return n > 0 && send_all(p->fd, buf, n);
}

/* Reads what the client sent, for up to wait_s; false on EOF or error. */
static bool pump(peer *p, double wait_s)
{
    struct pollfd pf = {.fd = p->fd, .events = POLLIN};
    int r = poll(&pf, 1, (int)(wait_s * 1000));
    if (r <= 0)
        return r == 0;
    for (;;) {
        size_t space = frame_reader_space(&p->rd);
        if (space == 0)
            break;
        ssize_t k = recv(p->fd, frame_reader_tail(&p->rd), space, MSG_DONTWAIT);
        if (k == 0)
            return false;
        if (k < 0)
            break;
        frame_reader_commit(&p->rd, (size_t)k);
    }
    static uint8_t payload[FRAME_MAX_PAYLOAD];
    size_t len;
    while (frame_reader_pop(&p->rd, payload, sizeof payload, &len) == FRAME_OK) {
        static proto_msg m;
        memset(&m, 0, sizeof m);
        if (proto_decode(payload, len, &m) != PROTO_OK)
            continue;
        if (m.type == PROTO_HELLO) {
            p->hello = true;
        } else if (m.type == PROTO_INPUT) {
            p->inputs++;
            if ((int32_t)(m.u.input.ack_tick - p->newest_ack_tick) > 0)
                p->newest_ack_tick = m.u.input.ack_tick;
        } else if (m.type == PROTO_PING) {
            proto_msg pong = m;
            pong.type = PROTO_PONG;
            send_msg(p, &pong);
        }
    }
    return true;
}

/* Listens, starts the client binary, accepts it and answers its HELLO. */
static bool peer_start(peer *p, const char *label)
{
    memset(p, 0, sizeof *p);
    p->label = label;
    p->fd = -1;
    frame_reader_init(&p->rd);
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(p->listen_fd, 4) != 0 || getsockname(p->listen_fd, (struct sockaddr *)&sa, &sl) != 0) {
        CHECK_MSG(0, "%s: cannot listen on 127.0.0.1", label);
        return false;
    }
    char target[64], name[32];
    snprintf(target, sizeof target, "127.0.0.1:%u", ntohs(sa.sin_port));
    snprintf(name, sizeof name, "Victim %c", label[0]);
    snprintf(p->err_path, sizeof p->err_path, "%s/%s.log", out_dir, label);
    char *argv[] = {LANARENA_BIN, "--join", target, "--headless", "--bot", "--name", name,
                    "--quit-after", "40", NULL};
    p->pid = testproc_spawn(argv, p->err_path);
    struct pollfd pf = {.fd = p->listen_fd, .events = POLLIN};
    if (poll(&pf, 1, 10000) != 1) {
        CHECK_MSG(0, "%s: the client never connected", label);
        return false;
    }
    p->fd = accept(p->listen_fd, NULL, NULL);
    int one = 1;
    setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* Its HELLO, then our WELCOME: player 0 of 4. */
    double until = now_s() + 10;
    while (!p->hello && now_s() < until)
        if (!pump(p, 0.1))
            break;
    proto_msg w;
    memset(&w, 0, sizeof w);
    w.type = PROTO_WELCOME;
    w.u.welcome.player_id = 0;
    w.u.welcome.tick_rate = SIM_TICK_HZ;
    w.u.welcome.max_players = 4;
    w.u.welcome.server_tick = 1000;
    w.u.welcome.token = 1;
    proto_msg j;
    memset(&j, 0, sizeof j);
    j.type = PROTO_PLAYER_JOINED;
    j.u.joined.id = 0;
    memcpy(j.u.joined.name, name, strlen(name));
    j.u.joined.name_len = (uint8_t)strlen(name);
    CHECK_MSG(p->hello, "%s: no HELLO from the client", label);
    return p->hello && send_msg(p, &w) && send_msg(p, &j);
}

/* The client's exit code once it ended by itself within limit_s; -1 if it
 * is still running then (it is killed). */
static int peer_wait_exit(peer *p, double limit_s)
{
    double until = now_s() + limit_s;
    while (now_s() < until) {
        int status;
        if (waitpid(p->pid, &status, WNOHANG) == p->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pump(p, 0.02);
    }
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    return -1;
}

static void peer_close(peer *p)
{
    if (p->fd >= 0)
        close(p->fd);
    if (p->listen_fd >= 0)
        close(p->listen_fd);
}

static char *read_text(const char *path)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static proto_msg snap(uint32_t tick, uint32_t ack, int32_t x, int32_t y, int16_t vx)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_SNAPSHOT;
    m.u.snapshot.tick = tick;
    m.u.snapshot.ack_seq = ack;
    m.u.snapshot.player_count = 1;
    m.u.snapshot.players[0].x = x;
    m.u.snapshot.players[0].y = y;
    m.u.snapshot.players[0].vx = vx;
    m.u.snapshot.players[0].moving = vx != 0;
    return m;
}

#define ROW_Y ((8 * SIM_TILE + SIM_TILE / 2) * SIM_FP)

/* Ordinary snapshots for `seconds`, acking the client's newest input;
 * returns the next tick. */
static uint32_t play(peer *p, uint32_t tick, double seconds)
{
    double until = now_s() + seconds;
    while (now_s() < until) {
        proto_msg m = snap(tick++, (uint32_t)p->inputs, 40 * SIM_FP, ROW_Y, 0);
        if (!send_msg(p, &m) || !pump(p, 1.0 / 60))
            break;
    }
    return tick;
}

static void test_bad_update(void)
{
    peer p;
    if (!peer_start(&p, "bad_update"))
        return;
    uint32_t tick = play(&p, 1000, 1.0);
    static proto_msg bad;
    memset(&bad, 0, sizeof bad);
    bad.type = PROTO_SNAPSHOT_DELTA;
    bad.u.delta.tick = tick + 50;
    bad.u.delta.base_age = 40; /* a base it never had */
    send_msg(&p, &bad);
    /* Then good updates on a base it has, and a second WELCOME. */
    proto_msg k = {.type = PROTO_KEEPALIVE};
    k.u.keepalive.tick = tick;
    k.u.keepalive.base_age = 1;
    send_msg(&p, &k);
    proto_msg w;
    memset(&w, 0, sizeof w);
    w.type = PROTO_WELCOME;
    w.u.welcome.tick_rate = SIM_TICK_HZ;
    w.u.welcome.max_players = 4;
    send_msg(&p, &w);
    play(&p, tick + 1, 0.3);
    int code = peer_wait_exit(&p, 10);
    const char *err = read_text(p.err_path);
    CHECK_MSG(code == 1, "the client exited %d after a bad update (want 1)", code);
    CHECK_MSG(strstr(err, "lanarena: " SENTENCE "\n") != NULL, "the client's last words:\n%s",
              strrchr(err, '\n') ? err : err);
    peer_close(&p);
}

static void test_ack_pairs(void)
{
    peer p;
    if (!peer_start(&p, "ack_pairs"))
        return;
    uint32_t tick = play(&p, 1000, 1.0);
    CHECK_MSG(p.inputs > 10, "the client sent %d inputs in its first second", p.inputs);
    /* Forty huge/small pairs in one write: one frame's messages. */
    static uint8_t burst[80 * 64];
    size_t n = 0;
    for (uint32_t i = 0; i < 40; i++) {
        proto_msg hi = snap(tick++, UINT32_MAX - i, 40 * SIM_FP, ROW_Y, 0);
        proto_msg lo = snap(tick++, i, 40 * SIM_FP, ROW_Y, 0);
        n += put_msg(burst + n, sizeof burst - n, &hi);
        n += put_msg(burst + n, sizeof burst - n, &lo);
    }
    CHECK(send_all(p.fd, burst, n));
    uint32_t first_after = tick;
    double sent = now_s();
    /* Ordinary snapshots until the client acknowledges one (it used to be
     * frozen for over a minute). */
    while (now_s() < sent + 15 && (int32_t)(p.newest_ack_tick - first_after) < 0)
        tick = play(&p, tick, 0.1);
    double took = now_s() - sent;
    printf("ack pairs: the client acknowledged tick %u %.2f s after the burst\n", first_after, took);
    CHECK_MSG((int32_t)(p.newest_ack_tick - first_after) >= 0 && took < 10,
              "no acknowledgement of tick %u within %.1f s: the client froze", first_after, took);
    CHECK_MSG(testproc_alive(p.pid), "the client ended: %s", read_text(p.err_path));
    kill(p.pid, SIGTERM);
    peer_wait_exit(&p, 10);
    peer_close(&p);
}

static void test_extreme_positions(void)
{
    peer p;
    if (!peer_start(&p, "extreme_positions"))
        return;
    uint32_t tick = play(&p, 1000, 0.5);
    /* Two players at the ends of int32, running toward each other's end. */
    double until = now_s() + 1.5;
    for (int i = 0; now_s() < until; i++) {
        proto_msg m = snap(tick++, (uint32_t)p.inputs, (i & 1) ? INT32_MAX : INT32_MIN, (i & 2) ? INT32_MAX : INT32_MIN,
                           (int16_t)((i & 1) ? SIM_MAX_SPEED : -SIM_MAX_SPEED));
        m.u.snapshot.player_count = 2;
        m.u.snapshot.players[1] = m.u.snapshot.players[0];
        m.u.snapshot.players[1].id = 1;
        m.u.snapshot.players[1].x = (i & 1) ? INT32_MIN + 7 : INT32_MAX - 7;
        if (!send_msg(&p, &m) || !pump(&p, 1.0 / 60))
            break;
    }
    int inputs = p.inputs;
    play(&p, tick, 0.5);
    CHECK_MSG(p.inputs > inputs, "the client stopped sending inputs");
    CHECK_MSG(testproc_alive(p.pid), "the client ended: %s", read_text(p.err_path));
    kill(p.pid, SIGTERM);
    int code = peer_wait_exit(&p, 10);
    CHECK_MSG(code == 0, "the client exited %d on SIGTERM", code);
    peer_close(&p);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const char *base = getenv("LANARENA_TEST_OUT");
    snprintf(out_dir, sizeof out_dir, "%s/test_hostile_host", base ? base : "/tmp/lanarena-test");
    mkdir(base ? base : "/tmp/lanarena-test", 0755);
    mkdir(out_dir, 0755);
    test_bad_update();
    test_ack_pairs();
    test_extreme_positions();
    return check_done("test_hostile_host");
}
