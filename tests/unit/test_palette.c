/* test_palette.c: the map colours (palette.c): every ramp's lightness
** falls from class to class for every class count, the first class of five
** is the ramp's lightest anchor (L* 96), the categorical colours, and the
** names. */
#include "gpcov.h"
#include "tap.h"

/* CIELAB lightness L* of an sRGB colour (D65) */
static double lightness(const double rgb[3])
{
    double lin[3];
    for (int i = 0; i < 3; i++)
        lin[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow((rgb[i] + 0.055) / 1.055, 2.4);
    double y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    double f = y > 216.0 / 24389 ? cbrt(y) : (24389.0 / 27 * y + 16) / 116;
    return 116 * f - 16;
}

static void test_ramps(void)
{
    static const char *names[] = {"blue", "red", "purple"};
    for (int p = 0; p < 3; p++) {
        int falls = 1, inside = 1;
        for (int k = 1; k <= GPCOV_PALETTE_MAX; k++) {
            double prev = 101, rgb[3];
            for (int c = 0; c < k; c++) {
                if (gpcov_palette_colour((enum gpcov_palette)p, k, c, rgb) != 0)
                    falls = 0;
                double L = lightness(rgb);
                if (L >= prev - 2)
                    falls = 0;
                prev = L;
                for (int i = 0; i < 3; i++)
                    inside &= rgb[i] >= 0 && rgb[i] <= 1;
            }
        }
        OK(falls, "%s: L* falls by over 2 from class to class, 1 to %d classes", names[p],
           GPCOV_PALETTE_MAX);
        OK(inside, "%s: every colour inside sRGB [0, 1]", names[p]);
    }
    double rgb[3];
    gpcov_palette_colour(GPCOV_PALETTE_BLUE, 5, 0, rgb);
    NEAR(lightness(rgb), 96, 0.5, "blue, class 1 of 5: the lightest anchor, L* 96");
    OK(rgb[0] > rgb[2] && rgb[1] > rgb[2], "and yellowish (%.3f %.3f %.3f)", rgb[0], rgb[1], rgb[2]);
    gpcov_palette_colour(GPCOV_PALETTE_BLUE, 5, 4, rgb);
    NEAR(lightness(rgb), 27, 1, "blue, class 5 of 5: the darkest anchor, L* 27");
    OK(rgb[2] > rgb[0] && rgb[2] > rgb[1], "and blue (%.3f %.3f %.3f)", rgb[0], rgb[1], rgb[2]);
    double mid[3];
    gpcov_palette_colour(GPCOV_PALETTE_RED, 1, 0, rgb);
    gpcov_palette_colour(GPCOV_PALETTE_RED, 9, 4, mid);
    NEAR(lightness(rgb), lightness(mid), 1e-9, "one class takes the middle of the ramp");
    gpcov_palette_colour(GPCOV_PALETTE_BLUE, 3, 2, rgb);
    OK(lightness(rgb) > 30, "the darkest of 3 classes stops short of the darkest anchor (L* %.1f)",
       lightness(rgb));
    OK(gpcov_palette_colour(GPCOV_PALETTE_BLUE, 0, 0, rgb) == -1 &&
           gpcov_palette_colour(GPCOV_PALETTE_BLUE, GPCOV_PALETTE_MAX + 1, 0, rgb) == -1 &&
           gpcov_palette_colour(GPCOV_PALETTE_BLUE, 3, 3, rgb) == -1 &&
           gpcov_palette_colour(GPCOV_PALETTE_BLUE, 3, -1, rgb) == -1 &&
           gpcov_palette_colour((enum gpcov_palette)7, 3, 0, rgb) == -1,
       "k, c or the palette out of range: -1");
}

static void test_fixed(void)
{
    double t[3], f[3], nd[3], h[3], u[3];
    gpcov_palette_fixed(GPCOV_COLOUR_TRUE, t);
    gpcov_palette_fixed(GPCOV_COLOUR_FALSE, f);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, nd);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA_HATCH, h);
    gpcov_palette_fixed(GPCOV_COLOUR_UNDECIDED, u);
    OK(t[0] > t[1] && t[1] > t[2], "true: orange (%.3f %.3f %.3f)", t[0], t[1], t[2]);
    NEAR(lightness(t), 50, 0.5, "true: L* 50");
    NEAR(lightness(f), 94, 0.5, "false: pale, L* 94");
    OK(fabs(nd[0] - nd[1]) < 0.002 && fabs(nd[1] - nd[2]) < 0.002, "no data: neutral grey");
    NEAR(lightness(nd), 86, 0.5, "no data: L* 86");
    NEAR(lightness(h), 58, 0.5, "its hatching darker, L* 58");
    OK(u[2] > u[0], "undecided: bluish (%.3f %.3f %.3f)", u[0], u[1], u[2]);
    double o[3];
    gpcov_palette_fixed((enum gpcov_palette_fixed)99, o);
    OK(o[0] == nd[0] && o[1] == nd[1] && o[2] == nd[2], "an unknown colour is no-data grey");
}

static void test_names(void)
{
    enum gpcov_palette p = GPCOV_PALETTE_BLUE;
    OK(gpcov_palette_parse("red", &p) == 0 && p == GPCOV_PALETTE_RED, "red");
    OK(gpcov_palette_parse("purple", &p) == 0 && p == GPCOV_PALETTE_PURPLE, "purple");
    OK(gpcov_palette_parse("blue", &p) == 0 && p == GPCOV_PALETTE_BLUE, "blue");
    OK(gpcov_palette_parse("Blue", &p) == -1 && gpcov_palette_parse(NULL, &p) == -1 &&
           p == GPCOV_PALETTE_BLUE,
       "Blue and NULL: -1, *out untouched");
}

/* The diverging ramp of gpcov compare's difference maps: pale in the
** middle class, dark blue and dark red at the ends, alike in lightness. */
static void test_diverging(void)
{
    double lo[3], mid[3], hi[3], near_lo[3];
    int ok = gpcov_palette_colour(GPCOV_PALETTE_DIVERGING, 5, 0, lo) == 0 &&
             gpcov_palette_colour(GPCOV_PALETTE_DIVERGING, 5, 1, near_lo) == 0 &&
             gpcov_palette_colour(GPCOV_PALETTE_DIVERGING, 5, 2, mid) == 0 &&
             gpcov_palette_colour(GPCOV_PALETTE_DIVERGING, 5, 4, hi) == 0;
    OK(ok, "diverging: 5 classes");
    NEAR(lightness(mid), 96, 0.5, "diverging: the middle of 5 is the pale anchor, L* 96");
    NEAR(lightness(lo), lightness(hi), 1, "diverging: both ends alike in lightness (L* %.1f, %.1f)",
         lightness(lo), lightness(hi));
    OK(lightness(lo) < lightness(near_lo) && lightness(near_lo) < lightness(mid),
       "diverging: lighter towards the middle");
    OK(lo[2] > lo[0] && hi[0] > hi[2], "diverging: blue below, red above");
    enum gpcov_palette p = GPCOV_PALETTE_BLUE;
    OK(gpcov_palette_parse("diverging", &p) == 0 && p == GPCOV_PALETTE_DIVERGING, "diverging: the name");
}

int main(void)
{
    RUN(test_ramps);
    RUN(test_fixed);
    RUN(test_names);
    RUN(test_diverging);
    return tap_done();
}
