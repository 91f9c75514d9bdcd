/*
 * secrule.h - the ModSecurity rule language as the OWASP Core Rule Set
 * writes it, parsed into plain structs (no evaluation here).
 *
 * A file is a sequence of directives; a line ending with a backslash
 * continues on the next one, '#' starts a comment line.  Kept:
 *
 *	SecRule VARIABLES "OPERATOR" "ACTIONS"
 *	SecAction "ACTIONS"
 *	SecMarker NAME
 *
 * every other directive (SecComponentSignature, SecRuleUpdateTargetById
 * ...) is counted, not kept.  Arguments are words or double-quoted
 * strings in which \" is a quote and every other backslash stays as it
 * is (an operator's regular expression keeps its escapes).  An operator
 * is "[!]@name argument", or a bare regular expression (an implied @rx).
 * Actions are comma-separated "name" or "name:value", a value possibly
 * single-quoted ('...', \' a quote).
 *
 * From the actions a rule keeps: id, phase, the transformations (t:),
 * severity, msg, tags, chain, skipAfter, and its anomaly score: a setvar
 * that adds to tx.anomaly_score or tx.anomaly_score_plN (the
 * %{tx.critical_anomaly_score} family, critical 5, error 4, warning 3,
 * notice 2, as CRS's setup sets them, or a number) and the family score
 * it adds to as well (tx.sql_injection_score ...).
 *
 * Paranoia levels: a rule's tag 'paranoia-level/N', else the section it
 * stands in.  CRS opens the section of level N with rules on
 * TX:EXECUTING_PARANOIA_LEVEL (or TX:DETECTION_PARANOIA_LEVEL) "@lt N"
 * that skipAfter a marker: every rule from there to that SecMarker is at
 * level N.
 *
 * Pure: bytes in, rules out; bounded (SECRULE_MAX rules per set, fields
 * capped).
 */
#ifndef ATTACK_SECRULE_H
#define ATTACK_SECRULE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define SECRULE_MAX 20000
#define SECRULE_TFN_MAX 16
#define SECRULE_TAG_MAX 16
#define SECRULE_NAME_MAX 32
#define SECRULE_TEXT_MAX 160
#define SECRULE_ARG_MAX (64u << 10) /* an operator argument */

enum secrule_kind {
	SECRULE_RULE,   /* SecRule */
	SECRULE_ACTION, /* SecAction: no variables, no operator */
	SECRULE_MARKER, /* SecMarker: only marker */
};

struct secrule {
	enum secrule_kind kind;
	uint32_t id;  /* 0: none (a chain link, a marker) */
	int phase;    /* 0: not given */
	int paranoia; /* 1..4 */
	int chain;    /* the next rule is a link of this one's chain */
	int link;     /* this rule continues the previous one's chain */
	int negated;  /* "!@op" */
	int multimatch;
	char *vars; /* the variables as written ("ARGS|!ARGS:x") */
	char op[SECRULE_NAME_MAX]; /* "rx", "pm" ... ("" for an action) */
	char *arg;                 /* the operator's argument */
	char tfn[SECRULE_TFN_MAX][SECRULE_NAME_MAX]; /* t:, in order */
	unsigned ntfn;
	char severity[SECRULE_NAME_MAX]; /* "CRITICAL" ... or "" */
	char msg[SECRULE_TEXT_MAX];
	char tags[SECRULE_TAG_MAX][SECRULE_NAME_MAX * 2];
	unsigned ntags;
	int score;                     /* added to the anomaly score, 0: none */
	char family[SECRULE_NAME_MAX]; /* "sql_injection_score" or "" */
	char marker[SECRULE_TEXT_MAX]; /* SecMarker's name, or skipAfter's */
	unsigned line;                 /* where the directive starts */
};

struct secrule_set {
	struct secrule *r;
	size_t n, cap;
	size_t other; /* other directives, counted */
};

void secrule_set_init(struct secrule_set *s);
void secrule_set_release(struct secrule_set *s);

/*
 * Parses rule-file text (name used in messages) and appends its
 * directives to s.  0, or -1 with "name:line: message" in err (the
 * directives before the error are kept).
 */
int secrule_parse(struct secrule_set *s, const char *name, const char *text,
    size_t len, struct err *err);

/* 1 when rule r has tag t (exactly). */
int secrule_has_tag(const struct secrule *r, const char *t);

#endif
