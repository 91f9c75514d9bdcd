/*
 * procfd.c - socket inode to process map from /proc/PID/fd (see procfd.h).
 */
#include "collect/procfd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

int
procfd_parse_link(const char *s, size_t n, uint64_t *inode)
{
	const char *cur = s, *end = s + n;
	uint64_t v;

	if (cur_lit(&cur, end, "socket:[") == -1 ||
	    cur_u64(&cur, end, &v) == -1 || cur_char(&cur, end, ']') == -1 ||
	    cur != end || v == 0)
		return -1;
	*inode = v;
	return 0;
}

static int
add(struct procfd_map *m, const struct procfd_owner *o)
{
	struct hmap_entry *e;
	int created;

	e = hmap_put(&m->by_inode, &o->inode, sizeof(o->inode), &created);
	if (e == NULL)
		return -1;
	if (!created) {
		/* readdir order is not PID order everywhere: keep the lowest. */
		struct procfd_owner *cur = &m->v[e->val.u - 1];

		if (o->pid < cur->pid)
			*cur = *o;
		return 0;
	}
	if (mem_grow(&m->v, &m->cap, m->n + 1, sizeof(*m->v)) == -1)
		return -1;
	m->v[m->n++] = *o;
	e->val.u = m->n;
	return 0;
}

/* Fills the process part of o (comm, exe, uid) for pid; -1 if it vanished. */
static int
process(int procfd, const char *pid, struct procfd_owner *o)
{
	char path[64], buf[256];
	struct stat st;
	ssize_t n;
	int fd;

	memset(o, 0, sizeof(*o));
	o->pid = (int)strtol(pid, NULL, 10);
	if (fstatat(procfd, pid, &st, 0) == -1)
		return -1;
	o->uid = st.st_uid;
	snprintf(path, sizeof(path), "%s/comm", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd != -1) {
		n = read(fd, buf, sizeof(o->comm) - 1);
		close(fd);
		if (n > 0) {
			if (buf[n - 1] == '\n')
				n--;
			memcpy(o->comm, buf, (size_t)n);
			o->comm[n] = '\0';
		}
	}
	snprintf(path, sizeof(path), "%s/exe", pid);
	n = readlinkat(procfd, path, o->exe, sizeof(o->exe) - 1);
	o->exe[n > 0 ? n : 0] = '\0';
	return 0;
}

/* Records pid as one whose descriptors could not be read. */
static void
note_denied(struct procfd_map *m, const char *pid)
{
	int id = (int)strtol(pid, NULL, 10), created;

	(void)hmap_put(&m->denied, &id, sizeof(id), &created);
}

/* 1 when comm is one of names (NULL: any). */
static int
comm_wanted(const char *comm, const char *const *names)
{
	if (names == NULL)
		return 1;
	for (size_t i = 0; names[i] != NULL; i++)
		if (strcmp(comm, names[i]) == 0)
			return 1;
	return 0;
}

int
procfd_map_build(struct procfd_map *m, const char *root, struct err *err)
{
	return procfd_map_build_for(m, root, NULL, err);
}

/* The next socket among the links of an fd directory: 1 and *ino, 0 at
 * its end. */
static int
next_socket(DIR *d, uint64_t *ino)
{
	struct dirent *fe;

	while ((fe = readdir(d)) != NULL) {
		char target[64];
		ssize_t n;

		if (fe->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), fe->d_name, target, sizeof(target));
		if (n > 0 && n < (ssize_t)sizeof(target) &&
		    procfd_parse_link(target, (size_t)n, ino) == 0)
			return 1;
	}
	return 0;
}

/*
 * Adds the sockets among procfd's PID/fd to m (o: the process part when
 * have_proc, else read on the first socket).  0, or -1 out of memory.
 */
static int
scan_pid(struct procfd_map *m, int procfd, const char *pid,
    struct procfd_owner *o, int have_proc)
{
	char fdpath[64];
	uint64_t ino;
	DIR *fdd;
	int dfd;

	if (path_join(fdpath, sizeof(fdpath), pid, "fd") == -1)
		return 0;
	dfd = openat(procfd, fdpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1 || (fdd = fdopendir(dfd)) == NULL) {
		if (dfd == -1 && (errno == EACCES || errno == EPERM))
			note_denied(m, pid);
		if (dfd != -1)
			close(dfd);
		m->skipped++; /* vanished, or not ours to read */
		return 0;
	}
	while (next_socket(fdd, &ino)) {
		if (!have_proc) {
			if (process(procfd, pid, o) == -1)
				break;
			have_proc = 1;
		}
		o->inode = ino;
		if (add(m, o) == -1) {
			closedir(fdd);
			return -1;
		}
	}
	closedir(fdd);
	return 0;
}

/* Opens ROOT/proc for a map: its descriptor, or -1 with err. */
static int
map_open(struct procfd_map *m, const char *root, struct err *err)
{
	char procpath[PATH_MAX];
	int procfd;

	memset(m, 0, sizeof(*m));
	hmap_init(&m->by_inode);
	hmap_init(&m->denied);
	if (path_join(procpath, sizeof(procpath), root, "/proc") == -1)
		return err_set(err, ENAMETOOLONG, "path too long");
	procfd = open(procpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd == -1)
		return err_sys(err, errno, "cannot open '%s'", procpath);
	return procfd;
}

int
procfd_map_build_for(struct procfd_map *m, const char *root,
    const char *const *comms, struct err *err)
{
	char procpath[PATH_MAX];
	struct dirent *de;
	int procfd;
	DIR *d;

	if ((procfd = map_open(m, root, err)) == -1)
		return -1;
	d = fdopendir(dup(procfd));
	if (d == NULL) {
		(void)path_join(procpath, sizeof(procpath), root, "/proc");
		close(procfd);
		return err_sys(err, errno, "cannot list '%s'", procpath);
	}
	while ((de = readdir(d)) != NULL) {
		struct procfd_owner o;
		int have_proc = 0;

		if (!collect_is_pid(de->d_name))
			continue;
		if (comms != NULL) {
			/* only the named programs: their fds alone are read */
			if (process(procfd, de->d_name, &o) == -1 ||
			    !comm_wanted(o.comm, comms))
				continue;
			have_proc = 1;
		}
		if (scan_pid(m, procfd, de->d_name, &o, have_proc) == -1) {
			closedir(d);
			close(procfd);
			return err_set(err, ENOMEM, "out of memory");
		}
	}
	closedir(d);
	close(procfd);
	return 0;
}

int
procfd_map_build_pids(struct procfd_map *m, const char *root, const int *pids,
    size_t n, struct err *err)
{
	int procfd;

	if ((procfd = map_open(m, root, err)) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct procfd_owner o;
		char pid[24];

		snprintf(pid, sizeof(pid), "%d", pids[i]);
		if (process(procfd, pid, &o) == -1) {
			m->skipped++; /* gone since it was listed */
			continue;
		}
		if (scan_pid(m, procfd, pid, &o, 1) == -1) {
			close(procfd);
			return err_set(err, ENOMEM, "out of memory");
		}
	}
	close(procfd);
	return 0;
}

int
procfd_pid_sockets(const char *root, int pid, uint64_t *out, size_t max,
    size_t *n, struct err *err)
{
	char path[PATH_MAX], rel[64];
	uint64_t ino;
	DIR *d;

	*n = 0;
	snprintf(rel, sizeof(rel), "/proc/%d/fd", pid);
	if (path_join(path, sizeof(path), root, rel) == -1)
		return err_set(err, ENAMETOOLONG, "path too long");
	if ((d = opendir(path)) == NULL)
		return err_sys(err, errno, "cannot open '%s'", path);
	while (*n < max && next_socket(d, &ino))
		out[(*n)++] = ino;
	closedir(d);
	return 0;
}

const struct procfd_owner *
procfd_map_find(const struct procfd_map *m, uint64_t inode)
{
	const struct hmap_entry *e =
	    hmap_get(&m->by_inode, &inode, sizeof(inode));

	return e ? &m->v[e->val.u - 1] : NULL;
}

void
procfd_map_release(struct procfd_map *m)
{
	free(m->v);
	hmap_release(&m->by_inode);
	hmap_release(&m->denied);
	memset(m, 0, sizeof(*m));
}
