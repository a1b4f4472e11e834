/*
 * test_admission: who gets into a game, against a real server thread over
 * 127.0.0.0/8, with raw clients bound to other loopback addresses so one
 * process looks like many machines (127.0.0.1 is the host's own computer,
 * trusted; attackers come from 127.0.0.2 and up):
 *   - a flood of silent connections from many addresses, and many from one,
 *     never keeps an honest player out: every one joins;
 *   - join/leave churn from one address reaches the other players as a few
 *     batched announcements, not three messages per cycle;
 *   - wrong passwords from one address are answered slowly and logged once,
 *     and nobody else is held up by them;
 *   - a returning player's token wins their name back; the impostor is
 *     renamed and told so;
 *   - names are normalised and lookalikes count as taken.
 * Every loop is bounded in count and time; thresholds allow a busy machine.
 */
#include <SDL.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "rawclient.h"
#include "server.h"

static char log_path[512];

static server *start(int max_players, const char *password, char *why, size_t cap)
{
    server_config cfg = server_default_config();
    cfg.port = 0;
    cfg.max_players = max_players;
    cfg.seed = 7;
    if (password)
        snprintf(cfg.password, sizeof cfg.password, "%s", password);
    return server_start(&cfg, why, cap);
}

/* Lines of the server log (this process's stderr) holding needle. */
static int log_count(const char *needle)
{
    fflush(stderr);
    FILE *f = fopen(log_path, "r");
    int n = 0;
    char line[1024];
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    if (f)
        fclose(f);
    return n;
}

/* ---- 1. silent connections ---- */

#define FLOOD 64
#define HONEST 6

static void test_silent_flood(void)
{
    char why[256];
    server *srv = start(HONEST, NULL, why, sizeof why);
    CHECK_MSG(srv != NULL, "%s", why);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    /* Half from one address, half from as many others. */
    static rawclient flood[FLOOD];
    char from[FLOOD][24];
    for (int i = 0; i < FLOOD; i++) {
        snprintf(from[i], sizeof from[i], i < FLOOD / 2 ? "127.0.0.2" : "127.0.1.%d", i);
        rawclient_open(&flood[i], from[i], port);
    }
    int welcomed = 0, reopened = 0;
    double worst = 0, t0 = rawclient_now();
    for (int h = 0; h < HONEST; h++) {
        /* The flood keeps itself topped up: a closed one is opened again. */
        double until = rawclient_now() + 0.7;
        while (rawclient_now() < until) {
            for (int i = 0; i < FLOOD; i++) {
                rawclient_pump(&flood[i]);
                if (flood[i].eof || flood[i].fd < 0) {
                    rawclient_close(&flood[i]);
                    rawclient_open(&flood[i], from[i], port);
                    reopened++;
                }
            }
            SDL_Delay(5);
        }
        char addr[24], name[24];
        snprintf(addr, sizeof addr, "127.0.2.%d", h + 1);
        snprintf(name, sizeof name, "Honest %d", h + 1);
        rawclient c;
        double asked = rawclient_now();
        bool ok = rawclient_open(&c, addr, port) && rawclient_hello(&c, name, 0, NULL) && rawclient_wait_answer(&c, 5.0);
        double took = rawclient_now() - asked;
        if (took > worst)
            worst = took;
        CHECK_MSG(ok, "%s from %s: %s (reason %d) after %.2f s", name, addr,
                  c.rejected ? "refused" : c.eof ? "closed" : "no answer", c.reject_reason, took);
        welcomed += ok;
        /* Stays connected, so the next one needs a free player slot. */
    }
    printf("admission: %d of %d honest players joined during a flood of %d silent connections "
           "(%d reopened in %.1f s); slowest join %.3f s\n",
           welcomed, HONEST, FLOOD, reopened, rawclient_now() - t0, worst);
    CHECK(reopened > 0); /* the pool did evict: the flood was really there */
    /* Evictions are summarised in the log, not one line each. */
    int lines = log_count("evicted for") + log_count("handshake pool full");
    CHECK_MSG(lines <= 3, "%d log lines for %d evictions", lines, reopened);
    for (int i = 0; i < FLOOD; i++)
        rawclient_close(&flood[i]);
    server_stop(srv);
}

/* ---- 2. join/leave churn ---- */

static void test_churn(void)
{
    char why[256];
    server *srv = start(32, NULL, why, sizeof why);
    CHECK_MSG(srv != NULL, "%s", why);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    rawclient watcher;
    CHECK(rawclient_open(&watcher, "127.0.0.1", port) && rawclient_hello(&watcher, "Watcher", 0, NULL) &&
          rawclient_wait_answer(&watcher, 5.0));
    SDL_Delay(400); /* the watcher's own batch */
    rawclient_pump(&watcher);
    uint32_t j0 = watcher.joined, l0 = watcher.left, i0 = watcher.info;
    /* Join, say goodbye, again, as fast as the host answers, 3 s. */
    int cycles = 0, refused = 0;
    double t0 = rawclient_now(), until = t0 + 3.0;
    for (int k = 0; k < 5000 && rawclient_now() < until; k++) {
        rawclient c;
        if (!rawclient_open(&c, "127.0.0.2", port))
            break;
        char name[24];
        snprintf(name, sizeof name, "Churn %d", k % 8);
        if (rawclient_hello(&c, name, 0, NULL) && rawclient_wait_answer(&c, until - rawclient_now() + 0.1)) {
            proto_msg bye = proto_make_goodbye(PROTO_BYE_QUIT);
            rawclient_send(&c, &bye);
            cycles++;
        } else {
            refused += c.rejected;
        }
        rawclient_close(&c);
        rawclient_pump(&watcher);
    }
    double secs = rawclient_now() - t0;
    SDL_Delay(400);
    rawclient_pump(&watcher);
    uint32_t joined = watcher.joined - j0, left = watcher.left - l0, info = watcher.info - i0;
    printf("admission: %d churn cycles in %.1f s (%d refused); the watcher heard %u JOINED, %u LEFT, %u INFO\n",
           cycles, secs, refused, joined, left, info);
    /* The rate per address: a burst of 6, then 2 a second. */
    CHECK_MSG(cycles <= 6 + (int)(2 * secs) + 2, "%d joins from one address in %.1f s", cycles, secs);
    /* At most one batch every 250 ms, whatever the churn. */
    int batches = (int)(secs / 0.25) + 4;
    CHECK_MSG((int)joined <= batches && (int)left <= batches, "%u JOINED, %u LEFT in %d batches", joined, left,
              batches);
    CHECK_MSG((int)info <= batches + (int)secs + 2, "%u PLAYER_INFO", info);
    CHECK(!watcher.eof);
    rawclient_close(&watcher);
    server_stop(srv);
}

/* ---- 3. password guessing ---- */

#define GUESSERS 4

static void test_password_guessing(void)
{
    char why[256];
    server *srv = start(8, "swordfish", why, sizeof why);
    CHECK_MSG(srv != NULL, "%s", why);
    if (!srv)
        return;
    uint16_t port = server_port(srv);
    int lines0 = log_count("wrong or missing password");
    rawclient g[GUESSERS];
    int guesses = 0, answered = 0, full = 0;
    bool open[GUESSERS] = {false};
    double t0 = rawclient_now(), until = t0 + 3.0, honest_took = -1;
    bool honest_ok = false;
    while (rawclient_now() < until && guesses < 20000) {
        for (int i = 0; i < GUESSERS; i++) {
            if (open[i]) {
                rawclient_pump(&g[i]);
                if (!g[i].rejected && !g[i].eof)
                    continue;
                answered += g[i].rejected && g[i].reject_reason == PROTO_REJECT_PASSWORD;
                full += g[i].rejected && g[i].reject_reason == PROTO_REJECT_FULL;
                rawclient_close(&g[i]);
                open[i] = false;
            }
            char guess[16];
            snprintf(guess, sizeof guess, "guess%d", guesses);
            open[i] = rawclient_open(&g[i], "127.0.0.2", port) && rawclient_hello(&g[i], "Guesser", 0, guess);
            guesses += open[i];
        }
        /* Someone else, with the password, is not held up. */
        if (honest_took < 0 && rawclient_now() > t0 + 1.0) {
            rawclient h;
            double asked = rawclient_now();
            honest_ok = rawclient_open(&h, "127.0.0.3", port) && rawclient_hello(&h, "Friend", 0, "swordfish") &&
                        rawclient_wait_answer(&h, 3.0);
            honest_took = rawclient_now() - asked;
            rawclient_close(&h);
        }
        SDL_Delay(1);
    }
    double secs = rawclient_now() - t0;
    for (int i = 0; i < GUESSERS; i++)
        if (open[i])
            rawclient_close(&g[i]);
    int lines = log_count("wrong or missing password") - lines0;
    printf("admission: %d wrong passwords sent from one address in %.1f s: %d answered \"wrong password\" "
           "(%.1f/s), %d told the server is busy; %d log lines; a friend with the password joined in %.3f s\n",
           guesses, secs, answered, answered / secs, full, lines, honest_took);
    CHECK_MSG(answered <= 30, "%d guesses answered in %.1f s", answered, secs);
    CHECK_MSG(lines <= 2, "%d log lines for one guessing address", lines);
    CHECK_MSG(honest_ok && honest_took < 1.0, "the friend: %s after %.2f s", honest_ok ? "joined" : "refused",
              honest_took);
    /* After the backoff, the guessing address itself gets in with it. */
    SDL_Delay(2500);
    rawclient late;
    CHECK(rawclient_open(&late, "127.0.0.2", port) && rawclient_hello(&late, "Late", 0, "swordfish") &&
          rawclient_wait_answer(&late, 4.0));
    rawclient_close(&late);
    server_stop(srv);
}

/* ---- 4. names ---- */

static bool hello_and_wait(rawclient *c, uint16_t port, const char *name, uint64_t token)
{
    return rawclient_open(c, "127.0.0.1", port) && rawclient_hello(c, name, token, NULL) && rawclient_wait_answer(c, 5.0);
}

static void test_names(void)
{
    char why[256];
    server *srv = start(8, NULL, why, sizeof why);
    CHECK_MSG(srv != NULL, "%s", why);
    if (!srv)
        return;
    uint16_t port = server_port(srv);

    /* A token wins over a name. */
    rawclient ann, taker, back;
    CHECK(hello_and_wait(&ann, port, "Ann", 0));
    uint64_t token = ann.token;
    proto_msg bye = proto_make_goodbye(PROTO_BYE_CONNECTION_LOST);
    rawclient_send(&ann, &bye);
    rawclient_close(&ann);
    SDL_Delay(300);
    CHECK_MSG(hello_and_wait(&taker, port, "Ann", 0), "the name was not free after Ann left");
    CHECK_MSG(hello_and_wait(&back, port, "Ann", token), "Ann's token lost to the name: %s %d",
              back.rejected ? "REJECT" : "no answer", back.reject_reason);
    double until = rawclient_now() + 3.0;
    while (strcmp(taker.renamed_to, "Ann (2)") != 0 && rawclient_now() < until) {
        SDL_Delay(10);
        rawclient_pump(&taker);
    }
    CHECK_MSG(strcmp(taker.renamed_to, "Ann (2)") == 0, "the impostor is called '%s'", taker.renamed_to);
    CHECK(!taker.eof);

    /* Lookalikes are taken; invisible characters are dropped. */
    rawclient bob, fake, e;
    CHECK(hello_and_wait(&bob, port, "Bob", 0));
    const char *alike[] = {"\xD0\x92\xD0\xBE\x62", /* Cyrillic В о, Latin b */
                           " bob\xE2\x80\x8B",     /* spaces, zero-width space */
                           "\xEF\xBB\xBF" "BOB",   /* byte order mark */
                           "B0b"};
    for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++) {
        bool in = hello_and_wait(&fake, port, alike[i], 0);
        CHECK_MSG(!in && fake.rejected && fake.reject_reason == PROTO_REJECT_NAME_TAKEN,
                  "lookalike %zu of Bob: %s %d", i, in ? "welcomed" : "refused", fake.reject_reason);
        rawclient_close(&fake);
    }
    CHECK(!hello_and_wait(&fake, port, "\xE2\x80\x8B\xE2\x80\xAE", 0) && fake.reject_reason == PROTO_REJECT_NAME);
    rawclient_close(&fake);
    CHECK(hello_and_wait(&e, port, "\xE2\x80\xAE" "Eve ", 0));
    until = rawclient_now() + 3.0;
    while (strcmp(e.renamed_to, "Eve") != 0 && rawclient_now() < until) {
        SDL_Delay(10);
        rawclient_pump(&e);
    }
    CHECK_MSG(strcmp(e.renamed_to, "Eve") == 0, "the name kept is '%s'", e.renamed_to);
    rawclient_close(&e);
    rawclient_close(&bob);
    rawclient_close(&back);
    rawclient_close(&taker);
    server_stop(srv);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const char *base = getenv("LANARENA_TEST_OUT");
    mkdir(base ? base : "/tmp/lanarena-test", 0755);
    snprintf(log_path, sizeof log_path, "%s/test_admission.log", base ? base : "/tmp/lanarena-test");
    if (!freopen(log_path, "w", stderr))
        return 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    SDL_Init(SDL_INIT_TIMER);
    test_silent_flood();
    test_churn();
    test_password_guessing();
    test_names();
    SDL_Quit();
    /* CHECK writes to stderr, which is the log: show its failures here. */
    fflush(stderr);
    FILE *f = fopen(log_path, "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "CHECK failed"))
            fputs(line, stdout);
    if (f)
        fclose(f);
    printf("(server log: %s)\n", log_path);
    return check_done("admission");
}
