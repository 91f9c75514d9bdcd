/*
 * test_check.c - the check registry: it covers the schema's checks, its
 * entries are well formed, a disabled check is not called, a failing
 * one (or one whose library cannot be loaded) becomes UNKNOWN while the
 * others run, the class mask selects, and actions go through the act
 * interface (a double of act_ops here: what the interface is for).
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "conf_of.h"

#include "act/act.h"
#include "act/kill.h"
#include "act/mail.h"
#include "base/bounded.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/mem.h"
#include "check/check.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "conf/conf_int.h"
#include "fim/fim.h"
#include "net/block.h"
#include "net/flood_act.h"
#include "rules/net_flood.h"

static const struct check_entry *
entry(const char *name)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

/* 1 when the registry produces check id name (its name or one of ids). */
static int
in_registry(const char *name)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) == 0)
			return 1;
		for (const char *const *id = t[i].ids; id && *id; id++)
			if (strcmp(*id, name) == 0)
				return 1;
	}
	return 0;
}

static int
elsewhere(const char *name)
{
	for (const char *const *e = check_elsewhere; *e != NULL; e++)
		if (strcmp(*e, name) == 0)
			return 1;
	return 0;
}

static void
registry_covers_the_schema(void **state)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	(void)state;
	/* every check of the schema is run here or by its own command */
	for (size_t i = 0; i < schema_nchecks; i++) {
		const char *name = schema_checks[i].name;

		if (in_registry(name) == elsewhere(name))
			fail_msg("schema check '%s' is %s", name,
			    elsewhere(name) ? "in the registry and elsewhere"
			                    : "neither in the registry nor "
			                      "documented as run elsewhere");
	}
	/* and every entry and id is a schema check */
	for (size_t i = 0; i < n; i++) {
		if (schema_check_find(t[i].name) == NULL)
			fail_msg("entry '%s' is not in the schema", t[i].name);
		for (const char *const *id = t[i].ids; id && *id; id++)
			if (schema_check_find(*id) == NULL)
				fail_msg("id '%s' is not in the schema", *id);
	}
	for (const char *const *e = check_elsewhere; *e != NULL; e++)
		assert_non_null(schema_check_find(*e));
}

static void
entries_unique_with_a_class(void **state)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	(void)state;
	assert_true(n >= 17);
	for (size_t i = 0; i < n; i++) {
		unsigned c = t[i].cls;

		assert_non_null(t[i].run);
		/* exactly one schedule class */
		assert_true(c != 0 && (c & ~(unsigned)CHECK_CLASSES) == 0);
		assert_int_equal(c & (c - 1), 0);
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(t[i].name, t[j].name) == 0)
				fail_msg("'%s' twice", t[i].name);
	}
	/* the classes the agent schedules by */
	assert_int_equal(entry("load")->cls, CHECK_FAST);
	assert_int_equal(entry("fs-blocks")->cls, CHECK_MEDIUM);
	assert_int_equal(entry("inventory")->cls, CHECK_SLOW);
	assert_int_equal(entry("disk-errors")->cls, CHECK_DAILY);
	assert_int_equal(entry("fs-errors")->cls, CHECK_DAILY);
	assert_true(entry("disk-errors")->libs & (1u << DYNLIB_HS));
}

/* ---- memory between runs ---- */

static int memo_frees;

static int
counts_runs(const struct check_ctx *x, struct report *r, struct err *err)
{
	int *n;

	(void)err;
	if (x->memo == NULL)
		return 0; /* one-shot: no history, nothing to say */
	if (*x->memo == NULL && (*x->memo = calloc(1, sizeof(int))) == NULL)
		return -1;
	n = *x->memo;
	++*n;
	report_add(r, SEV_WARNING, "load", "runs", "run %d", *n);
	return 0;
}

static void
memo_free_counted(void *m)
{
	memo_frees++;
	free(m);
}

static const struct check_entry memo_table[] = {
    {"load", NULL, CHECK_FAST, 0, 0, counts_runs, memo_free_counted, 0},
};

static void
memo_is_kept_between_runs(void **state)
{
	struct check_ctx x = {0};
	void *memos[1] = {NULL};
	struct report r;

	(void)state;
	x.conf = conf_of("");
	report_init(&r);
	check_run_table(&x, memo_table, 1, CHECK_CLASSES, &r);
	assert_int_equal(r.nf, 0); /* no memo in a one-shot run */
	x.memos = memos;
	for (int i = 0; i < 3; i++)
		check_run_entry(&x, memo_table, 0, &r);
	assert_int_equal(r.nf, 3);
	assert_string_equal(r.f[2].message, "run 3");
	check_memos_release(memo_table, 1, memos);
	assert_int_equal(memo_frees, 1);
	assert_null(memos[0]);
	report_release(&r);
	conf_release((struct conf *)x.conf);
}

/* ---- a table of test checks ---- */

static int calls[4];

static int
count_0(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)x;
	(void)r;
	(void)err;
	calls[0]++;
	return 0;
}

static int
count_1(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)x;
	(void)r;
	(void)err;
	calls[1]++;
	return 0;
}

static int
fails(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)x;
	(void)r;
	calls[2]++;
	return err_set(err, 0, "cannot read '/x': No such file or directory");
}

static int
count_3(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)x;
	(void)r;
	(void)err;
	calls[3]++;
	return 0;
}

static const struct check_entry test_table[] = {
    {"load", NULL, CHECK_FAST, CHECK_SNAPSHOT, 0, count_0, NULL, 0},
    {"fs-blocks", NULL, CHECK_MEDIUM, CHECK_SNAPSHOT, 0, count_1, NULL, 0},
    {"inventory", NULL, CHECK_SLOW, 0, 0, fails, NULL, 0},
    {"disk-errors", NULL, CHECK_DAILY, 0, 0, count_3, NULL, 0},
};

static void
run_table(const char *conf, unsigned mask, struct report *r)
{
	struct check_ctx x = {0};
	struct snap s;

	memset(&s, 0, sizeof(s));
	memset(calls, 0, sizeof(calls));
	x.conf = conf_of(conf);
	x.snap = &s;
	report_init(r);
	check_run_table(&x, test_table, 4, mask, r);
	conf_release((struct conf *)x.conf);
}

static void
disabled_check_is_not_called(void **state)
{
	struct report r;

	(void)state;
	run_table("", CHECK_CLASSES, &r);
	assert_int_equal(calls[0], 1);
	assert_int_equal(calls[1], 1);
	report_release(&r);
	run_table("check load { disable }\ncheck fs-blocks { disable }",
	    CHECK_CLASSES, &r);
	assert_int_equal(calls[0], 0);
	assert_int_equal(calls[1], 0);
	assert_int_equal(calls[3], 1);
	report_release(&r);
	/* off in general but on for one subject: the check decides per
	 * subject, so it is called */
	run_table("check fs-blocks { disable }\n"
	          "check fs-blocks \"/srv\" { enable }",
	    CHECK_CLASSES, &r);
	assert_int_equal(calls[1], 1);
	report_release(&r);
	/* an entry with several ids runs while any is enabled */
	{
		const struct check_entry *e = entry("proc-exe-deleted");
		struct conf *c;

		assert_non_null(e);
		assert_non_null(e->ids);
		c = conf_of("check proc-exe-deleted { disable }");
		assert_true(check_enabled(c, e));
		conf_release(c);
		c = conf_of("check proc-exe-deleted { disable }\n"
		            "check proc-exe-location { disable }\n"
		            "check proc-exe-writable { disable }\n"
		            "check proc-name-mismatch { disable }\n"
		            "check proc-listener { disable }\n"
		            "check proc-sniffer { disable }\n"
		            "check net-promisc { disable }\n"
		            "check proc-hidden { disable }");
		assert_false(check_enabled(c, e));
		conf_release(c);
	}
	/* the processes' programs and names, and their sockets: two
	 * entries (the agent runs the first unprivileged), each off only
	 * when all of its own ids are */
	{
		const struct check_entry *e = entry("proc-exe-deleted");
		const struct check_entry *n = entry("proc-listener");
		struct conf *c;

		assert_non_null(n);
		assert_string_equal(n->ids[0], "proc-listener");
		c = conf_of("check proc-exe-deleted { disable }\n"
		            "check proc-exe-location { disable }\n"
		            "check proc-exe-writable { disable }\n"
		            "check proc-name-mismatch { disable }");
		assert_false(check_enabled(c, e));
		assert_true(check_enabled(c, n));
		conf_release(c);
		c = conf_of("check proc-listener { disable }\n"
		            "check proc-sniffer { disable }\n"
		            "check net-promisc { disable }\n"
		            "check proc-hidden { disable }");
		assert_true(check_enabled(c, e));
		assert_false(check_enabled(c, n));
		conf_release(c);
	}
}

static void
failing_check_becomes_unknown(void **state)
{
	struct report r;

	(void)state;
	run_table("", CHECK_CLASSES, &r);
	assert_int_equal(calls[2], 1);
	assert_int_equal(calls[3], 1); /* the next one still ran */
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_UNKNOWN);
	assert_string_equal(r.f[0].check, "inventory");
	assert_string_equal(
	    r.f[0].message, "cannot read '/x': No such file or directory");
	report_release(&r);
}

static void
class_mask_selects(void **state)
{
	struct report r;

	(void)state;
	run_table("", CHECK_FAST, &r);
	assert_int_equal(calls[0] + calls[1] + calls[2] + calls[3], 1);
	assert_int_equal(calls[0], 1);
	report_release(&r);
	run_table("", CHECK_FAST | CHECK_MEDIUM | CHECK_SLOW, &r);
	assert_int_equal(calls[3], 0); /* no daily check without DAILY */
	assert_int_equal(calls[2], 1);
	report_release(&r);
	run_table("", CHECK_DAILY, &r);
	assert_int_equal(calls[0] + calls[1] + calls[2], 0);
	assert_int_equal(calls[3], 1);
	report_release(&r);
	/* status: the snapshot-only checks of FAST and MEDIUM */
	run_table("", CHECK_CLASSES | CHECK_ONLY_SNAPSHOT, &r);
	assert_int_equal(calls[0], 1);
	assert_int_equal(calls[1], 1);
	assert_int_equal(calls[2] + calls[3], 0);
	report_release(&r);
}

/* A library that cannot be loaded: UNKNOWN for the check that needs it,
 * the others run.  Last, since a failed load is kept for the process. */
static void
missing_library_is_unknown(void **state)
{
	static const struct check_entry t[] = {
	    {"fs-full-forecast", NULL, CHECK_MEDIUM, 0, 1u << DYNLIB_SQLITE3,
	        count_0, NULL, 0},
	    {"load", NULL, CHECK_FAST, 0, 0, count_1, NULL, 0},
	};
	struct check_ctx x = {0};
	struct snap s;
	struct report r;
	struct err err = {0};

	(void)state;
	setenv("SAKIMORI_DYNLIB_FAIL", "pcre2,sqlite3", 1);
	memset(&s, 0, sizeof(s));
	memset(calls, 0, sizeof(calls));
	x.conf = conf_of("");
	x.snap = &s;
	report_init(&r);
	check_run_table(&x, t, 2, CHECK_CLASSES, &r);
	assert_int_equal(calls[0], 0);
	assert_int_equal(calls[1], 1);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_UNKNOWN);
	assert_string_equal(r.f[0].check, "fs-full-forecast");
	assert_non_null(strstr(r.f[0].message,
	    "cannot load libsqlite3.so.0 (Debian package libsqlite3-0)"));
	report_release(&r);
	assert_int_equal(dynlib_require(DYNLIB_SQLITE3, &err), -1);
	assert_int_equal(dynlib_require(DYNLIB_PCRE2, &err), -1);
	assert_int_equal(dynlib_require(DYNLIB_ZLIB, &err), 0);
	conf_release((struct conf *)x.conf);
	unsetenv("SAKIMORI_DYNLIB_FAIL");
}

/* ---- the act interface ---- */

struct double_log {
	int blocks, kills, mails;
	size_t nitems;
	uint64_t secs;
	char prefix[64], by[64], reason[128];
	int pid;
	uint64_t start_ticks;
	char to[128], subject[256];
	char body[4096];
};

static int
double_block(const struct act_ops *a, struct net_block_item *items, size_t n,
    const char *by, struct err *err)
{
	struct double_log *d = a->priv;

	(void)err;
	d->blocks++;
	d->nitems = n;
	d->secs = items[0].secs;
	net_prefix_format(&items[0].p, d->prefix, sizeof(d->prefix));
	snprintf(d->by, sizeof(d->by), "%s", by);
	snprintf(d->reason, sizeof(d->reason), "%s", items[0].reason);
	items[0].status = NET_BLOCK_DONE;
	items[0].until = 1700000000;
	return 0;
}

static int
double_kill(const struct act_ops *a, int pid, uint64_t start_ticks,
    double grace, struct err *err)
{
	struct double_log *d = a->priv;

	(void)grace;
	(void)err;
	d->kills++;
	d->pid = pid;
	d->start_ticks = start_ticks;
	return KILL_TERM;
}

static int
double_mail(const struct act_ops *a, const struct mail *m, struct err *err)
{
	struct double_log *d = a->priv;

	(void)err;
	d->mails++;
	snprintf(d->to, sizeof(d->to), "%s", m->to);
	snprintf(d->subject, sizeof(d->subject), "%s", m->subject);
	snprintf(d->body, sizeof(d->body), "%s", m->body);
	return 0;
}

static void
double_init(struct act_ops *a, struct double_log *d, const struct conf *c,
    const char *state_dir)
{
	memset(d, 0, sizeof(*d));
	a->block = double_block;
	a->kill = double_kill;
	a->mail = double_mail;
	a->conf = c;
	a->state_dir = state_dir;
	a->priv = d;
}

static void
flood_block_goes_through_the_interface(void **state)
{
	struct conf *c = conf_of("check conn-flood { action block "
	                         "block-for 2h }");
	struct act_ops a;
	struct double_log d;
	struct report r;
	struct finding *f;
	struct err err = {0};

	(void)state;
	double_init(&a, &d, c, "/nonexistent");
	report_init(&r);
	f = report_add(&r, SEV_WARNING, "conn-flood", "198.51.100.9", "w");
	finding_ev(f, "port", "80");
	f = report_add(&r, SEV_CRITICAL, "conn-flood", "203.0.113.7", "c");
	finding_ev(f, "port", "80");
	finding_ev(f, "count", "400");
	assert_int_equal(net_flood_act(c, &a, &r, 0, &err), 0);
	assert_int_equal(d.blocks, 1);
	assert_int_equal(d.nitems, 1); /* the CRITICAL one only */
	assert_string_equal(d.prefix, "203.0.113.7");
	assert_string_equal(d.by, "rule:conn-flood");
	assert_int_equal(d.secs, 7200);
	assert_string_equal(
	    d.reason, "conn-flood: 400 connections to local port 80");
	assert_non_null(finding_ev_get(&r.f[1], "action"));
	assert_true(strncmp(finding_ev_get(&r.f[1], "action"), "blocked until ",
	                14) == 0);
	assert_null(finding_ev_get(&r.f[0], "action"));
	report_release(&r);
	conf_release(c);
	/* action none (the default): the interface is not called */
	c = conf_of("");
	double_init(&a, &d, c, "/nonexistent");
	report_init(&r);
	f = report_add(&r, SEV_CRITICAL, "conn-flood", "203.0.113.7", "c");
	finding_ev(f, "port", "80");
	assert_int_equal(net_flood_act(c, &a, &r, 0, &err), 0);
	assert_int_equal(d.blocks, 0);
	report_release(&r);
	conf_release(c);
}

static void
stuck_cgi_kill_goes_through_the_interface(void **state)
{
	char dir[] = "/tmp/sakimori-test-check.XXXXXX", script[PATH_MAX],
	     audit[PATH_MAX + 16];
	struct conf *c = conf_of("check stuck-cgi { grace 1 }");
	struct check_ctx x = {0};
	struct act_ops a;
	struct double_log d;
	struct snap s;
	struct proc p;
	struct report r;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof(script), "%s/loop.pl", dir);
	assert_non_null(fp = fopen(script, "w"));
	fclose(fp);
	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	p.pid = 4242;
	p.ppid = 1;
	p.start_ticks = 777;
	p.run_secs = 1000; /* critical at 600 s */
	snprintf(p.comm, sizeof(p.comm), "perl");
	snprintf(p.exe, sizeof(p.exe), "/usr/bin/perl");
	assert_true(
	    str_printf(p.cmdline, sizeof(p.cmdline), "perl %s", script) == 0);
	snprintf(p.user, sizeof(p.user), "www-data");
	s.have = SNAP_BIT(SNAP_PROC);
	s.proc1.p = &p;
	s.proc1.n = 1;
	s.proc1.what = PROC_READ_ALL; /* every part is above */
	double_init(&a, &d, c, dir);
	x.conf = c;
	x.snap = &s;
	x.state_dir = dir;
	x.act = &a;

	/* without --kill (or "kill yes") nothing is stopped */
	report_init(&r);
	check_run_table(&x, entry("stuck-cgi"), 1, CHECK_CLASSES, &r);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_CRITICAL);
	assert_int_equal(d.kills, 0);
	report_release(&r);

	x.flags = CHECK_CTX_KILL;
	report_init(&r);
	check_run_table(&x, entry("stuck-cgi"), 1, CHECK_CLASSES, &r);
	assert_int_equal(d.kills, 1);
	assert_int_equal(d.pid, 4242);
	assert_int_equal(d.start_ticks, 777);
	assert_non_null(strstr(r.f[0].message, "stopped (SIGTERM)"));
	assert_string_equal(
	    finding_ev_get(&r.f[0], "action"), "ok: ended after SIGTERM");
	/* the script's owner is told, by the same interface */
	assert_int_equal(d.mails, 1);
	assert_non_null(strstr(d.subject, "your CGI script was stopped"));
	assert_non_null(strstr(d.body, script));
	report_release(&r);

	snprintf(audit, sizeof(audit), "%s/audit.log", dir);
	unlink(audit);
	unlink(script);
	rmdir(dir);
	conf_release(c);
}

static void
daily_mail_goes_through_the_interface(void **state)
{
	struct conf *c = conf_of("set mail-to admin@example.org\n"
	                         "set hostname web1");
	struct check_ctx x = {0};
	struct act_ops a;
	struct double_log d;
	struct report r;
	struct err err = {0};

	(void)state;
	double_init(&a, &d, c, NULL);
	x.conf = c;
	x.act = &a;
	x.flags = CHECK_CTX_DAILY;
	report_init(&r);
	/* nothing found: no mail */
	assert_int_equal(check_mail_report(&x, &r, &err), 0);
	assert_int_equal(d.mails, 0);
	report_add(&r, SEV_CRITICAL, "disk-errors", "sda", "3 I/O errors");
	assert_int_equal(check_mail_report(&x, &r, &err), 0);
	assert_int_equal(d.mails, 1);
	assert_string_equal(d.to, "admin@example.org");
	assert_string_equal(d.subject,
	    "sakimori daily check on web1: CRITICAL (1 critical, 0 warning)");
	assert_non_null(strstr(d.body, "3 I/O errors"));
	report_release(&r);
	conf_release(c);
}

/* Removes a test's directory tree. */
static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Runs the registry's "fim" entry on state directory sd, conf text. */
static void
run_fim_entry(const char *sd, const char *conf, struct report *r)
{
	size_t n, i;
	const struct check_entry *t = check_registry(&n);
	struct check_ctx x = {0};

	for (i = 0; i < n && strcmp(t[i].name, "fim") != 0; i++)
		;
	assert_true(i < n);
	assert_int_equal(t[i].cls, CHECK_DAILY);
	x.conf = conf_of(conf);
	x.state_dir = sd;
	x.root = "/nonexistent"; /* no package records, no Apache */
	x.now = time(NULL);
	check_run_entry(&x, t, i, r);
	conf_release((struct conf *)x.conf);
}

/*
 * Runs the "fim" entry into a fresh r: its one finding (about subject,
 * or any with NULL), or NULL when it reported nothing.
 */
static const struct finding *
fim_once(
    const char *sd, const char *conf, struct report *r, const char *subject)
{
	report_init(r);
	run_fim_entry(sd, conf, r);
	if (r->nf == 0)
		return NULL;
	assert_int_equal(r->nf, 1);
	assert_string_equal(r->f[0].check, "fim");
	if (subject != NULL)
		assert_string_equal(r->f[0].subject, subject);
	return &r->f[0];
}

/*
 * The "fim" entry: nothing without a baseline unless enabled (then
 * UNKNOWN, saying how to make one); with a baseline of a small tree, a
 * changed file is its finding with old and new digests; a baseline
 * altered after signing is CRITICAL.
 */
static void
fim_entry_reports_a_changed_file(void **state)
{
	char top[] = "/tmp/test_check_fim.XXXXXX", sd[512], tree[512];
	char file[600], conf[1200], fp[96], bl[PATH_MAX + 16];
	const char *roots[1];
	struct fim_scan_opts so = {.roots = roots, .nroots = 1, .workers = 1};
	struct fim_baseline b;
	struct fim_opts o;
	const struct finding *f;
	struct conf *c;
	FILE *fp2;
	struct report r;
	struct err err = {0};

	(void)state;
	assert_non_null(mkdtemp(top));
	snprintf(sd, sizeof(sd), "%s/state", top);
	snprintf(tree, sizeof(tree), "%s/tree", top);
	snprintf(file, sizeof(file), "%s/data", tree);
	assert_int_equal(mkdir(sd, 0700), 0);
	assert_int_equal(mkdir(tree, 0755), 0);
	write_file(file, "the content recorded\n");
	snprintf(conf, sizeof(conf), "check fim { workers 1; nice 0 }\n");

	/* No baseline: nothing, unless the configuration enables it. */
	assert_null(fim_once(sd, conf, &r, NULL));
	report_release(&r);
	f = fim_once(sd, "check fim { enable }", &r, NULL);
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_UNKNOWN);
	assert_non_null(strstr(f->message, "sakimori fim init"));
	report_release(&r);

	/* A signed baseline of the tree. */
	c = conf_of(conf);
	assert_int_equal(fim_opts_resolve(&o, c, sd, NULL, &err), 0);
	assert_int_equal(fim_opts_keygen(&o, 0, fp, sizeof(fp), &err), 0);
	roots[0] = tree;
	fim_baseline_init(&b);
	assert_int_equal(fim_record(&so, tree, NULL, &b, NULL, &err), 0);
	assert_int_equal(fim_save(&b, o.dir, o.key, o.pub, &err), 0);
	fim_baseline_release(&b);
	fim_opts_release(&o);
	conf_release(c);
	assert_null(fim_once(sd, conf, &r, NULL));
	report_release(&r);

	/* The file changed: its finding, with both digests. */
	write_file(file, "the content altered!\n");
	f = fim_once(sd, conf, &r, file);
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_string_equal(finding_ev_get(f, "class"), "changed");
	assert_non_null(strstr(finding_ev_get(f, "attributes"), "hash"));
	assert_non_null(finding_ev_get(f, "old_hash"));
	assert_non_null(finding_ev_get(f, "new_hash"));
	assert_string_not_equal(
	    finding_ev_get(f, "old_hash"), finding_ev_get(f, "new_hash"));
	assert_non_null(strstr(f->message, file));
	report_release(&r);

	/* The baseline altered after it was signed: CRITICAL. */
	snprintf(bl, sizeof(bl), "%s/baseline", o.dir);
	fp2 = fopen(bl, "a");
	assert_non_null(fp2);
	fputs("\n", fp2);
	assert_int_equal(fclose(fp2), 0);
	f = fim_once(sd, conf, &r, o.dir);
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->message, "refusing the baseline"));
	report_release(&r);
	assert_int_equal(nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* check_snap_want's due: the names in the NULL-terminated arg. */
static int
named_due(size_t i, const void *arg)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	for (const char *const *nm = arg; *nm != NULL; nm++)
		if (strcmp(t[i].name, *nm) == 0)
			return 1;
	return 0;
}

static unsigned
want_of(const char *const *names)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	return check_snap_want(t, n, named_due, names);
}

/*
 * A run takes of the snapshot only what its due entries read: the
 * 10-second checks no filesystem, the socket checks nothing, the process
 * checks of a tick each process's stat (and stuck-cgi its executable),
 * the process audit every part.
 */
static void
snap_want_of_the_due_entries(void **state)
{
	static const char *const child_fast[] = {"load", "swap-activity",
	    "memory", "memory-leak", "process-count", "stuck-cgi", NULL};
	static const char *const child_minute[] = {"load", "swap-activity",
	    "memory", "memory-leak", "process-count", "stuck-cgi", "fs-blocks",
	    "fs-inodes", "raid", NULL};
	static const char *const root_fast[] = {"apache-workers", "sessions",
	    "conn-flood", "conn-flood-prefix", "syn-flood", "web-conn-share",
	    NULL};
	static const char *const sockets[] = {
	    "conn-flood", "conn-flood-prefix", "syn-flood", NULL};
	static const char *const audit[] = {
	    "apache-workers", "proc-exe-deleted", "web-conn-share", NULL};
	static const char *const fs[] = {"fs-full-forecast", NULL};
	unsigned w;

	(void)state;
	w = want_of(child_fast);
	assert_int_equal(w & SNAP_BIT(SNAP_FS), 0);
	assert_int_equal(w & SNAP_BIT(SNAP_DISK), 0);
	assert_true(w & SNAP_BIT(SNAP_LOAD));
	assert_true(w & SNAP_BIT(SNAP_CPU));
	assert_true(w & SNAP_BIT(SNAP_MEM));
	assert_true(w & SNAP_BIT(SNAP_VM));
	assert_true(w & SNAP_BIT(SNAP_PROC));
	assert_true(w & SNAP_PROC_ONCE);
	assert_int_equal(snap_proc_parts(w), PROC_READ_EXE);
	w = want_of(child_minute);
	assert_true(w & SNAP_BIT(SNAP_FS));
	assert_int_equal(snap_proc_parts(w), PROC_READ_EXE);
	w = want_of(root_fast);
	assert_int_equal(w &
	        ~(SNAP_BIT(SNAP_PROC) | SNAP_PROC_ONCE |
	            SNAP_PROC_PARTS(PROC_READ_ALL)),
	    0);
	assert_true(w & SNAP_BIT(SNAP_PROC));
	assert_int_equal(snap_proc_parts(w), 0);
	assert_int_equal(want_of(sockets), 0);
	assert_int_equal(snap_proc_parts(want_of(audit)), PROC_READ_ALL);
	assert_int_equal(want_of(fs), SNAP_BIT(SNAP_FS));
	/* a mask that does not pick reads every part, as before */
	assert_int_equal(snap_proc_parts(SNAP_BIT(SNAP_PROC)), PROC_READ_ALL);
	/* every entry that reads processes picks, so unions stay right */
	{
		size_t n;
		const struct check_entry *t = check_registry(&n);

		for (size_t i = 0; i < n; i++)
			if (t[i].snap & SNAP_BIT(SNAP_PROC))
				assert_true(t[i].snap & SNAP_PROC_PICK);
	}
}

/* The flood checks of one run dump the socket table once between them. */
static void
flood_checks_share_one_socket_table(void **state)
{
	static const char *const names[] = {
	    "conn-flood", "conn-flood-prefix", "syn-flood"};
	struct conf *c = conf_of("");
	struct rules_net_shared net = {0};
	struct check_ctx x = {0};
	struct snap s;
	struct report r;

	(void)state;
	memset(&s, 0, sizeof(s));
	x.conf = c;
	x.snap = &s;
	x.net = &net;
	report_init(&r);
	for (size_t i = 0; i < countof(names); i++)
		check_run_table(&x, entry(names[i]), 1, CHECK_CLASSES, &r);
	assert_int_equal(net.dumps, 1);
	assert_int_not_equal(net.state, 0);
	/* each told what it saw (its perfdata), or that it could not */
	assert_true(r.np >= 3 || r.nf == 3);
	rules_net_shared_release(&net);
	/* a run without one gives its flood checks one of its own */
	report_release(&r);
	report_init(&r);
	x.net = NULL;
	check_run_table(&x, entry("syn-flood"), 1, CHECK_CLASSES, &r);
	assert_true(r.np >= 1 || r.nf == 1);
	report_release(&r);
	conf_release(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(registry_covers_the_schema),
	    cmocka_unit_test(entries_unique_with_a_class),
	    cmocka_unit_test(disabled_check_is_not_called),
	    cmocka_unit_test(failing_check_becomes_unknown),
	    cmocka_unit_test(class_mask_selects),
	    cmocka_unit_test(flood_block_goes_through_the_interface),
	    cmocka_unit_test(stuck_cgi_kill_goes_through_the_interface),
	    cmocka_unit_test(daily_mail_goes_through_the_interface),
	    cmocka_unit_test(missing_library_is_unknown),
	    cmocka_unit_test(memo_is_kept_between_runs),
	    cmocka_unit_test(snap_want_of_the_due_entries),
	    cmocka_unit_test(flood_checks_share_one_socket_table),
	    cmocka_unit_test(fim_entry_reports_a_changed_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
