/*
 * test_proto_chat: the version 2 additions to the wire codec, field by
 * field: HELLO's token, colour and password, WELCOME's token, CHAT_SEND,
 * CHAT and PLAYER_INFO. Golden bytes pin the layout; every truncated
 * prefix and every out-of-range field is refused; proto_chat_valid is the
 * host's policy. (test_proto.c round-trips the same messages among its
 * samples and fuzzes them.)
 */
#include <string.h>

#include "check.h"
#include "log.h"
#include "proto.h"

static proto_msg chat_msg(uint8_t type, uint8_t from, const char *text)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    m.u.chat.from = from;
    m.u.chat.text_len = (uint8_t)strlen(text);
    memcpy(m.u.chat.text, text, m.u.chat.text_len + 1);
    return m;
}

/* Decoding each strict prefix of a valid encoding must say TRUNCATED (or
 * EMPTY for zero bytes), and one more byte must say TRAILING. */
static void expect_prefixes(const uint8_t *buf, size_t n, int line)
{
    proto_msg out;
    int bad = 0;
    for (size_t k = 0; k < n; k++)
        bad += proto_decode(buf, k, &out) != (k == 0 ? PROTO_ERR_EMPTY : PROTO_ERR_TRUNCATED);
    CHECK_MSG(bad == 0, "line %d: %d prefixes not refused as truncated", line, bad);
    uint8_t more[512];
    memcpy(more, buf, n);
    more[n] = 0x20;
    CHECK_MSG(proto_decode(more, n + 1, &out) == PROTO_ERR_TRAILING, "line %d: trailing byte accepted", line);
}

static void test_hello_v2(void)
{
    proto_msg h = proto_make_hello("Al");
    CHECK(h.u.hello.colour == PROTO_COLOUR_ANY && h.u.hello.token == 0 && h.u.hello.password_len == 0);
    h.u.hello.token = 0x1122334455667788u;
    h.u.hello.colour = 3;
    memcpy(h.u.hello.password, "pw", 3);
    h.u.hello.password_len = 2;
    static const uint8_t want[] = {0x01, 0x4C, 0x4E, 0x41, 0x52, 0x00, PROTO_VERSION, 0x02, 'A', 'l',
                                   0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 3, 2, 'p', 'w', 0};
    uint8_t buf[128];
    size_t n = proto_encode(&h, buf, sizeof buf);
    CHECK(n == sizeof want && memcmp(buf, want, sizeof want) == 0);
    proto_msg out;
    CHECK(proto_decode(want, sizeof want, &out) == PROTO_OK);
    CHECK(out.u.hello.token == 0x1122334455667788u && out.u.hello.colour == 3);
    CHECK(out.u.hello.password_len == 2 && strcmp(out.u.hello.password, "pw") == 0);
    CHECK(strcmp(out.u.hello.name, "Al") == 0);
    expect_prefixes(want, sizeof want, __LINE__);

    /* Ranges: colour, password length; encode refuses what decode would. */
    uint8_t bad[sizeof want];
    memcpy(bad, want, sizeof want);
    bad[18] = PROTO_COLOURS;
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    bad[18] = PROTO_COLOUR_ANY;
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_OK);
    bad[18] = PROTO_COLOURS - 1;
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_OK);
    memcpy(bad, want, sizeof want);
    bad[19] = PROTO_PASSWORD_MAX + 1;
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    /* A long password claimed with the bytes present is still a field error. */
    uint8_t big[sizeof want + 300];
    memcpy(big, want, 19);
    big[19] = 255;
    memset(big + 20, 'x', 255);
    CHECK(proto_decode(big, 20 + 255, &out) == PROTO_ERR_FIELD);

    proto_msg r = h;
    r.u.hello.colour = PROTO_COLOURS;
    CHECK(proto_encode(&r, buf, sizeof buf) == 0);
    r = h;
    r.u.hello.password_len = PROTO_PASSWORD_MAX + 1;
    CHECK(proto_encode(&r, buf, sizeof buf) == 0);
    /* A foreign version's HELLO carries none of it. */
    r = h;
    r.u.hello.version = PROTO_VERSION + 1;
    CHECK(proto_encode(&r, buf, sizeof buf) == 7);
}

static void test_welcome_token(void)
{
    proto_msg w;
    memset(&w, 0, sizeof w);
    w.type = PROTO_WELCOME;
    w.u.welcome = (proto_welcome){.player_id = 1, .tick_rate = 60, .max_players = 8, .arena_w = 768,
                                  .arena_h = 432, .server_tick = 5, .token = 0xA1B2C3D4E5F60718u};
    uint8_t buf[64];
    size_t n = proto_encode(&w, buf, sizeof buf);
    CHECK(n == 21);
    static const uint8_t tail[] = {0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18};
    CHECK(n == 21 && memcmp(buf + 13, tail, sizeof tail) == 0);
    proto_msg out;
    CHECK(proto_decode(buf, n, &out) == PROTO_OK && out.u.welcome.token == 0xA1B2C3D4E5F60718u);
    expect_prefixes(buf, n, __LINE__);
    /* Token 0: a host that offers no reconnect (ours always does). */
    w.u.welcome.token = 0;
    CHECK(proto_encode(&w, buf, sizeof buf) == 21);
    CHECK(proto_decode(buf, 21, &out) == PROTO_OK && out.u.welcome.token == 0);
}

static void test_chat(void)
{
    uint8_t buf[2 + 4 * PROTO_MAX_PLAYERS];
    proto_msg out;

    proto_msg s = chat_msg(PROTO_CHAT_SEND, 0, "hi!");
    static const uint8_t send[] = {0x10, 3, 'h', 'i', '!'};
    CHECK(proto_encode(&s, buf, sizeof buf) == sizeof send && memcmp(buf, send, sizeof send) == 0);
    CHECK(proto_decode(send, sizeof send, &out) == PROTO_OK && out.type == PROTO_CHAT_SEND);
    CHECK(out.u.chat.text_len == 3 && strcmp(out.u.chat.text, "hi!") == 0);
    expect_prefixes(send, sizeof send, __LINE__);

    proto_msg c = chat_msg(PROTO_CHAT, 7, "gg");
    static const uint8_t chat[] = {0x11, 7, 2, 'g', 'g'};
    CHECK(proto_encode(&c, buf, sizeof buf) == sizeof chat && memcmp(buf, chat, sizeof chat) == 0);
    CHECK(proto_decode(chat, sizeof chat, &out) == PROTO_OK && out.u.chat.from == 7);
    CHECK(strcmp(out.u.chat.text, "gg") == 0);
    expect_prefixes(chat, sizeof chat, __LINE__);

    /* From: a player id or the host. */
    uint8_t p[sizeof chat];
    memcpy(p, chat, sizeof chat);
    p[1] = PROTO_CHAT_FROM_HOST;
    CHECK(proto_decode(p, sizeof p, &out) == PROTO_OK && out.u.chat.from == PROTO_CHAT_FROM_HOST);
    p[1] = PROTO_MAX_PLAYERS;
    CHECK(proto_decode(p, sizeof p, &out) == PROTO_ERR_FIELD);
    c.u.chat.from = PROTO_MAX_PLAYERS;
    CHECK(proto_encode(&c, buf, sizeof buf) == 0);

    /* Empty text, and text past the codec bound, are refused both ways. */
    static const uint8_t empty[] = {0x10, 0};
    CHECK(proto_decode(empty, sizeof empty, &out) == PROTO_ERR_FIELD);
    s.u.chat.text_len = 0;
    CHECK(proto_encode(&s, buf, sizeof buf) == 0);
    uint8_t longer[2 + 255];
    longer[0] = PROTO_CHAT_SEND;
    longer[1] = PROTO_CHAT_WIRE_MAX + 1;
    memset(longer + 2, 'a', 255);
    CHECK(proto_decode(longer, 2 + PROTO_CHAT_WIRE_MAX + 1, &out) == PROTO_ERR_FIELD);
    longer[1] = PROTO_CHAT_WIRE_MAX;
    CHECK(proto_decode(longer, 2 + PROTO_CHAT_WIRE_MAX, &out) == PROTO_OK);
    s.u.chat.text_len = PROTO_CHAT_WIRE_MAX + 1;
    CHECK(proto_encode(&s, buf, sizeof buf) == 0);
    CHECK(strcmp(proto_type_name(PROTO_CHAT_SEND), "CHAT_SEND") == 0);
    CHECK(strcmp(proto_type_name(PROTO_CHAT), "CHAT") == 0);
}

static void test_player_info(void)
{
    uint8_t buf[2 + 4 * PROTO_MAX_PLAYERS];
    proto_msg out;
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_PLAYER_INFO;
    m.u.info.count = 2;
    m.u.info.entries[0] = (proto_player_info_entry){.id = 0, .ping_ms = 3, .flags = PROTO_PF_HOST};
    m.u.info.entries[1] = (proto_player_info_entry){.id = 9, .ping_ms = PROTO_PING_UNKNOWN, .flags = 0};
    static const uint8_t want[] = {0x12, 2, 0, 0x00, 0x03, 0x01, 9, 0xFF, 0xFF, 0x00};
    CHECK(proto_encode(&m, buf, sizeof buf) == sizeof want && memcmp(buf, want, sizeof want) == 0);
    CHECK(proto_decode(want, sizeof want, &out) == PROTO_OK && out.u.info.count == 2);
    CHECK(out.u.info.entries[0].flags == PROTO_PF_HOST && out.u.info.entries[1].ping_ms == PROTO_PING_UNKNOWN);
    expect_prefixes(want, sizeof want, __LINE__);

    uint8_t p[sizeof want];
    memcpy(p, want, sizeof want);
    p[6] = 0; /* id repeated */
    CHECK(proto_decode(p, sizeof p, &out) == PROTO_ERR_FIELD);
    memcpy(p, want, sizeof want);
    p[6] = PROTO_MAX_PLAYERS;
    CHECK(proto_decode(p, sizeof p, &out) == PROTO_ERR_FIELD);
    memcpy(p, want, sizeof want);
    p[5] = 0x04; /* unknown flag */
    CHECK(proto_decode(p, sizeof p, &out) == PROTO_ERR_FIELD);
    memcpy(p, want, sizeof want);
    p[1] = PROTO_MAX_PLAYERS + 1;
    CHECK(proto_decode(p, sizeof p, &out) == PROTO_ERR_FIELD);

    proto_msg r = m;
    r.u.info.entries[1].id = 0;
    CHECK(proto_encode(&r, buf, sizeof buf) == 0);
    r = m;
    r.u.info.count = PROTO_MAX_PLAYERS + 1;
    CHECK(proto_encode(&r, buf, sizeof buf) == 0);

    /* All PROTO_MAX_PLAYERS fit in one frame. */
    r.u.info.count = PROTO_MAX_PLAYERS;
    for (int i = 0; i < PROTO_MAX_PLAYERS; i++)
        r.u.info.entries[i] = (proto_player_info_entry){.id = (uint8_t)i, .ping_ms = (uint16_t)i};
    CHECK(proto_encode(&r, buf, sizeof buf) == 2 + 4 * PROTO_MAX_PLAYERS);
}

static void test_reject_password(void)
{
    const char *t = proto_reject_text(PROTO_REJECT_PASSWORD);
    CHECK(strstr(t, "password") != NULL);
    CHECK(strcmp(t, proto_reject_text(200)) != 0);
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_REJECT;
    m.u.reject.reason = PROTO_REJECT_PASSWORD;
    m.u.reject.server_version = PROTO_VERSION;
    uint8_t buf[16];
    proto_msg out;
    size_t n = proto_encode(&m, buf, sizeof buf);
    CHECK(n == 4 && proto_decode(buf, n, &out) == PROTO_OK && out.u.reject.reason == PROTO_REJECT_PASSWORD);
}

static void test_chat_policy(void)
{
    char max[PROTO_CHAT_MAX + 2];
    memset(max, 'a', sizeof max);
    CHECK(proto_chat_valid(max, PROTO_CHAT_MAX));
    CHECK(!proto_chat_valid(max, PROTO_CHAT_MAX + 1));
    CHECK(!proto_chat_valid("", 0));
    CHECK(!proto_chat_valid(NULL, 2));
    CHECK(!proto_chat_valid("   ", 3));
    CHECK(!proto_chat_valid("a\nb", 3));
    CHECK(!proto_chat_valid("a\x1b[2J", 5)); /* a terminal escape */
    CHECK(!proto_chat_valid("\xC3\x28", 2));
    CHECK(!proto_chat_valid("a\xC2\x85", 3));
    CHECK(proto_chat_valid("gg \xF0\x9F\x8E\xAE", 7));
    CHECK(proto_chat_valid("Caf\xC3\xA9 at 8?", 11));
    /* Names keep their own, shorter limit. */
    CHECK(proto_chat_valid("0123456789abcdefg", 17) && !proto_name_valid("0123456789abcdefg", 17));
}

/* Version 5: PLAYER_JOINED's proof, PLAYER_INFO's SILENT flag, HOST_PLAN. */
static void test_migration_v5(void)
{
    proto_msg j = {.type = PROTO_PLAYER_JOINED};
    j.u.joined.id = 2;
    j.u.joined.colour = 5;
    memcpy(j.u.joined.name, "Al", 3);
    j.u.joined.name_len = 2;
    j.u.joined.proof = 0x0102030405060708u;
    static const uint8_t jw[] = {0x06, 2, 5, 2, 'A', 'l', 1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t buf[128];
    size_t n = proto_encode(&j, buf, sizeof buf);
    CHECK(n == sizeof jw && memcmp(buf, jw, sizeof jw) == 0);
    proto_msg out;
    CHECK(proto_decode(jw, sizeof jw, &out) == PROTO_OK && out.u.joined.proof == 0x0102030405060708u);
    expect_prefixes(jw, sizeof jw, __LINE__);

    static const uint8_t info[] = {0x12, 1, 4, 0x00, 0x10, PROTO_PF_HOST | PROTO_PF_SILENT};
    CHECK(proto_decode(info, sizeof info, &out) == PROTO_OK && out.u.info.entries[0].flags == 3);

    proto_msg p = {.type = PROTO_HOST_PLAN};
    p.u.plan.flags = PROTO_PLAN_NOW;
    p.u.plan.port = 27960;
    p.u.plan.count = 2;
    p.u.plan.entries[0] = (proto_plan_entry){.id = 3, .addr = 0x0A4D0002};
    p.u.plan.entries[1] = (proto_plan_entry){.id = 9, .addr = 0xC0A80105};
    static const uint8_t pw[] = {0x14, 0x01, 0x6D, 0x38, 2, 3, 10, 77, 0, 2, 9, 192, 168, 1, 5};
    n = proto_encode(&p, buf, sizeof buf);
    CHECK(n == sizeof pw && memcmp(buf, pw, sizeof pw) == 0);
    CHECK(proto_decode(pw, sizeof pw, &out) == PROTO_OK && out.u.plan.count == 2 && out.u.plan.entries[1].addr == 0xC0A80105);
    expect_prefixes(pw, sizeof pw, __LINE__);
    uint8_t bad[sizeof pw];
    memcpy(bad, pw, sizeof pw);
    bad[1] = 0x02; /* unknown flag */
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    memcpy(bad, pw, sizeof pw);
    bad[2] = bad[3] = 0; /* port 0 */
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    memcpy(bad, pw, sizeof pw);
    bad[10] = 3; /* id repeated */
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    memcpy(bad, pw, sizeof pw);
    bad[5] = PROTO_MAX_PLAYERS;
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    memcpy(bad, pw, sizeof pw);
    bad[4] = PROTO_PLAN_MAX + 1;
    CHECK(proto_decode(bad, sizeof bad, &out) == PROTO_ERR_FIELD);
    p.u.plan.count = PROTO_PLAN_MAX + 1;
    CHECK(proto_encode(&p, buf, sizeof buf) == 0); /* nothing is sent that would be refused */
}

int main(void)
{
    log_set_level(LOG_ERROR); /* encode refusals are warnings; this test provokes them */
    test_hello_v2();
    test_welcome_token();
    test_chat();
    test_player_info();
    test_reject_password();
    test_chat_policy();
    test_migration_v5();
    return check_done("proto_chat");
}
