/*
 * kill.h - stop a process safely: it must still be the process that was
 * judged (same PID and start time, checked through a pidfd so a reused
 * PID is never signalled), SIGTERM first, SIGKILL after a grace period.
 */
#ifndef ACT_KILL_H
#define ACT_KILL_H

#include <stdint.h>

struct err;

enum kill_result {
	KILL_GONE = 0, /* had already ended (or was replaced): nothing sent */
	KILL_TERM,     /* ended after SIGTERM */
	KILL_KILL,     /* needed SIGKILL */
};

/*
 * Stops pid if its start time (clock ticks after boot, /proc/PID/stat
 * field 22) is start_ticks.  Waits at most grace seconds after SIGTERM
 * and 5 s after SIGKILL.  Returns an enum kill_result, or -1 with err
 * (no permission, or still alive after SIGKILL).
 */
int act_kill(int pid, uint64_t start_ticks, double grace, struct err *err);

#endif
