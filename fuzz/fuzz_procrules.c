/*
 * fuzz_procrules.c - libFuzzer target: the process rules' pure verdicts
 * on a record made of untrusted bytes (a process chooses its command
 * name, command line and, by where it runs from, its executable path):
 * procrules_name_verdict, procrules_exe_verdict, procrules_script_of and
 * the built-in allow lists never read out of bounds or crash.  Input:
 * comm, exe and cmdline separated by NUL bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/proc.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-separated field of data into dst (cut to sz - 1). */
static void
field(const uint8_t **data, size_t *size, char *dst, size_t sz)
{
	const uint8_t *nul = memchr(*data, 0, *size);
	size_t n = nul ? (size_t)(nul - *data) : *size;

	snprintf(
	    dst, sz, "%.*s", (int)(n < sz ? n : sz - 1), (const char *)*data);
	*data += n < *size ? n + 1 : n;
	*size -= n < *size ? n + 1 : n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc p;
	struct exe_facts fx = {1, 0100777, 1, 040777};
	char script[256];
	unsigned v;

	memset(&p, 0, sizeof(p));
	field(&data, &size, p.comm, 16);
	field(&data, &size, p.exe, sizeof(p.exe));
	field(&data, &size, p.cmdline, sizeof(p.cmdline));
	p.flags = PROC_F_EXE | PROC_F_CMDLINE;
	if (strstr(p.exe, " (deleted)") != NULL)
		p.flags |= PROC_F_EXE_DELETED;
	if (procrules_name_verdict(&p) > NAME_KTHREAD)
		abort();
	v = procrules_exe_verdict(p.exe, p.flags, &fx) |
	    procrules_exe_verdict(p.exe, p.flags, NULL);
	if (v & ~0x3fu)
		abort();
	if (procrules_script_of(p.cmdline, script, sizeof(script)) == 0 &&
	    (script[0] == '\0' || strlen(script) >= sizeof(script)))
		abort();
	(void)procrules_builtin_allowed(procrules_listen_allow, p.comm, p.exe);
	(void)procrules_builtin_allowed(procrules_name_allow, p.comm, p.exe);
	return 0;
}
