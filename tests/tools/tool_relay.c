/*
 * tool_relay: a TCP relay on 127.0.0.1 that makes a slow link between two
 * real processes. Each chunk of bytes read from one side is written to
 * the other after DELAY_MS plus a random 0..JITTER_MS, never before the
 * chunk ahead of it (a TCP stream keeps order): the same fakelag queue
 * that --fake-lag uses, so round trips grow by 2 x DELAY_MS.
 *
 *   tool_relay LISTEN_PORT TARGET_PORT DELAY_MS JITTER_MS [SECONDS]
 *
 * Listens on 127.0.0.1:LISTEN_PORT (0: any free port), prints
 * "relay listening on 127.0.0.1:PORT" on stdout, and for every connection
 * (at most 16 at once) connects to 127.0.0.1:TARGET_PORT. Loopback only,
 * by construction. Exits after SECONDS (default 60, at most 3600).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fakelag.h"

#define RELAY_PAIRS 16
#define RELAY_CHUNK 4096
#define RELAY_QUEUE 4096 /* chunks held per direction */
#define RELAY_OUT 65536

typedef struct {
    uint16_t len;
    uint8_t data[RELAY_CHUNK];
} relay_chunk;

typedef struct {
    bool used;
    int fd[2];          /* 0: the client that connected to us, 1: the target */
    fakelag *q[2];      /* q[i]: bytes read from fd[i], bound for fd[1 - i] */
    uint8_t out[2][RELAY_OUT]; /* out[i]: bytes waiting to be written to fd[i] */
    size_t out_len[2];
    bool eof[2], shut[2];
} relay_pair;

static relay_pair pairs[RELAY_PAIRS];

static uint64_t relay_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void relay_nonblocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void relay_close(relay_pair *p)
{
    for (int i = 0; i < 2; i++) {
        close(p->fd[i]);
        fakelag_destroy(p->q[i]);
    }
    memset(p, 0, sizeof *p);
}

static bool relay_open(int client_fd, uint16_t target, const fakelag_config *cfg, uint64_t now)
{
    relay_pair *p = NULL;
    for (int i = 0; i < RELAY_PAIRS && !p; i++)
        if (!pairs[i].used)
            p = &pairs[i];
    if (!p) {
        fprintf(stderr, "relay: %d connections already, refusing one\n", RELAY_PAIRS);
        return false;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(target),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        fprintf(stderr, "relay: cannot connect to 127.0.0.1:%u: %s\n", target, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    memset(p, 0, sizeof *p);
    p->used = true;
    p->fd[0] = client_fd;
    p->fd[1] = fd;
    relay_nonblocking(client_fd);
    relay_nonblocking(fd);
    for (int i = 0; i < 2; i++) {
        fakelag_config c = *cfg;
        c.seed = cfg->seed + 7919u * (uint32_t)(i + 1) + (uint32_t)(p - pairs);
        p->q[i] = fakelag_create(&c, sizeof(relay_chunk), RELAY_QUEUE, now);
        if (!p->q[i]) {
            fprintf(stderr, "relay: out of memory\n");
            relay_close(p);
            return false;
        }
    }
    return true;
}

/* Moves bytes for one pair; false when the pair is finished. */
static bool relay_pump(relay_pair *p, const struct pollfd *pf, uint64_t now)
{
    static relay_chunk c;
    for (int i = 0; i < 2; i++) {
        /* Read from fd[i] while its queue has room. */
        if (!p->eof[i] && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) && fakelag_count(p->q[i]) < RELAY_QUEUE) {
            ssize_t n = recv(p->fd[i], c.data, sizeof c.data, 0);
            if (n > 0) {
                c.len = (uint16_t)n;
                fakelag_push(p->q[i], &c, now);
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                p->eof[i] = true;
            }
        }
        /* Release what is due into the other side's out buffer. */
        int to = 1 - i;
        uint64_t due;
        while (fakelag_next_due(p->q[i], &due) && due <= now) {
            relay_chunk peek;
            if (p->out_len[to] + RELAY_CHUNK > RELAY_OUT)
                break; /* the other side is slow to read: hold back */
            fakelag_pop(p->q[i], now, &peek);
            memcpy(p->out[to] + p->out_len[to], peek.data, peek.len);
            p->out_len[to] += peek.len;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (p->out_len[i] > 0) {
            ssize_t n = send(p->fd[i], p->out[i], p->out_len[i], MSG_NOSIGNAL);
            if (n > 0) {
                memmove(p->out[i], p->out[i] + n, p->out_len[i] - (size_t)n);
                p->out_len[i] -= (size_t)n;
            } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return false;
            }
        }
        /* The other side closed and everything it sent is delivered: pass
         * the FIN on. */
        int from = 1 - i;
        if (p->eof[from] && !p->shut[i] && fakelag_count(p->q[from]) == 0 && p->out_len[i] == 0) {
            shutdown(p->fd[i], SHUT_WR);
            p->shut[i] = true;
        }
    }
    return !(p->shut[0] && p->shut[1]);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: tool_relay LISTEN_PORT TARGET_PORT DELAY_MS JITTER_MS [SECONDS]\n");
        return 2;
    }
    int listen_port = atoi(argv[1]), target = atoi(argv[2]);
    fakelag_config cfg = {.lag_ms = atoi(argv[3]), .jitter_ms = atoi(argv[4]), .seed = (uint32_t)getpid()};
    double seconds = argc > 5 ? atof(argv[5]) : 60.0;
    if (listen_port < 0 || listen_port > 65535 || target < 1 || target > 65535 || cfg.lag_ms < 0 ||
        cfg.lag_ms > 5000 || cfg.jitter_ms < 0 || cfg.jitter_ms > 5000 || !(seconds > 0 && seconds <= 3600)) {
        fprintf(stderr, "tool_relay: bad arguments\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)listen_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 16) != 0 ||
        getsockname(ls, (struct sockaddr *)&a, &alen) != 0) {
        fprintf(stderr, "tool_relay: cannot listen on 127.0.0.1:%d: %s\n", listen_port, strerror(errno));
        return 1;
    }
    relay_nonblocking(ls);
    printf("relay listening on 127.0.0.1:%u\n", ntohs(a.sin_port));
    fflush(stdout);

    uint64_t end = relay_now_us() + (uint64_t)(seconds * 1e6);
    for (;;) {
        uint64_t now = relay_now_us();
        if (now >= end)
            break;
        struct pollfd pf[1 + 2 * RELAY_PAIRS];
        pf[0] = (struct pollfd){.fd = ls, .events = POLLIN};
        int wait_ms = 100;
        for (int k = 0; k < RELAY_PAIRS; k++) {
            relay_pair *p = &pairs[k];
            for (int i = 0; i < 2; i++) {
                struct pollfd *q = &pf[1 + 2 * k + i];
                q->fd = p->used ? p->fd[i] : -1;
                q->events = 0;
                q->revents = 0;
                if (!p->used)
                    continue;
                if (!p->eof[i] && fakelag_count(p->q[i]) < RELAY_QUEUE)
                    q->events |= POLLIN;
                if (p->out_len[i] > 0)
                    q->events |= POLLOUT;
                uint64_t due;
                if (fakelag_next_due(p->q[i], &due)) {
                    int ms = due <= now ? 0 : (int)((due - now + 999) / 1000);
                    if (ms < wait_ms)
                        wait_ms = ms;
                }
            }
        }
        if (poll(pf, 1 + 2 * RELAY_PAIRS, wait_ms) < 0 && errno != EINTR)
            break;
        now = relay_now_us();
        if (pf[0].revents & POLLIN) {
            int fd = accept(ls, NULL, NULL);
            if (fd >= 0 && !relay_open(fd, (uint16_t)target, &cfg, now))
                close(fd);
        }
        for (int k = 0; k < RELAY_PAIRS; k++)
            if (pairs[k].used && !relay_pump(&pairs[k], &pf[1 + 2 * k], now))
                relay_close(&pairs[k]);
    }
    for (int k = 0; k < RELAY_PAIRS; k++)
        if (pairs[k].used)
            relay_close(&pairs[k]);
    close(ls);
    return 0;
}
