/* Command-line parsing: every flag, every refusal. */
#include <string.h>

#include "check.h"
#include "options.h"

static options_result parse(options *o, char *err, const char *a1, const char *a2, const char *a3, const char *a4)
{
    char *argv[6] = {"lanarena", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
    int argc = 1;
    while (argc < 5 && argv[argc])
        argc++;
    return options_parse(o, argc, argv, err, 256);
}

int main(void)
{
    options o;
    char err[256];

    CHECK(parse(&o, err, NULL, NULL, NULL, NULL) == OPTIONS_OK);
    CHECK(!o.host && !o.join && o.port == 27960 && o.max_players == 32);

    CHECK(parse(&o, err, "--host", "--port", "4000", "--headless") == OPTIONS_OK);
    CHECK(o.host && o.headless && o.port == 4000);

    CHECK(parse(&o, err, "--join", "10.1.2.3:5000", "--name", "Zoë") == OPTIONS_OK);
    CHECK(o.join && strcmp(o.join_host, "10.1.2.3") == 0 && o.port == 5000 && strcmp(o.name, "Zoë") == 0);

    CHECK(parse(&o, err, "--join=localhost", "--bot", "--headless", NULL) == OPTIONS_OK);
    CHECK(o.join && o.bot && strcmp(o.join_host, "localhost") == 0 && o.port == 27960);

    CHECK(parse(&o, err, "--host", "--bots", "3", "--quit-after=2.5") == OPTIONS_OK);
    CHECK(o.bots == 3 && o.quit_after == 2.5);

    /* The match: defaults, limits, and only when hosting. */
    CHECK(parse(&o, err, "--host", NULL, NULL, NULL) == OPTIONS_OK);
    CHECK(o.round_seconds == 180 && o.score_limit == 0);
    CHECK(parse(&o, err, "--host", "--round-seconds", "5", NULL) == OPTIONS_OK && o.round_seconds == 5);
    CHECK(parse(&o, err, "--host", "--round-seconds", "0", NULL) == OPTIONS_OK && o.round_seconds == 0);
    CHECK(parse(&o, err, "--host", "--round-seconds", "3600", NULL) == OPTIONS_OK && o.round_seconds == 3600);
    CHECK(parse(&o, err, "--host", "--score-limit", "25", NULL) == OPTIONS_OK && o.score_limit == 25);
    CHECK(parse(&o, err, "--host", "--round-seconds", "4", NULL) == OPTIONS_ERROR && strstr(err, "--round-seconds"));
    CHECK(parse(&o, err, "--host", "--round-seconds", "3601", NULL) == OPTIONS_ERROR);
    CHECK(parse(&o, err, "--host", "--round-seconds", "-1", NULL) == OPTIONS_ERROR);
    CHECK(parse(&o, err, "--host", "--score-limit", "65536", NULL) == OPTIONS_ERROR && strstr(err, "--score-limit"));
    CHECK(parse(&o, err, "--join", "h", "--round-seconds", "60") == OPTIONS_ERROR && strstr(err, "--host"));

    /* LAN discovery: broadcast by default, any IPv4 literal on request. */
    CHECK(parse(&o, err, "--list-lan", NULL, NULL, NULL) == OPTIONS_OK);
    CHECK(o.list_lan && strcmp(o.discovery_addr, "255.255.255.255") == 0);
    CHECK(parse(&o, err, "--list-lan", "--discovery-addr", "127.0.0.1", NULL) == OPTIONS_OK);
    CHECK(o.list_lan && strcmp(o.discovery_addr, "127.0.0.1") == 0);
    CHECK(parse(&o, err, "--discovery-addr=192.168.1.255", NULL, NULL, NULL) == OPTIONS_OK);
    CHECK(!o.list_lan && strcmp(o.discovery_addr, "192.168.1.255") == 0);
    CHECK(strstr(options_usage(), "--list-lan") && strstr(options_usage(), "--discovery-addr"));
    /* A second trusted address for the host: an IPv4 literal. */
    CHECK(parse(&o, err, NULL, NULL, NULL, NULL) == OPTIONS_OK && o.trust_addr[0] == '\0');
    CHECK(parse(&o, err, "--host", "--trust-addr", "10.0.0.9", NULL) == OPTIONS_OK && strcmp(o.trust_addr, "10.0.0.9") == 0);
    CHECK(parse(&o, err, "--host", "--trust-addr", "somewhere", NULL) == OPTIONS_ERROR && strstr(err, "--trust-addr"));
    CHECK(strstr(options_usage(), "--trust-addr") != NULL);

    /* Host password: for hosting, joining or the menu. */
    CHECK(parse(&o, err, NULL, NULL, NULL, NULL) == OPTIONS_OK && o.password[0] == '\0');
    CHECK(parse(&o, err, "--host", "--password", "open sesame", NULL) == OPTIONS_OK);
    CHECK(o.host && strcmp(o.password, "open sesame") == 0);
    CHECK(parse(&o, err, "--join", "10.0.0.2", "--password=s\xC3\xA9same", NULL) == OPTIONS_OK);
    CHECK(o.join && strcmp(o.password, "s\xC3\xA9same") == 0);
    CHECK(parse(&o, err, "--password", "01234567890123456789012345678901", NULL, NULL) == OPTIONS_OK);
    CHECK(strstr(options_usage(), "--password"));
    /* A refused password is never echoed back. */
    CHECK(parse(&o, err, "--host", "--password", "012345678901234567890123456789012", NULL) == OPTIONS_ERROR);
    CHECK(strstr(err, "0123456789") == NULL && strstr(err, "--password") != NULL);
    CHECK(parse(&o, err, "--host", "--password", "tab\there", NULL) == OPTIONS_ERROR && strstr(err, "tab") == NULL);

    /* Full snapshots instead of deltas, for comparison: a host's choice. */
    CHECK(parse(&o, err, "--host", NULL, NULL, NULL) == OPTIONS_OK && !o.no_delta);
    CHECK(parse(&o, err, "--host", "--headless", "--no-delta", NULL) == OPTIONS_OK && o.no_delta);
    CHECK(strstr(options_usage(), "--no-delta") != NULL);

    /* Snapshot rate: the host's cap, or the rate a joining client asks for. */
    CHECK(parse(&o, err, "--host", NULL, NULL, NULL) == OPTIONS_OK && o.snapshot_hz == 0);
    CHECK(parse(&o, err, "--host", "--snapshot-hz", "25", NULL) == OPTIONS_OK && o.snapshot_hz == 25);
    CHECK(parse(&o, err, "--join", "1.2.3.4", "--snapshot-hz=10", NULL) == OPTIONS_OK && o.snapshot_hz == 10);
    CHECK(parse(&o, err, "--snapshot-hz", "60", NULL, NULL) == OPTIONS_OK && o.snapshot_hz == 60);
    CHECK(parse(&o, err, "--host", "--snapshot-hz", "9", NULL) == OPTIONS_ERROR && strstr(err, "10 to 60"));
    CHECK(parse(&o, err, "--host", "--snapshot-hz", "61", NULL) == OPTIONS_ERROR);
    CHECK(parse(&o, err, "--host", "--snapshot-hz", "fast", NULL) == OPTIONS_ERROR && strstr(err, "'fast'"));
    CHECK(parse(&o, err, "--list-lan", "--snapshot-hz", "30", NULL) == OPTIONS_ERROR);
    CHECK(strstr(options_usage(), "--snapshot-hz") != NULL);

    /* lanarena-server: the hosting flags, parsed as --host --headless. */
    {
        char *sv[] = {"lanarena-server", "--bots", "3", "--port=4000", "--snapshot-hz", "30", NULL};
        CHECK(options_parse_server(&o, 6, sv, err, sizeof err) == OPTIONS_OK);
        CHECK(o.host && o.headless && o.bots == 3 && o.port == 4000 && o.snapshot_hz == 30);
        char *none[] = {"lanarena-server", NULL};
        CHECK(options_parse_server(&o, 1, none, err, sizeof err) == OPTIONS_OK && o.host && o.headless);
        const char *refused[] = {"--join=1.2.3.4", "--bot", "--size", "--no-interp", "--list-lan", "--fake-lag"};
        for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
            char *rv[] = {"lanarena-server", (char *)refused[i], NULL};
            CHECK_MSG(options_parse_server(&o, 2, rv, err, sizeof err) == OPTIONS_ERROR &&
                          strstr(err, "not a server option"), "%s: %s", refused[i], err);
        }
        char *bad[] = {"lanarena-server", "--max-players", "0", NULL};
        CHECK(options_parse_server(&o, 3, bad, err, sizeof err) == OPTIONS_ERROR && strstr(err, "--max-players"));
        char *help[] = {"lanarena-server", "--help", NULL};
        CHECK(options_parse_server(&o, 2, help, err, sizeof err) == OPTIONS_EXIT_OK && o.help);
        CHECK(strstr(options_server_usage(), "--bots") && !strstr(options_server_usage(), "--join"));
    }

    /* Netcode: fake conditions and raw drawing, for a player's client. */
    CHECK(parse(&o, err, "--join", "1.2.3.4", "--fake-lag", "60") == OPTIONS_OK && o.fake_lag_ms == 60);
    CHECK(parse(&o, err, "--host", "--fake-jitter=15", "--no-predict", "--no-interp") == OPTIONS_OK);
    CHECK(o.fake_jitter_ms == 15 && o.no_predict && o.no_interp && o.fake_lag_ms == 0);
    CHECK(parse(&o, err, "--join", "1.2.3.4", "--fake-stall", "300:5") == OPTIONS_OK);
    CHECK(o.fake_stall_ms == 300 && o.fake_stall_every_s == 5);
    CHECK(parse(&o, err, NULL, NULL, NULL, NULL) == OPTIONS_OK && !o.no_predict && !o.no_interp &&
          o.fake_lag_ms == 0 && o.fake_jitter_ms == 0 && o.fake_stall_ms == 0);
    CHECK(strstr(options_usage(), "--fake-lag") && strstr(options_usage(), "--fake-jitter") &&
          strstr(options_usage(), "--fake-stall") && strstr(options_usage(), "--no-predict") &&
          strstr(options_usage(), "--no-interp"));

    CHECK(parse(&o, err, "--help", NULL, NULL, NULL) == OPTIONS_EXIT_OK && o.help);
    CHECK(parse(&o, err, "--version", NULL, NULL, NULL) == OPTIONS_EXIT_OK && o.version);

    /* Refusals, each with a sentence. */
    const char *bad[][4] = {
        {"--bogus", NULL, NULL, NULL},
        {"--port", "0", NULL, NULL},
        {"--port", "70000", NULL, NULL},
        {"--port", "12ab", NULL, NULL},
        {"--port", NULL, NULL, NULL},
        {"--max-players", "0", NULL, NULL},
        {"--max-players", "251", NULL, NULL},
        {"--name", "", NULL, NULL},
        {"--name", "a-name-that-is-far-too-long", NULL, NULL},
        {"--bots", "2", NULL, NULL},               /* without --host */
        {"--host", "--join", "1.2.3.4", NULL},      /* both roles */
        {"--headless", NULL, NULL, NULL},           /* no role */
        {"--quit-after", "-1", NULL, NULL},
        {"--quit-after", "soon", NULL, NULL},
        {"--join", "1.2.3.4:", NULL, NULL},
        {"--join", ":80", NULL, NULL},
        {"--join", "bad host", NULL, NULL},
        {"--host", "--headless", "--screenshot", "x.png"},
        {"--host", "--max-players", "2", "--bots=3"},
        {"--host=yes", NULL, NULL, NULL},
        {"--size", "10x10", NULL, NULL},
        {"--size", "639x480", NULL, NULL},
        {"--fake-lag", "-5", NULL, NULL},
        {"--fake-lag", "1001", NULL, NULL},
        {"--fake-jitter", "soon", NULL, NULL},
        {"--fake-stall", "300", NULL, NULL},          /* no period */
        {"--fake-stall", "0:5", NULL, NULL},
        {"--fake-stall", "3000:5", NULL, NULL},       /* would look like a lost host */
        {"--fake-stall", "1500:1", NULL, NULL},       /* longer than its period */
        {"--fake-stall", "300:5x", NULL, NULL},
        {"--no-predict=1", NULL, NULL, NULL},
        {"--host", "--headless", "--fake-lag", "50"}, /* a dedicated server has no client */
        {"--host", "--headless", "--no-interp", NULL},
        {"--no-delta", NULL, NULL, NULL},           /* not hosting */
        {"--join", "1.2.3.4", "--no-delta", NULL},
        {"--host", "--no-delta=1", NULL, NULL},
        {"--list-lan", "--host", NULL, NULL},
        {"--list-lan", "--join", "1.2.3.4", NULL},
        {"--list-lan", "--bot", NULL, NULL},
        {"--list-lan=yes", NULL, NULL, NULL},
        {"--discovery-addr", "lan-box", NULL, NULL},  /* no name lookups */
        {"--discovery-addr", "10.0.0.256", NULL, NULL},
        {"--discovery-addr", NULL, NULL, NULL},
        {"--password", NULL, NULL, NULL},
        {"--password", "", NULL, NULL},
        {"--list-lan", "--password", "x", NULL},
        {"--host", "--bots", "2", "--password=x"},   /* bots would not know it */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK_MSG(parse(&o, err, bad[i][0], bad[i][1], bad[i][2], bad[i][3]) == OPTIONS_ERROR, "case %zu (%s)", i,
                  bad[i][0]);
        CHECK_MSG(strlen(err) > 10, "case %zu has a message", i);
    }

    char host[64];
    uint16_t port;
    CHECK(options_split_address(" 192.168.1.20:27961 ", host, sizeof host, &port, 1, err, sizeof err));
    CHECK(strcmp(host, "192.168.1.20") == 0 && port == 27961);
    CHECK(options_split_address("game-box", host, sizeof host, &port, 27960, err, sizeof err));
    CHECK(strcmp(host, "game-box") == 0 && port == 27960);
    CHECK(!options_split_address("", host, sizeof host, &port, 27960, err, sizeof err));
    CHECK(!options_split_address("host:99999", host, sizeof host, &port, 27960, err, sizeof err));
    return check_done("options");
}
