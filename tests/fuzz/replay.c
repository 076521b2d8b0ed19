/*
** replay.c: the regression side of fuzzing.  A plain main that feeds every
** file of tests/fuzz/corpus/<target>/ and tests/fuzz/regress/<target>/ to
** the target's LLVMFuzzerTestOneInput and prints a TAP line per file, so
** `make check` replays every seed and every input that once crashed, under
** the normal build and under ASan+UBSan.  A crash ends the program, which
** tests/run.sh reports as a failure.  FUZZ_TARGET names the target (set by
** mk/fuzz.mk); FUZZ_DIR overrides tests/fuzz (the default, from the top
** of the checkout); arguments, when given, are files to replay instead.
*/
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Present under AddressSanitizer (NULL otherwise): a leak check now,
** returning nonzero when memory leaked since the last one. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif

static int n_ok, n_files;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_file(const char *path, const char *label)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("not ok %d - %s: cannot open\n", ++n_files, label);
        return;
    }
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                abort();
            buf = nb;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        if (k == 0)
            break;
        n += k;
    }
    fclose(f);
    /* a crash or sanitizer report ends the process here */
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
        printf("not ok %d - fuzz %s: %s leaks (the report is above)\n", ++n_files, FUZZ_TARGET,
               label);
        fflush(stdout);
        return;
    }
    printf("ok %d - fuzz %s: %s replays cleanly (%zu bytes)\n", ++n_files, FUZZ_TARGET, label, n);
    fflush(stdout);
    n_ok++;
}

static void replay_dir(const char *top, const char *kind)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s/%s", top, kind, FUZZ_TARGET);
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **nv = realloc(names, (nn + 1) * sizeof *nv);
        if (!nv || !(nv[nn] = strdup(e->d_name)))
            abort();
        names = nv;
        nn++;
    }
    closedir(d);
    qsort(names, nn, sizeof *names, by_name);
    for (size_t i = 0; i < nn; i++) {
        char path[8192], label[4200];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(label, sizeof label, "%s/%s", kind, names[i]);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            replay_file(path, label);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    /* tests/run.sh turns leak detection off for the sanitizer build; the
    ** fuzz targets free everything per input, so here it is turned back
    ** on (a later option wins) and the program starts again with it */
    const char *ao = getenv("ASAN_OPTIONS");
    if (__lsan_do_recoverable_leak_check && ao && strstr(ao, "detect_leaks=0") &&
        !getenv("GPCOV_REPLAY_LEAKS")) {
        char opts[2048];
        snprintf(opts, sizeof opts, "%s:detect_leaks=1", ao);
        setenv("ASAN_OPTIONS", opts, 1);
        setenv("GPCOV_REPLAY_LEAKS", "1", 1);
        execv("/proc/self/exe", argv);
    }
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            replay_file(argv[i], argv[i]);
    } else {
        const char *top = getenv("FUZZ_DIR");
        if (!top || !*top)
            top = "tests/fuzz";
        replay_dir(top, "corpus");
        replay_dir(top, "regress");
    }
    if (n_files == 0) {
        printf("not ok 1 - fuzz %s: no corpus files found (run from the top of the checkout)\n",
               FUZZ_TARGET);
        return 1;
    }
    return n_ok == n_files ? 0 : 1;
}
