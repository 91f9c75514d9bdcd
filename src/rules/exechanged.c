/*
 * exechanged.c - running programs against the integrity baseline: a
 * process whose executable the verified baseline records, and whose file
 * differs from the record as fim check would report it (a program's
 * content changed, a new setuid bit or capability, a changed owner or
 * mode), unexplained by the package manager.  A trojaned ps or sshd that
 * is running is CRITICAL here even before the next fim check.
 *
 * Cheap when nothing changed: a file whose inode, size, times, mode and
 * owner equal the record is the recorded file; only the others are read
 * again, with fim's own scan, compared with fim's own diff and explained
 * by dpkg's records.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/dynlib.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "collect/proc.h"
#include "conf/conf.h"
#include "fim/fim.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

#define CANDIDATES_MAX 4096 /* distinct executables read again per run */

static int64_t
ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Whether the file at path is, by its inode, size, times, mode and owner,
 * the one e records. */
static int
same_as_recorded(const char *path, const struct fim_entry *e)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return 0;
	return (uint64_t)st.st_ino == e->ino && (uint64_t)st.st_dev == e->dev &&
	    (uint64_t)st.st_size == e->size && st.st_mode == e->mode &&
	    st.st_uid == e->uid && st.st_gid == e->gid &&
	    ns(&st.st_mtim) == e->mtime && ns(&st.st_ctim) == e->ctime;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The executables of running processes that the baseline records as
 * regular files and that are no longer the recorded file: sorted,
 * distinct, pointing into t. */
static size_t
candidates(const struct proc_table *t, const struct fim_baseline *b,
    const char **out, size_t max)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < t->n && n < max; i++) {
		const struct proc *p = &t->p[i];
		const struct fim_entry *e;

		if (p->exe[0] != '/' || (p->flags & PROC_F_EXE_DELETED))
			continue; /* a deleted executable: proc-exe-deleted */
		e = fim_baseline_find(b, p->exe);
		if (e == NULL || !S_ISREG(e->mode) ||
		    !(e->flags & FIM_F_HASHED))
			continue;
		out[n++] = p->exe;
	}
	qsort(out, n, sizeof(*out), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && strcmp(out[k - 1], out[i]) == 0)
			continue;
		if (same_as_recorded(out[i], fim_baseline_find(b, out[i])))
			continue;
		out[k++] = out[i];
	}
	return k;
}

/* The first process running path, and how many do. */
static const struct proc *
runner(const struct proc_table *t, const char *path, size_t *count)
{
	const struct proc *first = NULL;

	*count = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];

		if ((p->flags & PROC_F_EXE_DELETED) || strcmp(p->exe, path))
			continue;
		if (first == NULL)
			first = p;
		(*count)++;
	}
	return first;
}

static void
report_change(const struct proc_table *t, const struct fim_change *c,
    const struct fim_baseline *b, struct report *r)
{
	const struct proc *p;
	struct strbuf sb = STRBUF_INIT(4096);
	char attrs[256], when[32];
	struct finding *f;
	struct tm tm;
	size_t count;
	enum sev sev = fim_class_sev(c->cls);

	if (sev == SEV_OK || c->old == NULL || c->cur == NULL)
		return;
	p = runner(t, c->old->path, &count);
	if (p == NULL)
		return;
	fim_attrs_names(c->attrs, attrs, sizeof(attrs));
	localtime_r(&b->created, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	f = report_add(r, sev, "proc-exe-changed", c->old->path,
	    "%s (pid %d, user %s) runs %s, which the integrity baseline of "
	    "%s records otherwise (%s: %s)",
	    p->comm, p->pid, p->user, c->old->path, when,
	    fim_class_name(c->cls), attrs);
	if (f == NULL)
		return;
	finding_ev(f, "pid", "%d", p->pid);
	finding_ev(f, "user", "%s", p->user);
	finding_ev(f, "comm", "%s", p->comm);
	finding_ev(f, "exe", "%s", c->old->path);
	finding_ev(f, "processes", "%zu", count);
	finding_ev(f, "class", "%s", fim_class_name(c->cls));
	finding_ev(f, "changed", "%s", attrs);
	time_iso(when, sizeof(when), b->created);
	finding_ev(f, "baseline_time", "%s", when);
	if (c->attrs & FIM_A_HASH) {
		fim_attr_value(c->old, FIM_A_HASH, b->hash, &sb);
		finding_ev(f, "baseline_hash", "%s", sb.p ? sb.p : "");
		strbuf_reset(&sb);
		fim_attr_value(c->cur, FIM_A_HASH, b->hash, &sb);
		finding_ev(f, "hash", "%s", sb.p ? sb.p : "");
	}
	strbuf_release(&sb);
}

int
procrules_exe_changed(const struct conf *c, const struct proc_table *t,
    const struct fim_baseline *b, const char *root, struct report *r,
    struct err *err)
{
	const char **paths;
	struct fim_scan_opts so;
	struct fim_diff_opts dopt;
	struct fim_baseline cur, view;
	struct fim_changes ch = {0};
	size_t n;
	int rc = -1;

	if (!procrules_enabled(c, "proc-exe-changed") || b == NULL)
		return 0;
	paths = calloc(t->n ? t->n : 1, sizeof(*paths));
	if (paths == NULL)
		return err_set(err, ENOMEM, "out of memory");
	n = candidates(
	    t, b, paths, t->n < CANDIDATES_MAX ? t->n : CANDIDATES_MAX);
	if (n == 0) {
		free(paths);
		return 0;
	}
	memset(&so, 0, sizeof(so));
	so.roots = paths;
	so.nroots = n;
	so.workers = 1;
	so.hash = b->hash;
	so.prev = b;
	fim_baseline_init(&cur);
	view = *b;
	view.n = 0;
	view.e = calloc(n, sizeof(*view.e));
	if (view.e == NULL) {
		err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		view.e[view.n++] = *fim_baseline_find(b, paths[i]);
	if (fim_scan(&so, &cur, NULL, err) == -1)
		goto out;
	memset(&dopt, 0, sizeof(dopt));
	dopt.compare = FIM_A_DEFAULT;
	if (fim_diff(&view, &cur, &dopt, &ch, err) == -1)
		goto out;
	fim_explain(&ch, b, root);
	for (size_t i = 0; i < ch.n; i++)
		report_change(t, &ch.c[i], b, r);
	rc = 0;
out:
	fim_changes_release(&ch);
	fim_baseline_release(&cur);
	free(view.e);
	free(paths);
	return rc;
}

/*
 * The baseline of "check fim" (its directory and public key as fim uses
 * them), verified.  1 loaded, 0 when there is none (nothing to compare
 * with), -1 when it is refused: an UNKNOWN finding says why.
 */
static int
load_baseline(const struct conf *c, const char *state_dir,
    struct fim_baseline *b, struct report *r)
{
	struct strbuf raw = STRBUF_INIT((size_t)2 << 30);
	struct fim_load_opts lo;
	struct fim_opts o;
	struct err err = {0};
	enum fim_load_rc rc = FIM_LOAD_BADSIG;

	if (fim_opts_locate(&o, c, state_dir, NULL, &err) == 0) {
		char p[sizeof(o.dir) + 16];
		struct stat st;

		/* libcrypto (3 MB resident) only where a baseline waits to be
		 * verified: none, nothing to compare, nothing loaded */
		snprintf(p, sizeof(p), "%s/baseline", o.dir);
		if (lstat(p, &st) == -1 && errno == ENOENT)
			rc = FIM_LOAD_NONE;
		else if (dynlib_require(DYNLIB_CRYPTO, &err) == 0) {
			fim_opts_load(&o, &lo);
			rc = fim_load_verified(&lo, b, &raw, &err);
		}
	}
	strbuf_release(&raw);
	if (rc == FIM_LOAD_OK)
		return 1;
	if (rc == FIM_LOAD_NONE)
		return 0;
	report_add(r, SEV_UNKNOWN, "proc-exe-changed",
	    o.dir[0] ? o.dir : state_dir,
	    "running programs not compared with the integrity baseline: %s",
	    err.msg);
	return -1;
}

void
procrules_integrity(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	struct fim_baseline b;
	struct err err = {0};

	/* The baseline records this system's paths, not a fixture tree's. */
	if (o->state_dir == NULL || (o->root && strcmp(o->root, "/") != 0) ||
	    !procrules_enabled(c, "proc-exe-changed"))
		return;
	fim_baseline_init(&b);
	if (load_baseline(c, o->state_dir, &b, r) == 1 &&
	    procrules_exe_changed(c, t, &b, o->root, r, &err) == -1)
		report_add(r, SEV_UNKNOWN, "proc-exe-changed", "baseline",
		    "running programs not compared with the integrity "
		    "baseline: %s",
		    err.msg);
	fim_baseline_release(&b);
}
