/*
 * save.c - a baseline written for later use: its text signed with the
 * private key, the signature checked against the public key it will be
 * verified with, then baseline, signature and public key each replaced
 * atomically in the baseline directory; and the backup of the previous
 * baseline that "fim init --force" keeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
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

static const char *const baseline_files[] = {"baseline", "baseline.sig"};

int
fim_baseline_exists(const char *dir)
{
	char p[PATH_MAX + 32];
	struct stat st;

	for (size_t i = 0; i < countof(baseline_files); i++)
		if (path_join(p, sizeof(p), dir, baseline_files[i]) == 0 &&
		    lstat(p, &st) == 0)
			return 1;
	return 0;
}

/* Links name as name.prev in dfd (through a temporary name, so that an
 * earlier backup is replaced whole); a missing name is no error. */
static int
backup_one(int dfd, const char *dir, const char *name, struct err *err)
{
	char prev[NAME_MAX + 1], tmp[NAME_MAX + 1];

	snprintf(prev, sizeof(prev), "%s.prev", name);
	snprintf(tmp, sizeof(tmp), "%s.prev.tmp", name);
	if (unlinkat(dfd, tmp, 0) == -1 && errno != ENOENT)
		return err_sys(err, errno, "cannot remove '%s/%s'", dir, tmp);
	if (linkat(dfd, name, dfd, tmp, 0) == -1) {
		if (errno == ENOENT)
			return 0;
		return err_sys(
		    err, errno, "cannot keep '%s/%s' as '%s'", dir, name, prev);
	}
	if (renameat(dfd, tmp, dfd, prev) == -1) {
		int e = errno;

		unlinkat(dfd, tmp, 0);
		return err_sys(
		    err, e, "cannot rename '%s/%s' to '%s'", dir, tmp, prev);
	}
	return 0;
}

int
fim_backup(const char *dir, struct err *err)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	int rc = 0;

	if (dfd == -1) {
		if (errno == ENOENT)
			return 0;
		return err_sys(err, errno, "cannot open '%s'", dir);
	}
	for (size_t i = 0; i < countof(baseline_files) && rc == 0; i++)
		rc = backup_one(dfd, dir, baseline_files[i], err);
	if (rc == 0)
		fsync(dfd);
	close(dfd);
	return rc;
}
