/*
 * discovery: the LAN query/answer codec tabled in discovery.h, the list of
 * games an asker has heard from, a host's responder thread and the
 * asker's search, over SDL2_net UDP (whose sockets have SO_BROADCAST set
 * on Linux and Windows alike). The interfaces' broadcast addresses come
 * from sock.h.
 *
 * Every datagram the responder or a search drops is logged at debug level
 * with the reason, so LANARENA_LOG=debug explains an empty list.
 */
#include "discovery.h"

#include <stdatomic.h>
#include <SDL.h>
#include <SDL_net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sock.h"
#include "wire.h"

/* ---- codec ---- */

#define DISCOVERY_HEADER_SIZE 10 /* magic, version, type, nonce */
_Static_assert(DISCOVERY_ANSWER_MAX <= DISCOVERY_QUERY_SIZE, "a query must be at least as large as any answer");

/* The version a message is written as: 1 for version 1, else this one. */
static uint8_t discovery_wire_version(const discovery_msg *m)
{
    return m->version == 1 ? 1 : DISCOVERY_VERSION;
}

/* One range check for both directions: what we would refuse to read, we
 * refuse to write. */
static discovery_error discovery_fault(const discovery_msg *m)
{
    if (m->type == DISCOVERY_QUERY)
        return DISCOVERY_OK;
    if (m->type != DISCOVERY_ANSWER)
        return DISCOVERY_ERR_TYPE;
    if (m->game_port == 0 || m->max_players == 0 || m->players > m->max_players)
        return DISCOVERY_ERR_FIELD;
    if (!proto_name_valid(m->name, strnlen(m->name, sizeof m->name)))
        return DISCOVERY_ERR_NAME;
    if (discovery_wire_version(m) == 1 ? m->game_id != 0 || m->flags != 0 : m->game_id == 0)
        return DISCOVERY_ERR_FIELD;
    return DISCOVERY_OK;
}

size_t discovery_encode(const discovery_msg *m, void *buf, size_t cap)
{
    if (discovery_fault(m) != DISCOVERY_OK)
        return 0;
    wire_writer w;
    wire_writer_init(&w, buf, cap);
    wire_put_u32(&w, DISCOVERY_MAGIC);
    uint8_t version = discovery_wire_version(m);
    wire_put_u8(&w, version);
    wire_put_u8(&w, m->type);
    wire_put_u32(&w, m->nonce);
    if (m->type == DISCOVERY_QUERY) {
        static const uint8_t zero[DISCOVERY_QUERY_SIZE - DISCOVERY_HEADER_SIZE];
        wire_put_bytes(&w, zero, sizeof zero);
    } else {
        size_t n = strlen(m->name);
        wire_put_u16(&w, m->game_version);
        wire_put_u16(&w, m->game_port);
        wire_put_u8(&w, m->players);
        wire_put_u8(&w, m->max_players);
        wire_put_u8(&w, (uint8_t)n);
        wire_put_bytes(&w, m->name, n);
        if (version >= 2) {
            wire_put_u32(&w, (uint32_t)(m->game_id >> 32));
            wire_put_u32(&w, (uint32_t)m->game_id);
            wire_put_u8(&w, m->flags);
        }
    }
    return w.overflow ? 0 : w.len;
}

discovery_error discovery_decode(const void *buf, size_t len, discovery_msg *out)
{
    memset(out, 0, sizeof *out);
    wire_reader r;
    wire_reader_init(&r, buf, len);
    uint32_t magic = wire_get_u32(&r);
    out->version = wire_get_u8(&r);
    out->type = wire_get_u8(&r);
    out->nonce = wire_get_u32(&r);
    if (r.error)
        return len >= 4 && magic != DISCOVERY_MAGIC ? DISCOVERY_ERR_MAGIC : DISCOVERY_ERR_TRUNCATED;
    if (magic != DISCOVERY_MAGIC)
        return DISCOVERY_ERR_MAGIC;
    if (out->version == 0)
        return DISCOVERY_ERR_VERSION;
    /* Later versions only append, so their extra bytes are skipped. */
    bool strict = out->version <= DISCOVERY_VERSION;

    if (out->type == DISCOVERY_QUERY) {
        if (len < DISCOVERY_QUERY_SIZE)
            return DISCOVERY_ERR_TRUNCATED;
        if (strict && len > DISCOVERY_QUERY_SIZE)
            return DISCOVERY_ERR_TRAILING;
        return DISCOVERY_OK;
    }
    if (out->type != DISCOVERY_ANSWER)
        return DISCOVERY_ERR_TYPE;
    out->game_version = wire_get_u16(&r);
    out->game_port = wire_get_u16(&r);
    out->players = wire_get_u8(&r);
    out->max_players = wire_get_u8(&r);
    uint8_t name_len = wire_get_u8(&r);
    if (r.error)
        return DISCOVERY_ERR_TRUNCATED;
    /* Checked before the copy: the count on the wire bounds it. */
    if (name_len == 0 || name_len > DISCOVERY_NAME_MAX)
        return DISCOVERY_ERR_NAME;
    wire_get_bytes(&r, out->name, name_len);
    if (r.error)
        return DISCOVERY_ERR_TRUNCATED;
    out->name[name_len] = '\0';
    /* A NUL inside would hide the rest of the name from the check. */
    if (strlen(out->name) != name_len)
        return DISCOVERY_ERR_NAME;
    if (out->version >= 2) {
        uint64_t hi = wire_get_u32(&r);
        out->game_id = hi << 32 | wire_get_u32(&r);
        out->flags = wire_get_u8(&r);
        if (r.error)
            return DISCOVERY_ERR_TRUNCATED;
    }
    if (strict && wire_remaining(&r) > 0)
        return DISCOVERY_ERR_TRAILING;
    return discovery_fault(out);
}

const char *discovery_error_text(discovery_error e)
{
    switch (e) {
    case DISCOVERY_OK:
        return "ok";
    case DISCOVERY_ERR_TRUNCATED:
        return "truncated";
    case DISCOVERY_ERR_MAGIC:
        return "not a LAN Arena discovery packet (bad magic)";
    case DISCOVERY_ERR_VERSION:
        return "discovery version 0";
    case DISCOVERY_ERR_TYPE:
        return "unknown packet type";
    case DISCOVERY_ERR_TRAILING:
        return "trailing bytes";
    case DISCOVERY_ERR_FIELD:
        return "field out of range";
    case DISCOVERY_ERR_NAME:
        return "invalid host name";
    case DISCOVERY_ERR_COUNT:
        break;
    }
    return "unknown error";
}

discovery_msg discovery_make_query(uint32_t nonce)
{
    discovery_msg m;
    memset(&m, 0, sizeof m);
    m.type = DISCOVERY_QUERY;
    m.version = DISCOVERY_VERSION;
    m.nonce = nonce;
    return m;
}

/* ---- the list of games ---- */

bool discovery_game_compatible(const discovery_game *g)
{
    return g->game_version == PROTO_VERSION;
}

uint64_t discovery_new_game_id(void)
{
    uint64_t id = 0;
    if (!sock_random_bytes(&id, sizeof id))
        id = SDL_GetPerformanceCounter() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&id;
    return id ? id : 1;
}

/* The answer g about the game *e already lists. */
static void discovery_game_fold(discovery_game *e, const discovery_game *g)
{
    bool same_addr = strcmp(e->addr, g->addr) == 0 && e->game_port == g->game_port;
    bool move = !same_addr && g->near && !e->near;
    discovery_game keep = *e;
    *e = *g;
    if (!same_addr && !move) {
        /* Another address of the same game: the entry keeps dialing the
         * one it had, with that address's ping. */
        snprintf(e->addr, sizeof e->addr, "%s", keep.addr);
        e->game_port = keep.game_port;
        e->near = keep.near;
        e->ping_us = keep.ping_us;
        e->ping_at_us = keep.ping_at_us;
        return;
    }
    if (move)
        return; /* a new address: its own ping */
    /* The lowest recent figure. */
    bool fresh = g->ping_at_us < keep.ping_at_us || g->ping_at_us - keep.ping_at_us <= DISCOVERY_PING_WINDOW_US;
    if (keep.ping_us >= 0 && (g->ping_us < 0 || (fresh && keep.ping_us <= g->ping_us))) {
        e->ping_us = keep.ping_us;
        e->ping_at_us = keep.ping_at_us;
    }
}

int discovery_games_merge(discovery_game *list, int count, int max, const discovery_game *g)
{
    for (int i = 0; g->game_id != 0 && i < count; i++) {
        if (list[i].game_id == g->game_id) {
            discovery_game_fold(&list[i], g);
            return count;
        }
    }
    for (int i = 0; i < count; i++) {
        if (list[i].game_port == g->game_port && strcmp(list[i].addr, g->addr) == 0) {
            if (list[i].game_id == g->game_id)
                discovery_game_fold(&list[i], g);
            else
                list[i] = *g; /* another game at that address now */
            return count;
        }
    }
    if (count >= max)
        return count;
    list[count] = *g;
    return count + 1;
}

int discovery_games_expire(discovery_game *list, int count, uint64_t now_us, uint64_t max_age_us)
{
    int kept = 0;
    for (int i = 0; i < count; i++) {
        if (list[i].seen_us >= now_us || now_us - list[i].seen_us <= max_age_us)
            list[kept++] = list[i];
    }
    return kept;
}

int discovery_game_ping_ms(const discovery_game *g)
{
    if (g->ping_us < 0)
        return -1;
    int64_t ms = (g->ping_us + 500) / 1000;
    return ms > 99999 ? 99999 : (int)ms;
}

void discovery_game_format(const discovery_game *g, char *buf, size_t cap)
{
    char ping[16];
    int ms = discovery_game_ping_ms(g);
    if (ms < 0)
        snprintf(ping, sizeof ping, "?");
    else
        snprintf(ping, sizeof ping, "%d", ms);
    snprintf(buf, cap, "%s:%u  %s  %d/%d  v%u  %s ms%s", g->addr, g->game_port, g->name, g->players,
             g->max_players, g->game_version, ping, g->locked ? "  locked" : "");
}

/* ---- answer budget ---- */

void discovery_limiter_init(discovery_limiter *l, int rate)
{
    l->rate = rate > 0 ? rate : 1;
    l->tokens = l->rate;
    l->last_ms = 0;
    l->started = false;
}

bool discovery_limiter_allow(discovery_limiter *l, uint64_t now_ms)
{
    if (!l->started) {
        l->started = true;
        l->last_ms = now_ms;
    } else if (now_ms > l->last_ms) {
        l->tokens += (double)(now_ms - l->last_ms) * l->rate / 1000.0;
        if (l->tokens > l->rate)
            l->tokens = l->rate;
        l->last_ms = now_ms;
    }
    if (l->tokens < 1.0)
        return false;
    l->tokens -= 1.0;
    return true;
}

void discovery_rationer_init(discovery_rationer *r, int global_rate, int per_asker_rate)
{
    memset(r, 0, sizeof *r);
    discovery_limiter_init(&r->global, global_rate);
    r->per_asker = per_asker_rate > 0 ? per_asker_rate : 1;
}

/* An asker's tokens as of now_ms. */
static double discovery_asker_level(const discovery_rationer *r, const discovery_asker *a, uint64_t now_ms)
{
    double cap = 2.0 * r->per_asker, t = a->tokens;
    if (now_ms > a->seen_ms)
        t += (double)(now_ms - a->seen_ms) * r->per_asker / 1000.0;
    return t > cap ? cap : t;
}

static discovery_asker *discovery_asker_of(discovery_rationer *r, uint32_t addr, uint64_t now_ms)
{
    discovery_asker *pick = NULL;
    double pick_level = -1;
    for (int i = 0; i < DISCOVERY_ASKERS; i++) {
        discovery_asker *a = &r->askers[i];
        if (a->used && a->addr == addr)
            return a;
        /* A free entry, else the fullest bucket, else the stalest. */
        double level = a->used ? discovery_asker_level(r, a, now_ms) : 1e300;
        if (!pick || level > pick_level || (level == pick_level && a->seen_ms < pick->seen_ms)) {
            pick = a;
            pick_level = level;
        }
    }
    pick->used = true;
    pick->addr = addr;
    /* Bursts of twice the rate: a --list-lan sends two queries, a menu
     * asks again every couple of seconds. */
    pick->tokens = 2.0 * r->per_asker;
    pick->seen_ms = now_ms;
    return pick;
}

discovery_ration discovery_rationer_allow(discovery_rationer *r, uint32_t addr, uint64_t now_ms)
{
    discovery_asker *a = discovery_asker_of(r, addr, now_ms);
    a->tokens = discovery_asker_level(r, a, now_ms);
    if (now_ms > a->seen_ms)
        a->seen_ms = now_ms;
    if (a->tokens < 1.0)
        return DISCOVERY_RATION_ASKER; /* over its own share: everyone else's is untouched */
    if (!discovery_limiter_allow(&r->global, now_ms))
        return DISCOVERY_RATION_ALL;
    a->tokens -= 1.0;
    return DISCOVERY_RATION_OK;
}

/* ---- SDL_net, once per process ---- */

/* Set once, by the first caller, under the spin lock. */
static atomic_flag discovery_net_once = ATOMIC_FLAG_INIT;
static bool discovery_net_done;
static int discovery_net_status = -1;

static void discovery_net_init(void)
{
    while (atomic_flag_test_and_set_explicit(&discovery_net_once, memory_order_acquire))
        ; /* held for a few instructions */
    if (!discovery_net_done) {
        /* Kept for the life of the process, as netclient does: SDLNet_Quit
         * would restore SIGPIPE behind the back of anyone who ignores it. */
        discovery_net_status = SDLNet_Init();
        if (discovery_net_status != 0)
            log_warn("discovery: SDLNet_Init failed: %s", SDLNet_GetError());
        discovery_net_done = true;
    }
    atomic_flag_clear_explicit(&discovery_net_once, memory_order_release);
}

static bool discovery_net_ready(char *err, size_t err_cap)
{
    discovery_net_init();
    if (discovery_net_status != 0) {
        snprintf(err, err_cap, "The network library could not be started.");
        return false;
    }
    return true;
}

/* SDL_net keeps addresses and ports in network byte order. */
static void discovery_addr_text(const IPaddress *a, char *out, size_t cap)
{
    const uint8_t *b = (const uint8_t *)&a->host;
    snprintf(out, cap, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

static uint16_t discovery_addr_port(const IPaddress *a)
{
    return SDLNet_Read16(&a->port);
}

/* ---- responder ---- */

struct discovery_responder {
    UDPsocket sock;
    UDPpacket *in, *out;
    SDL_Thread *thread;
    SDL_mutex *lock;
    atomic_int stop;
    uint16_t port;
    discovery_responder_config cfg;   /* name/players/max under lock */
    discovery_responder_stats stats;  /* under lock */
    discovery_rationer ration;        /* the responder thread's own */
};

discovery_responder_config discovery_default_responder_config(void)
{
    discovery_responder_config c;
    memset(&c, 0, sizeof c);
    c.udp_port = DISCOVERY_PORT;
    c.game_port = PROTO_DEFAULT_PORT;
    c.game_version = PROTO_VERSION;
    snprintf(c.name, sizeof c.name, "%s", DISCOVERY_HOST_NAME);
    c.max_players = 1;
    /* A LAN party of 64 asking every 2 s needs 32; a flood gets 200. */
    c.answers_per_s = 200;
    /* One asker: a --list-lan or an open menu needs a couple a second. */
    c.answers_per_asker_s = 4;
    return c;
}

static void discovery_fill_info(discovery_responder_config *c, const char *name, int players, int max_players)
{
    if (name && proto_name_valid(name, strlen(name)))
        snprintf(c->name, sizeof c->name, "%s", name);
    else
        snprintf(c->name, sizeof c->name, "%s", DISCOVERY_HOST_NAME);
    if (max_players < 1)
        max_players = 1;
    if (max_players > 255)
        max_players = 255;
    if (players < 0)
        players = 0;
    if (players > max_players)
        players = max_players;
    c->players = players;
    c->max_players = max_players;
}

static void discovery_count(discovery_responder *r, uint64_t *field)
{
    SDL_LockMutex(r->lock);
    (*field)++;
    SDL_UnlockMutex(r->lock);
}

static void discovery_answer(discovery_responder *r)
{
    char from[DISCOVERY_ADDR_TEXT];
    discovery_addr_text(&r->in->address, from, sizeof from);
    uint16_t from_port = discovery_addr_port(&r->in->address);
    discovery_msg q;
    discovery_error e = discovery_decode(r->in->data, (size_t)r->in->len, &q);
    if (e == DISCOVERY_OK && q.type != DISCOVERY_QUERY)
        e = DISCOVERY_ERR_TYPE;
    if (e != DISCOVERY_OK) {
        discovery_count(r, &r->stats.dropped);
        log_debug("discovery: dropped %d bytes from %s:%u: %s", r->in->len, from, from_port,
                  discovery_error_text(e));
        return;
    }
    discovery_count(r, &r->stats.queries);
    uint32_t h = SDLNet_Read32(&r->in->address.host);
    if (from_port == 0 || h == 0 || h == 0xFFFFFFFFu || (h >> 28) == 0xE) {
        discovery_count(r, &r->stats.dropped);
        log_debug("discovery: dropped query from %s:%u: no address to answer", from, from_port);
        return;
    }
    discovery_ration ration = discovery_rationer_allow(&r->ration, h, SDL_GetTicks64());
    if (ration != DISCOVERY_RATION_OK) {
        SDL_LockMutex(r->lock);
        r->stats.dropped++;
        r->stats.over_asker += ration == DISCOVERY_RATION_ASKER;
        SDL_UnlockMutex(r->lock);
        log_debug("discovery: dropped query from %s:%u: over %s answer budget", from, from_port,
                  ration == DISCOVERY_RATION_ASKER ? "its own" : "everyone's");
        return;
    }
    discovery_msg a;
    memset(&a, 0, sizeof a);
    a.type = DISCOVERY_ANSWER;
    a.nonce = q.nonce;
    SDL_LockMutex(r->lock);
    a.game_version = r->cfg.game_version;
    a.game_port = r->cfg.game_port;
    a.players = (uint8_t)r->cfg.players;
    a.max_players = (uint8_t)r->cfg.max_players;
    snprintf(a.name, sizeof a.name, "%s", r->cfg.name);
    SDL_UnlockMutex(r->lock);
    a.game_id = r->cfg.game_id; /* fixed at start: no lock needed */
    a.flags = r->cfg.password ? DISCOVERY_FLAG_PASSWORD : 0;
    size_t n = discovery_encode(&a, r->out->data, (size_t)r->out->maxlen);
    if (n == 0) {
        log_warn("discovery: could not encode an answer");
        return;
    }
    r->out->len = (int)n;
    r->out->address = r->in->address; /* the asker alone: unicast */
    if (SDLNet_UDP_Send(r->sock, -1, r->out) != 1) {
        log_debug("discovery: answer to %s:%u failed: %s", from, from_port, sock_strerror(sock_last_error()));
        return;
    }
    discovery_count(r, &r->stats.answered);
    log_debug("discovery: answered %s:%u", from, from_port);
}

static int discovery_responder_thread(void *arg)
{
    discovery_responder *r = arg;
    SDLNet_SocketSet set = SDLNet_AllocSocketSet(1);
    if (!set) {
        log_warn("discovery: no socket set; LAN discovery is off");
        return 0;
    }
    SDLNet_UDP_AddSocket(set, r->sock);
    discovery_rationer_init(&r->ration, r->cfg.answers_per_s, r->cfg.answers_per_asker_s);
    while (!atomic_load(&r->stop)) {
        /* A short wait bounds how long stop takes. */
        int ready = SDLNet_CheckSockets(set, 50);
        if (ready < 0) {
            SDL_Delay(50);
            continue;
        }
        /* Bounded drain so the stop flag is seen even under a flood. */
        for (int i = 0; ready > 0 && i < 64; i++) {
            if (SDLNet_UDP_Recv(r->sock, r->in) <= 0)
                break;
            discovery_answer(r);
        }
    }
    SDLNet_FreeSocketSet(set);
    return 0;
}

discovery_responder *discovery_responder_start(const discovery_responder_config *cfg, char *err, size_t err_cap)
{
    if (!discovery_net_ready(err, err_cap))
        return NULL;
    discovery_responder *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_cap, "Out of memory.");
        return NULL;
    }
    r->cfg = *cfg;
    discovery_fill_info(&r->cfg, cfg->name, cfg->players, cfg->max_players);
    if (r->cfg.game_id == 0)
        r->cfg.game_id = discovery_new_game_id();
    r->sock = SDLNet_UDP_Open(cfg->udp_port);
    if (!r->sock) {
        snprintf(err, err_cap, "Could not open UDP port %u for LAN discovery (%s); is another game hosting on this computer?",
                 cfg->udp_port, SDLNet_GetError());
        free(r);
        return NULL;
    }
    IPaddress *local = SDLNet_UDP_GetPeerAddress(r->sock, -1);
    r->port = local ? discovery_addr_port(local) : cfg->udp_port;
    r->in = SDLNet_AllocPacket(512);
    r->out = SDLNet_AllocPacket(DISCOVERY_QUERY_SIZE);
    r->lock = SDL_CreateMutex();
    if (r->in && r->out && r->lock)
        r->thread = SDL_CreateThread(discovery_responder_thread, "discovery", r);
    if (!r->thread) {
        snprintf(err, err_cap, "Could not start the LAN discovery thread: %s", SDL_GetError());
        SDLNet_FreePacket(r->in);
        SDLNet_FreePacket(r->out);
        if (r->lock)
            SDL_DestroyMutex(r->lock);
        SDLNet_UDP_Close(r->sock);
        free(r);
        return NULL;
    }
    log_info("discovery: answering LAN queries on UDP port %u", r->port);
    return r;
}

uint16_t discovery_responder_port(discovery_responder *r)
{
    return r->port;
}

uint64_t discovery_responder_game_id(discovery_responder *r)
{
    return r->cfg.game_id;
}

void discovery_responder_update(discovery_responder *r, const char *name, int players, int max_players)
{
    SDL_LockMutex(r->lock);
    discovery_fill_info(&r->cfg, name, players, max_players);
    SDL_UnlockMutex(r->lock);
}

discovery_responder_stats discovery_responder_get_stats(discovery_responder *r)
{
    SDL_LockMutex(r->lock);
    discovery_responder_stats s = r->stats;
    SDL_UnlockMutex(r->lock);
    return s;
}

void discovery_responder_stop(discovery_responder *r)
{
    if (!r)
        return;
    atomic_store(&r->stop, 1);
    SDL_WaitThread(r->thread, NULL);
    SDLNet_UDP_Close(r->sock);
    SDLNet_FreePacket(r->in);
    SDLNet_FreePacket(r->out);
    SDL_DestroyMutex(r->lock);
    free(r);
}

/* ---- search ---- */

/* A monotonic clock in microseconds: when a query left and when its
 * answer arrived, both read by the search itself, so a round trip is
 * timed to the arrival and not to whenever the caller polls. */
static uint64_t discovery_now_us(void)
{
    uint64_t c = SDL_GetPerformanceCounter(), f = SDL_GetPerformanceFrequency();
    return c / f * 1000000 + c % f * 1000000 / f;
}

/* A query this search sent: its nonce and when (discovery_now_us). */
typedef struct {
    uint32_t nonce;
    uint64_t sent_us;
    bool used;
} discovery_sent;

#define DISCOVERY_SUBNETS 16
#define DISCOVERY_DATAGRAM_MAX 512 /* what a search reads of one datagram */
#define DISCOVERY_INBOX 64         /* datagrams waiting for the next poll */

/* A datagram the reader thread received, stamped on arrival. */
typedef struct {
    uint8_t data[DISCOVERY_DATAGRAM_MAX];
    int len;
    IPaddress from;
    uint64_t at_us; /* discovery_now_us */
} discovery_datagram;

/* The search's reader thread only receives: it waits on the socket,
 * stamps each datagram and queues it in the inbox; the owner's poll
 * decodes and lists. Only `lock` guards what both touch (inbox, stats). */
struct discovery_search {
    UDPsocket sock;
    UDPpacket *pkt; /* the owner's, for sending */
    UDPpacket *in;  /* the reader thread's */
    SDLNet_SocketSet set; /* the reader thread's */
    SDL_Thread *thread;
    SDL_mutex *lock;
    SDL_cond *arrived;
    atomic_int stop;
    discovery_datagram inbox[DISCOVERY_INBOX]; /* a ring, under lock */
    int inbox_head, inbox_count;               /* under lock */
    IPaddress target;
    char target_text[32];
    uint32_t next_nonce;
    discovery_sent sent[DISCOVERY_SEARCH_QUERIES]; /* a ring, oldest overwritten */
    int sent_next;
    /* This machine's subnets (network byte order), read at open: an
     * answer from one of them is from an address the asker can reach. */
    uint32_t subnet_be[DISCOVERY_SUBNETS], mask_be[DISCOVERY_SUBNETS];
    int subnets;
    discovery_search_stats stats; /* under lock */
};

static int discovery_search_thread(void *arg)
{
    discovery_search *s = arg;
    while (!atomic_load(&s->stop)) {
        /* A short wait bounds how long close takes. */
        int ready = SDLNet_CheckSockets(s->set, 20);
        if (ready < 0) {
            SDL_Delay(20);
            continue;
        }
        /* Bounded, so the stop flag is seen even under a flood. */
        for (int i = 0; ready > 0 && i < DISCOVERY_INBOX; i++) {
            if (SDLNet_UDP_Recv(s->sock, s->in) <= 0)
                break;
            uint64_t at = discovery_now_us();
            SDL_LockMutex(s->lock);
            if (s->inbox_count < DISCOVERY_INBOX) {
                discovery_datagram *d = &s->inbox[(s->inbox_head + s->inbox_count) % DISCOVERY_INBOX];
                d->len = s->in->len < DISCOVERY_DATAGRAM_MAX ? s->in->len : DISCOVERY_DATAGRAM_MAX;
                memcpy(d->data, s->in->data, (size_t)d->len);
                d->from = s->in->address;
                d->at_us = at;
                s->inbox_count++;
            } else {
                s->stats.overflow++;
            }
            SDL_CondSignal(s->arrived);
            SDL_UnlockMutex(s->lock);
        }
    }
    return 0;
}

discovery_search *discovery_search_open(const char *addr, uint16_t port, char *err, size_t err_cap)
{
    uint32_t host_be;
    if (!addr || !sock_ipv4_parse(addr, &host_be)) {
        snprintf(err, err_cap, "'%s' is not an IPv4 address for LAN discovery.", addr ? addr : "");
        return NULL;
    }
    if (!discovery_net_ready(err, err_cap))
        return NULL;
    if (port == 0)
        port = DISCOVERY_PORT;
    discovery_search *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_cap, "Out of memory.");
        return NULL;
    }
    s->target.host = host_be; /* both network order */
    SDLNet_Write16(port, &s->target.port);
    snprintf(s->target_text, sizeof s->target_text, "%s:%u", addr, port);
    /* Not cryptographic: it only tells our answers from stray ones. */
    if (!sock_random_bytes(&s->next_nonce, sizeof s->next_nonce))
        s->next_nonce = (uint32_t)SDL_GetPerformanceCounter() ^ ((uint32_t)SDL_ThreadID() << 16) ^
                        (uint32_t)(uintptr_t)s;
    sock_ifaddr ifs[DISCOVERY_SUBNETS];
    int nifs = sock_local_ipv4(ifs, DISCOVERY_SUBNETS);
    for (int i = 0; i < nifs; i++) {
        s->mask_be[s->subnets] = ifs[i].mask_be;
        s->subnet_be[s->subnets++] = ifs[i].addr_be & ifs[i].mask_be;
    }
    s->sock = SDLNet_UDP_Open(0);
    s->pkt = SDLNet_AllocPacket(DISCOVERY_DATAGRAM_MAX);
    s->in = SDLNet_AllocPacket(DISCOVERY_DATAGRAM_MAX);
    s->set = SDLNet_AllocSocketSet(1);
    s->lock = SDL_CreateMutex();
    s->arrived = SDL_CreateCond();
    if (!s->sock || !s->pkt || !s->in || !s->set) {
        snprintf(err, err_cap, "Could not open a UDP socket to search the LAN: %s", SDLNet_GetError());
        discovery_search_close(s);
        return NULL;
    }
    SDLNet_UDP_AddSocket(s->set, s->sock);
    if (s->lock && s->arrived)
        s->thread = SDL_CreateThread(discovery_search_thread, "discovery-search", s);
    if (!s->thread) {
        snprintf(err, err_cap, "Could not start the LAN search thread: %s", SDL_GetError());
        discovery_search_close(s);
        return NULL;
    }
    return s;
}

uint16_t discovery_search_local_port(discovery_search *s)
{
    IPaddress *local = SDLNet_UDP_GetPeerAddress(s->sock, -1);
    return local ? discovery_addr_port(local) : 0;
}

/* The subnet broadcast address of every interface that is up and can
 * broadcast, without repeats; network byte order. */
static int discovery_subnet_broadcasts(uint32_t *out, int max)
{
    sock_ifaddr ifs[32];
    int count = sock_local_ipv4(ifs, 32);
    int n = 0;
    for (int i = 0; i < count && n < max; i++) {
        uint32_t b = ifs[i].broadcast_be;
        bool seen = !ifs[i].can_broadcast || ifs[i].mask_be == 0 || b == 0xFFFFFFFFu;
        for (int k = 0; k < n && !seen; k++)
            seen = out[k] == b;
        if (!seen)
            out[n++] = b;
    }
    return n;
}

static bool discovery_send_to(discovery_search *s, uint32_t host_be, char *why, size_t why_cap)
{
    s->pkt->address.host = host_be;
    s->pkt->address.port = s->target.port;
    char to[DISCOVERY_ADDR_TEXT];
    discovery_addr_text(&s->pkt->address, to, sizeof to);
    if (SDLNet_UDP_Send(s->sock, -1, s->pkt) != 1) {
        int e = sock_last_error();
        snprintf(why, why_cap, "%s", e != SOCK_OK ? sock_strerror(e) : "send failed");
        log_debug("discovery: query to %s:%u failed: %s", to, discovery_addr_port(&s->target), why);
        return false;
    }
    log_debug("discovery: query sent to %s:%u", to, discovery_addr_port(&s->target));
    return true;
}

bool discovery_search_send(discovery_search *s, char *err, size_t err_cap)
{
    /* A new nonce per query (an odd step never repeats within 2^32). */
    s->next_nonce += 0x9E3779B9u;
    discovery_msg q = discovery_make_query(s->next_nonce);
    size_t n = discovery_encode(&q, s->pkt->data, (size_t)s->pkt->maxlen);
    if (n == 0) {
        snprintf(err, err_cap, "Could not encode the LAN query.");
        return false;
    }
    s->pkt->len = (int)n;
    char why[128];
    bool sent = discovery_send_to(s, s->target.host, why, sizeof why);
    /* Linux sends 255.255.255.255 out of the default route's interface
     * only, and nowhere when there is no default route (a LAN party's
     * bare switch). So the limited broadcast also goes to each interface's
     * own subnet broadcast address; answers are deduplicated anyway. */
    if (s->target.host == 0xFFFFFFFFu) {
        uint32_t subnets[8];
        int count = discovery_subnet_broadcasts(subnets, 8);
        for (int i = 0; i < count; i++)
            sent |= discovery_send_to(s, subnets[i], why, sizeof why);
    }
    if (!sent) {
        snprintf(err, err_cap, "Could not send the LAN query to %s: %s", s->target_text, why);
        return false;
    }
    /* Stamped after the sends: a round trip is never overstated. */
    s->sent[s->sent_next] = (discovery_sent){.nonce = q.nonce, .sent_us = discovery_now_us(), .used = true};
    s->sent_next = (s->sent_next + 1) % DISCOVERY_SEARCH_QUERIES;
    return true;
}

/* The query an answer's nonce answers, or NULL. */
static const discovery_sent *discovery_sent_of(const discovery_search *s, uint32_t nonce)
{
    for (int i = 0; i < DISCOVERY_SEARCH_QUERIES; i++)
        if (s->sent[i].used && s->sent[i].nonce == nonce)
            return &s->sent[i];
    return NULL;
}

static bool discovery_on_my_subnet(const discovery_search *s, uint32_t host_be)
{
    for (int i = 0; i < s->subnets; i++)
        if ((host_be & s->mask_be[i]) == s->subnet_be[i])
            return true;
    return false;
}

discovery_search_stats discovery_search_get_stats(discovery_search *s)
{
    SDL_LockMutex(s->lock);
    discovery_search_stats st = s->stats;
    SDL_UnlockMutex(s->lock);
    return st;
}

int discovery_search_poll(discovery_search *s, discovery_game *list, int count, int max, uint64_t now_us)
{
    SDL_LockMutex(s->lock);
    /* At most the inbox: a flood cannot hold the caller (the UI thread). */
    while (s->inbox_count > 0) {
        const discovery_datagram *d = &s->inbox[s->inbox_head];
        s->inbox_head = (s->inbox_head + 1) % DISCOVERY_INBOX;
        s->inbox_count--;
        char from[DISCOVERY_ADDR_TEXT];
        discovery_addr_text(&d->from, from, sizeof from);
        discovery_msg m;
        discovery_error e = discovery_decode(d->data, (size_t)d->len, &m);
        if (e == DISCOVERY_OK && m.type != DISCOVERY_ANSWER)
            e = DISCOVERY_ERR_TYPE;
        if (e != DISCOVERY_OK) {
            s->stats.malformed[e]++;
            log_debug("discovery: dropped %d bytes from %s: %s", d->len, from, discovery_error_text(e));
            continue;
        }
        const discovery_sent *q = discovery_sent_of(s, m.nonce);
        if (!q) {
            s->stats.stale++;
            log_debug("discovery: dropped an answer from %s: not to one of our recent queries", from);
            continue;
        }
        s->stats.answers++;
        log_debug("discovery: answer from %s (game %016llx, %lld us)", from, (unsigned long long)m.game_id,
                  (long long)(d->at_us >= q->sent_us ? d->at_us - q->sent_us : 0));
        discovery_game g;
        memset(&g, 0, sizeof g);
        snprintf(g.addr, sizeof g.addr, "%s", from);
        g.game_port = m.game_port;
        g.game_version = m.game_version;
        g.players = m.players;
        g.max_players = m.max_players;
        snprintf(g.name, sizeof g.name, "%s", m.name);
        g.game_id = m.game_id;
        g.locked = (m.flags & DISCOVERY_FLAG_PASSWORD) != 0;
        g.near = discovery_on_my_subnet(s, d->from.host);
        g.ping_us = d->at_us >= q->sent_us ? (int64_t)(d->at_us - q->sent_us) : 0;
        g.ping_at_us = now_us;
        g.seen_us = now_us;
        count = discovery_games_merge(list, count, max, &g);
    }
    SDL_UnlockMutex(s->lock);
    return count;
}

bool discovery_search_wait(discovery_search *s, int timeout_ms)
{
    SDL_LockMutex(s->lock);
    if (s->inbox_count == 0 && timeout_ms > 0)
        SDL_CondWaitTimeout(s->arrived, s->lock, (Uint32)timeout_ms);
    bool any = s->inbox_count > 0;
    SDL_UnlockMutex(s->lock);
    return any;
}

void discovery_search_close(discovery_search *s)
{
    if (!s)
        return;
    if (s->thread) {
        atomic_store(&s->stop, 1);
        SDL_WaitThread(s->thread, NULL);
    }
    if (s->set)
        SDLNet_FreeSocketSet(s->set);
    if (s->sock)
        SDLNet_UDP_Close(s->sock);
    SDLNet_FreePacket(s->pkt);
    SDLNet_FreePacket(s->in);
    if (s->arrived)
        SDL_DestroyCond(s->arrived);
    if (s->lock)
        SDL_DestroyMutex(s->lock);
    free(s);
}

int discovery_list(const char *addr, uint16_t port, int window_ms, discovery_game *out, int max, char *err,
                   size_t err_cap)
{
    discovery_search *s = discovery_search_open(addr, port, err, err_cap);
    if (!s)
        return -1;
    uint64_t start = discovery_now_us();
    if (!discovery_search_send(s, err, err_cap)) {
        discovery_search_close(s);
        return -1;
    }
    uint64_t deadline = start + (uint64_t)window_ms * 1000;
    uint64_t resend_at = start + (uint64_t)window_ms * 400; /* 2/5 of the window */
    bool resent = false;
    int count = 0;
    for (;;) {
        uint64_t now = discovery_now_us();
        if (now >= deadline)
            break;
        if (!resent && now >= resend_at) {
            char ignored[160];
            (void)discovery_search_send(s, ignored, sizeof ignored); /* the first one went out */
            resent = true;
        }
        uint64_t until = resent ? deadline : resend_at;
        if (discovery_search_wait(s, (int)((until - now + 999) / 1000)))
            count = discovery_search_poll(s, out, count, max, discovery_now_us());
    }
    discovery_search_close(s);
    return count;
}
