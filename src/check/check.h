/*
 * check.h - the check registry: every check that "sakimori check",
 * "check --daily", "status" and the agent run is one entry here, run by
 * check_run() on one context.
 *
 * An entry is {name, ids, schedule class, flags, needed libraries,
 * function, memory's free, what it reads of the snapshot}.
 * The name is the check's name in src/conf/schema.c; an entry whose one
 * pass produces several check ids (the suspicious-process checks) lists
 * them in ids and runs when any of them is enabled.  A check disabled in
 * the configuration (its general block says "disable" and no subject
 * block says "enable") is not called.  A check whose function fails, or
 * one of whose libraries cannot be loaded (base/dynlib.h), gives one
 * UNKNOWN finding naming it; the other checks still run.
 *
 * The schedule class says how often the agent runs it; "check" runs
 * FAST, MEDIUM and SLOW, "check --daily" DAILY too, "status" the FAST
 * and MEDIUM checks that read only the snapshot.
 *
 * Checks that are not in the registry because their command runs them:
 * mail-* (sakimori mail report|follow), web-*
 * (sakimori logs attacks|scan|follow).  See check_elsewhere[].
 */
#ifndef CHECK_CHECK_H
#define CHECK_CHECK_H

#include <stddef.h>
#include <time.h>

struct act_ops;
struct conf;
struct err;
struct procrules_priv;
struct report;
struct rules_net_shared;
struct snap;

enum check_class {
	CHECK_FAST = 1u << 0,   /* load, memory, swapping, processes: 10 s */
	CHECK_MEDIUM = 1u << 1, /* filesystems, disks, process audit: 60 s */
	CHECK_SLOW = 1u << 2,   /* inventory: 5 min */
	CHECK_DAILY = 1u << 3,  /* kernel-log disk errors, fs errors, fim */
};

#define CHECK_CLASSES (CHECK_FAST | CHECK_MEDIUM | CHECK_SLOW | CHECK_DAILY)
/* In a check_run mask: only the entries that read nothing but the
 * snapshot (CHECK_SNAPSHOT in their flags). */
#define CHECK_ONLY_SNAPSHOT (1u << 8)

/* check_ctx.flags */
enum {
	CHECK_CTX_DAILY = 1u << 0, /* the once-a-day run (check --daily) */
	CHECK_CTX_KILL = 1u << 1,  /* stopping processes allowed (--kill) */
};

/* Everything a check reads besides the system itself. */
struct check_ctx {
	const struct conf *conf;
	const struct snap *snap; /* taken once for the run */
	const char *root;        /* prefix for /proc, /sys, /etc; NULL: / */
	const char *state_dir;   /* state database, audit log; NULL: none */
	time_t now;
	unsigned flags;            /* CHECK_CTX_* */
	const struct act_ops *act; /* block, kill, mail (act/act.h) */
	/*
	 * Memory between runs: the agent gives one slot per entry of the
	 * table it runs (in table order), NULL in one-shot runs.  The runner
	 * points memo at the running entry's slot (NULL when memos is), so a
	 * check that needs history (a trend) keeps it in *memo, freed with
	 * its entry's memo_free, and reports nothing without it.
	 */
	void **memos;
	void **memo;
	/* the agent's unprivileged child: what only root may read or do
	 * for the process checks, asked of its parent (rules/procrules.h);
	 * NULL: done here */
	const struct procrules_priv *procpriv;
	/* the socket counts the flood checks of this run share
	 * (rules/net_flood.h), released by whoever set it; NULL: each
	 * reads its own (check_run_table gives its run one) */
	struct rules_net_shared *net;
};

/* check_entry.flags */
enum {
	CHECK_SNAPSHOT = 1u << 0, /* reads only the snapshot (status too) */
};

struct check_entry {
	const char *name;       /* schema name: enables it, names its UNKNOWN */
	const char *const *ids; /* the check ids it reports; NULL: name only */
	unsigned cls;           /* one enum check_class */
	unsigned flags;         /* CHECK_SNAPSHOT */
	unsigned libs;          /* 1u << enum dynlib_id it needs */
	/* Adds findings to r.  0, or -1 with err (then one UNKNOWN). */
	int (*run)(
	    const struct check_ctx *x, struct report *r, struct err *err);
	void (*memo_free)(void *memo); /* frees *memo; NULL: free() */
	/* what it reads of the snapshot: SNAP_BIT mask, a process mask
	 * picking the parts it reads of every process (collect/snap.h) */
	unsigned snap;
};

/* The registry, in the order the checks run; *n gets its length. */
const struct check_entry *check_registry(size_t *n);

/*
 * The snapshot (snap_take's want) the entries i of t for which due(i,
 * arg) is true read together: a run takes only that.
 */
unsigned check_snap_want(const struct check_entry *t, size_t n,
    int (*due)(size_t i, const void *arg), const void *arg);

/* Schema checks run by their own commands, NULL-terminated. */
extern const char *const check_elsewhere[];

/* 1 when e is enabled in c (any of its ids). */
int check_enabled(const struct conf *c, const struct check_entry *e);

/*
 * Runs every enabled entry of the registry whose class is in mask (with
 * CHECK_ONLY_SNAPSHOT: the snapshot-only ones), in order, on x; adds to
 * r.  Returns the worst severity of r.
 */
int check_run(const struct check_ctx *x, unsigned mask, struct report *r);

/* The same over a table of entries (the registry, or a test's own). */
int check_run_table(const struct check_ctx *x, const struct check_entry *t,
    size_t n, unsigned mask, struct report *r);

/*
 * Runs entry i of table t on x (when enabled in x->conf, whatever its
 * class), adding to r; a failure is its UNKNOWN finding.  The agent's
 * scheduler calls this for each entry on its own interval.
 */
void check_run_entry(const struct check_ctx *x, const struct check_entry *t,
    size_t i, struct report *r);
/* Frees the memo slots of table t (n entries) in memos. */
void check_memos_release(const struct check_entry *t, size_t n, void **memos);

/*
 * The daily run's report by mail, through x->act->mail, to "set
 * mail-to" when it is set and r has findings (cron mails what a job
 * prints; this is for hosts where the report should go elsewhere).
 * 0 (also when nothing was to send), or -1 with err.
 */
int check_mail_report(
    const struct check_ctx *x, const struct report *r, struct err *err);

#endif
