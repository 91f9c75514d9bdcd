/*
 * procfd.h - which process holds a socket: a map from socket inode to the
 * process (pid, uid, comm, exe) built from /proc/PID/fd/N links
 * ("socket:[INODE]").  Processes that vanish during the scan and entries
 * that cannot be read (another user's, hidepid) are skipped and counted.
 * When several processes hold one socket (a forking server's workers),
 * the lowest PID (usually the parent) is kept.
 */
#ifndef COLLECT_PROCFD_H
#define COLLECT_PROCFD_H

#include <stddef.h>
#include <stdint.h>

#include "base/hmap.h"

struct err;

struct procfd_owner {
	uint64_t inode;
	int pid;
	uint32_t uid;
	char comm[32]; /* /proc/PID/comm, raw (escape when printing) */
	char exe[256]; /* readlink /proc/PID/exe; "" when unreadable */
};

struct procfd_map {
	struct procfd_owner *v;
	size_t n, cap;
	struct hmap by_inode; /* inode (8 bytes) -> index + 1 */
	unsigned skipped;     /* processes that vanished or could not be read */
	struct hmap denied;   /* pid (int) -> 1: fd directory not ours to read
	                         (EACCES, EPERM), not gone */
};

/*
 * Parses a /proc/PID/fd link target "socket:[12345]" (pure).
 * 0 and *inode, or -1 when it is not a socket.
 */
int procfd_parse_link(const char *s, size_t n, uint64_t *inode);
/* Scans ROOT/proc.  0, or -1 with err when /proc cannot be listed. */
int procfd_map_build(struct procfd_map *m, const char *root, struct err *err);
/*
 * The same for the processes whose comm is one of comms (a NULL-terminated
 * list; NULL: every process): only their descriptors are read.
 */
int procfd_map_build_for(struct procfd_map *m, const char *root,
    const char *const *comms, struct err *err);
/*
 * The same for the processes pids (n of them), listed by the caller from
 * a process table it has already read: /proc is not listed again.
 */
int procfd_map_build_pids(struct procfd_map *m, const char *root,
    const int *pids, size_t n, struct err *err);
/*
 * The socket inodes among ROOT/proc/PID/fd (at most max into out, *n how
 * many).  0, or -1 with err (errno EACCES or EPERM: not ours to read;
 * ENOENT: gone).
 */
int procfd_pid_sockets(const char *root, int pid, uint64_t *out, size_t max,
    size_t *n, struct err *err);
const struct procfd_owner *procfd_map_find(
    const struct procfd_map *m, uint64_t inode);
void procfd_map_release(struct procfd_map *m);

#endif
