/*
 * cmd_ctl.c - "sakimori ctl": asks the running agent over its control
 * socket (agent/ctl.h) and prints its answer.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "agent/ctl.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cli/cli.h"

enum {
	OPT_RUN_DIR = OPT_FIRST_PRIVATE,
};

/* How long the agent may take to answer (a reload reads files). */
#define CTL_CLIENT_TIMEOUT_MS 30000

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori ctl [--run-dir DIR] status|problems [--json]\n"
	    "       sakimori ctl [--run-dir DIR] silence CHECK[/SUBJECT] "
	    "DURATION\n"
	    "       sakimori ctl [--run-dir DIR] reload\n"
	    "\n"
	    "Asks the running agent (sakimori agent) over its control socket:\n"
	    "  status [--json]          uptime, open problems, each check's "
	    "last\n"
	    "                           and next run\n"
	    "  problems [--json]        the open (and pending) problems\n"
	    "  silence CHECK[/SUBJECT] DURATION\n"
	    "                           no events of that check (or subject) "
	    "for\n"
	    "                           DURATION (30m, 2h, 1d; 0 lifts it)\n"
	    "  reload                   read the configuration again (as "
	    "SIGHUP)\n"
	    "\n"
	    "  --run-dir DIR            where the agent's socket 'ctl' is "
	    "(default\n"
	    "                           'set run-dir', or /run/sakimori as "
	    "root)\n"
	    "\n"
	    "Exit status: 0 done; 69 no agent answers; 78 reload refused (the\n"
	    "configuration has errors); 64 usage.\n");
}

/* The run directory: --run-dir, else "set run-dir" if the file reads. */
static int
run_dir(struct cli *cli, const char *opt, char *dst, size_t dstsz)
{
	struct err err = {0};
	struct conf c;
	struct conf_errs errs = {0};
	char path[4096];
	int explicit_ = 0, rc;

	conf_init(&c);
	if (opt == NULL &&
	    paths_config(path, sizeof(path), cli->conf_opt, &explicit_, &err) ==
	        0 &&
	    conf_load(&c, path, 0, &errs) == 0)
		opt = conf_setting(&c, "run-dir", NULL);
	rc = paths_run_dir(dst, dstsz, opt, &err);
	conf_errs_release(&errs);
	conf_release(&c);
	if (rc == -1)
		log_warnx("%s", err.msg);
	return rc;
}

/* Sends req to the socket in dir and reads the reply into sb. */
static int
ask(const char *dir, const char *req, struct strbuf *sb)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct pollfd p;
	char buf[8192];
	size_t off = 0, len = strlen(req);
	int fd;

	if (path_join(sa.sun_path, sizeof(sa.sun_path), dir, "ctl") == -1) {
		log_warnx("'%s' is too long for a socket", dir);
		return EXIT_USAGE;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_warnx("cannot connect to '%s': %s (is the agent running?)",
		    sa.sun_path, strerror(errno));
		if (fd != -1)
			close(fd);
		return 69;
	}
	while (off < len) {
		ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (errno == EPIPE || errno == ECONNRESET)
				log_warnx("the agent closed the connection "
				          "(busy with other clients?)");
			else
				log_warnx("cannot send to '%s': %s",
				    sa.sun_path, strerror(errno));
			close(fd);
			return 69;
		}
		off += (size_t)w;
	}
	p.fd = fd;
	p.events = POLLIN;
	for (;;) {
		ssize_t r;
		int n = poll(&p, 1, CTL_CLIENT_TIMEOUT_MS);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0) {
			log_warnx(
			    "no answer from the agent on '%s'", sa.sun_path);
			close(fd);
			return 69;
		}
		if ((r = read(fd, buf, sizeof(buf))) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (strbuf_add(sb, buf, (size_t)r) == -1)
			break;
	}
	close(fd);
	if (strbuf_failed(sb)) {
		log_warnx("the agent's answer is too long");
		return EXIT_SOFTWARE;
	}
	return 0;
}

/*
 * The request line for the command in argv[0..argc) into req: 0, or the
 * exit status after saying why.
 */
static int
request(struct cli *cli, int argc, char **argv, struct strbuf *req)
{
	const char *what = argv[0];
	struct ctl_req q;
	struct err err = {0};
	uint64_t secs;

	if (strcmp(what, "status") == 0 || strcmp(what, "problems") == 0 ||
	    strcmp(what, "reload") == 0) {
		if (argc != 1)
			return cli_usage_error(
			    cli, "ctl", "unexpected argument '%s'", argv[1]);
		strbuf_printf(req, "%s%s\n", what,
		    cli->mode == OUT_JSON && strcmp(what, "reload") != 0
		        ? " json"
		        : "");
	} else if (strcmp(what, "silence") == 0) {
		if (argc != 3)
			return cli_usage_error(cli, "ctl",
			    "silence wants CHECK[/SUBJECT] DURATION");
		if (ctl_target(argv[1], &q, &err) == -1 ||
		    strchr(argv[1], '\n') != NULL)
			return cli_usage_error(cli, "ctl", "%s",
			    err.msg[0] ? err.msg : "a newline in the subject");
		if (dur_parse(argv[2], strlen(argv[2]), &secs) == -1)
			return cli_usage_error(cli, "ctl",
			    "'%s' is not a duration (30m, 2h, 1d; 0 lifts "
			    "the silence)",
			    argv[2]);
		strbuf_printf(req, "silence %llus %s\n",
		    (unsigned long long)secs, argv[1]);
	} else {
		return cli_usage_error(
		    cli, "ctl", "unknown command '%s'", what);
	}
	if (strbuf_failed(req))
		return cli_usage_error(cli, "ctl", "the request is too long");
	return 0;
}

int
cmd_ctl(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"run-dir", required_argument, NULL, OPT_RUN_DIR},
	    {NULL, 0, NULL, 0},
	};
	struct strbuf req = STRBUF_INIT(CTL_LINE_MAX);
	struct strbuf sb = STRBUF_INIT(CTL_REPLY_MAX);
	const char *run_opt = NULL, *msg, *nl;
	char dir[4096];
	size_t msglen;
	int c, rc;

	/* Options may come before or after the command ("problems --json"). */
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_RUN_DIR:
			run_opt = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind == argc)
		return cli_usage_error(cli, "ctl", "a command is missing");
	rc = request(cli, argc - optind, argv + optind, &req);
	if (rc == 0 && run_dir(cli, run_opt, dir, sizeof(dir)) == -1)
		rc = EXIT_USAGE;
	if (rc != 0) {
		strbuf_release(&req);
		return rc;
	}
	rc = ask(dir, strbuf_str(&req), &sb);
	strbuf_release(&req);
	if (rc != 0) {
		strbuf_release(&sb);
		return rc;
	}
	if (sb.len == 0) {
		/* closed at once: it serves CTL_MAX_CONN clients at most */
		log_warnx("the agent closed the connection without an answer "
		          "(busy with other clients?)");
		strbuf_release(&sb);
		return 69;
	}
	nl = memchr(sb.p, '\n', sb.len);
	rc = ctl_reply_status(
	    sb.p, nl ? (size_t)(nl - sb.p) : sb.len, &msg, &msglen);
	if (rc != 0)
		fprintf(stderr, "sakimori ctl: %.*s\n", (int)msglen, msg);
	else if (nl != NULL)
		fwrite(nl + 1, 1, sb.len - (size_t)(nl + 1 - sb.p), stdout);
	strbuf_release(&sb);
	return rc;
}
