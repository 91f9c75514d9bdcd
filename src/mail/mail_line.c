/*
 * mail_line.c - one mail-log line as stamp, host, program and message
 * (see mail.h).  Syslog lines (RFC 3164 "Nov 26 20:19:12 host
 * postfix/smtpd[123]: ...", RFC 5424, ISO 8601 stamps of rsyslog and
 * postfix's maillog_file) are read by the log engine's syslog parser
 * (logs_parse_syslog); this file reads what syslog does not cover: exim's
 * mainlog ("2024-01-02 03:04:05 [pid] ..."), qmail's multilog
 * ("@4000000063b0c1d2xxxxxxxx ...") and lines without a stamp.
 *
 * A stamp with a zone is read in it; one without (syslog's) is the local
 * time of this machine, as the log readers read it (civ_epoch); TAI64N
 * labels are converted to UTC.
 */
#include <string.h>

#include "base/civtime.h"
#include "base/cur.h"
#include "logs/logs.h"
#include "mail/mail_int.h"

/* An exim zone after its stamp (" +0100") into t. */
static void
exim_zone(const char **cur, const char *end, struct civtime *t)
{
	const char *q = *cur + 1;

	if (end - *cur >= 6 && **cur == ' ' && (q[0] == '+' || q[0] == '-') &&
	    civ_zone(&q, end, t) == 0) {
		civ_finish(t);
		*cur = q;
	}
}

/* "tag[pid]: " or "tag: " at *cur; 0 and fills out, or -1. */
static int
take_tag(const char **cur, const char *end, struct mail_line *out)
{
	const char *p = *cur, *s = p;

	while (p < end && *p != ' ' && *p != ':' && *p != '[')
		p++;
	if (p == s || p == end)
		return -1;
	out->tag = span_of(s, (size_t)(p - s));
	out->pid = 0;
	if (*p == '[') {
		p++;
		if (cur_u64(&p, end, &out->pid) == -1 ||
		    cur_char(&p, end, ']') == -1)
			return -1;
	}
	if (cur_char(&p, end, ':') == -1)
		return -1;
	cur_spaces(&p, end);
	*cur = p;
	return 0;
}

/* "host tag[pid]: msg" after a stamp. */
static int
host_tag_msg(const char *p, const char *end, struct mail_line *out)
{
	const char *w;
	size_t wl;

	cur_spaces(&p, end);
	wl = cur_word(&p, end, &w);
	if (wl == 0)
		return -1;
	out->host = span_of(w, wl);
	cur_spaces(&p, end);
	if (take_tag(&p, end, out) == -1)
		return -1;
	out->msg = span_of(p, (size_t)(end - p));
	return 0;
}

int
mail_tai64n(const char *s, size_t n, time_t *out)
{
	const char *p = s + 1, *e = s + 17;
	uint64_t v;

	if (n < 25 || s[0] != '@')
		return -1;
	for (int i = 1; i < 25; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
	/* Before 1970 or after 9999 (labels from 2^63 on are reserved) is
	 * no time a mail log was written: not a time_t to compute with. */
	if (cur_hex(&p, e, &v) == -1 || p != e || v < 0x400000000000000aULL ||
	    v - 0x400000000000000aULL > 253402300799ULL)
		return -1;
	/* TAI64: 2^62 + TAI seconds; TAI is UTC + 10 s (+ leap seconds). */
	*out = (time_t)(v - 0x400000000000000aULL);
	return 0;
}

int
mail_line_from_syslog(const struct logs_syslog *s, struct mail_line *out)
{
	const char *p = s->pid.p, *end = s->pid.p + s->pid.n;

	memset(out, 0, sizeof(*out));
	if (s->app.n == 0)
		return -1;
	out->time = s->time.valid ? (time_t)civ_epoch(&s->time) : 0;
	out->host = span_of(s->host.p, s->host.n);
	out->tag = span_of(s->app.p, s->app.n);
	if (cur_u64(&p, end, &out->pid) == -1 || p != end)
		out->pid = 0;
	out->msg = span_of(s->message.p, s->message.n);
	return 0;
}

int
mail_line_other(const char *line, size_t n, struct mail_line *out)
{
	const char *p = line, *end = line + n, *q;
	struct civtime ct;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return -1;
	if (line[0] == '@') {
		if (mail_tai64n(line, n, &out->time) == -1)
			return -1;
		p += 25;
		cur_spaces(&p, end);
		out->tag = span_of("qmail", 5);
		out->msg = span_of(p, (size_t)(end - p));
		return 0;
	}
	if (civ_iso(&p, end, &ct, CIV_ISO_SPACE) == 0) {
		struct mail_line sys;

		exim_zone(&p, end, &ct);
		out->time = (time_t)civ_epoch(&ct);
		/* "2019-10-22 03:39:17 host exim[29786]: msg" is syslog. */
		if (host_tag_msg(p, end, &sys) == 0 &&
		    (mem_eq(sys.tag.p, sys.tag.n, "exim") ||
		        mem_eq(sys.tag.p, sys.tag.n, "exim4"))) {
			sys.time = out->time;
			*out = sys;
			return 0;
		}
		cur_spaces(&p, end);
		if (p < end && *p == '[') {
			q = p + 1;
			if (cur_u64(&q, end, &out->pid) == 0 &&
			    cur_char(&q, end, ']') == 0)
				p = q;
			cur_spaces(&p, end);
		}
		out->tag = span_of("exim", 4);
		out->msg = span_of(p, (size_t)(end - p));
		return 0;
	}
	/* No stamp: "tag[pid]: msg" as quoted in alert mails. */
	p = line;
	if (take_tag(&p, end, out) == 0 && out->tag.n > 0) {
		out->msg = span_of(p, (size_t)(end - p));
		return 0;
	}
	/* "host tag[pid]: msg" (a relay that dropped the stamp). */
	memset(out, 0, sizeof(*out));
	if (host_tag_msg(line, end, out) == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	return -1;
}

int
mail_line_split(const char *line, size_t n, int year, struct mail_line *out)
{
	struct logs_syslog s;

	if (n > 0 && line[0] != '@' &&
	    logs_parse_syslog_year(line, n, year, &s) == 0)
		return mail_line_from_syslog(&s, out);
	return mail_line_other(line, n, out);
}
