/*
 * loadavg.c - /proc/loadavg and /proc/uptime (see loadavg.h).
 */
#include "collect/loadavg.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "collect/collect_int.h"

int
loadavg_parse(const char *s, size_t n, struct loadavg *out, struct err *err)
{
	const char *cur = s, *end = s + n;

	memset(out, 0, sizeof(*out));
	if (cur_dec(&cur, end, &out->avg1) == -1 ||
	    cur_spaces(&cur, end) == 0 ||
	    cur_dec(&cur, end, &out->avg5) == -1 ||
	    cur_spaces(&cur, end) == 0 || cur_dec(&cur, end, &out->avg15) == -1)
		return err_set(err, EINVAL,
		    "malformed loadavg: expected three "
		    "load averages");
	cur_spaces(&cur, end);
	if (cur_u64(&cur, end, &out->running) == 0 &&
	    cur_char(&cur, end, '/') == 0 &&
	    cur_u64(&cur, end, &out->total) == 0) {
		cur_spaces(&cur, end);
		(void)cur_u64(&cur, end, &out->last_pid);
	}
	return 0;
}

int
loadavg_read(const char *root, struct loadavg *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(4096);
	int rc = -1;

	if (collect_file(root, "/proc/loadavg", 4096, &sb, err) == 0)
		rc = loadavg_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}

int
uptime_parse(const char *s, size_t n, struct uptime *out, struct err *err)
{
	const char *cur = s, *end = s + n;

	out->up = 0;
	out->idle = NAN;
	if (cur_dec(&cur, end, &out->up) == -1)
		return err_set(
		    err, EINVAL, "malformed uptime: expected seconds");
	cur_spaces(&cur, end);
	if (cur_dec(&cur, end, &out->idle) == -1)
		out->idle = NAN;
	return 0;
}

int
uptime_read(const char *root, struct uptime *out, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(4096);
	int rc = -1;

	if (collect_file(root, "/proc/uptime", 4096, &sb, err) == 0)
		rc = uptime_parse(sb.p, sb.len, out, err);
	strbuf_release(&sb);
	return rc;
}
