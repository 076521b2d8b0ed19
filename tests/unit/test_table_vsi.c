/*
** test_table_vsi.c: tables read from GDAL's virtual files (/vsimem/) get
** the same sniffing as files on disk (a Danish semicolon CSV's numbers,
** a one-column CSV), and the reader's edge cases that fuzzing found: more
** column names than columns, a first column name shorter than a BOM.
*/
#include "gpcov.h"
#include "tap.h"

#include <cpl_vsi.h>
#include <stdlib.h>
#include <string.h>

static void put(const char *path, const char *text)
{
    VSILFILE *f = VSIFOpenL(path, "wb");
    VSIFWriteL(text, 1, strlen(text), f);
    VSIFCloseL(f);
}

static const char *cell(const struct gpcov_table *t, size_t r, const char *col)
{
    int c = gpcov_table_col(t, col);
    return c < 0 || r >= t->nrows ? NULL : t->cells[r * t->ncols + (size_t)c];
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    struct gpcov_table *t = NULL;

    put("/vsimem/tv/dk.csv", "kode;antal;andel\n101;16.500;2,5\n0147;1.234.567,89;-0,25\n");
    OK(gpcov_table_read(ctx, "/vsimem/tv/dk.csv", NULL, &t) == GPCOV_OK && t,
       "a Danish CSV in /vsimem/ reads");
    STREQ(cell(t, 0, "antal"), "16500", "16.500 is sixteen thousand five hundred");
    STREQ(cell(t, 0, "andel"), "2.5", "2,5 has a decimal comma");
    STREQ(cell(t, 1, "antal"), "1234567.89", "1.234.567,89 in full");
    STREQ(cell(t, 1, "andel"), "-0.25", "a negative decimal comma");
    gpcov_table_free(t);

    put("/vsimem/tv/one.csv", "kode\n0101\n147\n851\n");
    t = NULL;
    OK(gpcov_table_read(ctx, "/vsimem/tv/one.csv", NULL, &t) == GPCOV_OK && t &&
           t->ncols == 1 && t->nrows == 3,
       "a one-column CSV in /vsimem/ reads: 1 column, 3 rows");
    STREQ(t ? cell(t, 2, "kode") : NULL, "851", "its last row");
    gpcov_table_free(t);

    put("/vsimem/tv/two.csv", "0101,80\n0147,81\n");
    struct gpcov_table_opts o = {.columns = "kode,alder,antal,navn"};
    t = (struct gpcov_table *)1;
    gpcov_status st = gpcov_table_read(ctx, "/vsimem/tv/two.csv", &o, &t);
    OK(st == GPCOV_EUSAGE && t == NULL, "four column names for two columns: a usage error");
    OK(strstr(gpcov_ctx_message(ctx), "4 column names given but the table has 2 columns") != NULL,
       "which says so: %s", gpcov_ctx_message(ctx));

    put("/vsimem/tv/short.csv", "k,b\n1,2\n");
    t = NULL;
    OK(gpcov_table_read(ctx, "/vsimem/tv/short.csv", NULL, &t) == GPCOV_OK && t,
       "a one-letter first column name reads");
    STREQ(t ? t->cols[0] : NULL, "k", "and keeps its name");
    gpcov_table_free(t);

    put("/vsimem/tv/bom.csv", "\xEF\xBB\xBFkode,b\n1,2\n");
    t = NULL;
    OK(gpcov_table_read(ctx, "/vsimem/tv/bom.csv", NULL, &t) == GPCOV_OK && t,
       "a CSV with a byte order mark reads");
    STREQ(t ? t->cols[0] : NULL, "kode", "the mark stays off the first name");
    gpcov_table_free(t);

    VSIUnlink("/vsimem/tv/dk.csv");
    VSIUnlink("/vsimem/tv/one.csv");
    VSIUnlink("/vsimem/tv/two.csv");
    VSIUnlink("/vsimem/tv/short.csv");
    VSIUnlink("/vsimem/tv/bom.csv");
    gpcov_ctx_free(ctx);
    return tap_done();
}
