/* The Host screen's form (ui_host.c), driven with synthetic events, no
 * window: its defaults, moving between fields, typing and stepping each
 * kind of field, the reasons it refuses to host and where it puts them,
 * the password's reveal, the mouse, and Practice on the main menu. */
#include <SDL.h>
#include <string.h>

#include "check.h"
#include "gamepad.h"
#include "proto.h"
#include "sim.h"
#include "ui.h"
#include "ui_input.h"
#include "ui_host.h"


static void go(ui_state *ui, int field)
{
    while (ui->host.selected != field)
        ui_input_key(ui, SDLK_DOWN);
}

static void clear(ui_state *ui)
{
    for (int i = 0; i < 40; i++)
        ui_input_key(ui, SDLK_BACKSPACE);
}

/* The main menu's Host game opens the form on the game name. */
static void open_host(ui_state *ui, const char *name)
{
    ui_init(ui, name, 27960);
    ui_show(ui, UI_MAIN);
    ui_input_key(ui, SDLK_HOME);
    CHECK(ui_input_key(ui, SDLK_RETURN) == UI_ACT_NONE && ui->screen == UI_HOST);
}

static void test_defaults_and_names(void)
{
    ui_state ui;
    open_host(&ui, "Ann");
    ui_host_values v;
    CHECK(ui.host.selected == UI_HOST_NAME);
    CHECK(ui_host_check(&ui, &v));
    CHECK(strcmp(v.game_name, "Ann's game") == 0 && v.port == 27960 && v.max_players == 32 && v.bots == 0);
    CHECK(v.round_seconds == SIM_ROUND_SECONDS_DEFAULT && v.score_limit == 0 && v.password[0] == '\0');
    /* Enter on any field hosts a valid form. */
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_HOST);
    go(&ui, UI_HOST_ROUND);
    CHECK(ui_input_key(&ui, SDLK_KP_ENTER) == UI_ACT_HOST);

    char name[64];
    ui_host_default_name("Bob", name, sizeof name);
    CHECK(strcmp(name, "Bob's game") == 0);
    /* Too long for a game name (16 bytes): the player's name alone. */
    ui_host_default_name("Bartholomew", name, sizeof name);
    CHECK(strcmp(name, "Bartholomew") == 0);
    ui_host_default_name("Zo\xC3\xAB Zo\xC3\xAB Zo\xC3\xAB Zo\xC3\xAB", name, sizeof name);
    CHECK_MSG(proto_name_valid(name, strlen(name)) && strlen(name) <= PROTO_NAME_MAX, "'%s'", name);
}

static void test_navigation(void)
{
    ui_state ui;
    open_host(&ui, "Ann");
    for (int i = 1; i < UI_HOST_COUNT; i++) {
        ui_input_key(&ui, SDLK_DOWN);
        CHECK(ui.host.selected == i);
    }
    ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui.host.selected == UI_HOST_NAME); /* round and round */
    ui_input_key(&ui, SDLK_UP);
    CHECK(ui.host.selected == UI_HOST_START);
    ui_input_key(&ui, SDLK_TAB);
    CHECK(ui.host.selected == UI_HOST_NAME);
    ui_input_key_mod(&ui, SDLK_TAB, KMOD_LSHIFT);
    CHECK(ui.host.selected == UI_HOST_START);
    ui_input_key(&ui, SDLK_PAGEUP);
    CHECK(ui.host.selected == UI_HOST_NAME);
    /* Letters are typed, never taken as directions (w, s). */
    clear(&ui);
    ui_input_type(&ui, "ws war");
    CHECK(strcmp(ui.host.game_name, "ws war") == 0 && ui.host.selected == UI_HOST_NAME);
    ui_input_key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);
}

static void test_editing(void)
{
    ui_state ui;
    open_host(&ui, "Ann");
    /* The port: digits only, at most 5; Left/Right step and stop at the ends. */
    go(&ui, UI_HOST_PORT);
    clear(&ui);
    ui_input_type(&ui, "3a0-0 00123");
    CHECK(strcmp(ui.host.port, "30000") == 0);
    ui_input_key(&ui, SDLK_RIGHT);
    CHECK(strcmp(ui.host.port, "30001") == 0);
    clear(&ui);
    ui_input_type(&ui, "65535");
    ui_input_key(&ui, SDLK_RIGHT);
    CHECK(strcmp(ui.host.port, "65535") == 0);
    clear(&ui);
    ui_input_key(&ui, SDLK_LEFT); /* nothing typed: the lowest */
    CHECK(strcmp(ui.host.port, "1024") == 0);
    /* Max players 2..250; bots up to one fewer. */
    go(&ui, UI_HOST_MAX_PLAYERS);
    clear(&ui);
    ui_input_type(&ui, "3");
    ui_input_key(&ui, SDLK_LEFT);
    ui_input_key(&ui, SDLK_LEFT);
    CHECK(strcmp(ui.host.max_players, "2") == 0);
    go(&ui, UI_HOST_BOTS);
    for (int i = 0; i < 5; i++)
        ui_input_key(&ui, SDLK_RIGHT);
    CHECK(strcmp(ui.host.bots, "1") == 0);
    ui_input_key(&ui, SDLK_LEFT);
    ui_input_key(&ui, SDLK_LEFT);
    CHECK(strcmp(ui.host.bots, "0") == 0);
    /* The round: minutes, then no time limit, round and round. */
    go(&ui, UI_HOST_ROUND);
    CHECK(ui.host.round_seconds == 180);
    ui_input_key(&ui, SDLK_RIGHT);
    CHECK(ui.host.round_seconds == 240);
    ui_input_type(&ui, "9"); /* a choice: typing changes nothing */
    CHECK(ui.host.round_seconds == 240);
    for (int i = 0; i < 26; i++)
        ui_input_key(&ui, SDLK_RIGHT);
    CHECK(ui.host.round_seconds == 30 * 60);
    ui_input_key(&ui, SDLK_RIGHT);
    CHECK(ui.host.round_seconds == 0);
    char label[32];
    ui_host_round_label(0, label, sizeof label);
    CHECK(strcmp(label, "No time limit") == 0);
    ui_input_key(&ui, SDLK_RIGHT);
    CHECK(ui.host.round_seconds == 60);
    ui_input_key(&ui, SDLK_LEFT);
    CHECK(ui.host.round_seconds == 0);
    /* The score limit steps by 5 from 0 (none). */
    go(&ui, UI_HOST_SCORE);
    ui_input_key(&ui, SDLK_RIGHT);
    ui_input_key(&ui, SDLK_RIGHT);
    CHECK(strcmp(ui.host.score_limit, "10") == 0);
    ui_input_key(&ui, SDLK_BACKSPACE);
    CHECK(strcmp(ui.host.score_limit, "1") == 0);
    ui_host_values v;
    CHECK(ui_host_check(&ui, &v));
    CHECK(v.port == 1024 && v.max_players == 2 && v.bots == 0 && v.round_seconds == 0 && v.score_limit == 1);
    /* A length from the command line, not in whole minutes, is shown as it is. */
    ui_host_round_label(45, label, sizeof label);
    CHECK(strcmp(label, "45 s") == 0);
}

/* Each refusal: no hosting, the focus on the field, the reason kept until
 * the next edit. */
static void refused(ui_state *ui, int field, const char *why_part)
{
    go(ui, UI_HOST_START);
    CHECK(ui_input_key(ui, SDLK_RETURN) == UI_ACT_NONE);
    CHECK_MSG(ui->host.error_field == field && ui->host.selected == field, "error on %d, wanted %d",
              ui->host.error_field, field);
    CHECK_MSG(strstr(ui->host.error, why_part) != NULL, "'%s' lacks '%s'", ui->host.error, why_part);
}

static void test_validation(void)
{
    ui_state ui;
    open_host(&ui, "Ann");
    clear(&ui);
    ui_input_type(&ui, "   ");
    refused(&ui, UI_HOST_NAME, "game name");
    clear(&ui);
    CHECK(ui.host.error[0] == '\0' && ui.host.error_field == -1); /* an edit clears it */
    ui_input_type(&ui, "Friday LAN");

    go(&ui, UI_HOST_PORT);
    clear(&ui);
    ui_input_type(&ui, "80");
    refused(&ui, UI_HOST_PORT, "1024 to 65535");
    ui_input_type(&ui, "80"); /* 8080 */

    go(&ui, UI_HOST_MAX_PLAYERS);
    clear(&ui);
    ui_input_type(&ui, "1");
    refused(&ui, UI_HOST_MAX_PLAYERS, "2 to 250");
    clear(&ui);
    ui_input_type(&ui, "251");
    refused(&ui, UI_HOST_MAX_PLAYERS, "2 to 250");
    clear(&ui);
    ui_input_type(&ui, "4");

    go(&ui, UI_HOST_BOTS);
    clear(&ui);
    ui_input_type(&ui, "4");
    refused(&ui, UI_HOST_BOTS, "0 to 3");
    clear(&ui);
    ui_input_type(&ui, "2");

    go(&ui, UI_HOST_SCORE);
    clear(&ui);
    ui_input_type(&ui, "99999");
    refused(&ui, UI_HOST_SCORE, "65535");
    clear(&ui);
    ui_input_type(&ui, "20");

    /* Bots cannot give a password. */
    go(&ui, UI_HOST_PASSWORD);
    ui_input_type(&ui, "sesame");
    refused(&ui, UI_HOST_BOTS, "password");
    clear(&ui);
    ui_input_type(&ui, "0");

    go(&ui, UI_HOST_START);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_HOST && ui.host.error[0] == '\0');
    ui_host_values v;
    CHECK(ui_host_check(&ui, &v));
    CHECK(strcmp(v.game_name, "Friday LAN") == 0 && v.port == 8080 && v.max_players == 4 && v.bots == 0);
    CHECK(v.score_limit == 20 && strcmp(v.password, "sesame") == 0);
}

static void test_password(void)
{
    ui_state ui;
    open_host(&ui, "Ann");
    go(&ui, UI_HOST_PASSWORD);
    ui_input_type(&ui, "se");
    ui_input_type(&ui, "same");
    ui_input_key(&ui, SDLK_BACKSPACE);
    ui_input_type(&ui, "e");
    CHECK(strcmp(ui.host_password, "sesame") == 0 && !ui.host.show_password);
    ui_input_key(&ui, SDLK_F2);
    CHECK(ui.host.show_password);
    ui_input_key(&ui, SDLK_F2);
    CHECK(!ui.host.show_password);
    for (int i = 0; i < 40; i++)
        ui_input_type(&ui, "x");
    CHECK(strlen(ui.host_password) == PROTO_PASSWORD_MAX);
    /* Shown once, hidden again when the screen is opened anew. */
    ui_input_key(&ui, SDLK_F2);
    ui_input_key(&ui, SDLK_ESCAPE);
    ui_input_key(&ui, SDLK_RETURN);
    CHECK(ui.screen == UI_HOST && !ui.host.show_password && ui.host.selected == UI_HOST_NAME);
}

/* The mouse: hovering picks a row, a click on Start hosts. */
static void test_mouse(void)
{
    ui_state ui;
    open_host(&ui, "Ann");
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    int start_y = -1;
    for (int y = 0; y < ui_input_frame.h && start_y < 0; y++) {
        ev.type = SDL_MOUSEMOTION;
        ev.motion.x = ui_input_frame.w / 2;
        ev.motion.y = y;
        ui_event(&ui, &ev, &ui_input_frame);
        if (ui.host.selected == UI_HOST_START)
            start_y = y;
    }
    CHECK(start_y > 0);
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.x = ui_input_frame.w / 2;
    ev.button.y = start_y;
    CHECK(ui_event(&ui, &ev, &ui_input_frame) == UI_ACT_HOST);
    ev.button.button = SDL_BUTTON_RIGHT;
    CHECK(ui_event(&ui, &ev, &ui_input_frame) == UI_ACT_NONE && ui.screen == UI_MAIN);
}

/* Practice sits after Find LAN games, so Home = Host and Down = Join keep
 * their meaning, and asks the app for a practice game. */
static void test_practice_item(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    ui_show(&ui, UI_MAIN);
    CHECK(UI_MAIN_HOST == 0 && UI_MAIN_JOIN == 1 && UI_MAIN_FIND == 2 && UI_MAIN_PRACTICE == 3);
    ui_input_key(&ui, SDLK_HOME);
    for (int i = 0; i < UI_MAIN_PRACTICE; i++)
        ui_input_key(&ui, SDLK_DOWN);
    CHECK(ui_input_key(&ui, SDLK_RETURN) == UI_ACT_PRACTICE && ui.screen == UI_MAIN);
}

int main(void)
{
    test_defaults_and_names();
    test_navigation();
    test_editing();
    test_validation();
    test_password();
    test_mouse();
    test_practice_item();
    return check_done("ui_host");
}
