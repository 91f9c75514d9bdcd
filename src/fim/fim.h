/*
 * fim.h - file integrity: a baseline of file attributes and content
 * digests (scan.c: a parallel walk and digest), its signed text format
 * (baseline.c, sign.c), the comparison of a baseline with a fresh scan
 * (diff.c) and what the package manager's records explain (explain.c).
 *
 * Paths are raw bytes (whatever the file system holds, newlines and
 * invalid UTF-8 included); every output escapes them.
 */
#ifndef FIM_FIM_H
#define FIM_FIM_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "base/finding.h"

struct err;
struct strbuf;

#define FIM_FORMAT_VERSION 1
#define FIM_HASH_MAX 64 /* bytes of the longest digest (SHA-512) */

enum fim_hash {
	FIM_SHA256,
	FIM_SHA512,
};

/* Entry flags. */
#define FIM_F_UNREADABLE 0x01 /* content could not be read (err set) */
#define FIM_F_UNSTABLE 0x02   /* kept changing while it was read */
#define FIM_F_EXEC 0x04       /* content starts like a program (ELF, MZ, #!) */
#define FIM_F_HASHED 0x08     /* hash holds the content digest */

struct fim_entry {
	char *path;  /* absolute, raw bytes */
	mode_t mode; /* type and permission bits (st_mode) */
	uid_t uid;
	gid_t gid;
	uint64_t size, ino, nlink, dev;
	int64_t mtime, ctime, atime; /* nanoseconds since the epoch */
	unsigned char hash[FIM_HASH_MAX];
	char *target; /* symbolic link's target, NULL otherwise */
	char *caps;   /* security.capability as hex, NULL when none */
	char *xattrs; /* other extended attributes "name=hex,...", or NULL */
	unsigned flags;
	int err;   /* errno when FIM_F_UNREADABLE */
	char *pkg; /* the dpkg package that installed it, NULL when none */
};

/* A baseline: what was recorded, sorted by path (byte order). */
struct fim_baseline {
	int version;
	time_t created;
	char host[256];
	enum fim_hash hash;
	char **roots;
	size_t nroots;
	char **excludes;
	size_t nexcludes;
	struct fim_entry *e;
	size_t n, cap;
};

/* What to scan and how. */
struct fim_scan_opts {
	const char *const *roots;
	size_t nroots;
	const char *const *excludes; /* fnmatch patterns or path prefixes */
	size_t nexcludes;
	unsigned workers; /* 0: one per online CPU */
	enum fim_hash hash;
	int cross_mounts; /* descend into other file systems */
	/* The baseline being checked (or NULL): a symbolic link it recorded
	 * with the same inode, size, mtime and ctime keeps its target from
	 * it instead of being read again, since readlink(2) sets the link's
	 * access time and a link's target cannot change in place. */
	const struct fim_baseline *prev;
	/* Called from the scanning thread about 5 times a second (may be NULL). */
	void (*progress)(void *arg, uint64_t files, uint64_t bytes, int done);
	void *progress_arg;
};

/* Totals of a scan. */
struct fim_scan_stats {
	uint64_t files, bytes_hashed, unreadable, unstable, rescans;
	double secs;
};

void fim_baseline_init(struct fim_baseline *b);
void fim_baseline_release(struct fim_baseline *b);
/* Sorts by path and checks for duplicates; 0 or -1 with err. */
int fim_baseline_sort(struct fim_baseline *b, struct err *err);
/* The entry for path, or NULL (b sorted). */
const struct fim_entry *fim_baseline_find(
    const struct fim_baseline *b, const char *path);

/*
 * Walks the roots and digests every regular file in parallel into out
 * (initialised by the caller; roots, excludes and hash are copied in).
 * Special files are never opened.  Files that cannot be read are kept
 * with FIM_F_UNREADABLE; files that keep changing while read are read
 * again, then kept with FIM_F_UNSTABLE.  0, or -1 with err.
 */
int fim_scan(const struct fim_scan_opts *o, struct fim_baseline *out,
    struct fim_scan_stats *st, struct err *err);

/* "sha256" / "sha512"; the digest length in bytes. */
const char *fim_hash_name(enum fim_hash h);
int fim_hash_parse(const char *s, enum fim_hash *out);
size_t fim_hash_len(enum fim_hash h);

/*
 * The text format (versioned, self-describing: a header names the format,
 * the version, the fields and their order; one line per entry; "end" and
 * the number of entries guard against truncation).  Pure: bytes in,
 * struct out.
 */
int fim_baseline_write(
    const struct fim_baseline *b, struct strbuf *out, struct err *err);
/* The bytes of regular files b records (what a scan of it hashes). */
uint64_t fim_baseline_bytes(const struct fim_baseline *b);
/*
 * The "bytes" header line of a baseline's text (its first lines are
 * enough), 0 when there is none: a progress estimate before the baseline
 * is read, never trusted for anything else.
 */
uint64_t fim_baseline_peek_bytes(const char *data, size_t len);
/* Parses [data, data+len) into b (initialised); -1 with "line N: why". */
int fim_baseline_parse(
    const char *data, size_t len, struct fim_baseline *b, struct err *err);

/*
 * Ed25519 signatures (OpenSSL EVP).  Keys are PEM files.  The signature
 * file names the signer's key by fingerprint so that a refusal can say
 * whether the baseline was altered or signed by another key.
 */
int fim_keygen(const char *priv_path, const char *pub_path, struct err *err);
/* The SHA-256 fingerprint of a public key file ("SHA256:hex"). */
int fim_key_fingerprint(
    const char *pub_path, char *dst, size_t dstsz, struct err *err);
/* Signs data with the private key; the signature file text into sig. */
int fim_sign(const char *priv_path, const void *data, size_t len,
    struct strbuf *sig, struct err *err);
/*
 * Verifies that sig (the signature file's text) signs data with the public
 * key; -1 with err saying why (altered, another key, malformed signature).
 */
int fim_verify(const char *pub_path, const void *data, size_t len,
    const char *sig, size_t siglen, struct err *err);

/*
 * Loading a baseline for use (load.c): read the baseline and its
 * signature from a directory, verify the signature with the trusted public
 * key and parse it.  The trusted key is the one named, else our own when
 * it exists, else the one that travels with the baseline (dir/fim.pub);
 * when a fingerprint was recorded for it (fim keygen, the first init),
 * another key is refused unless the caller accepts a newly named one.
 */
struct fim_load_opts {
	const char *dir;    /* the baseline directory */
	const char *pubkey; /* our public key file (may be missing) */
	int pubkey_named;   /* pubkey was named: no fallback to dir/fim.pub */
	const char
	    *pinned; /* the recorded fingerprint ("SHA256:hex"), or NULL */
	int accept_new_key; /* a named pubkey replaces the recorded one */
};

enum fim_load_rc {
	FIM_LOAD_OK = 0,
	FIM_LOAD_NONE,        /* no baseline (or it cannot be read) */
	FIM_LOAD_NOSIG,       /* no signature beside it */
	FIM_LOAD_BADSIG,      /* not signed by the trusted key, or altered */
	FIM_LOAD_UNREADABLE,  /* signed but not a baseline this can read */
	FIM_LOAD_KEY_CHANGED, /* the trusted key is not the recorded one */
};

/*
 * Reads, verifies and parses the baseline in o->dir into b (initialised),
 * its text into raw.  FIM_LOAD_OK, or why not with err saying it in a
 * sentence for the admin.
 */
enum fim_load_rc fim_load_verified(const struct fim_load_opts *o,
    struct fim_baseline *b, struct strbuf *raw, struct err *err);
/*
 * The severity of a load: OK, UNKNOWN when there is no baseline,
 * CRITICAL when one is refused.
 */
enum sev fim_load_status(enum fim_load_rc rc);
/* The public key file trusted for the baseline in o->dir, into buf. */
const char *fim_load_key(const struct fim_load_opts *o, char *buf, size_t n);
/*
 * The trusted key's fingerprint recorded in the state directory
 * (STATE/fim-trusted-key, root's alone): read into fp (0, 1 when none
 * was recorded, -1 with err, never repeating a malformed file's content),
 * and written.
 */
int fim_pin_read(const char *state_dir, char *fp, size_t n, struct err *err);
int fim_pin_write(const char *state_dir, const char *fp, struct err *err);

/*
 * Where fim keeps its files and how it scans (policy.c): the "check fim"
 * block of the configuration and the state directory, with what the
 * command line names instead (fim_overrides).
 */
#define FIM_PATHS_MAX 256 /* paths, excludes */
#define FIM_WEB_MAX 64    /* web roots */

struct conf;
struct conf_node;

/* What the command line names instead of the configuration (NULL, -1 or
 * 0: not named). */
struct fim_overrides {
	const char *baseline_dir; /* --baseline */
	const char *key;          /* --key */
	const char *pubkey;       /* --pubkey */
	const char *hash;         /* --hash */
	int workers;              /* --workers, -1 when not given */
	int atime;                /* --atime */
};

struct fim_opts {
	const struct conf_node *blk; /* check fim { }, or NULL */
	const char *state_dir;
	char dir[PATH_MAX];    /* the baseline directory */
	char key[PATH_MAX];    /* the private key */
	char pub[PATH_MAX];    /* the public key in use */
	char ownpub[PATH_MAX]; /* the configured (or default) public key */
	const char *named_pub; /* --pubkey, or NULL */
	int pub_configured;    /* the configuration names a public key */
	char pin[96]; /* the trusted key's recorded fingerprint, or "" */
	int workers;  /* 0: one per CPU */
	const char *hash;
	int atime;
	const char *excl[FIM_PATHS_MAX]; /* defaults, then the configured */
	size_t nexcl;
	const char *web[FIM_WEB_MAX];
	char *webown[FIM_WEB_MAX]; /* document roots read from Apache's files */
	size_t nweb;
};

/*
 * Fills o with where the baseline, keys and trusted fingerprint are:
 * STATE/fim (a directory of root's, statedir.h) unless configured or
 * named.  0, or the exit status (sysexits, 2 for a damaged record of the
 * trusted key) with err saying why.  ov may be NULL.
 */
int fim_opts_locate(struct fim_opts *o, const struct conf *c,
    const char *state_dir, const struct fim_overrides *ov, struct err *err);
/* fim_opts_locate and how to scan: workers, hash, excludes, atime. */
int fim_opts_resolve(struct fim_opts *o, const struct conf *c,
    const char *state_dir, const struct fim_overrides *ov, struct err *err);
/*
 * The web roots into o: the configured ones, else the document roots of
 * the Apache configuration under root (NULL for /), else /var/www when
 * it exists.
 */
void fim_opts_webroots(struct fim_opts *o, const char *root);
/* The configured paths to scan, else the system's programs, libraries
 * and /etc, and the web roots; how many, at most max. */
size_t fim_opts_paths(const struct fim_opts *o, const char **out, size_t max);
void fim_opts_release(struct fim_opts *o);
/* Where the baseline is read from, and the key it must be signed with. */
void fim_opts_load(const struct fim_opts *o, struct fim_load_opts *lo);
/*
 * Whether the key in use is in the trusted key's place: the configured
 * (or default) public key, not another named with --pubkey.
 */
int fim_opts_own_key(const struct fim_opts *o);

/*
 * Records fp, the fingerprint of the key in use, as the trusted key's:
 * the first one, or a new one in the trusted key's place (another key
 * named with --pubkey is used for one run only).  The fingerprint
 * recorded before into was.  1 recorded, 0 nothing to do, -1 with err.
 */
int fim_opts_trust(
    struct fim_opts *o, const char *fp, char *was, size_t n, struct err *err);
/*
 * The public key a new baseline is verified with must be the trusted
 * one, unless named; its fingerprint into fp.  0, or the exit status
 * (EX_NOINPUT no key, 2 another key) with err.
 */
int fim_opts_init_key(
    const struct fim_opts *o, char *fp, size_t n, struct err *err);
/* Makes the key pair (creating their directories); refuses to replace
 * one unless force.  Its fingerprint into fp.  0 or -1 with err. */
int fim_opts_keygen(
    const struct fim_opts *o, int force, char *fp, size_t n, struct err *err);
/* Copies baseline, signature and the trusted public key (fim.pub) into
 * dest.  Verify the baseline first.  0 or -1 with err. */
int fim_export(const struct fim_opts *o, const char *dest, struct err *err);
/* The scan's CPU and I/O niceness from the configuration (nice, ionice),
 * for the calling process and the threads it starts: 0, or -1 with errno
 * when the CPU niceness could not be set. */
int fim_opts_nice(const struct fim_opts *o);

/*
 * A scan (fim_scan) of a new baseline: each regular file's entry gets the
 * package that installed it (fim_pkg_annotate), with the package records
 * of the system under root (NULL for /) read while the scan runs; the
 * scan, not the reader, gets nice's niceness (fim_opts_nice; NULL: none).
 * 0, or -1 with err.
 */
int fim_record(const struct fim_scan_opts *so, const char *root,
    const struct fim_opts *nice, struct fim_baseline *out,
    struct fim_scan_stats *st, struct err *err);
/* The packages that installed b's files, from the records under root. */
void fim_annotate(struct fim_baseline *b, const char *root);
/*
 * The changes from old to cur as o compares them (access times when
 * configured, web roots) with what the package records under root (NULL
 * for /) explain marked.  0, or -1 with err.
 */
struct fim_changes;
int fim_opts_compare(const struct fim_opts *o, const struct fim_baseline *old,
    const struct fim_baseline *cur, const char *root, struct fim_changes *ch,
    struct err *err);
/*
 * What an earlier baseline in o->dir says it hashed: an estimate of the
 * time a new one will take, never trusted for anything else; 0 when
 * unknown.
 */
uint64_t fim_opts_earlier_bytes(const struct fim_opts *o);

/*
 * Writes b signed with the private key into dir (created 0700):
 * baseline, baseline.sig and fim.pub (a copy of pub unless pub is that
 * file), each replaced atomically, after checking that the signature
 * verifies with pub.  0, or -1 with err saying why.
 */
int fim_save(const struct fim_baseline *b, const char *dir, const char *key,
    const char *pub, struct err *err);
/* Whether dir holds a baseline (its baseline or baseline.sig file). */
int fim_baseline_exists(const char *dir);
/*
 * Keeps the baseline of dir as baseline.prev and baseline.sig.prev (each
 * replacing an earlier backup): hard links to the files in place, so the
 * baseline itself stays until fim_save replaces it.  0 (also when there
 * is none), or -1 with err saying why.
 */
int fim_backup(const char *dir, struct err *err);

/* Whether path is under one of roots. */
int fim_path_under_any(const char *path, const char *const *roots, size_t n);
/*
 * The part of b under roots, as a shallow view (its strings belong to b;
 * free only view->e).  0 or -1 (out of memory).
 */
int fim_baseline_view(const struct fim_baseline *b, const char *const *roots,
    size_t n, struct fim_baseline *view);
/*
 * The baseline an update makes (out, initialised): old's entries outside
 * paths and all of cur's, moved out of them (release both after); old's
 * roots and excludes and any path outside them as roots; cur's time and
 * host.  0, or -1 with err.
 */
int fim_baseline_merge(struct fim_baseline *old, struct fim_baseline *cur,
    const char *const *paths, size_t npaths, struct fim_baseline *out,
    struct err *err);

/* What a changed path is. */
enum fim_class {
	FIM_C_PACKAGE,    /* explained by the package manager: no alert */
	FIM_C_ADDED,      /* a new file */
	FIM_C_REMOVED,    /* a file gone */
	FIM_C_CHANGED,    /* attributes changed */
	FIM_C_SYSBIN,     /* a program's content changed */
	FIM_C_SETUID,     /* a new setuid or setgid file (or bit) */
	FIM_C_WEBEXEC,    /* a new executable in a web root */
	FIM_C_DEFACEMENT, /* a page in a web root changed */
	FIM_C_CAPABILITY, /* file capabilities added or changed */
	FIM_C_UNREADABLE, /* could not be read now */
	FIM_C_UNSTABLE,   /* kept changing while read */
};
const char *fim_class_name(enum fim_class c);
/* How much a change of class c matters: SEV_OK for the package
 * manager's, SEV_CRITICAL for the classes an attack leaves, else
 * SEV_WARNING. */
enum sev fim_class_sev(enum fim_class c);

#define FIM_A_TYPE 0x0001
#define FIM_A_MODE 0x0002
#define FIM_A_UID 0x0004
#define FIM_A_GID 0x0008
#define FIM_A_SIZE 0x0010
#define FIM_A_INO 0x0020
#define FIM_A_NLINK 0x0040
#define FIM_A_MTIME 0x0080
#define FIM_A_CTIME 0x0100
#define FIM_A_ATIME 0x0200
#define FIM_A_HASH 0x0400
#define FIM_A_TARGET 0x0800
#define FIM_A_CAPS 0x1000
#define FIM_A_XATTRS 0x2000
#define FIM_A_DEFAULT (0x3fff & ~FIM_A_ATIME)

/* One difference between the baseline and now. */
struct fim_change {
	const struct fim_entry *old; /* NULL when added */
	const struct fim_entry *cur; /* NULL when removed */
	unsigned attrs;              /* FIM_A_* that differ */
	enum fim_class cls;
	char pkg[128]; /* the package that explains it (FIM_C_PACKAGE) */
};

struct fim_changes {
	struct fim_change *c;
	size_t n, cap;
};

/* How changes are classified. */
struct fim_diff_opts {
	unsigned compare; /* FIM_A_* to compare (FIM_A_DEFAULT) */
	const char *const *webroots;
	size_t nwebroots;
};

/* Compares two sorted baselines; changes point into both.  0 or -1. */
int fim_diff(const struct fim_baseline *old, const struct fim_baseline *cur,
    const struct fim_diff_opts *o, struct fim_changes *out, struct err *err);
void fim_changes_release(struct fim_changes *c);
/*
 * Marks the changes dpkg's records explain (content its package installed
 * at or after old was made, or a file gone with its package's upgrade or
 * removal) as FIM_C_PACKAGE, with the package in pkg.  root: where dpkg's
 * records are (NULL for /).
 */
void fim_explain(
    struct fim_changes *ch, const struct fim_baseline *old, const char *root);
/* "mode,uid,hash" for attrs. */
void fim_attrs_names(unsigned attrs, char *dst, size_t dstsz);
/*
 * The attributes to show of a change (FIM_A_*, shown in the order of
 * their bits): those that differ, or for a file added or removed what
 * describes it (type, mode, owner; size, links and digest of a regular
 * file; target, capabilities, extended attributes when it has them).
 */
unsigned fim_change_shown(const struct fim_change *c);
/* One attribute's value of e as text (raw; escape for output). */
void fim_attr_value(const struct fim_entry *e, unsigned attr, enum fim_hash h,
    struct strbuf *sb);
/* Whether path is root itself or below it. */
int fim_path_under(const char *path, const char *root);

/*
 * What the package database (pkg/pkg.h, opened on the root the scan was
 * given) explains.
 *
 * 1 when the package manager explains the current content of path: its
 * package's md5sum for the path equals md5 of the file now, and dpkg's log
 * shows the package installed, reinstalled or upgraded at or after since.
 * pkg gets the package name.  0 when not explained.
 */
struct pkg_db;
int fim_pkg_explains(
    struct pkg_db *d, const char *path, time_t since, char *pkg, size_t pkgsz);
/*
 * 1 when the package manager explains that a file recorded in the
 * baseline (old, with the package that owned it then) is gone: the log
 * shows that package upgraded, reinstalled or removed at or after since,
 * and no installed package lists the path any more.  pkg gets the package
 * name.
 */
int fim_pkg_explains_removal(struct pkg_db *d, const struct fim_entry *old,
    time_t since, char *pkg, size_t pkgsz);
/*
 * Records in each regular file's entry of b the package that installed
 * it (entry->pkg); entries of no package get NULL.  Returns how many were
 * attributed.
 */
size_t fim_pkg_annotate(struct pkg_db *d, struct fim_baseline *b);

/*
 * Changes as findings (report.c): check id "fim", the path as subject, a
 * sentence saying what changed, and evidence: class, status (added,
 * removed, changed), changed (the attributes that differ), the owning
 * package the baseline recorded (owner), the package whose install or
 * upgrade explains it (package, the package manager's changes only), the
 * error of a file that could not be read, and each attribute's old_NAME
 * and new_NAME values (absent for a file added or removed; as many as
 * the evidence holds, the content digest first).
 */
struct report;
struct finding *fim_report_change(
    struct report *r, const struct fim_change *c, enum fim_hash h);
/*
 * A finding for each change of ch, in path order; the unexplained ones
 * first when they would not all fit in r (the package manager's go last).
 */
void fim_report_changes(
    struct report *r, const struct fim_changes *ch, enum fim_hash h);

/*
 * The integrity check (check.c): the baseline in o->dir loaded and
 * verified, what it records (or paths under it) scanned again, and a
 * finding per change added to a report.  What "fim check", "fim update"
 * and the check registry share.
 */
struct fim_check {
	/* in */
	const struct fim_opts *o;
	const char *root;         /* package records and web roots: NULL / */
	const char *const *paths; /* only these; NULL: the baseline's roots */
	size_t npaths;
	int nice; /* scan with the configured niceness */
	void (*progress)(void *arg, uint64_t files, uint64_t bytes, int done);
	void *progress_arg;
	/* out (fim_check_release) */
	enum fim_load_rc load;   /* how loading the baseline went */
	struct fim_baseline b;   /* the baseline */
	struct fim_baseline cur; /* the scan */
	struct fim_scan_stats st;
	const char *scanned[FIM_PATHS_MAX]; /* the paths scanned */
	size_t nscanned;
	size_t nchanges;
};

/*
 * Runs the check k describes, adding the changes to r (NULL: only
 * counted in k->nchanges).  0; or -1 with err when the baseline could
 * not be used (k->load says why) or the scan failed (k->load is
 * FIM_LOAD_OK).
 */
int fim_check_run(struct fim_check *k, struct report *r, struct err *err);
void fim_check_release(struct fim_check *k);
/* Whether the configuration's "check fim" says "enable" (the later of
 * its enable and disable). */
int fim_conf_enabled(const struct conf *c);

#endif
