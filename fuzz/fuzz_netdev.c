/*
 * fuzz_netdev.c - libFuzzer target: netdev_parse (/proc/net/dev) never
 * reads out of bounds, never crashes or leaks, and every interface it
 * keeps has a name that fits IFNAMSIZ, without spaces or control
 * characters.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/netdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netdevs d = {0};
	struct err err = {0};

	if (netdev_parse((const char *)data, size, &d, &err) == -1 &&
	    err.msg[0] == '\0')
		abort();
	for (size_t i = 0; i < d.n; i++) {
		size_t n = strnlen(d.d[i].name, sizeof(d.d[i].name));

		if (n == 0 || n == sizeof(d.d[i].name))
			abort();
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)d.d[i].name[k] <= ' ')
				abort();
	}
	netdev_release(&d);
	return 0;
}
