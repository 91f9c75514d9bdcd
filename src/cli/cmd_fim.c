/*
 * cmd_fim.c - "sakimori fim": file integrity.  keygen makes the Ed25519
 * key pair; init records a signed baseline of the configured paths; check
 * compares the files with it and says what changed and how much it
 * matters; update accepts the present state; export copies baseline,
 * signature and public key to removable media; verify and status say
 * whether a baseline is there, intact and signed by the trusted key.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "apache/apache.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/esc.h"
#include "base/fileio.h"
#include "base/json.h"
#include "base/log.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "fim/fim.h"
#include "pkg/pkg.h"

#define BASELINE_MAX ((size_t)2 << 30) /* 2 GiB of baseline text */
#define SIG_MAX 4096

enum {
	OPT_BASELINE = OPT_FIRST_PRIVATE,
	OPT_KEY,
	OPT_PUBKEY,
	OPT_WORKERS,
	OPT_FORCE,
	OPT_ATIME,
	OPT_HASH,
};

struct fim_cmd {
	struct cli *cli;
	const char *sub;
	struct fim_overrides ov; /* what the command line names */
	struct fim_opts o;       /* and what is used (setup) */
	int force;
	const char *paths[FIM_PATHS_MAX];
	size_t npaths;
	/* progress */
	int tty;
	double t0;
	uint64_t expect_bytes;
	const struct fim_baseline *prev; /* the baseline checked, or NULL */
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori fim keygen [--key FILE] [--pubkey FILE] "
	    "[--force]\n"
	    "       sakimori fim init [--baseline DIR] [--key FILE] "
	    "[--workers N] [PATH...]\n"
	    "       sakimori fim check [--baseline DIR] [--pubkey FILE] "
	    "[--workers N] [--atime] [PATH...]\n"
	    "       sakimori fim update [--baseline DIR] [--key FILE] "
	    "[PATH...]\n"
	    "       sakimori fim export [--baseline DIR] DIR\n"
	    "       sakimori fim verify|status [--baseline DIR] "
	    "[--pubkey FILE]\n"
	    "\n"
	    "File integrity: a baseline of the type, mode, owner, size, inode, "
	    "links,\n"
	    "times, SHA-256, link target, capabilities and extended "
	    "attributes of\n"
	    "every file under the configured paths, signed with Ed25519.  "
	    "check\n"
	    "reports what was added, removed or changed and classifies it "
	    "(changed\n"
	    "program, new setuid file, new executable or changed page in a "
	    "web root,\n"
	    "capabilities); changes dpkg explains are reported without an "
	    "alert.\n"
	    "\n"
	    "  --baseline DIR   where the baseline is written or read "
	    "(default:\n"
	    "                   STATE/fim; may be read-only media)\n"
	    "  --key FILE       the private key (may be on removable media)\n"
	    "  --pubkey FILE    the trusted public key\n"
	    "  --workers N      digest threads (default: one per CPU)\n"
	    "  --hash NAME      sha256 (default) or sha512 (init)\n"
	    "  --atime          compare access times too (check)\n"
	    "  --force          keygen: replace an existing key\n"
	    "  --json           one JSON object per changed path\n"
	    "\n"
	    "check exits 0 when nothing unexplained changed, 1 for changes, "
	    "2 for\n"
	    "critical ones or a refused baseline, 3 when there is no "
	    "baseline.\n");
}

/* Configuration and defaults. */

/*
 * Records fp, the fingerprint of the key in use, as the trusted key's:
 * the first one, or a new one in the trusted key's place.  Another key
 * named with --pubkey is used for this run only.
 */
static int
pin_key(struct fim_cmd *fc, const char *fp)
{
	struct err err = {0};
	char *pin = fc->o.pin;

	if (strcmp(pin, fp) == 0 || (pin[0] && !fim_opts_own_key(&fc->o)))
		return 0;
	if (fim_pin_write(fc->cli->state_dir, fp, &err) == -1) {
		log_warnx("fim: cannot record the trusted key: %s", err.msg);
		return -1;
	}
	if (pin[0])
		log_warnx(
		    "fim: the trusted public key is now %s (was %s)", fp, pin);
	snprintf(pin, sizeof(fc->o.pin), "%s", fp);
	return 0;
}

static int
setup(struct fim_cmd *fc)
{
	struct cli *cli = fc->cli;
	struct err err = {0};
	int rc;

	if (cli_conf(cli) == -1 || cli_state_dir(cli) == -1)
		return EXIT_CONFIG;
	rc =
	    fim_opts_resolve(&fc->o, &cli->conf, cli->state_dir, &fc->ov, &err);
	if (rc) {
		log_warnx("fim: %s", err.msg);
		return rc;
	}
	fim_opts_webroots(&fc->o, cli->root);
	return 0;
}

/* Paths from the command line replace the configured ones. */
static void
set_paths(struct fim_cmd *fc, int argc, char **argv)
{
	fc->npaths = 0;
	for (int i = 0; i < argc && fc->npaths < FIM_PATHS_MAX; i++)
		fc->paths[fc->npaths++] = argv[i];
	if (fc->npaths == 0)
		fc->npaths = fim_opts_paths(&fc->o, fc->paths, FIM_PATHS_MAX);
}

/* CPU and I/O niceness for the scan (the process's threads inherit it). */
static void
be_nice(struct fim_cmd *fc)
{
	double n = conf_num(fc->o.blk, "nice", 10);
	const char *io = conf_str(fc->o.blk, "ionice", "7");
	uint64_t lvl;

	if (n != 0 && setpriority(PRIO_PROCESS, 0, (int)n) == -1)
		log_debug("fim: setpriority: %s", strerror(errno));
	if (strcmp(io, "none") == 0)
		return;
	/* ioprio: class << 13 | data; 2 best-effort, 3 idle. */
	if (strcmp(io, "idle") == 0)
		syscall(SYS_ioprio_set, 1, 0, 3 << 13);
	else if (str_u64(io, &lvl) == 0 && lvl <= 7)
		syscall(SYS_ioprio_set, 1, 0, (int)(2 << 13 | lvl));
}

/* Progress on a terminal. */

static void
human_bytes(char *dst, size_t n, double b)
{
	static const char *const u[] = {"B", "KB", "MB", "GB", "TB"};
	int i = 0;

	while (b >= 1000 && i < 4) {
		b /= 1000;
		i++;
	}
	snprintf(dst, n, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

static void
progress(void *arg, uint64_t files, uint64_t bytes, int done)
{
	struct fim_cmd *fc = arg;
	double el = clock_mono() - fc->t0;
	char b[32], r[32], eta[48] = "";

	human_bytes(b, sizeof(b), (double)bytes);
	human_bytes(r, sizeof(r), el > 0 ? (double)bytes / el : 0);
	if (!done && fc->expect_bytes > bytes && bytes > 0 && el > 0.3) {
		char d[32];

		dur_format(d, sizeof(d),
		    (uint64_t)((double)(fc->expect_bytes - bytes) /
		        ((double)bytes / el)) +
		        1);
		snprintf(eta, sizeof(eta), ", about %s left", d);
	}
	fprintf(
	    stderr, "\r\033[K%" PRIu64 " files, %s, %s/s%s", files, b, r, eta);
	if (done)
		fputc('\n', stderr);
	fflush(stderr);
}

static int
scan(struct fim_cmd *fc, const char *const *roots, size_t nroots,
    const char *const *excl, size_t nexcl, enum fim_hash h,
    struct fim_baseline *out, struct fim_scan_stats *st)
{
	struct fim_scan_opts o;
	struct err err = {0};

	memset(&o, 0, sizeof(o));
	o.roots = roots;
	o.nroots = nroots;
	o.excludes = excl;
	o.nexcludes = nexcl;
	o.workers = (unsigned)fc->o.workers;
	o.hash = h;
	o.cross_mounts = conf_flag(fc->o.blk, "cross-mounts");
	o.prev = fc->prev;
	fc->tty = isatty(STDERR_FILENO) && fc->cli->mode != OUT_JSON;
	if (fc->tty) {
		o.progress = progress;
		o.progress_arg = fc;
	}
	fc->t0 = clock_mono();
	be_nice(fc);
	if (fim_scan(&o, out, st, &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return -1;
	}
	return 0;
}

/* Reading and writing the baseline directory. */

static void
dir_file(char *dst, size_t n, const char *dir, const char *name)
{
	/* the buffers have room for any dir and these names */
	(void)path_join(dst, n, dir, name);
}

/* The public key to trust for the baseline in dir. */
static const char *
trusted_key(struct fim_cmd *fc, char *buf, size_t n)
{
	struct fim_load_opts lo;

	fim_opts_load(&fc->o, &lo);
	return fim_load_key(&lo, buf, n);
}

/* The key named with --pubkey verified a baseline: it is trusted now. */
static void
trust_named_key(struct fim_cmd *fc)
{
	struct err err = {0};
	char fp[96];

	if (fim_key_fingerprint(fc->o.named_pub, fp, sizeof(fp), &err) == 0)
		(void)pin_key(fc, fp);
}

/*
 * Reads, verifies and parses the baseline in fc->o.dir.  Returns 0, or the
 * exit status after saying why: EXIT_UNKNOWN when there is none,
 * EXIT_CRITICAL when it is refused.
 */
static int
load_baseline(struct fim_cmd *fc, struct fim_baseline *b, struct strbuf *raw)
{
	struct fim_load_opts lo;
	struct err err = {0};
	enum fim_load_rc rc;

	fim_opts_load(&fc->o, &lo);
	rc = fim_load_verified(&lo, b, raw, &err);
	if (rc != FIM_LOAD_OK)
		log_warnx("fim: %s%s",
		    rc == FIM_LOAD_KEY_CHANGED ? "CRITICAL: " : "", err.msg);
	else if (fc->o.named_pub && fc->o.pin[0])
		trust_named_key(fc);
	return fim_load_status(rc);
}

/* Which package installed each file, so that a later check can tell a
 * file an upgrade dropped from one deleted by hand.  dp: the records read
 * already (freed here), or NULL. */
static void
annotate(struct fim_cmd *fc, struct fim_baseline *b, struct pkg_db *dp)
{
	if (dp == NULL)
		dp = pkg_open(fc->cli->root);
	if (dp == NULL)
		return;
	fim_pkg_annotate(dp, b);
	pkg_free(dp);
}

static void *
preload(void *dp)
{
	pkg_md5sums_load(dp);
	return NULL;
}

static int
write_baseline(struct fim_cmd *fc, const struct fim_baseline *b)
{
	struct err err = {0};

	if (fim_save(b, fc->o.dir, fc->o.key, fc->o.pub, &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return -1;
	}
	return 0;
}

/* Output of changes. */

static const unsigned all_attrs[] = {FIM_A_TYPE, FIM_A_MODE, FIM_A_UID,
    FIM_A_GID, FIM_A_SIZE, FIM_A_INO, FIM_A_NLINK, FIM_A_MTIME, FIM_A_CTIME,
    FIM_A_ATIME, FIM_A_HASH, FIM_A_TARGET, FIM_A_CAPS, FIM_A_XATTRS};

/* What to show of a file that was added or removed. */
static unsigned
shown_attrs(const struct fim_entry *e)
{
	unsigned a = FIM_A_TYPE | FIM_A_MODE | FIM_A_UID | FIM_A_GID;

	if (S_ISREG(e->mode))
		a |= FIM_A_SIZE | FIM_A_HASH | FIM_A_NLINK;
	if (e->target)
		a |= FIM_A_TARGET;
	if (e->caps)
		a |= FIM_A_CAPS;
	if (e->xattrs)
		a |= FIM_A_XATTRS;
	return a;
}

static const char *
sev_word(int s)
{
	return s == 2 ? "CRITICAL" : s == 1 ? "WARNING" : "OK";
}

static void
attr_name(unsigned a, char *dst, size_t n)
{
	fim_attrs_names(a, dst, n);
}

static void
print_json(const struct fim_change *c, enum fim_hash h)
{
	const struct fim_entry *e = c->cur ? c->cur : c->old;
	json_t *o = json_object(), *ch = json_object();
	struct strbuf v = STRBUF_INIT(1 << 20);
	char name[32];

	jset(o, "type", jstr("change"));
	jset(o, "path", jstr(e->path));
	jset(o, "class", jstr(fim_class_name(c->cls)));
	jset(o, "severity", jstr(sev_word(fim_class_sev(c->cls))));
	jset(o, "status",
	    jstr(c->old == NULL      ? "added"
	            : c->cur == NULL ? "removed"
	                             : "changed"));
	if (c->cls == FIM_C_PACKAGE)
		jset(o, "package", jstr(c->pkg));
	if (c->cur && (c->cur->flags & FIM_F_UNREADABLE) && c->cur->err)
		jset(o, "error", jstr(strerror(c->cur->err)));
	for (size_t i = 0; i < sizeof(all_attrs) / sizeof(all_attrs[0]); i++) {
		unsigned a = all_attrs[i];
		json_t *pair;

		if (c->old && c->cur && !(c->attrs & a))
			continue;
		if (!(c->old && c->cur) && !(shown_attrs(e) & a))
			continue;
		pair = json_object();
		attr_name(a, name, sizeof(name));
		if (c->old) {
			strbuf_reset(&v);
			fim_attr_value(c->old, a, h, &v);
			jset(pair, "old", jstrn(strbuf_str(&v), v.len));
		} else {
			jset(pair, "old", json_null());
		}
		if (c->cur) {
			strbuf_reset(&v);
			fim_attr_value(c->cur, a, h, &v);
			jset(pair, "new", jstrn(strbuf_str(&v), v.len));
		} else {
			jset(pair, "new", json_null());
		}
		json_object_set_new(ch, name, pair);
	}
	jset(o, "changes", ch);
	json_line(stdout, o);
	strbuf_release(&v);
}

static void
print_text(const struct out *out, const struct fim_change *c, enum fim_hash h)
{
	const struct fim_entry *e = c->cur ? c->cur : c->old;
	struct strbuf s = STRBUF_INIT(1 << 20), v = STRBUF_INIT(1 << 20);
	int sev = fim_class_sev(c->cls);
	char name[32];

	esc_text(&s, e->path, strlen(e->path));
	printf("%s%-8s%s %-17s %s", out_sev_color(out, (enum sev)sev),
	    sev_word(sev), out_reset(out), fim_class_name(c->cls),
	    strbuf_str(&s));
	if (c->cls == FIM_C_PACKAGE) {
		strbuf_reset(&s);
		esc_text(&s, c->pkg, strlen(c->pkg));
		printf(" (package %s)", strbuf_str(&s));
	}
	if (c->cur && (c->cur->flags & FIM_F_UNREADABLE) && c->cur->err)
		printf(" (%s)", strerror(c->cur->err));
	putchar('\n');
	for (size_t i = 0; i < sizeof(all_attrs) / sizeof(all_attrs[0]); i++) {
		unsigned a = all_attrs[i];

		if (c->old && c->cur && !(c->attrs & a))
			continue;
		if (!(c->old && c->cur) && !(shown_attrs(e) & a))
			continue;
		attr_name(a, name, sizeof(name));
		strbuf_reset(&s);
		if (c->old) {
			strbuf_reset(&v);
			fim_attr_value(c->old, a, h, &v);
			esc_text(&s, v.p ? v.p : "", v.len);
		}
		if (c->old && c->cur)
			strbuf_adds(&s, " -> ");
		if (c->cur) {
			strbuf_reset(&v);
			fim_attr_value(c->cur, a, h, &v);
			esc_text(&s, v.p ? v.p : "", v.len);
		}
		printf("    %-7s %s\n", name, strbuf_str(&s));
	}
	strbuf_release(&s);
	strbuf_release(&v);
}

/*
 * What an earlier baseline in the directory says it hashed: init's
 * estimate of the time left when it makes the baseline again.
 */
static uint64_t
earlier_bytes(struct fim_cmd *fc)
{
	struct strbuf sb = STRBUF_INIT(64 * 1024);
	char p[4200];
	uint64_t n = 0;

	if (!isatty(STDERR_FILENO) || fc->cli->mode == OUT_JSON)
		return 0;
	dir_file(p, sizeof(p), fc->o.dir, "baseline");
	if (file_read_nofollow(p, 64 * 1024, &sb, NULL, NULL) == 0)
		n = fim_baseline_peek_bytes(sb.p ? sb.p : "", sb.len);
	strbuf_release(&sb);
	return n;
}

/* Subcommands. */

static int
do_keygen(struct fim_cmd *fc)
{
	struct err err = {0};
	char fp[96], d[PATH_MAX];
	int rc = setup(fc);

	if (rc)
		return rc;
	if (!fc->force &&
	    (access(fc->o.key, F_OK) == 0 || access(fc->o.pub, F_OK) == 0)) {
		log_warnx("fim: a key exists already ('%s' or '%s'); --force "
		          "replaces it",
		    fc->o.key, fc->o.pub);
		return EXIT_CANTCREAT;
	}
	for (int i = 0; i < 2; i++) {
		char *slash;

		snprintf(d, sizeof(d), "%s", i ? fc->o.pub : fc->o.key);
		slash = strrchr(d, '/');
		if (slash && slash != d) {
			*slash = '\0';
			if (dir_make(d, 0700, &err) == -1) {
				log_warnx("fim: %s", err.msg);
				return EXIT_CANTCREAT;
			}
		}
	}
	if (fim_keygen(fc->o.key, fc->o.pub, &err) == -1 ||
	    fim_key_fingerprint(fc->o.pub, fp, sizeof(fp), &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return EXIT_CANTCREAT;
	}
	if (pin_key(fc, fp) == -1)
		return EXIT_CANTCREAT;
	if (fc->cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("key"));
		jset(o, "private", jstr(fc->o.key));
		jset(o, "public", jstr(fc->o.pub));
		jset(o, "fingerprint", jstr(fp));
		json_line(stdout, o);
	} else {
		printf("private key: %s\npublic key:  %s\nfingerprint: %s\n",
		    fc->o.key, fc->o.pub, fp);
	}
	return EXIT_OK;
}

static void
print_stats(struct fim_cmd *fc, const char *what, const struct fim_baseline *b,
    const struct fim_scan_stats *st)
{
	char hb[32], rate[32];

	if (fc->cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("summary"));
		jset(o, "command", jstr(what));
		jset(o, "files", json_integer((json_int_t)st->files));
		jset(o, "bytes_hashed",
		    json_integer((json_int_t)st->bytes_hashed));
		jset(o, "unreadable", json_integer((json_int_t)st->unreadable));
		jset(o, "unstable", json_integer((json_int_t)st->unstable));
		jset(o, "rescans", json_integer((json_int_t)st->rescans));
		jset(o, "seconds", json_real(st->secs));
		jset(o, "baseline", jstr(fc->o.dir));
		jset(o, "entries", json_integer((json_int_t)b->n));
		json_line(stdout, o);
		return;
	}
	human_bytes(hb, sizeof(hb), (double)st->bytes_hashed);
	human_bytes(rate, sizeof(rate),
	    st->secs > 0 ? (double)st->bytes_hashed / st->secs : 0);
	printf("%s: %zu entries, %" PRIu64 " files read (%s, %s/s) in %.2f s",
	    what, b->n, st->files, hb, rate, st->secs);
	if (st->unreadable)
		printf(", %" PRIu64 " unreadable", st->unreadable);
	if (st->unstable)
		printf(", %" PRIu64 " changing while read", st->unstable);
	putchar('\n');
}

/*
 * The public key a new baseline is verified with must be the trusted one,
 * unless --pubkey names it; its fingerprint into fp.  0, or the exit
 * status after saying why.
 */
static int
check_init_key(struct fim_cmd *fc, char *fp, size_t n)
{
	struct err err = {0};

	if (fim_key_fingerprint(fc->o.pub, fp, n, &err) == -1) {
		log_warnx("fim: %s (run 'sakimori fim keygen', or give "
		          "--pubkey)",
		    err.msg);
		return EXIT_NOINPUT;
	}
	if (fc->o.pin[0] && strcmp(fp, fc->o.pin) != 0 &&
	    fc->o.named_pub == NULL) {
		log_warnx("fim: CRITICAL: the public key '%s' (%s) is not the "
		          "trusted key %s; give --pubkey FILE to trust a new "
		          "key",
		    fc->o.pub, fp, fc->o.pin);
		return EXIT_CRITICAL;
	}
	return 0;
}

static int
do_init(struct fim_cmd *fc, int argc, char **argv)
{
	char fp[96];
	struct fim_baseline b;
	struct fim_scan_stats st;
	struct pkg_db *dp;
	pthread_t th;
	enum fim_hash h;
	int loading, rc = setup(fc);

	if (rc)
		return rc;
	if (fim_hash_parse(fc->o.hash, &h) == -1) {
		log_warnx(
		    "fim: unknown hash '%s' (sha256 or sha512)", fc->o.hash);
		return EXIT_CONFIG;
	}
	if (access(fc->o.key, R_OK) == -1) {
		log_warnx("fim: cannot read the private key '%s': %s (run "
		          "'sakimori fim keygen', or give --key)",
		    fc->o.key, strerror(errno));
		return EXIT_NOINPUT;
	}
	if ((rc = check_init_key(fc, fp, sizeof(fp))) != 0)
		return rc;
	set_paths(fc, argc, argv);
	fc->expect_bytes = earlier_bytes(fc);
	fim_baseline_init(&b);
	/* dpkg's records are read by a thread of their own while the scan
	 * runs: otherwise a second or so alone after it */
	dp = pkg_open(fc->cli->root);
	loading = dp != NULL && pthread_create(&th, NULL, preload, dp) == 0;
	rc = scan(
	    fc, fc->paths, fc->npaths, fc->o.excl, fc->o.nexcl, h, &b, &st);
	if (loading)
		pthread_join(th, NULL);
	if (rc == -1) {
		pkg_free(dp);
		fim_baseline_release(&b);
		return EXIT_SOFTWARE;
	}
	annotate(fc, &b, dp);
	if (write_baseline(fc, &b) == -1 || pin_key(fc, fp) == -1) {
		fim_baseline_release(&b);
		return EXIT_CANTCREAT;
	}
	print_stats(fc, "init", &b, &st);
	fim_baseline_release(&b);
	return EXIT_OK;
}

/* Compares and prints; returns the worst severity of what is unexplained. */
static int
report(struct fim_cmd *fc, const struct fim_baseline *old,
    const struct fim_baseline *cur, size_t *nchanges)
{
	struct fim_diff_opts o;
	struct fim_changes ch = {0};
	struct err err = {0};
	struct out out;
	size_t count[3] = {0};
	int worst = 0;

	memset(&o, 0, sizeof(o));
	o.compare = FIM_A_DEFAULT | (fc->o.atime ? FIM_A_ATIME : 0);
	o.webroots = fc->o.web;
	o.nwebroots = fc->o.nweb;
	if (fim_diff(old, cur, &o, &ch, &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return EXIT_UNKNOWN;
	}
	out_init(&out, fc->cli->mode, stdout);
	fim_explain(&ch, old, fc->cli->root);
	for (size_t i = 0; i < ch.n; i++) {
		struct fim_change *c = &ch.c[i];

		count[fim_class_sev(c->cls)]++;
		if (fim_class_sev(c->cls) > worst)
			worst = fim_class_sev(c->cls);
		if (fc->cli->mode == OUT_JSON)
			print_json(c, old->hash);
		else if (fc->cli->mode == OUT_TABLE)
			print_text(&out, c, old->hash);
	}
	if (fc->cli->mode == OUT_NAGIOS)
		printf("FIM %s - %zu critical, %zu other unexplained changes, "
		       "%zu explained by the package manager|critical=%zu "
		       "warning=%zu package=%zu\n",
		    sev_word(worst), count[2], count[1], count[0], count[2],
		    count[1], count[0]);
	*nchanges = ch.n;
	fim_changes_release(&ch);
	return worst;
}

/*
 * What check and update share: load and verify the baseline into b, scan
 * its paths (or the paths given) into cur, and report the differences.
 * Returns the worst severity, or an exit status above it with *failed set.
 */
static int
compare_now(struct fim_cmd *fc, int argc, char **argv, struct fim_baseline *b,
    struct fim_baseline *cur, struct fim_scan_stats *st, size_t *nch,
    int *failed)
{
	struct strbuf raw = STRBUF_INIT(BASELINE_MAX);
	struct fim_baseline view;
	int rc;

	*failed = 1;
	rc = load_baseline(fc, b, &raw);
	strbuf_release(&raw);
	if (rc)
		return rc;
	fc->expect_bytes = fim_baseline_bytes(b);
	fc->npaths = 0;
	for (int i = 0; i < argc && fc->npaths < FIM_PATHS_MAX; i++)
		fc->paths[fc->npaths++] = argv[i];
	/* Without paths: the baseline's own roots, what it recorded. */
	for (size_t i = 0; argc == 0 && i < b->nroots && i < FIM_PATHS_MAX; i++)
		fc->paths[fc->npaths++] = b->roots[i];
	fc->prev = b;
	rc = scan(fc, fc->paths, fc->npaths, (const char *const *)b->excludes,
	    b->nexcludes, b->hash, cur, st);
	fc->prev = NULL;
	if (rc == -1)
		return EXIT_UNKNOWN;
	*failed = 0;
	if (argc == 0)
		return report(fc, b, cur, nch);
	if (fim_baseline_view(b, fc->paths, fc->npaths, &view) == -1) {
		log_warnx("fim: out of memory");
		*failed = 1;
		return EXIT_UNKNOWN;
	}
	rc = report(fc, &view, cur, nch);
	free(view.e);
	return rc;
}

static int
do_check(struct fim_cmd *fc, int argc, char **argv)
{
	struct fim_baseline b, cur;
	struct fim_scan_stats st;
	size_t nch = 0;
	int failed, rc = setup(fc);

	if (rc)
		return rc;
	fim_baseline_init(&b);
	fim_baseline_init(&cur);
	rc = compare_now(fc, argc, argv, &b, &cur, &st, &nch, &failed);
	if (!failed) {
		if (fc->cli->mode == OUT_TABLE && nch == 0)
			printf("no changes since the baseline of %s\n",
			    b.created ? ctime(&b.created) : "?\n");
		if (fc->cli->mode != OUT_NAGIOS &&
		    (fc->tty || fc->cli->mode == OUT_JSON))
			print_stats(fc, "check", &cur, &st);
	}
	fim_baseline_release(&b);
	fim_baseline_release(&cur);
	return rc;
}

static int
do_update(struct fim_cmd *fc, int argc, char **argv)
{
	struct fim_baseline b, cur, nb;
	struct fim_scan_stats st;
	struct err err = {0};
	char fp[96];
	size_t nch = 0;
	int failed, rc = setup(fc);

	if (rc)
		return rc;
	fim_baseline_init(&b);
	fim_baseline_init(&cur);
	fim_baseline_init(&nb);
	if (access(fc->o.key, R_OK) == -1) {
		log_warnx("fim: cannot read the private key '%s': %s (give "
		          "--key)",
		    fc->o.key, strerror(errno));
		return EXIT_NOINPUT;
	}
	/* Show what is being accepted. */
	rc = compare_now(fc, argc, argv, &b, &cur, &st, &nch, &failed);
	if (failed) {
		log_warnx("fim: update needs a valid baseline; 'sakimori fim "
		          "init' makes a new one");
		goto out;
	}
	/* The new baseline: the old entries outside the paths, the scan's
	 * inside them. */
	if (fim_baseline_merge(&b, &cur, fc->paths, fc->npaths, &nb, &err) ==
	    -1) {
		log_warnx("fim: %s", err.msg);
		rc = EXIT_SOFTWARE;
		goto out;
	}
	annotate(fc, &nb, NULL);
	if (write_baseline(fc, &nb) == -1) {
		rc = EXIT_CANTCREAT;
		goto out;
	}
	if (fim_key_fingerprint(fc->o.pub, fp, sizeof(fp), &err) == 0)
		(void)pin_key(fc, fp);
	if (fc->cli->mode == OUT_TABLE)
		printf("baseline updated: %zu changes accepted\n", nch);
	print_stats(fc, "update", &nb, &st);
	rc = EXIT_OK;
out:
	fim_baseline_release(&b);
	fim_baseline_release(&cur);
	fim_baseline_release(&nb);
	return rc;
}

static int
copy_file(const char *from, const char *to, unsigned mode)
{
	struct strbuf sb = STRBUF_INIT(BASELINE_MAX);
	struct err err = {0};
	int rc;

	rc = file_read_nofollow(from, BASELINE_MAX, &sb, NULL, &err);
	if (rc == 0)
		rc =
		    file_write_atomic(to, sb.p ? sb.p : "", sb.len, mode, &err);
	if (rc == -1)
		log_warnx("fim: %s", err.msg);
	strbuf_release(&sb);
	return rc;
}

static int
do_export(struct fim_cmd *fc, int argc, char **argv)
{
	static const char *const files[] = {"baseline", "baseline.sig"};
	struct fim_baseline b;
	struct strbuf raw = STRBUF_INIT(BASELINE_MAX);
	char from[PATH_MAX + 32], to[PATH_MAX + 32], kb[PATH_MAX + 32];
	int rc;

	if (argc != 1)
		return cli_usage_error(
		    fc->cli, "fim export", "expected one directory");
	rc = setup(fc);
	if (rc)
		return rc;
	fim_baseline_init(&b);
	rc = load_baseline(fc, &b, &raw);
	strbuf_release(&raw);
	fim_baseline_release(&b);
	if (rc)
		return rc; /* never export a baseline that does not verify */
	for (size_t i = 0; i < 2; i++) {
		dir_file(from, sizeof(from), fc->o.dir, files[i]);
		dir_file(to, sizeof(to), argv[0], files[i]);
		if (copy_file(from, to, 0644) == -1)
			return EXIT_CANTCREAT;
	}
	dir_file(to, sizeof(to), argv[0], "fim.pub");
	if (copy_file(trusted_key(fc, kb, sizeof(kb)), to, 0644) == -1)
		return EXIT_CANTCREAT;
	if (fc->cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("export"));
		jset(o, "directory", jstr(argv[0]));
		json_line(stdout, o);
	} else {
		printf("exported baseline, baseline.sig and fim.pub to %s\n",
		    argv[0]);
	}
	return EXIT_OK;
}

static int
do_verify(struct fim_cmd *fc, int status)
{
	struct fim_baseline b;
	struct strbuf raw = STRBUF_INIT(BASELINE_MAX);
	struct err err = {0};
	char fp[96] = "?", kb[PATH_MAX + 32], when[64];
	const char *key;
	int rc = setup(fc);

	if (rc)
		return rc;
	fim_baseline_init(&b);
	rc = load_baseline(fc, &b, &raw);
	strbuf_release(&raw);
	key = trusted_key(fc, kb, sizeof(kb));
	fim_key_fingerprint(key, fp, sizeof(fp), &err);
	if (rc) {
		if (fc->cli->mode == OUT_JSON) {
			json_t *o = json_object();

			jset(o, "type", jstr("baseline"));
			jset(o, "directory", jstr(fc->o.dir));
			jset(o, "valid", json_false());
			json_line(stdout, o);
		}
		fim_baseline_release(&b);
		return rc;
	}
	time_iso(when, sizeof(when), b.created);
	if (fc->cli->mode == OUT_JSON) {
		json_t *o = json_object(), *r = json_array();

		jset(o, "type", jstr("baseline"));
		jset(o, "directory", jstr(fc->o.dir));
		jset(o, "valid", json_true());
		jset(o, "version", json_integer(b.version));
		jset(o, "created", jstr(when));
		jset(o, "host", jstr(b.host));
		jset(o, "hash", jstr(fim_hash_name(b.hash)));
		jset(o, "entries", json_integer((json_int_t)b.n));
		jset(o, "bytes",
		    json_integer((json_int_t)fim_baseline_bytes(&b)));
		jset(o, "key", jstr(key));
		jset(o, "fingerprint", jstr(fp));
		for (size_t i = 0; i < b.nroots; i++)
			json_array_append_new(r, jstr(b.roots[i]));
		jset(o, "roots", r);
		json_line(stdout, o);
	} else {
		struct strbuf s = STRBUF_INIT(1 << 16);

		printf("baseline:  %s (format %d, %s)\n", fc->o.dir, b.version,
		    fim_hash_name(b.hash));
		printf("signature: good, key %s (%s)\n", key, fp);
		if (status) {
			char hb[32];

			esc_text(&s, b.host, strlen(b.host));
			human_bytes(
			    hb, sizeof(hb), (double)fim_baseline_bytes(&b));
			printf("created:   %s on %s\n", when, strbuf_str(&s));
			printf(
			    "entries:   %zu (%s of file content)\n", b.n, hb);
			for (size_t i = 0; i < b.nroots; i++) {
				strbuf_reset(&s);
				esc_text(&s, b.roots[i], strlen(b.roots[i]));
				printf("root:      %s\n", strbuf_str(&s));
			}
		}
		strbuf_release(&s);
	}
	fim_baseline_release(&b);
	return EXIT_OK;
}

int
cmd_fim(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"key", required_argument, NULL, OPT_KEY},
	    {"pubkey", required_argument, NULL, OPT_PUBKEY},
	    {"workers", required_argument, NULL, OPT_WORKERS},
	    {"hash", required_argument, NULL, OPT_HASH},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"atime", no_argument, NULL, OPT_ATIME},
	    {NULL, 0, NULL, 0},
	};
	struct fim_cmd fc;
	uint64_t v;
	int c, rc;

	memset(&fc, 0, sizeof(fc));
	fc.cli = cli;
	fc.ov.workers = -1;
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_BASELINE:
			fc.ov.baseline_dir = optarg;
			break;
		case OPT_KEY:
			fc.ov.key = optarg;
			break;
		case OPT_PUBKEY:
			fc.ov.pubkey = optarg;
			break;
		case OPT_WORKERS:
			if (str_u64(optarg, &v) == -1 || v > 256)
				return cli_usage_error(cli, "fim",
				    "--workers wants a number from 0 to 256");
			fc.ov.workers = (int)v;
			break;
		case OPT_HASH:
			fc.ov.hash = optarg;
			break;
		case OPT_FORCE:
			fc.force = 1;
			break;
		case OPT_ATIME:
			fc.ov.atime = 1;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage_error(cli, "fim",
		    "expected keygen, init, check, update, export, verify or "
		    "status");
	fc.sub = argv[0];
	argc--;
	argv++;
	for (int i = 0; i < argc; i++)
		if (strcmp(fc.sub, "export") != 0 && argv[i][0] != '/')
			return cli_usage_error(cli, "fim",
			    "paths must be absolute: '%s'", argv[i]);
	if (strcmp(fc.sub, "keygen") == 0 && argc == 0)
		rc = do_keygen(&fc);
	else if (strcmp(fc.sub, "init") == 0)
		rc = do_init(&fc, argc, argv);
	else if (strcmp(fc.sub, "check") == 0)
		rc = do_check(&fc, argc, argv);
	else if (strcmp(fc.sub, "update") == 0)
		rc = do_update(&fc, argc, argv);
	else if (strcmp(fc.sub, "export") == 0)
		rc = do_export(&fc, argc, argv);
	else if ((strcmp(fc.sub, "verify") == 0 ||
	             strcmp(fc.sub, "status") == 0) &&
	    argc == 0)
		rc = do_verify(&fc, strcmp(fc.sub, "status") == 0);
	else
		rc = -1;
	fim_opts_release(&fc.o);
	if (rc != -1)
		return rc;
	return cli_usage_error(
	    cli, "fim", "unknown or malformed subcommand '%s'", fc.sub);
}
