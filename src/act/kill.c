/*
 * kill.c - stop a process by pidfd after checking it is the one judged
 * (see kill.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "act/kill.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* The start time of pid from /proc, or 0 when it cannot be read. */
static uint64_t
start_of(int pid)
{
	struct strbuf sb = STRBUF_INIT(8192);
	struct err err = {0};
	char path[64];
	uint64_t v = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (file_read(path, 8192, &sb, NULL, &err) == 0 && sb.len > 0) {
		const char *p = memrchr(sb.p, ')', sb.len);
		const char *end = sb.p + sb.len;
		int field = 2;

		for (; p != NULL && p < end; p++) {
			if (*p != ' ')
				continue;
			if (++field == 22) {
				for (p++; p < end && *p >= '0' && *p <= '9';
				     p++)
					v = v * 10 + (uint64_t)(*p - '0');
				break;
			}
		}
	}
	strbuf_release(&sb);
	return v;
}

/* 1 when the pidfd's process ended within secs, 0 if not. */
static int
wait_exit(int fd, double secs)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	int r;

	do
		r = poll(&pfd, 1, (int)(secs * 1000));
	while (r == -1 && errno == EINTR);
	return r > 0;
}

int
act_kill(int pid, uint64_t start_ticks, double grace, struct err *err)
{
	int fd, rc;

	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd == -1) {
		if (errno == ESRCH)
			return KILL_GONE;
		return err_sys(err, errno, "cannot open pid %d", pid);
	}
	/* the pidfd pins this process: if it is the one we judged now, every
	 * signal below goes to it even if the PID is reused later */
	if (start_of(pid) != start_ticks) {
		close(fd);
		return KILL_GONE;
	}
	if (syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0) == -1) {
		rc = errno == ESRCH
		    ? KILL_GONE
		    : err_sys(err, errno, "cannot send SIGTERM to pid %d", pid);
		close(fd);
		return rc;
	}
	if (wait_exit(fd, grace)) {
		close(fd);
		return KILL_TERM;
	}
	if (syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) == -1 &&
	    errno != ESRCH) {
		rc = err_sys(err, errno, "cannot send SIGKILL to pid %d", pid);
		close(fd);
		return rc;
	}
	rc = wait_exit(fd, 5)
	    ? KILL_KILL
	    : err_set(
	          err, ETIMEDOUT, "pid %d still alive 5 s after SIGKILL", pid);
	close(fd);
	return rc;
}
