/*
 * auth.h - authentication lines: the pure parser that reads what a log
 * record says about a login (src/logs/parse_auth.c) and the analyzer that
 * counts failures per address (src/logs/auth.c).
 *
 * The parser reads the message of a syslog record (files in RFC 3164 /
 * RFC 5424 form and the journal alike), the message of an Apache error-log
 * record, and raw audit lines (type=USER_AUTH ...).  It knows OpenSSH,
 * dropbear, sudo, su, PAM (any service), vsftpd, proftpd, dovecot,
 * postfix and sendmail SASL, and Apache basic and digest authentication.
 * Like the other parsers it copies nothing: the strings are slices into
 * the record's.
 */
#ifndef LOGS_AUTH_H
#define LOGS_AUTH_H

#include "logs/logs.h"

enum logs_auth_kind {
	LOGS_AUTH_NONE = 0, /* nothing about a login */
	/* a failed login or a probe, from address (may be absent for a
	 * local failure: sudo, su) */
	LOGS_AUTH_FAIL,
	/* a failure whose line names no address: the one of its sshd
	 * connection (session), once known */
	LOGS_AUTH_FAIL_SESSION,
	/* sshd's PAM module failing: sshd writes its own line for the same
	 * attempt, so it counts only when the connection switches user */
	LOGS_AUTH_PAM_SSHD,
	/* "Failed publickey" for an existing user: a client offering its
	 * keys in turn; counts when sshd gives up ("Too many ...") */
	LOGS_AUTH_KEY_TRIED,
	/* a connection closed or reset before login ([preauth]) */
	LOGS_AUTH_PREAUTH_CLOSE,
	/* a connection ending: a failure only after one without address */
	LOGS_AUTH_CLOSE,
	/* "Connection from ADDR": names the address of the connection */
	LOGS_AUTH_CONNECT,
	/* a successful login */
	LOGS_AUTH_SUCCESS,
	/* worth counting, not a failure ("POSSIBLE BREAK-IN ATTEMPT") */
	LOGS_AUTH_NOTE,
};

struct logs_auth {
	enum logs_auth_kind kind;
	const char *name;        /* "sshd.failed-password" (static text) */
	const char *service;     /* "sshd", "dovecot", ... (static text) */
	struct logs_str address; /* as logged, without "::ffff:" and port */
	struct logs_str user;    /* absent when the line names none */
	struct logs_str session; /* sshd's pid: joins a connection's lines */
	int64_t time;            /* audit lines: their epoch; else -1 */
};

/*
 * The message of a syslog record s.  1 and *out when the line is about
 * a login, 0 when it is not, -1 when it has an authentication wording
 * whose address or user cannot be read (count it as malformed).
 */
int logs_auth_parse_syslog(const struct logs_syslog *s, struct logs_auth *out);
/* An Apache error-log record (basic and digest authentication). */
int logs_auth_parse_error(const struct logs_error *e, struct logs_auth *out);
/* A raw line: Linux audit records (USER_AUTH, USER_ERR) and vsftpd's own
 * log ("... [pid N] [user] FAIL LOGIN: Client "ADDR""). */
int logs_auth_parse_raw(const char *line, size_t n, struct logs_auth *out);

/* 1 when [s, s+n) may be a host: an address or a host name. */
int logs_auth_is_host(const char *s, size_t n);

#endif
