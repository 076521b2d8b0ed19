/*
** fuzz_table.c: fuzz target for tables as analysts hand them over: the
** input is a CSV (comma, or a Danish Excel's semicolons and decimal
** commas) in /vsimem/, read by gpcov_table_read as the overlay reads it;
** every cell then goes through key normalisation and number parsing, and
** an overlay joins the table to three small municipalities with a
** filtered aggregation (columns kode, alder, antal, navn).  The first
** byte and the size pick the reading options (skip_rows, columns,
** fill_down), so each path of the reader gets inputs.
*/
#include "fuzz.h"

#define POLYS "/vsimem/fuzz_table/kommuner.geojson"
#define TABLE "/vsimem/fuzz_table/t.csv"

static const char polys[] =
    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
    "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"0101\",\"KOMNAVN\":\"København\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[720000,6170000],[730000,6170000],"
    "[730000,6180000],[720000,6180000],[720000,6170000]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"0147\",\"KOMNAVN\":\"Frederiksberg\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[710000,6170000],[720000,6170000],"
    "[720000,6180000],[710000,6180000],[710000,6170000]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"0851\",\"KOMNAVN\":\"Aalborg\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[550000,6320000],[560000,6320000],"
    "[560000,6330000],[550000,6330000],[550000,6320000]]]}}]}";

static void cells(const struct gpcov_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        char key[64];
        double v;
        if (!t->cells[i])
            continue;
        gpcov_key_normalise(t->cells[i], key, sizeof key);
        gpcov_key_normalise(t->cells[i], key, 5); /* the smallest buffer it takes */
        gpcov_parse_number(t->cells[i], &v);
    }
    for (size_t c = 0; c < t->ncols; c++)
        gpcov_table_col(t, t->cols[c]);
}

static void overlay(gpcov_ctx *ctx, const struct gpcov_table_opts *to)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    if (!s)
        abort();
    s->polygons = strdup(POLYS);
    s->name_field = strdup("KOMNAVN");
    int bad = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, TABLE) ||
              gpcov_overlay_set_key(ctx, s, "KOMKODE=kode") ||
              gpcov_overlay_set_where(ctx, s, "antal IS NOT NULL AND alder <> 'I alt'") ||
              gpcov_overlay_add_agg(ctx, s, "n80=sum(antal) where alder >= 80") ||
              gpcov_overlay_add_agg(ctx, s, "rows=count(*)") ||
              gpcov_overlay_add_agg(ctx, s, "top:int=max(antal)") ||
              gpcov_overlay_add_agg(ctx, s, "avg=mean(antal * 2) where navn IN ('a', 'b') "
                                            "OR alder BETWEEN 0 AND 64") ||
              gpcov_overlay_add_agg(ctx, s, "who:text=first(navn)") ||
              gpcov_overlay_set_optional(ctx, s) ||
              gpcov_overlay_add_derive(ctx, s, "share=pct(n80, rows)") ||
              gpcov_overlay_add_derive(ctx, s, "g=round(growth(rows, n80), 1)");
    if (bad)
        abort(); /* the declarations are fixed: they must parse */
    if (to->skip_rows || to->columns || to->fill_down) {
        s->src[0].topts.skip_rows = to->skip_rows;
        s->src[0].topts.columns = to->columns ? strdup(to->columns) : NULL;
        s->src[0].topts.fill_down = to->fill_down ? strdup(to->fill_down) : NULL;
    }
    struct gpcov_layer *out = NULL;
    gpcov_status st = gpcov_overlay_run(ctx, s, &out);
    fuzz_say(ctx, "overlay", st);
    if (st == GPCOV_OK && (!out || out->n != 3))
        abort(); /* every municipality, joined or not (optional) */
    gpcov_layer_free(ctx, out);
    gpcov_overlay_spec_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gpcov_ctx *ctx = fuzz_ctx();
    static int once;
    if (!once++)
        fuzz_vsimem(POLYS, polys, sizeof polys - 1);
    fuzz_vsimem(TABLE, data, size);
    /* the options follow the first line: a title row ('#') is skipped,
    ** data without a header (a digit) gets column names, and an odd size
    ** asks for fill-down of the key */
    struct gpcov_table_opts to = {0};
    if (size && data[0] == '#')
        to.skip_rows = 1;
    else if (size && data[0] >= '0' && data[0] <= '9')
        to.columns = "kode,alder,antal,navn";
    if (size % 2)
        to.fill_down = "kode";
    struct gpcov_table *t = NULL;
    gpcov_status st = gpcov_table_read(ctx, TABLE, &to, &t);
    fuzz_say(ctx, "table", st);
    if (st == GPCOV_OK) {
        if (!t || !t->nrows)
            abort();
        cells(t);
    }
    gpcov_table_free(t);
    overlay(ctx, &to);
    VSIUnlink(TABLE);
    return 0;
}
