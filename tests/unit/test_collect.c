/*
 * test_collect.c - the kernel readers on fixture trees
 * (tests/fixtures/proc/modern: a 6.x kernel; tests/fixtures/proc/old: a
 * 2.6 kernel with fields missing), including vanished PIDs, malformed
 * entries and hidepid-style unreadable ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/cpu.h"
#include "collect/diskstats.h"
#include "collect/loadavg.h"
#include "collect/meminfo.h"
#include "collect/mounts.h"
#include "collect/passwd.h"
#include "collect/proc.h"
#include "collect/procsel.h"
#include "collect/snap.h"
#include "collect/swaps.h"
#include "collect/utmp.h"
#include "collect/netdev.h"
#include "collect/vmstat.h"

#define MODERN FIXTURES "/proc/modern"
#define OLD FIXTURES "/proc/old"

static void
loadavg_and_uptime(void **state)
{
	struct loadavg l;
	struct uptime u;
	struct err err = {0};
	const char partial[] = "0.10 0.20 0.30\n";

	(void)state;
	assert_int_equal(loadavg_read(MODERN, &l, &err), 0);
	assert_true(fabs(l.avg1 - 2.50) < 1e-9 && fabs(l.avg15 - 0.75) < 1e-9);
	assert_int_equal(l.running, 3);
	assert_int_equal(l.total, 467);
	assert_int_equal(l.last_pid, 12345);
	assert_int_equal(loadavg_parse(partial, strlen(partial), &l, &err), 0);
	assert_int_equal(l.total, 0);
	assert_int_equal(loadavg_parse("1.0 x", 5, &l, &err), -1);
	assert_non_null(strstr(err.msg, "loadavg"));
	assert_int_equal(uptime_read(MODERN, &u, &err), 0);
	assert_true(fabs(u.up - 3600.5) < 1e-9);
	assert_int_equal(uptime_read(OLD, &u, &err), 0);
	assert_true(isnan(u.idle)); /* a missing idle column is tolerated */
	assert_int_equal(uptime_read("/nonexistent", &u, &err), -1);
	assert_int_equal(err.code, ENOENT);
}

static void
cpu_stat_modern_and_old(void **state)
{
	struct cpu_stat st;
	struct cpu_usage u;
	struct err err = {0};
	const char bad[] = "cpu  1 2 3 4\ncpuX 1 2 3 4\ncpu0 1 2\nctxt lots\n";

	(void)state;
	assert_int_equal(cpustat_read(MODERN, &st, &err), 0);
	assert_int_equal(st.ncpu, 2);
	assert_int_equal(st.total.nfields, 10);
	assert_int_equal(st.total.t[CPU_IDLE], 200000);
	assert_int_equal(st.ctxt, 2345678);
	assert_int_equal(st.btime, 1764187200);
	assert_int_equal(st.procs_running, 3);
	assert_int_equal(st.skipped, 0);
	assert_non_null(cpustat_find(&st, 1));
	assert_null(cpustat_find(&st, 7));
	/* since boot: idle 200000 of 214250 ticks */
	cpu_usage(NULL, &st.total, &u);
	assert_true(fabs(u.idle - 100.0 * 200000 / 214250) < 1e-9);
	assert_true(fabs(u.user - 100.0 * 10500 / 214250) < 1e-9);
	cpustat_release(&st);

	assert_int_equal(cpustat_read(OLD, &st, &err), 0);
	assert_int_equal(st.total.nfields, 9); /* no guest_nice on 2.6.32 */
	assert_int_equal(st.total.t[CPU_GUEST_NICE], 0);
	cpustat_release(&st);

	assert_int_equal(cpustat_parse(bad, strlen(bad), &st, &err), 0);
	assert_int_equal(st.skipped, 3);
	assert_int_equal(st.first_bad, 2);
	cpustat_release(&st);
	assert_int_equal(cpustat_parse("ctxt 1\n", 7, &st, &err), -1);
	assert_non_null(strstr(err.msg, "'cpu'"));
	cpustat_release(&st);
}

static void
cpu_usage_between_samples(void **state)
{
	struct cpu_times a = {.id = -1, .nfields = 8}, b;
	struct cpu_usage u;

	(void)state;
	a.t[CPU_USER] = 100;
	a.t[CPU_SYSTEM] = 100;
	a.t[CPU_IDLE] = 1000;
	b = a;
	b.t[CPU_USER] += 30;
	b.t[CPU_NICE] += 10;
	b.t[CPU_SYSTEM] += 10;
	b.t[CPU_SOFTIRQ] += 10;
	b.t[CPU_IDLE] += 40;
	cpu_usage(&a, &b, &u);
	assert_true(fabs(u.ticks - 100) < 1e-9);
	assert_true(fabs(u.user - 40) < 1e-9);
	assert_true(fabs(u.system - 20) < 1e-9);
	assert_true(fabs(u.idle - 40) < 1e-9);
	/* counters going backwards (CPU hot-plug) are not negative usage */
	cpu_usage(&b, &a, &u);
	assert_true(u.ticks == 0 && u.user == 0);
}

static void
meminfo_modern_and_old(void **state)
{
	struct meminfo m;
	struct mem_summary s;
	struct err err = {0};

	(void)state;
	assert_int_equal(meminfo_read(MODERN, &m, &err), 0);
	meminfo_summary(&m, &s);
	assert_int_equal(s.total, 24683620);
	assert_int_equal(s.available, 24356268);
	assert_int_equal(s.used, 24683620 - 24356268); /* procps 4 */
	assert_int_equal(s.buff_cache, 3016 + 205000 + 37360);
	assert_int_equal(s.swap_used, 1048572 - 524288);
	assert_int_equal(s.avail_estimated, 0);
	assert_int_equal(m.skipped, 0);
	assert_int_equal(
	    meminfo_parse("MemTotal: 1 kB\nMemFree x\n", 25, &m, &err), 0);
	assert_int_equal(m.skipped, 1);
	assert_int_equal(m.first_bad, 2);
	assert_int_equal(meminfo_read(OLD, &m, &err), 0);
	assert_true(m.mem_available == MEM_ABSENT);
	assert_true(m.sreclaimable == MEM_ABSENT);
	meminfo_summary(&m, &s);
	assert_int_equal(s.avail_estimated, 1);
	assert_int_equal(s.available, 111196 + 178700 + 452532);
}

/* /proc/net/dev: each interface's counters; a broken line is counted. */
static void
netdev_counters(void **state)
{
	struct netdevs d = {0};
	struct err err = {0};
	static const char tabs[] =
	    "x|y\n"
	    "\tveth-a.1:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "a b: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "short: 1 2 3\n"
	    "long: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"
	    "waytoolongname0123: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "e\001: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "\0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";

	(void)state;
	assert_int_equal(netdev_read(MODERN, &d, &err), 0);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.d[0].name, "lo");
	assert_int_equal(d.d[0].rx_bytes, 1867448);
	assert_int_equal(d.d[0].tx_packets, 13683);
	assert_string_equal(d.d[1].name, "eth0");
	assert_int_equal(d.d[1].rx_bytes, 72399399);
	assert_int_equal(d.d[1].rx_packets, 3111);
	assert_int_equal(d.d[1].rx_errs, 1);
	assert_int_equal(d.d[1].rx_drop, 2);
	assert_int_equal(d.d[1].tx_bytes, 192635);
	assert_int_equal(d.d[1].tx_packets, 2328);
	assert_int_equal(d.d[1].tx_errs, 3);
	assert_int_equal(d.d[1].tx_drop, 4);
	assert_string_equal(d.d[2].name, "wlan0");
	assert_true(d.d[2].rx_bytes == UINT64_MAX);
	assert_int_equal(d.d[2].tx_bytes, 9);
	assert_int_equal(d.skipped, 1);
	assert_int_equal(d.first_bad, 5);
	/* a tab before the name, no space after the colon: read; a name with
	 * a space, too few or too many columns, a name past IFNAMSIZ, one
	 * with a control character or a NUL: not */
	assert_int_equal(netdev_parse(tabs, sizeof(tabs) - 1, &d, &err), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.d[0].name, "veth-a.1");
	assert_int_equal(d.d[0].tx_drop, 12);
	assert_int_equal(d.skipped, 6);
	assert_int_equal(d.first_bad, 3);
	netdev_release(&d);
	assert_int_equal(netdev_read("/nonexistent", &d, &err), -1);
	assert_non_null(strstr(err.msg, "/proc/net/dev"));
	netdev_release(&d);
}

static void
vmstat_and_swaps(void **state)
{
	struct vmstat v;
	struct swaps sw;
	struct err err = {0};

	(void)state;
	assert_int_equal(vmstat_read(MODERN, &v, &err), 0);
	assert_int_equal(v.pswpin, 100);
	assert_int_equal(v.pswpout, 250);
	assert_true(v.have & VMSTAT_PGPG);
	assert_int_equal(vmstat_parse("pgpgin 1\n", 9, &v, &err), -1);
	assert_non_null(strstr(err.msg, "pswpin"));
	assert_int_equal(
	    vmstat_parse("pswpin 1\npswpout 2\nbad\n", 23, &v, &err), 0);
	assert_int_equal(v.skipped, 1);
	assert_int_equal(v.first_bad, 3);

	assert_int_equal(swaps_read(MODERN, &sw, &err), 0);
	assert_int_equal(sw.n, 2);
	assert_string_equal(sw.a[0].name, "/dev/zram0");
	assert_int_equal(sw.a[0].used_kb, 524284);
	assert_string_equal(sw.a[1].name, "/var/swap file"); /* \040 */
	assert_int_equal(sw.a[1].prio, -2);
}

static const struct mount_entry *
find_mnt(const struct mounts *ms, const char *mnt, int shown_only)
{
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->m[i].mnt, mnt) == 0 &&
		    (!shown_only || ms->m[i].shown))
			return &ms->m[i];
	return NULL;
}

static void
mounts_fixture(void **state)
{
	struct mounts ms;
	struct err err = {0};
	const struct mount_entry *e;
	size_t shown = 0;

	(void)state;
	assert_int_equal(mounts_read(MODERN, &ms, &err), 0);
	assert_int_equal(ms.n, 9);
	assert_int_equal(ms.skipped, 1);
	assert_int_equal(ms.first_bad, 10);
	e = find_mnt(&ms, "/mnt/my disk", 0);
	assert_non_null(e);
	assert_string_equal(e->root, "/srv");
	assert_string_equal(e->fstype, "ext4");
	assert_int_equal(e->readonly, 1);
	assert_int_equal(e->major, 254);
	e = find_mnt(&ms, "/sys/fs/cgroup/unified", 0);
	assert_non_null(e);
	assert_int_equal(e->pseudo, 1);
	assert_string_equal(e->source, "cgroup2");
	mounts_select(&ms, 0);
	for (size_t i = 0; i < ms.n; i++)
		shown += ms.m[i].shown;
	/* /dev, /dev/shm (the top one), /, /boot */
	assert_int_equal(shown, 4);
	assert_null(find_mnt(&ms, "/proc", 1));
	assert_null(find_mnt(&ms, "/mnt/my disk", 1)); /* same device as / */
	e = find_mnt(&ms, "/dev/shm", 1);
	assert_non_null(e);
	assert_int_equal(e->id, 29);
	mounts_select(&ms, 1);
	assert_non_null(find_mnt(&ms, "/proc", 1));
	mounts_release(&ms);
}

static void
statvfs_usage_like_df(void **state)
{
	struct statvfs sv;
	struct fs_usage u;
	struct mount_entry e;
	struct err err = {0};

	(void)state;
	memset(&sv, 0, sizeof(sv));
	sv.f_frsize = 4096;
	sv.f_blocks = 1000; /* 4000 kB */
	sv.f_bfree = 100;
	sv.f_bavail = 50; /* a reserve of 50 blocks */
	sv.f_files = 200;
	sv.f_ffree = 20;
	fs_usage_from_statvfs(&sv, &u);
	assert_int_equal(u.size_kb, 4000);
	assert_int_equal(u.used_kb, 3600);
	assert_int_equal(u.avail_kb, 200);
	assert_true(fabs(u.used_pct - 100.0 * 3600 / 3800) < 1e-9);
	assert_int_equal(u.inodes_used, 180);
	assert_true(fabs(u.inodes_pct - 90) < 1e-9);
	sv.f_files = 0;
	fs_usage_from_statvfs(&sv, &u);
	assert_true(isnan(u.inodes_pct));
	/* the real root filesystem answers */
	memset(&e, 0, sizeof(e));
	e.mnt = "/";
	assert_int_equal(mounts_usage(NULL, &e, &err), 0);
	assert_true(e.have_usage && e.u.size_kb > 0);
	e.mnt = "/nonexistent-mount";
	assert_int_equal(mounts_usage(NULL, &e, &err), -1);
	assert_int_equal(e.usage_errno, ENOENT);
}

static void
diskstats_fixture_and_rates(void **state)
{
	struct diskstats ds;
	struct disk_stat a, b;
	struct disk_rates r;
	struct err err = {0};
	const struct disk_stat *d;

	(void)state;
	assert_int_equal(diskstats_read(MODERN, &ds, &err), 0);
	assert_int_equal(ds.n, 4);
	d = diskstats_find(&ds, "vda");
	assert_non_null(d);
	assert_int_equal(d->nfields, 17);
	assert_int_equal(d->whole, 1);
	assert_int_equal(d->f[DS_RD_SECTORS], 3374786);
	assert_int_equal(diskstats_find(&ds, "loop0")->whole, 0);
	d = diskstats_find(&ds, "sda1");
	assert_int_equal(d->nfields, 4); /* a 2.6 partition line */
	assert_int_equal(d->f[DS_WR_IOS], 72000);
	assert_int_equal(d->f[DS_WR_SECTORS], 1800);
	assert_int_equal(d->whole, 0);
	diskstats_release(&ds);
	/* no ROOT/sys/block: whole is unknown */
	assert_int_equal(diskstats_read(OLD, &ds, &err), 0);
	assert_int_equal(ds.d[0].whole, -1);
	assert_int_equal(ds.d[1].f[DS_RD_IOS], 12035);
	assert_int_equal(ds.d[1].f[DS_RD_SECTORS], 401102);
	diskstats_release(&ds);

	memset(&a, 0, sizeof(a));
	a.nfields = 11;
	b = a;
	b.f[DS_RD_IOS] = 100;
	b.f[DS_RD_SECTORS] = 800; /* 400 kB */
	b.f[DS_RD_TICKS] = 300;
	b.f[DS_WR_IOS] = 50;
	b.f[DS_WR_SECTORS] = 200;
	b.f[DS_WR_TICKS] = 450;
	b.f[DS_IO_TICKS] = 500;
	b.f[DS_TIME_IN_QUEUE] = 1000;
	disk_rates(&a, &b, 2.0, &r);
	assert_true(fabs(r.r_s - 50) < 1e-9);
	assert_true(fabs(r.rkb_s - 200) < 1e-9);
	assert_true(fabs(r.wkb_s - 50) < 1e-9);
	assert_true(fabs(r.r_await - 3) < 1e-9);
	assert_true(fabs(r.w_await - 9) < 1e-9);
	assert_true(fabs(r.await - 5) < 1e-9);
	assert_true(fabs(r.util - 25) < 1e-9);
	assert_true(fabs(r.aqu_sz - 0.5) < 1e-9);

	assert_int_equal(diskstats_parse("8 0 sda 1 2\n", 12, &ds, &err), 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(ds.skipped, 1);
	diskstats_release(&ds);
}

static void
proc_table_modern(void **state)
{
	struct proc_table t;
	struct uid_names names;
	struct err err = {0};
	const struct proc *p;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;

	(void)state;
	proc_table_init(&t);
	uid_names_init(&names, MODERN);
	assert_int_equal(
	    proc_table_read(&t, MODERN, PROC_READ_ALL, &names, &err), 0);
	assert_int_equal(t.listed, 9);
	assert_int_equal(t.n, 6);
	assert_int_equal(t.vanished, 2); /* 999 (no stat), 1400 (status gone) */
	assert_int_equal(t.malformed, 1); /* 1500 */
	assert_int_equal(t.unreadable, 0);
	for (size_t i = 1; i < t.n; i++)
		assert_true(t.p[i - 1].pid < t.p[i].pid);
	p = proc_table_find(&t, 1234);
	assert_non_null(p);
	assert_string_equal(p->comm, "apache2");
	assert_string_equal(p->user, "www-data");
	assert_string_equal(p->cmdline, "/usr/sbin/apache2 -k start");
	assert_int_equal(p->ppid, 1);
	assert_int_equal(p->rss_kb, 2048 * (uint64_t)page_kb);
	assert_int_equal(p->vsz_kb, 200704000 / 1024);
	assert_true(fabs(p->cpu_secs - 36.0) < 1e-9);
	/* started 1000 s after boot, uptime 3600.5 s */
	assert_true(fabs(p->run_secs - 2600.5) < 1e-6);
	assert_true(fabs(p->start_time - (1764187200 + 1000)) < 1e-6);
	assert_true(fabs(p->cpu_pct - 100.0 * 36 / 2600.5) < 1e-6);
	p = proc_table_find(&t, 1300);
	assert_non_null(p);
	assert_string_equal(p->comm, "evil) S 1 (\x1b[31m");
	assert_int_equal(p->state, 'R');
	assert_int_equal(p->nice, 19);
	assert_string_equal(p->user, "alice");
	assert_int_equal(p->cmdline[0], '.');
	assert_non_null(
	    strchr(p->cmdline, '\x1b')); /* raw; escaped on output */
	p = proc_table_find(&t, 3);
	assert_true(p->flags & PROC_F_KTHREAD);
	assert_int_equal(p->ppid, 2);
	assert_string_equal(p->cmdline, "");
	assert_null(proc_table_find(&t, 999));
	assert_null(proc_table_find(&t, 4));
	proc_table_release(&t);
	uid_names_release(&names);
}

/*
 * A table read with stat alone (the agent's 10-second process checks);
 * what a check needs of one process is read for it, the same as a full
 * read gives, and nothing of a pid that is another process by now.
 */
static void
proc_read_more_fills_what_was_left_out(void **state)
{
	struct proc_table t;
	struct uid_names names;
	struct err err = {0};
	const struct proc *p;
	struct proc pc;

	(void)state;
	proc_table_init(&t);
	uid_names_init(&names, MODERN);
	assert_int_equal(proc_table_read(&t, MODERN, 0, &names, &err), 0);
	assert_int_equal(t.what, 0);
	p = proc_table_find(&t, 1234);
	assert_non_null(p);
	assert_string_equal(p->comm, "apache2");
	assert_false(p->flags & (PROC_F_CMDLINE | PROC_F_STATUS | PROC_F_EXE));
	assert_string_equal(p->cmdline, "");
	pc = *p;
	assert_int_equal(proc_read_more(MODERN, &t, &pc,
	                     PROC_READ_CMDLINE | PROC_READ_USER, &names),
	    0);
	assert_string_equal(pc.cmdline, "/usr/sbin/apache2 -k start");
	assert_string_equal(pc.user, "www-data");
	assert_true(pc.flags & PROC_F_STATUS);
	/* the pid started again: what was read is another's */
	pc = *p;
	pc.start_ticks++;
	assert_int_equal(
	    proc_read_more(MODERN, &t, &pc, PROC_READ_CMDLINE, NULL), -1);
	proc_table_release(&t);
	/* a table with every part: nothing more to read */
	assert_int_equal(
	    proc_table_read(&t, MODERN, PROC_READ_ALL, &names, &err), 0);
	assert_int_equal(t.what, PROC_READ_ALL);
	pc = *proc_table_find(&t, 1234);
	pc.pid = 4; /* not there: it would fail if read */
	assert_int_equal(
	    proc_read_more(MODERN, &t, &pc, PROC_READ_CMDLINE, NULL), 0);
	proc_table_release(&t);
	uid_names_release(&names);
}

static void
proc_cpu_between_tables(void **state)
{
	struct proc_table a, b;
	struct proc pa[2], pb[3];

	(void)state;
	memset(pa, 0, sizeof(pa));
	memset(pb, 0, sizeof(pb));
	pa[0].pid = 10;
	pa[0].start_ticks = 5;
	pa[0].utime = 100;
	pa[1].pid = 20; /* this pid is reused by another process below */
	pa[1].start_ticks = 7;
	pb[0] = pa[0];
	pb[0].utime = 150; /* 0.5 s in 2 s: 25% */
	pb[1].pid = 20;
	pb[1].start_ticks = 900;
	pb[1].utime = 20; /* new, 1 s old: 0.2 s in 1 s */
	pb[1].cpu_secs = 0.2;
	pb[1].run_secs = 1.0;
	pb[2].pid = 30;
	pb[2].start_ticks = 950;
	pb[2].cpu_secs = 0;
	pb[2].run_secs = 0.5;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.p = pa;
	a.n = 2;
	a.hz = 100;
	a.mono = 10.0;
	b.p = pb;
	b.n = 3;
	b.hz = 100;
	b.mono = 12.0;
	proc_table_cpu(&b, &a);
	assert_true(fabs(pb[0].cpu_pct - 25) < 1e-9);
	assert_true(fabs(pb[1].cpu_pct - 20) < 1e-9);
	assert_true(pb[2].cpu_pct == 0);
	assert_true(pb[0].flags & PROC_F_CPU_SAMPLED);
	{
		const struct proc *top[2];

		assert_int_equal(proc_table_top(&b, 2, top), 2);
		assert_int_equal(top[0]->pid, 10);
		assert_int_equal(top[1]->pid, 20);
	}
}

static void
proc_table_old_kernel(void **state)
{
	struct proc_table t;
	struct err err = {0};
	const struct proc *p;

	(void)state;
	proc_table_init(&t);
	assert_int_equal(
	    proc_table_read(&t, OLD, PROC_READ_ALL, NULL, &err), 0);
	assert_int_equal(t.n, 2);
	p = proc_table_find(&t, 1);
	assert_true(p->flags & PROC_F_MEM);
	assert_int_equal(p->euid, 0);
	p = proc_table_find(&t, 2000);
	assert_non_null(p);
	assert_false(p->flags & PROC_F_MEM); /* stat ends at starttime */
	assert_int_equal(p->rss_kb, 0);
	assert_int_equal(p->euid, 48);      /* status without Gid */
	assert_string_equal(p->user, "48"); /* no names given: numbers */
	assert_string_equal(p->cmdline, "/usr/sbin/httpd");
	proc_table_release(&t);
}

/* An executable's link given by another (the agent's parent), and a
 * process's start time read again. */
static void
proc_exe_links_taken(void **state)
{
	static const char del[] = "/usr/bin/perl (deleted)";
	struct proc p;
	uint64_t ticks = 1;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.flags = PROC_F_EXE_DENIED;
	proc_exe_take(&p, "/usr/bin/perl5.36.0", 19);
	assert_string_equal(p.exe, "/usr/bin/perl5.36.0");
	assert_int_equal(p.flags, PROC_F_EXE);
	memset(&p, 0, sizeof(p));
	proc_exe_take(&p, del, sizeof(del) - 1);
	assert_string_equal(p.exe, "/usr/bin/perl");
	assert_int_equal(p.flags, PROC_F_EXE | PROC_F_EXE_DELETED);
	/* the bytes as given: not terminated, the rest not read */
	memset(&p, 0, sizeof(p));
	proc_exe_take(&p, "/bin/shXXXX", 7);
	assert_string_equal(p.exe, "/bin/sh");
	/* nothing given: nothing known */
	memset(&p, 0, sizeof(p));
	p.flags = PROC_F_EXE_DENIED;
	proc_exe_take(&p, "", 0);
	assert_int_equal(p.flags, PROC_F_EXE_DENIED);
	assert_string_equal(p.exe, "");

	assert_int_equal(proc_start_read(MODERN, 1234, &ticks), 0);
	assert_true(ticks == 100000);
	assert_int_equal(proc_start_read(MODERN, 999, &ticks), -1); /* none */
	assert_true(ticks == 0);
	assert_int_equal(proc_start_read(MODERN, 1500, &ticks), -1); /* bad */
	assert_int_equal(proc_start_read(MODERN, 77777, &ticks), -1);
}

static void
proc_stat_parse_edges(void **state)
{
	struct proc p;
	struct err err = {0};
	const char *bad[] = {
	    "",
	    "x",
	    "12 (a",
	    "12 (a) ",
	    "0 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19",
	    "12 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
	    "12 (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 x 16 17 18 19 20",
	};

	(void)state;
	for (size_t i = 0; i < countof(bad); i++) {
		memset(&p, 0, sizeof(p));
		err.msg[0] = '\0';
		assert_int_equal(
		    proc_stat_parse(bad[i], strlen(bad[i]), 4, &p, &err), -1);
		assert_true(err.msg[0] != '\0');
	}
	memset(&p, 0, sizeof(p));
	assert_int_equal(proc_status_parse("Name:\tx\n", 8, &p), -1);
	{
		/* mod_cgid's daemon ignores SIGCHLD (17: bit 16) */
		static const char st[] = "Uid:\t33\t33\t33\t33\n"
		                         "Gid:\t33\t33\t33\t33\n"
		                         "SigBlk:\t0000000000000000\n"
		                         "SigIgn:\t0000000000010000\n";

		assert_int_equal(proc_status_parse(st, sizeof(st) - 1, &p), 0);
		assert_true(p.flags & PROC_F_SIGIGN);
		assert_int_equal(p.sigign, 0x10000);
		assert_int_equal(p.euid, 33);
	}
	proc_cmdline_parse("a\0b\0\0", 5, &p);
	assert_string_equal(p.cmdline, "a b");
	assert_int_equal(p.argv0_len, 1);
	proc_cmdline_parse("[kworker/0:1] x\0"
	                   "900",
	    19, &p);
	assert_string_equal(p.cmdline, "[kworker/0:1] x 900");
	assert_int_equal(p.argv0_len, 15); /* the space is argv[0]'s own */
	/* PF_KTHREAD (0x00200000) in the task flags, field 9, marks a
	 * kernel thread whatever its parent; a parent of 2 does not */
	memset(&p, 0, sizeof(p));
	assert_int_equal(proc_stat_parse("5 (kworker/0:0) I 2 0 0 0 -1 "
	                                 "69238880 0 0 0 0 0 0 0 0 20 0 1 0 30",
	                     65, 4, &p, &err),
	    0);
	assert_true(p.flags & PROC_F_KTHREAD);
	memset(&p, 0, sizeof(p));
	assert_int_equal(proc_stat_parse("6 (sleep) S 2 0 0 0 -1 4194304 0 0 "
	                                 "0 0 0 0 0 0 20 0 1 0 30",
	                     58, 4, &p, &err),
	    0);
	assert_false(p.flags & PROC_F_KTHREAD);
}

/*
 * hidepid: another user's /proc/PID files cannot be opened (EACCES or
 * EPERM).  A copy of a fixture process with mode 000, read as nobody
 * (setfsuid drops root's file capabilities), must be counted, not fatal.
 */
static void
proc_unreadable_counted(void **state)
{
	char root[] = "/tmp/sakimori-hidepid.XXXXXX", path[512];
	struct proc_table t;
	struct err err = {0};
	int fd, was;

	(void)state;
	assert_non_null(mkdtemp(root));
	chmod(root, 0755);
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/100", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/100/stat", root);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	{
		const char st[] =
		    "100 (ok) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 "
		    "1 0 5 100 1\n";

		assert_true(write(fd, st, strlen(st)) > 0);
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/proc/200", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/200/stat", root);
	fd = open(path, O_WRONLY | O_CREAT, 0000);
	assert_true(fd >= 0);
	close(fd);
	was = setfsuid(65534);
	proc_table_init(&t);
	assert_int_equal(proc_table_read(&t, root, 0, NULL, &err), 0);
	setfsuid((uid_t)was);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.p[0].pid, 100);
	assert_int_equal(t.unreadable, 1);
	proc_table_release(&t);
	snprintf(path, sizeof(path), "%s/proc/200/stat", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/200", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc/100/stat", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/100", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
	/* a missing ROOT/proc is the only error */
	assert_int_equal(
	    proc_table_read(&t, "/nonexistent", PROC_READ_ALL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/proc"));
	proc_table_release(&t);
}

static void
utmp_fixture(void **state)
{
	struct sessions s;
	struct strbuf sb = STRBUF_INIT(1 << 20);
	struct err err = {0};
	FILE *fp;
	char buf[4096];
	size_t n;

	(void)state;
	assert_int_equal(utmp_read(MODERN, 1795719600 + 7200, &s, &err), 0);
	assert_int_equal(s.records, 4);
	assert_int_equal(s.n, 2); /* reboot and dead records are not users */
	assert_string_equal(s.s[0].user, "alice");
	assert_string_equal(s.s[0].line, "pts/0");
	assert_string_equal(s.s[0].host, "192.0.2.10");
	assert_int_equal(s.s[0].login, 1795719600); /* 2026-11-26T19:00Z */
	/* ut_addr_v6: IPv4 in the first word */
	assert_int_equal(s.s[0].addr_family, AF_INET);
	assert_memory_equal(s.s[0].addr, "\xc0\x00\x02\x0a", 4);
	assert_true(s.s[0].idle >= 0); /* ROOT/dev/pts/0 exists */
	assert_string_equal(s.s[1].user, "root");
	assert_true(s.s[1].idle < 0);            /* no ROOT/dev/tty1 */
	assert_int_equal(s.s[1].addr_family, 0); /* 0.0.0.0: a local login */
	sessions_release(&s);
	/* a cut file: whole records kept, the partial one counted */
	fp = fopen(MODERN "/run/utmp", "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(utmp_parse(buf, n - 100, &s, &err), 0);
	assert_int_equal(s.malformed, 1);
	assert_int_equal(s.n, 2);
	sessions_release(&s);
	/* no utmp file: nobody logged in */
	assert_int_equal(utmp_read(OLD, 0, &s, &err), 0);
	assert_int_equal(s.n, 0);
	sessions_release(&s);
	strbuf_release(&sb);
}

static void
passwd_names(void **state)
{
	struct uid_names u;

	(void)state;
	uid_names_init(&u, MODERN);
	assert_string_equal(uid_names_get(&u, 33), "www-data");
	assert_string_equal(uid_names_get(&u, 4242), "4242");
	assert_int_equal(u.skipped, 1);
	uid_names_release(&u);
}

static void
snapshot_of_fixture(void **state)
{
	struct snap s;
	struct cpu_usage u;
	struct disk_rates r;

	(void)state;
	snap_take(&s, MODERN, SNAP_ALL, 0, 0);
	assert_int_equal(s.have & SNAP_ALL, SNAP_ALL);
	assert_int_equal(s.ncpu, 2);
	assert_int_equal(snap_cpu(&s, -1, &u), 0);
	assert_true(u.idle > 90);
	/* since boot: 250 pages in 3600.5 s */
	assert_true(fabs(s.swapout_s - 250 / 3600.5) < 1e-9);
	assert_int_equal(s.proc1.n, 6);
	assert_int_equal(s.users.n, 2);
	assert_int_equal(snap_disk(&s, 1, &r), 0);
	assert_true(fabs(r.r_s - 39449 / 3600.5) < 1e-9);
	snap_release(&s);
	/* a tree without most of /proc: sections fail, the snapshot does not */
	snap_take(&s, "/nonexistent", SNAP_ALL, 0, 0);
	assert_int_equal(s.have & ~SNAP_BIT(SNAP_USERS), 0);
	assert_non_null(strstr(s.err[SNAP_MEM], "meminfo"));
	snap_release(&s);
}

/* A periodic sampler's rates: since the earlier counters, not boot. */
static void
snapshot_rates_since(void **state)
{
	struct snap s;
	struct vmstat before = {0};

	(void)state;
	snap_take(&s, MODERN, SNAP_BIT(SNAP_VM), 0, 0);
	before = s.vm1;
	before.pswpin -= 20;  /* 20 pages in ... */
	before.pswpout -= 50; /* ... and 50 out over the 10 s since */
	snap_vm_since(&s, &before, 10);
	assert_true(fabs(s.swapin_s - 2.0) < 1e-9);
	assert_true(fabs(s.swapout_s - 5.0) < 1e-9);
	assert_true(fabs(s.interval - 10) < 1e-9);
	/* no time between them: nothing changes */
	snap_vm_since(&s, &s.vm1, 0);
	assert_true(fabs(s.swapout_s - 5.0) < 1e-9);
	snap_release(&s);
	/* without the VM section there is nothing to compute */
	snap_take(&s, MODERN, SNAP_BIT(SNAP_LOAD), 0, 0);
	snap_vm_since(&s, &before, 10);
	assert_true(s.interval == 0 && s.swapout_s == 0);
	snap_release(&s);
}

/* ps and top's selection: filters, sort keys, the forest, tty names. */
static void
proc_selection(void **state)
{
	struct proc p[5];
	struct proc_table t = {0};
	struct proc_sel sel = {0};
	struct proc_states st;
	const struct proc **v;
	size_t n, order[5];
	int depth[5];
	char tty[16];
	/* pid, ppid, user, comm, cpu: init > a > (b > d), c, and d */
	static const struct {
		int pid, ppid;
		const char *user, *comm;
		double cpu;
		char state;
	} d[] = {{1, 0, "root", "init", 0.5, 'S'},
	    {10, 1, "www-data", "apache2", 3.0, 'R'},
	    {11, 10, "www-data", "apache2", 9.0, 'S'},
	    {12, 1, "root", "cron", 1.0, 'Z'},
	    {13, 11, "alice", "perl", 9.0, 'T'}};

	(void)state;
	memset(p, 0, sizeof(p));
	for (size_t i = 0; i < 5; i++) {
		p[i].pid = d[i].pid;
		p[i].ppid = d[i].ppid;
		p[i].euid = d[i].user[0] == 'r' ? 0 : 33;
		snprintf(p[i].user, sizeof(p[i].user), "%s", d[i].user);
		snprintf(p[i].comm, sizeof(p[i].comm), "%s", d[i].comm);
		p[i].cpu_pct = d[i].cpu;
		p[i].state = d[i].state;
	}
	t.p = p;
	t.n = 5;

	assert_int_equal(proc_sel_sort(&sel, "-CPU,pid"), 0);
	assert_int_equal(sel.nsort, 2);
	v = proc_select(&t, &sel, &n);
	assert_int_equal(n, 5);
	assert_int_equal(v[0]->pid, 11); /* 9.0, ties by the next key */
	assert_int_equal(v[1]->pid, 13);
	assert_int_equal(v[2]->pid, 10);
	assert_int_equal(v[4]->pid, 1);

	/* the forest: roots, then children depth first, in v's order */
	assert_int_equal(proc_forest(v, n, order, depth), 5);
	assert_int_equal(v[order[0]]->pid, 1);
	assert_int_equal(depth[0], 0);
	assert_int_equal(v[order[1]]->pid, 10);
	assert_int_equal(v[order[2]]->pid, 11);
	assert_int_equal(v[order[3]]->pid, 13);
	assert_int_equal(depth[3], 3);
	assert_int_equal(v[order[4]]->pid, 12);
	assert_int_equal(depth[4], 1);
	free(v);

	/* filters: user by name or uid, name by glob */
	sel.users[sel.nusers++] = "33";
	sel.names[sel.nnames++] = "apa*";
	v = proc_select(&t, &sel, &n);
	assert_int_equal(n, 2);
	assert_int_equal(v[0]->pid, 11);
	free(v);
	sel.users[0] = "alice";
	sel.nnames = 0;
	assert_true(proc_sel_keep(&sel, &p[4]));
	assert_false(proc_sel_keep(&sel, &p[0]));

	assert_int_equal(proc_sel_sort(&sel, "pid,bogus"), -1);
	assert_int_equal(proc_sel_sort(&sel, ""), -1);
	assert_int_equal(
	    proc_sel_sort(&sel, "pid,pid,pid,pid,pid,pid,pid,pid,pid"), -1);

	proc_states_count(&t, &st);
	assert_int_equal(st.run, 1);
	assert_int_equal(st.sleep, 2);
	assert_int_equal(st.stop, 1);
	assert_int_equal(st.zombie, 1);

	proc_tty_name(0, tty, sizeof(tty));
	assert_string_equal(tty, "?");
	proc_tty_name(136u << 8 | 3, tty, sizeof(tty));
	assert_string_equal(tty, "pts/3");
	proc_tty_name(4u << 8 | 1, tty, sizeof(tty));
	assert_string_equal(tty, "tty1");
	proc_tty_name(4u << 8 | 65, tty, sizeof(tty));
	assert_string_equal(tty, "ttyS1");
}

/* status and iostat show whole disks that did I/O, or all with --all. */
static void
disk_shown_as_iostat(void **state)
{
	struct disk_stat d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.whole = 1;
	assert_false(disk_stat_shown(&d, 0));
	assert_true(disk_stat_shown(&d, 1));
	d.f[DS_DC_IOS] = 1;
	assert_true(disk_stat_shown(&d, 0));
	d.whole = 0;
	assert_false(disk_stat_shown(&d, 0));
	assert_true(disk_stat_shown(&d, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loadavg_and_uptime),
	    cmocka_unit_test(cpu_stat_modern_and_old),
	    cmocka_unit_test(cpu_usage_between_samples),
	    cmocka_unit_test(meminfo_modern_and_old),
	    cmocka_unit_test(netdev_counters),
	    cmocka_unit_test(vmstat_and_swaps),
	    cmocka_unit_test(mounts_fixture),
	    cmocka_unit_test(statvfs_usage_like_df),
	    cmocka_unit_test(diskstats_fixture_and_rates),
	    cmocka_unit_test(proc_table_modern),
	    cmocka_unit_test(proc_read_more_fills_what_was_left_out),
	    cmocka_unit_test(proc_cpu_between_tables),
	    cmocka_unit_test(proc_table_old_kernel),
	    cmocka_unit_test(proc_stat_parse_edges),
	    cmocka_unit_test(proc_exe_links_taken),
	    cmocka_unit_test(proc_unreadable_counted),
	    cmocka_unit_test(utmp_fixture),
	    cmocka_unit_test(passwd_names),
	    cmocka_unit_test(snapshot_of_fixture),
	    cmocka_unit_test(snapshot_rates_since),
	    cmocka_unit_test(proc_selection),
	    cmocka_unit_test(disk_shown_as_iostat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
