/*
 * md.c - the md RAID arrays from /proc/mdstat and /sys/block/mdN/md/
 * (see md.h).
 */
#include "disk/md.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "disk/kscan.h"

#define MDSTAT_MAX (1u << 20)

static void
md_init(struct disk_md *a, const char *name, size_t n)
{
	memset(a, 0, sizeof(*a));
	if (n >= sizeof(a->name))
		n = sizeof(a->name) - 1;
	memcpy(a->name, name, n);
	a->raid_disks = a->in_sync = a->degraded = -1;
	a->progress = a->finish_min = a->speed_kps = -1;
	a->mismatch = -1;
}

static struct disk_md *
md_find(struct disk_mdlist *l, const char *name, size_t n, int add)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->md[i].name) == n &&
		    memcmp(l->md[i].name, name, n) == 0)
			return &l->md[i];
	if (!add)
		return NULL;
	if (l->n >= DISK_MD_MAX) {
		l->dropped++;
		return NULL;
	}
	md_init(&l->md[l->n], name, n);
	return &l->md[l->n++];
}

static struct disk_md_member *
member_find(struct disk_md *a, const char *name, size_t n, int add)
{
	for (size_t i = 0; i < a->nm; i++)
		if (strlen(a->m[i].name) == n &&
		    memcmp(a->m[i].name, name, n) == 0)
			return &a->m[i];
	if (!add || a->nm >= DISK_MD_MAXMEM || n == 0 ||
	    n >= sizeof(a->m[0].name))
		return NULL;
	struct disk_md_member *m = &a->m[a->nm++];

	memset(m, 0, sizeof(*m));
	memcpy(m->name, name, n);
	m->slot = -1;
	return m;
}

static void
copy_slice(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* "sda1[0](F)" */
static void
parse_member(struct disk_md *a, const char *w, size_t n)
{
	const char *p = memchr(w, '[', n), *end = w + n;
	struct disk_md_member *m;

	if (p == NULL || p == w)
		return;
	m = member_find(a, w, (size_t)(p - w), 1);
	if (m == NULL)
		return;
	p++;
	{
		uint64_t slot;

		if (cur_u64(&p, end, &slot) == 0 && slot < 100000)
			m->slot = (int)slot;
	}
	while (p < end) {
		if (end - p >= 3 && p[0] == '(' && p[2] == ')') {
			if (p[1] == 'F')
				m->faulty = 1;
			else if (p[1] == 'S')
				m->spare = 1;
			p += 3;
		} else {
			p++;
		}
	}
}

/* "md0 : active (auto-read-only) raid1 sdb2[0] sdc2[1]" */
static int
parse_header(struct disk_mdlist *l, const char *ls, const char *le)
{
	const char *p = ls, *w;
	size_t n = cur_word(&p, le, &w);
	struct disk_md *a;

	if (n == 0 || n > 30)
		return -1;
	cur_spaces(&p, le);
	if (cur_char(&p, le, ':') == -1)
		return -1;
	if ((a = md_find(l, w, n, 1)) == NULL)
		return 0;
	cur_spaces(&p, le);
	n = cur_word(&p, le, &w);
	if (n == 0)
		return -1;
	copy_slice(a->state, sizeof(a->state), w, n);
	a->inactive = mem_eq(w, n, "inactive");
	while (cur_spaces(&p, le), (n = cur_word(&p, le, &w)) > 0) {
		if (w[0] == '(')
			continue; /* (read-only), (auto-read-only) */
		if (memchr(w, '[', n) != NULL)
			parse_member(a, w, n);
		else if (a->level[0] == '\0')
			copy_slice(a->level, sizeof(a->level), w, n);
	}
	return 0;
}

/* "[2/1] [U_]" anywhere in the line */
static int
parse_counts(struct disk_md *a, const char *ls, const char *le)
{
	for (const char *p = ls; p < le; p++) {
		const char *q = p + 1;
		uint64_t n, m;

		if (*p != '[' || cur_u64(&q, le, &n) == -1 ||
		    cur_char(&q, le, '/') == -1 || cur_u64(&q, le, &m) == -1 ||
		    cur_char(&q, le, ']') == -1 || n > 10000 || m > 10000)
			continue;
		a->raid_disks = (int)n;
		a->in_sync = (int)m;
		if (a->degraded < 0)
			a->degraded = n > m ? (int)(n - m) : 0;
		cur_spaces(&q, le);
		if (cur_char(&q, le, '[') == 0) {
			const char *w;
			size_t k = cur_until(&q, le, ']', &w);

			copy_slice(a->map, sizeof(a->map), w, k);
		}
		return 0;
	}
	return -1;
}

static const char *const actions[] = {
    "recovery", "resync", "reshape", "check", "repair", NULL};

/* "[=>....]  recovery =  8.5% (1/2) finish=17.0min speed=259783K/sec" */
static int
parse_progress(struct disk_md *a, const char *ls, const char *le)
{
	for (int i = 0; actions[i] != NULL; i++) {
		size_t n = strlen(actions[i]);

		for (const char *p = ls; p + n <= le; p++) {
			const char *q = p + n;
			double v;

			if (memcmp(p, actions[i], n) != 0)
				continue;
			cur_spaces(&q, le);
			if (cur_char(&q, le, '=') == -1)
				continue;
			cur_spaces(&q, le);
			if (q < le && (*q == 'D' || *q == 'P')) {
				const char *w;
				size_t k = cur_word(&q, le, &w);

				copy_slice(
				    a->pending, sizeof(a->pending), w, k);
				return 0;
			}
			snprintf(
			    a->action, sizeof(a->action), "%s", actions[i]);
			if (cur_dec(&q, le, &v) == 0 && v >= 0 && v <= 100)
				a->progress = v;
			for (const char *f = q; f < le; f++) {
				const char *g = f;

				if (cur_lit(&g, le, "finish=") == 0 &&
				    cur_dec(&g, le, &v) == 0)
					a->finish_min =
					    v >= 0 && v <= DISK_MD_FINISH_MAX
					    ? v
					    : -1;
				else if (cur_lit(&g, le, "speed=") == 0 &&
				    cur_dec(&g, le, &v) == 0)
					a->speed_kps = v;
			}
			return 0;
		}
	}
	return -1;
}

void
disk_md_parse(const char *buf, size_t len, struct disk_mdlist *l)
{
	const char *cur = buf, *end = buf + len, *ls, *le;
	struct disk_md *a = NULL;
	uint64_t lineno = 0;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls;
		int bad = 0;

		lineno++;
		cur_spaces(&p, le);
		if (p == le)
			continue;
		if (p == ls) { /* not indented: an array, or a general line */
			if (cur_lit(&p, le, "Personalities") == 0 ||
			    cur_lit(&p, le, "unused devices") == 0 ||
			    cur_lit(&p, le, "read_ahead") == 0) {
				a = NULL;
				continue;
			}
			size_t before = l->n;

			bad = parse_header(l, ls, le) == -1;
			a = bad ? NULL
			        : (l->n > before ? &l->md[l->n - 1] : NULL);
			if (!bad && a == NULL) {
				/* an array seen again, or one past the cap */
				const char *w, *q = ls;
				size_t n = cur_word(&q, le, &w);

				a = md_find(l, w, n, 0);
			}
		} else if (a == NULL) {
			bad = 1;
		} else if (cur_lit(&p, le, "bitmap:") == 0) {
			continue;
		} else if (parse_counts(a, p, le) == 0) {
			continue;
		} else if (parse_progress(a, p, le) == 0) {
			continue;
		} else {
			/* "7932 blocks super external:imsm", "64k chunks" */
			const char *q = p, *w;
			uint64_t v;

			bad = !(cur_u64(&q, le, &v) == 0 &&
			    cur_spaces(&q, le) && cur_word(&q, le, &w) >= 6 &&
			    memcmp(w, "blocks", 6) == 0);
		}
		if (bad) {
			if (l->malformed++ == 0)
				l->bad_line = lineno;
		}
	}
}

static int
val_u64(const char *v, size_t n, uint64_t *out)
{
	const char *p = v, *end = v + n;

	cur_spaces(&p, end);
	return cur_u64(&p, end, out);
}

void
disk_md_sysattr(struct disk_md *a, const char *key, const char *val, size_t n)
{
	uint64_t u, t;

	while (n > 0 && (val[n - 1] == '\n' || val[n - 1] == ' '))
		n--;
	if (strcmp(key, "array_state") == 0) {
		copy_slice(a->state, sizeof(a->state), val, n);
		a->inactive =
		    mem_eq(val, n, "inactive") || mem_eq(val, n, "clear");
	} else if (strcmp(key, "level") == 0) {
		if (n > 0)
			copy_slice(a->level, sizeof(a->level), val, n);
	} else if (strcmp(key, "degraded") == 0) {
		if (val_u64(val, n, &u) == 0 && u < 10000)
			a->degraded = (int)u;
	} else if (strcmp(key, "raid_disks") == 0) {
		if (a->raid_disks < 0 && val_u64(val, n, &u) == 0 && u < 10000)
			a->raid_disks = (int)u;
	} else if (strcmp(key, "mismatch_cnt") == 0) {
		if (val_u64(val, n, &u) == 0 && u <= INT64_MAX)
			a->mismatch = (int64_t)u;
	} else if (strcmp(key, "sync_action") == 0) {
		if (mem_eq(val, n, "idle") || mem_eq(val, n, "frozen")) {
			a->action[0] = '\0';
			a->progress = a->finish_min = a->speed_kps = -1;
		} else if (mem_eq(val, n, "recover")) {
			snprintf(a->action, sizeof(a->action), "recovery");
		} else if (n > 0 && n < sizeof(a->action)) {
			copy_slice(a->action, sizeof(a->action), val, n);
		}
	} else if (strcmp(key, "sync_completed") == 0) {
		const char *p = val, *end = val + n;

		if (mem_eq(val, n, "delayed")) {
			snprintf(a->pending, sizeof(a->pending), "DELAYED");
			return;
		}
		if (cur_u64(&p, end, &u) == 0 &&
		    (cur_spaces(&p, end), cur_char(&p, end, '/') == 0) &&
		    (cur_spaces(&p, end), cur_u64(&p, end, &t) == 0) && t > 0 &&
		    u <= t && a->progress < 0)
			a->progress = (double)u * 100.0 / (double)t;
	} else if (strncmp(key, "dev-", 4) == 0) {
		const char *slash = strchr(key, '/');
		struct disk_md_member *m;

		if (slash == NULL ||
		    (strcmp(slash, "/state") != 0 &&
		        strcmp(slash, "/slot") != 0))
			return;
		m = member_find(a, key + 4, (size_t)(slash - key - 4), 1);
		if (m == NULL)
			return;
		if (strcmp(slash, "/slot") == 0) {
			if (val_u64(val, n, &u) == 0 && u < 100000)
				m->slot = (int)u;
			return;
		}
		copy_slice(m->state, sizeof(m->state), val, n);
		if (strstr(m->state, "faulty") != NULL)
			m->faulty = 1;
		if (strstr(m->state, "spare") != NULL)
			m->spare = 1;
	}
}

/* Reads ROOT/sys/block/NAME/md/REL into a. */
static void
sys_one(const char *root, const char *name, const char *rel, struct disk_md *a)
{
	char path[PATH_MAX], rp[PATH_MAX];
	struct strbuf sb = STRBUF_INIT(4096);

	if (str_printf(rp, sizeof(rp), "/sys/block/%s/md/%s", name, rel) == 0 &&
	    path_join(path, sizeof(path), root, rp) == 0 &&
	    file_read(path, 4096, &sb, NULL, NULL) == 0)
		disk_md_sysattr(a, rel, sb.p, sb.len);
	strbuf_release(&sb);
}

static void
sys_array(const char *root, const char *name, struct disk_md *a)
{
	static const char *const attrs[] = {"level", "raid_disks", "degraded",
	    "array_state", "sync_action", "sync_completed", "mismatch_cnt",
	    NULL};
	char path[PATH_MAX], rp[PATH_MAX];
	struct dirent *de;
	DIR *d;

	for (int i = 0; attrs[i] != NULL; i++)
		sys_one(root, name, attrs[i], a);
	if (str_printf(rp, sizeof(rp), "/sys/block/%s/md", name) == -1 ||
	    path_join(path, sizeof(path), root, rp) == -1 ||
	    (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char rel[300];

		if (strncmp(de->d_name, "dev-", 4) != 0)
			continue;
		if (str_printf(rel, sizeof(rel), "%s/state", de->d_name) == 0)
			sys_one(root, name, rel, a);
		if (str_printf(rel, sizeof(rel), "%s/slot", de->d_name) == 0)
			sys_one(root, name, rel, a);
	}
	closedir(d);
}

/* Members by role (spares and unknown roles last), then by name: sysfs
 * lists them in no order. */
static int
member_before(const struct disk_md_member *a, const struct disk_md_member *b)
{
	unsigned sa = (unsigned)a->slot, sb = (unsigned)b->slot;

	if (sa != sb)
		return sa < sb;
	return strcmp(a->name, b->name) < 0;
}

static void
sort_members(struct disk_md *a)
{
	for (size_t i = 1; i < a->nm; i++)
		for (size_t k = i;
		     k > 0 && member_before(&a->m[k], &a->m[k - 1]); k--) {
			struct disk_md_member t = a->m[k];

			a->m[k] = a->m[k - 1];
			a->m[k - 1] = t;
		}
}

int
disk_md_read(const char *root, struct disk_mdlist *l, struct err *err)
{
	char path[PATH_MAX];
	struct strbuf sb = STRBUF_INIT(MDSTAT_MAX);
	struct err e = {0};
	struct dirent *de;
	DIR *d;

	if (root == NULL)
		root = "";
	memset(l, 0, sizeof(*l));
	if (path_join(path, sizeof(path), root, "/proc/mdstat") == -1)
		return err_set(
		    err, ENAMETOOLONG, "path too long under '%s'", root);
	if (file_read(path, MDSTAT_MAX, &sb, NULL, &e) == 0) {
		l->present = 1;
		disk_md_parse(sb.p, sb.len, l);
	} else if (e.code != ENOENT) {
		strbuf_release(&sb);
		return err_set(err, e.code, "%s", e.msg);
	}
	strbuf_release(&sb);
	if (path_join(path, sizeof(path), root, "/sys/block") == 0 &&
	    (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char md[PATH_MAX], rp[PATH_MAX];
			struct disk_md *a;

			if (strncmp(de->d_name, "md", 2) != 0 ||
			    strlen(de->d_name) >= sizeof(l->md[0].name) ||
			    str_printf(rp, sizeof(rp), "/sys/block/%s/md",
			        de->d_name) == -1 ||
			    path_join(md, sizeof(md), root, rp) == -1)
				continue;
			{
				DIR *x = opendir(md);

				if (x == NULL)
					continue;
				closedir(x);
			}
			a = md_find(l, de->d_name, strlen(de->d_name), 1);
			if (a == NULL)
				continue;
			l->present = 1;
			sys_array(root, de->d_name, a);
		}
		closedir(d);
	}
	/* md0, md1, ..., md10, md127: by number */
	for (size_t i = 1; i < l->n; i++)
		for (size_t k = i; k > 0 &&
		     (strlen(l->md[k].name) < strlen(l->md[k - 1].name) ||
		         (strlen(l->md[k].name) == strlen(l->md[k - 1].name) &&
		             strcmp(l->md[k].name, l->md[k - 1].name) < 0));
		     k--) {
			struct disk_md t = l->md[k];

			l->md[k] = l->md[k - 1];
			l->md[k - 1] = t;
		}
	for (size_t i = 0; i < l->n; i++)
		sort_members(&l->md[i]);
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < l->md[i].nm; k++)
			disk_kscan_resolve(root, l->md[i].m[k].name,
			    l->md[i].m[k].disk, sizeof(l->md[i].m[k].disk));
	return 0;
}

const struct disk_md *
disk_md_of_disk(const struct disk_mdlist *l, const char *disk,
    const struct disk_md_member **member)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k < l->md[i].nm; k++)
			if (strcmp(l->md[i].m[k].disk, disk) == 0) {
				if (member != NULL)
					*member = &l->md[i].m[k];
				return &l->md[i];
			}
	return NULL;
}

int
disk_md_in_sync(const struct disk_md *a, const struct disk_md_member *m)
{
	if (m->faulty || m->spare)
		return 0;
	if (m->state[0])
		return strstr(m->state, "in_sync") != NULL;
	/* mdstat only: a number past the array's disks is a member still
	 * being rebuilt */
	return m->slot < 0 || a->raid_disks < 0 || m->slot < a->raid_disks;
}

static int
rebuilding(const struct disk_md *a)
{
	return strcmp(a->action, "recovery") == 0 ||
	    strcmp(a->action, "resync") == 0 ||
	    strcmp(a->action, "reshape") == 0;
}

void
disk_md_progress(const struct disk_md *a, time_t now, char *dst, size_t dstsz)
{
	char left[48] = "", until[40] = "";
	const char *what = strcmp(a->action, "recovery") == 0 ? "rebuilding"
	    : a->action[0]                                    ? a->action
	                                                      : "idle";

	if (a->finish_min >= 0) {
		dur_words(left, sizeof(left), a->finish_min * 60);
		time_iso(until, sizeof(until),
		    now + (time_t)(a->finish_min * 60 + 0.5));
	}
	if (a->progress >= 0 && left[0])
		str_printf(dst, dstsz, "%s %.1f%%, about %s left (until %s)",
		    what, a->progress, left, until);
	else if (a->progress >= 0)
		str_printf(dst, dstsz, "%s %.1f%%", what, a->progress);
	else
		str_printf(dst, dstsz, "%s", what);
}

/* "sdp (disk sdp), sdq1 (disk sdq)" of the failed members. */
static size_t
failed_list(const struct disk_md *a, char *dst, size_t dstsz)
{
	size_t nf = 0, l = 0;

	dst[0] = '\0';
	for (size_t k = 0; k < a->nm; k++) {
		const struct disk_md_member *m = &a->m[k];
		int w;

		if (!m->faulty)
			continue;
		nf++;
		if (strcmp(m->name, m->disk) == 0 || m->disk[0] == '\0')
			w = snprintf(
			    dst + l, dstsz - l, "%s%s", l ? ", " : "", m->name);
		else
			w = snprintf(dst + l, dstsz - l, "%s%s (disk %s)",
			    l ? ", " : "", m->name, m->disk);
		if (w < 0 || (size_t)w >= dstsz - l)
			break;
		l += (size_t)w;
	}
	return nf;
}

enum sev
disk_md_verdict(const struct disk_md *a, time_t now, char *why, size_t whysz)
{
	char failed[256], prog[160];
	const char *lvl = a->level[0] ? a->level : "array";
	int mirror = strcmp(a->level, "raid1") == 0;
	size_t nf = failed_list(a, failed, sizeof(failed));
	int missing =
	    a->degraded > 0 || (a->map[0] && strchr(a->map, '_') != NULL);
	int n_in = a->in_sync;

	if (n_in < 0) {
		n_in = 0;
		for (size_t k = 0; k < a->nm; k++)
			n_in += disk_md_in_sync(a, &a->m[k]);
	}

	disk_md_progress(a, now, prog, sizeof(prog));
	if (a->inactive && a->level[0] && strcmp(a->level, "container") != 0) {
		str_printf(why, whysz,
		    "%s (%s) is not running (%s): its data cannot be read; "
		    "assemble it again and check its members.",
		    a->name, lvl, a->state);
		return SEV_CRITICAL;
	}
	if (nf > 0) {
		str_printf(why, whysz,
		    "%s (%s) has a failed member: %s.%s Replace the disk, "
		    "remove the failed member and add the new one; until "
		    "then %s",
		    a->name, lvl, failed,
		    rebuilding(a) ? " A spare is being rebuilt." : "",
		    mirror && n_in == 1
		        ? "the mirror is running on one disk: back up now."
		        : "the array has less redundancy: back up now.");
		return SEV_CRITICAL;
	}
	if (missing && rebuilding(a)) {
		str_printf(why, whysz,
		    "%s (%s) is rebuilding a member: %s. Until it ends %s",
		    a->name, lvl, prog,
		    mirror ? "the mirror is running on one disk."
		           : "the array has less redundancy.");
		return SEV_WARNING;
	}
	if (missing) {
		str_printf(why, whysz,
		    "%s (%s) is degraded: %d of %d members missing [%s]. %s",
		    a->name, lvl, a->degraded > 0 ? a->degraded : 1,
		    a->raid_disks, a->map,
		    mirror && n_in == 1
		        ? "The mirror is running on one disk: back up now and "
		          "replace the missing disk."
		        : "Back up now and replace the missing disk.");
		return SEV_CRITICAL;
	}
	if (rebuilding(a)) {
		str_printf(why, whysz,
		    "%s (%s) is synchronising its members: %s", a->name, lvl,
		    prog);
		return SEV_WARNING;
	}
	if (a->action[0] == '\0' && a->mismatch > 0) {
		str_printf(why, whysz,
		    "%s (%s): the last check found %lld mismatched sectors "
		    "between the copies. Run a repair, then a check; if "
		    "mismatches come back, test the disks and cables.",
		    a->name, lvl, (long long)a->mismatch);
		return SEV_WARNING;
	}
	str_printf(why, whysz, "%s (%s) is clean", a->name, lvl);
	return SEV_OK;
}

void
disk_md_members(const struct disk_md *a, int with_disk, char *dst, size_t dstsz)
{
	size_t l = 0;

	dst[0] = '\0';
	for (size_t k = 0; k < a->nm && l < dstsz; k++) {
		const struct disk_md_member *m = &a->m[k];
		int other = with_disk && m->disk[0] && strcmp(m->name, m->disk);
		int w = snprintf(dst + l, dstsz - l, "%s%s%s%s%s", l ? " " : "",
		    m->name,
		    m->faulty      ? "(F)"
		        : m->spare ? "(S)"
		                   : "",
		    other ? "@" : "", other ? m->disk : "");

		if (w < 0)
			break;
		l += (size_t)w;
	}
}

void
disk_md_report(const struct disk_mdlist *l, time_t now, struct report *r)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct disk_md *a = &l->md[i];
		char why[512], failed[256], members[512];
		enum sev s = disk_md_verdict(a, now, why, sizeof(why));
		struct finding *f;

		if (s == SEV_OK)
			continue;
		f = report_add(r, s, "raid", a->name, "%s", why);
		if (f == NULL)
			continue;
		disk_md_members(a, 0, members, sizeof(members));
		finding_ev(f, "level", "%s", a->level);
		finding_ev(f, "state", "%s", a->state);
		if (a->raid_disks >= 0)
			finding_ev(f, "raid_disks", "%d", a->raid_disks);
		if (a->degraded >= 0)
			finding_ev(f, "degraded", "%d", a->degraded);
		if (a->map[0])
			finding_ev(f, "map", "%s", a->map);
		finding_ev(f, "members", "%s", members);
		if (failed_list(a, failed, sizeof(failed)) > 0)
			finding_ev(f, "failed", "%s", failed);
		if (a->action[0]) {
			finding_ev(f, "action", "%s", a->action);
			if (a->progress >= 0)
				finding_ev(f, "progress", "%.1f", a->progress);
			if (a->finish_min >= 0) {
				char t[40];

				time_iso(t, sizeof(t),
				    now + (time_t)(a->finish_min * 60 + 0.5));
				finding_ev(f, "finish", "%s", t);
			}
		}
		if (a->mismatch >= 0)
			finding_ev(
			    f, "mismatch_cnt", "%lld", (long long)a->mismatch);
	}
	if (l->dropped > 0)
		report_add(r, SEV_UNKNOWN, "raid", "more",
		    "%zu more md arrays not read (only %d are kept)",
		    l->dropped, DISK_MD_MAX);
}
