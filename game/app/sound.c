#include "sound.h"

#include <SDL.h>
#include <math.h>
#include <stdlib.h>

#include "log.h"

#define SOUND_PI 3.14159265f

typedef struct {
    bool on;
    sound_id id;
    int n; /* next sample */
} sound_voice;

struct sound {
    SDL_AudioDeviceID dev;
    sound_voice voices[SOUND_VOICES];
    int next_voice;
    float gain; /* 0..1, set from the volume */
    uint32_t played[SOUND_COUNT];
};

int sound_length(sound_id id)
{
    static const int ms[SOUND_COUNT] = {
        [SOUND_PICKUP] = 160, [SOUND_DASH] = 180,        [SOUND_HIT] = 220,
        [SOUND_COUNTDOWN] = 120, [SOUND_ROUND_START] = 450, [SOUND_ROUND_END] = 600,
        [SOUND_JOIN] = 220,   [SOUND_LEAVE] = 220,       [SOUND_CHAT] = 60,
    };
    return (unsigned)id < SOUND_COUNT ? ms[id] * SOUND_RATE / 1000 : 0;
}

/* Deterministic white noise in -1..1. */
static float sound_noise(int n)
{
    uint32_t x = (uint32_t)n * 2654435761u;
    x ^= x >> 15;
    x *= 2246822519u;
    x ^= x >> 13;
    return (float)(x & 0xFFFF) / 32767.5f - 1.0f;
}

static float sound_sine(float hz, int n)
{
    return sinf(2.0f * SOUND_PI * hz * (float)n / SOUND_RATE);
}

/* Square wave softened to keep it from buzzing. */
static float sound_square(float hz, int n)
{
    return sound_sine(hz, n) > 0 ? 0.6f : -0.6f;
}

/* Attack of 3 ms, then a linear fade to the end: no clicks. */
static float sound_env(int n, int len)
{
    int attack = SOUND_RATE * 3 / 1000;
    float a = n < attack ? (float)n / (float)attack : 1.0f;
    return a * (1.0f - (float)n / (float)len);
}

/* Notes in sequence: which note sample n is in, and its start. */
static float sound_notes(const float *hz, int count, int n, int len)
{
    int part = len / count, k = n / part < count ? n / part : count - 1;
    return sound_sine(hz[k], n) * sound_env(n - k * part, part);
}

float sound_sample(sound_id id, int n)
{
    int len = sound_length(id);
    if (n < 0 || n >= len)
        return 0.0f;
    float e = sound_env(n, len);
    switch (id) {
    case SOUND_PICKUP: {
        static const float hz[2] = {988.0f, 1319.0f}; /* B5, E6 */
        return 0.5f * sound_notes(hz, 2, n, len);
    }
    case SOUND_DASH: {
        /* Noise through a one-pole low pass whose cutoff falls. */
        float y = 0.0f, k = 0.0f;
        for (int i = n > 64 ? n - 64 : 0; i <= n; i++) {
            k = 0.35f * (1.0f - (float)i / (float)len) + 0.02f;
            y += k * (sound_noise(i) - y);
        }
        return 0.9f * y * e;
    }
    case SOUND_HIT:
        return (0.6f * sound_square(110.0f - 50.0f * (float)n / (float)len, n) +
                (n < SOUND_RATE / 50 ? 0.4f * sound_noise(n) : 0.0f)) * e;
    case SOUND_COUNTDOWN:
        return 0.45f * sound_sine(660.0f, n) * e;
    case SOUND_ROUND_START:
        return 0.45f * sound_sine(1320.0f, n) * e;
    case SOUND_ROUND_END: {
        static const float hz[3] = {784.0f, 659.0f, 523.0f}; /* G5 E5 C5 */
        return 0.45f * sound_notes(hz, 3, n, len);
    }
    case SOUND_JOIN: {
        static const float hz[2] = {523.0f, 784.0f};
        return 0.35f * sound_notes(hz, 2, n, len);
    }
    case SOUND_LEAVE: {
        static const float hz[2] = {784.0f, 523.0f};
        return 0.35f * sound_notes(hz, 2, n, len);
    }
    case SOUND_CHAT:
        return 0.3f * sound_sine(1600.0f, n) * e;
    default:
        return 0.0f;
    }
}

/* SDL's audio thread: mix the live voices into 16-bit mono. */
static void sound_mix(void *user, Uint8 *stream, int bytes)
{
    sound *s = user;
    int16_t *out = (int16_t *)stream;
    int count = bytes / (int)sizeof(int16_t);
    for (int i = 0; i < count; i++) {
        float v = 0.0f;
        for (int k = 0; k < SOUND_VOICES; k++) {
            sound_voice *voice = &s->voices[k];
            if (!voice->on)
                continue;
            v += sound_sample(voice->id, voice->n);
            if (++voice->n >= sound_length(voice->id))
                voice->on = false;
        }
        v *= s->gain;
        v = v > 1.0f ? 1.0f : v < -1.0f ? -1.0f : v;
        out[i] = (int16_t)(v * 32000.0f);
    }
}

sound *sound_open(int volume)
{
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        log_warn("sound is off: %s", SDL_GetError());
        return NULL;
    }
    sound *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    SDL_AudioSpec want = {0}, got;
    want.freq = SOUND_RATE;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 512; /* ~12 ms: a pickup is heard on the frame it shows */
    want.callback = sound_mix;
    want.userdata = s;
    s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &got, 0);
    if (s->dev == 0) {
        log_warn("sound is off: no audio device (%s)", SDL_GetError());
        free(s);
        return NULL;
    }
    sound_set_volume(s, volume);
    SDL_PauseAudioDevice(s->dev, 0);
    log_info("sound: %s at %d Hz", SDL_GetCurrentAudioDriver(), got.freq);
    return s;
}

void sound_play(sound *s, sound_id id)
{
    if (!s || (unsigned)id >= SOUND_COUNT)
        return;
    SDL_LockAudioDevice(s->dev);
    int slot = -1;
    for (int k = 0; k < SOUND_VOICES && slot < 0; k++)
        if (!s->voices[k].on)
            slot = k;
    if (slot < 0) {
        slot = s->next_voice;
        s->next_voice = (s->next_voice + 1) % SOUND_VOICES;
    }
    s->voices[slot] = (sound_voice){.on = true, .id = id, .n = 0};
    SDL_UnlockAudioDevice(s->dev);
    s->played[id]++;
}

uint32_t sound_played(const sound *s, sound_id id)
{
    return s && (unsigned)id < SOUND_COUNT ? s->played[id] : 0;
}

void sound_set_volume(sound *s, int volume)
{
    if (!s)
        return;
    volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
    SDL_LockAudioDevice(s->dev);
    s->gain = (float)volume / 100.0f;
    SDL_UnlockAudioDevice(s->dev);
}

void sound_close(sound *s)
{
    if (!s)
        return;
    SDL_CloseAudioDevice(s->dev);
    free(s);
}
