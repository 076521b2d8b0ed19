/*
** tap.h: a tiny TAP producer for the unit tests.  Each check prints
** "ok N - what" or "not ok N - what"; tests/run.sh counts them and prints
** the closing "N passed, N failed" line.  A test's main() runs named cases,
** RUN(case_fn), each a static void function of its own checks.
*/
#ifndef GPCOV_TAP_H
#define GPCOV_TAP_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define OK(cond, ...)                                                          \
    do {                                                                       \
        int tap_ok_ = (cond) ? 1 : 0;                                              \
        printf("%sok %d - ", tap_ok_ ? "" : "not ", ++tap_n);                      \
        printf(__VA_ARGS__);                                                   \
        printf("\n");                                                          \
        if (!tap_ok_) {                                                            \
            tap_failed++;                                                      \
            printf("#   at %s:%d: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                      \
    } while (0)

#define NEAR(a, b, tol, ...)                                                   \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        int ok_ = fabs(a_ - b_) <= (tol);                                      \
        OK(ok_, __VA_ARGS__);                                                  \
        if (!ok_)                                                              \
            printf("#   got %.10g, expected %.10g (tol %g)\n", a_, b_,        \
                   (double)(tol));                                             \
    } while (0)

#define STREQ(a, b, ...)                                                       \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        int ok_ = a_ && b_ && strcmp(a_, b_) == 0;                             \
        OK(ok_, __VA_ARGS__);                                                  \
        if (!ok_)                                                              \
            printf("#   got \"%s\", expected \"%s\"\n", a_ ? a_ : "(null)",    \
                   b_ ? b_ : "(null)");                                        \
    } while (0)

/* RUN(case_fn): names the case on a TAP comment line, then runs it;
** RUN_ON(case_fn, arg) runs case_fn(arg), the shared context of the file */
#define RUN(case_fn)                                                           \
    do {                                                                       \
        printf("# %s\n", #case_fn);                                            \
        case_fn();                                                             \
    } while (0)
#define RUN_ON(case_fn, arg)                                                   \
    do {                                                                       \
        printf("# %s\n", #case_fn);                                            \
        case_fn(arg);                                                          \
    } while (0)

static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
