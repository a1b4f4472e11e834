/*
 * tcp: the TCP steps the transport takes (listen, accept, connect, drain),
 * built on sock.h, with errors turned into sentences. IPv4 only
 * (SDLNet_ResolveHost gives IPv4 addresses). Errors are sock_err codes.
 *
 * Every socket returned here is non-blocking, not inherited by child
 * processes, and has Nagle's algorithm off (TCP_NODELAY): a game sends
 * small frames that must leave now, not 40 ms later. A closed peer is a
 * SOCK_ERR_PIPE/RESET error, never a SIGPIPE.
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

#include "sock.h"

/* Room for "255.255.255.255:65535" plus NUL. */
#define TCP_ADDR_TEXT_MAX 24

/* Listens on 0.0.0.0:port (port 0: the kernel picks one), rebinding at
 * once after a restart (sock_set_reuse). Returns the socket, or SOCK_NONE
 * with a sentence in err
 * ("Port 27960 is already in use."). */
sock_t tcp_listen(uint16_t port, char *err, size_t err_cap);

/* The local port of a bound socket (host byte order), 0 on error. */
uint16_t tcp_local_port(sock_t s);

/* The IPv4 address and port of a connected socket's peer, host byte
 * order. False when it has none. */
bool tcp_peer_addr(sock_t s, uint32_t *addr, uint16_t *port);

/* Accepts one pending connection. Returns the new socket (non-blocking,
 * TCP_NODELAY) and writes "a.b.c.d:port" to peer; or SOCK_NONE with *err
 * set (SOCK_ERR_AGAIN when nothing is waiting). */
sock_t tcp_accept(sock_t listener, char *peer, size_t peer_cap, int *err);

/* Starts a non-blocking connect to host_be:port_be. Returns the socket, or
 * SOCK_NONE with *err set. *in_progress is true when the caller must wait
 * for SOCK_POLL_OUT and then call tcp_connect_result(); false when already
 * connected (possible on loopback). */
sock_t tcp_connect_start(uint32_t host_be, uint16_t port_be, bool *in_progress, int *err);

/* After SOCK_POLL_OUT on a connecting socket: 0 when connected, else why
 * the connect failed (SOCK_ERR_REFUSED, SOCK_ERR_TIMEDOUT, ...). */
int tcp_connect_result(sock_t s);

/* Caps the kernel's send buffer (Linux doubles the value given). Without
 * a cap, autotuning lets a peer that stops reading soak up megabytes
 * before the sender sees EAGAIN; with it, a stalled peer shows up in the
 * application's own bounded outbox within a few hundred kilobytes. */
bool tcp_set_send_buffer(sock_t s, int bytes);

/* Bytes the kernel holds for fd that the peer has not acknowledged yet
 * (sent or not); 0 where the system cannot tell. */
size_t tcp_unacked_bytes(sock_t s);

/* Reads and discards what has already arrived (at most max_bytes, never
 * waiting). Closing a socket with unread input makes the kernel send RST,
 * which can destroy data the peer has not read yet (like a REJECT). */
void tcp_drain(sock_t s, size_t max_bytes);

/* Closes s unless it is SOCK_NONE. */
void tcp_close(sock_t s);

/* "a.b.c.d:port" */
void tcp_addr_text(uint32_t host_be, uint16_t port_be, char *buf, size_t cap);

/* A sentence for a player about a failed connect or transfer with
 * `target` ("HOST:PORT"), e.g. "Connection refused by 127.0.0.1:27960.
 * Is a game hosted there?". Writes into buf and returns it. */
const char *tcp_connect_error_text(int err, const char *target, char *buf, size_t cap);

/* Short lower-case text for the log ("connection reset by peer"). */
const char *tcp_strerror(int err);

#endif
