/*
 * aplimits.c - what an Apache configuration means for its processes: the
 * active MPM with the worker limit httpd derives (its defaults and
 * adjustments copied from server/mpm/{prefork,worker,event}), and the
 * document roots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apache/apache.h"
#include "base/fileio.h"
#include "base/cur.h"

/* The last server-level value of a numeric directive; 0 when absent. */
static int
num_dir(const struct apache_conf *c, const char *name, long *out,
    const char **file, int *line)
{
	const struct apache_node *n = apache_find(&c->root, name);
	uint64_t v;

	if (n == NULL || n->argc < 1 || str_u64(n->argv[0], &v) == -1 ||
	    v > 100000000)
		return 0;
	*out = (long)v;
	if (file != NULL) {
		*file = n->file;
		*line = n->line;
	}
	return 1;
}

/* MaxRequestWorkers, or its 2.2 name MaxClients, whichever comes last. */
static int
max_workers_dir(
    const struct apache_conf *c, long *out, const char **file, int *line)
{
	const struct apache_node *n = NULL;
	uint64_t v;

	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct apache_node *x = c->root.child[i];

		if (!x->section &&
		    (strcasecmp(x->name, "MaxRequestWorkers") == 0 ||
		        strcasecmp(x->name, "MaxClients") == 0))
			n = x;
	}
	if (n == NULL || n->argc < 1 || str_u64(n->argv[0], &v) == -1 ||
	    v > 100000000)
		return 0;
	*out = (long)v;
	*file = n->file;
	*line = n->line;
	return 1;
}

int
apache_limits(const struct apache_conf *c, struct apache_limits *l)
{
	long mw = 0;
	int have_mw;

	memset(l, 0, sizeof(*l));
	if (apache_module_loaded(c, "mpm_prefork_module"))
		snprintf(l->mpm, sizeof(l->mpm), "prefork");
	else if (apache_module_loaded(c, "mpm_event_module"))
		snprintf(l->mpm, sizeof(l->mpm), "event");
	else if (apache_module_loaded(c, "mpm_worker_module"))
		snprintf(l->mpm, sizeof(l->mpm), "worker");
	else
		return -1;
	have_mw = max_workers_dir(c, &mw, &l->file, &l->line);

	if (strcmp(l->mpm, "prefork") == 0) {
		/* prefork.c: DEFAULT_SERVER_LIMIT 256, MAX_SERVER_LIMIT 200000 */
		l->server_limit = 256;
		num_dir(c, "ServerLimit", &l->server_limit, NULL, NULL);
		if (l->server_limit > 200000) {
			l->server_limit = 200000;
			snprintf(l->note, sizeof(l->note),
			    "ServerLimit lowered to 200000");
		} else if (l->server_limit < 1)
			l->server_limit = 1;
		l->max_workers = have_mw ? mw : l->server_limit;
		if (l->max_workers > l->server_limit) {
			snprintf(l->note, sizeof(l->note),
			    "MaxRequestWorkers %ld lowered to ServerLimit %ld",
			    l->max_workers, l->server_limit);
			l->max_workers = l->server_limit;
		} else if (l->max_workers < 1) {
			snprintf(l->note, sizeof(l->note),
			    "MaxRequestWorkers raised to 1");
			l->max_workers = 1;
		}
		l->threads_per_child = 1;
		l->thread_limit = 1;
		l->max_processes = l->max_workers;
		return 0;
	}

	/* worker.c and event.c: DEFAULT_SERVER_LIMIT 16, MAX 20000;
	 * DEFAULT_THREAD_LIMIT 64, MAX 100000; DEFAULT_THREADS_PER_CHILD 25 */
	l->threaded = 1;
	l->server_limit = 16;
	l->thread_limit = 64;
	l->threads_per_child = 25;
	num_dir(c, "ServerLimit", &l->server_limit, NULL, NULL);
	num_dir(c, "ThreadLimit", &l->thread_limit, NULL, NULL);
	num_dir(c, "ThreadsPerChild", &l->threads_per_child, NULL, NULL);
	if (l->server_limit > 20000)
		l->server_limit = 20000;
	else if (l->server_limit < 1)
		l->server_limit = 1;
	if (l->thread_limit > 100000)
		l->thread_limit = 100000;
	else if (l->thread_limit < 1)
		l->thread_limit = 1;
	if (l->threads_per_child > l->thread_limit) {
		snprintf(l->note, sizeof(l->note),
		    "ThreadsPerChild %ld lowered to ThreadLimit %ld",
		    l->threads_per_child, l->thread_limit);
		l->threads_per_child = l->thread_limit;
	} else if (l->threads_per_child < 1)
		l->threads_per_child = 1;
	l->max_workers = have_mw ? mw : l->server_limit * l->threads_per_child;
	if (l->max_workers < l->threads_per_child) {
		snprintf(l->note, sizeof(l->note),
		    "MaxRequestWorkers %ld raised to ThreadsPerChild %ld",
		    l->max_workers, l->threads_per_child);
		l->max_workers = l->threads_per_child;
	}
	l->max_processes = l->max_workers / l->threads_per_child;
	if (l->max_workers % l->threads_per_child) {
		snprintf(l->note, sizeof(l->note),
		    "MaxRequestWorkers %ld rounded down to %ld, a multiple of "
		    "ThreadsPerChild",
		    l->max_workers, l->max_processes * l->threads_per_child);
		l->max_workers = l->max_processes * l->threads_per_child;
	}
	if (l->max_processes > l->server_limit) {
		snprintf(l->note, sizeof(l->note),
		    "MaxRequestWorkers %ld lowered to ServerLimit x "
		    "ThreadsPerChild = %ld",
		    l->max_workers, l->server_limit * l->threads_per_child);
		l->max_processes = l->server_limit;
		l->max_workers = l->server_limit * l->threads_per_child;
	}
	return 0;
}

static void
docroot_set(
    const struct apache_conf *c, struct apache_docroot *d, const char *p)
{
	size_t n;

	/* too long: "", which names no file */
	(void)path_join(
	    d->path, sizeof(d->path), p[0] == '/' ? NULL : c->server_root, p);
	n = strlen(d->path);
	while (n > 1 && d->path[n - 1] == '/')
		d->path[--n] = '\0';
}

static size_t
docroot_add(const struct apache_docroot *d, struct apache_docroot *out,
    size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		if (strcmp(out[i].path, d->path) == 0)
			return n;
	if (n < max)
		out[n] = *d;
	return n + 1;
}

size_t
apache_docroots(
    const struct apache_conf *c, struct apache_docroot *out, size_t max)
{
	const struct apache_node *n = apache_find(&c->root, "DocumentRoot");
	struct apache_docroot d;
	size_t count = 0;

	memset(&d, 0, sizeof(d));
	if (n != NULL && n->argc >= 1) {
		docroot_set(c, &d, n->argv[0]);
		d.file = n->file;
		d.line = n->line;
	} else
		/* Debian's compiled-in DOCUMENT_LOCATION */
		docroot_set(c, &d, "/var/www/html");
	count = docroot_add(&d, out, count, max);
	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct apache_node *vh = c->root.child[i];

		if (!vh->section || strcasecmp(vh->name, "VirtualHost") != 0)
			continue;
		n = apache_find(vh, "DocumentRoot");
		if (n == NULL || n->argc < 1)
			continue;
		memset(&d, 0, sizeof(d));
		docroot_set(c, &d, n->argv[0]);
		d.file = n->file;
		d.line = n->line;
		d.vhost = vh;
		count = docroot_add(&d, out, count, max);
	}
	return count;
}

static size_t
cgi_add(const struct apache_conf *c, const char *p, char (*out)[PATH_MAX],
    size_t n, size_t max)
{
	char d[PATH_MAX];
	char *dollar;
	size_t len;

	if (path_join(d, sizeof(d), p[0] == '/' ? NULL : c->server_root, p) ==
	    -1)
		return n;
	dollar = strchr(d, '$');
	if (dollar != NULL) {
		*dollar = '\0';
		if (strrchr(d, '/') != NULL)
			strrchr(d, '/')[1] = '\0';
	}
	len = strlen(d);
	while (len > 1 && d[len - 1] == '/')
		d[--len] = '\0';
	for (size_t i = 0; i < n && i < max; i++)
		if (strcmp(out[i], d) == 0)
			return n;
	if (n < max)
		snprintf(out[n], PATH_MAX, "%s", d);
	return n + 1;
}

static size_t
cgi_scan(const struct apache_conf *c, const struct apache_node *p,
    char (*out)[PATH_MAX], size_t n, size_t max)
{
	for (size_t i = 0; i < p->nchild; i++) {
		const struct apache_node *x = p->child[i];

		if (!x->section && x->argc == 2 &&
		    (strcasecmp(x->name, "ScriptAlias") == 0 ||
		        strcasecmp(x->name, "ScriptAliasMatch") == 0))
			n = cgi_add(c, x->argv[1], out, n, max);
		else if (x->section && x->argc == 1 &&
		    strcasecmp(x->name, "Directory") == 0) {
			for (size_t j = 0; j < x->nchild; j++) {
				const struct apache_node *h = x->child[j];

				if (!h->section && h->argc >= 1 &&
				    strcasecmp(h->argv[0], "cgi-script") == 0 &&
				    (strcasecmp(h->name, "SetHandler") == 0 ||
				        strcasecmp(h->name, "AddHandler") ==
				            0)) {
					n = cgi_add(c, x->argv[0], out, n, max);
					break;
				}
			}
		} else if (x->section &&
		    strcasecmp(x->name, "VirtualHost") == 0)
			n = cgi_scan(c, x, out, n, max);
	}
	return n;
}

size_t
apache_cgi_dirs(const struct apache_conf *c, char (*out)[PATH_MAX], size_t max)
{
	return cgi_scan(c, &c->root, out, 0, max);
}
