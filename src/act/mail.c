/*
 * mail.c - hand a message to sendmail (see mail.h).
 */
#include "act/mail.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/hex.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

/* An encoded-word holds at most 45 bytes: 60 base64 characters, 75 in all. */
#define WORD_BYTES 45
/* SMTP's limit is 998 octets a line; longer body lines are broken here. */
#define BODY_LINE_MAX 900

static void
base64(struct strbuf *sb, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t left = n - i;

		if (left > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		strbuf_addc(sb, tab[(v >> 18) & 63]);
		strbuf_addc(sb, tab[(v >> 12) & 63]);
		strbuf_addc(sb, left > 1 ? tab[(v >> 6) & 63] : '=');
		strbuf_addc(sb, left > 2 ? tab[v & 63] : '=');
	}
}

/*
 * Appends [p, p+n) as RFC 2047 encoded-words: whole UTF-8 characters in
 * each, the words folded onto lines of their own, no line longer than 78
 * characters (the first line has lead characters before the first word).
 */
static void
encoded_words(
    struct strbuf *sb, const unsigned char *p, size_t len, size_t lead)
{
	size_t i = 0;
	/* 12 characters of "=?UTF-8?B?" and "?=", 4 of base64 per 3 bytes */
	size_t room = lead + 12 < 78 ? (78 - lead - 12) / 4 * 3 : 3;

	while (i < len) {
		size_t n = 0, max = i == 0 ? room : WORD_BYTES;

		if (max > WORD_BYTES)
			max = WORD_BYTES;
		while (i + n < len) {
			size_t c = utf8_seq_len(p + i + n, len - i - n);

			if (c == 0)
				c = 1;
			if (n + c > max && n > 0)
				break;
			n += c;
		}
		if (i > 0)
			strbuf_adds(sb, "\n ");
		strbuf_adds(sb, "=?UTF-8?B?");
		base64(sb, p + i, n);
		strbuf_adds(sb, "?=");
		i += n;
	}
}

/* val with controls (CR and LF among them) as spaces: no new header.
 * Returns 1 when it is all ASCII. */
static int
header_value(struct strbuf *v, const char *val)
{
	int ascii = 1;

	for (const char *p = val; *p; p++) {
		unsigned char c = (unsigned char)*p;

		strbuf_addc(v, c < 0x20 || c == 0x7f ? ' ' : (char)c);
		if (c >= 0x80)
			ascii = 0;
	}
	return ascii;
}

void
mail_header(struct strbuf *sb, const char *name, const char *val)
{
	struct strbuf v = STRBUF_INIT(0);
	int ascii = header_value(&v, val);

	strbuf_adds(sb, name);
	strbuf_adds(sb, ": ");
	if (ascii)
		strbuf_add(sb, v.p, v.len);
	else
		encoded_words(
		    sb, (const unsigned char *)v.p, v.len, strlen(name) + 2);
	strbuf_addc(sb, '\n');
	strbuf_release(&v);
}

/*
 * An address header: "Name <a@b>" with a display name that is not ASCII
 * gets it as encoded-words (quotes around it dropped), the address as it
 * is; anything else as mail_header writes it.
 */
static void
address_header(struct strbuf *sb, const char *name, const char *val)
{
	struct strbuf v = STRBUF_INIT(0);
	const char *lt;
	size_t n;

	if (header_value(&v, val) || (lt = strrchr(v.p, '<')) == NULL) {
		strbuf_adds(sb, name);
		strbuf_adds(sb, ": ");
		strbuf_add(sb, v.p, v.len);
		strbuf_addc(sb, '\n');
		strbuf_release(&v);
		return;
	}
	n = (size_t)(lt - v.p);
	while (n > 0 && v.p[n - 1] == ' ')
		n--;
	const char *phrase = v.p;
	if (n >= 2 && phrase[0] == '"' && phrase[n - 1] == '"') {
		phrase++;
		n -= 2;
	}
	strbuf_adds(sb, name);
	strbuf_adds(sb, ": ");
	encoded_words(sb, (const unsigned char *)phrase, n, strlen(name) + 2);
	strbuf_addc(sb, ' ');
	strbuf_adds(sb, lt);
	strbuf_addc(sb, '\n');
	strbuf_release(&v);
}

/* Appends body with every line cut to BODY_LINE_MAX bytes (between UTF-8
 * characters), ending in a newline. */
static void
body_lines(struct strbuf *sb, const char *body)
{
	size_t col = 0;

	for (const char *p = body; *p;) {
		size_t c = *p == '\n'
		    ? 1
		    : utf8_seq_len((const unsigned char *)p, strnlen(p, 4));

		if (c == 0)
			c = 1;
		if (*p != '\n' && col + c > BODY_LINE_MAX) {
			strbuf_addc(sb, '\n');
			col = 0;
		}
		strbuf_add(sb, p, c);
		col = *p == '\n' ? 0 : col + c;
		p += c;
	}
	if (sb->len && sb->p[sb->len - 1] != '\n')
		strbuf_addc(sb, '\n');
}

static int
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

int
mail_format(const struct mail *m, time_t now, const char *hostname,
    struct strbuf *out, struct err *err)
{
	char date[64], id[320], host[256] = "localhost";
	unsigned char rnd[8];
	char rhex[17];
	static unsigned seq;
	const char *body = m->body ? m->body : "";
	struct tm tm;

	if (hostname != NULL)
		str_copy(host, sizeof(host), hostname);
	else
		gethostname(host, sizeof(host) - 1);
	/* The Message-ID's domain is a dot-atom: anything else is dropped. */
	for (char *s = host, *d = host;; s++) {
		if (*s == '\0' || isalnum((unsigned char)*s) || *s == '.' ||
		    *s == '-')
			*d++ = *s;
		if (*s == '\0')
			break;
	}
	if (host[0] == '\0')
		str_copy(host, sizeof(host), "localhost");
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	hex_encode(rhex, rnd, sizeof(rnd));
	str_printf(id, sizeof(id), "<%lld.%ld.%u.%s@%s>", (long long)now,
	    (long)getpid(), seq++, rhex, host);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z",
	    localtime_r(&now, &tm));
	if (m->from)
		address_header(out, "From", m->from);
	address_header(out, "To", m->to);
	mail_header(out, "Subject", m->subject ? m->subject : "(sakimori)");
	mail_header(out, "Date", date);
	mail_header(out, "Message-ID", id);
	mail_header(out, "MIME-Version", "1.0");
	mail_header(out, "Content-Type", "text/plain; charset=utf-8");
	mail_header(
	    out, "Content-Transfer-Encoding", is_ascii(body) ? "7bit" : "8bit");
	mail_header(out, "Auto-Submitted", "auto-generated");
	mail_header(out, "X-Mailer", "sakimori");
	strbuf_adds(out, "\n");
	body_lines(out, body);
	if (strbuf_failed(out))
		return err_set(err, EFBIG, "mail body too large");
	return 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The envelope sender of a From: value: the address inside <...> when
 * there is one, else the whole value; "" when it has none.  -1 when it
 * does not fit.
 */
static int
envelope_from(const char *from, char *dst, size_t dstsz)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		from = lt + 1;
		n = (size_t)(gt - from);
	} else {
		from += strspn(from, " \t");
		n = strlen(from);
		while (n > 0 && (from[n - 1] == ' ' || from[n - 1] == '\t'))
			n--;
	}
	if (n >= dstsz)
		return -1;
	memcpy(dst, from, n);
	dst[n] = '\0';
	return 0;
}

int
mail_cmd(const struct mail *m, struct mail_cmd *cmd, struct err *err)
{
	const char *prog = m->sendmail;
	size_t n = 0;

	if (prog == NULL)
		prog = getenv("SAKIMORI_SENDMAIL");
	if (prog == NULL || prog[0] == '\0')
		prog = "/usr/sbin/sendmail";
	if (m->to == NULL || m->to[0] == '\0' || m->to[0] == '-' ||
	    strpbrk(m->to, "\r\n") != NULL)
		return err_set(
		    err, EINVAL, "bad mail recipient '%s'", m->to ? m->to : "");
	cmd->sender[0] = '\0';
	if (m->from != NULL) {
		if (envelope_from(m->from, cmd->sender, sizeof(cmd->sender)) ==
		        -1 ||
		    cmd->sender[0] == '-' ||
		    strpbrk(cmd->sender, "\r\n ") != NULL)
			return err_set(
			    err, EINVAL, "bad mail sender '%s'", m->from);
	}
	cmd->prog = prog;
	/*
	 * -i: a lone "." does not end the message; -f: the envelope sender
	 * (bounces go there); --: the recipient is never an option.
	 */
	cmd->argv[n++] = (char *)prog;
	cmd->argv[n++] = "-i";
	if (cmd->sender[0]) {
		cmd->argv[n++] = "-f";
		cmd->argv[n++] = cmd->sender;
	}
	cmd->argv[n++] = "--";
	cmd->argv[n++] = (char *)m->to;
	cmd->argv[n] = NULL;
	return 0;
}

int
mail_send(const struct mail *m, struct err *err)
{
	struct strbuf msg = STRBUF_INIT(4 << 20);
	struct mail_cmd cmd;
	const char *prog;
	int pfd[2], status;
	pid_t pid;

	if (mail_cmd(m, &cmd, err) == -1)
		return -1;
	prog = cmd.prog;
	if (mail_format(m, time(NULL), NULL, &msg, err) == -1) {
		strbuf_release(&msg);
		return -1;
	}

	if (pipe2(pfd, O_CLOEXEC) == -1) {
		strbuf_release(&msg);
		return err_sys(err, errno, "cannot make a pipe");
	}
	pid = fork();
	if (pid == -1) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		strbuf_release(&msg);
		return err_sys(err, e, "cannot fork");
	}
	if (pid == 0) {
		if (dup2(pfd[0], 0) == -1)
			_exit(127);
		execv(prog, cmd.argv);
		_exit(127);
	}
	close(pfd[0]);
	{
		/* sendmail that exits early must not kill us with SIGPIPE. */
		struct sigaction sa = {0}, old;

		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, &old);
		int wrc = write_all(pfd[1], msg.p, msg.len);
		close(pfd[1]);
		sigaction(SIGPIPE, &old, NULL);
		strbuf_release(&msg);
		(void)wrc;
	}
	double deadline = clock_mono() + 60;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w == -1 && errno != EINTR)
			return err_sys(
			    err, errno, "cannot wait for '%s'", prog);
		if (clock_mono() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return err_set(err, ETIMEDOUT,
			    "'%s' did not finish in 60 seconds", prog);
		}
		sleep_secs(0.02);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return err_set(err, ENOENT, "cannot run '%s'", prog);
	return err_set(err, EIO, "'%s' failed (%s %d)", prog,
	    WIFEXITED(status) ? "exit status" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}
