#include "server.h"

#include <stdatomic.h>
#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "chat_limiter.h"
#include "delta.h"
#include "lagcomp.h"
#include "log.h"
#include "netclient.h"
#include "name.h"
#include "netserver.h"
#include "proto.h"
#include "runclock.h"
#include "rate.h"
#include "reconnect.h"
#include "sim.h"
#include "simwire.h"
#include "sock.h"

_Static_assert(SERVER_TRUSTED == NETSERVER_TRUSTED, "the server hands its trusted addresses to netserver");

/* PLAYER_INFO (pings, host mark) goes to everyone once a second. */
#define SERVER_INFO_TICKS SIM_TICK_HZ
/* Joins, leaves and renames are told to everyone in batches, at most one
 * every SERVER_ANNOUNCE_TICKS (250 ms): a batch says only how the list
 * changed since the last one, so a player who joined and left in between
 * costs the others nothing, and churning joins cannot multiply traffic. */
#define SERVER_ANNOUNCE_TICKS 15
/* HELLOs the server holds for later (admit.h): a join over its address's
 * rate, a password try during its address's backoff. netserver's
 * handshake pool bounds how many can wait; this is well above it. */
#define SERVER_HELD_MAX 64

/* Inputs buffered per player, one per tick. A client sends them in
 * batches at its snapshot rate; a few more absorb network bunching.
 * Beyond SERVER_INPUT_KEEP plus the last batch's size the oldest are
 * dropped so latency stays low, and nobody gets more than one input per
 * tick, so flooding cannot make a player faster. */
#define SERVER_INPUT_QUEUE 32
#define SERVER_INPUT_KEEP 4
/* Input flood limit: inputs a client may send per second, sustained, and
 * how many it may send at once above that. The burst is the silence
 * limit's worth and a second more (server_input_burst): a network stall
 * the host waits out is survived, and TCP then delivers every input sent
 * meanwhile at once. A client over it is kicked: it cannot move faster
 * anyway, but it costs the host a decode and an event per input. */
#define SERVER_INPUT_RATE_MAX (2 * SIM_TICK_HZ)
/* A player the host has heard nothing from for this long is marked
 * PROTO_PF_SILENT: an idle client still sends two inputs a second. */
#define SERVER_SILENT_MS 1500
/* HOST_PLAN goes out after every join and departure, and every 2 s (for
 * who fell silent or spoke again). */
#define SERVER_PLAN_TICKS (2 * SIM_TICK_HZ)
#define SERVER_TICK_US (1000000 / SIM_TICK_HZ)
#define SERVER_TICK_SAMPLES 128
/* While nothing moves, a KEEPALIVE every 30 ticks (500 ms) keeps the
 * client's tick, ack_seq and baseline fresh (well inside DELTA_WINDOW)
 * for a thirtieth of the messages: with the TCP acks each one draws, an
 * idle client then costs under 1 KB/s each way. */
#define SERVER_KEEPALIVE_TICKS 30
/* Distinct baselines delta-coded per tick; clients mostly share one or
 * two (their acks lag by the same tick or so), so each delta is made and
 * encoded once; a client's copy differs only in its few head bytes. */
#define SERVER_DELTA_CACHE 4
#define SERVER_PUMP_GAP_US 2000 /* see server_thread */
/* The server loop never waits longer than a tick; a step of its clock
 * longer than this means the process was stopped, and the connections'
 * silence clocks count no more of it (runclock.h). */
#define SERVER_PAUSE_STEP_MS 1000
/* A client's link is full (its next snapshot waits) past this much queue. */
#define SERVER_BACKLOG_MS 250
#define SERVER_BACKLOG_MIN 4096

/* What was sent to one client at a tick, for using that tick as its base. */
typedef struct {
    uint32_t tick;
    uint32_t ack_seq;
    bool valid;
    uint64_t at_us; /* when it was queued: its ack times the round trip */
} server_sent;

typedef struct {
    uint32_t base_tick;
    bool same_world;       /* KEEPALIVE suffices */
    bool full_is_smaller;  /* the delta would not save bytes */
    proto_msg msg;         /* SNAPSHOT_DELTA (its ack_seq is per client) */
    uint8_t tail[PROTO_MAX_MESSAGE_SIZE]; /* msg past its head, encoded */
    size_t tail_len;
} server_delta_cache;

/* One tick's input from a batch, and where its client drew the others
 * when it was made: view_back quarter ticks behind ack_tick (lagcomp). */
typedef struct {
    uint32_t seq;
    uint8_t buttons;
    uint32_t ack_tick;
    uint32_t view_back;
} server_input;

typedef struct {
    bool used;
    int conn;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t colour;
    uint8_t last_buttons;
    uint32_t last_seq;     /* newest seq applied */
    uint32_t newest_seq;   /* newest seq received */
    server_input queue[SERVER_INPUT_QUEUE];
    int queue_len;
    int input_batch;       /* new inputs in the newest INPUT */
    uint64_t input_level;    /* flood bucket, in 1/1000 input */
    uint64_t input_drain_ms; /* when input_level was last drained */
    uint32_t snapshots_sent;
    bool has_ack;
    uint32_t ack_tick;     /* newest snapshot tick the client says it has */
    uint32_t last_sent_tick;
    server_sent sent[DELTA_WINDOW]; /* by tick % DELTA_WINDOW */
    uint64_t token;        /* reconnect token, from WELCOME */
    uint32_t gen;          /* which join this is (announcements tell joins apart) */
    uint64_t joined_ms;
    bool host;             /* presented the hosting app's token */
    float rtt_ms;          /* smoothed; 0 until the first sample */
    chat_limiter chat;
    rate_state rate;       /* this client's snapshot rate */
    int hz;                /* the rate last announced in a RATE */
    uint64_t link_bytes_out, link_at_ms; /* for its send rate */
    float sent_per_s;      /* bytes a second the kernel took for it, smoothed */
    uint32_t snapshots_skipped; /* due while its link was full (server_snapshot_due) */
    uint64_t heard_ms;     /* when its last message arrived */
    uint64_t joined;       /* order of arrival, for the plan */
    uint32_t addr;         /* IPv4 it connects from, host byte order */
    bool in_process;       /* one of this process's own clients */
    uint32_t view_lag_q;   /* quarter ticks its screen trails the world (lagcomp) */
} server_player;

/* What the other players were last told about a player slot. */
typedef struct {
    bool present;
    uint32_t gen;
    uint8_t colour;
    char name[PROTO_NAME_WIRE_MAX + 1];
} server_announced;

/* A server_kick waiting for the server thread. */
typedef struct {
    int id;
    char name[PROTO_NAME_WIRE_MAX + 1];
} server_kick_req;

/* A HELLO whose decision waits (admit.h). */
typedef struct {
    bool used;
    int conn;
    uint64_t since_ms, due_ms;
    proto_hello hello;
} server_held;

struct server {
    server_config cfg;
    netserver *net;
    uint16_t port;
    SDL_Thread *thread;
    atomic_int stop;
    atomic_int start_round; /* server_start_round asked; taken at the next tick */
    SDL_mutex *kick_lock;   /* guards kicks and kick_count (server_kick) */
    server_kick_req kicks[SERVER_KICKS];
    int kick_count;
    atomic_int kicks_waiting; /* kick_count > 0, read without the lock */
    SDL_mutex *stats_lock;
    server_stats stats;
    sim_world published; /* copy of world after each tick, under stats_lock */
    sim_world world;
    server_player players[SIM_MAX_PLAYERS];
    proto_msg scratch; /* the snapshot is large; build it off the stack */
    proto_msg keepalive;
    bool scratch_ready; /* scratch holds this tick's full snapshot */
    proto_snapshot ring[DELTA_WINDOW]; /* world by tick % DELTA_WINDOW (ack_seq 0) */
    server_delta_cache cache[SERVER_DELTA_CACHE];
    int cache_len;
    uint32_t full_sent, delta_sent, keepalive_sent;
    float tick_samples[SERVER_TICK_SAMPLES];
    int tick_sample_count;
    reconnect_table gone; /* players who left, for reconnects */
    admit_table admit;    /* per-address join rate and password backoff */
    server_held held[SERVER_HELD_MAX];
    server_announced announced[SIM_MAX_PLAYERS];
    uint8_t left_reason[SIM_MAX_PLAYERS]; /* why the slot's last player left */
    bool info_dirty;      /* PLAYER_INFO is due with the next batch */
    uint32_t last_announce_tick;
    uint32_t next_gen;
    int input_burst;      /* see SERVER_INPUT_RATE_MAX */
    uint64_t joins;       /* players welcomed so far */
    bool plan_due;        /* a join or departure since the last plan */
    migrate_candidate candidates[SIM_MAX_PLAYERS]; /* server_send_plan's */
    atomic_int handover; /* server_stop_handover */
    lagcomp lag;
    sim_match sent_match; /* the MATCH last broadcast */
    uint32_t hits, dashes;
};

/* Microseconds on the performance counter, split so the product cannot
 * overflow however long the machine has been up. */
static uint64_t server_now_us(void)
{
    uint64_t c = SDL_GetPerformanceCounter(), f = SDL_GetPerformanceFrequency();
    return c / f * 1000000 + c % f * 1000000 / f;
}

server_config server_default_config(void)
{
    server_config c = {0};
    c.port = PROTO_DEFAULT_PORT;
    c.max_players = SERVER_DEFAULT_MAX_PLAYERS;
    c.handshake_timeout_ms = 4000; /* "within 5 s" with a second to spare for the poll */
    c.silence_timeout_ms = NETCLIENT_SILENCE_MS; /* host and players wait as long as each other */
    SDL_strlcpy(c.trusted_addr[0], "127.0.0.1", sizeof c.trusted_addr[0]);
    c.round_seconds = SIM_ROUND_SECONDS_DEFAULT;
    return c;
}

static int server_player_of_conn(server *s, int conn)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->players[i].used && s->players[i].conn == conn)
            return i;
    return -1;
}

static int server_player_count(server *s)
{
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        n += s->players[i].used;
    return n;
}

static proto_msg server_joined_msg(const server *s, int id)
{
    proto_msg m = {.type = PROTO_PLAYER_JOINED};
    m.u.joined.id = (uint8_t)id;
    m.u.joined.colour = s->players[id].colour;
    size_t n = strlen(s->players[id].name);
    memcpy(m.u.joined.name, s->players[id].name, n + 1);
    m.u.joined.name_len = (uint8_t)n;
    m.u.joined.proof = proto_token_proof(s->players[id].token);
    return m;
}

static void server_broadcast(server *s, const proto_msg *m, int except_id)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->players[i].used && i != except_id)
            netserver_send(s->net, s->players[i].conn, m);
}

static void server_remove(server *s, int id, uint8_t reason, const char *why);
static void server_send_info(server *s);

static proto_msg server_match_msg(const server *s)
{
    proto_msg msg = {.type = PROTO_MATCH};
    msg.u.match = simwire_match_to_wire(&s->world.match);
    return msg;
}

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

static void server_notice(server *s, const server_player *p, const char *text);

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

static void server_forget_held(server *s, int conn)
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
    const char *addr = netserver_peer_addr(s->net, conn);
    bool trusted = server_trusted(s, addr);
    bool has_password = s->cfg.password[0] != '\0';
    uint64_t wait = admit_wait(&s->admit, addr, !trusted, has_password, now_ms);
    if (wait > 0) {
        if (now_ms + wait - since_ms <= server_hold_max_ms(s) && server_hold(s, conn, h, since_ms, now_ms + wait))
            return;
        /* Too long a wait: refused unseen. A password is not checked. */
        log_debug("server: refused conn %d (%s): its address must wait %llu ms more", conn, addr,
                  (unsigned long long)wait);
        netserver_reject_quietly(s->net, conn, has_password ? PROTO_REJECT_PASSWORD : PROTO_REJECT_FULL);
        return;
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
        return;
    }
    if (has_password)
        admit_password_ok(&s->admit, addr);
    /* A returning player's token wins their name back from anyone who
     * took it (or a lookalike of it) meanwhile. */
    bool holder = reconnect_holds(&s->gone, name, h->token, now_ms);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (!s->players[i].used || !name_alike(s->players[i].name, name))
            continue;
        if (h->token != 0 && h->token == s->players[i].token) {
            /* The same player on a new connection before we noticed the
             * old one die: the token proves it, so the old one goes (and
             * is remembered below like any departure). */
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
            server_notice(s, &s->players[i], text);
            continue;
        }
        log_info("server: refused conn %d: name '%s' is taken", conn, name);
        netserver_reject(s->net, conn, PROTO_REJECT_NAME_TAKEN);
        return;
    }
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
    if (!trusted)
        admit_joined(&s->admit, addr, now_ms);

    /* The slot is taken here, on the only thread that assigns slots. */
    server_player *p = &s->players[free_id];
    memset(p, 0, sizeof *p);
    p->used = true;
    p->conn = conn;
    p->gen = ++s->next_gen;
    p->joined_ms = now_ms;
    p->host = s->cfg.host_token != 0 && h->token == s->cfg.host_token;
    /* A returning player keeps the token it presented (a migrated game
     * remembers only its proof). */
    p->token = p->host ? s->cfg.host_token : returning ? h->token : reconnect_new_token();
    p->joined = ++s->joins;
    uint16_t peer_port = 0;
    if (netserver_peer(s->net, conn, &p->addr, &peer_port))
        p->in_process = (p->addr >> 24) == 127 && netclient_is_own_port(peer_port);
    s->plan_due = true;
    p->colour = returning ? back.colour : server_pick_colour(s, free_id, h->colour);
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
    sim_add_player(&s->world, free_id);
    if (returning) {
        sim_player *sp = &s->world.players[free_id];
        sp->score = back.score;
        if (back.placed) { /* where they were when their old host left */
            sp->x = back.x;
            sp->y = back.y;
            sp->facing = back.facing;
        }
    }
    netserver_accept(s->net, conn);

    proto_msg w = {.type = PROTO_WELCOME};
    w.u.welcome.player_id = (uint8_t)free_id;
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
    /* The newcomer hears the list as it is now; everyone else hears of
     * the newcomer with the next batch (server_announce). */
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (s->players[i].used) {
            proto_msg j = server_joined_msg(s, i);
            netserver_send(s->net, conn, &j);
        }
    }
    proto_msg match = server_match_msg(s);
    netserver_send(s->net, conn, &match);
    /* From now on what p gets goes out with its snapshots (server_tick);
     * this first batch at once. */
    netserver_pace(s->net, conn, true);
    netserver_release(s->net, conn);
    s->info_dirty = true;
    log_info("server: from %s: '%s' joined as player %d (conn %d, %d players)%s%s", addr, p->name, free_id, conn,
             server_player_count(s), p->host ? ", the host's own player" : "",
             returning ? ", back with their colour and score" : "");
}

static void server_on_hello(server *s, int conn, const proto_hello *h)
{
    uint64_t now_ms = SDL_GetTicks64();
    server_decide(s, conn, h, now_ms, now_ms);
}

/* Decides the held HELLOs whose time has come. */
static void server_run_held(server *s, uint64_t now_ms)
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

/* Tells everyone how the player list changed since the last batch: a
 * LEFT for each slot whose announced player is gone, a JOINED for each
 * player not yet announced (or renamed), then everyone's PLAYER_INFO. */
static void server_announce(server *s)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        server_announced *a = &s->announced[i];
        const server_player *p = &s->players[i];
        if (a->present && !(p->used && p->gen == a->gen)) {
            proto_msg m = {.type = PROTO_PLAYER_LEFT};
            m.u.left.id = (uint8_t)i;
            m.u.left.reason = s->left_reason[i];
            server_broadcast(s, &m, -1);
            a->present = false;
            s->info_dirty = true;
        }
        if (p->used && (!a->present || a->colour != p->colour || strcmp(a->name, p->name) != 0)) {
            proto_msg j = server_joined_msg(s, i);
            server_broadcast(s, &j, -1);
            a->present = true;
            a->gen = p->gen;
            a->colour = p->colour;
            SDL_strlcpy(a->name, p->name, sizeof a->name);
            s->info_dirty = true;
        }
    }
    if (s->info_dirty)
        server_send_info(s);
    s->info_dirty = false;
}

static void server_remove(server *s, int id, uint8_t reason, const char *why)
{
    server_player *p = &s->players[id];
    log_info("server: '%s' (player %d) left: %s", p->name, id, why);
    p->used = false;
    /* Kicked players broke a limit or were removed by the host; everyone
     * else may come back with colour and score. */
    uint64_t now_ms = SDL_GetTicks64();
    if (reason != PROTO_BYE_KICKED && reason != PROTO_BYE_KICKED_BY_HOST)
        reconnect_remember(&s->gone, p->name, p->token, (uint8_t)id, p->colour, s->world.players[id].score,
                           now_ms > p->joined_ms ? now_ms - p->joined_ms : 0, now_ms);
    sim_remove_player(&s->world, id);
    s->plan_due = true;
    /* The others hear of it with the next batch (server_announce). */
    s->left_reason[id] = reason;
}

/* Leaky bucket, zeroed with the player: each input adds one, it drains
 * at SERVER_INPUT_RATE_MAX a second, and an input that overflows
 * the burst is a flood. */
static bool server_input_allowed(server_player *p, uint64_t now_ms, int burst)
{
    uint64_t drained = (now_ms - p->input_drain_ms) * SERVER_INPUT_RATE_MAX;
    p->input_drain_ms = now_ms;
    p->input_level = drained >= p->input_level ? 0 : p->input_level - drained;
    p->input_level += 1000;
    return p->input_level <= (uint64_t)burst * 1000;
}

static void server_on_input(server *s, int id, const proto_input *in)
{
    server_player *p = &s->players[id];
    if (!server_input_allowed(p, SDL_GetTicks64(), s->input_burst)) {
        char why[96];
        SDL_snprintf(why, sizeof why, "input flood: over %d inputs a second (burst %d)",
                     SERVER_INPUT_RATE_MAX, s->input_burst);
        netserver_drop(s->net, p->conn, PROTO_BYE_KICKED, why);
        return;
    }
    /* The ack counts even when the input itself is not applied. */
    if (!p->has_ack || (int32_t)(in->ack_tick - p->ack_tick) > 0) {
        p->ack_tick = in->ack_tick;
        p->has_ack = true;
        /* Ping as Quake III measures it: from sending a snapshot to the
         * input that acknowledges it. That includes up to a tick of the
         * client's input pacing, which a player's keys feel too. */
        const server_sent *st = &p->sent[in->ack_tick % DELTA_WINDOW];
        if (st->valid && st->tick == in->ack_tick) {
            float ms = (float)(server_now_us() - st->at_us) / 1000.0f;
            p->rtt_ms = p->rtt_ms == 0.0f ? ms : p->rtt_ms + 0.125f * (ms - p->rtt_ms);
            if (p->rtt_ms < 0.001f)
                p->rtt_ms = 0.001f;
        }
    }
    /* Each seq once, oldest first: the history repeats earlier ticks, and
     * a seq already received (replayed, reordered, or repeated for
     * redundancy) is ignored. */
    int batch = 0;
    for (int k = in->history_len; k >= 0; k--) {
        uint32_t seq = in->seq - (uint32_t)k;
        if (seq == 0 || (p->newest_seq != 0 && (int32_t)(seq - p->newest_seq) <= 0))
            continue;
        p->newest_seq = seq;
        if (p->queue_len == SERVER_INPUT_QUEUE) {
            memmove(p->queue, p->queue + 1, sizeof p->queue[0] * (SERVER_INPUT_QUEUE - 1));
            p->queue_len--;
        }
        /* An earlier tick's input was made a tick earlier per step back,
         * when the others were drawn that much earlier too. */
        p->queue[p->queue_len++] = (server_input){.seq = seq,
                                                  .buttons = k ? in->history[k - 1] : in->buttons,
                                                  .ack_tick = in->ack_tick,
                                                  .view_back = in->view_back + 4u * (uint32_t)k};
        batch++;
    }
    if (batch > 0)
        p->input_batch = batch;
}

/* A CHAT from the host itself, to one player. */
static void server_notice(server *s, const server_player *p, const char *text)
{
    proto_msg m = {.type = PROTO_CHAT};
    m.u.chat.from = PROTO_CHAT_FROM_HOST;
    m.u.chat.text_len = (uint8_t)SDL_strlcpy(m.u.chat.text, text, sizeof m.u.chat.text);
    netserver_send(s->net, p->conn, &m);
}

/* Relayed to everyone, the sender too, so all see one order. */
static void server_on_chat(server *s, int id, const proto_chat *c)
{
    server_player *p = &s->players[id];
    switch (chat_limiter_take(&p->chat, SDL_GetTicks64())) {
    case CHAT_OK:
        break;
    case CHAT_DROP:
        return;
    case CHAT_DROP_NOTIFY:
        log_info("server: dropped chat from '%s': over %d messages in %d s", p->name, CHAT_RATE_COUNT,
                 CHAT_RATE_WINDOW_MS / 1000);
        server_notice(s, p, "You are sending messages too fast; that one was not sent.");
        return;
    case CHAT_KICK: {
        char why[96];
        SDL_snprintf(why, sizeof why, "chat flood: %d messages dropped for the rate limit", CHAT_KICK_DROPS);
        netserver_drop(s->net, p->conn, PROTO_BYE_KICKED, why);
        return;
    }
    }
    if (!proto_chat_valid(c->text, c->text_len)) {
        log_info("server: refused chat from '%s' (%u bytes): not 1..%d bytes of text without control characters",
                 p->name, c->text_len, PROTO_CHAT_MAX);
        char text[96];
        SDL_snprintf(text, sizeof text, "That message was not sent: at most %d bytes of text, no control characters.",
                     PROTO_CHAT_MAX);
        server_notice(s, p, text);
        return;
    }
    proto_msg m = {.type = PROTO_CHAT};
    m.u.chat = *c;
    m.u.chat.from = (uint8_t)id;
    server_broadcast(s, &m, -1);
    log_debug("server: chat from '%s' (%u bytes)", p->name, c->text_len);
}

/* Everyone's ping and the host mark, to everyone. */
static void server_send_info(server *s)
{
    uint64_t now_ms = SDL_GetTicks64();
    proto_msg m = {.type = PROTO_PLAYER_INFO};
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const server_player *p = &s->players[i];
        if (!p->used)
            continue;
        proto_player_info_entry *e = &m.u.info.entries[m.u.info.count++];
        e->id = (uint8_t)i;
        e->ping_ms = p->rtt_ms <= 0.0f ? PROTO_PING_UNKNOWN
                     : p->rtt_ms >= PROTO_PING_UNKNOWN - 1 ? PROTO_PING_UNKNOWN - 1
                                                          : (uint16_t)(p->rtt_ms + 0.5f);
        e->flags = (uint8_t)((p->host ? PROTO_PF_HOST : 0) |
                             (now_ms - p->heard_ms > SERVER_SILENT_MS ? PROTO_PF_SILENT : 0));
    }
    server_broadcast(s, &m, -1);
}

/* Who takes over if this host goes, to everyone. */
static void server_send_plan(server *s, uint8_t flags)
{
    migrate_candidate *cand = s->candidates;
    uint64_t now_ms = SDL_GetTicks64();
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const server_player *p = &s->players[i];
        if (p->used)
            cand[n++] = (migrate_candidate){.id = (uint8_t)i, .joined = p->joined, .addr = p->addr,
                                            .in_process = p->in_process,
                                            .silent = now_ms - p->heard_ms > SERVER_SILENT_MS};
    }
    proto_msg m = {.type = PROTO_HOST_PLAN};
    m.u.plan.flags = flags;
    m.u.plan.port = s->port;
    migrate_order(cand, n, &m.u.plan);
    server_broadcast(s, &m, -1);
    s->plan_due = false;
}

/* The kicks server_kick posted: each player still in its slot under the
 * name the host saw, and not the host's own, is told why and dropped;
 * server_remove then tells the others. */
static void server_take_kicks(server *s)
{
    if (!atomic_load(&s->kicks_waiting))
        return;
    server_kick_req k[SERVER_KICKS];
    SDL_LockMutex(s->kick_lock);
    int n = s->kick_count;
    memcpy(k, s->kicks, sizeof k[0] * (size_t)n);
    s->kick_count = 0;
    atomic_store(&s->kicks_waiting, 0);
    SDL_UnlockMutex(s->kick_lock);
    for (int i = 0; i < n; i++) {
        server_player *p = &s->players[k[i].id];
        if (!p->used || strcmp(p->name, k[i].name) != 0) {
            log_info("server: not kicking '%s' (player %d): no longer in that slot", k[i].name, k[i].id);
        } else if (p->host) {
            log_info("server: not kicking '%s' (player %d): the host cannot kick itself", p->name, k[i].id);
        } else {
            log_info("server: the host kicked '%s' (player %d)", p->name, k[i].id);
            netserver_drop(s->net, p->conn, PROTO_BYE_KICKED_BY_HOST, "kicked by the host");
        }
    }
}

static void server_handle_events(server *s)
{
    netserver_event ev;
    while (netserver_next_event(s->net, &ev)) {
        int id = server_player_of_conn(s, ev.conn);
        switch (ev.type) {
        case NETSERVER_EV_HELLO:
            server_on_hello(s, ev.conn, &ev.msg.u.hello);
            break;
        case NETSERVER_EV_DISCONNECT:
            server_forget_held(s, ev.conn);
            if (id >= 0)
                server_remove(s, id, ev.bye_reason, ev.reason);
            break;
        case NETSERVER_EV_MESSAGE:
            if (id < 0)
                break;
            s->players[id].heard_ms = SDL_GetTicks64();
            if (ev.msg.type == PROTO_INPUT) {
                server_on_input(s, id, &ev.msg.u.input);
            } else if (ev.msg.type == PROTO_CHAT_SEND) {
                server_on_chat(s, id, &ev.msg.u.chat);
            } else if (ev.msg.type == PROTO_GOODBYE) {
                netserver_drop(s->net, ev.conn, PROTO_BYE_QUIT, "said goodbye");
            } else {
                char why[96];
                SDL_snprintf(why, sizeof why, "unexpected %s from a client", proto_type_name(ev.msg.type));
                netserver_drop(s->net, ev.conn, PROTO_BYE_PROTOCOL_ERROR, why);
            }
            break;
        }
    }
}

/* The base for p: the tick it acknowledged, if that tick was sent to p and
 * the world of then is still in the ring. NULL: p gets a full snapshot. */
static const proto_snapshot *server_base_for(const server *s, const server_player *p, uint32_t now,
                                             uint32_t *base_ack_seq)
{
    if (s->cfg.no_delta || !p->has_ack)
        return NULL;
    uint32_t age = now - p->ack_tick;
    if (age == 0 || age >= DELTA_WINDOW)
        return NULL;
    const server_sent *sent = &p->sent[p->ack_tick % DELTA_WINDOW];
    const proto_snapshot *base = &s->ring[p->ack_tick % DELTA_WINDOW];
    if (!sent->valid || sent->tick != p->ack_tick || base->tick != p->ack_tick)
        return NULL;
    *base_ack_seq = sent->ack_seq;
    return base;
}

/* This tick's delta from base, made once however many clients share it. */
static server_delta_cache *server_delta_from(server *s, const proto_snapshot *base, const proto_snapshot *cur)
{
    for (int i = 0; i < s->cache_len; i++)
        if (s->cache[i].base_tick == base->tick)
            return &s->cache[i];
    /* Full: reuse the last slot; a fifth distinct base in one tick is rare. */
    server_delta_cache *c = &s->cache[s->cache_len < SERVER_DELTA_CACHE ? s->cache_len++ : SERVER_DELTA_CACHE - 1];
    c->base_tick = base->tick;
    c->same_world = delta_same_world(base, cur);
    c->full_is_smaller = false;
    if (!c->same_world) {
        c->msg.type = PROTO_SNAPSHOT_DELTA;
        c->tail_len = 0;
        if (delta_make(base, cur, &c->msg.u.delta))
            c->tail_len = proto_encode_delta_tail(&c->msg.u.delta, c->tail, sizeof c->tail);
        /* 7: the head's size with a one-byte ack varint, the usual case. */
        c->full_is_smaller = c->tail_len == 0 || c->tail_len + 7 >= PROTO_SNAPSHOT_SIZE(cur->player_count, cur->gem_count);
    }
    return c;
}

/* Sends p this tick's snapshot in the cheapest form that lets it rebuild
 * the world exactly. False only when the connection was dropped. */
static bool server_send_snapshot(server *s, server_player *p, const proto_snapshot *cur)
{
    uint32_t base_ack = 0;
    const proto_snapshot *base = server_base_for(s, p, cur->tick, &base_ack);
    proto_msg *m = NULL;
    const server_delta_cache *delta = NULL;
    if (base) {
        server_delta_cache *c = server_delta_from(s, base, cur);
        if (c->same_world) {
            if (cur->tick - p->last_sent_tick < SERVER_KEEPALIVE_TICKS)
                return true; /* nothing new to say yet */
            m = &s->keepalive;
            m->type = PROTO_KEEPALIVE;
            m->u.keepalive.tick = cur->tick;
            m->u.keepalive.base_age = (uint8_t)(cur->tick - base->tick);
            m->u.keepalive.ack_seq = p->last_seq;
        } else if (!c->full_is_smaller) {
            delta = c;
        }
    }
    if (delta) {
        uint8_t head[PROTO_DELTA_HEAD_MAX];
        size_t n = proto_encode_delta_head(cur->tick, delta->msg.u.delta.base_age, p->last_seq - base_ack, head,
                                           sizeof head);
        if (!netserver_send_parts(s->net, p->conn, head, n, delta->tail, delta->tail_len))
            return false;
    } else if (!m) {
        m = &s->scratch;
        if (!s->scratch_ready) {
            m->type = PROTO_SNAPSHOT;
            m->u.snapshot = *cur;
            s->scratch_ready = true;
        }
        m->u.snapshot.ack_seq = p->last_seq;
    }
    if (m && !netserver_send(s->net, p->conn, m))
        return false;
    p->sent[cur->tick % DELTA_WINDOW] =
        (server_sent){.tick = cur->tick, .ack_seq = p->last_seq, .valid = true, .at_us = server_now_us()};
    p->last_sent_tick = cur->tick;
    p->snapshots_sent++;
    if (delta)
        s->delta_sent++;
    else if (m->type == PROTO_SNAPSHOT)
        s->full_sent++;
    else
        s->keepalive_sent++;
    return true;
}

/* Looks at p's link and moves its rate (rate.h); announces a change with
 * a RATE. False when p was dropped: even the lowest rate does not get
 * through. */
static bool server_adapt_rate(server *s, server_player *p, uint64_t now_ms)
{
    if (now_ms - p->link_at_ms < RATE_EVAL_MS)
        return true;
    netserver_link link;
    if (!netserver_link_info(s->net, p->conn, &link))
        return true;
    double secs = (double)(now_ms - p->link_at_ms) / 1000.0;
    float per_s = (float)((double)(link.bytes_out - p->link_bytes_out) / secs);
    p->sent_per_s = p->sent_per_s == 0.0f ? per_s : p->sent_per_s + 0.25f * (per_s - p->sent_per_s);
    p->link_bytes_out = link.bytes_out;
    p->link_at_ms = now_ms;
    size_t backlog = link.outbox + link.unacked;
    rate_link rl = {.backlog_bytes = backlog > UINT32_MAX ? UINT32_MAX : (uint32_t)backlog,
                    .sent_per_s = (uint32_t)p->sent_per_s,
                    .rtt_ms = p->rtt_ms};
    int hz = rate_update(&p->rate, &rl, now_ms);
    if (rate_hopeless(&p->rate)) {
        char why[128];
        SDL_snprintf(why, sizeof why, "too slow: even %d snapshots a second do not get through (%zu bytes waiting)",
                     hz, backlog);
        netserver_drop(s->net, p->conn, PROTO_BYE_TOO_SLOW, why);
        return false;
    }
    if (hz != p->hz) {
        log_info("server: '%s' now gets %d snapshots a second (was %d; %zu bytes waiting, round trip %.0f ms)",
                 p->name, hz, p->hz, backlog, (double)p->rtt_ms);
        p->hz = hz;
        proto_msg m = {.type = PROTO_RATE};
        m.u.rate.snapshot_hz = (uint8_t)hz;
        return netserver_send(s->net, p->conn, &m);
    }
    return true;
}

/* Whether p's next snapshot is due at tick (rate_due at p's rate). It
 * waits while the link is full: more bytes in p's outbox and
 * unacknowledged in the kernel than SERVER_BACKLOG_MS of what p's link
 * has carried (and SERVER_BACKLOG_MIN bytes). A few snapshots in the
 * outbox are normal: ticks that catch up after a late wake-up queue one
 * each before the next pump writes them. A snapshot queued behind
 * them would arrive old, its acknowledgement later still, so the deltas
 * after it would be coded against older bases and grow; skipped, the
 * next one goes out fresh as soon as the link has room, while rate.c
 * brings the rate down to what the link carries. */
static bool server_snapshot_due(const server *s, server_player *p, uint32_t tick)
{
    if (!rate_due(p->hz, SIM_TICK_HZ, tick, p->last_sent_tick))
        return false;
    netserver_link link;
    if (p->last_sent_tick == 0 || !netserver_link_info(s->net, p->conn, &link))
        return true;
    size_t room = (size_t)(p->sent_per_s * SERVER_BACKLOG_MS / 1000.0f);
    if (room < SERVER_BACKLOG_MIN)
        room = SERVER_BACKLOG_MIN;
    if (link.outbox + link.unacked > room) {
        p->snapshots_skipped++;
        return false;
    }
    return true;
}

static void server_log_round_end(const server *s)
{
    const sim_match *m = &s->world.match;
    int best = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->world.players[i].active && s->world.players[i].score > best)
            best = s->world.players[i].score;
    if (m->winner < SIM_MAX_PLAYERS && s->players[m->winner].used)
        log_info("server: round %u over: '%s' wins with %d point%s", m->round, s->players[m->winner].name, best,
                 best == 1 ? "" : "s");
    else
        log_info("server: round %u over: a draw at %d point%s", m->round, best, best == 1 ? "" : "s");
}

/* The step's events to everyone, and the match when it changed (or once
 * a second, so a late clock catches up). */
static void server_after_step(server *s)
{
    for (int i = 0; i < s->world.event_count; i++) {
        const sim_event *e = &s->world.events[i];
        if (e->type == SIM_EV_DASH) {
            s->dashes++; /* everyone sees dashes in the snapshots */
            continue;
        }
        if (e->type == SIM_EV_HIT)
            s->hits++;
        if (e->type == SIM_EV_ROUND_END)
            server_log_round_end(s);
        if (e->type == SIM_EV_ROUND_START) {
            reconnect_clear_scores(&s->gone);
            log_info("server: round %u started", s->world.match.round);
        }
        proto_msg m = {.type = PROTO_EVENT};
        m.u.event = simwire_event_to_wire(e);
        server_broadcast(s, &m, -1);
    }
    const sim_match *now = &s->world.match, *was = &s->sent_match;
    bool changed = now->phase != was->phase || now->round != was->round || now->round_ticks != was->round_ticks ||
                   now->score_limit != was->score_limit || now->winner != was->winner ||
                   (now->left > 0) != (was->left > 0);
    if (changed || s->world.tick % SERVER_INFO_TICKS == 0) {
        proto_msg m = server_match_msg(s);
        server_broadcast(s, &m, -1);
        s->sent_match = *now;
    }
}

static void server_tick(server *s)
{
    if (atomic_exchange(&s->start_round, 0))
        sim_match_start(&s->world);
    uint8_t buttons[SIM_MAX_PLAYERS] = {0};
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        server_player *p = &s->players[i];
        if (!p->used)
            continue;
        int keep = SERVER_INPUT_KEEP - 1 + (p->input_batch > 1 ? p->input_batch : 1);
        if (keep > SERVER_INPUT_QUEUE)
            keep = SERVER_INPUT_QUEUE;
        if (p->queue_len > keep) {
            int drop = p->queue_len - keep;
            memmove(p->queue, p->queue + drop, sizeof p->queue[0] * (size_t)keep);
            p->queue_len = keep;
        }
        if (p->queue_len > 0) {
            /* The seq gap is counted as applied: those inputs were either
             * dropped above or never sent, and the client must not replay
             * them forever. */
            p->last_buttons = p->queue[0].buttons & PROTO_BTN_MASK;
            p->last_seq = p->queue[0].seq;
            /* The tick this input's dash hits land on is world.tick + 1. */
            uint32_t now = s->world.tick + 1;
            p->view_lag_q = now * 4 - lagcomp_view_q_within(now, p->queue[0].ack_tick, p->queue[0].view_back,
                                                            s->cfg.lagcomp_max_ms);
            memmove(p->queue, p->queue + 1, sizeof p->queue[0] * (size_t)(p->queue_len - 1));
            p->queue_len--;
        }
        /* No input this tick: repeat the last one, as Quake III does. */
        buttons[i] = p->last_buttons;
        uint32_t now_q = (s->world.tick + 1) * 4;
        lagcomp_set_view(&s->lag, s->world.tick + 1, i, now_q - (p->view_lag_q < now_q ? p->view_lag_q : now_q));
    }
    sim_step_judged(&s->world, buttons, lagcomp_judge, &s->lag);
    lagcomp_record(&s->lag, &s->world);
    server_after_step(s);

    /* The world goes into the ring once; each client's message is coded
     * against its own acknowledged tick. */
    proto_snapshot *cur = &s->ring[s->world.tick % DELTA_WINDOW];
    simwire_world_to_snapshot(&s->world, cur);
    cur->ack_seq = 0;
    s->cache_len = 0;
    s->scratch_ready = false;
    uint64_t now_ms = SDL_GetTicks64();
    bool release[SIM_MAX_PLAYERS];
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        server_player *p = &s->players[i];
        release[i] = p->used && rate_due(p->hz, SIM_TICK_HZ, cur->tick, p->last_sent_tick);
        if (p->used && server_adapt_rate(s, p, now_ms) && server_snapshot_due(s, p, cur->tick))
            server_send_snapshot(s, p, cur);
    }
    if (s->world.tick % SERVER_INFO_TICKS == 0)
        s->info_dirty = true;
    if (s->world.tick - s->last_announce_tick >= SERVER_ANNOUNCE_TICKS) {
        server_announce(s);
        s->last_announce_tick = s->world.tick;
    }
    if (s->plan_due || s->world.tick % SERVER_PLAN_TICKS == 0)
        server_send_plan(s, 0);
    /* Each player's connection is paced: what this tick and the ticks
     * since queued for it (events, the match, the lists, chat, its PONG)
     * goes out with its snapshot, in one segment, on the ticks its rate
     * makes due, and waits at most one snapshot interval. */
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (release[i] && s->players[i].used)
            netserver_release(s->net, s->players[i].conn);
    SDL_LockMutex(s->stats_lock);
    s->published = s->world;
    SDL_UnlockMutex(s->stats_lock);
}

static int server_cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void server_publish_stats(server *s, uint32_t ticks_in_window, double window_s)
{
    server_stats st = {0};
    st.tick = s->world.tick;
    st.players = server_player_count(s);
    uint32_t sent = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (s->players[i].used) {
            sent += s->players[i].snapshots_sent;
        }
        s->players[i].snapshots_sent = 0;
    }
    st.snapshot_hz = st.players ? (float)(sent / (double)st.players / window_s) : 0.0f;
    st.tick_hz = (float)(ticks_in_window / window_s);
    netserver_stats ns = netserver_get_stats(s->net);
    st.bytes_in = ns.bytes_in;
    st.bytes_out = ns.bytes_out;
    st.connections = ns.connections;
    st.full_sent = s->full_sent;
    st.delta_sent = s->delta_sent;
    st.keepalive_sent = s->keepalive_sent;
    st.phase = s->world.match.phase;
    st.round = s->world.match.round;
    st.round_left_s = sim_match_seconds_left(&s->world.match);
    st.hits = s->hits;
    st.rewinds = s->lag.rewinds;
    st.rewinds_at_bound = s->lag.at_bound;
    st.rewind_ms_mean = s->lag.rewinds ? (float)s->lag.rewound_q_total / (float)s->lag.rewinds * 250.0f / SIM_TICK_HZ : 0;
    st.dashes = s->dashes;
    if (s->tick_sample_count > 0) {
        float sorted[SERVER_TICK_SAMPLES];
        int n = s->tick_sample_count;
        memcpy(sorted, s->tick_samples, sizeof(float) * (size_t)n);
        qsort(sorted, (size_t)n, sizeof(float), server_cmp_float);
        st.tick_ms_p50 = sorted[n / 2];
        st.tick_ms_p99 = sorted[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
    }
    s->tick_sample_count = 0;
    SDL_LockMutex(s->stats_lock);
    s->stats = st;
    SDL_UnlockMutex(s->stats_lock);
}

static int server_thread(void *arg)
{
    server *s = arg;
    const uint64_t freq = SDL_GetPerformanceFrequency();
    uint64_t start = SDL_GetPerformanceCounter();
    uint64_t next_tick_us = 0, next_stats_us = 1000000, last_stats_us = 0, last_pump_us = 0;
    uint32_t ticks_in_window = 0;
    /* The connections' clock: after the process was stopped, the host's
     * own in-process players are as far behind as we are, so their
     * silence is judged on time this thread ran. */
    runclock run;
    runclock_init(&run, SERVER_PAUSE_STEP_MS);
    uint32_t pauses_logged = 0;

    while (!atomic_load(&s->stop)) {
        uint64_t now_us = (SDL_GetPerformanceCounter() - start) * 1000000 / freq;
        /* Inputs are used only at the tick, yet every one that arrives
         * wakes poll(): with 64 clients that was ~3800 wake-ups and polls
         * of every socket a second, most of the host's CPU. Pumping at
         * most every SERVER_PUMP_GAP_US batches them, and still answers
         * PINGs and handshakes within that gap. */
        uint64_t pump_at = last_pump_us + SERVER_PUMP_GAP_US;
        if (now_us < pump_at && now_us < next_tick_us) {
            uint64_t until = pump_at < next_tick_us ? pump_at : next_tick_us;
            sock_sleep_us((uint32_t)(until - now_us));
            now_us = (SDL_GetPerformanceCounter() - start) * 1000000 / freq;
        }
        /* Rounded up: rounding down spun poll(0) through the last
         * fraction of a millisecond before every tick. */
        int wait_ms = now_us >= next_tick_us ? 0 : (int)((next_tick_us - now_us + 999) / 1000);
        netserver_pump(s->net, wait_ms, runclock_now(&run, SDL_GetTicks64()));
        if (run.pauses != pauses_logged) {
            pauses_logged = run.pauses;
            log_info("server: this process did not run for a while (%llu ms paused in all); "
                     "not counted as the players' silence",
                     (unsigned long long)run.paused_ms);
        }
        server_take_kicks(s);
        server_handle_events(s);
        server_run_held(s, SDL_GetTicks64());

        now_us = (SDL_GetPerformanceCounter() - start) * 1000000 / freq;
        last_pump_us = now_us;
        if (now_us + 250000 < next_tick_us || now_us > next_tick_us + 250000)
            next_tick_us = now_us; /* clock jump or long stall: resync, don't burst */
        while (now_us >= next_tick_us) {
            uint64_t t0 = SDL_GetPerformanceCounter();
            server_tick(s);
            uint64_t t1 = SDL_GetPerformanceCounter();
            if (s->tick_sample_count < SERVER_TICK_SAMPLES)
                s->tick_samples[s->tick_sample_count++] = (float)((double)(t1 - t0) * 1000.0 / (double)freq);
            ticks_in_window++;
            next_tick_us += SERVER_TICK_US;
        }
        if (now_us >= next_stats_us) {
            server_publish_stats(s, ticks_in_window, (double)(now_us - last_stats_us) / 1e6);
            ticks_in_window = 0;
            last_stats_us = now_us;
            next_stats_us = now_us + 1000000;
        }
    }
    if (atomic_load(&s->handover)) {
        server_send_plan(s, PROTO_PLAN_NOW);
        log_info("server: handing the game over to the first successor");
    }
    netserver_close(s->net);
    s->net = NULL;
    return 0;
}

server *server_start(const server_config *cfg, char *err, size_t err_cap)
{
    server *s = calloc(1, sizeof *s);
    if (!s) {
        SDL_snprintf(err, err_cap, "Out of memory.");
        return NULL;
    }
    s->cfg = *cfg;
    if (s->cfg.max_players < 1 || s->cfg.max_players > SIM_MAX_PLAYERS)
        s->cfg.max_players = SIM_MAX_PLAYERS;
    netserver_config nc = netserver_default_config();
    nc.port = cfg->port;
    /* Every player's own slot; handshakes wait in a pool of their own. */
    nc.max_players = s->cfg.max_players;
    memcpy(nc.trusted_addr, s->cfg.trusted_addr, sizeof nc.trusted_addr);
    if (cfg->handshake_timeout_ms > 0)
        nc.handshake_timeout_ms = cfg->handshake_timeout_ms;
    if (cfg->silence_timeout_ms > 0)
        nc.silence_timeout_ms = cfg->silence_timeout_ms;
    s->input_burst = (nc.silence_timeout_ms / 1000 + 1) * SIM_TICK_HZ;
    s->net = netserver_open(&nc, err, err_cap);
    if (!s->net) {
        free(s);
        return NULL;
    }
    s->port = netserver_port(s->net);
    uint32_t seed = cfg->seed ? cfg->seed : (uint32_t)SDL_GetPerformanceCounter() | 1u;
    sim_init(&s->world, seed);
    sim_match_config(&s->world, cfg->round_seconds, cfg->score_limit);
    s->sent_match = s->world.match;
    lagcomp_init(&s->lag, !cfg->no_lagcomp, cfg->lagcomp_max_ms);
    lagcomp_record(&s->lag, &s->world);
    reconnect_init(&s->gone, cfg->reconnect_window_ms);
    admit_init(&s->admit);
    if (cfg->takeover) {
        int back = migrate_rebuild(cfg->takeover, &s->world, &s->gone, SDL_GetTicks64());
        log_info("server: taking over a game at tick %u; %d player%s may come back", s->world.tick, back,
                 back == 1 ? "" : "s");
    }
    s->cfg.takeover = NULL;
    s->stats_lock = SDL_CreateMutex();
    s->kick_lock = SDL_CreateMutex();
    s->thread = s->stats_lock && s->kick_lock ? SDL_CreateThread(server_thread, "server", s) : NULL;
    if (!s->thread) {
        SDL_snprintf(err, err_cap, "Could not start the server thread: %s", SDL_GetError());
        netserver_close(s->net);
        if (s->stats_lock)
            SDL_DestroyMutex(s->stats_lock);
        if (s->kick_lock)
            SDL_DestroyMutex(s->kick_lock);
        free(s);
        return NULL;
    }
    log_info("server: hosting on port %u, up to %d players", s->port, s->cfg.max_players);
    return s;
}

uint16_t server_port(server *s)
{
    return s->port;
}

server_stats server_get_stats(server *s)
{
    SDL_LockMutex(s->stats_lock);
    server_stats st = s->stats;
    SDL_UnlockMutex(s->stats_lock);
    return st;
}

void server_get_world(server *s, sim_world *out)
{
    SDL_LockMutex(s->stats_lock);
    *out = s->published;
    SDL_UnlockMutex(s->stats_lock);
}

void server_stop_handover(server *s)
{
    if (!s)
        return;
    atomic_store(&s->handover, 1);
    server_stop(s);
}

void server_start_round(server *s)
{
    if (s)
        atomic_store(&s->start_round, 1);
}

bool server_kick(server *s, int id, const char *name)
{
    if (!s || id < 0 || id >= SIM_MAX_PLAYERS || !name)
        return false;
    SDL_LockMutex(s->kick_lock);
    bool room = s->kick_count < SERVER_KICKS;
    if (room) {
        server_kick_req *k = &s->kicks[s->kick_count++];
        k->id = id;
        SDL_strlcpy(k->name, name, sizeof k->name);
        atomic_store(&s->kicks_waiting, 1);
    }
    SDL_UnlockMutex(s->kick_lock);
    return room;
}

void server_stop(server *s)
{
    if (!s)
        return;
    atomic_store(&s->stop, 1);
    SDL_WaitThread(s->thread, NULL);
    SDL_DestroyMutex(s->stats_lock);
    SDL_DestroyMutex(s->kick_lock);
    log_info("server: stopped");
    free(s);
}
