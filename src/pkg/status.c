/*
 * status.c - dpkg's status file (installed packages and their versions)
 * and file lists (which package owns a path); see pkg.h.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "pkg/pkg_int.h"

static void
field(char *dst, size_t dstsz, const char *s, const char *e)
{
	size_t n;

	cur_spaces(&s, e);
	n = (size_t)(e - s);
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
add(struct pkg_db *db, const struct pkg_info *p)
{
	struct hmap_entry *e;
	int created;

	if (db->n == db->cap) {
		size_t ncap = db->cap ? db->cap * 2 : 512;
		struct pkg_info *np = realloc(db->pkgs, ncap * sizeof(*np));

		if (np == NULL)
			return;
		db->pkgs = np;
		db->cap = ncap;
	}
	db->pkgs[db->n++] = *p;
	/* Multi-arch packages: the first instance answers for the name. */
	e = hmap_put(&db->byname, p->name, strlen(p->name), &created);
	if (e && created)
		e->val.u = db->n;
}

void
pkg_parse_status(struct pkg_db *db, const char *text, size_t len)
{
	const char *cur = text, *end = text + len, *ls, *le;
	struct pkg_info p;
	int installed = 0, have = 0;

	memset(&p, 0, sizeof(p));
	for (;;) {
		int more = cur_line(&cur, end, &ls, &le) == 0;

		if (!more || ls == le) {
			/* End of a stanza. */
			if (have) {
				if (p.name[0] == '\0')
					db->skipped++;
				else if (installed)
					add(db, &p);
			}
			memset(&p, 0, sizeof(p));
			installed = have = 0;
			if (!more)
				break;
			continue;
		}
		have = 1;
		if (*ls == ' ' || *ls == '\t')
			continue; /* continuation of a multi-line field */
		const char *colon = memchr(ls, ':', (size_t)(le - ls));
		if (colon == NULL) {
			db->skipped++;
			continue;
		}
		size_t kl = (size_t)(colon - ls);
		if (mem_eq(ls, kl, "Package"))
			field(p.name, sizeof(p.name), colon + 1, le);
		else if (mem_eq(ls, kl, "Version"))
			field(p.version, sizeof(p.version), colon + 1, le);
		else if (mem_eq(ls, kl, "Architecture"))
			field(p.arch, sizeof(p.arch), colon + 1, le);
		else if (mem_eq(ls, kl, "Status")) {
			/* "install ok installed"; also count half-configured. */
			const char *s = colon + 1;
			size_t n = (size_t)(le - s);
			installed =
			    (n >= 10 &&
			        memcmp(le - 10, " installed", 10) == 0) ||
			    memmem(s, n, "half-configured", 15) != NULL ||
			    memmem(s, n, "unpacked", 8) != NULL;
		}
	}
}

int
pkg_status_load(struct pkg_db *db, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(256 << 20);
	char path[PATH_MAX];

	if (db->status_loaded == 0) {
		db->status_loaded = -1;
		if (!db->files)
			err_set(&db->status_err, ENOENT,
			    "no package records to read");
		else if (path_join(path, sizeof(path), db->root,
		             "/var/lib/dpkg/status") == -1)
			err_set(&db->status_err, ENAMETOOLONG, "path too long");
		else if (file_read(path, 256 << 20, &sb, NULL,
		             &db->status_err) == 0) {
			pkg_parse_status(db, sb.p, sb.len);
			db->status_loaded = 1;
		}
		strbuf_release(&sb);
	}
	if (db->status_loaded == 1)
		return 0;
	if (err)
		*err = db->status_err;
	return -1;
}

const struct pkg_info *
pkg_find(struct pkg_db *db, const char *name)
{
	const struct hmap_entry *e;

	(void)pkg_status_load(db, NULL);
	e = hmap_get(&db->byname, name, strlen(name));
	return e ? &db->pkgs[e->val.u - 1] : NULL;
}

const struct pkg_info *
pkg_list(struct pkg_db *db, size_t *n)
{
	(void)pkg_status_load(db, NULL);
	*n = db->n;
	return db->pkgs;
}

unsigned
pkg_status_skipped(const struct pkg_db *db)
{
	return db->skipped;
}

int
pkg_owners(struct pkg_db *db, const char *const *paths, size_t n,
    char (*owner)[128], struct err *err)
{
	char dir[PATH_MAX], file[PATH_MAX];
	struct strbuf sb = STRBUF_INIT(64 << 20);
	struct hmap want;
	struct dirent *de;
	size_t left = 0;
	DIR *d;

	hmap_init(&want);
	for (size_t i = 0; i < n; i++) {
		char alt[PATH_MAX];
		struct hmap_entry *e;

		owner[i][0] = '\0';
		if (paths[i] == NULL || paths[i][0] != '/')
			continue;
		e = hmap_put(&want, paths[i], strlen(paths[i]), NULL);
		if (e && e->val.u == 0) {
			e->val.u = i + 1;
			left++;
		}
		if (pkg_usr_alias(paths[i], alt, sizeof(alt)) &&
		    (e = hmap_put(&want, alt, strlen(alt), NULL)) &&
		    e->val.u == 0)
			e->val.u = i + 1;
	}
	if (!db->files) {
		hmap_release(&want);
		return err_set(err, ENOENT, "no package records to read");
	}
	if (path_join(dir, sizeof(dir), db->root, "/var/lib/dpkg/info") == -1) {
		hmap_release(&want);
		return err_set(err, ENAMETOOLONG, "path too long");
	}
	d = opendir(dir);
	if (d == NULL) {
		hmap_release(&want);
		return err_sys(err, errno, "cannot open '%s'", dir);
	}
	while (left > 0 && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		const char *cur, *end, *ls, *le;

		if (nl < 6 || strcmp(de->d_name + nl - 5, ".list") != 0)
			continue;
		if (snprintf(file, sizeof(file), "%s/%s", dir, de->d_name) >=
		        (int)sizeof(file) ||
		    file_read(file, 64 << 20, &sb, NULL, NULL) == -1)
			continue;
		cur = sb.p;
		end = sb.p + sb.len;
		while (left > 0 && cur_line(&cur, end, &ls, &le) == 0) {
			struct hmap_entry *e =
			    hmap_get(&want, ls, (size_t)(le - ls));
			size_t idx, pl;
			const char *colon;

			if (e == NULL)
				continue;
			idx = e->val.u - 1;
			if (owner[idx][0])
				continue;
			/* "openssh-server.list" or "libc6:amd64.list" */
			pl = nl - 5;
			colon = memchr(de->d_name, ':', pl);
			if (colon)
				pl = (size_t)(colon - de->d_name);
			if (pl >= sizeof(owner[idx]))
				pl = sizeof(owner[idx]) - 1;
			memcpy(owner[idx], de->d_name, pl);
			owner[idx][pl] = '\0';
			left--;
		}
	}
	closedir(d);
	strbuf_release(&sb);
	hmap_release(&want);
	return 0;
}
