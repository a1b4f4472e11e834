/*
 * options: the command line of lanarena and of lanarena-server. Pure
 * parsing into a struct so it can be tested; main() decides what to do
 * with the result.
 */
#ifndef LANARENA_OPTIONS_H
#define LANARENA_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define OPTIONS_MAX_BOTS 250
/* The smallest window the HUD and menus are laid out for; the window
 * cannot be made smaller. */
#define OPTIONS_MIN_W 640
#define OPTIONS_MIN_H 480
#define OPTIONS_DEFAULT_TIMEOUT_S 10
#define OPTIONS_MAX_TIMEOUT_S 600

typedef struct {
    bool host;
    bool join;
    char join_host[256];
    uint16_t port;          /* hosting port, or the join port if none in --join */
    bool port_set;
    int max_players;
    bool max_players_set;   /* given: the Host screen starts from it too */
    char name[64];
    bool name_set;
    bool headless;
    bool bot;
    int bots;
    bool bots_set;
    double quit_after;      /* seconds; 0 = never */
    char screenshot[512];
    char stats[512];
    char data_dir[512];     /* --data-dir: where assets/, shaders/ and fonts/ are ("" = look for them) */
    bool help, version;
    int width, height;      /* window size */
    /* Netcode: fake network conditions for this client, and
     * switches to draw raw snapshots instead of predicting/interpolating. */
    int fake_lag_ms, fake_jitter_ms;
    int fake_stall_ms, fake_stall_every_s;
    bool no_predict, no_interp;
    bool no_delta;          /* host: full snapshots every tick, for comparison */
    bool list_lan;          /* print the LAN's games and exit */
    char discovery_addr[16]; /* IPv4 literal the LAN query goes to */
    char trust_addr[16];     /* host: an address exempt from per-address limits; "" none */
    /* --password: the game's password when hosting, the one to present
     * when joining (and the Host screen's default). Never printed. */
    char password[PROTO_PASSWORD_MAX + 1];
    /* --snapshot-hz (PROTO_SNAPSHOT_HZ_MIN..MAX; 0: not given): when
     * hosting, the most snapshots a second any client gets; when joining,
     * what this client asks for (otherwise Auto, or the Settings choice). */
    int snapshot_hz;
    /* Surviving the network: how long host and players wait out a
     * silent connection, and whether a lost game is rejoined or followed
     * to the host's successor. */
    int timeout_s;          /* OPTIONS_DEFAULT_TIMEOUT_S unless given */
    bool no_migrate;        /* a lost host ends the game (exit 1 headless) */
    /* The match, when hosting: round length in seconds (0: no time
     * limit) and the score that ends a round (0: none). */
    int round_seconds;
    bool round_seconds_set;
    int score_limit;
    bool score_limit_set;
} options;

typedef enum { OPTIONS_OK = 0, OPTIONS_EXIT_OK, OPTIONS_ERROR } options_result;

void options_defaults(options *o);
/* Fills o from argv. On OPTIONS_ERROR writes a one-line sentence to err.
 * --help / --version give OPTIONS_EXIT_OK with o->help / o->version set. */
options_result options_parse(options *o, int argc, char **argv, char *err, size_t err_cap);
/* Splits "HOST[:PORT]" into host and port (default_port when absent).
 * False with a sentence in err when malformed. */
bool options_split_address(const char *text, char *host, size_t host_cap, uint16_t *port,
                           uint16_t default_port, char *err, size_t err_cap);
const char *options_usage(void);

/* lanarena-server's command line: the hosting flags only. Parsed as
 * `lanarena --host --headless` with the same arguments would be (so the
 * two take the same flags the same way); --join, --list-lan and the
 * window's flags are refused with a sentence. */
options_result options_parse_server(options *o, int argc, char **argv, char *err, size_t err_cap);
const char *options_server_usage(void);

#endif
