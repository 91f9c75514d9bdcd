/*
 * sock_bpf_cache.c - the BPF socket iterator's layout, kept for the rest
 * of the boot (see sock_bpf.h): finding it in the kernel's BTF reads some
 * 4 MB and takes about 3 ms, a tenth of a whole "net conns" on a busy
 * server; reading it back takes two small reads.
 *
 * The file holds the boot id and the size of the BTF it was made from, the
 * layout, and a checksum.  It is used only when it is a regular file of
 * the right size owned by root and writable by no one else, in a directory
 * of the same kind; anything else, or a mismatch, means it is made again.
 * Written to a temporary name and renamed, so readers never see half.
 */
#include "collect/sock_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"

#define MAGIC "sakimori-btf-1\n"

struct rec {
	char magic[16];
	char boot_id[40];
	uint64_t btf_size;
	struct sock_bpf_layout l;
	uint64_t sum;
};

/* Root's, and writable by no one else. */
static int
trusted(const struct stat *st)
{
	return st->st_uid == 0 && (st->st_mode & 022) == 0;
}

static void
fill(struct rec *r, const char *boot_id, uint64_t btf_size,
    const struct sock_bpf_layout *l)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->magic, MAGIC, sizeof(MAGIC) - 1);
	snprintf(r->boot_id, sizeof(r->boot_id), "%s", boot_id);
	r->btf_size = btf_size;
	r->l = *l;
	r->sum = hash_fnv1a(HASH_FNV_BASIS, r, offsetof(struct rec, sum));
}

int
sock_bpf_cache_get(const char *dir, const char *boot_id, uint64_t btf_size,
    struct sock_bpf_layout *l)
{
	char path[4096];
	struct stat st;
	struct rec r, want;
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/btf-layout", dir) >=
	        (int)sizeof(path) ||
	    lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode) || !trusted(&st))
		return -1;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || !trusted(&st) ||
	    st.st_size != (off_t)sizeof(r)) {
		close(fd);
		return -1;
	}
	n = read(fd, &r, sizeof(r));
	close(fd);
	if (n != (ssize_t)sizeof(r))
		return -1;
	fill(&want, boot_id, btf_size, &r.l);
	if (memcmp(&r, &want, sizeof(r)) != 0)
		return -1; /* another boot, another kernel, or damaged */
	*l = r.l;
	return 0;
}

int
sock_bpf_cache_put(const char *dir, const char *boot_id, uint64_t btf_size,
    const struct sock_bpf_layout *l)
{
	char path[4096], tmp[4096];
	struct stat st;
	struct rec r;
	int fd, ok;

	if (snprintf(path, sizeof(path), "%s/btf-layout", dir) >=
	        (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.btf-layout.%ld", dir,
	        (long)getpid()) >= (int)sizeof(tmp))
		return -1;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return -1;
	if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode) || !trusted(&st))
		return -1;
	fill(&r, boot_id, btf_size, l);
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	ok = write(fd, &r, sizeof(r)) == (ssize_t)sizeof(r);
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
