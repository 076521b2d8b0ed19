/*
** main.c: the gpcov binary dispatches to one file per command, and decides
** what signals do: SIGINT, SIGTERM and SIGHUP remove the run's temporary
** outputs and end it with exit code 4 (cancelled), leaving every existing
** output as it was; SIGXFSZ (a file-size limit, ulimit -f) is ignored, so
** the write fails with EFBIG and the run ends with a message and exit 1
** instead of dying half-way.  An unknown command is answered with the
** nearest known one; `gpcov --dump-options CMD` prints CMD's option table.
*/
#include "cmd.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <gdal.h>
#include <proj.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_signal(int sig)
{
    gpcov_atomic_remove_all();
    static const char m[] = "gpcov: cancelled by a signal; no output written, "
                            "existing outputs left as they were\n";
    ssize_t w = write(2, m, sizeof m - 1);
    (void)w;
    (void)sig;
    _exit(EXIT_CANCEL);
}

static void set_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    /* a signal ignored on entry stays ignored (nohup, a background job) */
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: gpcov <command> [options]   (gpcov <command> --help)\n\ncommands:\n");
    for (const struct command *c = command_list(); c->name; c++)
        fprintf(f, "  %-11s %s\n", c->name, c->what);
    fprintf(f, "\noptions:\n"
               "  --help      this list; gpcov <command> --help lists a command's options\n"
               "              with their defaults\n"
               "  --version   versions of gpcov, GDAL, GEOS and PROJ\n"
               "\nexit codes:\n");
    for (const struct exit_code *e = tool_exit_codes; e->meaning; e++)
        fprintf(f, "  %d  %s\n", e->code, e->meaning); /* one line each: the README and
                                                          the man pages take them */
    fprintf(f, "\nMessages have one shape: gpcov: <file>:<line or feature>: <what is wrong>\n");
}

/* Releases what the libraries keep to the end of the process (cairo's and
** fontconfig's font caches, GDAL's drivers and worker threads), so that a
** leak checker sees only what gpcov itself failed to free. */
static int shutdown_libraries(int rc)
{
    cairo_debug_reset_static_data();
    FcFini();
    GDALDestroy();
    return rc;
}

/* An unknown command: says so, with the nearest command's name when one
** is close, then the usage. */
static int unknown_command(const char *name)
{
    const char *near = NULL;
    size_t best = (size_t)-1;
    for (const struct command *c = command_list(); c->name; c++)
        if (opt_close(name, c->name, &best))
            near = c->name;
    if (near)
        fprintf(stderr, "gpcov: unknown command '%s'; did you mean '%s'?\n", name, near);
    else
        fprintf(stderr, "gpcov: unknown command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}

/* `gpcov --dump-options CMD`: the option table of CMD, one option a line
** (opt_dump), for the bash completion; exit code 2 when CMD has none. */
static int dump_options(const char *name)
{
    const struct command *c = command_find(name);
    if (!c)
        return unknown_command(name);
    char opt[] = "--dump-options";
    char *args[] = {(char *)name, opt, NULL};
    return c->fn(2, args);
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
               GDALVersionInfo("RELEASE_NAME"), GEOSversion(), pi.version);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--dump-options") && argc == 3)
        return dump_options(argv[2]);
    const struct command *c = command_find(argv[1]);
    if (c) {
        set_signals();
        return shutdown_libraries(c->fn(argc - 1, argv + 1));
    }
    return unknown_command(argv[1]);
}
