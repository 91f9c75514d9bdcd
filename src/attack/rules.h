/*
 * rules.h - attack signature rules as data: the rule-file format and its
 * pure parser.
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
 *	             that this rule reports
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
#ifndef ATTACK_RULES_H
#define ATTACK_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

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
	char anomaly[32];                 /* "" for a pattern rule */
	char origin[128];                 /* "file:line" of the stanza */
};

struct attack_ruleset {
	struct attack_rule *r;
	size_t n, cap;
};

void rules_init(struct attack_ruleset *rs);
void rules_release(struct attack_ruleset *rs);

/*
 * Parses rule-file text (name is used in messages and origins) and adds
 * its rules to rs, replacing rules with the same id.  Returns 0, or -1
 * with the first error ("name:line: message") in err; rules before the
 * error are kept.
 */
int rules_parse(struct attack_ruleset *rs, const char *name, const char *text,
    size_t len, struct err *err);

/*
 * Loads a file, or every "*.rules" file of a directory in name order.
 * 0 or -1 with err.
 */
int rules_load_path(
    struct attack_ruleset *rs, const char *path, struct err *err);

/*
 * Switches off (disabled) every rule whose paranoia level is above level
 * (1..4): what a configured "paranoia N" does before compiling.
 */
void rules_set_paranoia(struct attack_ruleset *rs, int level);

/* 1 when a hit of rule r counts for a response with this status (0:
 * unknown). */
int rules_status_ok(const struct attack_rule *r, int status);

/* The rule with id, or NULL. */
struct attack_rule *rules_find(struct attack_ruleset *rs, uint32_t id);

const char *attack_sev_name(enum attack_sev s);
int attack_sev_parse(const char *s, size_t n, enum attack_sev *out);
const char *attack_field_name(enum attack_field f);

/* SHA-256 over every enabled rule's content, as hex (65 bytes): the
 * key of the compiled-database cache. */
void rules_hash(const struct attack_ruleset *rs, char out[65]);

#endif
