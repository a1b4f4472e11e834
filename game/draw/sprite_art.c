#include "sprite_art.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SPRITE_ART_MAX_TOKENS 4

typedef struct {
    bool defined;
    uint8_t rgba[4];
} sprite_art_colour;

/* Walks the text one line at a time; line/len are the current line with
 * surrounding blanks and a CR (Windows line ends) trimmed off. */
typedef struct {
    const char *p, *end;
    int line_no;
    const char *line;
    size_t len;
} sprite_art_reader;

static void sprite_art_error(char *err, size_t err_cap, int line_no, const char *fmt, ...)
{
    if (!err || err_cap == 0)
        return;
    int n = snprintf(err, err_cap, "line %d: ", line_no);
    if (n < 0 || (size_t)n >= err_cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, err_cap - (size_t)n, fmt, ap);
    va_end(ap);
}

static bool sprite_art_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool sprite_art_next_line(sprite_art_reader *r)
{
    if (r->p >= r->end)
        return false;
    const char *start = r->p;
    const char *nl = memchr(start, '\n', (size_t)(r->end - start));
    const char *stop = nl ? nl : r->end;
    r->p = nl ? nl + 1 : r->end;
    r->line_no++;
    while (start < stop && sprite_art_is_blank(*start))
        start++;
    while (stop > start && sprite_art_is_blank(stop[-1]))
        stop--;
    r->line = start;
    r->len = (size_t)(stop - start);
    return true;
}

/* The next line that says something: blank and comment lines are skipped. */
static bool sprite_art_next_statement(sprite_art_reader *r)
{
    while (sprite_art_next_line(r)) {
        if (r->len > 0 && r->line[0] != '#')
            return true;
    }
    return false;
}

/* Splits the current line on blanks. Returns the token count, or
 * SPRITE_ART_MAX_TOKENS + 1 when there are more than fit. */
static int sprite_art_tokens(const sprite_art_reader *r, const char **tok, size_t *tok_len)
{
    int n = 0;
    size_t i = 0;
    while (i < r->len) {
        while (i < r->len && sprite_art_is_blank(r->line[i]))
            i++;
        if (i == r->len)
            break;
        if (n == SPRITE_ART_MAX_TOKENS)
            return n + 1;
        tok[n] = r->line + i;
        while (i < r->len && !sprite_art_is_blank(r->line[i]))
            i++;
        tok_len[n] = (size_t)(r->line + i - tok[n]);
        n++;
    }
    return n;
}

static bool sprite_art_token_is(const char *tok, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(tok, word, len) == 0;
}

static int sprite_art_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A printable, non-blank character other than '#' (which starts comments). */
static bool sprite_art_is_palette_char(char c)
{
    return c > ' ' && c <= '~' && c != '#';
}

static bool sprite_art_parse_colour(const sprite_art_reader *r, const char **tok, const size_t *tok_len,
                                    int ntok, sprite_art_colour *palette, char *err, size_t err_cap)
{
    if (ntok < 3 || ntok > 4) {
        sprite_art_error(err, err_cap, r->line_no,
                         "expected 'colour <c> transparent' or 'colour <c> #rrggbb tint|keep'");
        return false;
    }
    if (tok_len[1] != 1 || !sprite_art_is_palette_char(tok[1][0])) {
        sprite_art_error(err, err_cap, r->line_no,
                         "palette key '%.*s' must be one printable character other than '#'",
                         (int)tok_len[1], tok[1]);
        return false;
    }
    unsigned char key = (unsigned char)tok[1][0];
    if (palette[key].defined) {
        sprite_art_error(err, err_cap, r->line_no, "palette key '%c' is defined twice", key);
        return false;
    }
    uint8_t rgba[4] = {0, 0, 0, 0};
    if (ntok == 3) {
        if (!sprite_art_token_is(tok[2], tok_len[2], "transparent")) {
            sprite_art_error(err, err_cap, r->line_no,
                             "colour '%c' needs '#rrggbb tint', '#rrggbb keep' or 'transparent'", key);
            return false;
        }
    } else {
        bool hex_ok = tok_len[2] == 7 && tok[2][0] == '#';
        for (int i = 1; hex_ok && i < 7; i++)
            hex_ok = sprite_art_hex(tok[2][i]) >= 0;
        if (!hex_ok) {
            sprite_art_error(err, err_cap, r->line_no, "colour '%.*s' is not of the form #rrggbb",
                             (int)tok_len[2], tok[2]);
            return false;
        }
        for (int i = 0; i < 3; i++)
            rgba[i] = (uint8_t)(sprite_art_hex(tok[2][1 + 2 * i]) * 16 + sprite_art_hex(tok[2][2 + 2 * i]));
        if (sprite_art_token_is(tok[3], tok_len[3], "tint")) {
            rgba[3] = 255;
        } else if (sprite_art_token_is(tok[3], tok_len[3], "keep")) {
            rgba[3] = SPRITE_ART_ALPHA_KEEP;
        } else {
            sprite_art_error(err, err_cap, r->line_no, "colour '%c' must end in 'tint' or 'keep', not '%.*s'",
                             key, (int)tok_len[3], tok[3]);
            return false;
        }
    }
    palette[key].defined = true;
    memcpy(palette[key].rgba, rgba, 4);
    return true;
}

static bool sprite_art_parse_frame(sprite_art_reader *r, const char **tok, const size_t *tok_len, int ntok,
                                   const sprite_art_colour *palette, sprite_art *out, char *err,
                                   size_t err_cap)
{
    if (ntok != 2) {
        sprite_art_error(err, err_cap, r->line_no, "expected 'frame <name>'");
        return false;
    }
    if (tok_len[1] >= SPRITE_ART_NAME_MAX) {
        sprite_art_error(err, err_cap, r->line_no, "frame name '%.*s' is longer than %d characters",
                         (int)tok_len[1], tok[1], SPRITE_ART_NAME_MAX - 1);
        return false;
    }
    char name[SPRITE_ART_NAME_MAX];
    memcpy(name, tok[1], tok_len[1]);
    name[tok_len[1]] = '\0';
    if (sprite_art_find(out, name) >= 0) {
        sprite_art_error(err, err_cap, r->line_no, "frame '%s' is defined twice", name);
        return false;
    }
    if (out->frame_count == SPRITE_ART_MAX_FRAMES) {
        sprite_art_error(err, err_cap, r->line_no, "too many frames (at most %d)", SPRITE_ART_MAX_FRAMES);
        return false;
    }
    sprite_art_frame *frame = &out->frames[out->frame_count];
    memcpy(frame->name, name, sizeof name);

    for (int row = 0; row < SPRITE_ART_PX; row++) {
        if (!sprite_art_next_statement(r)) {
            sprite_art_error(err, err_cap, r->line_no, "frame '%s' ends after %d rows, expected %d", name, row,
                             SPRITE_ART_PX);
            return false;
        }
        /* A keyword here means the frame above is short; say that rather
         * than complaining about the keyword line's length. */
        if ((r->len > 6 && memcmp(r->line, "frame ", 6) == 0) ||
            (r->len > 7 && memcmp(r->line, "colour ", 7) == 0)) {
            sprite_art_error(err, err_cap, r->line_no, "frame '%s' has only %d rows, expected %d", name, row,
                             SPRITE_ART_PX);
            return false;
        }
        if (r->len != SPRITE_ART_PX) {
            sprite_art_error(err, err_cap, r->line_no, "row %d of frame '%s' has %zu pixels, expected %d", row + 1,
                             name, r->len, SPRITE_ART_PX);
            return false;
        }
        for (int x = 0; x < SPRITE_ART_PX; x++) {
            unsigned char c = (unsigned char)r->line[x];
            if (!palette[c].defined) {
                if (c > ' ' && c <= '~')
                    sprite_art_error(err, err_cap, r->line_no, "column %d: '%c' is not in the palette", x + 1, c);
                else
                    sprite_art_error(err, err_cap, r->line_no, "column %d: byte 0x%02x is not in the palette",
                                     x + 1, c);
                return false;
            }
            memcpy(&frame->rgba[(row * SPRITE_ART_PX + x) * 4], palette[c].rgba, 4);
        }
    }
    out->frame_count++;
    return true;
}

bool sprite_art_parse(const char *text, size_t len, sprite_art *out, char *err, size_t err_cap)
{
    if (err && err_cap > 0)
        err[0] = '\0';
    out->frame_count = 0;
    sprite_art_colour palette[256];
    memset(palette, 0, sizeof palette);
    sprite_art_reader r = {.p = text, .end = text + len};

    while (sprite_art_next_statement(&r)) {
        const char *tok[SPRITE_ART_MAX_TOKENS];
        size_t tok_len[SPRITE_ART_MAX_TOKENS];
        int ntok = sprite_art_tokens(&r, tok, tok_len);
        if (sprite_art_token_is(tok[0], tok_len[0], "colour")) {
            if (!sprite_art_parse_colour(&r, tok, tok_len, ntok, palette, err, err_cap))
                return false;
        } else if (sprite_art_token_is(tok[0], tok_len[0], "frame")) {
            if (!sprite_art_parse_frame(&r, tok, tok_len, ntok, palette, out, err, err_cap))
                return false;
        } else {
            sprite_art_error(err, err_cap, r.line_no, "expected 'colour' or 'frame', found '%.*s'", (int)tok_len[0],
                             tok[0]);
            return false;
        }
    }
    if (out->frame_count == 0) {
        sprite_art_error(err, err_cap, r.line_no, "no frames found");
        return false;
    }
    return true;
}

int sprite_art_find(const sprite_art *art, const char *name)
{
    for (int i = 0; i < art->frame_count; i++) {
        if (strcmp(art->frames[i].name, name) == 0)
            return i;
    }
    return -1;
}
