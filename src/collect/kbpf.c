/*
 * kbpf.c - the bpf(2) call and the kernel's BTF in memory (see kbpf.h).
 */
#include "collect/kbpf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/err.h"

long
kbpf_sys(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

/* The whole of fd (size bytes) in a new buffer, for kernels that cannot
 * map the BTF (before 6.16): slow through sysfs. */
static void *
read_all(int fd, size_t size)
{
	char *p = malloc(size);
	size_t got = 0;

	while (p != NULL && got < size) {
		ssize_t n = pread(fd, p + got, size - got, (off_t)got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(p);
			return NULL;
		}
		got += (size_t)n;
	}
	return p;
}

int
kbpf_btf_load(struct kbpf_btf *b, struct err *err)
{
	struct stat st;
	int fd;

	memset(b, 0, sizeof(*b));
	if ((fd = open(KBPF_BTF_PATH, O_RDONLY | O_CLOEXEC)) == -1)
		return err_sys(err, errno, "cannot open '%s'", KBPF_BTF_PATH);
	if (fstat(fd, &st) == -1 || st.st_size <= 0) {
		err_sys(err, errno, "cannot read '%s'", KBPF_BTF_PATH);
		close(fd);
		return -1;
	}
	b->len = (size_t)st.st_size;
	/* mapped, not read: reading its 5 MB through sysfs takes 20 ms */
	b->p = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, fd, 0);
	b->mapped = b->p != MAP_FAILED;
	if (!b->mapped)
		b->p = read_all(fd, b->len);
	close(fd);
	if (b->p == NULL)
		return err_sys(err, errno, "cannot read '%s'", KBPF_BTF_PATH);
	return 0;
}

void
kbpf_btf_release(struct kbpf_btf *b)
{
	if (b->p != NULL && b->mapped)
		munmap(b->p, b->len);
	else
		free(b->p);
	memset(b, 0, sizeof(*b));
}
