/* test_compare.c: gpcov_compare (lib/report/compare*.c) on a tiny
** fixture: two layers of six squares whose verdicts, rules and fee differ
** in known ways (a unit that becomes threatened, one no longer, one
** undecided, one only in A, one only in B, one left out on both sides),
** then two report folders with manifests whose inputs differ; and the
** refusals: a folder without threat.gpkg, an existing output. */
#include "gpcov.h"
#include "fixture.h"
#include "tap.h"

#include <sys/stat.h>

/* A unit: key, name, verdict, rule_remote (-1 null), total_dkk (NAN
** null), fee_reason, share_far60. */
struct unit {
    const char *key, *name, *verdict;
    int remote;
    double fee;
    const char *reason;
    double far;
};

static void write_units(const char *file, const struct unit *u, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
               "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n");
    for (size_t i = 0; i < n; i++) {
        double x = 700000 + 10000.0 * (double)(u[i].key[3] - '0') + 20000.0 * (u[i].key[2] - '0');
        fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"komkode\":\"%s\",\"name\":\"%s\","
                "\"verdict\":%s%s%s,\"rule_remote\":%s,\"total_dkk\":", i ? ",\n" : "", u[i].key,
                u[i].name, u[i].verdict ? "\"" : "", u[i].verdict ? u[i].verdict : "null",
                u[i].verdict ? "\"" : "", u[i].remote < 0 ? "null" : u[i].remote ? "true" : "false");
        if (isnan(u[i].fee))
            fprintf(f, "null");
        else
            fprintf(f, "%.2f", u[i].fee);
        fprintf(f, ",\"fee_reason\":%s%s%s,\"share_far60\":%g},\"geometry\":{\"type\":\"Polygon\","
                "\"coordinates\":[[[%g,6170000],[%g,6170000],[%g,6180000],[%g,6180000],"
                "[%g,6170000]]]}}", u[i].reason ? "\"" : "", u[i].reason ? u[i].reason : "null",
                u[i].reason ? "\"" : "", u[i].far, x, x + 9000, x + 9000, x, x);
    }
    fprintf(f, "\n]}\n");
    fclose(f);
    fx_write(file, text);
    free(text);
}

static const struct unit A[] = {
    {"0101", "København", "false", 0, 1000, NULL, 10},
    {"0147", "Frederiksberg", "true", 1, 2000, NULL, 30},
    {"0825", "Læsø", "false", 0, 3000, NULL, 20},
    {"0400", "Bornholm", "false", 0, 4000, NULL, 5},
    {"0411", "Christiansø", NULL, -1, NAN, "udeladt (--exclude)", 0},
    {"0360", "Lolland", "false", 0, 500, NULL, 1},
    {"0330", "Slagelse", "undecided", -1, 700, NULL, 2},
};
static const struct unit B[] = {
    {"0101", "København", "false", 0, 1500, NULL, 10},
    {"0147", "Frederiksberg", "false", 0, 1200, NULL, 15},
    {"0825", "Læsø", "true", 1, 3800, NULL, 40},
    {"0787", "Thisted", "false", 0, 200, NULL, 5},
    {"0411", "Christiansø", NULL, -1, NAN, "udeladt (--exclude)", 0},
    {"0360", "Lolland", "undecided", -1, 500, NULL, 1},
    {"0330", "Slagelse", "undecided", -1, 700, NULL, 2},
};

/* The cell of column col in the row of key, or NULL. */
static const char *cell(const struct gpcov_table *t, const char *key, const char *col)
{
    int c = gpcov_table_col(t, col), k = gpcov_table_col(t, "komkode");
    for (size_t r = 0; c >= 0 && k >= 0 && r < t->nrows; r++)
        if (t->cells[r * t->ncols + (size_t)k] && !strcmp(t->cells[r * t->ncols + (size_t)k], key))
            return t->cells[r * t->ncols + (size_t)c] ? t->cells[r * t->ncols + (size_t)c] : "";
    return NULL;
}

static gpcov_ctx *ctx;

/* Two layers: each change of verdict, rule and fee as planned. */
static void test_layers(void)
{
    write_units("a.geojson", A, 7);
    write_units("b.geojson", B, 7);
    struct gpcov_compare_opts o = {0};
    char out[512], *summary = NULL;
    snprintf(out, sizeof out, "%s", fx_path("changes.csv"));
    o.a = fx_path("a.geojson");
    o.b = fx_path("b.geojson");
    o.output = out;
    gpcov_status st = gpcov_compare(ctx, &o, &summary);
    OK(st == GPCOV_OK, "two layers compare: %s", gpcov_ctx_message(ctx));
    struct gpcov_table *t = NULL;
    OK(gpcov_table_read(ctx, out, NULL, &t) == GPCOV_OK && t->nrows == 8,
       "one row per key of either side (8)");
    if (!t)
        return;
    STREQ(cell(t, "0825", "verdict_change"), "became threatened", "Læsø becomes threatened");
    STREQ(cell(t, "0147", "verdict_change"), "no longer threatened", "Frederiksberg no longer");
    STREQ(cell(t, "0360", "verdict_change"), "became undecided", "Lolland becomes undecided");
    STREQ(cell(t, "0101", "verdict_change"), "unchanged", "København unchanged");
    STREQ(cell(t, "0330", "verdict_change"), "undecided in both", "Slagelse undecided in both");
    STREQ(cell(t, "0330", "verdict_changed"), "undecided", "... on the map undecided, not unchanged");
    STREQ(cell(t, "0360", "verdict_changed"), "undecided", "Lolland on the map: undecided");
    STREQ(cell(t, "0101", "verdict_changed"), "false", "København on the map: unchanged");
    STREQ(cell(t, "0147", "verdict_changed"), "true", "Frederiksberg on the map: changed");
    STREQ(cell(t, "0825", "rules_start"), "remote", "remote starts firing in Læsø");
    STREQ(cell(t, "0147", "rules_stop"), "remote", "remote stops firing in Frederiksberg");
    STREQ(cell(t, "0825", "total_dkk_diff"), "800", "Læsø's fee: 3800 - 3000");
    STREQ(cell(t, "0147", "total_dkk_pct"), "-40", "Frederiksberg's fee: -40 %%");
    STREQ(cell(t, "0825", "share_far60_diff"), "20", "a differing indicator: B - A");
    STREQ(cell(t, "0400", "total_dkk_b"), "", "Bornholm, absent in B: no fee in B, not 0");
    STREQ(cell(t, "0400", "total_dkk_diff"), "", "... and no difference");
    STREQ(cell(t, "0400", "verdict_change"), "", "... and no verdict change");
    OK(strstr(cell(t, "0400", "compare_reason"), "absent in B") != NULL,
       "Bornholm's reason: absent in B");
    STREQ(cell(t, "0411", "total_dkk_diff"), "", "Christiansø, left out on both sides: empty");
    OK(strstr(cell(t, "0411", "compare_reason"), "no fee in A: udeladt (--exclude)") != NULL,
       "Christiansø's reason quotes the fee's own");
    OK(summary && strstr(summary, "1 municipality becomes threatened: Læsø; 1 no longer: "
                                  "Frederiksberg; 1 becomes undecided: Lolland; 1 undecided in both: "
                                  "Slagelse\n"),
       "summary names the changes");
    OK(summary && strstr(summary, "the fee moves 1300 kr.: most to Læsø (+800 kr.), most from "
                                  "Frederiksberg (-800 kr.); in all 7200 kr. -> 7700 kr.\n"),
       "summary says where the fee moves");
    OK(summary && strstr(summary, "1 municipality only in A, 1 only in B\n"),
       "summary counts the units on one side only");
    gpcov_table_free(t);
    free(summary);
}

/* A folder of a report: the layers and a manifest. */
static void write_folder(const char *dir, const char *file, const char *remote, const char *sha)
{
    char p[600];
    mkdir(fx_path(dir), 0755);
    struct gpcov_layer *l = NULL;
    gpcov_layer_read(ctx, fx_path(file), &(struct gpcov_read_opts){.key_field = "komkode"}, &l);
    static const char *const names[] = {"municipalities.gpkg", "threat.gpkg", "fee.gpkg"};
    for (int k = 0; k < 3 && l; k++) {
        snprintf(p, sizeof p, "%s/%s", fx_path(dir), names[k]);
        gpcov_layer_write(ctx, l, p, &(struct gpcov_write_opts){.overwrite = 1});
    }
    gpcov_layer_free(ctx, l);
    char json[2000];
    snprintf(json, sizeof json, "{\"gpcov\":\"0.1.0\",\"variables\":{\"out\":\"%s\","
             "\"remote_share\":\"%s\"},\"steps\":[{\"step\":\"threat\",\"args\":[\"--units\","
             "\"%s/municipalities.gpkg\",\"--rule\",\"remote: share_far60 > %s\"],\"inputs\":["
             "{\"path\":\"data/plo.csv\",\"sha256\":\"%s\"},{\"path\":\"%s/municipalities.gpkg\","
             "\"sha256\":\"%s\"}]}]}\n", fx_path(dir), remote, fx_path(dir), remote, sha,
             fx_path(dir), remote);
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    fx_write(p, json);
}

/* Two folders: the inputs that differ, read from the manifests. */
static void test_folders(void)
{
    write_folder("A", "a.geojson", "25", "aaaa");
    write_folder("B", "b.geojson", "15", "bbbb");
    struct gpcov_compare_opts o = {0};
    char out[512], a[512], b[512], *summary = NULL;
    snprintf(out, sizeof out, "%s", fx_path("folders.xlsx"));
    snprintf(a, sizeof a, "%s", fx_path("A"));
    snprintf(b, sizeof b, "%s", fx_path("B"));
    o.a = a, o.b = b, o.output = out;
    gpcov_status st = gpcov_compare(ctx, &o, &summary);
    OK(st == GPCOV_OK, "two folders compare, the table as XLSX: %s", gpcov_ctx_message(ctx));
    OK(summary && strstr(summary, "variables: remote_share 25 -> 15\n"),
       "the variable that differs, the run's out aside");
    OK(summary && strstr(summary, "input files (SHA-256): data/plo.csv aaaa -> bbbb\n"),
       "the input file that differs, the runs' own outputs aside");
    OK(summary && strstr(summary, "steps with other arguments: threat\n"),
       "the step whose arguments differ (out written ${out})");
    struct gpcov_table *t = NULL;
    OK(gpcov_table_read(ctx, fx_path("folders_inputs.csv"), NULL, &t) == GPCOV_OK &&
           t->nrows == 3, "folders_inputs.csv: a row for each difference");
    if (t)
        STREQ(t->cells[0 * t->ncols + 1], "remote_share", "its first row: the variable");
    gpcov_table_free(t);
    struct gpcov_table *x = NULL;
    OK(gpcov_table_read(ctx, out, NULL, &x) == GPCOV_OK && x && x->nrows == 8,
       "the XLSX table opens, 8 rows");
    gpcov_table_free(x);
    free(summary);
}

/* A folder without threat.gpkg, and an existing output: refused, and
** nothing written. */
static void test_refusals(void)
{
    char p[600], out[512], a[512], b[512], *summary = NULL;
    snprintf(p, sizeof p, "%s/threat.gpkg", fx_path("B"));
    unlink(p);
    snprintf(out, sizeof out, "%s", fx_path("none.csv"));
    snprintf(a, sizeof a, "%s", fx_path("A"));
    snprintf(b, sizeof b, "%s", fx_path("B"));
    struct gpcov_compare_opts o = {.a = a, .b = b, .output = out};
    gpcov_status st = gpcov_compare(ctx, &o, &summary);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "/B/threat.gpkg: missing"),
       "a folder without threat.gpkg: %s", gpcov_ctx_message(ctx));
    OK(access(out, F_OK) != 0 && !summary, "... and no output");
    o.a = fx_path("a.geojson");
    o.b = fx_path("b.geojson");
    o.output = fx_path("changes.csv");
    st = gpcov_compare(ctx, &o, &summary);
    OK(st == GPCOV_EOUTPUT, "an existing table without overwrite: %s", gpcov_ctx_message(ctx));
    o.output = fx_path("changes.txt");
    OK(gpcov_compare(ctx, &o, &summary) == GPCOV_EUSAGE, "a table as .txt: %s",
       gpcov_ctx_message(ctx));
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(test_layers);
    RUN(test_folders);
    RUN(test_refusals);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
