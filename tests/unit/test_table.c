/* test_table.c: attribute tables (table.c): a Danish semicolon CSV with
** its numbers made neutral, codes kept as text, a comma CSV left as it is,
** blank lines and empty cells, raw exports with rows above the header,
** column names given and fill-down, an XLSX workbook written here through
** GDAL and read back by sheet, and the refusals with their messages. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <gdal.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>

static const char *cell(const struct gpcov_table *t, size_t r, const char *col)
{
    int c = t ? gpcov_table_col(t, col) : -1;
    return c < 0 || r >= t->nrows ? NULL : t->cells[r * t->ncols + (size_t)c];
}

static struct gpcov_table *read_ok(gpcov_ctx *ctx, const char *name,
                                   const struct gpcov_table_opts *o)
{
    struct gpcov_table *t = NULL;
    gpcov_status st = gpcov_table_read(ctx, fx_path(name), o, &t);
    OK(st == GPCOV_OK && t, "%s reads: %s", name, st ? gpcov_ctx_message(ctx) : "");
    return st ? NULL : t;
}

static void case_danish_csv(gpcov_ctx *ctx)
{
    struct gpcov_table *t = read_ok(ctx, "esundhed.csv", NULL);
    OK(t && t->ncols == 3 && t->nrows == 3, "3 columns, 3 rows: the header is no row");
    STREQ(t ? t->cols[1] : NULL, "tilmeldte patienter", "a column name with a space");
    STREQ(cell(t, 0, "kommune"), "101 København", "a text cell as written, UTF-8 kept");
    STREQ(cell(t, 0, "tilmeldte patienter"), "16500", "16.500 is sixteen thousand five hundred");
    STREQ(cell(t, 1, "tilmeldte patienter"), "3300", "3.300");
    STREQ(cell(t, 0, "lægekapaciteter"), "10.0", "10,0 has a decimal comma");
    STREQ(cell(t, 1, "lægekapaciteter"), "2.5", "2,5");
    STREQ(cell(t, 2, "lægekapaciteter"), "1", "a plain 1 stays 1");
    OK(t && t->row_line[0] == 2 && t->row_line[2] == 4, "rows are lines 2..4 of the file");
    OK(gpcov_table_col(t, "nope") == -1, "an unknown column is -1");
    gpcov_table_free(t);

    /* what is not a Danish number is left alone */
    fx_write("dk2.csv", "kode;a;b;c;d;e;f\n"
                        "0101;1.23;12.3456;1,;.500;-1.234.567,89;\"x;y\"\n"
                        "\n"
                        "0147;1.2.345;1234,5;+7;;abc;1.000.000\n");
    t = read_ok(ctx, "dk2.csv", NULL);
    OK(t && t->nrows == 2, "a blank line is no row");
    STREQ(cell(t, 0, "kode"), "0101", "a code keeps its leading zero");
    STREQ(cell(t, 0, "a"), "1.23", "1.23: two digits after the dot, not a thousands group");
    STREQ(cell(t, 0, "b"), "12.3456", "12.3456: four digits after the dot");
    STREQ(cell(t, 0, "c"), "1,", "1, with nothing after the comma");
    STREQ(cell(t, 0, "d"), ".500", ".500 with nothing before the dot");
    STREQ(cell(t, 0, "e"), "-1234567.89", "-1.234.567,89 in full");
    STREQ(cell(t, 0, "f"), "x;y", "a quoted semicolon stays in its cell");
    STREQ(cell(t, 1, "a"), "1.2.345", "1.2.345: a short group in the middle");
    STREQ(cell(t, 1, "b"), "1234.5", "1234,5 without thousands dots");
    STREQ(cell(t, 1, "c"), "+7", "+7 as it is");
    OK(t && t->nrows == 2 && !cell(t, 1, "d"), "an empty cell is NULL");
    STREQ(cell(t, 1, "f"), "1000000", "1.000.000");
    gpcov_table_free(t);
}

static void case_comma_csv(gpcov_ctx *ctx)
{
    struct gpcov_table *t = read_ok(ctx, "long.csv", NULL);
    OK(t && t->ncols == 4 && t->nrows == 10, "long.csv: 4 columns, 10 rows");
    STREQ(cell(t, 0, "area_code"), "000", "000 stays text");
    STREQ(cell(t, 9, "total"), "1", "the last row");
    gpcov_table_free(t);
    fx_write("comma.csv", "kode,antal\n 0101 ,16.500\n0147,\"2,5\"\n");
    t = read_ok(ctx, "comma.csv", NULL);
    STREQ(cell(t, 0, "antal"), "16.500", "in a comma CSV 16.500 is left as written");
    STREQ(cell(t, 1, "antal"), "2,5", "and so is a quoted 2,5");
    STREQ(cell(t, 0, "kode"), "0101", "cells are trimmed");
    gpcov_table_free(t);
}

static void case_raw(gpcov_ctx *ctx)
{
    /* as a spreadsheet saves it: the title rows padded with separators */
    fx_write("raw.csv", "Folketal 1. januar,,,\n"
                        "kilde: Danmarks Statistik,,,\n"
                        "område,,alder,antal\n"
                        "101 København,2020,80,100\n"
                        ",2021,80,110\n"
                        "147 Frederiksberg,2020,80,30\n");
    struct gpcov_table_opts o = {.skip_rows = 2, .fill_down = "område"};
    struct gpcov_table *t = read_ok(ctx, "raw.csv", &o);
    OK(t && t->ncols == 4 && t->nrows == 3, "two title rows skipped, the header after them");
    STREQ(t ? t->cols[1] : NULL, "column2", "an empty header cell becomes column2");
    STREQ(cell(t, 1, "område"), "101 København", "fill-down: the blank takes the one above");
    STREQ(cell(t, 1, "antal"), "110", "  on the row it belongs to");
    OK(t && t->row_line[0] == 4 && t->row_line[2] == 6, "rows keep their line numbers (4, 6)");
    gpcov_table_free(t);

    struct gpcov_table_opts named = {.skip_rows = 3, .columns = "navn, år ,alder,antal"};
    t = read_ok(ctx, "raw.csv", &named);
    OK(t && t->nrows == 3 && !strcmp(t->cols[1], "år"), "column names given, trimmed");
    OK(t && !cell(t, 1, "navn"), "without fill-down the blank stays NULL");
    STREQ(cell(t, 2, "antal"), "30", "the last cell");
    gpcov_table_free(t);

    struct gpcov_table_opts bad = {.skip_rows = 2, .fill_down = "kommune"};
    t = (struct gpcov_table *)1;
    OK(gpcov_table_read(ctx, fx_path("raw.csv"), &bad, &t) == GPCOV_EUSAGE && !t,
       "fill-down of a column that is not there: a usage error, no table");
    char want[600];
    snprintf(want, sizeof want, "%s: fill-down column 'kommune' is not in the table",
             fx_path("raw.csv"));
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
}

static void case_refused(gpcov_ctx *ctx)
{
    struct gpcov_table *t = (struct gpcov_table *)1;
    char want[600];
    fx_write("header.csv", "kode;antal\n\n");
    OK(gpcov_table_read(ctx, fx_path("header.csv"), NULL, &t) == GPCOV_EINPUT && !t,
       "a header without rows is refused");
    snprintf(want, sizeof want, "%s: the table has no data rows", fx_path("header.csv"));
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
    OK(gpcov_table_read(ctx, fx_path("missing.csv"), NULL, &t) != GPCOV_OK && !t,
       "a file that is not there is refused: %s", gpcov_ctx_message(ctx));
    OK(strstr(gpcov_ctx_message(ctx), "missing.csv") != NULL, "  the message names it");
    fx_write("not.xlsx", "this is not a zip\n");
    OK(gpcov_table_read(ctx, fx_path("not.xlsx"), NULL, &t) == GPCOV_EINPUT, "a fake .xlsx");
    snprintf(want, sizeof want,
             "%s: cannot read as a table: not a spreadsheet (or a damaged or truncated one)",
             fx_path("not.xlsx"));
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
}

/* A workbook with two sheets written through GDAL's XLSX driver. */
static int write_xlsx(const char *path)
{
    GDALDriverH drv = GDALGetDriverByName("XLSX");
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds)
        return -1;
    const char *sheets[2] = {"noter", "tal"};
    for (int s = 0; s < 2; s++) {
        OGRLayerH l = GDALDatasetCreateLayer(ds, sheets[s], NULL, wkbNone, NULL);
        OGRFieldDefnH fk = OGR_Fld_Create("kode", OFTString);
        OGRFieldDefnH fn = OGR_Fld_Create("antal", OFTInteger);
        OGRFieldDefnH fr = OGR_Fld_Create("andel", OFTReal);
        OGR_L_CreateField(l, fk, 1);
        OGR_L_CreateField(l, fn, 1);
        OGR_L_CreateField(l, fr, 1);
        OGR_Fld_Destroy(fk);
        OGR_Fld_Destroy(fn);
        OGR_Fld_Destroy(fr);
        const char *k[3] = {"0101", "0147", "0825"};
        int n[3] = {16500, 3300, 1900};
        double r[3] = {2.5, 0.125, 10};
        for (int i = 0; i < (s ? 3 : 1); i++) {
            OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
            OGR_F_SetFieldString(f, 0, s ? k[i] : "se fanen tal");
            if (s && i != 1)
                OGR_F_SetFieldInteger(f, 1, n[i]);
            if (s)
                OGR_F_SetFieldDouble(f, 2, r[i]);
            OGRErr e = OGR_L_CreateFeature(l, f);
            OGR_F_Destroy(f);
            if (e != OGRERR_NONE) {
                GDALClose(ds);
                return -1;
            }
        }
    }
    GDALClose(ds);
    return 0;
}

static void case_xlsx(gpcov_ctx *ctx)
{
    if (write_xlsx(fx_path("book.xlsx"))) {
        OK(0, "GDAL writes an XLSX workbook");
        return;
    }
    struct gpcov_table *t = read_ok(ctx, "book.xlsx", NULL);
    OK(t && t->ncols == 3 && t->nrows >= 1 &&
           !strcmp(t->cells[(t->nrows - 1) * t->ncols], "se fanen tal"),
       "without a sheet named: the first sheet, 'noter'");
    gpcov_table_free(t);
    /* GDAL 3.6's XLSX driver takes no HEADERS or FIELD_TYPES open option
    ** (only the OGR_XLSX_* config options): a sheet of text only must
    ** still have its first row as the header */
    struct gpcov_table_opts notes = {.layer = "noter"};
    t = read_ok(ctx, "book.xlsx", &notes);
    OK(t && t->nrows == 1 && !strcmp(t->cols[0], "kode"),
       "a sheet of text only: the first row is the header (column '%s', %zu rows)",
       t ? t->cols[0] : "", t ? t->nrows : 0);
    gpcov_table_free(t);
    struct gpcov_table_opts o = {.layer = "tal"};
    t = read_ok(ctx, "book.xlsx", &o);
    OK(t && t->ncols == 3 && t->nrows == 3, "sheet 'tal': 3 columns, 3 rows");
    STREQ(cell(t, 0, "kode"), "0101", "a code written as text keeps its leading zero");
    STREQ(cell(t, 2, "antal"), "1900", "an integer reads back as its digits");
    STREQ(cell(t, 0, "andel"), "2.5", "2.5 reads back");
    STREQ(cell(t, 1, "andel"), "0.125", "0.125 reads back");
    OK(t && t->nrows == 3 && !cell(t, 1, "antal"), "a cell not written is NULL");
    OK(t && t->row_line[0] == 2 && t->row_line[2] == 4, "rows numbered as Excel shows (2..4)");
    gpcov_table_free(t);
    struct gpcov_table_opts none = {.layer = "ark3"};
    t = (struct gpcov_table *)1;
    OK(gpcov_table_read(ctx, fx_path("book.xlsx"), &none, &t) == GPCOV_EINPUT && !t,
       "a sheet that is not there");
    char want[600];
    snprintf(want, sizeof want, "%s: no sheet or layer 'ark3'", fx_path("book.xlsx"));
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_danish_csv, ctx);
    RUN_ON(case_comma_csv, ctx);
    RUN_ON(case_raw, ctx);
    RUN_ON(case_refused, ctx);
    RUN_ON(case_xlsx, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
