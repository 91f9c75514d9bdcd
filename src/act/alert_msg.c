/*
 * alert_msg.c - the texts of the alert actions (see alert.h): the one-line
 * summary, the mail of one event, and the digest that collects several.
 * Pure: no clock but the event's own times, no I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "act/alert.h"
#include "base/bounded.h"
#include "base/civtime.h"
#include "base/esc.h"
#include "base/strbuf.h"

/* The longest summary a Subject carries, in bytes (cut between characters). */
#define SUMMARY_MAX 200

static void
esc_str(struct strbuf *sb, const char *s)
{
	esc_text(sb, s, strlen(s));
}

/* A fixed-size field of an event, which need not be NUL-terminated. */
#define esc_field(sb, a) esc_text((sb), (a), strnlen((a), sizeof(a)))

/* "CRITICAL", "RESOLVED", "FLAPPING": what the event says at a glance. */
static const char *
kind_label(const struct alert_event *e)
{
	switch (e->kind) {
	case ALERT_RESOLVE:
		return "RESOLVED";
	case ALERT_FLAPPING:
		return "FLAPPING";
	default:
		return sev_name(e->sev);
	}
}

void
alert_summary(const struct alert_event *e, struct strbuf *out)
{
	strbuf_adds(out, kind_label(e));
	if (e->kind == ALERT_CHANGE) {
		strbuf_adds(out, " (was ");
		strbuf_adds(out, sev_name(e->prev_sev));
		strbuf_addc(out, ')');
	}
	strbuf_addc(out, ' ');
	esc_field(out, e->check);
	if (e->subject[0] != '\0') {
		strbuf_addc(out, ' ');
		esc_field(out, e->subject);
	}
	if (e->message[0] != '\0') {
		strbuf_adds(out, ": ");
		esc_field(out, e->message);
	}
}

/* Appends the summary of e cut to SUMMARY_MAX bytes (whole characters). */
static void
summary_cut(const struct alert_event *e, struct strbuf *out)
{
	struct strbuf s = STRBUF_INIT(0);
	size_t n = 0;

	alert_summary(e, &s);
	while (n < s.len) {
		size_t c =
		    utf8_seq_len((const unsigned char *)s.p + n, s.len - n);

		if (c == 0)
			c = 1;
		if (n + c > SUMMARY_MAX)
			break;
		n += c;
	}
	strbuf_add(out, s.p, n);
	if (n < s.len)
		strbuf_adds(out, "...");
	strbuf_release(&s);
}

void
alert_mail_subject(
    const struct alert_event *e, const char *host, struct strbuf *out)
{
	strbuf_adds(out, "[sakimori] ");
	esc_str(out, host);
	strbuf_adds(out, ": ");
	summary_cut(e, out);
}

/* "Name:      value" with at most max bytes of val. */
static void
field(struct strbuf *out, const char *name, const char *val, size_t max)
{
	strbuf_printf(out, "%-10s ", name);
	esc_text(out, val, strnlen(val, max));
	strbuf_addc(out, '\n');
}

/* The block of one event in a mail (or a digest). */
static void
event_block(const struct alert_event *e, const char *host, struct strbuf *out)
{
	char t[64], sev[64];

	alert_summary(e, out);
	strbuf_adds(out, "\n\n");
	field(out, "Event:", alert_kind_name(e->kind), SIZE_MAX);
	field(out, "Check:", e->check, sizeof(e->check));
	if (e->subject[0] != '\0')
		field(out, "Subject:", e->subject, sizeof(e->subject));
	if (e->kind == ALERT_CHANGE)
		str_printf(sev, sizeof(sev), "%s (was %s)", sev_name(e->sev),
		    sev_name(e->prev_sev));
	else
		str_printf(sev, sizeof(sev), "%s", sev_name(e->sev));
	field(out, "Severity:", sev, SIZE_MAX);
	if (e->message[0] != '\0')
		field(out, "Message:", e->message, sizeof(e->message));
	civ_rfc3339(t, sizeof(t), (int64_t)e->time);
	field(out, "Time:", t, SIZE_MAX);
	if (e->first != 0 && e->first != e->time) {
		civ_rfc3339(t, sizeof(t), (int64_t)e->first);
		field(out, "Since:", t, SIZE_MAX);
	}
	if (e->count > 1)
		strbuf_printf(out, "%-10s %llu\n",
		    "Count:", (unsigned long long)e->count);
	strbuf_printf(
	    out, "%-10s %llu\n", "Problem:", (unsigned long long)e->problem);
	field(out, "Host:", host, SIZE_MAX);
	if (e->nev > 0)
		strbuf_adds(out, "Evidence:\n");
	for (unsigned i = 0; i < e->nev && i < FINDING_MAX_EV; i++) {
		strbuf_adds(out, "  ");
		esc_field(out, e->ev[i].key);
		strbuf_adds(out, ": ");
		esc_field(out, e->ev[i].val);
		strbuf_addc(out, '\n');
	}
}

static void
signature(const char *host, struct strbuf *out)
{
	strbuf_adds(out, "\n-- \nsakimori on ");
	esc_str(out, host);
	strbuf_addc(out, '\n');
}

void
alert_mail_body(
    const struct alert_event *e, const char *host, struct strbuf *out)
{
	event_block(e, host, out);
	signature(host, out);
}

int
alert_digest_add(
    struct alert_digest *d, const struct alert_event *e, time_t now)
{
	if (d->n + d->dropped == 0)
		d->first = now;
	if (d->n >= ALERT_DIGEST_MAX) {
		d->dropped++;
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct alert_event *ev;

		if (cap > ALERT_DIGEST_MAX)
			cap = ALERT_DIGEST_MAX;
		if ((ev = realloc(d->ev, cap * sizeof(*ev))) == NULL) {
			d->dropped++;
			return -1;
		}
		d->ev = ev;
		d->cap = cap;
	}
	d->ev[d->n++] = *e;
	return 0;
}

int
alert_digest_due(const struct alert_digest *d, time_t now, time_t secs)
{
	return d->n + d->dropped > 0 && now - d->first >= secs;
}

void
alert_digest_clear(struct alert_digest *d)
{
	d->n = 0;
	d->dropped = 0;
	d->first = 0;
}

void
alert_digest_release(struct alert_digest *d)
{
	free(d->ev);
	memset(d, 0, sizeof(*d));
}

/* The groups of a digest, in the order they are shown. */
static const enum alert_kind group_order[] = {
    ALERT_OPEN, ALERT_CHANGE, ALERT_FLAPPING, ALERT_RESOLVE};
static const char *const group_title[] = {
    "Opened", "Changed", "Flapping", "Resolved"};

static size_t
count_kind(const struct alert_digest *d, enum alert_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->ev[i].kind == k;
	return n;
}

/* The worse severity first (CRITICAL, WARNING, UNKNOWN, OK), then time. */
static int
by_worst(const void *a, const void *b)
{
	const struct alert_event *x = *(const struct alert_event *const *)a;
	const struct alert_event *y = *(const struct alert_event *const *)b;

	if (sev_rank(x->sev) != sev_rank(y->sev))
		return sev_rank(y->sev) - sev_rank(x->sev);
	return (x->time > y->time) - (x->time < y->time);
}

void
alert_digest_subject(
    const struct alert_digest *d, const char *host, struct strbuf *out)
{
	static const char *const words[] = {
	    "open", "changed", "flapping", "resolved"};
	size_t total = d->n + d->dropped;
	const char *sep = ": ";

	strbuf_adds(out, "[sakimori] ");
	esc_str(out, host);
	strbuf_printf(out, ": %zu alert%s", total, total == 1 ? "" : "s");
	for (size_t g = 0; g < sizeof(group_order) / sizeof(*group_order);
	     g++) {
		size_t n = count_kind(d, group_order[g]), crit = 0;

		if (n == 0)
			continue;
		for (size_t i = 0; i < d->n; i++)
			crit += d->ev[i].kind == group_order[g] &&
			    d->ev[i].sev == SEV_CRITICAL;
		strbuf_printf(out, "%s%zu %s", sep, n, words[g]);
		if (crit > 0 && group_order[g] != ALERT_RESOLVE)
			strbuf_printf(out, " (%zu CRITICAL)", crit);
		sep = ", ";
	}
	if (d->dropped > 0)
		strbuf_printf(out, "%s%zu not listed", sep, d->dropped);
}

void
alert_digest_body(
    const struct alert_digest *d, const char *host, struct strbuf *out)
{
	const struct alert_event **order;
	char t[64];

	civ_rfc3339(t, sizeof(t), (int64_t)d->first);
	strbuf_printf(out, "%zu alert event%s on ", d->n + d->dropped,
	    d->n + d->dropped == 1 ? "" : "s");
	esc_str(out, host);
	strbuf_printf(out, " since %s.\n", t);
	if ((order = calloc(d->n ? d->n : 1, sizeof(*order))) == NULL) {
		strbuf_adds(
		    out, "(out of memory: the events are not listed)\n");
		return;
	}
	for (size_t g = 0; g < sizeof(group_order) / sizeof(*group_order);
	     g++) {
		size_t n = 0;

		for (size_t i = 0; i < d->n; i++)
			if (d->ev[i].kind == group_order[g])
				order[n++] = &d->ev[i];
		if (n == 0)
			continue;
		qsort(order, n, sizeof(*order), by_worst);
		strbuf_printf(out, "\n%s (%zu)\n", group_title[g], n);
		for (size_t i = 0; i < n; i++) {
			strbuf_adds(out, "\n");
			event_block(order[i], host, out);
		}
	}
	free(order);
	if (d->dropped > 0)
		strbuf_printf(out,
		    "\n%zu more event%s came in this period and are not "
		    "listed.\n",
		    d->dropped, d->dropped == 1 ? "" : "s");
	signature(host, out);
}
