/*
 * act.h - the actions a check may take (block addresses, stop a process,
 * send mail), behind one interface.  Checks never call the backends
 * themselves: they get a struct act_ops and call through it, so what a
 * rule decides is testable with a double of these functions, and the
 * agent and "sakimori check" hand the same rules the system's actions
 * (act_system).
 *
 * Recording is the caller's: a rule that acts writes its audit entry
 * (act/audit.h) and puts the outcome into its finding's evidence.
 */
#ifndef ACT_ACT_H
#define ACT_ACT_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct err;
struct mail;
struct net_block_item;

struct act_ops {
	/*
	 * Blocks items (prefix, duration, reason; the status, expiry and
	 * message of each are filled in) through the allow-list, breadth
	 * limit, cap, state database and audit log of "net block", by by
	 * ("rule:conn-flood").  0, -1 with err (nothing blocked), or
	 * NET_BLOCK_UNAUDITED with err (done, but not in the audit log).
	 */
	int (*block)(const struct act_ops *a, struct net_block_item *items,
	    size_t n, const char *by, struct err *err);
	/* Stops pid if it still started at start_ticks (act/kill.h): an
	 * enum kill_result, or -1 with err. */
	int (*kill)(const struct act_ops *a, int pid, uint64_t start_ticks,
	    double grace, struct err *err);
	/* Sends m (act/mail.h).  0, or -1 with err. */
	int (*mail)(
	    const struct act_ops *a, const struct mail *m, struct err *err);
	const struct conf *conf; /* settings of the actions */
	const char *state_dir;   /* state database and audit log; NULL: none */
	void *priv;              /* for another implementation */
};

/* The system's actions with the settings of c and state in state_dir. */
void act_system(struct act_ops *a, const struct conf *c, const char *state_dir);

#endif
