/*
 * syslog5424.c - alert events as RFC 5424 messages (see syslog5424.h).
 */
#include "act/syslog5424.h"

#include <string.h>
#include <syslog.h>

#include "act/alert.h"
#include "act/journal.h"
#include "base/civtime.h"
#include "base/bounded.h"
#include "base/esc.h"
#include "base/strbuf.h"

int
syslog5424_param(struct strbuf *out, const char *s, size_t n)
{
	struct strbuf tmp = STRBUF_INIT(SYSLOG5424_MAX);

	esc_text(&tmp, s, n);
	for (size_t i = 0; i < tmp.len; i++) {
		char c = tmp.p[i];

		if (c == '"' || c == '\\' || c == ']')
			strbuf_addc(out, '\\');
		strbuf_addc(out, c);
	}
	strbuf_release(&tmp);
	return strbuf_failed(out) ? -1 : 0;
}

/* HOSTNAME: 1 to 255 printable US-ASCII characters, or "-". */
static void
hostname(struct strbuf *out, const char *host)
{
	size_t n = strnlen(host, 255);

	if (n == 0) {
		strbuf_addc(out, '-');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)host[i];

		strbuf_addc(out, c > 32 && c < 127 ? (char)c : '_');
	}
}

static void
param(struct strbuf *out, const char *name, const char *val, size_t n)
{
	strbuf_addc(out, ' ');
	strbuf_adds(out, name);
	strbuf_adds(out, "=\"");
	syslog5424_param(out, val, n);
	strbuf_addc(out, '"');
}

int
syslog5424_message(const struct alert_event *e, const char *host, long procid,
    struct strbuf *out)
{
	char stamp[CIV_RFC3339_LEN], num[32];
	const char *sev = sev_name(e->sev), *kind = alert_kind_name(e->kind);

	civ_rfc3339(stamp, sizeof(stamp), (int64_t)e->time);
	strbuf_printf(
	    out, "<%d>1 %s ", LOG_DAEMON | journal_priority(e), stamp);
	hostname(out, host);
	strbuf_adds(out, " " SYSLOG5424_APP " ");
	if (procid > 0)
		strbuf_printf(out, "%ld", procid);
	else
		strbuf_addc(out, '-');
	strbuf_printf(out, " %s [" SYSLOG5424_SDID, kind);
	param(out, "event", kind, strlen(kind));
	str_printf(num, sizeof(num), "%llu", (unsigned long long)e->problem);
	param(out, "problem", num, strlen(num));
	param(out, "check", e->check, strnlen(e->check, sizeof(e->check)));
	param(out, "subject", e->subject,
	    strnlen(e->subject, sizeof(e->subject)));
	param(out, "severity", sev, strlen(sev));
	str_printf(num, sizeof(num), "%llu", (unsigned long long)e->count);
	param(out, "count", num, strlen(num));
	strbuf_adds(out, "] ");
	alert_summary(e, out);
	return strbuf_failed(out) ? -1 : 0;
}

int
syslog5424_frame(const char *msg, size_t len, struct strbuf *out)
{
	strbuf_printf(out, "%zu ", len);
	strbuf_add(out, msg, len);
	return strbuf_failed(out) ? -1 : 0;
}
