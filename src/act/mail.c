/*
 * mail.c - hand a message to sendmail (see mail.h).
 */
#include "act/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

/* A header value with CR, LF and other controls replaced by spaces. */
static void
header(struct strbuf *sb, const char *name, const char *val)
{
	strbuf_adds(sb, name);
	strbuf_adds(sb, ": ");
	for (const char *p = val; *p; p++)
		strbuf_addc(
		    sb, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
	strbuf_adds(sb, "\n");
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
mail_send(const struct mail *m, struct err *err)
{
	const char *prog = m->sendmail;
	struct strbuf msg = STRBUF_INIT(4 << 20);
	char date[64];
	int pfd[2], status;
	pid_t pid;
	time_t now = time(NULL);
	struct tm tm;
	char sender[256] = "";

	if (prog == NULL)
		prog = getenv("SAKIMORI_SENDMAIL");
	if (prog == NULL || prog[0] == '\0')
		prog = "/usr/sbin/sendmail";
	if (m->to == NULL || m->to[0] == '\0' || m->to[0] == '-' ||
	    strpbrk(m->to, "\r\n") != NULL)
		return err_set(
		    err, EINVAL, "bad mail recipient '%s'", m->to ? m->to : "");
	if (m->from != NULL) {
		if (envelope_from(m->from, sender, sizeof(sender)) == -1 ||
		    sender[0] == '-' || strpbrk(sender, "\r\n ") != NULL)
			return err_set(
			    err, EINVAL, "bad mail sender '%s'", m->from);
	}
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z",
	    localtime_r(&now, &tm));
	if (m->from)
		header(&msg, "From", m->from);
	header(&msg, "To", m->to);
	header(&msg, "Subject", m->subject ? m->subject : "(sakimori)");
	header(&msg, "Date", date);
	header(&msg, "Auto-Submitted", "auto-generated");
	header(&msg, "MIME-Version", "1.0");
	header(&msg, "Content-Type", "text/plain; charset=UTF-8");
	header(&msg, "Content-Transfer-Encoding", "8bit");
	header(&msg, "X-Mailer", "sakimori");
	strbuf_adds(&msg, "\n");
	strbuf_adds(&msg, m->body ? m->body : "");
	if (msg.len && msg.p[msg.len - 1] != '\n')
		strbuf_addc(&msg, '\n');
	if (strbuf_failed(&msg)) {
		strbuf_release(&msg);
		return err_set(err, EFBIG, "mail body too large");
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
		/*
		 * -i: a lone "." does not end the message; -f: the envelope
		 * sender (bounces go there); --: the recipient is never an
		 * option.
		 */
		char *const with_f[] = {(char *)prog, "-i", "-f", sender, "--",
		    (char *)m->to, NULL};
		char *const without[] = {
		    (char *)prog, "-i", "--", (char *)m->to, NULL};
		char *const *argv = sender[0] ? with_f : without;

		if (dup2(pfd[0], 0) == -1)
			_exit(127);
		execv(prog, argv);
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
