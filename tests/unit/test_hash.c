/* test_hash.c: SHA-256 of files (hash.c), the manifest's tie between an
** output and its inputs: the FIPS 180-2 test vectors, a file over the
** 1 MB read block, an empty file, and a file that is not there. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

static gpcov_ctx *ctx;

/* hashes text written to a file of the fixture directory */
static const char *sha_of(const char *name, const char *text)
{
    static char hex[65];
    fx_write(name, text);
    if (gpcov_sha256_file(ctx, fx_path(name), hex) != GPCOV_OK)
        return "(error)";
    return hex;
}

static void test_vectors(void)
{
    STREQ(sha_of("abc", "abc"),
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of \"abc\"");
    STREQ(sha_of("two", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
          "SHA-256 of the 448-bit FIPS message");
    STREQ(sha_of("empty", ""),
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of an empty file");
}

/* a million "a" fits one block; three million take three reads */
static void test_blocks(void)
{
    size_t n = 3000000;
    char *a = malloc(n + 1);
    if (!a)
        exit(2);
    memset(a, 'a', n);
    a[1000000] = 0;
    STREQ(sha_of("million", a),
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
          "SHA-256 of a million \"a\" (FIPS 180-2)");
    a[1000000] = 'a';
    a[n] = 0;
    char mine[65];
    snprintf(mine, sizeof mine, "%s", sha_of("three", a));
    char cmd[600], theirs[65] = "";
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", fx_path("three"));
    FILE *p = popen(cmd, "r");
    if (p) {
        if (fscanf(p, "%64s", theirs) != 1)
            theirs[0] = 0;
        pclose(p);
    }
    STREQ(mine, theirs, "three million \"a\" over three 1 MB blocks: as sha256sum says");
    free(a);
}

static void test_missing(void)
{
    char hex[65];
    gpcov_status st = gpcov_sha256_file(ctx, fx_path("nosuch"), hex);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "nosuch: cannot read to hash it"),
       "a missing file: EINPUT naming it (%s)", gpcov_ctx_message(ctx));
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(test_vectors);
    RUN(test_blocks);
    RUN(test_missing);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
