/*
 * mail_qmail.c - qmail-send log messages into mail events (see mail.h):
 * "new msg N", "info msg N: bytes B from <a> qp Q uid U", "starting
 * delivery D: msg N to remote a@b", "delivery D: success: ...", "end msg
 * N", "bounce msg N qp Q".  Deliveries name their message only by the
 * delivery number; the joiner ties them together.
 */
#include <string.h>

#include "base/cur.h"
#include "mail/mail_int.h"

/* A decimal number as a span (qmail queue ids are inode numbers). */
static int
take_num(const char **cur, const char *end, struct mail_span *s, uint64_t *v)
{
	const char *p = *cur;
	uint64_t x;

	if (cur_u64(cur, end, &x) == -1)
		return -1;
	if (s != NULL)
		*s = span_of(p, (size_t)(*cur - p));
	if (v != NULL)
		*v = x;
	return 0;
}

enum mail_kind
mail_parse_qmail(const char *msg, size_t msglen, struct mail_event *ev)
{
	const char *cur = msg, *end = msg + msglen, *w;
	size_t wl;

	ev->mta = MAIL_MTA_QMAIL;
	ev->kind = MAIL_EV_OTHER;
	if (cur_lit(&cur, end, "new msg ") == 0) {
		if (take_num(&cur, end, &ev->qid, NULL) == 0)
			ev->kind = MAIL_EV_NEW;
		return ev->kind;
	}
	if (cur_lit(&cur, end, "end msg ") == 0) {
		if (take_num(&cur, end, &ev->qid, NULL) == 0)
			ev->kind = MAIL_EV_DONE;
		return ev->kind;
	}
	if (cur_lit(&cur, end, "bounce msg ") == 0) {
		if (take_num(&cur, end, &ev->qid, NULL) == 0 &&
		    cur_lit(&cur, end, " qp ") == 0 &&
		    take_num(&cur, end, NULL, &ev->qp) == 0)
			ev->kind = MAIL_EV_BOUNCE;
		return ev->kind;
	}
	if (cur_lit(&cur, end, "info msg ") == 0) {
		if (take_num(&cur, end, &ev->qid, NULL) == -1 ||
		    cur_lit(&cur, end, ": bytes ") == -1 ||
		    take_num(&cur, end, NULL, &ev->size) == -1 ||
		    cur_lit(&cur, end, " from ") == -1)
			return ev->kind;
		ev->has_size = 1;
		wl = cur_word(&cur, end, &w);
		mail_set_from(ev, span_of(w, wl));
		if (cur_lit(&cur, end, " qp ") == 0)
			(void)take_num(&cur, end, NULL, &ev->qp);
		if (cur_lit(&cur, end, " uid ") == 0 &&
		    take_num(&cur, end, NULL, &ev->uid) == 0)
			ev->has_uid = 1;
		return ev->kind = MAIL_EV_QUEUED;
	}
	if (cur_lit(&cur, end, "starting delivery ") == 0) {
		if (take_num(&cur, end, NULL, &ev->dlv) == -1 ||
		    cur_lit(&cur, end, ": msg ") == -1 ||
		    take_num(&cur, end, &ev->qid, NULL) == -1 ||
		    cur_lit(&cur, end, " to ") == -1)
			return ev->kind;
		wl = cur_word(&cur, end, &w); /* local or remote */
		ev->relay = span_of(w, wl);
		cur_spaces(&cur, end);
		ev->to = span_of(cur, (size_t)(end - cur));
		return ev->kind = MAIL_EV_DLV_START;
	}
	if (cur_lit(&cur, end, "delivery ") == 0) {
		if (take_num(&cur, end, NULL, &ev->dlv) == -1 ||
		    cur_lit(&cur, end, ": ") == -1)
			return ev->kind;
		wl = cur_until(&cur, end, ':', &w);
		if (mem_eq(w, wl, "success"))
			ev->status = MAIL_ST_SENT;
		else if (mem_eq(w, wl, "failure"))
			ev->status = MAIL_ST_BOUNCED;
		else if (mem_eq(w, wl, "deferral"))
			ev->status = MAIL_ST_DEFERRED;
		else
			return ev->kind;
		if (cur_lit(&cur, end, ": ") == 0)
			ev->reason = span_of(cur, (size_t)(end - cur));
		return ev->kind = MAIL_EV_DELIVERY;
	}
	return ev->kind;
}
