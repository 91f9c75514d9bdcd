/*
 * hidden.h - hidden processes, found the way unhide(8) finds them but
 * without forking: every PID up to pid_max is asked directly (kill(pid,
 * 0); with thorough, also getpriority and sched_getscheduler) and the
 * live ones are compared with the /proc directory listing, which is what
 * ps(1) and top(1) read and what a rootkit edits.  A live PID missing from
 * the listing is checked again after a second listing, so a process that
 * started or ended during the scan is not reported, and threads (whose
 * TIDs answer kill but are not listed) are told apart by their Tgid.
 *
 * As root on a recent kernel the sweep runs inside the kernel (pid_bpf.h):
 * a BPF program asks the kernel's PID table for every PID, about 40 ms for
 * 4,194,304 PIDs.  Elsewhere it costs one system call per PID that is not
 * listed, split over a thread per CPU.  Two cheap cross-checks read other kernel tables that
 * name PIDs and that a rootkit filtering the /proc listing leaves alone:
 * /proc/PID/task/TID/children of every listed process (a hidden child of
 * a visible parent) and the cgroup.procs files of the cgroup hierarchy
 * (every process is in one cgroup).  They take milliseconds whatever
 * pid_max is; with sweep off they are all that runs.
 */
#ifndef COLLECT_HIDDEN_H
#define COLLECT_HIDDEN_H

#include <stddef.h>
#include <stdint.h>

struct err;

/*
 * Fills bits (one per PID, pid_max bits, zeroed by the caller) with the
 * PIDs a listing shows.  0, or -1 with err.
 */
typedef int hidden_list_fn(
    void *ctx, uint8_t *bits, int pid_max, struct err *err);

/* The default listing: the numeric entries of /proc (readdir). */
int hidden_list_proc(void *ctx, uint8_t *bits, int pid_max, struct err *err);

struct hidden_opts {
	int pid_max;     /* 0: /proc/sys/kernel/pid_max */
	int thorough;    /* also getpriority and sched_getscheduler */
	int no_sweep;    /* only the cross-checks, no brute force */
	int no_bpf;      /* the system-call sweep, never the kernel's */
	int need_bpf;    /* the kernel's sweep or an error, no fallback */
	int no_children; /* skip the children cross-check */
	int no_cgroups;  /* skip the cgroup.procs cross-check */
	int threads;     /* sweep threads; 0: one per CPU */
	const char *cgroup_dir; /* NULL: the cgroup mount in mountinfo */
	hidden_list_fn *list;   /* NULL: hidden_list_proc */
	void *list_ctx;
};

#define HIDDEN_BY_KILL 0x1      /* kill(pid, 0) answered (0 or EPERM) */
#define HIDDEN_BY_PRIO 0x2      /* getpriority(PRIO_PROCESS, pid) answered */
#define HIDDEN_BY_SCHED 0x4     /* sched_getscheduler(pid) answered */
#define HIDDEN_BY_PROC 0x8      /* /proc/PID could be opened directly */
#define HIDDEN_BY_CHILDREN 0x10 /* a listed parent's children file */
#define HIDDEN_BY_CGROUP 0x20   /* a cgroup.procs file */
#define HIDDEN_BY_KERNEL 0x40   /* the kernel's PID table, read by BPF */

struct hidden_pid {
	int pid;
	unsigned how;  /* HIDDEN_BY_* */
	uint32_t uid;  /* from /proc/PID/status; UINT32_MAX unknown */
	char comm[32]; /* raw; "" when /proc/PID is not readable */
	char exe[256]; /* readlink /proc/PID/exe, raw; "" unknown */
};

struct hidden_result {
	struct hidden_pid *v;
	size_t n;
	int pid_max;
	unsigned listed;   /* PIDs in the listing */
	unsigned alive;    /* PIDs that answered */
	unsigned threads;  /* thread IDs of listed processes (not probed), and
			   candidates that turned out to be threads */
	unsigned raced;    /* not listed at first, then listed or gone */
	unsigned children; /* child PIDs read from children files */
	unsigned cgroups;  /* cgroup.procs files read */
	int nthreads;      /* sweep threads used */
	int kernel_sweep;  /* the sweep ran inside the kernel (pid_bpf.h) */
	char why_not_kernel[160]; /* else why not ("" when not tried) */
	int hidepid; /* /proc is mounted hidepid>0 and we are not root */
};

/*
 * Scans PIDs 1..pid_max-1.  0 (r filled; release it), or -1 with err.
 * The environment's SAKIMORI_HIDDEN_BPF=0 sets no_bpf, =1 need_bpf.
 * When r->hidepid is set the answer is meaningless (others' processes are
 * missing from the listing by design) and r->n is 0.
 */
int hidden_scan(
    const struct hidden_opts *o, struct hidden_result *r, struct err *err);
void hidden_result_release(struct hidden_result *r);

/* 1 if the proc mount at root's /proc has hidepid other than 0/off. */
int hidden_proc_hidepid(const char *mountinfo, size_t len);

#endif
