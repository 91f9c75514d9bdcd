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

#define MAX_DEFINES 16

/* -f FILE, -d DIR and -D NAME from a master's command line. */
static void
parse_args(const char *cmd, char *file, size_t fsz, char *dir, size_t dsz,
    char defs[][128], size_t *ndefs)
{
	const char *s = cmd;
	char opt = 0;

	*ndefs = 0;
	while (s != NULL && *s) {
		const char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (opt) {
			if (opt == 'f')
				snprintf(file, fsz, "%.*s", (int)n, s);
			else if (opt == 'd')
				snprintf(dir, dsz, "%.*s", (int)n, s);
			else if (*ndefs < MAX_DEFINES)
				snprintf(
				    defs[(*ndefs)++], 128, "%.*s", (int)n, s);
			opt = 0;
		} else if (n == 2 && s[0] == '-' &&
		    (s[1] == 'f' || s[1] == 'd' || s[1] == 'D'))
			opt = s[1];
		else if (n > 2 && s[0] == '-' &&
		    (s[1] == 'f' || s[1] == 'd' || s[1] == 'D')) {
			char o = s[1];

			if (o == 'f')
				snprintf(file, fsz, "%.*s", (int)n - 2, s + 2);
			else if (o == 'd')
				snprintf(dir, dsz, "%.*s", (int)n - 2, s + 2);
			else if (*ndefs < MAX_DEFINES)
				snprintf(defs[(*ndefs)++], 128, "%.*s",
				    (int)n - 2, s + 2);
		}
		s = e ? e + 1 : NULL;
	}
}

static void
check_master(const struct conf *c, const struct proc_table *t,
    const struct proc *m, const char *root, struct report *r)
{
	char file[PATH_MAX] = "", dir[PATH_MAX] = "", path[PATH_MAX],
	     defs[MAX_DEFINES][128], subj[64];
	const char *defv[MAX_DEFINES + 1];
	const struct conf_node *blk = conf_check(c, "apache-workers", NULL);
	const char *cfg = conf_str(blk, "config", NULL);
	struct apache_opts o;
	struct apache_conf ac;
	struct apache_limits l;
	struct threshold th;
	size_t ndefs, children = 0, threads = 0;
	double pct, limit;
	enum sev sev = SEV_OK;
	struct finding *f;

	parse_args(
	    m->cmdline, file, sizeof(file), dir, sizeof(dir), defs, &ndefs);
	for (size_t i = 0; i < ndefs; i++)
		defv[i] = defs[i];
	defv[ndefs] = NULL;
	memset(&o, 0, sizeof(o));
	o.root = root;
	o.defines = defv;
	o.server_root = dir[0] ? dir : NULL;
	if (cfg != NULL)
		snprintf(path, sizeof(path), "%s", cfg);
	else if (file[0] == '/')
		snprintf(path, sizeof(path), "%s", file);
	else if (file[0] && dir[0])
		snprintf(path, sizeof(path), "%s/%s", dir, file);
	else if (apache_conf_find(root, path, sizeof(path)) == -1) {
		snprintf(subj, sizeof(subj), "pid %d", m->pid);
		report_add(r, SEV_UNKNOWN, "apache-workers", subj,
		    "cannot find the configuration of %s (pid %d)", m->comm,
		    m->pid);
		return;
	}
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
