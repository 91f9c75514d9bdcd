/*
 * mail_postfix.c - postfix log messages into mail events (see mail.h):
 * smtpd, postscreen, cleanup, qmgr, pickup, bounce, postsuper and the
 * delivery agents (smtp, lmtp, local, virtual, pipe, error, discard).
 */
#include <string.h>

#include "base/cur.h"
#include "base/mem.h"
#include "mail/mail_int.h"

static void
skip_seps(const char **cur, const char *end)
{
	while (*cur < end && (**cur == ' ' || **cur == ',' || **cur == ';'))
		(*cur)++;
}

/* The key of a "key=" field at *cur; 0 and *key, or -1 when none. */
static int
take_key(const char **cur, const char *end, struct mail_span *key)
{
	const char *p = *cur;

	while (p < end &&
	    ((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
		p++;
	if (p == *cur || p == end || *p != '=')
		return -1;
	*key = span_of(*cur, (size_t)(p - *cur));
	*cur = p + 1;
	return 0;
}

static enum mail_status
status_of(struct mail_span w)
{
	if (span_eq(w, "sent"))
		return MAIL_ST_SENT;
	if (span_eq(w, "deferred"))
		return MAIL_ST_DEFERRED;
	if (span_eq(w, "bounced"))
		return MAIL_ST_BOUNCED;
	if (span_eq(w, "expired"))
		return MAIL_ST_EXPIRED;
	if (w.n > 0)
		return MAIL_ST_PROBE; /* deliverable, undeliverable, ... */
	return MAIL_ST_NONE;
}

/*
 * "key=value, key=value" fields from *cur to end: from, to, orig_to,
 * relay, delay, dsn, size, nrcpt, status (with its "(reason)").
 */
static void
parse_fields(
    const char *cur, const char *end, const char *sep, struct mail_event *ev)
{
	struct mail_span key, val;
	const char *c;
	int br;

	while (cur < end) {
		skip_seps(&cur, end);
		if (take_key(&cur, end, &key) == -1) {
			/* Not a field: skip a word. */
			while (cur < end && *cur != ' ' && *cur != ',')
				cur++;
			continue;
		}
		if (span_eq(key, "status")) {
			c = cur;
			while (cur < end && *cur != ' ' && *cur != ',')
				cur++;
			ev->status = status_of(span_of(c, (size_t)(cur - c)));
			if (end - cur >= 2 && cur[0] == ' ' && cur[1] == '(') {
				c = cur + 2;
				cur = end;
				if (end > c && end[-1] == ')')
					ev->reason =
					    span_of(c, (size_t)(end - 1 - c));
				else
					ev->reason =
					    span_of(c, (size_t)(end - c));
			}
			continue;
		}
		mail_take_value(&cur, end, sep, &val, &br);
		/* Unbracketed values before a " " separator keep a ','. */
		if (!br && val.n > 0 && val.p[val.n - 1] == ',')
			val.n--;
		if (span_eq(key, "to"))
			ev->to = val;
		else if (span_eq(key, "from")) {
			ev->from = val;
			ev->has_from = 1;
			ev->null_from = val.n == 0;
		} else if (span_eq(key, "orig_to"))
			ev->orig_to = val;
		else if (span_eq(key, "relay"))
			ev->relay = val;
		else if (span_eq(key, "delay"))
			ev->delay = mail_num(val);
		else if (span_eq(key, "dsn"))
			ev->dsn = val;
		else if (span_eq(key, "size")) {
			c = val.p;
			if (cur_u64(&c, val.p + val.n, &ev->size) == 0)
				ev->has_size = 1;
		} else if (span_eq(key, "nrcpt")) {
			c = val.p;
			if (cur_u64(&c, val.p + val.n, &ev->nrcpt) == 0)
				ev->has_nrcpt = 1;
		} else if (span_eq(key, "sasl_username"))
			ev->sasl = val;
		else if (span_eq(key, "uid")) {
			c = val.p;
			if (cur_u64(&c, val.p + val.n, &ev->uid) == 0)
				ev->has_uid = 1;
		}
	}
}

/* The tail "; from=<..> to=<..> proto=.. helo=<..>" of a reject line. */
static const char *
find_tail(const char *p, const char *end)
{
	const char *t;

	if ((t = mail_rfind(p, (size_t)(end - p), "; from=<")) != NULL ||
	    (t = mail_rfind(p, (size_t)(end - p), "; to=<")) != NULL ||
	    (t = mail_rfind(p, (size_t)(end - p), "; proto=")) != NULL)
		return t;
	return NULL;
}

/*
 * "reject: RCPT from name[addr]: 554 5.7.1 <x>: Relay access denied;
 * from=<a> to=<b> proto=ESMTP helo=<h>" (smtpd, postscreen with [addr]:port
 * and ", " between the fields, cleanup with "header ... from name[addr];").
 */
static enum mail_kind
parse_reject(const char *cur, const char *end, struct mail_event *ev)
{
	const char *w, *tail, *pe, *from, *rb;
	size_t wl;
	int content;

	wl = cur_word(&cur, end, &w);
	if (wl < 2 || w[wl - 1] != ':')
		return ev->kind = MAIL_EV_OTHER;
	wl--;
	if (mem_eq(w, wl, "reject_warning"))
		ev->warn_only = 1;
	else if (!mem_eq(w, wl, "reject") && !mem_eq(w, wl, "milter-reject") &&
	    !mem_eq(w, wl, "proxy-reject"))
		return ev->kind = MAIL_EV_OTHER; /* discard, hold, filter... */
	ev->kind = MAIL_EV_REJECT;
	cur_spaces(&cur, end);
	wl = cur_word(&cur, end, &w);
	ev->cmd = span_of(w, wl);
	content = mem_eq(w, wl, "header") || mem_eq(w, wl, "body") ||
	    mem_eq(w, wl, "END-OF-MESSAGE") || mem_eq(w, wl, "DATA") ||
	    mem_eq(w, wl, "BDAT") || mem_eq(w, wl, "END-OF-MESSAGE:");
	tail = find_tail(cur, end);
	pe = tail ? tail : end;
	from = content ? mail_rfind(cur, (size_t)(pe - cur), " from ")
	               : mail_find(cur, (size_t)(pe - cur), " from ");
	if (from != NULL && !content && from != cur)
		from = NULL; /* smtpd: "RCPT from" exactly */
	if (from != NULL) {
		from += 6;
		rb = memchr(from, ']', (size_t)(pe - from));
		if (rb != NULL) {
			mail_client_split(from, (size_t)(rb + 1 - from),
			    &ev->client_name, &ev->client_addr);
			cur = rb + 1;
			if (cur < pe && *cur == ':') { /* postscreen's :port */
				const char *q = cur + 1;
				uint64_t port;

				if (cur_u64(&q, pe, &port) == 0)
					cur = q;
			}
			if (cur < pe && *cur == ':')
				cur++;
			cur_spaces(&cur, pe);
		}
	}
	if (content) {
		ev->reason = span_of(cur, (size_t)(end - cur));
		ev->rej = MAIL_REJ_CONTENT;
	} else {
		ev->reason = span_of(cur, (size_t)(pe - cur));
		ev->rej = mail_rej_classify(ev->reason.p, ev->reason.n);
	}
	if (tail != NULL) {
		struct mail_event kv;

		memset(&kv, 0, sizeof(kv));
		parse_fields(tail + 2, end, " ", &kv);
		if (kv.has_from)
			mail_set_from(ev, kv.from);
		ev->to = kv.to;
	}
	return ev->kind;
}

static enum mail_kind
parse_bounce(const char *cur, const char *end, struct mail_event *ev)
{
	static const char *const notes[] = {
	    "sender non-delivery notification: ",
	    "sender delivery status notification: ",
	    "sender delay notification: ",
	    "postmaster non-delivery notification: ",
	    "postmaster delay notification: ",
	    "postmaster delivery status notification: ",
	};

	for (size_t i = 0; i < countof(notes); i++) {
		size_t l = strlen(notes[i]);
		const char *w;
		size_t wl;

		if (!span_starts(cur, (size_t)(end - cur), notes[i]))
			continue;
		cur += l;
		wl = cur_word(&cur, end, &w);
		if (wl == 0)
			return ev->kind = MAIL_EV_OTHER;
		ev->newqid = span_of(w, wl);
		return ev->kind = MAIL_EV_BOUNCE;
	}
	return ev->kind = MAIL_EV_OTHER;
}

/* "client=name[addr], sasl_method=PLAIN, sasl_username=joe" */
static enum mail_kind
parse_client(const char *cur, const char *end, struct mail_event *ev)
{
	const char *c = mail_find(cur, (size_t)(end - cur), ", ");
	const char *ce = c ? c : end;

	if (mail_client_split(cur, (size_t)(ce - cur), &ev->client_name,
	        &ev->client_addr) == -1)
		return ev->kind = MAIL_EV_OTHER;
	if (c != NULL)
		parse_fields(c, end, ", ", ev);
	return ev->kind = MAIL_EV_CLIENT;
}

enum mail_kind
mail_parse_postfix(const char *comp, size_t complen, const char *msg,
    size_t msglen, struct mail_event *ev)
{
	const char *cur = msg, *end = msg + msglen, *p;
	size_t n;

	ev->mta = MAIL_MTA_POSTFIX;
	ev->kind = MAIL_EV_OTHER;
	if (cur_lit(&cur, end, "NOQUEUE: ") == 0)
		return parse_reject(cur, end, ev);
	if (mail_take_qid(&cur, end, &ev->qid) == -1) {
		n = (size_t)(end - cur);
		if (cur_lit(&cur, end, "connect from ") == 0) {
			if (mail_client_split(cur, (size_t)(end - cur),
			        &ev->client_name, &ev->client_addr) == 0)
				ev->kind = MAIL_EV_CONNECT;
			return ev->kind;
		}
		/* the client comes between "warning: " and ": SASL " */
		if (span_starts(cur, n, "warning: ") &&
		    (p = mail_find(cur + 9, n - 9, ": SASL ")) != NULL &&
		    mail_find(p, (size_t)(end - p), "authentication failed") !=
		        NULL) {
			cur += 9;
			if (mail_client_split(cur, (size_t)(p - cur),
			        &ev->client_name, &ev->client_addr) == 0)
				ev->kind = MAIL_EV_AUTH_FAIL;
			return ev->kind;
		}
		/* "warning: QID: ...": the message's, but no event. */
		if (cur_lit(&cur, end, "warning: ") == 0)
			(void)mail_take_qid(&cur, end, &ev->qid);
		return ev->kind;
	}
	n = (size_t)(end - cur);
	if (span_starts(cur, n, "to=")) {
		parse_fields(cur, end, ", ", ev);
		ev->to = mail_unbracket(ev->to);
		ev->orig_to = mail_unbracket(ev->orig_to);
		if (ev->to.n == 0 && ev->status == MAIL_ST_NONE)
			return ev->kind = MAIL_EV_OTHER;
		return ev->kind = MAIL_EV_DELIVERY;
	}
	if (span_starts(cur, n, "client="))
		return parse_client(cur + 7, end, ev);
	if (span_starts(cur, n, "from=")) {
		parse_fields(cur, end, ", ", ev);
		if (ev->has_from)
			mail_set_from(ev, ev->from);
		if (ev->status == MAIL_ST_EXPIRED)
			return ev->kind = MAIL_EV_EXPIRED;
		return ev->kind = MAIL_EV_QUEUED;
	}
	if (span_starts(cur, n, "uid=")) {
		parse_fields(cur, end, " ", ev);
		if (ev->has_from)
			mail_set_from(ev, ev->from);
		return ev->kind = ev->has_uid ? MAIL_EV_PICKUP : MAIL_EV_OTHER;
	}
	if (mem_eq(cur, n, "removed"))
		return ev->kind = MAIL_EV_DONE;
	if (mem_eq(comp, complen, "bounce"))
		return parse_bounce(cur, end, ev);
	if (span_starts(cur, n, "reject: ") ||
	    span_starts(cur, n, "reject_warning: ") ||
	    span_starts(cur, n, "milter-reject: ")) {
		parse_reject(cur, end, ev);
		if (ev->kind == MAIL_EV_REJECT)
			ev->to = mail_unbracket(ev->to);
		return ev->kind;
	}
	return ev->kind;
}
