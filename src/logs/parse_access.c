/*
 * parse_access.c - the Common Log Format family (Apache common, combined,
 * vhost_combined, nginx default and "main") and IIS native, as one
 * hand-written cursor parser: the speed of `logs stats` is this loop.
 */
#include <string.h>

#include "logs/logs.h"
#include "logs/parse_int.h"

int
p_quoted(const char **cur, const char *end, struct logs_str *out, int lax)
{
	const char *p = *cur, *s;

	if (p >= end || *p != '"')
		return -1;
	s = ++p;
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));

		if (q == NULL) {
			/* No closing quote: the last field of a cut line. */
			if (!lax)
				return -1;
			*out = p_str(s, (size_t)(end - s));
			*cur = end;
			return 0;
		}
		/* Apache writes an embedded quote as \"; count backslashes. */
		{
			const char *b = q;
			size_t nb = 0;

			while (b > s && b[-1] == '\\') {
				b--;
				nb++;
			}
			if (nb % 2 == 1) {
				p = q + 1;
				continue;
			}
		}
		/* A quote not followed by a blank is text (broken loggers). */
		if (q + 1 < end && q[1] != ' ' && q[1] != '\t') {
			p = q + 1;
			continue;
		}
		*out = p_str(s, (size_t)(q - s));
		*cur = q + 1;
		return 0;
	}
}

void
p_target(struct logs_access *a, const char *s, size_t n)
{
	const char *q = memchr(s, '?', n);

	if (q == NULL) {
		a->path = p_str(s, n);
		a->query = p_str(NULL, 0);
	} else {
		a->path = p_str(s, (size_t)(q - s));
		a->query = p_str(q + 1, n - (size_t)(q - s) - 1);
	}
}

void
p_request(struct logs_access *a)
{
	const char *p = a->request.p, *end = p + a->request.n, *sp1, *sp2;

	a->method = p_str(NULL, 0);
	a->path = p_str(NULL, 0);
	a->query = p_str(NULL, 0);
	a->protocol = p_str(NULL, 0);
	if (a->request.n == 0)
		return;
	sp1 = memchr(p, ' ', a->request.n);
	if (sp1 == NULL || sp1 == p)
		return;
	/* The protocol is the last word; a target may hold spaces. */
	sp2 = end;
	while (sp2 > sp1 + 1 && sp2[-1] != ' ')
		sp2--;
	a->method = p_str(p, (size_t)(sp1 - p));
	if (sp2 > sp1 + 1 && end - sp2 >= 5 && memcmp(sp2, "HTTP/", 5) == 0) {
		a->protocol = p_str(sp2, (size_t)(end - sp2));
		p_target(a, sp1 + 1, (size_t)(sp2 - 1 - (sp1 + 1)));
	} else {
		/* HTTP/0.9 ("GET /") or a cut request line. */
		p_target(a, sp1 + 1, (size_t)(end - (sp1 + 1)));
	}
}

int
p_num_or_dash(const char **cur, const char *end, int64_t *v)
{
	const char *p = *cur;
	int64_t x = 0;

	if (p < end && *p == '-' &&
	    (p + 1 == end || p[1] == ' ' || p[1] == ',' || p[1] == '\t')) {
		*v = -1;
		*cur = p + 1;
		return 0;
	}
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9') {
		if (x < (int64_t)1 << 58)
			x = x * 10 + (*p - '0');
		p++;
	}
	*v = x;
	*cur = p;
	return 0;
}

int
p_is_addr(const char *s, size_t n)
{
	size_t i, dots = 0, colons = 0;

	if (n < 2 || n > 45)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.')
			dots++;
		else if (c == ':')
			colons++;
		else if (!((c >= '0' && c <= '9') ||
		             (colons &&
		                 ((c >= 'a' && c <= 'f') ||
		                     (c >= 'A' && c <= 'F')))))
			return 0;
	}
	return (dots == 3 && colons == 0) || colons >= 2;
}

/*
 * An empty record (what a memset and the -1s give), field by field: a
 * memset of the whole is a "rep stos" that costs more than the rest of
 * the parse's stores on some CPUs, once per line.
 */
static void
access_clear(struct logs_access *a)
{
	const struct logs_str none = {NULL, 0};

	_Static_assert(sizeof(struct logs_access) ==
	        12 * sizeof(struct logs_str) + sizeof(struct civtime) +
	            3 * sizeof(int64_t),
	    "logs_access: a field was added, clear it here");
	/* one assignment each: a chain (a = b = none) reads each value back
	 * from the store just made, which the CPU cannot forward */
	a->client = none;
	a->forwarded = none;
	a->ident = none;
	a->user = none;
	memset(&a->time, 0, sizeof(a->time));
	a->request = none;
	a->method = none;
	a->path = none;
	a->query = none;
	a->protocol = none;
	a->status = -1;
	a->bytes = -1;
	a->referrer = none;
	a->user_agent = none;
	a->vhost = none;
	a->duration_us = -1;
}

/* Words before the '[' of the time: a comma-list counts as one group. */
struct grp {
	const char *p;
	size_t n;
	int list; /* "a, b" or a quoted list */
};

static void
client_of(struct logs_access *a, const struct grp *g)
{
	const char *p, *e;

	if (!g->list) {
		a->client = p_str(g->p, g->n);
		return;
	}
	/* "a, b, c": the forwarded chain; the peer is the last one. */
	a->forwarded = p_str(g->p, g->n);
	p = g->p;
	e = g->p + g->n;
	while (e > p && (e[-1] == ' ' || e[-1] == '"'))
		e--;
	const char *s = e;
	while (s > p && s[-1] != ' ' && s[-1] != ',' && s[-1] != '"')
		s--;
	a->client = p_str(s, (size_t)(e - s));
}

static void
vhost_of(struct logs_access *a, const char *p, size_t n)
{
	const char *c = memchr(p, ':', n);

	/* vhost_combined writes "%v:%p"; keep the name only. */
	if (c != NULL && memchr(c + 1, ':', n - (size_t)(c + 1 - p)) == NULL)
		n = (size_t)(c - p);
	a->vhost = p_dash(p, n);
}

int
logs_parse_clf(const char *line, size_t n, struct logs_access *a)
{
	return logs_parse_clf_memo(line, n, NULL, a);
}

int
logs_parse_clf_memo(
    const char *line, size_t n, struct logs_clf_memo *m, struct logs_access *a)
{
	const char *p = line, *end = line + n, *w;
	struct grp g[8];
	unsigned ng = 0;
	int64_t v;

	access_clear(a);

	/* Groups of words up to "[time]". */
	while (p < end && *p != '[') {
		if (ng == 8)
			return -1;
		if (*p == '"') {
			struct logs_str q;
			const char *s = p;

			if (p_quoted(&p, end, &q, 0) == -1)
				return -1;
			g[ng].p = s;
			g[ng].n = (size_t)(p - s);
			g[ng].list = 1;
		} else {
			w = p;
			while (p < end && *p != ' ' && *p != '\t')
				p++;
			if (p == w)
				return -1;
			g[ng].p = w;
			g[ng].n = (size_t)(p - w);
			g[ng].list = 0;
			/* "10.0.0.2, 10.0.0.1, 127.0.0.1": one group. */
			while (p > w && p[-1] == ',' && p + 1 < end &&
			    p[0] == ' ' && p[1] != '[') {
				p++;
				while (p < end && *p != ' ' && *p != '\t')
					p++;
				g[ng].n = (size_t)(p - w);
				g[ng].list = 1;
			}
		}
		ng++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	if (p >= end || ng < 3)
		return -1;
	if (ng == 3) {
		client_of(a, &g[0]);
		a->ident = p_dash(g[1].p, g[1].n);
		a->user = p_dash(g[2].p, g[2].n);
	} else if (ng == 4) {
		if (g[0].list) {
			a->forwarded = p_str(g[0].p, g[0].n);
			a->client = p_str(g[1].p, g[1].n);
		} else if (p_is_addr(g[1].p, g[1].n) &&
		    !p_is_addr(g[0].p, g[0].n)) {
			vhost_of(a, g[0].p, g[0].n);
			a->client = p_str(g[1].p, g[1].n);
		} else {
			a->client = p_str(g[0].p, g[0].n);
		}
		a->ident = p_dash(g[2].p, g[2].n);
		a->user = p_dash(g[3].p, g[3].n);
	} else {
		return -1;
	}
	if (a->client.n == 0)
		return -1;

	/* [time] */
	p++;
	if (p_time_clf_memo(&p, end, &a->time, m) == -1)
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != ']')
		return -1;
	p++;
	while (p < end && *p == ' ')
		p++;
	/* A word before the request: a virtual host (custom formats). */
	if (p < end && *p != '"') {
		w = p;
		while (p < end && *p != ' ')
			p++;
		vhost_of(a, w, (size_t)(p - w));
		while (p < end && *p == ' ')
			p++;
	}
	if (p_quoted(&p, end, &a->request, 0) == -1)
		return -1;
	p_request(a);
	if (p >= end || *p++ != ' ' || p_num_or_dash(&p, end, &v) == -1)
		return -1;
	if (v > 999)
		return -1;
	a->status = (int)v;
	if (p < end && *p == ' ') {
		p++;
		if (p_num_or_dash(&p, end, &v) == -1)
			return -1;
		a->bytes = v;
	}
	/* Combined: "referrer" "user agent"; anything after is extra. */
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '"') {
		struct logs_str s;

		if (p_quoted(&p, end, &s, 1) == -1)
			return -1;
		a->referrer = p_dash(s.p, s.n);
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '"') {
			if (p_quoted(&p, end, &s, 1) == -1)
				return -1;
			a->user_agent = p_dash(s.p, s.n);
		}
	}
	return 0;
}

/* A DNS name (what IIS logs as the client with reverse lookups on). */
static int
is_host_name(const char *s, size_t n)
{
	int alpha = 0;

	if (n == 0 || n > 253 || s[0] == '-' || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = 1;
		else if (!((c >= '0' && c <= '9') || c == '-' || c == '.'))
			return 0;
	}
	return alpha;
}

/*
 * IIS native: client, user, date (M/D/YY), time, service, server, server
 * address, time taken (ms), bytes received, bytes sent, status, Windows
 * status, method, target, parameters,
 */
int
logs_parse_iis_native(const char *line, size_t n, struct logs_access *a)
{
	struct logs_str f[15];
	const char *p = line, *end = line + n;
	unsigned nf = 0;
	int mon, day, yy;
	const char *c;
	int64_t v;

	memset(a, 0, sizeof(*a));
	a->status = -1;
	a->bytes = -1;
	a->duration_us = -1;
	while (nf < 15 && p < end) {
		const char *s = p;
		const char *q = memchr(p, ',', (size_t)(end - p));

		if (q == NULL)
			q = end;
		f[nf++] = p_str(s, (size_t)(q - s));
		p = q < end ? q + 1 : end;
		while (p < end && *p == ' ')
			p++;
	}
	if (nf < 14)
		return -1;
	c = f[2].p;
	{
		const char *ce = f[2].p + f[2].n;

		if (civ_day(&c, ce, &mon) == -1 || c >= ce || *c++ != '/' ||
		    civ_day(&c, ce, &day) == -1 || c >= ce || *c++ != '/' ||
		    civ_digits(&c, ce, 2, &yy) == -1 || c != ce)
			return -1;
	}
	a->time.year = yy < 70 ? 2000 + yy : 1900 + yy;
	a->time.mon = mon;
	a->time.mday = day;
	a->time.has_year = 1;
	c = f[3].p;
	if (civ_hms(&c, f[3].p + f[3].n, &a->time) == -1)
		return -1;
	civ_finish(&a->time);
	if (!a->time.valid ||
	    !(p_is_addr(f[0].p, f[0].n) || is_host_name(f[0].p, f[0].n)))
		return -1;
	a->client = f[0];
	a->user = p_dash(f[1].p, f[1].n);
	a->vhost = p_dash(f[4].p, f[4].n);
	c = f[7].p;
	if (p_num_or_dash(&c, f[7].p + f[7].n, &v) == 0)
		a->duration_us = p_dur_us(v, 1000);
	c = f[9].p;
	if (p_num_or_dash(&c, f[9].p + f[9].n, &v) == 0)
		a->bytes = v;
	c = f[10].p;
	if (p_num_or_dash(&c, f[10].p + f[10].n, &v) == -1 || v > 999)
		return -1;
	a->status = (int)v;
	/* Fields, not a request line: no a->request ("GET, /x" is none). */
	a->method = f[12];
	a->path = f[13];
	if (nf > 14)
		a->query = p_dash(f[14].p, f[14].n);
	return 0;
}
