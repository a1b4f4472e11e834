/*
 * test_ui_back: Back (Esc, a right click, a Back item) returns to the
 * screen the current one was opened from, whichever that was: the Name
 * screen to Settings or the main menu, the Password screen to the Join
 * screen or the LAN list, each menu screen to the main menu.
 */
#include <string.h>

#include "check.h"
#include "ui.h"
#include "ui_settings.h"

static const ui_frame frame = {.w = 1280, .h = 720, .scale = 1, .ui_scale = 1};

static ui_action key(ui_state *ui, SDL_Keycode k)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    return ui_event(ui, &ev, &frame);
}

static void right_click(ui_state *ui)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_RIGHT;
    ui_event(ui, &ev, &frame);
}

/* Every main menu item but Quit opens a screen whose Back is the menu. */
static void test_menu_screens_back_to_main(void)
{
    static const int items[] = {UI_MAIN_HOST, UI_MAIN_JOIN, UI_MAIN_FIND, UI_MAIN_NAME, UI_MAIN_SETTINGS};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        ui_state ui;
        ui_init(&ui, "Ann", 27960);
        ui_show(&ui, UI_MAIN);
        key(&ui, SDLK_HOME);
        for (int k = 0; k < items[i]; k++)
            key(&ui, SDLK_DOWN);
        key(&ui, SDLK_RETURN);
        CHECK_MSG(ui.screen != UI_MAIN, "item %d opened nothing", items[i]);
        key(&ui, SDLK_ESCAPE);
        CHECK_MSG(ui.screen == UI_MAIN, "item %d: Esc went to screen %d", items[i], ui.screen);
    }
}

static void test_opened_from(void)
{
    ui_state ui;
    ui_init(&ui, "Ann", 27960);
    /* A password asked for a join started on the LAN list goes back there. */
    ui_open(&ui, UI_LAN, UI_MAIN);
    ui_open(&ui, UI_PASSWORD, UI_LAN);
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_LAN);
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_MAIN);
    /* ... and one started on the Join screen, there, by a right click too. */
    ui_open(&ui, UI_JOIN, UI_MAIN);
    ui_open(&ui, UI_PASSWORD, UI_JOIN);
    right_click(&ui);
    CHECK(ui.screen == UI_JOIN);
    /* Opening a screen from itself keeps where it goes back to. */
    ui_open(&ui, UI_PASSWORD, UI_LAN);
    ui_open(&ui, UI_PASSWORD, UI_PASSWORD);
    ui_back(&ui);
    CHECK(ui.screen == UI_LAN);
    /* Name from Settings returns to Settings; Settings' Back item to the
     * screen Settings was opened from. */
    ui_open(&ui, UI_SETTINGS, UI_MAIN);
    key(&ui, SDLK_HOME);
    key(&ui, SDLK_RETURN);
    CHECK(ui.screen == UI_NAME);
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.screen == UI_SETTINGS);
    key(&ui, SDLK_END);
    CHECK(ui.settings_selected == UI_SET_BACK);
    key(&ui, SDLK_RETURN);
    CHECK(ui.screen == UI_MAIN);
    /* Back clears the screen's error line. */
    ui_open(&ui, UI_JOIN, UI_MAIN);
    snprintf(ui.error, sizeof ui.error, "refused");
    key(&ui, SDLK_ESCAPE);
    CHECK(ui.error[0] == '\0');
}

int main(void)
{
    test_menu_screens_back_to_main();
    test_opened_from();
    return check_done("ui_back");
}
