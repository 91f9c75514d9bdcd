/*
 * agent_logs_series.c - the followed logs' requests and mail messages
 * (agent/logs_tally.h: what the log child acknowledged) as history
 * series and /metrics counters.
 *
 * History, every step: for each access log (its path made a name by
 * hist_name, "web.var_log_apache2_access_log.hits_pm"), its requests,
 * pages, responses 4xx and 5xx and flagged attack requests per minute;
 * the files past the first PRIV_WEB_LOGS of the set under "web.other";
 * and the mail messages received, delivered, bounced and rejected per
 * minute ("mail.received_pm").  A value is the count since the step
 * before, times 60 over the seconds between the two: summed over the
 * steps, times the step over 60, the values give back the counts.  The
 * first step after the logs started counts from what was read back with
 * their bookmarks, as one step; a count that went back (its counters
 * file lost) has no value that step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent_int.h"
#include "agent/expo.h"
#include "agent/logs_tally.h"
#include "base/log.h"
#include "base/mem.h"
#include "hist/hist.h"

static const char *const web_what[PRIV_WEB_N] = {"hits_pm", "page_hits_pm",
    "responses_4xx_pm", "responses_5xx_pm", "attacks_pm"};
static const char *const mail_what[PRIV_MAIL_N] = {
    "received_pm", "delivered_pm", "bounced_pm", "rejected_pm"};
static const char *const mail_event[PRIV_MAIL_N] = {
    "received", "delivered", "bounced", "rejected"};

struct logs_series {
	time_t t; /* the step before */
	int have[AGENT_LOG_KINDS];
	struct logs_tally prev[AGENT_LOG_KINDS];
};

/* The followed sets, in their order. */
struct sets {
	struct agent_log_info i[AGENT_LOG_KINDS];
	size_t n;
};

static void
one_set(void *arg, const struct agent_log_info *i)
{
	struct sets *s = arg;

	if (s->n < countof(s->i) && i->tally != NULL)
		s->i[s->n++] = *i;
}

/* Whether a web slot of i has series: a file's own, or the others' when
 * there are files past the first ones or lines of such a file counted. */
static int
slot_shown(const struct agent_log_info *i, size_t slot)
{
	const struct logs_tally *t = i->tally;

	if (t->nweb == 0)
		return 0;
	if (slot < t->nweb)
		return 1;
	return slot == LOGS_TALLY_OTHER &&
	    (i->npaths > PRIV_WEB_LOGS ||
	        t->web[LOGS_TALLY_OTHER][PRIV_WEB_HITS] > 0);
}

/* The series name of slot's what: its path made a name, or its index
 * when that is too long. */
static int
web_name(char *dst, size_t sz, const struct agent_log_info *i, size_t slot,
    const char *what)
{
	char idx[32];

	if (slot == LOGS_TALLY_OTHER)
		return hist_name(dst, sz, "web", "other", what);
	if (hist_name(dst, sz, "web", i->paths[slot], what) == 0)
		return 0;
	snprintf(idx, sizeof(idx), "log%zu", slot);
	return hist_name(dst, sz, "web", idx, what);
}

/* name = the rate of cur since prev over secs, per minute. */
static void
rate(struct hist *h, const char *name, uint64_t prev, uint64_t cur, double secs)
{
	if (cur >= prev)
		(void)hist_add(h, name, (double)(cur - prev) * 60.0 / secs);
}

static void
set_series(struct hist *h, const struct agent_log_info *i,
    const struct logs_tally *prev, double secs)
{
	const struct logs_tally *cur = i->tally;
	char name[HIST_NAME_MAX];

	for (size_t s = 0; s <= LOGS_TALLY_OTHER; s++) {
		if (!slot_shown(i, s))
			continue;
		for (size_t k = 0; k < PRIV_WEB_N; k++)
			if (web_name(name, sizeof(name), i, s, web_what[k]) ==
			    0)
				rate(h, name, prev->web[s][k], cur->web[s][k],
				    secs);
	}
	if (strcmp(i->name, "mail") != 0)
		return;
	for (size_t k = 0; k < PRIV_MAIL_N; k++)
		if (hist_name(name, sizeof(name), "mail", NULL, mail_what[k]) ==
		    0)
			rate(h, name, prev->mail[k], cur->mail[k], secs);
}

void
agent_logs_series(struct agent *a, time_t t)
{
	struct logs_series *ls = a->logs_series;
	struct sets s = {0};

	if (a->hist == NULL)
		return;
	if (ls == NULL &&
	    (ls = a->logs_series = calloc(1, sizeof(*ls))) == NULL) {
		log_warnx("history: out of memory for the logs' series");
		return;
	}
	agent_logs_each(a, one_set, &s);
	for (size_t k = 0; k < s.n; k++) {
		/* the first step: since the start, as one step */
		const struct logs_tally *prev =
		    ls->have[k] ? &ls->prev[k] : s.i[k].start;
		double secs = ls->have[k] ? (double)(t - ls->t) : HIST_STEP;

		if (secs > 0)
			set_series(a->hist, &s.i[k], prev, secs);
		ls->prev[k] = *s.i[k].tally;
		ls->have[k] = 1;
	}
	ls->t = t;
}

void
agent_logs_series_free(struct agent *a)
{
	free(a->logs_series);
	a->logs_series = NULL;
}

/* One family of the access logs' counts: k's of every slot shown. */
static void
web_family(struct expo *e, const struct sets *s, const char *name, size_t k,
    const char *class)
{
	for (size_t j = 0; j < s->n; j++) {
		const struct agent_log_info *i = &s->i[j];

		for (size_t sl = 0; sl <= LOGS_TALLY_OTHER; sl++) {
			struct expo_label l[2] = {
			    {"log", sl == LOGS_TALLY_OTHER ? "other" : NULL,
			        EXPO_STR},
			    {"class", class, EXPO_STR},
			};

			if (!slot_shown(i, sl))
				continue;
			if (sl < LOGS_TALLY_OTHER)
				l[0].val = i->paths[sl];
			expo_sample(e, name, l, class != NULL ? 2 : 1,
			    (double)i->tally->web[sl][k]);
		}
	}
}

void
agent_logs_metrics(struct expo *e, const struct agent *a)
{
	static const char *const req = "sakimori_web_requests_total";
	static const char *const pages = "sakimori_web_page_requests_total";
	static const char *const resp = "sakimori_web_responses_total";
	static const char *const att = "sakimori_web_attack_requests_total";
	static const char *const mail = "sakimori_mail_messages_total";
	struct sets s = {0};
	int web = 0, have_mail = 0;

	agent_logs_each(a, one_set, &s);
	for (size_t j = 0; j < s.n; j++) {
		web |= s.i[j].tally->nweb > 0;
		have_mail |= strcmp(s.i[j].name, "mail") == 0;
	}
	if (web) {
		expo_family(e, req, EXPO_COUNTER,
		    "requests in each followed access log (the first 16; "
		    "\"other\": the rest), since its bookmarks began");
		web_family(e, &s, req, PRIV_WEB_HITS, NULL);
		expo_family(e, pages, EXPO_COUNTER,
		    "requests for pages (the page types of the web "
		    "statistics) in each followed access log");
		web_family(e, &s, pages, PRIV_WEB_PAGES, NULL);
		expo_family(e, resp, EXPO_COUNTER,
		    "responses 4xx and 5xx in each followed access log");
		web_family(e, &s, resp, PRIV_WEB_4XX, "4xx");
		web_family(e, &s, resp, PRIV_WEB_5XX, "5xx");
		expo_family(e, att, EXPO_COUNTER,
		    "requests the attack rules flagged in each followed "
		    "access log");
		web_family(e, &s, att, PRIV_WEB_ATTACKS, NULL);
	}
	if (!have_mail)
		return;
	expo_family(e, mail, EXPO_COUNTER,
	    "mail messages received, delivered, bounced and rejected in the "
	    "followed mail logs, since their bookmarks began");
	for (size_t j = 0; j < s.n; j++)
		for (size_t k = 0;
		     strcmp(s.i[j].name, "mail") == 0 && k < PRIV_MAIL_N; k++) {
			struct expo_label l = {
			    "event", mail_event[k], EXPO_STR};

			expo_sample(
			    e, mail, &l, 1, (double)s.i[j].tally->mail[k]);
		}
}
