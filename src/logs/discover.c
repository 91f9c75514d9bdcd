/*
 * discover.c - the logs this server has: Apache's from its configuration,
 * the system's usual ones, and the configuration's follow and ignore (see
 * discover.h); nginx's are read in discover_nginx.c.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "apache/apache.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "logs/discover.h"
#include "logs/discover_int.h"

static const char *const kind_names[] = {
    [DISCOVER_ACCESS] = "access",
    [DISCOVER_ERROR] = "error",
    [DISCOVER_MAIL] = "mail",
    [DISCOVER_AUTH] = "auth",
    [DISCOVER_KERNEL] = "kernel",
};

const char *
discover_kind_name(enum discover_kind k)
{
	return (size_t)k < countof(kind_names) ? kind_names[k] : "?";
}

int
discover_kind_parse(const char *s, enum discover_kind *k)
{
	for (size_t i = 0; i < countof(kind_names); i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum discover_kind)i;
			return 0;
		}
	return -1;
}

void
discover_init(struct discover *d)
{
	memset(d, 0, sizeof(*d));
}

void
discover_release(struct discover *d)
{
	free(d->log);
	free(d->skip);
	memset(d, 0, sizeof(*d));
}

void
discover_add(struct discover *d, const char *path, enum discover_kind k,
    const char *source, const char *server)
{
	struct discover_log *l;

	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->log[i].path, path) == 0)
			return;
	if (d->n == DISCOVER_MAX ||
	    mem_grow((void **)&d->log, &d->cap, d->n + 1, sizeof(*d->log)) ==
	        -1) {
		d->dropped++;
		return;
	}
	l = &d->log[d->n++];
	memset(l, 0, sizeof(*l));
	snprintf(l->path, sizeof(l->path), "%s", path);
	l->kind = k;
	snprintf(l->source, sizeof(l->source), "%s", source);
	snprintf(l->server, sizeof(l->server), "%s", server);
}

void
discover_skipped(
    struct discover *d, const char *target, const char *source, const char *why)
{
	struct discover_skip *s;

	if (d->nskip == DISCOVER_MAX ||
	    mem_grow((void **)&d->skip, &d->capskip, d->nskip + 1,
	        sizeof(*d->skip)) == -1) {
		d->dropped++;
		return;
	}
	s = &d->skip[d->nskip++];
	snprintf(s->target, sizeof(s->target), "%s", target);
	snprintf(s->source, sizeof(s->source), "%s", source);
	snprintf(s->why, sizeof(s->why), "%s", why);
}

void
discover_note(struct discover *d, const char *fmt, ...)
{
	va_list ap;

	if (d->nnotes == countof(d->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(d->notes[d->nnotes], sizeof(d->notes[0]), fmt, ap);
	va_end(ap);
	d->nnotes++;
}

/* ---- Apache ---- */

static void
apache_walk(struct discover *d, const struct apache_conf *ac,
    const struct apache_node *n)
{
	for (size_t i = 0; i < n->nchild; i++) {
		const struct apache_node *k = n->child[i];
		char source[DISCOVER_SOURCE_MAX], path[PATH_MAX];
		const char *t;
		int err;

		if (k->section) {
			apache_walk(d, ac, k);
			continue;
		}
		err = strcasecmp(k->name, "ErrorLog") == 0;
		if ((!err && strcasecmp(k->name, "CustomLog") != 0 &&
		        strcasecmp(k->name, "TransferLog") != 0) ||
		    k->argc < 1)
			continue;
		t = k->argv[0];
		snprintf(source, sizeof(source), "%s:%d", k->file, k->line);
		if (t[0] == '|')
			discover_skipped(d, t, source, "piped");
		else if (err &&
		    (strcmp(t, "syslog") == 0 || strncmp(t, "syslog:", 7) == 0))
			discover_skipped(d, t, source, "syslog");
		else if (t[0] == '/')
			discover_add(d, t,
			    err ? DISCOVER_ERROR : DISCOVER_ACCESS, source,
			    "apache");
		else if (path_join(path, sizeof(path), ac->server_root, t) == 0)
			discover_add(d, path,
			    err ? DISCOVER_ERROR : DISCOVER_ACCESS, source,
			    "apache");
	}
}

void
discover_apache(struct discover *d, const struct apache_conf *ac)
{
	apache_walk(d, ac, &ac->root);
}

/* ---- the system ---- */

static int
exists(const char *root, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	return path_join(full, sizeof(full), root ? root : "", path) == 0 &&
	    stat(full, &st) == 0;
}

void
discover_system(struct discover *d, const char *root)
{
	static const struct {
		enum discover_kind k;
		const char *path[2];
	} sys[] = {
	    {DISCOVER_MAIL, {"/var/log/mail.log", "/var/log/maillog"}},
	    {DISCOVER_AUTH, {"/var/log/auth.log", "/var/log/secure"}},
	    {DISCOVER_KERNEL, {"/dev/kmsg", NULL}},
	};

	for (size_t i = 0; i < countof(sys); i++) {
		int any = 0;

		for (size_t j = 0; j < 2 && sys[i].path[j] != NULL; j++)
			if (exists(root, sys[i].path[j])) {
				discover_add(d, sys[i].path[j], sys[i].k,
				    "default", "system");
				any = 1;
			}
		/* None there: the usual names, listed as absent. */
		for (size_t j = 0; !any && j < 2 && sys[i].path[j] != NULL; j++)
			discover_add(
			    d, sys[i].path[j], sys[i].k, "default", "system");
	}
}

/* ---- the configuration ---- */

static enum discover_kind
kind_of_name(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b == NULL ? path : b + 1;
	if (strstr(b, "error") != NULL)
		return DISCOVER_ERROR;
	if (strstr(b, "mail") != NULL)
		return DISCOVER_MAIL;
	if (strstr(b, "auth") != NULL || strstr(b, "secure") != NULL)
		return DISCOVER_AUTH;
	return DISCOVER_ACCESS;
}

static void
drop_matching(struct discover *d, const char *pattern)
{
	size_t k = 0;

	for (size_t i = 0; i < d->n; i++)
		if (fnmatch(pattern, d->log[i].path, FNM_PATHNAME) != 0)
			d->log[k++] = d->log[i];
	d->n = k;
}

int
discover_conf(struct discover *d, const struct conf *c, struct err *err)
{
	for (size_t i = 0; c != NULL && i < c->root.nchild; i++) {
		const struct conf_node *b = &c->root.child[i];

		if (strcmp(b->key, "logs") != 0 || !b->is_block)
			continue;
		/* follow first, then ignore: ignore wins, wherever written */
		for (size_t j = 0; j < b->nchild; j++) {
			const struct conf_node *s = &b->child[j];
			enum discover_kind k;
			char source[DISCOVER_SOURCE_MAX];

			if (strcmp(s->key, "follow") != 0)
				continue;
			/* conf_load checked its form (schema.c) */
			k = kind_of_name(s->vals[0].str);
			if (s->nvals == 3 &&
			    discover_kind_parse(s->vals[2].str, &k) == -1)
				return err_set(err, EINVAL,
				    "%s:%d: follow '%s': unknown kind '%s'",
				    s->file, s->line, s->vals[0].str,
				    s->vals[2].str);
			snprintf(
			    source, sizeof(source), "%s:%d", s->file, s->line);
			/* the configuration overrides what was found */
			drop_matching(d, s->vals[0].str);
			discover_add(d, s->vals[0].str, k, source, "sakimori");
		}
		for (size_t j = 0; j < b->nchild; j++) {
			const struct conf_node *s = &b->child[j];

			if (strcmp(s->key, "ignore") != 0)
				continue;
			for (size_t v = 0; v < s->nvals; v++)
				drop_matching(d, s->vals[v].str);
		}
	}
	return 0;
}

void
discover_stat(struct discover *d, const char *root)
{
	for (size_t i = 0; i < d->n; i++)
		d->log[i].present = exists(root, d->log[i].path);
}

int
discover_logs(
    struct discover *d, const char *root, const struct conf *c, struct err *err)
{
	char path[PATH_MAX];

	if (apache_conf_find(root, path, sizeof(path)) == 0) {
		struct apache_conf *ac = calloc(1, sizeof(*ac));
		struct apache_opts ao;

		if (ac == NULL)
			return err_set(err, ENOMEM, "out of memory");
		memset(&ao, 0, sizeof(ao));
		ao.root = root;
		if (apache_conf_load(ac, path, &ao) == -1)
			discover_note(d,
			    "%zu problems reading Apache's configuration, "
			    "the first: %s ('sakimori audit apache' lists "
			    "them)",
			    ac->nerrs + ac->errs_dropped,
			    ac->nerrs > 0 ? ac->errs[0] : "?");
		discover_apache(d, ac);
		apache_conf_release(ac);
		free(ac);
	}
	discover_nginx(d, root, "/etc/nginx/nginx.conf");
	discover_system(d, root);
	if (discover_conf(d, c, err) == -1)
		return -1;
	discover_stat(d, root);
	return 0;
}
