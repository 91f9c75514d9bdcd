/*
 * fuzz_dpkg.c - libFuzzer target: the dpkg status parser keeps only
 * well-formed installed packages, finds each by name, and never crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inv/dpkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dpkg_db db;

	dpkg_init(&db);
	dpkg_parse_status(&db, (const char *)data, size);
	for (size_t i = 0; i < db.n; i++)
		if (db.pkgs[i].name[0] == '\0' ||
		    dpkg_find(&db, db.pkgs[i].name) == NULL)
			abort();
	dpkg_release(&db);
	return 0;
}
