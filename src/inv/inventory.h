/*
 * inventory.h - the server table: the facts of one host, collected
 * from the kernel and the package database, never by running commands.
 *
 * inv_collect fills a struct inventory; inv_to_json/inv_from_json give its
 * stable JSON form (schema 1, documented in docs/inventory.md), which is
 * also what the state directory keeps between runs for inv_diff.
 */
#ifndef INV_INVENTORY_H
#define INV_INVENTORY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct err;
struct report;

#define INV_MAX_IFACES 64
#define INV_MAX_ADDRS 16
#define INV_MAX_DISKS 64
#define INV_MAX_FS 128
#define INV_MAX_SVCS 256
#define INV_MAX_LISTEN 32
#define INV_MAX_PIDS 8

struct inv_iface {
	char name[32];
	char mac[32];
	char addrs[INV_MAX_ADDRS][64]; /* "192.0.2.1/24", "fe80::1/64" */
	unsigned naddrs;
};

struct inv_disk {
	char name[32]; /* "sda", "nvme0n1", "vda" */
	uint64_t size_bytes;
	char model[96];
	int rotational; /* -1 unknown */
};

struct inv_fs {
	char mount[256];
	char device[256];
	char type[32];
	uint64_t size_bytes;
	uint64_t used_bytes;
};

struct inv_listen {
	char proto[8]; /* "tcp", "tcp6", "udp", "udp6" */
	char addr[64];
	unsigned port;
};

struct inv_svc {
	char name[64];     /* "Apache", "OpenSSH", or package/exe name */
	char package[128]; /* "" when no package owns the executable */
	char package_version[128];
	char version[64]; /* upstream version read from its files */
	char exe[256];
	char comm[32];
	char user[64];
	int pids[INV_MAX_PIDS];
	unsigned npids;
	struct inv_listen listen[INV_MAX_LISTEN];
	unsigned nlisten;
	int listening; /* 0: installed, not listening (PHP) */
};

struct inventory {
	time_t taken_at;
	char hostname[256];
	char fqdn[256];
	char location[128], rack[64], owner[128]; /* from the configuration */
	char os_id[64], os_name[128], os_version[128], os_pretty[256];
	char kernel_release[128], kernel_version[256], arch[32];
	char cpu_model[128];
	unsigned cpu_count;
	uint64_t mem_total_kb;
	uint64_t uptime_s;
	char virt[32]; /* "none", "kvm", "container", ... */
	struct inv_iface ifaces[INV_MAX_IFACES];
	unsigned nifaces;
	struct inv_disk disks[INV_MAX_DISKS];
	unsigned ndisks;
	struct inv_fs fs[INV_MAX_FS];
	unsigned nfs;
	struct inv_svc svcs[INV_MAX_SVCS];
	unsigned nsvcs;
	unsigned
	    skipped; /* entries that could not be read (vanished, denied) */
};

struct inv_opts {
	const char *root; /* prefix for /proc, /sys, /etc, /var/lib/dpkg */
	const char *location, *rack, *owner;
	const char *hostname; /* "set hostname": replaces the host's names */
};

/* Collects everything; partial failures are counted in inv->skipped.  0 or -1. */
int inv_collect(
    struct inventory *inv, const struct inv_opts *o, struct err *err);
/* The first IPv4 (else IPv6) global address, for the table; "" if none. */
const char *inv_primary_ip(const struct inventory *inv);

/* The ports of s as "22/tcp 22/tcp6" (each port and protocol once). */
const char *inv_svc_ports(const struct inv_svc *s, char *buf, size_t bufsz);

/* The JSON form this sakimori writes: JSON_SCHEMA (base/json.h); 1 is read. */
#define INV_SCHEMA 2

json_t *inv_to_json(const struct inventory *inv);
/*
 * Reads what inv_to_json wrote; -1 with err on anything malformed, with
 * err->code EPROTO for a schema newer than INV_SCHEMA.
 */
int inv_from_json(struct inventory *inv, const json_t *j, struct err *err);

/*
 * Compares the services and listening ports of old and cur and adds a
 * finding per change to r: a new listening service or port (WARNING: a new
 * listener is what a backdoor looks like), a service gone (WARNING), a
 * service upgraded (OK, informational).
 */
void inv_diff(
    const struct inventory *old, const struct inventory *cur, struct report *r);

/*
 * The check: collect, compare with the kept inventory, keep the new one.
 * A corrupt kept inventory is reported (WARNING) and replaced; one of a
 * newer schema is reported (UNKNOWN) and kept.  0 or -1.
 */
int inv_check(const struct inv_opts *o, const char *state_dir, struct report *r,
    struct err *err);

/*
 * State: STATE_DIR/inventory.json.  load: 0 found, 1 none, -1 corrupt or
 * (err->code EPROTO) of a newer schema, err saying why.  save refuses to
 * replace a newer schema's file (EPROTO).
 */
int inv_state_load(
    const char *state_dir, struct inventory *inv, struct err *err);
int inv_state_save(
    const char *state_dir, const struct inventory *inv, struct err *err);

#endif
