/*
 * mail_int.h - what the mail parsers share: span and cursor helpers for
 * "key=value, key=value" fields, addresses in <>, and client names.
 * Not for other modules.
 */
#ifndef MAIL_MAIL_INT_H
#define MAIL_MAIL_INT_H

#include <string.h>

#include "mail/mail.h"

static inline struct mail_span
span_of(const char *p, size_t n)
{
	struct mail_span s = {p, n};
	return s;
}

/* 1 if [p, p+n) starts with the NUL-terminated lit. */
static inline int
span_starts(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(p, lit, l) == 0;
}

static inline int
span_eq(struct mail_span s, const char *lit)
{
	size_t l = strlen(lit);
	return s.n == l && memcmp(s.p, lit, l) == 0;
}

/* First occurrence of lit in [p, p+n), or NULL. */
const char *mail_find(const char *p, size_t n, const char *lit);
/* Last occurrence of lit in [p, p+n), or NULL. */
const char *mail_rfind(const char *p, size_t n, const char *lit);

/*
 * A postfix/sendmail/qmail queue id at *cur followed by ": ": letters and
 * digits, 5 to 32 of them, at least one a digit (so "warning:" is not
 * one).  Moves *cur past ": " and sets *qid; 0 or -1.
 */
int mail_take_qid(const char **cur, const char *end, struct mail_span *qid);

/*
 * The value of a key=value field at *cur: "<...>" kept whole (the brackets
 * stripped into *val, *bracketed set), else up to sep (", " or " ") or end.
 * Moves *cur past the value.
 */
void mail_take_value(const char **cur, const char *end, const char *sep,
    struct mail_span *val, int *bracketed);

/*
 * Splits "name[addr]" or "name[addr]:port" or "[addr]:port" at [p, p+n)
 * into name and addr.  0, or -1 when there is no [addr].
 */
int mail_client_split(
    const char *p, size_t n, struct mail_span *name, struct mail_span *addr);

/* Parses a decimal "12", "0.52" into seconds; -1 when not a number. */
double mail_num(struct mail_span s);

/* Strips <> around an address and sets has/null flags for from=. */
void mail_set_from(struct mail_event *ev, struct mail_span v);
/* Strips one pair of surrounding <>. */
struct mail_span mail_unbracket(struct mail_span v);

#endif
