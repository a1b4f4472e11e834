/*
 * settings: what a player chooses and expects to find again next time
 * (name, colour, display options, the last and recent hosts), kept as a
 * small "key = value" text file under SDL_GetPrefPath.
 *
 * Parsing is pure (settings_parse over a string) so a damaged file can be
 * tested byte by byte; a file that does not parse is reported and replaced
 * by defaults, never trusted in part.
 */
#ifndef LANARENA_SETTINGS_H
#define LANARENA_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#define SETTINGS_RECENT_MAX 5
#define SETTINGS_TEXT_MAX 128
#define SETTINGS_FILE_NAME "settings.txt"
#define SETTINGS_VERSION 1

typedef struct {
    char name[SETTINGS_TEXT_MAX];
    int colour;              /* -1: let the host choose; else palette index 0..15 */
    bool fullscreen;
    bool vsync;
    bool show_netgraph;
    int snapshot_hz;         /* Network: 0 Auto (the host fits the link), 60 LAN, 30 Wi-Fi */
    int volume;              /* 0..100 percent */
    bool mute;
    char last_address[SETTINGS_TEXT_MAX];
    char recent[SETTINGS_RECENT_MAX][SETTINGS_TEXT_MAX]; /* newest first */
    int recent_count;
    /* The Host screen's last game (never its password): "" for the game
     * name means "<player>'s game", following the player's name. */
    char host_name[SETTINGS_TEXT_MAX];
    int host_port;          /* 1024..65535 */
    int host_max_players;   /* 2..250 */
    int host_bots;          /* 0..249 */
    int host_round_seconds; /* 0 (no time limit) or 5..3600 */
    int host_score_limit;   /* 0 (none)..65535 */
} settings;

void settings_defaults(settings *s);

/* Parses text into s. On failure returns false, leaves s at defaults and
 * writes a sentence naming the line to err. */
bool settings_parse(settings *s, const char *text, size_t len, char *err, size_t err_cap);

/* Writes s as text into out; returns the length, or 0 if out is too small. */
size_t settings_format(const settings *s, char *out, size_t cap);

/* Puts address first in the recent list (deduplicated, capped). */
void settings_add_recent(settings *s, const char *address);

/* File helpers. settings_load always gives settings: on a missing file
 * defaults silently; on a damaged one defaults plus a sentence in note.
 * It returns false when path must not be written either (it is a FIFO, a
 * device or a folder: opened without blocking and refused, safefile.h). */
bool settings_load(settings *s, const char *path, char *note, size_t note_cap);
bool settings_save(const settings *s, const char *path, char *err, size_t err_cap);
/* "<SDL_GetPrefPath>/settings.txt", or false if SDL has no pref path. */
bool settings_default_path(char *out, size_t cap);

#endif
