/*
** figopts.c: the options `gpcov map` and `gpcov webmap` share: the
** indicator layer (--input, --layer, --key), its panels (--panel, parsed by
** tool_parse_panel), --title, --no-data-label, --decimal-comma and the
** --attribution lines.  Each command keeps its own options and copies
** these into its spec.
*/
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

void fig_opts_init(struct fig_opts *f, size_t max_panels)
{
    memset(f, 0, sizeof *f);
    f->key = "komkode";
    f->max_panels = max_panels < FIG_MAX_PANELS ? max_panels : FIG_MAX_PANELS;
}

void fig_opts_clear(struct fig_opts *f)
{
    for (size_t i = 0; i < FIG_MAX_PANELS; i++) {
        free(f->bufs[i].text);
        free(f->bufs[i].fixed);
    }
}

int fig_option(const char *cmd, struct fig_opts *f, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!strcmp(a, "--decimal-comma")) {
        f->decimal_comma = 1;
        return 1;
    }
    const char **target = !strcmp(a, "--input")           ? &f->in
                          : !strcmp(a, "--layer")         ? &f->layer
                          : !strcmp(a, "--key")           ? &f->key
                          : !strcmp(a, "--title")         ? &f->title
                          : !strcmp(a, "--no-data-label") ? &f->nodata_label
                                                          : NULL;
    int list = !strcmp(a, "--attribution") || !strcmp(a, "--panel");
    if ((!target && !list) || !v)
        return 0; /* not one of these, or no value: the command says so */
    ++*i;
    if (target) {
        *target = v;
        return 1;
    }
    if (!strcmp(a, "--attribution")) {
        if (f->nattr == FIG_MAX_LIST) {
            tool_usage_error(cmd, "more than %d --attribution lines", FIG_MAX_LIST);
            return -1;
        }
        f->attr[f->nattr++] = v;
        return 1;
    }
    if (f->np == f->max_panels) {
        tool_usage_error(cmd, "more than %zu --panel options", f->max_panels);
        return -1;
    }
    int rc = tool_parse_panel(cmd, v, &f->panels[f->np], &f->bufs[f->np]);
    f->np++;
    return rc == EXIT_OK ? 1 : -1;
}
