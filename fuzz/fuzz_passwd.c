/*
 * fuzz_passwd.c - libFuzzer target: passwd_parse (ROOT/etc/passwd for the
 * user names of ps and top) never reads out of bounds, never crashes;
 * every entry it hands over is a non-empty name inside the input, and the
 * malformed lines it counts are no more than the input's lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct span {
	const char *p;
	size_t n;
	size_t entries;
};

static void
on_entry(const char *name, size_t namelen, uint32_t uid, void *arg)
{
	struct span *in = arg;

	(void)uid;
	if (namelen == 0 || name < in->p || name + namelen > in->p + in->n ||
	    memchr(name, ':', namelen) != NULL ||
	    memchr(name, '\n', namelen) != NULL)
		abort();
	in->entries++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = {(const char *)data, size, 0};
	size_t lines = 1;
	unsigned bad;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	bad = passwd_parse(in.p, in.n, on_entry, &in);
	if (bad + in.entries > lines)
		abort();
	return 0;
}
