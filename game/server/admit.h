/*
 * admit: what the host remembers about each source address that asks to
 * join, so that no one address can turn joins into a flood of
 * announcements to every player, or guess the password quickly.
 *
 *   joins      A token bucket per address: ADMIT_JOIN_BURST joins at once,
 *              then one every ADMIT_JOIN_EVERY_MS. A HELLO that finds the
 *              bucket empty is not refused: the server holds it until a
 *              token is due (admit_wait says how long).
 *   passwords  After a wrong password the address's next HELLO is not even
 *              looked at for ADMIT_BACKOFF_FIRST_MS, doubling with every
 *              wrong one in a row up to ADMIT_BACKOFF_MAX_MS. A right one
 *              clears it.
 *   the log    Wrong passwords are counted per address and reported at
 *              most once per ADMIT_LOG_EVERY_MS (admit_password_failed
 *              says when), not once per guess.
 *
 * The table holds ADMIT_ADDRS addresses; when it is full the one seen
 * longest ago is forgotten. Pure: no sockets, time is passed in.
 *
 * Threading contract: one table per server, used on the server thread.
 */
#ifndef LANARENA_ADMIT_H
#define LANARENA_ADMIT_H

#include <stdbool.h>
#include <stdint.h>

#define ADMIT_ADDRS 256
#define ADMIT_ADDR_TEXT 24
#define ADMIT_JOIN_BURST 6
#define ADMIT_JOIN_EVERY_MS 500
#define ADMIT_BACKOFF_FIRST_MS 250
#define ADMIT_BACKOFF_MAX_MS 2000
#define ADMIT_LOG_EVERY_MS 10000

typedef struct {
    bool used;
    char addr[ADMIT_ADDR_TEXT];
    uint64_t seen_ms;
    uint64_t join_tat_ms;      /* join bucket as a virtual schedule (GCRA) */
    int fails;                 /* wrong passwords in a row */
    uint64_t locked_until_ms;  /* no password looked at before this */
    uint64_t next_log_ms;      /* the next summary line may go out then */
    uint32_t unlogged;         /* wrong passwords since the last line */
} admit_entry;

typedef struct {
    admit_entry e[ADMIT_ADDRS];
} admit_table;

void admit_init(admit_table *t);
/* Milliseconds before a HELLO from addr may be decided: 0 now. joins:
 * the join rate applies (not to a trusted address); password: the game
 * has one, so a wrong password's backoff applies. */
uint64_t admit_wait(admit_table *t, const char *addr, bool joins, bool password, uint64_t now_ms);
/* A join from addr was accepted: takes one token from its bucket. */
void admit_joined(admit_table *t, const char *addr, uint64_t now_ms);
/* A wrong password from addr: starts or doubles its backoff. True when a
 * summary line is due; *count then holds the wrong passwords since the
 * last one (this one included) and *backoff_ms the wait now imposed. */
bool admit_password_failed(admit_table *t, const char *addr, uint64_t now_ms, uint32_t *count, uint64_t *backoff_ms);
/* A right password from addr: no more backoff. */
void admit_password_ok(admit_table *t, const char *addr);

#endif
