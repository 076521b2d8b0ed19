/*
** table_header.c: tables as analysts save them.  A table downloaded from
** eSundhed or Statistics Denmark and saved from Excel often has a title
** line or two above its header ("Borgere pr. læge, 2023").  The header is
** the first row with at least two non-empty cells; the rows above it that
** hold at most one cell (or none) are title rows, skipped with a notice.
** For a CSV the separator is judged from the lines below the titles, so a
** comma in a title does not decide it.  Column names match as the README's
** overlay section says: an exact name first, else regardless of case,
** surrounding spaces, '_' for a space and a trailing unit in parentheses
** or after a comma ("Tilmeldte patienter (antal)" is tilmeldte_patienter).
*/
#include "io_internal.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fold_name(const char *name, char *out, size_t cap);

#define SCAN_LINES 30 /* lines looked at for titles */
#define MAX_TITLES 20

/* Fields of line s split at sep (quotes respected) and how many hold more
** than blanks and quotes. */
static int line_cells(const char *s, char sep, int *nonempty)
{
    int fields = 1, q = 0, filled = 0;
    *nonempty = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            q = !q;
        else if (!q && *p == sep) {
            *nonempty += filled;
            filled = 0;
            fields++;
        } else if (!isspace((unsigned char)*p))
            filled = 1;
    }
    *nonempty += filled;
    return fields;
}

/* The separator of the lines below any titles: the one that splits the
** most of the lower lines into the same number (two or more) of fields. */
static char sniff_sep(char **lines, int n)
{
    static const char seps[] = {';', '\t', ','};
    char best = ',';
    int best_score = 0;
    for (size_t s = 0; s < sizeof seps; s++) {
        int ne, k = line_cells(lines[n - 1], seps[s], &ne), score = 0;
        for (int i = n / 2; k >= 2 && i < n; i++)
            score += line_cells(lines[i], seps[s], &ne) == k;
        if (score > best_score) {
            best_score = score;
            best = seps[s];
        }
    }
    return best;
}

/* Whether a cell of line s (split at sep) is the column name hint. */
static int line_has(const char *s, char sep, const char *hint)
{
    char want[256], cell[256], have[256];
    fold_name(hint, want, sizeof want);
    while (*want && *s) {
        size_t n = 0;
        int q = 0;
        for (; *s && (q || *s != sep); s++)
            if (*s == '"')
                q = !q;
            else if (n + 1 < sizeof cell)
                cell[n++] = *s;
        cell[n] = '\0';
        fold_name(cell, have, sizeof have);
        if (!strcmp(want, have))
            return 1;
        if (*s)
            s++;
    }
    return 0;
}

/* Title rows from the non-empty cell counts of the first n rows: the
** leading rows with at most one cell, when a later row has two or more. */
static int titles_of(const int *filled, int n)
{
    int h = 0;
    while (h < n && h < MAX_TITLES && filled[h] <= 1)
        h++;
    return h < n && filled[h] >= 2 ? h : 0;
}

int gpcov_table_title_lines(const char *path, const char *hint, char *sep)
{
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f)
        return 0;
    char *lines[SCAN_LINES];
    int n = 0, filled[SCAN_LINES];
    const char *l;
    while (n < SCAN_LINES && (l = CPLReadLine2L(f, 1 << 20, NULL)))
        if (!(lines[n] = CPLStrdup(l)))
            break;
        else
            n++;
    CPLReadLineL(NULL);
    VSIFCloseL(f);
    int h = 0;
    if (n >= 2) {
        *sep = sniff_sep(lines, n);
        for (int i = 0; i < n; i++)
            line_cells(lines[i], *sep, &filled[i]);
        h = titles_of(filled, n);
        for (int i = 0; hint && i < n && i < MAX_TITLES; i++)
            if (line_has(lines[i], *sep, hint)) {
                h = i;
                break;
            }
    }
    for (int i = 0; i < n; i++)
        CPLFree(lines[i]);
    return h;
}

char gpcov_table_sep_after(const char *path, int skip)
{
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f)
        return ',';
    char *lines[SCAN_LINES];
    int n = 0, i = 0;
    const char *l;
    while (n < SCAN_LINES && (l = CPLReadLine2L(f, 1 << 20, NULL)))
        if (i++ >= skip && *l && (lines[n] = CPLStrdup(l)))
            n++;
    CPLReadLineL(NULL);
    VSIFCloseL(f);
    char sep = n ? sniff_sep(lines, n) : ',';
    for (int k = 0; k < n; k++)
        CPLFree(lines[k]);
    return sep;
}

/* The header line hdr (len bytes) into out, a cell holding a comma quoted
** when the separator is another: GDAL 3.6 takes a header with a comma for
** a comma-separated one.  Returns the bytes written (at most 2 * len + 2). */
static size_t quote_header(const char *hdr, size_t len, char sep, char *out)
{
    size_t o = 0, i = 0;
    while (i <= len) {
        size_t e = i;
        int q = 0;
        while (e < len && (q || hdr[e] != sep) && hdr[e] != '\r' && hdr[e] != '\n')
            q ^= hdr[e++] == '"';
        int wrap = sep != ',' && hdr[i] != '"' && memchr(hdr + i, ',', e - i);
        if (wrap)
            out[o++] = '"';
        for (size_t k = i; k < e; k++)
            if ((out[o++] = hdr[k]) == '"' && wrap)
                out[o++] = '"';
        if (wrap)
            out[o++] = '"';
        if (e >= len || hdr[e] != sep) {
            memcpy(out + o, hdr + e, len - e); /* the line's end */
            return o + len - e;
        }
        out[o++] = sep;
        i = e + 1;
    }
    return o;
}

char *gpcov_table_strip_lines(const char *path, int h, char sep)
{
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f)
        return NULL;
    vsi_l_offset start = 0, hdr_end = 0;
    for (int i = 0; i <= h && CPLReadLine2L(f, 1 << 20, NULL); i++)
        *(i < h ? &start : &hdr_end) = VSIFTellL(f);
    CPLReadLineL(NULL);
    VSIFSeekL(f, 0, SEEK_END);
    size_t len = (size_t)(VSIFTellL(f) - start), hlen = (size_t)(hdr_end - start);
    char *in = malloc(len ? len : 1), *buf = malloc(len + hlen + 2), name[80];
    VSIFSeekL(f, start, SEEK_SET);
    int ok = in && buf && hdr_end >= start && VSIFReadL(in, 1, len, f) == len;
    VSIFCloseL(f);
    size_t n = 0;
    if (ok) {
        n = quote_header(in, hlen, sep, buf);
        memcpy(buf + n, in + hlen, len - hlen);
        n += len - hlen;
    }
    free(in);
    static int seq;
    snprintf(name, sizeof name, "/vsimem/gpcov_titles_%p_%d.csv", (void *)buf, ++seq);
    VSILFILE *o = ok ? VSIFileFromMemBuffer(name, (GByte *)buf, n, TRUE) : NULL;
    if (!o) {
        free(buf);
        return NULL;
    }
    VSIFCloseL(o);
    char *dup = gpcov_strdup(name);
    if (!dup)
        VSIUnlink(name);
    return dup;
}

int gpcov_table_title_rows(const char *path, const char *layer, const char *hint)
{
    char **oo = CSLSetNameValue(NULL, "HEADERS", "DISABLE");
    oo = CSLSetNameValue(oo, "FIELD_TYPES", "STRING");
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                 (const char *const *)oo, NULL);
    CPLPopErrorHandler();
    CSLDestroy(oo);
    if (!ds)
        return 0;
    OGRLayerH lyr = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    int n = 0, filled[SCAN_LINES], named = -1;
    OGRFeatureH f;
    while (lyr && n < SCAN_LINES && (f = OGR_L_GetNextFeature(lyr))) {
        filled[n] = 0;
        for (int c = 0; c < OGR_F_GetFieldCount(f); c++)
            if (OGR_F_IsFieldSetAndNotNull(f, c)) {
                int ne;
                const char *v = OGR_F_GetFieldAsString(f, c);
                line_cells(v, '\0', &ne);
                filled[n] += ne;
                if (named < 0 && n < MAX_TITLES && hint && line_has(v, '\0', hint))
                    named = n;
            }
        n++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return named >= 0 ? named : titles_of(filled, n);
}

/* ------------------------------------------------------------ names */

/* name folded for matching into out: trimmed, a trailing "(unit)" or
** ", unit" off, ASCII letters lower case, Æ Ø Å as æ ø å, runs of spaces,
** '_' and '-' as one '_'. */
static void fold_name(const char *name, char *out, size_t cap)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", name);
    gpcov_trim(buf);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == ')' && strrchr(buf, '(') && strrchr(buf, '(') != buf)
        *strrchr(buf, '(') = '\0';
    char *comma = strrchr(buf, ',');
    if (comma && comma != buf)
        *comma = '\0';
    gpcov_trim(buf);
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)buf; *p && o + 2 < cap; p++) {
        if (*p == ' ' || *p == '_' || *p == '-') {
            if (o && out[o - 1] != '_')
                out[o++] = '_';
        } else if (p[0] == 0xC3 && (p[1] == 0x86 || p[1] == 0x98 || p[1] == 0x85)) {
            out[o++] = (char)0xC3;
            out[o++] = (char)(p[1] + 0x20);
            p++;
        } else
            out[o++] = (char)tolower(*p);
    }
    out[o] = '\0';
}

int gpcov_table_col_match(const struct gpcov_table *t, const char *name, int *second)
{
    int c = gpcov_table_col(t, name), found = -1;
    *second = -1;
    if (c >= 0)
        return c;
    char want[256], have[256];
    fold_name(name, want, sizeof want);
    for (size_t i = 0; *want && i < t->ncols; i++) {
        fold_name(t->cols[i], have, sizeof have);
        if (strcmp(want, have))
            continue;
        if (found >= 0) {
            *second = (int)i;
            return found;
        }
        found = (int)i;
    }
    return found;
}
