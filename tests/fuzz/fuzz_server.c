/*
 * libFuzzer target: the server's per-connection state machine
 * (net/session.c) behind the same conn (reassembly + decoding) that
 * netserver uses, fed an arbitrary byte stream from a "client", with a
 * clock and a game that the input also steers.
 *
 * Input: ctl_len: u8, ctl: ctl_len bytes, then the client's byte stream.
 * The ctl bytes choose chunk sizes, clock steps and the game's answers to
 * HELLO (accept when the name is valid unless told "full" or "taken";
 * sometimes decide late). When they run out: whole-stream chunks, 16 ms
 * steps, decide at once.
 *
 * Invariants: each verdict fits the state it came from (HELLO only in
 * handshake and only ours; INPUT and CHAT_SEND delivered only once
 * accepted; no reading while the game decides), every reply and final
 * message encodes, a closed session stays closed and silent, the message
 * budget is never exceeded, and every session ends: after the stream, EOF
 * or the clock closes it with a reason.
 */
#include <string.h>

#include "conn.h"
#include "fuzz.h"
#include "proto.h"
#include "session.h"

#ifndef FUZZ_SERVER_ENTRY
#define FUZZ_SERVER_ENTRY LLVMFuzzerTestOneInput
#endif

#define FUZZ_SERVER_OUTBOX (256 * 1024)
#define FUZZ_SERVER_BUDGET 64 /* messages per round, as netserver's pump */

typedef struct {
    session s;
    conn c;
    uint64_t now, t0;
    int hellos, consumed;
    bool accepted;
} fuzz_server_run;

static void fuzz_server_check_reply(const proto_msg *m)
{
    static uint8_t buf[PROTO_MAX_MESSAGE_SIZE];
    FUZZ_ASSERT(proto_encode(m, buf, sizeof buf) > 0);
}

/* Checks one verdict against the state it came from. */
static void fuzz_server_check(fuzz_server_run *r, session_state before, session_verdict v,
                              const session_action *act)
{
    FUZZ_ASSERT(act->verdict == v);
    switch (v) {
    case SESSION_NONE:
        FUZZ_ASSERT(r->s.state == before);
        return;
    case SESSION_IGNORED:
        FUZZ_ASSERT(before == SESSION_ACCEPTED && r->s.state == SESSION_ACCEPTED);
        r->consumed++;
        return;
    case SESSION_HELLO: {
        const proto_hello *h = &act->msg.u.hello;
        FUZZ_ASSERT(before == SESSION_HANDSHAKE && r->s.state == SESSION_PENDING);
        FUZZ_ASSERT(act->msg.type == PROTO_HELLO);
        FUZZ_ASSERT(h->magic == PROTO_MAGIC && h->version == PROTO_VERSION);
        FUZZ_ASSERT(h->name_len <= PROTO_NAME_WIRE_MAX && h->name[h->name_len] == '\0');
        FUZZ_ASSERT(++r->hellos == 1);
        r->consumed++;
        return;
    }
    case SESSION_DELIVER:
        FUZZ_ASSERT(before == SESSION_ACCEPTED && r->s.state == SESSION_ACCEPTED && r->accepted);
        FUZZ_ASSERT(act->msg.type == PROTO_INPUT || act->msg.type == PROTO_CHAT_SEND);
        FUZZ_ASSERT(act->msg.type != PROTO_INPUT || (act->msg.u.input.buttons & ~PROTO_BTN_MASK) == 0);
        FUZZ_ASSERT(act->msg.type != PROTO_CHAT_SEND ||
                    (act->msg.u.chat.text_len <= PROTO_CHAT_WIRE_MAX && act->msg.u.chat.text[act->msg.u.chat.text_len] == '\0'));
        r->consumed++;
        return;
    case SESSION_REPLY:
        FUZZ_ASSERT(before == SESSION_ACCEPTED && r->s.state == SESSION_ACCEPTED);
        FUZZ_ASSERT(act->has_reply && act->reply.type == PROTO_PONG);
        fuzz_server_check_reply(&act->reply);
        FUZZ_ASSERT(conn_queue(&r->c, &act->reply) == CONN_QUEUED);
        r->consumed++;
        return;
    case SESSION_CLOSE:
        FUZZ_ASSERT(before != SESSION_CLOSED && r->s.state == SESSION_CLOSED);
        FUZZ_ASSERT(act->why[0] != '\0');
        FUZZ_ASSERT(memchr(act->why, '\0', sizeof act->why) != NULL);
        FUZZ_ASSERT(act->bye_reason >= PROTO_BYE_QUIT && act->bye_reason <= PROTO_BYE_LAST);
        if (act->has_reply) {
            FUZZ_ASSERT(act->reply.type == PROTO_GOODBYE || act->reply.type == PROTO_REJECT);
            fuzz_server_check_reply(&act->reply);
            FUZZ_ASSERT(conn_queue_last(&r->c, &act->reply) == CONN_QUEUED);
        }
        return;
    }
    FUZZ_ASSERT(!"unknown verdict");
}

/* The game's answer to a HELLO, steered by one ctl byte. */
static void fuzz_server_decide(fuzz_server_run *r, uint8_t how)
{
    session_action act;
    if (r->s.state != SESSION_PENDING)
        return;
    uint8_t reason = 0;
    if (how % 7 == 1)
        reason = PROTO_REJECT_FULL;
    else if (how % 7 == 2)
        reason = PROTO_REJECT_NAME_TAKEN;
    else if (how % 7 == 3)
        reason = PROTO_REJECT_NAME;
    if (reason) {
        session_verdict v = session_reject(&r->s, reason, &act);
        fuzz_server_check(r, SESSION_PENDING, v, &act);
        FUZZ_ASSERT(v == SESSION_CLOSE && act.has_reply && act.reply.type == PROTO_REJECT);
        FUZZ_ASSERT(act.reply.u.reject.reason == reason && !act.fault);
        return;
    }
    session_accept(&r->s, r->now);
    FUZZ_ASSERT(r->s.state == SESSION_ACCEPTED);
    r->accepted = true;
}

int FUZZ_SERVER_ENTRY(const uint8_t *data, size_t size)
{
    static fuzz_server_run r;
    fuzz_quiet_logs();
    fuzz_src ctl = {.data = data + (size > 0), .len = size > 0 ? data[0] : 0};
    if (ctl.len > size - (size > 0))
        ctl.len = size - (size > 0);
    const uint8_t *stream = data + (size > 0) + ctl.len;
    size_t stream_len = size - (size > 0) - ctl.len;

    memset(&r, 0, sizeof r);
    r.now = r.t0 = 1000;
    session_limits lim = {.handshake_timeout_ms = 5000, .silence_timeout_ms = 4000};
    session_init(&r.s, &lim, r.now);
    conn_init(&r.c, -1, "fuzz", FUZZ_SERVER_OUTBOX);

    size_t fed = 0;
    bool decide_late = false;
    uint8_t decide_how = 0;
    session_action act;
    for (int rounds = 0; r.s.state != SESSION_CLOSED && rounds < 100000; rounds++) {
        if (fed < stream_len) {
            size_t chunk = ctl.pos < ctl.len ? 1 + (size_t)fuzz_u8(&ctl) * 8 : stream_len - fed;
            if (chunk > stream_len - fed)
                chunk = stream_len - fed;
            fed += frame_reader_push(&r.c.reader, stream + fed, chunk);
        }
        r.now += ctl.pos < ctl.len ? (uint64_t)fuzz_u8(&ctl) * 8 : 16;

        if (decide_late) {
            fuzz_server_decide(&r, decide_how);
            decide_late = false;
        }
        for (int k = 0; k < FUZZ_SERVER_BUDGET && r.s.state != SESSION_CLOSED; k++) {
            session_state before = r.s.state;
            session_verdict v = session_next(&r.s, &r.c, r.now, &act);
            fuzz_server_check(&r, before, v, &act);
            if (v == SESSION_NONE)
                break;
            if (v == SESSION_HELLO) {
                uint8_t how = fuzz_u8(&ctl);
                if (how & 0x80) {
                    decide_late = true;
                    decide_how = how;
                    /* The game has not answered: nothing more is read. */
                    session_state st = r.s.state;
                    FUZZ_ASSERT(session_next(&r.s, &r.c, r.now, &act) == SESSION_NONE);
                    FUZZ_ASSERT(r.s.state == st);
                    break;
                }
                if (!proto_name_valid(act.msg.u.hello.name, act.msg.u.hello.name_len))
                    how = 3; /* as the game does: invalid name */
                fuzz_server_decide(&r, how);
            }
        }
        session_state before = r.s.state;
        fuzz_server_check(&r, before, session_check_time(&r.s, r.now, &act), &act);

        /* The message budget holds: burst plus the rate over the time passed. */
        uint64_t allowed = SESSION_MSG_BURST + (r.now - r.t0) * SESSION_MSG_RATE / 1000 + 1;
        FUZZ_ASSERT((uint64_t)r.consumed <= allowed);

        if (fed == stream_len && r.s.state != SESSION_CLOSED && !decide_late) {
            /* Stream over: whatever is buffered is a partial frame (or
             * the budget stopped us; go round again). Then EOF or the
             * clock must end the session. */
            session_state st = r.s.state;
            session_verdict v = session_next(&r.s, &r.c, r.now, &act);
            fuzz_server_check(&r, st, v, &act);
            if (v != SESSION_NONE)
                continue;
            if (fuzz_u8(&ctl) & 1) {
                st = r.s.state;
                v = session_on_eof(&r.s, r.c.reader.len > 0, &act);
                fuzz_server_check(&r, st, v, &act);
                FUZZ_ASSERT(v == SESSION_CLOSE && act.bye_reason == PROTO_BYE_CONNECTION_LOST);
            } else {
                r.now += 6000; /* past both deadlines */
                st = r.s.state;
                v = session_check_time(&r.s, r.now, &act);
                fuzz_server_check(&r, st, v, &act);
                FUZZ_ASSERT(v == SESSION_CLOSE && act.bye_reason == PROTO_BYE_TIMEOUT);
            }
        }
    }
    FUZZ_ASSERT(r.s.state == SESSION_CLOSED);
    /* Closed stays closed and silent. */
    FUZZ_ASSERT(session_next(&r.s, &r.c, r.now, &act) == SESSION_NONE);
    FUZZ_ASSERT(session_check_time(&r.s, r.now + 100000, &act) == SESSION_NONE);
    conn_close(&r.c);
    return 0;
}
