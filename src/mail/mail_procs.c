/*
 * mail_procs.c - count MTA processes by name (see mail_procs.h).
 */
#include <string.h>

#include "base/mem.h"
#include "mail/mail_procs.h"

static const char *const postfix_daemons[] = {"master", "smtpd", "smtp", "lmtp",
    "cleanup", "qmgr", "pickup", "local", "virtual", "pipe", "bounce",
    "postscreen", "trivial-rewrite", "proxymap", "anvil", "scache", "tlsmgr",
    "showq", "error", "discard", "verify", "flush", "postlogd", "dnsblog",
    "tlsproxy"};

static int
is_postfix(const char *comm)
{
	for (size_t i = 0; i < countof(postfix_daemons); i++)
		if (strcmp(comm, postfix_daemons[i]) == 0)
			return 1;
	return 0;
}

static int
is_sendmail(const char *comm)
{
	return strcmp(comm, "sendmail") == 0 || strcmp(comm, "sm-mta") == 0 ||
	    strncmp(comm, "sm-msp", 6) == 0;
}

static int
is_exim(const char *comm)
{
	return strcmp(comm, "exim") == 0 || strcmp(comm, "exim4") == 0;
}

static int
is_qmail(const char *comm)
{
	return strncmp(comm, "qmail-", 6) == 0;
}

int
mail_proc_is_mta(const char *comm)
{
	return is_postfix(comm) || is_sendmail(comm) || is_exim(comm) ||
	    is_qmail(comm);
}

void
mail_procs_count(const struct proc_table *t, struct mail_procs *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];
		const char *c = p->comm;

		if (p->flags & PROC_F_KTHREAD)
			continue;
		if (is_sendmail(c)) {
			out->sendmail++;
			out->smtpd++;
		} else if (is_exim(c)) {
			out->exim++;
			out->smtpd++;
		} else if (is_qmail(c)) {
			out->qmail++;
			if (strcmp(c, "qmail-smtpd") == 0)
				out->smtpd++;
		} else if (is_postfix(c) &&
		    (p->exe[0] != '\0' ? strstr(p->exe, "postfix") != NULL
		                       : strcmp(c, "master") != 0)) {
			/* postfix's daemons live in its daemon_directory;
			 * without the executable, "master" is too common a
			 * name to count */
			out->postfix++;
			if (strcmp(c, "smtpd") == 0)
				out->smtpd++;
		} else
			continue;
		out->total++;
	}
}
