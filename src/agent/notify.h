/*
 * notify.h - the service manager's notification protocol (sd_notify(3)):
 * one datagram "READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...",
 * "WATCHDOG=1" to the socket named by $NOTIFY_SOCKET (a path, or an
 * abstract name after '@').  Without $NOTIFY_SOCKET nothing is sent.
 * Written here rather than taken from libsystemd: it is one sendto().
 */
#ifndef AGENT_NOTIFY_H
#define AGENT_NOTIFY_H

#include <stdint.h>

/*
 * Sends msg (e.g. "READY=1\nSTATUS=running") to $NOTIFY_SOCKET.  1 when
 * sent, 0 when there is no socket to tell, -1 (errno) when sending failed.
 */
int notify_send(const char *msg);
/*
 * The watchdog interval from $WATCHDOG_USEC (and $WATCHDOG_PID, which
 * must be this process when set), in microseconds; 0 when there is none.
 */
uint64_t notify_watchdog_usec(void);

#endif
