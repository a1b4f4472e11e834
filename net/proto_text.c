/*
 * proto_text: the protocol's words, not its bytes. Sentences a player can
 * read for every error, refusal and goodbye; the server's policy for names
 * and chat (valid UTF-8, no control characters, not blank); and
 * constructors for the common small messages. The codec is in proto.c.
 *
 * Pure and thread-safe: no allocation, no shared state.
 */
#include "proto.h"

#include <string.h>

#define PROTO_STR_(x) #x
#define PROTO_STR(x) PROTO_STR_(x)

/* ---- text ---- */

const char *proto_error_text(proto_error e)
{
    switch (e) {
    case PROTO_OK:
        return "no error";
    case PROTO_ERR_EMPTY:
        return "empty message";
    case PROTO_ERR_UNKNOWN:
        return "unknown message type";
    case PROTO_ERR_TRUNCATED:
        return "message shorter than its fields";
    case PROTO_ERR_TRAILING:
        return "unexpected bytes after the last field";
    case PROTO_ERR_FIELD:
        return "a field is out of its allowed range";
    case PROTO_ERR_NO_ROOM:
        return "output buffer too small";
    }
    return "unknown error";
}

const char *proto_reject_text(uint8_t reason)
{
    switch (reason) {
    case PROTO_REJECT_VERSION:
        return "The host is running a different version of LAN Arena.";
    case PROTO_REJECT_FULL:
        return "The server is full.";
    case PROTO_REJECT_NAME:
        return "That name can't be used. A name must not be blank, must fit in "
               PROTO_STR(PROTO_NAME_MAX) " bytes and must not contain control characters.";
    case PROTO_REJECT_NAME_TAKEN:
        return "Someone in this game is already using that name.";
    case PROTO_REJECT_BAD_MAGIC:
        return "The host did not recognise this program as LAN Arena.";
    case PROTO_REJECT_PASSWORD:
        return "This game has a password, and the password given was wrong or missing.";
    }
    return "The host refused the connection for an unknown reason.";
}

/* Read both by the player who was disconnected and by those told that
 * someone else left, so the sentences avoid "you". */
const char *proto_bye_text(uint8_t reason)
{
    switch (reason) {
    case PROTO_BYE_QUIT:
        return "The player left the game.";
    case PROTO_BYE_HOST_ENDED:
        return "The host ended the game.";
    case PROTO_BYE_TIMEOUT:
        return "The connection timed out.";
    case PROTO_BYE_PROTOCOL_ERROR:
        return "The connection was closed because a garbled message arrived.";
    case PROTO_BYE_TOO_SLOW:
        return "The connection was too slow to keep up with the game.";
    case PROTO_BYE_KICKED:
        return "The host removed the player for breaking a server limit.";
    case PROTO_BYE_CONNECTION_LOST:
        return "The connection was lost.";
    case PROTO_BYE_KICKED_BY_HOST:
        return "Kicked by the host.";
    }
    return "The connection was closed for an unknown reason.";
}

/* ---- names ---- */

/* Decodes one UTF-8 sequence from s (n bytes available) into *cp and
 * returns its length, or 0 if it is not well-formed: a stray continuation
 * byte, a short sequence, an overlong form, a surrogate, or > U+10FFFF. */
static size_t proto_utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t b = s[0];
    size_t len;
    uint32_t min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC0 && b <= 0xDF) {
        len = 2, min = 0x80, *cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, min = 0x800, *cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF7) {
        len = 4, min = 0x10000, *cp = b & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* Characters that draw nothing: Unicode's space separators plus the
 * zero-width ones, so "   " in any script is still a blank name. */
static bool proto_is_blank(uint32_t cp)
{
    return cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* 1..max bytes of valid UTF-8, no control characters, not only blanks. */
static bool proto_text_valid(const char *name, size_t len, size_t max)
{
    if (!name || len == 0 || len > max)
        return false;
    const uint8_t *s = (const uint8_t *)name;
    bool blank = true;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = proto_utf8_next(s + i, len - i, &cp);
        if (n == 0)
            return false;
        /* C0 (incl. NUL), DEL and C1 controls */
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return false;
        if (!proto_is_blank(cp))
            blank = false;
        i += n;
    }
    return !blank;
}

bool proto_name_valid(const char *name, size_t len)
{
    return proto_text_valid(name, len, PROTO_NAME_MAX);
}

bool proto_chat_valid(const char *text, size_t len)
{
    return proto_text_valid(text, len, PROTO_CHAT_MAX);
}

/* ---- constructors ---- */

proto_msg proto_make_hello(const char *name)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_HELLO;
    m.u.hello.magic = PROTO_MAGIC;
    m.u.hello.version = PROTO_VERSION;
    m.u.hello.colour = PROTO_COLOUR_ANY;
    size_t n = name ? strlen(name) : 0;
    if (n > PROTO_NAME_WIRE_MAX) {
        n = PROTO_NAME_WIRE_MAX;
        /* Cut before a character, not through one: back off over up to
         * three continuation bytes of the character the cut would split. */
        for (int k = 0; k < 3 && n > 0 && ((uint8_t)name[n] & 0xC0) == 0x80; k++)
            n--;
    }
    if (n > 0)
        memcpy(m.u.hello.name, name, n);
    m.u.hello.name[n] = '\0';
    m.u.hello.name_len = (uint8_t)n;
    return m;
}

proto_msg proto_make_goodbye(uint8_t reason)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_GOODBYE;
    m.u.goodbye.reason = reason;
    return m;
}

proto_msg proto_make_reject(uint8_t reason)
{
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_REJECT;
    m.u.reject.reason = reason;
    m.u.reject.server_version = PROTO_VERSION;
    return m;
}
