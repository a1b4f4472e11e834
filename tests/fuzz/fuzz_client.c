/*
 * libFuzzer target: a client (game/client) fed whatever a hostile host
 * might send, through client_feed, the path every message a real client
 * receives takes, with prediction and interpolation on; and frames of the
 * game (client_update with buttons, then the drawing side's netcode
 * figures) with time moving on, as the main loop runs them.
 *
 * Input: records until the end.
 *   op < 0xC0:  a message: len: u16 (big-endian), then len bytes, one
 *               frame's payload; proto_decode reads it as the connection
 *               would (one it cannot decode would drop the connection, so
 *               it is skipped here)
 *   op >= 0xC0: a frame: (op & 0x3F) ms pass, then buttons: u8, then
 *               client_update
 * After the input: 8 frames of 16 ms, a 2 s silence (a stall), 4 more.
 *
 * Invariants: once failed, the client stays failed with its first reason,
 * a sentence (never empty); the view stays in range (my_id, gem_count,
 * names terminated); every drawn position and netcode figure is finite;
 * chat reaches the screen terminated and free of control characters.
 * Hangs (a replay of billions of inputs) are libFuzzer's -timeout.
 */
#include <math.h>
#include <string.h>

#include "client.h"
#include "fuzz.h"
#include "proto.h"

#ifndef FUZZ_CLIENT_ENTRY
#define FUZZ_CLIENT_ENTRY LLVMFuzzerTestOneInput
#endif

typedef struct {
    client *c;
    uint64_t now;
    bool failed;
    char why[200];
} fuzz_client_run;

/* After every message: the phase and its reason. */
static void fuzz_client_check_phase(fuzz_client_run *r)
{
    char why[200];
    client_phase ph = client_get_phase(r->c, why, sizeof why);
    FUZZ_ASSERT(ph >= CLIENT_CONNECTING && ph <= CLIENT_ENDED);
    if (r->failed) {
        FUZZ_ASSERT(ph == CLIENT_FAILED);
        FUZZ_ASSERT(strcmp(why, r->why) == 0);
    } else if (ph == CLIENT_FAILED) {
        FUZZ_ASSERT(why[0] != '\0');
        r->failed = true;
        memcpy(r->why, why, sizeof why);
    }
}

/* After every frame: the whole view too. */
static void fuzz_client_check(fuzz_client_run *r)
{
    fuzz_client_check_phase(r);
    const client_view *v = client_get_view(r->c);
    FUZZ_ASSERT(v->my_id >= -1 && v->my_id < SIM_MAX_PLAYERS);
    FUZZ_ASSERT(v->gem_count >= 0 && v->gem_count <= SIM_MAX_GEMS);
    for (int i = 0; i < SIM_MAX_PLAYERS; i++) {
        const client_player *p = &v->players[i];
        FUZZ_ASSERT(memchr(p->name, '\0', sizeof p->name) != NULL);
        if (p->seen || p->present) {
            FUZZ_ASSERT(isfinite(p->draw_x) && isfinite(p->draw_y));
        }
    }
    client_chat ch;
    while (client_next_chat(r->c, &ch)) {
        FUZZ_ASSERT(memchr(ch.text, '\0', sizeof ch.text) != NULL);
        FUZZ_ASSERT(memchr(ch.name, '\0', sizeof ch.name) != NULL);
        for (const char *t = ch.text; *t; t++)
            FUZZ_ASSERT((unsigned char)*t >= 0x20 && *t != 0x7F);
        FUZZ_ASSERT(ch.from >= -1 && ch.from < SIM_MAX_PLAYERS);
    }
}

static void fuzz_client_frame(fuzz_client_run *r, uint64_t dt_us, uint8_t buttons)
{
    r->now += dt_us;
    client_update(r->c, r->now, buttons);
    client_netinfo ni = client_take_netinfo(r->c);
    FUZZ_ASSERT(isfinite(ni.interp_delay_ms) && isfinite(ni.jitter_ms) && isfinite(ni.correction_px));
    FUZZ_ASSERT(isfinite(ni.server_tick) && isfinite(ni.render_tick));
    client_stats st = client_get_stats(r->c);
    FUZZ_ASSERT(isfinite(st.snapshot_hz) && isfinite(st.interp_delay_ms) && isfinite(st.pred_corrections_per_s));
    FUZZ_ASSERT(st.players >= 0 && st.players <= SIM_MAX_PLAYERS);
    fuzz_client_check(r);
}

int FUZZ_CLIENT_ENTRY(const uint8_t *data, size_t size)
{
    fuzz_quiet_logs();
    static proto_msg m;
    fuzz_client_run r;
    memset(&r, 0, sizeof r);
    r.now = 5000000;
    r.c = client_create_detached(NULL, r.now);
    FUZZ_ASSERT(r.c != NULL);
    fuzz_src src = {data, size, 0};
    while (src.pos < src.len) {
        uint8_t op = fuzz_u8(&src);
        if (op >= 0xC0) {
            uint8_t buttons = fuzz_u8(&src);
            fuzz_client_frame(&r, (uint64_t)(op & 0x3F) * 1000, buttons);
            continue;
        }
        size_t len = fuzz_u16(&src);
        if (len > src.len - src.pos)
            len = src.len - src.pos;
        memset(&m, 0, sizeof m);
        if (len > 0 && proto_decode(src.data + src.pos, len, &m) == PROTO_OK) {
            client_feed(r.c, &m, r.now);
            fuzz_client_check_phase(&r);
        }
        src.pos += len;
    }
    for (int f = 0; f < 8; f++)
        fuzz_client_frame(&r, 16667, (uint8_t)f);
    fuzz_client_frame(&r, 2000000, 0);
    for (int f = 0; f < 4; f++)
        fuzz_client_frame(&r, 16667, SIM_BTN_RIGHT);
    client_destroy(r.c, PROTO_BYE_QUIT);
    return 0;
}
