/*
 * log.h - diagnostics of the process (not findings): to stderr, or to
 * syslog once log_to_syslog() was called.  Only process code (cli/, agent/)
 * calls these; library-like code fills a struct err instead.
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

extern int log_verbose; /* 0 quiet, 1 info, 2 debug */

void log_init(const char *progname);
void log_to_syslog(void);
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
