/*
 * parse_w3c.c - W3C extended log format (IIS): the #Fields: directive
 * names the space-separated columns of the rows after it, and may change
 * in the middle of a file (IIS writes a new header when its settings or
 * the site change).  Rows that still follow an older layout are matched
 * against it by their value count.
 */
#include <stdint.h>
#include <string.h>

#include "base/mem.h"
#include "logs/logs.h"
#include "logs/parse_int.h"

enum {
	F_OTHER = 0,
	F_DATE,
	F_TIME,
	F_CIP,
	F_USER,
	F_SITENAME,
	F_METHOD,
	F_STEM,
	F_QUERY,
	F_STATUS,
	F_SCBYTES,
	F_TAKEN,
	F_VERSION,
	F_HOST,
	F_UA,
	F_REFERER,
};

static const struct {
	const char *name;
	unsigned char id;
} names[] = {
    {"date", F_DATE},
    {"time", F_TIME},
    {"c-ip", F_CIP},
    {"cs-username", F_USER},
    {"s-sitename", F_SITENAME},
    {"cs-method", F_METHOD},
    {"cs-uri-stem", F_STEM},
    {"cs-uri-query", F_QUERY},
    {"sc-status", F_STATUS},
    {"sc-bytes", F_SCBYTES},
    {"time-taken", F_TAKEN},
    {"cs-version", F_VERSION},
    {"cs-host", F_HOST},
    {"cs(User-Agent)", F_UA},
    {"cs(Referer)", F_REFERER},
};

/* IIS defaults, for rows without any header (told apart by count). */
static const char *const default_fields[] = {
    /* IIS 6 with every field */
    "date time s-sitename s-computername s-ip cs-method cs-uri-stem "
    "cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) "
    "cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status "
    "sc-bytes cs-bytes time-taken",
    /* IIS 6 with every field but the three it leaves off by default
     * (sc-bytes, cs-bytes, time-taken) */
    "date time s-sitename s-computername s-ip cs-method cs-uri-stem "
    "cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) "
    "cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status",
    /* IIS 7 to 8 default */
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
    "c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status "
    "time-taken",
    /* IIS 8.5 and later default */
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
    "c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
    "sc-win32-status time-taken",
    /* IIS 5 in its own field order with cs-username, sc-win32-status and
     * cs-version off, as incident write-ups of the Unicode attack print
     * it (c-ip a host name when reverse lookups are on) */
    "date time c-ip s-sitename s-computername s-ip s-port cs-method "
    "cs-uri-stem cs-uri-query sc-status sc-bytes cs-bytes time-taken "
    "cs-host cs(User-Agent)",
};

static void
compile(struct logs_w3c_layout *l, const char *p, const char *end)
{
	l->nf = 0;
	while (p < end && l->nf < LOGS_W3C_MAXF) {
		const char *w;
		unsigned char id = F_OTHER;

		while (p < end && *p == ' ')
			p++;
		w = p;
		while (p < end && *p != ' ')
			p++;
		if (p == w)
			break;
		for (size_t i = 0; i < countof(names); i++)
			if (strlen(names[i].name) == (size_t)(p - w) &&
			    memcmp(names[i].name, w, (size_t)(p - w)) == 0)
				id = names[i].id;
		l->f[l->nf++] = id;
	}
}

void
logs_w3c_init(struct logs_w3c *w)
{
	memset(w, 0, sizeof(*w));
}

static void
new_layout(struct logs_w3c *w, const char *p, const char *end)
{
	struct logs_w3c_layout l;

	compile(&l, p, end);
	if (w->nl > 0 && w->l[0].nf == l.nf &&
	    memcmp(w->l[0].f, l.f, l.nf) == 0)
		return;
	memmove(&w->l[1], &w->l[0], sizeof(w->l[0]) * (LOGS_W3C_LAYOUTS - 1));
	w->l[0] = l;
	if (w->nl < LOGS_W3C_LAYOUTS)
		w->nl++;
}

/*
 * The date: yyyy-mm-dd as W3C says, yyyy/mm/dd, or the dd/mm/yyyy and
 * mm/dd/yyyy of a Windows locale (day first when the first number cannot
 * be a month, else month first as in IIS's native format).
 */
static int
w3c_date(struct logs_str date, struct civtime *t)
{
	const char *c = date.p, *ce = date.p + date.n;
	int a, b;

	if (date.n == 10 && (c[4] == '-' || c[4] == '/'))
		return civ_digits(&c, ce, 4, &t->year) == -1 ||
		        *c++ != date.p[4] ||
		        civ_digits(&c, ce, 2, &t->mon) == -1 || c >= ce ||
		        *c++ != date.p[4] ||
		        civ_digits(&c, ce, 2, &t->mday) == -1 || c != ce
		    ? -1
		    : 0;
	if (civ_day(&c, ce, &a) == -1 || c >= ce || *c++ != '/' ||
	    civ_day(&c, ce, &b) == -1 || c >= ce || *c++ != '/' ||
	    civ_digits(&c, ce, 4, &t->year) == -1 || c != ce)
		return -1;
	t->mday = a > 12 ? a : b;
	t->mon = a > 12 ? b : a;
	return 0;
}

/* HH:MM:SS[.frac], or HH:MM. */
static int
w3c_time(const char **cur, const char *end, struct civtime *t)
{
	const char *p = *cur;

	if (civ_hms(cur, end, t) == 0)
		return 0;
	if (civ_day(&p, end, &t->hour) == -1 || p >= end || *p++ != ':' ||
	    civ_digits(&p, end, 2, &t->min) == -1)
		return -1;
	t->sec = 0;
	*cur = p;
	return 0;
}

static int
fill(const struct logs_w3c_layout *l, const struct logs_str *v, unsigned nv,
    struct logs_access *a)
{
	struct logs_str date = {0}, tm = {0};
	int64_t x;

	memset(a, 0, sizeof(*a));
	a->status = -1;
	a->bytes = -1;
	a->duration_us = -1;
	for (unsigned i = 0; i < nv; i++) {
		const char *c = v[i].p, *ce = v[i].p + v[i].n;

		switch (l->f[i]) {
		case F_DATE:
			date = v[i];
			break;
		case F_TIME:
			tm = v[i];
			break;
		case F_CIP:
			a->client = v[i];
			break;
		case F_USER:
			a->user = p_dash(v[i].p, v[i].n);
			break;
		case F_SITENAME:
			if (a->vhost.n == 0)
				a->vhost = p_dash(v[i].p, v[i].n);
			break;
		case F_HOST:
			if (!(v[i].n == 1 && v[i].p[0] == '-'))
				a->vhost = v[i];
			break;
		case F_METHOD:
			a->method = v[i];
			break;
		case F_STEM:
			a->path = v[i];
			break;
		case F_QUERY:
			a->query = p_dash(v[i].p, v[i].n);
			break;
		case F_STATUS:
			if (p_num_or_dash(&c, ce, &x) == -1 || c != ce ||
			    x > 999)
				return -1;
			a->status = (int)x;
			break;
		case F_SCBYTES:
			if (p_num_or_dash(&c, ce, &x) == 0 && c == ce)
				a->bytes = x;
			break;
		case F_TAKEN:
			/* time-taken is in ms */
			if (p_num_or_dash(&c, ce, &x) == 0 && c == ce)
				a->duration_us = p_dur_us(x, 1000);
			break;
		case F_VERSION:
			a->protocol = p_dash(v[i].p, v[i].n);
			break;
		case F_UA:
			a->user_agent = p_dash(v[i].p, v[i].n);
			break;
		case F_REFERER:
			a->referrer = p_dash(v[i].p, v[i].n);
			break;
		default:
			break;
		}
	}
	if (date.n == 0)
		return -1;
	{
		const char *c, *ce;
		struct civtime *t = &a->time;

		memset(t, 0, sizeof(*t));
		if (w3c_date(date, t) == -1)
			return -1;
		if (tm.n) {
			c = tm.p;
			ce = tm.p + tm.n;
			if (w3c_time(&c, ce, t) == -1 || c != ce)
				return -1;
		}
		/* W3C times are UTC. */
		t->has_tz = 1;
		t->has_year = 1;
		civ_finish(t);
		if (!t->valid)
			return -1;
	}
	if (a->client.n == 0 && a->path.n == 0)
		return -1;
	return 0;
}

enum logs_res
logs_w3c_line(
    struct logs_w3c *w, const char *line, size_t n, struct logs_access *a)
{
	struct logs_str v[LOGS_W3C_MAXF];
	const char *p = line, *end = line + n;
	unsigned nv = 0;

	if (n == 0)
		return LOGS_EMPTY;
	if (line[0] == '#') {
		if (n > 8 && memcmp(line, "#Fields:", 8) == 0) {
			if (w->nheaders == 0)
				w->nl = 0; /* forget the assumed defaults */
			new_layout(w, line + 8, end);
			w->nheaders++;
		}
		return LOGS_DIRECTIVE;
	}
	if (w->nheaders == 0 && w->nl == 0)
		for (size_t i = countof(default_fields); i-- > 0;)
			new_layout(w, default_fields[i],
			    default_fields[i] + strlen(default_fields[i]));
	while (p < end) {
		const char *s = p;

		if (nv == LOGS_W3C_MAXF)
			return LOGS_BAD;
		while (p < end && *p != ' ')
			p++;
		v[nv++] = p_str(s, (size_t)(p - s));
		if (p < end)
			p++;
	}
	for (unsigned i = 0; i < w->nl; i++) {
		if (w->l[i].nf != nv || fill(&w->l[i], v, nv, a) == -1)
			continue;
		if (i > 0 && w->nheaders > 0)
			w->rematched++;
		return LOGS_OK;
	}
	/*
	 * W3C writes spaces in a value as '+'; a log copied by hand or
	 * written by another tool may not.  When the last field is the
	 * User-Agent or the Referer, the surplus values are its words.
	 */
	for (unsigned i = 0; i < w->nl; i++) {
		const struct logs_w3c_layout *l = &w->l[i];
		unsigned last = l->nf - 1;
		struct logs_str words;

		if (l->nf == 0 || l->nf >= nv ||
		    (l->f[last] != F_UA && l->f[last] != F_REFERER))
			continue;
		words = v[last];
		v[last] = p_str(
		    v[last].p, (size_t)(v[nv - 1].p + v[nv - 1].n - v[last].p));
		if (fill(l, v, l->nf, a) == -1) {
			v[last] = words;
			continue;
		}
		if (i > 0 && w->nheaders > 0)
			w->rematched++;
		return LOGS_OK;
	}
	return LOGS_BAD;
}
