/*
** traveltime_friction.c: the friction model of travel time, files in and
** files out: a friction raster (minutes per metre, AccessMod style) and
** source points become a raster of minutes to the nearest source and,
** optionally, a raster saying which source that is.  Everything here is
** plumbing between raster.c, io.c and costdist.c; what it adds is naming
** each source in messages by its file, feature number and id, and the
** rule that the two outputs appear together or not at all.
*/
#include "gpcov_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sources {
    size_t n;
    double *x, *y;
    char **names;
    int32_t *ids; /* values of the nearest raster */
};

static void sources_free(struct sources *s)
{
    for (size_t i = 0; s->names && i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    free(s->x);
    free(s->y);
    free(s->ids);
}

/* The id of feature i as text ("" when null) into buf. */
static const char *id_text(const struct gpcov_layer *l, size_t i, int f, char *buf,
                           size_t sz)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    if (v->null)
        snprintf(buf, sz, "%s", "");
    else if (l->fields[f].type == GPCOV_STR)
        snprintf(buf, sz, "%s", v->str ? v->str : "");
    else
        snprintf(buf, sz, "%.15g", v->num);
    return buf;
}

static gpcov_status read_sources(gpcov_ctx *ctx, const struct gpcov_friction_opts *o,
                                 struct sources *s)
{
    struct gpcov_read_opts ro = {.layer = o->source_layer,
                                 .x_field = o->x_field,
                                 .y_field = o->y_field,
                                 .srs = o->srs};
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, o->sources, &ro, &l);
    if (st)
        return st;
    int f = -1;
    if (o->source_id && (f = gpcov_layer_field(l, o->source_id)) < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--source-id)", o->sources,
                       o->source_id);
        goto done;
    }
    s->n = l->n;
    s->x = malloc(l->n * sizeof *s->x);
    s->y = malloc(l->n * sizeof *s->y);
    s->names = calloc(l->n, sizeof *s->names);
    s->ids = malloc(l->n * sizeof *s->ids);
    if (!s->x || !s->y || !s->names || !s->ids) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    for (size_t i = 0; i < l->n; i++) {
        char id[200] = "", name[600];
        if (f >= 0)
            snprintf(name, sizeof name, "%s: feature %zu (%s '%s')", o->sources, i + 1,
                     o->source_id, id_text(l, i, f, id, sizeof id));
        else
            snprintf(name, sizeof name, "%s: feature %zu", o->sources, i + 1);
        if (!(s->names[i] = gpcov_strdup(name))) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
        const GEOSGeometry *g = l->geoms[i];
        if (g && GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOINT &&
            GEOSGetNumGeometries_r(h, g) == 1)
            g = GEOSGetGeometryN_r(h, g, 0);
        if (!g || GEOSGeomTypeId_r(h, g) != GEOS_POINT || GEOSisEmpty_r(h, g) != 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", name,
                           g ? "not a point (sources must be points)" : "no geometry");
            goto done;
        }
        if (GEOSGeomGetX_r(h, g, &s->x[i]) != 1 || GEOSGeomGetY_r(h, g, &s->y[i]) != 1) {
            st = gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cannot read the point", name);
            goto done;
        }
        s->ids[i] = (int32_t)(i + 1);
        if (f >= 0 && o->nearest) {
            char *end;
            errno = 0;
            long long v = strtoll(id, &end, 10);
            if (!id[0] || *end || errno || v < 0 || v > INT32_MAX) {
                st = gpcov_err(ctx, GPCOV_EINPUT,
                               "%s: the nearest raster needs whole-number ids from 0 to "
                               "%d in --source-id %s (leave out --source-id to number "
                               "the sources 1..%zu in file order)",
                               name, INT32_MAX, o->source_id, l->n);
                goto done;
            }
            s->ids[i] = (int32_t)v;
        }
    }
done:
    gpcov_layer_free(ctx, l);
    return st;
}

gpcov_status gpcov_traveltime_friction(gpcov_ctx *ctx,
                                       const struct gpcov_friction_opts *o)
{
    if (!o->friction || !o->sources || !o->output)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "travel time: a friction raster, sources and an output are required");
    if (o->nearest && !strcmp(o->nearest, o->output))
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given both as the output and as the nearest "
                         "source raster", o->output);
    const char *outs[2] = {o->output, o->nearest};
    for (int k = 0; k < 2; k++)
        if (outs[k] && !o->overwrite && gpcov_path_exists(outs[k]))
            return gpcov_err(ctx, GPCOV_EOUTPUT,
                             "%s: exists already (use --overwrite to replace it)", outs[k]);
    struct gpcov_grid g = {0};
    struct sources s = {0};
    float *fr = NULL, *cost = NULL;
    int32_t *near = NULL;
    int64_t *cells = NULL;
    gpcov_status st = gpcov_friction_read(ctx, o->friction, &g, &fr);
    if (st)
        return st;
    if ((st = read_sources(ctx, o, &s)))
        goto done;
    size_t n = (size_t)g.nx * (size_t)g.ny;
    cells = malloc(s.n * sizeof *cells);
    cost = malloc(n * sizeof *cost);
    near = o->nearest ? malloc(n * sizeof *near) : NULL;
    if (!cells || !cost || (o->nearest && !near)) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", g.nx, g.ny);
        goto done;
    }
    if ((st = gpcov_grid_locate(ctx, &g, fr, s.n, s.x, s.y,
                                (const char *const *)s.names, cells)))
        goto done;
    if ((st = gpcov_costdist(ctx, &g, fr, cells, s.n, o->knight, o->max_minutes, cost,
                             near)))
        goto done;
    free(fr); /* not needed any more: keep the peak down while writing */
    fr = NULL;
    for (size_t i = 0; near && i < n; i++)
        if (near[i] >= 0)
            near[i] = s.ids[near[i]];
    struct gpcov_raster_write_opts wo = {
        .overwrite = o->overwrite,
        .description = "travel time to the nearest source",
        .units = "min"};
    if ((st = gpcov_raster_write(ctx, o->output, &g, GPCOV_RASTER_FLOAT32, cost, &wo)))
        goto done;
    free(cost);
    cost = NULL;
    if (near) {
        wo.description = o->source_id ? o->source_id : "nearest source (feature number)";
        wo.units = NULL;
        if ((st = gpcov_raster_write(ctx, o->nearest, &g, GPCOV_RASTER_INT32, near, &wo)))
            remove(o->output);
    }
done:
    sources_free(&s);
    free(fr);
    free(cost);
    free(near);
    free(cells);
    gpcov_grid_clear(&g);
    return st;
}
