/*
 * event_tmp.c - alert_kind_name and alert_event_json (agent/event.h) for
 * the actions until the agent's own event.c is in the tree.
 */
#include <stdlib.h>

#include "agent/event.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

const char *
alert_kind_name(enum alert_kind k)
{
	static const char *const names[] = {
	    "open", "change", "resolve", "flapping"};

	return (unsigned)k < 4 ? names[k] : "?";
}

void
alert_event_json(const struct alert_event *e, struct strbuf *out)
{
	json_t *o = json_object(), *ev = json_object();
	char t[64];
	char *s;

	jset(o, "type", json_string("alert"));
	jset(o, "event", json_string(alert_kind_name(e->kind)));
	jset(o, "check", jstr(e->check));
	jset(o, "subject", jstr(e->subject));
	jset(o, "severity", json_string(sev_name(e->sev)));
	jset(o, "message", jstr(e->message));
	for (unsigned i = 0; i < e->nev && i < FINDING_MAX_EV; i++)
		json_object_set_new(ev, e->ev[i].key, jstr(e->ev[i].val));
	jset(o, "evidence", ev);
	time_iso(t, sizeof(t), e->time);
	jset(o, "time", json_string(t));
	jset(o, "problem", json_integer((json_int_t)e->problem));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s != NULL)
		strbuf_adds(out, s);
	free(s);
}
