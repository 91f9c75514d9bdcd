/*
 * keys.c - the key pair and the trust in it: making the pair, recording
 * the trusted key's fingerprint, the check that a new baseline is
 * verified with the trusted key, and copying a verified baseline with its
 * key to other media.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define FILE_MAX ((size_t)2 << 30) /* 2 GiB of baseline text */

int
fim_opts_trust(
    struct fim_opts *o, const char *fp, char *was, size_t n, struct err *err)
{
	if (n)
		snprintf(was, n, "%s", o->pin);
	if (strcmp(o->pin, fp) == 0 || (o->pin[0] && !fim_opts_own_key(o)))
		return 0;
	if (fim_pin_write(o->state_dir, fp, err) == -1)
		return -1;
	snprintf(o->pin, sizeof(o->pin), "%s", fp);
	return 1;
}

int
fim_opts_init_key(const struct fim_opts *o, char *fp, size_t n, struct err *err)
{
	if (fim_key_fingerprint(o->pub, fp, n, err) == -1) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		err_set(err, err->code,
		    "%.400s (run 'sakimori fim keygen', or give --pubkey)",
		    why);
		return EX_NOINPUT;
	}
	if (o->pin[0] && strcmp(fp, o->pin) != 0 && o->named_pub == NULL) {
		err_set(err, EPERM,
		    "CRITICAL: the public key '%s' (%s) is not the trusted key "
		    "%s; give --pubkey FILE to trust a new key",
		    o->pub, fp, o->pin);
		return 2;
	}
	return 0;
}

int
fim_opts_keygen(
    const struct fim_opts *o, int force, char *fp, size_t n, struct err *err)
{
	char d[PATH_MAX];

	if (!force && (access(o->key, F_OK) == 0 || access(o->pub, F_OK) == 0))
		return err_set(err, EEXIST,
		    "a key exists already ('%s' or '%s'); --force replaces it",
		    o->key, o->pub);
	for (int i = 0; i < 2; i++) {
		char *slash;

		snprintf(d, sizeof(d), "%s", i ? o->pub : o->key);
		slash = strrchr(d, '/');
		if (slash && slash != d) {
			*slash = '\0';
			if (dir_make(d, 0700, err) == -1)
				return -1;
		}
	}
	if (fim_keygen(o->key, o->pub, err) == -1 ||
	    fim_key_fingerprint(o->pub, fp, n, err) == -1)
		return -1;
	return 0;
}

static int
copy_file(const char *from, const char *dir, const char *name, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(FILE_MAX);
	char to[PATH_MAX + 32];
	int rc;

	if (path_join(to, sizeof(to), dir, name) == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", dir);
	rc = file_read_nofollow(from, FILE_MAX, &sb, NULL, err);
	if (rc == 0)
		rc = file_write_atomic(to, strbuf_str(&sb), sb.len, 0644, err);
	strbuf_release(&sb);
	return rc;
}

int
fim_export(const struct fim_opts *o, const char *dest, struct err *err)
{
	static const char *const files[] = {"baseline", "baseline.sig"};
	char from[PATH_MAX + 32], kb[PATH_MAX + 32];
	struct fim_load_opts lo;

	for (size_t i = 0; i < 2; i++) {
		if (path_join(from, sizeof(from), o->dir, files[i]) == -1)
			return err_set(
			    err, ENAMETOOLONG, "path too long: '%s'", o->dir);
		if (copy_file(from, dest, files[i], err) == -1)
			return -1;
	}
	fim_opts_load(o, &lo);
	return copy_file(
	    fim_load_key(&lo, kb, sizeof(kb)), dest, "fim.pub", err);
}
