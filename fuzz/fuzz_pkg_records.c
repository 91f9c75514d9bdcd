/*
 * fuzz_pkg_records.c - libFuzzer target: the parsers of dpkg's md5sums
 * files and log never crash or leak on any input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pkg/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkg_db *db = pkg_new();
	const char *pkg = NULL;

	if (db == NULL)
		return 0;
	pkg_parse_md5sums(db, "pkg:amd64", (const char *)data, size);
	pkg_parse_log(db, (const char *)data, size);
	if (pkg_md5(db, "/usr/bin/x", &pkg) != NULL && pkg == NULL)
		abort();
	if (pkg_md5(db, "/bin/x", &pkg) != NULL && pkg == NULL)
		abort();
	(void)pkg_last_change(db, "pkg");
	pkg_free(db);
	return 0;
}
