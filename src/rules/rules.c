/*
 * rules.c - the built-in checks (see rules.h).
 */
#include "rules/rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/finding.h"
#include "base/mem.h"
#include "base/size.h"
#include "collect/snap.h"
#include "conf/conf.h"

#define SUBJECTS_MAX 256

int
rules_level(double value, double warn, double crit, int low)
{
	if (isnan(value))
		return SEV_OK;
	if (!isnan(crit) && (low ? value < crit : value > crit))
		return SEV_CRITICAL;
	if (!isnan(warn) && (low ? value < warn : value > warn))
		return SEV_WARNING;
	return SEV_OK;
}

static void
unknown(struct report *r, const char *check, const struct snap *s,
    enum snap_section sec)
{
	report_add(r, SEV_UNKNOWN, check, check, "cannot measure: %s",
	    s->err[sec][0] ? s->err[sec] : "not read");
}

void
rules_load(const struct conf *c, const struct snap *s, struct report *r)
{
	const struct conf_node *blk = conf_check(c, "load", NULL);
	struct threshold t;
	int per_cpu = conf_find(blk, "per-cpu") ? conf_flag(blk, "per-cpu") : 1;
	int minutes = (int)conf_num(blk, "average", 1);
	double avg, v;
	enum sev sev;
	struct finding *f;

	conf_threshold(c, "load", NULL, &t);
	if (!t.enabled)
		return;
	if (!(s->have & SNAP_BIT(SNAP_LOAD))) {
		unknown(r, "load", s, SNAP_LOAD);
		return;
	}
	avg = minutes == 15 ? s->load.avg15
	    : minutes == 5  ? s->load.avg5
	                    : s->load.avg1;
	if (minutes != 5 && minutes != 15)
		minutes = 1;
	v = per_cpu ? avg / (double)s->ncpu : avg;
	report_perf(r, "load1", s->load.avg1, "", NAN, NAN, 0, NAN);
	report_perf(r, "load5", s->load.avg5, "", NAN, NAN, 0, NAN);
	report_perf(r, "load15", s->load.avg15, "", NAN, NAN, 0, NAN);
	report_perf(r, per_cpu ? "load_per_cpu" : "load", v, "", t.warn, t.crit,
	    0, NAN);
	sev = (enum sev)rules_level(v, t.warn, t.crit, 0);
	if (sev == SEV_OK)
		return;
	f = report_add(r, sev, "load", "load",
	    "%d-minute load average %.2f%s is above %.2f", minutes,
	    per_cpu ? v : avg, per_cpu ? " per CPU" : "",
	    sev == SEV_CRITICAL ? t.crit : t.warn);
	if (f) {
		finding_ev(f, "load1", "%.2f", s->load.avg1);
		finding_ev(f, "load5", "%.2f", s->load.avg5);
		finding_ev(f, "load15", "%.2f", s->load.avg15);
		finding_ev(f, "cpus", "%ld", s->ncpu);
		finding_ev(f, "value", "%.2f", v);
	}
}

void
rules_swap(const struct conf *c, const struct snap *s, struct report *r)
{
	struct threshold t;
	double v;
	enum sev sev;
	struct finding *f;

	conf_threshold(c, "swap-activity", NULL, &t);
	if (!t.enabled || s->interval <= 0)
		return; /* "now" needs two samples */
	if (!(s->have & SNAP_BIT(SNAP_VM))) {
		unknown(r, "swap-activity", s, SNAP_VM);
		return;
	}
	v = s->swapin_s + s->swapout_s;
	report_perf(r, "swap_pages_s", v, "", t.warn, t.crit, 0, NAN);
	sev = (enum sev)rules_level(v, t.warn, t.crit, 0);
	if (sev == SEV_OK)
		return;
	f = report_add(r, sev, "swap-activity", "swap",
	    "swapping now: %.1f pages in and %.1f out per second over %.1f s",
	    s->swapin_s, s->swapout_s, s->interval);
	if (f) {
		finding_ev(f, "swapin_pages_per_second", "%.1f", s->swapin_s);
		finding_ev(f, "swapout_pages_per_second", "%.1f", s->swapout_s);
		finding_ev(f, "interval_seconds", "%.2f", s->interval);
		finding_ev(f, "swap_used_bytes", "%llu",
		    (unsigned long long)s->memsum.swap_used * 1024);
	}
}

void
rules_memory(const struct conf *c, const struct snap *s, struct report *r)
{
	struct threshold t;
	const struct mem_summary *m = &s->memsum;
	enum sev sev;
	struct finding *f;
	char av[SIZE_TEXT_MAX], tot[SIZE_TEXT_MAX];

	conf_threshold(c, "memory", NULL, &t);
	if (!t.enabled)
		return;
	if (!(s->have & SNAP_BIT(SNAP_MEM))) {
		unknown(r, "memory", s, SNAP_MEM);
		return;
	}
	report_perf_lower(
	    r, "mem_available", m->avail_pct, "%", t.warn, t.crit, 0, 100);
	sev = (enum sev)rules_level(m->avail_pct, t.warn, t.crit, 1);
	if (sev == SEV_OK)
		return;
	size_format(av, sizeof(av), (double)m->available * 1024);
	size_format(tot, sizeof(tot), (double)m->total * 1024);
	f = report_add(r, sev, "memory", "memory",
	    "available memory %.1f%% (%s of %s) is below %.0f%%", m->avail_pct,
	    av, tot, sev == SEV_CRITICAL ? t.crit : t.warn);
	if (f) {
		finding_ev(f, "total_bytes", "%llu",
		    (unsigned long long)m->total * 1024);
		finding_ev(f, "available_bytes", "%llu",
		    (unsigned long long)m->available * 1024);
		finding_ev(f, "available_pct", "%.1f", m->avail_pct);
		finding_ev(f, "swap_used_bytes", "%llu",
		    (unsigned long long)m->swap_used * 1024);
		if (m->avail_estimated)
			finding_ev(f, "estimated", "yes");
	}
}

/* "ignore" lists mount points and filesystem types to skip. */
static int
ignored(const struct conf_node *blk, const struct mount_entry *e)
{
	const struct conf_node *n = conf_find(blk, "ignore");

	for (size_t i = 0; n && i < n->nvals; i++)
		if (strcmp(n->vals[i].str, e->mnt) == 0 ||
		    strcmp(n->vals[i].str, e->fstype) == 0)
			return 1;
	return 0;
}

static void
check_fs(const struct conf *c, const struct snap *s, struct report *r,
    const char *name, int inodes)
{
	if (!(s->have & SNAP_BIT(SNAP_FS))) {
		struct threshold t;

		conf_threshold(c, name, NULL, &t);
		if (t.enabled)
			unknown(r, name, s, SNAP_FS);
		return;
	}
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *e = &s->mounts.m[i];
		const struct fs_usage *u = &e->u;
		struct threshold t;
		double v;
		enum sev sev;
		struct finding *f;
		char label[80], av[SIZE_TEXT_MAX], size[SIZE_TEXT_MAX];

		if (!e->shown || !e->have_usage)
			continue;
		conf_threshold(c, name, e->mnt, &t);
		if (!t.enabled || ignored(conf_check(c, name, NULL), e) ||
		    ignored(conf_check(c, name, e->mnt), e))
			continue;
		v = inodes ? u->inodes_pct : u->used_pct;
		if (isnan(v))
			continue; /* no inodes to count (btrfs, vfat) */
		snprintf(label, sizeof(label), "%s%s", inodes ? "inodes " : "",
		    e->mnt);
		report_perf(r, label, v, "%", t.warn, t.crit, 0, 100);
		sev = (enum sev)rules_level(v, t.warn, t.crit, 0);
		if (sev == SEV_OK)
			continue;
		if (inodes)
			f = report_add(r, sev, name, e->mnt,
			    "%.1f%% of inodes used (%llu of %llu), above "
			    "%.0f%%",
			    v, (unsigned long long)u->inodes_used,
			    (unsigned long long)u->inodes,
			    sev == SEV_CRITICAL ? t.crit : t.warn);
		else {
			size_format(av, sizeof(av), (double)u->avail_kb * 1024);
			size_format(
			    size, sizeof(size), (double)u->size_kb * 1024);
			f = report_add(r, sev, name, e->mnt,
			    "%.1f%% of space used (%s free of %s), above "
			    "%.0f%%",
			    v, av, size, sev == SEV_CRITICAL ? t.crit : t.warn);
		}
		if (f) {
			finding_ev(f, "device", "%s", e->source);
			finding_ev(f, "fstype", "%s", e->fstype);
			finding_ev(f, "used_pct", "%.1f", v);
			if (inodes) {
				finding_ev(f, "inodes", "%llu",
				    (unsigned long long)u->inodes);
				finding_ev(f, "inodes_free", "%llu",
				    (unsigned long long)u->inodes_free);
			} else {
				finding_ev(f, "size_bytes", "%llu",
				    (unsigned long long)u->size_kb * 1024);
				finding_ev(f, "available_bytes", "%llu",
				    (unsigned long long)u->avail_kb * 1024);
			}
		}
	}
}

/* comm is cut at 15 bytes by the kernel: compare what it can hold. */
static int
name_matches(const char *comm, const char *name)
{
	size_t cl = strlen(comm), nl = strlen(name);

	if (cl == 15 && nl > 15)
		return strncmp(comm, name, 15) == 0;
	return strcmp(comm, name) == 0;
}

static void
count_one(const struct conf *c, const struct snap *s, struct report *r,
    const char *name, int builtin)
{
	struct threshold t;
	size_t count = 0;
	enum sev sev;
	struct finding *f;
	char label[80];

	conf_threshold(c, "process-count", name, &t);
	if (!t.enabled)
		return;
	if (builtin && isnan(t.warn) && isnan(t.crit))
		t.warn = RULES_HTTPD_LIMIT;
	if (isnan(t.warn) && isnan(t.crit))
		return;
	for (size_t i = 0; i < s->proc1.n; i++)
		count += name_matches(s->proc1.p[i].comm, name);
	snprintf(label, sizeof(label), "procs %s", name);
	report_perf(r, label, (double)count, "", t.warn, t.crit, 0, NAN);
	sev = (enum sev)rules_level((double)count, t.warn, t.crit, 0);
	if (sev == SEV_OK)
		return;
	f = report_add(r, sev, "process-count", name,
	    "%zu processes named '%s', above the limit of %.0f", count, name,
	    sev == SEV_CRITICAL ? t.crit : t.warn);
	if (f) {
		finding_ev(f, "count", "%zu", count);
		if (!isnan(t.warn))
			finding_ev(f, "warning", "%.0f", t.warn);
		if (!isnan(t.crit))
			finding_ev(f, "critical", "%.0f", t.crit);
	}
}

void
rules_process_count(
    const struct conf *c, const struct snap *s, struct report *r)
{
	static const char *const builtin[] = {"httpd", "apache2"};
	const char *subj[SUBJECTS_MAX];
	size_t n = conf_check_subjects(c, "process-count", subj, SUBJECTS_MAX);
	struct threshold t;

	conf_threshold(c, "process-count", NULL, &t);
	if (!t.enabled)
		return;
	if (!(s->have & SNAP_BIT(SNAP_PROC))) {
		unknown(r, "process-count", s, SNAP_PROC);
		return;
	}
	for (size_t i = 0; i < n; i++)
		count_one(c, s, r, subj[i], 0);
	for (size_t b = 0; b < countof(builtin); b++) {
		int configured = 0;

		for (size_t i = 0; i < n; i++)
			configured |= strcmp(subj[i], builtin[b]) == 0;
		if (!configured)
			count_one(c, s, r, builtin[b], 1);
	}
}

void
rules_fs_blocks(const struct conf *c, const struct snap *s, struct report *r)
{
	check_fs(c, s, r, "fs-blocks", 0);
}

void
rules_fs_inodes(const struct conf *c, const struct snap *s, struct report *r)
{
	check_fs(c, s, r, "fs-inodes", 1);
}
