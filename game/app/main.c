/* lanarena: see README.md. Parses the command line and hands over to app. */
#include <stdio.h>

#include "app.h"
#include "options.h"
#include "proto.h"

int main(int argc, char **argv)
{
    options o;
    char err[256];
    switch (options_parse(&o, argc, argv, err, sizeof err)) {
    case OPTIONS_ERROR:
        fprintf(stderr, "lanarena: %s\n", err);
        return 2;
    case OPTIONS_EXIT_OK:
        if (o.version)
            printf("lanarena %s (protocol %d)\n", LANARENA_VERSION, PROTO_VERSION);
        else
            fputs(options_usage(), stdout);
        return 0;
    case OPTIONS_OK:
        break;
    }
    return app_run(&o);
}
