/*
 * mq: a ring buffer of fixed-size items behind one SDL_mutex.
 *
 * The ring is allocated once, in mq_create, together with the header, so
 * push and pop never allocate and never fail for any reason but full or
 * empty. A mutex rather than lock-free indices: items are copied under it
 * (one memcpy of item_size), it is safe for any number of producers and
 * consumers, and at a few thousand messages a second it costs nothing.
 */
#include "mq.h"

#include <SDL.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct mq {
    SDL_mutex *lock;
    size_t item_size;
    size_t capacity; /* items */
    size_t head;     /* index of the oldest item */
    size_t count;    /* items queued */
    unsigned char *items; /* capacity * item_size bytes, right after the header */
};

mq *mq_create(size_t item_size, size_t capacity)
{
    if (item_size == 0 || capacity == 0 || capacity > (SIZE_MAX - sizeof(mq)) / item_size)
        return NULL;
    mq *q = malloc(sizeof *q + item_size * capacity);
    if (!q)
        return NULL;
    q->lock = SDL_CreateMutex();
    if (!q->lock) {
        free(q);
        return NULL;
    }
    q->item_size = item_size;
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
    q->items = (unsigned char *)(q + 1);
    return q;
}

void mq_destroy(mq *q)
{
    if (!q)
        return;
    SDL_DestroyMutex(q->lock);
    free(q);
}

bool mq_push(mq *q, const void *item)
{
    bool ok = false;
    SDL_LockMutex(q->lock);
    if (q->count < q->capacity) {
        size_t tail = (q->head + q->count) % q->capacity;
        memcpy(q->items + tail * q->item_size, item, q->item_size);
        q->count++;
        ok = true;
    }
    SDL_UnlockMutex(q->lock);
    return ok;
}

bool mq_pop(mq *q, void *item)
{
    bool ok = false;
    SDL_LockMutex(q->lock);
    if (q->count > 0) {
        memcpy(item, q->items + q->head * q->item_size, q->item_size);
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        ok = true;
    }
    SDL_UnlockMutex(q->lock);
    return ok;
}

size_t mq_count(mq *q)
{
    SDL_LockMutex(q->lock);
    size_t n = q->count;
    SDL_UnlockMutex(q->lock);
    return n;
}
