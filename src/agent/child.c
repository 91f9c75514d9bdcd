/*
 * child.c - starting the agent's unprivileged children (fork, drop to the
 * agent user, execve of the parent's own executable), becoming one
 * (child_dispatch), and supervising them: restart with backoff, every
 * death logged (agent/child.h).
 */
#include "agent/child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/priv.h"
#include "base/bounded.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "conf/conf.h"

extern char **environ;

#define DELAY_FIRST 1.0
#define DELAY_MAX 60.0
#define HEALTHY_SECS 60.0
#define EXE_FD 4 /* the executable, between fork and execve */

struct child {
	char name[32];
	pid_t pid; /* 0: not running */
	int sock;  /* the parent's end; -1: none */
	double started;
	double restart_at; /* 0: no restart pending */
	double delay;      /* before the next restart */
	unsigned starts;
	int on_demand; /* exit status 0: not restarted (child_sup_start) */
};

struct child_sup {
	uid_t uid;
	gid_t gid;
	int same_user; /* not root: the children keep the parent's user */
	int exe;       /* /proc/self/exe, opened at start */
	struct priv_parent *p;
	struct child *c;
	size_t n, cap;
	void (*changed)(void *arg, size_t i, int fd);
	void *arg;
};

double
child_backoff(double *delay, double lived)
{
	double wait;

	if (lived >= HEALTHY_SECS || *delay < DELAY_FIRST)
		*delay = DELAY_FIRST;
	wait = *delay;
	*delay = wait * 2 > DELAY_MAX ? DELAY_MAX : wait * 2;
	return wait;
}

void
child_status_text(int status, char *dst, size_t dstsz)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *abbr = sigabbrev_np(sig);
		const char *descr = sigdescr_np(sig);
		char low[64];
		size_t i;

		str_copy(low, sizeof(low), descr != NULL ? descr : "unknown");
		for (i = 0; low[i] != '\0'; i++)
			if (low[i] >= 'A' && low[i] <= 'Z')
				low[i] = (char)(low[i] - 'A' + 'a');
		if (abbr != NULL)
			str_printf(
			    dst, dstsz, "killed by SIG%s (%s)", abbr, low);
		else
			str_printf(dst, dstsz, "killed by signal %d", sig);
	} else if (WIFEXITED(status))
		str_printf(
		    dst, dstsz, "exited with status %d", WEXITSTATUS(status));
	else
		str_printf(dst, dstsz, "ended (wait status %d)", status);
}

/* A user name useradd takes, and that cannot pass for an option. */
static int
good_user_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		        *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* useradd --system, never through a shell. */
static int
user_create(const char *name, struct err *err)
{
	static const char useradd[] = "/usr/sbin/useradd";
	char *argv[] = {"useradd", "--system", "--no-create-home", "--home-dir",
	    "/nonexistent", "--shell", "/usr/sbin/nologin", "--user-group",
	    (char *)name, NULL};
	char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	char why[64];
	pid_t pid;
	int rc, st;

	rc = posix_spawn(&pid, useradd, NULL, NULL, argv, envp);
	if (rc != 0)
		return err_sys(err, rc,
		    "cannot create user '%s': cannot run "
		    "'%s'",
		    name, useradd);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return err_sys(
			    err, errno, "cannot create user '%s'", name);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		child_status_text(st, why, sizeof(why));
		return err_set(
		    err, 0, "cannot create user '%s': useradd %s", name, why);
	}
	return 0;
}

const char *
child_user_name(const struct conf *c)
{
	return conf_setting(c, "agent-user", CHILD_USER_DEFAULT);
}

int
child_user(
    const char *name, int create, uid_t *uid, gid_t *gid, struct err *err)
{
	struct passwd *pw;

	if (!good_user_name(name))
		return err_set(err, EINVAL,
		    "'%s' is not a user name for the "
		    "agent's children",
		    name);
	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL && errno != 0 && errno != ENOENT && errno != ESRCH)
		return err_sys(err, errno, "cannot look up user '%s'", name);
	if (pw == NULL) {
		if (!create)
			return err_set(
			    err, ENOENT, "user '%s' does not exist", name);
		if (user_create(name, err) == -1)
			return -1;
		if ((pw = getpwnam(name)) == NULL)
			return err_set(err, ENOENT,
			    "user '%s' does not exist "
			    "after useradd",
			    name);
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		return err_set(err, EPERM,
		    "user '%s' is root or in group "
		    "root: the agent's children must not "
		    "be",
		    name);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/*
 * Drops everything root has, for good: groups, gid, the capability
 * bounding and ambient sets, uid (which empties the permitted and
 * effective sets), and sets no_new_privs.  With same_user (a parent that
 * is not root, which may not switch user) only the capabilities it may
 * have and no_new_privs.  0, or -1 with *why.
 */
static int
drop_privileges(uid_t uid, gid_t gid, int same_user, const char **why)
{
	cap_t none;
	int rc;

	if (same_user)
		goto caps;
	if (setgroups(0, NULL) == -1)
		return *why = "setgroups", -1;
	if (setresgid(gid, gid, gid) == -1)
		return *why = "setresgid", -1;
	for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits(); c++)
		if (cap_drop_bound(c) == -1 && errno != EINVAL)
			return *why = "cap_drop_bound", -1;
	if (cap_reset_ambient() == -1 && errno != EINVAL)
		return *why = "cap_reset_ambient", -1;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1)
		return *why = "PR_SET_KEEPCAPS", -1;
	if (setresuid(uid, uid, uid) == -1)
		return *why = "setresuid", -1;
caps:
	if ((none = cap_init()) == NULL)
		return *why = "cap_init", -1;
	rc = cap_set_proc(none);
	cap_free(none);
	if (rc == -1)
		return *why = "cap_set_proc", -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return *why = "PR_SET_NO_NEW_PRIVS", -1;
	/* the way back must be closed */
	if (setuid(0) == 0 || getuid() == 0 || geteuid() == 0)
		return errno = EPERM, *why = "setuid(0) still works", -1;
	return 0;
}

/* In the forked child: becomes the role's process.  Never returns. */
static void __attribute__((noreturn))
child_exec(const struct child_sup *s, int sock, const char *role)
{
	char name[16];
	/* argv[0] is the child's name (sakimori-logs ...), as its comm will
	 * be: ps shows which child it is, and a process check does not take
	 * a program calling itself by another name for one in disguise. */
	char *argv[] = {name, CHILD_ARG, (char *)role, NULL};
	const char *why = "open /dev/null";
	sigset_t none;
	int null, ch, exe;

	str_printf(name, sizeof(name), "sakimori-%s", role);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	if ((null = open("/dev/null", O_RDWR)) == -1)
		goto fail;
	why = "dup";
	ch = fcntl(sock, F_DUPFD, 10);
	exe = fcntl(s->exe, F_DUPFD, 10);
	if (ch == -1 || exe == -1 || dup2(null, 0) == -1 ||
	    dup2(null, 1) == -1 || dup2(ch, CHILD_FD) == -1 ||
	    dup2(exe, EXE_FD) == -1 || fcntl(EXE_FD, F_SETFD, FD_CLOEXEC) == -1)
		goto fail;
	why = "close_range";
	if (close_range(EXE_FD + 1, ~0U, 0) == -1)
		goto fail;
	if (drop_privileges(s->uid, s->gid, s->same_user, &why) == -1)
		goto fail;
	why = "execve";
	syscall(SYS_execveat, EXE_FD, "", argv, environ, AT_EMPTY_PATH);
fail:
	log_warn("cannot start child '%s': %s", role, why);
	_exit(71);
}

int
child_dispatch(
    int argc, char **argv, const struct child_role *roles, size_t nroles)
{
	const struct child_role *r = NULL;
	struct err err = {0};
	char name[16];
	struct stat st;
	int rc;

	if (argc < 2 || strcmp(argv[1], CHILD_ARG) != 0)
		return 0;
	if (argc != 3) {
		log_warnx(
		    "usage: %s ROLE (started by the agent only)", CHILD_ARG);
		_exit(64);
	}
	for (size_t i = 0; i < nroles && r == NULL; i++)
		if (strcmp(roles[i].name, argv[2]) == 0)
			r = &roles[i];
	if (r == NULL) {
		log_warnx("unknown child role '%s'", argv[2]);
		_exit(64);
	}
	if (getuid() == 0 || geteuid() == 0) {
		log_warnx("child '%s': refusing to run as root", r->name);
		_exit(77);
	}
	if (fstat(CHILD_FD, &st) == -1 || !S_ISSOCK(st.st_mode)) {
		log_warnx("child '%s': descriptor %d is not the agent's "
		          "channel",
		    r->name, CHILD_FD);
		_exit(64);
	}
	str_printf(name, sizeof(name), "sakimori-%s", r->name);
	(void)prctl(PR_SET_NAME, name, 0, 0, 0);
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (r->prepare != NULL && (rc = r->prepare()) != 0)
		_exit(rc & 255);
	if (child_seccomp(r->flags, &err) == -1) {
		log_warnx("child '%s': %s", r->name, err.msg);
		_exit(71);
	}
	rc = r->main(CHILD_FD);
	_exit(rc & 255);
}

struct child_sup *
child_sup_new(const char *user, struct priv_parent *p, struct err *err)
{
	struct child_sup *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		err_sys(err, errno, "supervisor");
		return NULL;
	}
	s->p = p;
	/* libcap is loaded here, before any fork: a child drops its
	 * capabilities between fork and exec, no place for dlopen. */
	if (dynlib_require(DYNLIB_CAP, err) == -1) {
		free(s);
		return NULL;
	}
	if (geteuid() != 0) {
		/* no right to switch user: the children run as this one
		 * (said once, whatever the supervisors) */
		static int said;

		s->same_user = 1;
		s->uid = getuid();
		s->gid = getgid();
		if (!said++)
			log_warnx(
			    "not running as root: the agent's children run as "
			    "the invoking user (uid %u), with no_new_privs and "
			    "the seccomp filter",
			    (unsigned)s->uid);
	} else if (child_user(user, 1, &s->uid, &s->gid, err) == -1) {
		free(s);
		return NULL;
	}
	s->exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (s->exe == -1) {
		err_sys(err, errno, "cannot open '/proc/self/exe'");
		free(s);
		return NULL;
	}
	return s;
}

void
child_sup_on_change(struct child_sup *s,
    void (*changed)(void *arg, size_t i, int fd), void *arg)
{
	s->changed = changed;
	s->arg = arg;
}

static void
tell(struct child_sup *s, size_t i)
{
	if (s->changed != NULL)
		s->changed(s->arg, i, s->c[i].sock);
}

static int
spawn(struct child_sup *s, size_t i, double now, struct err *err)
{
	struct child *c = &s->c[i];
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return err_sys(err, errno, "child '%s': socketpair", c->name);
	/* a child that does not read its replies cannot stall the parent */
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1) {
		err_sys(err, errno, "child '%s': O_NONBLOCK", c->name);
		goto fail;
	}
	if ((pid = fork()) == -1) {
		err_sys(err, errno, "child '%s': fork", c->name);
		goto fail;
	}
	if (pid == 0)
		child_exec(s, sv[1], c->name);
	close(sv[1]);
	c->pid = pid;
	c->sock = sv[0];
	c->started = now;
	c->restart_at = 0;
	c->starts++;
	log_info("child '%s' started, pid %d", c->name, (int)pid);
	tell(s, i);
	return 0;
fail:
	close(sv[0]);
	close(sv[1]);
	return -1;
}

int
child_sup_add(struct child_sup *s, const char *role, struct err *err)
{
	struct child *c;

	if (strlen(role) >= sizeof(c->name))
		return err_set(
		    err, EINVAL, "'%s': child role name too long", role);
	if (mem_grow(&s->c, &s->cap, s->n + 1, sizeof(*s->c)) == -1)
		return err_sys(err, errno, "child '%s'", role);
	c = &s->c[s->n];
	memset(c, 0, sizeof(*c));
	str_copy(c->name, sizeof(c->name), role);
	c->sock = -1;
	c->delay = DELAY_FIRST;
	s->n++;
	if (spawn(s, s->n - 1, clock_mono(), err) == -1) {
		s->n--;
		return -1;
	}
	return (int)(s->n - 1);
}

void
child_sup_on_demand(struct child_sup *s, size_t i)
{
	s->c[i].on_demand = 1;
}

int
child_sup_stopped(const struct child_sup *s, size_t i)
{
	return s->c[i].pid <= 0 && s->c[i].restart_at <= 0;
}

int
child_sup_start(struct child_sup *s, size_t i, struct err *err)
{
	if (!child_sup_stopped(s, i))
		return 0;
	return spawn(s, i, clock_mono(), err);
}

size_t
child_sup_count(const struct child_sup *s)
{
	return s->n;
}

int
child_sup_fd(const struct child_sup *s, size_t i)
{
	return s->c[i].sock;
}

pid_t
child_sup_pid(const struct child_sup *s, size_t i)
{
	return s->c[i].pid;
}

const char *
child_sup_name(const struct child_sup *s, size_t i)
{
	return s->c[i].name;
}

unsigned
child_sup_starts(const struct child_sup *s, size_t i)
{
	return s->c[i].starts;
}

static void
close_channel(struct child_sup *s, size_t i)
{
	if (s->c[i].sock != -1) {
		close(s->c[i].sock);
		s->c[i].sock = -1;
		tell(s, i);
	}
}

/* A child that misbehaved: stopped now, restarted by the supervisor. */
static void
stop_bad(struct child_sup *s, size_t i, const char *what, const char *msg)
{
	struct child *c = &s->c[i];

	log_warnx("child '%s' %s (%s); stopping it", c->name, what, msg);
	if (c->pid > 0)
		(void)kill(c->pid, SIGKILL);
	close_channel(s, i);
}

void
child_sup_readable(struct child_sup *s, size_t i)
{
	struct child *c = &s->c[i];
	struct priv_msg m;
	struct err err = {0};
	int r;

	if (c->sock == -1)
		return;
	r = priv_recv(c->sock, PRIV_FROM_CHILD, &m, &err);
	/* a child that died with messages of ours unread resets the
	 * channel: it is ending too */
	if (r == 0 || (r == -1 && err.code == ECONNRESET)) {
		close_channel(s, i); /* it is ending: reaped later */
		return;
	}
	if (r == -1) {
		if (err.code == EAGAIN || err.code == EWOULDBLOCK)
			return;
		stop_bad(s, i, "sent a malformed message", err.msg);
		return;
	}
	if (priv_serve(s->p, c->name, c->sock, &m, &err) == -1)
		stop_bad(s, i, "cannot be answered", err.msg);
}

void
child_sup_reap(struct child_sup *s, double now)
{
	for (size_t i = 0; i < s->n; i++) {
		struct child *c = &s->c[i];
		char how[128];
		double wait;
		pid_t r;
		int st = 0;

		if (c->pid <= 0)
			continue;
		r = waitpid(c->pid, &st, WNOHANG);
		if (r == 0 || (r == -1 && errno == EINTR))
			continue;
		if (r != -1 && c->on_demand && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0) {
			log_info("child '%s' exited, idle after %.0f s; "
			         "started again when needed",
			    c->name, now - c->started);
			c->pid = 0;
			c->restart_at = 0;
			close_channel(s, i);
			continue;
		}
		if (r == -1)
			str_copy(how, sizeof(how), "was reaped elsewhere");
		else
			child_status_text(st, how, sizeof(how));
		wait = child_backoff(&c->delay, now - c->started);
		c->restart_at = now + wait;
		log_warnx(
		    "child '%s' %s; restarting in %.0f s", c->name, how, wait);
		c->pid = 0;
		close_channel(s, i);
	}
}

double
child_sup_tick(struct child_sup *s, double now)
{
	double next = -1;

	for (size_t i = 0; i < s->n; i++) {
		struct child *c = &s->c[i];
		struct err err = {0};

		if (c->pid > 0 || c->restart_at <= 0)
			continue;
		if (now >= c->restart_at && spawn(s, i, now, &err) == -1) {
			log_warnx(
			    "%s; trying again in %.0f s", err.msg, c->delay);
			c->restart_at = now + c->delay;
		}
		if (c->pid <= 0 && (next < 0 || c->restart_at - now < next))
			next = c->restart_at - now;
	}
	return next;
}

void
child_sup_free(struct child_sup *s)
{
	double end;
	int left;

	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		close_channel(s, i);
		if (s->c[i].pid > 0)
			(void)kill(s->c[i].pid, SIGTERM);
	}
	end = clock_mono() + 2;
	do {
		left = 0;
		for (size_t i = 0; i < s->n; i++) {
			struct child *c = &s->c[i];

			if (c->pid <= 0)
				continue;
			if (waitpid(c->pid, NULL, WNOHANG) != 0)
				c->pid = 0;
			else if (clock_mono() >= end) {
				(void)kill(c->pid, SIGKILL);
				(void)waitpid(c->pid, NULL, 0);
				c->pid = 0;
			} else
				left++;
		}
		if (left > 0)
			sleep_secs(0.02);
	} while (left > 0);
	if (s->exe != -1)
		close(s->exe);
	free(s->c);
	free(s);
}
