/*
 * log: one line per event on stderr, prefixed with time since start and a
 * level. Thread-safe (each line is written with a single fprintf).
 * LANARENA_LOG=debug shows debug lines; =quiet shows only warnings.
 *
 * Threading contract: any thread may log at any time.
 */
#ifndef LANARENA_LOG_H
#define LANARENA_LOG_H

#if defined(__MINGW32__)
/* mingw's C99 printf (__USE_MINGW_ANSI_STDIO), which knows %zu. */
#define LOG_PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LOG_PRINTF(a, b)
#endif

typedef enum { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level level);
void log_msg(log_level level, const char *fmt, ...) LOG_PRINTF(2, 3);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
