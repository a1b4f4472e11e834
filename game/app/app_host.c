/*
 * app_host: our server, when this process hosts: the server thread, the
 * bots that join it over loopback, the LAN discovery responder that
 * answers for it, and hosting from the menus (server first, then our own
 * player joins it like anyone else).
 */
#include <string.h>

#include "dedicated.h"
#include "app_internal.h"
#include "lan.h"
#include "log.h"
#include "ui_host.h"

/* "Hosting: friends join 192.168.1.20:27960 \xC2\xB7 also 10.8.0.2 (tun0,
 * virtual)": the LAN address first, the others labelled with their
 * interface, so nobody types a bridge's address friends cannot reach. */
static void app_host_describe(app *a, uint16_t port)
{
    lan_hosting_line(port, a->host.info, sizeof a->host.info);
    log_info("%s", a->host.info);
}

/* The game the command line describes (--port, --max-players, --bots,
 * --round-seconds, --score-limit, --password), announced as game_name. */
app_host_setup app_host_setup_from_options(const app *a, const char *game_name)
{
    const options *o = a->opt;
    app_host_setup su = {.port = o->port, .max_players = o->max_players, .bots = o->bots,
                         .round_seconds = o->round_seconds, .score_limit = o->score_limit, .announce = true};
    snprintf(su.game_name, sizeof su.game_name, "%.*s", DISCOVERY_NAME_MAX, game_name);
    snprintf(su.password, sizeof su.password, "%s", o->password);
    return su;
}

/* Starts the server thread for host.setup and, when the game is
 * announced, the discovery responder. False, with the reason in err,
 * when the server cannot start. */
bool app_host_start(app *a, char *err, size_t err_cap)
{
    app_hosting *h = &a->host;
    const app_host_setup *su = &h->setup;
    server_config sc = dedicated_server_config(a->opt); /* --no-delta, --snapshot-hz, --timeout-s, --trust-addr */
    sc.port = su->port;
    sc.max_players = su->max_players;
    sc.round_seconds = su->round_seconds;
    sc.score_limit = su->score_limit;
    snprintf(sc.password, sizeof sc.password, "%s", su->password);
    sc.host_token = h->token; /* our own player's: it marks the host */
    sc.takeover = h->takeover;
    h->srv = server_start(&sc, err, err_cap);
    if (!h->srv)
        return false;
    uint16_t p = server_port(h->srv);
    log_info("hosting '%s' on port %u: up to %d players, %d bots, round %d s, score limit %d%s", su->game_name, p,
             su->max_players, su->bots, su->round_seconds, su->score_limit, su->password[0] ? ", a password" : "");
    if (su->start_now)
        server_start_round(h->srv);
    if (!su->announce) {
        snprintf(h->info, sizeof h->info, "Practice against %d bots: a private game, not on the LAN", su->bots);
        return true;
    }
    app_host_describe(a, p);
    /* Discovery is a convenience: hosting goes on without it (e.g. a
     * second host on this computer holds the UDP port). */
    discovery_responder_config dc = discovery_default_responder_config();
    dc.game_port = p;
    dc.max_players = su->max_players;
    snprintf(dc.name, sizeof dc.name, "%.*s", DISCOVERY_NAME_MAX, su->game_name);
    /* One id for this hosting session, answered on every interface. */
    dc.game_id = discovery_new_game_id();
    dc.password = su->password[0] != '\0';
    char derr[256];
    h->responder = discovery_responder_start(&dc, derr, sizeof derr);
    if (!h->responder)
        log_warn("LAN discovery is off: %s", derr);
    return true;
}

/* Bots join after our own player so that the host is usually player 0. */
void app_host_bots(app *a)
{
    if (a->host.setup.bots > 0 && a->host.srv)
        a->host.bots = bots_start("127.0.0.1", server_port(a->host.srv), a->host.setup.bots,
                                  (uint32_t)SDL_GetPerformanceCounter());
}

/* Once a second the responder learns the player count, off the server's
 * own stats, so the server thread never knows discovery exists. */
void app_host_tick(app *a, uint64_t now_us)
{
    app_hosting *h = &a->host;
    if (!h->responder || !h->srv || now_us < h->next_responder_us)
        return;
    h->next_responder_us = now_us + 1000000;
    server_stats ss = server_get_stats(h->srv);
    discovery_responder_update(h->responder, h->setup.game_name, ss.players, h->setup.max_players);
}

/* Stops whatever of the bots, the responder and the server runs. A game
 * our player was in is handed over to its successor at once. */
void app_host_stop(app *a)
{
    app_hosting *h = &a->host;
    bots_stop(h->bots);
    h->bots = NULL;
    discovery_responder_stop(h->responder);
    h->responder = NULL;
    server_stop_handover(h->srv);
    h->srv = NULL;
    h->info[0] = '\0';
}

/* The successor's side of a host migration: when our client asks, host
 * the game from the world it last saw, on the old host's port or, when
 * that is taken here, any free one (and say which). The old host's bots
 * are not restarted: they ended with its process. */
void app_host_take_over(app *a)
{
    uint16_t port;
    if (!a->cl || a->host.srv || !client_host_request(a->cl, &port))
        return;
    static migrate_seed seed;
    memset(&seed, 0, sizeof seed);
    const client_view *v = client_get_view(a->cl);
    const proto_snapshot *snap = client_last_snapshot(a->cl);
    if (snap) {
        seed.have_snapshot = true;
        seed.snapshot = *snap;
    }
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const client_player *p = &v->players[i];
        seed.members[i].known = p->present;
        memcpy(seed.members[i].name, p->name, sizeof seed.members[i].name);
        seed.members[i].colour = p->colour;
        seed.members[i].proof = p->proof;
    }
    seed.rng_seed = (uint32_t)SDL_GetPerformanceCounter() | 1u;
    app_hosting *h = &a->host;
    uint64_t saved_token = h->token;
    h->token = v->reconnect_token; /* our player is the host now */
    h->takeover = &seed;
    /* The command line's game, on the old host's port, with its password,
     * announced under our player's name; no bots. */
    h->setup = app_host_setup_from_options(a, v->my_id >= 0 ? v->players[v->my_id].name : DISCOVERY_HOST_NAME);
    h->setup.port = port;
    h->setup.bots = 0;
    snprintf(h->setup.password, sizeof h->setup.password, "%.*s", PROTO_PASSWORD_MAX, client_password(a->cl));
    char err[256], err2[256] = "";
    bool ok = app_host_start(a, err, sizeof err);
    if (!ok) {
        log_warn("taking over: %s; trying any free port", err);
        h->setup.port = 0;
        ok = app_host_start(a, err2, sizeof err2);
    }
    h->takeover = NULL;
    if (!ok) {
        h->token = saved_token;
        log_warn("could not take over the game: %s", err2);
        client_host_result(a->cl, false, 0, app_now_us(a));
        return;
    }
    uint16_t got = server_port(h->srv);
    log_info("took over the game on port %u%s", got, got == port ? "" : " (the old host's port is taken here)");
    if (!a->win.window) {
        printf("Took over the game: %s\n", h->info);
        fflush(stdout);
    }
    client_host_result(a->cl, true, got, app_now_us(a));
    if (a->mode == APP_PLAYING)
        app_enter(a, APP_HOSTING, UI_GAME);
}

/* Hosts setup, then joins our own server over loopback. Started on
 * screen `from` (the Host screen, the main menu for --host and Practice),
 * where Cancel returns; a server that cannot start is reported there: on
 * the Host screen beside the port, else on the main menu. */
void app_host_from_menu(app *a, ui_screen from, const app_host_setup *setup)
{
    ui_state *ui = &a->ui;
    char err[256];
    a->host.setup = *setup;
    if (!app_host_start(a, err, sizeof err)) {
        if (from == UI_HOST) {
            snprintf(ui->host.error, sizeof ui->host.error, "%.*s", (int)sizeof ui->host.error - 1, err);
            ui->host.error_field = ui->host.selected = UI_HOST_PORT;
            app_enter(a, APP_MENU, UI_HOST);
        } else {
            snprintf(ui->notice, sizeof ui->notice, "%s", err);
            app_enter(a, APP_MENU, UI_MAIN);
        }
        return;
    }
    uint16_t port = server_port(a->host.srv);
    netclient_config nc = app_client_config("127.0.0.1", port, ui->name);
    nc.reconnect_token = a->host.token;
    snprintf(nc.password, sizeof nc.password, "%s", setup->password);
    a->cl = app_new_client(a, &nc);
    if (setup->password[0] && setup->bots > 0)
        app_toast(a, "Bots cannot join a game with a password; hosting without them.", app_now_us(a));
    else
        app_host_bots(a);
    snprintf(ui->connecting_to, sizeof ui->connecting_to, "your game on port %u", port);
    a->cancel_to = from;
    app_enter(a, APP_HOST_JOINING, UI_CONNECTING);
}

/* Practice vs bots: a game nobody else is meant to join, with
 * APP_PRACTICE_BOTS bots, its first round started at once. It is kept
 * private by not being announced to LAN searches and by being on a port
 * the system picks (never the well-known 27960) with exactly one place
 * per bot plus our own, so it is full once the bots are in. Binding it to
 * 127.0.0.1 alone would be stricter, but the transport binds every
 * interface (netserver.h); an unlisted, full game is private enough for
 * practice and needs no change there. */
#define APP_PRACTICE_BOTS 3
void app_host_practice(app *a)
{
    app_host_setup su = {.port = 0, .max_players = 1 + APP_PRACTICE_BOTS, .bots = APP_PRACTICE_BOTS,
                         .round_seconds = SIM_ROUND_SECONDS_DEFAULT, .start_now = true};
    snprintf(su.game_name, sizeof su.game_name, "Practice");
    app_host_from_menu(a, UI_MAIN, &su);
}
