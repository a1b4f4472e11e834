/* LAN discovery: the codec (round trips, every truncation, garbage), the
 * game list, the answer budget, and a real responder and search talking
 * over 127.0.0.1 only (never a broadcast from this namespace). */
#include <stdatomic.h>
#include <SDL.h>
#include <SDL_net.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "discovery.h"
#include "proto.h"
#include "sock.h"

#define GAME_ID 0x0123456789ABCDEFull

/* The tests' clock for the search: microseconds, monotonic. */
static uint64_t now_us(void)
{
    uint64_t c = SDL_GetPerformanceCounter(), f = SDL_GetPerformanceFrequency();
    return c / f * 1000000 + c % f * 1000000 / f;
}

static discovery_msg answer(const char *name, uint8_t players, uint8_t max)
{
    discovery_msg m;
    memset(&m, 0, sizeof m);
    m.type = DISCOVERY_ANSWER;
    m.version = DISCOVERY_VERSION;
    m.game_id = GAME_ID;
    m.nonce = 0xA1B2C3D4u;
    m.game_version = PROTO_VERSION;
    m.game_port = 27960;
    m.players = players;
    m.max_players = max;
    snprintf(m.name, sizeof m.name, "%s", name);
    return m;
}

static void test_codec(void)
{
    uint8_t buf[128];
    discovery_msg out;

    /* Query: fixed size, at least as large as any answer. */
    discovery_msg q = discovery_make_query(0x01020304u);
    size_t n = discovery_encode(&q, buf, sizeof buf);
    CHECK(n == DISCOVERY_QUERY_SIZE);
    CHECK(DISCOVERY_ANSWER_MAX <= DISCOVERY_QUERY_SIZE);
    CHECK(buf[0] == 'L' && buf[1] == 'N' && buf[2] == 'A' && buf[3] == 'D' && buf[4] == DISCOVERY_VERSION);
    CHECK(buf[5] == DISCOVERY_QUERY && buf[6] == 1 && buf[7] == 2 && buf[8] == 3 && buf[9] == 4);
    CHECK(discovery_decode(buf, n, &out) == DISCOVERY_OK);
    CHECK(out.type == DISCOVERY_QUERY && out.nonce == 0x01020304u && out.version == DISCOVERY_VERSION);
    for (size_t k = 0; k < n; k++)
        CHECK_MSG(discovery_decode(buf, k, &out) != DISCOVERY_OK, "query prefix %zu", k);

    /* Answer, version 2: the table's byte layout, then a round trip. */
    discovery_msg a = answer("Zoë", 3, 8);
    a.flags = DISCOVERY_FLAG_PASSWORD;
    n = discovery_encode(&a, buf, sizeof buf);
    size_t zn = strlen("Zoë");
    CHECK(n == DISCOVERY_ANSWER_FIXED + zn);
    CHECK(buf[4] == 2 && buf[5] == DISCOVERY_ANSWER && buf[10] == 0 && buf[11] == PROTO_VERSION);
    CHECK(buf[12] == (27960 >> 8) && buf[13] == (27960 & 0xFF) && buf[14] == 3 && buf[15] == 8);
    CHECK(buf[16] == zn && memcmp(buf + 17, "Zoë", zn) == 0);
    static const uint8_t id_bytes[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
    CHECK(memcmp(buf + 17 + zn, id_bytes, 8) == 0 && buf[25 + zn] == DISCOVERY_FLAG_PASSWORD);
    CHECK(discovery_decode(buf, n, &out) == DISCOVERY_OK);
    CHECK(out.type == DISCOVERY_ANSWER && out.nonce == a.nonce && out.game_version == PROTO_VERSION);
    CHECK(out.game_port == 27960 && out.players == 3 && out.max_players == 8 && strcmp(out.name, "Zoë") == 0);
    CHECK(out.version == 2 && out.game_id == GAME_ID && out.flags == DISCOVERY_FLAG_PASSWORD);
    for (size_t k = 0; k < n; k++)
        CHECK_MSG(discovery_decode(buf, k, &out) != DISCOVERY_OK, "answer prefix %zu", k);
    /* The version 2 fields cut short: truncated, never read as version 1
     * (a version 2 answer cut to the version 1 length says version 2). */
    CHECK(discovery_decode(buf, n - 1, &out) == DISCOVERY_ERR_TRUNCATED);
    CHECK(discovery_decode(buf, n - 5, &out) == DISCOVERY_ERR_TRUNCATED);
    CHECK(discovery_decode(buf, DISCOVERY_ANSWER_V1_FIXED + zn, &out) == DISCOVERY_ERR_TRUNCATED);
    /* Game id 0 means "no id": not in a version 2 answer. */
    uint8_t noid[128];
    memcpy(noid, buf, n);
    memset(noid + 17 + zn, 0, 8);
    CHECK(discovery_decode(noid, n, &out) == DISCOVERY_ERR_FIELD);
    a.game_id = 0;
    CHECK(discovery_encode(&a, noid, sizeof noid) == 0);

    /* Answer, version 1 (an older host): as it always was, and it decodes
     * with no id and no flags. The bytes are written out by hand. */
    static const uint8_t v1[] = {'L', 'N', 'A', 'D', 1, DISCOVERY_ANSWER, 0xA1, 0xB2, 0xC3, 0xD4, 0, 7,
                                 0x6D, 0x60, 2, 6, 3, 'O', 'l', 'd'};
    CHECK(discovery_decode(v1, sizeof v1, &out) == DISCOVERY_OK);
    CHECK(out.version == 1 && out.game_id == 0 && out.flags == 0 && out.game_version == 7);
    CHECK(out.game_port == 28000 && out.players == 2 && out.max_players == 6 && strcmp(out.name, "Old") == 0);
    for (size_t k = 0; k < sizeof v1; k++)
        CHECK_MSG(discovery_decode(v1, k, &out) != DISCOVERY_OK, "v1 answer prefix %zu", k);
    /* ... and re-encodes to the same bytes: the encoder writes version 1
     * for a version 1 message (and refuses one carrying an id or flags). */
    discovery_decode(v1, sizeof v1, &out);
    CHECK(discovery_encode(&out, buf, sizeof buf) == sizeof v1 && memcmp(buf, v1, sizeof v1) == 0);
    uint8_t v1x[sizeof v1 + 1];
    memcpy(v1x, v1, sizeof v1);
    v1x[sizeof v1] = 0;
    CHECK(discovery_decode(v1x, sizeof v1x, &out) == DISCOVERY_ERR_TRAILING);
    a = answer("Old", 2, 6);
    a.version = 1;
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0); /* an id has no place in version 1 */
    a.game_id = 0;
    a.flags = 1;
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0);
    a.flags = 0;
    CHECK(discovery_encode(&a, buf, sizeof buf) == sizeof v1 && buf[4] == 1);

    /* Longest name fits; the encoder refuses a buffer one byte short. */
    a = answer("0123456789abcdef", 0, 64);
    n = discovery_encode(&a, buf, sizeof buf);
    CHECK(n == DISCOVERY_ANSWER_MAX);
    CHECK(discovery_encode(&a, buf, n - 1) == 0);
    CHECK(discovery_encode(&q, buf, DISCOVERY_QUERY_SIZE - 1) == 0);

    /* Trailing bytes: an error in this version, skipped in a later one
     * (which may only append), so an old asker still lists a new host. */
    a = answer("host", 1, 4);
    n = discovery_encode(&a, buf, sizeof buf);
    buf[n] = 0x77;
    CHECK(discovery_decode(buf, n + 1, &out) == DISCOVERY_ERR_TRAILING);
    buf[4] = DISCOVERY_VERSION + 1;
    CHECK(discovery_decode(buf, n + 1, &out) == DISCOVERY_OK && out.version == DISCOVERY_VERSION + 1 &&
          strcmp(out.name, "host") == 0 && out.game_id == GAME_ID);
    n = discovery_encode(&q, buf, sizeof buf);
    CHECK(discovery_decode(buf, n + 1, &out) == DISCOVERY_ERR_TRAILING);
    buf[4] = 0;
    CHECK(discovery_decode(buf, n, &out) == DISCOVERY_ERR_VERSION);

    /* Each field out of range, on the wire and at the encoder. */
    a = answer("host", 1, 4);
    n = discovery_encode(&a, buf, sizeof buf);
    uint8_t bad[128];
    memcpy(bad, buf, n);
    bad[0] = 'X';
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_MAGIC);
    memcpy(bad, buf, n);
    bad[5] = 9;
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_TYPE);
    memcpy(bad, buf, n);
    bad[12] = bad[13] = 0; /* port 0 */
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_FIELD);
    memcpy(bad, buf, n);
    bad[14] = 5; /* players > max */
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_FIELD);
    memcpy(bad, buf, n);
    bad[15] = 0; /* max 0 */
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_FIELD);
    memcpy(bad, buf, n);
    bad[16] = 0; /* empty name */
    CHECK(discovery_decode(bad, 17, &out) == DISCOVERY_ERR_NAME);
    memcpy(bad, buf, n);
    bad[16] = 200; /* name longer than the limit: refused before any copy */
    CHECK(discovery_decode(bad, sizeof bad, &out) == DISCOVERY_ERR_NAME);
    memcpy(bad, buf, n);
    bad[17 + 1] = '\n'; /* a newline could forge a --list-lan line */
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_NAME);
    memcpy(bad, buf, n);
    bad[17] = 0xC3; /* broken UTF-8 */
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_NAME);
    memcpy(bad, buf, n);
    bad[17 + 2] = '\0'; /* a NUL would hide the rest of the name */
    CHECK(discovery_decode(bad, n, &out) == DISCOVERY_ERR_NAME);

    a = answer("host", 5, 4);
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0);
    a = answer("", 0, 4);
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0);
    a = answer("tab\there", 0, 4);
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0);
    a = answer("host", 0, 4);
    a.game_port = 0;
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0);
    a.type = 7;
    CHECK(discovery_encode(&a, buf, sizeof buf) == 0);
    for (int e = DISCOVERY_OK; e <= DISCOVERY_ERR_NAME; e++)
        CHECK(strlen(discovery_error_text((discovery_error)e)) > 1);
}

/* Random bytes, and random mutations of valid packets: never a crash, and
 * whatever decodes as version 1 re-encodes to the same bytes. */
static void test_garbage(void)
{
    uint32_t seed = 12345;
    int accepted = 0, mismatched = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint8_t buf[96];
        size_t len;
        seed = seed * 1103515245u + 12345u;
        if (iter % 2 == 0) {
            discovery_msg m = iter % 4 == 0 ? discovery_make_query(seed) : answer("Gem Hunter", 2, 9);
            len = discovery_encode(&m, buf, sizeof buf);
            int flips = 1 + (int)(seed >> 28) % 3;
            for (int f = 0; f < flips; f++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 8) % len] = (uint8_t)(seed >> 16);
            }
            seed = seed * 1103515245u + 12345u;
            if (seed % 5 == 0)
                len = (seed >> 8) % (len + 1);
        } else {
            len = (seed >> 8) % sizeof buf;
            for (size_t k = 0; k < len; k++) {
                seed = seed * 1103515245u + 12345u;
                buf[k] = (uint8_t)(seed >> 16);
            }
        }
        discovery_msg out;
        if (discovery_decode(buf, len, &out) == DISCOVERY_OK) {
            accepted++;
            if (out.version <= DISCOVERY_VERSION && out.type == DISCOVERY_ANSWER) {
                uint8_t again[96];
                size_t n2 = discovery_encode(&out, again, sizeof again);
                if (n2 != len || memcmp(again, buf, len) != 0)
                    mismatched++;
            }
        }
    }
    CHECK(accepted > 0);
    CHECK_MSG(mismatched == 0, "%d decoded answers re-encode differently", mismatched);
}

static discovery_game game(const char *addr, uint16_t port, uint64_t seen)
{
    discovery_game g;
    memset(&g, 0, sizeof g);
    snprintf(g.addr, sizeof g.addr, "%s", addr);
    g.game_port = port;
    g.game_version = PROTO_VERSION;
    g.players = 1;
    g.max_players = 4;
    snprintf(g.name, sizeof g.name, "%s", "Zoë");
    g.ping_us = -1;
    g.seen_us = seen;
    return g;
}

/* An answer with a game id, heard at `seen` after a round trip of rtt_us. */
static discovery_game game_id(const char *addr, uint64_t id, bool near, int64_t rtt_us, uint64_t seen)
{
    discovery_game g = game(addr, 27960, seen);
    g.game_id = id;
    g.near = near;
    g.ping_us = rtt_us;
    g.ping_at_us = seen;
    return g;
}

/* One host answering from several interfaces is one game; which address
 * it keeps; the lowest recent ping. */
static void test_merge_by_id(void)
{
    discovery_game list[8];
    int n = 0;
    /* Three answers, three addresses, one id: one entry, dialing the first. */
    discovery_game g = game_id("192.168.1.20", 77, true, 900, 1000);
    n = discovery_games_merge(list, n, 8, &g);
    g = game_id("172.17.0.1", 77, true, 300, 1100);
    g.players = 3;
    g.locked = true;
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 1 && list[0].players == 3 && list[0].locked);
    g = game_id("10.8.0.1", 77, false, 200, 1200);
    g.players = 4;
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 1);
    CHECK(strcmp(list[0].addr, "192.168.1.20") == 0 && list[0].ping_us == 900);
    /* The newest answer's details, whatever address it came from. */
    CHECK(list[0].players == 4 && !list[0].locked && list[0].seen_us == 1200);

    /* Two ids: two games, even from one address on two ports. */
    g = game_id("192.168.1.20", 78, true, 500, 1300);
    g.game_port = 27970;
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 2 && list[1].game_id == 78);

    /* An address off the asker's subnets gives way to one on them. */
    n = 0;
    g = game_id("10.8.0.1", 5, false, 100, 1000);
    n = discovery_games_merge(list, n, 8, &g);
    g = game_id("192.168.1.20", 5, true, 700, 1100);
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 1 && strcmp(list[0].addr, "192.168.1.20") == 0 && list[0].near && list[0].ping_us == 700);
    g = game_id("10.8.0.1", 5, false, 50, 1200); /* and does not take it back */
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 1 && strcmp(list[0].addr, "192.168.1.20") == 0 && list[0].ping_us == 700);

    /* Ping: the lowest recent figure to the kept address. */
    g = game_id("192.168.1.20", 5, true, 400, 2000);
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(list[0].ping_us == 400);
    g = game_id("192.168.1.20", 5, true, 9000, 3000); /* one slow answer */
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(list[0].ping_us == 400 && list[0].seen_us == 3000);
    g = game_id("192.168.1.20", 5, true, -1, 3500); /* no figure */
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(list[0].ping_us == 400);
    /* Older than the window: the next figure stands, even if higher. */
    uint64_t later = 2000 + DISCOVERY_PING_WINDOW_US + 1;
    g = game_id("192.168.1.20", 5, true, 6000, later);
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(list[0].ping_us == 6000 && list[0].ping_at_us == later);
    CHECK(discovery_game_ping_ms(&list[0]) == 6);
    list[0].ping_us = 499;
    CHECK(discovery_game_ping_ms(&list[0]) == 0);
    list[0].ping_us = -1;
    CHECK(discovery_game_ping_ms(&list[0]) == -1);

    /* Version 1 answers (no id) still merge by addr:port. */
    n = 0;
    g = game("10.0.0.1", 27960, 100);
    n = discovery_games_merge(list, n, 8, &g);
    g = game("10.0.0.1", 27960, 200);
    n = discovery_games_merge(list, n, 8, &g);
    g = game("10.0.0.2", 27960, 300);
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 2);
    /* A host that restarted at an address with a new id replaces the old
     * game there rather than listing both. */
    g = game_id("10.0.0.1", 99, true, 300, 400);
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 2 && list[0].game_id == 99);
    g = game_id("10.0.0.1", 100, true, 300, 500);
    n = discovery_games_merge(list, n, 8, &g);
    CHECK(n == 2 && list[0].game_id == 100 && list[0].seen_us == 500);
}

static void test_list(void)
{
    discovery_game list[3];
    int n = 0;
    discovery_game g = game("10.0.0.1", 27960, 100);
    n = discovery_games_merge(list, n, 3, &g);
    g = game("10.0.0.2", 27960, 200);
    n = discovery_games_merge(list, n, 3, &g);
    /* Same address, other port: another game on that machine. */
    g = game("10.0.0.1", 27970, 300);
    n = discovery_games_merge(list, n, 3, &g);
    CHECK(n == 3);
    /* A repeated answer refreshes, never duplicates. */
    g = game("10.0.0.2", 27960, 5000000);
    g.players = 3;
    n = discovery_games_merge(list, n, 3, &g);
    CHECK(n == 3 && list[1].players == 3 && list[1].seen_us == 5000000);
    /* Full: a fourth is not added, nothing is overwritten. */
    g = game("10.0.0.9", 1, 5000000);
    n = discovery_games_merge(list, n, 3, &g);
    CHECK(n == 3 && strcmp(list[2].addr, "10.0.0.1") == 0 && list[2].game_port == 27970);
    /* Expiry keeps the fresh one and the order. */
    n = discovery_games_expire(list, n, 5000000, 1000000);
    CHECK(n == 1 && strcmp(list[0].addr, "10.0.0.2") == 0);

    char line[128];
    g = game("192.168.1.20", 27960, 0);
    discovery_game_format(&g, line, sizeof line);
    char want[64];
    snprintf(want, sizeof want, "192.168.1.20:27960  Zoë  1/4  v%d  ? ms", PROTO_VERSION);
    CHECK_MSG(strcmp(line, want) == 0, "line '%s'", line);
    g.ping_us = 2600;
    g.locked = true;
    discovery_game_format(&g, line, sizeof line);
    snprintf(want, sizeof want, "192.168.1.20:27960  Zoë  1/4  v%d  3 ms  locked", PROTO_VERSION);
    CHECK_MSG(strcmp(line, want) == 0, "line '%s'", line);
    g.ping_us = 0;
    g.locked = false;
    discovery_game_format(&g, line, sizeof line);
    snprintf(want, sizeof want, "192.168.1.20:27960  Zoë  1/4  v%d  0 ms", PROTO_VERSION);
    CHECK_MSG(strcmp(line, want) == 0, "line '%s'", line);
    CHECK(discovery_game_compatible(&g));
    g.game_version = PROTO_VERSION + 1;
    CHECK(!discovery_game_compatible(&g));
}

static void test_limiter(void)
{
    discovery_limiter l;
    discovery_limiter_init(&l, 3);
    int ok = 0;
    for (int i = 0; i < 10; i++)
        ok += discovery_limiter_allow(&l, 1000);
    CHECK(ok == 3); /* a burst of `rate`, then nothing at the same instant */
    CHECK(!discovery_limiter_allow(&l, 1100));
    CHECK(discovery_limiter_allow(&l, 1400)); /* one token per 333 ms */
    CHECK(!discovery_limiter_allow(&l, 1400));
    ok = 0;
    for (int i = 0; i < 10; i++)
        ok += discovery_limiter_allow(&l, 100000); /* refills to the cap only */
    CHECK(ok == 3);
}

/* Polls the search until `want` games are listed or about 5 s passed. */
static int collect(discovery_search *s, discovery_game *list, int count, int max, int want)
{
    for (int turn = 0; turn < 100 && count < want; turn++) {
        if (discovery_search_wait(s, 50))
            count = discovery_search_poll(s, list, count, max, now_us());
    }
    return count;
}

static void send_raw(UDPsocket sock, uint16_t port, const void *data, int len)
{
    UDPpacket *p = SDLNet_AllocPacket(256);
    SDLNet_ResolveHost(&p->address, "127.0.0.1", port);
    memcpy(p->data, data, (size_t)len);
    p->len = len;
    CHECK(SDLNet_UDP_Send(sock, -1, p) == 1);
    SDLNet_FreePacket(p);
}

static void test_live(void)
{
    char err[256];
    discovery_responder_config rc = discovery_default_responder_config();
    CHECK(rc.udp_port == DISCOVERY_PORT && rc.game_version == PROTO_VERSION);
    rc.udp_port = 0; /* tests never take the real discovery port */
    rc.game_port = 31001;
    rc.max_players = 8;
    snprintf(rc.name, sizeof rc.name, "%s", "Ada");
    discovery_responder *r = discovery_responder_start(&rc, err, sizeof err);
    CHECK_MSG(r != NULL, "%s", err);
    if (!r)
        return;
    uint16_t port = discovery_responder_port(r);
    CHECK(port != 0);

    /* A second responder posing as a future protocol version. */
    discovery_responder_config rc2 = rc;
    rc2.game_port = 31002;
    rc2.game_version = PROTO_VERSION + 1;
    snprintf(rc2.name, sizeof rc2.name, "%s", "Future");
    discovery_responder *r2 = discovery_responder_start(&rc2, err, sizeof err);
    CHECK_MSG(r2 != NULL, "%s", err);

    /* Only IPv4 literals: opening a search never waits on a name lookup. */
    CHECK(discovery_search_open("localhost", port, err, sizeof err) == NULL && strlen(err) > 10);
    CHECK(discovery_search_open("300.1.1.1", port, err, sizeof err) == NULL);

    discovery_search *s = discovery_search_open("127.0.0.1", port, err, sizeof err);
    CHECK_MSG(s != NULL, "%s", err);
    if (!s) {
        discovery_responder_stop(r);
        discovery_responder_stop(r2);
        return;
    }
    discovery_game list[8];
    int n = 0;
    /* Two queries, one answer each: still one game. */
    CHECK(discovery_search_send(s, err, sizeof err));
    CHECK(discovery_search_send(s, err, sizeof err));
    n = collect(s, list, n, 8, 1);
    CHECK(n == 1);
    /* Let the second answer arrive too, then confirm it merged. */
    for (int turn = 0; turn < 20 && discovery_responder_get_stats(r).answered < 2; turn++)
        SDL_Delay(10);
    for (int turn = 0; turn < 5; turn++)
        if (discovery_search_wait(s, 20))
            n = discovery_search_poll(s, list, n, 8, now_us());
    CHECK(n == 1);
    CHECK(strcmp(list[0].addr, "127.0.0.1") == 0 && list[0].game_port == 31001);
    CHECK(strcmp(list[0].name, "Ada") == 0 && list[0].players == 0 && list[0].max_players == 8);
    CHECK(discovery_game_compatible(&list[0]));
    /* The responder drew a game id; no password, no lock; 127.0.0.1 is on
     * the asker's own loopback subnet; the round trip was timed. */
    CHECK(list[0].game_id != 0 && list[0].game_id == discovery_responder_game_id(r));
    CHECK(!list[0].locked && list[0].near);
    CHECK_MSG(list[0].ping_us >= 0 && list[0].ping_us < 2000000, "ping %lld us", (long long)list[0].ping_us);
    discovery_responder_stats st = discovery_responder_get_stats(r);
    CHECK(st.queries == 2 && st.answered == 2 && st.dropped == 0);

    /* Info updates show in the next answer; bad input is made safe. */
    discovery_responder_update(r, "Ada Host", 5, 8);
    CHECK(discovery_search_send(s, err, sizeof err));
    for (int turn = 0; turn < 100 && list[0].players != 5; turn++)
        if (discovery_search_wait(s, 50))
            n = discovery_search_poll(s, list, n, 8, now_us());
    CHECK(n == 1 && list[0].players == 5 && strcmp(list[0].name, "Ada Host") == 0);
    discovery_responder_update(r, "bad\nname", 300, 0);
    CHECK(discovery_search_send(s, err, sizeof err));
    for (int turn = 0; turn < 100 && list[0].players != 1; turn++)
        if (discovery_search_wait(s, 50))
            n = discovery_search_poll(s, list, n, 8, now_us());
    CHECK(list[0].players == 1 && list[0].max_players == 1 && strcmp(list[0].name, DISCOVERY_HOST_NAME) == 0);

    /* The other version is listed and marked incompatible. */
    discovery_search *s2 = discovery_search_open("127.0.0.1", discovery_responder_port(r2), err, sizeof err);
    CHECK(s2 != NULL);
    if (s2) {
        CHECK(discovery_search_send(s2, err, sizeof err));
        n = collect(s2, list, n, 8, 2);
        CHECK(n == 2 && list[1].game_port == 31002 && list[1].game_version == PROTO_VERSION + 1);
        CHECK(!discovery_game_compatible(&list[1]));
        discovery_search_close(s2);
    }

    /* The responder drops garbage and answers, and keeps answering. */
    UDPsocket raw = SDLNet_UDP_Open(0);
    CHECK(raw != NULL);
    if (raw) {
        uint64_t dropped = discovery_responder_get_stats(r).dropped;
        send_raw(raw, port, "hello, is this a game?", 22);
        uint8_t buf[128];
        discovery_msg a = answer("Mallory", 1, 2); /* an answer is not a query */
        size_t len = discovery_encode(&a, buf, sizeof buf);
        send_raw(raw, port, buf, (int)len);
        for (int turn = 0; turn < 200 && discovery_responder_get_stats(r).dropped < dropped + 2; turn++)
            SDL_Delay(10);
        CHECK(discovery_responder_get_stats(r).dropped == dropped + 2);

        /* A forged answer with the wrong nonce, straight to the search's
         * socket, is not listed. */
        a = answer("Mallory", 1, 2);
        a.nonce = 0xDEADBEEFu;
        a.game_port = 31999;
        len = discovery_encode(&a, buf, sizeof buf);
        send_raw(raw, discovery_search_local_port(s), buf, (int)len);
        send_raw(raw, discovery_search_local_port(s), "junk", 4);
        uint64_t answered = discovery_responder_get_stats(r).answered;
        CHECK(discovery_search_send(s, err, sizeof err)); /* a real answer to wait for */
        for (int turn = 0; turn < 200 && discovery_responder_get_stats(r).answered == answered; turn++)
            SDL_Delay(10);
        int before = n;
        for (int turn = 0; turn < 10; turn++)
            if (discovery_search_wait(s, 20))
                n = discovery_search_poll(s, list, n, 8, now_us());
        CHECK(n == before);
        for (int i = 0; i < n; i++)
            CHECK(list[i].game_port != 31999);
        SDLNet_UDP_Close(raw);
    }
    discovery_search_close(s);

    /* The blocking round --list-lan uses. */
    discovery_game out[4];
    int got = discovery_list("127.0.0.1", port, 400, out, 4, err, sizeof err);
    CHECK_MSG(got == 1, "discovery_list got %d: %s", got, err);
    if (got == 1) {
        CHECK(out[0].game_port == 31001 && strcmp(out[0].addr, "127.0.0.1") == 0);
        /* Timed the moment the answer arrived: a loopback round trip is
         * far below the generous bound, and printed in whole ms. */
        CHECK_MSG(out[0].ping_us >= 0 && out[0].ping_us < 1000000, "ping %lld us", (long long)out[0].ping_us);
        char line[128];
        discovery_game_format(&out[0], line, sizeof line);
        CHECK_MSG(strstr(line, " ms") != NULL && strstr(line, "?") == NULL && strstr(line, "locked") == NULL,
                  "line '%s'", line);
    }
    CHECK(discovery_list("nonsense", port, 100, out, 4, err, sizeof err) == -1 && strlen(err) > 10);

    discovery_responder_stop(r);
    discovery_responder_stop(r2);
    /* Nobody answers once stopped. */
    got = discovery_list("127.0.0.1", port, 300, out, 4, err, sizeof err);
    CHECK(got == 0);
    discovery_responder_stop(NULL);
}

/* A flood of queries: the answer budget holds and the responder stops
 * promptly afterwards. */
static void test_flood(void)
{
    char err[256];
    discovery_responder_config rc = discovery_default_responder_config();
    rc.udp_port = 0;
    rc.answers_per_s = 5;
    discovery_responder *r = discovery_responder_start(&rc, err, sizeof err);
    CHECK_MSG(r != NULL, "%s", err);
    if (!r)
        return;
    discovery_search *s = discovery_search_open("127.0.0.1", discovery_responder_port(r), err, sizeof err);
    CHECK(s != NULL);
    if (s) {
        for (int i = 0; i < 50; i++)
            discovery_search_send(s, err, sizeof err);
        discovery_responder_stats st = discovery_responder_get_stats(r);
        for (int turn = 0; turn < 300 && st.answered + st.dropped < 50; turn++) {
            SDL_Delay(10);
            st = discovery_responder_get_stats(r);
        }
        /* 5 at once plus at most 5 per second of refill while draining. */
        CHECK_MSG(st.answered >= 5 && st.answered <= 5 + 5 * 4, "answered %llu", (unsigned long long)st.answered);
        CHECK(st.queries == 50 && st.answered + st.dropped == 50);
        discovery_search_close(s);
    }
    discovery_responder_stop(r);
}

/* Rationing on a clock: one address flooding at 3000 queries a second for
 * 10 s cannot spend the budget another asker needs. */
static void test_rationer(void)
{
    discovery_rationer r;
    discovery_rationer_init(&r, 200, 4);
    int flood_ok = 0, legit_ok = 0, legit_asked = 0;
    for (uint64_t ms = 0; ms < 10000; ms++) {
        for (int k = 0; k < 3; k++)
            flood_ok += discovery_rationer_allow(&r, 0x0A000002u, ms) == DISCOVERY_RATION_OK;
        if (ms % 1000 == 0 || ms % 1000 == 400) { /* --list-lan: two queries, 400 ms apart */
            legit_asked++;
            legit_ok += discovery_rationer_allow(&r, 0x0A000003u, ms) == DISCOVERY_RATION_OK;
        }
    }
    CHECK_MSG(legit_ok == legit_asked, "legit asker answered %d of %d", legit_ok, legit_asked);
    CHECK_MSG(flood_ok <= 8 + 4 * 10 + 1, "flooder answered %d times in 10 s", flood_ok);
    /* The table: many askers at once, each still gets its burst, the
     * global budget holds. */
    discovery_rationer_init(&r, 50, 4);
    int ok = 0;
    for (uint32_t a = 0; a < 4 * DISCOVERY_ASKERS; a++)
        ok += discovery_rationer_allow(&r, 0x0A010000u + a, 5000) == DISCOVERY_RATION_OK;
    CHECK(ok == 50);
    CHECK(discovery_rationer_allow(&r, 0x0A020000u, 5000) == DISCOVERY_RATION_ALL);
    CHECK(discovery_rationer_allow(&r, 0x0A020000u, 6000) == DISCOVERY_RATION_OK);
}

/* ---- a query flood from 127.0.0.2 while 127.0.0.1 lists ---- */

typedef struct {
    uint16_t port;
    atomic_int stop;
    int sent;
} flood_job;

static int flood_thread(void *arg)
{
    flood_job *job = arg;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in from = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.2", &from.sin_addr);
    if (fd < 0 || bind(fd, (struct sockaddr *)&from, sizeof from) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(job->port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    uint8_t q[DISCOVERY_QUERY_SIZE];
    discovery_msg m = discovery_make_query(7);
    size_t n = discovery_encode(&m, q, sizeof q);
    /* 3 queries a millisecond, bounded: at most 15 s or 45000 queries. */
    for (int ms = 0; ms < 15000 && !atomic_load(&job->stop); ms++) {
        for (int k = 0; k < 3; k++)
            job->sent += sendto(fd, q, n, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)n;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    close(fd);
    return 0;
}

static void test_flood_share(void)
{
    char err[256];
    discovery_responder_config rc = discovery_default_responder_config();
    rc.udp_port = 0;
    snprintf(rc.name, sizeof rc.name, "Flooded");
    discovery_responder *r = discovery_responder_start(&rc, err, sizeof err);
    CHECK_MSG(r != NULL, "%s", err);
    if (!r)
        return;
    flood_job job = {.port = discovery_responder_port(r)};
    SDL_Thread *t = SDL_CreateThread(flood_thread, "flood", &job);
    SDL_Delay(300);
    int found = 0;
    for (int i = 0; i < 10; i++) {
        discovery_game out[4];
        int got = discovery_list("127.0.0.1", job.port, 300, out, 4, err, sizeof err);
        found += got == 1 && strcmp(out[0].name, "Flooded") == 0;
    }
    atomic_store(&job.stop, 1);
    SDL_WaitThread(t, NULL);
    discovery_responder_stats st = discovery_responder_get_stats(r);
    printf("discovery: listed %d of 10 times during a flood of %d queries from 127.0.0.2 "
           "(%llu answered, %llu dropped, %llu over their asker's own budget)\n",
           found, job.sent, (unsigned long long)st.answered, (unsigned long long)st.dropped,
           (unsigned long long)st.over_asker);
    CHECK_MSG(job.sent > 1000, "the flood sent only %d queries", job.sent);
    CHECK_MSG(found == 10, "listed %d of 10 times during the flood", found);
    discovery_responder_stop(r);
}

/* A host that needs a password says so: the list shows it locked. */
static void test_live_locked(void)
{
    char err[256];
    discovery_responder_config rc = discovery_default_responder_config();
    rc.udp_port = 0;
    rc.game_port = 31005;
    rc.password = true;
    rc.game_id = GAME_ID;
    snprintf(rc.name, sizeof rc.name, "%s", "Locked");
    discovery_responder *r = discovery_responder_start(&rc, err, sizeof err);
    CHECK_MSG(r != NULL, "%s", err);
    if (!r)
        return;
    CHECK(discovery_responder_game_id(r) == GAME_ID);
    discovery_game out[4];
    int got = discovery_list("127.0.0.1", discovery_responder_port(r), 400, out, 4, err, sizeof err);
    CHECK_MSG(got == 1, "discovery_list got %d: %s", got, err);
    if (got == 1) {
        CHECK(out[0].locked && out[0].game_id == GAME_ID && out[0].ping_us >= 0);
        char line[128];
        discovery_game_format(&out[0], line, sizeof line);
        size_t len = strlen(line);
        CHECK_MSG(len > 8 && strcmp(line + len - 8, "  locked") == 0, "line '%s'", line);
    }
    discovery_responder_stop(r);
}

static sock_t udp_at(const char *addr, uint16_t *port)
{
    int e = 0;
    uint32_t host_be = 0;
    CHECK(sock_ipv4_parse(addr, &host_be));
    sock_t s = sock_open_udp(&e);
    CHECK(s != SOCK_NONE);
    CHECK_MSG(sock_bind(s, host_be, 0) == 0, "bind %s", addr);
    uint32_t h;
    uint16_t p_be = 0;
    sock_local_addr(s, &h, &p_be);
    if (port)
        *port = ntohs(p_be);
    return s;
}

/* A host with several interfaces, played by sockets bound to 127.0.0.2,
 * .3 and .4 that all answer the search's query with one game id (as one
 * responder does on a machine with three interfaces), plus another game
 * from 127.0.0.5: the search lists two games. Loopback only. */
static void test_multi_homed(void)
{
    char err[256];
    CHECK(sock_init(err, sizeof err));
    uint16_t qport = 0;
    sock_t q = udp_at("127.0.0.1", &qport);
    sock_t from[4];
    for (int i = 0; i < 4; i++) {
        char a[16];
        snprintf(a, sizeof a, "127.0.0.%d", 2 + i);
        from[i] = udp_at(a, NULL);
    }
    discovery_search *s = discovery_search_open("127.0.0.1", qport, err, sizeof err);
    CHECK_MSG(s != NULL, "%s", err);
    if (!s)
        return;
    CHECK(discovery_search_send(s, err, sizeof err));
    /* The "host" reads the query. */
    uint8_t buf[128];
    uint32_t asker_be = 0;
    uint16_t asker_port_be = 0;
    ptrdiff_t got = -1;
    for (int turn = 0; turn < 100 && got <= 0; turn++) {
        int e = 0;
        sock_pollfd pf = {.s = q, .events = SOCK_POLL_IN};
        sock_poll(&pf, 1, 20, &e);
        got = sock_recv_from(q, buf, sizeof buf, &asker_be, &asker_port_be, &e);
    }
    discovery_msg query;
    CHECK(got == DISCOVERY_QUERY_SIZE && discovery_decode(buf, (size_t)got, &query) == DISCOVERY_OK);
    /* Three interfaces answer for game 77, a fourth address for game 78;
     * then an answer to no query of ours, and a truncated one. */
    for (int i = 0; i < 4; i++) {
        discovery_msg a = answer(i < 3 ? "Multi" : "Other", 1, 8);
        a.nonce = query.nonce;
        a.game_id = i < 3 ? 77 : 78;
        a.game_port = (uint16_t)(i < 3 ? 31010 : 31011);
        size_t n = discovery_encode(&a, buf, sizeof buf);
        int e = 0;
        CHECK(sock_send_to(from[i], buf, n, asker_be, asker_port_be, &e) == (ptrdiff_t)n);
        if (i == 3) {
            a.nonce = query.nonce + 1;
            n = discovery_encode(&a, buf, sizeof buf);
            CHECK(sock_send_to(from[i], buf, n, asker_be, asker_port_be, &e) == (ptrdiff_t)n);
            a.nonce = query.nonce;
            n = discovery_encode(&a, buf, sizeof buf);
            CHECK(sock_send_to(from[i], buf, n - 3, asker_be, asker_port_be, &e) == (ptrdiff_t)n - 3);
        }
    }
    discovery_game list[8];
    int n = 0;
    discovery_search_stats st = discovery_search_get_stats(s);
    for (int turn = 0; turn < 100 && st.answers + st.stale + st.malformed[DISCOVERY_ERR_TRUNCATED] < 6; turn++) {
        if (discovery_search_wait(s, 20))
            n = discovery_search_poll(s, list, n, 8, now_us());
        st = discovery_search_get_stats(s);
    }
    CHECK_MSG(n == 2, "%d games listed", n);
    CHECK(st.answers == 4 && st.stale == 1 && st.malformed[DISCOVERY_ERR_TRUNCATED] == 1);
    int multi = n > 0 && list[0].game_id == 77 ? 0 : 1;
    if (n == 2) {
        /* The first address that answered, with its own round trip. */
        CHECK_MSG(strcmp(list[multi].addr, "127.0.0.2") == 0, "kept %s", list[multi].addr);
        CHECK(list[multi].game_port == 31010 && list[multi].ping_us >= 0 && list[multi].near);
        CHECK(list[1 - multi].game_id == 78 && strcmp(list[1 - multi].addr, "127.0.0.5") == 0);
    }
    discovery_search_close(s);
    sock_close(q);
    for (int i = 0; i < 4; i++)
        sock_close(from[i]);
}

int main(void)
{
    SDL_Init(SDL_INIT_TIMER);
    test_codec();
    test_garbage();
    test_list();
    test_merge_by_id();
    test_limiter();
    test_live();
    test_live_locked();
    test_multi_homed();
    test_flood();
    test_rationer();
    test_flood_share();
    SDL_Quit();
    return check_done("discovery");
}
