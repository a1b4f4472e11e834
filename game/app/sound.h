/*
 * sound: the game's sounds, synthesised in code and played through SDL's
 * own audio device (no files, no extra library). A few short voices mix
 * in the audio callback; the main thread only starts them.
 *
 * The waveforms are a pure function (sound_sample) so tests can listen
 * without a device. A dedicated or headless server never calls
 * sound_open, so it opens no audio device.
 *
 * Threading contract: sound_open/play/set_volume/close on the main thread;
 * SDL's audio thread runs the mixer, and every change to the voices is
 * made under SDL_LockAudioDevice.
 */
#ifndef LANARENA_SOUND_H
#define LANARENA_SOUND_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SOUND_PICKUP = 0, /* two rising blips */
    SOUND_DASH,       /* a falling noise whoosh */
    SOUND_HIT,        /* a low thump with a crack */
    SOUND_COUNTDOWN,  /* a short beep per second before a round */
    SOUND_ROUND_START,/* a long high beep */
    SOUND_ROUND_END,  /* three falling notes */
    SOUND_JOIN,       /* two rising notes */
    SOUND_LEAVE,      /* two falling notes */
    SOUND_CHAT,       /* a soft tick */
    SOUND_COUNT
} sound_id;

#define SOUND_RATE 44100
#define SOUND_VOICES 12

/* Length of a sound in samples at SOUND_RATE. */
int sound_length(sound_id id);
/* Sample n (0 <= n < sound_length) of a sound, in -1..1. Pure; the noise
 * is a hash of n, so every call gives the same value. */
float sound_sample(sound_id id, int n);

typedef struct sound sound;

/* Opens the default output device. NULL (and a logged reason) when there
 * is no audio: the game plays on silently. volume 0..100. */
sound *sound_open(int volume);
/* Starts a sound; the oldest voice gives way when all are busy. s may be
 * NULL (no audio). */
void sound_play(sound *s, sound_id id);
void sound_set_volume(sound *s, int volume);
/* How many times id was started since sound_open (0 for a NULL s). */
uint32_t sound_played(const sound *s, sound_id id);
void sound_close(sound *s);

#endif
