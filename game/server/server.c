/*
 * server: the server thread, its tick and what arrives from the players
 * (inputs, chat, departures, kicks), and the public calls of server.h.
 * Joining is server_join.c, sending server_send.c; they share
 * server_internal.h.
 */
#include "server_internal.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "netclient.h"
#include "runclock.h"
#include "simwire.h"
#include "sock.h"

_Static_assert(SERVER_TRUSTED == NETSERVER_TRUSTED, "the server hands its trusted addresses to netserver");

/* Microseconds on the performance counter, split so the product cannot
 * overflow however long the machine has been up. */
uint64_t server_now_us(void)
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

int server_player_of_conn(server *s, int conn)
{
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        if (s->players[i].used && s->players[i].conn == conn)
            return i;
    return -1;
}

int server_player_count(server *s)
{
    int n = 0;
    for (int i = 0; i < SIM_MAX_PLAYERS; i++)
        n += s->players[i].used;
    return n;
}

void server_remove(server *s, int id, uint8_t reason, const char *why)
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
    /* The others hear of it with the next batch (server_send_announce). */
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
        server_send_notice(s, p, "You are sending messages too fast; that one was not sent.");
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
        server_send_notice(s, p, text);
        return;
    }
    proto_msg m = {.type = PROTO_CHAT};
    m.u.chat = *c;
    m.u.chat.from = (uint8_t)id;
    server_send_all(s, &m, -1);
    log_debug("server: chat from '%s' (%u bytes)", p->name, c->text_len);
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
            server_join_hello(s, ev.conn, &ev.msg.u.hello);
            break;
        case NETSERVER_EV_DISCONNECT:
            server_join_forget(s, ev.conn);
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
        server_send_all(s, &m, -1);
    }
    const sim_match *now = &s->world.match, *was = &s->sent_match;
    bool changed = now->phase != was->phase || now->round != was->round || now->round_ticks != was->round_ticks ||
                   now->score_limit != was->score_limit || now->winner != was->winner ||
                   (now->left > 0) != (was->left > 0);
    if (changed || s->world.tick % SERVER_INFO_TICKS == 0) {
        proto_msg m = server_send_match_msg(s);
        server_send_all(s, &m, -1);
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
        if (p->used && server_send_adapt_rate(s, p, now_ms) && server_send_due(s, p, cur->tick))
            server_send_snapshot(s, p, cur);
    }
    if (s->world.tick % SERVER_INFO_TICKS == 0)
        s->info_dirty = true;
    if (s->world.tick - s->last_announce_tick >= SERVER_ANNOUNCE_TICKS) {
        server_send_announce(s);
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
        server_join_run_held(s, SDL_GetTicks64());

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
