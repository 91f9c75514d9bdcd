/*
 * mail.h - mail through the system's sendmail interface (Postfix, Exim,
 * sendmail and qmail all provide /usr/sbin/sendmail).  Never a shell: the
 * program is run with an argument vector, the message goes on its stdin.
 * Header values have CR and LF removed (no header injection); the body is
 * the caller's, already escaped where it holds outside text.
 */
#ifndef ACT_MAIL_H
#define ACT_MAIL_H

struct err;

struct mail {
	const char
	    *sendmail; /* NULL: $SAKIMORI_SENDMAIL, else /usr/sbin/sendmail */
	/* NULL: the program's default sender.  Else the From: header and,
	 * its address ("a@b" or the part in "Name <a@b>"), the envelope
	 * sender (sendmail -f). */
	const char *from;
	const char *to; /* one address or local user */
	const char *subject;
	const char *body;
};

/* Sends m and waits (at most 60 s) for sendmail; 0, or -1 with err. */
int mail_send(const struct mail *m, struct err *err);

#endif
