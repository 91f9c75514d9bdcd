/*
 * cmd_fim.c - "sakimori fim": file integrity.  keygen makes the Ed25519
 * key pair; init records a signed baseline of the configured paths; check
 * compares the files with it and says what changed and how much it
 * matters; update accepts the present state; export copies baseline,
 * signature and public key to removable media; verify and status say
 * whether a baseline is there, intact and signed by the trusted key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cur.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
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
	const struct fim_baseline *prev; /* the baseline checked, or NULL */
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

	fim_show_progress(fc->t0, fc->expect_bytes, files, bytes, done);
}

static int
scan(struct fim_cmd *fc, const char *const *roots, size_t nroots,
    const char *const *excl, size_t nexcl, enum fim_hash h,
    struct fim_baseline *out, struct fim_scan_stats *st, int record)
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
	if (!record && fim_opts_nice(&fc->o) == -1)
		log_debug("fim: setpriority: %s", strerror(errno));
	if ((record ? fim_record(&o, fc->cli->root, &fc->o, out, st, &err)
	            : fim_scan(&o, out, st, &err)) == -1) {
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
	set_paths(fc, argc, argv);
	fc->expect_bytes = isatty(STDERR_FILENO) && fc->cli->mode != OUT_JSON
	    ? fim_opts_earlier_bytes(&fc->o)
	    : 0;
	fim_baseline_init(&b);
	rc = scan(
	    fc, fc->paths, fc->npaths, fc->o.excl, fc->o.nexcl, h, &b, &st, 1);
	if (rc == -1) {
		fim_baseline_release(&b);
		return EXIT_SOFTWARE;
	}
	if (write_baseline(fc, &b) == -1 || pin_key(fc, fp) == -1) {
		fim_baseline_release(&b);
		return EXIT_CANTCREAT;
	}
	fim_show_stats(fc->cli->mode, fc->o.dir, "init", &b, &st);
	fim_baseline_release(&b);
	return EXIT_OK;
}

/* Compares and prints; returns the worst severity of what is unexplained. */
static int
report(struct fim_cmd *fc, const struct fim_baseline *old,
    const struct fim_baseline *cur, size_t *nchanges)
{
	struct fim_changes ch = {0};
	struct err err = {0};
	struct out out;
	size_t count[3] = {0};
	int worst = 0;

	if (fim_opts_compare(&fc->o, old, cur, fc->cli->root, &ch, &err) ==
	    -1) {
		log_warnx("fim: %s", err.msg);
		return EXIT_UNKNOWN;
	}
	out_init(&out, fc->cli->mode, stdout);
	for (size_t i = 0; i < ch.n; i++) {
		struct fim_change *c = &ch.c[i];

		count[fim_class_sev(c->cls)]++;
		if (fim_class_sev(c->cls) > worst)
			worst = fim_class_sev(c->cls);
		if (fc->cli->mode == OUT_JSON)
			fim_show_json(c, old->hash);
		else if (fc->cli->mode == OUT_TABLE)
			fim_show_text(&out, c, old->hash);
	}
	if (fc->cli->mode == OUT_NAGIOS)
		fim_show_nagios(worst, count);
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
	    b->nexcludes, b->hash, cur, st, 0);
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
			fim_show_stats(
			    fc->cli->mode, fc->o.dir, "check", &cur, &st);
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
	if (!key_readable(fc, "give --key"))
		return EXIT_NOINPUT;
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
	fim_annotate(&nb, fc->cli->root);
	if (write_baseline(fc, &nb) == -1) {
		rc = EXIT_CANTCREAT;
		goto out;
	}
	if (fim_key_fingerprint(fc->o.pub, fp, sizeof(fp), &err) == 0)
		(void)pin_key(fc, fp);
	if (fc->cli->mode == OUT_TABLE)
		printf("baseline updated: %zu changes accepted\n", nch);
	fim_show_stats(fc->cli->mode, fc->o.dir, "update", &nb, &st);
	rc = EXIT_OK;
out:
	fim_baseline_release(&b);
	fim_baseline_release(&cur);
	fim_baseline_release(&nb);
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
