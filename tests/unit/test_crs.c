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

#include <cmocka.h>

#include "attack/attack.h"
#include "attack/crs.h"
#include "attack/crs_tfn.h"
#include "attack/secrule.h"

#define CRS_DIR "/usr/share/modsecurity-crs/rules"

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
	assert_int_equal(crs_tfn_parse("base64Decode"), -1);
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
	unsigned loaded = 0, translated = 0;

	(void)state;
	crs_set_init(&cs);
	if (crs_load_dir(&cs, CRS_DIR, &err) == -1)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < cs.nf; i++) {
		loaded += cs.f[i].loaded;
		translated += cs.f[i].translated;
	}
	assert_int_equal(translated, cs.n);
	assert_int_equal(loaded, cs.n + cs.ns);
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
	assert_int_equal(rule(&cs, 932200), NULL);

	assert_string_equal(reason(&cs, 942100), "operator @detectSQLi");
	assert_string_equal(reason(&cs, 941100), "operator @detectXSS");
	assert_string_equal(reason(&cs, 930011),
	    "control rule on TX variables "
	    "(TX:EXECUTING_PARANOIA_LEVEL)");
	assert_string_equal(
	    reason(&cs, 932200), "chained rule (2 more conditions)");
	assert_string_equal(reason(&cs, 934100), "transformation base64Decode");
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
	assert_int_equal(attack_engine_init(e, &rs, NULL, &err), 0);
	secrule_set_init(&ss);
	crs_set_init(&cs);
	assert_int_equal(
	    secrule_parse(&ss, "t.conf", text, strlen(text), &err), 0);
	assert_int_equal(crs_translate(&cs, &ss, "t.conf", CRS_DIR, &err), 0);
	if (attack_engine_crs(e, &cs, paranoia, 5, NULL, &err) == -1)
		fail_msg("%s", err.msg);
	secrule_set_release(&ss);
}

static size_t
match(struct attack_engine *e, const char *method, const char *uri,
    const char *ua, struct attack_result *res)
{
	struct attack_req rq = {0};

	rq.method = method;
	rq.method_len = strlen(method);
	rq.protocol = "HTTP/1.1";
	rq.protocol_len = 8;
	rq.ua = ua;
	rq.ua_len = ua ? strlen(ua) : 0;
	attack_req_uri(&rq, uri, strlen(uri));
	return attack_match(e, &rq, res);
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
	attack_engine_release(&e);

	engine_of(&e, text, 3);
	assert_int_equal(match(&e, "GET", "/a.html", NULL, &res), 1);
	assert_true(fired(&res, 14));
	assert_true(fired(&res, 15)); /* "GET /a.html HTTP/1.1" */
	assert_int_equal(res.crs_score, 7);
	attack_engine_release(&e);
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
	assert_int_equal(attack_engine_init(&e, &rs, NULL, &err), 0);
	crs_set_init(&cs);
	assert_int_equal(crs_load_dir(&cs, CRS_DIR, &err), 0);
	if (attack_engine_crs(&e, &cs, 1, 5, NULL, &err) == -1)
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
	attack_engine_release(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(transformations),
	    cmocka_unit_test(tfn_chain),
	    cmocka_unit_test(translate_debian_crs),
	    cmocka_unit_test(translate_snippets),
	    cmocka_unit_test(evaluate),
	    cmocka_unit_test(evaluate_debian_crs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
