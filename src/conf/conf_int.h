/*
 * conf_int.h - what the configuration's own files share: the parser's
 * entry point, value classification and the schema.  Not for other modules.
 */
#ifndef CONF_CONF_INT_H
#define CONF_CONF_INT_H

#include "conf/conf.h"

/* Parses path (text NULL) or text into c->root; errors into errs. */
int conf_parse(struct conf *c, const char *path, const char *text, size_t len,
    struct conf_errs *errs);
/* A value from its text (taken over); quoted text is always CV_STR. */
struct conf_val conf_val_classify(char *text, int quoted);

enum schema_kind {
	SK_NUM,      /* a number or percentage, min..max */
	SK_INT,      /* a whole number, min..max */
	SK_PCT,      /* a percentage, 0..100 ("90" or "90%") */
	SK_DUR,      /* a duration (a bare number is seconds) */
	SK_STR,      /* a string or word */
	SK_ENUM,     /* one of choices */
	SK_FLAG,     /* no value */
	SK_BOOL,     /* yes/no, on/off, true/false */
	SK_LIST,     /* one or more strings */
	SK_PREFIXES, /* one or more addresses or prefixes, ADDR[/LEN] */
	SK_PORTS,    /* one or more port numbers, 1..65535 */
	SK_CLOCK,    /* a time of day, HH:MM (00:00..23:59) */
};

/*
 * What a value may be: its kind, the range of SK_NUM and SK_INT (min ==
 * max: any value that is not negative), the words of SK_ENUM.
 */
struct schema_key {
	const char *name;
	enum schema_kind kind;
	double min, max;
	const char *const *choices; /* NULL-terminated */
};

/* How the thresholds of a check read. */
enum schema_unit {
	SU_HIGHER,    /* a count or rate: higher is worse */
	SU_PCT,       /* a percentage: higher is worse, 0..100 */
	SU_LOWER,     /* lower is worse (days left) */
	SU_LOWER_PCT, /* lower is worse, a percentage (memory available) */
};

struct schema_check {
	const char *name;
	const char *help;  /* one line, for conf_dump */
	int subject;       /* 0: takes no subject, 1: may take one, 2: a port */
	double warn, crit; /* built-in thresholds (NAN: none) */
	const struct schema_key *keys; /* extra keys; NULL-terminated */
	enum schema_unit unit;
};

struct schema_setting {
	const char *name;
	enum schema_kind kind;
	const char *help;
	double min, max;
	const char *const *choices; /* NULL-terminated */
};

/*
 * An action on alert events: "alert TYPE [NAME] { ... }".  Every type
 * takes the keys of schema_alert_common besides its own.
 */
struct schema_alert {
	const char *type; /* "mail", "exec", "journal" */
	const char *help;
	const struct schema_key *keys; /* NULL-terminated */
};

extern const struct schema_alert schema_alerts[];
extern const size_t schema_nalerts;
extern const struct schema_key schema_alert_common[];
extern const char *const schema_alert_events[]; /* NULL-terminated */

/* A top-level block other than check and set: "logs { ... }". */
struct schema_block {
	const char *name;
	const char *help;
	const struct schema_key *keys; /* NULL-terminated */
	/* What the kinds cannot say of a statement: 0, or -1 with why. */
	int (*check)(const struct conf_node *n, char *why, size_t whysz);
};

extern const struct schema_check schema_checks[];
extern const size_t schema_nchecks;
extern const struct schema_setting schema_settings[];
extern const size_t schema_nsettings;

const struct schema_check *schema_check_find(const char *name);
const struct schema_setting *schema_setting_find(const char *name);
const struct schema_alert *schema_alert_find(const char *type);
const struct schema_block *schema_block_find(const char *name);

#endif
