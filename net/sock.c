/*
 * sock: POSIX sockets and Winsock2 behind sock.h. The two systems differ
 * in headers, handle type, error numbers (errno / WSAGetLastError), the
 * calls for non-blocking mode and poll, and how to list interfaces; the
 * socket calls themselves are the same, so most functions below have one
 * body and the differences sit in a few small helpers at the top.
 */
#if defined(_WIN32)
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0600
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0600 /* WSAPoll, GetAdaptersAddresses' prefix lengths */
#endif
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <windows.h>
#include <ntsecapi.h> /* RtlGenRandom */
#else
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/epoll.h>
#define SOCK_USE_EPOLL 1
#endif
#endif

#include "sock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what differs ---- */

#if defined(_WIN32)
typedef SOCKET sock_native;
typedef int sock_len;
#define SOCK_NATIVE(s) ((SOCKET)(uintptr_t)(s))
#define SOCK_SEND_FLAGS 0
#define SOCK_RECV_FLAGS 0

static int sock_map_error(int e)
{
    switch (e) {
    case 0: return SOCK_OK;
    case WSAEWOULDBLOCK: return SOCK_ERR_AGAIN;
    case WSAEINTR: return SOCK_ERR_INTR;
    case WSAEINPROGRESS:
    case WSAEALREADY: return SOCK_ERR_INPROGRESS;
    case WSAECONNREFUSED: return SOCK_ERR_REFUSED;
    case WSAECONNRESET: return SOCK_ERR_RESET;
    case WSAECONNABORTED: return SOCK_ERR_ABORTED;
    case WSAESHUTDOWN: return SOCK_ERR_PIPE;
    case WSAETIMEDOUT: return SOCK_ERR_TIMEDOUT;
    case WSAENETUNREACH: return SOCK_ERR_NETUNREACH;
    case WSAEHOSTUNREACH: return SOCK_ERR_HOSTUNREACH;
    case WSAENETDOWN:
    case WSAENETRESET: return SOCK_ERR_NETDOWN;
    case WSAEADDRINUSE: return SOCK_ERR_ADDRINUSE;
    case WSAEADDRNOTAVAIL: return SOCK_ERR_ADDRNOTAVAIL;
    case WSAEACCES: return SOCK_ERR_ACCESS;
    case WSAEMFILE: return SOCK_ERR_NO_FILES;
    case WSAENOBUFS: return SOCK_ERR_NO_MEMORY;
    case WSANOTINITIALISED: return SOCK_ERR_NOT_STARTED;
    default: return SOCK_ERR_SYSTEM + e;
    }
}

int sock_last_error(void)
{
    return sock_map_error(WSAGetLastError());
}

static bool sock_valid(sock_native n)
{
    return n != INVALID_SOCKET;
}

static int sock_native_close(sock_native n)
{
    return closesocket(n);
}

static int sock_make_private(sock_native n)
{
    u_long on = 1;
    if (ioctlsocket(n, FIONBIO, &on) != 0)
        return sock_last_error();
    /* Not inherited by programs this one starts. */
    (void)SetHandleInformation((HANDLE)n, HANDLE_FLAG_INHERIT, 0);
    return SOCK_OK;
}
#else
typedef int sock_native;
typedef socklen_t sock_len;
#define SOCK_NATIVE(s) ((int)(s))
#if defined(MSG_NOSIGNAL)
#define SOCK_SEND_FLAGS (MSG_NOSIGNAL | MSG_DONTWAIT)
#else
#define SOCK_SEND_FLAGS MSG_DONTWAIT
#endif
#define SOCK_RECV_FLAGS MSG_DONTWAIT

static int sock_map_error(int e)
{
    switch (e) {
    case 0: return SOCK_OK;
    case EAGAIN: return SOCK_ERR_AGAIN;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK: return SOCK_ERR_AGAIN;
#endif
    case EINTR: return SOCK_ERR_INTR;
    case EINPROGRESS:
    case EALREADY: return SOCK_ERR_INPROGRESS;
    case ECONNREFUSED: return SOCK_ERR_REFUSED;
    case ECONNRESET: return SOCK_ERR_RESET;
    case ECONNABORTED: return SOCK_ERR_ABORTED;
    case EPIPE: return SOCK_ERR_PIPE;
    case ETIMEDOUT: return SOCK_ERR_TIMEDOUT;
    case ENETUNREACH: return SOCK_ERR_NETUNREACH;
    case EHOSTUNREACH: return SOCK_ERR_HOSTUNREACH;
    case ENETDOWN:
    case ENETRESET: return SOCK_ERR_NETDOWN;
    case EADDRINUSE: return SOCK_ERR_ADDRINUSE;
    case EADDRNOTAVAIL: return SOCK_ERR_ADDRNOTAVAIL;
    case EACCES:
    case EPERM: return SOCK_ERR_ACCESS;
    case EMFILE:
    case ENFILE: return SOCK_ERR_NO_FILES;
    case ENOBUFS:
    case ENOMEM: return SOCK_ERR_NO_MEMORY;
    case EPROTO: return SOCK_ERR_PROTO;
    default: return SOCK_ERR_SYSTEM + e;
    }
}

int sock_last_error(void)
{
    return sock_map_error(errno);
}

static bool sock_valid(sock_native n)
{
    return n >= 0;
}

static int sock_native_close(sock_native n)
{
    return close(n);
}

static int sock_make_private(sock_native n)
{
    int flags = fcntl(n, F_GETFL, 0);
    if (flags < 0 || fcntl(n, F_SETFL, flags | O_NONBLOCK) < 0)
        return sock_last_error();
    int fdflags = fcntl(n, F_GETFD, 0);
    if (fdflags >= 0)
        (void)fcntl(n, F_SETFD, fdflags | FD_CLOEXEC);
    return SOCK_OK;
}
#endif

/* ---- start and errors ---- */

bool sock_init(char *err, size_t err_cap)
{
#if defined(_WIN32)
    WSADATA data;
    int rc = WSAStartup(MAKEWORD(2, 2), &data);
    if (rc != 0) {
        snprintf(err, err_cap, "The network could not be started (Winsock error %d).", rc);
        return false;
    }
#else
    (void)err;
    (void)err_cap;
#endif
    return true;
}

void sock_cleanup(void)
{
#if defined(_WIN32)
    WSACleanup();
#endif
}

const char *sock_strerror(int err)
{
    switch (err) {
    case SOCK_OK: return "no error";
    case SOCK_ERR_AGAIN: return "would block";
    case SOCK_ERR_INTR: return "interrupted";
    case SOCK_ERR_INPROGRESS: return "in progress";
    case SOCK_ERR_REFUSED: return "connection refused";
    case SOCK_ERR_RESET: return "connection reset by peer";
    case SOCK_ERR_ABORTED: return "connection aborted";
    case SOCK_ERR_PIPE: return "broken pipe";
    case SOCK_ERR_TIMEDOUT: return "timed out";
    case SOCK_ERR_NETUNREACH: return "network unreachable";
    case SOCK_ERR_HOSTUNREACH: return "no route to host";
    case SOCK_ERR_NETDOWN: return "network down";
    case SOCK_ERR_ADDRINUSE: return "address in use";
    case SOCK_ERR_ADDRNOTAVAIL: return "address not available";
    case SOCK_ERR_ACCESS: return "permission denied";
    case SOCK_ERR_NO_FILES: return "too many open files";
    case SOCK_ERR_NO_MEMORY: return "out of socket buffers";
    case SOCK_ERR_PROTO: return "protocol error";
    case SOCK_ERR_NOT_STARTED: return "network library not started";
    default: break;
    }
    if (err > SOCK_ERR_SYSTEM) {
#if defined(_WIN32)
        static _Thread_local char text[96];
        snprintf(text, sizeof text, "Winsock error %d", err - SOCK_ERR_SYSTEM);
        return text;
#else
        return strerror(err - SOCK_ERR_SYSTEM);
#endif
    }
    return "unknown error";
}

/* ---- sockets ---- */

static sock_t sock_open(int type, int *err)
{
    sock_native n = socket(AF_INET, type, 0);
    if (!sock_valid(n)) {
        *err = sock_last_error();
        return SOCK_NONE;
    }
    int e = sock_make_private(n);
    if (e != SOCK_OK) {
        sock_native_close(n);
        *err = e;
        return SOCK_NONE;
    }
    *err = SOCK_OK;
    return (sock_t)n;
}

sock_t sock_open_tcp(int *err)
{
    return sock_open(SOCK_STREAM, err);
}

sock_t sock_open_udp(int *err)
{
    return sock_open(SOCK_DGRAM, err);
}

void sock_close(sock_t s)
{
    if (s != SOCK_NONE)
        (void)sock_native_close(SOCK_NATIVE(s));
}

static void sock_fill(struct sockaddr_in *sa, uint32_t host_be, uint16_t port_be)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_addr.s_addr = host_be;
    sa->sin_port = port_be;
}

static int sock_result(int rc)
{
    return rc == 0 ? SOCK_OK : sock_last_error();
}

static int sock_set_int(sock_t s, int level, int name, int value)
{
    return sock_result(setsockopt(SOCK_NATIVE(s), level, name, (const void *)&value, sizeof value));
}

int sock_bind(sock_t s, uint32_t host_be, uint16_t port_be)
{
    struct sockaddr_in sa;
    sock_fill(&sa, host_be, port_be);
    int e = sock_result(bind(SOCK_NATIVE(s), (struct sockaddr *)&sa, sizeof sa));
#if defined(_WIN32)
    /* Windows says "access denied" for a port another socket holds with
     * exclusive use, and any port is open to every user there. */
    if (e == SOCK_ERR_ACCESS)
        e = SOCK_ERR_ADDRINUSE;
#endif
    return e;
}

int sock_listen(sock_t s, int backlog)
{
    return sock_result(listen(SOCK_NATIVE(s), backlog));
}

int sock_set_reuse(sock_t s)
{
#if defined(_WIN32)
    return sock_set_int(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1);
#else
    return sock_set_int(s, SOL_SOCKET, SO_REUSEADDR, 1);
#endif
}

int sock_set_nodelay(sock_t s)
{
    return sock_set_int(s, IPPROTO_TCP, TCP_NODELAY, 1);
}

int sock_set_broadcast(sock_t s)
{
    return sock_set_int(s, SOL_SOCKET, SO_BROADCAST, 1);
}

int sock_set_send_buffer(sock_t s, int bytes)
{
    return sock_set_int(s, SOL_SOCKET, SO_SNDBUF, bytes);
}

int sock_set_recv_buffer(sock_t s, int bytes)
{
    return sock_set_int(s, SOL_SOCKET, SO_RCVBUF, bytes);
}

int sock_set_linger_reset(sock_t s)
{
    struct linger lg;
    memset(&lg, 0, sizeof lg);
    lg.l_onoff = 1;
    lg.l_linger = 0;
    return sock_result(setsockopt(SOCK_NATIVE(s), SOL_SOCKET, SO_LINGER, (const void *)&lg, sizeof lg));
}

int sock_shutdown_write(sock_t s)
{
#if defined(_WIN32)
    return sock_result(shutdown(SOCK_NATIVE(s), SD_SEND));
#else
    return sock_result(shutdown(SOCK_NATIVE(s), SHUT_WR));
#endif
}

sock_t sock_accept(sock_t s, uint32_t *host_be, uint16_t *port_be, int *err)
{
    struct sockaddr_in sa;
    sock_len len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    sock_native n = accept(SOCK_NATIVE(s), (struct sockaddr *)&sa, &len);
    if (!sock_valid(n)) {
        *err = sock_last_error();
        return SOCK_NONE;
    }
    int e = sock_make_private(n);
    if (e != SOCK_OK) {
        sock_native_close(n);
        *err = e;
        return SOCK_NONE;
    }
    *host_be = sa.sin_family == AF_INET ? sa.sin_addr.s_addr : 0;
    *port_be = sa.sin_family == AF_INET ? sa.sin_port : 0;
    *err = SOCK_OK;
    return (sock_t)n;
}

int sock_connect(sock_t s, uint32_t host_be, uint16_t port_be)
{
    struct sockaddr_in sa;
    sock_fill(&sa, host_be, port_be);
    if (connect(SOCK_NATIVE(s), (struct sockaddr *)&sa, sizeof sa) == 0)
        return SOCK_OK;
    int e = sock_last_error();
    /* Winsock says "would block" where POSIX says "in progress". */
    if (e == SOCK_ERR_AGAIN || e == SOCK_ERR_INTR)
        return SOCK_ERR_INPROGRESS;
    return e;
}

int sock_connect_result(sock_t s)
{
    int soerr = 0;
    sock_len len = sizeof soerr;
    if (getsockopt(SOCK_NATIVE(s), SOL_SOCKET, SO_ERROR, (void *)&soerr, &len) != 0)
        return sock_last_error();
    return sock_map_error(soerr);
}

int sock_local_addr(sock_t s, uint32_t *host_be, uint16_t *port_be)
{
    struct sockaddr_in sa;
    sock_len len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    if (getsockname(SOCK_NATIVE(s), (struct sockaddr *)&sa, &len) != 0)
        return sock_last_error();
    if (sa.sin_family != AF_INET)
        return SOCK_ERR_ADDRNOTAVAIL;
    *host_be = sa.sin_addr.s_addr;
    *port_be = sa.sin_port;
    return SOCK_OK;
}

int sock_peer_addr(sock_t s, uint32_t *host_be, uint16_t *port_be)
{
    struct sockaddr_in sa;
    sock_len len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    if (getpeername(SOCK_NATIVE(s), (struct sockaddr *)&sa, &len) != 0)
        return sock_last_error();
    if (sa.sin_family != AF_INET)
        return SOCK_ERR_ADDRNOTAVAIL;
    *host_be = sa.sin_addr.s_addr;
    *port_be = sa.sin_port;
    return SOCK_OK;
}

/* One call moves at most this much (Winsock takes an int length). */
#define SOCK_IO_MAX (1 << 30)

ptrdiff_t sock_send(sock_t s, const void *buf, size_t len, int *err)
{
    int n = (int)(len > SOCK_IO_MAX ? SOCK_IO_MAX : len);
    ptrdiff_t r = send(SOCK_NATIVE(s), (const char *)buf, n, SOCK_SEND_FLAGS);
    *err = r < 0 ? sock_last_error() : SOCK_OK;
    return r < 0 ? -1 : r;
}

ptrdiff_t sock_recv(sock_t s, void *buf, size_t len, int *err)
{
    int n = (int)(len > SOCK_IO_MAX ? SOCK_IO_MAX : len);
    ptrdiff_t r = recv(SOCK_NATIVE(s), (char *)buf, n, SOCK_RECV_FLAGS);
    *err = r < 0 ? sock_last_error() : SOCK_OK;
#if defined(_WIN32)
    /* A closed peer's data already gone reads as a graceful end on POSIX. */
    if (r < 0 && *err == SOCK_ERR_PIPE)
        return 0;
#endif
    return r < 0 ? -1 : r;
}

ptrdiff_t sock_send_to(sock_t s, const void *buf, size_t len, uint32_t host_be, uint16_t port_be, int *err)
{
    struct sockaddr_in sa;
    sock_fill(&sa, host_be, port_be);
    int n = (int)(len > SOCK_IO_MAX ? SOCK_IO_MAX : len);
    ptrdiff_t r = sendto(SOCK_NATIVE(s), (const char *)buf, n, SOCK_SEND_FLAGS, (struct sockaddr *)&sa, sizeof sa);
    *err = r < 0 ? sock_last_error() : SOCK_OK;
    return r < 0 ? -1 : r;
}

ptrdiff_t sock_recv_from(sock_t s, void *buf, size_t len, uint32_t *host_be, uint16_t *port_be, int *err)
{
    struct sockaddr_in sa;
    sock_len salen = sizeof sa;
    memset(&sa, 0, sizeof sa);
    int n = (int)(len > SOCK_IO_MAX ? SOCK_IO_MAX : len);
    ptrdiff_t r = recvfrom(SOCK_NATIVE(s), (char *)buf, n, SOCK_RECV_FLAGS, (struct sockaddr *)&sa, &salen);
    *err = r < 0 ? sock_last_error() : SOCK_OK;
    if (r < 0)
        return -1;
    *host_be = sa.sin_addr.s_addr;
    *port_be = sa.sin_port;
    return r;
}

/* ---- poll ---- */

#if defined(_WIN32)
typedef WSAPOLLFD sock_native_pollfd;
#define SOCK_NATIVE_POLL(fds, n, t) WSAPoll((fds), (ULONG)(n), (t))
#else
typedef struct pollfd sock_native_pollfd;
#define SOCK_NATIVE_POLL(fds, n, t) poll((fds), (nfds_t)(n), (t))
#endif

static short sock_to_native_events(int events)
{
    short e = 0;
    if (events & SOCK_POLL_IN)
        e |= POLLIN;
    if (events & SOCK_POLL_OUT)
        e |= POLLOUT;
    return e;
}

static int sock_from_native_events(int revents)
{
    int e = 0;
    if (revents & POLLIN)
        e |= SOCK_POLL_IN;
    if (revents & POLLOUT)
        e |= SOCK_POLL_OUT;
    if (revents & (POLLERR | POLLNVAL))
        e |= SOCK_POLL_ERR;
    if (revents & POLLHUP)
        e |= SOCK_POLL_HUP;
    return e;
}

static void sock_sleep_ms(int ms)
{
    if (ms <= 0)
        return;
#if defined(_WIN32)
    Sleep((DWORD)ms);
#else
    (void)poll(NULL, 0, ms);
#endif
}

/* A poll over native entries; an empty set just waits. */
static int sock_native_wait(sock_native_pollfd *pf, int n, int timeout_ms, int *err)
{
    *err = SOCK_OK;
    if (n == 0) {
        sock_sleep_ms(timeout_ms); /* WSAPoll refuses an empty set */
        return 0;
    }
    int r = SOCK_NATIVE_POLL(pf, n, timeout_ms < 0 ? 0 : timeout_ms);
    if (r < 0) {
        *err = sock_last_error();
        return -1;
    }
    return r;
}

#define SOCK_POLL_STACK 16

int sock_poll(sock_pollfd *fds, int n, int timeout_ms, int *err)
{
    sock_native_pollfd stack[SOCK_POLL_STACK];
    sock_native_pollfd *pf = n <= SOCK_POLL_STACK ? stack : calloc((size_t)n, sizeof *pf);
    if (!pf) {
        *err = SOCK_ERR_NO_MEMORY;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        memset(&pf[i], 0, sizeof pf[i]);
        pf[i].fd = SOCK_NATIVE(fds[i].s);
        pf[i].events = sock_to_native_events(fds[i].events);
        fds[i].revents = 0;
    }
    int r = sock_native_wait(pf, n, timeout_ms, err);
    if (r > 0) {
        for (int i = 0; i < n; i++)
            fds[i].revents = sock_from_native_events(pf[i].revents);
    }
    if (pf != stack)
        free(pf);
    return r;
}

/* ---- poller ---- */

#if defined(SOCK_USE_EPOLL)
struct sock_poller {
    int epfd;
    int max;
    struct epoll_event *evs;
};

static uint32_t sock_epoll_events(int events)
{
    uint32_t e = 0;
    if (events & SOCK_POLL_IN)
        e |= EPOLLIN;
    if (events & SOCK_POLL_OUT)
        e |= EPOLLOUT;
    return e;
}

sock_poller *sock_poller_create(int max, int *err)
{
    sock_poller *p = calloc(1, sizeof *p);
    if (p)
        p->evs = calloc((size_t)(max > 0 ? max : 1), sizeof *p->evs);
    if (!p || !p->evs) {
        free(p);
        *err = SOCK_ERR_NO_MEMORY;
        return NULL;
    }
    p->max = max > 0 ? max : 1;
    p->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (p->epfd < 0) {
        *err = sock_last_error();
        free(p->evs);
        free(p);
        return NULL;
    }
    *err = SOCK_OK;
    return p;
}

void sock_poller_destroy(sock_poller *p)
{
    if (!p)
        return;
    close(p->epfd);
    free(p->evs);
    free(p);
}

static int sock_poller_ctl(sock_poller *p, int op, sock_t s, uint64_t tag, int events)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = sock_epoll_events(events);
    ev.data.u64 = tag;
    return sock_result(epoll_ctl(p->epfd, op, SOCK_NATIVE(s), &ev));
}

int sock_poller_add(sock_poller *p, sock_t s, uint64_t tag, int events)
{
    return sock_poller_ctl(p, EPOLL_CTL_ADD, s, tag, events);
}

int sock_poller_mod(sock_poller *p, sock_t s, uint64_t tag, int events)
{
    return sock_poller_ctl(p, EPOLL_CTL_MOD, s, tag, events);
}

void sock_poller_del(sock_poller *p, sock_t s)
{
    (void)epoll_ctl(p->epfd, EPOLL_CTL_DEL, SOCK_NATIVE(s), NULL);
}

int sock_poller_wait(sock_poller *p, sock_ready *out, int max, int timeout_ms, int *err)
{
    *err = SOCK_OK;
    if (max > p->max)
        max = p->max;
    int r = epoll_wait(p->epfd, p->evs, max, timeout_ms < 0 ? 0 : timeout_ms);
    if (r < 0) {
        *err = sock_last_error();
        return -1;
    }
    for (int i = 0; i < r; i++) {
        uint32_t e = p->evs[i].events;
        out[i].tag = p->evs[i].data.u64;
        out[i].revents = ((e & EPOLLIN) ? SOCK_POLL_IN : 0) | ((e & EPOLLOUT) ? SOCK_POLL_OUT : 0) |
                         ((e & EPOLLERR) ? SOCK_POLL_ERR : 0) | ((e & EPOLLHUP) ? SOCK_POLL_HUP : 0);
    }
    return r;
}

const char *sock_poller_kind(void)
{
    return "epoll";
}
#else
/* The registered sockets in a dense array (removal moves the last entry
 * into the gap); each wait polls all of them. */
struct sock_poller {
    int max, count;
    sock_t *socks;
    uint64_t *tags;
    int *events;
    sock_native_pollfd *pf;
};

sock_poller *sock_poller_create(int max, int *err)
{
    if (max < 1)
        max = 1;
    sock_poller *p = calloc(1, sizeof *p);
    if (p) {
        p->max = max;
        p->socks = calloc((size_t)max, sizeof *p->socks);
        p->tags = calloc((size_t)max, sizeof *p->tags);
        p->events = calloc((size_t)max, sizeof *p->events);
        p->pf = calloc((size_t)max, sizeof *p->pf);
    }
    if (!p || !p->socks || !p->tags || !p->events || !p->pf) {
        sock_poller_destroy(p);
        *err = SOCK_ERR_NO_MEMORY;
        return NULL;
    }
    *err = SOCK_OK;
    return p;
}

void sock_poller_destroy(sock_poller *p)
{
    if (!p)
        return;
    free(p->socks);
    free(p->tags);
    free(p->events);
    free(p->pf);
    free(p);
}

static int sock_poller_find(const sock_poller *p, sock_t s)
{
    for (int i = 0; i < p->count; i++)
        if (p->socks[i] == s)
            return i;
    return -1;
}

int sock_poller_add(sock_poller *p, sock_t s, uint64_t tag, int events)
{
    if (sock_poller_find(p, s) >= 0)
        return SOCK_ERR_SYSTEM; /* already registered: a caller bug */
    if (p->count >= p->max)
        return SOCK_ERR_NO_FILES;
    p->socks[p->count] = s;
    p->tags[p->count] = tag;
    p->events[p->count] = events;
    p->count++;
    return SOCK_OK;
}

int sock_poller_mod(sock_poller *p, sock_t s, uint64_t tag, int events)
{
    int i = sock_poller_find(p, s);
    if (i < 0)
        return SOCK_ERR_SYSTEM;
    p->tags[i] = tag;
    p->events[i] = events;
    return SOCK_OK;
}

void sock_poller_del(sock_poller *p, sock_t s)
{
    int i = sock_poller_find(p, s);
    if (i < 0)
        return;
    p->count--;
    p->socks[i] = p->socks[p->count];
    p->tags[i] = p->tags[p->count];
    p->events[i] = p->events[p->count];
}

int sock_poller_wait(sock_poller *p, sock_ready *out, int max, int timeout_ms, int *err)
{
    /* Every registered socket is polled, those with no interest too:
     * errors and hang-ups are reported whatever the interest, as epoll
     * does. */
    for (int i = 0; i < p->count; i++) {
        memset(&p->pf[i], 0, sizeof p->pf[i]);
        p->pf[i].fd = SOCK_NATIVE(p->socks[i]);
        p->pf[i].events = sock_to_native_events(p->events[i]);
    }
    int r = sock_native_wait(p->pf, p->count, timeout_ms, err);
    if (r <= 0)
        return r;
    int got = 0;
    for (int i = 0; i < p->count && got < max; i++) {
        int re = sock_from_native_events(p->pf[i].revents);
        if (re) {
            out[got].tag = p->tags[i];
            out[got].revents = re;
            got++;
        }
    }
    return got;
}

const char *sock_poller_kind(void)
{
#if defined(_WIN32)
    return "WSAPoll";
#else
    return "poll";
#endif
}
#endif

/* ---- wake ---- */

int sock_wake_open(sock_wake *w)
{
    w->rd = w->wr = SOCK_NONE;
#if defined(_WIN32)
    /* A UDP socket on 127.0.0.1 connected to itself: a send makes it
     * readable, and WSAPoll can wait on it. */
    int err;
    sock_t s = sock_open_udp(&err);
    if (s == SOCK_NONE)
        return err;
    uint32_t host = 0;
    uint16_t port = 0;
    struct sockaddr_in self;
    if ((err = sock_bind(s, htonl(INADDR_LOOPBACK), 0)) == SOCK_OK &&
        (err = sock_local_addr(s, &host, &port)) == SOCK_OK) {
        sock_fill(&self, host, port);
        err = sock_result(connect(SOCK_NATIVE(s), (struct sockaddr *)&self, sizeof self));
    }
    if (err != SOCK_OK) {
        sock_close(s);
        return err;
    }
    w->rd = w->wr = s;
#else
    int p[2];
    if (pipe(p) != 0)
        return sock_last_error();
    (void)sock_make_private(p[0]);
    (void)sock_make_private(p[1]);
    w->rd = p[0];
    w->wr = p[1];
#endif
    return SOCK_OK;
}

void sock_wake_signal(sock_wake *w)
{
    if (w->wr == SOCK_NONE)
        return;
#if defined(_WIN32)
    (void)send(SOCK_NATIVE(w->wr), "w", 1, 0);
#else
    ssize_t n = write(w->wr, "w", 1);
    (void)n;
#endif
}

void sock_wake_drain(sock_wake *w)
{
    if (w->rd == SOCK_NONE)
        return;
    char buf[64];
    for (int k = 0; k < 16; k++) {
#if defined(_WIN32)
        if (recv(SOCK_NATIVE(w->rd), buf, sizeof buf, 0) <= 0)
            break;
#else
        if (read(w->rd, buf, sizeof buf) <= 0)
            break;
#endif
    }
}

void sock_wake_close(sock_wake *w)
{
    sock_close(w->rd);
    if (w->wr != w->rd)
        sock_close(w->wr);
    w->rd = w->wr = SOCK_NONE;
}

/* ---- addresses ---- */

bool sock_ipv4_parse(const char *text, uint32_t *host_be)
{
    if (!text)
        return false;
    uint8_t b[4];
    const char *p = text;
    for (int part = 0; part < 4; part++) {
        if (*p < '0' || *p > '9')
            return false;
        if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
            return false; /* "010" would be octal to some readers */
        unsigned v = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            v = v * 10 + (unsigned)(*p - '0');
            if (++digits > 3 || v > 255)
                return false;
            p++;
        }
        b[part] = (uint8_t)v;
        if (part < 3 && *p++ != '.')
            return false;
    }
    if (*p != '\0')
        return false;
    memcpy(host_be, b, 4); /* the bytes in order are network order */
    return true;
}

static void sock_ifaddr_fill(sock_ifaddr *o, uint32_t addr_be, uint32_t mask_be, bool loopback, bool can_broadcast)
{
    memset(o, 0, sizeof *o);
    o->addr_be = addr_be;
    o->mask_be = mask_be;
    o->broadcast_be = addr_be | ~mask_be;
    o->loopback = loopback;
    o->can_broadcast = can_broadcast;
}

#if defined(_WIN32)
int sock_local_ipv4(sock_ifaddr *out, int max)
{
    ULONG size = 16 * 1024;
    IP_ADAPTER_ADDRESSES *list = NULL;
    ULONG rc = ERROR_BUFFER_OVERFLOW;
    /* The list can grow between the size query and the call: retry. */
    for (int tries = 0; tries < 3 && rc == ERROR_BUFFER_OVERFLOW; tries++) {
        free(list);
        list = malloc(size);
        if (!list)
            return 0;
        rc = GetAdaptersAddresses(AF_INET, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                                  NULL, list, &size);
    }
    int n = 0;
    if (rc == NO_ERROR) {
        for (IP_ADAPTER_ADDRESSES *a = list; a && n < max; a = a->Next) {
            if (a->OperStatus != IfOperStatusUp)
                continue;
            bool loopback = a->IfType == IF_TYPE_SOFTWARE_LOOPBACK;
            for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && n < max; u = u->Next) {
                if (!u->Address.lpSockaddr || u->Address.lpSockaddr->sa_family != AF_INET)
                    continue;
                uint32_t addr = ((const struct sockaddr_in *)(const void *)u->Address.lpSockaddr)->sin_addr.s_addr;
                unsigned bits = u->OnLinkPrefixLength <= 32 ? u->OnLinkPrefixLength : 32;
                uint32_t mask = bits == 0 ? 0 : htonl(0xFFFFFFFFu << (32 - bits));
                bool lo = loopback || (ntohl(addr) >> 24) == 127;
                sock_ifaddr_fill(&out[n], addr, mask, lo, !lo && bits < 32);
                if (a->FriendlyName &&
                    !WideCharToMultiByte(CP_UTF8, 0, a->FriendlyName, -1, out[n].name, (int)sizeof out[n].name, NULL,
                                         NULL))
                    out[n].name[0] = '\0';
                n++;
            }
        }
    }
    free(list);
    return n;
}
#else
int sock_local_ipv4(sock_ifaddr *out, int max)
{
    struct ifaddrs *list;
    if (getifaddrs(&list) != 0)
        return 0;
    int n = 0;
    for (struct ifaddrs *i = list; i && n < max; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP))
            continue;
        uint32_t addr = ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr;
        /* From address and mask, not ifa_broadaddr: an address added
         * without "brd" reports itself there. */
        uint32_t mask = i->ifa_netmask ? ((const struct sockaddr_in *)(const void *)i->ifa_netmask)->sin_addr.s_addr
                                       : 0xFFFFFFFFu;
        sock_ifaddr_fill(&out[n], addr, mask, (i->ifa_flags & IFF_LOOPBACK) != 0,
                         (i->ifa_flags & IFF_BROADCAST) != 0 && !(i->ifa_flags & IFF_LOOPBACK));
        snprintf(out[n].name, sizeof out[n].name, "%s", i->ifa_name ? i->ifa_name : "");
        n++;
    }
    freeifaddrs(list);
    return n;
}
#endif

size_t sock_unsent_bytes(sock_t s)
{
#if defined(SIOCOUTQ)
    int n = 0;
    if (s != SOCK_NONE && ioctl((int)SOCK_NATIVE(s), SIOCOUTQ, &n) == 0 && n > 0)
        return (size_t)n;
#else
    (void)s;
#endif
    return 0;
}

bool sock_default_route_source(uint32_t *addr_be)
{
    int err;
    sock_t s = sock_open_udp(&err);
    if (s == SOCK_NONE)
        return false;
    /* 203.0.113.1 (TEST-NET-3) is never a local address: the kernel picks
     * the default route for it. Nothing is sent. */
    uint32_t world = htonl(0xCB007101u);
    uint16_t port;
    bool ok = sock_connect(s, world, htons(9)) == 0 && sock_local_addr(s, addr_be, &port) == 0 && *addr_be != 0;
    sock_close(s);
    return ok;
}

/* ---- randomness and sleeping ---- */

bool sock_random_bytes(void *buf, size_t len)
{
#if defined(_WIN32)
    return len <= 0xFFFFFFFFu && RtlGenRandom(buf, (ULONG)len);
#elif defined(__linux__)
    uint8_t *p = buf;
    size_t got = 0;
    for (int tries = 0; got < len && tries < 8; tries++) {
        ssize_t n = getrandom(p + got, len - got, 0);
        if (n > 0)
            got += (size_t)n;
        else if (n < 0 && errno != EINTR)
            return false;
    }
    return got == len;
#else
    (void)buf;
    (void)len;
    return false;
#endif
}

void sock_sleep_us(uint32_t us)
{
#if defined(_WIN32)
    Sleep((us + 999) / 1000);
#else
    struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000};
    nanosleep(&ts, NULL);
#endif
}
