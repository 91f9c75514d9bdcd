/*
 * osrel.h - parse os-release(5): KEY=value lines, values optionally in
 * single or double quotes with shell-style backslash escapes.  Pure.
 */
#ifndef INV_OSREL_H
#define INV_OSREL_H

#include <stddef.h>

struct osrel {
	char id[64];           /* "debian" */
	char name[128];        /* "Debian GNU/Linux" */
	char version_id[64];   /* "12" */
	char version[128];     /* "12 (bookworm)" */
	char pretty_name[256]; /* "Debian GNU/Linux 12 (bookworm)" */
	unsigned skipped;      /* lines that were not KEY=value */
};

/* Fills *out from the len bytes at text; absent keys are "".  Never fails. */
void osrel_parse(const char *text, size_t len, struct osrel *out);

#endif
