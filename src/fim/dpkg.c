/*
 * dpkg.c - what the package manager explains.  dpkg keeps the MD5 of
 * every file of an installed package (/var/lib/dpkg/info/PKG.md5sums,
 * "<md5>  <path without leading slash>") and logs each install and
 * upgrade (/var/log/dpkg.log, "YYYY-MM-DD HH:MM:SS upgrade PKG:ARCH OLD
 * NEW"; a reinstall is an upgrade to the same version; logrotate keeps
 * dpkg.log.1 and older months as dpkg.log.N.gz).  A changed file is the
 * package manager's doing when its content now matches its package's
 * record and the log shows that package installed or upgraded since the
 * baseline was made.  A file gone is, when the baseline recorded its
 * package, the log shows that package upgraded or removed since, and no
 * installed package lists the path any more (an upgrade that dropped or
 * renamed it, as library upgrades do).
 *
 * The parsers are pure (bytes in); fim_dpkg_explains reads the records
 * on first use and the file's content with O_NOATIME.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/hex.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define MAX_FILES (8u * 1024 * 1024)   /* paths remembered */
#define MAX_PKGS (256u * 1024)         /* packages remembered */
#define MD5SUMS_MAX (64 * 1024 * 1024) /* one md5sums file */
#define LOG_MAX (256 * 1024 * 1024)    /* one dpkg.log */
#define LOG_ROTATIONS 12               /* dpkg.log.1 ... dpkg.log.12.gz */

struct md5rec {
	char md5[33];
	char pkg[]; /* owned copy of the package name (without :arch) */
};

struct fim_dpkg {
	char root[4096];
	int loaded, logs_loaded;
	struct hmap files; /* "/path" -> struct md5rec * */
	struct hmap pkgs;  /* "pkg" -> time of last install or upgrade */
};

struct fim_dpkg *
fim_dpkg_open(const char *root)
{
	struct fim_dpkg *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	snprintf(d->root, sizeof(d->root), "%s", root ? root : "");
	hmap_init(&d->files);
	hmap_init(&d->pkgs);
	return d;
}

static int
free_rec(struct hmap_entry *e, void *arg)
{
	(void)arg;
	free(e->val.p);
	return 0;
}

void
fim_dpkg_free(struct fim_dpkg *d)
{
	if (d == NULL)
		return;
	hmap_each(&d->files, free_rec, NULL);
	hmap_release(&d->files);
	hmap_release(&d->pkgs);
	free(d);
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
fim_dpkg_add_md5sums(
    struct fim_dpkg *d, const char *pkg, const char *data, size_t len)
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
		if (hmap_count(&d->files) >= MAX_FILES)
			return bad;
		he = hmap_put(&d->files, path, n + 1, &created);
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
fim_dpkg_add_log(struct fim_dpkg *d, const char *data, size_t len)
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
		if (hmap_count(&d->pkgs) >= MAX_PKGS &&
		    hmap_get(&d->pkgs, w, n) == NULL)
			continue;
		he = hmap_put(&d->pkgs, w, n, &created);
		if (he != NULL && (uint64_t)t > he->val.u)
			he->val.u = (uint64_t)t;
	}
	return bad;
}

time_t
fim_dpkg_last_change(const struct fim_dpkg *d, const char *pkg)
{
	const struct hmap_entry *he = hmap_get(&d->pkgs, pkg, strlen(pkg));

	return he ? (time_t)he->val.u : 0;
}

const char *
fim_dpkg_md5(const struct fim_dpkg *d, const char *path, const char **pkg)
{
	const struct hmap_entry *he = hmap_get(&d->files, path, strlen(path));
	const struct md5rec *r;

	if (he == NULL)
		return NULL;
	r = he->val.p;
	if (pkg)
		*pkg = r->pkg;
	return r->md5;
}

/* The md5sums of every installed package. */
static void
load(struct fim_dpkg *d)
{
	char dir[4200], p[4600];
	struct strbuf sb = STRBUF_INIT(MD5SUMS_MAX);
	struct dirent *de;
	DIR *dh;

	if (d->loaded)
		return;
	d->loaded = 1;
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
			fim_dpkg_add_md5sums(d, pkg, sb.p ? sb.p : "", sb.len);
	}
	if (dh)
		closedir(dh);
	strbuf_release(&sb);
}

/* The log and its rotations, only when a change is to be explained (init
 * needs the md5sums alone, for each file's package). */
static void
load_logs(struct fim_dpkg *d)
{
	char p[4600];
	struct strbuf sb = STRBUF_INIT(LOG_MAX);

	if (d->logs_loaded)
		return;
	d->logs_loaded = 1;
	/* logrotate keeps 12 months, .2 on gzipped; order does not
	 * matter: the latest time wins. */
	for (int i = 0; i <= LOG_ROTATIONS; i++) {
		if (i == 0)
			snprintf(p, sizeof(p), "%s/var/log/dpkg.log", d->root);
		else
			snprintf(p, sizeof(p), "%s/var/log/dpkg.log.%d%s",
			    d->root, i, i == 1 ? "" : ".gz");
		if (file_read_any(p, LOG_MAX, &sb, NULL, NULL) == 0)
			fim_dpkg_add_log(d, sb.p ? sb.p : "", sb.len);
		else if (i == 1) { /* some keep .1 compressed too */
			snprintf(
			    p, sizeof(p), "%s/var/log/dpkg.log.1.gz", d->root);
			if (file_read_any(p, LOG_MAX, &sb, NULL, NULL) == 0)
				fim_dpkg_add_log(d, sb.p ? sb.p : "", sb.len);
		}
	}
	strbuf_release(&sb);
}

void
fim_dpkg_preload(struct fim_dpkg *d)
{
	load(d);
}

/* MD5 of the file at path as 32 hex digits; 0 or -1. */
static int
file_md5(const struct fim_dpkg *d, const char *path, char *out)
{
	unsigned char buf[65536], md[16];
	char full[8200];
	unsigned int ml = 0;
	EVP_MD_CTX *ctx;
	ssize_t r;
	int fd, rc = -1;

	(void)d;
	snprintf(full, sizeof(full), "%s", path);
	fd = open(full,
	    O_RDONLY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_NONBLOCK |
	        O_NOCTTY);
	if (fd == -1 && errno == EPERM)
		fd = open(full,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex2(ctx, EVP_md5(), NULL) != 1)
		goto out;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)r);
	if (r < 0 || EVP_DigestFinal_ex(ctx, md, &ml) != 1 || ml != 16)
		goto out;
	hex_encode(out, md, 16);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

/* dpkg's name for path: with merged /usr, packages still list /bin/... */
static const char *
lookup(const struct fim_dpkg *d, const char *path, const char **pkg)
{
	static const char *const merged[] = {
	    "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"};
	char alt[4200];
	const char *md5 = fim_dpkg_md5(d, path, pkg);

	if (md5)
		return md5;
	for (size_t i = 0; i < countof(merged); i++) {
		size_t n = strlen(merged[i]);

		if (strncmp(path, "/usr", 4) == 0 &&
		    strncmp(path + 4, merged[i], n) == 0)
			return fim_dpkg_md5(d, path + 4, pkg);
		if (strncmp(path, merged[i], n) == 0) {
			snprintf(alt, sizeof(alt), "/usr%s", path);
			return fim_dpkg_md5(d, alt, pkg);
		}
	}
	return NULL;
}

/* The records name paths inside the root the scan was given. */
static const char *
lookup_rooted(struct fim_dpkg *d, const char *path, const char **pkg)
{
	size_t rl = strlen(d->root);

	load(d);
	if (rl > 0 && strncmp(path, d->root, rl) == 0 && path[rl] == '/')
		return lookup(d, path + rl, pkg);
	return lookup(d, path, pkg);
}

int
fim_dpkg_explains_removal(struct fim_dpkg *d, const struct fim_entry *old,
    time_t since, char *pkg, size_t pkgsz)
{
	const char *p = NULL;

	if (old->pkg == NULL)
		return 0;
	if (lookup_rooted(d, old->path, &p) != NULL)
		return 0; /* still a package's file: its removal is not dpkg's */
	load_logs(d);
	if (fim_dpkg_last_change(d, old->pkg) < since)
		return 0;
	snprintf(pkg, pkgsz, "%s", old->pkg);
	return 1;
}

size_t
fim_dpkg_annotate(struct fim_dpkg *d, struct fim_baseline *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct fim_entry *e = &b->e[i];
		const char *p = NULL;

		free(e->pkg);
		e->pkg = NULL;
		if (!S_ISREG(e->mode) || lookup_rooted(d, e->path, &p) == NULL)
			continue;
		if ((e->pkg = strdup(p)) != NULL)
			n++;
	}
	return n;
}

int
fim_dpkg_explains(
    struct fim_dpkg *d, const char *path, time_t since, char *pkg, size_t pkgsz)
{
	const char *want, *p = NULL;
	char now[33];

	want = lookup_rooted(d, path, &p);
	if (want == NULL)
		return 0;
	load_logs(d);
	if (fim_dpkg_last_change(d, p) < since)
		return 0;
	if (file_md5(d, path, now) == -1 || strcmp(now, want) != 0)
		return 0;
	snprintf(pkg, pkgsz, "%s", p);
	return 1;
}
