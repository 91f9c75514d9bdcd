/*
 * registry.c - the table of checks (see check.h): one entry per check,
 * each a thin function from the context to the module that does the work.
 * Add a check here (and its name in src/conf/schema.c); the order of the
 * table is the order of the findings.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "base/mem.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/finding.h"
#include "check/check.h"
#include "check/leak.h"
#include "check/sessions.h"
#include "collect/snap.h"
#include "conf/conf.h"
#include "disk/check.h"
#include "disk/health.h"
#include "fim/fim.h"
#include "inv/inventory.h"
#include "net/flood_act.h"
#include "rules/net_flood.h"
#include "rules/procrules.h"
#include "rules/rules.h"

#define LIB(id) (1u << (id))

/* ---- the snapshot checks (src/rules/rules.c) ---------------------------- */

static int
run_load(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	rules_load(x->conf, x->snap, r);
	return 0;
}

static int
run_swap(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	rules_swap(x->conf, x->snap, r);
	return 0;
}

static int
run_memory(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	rules_memory(x->conf, x->snap, r);
	return 0;
}

static int
run_fs_blocks(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	rules_fs_blocks(x->conf, x->snap, r);
	return 0;
}

static int
run_fs_inodes(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	rules_fs_inodes(x->conf, x->snap, r);
	return 0;
}

static int
run_process_count(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	rules_process_count(x->conf, x->snap, r);
	return 0;
}

/* ---- the process checks (src/rules/procrules.h) ------------------------- */

static void
proc_opts(const struct check_ctx *x, struct procrules_opts *o)
{
	o->root = x->root;
	o->state_dir = x->state_dir;
	o->kill = (x->flags & CHECK_CTX_KILL) != 0;
	o->act = x->act;
	o->priv = x->procpriv;
}

/* The last sample of the snapshot, with CPU over the interval; NULL when
 * the process table could not be read (process-count says so). */
static const struct proc_table *
proc_table(const struct check_ctx *x)
{
	return (x->snap->have & SNAP_BIT(SNAP_PROC)) ? &x->snap->proc1 : NULL;
}

/* A process check of procrules.h on the snapshot's process table. */
static int
run_procs(const struct check_ctx *x, struct report *r,
    void (*fn)(const struct conf *, const struct proc_table *,
        const struct procrules_opts *, struct report *))
{
	const struct proc_table *t = proc_table(x);
	struct procrules_opts o = {0};

	proc_opts(x, &o);
	if (t != NULL)
		fn(x->conf, t, &o, r);
	return 0;
}

/* The processes' programs and names. */
static int
run_suspicious(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	return run_procs(x, r, procrules_suspicious_procs);
}

/* Their sockets, the interfaces, hidden pids. */
static int
run_suspicious_net(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	return run_procs(x, r, procrules_suspicious_net);
}

/* Loads the integrity baseline: every few minutes at most. */
static int
run_exe_changed(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	return run_procs(x, r, procrules_integrity);
}

static int
run_stuck_cgi(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	return run_procs(x, r, procrules_stuck);
}

static int
run_apache_workers(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	return run_procs(x, r, procrules_apache);
}

/* ---- checks with state (src/inv, src/disk) ------------------------------ */

static int
run_inventory(const struct check_ctx *x, struct report *r, struct err *err)
{
	struct inv_opts o = {0};

	if (x->state_dir == NULL)
		return err_set(err, 0, "no state directory");
	o.root = x->root;
	o.location = conf_setting(x->conf, "location", NULL);
	o.rack = conf_setting(x->conf, "rack", NULL);
	o.owner = conf_setting(x->conf, "owner", NULL);
	o.hostname = conf_setting(x->conf, "hostname", NULL);
	return inv_check(&o, x->state_dir, r, err);
}

/* Usage samples on every run; "full in N days" from their trend. */
static int
run_fs_forecast(const struct check_ctx *x, struct report *r, struct err *err)
{
	if (x->state_dir == NULL)
		return err_set(err, 0, "no state directory");
	return disk_check_forecast(
	    x->conf, x->state_dir, &x->snap->mounts, x->now, r, err);
}

/* Kernel-log disk errors since the last daily run. */
static int
run_disk_errors(const struct check_ctx *x, struct report *r, struct err *err)
{
	if (x->state_dir == NULL)
		return err_set(err, 0, "no state directory");
	return disk_check_klog(x->root, x->state_dir, x->now, r, err);
}

/* Each mounted filesystem's recorded error state. */
static int
run_fs_errors(const struct check_ctx *x, struct report *r, struct err *err)
{
	(void)err;
	disk_check_fsstate(x->root, &x->snap->mounts, x->now, r);
	return 0;
}

/* The md RAID arrays: degraded, failed, rebuilding, mismatches. */
static int
run_raid(const struct check_ctx *x, struct report *r, struct err *err)
{
	return disk_check_raid(x->conf, x->root, x->now, r, err);
}

/* Each disk's SMART record through smartctl; growth kept between runs. */
static int
run_smart(const struct check_ctx *x, struct report *r, struct err *err)
{
	return disk_check_smart(x->conf, x->root, x->state_dir, x->now, r, err);
}

/* ---- file integrity (src/fim/check.c) ---------------------------------- */

/*
 * The baseline compared with the files now, when there is one; without
 * one, nothing unless "check fim { enable }" asks for the check (then it
 * is UNKNOWN, saying how to make one).  A refused baseline is CRITICAL.
 */
static int
run_fim(const struct check_ctx *x, struct report *r, struct err *err)
{
	struct fim_opts o;
	struct fim_check k;
	int rc, enabled;

	enabled = fim_conf_enabled(x->conf);
	if (x->state_dir == NULL)
		return enabled ? err_set(err, 0, "no state directory") : 0;
	rc = fim_opts_resolve(&o, x->conf, x->state_dir, NULL, err);
	if (rc == SEV_CRITICAL) { /* the record of the trusted key */
		report_add(
		    r, SEV_CRITICAL, "fim", x->state_dir, "%s", err->msg);
		return 0;
	}
	if (rc != 0)
		return -1;
	fim_opts_webroots(&o, x->root);
	memset(&k, 0, sizeof(k));
	k.o = &o;
	k.root = x->root;
	k.nice = 1;
	rc = fim_check_run(&k, r, err);
	fim_check_release(&k);
	fim_opts_release(&o);
	if (rc == 0)
		return 0;
	if (k.load == FIM_LOAD_NONE)
		return err->code == ENOENT && !enabled ? 0 : -1;
	if (k.load != FIM_LOAD_OK) {
		report_add(r, SEV_CRITICAL, "fim", o.dir, "%s", err->msg);
		return 0;
	}
	return -1;
}

/* ---- connection floods (src/rules/net_flood.c) -------------------------- */

/* With its opt-in action: block the CRITICAL flooders (net/flood_act.h). */
static int
run_conn_flood(const struct check_ctx *x, struct report *r, struct err *err)
{
	size_t from = r->nf;

	if (rules_net_flood(x->conf, x->snap, x->root, RULES_CONN_FLOOD, x->net,
	        r, err) == -1)
		return -1;
	return net_flood_act(x->conf, x->act, r, from, err);
}

static int
run_conn_flood_prefix(
    const struct check_ctx *x, struct report *r, struct err *err)
{
	return rules_net_flood(
	    x->conf, x->snap, x->root, RULES_CONN_FLOOD_PREFIX, x->net, r, err);
}

static int
run_syn_flood(const struct check_ctx *x, struct report *r, struct err *err)
{
	return rules_net_flood(
	    x->conf, x->snap, x->root, RULES_SYN_FLOOD, x->net, r, err);
}

static int
run_web_conn_share(const struct check_ctx *x, struct report *r, struct err *err)
{
	return rules_net_flood(
	    x->conf, x->snap, x->root, RULES_WEB_CONN_SHARE, x->net, r, err);
}

/* ---- trends and logins (src/check/memleak.c, sessions.c) --------------- */

/* Reports only in the agent, which keeps the samples between runs. */
static int
run_memory_leak(const struct check_ctx *x, struct report *r, struct err *err)
{
	return check_memory_leak(x, r, err);
}

static int
run_sessions(const struct check_ctx *x, struct report *r, struct err *err)
{
	return check_sessions(x, r, err);
}

/* ---- the table ---------------------------------------------------------- */

/* the suspicious processes: their programs and names, then their
 * sockets (every process's descriptors: root's to read) */
static const char *const suspicious_ids[] = {"proc-exe-deleted",
    "proc-exe-location", "proc-exe-writable", "proc-name-mismatch", NULL};
static const char *const suspicious_net_ids[] = {
    "proc-listener", "proc-sniffer", "net-promisc", "proc-hidden", NULL};

/*
 * What each entry reads of the snapshot (check_entry.snap): the process
 * checks pick the parts of each process they need of every process, and
 * read the others' of the few processes that need them
 * (proc_read_more); every process mask picks (collect/snap.h).
 */
#define S(sec) SNAP_BIT(SNAP_##sec)
#define PROCS(parts)                                                           \
	(SNAP_BIT(SNAP_PROC) | SNAP_PROC_ONCE | SNAP_PROC_PARTS(parts))

static const struct check_entry registry[] = {
    {"load", NULL, CHECK_FAST, CHECK_SNAPSHOT, 0, run_load, NULL,
        S(LOAD) | S(CPU)},
    {"swap-activity", NULL, CHECK_FAST, CHECK_SNAPSHOT, 0, run_swap, NULL,
        S(VM) | S(MEM)},
    {"memory", NULL, CHECK_FAST, CHECK_SNAPSHOT, 0, run_memory, NULL, S(MEM)},
    /* the user and command line of a process it names: read then */
    {"memory-leak", NULL, CHECK_FAST, CHECK_SNAPSHOT, 0, run_memory_leak,
        check_memory_leak_free, PROCS(0) | S(MEM)},
    {"fs-blocks", NULL, CHECK_MEDIUM, CHECK_SNAPSHOT, 0, run_fs_blocks, NULL,
        S(FS)},
    {"fs-inodes", NULL, CHECK_MEDIUM, CHECK_SNAPSHOT, 0, run_fs_inodes, NULL,
        S(FS)},
    {"process-count", NULL, CHECK_FAST, CHECK_SNAPSHOT, 0, run_process_count,
        NULL, PROCS(0)},
    /* also proc-coverage, UNKNOWN when processes could not be read */
    {"proc-exe-deleted", suspicious_ids, CHECK_MEDIUM, 0, 0, run_suspicious,
        NULL, PROCS(PROC_READ_ALL)},
    {"proc-listener", suspicious_net_ids, CHECK_MEDIUM, 0, 0,
        run_suspicious_net, NULL, PROCS(PROC_READ_ALL)},
    /* libcrypto loaded by it only when there is a baseline */
    {"proc-exe-changed", NULL, CHECK_SLOW, 0, 0, run_exe_changed, NULL,
        PROCS(PROC_READ_ALL)},
    /* every executable; the command line and user of the interpreters */
    {"stuck-cgi", NULL, CHECK_FAST, 0, 0, run_stuck_cgi, NULL,
        PROCS(PROC_READ_EXE)},
    /* the masters' command lines, read for them */
    {"apache-workers", NULL, CHECK_FAST, 0, 0, run_apache_workers, NULL,
        PROCS(0)},
    {"inventory", NULL, CHECK_SLOW, 0, 0, run_inventory, NULL, 0},
    {"sessions", NULL, CHECK_FAST, 0, LIB(DYNLIB_SQLITE3), run_sessions, NULL,
        0},
    {"fs-full-forecast", NULL, CHECK_MEDIUM, 0, LIB(DYNLIB_SQLITE3),
        run_fs_forecast, NULL, S(FS)},
    {"disk-errors", NULL, CHECK_DAILY, 0,
        LIB(DYNLIB_HS) | LIB(DYNLIB_PCRE2) | LIB(DYNLIB_SQLITE3) |
            LIB(DYNLIB_ZLIB),
        run_disk_errors, NULL, 0},
    {"fs-errors", NULL, CHECK_DAILY, 0, 0, run_fs_errors, NULL, S(FS)},
    {"raid", NULL, CHECK_MEDIUM, 0, 0, run_raid, NULL, 0},
    {"smart", NULL, CHECK_SLOW, 0, LIB(DYNLIB_SQLITE3), run_smart, NULL, 0},
    /* the socket table only, dumped once for those of one run */
    {"conn-flood", NULL, CHECK_FAST, 0, 0, run_conn_flood, NULL, 0},
    {"conn-flood-prefix", NULL, CHECK_FAST, 0, 0, run_conn_flood_prefix, NULL,
        0},
    {"syn-flood", NULL, CHECK_FAST, 0, 0, run_syn_flood, NULL, 0},
    /* Apache's processes by name; its master's command line read for it */
    {"web-conn-share", NULL, CHECK_FAST, 0, 0, run_web_conn_share, NULL,
        PROCS(0)},
    /* last: it reads every file it records, at a lower priority */
    {"fim", NULL, CHECK_DAILY, 0, LIB(DYNLIB_CRYPTO), run_fim, NULL, 0},
};

const char *const check_elsewhere[] = {
    "mail-relay-probe", /* sakimori mail report|follow */
    "mail-enumeration", "mail-outside-domains", "mail-volume",
    "mail-null-sender", "mail-deferred", "mail-processes",
    "web-attack", /* sakimori logs attacks|scan|follow */
    "web-login-burst", "web-404-scan", "web-request-flood",
    "auth-brute-force", /* sakimori logs scan|follow --analyzers auth */
    "auth-user-enumeration", "auth-distributed", "auth-success-after-failures",
    /* event-driven, not scheduled: the agent's inotify on the web roots
     * (fim/watch.h) reports them as files change */
    "web-new-executable", "web-page-changed", NULL};

const struct check_entry *
check_registry(size_t *n)
{
	*n = countof(registry);
	return registry;
}
