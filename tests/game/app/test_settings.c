/* Settings: round trip, damaged files in every way we can think of, and
 * every truncated prefix of a good file parses or is refused cleanly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "settings.h"

int main(void)
{
    settings s, t;
    char buf[4096], err[256];

    settings_defaults(&s);
    snprintf(s.name, sizeof s.name, "Zoë");
    s.colour = 7;
    s.fullscreen = true;
    s.vsync = false;
    s.show_netgraph = true;
    CHECK(s.volume == 70 && !s.mute); /* defaults */
    s.volume = 40;
    s.mute = true;
    settings_add_recent(&s, "10.0.0.2:27960");
    settings_add_recent(&s, "game-box");
    settings_add_recent(&s, "10.0.0.2:27960"); /* moves to the front, no duplicate */
    CHECK(s.recent_count == 2 && strcmp(s.recent[0], "10.0.0.2:27960") == 0);
    CHECK(strcmp(s.last_address, "10.0.0.2:27960") == 0);
    for (int i = 0; i < 10; i++) {
        char a[32];
        snprintf(a, sizeof a, "10.0.0.%d", i);
        settings_add_recent(&s, a);
    }
    CHECK(s.recent_count == SETTINGS_RECENT_MAX && strcmp(s.recent[0], "10.0.0.9") == 0);

    size_t n = settings_format(&s, buf, sizeof buf);
    CHECK(n > 0);
    CHECK(settings_parse(&t, buf, n, err, sizeof err));
    CHECK(strcmp(t.name, "Zoë") == 0 && t.colour == 7 && t.fullscreen && !t.vsync && t.show_netgraph);
    CHECK(t.volume == 40 && t.mute);
    CHECK(t.recent_count == SETTINGS_RECENT_MAX && strcmp(t.recent[4], s.recent[4]) == 0);
    CHECK(strcmp(t.last_address, s.last_address) == 0);
    CHECK(t.snapshot_hz == 0); /* Network: Auto by default */

    /* Network: each choice survives a round trip; a file without the key
     * (an older game's) means Auto. */
    int rates[] = {60, 30, 0};
    for (int i = 0; i < 3; i++) {
        s.snapshot_hz = rates[i];
        n = settings_format(&s, buf, sizeof buf);
        CHECK(n > 0 && settings_parse(&t, buf, n, err, sizeof err) && t.snapshot_hz == rates[i]);
    }
    CHECK(strstr(buf, "network = auto\n") != NULL);
    const char *old = "version = 1\nname = Ann\n";
    CHECK(settings_parse(&t, old, strlen(old), err, sizeof err) && t.snapshot_hz == 0);

    /* The Host screen's last game: defaults, a round trip, and a file
     * without the keys (an older game's) gives the defaults. The password
     * has no key at all. */
    settings_defaults(&t);
    CHECK(t.host_name[0] == '\0' && t.host_port == 27960 && t.host_max_players == 32 && t.host_bots == 0);
    CHECK(t.host_round_seconds == 180 && t.host_score_limit == 0);
    snprintf(s.host_name, sizeof s.host_name, "Friday LAN");
    s.host_port = 30000;
    s.host_max_players = 8;
    s.host_bots = 3;
    s.host_round_seconds = 0;
    s.host_score_limit = 25;
    n = settings_format(&s, buf, sizeof buf);
    CHECK(n > 0 && settings_parse(&t, buf, n, err, sizeof err));
    CHECK(strcmp(t.host_name, "Friday LAN") == 0 && t.host_port == 30000 && t.host_max_players == 8);
    CHECK(t.host_bots == 3 && t.host_round_seconds == 0 && t.host_score_limit == 25);
    CHECK(strstr(buf, "password") == NULL);
    CHECK(settings_parse(&t, old, strlen(old), err, sizeof err) && t.host_port == 27960 && t.host_round_seconds == 180);

    /* Unknown keys from a newer version are skipped, comments and blank lines too. */
    const char *future = "# hi\n\nversion = 1\nname = Ann\nhat = tall\n";
    CHECK(settings_parse(&t, future, strlen(future), err, sizeof err) && strcmp(t.name, "Ann") == 0);

    /* Damaged files: refused with a reason, result is pure defaults. */
    const char *bad[] = {
        "",                                   /* no version */
        "version = 2\n",                      /* unknown version */
        "version = 1\ncolour = 99\n",         /* out of range */
        "version = 1\nvsync = maybe\n",
        "version = 1\nnetwork = 45\n",
        "version = 1\nvolume = 101\n",
        "version = 1\nvolume = -1\n",
        "version = 1\nmute = loud\n",
        "version = 1\nname = \001bell\n",     /* control byte */
        "version = 1\nname = a-name-that-is-far-too-long\n",
        "version = 1\njust text\n",           /* no '=' */
        "version = 1\nrecent = a\nrecent = b\nrecent = c\nrecent = d\nrecent = e\nrecent = f\n",
        "\xff\xfe\x00garbage",
        "version = 1\nhost_port = 80\n",             /* below 1024 */
        "version = 1\nhost_port = 27960x\n",
        "version = 1\nhost_max_players = 1\n",
        "version = 1\nhost_bots = 250\n",
        "version = 1\nhost_round_seconds = 3\n",     /* 0 or 5..3600 */
        "version = 1\nhost_score_limit = 65536\n",
        "version = 1\nhost_name = a game name far too long\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        size_t len = i == 12 ? 10 : strlen(bad[i]);
        CHECK_MSG(!settings_parse(&t, bad[i], len, err, sizeof err), "bad case %zu accepted", i);
        CHECK_MSG(err[0] != '\0', "bad case %zu has a reason", i);
        CHECK(t.colour == -1 && t.vsync && t.name[0] == '\0' && t.recent_count == 0);
    }

    /* Every prefix of a good file, and random byte flips: never a crash,
     * and a success always re-formats to something that parses again. */
    for (size_t cut = 0; cut <= n; cut++) {
        if (settings_parse(&t, buf, cut, err, sizeof err)) {
            char again[4096];
            size_t m = settings_format(&t, again, sizeof again);
            CHECK(m > 0 && settings_parse(&t, again, m, err, sizeof err));
        }
    }
    srand(7);
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        char m[4096];
        memcpy(m, buf, n);
        for (int k = 0; k < 1 + rand() % 4; k++)
            m[rand() % n] = (char)(rand() % 256);
        if (settings_parse(&t, m, n, err, sizeof err)) {
            accepted++;
            CHECK(t.colour >= -1 && t.colour <= 15 && t.recent_count <= SETTINGS_RECENT_MAX);
        }
    }
    printf("random damage: %d of 20000 still parsed\n", accepted);

    /* Files: missing is silent defaults; damaged is reported. */
    const char *dir = getenv("LANARENA_TEST_OUT") ? getenv("LANARENA_TEST_OUT") : "/tmp";
    char path[512], note[512], cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    CHECK(system(cmd) == 0);
    snprintf(path, sizeof path, "%s/settings_test.txt", dir);
    remove(path);
    settings_load(&t, path, note, sizeof note);
    CHECK(note[0] == '\0' && t.colour == -1);
    CHECK(settings_save(&s, path, err, sizeof err));
    settings_load(&t, path, note, sizeof note);
    CHECK(note[0] == '\0' && strcmp(t.name, "Zoë") == 0);
    FILE *f = fopen(path, "wb");
    fputs("version = 1\ncolour = purple\n", f);
    fclose(f);
    settings_load(&t, path, note, sizeof note);
    CHECK_MSG(strstr(note, "damaged") != NULL, "note: %s", note);
    CHECK(t.colour == -1);
    return check_done("settings");
}
