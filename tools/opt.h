/*
** opt.h: the option tables of the commands.  Each command declares its
** options once, as a table (name, value, default, help, where the value
** goes); one parser reads argv against it, and the --help text, the man
** pages (help2man reads that text) and the bash completion (`gpcov CMD
** --dump-options`) are made from the same table.
*/
#ifndef GPCOV_OPT_H
#define GPCOV_OPT_H

#include <stddef.h>

enum opt_kind {
    OPT_END = 0, /* ends a table                                         */
    OPT_SECTION, /* a heading in the help; help is its text              */
    OPT_TEXT,    /* lines printed as they are among the options (help)   */
    OPT_FLAG,    /* no value: sets the int at off to 1                   */
    OPT_STRING,  /* a value kept as it is (const char * at off)          */
    OPT_INPUT,   /* a file or source read: like OPT_STRING               */
    OPT_OUTPUT,  /* a file or source written: like OPT_STRING            */
    OPT_NUMBER,  /* a positive finite number (double at off)             */
    OPT_LIST,    /* repeatable: each value added to the char ** at off   */
    OPT_CHOICE,  /* one of choices ("all|any|score"): its index, int at off */
    OPT_ARG      /* an argument that is no option (no name; meta names it  */
                 /* for the reader): the first such one, const char * at off */
};

#define OPT_REQUIRED 1 /* the help says "(required)"                    */
#define OPT_SAID 2     /* the help text states the default in its own words */
/* The I/O role of an option whose value names a file (or directory) the
** command reads or writes, whatever the value's kind (a repeatable list
** can be an input): what `gpcov report` hashes and orders its steps by.
** At most one per option; none for a value that is no file to hash (e.g.
** access's --data, a directory of tables). */
#define OPT_IN 4       /* a file read                                    */
#define OPT_NAMED 8    /* NAME=FILE: a file read, under a name           */
#define OPT_OUT 16     /* a file (or directory) made or replaced         */
#define OPT_UPDATE 32  /* a file changed in place: an output, but not a  */
                       /* new one, so no order between its writers      */
#define OPT_ROLE (OPT_IN | OPT_NAMED | OPT_OUT | OPT_UPDATE)

struct opt;
/* Special parsing of an option: takes value (NULL for a flag) into target;
** returns 0, or the exit code after printing what is wrong (EXIT_USAGE from
** tool_usage_error, or tool_option_fail's code for a declaration refused). */
typedef int (*opt_setter)(const char *cmd, const struct opt *o, void *target,
                          const char *value);

struct opt {
    enum opt_kind kind;
    const char *name;    /* "--units", or "-q"                              */
    const char *alias;   /* another spelling, e.g. "-o", or NULL            */
    const char *meta;    /* the value's placeholder, e.g. "SRC"             */
    const char *choices; /* OPT_CHOICE: "all|any|score"                     */
    const char *def;     /* the default, said in the help, or NULL          */
    int flags;           /* OPT_REQUIRED, OPT_SAID, an I/O role (OPT_IN ...) */
    const char *help;    /* one paragraph; the help wraps it                */
    size_t off;          /* where the value goes in the group's target      */
    opt_setter set;      /* instead of storing at off, or NULL              */
};

/* A command's options come in groups, each with its own target struct
** (e.g. the travel-model options that traveltime, isochrone and access
** share); col is the column where the group's help texts start. */
struct opt_group {
    const char *heading; /* printed before the group, or NULL */
    const struct opt *table;
    int col;
};

struct opt_cmd {
    const char *name;     /* "threat"                                      */
    const char *usage;    /* usage line(s) and the description paragraph   */
    const struct opt_group *groups;
    size_t ngroups;
    const char *epilogue; /* printed after the options, or NULL            */
    const char *unknown;  /* the message for an unknown option, a format of
                             one %s; NULL: "unknown option '%s'"           */
};

/* The result of opt_parse when it printed the help (or the table): the
** command ends with exit code 0. */
#define OPT_HELP (-1)

/* Reads argv[1..argc-1] against the command's tables, into targets[g] for
** group g.  Returns 0, OPT_HELP after printing the help (--help, -h) or the
** table (--dump-options), or the exit code (EXIT_USAGE but for a
** declaration a setter's library call refused) after printing what is
** wrong: an unknown option (with the nearest known one), a missing or bad
** value, an argument that is no option beyond those an OPT_ARG takes. */
int opt_parse(const struct opt_cmd *c, int argc, char **argv, void *const *targets);
/* The option of the command's tables that argument a names (its name or
** alias), or NULL. */
const struct opt *opt_find(const struct opt_cmd *c, const char *a);
/* Prints the help text made from the command's tables. */
void opt_help(const struct opt_cmd *c);
/* Prints one line per option: name, alias, kind, meta, choices, default,
** I/O role (in, named, out, update), tab-separated ("-" for none), the
** source of the bash completion. */
void opt_dump(const struct opt_cmd *c);
/* Whether a misspelt word is close enough to cand to suggest it. */
int opt_close(const char *word, const char *cand, size_t *best);

#endif
