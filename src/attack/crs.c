/*
 * crs.c - the Core Rule Set's request rules translated for a log scanner
 * (see crs.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hs/hs.h>
#include <pcre2.h>

#include "attack/crs.h"
#include "attack/ruleset.h"
#include "base/dynlib.h"
#include "base/fileio.h"
#include "base/hash.h"
#include "base/hex.h"
#include "base/mem.h"
#include "base/strbuf.h"

#define CRS_FILE_MAX (8u << 20)
#define CRS_EXPR_MAX (1u << 20) /* an expression built from a word list */

static const char *const target_names[CT_N] = {
    [CT_REQUEST_LINE] = "REQUEST_LINE",
    [CT_URI] = "REQUEST_URI",
    [CT_URI_RAW] = "REQUEST_URI_RAW",
    [CT_FILENAME] = "REQUEST_FILENAME",
    [CT_BASENAME] = "REQUEST_BASENAME",
    [CT_QUERY] = "QUERY_STRING",
    [CT_ARGS] = "ARGS",
    [CT_ARGS_NAMES] = "ARGS_NAMES",
    [CT_METHOD] = "REQUEST_METHOD",
    [CT_PROTOCOL] = "REQUEST_PROTOCOL",
    [CT_UA] = "REQUEST_HEADERS:User-Agent",
    [CT_REFERER] = "REQUEST_HEADERS:Referer",
};

int
crs_xss_possible(const char *s, size_t n)
{
	return n > 0 &&
	    (memchr(s, '<', n) != NULL || memchr(s, '=', n) != NULL);
}

const char *
crs_target_name(enum crs_target t)
{
	return (unsigned)t < CT_N ? target_names[t] : "?";
}

void
crs_set_init(struct crs_set *cs)
{
	memset(cs, 0, sizeof(*cs));
}

static void links_free(struct crs_link *l, unsigned n);

void
crs_set_release(struct crs_set *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->r[i].expr);
		links_free(cs->r[i].links, cs->r[i].nlinks);
	}
	free(cs->r);
	free(cs->f);
	free(cs->s);
	free(cs->known);
	free(cs->v);
	free(cs->inj_path);
	memset(cs, 0, sizeof(*cs));
}

#define INJ_PATH_MAX 1024

void
crs_inj_token(const struct crs_set *cs, struct strbuf *sb)
{
	char hex[2 * INJ_PATH_MAX + 1];
	size_t n = cs->inj_path ? strlen(cs->inj_path) : 0;

	if (n == 0 || n > INJ_PATH_MAX)
		return;
	hex_encode(hex, cs->inj_path, n);
	strbuf_printf(sb, "%sl%s", sb->len ? " " : "", hex);
}

/* Token "l..." of crs_set_known (n bytes at p): its path into cs. */
static void
inj_token(struct crs_set *cs, const char *p, size_t n)
{
	char *path;

	if (n < 3 || (n - 1) % 2 != 0 || (n - 1) / 2 > INJ_PATH_MAX ||
	    (path = calloc(1, (n - 1) / 2 + 1)) == NULL)
		return;
	if (hex_decode(path, p + 1, (n - 1) / 2) == -1 ||
	    strlen(path) != (n - 1) / 2 || path[0] != '/') {
		free(path);
		return;
	}
	free(cs->inj_path);
	cs->inj_path = path;
}

/*
 * Whether libinjection is there for @detectSQLi and @detectXSS: where the
 * cache says an earlier run found it and the file is still there, it is
 * counted on without loading it (it loads at its first call: a log with
 * no argument, User-Agent or Referer never pays for libmodsecurity3 and
 * the 45 libraries it brings); otherwise loaded now.
 */
static int
inj_usable(struct crs_set *cs)
{
	char path[INJ_PATH_MAX + 1];

	if (cs->inj != 0)
		return cs->inj == 1;
	if (cs->inj_path != NULL &&
	    dynlib_expect(DYNLIB_INJECTION, cs->inj_path) == 0) {
		cs->inj = 1;
		return 1;
	}
	free(cs->inj_path);
	cs->inj_path = NULL;
	if (dynlib_require(DYNLIB_INJECTION, NULL) == -1) {
		cs->inj = -1;
		return 0;
	}
	cs->inj = 1;
	if (dynlib_where(DYNLIB_INJECTION, path, sizeof(path)) == 0)
		cs->inj_path = strdup(path);
	return 1;
}

static int
verdict_cmp(const void *a, const void *b)
{
	return strcmp(((const struct crs_verdict *)a)->h,
	    ((const struct crs_verdict *)b)->h);
}

int
crs_set_known(struct crs_set *cs, const char *text)
{
	size_t cap = 0;

	free(cs->known);
	cs->known = NULL;
	cs->nknown = 0;
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, " ");
		struct crs_verdict *v;

		if (n == 34 && p[0] == 'v' && (p[33] == '0' || p[33] == '1') &&
		    strspn(p + 1, "0123456789abcdef") >= 32) {
			if (mem_grow(&cs->known, &cap, cs->nknown + 1,
			        sizeof(*cs->known)) == -1) {
				free(cs->known);
				cs->known = NULL;
				cs->nknown = 0;
				return -1;
			}
			v = &cs->known[cs->nknown++];
			memcpy(v->h, p + 1, 32);
			v->h[32] = '\0';
			v->k = p[33] - '0';
		} else if (p[0] == 'l')
			inj_token(cs, p, n);
		p += n;
		p += strspn(p, " ");
	}
	if (cs->nknown > 0)
		qsort(cs->known, cs->nknown, sizeof(*cs->known), verdict_cmp);
	return 0;
}

static int skip(struct crs_set *cs, uint32_t id, unsigned file, struct err *err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Lists rule id of file as not translated, with the reason. */
static int
skip(struct crs_set *cs, uint32_t id, unsigned file, struct err *err,
    const char *fmt, ...)
{
	struct crs_skip *s;
	va_list ap;

	if (mem_grow(&cs->s, &cs->scap, cs->ns + 1, sizeof(*cs->s)) == -1)
		return err_sys(err, ENOMEM, "rules");
	s = &cs->s[cs->ns++];
	s->id = id;
	s->file = file;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/* A name of the variable list (at most n bytes), case-insensitively. */
static int
var_is(const char *v, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(v, name, n) == 0;
}

/*
 * The loggable targets of a variable list, and the others (written as
 * "A|B" into other).
 */
static unsigned
targets(const char *vars, char *other, size_t othersz)
{
	static const struct {
		const char *name;
		unsigned mask;
	} plain[] = {
	    {"REQUEST_LINE", 1u << CT_REQUEST_LINE},
	    {"REQUEST_URI", 1u << CT_URI},
	    {"REQUEST_URI_RAW", 1u << CT_URI_RAW},
	    {"REQUEST_FILENAME", 1u << CT_FILENAME},
	    {"REQUEST_BASENAME", 1u << CT_BASENAME},
	    {"QUERY_STRING", 1u << CT_QUERY},
	    {"ARGS", 1u << CT_ARGS},
	    {"ARGS_GET", 1u << CT_ARGS},
	    {"ARGS_NAMES", 1u << CT_ARGS_NAMES},
	    {"ARGS_GET_NAMES", 1u << CT_ARGS_NAMES},
	    {"REQUEST_METHOD", 1u << CT_METHOD},
	    {"REQUEST_PROTOCOL", 1u << CT_PROTOCOL},
	    {"REQUEST_HEADERS", 1u << CT_UA | 1u << CT_REFERER},
	};
	unsigned mask = 0, minus = 0;
	const char *p = vars;
	size_t on = 0;

	other[0] = '\0';
	while (*p != '\0') {
		const char *s = p, *colon;
		size_t n, nn;
		int neg = 0, count = 0;
		unsigned m = 0;

		while (*p != '\0' && *p != '|')
			p++;
		n = (size_t)(p - s);
		if (*p == '|')
			p++;
		if (n > 0 && *s == '!')
			neg = 1, s++, n--;
		if (n > 0 && *s == '&')
			count = 1;
		colon = memchr(s, ':', n);
		nn = colon ? (size_t)(colon - s) : n;
		if (!count && var_is(s, nn, "REQUEST_HEADERS") && colon) {
			const char *sel = colon + 1;
			size_t sl = n - nn - 1;

			if (var_is(sel, sl, "User-Agent"))
				m = 1u << CT_UA;
			else if (var_is(sel, sl, "Referer"))
				m = 1u << CT_REFERER;
		} else if (!count && colon == NULL)
			for (size_t i = 0; i < countof(plain); i++)
				if (var_is(s, nn, plain[i].name))
					m = plain[i].mask;
		if (neg) {
			/* "!ARGS:name" cannot be told apart in a log: the
			 * rule keeps looking at that argument too */
			if (m == (1u << CT_UA) || m == (1u << CT_REFERER))
				minus |= m;
			continue;
		}
		if (m != 0) {
			mask |= m;
			continue;
		}
		if (on + n + 2 < othersz) {
			if (on > 0)
				other[on++] = '|';
			memcpy(other + on, s - (neg ? 1 : 0), n);
			on += n;
			other[on] = '\0';
		}
	}
	return mask & ~minus;
}

/* 1 when every variable of the list is a TX variable. */
static int
tx_only(const char *vars)
{
	for (const char *p = vars; *p != '\0';) {
		while (*p == '!' || *p == '&')
			p++;
		if (strncasecmp(p, "TX:", 3) != 0)
			return 0;
		while (*p != '\0' && *p != '|')
			p++;
		if (*p == '|')
			p++;
	}
	return 1;
}

/* Appends literal [s, s+n) to a regular expression, escaped. */
static void
add_literal(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == ' ')
			strbuf_addc(sb, (char)c);
		else
			strbuf_printf(sb, "\\x%02x", c);
	}
}

/* Phrases separated by white space (@pm) or one per line, '#' comments
 * (a @pmFromFile file), as escaped literals one per line. */
static void
add_phrases(struct strbuf *sb, const char *s, size_t n, int lines)
{
	const char *p = s, *end = s + n;
	int first = sb->len == 0;

	while (p < end) {
		const char *w;
		size_t wl;

		if (lines) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			w = p;
			wl = nl ? (size_t)(nl - p) : (size_t)(end - p);
			p = nl ? nl + 1 : end;
			while (wl > 0 &&
			    (w[wl - 1] == '\r' || w[wl - 1] == ' ' ||
			        w[wl - 1] == '\t'))
				wl--;
			while (wl > 0 && (*w == ' ' || *w == '\t'))
				w++, wl--;
			if (wl == 0 || *w == '#')
				continue;
		} else {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			w = p;
			while (p < end && *p != ' ' && *p != '\t')
				p++;
			wl = (size_t)(p - w);
			if (wl == 0)
				continue;
		}
		if (!first)
			strbuf_addc(sb, '\n');
		first = 0;
		add_literal(sb, w, wl);
	}
}

/*
 * Can Hyperscan compile expr with flags?  0 yes; 1 only as a prefilter
 * and PCRE2 compiles it; -1 neither (why in msg).
 */
static int
check_expr(const char *expr, unsigned flags, char *msg, size_t msgsz)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *cerr = NULL;
	pcre2_code *re;
	int ec;
	PCRE2_SIZE eo;

	if (hs_expression_info(expr, flags, &info, &cerr) == HS_SUCCESS) {
		free(info);
		return 0;
	}
	snprintf(msg, msgsz, "Hyperscan: %s", cerr ? cerr->message : "?");
	hs_free_compile_error(cerr);
	cerr = NULL;
	if (hs_expression_info(expr, flags | HS_FLAG_PREFILTER, &info, &cerr) !=
	    HS_SUCCESS) {
		hs_free_compile_error(cerr);
		return -1;
	}
	free(info);
	re = pcre2_compile((PCRE2_SPTR)expr, PCRE2_ZERO_TERMINATED,
	    PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY |
	        ((flags & HS_FLAG_CASELESS) ? PCRE2_CASELESS : 0) |
	        ((flags & HS_FLAG_MULTILINE) ? PCRE2_MULTILINE : 0),
	    &ec, &eo, NULL);
	if (re == NULL) {
		PCRE2_UCHAR m[120];

		pcre2_get_error_message(ec, m, sizeof(m));
		snprintf(msg, msgsz, "PCRE2: %s", (const char *)m);
		return -1;
	}
	pcre2_code_free(re);
	return 1;
}

/* The version of the PCRE2 library loaded ("10.42 2022-12-11"). */
static const char *
pcre2_version(void)
{
	static char v[64];

	if (v[0] == '\0' &&
	    (pcre2_config(PCRE2_CONFIG_VERSION, NULL) < 0 ||
	        pcre2_config(PCRE2_CONFIG_VERSION, NULL) > (int)sizeof(v) ||
	        pcre2_config(PCRE2_CONFIG_VERSION, v) < 0))
		snprintf(v, sizeof(v), "?");
	return v;
}

/*
 * check_expr's answer, from the verdicts known to cs when it has one;
 * a new answer of 0 or 1 is kept in cs->v (-1 on out of memory).
 */
static int
check_known(struct crs_set *cs, const char *expr, unsigned flags, char *msg,
    size_t msgsz)
{
	struct hash256 d;
	struct crs_verdict key, *kv;
	char hex[65];
	int k;

	hash256_init(&d);
	hash256_add(&d, &flags, sizeof(flags));
	hash256_add(&d, expr, strlen(expr));
	/* a prefilter verdict says PCRE2 compiles the expression: true of
	 * the PCRE2 that said so, so its version is part of the key */
	hash256_add(&d, pcre2_version(), strlen(pcre2_version()));
	hash256_hex(&d, hex);
	memcpy(key.h, hex, 32);
	key.h[32] = '\0';
	kv = cs->nknown == 0 ? NULL
	                     : bsearch(&key, cs->known, cs->nknown,
	                           sizeof(*cs->known), verdict_cmp);
	if (kv != NULL)
		k = kv->k;
	else {
		cs->analysed++;
		k = check_expr(expr, flags, msg, msgsz);
	}
	if (k == -1)
		return -1;
	if (mem_grow(&cs->v, &cs->vcap, cs->nv + 1, sizeof(*cs->v)) == -1)
		return -2;
	key.k = k;
	cs->v[cs->nv++] = key;
	return k;
}

/* The text of word list file name in dir, into sb. */
static int
read_list(const char *dir, const char *name, struct strbuf *sb, struct err *err)
{
	char path[4096];
	int trunc = 0;

	if (strchr(name, '/') != NULL || name[0] == '.' ||
	    path_join(path, sizeof(path), dir, name) == -1)
		return err_set(err, 0, "'%s': bad word list name", name);
	if (file_read(path, CRS_FILE_MAX, sb, &trunc, err) == -1)
		return -1;
	if (trunc)
		return err_set(err, 0, "'%s': word list too large", path);
	return 0;
}

static const struct {
	const char *name;
	enum crs_op op;
} ops[] = {
    {"rx", CO_RX},
    {"pm", CO_PM},
    {"pmFromFile", CO_PM},
    {"pmf", CO_PM},
    {"contains", CO_CONTAINS},
    {"beginsWith", CO_BEGINS},
    {"endsWith", CO_ENDS},
    {"streq", CO_STREQ},
    {"within", CO_WITHIN},
    {"detectSQLi", CO_DETECT_SQLI},
    {"detectXSS", CO_DETECT_XSS},
    {"validateByteRange", CO_RX},
};

/*
 * @validateByteRange's list ("9,10,32-126") as a regular expression that
 * matches a byte outside it.  0, or 1 when the list is not numbers and
 * ranges of 0-255.
 */
static int
byte_range(const char *arg, struct strbuf *sb)
{
	unsigned char in[256] = {0};
	const char *p = arg;

	while (*p != '\0') {
		char *e;
		unsigned long a, b;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		a = strtoul(p, &e, 10);
		if (e == p)
			return 1;
		b = a;
		if (*e == '-') {
			p = e + 1;
			b = strtoul(p, &e, 10);
			if (e == p)
				return 1;
		}
		if (a > b || b > 255)
			return 1;
		for (unsigned long i = a; i <= b; i++)
			in[i] = 1;
		p = e;
		if (*p != '\0' && *p != ',' && *p != ' ')
			return 1;
	}
	strbuf_adds(sb, "[^");
	for (unsigned i = 0; i < 256; i++)
		if (in[i])
			strbuf_printf(sb, "\\x%02x", i);
	strbuf_addc(sb, ']');
	return 0;
}

/*
 * The transformations of r after its last t:none into tfn.  0, or 1 with
 * why (one not implemented).
 */
static int
tfn_list(const struct secrule *r, unsigned char *tfn, unsigned *ntfn, char *why,
    size_t whysz)
{
	int k, nutf = 0;

	*ntfn = 0;
	for (unsigned i = 0; i < r->ntfn; i++) {
		if ((k = crs_tfn_parse(r->tfn[i])) == -1) {
			snprintf(why, whysz, "transformation %s", r->tfn[i]);
			return 1;
		}
		if (k == CRS_T_NONE) {
			*ntfn = 0;
			nutf = 0;
			continue;
		}
		if (k == CRS_T_UTF8TOUNICODE && nutf++ > 0) {
			snprintf(why, whysz, "utf8toUnicode twice");
			return 1;
		}
		tfn[(*ntfn)++] = (unsigned char)k;
	}
	return 0;
}

/*
 * The operator of r into *op and its expression into sb (@pm: escaped
 * phrases one per line, or as one alternation when alt).  0, 1 with why
 * when it cannot be translated, -1 with err (a word list that cannot be
 * read).
 */
static int
operator_expr(struct crs_set *cs, const struct secrule *r, const char *dir,
    int alt, enum crs_op *op, struct strbuf *sb, char *why, size_t whysz,
    struct err *err)
{
	size_t o;

	for (o = 0; o < countof(ops); o++)
		if (strcmp(r->op, ops[o].name) == 0)
			break;
	if (o == countof(ops)) {
		snprintf(why, whysz, "operator @%s", r->op);
		return 1;
	}
	*op = ops[o].op;
	if (strstr(r->arg, "%{") != NULL) {
		snprintf(why, whysz, "operator argument uses a variable");
		return 1;
	}
	switch (*op) {
	case CO_RX:
		if (strcmp(r->op, "validateByteRange") != 0)
			strbuf_adds(sb, r->arg);
		else if (byte_range(r->arg, sb) == 1) {
			snprintf(why, whysz, "byte range '%.60s'", r->arg);
			return 1;
		}
		break;
	case CO_WITHIN:
		strbuf_adds(sb, r->arg);
		break;
	case CO_PM:
		if (strcmp(r->op, "pm") == 0)
			add_phrases(sb, r->arg, strlen(r->arg), 0);
		else {
			struct strbuf list = STRBUF_INIT(CRS_FILE_MAX);
			const char *p = r->arg, *w;

			/* one or more files, separated by spaces */
			while (*p != '\0') {
				char name[256];
				size_t wl;

				while (*p == ' ')
					p++;
				w = p;
				while (*p != '\0' && *p != ' ')
					p++;
				if ((wl = (size_t)(p - w)) == 0)
					break;
				snprintf(name, sizeof(name), "%.*s",
				    (int)(wl > 255 ? 255 : wl), w);
				strbuf_reset(&list);
				if (read_list(dir, name, &list, err) == -1) {
					strbuf_release(&list);
					return -1;
				}
				add_phrases(sb, list.p, list.len, 1);
			}
			strbuf_release(&list);
		}
		if (sb->len == 0) {
			snprintf(why, whysz, "no phrases");
			return 1;
		}
		if (alt) /* the literals are escaped: no newline in them */
			for (size_t i = 0; i < sb->len; i++)
				if (sb->p[i] == '\n')
					sb->p[i] = '|';
		break;
	case CO_CONTAINS:
	case CO_BEGINS:
	case CO_ENDS:
	case CO_STREQ:
		if (*op == CO_BEGINS || *op == CO_STREQ)
			strbuf_addc(sb, '^');
		add_literal(sb, r->arg, strlen(r->arg));
		if (*op == CO_ENDS || *op == CO_STREQ)
			strbuf_adds(sb, "\\z");
		break;
	case CO_REPEATED_ARG: /* not from an operator's name */
	case CO_NO_REFERER:
		break;
	case CO_DETECT_SQLI:
	case CO_DETECT_XSS:
		if (!inj_usable(cs)) {
			snprintf(why, whysz,
			    "libinjection unavailable (install "
			    "libmodsecurity3)");
			return 1;
		}
		break;
	}
	if (strbuf_failed(sb)) {
		snprintf(why, whysz, "expression too long");
		return 1;
	}
	if (crs_op_scanned(*op) && *op != CO_PM && sb->len == 0) {
		snprintf(why, whysz, "empty expression");
		return 1;
	}
	return 0;
}

/* sb's text, owned by the caller ("" when sb is empty); NULL: memory. */
static char *
detach(struct strbuf *sb)
{
	char *p = strbuf_detach(sb);

	return p != NULL ? p : strdup("");
}

/* 1 when every variable of the list is MATCHED_VAR or MATCHED_VARS. */
static int
matched_only(const char *vars)
{
	for (const char *p = vars; *p != '\0';) {
		size_t n = strcspn(p, "|");

		if (!var_is(p, n, "MATCHED_VAR") &&
		    !var_is(p, n, "MATCHED_VARS"))
			return 0;
		p += n;
		p += *p == '|';
	}
	return vars[0] != '\0';
}

/* The PCRE2 code of a link's expression, or NULL with why. */
static pcre2_code *
link_compile(
    const char *expr, int caseless, int multiline, char *why, size_t whysz)
{
	pcre2_code *re;
	int ec;
	PCRE2_SIZE eo;

	re = pcre2_compile((PCRE2_SPTR)expr, PCRE2_ZERO_TERMINATED,
	    PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY |
	        (caseless ? PCRE2_CASELESS : 0) |
	        (multiline ? PCRE2_MULTILINE : 0),
	    &ec, &eo, NULL);
	if (re == NULL) {
		PCRE2_UCHAR m[120];

		pcre2_get_error_message(ec, m, sizeof(m));
		snprintf(why, whysz, "chain link: PCRE2: %s", (const char *)m);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void
links_free(struct crs_link *l, unsigned n)
{
	for (unsigned i = 0; l != NULL && i < n; i++) {
		free(l[i].expr);
		pcre2_code_free(l[i].re);
	}
	free(l);
}

/*
 * The links r[1..nlinks] of a chain into *out.  0, 1 with why when one
 * cannot be translated, -1 with err.
 */
static int
translate_links(struct crs_set *cs, const struct secrule *r, size_t nlinks,
    const char *dir, struct crs_link **out, char *why, size_t whysz,
    struct err *err)
{
	struct crs_link *l = calloc(nlinks, sizeof(*l));
	char other[120];
	int rc = 0;

	if (l == NULL)
		return err_sys(err, ENOMEM, "rules");
	for (size_t i = 0; i < nlinks && rc == 0; i++) {
		const struct secrule *lr = &r[1 + i];
		struct strbuf sb = STRBUF_INIT(CRS_EXPR_MAX);

		if (strcasecmp(lr->vars, "&REQUEST_HEADERS:Referer") == 0 &&
		    strcmp(lr->op, "eq") == 0 && strcmp(lr->arg, "0") == 0 &&
		    !lr->negated) {
			/* the request has no Referer: decided per request */
			l[i].op = CO_NO_REFERER;
			if ((l[i].expr = strdup("")) == NULL)
				rc = err_sys(err, ENOMEM, "rules");
		} else if (!matched_only(lr->vars) &&
		    (i + 1 < nlinks ||
		        (l[i].targets = targets(
		             lr->vars, other, sizeof(other))) == 0)) {
			/* only the last link may look at the request's values
			 * (those of its targets a log holds) */
			snprintf(why, whysz,
			    "chained rule: a link on %.60s, not MATCHED_VAR",
			    lr->vars);
			rc = 1;
		} else if ((rc = tfn_list(
		                lr, l[i].tfn, &l[i].ntfn, why, whysz)) == 0 &&
		    (rc = operator_expr(cs, lr, dir, 1, &l[i].op, &sb, why,
		         whysz, err)) == 0) {
			l[i].negated = lr->negated;
			if ((l[i].expr = detach(&sb)) == NULL)
				rc = err_sys(err, ENOMEM, "rules");
			else if (crs_op_scanned(l[i].op) &&
			    (l[i].re = link_compile(l[i].expr, l[i].op == CO_PM,
			         l[i].op == CO_RX, why, whysz)) == NULL)
				rc = 1;
		}
		strbuf_release(&sb);
	}
	if (rc != 0) {
		links_free(l, (unsigned)nlinks);
		return rc;
	}
	*out = l;
	return 0;
}

/* Adds cr to cs (taking its expression and links).  0, or -1 (memory). */
static int
add_rule(struct crs_set *cs, struct crs_rule *cr, struct err *err)
{
	if (mem_grow(&cs->r, &cs->cap, cs->n + 1, sizeof(*cs->r)) == -1) {
		free(cr->expr);
		links_free(cr->links, cr->nlinks);
		return err_sys(err, ENOMEM, "rules");
	}
	cr->canon = (unsigned)cs->n;
	cs->r[cs->n++] = *cr;
	return 0;
}

/*
 * The rule r (a chain's head, the links after it) into cs, or skipped
 * with its reason.  -1 only when out of memory or a word list cannot be
 * read.
 */
static int
translate_rule(struct crs_set *cs, const struct secrule *r, size_t nlinks,
    unsigned file, const char *dir, struct err *err)
{
	struct crs_rule cr;
	struct strbuf sb = STRBUF_INIT(CRS_EXPR_MAX);
	char other[120], msg[140], why[160];
	unsigned flags, first;
	int k, score = r->score;

	memset(&cr, 0, sizeof(cr));
	if (r->kind == SECRULE_ACTION)
		return skip(cs, r->id, file, err, "SecAction: sets variables");
	for (size_t i = 1; i <= nlinks; i++) /* CRS scores in the last link */
		score += r[i].score;
	cr.targets = targets(r->vars, other, sizeof(other));
	/* the counters CRS keeps of each argument name: one given twice */
	if (strcasecmp(r->vars, "TX:/paramcounter_.*/") == 0 &&
	    strcmp(r->op, "gt") == 0 && strcmp(r->arg, "1") == 0 &&
	    !r->negated && score > 0) {
		cr.id = r->id;
		cr.paranoia = r->paranoia;
		cr.score = score;
		cr.file = file;
		cr.op = CO_REPEATED_ARG;
		cr.targets = 1u << CT_ARGS_NAMES;
		memcpy(cr.severity, r->severity, sizeof(cr.severity));
		memcpy(cr.msg, r->msg, sizeof(cr.msg));
		if ((cr.expr = strdup("")) == NULL)
			return err_sys(err, ENOMEM, "rules");
		if (add_rule(cs, &cr, err) == -1)
			return -1;
		cs->f[file].translated++;
		return 0;
	}
	if (cr.targets == 0 && tx_only(r->vars))
		return skip(cs, r->id, file, err,
		    "control rule on TX variables (%.60s)", other);
	if (cr.targets == 0)
		return skip(cs, r->id, file, err,
		    "targets not in an access log: %.100s", other);
	if (score == 0)
		return skip(cs, r->id, file, err,
		    "no anomaly score (an exclusion or setup rule)");
	if (tfn_list(r, cr.tfn, &cr.ntfn, why, sizeof(why)) == 1 ||
	    (k = operator_expr(
	         cs, r, dir, 0, &cr.op, &sb, why, sizeof(why), err)) == 1) {
		strbuf_release(&sb);
		return skip(cs, r->id, file, err, "%s", why);
	}
	if (k == -1) {
		strbuf_release(&sb);
		return -1;
	}
	cr.id = r->id;
	cr.paranoia = r->paranoia;
	cr.score = score;
	cr.negated = r->negated;
	cr.file = file;
	cr.caseless = cr.op == CO_PM;
	cr.multiline = cr.op == CO_RX;
	memcpy(cr.severity, r->severity, sizeof(cr.severity));
	memcpy(cr.msg, r->msg, sizeof(cr.msg));
	if (crs_op_scanned(cr.op) && cr.op != CO_PM) { /* literals compile */
		flags = HS_FLAG_DOTALL | (cr.caseless ? HS_FLAG_CASELESS : 0) |
		    (cr.multiline ? HS_FLAG_MULTILINE : 0);
		k = check_known(cs, strbuf_str(&sb), flags, msg, sizeof(msg));
		if (k == -2) {
			strbuf_release(&sb);
			return err_sys(err, ENOMEM, "rules");
		}
		if (k == -1) {
			strbuf_release(&sb);
			return skip(cs, r->id, file, err, "%s", msg);
		}
		cr.prefilter = k == 1;
	}
	if (nlinks > 0) {
		k = translate_links(
		    cs, r, nlinks, dir, &cr.links, why, sizeof(why), err);
		if (k != 0) {
			strbuf_release(&sb);
			return k == -1 ? -1
			               : skip(cs, r->id, file, err, "%s", why);
		}
		cr.nlinks = (unsigned)nlinks;
		for (unsigned i = 0; i < cr.nlinks; i++) {
			cr.no_referer |= cr.links[i].op == CO_NO_REFERER;
			cr.req_link |= cr.links[i].targets != 0;
		}
	}
	if ((cr.expr = detach(&sb)) == NULL) {
		links_free(cr.links, cr.nlinks);
		return err_sys(err, ENOMEM, "rules");
	}
	first = (unsigned)cs->n;
	if (add_rule(cs, &cr, err) == -1)
		return -1;
	cs->f[file].translated++;
	/* multiMatch: the operator also on the text after each shorter
	 * prefix of the transformations (the untransformed text included) */
	for (unsigned t = 0; r->multimatch && nlinks == 0 && t < cr.ntfn; t++) {
		struct crs_rule cp = cs->r[first];

		cp.ntfn = t;
		if ((cp.expr = strdup(cs->r[first].expr)) == NULL)
			return err_sys(err, ENOMEM, "rules");
		if (add_rule(cs, &cp, err) == -1)
			return -1;
		cs->r[cs->n - 1].canon = first;
	}
	return 0;
}

int
crs_translate(struct crs_set *cs, const struct secrule_set *ss,
    const char *name, const char *dir, struct err *err)
{
	unsigned file;

	if (mem_grow(&cs->f, &cs->fcap, cs->nf + 1, sizeof(*cs->f)) == -1)
		return err_sys(err, ENOMEM, "rules");
	file = (unsigned)cs->nf++;
	memset(&cs->f[file], 0, sizeof(cs->f[file]));
	snprintf(cs->f[file].name, sizeof(cs->f[file].name), "%s", name);
	for (size_t i = 0; i < ss->n; i++) {
		const struct secrule *r = &ss->r[i];
		size_t links = 0;

		if (r->kind == SECRULE_MARKER || r->link)
			continue;
		while (i + 1 + links < ss->n && ss->r[i + 1 + links].link)
			links++;
		cs->f[file].loaded++;
		if (translate_rule(cs, r, links, file, dir, err) == -1)
			return -1;
	}
	return 0;
}

int
crs_load_dir(struct crs_set *cs, const char *dir, struct err *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (attack_dir_names(dir, "REQUEST-", ".conf", &names, &n, err) == -1)
		return -1;
	if (n == 0)
		rc = err_set(err, 0, "'%s': no REQUEST-*.conf rule files", dir);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct strbuf sb = STRBUF_INIT(CRS_FILE_MAX);
		struct secrule_set ss;
		char path[4096];
		int trunc = 0;

		secrule_set_init(&ss);
		if (path_join(path, sizeof(path), dir, names[i]) == -1)
			rc = err_set(err, 0, "'%s': path too long", dir);
		else if (file_read(path, CRS_FILE_MAX, &sb, &trunc, err) == -1)
			rc = -1;
		else if (trunc)
			rc = err_set(err, 0, "'%s': rule file too large", path);
		else if (secrule_parse(
		             &ss, path, strbuf_str(&sb), sb.len, err) == -1 ||
		    crs_translate(cs, &ss, names[i], dir, err) == -1)
			rc = -1;
		secrule_set_release(&ss);
		strbuf_release(&sb);
	}
	attack_names_free(names, n);
	return rc;
}
