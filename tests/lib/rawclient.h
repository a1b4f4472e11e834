/*
 * rawclient: a bare protocol client over a plain socket, for tests and
 * benchmarks that play the attacker or count what a player receives. It
 * can bind its socket to any 127.0.0.0/8 address first, so one process can
 * look like many machines to the host (Linux routes all of 127/8 to lo).
 *
 * Every call is non-blocking or bounded by a deadline. Header-only (static
 * functions), like check.h. Threading contract: a rawclient belongs to one
 * thread; different threads may each drive their own.
 */
#ifndef LANARENA_RAWCLIENT_H
#define LANARENA_RAWCLIENT_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "proto.h"

typedef struct {
    int fd;
    frame_reader fr;
    bool eof, welcomed, rejected, goodbye;
    uint8_t reject_reason, bye_reason;
    int id;
    uint64_t token;
    uint64_t bytes_in;
    uint32_t newest_tick; /* newest snapshot tick seen (acked with INPUT) */
    uint32_t joined, left, info; /* announcements received */
    char renamed_to[PROTO_NAME_WIRE_MAX + 1]; /* newest JOINED name for our own id */
} rawclient;

static inline double rawclient_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Opens a non-blocking connection from `from` (NULL: any) to
 * 127.0.0.1:port. False if the socket cannot even be made. */
static inline bool rawclient_open(rawclient *c, const char *from, uint16_t port)
{
    memset(c, 0, sizeof *c);
    c->id = -1;
    frame_reader_init(&c->fr);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return false;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (from) {
        struct sockaddr_in sa = {.sin_family = AF_INET};
        inet_pton(AF_INET, from, &sa.sin_addr);
        if (bind(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            close(c->fd);
            c->fd = -1;
            return false;
        }
    }
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (connect(c->fd, (struct sockaddr *)&to, sizeof to) != 0 && errno != EINPROGRESS) {
        close(c->fd);
        c->fd = -1;
        return false;
    }
    return true;
}

static inline void rawclient_close(rawclient *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* Sends one message whole, waiting (at most 1 s) for the connect and for
 * room. False when the connection is gone. */
static inline bool rawclient_send(rawclient *c, const proto_msg *m)
{
    uint8_t payload[FRAME_MAX_PAYLOAD], frame[FRAME_MAX_SIZE];
    size_t n = proto_encode(m, payload, sizeof payload);
    size_t f = n ? frame_write(frame, sizeof frame, payload, n) : 0;
    size_t off = 0;
    double until = rawclient_now() + 1.0;
    while (c->fd >= 0 && off < f && rawclient_now() < until) {
        ssize_t k = send(c->fd, frame + off, f - off, MSG_NOSIGNAL);
        if (k > 0) {
            off += (size_t)k;
        } else if (k < 0 && (errno == EAGAIN || errno == EINTR || errno == ENOTCONN || errno == EINPROGRESS)) {
            struct pollfd pf = {.fd = c->fd, .events = POLLOUT};
            poll(&pf, 1, 5);
        } else {
            return false;
        }
    }
    return f > 0 && off == f;
}

static inline void rawclient_on(rawclient *c, const proto_msg *m)
{
    switch (m->type) {
    case PROTO_WELCOME:
        c->welcomed = true;
        c->id = m->u.welcome.player_id;
        c->token = m->u.welcome.token;
        break;
    case PROTO_REJECT:
        c->rejected = true;
        c->reject_reason = m->u.reject.reason;
        break;
    case PROTO_GOODBYE:
        c->goodbye = true;
        c->bye_reason = m->u.goodbye.reason;
        break;
    case PROTO_PLAYER_JOINED:
        c->joined++;
        if (m->u.joined.id == c->id)
            snprintf(c->renamed_to, sizeof c->renamed_to, "%s", m->u.joined.name);
        break;
    case PROTO_PLAYER_LEFT:
        c->left++;
        break;
    case PROTO_PLAYER_INFO:
        c->info++;
        break;
    case PROTO_SNAPSHOT:
        c->newest_tick = m->u.snapshot.tick;
        break;
    case PROTO_SNAPSHOT_DELTA:
        c->newest_tick = m->u.delta.tick;
        break;
    case PROTO_KEEPALIVE:
        c->newest_tick = m->u.keepalive.tick;
        break;
    default:
        break;
    }
}

/* Reads whatever has arrived; never blocks. */
static inline void rawclient_pump(rawclient *c)
{
    for (int k = 0; c->fd >= 0 && !c->eof && k < 64; k++) {
        if (frame_reader_space(&c->fr) == 0)
            frame_reader_init(&c->fr);
        ssize_t n = recv(c->fd, frame_reader_tail(&c->fr), frame_reader_space(&c->fr), MSG_DONTWAIT);
        if (n > 0) {
            c->bytes_in += (uint64_t)n;
            frame_reader_commit(&c->fr, (size_t)n);
            uint8_t payload[FRAME_MAX_PAYLOAD];
            proto_msg m;
            size_t len;
            while (frame_reader_pop(&c->fr, payload, sizeof payload, &len) == FRAME_OK)
                if (proto_decode(payload, len, &m) == PROTO_OK)
                    rawclient_on(c, &m);
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            c->eof = true;
        return;
    }
}

/* Pumps until WELCOME, REJECT or EOF, or limit_s passes; true if welcomed. */
static inline bool rawclient_wait_answer(rawclient *c, double limit_s)
{
    double until = rawclient_now() + limit_s;
    while (!c->welcomed && !c->rejected && !c->eof && rawclient_now() < until) {
        struct pollfd pf = {.fd = c->fd, .events = POLLIN};
        poll(&pf, 1, 5);
        rawclient_pump(c);
    }
    return c->welcomed;
}

/* HELLO with a name, a token and a password. */
static inline bool rawclient_hello(rawclient *c, const char *name, uint64_t token, const char *password)
{
    proto_msg h = proto_make_hello(name);
    h.u.hello.token = token;
    if (password) {
        size_t n = strlen(password);
        memcpy(h.u.hello.password, password, n + 1);
        h.u.hello.password_len = (uint8_t)n;
    }
    return rawclient_send(c, &h);
}

/* An INPUT acknowledging the newest snapshot, as a real client sends
 * each tick (so the host sends it deltas and keepalives). */
static inline bool rawclient_input(rawclient *c, uint32_t seq)
{
    proto_msg in = {.type = PROTO_INPUT};
    in.u.input.seq = seq;
    in.u.input.buttons = 0;
    in.u.input.ack_tick = c->newest_tick;
    return rawclient_send(c, &in);
}

#endif
