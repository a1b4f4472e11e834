/* Player names: what is kept (name_normalise) and what counts as the same
 * name (name_fold, name_alike). */
#include <string.h>

#include "check.h"
#include "name.h"

static const char *norm(const char *in)
{
    static char out[128];
    name_normalise(in, strlen(in), out, sizeof out);
    return out;
}

static void test_normalise(void)
{
    CHECK(strcmp(norm("Ann"), "Ann") == 0);
    CHECK(strcmp(norm("  Ann  "), "Ann") == 0);               /* trimmed */
    CHECK(strcmp(norm("Ann   Lee"), "Ann Lee") == 0);         /* one space inside */
    CHECK(strcmp(norm("An\xE2\x80\x8Bn"), "Ann") == 0);       /* U+200B zero-width space */
    CHECK(strcmp(norm("A\xE2\x80\x8Dnn"), "Ann") == 0);       /* U+200D zero-width joiner */
    CHECK(strcmp(norm("\xEF\xBB\xBF" "Ann"), "Ann") == 0);    /* U+FEFF byte order mark */
    CHECK(strcmp(norm("\xE2\x80\xAE" "Ann"), "Ann") == 0);    /* U+202E right-to-left override */
    CHECK(strcmp(norm("Ann\xE2\x81\xA6"), "Ann") == 0);       /* U+2066 left-to-right isolate */
    CHECK(strcmp(norm("\xE2\x80\x8F" "Ann"), "Ann") == 0);    /* U+200F right-to-left mark */
    CHECK(strcmp(norm("An\xC2\xADn"), "Ann") == 0);           /* U+00AD soft hyphen */
    CHECK(strcmp(norm("Ann\xEF\xB8\x8F"), "Ann") == 0);       /* U+FE0F variation selector */
    CHECK(strcmp(norm("Ann\xE3\x85\xA4"), "Ann") == 0);       /* U+3164 Hangul filler */
    CHECK(strcmp(norm("Ann\tLee\x01"), "AnnLee") == 0);       /* control characters */
    CHECK(strcmp(norm("\xC2\xA0" "Ann\xE3\x80\x80" "Lee"), "Ann Lee") == 0); /* NBSP, ideographic space */
    CHECK(strcmp(norm("J\xC3\xBCrgen"), "J\xC3\xBCrgen") == 0);               /* letters stay */
    /* Nothing printable, or not UTF-8: nothing. */
    char out[32];
    CHECK(name_normalise("   ", 3, out, sizeof out) == 0 && out[0] == '\0');
    CHECK(name_normalise("\xE2\x80\x8B\xE2\x80\x8B", 6, out, sizeof out) == 0);
    CHECK(name_normalise("ab\xC3\x28", 4, out, sizeof out) == 0);
    CHECK(name_normalise("\xC0\x80", 2, out, sizeof out) == 0); /* overlong NUL */
    CHECK(name_normalise("\xED\xA0\x80", 3, out, sizeof out) == 0); /* surrogate */
    /* It never grows, and a short buffer is refused, not cut. */
    CHECK(name_normalise("Annabel", 7, out, 4) == 0 && out[0] == '\0');
    CHECK(name_normalise("Annabel", 7, out, 8) == 7);
    CHECK(name_normalise(NULL, 3, out, sizeof out) == 0);
}

static void test_fold(void)
{
    CHECK(name_alike("Ann", "ann"));
    CHECK(name_alike("Ann", "ANN"));
    CHECK(name_alike("Ann", " Ann"));
    CHECK(name_alike("Ann", "An\xE2\x80\x8Bn"));
    CHECK(name_alike("Ann", "\xD0\x90nn"));          /* Cyrillic capital A */
    CHECK(name_alike("Ann", "\xD0\xB0nn"));          /* Cyrillic small a */
    CHECK(name_alike("Ann", "\xCE\x91nn"));          /* Greek capital Alpha */
    CHECK(name_alike("Pop", "\xD0\xA0\xD0\xBE\xD1\x80")); /* Cyrillic Р о р */
    CHECK(name_alike("Tom", "\xCE\xA4\xCE\x9F\xCE\x9C")); /* Greek ΤΟΜ */
    CHECK(name_alike("Ace", "\xEF\xBC\xA1\xEF\xBD\x83\xEF\xBD\x85")); /* full-width Ａｃｅ */
    CHECK(name_alike("Bob", "B0b"));
    CHECK(name_alike("Bill", "Bi11"));
    CHECK(name_alike("Kate", "\xD0\x9A\xD0\xB0t\xD0\xB5"));   /* Cyrillic К а е */
    CHECK(name_alike("J\xC3\xBCrgen", "J\xC3\x9CRGEN"));       /* Latin-1 case */
    CHECK(!name_alike("Ann", "Anna"));
    CHECK(!name_alike("Ann", "Amm"));
    CHECK(!name_alike("Jurgen", "J\xC3\xBCrgen"));              /* an accent is another letter */
    CHECK(!name_alike("", ""));                                 /* nothing is nobody's name */
    CHECK(!name_alike("\xE2\x80\x8B", "\xE2\x80\x8B"));
    char key[64];
    CHECK(name_fold("\xD0\x90nn", 4, key, sizeof key) == 3 && strcmp(key, "ann") == 0);
    CHECK(name_fold("  ", 2, key, sizeof key) == 0);
}

int main(void)
{
    test_normalise();
    test_fold();
    return check_done("name");
}
