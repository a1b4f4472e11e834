/*
 * app_headless: the modes without a window that the app runs: a headless
 * client (--join --headless, maybe driven by the bot AI with --bot), and
 * --list-lan, which prints the LAN's games and is gone. A dedicated
 * server (--host --headless) is not the app's: app_run hands it to
 * dedicated_run, lanarena-server's code.
 */
#include "app_internal.h"
#include "log.h"

/* SDL_QUIT (Ctrl+C, a TERM signal) ends a windowless run too. */
static bool app_quit_event(void)
{
    SDL_Event ev;
    bool quit = false;
    while (SDL_PollEvent(&ev))
        if (ev.type == SDL_QUIT)
            quit = true;
    return quit;
}

void app_headless_begin(app *a)
{
    const options *o = a->opt;
    char name[64];
    if (o->name_set)
        snprintf(name, sizeof name, "%s", o->name);
    else if (o->bot)
        snprintf(name, sizeof name, "Bot %03u", (unsigned)(SDL_GetPerformanceCounter() % 1000));
    else
        app_default_name(name, sizeof name);
    netclient_config nc = app_client_config(o->join_host, o->port, name);
    snprintf(nc.password, sizeof nc.password, "%s", o->password);
    a->cl = app_new_client(a, &nc);
    bot_init(&a->ai, (uint32_t)SDL_GetPerformanceCounter() | 1u);
    app_enter(a, APP_HEADLESS, UI_MAIN);
}

/* A client that cannot join or loses the game quits with the reason on
 * stderr: exit 0 when the host ended the game, 1 otherwise. */
void app_headless_frame(app *a, uint64_t now_us)
{
    if (app_quit_event())
        a->quit = true;
    if (a->quit)
        return;
    char why[256];
    client_phase ph = client_get_phase(a->cl, why, sizeof why);
    if (ph == CLIENT_FAILED || ph == CLIENT_ENDED) {
        fprintf(stderr, "lanarena: %s\n", why);
        a->exit_code = client_ended_cleanly(a->cl) ? 0 : 1;
        a->quit = true;
        return;
    }
    uint8_t buttons = 0;
    const client_view *v = client_get_view(a->cl);
    if (a->opt->bot && ph == CLIENT_PLAYING && v->my_id >= 0) {
        client_view_to_world(v, &a->bot_view);
        buttons = bot_think(&a->ai, &a->bot_view, v->my_id);
    }
    client_update(a->cl, now_us, buttons);
    app_host_take_over(a);
    app_host_tick(a, now_us);
}

/* --list-lan: one query, answers for 1 s, one line per game. */
int app_list_lan(const options *o)
{
    discovery_game games[64];
    char err[256];
    int n = discovery_list(o->discovery_addr, DISCOVERY_PORT, 1000, games, 64, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "lanarena: %s\n", err);
        return 1;
    }
    if (n == 0) {
        fprintf(stderr, "lanarena: no LAN games answered within 1 s (asked %s, UDP port %d).\n", o->discovery_addr,
                DISCOVERY_PORT);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char line[128];
        discovery_game_format(&games[i], line, sizeof line);
        printf("%s\n", line);
    }
    return 0;
}
