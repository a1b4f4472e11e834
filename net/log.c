#include "log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Atomic: threads log from the start, and the first one to log reads the
 * environment; the others must not see a torn or half-set level. */
static _Atomic int log_level_min = -1;

static double log_now(void)
{
    static _Atomic long long start_ns; /* first call wins; 0 = unset */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    long long unset = 0;
    atomic_compare_exchange_strong(&start_ns, &unset, now);
    return (double)(now - atomic_load(&start_ns)) / 1e9;
}

void log_set_level(log_level level)
{
    atomic_store(&log_level_min, (int)level);
}

void log_msg(log_level level, const char *fmt, ...)
{
    int min = atomic_load(&log_level_min);
    if (min < 0) {
        const char *env = getenv("LANARENA_LOG");
        min = LOG_INFO;
        if (env && strcmp(env, "debug") == 0)
            min = LOG_DEBUG;
        else if (env && strcmp(env, "quiet") == 0)
            min = LOG_WARN;
        int unset = -1;
        atomic_compare_exchange_strong(&log_level_min, &unset, min);
        min = atomic_load(&log_level_min);
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
