/*
 * ui_input: a player's keys and typing as the events SDL would deliver,
 * handed to ui_event on a fixed 1280x720 frame. For the menu tests
 * under tests/game/ui, which need no window.
 */
#ifndef LANARENA_TEST_UI_INPUT_H
#define LANARENA_TEST_UI_INPUT_H

#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "gamepad.h"
#include "ui.h"

static const ui_frame ui_input_frame = {.w = 1280, .h = 720, .scale = 1, .ui_scale = 1};

/* A key press with modifiers (KMOD_*, 0 for none). */
static inline ui_action ui_input_key_mod(ui_state *ui, SDL_Keycode k, Uint16 mod)
{
    SDL_Event ev = gamepad_key_event(k, 0);
    ev.key.keysym.mod = mod;
    return ui_event(ui, &ev, &ui_input_frame);
}

static inline ui_action ui_input_key(ui_state *ui, SDL_Keycode k)
{
    return ui_input_key_mod(ui, k, 0);
}

/* Text typed at once, as one SDL_TEXTINPUT. */
static inline ui_action ui_input_type(ui_state *ui, const char *s)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_TEXTINPUT;
    snprintf(ev.text.text, sizeof ev.text.text, "%s", s);
    return ui_event(ui, &ev, &ui_input_frame);
}

#endif
