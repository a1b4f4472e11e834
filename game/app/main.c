/* lanarena: see README.md. Parses the command line and hands over to app. */
#include <stdbool.h>
#include <stdio.h>

#include "app.h"
#include "options.h"
#include "proto.h"

#if defined(_WIN32)
#include <windows.h>

/* lanarena.exe is a GUI program, so a double click opens no console.
 * Started from a console (cmd, PowerShell), it prints there; started with
 * its output redirected to a file or pipe, it already has those handles
 * and keeps them. */
static void main_console(void)
{
    bool out = GetStdHandle(STD_OUTPUT_HANDLE) != NULL && GetStdHandle(STD_OUTPUT_HANDLE) != INVALID_HANDLE_VALUE;
    bool err = GetStdHandle(STD_ERROR_HANDLE) != NULL && GetStdHandle(STD_ERROR_HANDLE) != INVALID_HANDLE_VALUE;
    if ((out && err) || !AttachConsole(ATTACH_PARENT_PROCESS))
        return;
    if (!out)
        freopen("CONOUT$", "w", stdout);
    if (!err)
        freopen("CONOUT$", "w", stderr);
}
#else
static void main_console(void)
{
}
#endif

int main(int argc, char **argv)
{
    main_console();
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
