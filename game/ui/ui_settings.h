/*
 * ui_settings: the Settings screen of the menus (ui.h): name, colour,
 * fullscreen, vsync, the net graph, the network (how many snapshots a
 * second to ask the host for: Auto, LAN 60, Wi-Fi 30), sound volume and
 * mute. Each change is made in ui_state
 * and answered with UI_ACT_SETTINGS; the app applies it (window, swap
 * interval) and saves it (settings.h). It moves to no other screen
 * itself: it says where to go (ui_settings_go) and ui.c goes there, so
 * ui.c builds on this module and not the other way round.
 *
 * Main thread only.
 */
#ifndef LANARENA_UI_SETTINGS_H
#define LANARENA_UI_SETTINGS_H

#include "ui_state.h"

enum {
    UI_SET_NAME = 0,
    UI_SET_COLOUR,
    UI_SET_FULLSCREEN,
    UI_SET_VSYNC,
    UI_SET_NETGRAPH,
    UI_SET_NETWORK,
    UI_SET_VOLUME,
    UI_SET_MUTE,
    UI_SET_BACK,
    UI_SET_COUNT
};

typedef enum {
    UI_SETTINGS_STAY = 0,  /* still on Settings */
    UI_SETTINGS_EDIT_NAME, /* open the Name screen, which returns here */
    UI_SETTINGS_BACK       /* back to where Settings was opened from */
} ui_settings_go;

/* One event on the Settings screen; *go says where to go next. */
ui_action ui_settings_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my,
                            ui_settings_go *go);
void ui_settings_draw(const ui_state *ui, const ui_frame *f);
/* "Host chooses", "Red", "Blue", ... for -1 and 0..15. */
const char *ui_settings_colour_name(int colour);
/* "Auto (fits the link)", "LAN (60 updates/s)", "Wi-Fi (30 updates/s)"
 * for 0, 60 and 30. */
const char *ui_settings_network_name(int snapshot_hz);

#endif
