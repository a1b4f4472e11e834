/*
 * dedicated: a dedicated server: the server thread, LAN discovery, the
 * host's bots and the --stats file, with no local player and no window.
 * `lanarena-server` runs only this, and `lanarena --host --headless`
 * runs it too (app_run hands over before SDL_Init): one dedicated-server
 * loop.
 *
 * It needs nothing of SDL but threads, mutexes and clocks (no video, no
 * audio, no SDL_Init), so lanarena-server runs on a machine without X or
 * GL libraries.
 *
 * Threading contract: dedicated_run is called from the process's main
 * thread and returns when the game ends; it owns every thread it starts.
 */
#ifndef LANARENA_DEDICATED_H
#define LANARENA_DEDICATED_H

#include "options.h"
#include "server.h"

/* The server configuration the hosting flags ask for (port, players,
 * password, --no-delta, --snapshot-hz); host_token 0 (no host player). */
server_config dedicated_server_config(const options *o);

/* Hosts until SIGINT/SIGTERM or --quit-after; prog names the program in
 * messages ("lanarena-server"). Returns the process exit code: 0 after a
 * clean end, 1 when the game could not start. */
int dedicated_run(const options *o, const char *prog);

#endif
