/*
 * mail_queue.c - count postfix's deferred queue files (see mail_queue.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "mail/mail_queue.h"

/* Files under the directory open at fd, depth levels down at most. */
static int
count_dir(int fd, int depth, uint64_t *n)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;

	if (d == NULL) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL && *n < MAIL_QUEUE_MAX) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN && depth > 0)) {
			int sub = openat(dirfd(d), e->d_name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub == -1) {
				if (errno == ENOTDIR)
					(*n)++;
				continue;
			}
			if (depth > 0)
				(void)count_dir(sub, depth - 1, n);
			else
				close(sub);
			continue;
		}
		(*n)++;
	}
	closedir(d);
	return 0;
}

int
mail_queue_deferred(
    const char *root, const char *queue_dir, uint64_t *n, struct err *err)
{
	char rel[PATH_MAX], path[PATH_MAX];
	int fd;

	*n = 0;
	if (queue_dir == NULL || queue_dir[0] == '\0')
		queue_dir = "/var/spool/postfix";
	if ((size_t)snprintf(rel, sizeof(rel), "%s/deferred", queue_dir) >=
	        sizeof(rel) ||
	    path_join(path, sizeof(path), root, rel) == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", rel);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return err_sys(err, errno, "cannot open '%s'", path);
	if (count_dir(fd, 3, n) == -1)
		return err_sys(err, errno, "cannot read '%s'", path);
	return 0;
}
