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
	SK_NUM,  /* a number or percentage */
	SK_DUR,  /* a duration (a bare number is seconds) */
	SK_STR,  /* a string or word */
	SK_FLAG, /* no value */
	SK_BOOL, /* yes/no, on/off, true/false */
	SK_LIST, /* one or more strings */
};

struct schema_key {
	const char *name;
	enum schema_kind kind;
};

struct schema_check {
	const char *name;
	const char *help;  /* one line, for conf_dump */
	int subject;       /* 0: takes no subject, 1: may take one */
	double warn, crit; /* built-in thresholds (NAN: none) */
	const struct schema_key *keys; /* extra keys; NULL-terminated */
};

struct schema_setting {
	const char *name;
	enum schema_kind kind;
	const char *help;
};

extern const struct schema_check schema_checks[];
extern const size_t schema_nchecks;
extern const struct schema_setting schema_settings[];
extern const size_t schema_nsettings;

const struct schema_check *schema_check_find(const char *name);
const struct schema_setting *schema_setting_find(const char *name);

#endif
