/* lanarena-server: a dedicated LAN Arena server (see README.md). It takes
 * the hosting flags of `lanarena --host --headless` and runs the same
 * code, without a window, a local player, or SDL's video and audio. */
#include <stdio.h>
#include <string.h>

#include "dedicated.h"
#include "options.h"
#include "proto.h"

int main(int argc, char **argv)
{
    options o;
    char err[256];
    switch (options_parse_server(&o, argc, argv, err, sizeof err)) {
    case OPTIONS_ERROR:
        fprintf(stderr, "lanarena-server: %s\n", err);
        return 2;
    case OPTIONS_EXIT_OK:
        if (o.version)
            printf("lanarena-server %s (protocol %d)\n", LANARENA_VERSION, PROTO_VERSION);
        else
            fputs(options_server_usage(), stdout);
        return 0;
    case OPTIONS_OK:
        break;
    }
    return dedicated_run(&o, "lanarena-server");
}
