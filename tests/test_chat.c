/*
 * test_chat: the pure parts of chat (game/chat.c) and of reconnecting
 * (game/reconnect.c), on a simulated clock: the host's rate limit and
 * kick, the fade timing of the log, the typed line (Enter or T opens,
 * Enter sends, Esc cancels, length limit on whole characters), and the
 * table of departed players (name AND token, 60 s window, once only).
 */
#include <SDL.h>
#include <string.h>

#include "chat.h"
#include "check.h"
#include "reconnect.h"

static void test_limiter(void)
{
    chat_limiter l;
    chat_limiter_init(&l, 1000);
    /* A burst of CHAT_RATE_COUNT is fine; the next is dropped with a notice. */
    for (int i = 0; i < CHAT_RATE_COUNT; i++)
        CHECK(chat_limiter_take(&l, 1000) == CHAT_OK);
    CHECK(chat_limiter_take(&l, 1000) == CHAT_DROP_NOTIFY);
    /* More within the notice gap: dropped quietly. */
    CHECK(chat_limiter_take(&l, 1100) == CHAT_DROP);
    /* One message's worth refills in WINDOW / COUNT ms. */
    uint64_t t = 1000 + CHAT_RATE_WINDOW_MS / CHAT_RATE_COUNT + 1;
    CHECK(chat_limiter_take(&l, t) == CHAT_OK);
    CHECK(chat_limiter_take(&l, t) != CHAT_OK);
    /* After a quiet window the whole burst is back. */
    t += CHAT_RATE_WINDOW_MS;
    for (int i = 0; i < CHAT_RATE_COUNT; i++)
        CHECK(chat_limiter_take(&l, t) == CHAT_OK);

    /* Sustained: one message every WINDOW / COUNT ms never drops. */
    chat_limiter_init(&l, 0);
    int drops = 0;
    for (int i = 0; i < 200; i++)
        drops += chat_limiter_take(&l, (uint64_t)i * (CHAT_RATE_WINDOW_MS / CHAT_RATE_COUNT)) != CHAT_OK;
    CHECK(drops == 0);

    /* A flood: ten a second gets kicked, and within a bounded time. */
    chat_limiter_init(&l, 0);
    int kicked_at = -1, notices = 0;
    for (int i = 0; i < 1000 && kicked_at < 0; i++) {
        chat_verdict v = chat_limiter_take(&l, (uint64_t)i * 100);
        notices += v == CHAT_DROP_NOTIFY;
        if (v == CHAT_KICK)
            kicked_at = i;
    }
    CHECK_MSG(kicked_at > CHAT_KICK_DROPS && kicked_at < 100, "kicked after %d messages", kicked_at);
    /* Notices are themselves limited: at most one per CHAT_NOTICE_GAP_MS. */
    CHECK_MSG(notices >= 1 && notices <= kicked_at * 100 / CHAT_NOTICE_GAP_MS + 1, "%d notices", notices);

    /* A long silence cannot overflow anything. */
    chat_limiter_init(&l, 0);
    CHECK(chat_limiter_take(&l, UINT64_MAX / 2) == CHAT_OK);
}

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

static void test_reconnect(void)
{
    reconnect_table t;
    reconnect_init(&t, 0);
    CHECK(t.window_ms == RECONNECT_WINDOW_MS && RECONNECT_WINDOW_MS == 60000);
    reconnect_entry e;
    reconnect_remember(&t, "Ann", 0, 1, 2, 3, 1000); /* no token: nothing to remember */
    CHECK(reconnect_count(&t, 1000) == 0);

    reconnect_remember(&t, "Ann", 0xABCDEF, 3, 5, 42, 1000);
    CHECK(reconnect_count(&t, 1000) == 1);
    CHECK(!reconnect_claim(&t, "Ann", 0xABCDEE, 2000, &e)); /* wrong token */
    CHECK(!reconnect_claim(&t, "Bob", 0xABCDEF, 2000, &e)); /* right token, wrong name */
    CHECK(!reconnect_claim(&t, "Ann", 0, 2000, &e));
    CHECK(reconnect_claim(&t, "Ann", 0xABCDEF, 1000 + RECONNECT_WINDOW_MS - 1, &e));
    CHECK(e.id == 3 && e.colour == 5 && e.score == 42 && strcmp(e.name, "Ann") == 0);
    CHECK(!reconnect_claim(&t, "Ann", 0xABCDEF, 3000, &e)); /* once only */

    reconnect_remember(&t, "Ann", 0xABCDEF, 3, 5, 42, 1000);
    CHECK(!reconnect_claim(&t, "Ann", 0xABCDEF, 1000 + RECONNECT_WINDOW_MS, &e)); /* 60 s: too late */
    CHECK(reconnect_count(&t, 1000 + RECONNECT_WINDOW_MS) == 0);

    /* A shorter window for tests; a second departure replaces the first. */
    reconnect_init(&t, 500);
    reconnect_remember(&t, "Cy", 7, 0, 0, 1, 0);
    reconnect_remember(&t, "Cy", 7, 0, 0, 9, 100);
    CHECK(reconnect_count(&t, 100) == 1);
    CHECK(reconnect_claim(&t, "Cy", 7, 599, &e) && e.score == 9);

    /* Full: the oldest is forgotten first. */
    reconnect_init(&t, 0);
    for (int i = 0; i < RECONNECT_MAX + 1; i++) {
        char name[16];
        snprintf(name, sizeof name, "P%d", i);
        reconnect_remember(&t, name, (uint64_t)i + 1, 0, 0, 0, 1000 + (uint64_t)i);
    }
    CHECK(reconnect_count(&t, 2000) == RECONNECT_MAX);
    CHECK(!reconnect_claim(&t, "P0", 1, 2000, &e));
    CHECK(reconnect_claim(&t, "P1", 2, 2000, &e));
    char last[16];
    snprintf(last, sizeof last, "P%d", RECONNECT_MAX);
    CHECK(reconnect_claim(&t, last, RECONNECT_MAX + 1, 2000, &e));

    /* Tokens: never 0, and not repeating. */
    uint64_t a = reconnect_new_token(), b = reconnect_new_token();
    CHECK(a != 0 && b != 0 && a != b);
}

int main(void)
{
    test_limiter();
    test_log();
    test_input();
    test_reconnect();
    return check_done("chat");
}
