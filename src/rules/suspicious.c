/*
 * suspicious.c - processes that look like worms, backdoors and sniffers,
 * from the kernel's own tables: the executable
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
#include "base/hmap.h"
#include "collect/hidden.h"
#include "collect/proc.h"
#include "collect/procfd.h"
#include "collect/sniff.h"
#include "collect/sock.h"
#include "conf/conf.h"
#include "pkg/pkg.h"
#include "rules/procrules.h"
#include "rules/procrules_int.h"

/*
 * Daemons that listen as a matter of course, by executable path (a
 * command name proves nothing: anything may call itself sshd); "allow"
 * adds to them.
 */
const char *const procrules_listen_allow[] = {"/usr/sbin/sshd",
    "/usr/sbin/apache2", "/usr/sbin/httpd", "/usr/sbin/nginx",
    "/usr/sbin/lighttpd", "/usr/lib/postfix/sbin/*", "/usr/libexec/postfix/*",
    "/usr/sbin/exim4", "/usr/sbin/exim", "/usr/sbin/sendmail-mta",
    "/usr/lib/sm.bin/sendmail", "/usr/sbin/named", "/usr/sbin/unbound",
    "/usr/sbin/dnsmasq", "/usr/lib/systemd/systemd",
    "/usr/lib/systemd/systemd-resolved", "/usr/lib/systemd/systemd-networkd",
    "/usr/lib/systemd/systemd-timesyncd", "/usr/sbin/chronyd", "/usr/sbin/ntpd",
    "/usr/sbin/cupsd", "/usr/sbin/mysqld", "/usr/sbin/mariadbd",
    "/usr/lib/postgresql/*/bin/postgres", "/usr/bin/redis-server",
    "/usr/bin/memcached", "/usr/sbin/dhclient", "/usr/sbin/dhcpcd",
    "/usr/sbin/rpcbind", "/usr/sbin/rpc.statd", "/usr/sbin/rpc.mountd",
    "/usr/sbin/avahi-daemon", "/usr/sbin/snmpd", "/usr/sbin/slapd",
    "/usr/sbin/dovecot", "/usr/lib/dovecot/*", "/usr/sbin/xinetd",
    "/usr/sbin/vsftpd", "/usr/sbin/proftpd", "/usr/sbin/squid",
    "/usr/sbin/haproxy", "/usr/sbin/php-fpm*", "/usr/sbin/smbd",
    "/usr/sbin/nmbd", "/usr/sbin/nrpe", "/usr/sbin/zabbix_agentd",
    "/usr/sbin/opendkim", "/usr/sbin/spamd",
    "/usr/bin/prometheus-node-exporter", "/usr/bin/containerd",
    "/usr/bin/dockerd", "/usr/bin/docker-proxy",
    "/usr/libexec/docker/docker-proxy", NULL};

/* Programs with a reason to hold raw or packet sockets. */
const char *const procrules_sniff_allow[] = {"/usr/sbin/dhclient",
    "/usr/sbin/dhcpcd", "/usr/lib/systemd/systemd-networkd",
    "/usr/sbin/NetworkManager", "/usr/sbin/wpa_supplicant", "/usr/sbin/lldpd",
    "/usr/sbin/keepalived", "/usr/bin/ping", "/usr/bin/ping6",
    "/usr/sbin/traceroute*", "/usr/bin/traceroute*", "/usr/sbin/arping",
    "/usr/bin/arping", "/usr/bin/tcpdump", "/usr/sbin/tcpdump", NULL};

/* Programs that run themselves from a sealed memfd on purpose (container
 * runtimes re-executing themselves against CVE-2019-5736). */
const char *const procrules_memfd_allow[] = {"runc", "runc:*", "crun", NULL};

/* Command names that differ from the program's by design. */
const char *const procrules_name_allow[] = {"(sd-*)", "runc:*", NULL};

/* Kernel threads' names: a user process calling itself one hides. */
static const char *const kthread_names[] = {"kworker*", "ksoftirqd*",
    "kthreadd", "migration/*", "rcu_*", "watchdog/*", "kswapd*", "jbd2/*",
    "kblockd", "kauditd", "khungtaskd", "cpuhp/*", "irq/*", "kcompactd*",
    "ksmd", "khugepaged", "kdevtmpfs", "oom_reaper", "kthrotld", "scsi_eh_*",
    "scsi_tmf_*", "writeback", "kintegrityd", "md*_raid*", "xfsaild*",
    "ext4-rsv-conver", "kdamond*", "idle_inject/*", "pool_workqueue_*", NULL};

int
procrules_match(const char *name, const char *const *pats)
{
	for (; pats != NULL && *pats != NULL; pats++)
		if (fnmatch(*pats, name, 0) == 0)
			return 1;
	return 0;
}

void
procrules_exe_path(const char *exe, char *dst, size_t sz)
{
	size_t n;

	snprintf(dst, sz, "%s", exe);
	n = strlen(dst);
	if (n > 10 && strcmp(dst + n - 10, " (deleted)") == 0)
		dst[n - 10] = '\0';
}

static int
path_match(const char *pat, const char *exe)
{
	char path[PROC_EXE_MAX], usr[PROC_EXE_MAX + 8];

	if (exe == NULL || exe[0] != '/')
		return 0;
	procrules_exe_path(exe, path, sizeof(path));
	if (fnmatch(pat, path, FNM_PATHNAME) == 0)
		return 1;
	pkg_usr_path(path, usr, sizeof(usr));
	return fnmatch(pat, usr, FNM_PATHNAME) == 0;
}

int
procrules_builtin_allowed(
    const char *const *builtin, const char *comm, const char *exe)
{
	for (; builtin != NULL && *builtin != NULL; builtin++) {
		if ((*builtin)[0] == '/') {
			if (path_match(*builtin, exe))
				return 1;
		} else if (comm != NULL && fnmatch(*builtin, comm, 0) == 0)
			return 1;
	}
	return 0;
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* One "allow" value against a process (see procrules_int.h). */
static int
allow_value(const char *v, const char *comm, const char *exe, const char *port)
{
	char path[PROC_EXE_MAX];

	if (v[0] == '/')
		return path_match(v, exe);
	if (all_digits(v))
		return port != NULL && strcmp(v, port) == 0;
	if (comm != NULL && fnmatch(v, comm, 0) == 0)
		return 1;
	if (exe != NULL && exe[0] == '/') {
		procrules_exe_path(exe, path, sizeof(path));
		return fnmatch(v, procrules_base(path), 0) == 0;
	}
	return 0;
}

int
procrules_allowed(const struct conf *c, const char *check, const char *comm,
    const char *exe, const char *port, const char *const *builtin)
{
	const struct conf_node *blk = conf_check(c, check, NULL);

	if (procrules_builtin_allowed(builtin, comm, exe))
		return 1;
	if (blk != NULL)
		for (size_t i = 0; i < blk->nchild; i++) {
			const struct conf_node *n = &blk->child[i];

			if (strcmp(n->key, "allow") != 0)
				continue;
			for (size_t j = 0; j < n->nvals; j++)
				if (allow_value(
				        n->vals[j].str, comm, exe, port))
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

static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

unsigned
procrules_exe_verdict(
    const char *exe, unsigned pflags, const struct exe_facts *fx)
{
	char path[PROC_EXE_MAX];
	unsigned v = 0;

	if (exe == NULL || exe[0] == '\0')
		return 0;
	procrules_exe_path(exe, path, sizeof(path));
	if (under(path, "/tmp") || under(path, "/var/tmp") ||
	    under(path, "/dev/shm"))
		v |= SUSP_EXE_TMP;
	if (strncmp(path, "/memfd:", 7) == 0)
		return v | SUSP_EXE_MEMFD; /* never on disk */
	if (pflags & PROC_F_EXE_DELETED)
		return v |
		    (fx != NULL && fx->exists ? SUSP_EXE_REPLACED
		                              : SUSP_EXE_DELETED);
	if (fx == NULL || !fx->exists)
		return v;
	if (fx->mode & S_IWOTH)
		v |= SUSP_EXE_WORLD;
	else if (fx->dir_known && (fx->dir_mode & S_IWOTH) &&
	    !(fx->dir_mode & S_ISVTX))
		v |= SUSP_EXE_DIR;
	return v;
}

int
procrules_kthread_name(const char *name)
{
	return procrules_match(name, kthread_names);
}

/* 1 if comm and name agree on their first 15 bytes (TASK_COMM_LEN - 1). */
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

/* The word at s (up to a space or the end) without its directories. */
static const char *
word_base(const char *s, const char **end)
{
	const char *e = strchr(s, ' '), *b = s;

	if (e == NULL)
		e = s + strlen(s);
	for (const char *q = s; q < e; q++)
		if (*q == '/')
			b = q + 1;
	*end = e;
	return b;
}

/* The length of argv[0] at the start of p->cmdline. */
static size_t
argv0_len(const struct proc *p)
{
	size_t n = p->argv0_len;

	return n == 0 || n > strlen(p->cmdline) ? strcspn(p->cmdline, " ") : n;
}

int
procrules_kthread_argv0(const struct proc *p)
{
	size_t n = argv0_len(p);

	/* "[kworker/0:1]", also with arguments after it; "[" alone is
	 * test(1) */
	return n >= 3 && p->cmdline[0] == '[' &&
	    memchr(p->cmdline + 2, ']', n - 2) != NULL;
}

/*
 * A user process that looks like a kernel thread in ps: named like one,
 * or an argv[0] in brackets.  Only a real kernel thread has PF_KTHREAD
 * (PROC_F_KTHREAD), so the executable need not be readable to tell; a
 * process with neither a command line nor an executable (a zombie) is
 * not judged.
 */
static int
poses_as_kthread(const struct proc *p)
{
	if ((p->flags & PROC_F_KTHREAD) || !(p->flags & PROC_F_CMDLINE) ||
	    (p->cmdline[0] == '\0' &&
	        (!(p->flags & PROC_F_EXE) || p->exe[0] == '\0')))
		return 0;
	return procrules_kthread_name(p->comm) || procrules_kthread_argv0(p);
}

enum name_verdict
procrules_name_verdict(const struct proc *p)
{
	char path[PROC_EXE_MAX];
	const char *base, *a0, *a0e, *a1, *a1e;
	size_t clen = strlen(p->comm);

	if (poses_as_kthread(p))
		return NAME_KTHREAD;
	if (!(p->flags & PROC_F_EXE) || p->exe[0] == '\0' ||
	    (p->flags & PROC_F_KTHREAD) || !(p->flags & PROC_F_CMDLINE) ||
	    p->comm[0] == '\0')
		return NAME_OK;
	procrules_exe_path(p->exe, path, sizeof(path));
	base = procrules_base(path);
	if (comm_eq(p->comm, base, strlen(base)))
		return NAME_OK;
	/* argv[0] (busybox, symlinked interpreters, login shells) */
	a0 = word_base(p->cmdline, &a0e);
	if (comm_eq(p->comm, a0, (size_t)(a0e - a0)))
		return NAME_OK;
	/* a title the process set itself (setproctitle, perl's $0): the
	 * command line starts with the command name */
	if (clen > 0 && strncmp(a0, p->comm, clen) == 0)
		return NAME_OK;
	/* a script run through #! or by an interpreter: its name */
	a1 = *a0e ? a0e + 1 : a0e;
	while (*a1 == '-') { /* interpreter options */
		a1 = strchr(a1, ' ');
		if (a1 == NULL)
			return NAME_MISMATCH;
		a1++;
	}
	a1 = word_base(a1, &a1e);
	if (a1 < a1e && comm_eq(p->comm, a1, (size_t)(a1e - a1)))
		return NAME_OK;
	return NAME_MISMATCH;
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

/* 1 when stat(2) failed for want of a right to look (not ENOENT). */
static int
refused(int e)
{
	return e != ENOENT && e != ENOTDIR;
}

/*
 * What stat(2) says about the executable (under root) and its directory.
 * 1 when that is all there is to know, 0 when a stat was refused here
 * (EACCES: another user's directory) and root would know more.
 */
static int
exe_facts_read(const char *path, const char *root, struct exe_facts *fx)
{
	char full[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	memset(fx, 0, sizeof(*fx));
	if (path_join(full, sizeof(full), root, path) == -1)
		return 1;
	if (stat(full, &st) == -1)
		return !refused(errno);
	fx->exists = 1;
	fx->mode = st.st_mode;
	snprintf(dir, sizeof(dir), "%s", full);
	if (strrchr(dir, '/') != NULL)
		*strrchr(dir, '/') = '\0';
	if (stat(dir[0] ? dir : "/", &st) == -1)
		return !refused(errno);
	fx->dir_known = 1;
	fx->dir_mode = st.st_mode;
	return 1;
}

/*
 * The facts of every process's executable (fx[i] of t->p[i]; zeros for
 * those without one), read here, and those refused here asked through
 * o->priv when it is set.  0, or -1 when they could not be asked.
 */
static int
exe_facts_all(const struct proc_table *t, const char *root,
    const struct procrules_opts *o, struct exe_facts *fx)
{
	const struct proc **ask = NULL;
	struct exe_facts **dst = NULL;
	size_t n = 0;
	int rc = 0;

	if (o->priv != NULL && o->priv->exe_facts != NULL) {
		ask = calloc(t->n ? t->n : 1, sizeof(*ask));
		dst = calloc(t->n ? t->n : 1, sizeof(*dst));
		if (ask == NULL || dst == NULL) {
			free(ask);
			free(dst);
			return -1;
		}
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];
		char path[PROC_EXE_MAX];

		memset(&fx[i], 0, sizeof(fx[i]));
		if ((p->flags & PROC_F_KTHREAD) || !(p->flags & PROC_F_EXE) ||
		    p->exe[0] == '\0')
			continue;
		procrules_exe_path(p->exe, path, sizeof(path));
		if (exe_facts_read(path, root, &fx[i]) == 0 && ask != NULL) {
			ask[n] = p;
			dst[n++] = &fx[i];
		}
	}
	if (n > 0)
		rc = o->priv->exe_facts(o->priv->arg, ask, dst, n);
	free(ask);
	free(dst);
	return rc;
}

/* 1 if check is enabled and p is not on its allow list. */
static int
exe_wanted(const struct conf *c, const char *check, const struct proc *p,
    const char *const *builtin)
{
	return procrules_enabled(c, check) &&
	    !procrules_allowed(c, check, p->comm, p->exe, NULL, builtin);
}

static void
check_exe(const struct conf *c, const struct proc *p,
    const struct exe_facts *fx, struct report *r)
{
	char path[PROC_EXE_MAX], subj[32];
	struct finding *f = NULL;
	unsigned v;

	if (!(p->flags & PROC_F_EXE) || p->exe[0] == '\0')
		return;
	procrules_exe_path(p->exe, path, sizeof(path));
	v = procrules_exe_verdict(p->exe, p->flags, fx);
	if (v == 0)
		return;
	pid_subject(subj, sizeof(subj), p);
	if ((v & SUSP_EXE_TMP) && exe_wanted(c, "proc-exe-location", p, NULL)) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-location", subj,
		    "%s (pid %d, user %s) runs from a temporary directory: %s",
		    p->comm, p->pid, p->user, path);
		ev_proc(f, p);
	}
	if ((v & SUSP_EXE_MEMFD) &&
	    exe_wanted(c, "proc-exe-deleted", p, procrules_memfd_allow)) {
		/* fileless: an anonymous memory file, never on disk */
		f = report_add(r, SEV_CRITICAL, "proc-exe-deleted", subj,
		    "%s (pid %d, user %s) runs from an anonymous memory file, "
		    "not from disk: %s",
		    p->comm, p->pid, p->user, path + 1);
	} else if ((v & SUSP_EXE_DELETED) &&
	    exe_wanted(c, "proc-exe-deleted", p, NULL)) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-deleted", subj,
		    "%s (pid %d, user %s) runs an executable that was "
		    "deleted: %s",
		    p->comm, p->pid, p->user, path);
	} else if ((v & SUSP_EXE_REPLACED) &&
	    exe_wanted(c, "proc-exe-deleted", p, NULL)) {
		f = report_add(r, SEV_WARNING, "proc-exe-deleted", subj,
		    "%s (pid %d, user %s) runs an executable replaced since "
		    "it started: %s (upgraded? restart it)",
		    p->comm, p->pid, p->user, path);
	} else if ((v & SUSP_EXE_WORLD) &&
	    exe_wanted(c, "proc-exe-writable", p, NULL)) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-writable", subj,
		    "%s (pid %d, user %s) runs an executable everyone may "
		    "write: %s",
		    p->comm, p->pid, p->user, path);
	} else if ((v & SUSP_EXE_DIR) &&
	    exe_wanted(c, "proc-exe-writable", p, NULL)) {
		f = report_add(r, SEV_CRITICAL, "proc-exe-writable", subj,
		    "%s (pid %d, user %s) runs from a directory everyone may "
		    "write: %s",
		    p->comm, p->pid, p->user, path);
	} else
		return;
	ev_proc(f, p);
}

static void
check_name(const struct conf *c, const struct proc *p, struct report *r)
{
	char path[PROC_EXE_MAX], subj[32];
	enum name_verdict v;
	struct finding *f;

	if (!procrules_enabled(c, "proc-name-mismatch"))
		return;
	v = procrules_name_verdict(p);
	if (v == NAME_OK ||
	    procrules_allowed(c, "proc-name-mismatch", p->comm, p->exe, NULL,
	        v == NAME_KTHREAD ? NULL : procrules_name_allow))
		return;
	procrules_exe_path(p->exe, path, sizeof(path));
	pid_subject(subj, sizeof(subj), p);
	if (v == NAME_KTHREAD)
		f = report_add(r, SEV_CRITICAL, "proc-name-mismatch", subj,
		    "pid %d poses as a kernel thread ('%.*s') but runs %s",
		    p->pid,
		    procrules_kthread_name(p->comm) ? (int)strlen(p->comm)
		                                    : (int)argv0_len(p),
		    procrules_kthread_name(p->comm) ? p->comm : p->cmdline,
		    path[0] ? path : "a program (executable not readable)");
	else
		f = report_add(r, SEV_WARNING, "proc-name-mismatch", subj,
		    "pid %d calls itself '%s' but runs %s", p->pid, p->comm,
		    path);
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

/* The socket's owner is allowed: by its executable's path, command name
 * or (port != NULL) the port. */
static int
owner_allowed(const struct conf *c, const char *check,
    const struct procfd_owner *o, const struct proc_table *t, const char *port,
    const char *const *builtin)
{
	const struct proc *p = proc_table_find(t, o->pid);

	if (o->pid == getpid())
		return 1; /* ourselves */
	return procrules_allowed(c, check, o->comm,
	    p != NULL && p->exe[0] ? p->exe : NULL, port, builtin);
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
	if (owner_allowed(
	        w->c, "proc-listener", o, w->t, port, procrules_listen_allow))
		return;
	sock_endpoint_format(e->family, e->laddr, e->lport, addr, sizeof(addr));
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

/* 1 if p counts as not inspected: its executable was not ours to read. */
static int
exe_denied(const struct proc *p)
{
	return (p->flags & PROC_F_EXE_DENIED) && p->state != 'Z' &&
	    !(p->flags & PROC_F_KTHREAD);
}

struct denied_walk {
	const struct proc_table *t;
	unsigned n;
};

/* Counts a pid whose descriptors were not ours to read, once: not when
 * its executable was not either (counted already), not a zombie (it
 * holds none), not one missing from the table (its stat was not
 * readable: counted in t->unreadable). */
static int
count_fd_denied(struct hmap_entry *e, void *arg)
{
	struct denied_walk *w = arg;
	const struct proc *p;
	int pid;

	memcpy(&pid, e->key, sizeof(pid));
	p = proc_table_find(w->t, pid);
	if (p != NULL && !exe_denied(p) && p->state != 'Z' &&
	    !(p->flags & PROC_F_KTHREAD))
		w->n++;
	return 0;
}

/* A count of f's evidence key (0 when it has none). */
static unsigned
ev_count(const struct finding *f, const char *key)
{
	const char *v = f != NULL ? finding_ev_get(f, key) : NULL;

	return v != NULL ? (unsigned)strtoul(v, NULL, 10) : 0;
}

/* Why processes could not be inspected, by who looked. */
static const char *
coverage_why(const struct procrules_opts *o, unsigned stat)
{
	static const char *const even_root =
	    "the kernel refused even root (capabilities root lacks here, or "
	    "a security module)";

	/* the agent's child (no geteuid under its filter): root read the
	 * executables for it, it read the processes' stat itself */
	if (o->priv != NULL)
		return stat > 0 ? "their /proc entries are not readable by "
		                  "the agent's user (/proc mounted with "
		                  "hidepid?)"
		                : even_root;
	return geteuid() == 0 ? even_root : "run as root";
}

/*
 * Partial coverage: processes whose /proc entries the checks need were
 * not ours to read (run as another user than root: NRPE's nagios).  One
 * UNKNOWN finding with the count, so that missing root's processes is
 * never an OK; a part's counts are added to the other part's finding
 * when it is in r already (stat, the same table's, counted once).
 */
static void
coverage_add(const struct procrules_opts *o, unsigned exe, unsigned fd,
    unsigned stat, struct report *r)
{
	struct finding *f = NULL;
	unsigned n;

	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].check, "proc-coverage") == 0 &&
		    strcmp(r->f[i].subject, "processes") == 0)
			f = &r->f[i];
	exe += ev_count(f, "exe_unreadable");
	fd += ev_count(f, "fd_unreadable");
	if (ev_count(f, "stat_unreadable") > stat)
		stat = ev_count(f, "stat_unreadable");
	n = exe + fd + stat;
	if (n == 0)
		return;
	if (f == NULL)
		f = report_add(
		    r, SEV_UNKNOWN, "proc-coverage", "processes", "%s", "");
	if (f == NULL)
		return;
	snprintf(f->message, sizeof(f->message),
	    "%u process%s could not be inspected: %s", n, n == 1 ? "" : "es",
	    coverage_why(o, stat));
	f->nev = 0;
	finding_ev(f, "processes", "%u", n);
	finding_ev(f, "exe_unreadable", "%u", exe);
	finding_ev(f, "fd_unreadable", "%u", fd);
	finding_ev(f, "stat_unreadable", "%u", stat);
	if (o->priv == NULL)
		finding_ev(f, "uid", "%u", (unsigned)geteuid());
}

/* Sockets; *fd_denied: processes whose descriptors could not be read. */
static void
check_sockets(const struct conf *c, const struct proc_table *t,
    const char *root, struct report *r, unsigned *fd_denied)
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
	{
		struct denied_walk dw = {t, 0};

		(void)hmap_each(&m.denied, count_fd_denied, &dw);
		*fd_denied = dw.n;
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
				    owner_allowed(c, "proc-sniffer", o, t, NULL,
				        procrules_sniff_allow))
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
		if (path_join(rel, sizeof(rel), "/sys/class/net", v[i].name) ==
		        0 &&
		    path_join(rel, sizeof(rel), rel, "brport") == 0 &&
		    path_join(brport, sizeof(brport), root, rel) == 0 &&
		    stat(brport, &st) == 0)
			continue;
		if (procrules_allowed(
		        c, "net-promisc", v[i].name, NULL, NULL, NULL))
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
	ho.no_sweep =
	    conf_find(blk, "sweep") != NULL && !conf_flag(blk, "sweep");
	ho.no_bpf = conf_find(blk, "bpf") != NULL && !conf_flag(blk, "bpf");
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
		finding_ev(f, "found_by", "%s%s%s%s%s%s%s",
		    h->how & HIDDEN_BY_KERNEL ? "kernel-pid-table " : "",
		    h->how & HIDDEN_BY_KILL ? "kill " : "",
		    h->how & HIDDEN_BY_PRIO ? "getpriority " : "",
		    h->how & HIDDEN_BY_SCHED ? "sched_getscheduler " : "",
		    h->how & HIDDEN_BY_CHILDREN ? "children " : "",
		    h->how & HIDDEN_BY_CGROUP ? "cgroup.procs " : "",
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
procrules_suspicious_procs(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	static const char *const exe_checks[] = {"proc-exe-deleted",
	    "proc-exe-location", "proc-exe-writable", "proc-name-mismatch",
	    NULL};
	const char *root = o->root ? o->root : "";
	struct exe_facts *fx;
	unsigned exe = 0;
	int want = 0;

	for (const char *const *k = exe_checks; *k != NULL; k++)
		want |= procrules_enabled(c, *k);
	if (!want)
		return;
	fx = calloc(t->n ? t->n : 1, sizeof(*fx));
	if (fx == NULL || exe_facts_all(t, root, o, fx) == -1) {
		report_add(r, SEV_UNKNOWN, "proc-exe-deleted", "processes",
		    "cannot look at the processes' executables: %s",
		    fx == NULL ? "out of memory" : "no answer from the agent");
		free(fx);
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct proc *p = &t->p[i];

		if (p->flags & PROC_F_KTHREAD)
			continue;
		check_exe(c, p, &fx[i], r);
		check_name(c, p, r);
		exe += (unsigned)exe_denied(p);
	}
	free(fx);
	coverage_add(o, exe, 0, t->unreadable, r);
}

void
procrules_suspicious_net(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	const char *root = o->root ? o->root : "";
	unsigned fd_denied = 0;

	check_sockets(c, t, root, r, &fd_denied);
	if (procrules_enabled(c, "proc-listener") ||
	    procrules_enabled(c, "proc-sniffer"))
		coverage_add(o, 0, fd_denied, t->unreadable, r);
	check_promisc(c, root, r);
	check_hidden(c, o, r);
}

void
procrules_suspicious(const struct conf *c, const struct proc_table *t,
    const struct procrules_opts *o, struct report *r)
{
	procrules_suspicious_procs(c, t, o, r);
	procrules_suspicious_net(c, t, o, r);
}
