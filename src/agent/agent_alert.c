/*
 * agent_alert.c - the agent's alert actions (act/alert.h): every event,
 * once printed, goes to them; the 1 s timer drives their digests and
 * timeouts, SIGCHLD their reaping, the loop their syslog connections; a
 * reload replaces them.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "act/alert.h"
#include "agent/agent_int.h"
#include "base/err.h"
#include "base/log.h"

/* Seconds the actions still running at a stop are given to end. */
#define AGENT_ALERT_WAIT 10.0
/* Events of one engine call kept at most for the actions. */
#define AGENT_ALERT_PENDING_MAX 100000

static void
on_result(const struct alert_result *r, void *arg)
{
	(void)arg;
	if (r->ok)
		log_info("alert %s %s (%s): %s, %zu event%s", r->type, r->name,
		    r->target, r->detail ? r->detail : "ok", r->nevents,
		    r->nevents == 1 ? "" : "s");
	else
		/* The detail says "failed: " and why. */
		log_warnx("alert %s %s (%s): %s", r->type, r->name, r->target,
		    r->detail ? r->detail : "failed");
}

struct alert_actions *
agent_alerts_new(struct agent *a, const struct conf *c, struct err *err)
{
	struct alert_actions *x = alert_actions_new(c, a->o->state_dir, err);

	if (x != NULL)
		alert_actions_on_result(x, on_result, a);
	return x;
}

/* Frees the set replaced by a reload once its programs have ended. */
static void
retire_done(struct agent *a)
{
	if (a->alerts_old != NULL &&
	    alert_actions_running(a->alerts_old) == 0) {
		alert_actions_free(a->alerts_old);
		a->alerts_old = NULL;
	}
}

static void
on_chld(evutil_socket_t sig, short what, void *arg)
{
	struct agent *a = arg;

	(void)sig;
	(void)what;
	if (a->alerts != NULL)
		alert_actions_reap(a->alerts);
	if (a->alerts_old != NULL)
		alert_actions_reap(a->alerts_old);
	retire_done(a);
}

int
agent_alerts_start(struct agent *a, struct err *err)
{
	if ((a->alerts = agent_alerts_new(a, &a->conf, err)) == NULL)
		return -1;
	alert_actions_attach(a->alerts, a->base);
	a->ev_chld =
	    event_new(a->base, SIGCHLD, EV_SIGNAL | EV_PERSIST, on_chld, a);
	if (a->ev_chld == NULL || event_add(a->ev_chld, NULL) == -1) {
		err_set(err, ENOMEM, "cannot watch for SIGCHLD");
		return -1;
	}
	return 0;
}

void
agent_alerts_queue(struct agent *a, const struct alert_event *e)
{
	if (a->npending == a->cappending) {
		size_t cap = a->cappending ? a->cappending * 2 : 16;
		struct alert_event *p;

		if (a->npending >= AGENT_ALERT_PENDING_MAX ||
		    (p = realloc(a->pending, cap * sizeof(*p))) == NULL) {
			log_warnx("the %s event of problem %llu is not handed "
			          "to the alert actions: too many at once",
			    alert_kind_name(e->kind),
			    (unsigned long long)e->problem);
			return;
		}
		a->pending = p;
		a->cappending = cap;
	}
	a->pending[a->npending++] = *e;
}

void
agent_alerts_send(struct agent *a)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < a->npending; i++)
		if (a->alerts != NULL)
			alert_actions_event(a->alerts, &a->pending[i], now);
	a->npending = 0;
}

void
agent_alerts_tick(struct agent *a, time_t now)
{
	if (a->alerts != NULL)
		alert_actions_tick(a->alerts, now);
	if (a->alerts_old != NULL)
		alert_actions_tick(a->alerts_old, now);
	retire_done(a);
}

void
agent_alerts_replace(struct agent *a, struct alert_actions *next)
{
	time_t now = time(NULL);

	/* a set retired before and still running: its last chance */
	if (a->alerts_old != NULL) {
		(void)alert_actions_wait(a->alerts_old, AGENT_ALERT_WAIT);
		alert_actions_free(a->alerts_old);
	}
	a->alerts_old = a->alerts;
	if (a->alerts_old != NULL) {
		/* one connection per queue: the old set's closes first */
		alert_actions_attach(a->alerts_old, NULL);
		alert_actions_flush(a->alerts_old, now);
	}
	a->alerts = next;
	if (next != NULL)
		alert_actions_attach(next, a->base);
	retire_done(a);
}

void
agent_alerts_stop(struct agent *a)
{
	struct alert_actions *sets[2] = {a->alerts, a->alerts_old};

	agent_alerts_send(a);
	for (size_t i = 0; i < 2; i++) {
		if (sets[i] == NULL)
			continue;
		alert_actions_flush(sets[i], time(NULL));
		if (alert_actions_wait(sets[i], AGENT_ALERT_WAIT) != 0)
			log_warnx("alert actions still running after %.0f s: "
			          "killed",
			    AGENT_ALERT_WAIT);
		alert_actions_free(sets[i]);
	}
	a->alerts = a->alerts_old = NULL;
	if (a->ev_chld != NULL)
		event_free(a->ev_chld);
	a->ev_chld = NULL;
	free(a->pending);
	a->pending = NULL;
	a->npending = a->cappending = 0;
}
