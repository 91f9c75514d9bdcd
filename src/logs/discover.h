/*
 * discover.h - the logs this server has, and why: what the agent follows.
 *
 * Found by reading the servers' own configuration, as they read it:
 * - Apache: CustomLog and TransferLog (access), ErrorLog (error), in the
 *   main server and the virtual hosts, after Include, <IfModule>,
 *   ${APACHE_LOG_DIR} from Debian's envvars (apache/apache.h); relative
 *   paths are under ServerRoot.  Piped logs ("|rotatelogs ...") and
 *   ErrorLog syslog are skipped and listed as such.
 * - nginx: access_log and error_log at any level (nginx.conf and what it
 *   includes, globs too); "off", syslog: and stderr targets are skipped
 *   and listed; relative paths are under nginx's prefix (/usr/share/nginx
 *   on Debian); without any access_log, nginx's compiled-in
 *   /var/log/nginx/access.log.
 * - the system: the mail log (/var/log/mail.log, /var/log/maillog), the
 *   auth log (/var/log/auth.log, /var/log/secure), the kernel (/dev/kmsg).
 * Then the configuration of sakimori:
 *	logs {
 *		follow "/srv/app/log/access.log" kind access
 *		ignore "/var/log/apache2/other_vhosts_access.log"
 *	}
 * follow adds a log (KIND: access, error, mail, auth, kernel; without
 * kind, from the name: "error", "mail", "auth" or "secure" in it, else
 * access); ignore ("*" and "?" match as in fnmatch(3)) removes what
 * matches from what was found or added.
 *
 * Every path is as the server sees it; present says whether it exists
 * under the root prefix (an absent file is listed, not followed).  The
 * kernel's /dev/kmsg is a device, read as a stream of records rather
 * than through the follower (logs/follow.h takes regular files).
 */
#ifndef LOGS_DISCOVER_H
#define LOGS_DISCOVER_H

#include <limits.h>
#include <stddef.h>

struct apache_conf;
struct conf;
struct err;

enum discover_kind {
	DISCOVER_ACCESS,
	DISCOVER_ERROR,
	DISCOVER_MAIL,
	DISCOVER_AUTH,
	DISCOVER_KERNEL,
};

#define DISCOVER_SOURCE_MAX (PATH_MAX + 16)
#define DISCOVER_MAX 512 /* logs listed at most; more are counted */

struct discover_log {
	char path[PATH_MAX];
	enum discover_kind kind;
	char source[DISCOVER_SOURCE_MAX]; /* "file:line" or "default" */
	char server[16];                  /* "apache", "nginx", "system",
	                                     "sakimori" */
	int present;                      /* exists under the root */
};

/* A log directive that names no file to follow. */
struct discover_skip {
	char target[256]; /* "|/usr/bin/rotatelogs ...", "syslog:server=..." */
	char source[DISCOVER_SOURCE_MAX];
	char why[64]; /* "piped", "syslog", "off", "stderr" */
};

struct discover {
	struct discover_log *log;
	size_t n, cap;
	struct discover_skip *skip;
	size_t nskip, capskip;
	size_t dropped;     /* past DISCOVER_MAX */
	char notes[4][512]; /* configurations that could not be read fully */
	size_t nnotes;
};

void discover_init(struct discover *d);
void discover_release(struct discover *d);

/*
 * All of the above under root (NULL or "" for /), with c's logs block
 * (c may be NULL).  0, or -1 with err (code EINVAL, "file:line: ...")
 * when the logs block is wrong; what the servers' files say that cannot
 * be read is in d->notes.
 */
int discover_logs(struct discover *d, const char *root, const struct conf *c,
    struct err *err);

/* The logs of a loaded Apache configuration (its server_root applies). */
void discover_apache(struct discover *d, const struct apache_conf *ac);

/*
 * nginx's configuration from main (a path as nginx sees it) with the
 * includes it names, under root.  0, or -1 when main cannot be read.
 */
int discover_nginx(struct discover *d, const char *root, const char *main);

/* The system's logs that exist (or the usual names, absent). */
void discover_system(struct discover *d, const char *root);

/* c's logs block: follow and ignore.  0, or -1 with err (file:line). */
int discover_conf(struct discover *d, const struct conf *c, struct err *err);

/* Sets each log's present under root. */
void discover_stat(struct discover *d, const char *root);

const char *discover_kind_name(enum discover_kind k);
/* 0, or -1 for an unknown name. */
int discover_kind_parse(const char *s, enum discover_kind *k);

/*
 * The statements of an nginx configuration, for discover_nginx and the
 * fuzz target: pure, bytes in.  Each simple directive or block opening
 * ("server {") is passed to fn with its words (quotes removed, escapes
 * undone; at most NGINX_MAX_WORDS, more are dropped) and its line.
 * Returns 0, or -1 with *errline set at the first syntax error (an
 * unclosed quote or block, a '}' too many); what came before was passed.
 */
#define NGINX_MAX_WORDS 16
struct nginx_stmt {
	const char *w[NGINX_MAX_WORDS];
	size_t nw;
	int line;
	int block; /* ends in '{' */
	int depth; /* blocks around it */
};

int nginx_conf_parse(const char *text, size_t len,
    void (*fn)(void *arg, const struct nginx_stmt *s), void *arg, int *errline);

#endif
