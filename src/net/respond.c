/*
 * respond.c - active response decisions (see respond.h).
 */
#include "net/respond.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "conf/conf.h"
#include "net/allow.h"
#include "net/ban.h"
#include "net/settings.h"

#define DEFAULT_SECS 3600

const char *const respond_findings[] = {"web-attack", "web-404-scan",
    "web-request-flood", "web-login-burst", "auth-brute-force",
    "auth-user-enumeration", "auth-success-after-failures", "mail-relay-probe",
    "mail-enumeration", "conn-flood", NULL};

/* A web-attack incident's kind ("404-scan") for a rule's name. */
static const char *
incident_kind(const char *rule)
{
	if (strncmp(rule, "web-", 4) == 0 && strcmp(rule, "web-attack") != 0)
		return rule + 4;
	return NULL;
}

int
respond_rule_parse(const char *const *vals, size_t n, struct respond_rule *out,
    char *why, size_t whysz)
{
	size_t i = 1;
	int known = 0;

	memset(out, 0, sizeof(*out));
	out->min = SEV_WARNING;
	out->secs = DEFAULT_SECS;
	if (n == 0) {
		snprintf(why, whysz, "block: which finding?");
		return -1;
	}
	for (size_t k = 0; respond_findings[k] != NULL; k++)
		known |= strcmp(vals[0], respond_findings[k]) == 0;
	if (!known) {
		snprintf(why, whysz,
		    "block '%.40s': not a finding that names an address "
		    "(web-attack, web-404-scan, web-request-flood, "
		    "web-login-burst, auth-brute-force, auth-user-enumeration, "
		    "auth-success-after-failures, mail-relay-probe, "
		    "mail-enumeration, conn-flood)",
		    vals[0]);
		return -1;
	}
	snprintf(out->finding, sizeof(out->finding), "%s", vals[0]);
	if (i < n &&
	    (strcmp(vals[i], "warning") == 0 ||
	        strcmp(vals[i], "critical") == 0)) {
		out->min = vals[i][0] == 'c' ? SEV_CRITICAL : SEV_WARNING;
		i++;
	}
	if (i < n && strcmp(vals[i], "for") == 0) {
		if (i + 1 >= n ||
		    net_block_for_parse(vals[i + 1], &out->secs) == -1) {
			snprintf(why, whysz,
			    "block %s: 'for' wants a duration (10m, 1h, 7d "
			    "or forever)",
			    vals[0]);
			return -1;
		}
		i += 2;
	}
	if (i < n) {
		snprintf(why, whysz,
		    "block %s: unexpected '%.40s' (block FINDING "
		    "[warning|critical] [for DURATION])",
		    vals[0], vals[i]);
		return -1;
	}
	return 0;
}

int
respond_conf_load(
    struct respond_conf *rc, const struct conf *c, struct err *err)
{
	memset(rc, 0, sizeof(*rc));
	if (net_block_conf_load(&rc->bc, c, NULL, err) == -1)
		return -1;
	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *b = &c->root.child[i];

		if (strcmp(b->key, "respond") != 0 || !b->is_block)
			continue;
		for (size_t j = 0; j < b->nchild; j++) {
			const struct conf_node *s = &b->child[j];
			const char *vals[8];
			char why[400];
			size_t n = s->nvals < 8 ? s->nvals : 8;

			if (strcmp(s->key, "max-active") == 0) {
				rc->max_active =
				    (unsigned)conf_num(b, "max-active", 0);
				continue;
			}
			if (strcmp(s->key, "block") != 0)
				continue;
			for (size_t k = 0; k < n; k++)
				vals[k] = s->vals[k].str;
			if (rc->n == RESPOND_RULES_MAX)
				return err_set(err, EINVAL,
				    "%s:%d: respond: more than %d rules",
				    s->file, s->line, RESPOND_RULES_MAX);
			if (respond_rule_parse(vals, n, &rc->rule[rc->n], why,
			        sizeof(why)) == -1)
				return err_set(err, EINVAL,
				    "%s:%d: respond: %s", s->file, s->line,
				    why);
			rc->n++;
		}
	}
	return 0;
}

/* Does rule select finding f? */
static int
selects(const struct respond_rule *rule, const struct finding *f)
{
	const char *kind = incident_kind(rule->finding), *cls;

	if (f->sev == SEV_OK || f->sev == SEV_UNKNOWN || f->sev < rule->min)
		return 0;
	if (strcmp(f->check, rule->finding) == 0)
		return 1;
	/* a web-attack incident whose requests fired the rate */
	if (kind == NULL || strcmp(f->check, "web-attack") != 0)
		return 0;
	cls = finding_ev_get(f, "classes");
	if (cls == NULL)
		return 0;
	for (const char *p = cls; (p = strstr(p, kind)) != NULL; p++) {
		size_t kn = strlen(kind);

		if ((p == cls || p[-1] == ',') &&
		    (p[kn] == '\0' || p[kn] == ','))
			return 1;
	}
	return 0;
}

/*
 * The address a finding is about: its "address" evidence, else the
 * subject ("client:host[ADDR]" and "client:ADDR" of the mail checks).
 */
static int
address_of(
    const struct finding *f, struct net_prefix *p, char *txt, size_t txtsz)
{
	const char *s = finding_ev_get(f, "address");
	const char *b, *e;
	size_t n;
	struct err err = {0};

	if (s == NULL)
		s = f->subject;
	if (strncmp(s, "client:", 7) == 0)
		s += 7;
	n = strlen(s);
	if ((b = strrchr(s, '[')) != NULL && (e = strchr(b, ']')) != NULL) {
		s = b + 1;
		n = (size_t)(e - s);
	}
	if (n == 0 || n >= txtsz)
		return -1;
	memcpy(txt, s, n);
	txt[n] = '\0';
	if (net_prefix_parse(txt, n, p, &err) == -1 || !net_prefix_is_host(p))
		return -1;
	return 0;
}

static void
reason_of(const struct finding *f, char *dst, size_t sz)
{
	static const char *const keys[] = {"lines", "failures", "peak",
	    "window", "users", "classes", "attacks", "count", "login", NULL};
	size_t o;
	int w = snprintf(
	    dst, sz, "%s %s: %s", f->check, sev_name(f->sev), f->message);

	o = w < 0 ? 0 : (size_t)w;
	for (size_t k = 0; keys[k] != NULL && o < sz; k++) {
		const char *v = finding_ev_get(f, keys[k]);

		if (v == NULL)
			continue;
		w = snprintf(dst + o, sz - o, "; %s=%s", keys[k], v);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

const char *
respond_what_name(enum respond_what w)
{
	switch (w) {
	case RESPOND_BLOCK:
		return "block";
	case RESPOND_ACTIVE:
		return "already blocked";
	case RESPOND_ALLOWED:
		return "never blocked";
	case RESPOND_CAP:
		return "not blocked: max-active";
	case RESPOND_NOT_ADDRESS:
		return "not an address";
	}
	return "?";
}

static const struct respond_past *
past_of(
    const struct respond_past *past, size_t npast, const struct net_prefix *p)
{
	for (size_t i = 0; past != NULL && i < npast; i++)
		if (net_prefix_equal(&past[i].p, p))
			return &past[i];
	return NULL;
}

size_t
respond_decide(const struct respond_conf *rc, const struct report *r,
    const struct respond_past *past, size_t npast, size_t active,
    const struct net_allow *allow, struct respond_decision *out, size_t max)
{
	size_t n = 0, blocking = 0;

	for (size_t i = 0; i < r->nf && n < max; i++) {
		const struct finding *f = &r->f[i];
		const struct respond_rule *rule = NULL;
		struct respond_decision *d;
		const struct respond_past *pp;
		const struct net_allow_entry *ae;
		struct net_prefix p;
		char txt[64];
		size_t k;

		for (size_t j = 0; j < rc->n; j++)
			if (selects(&rc->rule[j], f) &&
			    (rule == NULL || rc->rule[j].secs > rule->secs ||
			        rc->rule[j].secs == 0))
				rule = &rc->rule[j];
		if (rule == NULL)
			continue;
		if (address_of(f, &p, txt, sizeof(txt)) == -1) {
			d = &out[n++];
			memset(d, 0, sizeof(*d));
			d->what = RESPOND_NOT_ADDRESS;
			d->finding = i;
			d->rule = rule;
			snprintf(d->addr, sizeof(d->addr), "%.63s", f->subject);
			snprintf(d->why, sizeof(d->why),
			    "'%.60s' is not an IP address", f->subject);
			reason_of(f, d->reason, sizeof(d->reason));
			continue;
		}
		for (k = 0; k < n; k++)
			if (out[k].what != RESPOND_NOT_ADDRESS &&
			    net_prefix_equal(&out[k].p, &p))
				break;
		if (k < n) {
			/* one decision per address: the longest rule */
			d = &out[k];
			if (d->rule != NULL && d->rule->secs != 0 &&
			    (rule->secs == 0 || rule->secs > d->rule->secs)) {
				d->rule = rule;
				d->secs = net_block_repeat_secs(
				    &rc->bc, rule->secs, d->earlier);
			}
			continue;
		}
		d = &out[n++];
		memset(d, 0, sizeof(*d));
		d->p = p;
		snprintf(d->addr, sizeof(d->addr), "%s", txt);
		d->finding = i;
		d->rule = rule;
		pp = past_of(past, npast, &p);
		d->earlier = pp != NULL ? pp->earlier : 0;
		d->secs =
		    net_block_repeat_secs(&rc->bc, rule->secs, d->earlier);
		reason_of(f, d->reason, sizeof(d->reason));
		if (pp != NULL && pp->active) {
			d->what = RESPOND_ACTIVE;
		} else if (allow != NULL &&
		    (ae = net_allow_match(allow, &p)) != NULL) {
			d->what = RESPOND_ALLOWED;
			snprintf(d->why, sizeof(d->why), "%s", ae->why);
		} else if (rc->max_active > 0 &&
		    active + blocking >= rc->max_active) {
			d->what = RESPOND_CAP;
			snprintf(d->why, sizeof(d->why),
			    "%zu blocks active (max-active %u)",
			    active + blocking, rc->max_active);
		} else {
			d->what = RESPOND_BLOCK;
			blocking++;
		}
	}
	return n;
}

int
respond_history(struct store *st, time_t now, struct respond_past **out,
    size_t *n, size_t *active, struct err *err)
{
	struct net_ban *b = NULL;
	struct respond_past *p;
	size_t nb = 0, np = 0;

	*out = NULL;
	*n = 0;
	*active = 0;
	if (net_ban_list(st, 1, &b, &nb, err) == -1)
		return -1;
	if ((p = calloc(nb + 1, sizeof(*p))) == NULL) {
		free(b);
		return err_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nb; i++) {
		size_t k;

		if (b[i].state == NET_BAN_FAILED)
			continue;
		for (k = 0; k < np; k++)
			if (net_prefix_equal(&p[k].p, &b[i].prefix))
				break;
		if (k == np)
			p[np++].p = b[i].prefix;
		if (b[i].state == NET_BAN_ACTIVE &&
		    (b[i].until == 0 || b[i].until > now)) {
			p[k].active = 1;
			(*active)++;
		} else {
			p[k].earlier++;
		}
	}
	free(b);
	*out = p;
	*n = np;
	return 0;
}

size_t
respond_items(
    const struct respond_decision *d, size_t n, struct net_block_item *items)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct net_block_item *it;

		if (d[i].what != RESPOND_BLOCK)
			continue;
		it = &items[k++];
		memset(it, 0, sizeof(*it));
		it->p = d[i].p;
		it->secs = d[i].rule->secs; /* the block grows it */
		it->reason = d[i].reason;
	}
	return k;
}
