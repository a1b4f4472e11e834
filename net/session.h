/*
 * session: the server's per-connection protocol state machine, without
 * sockets. netserver owns the socket and the conn; for every frame that
 * the conn has reassembled it asks session_next() what to do, and acts on
 * the answer (hand an event to the game, queue a reply, close). The libFuzzer
 * target tests/fuzz/fuzz_server.c drives exactly this code with arbitrary
 * byte streams, the way netcode.io fuzzes its packet processing.
 *
 *   HANDSHAKE --valid HELLO--> PENDING --session_accept--> ACCEPTED
 *       |                         |                            |
 *       +------ anything else, timeouts, floods, EOF ----------+--> CLOSED
 *
 * HANDSHAKE: only HELLO is allowed; wrong magic or version is refused
 *            with REJECT and the reason.
 * PENDING:   the game decides (name, free slot); nothing is read.
 * ACCEPTED:  INPUT and CHAT_SEND go to the game, PING is answered with PONG,
 *            GOODBYE closes, anything else is a protocol error.
 *
 * Limits enforced here (time is always passed in, never read):
 * handshake_timeout_ms, silence_timeout_ms, and a message-rate bucket
 * (SESSION_MSG_RATE per second, SESSION_MSG_BURST at once) that closes a
 * peer flooding any message type, so no peer can keep the server thread
 * busy decoding its stream.
 *
 * Threading contract: a session belongs to one thread; pure otherwise.
 */
#ifndef LANARENA_SESSION_H
#define LANARENA_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "proto.h"

/* Messages per second a peer may send, sustained. A client sends one INPUT
 * per tick (60/s) and two PINGs a second; four times that is generous. */
#define SESSION_MSG_RATE 240
/* Messages a peer may send at once above the rate: at least this many,
 * and more for a longer silence limit (SESSION_STALL_MSGS a second of
 * it), so a connection that stalls for up to that limit survives when TCP
 * then delivers what was sent meanwhile in one go. */
#define SESSION_MSG_BURST 400
#define SESSION_STALL_MSGS 64

typedef enum {
    SESSION_HANDSHAKE = 0, /* waiting for HELLO */
    SESSION_PENDING,       /* valid HELLO handed to the game; nothing read */
    SESSION_ACCEPTED,      /* playing */
    SESSION_CLOSED         /* finished; the owner closes the socket */
} session_state;

typedef struct {
    int handshake_timeout_ms; /* HELLO, then the game's decision, within this */
    int silence_timeout_ms;   /* an accepted peer silent this long is closed */
} session_limits;

typedef struct {
    session_state state;
    session_limits limits;
    uint64_t opened_ms;    /* connection accepted by the kernel */
    uint64_t last_recv_ms; /* last whole message */
    uint64_t bucket_ms;    /* when `tokens` was last refilled */
    int64_t burst;         /* bucket size, in 1/1000 message */
    int64_t tokens;        /* message budget, in 1/1000 message */
} session;

typedef enum {
    SESSION_NONE = 0, /* no whole frame buffered (read more), or no deadline passed */
    SESSION_IGNORED,  /* a message arrived that needs nothing done (PONG) */
    SESSION_HELLO,    /* msg: a valid HELLO; call session_accept or _reject */
    SESSION_DELIVER,  /* msg: a message for the game (INPUT, CHAT_SEND) */
    SESSION_REPLY,    /* reply: queue it to the peer (PONG) */
    SESSION_CLOSE     /* queue reply if has_reply, then close the socket */
} session_verdict;

typedef struct {
    session_verdict verdict;
    proto_msg msg;      /* HELLO / DELIVER: what arrived */
    proto_msg reply;    /* REPLY, or CLOSE when has_reply: GOODBYE / REJECT */
    bool has_reply;
    bool fault;         /* CLOSE: the peer broke a rule (logged as a warning) */
    uint8_t bye_reason; /* CLOSE: proto_bye_reason for the game's event */
    char why[128];      /* CLOSE: a sentence for the host's log */
} session_action;

void session_init(session *s, const session_limits *limits, uint64_t now_ms);

/* Pops the next whole frame from c's reader, decodes it and runs the state
 * machine. SESSION_NONE when no frame is buffered, or when the session is
 * PENDING or CLOSED (nothing is read then). */
session_verdict session_next(session *s, conn *c, uint64_t now_ms, session_action *act);

/* The peer closed its side. mid_frame: bytes of a partial frame were
 * buffered. Always SESSION_CLOSE. */
session_verdict session_on_eof(session *s, bool mid_frame, session_action *act);

/* Handshake and silence deadlines. SESSION_CLOSE or SESSION_NONE. */
session_verdict session_check_time(session *s, uint64_t now_ms, session_action *act);

/* The game's decision on a PENDING session. Reject is always
 * SESSION_CLOSE with a REJECT reply. */
void session_accept(session *s, uint64_t now_ms);
session_verdict session_reject(session *s, uint8_t reject_reason, session_action *act);

const char *session_state_name(session_state st);

#endif
