/*
 * suspicious.c - processes that look like worms, backdoors and sniffers
 * (the seed's S1 and S18), from the kernel's own tables: the executable
 * (deleted, replaced, in a temporary directory, writable by everyone), a
 * command name that is not the program's, listening and raw/packet
 * sockets of programs not on an allow list, promiscuous interfaces, and
 * PIDs hidden from the /proc listing.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/finding.h"
#include "collect/hidden.h"
#include "collect/proc.h"
#include "collect/procfd.h"
#include "collect/sniff.h"
#include "collect/sock.h"
#include "conf/conf.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

/* Daemons that listen as a matter of course; "allow" adds to them. */
static const char *const listen_allow[] = {"sshd", "apache2", "httpd", "nginx",
    "lighttpd", "master", "smtpd", "exim4", "exim", "sendmail*", "named",
    "unbound", "dnsmasq", "systemd-resolve", "systemd-network", "systemd",
    "chronyd", "ntpd", "cupsd", "mysqld", "mariadbd", "postgres",
    "redis-server", "memcached", "dhclient", "dhcpcd", "rpcbind", "rpc.statd",
    "avahi-daemon", "snmpd", "slapd", "dovecot", "xinetd", "vsftpd", "proftpd",
    "squid", "haproxy", "php-fpm*", "containerd", "dockerd", "docker-proxy",
    "sakimori", NULL};

/* Programs with a reason to hold raw or packet sockets. */
static const char *const sniff_allow[] = {"dhclient", "dhcpcd",
    "systemd-network", "NetworkManager", "wpa_supplicant", "lldpd",
    "keepalived", "ping", "ping6", "traceroute*", "arping", "tcpdump",
    "sakimori", NULL};

/* Programs that run themselves from a sealed memfd on purpose. */
static const char *const memfd_allow[] = {"runc", "runc:*", "crun", NULL};

int
procrules_match(const char *name, const char *const *pats)
{
	for (; pats != NULL && *pats != NULL; pats++)
		if (fnmatch(*pats, name, 0) == 0)
			return 1;
	return 0;
}

/* Matches name against the built-in list and the "allow" key of check. */
int
procrules_allowed(const struct conf *c, const char *check, const char *name,
    const char *const *builtin)
{
	const struct conf_node *blk = conf_check(c, check, NULL);
	const struct conf_node *n = conf_find(blk, "allow");

	if (procrules_match(name, builtin))
		return 1;
	if (blk != NULL)
		for (size_t i = 0; i < blk->nchild; i++) {
			n = &blk->child[i];
			if (strcmp(n->key, "allow") != 0)
				continue;
			for (size_t j = 0; j < n->nvals; j++)
				if (fnmatch(n->vals[j].str, name, 0) == 0)
					return 1;
		}
	return 0;
}

const char *
procrules_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int
procrules_enabled(const struct conf *c, const char *check)
{
	struct threshold t;

	conf_threshold(c, check, NULL, &t);
	return t.enabled;
}

static void
ev_proc(struct finding *f, const struct proc *p)
{
	if (f == NULL)
		return;
	finding_ev(f, "pid", "%d", p->pid);
	finding_ev(f, "ppid", "%d", p->ppid);
	finding_ev(f, "user", "%s", p->user);
	finding_ev(f, "comm", "%s", p->comm);
	if (p->exe[0])
		finding_ev(f, "exe", "%s", p->exe);
	if (p->cmdline[0])
		finding_ev(f, "cmdline", "%s", p->cmdline);
}

static void
pid_subject(char *dst, size_t sz, const struct proc *p)
{
	snprintf(dst, sz, "pid %d", p->pid);
}

/* The executable's path without the kernel's " (deleted)" suffix. */
static void
exe_path(const struct proc *p, char *dst, size_t sz)
{
	size_t n;

	snprintf(dst, sz, "%s", p->exe);
	n = strlen(dst);
	if (n > 10 && strcmp(dst + n - 10, " (deleted)") == 0)
		dst[n - 10] = '\0';
}

static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static void
check_exe(const struct conf *c, const struct proc *p, const char *root,
    struct report *r)
{
	char path[PROC_EXE_MAX], full[PATH_MAX], dir[PATH_MAX], subj[32];
	struct finding *f;
	struct stat st;

	if (!(p->flags & PROC_F_EXE) || p->exe[0] == '\0')
		return;
	exe_path(p, path, sizeof(path));
	pid_subject(subj, sizeof(subj), p);
	if (procrules_enabled(c, "proc-exe-location") &&
	    (under(path, "/tmp") || under(path, "/var/tmp") ||
	        under(path, "/dev/shm"))) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-location", subj,
		    "%s (pid %d, user %s) runs from a temporary directory: %s",
		    p->comm, p->pid, p->user, path);
		ev_proc(f, p);
	}
	if (strncmp(path, "/memfd:", 7) == 0) {
		/* fileless: an anonymous memory file, never on disk */
		if (procrules_enabled(c, "proc-exe-deleted") &&
		    !procrules_allowed(
		        c, "proc-exe-deleted", p->comm, memfd_allow)) {
			f = report_add(r, SEV_CRITICAL, "proc-exe-deleted",
			    subj,
			    "%s (pid %d, user %s) runs from an anonymous "
			    "memory file, not from disk: %s",
			    p->comm, p->pid, p->user, path + 1);
			ev_proc(f, p);
		}
		return;
	}
	if (p->flags & PROC_F_EXE_DELETED) {
		if (procrules_enabled(c, "proc-exe-deleted")) {
			int replaced =
			    path_join(full, sizeof(full), root, path) == 0 &&
			    stat(full, &st) == 0;

			f = report_add(r, replaced ? SEV_WARNING : SEV_CRITICAL,
			    "proc-exe-deleted", subj,
			    replaced
			        ? "%s (pid %d, user %s) runs an executable "
			          "replaced since it started: %s (upgraded? "
			          "restart it)"
			        : "%s (pid %d, user %s) runs an executable "
			          "that was deleted: %s",
			    p->comm, p->pid, p->user, path);
			ev_proc(f, p);
		}
		return;
	}
	if (!procrules_enabled(c, "proc-exe-writable"))
		return;
	if (path_join(full, sizeof(full), root, path) == -1 ||
	    stat(full, &st) == -1)
		return;
	snprintf(dir, sizeof(dir), "%s", full);
	if (strrchr(dir, '/') != NULL)
		*strrchr(dir, '/') = '\0';
	if (st.st_mode & S_IWOTH) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-writable", subj,
		    "%s (pid %d, user %s) runs an executable everyone may "
		    "write: %s",
		    p->comm, p->pid, p->user, path);
		ev_proc(f, p);
	} else if (stat(dir[0] ? dir : "/", &st) == 0 &&
	    (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-writable", subj,
		    "%s (pid %d, user %s) runs from a directory everyone may "
		    "write: %s",
		    p->comm, p->pid, p->user, path);
		ev_proc(f, p);
	}
}

/* 1 if a and b agree on their first 15 bytes (TASK_COMM_LEN - 1). */
static int
comm_eq(const char *comm, const char *name, size_t namelen)
{
	size_t n = strlen(comm);

	if (namelen > 15)
		namelen = 15;
	if (n > 15)
		n = 15;
	return n == namelen && memcmp(comm, name, n) == 0;
}

static void
check_name(const struct conf *c, const struct proc *p, struct report *r)
{
	char path[PROC_EXE_MAX], subj[32];
	const char *base, *a0, *a0e, *a1, *a1e;
	struct finding *f;

	if (!(p->flags & PROC_F_EXE) || p->exe[0] == '\0' ||
	    (p->flags & PROC_F_KTHREAD) || !(p->flags & PROC_F_CMDLINE) ||
	    !procrules_enabled(c, "proc-name-mismatch"))
		return;
	exe_path(p, path, sizeof(path));
	base = procrules_base(path);
	if (comm_eq(p->comm, base, strlen(base)))
		return;
	/* argv[0] (busybox, symlinked interpreters) and, for scripts run
	 * through #!, the script's name */
	a0 = p->cmdline;
	a0e = strchr(a0, ' ');
	if (a0e == NULL)
		a0e = a0 + strlen(a0);
	for (const char *s = a0; s < a0e; s++)
		if (*s == '/')
			a0 = s + 1;
	if (comm_eq(p->comm, a0, (size_t)(a0e - a0)))
		return;
	a1 = *a0e ? a0e + 1 : a0e;
	while (*a1 == '-') { /* interpreter options */
		a1 = strchr(a1, ' ');
		if (a1 == NULL)
			break;
		a1++;
	}
	if (a1 != NULL) {
		a1e = strchr(a1, ' ');
		if (a1e == NULL)
			a1e = a1 + strlen(a1);
		for (const char *s = a1; s < a1e; s++)
			if (*s == '/')
				a1 = s + 1;
		if (comm_eq(p->comm, a1, (size_t)(a1e - a1)))
			return;
	}
	if (procrules_allowed(c, "proc-name-mismatch", p->comm, NULL))
		return;
	pid_subject(subj, sizeof(subj), p);
	f = report_add(r, SEV_WARNING, "proc-name-mismatch", subj,
	    "pid %d calls itself '%s' but runs %s", p->pid, p->comm, path);
	ev_proc(f, p);
}

static int
is_loopback(const struct sock_entry *e)
{
	if (e->family == 2)
		return e->laddr[0] == 127;
	{
		static const uint8_t one[16] = {
		    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
		static const uint8_t v4[12] = {
		    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

		return memcmp(e->laddr, one, 16) == 0 ||
		    (memcmp(e->laddr, v4, 12) == 0 && e->laddr[12] == 127);
	}
}

static void
addr_text(const struct sock_entry *e, char *dst, size_t sz)
{
	if (e->family == 2)
		snprintf(dst, sz, "%u.%u.%u.%u:%u", e->laddr[0], e->laddr[1],
		    e->laddr[2], e->laddr[3], e->lport);
	else {
		char a[64];
		size_t k = 0;

		for (int i = 0; i < 16 && k + 6 < sizeof(a); i += 2)
			k += (size_t)snprintf(a + k, sizeof(a) - k, "%s%x",
			    i ? ":" : "",
			    (unsigned)(e->laddr[i] << 8 | e->laddr[i + 1]));
		snprintf(dst, sz, "[%s]:%u", a, e->lport);
	}
}

/* The name an allow list matches: comm, or the executable's base name. */
static int
owner_allowed(const struct conf *c, const char *check,
    const struct procfd_owner *o, const struct proc_table *t,
    const char *const *builtin)
{
	const struct proc *p = proc_table_find(t, o->pid);
	char path[PROC_EXE_MAX];

	if (procrules_allowed(c, check, o->comm, builtin))
		return 1;
	if (p != NULL && p->exe[0]) {
		exe_path(p, path, sizeof(path));
		return procrules_allowed(
		    c, check, procrules_base(path), builtin);
	}
	return 0;
}

struct listen_walk {
	const struct conf *c;
	const struct proc_table *t;
	const struct procfd_map *m;
	struct report *r;
	int loopback;
};

static void
listen_one(const struct sock_entry *e, struct listen_walk *w)
{
	const struct procfd_owner *o;
	const struct proc *p;
	char addr[96], subj[64], port[16];
	struct finding *f;

	if (!w->loopback && is_loopback(e))
		return;
	o = procfd_map_find(w->m, e->inode);
	if (o == NULL)
		return; /* the kernel's own, or the owner is gone */
	snprintf(port, sizeof(port), "%u", e->lport);
	if (owner_allowed(w->c, "proc-listener", o, w->t, listen_allow) ||
	    procrules_allowed(w->c, "proc-listener", port, NULL))
		return;
	addr_text(e, addr, sizeof(addr));
	snprintf(subj, sizeof(subj), "pid %d", o->pid);
	f = report_add(w->r, SEV_WARNING, "proc-listener", subj,
	    "%s (pid %d, uid %u) listens on %s %s, not an expected server",
	    o->comm, o->pid, o->uid, e->proto == 6 ? "tcp" : "udp", addr);
	if (f != NULL) {
		finding_ev(f, "proto", "%s", e->proto == 6 ? "tcp" : "udp");
		finding_ev(f, "address", "%s", addr);
		finding_ev(f, "port", "%u", e->lport);
		if ((p = proc_table_find(w->t, o->pid)) != NULL)
			ev_proc(f, p);
		else
			finding_ev(f, "pid", "%d", o->pid);
	}
}

static void
check_sockets(const struct conf *c, const struct proc_table *t,
    const char *root, struct report *r)
{
	int want_listen = procrules_enabled(c, "proc-listener");
	int want_sniff = procrules_enabled(c, "proc-sniffer");
	struct procfd_map m;
	struct err err = {0};

	if (!want_listen && !want_sniff)
		return;
	memset(&m, 0, sizeof(m));
	if (procfd_map_build(&m, root, &err) == -1) {
		report_add(r, SEV_UNKNOWN, "proc-listener", "sockets",
		    "cannot map sockets to processes: %s", err.msg);
		return;
	}
	if (want_listen) {
		struct sock_table st = {0};
		struct listen_walk w = {c, t, &m, r, 0};
		const struct conf_node *blk =
		    conf_check(c, "proc-listener", NULL);

		w.loopback = conf_flag(blk, "loopback");
		if (sock_listening(root, &st, &err) == -1)
			report_add(r, SEV_UNKNOWN, "proc-listener", "sockets",
			    "cannot read the socket table: %s", err.msg);
		else
			for (size_t i = 0; i < st.n; i++)
				listen_one(&st.v[i], &w);
		sock_table_release(&st);
	}
	if (want_sniff) {
		struct sniff_socks *s = calloc(1, sizeof(*s));

		if (s != NULL && sniff_socks_read(s, root, &err) == 0)
			for (size_t i = 0; i < s->n; i++) {
				const struct procfd_owner *o =
				    procfd_map_find(&m, s->v[i].inode);
				const struct proc *p;
				struct finding *f;
				char subj[32];

				if (o == NULL ||
				    owner_allowed(
				        c, "proc-sniffer", o, t, sniff_allow))
					continue;
				snprintf(subj, sizeof(subj), "pid %d", o->pid);
				f = report_add(r, SEV_CRITICAL, "proc-sniffer",
				    subj,
				    "%s (pid %d, uid %u) holds a %s socket "
				    "(protocol 0x%x): it can read traffic",
				    o->comm, o->pid, o->uid,
				    s->v[i].kind == SNIFF_PACKET ? "packet"
				                                 : "raw IP",
				    s->v[i].proto);
				if (f != NULL &&
				    (p = proc_table_find(t, o->pid)) != NULL)
					ev_proc(f, p);
			}
		free(s);
	}
	procfd_map_release(&m);
}

static void
check_promisc(const struct conf *c, const char *root, struct report *r)
{
	struct sniff_if v[64];
	struct err err = {0};
	int n;

	if (!procrules_enabled(c, "net-promisc"))
		return;
	n = sniff_promisc_read(root, v, 64, &err);
	for (int i = 0; i < n && i < 64; i++) {
		char brport[PATH_MAX], rel[128];
		struct stat st;
		struct finding *f;

		/* ports of a bridge are promiscuous by design */
		snprintf(
		    rel, sizeof(rel), "/sys/class/net/%s/brport", v[i].name);
		if (path_join(brport, sizeof(brport), root, rel) == 0 &&
		    stat(brport, &st) == 0)
			continue;
		if (procrules_allowed(c, "net-promisc", v[i].name, NULL))
			continue;
		f = report_add(r, SEV_WARNING, "net-promisc", v[i].name,
		    "interface %s is in promiscuous mode: something may be "
		    "sniffing",
		    v[i].name);
		if (f != NULL)
			finding_ev(f, "flags", "0x%x", v[i].flags);
	}
}

static void
check_hidden(
    const struct conf *c, const struct procrules_opts *o, struct report *r)
{
	struct hidden_opts ho = {0};
	struct hidden_result hr;
	struct err err = {0};
	const struct conf_node *blk = conf_check(c, "proc-hidden", NULL);

	if (o->no_hidden || !procrules_enabled(c, "proc-hidden"))
		return;
	if (o->root != NULL && o->root[0] != '\0')
		return; /* a fixture tree has no live PIDs to ask */
	ho.thorough = conf_flag(blk, "thorough");
	ho.pid_max = (int)conf_num(blk, "pid-max", 0);
	if (hidden_scan(&ho, &hr, &err) == -1) {
		report_add(r, SEV_UNKNOWN, "proc-hidden", "processes",
		    "cannot look for hidden processes: %s", err.msg);
		return;
	}
	if (hr.hidepid)
		report_add(r, SEV_UNKNOWN, "proc-hidden", "processes",
		    "cannot look for hidden processes: /proc is mounted with "
		    "hidepid and we are not root");
	for (size_t i = 0; i < hr.n; i++) {
		const struct hidden_pid *h = &hr.v[i];
		char subj[32];
		struct finding *f;

		snprintf(subj, sizeof(subj), "pid %d", h->pid);
		f = report_add(r, SEV_CRITICAL, "proc-hidden", subj,
		    "pid %d (%s) is running but hidden from the /proc "
		    "listing that ps reads",
		    h->pid, h->comm[0] ? h->comm : "no /proc entry");
		if (f == NULL)
			continue;
		finding_ev(f, "pid", "%d", h->pid);
		finding_ev(f, "found_by", "%s%s%s%s",
		    h->how & HIDDEN_BY_KILL ? "kill " : "",
		    h->how & HIDDEN_BY_PRIO ? "getpriority " : "",
		    h->how & HIDDEN_BY_SCHED ? "sched_getscheduler " : "",
		    h->how & HIDDEN_BY_PROC ? "/proc/PID" : "");
		if (h->uid != UINT32_MAX)
			finding_ev(f, "uid", "%u", h->uid);
		if (h->comm[0])
			finding_ev(f, "comm", "%s", h->comm);
		if (h->exe[0])
			finding_ev(f, "exe", "%s", h->exe);
	}
	hidden_result_release(&hr);
}

void
procrules_suspicious(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	const char *root = o->root ? o->root : "";

	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];

		if (p->flags & PROC_F_KTHREAD)
			continue;
		check_exe(c, p, root, r);
		check_name(c, p, r);
	}
	check_sockets(c, t, root, r);
	check_promisc(c, root, r);
	check_hidden(c, o, r);
}
