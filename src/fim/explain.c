/*
 * explain.c - what the package manager explains.  A changed file is the
 * package manager's doing when its content now matches its package's
 * record and the log shows that package installed or upgraded since the
 * baseline was made.  A file gone is, when the baseline recorded its
 * package, the log shows that package upgraded or removed since, and no
 * installed package lists the path any more (an upgrade that dropped or
 * renamed it, as library upgrades do).  The records come from the
 * package database (pkg.h); the file's content is read with O_NOATIME.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/hex.h"
#include "fim/fim.h"
#include "pkg/pkg.h"

/* MD5 of the file at path as 32 hex digits; 0 or -1. */
static int
file_md5(const char *path, char *out)
{
	unsigned char buf[65536], md[16];
	char full[8200];
	unsigned int ml = 0;
	EVP_MD_CTX *ctx;
	ssize_t r;
	int fd, rc = -1;

	snprintf(full, sizeof(full), "%s", path);
	fd = open(full,
	    O_RDONLY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_NONBLOCK |
	        O_NOCTTY);
	if (fd == -1 && errno == EPERM)
		fd = open(full,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex2(ctx, EVP_md5(), NULL) != 1)
		goto out;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)r);
	if (r < 0 || EVP_DigestFinal_ex(ctx, md, &ml) != 1 || ml != 16)
		goto out;
	hex_encode(out, md, 16);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

/* The records name paths inside the root the scan was given. */
static const char *
lookup_rooted(struct pkg_db *d, const char *path, const char **pkg)
{
	const char *root = pkg_root(d);
	size_t rl = strlen(root);

	if (rl > 0 && strncmp(path, root, rl) == 0 && path[rl] == '/')
		return pkg_md5(d, path + rl, pkg);
	return pkg_md5(d, path, pkg);
}

int
fim_pkg_explains_removal(struct pkg_db *d, const struct fim_entry *old,
    time_t since, char *pkg, size_t pkgsz)
{
	const char *p = NULL;

	if (old->pkg == NULL)
		return 0;
	if (lookup_rooted(d, old->path, &p) != NULL)
		return 0; /* still a package's file: its removal is not dpkg's */
	if (pkg_last_change(d, old->pkg) < since)
		return 0;
	snprintf(pkg, pkgsz, "%s", old->pkg);
	return 1;
}

size_t
fim_pkg_annotate(struct pkg_db *d, struct fim_baseline *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct fim_entry *e = &b->e[i];
		const char *p = NULL;

		free(e->pkg);
		e->pkg = NULL;
		if (!S_ISREG(e->mode) || lookup_rooted(d, e->path, &p) == NULL)
			continue;
		if ((e->pkg = strdup(p)) != NULL)
			n++;
	}
	return n;
}

int
fim_pkg_explains(
    struct pkg_db *d, const char *path, time_t since, char *pkg, size_t pkgsz)
{
	const char *want, *p = NULL;
	char now[33];

	want = lookup_rooted(d, path, &p);
	if (want == NULL)
		return 0;
	if (pkg_last_change(d, p) < since)
		return 0;
	if (file_md5(path, now) == -1 || strcmp(now, want) != 0)
		return 0;
	snprintf(pkg, pkgsz, "%s", p);
	return 1;
}

void
fim_explain(
    struct fim_changes *ch, const struct fim_baseline *old, const char *root)
{
	struct pkg_db *dp = NULL;

	for (size_t i = 0; i < ch->n; i++) {
		struct fim_change *c = &ch->c[i];

		switch (c->cls) {
		case FIM_C_ADDED:
		case FIM_C_CHANGED:
		case FIM_C_SYSBIN:
		case FIM_C_DEFACEMENT:
		case FIM_C_WEBEXEC:
			if (!S_ISREG(c->cur->mode))
				break;
			if (dp == NULL)
				dp = pkg_open(root);
			if (dp &&
			    fim_pkg_explains(dp, c->cur->path, old->created,
			        c->pkg, sizeof(c->pkg)))
				c->cls = FIM_C_PACKAGE;
			break;
		case FIM_C_REMOVED:
			if (c->old->pkg == NULL)
				break;
			if (dp == NULL)
				dp = pkg_open(root);
			if (dp &&
			    fim_pkg_explains_removal(dp, c->old, old->created,
			        c->pkg, sizeof(c->pkg)))
				c->cls = FIM_C_PACKAGE;
			break;
		default:
			break;
		}
	}
	pkg_free(dp);
}
