/*
 * kscan.c - aggregate disk errors from kernel log lines per disk and turn
 * them into findings (see kscan.h).
 */
#include "disk/kscan.h"

#include <dirent.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

void
disk_kscan_init(
    struct disk_kscan *s, struct disk_klog *k, const char *root, time_t now)
{
	memset(s, 0, sizeof(*s));
	s->k = k;
	s->root = root ? root : "";
	s->now = now;
}

void
disk_kscan_cover(struct disk_kscan *s, time_t t)
{
	s->cover_from = t;
	s->covering = t != 0;
}

int
disk_sys_attr(const char *root, const char *path, char *dst, size_t dstsz)
{
	char full[PATH_MAX];
	struct strbuf sb = STRBUF_INIT(4096);
	size_t n;

	dst[0] = '\0';
	if (path_join(full, sizeof(full), root, path) == -1 ||
	    file_read(full, 4096, &sb, NULL, NULL) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	n = sb.len;
	while (n > 0 && (sb.p[n - 1] == '\n' || sb.p[n - 1] == ' '))
		n--;
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, sb.p, n);
	dst[n] = '\0';
	strbuf_release(&sb);
	return 0;
}

/* The link target of root/path (relative, as /sys has them); 0 or -1. */
static int
sys_link(const char *root, const char *path, char *dst, size_t dstsz)
{
	char full[PATH_MAX];
	ssize_t n;

	if (path_join(full, sizeof(full), root, path) == -1)
		return -1;
	n = readlink(full, dst, dstsz - 1);
	if (n < 0)
		return -1;
	dst[n] = '\0';
	return 0;
}

static int
exists(const char *root, const char *path)
{
	char full[PATH_MAX];

	return path_join(full, sizeof(full), root, path) == 0 &&
	    access(full, F_OK) == 0;
}

/* The first /sys/block entry for which match(entry) holds, into disk. */
static int
scan_block(const char *root,
    int (*match)(const char *, const char *, const char *), const char *arg,
    char *disk, size_t disksz)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int found = -1;

	if (path_join(dir, sizeof(dir), root, "/sys/block") == -1 ||
	    (d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (match(root, de->d_name, arg)) {
			snprintf(disk, disksz, "%s", de->d_name);
			found = 0;
			break;
		}
	}
	closedir(d);
	return found;
}

/* Is the disk behind ATA port arg ("/ata1/" in its /sys path)? */
static int
match_ata(const char *root, const char *entry, const char *arg)
{
	char p[PATH_MAX], link[PATH_MAX];

	snprintf(p, sizeof(p), "/sys/block/%s", entry);
	return sys_link(root, p, link, sizeof(link)) == 0 &&
	    strstr(link, arg) != NULL;
}

/* Is entry a namespace of NVMe controller arg ("nvme0" -> "nvme0n1")? */
static int
match_nvme(const char *root, const char *entry, const char *arg)
{
	size_t n = strlen(arg);

	(void)root;
	return strncmp(entry, arg, n) == 0 && entry[n] == 'n';
}

void
disk_kscan_resolve(
    const char *root, const char *name, char *disk, size_t disksz)
{
	char p[PATH_MAX], link[PATH_MAX];
	const char *s;

	if (root == NULL)
		root = "";
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	snprintf(disk, disksz, "%s", name);
	if (name[0] == '\0' || strchr(name, '/') != NULL ||
	    strstr(name, "..") != NULL)
		return;
	if (strncmp(name, "ata", 3) == 0 && name[3] >= '0' && name[3] <= '9') {
		char port[40];
		size_t n = strcspn(name, ".");

		snprintf(
		    port, sizeof(port), "/%.*s/", (int)(n < 30 ? n : 30), name);
		scan_block(root, match_ata, port, disk, disksz);
		return;
	}
	if (strncmp(name, "nvme", 4) == 0 && strchr(name + 4, 'n') == NULL) {
		scan_block(root, match_nvme, name, disk, disksz);
		return;
	}
	snprintf(p, sizeof(p), "/sys/class/block/%s/partition", name);
	if (exists(root, p)) {
		snprintf(p, sizeof(p), "/sys/class/block/%s", name);
		if (sys_link(root, p, link, sizeof(link)) == 0) {
			char *slash = strrchr(link, '/');

			if (slash != NULL) {
				*slash = '\0';
				s = strrchr(link, '/');
				snprintf(disk, disksz, "%s", s ? s + 1 : link);
			}
		}
	}
}

static void
add_word(char *list, size_t sz, const char *w)
{
	size_t n = strlen(w), l = strlen(list);
	const char *p = list;

	while ((p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return;
		p += n;
	}
	if (l + n + 2 > sz)
		return;
	if (l > 0)
		list[l++] = ' ';
	memcpy(list + l, w, n + 1);
}

void
disk_model(const char *root, const char *disk, char *dst, size_t dstsz)
{
	char p[PATH_MAX], a[96], b[96];

	dst[0] = '\0';
	snprintf(p, sizeof(p), "/sys/block/%s/device/model", disk);
	if (disk_sys_attr(root, p, a, sizeof(a)) == 0) {
		snprintf(p, sizeof(p), "/sys/block/%s/device/vendor", disk);
		if (disk_sys_attr(root, p, b, sizeof(b)) == 0 && b[0] &&
		    strcmp(b, "ATA") != 0)
			str_printf(dst, dstsz, "%s %s", b, a);
		else
			str_printf(dst, dstsz, "%s", a);
	} else {
		snprintf(p, sizeof(p), "/sys/block/%s/dm/name", disk);
		if (disk_sys_attr(root, p, a, sizeof(a)) == 0)
			str_printf(dst, dstsz, "device-mapper %s", a);
	}
}

/* Model and mount points of a disk, from root's /sys and mounts. */
static void
describe(const char *root, struct disk_kdev *d)
{
	char full[PATH_MAX];
	struct mntent me, *m;
	char mbuf[4096];
	FILE *fp;

	disk_model(root, d->name, d->model, sizeof(d->model));
	if (path_join(full, sizeof(full), root, "/proc/self/mounts") == -1 ||
	    (fp = setmntent(full, "r")) == NULL)
		return;
	while ((m = getmntent_r(fp, &me, mbuf, sizeof(mbuf))) != NULL) {
		char disk[64], real[PATH_MAX];
		const char *dev = m->mnt_fsname;

		if (strncmp(dev, "/dev/", 5) != 0)
			continue;
		/* /dev/mapper/x and /dev/disk/by-* are links to the node. */
		if (root[0] == '\0' && realpath(dev, real) != NULL)
			dev = real;
		disk_kscan_resolve(root, dev, disk, sizeof(disk));
		if (strcmp(disk, d->name) == 0 || strcmp(dev + 5, d->name) == 0)
			add_word(d->mounts, sizeof(d->mounts), m->mnt_dir);
	}
	endmntent(fp);
}

static struct disk_kdev *
find_dev(struct disk_kscan *s, const char *raw)
{
	char disk[64];

	if (raw[0] == '\0')
		raw = "unknown";
	disk_kscan_resolve(s->root, raw, disk, sizeof(disk));
	for (size_t i = 0; i < s->ndev; i++)
		if (strcmp(s->dev[i].name, disk) == 0) {
			add_word(s->dev[i].names, sizeof(s->dev[i].names), raw);
			return &s->dev[i];
		}
	if (s->ndev >= DISK_KSCAN_MAXDEV)
		return NULL;
	struct disk_kdev *d = &s->dev[s->ndev++];

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", disk);
	add_word(d->names, sizeof(d->names), raw);
	d->first_up = d->last_up = -1;
	if (strcmp(disk, "unknown") != 0)
		describe(s->root, d);
	return d;
}

void
disk_kscan_line(
    void *ctx, const char *line, size_t len, uint64_t lineno, time_t when)
{
	struct disk_kscan *s = ctx;
	struct disk_kline kl;
	struct disk_kmatch m;
	struct disk_kdev *d;
	size_t n;

	(void)lineno;
	if (disk_klog_line(s->k, line, len, s->now, &kl, &m) == DK_NONE) {
		if (when == 0)
			when = kl.when;
		if (when > s->newest)
			s->newest = when;
		return;
	}
	if (when == 0)
		when = kl.when;
	if (when > s->newest)
		s->newest = when;
	if (when != 0 && s->covering && when >= s->cover_from) {
		s->dups++;
		return;
	}
	if (when != 0 && s->since != 0 && when <= s->since) {
		s->old++;
		return;
	}
	d = find_dev(s, m.device);
	if (d == NULL) {
		s->dropped++;
		return;
	}
	s->events++;
	d->count++;
	d->by_class[m.cls]++;
	if (when != 0) {
		if (d->first == 0 || when < d->first)
			d->first = when;
		if (when > d->last)
			d->last = when;
	} else if (kl.uptime >= 0) {
		if (d->first_up < 0 || kl.uptime < d->first_up)
			d->first_up = kl.uptime;
		if (kl.uptime > d->last_up)
			d->last_up = kl.uptime;
	}
	if (m.sector != UINT64_MAX && d->nsector < 4) {
		int dup = 0;

		for (unsigned i = 0; i < d->nsector; i++)
			dup |= d->sector[i] == m.sector;
		if (!dup)
			d->sector[d->nsector++] = m.sector;
	}
	n = kl.msglen < sizeof(d->example) - 1 ? kl.msglen
	                                       : sizeof(d->example) - 1;
	memcpy(d->example, kl.msg, n);
	d->example[n] = '\0';
	snprintf(d->pattern, sizeof(d->pattern), "%s", m.pattern);
}

static void
when_str(char *dst, size_t dstsz, time_t t, double up)
{
	if (t != 0)
		time_iso(dst, dstsz, t);
	else if (up >= 0)
		snprintf(dst, dstsz, "%.3f s after boot", up);
	else
		snprintf(dst, dstsz, "unknown");
}

static void
ev_when(struct finding *f, const char *key, time_t t, double up)
{
	char k[32], v[64];

	if (t != 0) {
		time_iso(v, sizeof(v), t);
		finding_ev(f, key, "%s", v);
	} else if (up >= 0) {
		str_printf(k, sizeof(k), "%s_uptime_seconds", key);
		finding_ev(f, k, "%.3f", up);
	}
}

void
disk_kscan_report(const struct disk_kscan *s, struct report *r)
{
	for (size_t i = 0; i < s->ndev; i++) {
		const struct disk_kdev *d = &s->dev[i];
		char classes[256] = "", first[64], last[64], sect[128] = "";
		struct finding *f;
		size_t cl = 0;

		for (int c = 1; c < DK_NCLASS; c++)
			if (d->by_class[c] && cl < sizeof(classes))
				cl += (size_t)snprintf(classes + cl,
				    sizeof(classes) - cl, "%s%s %llu",
				    cl ? ", " : "", disk_kclass_name(c),
				    (unsigned long long)d->by_class[c]);
		when_str(first, sizeof(first), d->first, d->first_up);
		when_str(last, sizeof(last), d->last, d->last_up);
		f = report_add(r, SEV_CRITICAL, "disk-errors", d->name,
		    "%s%s%s: %llu disk error%s in the kernel log (%s), first "
		    "%s, last %s. The disk may fail within days: back up its "
		    "data now and replace it (with RAID1 the mirror keeps the "
		    "data while you do).",
		    d->name, d->model[0] ? " " : "", d->model,
		    (unsigned long long)d->count, d->count == 1 ? "" : "s",
		    classes, first, last);
		if (f == NULL)
			continue;
		finding_ev(f, "count", "%llu", (unsigned long long)d->count);
		finding_ev(f, "classes", "%s", classes);
		/* evidence: a time, or the seconds after boot the kernel gave */
		ev_when(f, "first", d->first, d->first_up);
		ev_when(f, "last", d->last, d->last_up);
		finding_ev(f, "names", "%s", d->names);
		if (d->model[0])
			finding_ev(f, "model", "%s", d->model);
		if (d->mounts[0])
			finding_ev(f, "mounts", "%s", d->mounts);
		for (unsigned k = 0, l = 0; k < d->nsector && l < sizeof(sect);
		     k++)
			l += (unsigned)snprintf(sect + l, sizeof(sect) - l,
			    "%s%llu", k ? " " : "",
			    (unsigned long long)d->sector[k]);
		if (sect[0])
			finding_ev(f, "sectors", "%s", sect);
		finding_ev(f, "pattern", "%s", d->pattern);
		finding_ev(f, "example", "%s", d->example);
	}
	if (s->dropped > 0)
		report_add(r, SEV_CRITICAL, "disk-errors", "more",
		    "%llu more disk errors on other devices (only %d devices "
		    "are kept)",
		    (unsigned long long)s->dropped, DISK_KSCAN_MAXDEV);
}
