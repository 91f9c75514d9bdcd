/*
 * load.c - a baseline for use: read, verified with the trusted key and
 * parsed (see fim.h).  What check, update, export and verify share, and
 * what a cross-check of running programs against the baseline needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/statedir.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define BASELINE_MAX ((size_t)2 << 30) /* 2 GiB of baseline text */
#define SIG_MAX 4096
#define PIN_FILE "fim-trusted-key"
#define PIN_LEN 71 /* "SHA256:" and 64 hex digits */

const char *
fim_load_key(const struct fim_load_opts *o, char *buf, size_t n)
{
	if (o->pubkey && (o->pubkey_named || access(o->pubkey, F_OK) == 0))
		return o->pubkey;
	/* No key of our own: the one that travels with the baseline. */
	snprintf(buf, n, "%s/fim.pub", o->dir);
	return buf;
}

enum sev
fim_load_status(enum fim_load_rc rc)
{
	switch (rc) {
	case FIM_LOAD_OK:
		return SEV_OK;
	case FIM_LOAD_NONE:
		return SEV_UNKNOWN;
	default:
		return SEV_CRITICAL;
	}
}

/* Whether the trusted key is the recorded one (or may replace it). */
static enum fim_load_rc
check_pinned(const struct fim_load_opts *o, const char *key, struct err *err)
{
	char fp[96];

	if (o->pinned == NULL || o->pinned[0] == '\0')
		return FIM_LOAD_OK;
	if (fim_key_fingerprint(key, fp, sizeof(fp), err) == -1) {
		err_prefix(err,
		    "refusing the baseline in '%s': the trusted "
		    "key %s is gone or unreadable",
		    o->dir, o->pinned);
		return FIM_LOAD_KEY_CHANGED;
	}
	if (strcmp(fp, o->pinned) == 0 ||
	    (o->pubkey_named && o->accept_new_key))
		return FIM_LOAD_OK;
	err_set(err, EPERM,
	    "refusing the baseline in '%s': the public key '%s' (%s) is not "
	    "the trusted key %s%s%s%s; give --pubkey FILE to trust a new key",
	    o->dir, key, fp, o->pinned, key != o->pubkey ? " ('" : "",
	    key != o->pubkey ? o->pubkey : "",
	    key != o->pubkey ? "' is missing)" : "");
	return FIM_LOAD_KEY_CHANGED;
}

enum fim_load_rc
fim_load_verified(const struct fim_load_opts *o, struct fim_baseline *b,
    struct strbuf *raw, struct err *err)
{
	char p[PATH_MAX + 32], kb[PATH_MAX + 32];
	struct strbuf sig = STRBUF_INIT(SIG_MAX);
	struct err perr = {0};
	enum fim_load_rc rc;
	const char *key;
	int vrc, prc;

	snprintf(p, sizeof(p), "%s/baseline", o->dir);
	if (file_read_nofollow(p, BASELINE_MAX, raw, NULL, err) == -1) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		err_set(err, err->code, "no baseline: %.400s%s", why,
		    err->code == ENOENT ? " (run 'sakimori fim init')" : "");
		return FIM_LOAD_NONE;
	}
	snprintf(p, sizeof(p), "%s/baseline.sig", o->dir);
	if (file_read_nofollow(p, SIG_MAX, &sig, NULL, err) == -1) {
		err_prefix(
		    err, "refusing the baseline in '%s': no signature", o->dir);
		strbuf_release(&sig);
		return FIM_LOAD_NOSIG;
	}
	key = fim_load_key(o, kb, sizeof(kb));
	if ((rc = check_pinned(o, key, err)) != FIM_LOAD_OK) {
		strbuf_release(&sig);
		return rc;
	}
	vrc = fim_verify(key, raw->p ? raw->p : "", raw->len,
	    sig.p ? sig.p : "", sig.len, err);
	strbuf_release(&sig);
	prc = fim_baseline_parse(raw->p ? raw->p : "", raw->len, b, &perr);
	if (vrc == -1) {
		size_t n;

		err_prefix(err, "refusing the baseline in '%s'", o->dir);
		n = strlen(err->msg);
		if (prc == -1)
			snprintf(err->msg + n, sizeof(err->msg) - n,
			    "; and it is unreadable: %s", perr.msg);
		return FIM_LOAD_BADSIG;
	}
	if (prc == -1) {
		err_set(err, perr.code,
		    "the baseline in '%s' is signed but unreadable: %s", o->dir,
		    perr.msg);
		return FIM_LOAD_UNREADABLE;
	}
	return FIM_LOAD_OK;
}

int
fim_pin_read(const char *state_dir, char *fp, size_t n, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(256);
	char path[PATH_MAX];
	int fd, ok;

	fd = statedir_open(state_dir, PIN_FILE, O_RDONLY, 0, err);
	if (fd == -1)
		return err->code == ENOENT ? 1 : -1;
	snprintf(path, sizeof(path), "%s/" PIN_FILE, state_dir);
	if (file_read_fd(fd, path, 256, &sb, NULL, err) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	ok = sb.len >= PIN_LEN && memcmp(sb.p, "SHA256:", 7) == 0 &&
	    strspn(sb.p + 7, "0123456789abcdef") == PIN_LEN - 7 &&
	    (sb.len == PIN_LEN ||
	        (sb.len == PIN_LEN + 1 && sb.p[PIN_LEN] == '\n')) &&
	    n > PIN_LEN;
	if (ok) {
		memcpy(fp, sb.p, PIN_LEN);
		fp[PIN_LEN] = '\0';
	}
	strbuf_release(&sb);
	if (!ok)
		return err_set(err, EINVAL,
		    "'%s' is damaged: not a key fingerprint", path);
	return 0;
}

int
fim_pin_write(const char *state_dir, const char *fp, struct err *err)
{
	char line[PIN_LEN + 2];
	int dfd, rc;

	if (strlen(fp) != PIN_LEN)
		return err_set(err, EINVAL, "not a key fingerprint");
	snprintf(line, sizeof(line), "%s\n", fp);
	if ((dfd = statedir_dir(state_dir, NULL, 1, err)) == -1)
		return -1;
	rc = file_write_atomic_at(
	    dfd, state_dir, PIN_FILE, line, PIN_LEN + 1, 0600, err);
	close(dfd);
	return rc;
}
