/*
 * fuzz_sock.c - libFuzzer target: the /proc/net/tcp parser never reads out
 * of bounds or crashes, reports only states 1..12, and counts what it
 * skips.  The first byte chooses IPv4/IPv6 and TCP/UDP.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "collect/sock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(const struct sock_entry *e, void *arg)
{
	char buf[64];

	(void)arg;
	if (e->state < 1 || e->state > SOCK_STATE_MAX ||
	    e->state == SOCK_NEW_SYN_RECV)
		abort();
	sock_addr_format(e->family, e->raddr, buf, sizeof(buf));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned skipped = 0, first_bad = 0;
	int family, proto;

	if (size == 0)
		return 0;
	family = (data[0] & 1) ? AF_INET6 : AF_INET;
	proto = (data[0] & 2) ? IPPROTO_UDP : IPPROTO_TCP;
	sock_proc_parse((const char *)data + 1, size - 1, family, proto,
	    (data[0] & 4) ? SOCK_STATE_BIT(SOCK_LISTEN) : 0, check, NULL,
	    &skipped, &first_bad);
	if (skipped > 0 && first_bad == 0)
		abort();
	return 0;
}
