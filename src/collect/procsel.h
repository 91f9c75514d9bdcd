/*
 * procsel.h - choosing and ordering processes of a table (collect/proc.h)
 * for a listing: filters by user and by name, sort keys as ps and top
 * take them, and ps axf's forest (children under their parent).
 */
#ifndef COLLECT_PROCSEL_H
#define COLLECT_PROCSEL_H

#include <stddef.h>
#include <stdint.h>

#include "collect/proc.h"

#define PROC_SEL_MAX 16 /* users, and names */
#define PROC_SORT_MAX 8 /* sort keys */

enum proc_key {
	PK_PID,
	PK_PPID,
	PK_USER,
	PK_CPU,
	PK_MEM,
	PK_VSZ,
	PK_TIME,
	PK_START,
	PK_NAME,
};

struct proc_sel {
	struct {
		enum proc_key key;
		int desc;
	} sort[PROC_SORT_MAX];
	size_t nsort;                    /* 0: by pid */
	const char *users[PROC_SEL_MAX]; /* names or numeric uids */
	size_t nusers;                   /* 0: every user */
	const char *names[PROC_SEL_MAX]; /* fnmatch patterns */
	size_t nnames;                   /* 0: every name */
};

/*
 * Sets the sort keys from a comma-separated list ("-cpu,pid": '-' for
 * descending; pid, ppid, user, cpu/pcpu/%cpu, mem/pmem/%mem/rss, vsz,
 * time, start, name/comm; case ignored).  0, or -1 for an unknown key,
 * an empty list or more than PROC_SORT_MAX keys.
 */
int proc_sel_sort(struct proc_sel *s, const char *keys);

/*
 * 1 when p passes the filters: its user (name or uid) is one of users,
 * and its comm or the last component of its exe matches one of names.
 */
int proc_sel_keep(const struct proc_sel *s, const struct proc *p);

/*
 * The processes of t that pass s, in its sort order (ties by pid): a
 * malloc'd array of *n pointers into t, or NULL (out of memory).
 */
const struct proc **proc_select(
    const struct proc_table *t, const struct proc_sel *s, size_t *n);

/*
 * ps axf's forest of v (n processes, in their order): each process with
 * no parent among v, then its children in the order of v, depth first
 * (at most 200 deep; the rest, and cycles, start trees of their own).
 * Fills order[] (indexes into v) and depth[] (0 for a root); returns how
 * many were placed (n, or 0 when out of memory).
 */
size_t proc_forest(
    const struct proc *const *v, size_t n, size_t *order, int *depth);

/* top's task counts by state. */
struct proc_states {
	unsigned run;    /* R */
	unsigned sleep;  /* S, D, I */
	unsigned stop;   /* T, t */
	unsigned zombie; /* Z */
};

void proc_states_count(const struct proc_table *t, struct proc_states *st);

/* ps's TTY column for stat's tty_nr: "?", "pts/N", "ttyN", "ttySN" or
 * "MAJ,MIN". */
void proc_tty_name(uint64_t nr, char *dst, size_t sz);

#endif
