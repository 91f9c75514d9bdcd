/*
 * dash_api.c - /api/v1/... (docs/api.md): what the dashboard's pages
 * show, as one JSON object per request in the JSON contract
 * (docs/json.md: "type" first, "schema", times in RFC 3339).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "agent/dash.h"
#include "agent/dash_int.h"
#include "agent/problem.h"
#include "base/civtime.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "hist/hist.h"
#include "net/ban.h"

/* Values of one series returned at most (the newest kept). */
#define DASH_API_POINTS 100000

/* Appends o stamped as a line of its type would be (docs/json.md). */
static void
append(json_t *v, json_t *o)
{
	if (o != NULL && json_stamp(o) == 0)
		json_array_append(v, o);
	json_decref(o);
}

static void
add_problem(void *arg, const struct problem_info *i)
{
	append(arg, problem_info_json(i, 1));
}

static json_t *
api_problems(struct agent *a)
{
	json_t *o = json_object(), *v = json_array();

	jset(o, "type", json_string("api.problems"));
	problems_each(a->pb, add_problem, v);
	jset(o, "problems", v);
	return o;
}

static void
count_sev(void *arg, const struct problem_info *i)
{
	size_t *n = arg;

	if (i->open && (unsigned)i->sev < 4)
		n[i->sev]++;
}

static json_t *
api_status(struct agent *a)
{
	json_t *o = json_object(), *by = json_object();
	size_t n[4] = {0};
	time_t now = time(NULL);
	char host[256] = "";

	(void)gethostname(host, sizeof(host) - 1);
	problems_each(a->pb, count_sev, n);
	for (unsigned s = SEV_WARNING; s <= SEV_UNKNOWN; s++)
		jset(by, sev_name((enum sev)s), json_integer((json_int_t)n[s]));
	jset(o, "type", json_string("api.status"));
	jset(o, "hostname", jstr(host));
	jset(o, "pid", json_integer(getpid()));
	jset(o, "started", jtime(a->started));
	jset(o, "uptime_seconds", json_integer((json_int_t)(now - a->started)));
	jset(o, "checks", json_integer((json_int_t)a->n));
	jset(
	    o, "problems_open", json_integer((json_int_t)problems_open(a->pb)));
	jset(o, "problems_by_severity", by);
	jset(o, "history", json_boolean(a->hist != NULL));
	return o;
}

static json_t *
api_history_list(struct agent *a, unsigned *status, struct err *err)
{
	json_t *o, *v;
	char **names = NULL;
	long n = 0;

	if (a->o->state_dir != NULL &&
	    (n = hist_list(a->o->state_dir, &names, err)) == -1) {
		if (err->code != ENOENT) {
			*status = 503;
			return NULL;
		}
		n = 0;
	}
	o = json_object();
	v = json_array();
	for (long i = 0; i < n; i++)
		json_array_append_new(v, jstr(names[i]));
	hist_names_free(names, n);
	jset(o, "type", json_string("api.history.list"));
	jset(o, "series", v);
	return o;
}

static json_t *
api_history(struct agent *a, struct MHD_Connection *c, const char *name,
    unsigned *status, struct err *err)
{
	const char *since =
	    MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *cf =
	    MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cf");
	time_t now = time(NULL), from = now - 3 * 3600;
	struct hist_series s;
	json_t *o, *v;
	size_t first = 0;

	if (!hist_name_ok(name) || a->o->state_dir == NULL) {
		*status = 404;
		err_set(err, ENOENT, "no history of '%s'", name);
		return NULL;
	}
	if (since != NULL && hist_since_parse(since, now, &from) == -1) {
		err_set(err, EINVAL,
		    "since '%s': expected a duration ago (1h) or a time",
		    since);
		*status = 400;
		return NULL;
	}
	if (cf != NULL && strcmp(cf, "max") != 0 &&
	    strcmp(cf, "average") != 0) {
		*status = 400;
		err_set(err, EINVAL, "cf '%s': expected average or max", cf);
		return NULL;
	}
	if (hist_fetch(a->o->state_dir, name,
	        cf && strcmp(cf, "max") == 0 ? "MAX" : "AVERAGE", from, now, &s,
	        err) == -1) {
		*status = err->code == ENOENT ? 404 : 503;
		return NULL;
	}
	o = json_object();
	v = json_array();
	if (s.n > DASH_API_POINTS)
		first = s.n - DASH_API_POINTS;
	for (size_t i = first; i < s.n; i++) {
		json_t *p = json_object();

		jset(p, "time",
		    jtime((int64_t)(s.start + (time_t)((i + 1) * s.step))));
		jset(p, "value", jreal_or_null(s.v[i]));
		json_array_append_new(v, p);
	}
	jset(o, "type", json_string("api.history"));
	jset(o, "series", jstr(name));
	jset(o, "cf",
	    json_string(cf && strcmp(cf, "max") == 0 ? "max" : "average"));
	jset(o, "step_seconds", json_integer((json_int_t)s.step));
	jset(o, "points", v);
	hist_series_release(&s);
	return o;
}

static json_t *
api_blocks(struct agent *a, unsigned *status, struct err *err)
{
	struct net_ban *b;
	size_t n;
	json_t *o, *v;

	if (dash_blocks(a, &b, &n, err) == -1) {
		*status = 503;
		return NULL;
	}
	o = json_object();
	v = json_array();
	for (size_t i = 0; i < n; i++)
		append(v, net_ban_json(&b[i]));
	free(b);
	jset(o, "type", json_string("api.blocks"));
	jset(o, "blocks", v);
	return o;
}

unsigned
dash_api(struct agent *a, struct MHD_Connection *c, const char *url,
    struct strbuf *body)
{
	const char *rest = url + strlen("/api/v1/");
	unsigned status = 200;
	struct err err = {0};
	json_t *o = NULL;
	char *text;

	if (strcmp(rest, "problems") == 0)
		o = api_problems(a);
	else if (strcmp(rest, "status") == 0)
		o = api_status(a);
	else if (strcmp(rest, "history") == 0)
		o = api_history_list(a, &status, &err);
	else if (strncmp(rest, "history/", 8) == 0)
		o = api_history(a, c, rest + 8, &status, &err);
	else if (strcmp(rest, "blocks") == 0)
		o = api_blocks(a, &status, &err);
	else if (strcmp(rest, "web") == 0)
		o = dash_web(a);
	else if (strcmp(rest, "mail") == 0)
		o = dash_mail(a);
	else if (strcmp(rest, "integrity") == 0)
		o = dash_integrity(a);
	else if (strcmp(rest, "disks") == 0)
		o = dash_disks(a);
	else if (strcmp(rest, "servers") == 0)
		o = dash_servers(a);
	else {
		status = 404;
		err_set(&err, ENOENT, "no such API path '%s'", url);
	}
	if (o == NULL) {
		o = json_object();
		jset(o, "type", json_string("api.error"));
		jset(o, "status", json_integer(status == 200 ? 500 : status));
		jset(o, "error", jstr(err.msg[0] ? err.msg : "out of memory"));
		if (status == 200)
			status = 500;
	}
	if (o == NULL || json_stamp(o) == -1 ||
	    (text = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return 500;
	}
	strbuf_adds(body, text);
	strbuf_addc(body, '\n');
	free(text);
	json_decref(o);
	return status;
}
