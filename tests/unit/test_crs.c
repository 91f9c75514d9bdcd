/*
 * test_crs.c - the OWASP Core Rule Set in sakimori: the ModSecurity
 * transformations (inputs and outputs as ModSecurity 3 documents and
 * implements them) and the translation of Debian's CRS files into
 * signatures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <hs/hs.h>

#include "attack/attack.h"
#include "attack/attack_int.h"
#include "attack/crs.h"
#include "attack/crs_tfn.h"
#include "attack/secrule.h"
#include "attack/sig.h"
#include "base/dl_injection.h"
#include "base/dynlib.h"
#include "base/fileio.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

#define CRS_DIR "/usr/share/modsecurity-crs/rules"

/* The groups of Debian's rules at paranoia 1, cached for the cases that
 * only use them (own_rules_after_bad_cache writes it, after a compile). */
static char cache_dir[] = "/tmp/test_crs.XXXXXX";
static char crs_cache[64];
/* ... and at paranoia 4, for the cases that scan with all of them */
static char pl4_cache[64];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(cache_dir) == NULL)
		return -1;
	snprintf(crs_cache, sizeof(crs_cache), "%s/crs-1.hsdb", cache_dir);
	snprintf(pl4_cache, sizeof(pl4_cache), "%s/crs-4.hsdb", cache_dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(crs_cache);
	unlink(pl4_cache);
	return rmdir(cache_dir);
}

static void
check_tfn(
    const char *name, const char *in, size_t n, const char *want, size_t wn)
{
	char out[CRS_TFN_OUT(64)];
	int t = crs_tfn_parse(name);
	size_t m;

	assert_true(t >= 0);
	assert_true(n <= 64);
	m = crs_tfn_apply((enum crs_tfn)t, in, n, out);
	if (m != wn || memcmp(out, want, wn) != 0)
		fail_msg("%s('%.*s') = '%.*s', want '%.*s'", name, (int)n, in,
		    (int)m, out, (int)wn, want);
}

#define T(name, in, want)                                                      \
	check_tfn(name, in, sizeof(in) - 1, want, sizeof(want) - 1)

static void
transformations(void **state)
{
	(void)state;
	T("none", "A%41", "A%41");
	T("urlDecode", "a%41+b%zz%4", "aA b%zz%4");
	T("urlDecode", "%u0041", "%u0041");
	T("urlDecodeUni", "%u0041%uff21%uFF0F+%41%u12", "AA/ A%u12");
	T("htmlEntityDecode", "&#x41;&#66&lt;&QUOT;&amp&nbsp;&#;&foo;",
	    "AB<\"&\xa0&#;&foo;");
	T("jsDecode", "\\x41\\u0042\\103\\n\\z\\400\\", "ABC\nz\0400\\");
	T("cssDecode", "\\41 \\000042\\\nc\\z\\ff21\\", "ABcz\x41");
	T("cmdLine", "C:\\WINDOWS\\system32 , /C \"dir\";^ls",
	    "c:windowssystem32/c dir ls");
	T("compressWhitespace",
	    "a \t\n b\xa0"
	    "c ",
	    "a b c ");
	T("removeWhitespace",
	    "a b\tc\xa0"
	    "d",
	    "abcd");
	T("removeNulls", "a\0b\0", "ab");
	T("lowercase", "AbC\xc9", "abc\xc9");
	T("normalisePath", "/a/b/../c/./d//e", "/a/c/d/e");
	T("normalizePath", "../../etc/passwd", "../../etc/passwd");
	T("normalisePath", "/../etc/./", "/etc/");
	T("normalisePath", "a/../../b", "../b");
	T("normalisePath", "..", "..");
	T("normalizePathWin", "\\a\\..\\b\\c", "/b/c");
	T("utf8toUnicode", "\xc3\xa9-\xe2\x82\xac-\xf0\x9f\x98\x80-\xc3(",
	    "%u00e9-%u20ac-%u1f600-\xc3(");
	T("replaceComments", "a/*x*/b/*c", "a b ");
	T("base64Decode", "ZXZhbCgxKQ==", "eval(1)");
	T("base64Decode", "ZXZh  \r\nbCgx\n  ", "eval(1");
	T("base64Decode", "ZXZhbA", "eva"); /* a short last group */
	T("base64Decode", "ZXZh bCgx", ""); /* a space before a digit */
	T("base64Decode", " ZXZh", "");
	T("base64Decode", "ZX=h", "");       /* a digit after '=' */
	T("base64Decode", "Z===", "");       /* three '=' */
	T("base64Decode", "eval(1)", "");    /* not base64 */
	T("base64Decode", "ZXZh\0!", "eva"); /* up to the NUL */
	assert_int_equal(crs_tfn_parse("sha1"), -1);
	assert_string_equal(crs_tfn_name(CRS_T_CMDLINE), "cmdLine");
}

/* A chain uses its two buffers in turn and gives back its input when
 * empty. */
static void
tfn_chain(void **state)
{
	const unsigned char t[] = {CRS_T_NONE, CRS_T_UTF8TOUNICODE,
	    CRS_T_URLDECODEUNI, CRS_T_LOWERCASE, CRS_T_CMDLINE};
	const char in[] = "\xc3\xa9%2E%2E%2F%u0045TC/P'a'sswd";
	char a[CRS_TFN_OUT(sizeof(in))], b[CRS_TFN_OUT(sizeof(in))];
	const char *r;
	size_t n;

	(void)state;

	r = crs_tfn_chain(t, 5, in, sizeof(in) - 1, a, b, &n);
	assert_true(r == a || r == b);
	assert_int_equal(n, strlen("\xe9../etc/passwd"));
	assert_memory_equal(r, "\xe9../etc/passwd", n);
	assert_ptr_equal(crs_tfn_chain(t, 1, in, 3, a, b, &n), in);
	assert_int_equal(n, 3);
}

/* crs_tfn_same is sound (a text it passes comes out of the
 * transformation as it went in) and passes the texts of plain requests,
 * and a chain of transformations that all leave a text gives it back. */
static void
tfn_same(void **state)
{
	static const char *const texts[] = {"", "/index.html", "/a/b/", "/a//b",
	    "//a", "/a/./b", "/a/../b", "../x", "/a/.", "/a/..", ".", "..",
	    "/.env", "/a\\b", "a b", "a  b", "a \tb", "a\xa0", "AbC", "%41",
	    "a+b", "&amp;", "\\x41", "x\xc3\xa9", "/*c*/", "a/b*", "q=1,2;3",
	    "dGVzdA==", "it's", "a^b", "x /y", "x (y", "a=1&b=2", "&#x;",
	    "&#39;", "x&AMP;y", "&#xZ", "a&", "&#Xf", "&q&lt", "&nbs"};
	static const struct {
		enum crs_tfn t;
		const char *in;
		int same;
	} want[] = {
	    {CRS_T_URLDECODEUNI, "/index.html", 1},
	    {CRS_T_URLDECODEUNI, "a+b", 0},
	    {CRS_T_URLDECODE, "%41", 0},
	    {CRS_T_HTMLENTITYDECODE, "q=1,2;3", 1},
	    {CRS_T_HTMLENTITYDECODE, "&amp;", 0},
	    {CRS_T_HTMLENTITYDECODE, "a=1&b=2", 1},
	    {CRS_T_HTMLENTITYDECODE, "&#x;", 1},
	    {CRS_T_HTMLENTITYDECODE, "&#xZ", 1},
	    {CRS_T_HTMLENTITYDECODE, "a&", 1},
	    {CRS_T_HTMLENTITYDECODE, "&nbs", 1},
	    {CRS_T_HTMLENTITYDECODE, "&#39;", 0},
	    {CRS_T_HTMLENTITYDECODE, "x&AMP;y", 0},
	    {CRS_T_HTMLENTITYDECODE, "&#Xf", 0},
	    {CRS_T_HTMLENTITYDECODE, "&q&lt", 0},
	    {CRS_T_JSDECODE, "/a/b/", 1},
	    {CRS_T_CSSDECODE, "\\x41", 0},
	    {CRS_T_LOWERCASE, "/index.html", 1},
	    {CRS_T_LOWERCASE, "AbC", 0},
	    {CRS_T_COMPRESSWHITESPACE, "a b", 1},
	    {CRS_T_COMPRESSWHITESPACE, "a  b", 0},
	    {CRS_T_COMPRESSWHITESPACE, "a\xa0", 0},
	    {CRS_T_REMOVEWHITESPACE, "a b", 0},
	    {CRS_T_NORMALISEPATH, "/a/b/", 1},
	    {CRS_T_NORMALISEPATH, "/.env", 1},
	    {CRS_T_NORMALISEPATH, "/a//b", 0},
	    {CRS_T_NORMALISEPATH, "/a/..", 0},
	    {CRS_T_NORMALISEPATH, "/a\\b", 0},
	    {CRS_T_NORMALISEPATHWIN, "/index.html", 1},
	    {CRS_T_REPLACECOMMENTS, "a/b*", 1},
	    {CRS_T_REPLACECOMMENTS, "/*c*/", 0},
	    {CRS_T_UTF8TOUNICODE, "x\xc3\xa9", 0},
	    {CRS_T_CMDLINE, "/index.html", 1},
	    {CRS_T_CMDLINE, "x /y", 0},
	    {CRS_T_NONE, "AbC", 1},
	};
	char out[CRS_TFN_OUT(64)], a[CRS_TFN_OUT(64)], b[CRS_TFN_OUT(64)];
	const unsigned char chain[] = {CRS_T_UTF8TOUNICODE, CRS_T_URLDECODEUNI,
	    CRS_T_HTMLENTITYDECODE, CRS_T_JSDECODE, CRS_T_CSSDECODE,
	    CRS_T_LOWERCASE, CRS_T_REMOVENULLS, CRS_T_NORMALISEPATH};
	size_t n;

	(void)state;
	for (int t = 0; t < CRS_T_N; t++)
		for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
			size_t l = strlen(texts[i]);

			if (!crs_tfn_same((enum crs_tfn)t, texts[i], l))
				continue;
			n = crs_tfn_apply((enum crs_tfn)t, texts[i], l, out);
			if (n != l || memcmp(out, texts[i], l) != 0)
				fail_msg("%s('%s') changes it", crs_tfn_name(t),
				    texts[i]);
		}
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (crs_tfn_same(want[i].t, want[i].in, strlen(want[i].in)) !=
		    want[i].same)
			fail_msg("crs_tfn_same(%s, '%s') is not %d",
			    crs_tfn_name(want[i].t), want[i].in, want[i].same);
	assert_ptr_equal(
	    crs_tfn_chain(chain, sizeof(chain), "/a/b.php", 8, a, b, &n),
	    "/a/b.php");
	assert_int_equal(n, 8);
}

static const struct crs_rule *
rule(const struct crs_set *cs, uint32_t id)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->r[i].id == id)
			return &cs->r[i];
	return NULL;
}

static const char *
reason(const struct crs_set *cs, uint32_t id)
{
	for (size_t i = 0; i < cs->ns; i++)
		if (cs->s[i].id == id)
			return cs->s[i].reason;
	return NULL;
}

/*
 * Debian's rule set: every rule with an id is either translated or
 * listed with its reason, once; the per-file counts add up; a sample of
 * rules comes out as their text says.
 */
static void
translate_debian_crs(void **state)
{
	struct crs_set cs;
	struct err err = {0};
	const struct crs_rule *r;
	unsigned loaded = 0, translated = 0, copies = 0, n934100 = 0;

	(void)state;
	crs_set_init(&cs);
	if (crs_load_dir(&cs, CRS_DIR, &err) == -1)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < cs.nf; i++) {
		loaded += cs.f[i].loaded;
		translated += cs.f[i].translated;
	}
	/* a multiMatch rule's copies (fewer transformations) are not counted */
	for (size_t i = 0; i < cs.n; i++)
		copies += cs.r[i].canon != i;
	assert_int_equal(translated, cs.n - copies);
	assert_int_equal(loaded, cs.n - copies + cs.ns);
	for (size_t i = 0; i < cs.n; i++) {
		assert_null(reason(&cs, cs.r[i].id));
		assert_true(cs.r[i].score > 0);
		assert_true(cs.r[i].targets != 0);
	}
	assert_true(cs.n >= 130);

	/* REQUEST_URI_RAW|ARGS|REQUEST_HEADERS|!REQUEST_HEADERS:Referer */
	r = rule(&cs, 930100);
	assert_non_null(r);
	assert_int_equal(
	    r->targets, 1u << CT_URI_RAW | 1u << CT_ARGS | 1u << CT_UA);
	assert_int_equal(r->op, CO_RX);
	assert_int_equal(r->ntfn, 0);
	assert_true(r->multiline);
	assert_int_equal(r->score, 5);
	/* t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls,t:cmdLine */
	r = rule(&cs, 930110);
	assert_int_equal(r->ntfn, 4);
	assert_int_equal(r->tfn[0], CRS_T_UTF8TOUNICODE);
	assert_int_equal(r->tfn[3], CRS_T_CMDLINE);
	/* @pmFromFile lfi-os-files.data: one escaped literal a line, the
	 * cookie targets dropped */
	r = rule(&cs, 930120);
	assert_non_null(r);
	assert_int_equal(r->op, CO_PM);
	assert_true(r->caseless);
	assert_int_equal(r->targets, 1u << CT_ARGS_NAMES | 1u << CT_ARGS);
	assert_non_null(
	    strstr(r->expr, "\nusr\\x2flocal\\x2fpgsql\\x2fdata\\x2fpasswd\n"));
	/* an expression with what Hyperscan lacks: a prefilter */
	r = rule(&cs, 942130);
	assert_non_null(r);
	assert_true(r->prefilter);
	assert_int_equal(rule(&cs, 930100)->prefilter, 0);

	/* a chain on MATCHED_VAR: its links, the score of the last one */
	r = rule(&cs, 932200);
	assert_non_null(r);
	assert_int_equal(r->nlinks, 2);
	assert_int_equal(r->score, 5);
	assert_int_equal(r->paranoia, 2);
	assert_int_equal(r->links[1].op, CO_RX);
	assert_string_equal(r->links[1].expr, "\\s");
	assert_int_equal(r->links[1].ntfn, 1);
	assert_int_equal(r->links[1].tfn[0], CRS_T_URLDECODEUNI);
	r = rule(&cs, 933120); /* MATCHED_VARS "@pm =" */
	assert_non_null(r);
	assert_int_equal(r->links[0].op, CO_PM);
	assert_string_equal(r->links[0].expr, "\\x3d");
	/* a link on other variables is not translated */
	assert_string_equal(reason(&cs, 943110),
	    "chained rule: a link on REQUEST_HEADERS:Referer, not "
	    "MATCHED_VAR");
	/* a link on the Referer's absence, the argument name counters */
	assert_true(rule(&cs, 943120)->no_referer);
	assert_int_equal(rule(&cs, 921180)->op, CO_REPEATED_ARG);
	assert_int_equal(rule(&cs, 921180)->paranoia, 3);
	/* multiMatch with base64Decode: the rule after each prefix of its
	 * transformations, the copies standing for the first */
	for (size_t i = 0; i < cs.n; i++)
		if (cs.r[i].id == 934100) {
			/* the rule, then its copies with 0 and 1 */
			assert_int_equal(
			    cs.r[i].ntfn, n934100 == 0 ? 2 : n934100 - 1);
			assert_ptr_equal(
			    &cs.r[cs.r[i].canon], rule(&cs, 934100));
			n934100++;
		}
	assert_int_equal(n934100, 3);
	assert_int_equal(rule(&cs, 934100)->tfn[1], CRS_T_BASE64DECODE);
	if (dynlib_require(DYNLIB_INJECTION, NULL) == 0) {
		assert_int_equal(rule(&cs, 942100)->op, CO_DETECT_SQLI);
		assert_int_equal(rule(&cs, 941100)->op, CO_DETECT_XSS);
	} else
		assert_string_equal(reason(&cs, 942100),
		    "libinjection unavailable (install libmodsecurity3)");
	assert_string_equal(reason(&cs, 930011),
	    "control rule on TX variables "
	    "(TX:EXECUTING_PARANOIA_LEVEL)");
	assert_non_null(reason(&cs, 920470));
	crs_set_release(&cs);
}

static void
translate_snippets(void **state)
{
	static const char text[] =
	    "SecRule REQUEST_METHOD \"!@within GET HEAD\" \"id:1,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}\"\n"
	    "SecRule REQUEST_FILENAME \"@endsWith .a+b\" \"id:2,t:none,"
	    "t:lowercase,t:normalizePathWin,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.error_anomaly_score}\"\n"
	    "SecRule ARGS \"@rx (a)\\1\" \"id:3,t:lowercase,t:none,"
	    "setvar:tx.anomaly_score=+1\"\n"
	    "SecRule ARGS \"@rx (a\" \"id:4,"
	    "setvar:tx.anomaly_score=+1\"\n"
	    "SecRule ARGS \"@rx %{tx.x}\" \"id:5,"
	    "setvar:tx.anomaly_score=+1\"\n"
	    "SecRule REQUEST_COOKIES|XML:/* \"@rx a\" \"id:6,"
	    "setvar:tx.anomaly_score=+1\"\n"
	    "SecRule ARGS \"@pm a.b c\" \"id:7,t:sha1,"
	    "setvar:tx.anomaly_score=+1\"\n";
	static const char list[] = "SecRule ARGS \"@pmFromFile ../x\" "
	                           "\"id:8,setvar:tx.anomaly_score=+1\"\n";
	struct secrule_set ss;
	struct crs_set cs;
	struct err err = {0};
	const struct crs_rule *r;

	(void)state;
	secrule_set_init(&ss);
	crs_set_init(&cs);
	assert_int_equal(
	    secrule_parse(&ss, "t.conf", text, strlen(text), &err), 0);
	assert_int_equal(
	    crs_translate(&cs, &ss, "t.conf", "/nonexistent", &err), 0);
	r = rule(&cs, 1);
	assert_int_equal(r->op, CO_WITHIN);
	assert_true(r->negated);
	assert_string_equal(r->expr, "GET HEAD");
	r = rule(&cs, 2);
	assert_string_equal(r->expr, "\\x2ea\\x2bb\\z");
	assert_int_equal(r->score, 4);
	assert_int_equal(r->ntfn, 2);
	assert_int_equal(r->tfn[1], CRS_T_NORMALISEPATHWIN);
	r = rule(&cs, 3);
	assert_true(r->prefilter);
	assert_int_equal(r->ntfn, 0);
	assert_non_null(strstr(reason(&cs, 4), "Hyperscan: "));
	assert_string_equal(
	    reason(&cs, 5), "operator argument uses a variable");
	assert_string_equal(reason(&cs, 6),
	    "targets not in an access log: REQUEST_COOKIES|XML:/*");
	assert_string_equal(reason(&cs, 7), "transformation sha1");
	assert_int_equal(cs.f[0].loaded, 7);
	assert_int_equal(cs.f[0].translated, 3);
	/* a word list is read from the rule set's directory only */
	secrule_set_release(&ss);
	secrule_set_init(&ss);
	assert_int_equal(
	    secrule_parse(&ss, "l.conf", list, strlen(list), &err), 0);
	assert_int_equal(
	    crs_translate(&cs, &ss, "l.conf", "/nonexistent", &err), -1);
	assert_string_equal(err.msg, "'../x': bad word list name");
	secrule_set_release(&ss);
	crs_set_release(&cs);
}

/* An engine with no rules of sakimori's and the CRS rules of text. */
static void
engine_of(struct attack_engine *e, const char *text, int paranoia)
{
	struct attack_ruleset rs;
	struct secrule_set ss;
	struct crs_set cs;
	struct err err = {0};

	ruleset_init(&rs);
	assert_int_equal(attack_engine_init(e, &rs, NULL, 0, &err), 0);
	secrule_set_init(&ss);
	crs_set_init(&cs);
	assert_int_equal(
	    secrule_parse(&ss, "t.conf", text, strlen(text), &err), 0);
	assert_int_equal(crs_translate(&cs, &ss, "t.conf", CRS_DIR, &err), 0);
	if (attack_engine_crs(e, &cs, paranoia, 5, NULL, &err) == -1)
		fail_msg("%s", err.msg);
	secrule_set_release(&ss);
}

/* One request, with a referrer (NULL: none) and every field the clean
 * table's key or lookups see. */
static size_t
match_req(struct attack_engine *e, const char *method, const char *uri,
    const char *ua, const char *referer, struct attack_result *res)
{
	struct attack_req rq = {0};

	rq.method = method;
	rq.method_len = strlen(method);
	rq.protocol = "HTTP/1.1";
	rq.protocol_len = 8;
	rq.ua = ua;
	rq.ua_len = ua ? strlen(ua) : 0;
	rq.referer = referer;
	rq.referer_len = referer ? strlen(referer) : 0;
	attack_req_uri(&rq, uri, strlen(uri));
	return attack_match(e, &rq, res);
}

static size_t
match(struct attack_engine *e, const char *method, const char *uri,
    const char *ua, struct attack_result *res)
{
	return match_req(e, method, uri, ua, NULL, res);
}

static int
fired(const struct attack_result *res, uint32_t id)
{
	for (unsigned i = 0; i < res->ncrs; i++)
		if (res->crs[i].id == id)
			return 1;
	return 0;
}

/*
 * Scores add up per request (each rule once), the threshold flags with
 * one hit of rule 949110; arguments are decoded and transformed; negated
 * and @within rules, prefilters confirmed by PCRE2, paranoia levels;
 * the text that matched is kept.
 */
static void
evaluate(void **state)
{
	static const char text[] =
	    "SecRule ARGS \"@rx union\\s+select\" \"id:10,t:none,"
	    "t:lowercase,setvar:tx.anomaly_score_pl1=+%{tx.critical_"
	    "anomaly_score}\"\n"
	    "SecRule REQUEST_METHOD \"!@within GET HEAD POST\" \"id:11,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.warning_anomaly_score}\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@pm nikto sqlmap\" "
	    "\"id:12,setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_"
	    "score}\"\n"
	    "SecRule ARGS_NAMES \"@rx ^(\\w)\\1$\" \"id:13,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.notice_anomaly_score}\"\n"
	    "SecRule REQUEST_FILENAME \"!@endsWith .php\" \"id:14,"
	    "tag:'paranoia-level/2',"
	    "setvar:tx.anomaly_score_pl2=+%{tx.critical_anomaly_score}\"\n"
	    "SecRule REQUEST_LINE \"@contains HTTP/1.1\" \"id:15,"
	    "tag:'paranoia-level/3',"
	    "setvar:tx.anomaly_score_pl3=+%{tx.notice_anomaly_score}\"\n";
	struct attack_engine e;
	struct attack_result res;
	const struct attack_rule *r;

	(void)state;
	engine_of(&e, text, 1);
	/* one rule: 5, flagged; '+' and %20 decoded, lower-cased */
	assert_int_equal(
	    match(&e, "GET", "/a.php?q=1+UNION%20Select+2&q=x", NULL, &res), 1);
	assert_int_equal(res.crs_score, 5);
	assert_int_equal(res.ncrs, 1);
	assert_int_equal(res.crs[0].id, 10);
	assert_int_equal(res.crs[0].target, CT_ARGS);
	assert_memory_equal(res.crs[0].text, "1 union select", res.crs[0].len);
	r = attack_rule_of(&e, &res.hit[0]);
	assert_int_equal(r->id, 949110);
	assert_string_equal(r->cls, "crs-anomaly");
	assert_int_equal(res.sev, ASEV_CRITICAL);
	/* a method outside the list: 3, not enough alone */
	assert_int_equal(match(&e, "PUT", "/a.php", NULL, &res), 0);
	assert_int_equal(res.crs_score, 3);
	assert_true(fired(&res, 11));
	assert_int_equal(match(&e, "GET", "/a.php", NULL, &res), 0);
	assert_int_equal(res.crs_score, 0);
	/* @pm on the User-Agent, case-insensitive; with the method: 8 */
	assert_int_equal(
	    match(&e, "PUT", "/a.php", "Mozilla SQLMap/1.0", &res), 1);
	assert_int_equal(res.crs_score, 8);
	/* a back-reference: Hyperscan prefilters, PCRE2 decides */
	assert_int_equal(match(&e, "GET", "/a.php?aa=1", NULL, &res), 0);
	assert_int_equal(res.crs_score, 2);
	assert_int_equal(match(&e, "GET", "/a.php?ab=1", NULL, &res), 0);
	assert_int_equal(res.crs_score, 0);
	/* paranoia 1: rule 14 (level 2) is off */
	assert_int_equal(match(&e, "GET", "/a.html", NULL, &res), 0);
	assert_int_equal(res.crs_score, 0);

	/* an argument long enough that the URI, its decoded copy and the
	 * request line fill most of the room: still decoded and scanned */
	{
		static char uri[40000];
		size_t k = (size_t)snprintf(
		    uri, sizeof(uri), "/a.php?q=1+UNION%%20Select+2");

		while (k + 2 < 31000) {
			uri[k++] = '+';
			uri[k++] = 'x';
		}
		uri[k] = '\0';
		assert_int_equal(match(&e, "GET", uri, NULL, &res), 1);
		assert_true(fired(&res, 10));
	}
	attack_engine_release(&e);

	engine_of(&e, text, 3);
	assert_int_equal(match(&e, "GET", "/a.html", NULL, &res), 1);
	assert_true(fired(&res, 14));
	assert_true(fired(&res, 15)); /* "GET /a.html HTTP/1.1" */
	assert_int_equal(res.crs_score, 7);
	attack_engine_release(&e);
}

/* An engine on cs (consumed) with its cache at cache: the verdicts on
 * three requests (flagged, score) into out. */
static void
engine_verdicts(struct crs_set *cs, const char *cache, int out[6], int *cached)
{
	static const char *const uris[] = {
	    "/index.php?id=1%27%20union%20select%201,2--",
	    "/x?file=../../etc/passwd", "/docs/guide.html?page=2"};
	struct attack_ruleset rs;
	struct attack_engine e;
	struct attack_result res;
	struct err err = {0};

	ruleset_init(&rs);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	if (attack_engine_crs(&e, cs, 1, 5, cache, &err) == -1)
		fail_msg("%s", err.msg);
	for (int i = 0; i < 3; i++) {
		out[2 * i] = match(&e, "GET", uris[i], "Mozilla/5.0", &res);
		out[2 * i + 1] = res.crs_score;
	}
	*cached = e.sig.crs_from_cache;
	attack_engine_release(&e);
}

/* Two loads of the same files: the same rules, in the same order. */
static void
same_rules(const struct crs_set *a, const struct crs_set *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->ns, b->ns);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->r[i].id, b->r[i].id);
		assert_int_equal(a->r[i].prefilter, b->r[i].prefilter);
		assert_string_equal(a->r[i].expr, b->r[i].expr);
	}
}

/* The rule files of the cache's tests: rules with prefilters, word
 * lists and the requests of engine_verdicts flagged, in a fraction of the
 * whole set's compile. */
static const char *const cache_files[] = {
    "REQUEST-930-APPLICATION-ATTACK-LFI.conf",
    "REQUEST-942-APPLICATION-ATTACK-SQLI.conf"};
#define CHANGED_FILE "REQUEST-930-APPLICATION-ATTACK-LFI.conf"

/* A copy of cache_files of Debian's rules and its word lists in dir/name,
 * one expression of CHANGED_FILE changed when change. */
static void
crs_copy(const char *dir, const char *name, int change, char *crs, size_t sz)
{
	char path[512], from[512];
	struct err err = {0};
	struct dirent *de;
	DIR *d;

	snprintf(crs, sz, "%s/%s", dir, name);
	assert_int_equal(mkdir(crs, 0700), 0);
	assert_non_null(d = opendir(CRS_DIR));
	while ((de = readdir(d)) != NULL) {
		struct strbuf sb = STRBUF_INIT(1u << 22);
		const char *at, *dot = strrchr(de->d_name, '.');
		FILE *f;
		int trunc = 0, keep = dot != NULL && strcmp(dot, ".data") == 0;

		for (size_t i = 0; i < countof(cache_files); i++)
			keep |= strcmp(de->d_name, cache_files[i]) == 0;
		if (!keep)
			continue;
		snprintf(from, sizeof(from), "%s/%s", CRS_DIR, de->d_name);
		snprintf(path, sizeof(path), "%s/%s", crs, de->d_name);
		if (!change || strcmp(de->d_name, CHANGED_FILE) != 0) {
			assert_int_equal(symlink(from, path), 0);
			continue;
		}
		assert_int_equal(
		    file_read(from, 1u << 22, &sb, &trunc, &err), 0);
		assert_non_null(at = strstr(strbuf_str(&sb), "\"@rx "));
		assert_non_null(f = fopen(path, "w"));
		fwrite(sb.p, 1, (size_t)(at - sb.p) + 5, f);
		fputs("(?:sakimori-test)|", f);
		fputs(at + 5, f);
		assert_int_equal(fclose(f), 0);
		strbuf_release(&sb);
	}
	closedir(d);
}

/* Removes what crs_copy made. */
static void
crs_copy_remove(const char *crs)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	assert_non_null(d = opendir(crs));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", crs, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(crs);
}

/*
 * A prefilter verdict stored in the cache says the PCRE2 that made it
 * compiles the expression: verdicts keyed on the expression alone (as if
 * from another PCRE2) are not taken, every expression is analysed again.
 */
static void
cache_verdicts_keyed_on_pcre2(void **state)
{
	struct crs_set ref, cs;
	struct err err = {0};
	struct strbuf sb = STRBUF_INIT(0);
	size_t forged = 0;

	(void)state;
	crs_set_init(&ref);
	assert_int_equal(crs_load_dir(&ref, CRS_DIR, &err), 0);
	for (size_t i = 0; i < ref.n; i++) {
		const struct crs_rule *r = &ref.r[i];
		struct hash256 d;
		unsigned flags;
		char hex[65];

		if (!crs_op_scanned(r->op) || r->op == CO_PM)
			continue;
		flags = HS_FLAG_DOTALL | (r->caseless ? HS_FLAG_CASELESS : 0) |
		    (r->multiline ? HS_FLAG_MULTILINE : 0);
		hash256_init(&d);
		hash256_add(&d, &flags, sizeof(flags));
		hash256_add(&d, r->expr, strlen(r->expr));
		hash256_hex(&d, hex);
		assert_int_equal(
		    strbuf_printf(&sb, "v%.32s%d ", hex, r->prefilter ? 1 : 0),
		    0);
		forged++;
	}
	assert_true(forged > 100);
	crs_set_init(&cs);
	assert_int_equal(crs_set_known(&cs, strbuf_str(&sb)), 0);
	assert_int_equal(cs.nknown, forged);
	assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
	assert_int_equal(cs.analysed, ref.analysed);
	same_rules(&ref, &cs);
	strbuf_release(&sb);
	crs_set_release(&cs);
	crs_set_release(&ref);
}

/*
 * Where libinjection was found goes into the cache's text and back
 * (crs_inj_token, crs_set_known); a token that is not a path is ignored.
 * dynlib_expect counts on a library not loaded only while that file is a
 * regular file.
 */
static void
inj_path_in_cache_text(void **state)
{
	static const char path[] = "/lib/x86_64-linux-gnu/libmodsecurity.so.3";
	struct crs_set a, b;
	struct strbuf sb = STRBUF_INIT(1u << 16);

	(void)state;
	crs_set_init(&a);
	crs_set_init(&b);
	assert_non_null(a.inj_path = strdup(path));
	strbuf_adds(&sb, "12 v0123456789abcdef0123456789abcdef1");
	crs_inj_token(&a, &sb);
	assert_int_equal(crs_set_known(&b, strbuf_str(&sb)), 0);
	assert_int_equal(b.nknown, 1);
	assert_non_null(b.inj_path);
	assert_string_equal(b.inj_path, path);
	crs_set_release(&b);
	crs_set_init(&b);
	/* odd, not hex, not absolute, a NUL inside */
	assert_int_equal(crs_set_known(&b, "l2f6 lzz l l6c69 l2f00"), 0);
	assert_null(b.inj_path);
	crs_set_release(&b);
	crs_set_release(&a);
	strbuf_release(&sb);

	/* librrd is not loaded by this test */
	assert_int_equal(
	    dynlib_expect(DYNLIB_RRD, "/nonexistent/librrd.so.8"), -1);
	assert_int_equal(dynlib_expect(DYNLIB_RRD, "/"), -1);
	assert_int_equal(dynlib_expect(DYNLIB_RRD, NULL), -1);
	assert_int_equal(
	    dynlib_expect(DYNLIB_RRD, FIXTURES "/../meson.build"), 0);
}

/* A start with a valid cache takes the verdicts on the expressions from
 * it and analyses none again, with the same rules and verdicts; a changed
 * rule file has its changed expression analysed and the cache remade; a
 * cut cache gives no verdicts.  On cache_files of Debian's rules. */
static void
cache_skips_analysis(void **state)
{
	char dir[] = "/tmp/sakimori-crs-XXXXXX", cache[256], rules[256];
	char crs[256];
	struct crs_set ref, cs;
	struct err err = {0};
	int want[6], got[6], cached;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cache, sizeof(cache), "%s/crs.hsdb", dir);
	crs_copy(dir, "rules", 0, rules, sizeof(rules));
	crs_set_init(&ref);
	assert_int_equal(crs_load_dir(&ref, rules, &err), 0);
	assert_true(ref.analysed > 0);

	/* no cache yet: every expression analysed, the cache written */
	crs_set_init(&cs);
	assert_int_equal(sig_crs_known(&cs, cache), -1);
	assert_int_equal(crs_load_dir(&cs, rules, &err), 0);
	assert_int_equal(cs.analysed, ref.analysed);
	same_rules(&ref, &cs);
	engine_verdicts(&cs, cache, want, &cached);
	assert_int_equal(cached, 0);
	assert_int_equal(want[0], 1);

	/* from the cache: nothing analysed, the same rules and verdicts */
	crs_set_init(&cs);
	assert_int_equal(sig_crs_known(&cs, cache), 0);
	assert_true(cs.nknown > 0);
	assert_int_equal(crs_load_dir(&cs, rules, &err), 0);
	assert_int_equal(cs.analysed, 0);
	same_rules(&ref, &cs);
	engine_verdicts(&cs, cache, got, &cached);
	assert_int_equal(cached, 1);
	assert_memory_equal(want, got, sizeof(want));

	/* one expression changed: it alone is analysed, the cache remade */
	crs_copy(dir, "changed", 1, crs, sizeof(crs));
	crs_set_init(&cs);
	assert_int_equal(sig_crs_known(&cs, cache), 0);
	assert_int_equal(crs_load_dir(&cs, crs, &err), 0);
	assert_int_equal(cs.analysed, 1);
	engine_verdicts(&cs, cache, got, &cached);
	assert_int_equal(cached, 0);
	assert_memory_equal(want, got, sizeof(want));
	crs_set_init(&cs);
	assert_int_equal(sig_crs_known(&cs, cache), 0);
	assert_int_equal(crs_load_dir(&cs, crs, &err), 0);
	assert_int_equal(cs.analysed, 0);
	crs_set_release(&cs);

	/* a byte changed in the verdicts (which the payload's digest
	 * covers, Hyperscan's CRC only the databases): none taken */
	{
		struct strbuf sb = STRBUF_INIT(64u << 20);
		char *t = NULL;
		size_t tn;

		assert_int_equal(
		    file_read(cache, 64u << 20, &sb, NULL, &err), 0);
		t = sb.p;
		for (int l = 0; l < 3; l++)
			t = memchr(t, '\n', sb.len - (size_t)(t - sb.p)) + 1;
		tn = (size_t)((char *)memchr(
		                  t, '\n', sb.len - (size_t)(t - sb.p)) -
		    t);
		assert_true(tn > 100);
		t[tn / 2] ^= 0x01;
		assert_int_equal(
		    file_write_atomic(cache, sb.p, sb.len, 0600, &err), 0);
		strbuf_release(&sb);
		crs_set_init(&cs);
		assert_int_equal(sig_crs_known(&cs, cache), -1);
		crs_set_release(&cs);
	}

	/* a cut cache: no verdicts, everything analysed again */
	assert_int_equal(truncate(cache, 4096), 0);
	crs_set_init(&cs);
	assert_int_equal(sig_crs_known(&cs, cache), -1);
	assert_int_equal(crs_load_dir(&cs, rules, &err), 0);
	assert_int_equal(cs.analysed, ref.analysed);
	same_rules(&ref, &cs);
	crs_set_release(&cs);
	crs_set_release(&ref);

	crs_copy_remove(crs);
	crs_copy_remove(rules);
	unlink(cache);
	rmdir(dir);
}

/* 1 when group g has a database of its own beside the per-target ones:
 * some rules scanned, at most SIG_GROUP_SMALL of them. */
static int
small_rules(const struct sig_group *g, const struct crs_set *cs)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nrules; i++)
		n += crs_op_scanned(cs->r[g->rules[i]].op);
	return n > 0 && n <= SIG_GROUP_SMALL;
}

/* Debian's rule set at paranoia 1: an SQL injection and a traversal are
 * flagged with their rules, a plain page is not. */
static void
evaluate_debian_crs(void **state)
{
	struct attack_ruleset rs;
	struct attack_engine e;
	struct attack_result res;
	struct crs_set cs;
	struct err err = {0};

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	crs_set_init(&cs);
	(void)sig_crs_known(&cs, crs_cache);
	assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
	if (attack_engine_crs(&e, &cs, 1, 5, crs_cache, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(
	    match(&e, "GET", "/index.php?id=1%27%20union%20select%201,2--",
	        "Mozilla/5.0", &res),
	    1);
	assert_true(res.crs_score >= 10);
	assert_true(fired(&res, 942190));
	assert_int_equal(
	    match(&e, "GET", "/x?file=../../etc/passwd", "Mozilla/5.0", &res),
	    1);
	assert_true(fired(&res, 930110) && fired(&res, 930120));
	assert_int_equal(match(&e, "GET", "/docs/guide.html?page=2&lang=en",
	                     "Mozilla/5.0", &res),
	    0);
	assert_int_equal(res.crs_score, 0);

	/* the memo: a repeated value gives what its scan gave, on or off */
	{
		static const char *const uris[] = {
		    "/index.php?id=1%27%20union%20select%201,2--",
		    "/x?file=../../etc/passwd",
		    "/a?q=<script>alert(1)</script>",
		    "/index.php?id=1%27%20union%20select%201,2--"};
		struct attack_result first[4], again;

		for (int on = 1; on >= 0; on--) {
			attack_engine_memo(&e, on);
			for (size_t i = 0; i < 4; i++) {
				match(
				    &e, "GET", uris[i], "Mozilla/5.0", &again);
				if (on) {
					first[i] = again;
					match(&e, "GET", uris[i], "Mozilla/5.0",
					    &again);
				}
				assert_int_equal(
				    again.crs_score, first[i].crs_score);
				assert_int_equal(again.ncrs, first[i].ncrs);
				for (unsigned k = 0; k < again.ncrs; k++) {
					assert_int_equal(again.crs[k].id,
					    first[i].crs[k].id);
					assert_memory_equal(again.crs[k].text,
					    first[i].crs[k].text,
					    again.crs[k].len);
				}
			}
		}
	}

	/* every group's rules in one database per target (the arguments'
	 * targets in one); a group's own database beside them for the small
	 * groups only */
	assert_true(e.sig.big != NULL);
	assert_true(e.sig.big_targets & (1u << CT_ARGS));
	{
		size_t own = 0;

		for (size_t g = 0; g < e.sig.ngrp; g++) {
			assert_int_equal(e.sig.grp[g].db != NULL,
			    small_rules(&e.sig.grp[g], &e.crs->set));
			own += e.sig.grp[g].db != NULL;
		}
		assert_true(own > 0 && own < e.sig.ngrp);
	}
	attack_engine_release(&e);
}

/*
 * A value's distinct texts scanned once with the databases of every
 * group's rules per target give the hits of each group's text scanned
 * with the group's own database (sig.crs_groups_only), rule by rule and
 * with the same matched text.
 */
static void
evaluate_shared_scans(void **state)
{
	static const char rules[] =
	    "SecRule ARGS|REQUEST_FILENAME \"@rx (?i)union\\s+select\" "
	    "\"id:1,phase:2,t:none,t:urlDecodeUni,t:lowercase,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule ARGS \"@rx select\" \"id:2,phase:2,t:none,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule ARGS|REQUEST_HEADERS:User-Agent \"@pm cat wget\" "
	    "\"id:3,phase:2,t:none,t:cmdLine,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule ARGS_NAMES|ARGS \"@rx <script\" \"id:4,phase:2,"
	    "t:none,t:urlDecodeUni,t:htmlEntityDecode,t:lowercase,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule ARGS \"@rx \\.\\./\" \"id:5,phase:2,t:none,"
	    "t:urlDecodeUni,t:normalisePath,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_FILENAME \"@rx /etc/passwd\" \"id:6,phase:2,"
	    "t:none,t:lowercase,setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx <script>\" \"id:7,"
	    "phase:2,t:none,t:jsDecode,t:htmlEntityDecode,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx abc a \" \"id:8,"
	    "phase:2,t:none,t:urlDecodeUni,t:lowercase,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx &lt;\" \"id:9,"
	    "phase:2,t:none,setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx <script\\\\\" \"id:10,"
	    "phase:2,t:none,t:htmlEntityDecode,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx abc %41\" \"id:11,"
	    "phase:2,t:none,t:lowercase,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx AbC A\" \"id:12,"
	    "phase:2,t:none,t:urlDecodeUni,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n"
	/* the lower-case group made large: the other groups are
	     * small, and have a database of their own too */
#define LOWER(id)                                                              \
	"SecRule REQUEST_HEADERS:User-Agent \"@rx q" #id "z\" \"id:" #id       \
	",phase:2,t:none,t:lowercase,setvar:'tx.anomaly_score_pl1=+5'\"\n"
	    LOWER(13) LOWER(14) LOWER(15) LOWER(16) LOWER(17) LOWER(18)
	        LOWER(19) LOWER(20) LOWER(21);
#undef LOWER
	static const char *const uris[] = {
	    "/index.php?id=1%27%20UNION%20SELECT%201,2--",
	    "/x?file=../../etc/passwd&cmd=CAT+/etc/shadow",
	    "/a?q=%3CScript%3Ealert(1)&%3cscript%3e=1",
	    "/ETC/PASSWD?x=select+1",
	    "/p?y=;W'g'et+http://e.test/a&z=a/b/../../c"};
	/* shared databases compiled, each group's own, the shared ones
	 * read from the cache the first wrote */
	struct attack_engine e[3];
	struct attack_result res[3];
	char cache[128];
	unsigned nfired = 0;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/shared.hsdb", cache_dir);
	unlink(cache);
	for (int m = 0; m < 3; m++) {
		struct attack_ruleset rs;
		struct secrule_set ss;
		struct crs_set cs;
		struct err err = {0};

		ruleset_init(&rs);
		assert_int_equal(
		    attack_engine_init(&e[m], &rs, NULL, 0, &err), 0);
		e[m].sig.crs_groups_only = m == 1;
		secrule_set_init(&ss);
		crs_set_init(&cs);
		assert_int_equal(
		    secrule_parse(&ss, "t.conf", rules, strlen(rules), &err),
		    0);
		assert_int_equal(
		    crs_translate(&cs, &ss, "t.conf", CRS_DIR, &err), 0);
		if (attack_engine_crs(
		        &e[m], &cs, 1, 5, m == 1 ? NULL : cache, &err) == -1)
			fail_msg("%s", err.msg);
		secrule_set_release(&ss);
		attack_engine_memo(&e[m], 0);
	}
	assert_true(e[0].sig.big != NULL);
	assert_true(e[1].sig.big == NULL && e[1].sig.all_targets == 0);
	assert_false(e[0].sig.crs_from_cache);
	assert_true(e[2].sig.crs_from_cache);
	/* the small groups' own databases, compiled and from the cache */
	for (int m = 0; m < 3; m += 2) {
		size_t own = 0;

		for (size_t g = 0; g < e[m].sig.ngrp; g++) {
			assert_int_equal(e[m].sig.grp[g].db != NULL,
			    small_rules(&e[m].sig.grp[g], &e[m].crs->set));
			own += e[m].sig.grp[g].db != NULL;
		}
		assert_int_equal(own, e[m].sig.ngrp - 1);
	}
	for (size_t i = 0; i < sizeof(uris) / sizeof(*uris); i++) {
		for (int m = 0; m < 3; m++)
			match(&e[m], "GET", uris[i], "curl/8 (Wget) Q17Z",
			    &res[m]);
		for (int m = 0; m < 3; m += 2) {
			assert_int_equal(res[m].crs_score, res[1].crs_score);
			assert_int_equal(res[m].ncrs, res[1].ncrs);
			for (unsigned k = 0; k < res[m].ncrs; k++) {
				assert_int_equal(
				    res[m].crs[k].id, res[1].crs[k].id);
				assert_int_equal(
				    res[m].crs[k].len, res[1].crs[k].len);
				assert_memory_equal(res[m].crs[k].text,
				    res[1].crs[k].text, res[m].crs[k].len);
			}
		}
		/* the agent's lower-case text (a large group) and its
		 * command line (a small one) */
		assert_true(fired(&res[0], 17) && fired(&res[0], 3));
		nfired += res[0].ncrs;
	}
	assert_true(nfired >= 13);
	/* a User-Agent so long that its texts do not all fit the room kept
	 * for them: the last are made again and scanned on their own */
	{
		static const char piece[] = "AbC %41 &lt;script\\x3e wget ";
		struct strbuf u = STRBUF_INIT(1u << 20);

		while (u.len + sizeof(piece) < 65000)
			strbuf_adds(&u, piece);
		assert_false(strbuf_failed(&u));
		for (int m = 0; m < 2; m++)
			match(&e[m], "GET", "/", strbuf_str(&u), &res[m]);
		assert_true(res[0].ncrs >= 6);
		assert_int_equal(res[0].crs_score, res[1].crs_score);
		assert_int_equal(res[0].ncrs, res[1].ncrs);
		for (unsigned k = 0; k < res[0].ncrs; k++) {
			assert_int_equal(res[0].crs[k].id, res[1].crs[k].id);
			assert_memory_equal(res[0].crs[k].text,
			    res[1].crs[k].text, res[0].crs[k].len);
		}
		strbuf_release(&u);
	}
	for (int m = 0; m < 3; m++)
		attack_engine_release(&e[m]);
	unlink(cache);
}

/* One request against e: 1 when rule id fired on it. */
static int
fires(struct attack_engine *e, const char *uri, uint32_t id)
{
	struct attack_result res;

	match(e, "GET", uri, "OWASP CRS test agent", &res);
	return fired(&res, id);
}

/* @validateByteRange matches a byte outside its list; a field the log
 * escaped (\" \\ \xHH) is seen as the client sent it; the path is
 * %-decoded for REQUEST_FILENAME. */
static void
evaluate_ops(void **state)
{
	static const char text[] =
	    "SecRule ARGS \"@validateByteRange 38,44-46,48-58,61,65-90\" "
	    "\"id:30,setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_"
	    "score}\"\n"
	    "SecRule REQUEST_HEADERS:User-Agent \"@rx ^a\\\"b\\\\c<$\" "
	    "\"id:31,setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_"
	    "score}\"\n"
	    "SecRule REQUEST_FILENAME \"@streq /a b(\" \"id:32,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}\"\n"
	    "SecRule REQUEST_URI \"@contains ?c d\" \"id:33,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}\"\n"
	    "SecRule REQUEST_URI_RAW \"@contains ?c%20d\" \"id:34,"
	    "setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}\"\n";
	struct attack_engine e;
	struct attack_result res;
	struct crs_set cs;
	struct secrule_set ss;
	struct err err = {0};

	(void)state;
	secrule_set_init(&ss);
	crs_set_init(&cs);
	assert_int_equal(
	    secrule_parse(&ss, "t.conf", text, strlen(text), &err), 0);
	assert_int_equal(crs_translate(&cs, &ss, "t.conf", CRS_DIR, &err), 0);
	assert_string_equal(rule(&cs, 30)->expr,
	    "[^\\x26\\x2c\\x2d\\x2e\\x30\\x31\\x32\\x33\\x34\\x35\\x36\\x37"
	    "\\x38\\x39\\x3a\\x3d\\x41\\x42\\x43\\x44\\x45\\x46\\x47\\x48\\x49"
	    "\\x4a\\x4b\\x4c\\x4d\\x4e\\x4f\\x50\\x51\\x52\\x53\\x54\\x55\\x56"
	    "\\x57\\x58\\x59\\x5a]");
	crs_set_release(&cs);
	secrule_set_release(&ss);

	engine_of(&e, text, 1);
	assert_false(fires(&e, "/?q=AB,1.2-3", 30));
	assert_true(fires(&e, "/?q=AB;1", 30));
	assert_true(fires(&e, "/?q=a", 30)); /* lower case is not listed */
	match(&e, "GET", "/", "a\\\"b\\\\c\\x3c", &res);
	assert_true(fired(&res, 31));
	match(&e, "GET", "/", "a\"b\\c<", &res);
	assert_true(fired(&res, 31));
	match(&e, "GET", "/", "a\\\"b\\\\c\\x3", &res); /* \x3: as it is */
	assert_false(fired(&res, 31));
	assert_true(fires(&e, "/a%20b%28", 32));
	assert_false(fires(&e, "/a+b%28", 32)); /* '+' stays in a path */
	/* REQUEST_URI decoded, REQUEST_URI_RAW as sent */
	assert_true(fires(&e, "/a%20b?c%20d", 33));
	assert_false(fires(&e, "/a?c+d", 33)); /* '+' is not a space there */
	assert_true(fires(&e, "/a%20b?c%20d", 34));
	attack_engine_release(&e);
}

/* A chain fires when every link matches the text the one before it
 * matched, a negated link when its operator does not; its score counts
 * once. */
static void
evaluate_chain(void **state)
{
	static const char text[] =
	    "SecRule ARGS \"@rx a+\" \"id:20,t:none,t:lowercase,chain\"\n"
	    "    SecRule MATCHED_VAR \"@pm xy zz\" \"t:none,t:urlDecode,"
	    "chain\"\n"
	    "    SecRule MATCHED_VARS \"!@rx q\" "
	    "\"setvar:tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}\"\n";
	struct attack_engine e;
	struct attack_result res;

	(void)state;
	engine_of(&e, text, 1);
	/* lower-cased by the head, %2B decoded by the link's urlDecode */
	assert_int_equal(match(&e, "GET", "/?k=AXY", NULL, &res), 1);
	assert_int_equal(res.crs_score, 5);
	assert_true(fired(&res, 20));
	assert_int_equal(match(&e, "GET", "/?k=ax%2579", NULL, &res), 1);
	assert_true(fires(&e, "/?k=b&j=a+zz", 20));
	assert_false(fires(&e, "/?k=axq", 20));    /* the negated link */
	assert_false(fires(&e, "/?k=xy", 20));     /* the head */
	assert_false(fires(&e, "/?k=ab", 20));     /* the first link */
	assert_false(fires(&e, "/?k=a&j=xy", 20)); /* not on the same text */
	attack_engine_release(&e);
}

/*
 * Debian's rule set at paranoia 4: the rules that need chains,
 * base64Decode and libinjection fire on the regression requests of the
 * Core Rule Set (a body's argument put in the query) and not on a
 * near-miss.
 */
static void
evaluate_debian_deep(void **state)
{
	static const struct {
		uint32_t id;
		const char *hit, *miss;
		int injection; /* needs libinjection */
	} cases[] = {
	    {932200, "/get?host=www.google.com;/bin/ca?+/et*/passwd",
	        "/get?host=%24HOME/bin", 0},
	    {932200, "/get?host=www.google.com;cat+/etc/%24%7Ba%7Dpasswd",
	        "/get?host=%24%7Ba%7D+b", 0},
	    {933120, "/post?var=session.referer_check%3dtrue",
	        "/post?var=session.referer_check", 0},
	    {933120, "/index.php?-d+allow_url_include%3don",
	        "/docs/allow_url_include-explained", 0},
	    {933151, "/get?date_ADD%28%29", "/get?q=date_add", 0},
	    {933151, "/get/array_diff%20%28", "/get/array_diff", 0},
	    {944120, "/post?test=ProcessBuilder.evil.clonetransformer",
	        "/post?test=evil.clonetransformer", 0},
	    {944120, "/post?ProcessBuilder.evil.clonetransformer=test",
	        "/post?ProcessBuilder.evil=test", 0},
	    {934100, "/get?foo=_%24%24ND_FUNC%24%24_", "/get?foo=_ND_FUNC_", 0},
	    {934100, "/get?foo=__js_function", "/get?foo=js_function", 0},
	    {943120, "/get/login.php?jsessionid=74B0CB414BD77D17B5680A6386EF1",
	        "/get/login.php?sessionid=74B0CB414BD77D17B5680A6386EF1", 0},
	    {921180, "/?test=test1&test=test2", "/?test=test1&tests=test2", 0},
	    {944110, "/post?test=java.Runtime", "/post?test=Runtime", 0},
	    /* its link on any other value of the request */
	    {944110, "/post?a=ProcessBuilder&b=java.lang",
	        "/post?a=ProcessBuilder&b=java-lang", 0},
	    {934100, "/get?a=ZXZhbCgxKQ%3D%3D", "/get?a=ZXZhbHVhdGU%3D", 0},
	    {942100, "/post?var=1234%20OR%201=1", "/post?var=1234%20OR%20one",
	        1},
	    {942100, "/post?var=-1839'%20or%20'1'='1",
	        "/post?var=O'Brien%20or%20Smith", 1},
	    {942101, "/post/1234%20OR%201=1", "/post/1234-or-more", 1},
	    {941100,
	        "/get/char_test?mime=text/xml&body=%3Cx:script%20xmlns:x=%22"
	        "http://www.w3.org/1999/xhtml%22%20src=%22data:,alert(1)%22%20/"
	        "%3E",
	        "/get/char_test?mime=text/xml&body=1%20%3C%202", 1},
	};
	struct attack_ruleset rs;
	struct attack_engine e;
	struct crs_set cs;
	struct err err = {0};
	int injection = dynlib_require(DYNLIB_INJECTION, NULL) == 0;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	crs_set_init(&cs);
	assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
	if (attack_engine_crs(&e, &cs, 4, 5, pl4_cache, &err) == -1)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < countof(cases); i++) {
		if (cases[i].injection && !injection)
			continue;
		if (!fires(&e, cases[i].hit, cases[i].id))
			fail_msg("%u does not fire on %s", cases[i].id,
			    cases[i].hit);
		if (fires(&e, cases[i].miss, cases[i].id))
			fail_msg("%u fires on %s", cases[i].id, cases[i].miss);
	}
	/* 941101: @detectXSS on the Referer */
	if (injection) {
		static const char *const ref[] = {
		    "http://a.example/"
		    "\"onmouseover='prompt(document.cookie)'\"",
		    "http://a.example/onmouseover-prompt.html"};

		for (int k = 0; k < 2; k++) {
			struct attack_req rq = {0};
			struct attack_result res;

			rq.method = "GET";
			rq.method_len = 3;
			rq.referer = ref[k];
			rq.referer_len = strlen(ref[k]);
			attack_req_uri(&rq, "/login?jsessionid=7", 18);
			attack_match(&e, &rq, &res);
			assert_int_equal(fired(&res, 941101), k == 0);
			/* with a Referer, 943120's last link fails */
			assert_false(fired(&res, 943120));
		}
	}
	attack_engine_release(&e);
	if (!injection)
		skip();
}

/* The attack fixtures whose lines the libinjection tests read. */
static const char *const inj_files[] = {"seed-combined.log", "benign.log",
    "bad-input.log", "seed-iis-w3c.log", "seed-s18-iis.log",
    "seed-s18-iis-native.log", "crs-regression-requests.tsv"};

typedef void (*text_fn)(const char *s, size_t n, void *arg);

/* Each line of the inj_files, then each of its tab-separated fields, as
 * they are and URL-decoded, to fn. */
static void
each_fixture_text(text_fn fn, void *arg)
{
	char d[CRS_TFN_OUT(4096)];

	for (size_t i = 0; i < countof(inj_files); i++) {
		char path[512], *l = NULL;
		size_t cap = 0;
		ssize_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/attacks/%s", FIXTURES,
		    inj_files[i]);
		assert_non_null(f = fopen(path, "r"));
		while ((n = getline(&l, &cap, f)) > 0) {
			const char *end = l + n - (l[n - 1] == '\n');

			fn(l, (size_t)(end - l), arg);
			for (const char *p = l; p <= end;) {
				const char *tab =
				    memchr(p, '\t', (size_t)(end - p));
				size_t k = (size_t)((tab ? tab : end) - p);

				if (k <= 4096) {
					fn(p, k, arg);
					fn(d,
					    crs_tfn_apply(
					        CRS_T_URLDECODEUNI, p, k, d),
					    arg);
				}
				p += k + 1;
			}
		}
		free(l);
		fclose(f);
	}
}

/* count texts of at most most - 1 words of words (nw), each up to cap
 * bytes, to fn; x the xorshift state (the same texts every run). */
static void
each_random_text(unsigned long x, unsigned count, const char *const *words,
    size_t nw, unsigned most, size_t cap, text_fn fn, void *arg)
{
	char s[128];

	assert_true(cap <= sizeof(s));
	for (unsigned i = 0; i < count; i++) {
		size_t n = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		for (unsigned w = (unsigned)(x % most); w > 0; w--) {
			const char *t;
			size_t k;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			t = words[x % nw];
			k = t[0] == '\0' ? 1 : strlen(t);
			if (n + k > cap)
				break;
			memcpy(s + n, t, k);
			n += k;
		}
		fn(s, n, arg);
	}
}

struct xss_counts {
	unsigned pos, pos_eq, cut;
};

/* libinjection_xss(s) with the answer crs_xss_possible(s) must allow. */
static void
xss_check(const char *s, size_t n, void *arg)
{
	struct xss_counts *c = arg;
	int m = libinjection_xss(n > 0 ? s : "", n) != 0;

	if (m && !crs_xss_possible(s, n))
		fail_msg("libinjection finds XSS in '%.*s', the prefilter "
		         "skips it",
		    (int)n, s);
	c->pos += (unsigned)m;
	c->pos_eq += m && memchr(s, '<', n) == NULL;
	c->cut += !crs_xss_possible(s, n);
}

/*
 * The prefilter before @detectXSS is sound: wherever libinjection finds
 * cross-site scripting, crs_xss_possible lets it look, on the lines of
 * the fixtures (logs, the Core Rule Set's regression requests), on
 * texts made to put an attribute after a quote or a space without '<',
 * and on random texts of HTML's bytes and words; and it does skip texts.
 */
static void
xss_prefilter_sound(void **state)
{
	static const char *const words[] = {"<", ">", "=", "\"", "'", "`", " ",
	    "\t", "\n", "/", "!", "-", "?", "&", "#", ";", ":", "(", ")",
	    "\x00", "script", "on", "onload", "onerror", "style", "href", "src",
	    "javascript", "data", "vbscript", "xmlns", "!--", "[if", "xml",
	    "import", "entity", "doctype", "svg", "a", "x", "1", "alert",
	    "&#x3c;", "&lt;", "formaction", "attributename"};
	static const char *const eq[] = {"x\" onerror=alert(1)",
	    "' onmouseover=alert(1) '", "a onclick=x", "` style=x"};
	struct xss_counts c = {0, 0, 0};

	(void)state;
	if (dynlib_require(DYNLIB_INJECTION, NULL) == -1)
		skip();
	/* attributes without a tag: '=' is what makes them */
	for (size_t i = 0; i < countof(eq); i++) {
		assert_int_equal(libinjection_xss(eq[i], strlen(eq[i])), 1);
		assert_true(crs_xss_possible(eq[i], strlen(eq[i])));
	}
	each_fixture_text(xss_check, &c);
	each_random_text(
	    2463534242UL, 300000, words, countof(words), 12, 64, xss_check, &c);
	/* the texts reach both of libinjection's ways and the prefilter's */
	assert_true(c.pos > 1000);
	assert_true(c.pos_eq > 100);
	assert_true(c.cut > 10000);
}

struct sqli_state {
	struct injection_words *w;
	unsigned pos;
};

/* libinjection_sqli's verdict and injection_sqli's on one text, the
 * same; counted when SQL injection. */
static void
sqli_check(const char *s, size_t n, void *arg)
{
	struct sqli_state *st = arg;
	char fp[LIBINJECTION_FINGERPRINT];
	int want = libinjection_sqli(n > 0 ? s : "", n, fp) != 0;

	if ((injection_sqli(st->w, n > 0 ? s : "", n) != 0) != want)
		fail_msg("libinjection says %d on '%.*s', with its keywords "
		         "kept %d",
		    want, (int)n, s, !want);
	st->pos += (unsigned)want;
}

/*
 * The keyword table before libinjection's SQL injection test changes no
 * verdict: on the lines of the fixtures and their fields (as they are and
 * URL-decoded) and on random texts of SQL's words and bytes, each twice
 * (the table empty, then full of what the first pass put in it, slots
 * taken by other words on the way); and it does answer most lookups.
 */
static void
sqli_words_same_verdicts(void **state)
{
	static const char *const words[] = {"'", "\"", "`", " ", "\t", "(", ")",
	    ",", ";", "-", "--", "#", "/*", "*/", "=", "<", ">", "!", "|", "&",
	    "+", "%", "@", "@@", "\\", "{", "}", ":", ".", "\x00", "1", "0x1f",
	    "1e3", ".5", "select", "SELECT", "union", "all", "from", "where",
	    "or", "and", "not", "like", "null", "sleep", "benchmark", "char",
	    "concat", "version", "information_schema", "table_name", "order",
	    "by", "group", "having", "insert", "into", "values", "drop", "exec",
	    "xp_cmdshell", "waitfor", "delay", "case", "when", "then", "end",
	    "if", "x", "id", "admin", "Mozilla/5.0", "Windows NT 10.0",
	    "AppleWebKit", "Gecko", "KHTML, like Gecko",
	    "abcdefghijklmnopqrstuvwxyz0123456789abc"};
	struct sqli_state st = {NULL, 0};
	unsigned long hits, misses;

	(void)state;
	if (dynlib_require(DYNLIB_INJECTION, NULL) == -1)
		skip();
	assert_non_null(st.w = injection_words_new());
	for (int pass = 0; pass < 2; pass++) {
		each_fixture_text(sqli_check, &st);
		each_random_text(88172645463325252UL, 200000, words,
		    countof(words), 10, 96, sqli_check, &st);
	}
	/* both verdicts seen; the table answered (so the library's state
	 * fits it), and most lookups */
	assert_true(st.pos > 5000);
	injection_words_counts(st.w, &hits, &misses);
	assert_true(hits > misses && misses > INJECTION_WORDS);
	injection_words_free(st.w);
}

/*
 * sakimori's own rules keep working next to the CRS groups when the
 * groups' cache cannot be read (the compile then allocates the scratch
 * space afresh: it must fit both).
 */
static void
own_rules_after_bad_cache(void **state)
{
	const char *path = crs_cache;
	struct attack_ruleset rs;
	struct attack_engine e;
	struct attack_result res;
	struct crs_set cs;
	struct err err = {0};
	FILE *f;
	int own = 0;

	(void)state;
	assert_non_null(f = fopen(path, "w"));
	fputs("not a cache\n", f);
	fclose(f);
	ruleset_init(&rs);
	if (ruleset_load_path(&rs, FIXTURES "/../../rules", &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(attack_engine_init(&e, &rs, NULL, 0, &err), 0);
	crs_set_init(&cs);
	assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
	if (attack_engine_crs(&e, &cs, 1, 5, path, &err) == -1)
		fail_msg("%s", err.msg);
	match(&e, "GET", "/login.php?jsessionid=74B0CB414BD77D17B5680A63", NULL,
	    &res);
	for (size_t i = 0; i < res.nhits; i++)
		own |= attack_rule_of(&e, &res.hit[i])->id == 100824;
	assert_true(own);
	assert_true(fired(&res, 943120));
	attack_engine_release(&e);
}

static void
same_result(const struct attack_result *a, const struct attack_result *b)
{
	assert_int_equal(a->nhits, b->nhits);
	for (size_t i = 0; i < a->nhits; i++) {
		assert_int_equal(a->hit[i].rule, b->hit[i].rule);
		assert_int_equal(a->hit[i].field, b->hit[i].field);
	}
	assert_int_equal(a->top, b->top);
	assert_int_equal(a->path_flags, b->path_flags);
	assert_int_equal(a->query_flags, b->query_flags);
	assert_int_equal(a->crs_score, b->crs_score);
	assert_int_equal(a->ncrs, b->ncrs);
	for (unsigned k = 0; k < a->ncrs; k++) {
		assert_int_equal(a->crs[k].id, b->crs[k].id);
		assert_int_equal(a->crs[k].target, b->crs[k].target);
		assert_int_equal(a->crs[k].len, b->crs[k].len);
		assert_memory_equal(
		    a->crs[k].text, b->crs[k].text, a->crs[k].len);
	}
}

/* The engine class_databases_same_hits scans with its databases per class
 * of text (sig.h) and without them; texts seen per class. */
struct class_pair {
	struct attack_engine e;
	unsigned per_class[SIG_NCLASS + 1];
	unsigned flagged;
};

/* Text s as a query argument's value (URL-encoded), the User-Agent and the
 * Referer of one request, then as a path, to both engines: the same
 * results. */
static void
class_check(const char *s, size_t n, void *arg)
{
	static const char hex[] = "0123456789ABCDEF";
	struct class_pair *cp = arg;
	struct attack_result res[2];
	char uri[3 * 512 + 16], text[513], path[520];
	size_t k = 0, j = 0;

	if (n > 512)
		n = 512;
	memcpy(text, s, n);
	text[n] = '\0';
	cp->per_class[crs_tfn_class(crs_tfn_may_change(s, n))]++;
	k = (size_t)snprintf(uri, sizeof(uri), "/q?v=");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_' || c == '/')
			uri[k++] = (char)c;
		else {
			uri[k++] = '%';
			uri[k++] = hex[c >> 4];
			uri[k++] = hex[c & 15];
		}
		/* the text as a path: up to its first byte a path cannot
		 * carry as it is */
		if (j == i && c > ' ' && c < 0x7f && c != '?' && c != '#')
			path[1 + j++] = (char)c;
	}
	uri[k] = '\0';
	path[0] = '/';
	path[1 + j] = '\0';
	for (int m = 0; m < 2; m++) {
		cp->e.sig.crs_classes = m == 0;
		match_req(&cp->e, "GET", uri, text, text, &res[m]);
	}
	same_result(&res[0], &res[1]);
	cp->flagged += res[0].ncrs > 0;
	for (int m = 0; m < 2; m++) {
		cp->e.sig.crs_classes = m == 0;
		match_req(&cp->e, "GET", path, NULL, NULL, &res[m]);
	}
	same_result(&res[0], &res[1]);
}

/*
 * The databases per class of text leave out only expressions that cannot
 * match a text of the class: Debian's rules at paranoia 4 scanned with
 * and without them give the same results, rule by rule and text by text, on
 * every fixture line and field and on texts made of each class's bytes,
 * words of attacks among them (a SQL injection of words and spaces, a
 * traversal of a path's bytes, shellshock of an agent's, a query).
 */
static void
class_databases_same_hits(void **state)
{
	static const char *const words[] = {"1", "42", "0", "union", "select",
	    "from", "users", "or", "and", "sleep", "benchmark", "waitfor",
	    "delay", "exec", "xp_cmdshell", "drop", "table", "having", "char",
	    "concat", "information_schema", "java", "runtime", "processbuilder",
	    "eval", "alert", "script", "onerror", "wget", "curl", "cat",
	    "passwd", "etc", "bin", "sh", "jsessionid", "_", " ", " ", " ", "/",
	    "/", ".", "..", "-", "/etc/passwd", "../../", ".git/config",
	    "wp-config.php.bak", "/proc/self/environ", ".htaccess", "cmd.exe",
	    "boot.ini", "(", ")", ";", ":", ",", "+", "alert(1)", "sleep(5)",
	    "http:", "?", "=", "&", "a=1", "id=1&x=", "javascript:", "'", "<",
	    "<script>", "%27", "|", "`", "$(", "${jndi:", "() { :; }", "\"",
	    "\\", "{", "}", "\t"};
	/* the words of each class, the ones that need the next class's
	 * bytes after them */
	static const size_t upto[] = {3, 37, 40, 53, 62, 68, countof(words)};
	struct class_pair *cp = calloc(1, sizeof(*cp));
	struct attack_ruleset rs;
	struct crs_set cs;
	struct err err = {0};
	size_t made = 0, none = 0;

	(void)state;
	assert_non_null(cp);
	/* compiled, then read from the cache the compile wrote (the plan
	 * of the classes from its text) */
	unlink(pl4_cache);
	for (int m = 0; m < 2; m++) {
		if (m == 1)
			attack_engine_release(&cp->e);
		ruleset_init(&rs);
		assert_int_equal(
		    attack_engine_init(&cp->e, &rs, NULL, 0, &err), 0);
		crs_set_init(&cs);
		assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
		if (attack_engine_crs(&cp->e, &cs, 4, 5, pl4_cache, &err) == -1)
			fail_msg("%s", err.msg);
		assert_int_equal(cp->e.sig.crs_from_cache, m == 1);
	}
	attack_engine_memo(&cp->e, 0);
	/* a text's class: the first whose bytes it has all of */
	{
		static const struct {
			const char *text;
			unsigned cls;
		} cls[] = {{"", 0}, {"2024", 0}, {"id_2", 1}, {"Tokyo", 1},
		    {"tokyo guide", 2}, {"/img/a-1.png", 3}, {"/a b", 3},
		    {"Mozilla/5.0 (X11; Linux x86_64)", 4}, {"/q?id=1&x=a", 5},
		    {"1 OR 1=1", 5}, {"<", SIG_NCLASS}, {"a\tb", SIG_NCLASS},
		    {"caf\xc3\xa9", SIG_NCLASS}, {"%41", SIG_NCLASS},
		    {"'", SIG_NCLASS}};

		for (size_t i = 0; i < countof(cls); i++)
			assert_int_equal(crs_tfn_class(crs_tfn_may_change(
			                     cls[i].text, strlen(cls[i].text))),
			    cls[i].cls);
	}
	/* databases of their own for classes, and classes with none */
	assert_true(cp->e.sig.crs_classes);
	for (unsigned t = 0; t < CT_N; t++)
		for (unsigned c = 0; c < SIG_NCLASS; c++) {
			const struct hs_database *d = cp->e.sig.all_c[t][c];

			made += d != NULL && d != cp->e.sig.all[t];
			none +=
			    (cp->e.sig.all_targets & (1u << t)) && d == NULL;
		}
	assert_true(made >= 5);
	assert_true(none >= 3);
	each_fixture_text(class_check, cp);
	for (size_t c = 0; c < countof(upto); c++)
		each_random_text(0x9e3779b97f4a7c15ul + c, 3000, words, upto[c],
		    8, 96, class_check, cp);
	for (unsigned c = 0; c <= SIG_NCLASS; c++) {
		print_message("class %u: %u texts\n", c, cp->per_class[c]);
		assert_true(cp->per_class[c] >= 500);
	}
	print_message("%u of them flagged\n", cp->flagged);
	assert_true(cp->flagged >= 1000);
	cp->e.sig.crs_classes = 1;
	attack_engine_release(&cp->e);
	free(cp);
}

/*
 * The clean table (attack.h): a request line that matched nothing is
 * looked up whole next time, and its user agent and referrer alone
 * scanned (or not even they, when the table has them too); every answer is the one of an engine without memo, whatever
 * comes with the line (a scanner's agent, a script in the referrer, an
 * agent that is the request line itself), the table is there only with
 * the big memo, and new CRS rules forget it.
 */
static void
clean_request_lines(void **state)
{
	static const struct {
		const char *method, *uri, *ua, *referer;
	} rq[] = {
	    {"GET", "/docs/guide.html?page=2&lang=en", "Mozilla/5.0", NULL},
	    {"GET", "/docs/guide.html?page=2&lang=en", "sqlmap/1.7.2#stable",
	        NULL},
	    {"GET", "/docs/guide.html?page=2&lang=en", "Mozilla/5.0",
	        "http://e.test/<script>alert(1)</script>"},
	    {"GET", "/docs/guide.html?page=2&lang=en",
	        "GET /docs/guide.html?page=2&lang=en HTTP/1.1", "-"},
	    /* agents and referrers only one rule set flags */
	    {"GET", "/docs/guide.html?page=2&lang=en", "bilbo", NULL},
	    {"GET", "/docs/guide.html?page=2&lang=en", "feroxbuster/2.7", NULL},
	    {"GET", "/docs/guide.html?page=2&lang=en", "Mozilla/5.0",
	        "http://e.test/../../etc/passwd"},
	    {"GET", "/tools/pangolin", "Mozilla/5.0", NULL},
	    {"GET", "/tools/pangolin", "GET /tools/pangolin HTTP/1.1", NULL},
	    {"GET", "/x?file=../../etc/passwd", "Mozilla/5.0", NULL},
	    {"GET", "/x?file=../../etc/passwd", "Mozilla/5.0", NULL},
	    {"GET", "/%7Euser/index.html", "Mozilla/5.0", NULL},
	    {"GET", "/a?q=1&q=2", "Mozilla/5.0", NULL},
	    /* sakimori's rules alone; the CRS rules alone (score 3) */
	    {"GET", "/tools/sqlmap", NULL, NULL},
	    {"GET", "*", NULL, NULL},
	    {"POST", "/docs/guide.html?page=2&lang=en", "Mozilla/5.0", NULL},
	    {"GET", "/docs/guide.html?page=2&lang=en&x=<script>", NULL, NULL},
	};
	static const char mine[] =
	    "SecRule REQUEST_FILENAME \"@rx guide\" \"id:1,phase:2,t:none,"
	    "setvar:'tx.anomaly_score_pl1=+5'\"\n";
	struct attack_engine e[2]; /* memo on, off */
	struct attack_result want, got;
	struct secrule_set ss;
	struct crs_set cs;
	struct err err = {0};
	uint64_t hits, whole;

	(void)state;
	for (int m = 0; m < 2; m++) {
		struct attack_ruleset rs;

		ruleset_init(&rs);
		if (ruleset_load_path(&rs, FIXTURES "/../../rules", &err) == -1)
			fail_msg("%s", err.msg);
		assert_int_equal(
		    attack_engine_init(&e[m], &rs, NULL, 0, &err), 0);
		crs_set_init(&cs);
		(void)sig_crs_known(&cs, crs_cache);
		assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
		if (attack_engine_crs(&e[m], &cs, 1, 5, crs_cache, &err) == -1)
			fail_msg("%s", err.msg);
	}
	attack_engine_memo(&e[1], 0);
	/* the small memo: no table */
	assert_null(e[0].ctag);
	match_req(&e[0], "GET", "/", NULL, NULL, &got);
	assert_int_equal(e[0].clean_hits, 0);
	/* busy: ATTACK_MEMO_BUSY values within seconds */
	e[0].memo_looks = ATTACK_MEMO_BUSY - 1;
	e[0].memo_t0 = clock_mono();
	match_req(&e[0], "GET", "/", NULL, NULL, &got);
	assert_int_equal(e[0].memo_slots, ATTACK_MEMO_SLOTS);
	assert_non_null(e[0].ctag);
	for (size_t i = 0; i < countof(rq); i++)
		for (int again = 0; again < 3; again++) {
			match_req(&e[1], rq[i].method, rq[i].uri, rq[i].ua,
			    rq[i].referer, &want);
			match_req(&e[0], rq[i].method, rq[i].uri, rq[i].ua,
			    rq[i].referer, &got);
			same_result(&got, &want);
		}
	/* the benign lines were found in it, the attacks' never */
	assert_true(e[0].clean_hits >= 10);
	assert_true(e[0].clean_whole >= 5);
	hits = e[0].clean_hits;
	whole = e[0].clean_whole;
	match_req(&e[0], "GET", "/x?file=../../etc/passwd", NULL, NULL, &got);
	assert_int_equal(e[0].clean_hits, hits);
	assert_true(got.crs_score >= 5);
	match_req(
	    &e[0], "GET", "/docs/guide.html?page=2&lang=en", NULL, NULL, &got);
	assert_int_equal(e[0].clean_hits, hits + 1);
	assert_int_equal(e[0].clean_whole, whole + 1);
	assert_int_equal(got.crs_score, 0);
	/* a clean line with a scanner's agent: the agent is looked at */
	match_req(&e[0], "GET", "/docs/guide.html?page=2&lang=en", "bilbo", "-",
	    &got);
	assert_int_equal(e[0].clean_hits, hits + 2);
	assert_int_equal(e[0].clean_whole, whole + 1);
	assert_int_equal(got.crs_score, 5);
	/* sakimori's rules alone found the line clean; the CRS rules added
	 * then have not seen it: it is looked at */
	attack_engine_memo(&e[1], 1);
	attack_crs_release(&e[1]);
	sig_release_crs(&e[1].sig);
	e[1].memo_looks = ATTACK_MEMO_BUSY - 1;
	e[1].memo_t0 = clock_mono();
	match_req(&e[1], "GET", "/", NULL, NULL, &got);
	assert_non_null(e[1].ctag);
	for (int again = 0; again < 2; again++)
		match_req(&e[1], "GET", "/docs/guide.html?page=2&lang=en", NULL,
		    NULL, &got);
	assert_int_equal(e[1].clean_hits, 1);
	secrule_set_init(&ss);
	crs_set_init(&cs);
	assert_int_equal(
	    secrule_parse(&ss, "t.conf", mine, strlen(mine), &err), 0);
	assert_int_equal(crs_translate(&cs, &ss, "t.conf", CRS_DIR, &err), 0);
	if (attack_engine_crs(&e[1], &cs, 1, 5, NULL, &err) == -1)
		fail_msg("%s", err.msg);
	secrule_set_release(&ss);
	match_req(
	    &e[1], "GET", "/docs/guide.html?page=2&lang=en", NULL, NULL, &got);
	assert_int_equal(e[1].clean_hits, 1);
	assert_true(fired(&got, 1));
	attack_engine_release(&e[0]);
	attack_engine_release(&e[1]);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(transformations),
	    cmocka_unit_test(tfn_chain),
	    cmocka_unit_test(tfn_same),
	    cmocka_unit_test(translate_debian_crs),
	    cmocka_unit_test(translate_snippets),
	    cmocka_unit_test(evaluate),
	    /* first: it leaves the cache of the groups of paranoia 1 */
	    cmocka_unit_test(own_rules_after_bad_cache),
	    cmocka_unit_test(evaluate_debian_crs),
	    cmocka_unit_test(clean_request_lines),
	    cmocka_unit_test(evaluate_shared_scans),
	    cmocka_unit_test(class_databases_same_hits),
	    cmocka_unit_test(evaluate_chain),
	    cmocka_unit_test(evaluate_ops),
	    cmocka_unit_test(xss_prefilter_sound),
	    cmocka_unit_test(sqli_words_same_verdicts),
	    cmocka_unit_test(evaluate_debian_deep),
	    cmocka_unit_test(cache_skips_analysis),
	    cmocka_unit_test(inj_path_in_cache_text),
	    cmocka_unit_test(cache_verdicts_keyed_on_pcre2),
	};

	if (argc > 1) /* a pattern: only the cases it names */
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, setup, teardown);
}
