/*
 * test_linesrc.c - the line source (base/linesrc.h): plain and gzip files
 * (several members, trailing bytes, truncated, corrupt), CRLF, cut long
 * lines, the look ahead, a pipe and a FIFO whose writer comes later, and
 * whole-file reads of them (file_read_any).  Fixtures: tests/fixtures/
 * linesrc (see its README).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/mem.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/linesrc.h"
#include "base/strbuf.h"

#define FIX FIXTURES "/linesrc/"

/* Every line of the source joined with "\n" after each, and the count. */
struct got {
	struct strbuf text;
	uint64_t n, cut;
	int rc;
	struct err err;
};

static void
drain(struct linesrc *ls, struct got *g)
{
	const char *line;
	size_t n;
	int cut;

	memset(g, 0, sizeof(*g));
	strbuf_init(&g->text, 0);
	while ((g->rc = linesrc_next(ls, &line, &n, &cut, &g->err)) == 1) {
		strbuf_add(&g->text, line, n);
		strbuf_addc(&g->text, '\n');
		g->n++;
		g->cut += (uint64_t)cut;
	}
}

static void
read_path(const char *path, const struct linesrc_opts *o, struct got *g)
{
	struct linesrc ls;
	struct err err = {0};

	assert_int_equal(linesrc_open(&ls, path, o, &err), 0);
	drain(&ls, g);
	linesrc_close(&ls);
}

/* The fixture's text as it should come out: CRLF ends made LF. */
static void
expected(struct strbuf *want)
{
	struct err err = {0};
	char *p, *q;

	strbuf_init(want, 0);
	assert_int_equal(
	    file_read(FIX "lines.txt", 1 << 20, want, NULL, &err), 0);
	for (p = q = want->p; p < want->p + want->len; p++)
		if (!(p[0] == '\r' && p + 1 < want->p + want->len &&
		        p[1] == '\n'))
			*q++ = *p;
	want->len = (size_t)(q - want->p);
	want->p[want->len] = '\0';
}

static void
plain_and_gzip_give_the_same_lines(void **state)
{
	static const char *const files[] = {
	    "lines.txt", "lines.txt.gz", "members.gz", "trailing.gz"};
	struct strbuf want;
	struct got g;
	char path[512];

	(void)state;
	expected(&want);
	for (size_t i = 0; i < countof(files); i++) {
		snprintf(path, sizeof(path), FIX "%s", files[i]);
		read_path(path, NULL, &g);
		assert_int_equal(g.rc, 0);
		assert_int_equal(g.n, 400);
		assert_int_equal(g.cut, 0);
		assert_int_equal(g.text.len, want.len);
		assert_memory_equal(g.text.p, want.p, want.len);
		strbuf_release(&g.text);
	}
	strbuf_release(&want);
}

static void
crlf_kept_on_request(void **state)
{
	struct linesrc_opts o = {0, LINESRC_CR_KEEP};
	struct got g;

	(void)state;
	read_path(FIX "lines.txt.gz", &o, &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 400);
	assert_non_null(strstr(g.text.p, "\r\nline 001 "));
	strbuf_release(&g.text);
}

static void
truncated_and_corrupt_gzip_are_errors(void **state)
{
	static const char *const files[] = {
	    "truncated.gz", "notrailer.gz", "corrupt.gz"};
	struct linesrc ls;
	struct err err = {0};
	struct got g;
	const char *line;
	size_t n;
	int cut;
	char path[512], after[64];

	(void)state;
	for (size_t i = 0; i < countof(files); i++) {
		snprintf(path, sizeof(path), FIX "%s", files[i]);
		assert_int_equal(linesrc_open(&ls, path, NULL, &err), 0);
		drain(&ls, &g);
		assert_int_equal(g.rc, -1);
		assert_int_equal(g.err.code, EBADMSG);
		assert_non_null(strstr(g.err.msg, path));
		snprintf(after, sizeof(after), "(after %llu lines)",
		    (unsigned long long)g.n);
		assert_non_null(strstr(g.err.msg, after));
		if (i < 2)
			assert_non_null(strstr(
			    g.err.msg, "unexpected end of compressed data"));
		/* the lines before the end were given: half of them, or
		 * all but the trailer */
		assert_true(g.n >= (i == 0 ? 150u : 399u));
		/* and the error stays */
		assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), -1);
		assert_int_equal(err.code, EBADMSG);
		linesrc_close(&ls);
		strbuf_release(&g.text);
	}
	/* the whole-file reader says the same */
	struct strbuf sb = STRBUF_INIT(0);

	assert_int_equal(
	    file_read_any(FIX "truncated.gz", 1 << 20, &sb, NULL, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	assert_non_null(strstr(err.msg, "unexpected end of compressed data"));
	strbuf_release(&sb);
}

/* A temporary file with the given bytes; its path in path. */
static void
temp_file(char *path, size_t sz, const char *data, size_t n)
{
	int fd;

	snprintf(path, sz, "/tmp/test_linesrc.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static void
long_lines_are_cut_and_counted(void **state)
{
	struct linesrc_opts o = {8, LINESRC_CR_STRIP};
	size_t big = 3 << 20; /* longer than the buffer */
	char *data = malloc(big + 64), path[64];
	struct linesrc ls;
	struct err err = {0};
	const char *line;
	size_t n, len = 0;
	int cut;

	(void)state;
	assert_non_null(data);
	len += (size_t)sprintf(data, "0123456789abc\nshort\n12345678\r\n");
	memset(data + len, 'x', big);
	len += big;
	len += (size_t)sprintf(data + len, "\nafter\nno newline");
	temp_file(path, sizeof(path), data, len);
	assert_int_equal(linesrc_open(&ls, path, &o, &err), 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 8 && cut == 1 && memcmp(line, "01234567", 8) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 5 && cut == 0 && memcmp(line, "short", 5) == 0);
	/* eight bytes and a CR: not cut */
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 8 && cut == 0 && memcmp(line, "12345678", 8) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 8 && cut == 1 && memcmp(line, "xxxxxxxx", 8) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 5 && cut == 0 && memcmp(line, "after", 5) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 8 && cut == 1 && memcmp(line, "no newli", 8) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 0);
	assert_int_equal(ls.lines, 6);
	assert_int_equal(ls.cut, 3);
	assert_int_equal(ls.no_final_newline, 1);
	linesrc_close(&ls);
	unlink(path);
	free(data);
}

static void
look_ahead_sees_the_third_line(void **state)
{
	const char text[] = "l1\nl2\nl3\nl4 head\nl5\n";
	struct linesrc ls;
	struct err err = {0};
	const char *line, *p;
	size_t n, m;
	int cut;
	char path[64];

	(void)state;
	temp_file(path, sizeof(path), text, sizeof(text) - 1);
	assert_int_equal(linesrc_open(&ls, path, NULL, &err), 0);
	assert_int_equal(linesrc_ahead(&ls, &p, &m), 0); /* no line yet */
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_int_equal(linesrc_ahead(&ls, &p, &m), 1);
	assert_true(m >= 7 && memcmp(p, "l4 head", 7) == 0);
	/* the newlines found ahead serve the next lines */
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 2 && memcmp(line, "l2", 2) == 0);
	assert_int_equal(linesrc_ahead(&ls, &p, &m), 1);
	assert_true(m >= 2 && memcmp(p, "l5", 2) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 2 && memcmp(line, "l3", 2) == 0);
	assert_int_equal(linesrc_ahead(&ls, &p, &m), 0); /* none after l5 */
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_true(n == 7 && memcmp(line, "l4 head", 7) == 0);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 1);
	assert_int_equal(linesrc_next(&ls, &line, &n, &cut, &err), 0);
	linesrc_close(&ls);
	unlink(path);
}

static void
what_cannot_be_read(void **state)
{
	struct linesrc ls;
	struct err err = {0};
	struct got g;

	(void)state;
	assert_int_equal(linesrc_open(&ls, FIX, NULL, &err), -1);
	assert_int_equal(err.code, EISDIR);
	assert_non_null(strstr(err.msg, "Is a directory"));
	assert_int_equal(linesrc_open(&ls, FIX "no-such-file", NULL, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_non_null(strstr(err.msg, "cannot open '"));
	read_path("/dev/null", NULL, &g); /* empty, not an error */
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 0);
	strbuf_release(&g.text);
}

/* A writer that opens its end late and writes the bytes in pieces. */
struct writer {
	const char *fifo; /* opened for writing after a pause, or */
	int fd;           /* this end of a pipe */
	const char *data;
	size_t len;
};

static void *
writer_run(void *arg)
{
	struct writer *w = arg;
	struct timespec pause = {0, 200 * 1000 * 1000};
	int fd = w->fd;

	nanosleep(&pause, NULL);
	if (w->fifo != NULL)
		fd = open(w->fifo, O_WRONLY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	/* one byte first: the gzip magic arrives in two reads */
	for (size_t off = 0, k = 1; off < w->len; off += k, k = 4096) {
		if (k > w->len - off)
			k = w->len - off;
		if (write(fd, w->data + off, k) != (ssize_t)k)
			break;
		if (off == 0)
			nanosleep(&pause, NULL);
	}
	close(fd);
	return NULL;
}

static void
pipe_and_fifo_are_streams(void **state)
{
	struct strbuf gz = STRBUF_INIT(0), want, sb = STRBUF_INIT(0);
	struct writer w = {0};
	struct linesrc ls;
	struct err err = {0};
	struct got g;
	pthread_t t;
	char dir[] = "/tmp/test_linesrc.XXXXXX", fifo[64];
	int p[2];

	(void)state;
	expected(&want);
	assert_int_equal(
	    file_read(FIX "lines.txt.gz", 1 << 20, &gz, NULL, &err), 0);
	w.data = gz.p;
	w.len = gz.len;

	/* a pipe: gzip told by the stream's first bytes */
	assert_int_equal(pipe(p), 0);
	w.fd = p[1];
	assert_int_equal(pthread_create(&t, NULL, writer_run, &w), 0);
	assert_int_equal(linesrc_open_fd(&ls, p[0], "pipe", NULL, &err), 0);
	drain(&ls, &g);
	linesrc_close(&ls);
	pthread_join(t, NULL);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 400);
	assert_memory_equal(g.text.p, want.p, want.len);
	strbuf_release(&g.text);

	/* a FIFO opened before its writer: waited for, then read */
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	w.fifo = fifo;
	assert_int_equal(pthread_create(&t, NULL, writer_run, &w), 0);
	read_path(fifo, NULL, &g);
	pthread_join(t, NULL);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.n, 400);
	assert_memory_equal(g.text.p, want.p, want.len);
	strbuf_release(&g.text);

	/* and the whole-file reader (the configuration's) likewise */
	w.data = want.p;
	w.len = want.len;
	assert_int_equal(pthread_create(&t, NULL, writer_run, &w), 0);
	assert_int_equal(file_read_any(fifo, 1 << 20, &sb, NULL, &err), 0);
	pthread_join(t, NULL);
	assert_int_equal(sb.len, want.len);
	assert_memory_equal(sb.p, want.p, want.len);

	unlink(fifo);
	rmdir(dir);
	strbuf_release(&sb);
	strbuf_release(&gz);
	strbuf_release(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_and_gzip_give_the_same_lines),
	    cmocka_unit_test(crlf_kept_on_request),
	    cmocka_unit_test(truncated_and_corrupt_gzip_are_errors),
	    cmocka_unit_test(long_lines_are_cut_and_counted),
	    cmocka_unit_test(look_ahead_sees_the_third_line),
	    cmocka_unit_test(what_cannot_be_read),
	    cmocka_unit_test(pipe_and_fifo_are_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
