/*
 * proc.h - the process table, read from /proc/PID like ps and top, never
 * by running them.
 *
 * Contract for users of the table (status, check, ps/top, the agent):
 *  - proc_table_read() lists ROOT/proc, reads each PID's stat (required),
 *    status (uids), cmdline and exe (optional, see PROC_READ_*), and
 *    returns the processes sorted by pid.  It fails only when ROOT/proc
 *    cannot be listed.
 *  - A PID that disappears while it is read is skipped and counted in
 *    t->vanished; one whose files are unreadable (hidepid, another user's
 *    process) is skipped and counted in t->unreadable when its stat cannot
 *    be read, and kept without the missing fields otherwise; a stat that
 *    does not parse is counted in t->malformed.  None of these is an error.
 *    (With hidepid=2, "invisible", other users' PIDs are not even listed,
 *    so they cannot be counted; hidepid=1 lists them, and they count as
 *    unreadable.)
 *  - CPU%: proc_table_cpu(now, before) computes each process's share of
 *    one CPU between two tables (take one, wait, take another); a process
 *    is matched by pid and start time, so a reused pid is a new process.
 *    Without an earlier table (before NULL) it is the average over the
 *    process's life, as ps(1) shows.
 *  - proc_table_find() looks a pid up (binary search); ppid gives the tree.
 *  - Strings are raw bytes from the process (untrusted): escape them
 *    before printing (esc_text, table, jstr).
 */
#ifndef COLLECT_PROC_H
#define COLLECT_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "collect/passwd.h"

struct err;

#define PROC_MAX 262144 /* processes kept; more are counted in t->dropped */
#define PROC_COMM_MAX 64
#define PROC_CMD_MAX 512 /* argv joined by spaces, cut (PROC_F_CMD_CUT) */
#define PROC_EXE_MAX 256

/* struct proc.flags: which optional fields are known */
#define PROC_F_STATUS 0x001u      /* uids and gids from status */
#define PROC_F_CMDLINE 0x002u     /* cmdline was read (may be empty) */
#define PROC_F_CMD_CUT 0x004u     /* cmdline longer than PROC_CMD_MAX */
#define PROC_F_EXE 0x008u         /* exe was read */
#define PROC_F_EXE_DELETED 0x010u /* the executable was deleted */
#define PROC_F_KTHREAD 0x020u     /* kernel thread (PF_KTHREAD in stat) */
#define PROC_F_MEM 0x040u         /* vsz_kb and rss_kb (stat fields 23-24) */
#define PROC_F_CPU_SAMPLED 0x080u /* cpu_pct over a sample, not lifetime */
#define PROC_F_EXE_DENIED 0x100u  /* exe not ours to read (EACCES, EPERM) */
#define PROC_F_SIGIGN 0x200u      /* sigign from status */

struct proc {
	int pid, ppid, pgrp, session;
	char state; /* R S D Z T t X I ... */
	unsigned flags;
	uint32_t uid, euid, gid; /* euid is what ps shows as USER */
	uint64_t sigign;         /* signals ignored (status SigIgn, bit n-1) */
	char user[33];           /* name of euid, or its number */
	char comm[PROC_COMM_MAX];
	char cmdline[PROC_CMD_MAX]; /* "" when unknown or a kernel thread */
	size_t argv0_len;           /* bytes of argv[0] in cmdline; 0 unknown */
	char exe[PROC_EXE_MAX];     /* "" when unknown */
	uint64_t tty_nr;
	int64_t priority, nice;
	uint64_t nthreads;
	uint64_t utime, stime; /* clock ticks */
	uint64_t start_ticks;  /* clock ticks after boot */
	uint64_t vsz_kb, rss_kb;
	double start_time; /* seconds since the epoch; 0 when unknown */
	double run_secs;   /* since it started */
	double cpu_secs;   /* user + system */
	double cpu_pct;    /* percent of one CPU (see proc_table_cpu) */
};

/* What proc_table_read reads besides stat. */
#define PROC_READ_STATUS 0x1u  /* real, effective uid and gid */
#define PROC_READ_CMDLINE 0x2u /* the command line */
#define PROC_READ_EXE 0x4u     /* the executable's path */
#define PROC_READ_USER 0x8u    /* user names (implies STATUS) */
#define PROC_READ_ALL 0xfu

struct proc_table {
	struct proc *p; /* sorted by pid */
	size_t n, cap;
	unsigned listed;     /* numeric entries in ROOT/proc */
	unsigned vanished;   /* gone while read */
	unsigned unreadable; /* stat not readable (EACCES, EPERM: hidepid) */
	unsigned malformed;  /* stat did not parse */
	unsigned dropped;    /* past PROC_MAX */
	double mono;         /* CLOCK_MONOTONIC when read */
	double uptime;       /* seconds since boot when read; 0 unknown */
	uint64_t btime;      /* boot time, epoch seconds; 0 unknown */
	long hz;             /* clock ticks per second */
	long page_kb;
	unsigned what; /* the parts read besides stat (PROC_READ_*) */
};

/*
 * Parses /proc/PID/stat ("pid (comm) state ppid ..."): fills pid, comm,
 * state, ppid, pgrp, session, tty_nr, utime, stime, priority, nice,
 * nthreads, start_ticks and, when present, vsz_kb and rss_kb (pages of
 * page_kb); sets PROC_F_KTHREAD when the kernel's task flags (field 9)
 * hold PF_KTHREAD, which no user process can set.  Fields past starttime are optional (older kernels).  The
 * comm may hold spaces and parentheses: the last ')' ends it.  0, or -1
 * with err.
 */
int proc_stat_parse(
    const char *s, size_t n, long page_kb, struct proc *p, struct err *err);
/*
 * Parses /proc/PID/status for Uid and Gid (real, effective); sets
 * PROC_F_STATUS when both are found, and PROC_F_SIGIGN with the SigIgn
 * mask.  Unknown or missing lines are fine.
 * Returns 0, or -1 when no Uid line was found.
 */
int proc_status_parse(const char *s, size_t n, struct proc *p);
/*
 * Joins the NUL-separated argv of /proc/PID/cmdline with spaces into
 * p->cmdline (cut at PROC_CMD_MAX, PROC_F_CMD_CUT) and notes argv[0]'s
 * length in p->argv0_len; sets PROC_F_CMDLINE.
 */
void proc_cmdline_parse(const char *s, size_t n, struct proc *p);

/*
 * Takes n bytes of /proc/PID/exe's link (as readlink gives it, with the
 * kernel's " (deleted)" suffix) into p: exe, PROC_F_EXE, and
 * PROC_F_EXE_DELETED for the suffix; PROC_F_EXE_DENIED cleared.  The
 * agent's child gets the links it may not read from its parent.
 */
void proc_exe_take(struct proc *p, const char *link, size_t n);
/*
 * The start time of pid (clock ticks after boot, stat field 22) from
 * ROOT/proc/PID/stat.  0, or -1 (gone, unreadable, malformed).
 */
int proc_start_read(const char *root, int pid, uint64_t *start_ticks);

/* Empty table; read fills it, release frees it. */
void proc_table_init(struct proc_table *t);
/*
 * Reads every process under ROOT/proc (see the contract above); what is
 * a mask of PROC_READ_*; names resolves user names (may be NULL: numbers).
 * Replaces t's contents.  0, or -1 with err when ROOT/proc cannot be read.
 */
int proc_table_read(struct proc_table *t, const char *root, unsigned what,
    struct uid_names *names, struct err *err);
void proc_table_release(struct proc_table *t);
/*
 * For a check that needs a part of a few processes only (the table was
 * read without it, t->what): reads into p, a copy of one of t's
 * processes, the parts of what (PROC_READ_*) the table's read left out;
 * with PROC_READ_USER, p->user from names (may be NULL: its number).
 * 0, or -1 when the process is gone or its pid is another process's now
 * (then p may hold some of the other's parts: not to be used).
 */
int proc_read_more(const char *root, const struct proc_table *t, struct proc *p,
    unsigned what, struct uid_names *names);
/* The process pid, or NULL. */
const struct proc *proc_table_find(const struct proc_table *t, int pid);
/* Sets cpu_pct in now from before (NULL: lifetime average). */
void proc_table_cpu(struct proc_table *now, const struct proc_table *before);
/*
 * The k busiest processes by cpu_pct (then RSS) into out (at most k);
 * returns how many.  The pointers point into t.
 */
size_t proc_table_top(
    const struct proc_table *t, size_t k, const struct proc **out);
/* The name a process is known by: its command name (comm). */
const char *proc_name(const struct proc *p);

#endif
