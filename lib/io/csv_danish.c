/*
** csv_danish.c: a layer as a CSV for Excel set to Danish (gpcov_ctx's
** csv style GPCOV_CSV_DANISH): UTF-8 with a byte-order mark (so Excel
** reads æøå), semicolons between cells, a decimal comma (2,07), CRLF line
** ends.  OGR's CSV driver writes the semicolons and the mark but has no
** decimal comma, hence this small writer.
**
** Codes: Excel turns a cell of digits into a number when it opens a CSV,
** quoted or not, so "0101" becomes 101.  A text cell of digits only
** (komkode, regionkode) is therefore written as ="0101", a formula whose
** value is the text 0101: Excel and LibreOffice show 0101, and gpcov's own
** table reader takes it back as 0101 (key.c), but other readers (QGIS,
** pandas, R) see the formula as it is: they should read the plain CSV,
** the GeoPackage or the XLSX.  Other text cells are quoted, with a leading
** ' when they would run as a formula (csvcell.c); numbers are bare, to
** fifteen significant digits (gpcov_value_text) with a comma for the
** point, no thousands separator; a missing value is an empty cell, never 0.
*/
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whether s is one or more ASCII digits and nothing else. */
static int all_digits(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Writes cell k of feature i; an error when a number is not finite. */
static gpcov_status write_cell(gpcov_ctx *ctx, FILE *f, const struct gpcov_layer *l, size_t i,
                               size_t k, const char *dst)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, k);
    if (v->null)
        return GPCOV_OK;
    if (l->fields[k].type == GPCOV_STR) {
        if (all_digits(v->str))
            fprintf(f, "=\"%s\"", v->str);
        else
            gpcov_csv_cell(f, v->str ? v->str : "");
        return GPCOV_OK;
    }
    if (!isfinite(v->num))
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: feature %zu: field '%s' is %g, not a "
                         "finite number", dst, i + 1, l->fields[k].name, v->num);
    char buf[64];
    gpcov_value_text(l, i, k, buf, sizeof buf);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';
    fputs(buf, f);
    return GPCOV_OK;
}

gpcov_status gpcov_csv_danish_write(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                    const char *path, const char *dst)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst, strerror(errno));
    fputs("\xEF\xBB\xBF", f);
    for (size_t k = 0; k < l->nfields; k++) {
        if (k)
            fputc(';', f);
        gpcov_csv_cell(f, l->fields[k].name);
    }
    fputs("\r\n", f);
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < l->n && !st; i++) {
        for (size_t k = 0; k < l->nfields && !st; k++) {
            if (k)
                fputc(';', f);
            st = write_cell(ctx, f, l, i, k, dst);
        }
        fputs("\r\n", f);
    }
    int bad = ferror(f);
    if (fclose(f) || bad)
        bad = 1;
    if (!st && bad)
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst, strerror(errno));
    return st;
}
