/*
 * fuzz_klog.c - libFuzzer target: disk_klog_line (prefix split and the
 * disk-error classifier) never reads out of bounds or crashes, and what
 * it captures is NUL-terminated and within its fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "disk/klog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct disk_klog *k;
	struct disk_kline kl;
	struct disk_kmatch m;
	struct err err = {0};

	if (k == NULL && (k = disk_klog_new(&err)) == NULL)
		abort();
	if (disk_klog_line(k, (const char *)data, size, 1795000000, &kl, &m) !=
	    DK_NONE) {
		if (strlen(m.device) >= sizeof(m.device) ||
		    strlen(m.extra) >= sizeof(m.extra) || m.pattern == NULL)
			abort();
	}
	if (kl.msg < (const char *)data ||
	    kl.msg + kl.msglen > (const char *)data + size)
		abort();
	return 0;
}
