/*
 * priv_probe.c - the privilege separation of the agent (agent/child.h,
 * agent/priv.h) with real processes, for privsep.sh: the parent starts a
 * child of the role "probe" through the supervisor and drives it with
 * commands over the channel; the child answers with notes, which the
 * parent prints on stdout as "child N: TEXT" (N: how many times it was
 * started).  The supervisor's log goes to stderr.
 *
 *   priv_probe USER ALLOWED-LOG OTHER-PATH
 *
 * Each start of the child gets: "status" (it sends its /proc/self/status
 * lines of ids, capabilities, no_new_privs and seccomp), "open" of the
 * allowed log, of its rotated sibling ALLOWED-LOG.1 and of OTHER-PATH
 * (it reads a line of what it got, or tells the refusal).  Then the first
 * start is told "forbid" (it calls socket(AF_INET): the filter kills it),
 * the second "garbage" (it sends a malformed message: the parent kills
 * it), the third "quit".  Exits 0 when the third has quit, 1 after 30 s.
 * Beside it runs a child of the role "reader", which may open files
 * read-only itself: it says what it could open ("child reader: TEXT").
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/child.h"
#include "agent/priv.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/timeutil.h"

/* The child. */

static int status_fd = -1;

/* Before the filter: /proc/self/status is read after it, so it shows it. */
static int
probe_prepare(void)
{
	status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	return status_fd == -1 ? 66 : 0;
}

static void
note(int sock, const char *fmt, const char *arg)
{
	char text[PRIV_TEXT_MAX];
	struct err err;

	str_printf(text, sizeof(text), fmt, arg);
	if (priv_send_note(sock, text, &err) == -1)
		_exit(74);
}

static const char *const status_keys[] = {"Uid:", "Gid:", "Groups:", "CapInh:",
    "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:"};

static void
send_status(int sock)
{
	char buf[8192];
	ssize_t n = pread(status_fd, buf, sizeof(buf) - 1, 0);
	char *line, *nl;

	if (n <= 0) {
		note(sock, "status unreadable%s", "");
		return;
	}
	buf[n] = '\0';
	for (line = buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		for (char *t = line; *t != '\0'; t++)
			if (*t == '\t')
				*t = ' ';
		for (size_t i = 0; i < countof(status_keys); i++)
			if (strncmp(line, status_keys[i],
			        strlen(status_keys[i])) == 0)
				note(sock, "status %s", line);
	}
}

static void
open_and_read(int sock, const char *path)
{
	struct err err = {0};
	char buf[512];
	ssize_t n;
	int fd;

	if (priv_open(sock, path, &fd, &err) == -1) {
		note(sock, "refused %s", err.msg);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		note(sock, "read failed%s", "");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	note(sock, "read %s", buf);
}

static int
probe_main(int sock)
{
	struct priv_msg m;
	struct err err = {0};

	for (;;) {
		int r = priv_recv(sock, PRIV_FROM_PARENT, &m, &err);

		if (r == 0)
			return 0;
		if (r == -1 || m.type != PRIV_NOTE)
			return 65;
		if (strcmp(m.u.text, "status") == 0)
			send_status(sock);
		else if (strncmp(m.u.text, "open ", 5) == 0)
			open_and_read(sock, m.u.text + 5);
		else if (strcmp(m.u.text, "forbid") == 0) {
			int s = socket(AF_INET, SOCK_STREAM, 0);

			note(sock, "socket(AF_INET) was allowed: %s",
			    s == -1 ? "-1" : "a descriptor");
		} else if (strcmp(m.u.text, "garbage") == 0) {
			/* a header that says PRIV_FD, from a child */
			struct priv_hdr h = {PRIV_FD, sizeof(h), 7};

			if (send(sock, &h, sizeof(h), 0) == -1)
				return 74;
		} else if (strcmp(m.u.text, "quit") == 0)
			return 0;
		note(sock, "done%s", "");
	}
}

/*
 * A reader of /proc (CHILD_OPEN_RDONLY): opens a file read-only itself,
 * then tries to open one for writing, which the filter punishes.
 */
static int
reader_main(int sock)
{
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	note(sock, "%s",
	    fd >= 0 ? "opened /proc/self/stat read-only"
	            : "could not open /proc/self/stat");
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	note(sock, "%s",
	    fd >= 0 ? "opened /dev/null for writing"
	            : "could not open /dev/null for writing");
	return 0;
}

static const struct child_role roles[] = {
    {"probe", 0, probe_prepare, probe_main},
    {"reader", CHILD_OPEN_RDONLY, NULL, reader_main},
};

/* The parent. */

static struct child_sup *sup;
static const char *commands[8];
static size_t ncommands, step;
static int finished;

static void
send_command(void)
{
	struct err err = {0};
	unsigned start = child_sup_starts(sup, 0);
	const char *cmd;

	if (step > ncommands)
		return; /* the last command was not obeyed: let it time out */
	if (step < ncommands)
		cmd = commands[step];
	else if (start == 1)
		cmd = "forbid";
	else if (start == 2)
		cmd = "garbage";
	else
		cmd = "quit";
	step++;
	if (strcmp(cmd, "quit") == 0)
		finished = 1;
	if (priv_send_note(child_sup_fd(sup, 0), cmd, &err) == -1)
		log_warnx("%s", err.msg);
}

static void
on_change(void *arg, size_t i, int fd)
{
	(void)arg;
	if (i != 0 || fd == -1)
		return;
	step = 0;
	send_command();
}

static void
on_note(void *arg, const char *child, const char *text)
{
	char esc[PRIV_TEXT_MAX * 4];

	(void)arg;
	esc_text_buf(esc, sizeof(esc), text, strlen(text));
	if (strcmp(child, "probe") != 0) {
		printf("child %s: %s\n", child, esc);
		fflush(stdout);
		return;
	}
	if (strcmp(text, "done") == 0) {
		send_command();
		return;
	}
	printf("child %u: %s\n", child_sup_starts(sup, 0), esc);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct priv_parent p;
	struct err err = {0};
	static char open_a[PRIV_TEXT_MAX], open_rot[PRIV_TEXT_MAX],
	    open_f[PRIV_TEXT_MAX], rotated[PRIV_PATH_MAX];
	double end;
	unsigned starts;
	int ended = 0;

	log_init("priv_probe");
	child_dispatch(argc, argv, roles, countof(roles));
	if (argc != 4) {
		fprintf(stderr,
		    "usage: priv_probe USER ALLOWED-LOG "
		    "OTHER-PATH\n");
		return 64;
	}
	log_verbose = 1;
	priv_parent_init(&p);
	p.note = on_note;
	if (priv_allow_path(&p, argv[2], &err) == -1) {
		log_warnx("%s", err.msg);
		priv_parent_release(&p);
		return 64;
	}
	str_printf(rotated, sizeof(rotated), "%s.1", argv[2]);
	str_printf(open_a, sizeof(open_a), "open %s", argv[2]);
	str_printf(open_rot, sizeof(open_rot), "open %s", rotated);
	str_printf(open_f, sizeof(open_f), "open %s", argv[3]);
	commands[ncommands++] = "status";
	commands[ncommands++] = open_a;
	commands[ncommands++] = open_rot;
	commands[ncommands++] = open_f;

	if ((sup = child_sup_new(argv[1], &p, &err)) == NULL) {
		log_warnx("%s", err.msg);
		priv_parent_release(&p);
		return 69;
	}
	child_sup_on_change(sup, on_change, NULL);
	if (child_sup_add(sup, "probe", &err) == -1 ||
	    child_sup_add(sup, "reader", &err) == -1) {
		log_warnx("%s", err.msg);
		child_sup_free(sup);
		priv_parent_release(&p);
		return 71;
	}
	end = clock_mono() + 30;
	while (clock_mono() < end) {
		struct pollfd pfd[2] = {{child_sup_fd(sup, 0), POLLIN, 0},
		    {child_sup_fd(sup, 1), POLLIN, 0}};

		if (poll(pfd, 2, 50) > 0)
			for (size_t i = 0; i < 2; i++)
				if (pfd[i].revents != 0)
					child_sup_readable(sup, i);
		child_sup_reap(sup, clock_mono());
		if (finished && child_sup_pid(sup, 0) == 0) {
			ended = 1;
			break;
		}
		child_sup_tick(sup, clock_mono());
	}
	starts = child_sup_starts(sup, 0);
	child_sup_free(sup);
	priv_parent_release(&p);
	if (!ended) {
		log_warnx("the probe did not finish in 30 s");
		return 1;
	}
	printf("finished after %u starts\n", starts);
	return 0;
}
