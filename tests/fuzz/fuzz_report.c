/*
** fuzz_report.c: fuzz target for report definitions.  The input is an
** INI file given to `gpcov report --dry-run -q` (cmd_report, the real
** command, linked from the tool objects): gpcov_ini_read/parse, the
** variables of [report] with ${...} references between them, the --set
** overrides, and each [step NAME]'s command, conditions (when, unless,
** "KEY if VAR") and expanded arguments.  Lines "#set NAME=VALUE" (comments
** to the INI parser) become --set arguments.  A dry run prints the steps
** and runs none; its output and messages are sent to /dev/null.
*/
#include "fuzz.h"
#include "../../tools/cmd.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* Sanitizer runtimes have it: where their reports go while the command's
** own stderr is silenced (NULL in a build without sanitizers). */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int err_fd = -1;
    if (err_fd < 0) {
        if ((err_fd = dup(2)) < 0)
            abort();
        if (__sanitizer_set_report_fd)
            __sanitizer_set_report_fd((void *)(intptr_t)err_fd);
    }
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/gpcov-fuzz-report-%ld.ini", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
        abort();
    char *text = fuzz_str(data, size), *argv[32];
    int argc = 0;
    argv[argc++] = "report";
    argv[argc++] = path;
    argv[argc++] = "--dry-run";
    argv[argc++] = "-q";
    for (char *p = strstr(text, "#set "); p && argc < 30; p = strstr(p, "#set ")) {
        p += 5;
        char *end = strchr(p, '\n');
        if (end)
            *end = 0;
        argv[argc++] = "--set";
        argv[argc++] = p;
        if (!end)
            break;
        p = end + 1;
    }
    argv[argc] = NULL;
    /* the command prints; keep the fuzzer's (and replay's) output clean */
    fflush(stdout);
    fflush(stderr);
    int o1 = dup(1), o2 = dup(2), nul = open("/dev/null", O_WRONLY);
    if (o1 < 0 || o2 < 0 || nul < 0)
        abort();
    dup2(nul, 1);
    dup2(nul, 2);
    int rc = cmd_report(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(o1, 1);
    dup2(o2, 2);
    close(o1);
    close(o2);
    close(nul);
    if (rc < 0 || rc > 4)
        abort(); /* not one of the documented exit codes */
    free(text);
    unlink(path);
    return 0;
}
