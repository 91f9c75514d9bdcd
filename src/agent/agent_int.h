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
#include "base/finding.h"
#include "base/strbuf.h"
#include "collect/vmstat.h"
#include "conf/conf.h"
#include "hist/hist.h"
#include "store/store.h"

struct alert_actions;
struct alert_event;
struct check_entry;
struct child_role;
struct ctl_server;
struct http_server;
struct err;
struct event;
struct event_base;
struct hist;
struct hist_sample;
struct logs_series;
struct logs_tally;
struct agent_logs;
struct agent_respond;
struct priv_checked;
struct priv_points;
struct priv_ran;
struct priv_stop_req;
struct priv_stopped;
struct problems;
struct watch;

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
	time_t trimmed;       /* when free heap was last given back */
	size_t last_open;     /* open problems last told to systemd */
	struct strbuf events; /* lines of events not yet printed */
	/* the alert actions (agent_alert.c); the set a reload replaced,
	 * until its programs have ended; the events not yet handed to them */
	struct alert_actions *alerts, *alerts_old;
	struct event *ev_chld;
	struct alert_event *pending;
	size_t npending, cappending;
	/* the web roots' watch (agent_watch.c), NULL when off */
	struct watch *watch;
	struct event *ev_watch, *ev_watch_timer;
	unsigned long long watch_findings;
	/* the HTTP side (http.c), NULL when not listening */
	struct http_server *http;
	/* the history (agent_hist.c), NULL when off */
	struct hist *hist;
	struct event *ev_hist;
	int hist_warned;
	/* the step the child samples: its id, time, whether it is waited
	 * for, and the values received so far */
	uint32_t hist_id;
	time_t hist_time;
	int hist_wait;
	struct hist_sample hist_in;
	struct agent_logs *logs; /* the followed logs (agent_logs.c) */
	/* their counts at the last history step (agent_logs_series.c) */
	struct logs_series *logs_series;
	/* the respond rules, NULL when there are none (agent_respond.c) */
	struct agent_respond *respond;
	/* the checks run in the log child (agent_check_in_child): the
	 * entries asked and not yet answered (a bit each), the run's id,
	 * time and when it was asked; the findings of the entry being
	 * answered; how many children started; when trend checks (their
	 * memory in the child) are observed again after a restart */
	uint64_t chk_wait;
	uint32_t chk_id;
	time_t chk_now;
	double chk_sent;
	struct report chk_rep;
	uint32_t chk_entry;
	size_t chk_got; /* findings received of chk_entry */
	unsigned chk_starts;
	time_t trend_from;
};

/*
 * Writes what the problem engine has not written yet, then prints the
 * events kept (after the engine call that made them).
 */
void agent_events_flush(struct agent *a);

/*
 * The alert actions (agent_alert.c).  agent_alerts_new makes a set for c
 * (NULL with err when one of its blocks cannot work); agent_alerts_start
 * the first one, with the SIGCHLD event that reaps their programs.  An
 * event is queued when the engine makes it and sent once it is printed;
 * agent_alerts_tick runs every second; agent_alerts_replace (reload)
 * flushes the old set's digests and frees it once its programs ended;
 * agent_alerts_stop flushes, waits for the programs a while and frees.
 */
struct alert_actions *agent_alerts_new(
    struct agent *a, const struct conf *c, struct err *err);
int agent_alerts_start(struct agent *a, struct err *err);
void agent_alerts_queue(struct agent *a, const struct alert_event *e);
void agent_alerts_send(struct agent *a);
void agent_alerts_tick(struct agent *a, time_t now);
void agent_alerts_replace(struct agent *a, struct alert_actions *next);
void agent_alerts_stop(struct agent *a);

/*
 * The web roots' watch (agent_watch.c): started when web-new-executable
 * or web-page-changed is enabled and there is a web root (0, or -1 with
 * err when inotify cannot be had); its findings go to problems_note.
 */
int agent_watch_start(struct agent *a, struct err *err);
void agent_watch_stop(struct agent *a);

/*
 * The HTTP side (http.c): listens as --listen and the configuration say
 * (see http.h).  0 (also when the default address is taken: a warning
 * is logged), or -1 with err: code EINVAL for a configuration refused,
 * another for a listener that cannot be made.
 */
int agent_http_start(struct agent *a, struct err *err);
void agent_http_stop(struct agent *a);

/* The history: started when there is a state directory and the
 * configuration does not turn it off; a failure leaves it off. */
int agent_hist_start(struct agent *a, struct err *err);
void agent_hist_stop(struct agent *a);
/* The values of the last step (NULL when off), for /metrics. */
const struct hist_sample *agent_hist_current(const struct agent *a);
/*
 * The followed logs' requests and mail messages (agent_logs_series.c):
 * their rates per minute since the step before, added to the history's
 * sample of the step at time t; agent_logs_series_free forgets the step
 * before (the history stopped).  agent_logs_metrics: their counters.
 */
void agent_logs_series(struct agent *a, time_t t);
void agent_logs_series_free(struct agent *a);
struct expo;
void agent_logs_metrics(struct expo *e, const struct agent *a);
/* What the child sampled of a step (the priv_parent hook, arg the
 * agent): written once the last piece came. */
void agent_hist_samples(void *arg, uint32_t id, const struct priv_points *p);

/*
 * The followed logs (agent_logs.c): started from the configuration in
 * force (nothing without a state directory for the bookmarks); 0, or -1
 * with err.  agent_logs_stop commits the bookmarks and closes them.
 */
int agent_logs_start(struct agent *a, struct err *err);
void agent_logs_stop(struct agent *a);
/*
 * The respond rules of the configuration in force (agent_respond.c),
 * started and stopped with the followed logs: agent_respond blocks the
 * addresses that the findings of rep (one line's, one step's mail
 * findings, or a check's run) name, as the rules say.
 */
int agent_respond_start(struct agent *a, struct err *err);
void agent_respond_stop(struct agent *a);
void agent_respond(struct agent *a, const struct report *rep);

/*
 * The kinds of logs followed, each one set of logs: its analyzers and its
 * parser's format.  A set's number on the log child's channel is its
 * kind's index here.
 */
struct agent_log_kind {
	int kind; /* enum discover_kind */
	const char *name, *analyzers;
	int fmt; /* enum logs_format */
};
extern const struct agent_log_kind agent_log_kinds[];
#define AGENT_LOG_KINDS 3

/* Entries each top list of the access logs' statistics and broken links
 * keeps: the agent's memory stays small; past as many distinct keys the
 * counts are estimates with their error (base/topk.h). */
#define AGENT_WEB_TOPK 1000

/* A followed set's files, in the order its lines name them. */
struct logs_child_set {
	const char *const *paths;
	size_t npaths; /* 0: the set is not followed */
};

/*
 * The log child (logs_child.c, role "logs"): the parent gives it the
 * configuration, the attack rules' caches of state_dir and the sets
 * it will send lines of (AGENT_LOG_KINDS of them) with their files; 0,
 * or -1 with err.
 */
int logs_child_setup(int sock, const struct conf *c, const char *state_dir,
    const char *root, const struct logs_child_set *sets, struct err *err);
extern const struct child_role logs_child_role;

/*
 * The checks of the registry the child runs (logs_child.c): those that
 * read only what any user may (/proc, /sys, statvfs) and write nothing;
 * 1 for such an entry.
 */
int agent_check_in_child(const struct check_entry *e);
/*
 * A stuck interpreter the child asks to stop (PRIV_STOP): done when the
 * configuration's stuck-cgi block says "kill yes" and the pid runs one
 * of its interpreters, as procrules_stuck_stop does; *rep gets the
 * outcome and the evidence.
 */
void agent_checks_stop(
    void *arg, const struct priv_stop_req *q, struct priv_stopped *rep);

/*
 * The child's channel for the checks (agent_logs.c): a message to the
 * child, 0 or -1 when no child runs (or it does not read); a child that
 * does not answer is killed (and restarted by the supervisor).
 */
/* -1: no child can be had (the checks run here); 0: none runs now;
 * 1: one runs and was given its setup. */
int agent_child_state(const struct agent *a);
int agent_child_send(
    struct agent *a, int type, uint32_t id, const void *body, size_t len);
void agent_child_kill(struct agent *a, const char *why);
/*
 * The checks' side of the child (agent.c): a child was given its setup
 * (started 1) or is gone (0); what it sends of a run (the hooks of
 * priv_parent, arg the agent).
 */
void agent_checks_child(struct agent *a, int started);
void agent_checks_checked(void *arg, uint32_t id, const struct priv_checked *c);
void agent_checks_ran(void *arg, uint32_t id, const struct priv_ran *r);

/* One followed set of logs, for ctl status. */
struct agent_log_info {
	const char *name; /* "access", "mail" */
	const char *const *paths;
	size_t npaths;
	unsigned long long lines;    /* read, since its bookmarks began */
	unsigned long long analysed; /* parsed and handed to the analyzers */
	unsigned long long findings; /* what the analyzers found */
	/* the requests and mail messages counted (agent/logs_tally.h) */
	const struct logs_tally *tally;
	const struct logs_tally *start; /* the same when the logs started */
};
void agent_logs_each(const struct agent *a,
    void (*fn)(void *arg, const struct agent_log_info *i), void *arg);
/*
 * What the named analyzers (a comma list; NULL: all) of the followed
 * logs of kind name ("access", "mail") have counted so far, printed in
 * out's mode (logs_run_show).  0, or -1 when no log of that kind is
 * followed.
 */
struct out;
int agent_logs_show(const struct agent *a, const char *name,
    const char *analyzers, const struct out *out);
/*
 * The machine's series of /metrics in the format fmt (enum expo_fmt),
 * as the parsing child writes them from a snapshot it takes now
 * (metrics_write_machine), appended to out as they come, not parsed.
 * 0, or -1 when no child gave the whole of them within a few seconds
 * (nothing appended then).
 */
int agent_logs_machine(const struct agent *a, int fmt, struct strbuf *out);

/*
 * A persistent read event on fd and a timer (not added), both calling fn
 * with arg, into *ev_fd and *ev_timer: 0, or -1 (what was made is there
 * to be freed).
 */
int agent_fd_events(struct agent *a, int fd, void (*fn)(int, short, void *),
    void *arg, struct event **ev_fd, struct event **ev_timer);

/* Adds ev to its loop to fire in secs (none when secs < 0); -1 on error. */
int agent_timer_arm(struct event *ev, double secs);

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
