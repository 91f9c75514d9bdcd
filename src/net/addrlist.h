/*
 * addrlist.h - the addresses and prefixes of one block or unblock
 * command: from the command line one by one, or from a file (or standard
 * input) with one per line, '#' starting a comment.  A malformed entry is
 * counted and passed to the caller's callback; the rest are kept.
 */
#ifndef NET_ADDRLIST_H
#define NET_ADDRLIST_H

#include <stddef.h>

#include "base/err.h"
#include "net/block.h"

/* At most this many addresses in one list. */
#define NET_ADDRLIST_MAX 1000000

struct net_addrlist {
	struct net_block_item *v;
	size_t n, cap;
	int bad; /* malformed entries */
};

/*
 * Called for a malformed entry: where is "FILE:LINE" (NULL for a
 * command-line argument), msg says what is wrong and quotes the input
 * (not escaped).
 */
typedef void (*net_addrlist_bad_fn)(
    void *arg, const char *where, const char *msg);

/*
 * Adds the address or prefix s (len bytes).  0 (added, or malformed:
 * counted and given to bad), or -1 with err (out of memory, or more
 * than NET_ADDRLIST_MAX entries: that one is counted as malformed too).
 */
int net_addrlist_add(struct net_addrlist *l, const char *s, size_t len,
    const char *where, net_addrlist_bad_fn bad, void *arg, struct err *err);

/*
 * Adds every entry of the file path ("-": standard input).  0, or -1
 * with err (the file cannot be read, or as net_addrlist_add).
 */
int net_addrlist_read(struct net_addrlist *l, const char *path,
    net_addrlist_bad_fn bad, void *arg, struct err *err);

void net_addrlist_release(struct net_addrlist *l);

#endif
