/*
 * smart.c - SMART through smartctl --json (see smart.h).
 */
#include "disk/smart.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "base/bounded.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

#define SMART_OUT_MAX (1u << 20)

static int64_t
jint(json_t *v)
{
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (d > -9e18 && d < 9e18)
			return (int64_t)d;
	}
	return DISK_SMART_ABSENT;
}

static void
jcopy(char *dst, size_t dstsz, json_t *v)
{
	if (json_is_string(v))
		str_copy(dst, dstsz, json_string_value(v));
}

static void
ata_attributes(json_t *table, struct disk_smart *s)
{
	size_t i, fl = 0;
	json_t *a;

	if (!json_is_array(table))
		return;
	json_array_foreach(table, i, a)
	{
		int64_t id = jint(json_object_get(a, "id"));
		json_t *raw = json_object_get(a, "raw");
		int64_t v = jint(json_object_get(raw, "value"));
		json_t *wf = json_object_get(a, "when_failed");
		json_t *name = json_object_get(a, "name");

		if (json_is_string(wf) &&
		    strcmp(json_string_value(wf), "now") == 0 &&
		    json_is_string(name) && fl < sizeof(s->failing_now)) {
			int w = snprintf(s->failing_now + fl,
			    sizeof(s->failing_now) - fl, "%s%s", fl ? " " : "",
			    json_string_value(name));

			if (w > 0)
				fl += (size_t)w;
			if (fl >= sizeof(s->failing_now))
				fl = sizeof(s->failing_now);
		}
		if (v == DISK_SMART_ABSENT || v < 0)
			continue;
		switch (id) {
		case 5:
			s->realloc = v;
			break;
		case 197:
			s->pending = v;
			break;
		case 198:
			s->offline_unc = v;
			break;
		case 199:
			s->crc = v;
			break;
		case 9:
			if (s->power_on_hours == DISK_SMART_ABSENT)
				s->power_on_hours = v & 0xffffffff;
			break;
		case 190:
		case 194:
			if (s->temp == DISK_SMART_ABSENT)
				s->temp = v & 0xff;
			break;
		default:
			break;
		}
	}
}

static void
nvme_log(json_t *n, struct disk_smart *s)
{
	if (!json_is_object(n))
		return;
	s->critical_warning = jint(json_object_get(n, "critical_warning"));
	s->media_errors = jint(json_object_get(n, "media_errors"));
	s->spare = jint(json_object_get(n, "available_spare"));
	s->spare_threshold =
	    jint(json_object_get(n, "available_spare_threshold"));
	s->pct_used = jint(json_object_get(n, "percentage_used"));
	if (s->temp == DISK_SMART_ABSENT)
		s->temp = jint(json_object_get(n, "temperature"));
	if (s->power_on_hours == DISK_SMART_ABSENT)
		s->power_on_hours = jint(json_object_get(n, "power_on_hours"));
}

int
disk_smart_parse(
    const char *buf, size_t len, struct disk_smart *s, struct err *err)
{
	json_t *root, *sc, *msgs, *v, *attrs, *nvme, *scsi_defects;
	json_error_t je;
	int have;

	memset(s, 0, sizeof(*s));
	s->passed = -1;
	s->realloc = s->pending = s->offline_unc = s->crc = DISK_SMART_ABSENT;
	s->critical_warning = s->media_errors = DISK_SMART_ABSENT;
	s->spare = s->spare_threshold = s->pct_used = DISK_SMART_ABSENT;
	s->temp = s->power_on_hours = DISK_SMART_ABSENT;
	s->status = DISK_SMART_ERROR;
	root = json_loadb(buf, len, 0, &je);
	if (root == NULL)
		return err_set(err, EBADMSG,
		    "smartctl output is not JSON (line %d: %s)", je.line,
		    je.text);
	sc = json_object_get(root, "smartctl");
	if (!json_is_object(root) || !json_is_object(sc)) {
		json_decref(root);
		return err_set(
		    err, EBADMSG, "smartctl output has no \"smartctl\" object");
	}
	v = json_object_get(sc, "exit_status");
	if (json_is_integer(v))
		s->exit_status = (int)(json_integer_value(v) & 0xff);
	msgs = json_object_get(sc, "messages");
	if (json_is_array(msgs)) {
		size_t i;
		json_t *m;

		json_array_foreach(msgs, i, m)
		{
			json_t *str = json_object_get(m, "string");

			if (json_is_string(str)) {
				jcopy(s->message, sizeof(s->message), str);
				break;
			}
		}
	}
	jcopy(s->protocol, sizeof(s->protocol),
	    json_object_get(json_object_get(root, "device"), "protocol"));
	jcopy(s->model, sizeof(s->model), json_object_get(root, "model_name"));
	if (s->model[0] == '\0')
		jcopy(s->model, sizeof(s->model),
		    json_object_get(root, "scsi_model_name"));
	jcopy(s->serial, sizeof(s->serial),
	    json_object_get(root, "serial_number"));
	v = json_object_get(json_object_get(root, "smart_status"), "passed");
	if (json_is_boolean(v))
		s->passed = json_is_true(v);
	s->temp = jint(
	    json_object_get(json_object_get(root, "temperature"), "current"));
	s->power_on_hours = jint(
	    json_object_get(json_object_get(root, "power_on_time"), "hours"));
	attrs = json_object_get(
	    json_object_get(root, "ata_smart_attributes"), "table");
	ata_attributes(attrs, s);
	nvme = json_object_get(root, "nvme_smart_health_information_log");
	nvme_log(nvme, s);
	scsi_defects = json_object_get(root, "scsi_grown_defect_list");
	if (json_is_integer(scsi_defects) && s->realloc == DISK_SMART_ABSENT)
		s->realloc = jint(scsi_defects);

	have = s->passed != -1 || json_is_array(attrs) || json_is_object(nvme);
	v = json_object_get(
	    json_object_get(root, "smart_support"), "available");
	if (have) {
		s->status = DISK_SMART_OK;
	} else if (strstr(s->message, "STANDBY") != NULL ||
	    strstr(s->message, "SLEEP") != NULL) {
		s->status = DISK_SMART_STANDBY;
	} else if ((json_is_boolean(v) && !json_is_true(v)) ||
	    strstr(s->message, "Unable to detect device type") != NULL ||
	    strstr(s->message, "Unknown USB bridge") != NULL) {
		s->status = DISK_SMART_NONE;
	} else {
		s->status = DISK_SMART_ERROR;
		if (s->message[0] == '\0')
			snprintf(s->message, sizeof(s->message),
			    "smartctl gave no health data (exit status %d)",
			    s->exit_status);
	}
	json_decref(root);
	return 0;
}

void
disk_smart_cw_words(int64_t cw, char *dst, size_t dstsz)
{
	static const char *const bits[] = {"available spare below threshold",
	    "temperature out of range", "reliability degraded by media errors",
	    "media placed in read-only mode", "volatile memory backup failed",
	    "memory region read-only"};
	size_t l = 0;

	dst[0] = '\0';
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		int w;

		if (!(cw & (1 << i)))
			continue;
		w = snprintf(
		    dst + l, dstsz - l, "%s%s", l ? ", " : "", bits[i]);
		if (w < 0 || (size_t)w >= dstsz - l)
			return;
		l += (size_t)w;
	}
	if (l == 0 && cw != 0)
		snprintf(dst, dstsz, "0x%llx", (unsigned long long)cw);
}

enum sev
disk_smart_verdict(const struct disk_smart *s,
    const struct disk_smart_prev *prev, char *why, size_t whysz)
{
	const char *advice = "Back up its data now and replace the disk.";

	why[0] = '\0';
	if (s->status != DISK_SMART_OK)
		return SEV_OK;
	if (s->passed == 0) {
		str_printf(why, whysz,
		    "the disk predicts its own failure (SMART overall-health "
		    "FAILED%s%s). %s",
		    s->failing_now[0] ? ": " : "", s->failing_now, advice);
		return SEV_CRITICAL;
	}
	if (s->critical_warning != DISK_SMART_ABSENT &&
	    s->critical_warning != 0) {
		char w[200];

		disk_smart_cw_words(s->critical_warning, w, sizeof(w));
		str_printf(
		    why, whysz, "NVMe critical warning: %s. %s", w, advice);
		return SEV_CRITICAL;
	}
	if ((s->pending != DISK_SMART_ABSENT && s->pending > 0) ||
	    (s->offline_unc != DISK_SMART_ABSENT && s->offline_unc > 0)) {
		str_printf(why, whysz,
		    "%lld sectors pending and %lld uncorrectable: the disk "
		    "cannot read part of its data. %s",
		    (long long)(s->pending > 0 ? s->pending : 0),
		    (long long)(s->offline_unc > 0 ? s->offline_unc : 0),
		    advice);
		return SEV_CRITICAL;
	}
	if (s->failing_now[0]) {
		str_printf(why, whysz,
		    "SMART attributes at or below their failure threshold: "
		    "%s. %s",
		    s->failing_now, advice);
		return SEV_CRITICAL;
	}
	if (prev != NULL && prev->realloc != DISK_SMART_ABSENT &&
	    s->realloc != DISK_SMART_ABSENT && s->realloc > prev->realloc) {
		str_printf(why, whysz,
		    "reallocated sectors grew from %lld to %lld since the "
		    "last check: the disk is wearing out. Back up its data "
		    "and plan to replace it",
		    (long long)prev->realloc, (long long)s->realloc);
		return SEV_WARNING;
	}
	if (prev != NULL && prev->media_errors != DISK_SMART_ABSENT &&
	    s->media_errors != DISK_SMART_ABSENT &&
	    s->media_errors > prev->media_errors) {
		str_printf(why, whysz,
		    "media errors grew from %lld to %lld since the last "
		    "check. Back up its data and plan to replace the disk",
		    (long long)prev->media_errors, (long long)s->media_errors);
		return SEV_WARNING;
	}
	str_printf(why, whysz, "SMART overall-health %s",
	    s->passed == 1 ? "PASSED" : "not reported");
	return SEV_OK;
}

const char *
disk_smart_find(const char *path)
{
	static const char *const places[] = {"/usr/sbin/smartctl",
	    "/sbin/smartctl", "/usr/local/sbin/smartctl", NULL};

	if (path != NULL && path[0] != '\0')
		return access(path, X_OK) == 0 ? path : NULL;
	for (int i = 0; places[i] != NULL; i++)
		if (access(places[i], X_OK) == 0)
			return places[i];
	return NULL;
}

/* The child: stdout to the pipe, nothing else open, a known environment. */
static void
child(int wfd, const char *prog, const char *dev)
{
	char *const argv[] = {
	    (char *)prog, "--json", "-a", "-n", "standby", (char *)dev, NULL};
	char *const envp[] = {
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null == -1 || dup2(null, 0) == -1 || dup2(wfd, 1) == -1 ||
	    dup2(null, 2) == -1)
		_exit(127);
	execve(prog, argv, envp);
	_exit(127);
}

int
disk_smart_run(const char *prog, const char *dev, double timeout,
    struct strbuf *out, int *exit_status, struct err *err)
{
	double deadline = clock_mono() + timeout;
	int pfd[2], status = 0, timed_out = 0;
	pid_t pid;

	strbuf_reset(out);
	if (pipe2(pfd, O_CLOEXEC) == -1)
		return err_sys(err, errno, "cannot make a pipe");
	pid = fork();
	if (pid == -1) {
		int e = errno;

		close(pfd[0]);
		close(pfd[1]);
		return err_sys(err, e, "cannot fork");
	}
	if (pid == 0)
		child(pfd[1], prog, dev);
	close(pfd[1]);
	for (;;) {
		struct pollfd p = {.fd = pfd[0], .events = POLLIN};
		double left = deadline - clock_mono();
		char buf[8192];
		ssize_t n;
		int rc;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		rc = poll(&p, 1, (int)(left * 1000) + 1);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc <= 0)
			continue;
		n = read(pfd[0], buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n <= SMART_OUT_MAX)
			strbuf_add(out, buf, (size_t)n);
	}
	close(pfd[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (timed_out)
		return err_set(err, ETIMEDOUT,
		    "'%s' did not finish in %.0f seconds on '%s'", prog,
		    timeout, dev);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && out->len == 0)
		return err_set(err, ENOENT, "cannot run '%s'", prog);
	if (!WIFEXITED(status))
		return err_set(err, EIO, "'%s' killed by signal %d on '%s'",
		    prog, WTERMSIG(status), dev);
	*exit_status = WEXITSTATUS(status);
	if (strbuf_failed(out))
		return err_set(
		    err, EFBIG, "'%s' said too much on '%s'", prog, dev);
	return 0;
}
