/*
 * test_base.c - cursors, bounded buffers, escaping, durations, hash map,
 * hashes, element counts and growing arrays, hex, sizes for a human,
 * findings and their outputs, the state directory's checks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/bounded.h"
#include "base/civtime.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "base/hash.h"
#include "base/hex.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/mem.h"
#include "base/output.h"
#include "base/paths.h"
#include "base/size.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "base/topk.h"
#include "disk/klog.h"
#include "logs/logs.h"
#include "mail/mail.h"

static void
cursor_numbers(void **state)
{
	const char s[] =
	    "18446744073709551615 18446744073709551616 -42 ff 0.52x";
	const char *cur = s, *end = s + strlen(s);
	uint64_t u;
	int64_t i;
	double d;

	(void)state;
	assert_int_equal(cur_u64(&cur, end, &u), 0);
	assert_true(u == UINT64_MAX);
	cur_spaces(&cur, end);
	assert_int_equal(cur_u64(&cur, end, &u), -1); /* overflow */
	cur += 20;
	cur_spaces(&cur, end);
	assert_int_equal(cur_i64(&cur, end, &i), 0);
	assert_int_equal(i, -42);
	cur_spaces(&cur, end);
	assert_int_equal(cur_hex(&cur, end, &u), 0);
	assert_int_equal(u, 255);
	cur_spaces(&cur, end);
	assert_int_equal(cur_dec(&cur, end, &d), 0);
	assert_true(d > 0.519 && d < 0.521);
	assert_int_equal(*cur, 'x');
	/* The cursor never reads past end, even without a NUL. */
	const char cut[3] = {'1', '2', '3'};
	cur = cut;
	assert_int_equal(cur_u64(&cur, cut + 2, &u), 0);
	assert_int_equal(u, 12);
}

static void
cursor_lines(void **state)
{
	const char s[] = "one\r\ntwo\n\nlast";
	const char *cur = s, *end = s + strlen(s), *ls, *le;

	(void)state;
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_true(mem_eq(ls, (size_t)(le - ls), "one"));
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_true(mem_eq(ls, (size_t)(le - ls), "two"));
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_int_equal(le - ls, 0);
	assert_int_equal(cur_line(&cur, end, &ls, &le), 0);
	assert_true(mem_eq(ls, (size_t)(le - ls), "last"));
	assert_int_equal(cur_line(&cur, end, &ls, &le), -1);
}

static void
strbuf_respects_max(void **state)
{
	struct strbuf sb = STRBUF_INIT(8);

	(void)state;
	assert_int_equal(strbuf_adds(&sb, "12345678"), 0);
	assert_int_equal(strbuf_addc(&sb, '9'), -1);
	assert_int_equal(sb.len, 8);
	assert_string_equal(strbuf_str(&sb), "12345678");
	strbuf_reset(&sb);
	assert_int_equal(strbuf_printf(&sb, "%d-%s", 42, "x"), 0);
	assert_string_equal(sb.p, "42-x");
	strbuf_release(&sb);
}

/* Once an append fails, later ones do nothing until a reset. */
static void
strbuf_errors_are_sticky(void **state)
{
	struct strbuf sb = STRBUF_INIT(8), fresh;
	char *owned;

	(void)state;
	/* never NULL, even before the first append and after a release */
	assert_non_null(sb.p);
	assert_string_equal(sb.p, "");
	strbuf_init(&fresh, 0);
	assert_string_equal(fresh.p, "");
	assert_null(strbuf_detach(&fresh));
	strbuf_reset(&fresh);
	assert_string_equal(fresh.p, "");
	assert_int_equal(strbuf_failed(&sb), 0);
	assert_int_equal(strbuf_adds(&sb, "123456"), 0);
	assert_int_equal(strbuf_adds(&sb, "789"), -1);
	assert_int_equal(strbuf_failed(&sb), E2BIG);
	/* "7" would fit, but the buffer already lost a part */
	assert_int_equal(strbuf_addc(&sb, '7'), -1);
	assert_int_equal(strbuf_printf(&sb, "%d", 7), -1);
	assert_int_equal(strbuf_add(&sb, "", 0), -1);
	assert_string_equal(sb.p, "123456");
	assert_int_equal(strbuf_failed(&sb), E2BIG);
	strbuf_reset(&sb);
	assert_int_equal(strbuf_failed(&sb), 0);
	assert_int_equal(strbuf_adds(&sb, "ok"), 0);
	owned = strbuf_detach(&sb);
	assert_string_equal(owned, "ok");
	free(owned);
	assert_string_equal(sb.p, "");
	assert_int_equal(sb.len, 0);
	assert_int_equal(strbuf_adds(&sb, "again"), 0);
	strbuf_release(&sb);
	assert_non_null(sb.p);
	assert_string_equal(sb.p, "");
	assert_string_equal(strbuf_str(&sb), "");
}

/* One slash between the parts; a path that does not fit is refused. */
/* An atomic write with or without the syncs: the content whole, the
 * mode asked, no temporary file left, an existing file replaced. */
static void
write_atomic_both_ways(void **state)
{
	char dir[] = "/tmp/test_base_atomic.XXXXXX", p[96];
	struct strbuf sb = STRBUF_INIT(1024);
	struct err err = {0};
	struct stat st;
	DIR *d;
	struct dirent *de;
	int n = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/bm", dir);
	assert_int_equal(file_write_atomic(p, "one\n", 4, 0600, &err), 0);
	assert_int_equal(
	    file_write_atomic_flags(p, "two\n", 4, 0640, FILE_NOSYNC, &err), 0);
	assert_int_equal(file_read(p, 1024, &sb, NULL, &err), 0);
	assert_int_equal(sb.len, 4);
	assert_memory_equal(sb.p, "two\n", 4);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 1);
	/* a directory that is not there: said, nothing made */
	snprintf(p, sizeof(p), "%s/no/bm", dir);
	assert_int_equal(
	    file_write_atomic_flags(p, "x", 1, 0600, FILE_NOSYNC, &err), -1);
	assert_non_null(strstr(err.msg, "/no"));
	strbuf_release(&sb);
	snprintf(p, sizeof(p), "%s/bm", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void
path_join_never_cuts(void **state)
{
	char p[16], small[8];

	static const char *joins[][3] = {
	    {"/srv", "/etc/x", "/srv/etc/x"},
	    {"/srv/", "/etc/x", "/srv/etc/x"},
	    {"/srv/", "etc", "/srv/etc"},
	    {"/var/log", "syslog", "/var/log/syslog"},
	    {"/", "etc", "/etc"},
	    {"/", "/etc", "/etc"},
	    {"", "/etc", "/etc"},
	    {NULL, "rel", "rel"},
	};

	(void)state;
	for (size_t i = 0; i < countof(joins); i++) {
		assert_int_equal(
		    path_join(p, sizeof(p), joins[i][0], joins[i][1]), 0);
		assert_string_equal(p, joins[i][2]);
	}
	/* the directory may be the destination: joins build up */
	assert_int_equal(path_join(p, sizeof(p), "/a", "b"), 0);
	assert_int_equal(path_join(p, sizeof(p), p, "c"), 0);
	assert_string_equal(p, "/a/b/c");
	/* exactly full, then one byte too many */
	assert_int_equal(path_join(small, sizeof(small), "/abc", "def"), -1);
	assert_string_equal(small, "");
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(path_join(small, sizeof(small), "/ab", "def"), 0);
	assert_string_equal(small, "/ab/def");
	assert_int_equal(path_join(small, sizeof(small), "/ab", "/defg"), -1);
	assert_string_equal(small, "");
}

static void
bounded_text(void **state)
{
	char s[6];

	(void)state;
	assert_int_equal(str_copy(s, sizeof(s), "abc"), 0);
	assert_string_equal(s, "abc");
	assert_int_equal(str_copy(s, sizeof(s), "abcde"), 0);
	assert_int_equal(str_copy(s, sizeof(s), "abcdef"), 1);
	assert_string_equal(s, "abcde");
	assert_int_equal(str_printf(s, sizeof(s), "%d-%s", 12, "x"), 0);
	assert_string_equal(s, "12-x");
	assert_int_equal(str_printf(s, sizeof(s), "%d-%s", 12, "xyz"), 1);
	assert_string_equal(s, "12-xy");
}

static void
escape_untrusted_text(void **state)
{
	/* An ANSI sequence, invalid UTF-8, a backslash, valid UTF-8, a C1 control. */
	const char in[] = "a\033[2Jb\xff\\c\xe5\xae\x88\xc2\x9b";
	struct strbuf sb = STRBUF_INIT(0);

	(void)state;
	assert_int_equal(esc_text(&sb, in, strlen(in)), 0);
	assert_string_equal(sb.p, "a\\x1b[2Jb\\xff\\\\c\xe5\xae\x88\\xc2\\x9b");
	assert_false(text_is_clean(in, strlen(in)));
	assert_true(text_is_clean("plain \xe5\xae\x88", 9));
	strbuf_reset(&sb);
	esc_html(&sb, "<a href='x'>&", 13);
	assert_string_equal(sb.p, "&lt;a href=&#39;x&#39;&gt;&amp;");
	strbuf_release(&sb);

	char small[8];
	esc_text_buf(small, sizeof(small), "\x01\x02\x03", 3);
	/* Never cut inside an escape's bytes beyond the buffer. */
	assert_true(strlen(small) < sizeof(small));
}

static void
json_keeps_invalid_bytes_visible(void **state)
{
	json_t *j = jstrn("ok\xff\x00z", 5);

	(void)state;
	assert_non_null(j);
	assert_string_equal(json_string_value(j), "ok\\xff\\x00z");
	json_decref(j);
}

/* The contract: type first, then schema; stamps RFC 3339 UTC; numbers. */
static void
json_contract(void **state)
{
	json_t *o = json_object(), *v;
	char *s, buf[64];

	(void)state;
	jset(o, "a", json_integer(1));
	jset(o, "type", json_string("x"));
	jset(o, "schema", json_integer(99));
	jset(o, "b", json_true());
	assert_int_equal(json_stamp(o), 0);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(
	    s, "{\"type\":\"x\",\"schema\":2,\"a\":1,\"b\":true}");
	free(s);
	json_decref(o);

	v = jtime(1765011600);
	assert_string_equal(json_string_value(v), "2025-12-06T09:00:00Z");
	json_decref(v);
	assert_true(json_is_null(v = jtime(0)));
	json_decref(v);

	v = jvalue("42");
	assert_true(json_is_integer(v) && json_integer_value(v) == 42);
	json_decref(v);
	v = jvalue("-1.5e2");
	assert_true(json_is_real(v) && json_real_value(v) == -150.0);
	json_decref(v);
	v = jvalue("99999999999999999999");
	assert_true(json_is_real(v));
	json_decref(v);
	/* not numbers in JSON's grammar stay text */
	static const char *const text[] = {"042", "1.2.3", "1.", ".5", "+1",
	    "0x10", "1e", "", " 1", "1 ", "nan", "inf", "75%"};
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		v = jvalue(text[i]);
		assert_true(json_is_string(v));
		assert_string_equal(json_string_value(v), text[i]);
		json_decref(v);
	}

	/* time_iso: RFC 3339, Z in UTC, +hh:mm elsewhere */
	setenv("TZ", "UTC", 1);
	tzset();
	time_iso(buf, sizeof(buf), 1765011600);
	assert_string_equal(buf, "2025-12-06T09:00:00Z");
	setenv("TZ", "IST-5:30", 1);
	tzset();
	time_iso(buf, sizeof(buf), 1765011600);
	assert_string_equal(buf, "2025-12-06T14:30:00+05:30");
	setenv("TZ", "EST5", 1);
	tzset();
	time_iso(buf, sizeof(buf), 1765011600);
	assert_string_equal(buf, "2025-12-06T04:00:00-05:00");
	unsetenv("TZ");
	tzset();
}

static void
durations(void **state)
{
	uint64_t s;
	char buf[32];

	(void)state;
	assert_int_equal(dur_parse("90", 2, &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(dur_parse("1h30m", 5, &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(dur_parse("2d", 2, &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(dur_parse("1h30", 4, &s), -1);
	assert_int_equal(dur_parse("5x", 2, &s), -1);
	assert_int_equal(dur_parse("", 0, &s), -1);
	/* overflow is an error, never a wrapped or negative time */
	assert_int_equal(dur_parse("9007199254740992s", 17, &s), 0);
	assert_true(s == DUR_MAX);
	assert_int_equal(dur_parse("9007199254740993s", 17, &s), -1);
	assert_int_equal(dur_parse("9223372036854775807s", 20, &s), -1);
	assert_int_equal(dur_parse("18446744073709551615s", 21, &s), -1);
	assert_int_equal(dur_parse("18446744073709551616s", 21, &s), -1);
	assert_int_equal(dur_parse("106751991167301d", 16, &s), -1);
	assert_int_equal(dur_parse("1w9007199254740000s", 19, &s), -1);
	dur_format(buf, sizeof(buf), 93784);
	assert_string_equal(buf, "1d2h");
	dur_format(buf, sizeof(buf), 42);
	assert_string_equal(buf, "42s");
	/* in words, for messages: never "0.0 days" for a few hours */
	dur_words(buf, sizeof(buf), 3.5 * 86400);
	assert_string_equal(buf, "3.5 days");
	dur_words(buf, sizeof(buf), 0.2 * 86400);
	assert_string_equal(buf, "4.8 hours");
	dur_words(buf, sizeof(buf), 2400);
	assert_string_equal(buf, "40 minutes");
	dur_words(buf, sizeof(buf), 12.4);
	assert_string_equal(buf, "12 seconds");
	dur_words(buf, sizeof(buf), 61);
	assert_string_equal(buf, "1 minute");
}

static int
count_cb(struct hmap_entry *e, void *arg)
{
	*(uint64_t *)arg += e->val.u;
	return 0;
}

static void
hash_map(void **state)
{
	struct hmap m;
	char key[32];
	uint64_t sum = 0;
	int created;

	(void)state;
	hmap_init(&m);
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof(key), "k%d", i % 1000);
		struct hmap_entry *e = hmap_put(&m, key, (size_t)n, &created);

		assert_non_null(e);
		assert_int_equal(created, i < 1000);
		e->val.u++;
	}
	assert_int_equal(hmap_count(&m), 1000);
	assert_int_equal(hmap_get(&m, "k7", 2)->val.u, 10);
	assert_null(hmap_get(&m, "nope", 4));
	hmap_each(&m, count_cb, &sum);
	assert_int_equal(sum, 10000);
	hmap_release(&m);
}

static void
element_count(void **state)
{
	static const char *const names[] = {"a", "b", "c"};
	struct {
		int v[7];
	} s;
	uint64_t w[5][2];

	(void)state;
	(void)s;
	assert_int_equal(countof(names), 3);
	assert_int_equal(countof(s.v), 7);
	assert_int_equal(countof(w), 5);
	assert_int_equal(countof(w[0]), 2);
}

static void
grow_array(void **state)
{
	uint32_t *v = NULL;
	size_t cap = 0, prev;

	(void)state;
	/* nothing to do: no allocation */
	assert_int_equal(mem_grow(&v, &cap, 0, sizeof(*v)), 0);
	assert_null(v);
	assert_int_equal(cap, 0);
	/* the first room, then doubling, the contents kept */
	assert_int_equal(mem_grow(&v, &cap, 1, sizeof(*v)), 0);
	assert_non_null(v);
	assert_int_equal(cap, 8);
	for (uint32_t i = 0; i < 1000; i++) {
		assert_int_equal(mem_grow(&v, &cap, i + 1, sizeof(*v)), 0);
		assert_true(cap >= i + 1);
		v[i] = i * 3;
	}
	assert_int_equal(cap, 1024);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 3);
	/* a jump past twice the room: exactly what is asked */
	assert_int_equal(mem_grow(&v, &cap, 5000, sizeof(*v)), 0);
	assert_int_equal(cap, 5000);
	assert_int_equal(v[999], 2997);
	/* sizes that overflow fail, the array and its room untouched */
	prev = cap;
	errno = 0;
	assert_int_equal(mem_grow(&v, &cap, SIZE_MAX / 2, sizeof(*v)), -1);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(mem_grow(&v, &cap, SIZE_MAX, 1), -1);
	assert_int_equal(mem_grow(&v, &cap, cap + 1, 0), -1);
	assert_int_equal(cap, prev);
	assert_int_equal(v[999], 2997);
	free(v);
}

static void
hashes(void **state)
{
	uint64_t s = hash_seed(), h[1024] = {0};
	char a[45], b[45];
	struct hmap m;
	struct topk t;
	int same = 0, used = 0;

	(void)state;
	/* one seed for the process, shared by every table */
	assert_true(s != 0);
	assert_true(hash_seed() == s);
	hmap_init(&m);
	assert_true(m.seed == s);
	hmap_release(&m);
	assert_int_equal(topk_init(&t, 4, 0), 0);
	assert_true(t.seed == s);
	topk_release(&t);
	/* the seed changes the value; the same input, the same value */
	assert_true(hash_bytes(1, "abc", 3) != hash_bytes(2, "abc", 3));
	assert_true(hash_bytes(s, "abc", 3) == hash_bytes(s, "abc", 3));
	assert_true(hash_u64(1, 42) != hash_u64(2, 42));
	/* length counts: "a" and "a\0" differ, as do all short keys */
	assert_true(hash_bytes(s, "a\0", 2) != hash_bytes(s, "a", 1));
	assert_true(hash_bytes(s, "", 0) != hash_bytes(s, "\0", 1));
	/* 1000 similar keys over 1024 slots: spread like random ones */
	for (int i = 0; i < 1000; i++) {
		char k[32];
		int n = snprintf(k, sizeof(k), "10.0.%d.%d", i / 256, i % 256);
		uint64_t x = hash_bytes(s, k, (size_t)n);

		if (h[x & 1023]++ == 0)
			used++;
		same += hash_ends(s, k, (size_t)n) == x;
	}
	assert_true(used > 550); /* random: about 1024 * (1 - e^-1000/1024) */
	assert_true(same < 5);
	/* the sampled hash sees the length and the ends, not the middle */
	memset(a, 'a', sizeof(a));
	memcpy(b, a, sizeof(b));
	b[20] = 'X'; /* bytes 16 to 28 of 45 are not read */
	assert_true(hash_ends(s, a, 45) == hash_ends(s, b, 45));
	b[20] = 'a';
	b[30] = 'X';
	assert_true(hash_ends(s, a, 45) != hash_ends(s, b, 45));
	assert_true(hash_ends(s, "GET /a/x", 8) != hash_ends(s, "GET /b/x", 8));
	assert_true(
	    hash_ends(s, "GET /a/x", 8) != hash_ends(s, "GET /a/xy", 9));
	/* FNV-1a, unseeded, for stored values: the published vectors */
	assert_true(
	    hash_fnv1a(HASH_FNV_BASIS, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(
	    hash_fnv1a(HASH_FNV_BASIS, "foobar", 6) == 0x85944171f73967e8ULL);
	/* the follower's file fingerprint of earlier versions, unchanged */
	assert_true(
	    hash_mix64(hash_fnv1a(HASH_FNV_BASIS ^ 0x5a6b1d0f3e2c4b7aULL, "abc",
	        3)) == 0x38297f372350b598ULL);
	/* hash256: 64 hex digits, the same for the same pieces, another for
	 * one byte changed, and the same in every process (not seeded) */
	{
		struct hash256 d;
		char x[65], y[65];

		hash256_hex_of("rules", 5, x);
		assert_int_equal(strlen(x), 64);
		assert_int_equal(strspn(x, "0123456789abcdef"), 64);
		hash256_init(&d);
		hash256_add(&d, "rules", 5);
		hash256_hex(&d, y);
		assert_string_equal(x, y);
		hash256_hex_of("rulez", 5, y);
		assert_string_not_equal(x, y);
		for (int i = 0; i < 4; i++)
			assert_memory_not_equal(x + 16 * i, y + 16 * i, 16);
		hash256_hex_of("rules", 5, y);
		assert_string_equal(x, y);
		/* pinned: a cache written by one run is read by the next */
		hash256_hex_of("", 0, y);
		assert_string_equal(y,
		    "7acdbb98b134421372dee428a469f6fd"
		    "a3ed002e83606a64893f88f3eb9bc414");
	}
}

static void
hex_both_ways(void **state)
{
	const unsigned char bin[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	unsigned char back[sizeof(bin)];
	char txt[2 * sizeof(bin) + 1];

	(void)state;
	memset(txt, 'x', sizeof(txt));
	hex_encode(txt, bin, sizeof(bin));
	assert_string_equal(txt, "00017f80abff");
	hex_encode(txt, bin, 0);
	assert_string_equal(txt, "");
	assert_int_equal(hex_decode(back, "00017F80abFF", sizeof(back)), 0);
	assert_memory_equal(back, bin, sizeof(bin));
	assert_int_equal(hex_decode(back, "0g", 1), -1);
	assert_int_equal(hex_decode(back, "0 ", 1), -1);
	assert_int_equal(hex_decode(back, "-1", 1), -1);
}

static void
sizes_for_a_human(void **state)
{
	static const struct {
		double b;
		const char *want;
	} t[] = {
	    {0, "0 B"},
	    {1, "1 B"},
	    {1023, "1023 B"},
	    {1024, "1.0 KiB"},
	    {1536, "1.5 KiB"},
	    {10 * 1024 + 512, "10.5 KiB"},
	    {3 * 1048576.0, "3.0 MiB"},
	    {1048576.0 - 40, "1.0 MiB"}, /* not "1024.0 KiB" */
	    {5.5 * 1073741824.0, "5.5 GiB"},
	    {2 * 1099511627776.0, "2.0 TiB"},
	    {1152921504606846976.0 * 3, "3.0 EiB"},
	    {1152921504606846976.0 * 4096, "4096.0 EiB"},
	    {-2048, "-2.0 KiB"},
	};
	char buf[SIZE_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < countof(t); i++) {
		size_format(buf, sizeof(buf), t[i].b);
		assert_string_equal(buf, t[i].want);
	}
}

static void
report_worst_and_outputs(void **state)
{
	struct report r;
	struct finding *f;
	struct out o;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	report_init(&r);
	assert_int_equal(report_worst(&r), SEV_OK);
	report_add(&r, SEV_UNKNOWN, "x", "a", "cannot read");
	assert_int_equal(report_worst(&r), SEV_UNKNOWN);
	f = report_add(
	    &r, SEV_WARNING, "load", "host", "load %.2f per CPU", 1.5);
	finding_ev(f, "load1", "%.2f", 3.0);
	assert_int_equal(report_worst(&r), SEV_WARNING);
	assert_string_equal(finding_ev_get(f, "load1"), "3.00");
	report_add(&r, SEV_CRITICAL, "fs-blocks", "/", "96%% used | evil");
	assert_int_equal(report_worst(&r), SEV_CRITICAL);
	report_perf(&r, "load1", 3.0, "", 2.0, 4.0, 0, NAN);

	fp = open_memstream(&buf, &len);
	out_init(&o, OUT_NAGIOS, fp);
	out_report(&o, &r, "SAKIMORI");
	fclose(fp);
	/* Critical first; '|' in a message must not start perfdata. */
	assert_non_null(strstr(
	    buf, "SAKIMORI CRITICAL - CRITICAL: 96% used / evil; WARNING"));
	assert_non_null(strstr(buf, "| load1=3;2;4;0;\n"));
	free(buf);

	buf = NULL;
	fp = open_memstream(&buf, &len);
	out_init(&o, OUT_JSON, fp);
	out_report(&o, &r, "SAKIMORI");
	fclose(fp);
	assert_non_null(strstr(buf,
	    "{\"type\":\"finding\",\"schema\":2,\"severity\":\"WARNING\","
	    "\"check\":\"load\""));
	/* Evidence that is a number is a JSON number. */
	assert_non_null(strstr(buf, "\"evidence\":{\"load1\":3.0}"));
	/* One object per line. */
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3);
	free(buf);
	report_release(&r);
}

/*
 * The Nagios output of r into a new string (freed by the caller); not
 * inlined, where gcc takes the memstream's buffer for a local's address.
 */
static __attribute__((noinline)) char *
nagios_of(const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct out o;

	out_init(&o, OUT_NAGIOS, fp);
	out_report(&o, r, "SAKIMORI");
	fclose(fp);
	return buf;
}

/* Perfdata as the monitoring-plugins guidelines write it. */
static void
nagios_perfdata(void **state)
{
	struct report r;
	char *buf;

	(void)state;
	report_init(&r);
	/* bad when below: the thresholds are lower bounds, "10:" */
	report_perf_lower(&r, "mem_available", 42, "%", 10, 5, 0, 100);
	/* quoted when a label holds a space or '=', a quote doubled */
	report_perf(&r, "inodes /var", 3, "%", 90, 95, 0, 100);
	report_perf(&r, "a=b", 1, "", NAN, NAN, NAN, NAN);
	report_perf(&r, "it's", 2, "s", 1.5, NAN, 0, NAN);
	report_perf(&r, "plain", 7, "B", NAN, NAN, NAN, NAN);
	buf = nagios_of(&r);
	assert_string_equal(buf,
	    "SAKIMORI OK - all checks passed | mem_available=42%;10:;5:;0;100 "
	    "'inodes /var'=3%;90;95;0;100 'a=b'=1;;;; 'it''s'=2s;1.50;;0; "
	    "plain=7B;;;;\n");
	free(buf);
	report_release(&r);
}

/*
 * Many findings: a first line well under 1 KiB that names the worst
 * first, then one line per finding (long output), and the perfdata that
 * does not fit the first line after a '|' at the end.
 */
static void
nagios_long_output(void **state)
{
	struct report r;
	char *buf, *nl, label[32];
	size_t lines = 0;

	(void)state;
	report_init(&r);
	for (int i = 0; i < 40; i++)
		report_add(&r, i == 39 ? SEV_CRITICAL : SEV_WARNING,
		    "fs-blocks", "/srv",
		    "filesystem %d is nearly full, with a long "
		    "explanation of what is on it",
		    i);
	for (int i = 0; i < 60; i++) {
		snprintf(label, sizeof(label), "/mnt/disk%02d", i);
		report_perf(&r, label, i, "%", 90, 95, 0, 100);
	}
	buf = nagios_of(&r);
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	assert_true(nl - buf < 1000);
	{
		static const char first[] = "SAKIMORI CRITICAL - CRITICAL: "
		                            "filesystem 39 is nearly full";

		assert_memory_equal(buf, first, sizeof(first) - 1);
	}
	assert_non_null(
	    strstr(buf, "more below) | /mnt/disk00=0%;90;95;0;100"));
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	/* the status line, 40 findings, the rest of the perfdata */
	assert_int_equal(lines, 42);
	assert_non_null(strstr(buf,
	    "\nCRITICAL: fs-blocks /srv: filesystem 39 is nearly full, with "
	    "a long explanation of what is on it\nWARNING: fs-blocks /srv: "
	    "filesystem 0 "));
	assert_non_null(strstr(buf, " /mnt/disk59=59%;90;95;0;100\n"));
	/* the last line is the rest of the perfdata */
	nl = buf + strlen(buf) - 1;
	while (nl > buf && nl[-1] != '\n')
		nl--;
	assert_true(strncmp(nl, "| /mnt/disk", 11) == 0);
	free(buf);
	report_release(&r);
}

/* A unit's output to the journal: sd-daemon priority prefixes. */
static void
journal_priority_prefixes(void **state)
{
	char path[] = "/tmp/sakimori-journal.XXXXXX", buf[512] = "";
	struct report r;
	struct stat st;
	struct out o;
	char js[64];
	FILE *fp;
	int fd = mkstemp(path);
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	fp = fdopen(fd, "w+");
	assert_non_null(fp);
	assert_int_equal(fstat(fd, &st), 0);
	report_init(&r);
	report_add(&r, SEV_CRITICAL, "fs-blocks", "/", "96%% used");
	report_add(&r, SEV_WARNING, "load", "host", "load 1.5");
	report_add(&r, SEV_UNKNOWN, "fim", "baseline", "cannot read");

	/* another stream: no prefixes */
	setenv("JOURNAL_STREAM", "1:2", 1);
	out_init(&o, OUT_TABLE, fp);
	assert_int_equal(o.journal, 0);
	snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	out_init(&o, OUT_TABLE, fp);
	assert_int_equal(o.journal, 1);
	out_report(&o, &r, "SAKIMORI");
	fflush(fp);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	assert_string_equal(buf,
	    "<2>CRITICAL fs-blocks /: 96% used\n"
	    "<4>WARNING load host: load 1.5\n"
	    "<3>UNKNOWN fim baseline: cannot read\n");
	/* JSON lines are left alone */
	out_init(&o, OUT_JSON, fp);
	assert_int_equal(o.journal, 0);
	unsetenv("JOURNAL_STREAM");
	fclose(fp);
	report_release(&r);
}

/* A table printed to a stream set as the screen, width columns wide. */
static char *
table_text(const struct table *t, size_t width, int color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	table_screen(fp, width);
	table_print(t, fp, color);
	fclose(fp);
	table_screen(NULL, 0);
	return buf;
}

static void
table_fits_the_screen(void **state)
{
	static const char *const hdr[] = {"PID", "USER", "RSS", "COMMAND"};
	const char *r1[] = {"1", "root", "15237120", "/sbin/init splash"};
	const char *r2[] = {"1234", "www-data", "8388608",
	    "/usr/sbin/apache2 -k start -DFOREGROUND"};
	struct table t;
	char *s;

	(void)state;
	setenv("LC_ALL", "C.UTF-8", 1);
	table_init(&t, 4, hdr, "rlrl");
	assert_int_equal(table_row(&t, r1), 0);
	assert_int_equal(table_row(&t, r2), 0);
	/* wide enough: two spaces, nothing cut */
	s = table_text(&t, 80, 0);
	assert_string_equal(s,
	    " PID  USER           RSS  COMMAND\n"
	    "   1  root      15237120  /sbin/init splash\n"
	    "1234  www-data   8388608  /usr/sbin/apache2 -k start "
	    "-DFOREGROUND\n");
	free(s);
	/* 40 columns: one space, the command line cut with an ellipsis */
	s = table_text(&t, 40, 0);
	assert_string_equal(s,
	    " PID USER          RSS COMMAND\n"
	    "   1 root     15237120 /sbin/init splash\n"
	    "1234 www-data  8388608 /usr/sbin/apache…\n");
	free(s);
	/* no UTF-8: three dots; the user column stays at 8 and numbers are
	 * never cut, so 20 columns cannot be met */
	setenv("LC_ALL", "C", 1);
	s = table_text(&t, 20, 0);
	assert_string_equal(s,
	    " PID USER          RSS COMMAND\n"
	    "   1 root     15237120 /sbin...\n"
	    "1234 www-data  8388608 /usr/...\n");
	free(s);
	unsetenv("LC_ALL");
	/* a stream that is not the screen is never cut */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		table_screen(stdout, 20);
		table_print(&t, fp, 0);
		fclose(fp);
		table_screen(NULL, 0);
		assert_non_null(strstr(buf, "-k start -DFOREGROUND\n"));
		free(buf);
	}
	table_release(&t);
}

static void
table_wraps_and_colours(void **state)
{
	static const char *const hdr[] = {"SEVERITY", "CHECK", "MESSAGE"};
	const char *r1[] = {"WARNING", "load",
	    "1-minute load average 1.25 per CPU is above 1.00"};
	struct table t;
	char *s;

	(void)state;
	table_init(&t, 3, hdr, "lll");
	t.wrap = 1;
	assert_int_equal(table_row_sgr(&t, r1, "\033[33m"), 0);
	s = table_text(&t, 45, 0);
	assert_string_equal(s,
	    "SEVERITY CHECK MESSAGE\n"
	    "WARNING  load  1-minute load average 1.25 per\n"
	    "               CPU is above 1.00\n");
	free(s);
	s = table_text(&t, 0, 1);
	assert_string_equal(s,
	    "\033[1mSEVERITY  CHECK  MESSAGE\033[0m\n"
	    "\033[33mWARNING \033[0m  load   1-minute load average 1.25 per "
	    "CPU is above 1.00\n");
	free(s);
	table_release(&t);
}

/* fp's table width, its colour and human sizes (both on or off), and
 * 1.5 GiB as its tables show it. */
static void
expect_stream(FILE *fp, size_t width, int on, const char *size)
{
	struct out o;
	char sz[32];

	assert_int_equal(out_width(fp), width);
	out_init(&o, OUT_TABLE, fp);
	assert_int_equal(o.color, on);
	assert_int_equal(o.human, on);
	out_size(&o, sz, sizeof(sz), 1610612736);
	assert_string_equal(sz, size);
}

static void
terminal_width_colour_sizes(void **state)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), sfd;
	struct winsize ws = {.ws_row = 24, .ws_col = 100};
	struct out o;
	FILE *tty, *file = tmpfile();

	(void)state;
	assert_true(m >= 0);
	assert_int_equal(grantpt(m), 0);
	assert_int_equal(unlockpt(m), 0);
	sfd = open(ptsname(m), O_RDWR | O_NOCTTY);
	assert_true(sfd >= 0);
	assert_int_equal(ioctl(sfd, TIOCSWINSZ, &ws), 0);
	tty = fdopen(sfd, "w");
	assert_non_null(tty);
	assert_non_null(file);
	unsetenv("COLUMNS");
	unsetenv("NO_COLOR");
	unsetenv("JOURNAL_STREAM");
	setenv("TERM", "xterm", 1);

	/* a terminal: its width, colour, sizes for a human */
	expect_stream(tty, 100, 1, "1.5 GiB");
	/* NO_COLOR set (to anything): no colour */
	setenv("NO_COLOR", "1", 1);
	out_init(&o, OUT_TABLE, tty);
	assert_int_equal(o.color, 0);
	unsetenv("NO_COLOR");
	/* a terminal that does not say its width: 80 */
	ws.ws_col = 0;
	assert_int_equal(ioctl(sfd, TIOCSWINSZ, &ws), 0);
	assert_int_equal(out_width(tty), 80);
	/* COLUMNS wins, on a terminal or not */
	setenv("COLUMNS", "72", 1);
	assert_int_equal(out_width(tty), 72);
	assert_int_equal(out_width(file), 72);
	setenv("COLUMNS", "wide", 1);
	assert_int_equal(out_width(file), 0);
	unsetenv("COLUMNS");

	/* not a terminal: no limit, no colour, bytes */
	expect_stream(file, 0, 0, "1610612736");
	fclose(file);
	fclose(tty);
	close(m);
}

/* US Eastern time as a POSIX TZ rule: needs no zone files. */
static void
use_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void
civil_dates(void **state)
{
	(void)state;
	assert_int_equal(civ_days(1970, 1, 1), 0);
	assert_int_equal(civ_days(1969, 12, 31), -1);
	assert_int_equal(civ_days(2000, 3, 1), 11017);
	assert_int_equal(civ_days(2024, 2, 29), 19782);
	assert_int_equal(civ_days(1600, 1, 1), -135140);
	assert_int_equal(civ_month("Jan"), 1);
	assert_int_equal(civ_month("Dec"), 12);
	assert_int_equal(civ_month("jan"), 0);
	assert_int_equal(civ_month("Foo"), 0);
}

/* Parses s whole with civ_iso; the UTC epoch, or -2 when refused. */
static int64_t
iso(const char *s, unsigned flags)
{
	struct civtime t;
	const char *p = s, *end = s + strlen(s);

	if (civ_iso(&p, end, &t, flags) == -1 || p != end)
		return -2;
	return civ_epoch(&t);
}

static void
iso_8601_and_rfc_3339(void **state)
{
	struct civtime t;
	const char *s = "2024-01-02T03:04:05.25+01:30 rest", *p = s;

	(void)state;
	use_tz("UTC0");
	assert_int_equal(civ_iso(&p, s + strlen(s), &t, CIV_ISO_T), 0);
	assert_string_equal(p, " rest");
	assert_int_equal(t.usec, 250000);
	assert_true(t.has_tz);
	assert_int_equal(t.tzoff, 5400);
	assert_int_equal(civ_epoch(&t), 1704164645 - 5400);
	assert_int_equal(iso("2024-01-02T03:04:05Z", CIV_ISO_T), 1704164645);
	assert_int_equal(
	    iso("2024-01-02T03:04:05-0500", CIV_ISO_T), 1704164645 + 5 * 3600);
	assert_int_equal(
	    iso("2024-01-02 03:04:05,5", CIV_ISO_SPACE), 1704164645);
	/* the separator, the date-only and minutes-only forms are opt-in */
	assert_int_equal(iso("2024-01-02 03:04:05", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-01-02", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-01-02", CIV_ISO_DATE), 1704153600);
	assert_int_equal(iso("2024-01-02T03:04", CIV_ISO_T), -2);
	assert_int_equal(
	    iso("2024-01-02T03:04", CIV_ISO_T | CIV_ISO_HM), 1704164640);
	/* malformed: never a time */
	assert_int_equal(iso("2024-13-02T03:04:05", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-01-00T03:04:05", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-01-02T03:60:05", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-01-02T03:04:05+1", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-01-02T03:04:05+25:00", CIV_ISO_T), -2);
	assert_int_equal(iso("2024-1-02T03:04:05", CIV_ISO_T), -2);
	assert_int_equal(iso("", CIV_ISO_T), -2);
	p = s;
	assert_int_equal(civ_iso(&p, s + 12, &t, CIV_ISO_T), -1);
	assert_ptr_equal(p, s);
}

/* A stamp without a zone is local time, also across a DST change. */
static void
zoneless_stamps_are_local_time(void **state)
{
	const char *s = "Jul  4 12:00:00", *p = s;
	struct civtime t;

	(void)state;
	use_tz("EST5EDT,M3.2.0,M11.1.0");
	assert_int_equal(
	    iso("2024-01-02T03:04:05", CIV_ISO_T), 1704164645 + 5 * 3600);
	assert_int_equal(
	    iso("2024-07-02T03:04:05", CIV_ISO_T), 1719889445 + 4 * 3600);
	/* the same quarter hour again (from the cache), then another */
	assert_int_equal(
	    iso("2024-07-02T03:14:59", CIV_ISO_T), 1719889445 + 4 * 3600 + 654);
	assert_int_equal(
	    iso("2024-01-02T03:04:06", CIV_ISO_T), 1704164646 + 5 * 3600);
	assert_int_equal(civ_3164(&p, s + strlen(s), &t, 2024), 0);
	assert_ptr_equal(p, s + strlen(s));
	assert_int_equal(civ_epoch(&t), 1720094400 + 4 * 3600);
	/* a new zone is seen at once */
	use_tz("JST-9");
	assert_int_equal(civ_epoch(&t), 1720094400 - 9 * 3600);
	p = "Jul 4 12:00";
	assert_int_equal(civ_3164(&p, p + strlen(p), &t, 2024), -1);
	use_tz("UTC0");
}

/* The mail, kernel-log and web/syslog readers place a stamp alike. */
static void
log_readers_agree_on_stamps(void **state)
{
	static const char *lines[] = {
	    "Jan  2 03:04:05 host postfix/smtpd[12]: connect from x",
	    "2024-01-02T03:04:05 host postfix/smtpd[12]: connect from x",
	    "2024-01-02T03:04:05.123-08:00 host postfix/smtpd[12]: connect",
	};
	int64_t want[] = {
	    1704164645 + 5 * 3600,
	    1704164645 + 5 * 3600,
	    1704164645 + 8 * 3600,
	};

	(void)state;
	use_tz("EST5EDT,M3.2.0,M11.1.0");
	for (size_t i = 0; i < countof(lines); i++) {
		const char *l = lines[i];
		struct mail_line ml;
		struct disk_kline kl;
		struct logs_parser lp;
		struct logs_rec rec;

		assert_int_equal(mail_line_split(l, strlen(l), 2024, &ml), 0);
		assert_int_equal((int64_t)ml.time, want[i]);
		disk_klog_split(l, strlen(l), 1704164645 + 86400, &kl);
		assert_int_equal((int64_t)kl.when, want[i]);
		logs_parser_init(&lp, LOGS_FMT_SYSLOG);
		lp.default_year = 2024;
		memset(&rec, 0, sizeof(rec));
		assert_int_equal(
		    logs_parse_line(&lp, l, strlen(l), &rec), LOGS_OK);
		assert_int_equal(civ_epoch(&rec.u.s.time), want[i]);
		logs_parser_release(&lp);
	}
	use_tz("UTC0");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* rm -r, without following links. */
static void
rm_tree(const char *dir)
{
	assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void
state_dir_checks(void **state)
{
	char top[] = "/tmp/test_statedir.XXXXXX", p[PATH_MAX], q[PATH_MAX];
	char got[PATH_MAX], want[PATH_MAX];
	struct err err = {0};
	struct stat st;
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip(); /* the ownership checks are root's */
	assert_non_null(mkdtemp(top));
	assert_non_null(realpath(top, want));
	/* Missing: made 0700; its parent (a sticky, root-owned /tmp) is
	 * fine on the path. */
	snprintf(p, sizeof(p), "%s/a/state", top);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* A symbolic link on the path: resolved to where it leads. */
	snprintf(q, sizeof(q), "%s/link", top);
	snprintf(p, sizeof(p), "%s/a", top);
	assert_int_equal(symlink(p, q), 0);
	snprintf(p, sizeof(p), "%s/link/state", top);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), 0);
	strcat(want, "/a/state");
	assert_string_equal(got, want);
	/* Writable by others, by the group, owned by another user: refused,
	 * the state directory itself or a directory above it. */
	assert_int_equal(chmod(got, 0777), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_int_equal(err.code, EPERM);
	assert_non_null(strstr(err.msg, "writable by others"));
	assert_int_equal(chmod(got, 01777), 0); /* sticky: still refused */
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_int_equal(chmod(got, 0770), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_non_null(strstr(err.msg, "writable by its group"));
	assert_int_equal(chmod(got, 0700), 0);
	assert_int_equal(chown(got, 65534, 65534), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_non_null(strstr(err.msg, "owned by uid 65534"));
	assert_int_equal(statedir_dir(got, NULL, 0, &err), -1);
	assert_int_equal(err.code, EPERM);
	assert_int_equal(chown(got, 0, 0), 0);
	snprintf(q, sizeof(q), "%s/a", top);
	assert_int_equal(chmod(q, 0757), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), -1);
	assert_non_null(strstr(err.msg, "/a' is writable by others"));
	assert_int_equal(chmod(q, 0700), 0);
	assert_int_equal(statedir_resolve(p, got, sizeof(got), &err), 0);

	/* Inside: a symbolic link is never followed, a subdirectory is made
	 * 0700 and checked as the directory is. */
	assert_int_equal(path_join(q, sizeof(q), got, "x.db"), 0);
	assert_int_equal(symlink("/etc/passwd", q), 0);
	assert_int_equal(statedir_open(got, "x.db", O_RDONLY, 0, &err), -1);
	assert_int_equal(err.code, ELOOP);
	assert_int_equal(
	    statedir_open(got, "x.db", O_WRONLY | O_CREAT, 0600, &err), -1);
	assert_int_equal(path_join(q, sizeof(q), got, "logs"), 0);
	assert_int_equal(symlink(top, q), 0);
	assert_int_equal(statedir_dir(got, "logs", 1, &err), -1);
	assert_int_equal(
	    statedir_open(got, "logs/b.bm", O_WRONLY | O_CREAT, 0600, &err),
	    -1);
	snprintf(q, sizeof(q), "%s/b.bm", top);
	assert_int_equal(access(q, F_OK), -1);
	fd = statedir_open(got, "fim/sub/f", O_WRONLY | O_CREAT, 0600, &err);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(path_join(q, sizeof(q), got, "fim/sub"), 0);
	assert_int_equal(stat(q, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(chmod(q, 0777), 0);
	assert_int_equal(
	    statedir_open(got, "fim/sub/f", O_RDONLY, 0, &err), -1);
	assert_int_equal(err.code, EPERM);
	rm_tree(top);
}

/* Where the agent's socket goes: --run-dir, SAKIMORI_RUN_DIR, default. */
static void
run_dir_choice(void **state)
{
	char d[256];
	struct err err = {0};

	(void)state;
	setenv("SAKIMORI_RUN_DIR", "/env/run", 1);
	assert_int_equal(paths_run_dir(d, sizeof(d), "/opt/run", &err), 0);
	assert_string_equal(d, "/opt/run");
	assert_int_equal(paths_run_dir(d, sizeof(d), NULL, &err), 0);
	assert_string_equal(d, "/env/run");
	assert_int_equal(paths_run_dir(d, sizeof(d), "", &err), 0);
	assert_string_equal(d, "/env/run");
	unsetenv("SAKIMORI_RUN_DIR");
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	assert_int_equal(paths_run_dir(d, sizeof(d), NULL, &err), 0);
	assert_string_equal(
	    d, geteuid() == 0 ? "/run/sakimori" : "/run/user/1000/sakimori");
	if (geteuid() != 0) {
		unsetenv("XDG_RUNTIME_DIR");
		assert_int_equal(paths_run_dir(d, sizeof(d), NULL, &err), -1);
		assert_non_null(strstr(err.msg, "--run-dir"));
	}
	unsetenv("XDG_RUNTIME_DIR");
	/* a path that does not fit is refused, not cut */
	assert_int_equal(paths_run_dir(d, 8, "/a/long/path", &err), -1);
	assert_int_equal(err.code, ENAMETOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cursor_numbers),
	    cmocka_unit_test(write_atomic_both_ways),
	    cmocka_unit_test(run_dir_choice),
	    cmocka_unit_test(cursor_lines),
	    cmocka_unit_test(strbuf_respects_max),
	    cmocka_unit_test(strbuf_errors_are_sticky),
	    cmocka_unit_test(path_join_never_cuts),
	    cmocka_unit_test(bounded_text),
	    cmocka_unit_test(escape_untrusted_text),
	    cmocka_unit_test(json_keeps_invalid_bytes_visible),
	    cmocka_unit_test(json_contract),
	    cmocka_unit_test(durations),
	    cmocka_unit_test(civil_dates),
	    cmocka_unit_test(iso_8601_and_rfc_3339),
	    cmocka_unit_test(zoneless_stamps_are_local_time),
	    cmocka_unit_test(log_readers_agree_on_stamps),
	    cmocka_unit_test(hash_map),
	    cmocka_unit_test(element_count),
	    cmocka_unit_test(grow_array),
	    cmocka_unit_test(hashes),
	    cmocka_unit_test(hex_both_ways),
	    cmocka_unit_test(sizes_for_a_human),
	    cmocka_unit_test(report_worst_and_outputs),
	    cmocka_unit_test(nagios_perfdata),
	    cmocka_unit_test(nagios_long_output),
	    cmocka_unit_test(journal_priority_prefixes),
	    cmocka_unit_test(table_fits_the_screen),
	    cmocka_unit_test(table_wraps_and_colours),
	    cmocka_unit_test(terminal_width_colour_sizes),
	    cmocka_unit_test(state_dir_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
