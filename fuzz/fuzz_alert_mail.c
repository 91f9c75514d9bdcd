/*
 * fuzz_alert_mail.c - libFuzzer target: an alert event whose check,
 * subject, message and evidence are arbitrary bytes becomes a mail
 * (alert_mail_subject, alert_mail_body, mail_format) that adds no header
 * of its own, has no line longer than SMTP allows, and whose Subject is
 * plain ASCII or encoded-words.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "act/alert.h"
#include "act/mail.h"
#include "base/err.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Copies the next NUL-separated part of [*p, end) into dst (may fill it). */
static void
take(const uint8_t **p, const uint8_t *end, char *dst, size_t dstsz)
{
	size_t n = 0;

	while (*p < end && **p != '\0' && n < dstsz)
		dst[n++] = (char)*(*p)++;
	if (*p < end)
		(*p)++;
	if (n < dstsz)
		dst[n] = '\0';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"From", "To", "Subject", "Date",
	    "Message-ID", "MIME-Version", "Content-Type",
	    "Content-Transfer-Encoding", "Auto-Submitted", "X-Mailer"};
	const uint8_t *p = data, *end = data + size;
	struct alert_event e;
	struct strbuf subj = STRBUF_INIT(0), body = STRBUF_INIT(0);
	struct strbuf msg = STRBUF_INIT(0);
	struct err err = {0};
	struct mail m;
	size_t headers = 0, nh = sizeof(names) / sizeof(*names);

	memset(&e, 0, sizeof(e));
	if (size > 0)
		e.kind = (enum alert_kind)(data[0] % 4);
	take(&p, end, e.check, sizeof(e.check));
	take(&p, end, e.subject, sizeof(e.subject));
	take(&p, end, e.message, sizeof(e.message));
	take(&p, end, e.ev[0].key, sizeof(e.ev[0].key));
	take(&p, end, e.ev[0].val, sizeof(e.ev[0].val));
	e.nev = 1;
	e.sev = SEV_CRITICAL;
	alert_mail_subject(&e, "host", &subj);
	alert_mail_body(&e, "host", &body);
	m = (struct mail){
	    NULL, "Watch <w@example.org>", "root", subj.p, body.p};
	if (mail_format(&m, 0, "example.org", &msg, &err) == -1)
		abort();
	/* Every header line is one of ours; the rest continue one. */
	for (const char *l = msg.p, *nl;; l = nl + 1) {
		int known = 0;

		nl = strchr(l, '\n');
		if (nl == NULL || nl - l > 998)
			abort();
		if (nl == l)
			break; /* the empty line before the body */
		if (*l == ' ')
			continue;
		for (size_t i = 0; i < nh; i++)
			known |= strncmp(l, names[i], strlen(names[i])) == 0 &&
			    l[strlen(names[i])] == ':';
		if (!known)
			abort();
		if (strncmp(l, "Subject: ", 9) == 0)
			for (const char *c = l; c < nl; c++)
				if ((unsigned char)*c >= 0x80)
					abort();
		headers++;
	}
	if (headers != nh)
		abort();
	strbuf_release(&subj);
	strbuf_release(&body);
	strbuf_release(&msg);
	return 0;
}
