/*
 * procrules.h - the process checks: suspicious processes, stuck
 * interpreters and CGI with the optional kill action, and the Apache
 * process count against the configured limit.
 *
 * Each reads a process table (collect/proc.h, read with PROC_READ_ALL)
 * and the configuration, and adds findings to a report.  check ids:
 *   proc-exe-deleted   executable deleted (CRITICAL) or replaced (WARNING)
 *   proc-exe-location  executable under /tmp, /var/tmp or /dev/shm
 *   proc-exe-writable  executable or its directory writable by everyone
 *   proc-name-mismatch command name not the executable's or argv[0]'s
 *   proc-listener      listening socket of a program not on the allow list
 *                      (built in: well-known daemons by executable path)
 *   proc-sniffer       raw or packet socket of a program not on the list
 *   net-promisc        interface in promiscuous mode (not a bridge port)
 *   proc-hidden        PID that answers but is missing from /proc's list
 *   proc-exe-changed   running program that the integrity baseline records
 *                      otherwise (fim check's classes, dpkg explaining)
 *   proc-coverage      processes the checks could not inspect (UNKNOWN:
 *                      their /proc entries were refused, not root)
 *   stuck-cgi          interpreter of the web server running too long or
 *                      too hot
 *   apache-workers     Apache children against MaxRequestWorkers
 */
#ifndef RULES_PROCRULES_H
#define RULES_PROCRULES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct act_ops;
struct conf;
struct err;
struct fim_baseline;
struct finding;
struct proc;
struct proc_table;
struct procrules_stop;

/* What stat(2) says of an executable (its path without the kernel's
 * " (deleted)") and of its directory. */
struct exe_facts {
	int exists;      /* the path exists now */
	mode_t mode;     /* its mode when it exists */
	int dir_known;   /* the directory could be stat'ed */
	mode_t dir_mode; /* the directory's mode */
};

/*
 * What only root may read or do for the process checks, done by another
 * process: the agent's unprivileged child asks its root parent.
 */
struct procrules_priv {
	/* p's working directory into dst (terminated): 0, or -1 */
	int (*cwd)(void *arg, const struct proc *p, char *dst, size_t sz);
	/* as procrules_stuck_stop */
	int (*stop)(void *arg, const struct procrules_stop *s,
	    struct finding *f, int *how, struct err *err);
	/*
	 * The facts of the executables of n processes p[i] into *fx[i]:
	 * those that stat(2) refused here (another user's directory).  An
	 * answer that cannot be had for a process leaves its *fx[i] as it
	 * is.  0, or -1 (nothing can be asked: the checks are not judged).
	 */
	int (*exe_facts)(void *arg, const struct proc *const *p,
	    struct exe_facts *const *fx, size_t n);
	void *arg;
};
struct report;

struct procrules_opts {
	const char *root;          /* prefix for /proc, /sys, /etc readers */
	const char *state_dir;     /* for the audit log of kills */
	int kill;                  /* --kill: act on stuck-cgi findings */
	const struct act_ops *act; /* kill and mail (act/act.h); NULL: none */
	int no_hidden;             /* skip the hidden-process scan */
	double interval; /* seconds the CPU sample spans; 0: lifetime */
	/* what root reads and does, asked of another process; NULL: here */
	const struct procrules_priv *priv;
};

/* A stuck interpreter to stop, as stuck-cgi judged it. */
struct procrules_stop {
	int pid;
	uint64_t start_ticks; /* it must still have started then */
	const char *comm, *user;
	const char *script; /* absolute, or "" when none */
	const char *why;
};

/* Suspicious processes, sockets and interfaces: the two below. */
void procrules_suspicious(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r);
/*
 * The processes' executables and names (proc-exe-deleted,
 * proc-exe-location, proc-exe-writable, proc-name-mismatch), from the
 * process table and stat(2) of each executable and its directory (what
 * this process may not stat, asked through o->priv when it is set).
 */
void procrules_suspicious_procs(const struct conf *c,
    const struct proc_table *t, const struct procrules_opts *o,
    struct report *r);
/*
 * Their sockets and interfaces (proc-listener, proc-sniffer,
 * net-promisc) and hidden pids (proc-hidden): needs every process's
 * descriptors.  Each part counts in one proc-coverage finding of r the
 * processes it could not inspect (the second adds to the first's).
 */
void procrules_suspicious_net(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r);
/* Stuck interpreters / CGI; kills them through o->act when o->kill or
 * "kill yes". */
void procrules_stuck(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r);
/*
 * Stops s as stuck-cgi's kill action does (o->act, o->state_dir, the
 * "grace" and "mail" of c's stuck-cgi block): no kill that could not be
 * audited, SIGTERM then SIGKILL through o->act->kill (same pid and start
 * time), the audit entry, and the owner of the script mailed.  Adds the
 * evidence (action, audit, mail) to f (may be NULL); *how gets the
 * enum kill_result.  0, or -1 with err (not stopped, or not audited).
 */
int procrules_stuck_stop(const struct conf *c, const struct procrules_opts *o,
    const struct procrules_stop *s, struct finding *f, int *how,
    struct err *err);
/*
 * Whether a stop asked by another process (the agent's child) may be
 * made, by c alone: stuck-cgi enabled with "kill yes", and exe (the
 * process's executable as its link reads, " (deleted)" or not) one of
 * the check's interpreters.  0, or -1 with err saying why not.
 */
int procrules_stuck_may_stop(
    const struct conf *c, int pid, const char *exe, struct err *err);
/* Apache worker processes against each instance's configured limit. */
void procrules_apache(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r);
/*
 * Running programs against a verified baseline b: each executable b
 * records whose file now differs as fim check reports it, unexplained by
 * dpkg, is a finding naming the process.  root: where dpkg's records are
 * (NULL for /).  0, or -1 with err.
 */
int procrules_exe_changed(const struct conf *c, const struct proc_table *t,
    const struct fim_baseline *b, const char *root, struct report *r,
    struct err *err);
/* The same against the baseline of "check fim" in o->state_dir, when one
 * exists (a refused one is an UNKNOWN finding). */
void procrules_integrity(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r);

/* 1 if name (a command or executable base name) matches one of the
 * fnmatch patterns in the NULL-terminated list. */
int procrules_match(const char *name, const char *const *pats);

#endif
