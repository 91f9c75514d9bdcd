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

/*
 * The first of: the option, $env, root's path, $xdg/xdg_sub (an absolute
 * $xdg only), then the home directory's home_sub.  *explicit_ says whether
 * the option or $env chose.
 */
static int
choose(char *dst, size_t dstsz, struct err *err, const char *opt,
    const char *env, const char *root_path, const char *xdg,
    const char *xdg_sub, const char *home_sub, int *explicit_)
{
	const char *e = getenv(env);
	const char *x;

	*explicit_ = 1;
	if (opt && opt[0])
		return put(dst, dstsz, err, opt, "");
	if (e && e[0])
		return put(dst, dstsz, err, e, "");
	*explicit_ = 0;
	if (geteuid() == 0)
		return put(dst, dstsz, err, root_path, "");
	x = getenv(xdg);
	if (x && x[0] == '/')
		return put(dst, dstsz, err, x, xdg_sub);
	return put(dst, dstsz, err, home_dir(), home_sub);
}

int
paths_config(
    char *dst, size_t dstsz, const char *opt, int *explicit_, struct err *err)
{
	return choose(dst, dstsz, err, opt, "SAKIMORI_CONFIG",
	    SAKIMORI_CONFIG_FILE, "XDG_CONFIG_HOME", "/sakimori/sakimori.conf",
	    "/.config/sakimori/sakimori.conf", explicit_);
}

int
paths_state_dir(char *dst, size_t dstsz, const char *opt, struct err *err)
{
	int explicit_;

	return choose(dst, dstsz, err, opt, "SAKIMORI_STATE_DIR",
	    "/var/lib/sakimori", "XDG_STATE_HOME", "/sakimori",
	    "/.local/state/sakimori", &explicit_);
}

int
paths_run_dir(char *dst, size_t dstsz, const char *opt, struct err *err)
{
	const char *e = getenv("SAKIMORI_RUN_DIR");
	const char *x = getenv("XDG_RUNTIME_DIR");
	int explicit_;

	if (!(opt && opt[0]) && !(e && e[0]) && geteuid() != 0 &&
	    !(x && x[0] == '/'))
		return err_set(err, ENOENT,
		    "no run directory: XDG_RUNTIME_DIR is not set (use "
		    "--run-dir)");
	return choose(dst, dstsz, err, opt, "SAKIMORI_RUN_DIR", "/run/sakimori",
	    "XDG_RUNTIME_DIR", "/sakimori", "", &explicit_);
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
