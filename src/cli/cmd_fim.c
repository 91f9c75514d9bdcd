/*
 * cmd_fim.c - "sakimori fim": file integrity.  keygen makes the Ed25519
 * key pair; init records a signed baseline of the configured paths; check
 * compares the files with it and reports each change as a finding
 * (src/fim/check.c); update accepts the present state; export copies
 * baseline, signature and public key to removable media; verify and status say
 * whether a baseline is there, intact and signed by the trusted key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bounded.h"
#include "base/cur.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/json.h"
#include "base/log.h"
#include "base/output.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "cli/cmd_fim_show.h"
#include "fim/fim.h"

#define BASELINE_MAX ((size_t)2 << 30) /* 2 GiB of baseline text */

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
	const struct fim_check *k; /* the check running, or NULL */
	char why[512];             /* what setup refused */
};

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
	char was[96];
	int rc = fim_opts_trust(&fc->o, fp, was, sizeof(was), &err);

	if (rc == -1)
		log_warnx("fim: cannot record the trusted key: %s", err.msg);
	else if (rc == 1 && was[0])
		log_warnx(
		    "fim: the trusted public key is now %s (was %s)", fp, was);
	return rc == -1 ? -1 : 0;
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
		str_copy(fc->why, sizeof(fc->why), err.msg);
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

/* Progress on a terminal. */

static void
progress(void *arg, uint64_t files, uint64_t bytes, int done)
{
	struct fim_cmd *fc = arg;

	/* a check's estimate: what its baseline hashed */
	if (fc->k != NULL && fc->expect_bytes == 0)
		fc->expect_bytes = fim_baseline_bytes(&fc->k->b);
	fim_show_progress(fc->t0, fc->expect_bytes, files, bytes, done);
}

/* Whether progress is shown: on a terminal, not with JSON. */
static int
want_progress(const struct fim_cmd *fc)
{
	return isatty(STDERR_FILENO) && fc->cli->mode != OUT_JSON;
}

/* A new baseline's scan of roots. */
static int
record(struct fim_cmd *fc, const char *const *roots, size_t nroots,
    enum fim_hash h, struct fim_baseline *out, struct fim_scan_stats *st)
{
	struct fim_scan_opts o;
	struct err err = {0};

	memset(&o, 0, sizeof(o));
	o.roots = roots;
	o.nroots = nroots;
	o.excludes = fc->o.excl;
	o.nexcludes = fc->o.nexcl;
	o.workers = (unsigned)fc->o.workers;
	o.hash = h;
	o.cross_mounts = conf_flag(fc->o.blk, "cross-mounts");
	if ((fc->tty = want_progress(fc))) {
		o.progress = progress;
		o.progress_arg = fc;
	}
	fc->t0 = clock_mono();
	if (fim_record(&o, fc->cli->root, &fc->o, out, st, &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return -1;
	}
	return 0;
}

/* Reading and writing the baseline directory. */

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

/* Whether the private key can be read; says why not, and what to do. */
static int
key_readable(struct fim_cmd *fc, const char *hint)
{
	if (access(fc->o.key, R_OK) == 0)
		return 1;
	log_warnx("fim: cannot read the private key '%s': %s (%s)", fc->o.key,
	    strerror(errno), hint);
	return 0;
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

/* Subcommands. */

static int
do_keygen(struct fim_cmd *fc)
{
	struct err err = {0};
	char fp[96];
	int rc = setup(fc);

	if (rc)
		return rc;
	if (fim_opts_keygen(&fc->o, fc->force, fp, sizeof(fp), &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return EXIT_CANTCREAT;
	}
	if (pin_key(fc, fp) == -1)
		return EXIT_CANTCREAT;
	if (fc->cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("fim.key"));
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

static int
do_init(struct fim_cmd *fc, int argc, char **argv)
{
	struct err err = {0};
	char fp[96];
	struct fim_baseline b;
	struct fim_scan_stats st;
	enum fim_hash h;
	int rc = setup(fc);

	if (rc)
		return rc;
	if (fim_hash_parse(fc->o.hash, &h) == -1) {
		log_warnx(
		    "fim: unknown hash '%s' (sha256 or sha512)", fc->o.hash);
		return EXIT_CONFIG;
	}
	if (!key_readable(fc, "run 'sakimori fim keygen', or give --key"))
		return EXIT_NOINPUT;
	if ((rc = fim_opts_init_key(&fc->o, fp, sizeof(fp), &err)) != 0) {
		log_warnx("fim: %s", err.msg);
		return rc;
	}
	if (!fc->force && fim_baseline_exists(fc->o.dir)) {
		log_warnx("fim: a signed baseline exists already in '%s'; "
		          "--force replaces it, keeping it as baseline.prev",
		    fc->o.dir);
		return EXIT_CANTCREAT;
	}
	set_paths(fc, argc, argv);
	fc->expect_bytes = isatty(STDERR_FILENO) && fc->cli->mode != OUT_JSON
	    ? fim_opts_earlier_bytes(&fc->o)
	    : 0;
	fim_baseline_init(&b);
	rc = record(fc, fc->paths, fc->npaths, h, &b, &st);
	if (rc == -1) {
		fim_baseline_release(&b);
		return EXIT_SOFTWARE;
	}
	/* the baseline replaced (--force) is kept beside the new one */
	if (fim_backup(fc->o.dir, &err) == -1) {
		log_warnx("fim: %s", err.msg);
		fim_baseline_release(&b);
		return EXIT_CANTCREAT;
	}
	if (write_baseline(fc, &b) == -1 || pin_key(fc, fp) == -1) {
		fim_baseline_release(&b);
		return EXIT_CANTCREAT;
	}
	fim_show_stats(fc->cli->mode, fc->o.dir, "init", &b, &st);
	fim_baseline_release(&b);
	return EXIT_OK;
}

/*
 * What check and update share: load and verify the baseline, scan its
 * paths (or the paths given) and add the differences to r (NULL: only
 * count them).  0; else the severity of the failure, said on stderr and,
 * for a refused baseline or a failed scan, as a finding in r.
 */
static enum sev
compare_now(struct fim_cmd *fc, int argc, char **argv, struct fim_check *k,
    struct report *r)
{
	struct err err = {0};

	memset(k, 0, sizeof(*k));
	k->o = &fc->o;
	k->root = fc->cli->root;
	k->paths = (const char *const *)argv;
	k->npaths = (size_t)argc;
	k->nice = 1;
	if ((fc->tty = want_progress(fc))) {
		k->progress = progress;
		k->progress_arg = fc;
	}
	fc->k = k;
	fc->t0 = clock_mono();
	if (fim_check_run(k, r, &err) == 0) {
		fc->k = NULL;
		if (fc->o.named_pub && fc->o.pin[0])
			trust_named_key(fc);
		return SEV_OK;
	}
	fc->k = NULL;
	log_warnx("fim: %s%s",
	    k->load == FIM_LOAD_KEY_CHANGED ? "CRITICAL: " : "", err.msg);
	if (k->load == FIM_LOAD_NONE)
		return SEV_UNKNOWN;
	/* a refused baseline, or a scan that failed */
	if (r != NULL)
		report_add(r,
		    k->load == FIM_LOAD_OK ? SEV_UNKNOWN
		                           : fim_load_status(k->load),
		    "fim", fc->o.dir, "%s", err.msg);
	return k->load == FIM_LOAD_OK ? SEV_UNKNOWN : fim_load_status(k->load);
}

/* The changes in r in the chosen output. */
static void
print_changes(const struct fim_cmd *fc, struct report *r)
{
	struct out out;

	out_init(&out, fc->cli->mode, stdout);
	if (fc->cli->mode == OUT_TABLE)
		fim_show_listing(&out, r);
	else
		fim_show_report(&out, r);
}

static int
do_check(struct fim_cmd *fc, int argc, char **argv)
{
	struct fim_check k;
	struct report r;
	int rc = setup(fc);

	if (rc == SEV_CRITICAL) {
		/* the record of the trusted key is damaged */
		report_init(&r);
		report_add(
		    &r, SEV_CRITICAL, "fim", fc->cli->state_dir, "%s", fc->why);
		print_changes(fc, &r);
		report_release(&r);
	}
	if (rc)
		return rc;
	report_init(&r);
	rc = compare_now(fc, argc, argv, &k, &r);
	if (rc == SEV_UNKNOWN && r.nf == 0) {
		/* no baseline: the reason is on stderr */
		fim_check_release(&k);
		report_release(&r);
		return EXIT_UNKNOWN;
	}
	print_changes(fc, &r);
	if (rc == SEV_OK) {
		if (fc->cli->mode == OUT_TABLE && k.nchanges == 0)
			printf("no changes since the baseline of %s",
			    k.b.created ? ctime(&k.b.created) : "?\n");
		if (fc->cli->mode != OUT_NAGIOS &&
		    (fc->tty || fc->cli->mode == OUT_JSON))
			fim_show_stats(
			    fc->cli->mode, fc->o.dir, "check", &k.cur, &k.st);
	}
	rc = cli_exit_for(&r);
	fim_check_release(&k);
	report_release(&r);
	return rc;
}

static int
do_update(struct fim_cmd *fc, int argc, char **argv)
{
	struct fim_baseline nb;
	struct fim_check k;
	struct report r;
	struct err err = {0};
	char fp[96];
	int rc = setup(fc);

	if (rc)
		return rc;
	if (!key_readable(fc, "give --key"))
		return EXIT_NOINPUT;
	fim_baseline_init(&nb);
	report_init(&r);
	/* Show what is being accepted. */
	rc = compare_now(fc, argc, argv, &k, &r);
	if (rc != SEV_OK) {
		log_warnx("fim: update needs a valid baseline; 'sakimori fim "
		          "init' makes a new one");
		goto out;
	}
	print_changes(fc, &r);
	/* The new baseline: the old entries outside the paths, the scan's
	 * inside them. */
	if (fim_baseline_merge(
	        &k.b, &k.cur, k.scanned, k.nscanned, &nb, &err) == -1) {
		log_warnx("fim: %s", err.msg);
		rc = EXIT_SOFTWARE;
		goto out;
	}
	fim_annotate(&nb, fc->cli->root);
	if (write_baseline(fc, &nb) == -1) {
		rc = EXIT_CANTCREAT;
		goto out;
	}
	if (fim_key_fingerprint(fc->o.pub, fp, sizeof(fp), &err) == 0)
		(void)pin_key(fc, fp);
	if (fc->cli->mode == OUT_TABLE)
		printf("baseline updated: %zu changes accepted\n", k.nchanges);
	fim_show_stats(fc->cli->mode, fc->o.dir, "update", &nb, &k.st);
	rc = EXIT_OK;
out:
	fim_check_release(&k);
	fim_baseline_release(&nb);
	report_release(&r);
	return rc;
}

static int
do_export(struct fim_cmd *fc, int argc, char **argv)
{
	struct fim_baseline b;
	struct strbuf raw = STRBUF_INIT(BASELINE_MAX);
	struct err err = {0};
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
	if (fim_export(&fc->o, argv[0], &err) == -1) {
		log_warnx("fim: %s", err.msg);
		return EXIT_CANTCREAT;
	}
	if (fc->cli->mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("fim.export"));
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
	char fp[96] = "?", kb[PATH_MAX + 32];
	struct fim_load_opts lo;
	const char *key;
	int rc = setup(fc);

	if (rc)
		return rc;
	fim_baseline_init(&b);
	rc = load_baseline(fc, &b, &raw);
	strbuf_release(&raw);
	fim_opts_load(&fc->o, &lo);
	key = fim_load_key(&lo, kb, sizeof(kb));
	fim_key_fingerprint(key, fp, sizeof(fp), &err);
	fim_show_baseline(
	    fc->cli->mode, fc->o.dir, rc ? NULL : &b, key, fp, status);
	fim_baseline_release(&b);
	return rc;
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
			fim_show_usage(stdout);
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
			fim_show_usage(stderr);
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
