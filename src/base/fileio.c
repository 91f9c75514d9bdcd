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

#include "base/err.h"
#include "base/linesrc.h"
#include "base/strbuf.h"

/* Reads up to max bytes with rd into out (see file_read). */
static int
read_all(ssize_t (*rd)(void *src, char *buf, size_t n, struct err *err),
    void *src, const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	char chunk[8192];

	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (out->len >= max) {
			/* One more byte tells a file of exactly max from a longer one. */
			if (truncated && rd(src, chunk, 1, NULL) > 0)
				*truncated = 1;
			break;
		}
		if (want > max - out->len)
			want = max - out->len;
		n = rd(src, chunk, want, err);
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		if (strbuf_add(out, chunk, (size_t)n) == -1)
			return err_set(err, ENOMEM, "'%s' is too large", path);
	}
	return 0;
}

struct fd_src {
	int fd;
	const char *path;
};

static ssize_t
fd_read(void *src, char *buf, size_t n, struct err *err)
{
	struct fd_src *s = src;

	for (;;) {
		ssize_t k = read(s->fd, buf, n);

		if (k >= 0)
			return k;
		if (errno != EINTR)
			return err_sys(err, errno, "cannot read '%s'", s->path);
	}
}

static ssize_t
ls_read(void *src, char *buf, size_t n, struct err *err)
{
	return linesrc_read(src, buf, n, err);
}

static int
read_fd(int fd, const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err)
{
	struct fd_src s = {fd, path};
	int rc;

	strbuf_reset(out);
	if (truncated)
		*truncated = 0;
	rc = read_all(fd_read, &s, path, max, out, truncated, err);
	close(fd);
	return rc;
}

static int
read_file(const char *path, int flags, size_t max, struct strbuf *out,
    int *truncated, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | flags);

	if (fd == -1) {
		strbuf_reset(out);
		if (errno == ELOOP && (flags & O_NOFOLLOW))
			return err_set(err, ELOOP,
			    "cannot open '%s': a symbolic link, not followed",
			    path);
		return err_sys(err, errno, "cannot open '%s'", path);
	}
	return read_fd(fd, path, max, out, truncated, err);
}

int
file_read(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	return read_file(path, 0, max, out, truncated, err);
}

int
file_read_nofollow(const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err)
{
	return read_file(path, O_NOFOLLOW, max, out, truncated, err);
}

int
file_read_fd(int fd, const char *path, size_t max, struct strbuf *out,
    int *truncated, struct err *err)
{
	return read_fd(fd, path, max, out, truncated, err);
}

int
file_read_any(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	struct linesrc ls;
	struct stat st;
	int fd, rc;

	strbuf_reset(out);
	if (truncated)
		*truncated = 0;
	if ((fd = linesrc_open_path(path, &st, err)) == -1 ||
	    linesrc_open_fd(&ls, fd, path, NULL, err) == -1)
		return -1;
	rc = read_all(ls_read, &ls, path, max, out, truncated, err);
	linesrc_close(&ls);
	return rc;
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
write_at(int dirfd, const char *dir, const char *name, const void *data,
    size_t len, unsigned mode, unsigned flags, struct err *err)
{
	char tmp[NAME_MAX + 32];
	const char *p = data;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", name, (long)getpid()) >=
	    (int)sizeof(tmp))
		return err_set(err, ENAMETOOLONG, "name too long: '%s'", name);
	fd = openat(dirfd, tmp,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    (mode_t)mode);
	if (fd == -1)
		return err_sys(err, errno, "cannot create '%s/%s'", dir, tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n == -1 ? errno : EIO;
			close(fd);
			unlinkat(dirfd, tmp, 0);
			return err_sys(
			    err, e, "cannot write '%s/%s'", dir, tmp);
		}
		p += n;
		len -= (size_t)n;
	}
	if ((!(flags & FILE_NOSYNC) && fsync(fd) == -1) || close(fd) == -1) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return err_sys(err, e, "cannot sync '%s/%s'", dir, tmp);
	}
	if (renameat(dirfd, tmp, dirfd, name) == -1) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return err_sys(err, e, "cannot rename '%s/%s' to '%s/%s'", dir,
		    tmp, dir, name);
	}
	if (!(flags & FILE_NOSYNC))
		fsync(dirfd);
	return 0;
}

int
file_write_atomic_at(int dirfd, const char *dir, const char *name,
    const void *data, size_t len, unsigned mode, struct err *err)
{
	return write_at(dirfd, dir, name, data, len, mode, 0, err);
}

int
file_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
    struct err *err)
{
	return file_write_atomic_flags(path, data, len, mode, 0, err);
}

int
file_write_atomic_flags(const char *path, const void *data, size_t len,
    unsigned mode, unsigned flags, struct err *err)
{
	char copy[PATH_MAX], copy2[PATH_MAX];
	const char *dir, *name;
	int dfd, rc;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", path);
	memcpy(copy2, copy, sizeof(copy));
	dir = dirname(copy);
	name = basename(copy2);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1)
		return err_sys(err, errno, "cannot open '%s'", dir);
	rc = write_at(dfd, strcmp(dir, "/") ? dir : "", name, data, len, mode,
	    flags, err);
	close(dfd);
	return rc;
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
