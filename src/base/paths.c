/*
 * paths.c - configuration and state locations (see paths.h).
 */
#include "base/paths.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/statedir.h"

static const char *
home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && h[0] == '/')
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "/";
}

static int
put(char *dst, size_t dstsz, struct err *err, const char *a, const char *b)
{
	int n = snprintf(dst, dstsz, "%s%s", a, b);

	if (n < 0 || (size_t)n >= dstsz)
		return err_set(
		    err, ENAMETOOLONG, "path too long: '%s%s'", a, b);
	return 0;
}

/* The command line's value, else the environment variable's; or NULL. */
static const char *
given(const char *opt, const char *env)
{
	const char *v = getenv(env);

	if (opt && opt[0])
		return opt;
	return v && v[0] ? v : NULL;
}

/* An XDG base directory variable when it is absolute (else unset). */
static const char *
xdg(const char *name)
{
	const char *x = getenv(name);

	return x && x[0] == '/' ? x : NULL;
}

int
paths_config(
    char *dst, size_t dstsz, const char *opt, int *explicit_, struct err *err)
{
	const char *v = given(opt, "SAKIMORI_CONFIG");

	*explicit_ = v != NULL;
	if (v != NULL)
		return put(dst, dstsz, err, v, "");
	if (geteuid() == 0)
		return put(dst, dstsz, err, SAKIMORI_CONFIG_FILE, "");
	if ((v = xdg("XDG_CONFIG_HOME")) != NULL)
		return put(dst, dstsz, err, v, "/sakimori/sakimori.conf");
	return put(
	    dst, dstsz, err, home_dir(), "/.config/sakimori/sakimori.conf");
}

int
paths_state_dir(char *dst, size_t dstsz, const char *opt, struct err *err)
{
	const char *v = given(opt, "SAKIMORI_STATE_DIR");

	if (v != NULL)
		return put(dst, dstsz, err, v, "");
	if (geteuid() == 0)
		return put(dst, dstsz, err, "/var", "/lib/sakimori");
	if ((v = xdg("XDG_STATE_HOME")) != NULL)
		return put(dst, dstsz, err, v, "/sakimori");
	return put(dst, dstsz, err, home_dir(), "/.local/state/sakimori");
}

int
paths_run_dir(char *dst, size_t dstsz, const char *opt, struct err *err)
{
	const char *v = given(opt, "SAKIMORI_RUN_DIR");

	if (v != NULL)
		return put(dst, dstsz, err, v, "");
	if (geteuid() == 0)
		return put(dst, dstsz, err, "/run", "/sakimori");
	if ((v = xdg("XDG_RUNTIME_DIR")) != NULL)
		return put(dst, dstsz, err, v, "/sakimori");
	return err_set(err, ENOENT,
	    "no run directory: XDG_RUNTIME_DIR is not set (use --run-dir)");
}

int
paths_state_file(char *dst, size_t dstsz, const char *state_dir,
    const char *name, struct err *err)
{
	int fd = statedir_dir(state_dir, NULL, 1, err);

	if (fd == -1)
		return -1;
	close(fd);
	if (path_join(dst, dstsz, state_dir, name) == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s/%s'",
		    state_dir, name);
	return 0;
}
