/*
 * links.c - broken links: paths that were not found, from the error log
 * ("File does not exist", AH00128, "script not found or unable to stat",
 * nginx "open() ... failed (2: ...)") and from access-log 404s, each with
 * the pages that link to it.  A link from one of our own pages (its host
 * is one of --site or the request's virtual host, or its path is a page
 * this log shows served) is a broken link to fix; a missing path that no
 * own page links to was invented by a robot or an attacker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/mem.h"
#include "base/table.h"
#include "base/topk.h"
#include "logs/analyzer.h"

#define MAX_REFS 8
#define REFMAX 256

struct ref {
	char url[REFMAX];
	uint16_t n;
	uint64_t hits;
	int own_host; /* host matched a site or the vhost when seen */
};

struct refs {
	struct ref r[MAX_REFS];
	unsigned nr;
	uint64_t other; /* referrers past MAX_REFS */
	uint64_t from_error, from_access;
};

struct links {
	const struct logs_opts *o;
	struct topk missing; /* data: struct refs */
	struct topk served;  /* paths answered 2xx/3xx */
};

static void
links_free(void *st)
{
	struct links *l = st;

	topk_release(&l->missing);
	topk_release(&l->served);
	free(l);
}

static void *
links_create(const struct logs_opts *o, const char **errmsg)
{
	struct links *l = calloc(1, sizeof(*l));

	(void)errmsg;
	if (l == NULL)
		return NULL;
	l->o = o;
	if (topk_init(&l->missing, o->topk_cap / 4 + 16, 512) == -1 ||
	    topk_init(&l->served, o->topk_cap, 512) == -1) {
		links_free(l);
		return NULL;
	}
	l->missing.free_data = free;
	return l;
}

/* The host and path of an absolute URL ("http://host:port/path?q"). */
static int
url_split(const char *u, size_t n, struct logs_str *host, struct logs_str *path)
{
	const char *p = u, *end = u + n, *h;

	if (n > 7 && memcmp(u, "http://", 7) == 0)
		p += 7;
	else if (n > 8 && memcmp(u, "https://", 8) == 0)
		p += 8;
	else
		return -1;
	h = p;
	while (p < end && *p != '/' && *p != ':' && *p != '?')
		p++;
	host->p = h;
	host->n = (size_t)(p - h);
	while (p < end && *p != '/' && *p != '?')
		p++;
	path->p = p < end && *p == '/' ? p : "/";
	path->n = 1;
	if (p < end && *p == '/') {
		const char *q = p;

		while (q < end && *q != '?' && *q != '#')
			q++;
		path->n = (size_t)(q - p);
	}
	return 0;
}

static int
host_eq(struct logs_str a, const char *b, size_t bn)
{
	if (a.n != bn)
		return 0;
	for (size_t i = 0; i < bn; i++) {
		char x = a.p[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

static int
site_host(const struct links *l, struct logs_str host, struct logs_str vhost)
{
	if (l->o->sites != NULL)
		for (const char *const *s = l->o->sites; *s; s++)
			if (host_eq(host, *s, strlen(*s)))
				return 1;
	return vhost.n > 0 && host_eq(host, vhost.p, vhost.n);
}

static void
note(struct links *l, struct logs_str path, struct logs_str referrer,
    struct logs_str vhost, int from_error)
{
	struct topk_entry *e;
	struct refs *rf;
	int fresh;

	if (path.n == 0)
		return;
	e = topk_add(&l->missing, path.p, path.n, 1, &fresh);
	if (e == NULL)
		return;
	if (fresh || e->data == NULL) {
		e->data = calloc(1, sizeof(struct refs));
		if (e->data == NULL)
			return;
	}
	rf = e->data;
	if (from_error)
		rf->from_error++;
	else
		rf->from_access++;
	if (referrer.n == 0)
		return;
	{
		size_t n = referrer.n < REFMAX - 1 ? referrer.n : REFMAX - 1;
		struct logs_str host, rpath;
		unsigned i;

		for (i = 0; i < rf->nr; i++)
			if (strlen(rf->r[i].url) == n &&
			    memcmp(rf->r[i].url, referrer.p, n) == 0)
				break;
		if (i == rf->nr) {
			if (rf->nr == MAX_REFS) {
				rf->other++;
				return;
			}
			memcpy(rf->r[i].url, referrer.p, n);
			rf->r[i].url[n] = '\0';
			rf->nr++;
		}
		rf->r[i].hits++;
		if (url_split(referrer.p, referrer.n, &host, &rpath) == 0 &&
		    site_host(l, host, vhost))
			rf->r[i].own_host = 1;
	}
}

/* The missing path in an error-log message, or absent. */
static struct logs_str
error_path(const struct logs_str m)
{
	static const char *const pre[] = {
	    "File does not exist: ", "script not found or unable to stat: ",
	    "Script not found or unable to stat: "};
	struct logs_str none = {NULL, 0}, out;
	const char *p = m.p, *end = m.p + m.n;

	for (size_t i = 0; i < countof(pre); i++) {
		size_t k = strlen(pre[i]);

		if (m.n > k && memcmp(p, pre[i], k) == 0) {
			out.p = p + k;
			out.n = m.n - k;
			return out;
		}
	}
	/* script '/path' not found or unable to stat */
	if (m.n > 8 && memcmp(p, "script '", 8) == 0) {
		const char *q = memchr(p + 8, '\'', m.n - 8);

		if (q != NULL && (size_t)(end - q) > 10 &&
		    memcmp(q, "' not found", 11) == 0) {
			out.p = p + 8;
			out.n = (size_t)(q - out.p);
			return out;
		}
	}
	/* nginx: open() "/path" failed (2: No such file or directory) */
	if (m.n > 8 && memcmp(p, "open() \"", 8) == 0) {
		const char *q = memchr(p + 8, '"', m.n - 8);

		if (q != NULL && (size_t)(end - q) > 14 &&
		    memmem(q, (size_t)(end - q), "(2: ", 4) != NULL) {
			out.p = p + 8;
			out.n = (size_t)(q - out.p);
			return out;
		}
	}
	return none;
}

static void
links_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct links *l = st;
	int fresh;

	(void)r;
	if (rec->kind == LOGS_KIND_ACCESS) {
		const struct logs_access *a = &rec->u.a;

		if (a->status >= 200 && a->status < 400 && a->path.n > 0)
			topk_add(&l->served, a->path.p, a->path.n, 1, &fresh);
		else if (a->status == 404 || a->status == 410)
			note(l, a->path, a->referrer, a->vhost, 0);
		return;
	}
	if (rec->kind == LOGS_KIND_ERROR) {
		struct logs_str p = error_path(rec->u.e.message);
		struct logs_str nov = {NULL, 0};

		note(l, p, rec->u.e.referrer,
		    rec->u.e.host.n ? rec->u.e.host : nov, 1);
	}
}

/* Own page: the host is ours, or the page is one this log shows served. */
static int
own_ref(const struct links *l, const struct ref *rf)
{
	struct logs_str host, path;

	if (rf->own_host)
		return 1;
	if (url_split(rf->url, strlen(rf->url), &host, &path) == -1)
		return 0;
	if (l->o->sites != NULL)
		return 0; /* the admin named the sites: trust only those */
	return topk_get(&l->served, path.p, path.n) != NULL;
}

static void
links_finish(void *st, struct report *r, const struct out *o)
{
	struct links *l = st;
	const struct topk_entry **all;
	size_t n, shown_inv = 0, nbroken = 0;
	struct table tb, ti;
	static const char *const hb[] = {"missing path", "hits", "linked from"};
	static const char *const hi[] = {
	    "never linked (robots, attackers)", "hits"};

	all = calloc(l->missing.n + 1, sizeof(*all));
	if (all == NULL)
		return;
	n = topk_sorted(&l->missing, all, l->missing.n);
	table_init(&tb, 3, hb, "lrl");
	table_init(&ti, 2, hi, "lr");
	for (size_t i = 0; i < n; i++) {
		const struct refs *rf = all[i]->data;
		char key[520], from[1024] = "", hits[32];
		uint64_t own = 0;
		unsigned nown = 0;
		json_t *j = NULL, *arr = NULL;

		if (rf == NULL)
			continue;
		memcpy(key, all[i]->key, all[i]->klen);
		key[all[i]->klen] = '\0';
		if (o->mode == OUT_JSON) {
			j = json_object();
			arr = json_array();
		}
		for (unsigned k = 0; k < rf->nr; k++) {
			if (!own_ref(l, &rf->r[k]))
				continue;
			own += rf->r[k].hits;
			nown++;
			if (strlen(from) + strlen(rf->r[k].url) + 3 <
			    sizeof(from))
				snprintf(from + strlen(from),
				    sizeof(from) - strlen(from), "%s%s",
				    from[0] ? ", " : "", rf->r[k].url);
			if (arr != NULL) {
				json_t *x = json_object();

				jset(x, "page", jstr(rf->r[k].url));
				jset(x, "hits",
				    json_integer((json_int_t)rf->r[k].hits));
				json_array_append_new(arr, x);
			}
		}
		snprintf(hits, sizeof(hits), "%llu",
		    (unsigned long long)all[i]->count);
		if (nown > 0) {
			struct finding *fd;
			const char *row[3] = {key, hits, from};

			nbroken++;
			table_row(&tb, row);
			fd = report_add(r, SEV_WARNING, "logs.broken_link", key,
			    "not found %llu times; linked from %u of our own "
			    "pages",
			    (unsigned long long)all[i]->count, nown);
			if (fd != NULL) {
				finding_ev(fd, "hits", "%llu",
				    (unsigned long long)all[i]->count);
				finding_ev(fd, "linked_from", "%s", from);
			}
		} else if (shown_inv < (size_t)l->o->top) {
			const char *row[2] = {key, hits};

			table_row(&ti, row);
			shown_inv++;
		}
		if (j != NULL) {
			jset(j, "type", json_string("links.missing"));
			jset(j, "path", jstrn(all[i]->key, all[i]->klen));
			jset(
			    j, "hits", json_integer((json_int_t)all[i]->count));
			jset(j, "class",
			    json_string(nown ? "broken_link" : "invented"));
			jset(j, "own_link_hits", json_integer((json_int_t)own));
			jset(j, "linked_from", arr);
			jset(j, "from_access_log",
			    json_integer((json_int_t)rf->from_access));
			jset(j, "from_error_log",
			    json_integer((json_int_t)rf->from_error));
			if (nown > 0 || shown_inv <= (size_t)l->o->top)
				json_line(o->fp, j);
			else
				json_decref(j);
		}
	}
	if (o->mode == OUT_TABLE) {
		if (nbroken > 0) {
			fputs("\nbroken links (linked from our own pages)\n",
			    o->fp);
			table_print(&tb, o->fp, o->color);
		}
		if (shown_inv > 0) {
			fputc('\n', o->fp);
			table_print(&ti, o->fp, o->color);
		}
	}
	table_release(&tb);
	table_release(&ti);
	free(all);
}

/* What finish prints; its findings (the broken links) are dropped. */
static void
links_show(void *st, const struct out *o)
{
	struct report r;

	report_init(&r);
	links_finish(st, &r, o);
	report_release(&r);
}

const struct logs_analyzer_ops logs_links_ops = {
    .name = "links",
    .help = "broken links from 404s and the error log, with the pages "
            "that link to them",
    .kinds = LOGS_KIND_ACCESS | LOGS_KIND_ERROR,
    .create = links_create,
    .record = links_record,
    .finish = links_finish,
    .free = links_free,
    .show = links_show,
};
