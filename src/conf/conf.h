/*
 * conf.h - the configuration: a small block grammar (parse.y) read into a
 * tree, checked against a schema (schema.c), queried by the checks.
 *
 *	# comment
 *	include "/etc/sakimori/conf.d/[a-z]*.conf"
 *	webroot = "/var/www"			# a macro, used as $webroot
 *	set state-dir "/var/lib/sakimori"	# a global setting
 *	check load { warning 1.00 critical 2.00 for 5m }
 *	check fs-blocks "/var" { warning 80% critical 90% }
 *	check process-count "apache2" { warning 150 }
 *	check swap-activity { disable }
 *
 * Statements end at a newline or ';'.  Values are numbers, percentages,
 * durations (30s 5m 2h 1d 1w), quoted strings and bare words.  A block's
 * optional argument (the subject) selects what it applies to; a block
 * without one sets the default for every subject.  No configuration file
 * means the built-in defaults (an empty tree).
 */
#ifndef CONF_CONF_H
#define CONF_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum conf_vtype {
	CV_NUM,  /* 1.5 */
	CV_PCT,  /* 90% (num is 90) */
	CV_DUR,  /* 5m (num is seconds) */
	CV_STR,  /* "quoted" */
	CV_WORD, /* bare word */
};

struct conf_val {
	enum conf_vtype type;
	double num;
	char *str; /* the text of every value, NUL-terminated */
};

struct conf_node {
	char *key;
	struct conf_val *vals;
	size_t nvals;
	int is_block;
	struct conf_node *child;
	size_t nchild;
	const char *file; /* where it was read (owned by struct conf) */
	int line;
};

struct conf {
	struct conf_node root; /* its children are the top-level statements */
	char **files;          /* every file read, in order */
	size_t nfiles;
	char path[4096]; /* the main file, "" for built-in defaults */
	/* One check's thresholds from the command line (conf_override). */
	char ovr_name[64];
	double ovr_warn, ovr_crit; /* NAN: not given */
};

/* Every error of one load, each "file:line: message". */
struct conf_errs {
	char **msg;
	size_t n;
};

/* An empty configuration: every query answers its built-in default. */
void conf_init(struct conf *c);
void conf_release(struct conf *c);
/*
 * Reads path (and what it includes), checks it against the schema and
 * fills c.  When the file does not exist (or is in a directory this user
 * cannot search) and must_exist is 0, c is left with the defaults and 0 is
 * returned.  Returns 0, or -1 with every
 * problem in errs (syntax and schema alike; parsing goes on after an error).
 */
int conf_load(
    struct conf *c, const char *path, int must_exist, struct conf_errs *errs);
/* Parses text as if read from name (for tests and fuzzing). */
int conf_load_string(struct conf *c, const char *name, const char *text,
    size_t len, struct conf_errs *errs);
void conf_errs_release(struct conf_errs *errs);

/* Prints the normalised configuration: the file's statements after include
 * and macro expansion, then each known check with its effective values. */
void conf_dump(const struct conf *c, FILE *fp);

/*
 * The block "check NAME SUBJECT", falling back to "check NAME" without a
 * subject; NULL when neither is configured.  subject may be NULL.
 */
const struct conf_node *conf_check(
    const struct conf *c, const char *name, const char *subject);
/* The subjects that have their own "check NAME SUBJECT" block, in file order; returns how many, at most max. */
size_t conf_check_subjects(
    const struct conf *c, const char *name, const char **out, size_t max);
/* The first statement key inside blk (NULL blk: none). */
const struct conf_node *conf_find(const struct conf_node *blk, const char *key);
/* Typed reads of a statement's first value, with the default when absent. */
double conf_num(const struct conf_node *blk, const char *key, double dflt);
const char *conf_str(
    const struct conf_node *blk, const char *key, const char *dflt);
int conf_flag(const struct conf_node *blk, const char *key);
/* A global "set KEY VALUE"; dflt when absent. */
const char *conf_setting(
    const struct conf *c, const char *key, const char *dflt);
double conf_setting_num(const struct conf *c, const char *key, double dflt);
int conf_setting_bool(const struct conf *c, const char *key, int dflt);

/* What a threshold check needs; thresholds are NAN when not set. */
struct threshold {
	double warn;
	double crit;
	uint64_t for_secs; /* condition must hold this long (agent) */
	int enabled;
};

/*
 * The effective threshold of check NAME for SUBJECT: the built-in defaults
 * from the schema, overridden by "check NAME", overridden by
 * "check NAME SUBJECT".
 */
void conf_threshold(const struct conf *c, const char *name, const char *subject,
    struct threshold *t);
/*
 * Thresholds of check name that win over the file's for every subject
 * ("check NAME -w W -c C"); NAN leaves that one as configured.  0, or -1
 * when the name does not fit.
 */
int conf_override(struct conf *c, const char *name, double warn, double crit);

#endif
