/*
** cmd.h: the commands of the gpcov binary and what they share: the exit
** code table, error printing, progress on the terminal.
*/
#ifndef GPCOV_CMD_H
#define GPCOV_CMD_H


#include "gpcov.h"
#include "opt.h"

/* Exit codes (README "Exit codes"): */
enum {
    EXIT_OK = 0,
    EXIT_DATA = 1,     /* bad input, or an output that cannot be written */
    EXIT_USAGE = 2,    /* bad command line                                */
    EXIT_INTERNAL = 3, /* out of memory, a dependency failed unexpectedly */
    EXIT_CANCEL = 4    /* cancelled                                       */
};

int cmd_overlay(int argc, char **argv);
int cmd_dissolve(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_traveltime(int argc, char **argv);
int cmd_isochrone(int argc, char **argv);
int cmd_population(int argc, char **argv);
int cmd_threat(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_fee(int argc, char **argv);
int cmd_access(int argc, char **argv);
int cmd_webmap(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_matrix(int argc, char **argv);

/* Each command's option table (opt.h), in its cmd_*.c. */
extern const struct opt_cmd opts_overlay, opts_dissolve, opts_population, opts_traveltime,
    opts_isochrone, opts_access, opts_threat, opts_fee, opts_map, opts_webmap;
extern const struct opt_cmd opts_report;
extern const struct opt_cmd opts_query;
int cmd_coverage(int argc, char **argv);
extern const struct opt_cmd opts_coverage;
extern const struct opt_cmd opts_compare;
extern const struct opt_cmd opts_matrix;
int cmd_site(int argc, char **argv);
extern const struct opt_cmd opts_site;

/* The command table (commands.c). */
struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
    const struct opt_cmd *opts; /* its option table; NULL for report */
};
/* The commands, ending with an entry whose name is NULL. */
const struct command *command_list(void);
/* The command called name, or NULL. */
const struct command *command_find(const char *name);

/* The overlay's options (overlayopts.c), shared by overlay and population:
** a table (opt.h) over struct overlay_args, whose setters declare each
** source, key and aggregate to the library as it comes (a refused
** declaration ends the command with the library's message); its help
** starts at column OVERLAY_COL. */
struct overlay_args {
    gpcov_ctx *ctx;
    struct gpcov_overlay_spec *s;
};
#define OVERLAY_COL 24
extern const struct opt overlay_options[];

/* The travel-model options (ttopts.c), shared by traveltime, isochrone
** and access: a table (opt.h) over struct tt_args, whose help starts at
** column TT_COL. */
struct tt_args {
    struct gpcov_traveltime_opts o;
    int models; /* how many of --roads, --friction, --straight-line */
};
#define TT_COL 22
extern const struct opt tt_options[];
/* EXIT_OK, or EXIT_USAGE after printing what is wrong. */
int tt_check(const char *cmd, const struct gpcov_traveltime_opts *o, int models);

/* A --panel SPEC of `gpcov map` and `gpcov webmap` (parsed in cmd_map.c):
** the panel's strings point into text; free text and fixed when done. */
struct panel_buf {
    char *text;     /* the SPEC, cut into items in place */
    double *fixed;  /* fixed edges                       */
    const char *note_meta;
    int nfixed;     /* number of fixed edges             */
    int classes_set;
};

struct gpcov_map_panel;
/* Fills p from SPEC; returns 0, or EXIT_USAGE after printing why. */
int tool_parse_panel(const char *cmd, const char *spec,
                     struct gpcov_map_panel *p, struct panel_buf *b);
/* The options map and webmap share (figopts.c).  Each command's option
** table declares them over an argument struct whose first member is a
** struct fig_opts (the setters take the target as one): the strings by
** offset, --panel and --attribution with fig_set_panel and
** fig_set_attribution. */
#define FIG_MAX_LIST 16
#define FIG_MAX_PANELS 16
struct fig_opts {
    const char *in, *layer, *key;     /* key: "komkode" by default       */
    const char *title, *nodata_label;
    int decimal_comma;
    const char *attr[FIG_MAX_LIST + 1]; /* NULL-terminated              */
    size_t nattr;
    struct gpcov_map_panel panels[FIG_MAX_PANELS];
    struct panel_buf bufs[FIG_MAX_PANELS];
    size_t np, max_panels;
};
void fig_opts_init(struct fig_opts *f, size_t max_panels);
void fig_opts_clear(struct fig_opts *f);
int fig_set_panel(const char *cmd, const struct opt *op, void *target, const char *v);
int fig_set_attribution(const char *cmd, const struct opt *op, void *target, const char *v);
/* --point-xy X,Y of cmd into popts' x and y fields (*xy holds them; the
** caller frees it) with srs; a usage error when it is not two names. */
int fig_point_xy(const char *cmd, const char *point_xy, const char *srs,
                 struct gpcov_read_opts *popts, char **xy);
/* Sets the note of each panel whose SPEC named one (note=meta:KEY) from the
** units' layer metadata (cmd_map.c); EXIT_OK, or EXIT_DATA after printing
** which item is missing, the panel named "(a)" when letters, else "1". */
int tool_panel_notes(const char *src, char **meta, struct gpcov_map_panel *panels,
                     const struct panel_buf *bufs, size_t np, int letters);

/* Prints "gpcov: <context message>" and returns the exit code for st. */
int tool_fail(gpcov_ctx *ctx, gpcov_status st);
/* Prints "gpcov <cmd>: <message>" plus a hint to --help; returns EXIT_USAGE. */
int tool_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "gpcov <cmd>: <context message>" plus the hint to --help, for a
** declaration or parameter the library refused; returns the exit code. */
int tool_option_fail(const char *cmd, gpcov_ctx *ctx, gpcov_status st);
/* The exit-code table, the one source of `gpcov --help`, the man pages and
** the README's table (a test compares them); ends with code -1. */
struct exit_code {
    int code;
    const char *meaning;
};
extern const struct exit_code tool_exit_codes[];
/* Exit code for a status. */
int tool_exit_code(gpcov_status st);
/* A context with terminal progress on stderr unless quiet, and the CSV
** style of --csv; NULL on ENOMEM. */
gpcov_ctx *tool_ctx(int quiet);
/* The one line a command ends with, on stderr: "gpcov CMD: <line>" unless
** quiet; inside a report step "step NAME: <line>" unless the report is
** quiet (whatever the step's own -q). */
void tool_summary(int quiet, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* tool_summary of the library's summary of the run (gpcov_ctx_summary),
** if it left one. */
void tool_done(gpcov_ctx *ctx, int quiet, const char *cmd);
/* `gpcov report` runs step name (NULL: no step) in this process: summaries
** are prefixed with its name, error lines kept for tool_step_error (and
** printed as well when verbose); tool_step_error is NULL if none. */
void tool_step_begin(const char *name, int quiet, int verbose);
const char *tool_step_error(void);
/* 1 inside a report step without --verbose: a command's own report (more
** than its summary line) is left out. */
int tool_step_quiet(void);

/* --csv plain|danish, declared (TOOL_OPT_CSV) by every command that writes
** tables: how its CSV outputs are written (gpcov_csv_style).  The setter
** keeps the style for the contexts tool_ctx makes after it; a context made
** before the options are read gets it with tool_csv_apply; `gpcov report`
** resets it to plain before each step (tool_csv_reset). */
int tool_set_csv(const char *cmd, const struct opt *o, void *target, const char *v);
void tool_csv_apply(gpcov_ctx *ctx);
void tool_csv_reset(void);
#define TOOL_OPT_CSV                                                                       \
    {OPT_CHOICE, "--csv", NULL, NULL, "plain|danish", "plain", 0,                         \
     "CSV outputs for Excel set to Danish: semicolons, decimal comma, UTF-8 with BOM, "   \
     "codes as =\"0101\" (README, \"Tables for Excel\")", 0, tool_set_csv}

#endif
