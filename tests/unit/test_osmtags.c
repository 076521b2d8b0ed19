/* test_osmtags.c: tags in GDAL's "other_tags" hstore text (osmtags.c):
** found anywhere in the list, escaped quotes, a short buffer, and what is
** not there. */
#include "map/map_internal.h"
#include "tap.h"

static const char *tag(const char *hs, const char *key)
{
    static char out[64];
    return gpcov_hstore_get(hs, key, out, sizeof out) == 0 ? out : "(absent)";
}

static void test_hstore(void)
{
    const char *hs = "\"maxspeed\"=>\"50\",\"oneway\"=>\"yes\",\"name\"=>\"Nørregade\"";
    STREQ(tag(hs, "maxspeed"), "50", "the first tag");
    STREQ(tag(hs, "oneway"), "yes", "a middle tag");
    STREQ(tag(hs, "name"), "Nørregade", "the last tag, UTF-8");
    STREQ(tag(hs, "max"), "(absent)", "a prefix of a key is not the key");
    STREQ(tag(hs, "ref"), "(absent)", "a key not there");
    STREQ(tag("\"note\"=>\"say \\\"hi\\\"\",\"x\"=>\"1\"", "note"), "say \"hi\"",
          "escaped quotes inside a value");
    STREQ(tag("\"note\"=>\"say \\\"hi\\\"\",\"x\"=>\"1\"", "x"), "1", "and the tag after it");
    STREQ(tag("\"a\\\"b\"=>\"2\"", "a\\\"b"), "2", "an escaped quote inside a key");
    STREQ(tag("", "x"), "(absent)", "an empty text");
    STREQ(tag(NULL, "x"), "(absent)", "no text");
    STREQ(tag("\"x\"=\"1\"", "x"), "(absent)", "not hstore: absent");
    char small[4];
    OK(gpcov_hstore_get(hs, "name", small, sizeof small) == 0 && !strcmp(small, "N\xC3\xB8"),
       "a short buffer takes what fits, terminated");
}

int main(void)
{
    RUN(test_hstore);
    return tap_done();
}
