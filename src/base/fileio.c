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

int
file_read(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	char chunk[8192];
	int fd;

	strbuf_reset(out);
	if (truncated)
		*truncated = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (out->len >= max) {
			/* One more byte tells a file of exactly max from a longer one. */
			if (truncated && read(fd, chunk, 1) > 0)
				*truncated = 1;
			break;
		}
		if (want > max - out->len)
			want = max - out->len;
		n = read(fd, chunk, want);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			return err_sys(err, e, "cannot read '%s'", path);
		}
		if (n == 0)
			break;
		if (strbuf_add(out, chunk, (size_t)n) == -1) {
			close(fd);
			return err_set(err, ENOMEM, "'%s' is too large", path);
		}
	}
	close(fd);
	if (out->p == NULL)
		strbuf_add(out, "", 0);
	return 0;
}

/* Whether path names a gzip file by its suffix. */
static int
is_gz(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

int
file_read_any(const char *path, size_t max, struct strbuf *out, int *truncated,
    struct err *err)
{
	char chunk[8192];
	gzFile gz;
	int fd;

	if (!is_gz(path))
		return file_read(path, max, out, truncated, err);
	strbuf_reset(out);
	if (truncated)
		*truncated = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if ((gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		return err_set(err, ENOMEM, "cannot read '%s'", path);
	}
	for (;;) {
		size_t want = sizeof(chunk);
		int n;

		if (out->len >= max) {
			if (truncated && gzread(gz, chunk, 1) > 0)
				*truncated = 1;
			break;
		}
		if (want > max - out->len)
			want = max - out->len;
		n = gzread(gz, chunk, (unsigned)want);
		if (n < 0) {
			int e;
			const char *why = gzerror(gz, &e);

			err_set(err, EIO, "cannot decompress '%s': %s", path,
			    why ? why : "error");
			gzclose(gz);
			return -1;
		}
		if (n == 0)
			break;
		if (strbuf_add(out, chunk, (size_t)n) == -1) {
			gzclose(gz);
			return err_set(err, ENOMEM, "'%s' is too large", path);
		}
	}
	gzclose(gz);
	if (out->p == NULL)
		strbuf_add(out, "", 0);
	return 0;
}

int
path_join(char *dst, size_t dstsz, const char *root, const char *path)
{
	int n;

	if (root == NULL || root[0] == '\0' ||
	    (root[0] == '/' && root[1] == '\0'))
		n = snprintf(dst, dstsz, "%s", path);
	else
		n = snprintf(dst, dstsz, "%s%s%s", root,
		    path[0] == '/' ? "" : "/", path);
	return n < 0 || (size_t)n >= dstsz ? -1 : 0;
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
