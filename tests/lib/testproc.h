/*
 * testproc: what tests and tools that drive real lanarena processes share:
 * start one with its stderr in a file, ask whether it still runs, and
 * find a free port on 127.0.0.1.
 */
#ifndef LANARENA_TESTPROC_H
#define LANARENA_TESTPROC_H

#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* fork + exec argv (argv[0] a path), stderr to err_path, stdout to /dev/null. */
static inline pid_t testproc_spawn(char *const argv[], const char *err_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_WRONLY);
        if (fd >= 0)
            dup2(fd, 2);
        if (null >= 0)
            dup2(null, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* True while pid runs; reaps it (so a later call says false) once it ended. */
static inline bool testproc_alive(pid_t pid)
{
    int status;
    return pid > 0 && waitpid(pid, &status, WNOHANG) == 0;
}

/* A port the kernel just had free on 127.0.0.1 (0 if none); racy by nature,
 * good enough for tests that start a host on it at once. */
static inline uint16_t testproc_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    uint16_t p = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        p = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return p;
}

#endif
