/*
 * bots: N AI-driven clients on one thread, each an ordinary client with
 * its own connection, so they join and play exactly like real players.
 *
 * Threading contract: bots_start/bots_stop from one owner thread; the bot
 * thread owns every bot client.
 */
#ifndef LANARENA_BOTS_H
#define LANARENA_BOTS_H

#include <stdint.h>

typedef struct bots bots;

bots *bots_start(const char *host, uint16_t port, int count, uint32_t seed);
/* Bots still connected and playing. */
int bots_playing(bots *b);
void bots_stop(bots *b);

#endif
