/*
** report_io.c: which options of a command name the files it reads and
** the files it writes, so that `gpcov report` records each step's inputs
** and outputs as the step declares them, in the order first named.
**
** TO BE REPLACED by each command's option table (INPUT/OUTPUT kinds) when
** those exist: this one small table stands in for them until then.
*/
#include "report_io.h"

#include <cpl_string.h>
#include <string.h>

enum io_kind {
    IO_IN,      /* a file the step reads                                  */
    IO_NAMED,   /* NAME=FILE: a file the step reads, under a name         */
    IO_OUT,     /* a file (or directory) the step makes or replaces       */
    IO_UPDATE   /* a file the step changes in place: an output, but not a */
                /* new one, so no order between the steps that write it   */
};

/* Option (without "--") -> kind; command NULL: in every command that has
** the option.  A command's own entry comes before the general one.
** Not here: --data (access), a directory of tables, never hashed. */
static const struct io_opt {
    const char *command, *option;
    enum io_kind kind;
} io_opts[] = {
    /* read */
    {NULL, "polygons", IO_IN},       {NULL, "table", IO_IN},
    {NULL, "points", IO_IN},         {NULL, "sample", IO_NAMED},
    {NULL, "places", IO_IN},         {NULL, "weights-raster", IO_IN},
    {NULL, "units", IO_IN},          {NULL, "supply", IO_IN},
    {"access", "demand", IO_IN},     {NULL, "designation", IO_IN},
    {NULL, "age-table", IO_IN},      {"fee", "weights", IO_IN},
    {NULL, "practices", IO_IN},      {NULL, "input", IO_IN},
    {NULL, "regions", IO_IN},        {NULL, "join", IO_IN},
    {NULL, "traveltime", IO_IN},     {NULL, "clip", IO_IN},
    {"isochrone", "population", IO_IN}, {"isochrone", "nearest", IO_IN},
    {NULL, "extent", IO_IN},         {NULL, "roads", IO_IN},
    {NULL, "place-names", IO_IN},    {NULL, "sources", IO_IN},
    {NULL, "friction", IO_IN},       {NULL, "speeds", IO_IN},
    {"threat", "grid", IO_NAMED},
    /* written */
    {NULL, "output", IO_OUT},        {NULL, "nearest", IO_OUT},
    {"traveltime", "per-source", IO_OUT}, {NULL, "reciprocal", IO_OUT},
    {NULL, "supply-output", IO_OUT}, {NULL, "units-output", IO_OUT},
    {NULL, "agreement", IO_OUT},     {NULL, "practice-output", IO_OUT},
    {NULL, "network-output", IO_OUT}, {NULL, "node-output", IO_OUT},
    {"map", "style-into", IO_UPDATE},
};
#define N_IO_OPTS (sizeof io_opts / sizeof *io_opts)

/* The entry of option opt (n characters) of command, or NULL. */
static const struct io_opt *io_find(const char *command, const char *opt, size_t n)
{
    const struct io_opt *general = NULL;
    for (size_t k = 0; k < N_IO_OPTS; k++) {
        const struct io_opt *o = &io_opts[k];
        if (strlen(o->option) != n || strncmp(o->option, opt, n))
            continue;
        if (o->command && command && !strcmp(o->command, command))
            return o;
        if (!o->command && !general)
            general = o;
    }
    return general;
}

int report_io_makes(const char *key)
{
    size_t n = strcspn(key, " ");
    for (size_t k = 0; k < N_IO_OPTS; k++)
        if (io_opts[k].kind == IO_OUT && strlen(io_opts[k].option) == n &&
            !strncmp(io_opts[k].option, key, n))
            return 1;
    return 0;
}

void report_io_declare(int argc, char **argv, char ***inputs, char ***outputs)
{
    char **named = NULL, **written = NULL; /* every path in order; those written */
    for (int i = 1; i + 1 < argc; i++) {
        if (strncmp(argv[i], "--", 2))
            continue;
        const struct io_opt *o = io_find(argv[0], argv[i] + 2, strlen(argv[i] + 2));
        if (!o)
            continue;
        const char *v = argv[++i], *eq = strchr(v, '=');
        if (o->kind == IO_NAMED)
            v = eq ? eq + 1 : "";
        if (!*v)
            continue;
        if (CSLFindString(named, v) < 0)
            named = CSLAddString(named, v);
        if (o->kind >= IO_OUT && CSLFindString(written, v) < 0)
            written = CSLAddString(written, v);
    }
    for (char **p = named; p && *p; p++) {
        if (CSLFindString(written, *p) >= 0)
            *outputs = CSLAddString(*outputs, *p);
        else
            *inputs = CSLAddString(*inputs, *p);
    }
    CSLDestroy(named);
    CSLDestroy(written);
}
