/*
 * test_sound: every sound is audible, bounded and ends; the mixer plays
 * through SDL's disk driver into a file (no speakers needed), and a game
 * without sound_open writes nothing.
 */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>

#include "check.h"
#include "sound.h"

static void test_waveforms(void)
{
    for (int id = 0; id < SOUND_COUNT; id++) {
        int len = sound_length((sound_id)id);
        CHECK_MSG(len > SOUND_RATE / 50 && len < SOUND_RATE, "sound %d lasts %d samples", id, len);
        double energy = 0;
        float peak = 0;
        int out_of_range = 0;
        for (int n = 0; n < len; n++) {
            float v = sound_sample((sound_id)id, n);
            energy += (double)v * v;
            peak = fabsf(v) > peak ? fabsf(v) : peak;
            out_of_range += v < -1.0f || v > 1.0f;
        }
        CHECK_MSG(out_of_range == 0, "sound %d leaves -1..1", id);
        CHECK_MSG(peak > 0.1f, "sound %d peaks at %.3f", id, peak);
        CHECK_MSG(sqrt(energy / len) > 0.02, "sound %d is too quiet", id);
        /* No click at either end, nothing after the end. */
        CHECK(fabsf(sound_sample((sound_id)id, 0)) < 0.05f);
        CHECK(fabsf(sound_sample((sound_id)id, len - 1)) < 0.05f);
        CHECK(sound_sample((sound_id)id, len) == 0.0f && sound_sample((sound_id)id, -1) == 0.0f);
        /* Pure: the same sample twice. */
        CHECK(sound_sample((sound_id)id, len / 3) == sound_sample((sound_id)id, len / 3));
    }
    CHECK(sound_length(SOUND_COUNT) == 0);
}

/* Peak of 16-bit samples in a raw file. */
static int test_file_peak(const char *path, long *bytes)
{
    FILE *f = fopen(path, "rb");
    *bytes = 0;
    if (!f)
        return -1;
    int peak = 0;
    int16_t buf[4096];
    size_t n;
    while ((n = fread(buf, sizeof buf[0], 4096, f)) > 0) {
        *bytes += (long)(n * sizeof buf[0]);
        for (size_t i = 0; i < n; i++)
            peak = abs(buf[i]) > peak ? abs(buf[i]) : peak;
    }
    fclose(f);
    return peak;
}

static void test_disk_device(void)
{
    const char *out = getenv("LANARENA_TEST_OUT");
    if (out && *out)
        mkdir(out, 0755); /* this test may be the first to write there */
    char path[1024];
    snprintf(path, sizeof path, "%s/test_sound.raw", out && *out ? out : ".");
    remove(path);
    SDL_setenv("SDL_AUDIODRIVER", "disk", 1);
    SDL_setenv("SDL_DISKAUDIOFILE", path, 1);
    SDL_setenv("SDL_DISKAUDIODELAY", "0", 1);
    if (SDL_Init(0) != 0)
        return;
    sound *s = sound_open(100);
    CHECK_MSG(s != NULL, "no disk audio device: %s", SDL_GetError());
    if (!s)
        return;
    /* Silence first: nothing plays until asked. */
    SDL_Delay(100);
    sound_set_volume(s, 100);
    sound_play(s, SOUND_PICKUP);
    CHECK(sound_played(s, SOUND_PICKUP) == 1 && sound_played(s, SOUND_HIT) == 0);
    SDL_Delay(400);
    sound_close(s);
    long bytes;
    int peak = test_file_peak(path, &bytes);
    CHECK_MSG(bytes > 0 && peak > 2000, "disk file: %ld bytes, peak %d", bytes, peak);

    /* Muted: the same pickup writes only silence. */
    remove(path);
    s = sound_open(0);
    if (s) {
        sound_play(s, SOUND_PICKUP);
        SDL_Delay(300);
        sound_close(s);
        peak = test_file_peak(path, &bytes);
        CHECK_MSG(bytes > 0 && peak == 0, "muted: %ld bytes, peak %d", bytes, peak);
    }
    /* No audio at all: playing is a no-op. */
    sound_play(NULL, SOUND_PICKUP);
    CHECK(sound_played(NULL, SOUND_PICKUP) == 0);
    SDL_Quit();
}

int main(void)
{
    test_waveforms();
    test_disk_device();
    return check_done("sound");
}
