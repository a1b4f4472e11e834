#include "tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/sockios.h>
#endif

#include "log.h"

bool tcp_set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0)
        return false;
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    int fdflags = fcntl(fd, F_GETFD, 0);
    if (fdflags >= 0)
        (void)fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC);
    return true;
}

bool tcp_set_send_buffer(int fd, int bytes)
{
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes) < 0) {
        log_debug("tcp: SO_SNDBUF not set: %s", tcp_strerror(errno));
        return false;
    }
    return true;
}

size_t tcp_unacked_bytes(int fd)
{
#ifdef SIOCOUTQ
    int n = 0;
    if (fd >= 0 && ioctl(fd, SIOCOUTQ, &n) == 0 && n > 0)
        return (size_t)n;
#else
    (void)fd;
#endif
    return 0;
}

static void tcp_set_nodelay(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
        log_debug("tcp: TCP_NODELAY not set: %s", tcp_strerror(errno));
}

void tcp_addr_text(uint32_t host_be, uint16_t port_be, char *buf, size_t cap)
{
    uint32_t h = ntohl(host_be);
    snprintf(buf, cap, "%u.%u.%u.%u:%u", (unsigned)(h >> 24) & 0xFF, (unsigned)(h >> 16) & 0xFF,
             (unsigned)(h >> 8) & 0xFF, (unsigned)h & 0xFF, (unsigned)ntohs(port_be));
}

int tcp_listen(uint16_t port, char *err, size_t err_cap)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        snprintf(err, err_cap, "Could not create a network socket (%s).", tcp_strerror(errno));
        return -1;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
        log_warn("tcp: SO_REUSEADDR not set: %s", tcp_strerror(errno));

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    sa.sin_port = htons(port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        if (e == EADDRINUSE)
            snprintf(err, err_cap, "Port %u is already in use.", (unsigned)port);
        else if (e == EACCES)
            snprintf(err, err_cap, "Port %u needs administrator rights; choose one above 1023.",
                     (unsigned)port);
        else
            snprintf(err, err_cap, "Could not open port %u (%s).", (unsigned)port, tcp_strerror(e));
        close(fd);
        return -1;
    }
    if (listen(fd, 256) < 0 || !tcp_set_nonblocking(fd)) {
        snprintf(err, err_cap, "Could not listen on port %u (%s).", (unsigned)port,
                 tcp_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

uint16_t tcp_local_port(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0 || sa.sin_family != AF_INET)
        return 0;
    return ntohs(sa.sin_port);
}

int tcp_accept(int listen_fd, char *peer, size_t peer_cap, int *err)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int fd = accept(listen_fd, (struct sockaddr *)&sa, &len);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    if (!tcp_set_nonblocking(fd)) {
        *err = errno;
        close(fd);
        return -1;
    }
    tcp_set_nodelay(fd);
    if (sa.sin_family == AF_INET)
        tcp_addr_text(sa.sin_addr.s_addr, sa.sin_port, peer, peer_cap);
    else
        snprintf(peer, peer_cap, "?");
    *err = 0;
    return fd;
}

int tcp_connect_start(uint32_t host_be, uint16_t port_be, bool *in_progress, int *err)
{
    *in_progress = false;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    if (!tcp_set_nonblocking(fd)) {
        *err = errno;
        close(fd);
        return -1;
    }
    tcp_set_nodelay(fd);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = host_be;
    sa.sin_port = port_be;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        *err = 0;
        return fd;
    }
    if (errno == EINPROGRESS || errno == EINTR) {
        *in_progress = true;
        *err = 0;
        return fd;
    }
    *err = errno;
    close(fd);
    return -1;
}

int tcp_connect_result(int fd)
{
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return errno;
    return soerr;
}

void tcp_drain(int fd, size_t max_bytes)
{
    uint8_t scratch[4096];
    size_t total = 0;
    /* Bounded by max_bytes and by the data already queued: never waits. */
    while (total < max_bytes) {
        ssize_t n = recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (n <= 0)
            break;
        total += (size_t)n;
    }
}

void tcp_close(int fd)
{
    if (fd >= 0)
        close(fd);
}

const char *tcp_strerror(int err)
{
    switch (err) {
    case 0: return "no error";
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET: return "connection reset by peer";
    case ECONNABORTED: return "connection aborted";
    case EPIPE: return "broken pipe";
    case ETIMEDOUT: return "timed out";
    case ENETUNREACH: return "network unreachable";
    case EHOSTUNREACH: return "no route to host";
    case ENETDOWN: return "network down";
    case EADDRINUSE: return "address in use";
    case EADDRNOTAVAIL: return "address not available";
    case EACCES: return "permission denied";
    case EMFILE: return "too many open files in this process";
    case ENFILE: return "too many open files in the system";
    case ENOBUFS: return "out of socket buffers";
    case ENOMEM: return "out of memory";
    default: return strerror(err);
    }
}

const char *tcp_connect_error_text(int err, const char *target, char *buf, size_t cap)
{
    switch (err) {
    case ECONNREFUSED:
        snprintf(buf, cap, "Connection refused by %s. Is a game hosted there?", target);
        break;
    case ETIMEDOUT:
        snprintf(buf, cap, "No answer from %s.", target);
        break;
    case ENETUNREACH:
    case ENETDOWN:
        snprintf(buf, cap, "%s cannot be reached: this computer is not on that network.", target);
        break;
    case EHOSTUNREACH:
        snprintf(buf, cap, "%s cannot be reached: no computer answers at that address.", target);
        break;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
        snprintf(buf, cap, "Lost connection to the host.");
        break;
    case EACCES:
    case EPERM:
        snprintf(buf, cap, "This computer is not allowed to connect to %s (firewall?).", target);
        break;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
        snprintf(buf, cap, "This computer has run out of network resources (%s).", tcp_strerror(err));
        break;
    default:
        snprintf(buf, cap, "Could not connect to %s (%s).", target, tcp_strerror(err));
        break;
    }
    return buf;
}
