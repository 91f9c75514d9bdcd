/*
 * notify.c - sd_notify's datagram (see notify.h).
 */
#include "agent/notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int
notify_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len, msglen = strlen(msg);
	socklen_t salen;
	ssize_t w;
	int fd, e;

	if (path == NULL || path[0] == '\0')
		return 0;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0'; /* an abstract name: not terminated */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
	    (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	w = sendto(
	    fd, msg, msglen, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	e = errno;
	close(fd);
	if (w != (ssize_t)msglen) {
		errno = w == -1 ? e : EMSGSIZE;
		return -1;
	}
	return 1;
}

/* A whole decimal number, or -1. */
static long long
decimal(const char *s)
{
	long long v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (1LL << 50))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

uint64_t
notify_watchdog_usec(void)
{
	const char *pid = getenv("WATCHDOG_PID");
	long long usec = decimal(getenv("WATCHDOG_USEC"));

	if (usec <= 0)
		return 0;
	if (pid != NULL && decimal(pid) != (long long)getpid())
		return 0;
	return (uint64_t)usec;
}
