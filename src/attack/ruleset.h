/*
 * ruleset.h - the attack rule set: the rule-file format (the signature
 * files shipped in rules/ and the admin's override files) and its loader.
 *
 * A rule file holds stanzas separated by blank lines; each line is
 * "key: value", '#' starts a comment line.  Keys:
 *
 *	id:          a positive number, unique; a later file's rule with the
 *	             same id replaces the earlier one (overriding)
 *	class:       the attack class (iis-unicode, traversal, sql-injection...)
 *	severity:    info, low, medium, high or critical
 *	description: one line for a human
 *	references:  CVE ids, URLs (free text)
 *	fields:      where it applies: path query ua referer method (any of)
 *	form:        decoded (default), raw (as logged) or shell (decoded,
 *	             shell quoting removed)
 *	case:        insensitive (default) or sensitive
 *	pattern:     a Hyperscan/PCRE regular expression, the rest of the line
 *	             taken as it is (no quoting)
 *	anomaly:     instead of a pattern, a decoding anomaly (see attack.h)
 *	             that this rule reports; an unknown name is a load error
 *	disabled:    yes - the rule is known but not used (to switch off a
 *	             shipped rule from an override file)
 *	status:      response statuses (e.g. "400 404"): the rule counts only
 *	             when the server answered with one of them (a probe for
 *	             what this server does not have); when the status is not
 *	             known the rule does not count
 *	paranoia:    1 (default) to 4: the rule is used only when the
 *	             configured paranoia level is at least this, as in the
 *	             OWASP CRS (higher levels catch more and flag more
 *	             legitimate requests)
 *
 * Example:
 *	id: 100100
 *	class: command-exec
 *	severity: critical
 *	description: Windows command interpreter requested through the web
 *	fields: path
 *	pattern: /(cmd|command|root|sh)\.exe
 */
#ifndef ATTACK_RULESET_H
#define ATTACK_RULESET_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/finding.h"

enum attack_field {
	AF_METHOD,
	AF_PATH,
	AF_QUERY,
	AF_UA,
	AF_REFERER,
	AF_NFIELDS,
};

enum attack_form {
	AFORM_DECODED,
	AFORM_RAW,
	AFORM_SHELL,
	AFORM_N,
};

/* The decoding anomalies an "anomaly:" rule can report (see attack.h). */
enum attack_anomaly {
	ANOM_NONE, /* a pattern rule */
	ANOM_UNICODE_TRAVERSAL,
	ANOM_DOUBLE_ENCODED_TRAVERSAL,
	ANOM_ENCODED_TRAVERSAL,
	ANOM_ABOVE_ROOT,
	ANOM_OVERLONG_UTF8,
	ANOM_IIS_U_ENCODING,
	ANOM_DOUBLE_ENCODING,
	ANOM_NUL_BYTE,
	ANOM_CRLF,
	ANOM_CONTROL_CHAR,
	ANOM_INVALID_UTF8,
	ANOM_BAD_PERCENT,
	ANOM_BACKSLASH,
	ANOM_N,
};

enum attack_sev {
	ASEV_INFO,
	ASEV_LOW,
	ASEV_MEDIUM,
	ASEV_HIGH,
	ASEV_CRITICAL,
};

#define RULE_CLASS_MAX 40
#define RULE_TEXT_MAX 256
#define RULE_PATTERN_MAX 4096
#define RULE_STATUS_MAX 8

struct attack_rule {
	uint32_t id;
	char cls[RULE_CLASS_MAX];
	enum attack_sev sev;
	char desc[RULE_TEXT_MAX];
	char refs[RULE_TEXT_MAX];
	unsigned fields; /* 1 << enum attack_field */
	enum attack_form form;
	int caseful;
	int disabled;
	int paranoia;                     /* 1..4 */
	uint16_t status[RULE_STATUS_MAX]; /* only with these statuses */
	unsigned nstatus;                 /* 0: any status */
	char *pattern;                    /* NULL for an anomaly rule */
	enum attack_anomaly anomaly;      /* ANOM_NONE for a pattern rule */
	char origin[128];                 /* "file:line" of the stanza */
};

struct attack_ruleset {
	struct attack_rule *r;
	size_t n, cap;
};

void ruleset_init(struct attack_ruleset *rs);
void ruleset_release(struct attack_ruleset *rs);

/*
 * Parses rule-file text (name is used in messages and origins) and adds
 * its rules to rs, replacing rules with the same id.  Returns 0, or -1
 * with the first error ("name:line: message") in err; rules before the
 * error are kept.
 */
int ruleset_parse(struct attack_ruleset *rs, const char *name, const char *text,
    size_t len, struct err *err);

/*
 * Loads a file, or every "*.rules" file of a directory in name order.
 * 0 or -1 with err.
 */
int ruleset_load_path(
    struct attack_ruleset *rs, const char *path, struct err *err);

/*
 * Switches off (disabled) every rule whose paranoia level is above level
 * (1..4): what a configured "paranoia N" does before compiling.
 */
void ruleset_set_paranoia(struct attack_ruleset *rs, int level);

/* 1 when a hit of rule r counts for a response with this status (0:
 * unknown). */
int attack_rule_status_ok(const struct attack_rule *r, int status);

/* The rule with id, or NULL. */
struct attack_rule *ruleset_find(struct attack_ruleset *rs, uint32_t id);

const char *attack_sev_name(enum attack_sev s);
int attack_sev_parse(const char *s, size_t n, enum attack_sev *out);
const char *attack_field_name(enum attack_field f);
/* The rule-file name of an anomaly ("crlf"), "?" when out of range. */
const char *attack_anomaly_name(enum attack_anomaly a);

/*
 * The finding severity for an attack severity: critical is CRITICAL,
 * high and medium are WARNING, low and info are OK (not worth a finding
 * alone).
 */
enum sev attack_sev_finding(enum attack_sev s);

/*
 * The names of the files of dir that start with prefix and end with
 * suffix (hidden files left out), sorted, into *out (free with
 * attack_names_free).  0, or -1 with err.
 */
int attack_dir_names(const char *dir, const char *prefix, const char *suffix,
    char ***out, size_t *nout, struct err *err);
void attack_names_free(char **names, size_t n);

/* [s, s+n) into dst (dstsz > 0), cut to fit, NUL-terminated. */
void attack_text_copy(char *dst, size_t dstsz, const char *s, size_t n);

/* A digest (hash256) of every rule's content, as hex (65 bytes): the
 * key of the compiled-database cache. */
void ruleset_hash(const struct attack_ruleset *rs, char out[65]);

#endif
