/*
 * test_fim.c - the file integrity module: the baseline format (round
 * trip, escaping, truncation and corruption), the classification of
 * changes, what the package manager explains, and Ed25519 signatures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/mem.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/strbuf.h"
#include "conf/conf.h"
#include "fim/fim.h"
#include "pkg/pkg.h"
#include "rm_tree.h"

static void
read_fixture(const char *name, struct strbuf *sb)
{
	char p[4096];
	struct err err = {0};

	snprintf(p, sizeof(p), "%s/fim/%s", FIXTURES, name);
	assert_int_equal(file_read(p, 1 << 20, sb, NULL, &err), 0);
}

static void
parses_the_fixture(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct fim_baseline b;
	struct err err = {0};
	const struct fim_entry *e;

	(void)state;
	read_fixture("baseline.txt", &sb);
	fim_baseline_init(&b);
	assert_int_equal(fim_baseline_parse(sb.p, sb.len, &b, &err), 0);
	assert_int_equal(b.n, 5);
	assert_int_equal(b.nroots, 2);
	assert_string_equal(b.roots[1], "/var/www");
	assert_int_equal(b.nexcludes, 1);
	assert_string_equal(b.host, "web one");
	assert_int_equal(b.created, 1764187200);
	e = fim_baseline_find(&b, "/usr/bin/ls");
	assert_non_null(e);
	assert_true(S_ISREG(e->mode));
	assert_int_equal(e->mode & 07777, 0755);
	assert_int_equal(e->ino, 11);
	assert_true(e->mtime == 1764187000500000000LL);
	assert_true(e->flags & FIM_F_EXEC);
	assert_int_equal(e->hash[0], 0xba);
	e = fim_baseline_find(&b, "/usr/bin/ping");
	assert_non_null(e);
	assert_string_equal(
	    e->caps, "0100000200200000000000000000000000000000");
	/* A newline and an invalid UTF-8 byte in a name, escaped as %XX. */
	e = fim_baseline_find(&b, "/var/www/a\nb\xff");
	assert_non_null(e);
	assert_int_equal(e->uid, 33);
	assert_true(e->mtime == -1000000000LL);
	assert_string_equal(e->xattrs, "user.x=3031");
	e = fim_baseline_find(&b, "/var/www/link");
	assert_non_null(e);
	assert_true(S_ISLNK(e->mode));
	assert_string_equal(e->target, "-");
	fim_baseline_release(&b);
	strbuf_release(&sb);
}

static void
writes_what_it_reads(void **state)
{
	struct strbuf sb = STRBUF_INIT(0), out = STRBUF_INIT(0);
	struct fim_baseline b, again;
	struct err err = {0};

	(void)state;
	read_fixture("baseline.txt", &sb);
	fim_baseline_init(&b);
	fim_baseline_init(&again);
	assert_int_equal(fim_baseline_parse(sb.p, sb.len, &b, &err), 0);
	assert_int_equal(fim_baseline_write(&b, &out, &err), 0);
	assert_non_null(strstr(out.p, "/var/www/a%0ab%ff f 0644"));
	assert_non_null(strstr(out.p, "host web%20one\n"));
	assert_int_equal(fim_baseline_parse(out.p, out.len, &again, &err), 0);
	assert_int_equal(again.n, b.n);
	for (size_t i = 0; i < b.n; i++) {
		assert_string_equal(again.e[i].path, b.e[i].path);
		assert_memory_equal(again.e[i].hash, b.e[i].hash, 32);
		assert_int_equal(again.e[i].mode, b.e[i].mode);
	}
	fim_baseline_release(&b);
	fim_baseline_release(&again);
	strbuf_release(&sb);
	strbuf_release(&out);
}

/* The writer's fields, exactly: escapes, octal mode, big and negative
 * numbers, nanoseconds, the hash in hex, the package. */
static void
writes_each_field_exactly(void **state)
{
	struct strbuf out = STRBUF_INIT(0);
	struct fim_baseline b;
	struct fim_entry e[2];
	struct err err = {0};
	char path0[] = "/srv/a b%c", path1[] = "/srv/z", tgt[] = "-";
	char caps[] = "0100", pkg[] = "web-pages";

	(void)state;
	fim_baseline_init(&b);
	memset(e, 0, sizeof(e));
	e[0].path = path0;
	e[0].mode = S_IFREG | 04755;
	e[0].uid = 4294967294u;
	e[0].gid = 7;
	e[0].size = 9223372036854775807ULL;
	e[0].ino = 18446744073709551615ULL;
	e[0].nlink = 1;
	e[0].mtime = -1500000000LL;         /* 1.5 s before the epoch */
	e[0].ctime = 1764187000000000001LL; /* one nanosecond past */
	e[0].atime = 0;
	for (int i = 0; i < 32; i++)
		e[0].hash[i] = (unsigned char)(i * 17 + 15);
	e[0].caps = caps;
	e[0].flags = FIM_F_HASHED | FIM_F_EXEC;
	e[0].pkg = pkg;
	e[1].path = path1;
	e[1].mode = S_IFLNK | 0777;
	e[1].target = tgt;
	e[1].flags = FIM_F_UNREADABLE;
	e[1].err = 13;
	b.e = e;
	b.n = 2;
	assert_int_equal(fim_baseline_write(&b, &out, &err), 0);
	assert_non_null(strstr(out.p,
	    "\n/srv/a%20b%25c f 4755 4294967294 7 9223372036854775807 "
	    "18446744073709551615 1 -2.500000000 1764187000.000000001 "
	    "0.000000000 "
	    "0f2031425364758697a8b9cadbecfd0e1f30415263748596a7b8c9daebfc0d1e"
	    " - 0100 - hx 0 web-pages\n"));
	assert_non_null(strstr(out.p,
	    "\n/srv/z l 0777 0 0 0 0 0 0.000000000 0.000000000 "
	    "0.000000000 - %2d - - u 13 -\nend\n"));
	b.e = NULL;
	b.n = 0;
	fim_baseline_release(&b);
	strbuf_release(&out);
}

/* Parses text; returns the error message ("" when it parsed). */
static const char *
parse_err(const char *text, size_t len)
{
	static struct err err;
	struct fim_baseline b;
	int rc;

	memset(&err, 0, sizeof(err));
	fim_baseline_init(&b);
	rc = fim_baseline_parse(text, len, &b, &err);
	fim_baseline_release(&b);
	if (rc == 0)
		return "";
	assert_true(err.msg[0] != '\0');
	return err.msg;
}

static void
refuses_truncated_and_corrupt(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	char *copy;
	const char *m;
	size_t cut;

	(void)state;
	read_fixture("baseline.txt", &sb);
	/* Every prefix is refused, with a reason. */
	for (cut = 0; cut < sb.len; cut++)
		assert_string_not_equal(parse_err(sb.p, cut), "");
	m = parse_err(sb.p, sb.len - 4); /* "end\n" gone */
	assert_non_null(strstr(m, "truncated"));
	m = parse_err(sb.p, (size_t)(strstr(sb.p, "/usr/bin/ping") - sb.p));
	assert_non_null(strstr(m, "truncated: 2 of 5 entries"));
	/* One byte changed in a number, in the order, in the magic. */
	copy = malloc(sb.len);
	memcpy(copy, sb.p, sb.len);
	*strstr(copy, " 0755 0 0 3 11") = 'x';
	m = parse_err(copy, sb.len);
	assert_non_null(strstr(m, "corrupt baseline: line 12"));
	memcpy(copy, sb.p, sb.len);
	memcpy(strstr(copy, "/usr/bin/ping"), "/usr/bin/aaaa", 13);
	m = parse_err(copy, sb.len);
	assert_non_null(strstr(m, "out of order"));
	memcpy(copy, sb.p, sb.len);
	copy[0] = 'x';
	assert_non_null(strstr(parse_err(copy, sb.len), "not a sakimori"));
	/* What the file says is not repeated in the reason. */
	memcpy(copy, sb.p, sb.len);
	memcpy(strstr(copy, "hash sha256"), "hash SECRET", 11);
	m = parse_err(copy, sb.len);
	assert_non_null(strstr(m, "unknown hash"));
	assert_null(strstr(m, "SECRET"));
	m = parse_err("sakimori-fim-baseline 9\n", 24);
	assert_non_null(strstr(m, "newer"));
	/* Data after the end. */
	free(copy);
	copy = malloc(sb.len + 2);
	memcpy(copy, sb.p, sb.len);
	memcpy(copy + sb.len, "x\n", 2);
	assert_non_null(strstr(parse_err(copy, sb.len + 2), "after 'end'"));
	free(copy);
	strbuf_release(&sb);
}

/* A baseline entry for the diff tests. */
static void
add(struct fim_baseline *b, const char *path, mode_t mode, const char *hash,
    const char *caps)
{
	struct fim_entry *e;

	b->e = realloc(b->e, (b->n + 1) * sizeof(*b->e));
	e = &b->e[b->n++];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	e->mode = mode;
	e->nlink = 1;
	e->ino = b->n;
	if (hash) {
		memset(e->hash, hash[0], 32);
		e->flags |= FIM_F_HASHED;
	}
	if (caps)
		e->caps = strdup(caps);
}

static const struct fim_change *
find_change(const struct fim_changes *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct fim_entry *e =
		    c->c[i].cur ? c->c[i].cur : c->c[i].old;

		if (strcmp(e->path, path) == 0)
			return &c->c[i];
	}
	return NULL;
}

static void
classifies_changes(void **state)
{
	struct fim_baseline a, b;
	struct fim_changes ch = {0};
	struct fim_diff_opts o;
	struct err err = {0};
	const char *web[] = {"/var/www"};
	const struct fim_change *c;

	(void)state;
	fim_baseline_init(&a);
	fim_baseline_init(&b);
	add(&a, "/usr/bin", S_IFDIR | 0755, NULL, NULL);
	add(&a, "/usr/bin/cat", S_IFREG | 0755, "a", NULL);
	add(&a, "/usr/bin/ls", S_IFREG | 0755, "a", NULL);
	add(&a, "/usr/bin/ping", S_IFREG | 0755, "a", NULL);
	add(&a, "/usr/bin/same", S_IFREG | 0755, "a", NULL);
	add(&a, "/usr/bin/su", S_IFREG | 0755, "a", NULL);
	add(&a, "/var/www/index.html", S_IFREG | 0644, "a", NULL);

	add(&b, "/usr/bin", S_IFDIR | 0755, NULL, NULL);
	b.e[0].mtime = 5; /* a directory's times follow its entries */
	b.e[0].nlink = 7;
	add(&b, "/usr/bin/evil", S_IFREG | 04755, "x", NULL);
	add(&b, "/usr/bin/ls", S_IFREG | 0755, "b", NULL);
	add(&b, "/usr/bin/ping", S_IFREG | 0755, "a", "01000002");
	add(&b, "/usr/bin/same", S_IFREG | 0755, "a", NULL);
	add(&b, "/usr/bin/su", S_IFREG | 04755, "a", NULL);
	add(&b, "/var/www/index.html", S_IFREG | 0644, "b", NULL);
	add(&b, "/var/www/sh.exe", S_IFREG | 0644, "c", NULL);
	/* Same inode numbers where the path is the same. */
	for (size_t i = 0; i < b.n; i++) {
		const struct fim_entry *o_ = fim_baseline_find(&a, b.e[i].path);

		if (o_)
			b.e[i].ino = o_->ino;
	}
	memset(&o, 0, sizeof(o));
	o.compare = FIM_A_DEFAULT;
	o.webroots = web;
	o.nwebroots = 1;
	assert_int_equal(fim_diff(&a, &b, &o, &ch, &err), 0);
	assert_null(find_change(&ch, "/usr/bin"));
	assert_null(find_change(&ch, "/usr/bin/same"));
	c = find_change(&ch, "/usr/bin/cat");
	assert_non_null(c);
	assert_int_equal(c->cls, FIM_C_REMOVED);
	c = find_change(&ch, "/usr/bin/evil");
	assert_int_equal(c->cls, FIM_C_SETUID);
	c = find_change(&ch, "/usr/bin/ls");
	assert_int_equal(c->cls, FIM_C_SYSBIN);
	assert_int_equal(c->attrs, FIM_A_HASH);
	c = find_change(&ch, "/usr/bin/ping");
	assert_int_equal(c->cls, FIM_C_CAPABILITY);
	assert_int_equal(c->attrs, FIM_A_CAPS);
	c = find_change(&ch, "/usr/bin/su");
	assert_int_equal(c->cls, FIM_C_SETUID);
	assert_int_equal(c->attrs, FIM_A_MODE);
	c = find_change(&ch, "/var/www/index.html");
	assert_int_equal(c->cls, FIM_C_DEFACEMENT);
	c = find_change(&ch, "/var/www/sh.exe");
	assert_int_equal(c->cls, FIM_C_WEBEXEC);
	assert_int_equal(ch.n, 7);
	assert_int_equal(fim_class_sev(FIM_C_PACKAGE), SEV_OK);
	fim_changes_release(&ch);
	fim_baseline_release(&a);
	fim_baseline_release(&b);
}

static time_t
local_time(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Files gone after an upgrade or a removal, with the upgrade only in a
 * gzipped rotation of dpkg.log; the owning package recorded at init. */
static void
explains_removals(void **state)
{
	char root[4096];
	struct pkg_db *d;
	struct fim_baseline b;
	struct fim_entry e;
	char pkg[128];
	time_t before = local_time(2026, 11, 20, 0, 0);

	(void)state;
	snprintf(root, sizeof(root), "%s/fim/dpkgroot", FIXTURES);
	d = pkg_open(root);
	assert_non_null(d);
	memset(&e, 0, sizeof(e));
	e.mode = S_IFREG | 0644;
	/* An upgrade renamed the library: the old name is gone, no package
	 * lists it, and the package that owned it was upgraded since. */
	e.path = "/usr/lib/libx.so.1.0";
	e.pkg = "libx1";
	assert_int_equal(
	    fim_pkg_explains_removal(d, &e, before, pkg, sizeof(pkg)), 1);
	assert_string_equal(pkg, "libx1");
	/* ... but not when the baseline is newer than the upgrade. */
	assert_int_equal(fim_pkg_explains_removal(d, &e,
	                     local_time(2026, 11, 26, 0, 0), pkg, sizeof(pkg)),
	    0);
	/* A removed package. */
	e.path = "/usr/lib/gone.so";
	e.pkg = "gone";
	assert_int_equal(
	    fim_pkg_explains_removal(d, &e, before, pkg, sizeof(pkg)), 1);
	/* Still a file of its (upgraded) package: deleted by someone else. */
	e.path = "/usr/bin/keep";
	e.pkg = "keep";
	assert_int_equal(
	    fim_pkg_explains_removal(d, &e, before, pkg, sizeof(pkg)), 0);
	/* No package recorded in the baseline: never explained. */
	e.path = "/usr/lib/libx.so.1.0";
	e.pkg = NULL;
	assert_int_equal(
	    fim_pkg_explains_removal(d, &e, before, pkg, sizeof(pkg)), 0);

	/* Annotation: regular files of a package get its name. */
	fim_baseline_init(&b);
	b.e = calloc(4, sizeof(*b.e));
	assert_non_null(b.e);
	b.n = b.cap = 4;
	b.e[0].path = strdup("/usr/bin");
	b.e[0].mode = S_IFDIR | 0755;
	b.e[1].path = strdup("/usr/bin/keep");
	b.e[1].mode = S_IFREG | 0755;
	b.e[2].path = strdup("/usr/bin/other");
	b.e[2].mode = S_IFREG | 0755;
	b.e[3].path = strdup("/usr/lib/libx.so.1.1");
	b.e[3].mode = S_IFREG | 0644;
	assert_int_equal(fim_pkg_annotate(d, &b), 2);
	assert_null(b.e[0].pkg);
	assert_string_equal(b.e[1].pkg, "keep");
	assert_null(b.e[2].pkg);
	assert_string_equal(b.e[3].pkg, "libx1");
	fim_baseline_release(&b);
	pkg_free(d);
}

/* dir/name holds want ("": it cannot be read). */
static void
assert_text(const char *dir, const char *name, const char *want)
{
	char p[512], out[64];
	FILE *fp;
	size_t len = 0;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fp = fopen(p, "r");
	if (fp != NULL) {
		len = fread(out, 1, sizeof(out) - 1, fp);
		fclose(fp);
	}
	out[len] = '\0';
	assert_string_equal(out, want);
}

static void
put(const char *dir, const char *name, const char *text)
{
	char p[512];
	struct err err = {0};

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(
	    file_write_atomic(p, text, strlen(text), 0600, &err), 0);
}

/*
 * fim_backup keeps baseline and baseline.sig as .prev files that a later
 * atomic replacement of the baseline leaves alone; a second backup
 * replaces the first; without a baseline it does nothing.
 */
static void
keeps_the_previous_baseline(void **state)
{
	char dir[] = "/tmp/sakimori-fim-prev.XXXXXX", nob[64];
	struct err err = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(fim_baseline_exists(dir), 0);
	assert_int_equal(fim_backup(dir, &err), 0);
	assert_text(dir, "baseline.prev", "");
	snprintf(nob, sizeof(nob), "%s/none", dir);
	assert_int_equal(fim_backup(nob, &err), 0);

	put(dir, "baseline", "first\n");
	put(dir, "baseline.sig", "sig1\n");
	assert_int_equal(fim_baseline_exists(dir), 1);
	assert_int_equal(fim_backup(dir, &err), 0);
	put(dir, "baseline", "second\n");
	put(dir, "baseline.sig", "sig2\n");
	assert_text(dir, "baseline.prev", "first\n");
	assert_text(dir, "baseline.sig.prev", "sig1\n");
	assert_text(dir, "baseline", "second\n");

	assert_int_equal(fim_backup(dir, &err), 0);
	assert_text(dir, "baseline.prev", "second\n");
	assert_text(dir, "baseline.sig.prev", "sig2\n");
	assert_text(dir, "baseline.prev.tmp", "");

	/* a signature alone is a baseline too (a damaged one) */
	rm_tree(dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put(dir, "baseline.sig", "sig\n");
	assert_int_equal(fim_baseline_exists(dir), 1);
	rm_tree(dir);
}

/* A temporary directory with two key pairs, a.key/pub1 and b.key/b.pub. */
static void
two_keys(char *dir, const char *pub1, char *k1, char *p1, char *k2, char *p2)
{
	struct err err = {0};

	assert_non_null(mkdtemp(dir));
	snprintf(k1, 256, "%s/a.key", dir);
	snprintf(p1, 256, "%s/%s", dir, pub1);
	snprintf(k2, 256, "%s/b.key", dir);
	snprintf(p2, 256, "%s/b.pub", dir);
	assert_int_equal(fim_keygen(k1, p1, &err), 0);
	assert_int_equal(fim_keygen(k2, p2, &err), 0);
}

static void
signs_and_refuses(void **state)
{
	char dir[] = "/tmp/test_fim.XXXXXX", k1[256], p1[256], k2[256], p2[256];
	struct strbuf sig = STRBUF_INIT(0), sig2 = STRBUF_INIT(0);
	struct err err = {0};
	char data[] = "sakimori-fim-baseline 1\nthe content\n";
	char fp[96];

	(void)state;
	two_keys(dir, "a.pub", k1, p1, k2, p2);
	assert_int_equal(fim_key_fingerprint(p1, fp, sizeof(fp), &err), 0);
	assert_int_equal(strncmp(fp, "SHA256:", 7), 0);
	assert_int_equal(strlen(fp), 71);
	assert_int_equal(fim_sign(k1, data, strlen(data), &sig, &err), 0);
	assert_int_equal(
	    fim_verify(p1, data, strlen(data), sig.p, sig.len, &err), 0);
	/* One byte altered. */
	data[5] ^= 1;
	assert_int_equal(
	    fim_verify(p1, data, strlen(data), sig.p, sig.len, &err), -1);
	assert_non_null(strstr(err.msg, "altered"));
	data[5] ^= 1;
	/* Signed by another key. */
	assert_int_equal(fim_sign(k2, data, strlen(data), &sig2, &err), 0);
	assert_int_equal(
	    fim_verify(p1, data, strlen(data), sig2.p, sig2.len, &err), -1);
	assert_non_null(strstr(err.msg, "another key"));
	/* A public key is not a private key; garbage is not a signature. */
	assert_int_equal(fim_sign(p1, data, 3, &sig2, &err), -1);
	assert_int_equal(fim_verify(p1, data, 3, "junk\n", 5, &err), -1);
	assert_non_null(strstr(err.msg, "malformed"));
	unlink(k1);
	unlink(p1);
	unlink(k2);
	unlink(p2);
	rmdir(dir);
	strbuf_release(&sig);
	strbuf_release(&sig2);
}

static void
write_at(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	struct err err = {0};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(file_write_atomic(path, p, n, 0600, &err), 0);
}

/* fim_load_verified: every way a baseline can be missing or refused. */
static void
loads_only_a_verified_baseline(void **state)
{
	char dir[] = "/tmp/test_fim_load.XXXXXX", k1[256], p1[256], k2[256];
	char p2[256], fp1[96], fp2[96], kb[512];
	struct strbuf text = STRBUF_INIT(0), sig = STRBUF_INIT(0);
	struct strbuf raw = STRBUF_INIT(0);
	struct fim_load_opts o;
	struct fim_baseline b;
	struct err err = {0};
	const char *garbage = "sakimori-fim-baseline 1\nSECRET-LINE\n";

	(void)state;
	two_keys(dir, "fim.pub", k1, p1, k2, p2);
	assert_int_equal(fim_key_fingerprint(p1, fp1, sizeof(fp1), &err), 0);
	assert_int_equal(fim_key_fingerprint(p2, fp2, sizeof(fp2), &err), 0);
	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.pubkey = "/nonexistent/fim.pub";
	fim_baseline_init(&b);
	assert_int_equal(fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_NONE);
	assert_non_null(strstr(err.msg, "fim init"));
	assert_int_equal(fim_load_status(FIM_LOAD_NONE), 3);

	read_fixture("baseline.txt", &text);
	write_at(dir, "baseline", text.p, text.len);
	assert_int_equal(fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_NOSIG);
	assert_int_equal(fim_load_status(FIM_LOAD_NOSIG), 2);
	assert_int_equal(fim_sign(k1, text.p, text.len, &sig, &err), 0);
	write_at(dir, "baseline.sig", sig.p, sig.len);
	/* Our own key missing and not named: the one beside the baseline. */
	assert_string_equal(fim_load_key(&o, kb, sizeof(kb)), p1);
	assert_int_equal(fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_OK);
	assert_int_equal(fim_load_status(FIM_LOAD_OK), 0);
	assert_int_equal(b.n, 5);
	fim_baseline_release(&b);

	/* Signed by the recorded key: fine; another recorded key: refused,
	 * unless a named key is accepted as the new one. */
	o.pinned = fp1;
	fim_baseline_init(&b);
	assert_int_equal(fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_OK);
	fim_baseline_release(&b);
	o.pinned = fp2;
	fim_baseline_init(&b);
	assert_int_equal(
	    fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_KEY_CHANGED);
	assert_non_null(strstr(err.msg, fp2));
	assert_int_equal(fim_load_status(FIM_LOAD_KEY_CHANGED), 2);
	o.pubkey = p1;
	o.pubkey_named = 1;
	assert_int_equal(
	    fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_KEY_CHANGED);
	o.accept_new_key = 1;
	assert_int_equal(fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_OK);
	fim_baseline_release(&b);
	o.pinned = NULL;

	/* Another key named: not signed by it. */
	o.pubkey = p2;
	fim_baseline_init(&b);
	assert_int_equal(
	    fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_BADSIG);
	assert_non_null(strstr(err.msg, "another key"));
	fim_baseline_release(&b);

	/* Signed but garbage: refused without showing its content. */
	o.pubkey = p1;
	write_at(dir, "baseline", garbage, strlen(garbage));
	assert_int_equal(fim_sign(k1, garbage, strlen(garbage), &sig, &err), 0);
	write_at(dir, "baseline.sig", sig.p, sig.len);
	fim_baseline_init(&b);
	assert_int_equal(
	    fim_load_verified(&o, &b, &raw, &err), FIM_LOAD_UNREADABLE);
	assert_null(strstr(err.msg, "SECRET"));
	fim_baseline_release(&b);

	unlink(k1);
	unlink(p1);
	unlink(k2);
	unlink(p2);
	snprintf(kb, sizeof(kb), "%s/baseline", dir);
	unlink(kb);
	snprintf(kb, sizeof(kb), "%s/baseline.sig", dir);
	unlink(kb);
	assert_int_equal(rmdir(dir), 0);
	strbuf_release(&text);
	strbuf_release(&sig);
	strbuf_release(&raw);
}

static void
rm_in(const char *dir, const char *name)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

/* fim_save then fim_load_verified with a real key pair: what was saved
 * loads, signed; a key pair that does not match is refused before any
 * file is written. */
static void
saves_what_loads(void **state)
{
	char dir[] = "/tmp/test_fim_save.XXXXXX", k1[256], p1[256], k2[256];
	char p2[256], bdir[512];
	struct strbuf text = STRBUF_INIT(0), raw = STRBUF_INIT(0);
	struct fim_baseline b, got;
	struct fim_load_opts lo;
	struct err err = {0};
	struct stat st;

	(void)state;
	two_keys(dir, "a.pub", k1, p1, k2, p2);
	read_fixture("baseline.txt", &text);
	fim_baseline_init(&b);
	assert_int_equal(fim_baseline_parse(text.p, text.len, &b, &err), 0);
	snprintf(bdir, sizeof(bdir), "%s/base", dir);

	/* The private key of one pair, the public key of another. */
	assert_int_equal(fim_save(&b, bdir, k1, p2, &err), -1);
	assert_non_null(strstr(err.msg, "does not match"));
	assert_int_equal(stat(bdir, &st), -1);
	/* No private key. */
	assert_int_equal(fim_save(&b, bdir, "/nonexistent/k", p1, &err), -1);
	assert_non_null(strstr(err.msg, "fim keygen"));

	assert_int_equal(fim_save(&b, bdir, k1, p1, &err), 0);
	assert_int_equal(stat(bdir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	memset(&lo, 0, sizeof(lo));
	lo.dir = bdir;
	lo.pubkey = "/nonexistent/fim.pub";
	/* The public key travels with it: dir/fim.pub verifies it. */
	fim_baseline_init(&got);
	assert_int_equal(fim_load_verified(&lo, &got, &raw, &err), FIM_LOAD_OK);
	assert_int_equal(got.n, b.n);
	assert_string_equal(got.host, b.host);
	assert_int_equal(got.created, b.created);
	/* Byte for byte what the baseline writes. */
	strbuf_reset(&text);
	assert_int_equal(fim_baseline_write(&b, &text, &err), 0);
	assert_int_equal(raw.len, text.len);
	assert_memory_equal(raw.p, text.p, text.len);
	fim_baseline_release(&got);
	/* And the other key refuses it. */
	lo.pubkey = p2;
	lo.pubkey_named = 1;
	fim_baseline_init(&got);
	assert_int_equal(
	    fim_load_verified(&lo, &got, &raw, &err), FIM_LOAD_BADSIG);
	fim_baseline_release(&got);

	fim_baseline_release(&b);
	rm_in(bdir, "baseline");
	rm_in(bdir, "baseline.sig");
	rm_in(bdir, "fim.pub");
	assert_int_equal(rmdir(bdir), 0);
	unlink(k1);
	unlink(p1);
	unlink(k2);
	unlink(p2);
	assert_int_equal(rmdir(dir), 0);
	strbuf_release(&text);
	strbuf_release(&raw);
}

static void
add_entry(struct fim_baseline *b, const char *path, uint64_t size)
{
	struct fim_entry *e;

	b->e = realloc(b->e, (b->n + 1) * sizeof(*b->e));
	assert_non_null(b->e);
	e = &b->e[b->n++];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	e->mode = S_IFREG | 0644;
	e->size = size;
	b->cap = b->n;
}

static void
add_str(char ***v, size_t *n, const char *s)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	assert_non_null(*v);
	(*v)[(*n)++] = strdup(s);
}

/* An update of /etc/ssh: the old entries outside it stay, the scan's
 * replace those inside it; a new path becomes a root. */
static void
merges_an_update(void **state)
{
	struct fim_baseline old, cur, nb, view;
	const char *paths[] = {"/etc/ssh", "/srv"};
	struct err err = {0};

	(void)state;
	fim_baseline_init(&old);
	fim_baseline_init(&cur);
	fim_baseline_init(&nb);
	add_entry(&old, "/etc/hosts", 1);
	add_entry(&old, "/etc/ssh/gone", 2);
	add_entry(&old, "/etc/ssh/sshd_config", 3);
	add_entry(&old, "/etc/sshd", 4); /* not under /etc/ssh */
	add_str(&old.roots, &old.nroots, "/etc");
	add_str(&old.excludes, &old.nexcludes, "/etc/mtab");
	old.created = 100;
	add_entry(&cur, "/etc/ssh/sshd_config", 30);
	add_entry(&cur, "/etc/ssh/new", 5);
	add_entry(&cur, "/srv/x", 6);
	cur.created = 200;
	snprintf(cur.host, sizeof(cur.host), "%s", "now");
	assert_int_equal(fim_baseline_sort(&old, &err), 0);
	assert_int_equal(fim_baseline_sort(&cur, &err), 0);

	assert_int_equal(fim_baseline_view(&old, paths, 1, &view), 0);
	assert_int_equal(view.n, 2);
	assert_string_equal(view.e[0].path, "/etc/ssh/gone");
	free(view.e);

	assert_int_equal(
	    fim_baseline_merge(&old, &cur, paths, 2, &nb, &err), 0);
	assert_int_equal(nb.n, 5);
	assert_string_equal(nb.e[0].path, "/etc/hosts");
	assert_string_equal(nb.e[1].path, "/etc/ssh/new");
	assert_string_equal(nb.e[2].path, "/etc/ssh/sshd_config");
	assert_int_equal(nb.e[2].size, 30);
	assert_string_equal(nb.e[3].path, "/etc/sshd");
	assert_string_equal(nb.e[4].path, "/srv/x");
	assert_null(fim_baseline_find(&nb, "/etc/ssh/gone"));
	assert_int_equal(nb.nroots, 2);
	assert_string_equal(nb.roots[0], "/etc");
	assert_string_equal(nb.roots[1], "/srv");
	assert_int_equal(nb.nexcludes, 1);
	assert_int_equal(nb.created, 200);
	assert_string_equal(nb.host, "now");
	/* Two entries with the same path are refused. */
	fim_baseline_release(&old);
	fim_baseline_release(&cur);
	fim_baseline_release(&nb);
	fim_baseline_init(&old);
	fim_baseline_init(&cur);
	fim_baseline_init(&nb);
	add_entry(&old, "/a/b", 1);
	add_entry(&cur, "/a/b", 1);
	assert_int_equal(
	    fim_baseline_merge(&old, &cur, paths, 1, &nb, &err), -1);
	fim_baseline_release(&old);
	fim_baseline_release(&cur);
	fim_baseline_release(&nb);
}

static void
load_conf(struct conf *c, const char *text)
{
	struct conf_errs errs = {0};
	int rc = conf_load_string(c, "t.conf", text, strlen(text), &errs);

	for (size_t j = 0; j < errs.n; j++)
		fprintf(stderr, "conf: %s\n", errs.msg[j]);
	assert_int_equal(rc, 0);
	conf_errs_release(&errs);
}

/* The configuration, the state directory and the command line resolved
 * into where fim's files are and how it scans. */
static void
resolves_options(void **state)
{
	char sd[] = "/tmp/test_fim_opts.XXXXXX", p[512];
	struct fim_overrides ov = {.workers = -1};
	struct fim_load_opts lo;
	struct fim_opts o;
	struct conf c;
	struct err err = {0};
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(sd));
	assert_int_equal(chmod(sd, 0700), 0);
	/* Nothing configured: all in STATE/fim. */
	conf_init(&c);
	load_conf(&c, "");
	assert_int_equal(fim_opts_resolve(&o, &c, sd, NULL, &err), 0);
	snprintf(p, sizeof(p), "%s/fim", sd);
	assert_string_equal(o.dir, p);
	snprintf(p, sizeof(p), "%s/fim/fim.key", sd);
	assert_string_equal(o.key, p);
	snprintf(p, sizeof(p), "%s/fim/fim.pub", sd);
	assert_string_equal(o.pub, p);
	assert_string_equal(o.ownpub, p);
	assert_string_equal(o.pin, "");
	assert_int_equal(o.workers, 0);
	assert_string_equal(o.hash, "sha256");
	assert_int_equal(o.atime, 0);
	assert_int_equal(o.nexcl, 5);
	fim_opts_load(&o, &lo);
	assert_false(lo.pubkey_named);
	assert_false(lo.accept_new_key);
	fim_opts_release(&o);
	conf_release(&c);

	/* Configured. */
	conf_init(&c);
	load_conf(&c,
	    "check fim {\n baseline /media/usb/fim\n"
	    " public-key /media/usb/fim.pub\n key /media/k/fim.key\n"
	    " workers 3\n hash sha512\n exclude /var/x \"*.tmp\"\n"
	    " compare-atime yes\n webroots /srv/www\n"
	    " paths /opt /srv\n}\n");
	assert_int_equal(fim_opts_resolve(&o, &c, sd, &ov, &err), 0);
	assert_string_equal(o.dir, "/media/usb/fim");
	assert_string_equal(o.key, "/media/k/fim.key");
	assert_string_equal(o.pub, "/media/usb/fim.pub");
	assert_int_equal(o.workers, 3);
	assert_string_equal(o.hash, "sha512");
	assert_int_equal(o.atime, 1);
	assert_int_equal(o.nexcl, 7);
	assert_string_equal(o.excl[6], "*.tmp");
	fim_opts_webroots(&o, NULL);
	assert_int_equal(o.nweb, 1);
	assert_string_equal(o.web[0], "/srv/www");
	{
		const char *paths[8];

		assert_int_equal(fim_opts_paths(&o, paths, 8), 2);
		assert_string_equal(paths[1], "/srv");
	}
	fim_opts_load(&o, &lo);
	assert_true(lo.pubkey_named);
	assert_false(lo.accept_new_key);
	fim_opts_release(&o);

	/* The command line wins. */
	ov.baseline_dir = "/b";
	ov.pubkey = "/p.pub";
	ov.workers = 1;
	ov.hash = "sha256";
	assert_int_equal(fim_opts_resolve(&o, &c, sd, &ov, &err), 0);
	assert_string_equal(o.dir, "/b");
	assert_string_equal(o.pub, "/p.pub");
	assert_string_equal(o.ownpub, "/media/usb/fim.pub");
	assert_int_equal(o.workers, 1);
	assert_string_equal(o.hash, "sha256");
	fim_opts_load(&o, &lo);
	assert_true(lo.accept_new_key);
	fim_opts_release(&o);
	conf_release(&c);

	/* Too many workers: a configuration error. */
	conf_init(&c);
	load_conf(&c, "");
	ov.workers = 300;
	assert_int_equal(fim_opts_resolve(&o, &c, sd, &ov, &err), 78);
	assert_non_null(strstr(err.msg, "workers"));
	/* A damaged record of the trusted key: refused, CRITICAL. */
	snprintf(p, sizeof(p), "%s/fim-trusted-key", sd);
	assert_non_null(fp = fopen(p, "w"));
	fputs("not a fingerprint\n", fp);
	fclose(fp);
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(fim_opts_locate(&o, &c, sd, NULL, &err), 2);
	assert_non_null(strstr(err.msg, "damaged"));
	unlink(p);
	/* STATE/fim that is not a directory. */
	snprintf(p, sizeof(p), "%s/fim", sd);
	assert_non_null(fp = fopen(p, "w"));
	fclose(fp);
	assert_int_equal(fim_opts_locate(&o, &c, sd, NULL, &err), 77);
	unlink(p);
	conf_release(&c);
	assert_int_equal(rmdir(sd), 0);
}

static int
exists_in(const char *dir, const char *name)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* The key pair in the state directory, the record of the trusted key,
 * init's refusal of another key, and export of a saved baseline. */
static void
keeps_and_trusts_keys(void **state)
{
	char sd[] = "/tmp/test_fim_keys.XXXXXX", fp[96], fp2[96], was[96];
	char dest[512], other[512], p[1024];
	struct fim_overrides ov = {.workers = -1};
	struct strbuf text = STRBUF_INIT(0);
	struct fim_baseline b;
	struct fim_opts o;
	struct conf c;
	struct err err = {0};

	(void)state;
	assert_non_null(mkdtemp(sd));
	assert_int_equal(chmod(sd, 0700), 0);
	conf_init(&c);
	load_conf(&c, "");
	assert_int_equal(fim_opts_resolve(&o, &c, sd, NULL, &err), 0);
	assert_int_equal(fim_opts_keygen(&o, 0, fp, sizeof(fp), &err), 0);
	assert_true(exists_in(sd, "fim/fim.key"));
	assert_int_equal(fim_opts_keygen(&o, 0, fp2, sizeof(fp2), &err), -1);
	assert_non_null(strstr(err.msg, "--force"));
	/* The first key is recorded; recording it again changes nothing. */
	assert_int_equal(fim_opts_init_key(&o, fp2, sizeof(fp2), &err), 0);
	assert_string_equal(fp, fp2);
	assert_int_equal(fim_opts_trust(&o, fp, was, sizeof(was), &err), 1);
	assert_string_equal(was, "");
	assert_int_equal(fim_opts_trust(&o, fp, was, sizeof(was), &err), 0);
	assert_int_equal(fim_pin_read(sd, p, sizeof(p), &err), 0);
	assert_string_equal(p, fp);

	/* A new key in the trusted key's place: init refuses it ... */
	assert_int_equal(fim_opts_keygen(&o, 1, fp2, sizeof(fp2), &err), 0);
	assert_string_not_equal(fp, fp2);
	assert_int_equal(fim_opts_init_key(&o, was, sizeof(was), &err), 2);
	assert_non_null(strstr(err.msg, "not the trusted key"));
	/* ... unless named; a named key elsewhere is trusted for one run. */
	snprintf(other, sizeof(other), "%s/other", sd);
	ov.key = other;
	snprintf(p, sizeof(p), "%s/other.pub", sd);
	ov.pubkey = p;
	fim_opts_release(&o);
	assert_int_equal(fim_opts_resolve(&o, &c, sd, &ov, &err), 0);
	assert_int_equal(fim_opts_keygen(&o, 0, was, sizeof(was), &err), 0);
	assert_int_equal(fim_opts_init_key(&o, was, sizeof(was), &err), 0);
	assert_int_equal(fim_opts_trust(&o, was, fp2, sizeof(fp2), &err), 0);
	assert_string_equal(o.pin, fp);
	/* The new key in our own place replaces the record. */
	fim_opts_release(&o);
	assert_int_equal(fim_opts_resolve(&o, &c, sd, NULL, &err), 0);
	assert_int_equal(fim_opts_init_key(&o, fp2, sizeof(fp2), &err), 2);
	ov.key = NULL;
	ov.pubkey = o.ownpub;
	fim_opts_release(&o);
	assert_int_equal(fim_opts_resolve(&o, &c, sd, &ov, &err), 0);
	assert_int_equal(fim_opts_init_key(&o, fp2, sizeof(fp2), &err), 0);
	assert_int_equal(fim_opts_trust(&o, fp2, was, sizeof(was), &err), 1);
	assert_string_equal(was, fp);

	/* Export: the baseline, its signature and the trusted key. */
	read_fixture("baseline.txt", &text);
	fim_baseline_init(&b);
	assert_int_equal(fim_baseline_parse(text.p, text.len, &b, &err), 0);
	assert_int_equal(fim_save(&b, o.dir, o.key, o.pub, &err), 0);
	snprintf(dest, sizeof(dest), "%s/usb", sd);
	assert_int_equal(mkdir(dest, 0700), 0);
	assert_int_equal(fim_export(&o, dest, &err), 0);
	assert_true(exists_in(dest, "baseline"));
	assert_true(exists_in(dest, "baseline.sig"));
	snprintf(p, sizeof(p), "%s/fim.pub", dest);
	assert_int_equal(fim_key_fingerprint(p, was, sizeof(was), &err), 0);
	assert_string_equal(was, fp2);
	assert_int_equal(fim_export(&o, "/nonexistent/dir", &err), -1);

	fim_baseline_release(&b);
	fim_opts_release(&o);
	conf_release(&c);
	strbuf_release(&text);
	{
		static const char *const files[] = {"fim/fim.key",
		    "fim/fim.pub", "fim/baseline", "fim/baseline.sig", "other",
		    "other.pub", "fim-trusted-key", "usb/baseline",
		    "usb/baseline.sig", "usb/fim.pub"};

		for (size_t i = 0; i < countof(files); i++)
			rm_in(sd, files[i]);
	}
	snprintf(p, sizeof(p), "%s/usb", sd);
	assert_int_equal(rmdir(p), 0);
	snprintf(p, sizeof(p), "%s/fim", sd);
	assert_int_equal(rmdir(p), 0);
	assert_int_equal(rmdir(sd), 0);
}

/* What a change shows: the attributes that differ, or what describes a
 * file added or removed. */
static void
shows_what_describes_a_change(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct fim_baseline b;
	struct fim_change c;
	struct err err = {0};

	(void)state;
	read_fixture("baseline.txt", &sb);
	fim_baseline_init(&b);
	assert_int_equal(fim_baseline_parse(sb.p, sb.len, &b, &err), 0);
	memset(&c, 0, sizeof(c));
	c.cur = fim_baseline_find(&b, "/usr/bin/ls");
	assert_int_equal(fim_change_shown(&c),
	    FIM_A_TYPE | FIM_A_MODE | FIM_A_UID | FIM_A_GID | FIM_A_SIZE |
	        FIM_A_HASH | FIM_A_NLINK);
	c.old = c.cur;
	c.cur = NULL;
	assert_true(fim_change_shown(&c) & FIM_A_HASH);
	c.cur = c.old;
	c.attrs = FIM_A_MTIME | FIM_A_CTIME;
	assert_int_equal(fim_change_shown(&c), FIM_A_MTIME | FIM_A_CTIME);
	fim_baseline_release(&b);
	strbuf_release(&sb);
}

/* A new baseline's scan, and the comparison with it as the options say:
 * an access time counts only when compare-atime is set. */
static void
records_and_compares(void **state)
{
	char d[] = "/tmp/test_fim_rec.XXXXXX", f[512];
	const char *roots[1];
	struct fim_scan_opts so;
	struct fim_baseline old, cur;
	struct fim_changes ch = {0};
	struct fim_entry *e;
	struct fim_opts o;
	struct err err = {0};

	(void)state;
	assert_non_null(mkdtemp(d));
	snprintf(f, sizeof(f), "%s/file", d);
	write_at(d, "file", "content\n", 8);
	roots[0] = d;
	memset(&so, 0, sizeof(so));
	so.roots = roots;
	so.nroots = 1;
	so.workers = 1;
	fim_baseline_init(&old);
	/* No package records under this root: entries of no package. */
	assert_int_equal(fim_record(&so, d, NULL, &old, NULL, &err), 0);
	assert_int_equal(old.n, 2);
	e = (struct fim_entry *)fim_baseline_find(&old, f);
	assert_non_null(e);
	assert_null(e->pkg);
	assert_true(e->flags & FIM_F_HASHED);
	fim_baseline_init(&cur);
	assert_int_equal(fim_scan(&so, &cur, NULL, &err), 0);
	e->atime -= 1000000000;

	memset(&o, 0, sizeof(o));
	assert_int_equal(fim_opts_compare(&o, &old, &cur, d, &ch, &err), 0);
	assert_int_equal(ch.n, 0);
	fim_changes_release(&ch);
	o.atime = 1;
	assert_int_equal(fim_opts_compare(&o, &old, &cur, d, &ch, &err), 0);
	assert_int_equal(ch.n, 1);
	assert_int_equal(ch.c[0].attrs, FIM_A_ATIME);
	fim_changes_release(&ch);

	fim_baseline_release(&old);
	fim_baseline_release(&cur);
	unlink(f);
	assert_int_equal(rmdir(d), 0);
}

/*
 * Changes as findings: check "fim", the path, the class's severity on
 * the one scale, and evidence with class, status, attributes and old and
 * new values (absent for the side that does not exist); the package that
 * explains a change; alerts kept first when the report would overflow.
 */
static void
reports_changes_as_findings(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct fim_baseline b;
	struct fim_entry mod;
	struct fim_change c;
	struct fim_changes ch = {0};
	const struct finding *f;
	struct report r;
	struct err err = {0};

	(void)state;
	assert_int_equal(fim_class_sev(FIM_C_SYSBIN), SEV_CRITICAL);
	assert_int_equal(fim_class_sev(FIM_C_CHANGED), SEV_WARNING);
	assert_int_equal(fim_class_sev(FIM_C_PACKAGE), SEV_OK);
	read_fixture("baseline.txt", &sb);
	fim_baseline_init(&b);
	assert_int_equal(fim_baseline_parse(sb.p, sb.len, &b, &err), 0);
	report_init(&r);

	/* added: new values only */
	memset(&c, 0, sizeof(c));
	c.cur = fim_baseline_find(&b, "/usr/bin/ls");
	c.cls = FIM_C_ADDED;
	f = fim_report_change(&r, &c, b.hash);
	assert_non_null(f);
	assert_string_equal(f->check, "fim");
	assert_string_equal(f->subject, "/usr/bin/ls");
	assert_int_equal(f->sev, SEV_WARNING);
	assert_string_equal(finding_ev_get(f, "class"), "added");
	assert_string_equal(finding_ev_get(f, "status"), "added");
	assert_string_equal(finding_ev_get(f, "attributes"),
	    "type,mode,uid,gid,size,links,hash");
	assert_string_equal(finding_ev_get(f, "new_mode"), "0755");
	assert_null(finding_ev_get(f, "old_mode"));
	assert_string_equal(finding_ev_get(f, "new_hash"),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

	/* a setuid bit set: old and new mode, CRITICAL */
	mod = *c.cur;
	mod.mode |= S_ISUID;
	c.old = c.cur;
	c.cur = &mod;
	c.attrs = FIM_A_MODE;
	c.cls = FIM_C_SETUID;
	f = fim_report_change(&r, &c, b.hash);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_string_equal(finding_ev_get(f, "status"), "changed");
	assert_string_equal(finding_ev_get(f, "attributes"), "mode");
	assert_string_equal(finding_ev_get(f, "old_mode"), "0755");
	assert_string_equal(finding_ev_get(f, "new_mode"), "4755");
	assert_null(finding_ev_get(f, "package"));
	assert_non_null(strstr(f->message, "/usr/bin/ls"));

	/* explained by a package: OK, naming it */
	c.cls = FIM_C_PACKAGE;
	snprintf(c.pkg, sizeof(c.pkg), "coreutils");
	f = fim_report_change(&r, &c, b.hash);
	assert_int_equal(f->sev, SEV_OK);
	assert_string_equal(finding_ev_get(f, "package"), "coreutils");
	assert_non_null(strstr(f->message, "coreutils"));
	report_release(&r);

	/* A report with room for one more: the alert, not the package's
	 * change before it in path order. */
	ch.c = calloc(2, sizeof(*ch.c));
	assert_non_null(ch.c);
	ch.n = ch.cap = 2;
	ch.c[0] = c; /* /usr/bin/ls, the package's */
	ch.c[1].old = fim_baseline_find(&b, "/usr/bin/ping");
	ch.c[1].cur = ch.c[1].old;
	ch.c[1].attrs = FIM_A_HASH;
	ch.c[1].cls = FIM_C_SYSBIN;
	report_init(&r);
	while (r.nf < REPORT_MAX - 1)
		assert_non_null(report_add(&r, SEV_OK, "x", "x", "filler"));
	fim_report_changes(&r, &ch, b.hash);
	assert_int_equal(r.nf, REPORT_MAX);
	assert_string_equal(r.f[REPORT_MAX - 1].subject, "/usr/bin/ping");
	assert_int_equal(r.f[REPORT_MAX - 1].sev, SEV_CRITICAL);
	assert_int_equal(r.dropped, 1);
	report_release(&r);
	/* With room for both: path order. */
	report_init(&r);
	fim_report_changes(&r, &ch, b.hash);
	assert_int_equal(r.nf, 2);
	assert_string_equal(r.f[0].subject, "/usr/bin/ls");
	report_release(&r);
	fim_changes_release(&ch);
	fim_baseline_release(&b);
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_the_fixture),
	    cmocka_unit_test(writes_what_it_reads),
	    cmocka_unit_test(writes_each_field_exactly),
	    cmocka_unit_test(refuses_truncated_and_corrupt),
	    cmocka_unit_test(classifies_changes),
	    cmocka_unit_test(explains_removals),
	    cmocka_unit_test(signs_and_refuses),
	    cmocka_unit_test(loads_only_a_verified_baseline),
	    cmocka_unit_test(saves_what_loads),
	    cmocka_unit_test(merges_an_update),
	    cmocka_unit_test(resolves_options),
	    cmocka_unit_test(keeps_the_previous_baseline),
	    cmocka_unit_test(keeps_and_trusts_keys),
	    cmocka_unit_test(shows_what_describes_a_change),
	    cmocka_unit_test(records_and_compares),
	    cmocka_unit_test(reports_changes_as_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
