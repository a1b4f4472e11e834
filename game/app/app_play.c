/*
 * app_play: our player's client in the windowed modes: starting a join,
 * following the connection (welcomed, refused, lost) into the next mode,
 * and in game the keyboard, the chat line and drawing the arena.
 */
#include <string.h>

#include "app_internal.h"
#include "draw.h"
#include "log.h"
#include "scoreboard.h"

void app_default_name(char *out, size_t cap)
{
    /* Distinct enough that two windows on one machine don't collide. */
    snprintf(out, cap, "Player %03u", (unsigned)(SDL_GetPerformanceCounter() % 1000));
}

netclient_config app_client_config(const char *host, uint16_t port, const char *name)
{
    netclient_config c = netclient_default_config();
    snprintf(c.host, sizeof c.host, "%s", host);
    c.port = port;
    snprintf(c.name, sizeof c.name, "%s", name);
    return c;
}

/* Our player's client, with the command line's netcode settings. */
client *app_new_client(app *a, netclient_config *nc)
{
    const options *o = a->opt;
    nc->fake_lag_ms = o->fake_lag_ms;
    nc->fake_jitter_ms = o->fake_jitter_ms;
    nc->fake_stall_ms = o->fake_stall_ms;
    nc->fake_stall_every_s = o->fake_stall_every_s;
    nc->silence_timeout_ms = o->timeout_s * 1000;
    client_netcode cn = {.predict = !o->no_predict, .interp = !o->no_interp};
    int colour = a->prefs.saved.colour;
    nc->colour = colour >= 0 && colour < PROTO_COLOURS ? (uint8_t)colour : PROTO_COLOUR_ANY;
    /* --snapshot-hz for this run, else the Settings choice (Auto by default). */
    int hz = o->snapshot_hz ? o->snapshot_hz : a->prefs.saved.snapshot_hz;
    nc->snapshot_hz = hz >= PROTO_SNAPSHOT_HZ_MIN && hz <= PROTO_SNAPSHOT_HZ_MAX ? (uint8_t)hz : PROTO_SNAPSHOT_HZ_AUTO;
    a->sent_password = nc->password[0] != '\0';
    client *cl = client_create_with(nc, &cn, app_now_us(a));
    if (cl) {
        /* Lost games are rejoined and lost hosts followed; when we are
         * the successor, app_host_take_over hosts. */
        client_recovery r = {.rejoin = !o->no_migrate, .migrate = !o->no_migrate, .can_host = true};
        client_set_recovery(cl, &r);
    }
    return cl;
}

/* The memory for addr; with create, a new (or the oldest) entry. */
app_host_memory *app_memory(app *a, const char *addr, bool create)
{
    for (int i = 0; i < APP_HOSTS; i++)
        if (a->hosts[i].addr[0] && strcmp(a->hosts[i].addr, addr) == 0)
            return &a->hosts[i];
    if (!create)
        return NULL;
    app_host_memory *m = &a->hosts[a->host_next];
    a->host_next = (a->host_next + 1) % APP_HOSTS;
    memset(m, 0, sizeof *m);
    snprintf(m->addr, sizeof m->addr, "%s", addr);
    return m;
}

/* Joins ui.join_text, started on screen `from` (where Cancel returns). A
 * bad address stays on that screen with the reason. */
void app_play_join(app *a, ui_screen from)
{
    ui_state *ui = &a->ui;
    char host[256], err[256];
    uint16_t port;
    if (!options_split_address(ui->join_text, host, sizeof host, &port, a->opt->port, err, sizeof err)) {
        snprintf(ui->error, sizeof ui->error, "%s", err);
        return;
    }
    ui->error[0] = '\0';
    a->rejoin_after_name = false;
    netclient_config nc = app_client_config(host, port, ui->name);
    char addr[UI_TEXT_MAX];
    snprintf(addr, sizeof addr, "%.100s:%u", host, port);
    /* A password typed on the Password screen belongs to this host. */
    app_host_memory *m = app_memory(a, addr, from == UI_PASSWORD);
    if (from == UI_PASSWORD)
        snprintf(m->password, sizeof m->password, "%.*s", PROTO_PASSWORD_MAX, ui->join_password);
    if (m) {
        nc.reconnect_token = m->token;
        snprintf(nc.password, sizeof nc.password, "%s", m->password);
    }
    a->cl = app_new_client(a, &nc);
    snprintf(ui->connecting_to, sizeof ui->connecting_to, "%s:%u", host, port);
    a->cancel_to = from;
    app_enter(a, APP_JOINING, UI_CONNECTING);
}

/* A join the host refused or that broke: the Password screen when the
 * host wants one (Back there returns where the join began), the Name
 * screen when it refused the name (saving a new one joins again; Back
 * goes to the Join screen), else the Join screen with the reason. */
static void app_play_join_failed(app *a, const char *why)
{
    ui_state *ui = &a->ui;
    uint8_t reason = client_reject_reason(a->cl);
    bool needs_password = reason == PROTO_REJECT_PASSWORD;
    if (reason == PROTO_REJECT_NAME_TAKEN || reason == PROTO_REJECT_NAME) {
        ui->back[UI_NAME] = UI_JOIN;
        app_enter(a, APP_MENU, UI_NAME);
        snprintf(ui->error, sizeof ui->error, "%.200s Choose another; Enter joins again.", why);
        a->rejoin_after_name = true;
        return;
    }
    if (!needs_password) {
        snprintf(ui->error, sizeof ui->error, "%s", why);
        app_enter(a, APP_MENU, UI_JOIN);
        return;
    }
    if (a->cancel_to != UI_PASSWORD)
        ui->back[UI_PASSWORD] = a->cancel_to;
    app_enter(a, APP_MENU, UI_PASSWORD);
    snprintf(ui->error, sizeof ui->error, "%s", a->sent_password ? "That password is not right. Try again." : "");
}

/* Moves to the next mode when the connection changes state. */
void app_play_follow(app *a)
{
    char why[256];
    client_phase ph = client_get_phase(a->cl, why, sizeof why);
    bool joining = a->mode == APP_JOINING || a->mode == APP_HOST_JOINING;
    if (ph == CLIENT_PLAYING && joining) {
        if (a->mode == APP_JOINING) {
            const char *addr = a->ui.connecting_to;
            /* Kept for a rejoin: the host gives colour and score back to
             * this name with this token within 60 s. */
            app_memory(a, addr, true)->token = client_get_view(a->cl)->reconnect_token;
            app_menu_remember_host(a, addr);
        }
        app_enter(a, a->mode == APP_JOINING ? APP_PLAYING : APP_HOSTING, UI_GAME);
    } else if (ph == CLIENT_FAILED || ph == CLIENT_ENDED) {
        if (a->mode == APP_JOINING) {
            app_play_join_failed(a, why);
        } else {
            /* A game lost (not ended) can be tried again from the main
             * menu, as the same player while its host remembers us. */
            client_link lk = client_get_link(a->cl, app_now_us(a));
            if (ph == CLIENT_FAILED && !lk.hosting && client_get_view(a->cl)->my_id >= 0) {
                snprintf(a->ui.reconnect_to, sizeof a->ui.reconnect_to, "%.127s", lk.host_addr);
                app_memory(a, lk.host_addr, true)->token = client_get_view(a->cl)->reconnect_token;
            }
            snprintf(a->ui.notice, sizeof a->ui.notice, "%s", why);
            app_enter(a, APP_MENU, UI_MAIN);
        }
    }
}

/* The host holds Tab in game: the scoreboard shows its kick controls,
 * which take Up/Down, K and Delete and the mouse. */
static bool app_play_board_open(const app *a)
{
    return a->mode == APP_HOSTING && a->host.srv && a->cl && a->ui.screen == UI_GAME && !a->ui.game_menu &&
           !a->chat_in.open && SDL_GetKeyboardState(NULL)[SDL_SCANCODE_TAB];
}

/* arrows_move: the Up and Down arrows steer (not while they pick a row
 * on the host's scoreboard; W and S always do). */
static uint8_t app_keyboard_buttons(bool arrows_move)
{
    const Uint8 *k = SDL_GetKeyboardState(NULL);
    uint8_t b = 0;
    if (k[SDL_SCANCODE_W] || (arrows_move && k[SDL_SCANCODE_UP]))
        b |= SIM_BTN_UP;
    if (k[SDL_SCANCODE_S] || (arrows_move && k[SDL_SCANCODE_DOWN]))
        b |= SIM_BTN_DOWN;
    if (k[SDL_SCANCODE_A] || k[SDL_SCANCODE_LEFT])
        b |= SIM_BTN_LEFT;
    if (k[SDL_SCANCODE_D] || k[SDL_SCANCODE_RIGHT])
        b |= SIM_BTN_RIGHT;
    if (k[SDL_SCANCODE_SPACE] || k[SDL_SCANCODE_LSHIFT] || k[SDL_SCANCODE_RSHIFT])
        b |= SIM_BTN_DASH;
    return b;
}

/* What happened this frame: effects, the feed and sounds. */
static void app_play_events(app *a, uint64_t now_us)
{
    static const int8_t sound_of[PROTO_EV_LAST + 1] = {
        [0] = -1,
        [PROTO_EV_PICKUP] = SOUND_PICKUP,
        [PROTO_EV_DASH] = SOUND_DASH,
        [PROTO_EV_HIT] = SOUND_HIT,
        [PROTO_EV_COUNTDOWN] = SOUND_COUNTDOWN,
        [PROTO_EV_ROUND_START] = SOUND_ROUND_START,
        [PROTO_EV_ROUND_END] = SOUND_ROUND_END,
    };
    client_event e;
    const client_view *v = client_get_view(a->cl);
    while (client_next_event(a->cl, &e)) {
        fx_event(&a->win.fx, &e, v, now_us);
        if (e.kind <= PROTO_EV_LAST && sound_of[e.kind] >= 0)
            sound_play(a->win.sound, (sound_id)sound_of[e.kind]);
        else if (e.kind == CLIENT_EV_JOINED)
            sound_play(a->win.sound, SOUND_JOIN);
        else if (e.kind == CLIENT_EV_LEFT)
            sound_play(a->win.sound, SOUND_LEAVE);
    }
}

/* Our client's frame: the held keys and pad steer our player while the
 * window has focus and the chat line is closed; chat received goes to the
 * log; then the connection's state may move the app on. */
void app_play_update(app *a, uint64_t now_us)
{
    if (!a->cl)
        return;
    bool in_game = (a->mode == APP_PLAYING || a->mode == APP_HOSTING) && a->ui.screen == UI_GAME && !a->ui.game_menu;
    bool focused = (SDL_GetWindowFlags(a->win.window) & SDL_WINDOW_INPUT_FOCUS) != 0;
    bool steer = in_game && focused && !a->chat_in.open;
    uint8_t pad = a->win.pad_dirs | (a->win.pad_dash ? SIM_BTN_DASH : 0);
    client_update(a->cl, now_us, steer ? app_keyboard_buttons(!app_play_board_open(a)) | pad : 0);
    app_host_take_over(a);
    client_chat ch;
    while (client_next_chat(a->cl, &ch)) {
        chat_log_add(&a->chat, ch.from < 0 ? NULL : ch.name, draw_player_colour(ch.colour), ch.text, now_us);
        log_info("chat: %s: %s", ch.from < 0 ? "(host)" : ch.name, ch.text); /* like a console */
        sound_play(a->win.sound, SOUND_CHAT);
    }
    app_play_events(a, now_us);
    app_play_follow(a);
}

/* In game, the chat line gets keys first: while it is open every key is
 * its own (Esc cancels the line instead of leaving the game). True when
 * the event was chat's. */
bool app_play_chat_event(app *a, const SDL_Event *ev)
{
    chat_input_result r = chat_input_event(&a->chat_in, ev);
    if (r == CHAT_IN_OPENED) {
        SDL_StartTextInput();
    } else if (r == CHAT_IN_SEND || r == CHAT_IN_CANCELLED) {
        SDL_StopTextInput();
        if (r == CHAT_IN_SEND && !client_send_chat(a->cl, a->chat_in.text))
            app_toast(a, "That message could not be sent.", app_now_us(a));
    }
    return r != CHAT_IN_IGNORED;
}

/* The host's kick controls while it holds Tab (ui_kick.h): a confirmed
 * kick goes to our server thread. True when the event was theirs. */
bool app_play_kick_event(app *a, const SDL_Event *ev, const ui_frame *uf)
{
    if (!app_play_board_open(a))
        return false;
    const client_view *v = client_get_view(a->cl);
    scoreboard_row rows[SIM_MAX_PLAYERS];
    int total, n = scoreboard_shown(v, uf->h, uf->ui_scale, rows, &total);
    uint64_t now = app_now_us(a);
    if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
        float x = (float)(ev->type == SDL_MOUSEMOTION ? ev->motion.x : ev->button.x) * uf->scale;
        float y = (float)(ev->type == SDL_MOUSEMOTION ? ev->motion.y : ev->button.y) * uf->scale;
        int id = scoreboard_row_at(v, uf->w, uf->h, uf->ui_scale, x, y);
        if (id >= 0)
            ui_kick_point(&a->win.kick, id, rows, n);
        return true;
    }
    if (ev->type != SDL_KEYDOWN)
        return false;
    SDL_Keycode k = ev->key.keysym.sym;
    if (ev->key.repeat && k != SDLK_UP && k != SDLK_DOWN)
        return k == SDLK_k || k == SDLK_DELETE; /* a held K confirms nothing */
    bool used, was_asking = ui_kick_marks(&a->win.kick, now).asking;
    int id = ui_kick_key(&a->win.kick, k, rows, n, now, &used);
    scoreboard_marks m = ui_kick_marks(&a->win.kick, now);
    if (m.asking && !was_asking)
        log_info("kick: asking whether to kick '%s' (player %d)", v->players[m.selected].name, m.selected);
    if (id >= 0) {
        const char *name = v->players[id].name;
        char text[PROTO_NAME_WIRE_MAX + 48];
        if (server_kick(a->host.srv, id, name)) {
            log_info("kick: asked the server to remove '%s' (player %d)", name, id);
            snprintf(text, sizeof text, "%s was kicked.", name);
        } else {
            snprintf(text, sizeof text, "%s could not be kicked just now; try again.", name);
        }
        app_toast(a, text, now);
    }
    return used;
}

/* F3: the net graph. Samples are taken every frame so the plot has no
 * holes when it is switched on. */
static void app_play_draw_graph(app *a, const ui_frame *uf)
{
    client_netinfo ni = client_take_netinfo(a->cl);
    client_stats cs = client_get_stats(a->cl);
    netgraph_sample smp = {{0}};
    smp.v[NETGRAPH_PING] = ni.rtt_ms;
    smp.v[NETGRAPH_GAP] = ni.snapshot_gap_ms;
    smp.v[NETGRAPH_DELAY] = ni.interp_delay_ms;
    smp.v[NETGRAPH_JITTER] = ni.jitter_ms;
    smp.v[NETGRAPH_CORRECTION] = ni.correction_px;
    smp.v[NETGRAPH_BYTES_IN] = cs.bytes_in_per_s;
    smp.v[NETGRAPH_BYTES_OUT] = cs.bytes_out_per_s;
    smp.v[NETGRAPH_FRAME] = a->stats.last_frame_ms;
    netgraph_add(&a->win.graph, &smp);
    if (a->win.show_graph)
        netgraph_draw(&a->win.graph, 10 * uf->ui_scale, 40 * uf->ui_scale, 380 * uf->ui_scale, uf->ui_scale);
}

/* The arena, the net graph, the chat, and while Tab is held the
 * scoreboard. */
void app_play_draw(app *a, const ui_frame *uf, uint64_t now_us)
{
    draw_frame df = {.w = uf->w, .h = uf->h, .ui_scale = uf->ui_scale,
                     .host_info = a->host.srv ? a->host.info : NULL, .now_us = now_us};
    draw_world(&df, client_get_view(a->cl));
    fx_draw(&a->win.fx, &df, client_get_view(a->cl));
    client_link lk = client_get_link(a->cl, now_us);
    draw_link_banner(&df, &lk);
    app_play_draw_graph(a, uf);
    chat_draw(&a->chat, &a->chat_in, uf->w, uf->h, uf->ui_scale, now_us);
    if (a->chat_in.open || !SDL_GetKeyboardState(NULL)[SDL_SCANCODE_TAB])
        return;
    const client_view *v = client_get_view(a->cl);
    if (!app_play_board_open(a)) {
        scoreboard_draw(v, uf->w, uf->h, uf->ui_scale, NULL);
        return;
    }
    scoreboard_row rows[SIM_MAX_PLAYERS];
    int total, n = scoreboard_shown(v, uf->h, uf->ui_scale, rows, &total);
    ui_kick_sync(&a->win.kick, rows, n, now_us);
    scoreboard_marks marks = ui_kick_marks(&a->win.kick, now_us);
    scoreboard_draw(v, uf->w, uf->h, uf->ui_scale, &marks);
}
