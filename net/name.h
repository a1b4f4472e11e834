/*
 * name: what makes two player names the same name.
 *
 * name_normalise is the form a name is kept and shown in: characters that
 * print nothing are removed (zero-width spaces and joiners, the byte order
 * mark, bidi controls, soft hyphens, variation selectors, fillers, tags,
 * control characters), every kind of space becomes one ASCII space, runs
 * of spaces become one, and the ends are trimmed. So "Ann", " Ann ",
 * "An\u200Bn" and "\u202EAnn" are all "Ann".
 *
 * name_fold is the key names are compared by: the normalised name with
 * letters case-folded (Latin, Latin-1, Greek, Cyrillic, full-width forms)
 * and common lookalikes mapped to the Latin letter they imitate (Cyrillic
 * "А" and Greek "Α" are Latin "a"; "0" is "o", "1" is "l"). Two names with
 * the same fold look alike on screen, so a game allows only one of them.
 * The fold is a comparison key, never shown.
 *
 * Pure functions over bytes; input must be valid UTF-8 (proto_name_valid).
 * Threading contract: none needed; no state.
 */
#ifndef LANARENA_NAME_H
#define LANARENA_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the normalised name and a NUL to out. Returns its length: 0 when
 * nothing printable is left, the input is not UTF-8, or it does not fit
 * in cap - 1 bytes (never longer than len). */
size_t name_normalise(const char *in, size_t len, char *out, size_t cap);
/* Writes the comparison key of the name (normalised first) and a NUL.
 * Returns its length, 0 as name_normalise. */
size_t name_fold(const char *in, size_t len, char *out, size_t cap);
/* Whether two names would look alike: equal non-empty folds. */
bool name_alike(const char *a, const char *b);

#endif
