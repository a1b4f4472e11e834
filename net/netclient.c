/*
 * netclient: one connection to a server, on its own SDL thread. See
 * netclient.h for the contract.
 *
 * The connection thread owns the socket and the conn. It only ever blocks
 * in sock_poll() on {socket, wake}; netclient_send() and netclient_stop()
 * signal the sock_wake, so the thread reacts at once, and every wait has
 * a deadline (connect_timeout_ms, a PING due alone, the silence timeout).
 *
 * Name resolution (netclient_dial.c): SDLNet_ResolveHost is gethostbyname() underneath:
 * blocking with no timeout of ours, and not thread-safe. It runs on a small
 * detached helper thread, one lookup at a time process-wide (a mutex), and
 * the connection thread waits for its answer with the connect deadline. A
 * lookup that outlives the deadline (a dead DNS server can take 10 s+) is
 * abandoned to finish on its own, so neither the connect timeout nor
 * netclient_stop() ever waits for DNS.
 *
 * Shared with the owner: state, why and stats under `lock`; the stop flag
 * and stop reason as C11 atomics; messages through the two mq queues.
 */
#include "netclient_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tcp.h"


netclient_config netclient_default_config(void)
{
    netclient_config c;
    memset(&c, 0, sizeof c);
    snprintf(c.host, sizeof c.host, "127.0.0.1");
    c.port = PROTO_DEFAULT_PORT;
    snprintf(c.name, sizeof c.name, "Player");
    c.version = PROTO_VERSION;
    c.colour = PROTO_COLOUR_ANY;
    c.connect_timeout_ms = 4000;
    c.silence_timeout_ms = NETCLIENT_SILENCE_MS;
    c.ping_interval_ms = 500;
    return c;
}

/* ---- this process's own local ports ---- */

#define NC_OWN_PORTS 512
static atomic_flag nc_own_lock = ATOMIC_FLAG_INIT;
static uint16_t nc_own_ports[NC_OWN_PORTS]; /* 0: free */

static void nc_own_port_set(uint16_t port, bool on)
{
    if (port == 0)
        return;
    while (atomic_flag_test_and_set_explicit(&nc_own_lock, memory_order_acquire))
        ; /* held for a few instructions */
    for (int i = 0; i < NC_OWN_PORTS; i++) {
        if (on ? nc_own_ports[i] == 0 : nc_own_ports[i] == port) {
            nc_own_ports[i] = on ? port : 0;
            break;
        }
    }
    atomic_flag_clear_explicit(&nc_own_lock, memory_order_release);
}

bool netclient_is_own_port(uint16_t port)
{
    bool found = false;
    while (atomic_flag_test_and_set_explicit(&nc_own_lock, memory_order_acquire))
        ; /* held for a few instructions */
    for (int i = 0; i < NC_OWN_PORTS && !found && port != 0; i++)
        found = nc_own_ports[i] == port;
    atomic_flag_clear_explicit(&nc_own_lock, memory_order_release);
    return found;
}

/* ---- small helpers ---- */

static uint32_t nc_clock_us(void)
{
    double t = (double)SDL_GetPerformanceCounter() * 1e6 / (double)SDL_GetPerformanceFrequency();
    return (uint32_t)(uint64_t)t;
}

static uint64_t nc_now_us(void)
{
    return (uint64_t)((double)SDL_GetPerformanceCounter() * 1e6 / (double)SDL_GetPerformanceFrequency());
}

/* The session's clock: silence and ping deadlines count only time this
 * thread could run, so a stopped process (SIGSTOP, sleep) wakes up without
 * blaming its host for the pause. Connection thread only. */
static uint64_t nc_run_ms(netclient *nc)
{
    uint64_t now = runclock_now(&nc->run, SDL_GetTicks64());
    if (nc->run.pauses != nc->pauses_logged) {
        nc->pauses_logged = nc->run.pauses;
        log_info("netclient: %s: this process did not run for a while (%llu ms paused in all); "
                 "not counted as the host's silence",
                 nc->tag, (unsigned long long)nc->run.paused_ms);
    }
    return now;
}

void nc_format_seconds(int ms, char *buf, size_t cap)
{
    if (ms % 1000 == 0)
        snprintf(buf, cap, "%d s", ms / 1000);
    else
        snprintf(buf, cap, "%.1f s", ms / 1000.0);
}

bool nc_stopping(netclient *nc)
{
    return atomic_load(&nc->stop) != 0;
}

static void nc_wake(netclient *nc)
{
    sock_wake_signal(&nc->wake);
}

void nc_drain_wake(netclient *nc)
{
    sock_wake_drain(&nc->wake);
}

static bool nc_terminal(netclient_state s)
{
    return s == NETCLIENT_FAILED || s == NETCLIENT_CLOSED;
}

static netclient_state nc_get_state(netclient *nc)
{
    SDL_LockMutex(nc->lock);
    netclient_state s = nc->state;
    SDL_UnlockMutex(nc->lock);
    return s;
}

/* Moves to `s`; a FAILED one of kind `fault`. The first FAILED/CLOSED
 * wins and keeps its sentence. */
void nc_set_state_fault(netclient *nc, netclient_state s, const char *why, netclient_fault fault)
{
    SDL_LockMutex(nc->lock);
    bool changed = !nc_terminal(nc->state);
    if (changed) {
        nc->state = s;
        nc->fault = s == NETCLIENT_FAILED ? fault : NETCLIENT_FAULT_NONE;
        if (why)
            snprintf(nc->why, sizeof nc->why, "%s", why);
    }
    SDL_UnlockMutex(nc->lock);
    if (changed && s == NETCLIENT_FAILED)
        log_warn("netclient: %s: failed: %s", nc->tag, why ? why : "?");
    else if (changed && s == NETCLIENT_CLOSED)
        log_info("netclient: %s: closed: %s", nc->tag, why ? why : "?");
}

void nc_set_state(netclient *nc, netclient_state s, const char *why)
{
    nc_set_state_fault(nc, s, why, NETCLIENT_FAULT_OTHER);
}

/* The kind of failure a connect() error is. */
netclient_fault nc_connect_fault(int err)
{
    if (err == SOCK_ERR_REFUSED)
        return NETCLIENT_FAULT_REFUSED;
    if (err == SOCK_ERR_NETUNREACH || err == SOCK_ERR_NETDOWN)
        return NETCLIENT_FAULT_NO_ROUTE;
    return NETCLIENT_FAULT_NO_ANSWER;
}

static void nc_publish_stats(netclient *nc)
{
    SDL_LockMutex(nc->lock);
    nc->stats.bytes_in = nc->c.bytes_in;
    nc->stats.bytes_out = nc->c.bytes_out;
    nc->stats.msgs_in = nc->c.msgs_in;
    nc->stats.msgs_out = nc->c.msgs_out;
    nc->stats.rtt_ms = nc->rtt_ms;
    SDL_UnlockMutex(nc->lock);
}

/* ---- the session ---- */

/* Queues a final message and gives it one non-blocking write. */
static void nc_send_last(netclient *nc, uint8_t bye_reason)
{
    proto_msg bye = proto_make_goodbye(bye_reason);
    char why[96];
    if (conn_queue_last(&nc->c, &bye) == CONN_QUEUED)
        (void)conn_flush(&nc->c, why, sizeof why);
}

/* A fault with a working socket: say GOODBYE(bye_reason), fail with
 * `sentence` and log `detail`. */
static void nc_fail_with_bye(netclient *nc, uint8_t bye_reason, const char *sentence,
                             const char *detail)
{
    log_warn("netclient: %s: dropping the connection: %s", nc->tag, detail);
    nc_send_last(nc, bye_reason);
    nc_set_state(nc, NETCLIENT_FAILED, sentence);
}

static bool nc_deliver(netclient *nc, const proto_msg *msg)
{
    nc_arrival a;
    a.msg = *msg;
    a.at_us = nc_now_us();
    if (mq_push(nc->inbox, &a))
        return true;
    nc_fail_with_bye(nc, PROTO_BYE_TOO_SLOW,
                     "Messages from the host were not being processed, so the game disconnected.",
                     "inbox full (512 messages): the owner is not calling netclient_poll");
    return false;
}

/* Queues a message to the host, through the fake lag when there is one. */
static conn_queue_result nc_queue_out(netclient *nc, const proto_msg *msg)
{
    if (nc->lag_out)
        return fakelag_push(nc->lag_out, msg, nc_now_us()) ? CONN_QUEUED : CONN_QUEUE_FULL;
    return conn_queue(&nc->c, msg);
}

/* Handles one message. False when the session is over. */
static bool nc_handle(netclient *nc, const proto_msg *msg, uint64_t now)
{
    char why[640];
    nc->last_recv_ms = now;
    atomic_store(&nc->heard_ms, (int)(uint32_t)SDL_GetTicks64()); /* wall time: what the player waits */
    netclient_state st = nc_get_state(nc);
    switch (msg->type) {
    case PROTO_PING: {
        proto_msg pong;
        memset(&pong, 0, sizeof pong);
        pong.type = PROTO_PONG;
        pong.u.ping.token = msg->u.ping.token;
        if (nc_queue_out(nc, &pong) != CONN_QUEUED) {
            nc_fail_with_bye(nc, PROTO_BYE_TOO_SLOW, "The connection to the host is too slow.",
                             "outbox full while answering PING");
            return false;
        }
        return true;
    }
    case PROTO_PONG: {
        /* Less the time the host held our PING for its next batch. */
        uint32_t waited = (uint32_t)(nc_clock_us() - msg->u.ping.token);
        uint32_t held = msg->u.ping.held_us < waited ? msg->u.ping.held_us : waited;
        float sample = (float)(waited - held) / 1000.0f;
        if (sample < 0.001f)
            sample = 0.001f;
        nc->rtt_ms = nc->rtt_ms == 0.0f ? sample : nc->rtt_ms + 0.125f * (sample - nc->rtt_ms);
        return true;
    }
    case PROTO_GOODBYE:
        if (!nc_deliver(nc, msg))
            return false;
        nc_set_state(nc, NETCLIENT_CLOSED, proto_bye_text(msg->u.goodbye.reason));
        return false;
    case PROTO_REJECT:
        if (!nc_deliver(nc, msg))
            return false;
        nc_set_state(nc, NETCLIENT_FAILED, proto_reject_text(msg->u.reject.reason));
        return false;
    case PROTO_HELLO:
    case PROTO_INPUT:
        snprintf(why, sizeof why, "host sent %s, a client-to-server message",
                 proto_type_name(msg->type));
        nc_fail_with_bye(nc, PROTO_BYE_PROTOCOL_ERROR,
                         "The host sent something this game cannot understand.", why);
        return false;
    default:
        break;
    }
    if (st == NETCLIENT_HANDSHAKE) {
        if (msg->type != PROTO_WELCOME) {
            snprintf(why, sizeof why, "expected WELCOME, got %s", proto_type_name(msg->type));
            nc_fail_with_bye(nc, PROTO_BYE_PROTOCOL_ERROR,
                             "The host sent something this game cannot understand.", why);
            return false;
        }
        if (!nc_deliver(nc, msg))
            return false;
        log_info("netclient: %s: welcomed as player %u", nc->tag,
                 (unsigned)msg->u.welcome.player_id);
        nc_set_state(nc, NETCLIENT_CONNECTED, NULL);
        nc->next_ping_ms = now; /* measure RTT right away */
        return true;
    }
    return nc_deliver(nc, msg);
}

/* A message off the socket: handled now, or once the fake delay is over. */
static bool nc_receive(netclient *nc, const proto_msg *msg)
{
    if (!nc->lag_in)
        return nc_handle(nc, msg, nc_run_ms(nc));
    if (fakelag_push(nc->lag_in, msg, nc_now_us()))
        return true;
    nc_fail_with_bye(nc, PROTO_BYE_TOO_SLOW, "The connection to the host is too slow to keep up.",
                     "fake lag: too many messages held back");
    return false;
}

/* Moves what the fake delay releases now: incoming messages to nc_handle,
 * outgoing ones to the conn. False when the session is over. */
static bool nc_release_lagged(netclient *nc)
{
    uint64_t now = nc_now_us();
    proto_msg m;
    while (nc->lag_in && fakelag_pop(nc->lag_in, now, &m))
        if (!nc_handle(nc, &m, nc_run_ms(nc)))
            return false;
    while (nc->lag_out && fakelag_pop(nc->lag_out, now, &m)) {
        conn_queue_result qr = conn_queue(&nc->c, &m);
        if (qr == CONN_QUEUE_BAD_MSG) {
            log_warn("netclient: %s: %s could not be encoded; not sent", nc->tag, proto_type_name(m.type));
        } else if (qr != CONN_QUEUED) {
            nc_fail_with_bye(nc, PROTO_BYE_TOO_SLOW, "The connection to the host is too slow to keep up.",
                             conn_queue_result_text(qr));
            return false;
        }
    }
    return true;
}

/* Shortens a wait to when the next fake-delayed message is due. */
static int nc_lag_wait(netclient *nc, int wait)
{
    uint64_t now = nc_now_us(), due;
    fakelag *q[2] = {nc->lag_in, nc->lag_out};
    for (int i = 0; i < 2; i++) {
        if (q[i] && fakelag_next_due(q[i], &due)) {
            int ms = due <= now ? 0 : (int)((due - now + 999) / 1000);
            if (ms < wait)
                wait = ms;
        }
    }
    return wait;
}

/* Reads and handles what has arrived, until the kernel has nothing more,
 * the budget is spent (*more), or the socket is finished (*eof, *rd_error
 * with rd_why). Returns false when a message ended the session. */
static bool nc_read_pass(netclient *nc, bool *more, bool *eof, bool *rd_error, char *rd_why,
                         size_t cap)
{
    *more = false;
    bool finished = false;
    for (int steps = 0, msgs = 0; steps < 4 * NC_READ_BUDGET; steps++) {
        if (msgs >= NC_READ_BUDGET) {
            *more = true;
            return true;
        }
        proto_msg msg;
        char why[160];
        conn_next_result r = conn_next(&nc->c, &msg, why, sizeof why);
        if (r == CONN_NEXT_ERROR) {
            char detail[200];
            snprintf(detail, sizeof detail, "undecodable data: %s", why);
            nc_fail_with_bye(nc, PROTO_BYE_PROTOCOL_ERROR,
                             "The host sent something this game cannot understand.", detail);
            return false;
        }
        if (r == CONN_NEXT_MSG) {
            msgs++;
            if (!nc_receive(nc, &msg))
                return false;
            continue;
        }
        if (finished)
            return true;
        switch (conn_read(&nc->c, rd_why, cap)) {
        case CONN_IO_OK:
            continue;
        case CONN_IO_IDLE:
            return true;
        case CONN_IO_CLOSED:
            *eof = finished = true;
            continue; /* nothing new arrived: the next turn returns */
        case CONN_IO_FULL:
            *more = true;
            return true;
        case CONN_IO_ERROR:
        default:
            *rd_error = finished = true;
            continue;
        }
    }
    *more = true;
    return true;
}

/* When a due PING goes without waiting for an owner's message. */
static uint64_t nc_ping_alone_at(const netclient *nc)
{
    uint64_t quiet_until = nc->last_sent_ms + (uint64_t)nc->cfg.ping_interval_ms;
    return quiet_until > nc->next_ping_ms ? quiet_until : nc->next_ping_ms;
}

/* The HELLO, and the fake network conditions when asked for. False: the
 * session failed before it began (the state says why). */
static bool nc_session_open(netclient *nc)
{
    proto_msg hello = proto_make_hello(nc->cfg.name);
    hello.u.hello.version = nc->cfg.version;
    hello.u.hello.token = nc->cfg.reconnect_token;
    hello.u.hello.colour = nc->cfg.colour;
    hello.u.hello.snapshot_hz = nc->cfg.snapshot_hz;
    size_t plen = strnlen(nc->cfg.password, PROTO_PASSWORD_MAX);
    memcpy(hello.u.hello.password, nc->cfg.password, plen);
    hello.u.hello.password[plen] = '\0';
    hello.u.hello.password_len = (uint8_t)plen;
    if (conn_queue(&nc->c, &hello) != CONN_QUEUED) {
        nc_set_state(nc, NETCLIENT_FAILED, "This player name cannot be sent.");
        return false;
    }
    nc_set_state(nc, NETCLIENT_HANDSHAKE, NULL);

    fakelag_config lag = {.lag_ms = nc->cfg.fake_lag_ms, .jitter_ms = nc->cfg.fake_jitter_ms,
                          .seed = (uint32_t)nc_now_us() | 1u};
    if (fakelag_enabled(&lag) || nc->cfg.fake_stall_ms > 0) {
        nc->lag_out = fakelag_create(&lag, sizeof(proto_msg), NC_LAG_OUT_CAP, nc_now_us());
        lag.stall_ms = nc->cfg.fake_stall_ms; /* a stall is something not arriving */
        lag.stall_every_ms = nc->cfg.fake_stall_every_s * 1000;
        lag.seed ^= 0x9E3779B9u;
        nc->lag_in = fakelag_create(&lag, sizeof(proto_msg), NC_LAG_IN_CAP, nc_now_us());
        if (!nc->lag_in || !nc->lag_out) {
            nc_set_state(nc, NETCLIENT_FAILED, "The fake network conditions are invalid or out of memory.");
            return false;
        }
        log_info("netclient: %s: fake lag %d ms, jitter %d ms, stall %d ms every %d s", nc->tag,
                 nc->cfg.fake_lag_ms, nc->cfg.fake_jitter_ms, nc->cfg.fake_stall_ms, nc->cfg.fake_stall_every_s);
    }
    return true;
}

/* Queues what the owner posted, and a due PING with it. False: the
 * connection cannot keep up and the session failed. */
static bool nc_queue_owned(netclient *nc, uint64_t now)
{
    proto_msg out;
    bool sent = false;
    for (int k = 0; k < NC_OUTBOX_CAP && mq_pop(nc->outbox, &out); k++) {
        conn_queue_result qr = nc_queue_out(nc, &out);
        if (qr == CONN_QUEUE_BAD_MSG) {
            log_warn("netclient: %s: %s could not be encoded; not sent", nc->tag, proto_type_name(out.type));
        } else if (qr != CONN_QUEUED) {
            nc_fail_with_bye(nc, PROTO_BYE_TOO_SLOW, "The connection to the host is too slow to keep up.",
                             conn_queue_result_text(qr));
            return false;
        }
        sent = true;
    }
    if (sent)
        nc->last_sent_ms = now;
    /* A due PING rides in the same write as the owner's messages (an
     * INPUT, at the snapshot rate); it goes alone only when nothing went
     * out for a ping interval, as the keepalive of a client that has
     * nothing to say. */
    if (now >= nc->next_ping_ms && (sent || now >= nc_ping_alone_at(nc))) {
        proto_msg ping;
        memset(&ping, 0, sizeof ping);
        ping.type = PROTO_PING;
        ping.u.ping.token = nc_clock_us();
        (void)nc_queue_out(nc, &ping); /* a full outbox fails just above */
        nc->next_ping_ms = now + (uint64_t)nc->cfg.ping_interval_ms;
        nc->last_sent_ms = now;
    }
    return true;
}

/* The stream ended or broke: the player reads why. */
static void nc_fail_lost(netclient *nc, bool eof, const char *detail)
{
    char why[640];
    log_warn("netclient: %s: %s", nc->tag, eof ? "connection closed by the host without GOODBYE" : detail);
    bool shaking = nc_get_state(nc) == NETCLIENT_HANDSHAKE;
    if (shaking)
        snprintf(why, sizeof why, "%s closed the connection before answering.", nc->target);
    else
        snprintf(why, sizeof why, "Lost connection to the host.");
    nc_set_state_fault(nc, NETCLIENT_FAILED, why, shaking ? NETCLIENT_FAULT_NO_ANSWER : NETCLIENT_FAULT_CLOSED);
}

/* Nothing heard for the silence timeout: false, and the session failed. */
static bool nc_check_silence(netclient *nc)
{
    uint64_t now = nc_run_ms(nc);
    if (now < nc->last_recv_ms + (uint64_t)nc->cfg.silence_timeout_ms)
        return true;
    char why[640], detail[160];
    snprintf(detail, sizeof detail, "nothing received for %d ms", nc->cfg.silence_timeout_ms);
    bool shaking = nc_get_state(nc) == NETCLIENT_HANDSHAKE;
    if (shaking)
        snprintf(why, sizeof why, "%s accepted the connection but never answered. Is it a LAN Arena game?",
                 nc->target);
    else
        snprintf(why, sizeof why, "The host stopped responding.");
    log_warn("netclient: %s: dropping the connection: %s", nc->tag, detail);
    nc_send_last(nc, PROTO_BYE_TIMEOUT);
    nc_set_state_fault(nc, NETCLIENT_FAILED, why, shaking ? NETCLIENT_FAULT_NO_ANSWER : NETCLIENT_FAULT_SILENT);
    return false;
}

static void nc_session(netclient *nc)
{
    runclock_init(&nc->run, NC_MAX_WAIT_MS + NC_PAUSE_SLACK_MS);
    uint64_t now = nc_run_ms(nc);
    nc->last_recv_ms = now;
    atomic_store(&nc->heard_ms, (int)(uint32_t)SDL_GetTicks64()); /* wall time: what the player waits */
    nc->next_ping_ms = now + (uint64_t)nc->cfg.ping_interval_ms;
    nc->last_sent_ms = now;
    if (!nc_session_open(nc))
        return;

    bool more = false;
    /* Each turn waits in sock_poll() for at most NC_MAX_WAIT_MS and the session
     * ends on stop, EOF, error or the silence deadline. */
    for (;;) {
        if (nc_stopping(nc))
            return;
        now = nc_run_ms(nc);
        netclient_state st = nc_get_state(nc);
        if (st == NETCLIENT_CONNECTED && !nc_queue_owned(nc, now))
            return;

        char io_why[160] = "", rd_why[160] = "";
        bool io_error = false, eof = false, rd_error = false;
        if (conn_pending(&nc->c) > 0 && conn_flush(&nc->c, io_why, sizeof io_why) != CONN_IO_OK)
            io_error = true; /* read what already arrived (a REJECT?) first */

        uint64_t silence_at = nc->last_recv_ms + (uint64_t)nc->cfg.silence_timeout_ms;
        uint64_t wake_at = silence_at;
        if (st == NETCLIENT_CONNECTED && nc_ping_alone_at(nc) < wake_at)
            wake_at = nc_ping_alone_at(nc); /* owner messages wake us anyway */
        int wait = wake_at > now ? (int)(wake_at - now) : 0;
        if (wait > NC_MAX_WAIT_MS)
            wait = NC_MAX_WAIT_MS;
        if (more || io_error)
            wait = 0;
        wait = nc_lag_wait(nc, wait);
        sock_pollfd pf[2] = {
            {.s = nc->c.fd, .events = SOCK_POLL_IN | (conn_pending(&nc->c) ? SOCK_POLL_OUT : 0)},
            {.s = nc->wake.rd, .events = SOCK_POLL_IN}};
        int perr;
        if (sock_poll(pf, 2, wait, &perr) < 0 && perr != SOCK_ERR_INTR) {
            snprintf(io_why, sizeof io_why, "poll failed: %s", tcp_strerror(perr));
            io_error = true;
        }
        if (pf[1].revents & SOCK_POLL_IN)
            nc_drain_wake(nc);

        if (!nc_read_pass(nc, &more, &eof, &rd_error, rd_why, sizeof rd_why))
            break;
        if (!nc_release_lagged(nc))
            break;
        if ((eof || rd_error) && nc->lag_in) {
            /* The stream has ended: what the fake delay still holds came
             * before the end (a GOODBYE, say), so it is handled now. */
            proto_msg m;
            bool handled = true;
            while (handled && fakelag_pop(nc->lag_in, UINT64_MAX, &m))
                handled = nc_handle(nc, &m, nc_run_ms(nc));
            if (!handled)
                break;
        }
        if (eof || rd_error || io_error) {
            nc_fail_lost(nc, eof, rd_error ? rd_why : io_why);
            break;
        }
        if (pf[0].revents & SOCK_POLL_OUT) {
            if (conn_flush(&nc->c, io_why, sizeof io_why) != CONN_IO_OK)
                more = true; /* reported by the next turn's flush */
        }
        nc_publish_stats(nc);
        if (!nc_check_silence(nc))
            break;
    }
    nc_publish_stats(nc);
}

/* Stop requested with the socket open: GOODBYE if connected, then FIN and
 * wait (bounded) for the host's FIN so the close is clean. */
static void nc_linger_close(netclient *nc)
{
    uint8_t reason = (uint8_t)atomic_load(&nc->stop_reason);
    if (nc_get_state(nc) == NETCLIENT_CONNECTED) {
        proto_msg bye = proto_make_goodbye(reason);
        (void)conn_queue_last(&nc->c, &bye);
    }
    uint64_t deadline = SDL_GetTicks64() + NC_LINGER_MS;
    bool shut = false;
    for (int turns = 0; turns < 64; turns++) {
        char why[96];
        if (conn_pending(&nc->c) > 0 && conn_flush(&nc->c, why, sizeof why) != CONN_IO_OK)
            break;
        if (!shut && conn_pending(&nc->c) == 0) {
            (void)sock_shutdown_write(nc->c.fd);
            shut = true;
        }
        if (shut) {
            uint8_t scratch[4096];
            int e;
            ptrdiff_t n = sock_recv(nc->c.fd, scratch, sizeof scratch, &e);
            if (n == 0 || (n < 0 && e != SOCK_ERR_AGAIN && e != SOCK_ERR_INTR))
                break; /* the host closed too */
            if (n > 0)
                continue;
        }
        uint64_t now = SDL_GetTicks64();
        if (now >= deadline)
            break;
        sock_pollfd pf = {.s = nc->c.fd, .events = shut ? SOCK_POLL_IN : SOCK_POLL_OUT};
        int perr;
        (void)sock_poll(&pf, 1, (int)(deadline - now), &perr);
    }
    nc_set_state(nc, NETCLIENT_CLOSED, "You left the game.");
}

static int nc_thread_main(void *arg)
{
    netclient *nc = arg;
    uint64_t deadline = SDL_GetTicks64() + (uint64_t)nc->cfg.connect_timeout_ms;
    log_info("netclient: %s: connecting", nc->tag);

    uint32_t host_be = 0;
    if (!nc_resolve(nc, deadline, &host_be))
        return 0;
    uint32_t h = SDL_SwapBE32(host_be);
    char why[640];
    if (h == 0xFFFFFFFFu || (h >> 28) == 0xE) {
        snprintf(why, sizeof why, "'%s' is a broadcast or multicast address, not a game host.",
                 nc->cfg.host);
        nc_set_state(nc, NETCLIENT_FAILED, why);
        return 0;
    }
    sock_t fd = nc_connect(nc, host_be, deadline);
    if (fd == SOCK_NONE)
        return 0;
    char peer[TCP_ADDR_TEXT_MAX];
    tcp_addr_text(host_be, SDL_SwapBE16(nc->cfg.port), peer, sizeof peer);
    conn_init(&nc->c, fd, peer, NC_OUTBOX_LIMIT);
    log_info("netclient: %s: TCP connected (%s), sending HELLO", nc->tag, peer);
    uint16_t own_port = tcp_local_port(fd);
    nc_own_port_set(own_port, true);

    nc_session(nc);
    if (nc_stopping(nc) && !nc_terminal(nc_get_state(nc)))
        nc_linger_close(nc);
    nc_own_port_set(own_port, false);
    conn_close(&nc->c);
    fakelag_destroy(nc->lag_in);
    fakelag_destroy(nc->lag_out);
    nc->lag_in = nc->lag_out = NULL;
    return 0;
}

/* ---- owner API ---- */

netclient *netclient_start(const netclient_config *cfg_in)
{
    netclient_config def = netclient_default_config();
    netclient *nc = calloc(1, sizeof *nc);
    if (!nc)
        return NULL;
    nc->cfg = cfg_in ? *cfg_in : def;
    nc->cfg.host[sizeof nc->cfg.host - 1] = '\0';
    nc->cfg.name[sizeof nc->cfg.name - 1] = '\0';
    if (nc->cfg.connect_timeout_ms <= 0)
        nc->cfg.connect_timeout_ms = def.connect_timeout_ms;
    if (nc->cfg.silence_timeout_ms <= 0)
        nc->cfg.silence_timeout_ms = def.silence_timeout_ms;
    if (nc->cfg.ping_interval_ms <= 0)
        nc->cfg.ping_interval_ms = def.ping_interval_ms;
    snprintf(nc->target, sizeof nc->target, "%s:%u", nc->cfg.host, (unsigned)nc->cfg.port);
    snprintf(nc->tag, sizeof nc->tag, "'%s'@%s", nc->cfg.name, nc->target);
    nc->wake.rd = nc->wake.wr = SOCK_NONE;
    nc->c.fd = SOCK_NONE;
    atomic_store(&nc->stop, 0);
    atomic_store(&nc->stop_reason, PROTO_BYE_QUIT);
    nc->state = NETCLIENT_CONNECTING;

    nc_net_init();
    char err[160];
    if (!sock_init(err, sizeof err)) {
        log_error("netclient: %s", err);
        free(nc);
        return NULL;
    }
    nc->sock_started = true;

    nc->lock = SDL_CreateMutex();
    nc->inbox = mq_create(sizeof(nc_arrival), NC_INBOX_CAP);
    nc->outbox = mq_create(sizeof(proto_msg), NC_OUTBOX_CAP);
    if (!nc->lock || !nc->inbox || !nc->outbox || sock_wake_open(&nc->wake) != SOCK_OK) {
        log_error("netclient: out of memory or descriptors");
        goto fail;
    }
    nc->thread = SDL_CreateThread(nc_thread_main, "netclient", nc);
    if (!nc->thread) {
        log_error("netclient: cannot start the connection thread: %s", SDL_GetError());
        goto fail;
    }
    return nc;
fail:
    sock_wake_close(&nc->wake);
    sock_cleanup();
    mq_destroy(nc->inbox);
    mq_destroy(nc->outbox);
    if (nc->lock)
        SDL_DestroyMutex(nc->lock);
    free(nc);
    return NULL;
}

bool netclient_poll(netclient *nc, proto_msg *out)
{
    uint64_t age;
    return netclient_poll_timed(nc, out, &age);
}

bool netclient_poll_timed(netclient *nc, proto_msg *out, uint64_t *age_us)
{
    nc_arrival a;
    if (!nc || !mq_pop(nc->inbox, &a))
        return false;
    *out = a.msg;
    uint64_t now = nc_now_us();
    *age_us = now > a.at_us ? now - a.at_us : 0;
    return true;
}

bool netclient_send(netclient *nc, const proto_msg *msg)
{
    if (!nc || nc_get_state(nc) != NETCLIENT_CONNECTED)
        return false;
    if (!mq_push(nc->outbox, msg))
        return false;
    nc_wake(nc);
    return true;
}

netclient_state netclient_status(netclient *nc, char *why, size_t why_cap)
{
    if (!nc) {
        if (why && why_cap)
            snprintf(why, why_cap, "Not connected.");
        return NETCLIENT_FAILED;
    }
    SDL_LockMutex(nc->lock);
    netclient_state s = nc->state;
    if (why && why_cap)
        snprintf(why, why_cap, "%s", nc_terminal(s) ? nc->why : "");
    SDL_UnlockMutex(nc->lock);
    return s;
}

netclient_stats netclient_get_stats(netclient *nc)
{
    netclient_stats st;
    memset(&st, 0, sizeof st);
    if (!nc)
        return st;
    SDL_LockMutex(nc->lock);
    st = nc->stats;
    SDL_UnlockMutex(nc->lock);
    return st;
}

uint32_t netclient_quiet_ms(netclient *nc)
{
    if (!nc || nc_get_state(nc) != NETCLIENT_CONNECTED)
        return 0;
    uint32_t quiet = (uint32_t)SDL_GetTicks64() - (uint32_t)atomic_load(&nc->heard_ms);
    return quiet < 0x80000000u ? quiet : 0; /* read a moment before it was set: 0 */
}

netclient_fault netclient_get_fault(netclient *nc)
{
    if (!nc)
        return NETCLIENT_FAULT_OTHER;
    SDL_LockMutex(nc->lock);
    netclient_fault f = nc->state == NETCLIENT_FAILED ? nc->fault : NETCLIENT_FAULT_NONE;
    SDL_UnlockMutex(nc->lock);
    return f;
}

void netclient_stop(netclient *nc, uint8_t bye_reason)
{
    if (!nc)
        return;
    atomic_store(&nc->stop_reason, bye_reason);
    atomic_store(&nc->stop, 1);
    nc_wake(nc);
    /* Bounded: the thread waits only in sock_poll() with the wake, and its
     * goodbye lingers at most NC_LINGER_MS. DNS runs on a helper. */
    SDL_WaitThread(nc->thread, NULL);
    sock_wake_close(&nc->wake);
    sock_cleanup();
    mq_destroy(nc->inbox);
    mq_destroy(nc->outbox);
    SDL_DestroyMutex(nc->lock);
    free(nc);
}
