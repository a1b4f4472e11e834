#include "lan.h"

#include <stdio.h>

#include "sock.h"

int lan_local_addresses(char out[][16], int max)
{
    sock_ifaddr ifs[32];
    int n = sock_local_ipv4(ifs, 32);
    int count = 0;
    for (int i = 0; i < n && count < max; i++) {
        const unsigned char *b = (const unsigned char *)&ifs[i].addr_be; /* network order */
        if (ifs[i].loopback || b[0] == 127 || ifs[i].addr_be == 0)
            continue;
        snprintf(out[count], 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        count++;
    }
    return count;
}
