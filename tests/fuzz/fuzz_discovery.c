/*
 * libFuzzer target: the LAN discovery datagram codec (net/discovery.c),
 * both the responder's reading of a QUERY and the asker's reading of an
 * ANSWER, on arbitrary datagrams; then what an asker does with an answer
 * (merge it into its list, print it as --list-lan does).
 *
 * Input: one datagram.
 *
 * Invariants: a datagram that decodes re-encodes (the encoder and the
 * decoder share one range check) and the re-encoded bytes decode to the
 * same message; for an answer of version 1 or 2 they are the datagram
 * itself (id and flags included). An answer's
 * name is a valid, terminated player name with no control characters, so
 * the printed line cannot be forged; the merged list stays within bounds.
 */
#include <string.h>

#include "discovery.h"
#include "fuzz.h"

#ifndef FUZZ_DISCOVERY_ENTRY
#define FUZZ_DISCOVERY_ENTRY LLVMFuzzerTestOneInput
#endif

int FUZZ_DISCOVERY_ENTRY(const uint8_t *data, size_t size)
{
    fuzz_quiet_logs();
    discovery_msg m;
    discovery_error e = discovery_decode(data, size, &m);
    FUZZ_ASSERT(discovery_error_text(e) != NULL);
    if (e != DISCOVERY_OK)
        return 0;
    FUZZ_ASSERT(m.type == DISCOVERY_QUERY || m.type == DISCOVERY_ANSWER);
    FUZZ_ASSERT(m.version != 0);
    uint8_t buf[DISCOVERY_QUERY_SIZE + DISCOVERY_ANSWER_MAX];
    size_t n = discovery_encode(&m, buf, sizeof buf);
    FUZZ_ASSERT(n > 0 && n <= DISCOVERY_QUERY_SIZE);
    discovery_msg again;
    FUZZ_ASSERT(discovery_decode(buf, n, &again) == DISCOVERY_OK);
    FUZZ_ASSERT(again.type == m.type && again.nonce == m.nonce);
    if (m.version <= DISCOVERY_VERSION)
        FUZZ_ASSERT(n == size); /* no trailing bytes */
    if (m.version <= DISCOVERY_VERSION && m.type == DISCOVERY_ANSWER)
        FUZZ_ASSERT(memcmp(buf, data, n) == 0); /* a query's padding is not read */
    if (m.type != DISCOVERY_ANSWER)
        return 0;

    size_t name_len = strnlen(m.name, sizeof m.name);
    FUZZ_ASSERT(name_len >= 1 && name_len <= DISCOVERY_NAME_MAX);
    FUZZ_ASSERT(proto_name_valid(m.name, name_len));
    for (size_t i = 0; i < name_len; i++)
        FUZZ_ASSERT((unsigned char)m.name[i] >= 0x20 && m.name[i] != 0x7F);
    FUZZ_ASSERT(again.game_port == m.game_port && again.players == m.players &&
                again.max_players == m.max_players && strcmp(again.name, m.name) == 0);
    FUZZ_ASSERT(m.game_port != 0 && m.max_players >= 1 && m.players <= m.max_players);
    FUZZ_ASSERT(again.game_id == m.game_id && again.flags == m.flags);
    FUZZ_ASSERT(m.version == 1 ? m.game_id == 0 && m.flags == 0 : m.game_id != 0);

    /* What the asker does with it: list it (twice, and once more from
     * another address: one game if it has an id) and print it. */
    discovery_game list[3];
    memset(list, 0, sizeof list);
    discovery_game g;
    memset(&g, 0, sizeof g);
    snprintf(g.addr, sizeof g.addr, "127.0.0.1");
    g.game_port = m.game_port;
    g.game_version = m.game_version;
    g.players = m.players;
    g.max_players = m.max_players;
    memcpy(g.name, m.name, sizeof g.name);
    g.game_id = m.game_id;
    g.locked = (m.flags & DISCOVERY_FLAG_PASSWORD) != 0;
    g.ping_us = (int64_t)(m.nonce % 5000000u);
    g.ping_at_us = 8;
    g.seen_us = 8;
    int count = discovery_games_merge(list, 0, 3, &g);
    count = discovery_games_merge(list, count, 3, &g);
    FUZZ_ASSERT(count == 1);
    snprintf(g.addr, sizeof g.addr, "10.0.0.1");
    count = discovery_games_merge(list, count, 3, &g);
    FUZZ_ASSERT(count == (m.game_id != 0 ? 1 : 2));
    FUZZ_ASSERT(strcmp(list[0].addr, "127.0.0.1") == 0 && list[0].ping_us == g.ping_us);
    char line[128];
    discovery_game_format(&list[0], line, sizeof line);
    FUZZ_ASSERT(strchr(line, '\n') == NULL && strchr(line, '\r') == NULL);
    /* The lock is the line's last word: a name ("x  locked") cannot fake it. */
    size_t line_len = strlen(line);
    FUZZ_ASSERT(g.locked == (line_len > 8 && strcmp(line + line_len - 8, "  locked") == 0));
    FUZZ_ASSERT(discovery_games_expire(list, count, 10, 5) == count);
    return 0;
}
