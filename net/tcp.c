#include "tcp.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

bool tcp_set_send_buffer(sock_t s, int bytes)
{
    int e = sock_set_send_buffer(s, bytes);
    if (e != SOCK_OK) {
        log_debug("tcp: SO_SNDBUF not set: %s", sock_strerror(e));
        return false;
    }
    return true;
}

size_t tcp_unacked_bytes(sock_t s)
{
    return sock_unsent_bytes(s);
}

static void tcp_set_nodelay(sock_t s)
{
    int e = sock_set_nodelay(s);
    if (e != SOCK_OK)
        log_debug("tcp: TCP_NODELAY not set: %s", sock_strerror(e));
}

void tcp_addr_text(uint32_t host_be, uint16_t port_be, char *buf, size_t cap)
{
    uint32_t h = SDL_SwapBE32(host_be);
    snprintf(buf, cap, "%u.%u.%u.%u:%u", (unsigned)(h >> 24) & 0xFF, (unsigned)(h >> 16) & 0xFF,
             (unsigned)(h >> 8) & 0xFF, (unsigned)h & 0xFF, (unsigned)SDL_SwapBE16(port_be));
}

sock_t tcp_listen(uint16_t port, char *err, size_t err_cap)
{
    int e;
    sock_t s = sock_open_tcp(&e);
    if (s == SOCK_NONE) {
        snprintf(err, err_cap, "Could not create a network socket (%s).", sock_strerror(e));
        return SOCK_NONE;
    }
    e = sock_set_reuse(s);
    if (e != SOCK_OK)
        log_warn("tcp: address reuse not set: %s", sock_strerror(e));

    e = sock_bind(s, 0 /* INADDR_ANY */, SDL_SwapBE16(port));
    if (e != SOCK_OK) {
        if (e == SOCK_ERR_ADDRINUSE)
            snprintf(err, err_cap, "Port %u is already in use.", (unsigned)port);
        else if (e == SOCK_ERR_ACCESS)
            snprintf(err, err_cap, "Port %u needs administrator rights; choose one above 1023.",
                     (unsigned)port);
        else
            snprintf(err, err_cap, "Could not open port %u (%s).", (unsigned)port, sock_strerror(e));
        sock_close(s);
        return SOCK_NONE;
    }
    e = sock_listen(s, 256);
    if (e != SOCK_OK) {
        snprintf(err, err_cap, "Could not listen on port %u (%s).", (unsigned)port, sock_strerror(e));
        sock_close(s);
        return SOCK_NONE;
    }
    return s;
}

uint16_t tcp_local_port(sock_t s)
{
    uint32_t host;
    uint16_t port;
    if (sock_local_addr(s, &host, &port) != SOCK_OK)
        return 0;
    return SDL_SwapBE16(port);
}

bool tcp_peer_addr(sock_t s, uint32_t *addr, uint16_t *port)
{
    uint32_t host_be;
    uint16_t port_be;
    if (sock_peer_addr(s, &host_be, &port_be) != SOCK_OK)
        return false;
    *addr = SDL_SwapBE32(host_be);
    *port = SDL_SwapBE16(port_be);
    return true;
}

sock_t tcp_accept(sock_t listener, char *peer, size_t peer_cap, int *err)
{
    uint32_t host = 0;
    uint16_t port = 0;
    sock_t s = sock_accept(listener, &host, &port, err);
    if (s == SOCK_NONE)
        return SOCK_NONE;
    tcp_set_nodelay(s);
    if (host || port)
        tcp_addr_text(host, port, peer, peer_cap);
    else
        snprintf(peer, peer_cap, "?");
    return s;
}

sock_t tcp_connect_start(uint32_t host_be, uint16_t port_be, bool *in_progress, int *err)
{
    *in_progress = false;
    sock_t s = sock_open_tcp(err);
    if (s == SOCK_NONE)
        return SOCK_NONE;
    tcp_set_nodelay(s);
    int e = sock_connect(s, host_be, port_be);
    if (e == SOCK_OK || e == SOCK_ERR_INPROGRESS) {
        *in_progress = e == SOCK_ERR_INPROGRESS;
        *err = SOCK_OK;
        return s;
    }
    *err = e;
    sock_close(s);
    return SOCK_NONE;
}

int tcp_connect_result(sock_t s)
{
    return sock_connect_result(s);
}

void tcp_drain(sock_t s, size_t max_bytes)
{
    uint8_t scratch[4096];
    size_t total = 0;
    /* Bounded by max_bytes and by the data already queued: never waits. */
    while (total < max_bytes) {
        int e;
        ptrdiff_t n = sock_recv(s, scratch, sizeof scratch, &e);
        if (n <= 0)
            break;
        total += (size_t)n;
    }
}

void tcp_close(sock_t s)
{
    sock_close(s);
}

const char *tcp_strerror(int err)
{
    return sock_strerror(err);
}

const char *tcp_connect_error_text(int err, const char *target, char *buf, size_t cap)
{
    switch (err) {
    case SOCK_ERR_REFUSED:
        snprintf(buf, cap, "Connection refused by %s. Is a game hosted there?", target);
        break;
    case SOCK_ERR_TIMEDOUT:
        snprintf(buf, cap, "No answer from %s.", target);
        break;
    case SOCK_ERR_NETUNREACH:
    case SOCK_ERR_NETDOWN:
        snprintf(buf, cap, "%s cannot be reached: this computer is not on that network.", target);
        break;
    case SOCK_ERR_HOSTUNREACH:
        snprintf(buf, cap, "%s cannot be reached: no computer answers at that address.", target);
        break;
    case SOCK_ERR_RESET:
    case SOCK_ERR_PIPE:
    case SOCK_ERR_ABORTED:
        snprintf(buf, cap, "Lost connection to the host.");
        break;
    case SOCK_ERR_ACCESS:
        snprintf(buf, cap, "This computer is not allowed to connect to %s (firewall?).", target);
        break;
    case SOCK_ERR_NO_FILES:
    case SOCK_ERR_NO_MEMORY:
        snprintf(buf, cap, "This computer has run out of network resources (%s).", tcp_strerror(err));
        break;
    default:
        snprintf(buf, cap, "Could not connect to %s (%s).", target, tcp_strerror(err));
        break;
    }
    return buf;
}
