/*
 * conf.c - loading, checking and querying the configuration (see conf.h).
 */
#include "conf/conf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/hostport.h"
#include "base/timeutil.h"
#include "conf/conf_int.h"

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
}

static void
node_release(struct conf_node *n)
{
	for (size_t i = 0; i < n->nchild; i++)
		node_release(&n->child[i]);
	free(n->child);
	for (size_t i = 0; i < n->nvals; i++)
		free(n->vals[i].str);
	free(n->vals);
	free(n->key);
	memset(n, 0, sizeof(*n));
}

void
conf_release(struct conf *c)
{
	node_release(&c->root);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

void
conf_errs_release(struct conf_errs *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	free(errs->msg);
	errs->msg = NULL;
	errs->n = 0;
}

struct conf_val
conf_val_classify(char *text, int quoted)
{
	struct conf_val v = {CV_WORD, 0, text};
	const char *cur, *end;
	uint64_t secs;
	double d;

	if (text == NULL || quoted) {
		v.type = CV_STR;
		return v;
	}
	cur = text;
	end = text + strlen(text);
	if (cur_dec(&cur, end, &d) == 0) {
		if (cur == end) {
			v.type = CV_NUM;
			v.num = d;
			return v;
		}
		if (cur + 1 == end && *cur == '%') {
			v.type = CV_PCT;
			v.num = d;
			return v;
		}
	}
	if (text[0] >= '0' && text[0] <= '9' &&
	    dur_parse(text, strlen(text), &secs) == 0) {
		v.type = CV_DUR;
		v.num = (double)secs;
	}
	return v;
}

static void
add_err(struct conf_errs *errs, const struct conf_node *n, const char *fmt, ...)
{
	char msg[512], line[800], **nm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s:%d: %s",
	    n->file ? n->file : "(config)", n->line, msg);
	if (errs->n >= 1000)
		return;
	nm = realloc(errs->msg, (errs->n + 1) * sizeof(*nm));
	if (nm == NULL)
		return;
	errs->msg = nm;
	if ((nm[errs->n] = strdup(line)) != NULL)
		errs->n++;
}

static int
is_bool(const char *s, int *out)
{
	static const char *const yes[] = {"yes", "on", "true"};
	static const char *const no[] = {"no", "off", "false"};

	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 1;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 1;
		}
	}
	return 0;
}

/*
 * An address or prefix as the net commands take it: ADDR or ADDR/LEN,
 * IPv4 or IPv6, a decimal length in range, no host bits past it.  NULL,
 * or why not.
 */
static const char *
prefix_problem(const char *s, char *why, size_t whysz)
{
	char a[INET6_ADDRSTRLEN + 1];
	unsigned char b[16];
	const char *slash = strchr(s, '/'), *c;
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max, len;

	if (alen == 0 || alen >= sizeof(a))
		return "is not an IP address";
	memcpy(a, s, alen);
	a[alen] = '\0';
	if (inet_pton(AF_INET, a, b) == 1)
		max = 32;
	else if (inet_pton(AF_INET6, a, b) == 1)
		max = 128;
	else
		return "is not an IPv4 or IPv6 address (ADDR or ADDR/LEN)";
	len = max;
	if (slash != NULL) {
		len = 0;
		for (c = slash + 1; *c >= '0' && *c <= '9' && len <= max; c++)
			len = len * 10 + (unsigned)(*c - '0');
		if (c == slash + 1 || *c != '\0' || len > max ||
		    (c - slash > 2 && slash[1] == '0')) {
			snprintf(why, whysz,
			    "has a prefix length that is not "
			    "0..%u",
			    max);
			return why;
		}
	}
	for (unsigned i = len; i < max; i++) {
		if (b[i / 8] & (0x80 >> (i % 8))) {
			snprintf(why, whysz,
			    "has address bits set past the /%u prefix", len);
			return why;
		}
	}
	return NULL;
}

/* A port number, 1..65535, in decimal. */
static int
is_port(const char *s)
{
	unsigned v = 0;
	const char *c;

	for (c = s; *c >= '0' && *c <= '9' && v <= 65535; c++)
		v = v * 10 + (unsigned)(*c - '0');
	return c != s && *c == '\0' && v >= 1 && v <= 65535 && s[0] != '0';
}

/* A time of day, HH:MM. */
static int
is_clock(const char *s)
{
	int m;

	return daytime_parse(s, &m) == 0;
}

static int
is_choice(const char *s, const char *const *choices)
{
	for (; choices && *choices; choices++)
		if (strcmp(s, *choices) == 0)
			return 1;
	return 0;
}

static void
list_choices(char *dst, size_t n, const char *const *choices)
{
	size_t len = 0;

	dst[0] = '\0';
	for (size_t i = 0; choices && choices[i]; i++)
		len +=
		    (size_t)snprintf(dst + len, len < n ? n - len : 0, "%s%s",
		        i == 0               ? ""
		            : choices[i + 1] ? ", "
		                             : " or ",
		        choices[i]);
}

/* A number in its range: min == max means any that is not negative. */
static int
check_range(const struct conf_node *n, const struct conf_val *v, double min,
    double max, struct conf_errs *errs)
{
	if (min == max ? v->num >= 0 : v->num >= min && v->num <= max)
		return 0;
	if (min == max)
		add_err(errs, n, "'%s' must not be negative, not '%s'", n->key,
		    v->str);
	else
		add_err(errs, n, "'%s' must be %.15g..%.15g, not '%s'", n->key,
		    min, max, v->str);
	return -1;
}

/*
 * Checks the values of n against kind (with min, max and choices as
 * struct schema_key has them); 0 or -1 after reporting.
 */
static int
check_kind(const struct conf_node *n, enum schema_kind kind, double min,
    double max, const char *const *choices, struct conf_errs *errs)
{
	const struct conf_val *v;
	char why[128];
	const char *bad;
	int b, rc = 0;

	switch (kind) {
	case SK_FLAG:
		if (n->nvals != 0) {
			add_err(errs, n, "'%s' takes no value", n->key);
			return -1;
		}
		return 0;
	case SK_LIST:
	case SK_PREFIXES:
	case SK_PORTS:
		if (n->nvals == 0) {
			add_err(
			    errs, n, "'%s' wants at least one value", n->key);
			return -1;
		}
		for (size_t i = 0; i < n->nvals && kind != SK_LIST; i++) {
			v = &n->vals[i];
			if (kind == SK_PORTS && !is_port(v->str)) {
				add_err(errs, n,
				    "'%s': '%s' is not a port number "
				    "(1..65535)",
				    n->key, v->str);
				rc = -1;
			} else if (kind == SK_PREFIXES &&
			    (bad = prefix_problem(v->str, why, sizeof(why)))) {
				add_err(errs, n, "'%s': '%s' %s", n->key,
				    v->str, bad);
				rc = -1;
			}
		}
		return rc;
	default:
		break;
	}
	if (n->nvals != 1) {
		add_err(
		    errs, n, "'%s' wants one value, got %zu", n->key, n->nvals);
		return -1;
	}
	v = &n->vals[0];
	switch (kind) {
	case SK_NUM:
	case SK_INT:
	case SK_PCT:
		if ((v->type != CV_NUM && v->type != CV_PCT) ||
		    (kind == SK_INT &&
		        (v->type != CV_NUM || v->num != floor(v->num)))) {
			add_err(errs, n, "'%s' wants %s, not '%s'", n->key,
			    kind == SK_INT ? "a whole number" : "a number",
			    v->str);
			return -1;
		}
		if (kind == SK_PCT)
			return check_range(n, v, 0, 100, errs);
		return check_range(n, v, min, max, errs);
	case SK_DUR:
		if (v->type != CV_DUR && v->type != CV_NUM) {
			add_err(errs, n,
			    "'%s' wants a duration (30s, 5m, 2h, 1d), not '%s'",
			    n->key, v->str);
			return -1;
		}
		return check_range(n, v, 0, 0, errs);
	case SK_CLOCK:
		if (!is_clock(v->str)) {
			add_err(errs, n,
			    "'%s' wants a time of day HH:MM (00:00..23:59), "
			    "not '%s'",
			    n->key, v->str);
			return -1;
		}
		return 0;
	case SK_ENUM:
		if (!is_choice(v->str, choices)) {
			list_choices(why, sizeof(why), choices);
			add_err(errs, n, "'%s' wants %s, not '%s'", n->key, why,
			    v->str);
			return -1;
		}
		return 0;
	case SK_BOOL:
		if (!is_bool(v->str, &b)) {
			add_err(errs, n, "'%s' wants yes or no, not '%s'",
			    n->key, v->str);
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

static const struct schema_key common_keys[] = {
    {"warning", SK_NUM, 0, 0, NULL},
    {"critical", SK_NUM, 0, 0, NULL},
    {"for", SK_DUR, 0, 0, NULL},
    {"clear", SK_DUR, 0, 0, NULL},         /* agent: resolve hysteresis */
    {"flap-changes", SK_INT, 0, 16, NULL}, /* agent: 0 turns it off */
    {"flap-window", SK_DUR, 0, 0, NULL},   /* agent: ... within this */
    {"every", SK_DUR, 0, 0, NULL},         /* agent: schedule interval */
    {"disable", SK_FLAG, 0, 0, NULL},
    {"enable", SK_FLAG, 0, 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key *
key_find(const struct schema_check *sc, const char *name)
{
	for (const struct schema_key *k = common_keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	for (const struct schema_key *k = sc->keys; k && k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static const struct schema_key *
check_key(const void *sc, const char *name)
{
	return key_find(sc, name);
}

static size_t
kind_arity(enum schema_kind kind)
{
	switch (kind) {
	case SK_FLAG:
		return 0;
	case SK_LIST:
		return SIZE_MAX;
	default:
		return 1;
	}
}

/*
 * "warning 1 critical 2 for 5m" on one line is one statement to the
 * grammar; split it where a known key of fixed arity ends, so that a
 * one-line block reads as the admin meant it.
 */
static int
split_statements(struct conf_node *blk,
    const struct schema_key *(*find)(const void *, const char *),
    const void *arg)
{
	for (size_t i = 0; i < blk->nchild; i++) {
		struct conf_node *n = &blk->child[i], *nc;
		const struct schema_key *k = find(arg, n->key);
		size_t ar, rest;

		if (k == NULL || n->is_block)
			continue;
		ar = kind_arity(k->kind);
		/* A word where the values end starts the next statement. */
		if (ar == SIZE_MAX || n->nvals <= ar ||
		    n->vals[ar].type != CV_WORD)
			continue;
		nc = realloc(blk->child, (blk->nchild + 1) * sizeof(*nc));
		if (nc == NULL)
			return -1;
		blk->child = nc;
		n = &blk->child[i];
		memmove(&blk->child[i + 2], &blk->child[i + 1],
		    (blk->nchild - i - 1) * sizeof(*nc));
		blk->nchild++;
		rest = n->nvals - ar - 1;
		struct conf_node *m = &blk->child[i + 1];
		memset(m, 0, sizeof(*m));
		m->key = n->vals[ar].str;
		m->file = n->file;
		m->line = n->line;
		m->nvals = rest;
		if (rest) {
			m->vals = malloc(rest * sizeof(*m->vals));
			if (m->vals == NULL)
				return -1;
			memcpy(
			    m->vals, &n->vals[ar + 1], rest * sizeof(*m->vals));
		}
		n->nvals = ar;
	}
	return 0;
}

static void
check_check(struct conf_node *n, struct conf_errs *errs)
{
	const struct schema_check *sc;

	if (n->nvals < 1 || n->vals[0].type == CV_NUM) {
		add_err(errs, n, "'check' wants a check name");
		return;
	}
	sc = schema_check_find(n->vals[0].str);
	if (sc == NULL) {
		add_err(errs, n, "unknown check '%s'", n->vals[0].str);
		return;
	}
	if (n->nvals > 2 || (n->nvals == 2 && !sc->subject)) {
		add_err(errs, n,
		    sc->subject ? "check '%s' takes at most one subject"
		                : "check '%s' takes no subject",
		    sc->name);
		return;
	}
	if (n->nvals == 2 && sc->subject == 2 && !is_port(n->vals[1].str))
		add_err(errs, n,
		    "check '%s': the subject '%s' is not a port number "
		    "(1..65535)",
		    sc->name, n->vals[1].str);
	if (!n->is_block)
		return;
	if (split_statements(n, check_key, sc) == -1) {
		add_err(errs, n, "out of memory");
		return;
	}
	for (size_t i = 0; i < n->nchild; i++) {
		struct conf_node *k = &n->child[i];
		const struct schema_key *sk = key_find(sc, k->key);

		if (k->is_block) {
			add_err(errs, k, "no block may open inside check '%s'",
			    sc->name);
			continue;
		}
		if (sk == NULL) {
			add_err(errs, k, "unknown key '%s' in check '%s'",
			    k->key, sc->name);
			continue;
		}
		if (strcmp(k->key, "warning") == 0 ||
		    strcmp(k->key, "critical") == 0)
			check_kind(k,
			    sc->unit == SU_PCT || sc->unit == SU_LOWER_PCT
			        ? SK_PCT
			        : SK_NUM,
			    0, 0, NULL, errs);
		else
			check_kind(
			    k, sk->kind, sk->min, sk->max, sk->choices, errs);
	}
}

/*
 * The warning level must come before the critical one: below it where
 * higher is worse, above it where lower is worse.  n is a check block
 * without errors; what it leaves unset comes from the defaults and the
 * block without a subject, as conf_threshold takes it.
 */
static void
check_order(
    const struct conf *c, const struct conf_node *n, struct conf_errs *errs)
{
	const struct schema_check *sc = schema_check_find(n->vals[0].str);
	const char *subject = n->nvals == 2 ? n->vals[1].str : NULL;
	struct threshold t;
	int lower;

	if (sc == NULL || conf_check(c, sc->name, subject) != n ||
	    (conf_find(n, "warning") == NULL &&
	        conf_find(n, "critical") == NULL))
		return;
	conf_threshold(c, sc->name, subject, &t);
	if (isnan(t.warn) || isnan(t.crit))
		return;
	lower = sc->unit == SU_LOWER || sc->unit == SU_LOWER_PCT;
	if (lower && t.warn < t.crit)
		add_err(errs, n,
		    "check '%s': warning %g is below critical %g (lower "
		    "values are worse here: warning must be the higher)",
		    sc->name, t.warn, t.crit);
	else if (!lower && t.warn > t.crit)
		add_err(errs, n,
		    "check '%s': warning %g is above critical %g (higher "
		    "values are worse here: warning must be the lower)",
		    sc->name, t.warn, t.crit);
}

static void
check_set(struct conf_node *n, struct conf_errs *errs)
{
	const struct schema_setting *ss;
	struct conf_node tmp;

	if (n->is_block) {
		add_err(errs, n, "'set' takes no block");
		return;
	}
	if (n->nvals < 1) {
		add_err(errs, n, "'set' wants a setting name");
		return;
	}
	ss = schema_setting_find(n->vals[0].str);
	if (ss == NULL) {
		add_err(errs, n, "unknown setting '%s'", n->vals[0].str);
		return;
	}
	tmp = *n;
	tmp.key = n->vals[0].str;
	tmp.vals = n->vals + 1;
	tmp.nvals = n->nvals - 1;
	check_kind(&tmp, ss->kind, ss->min, ss->max, ss->choices, errs);
}

static const struct schema_key *
alert_key(const void *arg, const char *name)
{
	const struct schema_alert *sa = arg;

	for (const struct schema_key *k = schema_alert_common; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	for (const struct schema_key *k = sa->keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* "alert TYPE [NAME] { KEY VALUE... }" */
static void
check_alert(struct conf_node *n, struct conf_errs *errs)
{
	const struct schema_alert *sa;
	char host[256], port[8];
	struct err err = {0};

	if (n->nvals < 1 || n->vals[0].type != CV_WORD) {
		add_err(errs, n,
		    "'alert' wants a type: mail, exec, journal or syslog");
		return;
	}
	if ((sa = schema_alert_find(n->vals[0].str)) == NULL) {
		add_err(errs, n,
		    "unknown alert type '%s' (mail, exec, journal or syslog)",
		    n->vals[0].str);
		return;
	}
	if (n->nvals > 2) {
		add_err(errs, n, "alert %s takes at most one name", sa->type);
		return;
	}
	if (!n->is_block) {
		add_err(errs, n, "alert %s wants a block: { ... }", sa->type);
		return;
	}
	if (split_statements(n, alert_key, sa) == -1) {
		add_err(errs, n, "out of memory");
		return;
	}
	for (size_t i = 0; i < n->nchild; i++) {
		struct conf_node *k = &n->child[i];
		const struct schema_key *sk = alert_key(sa, k->key);

		if (k->is_block) {
			add_err(errs, k, "no block may open inside alert %s",
			    sa->type);
			continue;
		}
		if (sk == NULL) {
			add_err(errs, k, "unknown key '%s' in alert %s", k->key,
			    sa->type);
			continue;
		}
		if (check_kind(
		        k, sk->kind, sk->min, sk->max, sk->choices, errs) == -1)
			continue;
		if (strcmp(k->key, "events") == 0) {
			for (size_t j = 0; j < k->nvals; j++)
				if (!is_choice(
				        k->vals[j].str, schema_alert_events))
					add_err(errs, k,
					    "'events': '%s' is not open, "
					    "change, resolve or flapping",
					    k->vals[j].str);
		} else if (strcmp(k->key, "command") == 0 &&
		    k->vals[0].str[0] != '/') {
			add_err(errs, k,
			    "'command': the program '%s' must be an "
			    "absolute path (no shell runs it)",
			    k->vals[0].str);
		} else if (strcmp(k->key, "timeout") == 0 &&
		    k->vals[0].num <= 0) {
			add_err(errs, k, "'timeout' must be more than 0");
		} else if (strcmp(k->key, "server") == 0 &&
		    hostport_parse(k->vals[0].str, host, sizeof(host), port,
		        sizeof(port), &err) == -1) {
			add_err(errs, k, "'server': %s", err.msg);
		}
	}
	if (strcmp(sa->type, "exec") == 0 && conf_find(n, "command") == NULL)
		add_err(errs, n, "alert exec wants a 'command'");
	if (strcmp(sa->type, "syslog") == 0 && conf_find(n, "server") == NULL)
		add_err(errs, n, "alert syslog wants a 'server' (HOST:PORT)");
	if (strcmp(sa->type, "syslog") == 0 && conf_find(n, "ca") != NULL &&
	    !conf_flag(n, "tls"))
		add_err(errs, n, "alert syslog: 'ca' is for 'tls yes'");
}

static void
check_block(
    struct conf_node *n, const struct schema_block *sb, struct conf_errs *errs)
{
	char why[400];

	if (!n->is_block || n->nvals != 0) {
		add_err(errs, n, "'%s' wants a block and no value", sb->name);
		return;
	}
	for (size_t i = 0; i < n->nchild; i++) {
		struct conf_node *k = &n->child[i];
		const struct schema_key *sk = sb->keys;

		while (sk->name != NULL && strcmp(sk->name, k->key) != 0)
			sk++;
		if (k->is_block)
			add_err(
			    errs, k, "no block may open inside '%s'", sb->name);
		else if (sk->name == NULL)
			add_err(errs, k, "unknown key '%s' in '%s'", k->key,
			    sb->name);
		else if (check_kind(k, sk->kind, sk->min, sk->max, sk->choices,
		             errs) == 0 &&
		    sb->check != NULL && sb->check(k, why, sizeof(why)) == -1)
			add_err(errs, k, "%s", why);
	}
}

static void
check_tree(struct conf *c, struct conf_errs *errs)
{
	/* The check blocks that are well formed, for the second pass. */
	unsigned char *ok = calloc(c->root.nchild + 1, 1);

	for (size_t i = 0; i < c->root.nchild; i++) {
		struct conf_node *n = &c->root.child[i];
		size_t before = errs->n;

		if (strcmp(n->key, "check") == 0) {
			check_check(n, errs);
			if (ok != NULL && errs->n == before && n->is_block)
				ok[i] = 1;
		} else if (strcmp(n->key, "set") == 0)
			check_set(n, errs);
		else if (strcmp(n->key, "alert") == 0)
			check_alert(n, errs);
		else if (schema_block_find(n->key) != NULL)
			check_block(n, schema_block_find(n->key), errs);
		else
			add_err(errs, n, "unknown statement '%s'", n->key);
	}
	for (size_t i = 0; ok != NULL && i < c->root.nchild; i++)
		if (ok[i])
			check_order(c, &c->root.child[i], errs);
	free(ok);
}

static int
load(struct conf *c, const char *path, const char *text, size_t len,
    struct conf_errs *errs)
{
	size_t before = errs->n;

	snprintf(c->path, sizeof(c->path), "%s", path);
	conf_parse(c, path, text, len, errs);
	check_tree(c, errs);
	return errs->n > before ? -1 : 0;
}

int
conf_load(
    struct conf *c, const char *path, int must_exist, struct conf_errs *errs)
{
	/* A default path in a directory this user cannot enter (HOME of
	 * another user under sudo -u, runuser) is as good as missing. */
	if (!must_exist && access(path, F_OK) == -1 &&
	    (errno == ENOENT || errno == EACCES || errno == ENOTDIR))
		return 0;
	return load(c, path, NULL, 0, errs);
}

int
conf_load_string(struct conf *c, const char *name, const char *text, size_t len,
    struct conf_errs *errs)
{
	return load(c, name, text, len, errs);
}

/* Queries. */

static int
subject_is(const struct conf_node *n, const char *name, const char *subject)
{
	if (n->nvals < 1 || strcmp(n->key, "check") != 0 ||
	    strcmp(n->vals[0].str, name) != 0)
		return 0;
	if (subject == NULL)
		return n->nvals == 1;
	return n->nvals == 2 && strcmp(n->vals[1].str, subject) == 0;
}

const struct conf_node *
conf_check(const struct conf *c, const char *name, const char *subject)
{
	const struct conf_node *found = NULL;

	/* The last block wins, as later lines override earlier ones. */
	if (subject) {
		for (size_t i = 0; i < c->root.nchild; i++)
			if (subject_is(&c->root.child[i], name, subject))
				found = &c->root.child[i];
		if (found)
			return found;
	}
	for (size_t i = 0; i < c->root.nchild; i++)
		if (subject_is(&c->root.child[i], name, NULL))
			found = &c->root.child[i];
	return found;
}

size_t
conf_check_subjects(
    const struct conf *c, const char *name, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < c->root.nchild && n < max; i++) {
		const struct conf_node *nd = &c->root.child[i];
		int dup = 0;

		if (strcmp(nd->key, "check") != 0 || nd->nvals != 2 ||
		    strcmp(nd->vals[0].str, name) != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			dup |= strcmp(out[j], nd->vals[1].str) == 0;
		if (!dup)
			out[n++] = nd->vals[1].str;
	}
	return n;
}

const struct conf_node *
conf_find(const struct conf_node *blk, const char *key)
{
	const struct conf_node *found = NULL;

	if (blk == NULL)
		return NULL;
	for (size_t i = 0; i < blk->nchild; i++)
		if (strcmp(blk->child[i].key, key) == 0)
			found = &blk->child[i];
	return found;
}

double
conf_num(const struct conf_node *blk, const char *key, double dflt)
{
	const struct conf_node *n = conf_find(blk, key);

	return n && n->nvals > 0 && n->vals[0].type != CV_STR &&
	        n->vals[0].type != CV_WORD
	    ? n->vals[0].num
	    : dflt;
}

const char *
conf_str(const struct conf_node *blk, const char *key, const char *dflt)
{
	const struct conf_node *n = conf_find(blk, key);

	return n && n->nvals > 0 ? n->vals[0].str : dflt;
}

int
conf_flag(const struct conf_node *blk, const char *key)
{
	const struct conf_node *n = conf_find(blk, key);
	int b;

	if (n == NULL)
		return 0;
	if (n->nvals == 0)
		return 1;
	return is_bool(n->vals[0].str, &b) ? b : 0;
}

static const struct conf_node *
setting_node(const struct conf *c, const char *key)
{
	const struct conf_node *found = NULL;

	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *n = &c->root.child[i];

		if (strcmp(n->key, "set") == 0 && n->nvals >= 2 &&
		    strcmp(n->vals[0].str, key) == 0)
			found = n;
	}
	return found;
}

const char *
conf_setting(const struct conf *c, const char *key, const char *dflt)
{
	const struct conf_node *n = setting_node(c, key);

	return n ? n->vals[1].str : dflt;
}

double
conf_setting_num(const struct conf *c, const char *key, double dflt)
{
	const struct conf_node *n = setting_node(c, key);

	return n && n->vals[1].type != CV_STR && n->vals[1].type != CV_WORD
	    ? n->vals[1].num
	    : dflt;
}

int
conf_setting_bool(const struct conf *c, const char *key, int dflt)
{
	const struct conf_node *n = setting_node(c, key);
	int b;

	return n != NULL && is_bool(n->vals[1].str, &b) ? b : dflt;
}

static void
apply(const struct conf_node *blk, struct threshold *t)
{
	const struct conf_node *w, *cr, *f;

	if (blk == NULL)
		return;
	/* The later of disable/enable wins. */
	for (size_t i = 0; i < blk->nchild; i++) {
		if (strcmp(blk->child[i].key, "disable") == 0)
			t->enabled = 0;
		else if (strcmp(blk->child[i].key, "enable") == 0)
			t->enabled = 1;
	}
	if ((w = conf_find(blk, "warning")) && w->nvals == 1)
		t->warn = w->vals[0].num;
	if ((cr = conf_find(blk, "critical")) && cr->nvals == 1)
		t->crit = cr->vals[0].num;
	if ((f = conf_find(blk, "for")) && f->nvals == 1)
		t->for_secs = (uint64_t)f->vals[0].num;
}

void
conf_threshold(const struct conf *c, const char *name, const char *subject,
    struct threshold *t)
{
	const struct schema_check *sc = schema_check_find(name);
	const struct conf_node *general = NULL, *specific = NULL;

	t->warn = sc ? sc->warn : NAN;
	t->crit = sc ? sc->crit : NAN;
	t->for_secs = 0;
	t->enabled = 1;
	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *n = &c->root.child[i];

		if (subject_is(n, name, NULL))
			general = n;
		else if (subject && subject_is(n, name, subject))
			specific = n;
	}
	apply(general, t);
	apply(specific, t);
	if (c->ovr_name[0] != '\0' && strcmp(c->ovr_name, name) == 0) {
		if (!isnan(c->ovr_warn))
			t->warn = c->ovr_warn;
		if (!isnan(c->ovr_crit))
			t->crit = c->ovr_crit;
	}
}

int
conf_override(struct conf *c, const char *name, double warn, double crit)
{
	if (strlen(name) >= sizeof(c->ovr_name))
		return -1;
	memcpy(c->ovr_name, name, strlen(name) + 1);
	c->ovr_warn = warn;
	c->ovr_crit = crit;
	return 0;
}

/* The normalised dump. */

static void
dump_val(FILE *fp, const struct conf_val *v)
{
	char d[32];

	switch (v->type) {
	case CV_STR:
		fputc('"', fp);
		for (const char *p = v->str; *p; p++) {
			if (*p == '"' || *p == '\\')
				fprintf(fp, "\\%c", *p);
			else if (*p == '\n')
				fputs("\\n", fp);
			else if (*p == '\t')
				fputs("\\t", fp);
			else if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fputc('?', fp);
			else
				fputc(*p, fp);
		}
		fputc('"', fp);
		break;
	case CV_NUM:
		fprintf(fp, "%g", v->num);
		break;
	case CV_PCT:
		fprintf(fp, "%g%%", v->num);
		break;
	case CV_DUR:
		dur_format(d, sizeof(d), (uint64_t)v->num);
		/* dur_format rounds ("1d3h"); print exact seconds when it would lose. */
		{
			uint64_t back;

			if (dur_parse(d, strlen(d), &back) == 0 &&
			    back == (uint64_t)v->num)
				fputs(d, fp);
			else
				fprintf(
				    fp, "%llus", (unsigned long long)v->num);
		}
		break;
	default:
		fputs(v->str, fp);
		break;
	}
}

static void
dump_node(FILE *fp, const struct conf_node *n, int depth)
{
	for (int i = 0; i < depth; i++)
		fputc('\t', fp);
	fputs(n->key, fp);
	for (size_t i = 0; i < n->nvals; i++) {
		fputc(' ', fp);
		dump_val(fp, &n->vals[i]);
	}
	if (n->is_block) {
		fputs(" {\n", fp);
		for (size_t i = 0; i < n->nchild; i++)
			dump_node(fp, &n->child[i], depth + 1);
		for (int i = 0; i < depth; i++)
			fputc('\t', fp);
		fputc('}', fp);
	}
	fputc('\n', fp);
}

static void
dump_thr(FILE *fp, double v)
{
	if (isnan(v))
		fputs("-", fp);
	else
		fprintf(fp, "%g", v);
}

void
conf_dump(const struct conf *c, FILE *fp)
{
	fprintf(fp, "# sakimori configuration: %s\n",
	    c->path[0] ? c->path : "built-in defaults (no file)");
	for (size_t i = 1; i < c->nfiles; i++)
		fprintf(fp, "# included: %s\n", c->files[i]);
	for (size_t i = 0; i < c->root.nchild; i++)
		dump_node(fp, &c->root.child[i], 0);
	fputs("\n# effective checks (warning / critical / for)\n", fp);
	for (size_t i = 0; i < schema_nchecks; i++) {
		const struct schema_check *sc = &schema_checks[i];
		const char *subj[64];
		struct threshold t;
		size_t ns;

		conf_threshold(c, sc->name, NULL, &t);
		fprintf(fp, "#   %-14s %s ", sc->name,
		    t.enabled ? "enabled " : "disabled");
		dump_thr(fp, t.warn);
		fputs(" / ", fp);
		dump_thr(fp, t.crit);
		fprintf(fp, " / %llus  %s\n", (unsigned long long)t.for_secs,
		    sc->help);
		ns = conf_check_subjects(c, sc->name, subj, 64);
		for (size_t j = 0; j < ns; j++) {
			conf_threshold(c, sc->name, subj[j], &t);
			fprintf(fp, "#     \"%s\" %s ", subj[j],
			    t.enabled ? "enabled " : "disabled");
			dump_thr(fp, t.warn);
			fputs(" / ", fp);
			dump_thr(fp, t.crit);
			fprintf(
			    fp, " / %llus\n", (unsigned long long)t.for_secs);
		}
	}
}
