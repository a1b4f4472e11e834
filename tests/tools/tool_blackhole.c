/*
 * tool_blackhole: an address on 127.0.0.1 that never answers, for the
 * "unreachable host" fault tests. It listens with a backlog of 0 and
 * fills its own accept queue, so the kernel drops every further SYN: a
 * client's connect() hangs exactly as it does towards a machine that is
 * switched off, without sending anything off this machine.
 *
 *   tool_blackhole [--seconds N]   prints the port, stays N s (default 30)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BLACKHOLE_FILL 4 /* own connections parked in the queue */

int main(int argc, char **argv)
{
    double seconds = 30;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: tool_blackhole [--seconds N]\n");
            return 2;
        }
    }
    if (seconds <= 0 || seconds > 600)
        seconds = 30; /* always ends by itself */

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 0) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) != 0) {
        perror("tool_blackhole: listen");
        return 1;
    }
    /* Never accepted: with backlog 0 the first one fills the queue and
     * the rest stay in SYN_SENT, as later clients will. */
    int fill[BLACKHOLE_FILL];
    for (int i = 0; i < BLACKHOLE_FILL; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM, 0);
        fcntl(fill[i], F_SETFL, O_NONBLOCK);
        if (connect(fill[i], (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS)
            perror("tool_blackhole: fill");
        usleep(20000);
    }
    printf("%u\n", (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    poll(NULL, 0, (int)(seconds * 1000));
    for (int i = 0; i < BLACKHOLE_FILL; i++)
        close(fill[i]);
    close(lfd);
    return 0;
}
