/*
 * net_flood.h - the connection-flood checks of "sakimori check":
 *
 *   conn-flood      one remote address holding more than warn/crit
 *                   connections to one local service port (a port
 *                   something listens on); subject: the port
 *   conn-flood-prefix  the same for one remote prefix (/24, /64 or as
 *                   set net-prefix-v4/v6 says)
 *   syn-flood       sockets in SYN_RECV above warn/crit (a SYN surge)
 *   web-conn-share  a slow-connection attack: web-server workers
 *                   (apache2, httpd) near their limit (key "workers", percent of the
 *                   process-count limit, default 80) while one address
 *                   holds more than warn/crit percent of the connections
 *                   to the web ports (key "ports", default 80 and 443)
 *
 * Connections are counted in every TCP state but LISTEN, TIME_WAIT and
 * CLOSE (what holds a worker or a slot), from the kernel's socket table.
 * At most 20 findings per check (the largest); perfdata for each.
 */
#ifndef RULES_NET_FLOOD_H
#define RULES_NET_FLOOD_H

#include "base/err.h"
#include "net/count.h"

struct conf;
struct report;
struct snap;

/*
 * The socket counts the flood checks of one run share: the first that
 * runs dumps the socket table, the others count on what it read (zero:
 * nothing read yet).  Released with rules_net_shared_release.
 */
struct rules_net_shared {
	int state;      /* 0 not read, 1 read, -1 could not be read (err) */
	unsigned dumps; /* socket tables read into it */
	struct net_counts nc;
	struct err err;
};

void rules_net_shared_release(struct rules_net_shared *sh);

enum rules_net_check {
	RULES_CONN_FLOOD,
	RULES_CONN_FLOOD_PREFIX,
	RULES_SYN_FLOOD,
	RULES_WEB_CONN_SHARE,
};

/*
 * Runs one of the checks above on the live socket table (root: fixture
 * prefix for /proc, or NULL) and, for web-conn-share, the snapshot's
 * processes; with sh, on the counts of sh (read into it by the first
 * check of the run), else on a table of its own.  0, or -1 with err when
 * the socket table cannot be read.
 */
int rules_net_flood(const struct conf *c, const struct snap *s,
    const char *root, enum rules_net_check which, struct rules_net_shared *sh,
    struct report *r, struct err *err);

#endif
