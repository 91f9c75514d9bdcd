/*
 * logs.h - log records and the pure parsers that make them.
 *
 * Every parser takes one line (bytes, no newline) and fills a record whose
 * strings are slices (pointer + length) into that line: nothing is copied
 * or allocated, so a record is valid only while the line's buffer is.
 * Parsers never open files, log or exit; a line they cannot read returns
 * -1 and the caller counts it with its line number.
 *
 * Three kinds of record come out:
 *   access  - web server requests: Apache common / combined /
 *             vhost_combined / any LogFormat, nginx default and custom
 *             log_format, IIS W3C extended and IIS native;
 *   error   - Apache error log 2.2 and 2.4, nginx error log;
 *   syslog  - RFC 3164, RFC 5424, the journal's JSON output
 *             (journalctl -o json).
 * logs_parse_line() detects the format of each line by itself (cheaply, by
 * its first bytes) unless the caller fixes one.
 */
#ifndef LOGS_LOGS_H
#define LOGS_LOGS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/civtime.h"

/* A slice of the line: not NUL-terminated.  n == 0 with p == NULL: absent. */
struct logs_str {
	const char *p;
	size_t n;
};

/*
 * Record times are struct civtime (base/civtime.h): the broken-down
 * fields are the log's own (its local time when it has no zone); use
 * civ_epoch() to place a zone-less time in local time.
 */

enum logs_kind {
	LOGS_KIND_NONE = 0,
	LOGS_KIND_ACCESS = 1,
	LOGS_KIND_ERROR = 2,
	LOGS_KIND_SYSLOG = 4,
	/*
	 * A line no parser read: still counted as unparsed with its line
	 * number, and handed (as line only) to analyzers that want raw text,
	 * such as a CGI's stderr in Apache 2.2's error log ("panic: POPSTACK").
	 */
	LOGS_KIND_RAW = 8,
};

/* Formats a caller may force (--format); AUTO detects per line. */
enum logs_format {
	LOGS_FMT_AUTO = 0,
	LOGS_FMT_CLF,       /* Apache common/combined/vhost_combined, nginx */
	LOGS_FMT_LOGFORMAT, /* a compiled Apache LogFormat / nginx log_format */
	LOGS_FMT_IIS_W3C,   /* W3C extended, #Fields: headers */
	LOGS_FMT_IIS_NATIVE, /* IIS comma-separated native format */
	LOGS_FMT_APACHE_ERROR,
	LOGS_FMT_NGINX_ERROR,
	LOGS_FMT_SYSLOG, /* RFC 3164 or RFC 5424 */
	LOGS_FMT_JOURNAL_JSON,
	LOGS_FMT_COUNT
};

/* One web request. */
struct logs_access {
	struct logs_str client;    /* %h / $remote_addr / c-ip */
	struct logs_str forwarded; /* a leading "a, b, c" list, when logged */
	struct logs_str ident, user;
	struct civtime time;
	struct logs_str request;    /* the whole request line as logged */
	struct logs_str method;     /* GET */
	struct logs_str path;       /* /index.html (no query) */
	struct logs_str query;      /* a=1&b=2 (without '?'); absent if none */
	struct logs_str protocol;   /* HTTP/1.1 */
	int status;                 /* -1 when absent or "-" */
	int64_t bytes;              /* response bytes; -1 for "-" or absent */
	struct logs_str referrer;   /* absent for "-" */
	struct logs_str user_agent; /* absent for "-" */
	struct logs_str vhost;      /* %v / s-sitename / cs-host */
	int64_t duration_us;        /* %D, %T, $request_time, time-taken; -1 */
};

/* One Apache or nginx error-log entry. */
struct logs_error {
	struct civtime time;
	struct logs_str level;   /* "error", "notice", ... */
	struct logs_str module;  /* 2.4 "core" in [core:error]; nginx: absent */
	int64_t pid, tid;        /* -1 when absent */
	struct logs_str client;  /* address without port */
	int client_port;         /* -1 when absent */
	struct logs_str code;    /* "AH00128" */
	struct logs_str message; /* the text after the prefixes */
	struct logs_str referrer; /* ", referer: URL" at the end */
	struct logs_str request;  /* nginx: request: "GET / HTTP/1.1" */
	struct logs_str host;     /* nginx: host: "example.com" */
	int severity;             /* 0 emerg .. 7 debug, -1 unknown */
};

/* One syslog message (RFC 3164, RFC 5424 or the journal). */
struct logs_syslog {
	int facility, severity; /* from <PRI>; -1 when absent */
	int version;            /* 1 for RFC 5424, 0 otherwise */
	struct civtime time;
	struct logs_str host;
	struct logs_str app; /* tag / APP-NAME / SYSLOG_IDENTIFIER */
	struct logs_str pid; /* [pid] / PROCID */
	struct logs_str msgid;
	struct logs_str sd; /* RFC 5424 structured data, as written */
	struct logs_str message;
};

/*
 * What every analyzer sees: the kind, the raw line and its number, and
 * the record of that kind.  For the journal the strings point into the
 * parser's scratch buffer (see struct logs_parser) instead of the line.
 */
struct logs_rec {
	enum logs_kind kind;
	enum logs_format format; /* which parser read it */
	struct logs_str line;    /* the raw line */
	uint64_t lineno;         /* 1-based line number in its file */
	const char *file;        /* the file's name, for messages */
	union {
		struct logs_access a;
		struct logs_error e;
		struct logs_syslog s;
	} u;
};

/* Result of a stateful parser step. */
enum logs_res {
	LOGS_OK = 0,        /* a record was filled */
	LOGS_DIRECTIVE = 1, /* a header or comment line (#Fields:), consumed */
	LOGS_EMPTY = 2,     /* an empty line */
	LOGS_BAD = -1,      /* not a line of that format: count it */
};

/* ---- single-format parsers (pure, stateless) ---- */

/*
 * Apache common, combined, vhost_combined (%v:%p first) and vhost-first
 * variants, nginx's default "combined" and "main" (with a trailing
 * "$http_x_forwarded_for"), X-Forwarded-For lists before the client.
 * 0 or -1.
 */
int logs_parse_clf(const char *line, size_t n, struct logs_access *out);

/*
 * The minute of the last CLF time stamp read ("10/Oct/2000:13:55" and
 * its zone), for the next line's: most lines of a log share it, and its
 * seconds are all that is left to read then.  Zeroed: empty.
 */
struct logs_clf_memo {
	uint64_t key[3];  /* the stamp's bytes but its seconds */
	struct civtime t; /* its time at the minute's start */
	int set;
};

/* logs_parse_clf through m (the same record, in less time). */
int logs_parse_clf_memo(const char *line, size_t n, struct logs_clf_memo *m,
    struct logs_access *out);

/* Apache 2.2 / 2.4 error log.  0 or -1. */
int logs_parse_apache_error(const char *line, size_t n, struct logs_error *out);
/* nginx error log: "2024/01/02 03:04:05 [error] 12#0: *3 msg, client: ..." */
int logs_parse_nginx_error(const char *line, size_t n, struct logs_error *out);
/* RFC 5424, RFC 3164 (with or without <PRI>), rsyslog ISO-time lines. */
int logs_parse_syslog(const char *line, size_t n, struct logs_syslog *out);
/* The same with RFC 3164 times, which have no year, in year (0: none). */
int logs_parse_syslog_year(
    const char *line, size_t n, int year, struct logs_syslog *out);
/* IIS native: "client, user, MM/DD/YY, H:MM:SS, service, server, ..." */
int logs_parse_iis_native(const char *line, size_t n, struct logs_access *out);

/* Apache error-log level names to syslog severity (0..7), -1 if unknown. */
int logs_level_severity(const char *s, size_t n);

/* ---- W3C extended (IIS): stateful, the #Fields: header decides ---- */

#define LOGS_W3C_MAXF 40
#define LOGS_W3C_LAYOUTS 5

struct logs_w3c_layout {
	unsigned nf;
	unsigned char f[LOGS_W3C_MAXF]; /* field ids (internal) */
};

struct logs_w3c {
	/* [0] is the current #Fields:, then older ones, newest first. */
	struct logs_w3c_layout l[LOGS_W3C_LAYOUTS];
	unsigned nl;
	unsigned nheaders;  /* #Fields: lines seen */
	unsigned rematched; /* rows read with an older layout */
};

void logs_w3c_init(struct logs_w3c *w);
/*
 * One line: a directive (#Fields: changes the layout mid-file), or a row.
 * A row whose value count differs from the current layout is re-matched
 * against an earlier layout with that count (w->rematched); a row with
 * more values than a layout whose last field is cs(User-Agent) or
 * cs(Referer) gives that field the surplus (spaces not written as '+');
 * else LOGS_BAD.  Without any #Fields: the IIS defaults are tried, told
 * apart by their count.  Dates may be yyyy-mm-dd, yyyy/mm/dd, dd/mm/yyyy
 * or mm/dd/yyyy, times HH:MM[:SS].
 */
enum logs_res logs_w3c_line(
    struct logs_w3c *w, const char *line, size_t n, struct logs_access *out);

/* ---- Apache LogFormat / nginx log_format, compiled once ---- */

struct logs_fmt;

/*
 * Compiles an Apache LogFormat string ("%h %l %u %t \"%r\" %>s %b") or,
 * when it holds '$', an nginx log_format string ("$remote_addr - ...").
 * Nicknames "common", "combined", "vhost_combined", "nginx" are accepted.
 * Returns NULL with *errmsg (static text) on an unknown directive.
 */
struct logs_fmt *logs_fmt_compile(const char *spec, const char **errmsg);
void logs_fmt_free(struct logs_fmt *f);
/* Parses one line with a compiled format.  0 or -1. */
int logs_fmt_parse(const struct logs_fmt *f, const char *line, size_t n,
    struct logs_access *out);

/* ---- detection and the all-format entry point ---- */

/*
 * The state of a stream of lines from one file: the forced format (or
 * AUTO), the W3C header state, a compiled LogFormat, the year to give
 * RFC 3164 times, and scratch space for the journal's decoded strings.
 */
struct logs_parser {
	enum logs_format force;     /* LOGS_FMT_AUTO detects each line */
	const struct logs_fmt *fmt; /* for LOGS_FMT_LOGFORMAT (caller's) */
	struct logs_w3c w3c;
	int default_year; /* for times without a year (RFC 3164) */
	/* 1: an error-log line relayed through syslog stays a syslog
	 * record (for a reader of syslog only, such as mail) */
	int syslog_only;
	enum logs_format last;    /* last format that matched: tried first */
	struct logs_clf_memo clf; /* the last CLF time stamp's minute */
	char *scratch;            /* journal: decoded fields (owned) */
	size_t scratch_cap;
	void *jroot; /* journal: the last decoded JSON object (owned) */
};

void logs_parser_init(struct logs_parser *p, enum logs_format force);
void logs_parser_release(struct logs_parser *p);
/*
 * Parses one line (without its newline) into rec (kind, format and the
 * record; line and lineno are the caller's).  LOGS_OK, LOGS_DIRECTIVE,
 * LOGS_EMPTY or LOGS_BAD.
 */
enum logs_res logs_parse_line(
    struct logs_parser *p, const char *line, size_t n, struct logs_rec *rec);

/* Format names for --format and messages: "clf", "iis", "syslog", ... */
const char *logs_format_name(enum logs_format f);
/* 0 and *out, or -1 for an unknown name. */
int logs_format_parse(const char *name, enum logs_format *out);

/* ---- helpers on slices ---- */

static inline int
logs_str_eq(struct logs_str s, const char *lit, size_t litn)
{
	size_t i;

	if (s.n != litn)
		return 0;
	for (i = 0; i < litn; i++)
		if (s.p[i] != lit[i])
			return 0;
	return 1;
}

#endif
