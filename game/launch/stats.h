/*
 * stats: the --stats file (one JSON object per line, once a second) and a
 * frame-time window for its percentiles.
 *
 * Fields: t (s since start), role ("server"|"client"), players, tick,
 * snapshot_hz (client: received/s; server: sent per client/s), rtt_ms
 * (server: 0, it does not ping), bytes_in_per_s, bytes_out_per_s (frame
 * bytes, without TCP/IP headers), frame_ms_p50, frame_ms_p99 (client:
 * whole frames; server: CPU time of a tick).
 * Client lines then add the netcode figures: interp_delay_ms,
 * jitter_ms, pred_corrections_per_s, extrapolating_ms_per_s (ms per
 * second a moving remote player was extrapolated or held) and
 * pred_mismatches (since start; see predict.h), and how the game is
 * surviving its network: host_addr ("ADDR:PORT" of the host played on or
 * being dialled), my_score, link ("ok", "quiet", "rejoining",
 * "migrating"), hosting (1: this process hosts the game now) and
 * migrations (times this player moved to a new host).
 * Server lines add the match: phase ("warmup"|"playing"|"intermission"),
 * round (from 1) and round_left_s (seconds left in the phase; 0: no
 * time limit).
 */
#ifndef LANARENA_STATS_H
#define LANARENA_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define STATS_FRAME_WINDOW 1024

typedef struct {
    float samples[STATS_FRAME_WINDOW];
    int count;
} stats_frames;

typedef struct {
    double t;
    const char *role;
    int players;
    uint32_t tick;
    float snapshot_hz, rtt_ms;
    float bytes_in_per_s, bytes_out_per_s;
    float frame_ms_p50, frame_ms_p99;
    /* Client lines only. */
    float interp_delay_ms, jitter_ms;
    float pred_corrections_per_s, extrapolating_ms_per_s;
    uint32_t pred_mismatches;
    const char *host_addr; /* NULL: "" */
    int my_score;
    const char *link;      /* NULL: "ok" */
    bool hosting;
    uint32_t migrations;
    /* Server lines only. */
    const char *phase;
    unsigned round, round_left_s;
} stats_line;

void stats_frames_add(stats_frames *f, float ms);
/* Percentiles of the samples so far, then clears the window. */
void stats_frames_take(stats_frames *f, float *p50, float *p99);

/* Opens path for appending, never blocking (safefile.h: a FIFO or device
 * is refused); NULL with a sentence in err on failure. */
FILE *stats_open(const char *path, char *err, size_t err_cap);
void stats_write(FILE *f, const stats_line *line);

#endif
