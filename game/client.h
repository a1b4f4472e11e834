/*
 * client: one player's view of a game. Owns a netclient (the connection
 * thread), turns its messages into a world view, and sends one INPUT per
 * tick. Used by the windowed game, by headless clients and by bots alike:
 * the host's own player is an ordinary client over loopback.
 *
 * Threading contract: every call from one owner thread. Time is passed in
 * (microseconds on the caller's monotonic clock).
 */
#ifndef LANARENA_CLIENT_H
#define LANARENA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netclient.h"
#include "sim.h"

typedef enum {
    CLIENT_CONNECTING = 0, /* resolving, connecting, handshaking */
    CLIENT_PLAYING,        /* welcomed; snapshots flowing */
    CLIENT_FAILED,         /* could not join, or the connection broke */
    CLIENT_ENDED           /* the host said goodbye */
} client_phase;

typedef struct {
    bool present;          /* announced by PLAYER_JOINED and not left */
    bool seen;             /* has appeared in a snapshot */
    char name[PROTO_NAME_WIRE_MAX + 1];
    uint8_t colour;
    sim_player state;      /* newest state from the server */
    float draw_x, draw_y;  /* where to draw it, pixels */
} client_player;

typedef struct {
    int my_id;             /* -1 until welcomed */
    int max_players;
    uint32_t server_tick;  /* tick of the newest snapshot */
    uint32_t ack_seq;      /* newest of our inputs the server applied */
    client_player players[SIM_MAX_PLAYERS];
    sim_gem gems[SIM_MAX_GEMS];
    int gem_count;
} client_view;

typedef struct {
    float snapshot_hz;     /* snapshots received per second */
    float rtt_ms;
    float bytes_in_per_s, bytes_out_per_s;
    int players;           /* players present in this view */
} client_stats;

typedef struct client client;

client *client_create(const netclient_config *cfg, uint64_t now_us);
/* Drains the connection and, once per tick, sends buttons (SIM_BTN_*). */
void client_update(client *c, uint64_t now_us, uint8_t buttons);
client_phase client_get_phase(client *c, char *why, size_t why_cap);
const client_view *client_get_view(const client *c);
/* Rates over the last whole second. */
client_stats client_get_stats(client *c);
/* The view as a world, for code that reasons about worlds (bots). */
void client_view_to_world(const client_view *v, sim_world *out);
/* Says goodbye (if connected) and frees c. */
void client_destroy(client *c, uint8_t bye_reason);

#endif
