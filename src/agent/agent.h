/*
 * agent.h - "sakimori agent": runs every check of the registry on its own
 * schedule (agent/sched.h), turns their reports into problems and alert
 * events (agent/problem.h), prints each event on stdout, answers the
 * control socket (agent/ctl.h) and reloads its configuration on SIGHUP,
 * in the foreground on one event loop (libevent) until SIGTERM or
 * SIGINT.  Tells systemd how it is doing when run by it (agent/notify.h).
 */
#ifndef AGENT_AGENT_H
#define AGENT_AGENT_H

struct conf;

struct agent_opts {
	const char *conf_path; /* read again at reload ("": defaults) */
	int conf_explicit;     /* the file must exist */
	const char *state_dir; /* resolved and checked; NULL: memory only */
	const char *run_dir;   /* where the control socket goes */
	const char *root;      /* prefix for /proc, /sys, /etc (tests) */
	int json;              /* events as JSON lines */
	const char *listen;    /* --listen ADDR:PORT or "no"; NULL: conf */
};

/*
 * Runs the agent on conf (taken over: released at the end) until SIGTERM
 * or SIGINT.  Returns the exit status: 0 after a clean stop, a sysexits
 * code (after saying why on stderr) when it could not start.
 */
int agent_run(const struct agent_opts *o, struct conf *conf);

/*
 * When argv is that of one of the agent's unprivileged children (see
 * agent/child.h), becomes it and never returns; else returns 0.  main
 * calls it first.
 */
int agent_child_dispatch(int argc, char **argv);

#endif
