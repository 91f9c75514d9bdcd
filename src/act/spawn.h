/*
 * spawn.h - start a program without waiting for it: an argument vector
 * (never a shell), its input in a memory file given as stdin (so nothing
 * blocks on a pipe), optionally as another user, in a process group of
 * its own (so a timeout can signal all it started).  The caller reaps it
 * (waitpid on the pid, WNOHANG).
 */
#ifndef ACT_SPAWN_H
#define ACT_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

struct err;

#define SPAWN_MAX_GROUPS 64

struct spawn_spec {
	const char *path;  /* absolute */
	char *const *argv; /* argv[0] first, NULL-terminated */
	char *const *envp; /* NULL: this process's environment */
	const void *input; /* stdin's contents */
	size_t inlen;
	int devnull_stdout; /* stdout to /dev/null, else inherited */
	int as_user;        /* switch to uid, gid and groups */
	uid_t uid;
	gid_t gid;
	gid_t groups[SPAWN_MAX_GROUPS];
	size_t ngroups;
	const char *dir; /* working directory (NULL: "/") */
};

/*
 * Fills the user fields of s for the account name: its uid, primary
 * group and supplementary groups (looked up now, in this process, so that
 * the child does no name service lookups).  0, or -1 with err.
 */
int spawn_user(struct spawn_spec *s, const char *name, struct err *err);
/*
 * Starts the program; 0 and *pid, or -1 with err when it could not be
 * started (fork, the user switch or execve failed: the child's errno is
 * reported through a close-on-exec pipe, so err says which).
 */
int spawn_start(const struct spawn_spec *s, pid_t *pid, struct err *err);
/* "exit status 3", "signal 9" of a wait status. */
void spawn_status_text(int status, char *dst, size_t dstsz);

#endif
