/*
 * fuzz_utmp.c - libFuzzer target: utmp_parse and passwd_parse never reads out of
 * bounds, never crashes or leaks, and every failure explains itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/err.h"
#include "collect/passwd.h"
#include "collect/utmp.h"

static void
on_user(const char *name, size_t n, uint32_t uid, void *arg)
{
	(void)uid;
	*(size_t *)arg += n + (name[0] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = {0};

	struct sessions ss;
	size_t total = 0;

	if (utmp_parse(data, size, &ss, &err) == -1 && err.msg[0] == '\0')
		abort();
	for (size_t i = 0; i < ss.n; i++)
		if (strlen(ss.s[i].user) >= sizeof(ss.s[i].user) ||
		    strlen(ss.s[i].host) >= sizeof(ss.s[i].host) ||
		    (ss.s[i].addr_family != 0 &&
		        ss.s[i].addr_family != AF_INET &&
		        ss.s[i].addr_family != AF_INET6))
			abort();
	sessions_release(&ss);
	(void)passwd_parse(s, size, on_user, &total);
	return 0;
}
