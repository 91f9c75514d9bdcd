/*
 * log.c - process diagnostics to stderr or syslog (see log.h).
 */
#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

int log_verbose;
static const char *prog = "sakimori";
static int use_syslog;

void
log_init(const char *progname)
{
	prog = progname;
}

void
log_to_syslog(void)
{
	openlog(prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	use_syslog = 1;
}

static void
vlog(int pri, const char *errstr, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (use_syslog) {
		if (errstr)
			syslog(pri, "%s: %s", msg, errstr);
		else
			syslog(pri, "%s", msg);
		return;
	}
	if (errstr)
		fprintf(stderr, "%s: %s: %s\n", prog, msg, errstr);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, e, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 2)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}
