/* server_join: a HELLO's way to a WELCOME or a REJECT (server_internal.h). */
#include "server_internal.h"

#include <SDL.h>
#include <string.h>

#include "log.h"
#include "netclient.h"
#include "name.h"

/* Compares every byte whatever the input, so the time taken does not tell
 * a guesser how much of the password was right. */
static bool server_password_ok(const server *s, const proto_hello *h)
{
    size_t want = strlen(s->cfg.password);
    if (want == 0)
        return true;
    unsigned diff = (unsigned)(want ^ h->password_len);
    for (size_t i = 0; i < PROTO_PASSWORD_MAX; i++)
        diff |= (unsigned)((uint8_t)s->cfg.password[i < want ? i : 0] ^ (uint8_t)h->password[i < h->password_len ? i : 0]);
    return diff == 0;
}

/* The colour asked for if nobody has it, else the slot's own (so the first
 * players are red, blue, green... as before), else any free one. */
static uint8_t server_pick_colour(const server *s, int id, uint8_t wanted)
{
    bool taken[PROTO_COLOURS] = {0};
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->players[i].used && i != id)
            taken[s->players[i].colour % PROTO_COLOURS] = true;
    if (wanted < PROTO_COLOURS && !taken[wanted])
        return wanted;
    if (!taken[id % PROTO_COLOURS])
        return (uint8_t)(id % PROTO_COLOURS);
    for (int c = 0; c < PROTO_COLOURS; c++)
        if (!taken[c])
            return (uint8_t)c;
    return (uint8_t)(id % PROTO_COLOURS); /* more players than colours */
}

/* How long a HELLO may be held before it must be decided: a second inside
 * netserver's handshake timeout, which also covers a held one. */
static uint64_t server_hold_max_ms(const server *s)
{
    int t = s->cfg.handshake_timeout_ms > 0 ? s->cfg.handshake_timeout_ms : server_default_config().handshake_timeout_ms;
    return t > 1200 ? (uint64_t)(t - 1000) : 200;
}

static bool server_trusted(const server *s, const char *addr)
{
    for (int k = 0; k < SERVER_TRUSTED; k++)
        if (s->cfg.trusted_addr[k][0] && strcmp(addr, s->cfg.trusted_addr[k]) == 0)
            return true;
    return false;
}

/* Keeps the HELLO to decide at due_ms; false when there is no room. */
static bool server_hold(server *s, int conn, const proto_hello *h, uint64_t since_ms, uint64_t due_ms)
{
    for (int i = 0; i < SERVER_HELD_MAX; i++) {
        server_held *e = &s->held[i];
        if (e->used)
            continue;
        e->used = true;
        e->conn = conn;
        e->since_ms = since_ms;
        e->due_ms = due_ms;
        e->hello = *h;
        netserver_hold(s->net, conn);
        return true;
    }
    return false;
}

void server_join_forget(server *s, int conn)
{
    for (int i = 0; i < SERVER_HELD_MAX; i++)
        if (s->held[i].used && s->held[i].conn == conn)
            s->held[i].used = false;
}

/* The player's name with " (k)" after it, unlike every other player's
 * name; false when no k up to 99 gives one. */
static bool server_unique_variant(const server *s, int id, char *out, size_t cap)
{
    for (int k = 2; k < 100; k++) {
        char suffix[8];
        int sl = SDL_snprintf(suffix, sizeof suffix, " (%d)", k);
        size_t base = strlen(s->players[id].name);
        if (base + (size_t)sl > PROTO_NAME_MAX) {
            base = PROTO_NAME_MAX - (size_t)sl;
            while (base > 0 && ((uint8_t)s->players[id].name[base] & 0xC0) == 0x80)
                base--; /* cut before a character, not through one */
        }
        char cand[PROTO_NAME_WIRE_MAX + 1];
        memcpy(cand, s->players[id].name, base);
        memcpy(cand + base, suffix, (size_t)sl + 1);
        bool clash = false;
        for (int i = 0; i < SIM_MAX_PLAYERS && !clash; i++)
            clash = s->players[i].used && i != id && name_alike(s->players[i].name, cand);
        if (!clash && name_normalise(cand, strlen(cand), out, cap) > 0)
            return true;
    }
    return false;
}

/* The address's turn and the password. False when conn was refused or
 * held for later (admit.h); since_ms: when its HELLO arrived. */
static bool server_gate(server *s, int conn, const proto_hello *h, uint64_t since_ms, uint64_t now_ms)
{
    const char *addr = netserver_peer_addr(s->net, conn);
    bool has_password = s->cfg.password[0] != '\0';
    uint64_t wait = admit_wait(&s->admit, addr, !server_trusted(s, addr), has_password, now_ms);
    if (wait > 0) {
        if (now_ms + wait - since_ms <= server_hold_max_ms(s) && server_hold(s, conn, h, since_ms, now_ms + wait))
            return false;
        /* Too long a wait: refused unseen. A password is not checked. */
        log_debug("server: refused conn %d (%s): its address must wait %llu ms more", conn, addr,
                  (unsigned long long)wait);
        netserver_reject_quietly(s->net, conn, has_password ? PROTO_REJECT_PASSWORD : PROTO_REJECT_FULL);
        return false;
    }
    if (!server_password_ok(s, h)) {
        /* Never the password itself in the log: only that it was wrong,
         * and for a guesser one line per address now and then. */
        uint32_t count;
        uint64_t backoff;
        if (admit_password_failed(&s->admit, addr, now_ms, &count, &backoff))
            log_info("server: wrong or missing password from %s (%u time%s since this address was last "
                     "logged); its next try waits %llu ms",
                     addr, count, count == 1 ? "" : "s", (unsigned long long)backoff);
        netserver_reject_quietly(s->net, conn, PROTO_REJECT_PASSWORD);
        return false;
    }
    if (has_password)
        admit_password_ok(&s->admit, addr);
    return true;
}

/* Whether name is free for conn. A returning player's token wins their
 * name back from anyone who took it (or a lookalike of it) meanwhile;
 * otherwise a taken name is refused. */
static bool server_claim_name(server *s, int conn, const char *name, uint64_t token, uint64_t now_ms)
{
    bool holder = reconnect_holds(&s->gone, name, token, now_ms);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (!s->players[i].used || !name_alike(s->players[i].name, name))
            continue;
        if (token != 0 && token == s->players[i].token) {
            /* The same player on a new connection before we noticed the
             * old one die: the token proves it, so the old one goes (and
             * is remembered like any departure). */
            netserver_drop(s->net, s->players[i].conn, PROTO_BYE_CONNECTION_LOST, "replaced by a new connection");
            server_remove(s, i, PROTO_BYE_CONNECTION_LOST, "came back on a new connection");
            holder = true;
            continue;
        }
        char renamed[PROTO_NAME_WIRE_MAX + 1];
        if (holder && server_unique_variant(s, i, renamed, sizeof renamed)) {
            log_info("server: '%s' (player %d) is now '%s': the player who had that name came back", s->players[i].name,
                     i, renamed);
            char text[128];
            SDL_snprintf(text, sizeof text, "The player called %s before you came back, so you are now %s.", name,
                         renamed);
            SDL_strlcpy(s->players[i].name, renamed, sizeof s->players[i].name);
            server_send_notice(s, &s->players[i], text);
            continue;
        }
        log_info("server: refused conn %d: name '%s' is taken", conn, name);
        netserver_reject(s->net, conn, PROTO_REJECT_NAME_TAKEN);
        return false;
    }
    return true;
}

/* Takes slot id for conn, on the only thread that assigns slots: the
 * player's record and its place in the world (a returning player's
 * colour, score and, after a host migration, position come back). */
static server_player *server_seat(server *s, int id, int conn, const char *name, const proto_hello *h,
                                  const reconnect_entry *back, uint64_t now_ms)
{
    server_player *p = &s->players[id];
    memset(p, 0, sizeof *p);
    p->used = true;
    p->conn = conn;
    p->gen = ++s->next_gen;
    p->joined_ms = now_ms;
    p->host = s->cfg.host_token != 0 && h->token == s->cfg.host_token;
    /* A returning player keeps the token it presented (a migrated game
     * remembers only its proof). */
    p->token = p->host ? s->cfg.host_token : back ? h->token : reconnect_new_token();
    p->joined = ++s->joins;
    uint16_t peer_port = 0;
    if (netserver_peer(s->net, conn, &p->addr, &peer_port))
        p->in_process = (p->addr >> 24) == 127 && netclient_is_own_port(peer_port);
    s->plan_due = true;
    p->colour = back ? back->colour : server_pick_colour(s, id, h->colour);
    chat_limiter_init(&p->chat, now_ms);
    p->heard_ms = now_ms;
    /* The most it gets: what it asked for, within the host's cap. */
    int ceiling = h->snapshot_hz == PROTO_SNAPSHOT_HZ_AUTO ? SIM_TICK_HZ : h->snapshot_hz;
    if (s->cfg.snapshot_hz > 0 && s->cfg.snapshot_hz < ceiling)
        ceiling = s->cfg.snapshot_hz;
    rate_init(&p->rate, ceiling, h->snapshot_hz == PROTO_SNAPSHOT_HZ_AUTO, now_ms);
    p->hz = rate_hz(&p->rate);
    p->link_at_ms = now_ms;
    SDL_strlcpy(p->name, name, sizeof p->name);
    sim_add_player(&s->world, id);
    if (back) {
        sim_player *sp = &s->world.players[id];
        sp->score = back->score;
        if (back->placed) { /* where they were when their old host left */
            sp->x = back->x;
            sp->y = back->y;
            sp->facing = back->facing;
        }
    }
    return p;
}

/* What a newcomer hears first, in one write: WELCOME, its rate, every
 * player as the list is now, the match. Everyone else hears of the
 * newcomer with the next batch (server_send_announce). */
static void server_welcome(server *s, const server_player *p, int id)
{
    int conn = p->conn;
    netserver_accept(s->net, conn);
    proto_msg w = {.type = PROTO_WELCOME};
    w.u.welcome.player_id = (uint8_t)id;
    w.u.welcome.tick_rate = SIM_TICK_HZ;
    w.u.welcome.max_players = (uint8_t)s->cfg.max_players;
    w.u.welcome.arena_id = 0;
    w.u.welcome.arena_w = SIM_ARENA_W;
    w.u.welcome.arena_h = SIM_ARENA_H;
    w.u.welcome.server_tick = s->world.tick;
    w.u.welcome.token = p->token;
    netserver_send(s->net, conn, &w);
    proto_msg rm = {.type = PROTO_RATE};
    rm.u.rate.snapshot_hz = (uint8_t)p->hz;
    netserver_send(s->net, conn, &rm);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (s->players[i].used) {
            proto_msg j = server_send_joined_msg(s, i);
            netserver_send(s->net, conn, &j);
        }
    }
    proto_msg match = server_send_match_msg(s);
    netserver_send(s->net, conn, &match);
    /* From now on what p gets goes out with its snapshots (server_tick);
     * this first batch at once. */
    netserver_pace(s->net, conn, true);
    netserver_release(s->net, conn);
    s->info_dirty = true;
}

/* Decides a HELLO now, or holds it for later (admit.h). since_ms: when it
 * arrived. Every refusal here is a REJECT the player can read. */
static void server_decide(server *s, int conn, const proto_hello *h, uint64_t since_ms, uint64_t now_ms)
{
    char name[PROTO_NAME_WIRE_MAX + 1];
    if (!proto_name_valid(h->name, h->name_len) || name_normalise(h->name, h->name_len, name, sizeof name) == 0) {
        log_info("server: refused conn %d: invalid name (%u bytes)", conn, h->name_len);
        netserver_reject(s->net, conn, PROTO_REJECT_NAME);
        return;
    }
    if (!server_gate(s, conn, h, since_ms, now_ms) || !server_claim_name(s, conn, name, h->token, now_ms))
        return;
    reconnect_entry back;
    bool returning = reconnect_claim(&s->gone, name, h->token, now_ms, &back);
    int free_id = -1;
    if (returning && back.id < s->cfg.max_players && !s->players[back.id].used)
        free_id = back.id; /* their old slot, so their spawn and id are familiar */
    for (int i = 0; i < SIM_MAX_PLAYERS && free_id < 0; i++)
        if (!s->players[i].used && i < s->cfg.max_players)
            free_id = i;
    if (free_id < 0) {
        if (returning) /* still theirs to claim when a slot frees up */
            reconnect_remember_entry(&s->gone, &back);
        log_info("server: refused conn %d ('%s'): server full", conn, name);
        netserver_reject(s->net, conn, PROTO_REJECT_FULL);
        return;
    }
    const char *addr = netserver_peer_addr(s->net, conn);
    if (!server_trusted(s, addr))
        admit_joined(&s->admit, addr, now_ms);
    server_player *p = server_seat(s, free_id, conn, name, h, returning ? &back : NULL, now_ms);
    server_welcome(s, p, free_id);
    log_info("server: from %s: '%s' joined as player %d (conn %d, %d players)%s%s", addr, p->name, free_id, conn,
             server_player_count(s), p->host ? ", the host's own player" : "",
             returning ? ", back with their colour and score" : "");
}

void server_join_hello(server *s, int conn, const proto_hello *h)
{
    uint64_t now_ms = SDL_GetTicks64();
    server_decide(s, conn, h, now_ms, now_ms);
}

/* Decides the held HELLOs whose time has come. */
void server_join_run_held(server *s, uint64_t now_ms)
{
    for (int i = 0; i < SERVER_HELD_MAX; i++) {
        server_held *e = &s->held[i];
        if (!e->used || e->due_ms > now_ms)
            continue;
        server_held h = *e;
        e->used = false;
        server_decide(s, h.conn, &h.hello, h.since_ms, now_ms);
    }
}
