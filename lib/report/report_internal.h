/*
** report_internal.h: what the files of lib/report/ include for the
** library's private helpers it uses (the engine's own state is in
** report.h).
*/
#ifndef GPCOV_REPORT_INTERNAL_H
#define GPCOV_REPORT_INTERNAL_H

#include "io/io_internal.h"

#endif
