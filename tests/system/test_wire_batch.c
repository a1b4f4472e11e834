/*
 * test_wire_batch: at a low snapshot rate no segment goes out for a
 * round-trip measurement alone, and the round trip is still measured.
 *
 * A real server (capped at 25 snapshots a second) and two real clients
 * driven by the bot AI, joined through a relay on 127.0.0.1 that this
 * test runs on its own thread. The relay reads each direction as it
 * arrives and sorts every read by the messages it completes. One write is
 * one read here (small writes on loopback are never split), so a read
 * that holds nothing but a PING, or nothing but a PONG, is a segment that
 * carried only that. Several writes may merge into one read when the
 * relay is late; that can hide a lone segment, never invent one.
 *
 * Checks over a few seconds of play:
 *  - no read from a client holds only a PING, unless the test's own loop
 *    stalled for longer than the ping interval first (a client that sent
 *    nothing for that long keeps the link alive with a PING alone);
 *  - no read from the server holds only a PONG (it goes with the
 *    client's next snapshot);
 *  - PINGs and PONGs still flow, every client's round trip is known, and
 *    so is the ping the host measures for each player (PLAYER_INFO);
 *  - almost every read from a client carries an INPUT.
 * Liveness bounds only: nothing here depends on the machine's speed.
 */
#define SDL_MAIN_HANDLED
#include <SDL.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bot.h"
#include "check.h"
#include "client.h"
#include "frame.h"
#include "log.h"
#include "proto.h"
#include "server.h"

#define WB_CLIENTS 2
#define WB_HZ 25
#define WB_PLAY_S 5.0
#define WB_PING_MS 500
#define WB_STALL_MS 300 /* a loop gap this long may let a PING go alone */

/* What one direction's reads held. */
typedef struct {
    frame_reader fr;
    long reads;       /* reads that completed at least one message */
    long lone_ping;   /* reads of a single PING, from a frame boundary */
    long lone_pong;
    long with_input;  /* reads holding an INPUT */
    long pings, pongs, inputs, snapshots;
} wb_dir;

typedef struct {
    int down_fd, up_fd; /* the client's side, the server's side */
    wb_dir up, down;    /* client to server, server to client */
    bool open;
} wb_pair;

static struct {
    int listen_fd;
    uint16_t server_port;
    wb_pair pairs[WB_CLIENTS];
    int npairs;
    atomic_int stop;
    atomic_int counting; /* reads are sorted only while the game is on */
} relay;

static bool wb_is_snapshot(uint8_t t)
{
    return t == PROTO_SNAPSHOT || t == PROTO_SNAPSHOT_DELTA || t == PROTO_KEEPALIVE;
}

/* Sorts one read of n bytes by the messages it completes. */
static void wb_sort(wb_dir *d, const uint8_t *data, size_t n)
{
    bool at_boundary = d->fr.len == 0;
    uint8_t payload[FRAME_MAX_PAYLOAD];
    size_t len, off = 0;
    int msgs = 0, pings = 0, pongs = 0, inputs = 0, snaps = 0;
    while (off < n) {
        size_t took = frame_reader_push(&d->fr, data + off, n - off);
        off += took;
        while (frame_reader_pop(&d->fr, payload, sizeof payload, &len) == FRAME_OK && len > 0) {
            msgs++;
            pings += payload[0] == PROTO_PING;
            pongs += payload[0] == PROTO_PONG;
            inputs += payload[0] == PROTO_INPUT;
            snaps += wb_is_snapshot(payload[0]);
        }
        if (took == 0 && d->fr.error != FRAME_NEED_MORE)
            return; /* a bad stream: the endpoints will say so */
    }
    if (!atomic_load(&relay.counting) || msgs == 0)
        return;
    d->reads++;
    d->pings += pings;
    d->pongs += pongs;
    d->inputs += inputs;
    d->snapshots += snaps;
    d->with_input += inputs > 0;
    d->lone_ping += at_boundary && d->fr.len == 0 && msgs == 1 && pings == 1;
    d->lone_pong += at_boundary && d->fr.len == 0 && msgs == 1 && pongs == 1;
}

/* Moves what one side has to the other. False when the pair is over. */
static bool wb_forward(int from, int to, wb_dir *d)
{
    uint8_t buf[65536];
    ssize_t n = recv(from, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0)
        return n < 0 && (errno == EAGAIN || errno == EINTR);
    wb_sort(d, buf, (size_t)n);
    for (ssize_t off = 0; off < n;) {
        ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            struct pollfd p = {.fd = to, .events = POLLOUT};
            if (w < 0 && errno == EAGAIN && poll(&p, 1, 1000) > 0)
                continue;
            return false;
        }
        off += w;
    }
    return true;
}

static int wb_connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(relay.server_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

static int wb_relay_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&relay.stop)) {
        struct pollfd p[1 + 2 * WB_CLIENTS];
        int n = 0, polled = relay.npairs;
        p[n++] = (struct pollfd){.fd = relay.npairs < WB_CLIENTS ? relay.listen_fd : -1, .events = POLLIN};
        for (int i = 0; i < polled; i++) {
            bool on = relay.pairs[i].open;
            p[n++] = (struct pollfd){.fd = on ? relay.pairs[i].down_fd : -1, .events = POLLIN};
            p[n++] = (struct pollfd){.fd = on ? relay.pairs[i].up_fd : -1, .events = POLLIN};
        }
        if (poll(p, (nfds_t)n, 50) <= 0)
            continue;
        if (p[0].revents & POLLIN) {
            int c = accept(relay.listen_fd, NULL, NULL);
            int s = c >= 0 ? wb_connect_server() : -1;
            if (c >= 0 && s >= 0) {
                /* Each read goes on as it came: Nagle would hold a small
                 * write behind an unacknowledged one and merge them. */
                int one = 1;
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                wb_pair *pr = &relay.pairs[relay.npairs++];
                memset(pr, 0, sizeof *pr);
                pr->down_fd = c;
                pr->up_fd = s;
                frame_reader_init(&pr->up.fr);
                frame_reader_init(&pr->down.fr);
                pr->open = true;
            } else if (c >= 0) {
                close(c);
            }
        }
        for (int i = 0; i < polled; i++) { /* a pair accepted just now waits for the next poll */
            wb_pair *pr = &relay.pairs[i];
            short from_client = p[1 + 2 * i].revents, from_server = p[2 + 2 * i].revents;
            bool ok = true;
            if (pr->open && (from_client & (POLLIN | POLLHUP | POLLERR)))
                ok = wb_forward(pr->down_fd, pr->up_fd, &pr->up);
            if (ok && pr->open && (from_server & (POLLIN | POLLHUP | POLLERR)))
                ok = wb_forward(pr->up_fd, pr->down_fd, &pr->down);
            if (!ok && pr->open) {
                close(pr->down_fd);
                close(pr->up_fd);
                pr->open = false;
            }
        }
    }
    for (int i = 0; i < relay.npairs; i++)
        if (relay.pairs[i].open) {
            close(relay.pairs[i].down_fd);
            close(relay.pairs[i].up_fd);
        }
    return 0;
}

static uint16_t wb_relay_listen(void)
{
    relay.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (relay.listen_fd < 0 || bind(relay.listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(relay.listen_fd, 8) != 0 || getsockname(relay.listen_fd, (struct sockaddr *)&a, &al) != 0)
        return 0;
    return ntohs(a.sin_port);
}

static uint64_t wb_now_us(uint64_t t0)
{
    return (SDL_GetPerformanceCounter() - t0) * 1000000 / SDL_GetPerformanceFrequency();
}

static void test_no_lone_ping(void)
{
    server_config sc = server_default_config();
    sc.port = 0;
    sc.max_players = 4;
    sc.snapshot_hz = WB_HZ;
    char err[256];
    server *srv = server_start(&sc, err, sizeof err);
    CHECK_MSG(srv != NULL, "%s", err);
    if (!srv)
        return;
    relay.server_port = server_port(srv);
    uint16_t rport = wb_relay_listen();
    CHECK(rport != 0);
    SDL_Thread *rt = rport ? SDL_CreateThread(wb_relay_main, "relay", NULL) : NULL;
    CHECK(rt != NULL);
    if (!rt) {
        server_stop(srv);
        return;
    }

    const uint64_t t0 = SDL_GetPerformanceCounter();
    client *cl[WB_CLIENTS];
    bot_state ai[WB_CLIENTS];
    static sim_world w;
    for (int i = 0; i < WB_CLIENTS; i++) {
        netclient_config nc = netclient_default_config();
        snprintf(nc.host, sizeof nc.host, "127.0.0.1");
        nc.port = rport;
        nc.ping_interval_ms = WB_PING_MS;
        snprintf(nc.name, sizeof nc.name, "wb%d", i);
        cl[i] = client_create(&nc, wb_now_us(t0));
        bot_init(&ai[i], 77u + (uint32_t)i);
    }

    /* Join (bounded), then play WB_PLAY_S seconds counting reads. */
    uint64_t play_from = 0, last_us = wb_now_us(t0);
    int stalls = 0, playing = 0;
    for (;;) {
        uint64_t now = wb_now_us(t0);
        if (play_from == 0 && now > 20000000)
            break; /* never all playing: reported below */
        if (play_from && now >= play_from + (uint64_t)(WB_PLAY_S * 1e6))
            break;
        if (play_from && now - last_us > WB_STALL_MS * 1000)
            stalls++;
        last_us = now;
        playing = 0;
        for (int i = 0; i < WB_CLIENTS; i++) {
            uint8_t b = 0;
            const client_view *v = client_get_view(cl[i]);
            if (client_get_phase(cl[i], NULL, 0) == CLIENT_PLAYING) {
                playing++;
                if (v->my_id >= 0) {
                    client_view_to_world(v, &w);
                    b = bot_think(&ai[i], &w, v->my_id);
                }
            }
            client_update(cl[i], now, b);
        }
        if (!play_from && playing == WB_CLIENTS) {
            play_from = now + 500000; /* past the join's first batches */
        }
        if (play_from && now >= play_from && !atomic_load(&relay.counting))
            atomic_store(&relay.counting, 1);
        SDL_Delay(4);
    }
    atomic_store(&relay.counting, 0);
    CHECK_MSG(playing == WB_CLIENTS, "%d of %d clients playing", playing, WB_CLIENTS);

    for (int i = 0; i < WB_CLIENTS; i++) {
        client_update(cl[i], wb_now_us(t0), 0);
        client_stats st = client_get_stats(cl[i]);
        const client_view *v = client_get_view(cl[i]);
        CHECK_MSG(st.rtt_ms > 0.0f, "client %d: no round trip measured", i);
        CHECK_MSG(st.rate_hz == WB_HZ, "client %d: rate %d", i, st.rate_hz);
        for (int id = 0; id < SIM_MAX_PLAYERS; id++)
            if (v->players[id].present)
                CHECK_MSG(v->players[id].ping_ms != PROTO_PING_UNKNOWN, "client %d: player %d's ping unknown", i,
                          id);
        printf("client %d: rtt %.2f ms, %.1f snapshots/s\n", i, (double)st.rtt_ms, (double)st.snapshot_hz);
    }
    for (int i = 0; i < WB_CLIENTS; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);
    atomic_store(&relay.stop, 1);
    SDL_WaitThread(rt, NULL);
    close(relay.listen_fd);

    CHECK(relay.npairs == WB_CLIENTS);
    for (int i = 0; i < relay.npairs; i++) {
        const wb_dir *up = &relay.pairs[i].up, *down = &relay.pairs[i].down;
        printf("pair %d, client to server: %ld reads, %ld with an INPUT, %ld INPUTs, %ld PINGs, %ld PING alone\n", i,
               up->reads, up->with_input, up->inputs, up->pings, up->lone_ping);
        printf("pair %d, server to client: %ld reads, %ld snapshots, %ld PONGs, %ld PONG alone\n", i, down->reads,
               down->snapshots, down->pongs, down->lone_pong);
        /* Liveness: the game ran, and pings flowed both ways. */
        CHECK_MSG(up->inputs > 20 && down->snapshots > 20, "pair %d: %ld inputs, %ld snapshots", i, up->inputs,
                  down->snapshots);
        CHECK_MSG(up->pings >= 2 && down->pongs >= 2, "pair %d: %ld PINGs, %ld PONGs", i, up->pings, down->pongs);
        CHECK_MSG(up->lone_ping <= stalls, "pair %d: %ld PINGs went alone (%d stalls of the test's loop)", i,
                  up->lone_ping, stalls);
        CHECK_MSG(down->lone_pong == 0, "pair %d: %ld PONGs went alone", i, down->lone_pong);
        /* Every write of a playing client carries an INPUT, but for the
         * keepalives stalls allow. */
        CHECK_MSG(up->reads - up->with_input <= stalls, "pair %d: %ld of %ld writes without an INPUT (%d stalls)", i,
                  up->reads - up->with_input, up->reads, stalls);
    }
    printf("test loop stalls over %d ms: %d\n", WB_STALL_MS, stalls);
}

int main(void)
{
    SDL_SetMainReady();
    if (SDL_Init(SDL_INIT_TIMER) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    log_set_level(LOG_WARN);
    test_no_lone_ping();
    SDL_Quit();
    return check_done("test_wire_batch");
}
