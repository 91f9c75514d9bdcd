/*
 * mail_exim.c - exim main-log messages into mail events (see mail.h):
 * arrivals (<=), deliveries (=>, ->), failures (**), deferrals (==),
 * Completed, rejections (rejected RCPT/MAIL/after DATA) and failed SMTP
 * authentication.
 */
#include <string.h>

#include "base/cur.h"
#include "base/timeutil.h"
#include "mail/mail_int.h"

static int
is_b62(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* An exim message id "1rXyzA-000abc-12" (or 6-11-4) and a space. */
static int
take_exim_id(const char **cur, const char *end, struct mail_span *id)
{
	const char *p = *cur;
	size_t part[3];

	for (int i = 0; i < 3; i++) {
		const char *s = p;

		while (p < end && is_b62(*p))
			p++;
		part[i] = (size_t)(p - s);
		if (i < 2) {
			if (p == end || *p != '-')
				return -1;
			p++;
		}
	}
	if (part[0] != 6 || part[1] < 6 || part[1] > 11 || part[2] < 2 ||
	    part[2] > 4 || p == end || *p != ' ')
		return -1;
	*id = span_of(*cur, (size_t)(p - *cur));
	*cur = p + 1;
	return 0;
}

/* 1 if [p, end) starts with "Key=" (letters and digits). */
static int
at_key(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && is_b62(*q))
		q++;
	return q > p && q < end && *q == '=';
}

/*
 * The next "K=value" token from *cur: a quoted value ends at its closing
 * quote; others run to the next " K=" (H= holds spaces: "name (helo)
 * [addr]:port").  Words that are not K= are skipped.
 */
static int
next_tok(const char **cur, const char *end, struct mail_span *key,
    struct mail_span *val)
{
	const char *p = *cur, *eq, *v;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return -1;
		if (at_key(p, end))
			break;
		while (p < end && *p != ' ')
			p++;
	}
	eq = memchr(p, '=', (size_t)(end - p));
	*key = span_of(p, (size_t)(eq - p));
	v = eq + 1;
	if (v < end && *v == '"') {
		for (p = v + 1; p < end; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				break;
		}
		if (p < end)
			p++;
	} else {
		for (p = v; p < end; p++)
			if (*p == ' ' && at_key(p + 1, end))
				break;
	}
	*val = span_of(v, (size_t)(p - v));
	*cur = p;
	return 0;
}

/* "name (helo) [addr]:port" -> client name and addr (helo may hold []). */
static void
exim_host(struct mail_span v, struct mail_event *ev)
{
	const char *p = v.p, *end = v.p + v.n, *s;
	int depth = 0;

	if (p < end && *p != '(' && *p != '[') {
		s = p;
		while (p < end && *p != ' ')
			p++;
		ev->client_name = span_of(s, (size_t)(p - s));
	}
	for (; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (*p == '[' && depth == 0) {
			s = p + 1;
			while (p < end && *p != ']')
				p++;
			if (p < end && p > s)
				ev->client_addr = span_of(s, (size_t)(p - s));
			return;
		}
	}
}

static void
exim_fields(const char *cur, const char *end, struct mail_event *ev)
{
	struct mail_span k, v;
	const char *c;

	while (next_tok(&cur, end, &k, &v) == 0) {
		if (span_eq(k, "H") && ev->kind == MAIL_EV_DELIVERY)
			ev->relay = v; /* where it went */
		else if (span_eq(k, "H"))
			exim_host(v, ev);
		else if (span_eq(k, "S")) {
			c = v.p;
			if (cur_u64(&c, v.p + v.n, &ev->size) == 0)
				ev->has_size = 1;
		} else if (span_eq(k, "A")) {
			/* authenticator:login */
			c = memchr(v.p, ':', v.n);
			if (c != NULL)
				ev->sasl =
				    span_of(c + 1, (size_t)(v.p + v.n - c - 1));
		} else if (span_eq(k, "U"))
			ev->user = v;
		else if (span_eq(k, "R") && ev->kind != MAIL_EV_DELIVERY)
			ev->bounce_of = v; /* "<= <> R=id": bounce of id */
		else if (span_eq(k, "T") && ev->kind == MAIL_EV_DELIVERY &&
		    ev->relay.n == 0)
			ev->relay = v; /* transport, until an H= */
		else if (span_eq(k, "F"))
			mail_set_from(ev, v);
		else if (span_eq(k, "QT") || span_eq(k, "DT")) {
			uint64_t secs;

			if (dur_parse(v.p, v.n, &secs) == 0)
				ev->delay = (double)secs;
		}
	}
}

static enum mail_kind
exim_reject(
    const char *msg, const char *end, const char *rj, struct mail_event *ev)
{
	const char *p = rj + 10, *colon; /* " rejected " */
	const char *w;
	size_t wl;

	ev->kind = MAIL_EV_REJECT;
	exim_fields(msg, rj, ev);
	ev->bounce_of = span_of(NULL, 0);
	wl = cur_word(&p, end, &w);
	ev->cmd = span_of(w, wl);
	if (mem_eq(w, wl, "RCPT")) {
		cur_spaces(&p, end);
		colon = mail_find(p, (size_t)(end - p), ": ");
		if (colon != NULL) {
			ev->to =
			    mail_unbracket(span_of(p, (size_t)(colon - p)));
			p = colon + 2;
		}
	} else if (mem_eq(w, wl, "after") || mem_eq(w, wl, "by"))
		ev->rej = MAIL_REJ_CONTENT;
	ev->reason = span_of(p, (size_t)(end - p));
	if (ev->rej != MAIL_REJ_CONTENT)
		ev->rej = mail_rej_classify(p, (size_t)(end - p));
	return ev->kind;
}

enum mail_kind
mail_parse_exim(const char *msg, size_t msglen, struct mail_event *ev)
{
	const char *cur = msg, *end = msg + msglen, *w, *p, *rj;
	size_t wl, n;

	ev->mta = MAIL_MTA_EXIM;
	ev->kind = MAIL_EV_OTHER;
	/* exim via syslog may repeat the time stamp and the [pid]. */
	if (end - cur > 20 && cur[4] == '-' && cur[7] == '-' && cur[10] == ' ')
		cur += 20;
	if (cur < end && *cur == '[' &&
	    (p = memchr(cur, ']', (size_t)(end - cur))))
		cur = p + 1;
	cur_spaces(&cur, end);
	n = (size_t)(end - cur);
	if ((p = mail_find(cur, n, "authenticator failed for ")) != NULL) {
		exim_host(span_of(p + 25, (size_t)(end - p - 25)), ev);
		if ((p = mail_find(cur, n, "(set_id=")) != NULL) {
			const char *e = memchr(p, ')', (size_t)(end - p));

			if (e != NULL)
				ev->sasl = span_of(p + 8, (size_t)(e - p - 8));
		}
		if (ev->client_addr.n > 0)
			ev->kind = MAIL_EV_AUTH_FAIL;
		return ev->kind;
	}
	(void)take_exim_id(&cur, end, &ev->qid);
	n = (size_t)(end - cur);
	if ((rj = mail_find(cur, n, " rejected ")) != NULL &&
	    mail_find(cur, (size_t)(rj - cur), "H=") != NULL)
		return exim_reject(cur, end, rj, ev);
	if (ev->qid.n == 0)
		return ev->kind;
	if (mem_eq(cur, n, "Completed"))
		return ev->kind = MAIL_EV_DONE;
	wl = cur_word(&cur, end, &w);
	if (wl != 2)
		return ev->kind;
	cur_spaces(&cur, end);
	if (memcmp(w, "<=", 2) == 0) {
		wl = cur_word(&cur, end, &p);
		mail_set_from(ev, span_of(p, wl));
		ev->kind = MAIL_EV_QUEUED;
		exim_fields(cur, end, ev);
		if (!ev->null_from)
			ev->bounce_of = span_of(NULL, 0);
		return ev->kind;
	}
	if (memcmp(w, "=>", 2) == 0 || memcmp(w, "->", 2) == 0 ||
	    memcmp(w, "**", 2) == 0 || memcmp(w, "==", 2) == 0) {
		ev->kind = MAIL_EV_DELIVERY;
		ev->status = w[0] == '*'         ? MAIL_ST_BOUNCED
		    : w[0] == '=' && w[1] == '=' ? MAIL_ST_DEFERRED
		                                 : MAIL_ST_SENT;
		wl = cur_word(&cur, end, &p);
		if (wl > 0 && p[wl - 1] == ':')
			wl--;
		ev->to = mail_unbracket(span_of(p, wl));
		cur_spaces(&cur, end);
		if (cur < end && *cur == '<') {
			wl = cur_word(&cur, end, &p);
			ev->orig_to = mail_unbracket(span_of(p, wl));
		}
		exim_fields(cur, end, ev);
		p = mail_find(cur, (size_t)(end - cur), ": ");
		if (ev->status != MAIL_ST_SENT && p != NULL)
			ev->reason = span_of(p + 2, (size_t)(end - p - 2));
		return ev->kind;
	}
	return ev->kind;
}
