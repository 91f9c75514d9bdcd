/*
 * agent_watch.c - the web roots watched live (fim/watch.h): a new
 * executable or a changed page is a problem as soon as it is written,
 * between two runs of the fim check.  The roots are the ones fim scans;
 * the watch runs when one of its checks (web-new-executable,
 * web-page-changed) is enabled and there is a web root.
 */
#include <errno.h>
#include <string.h>

#include <event2/event.h>

#include "agent/agent_int.h"
#include "agent/problem.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "conf/conf.h"
#include "fim/fim.h"
#include "fim/watch.h"

static const char *const watch_checks[] = {
    "web-new-executable", "web-page-changed"};

static int
enabled(const struct conf *c, const char *check)
{
	struct threshold t;

	conf_threshold(c, check, NULL, &t);
	return t.enabled;
}

int
agent_timer_arm(struct event *ev, double secs)
{
	struct timeval tv;

	if (secs < 0)
		return 0;
	if (secs > 86400)
		secs = 86400;
	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	return event_add(ev, &tv);
}

int
agent_fd_events(struct agent *a, int fd,
    void (*fn)(evutil_socket_t, short, void *), void *arg, struct event **ev_fd,
    struct event **ev_timer)
{
	*ev_fd = event_new(a->base, fd, EV_READ | EV_PERSIST, fn, arg);
	*ev_timer = event_new(a->base, -1, 0, fn, arg);
	if (*ev_fd == NULL || *ev_timer == NULL)
		return -1;
	return event_add(*ev_fd, NULL);
}

static void
on_watch(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct err err = {0};
	struct report r;
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	report_init(&r);
	(void)watch_step(a->watch, &r);
	/* only the findings of the checks that are enabled */
	for (size_t i = 0; i < r.nf; i++) {
		if (!enabled(&a->conf, r.f[i].check))
			continue;
		a->watch_findings++;
		if (problems_note(a->pb, &r.f[i], now, &err) == -1)
			log_warnx("%s", err.msg);
	}
	report_release(&r);
	agent_events_flush(a);
	if (agent_timer_arm(a->ev_watch_timer, watch_timeout(a->watch)) == -1)
		log_warnx("cannot arm the web-root watch's timer");
}

int
agent_watch_start(struct agent *a, struct err *err)
{
	struct fim_opts fo;

	if (!enabled(&a->conf, watch_checks[0]) &&
	    !enabled(&a->conf, watch_checks[1]))
		return 0;
	memset(&fo, 0, sizeof(fo));
	fo.blk = conf_check(&a->conf, "fim", NULL);
	fim_opts_webroots(&fo, a->o->root);
	if (fo.nweb == 0) {
		fim_opts_release(&fo);
		log_debug("no web root: nothing to watch");
		return 0;
	}
	a->watch = watch_open(fo.web, fo.nweb, NULL, err);
	fim_opts_release(&fo);
	if (a->watch == NULL)
		return -1;
	if (agent_fd_events(a, watch_fd(a->watch), on_watch, a, &a->ev_watch,
	        &a->ev_watch_timer) == -1) {
		agent_watch_stop(a);
		return err_set(err, ENOMEM, "cannot watch the web roots");
	}
	/* the roots that could not be watched, at once */
	on_watch(-1, 0, a);
	log_info(
	    "watching %zu directories of the web roots", watch_count(a->watch));
	return 0;
}

void
agent_watch_stop(struct agent *a)
{
	if (a->ev_watch != NULL)
		event_free(a->ev_watch);
	if (a->ev_watch_timer != NULL)
		event_free(a->ev_watch_timer);
	a->ev_watch = a->ev_watch_timer = NULL;
	watch_close(a->watch);
	a->watch = NULL;
}
