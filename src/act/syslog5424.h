/*
 * syslog5424.h - an alert event as an RFC 5424 syslog message with
 * structured data, framed for TCP by its octet count (RFC 6587 3.4.1),
 * for the central syslog server of "alert syslog" (act/forward.h).
 *
 *	<PRI>1 TIMESTAMP HOSTNAME sakimori PROCID MSGID [SD] MSG
 *
 * PRI      facility daemon (3) and the priority journal_priority gives;
 * TIMESTAMP the event's time, RFC 3339 UTC (so a message sent late says
 *          when it happened, not when it was sent);
 * HOSTNAME the host name given (printable US-ASCII; anything else '_');
 * MSGID    the kind of event: open, change, resolve, flapping;
 * SD       [sakimori@32473 event="open" problem="17" check="load"
 *          subject="..." severity="WARNING" count="3"] (32473 is the
 *          enterprise number RFC 5612 sets aside for examples; the
 *          parameter names are sakimori's);
 * MSG      the summary of the event (alert_summary, already escaped).
 *
 * A parameter value is the raw text escaped by esc_text (control bytes
 * and invalid UTF-8 as \xNN), then '"', '\' and ']' preceded by '\' as
 * RFC 5424 6.3.3 asks.
 */
#ifndef ACT_SYSLOG5424_H
#define ACT_SYSLOG5424_H

#include <stddef.h>

#include "agent/event.h"

struct strbuf;

/* The SD-ID of the events' structured data. */
#define SYSLOG5424_SDID "sakimori@32473"
/* The APP-NAME of the messages. */
#define SYSLOG5424_APP "sakimori"
/* The longest message formatted (the frame's count excluded). */
#define SYSLOG5424_MAX (16 << 10)

/*
 * Appends e as one RFC 5424 message (no frame) from host with procid
 * (0: the NILVALUE "-").  0, or -1 when out would pass its bound.
 */
int syslog5424_message(const struct alert_event *e, const char *host,
    long procid, struct strbuf *out);
/* Appends "LEN " and the len bytes of msg: one octet-counted frame. */
int syslog5424_frame(const char *msg, size_t len, struct strbuf *out);
/* Appends s escaped as an SD-PARAM value (without the quotes). */
int syslog5424_param(struct strbuf *out, const char *s, size_t n);

#endif
