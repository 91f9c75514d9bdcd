/*
 * journal.c - alert events into the journal or syslog (see journal.h).
 */
#include "act/journal.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#include "act/alert.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "config.h"

/* The journal's native socket: where sd_journal_send writes. */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"
/* Where syslog(3) writes. */
#define SYSLOG_SOCKET "/dev/log"

#if HAVE_LIBSYSTEMD
#include <dlfcn.h>
#include <systemd/sd-journal.h>

/*
 * libsystemd is loaded at the first event (as src/disk/ksrc.c does for
 * reading), so commands that never alert do not pay for mapping it.
 */
static __typeof__(sd_journal_sendv) *sendv_fn;
static int sendv_tried;

static int
sendv_load(void)
{
	void *h;

	if (sendv_tried)
		return sendv_fn != NULL;
	sendv_tried = 1;
	if ((h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return 0;
	if ((*(void **)&sendv_fn = dlsym(h, "sd_journal_sendv")) == NULL) {
		dlclose(h);
		return 0;
	}
	return 1;
}
#endif

int
journal_priority(const struct alert_event *e)
{
	if (e->kind == ALERT_RESOLVE)
		return LOG_NOTICE;
	if (e->kind == ALERT_FLAPPING)
		return LOG_WARNING;
	switch (e->sev) {
	case SEV_CRITICAL:
		return LOG_CRIT;
	case SEV_WARNING:
		return LOG_WARNING;
	case SEV_UNKNOWN:
		return LOG_ERR;
	default:
		return LOG_NOTICE;
	}
}

#if HAVE_LIBSYSTEMD
/* Appends "NAME=value" and its NUL as one field of f. */
static void
field(struct strbuf *f, const char *name, const char *val, size_t n)
{
	strbuf_adds(f, name);
	strbuf_addc(f, '=');
	strbuf_add(f, val, n);
	strbuf_addc(f, '\0');
}

static int
to_journal(const struct alert_event *e, const char *msg, struct err *err)
{
	struct strbuf f = STRBUF_INIT(64 << 10);
	struct iovec iov[10];
	char num[32];
	size_t n = 0, off = 0;
	int rc;

	str_printf(num, sizeof(num), "%d", journal_priority(e));
	field(&f, "PRIORITY", num, strlen(num));
	field(&f, "MESSAGE", msg, strlen(msg));
	field(&f, "SYSLOG_IDENTIFIER", "sakimori", 8);
	/* The journal keeps binary values as they are: the raw texts. */
	field(&f, "SAKIMORI_CHECK", e->check,
	    strnlen(e->check, sizeof(e->check)));
	field(&f, "SAKIMORI_SUBJECT", e->subject,
	    strnlen(e->subject, sizeof(e->subject)));
	field(&f, "SAKIMORI_SEVERITY", sev_name(e->sev),
	    strlen(sev_name(e->sev)));
	field(&f, "SAKIMORI_EVENT", alert_kind_name(e->kind),
	    strlen(alert_kind_name(e->kind)));
	str_printf(num, sizeof(num), "%llu", (unsigned long long)e->problem);
	field(&f, "SAKIMORI_PROBLEM", num, strlen(num));
	str_printf(num, sizeof(num), "%llu", (unsigned long long)e->count);
	field(&f, "SAKIMORI_COUNT", num, strlen(num));
	if (strbuf_failed(&f)) {
		strbuf_release(&f);
		return err_set(err, ENOMEM, "out of memory");
	}
	/* Each field ends in the NUL appended after it. */
	while (off < f.len && n < sizeof(iov) / sizeof(*iov)) {
		size_t len = strnlen(f.p + off, f.len - off);

		iov[n].iov_base = f.p + off;
		iov[n].iov_len = len;
		n++;
		off += len + 1;
	}
	rc = sendv_fn(iov, (int)n);
	strbuf_release(&f);
	if (rc < 0)
		return err_sys(err, -rc, "cannot write to the journal");
	return 0;
}
#endif

int
journal_send(const struct alert_event *e, const char **where, struct err *err)
{
	struct strbuf msg = STRBUF_INIT(8192);
	int rc = 0;

	alert_summary(e, &msg);
	if (strbuf_failed(&msg)) {
		strbuf_release(&msg);
		return err_set(err, ENOMEM, "out of memory");
	}
#if HAVE_LIBSYSTEMD
	if (access(JOURNAL_SOCKET, F_OK) == 0 && sendv_load()) {
		*where = "journal";
		rc = to_journal(e, msg.p, err);
		strbuf_release(&msg);
		return rc;
	}
#endif
	*where = "syslog";
	/* syslog(3) drops what it cannot send: say so instead. */
	if (access(SYSLOG_SOCKET, F_OK) == -1) {
		strbuf_release(&msg);
		return err_sys(err, errno,
		    "no journal (" JOURNAL_SOCKET ") and no syslog (%s)",
		    SYSLOG_SOCKET);
	}
	syslog(LOG_DAEMON | journal_priority(e), "%s", msg.p);
	strbuf_release(&msg);
	return rc;
}
