#include "gamepad.h"

#include <stdio.h>
#include <string.h>

uint8_t gamepad_directions(int16_t lx, int16_t ly, uint8_t dpad)
{
    uint8_t d = dpad & (GAMEPAD_UP | GAMEPAD_DOWN | GAMEPAD_LEFT | GAMEPAD_RIGHT);
    int64_t x = lx, y = ly;
    int64_t mag2 = x * x + y * y;
    /* Radial: a worn stick resting off-centre along a diagonal is still
     * inside, where a square zone would let it through. */
    if (mag2 < (int64_t)GAMEPAD_DEAD_ZONE * GAMEPAD_DEAD_ZONE)
        return d;
    /* |axis| >= 0.3827 |v|, squared to stay in integers: 8 equal sectors. */
    const int64_t k = 1464; /* 0.3827^2 * 10000 */
    if (x * x * 10000 >= k * mag2)
        d |= x < 0 ? GAMEPAD_LEFT : GAMEPAD_RIGHT;
    if (y * y * 10000 >= k * mag2)
        d |= y < 0 ? GAMEPAD_UP : GAMEPAD_DOWN;
    return d;
}

void gamepad_nav_init(gamepad_nav *n)
{
    memset(n, 0, sizeof *n);
}

static uint8_t gamepad_one(uint8_t dirs)
{
    static const uint8_t order[] = {GAMEPAD_UP, GAMEPAD_DOWN, GAMEPAD_LEFT, GAMEPAD_RIGHT};
    for (size_t i = 0; i < sizeof order; i++)
        if (dirs & order[i])
            return order[i];
    return 0;
}

uint8_t gamepad_nav_step(gamepad_nav *n, uint8_t dirs, uint64_t now_ms)
{
    uint8_t d = gamepad_one(dirs);
    if (d == 0) {
        n->held = 0;
        return 0;
    }
    if (d != n->held) {
        n->held = d;
        n->next_ms = now_ms + GAMEPAD_REPEAT_DELAY_MS;
        return d;
    }
    if (now_ms >= n->next_ms) {
        /* From the schedule, not from now, so a late frame does not slow
         * the repeat; but never more than one step per call. */
        n->next_ms += GAMEPAD_REPEAT_MS;
        if (n->next_ms <= now_ms)
            n->next_ms = now_ms + GAMEPAD_REPEAT_MS;
        return d;
    }
    return 0;
}

SDL_Keycode gamepad_direction_key(uint8_t dir)
{
    switch (dir) {
    case GAMEPAD_UP:
        return SDLK_UP;
    case GAMEPAD_DOWN:
        return SDLK_DOWN;
    case GAMEPAD_LEFT:
        return SDLK_LEFT;
    case GAMEPAD_RIGHT:
        return SDLK_RIGHT;
    }
    return SDLK_UNKNOWN;
}

SDL_Keycode gamepad_button_key(uint8_t sdl_button)
{
    switch (sdl_button) {
    case SDL_CONTROLLER_BUTTON_A:
    case SDL_CONTROLLER_BUTTON_START:
        return SDLK_RETURN;
    case SDL_CONTROLLER_BUTTON_B:
    case SDL_CONTROLLER_BUTTON_BACK:
        return SDLK_ESCAPE;
    }
    return SDLK_UNKNOWN;
}

SDL_Event gamepad_key_event(SDL_Keycode key, uint32_t timestamp)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.timestamp = timestamp;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = key;
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    return ev;
}

/* ---- devices ---- */

void gamepad_set_init(gamepad_set *g)
{
    memset(g, 0, sizeof *g);
}

bool gamepad_set_event(gamepad_set *g, const SDL_Event *ev, char *note, size_t note_cap)
{
    if (note_cap)
        note[0] = '\0';
    if (ev->type == SDL_CONTROLLERDEVICEADDED) {
        /* which: a device index here. SDL also sends this at start-up for
         * pads already plugged in. */
        if (g->count == GAMEPAD_MAX)
            return true;
        SDL_GameController *c = SDL_GameControllerOpen(ev->cdevice.which);
        if (!c)
            return true;
        SDL_JoystickID id = SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(c));
        for (int i = 0; i < g->count; i++) {
            if (g->ids[i] == id) { /* already open: SDL opened it again */
                SDL_GameControllerClose(c);
                return true;
            }
        }
        g->pads[g->count] = c;
        g->ids[g->count] = id;
        g->count++;
        const char *name = SDL_GameControllerName(c);
        snprintf(note, note_cap, "Gamepad connected: %s", name ? name : "unnamed");
        return true;
    }
    if (ev->type == SDL_CONTROLLERDEVICEREMOVED) {
        /* which: an instance id here. */
        for (int i = 0; i < g->count; i++) {
            if (g->ids[i] != ev->cdevice.which)
                continue;
            SDL_GameControllerClose(g->pads[i]);
            g->pads[i] = g->pads[g->count - 1];
            g->ids[i] = g->ids[g->count - 1];
            g->count--;
            snprintf(note, note_cap, "Gamepad disconnected.");
            break;
        }
        return true;
    }
    return false;
}

uint8_t gamepad_set_directions(const gamepad_set *g)
{
    uint8_t d = 0;
    for (int i = 0; i < g->count; i++) {
        SDL_GameController *c = g->pads[i];
        uint8_t dpad = 0;
        if (SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_DPAD_UP))
            dpad |= GAMEPAD_UP;
        if (SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_DPAD_DOWN))
            dpad |= GAMEPAD_DOWN;
        if (SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_DPAD_LEFT))
            dpad |= GAMEPAD_LEFT;
        if (SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_DPAD_RIGHT))
            dpad |= GAMEPAD_RIGHT;
        d |= gamepad_directions(SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_LEFTX),
                                SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_LEFTY), dpad);
    }
    return d;
}

bool gamepad_set_dash(const gamepad_set *g)
{
    for (int i = 0; i < g->count; i++) {
        SDL_GameController *c = g->pads[i];
        if (SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_A) ||
            SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_X) ||
            SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_RIGHTSHOULDER))
            return true;
    }
    return false;
}

void gamepad_set_close(gamepad_set *g)
{
    for (int i = 0; i < g->count; i++)
        SDL_GameControllerClose(g->pads[i]);
    gamepad_set_init(g);
}
