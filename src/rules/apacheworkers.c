/*
 * apacheworkers.c - the seed's S12, "ps axu | grep httpd | wc -l" against
 * MaxClients: for every running Apache (a master process: apache2 or
 * httpd whose parent is not one), its children are counted against the
 * limit its own configuration gives (-f / -d / -D from its command line,
 * else the usual main file): processes against MaxRequestWorkers for
 * prefork, against MaxRequestWorkers / ThreadsPerChild for the threaded
 * MPMs.  WARNING at 80%, CRITICAL at 95% by default.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "apache/apache.h"
#include "base/finding.h"
#include "collect/proc.h"
#include "conf/conf.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

static const char *const apache_names[] = {
    "apache2", "httpd", "httpd.worker", "httpd.event", NULL};

static void
check_master(const struct conf *c, const struct proc_table *t,
    const struct proc *m, const char *root, struct report *r)
{
	char subj[64];
	const struct conf_node *blk = conf_check(c, "apache-workers", NULL);
	const char *cfg = conf_str(blk, "config", NULL), *path;
	struct apache_cmdline cl;
	struct apache_opts o;
	struct apache_conf ac;
	struct apache_limits l;
	struct threshold th;
	size_t children = 0, threads = 0;
	double pct, limit;
	enum sev sev = SEV_OK;
	struct finding *f;

	if (apache_cmdline_conf(m->cmdline, root, cfg, &cl, &o) == -1) {
		snprintf(subj, sizeof(subj), "pid %d", m->pid);
		report_add(r, SEV_UNKNOWN, "apache-workers", subj,
		    "cannot find the configuration of %s (pid %d)", m->comm,
		    m->pid);
		return;
	}
	path = cl.path;
	apache_conf_load(&ac, path, &o);
	if (apache_limits(&ac, &l) == -1) {
		snprintf(subj, sizeof(subj), "pid %d", m->pid);
		report_add(r, SEV_UNKNOWN, "apache-workers", subj,
		    "no MPM in %s (pid %d's configuration)", path, m->pid);
		apache_conf_release(&ac);
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->p[i].ppid == m->pid &&
		    strcmp(t->p[i].comm, m->comm) == 0) {
			children++;
			threads += t->p[i].nthreads;
		}
	limit = l.threaded ? (double)l.max_processes : (double)l.max_workers;
	pct = limit > 0 ? 100.0 * (double)children / limit : 0;
	conf_threshold(c, "apache-workers", NULL, &th);
	snprintf(subj, sizeof(subj), "%s pid %d", m->comm, m->pid);
	report_perf(r, "apache_children", (double)children, "",
	    isnan(th.warn) ? NAN : th.warn * limit / 100,
	    isnan(th.crit) ? NAN : th.crit * limit / 100, 0, limit);
	sev = !isnan(th.crit) && pct >= th.crit ? SEV_CRITICAL
	    : !isnan(th.warn) && pct >= th.warn ? SEV_WARNING
	                                        : SEV_OK;
	if (sev != SEV_OK) {
		f = report_add(r, sev, "apache-workers", subj,
		    "%zu %s processes of at most %.0f (%.0f%%; %s "
		    "MaxRequestWorkers %ld%s)",
		    children, m->comm, limit, pct, l.mpm, l.max_workers,
		    l.threaded ? " / ThreadsPerChild" : "");
		if (f != NULL) {
			finding_ev(f, "children", "%zu", children);
			finding_ev(f, "threads", "%zu", threads);
			finding_ev(f, "limit", "%.0f", limit);
			finding_ev(f, "mpm", "%s", l.mpm);
			finding_ev(
			    f, "max_request_workers", "%ld", l.max_workers);
			finding_ev(f, "config", "%s", path);
			if (l.file != NULL)
				finding_ev(
				    f, "limit_at", "%s:%d", l.file, l.line);
		}
	}
	apache_conf_release(&ac);
}

void
procrules_apache(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	if (!procrules_enabled(c, "apache-workers"))
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i], *pp;

		if (!procrules_match(p->comm, apache_names))
			continue;
		pp = proc_table_find(t, p->ppid);
		if (pp != NULL && strcmp(pp->comm, p->comm) == 0)
			continue; /* a child */
		check_master(c, t, p, o->root ? o->root : "", r);
	}
}
