/*
 * test_event.c - alert events as JSON and as a readable line, and the
 * RFC 3339 stamps they carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "agent/event.h"
#include "base/civtime.h"
#include "base/strbuf.h"

static void
rfc3339_stamps(void **state)
{
	char ts[CIV_RFC3339_LEN];

	(void)state;
	civ_rfc3339(ts, sizeof(ts), 0);
	assert_string_equal(ts, "1970-01-01T00:00:00Z");
	civ_rfc3339(ts, sizeof(ts), 1796547600);
	assert_string_equal(ts, "2026-12-06T09:00:00Z");
	civ_rfc3339(ts, sizeof(ts), 1709251199);
	assert_string_equal(ts, "2024-02-29T23:59:59Z");
	civ_rfc3339(ts, sizeof(ts), 951868800);
	assert_string_equal(ts, "2000-03-01T00:00:00Z");
	civ_rfc3339(ts, sizeof(ts), -1);
	assert_string_equal(ts, "1969-12-31T23:59:59Z");
	/* every day of four centuries goes there and back */
	for (int64_t d = -146097; d < 2 * 146097; d += 7) {
		int y, m, dd;

		civ_from_days(d, &y, &m, &dd);
		assert_int_equal(civ_days(y, m, dd), d);
	}
}

static void
kind_names(void **state)
{
	(void)state;
	assert_string_equal(alert_kind_name(ALERT_OPEN), "open");
	assert_string_equal(alert_kind_name(ALERT_CHANGE), "change");
	assert_string_equal(alert_kind_name(ALERT_RESOLVE), "resolve");
	assert_string_equal(alert_kind_name(ALERT_FLAPPING), "flapping");
}

static void
known(struct alert_event *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = ALERT_OPEN;
	e->problem = 12;
	strcpy(e->check, "load");
	strcpy(e->subject, "host");
	strcpy(e->message, "load 3.10 per CPU above 2.00");
	e->sev = SEV_CRITICAL;
	e->prev_sev = SEV_OK;
	e->time = 1796547600;
	e->first = 1796547590;
	e->count = 2;
	e->nev = 2;
	strcpy(e->ev[0].key, "load1");
	strcpy(e->ev[0].val, "3.10");
	strcpy(e->ev[1].key, "cpus");
	strcpy(e->ev[1].val, "4");
}

static void
json_of_a_known_event(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct alert_event e;

	(void)state;
	known(&e);
	alert_event_json(&e, &sb);
	assert_int_equal(strbuf_failed(&sb), 0);
	assert_string_equal(sb.p,
	    "{\"type\":\"alert\",\"schema\":2,\"event\":\"open\","
	    "\"check\":\"load\","
	    "\"subject\":\"host\",\"severity\":\"CRITICAL\","
	    "\"message\":\"load 3.10 per CPU above 2.00\","
	    "\"evidence\":{\"load1\":3.1,\"cpus\":4},"
	    "\"time\":\"2026-12-06T09:00:00Z\",\"problem\":12,"
	    "\"first\":\"2026-12-06T08:59:50Z\",\"count\":2}");
	strbuf_reset(&sb);
	/* a change names the severity before it */
	e.kind = ALERT_CHANGE;
	e.sev = SEV_WARNING;
	e.prev_sev = SEV_CRITICAL;
	e.nev = 0;
	alert_event_json(&e, &sb);
	assert_string_equal(sb.p,
	    "{\"type\":\"alert\",\"schema\":2,\"event\":\"change\","
	    "\"check\":\"load\","
	    "\"subject\":\"host\",\"severity\":\"WARNING\","
	    "\"previous\":\"CRITICAL\","
	    "\"message\":\"load 3.10 per CPU above 2.00\",\"evidence\":{},"
	    "\"time\":\"2026-12-06T09:00:00Z\",\"problem\":12,"
	    "\"first\":\"2026-12-06T08:59:50Z\",\"count\":2}");
	strbuf_release(&sb);
}

/* A subject and evidence written by an attacker. */
static const char hostile[] = "a\"b\\c\n\033[31mred\xff\xc3(}{";

static void
json_escapes_hostile_text(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct alert_event e;
	json_error_t jerr;
	json_t *o, *ev;

	(void)state;
	known(&e);
	strcpy(e.subject, hostile);
	strcpy(e.message, hostile);
	strcpy(e.ev[1].val, hostile);
	/* fields filled to the last byte, without a NUL, stay in bounds */
	memset(e.check, 'c', sizeof(e.check));
	alert_event_json(&e, &sb);
	assert_int_equal(strbuf_failed(&sb), 0);
	/* one line */
	assert_null(strchr(sb.p, '\n'));
	assert_null(strchr(sb.p, '\033'));
	o = json_loads(sb.p, 0, &jerr);
	assert_non_null(o);
	/* valid UTF-8 kept (controls as JSON escapes), the rest as \xNN */
	assert_string_equal(json_string_value(json_object_get(o, "subject")),
	    "a\"b\\c\n\033[31mred\\xff\\xc3(}{");
	assert_string_equal(json_string_value(json_object_get(o, "message")),
	    "a\"b\\c\n\033[31mred\\xff\\xc3(}{");
	ev = json_object_get(o, "evidence");
	assert_string_equal(json_string_value(json_object_get(ev, "cpus")),
	    "a\"b\\c\n\033[31mred\\xff\\xc3(}{");
	assert_int_equal(strlen(json_string_value(json_object_get(o, "check"))),
	    sizeof(e.check));
	assert_string_equal(
	    json_string_value(json_object_get(o, "type")), "alert");
	assert_int_equal(json_integer_value(json_object_get(o, "problem")), 12);
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 2);
	json_decref(o);
	strbuf_release(&sb);
}

static void
text_line(void **state)
{
	struct strbuf sb = STRBUF_INIT(0);
	struct alert_event e;

	(void)state;
	known(&e);
	alert_event_text(&e, &sb);
	assert_string_equal(sb.p,
	    "2026-12-06T09:00:00Z OPEN CRITICAL load 'host': load 3.10 per "
	    "CPU above 2.00 [problem 12, seen 2 times]");
	strbuf_reset(&sb);
	e.kind = ALERT_RESOLVE;
	e.count = 1;
	alert_event_text(&e, &sb);
	assert_string_equal(sb.p,
	    "2026-12-06T09:00:00Z RESOLVE CRITICAL load 'host': load 3.10 per "
	    "CPU above 2.00 [problem 12]");
	strbuf_reset(&sb);
	e.kind = ALERT_CHANGE;
	e.sev = SEV_WARNING;
	e.prev_sev = SEV_CRITICAL;
	strcpy(e.subject, hostile);
	strcpy(e.message, "x\ty");
	alert_event_text(&e, &sb);
	assert_string_equal(sb.p,
	    "2026-12-06T09:00:00Z CHANGE WARNING load "
	    "'a\"b\\\\c\\x0a\\x1b[31mred\\xff\\xc3(}{': x\\x09y (was CRITICAL) "
	    "[problem 12]");
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc3339_stamps),
	    cmocka_unit_test(kind_names),
	    cmocka_unit_test(json_of_a_known_event),
	    cmocka_unit_test(json_escapes_hostile_text),
	    cmocka_unit_test(text_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
