/*
** network_write.c: the road graph and its per-node travel times as CSV, so
** that another router (pgRouting in `make bench`) can be run on exactly the
** graph gpcov searched and its node times compared with gpcov's.
**
** Minutes are printed with 17 significant digits, which gives back the very
** double gpcov used (a peer loading the CSV sums the same numbers);
** coordinates to the centimetre, the precision at which network.c merges
** vertices.  Both files go through the atomic-output facility: written to
** a temporary name beside the destination and renamed on success.
*/
#include "travel_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens a temporary beside dst for a CSV; refuses PostGIS destinations. */
static gpcov_status csv_begin(gpcov_ctx *ctx, const char *dst, int overwrite, char **tmp,
                              FILE **f, char **buf)
{
    *f = NULL, *buf = NULL, *tmp = NULL;
    if (gpcov_pg_is(dst))
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: the graph and node times are written as CSV "
                         "files, not to PostGIS", dst);
    gpcov_status st = gpcov_atomic_begin(ctx, dst, overwrite, tmp);
    if (st)
        return st;
    if (!(*f = fopen(*tmp, "w"))) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst, strerror(errno));
        gpcov_atomic_abort(*tmp);
        free(*tmp), *tmp = NULL;
        return st;
    }
    /* millions of short rows: a large buffer */
    if ((*buf = malloc(1 << 20)))
        setvbuf(*f, *buf, _IOFBF, 1 << 20);
    return GPCOV_OK;
}

/* Closes the CSV and renames it into place, or drops it on failure. */
static gpcov_status csv_end(gpcov_ctx *ctx, const char *dst, char *tmp, FILE *f, char *buf,
                            gpcov_status st)
{
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    free(buf);
    if (!st && bad)
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst, strerror(errno));
    if (!st)
        st = gpcov_atomic_commit(ctx, tmp, dst);
    else
        gpcov_atomic_abort(tmp);
    free(tmp);
    return st;
}

gpcov_status gpcov_network_write_edges(gpcov_ctx *ctx, const struct gpcov_network *net,
                                       const char *dst, int overwrite)
{
    char *tmp, *buf;
    FILE *f;
    gpcov_status st = csv_begin(ctx, dst, overwrite, &tmp, &f, &buf);
    if (st)
        return st;
    fputs("edge,source,target,minutes,metres,x1,y1,x2,y2\n", f);
    for (size_t i = 0; i < net->nnodes && !st; i++) {
        for (size_t e = net->first[i]; e < net->first[i + 1]; e++) {
            uint32_t j = net->to[e];
            double dx = net->x[j] - net->x[i], dy = net->y[j] - net->y[i];
            fprintf(f, "%zu,%zu,%u,%.17g,%.3f,%.2f,%.2f,%.2f,%.2f\n", e, i, j, net->minutes[e],
                    sqrt(dx * dx + dy * dy), net->x[i], net->y[i], net->x[j], net->y[j]);
        }
        if ((i & 0xFFFF) == 0)
            st = gpcov_progress(ctx, (double)i / (double)net->nnodes, "writing the road graph");
    }
    return csv_end(ctx, dst, tmp, f, buf, st);
}

/* Writes s as one CSV field, quoted when it holds a comma, quote or line
** break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

gpcov_status gpcov_network_write_nodes(gpcov_ctx *ctx, const struct gpcov_network *net,
                                       const double *minutes, const int32_t *nearest,
                                       const char *const *source_ids, const char *dst,
                                       int overwrite)
{
    char *tmp, *buf;
    FILE *f;
    gpcov_status st = csv_begin(ctx, dst, overwrite, &tmp, &f, &buf);
    if (st)
        return st;
    fputs("node,x,y,minutes,nearest\n", f);
    for (size_t i = 0; i < net->nnodes && !st; i++) {
        fprintf(f, "%zu,%.2f,%.2f,", i, net->x[i], net->y[i]);
        if (isfinite(minutes[i]))
            fprintf(f, "%.17g,", minutes[i]);
        else
            fputc(',', f);
        if (isfinite(minutes[i]) && nearest && nearest[i] >= 0) {
            if (source_ids)
                csv_field(f, source_ids[nearest[i]]);
            else
                fprintf(f, "%d", nearest[i] + 1);
        }
        fputc('\n', f);
        if ((i & 0xFFFF) == 0)
            st = gpcov_progress(ctx, (double)i / (double)net->nnodes, "writing the node times");
    }
    return csv_end(ctx, dst, tmp, f, buf, st);
}
