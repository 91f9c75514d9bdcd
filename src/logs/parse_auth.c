/*
 * parse_auth.c - what a log line says about a login (see auth.h): the
 * wordings of OpenSSH (every failure and probe it prints, over its
 * versions), dropbear, sudo, su, PAM, vsftpd, proftpd, dovecot, postfix
 * and sendmail SASL, Apache basic/digest authentication, audit records.
 */
#include <string.h>

#include "base/cur.h"
#include "logs/auth.h"
#include "logs/parse_int.h"

/* ---- slices ---- */

static int
pre(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* lit at p whose first letter may be either case ("[Ii]nvalid"). */
static int
pre_ci1(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - p) < n || n == 0)
		return 0;
	if ((p[0] | 0x20) != (lit[0] | 0x20))
		return 0;
	return memcmp(p + 1, lit + 1, n - 1) == 0;
}

static const char *
find(const char *p, const char *end, const char *lit)
{
	if (p >= end)
		return NULL;
	return memmem(p, (size_t)(end - p), lit, strlen(lit));
}

/* The last occurrence of lit in [p, end). */
static const char *
find_last(const char *p, const char *end, const char *lit)
{
	const char *last = NULL, *q;

	while ((q = find(p, end, lit)) != NULL) {
		last = q;
		p = q + 1;
	}
	return last;
}

static int
host_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '.' || c == ':' || c == '-' ||
	    c == '_' || c == '%';
}

int
logs_auth_is_host(const char *s, size_t n)
{
	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!host_char(s[i]))
			return 0;
	/* at least one letter or digit: not "-" or "::" alone */
	for (size_t i = 0; i < n; i++)
		if ((s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
			return 1;
	return 0;
}

/* "::ffff:1.2.3.4" is 1.2.3.4. */
static struct logs_str
unmap(struct logs_str h)
{
	if (h.n > 7 && memcmp(h.p, "::ffff:", 7) == 0 &&
	    memchr(h.p + 7, ':', h.n - 7) == NULL &&
	    memchr(h.p + 7, '.', h.n - 7) != NULL) {
		h.p += 7;
		h.n -= 7;
	}
	return h;
}

/* The host token at p (up to a character a host has not). */
static struct logs_str
host_at(const char *p, const char *end)
{
	const char *s = p;

	while (p < end && host_char(*p))
		p++;
	/* "ADDR: 11: ..." (a colon after the address, not "::" of IPv6) */
	if (p - s >= 2 && p[-1] == ':' && p[-2] != ':')
		p--;
	return unmap(p_str(s, (size_t)(p - s)));
}

/* "ADDR:PORT" (dropbear): the address without its port. */
static struct logs_str
host_port_at(const char *p, const char *end)
{
	struct logs_str h = host_at(p, end);
	const char *c;

	if (h.n == 0)
		return h;
	c = h.p + h.n;
	while (c > h.p && c[-1] >= '0' && c[-1] <= '9')
		c--;
	if (c > h.p && c < h.p + h.n && c[-1] == ':')
		h.n = (size_t)(c - 1 - h.p);
	return unmap(h);
}

static int
set_fail(struct logs_auth *o, const char *name, struct logs_str addr)
{
	o->kind = LOGS_AUTH_FAIL;
	o->name = name;
	o->address = addr;
	return logs_auth_is_host(addr.p, addr.n) ? 1 : -1;
}

static void
auth_init(struct logs_auth *o, const char *service)
{
	memset(o, 0, sizeof(*o));
	o->service = service;
	o->time = -1;
}

/* Drops a trailing " [preauth]" and spaces; says whether it was there. */
static int
cut_preauth(const char *p, const char **end)
{
	const char *e = *end;
	int had = 0;

	while (e > p && e[-1] == ' ')
		e--;
	if (e - p >= 10 && memcmp(e - 10, " [preauth]", 10) == 0) {
		e -= 10;
		had = 1;
	}
	while (e > p && e[-1] == ' ')
		e--;
	*end = e;
	return had;
}

/* Drops trailing " port N" / " on ADDR" (up to three), " ssh2". */
static const char *
cut_port(const char *p, const char *e)
{
	for (int i = 0; i < 4; i++) {
		const char *s = e;

		while (s > p && s[-1] != ' ')
			s--;
		if (s - p < 1)
			break;
		/* whole words only: "user support ADDR" is not a port */
		if (s - p >= 5 && memcmp(s - 5, "port ", 5) == 0 &&
		    (s - 5 == p || s[-6] == ' ') && s < e && s[0] >= '0' &&
		    s[0] <= '9') {
			e = s - 6 >= p ? s - 6 : p;
		} else if (s - p >= 3 && memcmp(s - 3, "on ", 3) == 0 &&
		    (s - 3 == p || s[-4] == ' ')) {
			e = s - 4 >= p ? s - 4 : p;
		} else if (e - s >= 3 && memcmp(s, "ssh", 3) == 0) {
			e = s - 1 >= p ? s - 1 : p;
		} else {
			break;
		}
	}
	return e;
}

/* The last word of [p, e). */
static struct logs_str
last_word(const char *p, const char *e)
{
	const char *s = e;

	while (s > p && s[-1] != ' ')
		s--;
	return unmap(p_str(s, (size_t)(e - s)));
}

/*
 * " from ADDR[ port N][ on X][ sshN]" followed by the end or ": ": the
 * first such " from " after p (a user name may hold " from ").
 */
static const char *
from_tail(const char *p, const char *end, struct logs_str *host)
{
	const char *q = p;

	while ((q = find(q, end, " from ")) != NULL) {
		const char *c = q + 6;
		struct logs_str h = host_at(c, end);

		c = h.p != NULL ? c + (size_t)(h.p - c) + h.n : c;
		while (c < end && *c == ' ') {
			if (pre(c, end, " port ")) {
				c += 6;
				while (c < end && *c >= '0' && *c <= '9')
					c++;
			} else if (pre(c, end, " on ")) {
				c += 4;
				while (c < end && *c != ' ')
					c++;
			} else if (pre(c, end, " ssh")) {
				c += 4;
				while (c < end && *c >= '0' && *c <= '9')
					c++;
			} else if (pre(c, end, " via ")) {
				c += 5;
				while (c < end && *c != ' ')
					c++;
			} else {
				break;
			}
		}
		while (c < end && *c == ' ')
			c++;
		if (h.n > 0 &&
		    (c == end || pre(c, end, ": ") ||
		        pre(c, end, "[preauth]"))) {
			*host = h;
			return q;
		}
		q++;
	}
	return NULL;
}

/* ---- OpenSSH ---- */

/* "Failed METHOD for [invalid user ]USER from ADDR..." */
static int
ssh_failed(const char *p, const char *end, struct logs_auth *o)
{
	const char *m = p + 7, *me = m, *u, *f;
	int invalid;
	struct logs_str h;

	while (me < end && *me != ' ')
		me++;
	if (!pre(me, end, " for "))
		return -1;
	u = me + 5;
	invalid = pre(u, end, "invalid user ");
	if (invalid)
		u += 13;
	f = from_tail(u - 1, end, &h);
	if (f == NULL)
		return -1;
	o->user = p_str(u, f >= u ? (size_t)(f - u) : 0);
	if (mem_eq(m, (size_t)(me - m), "publickey") && !invalid) {
		o->kind = LOGS_AUTH_KEY_TRIED;
		o->name = "sshd.key-tried";
		o->address = h;
		return logs_auth_is_host(h.p, h.n) ? 1 : -1;
	}
	if (mem_eq(m, (size_t)(me - m), "password"))
		return set_fail(o,
		    invalid ? "sshd.invalid-user-password"
		            : "sshd.failed-password",
		    h);
	if (mem_eq(m, (size_t)(me - m), "publickey"))
		return set_fail(o, "sshd.invalid-user-key", h);
	if (pre(m, end, "keyboard-interactive"))
		return set_fail(o, "sshd.failed-keyboard-interactive", h);
	return set_fail(o, "sshd.failed-other", h);
}

/*
 * "Connection closed by|Connection reset by|Disconnected from
 * [authenticating user U |invalid user U |user U ]ADDR[ port N][ [preauth]]"
 */
static int
ssh_close(const char *p, const char *end, struct logs_auth *o)
{
	const char *e = end, *hs;
	int preauth = cut_preauth(p, &e), logged_in = 0;
	struct logs_str h;

	if (pre(p, e, "authenticating user ") || pre(p, e, "invalid user ")) {
		p += *p == 'a' ? 20 : 13;
	} else if (pre(p, e, "user ")) {
		p += 5;
		logged_in = 1;
	} else {
		p = p - 1; /* no user: the address is the first word */
	}
	e = cut_port(p, e);
	h = last_word(p, e);
	hs = h.p;
	if (hs > p + 1 && o->user.p == NULL && p[0] != ' ')
		o->user = p_str(p, (size_t)(hs - 1 - p));
	if (!logs_auth_is_host(h.p, h.n))
		return -1;
	o->address = h;
	o->name = "sshd.preauth-close";
	o->kind =
	    preauth && !logged_in ? LOGS_AUTH_PREAUTH_CLOSE : LOGS_AUTH_CLOSE;
	return 1;
}

/* "Received disconnect from ADDR[ port N]:[ ]CODE: ..." */
static int
ssh_received(const char *p, const char *end, struct logs_auth *o)
{
	struct logs_str h = host_at(p, end);
	const char *c = h.p + h.n, *e = end;

	cut_preauth(p, &e);

	if (pre(c, e, " port ")) {
		c += 6;
		while (c < e && *c >= '0' && *c <= '9')
			c++;
	}
	if (!pre(c, e, ":"))
		return -1;
	c++;
	while (c < e && *c == ' ')
		c++;
	o->address = h;
	if (pre(c, e, "3:") && e - c >= 9 && memcmp(e - 9, "Auth fail", 9) == 0)
		return set_fail(o, "sshd.auth-fail", h);
	if (pre(c, e, "14: No supported authentication methods available") ||
	    pre(c, e, "14: No authentication methods available"))
		return set_fail(o, "sshd.no-auth-methods", h);
	if (!logs_auth_is_host(h.p, h.n))
		return -1;
	o->kind = LOGS_AUTH_CLOSE;
	o->name = "sshd.disconnect-after-failure";
	return 1;
}

/* "User U from ADDR not allowed because ..." */
static int
ssh_user_from(const char *p, const char *end, struct logs_auth *o)
{
	const char *nb = find_last(p, end, " not allowed because ");
	const char *f;

	if (nb == NULL)
		return 0;
	f = find_last(p, nb, " from ");
	if (f == NULL) {
		/* "User U not allowed because account is locked" */
		if (find(nb, end, "account is locked") == NULL)
			return 0;
		o->user = p_str(p, (size_t)(nb - p));
		o->kind = LOGS_AUTH_FAIL_SESSION;
		o->name = "sshd.account-locked";
		return 1;
	}
	o->user = p_str(p, (size_t)(f - p));
	return set_fail(o, "sshd.user-not-allowed", host_at(f + 6, nb));
}

static const char no_ident[] = "Did not receive identification string from ";
static const char unknown_user[] =
    "User not known to the underlying authentication module for ";

static int
ssh_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *q;

	if (pre(p, end, "[ID ")) { /* Solaris: "[ID 800047 auth.info] " */
		q = memchr(p, ']', (size_t)(end - p));
		if (q != NULL && q + 1 < end && q[1] == ' ')
			p = q + 2;
	}
	if (pre(p, end, "error: ") || pre(p, end, "fatal: "))
		p += 7;
	if (pre(p, end, "PAM: "))
		p += 5;
	if (pre(p, end, "Failed "))
		return ssh_failed(p, end, o);
	if (pre(p, end, "Accepted ")) {
		struct logs_str h;
		const char *u = memchr(p + 9, ' ', (size_t)(end - p - 9));

		if (u == NULL || !pre(u, end, " for "))
			return -1;
		q = from_tail(u + 4, end, &h);
		if (q == NULL)
			return -1;
		o->user = p_str(u + 5, (size_t)(q - u - 5));
		o->kind = LOGS_AUTH_SUCCESS;
		o->name = "sshd.accepted";
		o->address = h;
		return logs_auth_is_host(h.p, h.n) ? 1 : -1;
	}
	if (pre_ci1(p, end, "authentication failure for ") ||
	    pre_ci1(p, end, "authentication error for ") ||
	    pre_ci1(p, end, "authentication failed for ")) {
		struct logs_str h;

		p = find(p, end, " for ") + 5;
		q = from_tail(p - 1, end, &h);
		if (q == NULL)
			return -1;
		o->user = p_str(p, (size_t)(q - p));
		return set_fail(o, "sshd.pam-failure", h);
	}
	if (pre(p, end, unknown_user)) {
		struct logs_str h;

		p += strlen(unknown_user);
		q = from_tail(p - 1, end, &h);
		if (q == NULL)
			return -1;
		o->user = p_str(p, (size_t)(q - p));
		return set_fail(o, "sshd.unknown-user", h);
	}
	if (pre(p, end, "ROOT LOGIN REFUSED FROM ")) {
		o->user = p_str(p, 4); /* "ROOT" */
		return set_fail(o, "sshd.root-refused", host_at(p + 24, end));
	}
	if (pre_ci1(p, end, "invalid user ") ||
	    pre_ci1(p, end, "illegal user ")) {
		struct logs_str h;

		p += 13;
		q = from_tail(p - 1, end, &h);
		if (q == NULL)
			return -1;
		o->user = p_str(p, (size_t)(q - p));
		return set_fail(o, "sshd.invalid-user", h);
	}
	if (pre(p, end, "User "))
		return ssh_user_from(p + 5, end, o);
	if (pre(p, end, "refused connect from ")) {
		q = find_last(p, end, " (");
		if (q == NULL)
			return -1;
		return set_fail(o, "sshd.refused-connect", host_at(q + 2, end));
	}
	if (pre(p, end, "Received disconnect from "))
		return ssh_received(p + 25, end, o);
	if (pre(p, end, "maximum authentication attempts exceeded for ")) {
		struct logs_str h;

		p += strlen("maximum authentication attempts exceeded for ");
		q = from_tail(p - 1, end, &h);
		if (q == NULL)
			return -1;
		o->user = p_str(p, (size_t)(q - p));
		return set_fail(o, "sshd.max-attempts", h);
	}
	if (pre(p, end, "Disconnecting: Too many authentication failures")) {
		o->kind = LOGS_AUTH_FAIL_SESSION;
		o->name = "sshd.too-many-failures";
		if (pre(p + 47, end, " for ")) {
			const char *e = end;

			cut_preauth(p, &e);
			o->user = p_str(
			    p + 52, e > p + 52 ? (size_t)(e - p - 52) : 0);
		}
		return 1;
	}
	if (pre(p, end, "Disconnecting invalid user ") ||
	    pre(p, end, "Disconnecting authenticating user ")) {
		const char *c = find(p, end, ": Change of username or service");
		struct logs_str h;

		if (c == NULL)
			return 0; /* "Too many ...": the failure was logged */
		p = memchr(p + 14, ' ', (size_t)(c - p - 14)) + 6;
		h = last_word(p, cut_port(p, c));
		o->user = p_str(p, h.p > p ? (size_t)(h.p - 1 - p) : 0);
		return set_fail(o, "sshd.user-change", h);
	}
	if (pre(p, end, "Connection closed by ") &&
	    !pre(p, end, "Connection closed by remote host"))
		return ssh_close(p + 21, end, o);
	if (pre(p, end, "Connection reset by ") &&
	    !pre(p, end, "Connection reset by peer"))
		return ssh_close(p + 20, end, o);
	if (pre(p, end, "Disconnected from "))
		return ssh_close(p + 18, end, o);
	if (pre(p, end, no_ident))
		return set_fail(o, "sshd.no-identification",
		    host_at(p + strlen(no_ident), end));
	if (pre(p, end, "kex_exchange_identification: ") ||
	    pre(p, end, "Read from socket failed: Connection reset by peer") ||
	    pre(p, end, "Unable to negotiate a ") ||
	    (pre(p, end, "no matching ") && find(p, end, " found:") != NULL)) {
		o->kind = LOGS_AUTH_FAIL_SESSION;
		o->name = p[0] == 'k' ? "sshd.kex-error"
		    : p[0] == 'R'     ? "sshd.reset-before-auth"
		                      : "sshd.negotiation-failed";
		return 1;
	}
	if (pre(p, end, "Bad protocol version identification ")) {
		q = find_last(p, end, " from ");
		if (q == NULL)
			return -1;
		return set_fail(o, "sshd.bad-protocol", host_at(q + 6, end));
	}
	if (pre(p, end, "banner exchange: Connection from "))
		return set_fail(o, "sshd.bad-banner", host_at(p + 33, end));
	if (pre(p, end, "ssh_dispatch_run_fatal: Connection from ")) {
		p += 40;
		if (pre(p, end, "user "))
			return 0; /* a logged-in user's connection broke */
		if (pre(p, end, "authenticating user ") ||
		    pre(p, end, "invalid user ")) {
			q = memchr(p, ':', (size_t)(end - p));
			if (q == NULL)
				return -1;
			return set_fail(o, "sshd.protocol-error",
			    last_word(p, cut_port(p, q)));
		}
		return set_fail(o, "sshd.protocol-error", host_at(p, end));
	}
	if (pre(p, end, "Timeout before authentication for ")) {
		p += 34;
		if (pre(p, end, "connection from "))
			p += 16;
		return set_fail(o, "sshd.auth-timeout", host_at(p, end));
	}
	if (pre(p, end, "Unable to negotiate with "))
		return set_fail(
		    o, "sshd.negotiation-failed", host_at(p + 25, end));
	if (pre(p, end, "Connection from ")) {
		o->kind = LOGS_AUTH_CONNECT;
		o->name = "sshd.connect";
		o->address = host_at(p + 16, end);
		return logs_auth_is_host(o->address.p, o->address.n) ? 1 : -1;
	}
	if (pre(p, end, "SSH: Server;Ltype: ") &&
	    (q = find(p, end, ";Remote: ")) != NULL) {
		const char *e = memchr(q + 9, ';', (size_t)(end - q - 9));
		const char *dash;

		if (e == NULL)
			return -1;
		dash = e;
		while (dash > q + 9 && dash[-1] != '-')
			dash--;
		if (dash <= q + 10)
			return -1;
		o->kind = LOGS_AUTH_CONNECT;
		o->name = "sshd.connect";
		o->address = unmap(p_str(q + 9, (size_t)(dash - 1 - q - 9)));
		return logs_auth_is_host(o->address.p, o->address.n) ? 1 : -1;
	}
	if ((q = find(p, end, "POSSIBLE BREAK-IN ATTEMPT")) != NULL) {
		const char *a;

		o->kind = LOGS_AUTH_NOTE;
		o->name = "sshd.dns-mismatch";
		if (pre(p, end, "Address ")) {
			o->address = host_at(p + 8, end);
		} else if ((a = find(p, q, " [")) != NULL) {
			/* reverse mapping checking getaddrinfo for N [ADDR] */
			o->address = host_at(a + 2, q);
		}
		return logs_auth_is_host(o->address.p, o->address.n) ? 1 : -1;
	}
	return 0;
}

/* ---- PAM ---- */

/*
 * "rhost=ADDR" in "... ruser=R rhost=ADDR[ user=U]": the rhost followed
 * by the end or " user=" (a user name may hold " rhost=").
 */
static int
pam_fields(const char *p, const char *end, struct logs_auth *o)
{
	const char *q = p, *ru;

	while ((q = find(q, end, "rhost=")) != NULL) {
		const char *v = q + 6, *ve = v, *c;

		while (ve < end && *ve != ' ')
			ve++;
		c = ve;
		while (c < end && *c == ' ')
			c++;
		if (c == end || pre(c, end, "user=")) {
			o->address = unmap(p_str(v, (size_t)(ve - v)));
			if (pre(c, end, "user=")) {
				const char *ue = end;

				while (ue > c + 5 && ue[-1] == ' ')
					ue--;
				o->user = p_str(c + 5, (size_t)(ue - c - 5));
			} else if ((ru = find(p, q, "ruser=")) != NULL) {
				const char *re = q;

				while (re > ru + 6 && re[-1] == ' ')
					re--;
				o->user = p_str(ru + 6, (size_t)(re - ru - 6));
			}
			return 1;
		}
		q = v;
	}
	return -1;
}

/*
 * "pam_unix(SVC:auth): authentication failure; ...", "(pam_unix)
 * authentication failure; ...", "pam_unix: authentication failure; ...",
 * "pam_unix(SVC:auth): N more authentication failures; ...".  The
 * module must be named in the message.  0 when it is not PAM.
 */
static int
pam_message(
    const char *p, const char *end, const char *service, struct logs_auth *o)
{
	const char *m = p, *f;
	int sshd_form = 0;

	cut_preauth(p, &end);
	if (*m == '(')
		m++;
	if (!pre(m, end, "pam_"))
		return 0;
	f = find(m, end, "authentication failure");
	if (f == NULL || f - m > 80)
		return 0;
	if (find(f, end, "; logname=") == NULL && find(f, end, ";") == NULL)
		return 0;
	if (find(m, f, "(sshd:auth)") != NULL)
		sshd_form = 1;
	o->kind = LOGS_AUTH_FAIL;
	o->name = "pam.auth-failure";
	if (find(p, f, "more ") != NULL)
		o->name = "pam.auth-failures";
	if (pam_fields(f, end, o) == -1)
		return -1;
	if (sshd_form) {
		o->kind = LOGS_AUTH_PAM_SSHD;
		o->name = "sshd.pam-failure";
	}
	(void)service;
	if (o->address.n > 0 && !logs_auth_is_host(o->address.p, o->address.n))
		return -1;
	return 1;
}

/* ---- other services ---- */

/* dropbear; its journal lines may repeat "[PID] Mmm dd HH:MM:SS ". */
static int
dropbear_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *q;

	if (pre(p, end, "[")) {
		q = memchr(p, ']', (size_t)(end - p));
		if (q != NULL) {
			struct civtime t;
			const char *c = q + 1;

			while (c < end && *c == ' ')
				c++;
			if (civ_3164(&c, end, &t, 0) == 0) {
				while (c < end && *c == ' ')
					c++;
			}
			p = c;
		}
	}
	if (pre_ci1(p, end, "bad password attempt for ") ||
	    pre_ci1(p, end, "bad PAM password attempt for ")) {
		q = find_last(p, end, " from ");
		if (q == NULL)
			return -1;
		{
			const char *u = find(p, end, " for ");

			if (u != NULL && u + 5 <= q) {
				u += 5;
				o->user = p_str(u, (size_t)(q - u));
			}
			if (o->user.n >= 2 && o->user.p[0] == '\'') {
				o->user.p++;
				o->user.n -= 2;
			}
		}
		return set_fail(
		    o, "dropbear.bad-password", host_port_at(q + 6, end));
	}
	if (pre_ci1(p, end, "login attempt for nonexistent user")) {
		q = find_last(p, end, " from ");
		if (q == NULL)
			return -1;
		return set_fail(
		    o, "dropbear.nonexistent-user", host_port_at(q + 6, end));
	}
	if (pre_ci1(p, end, "exit before auth") &&
	    find(p, end, "Max auth tries reached") != NULL) {
		const char *u;

		if ((q = find(p, end, " from <")) != NULL) {
			if ((u = find(p, end, "(user '")) != NULL ||
			    (u = find(p, end, "- user '")) != NULL) {
				const char *s = memchr(u, '\'', 16) + 1;
				const char *e =
				    memchr(s, '\'', (size_t)(end - s));

				if (e != NULL)
					o->user = p_str(s, (size_t)(e - s));
			}
			return set_fail(
			    o, "dropbear.max-tries", host_port_at(q + 7, end));
		}
		q = find_last(p, end, " from ");
		if (q == NULL)
			return -1;
		if ((u = find(p, q, "(user '")) != NULL) {
			const char *e =
			    memchr(u + 7, '\'', (size_t)(q - u - 7));

			if (e != NULL)
				o->user = p_str(u + 7, (size_t)(e - u - 7));
		}
		return set_fail(
		    o, "dropbear.max-tries", host_port_at(q + 6, end));
	}
	return 0;
}

/* sudo: "USER : 3 incorrect password attempts ; TTY=...". */
static int
sudo_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *c = find(p, end, " : "), *u = p;

	if (c == NULL)
		return 0;
	while (u < c && *u == ' ')
		u++;
	o->user = p_str(u, (size_t)(c - u));
	c += 3;
	if (find(c, end, "incorrect password attempt") != NULL &&
	    find(c, end, "incorrect password attempt") < c + 24) {
		o->kind = LOGS_AUTH_FAIL;
		o->name = "sudo.incorrect-password";
		return 1;
	}
	if (pre(c, end, "user NOT in sudoers") ||
	    pre(c, end, "user NOT authorized on host") ||
	    pre(c, end, "command not allowed")) {
		o->kind = LOGS_AUTH_FAIL;
		o->name = "sudo.not-allowed";
		return 1;
	}
	return 0;
}

/* su: "FAILED SU (to root) USER on TTY", "BAD SU U to V on TTY",
 * "failed: TTY changing from U to V", "FAILED su for V by U". */
static int
su_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *u = NULL, *e;

	if (pre(p, end, "FAILED SU (to ")) {
		u = memchr(p, ')', (size_t)(end - p));
		u = u != NULL ? u + 2 : NULL;
	} else if (pre(p, end, "BAD SU ")) {
		u = p + 7;
	} else if (pre(p, end, "FAILED su for ")) {
		u = find(p, end, " by ");
		u = u != NULL ? u + 4 : NULL;
	} else if (pre(p, end, "failed: ") &&
	    (u = find(p, end, " changing from ")) != NULL) {
		u += 15;
	} else {
		return 0;
	}
	if (u == NULL || u > end)
		return -1;
	e = u;
	while (e < end && *e != ' ')
		e++;
	o->user = p_str(u, (size_t)(e - u));
	o->kind = LOGS_AUTH_FAIL;
	o->name = "su.failed";
	return 1;
}

/* "[user] FAIL LOGIN: Client "ADDR"" (syslog and vsftpd.log alike). */
static int
vsftpd_fail(const char *p, const char *end, struct logs_auth *o)
{
	const char *q = find(p, end, "] FAIL LOGIN: Client \"");
	const char *u;

	if (q == NULL)
		return 0;
	u = q;
	while (u > p && u[-1] != '[')
		u--;
	if (u > p)
		o->user = p_str(u, (size_t)(q - u));
	return set_fail(o, "vsftpd.fail-login", host_at(q + 22, end));
}

/* "HOST (NAME[ADDR]) - USER u (Login failed): Incorrect password",
 * "... - SECURITY VIOLATION: root login attempted",
 * "... - Maximum login attempts (3) exceeded" */
static int
proftpd_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *b = find(p, end, "["), *c, *q;

	if (b == NULL || (c = find(b, end, "])")) == NULL)
		return 0;
	q = c + 2;
	while (q < end && (*q == ' ' || *q == '-' || *q == ':'))
		q++;
	if (pre(q, end, "USER ")) {
		const char *u = q + 5, *ue = u;

		if (find(q, end, "(Login failed)") == NULL &&
		    find(q, end, "no such user") == NULL &&
		    find(q, end, "Incorrect password") == NULL)
			return 0;
		while (ue < end && *ue != ' ' && *ue != ':')
			ue++;
		o->user = p_str(u, (size_t)(ue - u));
	} else if (!pre(q, end, "SECURITY VIOLATION: ") &&
	    !pre(q, end, "Maximum login attempts")) {
		return 0;
	}
	return set_fail(o, "proftpd.login-failed", host_at(b + 1, c));
}

/* dovecot: "imap-login: Disconnected (auth failed, 1 attempts in 2
 * secs): user=<u>, method=PLAIN, rip=ADDR, ...", "auth: pam(u,ADDR):
 * pam_authenticate() failed: ...", "auth: passwd-file(u,ADDR): unknown
 * user" */
static int
dovecot_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *q, *r;

	if ((q = find(p, end, "(auth failed")) != NULL ||
	    (q = find(p, end, "(tried to use disallowed")) != NULL ||
	    (q = find(p, end, "(tried to use disabled")) != NULL) {
		if ((r = find(q, end, "rip=")) == NULL)
			return -1;
		if ((q = find(q, r, "user=<")) != NULL) {
			const char *e = memchr(q + 6, '>', (size_t)(r - q - 6));

			if (e != NULL)
				o->user = p_str(q + 6, (size_t)(e - q - 6));
		}
		return set_fail(o, "dovecot.auth-failed", host_at(r + 4, end));
	}
	if ((q = find(p, end, "): pam_authenticate() failed")) != NULL ||
	    (q = find(p, end, "): unknown user")) != NULL ||
	    (q = find(p, end, "): Unknown user")) != NULL ||
	    (q = find(p, end, "): Password mismatch")) != NULL ||
	    (q = find(p, end, "): password mismatch")) != NULL ||
	    (q = find(p, end, "): invalid credentials")) != NULL) {
		const char *b = q, *c;

		while (b > p && b[-1] != '(')
			b--;
		if (b == p)
			return -1;
		c = memchr(b, ',', (size_t)(q - b));
		if (c == NULL)
			return -1;
		o->user = p_str(b, (size_t)(c - b));
		return set_fail(o, "dovecot.auth-failed", host_at(c + 1, q));
	}
	return 0;
}

/* postfix: "warning: NAME[ADDR]: SASL LOGIN authentication failed: ..." */
static int
postfix_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *q = find(p, end, "]: SASL "), *b;

	if (!pre(p, end, "warning: ") || q == NULL)
		return 0;
	if (find(q, end, " authentication failed") == NULL ||
	    find(q, end, "Connection lost to authentication server") != NULL)
		return 0;
	b = q;
	while (b > p && b[-1] != '[')
		b--;
	return set_fail(o, "postfix.sasl-failed", host_at(b, q));
}

/* sendmail: "AUTH failure (LOGIN): ... user=U, relay=NAME [ADDR]",
 * "[ADDR]: possible SMTP attack: command=AUTH, count=N" */
static int
sendmail_message(const char *p, const char *end, struct logs_auth *o)
{
	const char *q, *b;

	if ((q = find(p, end, "AUTH failure (")) != NULL) {
		const char *u = find(q, end, "user=");

		b = find_last(q, end, "[");
		if (b == NULL)
			return -1;
		if (u != NULL) {
			const char *e = memchr(u, ',', (size_t)(end - u));

			if (e != NULL)
				o->user = p_str(u + 5, (size_t)(e - u - 5));
		}
		if (pre(b + 1, end, "IPv6:"))
			b += 5;
		return set_fail(
		    o, "sendmail.auth-failure", host_at(b + 1, end));
	}
	if ((q = find(p, end, ": possible SMTP attack: command=AUTH")) !=
	    NULL) {
		b = find_last(p, q, "[");
		if (b == NULL)
			return -1;
		if (pre(b + 1, end, "IPv6:"))
			b += 5;
		return set_fail(o, "sendmail.auth-attack", host_at(b + 1, end));
	}
	return 0;
}

/* ---- dispatch ---- */

struct service {
	const char *app; /* exact name, or a prefix ending in '*' */
	const char *name;
	int (*fn)(const char *p, const char *end, struct logs_auth *o);
};

static const struct service services[] = {
    {"sshd", "sshd", ssh_message},
    {"sshd-session", "sshd", ssh_message},
    {"sshd-auth", "sshd", ssh_message},
    {"dropbear", "dropbear", dropbear_message},
    {"sudo", "sudo", sudo_message},
    {"su", "su", su_message},
    {"vsftpd", "vsftpd", vsftpd_fail},
    {"proftpd", "proftpd", proftpd_message},
    {"dovecot", "dovecot", dovecot_message},
    {"auth", "dovecot", dovecot_message},
    {"imap-login", "dovecot", dovecot_message},
    {"pop3-login", "dovecot", dovecot_message},
    {"postfix*", "postfix", postfix_message},
    {"sendmail", "sendmail", sendmail_message},
    {"sm-mta", "sendmail", sendmail_message},
};

/* The program of a record: the tag, "[sshd]:" (pid slot), or "[sshd] ". */
static struct logs_str
program(const struct logs_syslog *s, struct logs_str *msg)
{
	struct logs_str a = s->app;
	const char *sl;

	if (a.n == 0 && s->pid.n > 0 &&
	    !(s->pid.p[0] >= '0' && s->pid.p[0] <= '9'))
		a = s->pid;
	if (a.n == 0 && msg->n > 2 && msg->p[0] == '[') {
		const char *c = memchr(msg->p, ']', msg->n);

		if (c != NULL && c + 1 < msg->p + msg->n && c[1] == ' ') {
			a = p_str(msg->p + 1, (size_t)(c - msg->p - 1));
			msg->n -= (size_t)(c + 2 - msg->p);
			msg->p = c + 2;
		}
	}
	/* "/usr/sbin/sshd" */
	while (a.n > 0 && (sl = memchr(a.p, '/', a.n)) != NULL &&
	    !(a.n > 7 && memcmp(a.p, "postfix", 7) == 0)) {
		a.n -= (size_t)(sl + 1 - a.p);
		a.p = sl + 1;
	}
	return a;
}

int
logs_auth_parse_syslog(const struct logs_syslog *s, struct logs_auth *out)
{
	struct logs_str msg = s->message;
	struct logs_str app = program(s, &msg);
	const char *p = msg.p, *end = msg.p + msg.n;
	const char *svc = NULL;
	int (*fn)(const char *, const char *, struct logs_auth *) = NULL;
	int rc;

	auth_init(out, "");
	if (msg.n == 0)
		return 0;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		const char *n = services[i].app;
		size_t ln = strlen(n);

		if (n[ln - 1] == '*'
		        ? (app.n >= ln - 1 && memcmp(app.p, n, ln - 1) == 0)
		        : mem_eq(app.p, app.n, n)) {
			svc = services[i].name;
			fn = services[i].fn;
			break;
		}
	}
	/* PAM first: every service may log through it */
	if (memmem(p, msg.n, "authentication failure", 22) != NULL) {
		const char *m = p;

		while (m < end && *m != 'p' && *m != '(')
			m++;
		if (m < end && m - p < 8) {
			out->service = svc != NULL ? svc : "pam";
			rc = pam_message(m, end, out->service, out);
			if (rc != 0) {
				out->session = s->pid;
				return rc;
			}
		}
	}
	if (fn == NULL)
		return vsftpd_fail(p, end, out);
	out->service = svc;
	out->session = s->pid;
	rc = fn(p, end, out);
	if (rc == 0)
		auth_init(out, svc);
	return rc;
}

/* Apache: the message after "AHnnnnn: " (and 2.2's "Digest: ", "Basic: ") */
int
logs_auth_parse_error(const struct logs_error *e, struct logs_auth *out)
{
	const char *p = e->message.p, *end = p + e->message.n, *q;

	auth_init(out, "apache");
	if (e->message.n == 0)
		return 0;
	if (pre(p, end, "Digest: ") || pre(p, end, "Basic: "))
		p += *p == 'D' ? 8 : 7;
	if (pre(p, end, "user `")) {
		q = memchr(p + 6, '\'', (size_t)(end - p - 6));
		if (q == NULL)
			return 0;
		if (find(q, end, "not found") == NULL &&
		    find(q, end, "authentication failure") == NULL)
			return 0;
		out->user = p_str(p + 6, (size_t)(q - p - 6));
		out->name = "apache.unknown-user";
	} else if (pre(p, end, "user ")) {
		const char *u = p + 5;

		if ((q = find(u, end, ": authentication failure")) != NULL ||
		    (q = find(u, end, ": password mismatch")) != NULL) {
			out->name = "apache.password-mismatch";
		} else if ((q = find(u, end, " not found")) != NULL) {
			out->name = "apache.unknown-user";
		} else {
			return 0;
		}
		out->user = p_str(u, (size_t)(q - u));
	} else if (pre(p, end, "client used wrong authentication scheme")) {
		out->name = "apache.wrong-scheme";
	} else {
		return 0;
	}
	out->kind = LOGS_AUTH_FAIL;
	out->address = unmap(e->client);
	return logs_auth_is_host(out->address.p, out->address.n) ? 1 : -1;
}

static int
audit_field(const char *p, const char *end, const char *key, struct logs_str *v)
{
	const char *q = p;
	size_t kn = strlen(key);

	while ((q = find(q, end, key)) != NULL) {
		if (q == p || q[-1] == ' ' || q[-1] == '\'') {
			const char *s = q + kn, *e = s;

			if (s < end && *s == '"') {
				s++;
				e = memchr(s, '"', (size_t)(end - s));
				if (e == NULL)
					return -1;
			} else {
				while (e < end && *e != ' ' && *e != '\'')
					e++;
			}
			*v = p_str(s, (size_t)(e - s));
			return 0;
		}
		q += kn;
	}
	return -1;
}

int
logs_auth_parse_raw(const char *line, size_t n, struct logs_auth *out)
{
	const char *p = line, *end = line + n;
	struct logs_str res, addr, exe, ts;

	auth_init(out, "");
	if (pre(p, end, "type=USER_AUTH ") || pre(p, end, "type=USER_ERR ")) {
		const char *sl;

		if (audit_field(p, end, "res=", &res) == -1 ||
		    !mem_eq(res.p, res.n, "failed"))
			return 0;
		if (audit_field(p, end, "addr=", &addr) == -1)
			return -1;
		if (mem_eq(addr.p, addr.n, "?"))
			addr.n = 0;
		out->service = "audit";
		if (audit_field(p, end, "exe=", &exe) == 0 &&
		    (sl = memrchr(exe.p, '/', exe.n)) != NULL &&
		    mem_eq(sl + 1, (size_t)(exe.p + exe.n - sl - 1), "sshd"))
			out->service = "sshd";
		if (audit_field(p, end, "acct=", &out->user) == -1)
			out->user.n = 0;
		if (audit_field(p, end, "msg=audit(", &ts) == 0) {
			const char *c = ts.p;
			uint64_t v;

			if (cur_u64(&c, end, &v) == 0)
				out->time = (int64_t)v;
		}
		out->kind = LOGS_AUTH_FAIL;
		out->name = "audit.auth-failed";
		out->address = unmap(addr);
		if (addr.n == 0)
			return 1;
		return logs_auth_is_host(out->address.p, out->address.n) ? 1
		                                                         : -1;
	}
	if (find(p, end, "] FAIL LOGIN: Client \"") != NULL) {
		out->service = "vsftpd";
		return vsftpd_fail(p, end, out);
	}
	return 0;
}
