/*
 * test_party: playing together over real sockets. A real
 * server thread and real clients (each with its connection thread) on
 * 127.0.0.1, as test_integration.c does:
 *   - chat: relayed to everyone in the sender's name, the host's length
 *     and rate limits (a rogue client that skips the client-side checks
 *     is refused by the host), notices to the sender only;
 *   - PLAYER_INFO: the host's own player is marked, pings are measured;
 *   - colour: asked for in HELLO, honoured when free;
 *   - password: missing or wrong is refused with the password reason;
 *   - late join: a newcomer knows every player and sees exactly the
 *     server's world in its first snapshot;
 *   - reconnect: name AND token bring back colour and score (on a new
 *     connection before the old one is noticed dead, and after it left);
 *     a wrong token or an expired window gives a fresh player.
 * Every wait is bounded; thresholds are generous for a busy machine.
 */
#include <SDL.h>
#include <string.h>

#include "bot.h"
#include "chat_limiter.h"
#include "check.h"
#include "client.h"
#include "netclient.h"
#include "server.h"

#define RING 512
static sim_world ring[RING];

static uint64_t t0, freq;

static uint64_t now_us(void)
{
    return (SDL_GetPerformanceCounter() - t0) * 1000000 / freq;
}

static client *join(uint16_t port, const char *name, uint64_t token, uint8_t colour, const char *password)
{
    netclient_config nc = netclient_default_config();
    snprintf(nc.host, sizeof nc.host, "127.0.0.1");
    nc.port = port;
    snprintf(nc.name, sizeof nc.name, "%s", name);
    nc.reconnect_token = token;
    nc.colour = colour;
    snprintf(nc.password, sizeof nc.password, "%s", password ? password : "");
    return client_create(&nc, now_us());
}

/* Chat received so far, per client. */
#define MAX_CL 8
#define MAX_CHAT 64
static client_chat got[MAX_CL][MAX_CHAT];
static int got_n[MAX_CL];
/* Gems each client heard each player pick up (EVENTs come before the
 * snapshot of their tick, on the same stream). */
static int picked[MAX_CL][SIM_MAX_PLAYERS];

typedef bool (*until_fn)(client **cl, int n, void *arg);

/* Updates every client (and samples the server's world into the ring)
 * until done() or ms pass. Bots drive the clients whose bot[] is set. */
static bool run(server *srv, client **cl, int n, const bool *bot, bot_state *ai, int ms, until_fn done, void *arg)
{
    uint64_t end = now_us() + (uint64_t)ms * 1000;
    sim_world w;
    while (now_us() < end) {
        server_get_world(srv, &w);
        ring[w.tick % RING] = w;
        for (int i = 0; i < n; i++) {
            if (!cl[i])
                continue;
            const client_view *v = client_get_view(cl[i]);
            uint8_t buttons = 0;
            if (bot && bot[i] && v->my_id >= 0) {
                sim_world cw;
                client_view_to_world(v, &cw);
                /* No dashes here: a knocked player drops a point, and
                 * this test follows scores across reconnects. */
                buttons = bot_think(&ai[i], &cw, v->my_id) & (uint8_t)~SIM_BTN_DASH;
            }
            client_update(cl[i], now_us(), buttons);
            client_chat ch;
            while (client_next_chat(cl[i], &ch))
                if (got_n[i] < MAX_CHAT)
                    got[i][got_n[i]++] = ch;
            client_event ev;
            while (client_next_event(cl[i], &ev))
                if (ev.kind == PROTO_EV_PICKUP && ev.a < SIM_MAX_PLAYERS)
                    picked[i][ev.a]++;
        }
        if (done && done(cl, n, arg))
            return true;
        SDL_Delay(1);
    }
    return done == NULL;
}

static bool all_playing(client **cl, int n, void *arg)
{
    int want = *(int *)arg; /* players each must know */
    for (int i = 0; i < n; i++) {
        if (!cl[i])
            continue;
        if (client_get_phase(cl[i], NULL, 0) != CLIENT_PLAYING || client_get_stats(cl[i]).players < want)
            return false;
    }
    return true;
}

static bool phase_not_connecting(client **cl, int n, void *arg)
{
    (void)arg;
    return client_get_phase(cl[n - 1], NULL, 0) != CLIENT_CONNECTING;
}

/* Client *arg (index into cl) has seen itself, and its score is what it
 * came back with plus the gems it picked up since (a returning player
 * starts at a spawn point, where a gem may lie). */
typedef struct {
    int who;
    uint16_t score;
} score_back;

static bool score_restored(client **cl, int n, void *arg)
{
    const score_back *b = arg;
    (void)n;
    const client_view *v = client_get_view(cl[b->who]);
    return v->my_id >= 0 && v->players[v->my_id].seen &&
           v->players[v->my_id].state.score == b->score + picked[b->who][v->my_id];
}

/* Client *arg has a score. */
static bool has_scored(client **cl, int n, void *arg)
{
    (void)n;
    const client_view *v = client_get_view(cl[*(int *)arg]);
    return v->my_id >= 0 && v->players[v->my_id].state.score > 0;
}

static int count_chat(int who, int from, const char *text)
{
    int k = 0;
    for (int i = 0; i < got_n[who]; i++)
        if (got[who][i].from == from && (!text || strcmp(got[who][i].text, text) == 0))
            k++;
    return k;
}

/* Every client knows who hosts and has a ping for every player. */
static bool pings_known(client **cl, int n, void *arg)
{
    (void)arg;
    for (int i = 0; i < n; i++) {
        const client_view *v = client_get_view(cl[i]);
        int hosts = 0;
        for (int j = 0; j < n; j++) {
            int id = client_get_view(cl[j])->my_id;
            if (id < 0 || v->players[id].ping_ms == PROTO_PING_UNKNOWN)
                return false;
            hosts += v->players[id].is_host;
        }
        if (hosts == 0)
            return false;
    }
    return true;
}

/* Chat lines every client is waiting for: at least `count` from `from`
 * (with `text`, when set), and `notices` host notices for `noticed`. */
typedef struct {
    int from, count;
    const char *text;
    int noticed, notices;
} chat_due;

static bool chat_arrived(client **cl, int n, void *arg)
{
    const chat_due *d = arg;
    for (int i = 0; i < n; i++)
        if (count_chat(i, d->from, d->text) < d->count)
            return false;
    return d->noticed < 0 || count_chat(d->noticed, -1, NULL) >= d->notices;
}

static server *start(const char *password, uint64_t host_token, uint32_t window_ms)
{
    char err[256];
    server_config sc = server_default_config();
    sc.port = 0;
    sc.seed = 4242;
    sc.host_token = host_token;
    sc.reconnect_window_ms = window_ms;
    sc.round_seconds = 0; /* one endless round: scores are followed across reconnects */
    snprintf(sc.password, sizeof sc.password, "%s", password ? password : "");
    server *srv = server_start(&sc, err, sizeof err);
    CHECK_MSG(srv != NULL, "%s", err);
    return srv;
}

static int my_id(client *c)
{
    return client_get_view(c)->my_id;
}

static void test_chat_info_colour(void)
{
    const uint64_t host_token = 0x5EC12E7u;
    server *srv = start(NULL, host_token, 0);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    memset(got_n, 0, sizeof got_n);
    client *cl[3] = {join(port, "Hosty", host_token, PROTO_COLOUR_ANY, NULL), join(port, "Bea", 0, 6, NULL), NULL};
    int two = 2;
    CHECK_MSG(run(srv, cl, 2, NULL, NULL, 20000, all_playing, &two), "two clients did not both join");
    const client_view *va = client_get_view(cl[0]), *vb = client_get_view(cl[1]);
    int a = va->my_id, b = vb->my_id;
    CHECK(a >= 0 && b >= 0 && a != b);
    CHECK(va->reconnect_token == host_token);          /* the host keeps its own token */
    CHECK(vb->reconnect_token != 0 && vb->reconnect_token != host_token);
    /* Colour: Bea asked for 6 and got it; Hosty let the host choose. */
    CHECK_MSG(va->players[b].colour == 6 && vb->players[b].colour == 6, "Bea's colour %d", va->players[b].colour);
    CHECK(va->players[a].colour != 6 && va->players[a].colour < PROTO_COLOURS);
    /* A third asking for Bea's colour gets another one. */
    cl[2] = join(port, "Cy", 0, 6, NULL);
    int three = 3;
    CHECK(run(srv, cl, 3, NULL, NULL, 20000, all_playing, &three));
    int c = my_id(cl[2]);
    CHECK(c >= 0 && va->players[c].colour != 6 && va->players[c].colour < PROTO_COLOURS);

    /* PLAYER_INFO: the host is marked for everyone; pings get measured. */
    CHECK(run(srv, cl, 3, NULL, NULL, 20000, pings_known, NULL));
    for (int i = 0; i < 3; i++) {
        const client_view *v = client_get_view(cl[i]);
        CHECK_MSG(v->players[a].is_host && !v->players[b].is_host && !v->players[c].is_host,
                  "client %d: host marks %d %d %d", i, v->players[a].is_host, v->players[b].is_host,
                  v->players[c].is_host);
        for (int p = 0; p < 3; p++) {
            int id = p == 0 ? a : p == 1 ? b : c;
            uint16_t ping = v->players[id].ping_ms;
            CHECK_MSG(ping != PROTO_PING_UNKNOWN && ping < 1000, "client %d sees player %d ping %u", i, id, ping);
        }
    }
    printf("pings seen by Hosty: %u %u %u ms\n", va->players[a].ping_ms, va->players[b].ping_ms,
           va->players[c].ping_ms);

    /* Chat: relayed to all, the sender too, in the sender's name. */
    CHECK(client_send_chat(cl[0], "hello there"));
    CHECK(!client_send_chat(cl[0], ""));        /* nothing to say */
    CHECK(!client_send_chat(cl[0], "bell\a")); /* control characters */
    char long_text[PROTO_CHAT_MAX + 2];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    CHECK(!client_send_chat(cl[0], long_text));
    /* Until it arrived everywhere, then a little longer for any copy. */
    run(srv, cl, 3, NULL, NULL, 20000, chat_arrived, &(chat_due){a, 1, "hello there", -1, 0});
    run(srv, cl, 3, NULL, NULL, 300, NULL, NULL);
    for (int i = 0; i < 3; i++) {
        CHECK_MSG(count_chat(i, a, "hello there") == 1, "client %d got the message %d times", i,
                  count_chat(i, a, "hello there"));
        CHECK(got_n[i] > 0 && strcmp(got[i][0].name, "Hosty") == 0 && got[i][0].colour == va->players[a].colour);
    }

    /* Rate: six at once from Bea, four get through, she alone is told. */
    memset(got_n, 0, sizeof got_n);
    for (int k = 0; k < 6; k++) {
        char t[32];
        snprintf(t, sizeof t, "spam %d", k);
        CHECK(client_send_chat(cl[1], t));
    }
    run(srv, cl, 3, NULL, NULL, 20000, chat_arrived, &(chat_due){b, 4, NULL, 1, 1});
    run(srv, cl, 3, NULL, NULL, 300, NULL, NULL);
    CHECK_MSG(count_chat(0, b, NULL) == 4, "Hosty got %d of Bea's six", count_chat(0, b, NULL));
    CHECK(count_chat(2, b, NULL) == 4 && count_chat(1, b, NULL) == 4);
    CHECK(count_chat(1, b, "spam 3") == 1 && count_chat(1, b, "spam 4") == 0);
    CHECK_MSG(count_chat(1, -1, NULL) == 1, "Bea got %d notices", count_chat(1, -1, NULL));
    CHECK(count_chat(0, -1, NULL) == 0 && count_chat(2, -1, NULL) == 0);
    if (count_chat(1, -1, NULL) > 0)
        for (int i = 0; i < got_n[1]; i++)
            if (got[1][i].from == -1)
                CHECK(strstr(got[1][i].text, "too fast") != NULL && got[1][i].name[0] == '\0');

    /* A client that skips the client-side checks meets the host's. */
    netclient_config rc = netclient_default_config();
    snprintf(rc.host, sizeof rc.host, "127.0.0.1");
    rc.port = port;
    snprintf(rc.name, sizeof rc.name, "Rogue");
    netclient *rogue = netclient_start(&rc);
    uint64_t end = now_us() + 20000000;
    while (now_us() < end && netclient_status(rogue, NULL, 0) != NETCLIENT_CONNECTED)
        SDL_Delay(5);
    CHECK(netclient_status(rogue, NULL, 0) == NETCLIENT_CONNECTED);
    proto_msg m = {.type = PROTO_CHAT_SEND};
    m.u.chat.text_len = PROTO_CHAT_MAX + 50; /* inside the codec's bound, over the policy */
    memset(m.u.chat.text, 'r', m.u.chat.text_len);
    CHECK(netclient_send(rogue, &m));
    m.u.chat.text_len = 5;
    memcpy(m.u.chat.text, "a\nb\x1b!", 6);
    CHECK(netclient_send(rogue, &m));
    memset(got_n, 0, sizeof got_n);
    int host_notices = 0, rogue_relayed = 0;
    /* Until both notices arrived (a busy machine may take a while), then
     * a little longer, for any relay that should not come. */
    end = now_us() + 20000000;
    uint64_t grace_end = 0;
    while (now_us() < end && (!grace_end || now_us() < grace_end)) {
        if (host_notices >= 2 && !grace_end)
            grace_end = now_us() + 300000;
        proto_msg in;
        while (netclient_poll(rogue, &in))
            if (in.type == PROTO_CHAT && in.u.chat.from == PROTO_CHAT_FROM_HOST)
                host_notices++;
            else if (in.type == PROTO_CHAT)
                rogue_relayed++;
        run(srv, cl, 3, NULL, NULL, 10, NULL, NULL);
    }
    CHECK_MSG(host_notices == 2 && rogue_relayed == 0, "rogue: %d notices, %d relayed", host_notices, rogue_relayed);
    for (int i = 0; i < 3; i++)
        CHECK_MSG(got_n[i] == 0, "client %d saw %d chat lines from the rogue", i, got_n[i]);
    /* Flooding past the rate gets the rogue kicked; the others stay. */
    m.u.chat.text_len = 2;
    memcpy(m.u.chat.text, "hi", 3);
    for (int k = 0; k < CHAT_RATE_COUNT + CHAT_KICK_DROPS + 5; k++)
        netclient_send(rogue, &m);
    end = now_us() + 20000000;
    char why[256] = "";
    while (now_us() < end && netclient_status(rogue, why, sizeof why) == NETCLIENT_CONNECTED) {
        proto_msg in;
        while (netclient_poll(rogue, &in)) {
        }
        run(srv, cl, 3, NULL, NULL, 10, NULL, NULL);
    }
    CHECK_MSG(netclient_status(rogue, why, sizeof why) != NETCLIENT_CONNECTED && strstr(why, "limit"),
              "rogue not kicked: '%s'", why);
    netclient_stop(rogue, PROTO_BYE_QUIT);
    run(srv, cl, 3, NULL, NULL, 300, NULL, NULL);
    for (int i = 0; i < 3; i++)
        CHECK(client_get_phase(cl[i], NULL, 0) == CLIENT_PLAYING);

    for (int i = 0; i < 3; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);
}

static void test_password(void)
{
    server *srv = start("sesame", 0, 0);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    const char *tries[3] = {NULL, "open sesame", "sesame"};
    for (int k = 0; k < 3; k++) {
        client *cl[1] = {join(port, "Ali", 0, PROTO_COLOUR_ANY, tries[k])};
        run(srv, cl, 1, NULL, NULL, 20000, phase_not_connecting, NULL);
        char why[256];
        client_phase ph = client_get_phase(cl[0], why, sizeof why);
        if (k < 2) {
            CHECK_MSG(ph == CLIENT_FAILED && client_reject_reason(cl[0]) == PROTO_REJECT_PASSWORD,
                      "try %d: phase %d reason %u", k, ph, client_reject_reason(cl[0]));
            CHECK_MSG(strstr(why, "password") != NULL, "try %d: '%s'", k, why);
        } else {
            CHECK_MSG(ph == CLIENT_PLAYING && client_reject_reason(cl[0]) == 0, "right password: phase %d: %s", ph, why);
        }
        client_destroy(cl[0], PROTO_BYE_QUIT);
    }
    server_stop(srv);
}

/* The newcomer (last client) has applied a snapshot (its own player is
 * in one) whose tick the ring holds. */
static bool has_snapshot(client **cl, int n, void *arg)
{
    (void)arg;
    const client_view *v = client_get_view(cl[n - 1]);
    return v->my_id >= 0 && v->players[v->my_id].seen && ring[v->server_tick % RING].tick == v->server_tick;
}

static bool scored(client **cl, int n, void *arg)
{
    (void)arg;
    const client_view *v = client_get_view(cl[1]);
    return v->my_id >= 0 && v->players[v->my_id].state.score >= 1;
}

static void test_late_join_and_reconnect(void)
{
    server *srv = start(NULL, 0, 0);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    bot_state ai[4];
    for (int i = 0; i < 4; i++)
        bot_init(&ai[i], 1000u + (uint32_t)i);
    bool bots[4] = {true, true, false, false};
    client *cl[4] = {join(port, "Ann", 0, PROTO_COLOUR_ANY, NULL), join(port, "Ben", 0, 9, NULL), NULL, NULL};
    int two = 2;
    CHECK(run(srv, cl, 2, bots, ai, 20000, all_playing, &two));
    /* Play until Ben has scored, so there is a score to get back. */
    bool ben_scored = run(srv, cl, 2, bots, ai, 20000, scored, NULL);
    CHECK_MSG(ben_scored, "Ben did not score within 20 s");

    /* Late join: Cal's first snapshot already shows everyone, exactly. */
    cl[2] = join(port, "Cal", 0, PROTO_COLOUR_ANY, NULL);
    uint64_t asked = now_us();
    CHECK(run(srv, cl, 3, bots, ai, 5000, has_snapshot, NULL));
    const client_view *vc = client_get_view(cl[2]);
    const sim_world *sw = &ring[vc->server_tick % RING];
    printf("late join: first snapshot (tick %u) %.0f ms after connecting\n", vc->server_tick,
           (double)(now_us() - asked) / 1000.0);
    int players = 0, exact = 0;
    for (int p = 0; p < SIM_MAX_PLAYERS; p++) {
        if (!sw->players[p].active)
            continue;
        players++;
        const client_player *cp = &vc->players[p];
        if (cp->present && cp->seen && cp->name[0] && cp->state.x == sw->players[p].x &&
            cp->state.y == sw->players[p].y && cp->state.score == sw->players[p].score)
            exact++;
    }
    CHECK_MSG(players == 3 && exact == 3, "late joiner: %d of %d players present and exact", exact, players);

    /* Reconnect on a new connection before the old one is noticed: name
     * and token take the slot back with colour and score. Inside a round:
     * the next round's start would set every score to 0. */
    for (int i = 0; i < 100 && server_get_stats(srv).phase != SIM_PHASE_PLAYING; i++)
        run(srv, cl, 3, bots, ai, 100, NULL, NULL);
    CHECK(server_get_stats(srv).phase == SIM_PHASE_PLAYING);
    const client_view *vb = client_get_view(cl[1]);
    int ben = vb->my_id;
    uint64_t token = vb->reconnect_token;
    uint8_t colour = vb->players[ben].colour;
    uint16_t score = vb->players[ben].state.score;
    CHECK(colour == 9 && token != 0);
    /* A score to bring back: Ben's bot collects a gem or two first. */
    CHECK(run(srv, cl, 3, bots, ai, 60000, has_scored, &(int){1}));
    /* Everyone stands still from now on, so Ben's score stays put
     * (players are solid: a passing bot could push him onto a gem). */
    for (int i = 0; i < 4; i++)
        bots[i] = false;
    run(srv, cl, 3, bots, ai, 300, NULL, NULL);
    score = client_get_view(cl[1])->players[ben].state.score;
    memset(picked[3], 0, sizeof picked[3]);
    cl[3] = join(port, "Ben", token, PROTO_COLOUR_ANY, NULL);
    run(srv, cl, 4, bots, ai, 20000, phase_not_connecting, NULL);
    bool back = client_get_phase(cl[3], NULL, 0) == CLIENT_PLAYING;
    bool restored = run(srv, cl, 4, bots, ai, 20000, score_restored, &(score_back){3, score});
    const client_view *v3 = client_get_view(cl[3]);
    CHECK_MSG(back && v3->my_id == ben, "Ben back as player %d (was %d)", v3->my_id, ben);
    CHECK(client_get_phase(cl[1], NULL, 0) != CLIENT_PLAYING); /* the old connection was let go */
    if (v3->my_id >= 0) {
        CHECK_MSG(v3->players[v3->my_id].colour == colour && restored,
                  "Ben back with colour %u score %u (%d picked up since), had %u %u", v3->players[v3->my_id].colour,
                  v3->players[v3->my_id].state.score, picked[3][v3->my_id], colour, score);
        CHECK(v3->reconnect_token == token);
        score = v3->players[v3->my_id].state.score;
    }
    client_destroy(cl[1], PROTO_BYE_QUIT);
    cl[1] = NULL;

    /* Drop, then rejoin: a connection that dies without a word. */
    client_destroy(cl[3], PROTO_BYE_CONNECTION_LOST);
    cl[3] = NULL;
    run(srv, cl, 4, bots, ai, 500, NULL, NULL);
    CHECK(!client_get_view(cl[0])->players[ben].present);
    /* The same name without the token is a new player with nothing. */
    memset(picked[3], 0, sizeof picked[3]);
    cl[3] = join(port, "Ben", 0, PROTO_COLOUR_ANY, NULL);
    run(srv, cl, 4, bots, ai, 20000, phase_not_connecting, NULL);
    bool fresh = run(srv, cl, 4, bots, ai, 20000, score_restored, &(score_back){3, 0});
    const client_view *vf = client_get_view(cl[3]);
    CHECK(client_get_phase(cl[3], NULL, 0) == CLIENT_PLAYING && vf->my_id >= 0);
    if (vf->my_id >= 0)
        CHECK_MSG(fresh && vf->reconnect_token != token, "an impostor got score %u (%d picked up)",
                  vf->players[vf->my_id].state.score, picked[3][vf->my_id]);
    client_destroy(cl[3], PROTO_BYE_QUIT);
    cl[3] = NULL;
    run(srv, cl, 4, bots, ai, 300, NULL, NULL);
    /* With the token (the impostor's departure did not spoil it). */
    memset(picked[3], 0, sizeof picked[3]);
    cl[3] = join(port, "Ben", token, PROTO_COLOUR_ANY, NULL);
    run(srv, cl, 4, bots, ai, 20000, phase_not_connecting, NULL);
    restored = run(srv, cl, 4, bots, ai, 20000, score_restored, &(score_back){3, score});
    const client_view *vr = client_get_view(cl[3]);
    CHECK(vr->my_id >= 0);
    if (vr->my_id >= 0)
        CHECK_MSG(restored && vr->players[vr->my_id].colour == colour,
                  "rejoined with score %u (%d picked up since, had %u) colour %u", vr->players[vr->my_id].state.score,
                  picked[3][vr->my_id], score, vr->players[vr->my_id].colour);
    for (int i = 0; i < 4; i++)
        client_destroy(cl[i], PROTO_BYE_QUIT);
    server_stop(srv);

    /* After the window, the token brings back nothing. */
    srv = start(NULL, 0, 300);
    if (!srv)
        return;
    port = server_port(srv);
    client *one[1] = {join(port, "Dee", 0, 3, NULL)};
    CHECK(run(srv, one, 1, NULL, NULL, 20000, all_playing, &(int){1}));
    token = client_get_view(one[0])->reconnect_token;
    client_destroy(one[0], PROTO_BYE_CONNECTION_LOST);
    SDL_Delay(700);
    one[0] = join(port, "Dee", token, PROTO_COLOUR_ANY, NULL);
    CHECK(run(srv, one, 1, NULL, NULL, 20000, all_playing, &(int){1}));
    CHECK(client_get_view(one[0])->reconnect_token != token);
    client_destroy(one[0], PROTO_BYE_QUIT);
    server_stop(srv);
}

/* How a game ends for a client: dropped by the host for spamming is not a
 * clean end (a headless client exits 1); the host closing the game is. */
static void test_endings(void)
{
    server *srv = start(NULL, 0, 0);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    client *cl[2] = {join(port, "Keeper", 0, PROTO_COLOUR_ANY, NULL), join(port, "Spammer", 0, PROTO_COLOUR_ANY, NULL)};
    CHECK(run(srv, cl, 2, NULL, NULL, 20000, all_playing, &(int){2}));
    CHECK(client_get_phase(cl[1], NULL, 0) == CLIENT_PLAYING && !client_ended_cleanly(cl[1]));
    for (int k = 0; k < CHAT_RATE_COUNT + CHAT_KICK_DROPS + 5; k++)
        client_send_chat(cl[1], "hi");
    uint64_t end = now_us() + 20000000;
    while (now_us() < end && client_get_phase(cl[1], NULL, 0) == CLIENT_PLAYING)
        run(srv, cl, 2, NULL, NULL, 10, NULL, NULL);
    char why[256];
    client_phase ph = client_get_phase(cl[1], why, sizeof why);
    CHECK_MSG(ph == CLIENT_ENDED && !client_ended_cleanly(cl[1]), "spammer: phase %d, '%s'", ph, why);
    CHECK(client_get_phase(cl[0], NULL, 0) == CLIENT_PLAYING);

    server_stop(srv);
    end = now_us() + 20000000;
    while (now_us() < end && client_get_phase(cl[0], NULL, 0) == CLIENT_PLAYING) {
        client_update(cl[0], now_us(), 0);
        SDL_Delay(2);
    }
    ph = client_get_phase(cl[0], why, sizeof why);
    CHECK_MSG(ph == CLIENT_ENDED && client_ended_cleanly(cl[0]), "keeper: phase %d, '%s'", ph, why);
    client_destroy(cl[0], PROTO_BYE_QUIT);
    client_destroy(cl[1], PROTO_BYE_QUIT);
}

int main(void)
{
    SDL_Init(SDL_INIT_TIMER | SDL_INIT_EVENTS);
    freq = SDL_GetPerformanceFrequency();
    t0 = SDL_GetPerformanceCounter();
    test_chat_info_colour();
    test_password();
    test_late_join_and_reconnect();
    test_endings();
    SDL_Quit();
    return check_done("party");
}
