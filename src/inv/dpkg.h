/*
 * dpkg.h - what dpkg knows: installed packages and their versions
 * (/var/lib/dpkg/status) and which package owns a file
 * (/var/lib/dpkg/info/PKG[:ARCH].list).  Parsers are pure; dpkg_load and
 * dpkg_owners are the readers (with a root prefix).
 */
#ifndef INV_DPKG_H
#define INV_DPKG_H

#include <stddef.h>

#include "base/hmap.h"

struct err;

struct dpkg_pkg {
	char name[128];
	char arch[32];
	char version[128]; /* "" for a package without a version */
};

struct dpkg_db {
	struct dpkg_pkg *pkgs; /* installed packages only, file order */
	size_t n, cap;
	struct hmap byname; /* name -> index + 1 */
	unsigned skipped;   /* malformed stanzas or lines */
};

void dpkg_init(struct dpkg_db *db);
void dpkg_release(struct dpkg_db *db);
/* Parses the text of a dpkg status file; keeps installed packages. */
void dpkg_parse_status(struct dpkg_db *db, const char *text, size_t len);
/* Reads root/var/lib/dpkg/status.  0, or -1 with err (no dpkg). */
int dpkg_load(struct dpkg_db *db, const char *root, struct err *err);
const struct dpkg_pkg *dpkg_find(const struct dpkg_db *db, const char *name);

/*
 * Which package owns each of the n absolute paths: owner[i] is set to the
 * package name (without ":arch", cut to 128 bytes) or "" when none.  Reads
 * the .list files under root/var/lib/dpkg/info and stops once every path
 * has an owner.  /bin and /usr/bin (and sbin, lib) are the same directory
 * on merged-/usr systems, so both spellings are tried.
 */
int dpkg_owners(const char *root, const char *const *paths, size_t n,
    char (*owner)[128], struct err *err);

#endif
