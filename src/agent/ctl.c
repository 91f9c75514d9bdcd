/*
 * ctl.c - the control protocol's requests and replies (see ctl.h).
 */
#include "agent/ctl.h"

#include <errno.h>
#include <string.h>

#include "base/err.h"
#include "base/timeutil.h"

/* The next word of [*cur, end) (up to a space): its length, 0 at the end. */
static size_t
word(const char **cur, const char *end, const char **w)
{
	const char *p = *cur;

	while (p < end && *p == ' ')
		p++;
	*w = p;
	while (p < end && *p != ' ')
		p++;
	*cur = p;
	return (size_t)(p - *w);
}

static int
is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(w, s, n) == 0;
}

int
ctl_target(const char *s, struct ctl_req *q, struct err *err)
{
	const char *slash = strchr(s, '/');
	size_t clen = slash != NULL ? (size_t)(slash - s) : strlen(s);

	if (clen == 0)
		return err_set(err, EINVAL, "no check named in '%s'", s);
	if (clen >= sizeof(q->check))
		return err_set(err, EINVAL, "check name too long");
	for (size_t i = 0; i < clen; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '-' || c == '_'))
			return err_set(err, EINVAL,
			    "'%.*s' is not a check name", (int)clen, s);
	}
	memcpy(q->check, s, clen);
	q->check[clen] = '\0';
	q->has_subject = slash != NULL;
	q->subject[0] = '\0';
	if (slash != NULL) {
		size_t slen = strlen(slash + 1);

		if (slen == 0)
			return err_set(err, EINVAL, "empty subject in '%s'", s);
		if (slen >= sizeof(q->subject))
			return err_set(err, EINVAL, "subject too long");
		memcpy(q->subject, slash + 1, slen + 1);
	}
	return 0;
}

int
ctl_parse(const char *line, size_t len, struct ctl_req *q, struct err *err)
{
	const char *cur = line, *end = line + len, *w;
	char target[CTL_LINE_MAX];
	size_t n;

	memset(q, 0, sizeof(*q));
	if (len > 0 && line[len - 1] == '\r')
		end--;
	if (memchr(line, '\0', (size_t)(end - line)) != NULL)
		return err_set(err, EINVAL, "a NUL byte in the request");
	n = word(&cur, end, &w);
	if (is(w, n, "status"))
		q->op = CTL_STATUS;
	else if (is(w, n, "problems"))
		q->op = CTL_PROBLEMS;
	else if (is(w, n, "reload"))
		q->op = CTL_RELOAD;
	else if (is(w, n, "silence"))
		q->op = CTL_SILENCE;
	else
		return err_set(err, EINVAL, "unknown request '%.*s'",
		    (int)(n > 64 ? 64 : n), w);
	if (q->op == CTL_SILENCE) {
		n = word(&cur, end, &w);
		if (n == 0 || dur_parse(w, n, &q->secs) == -1)
			return err_set(err, EINVAL,
			    "silence wants a duration (30m, 2h, 1d; 0 lifts "
			    "it)");
		while (cur < end && *cur == ' ')
			cur++;
		n = (size_t)(end - cur);
		if (n == 0)
			return err_set(
			    err, EINVAL, "silence wants CHECK[/SUBJECT]");
		if (n >= sizeof(target))
			return err_set(err, EINVAL, "request too long");
		memcpy(target, cur, n);
		target[n] = '\0';
		return ctl_target(target, q, err);
	}
	n = word(&cur, end, &w);
	if (n != 0 && q->op != CTL_RELOAD && is(w, n, "json")) {
		q->json = 1;
		n = word(&cur, end, &w);
	}
	if (n != 0)
		return err_set(err, EINVAL, "unexpected '%.*s' in the request",
		    (int)(n > 64 ? 64 : n), w);
	return 0;
}

int
ctl_reply_status(const char *line, size_t len, const char **msg, size_t *msglen)
{
	const char *cur = line, *end = line + len;
	int code = 0;

	*msg = "";
	*msglen = 0;
	if (len > 0 && line[len - 1] == '\r')
		end--;
	if (end - cur == 2 && memcmp(cur, "ok", 2) == 0)
		return 0;
	if (end - cur < 6 || memcmp(cur, "error ", 6) != 0) {
		*msg = "the agent's reply is not understood";
		*msglen = strlen(*msg);
		return 70;
	}
	cur += 6;
	while (cur < end && *cur >= '0' && *cur <= '9' && code < 1000)
		code = code * 10 + (*cur++ - '0');
	if (code < 64 || code > 78)
		code = 70;
	if (cur < end && *cur == ' ')
		cur++;
	*msg = cur;
	*msglen = (size_t)(end - cur);
	return code;
}
