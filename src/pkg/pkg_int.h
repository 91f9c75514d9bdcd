/*
 * pkg_int.h - the package database's state, shared by its files: the
 * root, and each part of dpkg's records with whether it was read.
 */
#ifndef PKG_PKG_INT_H
#define PKG_PKG_INT_H

#include "base/err.h"
#include "base/hmap.h"
#include "pkg/pkg.h"

struct pkg_db {
	char root[4096];
	int files;         /* 0: made by pkg_new, reads nothing */
	int status_loaded; /* 1 read, -1 failed (status_err) */
	struct err status_err;
	struct pkg_info *pkgs; /* installed packages only, file order */
	size_t n, cap;
	struct hmap byname; /* name -> index + 1 */
	unsigned skipped;   /* malformed stanzas or lines */
	int md5_loaded, log_loaded;
	struct hmap md5s;    /* "/path" -> struct md5rec * */
	struct hmap changes; /* "pkg" -> time of last install or upgrade */
};

/* records.c: frees what the md5sums and the log left in db. */
void pkg_records_release(struct pkg_db *db);

#endif
