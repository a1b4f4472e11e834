#include "server.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "netserver.h"
#include "proto.h"
#include "sim.h"

/* Inputs buffered per player. A client sends one per tick; a few more
 * absorb network bunching. Beyond SERVER_INPUT_KEEP the oldest are dropped
 * so latency stays low, and nobody gets more than one input per tick, so
 * flooding cannot make a player faster. */
#define SERVER_INPUT_QUEUE 32
#define SERVER_INPUT_KEEP 4
#define SERVER_TICK_US (1000000 / SIM_TICK_HZ)
#define SERVER_TICK_SAMPLES 128

typedef struct {
    bool used;
    int conn;
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t colour;
    uint8_t last_buttons;
    uint32_t last_seq;     /* newest seq applied */
    uint32_t newest_seq;   /* newest seq received */
    proto_input queue[SERVER_INPUT_QUEUE];
    int queue_len;
    uint32_t snapshots_sent;
} server_player;

struct server {
    server_config cfg;
    netserver *net;
    uint16_t port;
    SDL_Thread *thread;
    SDL_atomic_t stop;
    SDL_mutex *stats_lock;
    server_stats stats;
    sim_world published; /* copy of world after each tick, under stats_lock */
    sim_world world;
    server_player players[SIM_MAX_PLAYERS];
    proto_msg scratch; /* the snapshot is large; build it off the stack */
    float tick_samples[SERVER_TICK_SAMPLES];
    int tick_sample_count;
};

server_config server_default_config(void)
{
    server_config c = {0};
    c.port = PROTO_DEFAULT_PORT;
    c.max_players = 32;
    c.handshake_timeout_ms = 5000;
    c.silence_timeout_ms = 4000;
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
    return m;
}

static void server_broadcast(server *s, const proto_msg *m, int except_id)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->players[i].used && i != except_id)
            netserver_send(s->net, s->players[i].conn, m);
}

static void server_on_hello(server *s, int conn, const proto_hello *h)
{
    if (!proto_name_valid(h->name, h->name_len)) {
        log_info("server: refused conn %d: invalid name (%u bytes)", conn, h->name_len);
        netserver_reject(s->net, conn, PROTO_REJECT_NAME);
        return;
    }
    int free_id = -1;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (s->players[i].used && strcmp(s->players[i].name, h->name) == 0) {
            log_info("server: refused conn %d: name '%s' is taken", conn, h->name);
            netserver_reject(s->net, conn, PROTO_REJECT_NAME_TAKEN);
            return;
        }
        if (!s->players[i].used && free_id < 0 && i < s->cfg.max_players)
            free_id = i;
    }
    if (free_id < 0) {
        log_info("server: refused conn %d ('%s'): server full", conn, h->name);
        netserver_reject(s->net, conn, PROTO_REJECT_FULL);
        return;
    }

    /* The slot is taken here, on the only thread that assigns slots. */
    server_player *p = &s->players[free_id];
    memset(p, 0, sizeof *p);
    p->used = true;
    p->conn = conn;
    p->colour = (uint8_t)free_id;
    memcpy(p->name, h->name, (size_t)h->name_len + 1);
    sim_add_player(&s->world, free_id);
    netserver_accept(s->net, conn);

    proto_msg w = {.type = PROTO_WELCOME};
    w.u.welcome.player_id = (uint8_t)free_id;
    w.u.welcome.tick_rate = SIM_TICK_HZ;
    w.u.welcome.max_players = (uint8_t)s->cfg.max_players;
    w.u.welcome.arena_id = 0;
    w.u.welcome.arena_w = SIM_ARENA_W;
    w.u.welcome.arena_h = SIM_ARENA_H;
    w.u.welcome.server_tick = s->world.tick;
    netserver_send(s->net, conn, &w);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        if (s->players[i].used) {
            proto_msg j = server_joined_msg(s, i);
            netserver_send(s->net, conn, &j);
        }
    }
    proto_msg j = server_joined_msg(s, free_id);
    server_broadcast(s, &j, free_id);
    log_info("server: '%s' joined as player %d (conn %d, %d players)", p->name, free_id, conn, server_player_count(s));
}

static void server_remove(server *s, int id, uint8_t reason, const char *why)
{
    server_player *p = &s->players[id];
    log_info("server: '%s' (player %d) left: %s", p->name, id, why);
    p->used = false;
    sim_remove_player(&s->world, id);
    proto_msg m = {.type = PROTO_PLAYER_LEFT};
    m.u.left.id = (uint8_t)id;
    m.u.left.reason = reason;
    server_broadcast(s, &m, -1);
}

static void server_on_input(server *s, int id, const proto_input *in)
{
    server_player *p = &s->players[id];
    /* A replayed or reordered seq is ignored: one sequence, one tick. */
    if (in->seq <= p->newest_seq && p->newest_seq != 0)
        return;
    p->newest_seq = in->seq;
    if (p->queue_len == SERVER_INPUT_QUEUE) {
        memmove(p->queue, p->queue + 1, sizeof p->queue[0] * (SERVER_INPUT_QUEUE - 1));
        p->queue_len--;
    }
    p->queue[p->queue_len++] = *in;
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
            if (id >= 0)
                server_remove(s, id, ev.bye_reason, ev.reason);
            break;
        case NETSERVER_EV_MESSAGE:
            if (id < 0)
                break;
            if (ev.msg.type == PROTO_INPUT) {
                server_on_input(s, id, &ev.msg.u.input);
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

static void server_fill_snapshot(server *s, proto_snapshot *snap)
{
    snap->tick = s->world.tick;
    snap->player_count = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const sim_player *sp = &s->world.players[i];
        if (!sp->active)
            continue;
        proto_player_state *ps = &snap->players[snap->player_count++];
        ps->id = (uint8_t)i;
        ps->x = sp->x;
        ps->y = sp->y;
        ps->vx = (int16_t)sp->vx;
        ps->vy = (int16_t)sp->vy;
        ps->facing = sp->facing;
        ps->moving = sp->moving;
        ps->step = sp->step;
        ps->score = sp->score;
    }
    snap->gem_count = 0;
    for (int i = 0; i < SIM_MAX_GEMS; i++) {
        if (!s->world.gems[i].active)
            continue;
        snap->gems[snap->gem_count].x = s->world.gems[i].x;
        snap->gems[snap->gem_count].y = s->world.gems[i].y;
        snap->gem_count++;
    }
}

static void server_tick(server *s)
{
    uint8_t buttons[SIM_MAX_PLAYERS] = {0};
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        server_player *p = &s->players[i];
        if (!p->used)
            continue;
        if (p->queue_len > SERVER_INPUT_KEEP) {
            int drop = p->queue_len - SERVER_INPUT_KEEP;
            memmove(p->queue, p->queue + drop, sizeof p->queue[0] * (size_t)SERVER_INPUT_KEEP);
            p->queue_len = SERVER_INPUT_KEEP;
        }
        if (p->queue_len > 0) {
            /* The seq gap is counted as applied: those inputs were either
             * dropped above or never sent, and the client must not replay
             * them forever. */
            p->last_buttons = p->queue[0].buttons & PROTO_BTN_MASK;
            p->last_seq = p->queue[0].seq;
            memmove(p->queue, p->queue + 1, sizeof p->queue[0] * (size_t)(p->queue_len - 1));
            p->queue_len--;
        }
        /* No input this tick: repeat the last one, as Quake III does. */
        buttons[i] = p->last_buttons;
    }
    sim_step(&s->world, buttons);

    proto_msg *m = &s->scratch;
    m->type = PROTO_SNAPSHOT;
    server_fill_snapshot(s, &m->u.snapshot);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        server_player *p = &s->players[i];
        if (!p->used)
            continue;
        m->u.snapshot.ack_seq = p->last_seq;
        if (netserver_send(s->net, p->conn, m))
            p->snapshots_sent++;
    }
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
    uint64_t next_tick_us = 0, next_stats_us = 1000000, last_stats_us = 0;
    uint32_t ticks_in_window = 0;

    while (!SDL_AtomicGet(&s->stop)) {
        uint64_t now_us = (SDL_GetPerformanceCounter() - start) * 1000000 / freq;
        int wait_ms = now_us >= next_tick_us ? 0 : (int)((next_tick_us - now_us) / 1000);
        netserver_pump(s->net, wait_ms, SDL_GetTicks64());
        server_handle_events(s);

        now_us = (SDL_GetPerformanceCounter() - start) * 1000000 / freq;
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
    /* Room for every player plus a few handshakes in flight; the rest are
     * told "server full" at once. */
    nc.max_connections = s->cfg.max_players + 8;
    if (cfg->handshake_timeout_ms > 0)
        nc.handshake_timeout_ms = cfg->handshake_timeout_ms;
    if (cfg->silence_timeout_ms > 0)
        nc.silence_timeout_ms = cfg->silence_timeout_ms;
    s->net = netserver_open(&nc, err, err_cap);
    if (!s->net) {
        free(s);
        return NULL;
    }
    s->port = netserver_port(s->net);
    uint32_t seed = cfg->seed ? cfg->seed : (uint32_t)SDL_GetPerformanceCounter() | 1u;
    sim_init(&s->world, seed);
    s->stats_lock = SDL_CreateMutex();
    s->thread = SDL_CreateThread(server_thread, "server", s);
    if (!s->thread || !s->stats_lock) {
        SDL_snprintf(err, err_cap, "Could not start the server thread: %s", SDL_GetError());
        netserver_close(s->net);
        if (s->stats_lock)
            SDL_DestroyMutex(s->stats_lock);
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

void server_stop(server *s)
{
    if (!s)
        return;
    SDL_AtomicSet(&s->stop, 1);
    SDL_WaitThread(s->thread, NULL);
    SDL_DestroyMutex(s->stats_lock);
    log_info("server: stopped");
    free(s);
}
