/*
 * fuzz_pkg_status.c - libFuzzer target: the dpkg status parser keeps only
 * well-formed installed packages, finds each by name, and never crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkg_db *db = pkg_new();
	const struct pkg_info *pkgs;
	size_t n;

	if (db == NULL)
		return 0;
	pkg_parse_status(db, (const char *)data, size);
	pkgs = pkg_list(db, &n);
	for (size_t i = 0; i < n; i++)
		if (pkgs[i].name[0] == '\0' ||
		    pkg_find(db, pkgs[i].name) == NULL)
			abort();
	pkg_free(db);
	return 0;
}
