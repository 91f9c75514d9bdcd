/*
 * follow_id.c - the follower's file identity (see follow_int.h): the
 * fingerprints of a file's first bytes and of the bytes before the
 * bookmark's offset, kept up to date as lines are read and compared with
 * a candidate file, plain or gzip-compressed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "base/cur.h"
#include "base/hash.h"
#include "base/hmap.h"
#include "logs/follow_int.h"

#define FP_MAX FOLLOW_FP_MAX

uint64_t
follow_hash(const void *p, size_t n)
{
	/* Not seeded: the value is stored in the bookmark. */
	return hash_mix64(
	    hash_fnv1a(HASH_FNV_BASIS ^ 0x5a6b1d0f3e2c4b7aULL, p, n));
}

int
follow_is_gz(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".gz") == 0;
}

void
follow_id_reset(struct follow_id *id)
{
	id->off = 0;
	id->fplen = 0;
	id->fphash = follow_hash("", 0);
	id->tlen = 0;
	id->thash = id->fphash;
}

void
follow_id_consume(struct follow_id *id, const void *p, size_t n)
{
	const unsigned char *b = p;

	if (n == 0)
		return;
	if (n >= FP_MAX) {
		memcpy(id->tail, b + n - FP_MAX, FP_MAX);
		id->tlen = FP_MAX;
	} else {
		size_t keep = id->tlen < FP_MAX - n ? id->tlen : FP_MAX - n;

		memmove(id->tail, id->tail + id->tlen - keep, keep);
		memcpy(id->tail + keep, b, n);
		id->tlen = (uint32_t)(keep + n);
	}
	id->off += n;
	id->thash = follow_hash(id->tail, id->tlen);
}

/* Up to n bytes at off of a gzip stream read from fd's start. */
static ssize_t
gz_read_at(int fd, uint64_t off, void *b, size_t n)
{
	char skip[16384];
	int fd2 = dup(fd);
	gzFile gz = fd2 == -1 ? NULL : gzdopen(fd2, "rb");
	size_t have = 0;
	int k;

	if (gz == NULL) {
		if (fd2 != -1)
			close(fd2);
		return -1;
	}
	while (off > 0) {
		unsigned want =
		    off > sizeof(skip) ? sizeof(skip) : (unsigned)off;

		if ((k = gzread(gz, skip, want)) <= 0)
			break;
		off -= (uint64_t)k;
	}
	while (off == 0 && have < n &&
	    (k = gzread(gz, (char *)b + have, (unsigned)(n - have))) > 0)
		have += (size_t)k;
	gzclose(gz);
	return (ssize_t)have;
}

/* Up to n bytes at off of path (or fd), through zlib for a .gz name. */
static ssize_t
read_at(const char *path, int fd, uint64_t off, void *b, size_t n)
{
	int own = fd == -1;
	ssize_t k;

	if (own && (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return -1;
	if (follow_is_gz(path)) {
		k = lseek(fd, 0, SEEK_SET) == -1 ? -1
		                                 : gz_read_at(fd, off, b, n);
	} else {
		size_t have = 0;

		while (have < n &&
		    (k = pread(fd, (char *)b + have, n - have,
		         (off_t)(off + have))) > 0)
			have += (size_t)k;
		k = (ssize_t)have;
	}
	if (own)
		close(fd);
	return k;
}

int
follow_id_check(struct follow_id *id, int fd)
{
	unsigned char b[FP_MAX];
	struct stat st;
	ssize_t k;

	if (fstat(fd, &st) == -1 || (uint64_t)st.st_size < id->off)
		return -1;
	k = pread(fd, b, FP_MAX, 0);
	if (k < 0 || (size_t)k < id->fplen ||
	    follow_hash(b, id->fplen) != id->fphash)
		return -1;
	if ((size_t)k > id->fplen) {
		id->fplen = (uint32_t)k;
		id->fphash = follow_hash(b, (size_t)k);
	}
	if (id->tlen > 0) {
		unsigned char t[FP_MAX];

		if (pread(fd, t, id->tlen, (off_t)(id->off - id->tlen)) !=
		        (ssize_t)id->tlen ||
		    follow_hash(t, id->tlen) != id->thash)
			return -1;
	}
	return 0;
}

int
follow_id_match(struct follow_id *id, const char *path, int fd)
{
	unsigned char b[FP_MAX];
	size_t want = id->off < FP_MAX ? (size_t)id->off : FP_MAX;

	if (read_at(path, fd, 0, b, id->fplen) != (ssize_t)id->fplen ||
	    follow_hash(b, id->fplen) != id->fphash)
		return 0;
	/*
	 * The bytes before the offset: a bookmark of an older version has
	 * none (tlen 0), then only the file's length is checked.
	 */
	if (read_at(path, fd, id->off - want, b, want) != (ssize_t)want)
		return 0;
	if (id->tlen > want ||
	    follow_hash(b + want - id->tlen, id->tlen) != id->thash)
		return 0;
	memcpy(id->tail, b, want);
	id->tlen = (uint32_t)want;
	id->thash = follow_hash(b, want);
	return 1;
}

int
follow_bm_file_parse(const char *p, const char *end, struct follow_bm_file *out)
{
	uint64_t v[9];
	int k;

	if (end - p < 16)
		return -1;
	for (k = 0; k < 16; k++)
		if (!((p[k] >= '0' && p[k] <= '9') ||
		        (p[k] >= 'a' && p[k] <= 'f')))
			return -1;
	memcpy(out->key, p, 16);
	out->key[16] = '\0';
	p += 16;
	for (k = 0; k < 9; k++) {
		const char *q = p;

		if (cur_char(&q, end, ' ') == -1 ||
		    cur_u64(&q, end, &v[k]) == -1)
			break;
		p = q;
	}
	if ((k != 7 && k != 9) || p != end)
		return -1;
	if (k == 7) {
		v[7] = 0;
		v[8] = follow_hash("", 0);
	}
	if (v[3] > FP_MAX || v[5] > 1 || v[7] > FP_MAX || v[7] > v[2] ||
	    v[3] > UINT32_MAX)
		return -1;
	out->dev = v[0];
	out->ino = v[1];
	out->id.off = v[2];
	out->id.fplen = (uint32_t)v[3];
	out->id.fphash = v[4];
	out->skipping = (int)v[5];
	out->lineno = v[6];
	out->id.tlen = (uint32_t)v[7];
	out->id.thash = v[8];
	return 0;
}
