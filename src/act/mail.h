/*
 * mail.h - mail through the system's sendmail interface (Postfix, Exim,
 * sendmail and qmail all provide /usr/sbin/sendmail).  Never a shell: the
 * program is run with an argument vector, the message goes on its stdin.
 *
 * The message is a MIME text/plain message in UTF-8 (From, To, Subject,
 * Date, Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding).
 * Header values have control characters (CR and LF among them) replaced
 * by spaces, so no text can add a header; a Subject that is not plain
 * ASCII, and the display name of a From or To that is not, are written as
 * RFC 2047 encoded-words.  The body is the caller's,
 * already escaped where it holds outside text; lines longer than SMTP
 * allows are broken.
 */
#ifndef ACT_MAIL_H
#define ACT_MAIL_H

#include <stddef.h>
#include <time.h>

struct err;
struct strbuf;

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

/* What sendmail is run with: the program, its argument vector and the
 * envelope sender the vector points into. */
struct mail_cmd {
	const char *prog;
	char *argv[7];
	char sender[256];
};

/*
 * Checks m's recipient and sender and fills cmd with the sendmail program
 * ($SAKIMORI_SENDMAIL, else /usr/sbin/sendmail when m->sendmail is NULL)
 * and its arguments: -i, -f SENDER when m->from is set, --, the recipient.
 * cmd must outlive the use of its argv.  0, or -1 with err.
 */
int mail_cmd(const struct mail *m, struct mail_cmd *cmd, struct err *err);
/*
 * Appends the whole message (headers, an empty line, the body) as sendmail
 * reads it, dated now, its Message-ID in the domain host (NULL: this
 * host's name).  0, or -1 with err (too large).
 */
int mail_format(const struct mail *m, time_t now, const char *host,
    struct strbuf *out, struct err *err);
/*
 * Appends "NAME: VALUE\n", VALUE with controls as spaces; as RFC 2047
 * encoded-words (UTF-8, base64, at most 75 characters each, folded) when it
 * is not plain ASCII.
 */
void mail_header(struct strbuf *sb, const char *name, const char *val);

/* Sends m and waits (at most 60 s) for sendmail; 0, or -1 with err. */
int mail_send(const struct mail *m, struct err *err);

#endif
