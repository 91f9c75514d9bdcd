/*
 * apaudit.c - review an Apache configuration for what is open that should
 * not be (see apache_audit in apache.h): status and info handlers reachable
 * from other hosts, CGI directories open to every client, directory
 * listings and CGI execution under the document roots, version disclosure.
 *
 * Access is judged as httpd 2.4 merges it: a section's own Require lines
 * (RequireAny at the top, RequireAll / RequireAny / RequireNone nested)
 * and, with mod_access_compat, Order / Allow / Deny, both of which must
 * pass; a section without rules inherits from the longest <Directory>
 * that contains it and has some, and with none at all 2.4 grants access.
 * For a directory, each kind of rule is merged along httpd's directory
 * walk, with the .htaccess files (read by apconf.c) where AllowOverride
 * lets them set it.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apache/apache.h"
#include "base/finding.h"

/* How far a section lets clients in, from closed to open. */
enum reach {
	R_NONE = -1, /* no rules of its own: inherits */
	R_DENIED = 0,
	R_LOCAL, /* loopback only */
	R_AUTH,  /* a login is needed */
	R_SOME,  /* some non-local addresses or conditions */
	R_ALL,   /* everyone */
};

static const char *const reach_name[] = {"denied", "local only",
    "authenticated users", "some non-local clients", "every client"};

static int
is_local_addr(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "127") == 0 ||
	    strcmp(a, "::1") == 0 || strcmp(a, "::1/128") == 0 ||
	    strcasecmp(a, "localhost") == 0 ||
	    strcasecmp(a, "ip6-localhost") == 0;
}

static enum reach
require_one(const struct apache_node *n)
{
	const char *t;
	size_t i = 0;

	if (n->argc == 0)
		return R_NONE;
	t = n->argv[0];
	if (strcasecmp(t, "not") == 0)
		return R_NONE; /* only narrows what others allow */
	if (strcasecmp(t, "all") == 0 && n->argc > 1)
		return strcasecmp(n->argv[1], "granted") == 0 ? R_ALL
		                                              : R_DENIED;
	if (strcasecmp(t, "local") == 0)
		return R_LOCAL;
	if (strcasecmp(t, "ip") == 0 || strcasecmp(t, "host") == 0 ||
	    strcasecmp(t, "forward-dns") == 0) {
		for (i = 1; i < n->argc; i++)
			if (!is_local_addr(n->argv[i]))
				return R_SOME;
		return R_LOCAL;
	}
	if (strcasecmp(t, "valid-user") == 0 || strcasecmp(t, "user") == 0 ||
	    strcasecmp(t, "group") == 0 || strncasecmp(t, "file-", 5) == 0 ||
	    strncasecmp(t, "ldap-", 5) == 0 || strncasecmp(t, "dbd-", 4) == 0)
		return R_AUTH;
	return R_SOME; /* env, method, expr: conditions other hosts can meet */
}

/* Require lines and Require* sections among n's children; any: RequireAny. */
static enum reach
require_list(const struct apache_node *n, int any)
{
	enum reach r = R_NONE;

	for (size_t i = 0; i < n->nchild; i++) {
		const struct apache_node *c = n->child[i];
		enum reach x = R_NONE;

		if (!c->section && strcasecmp(c->name, "Require") == 0)
			x = require_one(c);
		else if (c->section && strcasecmp(c->name, "RequireAny") == 0)
			x = require_list(c, 1);
		else if (c->section && strcasecmp(c->name, "RequireAll") == 0)
			x = require_list(c, 0);
		else if (c->section && strcasecmp(c->name, "RequireNone") == 0)
			x = R_DENIED; /* on its own it never grants */
		if (x == R_NONE)
			continue;
		if (r == R_NONE)
			r = x;
		else if (any ? x > r : x < r)
			r = x;
	}
	return r;
}

/* mod_access_compat: Order, Allow from, Deny from. */
static enum reach
compat_rules(const struct apache_node *n)
{
	int order_allow_first = 0, seen = 0;
	int allow_all = 0, allow_remote = 0, allow_local = 0, deny_all = 0;

	for (size_t i = 0; i < n->nchild; i++) {
		const struct apache_node *c = n->child[i];
		int allow;

		if (c->section)
			continue;
		if (strcasecmp(c->name, "Order") == 0 && c->argc > 0) {
			seen = 1;
			order_allow_first =
			    strncasecmp(c->argv[0], "allow", 5) == 0 ||
			    strcasecmp(c->argv[0], "mutual-failure") == 0;
			continue;
		}
		allow = strcasecmp(c->name, "Allow") == 0;
		if (!allow && strcasecmp(c->name, "Deny") != 0)
			continue;
		seen = 1;
		for (size_t j = 0; j < c->argc; j++) {
			const char *a = c->argv[j];

			if (strcasecmp(a, "from") == 0)
				continue;
			if (strcasecmp(a, "all") == 0) {
				if (allow)
					allow_all = 1;
				else
					deny_all = 1;
			} else if (allow) {
				if (is_local_addr(a))
					allow_local = 1;
				else
					allow_remote = 1;
			}
		}
	}
	if (!seen)
		return R_NONE;
	if (!order_allow_first && !deny_all)
		return R_ALL; /* Deny,Allow: allowed unless denied */
	if (order_allow_first && deny_all)
		return R_DENIED; /* Allow,Deny: a Deny always wins */
	if (allow_all)
		return R_ALL;
	if (allow_remote)
		return R_SOME;
	return allow_local ? R_LOCAL : R_DENIED;
}

static enum reach
section_reach(const struct apache_node *n)
{
	enum reach a = require_list(n, 1), b = compat_rules(n);

	if (a == R_NONE)
		return b;
	if (b == R_NONE)
		return a;
	return a < b ? a : b; /* Satisfy All: both must let the client in */
}

/* The first access rule of a kind (Require*: authz 1; Order, Allow,
 * Deny: 0) among the children of n (an access file's root, which has no
 * file:line of its own); n itself when none. */
static const struct apache_node *
first_rule(const struct apache_node *n, int authz)
{
	for (size_t i = 0; i < n->nchild; i++) {
		const struct apache_node *c = n->child[i];

		if (authz ? strncasecmp(c->name, "Require", 7) == 0
		          : !c->section &&
		            (strcasecmp(c->name, "Order") == 0 ||
		                strcasecmp(c->name, "Allow") == 0 ||
		                strcasecmp(c->name, "Deny") == 0))
			return c;
	}
	return n;
}

/* ---- paths ---- */

static void
norm_path(const char *p, char *dst, size_t sz)
{
	size_t n;

	snprintf(dst, sz, "%s", p);
	n = strlen(dst);
	while (n > 1 && dst[n - 1] == '/')
		dst[--n] = '\0';
}

/* 1 if path is dir or lies below it. */
static int
path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/* Does <Directory pat> cover path (pat may hold wildcards)? */
static int
dir_covers(const char *pat, const char *path)
{
	char tmp[PATH_MAX];

	if (strpbrk(pat, "*?[") == NULL)
		return path_under(path, pat);
	/* a wildcard section covers path if it matches path or a parent */
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (;;) {
		char *slash;

		if (fnmatch(pat, tmp, FNM_PATHNAME) == 0)
			return 1;
		slash = strrchr(tmp, '/');
		if (slash == NULL || slash == tmp)
			return 0;
		*slash = '\0';
	}
}

/* Directory sections at server level and in vhost (NULL: server only). */
struct dirsec {
	const struct apache_node *n;
	char path[PATH_MAX];
};

static size_t
dir_sections(const struct apache_conf *c, const struct apache_node *vhost,
    struct dirsec *out, size_t max)
{
	size_t k = 0;

	for (int pass = 0; pass < (vhost ? 2 : 1); pass++) {
		const struct apache_node *p = pass ? vhost : &c->root;

		for (size_t i = 0; i < p->nchild && k < max; i++) {
			const struct apache_node *s = p->child[i];

			if (!s->section || s->argc != 1 ||
			    strcasecmp(s->name, "Directory") != 0 ||
			    s->argv[0][0] == '~')
				continue;
			out[k].n = s;
			norm_path(s->argv[0], out[k].path, sizeof(out[k].path));
			k++;
		}
	}
	return k;
}

/* What AllowOverride / AllowOverrideList let an access file decide. */
#define OV_AUTH 1u  /* AuthConfig: Require and the Require* sections */
#define OV_LIMIT 2u /* Limit: Order, Allow, Deny (mod_access_compat) */

struct overrides {
	unsigned cats; /* AllowOverride */
	unsigned list; /* AllowOverrideList, by directive name */
};

/* A <Directory> section's AllowOverride and AllowOverrideList. */
static void
overrides_apply(const struct apache_node *sec, struct overrides *ov)
{
	const struct apache_node *a = apache_find(sec, "AllowOverride");
	const struct apache_node *l = apache_find(sec, "AllowOverrideList");

	if (a != NULL) {
		ov->cats = 0;
		for (size_t i = 0; i < a->argc; i++) {
			const char *v = a->argv[i];

			if (strcasecmp(v, "All") == 0)
				ov->cats |= OV_AUTH | OV_LIMIT;
			else if (strcasecmp(v, "AuthConfig") == 0)
				ov->cats |= OV_AUTH;
			else if (strcasecmp(v, "Limit") == 0)
				ov->cats |= OV_LIMIT;
		}
	}
	if (l != NULL) {
		ov->list = 0;
		for (size_t i = 0; i < l->argc; i++) {
			const char *v = l->argv[i];

			if (strcasecmp(v, "Require") == 0)
				ov->list |= OV_AUTH;
			else if (strcasecmp(v, "Order") == 0 ||
			    strcasecmp(v, "Allow") == 0 ||
			    strcasecmp(v, "Deny") == 0)
				ov->list |= OV_LIMIT;
		}
	}
}

/* Access as merged so far: the authorization (Require) and the
 * mod_access_compat rules, each from the last section that had some. */
struct access {
	enum reach authz, compat;
	const struct apache_node *authz_from, *compat_from;
};

/* Merges the rules of n (a section, or an access file's root) that what
 * (OV_AUTH, OV_LIMIT) lets it set: each kind replaces the one before. */
static void
access_merge(struct access *a, const struct apache_node *n, unsigned what)
{
	enum reach x;

	if ((what & OV_AUTH) && (x = require_list(n, 1)) != R_NONE) {
		a->authz = x;
		a->authz_from = n->name != NULL ? n : first_rule(n, 1);
	}
	if ((what & OV_LIMIT) && (x = compat_rules(n)) != R_NONE) {
		a->compat = x;
		a->compat_from = n->name != NULL ? n : first_rule(n, 0);
	}
}

/* 1 if the <Directory> pattern dir first applies at path, a directory
 * of the walk (it covers path and not path's parent). */
static int
applies_at(const char *dir, const char *path)
{
	char parent[PATH_MAX];
	char *slash;

	if (!dir_covers(dir, path))
		return 0;
	if (strcmp(path, "/") == 0)
		return 1;
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	return !dir_covers(dir, parent);
}

/*
 * The access for a filesystem path, as httpd's directory walk merges it:
 * for / and every directory down to path, the <Directory> sections that
 * apply there (file order), then the access files there when
 * AllowOverride lets them set access rules.  Each kind of rule (Require;
 * Order / Allow / Deny) comes from the last place that had some, and both
 * must let a client in; none at all: R_ALL (httpd 2.4's default).
 */
static enum reach
path_reach(const struct apache_conf *c, const struct apache_node *vhost,
    const char *path, const struct apache_node **from)
{
	struct dirsec *ds = calloc(256, sizeof(*ds));
	struct access a = {R_NONE, R_NONE, NULL, NULL};
	struct overrides ov = {0, 0};
	enum reach az, cp;
	size_t nd, n = strlen(path);

	*from = NULL;
	if (ds == NULL)
		return R_ALL;
	nd = dir_sections(c, vhost, ds, 256);
	for (size_t i = 0; i <= n && i < PATH_MAX; i++) {
		const struct apache_htaccess *ht[4];
		char sub[PATH_MAX];
		size_t nh;

		if (i == 0)
			snprintf(sub, sizeof(sub), "/");
		else if ((i == n || path[i] == '/') && path[i - 1] != '/')
			snprintf(sub, sizeof(sub), "%.*s", (int)i, path);
		else
			continue;
		for (size_t k = 0; k < nd; k++)
			if (applies_at(ds[k].path, sub)) {
				access_merge(&a, ds[k].n, OV_AUTH | OV_LIMIT);
				overrides_apply(ds[k].n, &ov);
			}
		if (((ov.cats | ov.list) & (OV_AUTH | OV_LIMIT)) == 0)
			continue;
		nh = apache_htaccess_of(c, sub, ht, 4);
		for (size_t k = 0; k < nh && k < 4; k++)
			access_merge(&a, &ht[k]->root, ov.cats | ov.list);
	}
	free(ds);
	az = a.authz == R_NONE ? R_ALL : a.authz;
	cp = a.compat == R_NONE ? R_ALL : a.compat;
	*from = cp < az || a.authz_from == NULL ? a.compat_from : a.authz_from;
	return az < cp ? az : cp;
}

static struct finding *add_at(struct report *r, enum sev sev, const char *check,
    const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static struct finding *
add_at(struct report *r, enum sev sev, const char *check, const char *file,
    int line, const char *fmt, ...)
{
	char subject[PATH_MAX + 16], msg[512];
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(subject, sizeof(subject), "%s:%d", file, line);
	else
		snprintf(subject, sizeof(subject), "%s", file);
	f = report_add(r, sev, check, subject, "%s", msg);
	if (f != NULL) {
		finding_ev(f, "file", "%s", file);
		finding_ev(f, "line", "%d", line);
	}
	return f;
}

/* ---- the checks ---- */

struct walk {
	const struct apache_conf *c;
	struct report *r;
};

static const struct apache_node *
enclosing_vhost(const struct apache_node *n)
{
	for (; n != NULL; n = n->parent)
		if (n->section && n->name != NULL &&
		    strcasecmp(n->name, "VirtualHost") == 0)
			return n;
	return NULL;
}

static void
check_handler(struct walk *w, const struct apache_node *n)
{
	const struct apache_node *sec = n->parent, *from = sec;
	const char *h = n->argv[0], *check;
	int info = strcasecmp(h, "server-info") == 0;
	enum reach rc = R_NONE;

	if (!info && strcasecmp(h, "server-status") != 0)
		return;
	if (!apache_module_loaded(w->c, info ? "info_module" : "status_module"))
		return;
	check = info ? "apache-info" : "apache-status";
	for (const struct apache_node *s = sec; s != NULL && rc == R_NONE;
	     s = s->parent) {
		if (s->name == NULL)
			break;
		rc = section_reach(s);
		from = s;
	}
	if (rc == R_NONE) {
		/* inherits: <Location /> with rules, else the document root */
		const struct apache_node *vh = enclosing_vhost(n);
		struct apache_docroot dr[1];

		for (size_t i = 0; i < w->c->root.nchild; i++) {
			const struct apache_node *s = w->c->root.child[i];
			enum reach x;

			if (s->section &&
			    strcasecmp(s->name, "Location") == 0 &&
			    s->argc == 1 && strcmp(s->argv[0], "/") == 0 &&
			    (x = section_reach(s)) != R_NONE) {
				rc = x;
				from = s;
			}
		}
		if (rc == R_NONE && apache_docroots(w->c, dr, 1) > 0) {
			const struct apache_node *d =
			    vh ? apache_find(vh, "DocumentRoot") : NULL;
			char p[PATH_MAX];

			if (d != NULL && d->argc > 0)
				norm_path(d->argv[0], p, sizeof(p));
			else
				snprintf(p, sizeof(p), "%s", dr[0].path);
			rc = path_reach(w->c, vh, p, &from);
		}
	}
	if (rc < R_SOME)
		return;
	{
		struct finding *f = add_at(w->r,
		    rc == R_ALL ? SEV_CRITICAL : SEV_WARNING, check, n->file,
		    n->line, "%s handler is reachable from %s%s", h,
		    reach_name[rc],
		    from == sec ? "" : " (no access rule in its own section)");

		if (f != NULL && sec != NULL && sec->name != NULL)
			finding_ev(f, "section", "<%s %s>", sec->name,
			    sec->argc ? sec->argv[0] : "");
		if (f != NULL && from != NULL && from->name != NULL)
			finding_ev(
			    f, "access_from", "%s:%d", from->file, from->line);
	}
}

/* Every directive named name (a node that is not a section), depth first. */
static void
walk_nodes(struct walk *w, const struct apache_node *n,
    void (*fn)(struct walk *, const struct apache_node *))
{
	for (size_t i = 0; i < n->nchild; i++) {
		if (n->child[i]->section)
			walk_nodes(w, n->child[i], fn);
		else
			fn(w, n->child[i]);
	}
}

static void
visit(struct walk *w, const struct apache_node *n)
{
	if (strcasecmp(n->name, "SetHandler") == 0 && n->argc >= 1)
		check_handler(w, n);
	else if (strcasecmp(n->name, "ServerSignature") == 0 && n->argc >= 1 &&
	    strcasecmp(n->argv[0], "off") != 0)
		add_at(w->r, SEV_WARNING, "apache-signature", n->file, n->line,
		    "ServerSignature %s: error pages and listings show the "
		    "server version",
		    n->argv[0]);
}

static int
cgi_enabled(const struct apache_conf *c)
{
	return apache_module_loaded(c, "cgi_module") ||
	    apache_module_loaded(c, "cgid_module");
}

static void
check_cgi_dir(struct walk *w, const struct apache_node *vh, const char *dir,
    const struct apache_node *n)
{
	const struct apache_node *from;
	char p[PATH_MAX];
	enum reach rc;
	struct finding *f;

	norm_path(dir, p, sizeof(p));
	rc = path_reach(w->c, vh, p, &from);
	if (rc != R_ALL)
		return;
	f = add_at(w->r, SEV_WARNING, "apache-cgi-open", n->file, n->line,
	    "CGI directory %s is open to every client (no Require ip, "
	    "Allow from or login restricts it)",
	    p);
	if (f != NULL) {
		finding_ev(f, "directory", "%s", p);
		if (from != NULL)
			finding_ev(
			    f, "access_from", "%s:%d", from->file, from->line);
	}
}

/* Options of one section applied to a set: bit 1 Indexes, bit 2 ExecCGI. */
static unsigned
options_apply(const struct apache_node *opt, unsigned cur)
{
	int replaced = 0;

	for (size_t i = 0; i < opt->argc; i++) {
		const char *a = opt->argv[i];
		char sign = 0;
		unsigned bit = 0;

		if (*a == '+' || *a == '-')
			sign = *a++;
		if (strcasecmp(a, "Indexes") == 0)
			bit = 1;
		else if (strcasecmp(a, "ExecCGI") == 0)
			bit = 2;
		else if (strcasecmp(a, "All") == 0)
			bit = 3;
		else if (strcasecmp(a, "None") == 0) {
			cur = 0;
			replaced = 1;
			continue;
		}
		if (sign == 0 && !replaced) {
			cur = 0; /* a list without + or - replaces */
			replaced = 1;
		}
		if (sign == '-')
			cur &= ~bit;
		else
			cur |= bit;
	}
	return cur;
}

static int
cmp_len(const void *a, const void *b)
{
	size_t x = strlen(((const struct dirsec *)a)->path);
	size_t y = strlen(((const struct dirsec *)b)->path);

	if (x != y)
		return x < y ? -1 : 1;
	/* same length: keep file order */
	return ((const struct dirsec *)a)->n->line <
	        ((const struct dirsec *)b)->n->line
	    ? -1
	    : 1;
}

static void
check_docroot_options(struct walk *w, const struct apache_docroot *d)
{
	struct dirsec *ds = calloc(256, sizeof(*ds));
	const struct apache_node *set_by[2] = {NULL, NULL};
	size_t nd;
	unsigned cur = 0; /* 2.4's default Options is FollowSymLinks */

	if (ds == NULL)
		return;
	nd = dir_sections(w->c, d->vhost, ds, 256);
	/* covering sections, shortest first, as httpd merges them */
	qsort(ds, nd, sizeof(*ds), cmp_len);
	for (size_t i = 0; i < nd; i++) {
		const struct apache_node *o;
		unsigned nw;

		if (!dir_covers(ds[i].path, d->path) ||
		    (o = apache_find(ds[i].n, "Options")) == NULL)
			continue;
		nw = options_apply(o, cur);
		for (int b = 0; b < 2; b++)
			if ((nw & (1u << b)) && !(cur & (1u << b)))
				set_by[b] = o;
		cur = nw;
	}
	if ((cur & 1) && set_by[0] != NULL &&
	    apache_module_loaded(w->c, "autoindex_module")) {
		struct finding *f = add_at(w->r, SEV_WARNING, "apache-indexes",
		    set_by[0]->file, set_by[0]->line,
		    "directory listing (Options Indexes) is on for document "
		    "root %s",
		    d->path);
		if (f != NULL)
			finding_ev(f, "docroot", "%s", d->path);
	}
	if ((cur & 2) && set_by[1] != NULL && cgi_enabled(w->c)) {
		struct finding *f = add_at(w->r, SEV_WARNING, "apache-exec-cgi",
		    set_by[1]->file, set_by[1]->line,
		    "CGI execution (Options ExecCGI) is on for document root "
		    "%s",
		    d->path);
		if (f != NULL)
			finding_ev(f, "docroot", "%s", d->path);
	}
	/* sections strictly below the document root */
	for (size_t i = 0; i < nd; i++) {
		const struct apache_node *o = apache_find(ds[i].n, "Options");
		unsigned add;

		if (o == NULL || strcmp(ds[i].path, d->path) == 0 ||
		    !path_under(ds[i].path, d->path))
			continue;
		add = options_apply(o, 0);
		if ((add & 1) && apache_module_loaded(w->c, "autoindex_module"))
			add_at(w->r, SEV_WARNING, "apache-indexes", o->file,
			    o->line,
			    "directory listing (Options Indexes) is on for %s "
			    "under document root %s",
			    ds[i].path, d->path);
		if ((add & 2) && cgi_enabled(w->c))
			add_at(w->r, SEV_WARNING, "apache-exec-cgi", o->file,
			    o->line,
			    "CGI execution (Options ExecCGI) is on for %s "
			    "under "
			    "document root %s",
			    ds[i].path, d->path);
	}
	free(ds);
}

static void
check_cgi(struct walk *w)
{
	if (!cgi_enabled(w->c))
		return;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < w->c->root.nchild; i++) {
			const struct apache_node *top = w->c->root.child[i];
			const struct apache_node *p = top, *vh = NULL;

			if (pass == 0 && top->section)
				continue;
			if (pass == 1) {
				if (!top->section ||
				    strcasecmp(top->name, "VirtualHost") != 0)
					continue;
				vh = top;
			}
			for (size_t j = 0; j < (pass ? p->nchild : 1); j++) {
				const struct apache_node *n =
				    pass ? p->child[j] : top;
				char dir[PATH_MAX];
				char *dollar;

				if (n->section || n->argc != 2)
					continue;
				if (strcasecmp(n->name, "ScriptAlias") != 0 &&
				    strcasecmp(n->name, "ScriptAliasMatch") !=
				        0)
					continue;
				snprintf(dir, sizeof(dir), "%s", n->argv[1]);
				dollar = strchr(dir, '$');
				if (dollar != NULL) {
					*dollar = '\0';
					if (strrchr(dir, '/') != NULL)
						strrchr(dir, '/')[1] = '\0';
				}
				check_cgi_dir(w, vh, dir, n);
			}
		}
	}
}

/* <Directory> sections that hand files to cgi-script. */
static void
check_cgi_sections(struct walk *w, const struct apache_node *vh)
{
	struct dirsec *ds = calloc(256, sizeof(*ds));
	size_t nd;

	if (ds == NULL)
		return;
	nd = dir_sections(w->c, vh, ds, 256);
	for (size_t i = 0; i < nd; i++) {
		const struct apache_node *s = ds[i].n;

		if (vh != NULL && s->parent != vh)
			continue;
		for (size_t j = 0; j < s->nchild; j++) {
			const struct apache_node *h = s->child[j];

			if (h->section || h->argc < 1 ||
			    strcasecmp(h->argv[0], "cgi-script") != 0 ||
			    (strcasecmp(h->name, "SetHandler") != 0 &&
			        strcasecmp(h->name, "AddHandler") != 0))
				continue;
			check_cgi_dir(w, vh, ds[i].path, s);
			break;
		}
	}
	free(ds);
}

void
apache_audit(const struct apache_conf *c, struct report *r)
{
	struct walk w = {c, r};
	struct apache_docroot dr[64];
	size_t nd;
	const struct apache_node *t;

	for (size_t i = 0; i < c->nerrs; i++) {
		struct finding *f = report_add(r, SEV_UNKNOWN, "apache-config",
		    c->main_file, "%s", c->errs[i]);
		(void)f;
	}
	walk_nodes(&w, &c->root, visit);
	check_cgi(&w);
	if (cgi_enabled(c)) {
		check_cgi_sections(&w, NULL);
		for (size_t i = 0; i < c->root.nchild; i++)
			if (c->root.child[i]->section &&
			    strcasecmp(c->root.child[i]->name, "VirtualHost") ==
			        0)
				check_cgi_sections(&w, c->root.child[i]);
	}
	nd = apache_docroots(c, dr, 64);
	for (size_t i = 0; i < nd && i < 64; i++)
		check_docroot_options(&w, &dr[i]);
	t = apache_find(&c->root, "ServerTokens");
	if (t == NULL)
		add_at(r, SEV_WARNING, "apache-tokens", c->main_file, 0,
		    "ServerTokens is not set: the Server header shows the full "
		    "version, OS and modules (default Full)");
	else if (t->argc >= 1 && strncasecmp(t->argv[0], "Prod", 4) != 0)
		add_at(r, SEV_WARNING, "apache-tokens", t->file, t->line,
		    "ServerTokens %s: the Server header shows the version "
		    "(use Prod)",
		    t->argv[0]);
}
