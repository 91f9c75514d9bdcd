/*
 * fuzz_linesrc.c - libFuzzer target: the line source (base/linesrc.h) over
 * any bytes, plain or gzip (the first byte picks the maximum line length
 * and the CR policy): it never reads out of bounds or loops, every line is
 * within the maximum, the look ahead stays in the buffer, the counts add
 * up, and an error is a data error or none.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/err.h"
#include "base/linesrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linesrc_opts o;
	struct linesrc ls;
	struct err err = {0};
	const char *line, *p;
	size_t n, m;
	uint64_t lines = 0, cut = 0;
	int c, rc = 0, fd;

	if (size < 1)
		return 0;
	o.max_line = 1 + data[0] % 64;
	o.cr = data[0] & 0x80 ? LINESRC_CR_KEEP : LINESRC_CR_STRIP;
	fd = memfd_create("fuzz_linesrc", MFD_CLOEXEC);
	if (fd == -1)
		abort();
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (linesrc_open_fd(&ls, fd, "fuzz", &o, &err) == -1) {
		if (err.code != EBADMSG && err.code != ENOMEM)
			abort();
		return 0;
	}
	/* (a gzip stream of newlines may hold far more lines than bytes:
	 * the first million tell as much) */
	while (lines < 1000000 &&
	    (rc = linesrc_next(&ls, &line, &n, &c, &err)) == 1) {
		if (n > o.max_line || (c && n != o.max_line))
			abort();
		if (n > 0 && (line < ls.buf || line + n > ls.buf + ls.cap))
			abort();
		lines++;
		cut += (uint64_t)c;
		if (linesrc_ahead(&ls, &p, &m) &&
		    (p < ls.buf || p + m > ls.buf + ls.have || m == 0))
			abort();
	}
	if ((rc == -1 && err.code != EBADMSG) || lines != ls.lines ||
	    cut != ls.cut)
		abort();
	linesrc_close(&ls);
	return 0;
}
