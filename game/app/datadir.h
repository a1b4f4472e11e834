/*
 * datadir: finds the game's data folder at run time, the same way in the
 * build folder, in an installed prefix and in the Windows zip. A data
 * folder holds assets/sprites.txt, shaders/sprite.vert and .frag, and
 * fonts/DejaVuSans.ttf; the build copies them there (the font from
 * Debian's fonts-dejavu-core), so nothing is read from the source tree or
 * a system font folder.
 *
 * Where it looks, in order (the first complete folder wins):
 *   1. --data-dir DIR, if given (then nowhere else);
 *   2. $LANARENA_DATA_DIR, if set (then nowhere else);
 *   3. BASE/data                  the build folder and the Windows zip;
 *   4. BASE/../share/lanarena     an installed prefix (bin/ next to share/);
 * where BASE is the folder of the running program (SDL_GetBasePath).
 *
 * Threading contract: main thread, before the window opens.
 */
#ifndef LANARENA_DATADIR_H
#define LANARENA_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

#define DATADIR_PATH_MAX 1024
#define DATADIR_CANDIDATES 2
#define DATADIR_FONT "fonts/DejaVuSans.ttf"

typedef struct {
    int count;
    char dirs[DATADIR_CANDIDATES][DATADIR_PATH_MAX];
} datadir_list;

/* The folders to try, in order, from the flag, the environment variable
 * and the program's folder (each may be NULL or ""). Pure. */
void datadir_candidates(const char *flag, const char *env, const char *base, datadir_list *out);

/* Whether dir holds every file the game needs; if not, the first missing
 * one's path goes to missing. */
bool datadir_complete(const char *dir, char *missing, size_t missing_cap);

/* The first complete candidate into out (with a trailing separator). If
 * none is, false and a sentence in err naming every place it looked. */
bool datadir_find(const char *flag, char *out, size_t out_cap, char *err, size_t err_cap);

#endif
