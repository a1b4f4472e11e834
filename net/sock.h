/*
 * sock: the operating system's sockets behind one small interface, so the
 * rest of the program is the same on Linux (POSIX sockets) and Windows
 * (Winsock2). Every #ifdef about sockets lives in sock.c; nothing else in
 * net/ or game/ includes a socket, poll, epoll, fcntl or unistd header.
 *
 * - Handles are sock_t; SOCK_NONE is "no socket" on both systems.
 * - Errors are sock_err codes. Codes a caller acts on have names; any
 *   other system error is SOCK_ERR_SYSTEM + the system's own number, so
 *   sock_strerror still names it.
 * - Addresses and ports are IPv4 in network byte order, as SDL2_net's
 *   IPaddress holds them.
 * - Sends never raise SIGPIPE: a closed peer is SOCK_ERR_PIPE or
 *   SOCK_ERR_RESET.
 * - sock_poll is poll() or WSAPoll(). A sock_poller is the same wait over
 *   a set of sockets registered once; on Linux it is epoll, elsewhere it
 *   rebuilds a poll array per wait.
 * - A sock_wake is something another thread can make readable, to wake a
 *   thread waiting in sock_poll (a pipe on POSIX; on Windows, whose poll
 *   takes sockets only, a UDP socket on 127.0.0.1 that sends to itself).
 *
 * Two more system services the network code needs sit here too, for the
 * same reason: the system's random bytes (reconnect tokens) and a sleep
 * finer than a millisecond where the system has one (the server's pump).
 *
 * Threading contract: no shared state except the Winsock start count,
 * which sock_init/sock_cleanup keep (any thread). A socket, poller or
 * wake belongs to the thread that uses it; sock_wake_signal alone may be
 * called from any thread.
 */
#ifndef LANARENA_SOCK_H
#define LANARENA_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A Winsock SOCKET is a pointer-sized number; INVALID_SOCKET is ~0, which
 * is -1 here, as a closed POSIX descriptor is. */
typedef intptr_t sock_t;
#define SOCK_NONE ((sock_t)-1)

typedef enum {
    SOCK_OK = 0,
    SOCK_ERR_AGAIN,       /* nothing to read / no room to write now */
    SOCK_ERR_INTR,
    SOCK_ERR_INPROGRESS,  /* a non-blocking connect has started */
    SOCK_ERR_REFUSED,
    SOCK_ERR_RESET,
    SOCK_ERR_ABORTED,
    SOCK_ERR_PIPE,        /* sending on a connection the peer closed */
    SOCK_ERR_TIMEDOUT,
    SOCK_ERR_NETUNREACH,
    SOCK_ERR_HOSTUNREACH,
    SOCK_ERR_NETDOWN,
    SOCK_ERR_ADDRINUSE,
    SOCK_ERR_ADDRNOTAVAIL,
    SOCK_ERR_ACCESS,      /* EACCES / EPERM: not allowed (a firewall, a low port) */
    SOCK_ERR_NO_FILES,    /* out of descriptors (process or system) */
    SOCK_ERR_NO_MEMORY,   /* out of socket buffers or memory */
    SOCK_ERR_PROTO,       /* a connection that died before accept() */
    SOCK_ERR_NOT_STARTED, /* Winsock not started (sock_init) */
    SOCK_ERR_SYSTEM = 1000 /* + the system's own error number */
} sock_err;

/* Starts the socket library (WSAStartup on Windows; nothing on POSIX).
 * Calls nest; each successful one wants a sock_cleanup. False with a
 * sentence in err. */
bool sock_init(char *err, size_t err_cap);
void sock_cleanup(void);

/* The calling thread's last socket error (errno / WSAGetLastError), as a
 * sock_err; also right after a failed SDL2_net call. */
int sock_last_error(void);
/* Short lower-case text for the log ("connection reset by peer"). */
const char *sock_strerror(int err);

/* ---- sockets ---- */

/* A new IPv4 TCP or UDP socket: non-blocking and not inherited by child
 * processes. SOCK_NONE with *err set on failure. */
sock_t sock_open_tcp(int *err);
sock_t sock_open_udp(int *err);
void sock_close(sock_t s); /* SOCK_NONE is ignored */

/* Each returns 0 or a sock_err. */
int sock_bind(sock_t s, uint32_t host_be, uint16_t port_be);
int sock_listen(sock_t s, int backlog);
/* SO_REUSEADDR on POSIX (a restarted host rebinds at once); on Windows,
 * where that would let another program take the port, exclusive use. */
int sock_set_reuse(sock_t s);
int sock_set_nodelay(sock_t s);
int sock_set_broadcast(sock_t s);
int sock_set_send_buffer(sock_t s, int bytes);
int sock_set_recv_buffer(sock_t s, int bytes);
/* The next close sends RST instead of FIN (SO_LINGER 0). */
int sock_set_linger_reset(sock_t s);
/* Bytes written to s that the peer has not yet acknowledged (the
 * kernel's send queue; Linux's SIOCOUTQ). 0 where the system does not
 * say (Windows): the caller's own outbox is then its only measure. */
size_t sock_unsent_bytes(sock_t s);
/* Sends FIN; reading goes on. */
int sock_shutdown_write(sock_t s);

/* A pending connection, non-blocking, with the peer's address; SOCK_NONE
 * with *err (SOCK_ERR_AGAIN when nobody is waiting). */
sock_t sock_accept(sock_t s, uint32_t *host_be, uint16_t *port_be, int *err);
/* 0 when connected at once, SOCK_ERR_INPROGRESS when the caller must wait
 * for SOCK_POLL_OUT and then ask sock_connect_result, else an error. */
int sock_connect(sock_t s, uint32_t host_be, uint16_t port_be);
/* After SOCK_POLL_OUT on a connecting socket: 0 or why it failed. */
int sock_connect_result(sock_t s);
/* The bound local address; 0 or a sock_err. */
int sock_local_addr(sock_t s, uint32_t *host_be, uint16_t *port_be);
/* The connected peer's address, like sock_local_addr. */
int sock_peer_addr(sock_t s, uint32_t *host_be, uint16_t *port_be);

/* Bytes moved (> 0), 0 for end of stream (recv only), or -1 with *err. */
ptrdiff_t sock_send(sock_t s, const void *buf, size_t len, int *err);
ptrdiff_t sock_recv(sock_t s, void *buf, size_t len, int *err);
ptrdiff_t sock_send_to(sock_t s, const void *buf, size_t len, uint32_t host_be, uint16_t port_be, int *err);
ptrdiff_t sock_recv_from(sock_t s, void *buf, size_t len, uint32_t *host_be, uint16_t *port_be, int *err);

/* ---- waiting ---- */

enum { SOCK_POLL_IN = 1, SOCK_POLL_OUT = 2, SOCK_POLL_ERR = 4, SOCK_POLL_HUP = 8 };

typedef struct {
    sock_t s;
    int events;  /* SOCK_POLL_IN / SOCK_POLL_OUT */
    int revents; /* what happened; ERR and HUP are reported whatever events says */
} sock_pollfd;

/* Waits up to timeout_ms (0: just look) for any of fds; returns how many
 * have revents, 0 on timeout, -1 with *err. An empty set just waits. */
int sock_poll(sock_pollfd *fds, int n, int timeout_ms, int *err);

/* A set of up to `max` sockets, each registered with a tag the wait hands
 * back. */
typedef struct sock_poller sock_poller;
typedef struct {
    uint64_t tag;
    int revents;
} sock_ready;

sock_poller *sock_poller_create(int max, int *err);
void sock_poller_destroy(sock_poller *p);
int sock_poller_add(sock_poller *p, sock_t s, uint64_t tag, int events);
int sock_poller_mod(sock_poller *p, sock_t s, uint64_t tag, int events);
/* Before the socket closes, so a closed or reused one is never reported. */
void sock_poller_del(sock_poller *p, sock_t s);
/* Fills out[] with at most max ready sockets; returns how many (0 on
 * timeout), -1 with *err. */
int sock_poller_wait(sock_poller *p, sock_ready *out, int max, int timeout_ms, int *err);
/* "epoll" or "poll" / "WSAPoll", for the log. */
const char *sock_poller_kind(void);

/* ---- waking a thread from another ---- */

typedef struct {
    sock_t rd, wr; /* wait for SOCK_POLL_IN on rd */
} sock_wake;

/* 0 or a sock_err; w is {SOCK_NONE, SOCK_NONE} on failure. */
int sock_wake_open(sock_wake *w);
/* Any thread. A wake already pending is enough: a full buffer is fine. */
void sock_wake_signal(sock_wake *w);
/* Reads what signals arrived (bounded, never waits). */
void sock_wake_drain(sock_wake *w);
void sock_wake_close(sock_wake *w);

/* ---- addresses ---- */

/* Parses a dotted quad ("192.168.1.10": exactly four decimal parts of
 * 0..255, no leading zeros, as inet_pton reads them); false if it is not
 * one. */
bool sock_ipv4_parse(const char *text, uint32_t *host_be);

/* One IPv4 address of an interface that is up. */
typedef struct {
    uint32_t addr_be, mask_be;
    uint32_t broadcast_be; /* addr | ~mask */
    bool loopback;
    bool can_broadcast;
    char name[48]; /* the interface's name ("eth0", "Wi-Fi"), UTF-8 */
} sock_ifaddr;

/* This machine's IPv4 interface addresses (getifaddrs on POSIX,
 * GetAdaptersAddresses on Windows); returns how many were written. */
int sock_local_ipv4(sock_ifaddr *out, int max);

/* The local address the routing table would send from to the world (the
 * default route's interface): a UDP socket is connected to a documentation
 * address and asked its own address. Connecting a UDP socket sends
 * nothing. False when there is no default route. */
bool sock_default_route_source(uint32_t *addr_be);

/* ---- randomness and sleeping ---- */

/* Fills buf with the system's random bytes (getrandom / RtlGenRandom);
 * false if the system has none to give. */
bool sock_random_bytes(void *buf, size_t len);
/* Sleeps about `us` microseconds (nanosleep; on Windows, Sleep in whole
 * milliseconds, rounded up). */
void sock_sleep_us(uint32_t us);

#endif
