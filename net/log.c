#include "log.h"

#include <stdatomic.h>
#include <SDL.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: threads log from the start, and the first one to log reads the
 * environment; the others must not see a torn or half-set level. The
 * level is stored plus one, so the zero it starts at means "not read yet". */
static atomic_int log_level_plus1;

static double log_now(void)
{
    /* The first call sets the start, under the spin lock. */
    static atomic_flag start_lock = ATOMIC_FLAG_INIT;
    static Uint64 start;
    Uint64 now = SDL_GetPerformanceCounter();
    while (atomic_flag_test_and_set_explicit(&start_lock, memory_order_acquire))
        ; /* held for a few instructions */
    if (start == 0)
        start = now;
    Uint64 since = now - start;
    atomic_flag_clear_explicit(&start_lock, memory_order_release);
    return (double)since / (double)SDL_GetPerformanceFrequency();
}

void log_set_level(log_level level)
{
    atomic_store(&log_level_plus1, (int)level + 1);
}

void log_msg(log_level level, const char *fmt, ...)
{
    int min = atomic_load(&log_level_plus1) - 1;
    if (min < 0) {
        const char *env = getenv("LANARENA_LOG");
        min = LOG_INFO;
        if (env && strcmp(env, "debug") == 0)
            min = LOG_DEBUG;
        else if (env && strcmp(env, "quiet") == 0)
            min = LOG_WARN;
        int unset = 0;
        (void)atomic_compare_exchange_strong(&log_level_plus1, &unset, min + 1);
        min = atomic_load(&log_level_plus1) - 1;
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
