/*
 * schema.c - what the configuration may say: the global settings and the
 * checks with their built-in thresholds and extra keys.  A module that adds
 * a check or a setting adds its entry here, and conf_threshold() and
 * conf_dump() know it from then on.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "conf/conf_int.h"
#include "net/respond.h"

static const char *const averages[] = {"1", "5", "15", NULL};
static const char *const hashes[] = {"sha256", "sha512", NULL};
static const char *const ionices[] = {
    "0", "1", "2", "3", "4", "5", "6", "7", "idle", "none", NULL};
static const char *const flood_actions[] = {"block", "none", NULL};
static const char *const backends[] = {"route", "nftables", NULL};
static const char *const fail_levels[] = {"critical", "warning", "never", NULL};
static const char *const route_types[] = {
    "blackhole", "unreachable", "prohibit", NULL};

static const struct schema_key load_keys[] = {
    {"per-cpu", SK_BOOL, 0, 0, NULL},
    {"average", SK_ENUM, 0, 0, averages}, /* minutes */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key fs_keys[] = {
    {"ignore", SK_LIST, 0, 0, NULL}, /* mount points or fstypes to skip */
    {NULL, 0, 0, 0, NULL},
};

/* File integrity (sakimori fim): what to record and how. */
static const struct schema_key fim_keys[] = {
    {"paths", SK_LIST, 0, 0, NULL},   /* replace the default paths */
    {"exclude", SK_LIST, 0, 0, NULL}, /* added to the built-in exclusions */
    {"webroots", SK_LIST, 0, 0,
        NULL}, /* web roots (default: Apache's, /var/www) */
    {"baseline", SK_STR, 0, 0, NULL}, /* directory of the baseline */
    {"key", SK_STR, 0, 0, NULL}, /* private key (may be on removable media) */
    {"public-key", SK_STR, 0, 0, NULL}, /* trusted public key */
    {"workers", SK_INT, 0, 256, NULL},  /* digest threads, 0: one per CPU */
    {"nice", SK_INT, -20, 19, NULL},    /* CPU niceness of a scan (10) */
    {"ionice", SK_ENUM, 0, 0, ionices}, /* 0-7 best effort (7) */
    {"hash", SK_ENUM, 0, 0, hashes},
    {"compare-atime", SK_BOOL, 0, 0, NULL}, /* report access time changes */
    {"cross-mounts", SK_BOOL, 0, 0, NULL}, /* descend into other file systems */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key web_attack_keys[] = {
    {"rules", SK_LIST, 0, 0, NULL}, /* extra rule files or directories */
    {"disable-rules", SK_LIST, 0, 0, NULL}, /* rule ids to switch off */
    {"paranoia", SK_INT, 1, 4, NULL},       /* use rules up to this level */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key web_rate_keys[] = {
    {"window", SK_DUR, 0, 0, NULL},
    {"urls", SK_LIST, 0, 0, NULL}, /* web-login-burst: login path suffixes */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key mail_domain_keys[] = {
    {"local-domains", SK_LIST, 0, 0, NULL}, /* delivered here */
    {"usual-domains", SK_LIST, 0, 0, NULL}, /* expected destinations */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key mail_volume_keys[] = {
    {"factor", SK_NUM, 0, 0, NULL}, /* times the usual daily volume */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key mail_queue_keys[] = {
    {"queue-dir", SK_STR, 0, 0, NULL}, /* postfix's queue_directory */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key forecast_keys[] = {
    {"window", SK_DUR, 0, 0,
        NULL}, /* samples older than this are forgotten (30d) */
    {"min-span", SK_DUR, 0, 0,
        NULL}, /* samples must span this before a forecast (6h) */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key smart_keys[] = {
    {"smartctl", SK_STR, 0, 0, NULL}, /* the program (/usr/sbin/smartctl) */
    {"timeout", SK_DUR, 0, 0, NULL},  /* per disk (30s) */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key conn_flood_keys[] = {
    {"action", SK_ENUM, 0, 0, flood_actions}, /* block CRITICAL flooders */
    {"block-for", SK_DUR, 0, 0, NULL}, /* how long (block-duration, else 1h) */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key web_share_keys[] = {
    {"workers", SK_PCT, 0, 0,
        NULL}, /* percent of the worker limit, default 80 */
    {"ports", SK_PORTS, 0, 0, NULL}, /* web ports, default 80 443 */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key allow_keys[] = {
    /* command names, executable paths ("/..."), patterns, ports */
    {"allow", SK_LIST, 0, 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key listener_keys[] = {
    {"allow", SK_LIST, 0, 0, NULL},
    {"loopback", SK_BOOL, 0, 0, NULL}, /* also loopback-only listeners */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key hidden_keys[] = {
    {"thorough", SK_BOOL, 0, 0,
        NULL}, /* getpriority and sched_getscheduler too */
    {"pid-max", SK_INT, 1, 4194304, NULL}, /* instead of kernel.pid_max */
    {"sweep", SK_BOOL, 0, 0,
        NULL}, /* no: the cross-checks only, no brute force */
    {"bpf", SK_BOOL, 0, 0,
        NULL}, /* no: the system-call sweep, not the kernel's */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key stuck_keys[] = {
    {"cpu", SK_NUM, 0, 0, NULL}, /* percent of one CPU (over 100: threads) */
    {"interpreters", SK_LIST, 0, 0, NULL}, /* executable names (patterns) */
    {"servers", SK_LIST, 0, 0, NULL},      /* web-server ancestors (patterns) */
    {"users", SK_LIST, 0, 0, NULL},        /* web-server users (patterns) */
    {"cgi-dirs", SK_LIST, 0, 0, NULL}, /* besides the Apache configuration's */
    {"apache-config", SK_STR, 0, 0, NULL},
    {"kill", SK_BOOL, 0, 0, NULL},
    {"grace", SK_DUR, 0, 0, NULL},
    {"mail", SK_BOOL, 0, 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key apache_workers_keys[] = {
    {"config", SK_STR, 0, 0,
        NULL}, /* instead of each master's -f or the default */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key memory_leak_keys[] = {
    {"window", SK_DUR, 0, 0, NULL}, /* the trend is fitted over this (30m) */
    {"growth", SK_NUM, 0, 0, NULL}, /* MiB over the window at least (16) */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key sessions_keys[] = {
    {"users", SK_LIST, 0, 0, NULL},    /* the users allowed to log in */
    {"from", SK_PREFIXES, 0, 0, NULL}, /* the addresses allowed to */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key none_keys[] = {
    {NULL, 0, 0, 0, NULL},
};

static const char *const alert_sevs[] = {
    "unknown", "warning", "critical", NULL};
const char *const schema_alert_events[] = {
    "open", "change", "resolve", "flapping", NULL};

/* What every "alert TYPE { }" block may say: which events it takes. */
const struct schema_key schema_alert_common[] = {
    {"checks", SK_LIST, 0, 0, NULL},         /* check names or patterns (all) */
    {"severity", SK_ENUM, 0, 0, alert_sevs}, /* the least (warning) */
    {"events", SK_LIST, 0, 0, NULL},         /* schema_alert_events (all) */
    {"disable", SK_FLAG, 0, 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key alert_mail_keys[] = {
    {"to", SK_STR, 0, 0, NULL},     /* default: set mail-to */
    {"from", SK_STR, 0, 0, NULL},   /* default: set mail-from */
    {"digest", SK_DUR, 0, 0, NULL}, /* one message per this long (0: each) */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key alert_exec_keys[] = {
    {"command", SK_LIST, 0, 0, NULL},    /* absolute path, then arguments */
    {"user", SK_STR, 0, 0, NULL},        /* run as (nobody) */
    {"allow-root", SK_BOOL, 0, 0, NULL}, /* user root is refused without */
    {"timeout", SK_DUR, 0, 0, NULL},     /* SIGTERM, then SIGKILL (30s) */
    {NULL, 0, 0, 0, NULL},
};

static const struct schema_key alert_syslog_keys[] = {
    {"server", SK_STR, 0, 0, NULL}, /* HOST:PORT, TCP (octet-counted) */
    {"tls", SK_BOOL, 0, 0, NULL},   /* over TLS (no) */
    {"ca", SK_STR, 0, 0, NULL},     /* PEM authorities (the system's) */
    {NULL, 0, 0, 0, NULL},
};

const struct schema_alert schema_alerts[] = {
    {"mail", "a message per event, or a digest, through sendmail",
        alert_mail_keys},
    {"exec", "a program run as a user, the event as JSON on stdin",
        alert_exec_keys},
    {"journal", "the systemd journal (syslog where there is none)", none_keys},
    {"syslog", "RFC 5424 messages to a central syslog server (TCP, TLS)",
        alert_syslog_keys},
};
const size_t schema_nalerts = countof(schema_alerts);

const struct schema_check schema_checks[] = {
    {"load", "load average per CPU above the threshold", 0, 1.00, 2.00,
        load_keys, SU_HIGHER},
    {"swap-activity", "pages swapped in or out per second above the threshold",
        0, 0, NAN, none_keys, SU_HIGHER},
    {"memory", "available memory below the threshold (percent of total)", 0, 10,
        5, none_keys, SU_LOWER_PCT},
    {"memory-leak",
        "process whose resident memory grows steadily over window while "
        "available memory falls (agent only: it needs the samples)",
        0, NAN, NAN, memory_leak_keys, SU_HIGHER},
    {"fs-blocks", "filesystem space used above the threshold (percent)", 1, 90,
        95, fs_keys, SU_PCT},
    {"fs-inodes", "filesystem inodes used above the threshold (percent)", 1, 90,
        95, fs_keys, SU_PCT},
    {"disk-errors",
        "disk errors in the kernel log (check --daily): count per disk at "
        "or above the threshold",
        1, NAN, 1, none_keys, SU_HIGHER},
    {"fs-errors",
        "recorded filesystem errors or an fsck due (check --daily; "
        "ext2/3/4 superblock, btrfs counters)",
        1, 1, NAN, none_keys, SU_HIGHER},
    {"raid",
        "md RAID arrays: degraded or failed (CRITICAL), rebuilding or "
        "mismatches after a check (WARNING)",
        1, NAN, NAN, none_keys, SU_HIGHER},
    {"smart",
        "disks' own SMART records through smartctl: failure predicted, "
        "pending sectors, NVMe critical warning (CRITICAL), reallocated "
        "sectors or media errors growing (WARNING)",
        1, NAN, NAN, smart_keys, SU_HIGHER},
    {"fs-full-forecast",
        "filesystem full within the threshold (days) at the current trend "
        "of the samples kept between check runs",
        1, 30, 7, forecast_keys, SU_LOWER},
    {"process-count", "processes of one name above the threshold", 1, NAN, NAN,
        none_keys, SU_HIGHER},
    {"stuck-cgi",
        "interpreter started by the web server running longer (seconds) or "
        "hotter than allowed",
        0, 300, 600, stuck_keys, SU_HIGHER},
    {"apache-workers",
        "Apache child processes in percent of the configured limit", 0, 80, 95,
        apache_workers_keys, SU_PCT},
    {"proc-exe-deleted", "process whose executable was deleted or replaced", 0,
        NAN, NAN, allow_keys, SU_HIGHER},
    {"proc-exe-changed",
        "running program that the integrity baseline records otherwise", 0, NAN,
        NAN, none_keys, SU_HIGHER},
    {"proc-exe-location", "process run from /tmp, /var/tmp or /dev/shm", 0, NAN,
        NAN, allow_keys, SU_HIGHER},
    {"proc-exe-writable", "process whose executable everyone may write", 0, NAN,
        NAN, allow_keys, SU_HIGHER},
    {"proc-name-mismatch", "command name that is not the program's", 0, NAN,
        NAN, allow_keys, SU_HIGHER},
    {"proc-listener", "listening socket of a program not on the allow list", 0,
        NAN, NAN, listener_keys, SU_HIGHER},
    {"proc-sniffer", "raw or packet socket of a program not on the list", 0,
        NAN, NAN, allow_keys, SU_HIGHER},
    {"net-promisc", "network interface in promiscuous mode", 0, NAN, NAN,
        allow_keys, SU_HIGHER},
    {"proc-hidden", "process hidden from the /proc listing", 0, NAN, NAN,
        hidden_keys, SU_HIGHER},
    {"fim", "file integrity: paths, exclusions, web roots, keys, workers", 0,
        NAN, NAN, fim_keys, SU_HIGHER},
    {"conn-flood",
        "one remote address holding more connections than the threshold "
        "to one local service port (subject: the port)",
        2, 100, 300, conn_flood_keys, SU_HIGHER},
    {"conn-flood-prefix",
        "one remote prefix (/24, /64) holding more connections than the "
        "threshold to one local service port (subject: the port)",
        2, 300, 1000, none_keys, SU_HIGHER},
    {"syn-flood", "half-open connections (SYN_RECV) above the threshold", 0,
        100, 1000, none_keys, SU_HIGHER},
    {"web-conn-share",
        "web workers near their limit while one address holds more than "
        "the threshold (percent) of the web connections",
        0, 30, 50, web_share_keys, SU_PCT},
    {"sessions",
        "login by a user or from an address not seen before, or not "
        "allowed by users and from (one finding per session)",
        0, NAN, NAN, sessions_keys, SU_HIGHER},
    {"inventory", "new or vanished listening services since the last inventory",
        0, NAN, NAN, none_keys, SU_HIGHER},
    {"mail-relay-probe", "relay attempts refused per mail client", 0, 1, 20,
        none_keys, SU_HIGHER},
    {"mail-enumeration", "recipients refused as unknown per mail client", 0, 10,
        50, none_keys, SU_HIGHER},
    {"mail-outside-domains",
        "recipient domains neither local nor usual per client, SASL login "
        "or local user",
        0, 50, 200, mail_domain_keys, SU_HIGHER},
    {"mail-volume",
        "outbound recipients per day per client, SASL login or local user "
        "(absolute, or factor times the usual)",
        0, 500, 2000, mail_volume_keys, SU_HIGHER},
    {"mail-null-sender", "null-sender mail per day that is not our own bounces",
        0, 50, 500, none_keys, SU_HIGHER},
    {"mail-deferred",
        "messages deferred: still deferred when the mail log ends, and in "
        "postfix's deferred queue",
        0, 100, 1000, mail_queue_keys, SU_HIGHER},
    {"mail-processes",
        "MTA processes running (sendmail, postfix, exim, qmail): a spam run "
        "forks many",
        0, 100, 300, none_keys, SU_HIGHER},
    {"web-attack",
        "attack signatures in web logs (rules, paranoia, disable-rules)", 0,
        NAN, NAN, web_attack_keys, SU_HIGHER},
    {"web-login-burst", "login POSTs from one address within window", 0, 20,
        NAN, web_rate_keys, SU_HIGHER},
    {"web-404-scan", "404 responses to one address within window", 0, 50, NAN,
        web_rate_keys, SU_HIGHER},
    {"web-request-flood", "requests from one address within window", 0, 600,
        NAN, web_rate_keys, SU_HIGHER},
    {"web-new-executable",
        "new or rewritten executable file or script in a web root (watched "
        "live by the agent)",
        0, NAN, NAN, none_keys, SU_HIGHER},
    {"auth-brute-force",
        "authentication failures from one address within window (10m)", 0, 5,
        20, web_rate_keys, SU_HIGHER},
    {"auth-user-enumeration", "user names tried from one address", 0, 5, 20,
        none_keys, SU_HIGHER},
    {"auth-distributed", "addresses that failed to log in as one user name", 0,
        10, 50, none_keys, SU_HIGHER},
    {"auth-success-after-failures",
        "a login from an address after this many failures from it "
        "(CRITICAL)",
        0, NAN, 3, none_keys, SU_HIGHER},
    {"web-page-changed",
        "page in a web root added or rewritten (watched live by the agent)", 0,
        NAN, NAN, none_keys, SU_HIGHER},
};
const size_t schema_nchecks = countof(schema_checks);

const struct schema_setting schema_settings[] = {
    {"state-dir", SK_STR, "where state is kept", 0, 0, NULL},
    {"mail-to", SK_STR, "address that gets reports and alerts", 0, 0, NULL},
    {"mail-from", SK_STR, "sender address of sakimori's mail", 0, 0, NULL},
    {"sendmail", SK_STR, "the sendmail interface program", 0, 0, NULL},
    {"agent-user", SK_STR,
        "user the agent's unprivileged children run as "
        "(default _sakimori, created when missing)",
        0, 0, NULL},
    {"interval", SK_DUR, "sampling interval for rates", 0, 0, NULL},
    {"hostname", SK_STR, "name to report instead of the host name", 0, 0, NULL},
    {"daily-fail-on", SK_ENUM,
        "the severity at which the daily unit fails (check --unit): "
        "critical, warning or never",
        0, 0, fail_levels},
    {"location", SK_STR, "where the server stands (the server table)", 0, 0,
        NULL},
    {"rack", SK_STR, "its rack and position (the server table)", 0, 0, NULL},
    {"owner", SK_STR, "who is responsible for it (the server table)", 0, 0,
        NULL},
    /* net: connection counts and blocking (src/net, cmd_net.c) */
    {"net-prefix-v4", SK_INT,
        "prefix length connections are grouped by "
        "(IPv4, default 24)",
        1, 32, NULL},
    {"net-prefix-v6", SK_INT,
        "prefix length connections are grouped by "
        "(IPv6, default 64)",
        1, 128, NULL},
    {"net-bpf", SK_BOOL,
        "read the TCP table with a BPF socket iterator when root "
        "(default yes; no: sock_diag)",
        0, 0, NULL},
    {"block-backend", SK_ENUM,
        "how addresses are blocked: route or "
        "nftables",
        0, 0, backends},
    {"block-route-type", SK_ENUM,
        "route type of a block: blackhole, "
        "unreachable or prohibit",
        0, 0, route_types},
    {"block-duration", SK_DUR,
        "how long a block lasts without --for "
        "(0: until unblocked)",
        0, 0, NULL},
    {"block-broadest-v4", SK_INT,
        "shortest IPv4 prefix blocked without "
        "--force (default 16)",
        0, 32, NULL},
    {"block-broadest-v6", SK_INT,
        "shortest IPv6 prefix blocked without "
        "--force (default 32)",
        0, 128, NULL},
    {"block-max-active", SK_INT, "cap on active blocks (default 10000)", 1,
        4294967295.0, NULL},
    {"block-repeat-factor", SK_NUM,
        "a repeat offender's block lasts this "
        "many times longer per earlier block",
        1, 1000, NULL},
    {"block-max-duration", SK_DUR,
        "longest a repeat offender's block "
        "grows to (default 30d)",
        0, 0, NULL},
    {"admin-networks", SK_PREFIXES, "prefixes that are never blocked", 0, 0,
        NULL},
    {"ssh-ports", SK_PORTS,
        "local SSH ports whose peers are never blocked "
        "(default 22)",
        0, 0, NULL},
    {"attack-rules", SK_STR, "directory or file of the shipped attack rules", 0,
        0, NULL},
    /* the agent (src/agent) */
    {"daily-at", SK_CLOCK,
        "local time of day the agent runs the daily checks "
        "(default 06:25)",
        0, 0, NULL},
    {"run-dir", SK_STR,
        "where the agent's control socket is (default "
        "/run/sakimori)",
        0, 0, NULL},
    {"listen", SK_STR,
        "address and port the agent serves /metrics on (default "
        "127.0.0.1:9947; no: off); elsewhere than loopback only with "
        "listen-cert, listen-key and listen-token-file",
        0, 0, NULL},
    {"listen-idle", SK_DUR,
        "how long the HTTP child stays without a connection before it "
        "exits (default 60s; 0: it never does)",
        0, 0, NULL},
    {"listen-cert", SK_STR,
        "PEM certificate (chain) the agent serves HTTPS with", 0, 0, NULL},
    {"listen-key", SK_STR, "PEM private key of listen-cert", 0, 0, NULL},
    {"listen-token-file", SK_STR,
        "file whose first line is the bearer token HTTP requests must "
        "carry",
        0, 0, NULL},
    {"crs", SK_BOOL,
        "also judge web requests with the OWASP Core Rule Set (default no)", 0,
        0, NULL},
    {"crs-dir", SK_STR,
        "the Core Rule Set's rule files "
        "(default /usr/share/modsecurity-crs/rules)",
        0, 0, NULL},
};
const size_t schema_nsettings = countof(schema_settings);

/* The logs the agent follows (logs/discover.h): added, or left out. */
static const struct schema_key logs_keys[] = {
    {"follow", SK_LIST, 0, 0, NULL},   /* PATH [kind KIND] */
    {"discover", SK_BOOL, 0, 0, NULL}, /* no: only the followed ones */
    {"ignore", SK_LIST, 0, 0, NULL},   /* PATH or pattern ... */
    {NULL, 0, 0, 0, NULL},
};

/* follow PATH [kind KIND]: an absolute path and a known kind. */
static int
logs_check(const struct conf_node *n, char *why, size_t whysz)
{
	static const char *const kinds[] = {
	    "access", "error", "mail", "auth", "kernel"};
	const char *path = n->vals[0].str;

	if (strcmp(n->key, "follow") != 0)
		return 0;
	if (path[0] != '/') {
		snprintf(why, whysz, "follow '%s': not an absolute path", path);
		return -1;
	}
	if (n->nvals == 1)
		return 0;
	if (n->nvals != 3 || strcmp(n->vals[1].str, "kind") != 0) {
		snprintf(why, whysz,
		    "follow '%s': expected 'kind KIND' after the path", path);
		return -1;
	}
	for (size_t i = 0; i < countof(kinds); i++)
		if (strcmp(n->vals[2].str, kinds[i]) == 0)
			return 0;
	snprintf(why, whysz,
	    "follow '%s': unknown kind '%s' (access, error, mail, auth, "
	    "kernel)",
	    path, n->vals[2].str);
	return -1;
}

/* Which findings block their address (net/respond.h). */
static const struct schema_key respond_keys[] = {
    {"block", SK_LIST, 0, 0, NULL}, /* FINDING [SEVERITY] [for DURATION] */
    {"max-active", SK_INT, 0, 4294967295.0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static int
respond_check(const struct conf_node *n, char *why, size_t whysz)
{
	const char *vals[8];
	struct respond_rule rule;

	if (strcmp(n->key, "block") != 0)
		return 0;
	if (n->nvals > 8) {
		snprintf(why, whysz, "block: too many values");
		return -1;
	}
	for (size_t i = 0; i < n->nvals; i++)
		vals[i] = n->vals[i].str;
	return respond_rule_parse(vals, n->nvals, &rule, why, whysz);
}

/* The history (hist/hist.h): what it keeps besides the built-in series. */
static const struct schema_key history_keys[] = {
    {"enabled", SK_BOOL, 0, 0, NULL},   /* yes (default): write it */
    {"processes", SK_LIST, 0, 0, NULL}, /* process names to count */
    {"batch", SK_DUR, 0, 0, NULL},      /* how long values wait (1m) */
    {NULL, 0, 0, 0, NULL},
};

/* batch DURATION: from one step (10 s) to 10 minutes. */
static int
history_check(const struct conf_node *n, char *why, size_t whysz)
{
	if (strcmp(n->key, "batch") != 0 || n->nvals != 1)
		return 0;
	if (n->vals[0].num < 10 || n->vals[0].num > 600) {
		snprintf(
		    why, whysz, "batch '%s': wants 10s to 10m", n->vals[0].str);
		return -1;
	}
	return 0;
}

static const struct schema_block schema_blocks[] = {
    {"history", "the agent's history: process names to count, on or off",
        history_keys, history_check},
    {"logs", "logs followed besides the discovered ones, or left out",
        logs_keys, logs_check},
    {"respond", "which findings block their address, and for how long",
        respond_keys, respond_check},
};

const struct schema_block *
schema_block_find(const char *name)
{
	for (size_t i = 0; i < countof(schema_blocks); i++)
		if (strcmp(schema_blocks[i].name, name) == 0)
			return &schema_blocks[i];
	return NULL;
}

const struct schema_check *
schema_check_find(const char *name)
{
	for (size_t i = 0; i < schema_nchecks; i++)
		if (strcmp(schema_checks[i].name, name) == 0)
			return &schema_checks[i];
	return NULL;
}

const struct schema_setting *
schema_setting_find(const char *name)
{
	for (size_t i = 0; i < schema_nsettings; i++)
		if (strcmp(schema_settings[i].name, name) == 0)
			return &schema_settings[i];
	return NULL;
}

const struct schema_alert *
schema_alert_find(const char *type)
{
	for (size_t i = 0; i < schema_nalerts; i++)
		if (strcmp(schema_alerts[i].type, type) == 0)
			return &schema_alerts[i];
	return NULL;
}
