/*
 * priv.h - the channel between the agent's root parent and its
 * unprivileged children, in the manner of OpenBSD's imsg: one message per
 * datagram of an AF_UNIX SOCK_SEQPACKET socketpair, a fixed header
 * {type, length, id} and a body whose size and contents are checked per
 * type before use; a descriptor travels with SCM_RIGHTS.
 *
 * A child is assumed compromised: what it sends is decoded by
 * priv_msg_decode, a pure function that accepts only the request types a
 * child may send, with their exact sizes, terminated strings, known enum
 * values and sane ranges, and no descriptor.  The parent never parses
 * log text, /proc text or HTTP: a child does that and asks for what only
 * root may do.
 *
 * Requests (child to parent) and their replies (same id):
 *   PRIV_OPEN   path             PRIV_FD (the descriptor) or PRIV_ERROR
 *   PRIV_BLOCK  prefix, duration PRIV_BLOCKED or PRIV_ERROR
 *   PRIV_KILL   pid, start time  PRIV_DONE (enum kill_result) or ...
 *   PRIV_ALERT  an alert event   PRIV_DONE (0) or PRIV_ERROR
 * PRIV_NOTE carries a line of text either way and has no reply: a
 * child's diagnostic (the parent shows it escaped), or a command to a
 * child.  The parent may also send a PRIV_FD unasked, its id saying what
 * the descriptor is (a role's own numbering).
 *
 * A log-parsing child is given, by the parent that follows the logs:
 *   PRIV_LINE     one line of a followed set of logs (at most
 *                 PRIV_LINE_MAX bytes, cut longer), with its number
 *   PRIV_SYNC     a set's lines so far are all sent: the child answers
 *                 with the set's PRIV_PROGRESS, with the same id, once
 *                 the findings of those lines are sent (the mail logs'
 *                 counts are judged then, their new findings sent first)
 *   PRIV_SHOW     what a set's named analyzers counted so far, printed
 *                 in an output mode: the child answers with PRIV_SHOWN
 *                 messages of the same id, the text in pieces, the last
 *                 one marked; of the set PRIV_SHOW_MACHINE (mode an enum
 *                 expo_fmt, no analyzers), the machine's series of
 *                 /metrics (metrics_write_machine), from a snapshot the
 *                 child takes then
 *
 * A log-parsing child streams, without replies, in the order it made
 * them:
 *   PRIV_FINDING  what an analyzer found in a line of a followed set of
 *                 logs: the finding's fields, the set and the line's
 *                 number; the parent notes it as a problem and applies
 *                 the respond rules (it never sees the line)
 *   PRIV_PROGRESS a set's counters once every finding of the lines they
 *                 count was sent: what the parent may commit
 *   PRIV_SHOWN    a piece of the answer to a PRIV_SHOW (the parent keeps
 *                 at most PRIV_SHOW_TOTAL bytes of it; text, not parsed:
 *                 its reader checks it, as JSON lines or a table)
 *
 * The HTTP child (http_child.c) speaks HTTP to the clients: it checks
 * their token, Host and CSRF token, parses the URL, query and form, and
 * asks the parent, which renders the answer from its own structures:
 *   PRIV_HTTP     a request: a route (enum priv_http_route) and its
 *                 checked, bounded fields (a series name, a period, a
 *                 silence's check, subject and duration, a prefix to
 *                 unblock); the parent answers with PRIV_HTTP_REP
 *                 messages of the same id: status, content type and
 *                 where to go next in each, the body in pieces, the last
 *                 one marked (the child keeps at most PRIV_HTTP_TOTAL
 *                 bytes of it)
 * The parsing child also runs the checks of the registry that read only
 * what any user may read (/proc, statvfs), on the parent's schedule:
 *   PRIV_RUN      (parent) the entries of the check registry due now, a
 *                 bit each, and the time of the run: the child takes one
 *                 snapshot and runs them in the registry's order
 *   PRIV_CHECKED  (child, the run's id) one finding of an entry, as
 *                 PRIV_FINDING's fields
 *   PRIV_RAN      (child, the run's id) the entry ran and its findings
 *                 (how many) are all sent: the parent tells the problem
 *                 engine its whole report
 * For the process checks it runs (proc-exe-deleted, stuck-cgi,
 * apache-workers) the child reads /proc
 * itself and asks the parent for what only root may read or do:
 *   PRIV_LINKS    (child) one link (exe or cwd) of each of at most
 *                 PRIV_LINKS_MAX processes, by pid; the parent answers
 *                 PRIV_LINKED: each link as readlink(2) gives it (bytes,
 *                 not parsed) or its errno.  The parent reads no /proc
 *                 text: the child checks after the answer that each
 *                 process still has the start time it judged (a pid
 *                 reused meanwhile gets its answer dropped)
 *   PRIV_EXEFACTS (child) the executable of each of at most
 *                 PRIV_EXEFACTS_MAX processes, by pid, and what stat(2)
 *                 says about it and its directory (the process checks'
 *                 verdicts: deleted, replaced, writable by everyone),
 *                 for the processes whose executable or directory the
 *                 child may not look at (another user's, under a 0700
 *                 directory); the parent reads the link, cuts the
 *                 kernel's " (deleted)" off it, stats the path and its
 *                 directory and answers PRIV_FACTS: fixed-size facts per
 *                 pid (errno, device, inode, mode and owner of each) and
 *                 the link's bytes, not parsed.  The child keeps an
 *                 answer only when the link is the one it judged and the
 *                 process still has its start time
 *   PRIV_STOP     (child) stop a stuck interpreter (pid, start time, its
 *                 script and why): the parent does it only when
 *                 "check stuck-cgi { kill yes }" is in its configuration
 *                 and the pid runs one of the check's interpreters, with
 *                 the audit entries and the owner's mail, and answers
 *                 PRIV_STOPPED: the outcome and the finding's evidence
 * and samples the history's series (those of hist_collect_snap):
 *   PRIV_SAMPLE   (parent, no body) sample them now
 *   PRIV_SAMPLES  (child, the sample's id) a piece of the values: each a
 *                 series name of the history's charset (hist_name_ok)
 *                 and a number (NAN: unknown), the last piece marked;
 *                 the parent adds what it samples itself and writes them
 *
 * The bodies are C structures of this file: both ends are the same
 * binary (a child is the parent's executable, child.h), so their layout
 * is the same.
 */
#ifndef AGENT_PRIV_H
#define AGENT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "agent/event.h"
#include "net/addr.h"

struct act_ops;
struct err;

enum priv_type {
	PRIV_OPEN = 1, /* child: open this file read-only for me */
	PRIV_BLOCK,    /* child: block this prefix */
	PRIV_KILL,     /* child: stop this process */
	PRIV_ALERT,    /* child: run the alert actions on this event */
	PRIV_NOTE,     /* either way: a line of text */
	PRIV_FD,       /* parent: the descriptor asked for */
	PRIV_BLOCKED,  /* parent: outcome of a block */
	PRIV_DONE,     /* parent: outcome of a kill or an alert */
	PRIV_ERROR,    /* parent: the request was refused or failed */
	PRIV_FINDING,  /* child: an analyzer's finding in a followed log */
	PRIV_PROGRESS, /* child: a followed set's counters */
	PRIV_LINE,     /* parent: a line of a followed set */
	PRIV_SYNC,     /* parent: answer with the set's progress */
	PRIV_SHOW,     /* parent: print what these analyzers counted */
	PRIV_SHOWN,    /* child: a piece of what they print */
	PRIV_HTTP,     /* child: answer this HTTP request */
	PRIV_HTTP_REP, /* parent: a piece of the answer */
	PRIV_RUN,      /* parent: run these checks of the registry */
	PRIV_CHECKED,  /* child: a finding of a check it ran */
	PRIV_RAN,      /* child: a check ran, its findings all sent */
	PRIV_SAMPLE,   /* parent: sample the history's series */
	PRIV_SAMPLES,  /* child: a piece of the series' values */
	PRIV_LINKS,    /* child: read these links of /proc/PID for me */
	PRIV_LINKED,   /* parent: the links read */
	PRIV_STOP,     /* child: stop this stuck interpreter */
	PRIV_STOPPED,  /* parent: outcome of a stop */
	PRIV_EXEFACTS, /* child: stat these processes' executables for me */
	PRIV_FACTS,    /* parent: what stat said */
	PRIV_TYPE_MAX,
};

/* Who sent the datagram being decoded: it decides the types allowed. */
enum priv_from {
	PRIV_FROM_CHILD,
	PRIV_FROM_PARENT,
};

struct priv_hdr {
	uint32_t type; /* enum priv_type */
	uint32_t len;  /* of the datagram: header and body */
	uint32_t id;   /* a request's; its reply carries the same */
};

#define PRIV_PATH_MAX 4096  /* PRIV_OPEN: the path and its NUL */
#define PRIV_TEXT_MAX 2048  /* PRIV_NOTE, PRIV_ERROR: text and NUL */
#define PRIV_BY_MAX 64      /* PRIV_BLOCK: "rule:conn-flood" and NUL */
#define PRIV_REASON_MAX 256 /* PRIV_BLOCK: the reason and its NUL */
#define PRIV_GRACE_MAX 30.0 /* PRIV_KILL: seconds after SIGTERM */

struct priv_block_req {
	struct net_prefix p;
	uint64_t secs; /* at most NET_BLOCK_MAX_SECS; 0: never expires */
	char by[PRIV_BY_MAX];
	char reason[PRIV_REASON_MAX]; /* "": none */
};

struct priv_block_rep {
	uint32_t status; /* enum net_block_status */
	int32_t err_code;
	int64_t until; /* 0: never */
	char msg[400];
};

struct priv_kill_req {
	int32_t pid;
	uint32_t pad;
	uint64_t start_ticks; /* /proc/PID/stat field 22 */
	double grace;         /* 0..PRIV_GRACE_MAX */
};

/* The followed sets of logs a child may name: 0 .. PRIV_SETS_MAX - 1. */
#define PRIV_SETS_MAX 8

/*
 * A finding of a followed log: a struct finding's fields at fixed sizes
 * (check an id of [a-z0-9._-], strings terminated within their fields,
 * a known severity, at most FINDING_MAX_EV evidence items, a time not
 * before the epoch), the set it was found in and its line's number there.
 */
struct priv_finding {
	uint32_t set; /* < PRIV_SETS_MAX */
	uint32_t sev; /* enum sev */
	int64_t time;
	uint64_t line; /* the line's number in its set, from 1 */
	char check[64];
	char subject[256];
	char message[512];
	uint32_t nev; /* <= FINDING_MAX_EV */
	uint32_t pad;
	struct finding_ev ev[FINDING_MAX_EV];
};

/*
 * What an access log's requests counted (logs_child.c): every request,
 * the pages among them (the stats analyzer's page types), the responses
 * 4xx and 5xx, the requests the attacks analyzer flagged.  The first
 * PRIV_WEB_LOGS files of a set are counted one by one, the others (and
 * lines of no file index) together in the slot after them.
 */
enum {
	PRIV_WEB_HITS,
	PRIV_WEB_PAGES,
	PRIV_WEB_4XX,
	PRIV_WEB_5XX,
	PRIV_WEB_ATTACKS,
	PRIV_WEB_N
};
#define PRIV_WEB_LOGS 16
/* What a mail log's lines counted, as the mail analyzer counts them. */
enum {
	PRIV_MAIL_RECEIVED,
	PRIV_MAIL_DELIVERED,
	PRIV_MAIL_BOUNCED,
	PRIV_MAIL_REJECTED,
	PRIV_MAIL_N
};

/*
 * A set's counters of the lines since its previous PRIV_PROGRESS:
 * analysed <= lines, findings counted separately; the access logs'
 * requests (each file's: pages, 4xx + 5xx and attacks at most its
 * requests, all requests at most analysed) and the mail logs' messages.
 */
struct priv_progress {
	uint32_t set; /* < PRIV_SETS_MAX */
	uint32_t pad;
	uint64_t lines, analysed, findings;
	uint64_t web[PRIV_WEB_LOGS + 1][PRIV_WEB_N];
	uint64_t mail[PRIV_MAIL_N];
};

/* The longest line sent whole (the follower's default cut). */
#define PRIV_LINE_MAX (64 * 1024)

/* A set's files the child is told of (PRIV_NOTE "file SET N PATH"). */
#define PRIV_FILES_MAX 4096
/* PRIV_LINE's file when it is none of those (read under another name). */
#define PRIV_FILE_NONE UINT32_MAX

/* PRIV_LINE: its body is the fixed fields and len bytes of text. */
struct priv_line {
	uint32_t set;   /* < PRIV_SETS_MAX */
	uint32_t cut;   /* 1: the line was longer and is cut, else 0 */
	uint64_t line;  /* its number in the set, from 1 */
	uint64_t fline; /* its number in its file, from 1 (0: unknown) */
	uint32_t file;  /* < PRIV_FILES_MAX, or PRIV_FILE_NONE */
	uint32_t len;   /* of text, <= PRIV_LINE_MAX; no NUL follows */
	char text[PRIV_LINE_MAX];
};

/*
 * PRIV_SHOW: a set, an output mode (enum out_mode), analyzer names; or
 * the set PRIV_SHOW_MACHINE, an exposition format (enum expo_fmt) and
 * no analyzers ("").
 */
#define PRIV_SHOW_NAMES 128
#define PRIV_SHOW_MACHINE UINT32_MAX
struct priv_show {
	uint32_t set;                    /* < PRIV_SETS_MAX or ..._MACHINE */
	uint32_t mode;                   /* enum out_mode or enum expo_fmt */
	char analyzers[PRIV_SHOW_NAMES]; /* [a-z,], terminated; "": all */
};

/* PRIV_SHOWN: a piece of the text, len bytes, the last one marked. */
#define PRIV_SHOWN_MAX (60 * 1024)
#define PRIV_SHOW_TOTAL (16u << 20)
struct priv_shown {
	uint32_t last; /* 1: the answer's last piece, else 0 */
	uint32_t len;  /* of text, <= PRIV_SHOWN_MAX */
	char text[PRIV_SHOWN_MAX];
};

struct priv_sync {
	uint32_t set; /* < PRIV_SETS_MAX */
	uint32_t pad;
};

/* Entries of the check registry a PRIV_RUN may name: a bit each. */
#define PRIV_ENTRIES_MAX 64

/* PRIV_RUN: the entries due (bit i: entry i), at the time now. */
struct priv_run {
	int64_t now;      /* not before the epoch */
	uint64_t entries; /* at least one */
};

/* PRIV_CHECKED: a finding of entry's run (f.set and f.line are 0). */
struct priv_checked {
	uint32_t entry; /* < PRIV_ENTRIES_MAX */
	uint32_t pad;
	struct priv_finding f;
};

/* PRIV_RAN: entry ran at now, nfound findings sent before this. */
struct priv_ran {
	uint32_t entry; /* < PRIV_ENTRIES_MAX */
	uint32_t nfound;
	int64_t now; /* not before the epoch */
};

/* PRIV_SAMPLES: n values of series, the last piece of a sample marked. */
#define PRIV_POINT_NAME 96 /* HIST_NAME_MAX */
#define PRIV_POINTS_MAX 128
struct priv_point {
	char name[PRIV_POINT_NAME]; /* hist_name_ok, terminated */
	double v;                   /* finite, or NAN: unknown */
};
struct priv_points {
	uint32_t n;    /* <= PRIV_POINTS_MAX: the body holds n points */
	uint32_t last; /* 1: the sample's last piece, else 0 */
	struct priv_point p[PRIV_POINTS_MAX];
};

/* PRIV_LINKS: which link of /proc/PID. */
enum priv_link {
	PRIV_LINK_EXE, /* the executable */
	PRIV_LINK_CWD, /* the working directory */
	PRIV_LINK_N,
};
#define PRIV_LINKS_MAX 14  /* pids in one request */
#define PRIV_LINK_MAX 4096 /* bytes of a link (PATH_MAX) */
struct priv_links_req {
	uint32_t link;               /* enum priv_link */
	uint32_t n;                  /* 1 .. PRIV_LINKS_MAX */
	int32_t pid[PRIV_LINKS_MAX]; /* the first n: > 0 */
};
struct priv_link_rep {
	int32_t pid;  /* the request's, in its order */
	int32_t code; /* 0: read; else errno (ENAMETOOLONG: too long) */
	uint32_t len; /* of link: 1 .. PRIV_LINK_MAX when read, else 0 */
	uint32_t pad;
	char link[PRIV_LINK_MAX]; /* len bytes, no NUL */
};
/* PRIV_LINKED: the answer, one entry per pid asked. */
struct priv_linked {
	uint32_t link; /* enum priv_link */
	uint32_t n;    /* the request's */
	struct priv_link_rep l[PRIV_LINKS_MAX];
};

/* PRIV_EXEFACTS: the pids whose executables to look at. */
#define PRIV_EXEFACTS_MAX 14
struct priv_exefacts_req {
	uint32_t n; /* 1 .. PRIV_EXEFACTS_MAX */
	uint32_t pad;
	int32_t pid[PRIV_EXEFACTS_MAX]; /* the first n: > 0 */
};
/*
 * One pid's facts: its link /proc/PID/exe as readlink(2) gives it (the
 * kernel's " (deleted)" cut off and said in deleted), then stat(2) of
 * that path and of its directory, each an errno or what it said.
 */
struct priv_exefact {
	int32_t pid;       /* the request's, in its order */
	int32_t code;      /* the link: 0 read, else errno (then no link, 0s) */
	uint32_t deleted;  /* 1: the link ended in " (deleted)", else 0 */
	uint32_t len;      /* of link: 1 .. PRIV_LINK_MAX when read */
	int32_t file_code; /* stat of the path: 0, or errno (ENOENT: none) */
	int32_t dir_code;  /* stat of its directory: 0, or errno */
	uint64_t dev, ino; /* the path's, when file_code is 0 */
	uint64_t dir_dev, dir_ino;
	uint32_t mode, uid;
	uint32_t dir_mode, dir_uid;
	char link[PRIV_LINK_MAX]; /* len bytes, no NUL */
};
/* PRIV_FACTS: the answer, one entry per pid asked. */
struct priv_exefacts {
	uint32_t n; /* the request's */
	uint32_t pad;
	struct priv_exefact f[PRIV_EXEFACTS_MAX];
};

/* PRIV_STOP: a stuck interpreter as the child judged it. */
struct priv_stop_req {
	int32_t pid; /* > 1 */
	uint32_t pad;
	uint64_t start_ticks;       /* /proc/PID/stat field 22 */
	char comm[64];              /* terminated */
	char user[64];              /* terminated, no control character */
	char script[PRIV_PATH_MAX]; /* "" or absolute, as user */
	char why[256];              /* as user */
};
/* PRIV_STOPPED: how it ended, an error, and the evidence to add. */
#define PRIV_STOP_EV 4
struct priv_stopped {
	int32_t result;          /* enum kill_result (KILL_GONE: not stopped) */
	int32_t code;            /* errno of the error, 0 if none */
	char msg[PRIV_TEXT_MAX]; /* the error (not stopped, or not
	                          * audited); "": none */
	uint32_t nev;            /* <= PRIV_STOP_EV */
	uint32_t pad;
	struct finding_ev ev[PRIV_STOP_EV];
};

struct priv_done {
	int32_t result;
};

struct priv_error {
	int32_t code; /* errno, 0 if none */
	char msg[PRIV_TEXT_MAX];
};

/*
 * What an HTTP request asks for, parsed by the HTTP child: the pages,
 * the JSON API, /metrics and the two forms that change state.
 */
enum priv_http_route {
	PRIV_HTTP_METRICS = 1, /* arg: enum expo_fmt */
	PRIV_HTTP_OVERVIEW,    /* "/" */
	PRIV_HTTP_GRAPHS,      /* "/graphs" */
	PRIV_HTTP_SERIES,      /* "/graphs/NAME": name */
	PRIV_HTTP_GRAPH,       /* "/graph/NAME/PERIOD.png": name, arg period */
	PRIV_HTTP_PROCESSES,
	PRIV_HTTP_CONNECTIONS,
	PRIV_HTTP_WEB,
	PRIV_HTTP_MAIL,
	PRIV_HTTP_INTEGRITY,
	PRIV_HTTP_DISKS,
	PRIV_HTTP_SERVERS,
	PRIV_HTTP_CSS,  /* "/static/dash.css" */
	PRIV_HTTP_ICON, /* "/static/icon.svg", "/favicon.ico" */
	PRIV_HTTP_API_PROBLEMS,
	PRIV_HTTP_API_STATUS,
	PRIV_HTTP_API_HISTORY_LIST,
	PRIV_HTTP_API_HISTORY, /* name, num since (epoch), arg 1: max */
	PRIV_HTTP_API_BLOCKS,
	PRIV_HTTP_API_WEB,
	PRIV_HTTP_API_MAIL,
	PRIV_HTTP_API_INTEGRITY,
	PRIV_HTTP_API_DISKS,
	PRIV_HTTP_API_SERVERS,
	PRIV_HTTP_API_ERROR, /* arg: status 400..599, text: what was wrong */
	PRIV_HTTP_SILENCE,   /* check, subject ("": all), num: seconds */
	PRIV_HTTP_UNBLOCK,   /* prefix */
	PRIV_HTTP_ROUTE_MAX,
};

/* PRIV_HTTP_GRAPH's periods: arg < PRIV_HTTP_PERIODS (day .. year). */
#define PRIV_HTTP_PERIODS 4
/* PRIV_HTTP_SILENCE: at most this many seconds. */
#define PRIV_HTTP_SILENCE_MAX (366 * 86400)
#define PRIV_HTTP_NAME_MAX 96 /* a series name and its NUL (HIST_NAME_MAX) */
#define PRIV_HTTP_TEXT_MAX 512

struct priv_http_req {
	uint32_t route;                /* enum priv_http_route */
	uint32_t arg;                  /* per route, see there; else 0 */
	int64_t num;                   /* per route; else 0 */
	struct net_prefix prefix;      /* PRIV_HTTP_UNBLOCK */
	char name[PRIV_HTTP_NAME_MAX]; /* a series (hist_name_ok) or "" */
	char check[64];                /* [a-z0-9._-] or "" */
	char subject[256];
	char text[PRIV_HTTP_TEXT_MAX];
};

/* PRIV_HTTP_REP: where a state change sends the browser next. */
enum priv_http_loc {
	PRIV_HTTP_LOC_NONE,
	PRIV_HTTP_LOC_HOME,        /* Location: / */
	PRIV_HTTP_LOC_CONNECTIONS, /* Location: /connections */
};

/* The whole body of an answer, at most. */
#define PRIV_HTTP_TOTAL (64u << 20)

/* PRIV_HTTP_REP: a piece of the answer, len bytes of it. */
struct priv_http_rep {
	uint32_t status; /* 100 .. 599 */
	uint32_t loc;    /* enum priv_http_loc */
	uint32_t last;   /* 1: the answer's last piece, else 0 */
	uint32_t len;    /* of text, <= PRIV_SHOWN_MAX */
	char type[64];   /* printable ASCII, terminated */
	char text[PRIV_SHOWN_MAX];
};

/* The largest datagram: a header and the largest body (a line). */
#define PRIV_MSG_MAX (sizeof(struct priv_hdr) + sizeof(struct priv_line))

/* A decoded message: the body's fields copied out and checked. */
struct priv_msg {
	enum priv_type type;
	uint32_t id;
	int fd; /* PRIV_FD's descriptor (the receiver's to close), else -1 */
	union {
		char path[PRIV_PATH_MAX]; /* PRIV_OPEN */
		char text[PRIV_TEXT_MAX]; /* PRIV_NOTE */
		struct priv_block_req block;
		struct priv_block_rep blocked;
		struct priv_kill_req kill;
		struct alert_event alert;
		struct priv_finding finding;
		struct priv_progress progress;
		struct priv_line line;
		struct priv_sync sync;
		struct priv_show show;
		struct priv_shown shown;
		struct priv_http_req http;
		struct priv_http_rep http_rep;
		struct priv_run run;
		struct priv_checked checked;
		struct priv_ran ran;
		struct priv_points points;
		struct priv_links_req links;
		struct priv_linked linked;
		struct priv_stop_req stop;
		struct priv_stopped stopped;
		struct priv_exefacts_req exefacts;
		struct priv_exefacts facts;
		struct priv_done done;
		struct priv_error error;
	} u;
};

/* "open", "block", ... ; "?" for an unknown type. */
const char *priv_type_name(uint32_t type);

/*
 * Decodes one datagram of len bytes that came with nfds descriptors
 * (their values are not looked at; the caller closes them when this
 * fails, and also keeps the one of a PRIV_FD in m->fd after success).
 * Checks the header (length equal to len, a type that from may send),
 * the body's size for its type, and its contents: strings terminated and
 * within their fields (a path absolute, without NUL, "." or ".."
 * components), enum values known, numbers in range; a PRIV_FD exactly
 * one descriptor, every other type none.  0, or -1 with err saying what
 * was wrong.  Pure: no I/O, no allocation.
 */
int priv_msg_decode(const void *buf, size_t len, size_t nfds,
    enum priv_from from, struct priv_msg *m, struct err *err);

/*
 * Writes a message of type with body into buf (at least PRIV_MSG_MAX
 * bytes); returns its length, or 0 when the body does not fit.
 */
size_t priv_msg_encode(void *buf, size_t bufsz, enum priv_type type,
    uint32_t id, const void *body, size_t bodylen);

/*
 * Sends one message over the channel sock, with the descriptor fd when it
 * is not -1.  0, or -1 with err (EPIPE: the peer is gone).
 */
int priv_send(int sock, enum priv_type type, uint32_t id, const void *body,
    size_t bodylen, int fd, struct err *err);
/* A PRIV_NOTE of the text s (cut to PRIV_TEXT_MAX - 1 bytes). */
int priv_send_note(int sock, const char *s, struct err *err);
/*
 * A text of len bytes as messages of type and id (PRIV_SHOWN,
 * PRIV_HTTP_REP): each one the head bytes of msg (its fixed fields, a
 * buffer of PRIV_MSG_MAX bytes) with its uint32_t fields at last_off and
 * len_off set, then at most PRIV_SHOWN_MAX bytes of text; at least one
 * message, the last marked.  A full socket is waited on for up to secs in
 * all.  0, or -1 with err.
 */
int priv_send_pieces(int sock, enum priv_type type, uint32_t id, void *msg,
    size_t head, size_t last_off, size_t len_off, const char *text, size_t len,
    double secs, struct err *err);
/*
 * n bytes in a new memory file, sent as a PRIV_FD of id (a child's
 * setup: a configuration, a certificate).  0, or -1 with err.
 */
int priv_send_bytes(
    int sock, uint32_t id, const void *p, size_t n, struct err *err);
/*
 * The whole of a file received (from its start, at most max bytes) into
 * *buf (malloc'd, NUL-terminated, the caller's to free) and *len.  0, or
 * -1 (unreadable, larger than max, out of memory).
 */
int priv_fd_read(int fd, size_t max, char **buf, size_t *len);

/*
 * A finding as a PRIV_FINDING body (its strings cut to the fields, the
 * evidence past FINDING_MAX_EV dropped), and back: the parent's copy, to
 * be noted as a problem.
 */
void priv_finding_from(struct priv_finding *dst, uint32_t set, uint64_t line,
    const struct finding *f);
void priv_finding_to(struct finding *dst, const struct priv_finding *src);

/*
 * Receives and decodes one message (waits when the socket blocks).  1 and
 * *m, 0 at end of file (the peer closed), or -1 with err: a malformed or
 * truncated message (every descriptor that came with it is closed), or a
 * receive error (EAGAIN on a non-blocking socket with nothing to read).
 */
int priv_recv(
    int sock, enum priv_from from, struct priv_msg *m, struct err *err);

/*
 * A request and its reply, for a child: sends the request with a new id
 * and waits for the reply with that id (a reply's type: PRIV_FD,
 * PRIV_BLOCKED, PRIV_DONE, PRIV_ERROR, PRIV_LINKED, PRIV_STOPPED,
 * PRIV_FACTS).  Any
 * other message received meanwhile is given to other, when not NULL
 * (its descriptor then its to close; other returns -1 to give up), else
 * dropped.  0 and *rep (PRIV_ERROR included: the caller reads it), or -1
 * with err (channel, or other gave up).
 */
int priv_call(int sock, enum priv_type type, const void *body, size_t len,
    struct priv_msg *rep, int (*other)(const struct priv_msg *m, void *arg),
    void *arg, struct err *err);

/*
 * A child's request to open path: 0 and *fd (the caller's to close), or
 * -1 with err (the parent's refusal: "'/etc/shadow' is not a followed
 * log", or the channel's failure).
 */
int priv_open(int sock, const char *path, int *fd, struct err *err);

/*
 * The parent's services.  Files are opened only when on the allow-list
 * (priv_allow_path): the exact path, or a rotated sibling of it in the
 * same directory (its name followed by '.' or '-' and a suffix of
 * letters, digits, '.', '_' and '-': "access.log.1", "access.log.2.gz",
 * "access.log-20260101"); always O_RDONLY|O_NOFOLLOW|O_CLOEXEC, and only
 * a regular file (a character device such as /dev/kmsg when it is the
 * exact path listed).  Blocks and kills go through ops (the policy of
 * act_ops: allow-list, breadth, cap, start time), with two refusals of
 * its own: never pid 1 or the parent itself.  PRIV_ALERT goes to the
 * alert hook when one is set, else it is refused.
 */
struct priv_parent {
	char **allow; /* absolute paths */
	size_t nallow;
	const struct act_ops *ops; /* NULL: blocks and kills are refused */
	/* PRIV_ALERT: -1 with err, else the reply's result (priv_done) */
	int (*alert)(void *arg, const struct alert_event *e, struct err *err);
	void *alert_arg;
	/* PRIV_FINDING and PRIV_PROGRESS from a log-parsing child (no
	 * reply); NULL: dropped */
	void (*finding)(
	    void *arg, const char *child, const struct priv_finding *f);
	void (*progress)(
	    void *arg, const char *child, const struct priv_progress *pr);
	/* PRIV_SHOWN from a log-parsing child (no reply); NULL: dropped */
	void (*shown)(void *arg, const char *child, uint32_t id,
	    const struct priv_shown *sh);
	void *finding_arg;
	/* PRIV_HTTP from the HTTP child: the answer sent on sock as
	 * PRIV_HTTP_REP messages of id; 0, or -1 with err (channel) */
	int (*http)(void *arg, int sock, uint32_t id,
	    const struct priv_http_req *r, struct err *err);
	void *http_arg;
	/* PRIV_CHECKED and PRIV_RAN of a check run (no reply); NULL:
	 * dropped */
	void (*checked)(void *arg, uint32_t id, const struct priv_checked *c);
	void (*ran)(void *arg, uint32_t id, const struct priv_ran *r);
	/* PRIV_STOP: stops a stuck interpreter, filling *rep; NULL: the
	 * request is refused (PRIV_LINKS and PRIV_EXEFACTS are served by
	 * priv_serve itself) */
	void (*stop)(
	    void *arg, const struct priv_stop_req *s, struct priv_stopped *rep);
	/* PRIV_SAMPLES (no reply); NULL: dropped */
	void (*samples)(void *arg, uint32_t id, const struct priv_points *p);
	void *check_arg;
	/* PRIV_NOTE from a child, its text escaped by the caller */
	void (*note)(void *arg, const char *child, const char *text);
	void *note_arg;
};

void priv_parent_init(struct priv_parent *p);
/*
 * The alert hook to the alert actions (act/alert.h): arg is a struct
 * alert_actions; the result is how many actions took the event.
 */
int priv_alert_actions(void *arg, const struct alert_event *e, struct err *err);
void priv_parent_release(struct priv_parent *p);
/* Adds an absolute path to the allow-list.  0, or -1 with err. */
int priv_allow_path(struct priv_parent *p, const char *path, struct err *err);
/* 1 when path may be opened: listed, or a rotated sibling of a listed. */
int priv_path_allowed(
    const struct priv_parent *p, const char *path, int *exact);

/*
 * Serves one decoded request of the child named child (for the log and
 * the "by" of its actions) and sends the reply on sock.  0, or -1 with
 * err when the reply cannot be sent.
 */
int priv_serve(struct priv_parent *p, const char *child, int sock,
    const struct priv_msg *m, struct err *err);

#endif
