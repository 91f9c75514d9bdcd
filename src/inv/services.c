/*
 * services.c - the services of the server table: every listening TCP and
 * UDP socket mapped to its process, executable, package and version, plus
 * the well-known services that are installed but not listening (PHP under
 * Apache).  Versions come from dpkg's records and from the executables'
 * own version strings, read from the files; nothing is run.
 */
#include "inv/inv_int.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "collect/procfd.h"
#include "collect/sock.h"
#include "pkg/pkg.h"

/*
 * The well-known services: how to recognise their executables, which
 * packages carry them, and the text before the version in the binary.
 */
struct known {
	const char *name;
	const char *const exes[5]; /* executable basenames */
	const char
	    *const pkgs[5]; /* package names, or prefixes ending in '*' */
	const char *marker; /* "Apache/" -> "Apache/2.4.62" */
};

static const struct known known[] = {
    {"Apache", {"apache2", "httpd", NULL},
        {"apache2-bin", "apache2", "httpd", NULL}, "Apache/"},
    {"nginx", {"nginx", NULL},
        {"nginx-core", "nginx-light", "nginx-full", "nginx-extras", "nginx"},
        "nginx/"},
    {"PHP", {"php-fpm*", "php*", "php-cgi*", NULL},
        {"php*-fpm", "libapache2-mod-php*", "php*-cli", "php*-cgi", NULL},
        NULL},
    {"Postfix", {"master", NULL}, {"postfix", NULL}, NULL},
    {"Sendmail", {"sendmail", "sm-mta", "sendmail-mta", NULL},
        {"sendmail-bin", NULL}, NULL},
    {"Exim", {"exim4", "exim", NULL},
        {"exim4-daemon-light", "exim4-daemon-heavy", "exim4-base", NULL}, NULL},
    {"qmail", {"qmail-send", "qmail-smtpd", "qmail-lspawn", NULL},
        {"qmail", "notqmail", NULL}, NULL},
    {"OpenSSH", {"sshd", NULL}, {"openssh-server", NULL}, "OpenSSH_"},
    {"MariaDB", {"mariadbd", "mysqld", NULL},
        {"mariadb-server-core", "mariadb-server*", NULL}, NULL},
    {"MySQL", {"mysqld", NULL}, {"mysql-server-core*", "mysql-server*", NULL},
        NULL},
    {"PostgreSQL", {"postgres", "postmaster", NULL},
        {"postgresql-[0-9]*", NULL}, NULL},
    {"BIND", {"named", NULL}, {"bind9", NULL}, NULL},
};

/* Matches name against pat: exact, or a prefix when pat ends in '*'
 * ("[0-9]*" after the prefix: the rest must start with a digit). */
static int
pat_match(const char *pat, const char *name)
{
	size_t pl = strlen(pat);
	const char *star = strchr(pat, '*');

	if (star == NULL)
		return strcmp(pat, name) == 0;
	if (strncmp(pat, "postgresql-[0-9]*", pl) == 0)
		return strncmp(name, "postgresql-", 11) == 0 &&
		    name[11] >= '0' && name[11] <= '9' &&
		    strchr(name + 11, '-') == NULL;
	/* "php*-cli": prefix before '*', suffix after it. */
	size_t pre = (size_t)(star - pat), suf = pl - pre - 1;
	size_t nl = strlen(name);

	return nl >= pre + suf && strncmp(name, pat, pre) == 0 &&
	    strcmp(name + nl - suf, star + 1) == 0;
}

static const struct known *
known_by_exe(const char *exe, const char *pkg)
{
	const char *base = strrchr(exe, '/');

	base = base ? base + 1 : exe;
	for (size_t i = 0; i < countof(known); i++) {
		int exe_ok = 0, pkg_ok = pkg[0] == '\0';

		for (size_t j = 0; j < 5 && known[i].exes[j]; j++)
			exe_ok |= pat_match(known[i].exes[j], base);
		for (size_t j = 0; j < 5 && known[i].pkgs[j] && pkg[0]; j++)
			pkg_ok |= pat_match(known[i].pkgs[j], pkg);
		/* "master" alone is too common a name: the package must agree. */
		if (exe_ok && pkg_ok)
			return &known[i];
	}
	return NULL;
}

/* "1:9.2p1-2+deb12u3" -> "9.2p1": no epoch, no Debian revision. */
static void
upstream(char *dst, size_t dstsz, const char *v)
{
	const char *colon = strchr(v, ':'), *dash;
	size_t n;

	if (colon)
		v = colon + 1;
	dash = strrchr(v, '-');
	n = dash ? (size_t)(dash - v) : strlen(v);
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/*
 * The version after marker in the file at path ("Apache/" ->
 * "2.4.62"); "" when not found.  The file is mapped read-only; at most
 * 256 MiB are looked at.
 */
static void
version_in_file(const char *path, const char *marker, char *dst, size_t dstsz)
{
	size_t ml = strlen(marker), len;
	int seen = 0;
	struct stat st;
	const char *p, *end;
	void *map;
	int fd;

	dst[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		return;
	}
	len = (size_t)st.st_size < ((size_t)256 << 20) ? (size_t)st.st_size
	                                               : ((size_t)256 << 20);
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	p = map;
	end = p + len;
	while ((p = memmem(p, (size_t)(end - p), marker, ml)) != NULL) {
		const char *v = p + ml, *e = v;

		while (e < end && e - v < (long)dstsz - 1 &&
		    ((*e >= '0' && *e <= '9') || *e == '.' ||
		        (e > v && ((*e >= 'a' && *e <= 'z') || *e == '-') &&
		            e[-1] >= '0' && e[-1] <= '9')))
			e++;
		/*
		 * A version has a digit, a dot and a digit: "2.4.62", "9.2p1".
		 * Binaries also hold shorter forms ("OpenSSH_9.2" for protocol
		 * quirks): the longest of the first matches is the full one.
		 */
		if (e - v >= 3 && v[0] >= '0' && v[0] <= '9' &&
		    memchr(v, '.', (size_t)(e - v)) &&
		    (size_t)(e - v) > strlen(dst))
			snprintf(dst, dstsz, "%.*s", (int)(e - v), v);
		if (++seen >= 64)
			break;
		p += ml;
	}
	munmap(map, len);
}

static struct inv_svc *
svc_for(struct inventory *inv, const char *exe, const char *comm)
{
	for (unsigned i = 0; i < inv->nsvcs; i++)
		if (strcmp(inv->svcs[i].exe, exe) == 0 &&
		    (exe[0] || strcmp(inv->svcs[i].comm, comm) == 0))
			return &inv->svcs[i];
	if (inv->nsvcs >= INV_MAX_SVCS)
		return NULL;
	struct inv_svc *s = &inv->svcs[inv->nsvcs++];
	memset(s, 0, sizeof(*s));
	snprintf(s->exe, sizeof(s->exe), "%s", exe);
	snprintf(s->comm, sizeof(s->comm), "%s", comm);
	return s;
}

static void
add_listen(struct inv_svc *s, const struct sock_entry *e)
{
	struct inv_listen l;
	uint8_t a4[4];

	memset(&l, 0, sizeof(l));
	l.port = e->lport;
	if (e->family == AF_INET) {
		inet_ntop(AF_INET, e->laddr, l.addr, sizeof(l.addr));
		snprintf(l.proto, sizeof(l.proto), "%s",
		    e->proto == IPPROTO_TCP ? "tcp" : "udp");
	} else {
		inet_ntop(AF_INET6, e->laddr, l.addr, sizeof(l.addr));
		snprintf(l.proto, sizeof(l.proto), "%s",
		    e->proto == IPPROTO_TCP ? "tcp6" : "udp6");
	}
	(void)a4;
	for (unsigned i = 0; i < s->nlisten; i++)
		if (s->listen[i].port == l.port &&
		    strcmp(s->listen[i].proto, l.proto) == 0 &&
		    strcmp(s->listen[i].addr, l.addr) == 0)
			return;
	if (s->nlisten < INV_MAX_LISTEN)
		s->listen[s->nlisten++] = l;
}

static int
cmp_listen(const void *a, const void *b)
{
	const struct inv_listen *x = a, *y = b;
	int c;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if ((c = strcmp(x->proto, y->proto)) != 0)
		return c;
	return strcmp(x->addr, y->addr);
}

static int
cmp_svc(const void *a, const void *b)
{
	const struct inv_svc *x = a, *y = b;
	unsigned px = x->nlisten ? x->listen[0].port : 65536;
	unsigned py = y->nlisten ? y->listen[0].port : 65536;

	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Names, packages and versions of the services found so far. */
static void
identify(
    struct inventory *inv, const char *root, struct pkg_db *db, int have_dpkg)
{
	const char *paths[INV_MAX_SVCS];
	static char owner[INV_MAX_SVCS][128];
	struct err err = {0};

	for (unsigned i = 0; i < inv->nsvcs; i++)
		paths[i] = inv->svcs[i].exe[0] ? inv->svcs[i].exe : NULL;
	if (!have_dpkg || pkg_owners(db, paths, inv->nsvcs, owner, &err) == -1)
		memset(owner, 0, sizeof(owner));
	for (unsigned i = 0; i < inv->nsvcs; i++) {
		struct inv_svc *s = &inv->svcs[i];
		const struct pkg_info *p =
		    owner[i][0] ? pkg_find(db, owner[i]) : NULL;
		const struct known *k;
		char full[PATH_MAX];

		str_copy(s->package, sizeof(s->package), owner[i]);
		if (p)
			snprintf(s->package_version, sizeof(s->package_version),
			    "%s", p->version);
		k = s->exe[0] ? known_by_exe(s->exe, s->package) : NULL;
		if (k) {
			snprintf(s->name, sizeof(s->name), "%s", k->name);
			if (k->marker &&
			    path_join(full, sizeof(full), root, s->exe) == 0)
				version_in_file(full, k->marker, s->version,
				    sizeof(s->version));
		} else if (s->package[0])
			str_copy(s->name, sizeof(s->name), s->package);
		else if (s->exe[0]) {
			const char *b = strrchr(s->exe, '/');
			str_copy(s->name, sizeof(s->name), b ? b + 1 : s->exe);
		} else
			str_copy(s->name, sizeof(s->name), s->comm);
		if (s->version[0] == '\0' && s->package_version[0])
			upstream(
			    s->version, sizeof(s->version), s->package_version);
	}
}

/* Well-known services installed but not listening: one row each. */
static void
installed_not_listening(struct inventory *inv, struct pkg_db *db)
{
	size_t npkgs;
	const struct pkg_info *pkgs = pkg_list(db, &npkgs);

	for (size_t i = 0; i < countof(known); i++) {
		const struct pkg_info *hit = NULL;
		int present = 0;

		for (unsigned j = 0; j < inv->nsvcs; j++)
			present |=
			    strcmp(inv->svcs[j].name, known[i].name) == 0;
		if (present)
			continue;
		for (size_t j = 0; j < 5 && known[i].pkgs[j] && !hit; j++)
			for (size_t k = 0; k < npkgs && !hit; k++)
				if (pat_match(known[i].pkgs[j], pkgs[k].name))
					hit = &pkgs[k];
		if (hit == NULL || inv->nsvcs >= INV_MAX_SVCS)
			continue;
		struct inv_svc *s = &inv->svcs[inv->nsvcs++];
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "%s", known[i].name);
		snprintf(s->package, sizeof(s->package), "%s", hit->name);
		snprintf(s->package_version, sizeof(s->package_version), "%s",
		    hit->version);
		upstream(s->version, sizeof(s->version), hit->version);
	}
}

void
inv_services(struct inventory *inv, const char *root)
{
	struct sock_table t = {0};
	struct procfd_map map;
	struct pkg_db *db = pkg_open(root);
	struct err err = {0};
	int have_dpkg;

	have_dpkg = db != NULL && pkg_status_load(db, &err) == 0;
	if (sock_listening(root, &t, &err) == -1)
		inv->skipped++;
	if (procfd_map_build(&map, root, &err) == -1)
		inv->skipped++;
	for (size_t i = 0; i < t.n; i++) {
		const struct sock_entry *e = &t.v[i];
		const struct procfd_owner *o =
		    e->inode ? procfd_map_find(&map, e->inode) : NULL;
		char exe[256] = "", comm[32] = "";
		struct inv_svc *s;

		if (o == NULL) {
			/* Gone between the socket and the process scan, or a kernel socket. */
			inv->skipped++;
			snprintf(comm, sizeof(comm), "(no visible process)");
		} else {
			snprintf(exe, sizeof(exe), "%s", o->exe);
			snprintf(comm, sizeof(comm), "%s", o->comm);
		}
		if ((s = svc_for(inv, exe, comm)) == NULL)
			continue;
		s->listening = 1;
		add_listen(s, e);
		if (o) {
			int seen = 0;

			for (unsigned j = 0; j < s->npids; j++)
				seen |= s->pids[j] == o->pid;
			if (!seen && s->npids < INV_MAX_PIDS)
				s->pids[s->npids++] = o->pid;
			if (s->user[0] == '\0') {
				struct passwd *pw = getpwuid(o->uid);

				if (pw)
					snprintf(s->user, sizeof(s->user), "%s",
					    pw->pw_name);
				else
					snprintf(s->user, sizeof(s->user), "%u",
					    (unsigned)o->uid);
			}
		}
	}
	for (unsigned i = 0; i < inv->nsvcs; i++)
		qsort(inv->svcs[i].listen, inv->svcs[i].nlisten,
		    sizeof(inv->svcs[i].listen[0]), cmp_listen);
	identify(inv, root, db, have_dpkg);
	if (have_dpkg)
		installed_not_listening(inv, db);
	qsort(inv->svcs, inv->nsvcs, sizeof(inv->svcs[0]), cmp_svc);
	procfd_map_release(&map);
	sock_table_release(&t);
	pkg_free(db);
}

const char *
inv_svc_ports(const struct inv_svc *s, char *buf, size_t bufsz)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < s->nlisten && o < bufsz; i++) {
		/* One entry per port and protocol family: "22/tcp 22/tcp6". */
		int dup = 0;

		for (unsigned j = 0; j < i; j++)
			dup |= s->listen[j].port == s->listen[i].port &&
			    strcmp(s->listen[j].proto, s->listen[i].proto) == 0;
		if (dup)
			continue;
		o += (size_t)snprintf(buf + o, bufsz - o, "%s%u/%s",
		    o ? " " : "", s->listen[i].port, s->listen[i].proto);
	}
	return buf;
}
