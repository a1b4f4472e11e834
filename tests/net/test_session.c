/*
 * session: the server's per-connection state machine, on a simulated
 * clock, with no sockets: bytes go straight into the conn's frame reader.
 * One check per rule: handshake, refusals, delivery, PING, GOODBYE, EOF,
 * both timeouts at their exact edges, and the message-flood budget.
 */
#include <string.h>

#include "check.h"
#include "conn.h"
#include "frame.h"
#include "log.h"
#include "proto.h"
#include "session.h"

static session s;
static conn c = {.fd = -1};
static session_action act;
static int feed_failures; /* counted, not CHECKed one by one */

static int silence_ms = 4000;

static void start(uint64_t now)
{
    session_limits lim = {.handshake_timeout_ms = 5000, .silence_timeout_ms = silence_ms};
    conn_close(&c);
    conn_init(&c, -1, "test", 64 * 1024);
    session_init(&s, &lim, now);
}

static void feed_msg(const proto_msg *m)
{
    uint8_t payload[FRAME_MAX_PAYLOAD], frame[FRAME_MAX_SIZE];
    size_t n = proto_encode(m, payload, sizeof payload);
    size_t f = frame_write(frame, sizeof frame, payload, n);
    if (f == 0 || frame_reader_push(&c.reader, frame, f) != f)
        feed_failures++;
}

static void feed_bytes(const void *b, size_t n)
{
    if (frame_reader_push(&c.reader, b, n) != n)
        feed_failures++;
}

static proto_msg input(uint32_t seq)
{
    proto_msg m = {.type = PROTO_INPUT};
    m.u.input.seq = seq;
    m.u.input.buttons = PROTO_BTN_LEFT;
    return m;
}

static void join(uint64_t now)
{
    start(now);
    proto_msg h = proto_make_hello("Alice");
    feed_msg(&h);
    CHECK(session_next(&s, &c, now, &act) == SESSION_HELLO);
    session_accept(&s, now);
    CHECK(s.state == SESSION_ACCEPTED);
}

int main(void)
{
    log_set_level(LOG_ERROR);

    /* A good handshake, then nothing is read until the game decides. */
    start(1000);
    CHECK(session_next(&s, &c, 1000, &act) == SESSION_NONE);
    proto_msg h = proto_make_hello("Alice");
    feed_msg(&h);
    proto_msg in = input(1);
    feed_msg(&in);
    CHECK(session_next(&s, &c, 1001, &act) == SESSION_HELLO);
    CHECK(s.state == SESSION_PENDING && act.msg.type == PROTO_HELLO);
    CHECK(strcmp(act.msg.u.hello.name, "Alice") == 0);
    CHECK(session_next(&s, &c, 1002, &act) == SESSION_NONE); /* INPUT waits */
    session_accept(&s, 1003);
    CHECK(session_next(&s, &c, 1004, &act) == SESSION_DELIVER);
    CHECK(act.msg.type == PROTO_INPUT && act.msg.u.input.seq == 1);

    /* PING is answered, PONG ignored, GOODBYE(QUIT) closes without fault. */
    proto_msg ping = {.type = PROTO_PING};
    ping.u.ping.token = 77;
    feed_msg(&ping);
    CHECK(session_next(&s, &c, 1005, &act) == SESSION_REPLY);
    CHECK(act.has_reply && act.reply.type == PROTO_PONG && act.reply.u.ping.token == 77);
    proto_msg pong = {.type = PROTO_PONG};
    feed_msg(&pong);
    CHECK(session_next(&s, &c, 1006, &act) == SESSION_IGNORED);
    proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
    feed_msg(&bye);
    CHECK(session_next(&s, &c, 1007, &act) == SESSION_CLOSE);
    CHECK(!act.fault && !act.has_reply && act.bye_reason == PROTO_BYE_QUIT);
    CHECK(s.state == SESSION_CLOSED);
    CHECK(session_check_time(&s, 999999, &act) == SESSION_NONE);

    /* A peer cannot claim to have been kicked: only the host kicks. */
    for (uint8_t r = PROTO_BYE_KICKED; r <= PROTO_BYE_KICKED_BY_HOST; r += PROTO_BYE_KICKED_BY_HOST - PROTO_BYE_KICKED) {
        start(2000);
        h = proto_make_hello("Eve");
        feed_msg(&h);
        CHECK(session_next(&s, &c, 2001, &act) == SESSION_HELLO);
        session_accept(&s, 2002);
        bye = proto_make_goodbye(r);
        feed_msg(&bye);
        CHECK(session_next(&s, &c, 2003, &act) == SESSION_CLOSE);
        CHECK_MSG(act.bye_reason == PROTO_BYE_QUIT && strstr(act.why, "GOODBYE") != NULL,
                  "a peer's GOODBYE(%u) closed with reason %u", r, act.bye_reason);
    }

    /* Refusals carry a REJECT with the reason. */
    start(0);
    h = proto_make_hello("Bob");
    h.u.hello.magic = 0x12345678;
    feed_msg(&h);
    CHECK(session_next(&s, &c, 1, &act) == SESSION_CLOSE);
    CHECK(act.has_reply && act.reply.type == PROTO_REJECT && act.reply.u.reject.reason == PROTO_REJECT_BAD_MAGIC);
    CHECK(strstr(act.why, "not a LAN Arena client") != NULL && !act.fault);
    start(0);
    h = proto_make_hello("Bob");
    h.u.hello.version = PROTO_VERSION + 1;
    feed_msg(&h);
    CHECK(session_next(&s, &c, 1, &act) == SESSION_CLOSE);
    CHECK(act.reply.type == PROTO_REJECT && act.reply.u.reject.reason == PROTO_REJECT_VERSION);
    start(0);
    h = proto_make_hello("Bob");
    feed_msg(&h);
    CHECK(session_next(&s, &c, 1, &act) == SESSION_HELLO);
    CHECK(session_reject(&s, PROTO_REJECT_NAME_TAKEN, &act) == SESSION_CLOSE);
    CHECK(act.reply.type == PROTO_REJECT && act.reply.u.reject.reason == PROTO_REJECT_NAME_TAKEN);
    CHECK(s.state == SESSION_CLOSED);

    /* Broken streams: a fault with GOODBYE(PROTOCOL_ERROR) and the reason. */
    start(0);
    feed_bytes("\x00\x00", 2);
    CHECK(session_next(&s, &c, 1, &act) == SESSION_CLOSE);
    CHECK(act.fault && act.has_reply && act.reply.type == PROTO_GOODBYE);
    CHECK(act.bye_reason == PROTO_BYE_PROTOCOL_ERROR && strcmp(act.why, "frame length 0") == 0);
    start(0);
    in = input(1);
    feed_msg(&in);
    CHECK(session_next(&s, &c, 1, &act) == SESSION_CLOSE);
    CHECK(strcmp(act.why, "expected HELLO, got INPUT") == 0);
    join(0);
    h = proto_make_hello("Alice");
    feed_msg(&h);
    CHECK(session_next(&s, &c, 1, &act) == SESSION_CLOSE);
    CHECK(strstr(act.why, "second HELLO") != NULL);
    join(0);
    feed_bytes("\x00\x0A\x04\x00", 4); /* a cut INPUT */
    CHECK(session_next(&s, &c, 1, &act) == SESSION_NONE);
    CHECK(session_on_eof(&s, c.reader.len > 0, &act) == SESSION_CLOSE);
    CHECK(act.bye_reason == PROTO_BYE_CONNECTION_LOST && strstr(act.why, "middle of a frame") != NULL);

    /* Deadlines, to the millisecond: HELLO within 5000, silence 4000. */
    start(100);
    CHECK(session_check_time(&s, 5099, &act) == SESSION_NONE);
    CHECK(session_check_time(&s, 5100, &act) == SESSION_CLOSE);
    CHECK(act.bye_reason == PROTO_BYE_TIMEOUT && strcmp(act.why, "no HELLO within 5000 ms") == 0);
    start(100);
    h = proto_make_hello("Slow");
    feed_msg(&h);
    CHECK(session_next(&s, &c, 200, &act) == SESSION_HELLO);
    CHECK(session_check_time(&s, 5100, &act) == SESSION_CLOSE); /* the game never answered */
    CHECK(strstr(act.why, "not accepted or rejected") != NULL);
    join(1000);
    CHECK(session_check_time(&s, 4999, &act) == SESSION_NONE);
    in = input(1);
    feed_msg(&in);
    CHECK(session_next(&s, &c, 3000, &act) == SESSION_DELIVER); /* the clock restarts */
    CHECK(session_check_time(&s, 6999, &act) == SESSION_NONE);
    CHECK(session_check_time(&s, 7000, &act) == SESSION_CLOSE);
    CHECK(strstr(act.why, "silent for 4000 ms") != NULL);

    /* The flood budget: a burst of SESSION_MSG_BURST at one instant is
     * fine (HELLO included), one more is not. */
    join(0);
    int delivered = 1; /* the HELLO */
    bool kicked = false;
    for (uint32_t i = 1; i <= SESSION_MSG_BURST + 5 && !kicked; i++) {
        in = input(i);
        feed_msg(&in);
        session_verdict v = session_next(&s, &c, 0, &act);
        if (v == SESSION_DELIVER)
            delivered++;
        kicked = v == SESSION_CLOSE;
    }
    CHECK_MSG(delivered == SESSION_MSG_BURST, "%d delivered before the kick", delivered);
    CHECK(kicked && act.bye_reason == PROTO_BYE_KICKED && act.fault);
    CHECK(strstr(act.why, "message flood") != NULL);
    /* A longer silence limit allows a longer stall's worth at once: a
     * client silent for 10 s sent ~620 messages meanwhile. */
    silence_ms = 10000;
    join(0);
    delivered = 1;
    kicked = false;
    for (uint32_t i = 1; i <= 1000 && !kicked; i++) {
        in = input(i);
        feed_msg(&in);
        session_verdict v = session_next(&s, &c, 0, &act);
        if (v == SESSION_DELIVER)
            delivered++;
        kicked = v == SESSION_CLOSE;
    }
    CHECK_MSG(delivered == 10 * SESSION_STALL_MSGS + 100, "%d delivered before the kick", delivered);
    CHECK(kicked && strstr(act.why, "burst 740") != NULL);
    silence_ms = 4000;
    /* A steady stream just under the rate, for a minute, never is. */
    join(0);
    uint64_t now = 0;
    kicked = false;
    int period_us = 1000000 / (SESSION_MSG_RATE - 10);
    for (uint32_t i = 1; i <= 60u * (SESSION_MSG_RATE - 10) && !kicked; i++) {
        now = (uint64_t)i * (uint64_t)period_us / 1000;
        in = input(i);
        feed_msg(&in);
        kicked = session_next(&s, &c, now, &act) != SESSION_DELIVER;
    }
    CHECK_MSG(!kicked, "kicked at %llu ms: %s", (unsigned long long)now, act.why);
    /* Over the rate for long enough, it is. */
    kicked = false;
    for (uint32_t i = 1; i <= 100000 && !kicked; i++) {
        now += (i % 2) * 3; /* two messages every 3 ms: 667/s */
        in = input(100000 + i);
        feed_msg(&in);
        kicked = session_next(&s, &c, now, &act) == SESSION_CLOSE;
    }
    CHECK(kicked && strstr(act.why, "message flood") != NULL);

    CHECK_MSG(feed_failures == 0, "%d messages could not be fed", feed_failures);
    conn_close(&c);
    return check_done("test_session");
}
