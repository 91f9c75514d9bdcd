/*
 * db.c - the package database's handle (see pkg.h) and the one table of
 * merged-/usr directories.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "pkg/pkg_int.h"

struct pkg_db *
pkg_new(void)
{
	struct pkg_db *db = calloc(1, sizeof(*db));

	if (db == NULL)
		return NULL;
	hmap_init(&db->byname);
	hmap_init(&db->md5s);
	hmap_init(&db->changes);
	return db;
}

struct pkg_db *
pkg_open(const char *root)
{
	struct pkg_db *db = pkg_new();

	if (db == NULL)
		return NULL;
	db->files = 1;
	snprintf(db->root, sizeof(db->root), "%s", root ? root : "");
	return db;
}

void
pkg_free(struct pkg_db *db)
{
	if (db == NULL)
		return;
	free(db->pkgs);
	hmap_release(&db->byname);
	pkg_records_release(db);
	free(db);
}

const char *
pkg_root(const struct pkg_db *db)
{
	return db->root;
}

/* The directories that are symbolic links into /usr on a merged-/usr
 * system (Debian 12 and later, and most distributions since 2020). */
static const char *const merged[] = {
    "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"};

int
pkg_usr_alias(const char *path, char *alt, size_t altsz)
{
	alt[0] = '\0';
	for (size_t i = 0; i < countof(merged); i++) {
		size_t n = strlen(merged[i]);

		if (strncmp(path, merged[i], n) == 0) {
			snprintf(alt, altsz, "/usr%s", path);
			return 1;
		}
		if (strncmp(path, "/usr", 4) == 0 &&
		    strncmp(path + 4, merged[i], n) == 0) {
			snprintf(alt, altsz, "%s", path + 4);
			return 1;
		}
	}
	return 0;
}

void
pkg_usr_path(const char *path, char *dst, size_t dstsz)
{
	if (strncmp(path, "/usr/", 5) == 0 || !pkg_usr_alias(path, dst, dstsz))
		snprintf(dst, dstsz, "%s", path);
}
