#include "datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#ifdef _WIN32
#define DATADIR_SEP "\\"
#else
#define DATADIR_SEP "/"
#endif

static const char *const datadir_needed[] = {
    "assets/sprites.txt",
    "shaders/sprite.vert",
    "shaders/sprite.frag",
    DATADIR_FONT,
};

/* dir with exactly one separator at its end. */
static void datadir_set(char *out, const char *dir, const char *tail)
{
    size_t n = strlen(dir);
    bool sep = n > 0 && (dir[n - 1] == '/' || dir[n - 1] == '\\');
    snprintf(out, DATADIR_PATH_MAX, "%s%s%s", dir, sep ? "" : DATADIR_SEP, tail);
}

void datadir_candidates(const char *flag, const char *env, const char *base, datadir_list *out)
{
    memset(out, 0, sizeof *out);
    if (flag && *flag) {
        datadir_set(out->dirs[out->count++], flag, "");
        return;
    }
    if (env && *env) {
        datadir_set(out->dirs[out->count++], env, "");
        return;
    }
    if (base && *base) {
        datadir_set(out->dirs[out->count++], base, "data" DATADIR_SEP);
        datadir_set(out->dirs[out->count++], base, ".." DATADIR_SEP "share" DATADIR_SEP "lanarena" DATADIR_SEP);
    }
}

bool datadir_complete(const char *dir, char *missing, size_t missing_cap)
{
    for (size_t i = 0; i < sizeof datadir_needed / sizeof datadir_needed[0]; i++) {
        char path[DATADIR_PATH_MAX + 64];
        snprintf(path, sizeof path, "%s%s", dir, datadir_needed[i]);
        SDL_RWops *f = SDL_RWFromFile(path, "rb");
        if (!f) {
            if (missing && missing_cap)
                snprintf(missing, missing_cap, "%s", path);
            return false;
        }
        SDL_RWclose(f);
    }
    return true;
}

bool datadir_find(const char *flag, char *out, size_t out_cap, char *err, size_t err_cap)
{
    char *base = SDL_GetBasePath();
    datadir_list list;
    datadir_candidates(flag, getenv("LANARENA_DATA_DIR"), base, &list);
    SDL_free(base);

    size_t used = (size_t)snprintf(err, err_cap, "The game's data (sprites, shaders, font) was not found. Looked in:");
    for (int i = 0; i < list.count; i++) {
        char missing[DATADIR_PATH_MAX + 64];
        if (datadir_complete(list.dirs[i], missing, sizeof missing)) {
            snprintf(out, out_cap, "%s", list.dirs[i]);
            return true;
        }
        if (used < err_cap)
            used += (size_t)snprintf(err + used, err_cap - used, " %s (no %s);", list.dirs[i], missing);
    }
    if (list.count == 0 && used < err_cap)
        used += (size_t)snprintf(err + used, err_cap - used, " nowhere: the program's folder is unknown;");
    if (used < err_cap)
        snprintf(err + used, err_cap - used, " give the folder with --data-dir DIR or LANARENA_DATA_DIR.");
    return false;
}
