/* safefile: regular files open in every mode; a FIFO, a device or a
 * folder is refused at once with a sentence, never waited on. An alarm
 * ends the test if an open ever blocks. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "safefile.h"

int main(void)
{
    alarm(20); /* a blocking open fails the test instead of hanging it */
    char dir[] = "/tmp/lanarena-safefile-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256], fifo[256], err[512];
    snprintf(path, sizeof path, "%s/file.txt", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);

    /* Regular files: create, append, read back, truncate. */
    FILE *f = safefile_open(path, "rb", err, sizeof err);
    CHECK(f == NULL && errno == ENOENT);
    f = safefile_open(path, "wb", err, sizeof err);
    CHECK_MSG(f != NULL, "%s", err);
    if (f) {
        fputs("one\n", f);
        fclose(f);
    }
    f = safefile_open(path, "a", err, sizeof err);
    CHECK_MSG(f != NULL, "%s", err);
    if (f) {
        fputs("two\n", f);
        fclose(f);
    }
    char buf[64] = "";
    f = safefile_open(path, "rb", err, sizeof err);
    CHECK_MSG(f != NULL, "%s", err);
    if (f) {
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    CHECK(strcmp(buf, "one\ntwo\n") == 0);
    f = safefile_open(path, "wb", err, sizeof err);
    CHECK(f != NULL);
    if (f)
        fclose(f);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size == 0);

    /* A FIFO, in every mode, with nobody at the other end. */
    CHECK(mkfifo(fifo, 0600) == 0);
    const char *modes[] = {"rb", "wb", "a"};
    for (int i = 0; i < 3; i++) {
        f = safefile_open(fifo, modes[i], err, sizeof err);
        CHECK_MSG(f == NULL, "FIFO opened for %s", modes[i]);
        CHECK_MSG(strstr(err, "not a regular file") != NULL, "%s: '%s'", modes[i], err);
        if (f)
            fclose(f);
    }
    CHECK(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode)); /* left as it was */
    /* A device and a folder. */
    f = safefile_open("/dev/null", "a", err, sizeof err);
    CHECK(f == NULL && strstr(err, "not a regular file"));
    f = safefile_open("/dev/zero", "rb", err, sizeof err);
    CHECK(f == NULL && strstr(err, "not a regular file"));
    f = safefile_open(dir, "rb", err, sizeof err);
    CHECK(f == NULL && strstr(err, "not a regular file"));
    /* No folder to create the file in: the reason, in a sentence. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no/such/dir/x", dir);
    f = safefile_open(missing, "wb", err, sizeof err);
    CHECK(f == NULL && strstr(err, "cannot be opened") != NULL);
    CHECK(safefile_open("", "rb", err, sizeof err) == NULL);
    CHECK(safefile_open(path, "r+", err, sizeof err) == NULL);

    unlink(fifo);
    unlink(path);
    rmdir(dir);
    return check_done("safefile");
}
