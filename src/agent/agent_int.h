/*
 * agent_int.h - what the agent's own files share: the running agent, and
 * the control socket's server (ctl_server.c) on its event loop.
 */
#ifndef AGENT_AGENT_INT_H
#define AGENT_AGENT_INT_H

#include <stddef.h>
#include <time.h>

#include "act/act.h"
#include "agent/agent.h"
#include "agent/sched.h"
#include "base/strbuf.h"
#include "collect/vmstat.h"
#include "conf/conf.h"
#include "store/store.h"

struct check_entry;
struct ctl_server;
struct err;
struct event;
struct event_base;
struct problems;

struct agent {
	const struct agent_opts *o;
	struct conf conf; /* the configuration in force */
	struct event_base *base;
	const struct check_entry *table; /* the registry */
	size_t n;
	void **memos; /* one slot per entry */
	struct sched sched;
	struct store st;
	int have_store;
	struct problems *pb;
	struct act_ops act;
	struct ctl_server *ctl;
	struct event *ev_tick, *ev_term, *ev_int, *ev_hup, *ev_watchdog;
	/* the VM counters of the last snapshot, for the swapping rates */
	struct vmstat vm_prev;
	double vm_mono;
	int have_vm;
	time_t started;
	size_t last_open;     /* open problems last told to systemd */
	struct strbuf events; /* lines of events not yet printed */
};

/* Prints the events kept (after the engine call that made them). */
void agent_events_flush(struct agent *a);

/*
 * Loads the configuration file again; on success it is in force (the
 * schedule planned again, every check due at once).  On errors they are
 * on stderr (file:line: message), the configuration in force stays, and
 * -1 with err saying so.
 */
int agent_reload(struct agent *a, struct err *err);

/*
 * The control socket RUN_DIR/ctl on a's loop: NULL with err when it
 * cannot be made (or another agent answers on it).
 */
struct ctl_server *ctl_server_new(
    struct agent *a, const char *run_dir, struct err *err);
/* Closes the connections and the socket, and removes it. */
void ctl_server_free(struct ctl_server *c);

#endif
