/*
 * fuzz_logs_clf.c - libFuzzer target: the Common Log Format parser and the
 * IIS native parser read any bytes without reading out of bounds; what
 * they return points inside the input; through the memo of the last time
 * stamp's minute (kept from input to input), a line reads as without it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logs/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(struct logs_str s, const char *b, size_t n)
{
	if (s.n > 0 && (s.p < b || s.p + s.n > b + n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct logs_clf_memo m;
	const char *b = (const char *)data;
	struct logs_access a, c;
	int rc = logs_parse_clf(b, size, &a);

	if (logs_parse_clf_memo(b, size, &m, &c) != rc ||
	    (rc == 0 &&
	        (c.time.epoch != a.time.epoch || c.time.sec != a.time.sec ||
	            c.time.valid != a.time.valid ||
	            memcmp(&c.path, &a.path, sizeof(a.path)) != 0)))
		abort();
	if (rc == 0) {
		inside(a.client, b, size);
		inside(a.path, b, size);
		inside(a.query, b, size);
		inside(a.referrer, b, size);
		inside(a.user_agent, b, size);
		inside(a.vhost, b, size);
		if (a.status > 999)
			abort();
	}
	if (logs_parse_iis_native(b, size, &a) == 0)
		inside(a.path, b, size);
	return 0;
}
