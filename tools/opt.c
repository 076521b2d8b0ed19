/*
** opt.c: the one parser of the commands' option tables (opt.h), and what
** else is made from them: the --help text (usage, then one line or more
** per option with its default, "(required)" or "(repeatable)"), the table
** dump that the bash completion reads (with each option's I/O role, for
** the tests), and "did you mean" for a misspelt option or command (the
** nearest name by edit distance).
*/
#include "cmd.h"
#include "opt.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int opt_close(const char *word, const char *cand, size_t *best)
{
    size_t d = gpcov_edit_distance(word, cand);
    size_t len = strlen(cand);
    while (*cand == '-')
        cand++, len--;
    /* at most two edits, and fewer than half of the name's letters */
    if (d > 2 || 2 * d >= len || d >= *best)
        return 0;
    *best = d;
    return 1;
}

/* The entry of table called a, or NULL. */
static const struct opt *find(const struct opt *table, const char *a)
{
    for (const struct opt *o = table; o->kind != OPT_END; o++)
        if (o->name && (!strcmp(a, o->name) || (o->alias && !strcmp(a, o->alias))))
            return o;
    return NULL;
}

const struct opt *opt_find(const struct opt_cmd *c, const char *a)
{
    const struct opt *o = NULL;
    for (size_t g = 0; g < c->ngroups && !o; g++)
        o = find(c->groups[g].table, a);
    return o;
}

/* "all|any|score" as "all, any or score". */
static void say_choices(const char *choices, char *buf, size_t size)
{
    char **c = CSLTokenizeString2(choices, "|", 0);
    int n = CSLCount(c);
    buf[0] = 0;
    for (int k = 0; k < n; k++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", k == 0 ? "" : k == n - 1 ? " or " : ", ",
                 c[k]);
    }
    CSLDestroy(c);
}

/* The index of v among choices, or -1. */
static int choice_index(const char *choices, const char *v)
{
    char **c = CSLTokenizeString2(choices, "|", 0);
    int k = CSLFindString(c, v);
    CSLDestroy(c);
    return k;
}

/* Stores value v of option o into target; 0, or EXIT_USAGE after saying why. */
static int store(const char *cmd, const struct opt *o, void *target, const char *v)
{
    char *field = (char *)target + o->off;
    if (o->set)
        return o->set(cmd, o, target, v);
    switch (o->kind) {
    case OPT_FLAG: *(int *)field = 1; return 0;
    case OPT_STRING:
    case OPT_INPUT:
    case OPT_OUTPUT:
    case OPT_ARG: *(const char **)field = v; return 0;
    case OPT_LIST: *(char ***)field = CSLAddString(*(char ***)field, v); return 0;
    case OPT_NUMBER: {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !(d > 0) || !isfinite(d))
            return tool_usage_error(cmd, "%s: '%s' is not a positive number", o->name, v);
        *(double *)field = d;
        return 0;
    }
    case OPT_CHOICE: {
        int k = choice_index(o->choices, v);
        if (k < 0) {
            char say[256];
            say_choices(o->choices, say, sizeof say);
            return tool_usage_error(cmd, "%s '%s': %s", o->name, v, say);
        }
        *(int *)field = k;
        return 0;
    }
    case OPT_END:
    case OPT_SECTION:
    case OPT_TEXT: break;
    }
    return 0;
}

/* One option of one table: consumes argv[*i] (and its value) when it is
** in table and returns 1; returns 0 when it is not, minus the exit code
** after an error it has printed. */
static int opt_one(const char *cmd, const struct opt *table, void *target, int argc,
                   char **argv, int *i)
{
    const struct opt *o = find(table, argv[*i]);
    if (!o)
        return 0;
    const char *v = NULL;
    if (o->kind != OPT_FLAG) {
        if (*i + 1 >= argc)
            return -tool_usage_error(cmd, "%s needs a value", argv[*i]);
        v = argv[++*i];
    }
    int rc = store(cmd, o, target, v);
    return rc ? -rc : 1;
}

/* Takes argument a, which is no option, into the first OPT_ARG of the
** command's tables that has none yet: 1, or 0 when none is left. */
static int positional(const struct opt_cmd *c, void *const *targets, const char *a)
{
    if (a[0] == '-')
        return 0;
    for (size_t g = 0; g < c->ngroups; g++)
        for (const struct opt *o = c->groups[g].table; o->kind != OPT_END; o++) {
            const char **field = (const char **)((char *)targets[g] + o->off);
            if (o->kind == OPT_ARG && !*field) {
                *field = a;
                return 1;
            }
        }
    return 0;
}

/* The usage error for an unknown option a, naming the nearest known one. */
static int unknown(const struct opt_cmd *c, const char *a)
{
    const char *near = NULL;
    size_t best = (size_t)-1;
    for (size_t g = 0; g < c->ngroups; g++)
        for (const struct opt *o = c->groups[g].table; o->kind != OPT_END; o++)
            if (o->name && opt_close(a, o->name, &best))
                near = o->name;
    char what[512];
    snprintf(what, sizeof what, c->unknown ? c->unknown : "unknown option '%s'", a);
    if (a[0] == '-' && near)
        return tool_usage_error(c->name, "%s; did you mean '%s'?", what, near);
    return tool_usage_error(c->name, "%s", what);
}

int opt_parse(const struct opt_cmd *c, int argc, char **argv, void *const *targets)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            opt_help(c);
            return OPT_HELP;
        }
        if (!strcmp(a, "--dump-options")) {
            opt_dump(c);
            return OPT_HELP;
        }
        int r = 0;
        for (size_t g = 0; g < c->ngroups && r == 0; g++)
            r = opt_one(c->name, c->groups[g].table, targets[g], argc, argv, &i);
        if (r < 0)
            return -r;
        if (r == 0 && !positional(c, targets, a))
            return unknown(c, a);
    }
    return 0;
}

/* The longest line of the help texts. */
#define WIDTH 81

/* Prints text wrapped to WIDTH columns from column col, where the cursor is;
** its later lines are indented to col.  Two spaces between sentences stay
** two. */
static void wrap(const char *text, int col)
{
    int pos = col;
    for (const char *p = text; *p;) {
        int gap = 0, cols = 0;
        for (; *p == ' '; p++)
            gap += gap < 2;
        int w = (int)strcspn(p, " ");
        if (!w)
            break;
        for (int k = 0; k < w; k++) /* characters, not the bytes of UTF-8 */
            cols += ((unsigned char)p[k] & 0xC0) != 0x80;
        if (pos > col && pos + (gap ? gap : 1) + cols > WIDTH) {
            printf("\n%*s", col, "");
            pos = col;
        } else if (pos > col) {
            printf("%*s", gap ? gap : 1, "");
            pos += gap ? gap : 1;
        }
        printf("%.*s", w, p);
        pos += cols;
        p += w;
    }
    putchar('\n');
}

/* The help of one option: its name and value on the left, then its text
** with the default, from column col (on the next line when the left part
** reaches it). */
static void help_line(const struct opt *o, int col)
{
    const char *meta = o->meta ? o->meta : o->kind == OPT_CHOICE ? o->choices : NULL;
    char left[160], text[1024], tail[256] = "";
    int n = snprintf(left, sizeof left, "  %s%s%s%s%s", o->name, o->alias ? ", " : "",
                     o->alias ? o->alias : "", meta ? " " : "", meta ? meta : "");
    int req = (o->flags & OPT_REQUIRED) != 0, list = o->kind == OPT_LIST;
    if (o->flags & OPT_SAID)
        tail[0] = 0;
    else if (o->def)
        snprintf(tail, sizeof tail, " (default: %s)", o->def);
    else if (req || list)
        snprintf(tail, sizeof tail, " (%s%s%s)", req ? "required" : "",
                 req && list ? ", " : "", list ? "repeatable" : "");
    snprintf(text, sizeof text, "%s%s", o->help ? o->help : "", tail);
    fputs(left, stdout);
    if (n + 1 > col)
        printf("\n%*s", col, "");
    else
        printf("%*s", col - n, "");
    wrap(text, col);
}

/* The help of one table; *blank: a blank line is due before the next
** option line (none after a section heading). */
static void help_table(const struct opt *table, int col, int *blank)
{
    for (const struct opt *o = table; o->kind != OPT_END; o++) {
        if (o->kind == OPT_SECTION) {
            printf("\n%s\n", o->help);
            *blank = 0;
            continue;
        }
        if (o->kind == OPT_TEXT) {
            fputs(o->help, stdout);
            continue;
        }
        if (o->kind == OPT_ARG) /* the usage line names it */
            continue;
        if (*blank)
            putchar('\n');
        *blank = 0;
        help_line(o, col);
    }
}

void opt_help(const struct opt_cmd *c)
{
    fputs(c->usage, stdout);
    int blank = 1;
    for (size_t g = 0; g < c->ngroups; g++) {
        if (c->groups[g].heading) {
            printf("\n%s\n", c->groups[g].heading);
            blank = 1;
        }
        help_table(c->groups[g].table, c->groups[g].col, &blank);
    }
    if (c->epilogue)
        fputs(c->epilogue, stdout);
}

/* The I/O role of o as opt_dump says it, "-" for none. */
static const char *role_name(const struct opt *o)
{
    switch (o->flags & OPT_ROLE) {
    case OPT_IN: return "in";
    case OPT_NAMED: return "named";
    case OPT_OUT: return "out";
    case OPT_UPDATE: return "update";
    default: return "-";
    }
}

void opt_dump(const struct opt_cmd *c)
{
    static const char *const kinds[] = {
        [OPT_FLAG] = "flag",     [OPT_STRING] = "string", [OPT_INPUT] = "input",
        [OPT_OUTPUT] = "output", [OPT_NUMBER] = "number", [OPT_LIST] = "list",
        [OPT_CHOICE] = "choice",
    };
    for (size_t g = 0; g < c->ngroups; g++)
        for (const struct opt *o = c->groups[g].table; o->kind != OPT_END; o++)
            if (o->name)
                printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o->name, o->alias ? o->alias : "-",
                       kinds[o->kind], o->meta ? o->meta : "-",
                       o->choices ? o->choices : "-", o->def ? o->def : "-", role_name(o));
}
