/*
 * snap.c - one snapshot of the machine (see snap.h).
 */
#include "collect/snap.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/timeutil.h"

static void
fail(struct snap *s, enum snap_section sec, const struct err *err)
{
	str_copy(s->err[sec], sizeof(s->err[sec]), err->msg);
}

static int
want(const struct snap *s, enum snap_section sec)
{
	return (s->want & SNAP_BIT(sec)) != 0;
}

unsigned
snap_proc_parts(unsigned wantmask)
{
	if (!(wantmask & SNAP_PROC_PICK))
		return PROC_READ_ALL;
	return (wantmask >> SNAP_PROC_PARTS_SHIFT) & PROC_READ_ALL;
}

/* The counters behind rates: first or second sample. */
static void
sample_counters(struct snap *s, const char *root, int second)
{
	struct err err = {0};

	if (want(s, SNAP_CPU)) {
		struct cpu_stat *c = second ? &s->cpu1 : &s->cpu0;

		if (cpustat_read(root, c, &err) == -1) {
			fail(s, SNAP_CPU, &err);
			s->want &= ~SNAP_BIT(SNAP_CPU);
		}
	}
	if (want(s, SNAP_VM)) {
		if (vmstat_read(root, second ? &s->vm1 : &s->vm0, &err) == -1) {
			fail(s, SNAP_VM, &err);
			s->want &= ~SNAP_BIT(SNAP_VM);
		}
	}
	if (want(s, SNAP_DISK)) {
		struct diskstats *d = second ? &s->disk1 : &s->disk0;

		if (diskstats_read(root, d, &err) == -1) {
			fail(s, SNAP_DISK, &err);
			s->want &= ~SNAP_BIT(SNAP_DISK);
		}
	}
	if (want(s, SNAP_PROC) && (second || !(s->want & SNAP_PROC_ONCE))) {
		struct proc_table *t = second ? &s->proc1 : &s->proc0;
		/* The first sample only needs the CPU times. */
		unsigned what = second ? snap_proc_parts(s->want) : 0;

		if (proc_table_read(t, root, what, &s->names, &err) == -1) {
			fail(s, SNAP_PROC, &err);
			s->want &= ~SNAP_BIT(SNAP_PROC);
		}
	}
}

static double
rate(uint64_t a, uint64_t b, double secs)
{
	return secs > 0 && b > a ? (double)(b - a) / secs : 0;
}

/* Swapping and paging rates from vm0 to vm1 over secs. */
static void
vm_rates(struct snap *s, double secs)
{
	s->swapin_s = rate(s->vm0.pswpin, s->vm1.pswpin, secs);
	s->swapout_s = rate(s->vm0.pswpout, s->vm1.pswpout, secs);
	s->pgin_kb_s = rate(s->vm0.pgpgin, s->vm1.pgpgin, secs);
	s->pgout_kb_s = rate(s->vm0.pgpgout, s->vm1.pgpgout, secs);
}

void
snap_vm_since(struct snap *s, const struct vmstat *before, double secs)
{
	if (!(s->have & SNAP_BIT(SNAP_VM)) || !(secs > 0))
		return;
	s->vm0 = *before;
	s->interval = secs;
	vm_rates(s, secs);
}

int
snap_take(struct snap *s, const char *root, unsigned wantmask, double interval,
    int fs_all)
{
	struct err err = {0};
	double t0 = 0;

	memset(s, 0, sizeof(*s));
	s->want = wantmask;
	s->interval = interval > 0 ? interval : 0;
	uid_names_init(&s->names, root);
	proc_table_init(&s->proc0);
	proc_table_init(&s->proc1);
	if (s->interval > 0) {
		t0 = clock_mono();
		sample_counters(s, root, 0);
		sleep_secs(s->interval);
		s->interval = clock_mono() - t0;
	}
	sample_counters(s, root, 1);
	s->now = time(NULL);
	if (uptime_read(root, &s->up, &err) == -1) {
		s->up.up = 0;
		fail(s, SNAP_LOAD, &err);
	} else if (want(s, SNAP_LOAD)) {
		if (loadavg_read(root, &s->load, &err) == 0)
			s->have |= SNAP_BIT(SNAP_LOAD);
		else
			fail(s, SNAP_LOAD, &err);
	}
	if (want(s, SNAP_CPU)) {
		s->have |= SNAP_BIT(SNAP_CPU);
		s->ncpu = (long)s->cpu1.ncpu;
	}
	if (s->ncpu <= 0)
		s->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (s->ncpu <= 0)
		s->ncpu = 1;
	if (want(s, SNAP_MEM)) {
		if (meminfo_read(root, &s->mem, &err) == 0) {
			meminfo_summary(&s->mem, &s->memsum);
			s->have |= SNAP_BIT(SNAP_MEM);
			if (swaps_read(root, &s->swaps, &err) == -1)
				memset(&s->swaps, 0, sizeof(s->swaps));
		} else {
			fail(s, SNAP_MEM, &err);
		}
	}
	if (want(s, SNAP_VM)) {
		/* Since boot, the uptime is the interval. */
		double secs = s->interval > 0 ? s->interval : 0;

		if (secs == 0)
			secs = s->up.up;
		s->have |= SNAP_BIT(SNAP_VM);
		vm_rates(s, secs);
		if (want(s, SNAP_CPU)) {
			s->intr_s = rate(s->cpu0.intr, s->cpu1.intr, secs);
			s->ctxt_s = rate(s->cpu0.ctxt, s->cpu1.ctxt, secs);
		}
	}
	if (want(s, SNAP_FS)) {
		if (mounts_read(root, &s->mounts, &err) == 0) {
			for (size_t i = 0; i < s->mounts.n; i++) {
				struct mount_entry *e = &s->mounts.m[i];

				if (!e->pseudo || fs_all)
					(void)mounts_usage(root, e, &err);
			}
			mounts_select(&s->mounts, fs_all);
			s->have |= SNAP_BIT(SNAP_FS);
		} else {
			fail(s, SNAP_FS, &err);
		}
	}
	if (want(s, SNAP_DISK))
		s->have |= SNAP_BIT(SNAP_DISK);
	if (want(s, SNAP_PROC)) {
		int sampled = s->interval > 0 && !(s->want & SNAP_PROC_ONCE);

		proc_table_cpu(&s->proc1, sampled ? &s->proc0 : NULL);
		s->have |= SNAP_BIT(SNAP_PROC);
	}
	if (want(s, SNAP_USERS)) {
		if (utmp_read(root, s->now, &s->users, &err) == 0)
			s->have |= SNAP_BIT(SNAP_USERS);
		else
			fail(s, SNAP_USERS, &err);
	}
	return 0;
}

void
snap_release(struct snap *s)
{
	cpustat_release(&s->cpu0);
	cpustat_release(&s->cpu1);
	mounts_release(&s->mounts);
	diskstats_release(&s->disk0);
	diskstats_release(&s->disk1);
	proc_table_release(&s->proc0);
	proc_table_release(&s->proc1);
	sessions_release(&s->users);
	uid_names_release(&s->names);
}

int
snap_cpu(const struct snap *s, int id, struct cpu_usage *out)
{
	const struct cpu_times *now, *before = NULL;

	if (!(s->have & SNAP_BIT(SNAP_CPU)))
		return -1;
	now = cpustat_find(&s->cpu1, id);
	if (now == NULL)
		return -1;
	if (s->interval > 0)
		before = cpustat_find(&s->cpu0, id);
	cpu_usage(before, now, out);
	return 0;
}

int
snap_disk(const struct snap *s, size_t i, struct disk_rates *out)
{
	const struct disk_stat *now, *before = NULL;
	double secs = s->interval;

	if (!(s->have & SNAP_BIT(SNAP_DISK)) || i >= s->disk1.n)
		return -1;
	now = &s->disk1.d[i];
	if (secs > 0)
		before = diskstats_find(&s->disk0, now->name);
	else
		secs = s->up.up > 0 ? s->up.up : 0;
	if (secs > 0 && s->interval > 0 && before == NULL)
		return -1; /* appeared during the sample */
	disk_rates(before, now, secs, out);
	return 0;
}
