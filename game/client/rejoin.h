/*
 * rejoin: what a client does after its connection to the host is lost for
 * good: whom to dial next, when, and when to host the game itself.
 *
 * Two jobs, one plan. A player whose own link broke dials the same host
 * again with its reconnect token (backoff from REJOIN_BACKOFF_MIN_MS to
 * REJOIN_BACKOFF_MAX_MS, for REJOIN_LIMIT_MS) and gets colour and score
 * back. A player whose host is gone follows the host's last HOST_PLAN: the
 * first successor starts a server from the world it last saw and dials it
 * over loopback; everyone else dials the successor (and, in turn, the old
 * host, in case the loss was theirs alone). When a successor has not taken
 * over within REJOIN_TURN_MS of the host being known gone, the next one in
 * the plan does.
 *
 * The host is known gone (and successors may take over) when it handed
 * the game over (PROTO_PLAN_NOW), when its connection closed without a
 * GOODBYE (its process ended: the kernel closed the socket), when dialling
 * it is refused (the machine answers, the game does not), or when it fell
 * silent and then stayed unreachable for REJOIN_UNSURE_MS while our own
 * network had a route (a dial failing for want of a route says our link
 * is down, not the host: that restarts the wait). The last is a guess: a
 * successor whose link fails in a way that still leaves it a route hosts
 * a game nobody else joins.
 *
 * A plan address that is a loopback address means "on the old host's own
 * machine" (that player reached the host over 127.0.0.1): the others dial
 * the old host's address with the plan's port.
 *
 * Pure: no sockets, no clocks; time comes in (ms on the owner's clock).
 * Threading contract: one state per client, on the client's owner thread.
 */
#ifndef LANARENA_REJOIN_H
#define LANARENA_REJOIN_H

#include <stdbool.h>
#include <stdint.h>

#include "netclient.h"
#include "proto.h"

#define REJOIN_LIMIT_MS 60000
#define REJOIN_BACKOFF_MIN_MS 50
#define REJOIN_BACKOFF_MAX_MS 2000
#define REJOIN_TURN_MS 5000
#define REJOIN_UNSURE_MS 3000
#define REJOIN_DIAL_TIMEOUT_MS 2000 /* connect + WELCOME, per dial */

typedef enum {
    REJOIN_LOST_CLOSED = 1, /* closed or reset without a GOODBYE */
    REJOIN_LOST_SILENT,     /* nothing arrived for the silence timeout */
    REJOIN_HANDOVER         /* the host said PROTO_PLAN_NOW and left */
} rejoin_cause;

typedef enum {
    REJOIN_TARGET_OLD = 0,   /* the host we had */
    REJOIN_TARGET_SUCCESSOR, /* a successor from the plan */
    REJOIN_TARGET_SELF       /* our own process's server, over loopback */
} rejoin_target;

typedef enum {
    REJOIN_WAIT = 0, /* nothing until at_ms */
    REJOIN_DIAL,     /* dial target now; report with rejoin_dial_failed */
    REJOIN_HOST,     /* start a server on port (we are the successor), then
                      * report with rejoin_hosting */
    REJOIN_GIVE_UP   /* REJOIN_LIMIT_MS passed */
} rejoin_verb;

typedef struct {
    rejoin_verb verb;
    rejoin_target target;
    uint32_t addr;  /* SUCCESSOR: IPv4, host order; 0: the old host's machine */
    uint16_t port;  /* SUCCESSOR, SELF, HOST; OLD: 0 (its own port) */
    int successor_id; /* SUCCESSOR: that player's id */
    uint64_t at_ms; /* WAIT */
} rejoin_action;

typedef struct {
    bool active;
    bool migrate;       /* follow the plan; false: dial the old host only */
    bool can_host;      /* the owner can start a server for us */
    int my_id;
    proto_host_plan plan;
    uint64_t start_ms;
    bool host_gone;     /* known gone: successors may take over */
    uint64_t gone_ms;   /* since when */
    bool host_asked, host_answered, hosting;
    uint16_t self_port;
    int fails;          /* dials failed in a row */
    rejoin_target next_target; /* alternation between OLD and SUCCESSOR */
    rejoin_target last_target;
    uint64_t next_ms;   /* no dial before this */
    uint64_t unsure_ms; /* first unanswered dial of the old host since we
                         * last had no route; 0: none */
} rejoin_state;

/* Starts after a loss. plan may be NULL or empty (nobody to succeed). */
void rejoin_begin(rejoin_state *r, rejoin_cause cause, const proto_host_plan *plan, int my_id, bool migrate,
                  bool can_host, uint64_t now_ms);
/* The next step; call it whenever no dial is in progress. */
rejoin_action rejoin_next(rejoin_state *r, uint64_t now_ms);
/* The dial rejoin_next asked for failed with this fault. */
void rejoin_dial_failed(rejoin_state *r, netclient_fault fault, uint64_t now_ms);
/* The owner's answer to REJOIN_HOST: listening on port, or could not. */
void rejoin_hosting(rejoin_state *r, bool ok, uint16_t port, uint64_t now_ms);
/* The index in the plan of the successor expected now, or -1 (none left,
 * or the host is not known gone). */
int rejoin_turn(const rejoin_state *r, uint64_t now_ms);

#endif
