/*
 * tool_qflood: a flood of valid LAN discovery queries, for benchmarks of
 * the responder's rationing. Sends RATE queries a second to ADDR:PORT for
 * SECONDS (at most 60 s and 100000 a second), from one source port, then
 * prints how many it sent. Run it only at 127.0.0.0/8 or inside a network
 * namespace a test made.
 *
 *   tool_qflood ADDR PORT RATE SECONDS
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "discovery.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: tool_qflood ADDR PORT RATE SECONDS\n");
        return 2;
    }
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    int rate = atoi(argv[3]);
    double secs = atof(argv[4]);
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 || rate < 1 || rate > 100000 || secs <= 0 || secs > 60) {
        fprintf(stderr, "tool_qflood: ADDR an IPv4 address, RATE 1..100000, SECONDS up to 60\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
    uint8_t q[DISCOVERY_QUERY_SIZE];
    discovery_msg m = discovery_make_query(0xF100D);
    size_t n = discovery_encode(&m, q, sizeof q);
    long sent = 0;
    double start = now_s(), end = start + secs;
    while (now_s() < end) {
        /* Paced per millisecond: as many as the rate says by now. */
        long due = (long)((now_s() - start) * rate);
        while (sent < due && sendto(fd, q, n, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)n)
            sent++;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    close(fd);
    printf("tool_qflood: sent %ld queries in %.1f s\n", sent, now_s() - start);
    return 0;
}
