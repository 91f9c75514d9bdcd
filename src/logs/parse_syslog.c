/*
 * parse_syslog.c - syslog lines: RFC 5424 ("<PRI>1 TIMESTAMP HOST APP
 * PROCID MSGID SD MSG"), RFC 3164 ("<PRI>Mmm dd HH:MM:SS HOST TAG[PID]:
 * MSG", as files hold it without <PRI>, and with the host left out), and
 * rsyslog's ISO-time variant ("2024-01-02T03:04:05.123+01:00 HOST TAG:").
 */
#include <string.h>

#include "base/cur.h"
#include "logs/logs.h"
#include "logs/parse_int.h"

static void
syslog_init(struct logs_syslog *s)
{
	memset(s, 0, sizeof(*s));
	s->facility = s->severity = -1;
}

static int
word(const char **cur, const char *end, struct logs_str *w)
{
	const char *p = *cur, *s = p;

	while (p < end && *p != ' ')
		p++;
	if (p == s)
		return -1;
	*w = p_str(s, (size_t)(p - s));
	if (p < end)
		p++;
	*cur = p;
	return 0;
}

/* "TAG[PID]: msg" or "TAG: msg"; also "HOST TAG[PID]: msg". */
static void
tag_and_message(struct logs_syslog *s, const char *p, const char *end)
{
	const char *w = p, *we;

	while (p < end && *p == ' ')
		p++;
	w = p;
	while (p < end && *p != ' ' && *p != ':' && *p != '[')
		p++;
	we = p;
	if (p < end && *p == '[') {
		const char *c = p;

		/* a loop, not memchr: a pid is a few bytes away */
		while (c < end && *c != ']')
			c++;
		if (c + 1 < end && c[1] == ':') {
			s->app = p_str(w, (size_t)(we - w));
			s->pid = p_str(p + 1, (size_t)(c - p - 1));
			p = c + 2;
			while (p < end && *p == ' ')
				p++;
			s->message = p_str(p, (size_t)(end - p));
			return;
		}
	} else if (p < end && *p == ':' && we > w) {
		s->app = p_str(w, (size_t)(we - w));
		p++;
		while (p < end && *p == ' ')
			p++;
		s->message = p_str(p, (size_t)(end - p));
		return;
	}
	/* No tag: all of it is the message. */
	s->message = p_str(w, (size_t)(end - w));
}

/* After the time: "HOST TAG..." or (host left out) "TAG[PID]: ...". */
static void
host_tag_message(struct logs_syslog *s, const char *p, const char *end)
{
	const char *w;
	int bracket = 0;

	while (p < end && *p == ' ')
		p++;
	w = p;
	while (p < end && *p != ' ') {
		bracket |= *p == '[';
		p++;
	}
	/* A first word that ends in ':' or holds '[' is the tag. */
	if (p == w || p[-1] == ':' || bracket) {
		tag_and_message(s, w, end);
		return;
	}
	s->host = p_str(w, (size_t)(p - w));
	tag_and_message(s, p, end);
}

/*
 * "HOST TAG[PID]: msg" with the time left out (journalctl -o cat style
 * copies, test fixtures): accepted only with a "[digits]:" tag.
 */
static int
no_time(struct logs_syslog *s, const char *p, const char *end)
{
	const char *h = p, *t, *b;

	while (p < end && *p != ' ' && *p != '[' && *p != ':')
		p++;
	if (p == h || p >= end || *p != ' ')
		return -1;
	t = ++p;
	while (p < end && *p != ' ' && *p != '[' && *p != ':')
		p++;
	if (p == t || p >= end || *p != '[')
		return -1;
	b = ++p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	if (p == b || end - p < 2 || p[0] != ']' || p[1] != ':')
		return -1;
	s->host = p_str(h, (size_t)(t - 1 - h));
	tag_and_message(s, t, end);
	return 0;
}

static int
rfc5424(struct logs_syslog *s, const char *p, const char *end)
{
	struct logs_str ts, w;

	s->version = 1;
	if (word(&p, end, &ts) == -1)
		return -1;
	if (!(ts.n == 1 && ts.p[0] == '-')) {
		const char *c = ts.p;

		if (civ_iso(&c, ts.p + ts.n, &s->time, CIV_ISO_T) == -1 ||
		    c != ts.p + ts.n)
			return -1;
	}
	if (word(&p, end, &w) == -1)
		return -1;
	s->host = p_dash(w.p, w.n);
	if (word(&p, end, &w) == -1)
		return -1;
	s->app = p_dash(w.p, w.n);
	if (word(&p, end, &w) == -1)
		return -1;
	s->pid = p_dash(w.p, w.n);
	if (word(&p, end, &w) == -1)
		return -1;
	s->msgid = p_dash(w.p, w.n);
	/* STRUCTURED-DATA: "-" or one or more [id k="v" ...]. */
	if (p < end && *p == '-') {
		p++;
	} else if (p < end && *p == '[') {
		const char *sd = p;

		while (p < end && *p == '[') {
			p++;
			while (p < end && *p != ']') {
				if (*p == '"') {
					p++;
					while (p < end && *p != '"') {
						if (*p == '\\' && p + 1 < end)
							p++;
						p++;
					}
				}
				if (p < end)
					p++;
			}
			if (p >= end)
				return -1;
			p++;
		}
		s->sd = p_str(sd, (size_t)(p - sd));
	} else if (p < end) {
		return -1;
	}
	if (p < end && *p == ' ')
		p++;
	/* A UTF-8 BOM may start the message. */
	if (end - p >= 3 && (unsigned char)p[0] == 0xef &&
	    (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
		p += 3;
	s->message = p_str(p, (size_t)(end - p));
	return 0;
}

int
logs_parse_syslog(const char *line, size_t n, struct logs_syslog *s)
{
	return logs_parse_syslog_year(line, n, 0, s);
}

int
logs_parse_syslog_year(
    const char *line, size_t n, int year, struct logs_syslog *s)
{
	const char *p = line, *end = line + n;

	syslog_init(s);
	if (p < end && *p == '<') {
		uint64_t pri;

		p++;
		if (cur_u64(&p, end, &pri) == -1 || pri > 191 || p >= end ||
		    *p != '>')
			return -1;
		p++;
		s->facility = (int)(pri / 8);
		s->severity = (int)(pri % 8);
		if (end - p >= 2 && p[0] == '1' && p[1] == ' ')
			return rfc5424(s, p + 2, end);
	}
	if (p < end && *p >= '0' && *p <= '9') {
		if (civ_iso(&p, end, &s->time, CIV_ISO_T) == -1)
			return -1;
	} else if (civ_3164(&p, end, &s->time, year) == -1) {
		return no_time(s, p, end);
	} else if (p < end && (*p == 'Z' || *p == '+' || *p == '-')) {
		/* a zone right after the time ("20:19:12+01:00") */
		if (civ_zone(&p, end, &s->time) == -1)
			return -1;
		civ_finish(&s->time);
	} else {
		/* "Mmm dd yyyy HH:MM:SS" is not 3164; a year after is. */
		if (end - p > 5 && p[0] == ' ' && p[1] >= '1' && p[1] <= '2' &&
		    p[5] == ' ') {
			int y;
			const char *c = p + 1;

			if (civ_digits(&c, end, 4, &y) == 0) {
				s->time.year = y;
				s->time.has_year = 1;
				civ_finish(&s->time);
				p = c;
			}
		}
	}
	if (p < end && *p != ' ')
		return -1;
	host_tag_message(s, p, end);
	return 0;
}
