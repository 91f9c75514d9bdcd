/*
 * procrules_int.h - what the process checks' files share, and their pure
 * verdicts (a process record and facts in, a verdict out; no system
 * calls), which tests/unit/test_procrules.c feeds fixture records.
 */
#ifndef RULES_PROCRULES_INT_H
#define RULES_PROCRULES_INT_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "rules/procrules.h"

struct conf;
struct proc;
struct proc_table;

/*
 * Allow lists.  A built-in entry that starts with '/' is a pattern for the
 * executable's path (fnmatch, FNM_PATHNAME; /bin, /sbin and /lib paths
 * are matched as /usr/bin, /usr/sbin, /usr/lib); any other is a pattern
 * for the command name.  The check's "allow" values: a path pattern
 * ('/...') for the executable, a number for the port (proc-listener), or
 * a pattern for the command name or the executable's base name.  exe and
 * port may be NULL.  1 if allowed.
 */
int procrules_allowed(const struct conf *c, const char *check, const char *comm,
    const char *exe, const char *port, const char *const *builtin);
/* The built-in matching alone (no configuration). */
int procrules_builtin_allowed(
    const char *const *builtin, const char *comm, const char *exe);
/* The last component of path. */
const char *procrules_base(const char *path);
/* The check is not disabled in the configuration. */
int procrules_enabled(const struct conf *c, const char *check);
/* The executable's path without the kernel's " (deleted)" suffix. */
void procrules_exe_path(const char *exe, char *dst, size_t sz);

/* Built-in allow lists (NULL-terminated). */
extern const char *const procrules_listen_allow[];
extern const char *const procrules_sniff_allow[];
extern const char *const procrules_memfd_allow[];
extern const char *const procrules_name_allow[];

#define SUSP_EXE_TMP 0x01u      /* under /tmp, /var/tmp or /dev/shm */
#define SUSP_EXE_MEMFD 0x02u    /* an anonymous memory file (memfd) */
#define SUSP_EXE_DELETED 0x04u  /* deleted, nothing at the path now */
#define SUSP_EXE_REPLACED 0x08u /* deleted, another file has the path */
#define SUSP_EXE_WORLD 0x10u    /* the file is writable by everyone */
#define SUSP_EXE_DIR 0x20u      /* its directory is, without the sticky bit */

/*
 * The executable verdict: SUSP_EXE_* bits for exe (as readlink gives it,
 * with " (deleted)") and the process's PROC_F_* flags.  fx may be NULL
 * (nothing known: no WORLD/DIR bits, a deleted one counts as deleted).
 */
unsigned procrules_exe_verdict(
    const char *exe, unsigned pflags, const struct exe_facts *fx);

enum name_verdict {
	NAME_OK,       /* the name is the program's, or not known */
	NAME_MISMATCH, /* the command name is not the program's */
	NAME_KTHREAD,  /* a user process named like a kernel thread */
};

/*
 * The command-name verdict for one process record: comm against the
 * executable's base name, argv[0], the script an interpreter runs, and a
 * title the process set itself (command line starting with comm).
 */
enum name_verdict procrules_name_verdict(const struct proc *p);
/* 1 if name looks like a kernel thread's (kworker/0:1, ksoftirqd/1 ...). */
int procrules_kthread_name(const char *name);
/* 1 if p's argv[0] is in brackets as ps shows kernel threads
 * ("[kworker/0:1]"), with or without arguments after it. */
int procrules_kthread_argv0(const struct proc *p);

/* Parameters of the stuck-CGI rule, from the configuration. */
struct stuck_params {
	const char *const *interpreters;  /* executable base-name patterns */
	const char *const *servers;       /* web-server ancestors (comm) */
	const char *const *users;         /* web-server users */
	const char (*cgi_dirs)[PATH_MAX]; /* CGI directories */
	size_t ncgi_dirs;
	double warn, crit;  /* run time, seconds; NAN: none */
	double cpu;         /* percent of one CPU; <= 0: none */
	double cpu_min_run; /* the CPU limit applies after this many seconds */
};

enum stuck_via {
	STUCK_NOT, /* not the web server's interpreter */
	STUCK_CGI_DIR,
	STUCK_SERVER,
	STUCK_USER,
};

struct stuck_verdict {
	int sev; /* enum sev: SEV_OK when nothing to report */
	enum stuck_via via;
	int server_pid; /* the web-server ancestor, or 0 */
	char why[256];
};

/* The built-in lists of the stuck-CGI rule. */
extern const char *const procrules_interp_default[];
extern const char *const procrules_servers_default[];
extern const char *const procrules_users_default[];

/*
 * The script an interpreter runs: the first argument of the command line
 * that is not an option.  0, or -1 when there is none ("-e CODE", "-c").
 */
int procrules_script_of(const char *cmdline, char *dst, size_t sz);
/*
 * The stuck-CGI verdict for p (a table entry: ancestors are looked up in
 * t) whose script (absolute, "" when none) is given.  Returns the
 * severity (SEV_OK: not reported) and fills v.
 */
int procrules_stuck_verdict(const struct proc *p, const struct proc_table *t,
    const char *script, const struct stuck_params *sp, struct stuck_verdict *v);
/*
 * How many times stuck-cgi has read an Apache configuration for its CGI
 * directories (it keeps them while the files are unchanged).
 */
unsigned procrules_stuck_conf_reads(void);

#endif
