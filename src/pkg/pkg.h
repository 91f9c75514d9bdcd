/*
 * pkg.h - the package database: what the package manager knows about
 * the installed system, read under one root prefix.  dpkg is the one
 * backend:
 *   - installed packages and their versions (ROOT/var/lib/dpkg/status);
 *   - which package owns a path (ROOT/var/lib/dpkg/info/PKG[:ARCH].list);
 *   - the MD5 of every file of an installed package
 *     (ROOT/var/lib/dpkg/info/PKG[:ARCH].md5sums);
 *   - when each package was last installed, upgraded or removed
 *     (ROOT/var/log/dpkg.log and its rotations, the older ones gzipped).
 * Each part is read on first use and bounded.  On merged-/usr systems
 * /bin, /sbin and /lib* are /usr/bin, /usr/sbin and /usr/lib*, and the
 * packages list either spelling: every lookup by path tries both.
 * The parsers are pure (bytes in) for tests and fuzzing.
 */
#ifndef PKG_PKG_H
#define PKG_PKG_H

#include <stddef.h>
#include <time.h>

struct err;

struct pkg_info {
	char name[128];
	char arch[32];
	char version[128]; /* "" for a package without a version */
};

struct pkg_db;

/* The records of the system under root (NULL or "" for this one).  NULL
 * on ENOMEM. */
struct pkg_db *pkg_open(const char *root);
/* A database that reads no files: it holds what the parsers are given. */
struct pkg_db *pkg_new(void);
void pkg_free(struct pkg_db *db);
/* The root prefix the database was opened with ("" when none). */
const char *pkg_root(const struct pkg_db *db);

/* Reads the status file now (it is otherwise read on first use).  0, or
 * -1 with err when there is none (no dpkg). */
int pkg_status_load(struct pkg_db *db, struct err *err);
/* The installed package of that name (the first architecture), or NULL. */
const struct pkg_info *pkg_find(struct pkg_db *db, const char *name);
/* The installed packages, in the status file's order; *n gets the count. */
const struct pkg_info *pkg_list(struct pkg_db *db, size_t *n);
/* Malformed stanzas or lines of the status file, skipped. */
unsigned pkg_status_skipped(const struct pkg_db *db);

/*
 * Which package owns each of the n absolute paths: owner[i] is set to the
 * package name (without ":arch", cut to 128 bytes) or "" when none.  Reads
 * the .list files and stops once every path has an owner.  0, or -1 with
 * err when there are no file lists.
 */
int pkg_owners(struct pkg_db *db, const char *const *paths, size_t n,
    char (*owner)[128], struct err *err);

/* Reads the md5sums now (they are otherwise read on first use): a thread
 * can do it while other work runs. */
void pkg_md5sums_load(struct pkg_db *db);
/* The MD5 (32 hex digits) dpkg recorded for path, with its package in
 * *pkg (without ":arch"); NULL when no installed package lists it. */
const char *pkg_md5(struct pkg_db *db, const char *path, const char **pkg);
/* The package's last install, upgrade or removal in dpkg's log (0 if
 * none). */
time_t pkg_last_change(struct pkg_db *db, const char *pkg);

/* The other spelling of path on a merged-/usr system ("/bin/ls" and
 * "/usr/bin/ls"): 1 with alt set, 0 when path has none (alt ""). */
int pkg_usr_alias(const char *path, char *alt, size_t altsz);
/* path spelled under /usr when it has a merged-/usr alias, else itself. */
void pkg_usr_path(const char *path, char *dst, size_t dstsz);

/* Pure parsers. */
/* A status file's text: keeps the installed packages. */
void pkg_parse_status(struct pkg_db *db, const char *text, size_t len);
/* One md5sums file of package pkg; returns lines skipped as malformed. */
size_t pkg_parse_md5sums(
    struct pkg_db *db, const char *pkg, const char *data, size_t len);
/* dpkg.log text; returns lines skipped as malformed. */
size_t pkg_parse_log(struct pkg_db *db, const char *data, size_t len);

#endif
