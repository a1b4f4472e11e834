/*
 * test_datadir: where the game looks for its data, and what it says when
 * the data is not there. The real build's data folder (BUILD/data, made
 * by the build) must be found complete; a folder missing its font must
 * not be, and the error must name every place looked at.
 */
#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "datadir.h"

static void test_candidates(void)
{
    datadir_list l;
    datadir_candidates(NULL, NULL, "/opt/la/bin/", &l);
    CHECK(l.count == 2);
    CHECK_MSG(strcmp(l.dirs[0], "/opt/la/bin/data/") == 0, "%s", l.dirs[0]);
    CHECK_MSG(strcmp(l.dirs[1], "/opt/la/bin/../share/lanarena/") == 0, "%s", l.dirs[1]);

    /* The flag wins over the environment, and either alone is the only place. */
    datadir_candidates("/d", "/e", "/opt/la/bin/", &l);
    CHECK(l.count == 1 && strcmp(l.dirs[0], "/d/") == 0);
    datadir_candidates("", "/e/", "/opt/la/bin/", &l);
    CHECK(l.count == 1 && strcmp(l.dirs[0], "/e/") == 0);
    datadir_candidates(NULL, NULL, NULL, &l);
    CHECK(l.count == 0);
}

static void test_complete(void)
{
    char missing[1200];
    CHECK_MSG(datadir_complete(LANARENA_TEST_DATA "/", missing, sizeof missing), "missing %s", missing);
    /* The source tree's assets/ alone is not a data folder: no font. */
    CHECK(!datadir_complete(LANARENA_SOURCE_DIR "/", missing, sizeof missing));
    CHECK_MSG(strstr(missing, "fonts/DejaVuSans.ttf") != NULL || strstr(missing, "sprites.txt") != NULL, "%s",
              missing);

    char out[DATADIR_PATH_MAX], err[2048];
    CHECK(datadir_find(LANARENA_TEST_DATA, out, sizeof out, err, sizeof err));
    CHECK(strcmp(out, LANARENA_TEST_DATA "/") == 0);
    CHECK(!datadir_find("/nonexistent-lanarena-data", out, sizeof out, err, sizeof err));
    CHECK_MSG(strstr(err, "/nonexistent-lanarena-data/") && strstr(err, "--data-dir"), "%s", err);
}

int main(void)
{
    test_candidates();
    test_complete();
    return check_done("datadir");
}
