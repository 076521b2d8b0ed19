/*
** gpcov_report.h: the public API of lib/report/, report definitions (INI)
** and the report engine.
** Included through gpcov.h, the umbrella header; conventions there.
*/
#ifndef GPCOV_REPORT_API_H
#define GPCOV_REPORT_API_H

#include "base/gpcov_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------- report definition */

/* An INI file as written: sections in order, and in each the key = value
** lines in order (a key may repeat), with their line numbers.  Comments
** start with # or ; at the start of a line.  Made by gpcov_ini_read,
** freed by gpcov_ini_free. */
struct gpcov_ini_entry {
    char *key, *value;
    int line;
};
struct gpcov_ini_section {
    char *name;
    int line;
    size_t n;
    struct gpcov_ini_entry *e;
};
struct gpcov_ini {
    char *path;
    size_t n;
    struct gpcov_ini_section *s;
};

gpcov_status gpcov_ini_read(gpcov_ctx *ctx, const char *path, struct gpcov_ini **out);
/* Parses text held in memory (what gpcov_ini_read does after reading);
** path names it in messages. */
gpcov_status gpcov_ini_parse(gpcov_ctx *ctx, const char *path, const char *text,
                             struct gpcov_ini **out);
void gpcov_ini_free(struct gpcov_ini *ini);

/* Expands ${name} in text from vars (a CSL of "name=value"), values being
** expanded in turn; a name not in vars, or one that refers back to itself,
** is an error naming `where` (e.g. "denmark.ini:12").  *out is malloc'ed. */
gpcov_status gpcov_ini_expand(gpcov_ctx *ctx, const char *text, char **vars, const char *where,
                              char **out);

/* SHA-256 of a file as 64 hex digits (OpenSSL's libcrypto). */
gpcov_status gpcov_sha256_file(gpcov_ctx *ctx, const char *path, char hex[65]);

/* Running a report definition (lib/report/): the variables of [report],
** then every [step NAME] in order, each through the caller's runner (the
** library does not know the commands), and at the end manifest.json in
** ${out} with the versions, the variables, every step's arguments and the
** SHA-256 of every file it read and wrote. */
struct gpcov_report_runner {
    void *user;
    /* 1 when command may be a step: a known command, not the report itself */
    int (*known)(void *user, const char *command);
    /* 1 when a step's key (an option name, perhaps followed by " if VAR")
    ** names a file the step makes: the steps that read it must come after */
    int (*makes)(void *user, const char *key);
    /* The paths the step's command line argv[0..argc) (argv[0] the command)
    ** reads and writes, added to *inputs and *outputs (CSL lists) */
    void (*declare)(void *user, int argc, char **argv, char ***inputs, char ***outputs);
    /* Runs the step's command line; answers with its exit code (0: done) */
    int (*run)(void *user, int argc, char **argv);
    /* Prints one line of the run (a step's command line, a skipped step,
    ** the manifest written) */
    void (*say)(void *user, const char *line);
    /* the commands that print their own report unless -q, NULL-terminated */
    const char *const *talkers;
    /* Optional: called before a step's command runs (name of [step NAME]) */
    void (*begin)(void *user, const char *name);
    /* Optional: the failed step's own error line, or NULL */
    const char *(*why)(void *user);
};
struct gpcov_report_opts {
    const char *definition; /* the INI file                               */
    char **vars;            /* NAME=VALUE (CSL) overriding [report]        */
    int overwrite;          /* the steps may replace their outputs         */
    int dry_run;            /* say every step's command line, run nothing  */
    int quiet;              /* say nothing                                 */
    int verbose;            /* say every step's command line as it runs    */
};
/* Runs the report.  EINPUT for a bad definition (with the file and line),
** an input of some step that does not exist (all of them listed, before
** any step runs), or a failed step ("step NAME (COMMAND) failed: WHY",
** one line; *step_rc then holds its exit code, else 0); any other status
** from reading, expanding or writing; a failed run writes no manifest. */
gpcov_status gpcov_report_run(gpcov_ctx *ctx, const struct gpcov_report_opts *o,
                              const struct gpcov_report_runner *r, int *step_rc);

/* --------------------------------------------------------------- compare */

/* Two runs side by side (compare*.c): A and B are report folders (each
** with municipalities.gpkg, threat.gpkg and fee.gpkg, perhaps
** fee_rules.gpkg, and manifest.json) or two layers of the same units,
** joined by key.  Per unit: the verdicts and their change, the rules that
** start or stop firing, every numeric field that differs (A, B, B - A),
** the fee in DKK and percent; a unit absent, undecided or without a fee on
** one side says so in compare_reason, its differences empty, never 0.
** The inputs that differ between the two manifests go to
** <output stem>_inputs.csv.  All outputs are one output set. */
struct gpcov_compare_opts {
    const char *a, *b;      /* report folders or layers                   */
    const char *key;        /* the units' key; NULL: "komkode"            */
    const char *output;     /* .csv, .xlsx or .gpkg                       */
    const char *map;        /* .png, .svg or .pdf, or NULL                */
    const char *field;      /* the map's difference; NULL: total_dkk, else
                               the first numeric field that differs       */
    const char *regions;    /* region outlines for the map, or NULL       */
    int overwrite;
};
/* *summary (caller frees): the terminal's lines, verdict changes by name,
** where the fee moves, and the inputs that differ. */
gpcov_status gpcov_compare(gpcov_ctx *ctx, const struct gpcov_compare_opts *o, char **summary);

#ifdef __cplusplus
}
#endif
#endif
