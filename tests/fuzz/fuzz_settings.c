/*
 * libFuzzer target: the settings file parser (game/app/settings.c), on an
 * arbitrary file's bytes, as settings_load reads them.
 *
 * Input: the file.
 *
 * Invariants: a file that parses gives settings in range (colour -1..15,
 * recent_count 0..SETTINGS_RECENT_MAX, every text terminated and free of
 * line breaks), which format and parse again to the same settings; a file
 * that does not parse leaves the defaults and a sentence saying why.
 */
#include <string.h>

#include "fuzz.h"
#include "settings.h"

#ifndef FUZZ_SETTINGS_ENTRY
#define FUZZ_SETTINGS_ENTRY LLVMFuzzerTestOneInput
#endif

static void fuzz_settings_text_ok(const char *t)
{
    FUZZ_ASSERT(memchr(t, '\0', SETTINGS_TEXT_MAX) != NULL);
    FUZZ_ASSERT(strchr(t, '\n') == NULL && strchr(t, '\r') == NULL);
}

static bool fuzz_settings_same(const settings *a, const settings *b)
{
    if (strcmp(a->name, b->name) != 0 || a->colour != b->colour || a->fullscreen != b->fullscreen ||
        a->vsync != b->vsync || a->show_netgraph != b->show_netgraph ||
        strcmp(a->last_address, b->last_address) != 0 || a->recent_count != b->recent_count)
        return false;
    for (int i = 0; i < a->recent_count; i++)
        if (strcmp(a->recent[i], b->recent[i]) != 0)
            return false;
    return true;
}

int FUZZ_SETTINGS_ENTRY(const uint8_t *data, size_t size)
{
    fuzz_quiet_logs();
    static settings s, again, def;
    char err[256] = "";
    settings_defaults(&def);
    if (!settings_parse(&s, (const char *)data, size, err, sizeof err)) {
        FUZZ_ASSERT(err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL);
        FUZZ_ASSERT(fuzz_settings_same(&s, &def));
        return 0;
    }
    FUZZ_ASSERT(s.colour >= -1 && s.colour <= 15);
    FUZZ_ASSERT(s.recent_count >= 0 && s.recent_count <= SETTINGS_RECENT_MAX);
    fuzz_settings_text_ok(s.name);
    fuzz_settings_text_ok(s.last_address);
    for (int i = 0; i < s.recent_count; i++)
        fuzz_settings_text_ok(s.recent[i]);

    static char text[8192];
    size_t n = settings_format(&s, text, sizeof text);
    FUZZ_ASSERT(n > 0);
    err[0] = '\0';
    FUZZ_ASSERT(settings_parse(&again, text, n, err, sizeof err));
    FUZZ_ASSERT(fuzz_settings_same(&s, &again));
    return 0;
}
