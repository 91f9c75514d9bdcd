/*
 * fuzz_addr.c - libFuzzer target: net_prefix_parse never reads out of
 * bounds, explains every refusal, and what it accepts prints back as a
 * prefix that parses to the same value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "net/addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_prefix p, q;
	struct err err = {0};
	char buf[NET_PREFIX_STRLEN];

	if (net_prefix_parse((const char *)data, size, &p, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (p.len > net_prefix_maxlen(&p))
		abort();
	net_prefix_format_len(&p, buf, sizeof(buf));
	if (net_prefix_parse(buf, strlen(buf), &q, &err) == -1 ||
	    !net_prefix_equal(&p, &q))
		abort();
	return 0;
}
