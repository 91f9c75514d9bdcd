/*
 * mail_analyzer.c - mail as an analyzer of the log engine (logs/analyzer.h):
 * syslog records and the lines no log parser reads (exim's mainlog,
 * qmail's multilog) are split into mail lines and counted into a
 * struct mail_stats; at the end the counts are judged and summarised.
 * `mail report` and `mail follow` run it through the engine's scan and
 * follower, `logs scan --analyzers mail` too.
 */
#include <stdlib.h>

#include "conf/conf.h"
#include "logs/analyzer.h"
#include "mail/mail_run.h"

struct mail_analyzer {
	struct mail_stats own;
	struct mail_stats *s; /* where records are counted: own, or a live's */
	struct mail_policy p;
	struct mail_conf_lists lists;
	int top;
};

static void *
an_create(const struct logs_opts *o, const char **errmsg)
{
	struct mail_analyzer *a = calloc(1, sizeof(*a));

	(void)errmsg;
	if (a == NULL)
		return NULL;
	mail_stats_init(&a->own, 0);
	a->s = &a->own;
	if (o->conf != NULL)
		mail_policy_from_conf(o->conf, &a->p, &a->lists);
	else
		mail_policy_default(&a->p);
	a->top = o->top;
	return a;
}

static void
an_record(void *st, const struct logs_rec *rec, struct report *r)
{
	struct mail_analyzer *a = st;
	const struct logs_syslog *sl = &rec->u.s;
	struct mail_line l;

	(void)r;
	a->s->lines++;
	if (rec->kind != LOGS_KIND_SYSLOG)
		mail_stats_split(a->s,
		    mail_line_other(rec->line.p, rec->line.n, &l) == 0 ? &l
		                                                       : NULL);
	else if (sl->app.n == 0) /* as mail_line_from_syslog: no tag */
		mail_stats_split(a->s, NULL);
	else
		mail_stats_msg(a->s, sl->app.p, sl->app.n, sl->message.p,
		    sl->message.n,
		    sl->time.valid ? (time_t)civ_epoch(&sl->time) : 0);
}

static void
an_finish(void *st, struct report *r, const struct out *out)
{
	struct mail_analyzer *a = st;

	mail_stats_finish(a->s);
	mail_stats_judge(a->s, &a->p, r);
	if (out->mode != OUT_NAGIOS)
		mail_stats_print(a->s, out, a->top);
}

/* The counts and top lists so far; messages still being joined are
 * not in them yet. */
static void
an_show(void *st, const struct out *out)
{
	struct mail_analyzer *a = st;

	if (out->mode != OUT_NAGIOS)
		mail_stats_print(a->s, out, a->top);
}

static void
an_free(void *st)
{
	struct mail_analyzer *a = st;

	mail_stats_release(&a->own);
	free(a);
}

const struct logs_analyzer_ops logs_mail_ops = {
    .name = "mail",
    .help = "mail logs of postfix, sendmail, exim and qmail: the counts "
            "and findings of 'mail report'",
    .kinds = LOGS_KIND_SYSLOG | LOGS_KIND_RAW,
    .create = an_create,
    .record = an_record,
    .finish = an_finish,
    .free = an_free,
    .show = an_show,
};

static struct mail_analyzer *
of_run(const struct logs_run *run)
{
	for (unsigned i = 0; i < run->n; i++)
		if (run->ops[i] == &logs_mail_ops)
			return run->st[i];
	return NULL;
}

struct mail_stats *
mail_analyzer_stats(const struct logs_run *run)
{
	struct mail_analyzer *a = of_run(run);

	return a != NULL ? a->s : NULL;
}

void
mail_analyzer_count_into(const struct logs_run *run, struct mail_stats *s)
{
	struct mail_analyzer *a = of_run(run);

	if (a != NULL)
		a->s = s != NULL ? s : &a->own;
}
