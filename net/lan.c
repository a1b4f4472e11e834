#include "lan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool lan_starts(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < n; i++)
        if (!name[i] || tolower((unsigned char)name[i]) != prefix[i])
            return false;
    return true;
}

bool lan_name_is_virtual(const char *name)
{
    static const char *const prefixes[] = {
        "docker", "br-",  "virbr", "veth", "vnet",     "vmnet",    "vboxnet", "lxc",       "lxd", "podman", "cni",
        "flannel", "tun", "tap",   "wg",   "zt",       "tailscale", "utun",   "vethernet", "virtualbox", "vmware",
        "hyper-v", "npcap", "nordlynx",
    };
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (lan_starts(name, prefixes[i]))
            return true;
    return false;
}

static int lan_class(const lan_addr *a)
{
    return a->primary ? 0 : a->virtual_ ? 2 : 1;
}

int lan_rank(const sock_ifaddr *ifs, int n, uint32_t route_be, lan_addr *out, int max)
{
    lan_addr all[32];
    int count = 0;
    for (int i = 0; i < n && count < 32; i++) {
        const unsigned char *b = (const unsigned char *)&ifs[i].addr_be; /* network order */
        if (ifs[i].loopback || b[0] == 127 || ifs[i].addr_be == 0)
            continue;
        lan_addr a;
        memset(&a, 0, sizeof a);
        snprintf(a.addr, sizeof a.addr, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        snprintf(a.name, sizeof a.name, "%s", ifs[i].name);
        a.primary = route_be != 0 && ifs[i].addr_be == route_be;
        a.virtual_ = !a.primary && lan_name_is_virtual(ifs[i].name);
        /* Insertion keeps the system's order within a class. */
        int at = count++;
        while (at > 0 && lan_class(&all[at - 1]) > lan_class(&a)) {
            all[at] = all[at - 1];
            at--;
        }
        all[at] = a;
    }
    if (count > max)
        count = max;
    memcpy(out, all, sizeof all[0] * (size_t)(count > 0 ? count : 0));
    return count;
}

int lan_addresses(lan_addr *out, int max)
{
    sock_ifaddr ifs[32];
    int n = sock_local_ipv4(ifs, 32);
    uint32_t route = 0;
    if (!sock_default_route_source(&route))
        route = 0;
    return lan_rank(ifs, n, route, out, max);
}
