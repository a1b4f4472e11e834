/*
 * test_mq: FIFO order, full and empty behaviour, and a producer and a
 * consumer on two threads moving 200,000 numbered items through a small
 * queue, so it is full and empty many times, with none lost or repeated.
 */
#define SDL_MAIN_HANDLED /* plain main(); no SDL_main on any platform */
#include <stdatomic.h>
#include <SDL.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mq.h"

typedef struct {
    uint32_t seq;
    uint32_t check; /* derived from seq, to catch torn copies */
    char pad[24];   /* items are larger than a word */
} item;

static item item_make(uint32_t seq)
{
    item it;
    memset(&it, 0, sizeof it);
    it.seq = seq;
    it.check = seq * 2654435761u ^ 0xA5A5A5A5u;
    memset(it.pad, (int)(seq & 0x7F), sizeof it.pad);
    return it;
}

static bool item_ok(const item *it)
{
    item want = item_make(it->seq);
    return memcmp(it, &want, sizeof want) == 0;
}

static void test_fifo(void)
{
    CHECK(mq_create(0, 4) == NULL);
    CHECK(mq_create(sizeof(item), 0) == NULL);
    CHECK(mq_create(SIZE_MAX / 2, 4) == NULL); /* size overflow */
    mq_destroy(NULL);

    mq *q = mq_create(sizeof(item), 4);
    CHECK(q != NULL);
    if (!q)
        return;
    item it;
    CHECK(mq_count(q) == 0);
    CHECK(!mq_pop(q, &it));
    for (uint32_t i = 0; i < 4; i++) {
        it = item_make(i);
        CHECK(mq_push(q, &it));
    }
    CHECK(mq_count(q) == 4);
    it = item_make(99);
    CHECK(!mq_push(q, &it)); /* full */
    CHECK(mq_count(q) == 4);
    for (uint32_t i = 0; i < 4; i++)
        CHECK(mq_pop(q, &it) && it.seq == i && item_ok(&it));
    CHECK(!mq_pop(q, &it)); /* empty */
    CHECK(mq_count(q) == 0);

    /* Wrap around the ring many times with varying fill. */
    uint32_t in = 0, out = 0;
    int bad = 0;
    for (int round = 0; round < 1000; round++) {
        int pushes = round % 5, pops = (round * 7) % 5;
        for (int k = 0; k < pushes; k++) {
            it = item_make(in);
            if (mq_push(q, &it))
                in++;
        }
        for (int k = 0; k < pops; k++)
            if (mq_pop(q, &it)) {
                if (it.seq != out || !item_ok(&it))
                    bad++;
                out++;
            }
        if (mq_count(q) != in - out)
            bad++;
    }
    CHECK(bad == 0 && in > 1000);
    mq_destroy(q);
}

enum { ITEMS = 200000, QUEUE_CAP = 64 };

typedef struct {
    mq *q;
    uint32_t full_spins; /* times the producer found the queue full */
    atomic_int stop;   /* the consumer gave up: the producer must too */
} producer_arg;

/* Each side yields its core when it must wait, so on a busy machine the
 * other side (and everything else) gets to run. */
static int producer(void *p)
{
    producer_arg *a = p;
    for (uint32_t i = 0; i < ITEMS; i++) {
        item it = item_make(i);
        while (!mq_push(a->q, &it)) {
            a->full_spins++;
            if (atomic_load(&a->stop))
                return 0;
            SDL_Delay(0);
        }
    }
    return 0;
}

static void test_threads(void)
{
    mq *q = mq_create(sizeof(item), QUEUE_CAP);
    CHECK(q != NULL);
    if (!q)
        return;
    producer_arg arg = {q, 0, 0};
    SDL_Thread *t = SDL_CreateThread(producer, "mq-producer", &arg);
    CHECK(t != NULL);
    if (!t) {
        mq_destroy(q);
        return;
    }
    uint32_t next = 0, empty_spins = 0;
    int out_of_order = 0, torn = 0;
    /* A bug must fail, not hang; the bound is generous for a busy machine. */
    Uint64 deadline = SDL_GetTicks64() + 90000;
    while (next < ITEMS && SDL_GetTicks64() < deadline) {
        item it;
        if (!mq_pop(q, &it)) {
            empty_spins++;
            SDL_Delay(0);
            continue;
        }
        if (it.seq != next)
            out_of_order++;
        if (!item_ok(&it))
            torn++;
        next = it.seq + 1;
    }
    atomic_store(&arg.stop, 1);
    SDL_WaitThread(t, NULL);
    item extra;
    CHECK_MSG(next == ITEMS, "received up to %u of %u", next, ITEMS);
    CHECK(out_of_order == 0 && torn == 0);
    CHECK(!mq_pop(q, &extra)); /* nothing duplicated at the end */
    printf("threads: %u items, %d out of order, %d torn, queue full %u times, empty %u times\n",
           next, out_of_order, torn, arg.full_spins, empty_spins);
    mq_destroy(q);
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    test_fifo();
    test_threads();
    return check_done("mq");
}
