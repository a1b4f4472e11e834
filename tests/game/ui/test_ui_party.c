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
#include "ui_input.h"
#include "ui_settings.h"


/* In game Esc opens the game menu rather than leaving; Esc resumes;
 * Settings returns to the game; the last item leaves. */
static void test_game_menu(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_GAME);
    CHECK(ui_input_key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && ui.screen == UI_GAME && ui.game_menu);
    CHECK(ui_input_key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && !ui.game_menu); /* resumed */
    ui_input_key(&ui, SDLK_ESCAPE);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && !ui.game_menu && ui.screen == UI_GAME); /* Resume */
    ui_input_key(&ui, SDLK_ESCAPE);
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_SETTINGS);
    ui_input_key(&ui, SDLK_ESCAPE);
    CHECK_MSG(ui.screen == UI_GAME && !ui.game_menu, "Back from Settings went to screen %d", ui.screen);
    ui_input_key(&ui, SDLK_ESCAPE);
    ui_input_key(&ui, SDLK_END);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_LEAVE);
}

static void test_main_menu(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_MAIN);
    CHECK(ui.colour == -1 && ui.vsync && !ui.fullscreen && !ui.show_graph);
    /* The order scripts rely on: Home = Host, Down = Join, then Find. */
    ui_input_key(&ui, SDLK_HOME);
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui.selected == UI_MAIN_JOIN);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_JOIN);
    ui_input_key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);
    /* Settings sits just before Quit. */
    CHECK(UI_MAIN_FIND == 2 && UI_MAIN_SETTINGS == UI_MAIN_QUIT - 1 && UI_MAIN_QUIT == UI_MAIN_COUNT - 1);
    ui_input_key(&ui, SDLK_END);
    CHECK(ui.selected == UI_MAIN_QUIT);
    ui_input_key(&ui, SDLK_UP);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_SETTINGS);
}

static void test_host_and_password(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_MAIN);
    ui_input_key(&ui, SDLK_HOME);
    /* Host game opens the Host screen; Enter there hosts, password or not
     * (the password is two fields up from the first, past Start). */
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_HOST);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_HOST && ui.host_password[0] == '\0');
    ui_input_key(&ui, SDLK_UP);
    ui_input_key(&ui, SDLK_UP);
    ui_input_type(&ui, "se");
    ui_input_type(&ui, "same");
    ui_input_key(&ui, SDLK_BACKSPACE);
    ui_input_type(&ui, "e");
    CHECK(strcmp(ui.host_password, "sesame") == 0);
    CHECK(ui_input_key(&ui, SDLK_KP_ENTER) == UI_ACT_HOST && strcmp(ui.host_password, "sesame") == 0);
    /* A password is at most PROTO_PASSWORD_MAX bytes. */
    for (int i = 0; i < 40; i++)
        ui_input_type(&ui, "x");
    CHECK(strlen(ui.host_password) == PROTO_PASSWORD_MAX);
    ui_input_key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);

    /* The Password prompt: empty on arrival, Enter joins, Esc goes back to Join. */
    snprintf(ui.join_text, sizeof ui.join_text, "10.0.0.5:27960");
    snprintf(ui.join_password, sizeof ui.join_password, "old");
    ui_show(&ui, UI_PASSWORD);
    CHECK(ui.join_password[0] == '\0');
    ui_input_type(&ui, "pw");
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_JOIN && strcmp(ui.join_password, "pw") == 0);
    CHECK(strcmp(ui.join_text, "10.0.0.5:27960") == 0);
    ui_input_key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_JOIN);
}

static void test_settings(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_SETTINGS);
    CHECK(ui.settings_selected == UI_SET_NAME);

    /* Colour: Right steps through the palette, Left back to "host chooses". */
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui.settings_selected == UI_SET_COLOUR);
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.colour == 0);
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.colour == 1);
    CHECK(strcmp(ui_settings_colour_name(1), "Blue") == 0);
    ui_input_key(&ui, SDLK_LEFT);
    CHECK(ui_input_key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.colour == -1);
    CHECK(strcmp(ui_settings_colour_name(-1), "Host chooses") == 0);
    CHECK(ui_input_key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.colour == PROTO_COLOURS - 1); /* wraps */
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.colour == -1);

    /* Toggles: Enter, Space or Left/Right. */
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.fullscreen);
    CHECK(ui_input_key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && !ui.fullscreen);
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui_input_key(&ui, SDLK_SPACE) == UI_ACT_SETTINGS && !ui.vsync);
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.show_graph);
    ui_input_key(&ui, SDLK_DOWN);
    /* Network: Auto, LAN 60, Wi-Fi 30, round and round. */
    CHECK(ui.settings_selected == UI_SET_NETWORK && ui.snapshot_hz == 0);
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.snapshot_hz == 60);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.snapshot_hz == 30);
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.snapshot_hz == 0);
    CHECK(ui_input_key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.snapshot_hz == 30);
    CHECK(strcmp(ui_settings_network_name(30), "Wi-Fi (30 updates/s)") == 0);
    CHECK(strcmp(ui_settings_network_name(0), "Auto (fits the link)") == 0);
    /* Volume in steps of 10 within 0..100, and mute. */
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui.settings_selected == UI_SET_VOLUME);
    ui.volume = 70;
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.volume == 80);
    CHECK(ui_input_key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.volume == 70);
    ui.volume = 100;
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_SETTINGS && ui.volume == 100);
    ui.volume = 0;
    CHECK(ui_input_key(&ui, SDLK_LEFT) == UI_ACT_SETTINGS && ui.volume == 0);
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.mute);
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui.settings_selected == UI_SET_BACK);
    CHECK(ui_input_key(&ui, SDLK_RIGHT) == UI_ACT_NONE && ui.screen == UI_SETTINGS);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_MAIN);

    /* Name: edited on its own screen, then back to Settings, saved. */
    ui_show(&ui, UI_SETTINGS);
    ui_input_key(&ui, SDLK_HOME);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_NAME && strcmp(ui.name_text, "Ann") == 0);
    for (int i = 0; i < 3; i++)
        ui_input_key(&ui, SDLK_BACKSPACE);
    ui_input_type(&ui, "   ");
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_NAME && ui.error[0]); /* blank */
    for (int i = 0; i < 3; i++)
        ui_input_key(&ui, SDLK_BACKSPACE);
    CHECK(ui.error[0]); /* still nothing valid typed */
    ui_input_type(&ui, "Zo\xC3\xAB");
    CHECK_MSG(!ui.error[0], "the name error stays after a valid name is typed: %s", ui.error);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_SETTINGS && ui.screen == UI_SETTINGS && strcmp(ui.name, "Zo\xC3\xAB") == 0);
    /* Esc on the name screen drops the edit and returns to Settings. */
    ui_input_key(&ui, SDLK_RETURN);
    ui_input_type(&ui, "xyz");
    CHECK(ui_input_key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && ui.screen == UI_SETTINGS && strcmp(ui.name, "Zo\xC3\xAB") == 0);
    CHECK(ui_input_key(&ui, SDLK_ESCAPE) == UI_ACT_NONE && ui.screen == UI_MAIN);

    /* The mouse: a click on a row acts on it. */
    ui_show(&ui, UI_SETTINGS);
    SDL_Event click;
    memset(&click, 0, sizeof click);
    click.type = SDL_MOUSEBUTTONDOWN;
    click.button.button = SDL_BUTTON_LEFT;
    click.button.x = 640;
    click.button.y = (int)(720 * 0.22f + UI_SET_VSYNC * 50 + 20);
    bool before = ui.vsync;
    CHECK(ui_event(&ui, &click, &ui_input_frame) == UI_ACT_SETTINGS && ui.vsync != before &&
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
