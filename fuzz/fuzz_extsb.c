/*
 * fuzz_extsb.c - libFuzzer target: disk_extsb_parse on truncated and
 * corrupt superblocks: never out of bounds, strings always terminated,
 * and a refusal always says why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "disk/extsb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct disk_extsb sb;
	struct err err = {0};
	char st[64], why[256];

	if (disk_extsb_parse(data, size, &sb, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (strlen(sb.first_error_func) >= sizeof(sb.first_error_func) ||
	    strlen(sb.last_mounted) >= sizeof(sb.last_mounted) ||
	    strlen(sb.uuid) != 36)
		abort();
	disk_extsb_state(&sb, st, sizeof(st));
	disk_extsb_fsck_due(&sb, time(NULL), why, sizeof(why));
	return 0;
}
