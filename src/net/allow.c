/*
 * allow.c - the allow-list of what is never blocked (see allow.h).
 */
#include "net/allow.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/procfd.h"
#include "collect/sock.h"
#include "net/route.h"

int
net_allow_add(struct net_allow *a, const struct net_prefix *p, const char *why)
{
	if (mem_grow(&a->v, &a->cap, a->n + 1, sizeof(*a->v)) == -1)
		return -1;
	a->v[a->n].p = *p;
	snprintf(a->v[a->n].why, sizeof(a->v[a->n].why), "%s", why);
	a->n++;
	return 0;
}

static int
add_text(struct net_allow *a, const char *txt, const char *why, struct err *err)
{
	struct net_prefix p;

	if (net_prefix_parse(txt, strlen(txt), &p, err) == -1)
		return -1;
	if (net_allow_add(a, &p, why) == -1)
		return err_set(err, ENOMEM, "out of memory");
	return 0;
}

static int
host_addresses(struct net_allow *a, struct err *err)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) == -1)
		return err_sys(err, errno, "cannot list this host's addresses");
	for (i = ifa; i != NULL; i = i->ifa_next) {
		struct net_prefix p;
		uint8_t b[16] = {0};
		char why[128];

		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			memcpy(b,
			    &((const struct sockaddr_in *)(const void *)
			            i->ifa_addr)
			         ->sin_addr,
			    4);
		else if (i->ifa_addr->sa_family == AF_INET6)
			memcpy(b,
			    &((const struct sockaddr_in6 *)(const void *)
			            i->ifa_addr)
			         ->sin6_addr,
			    16);
		else
			continue;
		net_prefix_from_bytes(&p, i->ifa_addr->sa_family, b);
		snprintf(why, sizeof(why), "an address of this host (%s)",
		    i->ifa_name != NULL ? i->ifa_name : "?");
		if (net_allow_add(a, &p, why) == -1) {
			freeifaddrs(ifa);
			return err_set(err, ENOMEM, "out of memory");
		}
	}
	freeifaddrs(ifa);
	return 0;
}

static int
gw_cb(const struct net_rt_info *ri, void *arg)
{
	struct net_allow *a = arg;

	if (ri->dst.len != 0 || ri->type != RTN_UNICAST)
		return 0;
	for (unsigned i = 0; i < ri->ngw; i++) {
		char why[128], ifn[IF_NAMESIZE] = "";

		if (ri->oif != 0 && if_indextoname(ri->oif, ifn) == NULL)
			ifn[0] = '\0';
		snprintf(why, sizeof(why), "a default gateway%s%s%s",
		    ifn[0] ? " (dev " : "", ifn, ifn[0] ? ")" : "");
		if (net_allow_add(a, &ri->gw[i], why) == -1)
			return ENOMEM;
	}
	return 0;
}

static int
gateways(struct net_allow *a, struct err *err)
{
	struct net_rt rt;
	int rc;

	if (net_rt_open(&rt, err) == -1)
		return -1;
	rc = net_rt_dump(&rt, AF_INET, gw_cb, a, err);
	if (rc == 0)
		rc = net_rt_dump(&rt, AF_INET6, gw_cb, a, err);
	net_rt_close(&rt);
	if (rc == ENOMEM)
		return err_set(err, ENOMEM, "out of memory");
	return rc == 0 ? 0 : -1;
}

struct ssh_ctx {
	struct net_allow *a;
	const struct net_allow_opts *o;
	const struct procfd_map *sshd; /* sockets held by sshd processes */
	struct hmap session;           /* inodes held by logged-in ones */
};

/* Most sockets of one sshd process looked at. */
#define SSHD_SOCKETS_MAX 256

/*
 * Is the sshd process pid past authentication?  OpenSSH names its
 * processes in their command line: before a login succeeds they are
 * "sshd: [accepted]", "sshd: [net]", "sshd: USER [priv]", "sshd: USER
 * [preauth]" (the listener "... [listener] ..."); a logged-in session's
 * are "sshd: USER", "sshd: USER@pts/0", "sshd: USER@notty" (with
 * "sshd-session: " from OpenSSH 9.8).  A command line of another form
 * (not retitled) is taken for a session: the doubt never blocks.
 */
static int
sshd_logged_in(int pid)
{
	static const char *const titles[] = {"sshd: ", "sshd-session: ", NULL};
	struct strbuf sb = STRBUF_INIT(4096);
	struct err err = {0};
	char path[64];
	int in = 1;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if (file_read(path, 4096, &sb, NULL, &err) == -1) {
		strbuf_release(&sb);
		return 1;
	}
	for (size_t i = 0; titles[i] != NULL; i++)
		if (strncmp(strbuf_str(&sb), titles[i], strlen(titles[i])) == 0)
			in = strchr(strbuf_str(&sb), '[') == NULL;
	strbuf_release(&sb);
	return in;
}

/*
 * The socket inodes of the sshd processes past authentication into
 * c->session.  0, or ENOMEM.
 */
static int
sshd_sessions(struct ssh_ctx *c)
{
	uint64_t ino[SSHD_SOCKETS_MAX];

	for (size_t i = 0; i < c->sshd->n; i++) {
		int pid = c->sshd->v[i].pid, created;
		size_t n = 0;
		struct err err = {0};

		if (i > 0 && c->sshd->v[i - 1].pid == pid)
			continue; /* one process's sockets are together */
		if (!sshd_logged_in(pid) ||
		    procfd_pid_sockets(
		        NULL, pid, ino, SSHD_SOCKETS_MAX, &n, &err) == -1)
			continue;
		for (size_t k = 0; k < n; k++)
			if (hmap_put(&c->session, &ino[k], sizeof(ino[k]),
			        &created) == NULL)
				return ENOMEM;
	}
	return 0;
}

static int
ssh_cb(const struct sock_entry *e, void *arg)
{
	struct ssh_ctx *c = arg;
	const uint16_t dflt = 22;
	const uint16_t *ports =
	    c->o->ssh_ports != NULL ? c->o->ssh_ports : &dflt;
	size_t n = c->o->ssh_ports != NULL ? c->o->nssh : 1;
	const struct procfd_owner *own;

	/* held by an sshd, whatever its port: a session once logged in; a
	 * connection still authenticating (a password guesser's) is none */
	if (e->inode != 0 &&
	    (own = procfd_map_find(c->sshd, e->inode)) != NULL) {
		struct net_prefix p;
		char why[128];

		if (hmap_get(&c->session, &e->inode, sizeof(e->inode)) == NULL)
			return 0;
		net_prefix_from_bytes(&p, e->family, e->raddr);
		snprintf(why, sizeof(why),
		    "the peer of an established SSH session (sshd pid %d, "
		    "local port %u)",
		    own->pid, (unsigned)e->lport);
		return net_allow_add(c->a, &p, why) == -1 ? ENOMEM : 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct net_prefix p;
		char why[128];

		if (e->lport != ports[i])
			continue;
		net_prefix_from_bytes(&p, e->family, e->raddr);
		snprintf(why, sizeof(why),
		    "the peer of an established SSH session (local port %u)",
		    (unsigned)e->lport);
		if (net_allow_add(c->a, &p, why) == -1)
			return ENOMEM;
	}
	return 0;
}

static int
ssh_peers(struct net_allow *a, const struct net_allow_opts *o, struct err *err)
{
	static const char *const sshd_names[] = {"sshd", "sshd-session", NULL};
	struct sock_query q = {0};
	struct procfd_map sshd;
	struct ssh_ctx c = {a, o, &sshd, {0}};
	int rc;

	/* the sockets of sshd processes (socket inode -> pid), any port */
	if (procfd_map_build_for(&sshd, NULL, sshd_names, err) == -1)
		return err_prefix(err, "the SSH sessions");
	hmap_init(&c.session);
	q.protos = SOCK_TCP;
	q.states = SOCK_STATE_BIT(SOCK_ESTABLISHED);
	rc = sshd_sessions(&c);
	if (rc == 0)
		rc = sock_walk(&q, NULL, ssh_cb, &c, NULL, NULL, err);
	hmap_release(&c.session);
	procfd_map_release(&sshd);
	if (rc == ENOMEM)
		return err_set(err, ENOMEM, "out of memory");
	if (rc != 0)
		return -1;
	if (o->ssh_connection != NULL && o->ssh_connection[0] != '\0') {
		/* "client_ip client_port server_ip server_port" */
		const char *sp = strchr(o->ssh_connection, ' ');
		size_t len = sp != NULL ? (size_t)(sp - o->ssh_connection)
		                        : strlen(o->ssh_connection);
		struct net_prefix p;
		struct err ignore = {0};

		if (net_prefix_parse(o->ssh_connection, len, &p, &ignore) ==
		        0 &&
		    net_allow_add(a, &p,
		        "the client of this SSH session (SSH_CONNECTION)") ==
		        -1)
			return err_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

int
net_allow_build(
    struct net_allow *a, const struct net_allow_opts *o, struct err *err)
{
	a->n = 0;
	if (add_text(a, "127.0.0.0/8", "loopback", err) == -1 ||
	    add_text(a, "::1", "loopback", err) == -1 ||
	    add_text(a, "0.0.0.0/32", "the unspecified address", err) == -1 ||
	    add_text(a, "::/128", "the unspecified address", err) == -1 ||
	    add_text(a, "224.0.0.0/4", "multicast", err) == -1 ||
	    add_text(a, "255.255.255.255", "the broadcast address", err) ==
	        -1 ||
	    add_text(a, "ff00::/8", "multicast", err) == -1)
		return -1;
	for (size_t i = 0; i < o->nadmin; i++)
		if (add_text(a, o->admin[i], "a configured admin network",
		        err) == -1)
			return err_prefix(err, "admin-networks");
	if (host_addresses(a, err) == -1 || gateways(a, err) == -1 ||
	    ssh_peers(a, o, err) == -1)
		return -1;
	return 0;
}

const struct net_allow_entry *
net_allow_match(const struct net_allow *a, const struct net_prefix *p)
{
	for (size_t i = 0; i < a->n; i++)
		if (net_prefix_overlaps(&a->v[i].p, p))
			return &a->v[i];
	return NULL;
}

void
net_allow_release(struct net_allow *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}
