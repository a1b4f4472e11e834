/*
 * bench_perf: the netcode, wire and frame figures in one run, printed as Markdown tables.
 * Never a test: it asserts nothing, it measures and prints.
 *
 *   sudo ./build/tests/bench/bench_perf [--quick]
 *
 * Every process it starts runs inside network namespaces it creates and
 * deletes (root and iproute2 needed): the host in one, its players in
 * another, joined by a veth pair, so the veth byte counters split the
 * traffic by direction and include every header on the wire (Ethernet 14,
 * IPv4 20, TCP 32 with timestamps). Single-process phases use a third
 * namespace's loopback. Nothing is sent outside those namespaces.
 *
 *  1. bandwidth per client, down and up, 2/16/64 players, moving/idle,
 *     delta and --no-delta (players: tool_swarm, one process, a connection
 *     and its connection thread per player, one loop driving them all);
 *  2. host CPU (utime+stime from /proc) per second and per tick at 16, 64
 *     and 250 players in one game, players in a separate process. The
 *     veths run their receive side on threaded NAPI (GRO on, TSO off), so
 *     a client's TCP receive and wake-up run on a kernel thread, as they
 *     would on the client's own machine, instead of inside the host's
 *     send(); the 64-player row is repeated with plain veths to show what
 *     that moves;
 *  3. join time: client_create (connect) to the first rendered frame that
 *     shows our player, 50 joins, in this process with the game's own
 *     client/draw/render code on an offscreen GL context (llvmpipe);
 *  4. client frame time with 64 players at 1280x720: process CPU time per
 *     frame (so llvmpipe's threads count) including the swap and a
 *     glFinish, and draw calls per frame; plus the real binary's --stats;
 *  5. start-up: fork+exec of lanarena to its first menu frame (the --stats
 *     line it writes right before its first swap);
 *  6. idle CPU: the windowed client in the main menu, a headless host with
 *     no players;
 *  7. peak RSS (VmHWM): the 64-player host, the windowed client.
 *
 * Bounded: every child runs with --quit-after or a fixed duration and is
 * killed if it outlives it; a full run takes about 2.5 minutes.
 *
 *   sudo ./build/tests/bench/bench_perf --wire [--quick]
 *
 * runs only the snapshot-rate figures, the host being lanarena-server
 * (the dedicated server) capped with --snapshot-hz:
 *  W1. bandwidth and packets per client, both directions, headers
 *      included, at 60, 30 and 25 snapshots a second, 2/16/64 players,
 *      moving and idle; with the server's peak RSS (VmHWM) in each game
 *      (its players are in the swarm's process);
 *  W1b. 25 Hz, 2 and 16 moving players, with TCP timestamps off in both
 *      namespaces (net.ipv4.tcp_timestamps=0 there only; Windows' default):
 *      54 header bytes a segment instead of 66;
 *  W2. the slow link: a 64-bot game (bots in the server's process), one
 *      real `lanarena --join --headless --bot` client whose veth carries
 *      96 kbit/s each way (tc tbf on both ends): how long it stays (40 s
 *      at most), the rate it settles at and its display delay over its
 *      last 10 s; and the same client on the clean veth for comparison.
 * About 5 minutes.
 */
#define _GNU_SOURCE
#define GL_GLEXT_PROTOTYPES 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <GL/gl.h>
#include <SDL.h>

#include "client.h"
#include "draw.h"
#include "log.h"
#include "render.h"

#define BENCH_SRV_ADDR "10.201.0.1"
#define BENCH_CLI_ADDR "10.201.0.2"
#define BENCH_MAX_PROCS 16
static const char bench_stderr[] = "(stderr to the pipe)";
#define BENCH_STDERR bench_stderr /* spawn's log: stderr joins stdout */

static char ns_srv[32], ns_cli[32], ns_lo[32], veth_srv[16], veth_cli[16];
static bool have_netns;
static bool veth_napi; /* receive on threaded NAPI; see veth_set_napi */
static char swarm_bin[PATH_MAX];
static char out_dir[PATH_MAX];
static bool quick;
static bool wire_only;        /* --wire: only W1 and W2 (see the top) */
static char host_bin[PATH_MAX] = LANARENA_BIN; /* --wire: lanarena-server */
static int host_hz;           /* --snapshot-hz for the host; 0: none */
static bool frames_only; /* --frames: only figure 4, for profiling the renderer */
static pid_t live[BENCH_MAX_PROCS];
static int live_fd[BENCH_MAX_PROCS]; /* its stdout pipe, closed when reaped */

/* ---- small utilities ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v and returns the p-th percentile (nearest rank). */
static double pct(double *v, int n, double p)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int k = (int)(p / 100.0 * n + 0.999999) - 1;
    return v[k < 0 ? 0 : (k >= n ? n - 1 : k)];
}

/* Runs a fixed command line (no user input reaches it); true on exit 0. */
static bool run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool run(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return rc == 0;
}

/* ---- processes ---- */

/* Starts argv[0] inside netns (NULL: ours), stdout to a pipe (*out_fd,
 * kept open until reap so the child never writes into a closed pipe),
 * stderr to log. */
static pid_t spawn(const char *netns, char *const argv[], int *out_fd, const char *log)
{
    int fds[2] = {-1, -1};
    if (out_fd && pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        if (netns) {
            char path[96];
            snprintf(path, sizeof path, "/var/run/netns/%s", netns);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
                _exit(126);
        }
        if (out_fd) {
            dup2(fds[1], 1);
            close(fds[0]);
            close(fds[1]);
        } else {
            int dn = open("/dev/null", O_WRONLY);
            dup2(dn, 1);
        }
        if (log == BENCH_STDERR) {
            dup2(1, 2);
        } else {
            int lf = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (lf >= 0)
                dup2(lf, 2);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    if (out_fd) {
        close(fds[1]);
        *out_fd = pid > 0 ? fds[0] : -1;
        if (pid <= 0)
            close(fds[0]);
    }
    for (int i = 0; pid > 0 && i < BENCH_MAX_PROCS; i++) {
        if (!live[i]) {
            live[i] = pid;
            live_fd[i] = out_fd ? *out_fd : -1;
            break;
        }
    }
    return pid;
}

/* Waits up to timeout for pid to exit; then SIGTERM, then SIGKILL. */
static int reap(pid_t pid, double timeout)
{
    if (pid <= 0)
        return -1;
    int status = 0;
    double until = now_s() + timeout;
    int sig = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0)
            return -1;
        if (now_s() > until) {
            if (sig == SIGKILL) {
                waitpid(pid, &status, 0);
                break;
            }
            sig = sig == 0 ? SIGTERM : SIGKILL;
            kill(pid, sig);
            until = now_s() + 3;
        }
        sleep_s(0.01);
    }
    for (int i = 0; i < BENCH_MAX_PROCS; i++) {
        if (live[i] == pid) {
            live[i] = 0;
            if (live_fd[i] >= 0)
                close(live_fd[i]);
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Reads lines from fd until one contains needle; false on timeout/EOF. */
static bool wait_line(int fd, const char *needle, double timeout, char *line, size_t cap)
{
    double until = now_s() + timeout;
    size_t n = 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while (now_s() < until) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r == 1) {
            if (c == '\n') {
                line[n] = '\0';
                if (strstr(line, needle))
                    return true;
                n = 0;
            } else if (n + 1 < cap) {
                line[n++] = c;
            }
        } else if (r == 0) {
            return false;
        } else {
            sleep_s(0.002);
        }
    }
    return false;
}

/* utime + stime of pid, seconds; *user gets utime alone. */
static double proc_cpu_split(pid_t pid, double *user)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* comm may hold spaces */
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* after ')': state(3) ... utime is field 14, stime 15 */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    if (user)
        *user = (double)ut / (double)sysconf(_SC_CLK_TCK);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double proc_cpu(pid_t pid)
{
    return proc_cpu_split(pid, NULL);
}

static long proc_status_kb(pid_t pid, const char *key)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, klen) == 0 && line[klen] == ':')
            v = strtol(line + klen + 1, NULL, 10);
    fclose(f);
    return v;
}

/* ---- network namespaces ---- */

static void netns_cleanup(void)
{
    if (ns_srv[0])
        run("ip netns del %s 2>/dev/null", ns_srv);
    if (ns_cli[0])
        run("ip netns del %s 2>/dev/null", ns_cli);
    if (ns_lo[0])
        run("ip netns del %s 2>/dev/null", ns_lo);
}

static void on_signal(int sig)
{
    for (int i = 0; i < BENCH_MAX_PROCS; i++)
        if (live[i] > 0)
            kill(live[i], SIGKILL);
    netns_cleanup();
    _exit(128 + sig);
}

static bool netns_setup(void)
{
    int id = (int)getpid();
    snprintf(ns_srv, sizeof ns_srv, "lanperf%ds", id);
    snprintf(ns_cli, sizeof ns_cli, "lanperf%dc", id);
    snprintf(ns_lo, sizeof ns_lo, "lanperf%dl", id);
    snprintf(veth_srv, sizeof veth_srv, "lp%ds", id % 1000000);
    snprintf(veth_cli, sizeof veth_cli, "lp%dc", id % 1000000);
    bool ok = geteuid() == 0 && run("ip netns add %s", ns_srv) && run("ip netns add %s", ns_cli) &&
              run("ip netns add %s", ns_lo) &&
              run("ip link add %s netns %s type veth peer name %s netns %s", veth_srv, ns_srv, veth_cli, ns_cli) &&
              run("ip -n %s addr add " BENCH_SRV_ADDR "/24 dev %s", ns_srv, veth_srv) &&
              run("ip -n %s addr add " BENCH_CLI_ADDR "/24 dev %s", ns_cli, veth_cli) &&
              run("ip -n %s link set %s up", ns_srv, veth_srv) && run("ip -n %s link set %s up", ns_cli, veth_cli) &&
              run("ip -n %s link set lo up", ns_srv) && run("ip -n %s link set lo up", ns_cli) &&
              run("ip -n %s link set lo up", ns_lo);
    if (!ok) {
        netns_cleanup();
        ns_srv[0] = ns_cli[0] = ns_lo[0] = '\0';
    }
    return ok;
}

/* A plain veth hands each packet to the peer's TCP stack inside the
 * sender's send(): the host would pay for every client's receive and
 * wake-up, which on a LAN run on the clients' machines. With GRO on, a
 * veth receives through NAPI (TSO off: veth passes only unsegmented TCP to
 * NAPI, and real NICs put MSS-sized segments on the wire anyway), and
 * threaded NAPI runs that on a kernel thread of its own. */
static bool veth_set_napi(bool on)
{
    const char *ns[2] = {ns_srv, ns_cli}, *dev[2] = {veth_srv, veth_cli};
    bool ok = true;
    for (int i = 0; i < 2; i++) {
        /* NAPI exists only while GRO is on: threaded goes on after it, off before. */
        if (!on)
            ok = ok && run("ip netns exec %s sh -c 'echo 0 > /sys/class/net/%s/threaded'", ns[i], dev[i]);
        ok = ok && run("ip netns exec %s ethtool -K %s gro %s tso %s >/dev/null 2>&1", ns[i], dev[i],
                       on ? "on" : "off", on ? "off" : "on");
        if (on)
            ok = ok && run("ip netns exec %s sh -c 'echo 1 > /sys/class/net/%s/threaded'", ns[i], dev[i]);
    }
    veth_napi = ok && on;
    return ok;
}

/* Each direction counted where it is sent: a veth counts tx at xmit, with
 * the Ethernet header, whichever way the peer receives (its rx count, on
 * the NAPI path, is taken after the header is pulled off). tx = host to
 * players, rx = players to host. */
typedef struct {
    double tx_bytes, rx_bytes, tx_packets, rx_packets;
} link_counts;

static double json_number_after(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    return p ? strtod(p + strlen(key), NULL) : -1;
}

/* The "tx" counters of dev in netns: *bytes, *packets. */
static void veth_tx(const char *netns, const char *dev, double *bytes, double *packets)
{
    char cmd[128], buf[4096];
    snprintf(cmd, sizeof cmd, "ip -n %s -s -j link show %s", netns, dev);
    *bytes = *packets = 0;
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    pclose(p);
    buf[n] = '\0';
    const char *tx = strstr(buf, "\"tx\":");
    if (tx) {
        *bytes = json_number_after(tx, "\"bytes\":");
        *packets = json_number_after(tx, "\"packets\":");
    }
}

static link_counts veth_counts(void)
{
    link_counts c = {0};
    veth_tx(ns_srv, veth_srv, &c.tx_bytes, &c.tx_packets);
    veth_tx(ns_cli, veth_cli, &c.rx_bytes, &c.rx_packets);
    return c;
}

/* ---- 1 and 2: bandwidth and host cost ---- */

typedef struct {
    int players;
    bool moving, delta;
    bool sync_veth; /* measured with plain veths (see veth_set_napi) */
    bool ok;
    int ready;
    double down, up;           /* bytes/s per client on the wire */
    double down_pkts, up_pkts; /* packets/s per client */
    double cpu_pct;            /* host, % of one core */
    double user_pct;           /* of which in user space */
    double ms_per_tick;
    long hwm_kb;
} bw_result;

static int next_port = 31000;

static pid_t start_host(const char *netns, int port, int bots, int max_players, bool delta, double secs, int *out_fd,
                        const char *log)
{
    char p[16], b[16], q[32];
    snprintf(p, sizeof p, "%d", port);
    snprintf(b, sizeof b, "%d", bots);
    snprintf(q, sizeof q, "%.1f", secs);
    char *argv[20], hz[16];
    int k = 0;
    snprintf(hz, sizeof hz, "%d", host_hz);
    argv[k++] = host_bin;
    if (host_hz > 0) {
        argv[k++] = "--snapshot-hz";
        argv[k++] = hz;
    }
    argv[k++] = "--host";
    argv[k++] = "--headless";
    argv[k++] = "--port";
    argv[k++] = p;
    argv[k++] = "--max-players";
    argv[k++] = max_players > 64 ? "250" : "66";
    argv[k++] = "--quit-after";
    argv[k++] = q;
    if (bots > 0) {
        argv[k++] = "--bots";
        argv[k++] = b;
    }
    if (!delta)
        argv[k++] = "--no-delta";
    /* Every swarm player comes from one address: no per-address limits. */
    argv[k++] = "--trust-addr";
    argv[k++] = BENCH_CLI_ADDR;
    argv[k] = NULL;
    int fd = -1;
    pid_t pid = spawn(netns, argv, &fd, log);
    char line[256];
    if (pid <= 0 || !wait_line(fd, "Hosting", 10, line, sizeof line)) {
        fprintf(stderr, "bench: host on port %d did not start (see %s)\n", port, log ? log : "-");
        reap(pid, 0);
        return -1;
    }
    if (out_fd)
        *out_fd = fd;
    return pid;
}

static pid_t start_swarm(const char *addr, int port, int count, bool moving, double secs, int *out_fd)
{
    char p[16], n[16], s[32];
    snprintf(p, sizeof p, "%d", port);
    snprintf(n, sizeof n, "%d", count);
    snprintf(s, sizeof s, "%.1f", secs);
    char *argv[] = {swarm_bin, (char *)addr, p, n, moving ? "move" : "idle", s, NULL};
    char log[PATH_MAX + 32];
    snprintf(log, sizeof log, "%s/swarm.log", out_dir);
    return spawn(have_netns ? ns_cli : ns_lo[0] ? ns_lo : NULL, argv, out_fd, log);
}

static void bw_run(bw_result *r)
{
    const double settle = 1.5, measure = quick ? 3 : 6;
    int port = next_port++;
    char log[PATH_MAX + 32];
    snprintf(log, sizeof log, "%s/host.log", out_dir);
    double join = r->players > 64 ? 40 : 20; /* 250 joins take ~10 s on this machine */
    double total = join + settle + measure;
    pid_t host = start_host(ns_srv, port, 0, r->players, r->delta, total + 5, NULL, log);
    if (host < 0)
        return;
    int sfd = -1;
    pid_t swarm = start_swarm(BENCH_SRV_ADDR, port, r->players, r->moving, total, &sfd);
    char line[64];
    if (swarm > 0 && wait_line(sfd, "ready", join, line, sizeof line)) {
        r->ready = atoi(line + 6);
        sleep_s(settle);
        link_counts a = veth_counts();
        double u0 = 0, u1 = 0;
        double c0 = proc_cpu_split(host, &u0), t0 = now_s();
        sleep_s(measure);
        link_counts b = veth_counts();
        double c1 = proc_cpu_split(host, &u1), t1 = now_s();
        r->user_pct = (u1 - u0) / (t1 - t0) * 100;
        double dt = t1 - t0;
        r->down = (b.tx_bytes - a.tx_bytes) / dt / r->players;
        r->up = (b.rx_bytes - a.rx_bytes) / dt / r->players;
        r->down_pkts = (b.tx_packets - a.tx_packets) / dt / r->players;
        r->up_pkts = (b.rx_packets - a.rx_packets) / dt / r->players;
        r->cpu_pct = (c1 - c0) / dt * 100;
        r->ms_per_tick = (c1 - c0) * 1000 / (dt * 60);
        r->hwm_kb = proc_status_kb(host, "VmHWM");
        r->ok = r->ready == r->players;
    }
    kill(swarm, SIGTERM);
    reap(swarm, 5);
    kill(host, SIGTERM);
    reap(host, 5);
}

/* ---- W1 and W2: snapshot rates and the slow link ---- */

typedef struct {
    bool ok;
    int exit_code;
    double stayed_s, hz_mean, hz_low, delay_ms, rtt_ms, down_bps;
} slow_result;

/* A 64-bot game and one real client; with a 96 kbit/s tbf each way when
 * slow. Reads the client's --stats file. */
static void slow_run(bool slow, double secs, slow_result *r)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
    if (slow && !(run("ip netns exec %s tc qdisc add dev %s root tbf rate 96kbit burst 4kb latency 400ms", ns_srv,
                      veth_srv) &&
                  run("ip netns exec %s tc qdisc add dev %s root tbf rate 96kbit burst 4kb latency 400ms", ns_cli,
                      veth_cli))) {
        fprintf(stderr, "bench: cannot add the tbf qdiscs\n");
        return;
    }
    int port = next_port++;
    char log[PATH_MAX + 32], stats[PATH_MAX + 32], addr[64], q[32];
    snprintf(log, sizeof log, "%s/slow-host.log", out_dir);
    snprintf(stats, sizeof stats, "%s/slow-client-%d.jsonl", out_dir, slow);
    unlink(stats);
    pid_t host = start_host(ns_srv, port, 64, 64, true, secs + 15, NULL, log);
    if (host > 0) {
        sleep_s(4); /* the bots join */
        snprintf(addr, sizeof addr, BENCH_SRV_ADDR ":%d", port);
        snprintf(q, sizeof q, "%.0f", secs);
        char *argv[] = {LANARENA_BIN, "--join", addr, "--headless", "--bot", "--name", "Slowpoke", "--quit-after",
                        q, "--stats", stats, NULL};
        char clog[PATH_MAX + 32];
        snprintf(clog, sizeof clog, "%s/slow-client-%d.log", out_dir, slow);
        double t0 = now_s();
        pid_t cl = spawn(ns_cli, argv, NULL, clog);
        r->exit_code = reap(cl, secs + 10);
        r->stayed_s = now_s() - t0;
        static char lines[64][1024];
        char buf[1024];
        int n = 0;
        FILE *f = fopen(stats, "r");
        while (f && fgets(buf, sizeof buf, f))
            if (strstr(buf, "\"role\":\"client\""))
                snprintf(lines[n++ % 64], sizeof lines[0], "%s", buf);
        if (f)
            fclose(f);
        /* The last 10 whole seconds (the final line may be a partial one). */
        int have = n > 64 ? 64 : n, used = 0;
        r->hz_low = 1e9;
        for (int i = 1; i <= 10 && i < have; i++) {
            const char *l = lines[(n - 1 - i) % 64];
            double hz = json_number_after(l, "\"snapshot_hz\":");
            r->hz_mean += hz;
            r->hz_low = hz < r->hz_low ? hz : r->hz_low;
            r->delay_ms += json_number_after(l, "\"interp_delay_ms\":");
            r->rtt_ms += json_number_after(l, "\"rtt_ms\":");
            r->down_bps += json_number_after(l, "\"bytes_in_per_s\":");
            used++;
        }
        if (used) {
            r->hz_mean /= used;
            r->delay_ms /= used;
            r->rtt_ms /= used;
            r->down_bps /= used;
            r->ok = true;
        }
        kill(host, SIGTERM);
        reap(host, 5);
    }
    if (slow) {
        run("ip netns exec %s tc qdisc del dev %s root", ns_srv, veth_srv);
        run("ip netns exec %s tc qdisc del dev %s root", ns_cli, veth_cli);
    }
}

static int wire_figures(void)
{
    if (!have_netns) {
        printf("no namespaces (not root?): nothing measured\n");
        return 1;
    }
    char *slash = strrchr(host_bin, '/');
    size_t at = slash ? (size_t)(slash + 1 - host_bin) : 0;
    snprintf(host_bin + at, sizeof host_bin - at, "lanarena-server");
    printf("\n### W1. Per client on the wire (headers included), by snapshot rate; host: lanarena-server\n\n");
    printf("| rate | players | state | down B/s | up B/s | both B/s | down pkt/s | up pkt/s | both pkt/s "
           "| server peak RSS |\n|---|---|---|---|---|---|---|---|---|---|\n");
    fflush(stdout);
    static const int rates[3] = {60, 30, 25}, players[3] = {2, 16, 64};
    for (int h = 0; h < 3; h++)
        for (int p = 0; p < 3; p++)
            for (int mv = 1; mv >= 0; mv--) {
                host_hz = rates[h];
                bw_result r = {.players = players[p], .moving = mv, .delta = true};
                bw_run(&r);
                if (!r.ok)
                    printf("| %d Hz | %d | %s | (failed: %d of %d joined) |||||||\n", rates[h], r.players,
                           mv ? "moving" : "idle", r.ready, r.players);
                else
                    printf("| %d Hz | %d | %s | %.0f | %.0f | **%.0f** | %.1f | %.1f | **%.1f** | %.1f MB |\n",
                           rates[h], r.players, mv ? "moving" : "idle", r.down, r.up, r.down + r.up, r.down_pkts,
                           r.up_pkts, r.down_pkts + r.up_pkts, r.hwm_kb / 1024.0);
                fflush(stdout);
            }
    /* The same at 25 Hz with TCP timestamps off (Windows' default): 12
     * bytes less in every segment's header. Set in our own two
     * namespaces only (the sysctl is per namespace) and set back. */
    printf("\n### W1b. 25 Hz, moving, TCP timestamps off in both namespaces (Windows' default)\n\n");
    printf("| rate | players | state | down B/s | up B/s | both B/s | down pkt/s | up pkt/s | both pkt/s "
           "| server peak RSS |\n|---|---|---|---|---|---|---|---|---|---|\n");
    if (run("ip netns exec %s sysctl -qw net.ipv4.tcp_timestamps=0", ns_srv) &&
        run("ip netns exec %s sysctl -qw net.ipv4.tcp_timestamps=0", ns_cli)) {
        for (int p = 0; p < 2; p++) {
            host_hz = 25;
            bw_result r = {.players = players[p], .moving = true, .delta = true};
            bw_run(&r);
            if (!r.ok)
                printf("| 25 Hz, no TCP timestamps | %d | moving | (failed: %d of %d joined) |||||||\n", r.players,
                       r.ready, r.players);
            else
                printf("| 25 Hz, no TCP timestamps | %d | moving | %.0f | %.0f | **%.0f** | %.1f | %.1f | **%.1f** "
                       "| %.1f MB |\n",
                       r.players, r.down, r.up, r.down + r.up, r.down_pkts, r.up_pkts, r.down_pkts + r.up_pkts,
                       r.hwm_kb / 1024.0);
            fflush(stdout);
        }
    } else {
        printf("(could not turn TCP timestamps off in the namespaces)\n");
    }
    run("ip netns exec %s sysctl -qw net.ipv4.tcp_timestamps=1", ns_srv);
    run("ip netns exec %s sysctl -qw net.ipv4.tcp_timestamps=1", ns_cli);
    host_hz = 0;
    printf("\n### W2. One client (Auto) in a game of 64 moving bots\n\n");
    printf("| link | stayed | exit | snapshots/s, last 10 s: mean (lowest second) | display delay (interp) "
           "| round trip | down B/s |\n|---|---|---|---|---|---|---|\n");
    for (int slow = 1; slow >= 0; slow--) {
        slow_result r;
        slow_run(slow, quick ? 20 : 40, &r);
        printf("| %s | %.1f s | %d | %.1f (%.1f) | %.0f ms | %.0f ms | %.0f |\n",
               slow ? "96 kbit/s (tbf each way)" : "clean veth", r.stayed_s, r.exit_code, r.hz_mean, r.hz_low,
               r.delay_ms, r.rtt_ms, r.down_bps);
        fflush(stdout);
    }
    return 0;
}

/* ---- 3 and 4: join time and frame time, in this process ---- */

static bool gl_up(SDL_Window **win, SDL_GLContext *ctx)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0)
        return false;
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    *win = SDL_CreateWindow("bench", 0, 0, 1280, 720, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    *ctx = *win ? SDL_GL_CreateContext(*win) : NULL;
    if (!*ctx)
        return false;
    SDL_GL_SetSwapInterval(0);
    char err[512];
    render_config rc = {.asset_dir = LANARENA_TEST_DATA "/assets", .shader_dir = LANARENA_TEST_DATA "/shaders",
                        .font_path = LANARENA_TEST_DATA "/fonts/DejaVuSans.ttf"};
    if (!render_init(&rc, err, sizeof err)) {
        fprintf(stderr, "bench: %s\n", err);
        return false;
    }
    return true;
}

static void draw_game_frame(SDL_Window *win, client *c)
{
    render_begin(1280, 720, 0x1B2430FF);
    draw_frame df = {.w = 1280, .h = 720, .ui_scale = 1.0f, .host_info = NULL,
                     .now_us = (uint64_t)(now_s() * 1e6)};
    draw_world(&df, client_get_view(c));
    render_end();
    SDL_GL_SwapWindow(win);
    glFinish(); /* llvmpipe rasterises on its own threads: count them in this frame */
}

static uint64_t us_since(double t0)
{
    return (uint64_t)((now_s() - t0) * 1e6);
}

static client *connect_to(int port, const char *name, double t0)
{
    netclient_config nc = netclient_default_config();
    snprintf(nc.host, sizeof nc.host, "127.0.0.1");
    nc.port = (uint16_t)port;
    snprintf(nc.name, sizeof nc.name, "%s", name);
    return client_create(&nc, us_since(t0));
}

static bool shows_me(const client_view *v)
{
    return v->my_id >= 0 && v->players[v->my_id].seen && v->players[v->my_id].state.active;
}

/* 50 joins: client_create to the first swapped frame that shows us. */
static int join_times(SDL_Window *win, int port, double *ms, int n)
{
    int got = 0;
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "Joiner %d", i);
        double t0 = now_s();
        client *c = connect_to(port, name, t0);
        bool shown = false;
        while (now_s() - t0 < 5) {
            client_update(c, us_since(t0), 0);
            if (client_get_phase(c, NULL, 0) == CLIENT_PLAYING && shows_me(client_get_view(c))) {
                draw_game_frame(win, c);
                shown = true;
                break;
            }
            if (client_get_phase(c, NULL, 0) >= CLIENT_FAILED)
                break;
            sleep_s(0.0002);
        }
        if (shown)
            ms[got++] = (now_s() - t0) * 1000;
        client_destroy(c, PROTO_BYE_QUIT);
        sleep_s(0.03);
    }
    return got;
}

typedef struct {
    int frames;
    double cpu_p50, cpu_p99, wall_p50, wall_p99, main_p50, main_p99;
    int calls_max, calls_p50, quads;
    int players_seen;
    double floor_copy_p50, floor_clear_p50; /* see frame_floor */
} frame_result;

/* What llvmpipe costs before any game content: the median process CPU of
 * a 1280x720 frame that is only the cached background (one opaque quad
 * over the window, as the arena is drawn) or only a clear, at the same
 * 60 fps pacing, swap and glFinish as the game frames. */
static double frame_floor(SDL_Window *win, bool copy)
{
    enum { FLOOR_FRAMES = 300 };
    static double cpu[FLOOR_FRAMES];
    int n = quick ? 120 : FLOOR_FRAMES;
    for (int f = 0; f < n; f++) {
        double w0 = now_s(), c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);
        render_begin(1280, 720, 0x1B2430FF);
        if (copy && !render_background_begin(UINT64_C(0xF100D))) {
            render_rect(0, 0, 1280, 720, 0x3A5A40FF); /* what the cache holds does not matter */
            render_background_end();
        }
        render_end();
        SDL_GL_SwapWindow(win);
        glFinish();
        cpu[f] = (cpu_s(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1000;
        double spent = now_s() - w0;
        if (spent < 1.0 / 60)
            sleep_s(1.0 / 60 - spent);
    }
    return pct(cpu + 1, n - 1, 50); /* the first frame builds the cache */
}

static void frame_times(SDL_Window *win, int port, frame_result *fr)
{
    double t0 = now_s();
    client *c = connect_to(port, "Frame meter", t0);
    /* Wait for the full game: 64 players in view. */
    while (now_s() - t0 < 20) {
        client_update(c, us_since(t0), 0);
        const client_view *v = client_get_view(c);
        int seen = 0;
        for (int i = 0; i < SIM_MAX_PLAYERS; i++)
            seen += v->players[i].present && v->players[i].seen && v->players[i].state.active;
        fr->players_seen = seen;
        if (seen == 64)
            break;
        sleep_s(0.005);
    }
    enum { FRAMES = 600 };
    static double cpu[FRAMES], wall[FRAMES], main_cpu[FRAMES];
    double calls[FRAMES];
    int n = quick ? 240 : FRAMES;
    for (int f = 0; f < n; f++) {
        double w0 = now_s(), c0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID), m0 = cpu_s(CLOCK_THREAD_CPUTIME_ID);
        client_update(c, us_since(t0), 0);
        draw_game_frame(win, c);
        cpu[f] = (cpu_s(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1000;
        main_cpu[f] = (cpu_s(CLOCK_THREAD_CPUTIME_ID) - m0) * 1000;
        wall[f] = (now_s() - w0) * 1000;
        render_stats st = render_get_stats();
        calls[f] = st.draw_calls;
        fr->quads = st.quads;
        double spent = now_s() - w0;
        if (spent < 1.0 / 60)
            sleep_s(1.0 / 60 - spent); /* the game's pacing */
    }
    fr->frames = n;
    fr->cpu_p50 = pct(cpu, n, 50);
    fr->cpu_p99 = pct(cpu, n, 99);
    fr->main_p50 = pct(main_cpu, n, 50);
    fr->main_p99 = pct(main_cpu, n, 99);
    fr->wall_p50 = pct(wall, n, 50);
    fr->wall_p99 = pct(wall, n, 99);
    fr->calls_p50 = (int)pct(calls, n, 50);
    fr->calls_max = (int)pct(calls, n, 100);
    client_destroy(c, PROTO_BYE_QUIT);
    fr->floor_copy_p50 = frame_floor(win, true);
    fr->floor_clear_p50 = frame_floor(win, false);
}

/* ---- 5, 6, 7 with the real binary ---- */

/* Process start (fork) to first menu frame: the game logs "app: first
 * frame drawn" right after its first buffer swap. */
static int startup_times(double *ms, int n)
{
    int got = 0;
    for (int i = 0; i < n; i++) {
        char *argv[] = {LANARENA_BIN, "--quit-after", "5", NULL};
        char line[256];
        int fd = -1;
        double t0 = now_s();
        pid_t pid = spawn(NULL, argv, &fd, BENCH_STDERR);
        if (pid > 0 && wait_line(fd, "app: first frame drawn", 5, line, sizeof line))
            ms[got++] = (now_s() - t0) * 1000;
        kill(pid, SIGTERM);
        reap(pid, 5);
    }
    return got;
}

/* An X server for the idle-menu figure on a real window system (SDL's
 * offscreen driver has no way to block waiting for events, so there
 * SDL_WaitEventTimeout polls every millisecond). */
static pid_t xvfb_start(char *display, size_t cap)
{
    if (access("/usr/bin/Xvfb", X_OK) != 0)
        return -1;
    int n = 300 + (int)(getpid() % 300);
    snprintf(display, cap, ":%d", n);
    char *argv[] = {"/usr/bin/Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp", NULL};
    pid_t pid = spawn(NULL, argv, NULL, NULL);
    char sock[64];
    snprintf(sock, sizeof sock, "/tmp/.X11-unix/X%d", n);
    for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
        sleep_s(0.05);
    sleep_s(0.3);
    return pid;
}

/* Reads the last "role":"client" line's frame_ms percentiles from a --stats file. */
typedef struct {
    double menu_pct, xmenu_pct, host_pct;
    long menu_hwm;
} idle_result;

/* 6: the menu under SDL's offscreen driver and under Xvfb, and a headless
 * host with nobody connected, side by side for 8 s. */
static void idle_figures(idle_result *r)
{
    int idle_port = next_port++;
    char *menu_argv[] = {LANARENA_BIN, "--quit-after", "15", NULL};
    pid_t menu = spawn(NULL, menu_argv, NULL, NULL);
    char display[32] = "";
    pid_t xvfb = xvfb_start(display, sizeof display);
    pid_t xmenu = -1;
    if (xvfb > 0) {
        setenv("DISPLAY", display, 1);
        setenv("SDL_VIDEODRIVER", "x11", 1);
        xmenu = spawn(NULL, menu_argv, NULL, NULL);
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        unsetenv("DISPLAY");
    }
    char log[PATH_MAX + 32];
    snprintf(log, sizeof log, "%s/host-idle.log", out_dir);
    pid_t idle_host = start_host(NULL, idle_port, 0, 64, true, 15, NULL, log);
    sleep_s(4);
    double m0 = proc_cpu(menu), h0 = proc_cpu(idle_host), x0 = xmenu > 0 ? proc_cpu(xmenu) : 0, it0 = now_s();
    sleep_s(quick ? 4 : 8);
    double m1 = proc_cpu(menu), h1 = proc_cpu(idle_host), x1 = xmenu > 0 ? proc_cpu(xmenu) : 0, it1 = now_s();
    r->menu_pct = (m1 - m0) / (it1 - it0) * 100;
    r->host_pct = (h1 - h0) / (it1 - it0) * 100;
    r->xmenu_pct = xmenu > 0 ? (x1 - x0) / (it1 - it0) * 100 : -1;
    r->menu_hwm = proc_status_kb(menu, "VmHWM");
    reap(menu, 10);
    reap(idle_host, 10);
    if (xmenu > 0)
        reap(xmenu, 10);
    if (xvfb > 0) {
        kill(xvfb, SIGTERM);
        reap(xvfb, 5);
    }
}

static void stats_frame_ms(const char *path, double *p50, double *p99)
{
    FILE *f = fopen(path, "r");
    char line[512];
    *p50 = *p99 = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (!strstr(line, "\"role\":\"client\""))
            continue;
        double a = json_number_after(line, "\"frame_ms_p50\":"), b = json_number_after(line, "\"frame_ms_p99\":");
        double players = json_number_after(line, "\"players\":");
        if (players >= 64) {
            *p50 = a;
            *p99 = b;
        }
    }
    if (f)
        fclose(f);
}

/* ---- output ---- */

static void print_bw_table(const bw_result *r, int n)
{
    printf("\n### 1. Bandwidth per client on the wire (Ethernet+IP+TCP headers included)\n\n");
    printf("| players | motion | snapshots | down B/s | up B/s | down pkt/s | up pkt/s | host CPU %% of a core | "
           "host CPU ms/tick |\n");
    printf("|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < n; i++) {
        if (!r[i].ok) {
            printf("| %d | %s | %s | (failed: %d of %d joined) | | | | | |\n", r[i].players,
                   r[i].moving ? "all moving" : "all idle", r[i].delta ? "delta" : "--no-delta", r[i].ready,
                   r[i].players);
            continue;
        }
        printf("| %d%s | %s | %s | %.0f | %.0f | %.1f | %.1f | %.2f | %.4f |\n", r[i].players,
               r[i].sync_veth ? " (plain veths)" : "",
               r[i].moving ? "all moving" : "all idle", r[i].delta ? "delta" : "--no-delta", r[i].down, r[i].up,
               r[i].down_pkts, r[i].up_pkts, r[i].cpu_pct, r[i].ms_per_tick);
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (strcmp(argv[i], "--frames") == 0)
            frames_only = true;
        else if (strcmp(argv[i], "--wire") == 0)
            wire_only = true;
    log_set_level(LOG_WARN);
    /* Children inherit these: windows need no display, sound no device. */
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    /* tool_swarm is in the tools folder next to this program's. */
    ssize_t n = readlink("/proc/self/exe", swarm_bin, sizeof swarm_bin - 16);
    if (n <= 0) {
        fprintf(stderr, "bench: cannot find myself\n");
        return 1;
    }
    swarm_bin[n] = '\0';
    char *slash = strrchr(swarm_bin, '/');
    snprintf(slash + 1, sizeof swarm_bin - (size_t)(slash + 1 - swarm_bin), "../tools/tool_swarm");
    snprintf(out_dir, sizeof out_dir, "%s", getenv("LANARENA_TEST_OUT") ? getenv("LANARENA_TEST_OUT") : "/tmp");
    mkdir(out_dir, 0755);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    have_netns = !frames_only && netns_setup();

    double load[3] = {0};
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = -1;
        fclose(la);
    }
    printf("bench_perf%s: %ld CPUs, load average %.2f %.2f %.2f at start; namespaces: %s\n", quick ? " --quick" : "",
           sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2],
           have_netns ? "yes (veth host<->players, loopback for the rest)" : "NO (not root?): bandwidth skipped");
    fflush(stdout);
    double bench_t0 = now_s();
    if (wire_only) {
        if (have_netns && !veth_set_napi(true))
            fprintf(stderr, "bench: no threaded NAPI on the veths: plain veths\n");
        int code = wire_figures();
        printf("\nbench_perf --wire took %.0f s\n", now_s() - bench_t0);
        netns_cleanup();
        return code;
    }

    /* 1 + 2: bandwidth and host cost. */
    static bw_result bw[16];
    int nbw = 0;
    if (have_netns && !veth_set_napi(true))
        fprintf(stderr, "bench: no threaded NAPI on the veths (ethtool missing?): plain veths throughout\n");
    if (have_netns)
        printf("veth receive: %s\n", veth_napi ? "threaded NAPI (GRO on, TSO off)" : "plain (inside the sender)");
    if (have_netns) {
        static const int players[3] = {2, 16, 64};
        for (int p = 0; p < 3; p++)
            for (int mv = 1; mv >= 0; mv--)
                for (int d = 1; d >= 0; d--) {
                    bw[nbw] = (bw_result){.players = players[p], .moving = mv, .delta = d};
                    bw_run(&bw[nbw]);
                    fprintf(stderr, "bench: %d players %s %s: down %.0f up %.0f B/s, host %.2f%%\n",
                            bw[nbw].players, mv ? "moving" : "idle", d ? "delta" : "full", bw[nbw].down, bw[nbw].up,
                            bw[nbw].cpu_pct);
                    nbw++;
                }
        /* One game of 250, then the 64 again with plain veths. */
        bw[nbw] = (bw_result){.players = 250, .moving = true, .delta = true, .sync_veth = !veth_napi};
        bw_run(&bw[nbw++]);
        if (veth_napi && veth_set_napi(false)) {
            bw[nbw] = (bw_result){.players = 64, .moving = true, .delta = true, .sync_veth = true};
            bw_run(&bw[nbw++]);
        }
    }

    /* The single-process phases run on a fresh namespace's loopback. */
    if (ns_lo[0]) {
        char path[96];
        snprintf(path, sizeof path, "/var/run/netns/%s", ns_lo);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
            fprintf(stderr, "bench: cannot enter %s; using this namespace's loopback\n", ns_lo);
    }

    /* 6 and 5 first, while nothing else of ours runs. */
    idle_result idle = {.menu_pct = -1, .xmenu_pct = -1, .host_pct = -1, .menu_hwm = -1};
    static double start_ms[40];
    int nstart = 0;
    if (!frames_only) {
        idle_figures(&idle);
        nstart = startup_times(start_ms, quick ? 8 : 20);
    }
    double start_p50 = pct(start_ms, nstart, 50), start_max = pct(start_ms, nstart, 100);
    char log[PATH_MAX + 32];

    /* 3 + 4: join and frame time, with the game's code in this process. */
    SDL_Window *win = NULL;
    SDL_GLContext ctx = NULL;
    bool gl = gl_up(&win, &ctx);
    static double join_ms[64];
    int njoin = 0;
    frame_result fr = {0};
    long client_hwm = -1;
    double real_p50 = -1, real_p99 = -1, real_cpu_pct = -1;
    if (gl) {
        int jport = next_port++;
        snprintf(log, sizeof log, "%s/host-join.log", out_dir);
        pid_t jhost = start_host(NULL, jport, 15, 64, true, 60, NULL, log);
        sleep_s(1.5); /* the 15 bots join */
        if (jhost > 0 && !frames_only)
            njoin = join_times(win, jport, join_ms, 50);
        kill(jhost, SIGTERM);
        reap(jhost, 5);

        int fport = next_port++;
        snprintf(log, sizeof log, "%s/host-frames.log", out_dir);
        pid_t fhost = start_host(NULL, fport, 63, 64, true, 90, NULL, log);
        sleep_s(3);
        if (fhost > 0) {
            frame_times(win, fport, &fr);
            /* The real binary as a windowed client in the same game (our
             * meter has left, so it is the 64th): RSS and its own stats. */
            char stats[PATH_MAX + 32], addr[32];
            snprintf(stats, sizeof stats, "%s/client-frames.jsonl", out_dir);
            unlink(stats);
            snprintf(addr, sizeof addr, "127.0.0.1:%d", fport);
            char *cargv[] = {LANARENA_BIN, "--join", addr, "--name", "Real client", "--quit-after", "10",
                             "--stats", stats, NULL};
            pid_t cl = spawn(NULL, cargv, NULL, NULL);
            sleep_s(4);
            double c0 = proc_cpu(cl), t0 = now_s();
            sleep_s(5);
            real_cpu_pct = (proc_cpu(cl) - c0) / (now_s() - t0) * 100;
            client_hwm = proc_status_kb(cl, "VmHWM");
            reap(cl, 10);
            stats_frame_ms(stats, &real_p50, &real_p99);
        }
        kill(fhost, SIGTERM);
        reap(fhost, 5);
        render_shutdown();
        SDL_GL_DeleteContext(ctx);
        SDL_DestroyWindow(win);
    } else {
        fprintf(stderr, "bench: no offscreen GL 3.3 context: %s\n", SDL_GetError());
    }
    SDL_Quit();
    netns_cleanup();

    /* ---- the tables ---- */
    if (nbw)
        print_bw_table(bw, nbw);
    printf("\n### 2. Host CPU (players in another process: tool_swarm, a connection and its thread each)\n\n");
    printf("| players, all moving | host CPU %% of one core | of which user space | CPU ms per tick |\n"
           "|---|---:|---:|---:|\n");
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < nbw; i++) {
            const bw_result *r = &bw[i];
            bool want = pass == 0 ? r->delta && !r->sync_veth : pass == 1 ? !r->delta : r->sync_veth;
            if (!r->moving || r->players < 16 || !want)
                continue;
            if (!r->ok)
                printf("| %d: failed, %d of %d joined | | | |\n", r->players, r->ready, r->players);
            else
                printf("| %d, one game%s | %.2f | %.2f | %.4f |\n", r->players,
                       pass == 1 ? ", --no-delta" : pass == 2 ? ", plain veths (clients' receive inside host send())" : "",
                       r->cpu_pct, r->user_pct, r->ms_per_tick);
        }

    printf("\n### 3-7. Client and process figures\n\n| figure | value |\n|---|---|\n");
    if (njoin) {
        double p50 = pct(join_ms, njoin, 50), p99 = pct(join_ms, njoin, 99);
        printf("| join: connect to first rendered world frame, %d joins (host with 15 bots) | median %.1f ms, p99 "
               "%.1f ms |\n",
               njoin, p50, p99);
    }
    if (fr.frames)
        printf("| client frame, %d players in view, tags + HUD, 1280x720, llvmpipe, %d frames incl. swap + glFinish: "
               "CPU of the game's (main) thread | median %.2f ms, p99 %.2f ms |\n"
               "| same frames: CPU of the whole process (adds llvmpipe's rasteriser threads) | median %.2f ms, p99 "
               "%.2f ms (wall median %.2f, p99 %.2f) |\n"
               "| draw calls per frame (quads) | median %d, max %d (%d quads) |\n"
               "| llvmpipe's floor, same pacing: a frame that is only the cached arena (one quad over the window) "
               "/ only a clear: CPU of the whole process | median %.2f ms / %.2f ms |\n",
               fr.players_seen, fr.frames, fr.main_p50, fr.main_p99, fr.cpu_p50, fr.cpu_p99, fr.wall_p50,
               fr.wall_p99, fr.calls_p50, fr.calls_max, fr.quads, fr.floor_copy_p50, fr.floor_clear_p50);
    if (real_cpu_pct >= 0)
        printf("| real windowed client in that game: process CPU at its 60 fps pacing | %.1f %% of a core (= %.2f ms "
               "per frame); its --stats frame_ms p50 %.2f, p99 %.2f |\n",
               real_cpu_pct, real_cpu_pct / 100 * 1000 / 60, real_p50, real_p99);
    if (nstart)
        printf("| start-up: fork+exec to first menu frame swapped (offscreen), %d launches | median %.1f ms, max %.1f "
               "ms |\n",
               nstart, start_p50, start_max);
    if (idle.xmenu_pct >= 0)
        printf("| idle: windowed client in the main menu, X11 (Xvfb) | %.2f %% of a core |\n", idle.xmenu_pct);
    if (idle.menu_pct >= 0)
        printf("| idle: windowed client in the main menu, SDL offscreen driver (polls events every 1 ms) | %.2f %% of a "
           "core |\n",
               idle.menu_pct);
    if (idle.host_pct >= 0)
        printf("| idle: headless host, no players | %.2f %% of a core |\n", idle.host_pct);
    for (int i = 0; i < nbw; i++)
        if (bw[i].players >= 64 && bw[i].moving && bw[i].delta && !bw[i].sync_veth)
            printf("| peak RSS (VmHWM): headless host, %d moving players | %.1f MiB |\n", bw[i].players,
                   bw[i].hwm_kb / 1024.0);
    if (client_hwm > 0)
        printf("| peak RSS (VmHWM): windowed client in a 64-player game | %.1f MiB |\n", client_hwm / 1024.0);
    if (idle.menu_hwm > 0)
        printf("| peak RSS (VmHWM): windowed client in the main menu | %.1f MiB |\n", idle.menu_hwm / 1024.0);
    printf("\nbench_perf: %.0f s\n", now_s() - bench_t0);
    return 0;
}
