/*
** textcheck.c: delimited text files as analysts' tools leave them.  Before
** OGR reads a CSV, one pass over its bytes catches what OGR would read
** quietly and wrongly: an empty file, UTF-16 ("Unicode text" from Excel),
** a NUL byte (a binary file with a .csv name), a quoted field still open
** at the end of the file (a truncated download), and a row with more
** fields than its header (147,2,5: a decimal comma in a comma-separated
** file, which OGR would read as 2 and drop the 5).  A file that is not
** valid UTF-8 is taken to be Windows-1252, what a Danish Excel writes for
** "CSV (semikolonsepareret)", and recoded by GDAL (CPLRecode) into a UTF-8
** copy in /vsimem/, with a notice naming the first such line.
*/
#include "io_internal.h"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && c == 0xE0 && p[1] < 0xA0)
        return 0; /* overlong */
    if (len == 3 && c == 0xED && p[1] >= 0xA0)
        return 0; /* surrogate */
    if (len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
        return 0;
    return len;
}

static char separator_of(const char *src, const unsigned char *b, size_t n)
{
    char ext[16];
    gpcov_path_ext(src, ext, sizeof ext);
    if (!strcmp(ext, "tsv"))
        return '\t';
    /* as table.c and OGR decide: the most frequent of , ; tab in line 1 */
    size_t semi = 0, comma = 0, tab = 0;
    int q = 0;
    for (size_t i = 0; i < n && b[i] != '\n'; i++) {
        if (b[i] == '"')
            q = !q;
        else if (!q && b[i] == ';')
            semi++;
        else if (!q && b[i] == ',')
            comma++;
        else if (!q && b[i] == '\t')
            tab++;
    }
    if (tab > comma && tab > semi)
        return '\t';
    return semi > comma ? ';' : ',';
}

/* The state of the one pass over the bytes. */
struct scan {
    const char *src;
    int fields;                        /* count the fields of each row    */
    long line, quote_line, bad_line;
    long header_fields, nfields;
    int in_quote;
    int at_start, just_closed;         /* a quote opens only a field      */
    char sep;
};

/* A newline: the end of a row unless inside a quoted field; a row with more
** fields than the header is an error. */
static gpcov_status scan_newline(gpcov_ctx *ctx, struct scan *sc)
{
    sc->at_start = !sc->in_quote || sc->at_start;
    if (!sc->in_quote) {
        if (sc->fields) {
            if (sc->line == 1)
                sc->header_fields = sc->nfields;
            else if (sc->nfields > sc->header_fields && sc->header_fields > 0)
                return gpcov_err(ctx, GPCOV_EINPUT,
                                 "%s:%ld: %ld fields where the header has %ld (a "
                                 "decimal comma in a comma-separated file? quote the "
                                 "value or save with semicolons)",
                                 sc->src, sc->line, sc->nfields, sc->header_fields);
        }
        sc->nfields = 1;
    }
    sc->line++;
    return GPCOV_OK;
}

/* Scans buf[0..n) (last: the file's final block).  Returns the number of
** bytes scanned; the rest, a UTF-8 sequence the block may have cut, is
** carried over to the next block.  *st: an error, which stops the scan. */
static size_t scan_bytes(gpcov_ctx *ctx, struct scan *sc,
                         const unsigned char *buf, size_t n, int last,
                         gpcov_status *st)
{
    size_t i = 0;
    for (; i < n; i++) {
        unsigned char c = buf[i];
        if (c == 0) {
            *st = gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: a NUL byte: not a text file",
                            sc->src, sc->line);
            break;
        }
        int was_closed = sc->just_closed;
        sc->just_closed = 0;
        if (c >= 0x80) {
            sc->at_start = 0;
            if (!last && n - i < 4) {
                size_t l = utf8_len(buf + i, n - i);
                if (l == 0 && (c >= 0xC2 && c <= 0xF4))
                    break; /* maybe a sequence cut by the block: carry it */
            }
            size_t l = utf8_len(buf + i, n - i);
            if (l == 0) {
                if (!sc->bad_line)
                    sc->bad_line = sc->line;
            } else {
                i += l - 1;
            }
            continue;
        }
        if (c == '"') {
            if (sc->in_quote) {
                sc->in_quote = 0;
                sc->just_closed = 1;
            } else if (sc->at_start || was_closed) {
                sc->in_quote = 1;
                if (sc->at_start)
                    sc->quote_line = sc->line;
            }
            sc->at_start = 0;
        } else if (c == '\n') {
            if ((*st = scan_newline(ctx, sc)) != GPCOV_OK)
                break;
        } else if (c == (unsigned char)sc->sep && !sc->in_quote) {
            sc->nfields++;
            sc->at_start = 1;
        } else if (c != '\r') {
            sc->at_start = 0;
        }
    }
    return i;
}

/* Reads the file in blocks; the whole text is kept only when it must be
** recoded, so a huge file with a NUL early is refused without reading it
** all. */
static gpcov_status scan_file(gpcov_ctx *ctx, struct scan *sc, VSILFILE *f,
                              vsi_l_offset size)
{
    enum { BLOCK = 1 << 16 };
    unsigned char *buf = malloc(BLOCK + 4);
    if (!buf)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    int first = 1;
    size_t carry = 0; /* bytes of an incomplete UTF-8 sequence kept over */
    vsi_l_offset done = 0;
    while (!st) {
        size_t got = VSIFReadL(buf + carry, 1, BLOCK, f);
        size_t n = carry + got;
        if (n == 0)
            break;
        int last = got == 0 || done + got >= size;
        done += got;
        if (first) {
            first = 0;
            if (n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) {
                st = gpcov_err(ctx, GPCOV_EINPUT,
                               "%s: UTF-16 text (Excel's \"Unicode text\"): save it as "
                               "\"CSV UTF-8\" or \"CSV (semikolonsepareret)\"",
                               sc->src);
                break;
            }
            sc->sep = separator_of(sc->src, buf, n);
        }
        size_t i = scan_bytes(ctx, sc, buf, n, last, &st);
        if (st)
            break;
        carry = n - i;
        memmove(buf, buf + i, carry);
        if (last && carry == 0)
            break;
        if (last) { /* a lone lead byte at the very end */
            if (!sc->bad_line)
                sc->bad_line = sc->line;
            break;
        }
    }
    free(buf);
    return st;
}

/* Not UTF-8: the whole file recoded from Windows-1252 into a UTF-8 copy in
** /vsimem/, named in *mem. */
static gpcov_status recode(gpcov_ctx *ctx, const char *src, vsi_l_offset size,
                           long bad_line, char **mem)
{
    char *text = NULL;
    VSILFILE *g = VSIFOpenL(src, "rb");
    if (g) {
        text = malloc((size_t)size + 1);
        if (text && VSIFReadL(text, 1, (size_t)size, g) == (size_t)size) {
            text[size] = 0;
        } else {
            free(text);
            text = NULL;
        }
        VSIFCloseL(g);
    }
    if (!text)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot read", src);
    gpcov_dep_clear(ctx);
    char *utf8 = CPLRecode(text, "CP1252", CPL_ENC_UTF8);
    free(text);
    if (!utf8)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cannot recode from Windows-1252: %s", src,
                         gpcov_dep_error(ctx));
    static int seq;
    char ext[16], name[128];
    gpcov_path_ext(src, ext, sizeof ext);
    snprintf(name, sizeof name, "/vsimem/gpcov_text_%d.%s", seq++, ext[0] ? ext : "csv");
    VSILFILE *o = VSIFOpenL(name, "wb");
    size_t ulen = strlen(utf8);
    int ok = o && VSIFWriteL(utf8, 1, ulen, o) == ulen;
    if (o)
        VSIFCloseL(o);
    CPLFree(utf8);
    if (!ok) {
        VSIUnlink(name);
        return gpcov_err(ctx, GPCOV_ENOMEM, "%s: out of memory recoding", src);
    }
    if (!(*mem = gpcov_strdup(name))) {
        VSIUnlink(name);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    gpcov_notice(ctx,
                 "%s:%ld: not UTF-8; read as Windows-1252 (Latin-1), as a Danish Excel saves "
                 "CSV",
                 src, bad_line);
    return GPCOV_OK;
}

gpcov_status gpcov_text_prepare(gpcov_ctx *ctx, const char *src, int fields, char **mem)
{
    *mem = NULL;
    VSILFILE *f = VSIFOpenL(src, "rb");
    if (!f)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot open", src);
    VSIFSeekL(f, 0, SEEK_END);
    vsi_l_offset size = VSIFTellL(f);
    VSIFSeekL(f, 0, SEEK_SET);
    if (size == 0) {
        VSIFCloseL(f);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: the file is empty", src);
    }
    struct scan sc = {.src = src, .fields = fields, .line = 1, .nfields = 1,
                      .at_start = 1};
    gpcov_status st = scan_file(ctx, &sc, f, size);
    VSIFCloseL(f);
    if (st)
        return st;
    if (sc.in_quote)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s:%ld: a quoted field is not closed before the end of the file "
                         "(truncated?)",
                         src, sc.quote_line);
    if (fields && sc.line > 1 && sc.nfields > sc.header_fields && sc.header_fields > 0)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s:%ld: %ld fields where the header has %ld (a decimal comma in a "
                         "comma-separated file? quote the value or save with semicolons)",
                         src, sc.line, sc.nfields, sc.header_fields);
    if (!sc.bad_line)
        return GPCOV_OK;
    return recode(ctx, src, size, sc.bad_line, mem);
}
