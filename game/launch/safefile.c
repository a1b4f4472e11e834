#include "safefile.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

static FILE *safefile_refuse(const char *path, char *err, size_t err_cap)
{
    snprintf(err, err_cap, "'%s' is not a regular file (a pipe, device or folder), so it was not opened.", path);
    errno = EINVAL;
    return NULL;
}

static FILE *safefile_fail(const char *path, char *err, size_t err_cap)
{
    int e = errno;
    snprintf(err, err_cap, "'%s' cannot be opened: %s.", path, strerror(e));
    errno = e;
    return NULL;
}

FILE *safefile_open(const char *path, const char *mode, char *err, size_t err_cap)
{
    if (err_cap)
        err[0] = '\0';
    int kind = strcmp(mode, "rb") == 0 ? 0 : strcmp(mode, "wb") == 0 ? 1 : strcmp(mode, "a") == 0 ? 2 : -1;
    if (!path || !path[0] || kind < 0) {
        snprintf(err, err_cap, "No file name was given.");
        errno = EINVAL;
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return safefile_refuse(path, err, err_cap);
    } else if (errno != ENOENT || kind == 0) {
        return safefile_fail(path, err, err_cap);
    }
#ifdef _WIN32
    FILE *f = fopen(path, mode);
    return f ? f : safefile_fail(path, err, err_cap);
#else
    int flags = kind == 0 ? O_RDONLY : kind == 1 ? (O_WRONLY | O_CREAT) : (O_WRONLY | O_CREAT | O_APPEND);
    int fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == ENXIO) /* a FIFO with nobody reading it */
            return safefile_refuse(path, err, err_cap);
        return safefile_fail(path, err, err_cap);
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return safefile_refuse(path, err, err_cap);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 || (kind == 1 && ftruncate(fd, 0) != 0)) {
        FILE *none = safefile_fail(path, err, err_cap);
        close(fd);
        return none;
    }
    FILE *f = fdopen(fd, kind == 0 ? "rb" : kind == 1 ? "wb" : "a");
    if (!f) {
        FILE *none = safefile_fail(path, err, err_cap);
        close(fd);
        return none;
    }
    return f;
#endif
}
