/*
 * reconnect: what the host remembers of players who left, so that one
 * whose connection dropped can come back within RECONNECT_WINDOW_MS and
 * find their colour and score again.
 *
 * A player is recognised by name AND the random 64-bit token the host
 * gave them in WELCOME, never by the name alone: anyone can type a name,
 * only that player's game saw the token. A server that took over a game
 * (migrate.h) knows only each player's proof (proto_token_proof), and
 * checks a presented token against that.
 *
 * The table holds twice the most players a game can have, so every player
 * of a full game can drop at once and still be remembered. When it is
 * full, what goes first is a player who never scored and played less than
 * RECONNECT_KEEP_PLAYED_MS (the oldest such), so a crowd of throwaway
 * joins and leaves only ever evicts its own kind; a throwaway player finds
 * no room in a table of real ones and is not remembered at all.
 *
 * Names are matched with name_alike (net/name.h), as the server compares
 * them.
 *
 * Pure: no SDL, no sockets; time is passed in (ms on the host's clock).
 * Threading contract: one table per server, used on the server thread.
 */
#ifndef LANARENA_RECONNECT_H
#define LANARENA_RECONNECT_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

#define RECONNECT_WINDOW_MS 60000
#define RECONNECT_MAX (2 * PROTO_MAX_PLAYERS) /* departed players remembered */
#define RECONNECT_KEEP_PLAYED_MS 60000       /* played this long (or scored): worth keeping */

typedef struct {
    bool used;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint64_t token;
    uint8_t id;      /* the slot they had: given back when it is still free */
    uint8_t colour;
    uint16_t score;
    uint64_t played_ms; /* how long they had played when they left */
    uint64_t left_ms;
    bool by_proof;   /* token holds proto_token_proof(the token) */
    bool placed;     /* x, y, facing: where they were (a migrated game) */
    int32_t x, y;
    uint8_t facing;
} reconnect_entry;

typedef struct {
    reconnect_entry e[RECONNECT_MAX];
    uint32_t window_ms; /* RECONNECT_WINDOW_MS unless a test shortens it */
} reconnect_table;

void reconnect_init(reconnect_table *t, uint32_t window_ms);
/* Remembers a player who left at now_ms after playing played_ms (token
 * 0: nothing to remember). False when there was no room for them. */
bool reconnect_remember(reconnect_table *t, const char *name, uint64_t token, uint8_t id, uint8_t colour,
                        uint16_t score, uint64_t played_ms, uint64_t now_ms);
/* Remembers e as it is (a migrated game's player: by_proof, placed), as
 * reconnect_remember would. */
bool reconnect_remember_entry(reconnect_table *t, const reconnect_entry *e);
/* Whether a live entry holds this name and token (nothing changes). */
bool reconnect_holds(const reconnect_table *t, const char *name, uint64_t token, uint64_t now_ms);
/* Finds and forgets the entry with this name and token left less than the
 * window ago. False (nothing changed) when there is none. */
bool reconnect_claim(reconnect_table *t, const char *name, uint64_t token, uint64_t now_ms, reconnect_entry *out);
/* A new round: everyone remembered comes back with 0 points. */
void reconnect_clear_scores(reconnect_table *t);
/* Entries still inside the window (for tests and the log). */
int reconnect_count(const reconnect_table *t, uint64_t now_ms);

/* A fresh non-zero token from the operating system's random source
 * (getrandom), falling back to a mix of clocks if that fails. */
uint64_t reconnect_new_token(void);

#endif
