/*
 * host.c - the host facts of the inventory: names, OS, kernel, CPU,
 * uptime, virtualisation, interfaces and block devices.  Read from the
 * kernel and /etc (under the root prefix), never by running a command, and
 * never by DNS: the FQDN comes from /etc/hosts, so this cannot hang.
 */
#include "inv/inv_int.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "inv/osrel.h"

/* Reads a small file under root into sb; 0 or -1. */
int
inv_read(const char *root, const char *path, struct strbuf *sb)
{
	char full[PATH_MAX];

	if (path_join(full, sizeof(full), root, path) == -1)
		return -1;
	return file_read(full, 1 << 20, sb, NULL, NULL);
}

/* The first line of a small file, trimmed, into dst; "" when unreadable. */
void
inv_read_line(const char *root, const char *path, char *dst, size_t dstsz)
{
	struct strbuf sb = STRBUF_INIT(1 << 20);
	size_t n = 0;

	dst[0] = '\0';
	if (inv_read(root, path, &sb) == 0) {
		while (n < sb.len && sb.p[n] != '\n')
			n++;
		while (n > 0 && (sb.p[n - 1] == ' ' || sb.p[n - 1] == '\r'))
			n--;
		snprintf(dst, dstsz, "%.*s", (int)n, sb.p);
	}
	strbuf_release(&sb);
}

static void
names(struct inventory *inv, const char *root)
{
	struct strbuf sb = STRBUF_INIT(1 << 20);
	const char *cur, *end, *ls, *le;
	struct utsname u;
	char dom[256];

	if (uname(&u) == 0) {
		snprintf(
		    inv->hostname, sizeof(inv->hostname), "%s", u.nodename);
		snprintf(inv->kernel_release, sizeof(inv->kernel_release), "%s",
		    u.release);
		snprintf(inv->kernel_version, sizeof(inv->kernel_version), "%s",
		    u.version);
		str_copy(inv->arch, sizeof(inv->arch), u.machine);
	}
	/* /etc/hosts: the first name with a dot on a line naming us. */
	if (inv_read(root, "/etc/hosts", &sb) == 0) {
		cur = sb.p;
		end = sb.p + sb.len;
		while (inv->fqdn[0] == '\0' &&
		    cur_line(&cur, end, &ls, &le) == 0) {
			const char *p = ls, *w, *hash;
			char cand[256] = "";
			int ours = 0;

			hash = memchr(ls, '#', (size_t)(le - ls));
			if (hash)
				le = hash;
			cur_spaces(&p, le);
			if (cur_word(&p, le, &w) == 0)
				continue; /* no address */
			for (;;) {
				size_t n;

				cur_spaces(&p, le);
				if ((n = cur_word(&p, le, &w)) == 0)
					break;
				if (mem_eq(w, n, inv->hostname))
					ours = 1;
				if (cand[0] == '\0' && memchr(w, '.', n) &&
				    n < sizeof(cand) &&
				    strncmp(w, inv->hostname,
				        strlen(inv->hostname)) == 0)
					snprintf(cand, sizeof(cand), "%.*s",
					    (int)n, w);
			}
			if (ours && cand[0])
				snprintf(
				    inv->fqdn, sizeof(inv->fqdn), "%s", cand);
		}
	}
	if (inv->fqdn[0] == '\0') {
		inv_read_line(
		    root, "/proc/sys/kernel/domainname", dom, sizeof(dom));
		if (dom[0] && strcmp(dom, "(none)") != 0)
			str_printf(inv->fqdn, sizeof(inv->fqdn), "%s.%s",
			    inv->hostname, dom);
		else
			snprintf(
			    inv->fqdn, sizeof(inv->fqdn), "%s", inv->hostname);
	}
	strbuf_release(&sb);
}

static void
os(struct inventory *inv, const char *root)
{
	struct strbuf sb = STRBUF_INIT(1 << 20);
	struct osrel r;

	if (inv_read(root, "/etc/os-release", &sb) == 0 ||
	    inv_read(root, "/usr/lib/os-release", &sb) == 0) {
		osrel_parse(sb.p, sb.len, &r);
		snprintf(inv->os_id, sizeof(inv->os_id), "%s", r.id);
		snprintf(inv->os_name, sizeof(inv->os_name), "%s",
		    r.name[0] ? r.name : "Linux");
		snprintf(inv->os_version, sizeof(inv->os_version), "%s",
		    r.version_id[0] ? r.version_id : r.version);
		snprintf(inv->os_pretty, sizeof(inv->os_pretty), "%s",
		    r.pretty_name);
	} else {
		/* No os-release: say what we know, from the kernel. */
		snprintf(inv->os_name, sizeof(inv->os_name), "Linux");
		snprintf(inv->os_version, sizeof(inv->os_version), "%s",
		    inv->kernel_release);
		snprintf(inv->os_pretty, sizeof(inv->os_pretty),
		    "unknown (no os-release)");
	}
	strbuf_release(&sb);
}

static void
cpu_uptime(struct inventory *inv, const char *root)
{
	struct strbuf sb = STRBUF_INIT(4 << 20);
	const char *cur, *end, *ls, *le;
	char line[128];
	double up;

	if (inv_read(root, "/proc/cpuinfo", &sb) == 0) {
		cur = sb.p;
		end = sb.p + sb.len;
		while (cur_line(&cur, end, &ls, &le) == 0) {
			const char *colon = memchr(ls, ':', (size_t)(le - ls));
			const char *k = ls, *ke = colon;

			if (colon == NULL)
				continue;
			while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			if (mem_eq(k, (size_t)(ke - k), "processor"))
				inv->cpu_count++;
			else if (inv->cpu_model[0] == '\0' &&
			    (mem_eq(k, (size_t)(ke - k), "model name") ||
			        mem_eq(k, (size_t)(ke - k), "Model") ||
			        mem_eq(k, (size_t)(ke - k), "cpu model"))) {
				const char *v = colon + 1;

				cur_spaces(&v, le);
				snprintf(inv->cpu_model, sizeof(inv->cpu_model),
				    "%.*s", (int)(le - v), v);
			}
		}
	}
	if (inv->cpu_count == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		inv->cpu_count = n > 0 ? (unsigned)n : 1;
	}
	inv_read_line(root, "/proc/uptime", line, sizeof(line));
	const char *lc = line;
	if (cur_dec(&lc, line + strlen(line), &up) == 0 && up > 0)
		inv->uptime_s = (uint64_t)up;
	strbuf_release(&sb);
}

/*
 * Virtualisation, as systemd-detect-virt would say where we can tell
 * without running it: a container first (what a process sees), then the
 * hypervisor from DMI or the CPU's hypervisor flag.
 */
static void
virt(struct inventory *inv, const char *root)
{
	static const struct {
		const char *needle, *name;
	} dmi[] = {
	    {"KVM", "kvm"},
	    {"QEMU", "qemu"},
	    {"VMware", "vmware"},
	    {"VirtualBox", "oracle"},
	    {"Xen", "xen"},
	    {"Microsoft Corporation", "microsoft"},
	    {"Amazon EC2", "amazon"},
	    {"Google", "google"},
	    {"Firecracker", "firecracker"},
	};
	static const char *const dmifiles[] = {"/sys/class/dmi/id/sys_vendor",
	    "/sys/class/dmi/id/product_name", "/sys/class/dmi/id/bios_vendor"};
	struct strbuf sb = STRBUF_INIT(4 << 20);
	char full[PATH_MAX], line[256];

	snprintf(inv->virt, sizeof(inv->virt), "none");
	if (path_join(full, sizeof(full), root, "/.dockerenv") == 0 &&
	    access(full, F_OK) == 0) {
		snprintf(inv->virt, sizeof(inv->virt), "docker");
		return;
	}
	if (path_join(full, sizeof(full), root, "/run/.containerenv") == 0 &&
	    access(full, F_OK) == 0) {
		snprintf(inv->virt, sizeof(inv->virt), "podman");
		return;
	}
	for (size_t f = 0; f < countof(dmifiles); f++) {
		inv_read_line(root, dmifiles[f], line, sizeof(line));
		for (size_t i = 0; line[0] && i < countof(dmi); i++) {
			if (strstr(line, dmi[i].needle)) {
				snprintf(inv->virt, sizeof(inv->virt), "%s",
				    dmi[i].name);
				return;
			}
		}
	}
	inv_read_line(root, "/sys/hypervisor/type", line, sizeof(line));
	if (line[0]) {
		str_copy(inv->virt, sizeof(inv->virt), line);
		return;
	}
	if (inv_read(root, "/proc/cpuinfo", &sb) == 0 &&
	    memmem(sb.p, sb.len, " hypervisor", 11) != NULL)
		snprintf(inv->virt, sizeof(inv->virt), "vm");
	strbuf_release(&sb);
}

static struct inv_iface *
iface(struct inventory *inv, const char *name)
{
	for (unsigned i = 0; i < inv->nifaces; i++)
		if (strcmp(inv->ifaces[i].name, name) == 0)
			return &inv->ifaces[i];
	if (inv->nifaces >= INV_MAX_IFACES)
		return NULL;
	struct inv_iface *f = &inv->ifaces[inv->nifaces++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	return f;
}

static unsigned
prefix_len(const unsigned char *mask, size_t n)
{
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++)
		bits += (unsigned)__builtin_popcount(mask[i]);
	return bits;
}

/* Adds an IPv4 or IPv6 address as "addr/prefix" (others are passed over). */
static void
add_addr(
    struct inv_iface *f, const struct sockaddr *sa, const struct sockaddr *mask)
{
	const void *a, *m = NULL;
	size_t n;
	char addr[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		a = &((const struct sockaddr_in *)sa)->sin_addr;
		if (mask)
			m = &((const struct sockaddr_in *)mask)->sin_addr;
		n = 4;
	} else if (sa->sa_family == AF_INET6) {
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (mask)
			m = &((const struct sockaddr_in6 *)mask)->sin6_addr;
		n = 16;
	} else
		return;
	inet_ntop(sa->sa_family, a, addr, sizeof(addr));
	snprintf(f->addrs[f->naddrs++], sizeof(f->addrs[0]), "%s/%u", addr,
	    m ? prefix_len(m, n) : (unsigned)(n * 8));
}

static void
interfaces(struct inventory *inv)
{
	struct ifaddrs *ifa, *p;

	if (getifaddrs(&ifa) == -1) {
		inv->skipped++;
		return;
	}
	for (p = ifa; p; p = p->ifa_next) {
		struct inv_iface *f;

		if (p->ifa_name == NULL ||
		    (f = iface(inv, p->ifa_name)) == NULL)
			continue;
		if (p->ifa_addr == NULL)
			continue;
		if (p->ifa_addr->sa_family == AF_PACKET) {
			const struct sockaddr_ll *ll =
			    (const struct sockaddr_ll *)p->ifa_addr;
			size_t o = 0;

			f->mac[0] = '\0';
			for (int i = 0; i < ll->sll_halen && i < 8; i++)
				o += (size_t)snprintf(f->mac + o,
				    sizeof(f->mac) - o, "%s%02x", i ? ":" : "",
				    ll->sll_addr[i]);
			continue;
		}
		if (f->naddrs >= INV_MAX_ADDRS)
			continue;
		add_addr(f, p->ifa_addr, p->ifa_netmask);
	}
	freeifaddrs(ifa);
}

static void
disks(struct inventory *inv, const char *root)
{
	char dir[PATH_MAX], path[PATH_MAX], line[256];
	struct dirent *de;
	DIR *d;

	if (path_join(dir, sizeof(dir), root, "/sys/block") == -1 ||
	    (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && inv->ndisks < INV_MAX_DISKS) {
		struct inv_disk *k;
		uint64_t sectors;

		if (de->d_name[0] == '.' ||
		    strncmp(de->d_name, "loop", 4) == 0 ||
		    strncmp(de->d_name, "ram", 3) == 0 ||
		    strncmp(de->d_name, "zram", 4) == 0)
			continue;
		k = &inv->disks[inv->ndisks];
		memset(k, 0, sizeof(*k));
		str_copy(k->name, sizeof(k->name), de->d_name);
		snprintf(path, sizeof(path), "/sys/block/%s/size", de->d_name);
		inv_read_line(root, path, line, sizeof(line));
		if (str_u64(line, &sectors) == 0)
			k->size_bytes =
			    sectors * 512; /* always 512-byte units */
		snprintf(path, sizeof(path), "/sys/block/%s/device/model",
		    de->d_name);
		inv_read_line(root, path, k->model, sizeof(k->model));
		snprintf(path, sizeof(path), "/sys/block/%s/queue/rotational",
		    de->d_name);
		inv_read_line(root, path, line, sizeof(line));
		k->rotational = line[0] == '1' ? 1 : line[0] == '0' ? 0 : -1;
		inv->ndisks++;
	}
	closedir(d);
}

void
inv_host(struct inventory *inv, const char *root)
{
	names(inv, root);
	os(inv, root);
	cpu_uptime(inv, root);
	virt(inv, root);
	interfaces(inv);
	disks(inv, root);
}

const char *
inv_primary_ip(const struct inventory *inv)
{
	/* Global addresses first: IPv4 not loopback, then IPv6 not link-local. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < inv->nifaces; i++) {
			const struct inv_iface *f = &inv->ifaces[i];

			for (unsigned j = 0; j < f->naddrs; j++) {
				const char *a = f->addrs[j];
				int v6 = strchr(a, ':') != NULL;

				if (pass == 0 && !v6 &&
				    strncmp(a, "127.", 4) != 0)
					return a;
				if (pass == 1 && v6 &&
				    strncmp(a, "::1/", 4) != 0 &&
				    strncmp(a, "fe80:", 5) != 0)
					return a;
			}
		}
	}
	return "";
}
