/*
 * procsel.c - choosing and ordering processes for a listing (procsel.h).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sysmacros.h>

#include "base/mem.h"
#include "base/cur.h"
#include "collect/procsel.h"

static const struct {
	const char *name;
	enum proc_key key;
} keys[] = {
    {"pid", PK_PID},
    {"ppid", PK_PPID},
    {"user", PK_USER},
    {"cpu", PK_CPU},
    {"pcpu", PK_CPU},
    {"%cpu", PK_CPU},
    {"mem", PK_MEM},
    {"pmem", PK_MEM},
    {"%mem", PK_MEM},
    {"rss", PK_MEM},
    {"vsz", PK_VSZ},
    {"time", PK_TIME},
    {"start", PK_START},
    {"name", PK_NAME},
    {"comm", PK_NAME},
};

int
proc_sel_sort(struct proc_sel *sel, const char *s)
{
	sel->nsort = 0;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		int desc = 0, found = 0;

		if (n > 0 && (*s == '-' || *s == '+')) {
			desc = *s == '-';
			s++;
			n--;
		}
		for (size_t i = 0; i < countof(keys); i++)
			if (strlen(keys[i].name) == n &&
			    strncasecmp(keys[i].name, s, n) == 0 &&
			    sel->nsort < PROC_SORT_MAX) {
				sel->sort[sel->nsort].key = keys[i].key;
				sel->sort[sel->nsort++].desc = desc;
				found = 1;
				break;
			}
		if (!found)
			return -1;
		s = e ? e + 1 : s + n;
	}
	return sel->nsort > 0 ? 0 : -1;
}

static int
cmp_num(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static int
cmp_proc(const void *x, const void *y, void *arg)
{
	const struct proc_sel *sel = arg;
	const struct proc *a = *(const struct proc *const *)x;
	const struct proc *b = *(const struct proc *const *)y;

	for (size_t i = 0; i < sel->nsort; i++) {
		int c = 0;

		switch (sel->sort[i].key) {
		case PK_PID:
			c = cmp_num(a->pid, b->pid);
			break;
		case PK_PPID:
			c = cmp_num(a->ppid, b->ppid);
			break;
		case PK_USER:
			c = strcmp(a->user, b->user);
			break;
		case PK_CPU:
			c = cmp_num(a->cpu_pct, b->cpu_pct);
			break;
		case PK_MEM:
			c = cmp_num((double)a->rss_kb, (double)b->rss_kb);
			break;
		case PK_VSZ:
			c = cmp_num((double)a->vsz_kb, (double)b->vsz_kb);
			break;
		case PK_TIME:
			c = cmp_num(a->cpu_secs, b->cpu_secs);
			break;
		case PK_START:
			c = cmp_num(
			    (double)a->start_ticks, (double)b->start_ticks);
			break;
		case PK_NAME:
			c = strcmp(a->comm, b->comm);
			break;
		}
		if (c != 0)
			return sel->sort[i].desc ? -c : c;
	}
	return cmp_num(a->pid, b->pid);
}

int
proc_sel_keep(const struct proc_sel *sel, const struct proc *p)
{
	int ok = sel->nusers == 0;

	for (size_t i = 0; i < sel->nusers && !ok; i++) {
		uint64_t uid;

		if (strcmp(sel->users[i], p->user) == 0 ||
		    (str_u64(sel->users[i], &uid) == 0 && uid == p->euid))
			ok = 1;
	}
	if (!ok)
		return 0;
	if (sel->nnames == 0)
		return 1;
	for (size_t i = 0; i < sel->nnames; i++) {
		const char *b = strrchr(p->exe, '/');

		if (fnmatch(sel->names[i], p->comm, 0) == 0 ||
		    (b != NULL && fnmatch(sel->names[i], b + 1, 0) == 0))
			return 1;
	}
	return 0;
}

const struct proc **
proc_select(const struct proc_table *t, const struct proc_sel *sel, size_t *n)
{
	const struct proc **v = calloc(t->n + 1, sizeof(*v));

	*n = 0;
	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (proc_sel_keep(sel, &t->p[i]))
			v[(*n)++] = &t->p[i];
	qsort_r(v, *n, sizeof(*v), cmp_proc, (void *)sel);
	return v;
}

struct forest {
	const struct proc *const *v;
	size_t n, placed;
	size_t *order;
	int *depth;
	unsigned char *done;
};

static void
forest_tree(struct forest *f, size_t at, int depth)
{
	if (f->done[at] || depth > 200)
		return;
	f->done[at] = 1;
	f->order[f->placed] = at;
	f->depth[f->placed++] = depth;
	for (size_t i = 0; i < f->n; i++)
		if (!f->done[i] && f->v[i]->ppid == f->v[at]->pid)
			forest_tree(f, i, depth + 1);
}

size_t
proc_forest(const struct proc *const *v, size_t n, size_t *order, int *depth)
{
	struct forest f = {v, n, 0, order, depth, calloc(n + 1, 1)};

	if (f.done == NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int has_parent = 0;

		for (size_t j = 0; j < n && !has_parent; j++)
			if (j != i && v[j]->pid == v[i]->ppid)
				has_parent = 1;
		if (!has_parent)
			forest_tree(&f, i, 0);
	}
	/* cycles (a pid reused as its own ancestor): the rest */
	for (size_t i = 0; i < n; i++)
		if (!f.done[i])
			forest_tree(&f, i, 0);
	free(f.done);
	return f.placed;
}

void
proc_tty_name(uint64_t nr, char *dst, size_t sz)
{
	unsigned maj = major((dev_t)nr), min = minor((dev_t)nr);

	if (nr == 0)
		snprintf(dst, sz, "?");
	else if (maj >= 136 && maj <= 143)
		snprintf(dst, sz, "pts/%u", (maj - 136) * 256 + min);
	else if (maj == 4 && min < 64)
		snprintf(dst, sz, "tty%u", min);
	else if (maj == 4)
		snprintf(dst, sz, "ttyS%u", min - 64);
	else
		snprintf(dst, sz, "%u,%u", maj, min);
}

void
proc_states_count(const struct proc_table *t, struct proc_states *st)
{
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < t->n; i++)
		switch (t->p[i].state) {
		case 'R':
			st->run++;
			break;
		case 'S':
		case 'D':
		case 'I':
			st->sleep++;
			break;
		case 'T':
		case 't':
			st->stop++;
			break;
		case 'Z':
			st->zombie++;
			break;
		}
}
