/*
 * test_secrule.c - the ModSecurity rule-language parser on the OWASP Core
 * Rule Set as Debian ships it (modsecurity-crs 3.3.4, installed by
 * scripts/deps.sh test) and on snippets for its quoting, continuations,
 * chains, paranoia sections, scores and errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attack/secrule.h"
#include "base/fileio.h"
#include "base/strbuf.h"

#define CRS_DIR "/usr/share/modsecurity-crs/rules"

static const struct secrule *
by_id(const struct secrule_set *s, uint32_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->r[i].id == id)
			return &s->r[i];
	return NULL;
}

/*
 * Parses a CRS file; returns the number of lines that start a SecRule,
 * and adds the number of paranoia-level tags in the text to *tags.
 */
static size_t
load_crs(struct secrule_set *s, const char *file, size_t *tags)
{
	struct strbuf sb = STRBUF_INIT(8u << 20);
	struct err err = {0};
	char path[512];
	int trunc = 0;
	size_t lines = 0;

	snprintf(path, sizeof(path), "%s/%s", CRS_DIR, file);
	if (file_read(path, 8u << 20, &sb, &trunc, &err) == -1)
		fail_msg("%s (scripts/deps.sh test installs modsecurity-crs)",
		    err.msg);
	for (const char *p = sb.p; p != NULL && p < sb.p + sb.len;) {
		const char *nl = memchr(p, '\n', (size_t)(sb.p + sb.len - p));

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "SecRule ", 8) == 0)
			lines++;
		if (tags != NULL && strncmp(p, "tag:'paranoia-level/", 20) == 0)
			(*tags)++;
		p = nl ? nl + 1 : NULL;
	}
	if (secrule_parse(s, path, sb.p, sb.len, &err) == -1)
		fail_msg("%s", err.msg);
	strbuf_release(&sb);
	return lines;
}

static void
crs_lfi_file(void **state)
{
	struct secrule_set s;
	const struct secrule *r;
	size_t lines;

	(void)state;
	secrule_set_init(&s);
	lines = load_crs(&s, "REQUEST-930-APPLICATION-ATTACK-LFI.conf", NULL);
	assert_int_equal(lines, s.n - 1 /* the SecMarker */);
	r = by_id(&s, 930100);
	assert_non_null(r);
	assert_int_equal(r->kind, SECRULE_RULE);
	assert_int_equal(r->phase, 2);
	assert_string_equal(r->vars,
	    "REQUEST_URI_RAW|ARGS|REQUEST_HEADERS|!"
	    "REQUEST_HEADERS:Referer|XML:/*");
	assert_string_equal(r->op, "rx");
	assert_false(r->negated);
	/* the expression keeps its backslashes */
	assert_memory_equal(r->arg, "(?i)(?:\\x5c|(?:%(?:c(?:0%", 23);
	assert_int_equal(r->ntfn, 1);
	assert_string_equal(r->tfn[0], "none");
	assert_string_equal(r->severity, "CRITICAL");
	assert_int_equal(r->score, 5);
	assert_string_equal(r->family, "lfi_score");
	assert_int_equal(r->paranoia, 1);
	assert_true(secrule_has_tag(r, "attack-lfi"));
	assert_string_equal(r->msg, "Path Traversal Attack (/../)");

	r = by_id(&s, 930110);
	assert_non_null(r);
	assert_string_equal(r->arg, "(?:^|[\\\\/])\\.\\.(?:[\\\\/]|$)");
	assert_int_equal(r->ntfn, 5);
	assert_string_equal(r->tfn[1], "utf8toUnicode");
	assert_string_equal(r->tfn[4], "cmdLine");
	assert_true(r->multimatch);

	r = by_id(&s, 930120);
	assert_string_equal(r->op, "pmFromFile");
	assert_string_equal(r->arg, "lfi-os-files.data");

	/* the skip rules of the paranoia sections */
	r = by_id(&s, 930013);
	assert_string_equal(r->vars, "TX:EXECUTING_PARANOIA_LEVEL");
	assert_string_equal(r->op, "lt");
	assert_string_equal(r->arg, "2");
	assert_string_equal(
	    r->marker, "END-REQUEST-930-APPLICATION-ATTACK-LFI");
	assert_int_equal(r->phase, 1);
	assert_int_equal(s.r[s.n - 1].kind, SECRULE_MARKER);
	secrule_set_release(&s);
}

/* Chained rules: links follow their head, the score is on the last one. */
static void
crs_rce_chain(void **state)
{
	struct secrule_set s;
	const struct secrule *r;
	size_t i, lines;

	(void)state;
	secrule_set_init(&s);
	lines = load_crs(&s, "REQUEST-932-APPLICATION-ATTACK-RCE.conf", NULL);
	assert_int_equal(lines, s.n - 1 /* the SecMarker */);
	r = by_id(&s, 932200);
	assert_non_null(r);
	assert_true(r->chain);
	assert_int_equal(r->paranoia, 2);
	assert_int_equal(r->score, 0);
	i = (size_t)(r - s.r);
	assert_true(s.r[i + 1].link);
	assert_true(s.r[i + 1].chain);
	assert_string_equal(s.r[i + 1].vars, "MATCHED_VAR");
	assert_string_equal(s.r[i + 1].arg, "/");
	assert_true(s.r[i + 2].link);
	assert_false(s.r[i + 2].chain);
	assert_int_equal(s.r[i + 2].id, 0);
	assert_int_equal(s.r[i + 2].paranoia, 2);
	assert_int_equal(s.r[i + 2].score, 5);
	assert_string_equal(s.r[i + 2].family, "lfi_score");
	secrule_set_release(&s);
}

/*
 * Every request-phase file of the package parses, with one rule per
 * SecRule line, and every rule's paranoia level (from its tag) is the
 * level of the section it stands in.
 */
static void
crs_all_request_files(void **state)
{
	static const char *const files[] = {
	    "REQUEST-901-INITIALIZATION.conf",
	    "REQUEST-905-COMMON-EXCEPTIONS.conf",
	    "REQUEST-911-METHOD-ENFORCEMENT.conf",
	    "REQUEST-913-SCANNER-DETECTION.conf",
	    "REQUEST-920-PROTOCOL-ENFORCEMENT.conf",
	    "REQUEST-921-PROTOCOL-ATTACK.conf",
	    "REQUEST-930-APPLICATION-ATTACK-LFI.conf",
	    "REQUEST-931-APPLICATION-ATTACK-RFI.conf",
	    "REQUEST-932-APPLICATION-ATTACK-RCE.conf",
	    "REQUEST-933-APPLICATION-ATTACK-PHP.conf",
	    "REQUEST-934-APPLICATION-ATTACK-NODEJS.conf",
	    "REQUEST-941-APPLICATION-ATTACK-XSS.conf",
	    "REQUEST-942-APPLICATION-ATTACK-SQLI.conf",
	    "REQUEST-943-APPLICATION-ATTACK-SESSION-FIXATION.conf",
	    "REQUEST-944-APPLICATION-ATTACK-JAVA.conf",
	    "REQUEST-949-BLOCKING-EVALUATION.conf",
	};
	size_t tagged = 0, tags = 0;

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct secrule_set s;
		size_t rules = 0, lines;
		int section = 1;

		secrule_set_init(&s);
		lines = load_crs(&s, files[f], &tags);
		for (size_t i = 0; i < s.n; i++) {
			const struct secrule *r = &s.r[i];
			char tag[32];

			if (r->kind == SECRULE_RULE)
				rules++;
			if (r->kind == SECRULE_RULE && !r->link &&
			    strcmp(r->op, "lt") == 0 &&
			    strstr(r->vars, "PARANOIA_LEVEL") != NULL)
				section = r->arg[0] - '0';
			if (r->kind == SECRULE_MARKER)
				section = 1;
			if (r->kind == SECRULE_MARKER || r->link)
				continue;
			assert_true(r->paranoia >= 1 && r->paranoia <= 4);
			snprintf(
			    tag, sizeof(tag), "paranoia-level/%d", r->paranoia);
			if (secrule_has_tag(r, tag)) {
				assert_int_equal(r->paranoia, section);
				tagged++;
			}
		}
		assert_int_equal(rules, lines);
		secrule_set_release(&s);
	}
	assert_true(tags > 200);
	assert_int_equal(tagged, tags);
}

static int
parse(struct secrule_set *s, const char *text, struct err *err)
{
	secrule_set_init(s);
	err_clear(err);
	return secrule_parse(s, "x.conf", text, strlen(text), err);
}

static void
snippets(void **state)
{
	struct secrule_set s;
	struct err err = {0};

	(void)state;
	/* implied @rx, \" in the operator, negation, unquoted actions, a
	 * single-quoted value with a comma, continuation lines */
	assert_int_equal(parse(&s,
	                     "# comment\n"
	                     "SecRule ARGS \"a\\\"b\\d\" \"id:1,phase:2,"
	                     "msg:'x, y',t:lowercase\"\n"
	                     "SecRule REQUEST_METHOD \"!@within GET HEAD\" \\\n"
	                     "    \"id:2,\\\n"
	                     "    setvar:'tx.anomaly_score_pl1=+%{tx.warning_"
	                     "anomaly_score}',\\\n"
	                     "    setvar:tx.foo_score=+4\"\n"
	                     "SecComponentSignature \"x\"\n",
	                     &err),
	    0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.other, 1);
	assert_string_equal(s.r[0].op, "rx");
	assert_string_equal(s.r[0].arg, "a\"b\\d");
	assert_string_equal(s.r[0].msg, "x, y");
	assert_string_equal(s.r[0].tfn[0], "lowercase");
	assert_int_equal(s.r[0].line, 2);
	assert_string_equal(s.r[1].op, "within");
	assert_true(s.r[1].negated);
	assert_string_equal(s.r[1].arg, "GET HEAD");
	assert_int_equal(s.r[1].score, 3);
	assert_string_equal(s.r[1].family, "foo_score");
	assert_int_equal(s.r[1].line, 3);
	secrule_set_release(&s);

	/* a paranoia section without tags, ended by its marker */
	assert_int_equal(parse(&s,
	                     "SecRule TX:DETECTION_PARANOIA_LEVEL \"@lt 3\" "
	                     "\"id:10,pass,skipAfter:END-X\"\n"
	                     "SecRule ARGS \"@pm a b\" \"id:11\"\n"
	                     "SecMarker \"END-X\"\n"
	                     "SecRule ARGS \"@contains c\" \"id:12\"\n",
	                     &err),
	    0);
	assert_int_equal(s.r[1].paranoia, 3);
	assert_int_equal(s.r[2].kind, SECRULE_MARKER);
	assert_string_equal(s.r[2].marker, "END-X");
	assert_int_equal(s.r[3].paranoia, 1);
	secrule_set_release(&s);

	/* errors name the file and the line */
	assert_int_equal(
	    parse(&s, "\n\nSecRule ARGS \"@rx a\" \"id:1\n", &err), -1);
	assert_string_equal(err.msg, "x.conf:3: unclosed quote");
	secrule_set_release(&s);
	assert_int_equal(
	    parse(&s, "SecRule ARGS \"@rx a\" \"phase:2\"\n", &err), -1);
	assert_string_equal(err.msg, "x.conf:1: rule without an id");
	secrule_set_release(&s);
	assert_int_equal(
	    parse(&s, "SecRule ARGS \"@rx a\" \"id:1,chain\"\n", &err), -1);
	assert_string_equal(err.msg, "x.conf: chain without its last rule");
	secrule_set_release(&s);
	assert_int_equal(
	    parse(&s, "SecRule ARGS \"@rx a\" \"id:x\"\n", &err), -1);
	assert_string_equal(err.msg, "x.conf:1: bad action 'id:x'");
	secrule_set_release(&s);
	assert_int_equal(parse(&s,
	                     "SecRule ARGS \"@rx a\" \"id:1,tag:'paranoia-"
	                     "level/9'\"\n",
	                     &err),
	    -1);
	secrule_set_release(&s);
	assert_int_equal(parse(&s, "SecRule ARGS\n", &err), -1);
	assert_string_equal(
	    err.msg, "x.conf:1: SecRule needs variables and an operator");
	secrule_set_release(&s);
	assert_int_equal(parse(&s, "SecMarker\n", &err), -1);
	secrule_set_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(crs_lfi_file),
	    cmocka_unit_test(crs_rce_chain),
	    cmocka_unit_test(crs_all_request_files),
	    cmocka_unit_test(snippets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
