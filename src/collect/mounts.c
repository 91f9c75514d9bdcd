/*
 * mounts.c - /proc/self/mountinfo and statvfs (see mounts.h).
 */
#include "collect/mounts.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"
#include "collect/swaps.h"

static const char *const pseudo_types[] = {
    "autofs",
    "binfmt_misc",
    "bpf",
    "cgroup",
    "cgroup2",
    "configfs",
    "debugfs",
    "devpts",
    "efivarfs",
    "fusectl",
    "hugetlbfs",
    "mqueue",
    "nsfs",
    "proc",
    "pstore",
    "rpc_pipefs",
    "securityfs",
    "selinuxfs",
    "sysfs",
    "tracefs",
    "binder",
    "fuse.gvfsd-fuse",
    "fuse.portal",
    "ramfs",
    "rootfs",
    "usbfs",
    "nfsd",
    "sockfs",
    "pipefs",
    "anon_inodefs",
};

int
mounts_is_pseudo(const char *fstype)
{
	for (size_t i = 0; i < countof(pseudo_types); i++)
		if (strcmp(fstype, pseudo_types[i]) == 0)
			return 1;
	return 0;
}

/* Copies the four unescaped strings into one allocation. */
static int
entry_strings(struct mount_entry *e, const char *const w[4], const size_t wl[4])
{
	size_t total = wl[0] + wl[1] + wl[2] + wl[3] + 4;
	char *buf = malloc(total), *p;
	char **dst[4] = {&e->root, &e->mnt, &e->source, &e->opts};

	if (buf == NULL)
		return -1;
	p = buf;
	for (int i = 0; i < 4; i++) {
		size_t n = collect_unoctal(p, wl[i] + 1, w[i], wl[i]);

		*dst[i] = p;
		p += n + 1;
	}
	return 0;
}

static int
parse_line(const char *p, const char *le, struct mount_entry *e)
{
	const char *w[4], *ty, *dev, *opt;
	size_t wl[4], tl;
	uint64_t maj, min;

	memset(e, 0, sizeof(*e));
	/* id parent major:minor root mountpoint options */
	if (cur_u64(&p, le, &e->id) == -1 || cur_spaces(&p, le) == 0 ||
	    cur_u64(&p, le, &e->parent) == -1 || cur_spaces(&p, le) == 0 ||
	    cur_u64(&p, le, &maj) == -1 || cur_char(&p, le, ':') == -1 ||
	    cur_u64(&p, le, &min) == -1 || cur_spaces(&p, le) == 0 ||
	    maj > UINT_MAX || min > UINT_MAX)
		return -1;
	e->major = (unsigned)maj;
	e->minor = (unsigned)min;
	if ((wl[0] = cur_word(&p, le, &w[0])) == 0 || cur_spaces(&p, le) == 0 ||
	    (wl[1] = cur_word(&p, le, &w[1])) == 0 || cur_spaces(&p, le) == 0 ||
	    (wl[3] = cur_word(&p, le, &opt)) == 0)
		return -1;
	w[3] = opt;
	/* optional fields up to a lone "-" */
	for (;;) {
		const char *f;
		size_t fl;

		cur_spaces(&p, le);
		fl = cur_word(&p, le, &f);
		if (fl == 0)
			return -1;
		if (fl == 1 && f[0] == '-')
			break;
	}
	cur_spaces(&p, le);
	if ((tl = cur_word(&p, le, &ty)) == 0)
		return -1;
	cur_spaces(&p, le);
	wl[2] = cur_word(&p, le, &dev);
	w[2] = dev;
	collect_unoctal(e->fstype, sizeof(e->fstype), ty, tl);
	if (entry_strings(e, w, wl) == -1)
		return -2;
	e->pseudo = mounts_is_pseudo(e->fstype);
	e->readonly = (wl[3] == 2 && memcmp(opt, "ro", 2) == 0) ||
	    (wl[3] > 2 && memcmp(opt, "ro,", 3) == 0);
	return 0;
}

int
mountinfo_parse(const char *s, size_t n, struct mounts *out, struct err *err)
{
	const char *cur = s, *end = s + n, *ls, *le;
	unsigned lineno = 0;

	memset(out, 0, sizeof(*out));
	while (cur_line(&cur, end, &ls, &le) == 0) {
		struct mount_entry e;
		int rc;

		lineno++;
		if (ls == le)
			continue;
		if (out->n >= MOUNTS_MAX) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		rc = parse_line(ls, le, &e);
		if (rc == -2)
			return err_set(err, ENOMEM, "out of memory");
		if (rc == -1) {
			collect_bad_line(
			    &out->skipped, &out->first_bad, lineno);
			continue;
		}
		if (mem_grow(&out->m, &out->cap, out->n + 1, sizeof(*out->m)) ==
		    -1) {
			free(e.root);
			return err_set(err, ENOMEM, "out of memory");
		}
		out->m[out->n++] = e;
	}
	return 0;
}

int
mounts_read(const char *root, struct mounts *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(16u << 20);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (collect_file(root, "/proc/self/mountinfo", 16u << 20, &sb, err) ==
	    0)
		rc = mountinfo_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}

void
mounts_release(struct mounts *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->m[i].root); /* one allocation for the four strings */
	free(ms->m);
	memset(ms, 0, sizeof(*ms));
}

void
fs_usage_from_statvfs(const struct statvfs *sv, struct fs_usage *u)
{
	/* f_frsize is the unit of the block counts (0 on very old systems) */
	uint64_t unit = sv->f_frsize ? sv->f_frsize : sv->f_bsize;
	uint64_t bfree =
	    sv->f_bfree > sv->f_blocks ? sv->f_blocks : sv->f_bfree;
	uint64_t bavail = sv->f_bavail > bfree ? bfree : sv->f_bavail;

	memset(u, 0, sizeof(*u));
	u->size_kb = (uint64_t)((double)sv->f_blocks * (double)unit / 1024.0);
	u->free_kb = (uint64_t)((double)bfree * (double)unit / 1024.0);
	u->avail_kb = (uint64_t)((double)bavail * (double)unit / 1024.0);
	u->used_kb = u->size_kb - u->free_kb;
	u->used_pct = u->used_kb + u->avail_kb
	    ? 100.0 * (double)u->used_kb / (double)(u->used_kb + u->avail_kb)
	    : NAN;
	u->inodes = sv->f_files;
	u->inodes_free = sv->f_ffree > sv->f_files ? sv->f_files : sv->f_ffree;
	u->inodes_used = u->inodes - u->inodes_free;
	u->inodes_pct = u->inodes
	    ? 100.0 * (double)u->inodes_used / (double)u->inodes
	    : NAN;
}

int
mounts_usage(const char *root, struct mount_entry *e, struct err *err)
{
	char path[PATH_MAX];
	struct statvfs sv;

	e->have_usage = 0;
	if (path_join(path, sizeof(path), root, e->mnt) == -1) {
		e->usage_errno = ENAMETOOLONG;
		return err_set(
		    err, ENAMETOOLONG, "path too long: '%s'", e->mnt);
	}
	if (statvfs(path, &sv) == -1) {
		e->usage_errno = errno;
		return err_sys(err, errno, "cannot statvfs '%s'", path);
	}
	fs_usage_from_statvfs(&sv, &e->u);
	e->have_usage = 1;
	e->usage_errno = 0;
	return 0;
}

void
mounts_select(struct mounts *ms, int all)
{
	for (size_t i = 0; i < ms->n; i++)
		ms->m[i].shown = 1;
	if (all)
		return;
	for (size_t i = 0; i < ms->n; i++) {
		struct mount_entry *e = &ms->m[i];

		if (e->pseudo || (e->have_usage && e->u.size_kb == 0))
			e->shown = 0;
	}
	/* A later mount on the same point hides the earlier one. */
	for (size_t i = 0; i < ms->n; i++) {
		for (size_t j = i + 1; j < ms->n && ms->m[i].shown; j++)
			if (strcmp(ms->m[i].mnt, ms->m[j].mnt) == 0)
				ms->m[i].shown = 0;
	}
	/* One entry per device: the shortest mount point (bind mounts). */
	for (size_t i = 0; i < ms->n; i++) {
		struct mount_entry *a = &ms->m[i];

		if (!a->shown)
			continue;
		for (size_t j = i + 1; j < ms->n; j++) {
			struct mount_entry *b = &ms->m[j];

			if (!b->shown || a->major != b->major ||
			    a->minor != b->minor)
				continue;
			if (strlen(b->mnt) < strlen(a->mnt)) {
				a->shown = 0;
				break;
			}
			b->shown = 0;
		}
	}
}
