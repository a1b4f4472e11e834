#include "options.h"

#include <errno.h>
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
           "                        PLAYERS/MAX  vVERSION) that answer within 1 s; exit 1 if none\n"
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

options_result options_parse(options *o, int argc, char **argv, char *err, size_t err_cap)
{
    options_defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        /* Flags that take a value accept "--flag value" and "--flag=value". */
        char flag[64];
        const char *eq = strchr(a, '=');
        if (eq && strncmp(a, "--", 2) == 0 && (size_t)(eq - a) < sizeof flag) {
            memcpy(flag, a, (size_t)(eq - a));
            flag[eq - a] = '\0';
            val = eq + 1;
            a = flag;
        }
#define NEED_VALUE()                                                            \
    do {                                                                        \
        if (!val) {                                                             \
            if (i + 1 >= argc) {                                                \
                snprintf(err, err_cap, "%s needs a value (see --help).", a);    \
                return OPTIONS_ERROR;                                           \
            }                                                                   \
            val = argv[++i];                                                    \
        }                                                                       \
    } while (0)
#define NO_VALUE()                                                              \
    do {                                                                        \
        if (val) {                                                              \
            snprintf(err, err_cap, "%s takes no value.", a);                    \
            return OPTIONS_ERROR;                                               \
        }                                                                       \
    } while (0)
        long v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
            return OPTIONS_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            o->version = true;
            return OPTIONS_EXIT_OK;
        } else if (strcmp(a, "--host") == 0) {
            NO_VALUE();
            o->host = true;
        } else if (strcmp(a, "--headless") == 0) {
            NO_VALUE();
            o->headless = true;
        } else if (strcmp(a, "--bot") == 0) {
            NO_VALUE();
            o->bot = true;
        } else if (strcmp(a, "--no-delta") == 0) {
            NO_VALUE();
            o->no_delta = true;
        } else if (strcmp(a, "--no-migrate") == 0) {
            NO_VALUE();
            o->no_migrate = true;
        } else if (strcmp(a, "--timeout-s") == 0) {
            NEED_VALUE();
            long secs;
            if (!options_int(val, 1, OPTIONS_MAX_TIMEOUT_S, &secs)) {
                snprintf(err, err_cap, "--timeout-s must be a number of seconds from 1 to %d, not '%s'.",
                         OPTIONS_MAX_TIMEOUT_S, val);
                return OPTIONS_ERROR;
            }
            o->timeout_s = (int)secs;
        } else if (strcmp(a, "--list-lan") == 0) {
            NO_VALUE();
            o->list_lan = true;
        } else if (strcmp(a, "--discovery-addr") == 0) {
            NEED_VALUE();
            /* A literal only: a name lookup could stall the menu. */
            uint32_t host_be;
            if (strlen(val) >= sizeof o->discovery_addr || !sock_ipv4_parse(val, &host_be)) {
                snprintf(err, err_cap, "--discovery-addr must be an IPv4 address such as 255.255.255.255 or 192.168.1.255, not '%s'.", val);
                return OPTIONS_ERROR;
            }
            snprintf(o->discovery_addr, sizeof o->discovery_addr, "%s", val);
        } else if (strcmp(a, "--trust-addr") == 0) {
            NEED_VALUE();
            uint32_t trusted_be;
            if (strlen(val) >= sizeof o->trust_addr || !sock_ipv4_parse(val, &trusted_be)) {
                snprintf(err, err_cap, "--trust-addr must be an IPv4 address such as 192.168.1.20, not '%s'.", val);
                return OPTIONS_ERROR;
            }
            snprintf(o->trust_addr, sizeof o->trust_addr, "%s", val);
        } else if (strcmp(a, "--password") == 0) {
            NEED_VALUE();
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
            NEED_VALUE();
            char aerr[160];
            uint16_t port;
            if (!options_split_address(val, o->join_host, sizeof o->join_host, &port, PROTO_DEFAULT_PORT, aerr, sizeof aerr)) {
                snprintf(err, err_cap, "--join: %s", aerr);
                return OPTIONS_ERROR;
            }
            o->join = true;
            if (strchr(val, ':')) {
                o->port = port;
                o->port_set = true;
            }
        } else if (strcmp(a, "--port") == 0) {
            NEED_VALUE();
            if (!options_int(val, 1, 65535, &v)) {
                snprintf(err, err_cap, "--port must be a number from 1 to 65535, not '%s'.", val);
                return OPTIONS_ERROR;
            }
            o->port = (uint16_t)v;
            o->port_set = true;
        } else if (strcmp(a, "--max-players") == 0) {
            NEED_VALUE();
            if (!options_int(val, 1, PROTO_MAX_PLAYERS, &v)) {
                snprintf(err, err_cap, "--max-players must be a number from 1 to %d, not '%s'.", PROTO_MAX_PLAYERS, val);
                return OPTIONS_ERROR;
            }
            o->max_players = (int)v;
            o->max_players_set = true;
        } else if (strcmp(a, "--round-seconds") == 0) {
            NEED_VALUE();
            if (!options_int(val, 0, SIM_ROUND_SECONDS_MAX, &v) || (v > 0 && v < SIM_ROUND_SECONDS_MIN)) {
                snprintf(err, err_cap, "--round-seconds must be 0 (no time limit) or a number from %d to %d, not '%s'.",
                         SIM_ROUND_SECONDS_MIN, SIM_ROUND_SECONDS_MAX, val);
                return OPTIONS_ERROR;
            }
            o->round_seconds = (int)v;
            o->round_seconds_set = true;
        } else if (strcmp(a, "--score-limit") == 0) {
            NEED_VALUE();
            if (!options_int(val, 0, UINT16_MAX, &v)) {
                snprintf(err, err_cap, "--score-limit must be a number from 0 (none) to %d, not '%s'.", UINT16_MAX,
                         val);
                return OPTIONS_ERROR;
            }
            o->score_limit = (int)v;
            o->score_limit_set = true;
        } else if (strcmp(a, "--name") == 0) {
            NEED_VALUE();
            if (!proto_name_valid(val, strlen(val))) {
                snprintf(err, err_cap, "--name must be 1 to %d bytes of UTF-8 without control characters.", PROTO_NAME_MAX);
                return OPTIONS_ERROR;
            }
            snprintf(o->name, sizeof o->name, "%s", val);
            o->name_set = true;
        } else if (strcmp(a, "--bots") == 0) {
            NEED_VALUE();
            if (!options_int(val, 0, OPTIONS_MAX_BOTS, &v)) {
                snprintf(err, err_cap, "--bots must be a number from 0 to %d, not '%s'.", OPTIONS_MAX_BOTS, val);
                return OPTIONS_ERROR;
            }
            o->bots = (int)v;
            o->bots_set = true;
        } else if (strcmp(a, "--quit-after") == 0) {
            NEED_VALUE();
            char *end;
            errno = 0;
            double d = strtod(val, &end);
            if (errno || end == val || *end != '\0' || !(d > 0 && d < 1e7)) {
                snprintf(err, err_cap, "--quit-after must be a positive number of seconds, not '%s'.", val);
                return OPTIONS_ERROR;
            }
            o->quit_after = d;
        } else if (strcmp(a, "--screenshot") == 0) {
            NEED_VALUE();
            if (!*val || strlen(val) >= sizeof o->screenshot) {
                snprintf(err, err_cap, "--screenshot needs a file path.");
                return OPTIONS_ERROR;
            }
            snprintf(o->screenshot, sizeof o->screenshot, "%s", val);
        } else if (strcmp(a, "--data-dir") == 0) {
            NEED_VALUE();
            if (!*val || strlen(val) >= sizeof o->data_dir) {
                snprintf(err, err_cap, "--data-dir needs a folder path.");
                return OPTIONS_ERROR;
            }
            snprintf(o->data_dir, sizeof o->data_dir, "%s", val);
        } else if (strcmp(a, "--stats") == 0) {
            NEED_VALUE();
            if (!*val || strlen(val) >= sizeof o->stats) {
                snprintf(err, err_cap, "--stats needs a file path.");
                return OPTIONS_ERROR;
            }
            snprintf(o->stats, sizeof o->stats, "%s", val);
        } else if (strcmp(a, "--fake-lag") == 0 || strcmp(a, "--fake-jitter") == 0) {
            NEED_VALUE();
            bool lag = strcmp(a, "--fake-lag") == 0;
            if (!options_int(val, 0, lag ? 1000 : 500, &v)) {
                snprintf(err, err_cap, "%s must be a number of milliseconds from 0 to %d, not '%s'.", a,
                         lag ? 1000 : 500, val);
                return OPTIONS_ERROR;
            }
            *(lag ? &o->fake_lag_ms : &o->fake_jitter_ms) = (int)v;
        } else if (strcmp(a, "--fake-stall") == 0) {
            NEED_VALUE();
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
        } else if (strcmp(a, "--snapshot-hz") == 0) {
            NEED_VALUE();
            if (!options_int(val, PROTO_SNAPSHOT_HZ_MIN, PROTO_SNAPSHOT_HZ_MAX, &v)) {
                snprintf(err, err_cap, "--snapshot-hz must be a number of snapshots a second from %d to %d, not '%s'.",
                         PROTO_SNAPSHOT_HZ_MIN, PROTO_SNAPSHOT_HZ_MAX, val);
                return OPTIONS_ERROR;
            }
            o->snapshot_hz = (int)v;
        } else if (strcmp(a, "--no-predict") == 0) {
            NO_VALUE();
            o->no_predict = true;
        } else if (strcmp(a, "--no-interp") == 0) {
            NO_VALUE();
            o->no_interp = true;
        } else if (strcmp(a, "--size") == 0) {
            NEED_VALUE();
            int w, h;
            char extra;
            if (sscanf(val, "%dx%d%c", &w, &h, &extra) != 2 || w < OPTIONS_MIN_W || h < OPTIONS_MIN_H || w > 8192 || h > 8192) {
                snprintf(err, err_cap, "--size must look like 1280x720 (at least %dx%d), not '%s'.", OPTIONS_MIN_W,
                         OPTIONS_MIN_H, val);
                return OPTIONS_ERROR;
            }
            o->width = w;
            o->height = h;
        } else {
            snprintf(err, err_cap, "Unknown option '%s' (see --help).", argv[i]);
            return OPTIONS_ERROR;
        }
#undef NEED_VALUE
#undef NO_VALUE
    }

    /* Combinations that make no sense get a sentence, not a guess. */
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
