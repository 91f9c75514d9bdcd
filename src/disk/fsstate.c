/*
 * fsstate.c - recorded error state of local filesystems (see fsstate.h).
 */
#include "disk/fsstate.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "collect/mounts.h"

static struct disk_fs *
fs_add(struct disk_fslist *l)
{
	if (mem_grow(&l->fs, &l->cap, l->n + 1, sizeof(*l->fs)) == -1)
		return NULL;
	memset(&l->fs[l->n], 0, sizeof(l->fs[0]));
	return &l->fs[l->n++];
}

void
disk_fslist_release(struct disk_fslist *l)
{
	free(l->fs);
	memset(l, 0, sizeof(*l));
}

static int
is_ext(const char *type)
{
	return strcmp(type, "ext2") == 0 || strcmp(type, "ext3") == 0 ||
	    strcmp(type, "ext4") == 0;
}

static void
read_ext(struct disk_fs *fs, const char *path)
{
	struct err err = {0};

	if (disk_extsb_read(path, &fs->sb, &err) == 0)
		fs->have_sb = 1;
	else
		snprintf(fs->note, sizeof(fs->note), "%s", err.msg);
}

/* Sums "name value" lines of a btrfs error_stats file. */
static void
btrfs_stats(struct disk_fs *fs, const char *path)
{
	struct strbuf sb = STRBUF_INIT(4096);
	const char *cur, *end, *ls, *le;

	if (file_read(path, 4096, &sb, NULL, NULL) == -1) {
		strbuf_release(&sb);
		return;
	}
	cur = sb.p;
	end = sb.p + sb.len;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *w, *p = ls;
		size_t n = cur_word(&p, le, &w);
		uint64_t v;

		cur_spaces(&p, le);
		if (n == 0 || cur_u64(&p, le, &v) == -1)
			continue;
		fs->have_counters = 1;
		if (mem_eq(w, n, "write_errs"))
			fs->wr_errs += v;
		else if (mem_eq(w, n, "read_errs"))
			fs->rd_errs += v;
		else if (mem_eq(w, n, "flush_errs"))
			fs->flush_errs += v;
		else if (mem_eq(w, n, "corruption_errs"))
			fs->corrupt_errs += v;
		else if (mem_eq(w, n, "generation_errs"))
			fs->gen_errs += v;
	}
	strbuf_release(&sb);
}

/* btrfs: /sys/fs/btrfs/FSID/devices/NAME names the filesystem's devices. */
static void
read_btrfs(const char *root, struct disk_fs *fs)
{
	char dir[PATH_MAX], p[PATH_MAX];
	const char *name = strrchr(fs->dev, '/');
	struct dirent *de;
	DIR *d;

	name = name ? name + 1 : fs->dev;
	if (path_join(dir, sizeof(dir), root, "/sys/fs/btrfs") == -1 ||
	    (d = opendir(dir)) == NULL) {
		snprintf(fs->note, sizeof(fs->note),
		    "btrfs error counters not available (no /sys/fs/btrfs)");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct dirent *di;
		DIR *dd;

		if (de->d_name[0] == '.')
			continue;
		if (path_join(p, sizeof(p), dir, de->d_name) == -1 ||
		    path_join(p, sizeof(p), p, "devices") == -1 ||
		    path_join(p, sizeof(p), p, name) == -1 ||
		    access(p, F_OK) != 0)
			continue;
		if (path_join(p, sizeof(p), dir, de->d_name) == -1 ||
		    path_join(p, sizeof(p), p, "devinfo") == -1 ||
		    (dd = opendir(p)) == NULL)
			break;
		while ((di = readdir(dd)) != NULL) {
			char f[PATH_MAX];

			if (di->d_name[0] == '.')
				continue;
			if (path_join(f, sizeof(f), p, di->d_name) == 0 &&
			    path_join(f, sizeof(f), f, "error_stats") == 0)
				btrfs_stats(fs, f);
		}
		closedir(dd);
		break;
	}
	closedir(d);
	if (!fs->have_counters)
		snprintf(fs->note, sizeof(fs->note),
		    "btrfs error counters not found in /sys/fs/btrfs");
}

void
disk_fs_mounted(
    const char *root, const struct mounts *ms, struct disk_fslist *l)
{
	char dev[PATH_MAX];

	if (root == NULL)
		root = "";
	for (size_t i = 0; i < ms->n; i++) {
		const struct mount_entry *m = &ms->m[i];
		struct disk_fs *fs;
		int seen = 0;

		/* Local filesystems live on a device node. */
		if (m->pseudo || m->source == NULL ||
		    strncmp(m->source, "/dev/", 5) != 0)
			continue;
		/* Bind mounts and subvolumes: one row per device. */
		for (size_t k = 0; k < l->n; k++)
			seen |= strcmp(l->fs[k].dev, m->source) == 0;
		if (seen || (fs = fs_add(l)) == NULL)
			continue;
		fs->me = m;
		snprintf(fs->dev, sizeof(fs->dev), "%s", m->source);
		snprintf(fs->mnt, sizeof(fs->mnt), "%s", m->mnt);
		str_copy(fs->type, sizeof(fs->type), m->fstype);
		if (is_ext(m->fstype)) {
			if (path_join(dev, sizeof(dev), root, m->source) == 0)
				read_ext(fs, dev);
		} else if (strcmp(m->fstype, "btrfs") == 0) {
			read_btrfs(root, fs);
		} else {
			snprintf(fs->note, sizeof(fs->note),
			    "the kernel exposes no error state for %s",
			    m->fstype);
		}
	}
}

void
disk_fs_device(const char *path, struct disk_fslist *l)
{
	struct disk_fs *fs = fs_add(l);

	if (fs == NULL)
		return;
	snprintf(fs->dev, sizeof(fs->dev), "%s", path);
	read_ext(fs, path);
	snprintf(fs->type, sizeof(fs->type), "%s",
	    fs->have_sb ? fs->sb.type : "unknown");
}

void
disk_fs_report(const struct disk_fslist *l, time_t now, struct report *r)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct disk_fs *fs = &l->fs[i];
		const char *subj = fs->mnt[0] ? fs->mnt : fs->dev;
		struct finding *f;
		char why[256], state[64], t[64];

		if (fs->have_counters &&
		    (fs->wr_errs || fs->rd_errs || fs->flush_errs ||
		        fs->corrupt_errs || fs->gen_errs)) {
			f = report_add(r, SEV_WARNING, "fs-errors", subj,
			    "%s (%s, btrfs): the kernel counted errors (write "
			    "%llu, read %llu, flush %llu, corruption %llu, "
			    "generation %llu); run 'btrfs scrub' and check the "
			    "disk",
			    subj, fs->dev, (unsigned long long)fs->wr_errs,
			    (unsigned long long)fs->rd_errs,
			    (unsigned long long)fs->flush_errs,
			    (unsigned long long)fs->corrupt_errs,
			    (unsigned long long)fs->gen_errs);
			if (f != NULL)
				finding_ev(f, "device", "%s", fs->dev);
			continue;
		}
		if (fs->have_sb && fs->sb.csum == 0) {
			f = report_add(r, SEV_WARNING, "fs-errors", subj,
			    "%s (%s): the superblock's checksum does not "
			    "match: "
			    "it is corrupt; run 'fsck -n %s' (read-only) and "
			    "repair offline",
			    subj, fs->dev, fs->dev);
			if (f != NULL)
				finding_ev(f, "device", "%s", fs->dev);
		}
		if (!fs->have_sb ||
		    !disk_extsb_fsck_due(&fs->sb, now, why, sizeof(why)))
			continue;
		disk_extsb_state(&fs->sb, state, sizeof(state));
		f = report_add(r, SEV_WARNING, "fs-errors", subj,
		    "%s (%s, %s): an offline fsck is due: %s. Unmount it (for "
		    "the root filesystem: boot into single-user mode) and run "
		    "'fsck -f %s'; sakimori does not repair",
		    subj, fs->dev, fs->sb.type, why, fs->dev);
		if (f == NULL)
			continue;
		finding_ev(f, "device", "%s", fs->dev);
		finding_ev(f, "state", "%s", state);
		finding_ev(f, "error_count", "%u", fs->sb.error_count);
		if (fs->sb.first_error_time) {
			time_iso(t, sizeof(t), fs->sb.first_error_time);
			finding_ev(f, "first_error_time", "%s", t);
			finding_ev(f, "first_error_func", "%s",
			    fs->sb.first_error_func);
			finding_ev(f, "first_error_line", "%u",
			    fs->sb.first_error_line);
		}
		if (fs->sb.last_error_time) {
			time_iso(t, sizeof(t), fs->sb.last_error_time);
			finding_ev(f, "last_error_time", "%s", t);
			finding_ev(
			    f, "last_error_func", "%s", fs->sb.last_error_func);
			finding_ev(
			    f, "last_error_line", "%u", fs->sb.last_error_line);
		}
		finding_ev(f, "mount_count", "%u", fs->sb.mnt_count);
		finding_ev(f, "max_mount_count", "%d", fs->sb.max_mnt_count);
		if (fs->sb.lastcheck) {
			time_iso(t, sizeof(t), fs->sb.lastcheck);
			finding_ev(f, "last_check", "%s", t);
		}
	}
}

const char *
disk_fs_device_check(const char *path, struct disk_fslist *l, struct report *r)
{
	size_t n = l->n;
	const char *why = "out of memory";

	disk_fs_device(path, l);
	if (l->n > n) {
		if (l->fs[n].have_sb)
			return NULL;
		why = l->fs[n].note;
	}
	report_add(r, SEV_UNKNOWN, "fs-errors", path, "%s", why);
	return why;
}
