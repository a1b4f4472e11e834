/*
 * test_chat: the player's side of chat on a simulated clock: the fade
 * timing of the log and the typed line (Enter or T opens, Enter sends,
 * Esc cancels, length limit on whole characters).
 */
#include <SDL.h>
#include <string.h>

#include "chat.h"
#include "check.h"

static void test_log(void)
{
    CHECK(chat_log_alpha(0, 0, false) == 1.0f);
    CHECK(chat_log_alpha(0, CHAT_SHOW_US - CHAT_FADE_US, false) == 1.0f);
    float mid = chat_log_alpha(0, CHAT_SHOW_US - CHAT_FADE_US / 2, false);
    CHECK(mid > 0.45f && mid < 0.55f);
    CHECK(chat_log_alpha(0, CHAT_SHOW_US, false) == 0.0f);
    CHECK(chat_log_alpha(0, CHAT_SHOW_US * 10, true) == 1.0f); /* open: read back */
    CHECK(chat_log_alpha(5000, 0, false) == 1.0f);             /* a clock step back */

    chat_log log;
    chat_log_clear(&log);
    const chat_line *vis[CHAT_LINES];
    CHECK(chat_log_visible(&log, 0, false, vis, CHAT_LINES) == 0);
    for (int i = 0; i < 40; i++) {
        char t[16];
        snprintf(t, sizeof t, "m%d", i);
        chat_log_add(&log, i % 5 ? "Ann" : NULL, 0xE8483FFF, t, (uint64_t)i * 1000000);
    }
    CHECK(log.count == CHAT_LOG_MAX);
    /* At t = 39 s, messages younger than 8 s: m32..m39, oldest first. */
    int n = chat_log_visible(&log, 39000000, false, vis, CHAT_LINES);
    CHECK(n == 8 && strcmp(vis[0]->text, "m32") == 0 && strcmp(vis[7]->text, "m39") == 0);
    CHECK(strcmp(vis[7]->name, "Ann") == 0 && vis[3]->name[0] == '\0'); /* m35: a host notice */
    n = chat_log_visible(&log, 45500000, false, vis, CHAT_LINES);
    CHECK(n == 2 && strcmp(vis[0]->text, "m38") == 0);
    CHECK(chat_log_visible(&log, 60000000, false, vis, CHAT_LINES) == 0);
    /* Open: the newest lines come back whatever their age. */
    n = chat_log_visible(&log, 600000000, true, vis, 3);
    CHECK(n == 3 && strcmp(vis[2]->text, "m39") == 0);
}

static SDL_Event key(SDL_Keycode k, uint32_t ts)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    ev.key.timestamp = ts;
    return ev;
}

static SDL_Event text(const char *s, uint32_t ts)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_TEXTINPUT;
    snprintf(ev.text.text, sizeof ev.text.text, "%s", s);
    ev.text.timestamp = ts;
    return ev;
}

static void test_input(void)
{
    chat_input in;
    chat_input_init(&in);
    SDL_Event e = key(SDLK_w, 1);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_IGNORED && !in.open); /* movement keys are the game's */
    e = text("x", 1);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_IGNORED);
    e = key(SDLK_RETURN, 10);
    e.key.repeat = 1;
    CHECK(chat_input_event(&in, &e) == CHAT_IN_IGNORED); /* a held Enter from the menu */

    /* Enter opens; typing; Enter sends. */
    e = key(SDLK_RETURN, 10);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_OPENED && in.open);
    e = text("hel", 11);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_CONSUMED);
    e = text("lo!", 12);
    chat_input_event(&in, &e);
    e = key(SDLK_a, 13); /* a key while open belongs to the line, never the game */
    CHECK(chat_input_event(&in, &e) == CHAT_IN_CONSUMED);
    e = key(SDLK_BACKSPACE, 14);
    chat_input_event(&in, &e);
    CHECK(strcmp(in.text, "hello") == 0);
    e = key(SDLK_RETURN, 15);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_SEND && !in.open && strcmp(in.text, "hello") == 0);

    /* T opens, and the 't' it also types is not part of the message. */
    e = key(SDLK_t, 100);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_OPENED && in.text[0] == '\0');
    e = text("t", 100);
    chat_input_event(&in, &e);
    CHECK(in.text[0] == '\0');
    e = text("t", 400); /* a real t typed later stays */
    chat_input_event(&in, &e);
    CHECK(strcmp(in.text, "t") == 0);
    /* Esc cancels and forgets. */
    e = key(SDLK_ESCAPE, 401);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_CANCELLED && !in.open && in.text[0] == '\0');

    /* Enter on an empty or blank line just closes it. */
    e = key(SDLK_RETURN, 500);
    chat_input_event(&in, &e);
    e = text("   ", 501);
    chat_input_event(&in, &e);
    e = key(SDLK_KP_ENTER, 502);
    CHECK(chat_input_event(&in, &e) == CHAT_IN_CANCELLED && !in.open);

    /* Backspace removes a whole character; the limit keeps whole ones. */
    chat_input_init(&in);
    in.open = true;
    chat_input_append(&in, "a\xC3\xA9");
    e = key(SDLK_BACKSPACE, 600);
    chat_input_event(&in, &e);
    CHECK(strcmp(in.text, "a") == 0);
    chat_input_init(&in);
    char big[PROTO_CHAT_MAX + 10];
    memset(big, 'b', PROTO_CHAT_MAX - 1);
    big[PROTO_CHAT_MAX - 1] = '\0';
    chat_input_append(&in, big);
    chat_input_append(&in, "\xC3\xA9"); /* 2 bytes do not fit in the last 1 */
    CHECK(strlen(in.text) == PROTO_CHAT_MAX - 1);
    chat_input_append(&in, "z\xC3\xA9");
    CHECK(strlen(in.text) == PROTO_CHAT_MAX && in.text[PROTO_CHAT_MAX - 1] == 'z');
    CHECK(proto_chat_valid(in.text, strlen(in.text)));
    chat_input_init(&in);
    chat_input_append(&in, "line1\nline2\t!");
    CHECK(strcmp(in.text, "line1line2!") == 0);
    chat_input_init(&in);
    chat_input_append(&in, "ab\xE2\x82"); /* a cut character at the end */
    CHECK(strcmp(in.text, "ab") == 0);
}

int main(void)
{
    test_log();
    test_input();
    return check_done("chat");
}
