/*
 * test_hist.c - the history: its archives, series names, the sample of
 * one step, --since, the graph's arguments, the values of one step from a
 * made-up snapshot, and a write and read back through librrd.
 */
#include <errno.h>
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

#include "base/err.h"
#include "base/finding.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "hist/hist.h"
#include "hist/hist_int.h"
#include "conf_of.h"
#include "rm_tree.h"

static void
test_rra(void **state)
{
	static const char *const want[] = {
	    "RRA:AVERAGE:0.5:1:1080",
	    "RRA:MAX:0.5:1:1080",
	    "RRA:AVERAGE:0.5:30:576",
	    "RRA:MAX:0.5:30:576",
	    "RRA:AVERAGE:0.5:180:672",
	    "RRA:MAX:0.5:180:672",
	    "RRA:AVERAGE:0.5:720:744",
	    "RRA:MAX:0.5:720:744",
	    "RRA:AVERAGE:0.5:8640:730",
	    "RRA:MAX:0.5:8640:730",
	};
	struct hist_rra r[16];
	char text[64];
	size_t n = hist_rra(r, 16);

	(void)state;
	assert_int_equal(HIST_STEP, 10);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(hist_rra_text(&r[i], text, sizeof(text)), 0);
		assert_string_equal(text, want[i]);
	}
	/* 10 s x 1080 = 3 h; 5 min x 576 = 2 days; 1 day x 730 = 2 years */
	assert_int_equal(r[0].steps * HIST_STEP * r[0].rows, 3 * 3600);
	assert_int_equal(r[2].steps * HIST_STEP * r[2].rows, 2 * 86400);
	assert_int_equal(r[8].steps * HIST_STEP, 86400);
	/* a short buffer: the count all the same, nothing past max */
	assert_int_equal(hist_rra(r, 1), n);
	assert_int_equal(hist_rra_text(&r[0], text, 10), -1);
}

static void
test_name(void **state)
{
	char b[HIST_NAME_MAX];
	char long_subject[200];

	(void)state;
	assert_int_equal(hist_name(b, sizeof(b), "fs", "/", "used_bytes"), 0);
	assert_string_equal(b, "fs.root.used_bytes");
	assert_int_equal(hist_name(b, sizeof(b), "fs", "/var/log/", "x"), 0);
	assert_string_equal(b, "fs.var_log.x");
	assert_int_equal(
	    hist_name(b, sizeof(b), "procs", "a b:c.d", "count"), 0);
	assert_string_equal(b, "procs.a_b_c_d.count");
	assert_int_equal(hist_name(b, sizeof(b), "procs", "", "count"), 0);
	assert_string_equal(b, "procs.none.count");
	assert_int_equal(hist_name(b, sizeof(b), "disk", "nvme0n1", NULL), 0);
	assert_string_equal(b, "disk.nvme0n1");
	assert_int_equal(hist_name(b, sizeof(b), "load", NULL, NULL), 0);
	assert_string_equal(b, "load");
	memset(long_subject, 'x', sizeof(long_subject) - 1);
	long_subject[sizeof(long_subject) - 1] = '\0';
	assert_int_equal(hist_name(b, sizeof(b), "fs", long_subject, "x"), -1);
	assert_int_equal(hist_name(b, 8, "fs", "/", "used_bytes"), -1);
	/* every name made is one the commands take */
	assert_int_equal(hist_name(b, sizeof(b), "fs", "/a/../b", "x"), 0);
	assert_true(hist_name_ok(b));
	assert_true(hist_name_ok("load"));
	assert_true(hist_name_ok("procs.no-such_proc.count"));
	assert_false(hist_name_ok(""));
	assert_false(hist_name_ok(".hidden"));
	assert_false(hist_name_ok("../etc/passwd"));
	assert_false(hist_name_ok("a..b"));
	assert_false(hist_name_ok("a/b"));
	assert_false(hist_name_ok("a:b"));
	assert_false(hist_name_ok(long_subject));
}

static void
test_sample(void **state)
{
	struct hist_sample s;
	char name[32];

	(void)state;
	hist_sample_init(&s);
	assert_int_equal(hist_sample_add(&s, "load", 1.5), 0);
	assert_int_equal(hist_sample_add(&s, "load", 2.5), -1);
	assert_int_equal(s.dups, 1);
	assert_true(hist_sample_find(&s, "load")->v == 1.5);
	assert_null(hist_sample_find(&s, "loa"));
	for (unsigned i = 1; i < HIST_SERIES_MAX; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		assert_int_equal(hist_sample_add(&s, name, i), 0);
	}
	assert_int_equal(s.n, HIST_SERIES_MAX);
	assert_int_equal(hist_sample_add(&s, "one.more", 1), -1);
	assert_int_equal(s.dropped, 1);
	hist_sample_reset(&s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.dropped, 0);
	hist_sample_release(&s);
}

static void
test_since(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(hist_since_parse("1h", 100000, &t), 0);
	assert_int_equal(t, 100000 - 3600);
	assert_int_equal(hist_since_parse("-2d", 1000000, &t), 0);
	assert_int_equal(t, 1000000 - 2 * 86400);
	assert_int_equal(hist_since_parse("@1234", 100000, &t), 0);
	assert_int_equal(t, 1234);
	assert_int_equal(hist_since_parse("2026-01-02T03:04:05Z", 0, &t), 0);
	assert_int_equal(t, 1767323045);
	assert_int_equal(
	    hist_since_parse("2026-01-02T03:04:05+01:00", 0, &t), 0);
	assert_int_equal(t, 1767323045 - 3600);
	assert_int_equal(hist_since_parse("@", 100, &t), -1);
	assert_int_equal(hist_since_parse("@12x", 100, &t), -1);
	assert_int_equal(hist_since_parse("yesterday", 100, &t), -1);
	assert_int_equal(hist_since_parse("2d", 100, &t), -1); /* before 1970 */
	assert_int_equal(hist_since_parse("", 100, &t), -1);
}

/* Whether argument a is in g. */
static int
has_arg(const struct hist_graph_args *g, const char *a)
{
	for (int i = 0; i < g->argc; i++)
		if (strcmp(g->argv[i], a) == 0)
			return 1;
	return 0;
}

static void
test_graph_args(void **state)
{
	struct hist_graph_args g;

	(void)state;
	assert_int_equal(
	    hist_graph_args(&g, "/st:x/rrd/load.rrd", "load", 86400, "out.png"),
	    0);
	assert_null(g.argv[g.argc]);
	assert_string_equal(g.argv[1], "out.png");
	assert_true(has_arg(&g, "PNG"));
	assert_true(has_arg(&g, "end-86400s"));
	assert_true(has_arg(&g, "load (last day)"));
	/* the ':' of the path escaped for rrd_graph */
	assert_true(has_arg(&g, "DEF:a=/st\\:x/rrd/load.rrd:v:AVERAGE"));
	assert_true(has_arg(&g, "DEF:m=/st\\:x/rrd/load.rrd:v:MAX"));
	/* MRTG's view: average area, maximum line, legend */
	assert_true(has_arg(&g, "AREA:a#00cc00:Average"));
	assert_true(has_arg(&g, "LINE1:m#0000ff:Maximum\\n"));
	assert_true(has_arg(&g, "GPRINT:amax:Max %.2lf%s"));
	assert_true(has_arg(&g, "GPRINT:aavg:Average %.2lf%s"));
	assert_true(has_arg(&g, "GPRINT:alast:Current %.2lf%s\\n"));
	assert_false(has_arg(&g, "VDEF:atot=a,TOTAL"));
	hist_graph_args_release(&g);

	assert_int_equal(hist_graph_args(&g, "/s/rrd/disk.sda.reads_ps.rrd",
	                     "disk.sda.reads_ps", 7 * 86400, "x.SVG"),
	    0);
	assert_true(has_arg(&g, "SVG"));
	assert_true(has_arg(&g, "disk.sda.reads_ps (last week)"));
	/* a rate: its total over the period too */
	assert_true(has_arg(&g, "VDEF:atot=a,TOTAL"));
	assert_true(has_arg(&g, "GPRINT:atot:Total %.2lf%s\\n"));
	hist_graph_args_release(&g);
	assert_string_equal(hist_period_name(31 * 86400), "month");
	assert_string_equal(hist_period_name(366 * 86400), "year");
}

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sakimori-unit-hist.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	rm_tree(dir);
	return 0;
}

static double
value(const struct hist *h, const char *name)
{
	const struct hist_point *p = hist_sample_find(hist_current(h), name);

	return p != NULL ? p->v : -12345;
}

/* Two made-up snapshots 10 s apart: levels, CPU and disk rates, process
 * counts, problems. */
static void
test_collect(void **state)
{
	struct err err = {0};
	struct hist *h;
	struct conf *c;
	static const char text[] =
	    "history { processes \"httpd\" \"sendmail\" }\n";
	struct snap s;
	struct mount_entry m = {0};
	struct disk_stat d0 = {0}, d1 = {0};
	struct proc procs[3] = {{0}};
	struct hist_extra x = {0};

	(void)state;
	c = conf_of(text);
	h = hist_new(dir, c, 0, &err);
	assert_non_null(h);
	assert_true(hist_snap_want(h) & SNAP_BIT(SNAP_PROC));

	memset(&s, 0, sizeof(s));
	s.have = SNAP_BIT(SNAP_LOAD) | SNAP_BIT(SNAP_CPU) | SNAP_BIT(SNAP_MEM) |
	    SNAP_BIT(SNAP_FS) | SNAP_BIT(SNAP_DISK) | SNAP_BIT(SNAP_PROC);
	s.load.avg1 = 0.75;
	s.cpu1.total.t[CPU_USER] = 1000;
	s.cpu1.total.t[CPU_IDLE] = 1000;
	s.cpu1.total.nfields = CPU_NFIELDS;
	s.memsum.used = 1024;
	s.memsum.available = 2048;
	m.mnt = (char *)"/var";
	m.shown = 1;
	m.have_usage = 1;
	m.u.used_kb = 10;
	m.u.inodes = 100;
	m.u.inodes_used = 7;
	s.mounts.m = &m;
	s.mounts.n = 1;
	snprintf(d0.name, sizeof(d0.name), "sda");
	d0.whole = 1;
	d0.nfields = 11;
	d0.f[DS_RD_IOS] = 100;
	d1 = d0;
	d1.f[DS_RD_IOS] = 200;
	d1.f[DS_IO_TICKS] = 5000;
	s.disk1.d = &d0;
	s.disk1.n = 1;
	snprintf(procs[0].comm, sizeof(procs[0].comm), "httpd");
	snprintf(procs[1].comm, sizeof(procs[1].comm), "httpd");
	snprintf(procs[2].comm, sizeof(procs[2].comm), "httpd");
	procs[2].flags = PROC_F_KTHREAD; /* a kernel thread is not counted */
	s.proc1.p = procs;
	s.proc1.n = 3;
	x.have_problems = 1;
	x.problems[SEV_CRITICAL] = 2;

	hist_collect(h, &s, dir, &x);
	assert_true(value(h, "load") == 0.75);
	assert_true(value(h, "mem.used_bytes") == 1024.0 * 1024);
	assert_true(value(h, "mem.available_bytes") == 2048.0 * 1024);
	assert_true(value(h, "fs.var.used_bytes") == 10.0 * 1024);
	assert_true(value(h, "fs.var.inodes_used") == 7);
	assert_true(value(h, "procs.httpd.count") == 2);
	assert_true(value(h, "procs.sendmail.count") == 0);
	assert_true(value(h, "problems.critical") == 2);
	assert_true(value(h, "problems.warning") == 0);
	/* rates need the sample before */
	assert_null(hist_sample_find(hist_current(h), "cpu.user_pct"));
	assert_null(hist_sample_find(hist_current(h), "disk.sda.reads_ps"));

	/* ten seconds later (as the clock runs: the rates use it) */
	s.cpu1.total.t[CPU_USER] = 1300;
	s.cpu1.total.t[CPU_IDLE] = 1700;
	s.disk1.d = &d1;
	sleep(1);
	hist_collect(h, &s, dir, NULL);
	assert_true(fabs(value(h, "cpu.user_pct") - 30.0) < 1e-9);
	assert_true(fabs(value(h, "cpu.iowait_pct")) < 1e-9);
	/* 100 reads over the second or so between the calls */
	assert_true(value(h, "disk.sda.reads_ps") > 50 &&
	    value(h, "disk.sda.reads_ps") <= 100);
	assert_true(value(h, "disk.sda.util_pct") > 0);
	/* without the agent's problems: no problem series */
	assert_null(hist_sample_find(hist_current(h), "problems.critical"));
	hist_free(h);
	conf_release(c);
}

/* ROOT/proc/net/dev with one interface, eth0, at the counters given. */
static void
put_netdev(unsigned long long rx_bytes, unsigned long long tx_packets)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/proc", dir);
	(void)mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/proc/net", dir);
	(void)mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/proc/net/dev", dir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp,
	    "Inter-|   Receive                                                |"
	    "  Transmit\n"
	    " face |bytes    packets errs drop fifo frame compressed "
	    "multicast|bytes    packets errs drop fifo colls carrier "
	    "compressed\n"
	    "  eth0: %llu 10 0 0 0 0 0 0 5000 %llu 0 0 0 0 0 0\n",
	    rx_bytes, tx_packets);
	assert_int_equal(fclose(fp), 0);
}

/* Each interface's traffic per second, MRTG's graph; a counter that went
 * back (the interface reset) gives no value rather than a huge one. */
static void
test_collect_net(void **state)
{
	struct err err = {0};
	struct hist *h;
	struct snap s;
	double r;

	(void)state;
	assert_non_null(h = hist_new(dir, NULL, 0, &err));
	memset(&s, 0, sizeof(s));
	put_netdev(1000000, 40);
	hist_collect(h, &s, dir, NULL);
	assert_null(hist_sample_find(hist_current(h), "net.eth0.in_bytes_ps"));
	put_netdev(1000000 + 500000, 40 + 50);
	sleep(1);
	hist_collect(h, &s, dir, NULL);
	r = value(h, "net.eth0.in_bytes_ps");
	/* 500,000 bytes over the second or so between the calls */
	assert_true(r > 250000 && r <= 500000);
	r = value(h, "net.eth0.out_packets_ps");
	assert_true(r > 25 && r <= 50);
	assert_true(value(h, "net.eth0.out_bytes_ps") == 0);
	put_netdev(10, 1);
	hist_collect(h, &s, dir, NULL);
	assert_null(hist_sample_find(hist_current(h), "net.eth0.in_bytes_ps"));
	hist_free(h);
}

/* Stored by a forked writer: the same values come back, and what fails
 * there (a directory where the series' file goes) comes back as the
 * flush's error, naming the file. */
static void
test_write_forked(void **state)
{
	struct err err = {0};
	struct hist *h = hist_new(dir, NULL, HIST_FORK, &err);
	struct hist_series sr;
	char bad[4096];
	size_t written = 99;
	time_t t0 = 1700000000;
	int seen = 0;

	(void)state;
	assert_non_null(h);
	/* nothing kept: nothing forked, nothing stored */
	assert_int_equal(hist_flush(h, &written, &err), 0);
	assert_int_equal(written, 0);
	snprintf(bad, sizeof(bad), "%s/rrd/t.bad.rrd", dir);
	assert_int_equal(mkdir(bad, 0700), 0);
	for (int i = 1; i <= 2; i++) {
		hist_sample_reset(&h->cur);
		assert_int_equal(
		    hist_sample_add(&h->cur, "t.value", i * 2.5), 0);
		assert_int_equal(hist_sample_add(&h->cur, "t.bad", 1), 0);
		assert_int_equal(
		    hist_write(h, t0 + (time_t)(i * HIST_STEP), &written, &err),
		    0);
	}
	assert_int_equal(hist_flush(h, &written, &err), -1);
	assert_int_equal(written, 1);
	assert_non_null(strstr(err.msg, "t.bad.rrd"));
	assert_int_equal(hist_fetch(dir, "t.value", "AVERAGE", t0,
	                     t0 + 2 * HIST_STEP, &sr, &err),
	    0);
	for (size_t i = 0; i < sr.n; i++) {
		time_t t = sr.start + (time_t)((i + 1) * sr.step);

		if (t == t0 + 2 * HIST_STEP) {
			assert_true(sr.v[i] == 5.0);
			seen = 1;
		}
	}
	assert_true(seen);
	hist_series_release(&sr);
	/* the batch is done with in the caller too: a second flush is empty */
	assert_int_equal(hist_flush(h, &written, &err), 0);
	assert_int_equal(written, 0);
	hist_free(h);
}

/* Values written at known times come back from the 10-second archive. */
static void
test_write_read(void **state)
{
	struct err err = {0};
	struct hist *h = hist_new(dir, NULL, 0, &err);
	struct hist_series sr;
	char **names;
	size_t written;
	time_t t0 = 1700000000; /* on a step's boundary */
	long n;

	(void)state;
	assert_non_null(h);
	assert_int_equal(h->batch, HIST_BATCH_DEFAULT);
	for (int i = 1; i <= 3; i++) {
		hist_sample_reset(&h->cur);
		assert_int_equal(
		    hist_sample_add(&h->cur, "t.value", i * 1.5), 0);
		assert_int_equal(
		    hist_sample_add(&h->cur, "t.gap", i == 2 ? NAN : (double)i),
		    0);
		assert_int_equal(
		    hist_write(h, t0 + (time_t)(i * HIST_STEP), &written, &err),
		    0);
		/* kept for the batch: nothing stored yet */
		assert_int_equal(written, 0);
	}
	assert_int_equal(hist_fetch(dir, "t.value", "AVERAGE", t0,
	                     t0 + 3 * HIST_STEP, &sr, &err),
	    -1);
	assert_int_equal(err.code, ENOENT);
	/* the same time again is not kept twice */
	assert_int_equal(hist_write(h, t0 + 3 * HIST_STEP, &written, &err), 0);
	assert_int_equal(hist_flush(h, &written, &err), 0);
	assert_int_equal(written, 2);
	assert_int_equal(hist_fetch(dir, "t.value", "AVERAGE", t0,
	                     t0 + 3 * HIST_STEP, &sr, &err),
	    0);
	assert_int_equal(sr.step, HIST_STEP);
	assert_true(sr.n >= 3);
	for (size_t i = 0; i < sr.n; i++) {
		time_t t = sr.start + (time_t)((i + 1) * sr.step);
		int k = (int)((t - t0) / HIST_STEP);

		if (k >= 1 && k <= 3)
			assert_true(sr.v[i] == k * 1.5);
	}
	hist_series_release(&sr);
	assert_int_equal(hist_fetch(dir, "t.gap", "AVERAGE", t0,
	                     t0 + 3 * HIST_STEP, &sr, &err),
	    0);
	for (size_t i = 0; i < sr.n; i++) {
		time_t t = sr.start + (time_t)((i + 1) * sr.step);

		if (t == t0 + 2 * HIST_STEP)
			assert_true(isnan(sr.v[i])); /* unknown stays unknown */
		if (t == t0 + 3 * HIST_STEP)
			assert_true(sr.v[i] == 3);
	}
	hist_series_release(&sr);
	n = hist_list(dir, &names, &err);
	assert_true(n >= 2);
	for (long i = 1; i < n; i++)
		assert_true(strcmp(names[i - 1], names[i]) < 0);
	hist_names_free(names, n);
	assert_int_equal(
	    hist_fetch(dir, "no.such", "AVERAGE", t0, t0 + 30, &sr, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_int_equal(
	    hist_fetch(dir, "../x", "AVERAGE", t0, t0 + 30, &sr, &err), -1);
	assert_int_equal(err.code, EINVAL);
	hist_free(h);
}

/* history { batch }: every so many steps the batch is stored. */
static void
test_batch(void **state)
{
	static const char text[] = "history { batch 20s }\n";
	struct err err = {0};
	struct conf *c;
	struct hist *h;
	size_t written;
	time_t t0 = 1700000000;

	(void)state;
	c = conf_of(text);
	h = hist_new(dir, c, 0, &err);
	assert_non_null(h);
	assert_int_equal(h->batch, 2);
	assert_true(hist_enabled(c));
	assert_int_equal(hist_sample_add(&h->cur, "b", 1), 0);
	assert_int_equal(hist_write(h, t0 + 10, &written, &err), 0);
	assert_int_equal(written, 0);
	assert_int_equal(hist_write(h, t0 + 20, &written, &err), 0);
	assert_int_equal(written, 1);
	assert_int_equal(hist_write(h, t0 + 30, &written, &err), 0);
	assert_int_equal(written, 0);
	hist_free(h);
	conf_release(c);
}

static void
test_enabled(void **state)
{
	static const char off[] = "history { enabled no }\n";
	static const char on[] = "history { enabled yes; batch 30s }\n";
	struct conf c, *cp;

	(void)state;
	conf_init(&c);
	assert_true(hist_enabled(&c)); /* built-in: on */
	conf_release(&c);
	cp = conf_of(off);
	assert_false(hist_enabled(cp));
	conf_release(cp);
	cp = conf_of(on);
	assert_true(hist_enabled(cp));
	conf_release(cp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rra),
	    cmocka_unit_test(test_name),
	    cmocka_unit_test(test_sample),
	    cmocka_unit_test(test_since),
	    cmocka_unit_test(test_graph_args),
	    cmocka_unit_test(test_enabled),
	    cmocka_unit_test_setup_teardown(test_collect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_collect_net, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_forked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
