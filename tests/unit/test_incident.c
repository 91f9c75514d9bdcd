/*
 * test_incident.c - the incident tracker: an address's later requests
 * kept as they were logged and in order (numbers at their extremes, cut
 * texts, several files), and an incident's events as they grow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attack/incident.h"

#define T0 1700000000

static void
req(struct attack_req *rq, const char *client, const char *method,
    const char *path, const char *query)
{
	memset(rq, 0, sizeof(*rq));
	rq->client = client;
	rq->method = method;
	rq->method_len = strlen(method);
	rq->path = path;
	rq->path_len = strlen(path);
	rq->query = query;
	rq->query_len = query != NULL ? strlen(query) : 0;
}

/* The only incident of t. */
static struct incident *
only_incident(struct inc_tracker *t)
{
	size_t n = 0;
	struct incident **v = inc_ranked(t, &n);
	struct incident *inc;

	assert_non_null(v);
	assert_int_equal(n, 1);
	inc = v[0];
	free(v);
	return inc;
}

static void
later_requests_as_logged(void **state)
{
	struct inc_tracker t;
	struct inc_conf c;
	struct attack_req rq;
	struct attack_result res;
	struct incident *inc;
	const struct inc_next *nv[INC_NEXT_MAX];
	static const char *const files[] = {"a.log", NULL, "b.log"};
	static const time_t times[] = {T0 + 59, T0 - 1000000000, 0, -5, T0};
	static const int statuses[] = {200, 404, 0, 599, 301};
	static const uint64_t bytes[] = {
	    0, 1, 127, 128, UINT64_MAX, (uint64_t)1 << 40};
	char longpath[400], path[16];
	unsigned n;

	(void)state;
	inc_conf_default(&c);
	c.rate[RATE_FLOOD].max = 1; /* the first request opens it */
	inc_init(&t, &c);
	memset(&res, 0, sizeof(res));
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	req(&rq, "192.0.2.7", "GET", "/", NULL);
	rq.time = T0;
	rq.file = "a.log";
	rq.line = 1;
	assert_int_equal(inc_add(&t, NULL, &rq, &res), RATE_FLOOD);
	/* another address's requests in between, no incident, change
	 * nothing */
	for (unsigned i = 0; i < INC_NEXT_MAX + 8; i++) {
		snprintf(path, sizeof(path), "/n%u", i);
		req(&rq, "192.0.2.7",
		    i % 4 == 1 ? "AVERYLONGMETHODNAME" : "POST",
		    i % 5 == 2 ? longpath : path,
		    i % 3 == 0 ? "a=1&b=%27" : NULL);
		rq.time = times[i % 5];
		rq.status = statuses[i % 5];
		rq.bytes = bytes[i % 6];
		rq.file = files[i % 3];
		rq.line = i == 7 ? UINT64_MAX : ((uint64_t)i << 33) + 2;
		assert_int_equal(inc_add(&t, NULL, &rq, &res), RATE_N);
		req(&rq, "198.51.100.1", "GET", "/other", NULL);
		rq.time = 0; /* rate rules do not count it */
		(void)inc_add(&t, NULL, &rq, &res);
	}
	inc = only_incident(&t);
	assert_string_equal(inc->client, "192.0.2.7");
	assert_int_equal(inc->nnext, INC_NEXT_MAX);
	assert_int_equal(inc->next_dropped, 8);
	n = inc_next_list(inc, nv);
	assert_int_equal(n, INC_NEXT_MAX);
	for (unsigned i = 0; i < n; i++) {
		struct inc_event ev;
		char want[INC_REQ_MAX];
		int wn;

		inc_next_event(&t, nv[i], &ev);
		snprintf(path, sizeof(path), "/n%u", i);
		wn = snprintf(want, sizeof(want), "%s%s",
		    i % 5 == 2 ? longpath : path,
		    i % 3 == 0 && i % 5 != 2 ? "?a=1&b=%27" : "");
		if (wn > INC_REQ_MAX - 1)
			wn = INC_REQ_MAX - 1;
		assert_string_equal(
		    ev.method, i % 4 == 1 ? "AVERYLONGMETHOD" : "POST");
		assert_int_equal(ev.reqlen, wn);
		assert_memory_equal(ev.request, want, (size_t)wn);
		assert_int_equal(ev.time, (int64_t)times[i % 5]);
		assert_int_equal(ev.status, statuses[i % 5]);
		assert_int_equal(ev.bytes, (int64_t)bytes[i % 6]);
		if (files[i % 3] == NULL)
			assert_null(ev.file);
		else
			assert_string_equal(ev.file, files[i % 3]);
		assert_true(
		    ev.line == (i == 7 ? UINT64_MAX : ((uint64_t)i << 33) + 2));
		assert_int_equal(ev.rule, 0);
		assert_null(ev.cls);
	}
	inc_release(&t);
}

static void
events_grow_to_their_cap(void **state)
{
	struct inc_tracker t;
	struct inc_conf c;
	struct attack_req rq;
	struct attack_result res;
	struct incident *inc;

	(void)state;
	inc_conf_default(&c);
	c.rate[RATE_FLOOD].max = 1;
	c.rate[RATE_FLOOD].window = 1; /* fires every second */
	inc_init(&t, &c);
	memset(&res, 0, sizeof(res));
	for (unsigned i = 0; i < INC_EVENTS_MAX + 6; i++) {
		req(&rq, "2001:db8::1", "GET", "/x", "q=1");
		rq.time = T0 + i;
		rq.line = i + 1;
		rq.status = 200;
		assert_int_equal(inc_add(&t, NULL, &rq, &res), RATE_FLOOD);
	}
	inc = only_incident(&t);
	assert_int_equal(inc->nev, INC_EVENTS_MAX);
	assert_int_equal(inc->requests, INC_EVENTS_MAX + 6);
	for (unsigned i = 0; i < inc->nev; i++) {
		assert_int_equal(inc->ev[i].line, i + 1);
		assert_int_equal(inc->ev[i].time, T0 + i);
		assert_string_equal(inc->ev[i].cls, "request-flood");
		assert_int_equal(inc->ev[i].reqlen, 6);
		assert_memory_equal(inc->ev[i].request, "/x?q=1", 6);
	}
	assert_int_equal(inc->nnext, 0);
	inc_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(later_requests_as_logged),
	    cmocka_unit_test(events_grow_to_their_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
