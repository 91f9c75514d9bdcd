/*
 * linesrc.c - text lines from a plain or gzip file, a pipe or a FIFO
 * (see linesrc.h).  gzip streams are inflated here, not with gzread: zlib's
 * gzread returns 0 at a truncated end as at a complete one.
 */
#include "base/linesrc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "base/err.h"

#define ZIN_SIZE (256 * 1024)   /* compressed bytes read at a time */
#define BUF_SLACK (1024 * 1024) /* buffer beyond the longest line */
#define SMALL_SLACK 4096        /* the least, for a small file */

int
linesrc_open_path(const char *path, struct stat *st, struct err *err)
{
	int fd, fl;

	/* O_NONBLOCK: opening a FIFO must not wait for its writer here. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if (fstat(fd, st) == -1) {
		int e = errno;

		close(fd);
		return err_sys(err, e, "cannot read '%s'", path);
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		return err_sys(err, EISDIR, "cannot read '%s'", path);
	}
	if (S_ISFIFO(st->st_mode)) {
		/* Wait for a writer (it may open the FIFO after us): poll
		 * reports a hang-up only once a writer came and went. */
		struct pollfd p = {fd, POLLIN, 0};

		while (poll(&p, 1, -1) == -1 && errno == EINTR)
			;
	}
	/* then reads that wait for data, as on any descriptor */
	fl = fcntl(fd, F_GETFL);
	if (fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		int e = errno;

		close(fd);
		return err_sys(err, e, "cannot read '%s'", path);
	}
	return fd;
}

/* read(2) of up to n bytes, again after EINTR. */
static ssize_t
read_some(int fd, void *buf, size_t n)
{
	for (;;) {
		ssize_t k = read(fd, buf, n);

		if (k >= 0 || errno != EINTR)
			return k;
	}
}

/* Keeps the error of a failed read (for the later calls) and fills err:
 * what went wrong and after how many lines. */
static int
fail(struct linesrc *ls, struct err *err, int code, const char *what)
{
	ls->failed = 1;
	ls->errcode = code;
	snprintf(ls->errmsg, sizeof(ls->errmsg),
	    "cannot read '%s': %s (after %llu line%s)", ls->name, what,
	    (unsigned long long)ls->lines, ls->lines == 1 ? "" : "s");
	return err_set(err, code, "%s", ls->errmsg);
}

static int
fail_sys(struct linesrc *ls, struct err *err, int e)
{
	return fail(ls, err, e, strerror(e));
}

static int
fail_gzip(struct linesrc *ls, struct err *err, const char *what)
{
	return fail(ls, err, EBADMSG, what);
}

/* Inflates into out: the count, 0 at the end of the last member, -1. */
static ssize_t
gz_fill(struct linesrc *ls, char *out, size_t n, struct err *err)
{
	z_stream *z = ls->z;

	if (n > UINT_MAX)
		n = UINT_MAX;
	if (ls->zbad != NULL)
		return fail_gzip(ls, err, ls->zbad);
	z->next_out = (unsigned char *)out;
	z->avail_out = (unsigned)n;
	while (z->avail_out == n) {
		int r;

		if (z->avail_in < 2 && !ls->zeof &&
		    (ls->zend || z->avail_in == 0)) {
			/* more input; a member's end needs two bytes to
			 * tell another member from trailing bytes */
			ssize_t k;

			memmove(ls->zin, z->next_in, z->avail_in);
			k = read_some(ls->fd, ls->zin + z->avail_in,
			    ls->zcap - z->avail_in);
			if (k < 0)
				return fail_sys(ls, err, errno);
			z->next_in = ls->zin;
			z->avail_in += (unsigned)k;
			if (k == 0)
				ls->zeof = 1;
			continue;
		}
		if (ls->zend) {
			/* another member follows, or the end: bytes after
			 * the last member are ignored, as gzip and zlib do */
			if (z->avail_in < 2 || z->next_in[0] != 0x1f ||
			    z->next_in[1] != 0x8b)
				break;
			if (inflateReset(z) != Z_OK)
				return fail_gzip(ls, err, "inflate failed");
			ls->zend = 0;
		}
		if (z->avail_in == 0 && ls->zeof)
			return fail_gzip(
			    ls, err, "unexpected end of compressed data");
		r = inflate(z, Z_NO_FLUSH);
		if (r == Z_STREAM_END)
			ls->zend = 1;
		else if (r == Z_MEM_ERROR)
			return fail_sys(ls, err, ENOMEM);
		else if (r != Z_OK && (r != Z_BUF_ERROR || z->avail_in > 0)) {
			ls->zbad =
			    z->msg != NULL ? z->msg : "invalid compressed data";
			if (z->avail_out == n) /* else first what came out */
				return fail_gzip(ls, err, ls->zbad);
			break;
		}
	}
	return (ssize_t)(n - z->avail_out);
}

/* Up to n bytes of content into out: the count, 0 at the end, -1. */
static ssize_t
fill(struct linesrc *ls, char *out, size_t n, struct err *err)
{
	ssize_t k;

	if (ls->failed)
		return err_set(err, ls->errcode, "%s", ls->errmsg);
	if (ls->gzip)
		return gz_fill(ls, out, n, err);
	k = read_some(ls->fd, out, n);
	if (k < 0)
		return fail_sys(ls, err, errno);
	return k;
}

/* Reads the first bytes and tells gzip from plain text by them. */
static int
sniff(struct linesrc *ls, struct err *err)
{
	z_stream *z;

	/* at most what the inflate input holds, should it be gzip */
	while (ls->have < 2) {
		ssize_t k =
		    read_some(ls->fd, ls->buf + ls->have, ls->zcap - ls->have);

		if (k < 0)
			return fail_sys(ls, err, errno);
		if (k == 0) {
			ls->eof = 1;
			return 0;
		}
		ls->have += (size_t)k;
	}
	if ((unsigned char)ls->buf[0] != 0x1f ||
	    (unsigned char)ls->buf[1] != 0x8b)
		return 0;
	z = calloc(1, sizeof(*z));
	ls->zin = malloc(ls->zcap);
	ls->z = z;
	if (z == NULL || ls->zin == NULL)
		return fail_sys(ls, err, ENOMEM);
	/* 16 + MAX_WBITS: a gzip header and trailer, nothing else */
	if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
		free(z);
		ls->z = NULL;
		return fail_sys(ls, err, ENOMEM);
	}
	ls->gzip = 1;
	memcpy(ls->zin, ls->buf, ls->have);
	z->next_in = ls->zin;
	z->avail_in = (unsigned)ls->have;
	ls->have = 0;
	return 0;
}

int
linesrc_open_fd(struct linesrc *ls, int fd, const char *name,
    const struct linesrc_opts *o, struct err *err)
{
	struct stat st;

	memset(ls, 0, sizeof(*ls));
	ls->fd = fd;
	snprintf(ls->name, sizeof(ls->name), "%s", name);
	ls->max_line =
	    o != NULL && o->max_line > 0 ? o->max_line : LINESRC_MAX_DEFAULT;
	ls->cr = o != NULL ? o->cr : LINESRC_CR_STRIP;
	/* buffers for a small file as small (a rotated log's .1 may be a
	 * few bytes), for the rest large reads */
	ls->cap = ls->max_line + BUF_SLACK;
	ls->zcap = ZIN_SIZE;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size < BUF_SLACK) {
		ls->zcap = (size_t)st.st_size + SMALL_SLACK;
		if (ls->zcap > ZIN_SIZE)
			ls->zcap = ZIN_SIZE;
		ls->cap = ls->max_line + (size_t)st.st_size + SMALL_SLACK;
	}
	ls->buf = malloc(ls->cap);
	if (ls->buf == NULL) {
		close(fd);
		ls->fd = -1;
		return err_set(err, ENOMEM, "out of memory");
	}
	if (sniff(ls, err) == -1) {
		linesrc_close(ls);
		return -1;
	}
	return 0;
}

int
linesrc_open(struct linesrc *ls, const char *path, const struct linesrc_opts *o,
    struct err *err)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
		if (fd == -1)
			return err_sys(
			    err, errno, "cannot read standard input");
	} else if ((fd = linesrc_open_path(path, &st, err)) == -1)
		return -1;
	return linesrc_open_fd(ls, fd, path, o, err);
}

/* The line [p, p+len) found with its newline: trimmed, counted. */
static int
give(struct linesrc *ls, const char *p, size_t len, const char **line,
    size_t *lenp, int *cut)
{
	ls->lines++;
	if (ls->cr == LINESRC_CR_STRIP && len > 0 && p[len - 1] == '\r')
		len--;
	*cut = len > ls->max_line;
	if (*cut) {
		len = ls->max_line;
		ls->cut++;
	}
	*line = p;
	*lenp = len;
	return 1;
}

int
linesrc_next(struct linesrc *ls, const char **line, size_t *len, int *cut,
    struct err *err)
{
	for (;;) {
		char *p = ls->buf + ls->start, *nl;
		ssize_t k;

		if (ls->nnl > 0) {
			nl = ls->buf + ls->nl[0];
			ls->nl[0] = ls->nl[1];
			ls->nnl--;
		} else
			nl = memchr(p, '\n', ls->have - ls->start);
		if (nl != NULL) {
			ls->start += (size_t)(nl - p) + 1;
			if (ls->skipping) { /* the tail of a cut line */
				ls->skipping = 0;
				continue;
			}
			return give(ls, p, (size_t)(nl - p), line, len, cut);
		}
		ls->nnl = 0;
		if (ls->skipping) {
			ls->start = ls->have = 0;
		} else if (ls->have - ls->start > ls->max_line) {
			/* longer than the maximum: its head now, the rest
			 * is skipped up to its newline */
			ls->skipping = 1;
			ls->start = ls->have = 0;
			ls->lines++;
			ls->cut++;
			*line = p;
			*len = ls->max_line;
			*cut = 1;
			return 1;
		} else if (ls->start > 0) {
			memmove(ls->buf, p, ls->have - ls->start);
			ls->have -= ls->start;
			ls->start = 0;
		}
		if (ls->eof) {
			if (ls->skipping) { /* a cut last line */
				ls->no_final_newline = 1;
				ls->skipping = 0;
			}
			if (ls->have == ls->start)
				return 0;
			/* the last line had no newline: still a line */
			ls->no_final_newline = 1;
			p = ls->buf + ls->start;
			ls->start = ls->have;
			return give(ls, p, ls->have, line, len, cut);
		}
		k = fill(ls, ls->buf + ls->have, ls->cap - ls->have, err);
		if (k < 0)
			return -1;
		if (k == 0)
			ls->eof = 1;
		ls->have += (size_t)k;
	}
}

ssize_t
linesrc_read(struct linesrc *ls, void *buf, size_t n, struct err *err)
{
	if (ls->start < ls->have) { /* what sniff read first */
		size_t k = ls->have - ls->start;

		if (k > n)
			k = n;
		memcpy(buf, ls->buf + ls->start, k);
		ls->start += k;
		return (ssize_t)k;
	}
	if (ls->eof || n == 0)
		return 0;
	return fill(ls, buf, n, err);
}

int
linesrc_ahead(struct linesrc *ls, const char **p, size_t *n)
{
	const char *end = ls->buf + ls->have;
	const char *e = ls->nnl > 0 ? ls->buf + ls->nl[ls->nnl - 1]
	                            : ls->buf + ls->start - 1;

	if (ls->skipping || ls->start == 0)
		return 0;
	while (ls->nnl < 2 && e + 1 < end &&
	    (e = memchr(e + 1, '\n', (size_t)(end - (e + 1)))) != NULL)
		ls->nl[ls->nnl++] = (size_t)(e - ls->buf);
	if (ls->nnl < 2 || ls->buf + ls->nl[1] + 1 >= end)
		return 0;
	*p = ls->buf + ls->nl[1] + 1;
	*n = (size_t)(end - *p);
	return 1;
}

void
linesrc_close(struct linesrc *ls)
{
	if (ls->z != NULL) {
		inflateEnd(ls->z);
		free(ls->z);
	}
	free(ls->zin);
	free(ls->buf);
	if (ls->fd != -1)
		close(ls->fd);
	memset(ls, 0, sizeof(*ls));
	ls->fd = -1;
}
