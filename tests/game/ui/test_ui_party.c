/* The menus, driven with synthetic events as a player (or a
 * gamepad turned into keys by gamepad.c) would press them, no window:
 * the main menu order, the Host screen's password, the Password prompt,
 * and the Settings screen (name, colour, toggles). */
#include <SDL.h>
#include <string.h>

#include "check.h"
#include "gamepad.h"
#include "proto.h"
#include "ui.h"
#include "ui_settings.h"

static const ui_frame frame = {.w = 1280, .h = 720, .scale = 1, .ui_scale = 1};

static ui_action key(ui_state *ui, SDL_Keycode k)
{
    SDL_Event ev = gamepad_key_event(k, 0);
    return ui_event(ui, &ev, &frame);
}

static void type(ui_state *ui, const char *s)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_TEXTINPUT;
    snprintf(ev.text.text, sizeof ev.text.text, "%s", s);
    ui_event(ui, &ev, &frame);
}

/* In game Esc opens the game menu rather than leaving; Esc resumes;
 * Settings returns to the game; the last item leaves. */
static void test_game_menu(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_GAME);
    CHECK(key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && ui.screen == UI_GAME && ui.game_menu);
    CHECK(key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && !ui.game_menu); /* resumed */
    key(&ui, SDLK_ESCAPE);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && !ui.game_menu && ui.screen == UI_GAME); /* Resume */
    key(&ui, SDLK_ESCAPE);
    key(&ui, SDLK_DOWN);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_SETTINGS);
    key(&ui, SDLK_ESCAPE);
    CHECK_MSG(ui.screen == UI_GAME && !ui.game_menu, "Back from Settings went to screen %d", ui.screen);
    key(&ui, SDLK_ESCAPE);
    key(&ui, SDLK_END);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_LEAVE);
}

static void test_main_menu(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_MAIN);
    CHECK(ui.colour == -1 && ui.vsync && !ui.fullscreen && !ui.show_graph);
    /* The order scripts rely on: Home = Host, Down = Join, then Find. */
    key(&ui, SDLK_HOME);
    key(&ui, SDLK_DOWN);
    CHECK(ui.selected == UI_MAIN_JOIN);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_JOIN);
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);
    /* Settings sits just before Quit. */
    CHECK(UI_MAIN_FIND == 2 && UI_MAIN_SETTINGS == UI_MAIN_QUIT - 1 && UI_MAIN_QUIT == UI_MAIN_COUNT - 1);
    key(&ui, SDLK_END);
    CHECK(ui.selected == UI_MAIN_QUIT);
    key(&ui, SDLK_UP);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_SETTINGS);
}

static void test_host_and_password(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_MAIN);
    key(&ui, SDLK_HOME);
    /* Host game opens the Host screen; Enter there hosts, password or not
     * (the password is two fields up from the first, past Start). */
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_HOST);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_HOST && ui.host_password[0] == '\0');
    key(&ui, SDLK_UP);
    key(&ui, SDLK_UP);
    type(&ui, "se");
    type(&ui, "same");
    key(&ui, SDLK_BACKSPACE);
    type(&ui, "e");
    CHECK(strcmp(ui.host_password, "sesame") == 0);
    CHECK(key(&ui, SDLK_KP_ENTER) == UI_ACT_HOST && strcmp(ui.host_password, "sesame") == 0);
    /* A password is at most PROTO_PASSWORD_MAX bytes. */
    for (int i = 0; i < 40; i++)
        type(&ui, "x");
    CHECK(strlen(ui.host_password) == PROTO_PASSWORD_MAX);
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);

    /* The Password prompt: empty on arrival, Enter joins, Esc goes back to Join. */
    snprintf(ui.join_text, sizeof ui.join_text, "10.0.0.5:27960");
    snprintf(ui.join_password, sizeof ui.join_password, "old");
    ui_show(&ui, UI_PASSWORD);
    CHECK(ui.join_password[0] == '\0');
    type(&ui, "pw");
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_JOIN && strcmp(ui.join_password, "pw") == 0);
    CHECK(strcmp(ui.join_text, "10.0.0.5:27960") == 0);
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_JOIN);
}

static void test_settings(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_SETTINGS);
    CHECK(ui.settings_selected == UI_SET_NAME);

    /* Colour: Right steps through the palette, Left back to "host chooses". */
    key(&ui, SDLK_DOWN);
    CHECK(ui.settings_selected == UI_SET_COLOUR);
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.colour == 0);
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.colour == 1);
    CHECK(strcmp(ui_settings_colour_name(1), "Blue") == 0);
    key(&ui, SDLK_LEFT);
    CHECK(key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.colour == -1);
    CHECK(strcmp(ui_settings_colour_name(-1), "Host chooses") == 0);
    CHECK(key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.colour == PROTO_COLOURS - 1); /* wraps */
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.colour == -1);

    /* Toggles: Enter, Space or Left/Right. */
    key(&ui, SDLK_DOWN);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.fullscreen);
    CHECK(key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && !ui.fullscreen);
    key(&ui, SDLK_DOWN);
    CHECK(key(&ui, SDLK_SPACE) == UI_ACT_SETTINGS && !ui.vsync);
    key(&ui, SDLK_DOWN);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.show_graph);
    key(&ui, SDLK_DOWN);
    /* Network: Auto, LAN 60, Wi-Fi 30, round and round. */
    CHECK(ui.settings_selected == UI_SET_NETWORK && ui.snapshot_hz == 0);
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.snapshot_hz == 60);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.snapshot_hz == 30);
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.snapshot_hz == 0);
    CHECK(key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.snapshot_hz == 30);
    CHECK(strcmp(ui_settings_network_name(30), "Wi-Fi (30 updates/s)") == 0);
    CHECK(strcmp(ui_settings_network_name(0), "Auto (fits the link)") == 0);
    /* Volume in steps of 10 within 0..100, and mute. */
    key(&ui, SDLK_DOWN);
    CHECK(ui.settings_selected == UI_SET_VOLUME);
    ui.volume = 70;
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.volume == 80);
    CHECK(key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.volume == 70);
    ui.volume = 100;
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.volume == 100);
    ui.volume = 0;
    CHECK(key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.volume == 0);
    key(&ui, SDLK_DOWN);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.mute);
    key(&ui, SDLK_DOWN);
    CHECK(ui.settings_selected == UI_SET_BACK);
    CHECK(key(&ui, SDLK_RIGHT) == UI_ACT_NONE && ui.screen == UI_SETTINGS);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_MAIN);

    /* Name: edited on its own screen, then back to Settings, saved. */
    ui_show(&ui, UI_SETTINGS);
    key(&ui, SDLK_HOME);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_NAME && strcmp(ui.name_text, "Ann") == 0);
    for (int i = 0; i < 3; i++)
        key(&ui, SDLK_BACKSPACE);
    type(&ui, "   ");
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_NAME && ui.error[0]); /* blank */
    for (int i = 0; i < 3; i++)
        key(&ui, SDLK_BACKSPACE);
    CHECK(ui.error[0]); /* still nothing valid typed */
    type(&ui, "Zo\xC3\xAB");
    CHECK_MSG(!ui.error[0], "the name error stays after a valid name is typed: %s", ui.error);
    CHECK(key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.screen == UI_SETTINGS && strcmp(ui.name, "Zo\xC3\xAB") == 0);
    /* Esc on the name screen drops the edit and returns to Settings. */
    key(&ui, SDLK_RETURN);
    type(&ui, "xyz");
    CHECK(key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && ui.screen == UI_SETTINGS && strcmp(ui.name, "Zo\xC3\xAB") == 0);
    CHECK(key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && ui.screen == UI_MAIN);

    /* The mouse: a click on a row acts on it. */
    ui_show(&ui, UI_SETTINGS);
    SDL_Event click;
    memset(&click, 0, sizeof click);
    click.type = SDL_MOUSEBUTTONDOWN;
    click.button.button = SDL_BUTTON_LEFT;
    click.button.x = 640;
    click.button.y = (int)(720 * 0.22f + UI_SET_VSYNC * 50 + 20);
    bool before = ui.vsync;
    CHECK(ui_event(&ui, &click, &frame) == UI_ACT_SETTINGS && ui.vsync != before &&
          ui.settings_selected == UI_SET_VSYNC);
}

int main(void)
{
    test_main_menu();
    test_game_menu();
    test_host_and_password();
    test_settings();
    return check_done("ui_party");
}
