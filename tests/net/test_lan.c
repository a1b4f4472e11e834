/*
 * test_lan: the host's addresses in the order friends should read them:
 * the default route's interface first, then real interfaces, then
 * container, VM and VPN bridges, loopback never; and this machine's own
 * list, whose first address is the default route's when there is one.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lan.h"

static sock_ifaddr test_if(const char *name, unsigned a, unsigned b, unsigned c, unsigned d, bool loopback)
{
    sock_ifaddr i;
    memset(&i, 0, sizeof i);
    unsigned char *p = (unsigned char *)&i.addr_be;
    p[0] = (unsigned char)a, p[1] = (unsigned char)b, p[2] = (unsigned char)c, p[3] = (unsigned char)d;
    i.loopback = loopback;
    snprintf(i.name, sizeof i.name, "%s", name);
    return i;
}

int main(void)
{
    CHECK(lan_name_is_virtual("docker0") && lan_name_is_virtual("virbr0") && lan_name_is_virtual("veth12ab"));
    CHECK(lan_name_is_virtual("br-3f2a") && lan_name_is_virtual("vEthernet (WSL)") && lan_name_is_virtual("tun0"));
    CHECK(!lan_name_is_virtual("eth0") && !lan_name_is_virtual("wlan0") && !lan_name_is_virtual("enp3s0"));
    CHECK(!lan_name_is_virtual("Wi-Fi") && !lan_name_is_virtual("br0") && !lan_name_is_virtual(""));

    sock_ifaddr ifs[] = {
        test_if("lo", 127, 0, 0, 1, true),       test_if("docker0", 172, 17, 0, 1, false),
        test_if("virbr0", 192, 168, 122, 1, false), test_if("eth1", 10, 0, 0, 5, false),
        test_if("wlan0", 192, 168, 1, 20, false),
    };
    lan_addr out[LAN_ADDR_MAX];
    uint32_t route = ifs[4].addr_be; /* the default route leaves by wlan0 */
    int n = lan_rank(ifs, 5, route, out, LAN_ADDR_MAX);
    CHECK(n == 4);
    CHECK_MSG(strcmp(out[0].addr, "192.168.1.20") == 0 && out[0].primary, "first %s", out[0].addr);
    CHECK(strcmp(out[1].addr, "10.0.0.5") == 0 && !out[1].primary && !out[1].virtual_);
    CHECK(strcmp(out[2].addr, "172.17.0.1") == 0 && out[2].virtual_ && strcmp(out[2].name, "docker0") == 0);
    CHECK(strcmp(out[3].addr, "192.168.122.1") == 0 && out[3].virtual_);
    /* No default route: real interfaces still come before bridges. */
    n = lan_rank(ifs, 5, 0, out, LAN_ADDR_MAX);
    CHECK(n == 4 && strcmp(out[0].addr, "10.0.0.5") == 0 && strcmp(out[1].addr, "192.168.1.20") == 0);
    CHECK(!out[0].primary && out[2].virtual_);
    /* Room for two: the best two. */
    CHECK(lan_rank(ifs, 5, route, out, 2) == 2 && strcmp(out[0].addr, "192.168.1.20") == 0);

    /* This machine: if it has a default route, its address leads. */
    n = lan_addresses(out, LAN_ADDR_MAX);
    uint32_t src = 0;
    if (sock_default_route_source(&src) && n > 0) {
        const unsigned char *b = (const unsigned char *)&src;
        char want[16];
        snprintf(want, sizeof want, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        CHECK_MSG(strcmp(out[0].addr, want) == 0 && out[0].primary, "first %s, route source %s", out[0].addr, want);
    }
    for (int i = 0; i < n; i++)
        CHECK(strncmp(out[i].addr, "127.", 4) != 0);
    return check_done("lan");
}
