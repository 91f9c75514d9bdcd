/*
 * fuzz_kmsg.c - libFuzzer target: disk_kmsg_parse on arbitrary /dev/kmsg
 * records: never out of bounds, and a record either parses with its
 * message inside the input or is refused with a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "disk/ksrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct disk_kmsg_rec r;
	struct err err = {0};
	const char *b = (const char *)data;

	if (disk_kmsg_parse(b, size, &r, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (r.msg < b || r.msg + r.msglen > b + size)
		abort();
	if (r.device != NULL &&
	    (r.device < b || r.device + r.devlen > b + size))
		abort();
	return 0;
}
