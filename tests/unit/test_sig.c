/*
 * test_sig.c - the signature engine's compiled-database cache (written,
 * reused, and ignored when corrupt, cut, from another CPU or for other
 * rules) and the field memo (a repeated field value gives exactly what a
 * scan gives); the databases per field (each holds only its field's
 * rules), or the database of every rule alone (SIG_LEAN); hs_scan on data that ends just before an unmapped page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hs/hs.h>

#include <cmocka.h>

#include "attack/attack.h"
#include "attack/sig.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"

static const char rules_a[] =
    "id: 1\nclass: traversal\nseverity: high\nfields: path query\n"
    "pattern: \\.\\./\n\n"
    "id: 2\nclass: command-exec\nseverity: critical\nfields: path\n"
    "pattern: /(cmd|root)\\.exe\n\n"
    "id: 3\nclass: scanner\nseverity: low\nfields: ua\n"
    "pattern: \\bnikto\\b\n\n"
    "id: 4\nclass: sql-injection\nseverity: high\nfields: query\n"
    "pattern: union\\s+select\n\n"
    "id: 5\nclass: iis-unicode\nseverity: critical\nanomaly: "
    "unicode-traversal\n";

static char dir[] = "/tmp/test_sig.XXXXXX";
static char cache[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cache, sizeof(cache), "%s/attack-rules.hsdb", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(cache);
	rmdir(dir);
	return 0;
}

static void
load(struct attack_ruleset *rs, const char *text)
{
	struct err err = {0};

	ruleset_init(rs);
	assert_int_equal(
	    ruleset_parse(rs, "t.rules", text, strlen(text), &err), 0);
}

/* Compiles text with the cache; returns whether a cache that was there
 * was used (not one a forked compile just wrote), checks a match. */
static int
compile(const char *text)
{
	struct attack_ruleset rs;
	struct attack_engine e;
	struct attack_req rq = {0};
	struct attack_result res;
	struct err err = {0};
	const char uri[] = "/scripts/../winnt/system32/cmd.exe";
	int fc;

	load(&rs, text);
	assert_int_equal(attack_engine_init(&e, &rs, cache, 0, &err), 0);
	fc = e.sig.from_cache && !e.sig.cache_made;
	rq.method = "GET";
	rq.method_len = 3;
	attack_req_uri(&rq, uri, strlen(uri));
	assert_true(attack_match(&e, &rq, &res) >= 1);
	assert_true(attack_has_class(&e, &res, "traversal") ||
	    attack_has_class(&e, &res, "command-exec"));
	attack_engine_release(&e);
	return fc;
}

static void
rewrite(const char *what, const char *with)
{
	struct strbuf sb = STRBUF_INIT(64u << 20);
	struct err err = {0};
	char *at;

	assert_int_equal(file_read(cache, 64u << 20, &sb, NULL, &err), 0);
	if (what == NULL) {
		/* flip a byte near the end of the payload */
		sb.p[sb.len - 10] ^= 0x55;
	} else {
		at = memmem(sb.p, sb.len, what, strlen(what));
		assert_non_null(at);
		assert_int_equal(strlen(what), strlen(with));
		memcpy(at, with, strlen(with));
	}
	assert_int_equal(file_write_atomic(cache, sb.p, sb.len, 0600, &err), 0);
	strbuf_release(&sb);
}

static void
cache_reuse(void **state)
{
	(void)state;
	unlink(cache);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(access(cache, F_OK), 0);
	assert_int_equal(compile(rules_a), 1);
}

/* "fd:N": the cache read through a descriptor from its start, never
 * written (a stale one stays as it was). */
static void
cache_from_fd(void **state)
{
	struct attack_ruleset rs;
	struct attack_engine e;
	struct err err = {0};
	char path[32], saved[sizeof(cache)];
	struct stat st, st2;
	int fd;

	(void)state;
	unlink(cache);
	assert_int_equal(compile(rules_a), 0);
	fd = open(cache, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_not_equal(lseek(fd, 5, SEEK_SET), -1); /* read from 0 */
	snprintf(path, sizeof(path), "fd:%d", fd);
	memcpy(saved, cache, sizeof(cache));
	snprintf(cache, sizeof(cache), "%s", path);
	assert_int_equal(compile(rules_a), 1);
	assert_int_equal(compile(rules_a), 1); /* again: the offset reset */
	memcpy(cache, saved, sizeof(cache));
	/* other rules: compiled, the file behind fd not rewritten */
	assert_int_equal(stat(cache, &st), 0);
	load(&rs,
	    "id: 1\nclass: traversal\nseverity: high\nfields: path\n"
	    "pattern: \\.\\./\n");
	assert_int_equal(attack_engine_init(&e, &rs, path, 0, &err), 0);
	assert_int_equal(e.sig.from_cache, 0);
	attack_engine_release(&e);
	assert_int_equal(stat(cache, &st2), 0);
	assert_int_equal(st.st_ino, st2.st_ino);
	assert_int_equal(st.st_size, st2.st_size);
	close(fd);
}

static void
cache_corrupt(void **state)
{
	struct strbuf sb = STRBUF_INIT(64u << 20);
	struct err err = {0};

	(void)state;
	unlink(cache);
	assert_int_equal(compile(rules_a), 0);
	rewrite(NULL, NULL);
	assert_int_equal(compile(rules_a), 0); /* ignored, rewritten */
	assert_int_equal(compile(rules_a), 1);

	/* cut */
	assert_int_equal(file_read(cache, 64u << 20, &sb, NULL, &err), 0);
	assert_int_equal(
	    file_write_atomic(cache, sb.p, sb.len / 2, 0600, &err), 0);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(compile(rules_a), 1);

	/* garbage */
	assert_int_equal(
	    file_write_atomic(cache, "SKMHSDB8\nx\n", 11, 0600, &err), 0);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(compile(rules_a), 1);

	/* empty (nothing to map), then the header alone */
	assert_int_equal(file_write_atomic(cache, "", 0, 0600, &err), 0);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(compile(rules_a), 1);
	assert_int_equal(file_read(cache, 64u << 20, &sb, NULL, &err), 0);
	assert_int_equal(
	    file_write_atomic(cache, sb.p,
	        (size_t)((const char *)memchr(sb.p, '\n', sb.len) - sb.p) + 1,
	        0600, &err),
	    0);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(compile(rules_a), 1);

	/* not a regular file */
	assert_int_equal(unlink(cache), 0);
	assert_int_equal(mkdir(cache, 0700), 0);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(rmdir(cache), 0);
	strbuf_release(&sb);
}

static void
cache_foreign(void **state)
{
	struct strbuf sb = STRBUF_INIT(64u << 20);
	struct err err = {0};
	char *f;

	(void)state;
	unlink(cache);
	assert_int_equal(compile(rules_a), 0);
	/* another CPU's features in the key */
	assert_int_equal(file_read(cache, 64u << 20, &sb, NULL, &err), 0);
	f = memmem(sb.p, sb.len, "features=", 9);
	assert_non_null(f);
	f[9] = f[9] == 'f' ? 'e' : 'f';
	assert_int_equal(file_write_atomic(cache, sb.p, sb.len, 0600, &err), 0);
	assert_int_equal(compile(rules_a), 0);
	assert_int_equal(compile(rules_a), 1);
	/* another Hyperscan version */
	rewrite(" 5.", " 4.");
	assert_int_equal(compile(rules_a), 0);
	strbuf_release(&sb);
}

static void
cache_other_rules(void **state)
{
	char other[sizeof(rules_a) + 64];

	(void)state;
	unlink(cache);
	assert_int_equal(compile(rules_a), 0);
	snprintf(other, sizeof(other), "%s", rules_a);
	memcpy(strstr(other, "(cmd|root)"), "(cmd|bash)", 10);
	assert_int_equal(compile(other), 0);
	assert_int_equal(compile(other), 1);
	assert_int_equal(compile(rules_a), 0);
}

/* Rules of every field and form; ua and referer have the same ones. */
static const char rules_f[] =
    "id: 1\nclass: traversal\nseverity: high\nfields: path query\n"
    "pattern: \\.\\./\n\n"
    "id: 2\nclass: command-exec\nseverity: critical\nfields: path\n"
    "pattern: cmd\\.exe\n\n"
    "id: 3\nclass: scanner\nseverity: low\nfields: ua referer\n"
    "pattern: nikto\n\n"
    "id: 4\nclass: sql-injection\nseverity: high\nfields: query\n"
    "pattern: union\\s+select\n\n"
    "id: 5\nclass: iis-unicode\nseverity: high\n"
    "fields: path query ua referer\nform: raw\npattern: %c0%af\n\n"
    "id: 6\nclass: command-exec\nseverity: high\nfields: query\n"
    "form: shell\npattern: cat\\s+/etc/passwd\n\n"
    "id: 7\nclass: scanner\nseverity: low\nfields: ua referer\n"
    "pattern: sqlmap\n\n"
    "id: 8\nclass: protocol\nseverity: low\nfields: method\n"
    "case: sensitive\npattern: ^TRACK$\n\n"
    "id: 9\nclass: traversal\nseverity: high\nfields: path\n"
    "pattern: /etc/shadow\n\n"
    "id: 10\nclass: xss\nseverity: high\nfields: path query ua referer\n"
    "pattern: <script\n";

/* Writes the cache as orig with the byte at i flipped. */
static void
write_flipped(const struct strbuf *orig, size_t i)
{
	struct err err = {0};
	char *c = malloc(orig->len);

	assert_non_null(c);
	memcpy(c, orig->p, orig->len);
	c[i] ^= 0x55;
	assert_int_equal(file_write_atomic(cache, c, orig->len, 0600, &err), 0);
	free(c);
}

/*
 * A byte changed anywhere is found, though the payload's digest takes in
 * only its text and the ends of each database: in the header, the text
 * (which database each field has), a database's length, Hyperscan's
 * header of a database (its CRC among it), its bytecode and its last
 * bytes.  The engine is then compiled again and the cache rewritten.
 */
static void
cache_any_byte(void **state)
{
	struct strbuf sb = STRBUF_INIT(64u << 20);
	struct err err = {0};
	size_t at[256], nat = 0, ndb = 0;
	const char *p, *end;

	(void)state;
	unlink(cache);
	assert_int_equal(compile(rules_f), 0);
	assert_int_equal(compile(rules_f), 1);
	assert_int_equal(file_read(cache, 64u << 20, &sb, NULL, &err), 0);
	p = sb.p;
	end = sb.p + sb.len;
	for (int l = 0; l < 4; l++) { /* magic, key, digest, text */
		at[nat++] = (size_t)(p - sb.p);
		p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1;
	}
	while (p < end) {
		char *e;
		size_t n = strtoul(p, &e, 10), db;

		assert_true(*e == '\n' && n > 256);
		at[nat++] = (size_t)(p - sb.p); /* its length */
		db = (size_t)(e + 1 - sb.p);
		at[nat++] = db;           /* Hyperscan's magic */
		at[nat++] = db + 8;       /* its length */
		at[nat++] = db + 20;      /* the CRC */
		at[nat++] = db + 32;      /* the bytecode's first byte */
		at[nat++] = db + n / 2;   /* a byte in the middle */
		at[nat++] = db + n - 100; /* one near its end */
		at[nat++] = db + n - 1;   /* the last */
		p = e + 1 + n;
		ndb++;
		assert_true(nat + 8 < countof(at));
	}
	assert_true(ndb >= 5);
	for (size_t i = 0; i < nat; i++) {
		write_flipped(&sb, at[i]);
		if (compile(rules_f) != 0)
			fail_msg("a changed byte at %zu of %zu was not found",
			    at[i], sb.len);
		assert_int_equal(compile(rules_f), 1);
	}
	strbuf_release(&sb);
}

static int
record(unsigned rule, size_t to, void *ctx)
{
	unsigned *seen = ctx;

	(void)to;
	seen[rule]++;
	return 0;
}

/* The rules a scan of text in field f, forms m, reports into seen (with
 * the database of every rule when every). */
static void
scan_text(struct sig *s, unsigned f, unsigned m, const char *text, int every,
    unsigned *seen)
{
	assert_int_equal(every
	        ? sig_scan_every(s, f, m, text, strlen(text), record, seen)
	        : sig_scan(s, f, m, text, strlen(text), record, seen),
	    0);
}

/*
 * For each field and set of forms, a scan of a text every pattern
 * matches reports each rule of that field and of those forms, and no
 * other rule: a rule of one field never matches another field's text.
 */
static void
check_fields(struct attack_engine *e)
{
	const char text[] = "TRACK ../ cmd.exe nikto union select %c0%af "
	                    "cat /etc/passwd sqlmap /etc/shadow <script";
	const struct attack_ruleset *rs = &e->rules;

	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 1; m <= SIG_ALL; m++) {
			unsigned seen[16] = {0}, every[16] = {0};
			int any = 0;

			assert_true(rs->n <= countof(seen));
			scan_text(&e->sig, f, m, text, 0, seen);
			scan_text(&e->sig, f, m, text, 1, every);
			for (size_t i = 0; i < rs->n; i++) {
				int want = (rs->r[i].fields & (1u << f)) &&
				    (m & SIG_FORM(rs->r[i].form));

				if (f == AF_METHOD && i == 7)
					want = 0; /* ^TRACK$: not this text */
				if (want != (seen[i] > 0) ||
				    want != (every[i] > 0))
					fail_msg(
					    "field %u forms %u rule %u: %s", f,
					    m, rs->r[i].id,
					    want ? "missed" : "matched");
				any |= (rs->r[i].fields & (1u << f)) &&
				    (m & SIG_FORM(rs->r[i].form));
			}
			assert_int_equal(sig_has(&e->sig, f, m), any);
		}
}

/* The method's database holds its rule alone. */
static void
check_method(struct attack_engine *e)
{
	unsigned seen[16] = {0};

	assert_int_equal(
	    sig_scan(&e->sig, AF_METHOD, SIG_ALL, "TRACK", 5, record, seen), 0);
	for (size_t i = 0; i < e->rules.n; i++)
		assert_int_equal(seen[i] > 0, e->rules.r[i].id == 8);
}

/*
 * Each field's database holds only that field's rules: scans report no
 * other field's (nor do those of the database of every rule, filtered),
 * fields with the same rules share a database, and the databases read
 * back from the cache are the same.
 */
static void
field_databases(void **state)
{
	struct attack_ruleset rs;
	struct attack_engine e, c;
	struct err err = {0};
	size_t ndbs, dbsize;

	(void)state;
	unlink(cache);
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	check_fields(&e);
	check_method(&e);
	assert_ptr_equal(
	    e.sig.fdb[AF_UA][SIG_ALL], e.sig.fdb[AF_REFERER][SIG_ALL]);
	assert_ptr_not_equal(
	    e.sig.fdb[AF_PATH][SIG_ALL], e.sig.fdb[AF_QUERY][SIG_ALL]);
	/* a form of few rules has a database of its own */
	assert_ptr_not_equal(e.sig.fdb[AF_PATH][SIG_FORM(AFORM_RAW)],
	    e.sig.fdb[AF_PATH][SIG_ALL]);
	assert_null(e.sig.fdb[AF_PATH][SIG_FORM(AFORM_SHELL)]);
	assert_true(e.sig.ndbs >= 5 && e.sig.dbsize > 0);
	/* and one of every rule, no field's */
	assert_non_null(e.sig.every);
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		assert_ptr_not_equal(e.sig.fdb[f][SIG_ALL], e.sig.every);
	ndbs = e.sig.ndbs;
	dbsize = e.sig.dbsize;

	/* written to the cache, then read back */
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&c, &rs, cache, 0, &err), 0);
	assert_true(c.sig.from_cache && c.sig.cache_made);
	attack_engine_release(&c);
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&c, &rs, cache, 0, &err), 0);
	assert_true(c.sig.from_cache && !c.sig.cache_made);
	assert_int_equal(c.sig.ndbs, ndbs);
	assert_int_equal(c.sig.dbsize, dbsize);
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 0; m < SIG_NFORMS; m++) {
			for (size_t k = 0; k < ndbs; k++)
				assert_int_equal(
				    e.sig.fdb[f][m] == e.sig.dbs[k],
				    c.sig.fdb[f][m] == c.sig.dbs[k]);
			assert_int_equal(
			    c.sig.filter[f][m], e.sig.filter[f][m]);
		}
	check_fields(&c);
	check_method(&c);
	attack_engine_release(&c);
	attack_engine_release(&e);

	/* a field with most of the rules is scanned with the database of
	 * every rule, the other fields' matches dropped */
	load(&rs,
	    "id: 1\nclass: traversal\nseverity: high\nfields: path query\n"
	    "pattern: \\.\\./\n\n"
	    "id: 2\nclass: sql-injection\nseverity: high\nfields: query\n"
	    "pattern: union\\s+select\n\n"
	    "id: 3\nclass: scanner\nseverity: low\nfields: query ua\n"
	    "pattern: nikto\n\n"
	    "id: 4\nclass: command-exec\nseverity: high\nfields: path\n"
	    "pattern: cmd\\.exe\n");
	assert_int_equal(attack_engine_init(&c, &rs, NULL, 0, &err), 0);
	assert_ptr_equal(c.sig.fdb[AF_QUERY][SIG_ALL], c.sig.every);
	assert_ptr_not_equal(c.sig.fdb[AF_PATH][SIG_ALL], c.sig.every);
	check_fields(&c);
	attack_engine_release(&c);

	/* a cache of the format before (one database of every rule) is
	 * not read as this one */
	rewrite("SKMHSDB8", "SKMHSDB7");
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&c, &rs, cache, 0, &err), 0);
	assert_true(c.sig.cache_made);
	check_fields(&c);
	attack_engine_release(&c);
}

/* The size of database db (hs_database_size). */
static size_t
db_size(const struct hs_database *db)
{
	size_t n = 0;

	assert_int_equal(hs_database_size(db, &n), HS_SUCCESS);
	return n;
}

/* e and l report the same rules for each field and set of forms of
 * text. */
static void
same_rules(struct attack_engine *e, struct attack_engine *l, const char *text)
{
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 1; m <= SIG_ALL; m++) {
			unsigned se[16] = {0}, sl[16] = {0};

			assert_int_equal(
			    sig_has(&e->sig, f, m), sig_has(&l->sig, f, m));
			scan_text(&e->sig, f, m, text, 0, se);
			scan_text(&l->sig, f, m, text, 0, sl);
			for (size_t i = 0; i < e->rules.n; i++)
				if ((se[i] > 0) != (sl[i] > 0))
					fail_msg("'%s' field %u forms %u rule "
					         "%u: lean %s",
					    text, f, m, e->rules.r[i].id,
					    sl[i] ? "matched" : "missed");
		}
}

/*
 * SIG_LEAN: the database of every rule alone is held (compiled here or
 * read from the cache, which stays whole for a full engine), and each
 * field's scans report the same rules as with a database per field.
 */
static void
lean_mode(void **state)
{
	static const char *const texts[] = {"/a/../etc/shadow cmd.exe",
	    "id=1 union  select <script>", "Nikto sqlmap %c0%af",
	    "x; cat /etc/passwd", "TRACK", "nothing here"};
	struct attack_ruleset rs;
	struct attack_engine e, l, c;
	struct err err = {0};

	(void)state;
	unlink(cache);
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	assert_true(e.sig.ndbs >= 5);
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&l, &rs, NULL, SIG_LEAN, &err), 0);
	assert_int_equal(l.sig.ndbs, 1);
	assert_ptr_equal(l.sig.dbs[0], l.sig.every);
	assert_int_equal(l.sig.dbsize, db_size(e.sig.every));
	for (unsigned f = 0; f < AF_NFIELDS; f++)
		for (unsigned m = 0; m < SIG_NFORMS; m++)
			assert_ptr_equal(l.sig.fdb[f][m],
			    e.sig.fdb[f][m] ? l.sig.every : NULL);
	check_fields(&l);
	check_method(&l);
	for (size_t i = 0; i < countof(texts); i++)
		same_rules(&e, &l, texts[i]);
	attack_engine_release(&l);

	/* made fresh in lean mode, the cache is written whole */
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&l, &rs, cache, SIG_LEAN, &err), 0);
	assert_true(l.sig.from_cache && l.sig.cache_made);
	assert_int_equal(l.sig.ndbs, 1);
	assert_int_equal(l.sig.dbsize, db_size(e.sig.every));
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&c, &rs, cache, 0, &err), 0);
	assert_true(c.sig.from_cache && !c.sig.cache_made);
	assert_int_equal(c.sig.ndbs, e.sig.ndbs);
	assert_int_equal(c.sig.dbsize, e.sig.dbsize);
	attack_engine_release(&c);
	attack_engine_release(&l);

	/* and read back in lean mode: the database of every rule alone */
	load(&rs, rules_f);
	assert_int_equal(attack_engine_init(&l, &rs, cache, SIG_LEAN, &err), 0);
	assert_true(l.sig.from_cache && !l.sig.cache_made);
	assert_int_equal(l.sig.ndbs, 1);
	assert_int_equal(l.sig.dbsize, db_size(e.sig.every));
	check_fields(&l);
	for (size_t i = 0; i < countof(texts); i++)
		same_rules(&e, &l, texts[i]);
	attack_engine_release(&l);
	attack_engine_release(&e);
	unlink(cache);
}

/*
 * A text that is the same raw and decoded but not with shell quoting
 * removed is scanned once for the raw and decoded rules; their hits come
 * raw first, as when each form is scanned on its own.
 */
static void
forms_in_scan_order(void **state)
{
	static const char rules[] =
	    "id: 20\nclass: traversal\nseverity: high\nfields: path\n"
	    "pattern: abc\n\n"
	    "id: 21\nclass: traversal\nseverity: high\nfields: path\n"
	    "form: raw\npattern: def\n\n"
	    "id: 22\nclass: command-exec\nseverity: high\nfields: path\n"
	    "form: shell\npattern: /xy/\n\n"
	    "id: 23\nclass: traversal\nseverity: high\nfields: path\n"
	    "pattern: ghi\n";
	const char uri[] = "/abc/x'y'/def";
	struct attack_ruleset rs;
	struct attack_engine e;
	struct attack_req rq = {0};
	struct attack_result res;
	struct err err = {0};

	(void)state;
	load(&rs, rules);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	attack_engine_memo(&e, 0);
	attack_req_uri(&rq, uri, strlen(uri));
	assert_int_equal(attack_match(&e, &rq, &res), 3);
	assert_int_equal(attack_rule_of(&e, &res.hit[0])->id, 21);
	assert_int_equal(attack_rule_of(&e, &res.hit[1])->id, 20);
	assert_int_equal(attack_rule_of(&e, &res.hit[2])->id, 22);
	attack_engine_release(&e);
}

/* The same requests with and without the memo, twice each. */
static void
memo_same(void **state)
{
	static const char *const req[][3] = {
	    {"GET", "/index.html", "Mozilla/5.0"},
	    {"GET", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir",
	        "Mozilla/5.0"},
	    {"GET", "/search?q=1+union+select+2", "nikto/2.1"},
	    {"GET", "/search?q=1%20union%20select%202", "Mozilla/5.0"},
	    {"GET", "/a/../b?x=../../etc", "curl/8"},
	    {"POST", "/index.html", "nikto"},
	    {"GET", "/", ""},
	    {"GET", "/%2e%2e/%2e%2e/x", "Mozilla/5.0 nikto"},
	};
	struct attack_ruleset rs;
	struct attack_engine e;
	struct err err = {0};

	(void)state;
	load(&rs, rules_a);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < countof(req); i++) {
			struct attack_req rq = {0};
			struct attack_result a, b;

			rq.method = req[i][0];
			rq.method_len = strlen(req[i][0]);
			attack_req_uri(&rq, req[i][1], strlen(req[i][1]));
			rq.ua = req[i][2];
			rq.ua_len = strlen(req[i][2]);
			attack_engine_memo(&e, 1);
			attack_match(&e, &rq, &a);
			attack_engine_memo(&e, round == 2);
			attack_match(&e, &rq, &b);
			assert_int_equal(a.nhits, b.nhits);
			assert_int_equal(a.top, b.top);
			assert_int_equal(a.path_flags, b.path_flags);
			assert_int_equal(a.query_flags, b.query_flags);
			for (size_t k = 0; k < a.nhits; k++) {
				assert_int_equal(a.hit[k].rule, b.hit[k].rule);
				assert_int_equal(
				    a.hit[k].field, b.hit[k].field);
			}
		}
	assert_true(e.memo_hits > 0);
	attack_engine_release(&e);
}

static int
count_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(int *)ctx)++;
	return 0;
}

/*
 * Hyperscan 5.4's AVX-512 VBMI literal matcher reads past the end of the
 * data (a SIGSEGV here, without the work-around in base/dl_hs.c, on a CPU
 * with AVX-512 VBMI); every suffix of a text is scanned where it ends on
 * the last byte before a page with no access, and the matches are those
 * of the same text scanned anywhere else.
 */
static void
scan_at_the_end_of_a_mapping(void **state)
{
	static const char *const pats[] = {
	    "bat|cat|mat|rat|fat|sat|pat|hat|vat"};
	static const unsigned flags[] = {HS_FLAG_CASELESS};
	static const unsigned ids[] = {1};
	const char *text = "VAt hat pat sat fat rat mat ca";
	size_t n = strlen(text), page = (size_t)sysconf(_SC_PAGESIZE);
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;
	hs_scratch_t *scr = NULL;
	char *map;

	(void)state;
	assert_int_equal(hs_compile_multi(pats, flags, ids, 1, HS_MODE_BLOCK,
	                     NULL, &db, &ce),
	    HS_SUCCESS);
	assert_int_equal(hs_alloc_scratch(db, &scr), HS_SUCCESS);
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, page, PROT_NONE), 0);
	for (size_t len = 1; len <= n; len++) {
		char *at_end = map + page - len;
		int here = 0, there = 0;

		memcpy(at_end, text + n - len, len);
		assert_int_equal(hs_scan(db, at_end, (unsigned)len, 0, scr,
		                     count_match, &here),
		    HS_SUCCESS);
		memmove(map, at_end, len);
		assert_int_equal(hs_scan(db, map, (unsigned)len, 0, scr,
		                     count_match, &there),
		    HS_SUCCESS);
		assert_int_equal(here, there);
	}
	assert_int_equal(munmap(map, 2 * page), 0);
	hs_free_scratch(scr);
	hs_free_database(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cache_reuse),
	    cmocka_unit_test(cache_from_fd),
	    cmocka_unit_test(cache_corrupt),
	    cmocka_unit_test(cache_any_byte),
	    cmocka_unit_test(cache_foreign),
	    cmocka_unit_test(cache_other_rules),
	    cmocka_unit_test(memo_same),
	    cmocka_unit_test(field_databases),
	    cmocka_unit_test(lean_mode),
	    cmocka_unit_test(forms_in_scan_order),
	    cmocka_unit_test(scan_at_the_end_of_a_mapping),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
