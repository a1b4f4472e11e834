#include "options.h"

#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discovery.h"
#include "proto.h"
#include "server.h"
#include "sim.h"
#include "sock.h"

#define OPTIONS_STR_(x) #x
#define OPTIONS_STR(x) OPTIONS_STR_(x)

const char *options_usage(void)
{
    return "Usage: lanarena [options]\n"
           "  (no options)          open the main menu\n"
           "  --host                host a game (server thread + local player)\n"
           "  --join HOST[:PORT]    join a game directly\n"
           "  --port N              port to host on or join (default " OPTIONS_STR(PROTO_DEFAULT_PORT) ")\n"
           "  --max-players N       players a host accepts, 1.." OPTIONS_STR(PROTO_MAX_PLAYERS)
           " (default " OPTIONS_STR(SERVER_DEFAULT_MAX_PLAYERS) ")\n"
           "  --name NAME           player name, 1..16 bytes of UTF-8\n"
           "  --headless            no window: with --host a dedicated server,\n"
           "                        with --join a client without rendering\n"
           "  --bot                 this client is driven by a simple AI\n"
           "  --bots N              when hosting, also start N bot clients (0..250)\n"
           "  --quit-after SECONDS  leave cleanly after that long (exit 0)\n"
           "  --screenshot PATH     save the last rendered frame as PNG on quit\n"
           "  --stats PATH          append one JSON object per line, once a second\n"
           "  --data-dir DIR        the game's data folder (assets/, shaders/, fonts/);\n"
           "                        also LANARENA_DATA_DIR. Default: found next to the program\n"
           "  --size WxH            window size (default 1280x720)\n"
           "  --fake-lag MS         add MS ms of delay to everything this client sends\n"
           "                        and receives (0..1000)\n"
           "  --fake-jitter MS      add 0..MS ms more per message, order kept (0..500)\n"
           "  --fake-stall MS:EVERY_S  every EVERY_S s nothing arrives for MS ms, then\n"
           "                        everything at once (MS 1..2000, EVERY_S 1..3600)\n"
           "  --no-predict          draw your own player where the host last said\n"
           "  --no-interp           draw other players at their newest snapshot\n"
           "  --no-delta            when hosting, send full snapshots every tick\n"
           "                        instead of deltas (for comparison)\n"
           "  --list-lan            no window: print the LAN's games (ADDRESS:PORT  NAME\n"
           "                        PLAYERS/MAX  vVERSION  PING ms[  locked]) that answer\n"
           "                        within 1 s; exit 1 if none\n"
           "  --discovery-addr ADDR IPv4 address LAN queries go to (default 255.255.255.255)\n"
           "  --trust-addr ADDR     host: players from this IPv4 address skip the per-address join\n"
           "                        limits, like this computer's own (a test rig behind one address)\n"
           "  --password PASS       with --host: players must give PASS to join; with\n"
           "                        --join: the password to give (1..32 bytes)\n"
           "  --snapshot-hz N       10..60: with --host, the most snapshots a second any\n"
           "                        player gets; when joining, the rate to ask for\n"
           "                        (default: the host adapts it to the link)\n"
           "  --timeout-s N         a connection silent for N s is lost, for host and\n"
           "                        players alike (1..600, default 10); the game shows\n"
           "                        \"Connection problem\" after 1 s\n"
           "  --no-migrate          a lost connection ends the game: no reconnecting,\n"
           "                        no moving to the host's successor\n"
           "  --round-seconds N     with --host: a round lasts N s, 5..3600, or 0 for no\n"
           "                        time limit (default 180)\n"
           "  --score-limit N       with --host: the first to N points wins the round\n"
           "                        (1..65535; 0 or absent: none)\n"
           "  --help, --version\n";
}

void options_defaults(options *o)
{
    memset(o, 0, sizeof *o);
    o->port = PROTO_DEFAULT_PORT;
    o->max_players = SERVER_DEFAULT_MAX_PLAYERS;
    o->timeout_s = OPTIONS_DEFAULT_TIMEOUT_S;
    o->round_seconds = SIM_ROUND_SECONDS_DEFAULT;
    o->width = 1280;
    o->height = 720;
    snprintf(o->discovery_addr, sizeof o->discovery_addr, "%s", DISCOVERY_DEFAULT_ADDR);
}

static bool options_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool options_split_address(const char *text, char *host, size_t host_cap, uint16_t *port,
                           uint16_t default_port, char *err, size_t err_cap)
{
    while (*text == ' ')
        text++;
    size_t n = strlen(text);
    while (n > 0 && text[n - 1] == ' ')
        n--;
    if (n == 0) {
        snprintf(err, err_cap, "Type the host's address, for example 192.168.1.20:%d.", default_port);
        return false;
    }
    const char *colon = memchr(text, ':', n);
    size_t host_len = colon ? (size_t)(colon - text) : n;
    if (host_len == 0) {
        snprintf(err, err_cap, "The address has a port but no host.");
        return false;
    }
    if (host_len >= host_cap) {
        snprintf(err, err_cap, "The host name is too long.");
        return false;
    }
    for (size_t i = 0; i < host_len; i++) {
        char c = text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
            snprintf(err, err_cap, "'%.*s' is not an IPv4 address or host name.", (int)host_len, text);
            return false;
        }
    }
    memcpy(host, text, host_len);
    host[host_len] = '\0';
    *port = default_port;
    if (colon) {
        char digits[16];
        size_t plen = n - host_len - 1;
        long v;
        if (plen == 0 || plen >= sizeof digits) {
            snprintf(err, err_cap, "The port must be a number from 1 to 65535.");
            return false;
        }
        memcpy(digits, colon + 1, plen);
        digits[plen] = '\0';
        if (!options_int(digits, 1, 65535, &v)) {
            snprintf(err, err_cap, "The port must be a number from 1 to 65535.");
            return false;
        }
        *port = (uint16_t)v;
    }
    return true;
}

/* Flags without a value: each sets one bool. */
static const struct {
    const char *flag;
    size_t field;
} options_switches[] = {
    {"--host", offsetof(options, host)},         {"--headless", offsetof(options, headless)},
    {"--bot", offsetof(options, bot)},           {"--no-delta", offsetof(options, no_delta)},
    {"--no-migrate", offsetof(options, no_migrate)}, {"--list-lan", offsetof(options, list_lan)},
    {"--no-predict", offsetof(options, no_predict)}, {"--no-interp", offsetof(options, no_interp)},
};

/* Flags whose value is a whole number in a range, stored in an int. The
 * refusal reads "FLAG must be WHAT from LO to HI, not 'VALUE'." */
static const struct {
    const char *flag;
    size_t field;
    long lo, hi;
    const char *what;
} options_numbers[] = {
    {"--timeout-s", offsetof(options, timeout_s), 1, OPTIONS_MAX_TIMEOUT_S, "a number of seconds"},
    {"--max-players", offsetof(options, max_players), 1, PROTO_MAX_PLAYERS, "a number"},
    {"--score-limit", offsetof(options, score_limit), 0, UINT16_MAX, "a number (0: none)"},
    {"--bots", offsetof(options, bots), 0, OPTIONS_MAX_BOTS, "a number"},
    {"--fake-lag", offsetof(options, fake_lag_ms), 0, 1000, "a number of milliseconds"},
    {"--fake-jitter", offsetof(options, fake_jitter_ms), 0, 500, "a number of milliseconds"},
    {"--snapshot-hz", offsetof(options, snapshot_hz), PROTO_SNAPSHOT_HZ_MIN, PROTO_SNAPSHOT_HZ_MAX,
     "a number of snapshots a second"},
};

/* Flags whose value is a file or folder path. */
static const struct {
    const char *flag;
    size_t field, cap;
    const char *what;
} options_paths[] = {
    {"--screenshot", offsetof(options, screenshot), sizeof((options *)0)->screenshot, "a file path"},
    {"--data-dir", offsetof(options, data_dir), sizeof((options *)0)->data_dir, "a folder path"},
    {"--stats", offsetof(options, stats), sizeof((options *)0)->stats, "a file path"},
};

#define OPTIONS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The flags whose value needs more than a range: an address, a secret,
 * a name, a size. OPTIONS_OK with *known false: not one of them. */
static options_result options_special(options *o, const char *a, const char *val, bool *known, char *err,
                                      size_t err_cap)
{
    long v;
    *known = true;
    if (strcmp(a, "--discovery-addr") == 0 || strcmp(a, "--trust-addr") == 0) {
        /* A literal only: a name lookup could stall the menu. */
        bool discovery = a[2] == 'd';
        char *field = discovery ? o->discovery_addr : o->trust_addr;
        uint32_t addr_be;
        if (strlen(val) >= sizeof o->discovery_addr || !sock_ipv4_parse(val, &addr_be)) {
            snprintf(err, err_cap, "%s must be an IPv4 address such as %s, not '%s'.", a,
                     discovery ? "255.255.255.255 or 192.168.1.255" : "192.168.1.20", val);
            return OPTIONS_ERROR;
        }
        snprintf(field, sizeof o->discovery_addr, "%s", val);
    } else if (strcmp(a, "--password") == 0) {
        /* The refusal never repeats the value: it is a secret. */
        size_t n = strlen(val);
        bool ok = n >= 1 && n <= PROTO_PASSWORD_MAX;
        for (size_t k = 0; ok && k < n; k++)
            ok = (unsigned char)val[k] >= 0x20 && val[k] != 0x7F;
        if (!ok) {
            snprintf(err, err_cap, "--password must be 1 to %d bytes without control characters.",
                     PROTO_PASSWORD_MAX);
            return OPTIONS_ERROR;
        }
        memcpy(o->password, val, n + 1);
    } else if (strcmp(a, "--join") == 0) {
        char aerr[160];
        uint16_t port;
        if (!options_split_address(val, o->join_host, sizeof o->join_host, &port, PROTO_DEFAULT_PORT, aerr,
                                   sizeof aerr)) {
            snprintf(err, err_cap, "--join: %s", aerr);
            return OPTIONS_ERROR;
        }
        o->join = true;
        if (strchr(val, ':')) {
            o->port = port;
            o->port_set = true;
        }
    } else if (strcmp(a, "--port") == 0) {
        if (!options_int(val, 1, 65535, &v)) {
            snprintf(err, err_cap, "--port must be a number from 1 to 65535, not '%s'.", val);
            return OPTIONS_ERROR;
        }
        o->port = (uint16_t)v;
        o->port_set = true;
    } else if (strcmp(a, "--round-seconds") == 0) {
        if (!options_int(val, 0, SIM_ROUND_SECONDS_MAX, &v) || (v > 0 && v < SIM_ROUND_SECONDS_MIN)) {
            snprintf(err, err_cap, "--round-seconds must be 0 (no time limit) or a number from %d to %d, not '%s'.",
                     SIM_ROUND_SECONDS_MIN, SIM_ROUND_SECONDS_MAX, val);
            return OPTIONS_ERROR;
        }
        o->round_seconds = (int)v;
    } else if (strcmp(a, "--name") == 0) {
        if (!proto_name_valid(val, strlen(val))) {
            snprintf(err, err_cap, "--name must be 1 to %d bytes of UTF-8 without control characters.",
                     PROTO_NAME_MAX);
            return OPTIONS_ERROR;
        }
        snprintf(o->name, sizeof o->name, "%s", val);
        o->name_set = true;
    } else if (strcmp(a, "--quit-after") == 0) {
        char *end;
        errno = 0;
        double d = strtod(val, &end);
        if (errno || end == val || *end != '\0' || !(d > 0 && d < 1e7)) {
            snprintf(err, err_cap, "--quit-after must be a positive number of seconds, not '%s'.", val);
            return OPTIONS_ERROR;
        }
        o->quit_after = d;
    } else if (strcmp(a, "--fake-stall") == 0) {
        /* Below the 2.5 s a client waits before calling the host gone. */
        int ms, every;
        char extra;
        if (sscanf(val, "%d:%d%c", &ms, &every, &extra) != 2 || ms < 1 || ms > 2000 || every < 1 ||
            every > 3600 || ms >= every * 1000) {
            snprintf(err, err_cap, "--fake-stall must look like 300:5 (a stall of 1..2000 ms every 1..3600 s, "
                     "shorter than the period), not '%s'.", val);
            return OPTIONS_ERROR;
        }
        o->fake_stall_ms = ms;
        o->fake_stall_every_s = every;
    } else if (strcmp(a, "--size") == 0) {
        int w, h;
        char extra;
        if (sscanf(val, "%dx%d%c", &w, &h, &extra) != 2 || w < OPTIONS_MIN_W || h < OPTIONS_MIN_H || w > 8192 ||
            h > 8192) {
            snprintf(err, err_cap, "--size must look like 1280x720 (at least %dx%d), not '%s'.", OPTIONS_MIN_W,
                     OPTIONS_MIN_H, val);
            return OPTIONS_ERROR;
        }
        o->width = w;
        o->height = h;
    } else {
        *known = false;
    }
    return OPTIONS_OK;
}

/* Whether flag a takes a value. */
static bool options_takes_value(const char *a)
{
    static const char *const special[] = {"--discovery-addr", "--trust-addr", "--password", "--join",
                                          "--port",          "--round-seconds", "--name",   "--quit-after",
                                          "--fake-stall",    "--size"};
    for (size_t k = 0; k < OPTIONS_COUNT(special); k++)
        if (strcmp(a, special[k]) == 0)
            return true;
    for (size_t k = 0; k < OPTIONS_COUNT(options_numbers); k++)
        if (strcmp(a, options_numbers[k].flag) == 0)
            return true;
    for (size_t k = 0; k < OPTIONS_COUNT(options_paths); k++)
        if (strcmp(a, options_paths[k].flag) == 0)
            return true;
    return false;
}

/* One flag a with its value (NULL for a switch). */
static options_result options_one(options *o, const char *a, const char *val, char *err, size_t err_cap)
{
    for (size_t k = 0; k < OPTIONS_COUNT(options_switches); k++) {
        if (strcmp(a, options_switches[k].flag) == 0) {
            if (val) {
                snprintf(err, err_cap, "%s takes no value.", a);
                return OPTIONS_ERROR;
            }
            *(bool *)((char *)o + options_switches[k].field) = true;
            return OPTIONS_OK;
        }
    }
    for (size_t k = 0; k < OPTIONS_COUNT(options_numbers); k++) {
        if (strcmp(a, options_numbers[k].flag) == 0) {
            long v;
            if (!options_int(val, options_numbers[k].lo, options_numbers[k].hi, &v)) {
                snprintf(err, err_cap, "%s must be %s from %ld to %ld, not '%s'.", a, options_numbers[k].what,
                         options_numbers[k].lo, options_numbers[k].hi, val);
                return OPTIONS_ERROR;
            }
            *(int *)((char *)o + options_numbers[k].field) = (int)v;
            return OPTIONS_OK;
        }
    }
    for (size_t k = 0; k < OPTIONS_COUNT(options_paths); k++) {
        if (strcmp(a, options_paths[k].flag) == 0) {
            if (!*val || strlen(val) >= options_paths[k].cap) {
                snprintf(err, err_cap, "%s needs %s.", a, options_paths[k].what);
                return OPTIONS_ERROR;
            }
            snprintf((char *)o + options_paths[k].field, options_paths[k].cap, "%s", val);
            return OPTIONS_OK;
        }
    }
    bool known;
    options_result r = options_special(o, a, val, &known, err, err_cap);
    if (!known) {
        snprintf(err, err_cap, "Unknown option '%s' (see --help).", a);
        return OPTIONS_ERROR;
    }
    return r;
}

/* Combinations that make no sense get a sentence, not a guess. */
static options_result options_combinations(const options *o, char *err, size_t err_cap)
{
    if (o->list_lan && (o->host || o->join || o->headless || o->bot || o->screenshot[0])) {
        snprintf(err, err_cap, "--list-lan only prints the LAN's games and exits; it cannot be combined with --host, --join, --headless, --bot or --screenshot.");
        return OPTIONS_ERROR;
    }
    if (o->list_lan && o->snapshot_hz) {
        snprintf(err, err_cap, "--snapshot-hz is for hosting or joining a game; --list-lan only lists games.");
        return OPTIONS_ERROR;
    }
    if (o->list_lan && o->password[0]) {
        snprintf(err, err_cap, "--password is for hosting or joining a game; --list-lan only lists games.");
        return OPTIONS_ERROR;
    }
    if (o->bots > 0 && o->password[0]) {
        snprintf(err, err_cap, "--bots cannot be used with --password: the bots would not know the password.");
        return OPTIONS_ERROR;
    }
    if (o->host && o->join) {
        snprintf(err, err_cap, "--host and --join cannot be used together: a process hosts or joins.");
        return OPTIONS_ERROR;
    }
    if (o->no_delta && !o->host) {
        snprintf(err, err_cap, "--no-delta only makes sense with --host: the host decides how snapshots are sent.");
        return OPTIONS_ERROR;
    }
    if ((o->round_seconds_set || o->score_limit_set) && !o->host) {
        snprintf(err, err_cap, "--round-seconds and --score-limit only make sense with --host: the host sets the match.");
        return OPTIONS_ERROR;
    }
    if (o->bots > 0 && !o->host) {
        snprintf(err, err_cap, "--bots only makes sense with --host (bots join the game you host).");
        return OPTIONS_ERROR;
    }
    if (o->bots > o->max_players) {
        snprintf(err, err_cap, "--bots %d exceeds --max-players %d.", o->bots, o->max_players);
        return OPTIONS_ERROR;
    }
    if (o->headless && !o->host && !o->join) {
        snprintf(err, err_cap, "--headless needs --host (dedicated server) or --join (client without a window).");
        return OPTIONS_ERROR;
    }
    if (o->headless && o->screenshot[0]) {
        snprintf(err, err_cap, "--screenshot needs a window; it cannot be used with --headless.");
        return OPTIONS_ERROR;
    }
    if (o->host && o->headless &&
        (o->fake_lag_ms || o->fake_jitter_ms || o->fake_stall_ms || o->no_predict || o->no_interp)) {
        snprintf(err, err_cap, "--fake-lag, --fake-jitter, --fake-stall, --no-predict and --no-interp act on a "
                 "player's client; a dedicated server (--host --headless) has none.");
        return OPTIONS_ERROR;
    }
    if (o->bot && o->host && o->headless) {
        snprintf(err, err_cap, "--bot with --host --headless makes no sense: a dedicated server has no local player (use --bots N).");
        return OPTIONS_ERROR;
    }
    return OPTIONS_OK;
}

options_result options_parse(options *o, int argc, char **argv, char *err, size_t err_cap)
{
    options_defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
            return OPTIONS_EXIT_OK;
        }
        if (strcmp(a, "--version") == 0) {
            o->version = true;
            return OPTIONS_EXIT_OK;
        }
        /* Flags that take a value accept "--flag value" and "--flag=value". */
        char flag[64];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        if (eq && strncmp(a, "--", 2) == 0 && (size_t)(eq - a) < sizeof flag) {
            memcpy(flag, a, (size_t)(eq - a));
            flag[eq - a] = '\0';
            val = eq + 1;
            a = flag;
        }
        if (!val && options_takes_value(a)) {
            if (i + 1 >= argc) {
                snprintf(err, err_cap, "%s needs a value (see --help).", a);
                return OPTIONS_ERROR;
            }
            val = argv[++i];
        }
        if (options_one(o, a, val, err, err_cap) != OPTIONS_OK) {
            if (strncmp(err, "Unknown option", 14) == 0)
                snprintf(err, err_cap, "Unknown option '%s' (see --help).", argv[i]);
            return OPTIONS_ERROR;
        }
        o->round_seconds_set |= strcmp(a, "--round-seconds") == 0;
        o->score_limit_set |= strcmp(a, "--score-limit") == 0;
        o->max_players_set |= strcmp(a, "--max-players") == 0;
        o->bots_set |= strcmp(a, "--bots") == 0;
    }
    return options_combinations(o, err, err_cap);
}

const char *options_server_usage(void)
{
    return "Usage: lanarena-server [options]   (a dedicated server: no window, no local player)\n"
           "  --port N              port to host on (default 27960)\n"
           "  --max-players N       players it accepts, 1..250 (default 32)\n"
           "  --name NAME           the game's name in LAN searches\n"
           "  --bots N              also start N bot players (0..250)\n"
           "  --password PASS       players must give PASS to join (1..32 bytes)\n"
           "  --snapshot-hz N       10..60: the most snapshots a second any player gets\n"
           "                        (default 60; each player's rate also fits its link)\n"
           "  --no-delta            send full snapshots instead of deltas (for comparison)\n"
           "  --quit-after SECONDS  stop cleanly after that long (exit 0)\n"
           "  --stats PATH          append one JSON object per line, once a second\n"
           "  --help, --version\n";
}

options_result options_parse_server(options *o, int argc, char **argv, char *err, size_t err_cap)
{
    static const char *const not_here[] = {"--join", "--list-lan", "--discovery-addr", "--bot", "--screenshot",
                                           "--size", "--fake-lag", "--fake-jitter", "--fake-stall", "--no-predict",
                                           "--no-interp", "--no-migrate"};
    for (int i = 1; i < argc; i++) {
        for (size_t k = 0; k < sizeof not_here / sizeof not_here[0]; k++) {
            size_t n = strlen(not_here[k]);
            if (strncmp(argv[i], not_here[k], n) == 0 && (argv[i][n] == '\0' || argv[i][n] == '=')) {
                snprintf(err, err_cap, "%s is not a server option: lanarena-server only hosts (see --help).",
                         not_here[k]);
                return OPTIONS_ERROR;
            }
        }
    }
    if (argc < 1 || argc > 250) {
        snprintf(err, err_cap, "Too many arguments.");
        return OPTIONS_ERROR;
    }
    char *args[256];
    int n = 0;
    args[n++] = argc > 0 ? argv[0] : "lanarena-server";
    args[n++] = "--host";
    args[n++] = "--headless";
    for (int i = 1; i < argc; i++)
        args[n++] = argv[i];
    return options_parse(o, n, args, err, err_cap);
}
