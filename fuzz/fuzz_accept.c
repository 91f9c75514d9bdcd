/*
 * fuzz_accept.c - libFuzzer target: the Accept header of a /metrics
 * request (from the network) is negotiated without reading out of
 * bounds, and the same bytes as a label value come out escaped: valid
 * UTF-8 without control characters, no newline, every double quote
 * behind a backslash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/expo.h"
#include "base/esc.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT(1u << 24);
	enum expo_fmt f = expo_negotiate((const char *)data, size);

	if (f != EXPO_TEXT && f != EXPO_OPENMETRICS)
		abort();
	expo_label_value(&sb, (const char *)data, size);
	if (strbuf_failed(&sb))
		abort();
	if (sb.len > 0 && !text_is_clean(sb.p, sb.len))
		abort();
	for (size_t i = 0, bs = 0; i < sb.len; i++) {
		if (sb.p[i] == '\n' || sb.p[i] == '\t' ||
		    (sb.p[i] == '"' && bs % 2 == 0))
			abort();
		bs = sb.p[i] == '\\' ? bs + 1 : 0;
	}
	strbuf_release(&sb);
	return 0;
}
