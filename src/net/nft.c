/*
 * nft.c - the nftables backend of blocking (see nft.h).
 *
 * libnftables (with libnftnl, libxtables, libgmp and more behind it) is
 * loaded with dlopen when the backend is first used, not at start-up:
 * every other command would otherwise pay for mapping and relocating
 * those libraries (a few milliseconds each run).  The header is still
 * the library's own, so the function types are checked at build time.
 */
#include "net/nft.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <nftables/libnftables.h>

#include "base/err.h"
#include "base/strbuf.h"

/* The soname of the libnftables the build is made against (Debian 12). */
#ifndef NET_NFT_SONAME
#define NET_NFT_SONAME "libnftables.so.1"
#endif

static struct {
	void *h;
	__typeof__(nft_ctx_new) *ctx_new;
	__typeof__(nft_ctx_free) *ctx_free;
	__typeof__(nft_ctx_buffer_output) *buffer_output;
	__typeof__(nft_ctx_buffer_error) *buffer_error;
	__typeof__(nft_ctx_get_error_buffer) *get_error_buffer;
	__typeof__(nft_run_cmd_from_buffer) *run_cmd_from_buffer;
} lib;

static int
sym(void **dst, const char *name, struct err *err)
{
	if ((*dst = dlsym(lib.h, name)) == NULL)
		return err_set(
		    err, ENOSYS, "%s has no %s", NET_NFT_SONAME, name);
	return 0;
}

/* Loads libnftables once.  0, or -1 with err. */
static int
lib_load(struct err *err)
{
	const char *e;

	if (lib.run_cmd_from_buffer != NULL)
		return 0;
	if (lib.h == NULL &&
	    (lib.h = dlopen(NET_NFT_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		return err_set(err, ENOSYS,
		    "the nftables backend needs %s (Debian package "
		    "libnftables1): %s",
		    NET_NFT_SONAME, e != NULL ? e : "cannot load it");
	}
	if (sym((void **)&lib.ctx_new, "nft_ctx_new", err) == -1 ||
	    sym((void **)&lib.ctx_free, "nft_ctx_free", err) == -1 ||
	    sym((void **)&lib.buffer_output, "nft_ctx_buffer_output", err) ==
	        -1 ||
	    sym((void **)&lib.buffer_error, "nft_ctx_buffer_error", err) ==
	        -1 ||
	    sym((void **)&lib.get_error_buffer, "nft_ctx_get_error_buffer",
	        err) == -1 ||
	    sym((void **)&lib.run_cmd_from_buffer, "nft_run_cmd_from_buffer",
	        err) == -1) {
		lib.run_cmd_from_buffer = NULL;
		return -1;
	}
	return 0;
}

int
net_nft_open(struct net_nft *n, struct err *err)
{
	n->ctx = NULL;
	if (lib_load(err) == -1)
		return -1;
	n->ctx = lib.ctx_new(NFT_CTX_DEFAULT);
	if (n->ctx == NULL)
		return err_set(
		    err, ENOMEM, "cannot create an nftables context");
	lib.buffer_output(n->ctx);
	lib.buffer_error(n->ctx);
	return 0;
}

void
net_nft_close(struct net_nft *n)
{
	if (n->ctx != NULL)
		lib.ctx_free(n->ctx);
	n->ctx = NULL;
}

/*
 * nft's message for a message of ours: the first line of its error
 * buffer ("Error: interval overlaps with an existing one"), cut.  The
 * library hands the buffer out once (reading it empties it), so each
 * failure reads it exactly once, here.
 */
static int
nft_err(const char *e, struct err *err, const char *what)
{
	size_t len = 0;

	if (e == NULL || e[0] == '\0')
		e = "no message from nftables";
	if (strncmp(e, "Error: ", 7) == 0)
		e += 7;
	while (e[len] != '\0' && e[len] != '\n' && len < 300)
		len++;
	if (strstr(e, "Operation not permitted") != NULL)
		return err_set(err, EPERM,
		    "nftables: cannot %s: %.*s (needs root or CAP_NET_ADMIN)",
		    what, (int)len, e);
	return err_set(
	    err, EIO, "nftables: cannot %s: %.*s", what, (int)len, e);
}

static int
run(struct net_nft *n, const char *cmd, const char *what, struct err *err)
{
	if (lib.run_cmd_from_buffer(n->ctx, cmd) != 0)
		return nft_err(lib.get_error_buffer(n->ctx), err, what);
	return 0;
}

int
net_nft_setup(struct net_nft *n, struct err *err)
{
	static const char cmd[] =
	    "add table inet " NET_NFT_TABLE "\n"
	    "add set inet " NET_NFT_TABLE " block4 { type ipv4_addr; flags "
	    "interval, timeout; }\n"
	    "add set inet " NET_NFT_TABLE " block6 { type ipv6_addr; flags "
	    "interval, timeout; }\n"
	    "add chain inet " NET_NFT_TABLE " input { type filter hook input "
	    "priority -10; policy accept; }\n"
	    "add chain inet " NET_NFT_TABLE " forward { type filter hook "
	    "forward priority -10; policy accept; }\n"
	    "add chain inet " NET_NFT_TABLE " output { type filter hook "
	    "output priority -10; policy accept; }\n"
	    "flush chain inet " NET_NFT_TABLE " input\n"
	    "flush chain inet " NET_NFT_TABLE " forward\n"
	    "flush chain inet " NET_NFT_TABLE " output\n"
	    "add rule inet " NET_NFT_TABLE " input ip saddr @block4 drop\n"
	    "add rule inet " NET_NFT_TABLE " input ip6 saddr @block6 drop\n"
	    "add rule inet " NET_NFT_TABLE " forward ip saddr @block4 drop\n"
	    "add rule inet " NET_NFT_TABLE " forward ip6 saddr @block6 drop\n"
	    "add rule inet " NET_NFT_TABLE " forward ip daddr @block4 drop\n"
	    "add rule inet " NET_NFT_TABLE " forward ip6 daddr @block6 drop\n"
	    "add rule inet " NET_NFT_TABLE " output ip daddr @block4 drop\n"
	    "add rule inet " NET_NFT_TABLE " output ip6 daddr @block6 drop\n";

	return run(n, cmd, "create table inet " NET_NFT_TABLE, err);
}

static int
add_elements(struct strbuf *sb, const struct net_prefix *p,
    const uint64_t *timeouts, size_t np, int family, int add)
{
	int first = 1;

	for (size_t i = 0; i < np; i++) {
		char txt[NET_PREFIX_STRLEN];

		if (p[i].family != family)
			continue;
		if (first &&
		    strbuf_printf(sb, "%s element inet %s %s { ",
		        add ? "add" : "delete", NET_NFT_TABLE,
		        family == AF_INET ? "block4" : "block6") == -1)
			return -1;
		net_prefix_format(&p[i], txt, sizeof(txt));
		if (strbuf_printf(sb, "%s%s", first ? "" : ", ", txt) == -1)
			return -1;
		if (add && timeouts != NULL && timeouts[i] != 0 &&
		    strbuf_printf(sb, " timeout %llus",
		        (unsigned long long)timeouts[i]) == -1)
			return -1;
		first = 0;
	}
	if (!first && strbuf_adds(sb, " }\n") == -1)
		return -1;
	return 0;
}

int
net_nft_block(struct net_nft *n, const struct net_prefix *p,
    const uint64_t *timeouts, size_t np, int add, struct err *err)
{
	struct strbuf sb = STRBUF_INIT(0);
	const char *e;
	int rc;

	if (np == 0)
		return 0;
	if (add_elements(&sb, p, timeouts, np, AF_INET, add) == -1 ||
	    add_elements(&sb, p, timeouts, np, AF_INET6, add) == -1) {
		strbuf_release(&sb);
		return err_set(err, ENOMEM, "nftables command too large");
	}
	rc = lib.run_cmd_from_buffer(n->ctx, strbuf_str(&sb));
	strbuf_release(&sb);
	if (rc == 0)
		return 0;
	e = lib.get_error_buffer(n->ctx);
	if (np == 1 && e != NULL) {
		if (add && strstr(e, "File exists") != NULL)
			return 0;
		if (!add && strstr(e, "No such file or directory") != NULL)
			return 0;
	}
	if (np == 1) {
		char txt[NET_PREFIX_STRLEN], what[NET_PREFIX_STRLEN + 32];

		net_prefix_format(&p[0], txt, sizeof(txt));
		snprintf(
		    what, sizeof(what), "%s %s", add ? "add" : "delete", txt);
		return nft_err(e, err, what);
	}
	return nft_err(
	    e, err, add ? "add set elements" : "delete set elements");
}

int
net_nft_flush(struct net_nft *n, struct err *err)
{
	return run(n,
	    "flush set inet " NET_NFT_TABLE " block4\n"
	    "flush set inet " NET_NFT_TABLE " block6\n",
	    "flush the block sets", err);
}
