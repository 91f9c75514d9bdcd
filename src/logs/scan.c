/*
 * scan.c - batch reading: the lines of a file, pipe or FIFO (plain or
 * gzip, base/linesrc.h) with a hard maximum length; parse each, filter
 * by time, hand records to the analyzers, and count what could not be
 * read with its line number.
 */
#include <string.h>

#include "base/err.h"
#include "base/linesrc.h"
#include "logs/scan.h"

void
logs_feed_init(struct logs_feed *f, enum logs_format force,
    const struct logs_fmt *fmt, struct logs_run *run, struct report *r)
{
	memset(f, 0, sizeof(*f));
	logs_parser_init(&f->parser, force);
	f->parser.fmt = fmt;
	f->run = run;
	f->report = r;
}

void
logs_feed_release(struct logs_feed *f)
{
	logs_parser_release(&f->parser);
}

void
logs_feed_file(struct logs_feed *f, const char *file)
{
	f->file = file;
	f->lineno = 0;
	logs_w3c_init(&f->parser.w3c);
}

void
logs_counts_add(struct logs_counts *a, const struct logs_counts *b)
{
	a->lines += b->lines;
	a->records += b->records;
	a->directives += b->directives;
	a->empty += b->empty;
	a->unparsed += b->unparsed;
	a->cut += b->cut;
	a->filtered += b->filtered;
	a->no_final_newline += b->no_final_newline;
	for (int i = 0; i < LOGS_FMT_COUNT; i++)
		a->per_format[i] += b->per_format[i];
	for (unsigned i = 0; i < b->nbad && a->nbad < LOGS_BAD_KEEP; i++)
		a->bad_line[a->nbad++] = b->bad_line[i];
}

static const struct civtime *
rec_time(const struct logs_rec *rec)
{
	switch (rec->kind) {
	case LOGS_KIND_ACCESS:
		return &rec->u.a.time;
	case LOGS_KIND_ERROR:
		return &rec->u.e.time;
	case LOGS_KIND_SYSLOG:
		return &rec->u.s.time;
	default:
		return NULL;
	}
}

void
logs_feed_line(struct logs_feed *f, const char *line, size_t n, int cut)
{
	struct logs_rec rec;
	enum logs_res r;

	f->lineno++;
	f->counts.lines++;
	if (cut)
		f->counts.cut++;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	r = logs_parse_line(&f->parser, line, n, &rec);
	switch (r) {
	case LOGS_EMPTY:
		f->counts.empty++;
		return;
	case LOGS_DIRECTIVE:
		f->counts.directives++;
		return;
	case LOGS_BAD:
		f->counts.unparsed++;
		if (f->counts.nbad < LOGS_BAD_KEEP)
			f->counts.bad_line[f->counts.nbad++] = f->lineno;
		if (f->run != NULL && (f->run->kinds & LOGS_KIND_RAW)) {
			memset(&rec, 0, sizeof(rec));
			rec.kind = LOGS_KIND_RAW;
			rec.line.p = line;
			rec.line.n = n;
			rec.lineno = f->lineno;
			rec.file = f->file;
			logs_run_record(f->run, &rec, f->report);
		}
		return;
	case LOGS_OK:
		break;
	}
	f->counts.records++;
	f->counts.per_format[rec.format]++;
	if (f->has_since || f->has_until) {
		const struct civtime *t = rec_time(&rec);

		if (t != NULL && t->valid) {
			int64_t e = civ_epoch(t);

			if ((f->has_since && e < f->since) ||
			    (f->has_until && e >= f->until)) {
				f->counts.filtered++;
				return;
			}
		}
	}
	rec.line.p = line;
	rec.line.n = n;
	rec.lineno = f->lineno;
	rec.file = f->file;
	if (f->run != NULL)
		logs_run_record(f->run, &rec, f->report);
}

int
logs_scan_file(
    const char *path, size_t max_line, struct logs_feed *f, struct err *err)
{
	struct linesrc_opts o = {max_line, LINESRC_CR_STRIP};
	struct linesrc ls;
	const char *line, *next;
	size_t n, m;
	int cut, rc;

	if (linesrc_open(&ls, path, &o, err) == -1)
		return -1;
	logs_feed_file(f, path);
	while ((rc = linesrc_next(&ls, &line, &n, &cut, err)) == 1) {
		/* the head of the third line after this one, when it is
		 * in the buffer, for the analyzers' hints */
		if (f->run != NULL && f->run->hints &&
		    linesrc_ahead(&ls, &next, &m))
			logs_run_hint(f->run, next, m < 64 ? m : 64);
		logs_feed_line(f, line, n, cut);
	}
	f->counts.no_final_newline += ls.no_final_newline;
	linesrc_close(&ls);
	return rc;
}
