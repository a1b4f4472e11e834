#include "log.h"

#include <SDL.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: threads log from the start, and the first one to log reads the
 * environment; the others must not see a torn or half-set level. The
 * level is stored plus one, so SDL's zero start means "not read yet". */
static SDL_atomic_t log_level_plus1;

static double log_now(void)
{
    /* The first call sets the start, under the spin lock. */
    static SDL_SpinLock start_lock;
    static Uint64 start;
    Uint64 now = SDL_GetPerformanceCounter();
    SDL_AtomicLock(&start_lock);
    if (start == 0)
        start = now;
    Uint64 since = now - start;
    SDL_AtomicUnlock(&start_lock);
    return (double)since / (double)SDL_GetPerformanceFrequency();
}

void log_set_level(log_level level)
{
    SDL_AtomicSet(&log_level_plus1, (int)level + 1);
}

void log_msg(log_level level, const char *fmt, ...)
{
    int min = SDL_AtomicGet(&log_level_plus1) - 1;
    if (min < 0) {
        const char *env = getenv("LANARENA_LOG");
        min = LOG_INFO;
        if (env && strcmp(env, "debug") == 0)
            min = LOG_DEBUG;
        else if (env && strcmp(env, "quiet") == 0)
            min = LOG_WARN;
        (void)SDL_AtomicCAS(&log_level_plus1, 0, min + 1);
        min = SDL_AtomicGet(&log_level_plus1) - 1;
    }
    if ((int)level < min)
        return;
    static const char *names[] = {"debug", "info", "warn", "error"};
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[%8.3f] %-5s %s\n", log_now(), names[level], line);
}
