#include "name.h"

#include <stdint.h>
#include <string.h>

#define NAME_KEY_MAX 256

/* One code point from s (len bytes left): its length, 0 if not UTF-8
 * (overlong, surrogate, past U+10FFFF, cut short). */
static size_t name_utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    uint8_t b = s[0];
    size_t n;
    uint32_t min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if ((b & 0xE0) == 0xC0) {
        n = 2, min = 0x80, *cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        n = 3, min = 0x800, *cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, *cp = b & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

static size_t name_utf8_put(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Prints nothing: format characters, fillers, controls. */
static bool name_invisible(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x00AD || cp == 0x034F || cp == 0x061C ||
           cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
           cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 ||
           (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

static bool name_space(uint32_t cp)
{
    return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

size_t name_normalise(const char *in, size_t len, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    out[0] = '\0';
    if (!in)
        return 0;
    const uint8_t *s = (const uint8_t *)in;
    size_t n = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = name_utf8_next(s + i, len - i, &cp);
        if (k == 0) {
            out[0] = '\0';
            return 0;
        }
        i += k;
        if (name_invisible(cp))
            continue;
        if (name_space(cp)) {
            pending_space = n > 0; /* leading spaces vanish; inner runs become one */
            continue;
        }
        uint8_t buf[5];
        size_t w = name_utf8_put(cp, buf);
        if (n + pending_space + w + 1 > cap) {
            out[0] = '\0';
            return 0;
        }
        if (pending_space)
            out[n++] = ' ';
        pending_space = false;
        memcpy(out + n, buf, w);
        n += w;
    }
    out[n] = '\0'; /* trailing spaces were never written */
    return n;
}

/* Lower case, for the scripts whose letters have lookalikes. */
static uint32_t name_lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 32;
    if (cp == 0x3C2)
        return 0x3C3; /* final sigma */
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    if (cp == 0x4C0)
        return 0x4CF;
    if (cp >= 0xFF21 && cp <= 0xFF3A)
        return cp - 0xFF21 + 'a';
    if (cp >= 0xFF41 && cp <= 0xFF5A)
        return cp - 0xFF41 + 'a';
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return cp - 0xFF10 + '0';
    return cp;
}

/* A lower-case letter that imitates a Latin one, mapped to it. */
static uint32_t name_unconfuse(uint32_t cp)
{
    static const struct {
        uint16_t from;
        char to;
    } map[] = {
        /* Cyrillic */
        {0x430, 'a'}, {0x432, 'b'}, {0x435, 'e'}, {0x451, 'e'}, {0x43A, 'k'}, {0x43C, 'm'}, {0x43D, 'h'},
        {0x43E, 'o'}, {0x440, 'p'}, {0x441, 'c'}, {0x442, 't'}, {0x443, 'y'}, {0x445, 'x'}, {0x455, 's'},
        {0x456, 'i'}, {0x457, 'i'}, {0x458, 'j'}, {0x4BB, 'h'}, {0x4CF, 'l'}, {0x501, 'd'}, {0x51B, 'q'},
        {0x51D, 'w'},
        /* Greek */
        {0x3B1, 'a'}, {0x3B2, 'b'}, {0x3B5, 'e'}, {0x3B6, 'z'}, {0x3B7, 'h'}, {0x3B9, 'i'}, {0x3BA, 'k'},
        {0x3BC, 'm'}, {0x3BD, 'n'}, {0x3BF, 'o'}, {0x3C1, 'p'}, {0x3C4, 't'}, {0x3C5, 'y'}, {0x3C7, 'x'},
        {0x3F2, 'c'},
        /* Latin and digits */
        {0x131, 'i'}, {'0', 'o'}, {'1', 'l'},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].from == cp)
            return (uint32_t)(unsigned char)map[i].to;
    return cp;
}

size_t name_fold(const char *in, size_t len, char *out, size_t cap)
{
    char norm[NAME_KEY_MAX];
    size_t n = name_normalise(in, len, norm, sizeof norm);
    if (!out || cap == 0)
        return 0;
    out[0] = '\0';
    if (n == 0)
        return 0;
    const uint8_t *s = (const uint8_t *)norm;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += name_utf8_next(s + i, n - i, &cp); /* norm is valid UTF-8 */
        uint8_t buf[5];
        size_t k = name_utf8_put(name_unconfuse(name_lower(cp)), buf);
        if (w + k + 1 > cap) {
            out[0] = '\0';
            return 0;
        }
        memcpy(out + w, buf, k);
        w += k;
    }
    out[w] = '\0';
    return w;
}

bool name_alike(const char *a, const char *b)
{
    char fa[NAME_KEY_MAX], fb[NAME_KEY_MAX];
    size_t na = name_fold(a, a ? strlen(a) : 0, fa, sizeof fa);
    size_t nb = name_fold(b, b ? strlen(b) : 0, fb, sizeof fb);
    return na > 0 && na == nb && memcmp(fa, fb, na) == 0;
}
