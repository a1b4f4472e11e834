/*
 * app_host: our server, when this process hosts: the server thread, the
 * bots that join it over loopback, the LAN discovery responder that
 * answers for it, and hosting from the menus (server first, then our own
 * player joins it like anyone else).
 */
#include "app_internal.h"
#include "lan.h"
#include "log.h"

/* "Hosting: friends join 192.168.1.20:27960 or ..." */
static void app_host_describe(app *a, uint16_t port)
{
    char addrs[LAN_ADDR_MAX][16];
    int n = lan_local_addresses(addrs, LAN_ADDR_MAX);
    char *info = a->host.info;
    size_t cap = sizeof a->host.info;
    if (n == 0) {
        snprintf(info, cap, "Hosting on port %u (no LAN address found)", port);
    } else {
        int off = snprintf(info, cap, "Hosting: friends join %s:%u", addrs[0], port);
        for (int i = 1; i < n && off < (int)cap - 24; i++)
            off += snprintf(info + off, cap - (size_t)off, " or %s:%u", addrs[i], port);
    }
    log_info("%s", info);
}

/* Starts the server thread and the discovery responder. False, with the
 * reason in err, when the server cannot start. */
bool app_host_start(app *a, uint16_t port, const char *password, char *err, size_t err_cap)
{
    app_hosting *h = &a->host;
    server_config sc = server_default_config();
    sc.port = port;
    snprintf(sc.password, sizeof sc.password, "%s", password);
    sc.host_token = h->token; /* 0 for a dedicated server: nobody is the host */
    sc.max_players = a->opt->max_players;
    sc.no_delta = a->opt->no_delta;
    snprintf(sc.trusted_addr[1], sizeof sc.trusted_addr[1], "%s", a->opt->trust_addr);
    h->srv = server_start(&sc, err, err_cap);
    if (!h->srv)
        return false;
    uint16_t p = server_port(h->srv);
    app_host_describe(a, p);
    /* Discovery is a convenience: hosting goes on without it (e.g. a
     * second host on this computer holds the UDP port). */
    if (!h->responder_name[0])
        snprintf(h->responder_name, sizeof h->responder_name, "%.*s", DISCOVERY_NAME_MAX,
                 a->opt->name_set ? a->opt->name : DISCOVERY_HOST_NAME);
    discovery_responder_config dc = discovery_default_responder_config();
    dc.game_port = p;
    dc.max_players = a->opt->max_players;
    snprintf(dc.name, sizeof dc.name, "%.*s", DISCOVERY_NAME_MAX, h->responder_name);
    char derr[256];
    h->responder = discovery_responder_start(&dc, derr, sizeof derr);
    if (!h->responder)
        log_warn("LAN discovery is off: %s", derr);
    return true;
}

/* Bots join after our own player so that the host is usually player 0. */
void app_host_bots(app *a)
{
    if (a->opt->bots > 0 && a->host.srv)
        a->host.bots =
            bots_start("127.0.0.1", server_port(a->host.srv), a->opt->bots, (uint32_t)SDL_GetPerformanceCounter());
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
    discovery_responder_update(h->responder, h->responder_name, ss.players, a->opt->max_players);
}

/* Stops whatever of the bots, the responder and the server runs. */
void app_host_stop(app *a)
{
    app_hosting *h = &a->host;
    bots_stop(h->bots);
    h->bots = NULL;
    discovery_responder_stop(h->responder);
    h->responder = NULL;
    h->responder_name[0] = '\0';
    server_stop(h->srv);
    h->srv = NULL;
    h->info[0] = '\0';
}

/* Host, then join our own server over loopback. Started on screen `from`
 * (the Host screen, or the main menu for --host), where Cancel returns; a
 * server that cannot start is reported on the main menu. */
void app_host_from_menu(app *a, ui_screen from)
{
    ui_state *ui = &a->ui;
    char err[256];
    snprintf(a->host.responder_name, sizeof a->host.responder_name, "%.*s", DISCOVERY_NAME_MAX, ui->name);
    if (!app_host_start(a, a->opt->port, ui->host_password, err, sizeof err)) {
        snprintf(ui->notice, sizeof ui->notice, "%s", err);
        app_enter(a, APP_MENU, UI_MAIN);
        return;
    }
    uint16_t port = server_port(a->host.srv);
    netclient_config nc = app_client_config("127.0.0.1", port, ui->name);
    nc.reconnect_token = a->host.token;
    snprintf(nc.password, sizeof nc.password, "%.*s", PROTO_PASSWORD_MAX, ui->host_password);
    a->cl = app_new_client(a, &nc);
    if (ui->host_password[0] && a->opt->bots > 0)
        app_toast(a, "Bots cannot join a game with a password; hosting without them.", app_now_us(a));
    else
        app_host_bots(a);
    snprintf(ui->connecting_to, sizeof ui->connecting_to, "your game on port %u", port);
    a->cancel_to = from;
    app_enter(a, APP_HOST_JOINING, UI_CONNECTING);
}
