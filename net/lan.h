/*
 * lan: facts about this machine's LAN side, for the host screen.
 *
 * Threading contract: no state; any thread.
 */
#ifndef LANARENA_LAN_H
#define LANARENA_LAN_H

#include <stddef.h>

#define LAN_ADDR_MAX 8

/* Fills out[] with this machine's non-loopback IPv4 addresses as dotted
 * quads (via sock_local_ipv4); returns how many. */
int lan_local_addresses(char out[][16], int max);

#endif
