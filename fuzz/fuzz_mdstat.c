/*
 * fuzz_mdstat.c - libFuzzer target: disk_md_parse over /proc/mdstat text
 * and disk_md_sysattr over sysfs values never read out of bounds, never
 * crash, keep their bounds, and every verdict explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disk/md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {"array_state", "level", "degraded",
	    "raid_disks", "sync_action", "sync_completed", "mismatch_cnt",
	    "dev-sda1/state", "dev-sda1/slot", "dev-/state", NULL};
	static struct disk_mdlist l;
	const char *s = (const char *)data;
	char why[512], prog[160];

	memset(&l, 0, sizeof(l));
	disk_md_parse(s, size, &l);
	if (l.n > DISK_MD_MAX || (l.malformed > 0 && l.bad_line == 0))
		abort();
	for (size_t i = 0; i < l.n; i++) {
		struct disk_md *a = &l.md[i];

		if (a->nm > DISK_MD_MAXMEM)
			abort();
		/* the same bytes as each sysfs attribute, in turn */
		for (int k = 0; keys[k] != NULL && i == 0; k++)
			disk_md_sysattr(a, keys[k], s, size);
		disk_md_verdict(a, 0, why, sizeof(why));
		if (why[0] == '\0' || memchr(why, '\0', sizeof(why)) == NULL)
			abort();
		disk_md_progress(a, 0, prog, sizeof(prog));
		if (a->progress > 100.0 + 1e-9)
			abort();
	}
	return 0;
}
