/*
 * parse_error.c - Apache error log 2.2 ("[date] [level] [client ip] msg")
 * and 2.4 ("[date] [module:level] [pid N:tid N] [client ip:port] AHnnnnn:
 * msg"), and the nginx error log.
 */
#include <string.h>

#include "base/cur.h"
#include "logs/logs.h"
#include "logs/parse_int.h"

int
logs_level_severity(const char *s, size_t n)
{
	static const char *const names[] = {"emerg", "alert", "crit", "error",
	    "warn", "notice", "info", "debug"};
	int i;

	if (n >= 5 && memcmp(s, "trace", 5) == 0)
		return 7;
	if (n == 7 && memcmp(s, "warning", 7) == 0)
		return 4;
	if (n == 3 && memcmp(s, "err", 3) == 0)
		return 3;
	if (n == 8 && memcmp(s, "critical", 8) == 0)
		return 2;
	if (n == 5 && memcmp(s, "panic", 5) == 0)
		return 0;
	for (i = 0; i < 8; i++)
		if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
			return i;
	return -1;
}

static void
error_init(struct logs_error *e)
{
	memset(e, 0, sizeof(*e));
	e->pid = e->tid = -1;
	e->client_port = -1;
	e->severity = -1;
}

/* "[client 1.2.3.4:5678]" or "[client 1.2.3.4]" contents. */
static void
client_addr(struct logs_error *e, const char *s, size_t n)
{
	const char *c = memchr(s, ':', n);
	const char *last = NULL;

	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			last = s + i;
	if (c != NULL && c == last) {
		const char *q = c + 1, *qe = s + n;
		uint64_t port;

		if (cur_u64(&q, qe, &port) == 0 && q == qe && port < 65536) {
			e->client_port = (int)port;
			n = (size_t)(c - s);
		}
	}
	e->client = p_str(s, n);
}

/* The trailing ", referer: URL" (Apache appends it to the message). */
static void
referer_of(struct logs_error *e)
{
	static const char key[] = ", referer: ";
	const char *m = e->message.p;
	size_t n = e->message.n, k = sizeof(key) - 1;

	if (n < k)
		return;
	for (size_t i = n - k + 1; i-- > 0;) {
		if (m[i] == ',' && memcmp(m + i, key, k) == 0) {
			e->referrer = p_str(m + i + k, n - i - k);
			e->message.n = i;
			return;
		}
	}
}

int
logs_parse_apache_error(const char *line, size_t n, struct logs_error *e)
{
	const char *p = line, *end = line + n, *s, *q;
	int have_level = 0;

	error_init(e);
	if (p >= end || *p != '[')
		return -1;
	/* Optional [date]: 2.2 and 2.4; OSSEC samples start at [level]. */
	if (end - p > 20 && p[4] == ' ' && p[8] == ' ') {
		p++;
		if (p_time_ctime(&p, end, &e->time) == -1 || p >= end ||
		    *p != ']')
			return -1;
		p++;
		while (p < end && *p == ' ')
			p++;
	}
	/* [level] or [module:level], [pid N:tid N], [client ...]. */
	while (p < end && *p == '[') {
		s = p + 1;
		q = memchr(s, ']', (size_t)(end - s));
		if (q == NULL)
			return -1;
		size_t len = (size_t)(q - s);

		if (!have_level) {
			const char *c = memchr(s, ':', len);
			const char *lv = c ? c + 1 : s;
			size_t ln = (size_t)(q - lv);
			int sev = logs_level_severity(lv, ln);

			if (sev == -1)
				return -1;
			if (c != NULL)
				e->module = p_str(s, (size_t)(c - s));
			e->level = p_str(lv, ln);
			e->severity = sev;
			have_level = 1;
		} else if (len > 4 && memcmp(s, "pid ", 4) == 0) {
			const char *c = s + 4;
			uint64_t v;

			if (cur_u64(&c, q, &v) == 0)
				e->pid = (int64_t)v;
			if (q - c > 5 && memcmp(c, ":tid ", 5) == 0) {
				c += 5;
				if (cur_u64(&c, q, &v) == 0)
					e->tid = (int64_t)v;
			}
		} else if (len > 7 && memcmp(s, "client ", 7) == 0) {
			if (e->client.n == 0)
				client_addr(e, s + 7, len - 7);
		} else if (len > 7 && memcmp(s, "remote ", 7) == 0) {
			/* 2.4 behind a proxy: the peer; keep the client. */
		} else {
			break; /* "[file ...]" of ModSecurity: message text */
		}
		p = q + 1;
		while (p < end && *p == ' ')
			p++;
	}
	if (!have_level)
		return -1;
	/* AHnnnnn: */
	if (end - p >= 8 && p[0] == 'A' && p[1] == 'H' && p[7] == ':') {
		int ok = 1;

		for (int i = 2; i < 7; i++)
			if (p[i] < '0' || p[i] > '9')
				ok = 0;
		if (ok) {
			e->code = p_str(p, 7);
			p += 8;
			while (p < end && *p == ' ')
				p++;
		}
	}
	e->message = p_str(p, (size_t)(end - p));
	referer_of(e);
	return 0;
}

/*
 * "key: value" or key: "value" in nginx's tail; absent if not there.  The
 * last occurrence wins: nginx appends its own pairs after the message,
 * which a client can fill with a fake ", client: ..." (a user name, say).
 */
static struct logs_str
nginx_kv(const char *s, const char *end, const char *key)
{
	size_t k = strlen(key);
	const char *p = s;
	struct logs_str last = {NULL, 0};

	while (p < end) {
		const char *h = memchr(p, ',', (size_t)(end - p));

		if (h == NULL)
			break;
		p = h + 1;
		if (end - p > (ptrdiff_t)(k + 1) && p[0] == ' ' &&
		    memcmp(p + 1, key, k) == 0 && p[1 + k] == ':') {
			const char *v = p + 2 + k, *ve;

			while (v < end && *v == ' ')
				v++;
			if (v < end && *v == '"') {
				struct logs_str out;
				const char *c = v;

				if (p_quoted(&c, end, &out, 1) == 0) {
					last = out;
					continue;
				}
			}
			ve = memchr(v, ',', (size_t)(end - v));
			if (ve == NULL)
				ve = end;
			last = p_str(v, (size_t)(ve - v));
		}
	}
	return last;
}

int
logs_parse_nginx_error(const char *line, size_t n, struct logs_error *e)
{
	const char *p = line, *end = line + n, *q;
	struct civtime *t = &e->time;
	uint64_t v;

	error_init(e);
	if (civ_digits(&p, end, 4, &t->year) == -1 || p >= end || *p++ != '/' ||
	    civ_digits(&p, end, 2, &t->mon) == -1 || p >= end || *p++ != '/' ||
	    civ_digits(&p, end, 2, &t->mday) == -1 || p >= end || *p++ != ' ' ||
	    civ_hms(&p, end, t) == -1)
		return -1;
	t->has_year = 1;
	civ_finish(t);
	if (!t->valid || end - p < 3 || p[0] != ' ' || p[1] != '[')
		return -1;
	p += 2;
	q = memchr(p, ']', (size_t)(end - p));
	if (q == NULL)
		return -1;
	e->level = p_str(p, (size_t)(q - p));
	e->severity = logs_level_severity(p, (size_t)(q - p));
	p = q + 1;
	while (p < end && *p == ' ')
		p++;
	/* pid#tid: */
	if (cur_u64(&p, end, &v) == 0) {
		e->pid = (int64_t)v;
		if (p < end && *p == '#') {
			p++;
			if (cur_u64(&p, end, &v) == 0)
				e->tid = (int64_t)v;
		}
		if (p < end && *p == ':')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	/* *connection */
	if (p < end && *p == '*') {
		const char *c = p + 1;

		if (cur_u64(&c, end, &v) == 0) {
			p = c;
			while (p < end && *p == ' ')
				p++;
		}
	}
	e->message = p_str(p, (size_t)(end - p));
	{
		struct logs_str c = nginx_kv(p, end, "client");

		if (c.n && c.p - p >= 10) {
			e->client = c;
			/* The message proper ends where ", client:" begins. */
			e->message.n = (size_t)(c.p - p) - 10;
		}
	}
	e->request = nginx_kv(p, end, "request");
	e->host = nginx_kv(p, end, "host");
	e->referrer = nginx_kv(p, end, "referrer");
	return 0;
}
