/*
 * test_rules.c - the built-in checks on made-up snapshots: thresholds
 * from the schema and the configuration, per-CPU load, swapping only with
 * a sample, "below" for memory, ignore lists, the built-in httpd/apache2
 * limit, and UNKNOWN for a section that could not be read.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf_of.h"

#include "base/finding.h"
#include "check/check.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "rules/rules.h"

static char mnt_root[] = "/", mnt_var[] = "/var", src[] = "/dev/sda1",
            mnt_tmp[] = "/tmp";

/* A healthy 4-CPU machine with two filesystems and three processes. */
static void
healthy(struct snap *s, struct mount_entry *m, struct proc *p)
{
	memset(s, 0, sizeof(*s));
	s->have = s->want = SNAP_ALL;
	s->interval = 1.0;
	s->ncpu = 4;
	s->load.avg1 = 2.0; /* 0.5 per CPU */
	s->load.avg5 = 1.0;
	s->load.avg15 = 1.0;
	s->memsum.total = 1000000;
	s->memsum.available = 500000;
	s->memsum.avail_pct = 50;
	memset(m, 0, 3 * sizeof(*m));
	for (int i = 0; i < 3; i++) {
		m[i].shown = m[i].have_usage = 1;
		m[i].source = src;
		m[i].u.used_pct = 50;
		m[i].u.inodes_pct = 10;
		snprintf(m[i].fstype, sizeof(m[i].fstype), "ext4");
	}
	m[0].mnt = mnt_root;
	m[1].mnt = mnt_var;
	m[2].mnt = mnt_tmp;
	snprintf(m[2].fstype, sizeof(m[2].fstype), "tmpfs");
	s->mounts.m = m;
	s->mounts.n = 3;
	memset(p, 0, 3 * sizeof(*p));
	for (int i = 0; i < 3; i++) {
		p[i].pid = 100 + i;
		snprintf(p[i].comm, sizeof(p[i].comm), "apache2");
	}
	s->proc1.p = p;
	s->proc1.n = 3;
}

/* The snapshot checks, run as status runs them (through the registry);
 * the worst severity. */
static int
run_rules(const struct conf *c, const struct snap *s, struct report *r)
{
	struct check_ctx x = {0};

	x.conf = c;
	x.snap = s;
	x.now = s->now;
	return check_run(
	    &x, CHECK_FAST | CHECK_MEDIUM | CHECK_ONLY_SNAPSHOT, r);
}

static const struct finding *
find(const struct report *r, const char *check, const char *subject)
{
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].check, check) == 0 &&
		    (subject == NULL || strcmp(r->f[i].subject, subject) == 0))
			return &r->f[i];
	return NULL;
}

static void
healthy_machine_has_no_findings(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c = conf_of("");

	(void)state;
	healthy(&s, m, p);
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	assert_int_equal(r.nf, 0);
	assert_true(r.np > 0); /* every value measured is perfdata */
	report_release(&r);
	conf_release(c);
}

static void
load_per_cpu_and_average(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c;
	const struct finding *f;

	(void)state;
	healthy(&s, m, p);
	s.load.avg1 = 4.4; /* 1.1 per CPU: above 1.00 */
	c = conf_of("");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_WARNING);
	f = find(&r, "load", NULL);
	assert_non_null(f);
	assert_string_equal(finding_ev_get(f, "cpus"), "4");
	report_release(&r);
	s.load.avg1 = 8.4; /* 2.1 per CPU: critical */
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_CRITICAL);
	report_release(&r);
	conf_release(c);
	/* per-cpu no: the raw 8.4 against 10 is fine */
	c = conf_of("check load { warning 10 critical 20 per-cpu no }");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
	/* the 15-minute average (1.0 / 4 CPUs) */
	c = conf_of("check load { average 15 }");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
	c = conf_of("check load { disable }");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
}

static void
swapping_needs_a_sample(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c = conf_of("");

	(void)state;
	healthy(&s, m, p);
	s.swapout_s = 0.5;
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_WARNING);
	assert_non_null(find(&r, "swap-activity", "swap"));
	report_release(&r);
	/* since boot is not "now" */
	s.interval = 0;
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
}

static void
memory_below(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c = conf_of("");

	(void)state;
	healthy(&s, m, p);
	s.memsum.avail_pct = 9.5;
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_WARNING);
	report_release(&r);
	s.memsum.avail_pct = 4.9;
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_CRITICAL);
	assert_non_null(find(&r, "memory", "memory"));
	/* sizes for a human, in IEC units (the evidence keeps kB) */
	assert_non_null(strstr(
	    find(&r, "memory", "memory")->message, "(488.3 MiB of 976.6 MiB)"));
	report_release(&r);
	conf_release(c);
	c = conf_of("check memory { warning 3% critical 1% }");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
}

static void
filesystems_and_ignore(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c = conf_of("");

	(void)state;
	healthy(&s, m, p);
	m[1].u.used_pct = 91;
	m[1].u.avail_kb = 2 * 1048576;
	m[1].u.size_kb = 20 * 1048576 + 512;
	m[2].u.inodes_pct = 96;
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_CRITICAL);
	assert_int_equal(find(&r, "fs-blocks", "/var")->sev, SEV_WARNING);
	assert_non_null(strstr(find(&r, "fs-blocks", "/var")->message,
	    "(2.0 GiB free of 20.0 GiB)"));
	assert_int_equal(find(&r, "fs-inodes", "/tmp")->sev, SEV_CRITICAL);
	assert_null(find(&r, "fs-blocks", "/"));
	report_release(&r);
	conf_release(c);
	c = conf_of("check fs-blocks \"/var\" { warning 95% }\n"
	            "check fs-inodes { ignore tmpfs }\n");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
	/* hidden (pseudo, bind) filesystems are not checked */
	m[1].shown = 0;
	m[2].shown = 0;
	c = conf_of("");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
}

static void
process_counts(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c;
	const struct finding *f;

	(void)state;
	healthy(&s, m, p);
	/* built in: apache2 against 150 */
	c = conf_of("");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_OK);
	report_release(&r);
	conf_release(c);
	c = conf_of("check process-count \"apache2\" { warning 2 critical 5 }");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_WARNING);
	f = find(&r, "process-count", "apache2");
	assert_non_null(f);
	assert_string_equal(finding_ev_get(f, "count"), "3");
	report_release(&r);
	conf_release(c);
	/* a name longer than the kernel's 15 bytes matches the cut comm */
	snprintf(p[0].comm, sizeof(p[0].comm), "averyveryverylo");
	c = conf_of("check process-count \"averyveryverylongname\" { "
	            "critical 0 }");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_CRITICAL);
	report_release(&r);
	conf_release(c);
}

static void
unreadable_sections_are_unknown(void **state)
{
	struct snap s;
	struct mount_entry m[3];
	struct proc p[3];
	struct report r;
	struct conf *c = conf_of("");

	(void)state;
	healthy(&s, m, p);
	s.have = 0;
	snprintf(s.err[SNAP_MEM], sizeof(s.err[SNAP_MEM]),
	    "cannot open '/x/proc/meminfo': No such file or directory");
	report_init(&r);
	assert_int_equal(run_rules(c, &s, &r), SEV_UNKNOWN);
	assert_non_null(strstr(find(&r, "memory", NULL)->message, "meminfo"));
	assert_non_null(find(&r, "load", NULL));
	assert_non_null(find(&r, "process-count", NULL));
	report_release(&r);
	conf_release(c);
	assert_int_equal(rules_level(NAN, 1, 2, 0), SEV_OK);
	assert_int_equal(rules_level(5, NAN, NAN, 0), SEV_OK);
	assert_int_equal(
	    rules_level(1.0, 1.0, 2.0, 0), SEV_OK); /* above, not at */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(healthy_machine_has_no_findings),
	    cmocka_unit_test(load_per_cpu_and_average),
	    cmocka_unit_test(swapping_needs_a_sample),
	    cmocka_unit_test(memory_below),
	    cmocka_unit_test(filesystems_and_ignore),
	    cmocka_unit_test(process_counts),
	    cmocka_unit_test(unreadable_sections_are_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
