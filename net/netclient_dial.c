/*
 * netclient_dial: reaching the host. The name lookup runs on a detached
 * helper thread that a deadline can abandon (see netclient.c's comment),
 * and the TCP connect is non-blocking with the connect deadline, waking
 * at once for netclient_stop.
 */
#include "netclient_internal.h"

#include <SDL_net.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tcp.h"

/* ---- SDL_net, once per process ---- */

/* The first netclient_start initialises these under the spin lock; they
 * never change afterwards. */
static atomic_flag nc_net_once = ATOMIC_FLAG_INIT;
static bool nc_net_done;
static int nc_net_status = -1;
/* gethostbyname() returns a pointer to static data: one lookup at a time. */
static SDL_mutex *nc_resolve_lock;

void nc_net_init(void)
{
    while (atomic_flag_test_and_set_explicit(&nc_net_once, memory_order_acquire))
        ; /* held for a few instructions */
    if (!nc_net_done) {
        /* Kept for the life of the process: SDLNet_Quit would restore
         * SIGPIPE behind the back of anyone else who ignores it. */
        nc_net_status = SDLNet_Init();
        if (nc_net_status != 0)
            log_warn("netclient: SDLNet_Init failed: %s", SDLNet_GetError());
        nc_resolve_lock = SDL_CreateMutex();
        if (!nc_resolve_lock) {
            log_warn("netclient: cannot create the lookup lock: %s", SDL_GetError());
            nc_net_status = -1;
        }
        nc_net_done = true;
    }
    atomic_flag_clear_explicit(&nc_net_once, memory_order_release);
}

/* ---- resolve ---- */

typedef struct {
    atomic_int refs; /* the helper thread and the connection thread */
    char host[256];
    sock_wake done;
    atomic_int result; /* 0 pending, 1 found, -1 not found */
    atomic_int addr;   /* network byte order, as an int */
} nc_resolver;

static void nc_resolver_release(nc_resolver *r)
{
    if (atomic_fetch_add(&r->refs, -1) == 1) {
        sock_wake_close(&r->done);
        free(r);
    }
}

static int nc_resolver_main(void *arg)
{
    nc_resolver *r = arg;
    IPaddress ip;
    memset(&ip, 0, sizeof ip);
    SDL_LockMutex(nc_resolve_lock);
    int rc = SDLNet_ResolveHost(&ip, r->host, 0);
    SDL_UnlockMutex(nc_resolve_lock);
    atomic_store(&r->addr, (int)ip.host);
    atomic_store(&r->result, rc == 0 ? 1 : -1);
    sock_wake_signal(&r->done);
    nc_resolver_release(r);
    return 0;
}

/* Resolves cfg.host by connect_deadline. False (with FAILED set, unless
 * stopping) when it cannot. */
bool nc_resolve(netclient *nc, uint64_t deadline, uint32_t *host_be)
{
    char why[640];
    if (nc_net_status != 0) {
        nc_set_state(nc, NETCLIENT_FAILED, "The network library could not be started.");
        return false;
    }
    nc_resolver *r = calloc(1, sizeof *r);
    if (!r || sock_wake_open(&r->done) != SOCK_OK) {
        free(r);
        nc_set_state(nc, NETCLIENT_FAILED, "This computer has run out of resources to connect.");
        return false;
    }
    snprintf(r->host, sizeof r->host, "%s", nc->cfg.host);
    atomic_store(&r->refs, 2);
    atomic_store(&r->result, 0);
    atomic_store(&r->addr, 0);
    SDL_Thread *t = SDL_CreateThread(nc_resolver_main, "netclient-dns", r);
    if (!t) {
        atomic_store(&r->refs, 1);
        nc_resolver_release(r);
        nc_set_state(nc, NETCLIENT_FAILED, "Could not start a thread to look up the host.");
        return false;
    }
    SDL_DetachThread(t);

    bool found = false;
    for (;;) {
        int res = atomic_load(&r->result);
        if (res != 0) {
            if (res > 0) {
                *host_be = (uint32_t)atomic_load(&r->addr);
                found = true;
            } else {
                snprintf(why, sizeof why, "Could not find the host '%s'.", nc->cfg.host);
                nc_set_state(nc, NETCLIENT_FAILED, why);
            }
            break;
        }
        if (nc_stopping(nc))
            break;
        uint64_t now = SDL_GetTicks64();
        if (now >= deadline) {
            char secs[32];
            nc_format_seconds(nc->cfg.connect_timeout_ms, secs, sizeof secs);
            snprintf(why, sizeof why,
                     "Could not find the host '%s' within %s; try its IP address instead.",
                     nc->cfg.host, secs);
            nc_set_state(nc, NETCLIENT_FAILED, why);
            log_info("netclient: abandoning the lookup of '%s'; it finishes on its own",
                     nc->cfg.host);
            break;
        }
        uint64_t left = deadline - now;
        sock_pollfd pf[2] = {{.s = r->done.rd, .events = SOCK_POLL_IN},
                             {.s = nc->wake.rd, .events = SOCK_POLL_IN}};
        int perr;
        (void)sock_poll(pf, 2, (int)(left < NC_MAX_WAIT_MS ? left : NC_MAX_WAIT_MS), &perr);
        if (pf[1].revents & SOCK_POLL_IN)
            nc_drain_wake(nc);
    }
    nc_resolver_release(r);
    return found;
}

/* ---- connect ---- */

sock_t nc_connect(netclient *nc, uint32_t host_be, uint64_t deadline)
{
    char why[640];
    bool in_progress = false;
    int err = 0;
    sock_t fd = tcp_connect_start(host_be, SDL_SwapBE16(nc->cfg.port), &in_progress, &err);
    if (fd == SOCK_NONE) {
        nc_set_state_fault(nc, NETCLIENT_FAILED, tcp_connect_error_text(err, nc->target, why, sizeof why),
                           nc_connect_fault(err));
        return -1;
    }
    while (in_progress) {
        if (nc_stopping(nc)) {
            tcp_close(fd);
            return SOCK_NONE;
        }
        uint64_t now = SDL_GetTicks64();
        if (now >= deadline) {
            char secs[32];
            nc_format_seconds(nc->cfg.connect_timeout_ms, secs, sizeof secs);
            snprintf(why, sizeof why, "No answer from %s within %s.", nc->target, secs);
            nc_set_state_fault(nc, NETCLIENT_FAILED, why, NETCLIENT_FAULT_NO_ANSWER);
            tcp_close(fd);
            return SOCK_NONE;
        }
        uint64_t left = deadline - now;
        sock_pollfd pf[2] = {{.s = fd, .events = SOCK_POLL_OUT}, {.s = nc->wake.rd, .events = SOCK_POLL_IN}};
        int perr;
        int n = sock_poll(pf, 2, (int)(left < NC_MAX_WAIT_MS ? left : NC_MAX_WAIT_MS), &perr);
        if (n < 0 && perr != SOCK_ERR_INTR) {
            snprintf(why, sizeof why, "Could not connect to %s (%s).", nc->target, tcp_strerror(perr));
            nc_set_state(nc, NETCLIENT_FAILED, why);
            tcp_close(fd);
            return SOCK_NONE;
        }
        if (pf[1].revents & SOCK_POLL_IN)
            nc_drain_wake(nc);
        if (pf[0].revents & (SOCK_POLL_OUT | SOCK_POLL_ERR | SOCK_POLL_HUP)) {
            err = tcp_connect_result(fd);
            if (err != 0) {
                nc_set_state_fault(nc, NETCLIENT_FAILED, tcp_connect_error_text(err, nc->target, why, sizeof why),
                                   nc_connect_fault(err));
                tcp_close(fd);
                return SOCK_NONE;
            }
            in_progress = false;
        }
    }
    return fd;
}

