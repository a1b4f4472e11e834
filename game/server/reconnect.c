#include "reconnect.h"

#include <SDL.h>
#include <string.h>
#include <time.h>

#include "name.h"
#include "sock.h"

void reconnect_init(reconnect_table *t, uint32_t window_ms)
{
    memset(t, 0, sizeof *t);
    t->window_ms = window_ms ? window_ms : RECONNECT_WINDOW_MS;
}

static bool reconnect_live(const reconnect_table *t, const reconnect_entry *e, uint64_t now_ms)
{
    /* left_ms may be a millisecond after now_ms when the caller read its
     * clock first; that is "just left", not 2^64 ms ago. */
    return e->used && (now_ms <= e->left_ms || now_ms - e->left_ms < t->window_ms);
}

/* A player worth keeping over a throwaway: scored, or played a while. */
static bool reconnect_worth(uint16_t score, uint64_t played_ms)
{
    return score > 0 || played_ms >= RECONNECT_KEEP_PLAYED_MS;
}

bool reconnect_remember(reconnect_table *t, const char *name, uint64_t token, uint8_t id, uint8_t colour,
                        uint16_t score, uint64_t played_ms, uint64_t now_ms)
{
    if (token == 0)
        return false;
    /* One entry per token: a second departure replaces the first. Else a
     * free or expired entry, else the oldest throwaway. */
    reconnect_entry *slot = NULL;
    for (int i = 0; i < RECONNECT_MAX && !slot; i++)
        if (t->e[i].used && t->e[i].token == token)
            slot = &t->e[i];
    for (int i = 0; i < RECONNECT_MAX && !slot; i++)
        if (!reconnect_live(t, &t->e[i], now_ms))
            slot = &t->e[i];
    if (!slot) {
        for (int i = 0; i < RECONNECT_MAX; i++) {
            reconnect_entry *e = &t->e[i];
            bool ew = reconnect_worth(e->score, e->played_ms);
            bool sw = slot && reconnect_worth(slot->score, slot->played_ms);
            if (!slot || (sw && !ew) || (sw == ew && e->left_ms < slot->left_ms))
                slot = e;
        }
        if (reconnect_worth(slot->score, slot->played_ms) && !reconnect_worth(score, played_ms))
            return false; /* a table of real players keeps them all */
    }
    memset(slot, 0, sizeof *slot);
    slot->used = true;
    size_t n = strnlen(name, PROTO_NAME_WIRE_MAX);
    memcpy(slot->name, name, n);
    slot->name[n] = '\0';
    slot->token = token;
    slot->id = id;
    slot->colour = colour;
    slot->score = score;
    slot->played_ms = played_ms;
    slot->left_ms = now_ms;
    return true;
}

bool reconnect_remember_entry(reconnect_table *t, const reconnect_entry *e)
{
    if (!reconnect_remember(t, e->name, e->token, e->id, e->colour, e->score, e->played_ms, e->left_ms))
        return false;
    for (int i = 0; i < RECONNECT_MAX; i++) {
        reconnect_entry *slot = &t->e[i];
        if (slot->used && slot->token == e->token) {
            slot->by_proof = e->by_proof;
            slot->placed = e->placed;
            slot->x = e->x;
            slot->y = e->y;
            slot->facing = e->facing;
            break;
        }
    }
    return true;
}

/* The presented token is the one remembered (or has its proof). */
static bool reconnect_token_matches(const reconnect_entry *e, uint64_t token)
{
    return e->token == (e->by_proof ? proto_token_proof(token) : token);
}

bool reconnect_claim(reconnect_table *t, const char *name, uint64_t token, uint64_t now_ms, reconnect_entry *out)
{
    if (token == 0)
        return false;
    for (int i = 0; i < RECONNECT_MAX; i++) {
        reconnect_entry *e = &t->e[i];
        if (!reconnect_live(t, e, now_ms) || !reconnect_token_matches(e, token) || !name_alike(e->name, name))
            continue;
        *out = *e;
        e->used = false; /* a token brings a player back once */
        return true;
    }
    return false;
}

bool reconnect_holds(const reconnect_table *t, const char *name, uint64_t token, uint64_t now_ms)
{
    if (token == 0)
        return false;
    for (int i = 0; i < RECONNECT_MAX; i++) {
        const reconnect_entry *e = &t->e[i];
        if (reconnect_live(t, e, now_ms) && reconnect_token_matches(e, token) && name_alike(e->name, name))
            return true;
    }
    return false;
}

int reconnect_count(const reconnect_table *t, uint64_t now_ms)
{
    int n = 0;
    for (int i = 0; i < RECONNECT_MAX; i++)
        n += reconnect_live(t, &t->e[i], now_ms);
    return n;
}

uint64_t reconnect_new_token(void)
{
    uint64_t v = 0;
    if (!sock_random_bytes(&v, sizeof v)) {
        /* splitmix64 over two clocks: unguessable enough for a LAN game
         * when the system's source is unavailable. */
        uint64_t z = (uint64_t)time(NULL) << 32 ^ (uint64_t)SDL_GetPerformanceCounter() * 0x9E3779B97F4A7C15u;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        v = z ^ (z >> 31);
    }
    return v ? v : 1;
}

void reconnect_clear_scores(reconnect_table *t)
{
    for (int i = 0; i < RECONNECT_MAX; i++)
        t->e[i].score = 0;
}
