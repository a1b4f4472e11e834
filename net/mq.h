/*
 * mq: a bounded, thread-safe FIFO of fixed-size items: how a client's
 * network thread and its owner exchange messages (netclient's inbox and
 * outbox). Messages between threads go through queues; what is shared
 * otherwise is state read under a lock (the server's stats and world copy,
 * the discovery responder's game name and player count). One producer and
 * one consumer are the normal use; any number is safe. Push never blocks:
 * when full it fails and the producer decides (usually: drop the
 * connection).
 *
 * Threading contract: every function may be called from any thread.
 */
#ifndef LANARENA_MQ_H
#define LANARENA_MQ_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mq mq;

mq *mq_create(size_t item_size, size_t capacity);
void mq_destroy(mq *q);
bool mq_push(mq *q, const void *item); /* false when full */
bool mq_pop(mq *q, void *item);        /* false when empty */
size_t mq_count(mq *q);

#endif
