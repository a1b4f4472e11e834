/*
 * gamepad: SDL_GameController input, hot-plugged. In game the left stick
 * (outside a radial dead zone) and the D-pad move; in menus they
 * navigate with key-like repeat, A confirms and B backs (they become the
 * Return and Escape keys the menus already understand, so every screen
 * works with a pad without knowing about one).
 *
 * The mapping (stick and D-pad to SIM_BTN_* bits, menu repeat, buttons to
 * keys) is pure so it can be tested without a device; gamepad_set is the
 * thin SDL part that opens and closes controllers as they come and go.
 *
 * Threading contract: main thread only (SDL joystick events arrive there).
 */
#ifndef LANARENA_GAMEPAD_H
#define LANARENA_GAMEPAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#define GAMEPAD_DEAD_ZONE 8000    /* of 32767: stick drift stays below this */
#define GAMEPAD_REPEAT_DELAY_MS 400
#define GAMEPAD_REPEAT_MS 130
#define GAMEPAD_MAX 4

/* Directions, as SIM_BTN_* bits (sim.h): up 1, down 2, left 4, right 8. */
enum { GAMEPAD_UP = 1, GAMEPAD_DOWN = 2, GAMEPAD_LEFT = 4, GAMEPAD_RIGHT = 8 };

/* Stick position (SDL axis values, y down) plus D-pad bits to directions.
 * Outside the dead zone the stick gives one of eight directions: an axis
 * counts when it carries at least sin(22.5 deg) of the deflection. */
uint8_t gamepad_directions(int16_t lx, int16_t ly, uint8_t dpad);

/* Menu navigation with repeat, like a held arrow key. */
typedef struct {
    uint8_t held;    /* directions held at the last step */
    uint64_t next_ms; /* when the held direction repeats */
} gamepad_nav;

void gamepad_nav_init(gamepad_nav *n);
/* The directions to act on now: a newly pressed one at once, a held one
 * after GAMEPAD_REPEAT_DELAY_MS and then every GAMEPAD_REPEAT_MS. One
 * direction at a time (vertical first): a diagonal does not skip items. */
uint8_t gamepad_nav_step(gamepad_nav *n, uint8_t dirs, uint64_t now_ms);
/* SDLK_UP/DOWN/LEFT/RIGHT for one direction bit, else SDLK_UNKNOWN. */
SDL_Keycode gamepad_direction_key(uint8_t dir);
/* The key a menu should see for a button press: A and Start confirm
 * (Return), B and Back go back (Escape); others SDLK_UNKNOWN. D-pad
 * buttons are not keys here: they navigate through gamepad_nav. */
SDL_Keycode gamepad_button_key(uint8_t sdl_button);
/* A synthetic key press for the menus. */
SDL_Event gamepad_key_event(SDL_Keycode key, uint32_t timestamp);

/* ---- devices ---- */

typedef struct {
    SDL_GameController *pads[GAMEPAD_MAX];
    SDL_JoystickID ids[GAMEPAD_MAX];
    int count;
} gamepad_set;

void gamepad_set_init(gamepad_set *g);
/* Handles SDL_CONTROLLERDEVICEADDED / REMOVED; true if ev was one. Writes
 * a sentence for the player to note ("Gamepad connected: ...") when a pad
 * came or went. */
bool gamepad_set_event(gamepad_set *g, const SDL_Event *ev, char *note, size_t note_cap);
/* Directions from every open pad's left stick and D-pad. */
uint8_t gamepad_set_directions(const gamepad_set *g);
/* The dash button: A, X or the right shoulder on any open pad. */
bool gamepad_set_dash(const gamepad_set *g);
void gamepad_set_close(gamepad_set *g);

#endif
