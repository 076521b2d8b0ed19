/*
** report_internal.h: what the files of lib/report/ include for the
** library's private helpers it uses (the engine's own state is in
** report.h).
*/
#ifndef GPCOV_REPORT_INTERNAL_H
#define GPCOV_REPORT_INTERNAL_H

#include "io/io_internal.h"

/* ${name:format} (varformat.c): value, the variable's expanded value,
** written as format says ("da": a Danish number, "mio": millions) into
** out[n]; an unknown format or a value that is not a plain number is an
** error naming where. */
gpcov_status report_var_format(gpcov_ctx *ctx, const char *name, const char *value,
                               const char *format, const char *where, char *out, size_t n);

#endif
