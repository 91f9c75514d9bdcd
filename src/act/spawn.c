/*
 * spawn.c - start a program with a memory file as stdin (see spawn.h).
 */
#include "act/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/err.h"

extern char **environ;

int
spawn_user(struct spawn_spec *s, const char *name, struct err *err)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int n = SPAWN_MAX_GROUPS;
	int rc = getpwnam_r(name, &pw, buf, sizeof(buf), &res);

	if (res == NULL)
		return err_set(err, rc ? rc : ENOENT, "no user '%s'%s%s", name,
		    rc ? ": " : "", rc ? strerror(rc) : "");
	s->as_user = 1;
	s->uid = pw.pw_uid;
	s->gid = pw.pw_gid;
	if (getgrouplist(name, pw.pw_gid, s->groups, &n) == -1)
		n = SPAWN_MAX_GROUPS; /* more than fit: the first ones */
	s->ngroups = (size_t)n;
	return 0;
}

/* In the child: reports errno e on fd and exits. */
static void __attribute__((noreturn)) child_fail(int fd, int step, int e)
{
	int msg[2] = {step, e};

	(void)!write(fd, msg, sizeof(msg));
	_exit(127);
}

enum {
	STEP_STDIN,
	STEP_STDOUT,
	STEP_GROUPS,
	STEP_GID,
	STEP_UID,
	STEP_DIR,
	STEP_EXEC
};

static const char *const step_what[] = {"its input", "its output",
    "the user's groups", "the user's group", "the user", "its directory", NULL};

int
spawn_start(const struct spawn_spec *s, pid_t *pid, struct err *err)
{
	int in, ep[2], msg[2];
	ssize_t r;
	pid_t p;

	if ((in = memfd_create("sakimori-input", MFD_CLOEXEC)) == -1)
		return err_sys(err, errno, "cannot make a memory file");
	for (size_t off = 0; off < s->inlen;) {
		ssize_t w =
		    write(in, (const char *)s->input + off, s->inlen - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;

			close(in);
			return err_sys(err, e, "cannot write a memory file");
		}
		off += (size_t)w;
	}
	if (lseek(in, 0, SEEK_SET) == -1 || pipe2(ep, O_CLOEXEC) == -1) {
		int e = errno;

		close(in);
		return err_sys(err, e, "cannot make a pipe");
	}
	if ((p = fork()) == -1) {
		int e = errno;

		close(in);
		close(ep[0]);
		close(ep[1]);
		return err_sys(err, e, "cannot fork");
	}
	if (p == 0) {
		sigset_t none;
		int nul;

		close(ep[0]);
		/* Its own process group: a timeout signals what it started. */
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				signal(sig, SIG_DFL);
		if (dup2(in, 0) == -1)
			child_fail(ep[1], STEP_STDIN, errno);
		if (s->devnull_stdout) {
			if ((nul = open("/dev/null", O_WRONLY)) == -1 ||
			    dup2(nul, 1) == -1)
				child_fail(ep[1], STEP_STDOUT, errno);
		}
		/* Nothing else of ours leaks into the program. */
		if (ep[1] > 3)
			close_range(3, (unsigned)ep[1] - 1, 0);
		close_range((unsigned)ep[1] + 1, ~0U, 0);
		if (s->as_user) {
			if (setgroups(s->ngroups, s->groups) == -1)
				child_fail(ep[1], STEP_GROUPS, errno);
			if (setgid(s->gid) == -1)
				child_fail(ep[1], STEP_GID, errno);
			if (setuid(s->uid) == -1)
				child_fail(ep[1], STEP_UID, errno);
			/* Not able to take root back. */
			if (s->uid != 0 && setuid(0) == 0)
				child_fail(ep[1], STEP_UID, EPERM);
		}
		if (chdir(s->dir ? s->dir : "/") == -1)
			child_fail(ep[1], STEP_DIR, errno);
		execve(s->path, s->argv, s->envp ? s->envp : environ);
		child_fail(ep[1], STEP_EXEC, errno);
	}
	close(in);
	close(ep[1]);
	/* Until execve closes the pipe (or the child reports why not). */
	do
		r = read(ep[0], msg, sizeof(msg));
	while (r == -1 && errno == EINTR);
	close(ep[0]);
	if (r == (ssize_t)sizeof(msg)) {
		int status;

		while (waitpid(p, &status, 0) == -1 && errno == EINTR)
			;
		if (msg[0] < 0 || msg[0] > STEP_EXEC)
			msg[0] = STEP_EXEC;
		if (step_what[msg[0]] == NULL)
			return err_sys(err, msg[1], "cannot run '%s'", s->path);
		return err_sys(err, msg[1], "cannot run '%s' (setting %s)",
		    s->path, step_what[msg[0]]);
	}
	*pid = p;
	return 0;
}

void
spawn_status_text(int status, char *dst, size_t dstsz)
{
	if (WIFEXITED(status))
		str_printf(dst, dstsz, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		str_printf(dst, dstsz, "signal %d (%s)", WTERMSIG(status),
		    sigabbrev_np(WTERMSIG(status))
		        ? sigabbrev_np(WTERMSIG(status))
		        : "?");
	else
		str_printf(dst, dstsz, "status %d", status);
}
