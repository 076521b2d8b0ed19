/* test_io_sheet.c: tables for spreadsheets through the one layer writer
** (io_write.c): an .xlsx keeps codes as text, numbers as numbers and a
** missing value as an empty cell, text that looks like a formula as text;
** a CSV in the Danish style (csv_danish.c) is byte for byte what Danish
** Excel opens right; neither replaces an existing file without overwrite. */
#include "gpcov.h"
#include "fixture.h"
#include "tap.h"
#include "testfile.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

/* Two municipalities: a code of digits, a name, a real, a whole number
** (missing for the second), a boolean, and a name that reads as a formula. */
static struct gpcov_layer *sample(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = gpcov_layer_new("t");
    gpcov_layer_add_field(ctx, l, GPCOV_KEY_FIELD, GPCOV_STR);
    gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    gpcov_layer_add_field(ctx, l, "share", GPCOV_REAL);
    gpcov_layer_add_field(ctx, l, "patients", GPCOV_INT);
    gpcov_layer_add_field(ctx, l, "designated", GPCOV_BOOL);
    gpcov_layer_append(ctx, l, "0101", NULL);
    gpcov_layer_append(ctx, l, "0825", NULL);
    gpcov_layer_set_str(ctx, l, 0, 0, "0101");
    gpcov_layer_set_str(ctx, l, 0, 1, "København");
    gpcov_layer_set_num(ctx, l, 0, 2, 2.07);
    gpcov_layer_set_num(ctx, l, 0, 3, 632340);
    gpcov_layer_set_num(ctx, l, 0, 4, 1);
    gpcov_layer_set_str(ctx, l, 1, 0, "0825");
    gpcov_layer_set_str(ctx, l, 1, 1, "=HYPERLINK(\"x\")");
    gpcov_layer_set_num(ctx, l, 1, 2, -0.5);
    gpcov_layer_set_null(l, 1, 3);
    gpcov_layer_set_num(ctx, l, 1, 4, 0);
    return l;
}

static void xlsx_reads_back(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = sample(ctx);
    struct gpcov_write_opts wo = {0};
    OK(gpcov_layer_write(ctx, l, fx_path("t.xlsx"), &wo) == GPCOV_OK, "an .xlsx is written (%s)",
       gpcov_ctx_message(ctx));
    CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    GDALDatasetH ds = GDALOpenEx(fx_path("t.xlsx"), GDAL_OF_VECTOR, NULL, NULL, NULL);
    CPLSetConfigOption("OGR_XLSX_HEADERS", NULL);
    OGRLayerH ol = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    OK(ol && !strcmp(OGR_L_GetName(ol), "t"), "one sheet, named after the file");
    OK(ol && OGR_L_GetFeatureCount(ol, 1) == 2, "two rows under the header");
    OGRFeatureDefnH d = ol ? OGR_L_GetLayerDefn(ol) : NULL;
    OK(d && OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 0)) == OFTString, "the code is text");
    OK(d && OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 2)) == OFTReal, "the share is a number");
    OK(d && OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 3)) == OFTInteger, "patients are whole");
    OGRFeatureH f = ol ? OGR_L_GetNextFeature(ol) : NULL;
    STREQ(f ? OGR_F_GetFieldAsString(f, 0) : NULL, "0101", "the code keeps its zero");
    STREQ(f ? OGR_F_GetFieldAsString(f, 1) : NULL, "København", "the name in UTF-8");
    NEAR(f ? OGR_F_GetFieldAsDouble(f, 2) : 0, 2.07, 1e-12, "2.07 is 2.07");
    OK(f && OGR_F_GetFieldAsInteger(f, 3) == 632340, "632340 patients");
    OGR_F_Destroy(f);
    f = ol ? OGR_L_GetNextFeature(ol) : NULL;
    STREQ(f ? OGR_F_GetFieldAsString(f, 1) : NULL, "=HYPERLINK(\"x\")",
          "a formula-like name is kept as text, as it was");
    OK(f && !OGR_F_IsFieldSetAndNotNull(f, 3), "a missing value is an empty cell, not 0");
    OK(f && OGR_F_IsFieldSetAndNotNull(f, 4) && OGR_F_GetFieldAsInteger(f, 4) == 0,
       "false is 0, set");
    OGR_F_Destroy(f);
    if (ds)
        GDALClose(ds);
    gpcov_layer_set_str(ctx, l, 0, 1, "changed");
    OK(gpcov_layer_write(ctx, l, fx_path("t.xlsx"), &wo) == GPCOV_EOUTPUT,
       "an existing .xlsx is refused without overwrite");
    wo.overwrite = 1;
    OK(gpcov_layer_write(ctx, l, fx_path("t.xlsx"), &wo) == GPCOV_OK, "and replaced with it");
    gpcov_layer_free(ctx, l);
}

static void danish_csv_bytes(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = sample(ctx);
    struct gpcov_write_opts wo = {0};
    gpcov_ctx_set_csv_style(ctx, GPCOV_CSV_DANISH);
    OK(gpcov_layer_write(ctx, l, fx_path("dk.csv"), &wo) == GPCOV_OK, "a Danish CSV is written (%s)",
       gpcov_ctx_message(ctx));
    long n;
    char *b = tf_slurp(fx_path("dk.csv"), &n);
    const char *want = "\xEF\xBB\xBF\"komkode\";\"name\";\"share\";\"patients\";\"designated\"\r\n"
                       "=\"0101\";\"København\";2,07;632340;1\r\n"
                       "=\"0825\";\"'=HYPERLINK(\"\"x\"\")\";-0,5;;0\r\n";
    STREQ(b, want, "BOM, semicolons, decimal comma, =\"0101\", empty for missing, CRLF");
    free(b);
    OK(gpcov_layer_write(ctx, l, fx_path("dk.csv"), &wo) == GPCOV_EOUTPUT,
       "an existing Danish CSV is refused without overwrite");
    gpcov_ctx_set_csv_style(ctx, GPCOV_CSV_PLAIN);
    OK(gpcov_layer_write(ctx, l, fx_path("plain.csv"), &wo) == GPCOV_OK, "a plain CSV");
    b = tf_slurp(fx_path("plain.csv"), &n);
    OK(b && !strncmp(b, "komkode,name,share,patients,designated\n0101,København,2.07,632340,1\n",
                     68), "the plain CSV is as before: commas, decimal point, no BOM");
    free(b);
    gpcov_layer_free(ctx, l);
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(xlsx_reads_back, ctx);
    RUN_ON(danish_csv_bytes, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
