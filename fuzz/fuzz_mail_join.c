/*
 * fuzz_mail_join.c - libFuzzer target: a whole log (many lines) through
 * the parsers, the queue-id joiner and the rules: no crash, no leak,
 * memory released whatever the order of the lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mail_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct mail_stats s;
	struct mail_policy pol;
	struct report r;

	mail_stats_init(&s, 64);
	s.join.max_live = 8; /* exercise eviction */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		mail_stats_line(&s, p, (size_t)(nl - p), 2026);
		p = nl + 1;
	}
	mail_policy_default(&pol);
	pol.relay_warn = pol.enum_warn = pol.outside_warn = 1;
	report_init(&r);
	mail_stats_judge(&s, &pol, &r);
	report_release(&r);
	mail_stats_release(&s);
	return 0;
}
