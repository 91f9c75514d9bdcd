/*
 * discover_nginx.c - the statements of an nginx configuration, read as
 * nginx's own tokenizer reads them (words, quotes with backslash escapes,
 * comments, ';' and blocks), and the log files they name.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "logs/discover.h"
#include "logs/discover_int.h"

#define WORDS_BYTES 16384 /* of one statement's words; more is cut */

struct tok {
	const char *p, *end;
	int line;
	char buf[WORDS_BYTES];
	size_t used;
	struct nginx_stmt s;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
put(struct tok *t, char c)
{
	if (t->used + 1 < WORDS_BYTES)
		t->buf[t->used++] = c;
}

static void
word_end(struct tok *t, size_t start)
{
	t->buf[t->used < WORDS_BYTES ? t->used : WORDS_BYTES - 1] = '\0';
	if (t->used + 1 < WORDS_BYTES)
		t->used++;
	if (t->s.nw < NGINX_MAX_WORDS)
		t->s.w[t->s.nw++] = t->buf + start;
}

/* A quoted word from after its quote q: 0, or -1 when not closed. */
static int
quoted(struct tok *t, char q)
{
	while (t->p < t->end) {
		char c = *t->p++;

		if (c == q)
			return 0;
		if (c == '\n')
			t->line++;
		if (c == '\\' && t->p < t->end) {
			char e = *t->p++;

			if (e == 't')
				put(t, '\t');
			else if (e == 'r')
				put(t, '\r');
			else if (e == 'n')
				put(t, '\n');
			else if (e == '"' || e == '\'' || e == '\\')
				put(t, e);
			else {
				put(t, '\\');
				put(t, e);
			}
			if (e == '\n')
				t->line++;
			continue;
		}
		put(t, c);
	}
	return -1;
}

/* A bare word; "${name}" keeps its braces. */
static void
bare(struct tok *t)
{
	while (t->p < t->end) {
		char c = *t->p;

		if (is_space(c) || c == ';' || c == '}' ||
		    (c == '{' && !(t->used > 0 && t->buf[t->used - 1] == '$')))
			return;
		if (c == '{') {
			while (t->p < t->end && *t->p != '}' && *t->p != '\n')
				put(t, *t->p++);
			if (t->p < t->end && *t->p == '}')
				put(t, *t->p++);
			continue;
		}
		if (c == '\\' && t->p + 1 < t->end) {
			put(t, c);
			t->p++;
			c = *t->p;
		}
		put(t, c);
		t->p++;
	}
}

int
nginx_conf_parse(const char *text, size_t len,
    void (*fn)(void *arg, const struct nginx_stmt *s), void *arg, int *errline)
{
	struct tok *t = calloc(1, sizeof(*t));
	int depth = 0, rc = 0;

	if (t == NULL) {
		*errline = 0;
		return -1;
	}
	t->p = text;
	t->end = text + len;
	t->line = 1;
	while (t->p < t->end) {
		char c = *t->p;
		size_t start;

		if (is_space(c)) {
			if (c == '\n')
				t->line++;
			t->p++;
			continue;
		}
		if (c == '#') {
			while (t->p < t->end && *t->p != '\n')
				t->p++;
			continue;
		}
		if (c == ';' || c == '{') {
			t->p++;
			if (t->s.nw == 0) {
				if (c == '{')
					goto bad; /* a block without a name */
				continue;
			}
			t->s.block = c == '{';
			t->s.depth = depth;
			fn(arg, &t->s);
			depth += c == '{';
			memset(&t->s, 0, sizeof(t->s));
			t->used = 0;
			continue;
		}
		if (c == '}') {
			t->p++;
			if (depth == 0 || t->s.nw > 0)
				goto bad;
			depth--;
			continue;
		}
		if (t->s.nw == 0)
			t->s.line = t->line;
		start = t->used;
		if (c == '"' || c == '\'') {
			t->p++;
			if (quoted(t, c) == -1)
				goto bad;
		} else {
			bare(t);
		}
		word_end(t, start);
	}
	if (depth == 0 && t->s.nw == 0)
		goto out;
bad:
	*errline = t->line;
	rc = -1;
out:
	free(t);
	return rc;
}

/* ---- the logs nginx writes ---- */

#define NGINX_PREFIX "/usr/share/nginx" /* Debian's --prefix */
#define NGINX_CONF_DIR "/etc/nginx"
#define NGINX_FILES_MAX 256
#define NGINX_DEPTH_MAX 16

struct ngx {
	struct discover *d;
	const char *root;
	const char *file; /* as nginx sees it */
	const char *conf_dir;
	int depth;
	size_t nfiles;
	int access_seen;
};

static void read_file(struct ngx *x, const char *path);

static void
include(struct ngx *x, const char *pattern)
{
	char rel[PATH_MAX], full[PATH_MAX];
	size_t rootlen = x->root ? strlen(x->root) : 0;
	glob_t g;

	if (pattern[0] == '/')
		snprintf(rel, sizeof(rel), "%s", pattern);
	else if (path_join(rel, sizeof(rel), x->conf_dir, pattern) == -1)
		return;
	if (path_join(full, sizeof(full), x->root ? x->root : "", rel) == -1)
		return;
	while (rootlen > 0 && x->root[rootlen - 1] == '/')
		rootlen--; /* path_join put one '/' between */
	if (glob(full, 0, NULL, &g) != 0)
		return; /* nothing matched: nginx refuses only a plain name */
	for (size_t i = 0; i < g.gl_pathc; i++)
		read_file(x, g.gl_pathv[i] + rootlen);
	globfree(&g);
}

static void
stmt(void *arg, const struct nginx_stmt *s)
{
	struct ngx *x = arg;
	const char *target;
	char source[DISCOVER_SOURCE_MAX], path[PATH_MAX];
	int access;

	if (s->block || s->nw < 2)
		return;
	if (strcmp(s->w[0], "include") == 0) {
		include(x, s->w[1]);
		return;
	}
	access = strcmp(s->w[0], "access_log") == 0;
	if (!access && strcmp(s->w[0], "error_log") != 0)
		return;
	target = s->w[1];
	snprintf(source, sizeof(source), "%s:%d", x->file, s->line);
	if (access)
		x->access_seen = 1;
	if (strcmp(target, "off") == 0)
		discover_skipped(x->d, target, source, "off");
	else if (strncmp(target, "syslog:", 7) == 0)
		discover_skipped(x->d, target, source, "syslog");
	else if (strcmp(target, "stderr") == 0)
		discover_skipped(x->d, target, source, "stderr");
	else if (strncmp(target, "memory:", 7) == 0)
		discover_skipped(x->d, target, source, "memory");
	else if (strchr(target, '$') != NULL)
		discover_skipped(x->d, target, source, "variable in the name");
	else if (target[0] == '/')
		discover_add(x->d, target,
		    access ? DISCOVER_ACCESS : DISCOVER_ERROR, source, "nginx");
	else if (path_join(path, sizeof(path), NGINX_PREFIX, target) == 0)
		discover_add(x->d, path,
		    access ? DISCOVER_ACCESS : DISCOVER_ERROR, source, "nginx");
}

static void
read_file(struct ngx *x, const char *path)
{
	struct strbuf sb = STRBUF_INIT(4 * 1024 * 1024);
	char full[PATH_MAX];
	const char *saved = x->file;
	struct err err = {0};
	int errline;

	if (x->depth >= NGINX_DEPTH_MAX || x->nfiles >= NGINX_FILES_MAX ||
	    path_join(full, sizeof(full), x->root ? x->root : "", path) == -1)
		return;
	x->nfiles++;
	if (file_read(full, 4 * 1024 * 1024, &sb, NULL, &err) == -1) {
		discover_note(x->d, "%s", err.msg);
		strbuf_release(&sb);
		return;
	}
	x->depth++;
	x->file = path;
	if (nginx_conf_parse(sb.p, sb.len, stmt, x, &errline) == -1)
		discover_note(x->d, "%s:%d: nginx configuration syntax error",
		    path, errline);
	x->file = saved;
	x->depth--;
	strbuf_release(&sb);
}

int
discover_nginx(struct discover *d, const char *root, const char *main)
{
	struct ngx x = {d, root, main, NGINX_CONF_DIR, 0, 0, 0};
	char full[PATH_MAX];
	const char *slash = strrchr(main, '/');
	char dir[PATH_MAX];

	if (path_join(full, sizeof(full), root ? root : "", main) == -1 ||
	    access(full, R_OK) == -1)
		return -1;
	if (slash != NULL && slash != main) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - main), main);
		x.conf_dir = dir;
	}
	read_file(&x, main);
	if (!x.access_seen)
		discover_add(d, "/var/log/nginx/access.log", DISCOVER_ACCESS,
		    "default", "nginx");
	return 0;
}
