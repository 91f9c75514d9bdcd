/*
 * scan.c - batch reading: split a file (plain or gzip) into lines with a
 * hard maximum length, parse each, filter by time, hand records to the
 * analyzers, and count what could not be read with its line number.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "base/err.h"
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

/* A reader over a plain descriptor or a gzip stream. */
struct rd {
	int fd;
	gzFile gz;
};

static ssize_t
rd_read(struct rd *r, char *buf, size_t n)
{
	if (r->gz != NULL) {
		int k =
		    gzread(r->gz, buf, (unsigned)(n > 1 << 30 ? 1 << 30 : n));

		if (k < 0)
			errno = EIO;
		return k;
	}
	for (;;) {
		ssize_t k = read(r->fd, buf, n);

		if (k >= 0 || errno != EINTR)
			return k;
	}
}

int
logs_scan_file(
    const char *path, size_t max_line, struct logs_feed *f, struct err *err)
{
	struct rd r = {-1, NULL};
	struct stat st;
	unsigned char magic[2];
	size_t cap, have = 0;
	char *buf;
	int skipping = 0, rc = 0;

	if (max_line == 0)
		max_line = LOGS_MAX_LINE_DEFAULT;
	r.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (r.fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if (fstat(r.fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;

		close(r.fd);
		return err_sys(err, e, "cannot read '%s'", path);
	}
	if (pread(r.fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
	    magic[1] == 0x8b) {
		int fd2 = dup(r.fd);

		if (fd2 == -1 || (r.gz = gzdopen(fd2, "rb")) == NULL) {
			if (fd2 != -1)
				close(fd2);
			close(r.fd);
			return err_set(
			    err, EIO, "cannot read '%s': gzip", path);
		}
		gzbuffer(r.gz, 256 * 1024);
	}
	cap = max_line + 1024 * 1024;
	buf = malloc(cap);
	if (buf == NULL) {
		if (r.gz)
			gzclose(r.gz);
		close(r.fd);
		return err_set(err, ENOMEM, "out of memory");
	}
	logs_feed_file(f, path);
	for (;;) {
		ssize_t k = rd_read(&r, buf + have, cap - have);
		size_t start = 0;

		if (k < 0) {
			rc = err_sys(err, errno, "cannot read '%s'", path);
			break;
		}
		if (k == 0) {
			/* The last line had no newline: still a line. */
			if (have > 0 && !skipping) {
				f->counts.no_final_newline++;
				logs_feed_line(f, buf, have, 0);
			}
			break;
		}
		have += (size_t)k;
		/* the ends of the lines after this one, found ahead for
		 * the hints (queued for the next turns) */
		char *ahead[2];
		size_t nahead = 0;

		for (;;) {
			char *nl;
			size_t len;

			if (nahead > 0) {
				nl = ahead[0];
				ahead[0] = ahead[1];
				nahead--;
			} else
				nl = memchr(buf + start, '\n', have - start);
			if (nl == NULL)
				break;
			len = (size_t)(nl - (buf + start));
			/* the head of the third line after this one, when it
			 * is in the buffer */
			if (f->run != NULL && f->run->hints) {
				char *e = nahead > 0 ? ahead[nahead - 1] : nl;

				while (nahead < 2 && e + 1 < buf + have &&
				    (e = memchr(e + 1, '\n',
				         (size_t)(buf + have - (e + 1)))) !=
				        NULL)
					ahead[nahead++] = e;
				if (nahead == 2 && ahead[1] + 1 < buf + have) {
					size_t m = (size_t)(buf + have -
					    (ahead[1] + 1));

					logs_run_hint(f->run, ahead[1] + 1,
					    m < 64 ? m : 64);
				}
			}
			if (skipping)
				skipping = 0;
			else if (len > max_line)
				logs_feed_line(f, buf + start, max_line, 1);
			else
				logs_feed_line(f, buf + start, len, 0);
			start += len + 1;
		}
		if (skipping) {
			have = 0;
			continue;
		}
		if (have - start > max_line) {
			/* A line longer than the maximum: keep its head. */
			logs_feed_line(f, buf + start, max_line, 1);
			skipping = 1;
			have = 0;
			continue;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	free(buf);
	if (r.gz != NULL)
		gzclose(r.gz);
	close(r.fd);
	return rc;
}
