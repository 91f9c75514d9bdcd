/*
 * fuzz_ctl.c - libFuzzer target: the agent's control requests
 * (ctl_parse) and the client's reading of a reply's status line
 * (ctl_reply_status) never read out of bounds, never crash, every refused
 * request explains itself, and what is accepted is well formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/ctl.h"
#include "base/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *msg;
	struct ctl_req q;
	struct err err = {0};
	size_t n;
	int code;

	if (ctl_parse(s, size, &q, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
	} else if (q.op == CTL_SILENCE &&
	    (q.check[0] == '\0' || strchr(q.check, '/') != NULL ||
	        memchr(q.check, '\0', sizeof(q.check)) == NULL ||
	        memchr(q.subject, '\0', sizeof(q.subject)) == NULL ||
	        (q.has_subject && q.subject[0] == '\0'))) {
		abort();
	}
	code = ctl_reply_status(s, size, &msg, &n);
	if (code != 0 && (code < 64 || code > 78))
		abort();
	/* "error CODE MESSAGE": the message is within the line */
	if (size >= 6 && memcmp(s, "error ", 6) == 0 &&
	    (msg < s || msg + n > s + size))
		abort();
	return 0;
}
