/*
 * mail_run.c - the policy from the configuration, the process and queue checks, and the live judge of
 * `mail follow` (mail_run.h).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/log.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "collect/proc.h"
#include "conf/conf.h"
#include "mail/mail_hist.h"
#include "mail/mail_procs.h"
#include "mail/mail_queue.h"
#include "mail/mail_run.h"

/* A list from the configuration ("check mail-outside-domains {
 * local-domains a b }"): up to max values. */
static size_t
conf_list(const struct conf *c, const char *check, const char *key,
    const char **out, size_t max)
{
	const struct conf_node *nd = conf_find(conf_check(c, check, NULL), key);
	size_t n = 0;

	for (size_t i = 0; nd != NULL && i < nd->nvals && n < max; i++)
		out[n++] = nd->vals[i].str;
	return n;
}

static void
thr(const struct conf *c, const char *name, double *warn, double *crit,
    int *enabled)
{
	struct threshold t;

	conf_threshold(c, name, NULL, &t);
	if (!isnan(t.warn))
		*warn = t.warn;
	if (!isnan(t.crit))
		*crit = t.crit;
	*enabled = t.enabled;
}

void
mail_policy_from_conf(
    const struct conf *c, struct mail_policy *p, struct mail_conf_lists *l)
{
	mail_policy_default(p);
	thr(c, "mail-relay-probe", &p->relay_warn, &p->relay_crit,
	    &p->enabled_relay);
	thr(c, "mail-enumeration", &p->enum_warn, &p->enum_crit,
	    &p->enabled_enum);
	thr(c, "mail-outside-domains", &p->outside_warn, &p->outside_crit,
	    &p->enabled_outside);
	thr(c, "mail-volume", &p->volume_warn, &p->volume_crit,
	    &p->enabled_volume);
	thr(c, "mail-null-sender", &p->null_warn, &p->null_crit,
	    &p->enabled_null);
	thr(c, "mail-deferred", &p->deferred_warn, &p->deferred_crit,
	    &p->enabled_deferred);
	p->volume_factor = conf_num(
	    conf_check(c, "mail-volume", NULL), "factor", p->volume_factor);
	p->nlocal = conf_list(c, "mail-outside-domains", "local-domains",
	    l->local, MAIL_CONF_DOMAINS);
	p->local_domains = l->local;
	p->nusual = conf_list(c, "mail-outside-domains", "usual-domains",
	    l->usual, MAIL_CONF_DOMAINS);
	p->usual_domains = l->usual;
}

void
mail_judge_procs(const struct conf *c, const char *root, struct report *r)
{
	struct proc_table t;
	struct mail_procs mp;
	struct threshold th;
	struct err err = {0};
	struct finding *f;

	conf_threshold(c, "mail-processes", NULL, &th);
	if (!th.enabled)
		return;
	proc_table_init(&t);
	if (proc_table_read(&t, root, PROC_READ_EXE, NULL, &err) == -1) {
		log_info("mail processes: %s", err.msg);
		proc_table_release(&t);
		return;
	}
	mail_procs_count(&t, &mp);
	proc_table_release(&t);
	report_perf(r, "mta_processes", mp.total, "", th.warn, th.crit, 0, NAN);
	if (isnan(th.warn) || mp.total < th.warn)
		return;
	f = report_add(r,
	    !isnan(th.crit) && mp.total >= th.crit ? SEV_CRITICAL : SEV_WARNING,
	    "mail-processes", "mta",
	    "%u MTA processes running (sendmail %u, postfix %u, exim %u, "
	    "qmail %u)",
	    mp.total, mp.sendmail, mp.postfix, mp.exim, mp.qmail);
	if (f != NULL) {
		finding_ev(f, "processes", "%u", mp.total);
		finding_ev(f, "smtp_servers", "%u", mp.smtpd);
	}
}

void
mail_judge_queue(const struct conf *c, const char *root, struct mail_hist *h,
    struct report *r)
{
	const struct conf_node *blk = conf_check(c, "mail-deferred", NULL);
	const char *dir = conf_str(blk, "queue-dir", "/var/spool/postfix");
	struct threshold th;
	struct err err = {0};
	struct strbuf prev = STRBUF_INIT(64);
	struct finding *f;
	uint64_t n, was = 0;
	int have_prev = 0;
	char now[32], key[PATH_MAX];

	conf_threshold(c, "mail-deferred", NULL, &th);
	if (!th.enabled)
		return;
	if (mail_queue_deferred(root, dir, &n, &err) == -1) {
		log_info("deferred queue: %s", err.msg);
		return;
	}
	/* the key is the directory as read, root prefix included */
	if (path_join(key, sizeof(key), root, dir) == -1)
		h = NULL;
	if (h != NULL) {
		if (store_kv_get(&h->st, "mail", key, &prev, NULL) == 0) {
			const char *cp = strbuf_str(&prev);

			have_prev = cur_u64(&cp, cp + prev.len, &was) == 0;
		}
		snprintf(now, sizeof(now), "%llu", (unsigned long long)n);
		(void)store_kv_set(&h->st, "mail", key, now, strlen(now), NULL);
	}
	strbuf_release(&prev);
	report_perf(
	    r, "deferred_queue", (double)n, "", th.warn, th.crit, 0, NAN);
	if (isnan(th.warn) || (double)n < th.warn)
		return;
	f = report_add(r,
	    !isnan(th.crit) && (double)n >= th.crit ? SEV_CRITICAL
	                                            : SEV_WARNING,
	    "mail-deferred", "queue", "%llu messages in the deferred queue%s",
	    (unsigned long long)n, have_prev && n > was ? " and growing" : "");
	if (f != NULL) {
		finding_ev(f, "deferred_queue", "%llu", (unsigned long long)n);
		finding_ev(f, "queue_dir", "%s", dir);
		if (have_prev)
			finding_ev(
			    f, "previous", "%llu", (unsigned long long)was);
	}
}

/* ---- live ---- */

static void
live_start(struct mail_live *lv, double now)
{
	mail_stats_init(&lv->s, 0);
	mail_stats_uid_names(&lv->s, lv->uid_fn, lv->uid_arg);
	lv->window_start = now;
	lv->nseen = 0;
}

void
mail_live_init(struct mail_live *lv, const struct mail_policy *p,
    uint64_t window, double now, const char *(*uid_fn)(void *arg, uint64_t uid),
    void *uid_arg)
{
	memset(lv, 0, sizeof(*lv));
	lv->p = *p;
	lv->window = window;
	lv->uid_fn = uid_fn;
	lv->uid_arg = uid_arg;
	live_start(lv, now);
}

void
mail_live_judge(struct mail_live *lv, struct report *r)
{
	struct mail_policy q = lv->p;

	q.enabled_deferred = 0;
	lv->s.flushed = 1;
	mail_stats_judge(&lv->s, &q, r);
	lv->s.flushed = 0;
}

int
mail_live_is_new(struct mail_live *lv, const struct finding *f)
{
	char key[sizeof(lv->seen[0].key)];
	size_t k;

	snprintf(key, sizeof(key), "%s|%s", f->check, f->subject);
	for (k = 0; k < lv->nseen; k++)
		if (strcmp(lv->seen[k].key, key) == 0)
			break;
	if (k < lv->nseen && lv->seen[k].sev >= f->sev)
		return 0;
	if (k == lv->nseen) {
		if (lv->nseen == lv->capseen) {
			size_t nc = lv->capseen ? lv->capseen * 2 : 16;
			struct mail_seen *ns =
			    realloc(lv->seen, nc * sizeof(*ns));

			if (ns == NULL)
				return 0;
			lv->seen = ns;
			lv->capseen = nc;
		}
		snprintf(lv->seen[k].key, sizeof(lv->seen[k].key), "%s", key);
		lv->nseen++;
	}
	lv->seen[k].sev = f->sev;
	return 1;
}

void
mail_live_window(struct mail_live *lv, double now)
{
	if (lv->window == 0 || now - lv->window_start < (double)lv->window)
		return;
	mail_stats_release(&lv->s);
	live_start(lv, now);
}

void
mail_live_release(struct mail_live *lv)
{
	mail_stats_release(&lv->s);
	free(lv->seen);
	lv->seen = NULL;
	lv->nseen = lv->capseen = 0;
}
