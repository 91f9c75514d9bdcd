/*
 * ctl.h - the agent's control protocol, spoken over the unix stream
 * socket RUN_DIR/ctl (mode 0600, its owner only) by "sakimori ctl".
 *
 * The client sends one request line (at most CTL_LINE_MAX bytes with its
 * newline):
 *
 *	status [json]
 *	problems [json]
 *	silence DURATION CHECK[/SUBJECT]	(DURATION 0 lifts the silence)
 *	reload
 *
 * and reads the reply until the agent closes the connection: a status
 * line, "ok" or "error CODE MESSAGE" (CODE the exit status the client
 * should give, a sysexits code), then the body, printed as it is.  The
 * agent answers one request per connection, reads at most CTL_LINE_MAX
 * bytes of it and drops a connection that has not sent it within
 * CTL_TIMEOUT_SECS; it serves at most CTL_MAX_CONN connections at once.
 *
 * The parsing here is pure; the server is in ctl_server.c, the client in
 * src/cli/cmd_ctl.c.
 */
#ifndef AGENT_CTL_H
#define AGENT_CTL_H

#include <stddef.h>
#include <stdint.h>

struct err;

#define CTL_LINE_MAX 1024
#define CTL_REPLY_MAX (16u << 20) /* what a client reads at most */
#define CTL_TIMEOUT_SECS 5
#define CTL_MAX_CONN 16

enum ctl_op {
	CTL_STATUS,
	CTL_PROBLEMS,
	CTL_SILENCE,
	CTL_RELOAD,
};

struct ctl_req {
	enum ctl_op op;
	int json;
	uint64_t secs;     /* silence: how long (0: lift) */
	char check[64];    /* silence: the check */
	char subject[256]; /* silence: its subject ("": all of them) */
	int has_subject;
};

/*
 * Parses one request line (len bytes, without its newline; a trailing
 * '\r' is ignored).  0, or -1 with err saying what is wrong.
 */
int ctl_parse(const char *line, size_t len, struct ctl_req *q, struct err *err);

/*
 * Splits "CHECK[/SUBJECT]" (check names have no '/'; the subject is the
 * rest, slashes and all) into q.  0, or -1 with err.
 */
int ctl_target(const char *s, struct ctl_req *q, struct err *err);

/*
 * Reads the status line of a reply (len bytes, without its newline):
 * 0 for "ok", else the CODE of "error CODE MESSAGE" (64..78; 70 when the
 * line is neither) with *msg and *msglen the message.
 */
int ctl_reply_status(
    const char *line, size_t len, const char **msg, size_t *msglen);

#endif
