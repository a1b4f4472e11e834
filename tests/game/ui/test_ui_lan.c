/* The Find LAN games screen and the recent hosts, driven with synthetic
 * key events as a player would press them (no window, no network). */
#include <SDL.h>
#include <string.h>

#include "check.h"
#include "proto.h"
#include "ui.h"

static ui_action key(ui_state *ui, const ui_frame *f, SDL_Keycode k)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    return ui_event(ui, &ev, f);
}

static discovery_game game(const char *addr, uint16_t port, uint16_t version, const char *name)
{
    discovery_game g;
    memset(&g, 0, sizeof g);
    snprintf(g.addr, sizeof g.addr, "%s", addr);
    g.game_port = port;
    g.game_version = version;
    g.players = 2;
    g.max_players = 8;
    snprintf(g.name, sizeof g.name, "%s", name);
    return g;
}

static void test_lan_screen(void)
{
    ui_state ui;
    ui_frame f = {.w = 1280, .h = 720, .scale = 1, .ui_scale = 1};
    ui_init(&ui, "Bob", 27960);
    ui_show(&ui, UI_MAIN);

    /* Host, Join, then Find LAN games: Down Down Enter. */
    key(&ui, &f, SDLK_DOWN);
    key(&ui, &f, SDLK_DOWN);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_NONE);
    CHECK(ui.screen == UI_LAN && ui.lan_count == 0 && strlen(ui.lan_status) > 0);
    /* Enter on an empty list does nothing. */
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_LAN);

    discovery_game list[3] = {game("10.0.0.5", 27960, PROTO_VERSION, "Ada"),
                              game("10.0.0.6", 27970, PROTO_VERSION + 1, "Future"),
                              game("10.0.0.7", 28000, PROTO_VERSION, "Cy")};
    ui_lan_set(&ui, list, 3, "3 games found");
    CHECK(ui.lan_count == 3 && strcmp(ui.lan_status, "3 games found") == 0);

    /* Another protocol version is refused with a reason, not joined. */
    key(&ui, &f, SDLK_DOWN);
    CHECK(ui.lan_selected == 1);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_NONE);
    CHECK(ui.screen == UI_LAN && strstr(ui.error, "version") != NULL);
    /* Moving on clears it; Enter on a compatible game asks to join it. */
    key(&ui, &f, SDLK_DOWN);
    CHECK(ui.lan_selected == 2 && ui.error[0] == '\0');
    key(&ui, &f, SDLK_DOWN); /* stays on the last */
    CHECK(ui.lan_selected == 2);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_JOIN);
    CHECK(strcmp(ui.join_text, "10.0.0.7:28000") == 0);

    /* A refresh that loses the selected host keeps the selection in range. */
    ui_lan_set(&ui, list, 1, "1 game found");
    CHECK(ui.lan_count == 1 && ui.lan_selected == 0);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_JOIN && strcmp(ui.join_text, "10.0.0.5:27960") == 0);

    /* Esc goes back to the main menu (the app then stops searching). */
    key(&ui, &f, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);
}

/* A game that needs a password is marked locked and asks for the password
 * before joining; Esc there returns to the list. */
static void test_lan_locked(void)
{
    ui_state ui;
    ui_frame f = {.w = 640, .h = 480, .scale = 1, .ui_scale = 480.0f / 720.0f};
    ui_init(&ui, "Bob", 27960);
    ui_show(&ui, UI_LAN);
    discovery_game list[2] = {game("10.0.0.5", 27960, PROTO_VERSION, "Open"),
                              game("10.0.0.6", 27961, PROTO_VERSION, "Den")};
    list[1].locked = true;
    list[1].ping_us = 3000;
    ui_lan_set(&ui, list, 2, "2 games found");
    CHECK(!ui.lan[0].locked && ui.lan[1].locked && discovery_game_ping_ms(&ui.lan[1]) == 3);

    key(&ui, &f, SDLK_DOWN);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_NONE);
    CHECK(ui.screen == UI_PASSWORD && strcmp(ui.join_text, "10.0.0.6:27961") == 0);
    CHECK(ui.join_password[0] == '\0');
    key(&ui, &f, SDLK_ESCAPE);
    CHECK(ui.screen == UI_LAN);
    /* Again, and a typed password joins from the Password screen. */
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_PASSWORD);
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_TEXTINPUT;
    snprintf(ev.text.text, sizeof ev.text.text, "%s", "secret");
    ui_event(&ui, &ev, &f);
    CHECK(strcmp(ui.join_password, "secret") == 0);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_JOIN && ui.screen == UI_PASSWORD);
    CHECK(strcmp(ui.join_text, "10.0.0.6:27961") == 0);
    /* The open game joins at once. */
    ui_show(&ui, UI_LAN);
    key(&ui, &f, SDLK_UP);
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_JOIN && strcmp(ui.join_text, "10.0.0.5:27960") == 0);
}

static void test_recent(void)
{
    ui_state ui;
    ui_frame f = {.w = 1280, .h = 720, .scale = 1, .ui_scale = 1};
    ui_init(&ui, "Bob", 27960);
    CHECK(ui_recent_count(&ui) == 0 && ui_recent_get(&ui, 0) == NULL);
    char addr[32];
    for (int i = 1; i <= 7; i++) {
        snprintf(addr, sizeof addr, "10.0.0.%d:27960", i);
        ui_recent_add(&ui, addr);
    }
    /* The newest five, newest first. */
    CHECK(ui_recent_count(&ui) == UI_RECENT_MAX);
    CHECK(strcmp(ui_recent_get(&ui, 0), "10.0.0.7:27960") == 0);
    CHECK(strcmp(ui_recent_get(&ui, 4), "10.0.0.3:27960") == 0);
    CHECK(ui_recent_get(&ui, 5) == NULL && ui_recent_get(&ui, -1) == NULL);
    /* A repeat moves to the front without a duplicate. */
    ui_recent_add(&ui, "10.0.0.4:27960");
    CHECK(ui_recent_count(&ui) == UI_RECENT_MAX);
    CHECK(strcmp(ui_recent_get(&ui, 0), "10.0.0.4:27960") == 0);
    CHECK(strcmp(ui_recent_get(&ui, 1), "10.0.0.7:27960") == 0);
    CHECK(strcmp(ui_recent_get(&ui, 4), "10.0.0.3:27960") == 0);
    ui_recent_add(&ui, "");
    ui_recent_add(&ui, NULL);
    CHECK(ui_recent_count(&ui) == UI_RECENT_MAX);

    /* On the Join screen, Down and Up walk the recent hosts into the field. */
    ui_show(&ui, UI_MAIN);
    key(&ui, &f, SDLK_DOWN); /* Join game */
    key(&ui, &f, SDLK_RETURN);
    CHECK(ui.screen == UI_JOIN);
    key(&ui, &f, SDLK_DOWN);
    CHECK(strcmp(ui.join_text, "10.0.0.4:27960") == 0);
    key(&ui, &f, SDLK_DOWN);
    CHECK(strcmp(ui.join_text, "10.0.0.7:27960") == 0);
    key(&ui, &f, SDLK_UP);
    CHECK(strcmp(ui.join_text, "10.0.0.4:27960") == 0);
    for (int i = 0; i < 9; i++)
        key(&ui, &f, SDLK_DOWN);
    CHECK(strcmp(ui.join_text, "10.0.0.3:27960") == 0); /* stops at the oldest */
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_JOIN);
}

int main(void)
{
    SDL_Init(SDL_INIT_EVENTS);
    test_lan_screen();
    test_lan_locked();
    test_recent();
    SDL_Quit();
    return check_done("ui_lan");
}
