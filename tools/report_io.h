/*
** report_io.h: what each step of a report reads and writes, from its
** command line and its command's option table (report_io.c).
*/
#ifndef GPCOV_REPORT_IO_H
#define GPCOV_REPORT_IO_H

/* The paths the command line argv[0..argc) (argv[0] the command) reads
** and writes, each once, in the order first named, added to *inputs and
** *outputs (CSL lists).  A path the step both reads and writes (a style
** written into its input) is an output only. */
void report_io_declare(int argc, char **argv, char ***inputs, char ***outputs);
/* 1 when some command makes a new file named by option key (a report
** definition's key: the option's name without "--", perhaps followed by
** " if VAR"): the steps that read it must come after. */
int report_io_makes(const char *key);

#endif
