/*
 * session: the per-connection protocol state machine. See session.h.
 *
 * Every way a session ends goes through one of three closers, so the
 * owner's log and the game's event always agree on the reason:
 *   session_fail   the peer broke a rule: GOODBYE(reason), a fault
 *   session_refuse HELLO refused: REJECT(reason), not a fault
 *   session_gone   nothing can be sent (EOF, or the peer said GOODBYE)
 */
#include "session.h"

#include <stdio.h>
#include <string.h>

#define SESSION_TOKEN 1000 /* one message, in bucket units */

void session_init(session *s, const session_limits *limits, uint64_t now_ms)
{
    memset(s, 0, sizeof *s);
    s->state = SESSION_HANDSHAKE;
    s->limits = *limits;
    s->opened_ms = now_ms;
    s->last_recv_ms = now_ms;
    s->bucket_ms = now_ms;
    int64_t burst = (int64_t)limits->silence_timeout_ms * SESSION_STALL_MSGS / 1000 + 100;
    s->burst = (burst > SESSION_MSG_BURST ? burst : SESSION_MSG_BURST) * SESSION_TOKEN;
    s->tokens = s->burst;
}

static void session_act_clear(session_action *act)
{
    act->verdict = SESSION_NONE;
    act->has_reply = false;
    act->fault = false;
    act->bye_reason = 0;
    act->why[0] = '\0';
}

static session_verdict session_fail(session *s, session_action *act, uint8_t bye_reason)
{
    s->state = SESSION_CLOSED;
    act->verdict = SESSION_CLOSE;
    act->reply = proto_make_goodbye(bye_reason);
    act->has_reply = true;
    act->fault = true;
    act->bye_reason = bye_reason;
    return SESSION_CLOSE;
}

static session_verdict session_refuse(session *s, session_action *act, uint8_t reject_reason)
{
    s->state = SESSION_CLOSED;
    act->verdict = SESSION_CLOSE;
    act->reply = proto_make_reject(reject_reason);
    act->has_reply = true;
    act->fault = false;
    act->bye_reason = PROTO_BYE_KICKED;
    return SESSION_CLOSE;
}

static session_verdict session_gone(session *s, session_action *act, uint8_t bye_reason, bool fault)
{
    s->state = SESSION_CLOSED;
    act->verdict = SESSION_CLOSE;
    act->has_reply = false;
    act->fault = fault;
    act->bye_reason = bye_reason;
    return SESSION_CLOSE;
}

/* Token bucket, refilled by the caller's clock. False: the peer is over
 * SESSION_MSG_RATE sustained and has spent its SESSION_MSG_BURST. */
static bool session_take_token(session *s, uint64_t now_ms)
{
    const int64_t cap = s->burst;
    if (now_ms > s->bucket_ms) {
        uint64_t elapsed = now_ms - s->bucket_ms;
        /* Clamped before multiplying: a long idle gap cannot overflow. */
        if (elapsed > (uint64_t)cap)
            elapsed = (uint64_t)cap;
        s->tokens += (int64_t)elapsed * SESSION_MSG_RATE;
        if (s->tokens > cap)
            s->tokens = cap;
        s->bucket_ms = now_ms;
    }
    if (s->tokens < SESSION_TOKEN)
        return false;
    s->tokens -= SESSION_TOKEN;
    return true;
}

static session_verdict session_on_hello(session *s, const proto_msg *msg, session_action *act)
{
    if (msg->type != PROTO_HELLO) {
        snprintf(act->why, sizeof act->why, "expected HELLO, got %s", proto_type_name(msg->type));
        return session_fail(s, act, PROTO_BYE_PROTOCOL_ERROR);
    }
    const proto_hello *h = &msg->u.hello;
    if (h->magic != PROTO_MAGIC) {
        snprintf(act->why, sizeof act->why, "not a LAN Arena client (HELLO magic 0x%08X)",
                 (unsigned)h->magic);
        return session_refuse(s, act, PROTO_REJECT_BAD_MAGIC);
    }
    if (h->version != PROTO_VERSION) {
        snprintf(act->why, sizeof act->why, "protocol version %u, this server speaks %u",
                 (unsigned)h->version, (unsigned)PROTO_VERSION);
        return session_refuse(s, act, PROTO_REJECT_VERSION);
    }
    s->state = SESSION_PENDING;
    act->verdict = SESSION_HELLO;
    proto_msg_copy(&act->msg, msg);
    return SESSION_HELLO;
}

static session_verdict session_on_message(session *s, const proto_msg *msg, session_action *act)
{
    switch (msg->type) {
    case PROTO_PING:
        memset(&act->reply, 0, sizeof act->reply);
        act->reply.type = PROTO_PONG;
        act->reply.u.ping.token = msg->u.ping.token;
        act->reply.u.ping.held_us = 0; /* netserver sets it when it holds the answer */
        act->has_reply = true;
        act->verdict = SESSION_REPLY;
        return SESSION_REPLY;
    case PROTO_PONG:
        act->verdict = SESSION_IGNORED; /* we send no PINGs of our own; harmless */
        return SESSION_IGNORED;
    case PROTO_GOODBYE: {
        uint8_t reason = msg->u.goodbye.reason;
        snprintf(act->why, sizeof act->why, "peer said GOODBYE: %s", proto_bye_text(reason));
        /* Only the host kicks: a peer that says it was kicked has left
         * (the others are told it left, not that it was kicked). */
        if (reason == PROTO_BYE_KICKED || reason == PROTO_BYE_KICKED_BY_HOST)
            reason = PROTO_BYE_QUIT;
        /* A peer leaving on purpose is no fault; one giving up on us is. */
        return session_gone(s, act, reason, reason != PROTO_BYE_QUIT);
    }
    case PROTO_INPUT:
    case PROTO_CHAT_SEND: /* the game enforces chat's own limits */
        act->verdict = SESSION_DELIVER;
        proto_msg_copy(&act->msg, msg);
        return SESSION_DELIVER;
    case PROTO_HELLO:
        snprintf(act->why, sizeof act->why, "second HELLO on an accepted connection");
        return session_fail(s, act, PROTO_BYE_PROTOCOL_ERROR);
    default:
        snprintf(act->why, sizeof act->why, "client sent %s, a server-to-client message",
                 proto_type_name(msg->type));
        return session_fail(s, act, PROTO_BYE_PROTOCOL_ERROR);
    }
}

session_verdict session_next(session *s, conn *c, uint64_t now_ms, session_action *act)
{
    session_act_clear(act);
    if (s->state != SESSION_HANDSHAKE && s->state != SESSION_ACCEPTED)
        return SESSION_NONE;
    proto_msg msg;
    conn_next_result r = conn_next(c, &msg, act->why, sizeof act->why);
    if (r == CONN_NEXT_NONE)
        return SESSION_NONE;
    if (r == CONN_NEXT_ERROR)
        return session_fail(s, act, PROTO_BYE_PROTOCOL_ERROR);
    if (!session_take_token(s, now_ms)) {
        snprintf(act->why, sizeof act->why,
                 "message flood: over %d messages a second (burst %d)", SESSION_MSG_RATE,
                 (int)(s->burst / SESSION_TOKEN));
        return session_fail(s, act, PROTO_BYE_KICKED);
    }
    s->last_recv_ms = now_ms;
    if (s->state == SESSION_HANDSHAKE)
        return session_on_hello(s, &msg, act);
    return session_on_message(s, &msg, act);
}

session_verdict session_on_eof(session *s, bool mid_frame, session_action *act)
{
    session_act_clear(act);
    if (mid_frame)
        snprintf(act->why, sizeof act->why, "connection closed by peer in the middle of a frame");
    else if (s->state == SESSION_HANDSHAKE)
        snprintf(act->why, sizeof act->why, "connection closed by peer before HELLO");
    else
        snprintf(act->why, sizeof act->why, "connection closed by peer without GOODBYE");
    return session_gone(s, act, PROTO_BYE_CONNECTION_LOST, true);
}

session_verdict session_check_time(session *s, uint64_t now_ms, session_action *act)
{
    session_act_clear(act);
    if (s->state == SESSION_HANDSHAKE || s->state == SESSION_PENDING) {
        int limit = s->limits.handshake_timeout_ms;
        if (now_ms > s->opened_ms && now_ms - s->opened_ms >= (uint64_t)limit) {
            snprintf(act->why, sizeof act->why,
                     s->state == SESSION_HANDSHAKE ? "no HELLO within %d ms"
                                                   : "not accepted or rejected within %d ms",
                     limit);
            return session_fail(s, act, PROTO_BYE_TIMEOUT);
        }
    } else if (s->state == SESSION_ACCEPTED) {
        int limit = s->limits.silence_timeout_ms;
        if (now_ms > s->last_recv_ms && now_ms - s->last_recv_ms >= (uint64_t)limit) {
            snprintf(act->why, sizeof act->why, "silent for %llu ms (limit %d ms)",
                     (unsigned long long)(now_ms - s->last_recv_ms), limit);
            return session_fail(s, act, PROTO_BYE_TIMEOUT);
        }
    }
    return SESSION_NONE;
}

void session_accept(session *s, uint64_t now_ms)
{
    if (s->state != SESSION_PENDING)
        return;
    s->state = SESSION_ACCEPTED;
    /* The silence clock starts now, not at HELLO: the game may have taken
     * a while to decide. */
    s->last_recv_ms = now_ms;
}

session_verdict session_reject(session *s, uint8_t reject_reason, session_action *act)
{
    session_act_clear(act);
    snprintf(act->why, sizeof act->why, "rejected by the game: %s", proto_reject_text(reject_reason));
    return session_refuse(s, act, reject_reason);
}

const char *session_state_name(session_state st)
{
    switch (st) {
    case SESSION_HANDSHAKE: return "handshake";
    case SESSION_PENDING: return "pending";
    case SESSION_ACCEPTED: return "accepted";
    case SESSION_CLOSED: return "closed";
    }
    return "?";
}
