/*
** report_io.c: which files a step of `gpcov report` reads and writes, so
** that the report records each step's inputs and outputs as the step
** declares them, in the order first named.  The step's command says it in
** its option table (opt.h): each option that names a file carries its I/O
** role (read, read under a name, written, updated in place).
*/
#include "report_io.h"

#include "cmd.h"

#include <cpl_string.h>
#include <string.h>

/* Whether option o is "--" followed by the n characters of key. */
static int is_named(const struct opt *o, const char *key, size_t n)
{
    return o->name && !strncmp(o->name, "--", 2) && strlen(o->name + 2) == n &&
           !strncmp(o->name + 2, key, n);
}

/* Whether some option called key (n characters, without "--") of table c
** makes a new file. */
static int table_makes(const struct opt_cmd *c, const char *key, size_t n)
{
    for (size_t g = 0; g < c->ngroups; g++)
        for (const struct opt *o = c->groups[g].table; o->kind != OPT_END; o++)
            if ((o->flags & OPT_ROLE) == OPT_OUT && is_named(o, key, n))
                return 1;
    return 0;
}

int report_io_makes(const char *key)
{
    size_t n = strcspn(key, " ");
    for (const struct command *c = command_list(); c->name; c++)
        if (c->opts && table_makes(c->opts, key, n))
            return 1;
    return 0;
}

/* Adds the path that value v of option o names (if any) to *named and,
** when the step writes it, to *written, each path once. */
static void io_add(const struct opt *o, const char *v, char ***named, char ***written)
{
    int role = o->flags & OPT_ROLE;
    const char *eq = strchr(v, '=');
    if (role == OPT_NAMED)
        v = eq ? eq + 1 : "";
    if (!role || !*v)
        return;
    if (CSLFindString(*named, v) < 0)
        *named = CSLAddString(*named, v);
    if ((role == OPT_OUT || role == OPT_UPDATE) && CSLFindString(*written, v) < 0)
        *written = CSLAddString(*written, v);
}

void report_io_declare(int argc, char **argv, char ***inputs, char ***outputs)
{
    const struct command *cmd = command_find(argv[0]);
    char **named = NULL, **written = NULL; /* every path in order; those written */
    for (int i = 1; cmd && cmd->opts && i + 1 < argc; i++) {
        const struct opt *o = opt_find(cmd->opts, argv[i]);
        if (o && o->kind != OPT_FLAG)
            io_add(o, argv[++i], &named, &written);
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
