/*
 * child.h - the agent's unprivileged children: started by the root
 * parent, each with its end of a priv.h channel, supervised (a child
 * that dies is restarted with backoff, and its death is logged).
 *
 * A child is started by fork, then execve of the parent's own executable
 * (opened once through /proc/self/exe, and run from that descriptor)
 * with a hidden role argument, rather than by fork alone:
 *   - its address space is fresh: nothing of the root parent's memory
 *     (configuration, state, the event loop's and libc's state) is there
 *     for a compromised child to read or to rely on;
 *   - every restart has a new address-space layout, so a child that is
 *     crashed on purpose and restarted cannot be probed until its layout
 *     is learnt (what a forked worker allows);
 *   - it is the very binary the parent runs, even after a package upgrade
 *     replaced the file, so both ends agree on the messages' layout.
 *
 * Between fork and execve the child, still root, moves its channel to
 * descriptor 3, closes every other descriptor but 0..2 (0 and 1 on
 * /dev/null), resets signals, drops supplementary groups, sets its gid
 * and uid to the agent user's, empties the capability bounding and
 * ambient sets (and so has no capability left after the uid change) and
 * sets no_new_privs.  After execve, child_dispatch (the first thing main
 * calls) checks it is not root, names the process "sakimori-ROLE", asks
 * for SIGTERM when the parent dies, runs the role's prepare function and
 * installs the seccomp filter (child_seccomp) before the role's main
 * reads anything.
 *
 * Supervision: a child that exits or is killed is logged ("child 'logs'
 * killed by SIGSYS (bad system call); restarting in 1 s") and started
 * again after a delay of 1 s, doubled at each death up to 60 s, and back
 * to 1 s once a child has lived a minute.  A child that sends a malformed
 * message is killed (SIGKILL) and restarted the same way.
 *
 * The event loop drives a supervisor:
 *	s = child_sup_new(user, &parent_services, &err);
 *	child_sup_add(s, "logs", &err);          started now
 *	child_sup_fd(s, i)                       watch for reading, -1: none
 *	child_sup_readable(s, i);                when it is readable
 *	child_sup_reap(s, now);                  on SIGCHLD
 *	child_sup_tick(s, now);                  restarts due; returns the
 *	                                         seconds until the next one
 *	child_sup_free(s);                       stops the children
 * A child marked with child_sup_on_demand that exits with status 0 is
 * not restarted: child_sup_start starts it again when there is work.
 * The changed hook tells the loop when a child's descriptor changed.
 */
#ifndef AGENT_CHILD_H
#define AGENT_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct conf;
struct err;
struct priv_parent;

/* The agent user when "set agent-user" names none. */
#define CHILD_USER_DEFAULT "_sakimori"
/* The hidden argument of a child: "PROGRAM --priv-child ROLE". */
#define CHILD_ARG "--priv-child"
/* A child's end of its channel. */
#define CHILD_FD 3

/* A role that may open files read-only itself (a reader of /proc). */
#define CHILD_OPEN_RDONLY 0x1
/* A role that serves connections on a listening socket it was given. */
#define CHILD_SERVE 0x2

struct child_role {
	const char *name;
	unsigned flags; /* CHILD_OPEN_RDONLY, CHILD_SERVE */
	/*
	 * Runs as the agent user before the seccomp filter (may be NULL):
	 * what the filter forbids is done here.  0, or the exit status.
	 */
	int (*prepare)(void);
	/*
	 * The child's work on its channel; returns its exit status.  It
	 * returns when the channel ends (the parent is gone).
	 */
	int (*main)(int sock);
};

/*
 * When argv is a child's ("PROGRAM --priv-child ROLE"), becomes that
 * role and never returns; otherwise returns 0.  main calls it first.
 */
int child_dispatch(
    int argc, char **argv, const struct child_role *roles, size_t nroles);

/*
 * The seccomp filter of a child: the system calls a log-parsing process
 * needs on descriptors it has (read, write, recvmsg and sendmsg on the
 * channel, epoll, poll, inotify, memory without PROT_EXEC, clocks, futex,
 * fstat, lseek, exit) and nothing else: any other call kills the process
 * with SIGSYS.  With CHILD_OPEN_RDONLY in flags it may also open files
 * read-only (openat without a write mode, O_CREAT, O_TRUNC, O_APPEND or
 * O_TMPFILE), list directories, read links, statfs a filesystem and ask
 * sysinfo (glibc's qsort of a large table does): what reading /proc and
 * /sys and statvfs need.  With CHILD_SERVE it may accept connections on
 * a socket it has, set and read their options and shut them down (never
 * socket(2), connect or bind).  Built with AddressSanitizer
 * (-fsanitize=address), it also allows the calls the sanitizer's run-time
 * makes (reading its own maps, read-only; printing a report; aborting).
 * 0, or -1 with err.
 */
int child_seccomp(unsigned flags, struct err *err);

/* The agent user of c: "set agent-user", else CHILD_USER_DEFAULT. */
const char *child_user_name(const struct conf *c);

/*
 * The agent user's uid and gid.  A missing user is created with
 * useradd --system (no home, shell nologin) when create is set.  0, or
 * -1 with err ("user '_sakimori' does not exist", useradd's failure, or a
 * user that is root).
 */
int child_user(
    const char *name, int create, uid_t *uid, gid_t *gid, struct err *err);

struct child_sup;

/*
 * A supervisor whose children run as user (see child_user; created when
 * missing) and are served by p (kept, not copied); or, when this process
 * is not root and may not switch user, as its own user (logged), still
 * with no capability, no_new_privs and the filter.  NULL with err.
 */
struct child_sup *child_sup_new(
    const char *user, struct priv_parent *p, struct err *err);
/* Tells the event loop that child i's descriptor is now fd (-1: none). */
void child_sup_on_change(struct child_sup *s,
    void (*changed)(void *arg, size_t i, int fd), void *arg);
/*
 * Adds a child of the role name and starts it.  Its index (0, 1, ...)
 * and 0, or -1 with err (no such role is checked by the child itself:
 * it exits with status 64).
 */
int child_sup_add(struct child_sup *s, const char *role, struct err *err);
/*
 * Makes child i one started on demand: when it exits with status 0 (it
 * had nothing to do) it is not restarted, and stays stopped until
 * child_sup_start.  A death of any other kind is restarted as usual.
 */
void child_sup_on_demand(struct child_sup *s, size_t i);
/* Whether child i is neither running nor due to be restarted. */
int child_sup_stopped(const struct child_sup *s, size_t i);
/* Starts child i now if it is stopped (see child_sup_stopped); 0, or -1
 * with err. */
int child_sup_start(struct child_sup *s, size_t i, struct err *err);
size_t child_sup_count(const struct child_sup *s);
int child_sup_fd(const struct child_sup *s, size_t i);
pid_t child_sup_pid(const struct child_sup *s, size_t i);
const char *child_sup_name(const struct child_sup *s, size_t i);
/* How many times child i was started. */
unsigned child_sup_starts(const struct child_sup *s, size_t i);
/* Serves what child i sent (one message). */
void child_sup_readable(struct child_sup *s, size_t i);
/* Reaps the children that ended, logs why, schedules their restart. */
void child_sup_reap(struct child_sup *s, double now);
/* Starts the children whose restart is due; seconds to the next, or -1. */
double child_sup_tick(struct child_sup *s, double now);
/* Stops every child (SIGTERM, SIGKILL after 2 s), frees s. */
void child_sup_free(struct child_sup *s);

/*
 * The wait before restarting a child that died after living lived
 * seconds: *delay (1 s at first), or 1 s when it lived a minute; *delay
 * then doubles, up to 60 s.
 */
double child_backoff(double *delay, double lived);

/* "killed by SIGSYS (bad system call)", "exited with status 3". */
void child_status_text(int status, char *dst, size_t dstsz);

#endif
