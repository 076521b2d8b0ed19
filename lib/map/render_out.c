/*
** render_out.c: the map files.  A figure prepared by layout.c is drawn by
** render.c onto a cairo surface chosen by the output's extension: an image
** surface scaled by dpi/72 and saved as PNG (with a pHYs chunk, so that the
** image prints at its size), or an SVG or PDF surface in points.  Outputs are
** byte-for-byte reproducible: cairo's PNG writer adds no time, the PDF's
** creation and modification dates are pinned (as ctx.c pins OGR's), and
** text is unhinted so that no font configuration of the machine leaks in.
** Every file goes through atomic.c: written under a temporary name beside
** the target and renamed when complete; several outputs of one figure are
** renamed only when all of them were written.
*/
#include "render_internal.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The date written into PDFs: the one ctx.c gives OGR. */
#define FIXED_DATE "2000-01-01T00:00:00Z"

enum fmt { FMT_NONE = -1, FMT_PNG, FMT_SVG, FMT_PDF };

static enum fmt format_of(const char *path)
{
    char ext[16];
    gpcov_path_ext(path, ext, sizeof ext);
    if (!strcmp(ext, "png"))
        return FMT_PNG;
    if (!strcmp(ext, "svg"))
        return FMT_SVG;
    if (!strcmp(ext, "pdf"))
        return FMT_PDF;
    return FMT_NONE;
}

/* ------------------------------------------------------------------- PNG */

struct membuf {
    unsigned char *p;
    size_t n, cap;
};

static cairo_status_t membuf_write(void *closure, const unsigned char *data,
                                   unsigned int len)
{
    struct membuf *b = closure;
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->n + len)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p)
            return CAIRO_STATUS_NO_MEMORY;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return CAIRO_STATUS_SUCCESS;
}

/* The CRC-32 of PNG chunks (ISO 3309 polynomial, reflected). */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static gpcov_status write_file(gpcov_ctx *ctx, const char *path,
                               const char *dst, const unsigned char *a,
                               size_t na, const unsigned char *b, size_t nb,
                               const unsigned char *c, size_t nc)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst,
                         strerror(errno));
    int ok = (!na || fwrite(a, 1, na, f) == na) &&
             (!nb || fwrite(b, 1, nb, f) == nb) &&
             (!nc || fwrite(c, 1, nc, f) == nc);
    int err = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst,
                         strerror(err));
    return GPCOV_OK;
}

static gpcov_status render_png(gpcov_ctx *ctx, const struct gpcov_figure *fig,
                               const char *path, const char *dst)
{
    double w, h, dpi = gpcov_figure_dpi(fig);
    gpcov_figure_size(fig, &w, &h);
    int wpx = (int)ceil(w * dpi / 72 - 1e-6), hpx = (int)ceil(h * dpi / 72 - 1e-6);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wpx, hpx);
    cairo_t *cr = cairo_create(s);
    gpcov_status st = GPCOV_OK;
    struct membuf png = {NULL, 0, 0};
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        st = gpcov_err(ctx, cairo_status(cr) == CAIRO_STATUS_NO_MEMORY
                                ? GPCOV_ENOMEM
                                : GPCOV_EINTERNAL,
                       "%s: cannot make a %d x %d image: %s", dst, wpx, hpx,
                       cairo_status_to_string(cairo_status(cr)));
        goto done;
    }
    cairo_scale(cr, dpi / 72, dpi / 72);
    if ((st = gpcov_figure_draw(ctx, fig, cr)) != GPCOV_OK)
        goto done;
    cairo_surface_flush(s);
    cairo_status_t cs = cairo_surface_write_to_png_stream(s, membuf_write, &png);
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot encode PNG: %s", dst,
                       cairo_status_to_string(cs));
        goto done;
    }
    /* signature (8) + IHDR (4 length, 4 type, 13 data, 4 CRC): the pHYs
    ** chunk goes right after, in pixels per metre */
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A,
                                         '\n'};
    if (png.n < 33 || memcmp(png.p, sig, 8) != 0 ||
        memcmp(png.p + 12, "IHDR", 4) != 0) {
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cairo wrote no PNG", dst);
        goto done;
    }
    unsigned char phys[21];
    uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
    put32(phys, 9);
    memcpy(phys + 4, "pHYs", 4);
    put32(phys + 8, ppm);
    put32(phys + 12, ppm);
    phys[16] = 1; /* unit: metre */
    put32(phys + 17, png_crc(phys + 4, 13));
    st = write_file(ctx, path, dst, png.p, 33, phys, sizeof phys, png.p + 33,
                    png.n - 33);
done:
    free(png.p);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return st;
}

/* --------------------------------------------------------------- SVG, PDF */

/* cairo names an SVG's groups after a process-wide count of surfaces
** ("surface143"), so the second figure a process draws would differ from
** the first in those names alone.  Renumber them 1, 2, ... in order of
** first appearance; references to a group keep pointing at it.  Text is
** drawn as glyph outlines, so no user text can hold the word. */
static int svg_renumber(const struct membuf *in, struct membuf *out)
{
    static const char word[] = "surface";
    const size_t wl = sizeof word - 1;
    unsigned long seen[256];
    size_t nseen = 0, i = 0;
    while (i < in->n) {
        if (i + wl < in->n && !memcmp(in->p + i, word, wl) &&
            in->p[i + wl] >= '0' && in->p[i + wl] <= '9') {
            size_t j = i + wl;
            unsigned long num = 0;
            while (j < in->n && in->p[j] >= '0' && in->p[j] <= '9')
                num = num * 10 + (unsigned long)(in->p[j++] - '0');
            size_t k = 0;
            while (k < nseen && seen[k] != num)
                k++;
            if (k == nseen) {
                if (nseen == sizeof seen / sizeof *seen)
                    return -1;
                seen[nseen++] = num;
            }
            char rep[32];
            int len = snprintf(rep, sizeof rep, "surface%zu", k + 1);
            if (membuf_write(out, (const unsigned char *)rep,
                             (unsigned int)len) != CAIRO_STATUS_SUCCESS)
                return -1;
            i = j;
            continue;
        }
        size_t j = i + 1;
        while (j < in->n && in->p[j] != 's')
            j++;
        if (membuf_write(out, in->p + i, (unsigned int)(j - i)) !=
            CAIRO_STATUS_SUCCESS)
            return -1;
        i = j;
    }
    return 0;
}

static gpcov_status render_vector(gpcov_ctx *ctx,
                                  const struct gpcov_figure *fig,
                                  const struct gpcov_map_spec *spec,
                                  enum fmt f, const char *path,
                                  const char *dst)
{
    double w, h;
    gpcov_figure_size(fig, &w, &h);
    struct membuf doc = {NULL, 0, 0}, fixed = {NULL, 0, 0};
    cairo_surface_t *s;
    if (f == FMT_SVG) {
        s = cairo_svg_surface_create_for_stream(membuf_write, &doc, w, h);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    } else {
        s = cairo_pdf_surface_create_for_stream(membuf_write, &doc, w, h);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                           FIXED_DATE);
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
                                           FIXED_DATE);
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                           "gpcov " GPCOV_VERSION);
            if (spec->title)
                cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                               spec->title);
        }
    }
    cairo_t *cr = cairo_create(s);
    gpcov_status st = GPCOV_OK;
    if (cairo_status(cr) == CAIRO_STATUS_SUCCESS)
        st = gpcov_figure_draw(ctx, fig, cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st == GPCOV_OK && cs != CAIRO_STATUS_SUCCESS)
        st = gpcov_err(ctx,
                       cs == CAIRO_STATUS_NO_MEMORY ? GPCOV_ENOMEM
                                                    : GPCOV_EINTERNAL,
                       "%s: cairo: %s", dst, cairo_status_to_string(cs));
    if (st == GPCOV_OK && f == FMT_SVG && svg_renumber(&doc, &fixed) != 0)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "%s: out of memory", dst);
    if (st == GPCOV_OK) {
        const struct membuf *b = f == FMT_SVG ? &fixed : &doc;
        st = write_file(ctx, path, dst, b->p, b->n, NULL, 0, NULL, 0);
    }
    free(doc.p);
    free(fixed.p);
    return st;
}

/* ------------------------------------------------------------------ public */

gpcov_status gpcov_map_render_into(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                                   const char *const *dst, size_t ndst, gpcov_outset *set)
{
    if (!dst || ndst == 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "map: no output file given");
    for (size_t i = 0; i < ndst; i++) {
        if (!dst[i] || !*dst[i])
            return gpcov_err(ctx, GPCOV_EUSAGE, "map: empty output name");
        if (format_of(dst[i]) == FMT_NONE) {
            char ext[16];
            gpcov_path_ext(dst[i], ext, sizeof ext);
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "%s: unknown map format '%s' (use .png, .svg or "
                             ".pdf)",
                             dst[i], ext);
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(dst[i], dst[j]))
                return gpcov_err(ctx, GPCOV_EUSAGE,
                                 "%s: given twice as output", dst[i]);
    }
    struct gpcov_figure *fig = NULL;
    gpcov_status st = gpcov_figure_prepare(ctx, spec, &fig);
    if (st != GPCOV_OK)
        return st;
    const char **tmp = calloc(ndst, sizeof *tmp);
    if (!tmp) {
        gpcov_figure_free(fig);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ndst && !st; i++) /* every dst checked before drawing */
        st = gpcov_outset_add(ctx, set, dst[i], &tmp[i]);
    for (size_t i = 0; i < ndst && !st; i++) {
        enum fmt f = format_of(dst[i]);
        st = f == FMT_PNG ? render_png(ctx, fig, tmp[i], dst[i])
                          : render_vector(ctx, fig, spec, f, tmp[i], dst[i]);
        if (!st)
            st = gpcov_progress(ctx, (double)(i + 1) / (double)ndst, "map");
    }
    free(tmp);
    gpcov_figure_free(fig);
    return st;
}

gpcov_status gpcov_map_render_all(gpcov_ctx *ctx,
                                  const struct gpcov_map_spec *spec,
                                  const char *const *dst, size_t ndst,
                                  int overwrite)
{
    gpcov_outset *set = gpcov_outset_new(ctx, overwrite);
    if (!set)
        return GPCOV_ENOMEM;
    gpcov_status st = gpcov_map_render_into(ctx, spec, dst, ndst, set);
    if (!st)
        st = gpcov_outset_commit(ctx, set);
    gpcov_outset_free(set);
    return st;
}

gpcov_status gpcov_map_render(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                              const char *dst, int overwrite)
{
    const char *one[1] = {dst};
    return gpcov_map_render_all(ctx, spec, one, 1, overwrite);
}

gpcov_status gpcov_map_locate(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                              size_t panel, double x, double y, double *width,
                              double *height, double *px, double *py)
{
    struct gpcov_figure *fig = NULL;
    gpcov_status st = gpcov_figure_prepare(ctx, spec, &fig);
    if (st != GPCOV_OK)
        return st;
    double w, h;
    gpcov_figure_size(fig, &w, &h);
    if (width)
        *width = w;
    if (height)
        *height = h;
    if (gpcov_figure_locate(fig, panel, x, y, px, py) != 0)
        *px = *py = NAN;
    gpcov_figure_free(fig);
    return GPCOV_OK;
}
