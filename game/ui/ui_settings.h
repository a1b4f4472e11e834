/*
 * ui_settings: the Settings screen of the menus (ui.h): name, colour,
 * fullscreen, vsync and the net graph. Each change is made in ui_state
 * and answered with UI_ACT_SETTINGS; the app applies it (window, swap
 * interval) and saves it (settings.h). Main thread only.
 */
#ifndef LANARENA_UI_SETTINGS_H
#define LANARENA_UI_SETTINGS_H

#include "ui.h"

enum {
    UI_SET_NAME = 0,
    UI_SET_COLOUR,
    UI_SET_FULLSCREEN,
    UI_SET_VSYNC,
    UI_SET_NETGRAPH,
    UI_SET_BACK,
    UI_SET_COUNT
};

ui_action ui_settings_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my);
void ui_settings_draw(const ui_state *ui, const ui_frame *f);
/* "Host chooses", "Red", "Blue", ... for -1 and 0..15. */
const char *ui_settings_colour_name(int colour);

#endif
