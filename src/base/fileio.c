/*
 * fileio.c - reading and writing whole files (see fileio.h).
 */
#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "base/err.h"
#include "base/strbuf.h"

/* A source of bytes: a plain file descriptor or a gzip stream. */
struct src {
	int fd;
	gzFile gz; /* NULL for a plain file */
};

/* Up to n bytes; -1 with errno (EIO for a corrupt gzip stream). */
static ssize_t
src_read(struct src *s, char *buf, size_t n)
{
	int k;

	if (s->gz == NULL)
		return read(s->fd, buf, n);
	k = gzread(s->gz, buf, (unsigned)n);
	if (k < 0)
		errno = EIO;
	return k;
}

/* Reads the whole source into out, at most max bytes (see file_read). */
static int
read_all(struct src *s, const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err)
{
	char chunk[8192];

	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (out->len >= max) {
			/* One more byte tells a file of exactly max from a longer one. */
			if (truncated && src_read(s, chunk, 1) > 0)
				*truncated = 1;
			break;
		}
		if (want > max - out->len)
			want = max - out->len;
		n = src_read(s, chunk, want);
		if (n == -1) {
			if (errno == EINTR && s->gz == NULL)
				continue;
			return err_sys(err, errno, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		if (strbuf_add(out, chunk, (size_t)n) == -1)
			return err_set(err, ENOMEM, "'%s' is too large", path);
	}
	return 0;
}

/* Whether path names a gzip file by its suffix. */
static int
is_gz(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

static int
read_file(const char *path, int gunzip, size_t max, struct strbuf *out,
    int *truncated, struct err *err)
{
	struct src s = {.fd = -1, .gz = NULL};
	int rc;

	strbuf_reset(out);
	if (truncated)
		*truncated = 0;
	s.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (s.fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if (gunzip && (s.gz = gzdopen(s.fd, "rb")) == NULL) {
		close(s.fd);
		return err_set(err, ENOMEM, "cannot read '%s'", path);
	}
	rc = read_all(&s, path, max, out, truncated, err);
	if (s.gz)
		gzclose(s.gz); /* closes the descriptor too */
	else
		close(s.fd);
	return rc;
}

int
file_read(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	return read_file(path, 0, max, out, truncated, err);
}

int
file_read_any(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	return read_file(path, is_gz(path), max, out, truncated, err);
}

int
path_join(char *dst, size_t dstsz, const char *root, const char *path)
{
	size_t rl = root ? strlen(root) : 0, pl = strlen(path), slash;

	if (rl > 0 && root[rl - 1] == '/' && path[0] == '/')
		rl--;
	slash = rl > 0 && root[rl - 1] != '/' && path[0] != '/';
	if (rl + slash + pl >= dstsz) {
		if (dstsz > 0)
			dst[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	if (rl > 0)
		memmove(dst, root, rl);
	if (slash)
		dst[rl] = '/';
	memcpy(dst + rl + slash, path, pl + 1);
	return 0;
}

static int
fsync_dir_of(const char *path)
{
	char copy[PATH_MAX];
	int fd, rc;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return -1;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
file_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
    struct err *err)
{
	char tmp[PATH_MAX];
	const char *p = data;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    (mode_t)mode);
	if (fd == -1)
		return err_sys(err, errno, "cannot create '%s'", tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n == -1 ? errno : EIO;
			close(fd);
			unlink(tmp);
			return err_sys(err, e, "cannot write '%s'", tmp);
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		int e = errno;
		unlink(tmp);
		return err_sys(err, e, "cannot sync '%s'", tmp);
	}
	if (rename(tmp, path) == -1) {
		int e = errno;
		unlink(tmp);
		return err_sys(err, e, "cannot rename '%s' to '%s'", tmp, path);
	}
	fsync_dir_of(path);
	return 0;
}

int
dir_make(const char *path, unsigned mode, struct err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return err_set(
		    err, ENAMETOOLONG, "bad directory path '%s'", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) == -1 && errno != EEXIST)
			return err_sys(err, errno, "cannot create '%s'", buf);
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) == -1 && errno != EEXIST)
		return err_sys(err, errno, "cannot create '%s'", buf);
	return 0;
}
