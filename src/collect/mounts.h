/*
 * mounts.h - mounted filesystems (/proc/self/mountinfo) and their use of
 * blocks and inodes (statvfs), as df(1) shows them.
 *
 * mountinfo_parse is pure.  mounts_read reads ROOT/proc/self/mountinfo;
 * mounts_usage calls statvfs on ROOT + the mount point (a fixture tree
 * has no real mounts there, so tests of statvfs use real mounts).
 * Note: like df, statvfs on an unresponsive network filesystem may block.
 */
#ifndef COLLECT_MOUNTS_H
#define COLLECT_MOUNTS_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct statvfs;

#define MOUNTS_MAX 10000 /* entries kept; more are counted in skipped */

/* A filesystem's use in kB and inodes; percentages NAN when undefined. */
struct fs_usage {
	uint64_t size_kb; /* f_blocks * f_frsize / 1024 */
	uint64_t used_kb; /* (f_blocks - f_bfree) * f_frsize / 1024 */
	uint64_t
	    avail_kb; /* f_bavail: what an unprivileged user may still use */
	uint64_t free_kb; /* f_bfree, including the root reserve */
	double
	    used_pct; /* used / (used + avail) * 100, df's "Use%" unrounded */
	uint64_t inodes, inodes_used, inodes_free;
	double inodes_pct; /* inodes_used / inodes * 100; NAN without inodes */
};

struct mount_entry {
	uint64_t id, parent;
	unsigned major, minor; /* st_dev of the filesystem */
	char *root;   /* the mounted subtree of the filesystem ("/" usually) */
	char *mnt;    /* mount point, unescaped */
	char *source; /* "/dev/sda1", "tmpfs" */
	char *opts;   /* per-mount options ("rw,relatime") */
	char fstype[64];
	int pseudo;   /* a kernel pseudo filesystem (proc, sysfs, cgroup...) */
	int readonly; /* "ro" in opts */
	int shown;    /* set by mounts_select */
	int have_usage;  /* mounts_usage succeeded */
	int usage_errno; /* why it failed, 0 when not tried */
	struct fs_usage u;
};

struct mounts {
	struct mount_entry *m;
	size_t n, cap;
	unsigned skipped;   /* malformed lines */
	unsigned first_bad; /* line number of the first, 0 if none */
};

/*
 * Parses the text of /proc/PID/mountinfo ("36 35 98:0 /mnt1 /mnt/parent
 * rw,noatime master:1 - ext3 /dev/root rw,errors=continue") into out,
 * which the caller releases with mounts_release in every case.  Malformed
 * lines are counted and skipped.  0, or -1 with err on ENOMEM.
 */
int mountinfo_parse(
    const char *s, size_t n, struct mounts *out, struct err *err);
int mounts_read(const char *root, struct mounts *out, struct err *err);
void mounts_release(struct mounts *m);

/* 1 when fstype names a kernel pseudo filesystem (no blocks to run out of). */
int mounts_is_pseudo(const char *fstype);

/* Fills u from a statvfs result (pure). */
void fs_usage_from_statvfs(const struct statvfs *sv, struct fs_usage *u);

/*
 * Marks what df would show (m->shown): without all, no pseudo
 * filesystems, no mount point hidden by a later mount on it, and one
 * entry per device (the shortest mount point, as df); with all, every
 * entry.  Call after mounts_usage to also hide filesystems of size 0.
 */
void mounts_select(struct mounts *ms, int all);

/*
 * statvfs on root + e->mnt; fills e->u and e->have_usage, or sets
 * e->usage_errno.  0 or -1 with err.
 */
int mounts_usage(const char *root, struct mount_entry *e, struct err *err);

#endif
