/*
 * chat: the player's side of in-game text chat, in two parts (the host's
 * rate limit is server/chat_limiter.h).
 *
 *  - chat_log: the messages a player has received, with the sender's name
 *    and colour, shown over the arena for CHAT_SHOW_US and faded out over
 *    the last CHAT_FADE_US.
 *  - chat_input: the line being typed. Enter or T opens it, Enter sends,
 *    Esc cancels.
 *
 * The log's timing and the line editing are pure (time is
 * passed in; events are plain SDL_Event values) so tests drive them
 * without a window. chat_draw is the only part that renders.
 *
 * Threading contract: the log and the input belong to the main thread.
 */
#ifndef LANARENA_CHAT_H
#define LANARENA_CHAT_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "proto.h"

#define CHAT_SHOW_US 8000000       /* a message stays on screen this long */
#define CHAT_FADE_US 1500000       /* ... fading out over the last part */
#define CHAT_LOG_MAX 32            /* messages kept */
#define CHAT_LINES 8               /* messages drawn at most */


/* ---- player side ---- */

typedef struct {
    char name[PROTO_NAME_WIRE_MAX + 1]; /* "" for a notice from the host */
    char text[PROTO_CHAT_WIRE_MAX + 1];
    uint32_t rgba;                      /* the sender's colour */
    uint64_t at_us;
} chat_line;

typedef struct {
    chat_line lines[CHAT_LOG_MAX]; /* ring, oldest overwritten */
    int count, next;
} chat_log;

void chat_log_clear(chat_log *log);
/* Adds a message received at now_us; name NULL or "" marks a host notice. */
void chat_log_add(chat_log *log, const char *name, uint32_t rgba, const char *text, uint64_t now_us);
/* 0..1: how opaque a line received at at_us is at now_us. While the chat
 * line is open every kept line shows fully, so a player can read back. */
float chat_log_alpha(uint64_t at_us, uint64_t now_us, bool input_open);
/* The newest lines to draw, oldest first, at most max (<= CHAT_LINES).
 * Returns how many were written to out. */
int chat_log_visible(const chat_log *log, uint64_t now_us, bool input_open, const chat_line **out, int max);

typedef enum {
    CHAT_IN_IGNORED = 0, /* not a chat event: the caller handles it */
    CHAT_IN_CONSUMED,    /* used (typing, or a key swallowed while open) */
    CHAT_IN_OPENED,      /* the line opened: start text input */
    CHAT_IN_SEND,        /* Enter with text: send chat_input.text, line closed */
    CHAT_IN_CANCELLED    /* Esc, or Enter on an empty line: closed */
} chat_input_result;

typedef struct {
    bool open;
    char text[PROTO_CHAT_MAX + 1];
    uint32_t opened_ts; /* SDL timestamp of the key that opened it */
    bool opened_by_t;
} chat_input;

void chat_input_init(chat_input *in);
/* Feeds one event. Opening and closing do not call SDL: the caller
 * starts/stops text input on OPENED / SEND / CANCELLED. */
chat_input_result chat_input_event(chat_input *in, const SDL_Event *ev);
/* Appends UTF-8 text up to PROTO_CHAT_MAX bytes, whole characters only,
 * dropping control characters (paste may carry newlines). */
void chat_input_append(chat_input *in, const char *utf8);

/* Draws the log (and the open line) at the bottom left of a w x h frame. */
void chat_draw(const chat_log *log, const chat_input *in, int w, int h, float ui_scale, uint64_t now_us);

#endif
