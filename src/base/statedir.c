/*
 * statedir.c - the state directory's checks and safe opens (see
 * statedir.h).
 */
#include "base/statedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
/* To walk a path: search permission is enough. */
#define WALK_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/*
 * Whether the directory open as fd is safe to keep root's state under:
 * owned by root (the running user) and not writable by group or others,
 * unless sticky_ok and it is a root-owned sticky directory.  shown names
 * it in messages.
 */
static int
dir_safe(int fd, const char *shown, int sticky_ok, struct err *err)
{
	struct stat st;
	uid_t me = geteuid();

	if (fstat(fd, &st) == -1)
		return err_sys(err, errno, "cannot stat '%s'", shown);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ENOTDIR, "'%s' is not a directory", shown);
	if (me != 0)
		return 0;
	if (st.st_uid != me)
		return err_set(err, EPERM,
		    "unsafe state directory: '%s' is owned by uid %u, not "
		    "root",
		    shown, (unsigned)st.st_uid);
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(sticky_ok && (st.st_mode & S_ISVTX)))
		return err_set(err, EPERM,
		    "unsafe state directory: '%s' is writable by %s (mode "
		    "%04o); make it writable by root alone",
		    shown, st.st_mode & S_IWOTH ? "others" : "its group",
		    (unsigned)(st.st_mode & 07777));
	return 0;
}

int
statedir_resolve(const char *path, char *dst, size_t dstsz, struct err *err)
{
	char real[PATH_MAX], shown[PATH_MAX];
	size_t n;
	int fd;

	if (path == NULL || path[0] == '\0')
		return err_set(err, EINVAL, "empty state directory path");
	if (access(path, F_OK) == -1 && errno == ENOENT &&
	    dir_make(path, 0700, err) == -1)
		return -1;
	if (realpath(path, real) == NULL)
		return err_sys(
		    err, errno, "cannot resolve state directory '%s'", path);
	n = strlen(real);
	if (n >= dstsz)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", real);
	/* Each directory from the root down, none of them a link (realpath
	 * left none: one now is a race, refused by O_NOFOLLOW). */
	if ((fd = open("/", WALK_FLAGS)) == -1)
		return err_sys(err, errno, "cannot open '/'");
	if (dir_safe(fd, "/", 1, err) == -1)
		goto fail;
	for (size_t i = 1; i < n;) {
		size_t j = i;
		int nfd;

		while (j < n && real[j] != '/')
			j++;
		snprintf(shown, sizeof(shown), "%.*s", (int)j, real);
		real[j] = '\0';
		nfd = openat(fd, real + i, WALK_FLAGS);
		if (j < n)
			real[j] = '/';
		if (nfd == -1) {
			err_sys(err, errno, "cannot open '%s'", shown);
			goto fail;
		}
		close(fd);
		fd = nfd;
		if (dir_safe(fd, shown, j < n, err) == -1)
			goto fail;
		i = j + 1;
	}
	close(fd);
	memcpy(dst, real, n + 1);
	return 0;
fail:
	close(fd);
	return -1;
}

/* Opens (making it when create) the directory name inside fd. */
static int
sub_open(
    int fd, const char *name, const char *shown, int create, struct err *err)
{
	int nfd = openat(fd, name, DIR_FLAGS);

	if (nfd == -1 && errno == ENOENT && create) {
		if (mkdirat(fd, name, 0700) == -1 && errno != EEXIST)
			return err_sys(err, errno, "cannot create '%s'", shown);
		nfd = openat(fd, name, DIR_FLAGS);
	}
	if (nfd == -1) {
		if (errno == ELOOP || errno == ENOTDIR)
			return err_set(err, errno,
			    "'%s' is not a directory (a symbolic link is "
			    "not followed in the state directory)",
			    shown);
		return err_sys(err, errno, "cannot open '%s'", shown);
	}
	if (dir_safe(nfd, shown, 0, err) == -1) {
		close(nfd);
		return -1;
	}
	return nfd;
}

int
statedir_dir(
    const char *state_dir, const char *rel, int create, struct err *err)
{
	char shown[PATH_MAX], part[PATH_MAX];
	const char *p = rel ? rel : "";
	int fd;

	if (create && access(state_dir, F_OK) == -1 && errno == ENOENT &&
	    dir_make(state_dir, 0700, err) == -1)
		return -1;
	if ((fd = open(state_dir, DIR_FLAGS)) == -1)
		return err_sys(err, errno, "cannot open '%s'", state_dir);
	if (dir_safe(fd, state_dir, 0, err) == -1) {
		close(fd);
		return -1;
	}
	while (*p) {
		size_t k = strcspn(p, "/");
		int nfd;

		if (k == 0 || k >= sizeof(part)) {
			p += k + (p[k] == '/');
			continue;
		}
		memcpy(part, p, k);
		part[k] = '\0';
		snprintf(shown, sizeof(shown), "%s/%.*s", state_dir,
		    (int)(p + k - (rel ? rel : "")), rel ? rel : "");
		nfd = sub_open(fd, part, shown, create, err);
		close(fd);
		if (nfd == -1)
			return -1;
		fd = nfd;
		p += k + (p[k] == '/');
	}
	return fd;
}

int
statedir_open(const char *state_dir, const char *rel, int flags, unsigned mode,
    struct err *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(rel, '/'), *name = rel;
	int dfd, fd;

	dir[0] = '\0';
	if (slash) {
		if ((size_t)(slash - rel) >= sizeof(dir))
			return err_set(
			    err, ENAMETOOLONG, "path too long: '%s'", rel);
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
		name = slash + 1;
	}
	if ((dfd = statedir_dir(state_dir, dir, (flags & O_CREAT) != 0, err)) ==
	    -1)
		return -1;
	fd = openat(
	    dfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, (mode_t)mode);
	if (fd == -1) {
		int e = errno;

		close(dfd);
		if (e == ELOOP)
			return err_set(err, e,
			    "'%s/%s' is a symbolic link: not followed in the "
			    "state directory",
			    state_dir, rel);
		return err_sys(err, e, "cannot open '%s/%s'", state_dir, rel);
	}
	close(dfd);
	return fd;
}
