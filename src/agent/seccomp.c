/*
 * seccomp.c - the seccomp filter of the agent's children (child_seccomp,
 * agent/child.h): an allow-list of the system calls a process needs that
 * parses logs on descriptors it was given (and, for the HTTP child,
 * accepts connections on the socket it was given); anything else, and
 * any call of another architecture's ABI, kills the process (SIGSYS).
 */
#include "agent/child.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "base/err.h"
#include "base/mem.h"

/* Allowed whatever their arguments. */
static const int allowed[] = {
    /* descriptors it has */
    SCMP_SYS(read),
    SCMP_SYS(readv),
    SCMP_SYS(pread64),
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(close),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat), /* what glibc's fstat calls */
    SCMP_SYS(lseek),
    SCMP_SYS(fcntl),
    /* the channel: one datagram, descriptors with SCM_RIGHTS */
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(recvfrom),
    SCMP_SYS(sendto),
    /* waiting: an event loop, new lines, timers */
    SCMP_SYS(epoll_create1),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(inotify_init1),
    SCMP_SYS(inotify_add_watch),
    SCMP_SYS(inotify_rm_watch),
    SCMP_SYS(eventfd2),
    SCMP_SYS(pipe2),
    SCMP_SYS(timerfd_create),
    SCMP_SYS(timerfd_settime),
    SCMP_SYS(timerfd_gettime),
    /* memory (mmap and mprotect below: never executable) */
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    /* time, threads' locks, signals, randomness, the end */
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(nanosleep),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(futex),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(getrandom),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
};

/* CHILD_SERVE: connections on the listening socket it was given. */
static const int serve_allowed[] = {
    SCMP_SYS(accept4),
    SCMP_SYS(accept),
    SCMP_SYS(setsockopt),
    SCMP_SYS(getsockopt),
    SCMP_SYS(getsockname),
    SCMP_SYS(getpeername),
    SCMP_SYS(shutdown),
};

#if defined(__SANITIZE_ADDRESS__)
#define SAKIMORI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAKIMORI_SANITIZED 1
#endif
#endif

#ifdef SAKIMORI_SANITIZED
/*
 * What AddressSanitizer's and UBSan's run-time call while the program
 * runs and when they report an error: their own maps and binary (openat
 * read-only, readlink), an alternate signal stack, thread and process ids, and
 * aborting.  Only in a sanitized build (the filter of a release build
 * stays as above); a child there also ends with _exit, so LeakSanitizer's
 * check at exit (which uses ptrace) does not run in it.
 */
static const int sanitizer_allowed[] = {
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(tgkill),
    SCMP_SYS(sched_yield),
    SCMP_SYS(prctl),
    SCMP_SYS(prlimit64),
    SCMP_SYS(getrlimit),
    SCMP_SYS(uname),
    SCMP_SYS(mincore),
};
#endif

static int
add(scmp_filter_ctx ctx, int nr, unsigned n, const struct scmp_arg_cmp *arg,
    struct err *err)
{
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, arg);

	if (rc < 0) {
		char *name =
		    seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		err_sys(err, -rc, "seccomp: cannot allow '%s'",
		    name != NULL ? name : "?");
		free(name);
		return -1;
	}
	return 0;
}

int
child_seccomp(unsigned flags, struct err *err)
{
	/* memory may be mapped and protected, never executable */
	struct scmp_arg_cmp noexec = {.arg = 2,
	    .op = SCMP_CMP_MASKED_EQ,
	    .datum_a = PROT_EXEC,
	    .datum_b = 0};
	/* isatty (stdio on a character device): a read-only query */
	struct scmp_arg_cmp tcgets = {
	    .arg = 1, .op = SCMP_CMP_EQ, .datum_a = TCGETS, .datum_b = 0};
	/* open without a way to write or create */
	struct scmp_arg_cmp rdonly = {.arg = 2,
	    .op = SCMP_CMP_MASKED_EQ,
	    .datum_a = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND |
	        (O_TMPFILE & ~O_DIRECTORY),
	    .datum_b = O_RDONLY};
	int open_ro = (flags & CHILD_OPEN_RDONLY) != 0;
	scmp_filter_ctx ctx;
	int rc;

	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		return err_set(err, ENOMEM, "seccomp: cannot make a filter");
	rc = seccomp_attr_set(
	    ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (rc < 0) {
		err_sys(err, -rc, "seccomp: cannot refuse other ABIs");
		goto fail;
	}
	for (size_t i = 0; i < countof(allowed); i++)
		if (add(ctx, allowed[i], 0, NULL, err) == -1)
			goto fail;
	for (size_t i = 0; (flags & CHILD_SERVE) && i < countof(serve_allowed);
	     i++)
		if (add(ctx, serve_allowed[i], 0, NULL, err) == -1)
			goto fail;
#ifdef SAKIMORI_SANITIZED
	for (size_t i = 0; i < countof(sanitizer_allowed); i++)
		if (add(ctx, sanitizer_allowed[i], 0, NULL, err) == -1)
			goto fail;
	open_ro = 1;
	/* the run-time opens with the old open(2), flags in argument 1 */
	rdonly.arg = 1;
	if (add(ctx, SCMP_SYS(open), 1, &rdonly, err) == -1)
		goto fail;
	rdonly.arg = 2;
#endif
	/* reading /proc and /sys: open read-only, list a directory, the
	 * link /proc/PID/exe (refused for another user's process), a
	 * filesystem's usage (statvfs), the memory's size (glibc's qsort
	 * of a large table, the processes', asks sysinfo) */
	if (open_ro &&
	    (add(ctx, SCMP_SYS(openat), 1, &rdonly, err) == -1 ||
	        add(ctx, SCMP_SYS(getdents64), 0, NULL, err) == -1 ||
	        add(ctx, SCMP_SYS(readlinkat), 0, NULL, err) == -1 ||
	        add(ctx, SCMP_SYS(statfs), 0, NULL, err) == -1 ||
	        add(ctx, SCMP_SYS(sysinfo), 0, NULL, err) == -1))
		goto fail;
	if (add(ctx, SCMP_SYS(mmap), 1, &noexec, err) == -1 ||
	    add(ctx, SCMP_SYS(mprotect), 1, &noexec, err) == -1 ||
	    add(ctx, SCMP_SYS(ioctl), 1, &tcgets, err) == -1)
		goto fail;
	if ((rc = seccomp_load(ctx)) < 0) {
		err_sys(err, -rc, "seccomp: cannot load the filter");
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}
