/*
 * records.c - dpkg's records of package files and changes.  dpkg keeps
 * the MD5 of every file of an installed package
 * (/var/lib/dpkg/info/PKG.md5sums, "<md5>  <path without leading slash>")
 * and logs each install and upgrade (/var/log/dpkg.log, "YYYY-MM-DD
 * HH:MM:SS upgrade PKG:ARCH OLD NEW"; a reinstall is an upgrade to the
 * same version; logrotate keeps dpkg.log.1 and older months as
 * dpkg.log.N.gz).  Both are read on first use, bounded; the parsers are
 * pure (bytes in).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/strbuf.h"
#include "pkg/pkg_int.h"

#define MAX_FILES (8u * 1024 * 1024)   /* paths remembered */
#define MAX_PKGS (256u * 1024)         /* packages remembered */
#define MD5SUMS_MAX (64 * 1024 * 1024) /* one md5sums file */
#define LOG_MAX (256 * 1024 * 1024)    /* one dpkg.log */
#define LOG_ROTATIONS 12               /* dpkg.log.1 ... dpkg.log.12.gz */

struct md5rec {
	char md5[33];
	char pkg[]; /* owned copy of the package name (without :arch) */
};

void
pkg_records_release(struct pkg_db *db)
{
	hmap_release_vals(&db->md5s);
	hmap_release(&db->changes);
}

/* The package name without ":arch". */
static size_t
pkg_len(const char *p, size_t n)
{
	const char *c = memchr(p, ':', n);

	return c ? (size_t)(c - p) : n;
}

static int
is_md5(const char *s, size_t n)
{
	if (n != 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

size_t
pkg_parse_md5sums(
    struct pkg_db *d, const char *pkg, const char *data, size_t len)
{
	const char *cur = data, *end = data + len, *ls, *le;
	size_t bad = 0, pl = pkg_len(pkg, strlen(pkg));
	char path[4097];

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *p = ls + 34;
		size_t n;
		struct hmap_entry *he;
		struct md5rec *r;
		int created;

		if (le - ls < 35 || !is_md5(ls, 32) || ls[32] != ' ' ||
		    ls[33] != ' ') {
			bad++;
			continue;
		}
		n = (size_t)(le - p);
		if (n + 1 >= sizeof(path) || memchr(p, '\0', n) != NULL) {
			bad++;
			continue;
		}
		path[0] = '/';
		memcpy(path + 1, p, n);
		if (hmap_count(&d->md5s) >= MAX_FILES)
			return bad;
		he = hmap_put(&d->md5s, path, n + 1, &created);
		if (he == NULL)
			return bad;
		r = malloc(sizeof(*r) + pl + 1);
		if (r == NULL)
			return bad;
		memcpy(r->md5, ls, 32);
		r->md5[32] = '\0';
		memcpy(r->pkg, pkg, pl);
		r->pkg[pl] = '\0';
		/* A path in two packages (diverted, shared): keep the last. */
		free(he->val.p);
		he->val.p = r;
	}
	return bad;
}

/* "YYYY-MM-DD HH:MM:SS" in local time, as dpkg writes it. */
static int
parse_stamp(const char *s, size_t n, time_t *out)
{
	struct tm tm;
	int v[6], k = 0;
	const char *c = s, *e = s + n;

	memset(&tm, 0, sizeof(tm));
	while (k < 6) {
		uint64_t x;

		if (cur_u64(&c, e, &x) == -1 || x > 9999)
			return -1;
		v[k++] = (int)x;
		if (k < 6 && c < e && (*c == '-' || *c == ' ' || *c == ':'))
			c++;
		else if (k < 6)
			return -1;
	}
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

size_t
pkg_parse_log(struct pkg_db *d, const char *data, size_t len)
{
	const char *cur = data, *end = data + len, *ls, *le;
	size_t bad = 0;

	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *c, *w;
		size_t n;
		time_t t;
		struct hmap_entry *he;
		int created;

		if (le - ls < 20 || parse_stamp(ls, 19, &t) == -1) {
			bad++;
			continue;
		}
		c = ls + 19;
		cur_spaces(&c, le);
		n = cur_word(&c, le, &w);
		if (!mem_eq(w, n, "install") && !mem_eq(w, n, "upgrade") &&
		    !mem_eq(w, n, "remove") && !mem_eq(w, n, "purge"))
			continue; /* status, configure, trigproc... */
		cur_spaces(&c, le);
		n = cur_word(&c, le, &w);
		if (n == 0) {
			bad++;
			continue;
		}
		n = pkg_len(w, n);
		if (hmap_count(&d->changes) >= MAX_PKGS &&
		    hmap_get(&d->changes, w, n) == NULL)
			continue;
		he = hmap_put(&d->changes, w, n, &created);
		if (he != NULL && (uint64_t)t > he->val.u)
			he->val.u = (uint64_t)t;
	}
	return bad;
}

/* The md5sums of every installed package. */
static void
load_md5sums(struct pkg_db *d)
{
	char dir[4200], p[4600];
	struct strbuf sb = STRBUF_INIT(MD5SUMS_MAX);
	struct dirent *de;
	DIR *dh;

	if (d->md5_loaded || !d->files)
		return;
	d->md5_loaded = 1;
	snprintf(dir, sizeof(dir), "%s/var/lib/dpkg/info", d->root);
	dh = opendir(dir);
	while (dh != NULL && (de = readdir(dh)) != NULL) {
		size_t n = strlen(de->d_name);
		char pkg[256];

		if (n <= 8 || n - 8 >= sizeof(pkg) ||
		    strcmp(de->d_name + n - 8, ".md5sums") != 0)
			continue;
		memcpy(pkg, de->d_name, n - 8);
		pkg[n - 8] = '\0';
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (file_read(p, MD5SUMS_MAX, &sb, NULL, NULL) == 0)
			pkg_parse_md5sums(d, pkg, sb.p ? sb.p : "", sb.len);
	}
	if (dh)
		closedir(dh);
	strbuf_release(&sb);
}

/* The log and its rotations, read apart from the md5sums: a caller that
 * needs only files' packages never reads them. */
static void
load_logs(struct pkg_db *d)
{
	char p[4600];
	struct strbuf sb = STRBUF_INIT(LOG_MAX);

	if (d->log_loaded || !d->files)
		return;
	d->log_loaded = 1;
	/* logrotate keeps 12 months, .2 on gzipped; order does not
	 * matter: the latest time wins. */
	for (int i = 0; i <= LOG_ROTATIONS; i++) {
		if (i == 0)
			snprintf(p, sizeof(p), "%s/var/log/dpkg.log", d->root);
		else
			snprintf(p, sizeof(p), "%s/var/log/dpkg.log.%d%s",
			    d->root, i, i == 1 ? "" : ".gz");
		if (file_read_any(p, LOG_MAX, &sb, NULL, NULL) == 0)
			pkg_parse_log(d, sb.p ? sb.p : "", sb.len);
		else if (i == 1) { /* some keep .1 compressed too */
			snprintf(
			    p, sizeof(p), "%s/var/log/dpkg.log.1.gz", d->root);
			if (file_read_any(p, LOG_MAX, &sb, NULL, NULL) == 0)
				pkg_parse_log(d, sb.p ? sb.p : "", sb.len);
		}
	}
	strbuf_release(&sb);
}

void
pkg_md5sums_load(struct pkg_db *db)
{
	load_md5sums(db);
}

/* The record for path as the package lists it. */
static const struct md5rec *
md5_exact(const struct pkg_db *d, const char *path)
{
	const struct hmap_entry *he = hmap_get(&d->md5s, path, strlen(path));

	return he ? he->val.p : NULL;
}

const char *
pkg_md5(struct pkg_db *db, const char *path, const char **pkg)
{
	const struct md5rec *r;
	char alt[4200];

	load_md5sums(db);
	r = md5_exact(db, path);
	if (r == NULL && pkg_usr_alias(path, alt, sizeof(alt)))
		r = md5_exact(db, alt);
	if (r == NULL)
		return NULL;
	if (pkg)
		*pkg = r->pkg;
	return r->md5;
}

time_t
pkg_last_change(struct pkg_db *db, const char *pkg)
{
	const struct hmap_entry *he;

	load_logs(db);
	he = hmap_get(&db->changes, pkg, strlen(pkg));
	return he ? (time_t)he->val.u : 0;
}
