/*
 * audit.c - the append-only audit log (see audit.h).
 */
#include "act/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/statedir.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

/* One entry as a JSON line (with the newline) appended to sb; 0 or -1. */
static int
entry_line(const struct audit_entry *e, struct strbuf *sb, char **line)
{
	json_t *o = json_object();

	jset(o, "type", json_string("action"));
	jset(o, "time", jtime((int64_t)time(NULL)));
	jset(o, "action", jstr(e->action));
	jset(o, "who", jstr(e->who));
	jset(o, "target", jstr(e->target));
	jset(o, "reason", jstr(e->reason));
	jset(o, "result", jstr(e->result));
	jset(o, "uid", json_integer((json_int_t)getuid()));
	jset(o, "pid", json_integer((json_int_t)getpid()));
	*line = json_stamp(o) == -1
	    ? NULL
	    : json_dumps(o,
	          JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (*line == NULL)
		return -1;
	if (strbuf_adds(sb, *line) == -1 || strbuf_addc(sb, '\n') == -1) {
		free(*line);
		*line = NULL;
		return -1;
	}
	return 0;
}

/* Opens state_dir/audit.log for appending, made if missing. */
static int
audit_open(const char *state_dir, char *path, size_t pathsz, struct err *err)
{
	int fd;

	if (dir_make(state_dir, 0700, err) == -1)
		return -1;
	if (path_join(path, pathsz, state_dir, "audit.log") == -1)
		return err_set(
		    err, ENAMETOOLONG, "path too long: '%s'", state_dir);
	fd = statedir_open(
	    state_dir, "audit.log", O_WRONLY | O_APPEND | O_CREAT, 0600, err);
	return fd;
}

int
audit_check(const char *state_dir, struct err *err)
{
	char path[PATH_MAX];
	int fd;

	if (state_dir == NULL)
		return err_set(err, EINVAL,
		    "no state directory for the audit "
		    "log");
	if ((fd = audit_open(state_dir, path, sizeof(path), err)) == -1)
		return -1;
	close(fd);
	return 0;
}

int
audit_log_many(const char *state_dir, const struct audit_entry *e, size_t n,
    struct err *err)
{
	char path[PATH_MAX];
	struct strbuf sb = STRBUF_INIT(0);
	char **lines;
	ssize_t w;
	int fd, rc = 0;

	if (n == 0)
		return 0;
	if (state_dir == NULL)
		return err_set(err, EINVAL,
		    "no state directory for the audit "
		    "log");
	if ((lines = calloc(n, sizeof(*lines))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (entry_line(&e[i], &sb, &lines[i]) == -1) {
			rc = err_set(err, ENOMEM, "cannot format audit entry");
			goto out;
		}
	if ((fd = audit_open(state_dir, path, sizeof(path), err)) == -1) {
		rc = -1;
		goto out;
	}
	/* One write with O_APPEND: lines from concurrent writers never mix. */
	w = write(fd, sb.p, sb.len);
	if (w == -1 || (size_t)w != sb.len || fsync(fd) == -1) {
		int e2 = w == -1 || (size_t)w == sb.len ? errno : EIO;

		close(fd);
		rc = err_sys(err, e2, "cannot write '%s'", path);
		goto out;
	}
	close(fd);
	for (size_t i = 0; i < n; i++)
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "audit: %s", lines[i]);
out:
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	strbuf_release(&sb);
	return rc;
}

int
audit_log(const char *state_dir, const struct audit_entry *e, struct err *err)
{
	return audit_log_many(state_dir, e, 1, err);
}
