/*
** traveltime_roads_report.c: what the road model says of itself, so that
** every output made with roads names its network, speeds and ferries
** (metadata GPCOV_MODEL, GPCOV_MODEL_DA for Danish maps, GPCOV_FERRIES),
** and a run says what it could not reach and why: cells with no road
** within the longest connector, and road islands that no ferry in the
** data joins (by where they are and how much road they hold).
*/
#include "traveltime_internal.h"

#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The speed list with Danish names of the classes (as far as known). */
static void speeds_da(const char *en, char *out, size_t n)
{
    static const char *const names[][2] = {
        {"motorway_link", "motorvejsrampe"}, {"motorway", "motorvej"},
        {"trunk_link", "rampe"}, {"trunk", "motortrafikvej og hovedvej"},
        {"primary_link", "rampe"}, {"primary", "primærvej"},
        {"secondary_link", "rampe"}, {"secondary", "sekundærvej"},
        {"tertiary_link", "rampe"}, {"tertiary", "tertiærvej"},
        {"minor", "mindre vej"}, {"unclassified", "øvrig vej"},
        {"residential", "boligvej"}, {"living_street", "opholds- og legeområde"},
        {"service", "adgangsvej"}, {"track", "markvej"}, {"road", "vej"}};
    size_t k = 0;
    out[0] = 0;
    for (const char *p = en; *p && k + 1 < n;) {
        size_t i, len = 0;
        for (i = 0; i < sizeof names / sizeof *names; i++) {
            len = strlen(names[i][0]);
            if (!strncmp(p, names[i][0], len) && p[len] == ' ')
                break;
        }
        if (i < sizeof names / sizeof *names) {
            k += (size_t)snprintf(out + k, n - k, "%s", names[i][1]);
            p += len;
        } else {
            out[k++] = *p++;
            out[k] = 0;
        }
        if (k >= n)
            k = n - 1;
    }
}

void gpcov_tt_roads_describe(const struct gpcov_traveltime_opts *o, struct gpcov_ttmodel *m,
                             double off, double maxc)
{
    const struct gpcov_network *net = m->net;
    const char *label = o->roads_label ? o->roads_label : base_name(o->roads);
    size_t joined = 0;
    for (size_t k = 0; k < net->nfends; k++)
        joined += net->fends[k].dist >= 0;
    snprintf(m->desc, sizeof m->desc,
             "road network model: %s (%zu nodes, %zu lines; vertices within %.2g m are one "
             "node; speeds %s km/h, tagged maxspeed where present; ferries %.0f km/h plus %.0f min "
             "boarding, %zu of %zu ferry ends joined to a road within %.0f m); off-road "
             "connector %.0f km/h up to %.0f m",
             label, net->nnodes, net->ways_used, net->snap, net->speeds, net->ferry_kmh,
             net->ferry_wait, joined, net->nfends, net->ferry_snap, off, maxc);
    char da[700];
    speeds_da(net->speeds, da, sizeof da);
    snprintf(m->desc_da, sizeof m->desc_da,
             "Rejsetid ad vejnettet: %s. Hastigheder (km/t): %s; færger %.0f km/t plus %.0f "
             "min til ombordkørsel og ventetid. Fra bolig til nærmeste vej %.0f km/t.",
             label, da, net->ferry_kmh, net->ferry_wait, off);
}

/* The transformation from EPSG:25832 to longitude and latitude, for
** messages; made once per report (NULL when PROJ cannot). */
static OGRCoordinateTransformationH to_lonlat(void)
{
    OGRSpatialReferenceH a = OSRNewSpatialReference(NULL), b = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(a, GPCOV_WORKING_EPSG);
    OSRImportFromEPSG(b, 4326);
    OSRSetAxisMappingStrategy(a, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(b, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(a, b);
    OSRDestroySpatialReference(a);
    OSRDestroySpatialReference(b);
    return ct;
}

static void lonlat(OGRCoordinateTransformationH ct, double x, double y, double *lon, double *lat)
{
    *lon = x, *lat = y;
    if (!ct || !OCTTransform(ct, 1, lon, lat, NULL))
        *lon = *lat = NAN;
}

void gpcov_tt_roads_report(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                           const struct gpcov_ttmodel *m)
{
    const struct gpcov_network *net = m->net;
    size_t joined = 0, shown = 0;
    double far = 0;
    OGRCoordinateTransformationH ct = to_lonlat();
    for (size_t k = 0; k < net->nfends; k++)
        if (net->fends[k].dist >= 0)
            joined++, far = fmax(far, net->fends[k].dist);
    gpcov_notice(ctx, "roads: %s: %zu lines used (%zu skipped), %zu nodes (%zu vertices snapped "
                 "within %.2g m), %zu components, %zu after joining %zu of %zu ferry ends "
                 "(farthest join %.0f m); the largest has %zu nodes",
                 o->roads, net->ways_used, net->ways_skipped, net->nnodes, net->vertices_snapped,
                 net->snap, net->ncomp_noded, net->ncomp, joined, net->nfends, far,
                 net->main_nodes);
    for (size_t k = 0; k < net->nfends; k++) {
        const struct gpcov_ferry_end *e = &net->fends[k];
        if (e->dist >= 0)
            continue;
        if (shown++ == 8) {
            gpcov_notice(ctx, "roads: ... and %zu more ferry ends with no road within %.0f m "
                         "(GPCOV_FERRIES in the output lists them)",
                         net->nfends - joined - 8, net->ferry_snap);
            break;
        }
        double lon, lat;
        lonlat(ct, e->x, e->y, &lon, &lat);
        gpcov_notice(ctx, "roads: %s: feature %ld: a ferry end at %.4f N %.4f E joins no road "
                     "within %.0f m (a harbour abroad, or a road missing from the data)",
                     o->roads, e->feature, lat, lon, net->ferry_snap);
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
}

char *gpcov_tt_roads_ferry_meta(const struct gpcov_ttmodel *m)
{
    const struct gpcov_network *net = m->net;
    OGRCoordinateTransformationH ct = to_lonlat();
    size_t cap = 64 + net->nfends * 64, len = 0;
    char *s = malloc(cap);
    for (size_t k = 0; s && k < net->nfends;) {
        const struct gpcov_ferry_end *e = &net->fends[k];
        double lon, lat;
        lonlat(ct, e->x, e->y, &lon, &lat);
        s[len] = 0;
        int w = e->dist >= 0
                    ? snprintf(s + len, cap - len, "%sfeature %ld at %.4f N %.4f E joined %.0f m",
                               k ? "; " : "", e->feature, lat, lon, e->dist)
                    : snprintf(s + len, cap - len, "%sfeature %ld at %.4f N %.4f E not joined",
                               k ? "; " : "", e->feature, lat, lon);
        if (w >= 0 && (size_t)w < cap - len) {
            len += (size_t)w, k++;
            continue;
        }
        /* every end is listed: grow and write this one again */
        char *ns = w < 0 ? NULL : realloc(s, cap = 2 * cap + (size_t)w);
        if (!ns)
            free(s);
        s = ns;
    }
    if (s)
        s[len] = 0;
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    return s;
}

/* The name of the extent polygon holding (x, y) (its 'name' or 'navn'
** field), or "" when there is none. */
static void place_name(gpcov_ctx *ctx, const struct gpcov_layer *ext, double x, double y,
                       char *out, size_t n)
{
    out[0] = 0;
    if (!ext)
        return;
    int f = -1;
    for (size_t k = 0; k < ext->nfields && f < 0; k++)
        if (!strcasecmp(ext->fields[k].name, "name") || !strcasecmp(ext->fields[k].name, "navn") ||
            !strcasecmp(ext->fields[k].name, "komnavn"))
            f = (int)k;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx->geos, x, y);
    for (size_t i = 0; pt && i < ext->n; i++) {
        if (!ext->geoms[i] || GEOSIntersects_r(ctx->geos, ext->geoms[i], pt) != 1)
            continue;
        const struct gpcov_value *v = f >= 0 ? &ext->vals[i * ext->nfields + (size_t)f] : NULL;
        snprintf(out, n, "%s", v && !v->null && v->str ? v->str : ext->keys ? ext->keys[i] : "");
        break;
    }
    if (pt)
        GEOSGeom_destroy_r(ctx->geos, pt);
}

/* The name of the place (a point with a 'name' field) nearest to (x, y)
** within 10 km, or "". */
static void nearest_place(gpcov_ctx *ctx, const struct gpcov_layer *pl, double x, double y,
                          char *out, size_t n)
{
    out[0] = 0;
    if (!pl)
        return;
    int f = gpcov_layer_field(pl, "name");
    double best = 1e4 * 1e4;
    for (size_t i = 0; f >= 0 && i < pl->n; i++) {
        double px, py;
        const struct gpcov_value *v = &pl->vals[i * pl->nfields + (size_t)f];
        if (!pl->geoms[i] || v->null || !v->str || GEOSGeomGetX_r(ctx->geos, pl->geoms[i], &px) != 1 ||
            GEOSGeomGetY_r(ctx->geos, pl->geoms[i], &py) != 1)
            continue;
        double d = (px - x) * (px - x) + (py - y) * (py - y);
        if (d < best)
            best = d, snprintf(out, n, "%s", v->str);
    }
}

/* Per component: joined cells left without a time, said with where the
** component's roads lie, how much road it holds, and the extent polygon
** (municipality) at their middle. */
static void islands(gpcov_ctx *ctx, const struct gpcov_ttmodel *m, const float *minutes,
                    const char *extent, const char *places)
{
    const struct gpcov_network *net = m->net;
    size_t n = (size_t)m->g.nx * (size_t)m->g.ny, nn = net->nnodes ? net->nnodes : 1;
    size_t *cells = calloc(nn, sizeof *cells);
    double *sx = calloc(nn, sizeof *sx), *sy = calloc(nn, sizeof *sy), *len = calloc(nn, sizeof *len);
    OGRCoordinateTransformationH ct = NULL;
    struct gpcov_layer *ext = NULL, *pl = NULL;
    if (!cells || !sx || !sy || !len)
        goto done;
    for (size_t i = 0; i < n; i++) {
        uint32_t s = m->cell_seg[i];
        if (s != UINT32_MAX && isnan(minutes[i]) && !isfinite(m->node_t[net->seg_u[s]]) &&
            !isfinite(m->node_t[net->seg_v[s]]))
            cells[net->comp[net->seg_u[s]]]++;
    }
    for (size_t s = 0; s < net->nseg; s++) {
        uint32_t u = net->seg_u[s], v = net->seg_v[s], c = net->comp[u];
        if (!cells[c] || net->seg_kind[s] != GPCOV_SEG_ROAD)
            continue;
        double l = hypot(net->x[v] - net->x[u], net->y[v] - net->y[u]);
        len[c] += l, sx[c] += l * (net->x[u] + net->x[v]) / 2, sy[c] += l * (net->y[u] + net->y[v]) / 2;
    }
    ct = to_lonlat();
    if (extent && gpcov_layer_read(ctx, extent, NULL, &ext))
        ext = NULL;
    if (places && gpcov_layer_read(ctx, places, NULL, &pl))
        pl = NULL;
    for (size_t c = 0; c < nn; c++) {
        if (!cells[c] || !(len[c] > 0))
            continue;
        double x = sx[c] / len[c], y = sy[c] / len[c], lon, lat;
        char name[256], place[256];
        lonlat(ct, x, y, &lon, &lat);
        place_name(ctx, ext, x, y, name, sizeof name);
        for (size_t i = 0; !name[0] && i < net->nnodes; i++)
            if (net->comp[i] == c && net->stop[i])
                place_name(ctx, ext, net->x[i], net->y[i], name, sizeof name);
        nearest_place(ctx, pl, x, y, place, sizeof place);
        gpcov_notice(ctx, "roads: unreachable: %zu cells join %.1f km of road around %s%s%.4f N "
                     "%.4f E%s%s that no ferry or road in the data links to a source",
                     cells[c], len[c] / 1000, place, place[0] ? ", " : "", lat, lon,
                     name[0] ? " in " : "", name);
    }
done:
    if (ext)
        gpcov_layer_free(ctx, ext);
    if (pl)
        gpcov_layer_free(ctx, pl);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    free(cells), free(sx), free(sy), free(len);
}

void gpcov_tt_roads_unreached(gpcov_ctx *ctx, const struct gpcov_ttmodel *m, const float *minutes,
                              const char *extent, const char *places)
{
    size_t n = (size_t)m->g.nx * (size_t)m->g.ny, noroad = 0;
    for (size_t i = 0; i < n; i++)
        noroad += m->cell_seg[i] == UINT32_MAX;
    if (noroad)
        gpcov_notice(ctx, "roads: %zu of %zu cells have no road within the longest connector "
                     "(at sea, or far from roads): no time", noroad, n);
    islands(ctx, m, minutes, extent, places);
}
