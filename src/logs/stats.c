/*
 * stats.c - web statistics: hits per day with page hits (html and the
 * other configured page types, query removed) apart from all requests --
 * an admin's `grep 10/Oct access_log | grep html | wc -l` -- status codes,
 * bytes, top clients, pages, referrers, user agents, virtual hosts and
 * 404s.  Every top list is a bounded top-k.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "base/table.h"
#include "base/topk.h"
#include "logs/analyzer.h"

#define MAX_DAYS 20000 /* ~55 years of days; more are counted */
#define MAX_TYPES 32

struct day {
	int32_t key; /* yyyymmdd */
	uint64_t hits, pages, bytes;
};

enum { T_CLIENTS, T_PAGES, T_REFERRERS, T_AGENTS, T_VHOSTS, T_404, T_N };

static const char *const tnames[T_N] = {
    "clients", "pages", "referrers", "user_agents", "vhosts", "not_found"};
static const char *const theads[T_N] = {"client", "page", "referrer",
    "user agent", "virtual host", "not found (404)"};

struct stats {
	const struct logs_opts *o;
	struct day *days;
	size_t ndays, capdays;
	size_t lastday;
	uint64_t days_dropped;
	uint64_t status[1000];
	uint64_t hits, pages, bytes;
	int64_t first, last;
	struct topk top[T_N];
	char types[MAX_TYPES][12];
	size_t ntypes;
	int dirs; /* "/" in the list: directory indexes are pages */
};

static void stats_free(void *st);

static void *
stats_create(const struct logs_opts *o, const char **errmsg)
{
	struct stats *s = calloc(1, sizeof(*s));
	const char *p;

	if (s == NULL)
		return NULL;
	s->o = o;
	for (int i = 0; i < T_N; i++)
		if (topk_init(&s->top[i], o->topk_cap, 512) == -1) {
			stats_free(s);
			return NULL;
		}
	for (p = o->page_types; p != NULL && *p && s->ntypes < MAX_TYPES;) {
		size_t n = strcspn(p, ", ");

		if (n == 1 && p[0] == '/') {
			s->dirs = 1;
		} else if (n > 0 && n < sizeof(s->types[0])) {
			for (size_t i = 0; i < n; i++) {
				char c = p[i];

				s->types[s->ntypes][i] =
				    (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
			}
			s->types[s->ntypes][n] = '\0';
			s->ntypes++;
		} else if (n >= sizeof(s->types[0])) {
			*errmsg = "page type too long";
			stats_free(s);
			return NULL;
		}
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return s;
}

static void
stats_free(void *st)
{
	struct stats *s = st;

	for (int i = 0; i < T_N; i++)
		topk_release(&s->top[i]);
	free(s->days);
	free(s);
}

/* A page: one of the configured types, or a directory ("/") when listed. */
static int
is_page(const struct stats *s, const char *p, size_t n)
{
	size_t i = n, e;
	char ext[12];

	if (n == 0)
		return 0;
	if (p[n - 1] == '/')
		return s->dirs;
	while (i > 0 && p[i - 1] != '.' && p[i - 1] != '/')
		i--;
	if (i == 0 || p[i - 1] != '.')
		return 0;
	e = n - i;
	if (e == 0 || e >= sizeof(ext))
		return 0;
	for (size_t k = 0; k < e; k++) {
		char c = p[i + k];

		ext[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	ext[e] = '\0';
	for (size_t k = 0; k < s->ntypes; k++)
		if (strcmp(ext, s->types[k]) == 0)
			return 1;
	return 0;
}

static struct day *
day_of(struct stats *s, const struct civtime *t)
{
	int32_t key = t->year * 10000 + t->mon * 100 + t->mday;
	size_t lo, hi;

	if (s->ndays > 0 && s->days[s->lastday].key == key)
		return &s->days[s->lastday];
	lo = 0;
	hi = s->ndays;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->days[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->ndays && s->days[lo].key == key) {
		s->lastday = lo;
		return &s->days[lo];
	}
	if (s->ndays == MAX_DAYS)
		return NULL;
	if (mem_grow(&s->days, &s->capdays, s->ndays + 1, sizeof(*s->days)) ==
	    -1)
		return NULL;
	memmove(&s->days[lo + 1], &s->days[lo],
	    (s->ndays - lo) * sizeof(s->days[0]));
	memset(&s->days[lo], 0, sizeof(s->days[0]));
	s->days[lo].key = key;
	s->ndays++;
	s->lastday = lo;
	return &s->days[lo];
}

static void
count(struct topk *t, struct logs_str k, uint64_t bytes, int page)
{
	struct topk_entry *e;
	int fresh;

	if (k.n == 0)
		return;
	e = topk_add(t, k.p, k.n, 1, &fresh);
	if (e != NULL) {
		e->sum += bytes;
		e->aux[0] += (uint64_t)page;
	}
}

static void
stats_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct stats *s = st;
	const struct logs_access *a = &rec->u.a;
	uint64_t bytes = a->bytes > 0 ? (uint64_t)a->bytes : 0;
	int page = is_page(s, a->path.p, a->path.n);
	struct day *d;

	(void)r;
	s->hits++;
	s->pages += (uint64_t)page;
	s->bytes += bytes;
	if (a->time.valid) {
		if (s->first == 0 || a->time.epoch < s->first)
			s->first = a->time.epoch;
		if (a->time.epoch > s->last)
			s->last = a->time.epoch;
		d = day_of(s, &a->time);
		if (d != NULL) {
			d->hits++;
			d->pages += (uint64_t)page;
			d->bytes += bytes;
		} else {
			s->days_dropped++;
		}
	}
	if (a->status >= 0 && a->status < 1000)
		s->status[a->status]++;
	count(&s->top[T_CLIENTS], a->client, bytes, page);
	if (page)
		count(&s->top[T_PAGES], a->path, bytes, page);
	count(&s->top[T_REFERRERS], a->referrer, bytes, page);
	count(&s->top[T_AGENTS], a->user_agent, bytes, page);
	count(&s->top[T_VHOSTS], a->vhost, bytes, page);
	if (a->status == 404)
		count(&s->top[T_404], a->path, bytes, page);
}

static void
fmt_day(char *buf, size_t sz, int32_t key)
{
	snprintf(
	    buf, sz, "%04d-%02d-%02d", key / 10000, key / 100 % 100, key % 100);
}

static void
print_json(struct stats *s, const struct out *o)
{
	const struct topk_entry **top;
	char buf[32];
	json_t *j;

	for (size_t i = 0; i < s->ndays; i++) {
		fmt_day(buf, sizeof(buf), s->days[i].key);
		j = json_object();
		jset(j, "type", json_string("stats.day"));
		jset(j, "date", json_string(buf));
		jset(
		    j, "page_hits", json_integer((json_int_t)s->days[i].pages));
		jset(j, "hits", json_integer((json_int_t)s->days[i].hits));
		jset(j, "bytes", json_integer((json_int_t)s->days[i].bytes));
		json_line(o->fp, j);
	}
	for (int c = 0; c < 1000; c++) {
		if (s->status[c] == 0)
			continue;
		j = json_object();
		jset(j, "type", json_string("stats.status"));
		jset(j, "status", json_integer(c));
		jset(j, "hits", json_integer((json_int_t)s->status[c]));
		json_line(o->fp, j);
	}
	top = calloc((size_t)s->o->top + 1, sizeof(*top));
	for (int t = 0; top != NULL && t < T_N; t++) {
		size_t k = topk_sorted(&s->top[t], top, (size_t)s->o->top);

		for (size_t i = 0; i < k; i++) {
			j = json_object();
			jset(j, "type", json_string("stats.top"));
			jset(j, "list", json_string(tnames[t]));
			jset(j, "rank", json_integer((json_int_t)i + 1));
			jset(j, "key", jstrn(top[i]->key, top[i]->klen));
			jset(
			    j, "hits", json_integer((json_int_t)top[i]->count));
			jset(j, "error", json_integer((json_int_t)top[i]->err));
			jset(j, "page_hits",
			    json_integer((json_int_t)top[i]->aux[0]));
			jset(j, "bytes", json_integer((json_int_t)top[i]->sum));
			json_line(o->fp, j);
		}
	}
	free(top);
	j = json_object();
	jset(j, "type", json_string("stats.summary"));
	jset(j, "hits", json_integer((json_int_t)s->hits));
	jset(j, "page_hits", json_integer((json_int_t)s->pages));
	jset(j, "bytes", json_integer((json_int_t)s->bytes));
	jset(j, "days", json_integer((json_int_t)s->ndays));
	jset(j, "days_dropped", json_integer((json_int_t)s->days_dropped));
	jset(j, "distinct_clients",
	    topk_exact(&s->top[T_CLIENTS])
	        ? json_integer((json_int_t)s->top[T_CLIENTS].n)
	        : json_null());
	if (s->hits > 0 && s->last > 0) {
		jset(j, "first", jtime((int64_t)s->first));
		jset(j, "last", jtime((int64_t)s->last));
	}
	{
		int exact = 1;

		for (int t = 0; t < T_N; t++)
			exact &= topk_exact(&s->top[t]);
		jset(j, "exact", json_boolean(exact));
	}
	json_line(o->fp, j);
}

static void
print_tables(struct stats *s, const struct out *o)
{
	static const char *const dh[] = {"date", "page hits", "hits", "bytes"};
	static const char *const sh[] = {"status", "hits", "share"};
	const struct topk_entry **top;
	struct table t;
	char c0[32], c1[32], c2[32], c3[32];
	const char *row[4];

	table_init(&t, 4, dh, "lrrr");
	for (size_t i = 0; i < s->ndays; i++) {
		fmt_day(c0, sizeof(c0), s->days[i].key);
		snprintf(c1, sizeof(c1), "%llu",
		    (unsigned long long)s->days[i].pages);
		snprintf(c2, sizeof(c2), "%llu",
		    (unsigned long long)s->days[i].hits);
		snprintf(c3, sizeof(c3), "%llu",
		    (unsigned long long)s->days[i].bytes);
		row[0] = c0;
		row[1] = c1;
		row[2] = c2;
		row[3] = c3;
		table_row(&t, row);
	}
	snprintf(c1, sizeof(c1), "%llu", (unsigned long long)s->pages);
	snprintf(c2, sizeof(c2), "%llu", (unsigned long long)s->hits);
	snprintf(c3, sizeof(c3), "%llu", (unsigned long long)s->bytes);
	row[0] = "total";
	row[1] = c1;
	row[2] = c2;
	row[3] = c3;
	table_row(&t, row);
	table_print(&t, o->fp, o->color);
	table_release(&t);

	fputc('\n', o->fp);
	table_init(&t, 3, sh, "rrr");
	for (int c = 0; c < 1000; c++) {
		if (s->status[c] == 0)
			continue;
		snprintf(c0, sizeof(c0), "%d", c);
		snprintf(
		    c1, sizeof(c1), "%llu", (unsigned long long)s->status[c]);
		snprintf(c2, sizeof(c2), "%.1f%%",
		    100.0 * (double)s->status[c] / (double)s->hits);
		row[0] = c0;
		row[1] = c1;
		row[2] = c2;
		table_row(&t, row);
	}
	table_print(&t, o->fp, o->color);
	table_release(&t);

	top = calloc((size_t)s->o->top + 1, sizeof(*top));
	for (int k = 0; top != NULL && k < T_N; k++) {
		const char *h[] = {theads[k], "hits", "pages", "bytes"};
		size_t n = topk_sorted(&s->top[k], top, (size_t)s->o->top);

		if (n == 0)
			continue;
		fputc('\n', o->fp);
		table_init(&t, 4, h, "lrrr");
		for (size_t i = 0; i < n; i++) {
			char key[520];

			memcpy(key, top[i]->key, top[i]->klen);
			key[top[i]->klen] = '\0';
			/* A key with a NUL byte shows up to it; table escapes. */
			if (top[i]->err)
				snprintf(c1, sizeof(c1), "%llu (+-%llu)",
				    (unsigned long long)top[i]->count,
				    (unsigned long long)top[i]->err);
			else
				snprintf(c1, sizeof(c1), "%llu",
				    (unsigned long long)top[i]->count);
			snprintf(c2, sizeof(c2), "%llu",
			    (unsigned long long)top[i]->aux[0]);
			snprintf(c3, sizeof(c3), "%llu",
			    (unsigned long long)top[i]->sum);
			row[0] = key;
			row[1] = c1;
			row[2] = c2;
			row[3] = c3;
			table_row(&t, row);
		}
		table_print(&t, o->fp, o->color);
		table_release(&t);
	}
	free(top);
}

static void
stats_show(void *st, const struct out *o)
{
	struct stats *s = st;

	if (o->mode == OUT_JSON)
		print_json(s, o);
	else if (o->mode == OUT_TABLE)
		print_tables(s, o);
}

static void
stats_finish(void *st, struct report *r, const struct out *o)
{
	(void)r;
	stats_show(st, o);
}

const struct logs_analyzer_ops logs_stats_ops = {
    .name = "stats",
    .help = "hits and page hits per day, status codes, top lists, bytes",
    .kinds = LOGS_KIND_ACCESS,
    .create = stats_create,
    .record = stats_record,
    .finish = stats_finish,
    .free = stats_free,
    .show = stats_show,
};
