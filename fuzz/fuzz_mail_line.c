/*
 * fuzz_mail_line.c - libFuzzer target: splitting a mail-log line (syslog,
 * RFC 5424, exim mainlog, multilog) and parsing its message never reads
 * outside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_mail_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_line l;
	struct mail_event ev;
	char *p = malloc(size ? size : 1);

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	if (mail_line_split(p, size, 2026, &l) == 0) {
		/* multilog and exim mainlog lines get a constant tag */
		if (!(l.tag.n == 5 && memcmp(l.tag.p, "qmail", 5) == 0) &&
		    !(l.tag.n == 4 && memcmp(l.tag.p, "exim", 4) == 0))
			span_inside(l.tag, p, size);
		span_inside(l.host, p, size);
		span_inside(l.msg, p, size);
		mail_parse(l.tag.p, l.tag.n, l.msg.p, l.msg.n, &ev);
		event_inside(&ev, p, size);
	}
	free(p);
	return 0;
}
