/*
 * statedir.h - the state directory, resolved and checked once, and the
 * files inside it opened without following symbolic links.
 *
 * As root, the state directory, every directory on its path and every
 * directory inside it that sakimori uses must be owned by root and not
 * writable by group or others: anyone who could write there could
 * replace a baseline, its key or a bookmark.  A root-owned sticky
 * directory (/tmp) may be on the path, since no other user can rename or
 * remove what root made in it; the state directory itself never may be
 * writable by others.  Other users' own state needs no such check (it is
 * theirs); symbolic links inside it are still never followed.
 */
#ifndef BASE_STATEDIR_H
#define BASE_STATEDIR_H

#include <stddef.h>

struct err;

/*
 * Makes path (0700, with its missing parents) when it is missing, resolves
 * it (realpath: no symbolic link left) into dst and, as root, checks it and
 * every directory above it.  0, or -1 with err; err->code is EPERM when
 * the directory is unsafe.
 */
int statedir_resolve(
    const char *path, char *dst, size_t dstsz, struct err *err);

/*
 * A descriptor of the directory rel inside state_dir (rel NULL or "": the
 * state directory itself), each component opened without following a
 * symbolic link, made 0700 when missing if create, and checked as root.
 * The descriptor, or -1 with err (EPERM: unsafe, ELOOP: a symbolic link).
 */
int statedir_dir(
    const char *state_dir, const char *rel, int create, struct err *err);

/*
 * Opens the file rel ("name" or "sub/name") inside state_dir with flags
 * and O_NOFOLLOW, its directories as statedir_dir (made when flags has
 * O_CREAT).  The descriptor, or -1 with err.
 */
int statedir_open(const char *state_dir, const char *rel, int flags,
    unsigned mode, struct err *err);

#endif
