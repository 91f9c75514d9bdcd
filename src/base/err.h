/*
 * err.h - the caller's error: what library-like code fills in instead of
 * logging or exiting.
 */
#ifndef BASE_ERR_H
#define BASE_ERR_H

struct err {
	int code;      /* errno-style, 0 if none */
	char msg[512]; /* lowercase, the subject quoted */
};

/* Sets *err (when err is not NULL) and returns -1, so "return err_set(...)" works. */
int err_set(struct err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As err_set, with ": strerror(code)" appended. */
int err_sys(struct err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes an existing message: "context: old message". */
int err_prefix(struct err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void err_clear(struct err *err);

#endif
