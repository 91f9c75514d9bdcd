/*
 * event.c - an alert event as one JSON object or one readable line (see
 * event.h).  Every string from outside is escaped: jstr for JSON,
 * esc_text for the line.
 */
#include "agent/event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/civtime.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/strbuf.h"

const char *
alert_kind_name(enum alert_kind k)
{
	switch (k) {
	case ALERT_OPEN:
		return "open";
	case ALERT_CHANGE:
		return "change";
	case ALERT_RESOLVE:
		return "resolve";
	case ALERT_FLAPPING:
		return "flapping";
	}
	return "unknown";
}

/* The length of a fixed-size field, which need not be NUL-terminated. */
#define FIELD_LEN(a) strnlen((a), sizeof(a))

void
alert_event_json(const struct alert_event *e, struct strbuf *out)
{
	json_t *o = json_object(), *ev = json_object();
	char val[sizeof(e->ev[0].val) + 1];
	char *s;

	jset(o, "type", json_string("alert"));
	jset(o, "event", json_string(alert_kind_name(e->kind)));
	jset(o, "check", jstrn(e->check, FIELD_LEN(e->check)));
	jset(o, "subject", jstrn(e->subject, FIELD_LEN(e->subject)));
	jset(o, "severity", json_string(sev_name(e->sev)));
	if (e->kind == ALERT_CHANGE)
		jset(o, "previous", json_string(sev_name(e->prev_sev)));
	jset(o, "message", jstrn(e->message, FIELD_LEN(e->message)));
	for (unsigned i = 0; i < e->nev && i < FINDING_MAX_EV; i++) {
		char key[sizeof(e->ev[i].key) * 4 + 1];

		/* A key is the program's, but keep it valid UTF-8 anyway. */
		esc_text_buf(
		    key, sizeof(key), e->ev[i].key, FIELD_LEN(e->ev[i].key));
		memcpy(val, e->ev[i].val, FIELD_LEN(e->ev[i].val));
		val[FIELD_LEN(e->ev[i].val)] = '\0';
		jset(ev, key, jvalue(val));
	}
	jset(o, "evidence", ev);
	jset(o, "time", jtime((int64_t)e->time));
	jset(o, "problem", json_integer((json_int_t)e->problem));
	jset(o, "first", jtime((int64_t)e->first));
	jset(o, "count", json_integer((json_int_t)e->count));
	s = json_stamp(o) == -1
	    ? NULL
	    : json_dumps(o,
	          JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (s == NULL) {
		/* Only when memory ran out: make the strbuf say so. */
		out->err = out->err ? out->err : ENOMEM;
		return;
	}
	strbuf_adds(out, s);
	free(s);
}

void
alert_event_text(const struct alert_event *e, struct strbuf *out)
{
	char ts[CIV_RFC3339_LEN], kind[16];
	const char *k = alert_kind_name(e->kind);
	size_t i;

	for (i = 0; k[i] && i < sizeof(kind) - 1; i++)
		kind[i] = (char)(k[i] - 'a' + 'A');
	kind[i] = '\0';
	civ_rfc3339(ts, sizeof(ts), (int64_t)e->time);
	strbuf_printf(out, "%s %s %s ", ts, kind, sev_name(e->sev));
	esc_text(out, e->check, FIELD_LEN(e->check));
	strbuf_adds(out, " '");
	esc_text(out, e->subject, FIELD_LEN(e->subject));
	strbuf_adds(out, "': ");
	esc_text(out, e->message, FIELD_LEN(e->message));
	if (e->kind == ALERT_CHANGE)
		strbuf_printf(out, " (was %s)", sev_name(e->prev_sev));
	strbuf_printf(out, " [problem %llu", (unsigned long long)e->problem);
	if (e->count > 1)
		strbuf_printf(
		    out, ", seen %llu times", (unsigned long long)e->count);
	strbuf_addc(out, ']');
}
