/*
 * event.h - an alert event: a problem opened, changed severity, resolved,
 * or started flapping.  The agent's problem engine (agent/problem.h)
 * makes them; the agent prints them (one JSON line with --json, else one
 * readable line) and hands them to the actions (act/alert.h).
 */
#ifndef AGENT_EVENT_H
#define AGENT_EVENT_H

#include <stdint.h>
#include <time.h>

#include "base/finding.h"

struct strbuf;

enum alert_kind {
	ALERT_OPEN,     /* "open": the condition held for its "for" time */
	ALERT_CHANGE,   /* "change": the severity changed */
	ALERT_RESOLVE,  /* "resolve": clear for the hysteresis time */
	ALERT_FLAPPING, /* "flapping": too many changes; quiet until stable */
};

struct alert_event {
	enum alert_kind kind;
	uint64_t problem; /* the problem's id, stable across restarts */
	char check[64];   /* check id, as in a finding */
	char subject[256];
	char message[512];
	enum sev sev;      /* now (a resolve: the last severity it had) */
	enum sev prev_sev; /* before a change; SEV_OK for an open */
	time_t time;       /* of the event */
	time_t first;      /* when the condition was first seen */
	uint64_t count;    /* times seen (a log-derived problem: its lines) */
	unsigned nev;
	struct finding_ev ev[FINDING_MAX_EV];
};

/* "open", "change", "resolve", "flapping". */
const char *alert_kind_name(enum alert_kind k);

/*
 * Appends e as one JSON object, without a newline:
 * {"type":"alert","event":...,"check":...,"subject":...,"severity":...,
 *  "message":...,"evidence":{...},"time":RFC 3339,"problem":ID,
 *  "first":RFC 3339,"count":N}
 */
void alert_event_json(const struct alert_event *e, struct strbuf *out);
/* Appends one readable line (escaped, no newline). */
void alert_event_text(const struct alert_event *e, struct strbuf *out);

#endif
