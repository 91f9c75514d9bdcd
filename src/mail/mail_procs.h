/*
 * mail_procs.h - the number of MTA processes in a process table (worth
 * graphing: a spam run makes sendmail or postfix fork).
 * Pure: counts what collect/proc.h read.
 */
#ifndef MAIL_MAIL_PROCS_H
#define MAIL_MAIL_PROCS_H

#include "collect/proc.h"

struct mail_procs {
	unsigned total;
	unsigned sendmail; /* sendmail, sm-mta */
	unsigned postfix;  /* master's daemons: smtpd, smtp, cleanup, ... */
	unsigned exim;
	unsigned qmail;
	unsigned smtpd; /* processes that talk to clients (smtpd, sendmail
	                 * children, exim children) */
};

/* 1 if a process of this name is part of an MTA. */
int mail_proc_is_mta(const char *comm);
void mail_procs_count(const struct proc_table *t, struct mail_procs *out);

#endif
