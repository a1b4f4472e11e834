/*
 * Hostile clients against a real headless host process, over raw TCP on
 * 127.0.0.1 only.
 *
 * Setup: `lanarena --host --headless` (its stderr is the log this test
 * reads), one legitimate bot client process (`--join --headless --bot
 * --stats`), and FILLERS raw players that read every snapshot and send
 * inputs, so snapshots are large and the host is busy, as in a real game.
 *
 * Every attack on a host then runs against it. Each must end with the
 * offending connection dropped or refused with its reason in the host's
 * log (found by the attacker's own local port), the host still running,
 * and the legitimate client still getting at least 95 % of the snapshot
 * rate it had before the attacks (its --stats lines, averaged over each
 * attack phase). Movement of the input flooder and of the client that
 * claims extra movement is checked tick by tick against the simulation.
 *
 * Every wait is bounded; the whole run takes about 20 s.
 */
#define _GNU_SOURCE /* POLLRDHUP */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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
#include "testproc.h"
#include "frame.h"
#include "proto.h"
#include "sim.h"

#define MAX_PLAYERS 48   /* --max-players of the host */
#define FILLERS 36       /* raw players that keep the host busy */
#define CROWD 200        /* connections at once when the host is full */
#define MAX_RAW 400
/* Share of the normal snapshot rate the legitimate client must keep under
 * attack: starving it would drop it far lower; a busy machine (or a
 * sanitizer) alone costs a few percent, so this is not a speed test. The
 * measured share is printed. */
#define RATE_KEEP 0.5

/* ---- clock, processes, files ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char out_dir[512], host_log[600], host_stats[600], legit_log[600], legit_stats[600];
static pid_t host_pid = -1, legit_pid = -1;
static double legit_started;
static uint16_t port;

/* For a test that must give up: ends the legit client, names the host. */
static pid_t host_pid_for_exit(void)
{
    if (legit_pid > 0)
        kill(legit_pid, SIGKILL);
    return host_pid;
}

/* SIGTERM (a clean quit for SDL), then SIGKILL after limit_s. Returns the
 * exit status, or -1 if it had to be killed. */
static int stop(pid_t pid, double limit_s)
{
    if (pid <= 0)
        return -1;
    kill(pid, SIGTERM);
    double until = now_s() + limit_s;
    int status = 0;
    while (now_s() < until) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 4096) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                break;
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Finds a line of the host's log holding both needles; copies it to line. */
static bool log_line(const char *a, const char *b, char *line, size_t cap)
{
    char *text = read_file(host_log);
    bool found = false;
    for (char *p = text; p && *p && !found;) {
        char *end = strchr(p, '\n');
        if (end)
            *end = '\0';
        if (strstr(p, a) && (!b || strstr(p, b))) {
            found = true;
            if (line)
                snprintf(line, cap, "%s", p);
        }
        p = end ? end + 1 : NULL;
    }
    free(text);
    return found;
}

/* ---- raw clients ---- */

typedef struct {
    char label[48];
    int fd;
    uint16_t lport;
    bool reads;          /* false: never reads (the slow-reader attack) */
    int input_every_ms;  /* > 0: sends an INPUT this often to stay alive */
    double next_input;
    uint32_t seq;
    uint8_t buttons;
    frame_reader fr;
    bool eof;
    double opened_at, eof_at;
    bool welcomed, rejected, goodbye;
    int id;
    uint8_t reject_reason, bye_reason;
    /* Own movement, from full snapshots (the raw client never acks a
     * tick, so the host never sends it deltas). */
    bool tracking;
    uint32_t first_tick, prev_tick, last_tick;
    sim_player first, prev, last;
    int32_t max_step; /* largest |dx| or |dy| between consecutive ticks */
} raw;

static raw *raws[MAX_RAW];
static int raw_count;

/* Opens a non-blocking connection to the host. Registered ones are read
 * by service(); the crowd manages its own. */
static raw *raw_open_as(const char *label, int rcvbuf, bool registered)
{
    if (registered && raw_count >= MAX_RAW)
        return NULL;
    raw *r = calloc(1, sizeof *r);
    snprintf(r->label, sizeof r->label, "%s", label);
    r->reads = true;
    r->id = -1;
    frame_reader_init(&r->fr);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0)
        setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    int one = 1;
    setsockopt(r->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    fcntl(r->fd, F_SETFL, O_NONBLOCK);
    int rc = connect(r->fd, (struct sockaddr *)&sa, sizeof sa);
    if (rc != 0 && errno != EINPROGRESS) {
        fprintf(stderr, "%s: connect: %s\n", label, strerror(errno));
        close(r->fd);
        free(r);
        return NULL;
    }
    socklen_t len = sizeof sa;
    getsockname(r->fd, (struct sockaddr *)&sa, &len);
    r->lport = ntohs(sa.sin_port);
    r->opened_at = now_s();
    if (registered)
        raws[raw_count++] = r;
    return r;
}

/* Registered; a connection that cannot even be opened ends the test. */
static raw *raw_open(const char *label, int rcvbuf)
{
    raw *r = raw_open_as(label, rcvbuf, true);
    if (!r) {
        fprintf(stderr, "%s: cannot open a connection to the host; giving up\n", label);
        kill(host_pid_for_exit(), SIGKILL);
        exit(1);
    }
    return r;
}

static void raw_close(raw *r)
{
    if (r && r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
}

/* Sends everything or gives up after 2 s (a peer that closed on us). */
static bool raw_send(raw *r, const void *data, size_t n)
{
    const uint8_t *p = data;
    double until = now_s() + 2.0;
    while (n > 0 && r->fd >= 0 && now_s() < until) {
        ssize_t k = send(r->fd, p, n, MSG_NOSIGNAL);
        if (k > 0) {
            p += k;
            n -= (size_t)k;
        } else if (k < 0 && (errno == EAGAIN || errno == EINTR || errno == ENOTCONN)) {
            struct pollfd pf = {.fd = r->fd, .events = POLLOUT};
            poll(&pf, 1, 5);
        } else {
            fprintf(stderr, "%s: send: %s\n", r->label, k < 0 ? strerror(errno) : "0");
            return false;
        }
    }
    return n == 0;
}

static bool raw_send_msg(raw *r, const proto_msg *m)
{
    uint8_t payload[FRAME_MAX_PAYLOAD], frame[FRAME_MAX_SIZE];
    size_t n = proto_encode(m, payload, sizeof payload);
    size_t f = n ? frame_write(frame, sizeof frame, payload, n) : 0;
    return f > 0 && raw_send(r, frame, f);
}

static bool raw_send_input(raw *r, uint32_t seq, uint8_t buttons)
{
    proto_msg in = {.type = PROTO_INPUT};
    in.u.input.seq = seq;
    in.u.input.buttons = buttons;
    in.u.input.ack_tick = 0; /* never acknowledge: full snapshots only */
    return raw_send_msg(r, &in);
}

static void raw_track(raw *r, const proto_snapshot *s)
{
    for (int i = 0; i < s->player_count; i++) {
        const proto_player_state *ps = &s->players[i];
        if (ps->id != r->id)
            continue;
        sim_player p = {.active = true, .x = ps->x, .y = ps->y, .vx = ps->vx, .vy = ps->vy,
                        .facing = ps->facing, .moving = ps->moving, .step = ps->step, .score = ps->score};
        if (!r->tracking) {
            r->tracking = true;
            r->first_tick = s->tick;
            r->first = p;
        } else if (s->tick == r->prev_tick + 1) {
            int32_t dx = abs(p.x - r->prev.x), dy = abs(p.y - r->prev.y);
            if (dx > r->max_step)
                r->max_step = dx;
            if (dy > r->max_step)
                r->max_step = dy;
        }
        r->prev_tick = r->last_tick = s->tick;
        r->prev = r->last = p;
    }
}

static void raw_on_msg(raw *r, const proto_msg *m)
{
    switch (m->type) {
    case PROTO_WELCOME:
        r->welcomed = true;
        r->id = m->u.welcome.player_id;
        break;
    case PROTO_REJECT:
        r->rejected = true;
        r->reject_reason = m->u.reject.reason;
        break;
    case PROTO_GOODBYE:
        r->goodbye = true;
        r->bye_reason = m->u.goodbye.reason;
        break;
    case PROTO_SNAPSHOT:
        raw_track(r, &m->u.snapshot);
        break;
    default:
        break;
    }
}

/* Reads what has arrived; notes EOF. Never blocks. */
static void raw_pump(raw *r, double now)
{
    if (r->fd < 0 || r->eof)
        return;
    if (!r->reads) {
        /* It never reads; the host's FIN still shows as POLLRDHUP. */
        struct pollfd pf = {.fd = r->fd, .events = POLLRDHUP};
        if (poll(&pf, 1, 0) > 0 && (pf.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
            r->eof = true;
            r->eof_at = now;
        }
        return;
    }
    for (int k = 0; k < 64; k++) {
        if (frame_reader_space(&r->fr) == 0)
            frame_reader_init(&r->fr); /* garbage from a confused test; drop it */
        ssize_t n = recv(r->fd, frame_reader_tail(&r->fr), frame_reader_space(&r->fr), MSG_DONTWAIT);
        if (n > 0) {
            frame_reader_commit(&r->fr, (size_t)n);
            static uint8_t payload[FRAME_MAX_PAYLOAD];
            static proto_msg m;
            size_t len;
            while (frame_reader_pop(&r->fr, payload, sizeof payload, &len) == FRAME_OK)
                if (proto_decode(payload, len, &m) == PROTO_OK)
                    raw_on_msg(r, &m);
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            r->eof = true;
            r->eof_at = now;
        }
        return;
    }
}

/* One turn of the test's event loop: every raw client reads and, if it
 * keeps itself alive, sends its input. Waits up to 2 ms for traffic. */
static void service(void)
{
    static struct pollfd pfds[MAX_RAW];
    int n = 0;
    for (int i = 0; i < raw_count; i++)
        if (raws[i]->fd >= 0 && !raws[i]->eof && raws[i]->reads)
            pfds[n++] = (struct pollfd){.fd = raws[i]->fd, .events = POLLIN};
    poll(pfds, (nfds_t)n, 2);
    double now = now_s();
    for (int i = 0; i < raw_count; i++) {
        raw *r = raws[i];
        raw_pump(r, now);
        if (r->fd >= 0 && !r->eof && r->welcomed && r->input_every_ms > 0 && now >= r->next_input) {
            r->next_input = now + r->input_every_ms / 1000.0;
            raw_send_input(r, ++r->seq, r->buttons);
        }
    }
}

static void service_for(double seconds)
{
    double until = now_s() + seconds;
    while (now_s() < until)
        service();
}

/* Waits (servicing everyone) until r's connection is closed by the host. */
static bool raw_wait_eof(raw *r, double limit_s)
{
    double until = now_s() + limit_s;
    while (!r->eof && now_s() < until)
        service();
    return r->eof;
}

static bool raw_handshake(raw *r, const char *name)
{
    proto_msg hello = proto_make_hello(name);
    if (!raw_send_msg(r, &hello))
        return false;
    double until = now_s() + 5.0;
    while (!r->welcomed && !r->eof && !r->rejected && now_s() < until)
        service();
    return r->welcomed;
}

/* The host logged why it closed r: a line with r's port and `reason`. */
static void expect_logged(raw *r, const char *reason)
{
    char peer[32], line[512] = "";
    snprintf(peer, sizeof peer, "127.0.0.1:%u", (unsigned)r->lport);
    bool found = false;
    for (int i = 0; i < 100 && !found; i++) {
        found = log_line(peer, reason, line, sizeof line);
        if (!found)
            service_for(0.01);
    }
    CHECK_MSG(found, "%s: no host log line with '%s' and '%s'", r->label, peer, reason);
    if (found)
        printf("  %-22s %s\n", r->label, strstr(line, "closed") ? strstr(line, "closed") : line);
}

static void expect_host_alive(const char *after)
{
    CHECK_MSG(testproc_alive(host_pid), "host died after %s", after);
    CHECK_MSG(testproc_alive(legit_pid), "legit client died after %s", after);
}

/* A connection that must be dropped at once with `reason` logged. */
static void attack_bytes(const char *label, const void *bytes, size_t n, const char *reason)
{
    raw *r = raw_open(label, 0);
    raw_send(r, bytes, n);
    CHECK_MSG(raw_wait_eof(r, 3.0), "%s: not dropped within 3 s", label);
    expect_logged(r, reason);
    expect_host_alive(label);
    raw_close(r);
}

static void attack_hello(const char *label, const proto_msg *hello, uint8_t want_reject, const char *reason)
{
    raw *r = raw_open(label, 0);
    raw_send_msg(r, hello);
    CHECK_MSG(raw_wait_eof(r, 3.0), "%s: not closed within 3 s", label);
    if (want_reject)
        CHECK_MSG(r->rejected && r->reject_reason == want_reject, "%s: REJECT %d expected, got %s %d",
                  label, want_reject, r->rejected ? "REJECT" : "none", r->reject_reason);
    CHECK_MSG(!r->welcomed, "%s: was welcomed", label);
    expect_logged(r, reason);
    expect_host_alive(label);
    raw_close(r);
}

static proto_msg hello_named(const char *name, size_t len)
{
    proto_msg m = proto_make_hello("");
    memcpy(m.u.hello.name, name, len);
    m.u.hello.name[len] = '\0';
    m.u.hello.name_len = (uint8_t)len;
    return m;
}

/* ---- the legitimate client's snapshot rate ---- */

static double json_num(const char *line, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = strstr(line, k);
    return p ? atof(p + strlen(k)) : -1;
}

/* Mean snapshot_hz of the legit client's stats lines whose whole second
 * lies in [from, to] (this process's clock). */
static double legit_rate(double from, double to, int *lines, double *min_hz)
{
    char *text = read_file(legit_stats);
    double sum = 0;
    *lines = 0;
    *min_hz = 1e9;
    for (char *p = text; p && *p;) {
        char *end = strchr(p, '\n');
        if (end)
            *end = '\0';
        if (strstr(p, "\"role\":\"client\"")) {
            double at = legit_started + json_num(p, "t");
            double hz = json_num(p, "snapshot_hz");
            if (at - 1.0 >= from && at <= to + 0.05 && hz >= 0) {
                sum += hz;
                (*lines)++;
                if (hz < *min_hz)
                    *min_hz = hz;
            }
        }
        p = end ? end + 1 : NULL;
    }
    free(text);
    return *lines ? sum / *lines : 0;
}

static void check_rate(const char *phase, double from, double to, double baseline)
{
    int lines;
    double min_hz;
    double hz = legit_rate(from, to, &lines, &min_hz);
    printf("legit client during %s: %.2f snapshots/s over %d s (lowest second %.1f), %.1f%% of normal\n",
           phase, hz, lines, min_hz, baseline > 0 ? 100.0 * hz / baseline : 0);
    CHECK_MSG(lines >= 1, "%s: no stats line from the legit client", phase);
    CHECK_MSG(hz >= RATE_KEEP * baseline, "%s: legit client got %.2f/s, under %.0f%% of %.2f", phase,
              hz, RATE_KEEP * 100, baseline);
}

/* ---- movement ---- */

/* A legitimate player holding `buttons` from r's first tracked state for
 * as many ticks: where would it be? The hostile one must be no further. */
static void check_speed(raw *r, uint8_t buttons)
{
    CHECK_MSG(r->tracking && r->last_tick > r->first_tick, "%s: no movement seen", r->label);
    if (!r->tracking)
        return;
    sim_player legit = r->first;
    uint32_t ticks = r->last_tick - r->first_tick;
    for (uint32_t t = 0; t < ticks; t++)
        sim_player_move(&legit, buttons);
    printf("  %-22s moved %.1f px right in %u ticks (a legitimate player: %.1f px); "
           "largest step %.2f px/tick (cap %d)\n",
           r->label, (r->last.x - r->first.x) / (double)SIM_FP, ticks,
           (legit.x - r->first.x) / (double)SIM_FP, r->max_step / (double)SIM_FP,
           SIM_MAX_SPEED / SIM_FP);
    CHECK_MSG(r->max_step <= SIM_MAX_SPEED, "%s: moved %d/256 px in one tick", r->label, r->max_step);
    CHECK_MSG(r->last.x - r->first.x <= legit.x - r->first.x,
              "%s: moved further than a legitimate player", r->label);
}

/* ---- main ---- */

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const char *base = getenv("LANARENA_TEST_OUT");
    snprintf(out_dir, sizeof out_dir, "%s/test_hostile", base ? base : "/tmp/lanarena-test");
    mkdir(base ? base : "/tmp/lanarena-test", 0755);
    mkdir(out_dir, 0755);
    snprintf(host_log, sizeof host_log, "%s/host.log", out_dir);
    snprintf(host_stats, sizeof host_stats, "%s/host.jsonl", out_dir);
    snprintf(legit_log, sizeof legit_log, "%s/legit.log", out_dir);
    snprintf(legit_stats, sizeof legit_stats, "%s/legit.jsonl", out_dir);
    /* Gone before the host starts, so an old log cannot say "listening". */
    unlink(host_log);
    unlink(legit_log);
    unlink(host_stats);
    unlink(legit_stats);

    port = testproc_free_port();
    char port_s[16], maxp_s[16], addr[64];
    snprintf(port_s, sizeof port_s, "%u", (unsigned)port);
    snprintf(maxp_s, sizeof maxp_s, "%d", MAX_PLAYERS);
    snprintf(addr, sizeof addr, "127.0.0.1:%u", (unsigned)port);
    /* --quit-after bounds both processes even if this test dies. */
    char *host_argv[] = {LANARENA_BIN, "--host", "--headless", "--port", port_s, "--max-players", maxp_s,
                         "--quit-after", "120", "--stats", host_stats, NULL};
    host_pid = testproc_spawn(host_argv, host_log);
    bool listening = false;
    for (int i = 0; i < 500 && !listening && testproc_alive(host_pid); i++) {
        listening = log_line("listening on", NULL, NULL, 0);
        usleep(10000);
    }
    CHECK_MSG(listening, "host did not start listening (see %s)", host_log);
    if (!listening) {
        stop(host_pid, 2);
        return check_done("test_hostile");
    }
    char *legit_argv[] = {LANARENA_BIN, "--join", addr, "--headless", "--bot", "--name", "Legit",
                          "--quit-after", "100", "--stats", legit_stats, NULL};
    legit_started = now_s();
    legit_pid = testproc_spawn(legit_argv, legit_log);

    /* Fillers: players that read everything and send an input every
     * 100 ms, so every snapshot carries ~40 players. */
    int fillers = 0;
    for (int i = 0; i < FILLERS; i++) {
        char name[32];
        snprintf(name, sizeof name, "Filler %d", i + 1);
        raw *r = raw_open(name, 0);
        if (r && raw_handshake(r, name)) {
            r->input_every_ms = 100;
            fillers++;
        }
    }
    CHECK_MSG(fillers == FILLERS, "only %d of %d fillers joined", fillers, FILLERS);

    /* The normal rate: 4 seconds with everyone in and no attack. */
    service_for(1.2);
    double base_from = now_s();
    service_for(4.1);
    int lines;
    double min_hz;
    double baseline = legit_rate(base_from, now_s(), &lines, &min_hz);
    printf("legit client before the attacks: %.2f snapshots/s over %d s (lowest second %.1f)\n", baseline,
           lines, min_hz);
    CHECK_MSG(lines >= 2 && baseline > 30, "no normal snapshot rate measured (%.2f over %d lines)", baseline,
              lines);

    /* ---- phase A: attacks while the host has free slots ---- */
    double phase_a = now_s();
    printf("phase A: attacks on a host with free slots\n");

    /* Slow ones first, so they run while the quick ones do. */
    raw *silent = raw_open("no handshake", 0);
    raw *cut_hs = raw_open("cut frame, handshake", 0);
    static const uint8_t cut_hello[] = {0x00, 0x40, PROTO_HELLO, 0x4C, 0x4E};
    raw_send(cut_hs, cut_hello, sizeof cut_hello);
    raw *cut_play = raw_open("cut frame, playing", 0);
    bool cut_play_in = raw_handshake(cut_play, "Cutter");
    CHECK_MSG(cut_play_in, "cut frame, playing: not welcomed");
    static const uint8_t cut_input[] = {0x00, 0x0A, PROTO_INPUT, 0x00, 0x00};
    raw_send(cut_play, cut_input, sizeof cut_input);
    /* The never-reader: tiny receive window, keeps sending inputs so it
     * is not dropped for silence; only its backlog can get it dropped. */
    raw *sloth = raw_open("never reads", 1024);
    sloth->input_every_ms = 50;
    bool sloth_in = raw_handshake(sloth, "Sloth");
    CHECK_MSG(sloth_in, "never reads: not welcomed");
    sloth->reads = false;
    /* Not an attacker: an honest client whose network stalls for 3 s and
     * then delivers everything it sent meanwhile at once. It must stay. */
    raw *laggard = raw_open("stalled, honest", 0);
    CHECK_MSG(raw_handshake(laggard, "Laggard"), "stalled, honest: not welcomed");
    double laggard_since = now_s();

    /* Garbage and broken frames. */
    uint8_t noise[4096];
    uint32_t rng = 0xC0FFEEu;
    for (size_t i = 0; i < sizeof noise; i++) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        noise[i] = (uint8_t)rng;
    }
    attack_bytes("random bytes", noise, sizeof noise, "closed: ");
    uint8_t noise_frame[2 + 64] = {0x00, 0x40};
    memcpy(noise_frame + 2, noise + 100, 64);
    attack_bytes("random payload", noise_frame, sizeof noise_frame, "closed: ");
    static const uint8_t zero_len[] = {0x00, 0x00, 0x01, 0x02};
    attack_bytes("frame length 0", zero_len, sizeof zero_len, "frame length 0");
    static const uint8_t too_long[] = {(FRAME_MAX_PAYLOAD + 1) >> 8, (FRAME_MAX_PAYLOAD + 1) & 0xFF, 0x01, 0x4C};
    attack_bytes("length over maximum", too_long, sizeof too_long, "frame length over 8192");
    static const char http[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    attack_bytes("HTTP request", http, sizeof http - 1, "frame length over 8192");
    static const uint8_t unknown[] = {0x00, 0x03, 0x7F, 0x01, 0x02};
    attack_bytes("unknown type", unknown, sizeof unknown, "unknown message type 0x7f");
    static const uint8_t early_input[] = {0x00, 0x0C, PROTO_INPUT, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    attack_bytes("INPUT before HELLO", early_input, sizeof early_input, "expected HELLO, got INPUT");

    /* HELLO variants. */
    proto_msg h = proto_make_hello("Magic");
    h.u.hello.magic = 0x47455420; /* "GET " */
    attack_hello("wrong magic", &h, PROTO_REJECT_BAD_MAGIC, "not a LAN Arena client");
    h = proto_make_hello("Version");
    h.u.hello.version = PROTO_VERSION + 1;
    char version_text[64];
    snprintf(version_text, sizeof version_text, "protocol version %d, this server speaks %d", PROTO_VERSION + 1,
             PROTO_VERSION);
    attack_hello("wrong version", &h, PROTO_REJECT_VERSION, version_text);
    const char *bad_name_text = "rejected by the game: That name can't be used";
    h = hello_named("ab\xC3\x28", 4);
    attack_hello("name: invalid UTF-8", &h, PROTO_REJECT_NAME, bad_name_text);
    h = hello_named("bad\x07name", 8);
    attack_hello("name: control char", &h, PROTO_REJECT_NAME, bad_name_text);
    h = hello_named("nul\0name", 8);
    attack_hello("name: NUL inside", &h, PROTO_REJECT_NAME, bad_name_text);
    h = hello_named("", 0);
    attack_hello("name: empty", &h, PROTO_REJECT_NAME, bad_name_text);
    h = hello_named("     ", 5);
    attack_hello("name: only spaces", &h, PROTO_REJECT_NAME, bad_name_text);
    h = hello_named("seventeen bytes!!", 17);
    attack_hello("name: 17 bytes", &h, PROTO_REJECT_NAME, bad_name_text);
    {
        /* 1 KB of name: the u8 length cannot say so; a client that lies
         * with name_len 255 and then 1 KB is a malformed HELLO. */
        static uint8_t big[2 + 8 + 1024];
        size_t n = 0;
        big[n++] = 0, big[n++] = 0; /* length, set below */
        big[n++] = PROTO_HELLO;
        big[n++] = 0x4C, big[n++] = 0x4E, big[n++] = 0x41, big[n++] = 0x52;
        big[n++] = 0, big[n++] = PROTO_VERSION;
        big[n++] = 255;
        memset(big + n, 'A', 1024 - 1);
        n += 1024 - 1;
        big[0] = (uint8_t)((n - 2) >> 8), big[1] = (uint8_t)(n - 2);
        attack_bytes("name: 1 KB", big, n, "HELLO with a field out of range");
    }
    h = proto_make_hello("Legit");
    attack_hello("name taken", &h, PROTO_REJECT_NAME_TAKEN, "already using that name");
    h = proto_make_hello("Filler 1");
    attack_hello("name taken (filler)", &h, PROTO_REJECT_NAME_TAKEN, "already using that name");

    /* A second HELLO and a server-to-client message after acceptance. */
    {
        raw *r = raw_open("second HELLO", 0);
        CHECK(raw_handshake(r, "Twice"));
        h = proto_make_hello("Twice");
        raw_send_msg(r, &h);
        CHECK_MSG(raw_wait_eof(r, 3.0), "second HELLO: not dropped");
        expect_logged(r, "second HELLO");
        raw_close(r);
        r = raw_open("sends a SNAPSHOT", 0);
        CHECK(raw_handshake(r, "Faker"));
        proto_msg snap = {.type = PROTO_SNAPSHOT};
        snap.u.snapshot.tick = 1;
        raw_send_msg(r, &snap);
        CHECK_MSG(raw_wait_eof(r, 3.0), "sends a SNAPSHOT: not dropped");
        expect_logged(r, "a server-to-client message");
        raw_close(r);
    }

    /* Input flood: 20 inputs every 16 ms (1200/s) holding RIGHT. */
    {
        raw *r = raw_open("input flood", 0);
        CHECK(raw_handshake(r, "Flooder"));
        double until = now_s() + 5.0, next = 0;
        while (!r->eof && now_s() < until) {
            if (now_s() >= next) {
                next = now_s() + 0.016;
                for (int k = 0; k < 20; k++)
                    raw_send_input(r, ++r->seq, PROTO_BTN_RIGHT);
            }
            service();
        }
        CHECK_MSG(r->eof, "input flood: not dropped within 5 s");
        CHECK_MSG(r->goodbye && r->bye_reason == PROTO_BYE_KICKED, "input flood: no GOODBYE(kicked)");
        expect_logged(r, "input flood");
        check_speed(r, PROTO_BTN_RIGHT);
        raw_close(r);
        expect_host_alive("input flood");
    }

    /* Claims extra movement: each input's seq jumps by 50 ticks, and
     * every other one is sent twice (a replay), for 1.5 s. Stays under the input
     * rate, so it is not dropped; it must still move at a player's pace. */
    {
        raw *r = raw_open("claims extra movement", 0);
        CHECK(raw_handshake(r, "Cheater"));
        double until = now_s() + 1.5, next = 0;
        while (!r->eof && now_s() < until) {
            if (now_s() >= next) {
                next = now_s() + 0.0166;
                r->seq += 50;
                raw_send_input(r, r->seq, PROTO_BTN_RIGHT);
                if (r->seq % 100 == 0)
                    raw_send_input(r, r->seq, PROTO_BTN_RIGHT);
            }
            service();
        }
        check_speed(r, PROTO_BTN_RIGHT);
        proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
        raw_send_msg(r, &bye);
        raw_wait_eof(r, 2.0);
        raw_close(r);
        expect_host_alive("claims extra movement");
    }

    /* The honest client's 3 s of inputs and pings arrive at once. */
    while (now_s() - laggard_since < 3.0)
        service();
    for (int k = 1; k <= 3 * SIM_TICK_HZ; k++) {
        raw_send_input(laggard, ++laggard->seq, PROTO_BTN_DOWN);
        if (k % 30 == 0) {
            proto_msg ping = {.type = PROTO_PING};
            ping.u.ping.token = (uint32_t)k;
            raw_send_msg(laggard, &ping);
        }
    }
    laggard->input_every_ms = 16;

    /* Now the slow cases end. */
    CHECK_MSG(raw_wait_eof(silent, 7.0), "no handshake: not dropped");
    double silent_s = silent->eof_at - silent->opened_at;
    printf("  %-22s dropped after %.2f s\n", silent->label, silent_s);
    CHECK_MSG(silent_s < 5.0, "no handshake: dropped after %.2f s, limit 5 s", silent_s);
    expect_logged(silent, "no HELLO within 4000 ms");
    CHECK_MSG(raw_wait_eof(cut_hs, 7.0), "cut frame in handshake: not dropped");
    expect_logged(cut_hs, "no HELLO within 4000 ms");
    CHECK_MSG(raw_wait_eof(cut_play, 7.0), "cut frame while playing: not dropped");
    expect_logged(cut_play, "silent for");
    CHECK_MSG(raw_wait_eof(sloth, 25.0), "never reads: not dropped within 25 s");
    printf("  %-22s dropped after %.2f s\n", sloth->label, sloth->eof_at - sloth->opened_at);
    expect_logged(sloth, "too slow");
    {
        char peer[32];
        snprintf(peer, sizeof peer, "127.0.0.1:%u)", (unsigned)laggard->lport);
        CHECK_MSG(!laggard->eof && !log_line(peer, "closed", NULL, 0),
                  "an honest client was dropped after a 3 s stall");
        printf("  %-22s still playing after sending %d inputs at once\n", laggard->label, 3 * SIM_TICK_HZ);
        proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
        raw_send_msg(laggard, &bye);
        raw_wait_eof(laggard, 2.0);
        raw_close(laggard);
    }
    raw_close(silent);
    raw_close(cut_hs);
    raw_close(cut_play);
    raw_close(sloth);
    double phase_a_end = now_s();
    service_for(1.1); /* the legit client's stats line for the last second */
    check_rate("phase A", phase_a, phase_a_end, baseline);
    expect_host_alive("phase A");

    /* ---- phase B: a full host, then 200 connections at once ---- */
    printf("phase B: a full host and %d connections at once\n", CROWD);
    int extra = 0;
    for (int i = 0; i < MAX_PLAYERS; i++) {
        char name[32];
        snprintf(name, sizeof name, "Extra %d", i + 1);
        raw *r = raw_open(name, 0);
        if (!r || !raw_handshake(r, name)) {
            CHECK_MSG(r && r->rejected && r->reject_reason == PROTO_REJECT_FULL,
                      "filling the host: '%s' refused for another reason", name);
            raw_close(r);
            break;
        }
        r->input_every_ms = 100;
        extra++;
    }
    printf("  host full after %d more players\n", extra);
    service_for(1.0);
    double phase_b = now_s();
    /* Waves of CROWD connections at once, for 3 s, so the legitimate
     * client's rate is measured over whole seconds of attack. */
    int waves = 0, total = 0, total_full = 0, total_logged = 0, total_welcomed = 0;
    double worst_wave_s = 0;
    while (waves == 0 || now_s() - phase_b < 3.0) {
        raw *crowd[CROWD];
        bool sent[CROWD] = {false};
        int opened = 0;
        for (int i = 0; i < CROWD; i++) {
            crowd[i] = raw_open_as("crowd", 0, false);
            opened += crowd[i] != NULL;
        }
        CHECK_MSG(opened == CROWD, "only %d of %d crowd sockets opened", opened, CROWD);
        /* Each sends its HELLO as soon as it is connected. */
        double crowd_start = now_s(), until = crowd_start + 15.0;
        int done = 0;
        while (done < opened && now_s() < until) {
            done = 0;
            for (int i = 0; i < CROWD; i++) {
                if (!crowd[i])
                    continue;
                if (!sent[i] && !crowd[i]->eof) {
                    struct pollfd pf = {.fd = crowd[i]->fd, .events = POLLOUT};
                    if (poll(&pf, 1, 0) > 0 && (pf.revents & POLLOUT)) {
                        char name[32];
                        snprintf(name, sizeof name, "Crowd %d", i + 1);
                        proto_msg hello = proto_make_hello(name);
                        raw_send_msg(crowd[i], &hello);
                        sent[i] = true;
                    }
                }
                raw_pump(crowd[i], now_s());
                done += crowd[i]->eof;
            }
            service();
        }
        double crowd_s = now_s() - crowd_start;
        if (crowd_s > worst_wave_s)
            worst_wave_s = crowd_s;
        int full = 0, logged = 0, welcomed = 0;
        for (int i = 0; i < CROWD; i++) {
            if (!crowd[i])
                continue;
            full += crowd[i]->rejected && crowd[i]->reject_reason == PROTO_REJECT_FULL;
            welcomed += crowd[i]->welcomed;
        }
        char *text = read_file(host_log);
        for (int i = 0; i < CROWD && text; i++) {
            char peer[32];
            if (!crowd[i])
                continue;
            /* "refused 127.0.0.1:P: server full" at accept, or
             * "conn N (127.0.0.1:P) closed: ... full." after HELLO */
            snprintf(peer, sizeof peer, "127.0.0.1:%u:", (unsigned)crowd[i]->lport);
            char peer2[32];
            snprintf(peer2, sizeof peer2, "127.0.0.1:%u)", (unsigned)crowd[i]->lport);
            for (char *p = text; p && *p;) {
                char *eol = strchr(p, '\n');
                if (eol)
                    *eol = '\0';
                bool match = (strstr(p, peer) || strstr(p, peer2)) && strstr(p, "full");
                if (eol)
                    *eol = '\n';
                if (match) {
                    logged++;
                    break;
                }
                p = eol ? eol + 1 : NULL;
            }
        }
        free(text);
        CHECK_MSG(done == opened, "wave %d: only %d of %d connections were closed", waves + 1, done, opened);
        CHECK_MSG(full == opened, "wave %d: only %d of %d were told the server is full", waves + 1, full,
                  opened);
        CHECK_MSG(logged == opened, "wave %d: only %d of %d refusals are in the host log", waves + 1,
                  logged, opened);
        CHECK_MSG(welcomed == 0, "wave %d: %d connections were welcomed into a full host", waves + 1,
                  welcomed);
        for (int i = 0; i < CROWD; i++) {
            raw_close(crowd[i]);
            free(crowd[i]);
        }
        waves++;
        total += opened;
        total_full += full;
        total_logged += logged;
        total_welcomed += welcomed;
    }
    printf("  %d waves of %d connections: %d told \"server full\", %d refusals logged, %d welcomed; "
           "slowest wave refused in %.2f s\n",
           waves, CROWD, total_full, total_logged, total_welcomed, worst_wave_s);
    CHECK_MSG(worst_wave_s < 5.0, "a wave of %d took %.2f s to be refused", CROWD, worst_wave_s);
    service_for(1.0);
    double phase_b_end = now_s();
    int alive_fillers = 0;
    for (int i = 0; i < raw_count; i++)
        alive_fillers += raws[i]->fd >= 0 && !raws[i]->eof && raws[i]->input_every_ms == 100;
    CHECK_MSG(alive_fillers == fillers + extra, "the host dropped %d of its own players during the crowd",
              fillers + extra - alive_fillers);
    service_for(1.1);
    check_rate("phase B", phase_b, phase_b_end, baseline);
    expect_host_alive("phase B");

    /* After all that, the host still takes a new player once there is room. */
    for (int i = 0; i < raw_count; i++) {
        raw *r = raws[i];
        if (r->fd >= 0 && !r->eof && r->welcomed) {
            proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
            raw_send_msg(r, &bye);
        }
    }
    service_for(0.5);
    for (int i = 0; i < raw_count; i++)
        raw_close(raws[i]);
    raw *last = raw_open("after the attacks", 0);
    CHECK_MSG(last && raw_handshake(last, "Survivor"), "the host no longer accepts players");
    raw_close(last);

    int legit_code = stop(legit_pid, 5.0);
    int host_code = stop(host_pid, 5.0);
    CHECK_MSG(legit_code == 0, "legit client exited %d (see %s)", legit_code, legit_log);
    CHECK_MSG(host_code == 0, "host exited %d (see %s)", host_code, host_log);
    for (int i = 0; i < raw_count; i++)
        free(raws[i]);
    return check_done("test_hostile");
}
