/* test_render.c: the map renderer (render.c, render_out.c, palette.c) on a
** layer the test builds itself: three 10 km squares side by side, coded
** 0101, 0147, 0151, the third with a hole and no value (the hole wound
** the same way as the shell, so only an even-odd fill leaves it empty).  Renders PNG, SVG
** and PDF into a fresh temporary directory and checks sizes, colours of
** pixels inside the squares and in the hole, byte-identical reruns, the
** refusal to overwrite, and that a failure leaves no file behind. */
#include "gpcov.h"
#include "tap.h"
#include "testfile.h"

#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static const char *tmp(const char *name)
{
    static char buf[4][400];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static int same_bytes(const char *a, const char *b)
{
    long na, nb;
    unsigned char *x = tf_slurp(a, &na), *y = tf_slurp(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, (size_t)na) == 0;
    free(x);
    free(y);
    return same;
}

/* Three squares: 0101 (v 1, flag true), 0147 (v 2, flag false), 0151 with a
** 4 km hole (v null, flag null). */
static struct gpcov_layer *squares(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = gpcov_layer_new("squares");
    int v = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    int flag = gpcov_layer_add_field(ctx, l, "flag", GPCOV_BOOL);
    gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    gpcov_layer_append(ctx, l, "0101",
                       tf_wkt(ctx, "POLYGON((500000 6100000,510000 6100000,"
                                "510000 6110000,500000 6110000,500000 6100000))"));
    gpcov_layer_append(ctx, l, "0147",
                       tf_wkt(ctx, "POLYGON((510000 6100000,520000 6100000,"
                                "520000 6110000,510000 6110000,510000 6100000))"));
    gpcov_layer_append(ctx, l, "0151",
                       tf_wkt(ctx, "POLYGON((520000 6100000,530000 6100000,"
                                "530000 6110000,520000 6110000,520000 6100000),"
                                "(523000 6103000,527000 6103000,527000 6107000,"
                                "523000 6107000,523000 6103000))"));
    gpcov_layer_set_num(ctx, l, 0, (size_t)v, 1);
    gpcov_layer_set_num(ctx, l, 1, (size_t)v, 2);
    gpcov_layer_set_num(ctx, l, 0, (size_t)flag, 1);
    gpcov_layer_set_num(ctx, l, 1, (size_t)flag, 0);
    gpcov_layer_set_str(ctx, l, 0, 2, "København Æbelø");
    return l;
}

/* The pixel at map point (x, y) of panel p in the PNG at path, as 0xRRGGBB;
** -1 when it cannot be read. */
static long pixel_at(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                     const char *path, size_t p, double x, double y)
{
    double w, h, px, py;
    if (gpcov_map_locate(ctx, spec, p, x, y, &w, &h, &px, &py) != GPCOV_OK ||
        isnan(px))
        return -1;
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    double k = (spec->dpi ? spec->dpi : 200) / 72;
    int ix = (int)floor(px * k), iy = (int)floor(py * k);
    long r = -1;
    if (ix >= 0 && iy >= 0 && ix < cairo_image_surface_get_width(s) &&
        iy < cairo_image_surface_get_height(s)) {
        const unsigned char *d = cairo_image_surface_get_data(s);
        size_t stride = (size_t)cairo_image_surface_get_stride(s);
        uint32_t v;
        memcpy(&v, d + (size_t)iy * stride + (size_t)ix * 4, sizeof v);
        r = (long)(v & 0xFFFFFF);
    }
    cairo_surface_destroy(s);
    return r;
}

static long rgb_hex(const double *rgb)
{
    long r = lround(rgb[0] * 255), g = lround(rgb[1] * 255),
         b = lround(rgb[2] * 255);
    return (r << 16) | (g << 8) | b;
}

static int close_colour(long a, long b)
{
    if (a < 0 || b < 0)
        return 0;
    for (int sh = 0; sh <= 16; sh += 8)
        if (labs(((a >> sh) & 255) - ((b >> sh) & 255)) > 2)
            return 0;
    return 1;
}

static int has(const char *msg, const char *part)
{
    int ok = strstr(msg, part) != NULL;
    if (!ok)
        printf("#   message: %s\n#   lacks: %s\n", msg, part);
    return ok;
}

/* what the cases share: the context, the squares and the map of them */
static gpcov_ctx *ctx;
static struct gpcov_layer *units;
static struct gpcov_map_panel pan[2];
static struct gpcov_map_spec spec;
static const char *attr[] = {"Indeholder data fra test", NULL};
static int before; /* entries in the directory before the refusals */

/* one panel of v in two equal classes over the squares */
static void setup_spec(void)
{
    gpcov_map_panel_init(&pan[0]);
    pan[0].field = "v";
    pan[0].title = "Værdi (æ ø å Æ Ø Å)";
    pan[0].unit = "%";
    pan[0].method = GPCOV_BREAKS_EQUAL;
    pan[0].classes = 2;
    gpcov_map_spec_init(&spec);
    spec.units = units;
    spec.units_src = "squares.gpkg";
    spec.npanels = 1;
    spec.panels = pan;
    spec.title = "Test map";
    spec.attribution = attr;
}

/* palette: classes get lighter to darker; the categorical colours
** differ from no data */
static void case_palette(void)
{
    double c0[3], c1[3], c4[3];
    OK(gpcov_palette_colour(GPCOV_PALETTE_BLUE, 5, 0, c0) == 0 &&
           gpcov_palette_colour(GPCOV_PALETTE_BLUE, 5, 4, c4) == 0,
       "palette: 5 classes of blue");
    OK(c0[0] + c0[1] + c0[2] > c4[0] + c4[1] + c4[2] + 1.5,
       "palette: the first class is much lighter than the last");
    OK(gpcov_palette_colour(GPCOV_PALETTE_BLUE, 10, 0, c1) == -1 &&
           gpcov_palette_colour(GPCOV_PALETTE_RED, 3, 3, c1) == -1,
       "palette: 10 classes, or class 3 of 3, refused");
}

/* PNG: size, resolution, class colours, holes and no data */
static void case_png(void)
{
    gpcov_status st;
    st = gpcov_map_render(ctx, &spec, tmp("a.png"), 0);
    OK(st == GPCOV_OK, "render one panel to PNG (%s)", gpcov_ctx_message(ctx));
    cairo_surface_t *png = cairo_image_surface_create_from_png(tmp("a.png"));
    double pw = 0, ph = 0, px, py;
    gpcov_map_locate(ctx, &spec, 0, 505000, 6105000, &pw, &ph, &px, &py);
    int want_w = (int)ceil(pw * 200 / 72 - 1e-6), want_h = (int)ceil(ph * 200 / 72 - 1e-6);
    OK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS &&
           cairo_image_surface_get_width(png) == want_w &&
           cairo_image_surface_get_height(png) == want_h,
       "PNG is %d x %d px (page %g x %g pt at 200 dpi)", want_w, want_h, pw, ph);
    OK(want_w >= 1600, "PNG at least 1600 px wide (%d)", want_w);
    cairo_surface_destroy(png);
    long n;
    unsigned char *bytes = tf_slurp(tmp("a.png"), &n);
    OK(bytes && n > 50 && !memcmp(bytes + 37, "pHYs", 4) &&
           bytes[41] == 0 && bytes[42] == 0 && bytes[43] == 0x1E &&
           bytes[44] == 0xC2 && bytes[49] == 1,
       "PNG records 200 dpi (pHYs: 7874 pixels per metre)");
    free(bytes);

    double rgb0[3], rgb1[3], grey[3], hole[3] = {1, 1, 1};
    gpcov_palette_colour(GPCOV_PALETTE_BLUE, 2, 0, rgb0);
    gpcov_palette_colour(GPCOV_PALETTE_BLUE, 2, 1, rgb1);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, grey);
    long p0 = pixel_at(ctx, &spec, tmp("a.png"), 0, 505000, 6105000);
    long p1 = pixel_at(ctx, &spec, tmp("a.png"), 0, 515000, 6105000);
    OK(close_colour(p0, rgb_hex(rgb0)),
       "square 0101 (v = 1) has class 0's colour (#%06lx, want #%06lx)", p0,
       rgb_hex(rgb0));
    OK(close_colour(p1, rgb_hex(rgb1)),
       "square 0147 (v = 2) has class 1's colour (#%06lx, want #%06lx)", p1,
       rgb_hex(rgb1));
    OK(!close_colour(p0, p1), "the two classes differ");
    long ph0 = pixel_at(ctx, &spec, tmp("a.png"), 0, 525000, 6105000);
    OK(close_colour(ph0, rgb_hex(hole)),
       "the hole of 0151 is not filled: even-odd rings (#%06lx)", ph0);
    /* no data: grey or its hatching, both neutral; sample a few pixels */
    int neutral = 1, any_grey = 0;
    for (int i = 0; i < 8; i++) {
        long q = pixel_at(ctx, &spec, tmp("a.png"), 0, 521000 + 150.0 * i,
                          6108000 + 100.0 * i);
        int r = (int)(q >> 16) & 255, g = (int)(q >> 8) & 255, b = (int)q & 255;
        neutral &= q >= 0 && abs(r - g) <= 3 && abs(g - b) <= 3 && r < 250;
        any_grey |= close_colour(q, rgb_hex(grey));
    }
    OK(neutral && any_grey, "the null square is grey (hatched), not a class");
}

/* categorical: true and false colours */
static void case_categorical(void)
{
    gpcov_status st;
    double rgb1[3];
    gpcov_palette_colour(GPCOV_PALETTE_BLUE, 2, 1, rgb1);
    struct gpcov_map_panel cat;
    gpcov_map_panel_init(&cat);
    cat.field = "flag";
    cat.categorical = 1;
    cat.label_true = "Lægedækningstruet";
    cat.label_false = "Ikke udpeget";
    pan[1] = cat;
    spec.npanels = 2;
    st = gpcov_map_render(ctx, &spec, tmp("two.png"), 0);
    OK(st == GPCOV_OK, "two panels, one categorical (%s)", gpcov_ctx_message(ctx));
    double t[3], f[3];
    gpcov_palette_fixed(GPCOV_COLOUR_TRUE, t);
    gpcov_palette_fixed(GPCOV_COLOUR_FALSE, f);
    long pt = pixel_at(ctx, &spec, tmp("two.png"), 1, 505000, 6105000);
    long pf = pixel_at(ctx, &spec, tmp("two.png"), 1, 515000, 6105000);
    long pa = pixel_at(ctx, &spec, tmp("two.png"), 0, 515000, 6105000);
    OK(close_colour(pt, rgb_hex(t)) && close_colour(pf, rgb_hex(f)),
       "panel (b): true square #%06lx, false square #%06lx", pt, pf);
    OK(close_colour(pa, rgb_hex(rgb1)), "panel (a) still shows class 1 (#%06lx)",
       pa);
    double w2, px, py;
    gpcov_map_locate(ctx, &spec, 0, 0, 0, &w2, NULL, &px, &py);
    OK(w2 == 864 && isnan(px), "two panels: a 12 in page; (0,0) lies on no map");
    spec.npanels = 1;
}

/* SVG, PDF, and a rerun giving the same bytes */
static void case_formats(void)
{
    gpcov_status st;
    const char *first[] = {tmp("b.png"), tmp("b.svg"), tmp("b.pdf")};
    st = gpcov_map_render_all(ctx, &spec, first, 3, 0);
    OK(st == GPCOV_OK, "PNG, SVG and PDF in one go (%s)", gpcov_ctx_message(ctx));
    long n;
    unsigned char *bytes = tf_slurp(tmp("b.svg"), &n);
    OK(bytes && n > 1000 && strstr((char *)bytes, "<svg") &&
           strstr((char *)bytes, "width=\"576pt\""),
       "SVG written, 576 pt wide");
    free(bytes);
    bytes = tf_slurp(tmp("b.pdf"), &n);
    OK(bytes && n > 1000 && !memcmp(bytes, "%PDF-", 5), "PDF written");
    free(bytes);
    const char *second[] = {tmp("c.png"), tmp("c.svg"), tmp("c.pdf")};
    st = gpcov_map_render_all(ctx, &spec, second, 3, 0);
    OK(st == GPCOV_OK && same_bytes(tmp("b.png"), tmp("c.png")),
       "PNG: a second run gives the same bytes");
    OK(same_bytes(tmp("b.svg"), tmp("c.svg")), "SVG: the same bytes");
    OK(same_bytes(tmp("b.pdf"), tmp("c.pdf")), "PDF: the same bytes");
    OK(same_bytes(tmp("a.png"), tmp("b.png")),
       "PNG alone and PNG with SVG and PDF: the same bytes");
}

/* refusals of existing outputs, no trace left */
static void case_refusals(void)
{
    gpcov_status st;
    before = tf_entries(dir);
    long size_a = file_size(tmp("a.png"));
    pan[0].method = GPCOV_BREAKS_QUANTILE; /* a different picture */
    st = gpcov_map_render(ctx, &spec, tmp("a.png"), 0);
    OK(st == GPCOV_EOUTPUT, "an existing output is refused: EOUTPUT");
    OK(has(gpcov_ctx_message(ctx), "--overwrite") &&
           has(gpcov_ctx_message(ctx), "a.png"),
       "... and the message names it and --overwrite");
    OK(file_size(tmp("a.png")) == size_a && tf_entries(dir) == before,
       "... the file is untouched and nothing is left beside it");
    const char *mixed[] = {tmp("new.png"), tmp("a.png")};
    st = gpcov_map_render_all(ctx, &spec, mixed, 2, 0);
    OK(st == GPCOV_EOUTPUT && file_size(tmp("new.png")) < 0 &&
           tf_entries(dir) == before,
       "two outputs, one existing: neither written (all or nothing)");
    st = gpcov_map_render(ctx, &spec, tmp("a.png"), 1);
    OK(st == GPCOV_OK && tf_entries(dir) == before,
       "with overwrite it is replaced, no temporary left");
    pan[0].method = GPCOV_BREAKS_EQUAL;
}

/* refusals of bad fields, classes, formats and sizes, no trace left */
static void case_bad_panels(void)
{
    gpcov_status st;
    pan[0].field = "nosuch";
    st = gpcov_map_render(ctx, &spec, tmp("d.png"), 0);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "squares.gpkg") &&
           has(gpcov_ctx_message(ctx), "'nosuch'"),
       "an unknown field: EINPUT naming the field and the file");
    OK(file_size(tmp("d.png")) < 0 && tf_entries(dir) == before,
       "... and no file left behind");
    pan[0].field = "name";
    st = gpcov_map_render(ctx, &spec, tmp("d.png"), 0);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "not a number") &&
           has(gpcov_ctx_message(ctx), "0101"),
       "a text field: EINPUT naming the municipality");
    pan[0].field = "v";
    pan[0].method = GPCOV_BREAKS_JENKS;
    pan[0].classes = 3;
    st = gpcov_map_render(ctx, &spec, tmp("d.png"), 0);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "'v'") &&
           has(gpcov_ctx_message(ctx), "distinct"),
       "3 classes of 2 values: EINPUT naming the field");
    pan[0].method = GPCOV_BREAKS_FIXED;
    double edges[] = {1.5, 3, 4};
    pan[0].fixed = edges;
    pan[0].classes = 2;
    st = gpcov_map_render(ctx, &spec, tmp("d.png"), 0);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "outside the fixed"),
       "a value below the fixed edges: EINPUT");
    pan[0].method = GPCOV_BREAKS_EQUAL;
    st = gpcov_map_render(ctx, &spec, tmp("d.jpg"), 0);
    OK(st == GPCOV_EUSAGE && has(gpcov_ctx_message(ctx), "unknown map format"),
       "a .jpg output: EUSAGE");
    st = gpcov_map_render(ctx, &spec, tmp("nodir/d.png"), 0);
    OK(st == GPCOV_EOUTPUT, "an output in a missing directory: EOUTPUT");
    spec.dpi = 5;
    st = gpcov_map_render(ctx, &spec, tmp("d.png"), 0);
    OK(st == GPCOV_EUSAGE && has(gpcov_ctx_message(ctx), "dpi"),
       "5 dpi: EUSAGE");
    spec.dpi = 0;
    spec.npanels = 0;
    OK(gpcov_map_render(ctx, &spec, tmp("d.png"), 0) == GPCOV_EUSAGE,
       "no panel: EUSAGE");
    OK(file_size(tmp("d.png")) < 0 && tf_entries(dir) == before,
       "after every failure the directory holds what it held");
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/gpcov-render-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        printf("not ok 1 - cannot make a temporary directory\n");
        return 1;
    }
    ctx = gpcov_ctx_new();
    units = squares(ctx);
    RUN(case_palette);
    setup_spec();
    RUN(case_png);
    RUN(case_categorical);
    RUN(case_formats);
    RUN(case_refusals);
    RUN(case_bad_panels);

    /* tidy up (GPCOV_KEEP=1 keeps the files to look at) */
    if (getenv("GPCOV_KEEP")) {
        printf("# files kept in %s\n", dir);
        gpcov_layer_free(ctx, units);
        gpcov_ctx_free(ctx);
        return tap_done();
    }
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            remove(tmp(e->d_name));
    if (d)
        closedir(d);
    rmdir(dir);
    gpcov_layer_free(ctx, units);
    gpcov_ctx_free(ctx);
    return tap_done();
}
