/*
 * tcp: the few POSIX socket calls the transport needs, with errors turned
 * into sentences. IPv4 only (SDLNet_ResolveHost gives IPv4 addresses).
 *
 * Every socket returned here is non-blocking, close-on-exec, and has
 * Nagle's algorithm off (TCP_NODELAY): a game sends small frames that must
 * leave now, not 40 ms later. Writes elsewhere use send(..., MSG_NOSIGNAL)
 * so a closed peer is an EPIPE error, never a SIGPIPE.
 *
 * Addresses (host, port) are passed in network byte order, exactly as
 * SDLNet_ResolveHost fills an IPaddress.
 *
 * Threading contract: no state of its own; any thread may call any
 * function on a socket that thread owns.
 */
#ifndef LANARENA_TCP_H
#define LANARENA_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for "255.255.255.255:65535" plus NUL. */
#define TCP_ADDR_TEXT_MAX 24

/* Listens on 0.0.0.0:port (port 0: the kernel picks one) with
 * SO_REUSEADDR. Returns the socket, or -1 with a sentence in err
 * ("Port 27960 is already in use."). */
int tcp_listen(uint16_t port, char *err, size_t err_cap);

/* The local port of a bound socket (host byte order), 0 on error. */
uint16_t tcp_local_port(int fd);

/* Accepts one pending connection. Returns the new socket (non-blocking,
 * TCP_NODELAY) and writes "a.b.c.d:port" to peer; or -1 with *err set to
 * errno (EAGAIN/EWOULDBLOCK when nothing is waiting). */
int tcp_accept(int listen_fd, char *peer, size_t peer_cap, int *err);

/* Starts a non-blocking connect to host_be:port_be. Returns the socket, or
 * -1 with *err set. *in_progress is true when the caller must wait for
 * POLLOUT and then call tcp_connect_result(); false when already
 * connected (possible on loopback). */
int tcp_connect_start(uint32_t host_be, uint16_t port_be, bool *in_progress, int *err);

/* After POLLOUT on a connecting socket: 0 when connected, else the errno
 * of the failed connect (ECONNREFUSED, ETIMEDOUT, ...). */
int tcp_connect_result(int fd);

bool tcp_set_nonblocking(int fd);

/* Caps the kernel's send buffer (Linux doubles the value given). Without
 * a cap, autotuning lets a peer that stops reading soak up megabytes
 * before the sender sees EAGAIN; with it, a stalled peer shows up in the
 * application's own bounded outbox within a few hundred kilobytes. */
bool tcp_set_send_buffer(int fd, int bytes);

/* Bytes the kernel holds for fd that the peer has not acknowledged yet
 * (sent or not); 0 where the system cannot tell. */
size_t tcp_unacked_bytes(int fd);

/* Reads and discards what has already arrived (at most max_bytes, never
 * waiting). Closing a socket with unread input makes the kernel send RST,
 * which can destroy data the peer has not read yet (like a REJECT). */
void tcp_drain(int fd, size_t max_bytes);

/* Closes fd if >= 0. */
void tcp_close(int fd);

/* "a.b.c.d:port" */
void tcp_addr_text(uint32_t host_be, uint16_t port_be, char *buf, size_t cap);

/* A sentence for a player about a failed connect or transfer with
 * `target` ("HOST:PORT"), e.g. "Connection refused by 127.0.0.1:27960.
 * Is a game hosted there?". Writes into buf and returns it. */
const char *tcp_connect_error_text(int err, const char *target, char *buf, size_t cap);

/* Short lower-case text for the log ("connection reset by peer"). */
const char *tcp_strerror(int err);

#endif
