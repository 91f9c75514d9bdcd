/*
 * fuzz_auth.c - libFuzzer target: the authentication parser on any bytes,
 * as a syslog message of each known program, as an Apache error-log
 * message and as a raw (audit, vsftpd) line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logs/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(const struct logs_str *s, const char *b, size_t n)
{
	if (s->n > 0 && (s->p < b || s->p + s->n > b + n))
		abort();
}

static void
check(const struct logs_auth *x, const char *b, size_t n, int rc)
{
	if (rc < -1 || rc > 1)
		abort();
	if (rc != 1)
		return;
	if (x->name == NULL || x->service == NULL)
		abort();
	inside(&x->address, b, n);
	inside(&x->user, b, n);
	if (x->address.n > 0 && !logs_auth_is_host(x->address.p, x->address.n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const apps[] = {"sshd", "dropbear", "sudo", "su",
	    "vsftpd", "proftpd", "dovecot", "postfix/smtpd", "sendmail",
	    "login", ""};
	const char *b = (const char *)data;
	struct logs_syslog s;
	struct logs_error e;
	struct logs_auth x;

	for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.app.p = apps[i];
		s.app.n = strlen(apps[i]);
		s.pid.p = "1";
		s.pid.n = 1;
		s.message.p = b;
		s.message.n = size;
		check(&x, b, size, logs_auth_parse_syslog(&s, &x));
	}
	memset(&e, 0, sizeof(e));
	e.message.p = b;
	e.message.n = size;
	e.client.p = "192.0.2.1";
	e.client.n = 9;
	logs_auth_parse_error(&e, &x);
	check(&x, b, size, logs_auth_parse_raw(b, size, &x));
	return 0;
}
