/*
 * expo.h - the Prometheus exposition formats: the text format 0.0.4 and
 * OpenMetrics 1.0, written from metric families and samples.  Pure: text
 * in a strbuf, no I/O.
 *
 * A family is named in full as its samples are: a counter ends in
 * "_total" and an info metric in "_info" (OpenMetrics names the family
 * without them, 0.0.4 writes an info metric as a gauge).  Label values
 * are escaped as both formats want (backslash, double quote, newline),
 * and bytes that are control characters or invalid UTF-8 are written as
 * the text \xNN, so any process or file name gives a valid exposition.
 */
#ifndef AGENT_EXPO_H
#define AGENT_EXPO_H

#include <stddef.h>

struct strbuf;

enum expo_fmt {
	EXPO_TEXT,        /* text/plain; version=0.0.4 */
	EXPO_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
};

enum expo_type {
	EXPO_GAUGE,
	EXPO_COUNTER, /* name ends in _total */
	EXPO_INFO,    /* name ends in _info, value 1 */
};

struct expo {
	struct strbuf *out;
	enum expo_fmt fmt;
};

struct expo_label {
	const char *name; /* [a-zA-Z_][a-zA-Z0-9_]*, the program's */
	const char *val;  /* any bytes (NULL: "") */
	size_t len;       /* of val; EXPO_STR: up to its NUL */
};
#define EXPO_STR ((size_t)-1)

/* The Content-Type of fmt. */
const char *expo_content_type(enum expo_fmt fmt);

/*
 * The format an Accept header (len bytes, NULL: none) asks for:
 * OpenMetrics when it lists application/openmetrics-text with a
 * q-value above 0 and at least that of every text/plain it lists.
 */
enum expo_fmt expo_negotiate(const char *accept, size_t len);

/* HELP and TYPE lines of a family (help: plain text, escaped here). */
void expo_family(
    struct expo *e, const char *name, enum expo_type type, const char *help);
/* One sample of the family last begun: name{labels} value. */
void expo_sample(struct expo *e, const char *name, const struct expo_label *l,
    size_t nl, double v);
/* The end of the exposition (OpenMetrics: "# EOF"). */
void expo_end(struct expo *e);

/* Appends the escaped form of a label value (without the quotes). */
void expo_label_value(struct strbuf *out, const char *s, size_t n);

#endif
