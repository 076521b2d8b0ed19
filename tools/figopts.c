/*
** figopts.c: the options `gpcov map` and `gpcov webmap` share: the
** indicator layer (--input, --layer, --key), its panels (--panel, parsed by
** tool_parse_panel), --title, --no-data-label, --decimal-comma and the
** --attribution lines.  Each command declares them in its own option table
** (opt.h), in its own words, with these setters for the two lists, and
** copies them into its spec.
*/
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

void fig_opts_init(struct fig_opts *f, size_t max_panels)
{
    memset(f, 0, sizeof *f);
    f->key = GPCOV_KEY_FIELD;
    f->max_panels = max_panels < FIG_MAX_PANELS ? max_panels : FIG_MAX_PANELS;
}

void fig_opts_clear(struct fig_opts *f)
{
    for (size_t i = 0; i < FIG_MAX_PANELS; i++) {
        free(f->bufs[i].text);
        free(f->bufs[i].fixed);
    }
}

int fig_set_attribution(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct fig_opts *f = target;
    (void)op;
    if (f->nattr == FIG_MAX_LIST)
        return tool_usage_error(cmd, "more than %d --attribution lines", FIG_MAX_LIST);
    f->attr[f->nattr++] = v;
    return 0;
}

int fig_set_panel(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct fig_opts *f = target;
    (void)op;
    if (f->np == f->max_panels)
        return tool_usage_error(cmd, "more than %zu --panel options", f->max_panels);
    int rc = tool_parse_panel(cmd, v, &f->panels[f->np], &f->bufs[f->np]);
    f->np++;
    return rc;
}

int fig_point_xy(const char *cmd, const char *point_xy, const char *srs,
                 struct gpcov_read_opts *popts, char **xy)
{
    char *comma;
    if (!(*xy = malloc(strlen(point_xy) + 1)))
        return EXIT_INTERNAL;
    strcpy(*xy, point_xy);
    if (!(comma = strchr(*xy, ',')) || comma == *xy || !comma[1])
        return tool_usage_error(cmd, "--point-xy %s: give X,Y column names", point_xy);
    *comma = 0;
    popts->x_field = *xy;
    popts->y_field = comma + 1;
    popts->srs = srs;
    return EXIT_OK;
}
