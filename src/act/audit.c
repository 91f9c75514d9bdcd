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
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

int
audit_log(const char *state_dir, const struct audit_entry *e, struct err *err)
{
	char path[PATH_MAX], ts[40];
	json_t *o = json_object();
	struct strbuf sb = STRBUF_INIT(1 << 16);
	char *line;
	ssize_t n;
	int fd;

	if (dir_make(state_dir, 0700, err) == -1) {
		json_decref(o);
		return -1;
	}
	if (path_join(path, sizeof(path), state_dir, "audit.log") == -1) {
		json_decref(o);
		return err_set(
		    err, ENAMETOOLONG, "path too long: '%s'", state_dir);
	}
	time_iso(ts, sizeof(ts), time(NULL));
	jset(o, "time", json_string(ts));
	jset(o, "action", jstr(e->action));
	jset(o, "who", jstr(e->who));
	jset(o, "target", jstr(e->target));
	jset(o, "reason", jstr(e->reason));
	jset(o, "result", jstr(e->result));
	jset(o, "uid", json_integer((json_int_t)getuid()));
	jset(o, "pid", json_integer((json_int_t)getpid()));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (line == NULL)
		return err_set(err, ENOMEM, "cannot format audit entry");
	if (strbuf_adds(&sb, line) == -1 || strbuf_addc(&sb, '\n') == -1) {
		free(line);
		strbuf_release(&sb);
		return err_set(err, ENOMEM, "audit entry too large");
	}
	fd = open(
	    path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		int e2 = errno;
		free(line);
		strbuf_release(&sb);
		return err_sys(err, e2, "cannot open '%s'", path);
	}
	/* One write with O_APPEND: lines from concurrent writers never mix. */
	n = write(fd, sb.p, sb.len);
	strbuf_release(&sb);
	if (n == -1 || fsync(fd) == -1) {
		int e2 = errno;
		close(fd);
		free(line);
		return err_sys(err, e2, "cannot write '%s'", path);
	}
	close(fd);
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "audit: %s", line);
	free(line);
	return 0;
}
