/*
 * cmd_net.c - "sakimori net conns|block|unblock|bans|restore": connections
 * per remote address, prefix, local port and state from the kernel, and
 * blocking addresses with blackhole routes or an nftables set, recorded in
 * the state database so that `net restore` puts them back after a reboot.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/cmd_net_show.h"
#include "collect/sock.h"
#include "net/addr.h"
#include "net/addrlist.h"
#include "net/allow.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/count.h"
#include "net/settings.h"
#include "store/store.h"

enum {
	OPT_TOP = OPT_FIRST_PRIVATE,
	OPT_PORT,
	OPT_STATE,
	OPT_PREFIX4,
	OPT_PREFIX6,
	OPT_UDP,
	OPT_PROC,
	OPT_FOR,
	OPT_REASON,
	OPT_FORCE,
	OPT_DRYRUN,
	OPT_FROM,
	OPT_BACKEND,
	OPT_TYPE,
	OPT_ALL,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori net conns [--top N] [--port PORT] [--state "
	    "STATE]\n"
	    "                          [--prefix4 LEN] [--prefix6 LEN] [--udp] "
	    "[--proc] [--json]\n"
	    "       sakimori net block ADDR[/LEN]... [--for DURATION] "
	    "[--reason TEXT]\n"
	    "                          [--force] [--dry-run] [--from FILE] "
	    "[--backend route|nftables]\n"
	    "                          [--type "
	    "blackhole|unreachable|prohibit]\n"
	    "       sakimori net unblock ADDR[/LEN]... [--reason TEXT] "
	    "[--dry-run] [--from FILE]\n"
	    "       sakimori net bans [--all] [--json]\n"
	    "       sakimori net restore [--dry-run]\n"
	    "\n"
	    "conns     count TCP connections (from the kernel's sock_diag) per "
	    "remote\n"
	    "          address, per remote prefix (/24 and /64 unless "
	    "configured), per\n"
	    "          local service port and per state; --top N rows of each "
	    "(10; 0: all)\n"
	    "block     block addresses or prefixes: recorded in the state "
	    "database, then\n"
	    "          a blackhole route (or an nftables set element) is "
	    "added; refused\n"
	    "          for loopback, this host's addresses, default gateways, "
	    "admin\n"
	    "          networks and peers of SSH sessions, and for prefixes "
	    "broader than\n"
	    "          /16 (IPv4) or /32 (IPv6) without --force\n"
	    "unblock   remove blocks\n"
	    "bans      what is blocked: since, until, why, by whom (--all: "
	    "history too)\n"
	    "restore   expire blocks whose time is up and put every active "
	    "block back\n"
	    "          (run at boot, and every minute by the timer)\n");
}

/* ---- configuration ---------------------------------------------------- */

/* The allow-list of the configuration and this SSH session. */
static int
allow_build(struct cli *cli, struct net_allow *allow, struct err *err)
{
	return net_allow_from_conf(
	    allow, &cli->conf, getenv("SSH_CONNECTION"), err);
}

/* ---- net conns -------------------------------------------------------- */

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	return str_u64(s, out) == 0 && *out <= max ? 0 : -1;
}

/* ---- block / unblock -------------------------------------------------- */

/* A malformed address: said, escaped for the terminal. */
static void
bad_addr(void *arg, const char *where, const char *msg)
{
	char esc[1024];

	(void)arg;
	esc_text_buf(esc, sizeof(esc), msg, strlen(msg));
	log_warnx("%s%s%s", where != NULL ? where : "",
	    where != NULL ? ": " : "", esc);
}

int
cmd_net_open_store(struct cli *cli, struct store *s)
{
	struct err err = {0};

	if (cli_state_dir(cli) == -1)
		return EXIT_CANTCREAT;
	if (store_open(s, cli->state_dir, &err) == -1 ||
	    net_ban_migrate(s, &err) == -1) {
		store_close(s);
		if (err.code == EILSEQ)
			log_warnx("%s; refusing to act on blocks", err.msg);
		else
			log_warnx("%s", err.msg);
		return EXIT_SOFTWARE;
	}
	return 0;
}

/*
 * The allow-list for a block or a restore, or the exit status after
 * saying why it could not be built (nothing is blocked without it).
 */
static int
allow_for_cli(struct cli *cli, struct net_allow *allow)
{
	struct err err = {0};
	char esc[1024];

	if (allow_build(cli, allow, &err) == 0)
		return 0;
	esc_text_buf(esc, sizeof(esc), err.msg, strlen(err.msg));
	net_allow_release(allow);
	if (err.code == EINVAL) {
		log_warnx("%s", esc);
		return EXIT_CONFIG;
	}
	log_warnx(
	    "cannot build the allow-list, so nothing is blocked: %s", esc);
	return EXIT_OSERR;
}

/*
 * The exit status for a failed add, remove or restore (rc -1, or an
 * audit log failure), after saying why.
 */
static int
block_error(int rc, const struct err *err)
{
	if (rc == NET_BLOCK_EAUDIT || rc == NET_BLOCK_UNAUDITED) {
		log_warnx("%s", err->msg);
		return EXIT_CANTCREAT;
	}
	log_warnx("%s%s", err->msg,
	    err->code == EILSEQ ? "; refusing to act on blocks" : "");
	return EXIT_SOFTWARE;
}

static int
net_block(struct cli *cli, struct net_addrlist *it, struct net_block_conf *bc,
    int add)
{
	struct store s;
	struct net_allow allow = {0};
	struct err err = {0};
	char by[192];
	int rc;
	int refused = 0, failed = 0, eperm = 0;

	if ((rc = cmd_net_open_store(cli, &s)) != 0)
		return rc;
	net_block_actor(by, sizeof(by), getuid(), getenv("SUDO_USER"));
	bc->by = by;
	bc->state_dir = cli->state_dir;
	if (add) {
		if ((rc = allow_for_cli(cli, &allow)) != 0) {
			store_close(&s);
			return rc;
		}
		rc = net_block_add(&s, &allow, bc, it->v, it->n, &err);
	} else {
		rc = net_block_remove(&s, bc, it->v, it->n, &err);
	}
	net_allow_release(&allow);
	store_close(&s);
	if (rc < 0)
		return block_error(rc, &err);
	for (size_t i = 0; i < it->n; i++) {
		const struct net_block_item *x = &it->v[i];

		cmd_net_print_item(cli, add ? "block" : "unblock", x);
		if (x->status == NET_BLOCK_REFUSED)
			refused++;
		else if (x->status == NET_BLOCK_FAILED) {
			failed++;
			if (x->err_code == EPERM || x->err_code == EACCES)
				eperm++;
		}
	}
	if (rc == NET_BLOCK_UNAUDITED)
		return block_error(rc, &err);
	if (eperm)
		return EXIT_NOPERM;
	if (failed)
		return EXIT_OSERR;
	if (refused)
		return EXIT_DATAERR;
	return EXIT_OK;
}

/* ---- restore ---------------------------------------------------------- */

static int
net_restore(struct cli *cli, struct net_block_conf *bc)
{
	struct store s;
	struct err err = {0};
	struct net_restore_stats st;
	struct net_allow allow = {0};
	char by[192];
	int rc;

	if ((rc = cmd_net_open_store(cli, &s)) != 0)
		return rc;
	if ((rc = allow_for_cli(cli, &allow)) != 0) {
		store_close(&s);
		return rc;
	}
	net_block_actor(by, sizeof(by), getuid(), getenv("SUDO_USER"));
	bc->by = by;
	bc->state_dir = cli->state_dir;
	rc = net_block_restore(&s, &allow, bc, time(NULL), &st, &err);
	net_allow_release(&allow);
	store_close(&s);
	if (rc < 0) {
		net_restore_stats_release(&st);
		return block_error(rc, &err);
	}
	for (size_t i = 0; i < st.nskip; i++) {
		char txt[NET_PREFIX_STRLEN];

		net_prefix_format(&st.skip[i].p, txt, sizeof(txt));
		if (cli->mode == OUT_JSON) {
			json_t *o = json_object();

			jset(o, "type", json_string("net.skipped"));
			jset(o, "prefix", json_string(txt));
			jset(o, "message", jstr(st.skip[i].msg));
			json_line(stdout, o);
		}
		log_warnx("restore: not applied: %s (still recorded: 'sakimori "
		          "net unblock %s' ends it)",
		    st.skip[i].msg, txt);
	}
	if (st.skipped > st.nskip)
		log_warnx(
		    "restore: %zu more not applied", st.skipped - st.nskip);
	if (cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", json_string("net.restore"));
		jset(o, "applied", json_integer((json_int_t)st.applied));
		jset(o, "expired", json_integer((json_int_t)st.expired));
		jset(o, "stale", json_integer((json_int_t)st.stale));
		jset(o, "skipped", json_integer((json_int_t)st.skipped));
		jset(o, "failed", json_integer((json_int_t)st.failed));
		jset(o, "dry_run", json_boolean(bc->dry_run));
		if (st.first_error[0])
			jset(o, "error", jstr(st.first_error));
		json_line(stdout, o);
	} else if (isatty(STDOUT_FILENO) || bc->dry_run || st.expired ||
	    st.stale || st.skipped || st.failed) {
		/* Quiet when nothing changed: the timer runs it every minute,
		 * and the journal keeps what it prints. */
		printf("%s%zu active blocks in place, %zu expired and removed, "
		       "%zu stale routes removed, %zu refused by the "
		       "allow-list, %zu failures\n",
		    bc->dry_run ? "dry run: " : "", st.applied, st.expired,
		    st.stale, st.skipped, st.failed);
	}
	net_restore_stats_release(&st);
	if (rc == NET_BLOCK_UNAUDITED)
		return block_error(rc, &err);
	if (st.failed) {
		log_warnx("%s", st.first_error);
		return strstr(st.first_error, "CAP_NET_ADMIN") != NULL
		    ? EXIT_NOPERM
		    : EXIT_OSERR;
	}
	if (st.skipped)
		return EXIT_DATAERR;
	return EXIT_OK;
}

/* ---- dispatch --------------------------------------------------------- */

int
cmd_net(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"top", required_argument, NULL, OPT_TOP},
	    {"port", required_argument, NULL, OPT_PORT},
	    {"state", required_argument, NULL, OPT_STATE},
	    {"prefix4", required_argument, NULL, OPT_PREFIX4},
	    {"prefix6", required_argument, NULL, OPT_PREFIX6},
	    {"udp", no_argument, NULL, OPT_UDP},
	    {"proc", no_argument, NULL, OPT_PROC},
	    {"for", required_argument, NULL, OPT_FOR},
	    {"reason", required_argument, NULL, OPT_REASON},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"dry-run", no_argument, NULL, OPT_DRYRUN},
	    {"from", required_argument, NULL, OPT_FROM},
	    {"backend", required_argument, NULL, OPT_BACKEND},
	    {"type", required_argument, NULL, OPT_TYPE},
	    {"all", no_argument, NULL, OPT_ALL},
	    {NULL, 0, NULL, 0},
	};
	struct net_count_opts co = {0};
	struct net_block_conf bc;
	struct net_addrlist it = {0};
	struct err err = {0};
	const char *sub, *from = NULL, *reason = NULL, *backend = NULL,
	                 *type = NULL;
	uint64_t top = 10, v, secs = 0;
	int c, all = 0, force = 0, dry = 0, have_for = 0, rc;

	co.port = -1;
	co.parallel = 1; /* interactive: the answer soon, on two CPUs if idle */
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_TOP:
			if (parse_uint(optarg, 1000000000, &top) == -1)
				return cli_usage_error(
				    cli, "net", "--top wants a number");
			break;
		case OPT_PORT:
			if (parse_uint(optarg, 65535, &v) == -1)
				return cli_usage_error(cli, "net",
				    "--port wants a port number 0..65535");
			co.port = (int)v;
			break;
		case OPT_STATE:
			if (net_count_states_parse(optarg, &co.states) == -1)
				return cli_usage_error(cli, "net",
				    "--state: unknown state in '%s' (give "
				    "ESTABLISHED, SYN_RECV, TIME_WAIT, ...)",
				    optarg);
			break;
		case OPT_PREFIX4:
			if (parse_uint(optarg, 32, &v) == -1 || v == 0)
				return cli_usage_error(
				    cli, "net", "--prefix4 wants 1..32");
			co.plen4 = (unsigned)v;
			break;
		case OPT_PREFIX6:
			if (parse_uint(optarg, 128, &v) == -1 || v == 0)
				return cli_usage_error(
				    cli, "net", "--prefix6 wants 1..128");
			co.plen6 = (unsigned)v;
			break;
		case OPT_UDP:
			co.protos = SOCK_TCP | SOCK_UDP;
			break;
		case OPT_PROC:
			co.force_proc = 1;
			break;
		case OPT_FOR:
			if (net_block_for_parse(optarg, &secs) == -1)
				return cli_usage_error(cli, "net",
				    "--for wants a duration with a unit, such "
				    "as 90s, 1h or 7d, at most 3650d (about "
				    "ten years), or 'forever'");
			have_for = 1;
			break;
		case OPT_REASON:
			reason = optarg;
			break;
		case OPT_FORCE:
			force = 1;
			break;
		case OPT_DRYRUN:
			dry = 1;
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "route") != 0 &&
			    strcmp(optarg, "nftables") != 0)
				return cli_usage_error(cli, "net",
				    "--backend wants 'route' or 'nftables'");
			backend = optarg;
			break;
		case OPT_TYPE:
			if (strcmp(optarg, "blackhole") != 0 &&
			    strcmp(optarg, "unreachable") != 0 &&
			    strcmp(optarg, "prohibit") != 0)
				return cli_usage_error(cli, "net",
				    "--type wants blackhole, unreachable or "
				    "prohibit");
			type = optarg;
			break;
		case OPT_ALL:
			all = 1;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage_error(cli, "net",
		    "expected conns, block, unblock, bans or restore");
	sub = argv[0];
	if (cli_conf(cli) == -1)
		return EXIT_CONFIG;
	cli_out(cli);
	if (strcmp(sub, "conns") == 0) {
		if (argc != 1)
			return cli_usage_error(
			    cli, "net conns", "takes no arguments");
		return cmd_net_conns(cli, &co, (size_t)top);
	}
	if (strcmp(sub, "bans") == 0) {
		if (argc != 1)
			return cli_usage_error(
			    cli, "net bans", "takes no arguments");
		return cmd_net_bans(cli, all);
	}
	if (net_block_conf_load(&bc, &cli->conf, cli->state_dir, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_CONFIG;
	}
	if (backend != NULL)
		bc.backend = backend;
	if (type != NULL)
		bc.kind = type;
	if (strcmp(bc.backend, "route") != 0 &&
	    strcmp(bc.backend, "nftables") != 0) {
		log_warnx("block-backend must be 'route' or 'nftables'");
		return EXIT_CONFIG;
	}
	bc.force = force;
	bc.dry_run = dry;
	if (strcmp(sub, "restore") == 0) {
		if (argc != 1)
			return cli_usage_error(
			    cli, "net restore", "takes no arguments");
		return net_restore(cli, &bc);
	}
	if (strcmp(sub, "block") != 0 && strcmp(sub, "unblock") != 0)
		return cli_usage_error(
		    cli, "net", "unknown subcommand '%s'", sub);
	for (int i = 1; i < argc; i++)
		if (net_addrlist_add(&it, argv[i], strlen(argv[i]), NULL,
		        bad_addr, NULL, &err) == -1) {
			log_warnx("%s", err.msg);
			net_addrlist_release(&it);
			return EXIT_SOFTWARE;
		}
	if (from != NULL &&
	    net_addrlist_read(&it, from, bad_addr, NULL, &err) == -1) {
		log_warnx("%s", err.msg);
		net_addrlist_release(&it);
		return EXIT_NOINPUT;
	}
	if (it.bad > 0) {
		log_warnx("nothing done: %d malformed address%s", it.bad,
		    it.bad == 1 ? "" : "es");
		free(it.v);
		return EXIT_DATAERR;
	}
	if (it.n == 0) {
		free(it.v);
		return cli_usage_error(cli, "net", "%s wants ADDR[/LEN]", sub);
	}
	if (!have_for &&
	    net_block_secs(conf_setting_num(&cli->conf, "block-duration", 0),
	        "block-duration", &secs, &err) == -1) {
		log_warnx("%s", err.msg);
		free(it.v);
		return EXIT_CONFIG;
	}
	for (size_t i = 0; i < it.n; i++) {
		it.v[i].secs = secs;
		it.v[i].reason = reason;
	}
	rc = net_block(cli, &it, &bc, strcmp(sub, "block") == 0);
	free(it.v);
	return rc;
}
