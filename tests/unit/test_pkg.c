/*
 * test_pkg.c - the package database: dpkg's status file, the file lists
 * (owners, with merged-/usr spellings), the md5sums, dpkg.log with its
 * plain and gzipped rotations, and a database that reads no files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/mem.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "pkg/pkg.h"
#include "rules/procrules_int.h"

#define ROOT FIXTURES "/pkg/root"
#define INV_ROOT FIXTURES "/inv/root"

/* A time as dpkg writes it in its log (local time). */
static time_t
local_stamp(const char *s)
{
	struct tm tm = {.tm_isdst = -1};

	assert_non_null(strptime(s, "%Y-%m-%d %H:%M:%S", &tm));
	return mktime(&tm);
}

static void
status_installed_packages(void **state)
{
	struct pkg_db *db = pkg_open(ROOT);
	struct err err = {0};
	const struct pkg_info *p, *all;
	size_t n;

	(void)state;
	assert_non_null(db);
	/* Read on first use: no explicit load needed. */
	p = pkg_find(db, "coreutils");
	assert_non_null(p);
	assert_string_equal(p->version, "9.1-1");
	assert_string_equal(p->arch, "amd64");
	/* Two architectures: both listed, the first answers for the name. */
	p = pkg_find(db, "libc6");
	assert_non_null(p);
	assert_string_equal(p->arch, "amd64");
	assert_string_equal(p->version, "2.36-9+deb12u14");
	assert_non_null(pkg_find(db, "libx32stdc++6")); /* unpacked */
	assert_null(pkg_find(db, "removed"));           /* config files */
	assert_null(pkg_find(db, "notinstalled"));
	all = pkg_list(db, &n);
	assert_int_equal(n, 5);
	assert_string_equal(all[0].name, "coreutils");
	assert_string_equal(all[2].arch, "i386");
	assert_int_equal(pkg_status_skipped(db), 1); /* no Package field */
	assert_int_equal(pkg_status_load(db, &err), 0);
	pkg_free(db);
}

/* The answers the inventory had from its own dpkg reader. */
static void
status_as_inventory_read_it(void **state)
{
	struct pkg_db *db = pkg_open(INV_ROOT);
	struct err err = {0};
	const struct pkg_info *p;
	size_t n;

	(void)state;
	assert_non_null(db);
	assert_int_equal(pkg_status_load(db, &err), 0);
	p = pkg_find(db, "openssh-server");
	assert_non_null(p);
	assert_string_equal(p->version, "1:9.2p1-2+deb12u3");
	assert_string_equal(p->arch, "amd64");
	assert_non_null(pkg_find(db, "apache2-bin"));
	assert_null(pkg_find(db, "oldstuff")); /* only config files left */
	p = pkg_find(db, "noversion");
	assert_non_null(p);
	assert_string_equal(p->version, "");
	assert_non_null(pkg_find(db, "half"));
	(void)pkg_list(db, &n);
	assert_int_equal(n, 5);
	assert_true(pkg_status_skipped(db) >= 1); /* the line without a colon */
	pkg_free(db);
	/* No dpkg at all: a clear error, the same on a second call. */
	db = pkg_open("/nonexistent");
	assert_non_null(db);
	assert_int_equal(pkg_status_load(db, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/var/lib/dpkg/status"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(pkg_status_load(db, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/var/lib/dpkg/status"));
	assert_null(pkg_find(db, "coreutils"));
	pkg_free(db);
}

static void
owners_inventory_paths(void **state)
{
	const char *paths[] = {"/usr/sbin/sshd", "/usr/sbin/apache2",
	    "/usr/bin/ldd-fixture", "/usr/local/bin/mine", "relative", NULL};
	char owner[6][128];
	struct err err = {0};
	struct pkg_db *db = pkg_open(INV_ROOT);

	(void)state;
	assert_non_null(db);
	assert_int_equal(pkg_owners(db, paths, 6, owner, &err), 0);
	assert_string_equal(owner[0], "openssh-server");
	assert_string_equal(owner[1], "apache2-bin");
	assert_string_equal(owner[2], "libc6"); /* /bin alias, ":amd64" cut */
	assert_string_equal(owner[3], "");
	assert_string_equal(owner[4], "");
	assert_string_equal(owner[5], "");
	pkg_free(db);
}

/* Every merged-/usr directory, in either spelling on either side. */
static void
owners_merged_usr(void **state)
{
	const char *paths[] = {
	    "/usr/bin/ls",                     /* listed as /bin/ls */
	    "/bin/env",                        /* listed as /usr/bin/env */
	    "/usr/lib64/ld-linux-x86-64.so.2", /* listed under /lib64 */
	    "/lib32/libgcc_s.so.1",            /* listed under /usr/lib32 */
	    "/usr/libx32/libstdc++.so.6",      /* listed under /libx32 */
	    "/usr/local/bin/ls",               /* not a merged directory */
	    "/usr/bin/ls",                     /* twice */
	};
	char owner[7][128];
	struct err err = {0};
	struct pkg_db *db = pkg_open(ROOT);

	(void)state;
	assert_non_null(db);
	assert_int_equal(pkg_owners(db, paths, 7, owner, &err), 0);
	assert_string_equal(owner[0], "coreutils");
	assert_string_equal(owner[1], "coreutils");
	assert_string_equal(owner[2], "libc6");
	assert_string_equal(owner[3], "lib32gcc-s1");
	assert_string_equal(owner[4], "libx32stdc++6");
	assert_string_equal(owner[5], "");
	pkg_free(db);
	/* No file lists: an error naming the directory. */
	db = pkg_open("/nonexistent");
	assert_non_null(db);
	assert_int_equal(pkg_owners(db, paths, 7, owner, &err), -1);
	assert_non_null(strstr(err.msg, "'/nonexistent/var/lib/dpkg/info'"));
	pkg_free(db);
}

static void
usr_spellings(void **state)
{
	static const char *const pairs[][2] = {{"/bin/sh", "/usr/bin/sh"},
	    {"/sbin/init", "/usr/sbin/init"}, {"/lib/x.so", "/usr/lib/x.so"},
	    {"/lib32/x.so", "/usr/lib32/x.so"},
	    {"/lib64/x.so", "/usr/lib64/x.so"},
	    {"/libx32/x.so", "/usr/libx32/x.so"}};
	char alt[64], usr[64];

	(void)state;
	for (size_t i = 0; i < countof(pairs); i++) {
		assert_int_equal(
		    pkg_usr_alias(pairs[i][0], alt, sizeof(alt)), 1);
		assert_string_equal(alt, pairs[i][1]);
		assert_int_equal(
		    pkg_usr_alias(pairs[i][1], alt, sizeof(alt)), 1);
		assert_string_equal(alt, pairs[i][0]);
		pkg_usr_path(pairs[i][0], usr, sizeof(usr));
		assert_string_equal(usr, pairs[i][1]);
		pkg_usr_path(pairs[i][1], usr, sizeof(usr));
		assert_string_equal(usr, pairs[i][1]);
	}
	/* Not merged: a prefix of a name is not a directory. */
	assert_int_equal(pkg_usr_alias("/library/x", alt, sizeof(alt)), 0);
	assert_string_equal(alt, "");
	assert_int_equal(
	    pkg_usr_alias("/usr/local/bin/x", alt, sizeof(alt)), 0);
	assert_int_equal(pkg_usr_alias("/usr/binary", alt, sizeof(alt)), 0);
	pkg_usr_path("/opt/bin/x", usr, sizeof(usr));
	assert_string_equal(usr, "/opt/bin/x");
}

/* The process rules' allow lists name /usr paths; a program run from the
 * other spelling of any merged-/usr directory is the same program. */
static void
process_rules_merged_usr(void **state)
{
	static const char *const allow[] = {"/usr/sbin/sshd",
	    "/usr/lib32/agent", "/usr/libx32/agent", "/usr/lib64/agent", NULL};

	(void)state;
	assert_true(procrules_builtin_allowed(allow, "sshd", "/sbin/sshd"));
	assert_true(procrules_builtin_allowed(allow, "agent", "/lib32/agent"));
	assert_true(procrules_builtin_allowed(allow, "agent", "/libx32/agent"));
	assert_true(procrules_builtin_allowed(allow, "agent", "/lib64/agent"));
	assert_false(
	    procrules_builtin_allowed(allow, "agent", "/opt/lib32/agent"));
}

static void
md5sums_read_lazily(void **state)
{
	struct pkg_db *db = pkg_open(ROOT);
	const char *pkg = NULL, *md5;

	(void)state;
	assert_non_null(db);
	md5 = pkg_md5(db, "/usr/bin/ls", &pkg); /* listed as bin/ls */
	assert_non_null(md5);
	assert_string_equal(md5, "6c2f2a3e1b4c3e1bc7a4e0c9bfe1d2a3");
	assert_string_equal(pkg, "coreutils");
	md5 = pkg_md5(db, "/bin/env", &pkg); /* listed as usr/bin/env */
	assert_non_null(md5);
	assert_string_equal(md5, "0d2a8f3b7c6e5d4c3b2a19f8e7d6c5b4");
	md5 = pkg_md5(db, "/usr/lib64/ld-linux-x86-64.so.2", &pkg);
	assert_non_null(md5);
	assert_string_equal(pkg, "libc6"); /* ":amd64" cut */
	md5 = pkg_md5(db, "/usr/libx32/libstdc++.so.6", &pkg);
	assert_non_null(md5);
	assert_string_equal(pkg, "libx32stdc++6");
	assert_null(pkg_md5(db, "/usr/lib32/libgcc_s.so.1", NULL));
	assert_null(pkg_md5(db, "/usr/local/bin/ls", NULL));
	pkg_free(db);
	/* Read ahead (as a thread does while fim scans): the same answers. */
	db = pkg_open(ROOT);
	assert_non_null(db);
	pkg_md5sums_load(db);
	assert_non_null(pkg_md5(db, "/bin/ls", &pkg));
	assert_string_equal(pkg, "coreutils");
	pkg_free(db);
}

static void
log_with_rotations(void **state)
{
	struct pkg_db *db = pkg_open(ROOT);

	(void)state;
	assert_non_null(db);
	/* The reinstall in dpkg.log is later than the upgrade in .2.gz. */
	assert_true(pkg_last_change(db, "coreutils") ==
	    local_stamp("2026-12-01 08:00:01"));
	/* Only in dpkg.log.1.gz (.1 compressed). */
	assert_true(pkg_last_change(db, "lib32gcc-s1") ==
	    local_stamp("2026-11-10 12:00:00"));
	/* Only in dpkg.log.2.gz. */
	assert_true(pkg_last_change(db, "libx32stdc++6") ==
	    local_stamp("2026-10-03 07:16:00"));
	/* A removal, in dpkg.log.5.gz after missing .3 and .4. */
	assert_true(pkg_last_change(db, "removed") ==
	    local_stamp("2026-05-20 18:45:00"));
	/* Triggers and status lines are not changes. */
	assert_true(pkg_last_change(db, "man-db") == 0);
	assert_true(pkg_last_change(db, "libc6") == 0);
	pkg_free(db);
}

/* The parsers alone, on the records fim's tests were written with. */
static void
parsers_as_fim_read_them(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct pkg_db *d = pkg_new();
	const char *pkg = NULL, *md5;
	struct err err = {0};
	struct tm tm;

	(void)state;
	assert_int_equal(
	    file_read(FIXTURES "/fim/hello.md5sums", 1 << 20, &sb, NULL, &err),
	    0);
	assert_int_equal(pkg_parse_md5sums(d, "hello:amd64", sb.p, sb.len), 2);
	md5 = pkg_md5(d, "/usr/bin/hello", &pkg);
	assert_non_null(md5);
	assert_string_equal(md5, "d41d8cd98f00b204e9800998ecf8427e");
	assert_string_equal(pkg, "hello");
	assert_null(pkg_md5(d, "/usr/bin/one-space", NULL));
	assert_int_equal(
	    file_read(FIXTURES "/fim/dpkg.log", 1 << 20, &sb, NULL, &err), 0);
	assert_int_equal(pkg_parse_log(d, sb.p, sb.len), 1);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 25;
	tm.tm_hour = 9;
	tm.tm_min = 30;
	tm.tm_isdst = -1;
	/* The reinstall (an upgrade to the same version) is the last change;
	 * status and trigger lines are not changes. */
	assert_true(pkg_last_change(d, "hello") == mktime(&tm));
	assert_true(pkg_last_change(d, "libc6") > mktime(&tm));
	assert_true(pkg_last_change(d, "man-db") == 0);
	pkg_free(d);
	strbuf_release(&sb);
}

/* A database made by pkg_new reads no file, not even this system's: only
 * what the parsers were given. */
static void
no_root_reads_nothing(void **state)
{
	struct pkg_db *db = pkg_new();
	struct err err = {0};
	const char *paths[] = {"/bin/sh"};
	char owner[1][128];
	size_t n;

	(void)state;
	assert_non_null(db);
	assert_string_equal(pkg_root(db), "");
	assert_int_equal(pkg_status_load(db, &err), -1);
	assert_null(pkg_find(db, "libc6"));
	(void)pkg_list(db, &n);
	assert_int_equal(n, 0);
	assert_int_equal(pkg_owners(db, paths, 1, owner, &err), -1);
	assert_null(pkg_md5(db, "/bin/sh", NULL));
	assert_true(pkg_last_change(db, "libc6") == 0);
	pkg_parse_status(db, "Package: x\nStatus: install ok installed\n", 40);
	assert_non_null(pkg_find(db, "x"));
	pkg_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_installed_packages),
	    cmocka_unit_test(status_as_inventory_read_it),
	    cmocka_unit_test(owners_inventory_paths),
	    cmocka_unit_test(owners_merged_usr),
	    cmocka_unit_test(usr_spellings),
	    cmocka_unit_test(process_rules_merged_usr),
	    cmocka_unit_test(md5sums_read_lazily),
	    cmocka_unit_test(log_with_rotations),
	    cmocka_unit_test(parsers_as_fim_read_them),
	    cmocka_unit_test(no_root_reads_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
