/*
** palette.c: the colours of the maps.  Each sequential ramp is a path of
** five anchor colours of our own choosing in CIELAB (D65), light to dark,
** with lightness falling evenly from L* 96 to L* 27-30.  The colour of class
** c of k is the point at c/(k-1) along that path, converted to sRGB.  Because
** lightness alone orders the classes, a ramp reads correctly in greyscale
** and for readers with red-green or blue-yellow colour-vision deficiency;
** hue only helps neighbouring classes apart.  The default ramp runs yellow
** - green - blue (in the manner of ColorBrewer's YlGnBu, not its values);
** a yellow - orange - red-brown and a grey - purple ramp serve a second
** panel or indicators where high means worse.  One diverging ramp (blue -
** pale - red, not ordered by lightness alone) maps a difference around 0.
**
** Categorical (boolean) maps use a strong burnt orange for true against a
** pale sand for false; "no data" is a neutral light grey that the renderer
** hatches with a darker grey, so it is never mistaken for a class colour.
*/
#include "gpcov.h"

#include <math.h>
#include <string.h>

struct lab {
    double L, a, b;
};

static const struct lab ramps[][5] = {
    [GPCOV_PALETTE_BLUE] = {{96, -4, 22}, {82, -26, 24}, {64, -34, -4},
                            {46, -12, -30}, {27, 8, -38}},
    [GPCOV_PALETTE_RED] = {{96, -1, 24}, {84, 8, 48}, {67, 32, 58},
                           {49, 54, 42}, {30, 44, 26}},
    [GPCOV_PALETTE_PURPLE] = {{94, 3, -7}, {79, 13, -17}, {63, 26, -30},
                              {45, 38, -42}, {26, 40, -40}},
    /* dark blue (less) - pale - dark red (more), both ends at one lightness */
    [GPCOV_PALETTE_DIVERGING] = {{38, 10, -46}, {68, -6, -28}, {96, 0, 4},
                                 {68, 34, 34}, {38, 52, 38}},
};

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static double lab_finv(double t)
{
    const double d = 6.0 / 29.0;
    return t > d ? t * t * t : 3 * d * d * (t - 4.0 / 29.0);
}

static double srgb_gamma(double c)
{
    return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
}

/* CIELAB (D65 white) to sRGB, clamped into the gamut. */
static void lab_to_rgb(struct lab c, double rgb[3])
{
    double fy = (c.L + 16) / 116, fx = fy + c.a / 500, fz = fy - c.b / 200;
    double X = 0.95047 * lab_finv(fx), Y = lab_finv(fy),
           Z = 1.08883 * lab_finv(fz);
    double r = 3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z;
    double g = -0.9692660 * X + 1.8760108 * Y + 0.0415560 * Z;
    double b = 0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z;
    rgb[0] = clamp01(srgb_gamma(clamp01(r)));
    rgb[1] = clamp01(srgb_gamma(clamp01(g)));
    rgb[2] = clamp01(srgb_gamma(clamp01(b)));
}

int gpcov_palette_colour(enum gpcov_palette p, int k, int c, double rgb[3])
{
    if ((int)p < 0 || (size_t)p >= sizeof ramps / sizeof *ramps || k < 1 ||
        k > GPCOV_PALETTE_MAX || c < 0 || c >= k)
        return -1;
    /* one class takes the middle of the ramp; two or more span it, but
    ** stop short of the darkest anchor for few classes so that the darkest
    ** class of a 3-class map is not nearly black */
    double span = k >= 5 || p == GPCOV_PALETTE_DIVERGING ? 1.0 : 0.8 + 0.05 * (k - 1);
    double t = k == 1 ? 0.5 : span * c / (k - 1);
    double pos = t * 4;
    int i = (int)floor(pos);
    if (i >= 4)
        i = 3;
    double f = pos - i;
    const struct lab *a = &ramps[p][i], *b = &ramps[p][i + 1];
    struct lab m = {a->L + f * (b->L - a->L), a->a + f * (b->a - a->a),
                    a->b + f * (b->b - a->b)};
    lab_to_rgb(m, rgb);
    return 0;
}

void gpcov_palette_fixed(enum gpcov_palette_fixed which, double rgb[3])
{
    static const struct lab fixed[] = {
        [GPCOV_COLOUR_TRUE] = {50, 46, 54},   /* burnt orange          */
        [GPCOV_COLOUR_FALSE] = {94, 0, 10},   /* pale sand             */
        [GPCOV_COLOUR_NODATA] = {86, 0, 0},   /* light neutral grey    */
        [GPCOV_COLOUR_NODATA_HATCH] = {58, 0, 0},
        [GPCOV_COLOUR_UNDECIDED] = {72, -8, -30}, /* steel blue: neither */
    };
    if ((int)which < 0 || (size_t)which >= sizeof fixed / sizeof *fixed)
        which = GPCOV_COLOUR_NODATA;
    lab_to_rgb(fixed[which], rgb);
}

int gpcov_palette_parse(const char *name, enum gpcov_palette *out)
{
    static const struct {
        const char *name;
        enum gpcov_palette p;
    } names[] = {{"blue", GPCOV_PALETTE_BLUE},
                 {"red", GPCOV_PALETTE_RED},
                 {"purple", GPCOV_PALETTE_PURPLE},
                 {"diverging", GPCOV_PALETTE_DIVERGING}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (name && strcmp(name, names[i].name) == 0) {
            *out = names[i].p;
            return 0;
        }
    return -1;
}
