/*
 * watch.h - the web roots watched live with inotify: a new executable
 * (a web shell dropped by an attacker) or a changed page (a defacement)
 * is reported as it happens, between two scheduled fim scans.
 *
 * Every directory under the roots is watched, to at most max_watches
 * (one UNKNOWN finding says where the cap was hit, or where the kernel
 * refused a watch); directories created or moved in later are watched as
 * they appear, and the files already in them looked at, so a file written
 * into a directory just created is not missed.
 *
 * What is reported, as findings of two checks (evidence: path, size,
 * mode, owner, mtime):
 * - web-new-executable: a regular file that the web server could run: a
 *   mode with an x bit, or a name the common server setups hand to an
 *   interpreter (.php .php3 .php4 .php5 .php7 .phtml .phar .cgi .pl .py
 *   .sh .asp .aspx .jsp).  CRITICAL when the file is new (created, or
 *   moved in), WARNING when an existing one was rewritten or made
 *   executable.
 * - web-page-changed: WARNING for an existing page rewritten or replaced
 *   (.html .htm .shtml .xhtml, and the script names above) when it is not
 *   already reported as an executable: a rewritten .php is a changed page,
 *   a new .php a new executable.
 * Anything else (images, style sheets, archives) is not reported.  A new
 * file is looked at once it is closed after writing (or, when it is not
 * written through, WATCH_SETTLE seconds after it appeared), so one copy
 * gives one finding with its final size.
 *
 * Use in an event loop:
 *
 *	w = watch_open(roots, n, &opts, &err);
 *	loop: wait until watch_fd(w) is readable or watch_timeout(w)
 *	      seconds have passed (-1: no timer), then watch_step(w, &r);
 *	watch_close(w);
 *
 * The roots are the ones fim scans (fim.h): the configured webroots of
 * "check fim", else Apache's document roots, else /var/www:
 *
 *	struct fim_opts fo = {0};
 *	fo.blk = conf_check(conf, "fim", NULL);
 *	fim_opts_webroots(&fo, NULL);
 *	w = watch_open(fo.web, fo.nweb, NULL, &err);
 *	fim_opts_release(&fo);	(watch_open keeps copies)
 *
 * The module logs nothing and installs no signal handler.
 */
#ifndef FIM_WATCH_H
#define FIM_WATCH_H

#include <stddef.h>

struct err;
struct report;

#define WATCH_MAX_DEFAULT 8192 /* directories watched at most */
#define WATCH_SETTLE 0.5       /* s: a new file not written through */

struct watch_opts {
	size_t max_watches; /* 0: WATCH_MAX_DEFAULT */
};

struct watch;

/*
 * Watches every directory under roots (absolute paths; a missing root is
 * reported by the first watch_step as UNKNOWN).  NULL with err when
 * inotify cannot be had.
 */
struct watch *watch_open(const char *const *roots, size_t n,
    const struct watch_opts *o, struct err *err);

/* The inotify descriptor to wait on. */
int watch_fd(const struct watch *w);

/*
 * Reads the pending events and adds what they show to r (above); also an
 * UNKNOWN finding when the kernel dropped events (its queue overflowed)
 * or when a directory could not be watched.  How many findings were
 * added.
 */
size_t watch_step(struct watch *w, struct report *r);

/* Seconds until new files not yet looked at are due, or -1 for none. */
double watch_timeout(const struct watch *w);

/* How many directories are watched. */
size_t watch_count(const struct watch *w);

void watch_close(struct watch *w);

#endif
