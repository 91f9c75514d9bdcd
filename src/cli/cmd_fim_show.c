/*
 * cmd_fim_show.c - the output of "fim": the report of a check (its
 * findings, listed with the attributes that differ on a terminal), the
 * totals of a scan, what verify and status say of a baseline, progress
 * on a terminal and the usage.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/bounded.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/size.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cli/cmd_fim_show.h"
#include "fim/fim.h"

/* The severity, class (or check id) and subject of f, and what adds to
 * them; a finding other than a change says its message. */
static void
listing_head(const struct out *out, const struct finding *f, struct strbuf *s)
{
	const char *cls = finding_ev_get(f, "class");
	const char *pkg = finding_ev_get(f, "package");
	const char *why = finding_ev_get(f, "error");

	strbuf_reset(s);
	esc_text(s, f->subject, strlen(f->subject));
	if (cls == NULL) {
		strbuf_adds(s, ": ");
		esc_text(s, f->message, strlen(f->message));
	}
	if (pkg != NULL) {
		strbuf_adds(s, " (package ");
		esc_text(s, pkg, strlen(pkg));
		strbuf_adds(s, ")");
	}
	if (why != NULL) {
		strbuf_adds(s, " (");
		esc_text(s, why, strlen(why));
		strbuf_adds(s, ")");
	}
	printf("%s%-8s%s %-17s %s\n", out_sev_color(out, f->sev),
	    sev_name(f->sev), out_reset(out), cls ? cls : f->check,
	    strbuf_str(s));
}

/* One line per attribute of a change: its old value, new value, or both. */
static void
listing_attrs(const struct finding *f, struct strbuf *s)
{
	const char *list = finding_ev_get(f, "attributes");
	const char *p = list ? list : "";

	while (*p) {
		size_t n = strcspn(p, ",");
		char name[32], key[40];
		const char *old, *cur;

		if (n > 0 && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			str_printf(key, sizeof(key), "old_%s", name);
			old = finding_ev_get(f, key);
			str_printf(key, sizeof(key), "new_%s", name);
			cur = finding_ev_get(f, key);
			strbuf_reset(s);
			if (old)
				esc_text(s, old, strlen(old));
			if (old && cur)
				strbuf_adds(s, " -> ");
			if (cur)
				esc_text(s, cur, strlen(cur));
			if (old || cur)
				printf("    %-7s %s\n", name, strbuf_str(s));
		}
		p += n + (p[n] == ',');
	}
}

/* How many of r's findings are changes of severity sev. */
static size_t
changes_of(const struct report *r, enum sev sev)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nf; i++)
		n += r->f[i].sev == sev &&
		    finding_ev_get(&r->f[i], "class") != NULL;
	return n;
}

void
fim_show_listing(const struct out *out, const struct report *r)
{
	struct strbuf s = STRBUF_INIT(1 << 20);
	size_t crit = changes_of(r, SEV_CRITICAL);
	size_t warn = changes_of(r, SEV_WARNING);
	size_t ok = changes_of(r, SEV_OK);

	for (size_t i = 0; i < r->nf; i++) {
		listing_head(out, &r->f[i], &s);
		listing_attrs(&r->f[i], &s);
	}
	if (r->dropped)
		printf("(%zu more changes not kept)\n", r->dropped);
	if (crit + warn + ok > 0)
		printf("%zu critical, %zu other unexplained, %zu explained by "
		       "the package manager\n",
		    crit, warn, ok);
	strbuf_release(&s);
}

void
fim_show_report(const struct out *out, struct report *r)
{
	if (out->mode == OUT_NAGIOS) {
		report_perf(r, "critical", (double)changes_of(r, SEV_CRITICAL),
		    "", NAN, NAN, 0, NAN);
		report_perf(r, "warning", (double)changes_of(r, SEV_WARNING),
		    "", NAN, NAN, 0, NAN);
		report_perf(r, "package", (double)changes_of(r, SEV_OK), "",
		    NAN, NAN, 0, NAN);
	}
	out_report(out, r, "SAKIMORI FIM");
}

void
fim_show_stats(enum out_mode mode, const char *dir, const char *what,
    const struct fim_baseline *b, const struct fim_scan_stats *st)
{
	char hb[SIZE_TEXT_MAX], rate[SIZE_TEXT_MAX];

	if (mode == OUT_JSON) {
		json_t *o = json_object();

		jset(o, "type", jstr("fim.summary"));
		jset(o, "command", jstr(what));
		jset(o, "files", json_integer((json_int_t)st->files));
		jset(o, "bytes_hashed",
		    json_integer((json_int_t)st->bytes_hashed));
		jset(o, "unreadable", json_integer((json_int_t)st->unreadable));
		jset(o, "unstable", json_integer((json_int_t)st->unstable));
		jset(o, "rescans", json_integer((json_int_t)st->rescans));
		jset(o, "elapsed_seconds", json_real(st->secs));
		jset(o, "baseline", jstr(dir));
		jset(o, "entries", json_integer((json_int_t)b->n));
		json_line(stdout, o);
		return;
	}
	size_format(hb, sizeof(hb), (double)st->bytes_hashed);
	size_format(rate, sizeof(rate),
	    st->secs > 0 ? (double)st->bytes_hashed / st->secs : 0);
	printf("%s: %zu entries, %" PRIu64 " files read (%s, %s/s) in %.2f s",
	    what, b->n, st->files, hb, rate, st->secs);
	if (st->unreadable)
		printf(", %" PRIu64 " unreadable", st->unreadable);
	if (st->unstable)
		printf(", %" PRIu64 " changing while read", st->unstable);
	putchar('\n');
}

void
fim_show_baseline(enum out_mode mode, const char *dir,
    const struct fim_baseline *b, const char *key, const char *fp, int status)
{
	char when[64];

	if (b == NULL) {
		if (mode == OUT_JSON) {
			json_t *o = json_object();

			jset(o, "type", jstr("fim.baseline"));
			jset(o, "directory", jstr(dir));
			jset(o, "valid", json_false());
			json_line(stdout, o);
		}
		return;
	}
	time_iso(when, sizeof(when), b->created);
	if (mode == OUT_JSON) {
		json_t *o = json_object(), *r = json_array();

		jset(o, "type", jstr("fim.baseline"));
		jset(o, "directory", jstr(dir));
		jset(o, "valid", json_true());
		jset(o, "version", json_integer(b->version));
		jset(o, "created", jtime((int64_t)b->created));
		jset(o, "host", jstr(b->host));
		jset(o, "hash", jstr(fim_hash_name(b->hash)));
		jset(o, "entries", json_integer((json_int_t)b->n));
		jset(o, "bytes",
		    json_integer((json_int_t)fim_baseline_bytes(b)));
		jset(o, "key", jstr(key));
		jset(o, "fingerprint", jstr(fp));
		for (size_t i = 0; i < b->nroots; i++)
			json_array_append_new(r, jstr(b->roots[i]));
		jset(o, "roots", r);
		json_line(stdout, o);
	} else {
		struct strbuf s = STRBUF_INIT(1 << 16);

		printf("baseline:  %s (format %d, %s)\n", dir, b->version,
		    fim_hash_name(b->hash));
		printf("signature: good, key %s (%s)\n", key, fp);
		if (status) {
			char hb[SIZE_TEXT_MAX];

			esc_text(&s, b->host, strlen(b->host));
			size_format(
			    hb, sizeof(hb), (double)fim_baseline_bytes(b));
			printf("created:   %s on %s\n", when, strbuf_str(&s));
			printf(
			    "entries:   %zu (%s of file content)\n", b->n, hb);
			for (size_t i = 0; i < b->nroots; i++) {
				strbuf_reset(&s);
				esc_text(&s, b->roots[i], strlen(b->roots[i]));
				printf("root:      %s\n", strbuf_str(&s));
			}
		}
		strbuf_release(&s);
	}
}

void
fim_show_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori fim keygen [--key FILE] [--pubkey FILE] "
	    "[--force]\n"
	    "       sakimori fim init [--baseline DIR] [--key FILE] "
	    "[--workers N] [--force] [PATH...]\n"
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
	    "  --force          keygen: replace an existing key; init: an "
	    "existing\n"
	    "                   baseline, kept as baseline.prev and "
	    "baseline.sig.prev\n"
	    "  --json           one JSON finding per changed path\n"
	    "\n"
	    "check exits 0 when nothing unexplained changed, 1 for changes, "
	    "2 for\n"
	    "critical ones or a refused baseline, 3 when there is no "
	    "baseline.\n");
}

void
fim_show_progress(
    double t0, uint64_t expect_bytes, uint64_t files, uint64_t bytes, int done)
{
	double el = clock_mono() - t0;
	char b[SIZE_TEXT_MAX], r[SIZE_TEXT_MAX], eta[48] = "";

	size_format(b, sizeof(b), (double)bytes);
	size_format(r, sizeof(r), el > 0 ? (double)bytes / el : 0);
	if (!done && expect_bytes > bytes && bytes > 0 && el > 0.3) {
		char d[32];

		dur_format(d, sizeof(d),
		    (uint64_t)((double)(expect_bytes - bytes) /
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
