/*
 * fuzz_mail_common.h - what every mail-parser fuzz target checks: each
 * span of the event lies inside the input, and the kind is a known one.
 */
#ifndef FUZZ_MAIL_COMMON_H
#define FUZZ_MAIL_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "mail/mail.h"

static inline void
span_inside(struct mail_span s, const char *p, size_t n)
{
	if (s.n == 0)
		return;
	if (s.p < p || s.p + s.n > p + n)
		abort();
}

static inline void
event_inside(const struct mail_event *ev, const char *p, size_t n)
{
	const struct mail_span *all[] = {&ev->qid, &ev->from, &ev->to,
	    &ev->orig_to, &ev->relay, &ev->client_name, &ev->client_addr,
	    &ev->sasl, &ev->user, &ev->newqid, &ev->bounce_of, &ev->dsn,
	    &ev->reason};

	for (size_t i = 0; i < countof(all); i++)
		span_inside(*all[i], p, n);
	if ((unsigned)ev->kind > MAIL_EV_AUTH_FAIL ||
	    (unsigned)ev->rej >= MAIL_REJ_NREJ)
		abort();
}

/* Copies the input (so overreads hit ASan's redzone), parses, checks. */
static inline int
fuzz_parse(const uint8_t *data, size_t size,
    enum mail_kind (*parse)(const char *, size_t, struct mail_event *))
{
	struct mail_event ev;
	char *p = malloc(size ? size : 1);

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	memset(&ev, 0, sizeof(ev));
	ev.delay = -1;
	parse(p, size, &ev);
	event_inside(&ev, p, size);
	free(p);
	return 0;
}

#endif
