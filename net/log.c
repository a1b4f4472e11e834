#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int log_level_min = -1;

static double log_now(void)
{
    static struct timespec start;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (start.tv_sec == 0 && start.tv_nsec == 0)
        start = ts;
    return (double)(ts.tv_sec - start.tv_sec) + (double)(ts.tv_nsec - start.tv_nsec) / 1e9;
}

void log_set_level(log_level level)
{
    log_level_min = (int)level;
}

void log_msg(log_level level, const char *fmt, ...)
{
    if (log_level_min < 0) {
        const char *env = getenv("LANARENA_LOG");
        log_level_min = LOG_INFO;
        if (env && strcmp(env, "debug") == 0)
            log_level_min = LOG_DEBUG;
        else if (env && strcmp(env, "quiet") == 0)
            log_level_min = LOG_WARN;
    }
    if ((int)level < log_level_min)
        return;
    static const char *names[] = {"debug", "info", "warn", "error"};
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[%8.3f] %-5s %s\n", log_now(), names[level], line);
}
