/*
 * safefile: opening a file the user named (settings.txt, --stats) without
 * ever blocking on it. A FIFO, a device or a directory at that path is
 * refused with a sentence instead: fopen() on a FIFO waits for a writer
 * or reader forever, before --quit-after or any window can act.
 *
 * POSIX: the path is checked with stat(), then opened with O_NONBLOCK (so
 * even a FIFO swapped in after the check cannot block the open), checked
 * again with fstat() and only then made blocking and truncated ("wb").
 * Windows has no FIFOs and no O_NONBLOCK: a stat() check, then fopen().
 *
 * Threading contract: none needed; each call stands alone.
 */
#ifndef LANARENA_SAFEFILE_H
#define LANARENA_SAFEFILE_H

#include <stddef.h>
#include <stdio.h>

/* mode: "rb" (read), "wb" (create or truncate), "a" (create or append).
 * NULL with a sentence in err ("'x' is not a regular file.") when it
 * cannot be opened; errno is ENOENT when "rb" found no file at all. */
FILE *safefile_open(const char *path, const char *mode, char *err, size_t err_cap);

#endif
