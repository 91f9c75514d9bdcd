/*
 * snap.h - one snapshot of the whole machine for status and check: the
 * levels (load, memory, swap, filesystems, users) once, and the counters
 * behind the rates (CPU, swapping, disk I/O, per-process CPU) twice,
 * interval seconds apart.  With interval 0 there is one sample and the
 * rates are averages since boot (as the first line of vmstat and
 * iostat); per-process CPU is then the average over each process's life
 * (as ps).
 *
 * A section that cannot be read is not an error of the snapshot: its bit
 * stays clear in have and err[section] says why.
 */
#ifndef COLLECT_SNAP_H
#define COLLECT_SNAP_H

#include <time.h>

#include "collect/cpu.h"
#include "collect/diskstats.h"
#include "collect/loadavg.h"
#include "collect/meminfo.h"
#include "collect/mounts.h"
#include "collect/passwd.h"
#include "collect/proc.h"
#include "collect/swaps.h"
#include "collect/utmp.h"
#include "collect/vmstat.h"

enum snap_section {
	SNAP_LOAD,  /* loadavg and uptime */
	SNAP_CPU,   /* /proc/stat */
	SNAP_MEM,   /* meminfo and swaps */
	SNAP_VM,    /* vmstat: swapping and paging */
	SNAP_FS,    /* mounts and statvfs */
	SNAP_DISK,  /* diskstats */
	SNAP_PROC,  /* processes */
	SNAP_USERS, /* utmp */
	SNAP_NSECTIONS,
};

#define SNAP_BIT(s) (1u << (s))
#define SNAP_ALL ((1u << SNAP_NSECTIONS) - 1)
/* With SNAP_PROC: read processes once (no per-process CPU sample). */
#define SNAP_PROC_ONCE (1u << 30)
/*
 * With SNAP_PROC: read of each process its stat and only the parts
 * SNAP_PROC_PARTS names (PROC_READ_* of collect/proc.h); without it,
 * every part.  A check that needs a part of a few processes only reads it
 * for them (proc_read_more).  Masks OR-ed together must all pick (the
 * check registry's do), or the union would read less than one asked.
 */
#define SNAP_PROC_PICK (1u << 29)
#define SNAP_PROC_PARTS_SHIFT 24
#define SNAP_PROC_PARTS(what)                                                  \
	(SNAP_PROC_PICK | ((unsigned)(what) << SNAP_PROC_PARTS_SHIFT))

struct snap {
	unsigned want, have; /* SNAP_BIT masks */
	char err[SNAP_NSECTIONS][256];
	double interval; /* seconds between the samples; 0: since boot */
	time_t now;      /* wall clock of the (second) sample */
	long ncpu;       /* online CPUs (lines in /proc/stat) */
	struct loadavg load;
	struct uptime up;
	struct cpu_stat cpu0, cpu1; /* cpu0 unused with interval 0 */
	struct meminfo mem;
	struct mem_summary memsum;
	struct swaps swaps;
	struct vmstat vm0, vm1;
	struct mounts mounts;
	struct diskstats disk0, disk1;
	struct proc_table proc0, proc1;
	struct sessions users;
	struct uid_names names;
	/* derived rates over the interval (or since boot) */
	double swapin_s, swapout_s; /* pages per second */
	double pgin_kb_s, pgout_kb_s;
	double intr_s, ctxt_s;
};

/*
 * Takes a snapshot of the sections in want (SNAP_BIT mask) below root;
 * fs_all keeps pseudo and duplicate filesystems.  Always returns 0; see
 * have and err.  Release with snap_release.
 */
int snap_take(struct snap *s, const char *root, unsigned want, double interval,
    int fs_all);
void snap_release(struct snap *s);
/* The parts of each process (PROC_READ_*) a want mask reads. */
unsigned snap_proc_parts(unsigned want);
/*
 * For a caller that samples periodically (the agent): s was taken with
 * interval 0, before is the VM counters of an earlier snapshot taken
 * secs ago.  The swapping and paging rates become those over secs, and
 * so does s->interval (the other rates stay since boot; nothing that
 * reads a periodic snapshot uses them).
 */
void snap_vm_since(struct snap *s, const struct vmstat *before, double secs);
/* CPU usage over the snapshot: id -1 the total, else that CPU; 0 or -1. */
int snap_cpu(const struct snap *s, int id, struct cpu_usage *out);
/* Disk rates for device i of disk1; 0 or -1 (no sample). */
int snap_disk(const struct snap *s, size_t i, struct disk_rates *out);

#endif
