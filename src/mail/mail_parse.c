/*
 * mail_parse.c - dispatch of a mail log message to its MTA's parser, the
 * helpers the parsers share (mail_int.h), and names of the enums.
 */
#include <string.h>

#include "base/cur.h"
#include "base/mem.h"
#include "mail/mail_int.h"

const char *
mail_find(const char *p, size_t n, const char *lit)
{
	if (n == 0)
		return NULL;
	return memmem(p, n, lit, strlen(lit));
}

const char *
mail_rfind(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (l == 0 || n < l)
		return NULL;
	for (size_t i = n - l + 1; i-- > 0;)
		if (p[i] == lit[0] && memcmp(p + i, lit, l) == 0)
			return p + i;
	return NULL;
}

static int
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

int
mail_take_qid(const char **cur, const char *end, struct mail_span *qid)
{
	const char *p = *cur;
	int digit = 0;

	while (p < end && is_alnum(*p)) {
		if (*p >= '0' && *p <= '9')
			digit = 1;
		p++;
	}
	if (p - *cur < 5 || p - *cur > 32 || !digit)
		return -1;
	if (end - p < 2 || p[0] != ':' || p[1] != ' ')
		return -1;
	*qid = span_of(*cur, (size_t)(p - *cur));
	*cur = p + 2;
	return 0;
}

void
mail_take_value(const char **cur, const char *end, const char *sep,
    struct mail_span *val, int *bracketed)
{
	const char *p = *cur, *e;
	size_t seplen = strlen(sep);

	*bracketed = 0;
	if (p < end && *p == '<') {
		/* The address may hold the separator: look for "> sep" or ">" at end. */
		for (e = p + 1; e < end; e++) {
			if (*e != '>')
				continue;
			if (e + 1 == end ||
			    ((size_t)(end - e - 1) >= seplen &&
			        memcmp(e + 1, sep, seplen) == 0) ||
			    e[1] == ' ' || e[1] == ',' || e[1] == ';')
				break;
		}
		if (e < end) {
			*val = span_of(p + 1, (size_t)(e - p - 1));
			*bracketed = 1;
			*cur = e + 1;
			return;
		}
	}
	e = mail_find(p, (size_t)(end - p), sep);
	if (e == NULL)
		e = end;
	*val = span_of(p, (size_t)(e - p));
	*cur = e;
}

int
mail_client_split(
    const char *p, size_t n, struct mail_span *name, struct mail_span *addr)
{
	const char *lb = n > 0 ? memchr(p, '[', n) : NULL, *rb;

	if (lb == NULL)
		return -1;
	rb = memchr(lb, ']', (size_t)(p + n - lb));
	if (rb == NULL || rb == lb + 1)
		return -1;
	*name = span_of(p, (size_t)(lb - p));
	*addr = span_of(lb + 1, (size_t)(rb - lb - 1));
	return 0;
}

double
mail_num(struct mail_span s)
{
	const char *c = s.p;
	double d;

	if (s.n == 0 || cur_dec(&c, s.p + s.n, &d) == -1)
		return -1;
	return d;
}

struct mail_span
mail_unbracket(struct mail_span v)
{
	if (v.n >= 2 && v.p[0] == '<' && v.p[v.n - 1] == '>')
		return span_of(v.p + 1, v.n - 2);
	return v;
}

void
mail_set_from(struct mail_event *ev, struct mail_span v)
{
	ev->from = mail_unbracket(v);
	ev->has_from = 1;
	ev->null_from = ev->from.n == 0;
}

static const struct {
	const char *text;
	enum mail_rej rej;
} rej_texts[] = {
    {"Relay access denied", MAIL_REJ_RELAY},
    {"Relaying denied", MAIL_REJ_RELAY},
    {"relay not permitted", MAIL_REJ_RELAY},
    {"User unknown", MAIL_REJ_UNKNOWN_USER},
    {"user unknown", MAIL_REJ_UNKNOWN_USER},
    {"Unknown user", MAIL_REJ_UNKNOWN_USER},
    {"unknown user", MAIL_REJ_UNKNOWN_USER},
    {"undeliverable address", MAIL_REJ_UNKNOWN_USER},
    {"blocked using", MAIL_REJ_RBL},
    {"in a black list", MAIL_REJ_RBL},
    {"found in dnsbl", MAIL_REJ_RBL},
    {"listed at", MAIL_REJ_RBL},
    {"Sender address rejected", MAIL_REJ_SENDER},
    {"Domain of sender address", MAIL_REJ_SENDER},
    {"Sender verify failed", MAIL_REJ_SENDER},
    {"Helo command rejected", MAIL_REJ_HELO},
    {"Client host rejected", MAIL_REJ_CLIENT},
};

enum mail_rej
mail_rej_classify(const char *s, size_t n)
{
	/* Earlier entries win: "Recipient address rejected: User unknown"
	 * is unknown-user, "Relay access denied" on a recipient is relay. */
	for (size_t i = 0; i < countof(rej_texts); i++)
		if (mail_find(s, n, rej_texts[i].text) != NULL)
			return rej_texts[i].rej;
	return MAIL_REJ_OTHER;
}

const char *
mail_rej_name(enum mail_rej r)
{
	static const char *names[] = {"other", "relay", "unknown-user", "rbl",
	    "sender", "helo", "client", "content"};

	return (unsigned)r < MAIL_REJ_NREJ ? names[r] : "other";
}

const char *
mail_status_name(enum mail_status s)
{
	switch (s) {
	case MAIL_ST_SENT:
		return "sent";
	case MAIL_ST_DEFERRED:
		return "deferred";
	case MAIL_ST_BOUNCED:
		return "bounced";
	case MAIL_ST_EXPIRED:
		return "expired";
	case MAIL_ST_PROBE:
		return "probe";
	default:
		return "";
	}
}

const char *
mail_mta_name(enum mail_mta m)
{
	switch (m) {
	case MAIL_MTA_POSTFIX:
		return "postfix";
	case MAIL_MTA_SENDMAIL:
		return "sendmail";
	case MAIL_MTA_EXIM:
		return "exim";
	case MAIL_MTA_QMAIL:
		return "qmail";
	default:
		return "";
	}
}

enum mail_kind
mail_parse(const char *tag, size_t taglen, const char *msg, size_t msglen,
    struct mail_event *ev)
{
	const char *slash;

	memset(ev, 0, sizeof(*ev));
	ev->delay = -1;
	if (span_starts(tag, taglen, "postfix")) {
		/* postfix/smtpd, postfix-in/submission/smtpd: the last part. */
		slash = mail_rfind(tag, taglen, "/");
		if (slash == NULL)
			return ev->kind = MAIL_EV_NONE;
		return mail_parse_postfix(slash + 1,
		    (size_t)(tag + taglen - slash - 1), msg, msglen, ev);
	}
	if (mem_eq(tag, taglen, "sendmail") || mem_eq(tag, taglen, "sm-mta") ||
	    span_starts(tag, taglen, "sm-msp"))
		return mail_parse_sendmail(msg, msglen, ev);
	if (mem_eq(tag, taglen, "exim") || mem_eq(tag, taglen, "exim4"))
		return mail_parse_exim(msg, msglen, ev);
	if (span_starts(tag, taglen, "qmail"))
		return mail_parse_qmail(msg, msglen, ev);
	return ev->kind = MAIL_EV_NONE;
}
