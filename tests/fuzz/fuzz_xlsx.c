/*
** fuzz_xlsx.c: fuzz target for spreadsheets: the input is an .xlsx in
** /vsimem/, read by gpcov_table_read (OGR's XLSX driver, and before it the
** shim that rewrites StatBank's namespace-prefixed sheets, "<x:row>"),
** then every cell goes through key normalisation and number parsing.  The
** input's size picks the reading options (skip_rows, columns, fill_down).
*/
#include "fuzz.h"

#define BOOK "/vsimem/fuzz_xlsx/t.xlsx"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gpcov_ctx *ctx = fuzz_ctx();
    fuzz_vsimem(BOOK, data, size);
    struct gpcov_table_opts to = {0};
    switch (size % 4) {
    case 1: to.skip_rows = 2; break;
    case 2: to.columns = "a,b"; break;
    case 3: to.fill_down = "kode"; break;
    default: break;
    }
    struct gpcov_table *t = NULL;
    gpcov_status st = gpcov_table_read(ctx, BOOK, &to, &t);
    fuzz_say(ctx, "table", st);
    if (st == GPCOV_OK) {
        if (!t || !t->nrows)
            abort();
        for (size_t i = 0; i < t->nrows * t->ncols; i++) {
            char key[64];
            double v;
            if (t->cells[i]) {
                gpcov_key_normalise(t->cells[i], key, sizeof key);
                gpcov_parse_number(t->cells[i], &v);
            }
        }
    }
    gpcov_table_free(t);
    VSIUnlink(BOOK);
    return 0;
}
