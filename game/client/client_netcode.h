/*
 * client_netcode: the netcode half of a client, apart from
 * client.c's message handling. It feeds every snapshot to clock sync, the
 * interpolation buffer and prediction, applies every input to the
 * prediction, and once per client_update decides where each player is
 * drawn (client.h explains the result).
 *
 * Pure: no SDL, no sockets; time is passed in (microseconds). Owned by
 * one client, on that client's thread.
 */
#ifndef LANARENA_CLIENT_NETCODE_H
#define LANARENA_CLIENT_NETCODE_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "clocksync.h"
#include "interp.h"
#include "predict.h"

typedef struct {
    client_netcode opts;
    predict_state pred;
    interp_buffer interp;
    clocksync clock;
    interp_out out[SIM_MAX_PLAYERS];
    uint64_t arrival_us;      /* when the message being handled arrived */
    uint64_t last_arrival_us; /* previous snapshot's arrival */
    uint64_t last_draw_us;
    bool drawn_once;
    double render_tick;
    /* Since the last client_netcode_take_info. */
    float gap_max_ms, correction_px;
    bool extrapolating;
    /* Since the last stats window. */
    uint32_t window_corrections;
    double window_extrap_us;
    /* Snapshots acknowledging inputs up to this one may show the host
     * moving us (a round's start or end): not a misprediction. */
    uint32_t host_moved_until_seq;
} client_netcode_state;

void client_netcode_init(client_netcode_state *n, client_netcode opts, uint64_t now_us);
/* A snapshot of `tick` was applied to v (players' state), acknowledging
 * our input ack_seq; it arrived at n->arrival_us. */
void client_netcode_snapshot(client_netcode_state *n, const client_view *v, uint32_t tick, uint32_t ack_seq);
/* We made input seq (sent or not: the server treats a skipped one as
 * applied). */
void client_netcode_input(client_netcode_state *n, uint32_t seq, uint8_t buttons);
/* The host now sends snapshot_hz snapshots a second (a RATE). */
void client_netcode_rate(client_netcode_state *n, int snapshot_hz);
/* Sets every player's draw_x, draw_y and shown for time now_us. */
void client_netcode_draw(client_netcode_state *n, client_view *v, uint64_t now_us, float rtt_ms);
/* Fills the netcode fields of a stats window of `secs` seconds. */
void client_netcode_window(client_netcode_state *n, client_stats *st, double secs);
client_netinfo client_netcode_take_info(client_netcode_state *n);
/* For INPUT.view_back: the tick the other players were last drawn at, in
 * quarter ticks (0: not known, or interpolation is off, which draws the
 * newest snapshot). */
uint32_t client_netcode_view_q(const client_netcode_state *n);

#endif
