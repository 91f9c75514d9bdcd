/*
 * fuzz_smartjson.c - libFuzzer target: disk_smart_parse over smartctl
 * --json output never reads out of bounds, never crashes or leaks, every
 * failure explains itself, and the verdict of what it parsed explains
 * itself too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "disk/smart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct disk_smart s;
	struct disk_smart_prev prev = {0, 0, 0};
	struct err err = {0};
	char why[512];

	if (disk_smart_parse((const char *)data, size, &s, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (disk_smart_verdict(&s, &prev, why, sizeof(why)) != SEV_OK &&
	    why[0] == '\0')
		abort();
	disk_smart_verdict(&s, NULL, why, sizeof(why));
	disk_smart_cw_words(s.critical_warning, why, sizeof(why));
	return 0;
}
