/*
 * fuzz_fim_dpkg.c - libFuzzer target: the parsers of dpkg's md5sums files
 * and log never crash or leak on any input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fim/fim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fim_dpkg *d = fim_dpkg_open("");
	const char *pkg = NULL;

	if (d == NULL)
		return 0;
	fim_dpkg_add_md5sums(d, "pkg:amd64", (const char *)data, size);
	fim_dpkg_add_log(d, (const char *)data, size);
	if (fim_dpkg_md5(d, "/usr/bin/x", &pkg) != NULL && pkg == NULL)
		abort();
	(void)fim_dpkg_last_change(d, "pkg");
	fim_dpkg_free(d);
	return 0;
}
