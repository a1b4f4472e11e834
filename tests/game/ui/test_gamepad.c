/*
 * test_gamepad: the gamepad mapping (game/gamepad.c). No physical pad is
 * attached to the test machine, so:
 *   - the pure mapping is tested directly: dead zone, eight sectors,
 *     D-pad, menu repeat timing, A/B/Start/Back to keys;
 *   - hot-plug and reading a pad go through SDL's own virtual joystick
 *     (SDL_JoystickAttachVirtualEx, a game controller type, which SDL maps
 *     like a real pad): attaching it must raise CONTROLLERDEVICEADDED and
 *     open it, its stick and D-pad must come out as directions, detaching
 *     must close it. That exercises our SDL code, not a real device's
 *     driver or mapping; the report says so.
 */
#include <SDL.h>
#include <string.h>

#include "check.h"
#include "gamepad.h"
#include "sim.h"

static void test_directions(void)
{
    /* The direction bits are the simulation's buttons. */
    CHECK((int)GAMEPAD_UP == (int)SIM_BTN_UP && (int)GAMEPAD_DOWN == (int)SIM_BTN_DOWN &&
          (int)GAMEPAD_LEFT == (int)SIM_BTN_LEFT && (int)GAMEPAD_RIGHT == (int)SIM_BTN_RIGHT);
    CHECK(gamepad_directions(0, 0, 0) == 0);
    /* Inside the dead zone, also along a diagonal. */
    CHECK(gamepad_directions(GAMEPAD_DEAD_ZONE - 1, 0, 0) == 0);
    CHECK(gamepad_directions(5600, -5600, 0) == 0); /* |v| = 7920 */
    CHECK(gamepad_directions(-32768, 0, 0) == GAMEPAD_LEFT);
    CHECK(gamepad_directions(32767, 0, 0) == GAMEPAD_RIGHT);
    CHECK(gamepad_directions(0, -32768, 0) == GAMEPAD_UP);   /* SDL's y grows downwards */
    CHECK(gamepad_directions(0, 32767, 0) == GAMEPAD_DOWN);
    CHECK(gamepad_directions(GAMEPAD_DEAD_ZONE + 100, 0, 0) == GAMEPAD_RIGHT);
    /* Diagonals, and a mostly-horizontal push that is not one. */
    CHECK(gamepad_directions(20000, 20000, 0) == (GAMEPAD_RIGHT | GAMEPAD_DOWN));
    CHECK(gamepad_directions(-20000, -20000, 0) == (GAMEPAD_LEFT | GAMEPAD_UP));
    CHECK(gamepad_directions(30000, 8000, 0) == GAMEPAD_RIGHT);  /* 15 deg off the axis */
    CHECK(gamepad_directions(30000, 16000, 0) == (GAMEPAD_RIGHT | GAMEPAD_DOWN)); /* 28 deg */
    /* The D-pad adds to the stick; stray bits are ignored. */
    CHECK(gamepad_directions(0, 0, GAMEPAD_UP | GAMEPAD_LEFT) == (GAMEPAD_UP | GAMEPAD_LEFT));
    CHECK(gamepad_directions(32767, 0, GAMEPAD_UP | 0xF0) == (GAMEPAD_UP | GAMEPAD_RIGHT));
    /* Every direction of a full circle gives a non-empty, non-opposed set. */
    int sectors_seen = 0;
    for (int deg = 0; deg < 360; deg += 5) {
        double r = deg * 3.14159265358979 / 180.0;
        int16_t x = (int16_t)(30000 * SDL_cos(r)), y = (int16_t)(30000 * SDL_sin(r));
        uint8_t d = gamepad_directions(x, y, 0);
        bool opposed = ((d & GAMEPAD_UP) && (d & GAMEPAD_DOWN)) || ((d & GAMEPAD_LEFT) && (d & GAMEPAD_RIGHT));
        CHECK_MSG(d != 0 && !opposed, "%d deg gave %u", deg, d);
        sectors_seen |= 1 << d;
    }
    CHECK(__builtin_popcount((unsigned)sectors_seen) == 8);
}

static void test_nav(void)
{
    gamepad_nav n;
    gamepad_nav_init(&n);
    CHECK(gamepad_nav_step(&n, 0, 0) == 0);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 1000) == GAMEPAD_DOWN); /* at once */
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 1016) == 0);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 1000 + GAMEPAD_REPEAT_DELAY_MS - 1) == 0);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 1000 + GAMEPAD_REPEAT_DELAY_MS) == GAMEPAD_DOWN);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 1000 + GAMEPAD_REPEAT_DELAY_MS + 10) == 0);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 1000 + GAMEPAD_REPEAT_DELAY_MS + GAMEPAD_REPEAT_MS) == GAMEPAD_DOWN);
    /* A long stall gives one step, not a burst. */
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 10000) == GAMEPAD_DOWN);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 10001) == 0);
    /* Release and press again: at once. */
    CHECK(gamepad_nav_step(&n, 0, 10002) == 0);
    CHECK(gamepad_nav_step(&n, GAMEPAD_DOWN, 10003) == GAMEPAD_DOWN);
    /* A diagonal moves one way only, vertical first; changing direction is a new press. */
    CHECK(gamepad_nav_step(&n, GAMEPAD_UP | GAMEPAD_RIGHT, 10004) == GAMEPAD_UP);
    CHECK(gamepad_nav_step(&n, GAMEPAD_RIGHT, 10005) == GAMEPAD_RIGHT);

    CHECK(gamepad_direction_key(GAMEPAD_UP) == SDLK_UP && gamepad_direction_key(GAMEPAD_LEFT) == SDLK_LEFT);
    CHECK(gamepad_direction_key(GAMEPAD_UP | GAMEPAD_LEFT) == SDLK_UNKNOWN);
    CHECK(gamepad_button_key(SDL_CONTROLLER_BUTTON_A) == SDLK_RETURN);
    CHECK(gamepad_button_key(SDL_CONTROLLER_BUTTON_START) == SDLK_RETURN);
    CHECK(gamepad_button_key(SDL_CONTROLLER_BUTTON_B) == SDLK_ESCAPE);
    CHECK(gamepad_button_key(SDL_CONTROLLER_BUTTON_BACK) == SDLK_ESCAPE);
    CHECK(gamepad_button_key(SDL_CONTROLLER_BUTTON_X) == SDLK_UNKNOWN);
    CHECK(gamepad_button_key(SDL_CONTROLLER_BUTTON_DPAD_UP) == SDLK_UNKNOWN);
    SDL_Event ev = gamepad_key_event(SDLK_RETURN, 77);
    CHECK(ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_RETURN && ev.key.timestamp == 77 && !ev.key.repeat);
}

/* Pumps SDL and feeds every controller event to the set. */
static int pump(gamepad_set *g, char *note, size_t cap)
{
    SDL_Event ev;
    int handled = 0;
    SDL_JoystickUpdate();
    SDL_GameControllerUpdate();
    while (SDL_PollEvent(&ev)) {
        char n[128];
        if (gamepad_set_event(g, &ev, n, sizeof n)) {
            handled++;
            if (n[0])
                snprintf(note, cap, "%s", n);
        }
    }
    return handled;
}

static void test_virtual_pad(void)
{
    if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) != 0) {
        CHECK_MSG(0, "SDL_INIT_GAMECONTROLLER failed: %s", SDL_GetError());
        return;
    }
    gamepad_set g;
    gamepad_set_init(&g);
    char note[128] = "";
    pump(&g, note, sizeof note);
    CHECK(g.count == 0);

    SDL_VirtualJoystickDesc d;
    SDL_zero(d);
    d.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
    d.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
    d.naxes = SDL_CONTROLLER_AXIS_MAX;
    d.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
    d.name = "Test Pad";
    int index = SDL_JoystickAttachVirtualEx(&d);
    CHECK_MSG(index >= 0, "virtual pad: %s", SDL_GetError());
    if (index < 0)
        return;
    for (int k = 0; k < 20 && g.count == 0; k++) {
        pump(&g, note, sizeof note);
        SDL_Delay(5);
    }
    CHECK_MSG(g.count == 1 && strstr(note, "Gamepad connected") && strstr(note, "Test Pad"), "count %d, note '%s'",
              g.count, note);
    if (g.count == 1) {
        SDL_Joystick *j = SDL_GameControllerGetJoystick(g.pads[0]);
        CHECK(gamepad_set_directions(&g) == 0);
        SDL_JoystickSetVirtualAxis(j, SDL_CONTROLLER_AXIS_LEFTX, -30000);
        pump(&g, note, sizeof note);
        CHECK_MSG(gamepad_set_directions(&g) == GAMEPAD_LEFT, "stick left gave %u", gamepad_set_directions(&g));
        SDL_JoystickSetVirtualAxis(j, SDL_CONTROLLER_AXIS_LEFTX, 3000); /* drift */
        SDL_JoystickSetVirtualButton(j, SDL_CONTROLLER_BUTTON_DPAD_DOWN, SDL_PRESSED);
        pump(&g, note, sizeof note);
        CHECK_MSG(gamepad_set_directions(&g) == GAMEPAD_DOWN, "D-pad down gave %u", gamepad_set_directions(&g));
        SDL_JoystickSetVirtualButton(j, SDL_CONTROLLER_BUTTON_DPAD_DOWN, SDL_RELEASED);
        pump(&g, note, sizeof note);
        CHECK(gamepad_set_directions(&g) == 0);
    }
    /* Unplugged: closed and reported. */
    SDL_JoystickDetachVirtual(index);
    note[0] = '\0';
    for (int k = 0; k < 20 && g.count > 0; k++) {
        pump(&g, note, sizeof note);
        SDL_Delay(5);
    }
    CHECK_MSG(g.count == 0 && strstr(note, "disconnected"), "after detach: count %d, note '%s'", g.count, note);
    gamepad_set_close(&g);
    SDL_QuitSubSystem(SDL_INIT_GAMECONTROLLER);
}

int main(void)
{
    SDL_Init(SDL_INIT_EVENTS);
    test_directions();
    test_nav();
    test_virtual_pad();
    SDL_Quit();
    return check_done("gamepad");
}
