/*
 * schema.c - what the configuration may say: the global settings and the
 * checks with their built-in thresholds and extra keys.  A module that adds
 * a check or a setting adds its entry here, and conf_threshold() and
 * conf_dump() know it from then on.
 */
#include <math.h>
#include <string.h>

#include "conf/conf_int.h"

static const struct schema_key load_keys[] = {
    {"per-cpu", SK_BOOL},
    {"average", SK_NUM}, /* 1, 5 or 15 minutes */
    {NULL, 0},
};

static const struct schema_key fs_keys[] = {
    {"ignore", SK_LIST}, /* mount points or fstypes to skip */
    {NULL, 0},
};

/* File integrity (sakimori fim): what to record and how. */
static const struct schema_key fim_keys[] = {
    {"paths", SK_LIST},         /* replace the default paths */
    {"exclude", SK_LIST},       /* added to the built-in exclusions */
    {"webroots", SK_LIST},      /* web roots (default: Apache's, /var/www) */
    {"baseline", SK_STR},       /* directory of the baseline */
    {"key", SK_STR},            /* private key (may be on removable media) */
    {"public-key", SK_STR},     /* trusted public key */
    {"workers", SK_NUM},        /* digest threads, 0: one per CPU */
    {"nice", SK_NUM},           /* CPU niceness of a scan (default 10) */
    {"ionice", SK_STR},         /* 0-7 best effort, idle, none (default 7) */
    {"hash", SK_STR},           /* sha256 or sha512 */
    {"compare-atime", SK_BOOL}, /* report access time changes */
    {"cross-mounts", SK_BOOL},  /* descend into other file systems */
    {NULL, 0},
};

static const struct schema_key web_attack_keys[] = {
    {"rules", SK_LIST},         /* extra rule files or directories */
    {"disable-rules", SK_LIST}, /* rule ids to switch off */
    {"paranoia", SK_NUM},       /* 1..4: use rules up to this level */
    {NULL, 0},
};

static const struct schema_key web_rate_keys[] = {
    {"window", SK_DUR},
    {"urls", SK_LIST}, /* web-login-burst: login path suffixes */
    {NULL, 0},
};

static const struct schema_key mail_domain_keys[] = {
    {"local-domains", SK_LIST}, /* delivered here */
    {"usual-domains", SK_LIST}, /* expected destinations */
    {NULL, 0},
};

static const struct schema_key mail_volume_keys[] = {
    {"factor", SK_NUM}, /* times the usual daily volume */
    {NULL, 0},
};

static const struct schema_key mail_queue_keys[] = {
    {"queue-dir", SK_STR}, /* postfix's queue_directory */
    {NULL, 0},
};

static const struct schema_key forecast_keys[] = {
    {"window", SK_DUR},   /* samples older than this are forgotten (30d) */
    {"min-span", SK_DUR}, /* samples must span this before a forecast (6h) */
    {NULL, 0},
};

static const struct schema_key conn_flood_keys[] = {
    {"action", SK_STR},    /* "block": block CRITICAL flooders (none) */
    {"block-for", SK_DUR}, /* how long (block-duration, else 1h) */
    {NULL, 0},
};

static const struct schema_key web_share_keys[] = {
    {"workers", SK_NUM}, /* percent of the worker limit, default 80 */
    {"ports", SK_LIST},  /* web ports, default 80 443 */
    {NULL, 0},
};

static const struct schema_key allow_keys[] = {
    /* command names, executable paths ("/..."), patterns, ports */
    {"allow", SK_LIST},
    {NULL, 0},
};

static const struct schema_key listener_keys[] = {
    {"allow", SK_LIST},
    {"loopback", SK_BOOL}, /* also loopback-only listeners */
    {NULL, 0},
};

static const struct schema_key hidden_keys[] = {
    {"thorough", SK_BOOL}, /* getpriority and sched_getscheduler too */
    {"pid-max", SK_NUM},   /* scan this range instead of kernel.pid_max */
    {"sweep", SK_BOOL},    /* no: the cross-checks only, no brute force */
    {"bpf", SK_BOOL},      /* no: the system-call sweep, not the kernel's */
    {NULL, 0},
};

static const struct schema_key stuck_keys[] = {
    {"cpu", SK_NUM},           /* percent of one CPU over the sample */
    {"interpreters", SK_LIST}, /* executable names (patterns) */
    {"servers", SK_LIST},      /* web-server ancestors (patterns) */
    {"users", SK_LIST},        /* web-server users (patterns) */
    {"cgi-dirs", SK_LIST},     /* besides the Apache configuration's */
    {"apache-config", SK_STR},
    {"kill", SK_BOOL},
    {"grace", SK_DUR},
    {"mail", SK_BOOL},
    {NULL, 0},
};

static const struct schema_key apache_workers_keys[] = {
    {"config", SK_STR}, /* instead of each master's -f or the default */
    {NULL, 0},
};

static const struct schema_key none_keys[] = {
    {NULL, 0},
};

const struct schema_check schema_checks[] = {
    {"load", "load average per CPU above the threshold", 0, 1.00, 2.00,
        load_keys},
    {"swap-activity", "pages swapped in or out per second above the threshold",
        0, 0, NAN, none_keys},
    {"memory", "available memory below the threshold (percent of total)", 0, 10,
        5, none_keys},
    {"fs-blocks", "filesystem space used above the threshold (percent)", 1, 90,
        95, fs_keys},
    {"fs-inodes", "filesystem inodes used above the threshold (percent)", 1, 90,
        95, fs_keys},
    {"disk-errors",
        "disk errors in the kernel log (check --daily): count per disk at "
        "or above the threshold",
        1, NAN, 1, none_keys},
    {"fs-errors",
        "recorded filesystem errors or an fsck due (check --daily; "
        "ext2/3/4 superblock, btrfs counters)",
        1, 1, NAN, none_keys},
    {"fs-full-forecast",
        "filesystem full within the threshold (days) at the current trend "
        "of the samples kept between check runs",
        1, 30, 7, forecast_keys},
    {"process-count", "processes of one name above the threshold", 1, NAN, NAN,
        none_keys},
    {"stuck-cgi",
        "interpreter started by the web server running longer (seconds) or "
        "hotter than allowed",
        0, 300, 600, stuck_keys},
    {"apache-workers",
        "Apache child processes in percent of the configured limit", 0, 80, 95,
        apache_workers_keys},
    {"proc-exe-deleted", "process whose executable was deleted or replaced", 0,
        NAN, NAN, allow_keys},
    {"proc-exe-changed",
        "running program that the integrity baseline records otherwise", 0,
        NAN, NAN, none_keys},
    {"proc-exe-location", "process run from /tmp, /var/tmp or /dev/shm", 0, NAN,
        NAN, allow_keys},
    {"proc-exe-writable", "process whose executable everyone may write", 0, NAN,
        NAN, allow_keys},
    {"proc-name-mismatch", "command name that is not the program's", 0, NAN,
        NAN, allow_keys},
    {"proc-listener", "listening socket of a program not on the allow list", 0,
        NAN, NAN, listener_keys},
    {"proc-sniffer", "raw or packet socket of a program not on the list", 0,
        NAN, NAN, allow_keys},
    {"net-promisc", "network interface in promiscuous mode", 0, NAN, NAN,
        allow_keys},
    {"proc-hidden", "process hidden from the /proc listing", 0, NAN, NAN,
        hidden_keys},
    {"fim", "file integrity: paths, exclusions, web roots, keys, workers", 0,
        NAN, NAN, fim_keys},
    {"conn-flood",
        "one remote address holding more connections than the threshold "
        "to one local service port (subject: the port)",
        1, 100, 300, conn_flood_keys},
    {"conn-flood-prefix",
        "one remote prefix (/24, /64) holding more connections than the "
        "threshold to one local service port (subject: the port)",
        1, 300, 1000, none_keys},
    {"syn-flood", "half-open connections (SYN_RECV) above the threshold", 0,
        100, 1000, none_keys},
    {"web-conn-share",
        "web workers near their limit while one address holds more than "
        "the threshold (percent) of the web connections",
        0, 30, 50, web_share_keys},
    {"inventory", "new or vanished listening services since the last inventory",
        0, NAN, NAN, none_keys},
    {"mail-relay-probe", "relay attempts refused per mail client", 0, 1, 20,
        none_keys},
    {"mail-enumeration", "recipients refused as unknown per mail client", 0, 10,
        50, none_keys},
    {"mail-outside-domains",
        "recipient domains neither local nor usual per client, SASL login "
        "or local user",
        0, 50, 200, mail_domain_keys},
    {"mail-volume",
        "outbound recipients per day per client, SASL login or local user "
        "(absolute, or factor times the usual)",
        0, 500, 2000, mail_volume_keys},
    {"mail-null-sender", "null-sender mail per day that is not our own bounces",
        0, 50, 500, none_keys},
    {"mail-deferred",
        "messages deferred: still deferred when the mail log ends, and in "
        "postfix's deferred queue",
        0, 100, 1000, mail_queue_keys},
    {"mail-processes",
        "MTA processes running (sendmail, postfix, exim, qmail): a spam run "
        "forks many",
        0, 100, 300, none_keys},
    {"web-attack",
        "attack signatures in web logs (rules, paranoia, disable-rules)", 0,
        NAN, NAN, web_attack_keys},
    {"web-login-burst", "login POSTs from one address within window", 0, 20,
        NAN, web_rate_keys},
    {"web-404-scan", "404 responses to one address within window", 0, 50, NAN,
        web_rate_keys},
    {"web-request-flood", "requests from one address within window", 0, 600,
        NAN, web_rate_keys},
};
const size_t schema_nchecks = sizeof(schema_checks) / sizeof(schema_checks[0]);

const struct schema_setting schema_settings[] = {
    {"state-dir", SK_STR, "where state is kept"},
    {"mail-to", SK_STR, "address that gets reports and alerts"},
    {"mail-from", SK_STR, "sender address of sakimori's mail"},
    {"sendmail", SK_STR, "the sendmail interface program"},
    {"interval", SK_DUR, "sampling interval for rates"},
    {"hostname", SK_STR, "name to report instead of the host name"},
    {"location", SK_STR, "where the server stands (the server table)"},
    {"rack", SK_STR, "its rack and position (the server table)"},
    {"owner", SK_STR, "who is responsible for it (the server table)"},
    /* net: connection counts and blocking (src/net, cmd_net.c) */
    {"net-prefix-v4", SK_NUM,
        "prefix length connections are grouped by "
        "(IPv4, default 24)"},
    {"net-prefix-v6", SK_NUM,
        "prefix length connections are grouped by "
        "(IPv6, default 64)"},
    {"net-bpf", SK_BOOL,
        "read the TCP table with a BPF socket iterator when root "
        "(default yes; no: sock_diag)"},
    {"block-backend", SK_STR,
        "how addresses are blocked: route or "
        "nftables"},
    {"block-route-type", SK_STR,
        "route type of a block: blackhole, "
        "unreachable or prohibit"},
    {"block-duration", SK_DUR,
        "how long a block lasts without --for "
        "(0: until unblocked)"},
    {"block-broadest-v4", SK_NUM,
        "shortest IPv4 prefix blocked without "
        "--force (default 16)"},
    {"block-broadest-v6", SK_NUM,
        "shortest IPv6 prefix blocked without "
        "--force (default 32)"},
    {"block-max-active", SK_NUM, "cap on active blocks (default 10000)"},
    {"block-repeat-factor", SK_NUM,
        "a repeat offender's block lasts this "
        "many times longer per earlier block"},
    {"block-max-duration", SK_DUR,
        "longest a repeat offender's block "
        "grows to (default 30d)"},
    {"admin-networks", SK_LIST, "prefixes that are never blocked"},
    {"ssh-ports", SK_LIST,
        "local SSH ports whose peers are never blocked "
        "(default 22)"},
    {"attack-rules", SK_STR, "directory or file of the shipped attack rules"},
};
const size_t schema_nsettings =
    sizeof(schema_settings) / sizeof(schema_settings[0]);

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
