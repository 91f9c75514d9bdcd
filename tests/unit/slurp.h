/*
 * slurp.h - for unit tests: a fixture file (relative to FIXTURES) read
 * whole into a strbuf of at most 1 MiB (the test fails if it cannot be
 * read).  Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_SLURP_H
#define TESTS_UNIT_SLURP_H

#include <stdio.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"

static void
slurp(const char *rel, struct strbuf *sb)
{
	char path[4096];
	struct err err = {0};

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, rel);
	strbuf_init(sb, 1 << 20);
	if (file_read(path, 1 << 20, sb, NULL, &err) == -1)
		fail_msg("%s", err.msg);
}

#endif
