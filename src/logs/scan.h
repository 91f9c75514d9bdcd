/*
 * scan.h - feed lines to the parser and the analyzers, and read whole
 * files (plain or gzip) in batch mode.  Shared by `logs scan`, `logs
 * stats` and the follower.
 */
#ifndef LOGS_SCAN_H
#define LOGS_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/finding.h"
#include "logs/analyzer.h"
#include "logs/logs.h"

struct err;

#define LOGS_BAD_KEEP 20 /* line numbers of unparsed lines kept per file */
#define LOGS_MAX_LINE_DEFAULT (64 * 1024)

/* What happened to the lines of one file. */
struct logs_counts {
	uint64_t lines;      /* every line, including empty and directives */
	uint64_t records;    /* parsed into a record */
	uint64_t directives; /* #Fields: and other headers */
	uint64_t empty;
	uint64_t unparsed; /* not a line of any known format */
	uint64_t cut;      /* longer than the maximum: cut and counted */
	uint64_t filtered; /* outside --since/--until */
	uint64_t no_final_newline;
	uint64_t bad_line[LOGS_BAD_KEEP]; /* first unparsed line numbers */
	unsigned nbad;
	uint64_t per_format[LOGS_FMT_COUNT];
};

/* A parser, the analyzers, the filters and the counts for one file. */
struct logs_feed {
	struct logs_parser parser;
	struct logs_run *run; /* may be NULL: parse and count only */
	struct report *report;
	int64_t since, until; /* epoch seconds; used when has_* */
	int has_since, has_until;
	const char *file;
	uint64_t lineno; /* of the last line fed */
	struct logs_counts counts;
};

/* force: LOGS_FMT_AUTO or a format; fmt: a compiled LogFormat or NULL. */
void logs_feed_init(struct logs_feed *f, enum logs_format force,
    const struct logs_fmt *fmt, struct logs_run *run, struct report *r);
void logs_feed_release(struct logs_feed *f);
/* Starts a new file: line numbers and per-file state restart. */
void logs_feed_file(struct logs_feed *f, const char *file);
/* One line without its newline (a trailing CR is dropped here). */
void logs_feed_line(struct logs_feed *f, const char *line, size_t n, int cut);

/*
 * Reads path ("-": standard input; a pipe or FIFO as a stream) to its end
 * (gzip when it starts with the gzip magic) and feeds every line; lines
 * longer than max_line are cut there and counted.  0, or -1 with err
 * (cannot open, a directory, a read error; err->code EBADMSG for a
 * truncated or corrupt gzip stream, after feeding the lines before it).
 */
int logs_scan_file(
    const char *path, size_t max_line, struct logs_feed *f, struct err *err);

/* Adds b's counts to a. */
void logs_counts_add(struct logs_counts *a, const struct logs_counts *b);

#endif
