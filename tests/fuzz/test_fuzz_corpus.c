/*
 * The fuzz targets (tests/fuzz/) as an ordinary test: every committed
 * corpus file, plus a few thousand deterministic mutations of them, runs
 * through each target's entry point with its invariants. libFuzzer itself
 * runs in tests/ci/fuzz.sh; this keeps the targets compiling and their
 * seeds passing on every build, with any compiler.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define FUZZ_FRAME_ENTRY fuzz_frame_one
#define FUZZ_PROTO_ENTRY fuzz_proto_one
#define FUZZ_SERVER_ENTRY fuzz_server_one
#define FUZZ_CLIENT_ENTRY fuzz_client_one
#define FUZZ_DISCOVERY_ENTRY fuzz_discovery_one
#define FUZZ_SETTINGS_ENTRY fuzz_settings_one
#include "fuzz_frame.c"
#include "fuzz_proto.c"
#include "fuzz_server.c"
#include "fuzz_client.c"
#include "fuzz_discovery.c"
#include "fuzz_settings.c"

#define CORPUS_MAX_FILE (64 * 1024)
#define MUTATIONS_PER_FILE 1000

typedef int (*fuzz_entry)(const uint8_t *, size_t);

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Runs one file and MUTATIONS_PER_FILE mutants of it (bit flips, cuts,
 * byte overwrites). Returns how many inputs ran. */
static int run_file(fuzz_entry entry, const char *path)
{
    static uint8_t buf[CORPUS_MAX_FILE], mut[CORPUS_MAX_FILE];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    entry(buf, n);
    for (int k = 0; k < MUTATIONS_PER_FILE; k++) {
        memcpy(mut, buf, n);
        size_t len = n;
        int edits = 1 + (int)(next_rand() % 4);
        for (int e = 0; e < edits && len > 0; e++) {
            size_t at = next_rand() % len;
            switch (next_rand() % 3) {
            case 0:
                mut[at] ^= (uint8_t)(1u << (next_rand() % 8));
                break;
            case 1:
                mut[at] = (uint8_t)next_rand();
                break;
            default:
                len = at;
                break;
            }
        }
        entry(mut, len);
    }
    return 1 + MUTATIONS_PER_FILE;
}

static int run_corpus(const char *target, fuzz_entry entry, int *files)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", LANARENA_SOURCE_DIR, target);
    DIR *d = opendir(dir);
    CHECK_MSG(d != NULL, "cannot open %s", dir);
    if (!d)
        return 0;
    int runs = 0;
    *files = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        int r = run_file(entry, path);
        CHECK_MSG(r > 0, "cannot read %s", path);
        runs += r;
        (*files)++;
    }
    closedir(d);
    return runs;
}

/* Random bytes, no seed at all: the parsers' most hostile input. */
static int run_random(fuzz_entry entry, int count)
{
    static uint8_t buf[4096];
    for (int i = 0; i < count; i++) {
        size_t len = next_rand() % sizeof buf;
        for (size_t k = 0; k < len; k++)
            buf[k] = (uint8_t)next_rand();
        entry(buf, len);
    }
    return count;
}

int main(void)
{
    const struct {
        const char *name;
        fuzz_entry entry;
    } targets[] = {{"frame", fuzz_frame_one},   {"proto", fuzz_proto_one},         {"server", fuzz_server_one},
                   {"client", fuzz_client_one}, {"discovery", fuzz_discovery_one}, {"settings", fuzz_settings_one}};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        int files = 0;
        int runs = run_corpus(targets[i].name, targets[i].entry, &files);
        runs += run_random(targets[i].entry, 2000);
        CHECK_MSG(files >= 5, "corpus/%s holds only %d files", targets[i].name, files);
        printf("fuzz_%s: %d corpus files, %d inputs, no invariant broken\n", targets[i].name, files,
               runs);
    }
    /* A fuzz target aborts on a broken invariant, so reaching here means
     * every input passed. */
    CHECK(1);
    return check_done("test_fuzz_corpus");
}
