/*
 * cpu.h - CPU time from /proc/stat: the total and each CPU, plus the
 * system counters on the same page (context switches, interrupts, boot
 * time, processes).  Rates and percentages come from the difference of
 * two samples (cpu_usage); with no earlier sample, from the counters
 * since boot.
 */
#ifndef COLLECT_CPU_H
#define COLLECT_CPU_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* The columns of a "cpu" line, in the kernel's order. */
enum cpu_field {
	CPU_USER,
	CPU_NICE,
	CPU_SYSTEM,
	CPU_IDLE,
	CPU_IOWAIT,     /* Linux 2.5.41 */
	CPU_IRQ,        /* 2.6.0 */
	CPU_SOFTIRQ,    /* 2.6.0 */
	CPU_STEAL,      /* 2.6.11 */
	CPU_GUEST,      /* 2.6.24; already counted in user */
	CPU_GUEST_NICE, /* 2.6.33; already counted in nice */
	CPU_NFIELDS,
};

#define CPU_MAX 8192 /* CPU lines kept; more are counted in skipped */

struct cpu_times {
	int id; /* CPU number, -1 for the total line */
	unsigned
	    nfields; /* columns present (older kernels have fewer); absent ones are 0 */
	uint64_t t[CPU_NFIELDS]; /* in USER_HZ ticks */
};

/* Which optional counters were present. */
#define CPUSTAT_CTXT 0x01u
#define CPUSTAT_INTR 0x02u
#define CPUSTAT_BTIME 0x04u
#define CPUSTAT_PROCS 0x08u /* processes, procs_running, procs_blocked */

struct cpu_stat {
	struct cpu_times total;
	struct cpu_times *cpu; /* each "cpuN" line in order (malloc'd) */
	size_t ncpu;
	uint64_t ctxt, intr, btime, processes, procs_running, procs_blocked;
	unsigned have;    /* CPUSTAT_* */
	unsigned skipped; /* malformed lines (and CPUs past CPU_MAX) */
	unsigned
	    first_bad; /* line number of the first malformed line, 0 if none */
};

/* What vmstat and top show, in percent of the CPU time of the interval. */
struct cpu_usage {
	double user;   /* user + nice, guest included (vmstat "us") */
	double system; /* system + irq + softirq (vmstat "sy") */
	double idle;
	double iowait;
	double steal;
	double nice;  /* part of user */
	double irq;   /* irq + softirq, part of system */
	double ticks; /* ticks in the interval (all columns); 0 = no data */
};

/*
 * Parses the text of /proc/stat into out (which the caller releases with
 * cpustat_release even on error).  A "cpu" total line is required.
 * Malformed lines are counted in out->skipped.  0, or -1 with err.
 */
int cpustat_parse(
    const char *s, size_t n, struct cpu_stat *out, struct err *err);
int cpustat_read(const char *root, struct cpu_stat *out, struct err *err);
void cpustat_release(struct cpu_stat *st);

/*
 * The usage between two samples of one CPU line (before may be NULL: the
 * usage since boot).  A counter that went backwards (CPU hot-plug) counts
 * as 0.
 */
void cpu_usage(const struct cpu_times *before, const struct cpu_times *now,
    struct cpu_usage *out);
/* The CPU line with id in st, or NULL. */
const struct cpu_times *cpustat_find(const struct cpu_stat *st, int id);

#endif
