/*
 * save.c - a baseline written for later use: its text signed with the
 * private key, the signature checked against the public key it will be
 * verified with, then baseline, signature and public key each replaced
 * atomically in the baseline directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "fim/fim.h"

#define BASELINE_MAX ((size_t)2 << 30) /* 2 GiB of baseline text */
#define SIG_MAX 4096
#define PUB_MAX (64 * 1024)

static int
write_in(const char *dir, const char *name, const struct strbuf *sb,
    unsigned mode, struct err *err)
{
	char p[PATH_MAX + 32];

	if (path_join(p, sizeof(p), dir, name) == -1)
		return err_set(err, ENAMETOOLONG, "path too long: '%s'", dir);
	return file_write_atomic(p, strbuf_str(sb), sb->len, mode, err);
}

int
fim_save(const struct fim_baseline *b, const char *dir, const char *key,
    const char *pub, struct err *err)
{
	struct strbuf text = STRBUF_INIT(BASELINE_MAX);
	struct strbuf sig = STRBUF_INIT(SIG_MAX);
	struct strbuf pubtext = STRBUF_INIT(PUB_MAX);
	char own[PATH_MAX + 32];
	int rc = -1;

	if (fim_baseline_write(b, &text, err) == -1 ||
	    fim_sign(key, strbuf_str(&text), text.len, &sig, err) == -1 ||
	    file_read_nofollow(pub, PUB_MAX, &pubtext, NULL, err) == -1) {
		if (err->code == ENOENT) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			err_set(err, ENOENT,
			    "%.400s (run 'sakimori fim keygen', or give --key)",
			    why);
		}
		goto out;
	}
	if (fim_verify(pub, strbuf_str(&text), text.len, strbuf_str(&sig),
	        sig.len, err) == -1) {
		err_set(err, EINVAL,
		    "the private key '%s' does not match the public key '%s' "
		    "(give --pubkey)",
		    key, pub);
		goto out;
	}
	if (dir_make(dir, 0700, err) == -1 ||
	    write_in(dir, "baseline", &text, 0600, err) == -1 ||
	    write_in(dir, "baseline.sig", &sig, 0644, err) == -1)
		goto out;
	if (path_join(own, sizeof(own), dir, "fim.pub") == -1 ||
	    (strcmp(own, pub) != 0 &&
	        write_in(dir, "fim.pub", &pubtext, 0644, err) == -1))
		goto out;
	rc = 0;
out:
	strbuf_release(&text);
	strbuf_release(&sig);
	strbuf_release(&pubtext);
	return rc;
}
