/*
 * cmd_fim_show.h - the output of "fim" (cmd_fim_show.c).
 */
#ifndef CLI_CMD_FIM_SHOW_H
#define CLI_CMD_FIM_SHOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/output.h"
#include "fim/fim.h"

/*
 * The findings of a check as a listing: per finding a line of severity,
 * class and path (the package that explains it, why it could not be
 * read), then a line per attribute with its old and new value; and the
 * count of critical, other and explained changes.
 */
void fim_show_listing(const struct out *out, const struct report *r);
/* The findings as JSON lines, or the Nagios line with the counts as
 * performance data (added to r). */
void fim_show_report(const struct out *out, struct report *r);
/* The totals of a scan by what ("init", "check", "update"). */
void fim_show_stats(enum out_mode mode, const char *dir, const char *what,
    const struct fim_baseline *b, const struct fim_scan_stats *st);
/* A verified baseline: its format, signature and key; with status, when
 * and where it was made, its size and roots.  b NULL: one that is not
 * valid (said in JSON only; the reason was logged). */
void fim_show_baseline(enum out_mode mode, const char *dir,
    const struct fim_baseline *b, const char *key, const char *fp, int status);
/* The usage of "fim". */
void fim_show_usage(FILE *fp);
/* Files and bytes read so far, the rate, and the time left when the
 * bytes to read are known (expect_bytes, or 0), since t0 (clock_mono). */
void fim_show_progress(
    double t0, uint64_t expect_bytes, uint64_t files, uint64_t bytes, int done);

#endif
