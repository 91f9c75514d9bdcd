/*
 * parse.y - the configuration grammar (see conf.h for the language).
 *
 * The lexer lives here too, in the manner of OpenBSD's daemons: a stack of
 * files for include, macros expanded as values, every error recorded as
 * "file:line: message" and parsing resumed at the next statement, so one
 * run reports every error.  The result is a plain tree of conf_node; the
 * schema check (schema.c) gives it meaning.
 */
%{
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/conf_int.h"

#define MAXINCLUDE	16
#define MAXTOKEN	4096
#define MAXFILE		(1 << 20)
#define MAXDEPTH	8

/* The files one include names (a glob), read one after the other. */
struct incl {
	glob_t		 g;
	size_t		 next;		/* the next of g's paths to read */
	const char	*file;		/* where the include stands */
	int		 line;
};

struct pfile {
	const char	*name;		/* owned by struct conf */
	char		*buf;
	size_t		 len, pos;
	int		 line;
	dev_t		 dev;
	ino_t		 ino;
	struct incl	*inc;		/* its include, with the files after it */
};

struct macro {
	char		*name;
	struct conf_val	 val;
	struct macro	*next;
};

struct parser {
	struct conf	*conf;
	struct conf_errs *errs;
	struct pfile	 files[MAXINCLUDE];
	int		 nfiles;
	struct macro	*macros;
	struct conf_node *stack[MAXDEPTH + 1];	/* open blocks; [0] is the root */
	int		 depth;
	int		 errors;
	int		 tokline;		/* line of the last token */
	const char	*tokfile;
	int		 badline;		/* last line with a bad character */
	const char	*badfile;
	/*
	 * An include is read once its statement has ended: the parser may
	 * reduce it before the lexer has read the newline or ';', which must
	 * come from the including file, not from the included one.
	 */
	char		*pending;		/* the include's pattern */
	const char	*pendfile;
	int		 pendline;
	int		 pendterm;		/* its terminator was read */
	const char	*incfile;		/* where the last include stands */
	int		 incline;
	int		 nopop;			/* lgetc stays in the file */
	int		 synth;			/* lgetc's last '\n' was not read */
	int		 ungot_nl;		/* and was given back */
	int		 lexerr;		/* the lexer reported the error */
	int		 braces;		/* braces open, as read */
};

%}

%define api.pure full
%parse-param { struct parser *ps }
%lex-param { struct parser *ps }

%code requires {
#include "conf/conf.h"
struct vlist {
	struct conf_val	*v;
	size_t		 n;
};
struct parser;
}

%code {
static int	 yylex(YYSTYPE *, struct parser *);
static void	 yyerror(struct parser *, const char *);
static void	 perr(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static struct conf_node *add_node(struct parser *, char *, struct vlist *);
static void	 push_include(struct parser *);
static void	 define_macro(struct parser *, char *, struct conf_val *);
static void	 vlist_add(struct vlist *, struct conf_val *);
static void	 vlist_free(struct vlist *);
}

%union {
	char		*str;
	struct conf_val	 val;
	struct vlist	 vals;
}

%define parse.error verbose
%define lr.default-reduction consistent

%token	INCLUDE "include" ERROR "invalid token"
%token	<str>	WORD "word"
%token	<val>	VALUE "value"
%type	<vals>	values
%type	<val>	value
%destructor { free($$); } <str>
%destructor { free($$.str); } <val>
%destructor { vlist_free(&$$); } <vals>

%%

top	: stmts
	| stmts stmt		/* no newline at the end of the file */
	;

stmts	: %empty
	| stmts item
	;

item	: stmt '\n'
	| stmt ';'
	| '\n'
	| ';'
	| error '\n'		{ yyerrok; }
	;

/*
 * The statement right before '}' needs no separator, and a statement in
 * error is skipped up to the '}' that closes its block.
 */
body	: stmts
	| stmts stmt
	| stmts error
	;

stmt	: INCLUDE value		{
		if ($2.type != CV_STR && $2.type != CV_WORD)
			perr(ps, "include wants a file name");
		else {
			free(ps->pending);
			ps->pending = $2.str;
			ps->pendfile = ps->incfile;
			ps->pendline = ps->incline;
			$2.str = NULL;
		}
		free($2.str);
	}
	| WORD '=' value	{ define_macro(ps, $1, &$3); }
	| WORD values		{ add_node(ps, $1, &$2); }
	| WORD values '{'	{
		struct conf_node *n = add_node(ps, $1, &$2);

		/* Taken over: error recovery must not free them again. */
		$1 = NULL;
		$2.v = NULL;
		$2.n = 0;
		if (n != NULL) {
			n->is_block = 1;
			if (ps->depth >= MAXDEPTH)
				perr(ps, "blocks nested too deeply");
			else
				ps->stack[++ps->depth] = n;
		}
	} body '}'		{
		if (ps->depth > 0)
			ps->depth--;
	}
	;

values	: %empty		{ $$.v = NULL; $$.n = 0; }
	| values value		{ $$ = $1; vlist_add(&$$, &$2); }
	;

value	: VALUE			{ $$ = $1; }
	| WORD			{ $$ = conf_val_classify($1, 0); }
	;

%%

static void
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[512], line[700], **nm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s:%d: %s",
	    ps->tokfile ? ps->tokfile : "(config)", ps->tokline, msg);
	ps->errors++;
	if (ps->errs->n >= 1000)
		return;
	nm = realloc(ps->errs->msg, (ps->errs->n + 1) * sizeof(*nm));
	if (nm == NULL)
		return;
	ps->errs->msg = nm;
	if ((nm[ps->errs->n] = strdup(line)) != NULL)
		ps->errs->n++;
}

static void
yyerror(struct parser *ps, const char *msg)
{
	/* A statement in error includes nothing. */
	free(ps->pending);
	ps->pending = NULL;
	/* The lexer has said what is wrong with the token it gave. */
	if (ps->lexerr)
		return;
	/* An open block at the end is reported as such (conf_parse). */
	if (ps->depth > 0 && strstr(msg, "unexpected end of file") != NULL)
		return;
	perr(ps, "%s", strncmp(msg, "syntax error, ", 14) == 0 ?
	    msg + 14 : msg);
}

static void
vlist_add(struct vlist *l, struct conf_val *v)
{
	struct conf_val *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

	if (nv == NULL) {
		free(v->str);
		return;
	}
	l->v = nv;
	l->v[l->n++] = *v;
}

static void
vlist_free(struct vlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].str);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct conf_node *
add_node(struct parser *ps, char *key, struct vlist *vals)
{
	struct conf_node *parent = ps->stack[ps->depth], *nc, *n;

	nc = realloc(parent->child, (parent->nchild + 1) * sizeof(*nc));
	if (nc == NULL) {
		free(key);
		vlist_free(vals);
		perr(ps, "out of memory");
		return NULL;
	}
	parent->child = nc;
	n = &parent->child[parent->nchild++];
	memset(n, 0, sizeof(*n));
	n->key = key;
	n->vals = vals->v;
	n->nvals = vals->n;
	n->file = ps->tokfile;
	n->line = ps->tokline;
	/*
	 * realloc may have moved the parent's children, and an open block
	 * below this one on the stack is never one of them (it is the
	 * parent itself or above), so the stack stays valid.
	 */
	return n;
}

static void
define_macro(struct parser *ps, char *name, struct conf_val *val)
{
	struct macro *m;

	for (m = ps->macros; m; m = m->next) {
		if (strcmp(m->name, name) == 0) {
			free(m->val.str);
			m->val = *val;
			free(name);
			return;
		}
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		free(name);
		free(val->str);
		return;
	}
	m->name = name;
	m->val = *val;
	m->next = ps->macros;
	ps->macros = m;
}

static const char *
intern_file(struct parser *ps, const char *name)
{
	struct conf *c = ps->conf;
	char **nf = realloc(c->files, (c->nfiles + 1) * sizeof(*nf));

	if (nf == NULL)
		return NULL;
	c->files = nf;
	if ((nf[c->nfiles] = strdup(name)) == NULL)
		return NULL;
	return nf[c->nfiles++];
}

/*
 * Opens path and pushes it, read from the include inc (NULL for the main
 * file); 0, or -1 with *e set to the errno (ELOOP: the file is being read
 * already, EMLINK: too many nested files).
 */
static int
push_file(struct parser *ps, const char *path, struct incl *inc, int *e)
{
	struct pfile *f;
	struct stat st;
	FILE *fp;
	char *buf;
	size_t n;

	if (ps->nfiles >= MAXINCLUDE) {
		*e = EMLINK;
		return -1;
	}
	fp = fopen(path, "re");
	if (fp == NULL) {
		*e = errno;
		return -1;
	}
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		*e = EISDIR;
		return -1;
	}
	/* Every file on the stack is one that includes this one. */
	for (int i = 0; i < ps->nfiles; i++) {
		if (ps->files[i].dev == st.st_dev &&
		    ps->files[i].ino == st.st_ino) {
			fclose(fp);
			*e = ELOOP;
			return -1;
		}
	}
	if (st.st_size > MAXFILE) {
		fclose(fp);
		*e = EFBIG;
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		fclose(fp);
		*e = ENOMEM;
		return -1;
	}
	n = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	buf[n] = '\0';
	f = &ps->files[ps->nfiles];
	f->name = intern_file(ps, path);
	if (f->name == NULL) {
		free(buf);
		*e = ENOMEM;
		return -1;
	}
	f->buf = buf;
	f->len = n;
	f->pos = 0;
	f->line = 1;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->inc = inc;
	ps->nfiles++;
	return 0;
}

/* Errors of an include are reported at the include statement. */
static void
inc_err(struct parser *ps, const char *file, int line, const char *path,
    int e)
{
	ps->tokfile = file;
	ps->tokline = line;
	if (e == ELOOP)
		perr(ps, "include loop: '%s' is already being read", path);
	else if (e == EMLINK)
		perr(ps, "cannot include '%s': more than %d nested files",
		    path, MAXINCLUDE);
	else
		perr(ps, "cannot include '%s': %s", path,
		    e == EISDIR ? "not a regular file" : strerror(e));
}

/* Pushes the next file of inc that can be read; frees inc after the last. */
static void
include_next(struct parser *ps, struct incl *inc)
{
	int e;

	while (inc->next < inc->g.gl_pathc) {
		const char *path = inc->g.gl_pathv[inc->next++];

		if (push_file(ps, path, inc, &e) == 0)
			return;
		inc_err(ps, inc->file, inc->line, path, e);
	}
	globfree(&inc->g);
	free(inc);
}

/* Reads the pending include: its files in order, one after the other. */
static void
push_include(struct parser *ps)
{
	char path[PATH_MAX], *pattern = ps->pending;
	const char *cur = ps->pendfile ? ps->pendfile : "";
	const char *slash = strrchr(cur, '/');
	struct incl *inc;
	int rc, len;

	ps->pending = NULL;
	ps->tokfile = ps->pendfile;
	ps->tokline = ps->pendline;
	/* Relative to the including file's directory. */
	if (pattern[0] != '/' && slash != NULL)
		len = snprintf(path, sizeof(path), "%.*s/%s",
		    (int)(slash - cur), cur, pattern);
	else
		len = snprintf(path, sizeof(path), "%s", pattern);
	if (len < 0 || len >= (int)sizeof(path)) {
		perr(ps, "include path too long");
		free(pattern);
		return;
	}
	inc = calloc(1, sizeof(*inc));
	if (inc == NULL) {
		perr(ps, "out of memory");
		free(pattern);
		return;
	}
	inc->file = ps->pendfile;
	inc->line = ps->pendline;
	rc = glob(path, GLOB_ERR, NULL, &inc->g);
	if (rc == GLOB_NOMATCH) {
		/* A pattern that matches nothing is fine; a named file is not. */
		if (strpbrk(pattern, "*?[") == NULL)
			perr(ps, "cannot open include file '%s': %s", path,
			    strerror(ENOENT));
	} else if (rc != 0)
		perr(ps, "cannot read include pattern '%s'", path);
	free(pattern);
	if (rc != 0) {
		globfree(&inc->g);
		free(inc);
		return;
	}
	include_next(ps, inc);
}

static int
lgetc(struct parser *ps)
{
	struct pfile *f;
	struct incl *inc;

	if (ps->ungot_nl) {
		ps->ungot_nl = 0;
		ps->synth = 1;
		return '\n';
	}
	ps->synth = 0;
	while (ps->nfiles > 0) {
		f = &ps->files[ps->nfiles - 1];
		if (f->pos < f->len) {
			int c = (unsigned char)f->buf[f->pos++];

			/* A backslash-newline joins two lines. */
			if (c == '\\' && f->pos < f->len &&
			    f->buf[f->pos] == '\n') {
				f->pos++;
				f->line++;
				continue;
			}
			return c;
		}
		if (ps->nopop)
			return EOF;
		/* An include on the last line ends here, in its own file. */
		if (ps->pending != NULL && !ps->pendterm) {
			ps->synth = 1;
			return '\n';
		}
		/* End of an included file: a statement never spans files. */
		free(f->buf);
		f->buf = NULL;
		inc = f->inc;
		ps->nfiles--;
		if (inc != NULL)
			include_next(ps, inc);
		if (ps->nfiles > 0) {
			ps->synth = 1;
			return '\n';
		}
	}
	return EOF;
}

static void
lungetc(struct parser *ps, int c)
{
	/* A newline between files is in no buffer: give it back as such. */
	if (c != EOF && ps->synth)
		ps->ungot_nl = 1;
	else if (c != EOF && ps->nfiles > 0)
		ps->files[ps->nfiles - 1].pos--;
	ps->synth = 0;
}

static int
cur_line(struct parser *ps)
{
	return ps->nfiles > 0 ? ps->files[ps->nfiles - 1].line : ps->tokline;
}

static int
is_word_char(int c)
{
	return isalnum(c) || (c != EOF && strchr("_-./:*+@%[]!~^,", c) &&
	    c != 0);
}

/* Skips a block nested too deeply, up to its closing brace. */
static void
skip_block(struct parser *ps)
{
	int depth = 1, c, q = 0;

	ps->nopop = 1;
	while (depth > 0 && (c = lgetc(ps)) != EOF) {
		if (c == '\n') {
			ps->files[ps->nfiles - 1].line++;
			q = 0;
		} else if (q) {
			if (c == '"')
				q = 0;
		} else if (c == '"')
			q = 1;
		else if (c == '#') {
			while ((c = lgetc(ps)) != '\n' && c != EOF)
				;
			lungetc(ps, c);
		} else if (c == '{')
			depth++;
		else if (c == '}')
			depth--;
	}
	ps->nopop = 0;
}

static int
lex(YYSTYPE *lval, struct parser *ps)
{
	char buf[MAXTOKEN];
	size_t n = 0;
	int c;

again:
	do {
		c = lgetc(ps);
	} while (c == ' ' || c == '\t' || c == '\r');
	if (ps->nfiles > 0) {
		ps->tokfile = ps->files[ps->nfiles - 1].name;
		ps->tokline = ps->files[ps->nfiles - 1].line;
	}
	if (c == '#') {
		while ((c = lgetc(ps)) != '\n' && c != EOF)
			;
	}
	if (c == EOF)
		return 0;
	if (c == '\n') {
		/* The line number counts after the token is reported. */
		if (ps->nfiles > 0 && !ps->synth)
			ps->files[ps->nfiles - 1].line++;
		return '\n';
	}
	if (c == '}' && ps->pending != NULL && !ps->pendterm) {
		/* An include right before '}' ends there. */
		lungetc(ps, c);
		return '\n';
	}
	if (c == '{') {
		/* Counted here, so that no depth of braces reaches the parser. */
		if (ps->braces >= MAXDEPTH) {
			perr(ps, "blocks nested more than %d deep", MAXDEPTH);
			skip_block(ps);
			return ERROR;
		}
		ps->braces++;
		return c;
	}
	if (c == '}' && ps->braces > 0)
		ps->braces--;
	if (c == '{' || c == '}' || c == ';' || c == '=')
		return c;
	if (c == '"') {
		struct pfile *qf = &ps->files[ps->nfiles - 1];
		size_t qpos = qf->pos;
		int startline = cur_line(ps);

		ps->nopop = 1;
		for (;;) {
			c = lgetc(ps);
			if (c == EOF || c == '\n') {
				/*
				 * The rest of the line is read again as if the
				 * quote were not there, so that a '}' in it
				 * still closes its block; the parser skips it.
				 */
				ps->nopop = 0;
				qf->pos = qpos;
				qf->line = startline;
				ps->tokline = startline;
				perr(ps, "unterminated quoted string");
				ps->badline = startline;
				ps->badfile = ps->tokfile;
				return ERROR;
			}
			if (c == '"')
				break;
			if (c == '\\') {
				int d = lgetc(ps);

				if (d == 'n')
					c = '\n';
				else if (d == 't')
					c = '\t';
				else if (d == '"' || d == '\\')
					c = d;
				else {
					perr(ps, "unknown escape '\\%c' in string",
					    d == EOF ? '?' : d);
					lungetc(ps, d);
					continue;
				}
			}
			if (c == '\0') {
				perr(ps, "NUL byte in string");
				continue;
			}
			if (n + 1 >= sizeof(buf)) {
				perr(ps, "string too long");
				while ((c = lgetc(ps)) != '"' && c != '\n' &&
				    c != EOF)
					;
				if (c == '\n')
					lungetc(ps, c);
				ps->nopop = 0;
				return ERROR;
			}
			buf[n++] = (char)c;
		}
		ps->nopop = 0;
		buf[n] = '\0';
		lval->val = conf_val_classify(strdup(buf), 1);
		if (lval->val.str == NULL)
			return ERROR;
		return VALUE;
	}
	if (c == '$') {
		struct macro *m;

		while ((c = lgetc(ps)) != EOF && (isalnum(c) || c == '_' ||
		    c == '-')) {
			if (n + 1 < sizeof(buf))
				buf[n++] = (char)c;
		}
		lungetc(ps, c);
		buf[n] = '\0';
		for (m = ps->macros; m; m = m->next) {
			if (strcmp(m->name, buf) == 0) {
				lval->val = m->val;
				lval->val.str = strdup(m->val.str);
				return lval->val.str ? VALUE : ERROR;
			}
		}
		perr(ps, "macro '%s' is not defined", buf);
		return ERROR;
	}
	if (is_word_char(c)) {
		do {
			if (n + 1 >= sizeof(buf)) {
				perr(ps, "word too long");
				while (is_word_char(c = lgetc(ps)))
					;
				lungetc(ps, c);
				return ERROR;
			}
			buf[n++] = (char)c;
		} while (is_word_char(c = lgetc(ps)));
		lungetc(ps, c);
		buf[n] = '\0';
		if (strcmp(buf, "include") == 0)
			return INCLUDE;
		lval->str = strdup(buf);
		return lval->str ? WORD : ERROR;
	}
	/* One complaint per line is enough; the rest of it is noise. */
	if (ps->tokline != ps->badline || ps->tokfile != ps->badfile) {
		if (isprint(c))
			perr(ps, "unexpected character '%c'", c);
		else
			perr(ps, "unexpected byte 0x%02x", (unsigned)c);
		ps->badline = ps->tokline;
		ps->badfile = ps->tokfile;
	}
	goto again;
}

static int
yylex(YYSTYPE *lval, struct parser *ps)
{
	int t;

	if (ps->pending != NULL && ps->pendterm)
		push_include(ps);
	t = lex(lval, ps);
	ps->lexerr = t == ERROR;
	if (t == INCLUDE) {
		ps->pendterm = 0;
		ps->incfile = ps->tokfile;
		ps->incline = ps->tokline;
	} else if (t == '\n' || t == ';')
		ps->pendterm = 1;
	return t;
}

int
conf_parse(struct conf *c, const char *path, const char *text, size_t len,
    struct conf_errs *errs)
{
	struct parser ps;
	struct macro *m, *next;
	int e;

	memset(&ps, 0, sizeof(ps));
	ps.conf = c;
	ps.errs = errs;
	ps.stack[0] = &c->root;
	if (text == NULL) {
		if (push_file(&ps, path, NULL, &e) == -1) {
			ps.tokfile = path;
			perr(&ps, "cannot read '%s': %s", path,
			    e == EISDIR ? "not a regular file" : strerror(e));
			return -1;
		}
	} else {
		struct pfile *f = &ps.files[0];

		if (len > MAXFILE)
			len = MAXFILE;
		f->name = intern_file(&ps, path);
		f->buf = malloc(len + 1);
		if (f->name == NULL || f->buf == NULL) {
			free(f->buf);
			return -1;
		}
		memcpy(f->buf, text, len);
		f->buf[len] = '\0';
		f->len = len;
		f->line = 1;
		ps.nfiles = 1;
	}
	ps.tokfile = ps.files[0].name;
	ps.tokline = 1;
	if (yyparse(&ps) != 0 && ps.errors == 0 && ps.depth == 0)
		perr(&ps, "cannot parse");
	if (ps.depth > 0)
		perr(&ps, "missing '}' at end of file");
	free(ps.pending);
	while (ps.nfiles > 0) {
		struct incl *inc = ps.files[ps.nfiles - 1].inc;

		free(ps.files[ps.nfiles - 1].buf);
		if (inc != NULL) {
			globfree(&inc->g);
			free(inc);
		}
		ps.nfiles--;
	}
	for (m = ps.macros; m; m = next) {
		next = m->next;
		free(m->name);
		free(m->val.str);
		free(m);
	}
	return ps.errors ? -1 : 0;
}
