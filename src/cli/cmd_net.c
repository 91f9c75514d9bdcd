/*
 * cmd_net.c - "sakimori net conns|block|unblock|bans|restore": connections
 * per remote address, prefix, local port and state from the kernel, and
 * blocking addresses with blackhole routes or an nftables set, recorded in
 * the state database so that `net restore` puts them back after a reboot.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "act/audit.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/cmd_net.h"
#include "collect/sock.h"
#include "net/addr.h"
#include "net/allow.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/count.h"
#include "store/store.h"

/* At most this many addresses in one block or unblock command. */
#define NET_MAX_ITEMS 1000000

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

/*
 * Every value of every "set KEY ..." (a list setting) into out.  The
 * count, or -1 with err when there are more than max: none is dropped.
 */
static ssize_t
setting_list(const struct conf *c, const char *key, const char **out,
    size_t max, struct err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < c->root.nchild; i++) {
		const struct conf_node *s = &c->root.child[i];

		if (strcmp(s->key, "set") != 0 || s->nvals < 2 ||
		    strcmp(s->vals[0].str, key) != 0)
			continue;
		for (size_t j = 1; j < s->nvals; j++) {
			if (n == max)
				return err_set(err, EINVAL,
				    "%s: more than %zu values", key, max);
			out[n++] = s->vals[j].str;
		}
	}
	return (ssize_t)n;
}

/*
 * A duration setting in seconds (v as the configuration holds it):
 * 0..NET_BLOCK_MAX_SECS.  0, or -1 with err.
 */
static int
block_secs(double v, const char *key, uint64_t *out, struct err *err)
{
	if (!(v >= 0) || v > (double)NET_BLOCK_MAX_SECS)
		return err_set(err, EINVAL,
		    "%s: a duration from 0 to 3650d (about ten years), not "
		    "%.0f s",
		    key, v);
	*out = (uint64_t)v;
	return 0;
}

/* The block settings.  0, or -1 with err (a value out of range). */
static int
block_conf(struct cli *cli, struct net_block_conf *bc, struct err *err)
{
	const struct conf *c = &cli->conf;

	net_block_conf_init(bc);
	bc->backend = conf_setting(c, "block-backend", bc->backend);
	bc->kind = conf_setting(c, "block-route-type", bc->kind);
	bc->broad4 = (unsigned)conf_setting_num(c, "block-broadest-v4", 16);
	bc->broad6 = (unsigned)conf_setting_num(c, "block-broadest-v6", 32);
	bc->max_active =
	    (unsigned)conf_setting_num(c, "block-max-active", 10000);
	bc->repeat_factor = conf_setting_num(c, "block-repeat-factor", 2);
	bc->state_dir = cli->state_dir;
	return block_secs(conf_setting_num(c, "block-max-duration", 30 * 86400),
	    "block-max-duration", &bc->max_duration, err);
}

/* "user:NAME", with the sudo user when there is one. */
static void
who_am_i(char *dst, size_t n)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");

	if (sudo != NULL && sudo[0] != '\0')
		snprintf(dst, n, "user:%s (sudo by %.64s)",
		    pw != NULL ? pw->pw_name : "?", sudo);
	else if (pw != NULL)
		snprintf(dst, n, "user:%s", pw->pw_name);
	else
		snprintf(dst, n, "uid:%u", (unsigned)getuid());
}

/* ---- net conns -------------------------------------------------------- */

static int
parse_states(const char *arg, uint32_t *mask)
{
	const char *p = arg;

	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char name[32];
		int st;

		if (len == 0 || len >= sizeof(name))
			return -1;
		memcpy(name, p, len);
		name[len] = '\0';
		if ((st = sock_state_parse(name)) < 0)
			return -1;
		*mask |= SOCK_STATE_BIT(st);
		if (st == SOCK_SYN_RECV)
			*mask |= SOCK_STATE_BIT(SOCK_NEW_SYN_RECV);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	return str_u64(s, out) == 0 && *out <= max ? 0 : -1;
}

static void
print_rows(struct cli *cli, const char *type, const char *hdr,
    const struct hmap *m, size_t top, int json)
{
	struct net_count_row *rows;
	size_t n = net_count_top(m, top, &rows);
	struct table t;
	const char *h[2] = {hdr, "COUNT"};

	if (n == (size_t)-1) {
		log_warnx("out of memory");
		return;
	}
	if (!json)
		table_init(&t, 2, h, "lr");
	for (size_t i = 0; i < n; i++) {
		char key[NET_PREFIX_STRLEN], cnt[24];

		if (strcmp(type, "port") == 0) {
			uint16_t port;

			memcpy(&port, rows[i].key, sizeof(port));
			snprintf(key, sizeof(key), "%u", (unsigned)port);
		} else if (strcmp(type, "prefix") == 0) {
			net_prefix_format_len(rows[i].key, key, sizeof(key));
		} else {
			net_prefix_format(rows[i].key, key, sizeof(key));
		}
		if (json) {
			json_t *o = json_object();

			jset(o, "type", json_string(type));
			if (strcmp(type, "port") == 0)
				jset(o, type,
				    json_integer(strtol(key, NULL, 10)));
			else
				jset(o, type, json_string(key));
			jset(o, "count", json_integer((json_int_t)rows[i].n));
			json_line(stdout, o);
		} else {
			const char *cells[2] = {key, cnt};

			snprintf(cnt, sizeof(cnt), "%llu",
			    (unsigned long long)rows[i].n);
			table_row(&t, cells);
		}
	}
	if (!json) {
		if (n > 0) {
			fputc('\n', stdout);
			table_print(&t, stdout, cli->out.color);
		}
		table_release(&t);
	}
	free(rows);
}

static int
net_conns(struct cli *cli, struct net_count_opts *o, size_t top)
{
	struct net_counts c;
	struct err err = {0};
	int json = cli->mode == OUT_JSON;

	if (o->plen4 == 0)
		o->plen4 =
		    (unsigned)conf_setting_num(&cli->conf, "net-prefix-v4", 24);
	if (o->plen6 == 0)
		o->plen6 =
		    (unsigned)conf_setting_num(&cli->conf, "net-prefix-v6", 64);
	o->no_bpf = !conf_setting_bool(&cli->conf, "net-bpf", 1);
	if (o->plen4 > 32 || o->plen6 > 128 || o->plen4 == 0 || o->plen6 == 0) {
		log_warnx("net-prefix-v4 must be 1..32 and net-prefix-v6 "
		          "1..128");
		return EXIT_CONFIG;
	}
	net_counts_init(&c);
	if (net_count_collect(o, cli->root, &c, &err) == -1) {
		log_warnx("cannot read the socket table: %s", err.msg);
		net_counts_release(&c);
		return err.code == EPERM || err.code == EACCES ? EXIT_NOPERM
		                                               : EXIT_OSERR;
	}
	if (json) {
		json_t *o2 = json_object();

		jset(o2, "type", json_string("total"));
		jset(o2, "count", json_integer((json_int_t)c.total));
		jset(o2, "source", json_string(c.source));
		jset(o2, "skipped", json_integer((json_int_t)c.skipped));
		jset(o2, "overflow", json_integer((json_int_t)c.overflow));
		json_line(stdout, o2);
		for (int st = 1; st <= SOCK_STATE_MAX; st++) {
			if (c.state[st] == 0)
				continue;
			o2 = json_object();
			jset(o2, "type", json_string("state"));
			jset(o2, "state",
			    json_string(sock_state_name(st, IPPROTO_TCP)));
			jset(
			    o2, "count", json_integer((json_int_t)c.state[st]));
			json_line(stdout, o2);
		}
	} else {
		struct table t;
		const char *h[2] = {"STATE", "COUNT"};

		printf("%llu sockets (from %s)", (unsigned long long)c.total,
		    c.source);
		if (c.skipped)
			printf(", %u malformed lines skipped", c.skipped);
		if (c.overflow)
			printf(", %llu past the key limit",
			    (unsigned long long)c.overflow);
		printf("\n\n");
		table_init(&t, 2, h, "lr");
		for (int st = 1; st <= SOCK_STATE_MAX; st++) {
			char cnt[24];
			const char *cells[2] = {
			    sock_state_name(st, IPPROTO_TCP), cnt};

			if (c.state[st] == 0)
				continue;
			snprintf(cnt, sizeof(cnt), "%llu",
			    (unsigned long long)c.state[st]);
			table_row(&t, cells);
		}
		table_print(&t, stdout, cli->out.color);
		table_release(&t);
	}
	print_rows(cli, "addr", "REMOTE ADDRESS", &c.addr, top, json);
	print_rows(cli, "prefix", "REMOTE PREFIX", &c.prefix, top, json);
	print_rows(cli, "port", "LOCAL PORT", &c.port, top, json);
	net_counts_release(&c);
	return EXIT_OK;
}

/* ---- block / unblock -------------------------------------------------- */

struct items {
	struct net_block_item *v;
	size_t n, cap;
	int bad; /* malformed entries */
};

static int
items_add(struct items *it, const char *s, size_t len, const char *where)
{
	struct net_block_item *x;
	struct err err = {0};

	if (it->n >= NET_MAX_ITEMS) {
		log_warnx(
		    "more than %u addresses in one command", NET_MAX_ITEMS);
		it->bad++;
		return -1;
	}
	if (mem_grow(&it->v, &it->cap, it->n + 1, sizeof(*it->v)) == -1) {
		log_warnx("out of memory");
		return -1;
	}
	x = &it->v[it->n];
	memset(x, 0, sizeof(*x));
	if (net_prefix_parse(s, len, &x->p, &err) == -1) {
		char esc[1024];

		/* the message quotes the input: escape it for the terminal */
		esc_text_buf(esc, sizeof(esc), err.msg, strlen(err.msg));
		log_warnx("%s%s%s", where != NULL ? where : "",
		    where != NULL ? ": " : "", esc);
		it->bad++;
		return 0;
	}
	it->n++;
	return 0;
}

/* One address or prefix per line; '#' starts a comment. */
static int
items_from_file(struct items *it, const char *path)
{
	struct strbuf sb = STRBUF_INIT(256u << 20);
	struct err err = {0};
	const char *cur, *end, *ls, *le;
	char name[512];
	unsigned lineno = 0;

	if (strcmp(path, "-") == 0) {
		char buf[65536];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			if (strbuf_add(&sb, buf, n) == -1) {
				log_warnx("standard input is too large");
				strbuf_release(&sb);
				return -1;
			}
	} else if (file_read(path, 256u << 20, &sb, NULL, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	esc_text_buf(name, sizeof(name), path, strlen(path));
	cur = strbuf_str(&sb);
	end = cur + sb.len;
	while (cur_line(&cur, end, &ls, &le) == 0) {
		const char *w, *hash;
		char where[sizeof(name) + 16];
		size_t wl;

		lineno++;
		hash = memchr(ls, '#', (size_t)(le - ls));
		if (hash != NULL)
			le = hash;
		cur_spaces(&ls, le);
		if ((wl = cur_word(&ls, le, &w)) == 0)
			continue;
		snprintf(where, sizeof(where), "%s:%u",
		    strcmp(path, "-") == 0 ? "standard input" : name, lineno);
		if (items_add(it, w, wl, where) == -1) {
			strbuf_release(&sb);
			return -1;
		}
	}
	strbuf_release(&sb);
	return 0;
}

static int
open_store(struct cli *cli, struct store *s)
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

static void
print_item(struct cli *cli, const char *action, const struct net_block_item *x)
{
	char txt[NET_PREFIX_STRLEN], until[40];

	net_prefix_format(&x->p, txt, sizeof(txt));
	if (cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", json_string(action));
		jset(o, "prefix", json_string(txt));
		jset(
		    o, "status", json_string(net_block_status_name(x->status)));
		if (x->until != 0) {
			time_iso(until, sizeof(until), x->until);
			jset(o, "until", json_string(until));
		} else if (strcmp(action, "block") == 0 &&
		    (x->status == NET_BLOCK_DONE ||
		        x->status == NET_BLOCK_EXTENDED ||
		        x->status == NET_BLOCK_DRYRUN)) {
			jset(o, "until", json_null());
		}
		if (x->repeat > 0)
			jset(o, "earlier_blocks",
			    json_integer((json_int_t)x->repeat));
		jset(o, "message", jstr(x->msg));
		json_line(stdout, o);
		return;
	}
	if (x->status == NET_BLOCK_REFUSED || x->status == NET_BLOCK_FAILED)
		fprintf(stderr, "sakimori net %s: %s\n", action, x->msg);
	else
		printf("%s\n", x->msg);
}

/*
 * The allow-list from the configuration (admin-networks, ssh-ports) and
 * the system.  0, or -1 with err (EINVAL: a bad admin-networks or
 * ssh-ports value, a configuration error: never skipped).
 */
static int
allow_build(struct cli *cli, struct net_allow *allow, struct err *err)
{
	const char *admin[256];
	const char *ports[64];
	uint16_t ssh[64];
	ssize_t nadmin, nports;
	struct net_allow_opts ao = {0};

	nadmin = setting_list(
	    &cli->conf, "admin-networks", admin, countof(admin), err);
	nports = nadmin < 0
	    ? -1
	    : setting_list(&cli->conf, "ssh-ports", ports, countof(ports), err);
	if (nports < 0)
		return -1;
	ao.admin = admin;
	ao.nadmin = (size_t)nadmin;
	for (ssize_t i = 0; i < nports; i++) {
		uint64_t v;
		char esc[256];

		if (parse_uint(ports[i], 65535, &v) == -1 || v == 0) {
			esc_text_buf(
			    esc, sizeof(esc), ports[i], strlen(ports[i]));
			return err_set(err, EINVAL,
			    "ssh-ports: '%s' is not a port (1..65535)", esc);
		}
		ssh[i] = (uint16_t)v;
	}
	if (nports > 0) {
		ao.ssh_ports = ssh;
		ao.nssh = (size_t)nports;
	}
	ao.ssh_connection = getenv("SSH_CONNECTION");
	return net_allow_build(allow, &ao, err);
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
net_block(struct cli *cli, struct items *it, struct net_block_conf *bc, int add)
{
	struct store s;
	struct net_allow allow = {0};
	struct err err = {0};
	char by[192];
	int rc;
	int refused = 0, failed = 0, eperm = 0;

	if ((rc = open_store(cli, &s)) != 0)
		return rc;
	who_am_i(by, sizeof(by));
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

		print_item(cli, add ? "block" : "unblock", x);
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

/* ---- conn-flood's block action ------------------------------------------ */

#define FLOOD_ACT_MAX 64

/* The action configured for conn-flood on port (its own block first). */
static const struct conf_node *
flood_block(const struct conf *c, const char *port, const char *key)
{
	const struct conf_node *b = conf_check(c, "conn-flood", port);

	if (conf_find(b, key) == NULL)
		b = conf_check(c, "conn-flood", NULL);
	return b;
}

int
cmd_net_flood_act(
    struct cli *cli, struct report *r, size_t from, struct err *err)
{
	struct net_block_item items[FLOOD_ACT_MAX];
	char reasons[FLOOD_ACT_MAX][128];
	size_t idx[FLOOD_ACT_MAX], n = 0;
	struct net_block_conf bc;
	struct net_allow allow = {0};
	struct store st;
	int rc;

	for (size_t i = from; i < r->nf && n < FLOOD_ACT_MAX; i++) {
		struct finding *f = &r->f[i];
		const char *port = finding_ev_get(f, "port");
		const char *act;
		struct err perr = {0};
		double dflt;

		if (strcmp(f->check, "conn-flood") != 0 ||
		    f->sev != SEV_CRITICAL)
			continue;
		act = conf_str(
		    flood_block(&cli->conf, port, "action"), "action", "none");
		if (strcmp(act, "none") == 0)
			continue;
		if (strcmp(act, "block") != 0)
			return err_set(err, EINVAL,
			    "conn-flood: action is 'block' or 'none', not '%s'",
			    act);
		memset(&items[n], 0, sizeof(items[n]));
		if (net_prefix_parse(f->subject, strlen(f->subject),
		        &items[n].p, &perr) == -1) {
			finding_ev(f, "action", "not blocked: %s", perr.msg);
			continue;
		}
		/* block-for, else block-duration, else an hour: a rule's
		 * block always ends by itself */
		dflt = conf_setting_num(&cli->conf, "block-duration", 0);
		if (block_secs(
		        conf_num(flood_block(&cli->conf, port, "block-for"),
		            "block-for", dflt > 0 ? dflt : 3600),
		        "conn-flood: block-for", &items[n].secs, err) == -1)
			return -1;
		if (items[n].secs == 0)
			items[n].secs = 3600;
		snprintf(reasons[n], sizeof(reasons[n]),
		    "conn-flood: %s connections to local port %s",
		    finding_ev_get(f, "count") ? finding_ev_get(f, "count")
		                               : "?",
		    port ? port : "?");
		items[n].reason = reasons[n];
		idx[n++] = i;
	}
	if (n == 0)
		return 0;
	if (cli_state_dir(cli) == -1)
		return err_set(err, 0, "conn-flood action: no state directory");
	if (block_conf(cli, &bc, err) == -1)
		return err_prefix(err, "conn-flood action block");
	bc.by = "rule:conn-flood";
	if (store_open(&st, cli->state_dir, err) == -1 ||
	    net_ban_migrate(&st, err) == -1) {
		store_close(&st);
		return err_prefix(err, "conn-flood action block");
	}
	if (allow_build(cli, &allow, err) == -1) {
		store_close(&st);
		net_allow_release(&allow);
		return err_prefix(
		    err, "conn-flood action block: the allow-list");
	}
	rc = net_block_add(&st, &allow, &bc, items, n, err);
	net_allow_release(&allow);
	store_close(&st);
	if (rc < 0)
		return err_prefix(err, "conn-flood action block");
	for (size_t k = 0; k < n; k++) {
		struct finding *f = &r->f[idx[k]];
		char until[40] = "";

		if (items[k].until != 0)
			time_iso(until, sizeof(until), items[k].until);
		switch (items[k].status) {
		case NET_BLOCK_DONE:
		case NET_BLOCK_EXTENDED:
			finding_ev(f, "action", "%s until %s",
			    items[k].status == NET_BLOCK_DONE
			        ? "blocked"
			        : "block extended",
			    until);
			break;
		default:
			/* "refused: ..." and "failed: ..." say it themselves */
			finding_ev(f, "action", "%s", items[k].msg);
			break;
		}
	}
	if (rc == NET_BLOCK_UNAUDITED)
		return err_prefix(err, "conn-flood action block");
	return 0;
}

/* ---- bans ------------------------------------------------------------- */

static int
net_bans(struct cli *cli, int all)
{
	struct store s;
	struct err err = {0};
	struct net_ban *b;
	size_t n;
	time_t now = time(NULL);
	struct table t;
	static const char *const hdr[] = {"PREFIX", "STATE", "SINCE", "UNTIL",
	    "LEFT", "BACKEND", "BY", "REASON"};
	int rc;

	if ((rc = open_store(cli, &s)) != 0)
		return rc;
	if (net_ban_list(&s, all, &b, &n, &err) == -1) {
		log_warnx("%s", err.msg);
		store_close(&s);
		return EXIT_SOFTWARE;
	}
	store_close(&s);
	if (cli->mode != OUT_JSON)
		table_init(&t, 8, hdr, "llllrlll");
	for (size_t i = 0; i < n; i++) {
		char p[NET_PREFIX_STRLEN], since[40], until[40], left[32],
		    be[48];
		int overdue = b[i].state == NET_BAN_ACTIVE && b[i].until != 0 &&
		    b[i].until <= now;

		net_prefix_format(&b[i].prefix, p, sizeof(p));
		time_iso(since, sizeof(since), b[i].since);
		if (b[i].until != 0)
			time_iso(until, sizeof(until), b[i].until);
		else
			snprintf(until, sizeof(until), "never");
		if (b[i].state != NET_BAN_ACTIVE)
			snprintf(left, sizeof(left), "-");
		else if (b[i].until == 0)
			snprintf(left, sizeof(left), "forever");
		else if (overdue)
			snprintf(left, sizeof(left), "due");
		else
			dur_format(
			    left, sizeof(left), (uint64_t)(b[i].until - now));
		snprintf(be, sizeof(be), "%s %s", b[i].backend, b[i].kind);
		if (cli->mode == OUT_JSON) {
			json_t *o = json_object();

			jset(o, "type", json_string("ban"));
			jset(o, "id", json_integer((json_int_t)b[i].id));
			jset(o, "prefix", json_string(p));
			jset(o, "state",
			    json_string(net_ban_state_name(b[i].state)));
			jset(o, "since", json_string(since));
			jset(o, "until",
			    b[i].until ? json_string(until) : json_null());
			jset(o, "backend", jstr(b[i].backend));
			jset(o, "kind", jstr(b[i].kind));
			jset(o, "by", jstr(b[i].by));
			jset(o, "reason", jstr(b[i].reason));
			if (b[i].state != NET_BAN_ACTIVE) {
				char ended[40];

				time_iso(ended, sizeof(ended), b[i].ended);
				jset(o, "ended", json_string(ended));
				jset(o, "ended_by", jstr(b[i].ended_by));
				if (b[i].note[0])
					jset(o, "note", jstr(b[i].note));
			}
			json_line(stdout, o);
		} else {
			const char *cells[8] = {p,
			    net_ban_state_name(b[i].state), since, until, left,
			    be, b[i].by, b[i].reason};

			table_row(&t, cells);
		}
	}
	if (cli->mode != OUT_JSON) {
		if (n == 0)
			printf(all ? "no blocks recorded\n"
			           : "nothing is blocked\n");
		else
			table_print(&t, stdout, cli->out.color);
		table_release(&t);
	}
	free(b);
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

	if ((rc = open_store(cli, &s)) != 0)
		return rc;
	if ((rc = allow_for_cli(cli, &allow)) != 0) {
		store_close(&s);
		return rc;
	}
	who_am_i(by, sizeof(by));
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

			jset(o, "type", json_string("skipped"));
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

		jset(o, "type", json_string("restore"));
		jset(o, "applied", json_integer((json_int_t)st.applied));
		jset(o, "expired", json_integer((json_int_t)st.expired));
		jset(o, "stale", json_integer((json_int_t)st.stale));
		jset(o, "skipped", json_integer((json_int_t)st.skipped));
		jset(o, "failed", json_integer((json_int_t)st.failed));
		jset(o, "dry_run", json_boolean(bc->dry_run));
		if (st.first_error[0])
			jset(o, "error", jstr(st.first_error));
		json_line(stdout, o);
	} else {
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

/*
 * --for: "forever" (0), or a duration whose every number has its unit
 * ("90" alone could be seconds or minutes), 1 s to NET_BLOCK_MAX_SECS.
 */
static int
for_parse(const char *arg, uint64_t *secs)
{
	size_t n = strlen(arg);

	if (strcmp(arg, "forever") == 0) {
		*secs = 0;
		return 0;
	}
	if (n == 0 || (arg[n - 1] >= '0' && arg[n - 1] <= '9') ||
	    dur_parse(arg, n, secs) == -1 || *secs == 0 ||
	    *secs > NET_BLOCK_MAX_SECS)
		return -1;
	return 0;
}

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
	struct items it = {0};
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
			if (parse_states(optarg, &co.states) == -1)
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
			if (for_parse(optarg, &secs) == -1)
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
		return net_conns(cli, &co, (size_t)top);
	}
	if (strcmp(sub, "bans") == 0) {
		if (argc != 1)
			return cli_usage_error(
			    cli, "net bans", "takes no arguments");
		return net_bans(cli, all);
	}
	if (block_conf(cli, &bc, &err) == -1) {
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
		if (items_add(&it, argv[i], strlen(argv[i]), NULL) == -1) {
			free(it.v);
			return EXIT_SOFTWARE;
		}
	if (from != NULL && items_from_file(&it, from) == -1) {
		free(it.v);
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
	    block_secs(conf_setting_num(&cli->conf, "block-duration", 0),
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
