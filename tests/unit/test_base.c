/*
 * test_base.c - cursors, bounded buffers, escaping, durations, hash map,
 * findings and their outputs, the state directory's checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/finding.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/output.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

static void
cursor_numbers(void **state)
{
	const char s[] =
	    "18446744073709551615 18446744073709551616 -42 ff 0.52x";
	const char *cur = s, *end = s + strlen(s);
	uint64_t u;
	int64_t i;
	double d;

	(void)state;
	assert_int_equal(cur_u64(&cur, end, &u), 0);
	assert_true(u == UINT64_MAX);
	cur_spaces(&cur, end);
	assert_int_equal(cur_u64(&cur, end, &u), -1); /* overflow */
	cur += 20;
	cur_spaces(&cur, end);
	assert_int_equal(cur_i64(&cur, end, &i), 0);
	assert_int_equal(i, -42);
	cur_spaces(&cur, end);
	assert_int_equal(cur_hex(&cur, end, &u), 0);
	assert_int_equal(u, 255);
	cur_spaces(&cur, end);
	assert_int_equal(cur_dec(&cur, end, &d), 0);
	assert_true(d > 0.519 && d < 0.521);
	assert_int_equal(*cur, 'x');
	/* The cursor never reads past end, even without a NUL. */
	const char cut[3] = {'1', '2', '3'};
	cur = cut;
	assert_int_equal(cur_u64(&cur, cut + 2, &u), 0);
	assert_int_equal(u, 12);
}

static void
cursor_lines(void **state)
{
	const char s[] = "one\r\ntwo\n\nlast";
	const char *cur = s, *end = s + strlen(s), *ls, *le;

	(void)state;
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_true(mem_eq(ls, (size_t)(le - ls), "one"));
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_true(mem_eq(ls, (size_t)(le - ls), "two"));
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_int_equal(le - ls, 0);
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_true(mem_eq(ls, (size_t)(le - ls), "last"));
	assert_int_equal(cur_line(&cur, end, &ls, &le), -1);
}

static void
strbuf_respects_max(void **state)
{
	struct strbuf sb = STRBUF_INIT(8);

	(void)state;
	assert_int_equal(strbuf_adds(&sb, "12345678"), 0);
	assert_int_equal(strbuf_addc(&sb, '9'), -1);
	assert_int_equal(sb.len, 8);
	assert_string_equal(strbuf_str(&sb), "12345678");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_printf(&sb, "%d-%s", 42, "x"), 0);
	assert_string_equal(sb.p, "42-x");
	strbuf_release(&sb);
}

static void
escape_untrusted_text(void **state)
{
	/* An ANSI sequence, invalid UTF-8, a backslash, valid UTF-8, a C1 control. */
	const char in[] = "a\033[2Jb\xff\\c\xe5\xae\x88\xc2\x9b";
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(esc_text(&sb, in, strlen(in)), 0);
	assert_string_equal(sb.p, "a\\x1b[2Jb\\xff\\\\c\xe5\xae\x88\\xc2\\x9b");
	assert_false(text_is_clean(in, strlen(in)));
	assert_true(text_is_clean("plain \xe5\xae\x88", 9));
	strbuf_reset(&sb);
	esc_html(&sb, "<a href='x'>&", 13);
	assert_string_equal(sb.p, "&lt;a href=&#39;x&#39;&gt;&amp;");
	strbuf_release(&sb);

	char small[8];
	esc_text_buf(small, sizeof(small), "\x01\x02\x03", 3);
	/* Never cut inside an escape's bytes beyond the buffer. */
	assert_true(strlen(small) < sizeof(small));
}

static void
json_keeps_invalid_bytes_visible(void **state)
{
	json_t *j = jstrn("ok\xff\x00z", 5);

	(void)state;
	assert_non_null(j);
	assert_string_equal(json_string_value(j), "ok\\xff\\x00z");
	json_decref(j);
}

static void
durations(void **state)
{
	uint64_t s;
	char buf[32];

	(void)state;
	assert_int_equal(dur_parse("90", 2, &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(dur_parse("1h30m", 5, &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(dur_parse("2d", 2, &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(dur_parse("1h30", 4, &s), -1);
	assert_int_equal(dur_parse("5x", 2, &s), -1);
	assert_int_equal(dur_parse("", 0, &s), -1);
	/* overflow is an error, never a wrapped or negative time */
	assert_int_equal(dur_parse("9007199254740992s", 17, &s), 0);
	assert_true(s == DUR_MAX);
	assert_int_equal(dur_parse("9007199254740993s", 17, &s), -1);
	assert_int_equal(dur_parse("9223372036854775807s", 20, &s), -1);
	assert_int_equal(dur_parse("18446744073709551615s", 21, &s), -1);
	assert_int_equal(dur_parse("18446744073709551616s", 21, &s), -1);
	assert_int_equal(dur_parse("106751991167301d", 16, &s), -1);
	assert_int_equal(dur_parse("1w9007199254740000s", 19, &s), -1);
	dur_format(buf, sizeof(buf), 93784);
	assert_string_equal(buf, "1d2h");
	dur_format(buf, sizeof(buf), 42);
	assert_string_equal(buf, "42s");
	/* in words, for messages: never "0.0 days" for a few hours */
	dur_words(buf, sizeof(buf), 3.5 * 86400);
	assert_string_equal(buf, "3.5 days");
	dur_words(buf, sizeof(buf), 0.2 * 86400);
	assert_string_equal(buf, "4.8 hours");
	dur_words(buf, sizeof(buf), 2400);
	assert_string_equal(buf, "40 minutes");
	dur_words(buf, sizeof(buf), 12.4);
	assert_string_equal(buf, "12 seconds");
	dur_words(buf, sizeof(buf), 61);
	assert_string_equal(buf, "1 minute");
}

static int
count_cb(struct hmap_entry *e, void *arg)
{
	*(uint64_t *)arg += e->val.u;
	return 0;
}

static void
hash_map(void **state)
{
	struct hmap m;
	char key[32];
	uint64_t sum = 0;
	int created;

	(void)state;
	hmap_init(&m);
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof(key), "k%d", i % 1000);
		struct hmap_entry *e = hmap_put(&m, key, (size_t)n, &created);

		assert_non_null(e);
		assert_int_equal(created, i < 1000);
		e->val.u++;
	}
	assert_int_equal(hmap_count(&m), 1000);
	assert_int_equal(hmap_get(&m, "k7", 2)->val.u, 10);
	assert_null(hmap_get(&m, "nope", 4));
	hmap_each(&m, count_cb, &sum);
	assert_int_equal(sum, 10000);
	hmap_release(&m);
}

static void
report_worst_and_outputs(void **state)
{
	struct report r;
	struct finding *f;
	struct out o;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	report_init(&r);
	assert_int_equal(report_worst(&r), SEV_OK);
	report_add(&r, SEV_UNKNOWN, "x", "a", "cannot read");
	assert_int_equal(report_worst(&r), SEV_UNKNOWN);
	f = report_add(
	    &r, SEV_WARNING, "load", "host", "load %.2f per CPU", 1.5);
	finding_ev(f, "load1", "%.2f", 3.0);
	assert_int_equal(report_worst(&r), SEV_WARNING);
	assert_string_equal(finding_ev_get(f, "load1"), "3.00");
	report_add(&r, SEV_CRITICAL, "fs-blocks", "/", "96%% used | evil");
	assert_int_equal(report_worst(&r), SEV_CRITICAL);
	report_perf(&r, "load1", 3.0, "", 2.0, 4.0, 0, NAN);

	fp = open_memstream(&buf, &len);
	out_init(&o, OUT_NAGIOS, fp);
	out_report(&o, &r, "SAKIMORI");
	fclose(fp);
	/* Critical first; '|' in a message must not start perfdata. */
	assert_non_null(strstr(
	    buf, "SAKIMORI CRITICAL - CRITICAL: 96% used / evil; WARNING"));
	assert_non_null(strstr(buf, "| load1=3;2;4;0;\n"));
	free(buf);

	buf = NULL;
	fp = open_memstream(&buf, &len);
	out_init(&o, OUT_JSON, fp);
	out_report(&o, &r, "SAKIMORI");
	fclose(fp);
	assert_non_null(
	    strstr(buf, "\"severity\":\"WARNING\",\"check\":\"load\""));
	assert_non_null(strstr(buf, "\"evidence\":{\"load1\":\"3.00\"}"));
	/* One object per line. */
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	free(buf);
	report_release(&r);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* rm -r, without following links. */
static void
rm_tree(const char *dir)
{
	assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void
state_dir_checks(void **state)
{
	char top[] = "/tmp/test_statedir.XXXXXX", p[PATH_MAX], q[PATH_MAX];
	char got[PATH_MAX], want[PATH_MAX];
	struct err err = {0};
	struct stat st;
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip(); /* the ownership checks are root's */
	assert_non_null(mkdtemp(top));
	assert_non_null(realpath(top, want));
	/* Missing: made 0700; its parent (a sticky, root-owned /tmp) is
	 * fine on the path. */
	snprintf(p, sizeof(p), "%s/a/state", top);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* A symbolic link on the path: resolved to where it leads. */
	snprintf(q, sizeof(q), "%s/link", top);
	snprintf(p, sizeof(p), "%s/a", top);
	assert_int_equal(symlink(p, q), 0);
	snprintf(p, sizeof(p), "%s/link/state", top);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), 0);
	strcat(want, "/a/state");
	assert_string_equal(got, want);
	/* Writable by others, by the group, owned by another user: refused,
	 * the state directory itself or a directory above it. */
	assert_int_equal(chmod(got, 0777), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_int_equal(err.code, EPERM);
	assert_non_null(strstr(err.msg, "writable by others"));
	assert_int_equal(chmod(got, 01777), 0); /* sticky: still refused */
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_int_equal(chmod(got, 0770), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_non_null(strstr(err.msg, "writable by its group"));
	assert_int_equal(chmod(got, 0700), 0);
	assert_int_equal(chown(got, 65534, 65534), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_non_null(strstr(err.msg, "owned by uid 65534"));
	assert_int_equal(statedir_dir(got, NULL, 0, &err), -1);
	assert_int_equal(err.code, EPERM);
	assert_int_equal(chown(got, 0, 0), 0);
	snprintf(q, sizeof(q), "%s/a", top);
	assert_int_equal(chmod(q, 0757), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_non_null(strstr(err.msg, "/a' is writable by others"));
	assert_int_equal(chmod(q, 0700), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), 0);

	/* Inside: a symbolic link is never followed, a subdirectory is made
	 * 0700 and checked as the directory is. */
	snprintf(q, sizeof(q), "%s/x.db", got);
	assert_int_equal(symlink("/etc/passwd", q), 0);
	assert_int_equal(statedir_open(got, "x.db", O_RDONLY, 0, &err), -1);
	assert_int_equal(err.code, ELOOP);
	assert_int_equal(
	    statedir_open(got, "x.db", O_WRONLY | O_CREAT, 0600, &err), -1);
	snprintf(q, sizeof(q), "%s/logs", got);
	assert_int_equal(symlink(top, q), 0);
	assert_int_equal(statedir_dir(got, "logs", 1, &err), -1);
	assert_int_equal(
	    statedir_open(got, "logs/b.bm", O_WRONLY | O_CREAT, 0600, &err),
	    -1);
	snprintf(q, sizeof(q), "%s/b.bm", top);
	assert_int_equal(access(q, F_OK), -1);
	fd = statedir_open(got, "fim/sub/f", O_WRONLY | O_CREAT, 0600, &err);
	assert_true(fd >= 0);
	close(fd);
	snprintf(q, sizeof(q), "%s/fim/sub", got);
	assert_int_equal(stat(q, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(chmod(q, 0777), 0);
	assert_int_equal(
	    statedir_open(got, "fim/sub/f", O_RDONLY, 0, &err), -1);
	assert_int_equal(err.code, EPERM);
	rm_tree(top);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cursor_numbers),
	    cmocka_unit_test(cursor_lines),
	    cmocka_unit_test(strbuf_respects_max),
	    cmocka_unit_test(escape_untrusted_text),
	    cmocka_unit_test(json_keeps_invalid_bytes_visible),
	    cmocka_unit_test(durations),
	    cmocka_unit_test(hash_map),
	    cmocka_unit_test(report_worst_and_outputs),
	    cmocka_unit_test(state_dir_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
