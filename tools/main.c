/*
** main.c: the gpcov binary dispatches to one file per command.
*/
#include "cmd.h"

#include <gdal.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: gpcov <command> [options]   (gpcov <command> --help)\n\ncommands:\n");
    for (const struct command *c = command_list(); c->name; c++)
        fprintf(f, "  %-11s %s\n", c->name, c->what);
    fprintf(f, "\n  --version   versions of gpcov and its libraries\n"
               "\nexit codes: 0 ok, 1 bad input or output not writable, 2 usage error,\n"
               "            3 out of memory or internal error, 4 cancelled\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        PJ_INFO pi = proj_info();
        printf("gpcov %s\nGDAL %s\nGEOS %s\nPROJ %s\n", GPCOV_VERSION,
               GDALVersionInfo("RELEASE_NAME"), GEOSversion(), pi.release);
        return EXIT_OK;
    }
    const struct command *c = command_find(argv[1]);
    if (c)
        return c->fn(argc - 1, argv + 1);
    fprintf(stderr, "gpcov: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
