/*
 * mail_sendmail.c - sendmail (sm-mta) log messages into mail events (see
 * mail.h): from= and to= lines, ruleset rejections (Relaying denied),
 * "<x>... User unknown", SASL AUTH lines and DSNs (bounces).
 */
#include <string.h>

#include "base/cur.h"
#include "mail/mail_int.h"

/* 1 if [p, end) starts with "key=" (lowercase letters, digits, '_'). */
static int
at_key(const char *p, const char *end)
{
	const char *q = p;

	while (q < end &&
	    ((*q >= 'a' && *q <= 'z') || *q == '_' ||
	        (*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'Z')))
		q++;
	return q > p && q < end && *q == '=';
}

/*
 * The next field "key=value": the value ends at ", " before another
 * "key=" (so "to=a,b" and "reject=550 ... <x>, y" stay whole) or at end.
 */
static int
next_field(const char **cur, const char *end, struct mail_span *key,
    struct mail_span *val)
{
	const char *p = *cur, *eq, *v;

	while (p < end && (*p == ' ' || *p == ','))
		p++;
	if (!at_key(p, end))
		return -1;
	eq = memchr(p, '=', (size_t)(end - p));
	*key = span_of(p, (size_t)(eq - p));
	v = eq + 1;
	for (p = v; p < end; p++)
		if (p[0] == ',' && end - p > 2 && p[1] == ' ' &&
		    at_key(p + 2, end))
			break;
	*val = span_of(v, (size_t)(p - v));
	*cur = p;
	return 0;
}

/* "00:00:01" or "2+03:04:05" into seconds; -1 if neither. */
static double
sm_delay(struct mail_span v)
{
	const char *c = v.p, *end = v.p + v.n;
	uint64_t d = 0, h, m, s;

	if (memchr(v.p, '+', v.n) != NULL &&
	    (cur_u64(&c, end, &d) == -1 || cur_char(&c, end, '+') == -1))
		return -1;
	if (cur_u64(&c, end, &h) == -1 || cur_char(&c, end, ':') == -1 ||
	    cur_u64(&c, end, &m) == -1 || cur_char(&c, end, ':') == -1 ||
	    cur_u64(&c, end, &s) == -1)
		return -1;
	/* in double: absurd values stay absurd instead of wrapping */
	return (double)d * 86400 + (double)h * 3600 + (double)m * 60 +
	    (double)s;
}

/* relay=name [addr] (may be forged) or relay=[addr] or relay=user@localhost */
static void
sm_client(struct mail_span v, struct mail_event *ev)
{
	struct mail_span name, addr;
	const char *at;

	if (v.n == 0)
		return;
	if (mail_client_split(v.p, v.n, &name, &addr) == 0) {
		while (name.n > 0 && name.p[name.n - 1] == ' ')
			name.n--;
		ev->client_name = name;
		ev->client_addr = addr;
		return;
	}
	at = memchr(v.p, '@', v.n);
	if (at != NULL && at > v.p)
		ev->user = span_of(v.p, (size_t)(at - v.p));
}

static enum mail_status
sm_status(struct mail_span dsn, struct mail_span stat)
{
	if (dsn.n > 0 && dsn.p[0] == '2')
		return MAIL_ST_SENT;
	if (dsn.n > 0 && dsn.p[0] == '4')
		return MAIL_ST_DEFERRED;
	if (dsn.n > 0 && dsn.p[0] == '5')
		return MAIL_ST_BOUNCED;
	if (span_starts(stat.p, stat.n, "Sent"))
		return MAIL_ST_SENT;
	if (span_starts(stat.p, stat.n, "Deferred"))
		return MAIL_ST_DEFERRED;
	return MAIL_ST_BOUNCED;
}

static enum mail_kind
sm_fields(const char *cur, const char *end, struct mail_event *ev)
{
	struct mail_span key, val, stat = {NULL, 0}, ruleset = {NULL, 0};
	struct mail_span arg1 = {NULL, 0}, reject = {NULL, 0};
	struct mail_span mailer = {NULL, 0};
	int is_from = 0, is_to = 0, is_auth = 0;
	const char *c;

	while (next_field(&cur, end, &key, &val) == 0) {
		if (span_eq(key, "from")) {
			is_from = 1;
			mail_set_from(ev, val);
		} else if (span_eq(key, "to")) {
			is_to = 1;
			ev->to = val;
		} else if (span_eq(key, "size")) {
			c = val.p;
			if (cur_u64(&c, val.p + val.n, &ev->size) == 0)
				ev->has_size = 1;
		} else if (span_eq(key, "nrcpts")) {
			c = val.p;
			if (cur_u64(&c, val.p + val.n, &ev->nrcpt) == 0)
				ev->has_nrcpt = 1;
		} else if (span_eq(key, "relay")) {
			ev->relay = val;
		} else if (span_eq(key, "mailer")) {
			mailer = val;
		} else if (span_eq(key, "ctladdr")) {
			/* <joe> (1000/1000) */
			const char *lp = memchr(val.p, '(', val.n);
			struct mail_span a = val;

			if (lp != NULL) {
				c = lp + 1;
				if (cur_u64(&c, val.p + val.n, &ev->uid) == 0)
					ev->has_uid = 1;
				a.n = (size_t)(lp - val.p);
				while (a.n > 0 && a.p[a.n - 1] == ' ')
					a.n--;
			}
			a = mail_unbracket(a);
			c = memchr(a.p, '@', a.n);
			ev->user = c ? span_of(a.p, (size_t)(c - a.p)) : a;
		} else if (span_eq(key, "delay")) {
			ev->delay = sm_delay(val);
		} else if (span_eq(key, "dsn")) {
			ev->dsn = val;
		} else if (span_eq(key, "stat")) {
			stat = val;
		} else if (span_eq(key, "ruleset")) {
			ruleset = val;
		} else if (span_eq(key, "arg1")) {
			arg1 = val;
		} else if (span_eq(key, "reject")) {
			reject = val;
		} else if (span_eq(key, "AUTH")) {
			is_auth = 1;
		} else if (span_eq(key, "authid")) {
			ev->sasl = val;
		}
	}
	if (reject.n > 0) {
		ev->kind = MAIL_EV_REJECT;
		ev->cmd = ruleset;
		ev->reason = reject;
		ev->rej = mail_rej_classify(reject.p, reject.n);
		sm_client(ev->relay, ev);
		ev->relay = span_of(NULL, 0);
		if (span_eq(ruleset, "check_mail"))
			mail_set_from(ev, arg1);
		else if (span_eq(ruleset, "check_rcpt"))
			ev->to = mail_unbracket(arg1);
		return ev->kind;
	}
	if (is_to) {
		ev->status = sm_status(ev->dsn, stat);
		if (ev->relay.n == 0)
			ev->relay = mailer; /* local, prog: delivered here */
		ev->reason = stat;
		return ev->kind = MAIL_EV_DELIVERY;
	}
	if (is_from) {
		sm_client(ev->relay, ev);
		ev->relay = span_of(NULL, 0);
		return ev->kind = MAIL_EV_QUEUED;
	}
	if (is_auth && ev->sasl.n > 0) {
		sm_client(ev->relay, ev);
		ev->relay = span_of(NULL, 0);
		return ev->kind = MAIL_EV_CLIENT;
	}
	return ev->kind = MAIL_EV_OTHER;
}

enum mail_kind
mail_parse_sendmail(const char *msg, size_t msglen, struct mail_event *ev)
{
	const char *cur = msg, *end = msg + msglen, *dots, *rel;
	struct mail_span q2;
	size_t n;

	ev->mta = MAIL_MTA_SENDMAIL;
	ev->kind = MAIL_EV_OTHER;
	(void)mail_take_qid(&cur, end, &ev->qid);
	n = (size_t)(end - cur);
	if (span_starts(cur, n, "AUTH failure")) {
		rel = mail_find(cur, n, "relay=");
		if (rel != NULL) {
			sm_client(
			    span_of(rel + 6, (size_t)(end - rel - 6)), ev);
			if (ev->client_addr.n > 0)
				ev->kind = MAIL_EV_AUTH_FAIL;
		}
		return ev->kind;
	}
	/* "<x@y>... User unknown": a recipient refused during the session. */
	if (n > 0 && *cur == '<' &&
	    (dots = mail_find(cur, n, ">... ")) != NULL) {
		ev->kind = MAIL_EV_REJECT;
		ev->cmd = span_of("RCPT", 4);
		ev->to = span_of(cur + 1, (size_t)(dots - cur - 1));
		ev->reason = span_of(dots + 5, (size_t)(end - dots - 5));
		ev->rej = mail_rej_classify(ev->reason.p, ev->reason.n);
		return ev->kind;
	}
	/* "QID2: DSN: ...", "QID2: return to sender: ...": our bounce. */
	if (ev->qid.n > 0 && mail_take_qid(&cur, end, &q2) == 0) {
		n = (size_t)(end - cur);
		if (span_starts(cur, n, "DSN: ") ||
		    span_starts(cur, n, "return to sender: ") ||
		    span_starts(cur, n, "postmaster notify: ") ||
		    span_starts(cur, n, "sender notify: ")) {
			ev->newqid = q2;
			ev->reason = span_of(cur, n);
			return ev->kind = MAIL_EV_BOUNCE;
		}
		return ev->kind;
	}
	if (at_key(cur, end))
		return sm_fields(cur, end, ev);
	return ev->kind;
}
