/*
 * cmd_fim_show.c - the output of "fim": a change with the attributes that
 * differ (text or JSON), the totals of a scan and what verify and status
 * say of a baseline, progress on a terminal and the usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/esc.h"
#include "base/json.h"
#include "base/size.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cli/cmd_fim_show.h"
#include "fim/fim.h"

const char *
fim_show_sev(int s)
{
	return s == 2 ? "CRITICAL" : s == 1 ? "WARNING" : "OK";
}

/* pair[key]: attribute a of e, or null without e. */
static void
jset_value(json_t *pair, const char *key, const struct fim_entry *e, unsigned a,
    enum fim_hash h, struct strbuf *v)
{
	if (e == NULL) {
		jset(pair, key, json_null());
		return;
	}
	strbuf_reset(v);
	fim_attr_value(e, a, h, v);
	jset(pair, key, jstrn(strbuf_str(v), v->len));
}

void
fim_show_json(const struct fim_change *c, enum fim_hash h)
{
	const struct fim_entry *e = c->cur ? c->cur : c->old;
	json_t *o = json_object(), *ch = json_object();
	struct strbuf v = STRBUF_INIT(1 << 20);
	char name[32];

	jset(o, "type", jstr("change"));
	jset(o, "path", jstr(e->path));
	jset(o, "class", jstr(fim_class_name(c->cls)));
	jset(o, "severity", jstr(fim_show_sev(fim_class_sev(c->cls))));
	jset(o, "status",
	    jstr(c->old == NULL      ? "added"
	            : c->cur == NULL ? "removed"
	                             : "changed"));
	if (c->cls == FIM_C_PACKAGE)
		jset(o, "package", jstr(c->pkg));
	if (c->cur && (c->cur->flags & FIM_F_UNREADABLE) && c->cur->err)
		jset(o, "error", jstr(strerror(c->cur->err)));
	for (unsigned a = 1; a <= FIM_A_XATTRS; a <<= 1) {
		json_t *pair;

		if (!(fim_change_shown(c) & a))
			continue;
		pair = json_object();
		fim_attrs_names(a, name, sizeof(name));
		jset_value(pair, "old", c->old, a, h, &v);
		jset_value(pair, "new", c->cur, a, h, &v);
		json_object_set_new(ch, name, pair);
	}
	jset(o, "changes", ch);
	json_line(stdout, o);
	strbuf_release(&v);
}

void
fim_show_text(
    const struct out *out, const struct fim_change *c, enum fim_hash h)
{
	const struct fim_entry *e = c->cur ? c->cur : c->old;
	struct strbuf s = STRBUF_INIT(1 << 20), v = STRBUF_INIT(1 << 20);
	int sev = fim_class_sev(c->cls);
	char name[32];

	esc_text(&s, e->path, strlen(e->path));
	printf("%s%-8s%s %-17s %s", out_sev_color(out, (enum sev)sev),
	    fim_show_sev(sev), out_reset(out), fim_class_name(c->cls),
	    strbuf_str(&s));
	if (c->cls == FIM_C_PACKAGE) {
		strbuf_reset(&s);
		esc_text(&s, c->pkg, strlen(c->pkg));
		printf(" (package %s)", strbuf_str(&s));
	}
	if (c->cur && (c->cur->flags & FIM_F_UNREADABLE) && c->cur->err)
		printf(" (%s)", strerror(c->cur->err));
	putchar('\n');
	for (unsigned a = 1; a <= FIM_A_XATTRS; a <<= 1) {
		if (!(fim_change_shown(c) & a))
			continue;
		fim_attrs_names(a, name, sizeof(name));
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

void
fim_show_stats(enum out_mode mode, const char *dir, const char *what,
    const struct fim_baseline *b, const struct fim_scan_stats *st)
{
	char hb[SIZE_TEXT_MAX], rate[SIZE_TEXT_MAX];

	if (mode == OUT_JSON) {
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

			jset(o, "type", jstr("baseline"));
			jset(o, "directory", jstr(dir));
			jset(o, "valid", json_false());
			json_line(stdout, o);
		}
		return;
	}
	time_iso(when, sizeof(when), b->created);
	if (mode == OUT_JSON) {
		json_t *o = json_object(), *r = json_array();

		jset(o, "type", jstr("baseline"));
		jset(o, "directory", jstr(dir));
		jset(o, "valid", json_true());
		jset(o, "version", json_integer(b->version));
		jset(o, "created", jstr(when));
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

void
fim_show_nagios(int worst, const size_t count[3])
{
	printf("FIM %s - %zu critical, %zu other unexplained changes, "
	       "%zu explained by the package manager|critical=%zu "
	       "warning=%zu package=%zu\n",
	    fim_show_sev(worst), count[2], count[1], count[0], count[2],
	    count[1], count[0]);
}
