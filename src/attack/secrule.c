/*
 * secrule.c - the ModSecurity rule-language parser (see secrule.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attack/ruleset.h"
#include "attack/secrule.h"
#include "base/bounded.h"
#include "base/cur.h"
#include "base/mem.h"
#include "base/strbuf.h"

#define DIRECTIVE_MAX (256u << 10) /* one directive with its continuations */

void
secrule_set_init(struct secrule_set *s)
{
	memset(s, 0, sizeof(*s));
}

static void
rule_free(struct secrule *r)
{
	free(r->vars);
	free(r->arg);
}

void
secrule_set_release(struct secrule_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		rule_free(&s->r[i]);
	free(s->r);
	memset(s, 0, sizeof(*s));
}

int
secrule_has_tag(const struct secrule *r, const char *t)
{
	for (unsigned i = 0; i < r->ntags; i++)
		if (strcmp(r->tags[i], t) == 0)
			return 1;
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The next argument of a directive at *cur: a double-quoted string (\"
 * a quote, other backslashes kept with the character after them) or a
 * word.  Written into out (NUL-terminated, at most the input's length).
 * 0; 1 when there is none; -1 when a quote is not closed.
 */
static int
next_arg(const char **cur, const char *end, char *out, size_t *outn)
{
	const char *p = *cur;
	size_t n = 0;

	while (p < end && is_space(*p))
		p++;
	if (p == end)
		return 1;
	if (*p == '"') {
		p++;
		for (;;) {
			if (p == end)
				return -1;
			if (*p == '"')
				break;
			if (*p == '\\' && p + 1 < end) {
				if (p[1] == '"') {
					out[n++] = '"';
					p += 2;
					continue;
				}
				out[n++] = *p++;
			}
			out[n++] = *p++;
		}
		p++;
	} else
		while (p < end && !is_space(*p))
			out[n++] = *p++;
	out[n] = '\0';
	*outn = n;
	*cur = p;
	return 0;
}

/* The score a setvar value "+%{tx.critical_anomaly_score}" or "+N" adds. */
static int
score_of(const char *v)
{
	static const struct {
		const char *name;
		int score;
	} lv[] = {{"critical", 5}, {"error", 4}, {"warning", 3}, {"notice", 2}};
	uint64_t n;

	if (*v != '+')
		return 0;
	v++;
	if (strncasecmp(v, "%{tx.", 5) == 0) {
		for (size_t i = 0; i < countof(lv); i++) {
			size_t l = strlen(lv[i].name);

			if (strncasecmp(v + 5, lv[i].name, l) == 0 &&
			    strcasecmp(v + 5 + l, "_anomaly_score}") == 0)
				return lv[i].score;
		}
		return 0;
	}
	if (str_u64(v, &n) == 0 && n <= 1000)
		return (int)n;
	return 0;
}

/* setvar:NAME=VALUE: the anomaly score, the family score. */
static void
setvar(struct secrule *r, const char *v, size_t n)
{
	const char *eq = memchr(v, '=', n);
	char val[64];
	size_t nl;

	if (eq == NULL || eq - v < 4 || strncasecmp(v, "tx.", 3) != 0)
		return;
	attack_text_copy(val, sizeof(val), eq + 1, n - (size_t)(eq + 1 - v));
	nl = (size_t)(eq - v) - 3;
	v += 3;
	if (nl >= 13 && strncasecmp(v, "anomaly_score", 13) == 0) {
		int sc = score_of(val);

		if (sc > r->score)
			r->score = sc;
	} else if (nl > 6 && strncasecmp(v + nl - 6, "_score", 6) == 0 &&
	    score_of(val) > 0)
		attack_text_copy(r->family, sizeof(r->family), v, nl);
}

/* One action "name[:value]" of a rule. */
static int
action(struct secrule *r, const char *name, size_t nl, const char *v, size_t vl)
{
	uint64_t u;
	const char *c = v;

	if (mem_eq(name, nl, "id")) {
		if (cur_u64(&c, v + vl, &u) == -1 || c != v + vl || u == 0 ||
		    u > UINT32_MAX)
			return -1;
		r->id = (uint32_t)u;
	} else if (mem_eq(name, nl, "phase")) {
		if (mem_eq(v, vl, "request"))
			r->phase = 2;
		else if (mem_eq(v, vl, "response"))
			r->phase = 4;
		else if (mem_eq(v, vl, "logging"))
			r->phase = 5;
		else if (vl == 1 && v[0] >= '1' && v[0] <= '5')
			r->phase = v[0] - '0';
		else
			return -1;
	} else if (mem_eq(name, nl, "t")) {
		if (vl == 0 || vl >= SECRULE_NAME_MAX)
			return -1;
		if (r->ntfn < SECRULE_TFN_MAX)
			attack_text_copy(
			    r->tfn[r->ntfn++], SECRULE_NAME_MAX, v, vl);
		else
			return -1;
	} else if (mem_eq(name, nl, "severity"))
		attack_text_copy(r->severity, sizeof(r->severity), v, vl);
	else if (mem_eq(name, nl, "msg"))
		attack_text_copy(r->msg, sizeof(r->msg), v, vl);
	else if (mem_eq(name, nl, "tag")) {
		if (r->ntags < SECRULE_TAG_MAX)
			attack_text_copy(
			    r->tags[r->ntags++], sizeof(r->tags[0]), v, vl);
		if (vl >= 15 && strncmp(v, "paranoia-level/", 15) == 0) {
			if (vl != 16 || v[15] < '1' || v[15] > '4')
				return -1;
			r->paranoia = v[15] - '0';
		}
	} else if (mem_eq(name, nl, "chain"))
		r->chain = 1;
	else if (mem_eq(name, nl, "multiMatch"))
		r->multimatch = 1;
	else if (mem_eq(name, nl, "skipAfter"))
		attack_text_copy(r->marker, sizeof(r->marker), v, vl);
	else if (mem_eq(name, nl, "setvar"))
		setvar(r, v, vl);
	return 0;
}

/*
 * The action list "a,b:c,d:'e,f'" of a rule, in place in s (values are
 * unquoted where they stand).  0, or -1 naming the bad action in err.
 */
static int
actions(
    struct secrule *r, char *s, size_t n, const char *where, struct err *err)
{
	char *p = s, *end = s + n;

	while (p < end) {
		char *name, *v, *w;
		size_t nl, vl = 0;

		while (p < end && (is_space(*p) || *p == ','))
			p++;
		if (p == end)
			break;
		name = p;
		while (p < end && *p != ':' && *p != ',' && !is_space(*p))
			p++;
		nl = (size_t)(p - name);
		v = w = p;
		if (p < end && *p == ':') {
			p++;
			while (p < end && is_space(*p))
				p++;
			v = w = p;
			if (p < end && *p == '\'') {
				p++;
				for (;;) {
					if (p == end)
						return err_set(err, 0,
						    "%s: unclosed quote in "
						    "action '%.*s'",
						    where,
						    (int)(nl > 30 ? 30 : nl),
						    name);
					if (*p == '\'')
						break;
					if (*p == '\\' && p + 1 < end &&
					    p[1] == '\'')
						p++;
					*w++ = *p++;
				}
				p++;
			} else
				while (p < end && *p != ',') {
					*w++ = *p++;
				}
			vl = (size_t)(w - v);
			while (vl > 0 && is_space(v[vl - 1]))
				vl--;
		}
		if (action(r, name, nl, v, vl) == -1)
			return err_set(err, 0, "%s: bad action '%.*s'", where,
			    (int)(nl + 1 + (vl > 40 ? 40 : vl) > 80
			            ? 80
			            : nl + 1 + (vl > 40 ? 40 : vl)),
			    name);
	}
	return 0;
}

/* "[!]@name arg" or a bare expression (an implied @rx). */
static int
operator(struct secrule *r, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *nm;

	while (p < end && is_space(*p))
		p++;
	if (p < end && *p == '!') {
		r->negated = 1;
		p++;
	}
	if (p < end && *p == '@') {
		nm = ++p;
		while (p < end && !is_space(*p))
			p++;
		if (p == nm || (size_t)(p - nm) >= SECRULE_NAME_MAX)
			return -1;
		attack_text_copy(r->op, sizeof(r->op), nm, (size_t)(p - nm));
		if (p < end)
			p++; /* the one space that separates the argument */
	} else
		str_copy(r->op, sizeof(r->op), "rx");
	if ((size_t)(end - p) > SECRULE_ARG_MAX)
		return -1;
	r->arg = strndup(p, (size_t)(end - p));
	return r->arg == NULL ? -1 : 0;
}

struct pstate {
	int section;                   /* the paranoia section's level */
	char marker[SECRULE_TEXT_MAX]; /* where it ends */
	int in_chain;
	int chain_pl;
};

static int
is_pl_var(const char *v)
{
	return strcasecmp(v, "TX:EXECUTING_PARANOIA_LEVEL") == 0 ||
	    strcasecmp(v, "TX:DETECTION_PARANOIA_LEVEL") == 0;
}

/* One directive (continuations joined) into s.  where: "name:line". */
static int
directive(struct secrule_set *s, struct pstate *ps, char *d, size_t n,
    unsigned line, const char *where, struct err *err)
{
	const char *cur = d, *end = d + n;
	char *a[3], *buf = NULL;
	size_t al[3], na = 0;
	struct secrule r;
	char kw[32];
	size_t kl;
	int rc = -1, k;

	memset(&r, 0, sizeof(r));
	r.line = line;
	if ((buf = malloc(3 * (n + 1))) == NULL)
		return err_sys(err, ENOMEM, "%s", where);
	while (cur < end && is_space(*cur))
		cur++;
	kl = 0;
	while (cur < end && !is_space(*cur) && kl < sizeof(kw) - 1)
		kw[kl++] = *cur++;
	kw[kl] = '\0';
	if (strcasecmp(kw, "SecRule") == 0)
		r.kind = SECRULE_RULE;
	else if (strcasecmp(kw, "SecAction") == 0)
		r.kind = SECRULE_ACTION;
	else if (strcasecmp(kw, "SecMarker") == 0)
		r.kind = SECRULE_MARKER;
	else {
		s->other++;
		free(buf);
		return 0;
	}
	for (;;) {
		if (na == 3) {
			const char *t = cur;

			while (t < end && is_space(*t))
				t++;
			if (t < end) {
				err_set(
				    err, 0, "%s: too many arguments", where);
				goto out;
			}
			break;
		}
		a[na] = buf + na * (n + 1);
		k = next_arg(&cur, end, a[na], &al[na]);
		if (k == -1) {
			err_set(err, 0, "%s: unclosed quote", where);
			goto out;
		}
		if (k == 1)
			break;
		na++;
	}
	switch (r.kind) {
	case SECRULE_MARKER:
		if (na != 1) {
			err_set(err, 0, "%s: SecMarker takes a name", where);
			goto out;
		}
		attack_text_copy(r.marker, sizeof(r.marker), a[0], al[0]);
		if (ps->marker[0] != '\0' &&
		    strcmp(ps->marker, r.marker) == 0) {
			ps->section = 1;
			ps->marker[0] = '\0';
		}
		break;
	case SECRULE_ACTION:
		if (na != 1) {
			err_set(err, 0, "%s: SecAction takes one action list",
			    where);
			goto out;
		}
		if (actions(&r, a[0], al[0], where, err) == -1)
			goto out;
		break;
	case SECRULE_RULE:
		if (na < 2) {
			err_set(err, 0,
			    "%s: SecRule needs variables and an "
			    "operator",
			    where);
			goto out;
		}
		if ((r.vars = strndup(a[0], al[0])) == NULL) {
			err_sys(err, ENOMEM, "%s", where);
			goto out;
		}
		if (operator(&r, a[1], al[1]) == -1) {
			err_set(err, 0, "%s: bad operator", where);
			goto out;
		}
		if (na == 3 && actions(&r, a[2], al[2], where, err) == -1)
			goto out;
		break;
	}
	if (r.kind != SECRULE_MARKER) {
		if (ps->in_chain) {
			r.link = 1;
			r.paranoia = ps->chain_pl;
		} else if (r.paranoia == 0)
			r.paranoia = ps->section;
		ps->in_chain = r.chain;
		ps->chain_pl = r.paranoia;
		if (!r.link && r.id == 0) {
			err_set(err, 0, "%s: rule without an id", where);
			goto out;
		}
	}
	/* the opening of a paranoia section */
	if (r.kind == SECRULE_RULE && !r.link && is_pl_var(r.vars) &&
	    strcmp(r.op, "lt") == 0 && r.arg[0] >= '1' && r.arg[0] <= '4' &&
	    r.arg[1] == '\0' && r.marker[0] != '\0') {
		ps->section = r.arg[0] - '0';
		memcpy(ps->marker, r.marker, sizeof(ps->marker));
	}
	if (s->n >= SECRULE_MAX) {
		err_set(err, 0, "%s: more than %d rules", where, SECRULE_MAX);
		goto out;
	}
	if (mem_grow(&s->r, &s->cap, s->n + 1, sizeof(*s->r)) == -1) {
		err_sys(err, ENOMEM, "%s", where);
		goto out;
	}
	s->r[s->n++] = r;
	memset(&r, 0, sizeof(r));
	rc = 0;
out:
	rule_free(&r);
	free(buf);
	return rc;
}

/* The directive gathered in d, which starts at line start. */
static int
flush(struct secrule_set *s, struct pstate *ps, struct strbuf *d,
    const char *name, unsigned start, struct err *err)
{
	char where[300];

	snprintf(where, sizeof(where), "%s:%u", name, start);
	if (strbuf_failed(d))
		return err_set(err, 0, "%s: directive too long", where);
	if (d->len == 0)
		return 0;
	if (memchr(d->p, '\0', d->len) != NULL)
		return err_set(err, 0, "%s: NUL byte", where);
	return directive(s, ps, d->p, d->len, start, where, err);
}

int
secrule_parse(struct secrule_set *s, const char *name, const char *text,
    size_t len, struct err *err)
{
	const char *cur = text, *end = text + len, *ls, *le;
	struct strbuf d = STRBUF_INIT(DIRECTIVE_MAX);
	struct pstate ps;
	unsigned lineno = 0, start = 0;
	int rc = 0, cont = 0;

	memset(&ps, 0, sizeof(ps));
	ps.section = 1;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		lineno++;
		while (le > ls && is_space(le[-1]))
			le--;
		if (!cont) {
			while (ls < le && is_space(*ls))
				ls++;
			if (ls == le || *ls == '#')
				continue;
			start = lineno;
			strbuf_reset(&d);
		}
		cont = le > ls && le[-1] == '\\';
		if (cont)
			le--;
		strbuf_add(&d, ls, (size_t)(le - ls));
		if (cont)
			continue;
		if ((rc = flush(s, &ps, &d, name, start, err)) == -1)
			break;
	}
	if (rc == 0 && cont) /* a continuation at the end of the text */
		rc = flush(s, &ps, &d, name, start, err);
	if (rc == 0 && ps.in_chain)
		rc = err_set(err, 0, "%s: chain without its last rule", name);
	strbuf_release(&d);
	return rc;
}
