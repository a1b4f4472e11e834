/*
 * netgraph: the F3 overlay, like Source's net_graph. Line plots of the
 * last NETGRAPH_SAMPLES frames (5 s at 60 fps) of ping, snapshot arrival
 * gaps, interpolation delay (with the jitter it covers), prediction
 * corrections, bytes in and out per second and frame time, each labelled
 * with its current value, on a dark panel.
 *
 * The history and the scales are pure (testable without GL);
 * netgraph_draw uses render.h and so is main-thread only.
 */
#ifndef LANARENA_NETGRAPH_H
#define LANARENA_NETGRAPH_H

#include <stdint.h>

#define NETGRAPH_SAMPLES 300

typedef enum {
    NETGRAPH_PING = 0,   /* ms */
    NETGRAPH_GAP,        /* longest gap between snapshot arrivals in the frame, ms */
    NETGRAPH_DELAY,      /* interpolation delay, ms */
    NETGRAPH_JITTER,     /* lateness the delay covers, ms (drawn with DELAY) */
    NETGRAPH_CORRECTION, /* prediction corrections in the frame, pixels */
    NETGRAPH_BYTES_IN,   /* per second */
    NETGRAPH_BYTES_OUT,  /* per second (drawn with BYTES_IN) */
    NETGRAPH_FRAME,      /* frame time, ms */
    NETGRAPH_SERIES
} netgraph_series;

typedef struct {
    float v[NETGRAPH_SERIES];
} netgraph_sample;

typedef struct {
    float hist[NETGRAPH_SERIES][NETGRAPH_SAMPLES];
    int head, count; /* head: slot of the next sample */
} netgraph;

void netgraph_init(netgraph *g);
void netgraph_add(netgraph *g, const netgraph_sample *s);
/* The i-th newest value (0: newest); 0 when there is none. */
float netgraph_value(const netgraph *g, netgraph_series s, int i);
/* Top of the plot: 1, 2 or 5 times a power of ten, at least the series'
 * floor, above every value in the history. */
float netgraph_scale(const netgraph *g, netgraph_series s);

/* Draws the panel with its top-left corner at (x, y), w pixels wide;
 * returns its height. ui_scale: 1 at 720p. */
float netgraph_draw(const netgraph *g, float x, float y, float w, float ui_scale);

#endif
