/*
 * check.c - the integrity check (see fim.h): load and verify the
 * baseline, scan what it records again, compare, and add a finding per
 * change to a report.  "fim check", "fim update" and the check registry
 * run it the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/err.h"
#include "base/finding.h"
#include "base/strbuf.h"
#include "conf/conf.h"
#include "fim/fim.h"

#define BASELINE_MAX ((size_t)2 << 30) /* 2 GiB of baseline text */

/* The calling thread's CPU and I/O priority, to put back after a scan. */
struct prio {
	int nice, io, have_nice;
};

static void
prio_save(struct prio *p)
{
	errno = 0;
	p->nice = getpriority(PRIO_PROCESS, 0);
	p->have_nice = errno == 0;
	p->io = (int)syscall(SYS_ioprio_get, 1, 0);
}

static void
prio_restore(const struct prio *p)
{
	if (p->have_nice)
		(void)setpriority(PRIO_PROCESS, 0, p->nice);
	if (p->io >= 0)
		(void)syscall(SYS_ioprio_set, 1, 0, p->io);
}

static int
scan(struct fim_check *k, struct err *err)
{
	struct fim_scan_opts so;
	struct prio p = {0, -1, 0};
	int rc;

	memset(&so, 0, sizeof(so));
	so.roots = k->scanned;
	so.nroots = k->nscanned;
	so.excludes = (const char *const *)k->b.excludes;
	so.nexcludes = k->b.nexcludes;
	so.workers = (unsigned)k->o->workers;
	so.hash = k->b.hash;
	so.cross_mounts = conf_flag(k->o->blk, "cross-mounts");
	so.prev = &k->b;
	so.progress = k->progress;
	so.progress_arg = k->progress_arg;
	if (k->nice) {
		prio_save(&p);
		(void)fim_opts_nice(k->o);
	}
	rc = fim_scan(&so, &k->cur, &k->st, err);
	if (k->nice)
		prio_restore(&p);
	return rc;
}

int
fim_check_run(struct fim_check *k, struct report *r, struct err *err)
{
	struct strbuf raw = STRBUF_INIT(BASELINE_MAX);
	struct fim_changes ch = {0};
	struct fim_load_opts lo;
	struct fim_baseline view;
	const struct fim_baseline *old = &k->b;
	int rc;

	fim_baseline_init(&k->b);
	fim_baseline_init(&k->cur);
	memset(&k->st, 0, sizeof(k->st));
	k->nchanges = 0;
	fim_opts_load(k->o, &lo);
	k->load = fim_load_verified(&lo, &k->b, &raw, err);
	strbuf_release(&raw);
	if (k->load != FIM_LOAD_OK)
		return -1;
	/* Without paths: the baseline's own roots, what it recorded. */
	k->nscanned = 0;
	for (size_t i = 0; i < k->npaths && i < FIM_PATHS_MAX; i++)
		k->scanned[k->nscanned++] = k->paths[i];
	for (size_t i = 0;
	     k->npaths == 0 && i < k->b.nroots && i < FIM_PATHS_MAX; i++)
		k->scanned[k->nscanned++] = k->b.roots[i];
	if (scan(k, err) == -1)
		return -1;
	if (k->npaths > 0) {
		if (fim_baseline_view(&k->b, k->scanned, k->nscanned, &view) ==
		    -1)
			return err_set(err, ENOMEM, "out of memory");
		old = &view;
	}
	rc = fim_opts_compare(k->o, old, &k->cur, k->root, &ch, err);
	if (rc == 0) {
		k->nchanges = ch.n;
		if (r != NULL)
			fim_report_changes(r, &ch, k->b.hash);
	}
	fim_changes_release(&ch);
	if (old == &view)
		free(view.e);
	return rc;
}

void
fim_check_release(struct fim_check *k)
{
	fim_baseline_release(&k->b);
	fim_baseline_release(&k->cur);
}

int
fim_conf_enabled(const struct conf *c)
{
	const struct conf_node *blk = conf_check(c, "fim", NULL);
	int on = 0;

	for (size_t i = 0; blk != NULL && i < blk->nchild; i++) {
		if (strcmp(blk->child[i].key, "enable") == 0)
			on = 1;
		else if (strcmp(blk->child[i].key, "disable") == 0)
			on = 0;
	}
	return on;
}
