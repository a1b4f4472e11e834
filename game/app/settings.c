#include "settings.h"

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "safefile.h"
#include "server.h"
#include "sim.h"

void settings_defaults(settings *s)
{
    memset(s, 0, sizeof *s);
    s->colour = -1;
    s->vsync = true;
    s->volume = 70;
    s->host_port = PROTO_DEFAULT_PORT;
    s->host_max_players = SERVER_DEFAULT_MAX_PLAYERS;
    s->host_round_seconds = SIM_ROUND_SECONDS_DEFAULT;
}

static bool settings_text(const char *v, char *out);

/* A whole number in lo..hi. */
static bool settings_int(const char *v, long lo, long hi, int *out)
{
    char *e;
    errno = 0;
    long n = strtol(v, &e, 10);
    if (errno || e == v || *e != '\0' || n < lo || n > hi)
        return false;
    *out = (int)n;
    return true;
}

/* The Host screen's keys; false when key is not one of them. */
static bool settings_host_key(settings *s, const char *key, const char *val, bool *ok)
{
    if (strcmp(key, "host_name") == 0)
        *ok = settings_text(val, s->host_name) && (val[0] == '\0' || proto_name_valid(val, strlen(val)));
    else if (strcmp(key, "host_port") == 0)
        *ok = settings_int(val, 1024, 65535, &s->host_port);
    else if (strcmp(key, "host_max_players") == 0)
        *ok = settings_int(val, 2, PROTO_MAX_PLAYERS, &s->host_max_players);
    else if (strcmp(key, "host_bots") == 0)
        *ok = settings_int(val, 0, PROTO_MAX_PLAYERS - 1, &s->host_bots);
    else if (strcmp(key, "host_round_seconds") == 0)
        *ok = settings_int(val, 0, SIM_ROUND_SECONDS_MAX, &s->host_round_seconds) &&
              (s->host_round_seconds == 0 || s->host_round_seconds >= SIM_ROUND_SECONDS_MIN);
    else if (strcmp(key, "host_score_limit") == 0)
        *ok = settings_int(val, 0, 65535, &s->host_score_limit);
    else
        return false;
    return true;
}

static bool settings_bool(const char *v, bool *out)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = false;
    else
        return false;
    return true;
}

/* Text values: printable, no control bytes, fits. */
static bool settings_text(const char *v, char *out)
{
    size_t n = strlen(v);
    if (n >= SETTINGS_TEXT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7F)
            return false;
    memcpy(out, v, n + 1);
    return true;
}

static char *settings_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

bool settings_parse(settings *s, const char *text, size_t len, char *err, size_t err_cap)
{
    settings_defaults(s);
    settings tmp;
    settings_defaults(&tmp);
    bool saw_version = false;
    size_t pos = 0;
    int line_no = 0;
    while (pos < len) {
        char line[SETTINGS_TEXT_MAX + 64];
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        line_no++;
        size_t n = end - pos;
        if (n >= sizeof line) {
            snprintf(err, err_cap, "line %d is too long", line_no);
            return false;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = end + 1;
        if (memchr(line, '\0', n)) {
            snprintf(err, err_cap, "line %d holds a NUL byte", line_no);
            return false;
        }
        char *l = settings_trim(line);
        if (*l == '\0' || *l == '#')
            continue;
        char *eq = strchr(l, '=');
        if (!eq) {
            snprintf(err, err_cap, "line %d has no '='", line_no);
            return false;
        }
        *eq = '\0';
        char *key = settings_trim(l), *val = settings_trim(eq + 1);
        bool ok = true;
        if (strcmp(key, "version") == 0) {
            ok = strcmp(val, "1") == 0;
            saw_version = ok;
        } else if (strcmp(key, "name") == 0) {
            ok = settings_text(val, tmp.name) && (val[0] == '\0' || proto_name_valid(val, strlen(val)));
        } else if (strcmp(key, "colour") == 0) {
            char *e;
            errno = 0;
            long c = strtol(val, &e, 10);
            ok = !errno && e != val && *e == '\0' && c >= -1 && c <= 15;
            if (ok)
                tmp.colour = (int)c;
        } else if (strcmp(key, "fullscreen") == 0) {
            ok = settings_bool(val, &tmp.fullscreen);
        } else if (strcmp(key, "vsync") == 0) {
            ok = settings_bool(val, &tmp.vsync);
        } else if (strcmp(key, "show_netgraph") == 0) {
            ok = settings_bool(val, &tmp.show_netgraph);
        } else if (strcmp(key, "network") == 0) {
            ok = true;
            if (strcmp(val, "auto") == 0)
                tmp.snapshot_hz = 0;
            else if (strcmp(val, "lan") == 0)
                tmp.snapshot_hz = 60;
            else if (strcmp(val, "wifi") == 0)
                tmp.snapshot_hz = 30;
            else
                ok = false;
        } else if (strcmp(key, "volume") == 0) {
            char *e;
            errno = 0;
            long v = strtol(val, &e, 10);
            ok = !errno && e != val && *e == '\0' && v >= 0 && v <= 100;
            if (ok)
                tmp.volume = (int)v;
        } else if (strcmp(key, "mute") == 0) {
            ok = settings_bool(val, &tmp.mute);
        } else if (strcmp(key, "last_address") == 0) {
            ok = settings_text(val, tmp.last_address);
        } else if (settings_host_key(&tmp, key, val, &ok)) {
            /* parsed */
        } else if (strcmp(key, "recent") == 0) {
            ok = tmp.recent_count < SETTINGS_RECENT_MAX && val[0] && settings_text(val, tmp.recent[tmp.recent_count]);
            if (ok)
                tmp.recent_count++;
        } else {
            /* A key from a newer version: ignore it rather than lose the rest. */
            continue;
        }
        if (!ok) {
            snprintf(err, err_cap, "line %d: bad value for '%s'", line_no, key);
            return false;
        }
    }
    if (!saw_version) {
        snprintf(err, err_cap, "no 'version = 1' line");
        return false;
    }
    *s = tmp;
    return true;
}

size_t settings_format(const settings *s, char *out, size_t cap)
{
    int n = snprintf(out, cap,
                     "# LAN Arena settings; rewritten by the game.\n"
                     "version = %d\nname = %s\ncolour = %d\nfullscreen = %s\nvsync = %s\nshow_netgraph = %s\n"
                     "network = %s\nvolume = %d\nmute = %s\nlast_address = %s\n"
                     "host_name = %s\nhost_port = %d\nhost_max_players = %d\nhost_bots = %d\n"
                     "host_round_seconds = %d\nhost_score_limit = %d\n",
                     SETTINGS_VERSION, s->name, s->colour, s->fullscreen ? "true" : "false",
                     s->vsync ? "true" : "false", s->show_netgraph ? "true" : "false",
                     s->snapshot_hz == 60 ? "lan" : s->snapshot_hz == 30 ? "wifi" : "auto", s->volume,
                     s->mute ? "true" : "false", s->last_address, s->host_name, s->host_port,
                     s->host_max_players, s->host_bots, s->host_round_seconds, s->host_score_limit);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    size_t len = (size_t)n;
    for (int i = 0; i < s->recent_count; i++) {
        n = snprintf(out + len, cap - len, "recent = %s\n", s->recent[i]);
        if (n < 0 || (size_t)n >= cap - len)
            return 0;
        len += (size_t)n;
    }
    return len;
}

void settings_add_recent(settings *s, const char *address)
{
    if (!address[0] || strlen(address) >= SETTINGS_TEXT_MAX)
        return;
    char keep[SETTINGS_RECENT_MAX][SETTINGS_TEXT_MAX];
    int n = 0;
    snprintf(keep[n++], SETTINGS_TEXT_MAX, "%s", address);
    for (int i = 0; i < s->recent_count && n < SETTINGS_RECENT_MAX; i++)
        if (strcmp(s->recent[i], address) != 0)
            memcpy(keep[n++], s->recent[i], SETTINGS_TEXT_MAX);
    memcpy(s->recent, keep, sizeof keep[0] * (size_t)n);
    s->recent_count = n;
    snprintf(s->last_address, sizeof s->last_address, "%s", address);
}

bool settings_load(settings *s, const char *path, char *note, size_t note_cap)
{
    settings_defaults(s);
    if (note_cap)
        note[0] = '\0';
    char why[1200];
    FILE *f = safefile_open(path, "rb", why, sizeof why);
    if (!f && errno == ENOENT)
        return true; /* first run */
    if (!f) {
        snprintf(note, note_cap, "Settings file %s", why);
        return false;
    }
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    bool too_big = n == sizeof buf && fgetc(f) != EOF;
    fclose(f);
    char err[160];
    if (too_big) {
        snprintf(note, note_cap, "Settings file %s is damaged (too large); using defaults.", path);
        return true;
    }
    if (!settings_parse(s, buf, n, err, sizeof err))
        snprintf(note, note_cap, "Settings file %s is damaged (%s); using defaults.", path, err);
    return true;
}

bool settings_save(const settings *s, const char *path, char *err, size_t err_cap)
{
    char buf[4096], tmp[1100];
    size_t n = settings_format(s, buf, sizeof buf);
    if (n == 0 || strlen(path) + 5 > sizeof tmp) {
        snprintf(err, err_cap, "settings do not fit");
        return false;
    }
    /* Write then rename, so a crash mid-write never leaves half a file. */
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    char why[1200];
    FILE *f = safefile_open(tmp, "wb", why, sizeof why);
    if (!f) {
        snprintf(err, err_cap, "cannot write %s", why);
        return false;
    }
    bool written = fwrite(buf, 1, n, f) == n;
    if (fclose(f) != 0 || !written) {
        snprintf(err, err_cap, "cannot write %s: %s", tmp, strerror(errno));
        remove(tmp);
        return false;
    }
    /* Windows' rename refuses to replace a file (EEXIST): there the old
     * one goes first, so only there a crash at this point can lose it. */
    if (rename(tmp, path) != 0 && (errno != EEXIST || remove(path) != 0 || rename(tmp, path) != 0)) {
        snprintf(err, err_cap, "cannot replace %s: %s", path, strerror(errno));
        remove(tmp);
        return false;
    }
    return true;
}

bool settings_default_path(char *out, size_t cap)
{
    char *dir = SDL_GetPrefPath("lanarena", "LAN Arena");
    if (!dir)
        return false;
    int n = snprintf(out, cap, "%s%s", dir, SETTINGS_FILE_NAME);
    SDL_free(dir);
    return n > 0 && (size_t)n < cap;
}
