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

void lan_hosting_line(uint16_t port, char *out, size_t cap)
{
    lan_addr addrs[LAN_ADDR_MAX];
    int n = lan_addresses(addrs, LAN_ADDR_MAX);
    if (n == 0) {
        snprintf(out, cap, "Hosting on port %u (no LAN address found)", port);
        return;
    }
    int off = snprintf(out, cap, "Hosting: friends join %s:%u", addrs[0].addr, port);
    for (int i = 1; i < n && off > 0 && off < (int)cap - 40; i++) {
        const lan_addr *l = &addrs[i];
        off += snprintf(out + off, cap - (size_t)off, "%s%s (%s%s%s)", i == 1 ? "  \xC2\xB7  also " : ", ", l->addr,
                        l->name[0] ? l->name : "other network", l->virtual_ ? ", " : "", l->virtual_ ? "virtual" : "");
    }
}
