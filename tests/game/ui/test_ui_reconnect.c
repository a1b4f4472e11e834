/* After a lost game the main menu offers Reconnect: R or a click on it
 * asks the app to join that address again; any other menu item, or
 * nothing to reconnect to, does not. Synthetic events, no window. */
#include <SDL.h>
#include <string.h>

#include "check.h"
#include "ui.h"

static ui_action key(ui_state *ui, const ui_frame *f, SDL_Keycode k)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    return ui_event(ui, &ev, f);
}

static ui_action click(ui_state *ui, const ui_frame *f, int x, int y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.x = x;
    ev.button.y = y;
    return ui_event(ui, &ev, f);
}

int main(void)
{
    ui_frame f = {.w = 1280, .h = 720, .scale = 1, .ui_scale = 1};
    ui_state ui;
    ui_init(&ui, "Bob", 27960);
    ui_show(&ui, UI_MAIN);
    /* Nothing lost: R does nothing. */
    CHECK(key(&ui, &f, SDLK_r) == UI_ACT_NONE && ui.screen == UI_MAIN);

    snprintf(ui.notice, sizeof ui.notice, "Lost connection to the host.");
    snprintf(ui.reconnect_to, sizeof ui.reconnect_to, "10.0.0.5:27961");
    snprintf(ui.join_text, sizeof ui.join_text, "somewhere-else");
    CHECK(key(&ui, &f, SDLK_r) == UI_ACT_RECONNECT);
    CHECK(strcmp(ui.join_text, "10.0.0.5:27961") == 0 && ui.reconnect_to[0] == '\0' && ui.notice[0] == '\0');
    CHECK(key(&ui, &f, SDLK_r) == UI_ACT_NONE); /* offered once */

    /* The button sits beside Join game (the second item, from 36% of the
     * height, 56 px apart, 340 wide and centred), 16 px to its right. */
    snprintf(ui.reconnect_to, sizeof ui.reconnect_to, "10.0.0.6:27960");
    int y = (int)(720 * 0.36f + 56 + 20), x = 640 + 170 + 16 + 100;
    CHECK(click(&ui, &f, x, y) == UI_ACT_RECONNECT && strcmp(ui.join_text, "10.0.0.6:27960") == 0);
    /* Without an offer the same place does nothing. */
    CHECK(click(&ui, &f, x, y) == UI_ACT_NONE && ui.screen == UI_MAIN);

    /* Choosing anything else withdraws the offer. */
    snprintf(ui.reconnect_to, sizeof ui.reconnect_to, "10.0.0.7:27960");
    key(&ui, &f, SDLK_DOWN); /* Join game */
    CHECK(key(&ui, &f, SDLK_RETURN) == UI_ACT_NONE && ui.screen == UI_JOIN && ui.reconnect_to[0] == '\0');
    return check_done("test_ui_reconnect");
}
