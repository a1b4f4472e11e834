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
        {"--max-players", "65", NULL, NULL},
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
