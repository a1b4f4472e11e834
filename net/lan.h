/*
 * lan: facts about this machine's LAN side, for the host's top bar: which
 * of its addresses friends should type, and what the others are.
 *
 * The first address is the one on the LAN: the interface the default
 * route leaves by. Then real interfaces, then ones that are almost
 * certainly virtual (container and VM bridges, VPN tunnels: docker0,
 * virbr0, veth*, vEthernet ...), which friends on the LAN cannot reach.
 *
 * Threading contract: no state; any thread.
 */
#ifndef LANARENA_LAN_H
#define LANARENA_LAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sock.h"

#define LAN_ADDR_MAX 8

typedef struct {
    char addr[16];  /* dotted quad */
    char name[48];  /* interface name, "" if unknown */
    bool primary;   /* the default route's interface */
    bool virtual_;  /* a container, VM or VPN interface by its name */
} lan_addr;

/* Whether an interface name is one of a container, VM or VPN bridge. */
bool lan_name_is_virtual(const char *name);

/* Orders ifs (loopback and 0.0.0.0 left out) as described above into
 * out; route_be is the default route's source address, 0 if none. Pure. */
int lan_rank(const sock_ifaddr *ifs, int n, uint32_t route_be, lan_addr *out, int max);

/* This machine's addresses, ranked; returns how many. */
int lan_addresses(lan_addr *out, int max);

/* The line a host shows and logs: "Hosting: friends join
 * 192.168.1.20:27960", then the other addresses labelled with their
 * interface ("also 172.17.0.1 (docker0, virtual)"). */
void lan_hosting_line(uint16_t port, char *out, size_t cap);

#endif
