/*
 * conn: one TCP connection's transport state, shared by netserver and
 * netclient: the socket, a frame_reader that reassembles incoming frames,
 * a bounded outbox of encoded frames waiting for the kernel, and counters.
 *
 * Nothing here blocks: conn_read() and conn_flush() move what the kernel
 * has or takes right now. The outbox grows on demand up to `limit` bytes;
 * a conn_queue() that would pass it fails with CONN_QUEUE_FULL and the
 * owner decides (the server drops the peer as too slow). conn_queue_last()
 * may pass the limit by one small message so that a GOODBYE/REJECT can
 * still be queued before closing.
 *
 * Threading contract: a conn belongs to exactly one thread (the server
 * thread or one netclient connection thread). No locking inside.
 */
#ifndef LANARENA_CONN_H
#define LANARENA_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "proto.h"
#include "tcp.h"

/* Room a conn_queue_last() may use past the limit (REJECT is 4 bytes). */
#define CONN_LAST_RESERVE 64

typedef struct {
    sock_t fd;                      /* SOCK_NONE when closed */
    char peer[TCP_ADDR_TEXT_MAX];   /* "a.b.c.d:port", for the log */
    frame_reader reader;
    uint8_t payload[FRAME_MAX_PAYLOAD]; /* last popped payload */
    size_t payload_len;
    uint8_t *out;                   /* outbox: bytes [out_head, out_head+out_len) */
    size_t out_head, out_len, out_cap, out_limit;
    uint64_t bytes_in, bytes_out, msgs_in, msgs_out;
} conn;

typedef enum {
    CONN_IO_OK = 0,  /* moved bytes (read: some arrived; flush: outbox empty or kernel full) */
    CONN_IO_IDLE,    /* read: nothing waiting in the kernel */
    CONN_IO_FULL,    /* read: the frame reader is full; pop frames first */
    CONN_IO_CLOSED,  /* read: the peer closed its side (EOF) */
    CONN_IO_ERROR    /* socket error; `why` says which */
} conn_io;

typedef enum {
    CONN_QUEUED = 0,
    CONN_QUEUE_FULL,    /* would pass the outbox limit */
    CONN_QUEUE_BAD_MSG, /* proto_encode refused it (a caller bug) */
    CONN_QUEUE_NO_MEMORY
} conn_queue_result;

typedef enum {
    CONN_NEXT_NONE = 0, /* no complete frame buffered */
    CONN_NEXT_MSG,      /* *msg holds the next message */
    CONN_NEXT_ERROR     /* bad frame or undecodable message; `why` says which */
} conn_next_result;

/* Takes ownership of fd (already non-blocking). */
void conn_init(conn *c, sock_t fd, const char *peer, size_t outbox_limit);

/* One recv() into the frame reader. */
conn_io conn_read(conn *c, char *why, size_t why_cap);

/* Writes as much of the outbox as the kernel takes now. CONN_IO_OK or
 * CONN_IO_ERROR; check conn_pending() for what is left. */
conn_io conn_flush(conn *c, char *why, size_t why_cap);

/* Encodes and frames msg into the outbox. */
conn_queue_result conn_queue(conn *c, const proto_msg *msg);
conn_queue_result conn_queue_last(conn *c, const proto_msg *msg);
/* Queues one frame whose payload is head then tail, already encoded (see
 * proto_encode_delta_head); the caller vouches that they form a message. */
conn_queue_result conn_queue_parts(conn *c, const uint8_t *head, size_t head_len, const uint8_t *tail,
                                   size_t tail_len);

/* Pops and decodes the next buffered message. On CONN_NEXT_ERROR `why`
 * reads like "frame length 0", "unknown message type 0x7f" or "truncated
 * SNAPSHOT"; the raw payload (if any) stays in c->payload. The stream is
 * not trustworthy afterwards. */
conn_next_result conn_next(conn *c, proto_msg *msg, char *why, size_t why_cap);

/* Bytes waiting in the outbox. */
size_t conn_pending(const conn *c);

/* Discards what already arrived (bounded, non-blocking, so close sends FIN
 * rather than RST), closes the socket and frees the outbox. Idempotent. */
void conn_close(conn *c);

const char *conn_queue_result_text(conn_queue_result r);

#endif
