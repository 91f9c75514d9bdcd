/*
 * fuzz_procpid.c - libFuzzer target: proc_stat_parse, proc_status_parse and proc_cmdline_parse (/proc/PID files) never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct proc p;

	memset(&p, 0, sizeof(p));
	if (proc_stat_parse(s, size, 4, &p, &err) == -1 && err.msg[0] == '\0')
		abort();
	if (strlen(p.comm) >= sizeof(p.comm))
		abort();
	(void)proc_status_parse(s, size, &p);
	proc_cmdline_parse(s, size, &p);
	if (strlen(p.cmdline) >= sizeof(p.cmdline))
		abort();
	return 0;
}
