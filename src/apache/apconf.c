/*
 * apconf.c - read an Apache configuration into a tree (see apache.h).
 *
 * One pass in file order, as httpd's ap_build_config does: LoadModule,
 * Define, ServerRoot and the conditional sections act as they are read,
 * so an <IfModule> sees exactly the modules loaded above it.  The only
 * I/O is following Include (read_include), which checks every file
 * against the chain of files being read to catch include loops, and
 * reading the .htaccess files of the CGI directories and their parents
 * (apache_htaccess_load) once the configuration is read.
 */
#include <dirent.h>
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
#include "base/strbuf.h"

#define MAX_DEPTH 64         /* nested includes (httpd: 128) */
#define MAX_FILES 4096       /* files read in one load */
#define MAX_FILE (16u << 20) /* bytes per file */
#define MAX_NODES 500000     /* directives kept */
#define MAX_VARS 1024        /* Define'd variables */
#define MAX_LINE (64u << 10) /* one logical line with continuations */
#define MAX_ARGS 256         /* arguments kept per directive */
#define MAX_STACK 256        /* nested sections in one file */

static const char *const debian_static[] = {"core_module", "so_module",
    "watchdog_module", "http_module", "log_config_module", "logio_module",
    "version_module", "unixd_module", NULL};

/* Module ids whose source file is not mod_NAME.c. */
static const struct {
	const char *id, *src;
} mod_src[] = {
    {"core_module", "core.c"},
    {"http_module", "http_core.c"},
    {"mpm_event_module", "event.c"},
    {"mpm_prefork_module", "prefork.c"},
    {"mpm_worker_module", "worker.c"},
    {"mpm_winnt_module", "mpm_winnt.c"},
    {"php5_module", "mod_php5.c"},
    {"php7_module", "mod_php7.c"},
    {"php_module", "mod_php.c"},
};

struct frame {
	int cond;      /* a conditional section: no node of its own */
	char name[64]; /* section name as opened */
	struct apache_node *node; /* the node children go to */
	int line;
};

struct loader {
	struct apache_conf *c;
	const struct apache_opts *o;
	const char *root;
	int depth;
	struct {
		dev_t dev;
		ino_t ino;
	} chain[MAX_DEPTH];
	int nchain;
	int htaccess; /* reading an access file: directives act on nothing */
};

static void add_err(struct apache_conf *c, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add_err(struct apache_conf *c, const char *file, int line, const char *fmt, ...)
{
	char msg[768], full[1024];
	va_list ap;

	if (c->nerrs >= APACHE_MAX_ERRS) {
		c->errs_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", file, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", file, msg);
	c->errs[c->nerrs] = strdup(full);
	if (c->errs[c->nerrs] != NULL)
		c->nerrs++;
}

static void *
xrealloc(void *p, size_t n, size_t sz)
{
	void *q = reallocarray(p, n, sz);

	if (q == NULL)
		abort(); /* configuration sizes are capped well below this */
	return q;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		abort();
	return p;
}

static const char *
intern_file(struct apache_conf *c, const char *path)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], path) == 0)
			return c->files[i];
	c->files = xrealloc(c->files, c->nfiles + 1, sizeof(*c->files));
	c->files[c->nfiles] = xstrndup(path, strlen(path));
	return c->files[c->nfiles++];
}

/* ---- variables and modules ---- */

static struct apache_var *
var_find(const struct apache_conf *c, const char *name, size_t n)
{
	for (size_t i = 0; i < c->nvars; i++)
		if (strlen(c->vars[i].name) == n &&
		    memcmp(c->vars[i].name, name, n) == 0)
			return &c->vars[i];
	return NULL;
}

int
apache_defined(const struct apache_conf *c, const char *name)
{
	return var_find(c, name, strlen(name)) != NULL;
}

const char *
apache_var(const struct apache_conf *c, const char *name)
{
	const struct apache_var *v = var_find(c, name, strlen(name));

	return v != NULL ? v->value : NULL;
}

static void
var_set(struct apache_conf *c, const char *name, const char *value)
{
	struct apache_var *v = var_find(c, name, strlen(name));

	if (v == NULL) {
		if (c->nvars >= MAX_VARS)
			return;
		c->vars = xrealloc(c->vars, c->nvars + 1, sizeof(*c->vars));
		v = &c->vars[c->nvars++];
		v->name = xstrndup(name, strlen(name));
		v->value = NULL;
	}
	if (value != NULL) {
		free(v->value);
		v->value = xstrndup(value, strlen(value));
	}
}

static void
var_unset(struct apache_conf *c, const char *name)
{
	struct apache_var *v = var_find(c, name, strlen(name));

	if (v == NULL)
		return;
	free(v->name);
	free(v->value);
	*v = c->vars[--c->nvars];
}

static void
mod_add(struct apache_conf *c, const char *id, const char *path,
    const char *file, int line)
{
	for (size_t i = 0; i < c->nmods; i++)
		if (strcmp(c->mods[i].id, id) == 0)
			return; /* httpd: "already loaded, skipping" */
	c->mods = xrealloc(c->mods, c->nmods + 1, sizeof(*c->mods));
	c->mods[c->nmods].id = xstrndup(id, strlen(id));
	c->mods[c->nmods].path =
	    path != NULL ? xstrndup(path, strlen(path)) : NULL;
	c->mods[c->nmods].file = file;
	c->mods[c->nmods].line = line;
	c->nmods++;
}

/* The source file name httpd knows a module id by ("mod_status.c"). */
static void
mod_src_name(const char *id, char *dst, size_t dstsz)
{
	size_t n = strlen(id);

	for (size_t i = 0; i < countof(mod_src); i++)
		if (strcmp(mod_src[i].id, id) == 0) {
			snprintf(dst, dstsz, "%s", mod_src[i].src);
			return;
		}
	if (n > 7 && strcmp(id + n - 7, "_module") == 0)
		snprintf(dst, dstsz, "mod_%.*s.c", (int)(n - 7), id);
	else
		snprintf(dst, dstsz, "%s", id);
}

int
apache_module_loaded(const struct apache_conf *c, const char *name)
{
	char src[128];

	for (size_t i = 0; i < c->nmods; i++) {
		if (strcmp(c->mods[i].id, name) == 0)
			return 1;
		mod_src_name(c->mods[i].id, src, sizeof(src));
		if (strcmp(src, name) == 0)
			return 1;
	}
	return 0;
}

/* ---- nodes ---- */

static struct apache_node *
node_add(struct loader *L, struct apache_node *parent, const char *name,
    size_t namelen, char **argv, size_t argc, int section, const char *file,
    int line)
{
	struct apache_node *n;

	if (L->c->nnodes >= MAX_NODES) {
		if (L->c->nnodes++ == MAX_NODES)
			add_err(L->c, file, line,
			    "more than %d directives; the rest is ignored",
			    MAX_NODES);
		for (size_t i = 0; i < argc; i++)
			free(argv[i]);
		free(argv);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		abort();
	n->name = xstrndup(name, namelen);
	n->argv = argv;
	n->argc = argc;
	n->section = section;
	n->file = file;
	n->line = line;
	n->parent = parent;
	if (parent->nchild == parent->capchild) {
		parent->capchild = parent->capchild ? parent->capchild * 2 : 8;
		parent->child = xrealloc(
		    parent->child, parent->capchild, sizeof(*parent->child));
	}
	parent->child[parent->nchild++] = n;
	L->c->nnodes++;
	return n;
}

static void
node_free(struct apache_node *n)
{
	for (size_t i = 0; i < n->nchild; i++) {
		node_free(n->child[i]);
		free(n->child[i]);
	}
	free(n->child);
	for (size_t i = 0; i < n->argc; i++)
		free(n->argv[i]);
	free(n->argv);
	free(n->name);
}

const struct apache_node *
apache_find(const struct apache_node *n, const char *name)
{
	const struct apache_node *found = NULL;

	for (size_t i = 0; i < n->nchild; i++)
		if (!n->child[i]->section &&
		    strcasecmp(n->child[i]->name, name) == 0)
			found = n->child[i];
	return found;
}

/* ---- lexing one logical line ---- */

/* Expands ${NAME} from the defined variables (undefined: kept as written,
 * as httpd does after its warning). */
static int
expand_vars(
    const struct apache_conf *c, const char *s, size_t n, struct strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			const char *close = memchr(s + i + 2, '}', n - i - 2);

			if (close != NULL) {
				const struct apache_var *v = var_find(
				    c, s + i + 2, (size_t)(close - s - i - 2));

				if (v != NULL && v->value != NULL) {
					if (strbuf_adds(out, v->value) == -1)
						return -1;
					i = (size_t)(close - s);
					continue;
				}
			}
		}
		if (strbuf_addc(out, s[i]) == -1)
			return -1;
	}
	return 0;
}

/*
 * Splits [s, e) into words as ap_getword_conf does: blanks separate,
 * "double" or 'single' quotes group, a backslash before the quote character
 * inside quotes escapes it.  Returns the number of words (at most max).
 */
static size_t
split_words(const char *s, const char *e, char **argv, size_t max)
{
	size_t n = 0;

	for (;;) {
		struct strbuf w = STRBUF_INIT(MAX_LINE);

		while (s < e &&
		    (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' ||
		        *s == '\f' || *s == '\v'))
			s++;
		if (s == e || n == max)
			break;
		if (*s == '"' || *s == '\'') {
			char q = *s++;

			while (s < e && *s != q) {
				if (*s == '\\' && s + 1 < e && s[1] == q)
					s++;
				strbuf_addc(&w, *s++);
			}
			if (s < e)
				s++;
		} else {
			while (s < e && *s != ' ' && *s != '\t' && *s != '\r' &&
			    *s != '\n' && *s != '\f' && *s != '\v')
				strbuf_addc(&w, *s++);
		}
		argv[n++] = xstrndup(strbuf_str(&w), w.len);
		strbuf_release(&w);
	}
	return n;
}

/* ---- conditions ---- */

static int
version_cmp(const char *a, const char *b)
{
	for (;;) {
		long x = 0, y = 0;

		while (*a >= '0' && *a <= '9')
			x = x * 10 + (*a++ - '0');
		while (*b >= '0' && *b <= '9')
			y = y * 10 + (*b++ - '0');
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if ((*a < '0' || *a > '9') && (*b < '0' || *b > '9'))
			return 0;
	}
}

/* <IfVersion [[!]op] version>; regular expressions count as true. */
static int
eval_ifversion(const char *have, char **argv, size_t argc)
{
	const char *op = "=", *want;
	int neg = 0, r;

	if (argc == 0)
		return 1;
	if (argc >= 2) {
		op = argv[0];
		want = argv[1];
	} else
		want = argv[0];
	if (op[0] == '!') {
		neg = 1;
		op++;
	}
	if (*op == '~' || want[0] == '/')
		return 1;
	r = version_cmp(have, want);
	if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0) {
		/* "2.4" matches 2.4.x: compare only the parts written */
		size_t n = strlen(want);
		r = strncmp(have, want, n) == 0 &&
		    (have[n] == '\0' || have[n] == '.');
		return neg ? !r : r;
	}
	if (strcmp(op, ">") == 0)
		r = r > 0;
	else if (strcmp(op, ">=") == 0)
		r = r >= 0;
	else if (strcmp(op, "<") == 0)
		r = r < 0;
	else if (strcmp(op, "<=") == 0)
		r = r <= 0;
	else
		r = 1;
	return neg ? !r : r;
}

static void
resolve_path(const struct apache_conf *c, const char *p, char *dst, size_t sz)
{
	/* too long: "", which names no file */
	(void)path_join(dst, sz, p[0] == '/' ? NULL : c->server_root, p);
}

/* 1, 0, or -1 when name is not a conditional section. */
static int
eval_cond(struct loader *L, const char *name, char **argv, size_t argc)
{
	const char *a = argc > 0 ? argv[0] : "";
	int neg = 0, r;

	if (strcasecmp(name, "IfVersion") == 0)
		return eval_ifversion(L->c->version, argv, argc);
	if (strcasecmp(name, "IfModule") != 0 &&
	    strcasecmp(name, "IfDefine") != 0 &&
	    strcasecmp(name, "IfFile") != 0 &&
	    strcasecmp(name, "IfDirective") != 0 &&
	    strcasecmp(name, "IfSection") != 0)
		return -1;
	if (*a == '!') {
		neg = 1;
		a++;
	}
	if (strcasecmp(name, "IfModule") == 0)
		r = apache_module_loaded(L->c, a);
	else if (strcasecmp(name, "IfDefine") == 0)
		r = var_find(L->c, a, strlen(a)) != NULL;
	else if (strcasecmp(name, "IfFile") == 0) {
		char p[PATH_MAX], full[PATH_MAX];
		struct stat st;

		resolve_path(L->c, a, p, sizeof(p));
		r = path_join(full, sizeof(full), L->root, p) == 0 &&
		    stat(full, &st) == 0;
	} else
		r = 1; /* IfDirective / IfSection: assume httpd knows it */
	return neg ? !r : r;
}

/* ---- includes ---- */

static void process_file(struct loader *L, const char *path,
    struct apache_node *parent, const char *from, int fromline);

static int
has_glob(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir (logical path) matching pat (NULL: all but . and ..). */
static size_t
dir_names(struct loader *L, const char *dir, const char *pat, char ***out)
{
	char full[PATH_MAX];
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;
	DIR *d;

	*out = NULL;
	if (path_join(full, sizeof(full), L->root, dir) == -1 ||
	    (d = opendir(full)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < MAX_FILES) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (pat != NULL && fnmatch(pat, de->d_name, FNM_PERIOD) != 0)
			continue;
		v = xrealloc(v, n + 1, sizeof(*v));
		v[n++] = xstrndup(de->d_name, strlen(de->d_name));
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return n;
}

static int
is_dir(struct loader *L, const char *p)
{
	char full[PATH_MAX];
	struct stat st;

	return path_join(full, sizeof(full), L->root, p) == 0 &&
	    stat(full, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Includes path: a directory means every file under it, sorted. */
static void
include_one(struct loader *L, const char *p, struct apache_node *parent,
    const char *from, int line)
{
	if (is_dir(L, p)) {
		char **names;
		size_t n = dir_names(L, p, NULL, &names);

		for (size_t i = 0; i < n; i++) {
			char sub[PATH_MAX];

			if (path_join(sub, sizeof(sub), p, names[i]) == 0)
				include_one(L, sub, parent, from, line);
			free(names[i]);
		}
		free(names);
		return;
	}
	process_file(L, p, parent, from, line);
}

/*
 * Expands the components of pattern from rest onwards below base, as
 * httpd does for Include with wildcards in any component; returns how
 * many files matched.
 */
static size_t
include_glob(struct loader *L, const char *base, const char *rest,
    struct apache_node *parent, const char *from, int line)
{
	const char *slash;
	char comp[NAME_MAX + 1], next[PATH_MAX];
	size_t n, count = 0;
	char **names;

	while (*rest == '/')
		rest++;
	if (*rest == '\0') {
		include_one(L, base[0] ? base : "/", parent, from, line);
		return 1;
	}
	slash = strchr(rest, '/');
	n = slash ? (size_t)(slash - rest) : strlen(rest);
	if (n > NAME_MAX)
		return 0;
	memcpy(comp, rest, n);
	comp[n] = '\0';
	if (!has_glob(comp, n)) {
		if (path_join(next, sizeof(next), base[0] ? base : "/", comp) ==
		        -1 ||
		    (slash != NULL && !is_dir(L, next)))
			return 0;
		if (slash == NULL) {
			char full[PATH_MAX];
			struct stat st;

			if (path_join(full, sizeof(full), L->root, next) ==
			        -1 ||
			    stat(full, &st) == -1)
				return 0;
		}
		return include_glob(L, next, rest + n, parent, from, line);
	}
	n = dir_names(L, base[0] ? base : "/", comp, &names);
	for (size_t i = 0; i < n; i++) {
		/* a wildcard in a directory component matches directories */
		if (path_join(next, sizeof(next), base[0] ? base : "/",
		        names[i]) == 0 &&
		    (slash == NULL || is_dir(L, next)))
			count += include_glob(
			    L, next, slash ? slash : "", parent, from, line);
		free(names[i]);
	}
	free(names);
	return count;
}

static void
do_include(struct loader *L, const char *pattern, int optional,
    struct apache_node *parent, const char *file, int line)
{
	char p[PATH_MAX];

	resolve_path(L->c, pattern, p, sizeof(p));
	if (has_glob(p, strlen(p))) {
		if (include_glob(L, "", p, parent, file, line) == 0 &&
		    !optional)
			add_err(L->c, file, line,
			    "Include '%s': no file matches the wildcard "
			    "pattern",
			    p);
		return;
	}
	if (optional) {
		char full[PATH_MAX];
		struct stat st;

		if (path_join(full, sizeof(full), L->root, p) == -1 ||
		    stat(full, &st) == -1)
			return;
	}
	include_one(L, p, parent, file, line);
}

/* ---- the reading loop ---- */

/* Reads the Debian envvars file: "export NAME=value" with $NAME expanded. */
static void
read_envvars(struct loader *L, const char *path)
{
	struct strbuf sb = STRBUF_INIT(1u << 20), val = STRBUF_INIT(4096);
	char full[PATH_MAX];
	const char *cur, *end;
	struct err err = {0};

	if (path_join(full, sizeof(full), L->root, path) == -1 ||
	    file_read(full, 1u << 20, &sb, NULL, &err) == -1) {
		strbuf_release(&sb);
		return;
	}
	cur = sb.p;
	end = sb.p + sb.len;
	while (cur < end) {
		const char *ls = cur,
		           *le = memchr(cur, '\n', (size_t)(end - cur));
		const char *eq, *v, *ve;
		char name[128];

		if (le == NULL)
			le = end;
		cur = le < end ? le + 1 : end;
		while (ls < le && (*ls == ' ' || *ls == '\t'))
			ls++;
		if (le - ls < 7 || memcmp(ls, "export ", 7) != 0)
			continue;
		ls += 7;
		eq = memchr(ls, '=', (size_t)(le - ls));
		if (eq == NULL || eq == ls || (size_t)(eq - ls) >= sizeof(name))
			continue;
		memcpy(name, ls, (size_t)(eq - ls));
		name[eq - ls] = '\0';
		v = eq + 1;
		ve = le;
		if (ve > v && (*v == '"' || *v == '\'') && ve[-1] == *v) {
			v++;
			ve--;
		}
		strbuf_reset(&val);
		for (const char *q = v; q < ve; q++) {
			if (*q == '$') {
				const char *ns = q + 1, *ne;
				int brace = ns < ve && *ns == '{';

				if (brace)
					ns++;
				for (ne = ns; ne < ve &&
				     (*ne == '_' ||
				         (*ne >= 'A' && *ne <= 'Z') ||
				         (*ne >= 'a' && *ne <= 'z') ||
				         (*ne >= '0' && *ne <= '9'));
				     ne++)
					;
				if (ne > ns) {
					const struct apache_var *x = var_find(
					    L->c, ns, (size_t)(ne - ns));

					if (x != NULL && x->value != NULL)
						strbuf_adds(&val, x->value);
					q = brace && ne < ve && *ne == '}'
					    ? ne
					    : ne - 1;
					continue;
				}
			}
			strbuf_addc(&val, *q);
		}
		var_set(L->c, name, strbuf_str(&val));
	}
	strbuf_release(&sb);
	strbuf_release(&val);
}

static void
free_argv(char **argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void
handle_directive(struct loader *L, struct apache_node *parent, char **argv,
    size_t argc, const char *file, int line)
{
	const char *name = argv[0];

	if (L->htaccess)
		; /* httpd refuses these in an access file: no effect */
	else if (strcasecmp(name, "Include") == 0 ||
	    strcasecmp(name, "IncludeOptional") == 0) {
		int optional = strcasecmp(name, "IncludeOptional") == 0;

		if (argc != 2)
			add_err(
			    L->c, file, line, "%s takes one argument", name);
		else if (!L->o->no_include)
			do_include(L, argv[1], optional, parent, file, line);
	} else if (strcasecmp(name, "Define") == 0) {
		if (argc < 2 || argc > 3)
			add_err(L->c, file, line,
			    "Define takes one or two arguments");
		else if (strchr(argv[1], ':') != NULL)
			add_err(L->c, file, line,
			    "Define '%s': a variable name must not contain ':'",
			    argv[1]);
		else
			var_set(L->c, argv[1], argc == 3 ? argv[2] : NULL);
	} else if (strcasecmp(name, "UnDefine") == 0) {
		if (argc == 2)
			var_unset(L->c, argv[1]);
	} else if (strcasecmp(name, "LoadModule") == 0) {
		if (argc != 3)
			add_err(
			    L->c, file, line, "LoadModule takes two arguments");
		else
			mod_add(L->c, argv[1], argv[2], file, line);
	} else if (strcasecmp(name, "ServerRoot") == 0 && argc == 2 &&
	    parent == &L->c->root) {
		snprintf(L->c->server_root, sizeof(L->c->server_root), "%s",
		    argv[1]);
	}
	/* kept in the tree whatever it is; the name leaves argv */
	{
		char *nm = argv[0];

		memmove(argv, argv + 1, (argc - 1) * sizeof(*argv));
		node_add(
		    L, parent, nm, strlen(nm), argv, argc - 1, 0, file, line);
		free(nm);
	}
}

static void
process_text(struct loader *L, const char *file, const char *text, size_t len,
    struct apache_node *parent)
{
	struct frame stack[MAX_STACK];
	int sp = 0, skip = 0; /* skip: depth of a false condition's soak */
	char skipname[MAX_STACK][64];
	const char *cur = text, *end = text + len;
	struct strbuf logical = STRBUF_INIT(MAX_LINE);
	struct strbuf exp = STRBUF_INIT(MAX_LINE);
	int lineno = 0;

	stack[0].cond = 0;
	stack[0].node = parent;
	stack[0].name[0] = '\0';
	stack[0].line = 0;
	while (cur < end) {
		const char *ls, *le, *s, *e;
		int start;

		/* one logical line: a trailing backslash continues it */
		strbuf_reset(&logical);
		start = lineno + 1;
		for (;;) {
			ls = cur;
			le = memchr(cur, '\n', (size_t)(end - cur));
			if (le == NULL)
				le = end;
			cur = le < end ? le + 1 : end;
			lineno++;
			e = le;
			while (e > ls &&
			    (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			if (e > ls && e[-1] == '\\' && cur < end) {
				strbuf_add(&logical, ls, (size_t)(e - 1 - ls));
				continue;
			}
			strbuf_add(&logical, ls, (size_t)(e - ls));
			break;
		}
		s = logical.p;
		e = s + logical.len;
		while (s < e &&
		    (*s == ' ' || *s == '\t' || *s == '\f' || *s == '\v' ||
		        *s == '\r'))
			s++;
		if (s == e || *s == '#')
			continue;
		if (memchr(s, '\0', (size_t)(e - s)) != NULL) {
			add_err(L->c, file, start, "NUL byte in line; skipped");
			continue;
		}

		if (skip > 0) {
			/* soaking a false condition: track nesting only */
			if (e - s > 2 && s[0] == '<' && s[1] == '/') {
				const char *n = s + 2, *ne = n;

				while (ne < e && *ne != '>' && *ne != ' ' &&
				    *ne != '\t')
					ne++;
				if ((size_t)(ne - n) !=
				        strlen(skipname[skip - 1]) ||
				    strncasecmp(n, skipname[skip - 1],
				        (size_t)(ne - n)) != 0)
					add_err(L->c, file, start,
					    "expected </%s> but saw </%.*s>",
					    skipname[skip - 1], (int)(ne - n),
					    n);
				skip--;
			} else if (s[0] == '<' && e - s > 1) {
				const char *n = s + 1, *ne = n;

				while (ne < e && *ne != '>' && *ne != ' ' &&
				    *ne != '\t')
					ne++;
				if (skip < MAX_STACK) {
					snprintf(skipname[skip], 64, "%.*s",
					    (int)(ne - n), n);
					skip++;
				}
			}
			continue;
		}

		if (expand_vars(L->c, s, (size_t)(e - s), &exp) == -1) {
			add_err(L->c, file, start, "line too long; skipped");
			continue;
		}
		s = exp.p;
		e = s + exp.len;

		if (e - s >= 2 && s[0] == '<' && s[1] == '/') {
			const char *n = s + 2, *ne = n;

			while (ne < e && *ne != '>')
				ne++;
			while (ne > n && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			if (sp == 0) {
				add_err(L->c, file, start,
				    "</%.*s> without matching <%.*s> section",
				    (int)(ne - n), n, (int)(ne - n), n);
				continue;
			}
			if ((size_t)(ne - n) != strlen(stack[sp].name) ||
			    strncasecmp(n, stack[sp].name, (size_t)(ne - n)) !=
			        0)
				add_err(L->c, file, start,
				    "expected </%s> but saw </%.*s>",
				    stack[sp].name, (int)(ne - n), n);
			sp--;
			continue;
		}
		if (s[0] == '<') {
			const char *n = s + 1, *ne = n, *gt = e;
			char **argv;
			size_t argc;
			char name[64];
			int r;

			while (
			    ne < e && *ne != ' ' && *ne != '\t' && *ne != '>')
				ne++;
			while (gt > ne && gt[-1] != '>')
				gt--;
			if (gt == ne && !(ne < e && *ne == '>')) {
				add_err(L->c, file, start,
				    "<%.*s> section is missing its closing '>'",
				    (int)(ne - n), n);
				gt = e + 1;
			}
			if (ne == n || (size_t)(ne - n) >= sizeof(name)) {
				add_err(L->c, file, start,
				    "bad section name '%.*s'",
				    (int)(e - s > 40 ? 40 : e - s), s);
				continue;
			}
			snprintf(name, sizeof(name), "%.*s", (int)(ne - n), n);
			argv = xrealloc(NULL, MAX_ARGS, sizeof(*argv));
			argc = split_words(ne, gt - 1, argv, MAX_ARGS);
			if (sp + 1 >= MAX_STACK) {
				add_err(L->c, file, start,
				    "sections nested too deeply");
				free_argv(argv, argc);
				continue;
			}
			r = eval_cond(L, name, argv, argc);
			if (r == 0) {
				free_argv(argv, argc);
				snprintf(skipname[0], 64, "%s", name);
				skip = 1;
				continue;
			}
			sp++;
			snprintf(
			    stack[sp].name, sizeof(stack[sp].name), "%s", name);
			stack[sp].line = start;
			if (r == 1) {
				stack[sp].cond = 1;
				stack[sp].node = stack[sp - 1].node;
				free_argv(argv, argc);
			} else {
				struct apache_node *nd;

				stack[sp].cond = 0;
				nd = node_add(L, stack[sp - 1].node, name,
				    strlen(name), argv, argc, 1, file, start);
				stack[sp].node =
				    nd != NULL ? nd : stack[sp - 1].node;
			}
			continue;
		}
		{
			char **argv = xrealloc(NULL, MAX_ARGS, sizeof(*argv));
			size_t argc = split_words(s, e, argv, MAX_ARGS);

			if (argc == 0) {
				free(argv);
				continue;
			}
			handle_directive(
			    L, stack[sp].node, argv, argc, file, start);
		}
	}
	if (skip > 0)
		add_err(L->c, file, lineno,
		    "end of file inside <%s> (a section is not closed)",
		    skipname[0]);
	for (; sp > 0; sp--)
		add_err(L->c, file, stack[sp].line,
		    "<%s> section is not closed before the end of the file",
		    stack[sp].name);
	strbuf_release(&logical);
	strbuf_release(&exp);
}

static void
process_file(struct loader *L, const char *path, struct apache_node *parent,
    const char *from, int fromline)
{
	struct strbuf sb = STRBUF_INIT(MAX_FILE);
	char full[PATH_MAX];
	struct err err = {0};
	struct stat st;
	int truncated = 0;
	const char *name;

	if (L->c->nfiles >= MAX_FILES) {
		add_err(L->c, from, fromline, "more than %d files included",
		    MAX_FILES);
		return;
	}
	if (L->nchain >= MAX_DEPTH) {
		add_err(L->c, from, fromline,
		    "includes nested more than %d deep at '%s'", MAX_DEPTH,
		    path);
		return;
	}
	if (path_join(full, sizeof(full), L->root, path) == -1 ||
	    stat(full, &st) == -1) {
		add_err(L->c, from, fromline,
		    "cannot open configuration file '%s': %s", path,
		    strerror(errno ? errno : ENAMETOOLONG));
		return;
	}
	for (int i = 0; i < L->nchain; i++)
		if (L->chain[i].dev == st.st_dev &&
		    L->chain[i].ino == st.st_ino) {
			add_err(L->c, from, fromline,
			    "include loop: '%s' is already being read", path);
			return;
		}
	if (file_read(full, MAX_FILE, &sb, &truncated, &err) == -1) {
		add_err(L->c, from, fromline, "%s", err.msg);
		strbuf_release(&sb);
		return;
	}
	name = intern_file(L->c, path);
	if (truncated)
		add_err(L->c, name, 0,
		    "larger than %u bytes; the rest is ignored", MAX_FILE);
	L->chain[L->nchain].dev = st.st_dev;
	L->chain[L->nchain].ino = st.st_ino;
	L->nchain++;
	process_text(L, name, sb.p, sb.len, parent);
	L->nchain--;
	strbuf_release(&sb);
}

static void
setup(struct apache_conf *c, struct loader *L, const char *path,
    const struct apache_opts *opts)
{
	static const struct apache_opts none = {0};
	const char *const *sm;

	memset(c, 0, sizeof(*c));
	memset(L, 0, sizeof(*L));
	if (opts == NULL)
		opts = &none;
	L->c = c;
	L->o = opts;
	L->root = opts->root ? opts->root : "";
	c->version = opts->version ? opts->version : "2.4.62";
	c->root.name = NULL;
	snprintf(c->main_file, sizeof(c->main_file), "%s", path);
	if (opts->server_root != NULL)
		snprintf(c->server_root, sizeof(c->server_root), "%s",
		    opts->server_root);
	else {
		const char *slash = strrchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : 0;

		if (n == 0)
			snprintf(c->server_root, sizeof(c->server_root), "%s",
			    slash ? "/" : ".");
		else
			snprintf(c->server_root, sizeof(c->server_root), "%.*s",
			    (int)n, path);
		/* Red Hat and upstream: ServerRoot/conf/httpd.conf */
		n = strlen(c->server_root);
		if (n > 5 && strcmp(c->server_root + n - 5, "/conf") == 0)
			c->server_root[n - 5] = '\0';
	}
	sm = opts->static_modules ? opts->static_modules : debian_static;
	for (; *sm != NULL; sm++)
		mod_add(c, *sm, NULL, NULL, 0);
	if (opts->defines != NULL)
		for (const char *const *d = opts->defines; *d != NULL; d++)
			var_set(c, *d, NULL);
	if (opts->envvars == NULL) {
		char ev[PATH_MAX];
		const char *slash = strrchr(path, '/');

		snprintf(ev, sizeof(ev), "%.*s/envvars",
		    (int)(slash ? slash - path : 1), slash ? path : ".");
		read_envvars(L, ev);
	} else if (opts->envvars[0] != '\0')
		read_envvars(L, opts->envvars);
}

int
apache_conf_load(
    struct apache_conf *c, const char *path, const struct apache_opts *opts)
{
	struct loader L;

	char(*cgi)[PATH_MAX];
	size_t ncgi;

	setup(c, &L, path, opts);
	process_file(&L, path, &c->root, path, 0);
	cgi = calloc(APACHE_MAX_HTACCESS, sizeof(*cgi));
	if (cgi == NULL)
		abort();
	ncgi = apache_cgi_dirs(c, cgi, APACHE_MAX_HTACCESS);
	for (size_t i = 0; i < ncgi && i < APACHE_MAX_HTACCESS; i++)
		apache_htaccess_load(c, cgi[i], opts);
	free(cgi);
	return c->nerrs > 0 || c->errs_dropped > 0 ? -1 : 0;
}

int
apache_conf_load_string(struct apache_conf *c, const char *name,
    const char *text, size_t len, const struct apache_opts *opts)
{
	struct loader L;
	struct apache_opts o;

	if (opts == NULL) {
		memset(&o, 0, sizeof(o));
		o.envvars = "";
		opts = &o;
	}
	setup(c, &L, name, opts);
	process_text(&L, intern_file(c, name), text, len, &c->root);
	return c->nerrs > 0 || c->errs_dropped > 0 ? -1 : 0;
}

/* ---- access files (.htaccess) ---- */

int
apache_htaccess_parse(struct apache_conf *c, const char *dir, const char *file,
    const char *text, size_t len)
{
	static const struct apache_opts none = {.no_include = 1};
	struct apache_htaccess *h;
	struct loader L;

	if (c->nhtaccess >= APACHE_MAX_HTACCESS)
		return -1;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		abort();
	snprintf(h->dir, sizeof(h->dir), "%s", dir);
	snprintf(h->file, sizeof(h->file), "%s", file);
	c->htaccess[c->nhtaccess++] = h;
	memset(&L, 0, sizeof(L));
	L.c = c;
	L.o = &none;
	L.root = "";
	L.htaccess = 1;
	process_text(&L, h->file, text, len, &h->root);
	return 0;
}

size_t
apache_htaccess_of(const struct apache_conf *c, const char *dir,
    const struct apache_htaccess **out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < c->nhtaccess; i++)
		if (strcmp(c->htaccess[i]->dir, dir) == 0) {
			if (k < max)
				out[k] = c->htaccess[i];
			k++;
		}
	return k;
}

/* 1 if file is read already. */
static int
htaccess_known(const struct apache_conf *c, const char *file)
{
	for (size_t i = 0; i < c->nhtaccess; i++)
		if (strcmp(c->htaccess[i]->file, file) == 0)
			return 1;
	return 0;
}

/* Reads dir/name (an access file) when it exists. */
static void
htaccess_read(
    struct apache_conf *c, const char *dir, const char *name, const char *root)
{
	struct strbuf sb = STRBUF_INIT(MAX_FILE);
	char file[PATH_MAX], full[PATH_MAX];
	struct err err = {0};
	int truncated = 0;

	if (path_join(file, sizeof(file), dir, name) == -1 ||
	    htaccess_known(c, file) ||
	    path_join(full, sizeof(full), root, file) == -1)
		return;
	if (file_read(full, MAX_FILE, &sb, &truncated, &err) == -1) {
		if (err.code != ENOENT && err.code != ENOTDIR)
			add_err(c, file, 0, "%s", err.msg);
	} else if (apache_htaccess_parse(c, dir, file, sb.p, sb.len) == -1)
		add_err(c, file, 0,
		    "more than %d access files; the rest is not read",
		    APACHE_MAX_HTACCESS);
	strbuf_release(&sb);
}

/* The access files of one directory. */
static void
htaccess_dir(struct apache_conf *c, const char *dir,
    const struct apache_node *names, const char *root)
{
	if (names == NULL || names->argc == 0) {
		htaccess_read(c, dir, ".htaccess", root);
		return;
	}
	for (size_t i = 0; i < names->argc; i++)
		if (strchr(names->argv[i], '/') == NULL)
			htaccess_read(c, dir, names->argv[i], root);
}

void
apache_htaccess_load(
    struct apache_conf *c, const char *dir, const struct apache_opts *opts)
{
	const struct apache_node *names =
	    apache_find(&c->root, "AccessFileName");
	const char *root = opts != NULL && opts->root ? opts->root : "";
	size_t n = strlen(dir);

	if (dir[0] != '/' || n >= PATH_MAX)
		return;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	/* every directory from / down to dir, as httpd walks them */
	htaccess_dir(c, "/", names, root);
	for (size_t i = 1; i <= n; i++)
		if ((i == n || dir[i] == '/') && dir[i - 1] != '/') {
			char sub[PATH_MAX];

			snprintf(sub, sizeof(sub), "%.*s", (int)i, dir);
			htaccess_dir(c, sub, names, root);
		}
}

void
apache_conf_release(struct apache_conf *c)
{
	for (size_t i = 0; i < c->nhtaccess; i++) {
		node_free(&c->htaccess[i]->root);
		free(c->htaccess[i]);
	}
	node_free(&c->root);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	for (size_t i = 0; i < c->nmods; i++) {
		free(c->mods[i].id);
		free(c->mods[i].path);
	}
	free(c->mods);
	for (size_t i = 0; i < c->nvars; i++) {
		free(c->vars[i].name);
		free(c->vars[i].value);
	}
	free(c->vars);
	for (size_t i = 0; i < c->nerrs; i++)
		free(c->errs[i]);
	memset(c, 0, sizeof(*c));
}

int
apache_conf_find(const char *root, char *path, size_t pathsz)
{
	static const char *const cands[] = {"/etc/apache2/apache2.conf",
	    "/etc/httpd/conf/httpd.conf", "/etc/apache2/httpd.conf",
	    "/usr/local/apache2/conf/httpd.conf",
	    "/usr/local/etc/apache24/httpd.conf"};
	char full[PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < countof(cands); i++)
		if (path_join(full, sizeof(full), root, cands[i]) == 0 &&
		    stat(full, &st) == 0) {
			snprintf(path, pathsz, "%s", cands[i]);
			return 0;
		}
	return -1;
}

/* One argument of -f / -d / -D: "-f FILE" (next word) or "-fFILE". */
static void
cmdline_opt(struct apache_cmdline *a, char opt, const char *v, size_t n)
{
	if (opt == 'f')
		snprintf(a->file, sizeof(a->file), "%.*s", (int)n, v);
	else if (opt == 'd')
		snprintf(a->dir, sizeof(a->dir), "%.*s", (int)n, v);
	else if (a->ndefs < APACHE_CMD_DEFINES)
		snprintf(
		    a->defs[a->ndefs++], sizeof(a->defs[0]), "%.*s", (int)n, v);
}

int
apache_cmdline_conf(const char *cmdline, const char *root, const char *override,
    struct apache_cmdline *a, struct apache_opts *o)
{
	const char *s = cmdline;
	char opt = 0;

	memset(a, 0, sizeof(*a));
	while (s != NULL && *s) {
		const char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (opt) {
			cmdline_opt(a, opt, s, n);
			opt = 0;
		} else if (n >= 2 && s[0] == '-' &&
		    (s[1] == 'f' || s[1] == 'd' || s[1] == 'D')) {
			if (n == 2)
				opt = s[1];
			else
				cmdline_opt(a, s[1], s + 2, n - 2);
		}
		s = e ? e + 1 : NULL;
	}
	for (size_t i = 0; i < a->ndefs; i++)
		a->defv[i] = a->defs[i];
	a->defv[a->ndefs] = NULL;
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->defines = a->defv;
	o->server_root = a->dir[0] ? a->dir : NULL;
	if (override != NULL)
		snprintf(a->path, sizeof(a->path), "%s", override);
	else if (a->file[0] == '/')
		snprintf(a->path, sizeof(a->path), "%s", a->file);
	else if (a->file[0] && a->dir[0]) {
		if (path_join(a->path, sizeof(a->path), a->dir, a->file) == -1)
			return -1;
	} else if (apache_conf_find(root, a->path, sizeof(a->path)) == -1)
		return -1;
	return 0;
}
