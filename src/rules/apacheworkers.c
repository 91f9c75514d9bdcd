/*
 * apacheworkers.c - an admin's "ps axu | grep httpd | wc -l" against
 * MaxClients: for every running Apache (a master process: apache2 or
 * httpd whose parent is not one), its children are counted against the
 * limit its own configuration gives (-f / -d / -D from its command line,
 * else the usual main file): processes against MaxRequestWorkers for
 * prefork, against MaxRequestWorkers / ThreadsPerChild for the threaded
 * MPMs.  WARNING at 80%, CRITICAL at 95% by default.
 *
 * Only the children that serve requests count, as server-status counts
 * them: the master's other children (mod_cgid's daemon, piped loggers
 * such as rotatelogs, other modules' helper daemons) do not.  A worker
 * holds the listening sockets it inherited from the master; the helpers
 * close them (or are other programs).  When descriptors are not ours to
 * read (not root), mod_cgid's daemon is told by the SIGCHLD it ignores
 * (it never waits for its CGI children; a worker does).
 */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "apache/apache.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/finding.h"
#include "collect/proc.h"
#include "collect/procfd.h"
#include "collect/sock.h"
#include "conf/conf.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

static const char *const apache_names[] = {
    "apache2", "httpd", "httpd.worker", "httpd.event", NULL};

#define MAX_SOCKS 256 /* socket descriptors compared per process */

/* The master's listening sockets' inodes, to tell workers by. */
struct master_socks {
	uint64_t v[MAX_SOCKS];
	size_t n;
	int known; /* read, and at least one */
};

/*
 * Reads the master's descriptors and keeps its listening sockets (any
 * other socket it holds, such as a journal stream on stdout, every child
 * inherits).
 */
static void
master_socks_read(struct master_socks *ms, int pid,
    const struct sock_table *listening, const char *root)
{
	struct err err;
	size_t k = 0;

	ms->known = 0;
	if (listening == NULL ||
	    procfd_pid_sockets(root, pid, ms->v, MAX_SOCKS, &ms->n, &err) == -1)
		return;
	for (size_t i = 0; i < ms->n; i++)
		for (size_t j = 0; j < listening->n; j++)
			if (listening->v[j].inode == ms->v[i]) {
				ms->v[k++] = ms->v[i];
				break;
			}
	ms->n = k;
	ms->known = k > 0;
}

/* 1 if ch, a child of the master with its name, serves requests. */
static int
serves_requests(const struct proc_table *t, const struct proc *ch,
    const struct master_socks *ms, const char *root)
{
	uint64_t cs[MAX_SOCKS];
	struct err err;
	struct proc st;
	size_t nc;

	if (ms->known &&
	    procfd_pid_sockets(root, ch->pid, cs, MAX_SOCKS, &nc, &err) == 0) {
		for (size_t i = 0; i < nc; i++)
			for (size_t j = 0; j < ms->n; j++)
				if (cs[i] == ms->v[j])
					return 1;
		return 0;
	}
	/* the signals it ignores, when the table was read without them */
	st = *ch;
	if (proc_read_more(root, t, &st, PROC_READ_STATUS, NULL) == -1)
		st = *ch;
	return !((st.flags & PROC_F_SIGIGN) &&
	    (st.sigign & (UINT64_C(1) << (SIGCHLD - 1))));
}

static void
check_master(const struct conf *c, const struct proc_table *t,
    const struct proc *master, const struct sock_table *listening,
    const char *root, struct report *r)
{
	char subj[64];
	const struct conf_node *blk = conf_check(c, "apache-workers", NULL);
	const char *cfg = conf_str(blk, "config", NULL), *path;
	struct apache_cmdline cl;
	struct apache_opts o;
	struct apache_conf ac;
	struct apache_limits l;
	struct threshold th;
	size_t children = 0, threads = 0, others = 0, workers;
	struct master_socks ms;
	double pct, limit;
	enum sev sev = SEV_OK;
	struct finding *f;
	struct proc mc = *master, *m = &mc;

	/* its command line, when the table was read without them */
	if (proc_read_more(root, t, m, PROC_READ_CMDLINE, NULL) == -1)
		return; /* gone meanwhile */
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
	master_socks_read(&ms, m->pid, listening, root);
	for (size_t i = 0; i < t->n; i++) {
		if (t->p[i].ppid != m->pid)
			continue;
		if (strcmp(t->p[i].comm, m->comm) != 0 ||
		    !serves_requests(t, &t->p[i], &ms, root)) {
			others++;
			continue;
		}
		children++;
		threads += t->p[i].nthreads;
	}
	/* server-status's busy and idle workers: a thread per request slot */
	workers = l.threaded && l.threads_per_child > 0
	    ? children * (size_t)l.threads_per_child
	    : children;
	limit = l.threaded ? (double)l.max_processes : (double)l.max_workers;
	pct = limit > 0 ? 100.0 * (double)children / limit : 0;
	conf_threshold(c, "apache-workers", NULL, &th);
	str_printf(subj, sizeof(subj), "%s pid %d", m->comm, m->pid);
	report_perf(r, "apache_children", (double)children, "",
	    isnan(th.warn) ? NAN : th.warn * limit / 100,
	    isnan(th.crit) ? NAN : th.crit * limit / 100, 0, limit);
	report_perf(r, "apache_workers", (double)workers, "", NAN, NAN, 0,
	    (double)l.max_workers);
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
			finding_ev(f, "workers", "%zu", workers);
			finding_ev(f, "threads", "%zu", threads);
			finding_ev(f, "other_children", "%zu", others);
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
	const char *root = o->root ? o->root : "";
	struct sock_table ls = {0};
	struct err err;
	int have_ls = -1; /* not read yet */

	if (!procrules_enabled(c, "apache-workers"))
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i], *pp;

		if (!procrules_match(p->comm, apache_names))
			continue;
		pp = proc_table_find(t, p->ppid);
		if (pp != NULL && strcmp(pp->comm, p->comm) == 0)
			continue; /* a child */
		/* run for another process (the agent's child, whose filter
		 * forbids the netlink socket), the master's descriptors are
		 * not its to read: the workers are told by SIGCHLD */
		if (have_ls == -1)
			have_ls = o->priv == NULL &&
			    sock_listening(root, &ls, &err) == 0;
		check_master(c, t, p, have_ls ? &ls : NULL, root, r);
	}
	sock_table_release(&ls);
}
