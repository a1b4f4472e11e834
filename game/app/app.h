/*
 * app: what a lanarena process does with its options: a dedicated server
 * (handed to dedicated_run, the code lanarena-server runs),
 * a headless client, or the windowed game (menus, hosting, joining).
 * The host is a server thread plus an ordinary client over loopback.
 */
#ifndef LANARENA_APP_H
#define LANARENA_APP_H

#include "options.h"

/* Returns the process exit code. */
int app_run(const options *o);

#endif
