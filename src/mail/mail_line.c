/*
 * mail_line.c - split one mail-log line into stamp, host, program and
 * message (see mail.h): syslog RFC 3164 ("Nov 26 20:19:12 host
 * postfix/smtpd[123]: ..."), RFC 5424, ISO 8601 stamps (rsyslog), postfix's
 * maillog_file, exim's mainlog ("2024-01-02 03:04:05 [pid] ...") and
 * qmail's multilog ("@4000000063b0c1d2xxxxxxxx ...").
 *
 * Times are the wall-clock time as written, counted as if it were UTC
 * (syslog stamps carry no zone); TAI64N labels are converted to UTC.
 */
#include <string.h>

#include "base/cur.h"
#include "mail/mail_int.h"

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
num2(const char *p, unsigned *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	*v = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
	return 0;
}

/* "hh:mm:ss" at p (8 bytes available) into seconds of the day. */
static int
hms(const char *p, int64_t *secs)
{
	unsigned h, m, s;

	if (num2(p, &h) == -1 || p[2] != ':' || num2(p + 3, &m) == -1 ||
	    p[5] != ':' || num2(p + 6, &s) == -1 || h > 23 || m > 59 || s > 60)
		return -1;
	*secs = (int64_t)h * 3600 + m * 60 + s;
	return 0;
}

/* "YYYY-MM-DD" + sep + "hh:mm:ss" at p (19 bytes); the time. */
static int
iso_stamp(const char *p, size_t n, char sep, time_t *t)
{
	unsigned y1, y2, mo, d;
	int64_t s;

	if (n < 19 || num2(p, &y1) == -1 || num2(p + 2, &y2) == -1 ||
	    p[4] != '-' || num2(p + 5, &mo) == -1 || p[7] != '-' ||
	    num2(p + 8, &d) == -1 || p[10] != sep || hms(p + 11, &s) == -1 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	*t = (time_t)(days_from_civil((int64_t)(y1 * 100 + y2), mo, d) * 86400 +
	    s);
	return 0;
}

static int
month_of(const char *p)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (memcmp(p, months + i * 3, 3) == 0)
			return i + 1;
	return 0;
}

/* "Mmm dd hh:mm:ss" (day may be " 7" or "7"); moves *cur past it. */
static int
bsd_stamp(const char **cur, const char *end, int year, time_t *t)
{
	const char *p = *cur;
	int mo;
	unsigned d = 0;
	int64_t s;

	if (end - p < 14 || (mo = month_of(p)) == 0 || p[3] != ' ')
		return -1;
	p += 4;
	if (*p == ' ')
		p++;
	while (p < end && *p >= '0' && *p <= '9' && d < 100)
		d = d * 10 + (unsigned)(*p++ - '0');
	if (d < 1 || d > 31 || end - p < 9 || *p != ' ')
		return -1;
	p++;
	if (hms(p, &s) == -1)
		return -1;
	p += 8;
	*t = (time_t)(days_from_civil(year, (unsigned)mo, d) * 86400 + s);
	*cur = p;
	return 0;
}

/* Skips ".123456" and a zone ("Z", "+01:00", " +0100" for exim). */
static void
skip_frac_zone(const char **cur, const char *end, int exim)
{
	const char *p = *cur;

	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && *p == 'Z')
		p++;
	else if (!exim && p < end && (*p == '+' || *p == '-')) {
		p++;
		while (p < end && ((*p >= '0' && *p <= '9') || *p == ':'))
			p++;
	} else if (exim && end - p >= 6 && p[0] == ' ' &&
	    (p[1] == '+' || p[1] == '-') && p[2] >= '0' && p[2] <= '9')
		p += 6;
	*cur = p;
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
mail_line_split(const char *line, size_t n, int year, struct mail_line *out)
{
	const char *p = line, *end = line + n, *q;
	uint64_t pri;

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
	if (line[0] == '<') {
		q = p + 1;
		if (cur_u64(&q, end, &pri) == -1 ||
		    cur_char(&q, end, '>') == -1)
			return -1;
		p = q;
		if (end - p > 2 && p[0] == '1' && p[1] == ' ') {
			/* RFC 5424: VERSION TIMESTAMP HOST APP PROCID MSGID SD MSG */
			const char *w;
			size_t wl;

			p += 2;
			if (iso_stamp(p, (size_t)(end - p), 'T', &out->time) ==
			    0) {
				p += 19;
				skip_frac_zone(&p, end, 0);
			} else
				(void)cur_word(&p, end, &w);
			cur_spaces(&p, end);
			wl = cur_word(&p, end, &w);
			out->host = span_of(w, wl);
			cur_spaces(&p, end);
			wl = cur_word(&p, end, &w);
			if (wl == 0)
				return -1;
			out->tag = span_of(w, wl);
			cur_spaces(&p, end);
			q = p;
			if (cur_u64(&q, end, &out->pid) == 0)
				p = q;
			else
				(void)cur_word(&p, end, &w);
			cur_spaces(&p, end);
			(void)cur_word(&p, end, &w); /* MSGID */
			cur_spaces(&p, end);
			if (p < end && *p == '[') {
				/* structured data: skip [..] groups */
				while (p < end && *p == '[') {
					while (p < end && *p != ']') {
						if (*p == '\\' && p + 1 < end)
							p++;
						p++;
					}
					if (p < end)
						p++;
				}
			} else
				(void)cur_word(&p, end, &w); /* "-" */
			cur_spaces(&p, end);
			if (end - p >= 3 && (unsigned char)p[0] == 0xef &&
			    (unsigned char)p[1] == 0xbb &&
			    (unsigned char)p[2] == 0xbf)
				p += 3; /* BOM */
			out->msg = span_of(p, (size_t)(end - p));
			return 0;
		}
	}
	if (bsd_stamp(&p, end, year, &out->time) == 0) {
		skip_frac_zone(&p, end, 0);
		return host_tag_msg(p, end, out);
	}
	if (iso_stamp(p, (size_t)(end - p), 'T', &out->time) == 0) {
		p += 19;
		skip_frac_zone(&p, end, 0);
		return host_tag_msg(p, end, out);
	}
	if (iso_stamp(p, (size_t)(end - p), ' ', &out->time) == 0) {
		struct mail_line sys;

		p += 19;
		skip_frac_zone(&p, end, 1);
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
