/*
** hash.c: SHA-256 of files, for the manifest that ties every output of a
** report to the exact inputs it was made from.  The digest is OpenSSL's
** (libcrypto), read in 1 MB blocks.
*/
#include "base_internal.h"

#include <assert.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

_Static_assert(EVP_MAX_MD_SIZE >= 32, "a SHA-256 digest fits the digest buffer");

gpcov_status gpcov_sha256_file(gpcov_ctx *ctx, const char *path, char hex[65])
{
    assert(path && hex);
    FILE *f = fopen(path, "rb");
    if (!f)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot read to hash it", path);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *buf = malloc(1 << 20), dig[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    gpcov_status st = GPCOV_OK;
    if (!md || !buf || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "SHA-256 is not available");
        goto done;
    }
    size_t k;
    while ((k = fread(buf, 1, 1 << 20, f)) > 0) {
        assert(k <= 1 << 20);
        if (EVP_DigestUpdate(md, buf, k) != 1) {
            st = gpcov_err(ctx, GPCOV_EINTERNAL, "%s: hashing failed", path);
            goto done;
        }
    }
    if (ferror(f)) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: read error while hashing", path);
        goto done;
    }
    if (EVP_DigestFinal_ex(md, dig, &dl) != 1 || dl != 32) {
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "%s: hashing failed", path);
        goto done;
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", dig[i]);
    assert(hex[64] == 0);
done:
    EVP_MD_CTX_free(md);
    free(buf);
    fclose(f);
    return st;
}
