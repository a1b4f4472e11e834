/*
 * test_proto_table: the message table in proto.c. Every message type has
 * a name and size bounds and nothing else does; each bound is reached
 * exactly by a message built at that limit; and no payload outside the
 * bounds of its type decodes, in seeded random bytes of every length
 * around them.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "log.h"
#include "proto.h"

#include "testrng.h"

static const uint8_t known[] = {
    PROTO_HELLO, PROTO_WELCOME, PROTO_REJECT, PROTO_INPUT, PROTO_SNAPSHOT,
    PROTO_PLAYER_JOINED, PROTO_PLAYER_LEFT, PROTO_PING, PROTO_PONG, PROTO_GOODBYE,
    PROTO_SNAPSHOT_DELTA, PROTO_KEEPALIVE, PROTO_CHAT_SEND, PROTO_CHAT, PROTO_PLAYER_INFO, PROTO_RATE,
    PROTO_HOST_PLAN, PROTO_MATCH, PROTO_EVENT,
};
#define KNOWN_COUNT (sizeof known / sizeof known[0])

static bool is_known(int type)
{
    for (size_t i = 0; i < KNOWN_COUNT; i++)
        if (known[i] == type)
            return true;
    return false;
}

static void test_every_type_has_a_row(void)
{
    for (int t = 0; t < 256; t++) {
        size_t min = 0, max = 0;
        bool has = proto_wire_bounds((uint8_t)t, &min, &max);
        CHECK_MSG(has == is_known(t), "type 0x%02X: bounds %d, known %d", t, has, is_known(t));
        CHECK_MSG((strcmp(proto_type_name((uint8_t)t), "unknown") != 0) == is_known(t), "type 0x%02X: name %s", t,
                  proto_type_name((uint8_t)t));
        if (has) {
            CHECK_MSG(2 <= min + 1 && min <= max && max <= PROTO_MAX_MESSAGE_SIZE, "type 0x%02X: %zu..%zu", t, min,
                      max);
            CHECK(proto_msg_size((uint8_t)t) < sizeof(proto_msg) || t == PROTO_SNAPSHOT ||
                  t == PROTO_SNAPSHOT_DELTA);
        } else {
            CHECK(proto_msg_size((uint8_t)t) == sizeof(proto_msg));
        }
    }
}

/* A message of this type at its smallest (all counts and lengths at their
 * lower limit) or at its largest (every count, length and varint at its
 * limit). */
static proto_msg build(uint8_t type, bool largest)
{
    static proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    switch (type) {
    case PROTO_HELLO:
        if (largest) {
            m.u.hello = (proto_hello){.magic = PROTO_MAGIC, .version = PROTO_VERSION, .colour = 1,
                                      .name_len = PROTO_NAME_WIRE_MAX, .password_len = PROTO_PASSWORD_MAX};
            memset(m.u.hello.name, 'n', PROTO_NAME_WIRE_MAX);
            memset(m.u.hello.password, 'p', PROTO_PASSWORD_MAX);
        } else {
            m.u.hello.magic = PROTO_MAGIC;
            m.u.hello.version = PROTO_VERSION + 1; /* foreign: the head alone */
        }
        break;
    case PROTO_WELCOME:
        m.u.welcome.tick_rate = 60;
        m.u.welcome.max_players = 1;
        break;
    case PROTO_REJECT:
        m.u.reject.reason = PROTO_REJECT_FULL;
        break;
    case PROTO_INPUT:
        if (largest)
            m.u.input.history_len = PROTO_INPUT_HISTORY;
        break;
    case PROTO_RATE:
        m.u.rate.snapshot_hz = largest ? PROTO_SNAPSHOT_HZ_MAX : 1;
        break;
    case PROTO_PLAYER_LEFT:
        m.u.left.reason = PROTO_BYE_QUIT;
        break;
    case PROTO_GOODBYE:
        m.u.goodbye.reason = PROTO_BYE_QUIT;
        break;
    case PROTO_KEEPALIVE:
        m.u.keepalive.base_age = 1;
        break;
    case PROTO_SNAPSHOT:
        if (largest) {
            m.u.snapshot.player_count = PROTO_MAX_PLAYERS;
            for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
                m.u.snapshot.players[i].id = (uint8_t)i;
            m.u.snapshot.gem_count = PROTO_MAX_GEMS;
        }
        break;
    case PROTO_SNAPSHOT_DELTA:
        m.u.delta.base_age = 1;
        if (largest) {
            m.u.delta.ack_seq = UINT32_MAX; /* 5-byte varint */
            m.u.delta.entry_count = PROTO_MAX_PLAYERS;
            for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
                m.u.delta.entries[i] = (proto_delta_entry){
                    .id = (uint8_t)i, .fields = 0x1FF, .x = INT32_MIN, .y = INT32_MIN, .vx = INT16_MIN,
                    .vy = INT16_MIN, .score = UINT16_MAX};
            m.u.delta.gem_count = PROTO_MAX_GEMS;
            m.u.delta.gem_changed = 0xFF;
        }
        break;
    case PROTO_PLAYER_JOINED:
        if (largest) {
            m.u.joined.name_len = PROTO_NAME_WIRE_MAX;
            memset(m.u.joined.name, 'n', PROTO_NAME_WIRE_MAX);
        }
        break;
    case PROTO_CHAT_SEND:
    case PROTO_CHAT:
        m.u.chat.text_len = largest ? PROTO_CHAT_WIRE_MAX : 1;
        memset(m.u.chat.text, 't', m.u.chat.text_len);
        break;
    case PROTO_PLAYER_INFO:
        if (largest) {
            m.u.info.count = PROTO_MAX_PLAYERS;
            for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
                m.u.info.entries[i].id = (uint8_t)i;
        }
        break;
    case PROTO_HOST_PLAN:
        m.u.plan.port = 1;
        if (largest) {
            m.u.plan.count = PROTO_PLAN_MAX;
            for (int i = 0; i < PROTO_PLAN_MAX; i++)
                m.u.plan.entries[i].id = (uint8_t)i;
        }
        break;
    case PROTO_EVENT:
        m.u.event.kind = PROTO_EV_PICKUP; /* fixed size: 0 is no kind */
        break;
    }
    return m;
}

static void test_bounds_are_reached(void)
{
    static uint8_t buf[PROTO_MAX_MESSAGE_SIZE + 16];
    static proto_msg back;
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        size_t min = 0, max = 0;
        proto_wire_bounds(known[i], &min, &max);
        for (int largest = 0; largest <= 1; largest++) {
            proto_msg m = build(known[i], largest);
            size_t n = proto_encode(&m, buf, sizeof buf);
            size_t want = largest ? max : min;
            CHECK_MSG(n == want, "%s %s: encodes to %zu bytes, the table says %zu", proto_type_name(known[i]),
                      largest ? "largest" : "smallest", n, want);
            CHECK_MSG(proto_decode(buf, n, &back) == PROTO_OK, "%s %s does not decode", proto_type_name(known[i]),
                      largest ? "largest" : "smallest");
        }
    }
    /* The largest messages are the ones PROTO_MAX_MESSAGE_SIZE names. */
    size_t min, snap_max, delta_max;
    proto_wire_bounds(PROTO_SNAPSHOT, &min, &snap_max);
    proto_wire_bounds(PROTO_SNAPSHOT_DELTA, &min, &delta_max);
    CHECK(snap_max == PROTO_SNAPSHOT_MAX_SIZE && delta_max == PROTO_DELTA_MAX_SIZE);
}

/* Random payloads of every length from 1 to max + 8: whatever decodes
 * lies within its type's bounds (a foreign HELLO only above its min). */
static void test_nothing_outside_bounds_decodes(void)
{
    static uint8_t buf[PROTO_MAX_MESSAGE_SIZE + 16];
    static proto_msg m;
    rng_state = 0x7AB1E5EEDull;
    int decoded = 0, outside = 0;
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        size_t min = 0, max = 0;
        proto_wire_bounds(known[i], &min, &max);
        size_t top = max + 8 < 300 ? max + 8 : 300; /* random long bodies almost never decode */
        for (size_t len = 1; len <= top; len++) {
            for (int k = 0; k < 200; k++) {
                for (size_t b = 0; b < len; b++)
                    buf[b] = (uint8_t)(rng_next() % 4 == 0 ? rng_next() : 0);
                buf[0] = known[i];
                if (known[i] == PROTO_HELLO && len >= 7 && k % 2) {
                    memcpy(buf + 1, "LNAR", 4);
                    buf[5] = 0, buf[6] = PROTO_VERSION;
                }
                if (proto_decode(buf, len, &m) != PROTO_OK)
                    continue;
                decoded++;
                bool foreign = known[i] == PROTO_HELLO &&
                               (m.u.hello.magic != PROTO_MAGIC || m.u.hello.version != PROTO_VERSION);
                if (len < min || (len > max && !foreign)) {
                    outside++;
                    fprintf(stderr, "%s of %zu bytes decoded; bounds %zu..%zu\n", proto_type_name(known[i]), len,
                            min, max);
                }
            }
        }
    }
    CHECK(outside == 0);
    CHECK_MSG(decoded > 1000, "only %d random payloads decoded", decoded);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    test_every_type_has_a_row();
    test_bounds_are_reached();
    test_nothing_outside_bounds_decodes();
    return check_done("test_proto_table");
}
