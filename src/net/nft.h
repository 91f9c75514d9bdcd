/*
 * nft.h - the nftables backend of blocking, through libnftables: the
 * table "inet sakimori" with the interval sets block4 and block6 (with
 * per-element timeouts, so the kernel itself drops an expired element)
 * and input, forward and output chains that drop traffic from and to the
 * sets' addresses.  Commands are built only from validated prefixes.
 */
#ifndef NET_NFT_H
#define NET_NFT_H

#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

struct err;
struct nft_ctx;

#define NET_NFT_TABLE "sakimori"

struct net_nft {
	struct nft_ctx *ctx;
};

int net_nft_open(struct net_nft *n, struct err *err);
void net_nft_close(struct net_nft *n);

/* Creates the table, sets and chains if missing (idempotent).  0 or -1. */
int net_nft_setup(struct net_nft *n, struct err *err);

/*
 * Adds (add=1, with timeout seconds, 0 for none) or deletes the elements
 * for the np prefixes in one transaction.  Adding an element that is
 * there, or deleting one that is not, is not an error when np is 1.
 * 0 or -1 with nft's message.
 */
int net_nft_block(struct net_nft *n, const struct net_prefix *p,
    const uint64_t *timeouts, size_t np, int add, struct err *err);

/* Empties both sets (restore then adds what is active).  0 or -1. */
int net_nft_flush(struct net_nft *n, struct err *err);

#endif
