/*
 * check.c - running the registry's checks on one context (see check.h),
 * and the daily run's report by mail.
 */
#include "check/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "act/act.h"
#include "act/mail.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/output.h"
#include "conf/conf.h"
#include "rules/net_flood.h"

#define CHECK_SUBJECTS_MAX 256

/* Enabled for its general block, or for one subject's block. */
static int
name_enabled(const struct conf *c, const char *name)
{
	const char *subj[CHECK_SUBJECTS_MAX];
	struct threshold t;
	size_t n;

	conf_threshold(c, name, NULL, &t);
	if (t.enabled)
		return 1;
	n = conf_check_subjects(c, name, subj, CHECK_SUBJECTS_MAX);
	for (size_t i = 0; i < n; i++) {
		conf_threshold(c, name, subj[i], &t);
		if (t.enabled)
			return 1;
	}
	return 0;
}

int
check_enabled(const struct conf *c, const struct check_entry *e)
{
	if (e->ids == NULL)
		return name_enabled(c, e->name);
	for (const char *const *id = e->ids; *id != NULL; id++)
		if (name_enabled(c, *id))
			return 1;
	return 0;
}

/* Loads the libraries e needs: 0, or -1 with err. */
static int
libs_loaded(const struct check_entry *e, struct err *err)
{
	for (unsigned id = 0; id < DYNLIB_NLIBS; id++)
		if ((e->libs & (1u << id)) &&
		    dynlib_require((enum dynlib_id)id, err) == -1)
			return -1;
	return 0;
}

int
check_run_table(const struct check_ctx *x, const struct check_entry *t,
    size_t n, unsigned mask, struct report *r)
{
	struct rules_net_shared net = {0};
	struct check_ctx xr = *x;

	/* the socket table read once for the flood checks of the run */
	if (xr.net == NULL)
		xr.net = &net;
	for (size_t i = 0; i < n; i++) {
		const struct check_entry *e = &t[i];

		if (!(e->cls & mask))
			continue;
		if ((mask & CHECK_ONLY_SNAPSHOT) &&
		    !(e->flags & CHECK_SNAPSHOT))
			continue;
		check_run_entry(&xr, t, i, r);
	}
	rules_net_shared_release(&net);
	return (int)report_worst(r);
}

void
check_run_entry(const struct check_ctx *x, const struct check_entry *t,
    size_t i, struct report *r)
{
	const struct check_entry *e = &t[i];
	struct check_ctx xe = *x;
	struct err err = {0};

	if (!check_enabled(x->conf, e))
		return;
	xe.memo = x->memos != NULL ? &x->memos[i] : NULL;
	if (libs_loaded(e, &err) == -1 || e->run(&xe, r, &err) == -1)
		report_add(r, SEV_UNKNOWN, e->name, e->name, "%s",
		    err.msg[0] ? err.msg : "failed");
}

unsigned
check_snap_want(const struct check_entry *t, size_t n,
    int (*due)(size_t i, const void *arg), const void *arg)
{
	unsigned want = 0;

	for (size_t i = 0; i < n; i++)
		if (due(i, arg))
			want |= t[i].snap;
	return want;
}

void
check_memos_release(const struct check_entry *t, size_t n, void **memos)
{
	if (memos == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		if (memos[i] == NULL)
			continue;
		if (t[i].memo_free != NULL)
			t[i].memo_free(memos[i]);
		else
			free(memos[i]);
		memos[i] = NULL;
	}
}

int
check_run(const struct check_ctx *x, unsigned mask, struct report *r)
{
	size_t n;
	const struct check_entry *t = check_registry(&n);

	return check_run_table(x, t, n, mask, r);
}

int
check_mail_report(
    const struct check_ctx *x, const struct report *r, struct err *err)
{
	const char *to = conf_setting(x->conf, "mail-to", NULL);
	char subject[256], host[256] = "localhost";
	struct out o;
	struct mail m = {0};
	char *body = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if (to == NULL || r->nf == 0)
		return 0;
	gethostname(host, sizeof(host) - 1);
	snprintf(subject, sizeof(subject),
	    "sakimori daily check on %s: %s (%zu critical, %zu warning)",
	    conf_setting(x->conf, "hostname", host), sev_name(report_worst(r)),
	    report_count(r, SEV_CRITICAL), report_count(r, SEV_WARNING));
	if ((fp = open_memstream(&body, &len)) == NULL)
		return 0;
	out_init(&o, OUT_TABLE, fp);
	o.color = 0;
	out_report(&o, r, "SAKIMORI");
	fclose(fp);
	m.sendmail = conf_setting(x->conf, "sendmail", NULL);
	m.from = conf_setting(x->conf, "mail-from", NULL);
	m.to = to;
	m.subject = subject;
	m.body = body;
	rc = x->act->mail(x->act, &m, err);
	free(body);
	if (rc == -1)
		return err_prefix(
		    err, "cannot mail the daily report to %s", to);
	return 0;
}
