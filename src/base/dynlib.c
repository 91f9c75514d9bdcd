/*
 * dynlib.c - loads a shared library and its symbols once (see dynlib.h).
 */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static struct dynlib *const libs[DYNLIB_NLIBS] = {
    [DYNLIB_HS] = &dynlib_hs,
    [DYNLIB_CRYPTO] = &dynlib_crypto,
    [DYNLIB_SQLITE3] = &dynlib_sqlite3,
    [DYNLIB_PCRE2] = &dynlib_pcre2,
    [DYNLIB_ZLIB] = &dynlib_zlib,
    [DYNLIB_EVENT] = &dynlib_event,
    [DYNLIB_CAP] = &dynlib_cap,
    [DYNLIB_SECCOMP] = &dynlib_seccomp,
    [DYNLIB_MHD] = &dynlib_mhd,
    [DYNLIB_RRD] = &dynlib_rrd,
    [DYNLIB_INJECTION] = &dynlib_injection,
    [DYNLIB_CURL] = &dynlib_curl,
    [DYNLIB_SSL] = &dynlib_ssl,
};

/* Test knob: is l named in SAKIMORI_DYNLIB_FAIL ("sqlite3,hs")? */
static int
forced_to_fail(const struct dynlib *l)
{
	const char *v = getenv("SAKIMORI_DYNLIB_FAIL");
	size_t n = strlen(l->tag);

	while (v != NULL && *v != '\0') {
		size_t len = strcspn(v, ",");

		if (len == n && strncmp(v, l->tag, n) == 0)
			return 1;
		v += len;
		v += *v == ',';
	}
	return 0;
}

static void
set_failed(struct dynlib *l, const char *what)
{
	snprintf(l->why, sizeof(l->why),
	    "cannot load %s (Debian package %s): %s", l->soname, l->package,
	    what != NULL ? what : "unknown error");
	l->failed = 1;
}

/* Loads l under load_lock: 0, or -1 with l->why. */
static int
load_locked(struct dynlib *l)
{
	void *h;

	if (__atomic_load_n(&l->ready, __ATOMIC_ACQUIRE))
		return 0;
	if (l->failed)
		return -1;
	if (forced_to_fail(l)) {
		set_failed(l, "refused by SAKIMORI_DYNLIB_FAIL");
		return -1;
	}
	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		set_failed(l, dlerror());
		return -1;
	}
	for (size_t i = 0; l->names[i] != NULL; i++) {
		l->fns[i] = dlsym(h, l->names[i]);
		if (l->fns[i] == NULL) {
			set_failed(l, dlerror());
			dlclose(h);
			return -1;
		}
	}
	__atomic_store_n(&l->ready, 1, __ATOMIC_RELEASE);
	return 0;
}

int
dynlib_require(enum dynlib_id id, struct err *err)
{
	struct dynlib *l;
	int rc;

	if ((unsigned)id >= DYNLIB_NLIBS)
		return err_set(err, 0, "no such library");
	l = libs[id];
	if (__atomic_load_n(&l->ready, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&load_lock);
	rc = load_locked(l);
	pthread_mutex_unlock(&load_lock);
	if (rc == -1)
		return err_set(err, 0, "%s", l->why);
	return 0;
}

int
dynlib_probe(enum dynlib_id id, struct err *err)
{
	struct err e = {0};
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if ((unsigned)id >= DYNLIB_NLIBS)
		return err_set(err, 0, "no such library");
	if (__atomic_load_n(&libs[id]->ready, __ATOMIC_ACQUIRE))
		return 0;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return dynlib_require(id, err);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return dynlib_require(id, err);
	}
	if (pid == 0) {
		close(fds[0]);
		if (dynlib_require(id, &e) == 0)
			_exit(0);
		/* one write under PIPE_BUF: whole or not at all */
		n = write(fds[1], &e, sizeof(e));
		_exit(n == (ssize_t)sizeof(e) ? 1 : 2);
	}
	close(fds[1]);
	do
		n = read(fds[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
	    n == (ssize_t)sizeof(e)) {
		if (err != NULL)
			*err = e;
		return -1;
	}
	/* the child died some other way: ask here */
	return dynlib_require(id, err);
}

int
dynlib_where(enum dynlib_id id, char *path, size_t sz)
{
	Dl_info info;

	if ((unsigned)id >= DYNLIB_NLIBS ||
	    !__atomic_load_n(&libs[id]->ready, __ATOMIC_ACQUIRE) ||
	    libs[id]->fns[0] == NULL || dladdr(libs[id]->fns[0], &info) == 0 ||
	    info.dli_fname == NULL || info.dli_fname[0] != '/' ||
	    strlen(info.dli_fname) >= sz)
		return -1;
	memcpy(path, info.dli_fname, strlen(info.dli_fname) + 1);
	return 0;
}

int
dynlib_expect(enum dynlib_id id, const char *path)
{
	struct dynlib *l;
	struct stat st;
	int rc;

	if ((unsigned)id >= DYNLIB_NLIBS)
		return -1;
	l = libs[id];
	if (__atomic_load_n(&l->ready, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&load_lock);
	rc = l->failed || forced_to_fail(l) || path == NULL || path[0] != '/' ||
	        stat(path, &st) == -1 || !S_ISREG(st.st_mode)
	    ? -1
	    : 0;
	pthread_mutex_unlock(&load_lock);
	return rc;
}

void
dynlib_load(struct dynlib *l)
{
	int rc;

	pthread_mutex_lock(&load_lock);
	rc = load_locked(l);
	pthread_mutex_unlock(&load_lock);
	if (rc == -1) {
		fprintf(stderr, "sakimori: %s\n", l->why);
		exit(69); /* EX_UNAVAILABLE */
	}
}
