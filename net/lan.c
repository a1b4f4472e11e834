#include "lan.h"

#include <SDL_net.h>
#include <stdio.h>

int lan_local_addresses(char out[][16], int max)
{
    if (SDLNet_Init() < 0)
        return 0;
    IPaddress addrs[16];
    int n = SDLNet_GetLocalAddresses(addrs, 16);
    int count = 0;
    for (int i = 0; i < n && count < max; i++) {
        /* SDL2_net keeps addresses in network byte order. */
        const unsigned char *b = (const unsigned char *)&addrs[i].host;
        if (b[0] == 127 || (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0))
            continue;
        snprintf(out[count], 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        count++;
    }
    SDLNet_Quit();
    return count;
}
