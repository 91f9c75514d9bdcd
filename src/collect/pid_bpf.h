/*
 * pid_bpf.h - the brute-force PID sweep of the hidden-process scan, done
 * inside the kernel: a small BPF program (BPF_PROG_TYPE_SYSCALL, on a
 * recent kernel; older ones refuse it) counts through a range of
 * PIDs with the open-coded number iterator and asks the kernel's PID table
 * for each one
 * (bpf_task_from_pid: the lookup that kill(2) makes), marking in a shared
 * bitmap the PIDs whose task leads its thread group.
 *
 * It asks what the system-call sweep asks (does this PID exist?), of the
 * same table, without a system call per PID: 4,194,304 PIDs take about 40
 * ms instead of seconds.  A rootkit that filters the /proc listing, or
 * the kill and getpriority system calls, does not see it.
 *
 * The program is written here as instructions (no compiler, no libbpf);
 * the kernel functions are found by name and the offsets of task_struct's
 * pid and tgid read from the kernel's BTF, and the verifier checks every
 * load against the same BTF.  Root only; the caller falls back to the
 * system-call sweep when the kernel says no.
 */
#ifndef COLLECT_PID_BPF_H
#define COLLECT_PID_BPF_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct bpf_insn;

/* What the program needs from this kernel's BTF. */
struct pid_bpf_layout {
	/* BTF ids of the kernel functions it calls */
	uint32_t from_pid, release, num_new, num_next, num_destroy;
	uint16_t task_pid, task_tgid; /* offsets in struct task_struct */
};

/*
 * The layout from the BTF of len bytes at btf.  0; 1 when a function or
 * member is missing or not of the size the program reads (err says which:
 * the program cannot be used); -1 when the data is malformed.
 */
int pid_bpf_layout(
    const void *btf, size_t len, struct pid_bpf_layout *l, struct err *err);

/*
 * The shared map's one value: a header, then one bit per PID.  The header
 * carries the range to sweep in, and out the caller's own PID as the
 * kernel knows it (a process in a PID namespace of its own sees others)
 * and how many leaders were marked.
 */
#define PID_BPF_LO 0     /* u32: the first PID */
#define PID_BPF_HI 4     /* u32: one past the last */
#define PID_BPF_SELF 8   /* u32: the caller's tgid in the initial namespace */
#define PID_BPF_COUNT 12 /* u32: leaders marked, added to */
#define PID_BPF_BITS 16  /* the bitmap */

/* Instructions in the program at most. */
#define PID_BPF_INSNS 64

/*
 * The program for a map (map_fd) whose bitmap holds nbits PIDs, into prog
 * (PID_BPF_INSNS at least).  Returns the instruction count.
 */
size_t pid_bpf_program(const struct pid_bpf_layout *l, int map_fd,
    uint32_t nbits, struct bpf_insn *prog);

struct pid_bpf {
	int prog, map;
	uint8_t *m; /* the map's value, shared with the kernel */
	size_t mlen;
	int pid_max;
};

/*
 * Loads the program for PIDs below pid_max and checks, on the caller's
 * own PID, that the kernel's PIDs are the ones /proc shows.  0, or -1
 * with err when it cannot be used here (not root, no BTF, an older
 * kernel, another PID namespace).
 */
int pid_bpf_open(struct pid_bpf *pb, int pid_max, struct err *err);

/*
 * Clears the bits of lo..hi-1, then marks those whose PID is a thread
 * group leader in the kernel's table.  The number marked, or -1 with err.
 */
long pid_bpf_sweep(struct pid_bpf *pb, int lo, int hi, struct err *err);

/* 1 if pid was marked by the last sweep that covered it. */
int pid_bpf_marked(const struct pid_bpf *pb, int pid);

void pid_bpf_close(struct pid_bpf *pb);

#endif
