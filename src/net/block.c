/*
 * block.c - blocking with policy, record, backends and audit (see block.h).
 */
#include "net/block.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "act/audit.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/hmap.h"
#include "base/mem.h"
#include "base/timeutil.h"
#include "net/allow.h"
#include "net/ban.h"
#include "net/nft.h"
#include "net/route.h"
#include "store/store.h"

static const char *const status_names[] = {
    [NET_BLOCK_DONE] = "done",
    [NET_BLOCK_EXTENDED] = "extended",
    [NET_BLOCK_REFUSED] = "refused",
    [NET_BLOCK_FAILED] = "failed",
    [NET_BLOCK_DRYRUN] = "dry-run",
    [NET_BLOCK_ABSENT] = "not-blocked",
};

const char *
net_block_status_name(enum net_block_status st)
{
	return (unsigned)st <= NET_BLOCK_ABSENT ? status_names[st] : "?";
}

void
net_block_conf_init(struct net_block_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->backend = "route";
	c->kind = "blackhole";
	c->broad4 = 16;
	c->broad6 = 32;
	c->max_active = 10000;
	c->repeat_factor = 2;
	c->max_duration = 30 * 86400;
	c->by = "user:?";
}

/* The kernel side, opened when first needed. */
struct backends {
	struct net_rt rt;
	int rt_ok;
	struct net_nft nft;
	int nft_ok;
};

static int
be_route(struct backends *b, struct err *err)
{
	if (!b->rt_ok) {
		if (net_rt_open(&b->rt, err) == -1)
			return -1;
		b->rt_ok = 1;
	}
	return 0;
}

static int
be_nft(struct backends *b, struct err *err)
{
	if (!b->nft_ok) {
		if (net_nft_open(&b->nft, err) == -1)
			return -1;
		if (net_nft_setup(&b->nft, err) == -1) {
			net_nft_close(&b->nft);
			return -1;
		}
		b->nft_ok = 1;
	}
	return 0;
}

static void
be_close(struct backends *b)
{
	if (b->rt_ok)
		net_rt_close(&b->rt);
	if (b->nft_ok)
		net_nft_close(&b->nft);
}

/* Applies (add=1) or removes one block with its own backend and kind. */
static int
be_apply(struct backends *b, const char *backend, const char *kind,
    const struct net_prefix *p, uint64_t timeout, int add, struct err *err)
{
	if (strcmp(backend, "nftables") == 0) {
		if (be_nft(b, err) == -1)
			return -1;
		return net_nft_block(&b->nft, p, &timeout, 1, add, err);
	}
	if (be_route(b, err) == -1)
		return -1;
	return net_rt_block(&b->rt, p, kind, add, err);
}

/*
 * Audit entries of one call, written with one fsync at the end (10,000
 * blocks would otherwise wait for 10,000 syncs).  Strings are copied.
 */
struct abatch {
	struct audit_entry *v;
	size_t n, cap;
};

static char *
dupstr(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static void
audit(struct abatch *ab, const struct net_block_conf *c, const char *action,
    const struct net_prefix *p, const char *reason, const char *result)
{
	char target[NET_PREFIX_STRLEN];
	struct audit_entry *e;

	if (mem_grow(&ab->v, &ab->cap, ab->n + 1, sizeof(*ab->v)) == -1)
		return;
	net_prefix_format_len(p, target, sizeof(target));
	e = &ab->v[ab->n];
	e->action = action; /* static strings */
	e->who = dupstr(c->by);
	e->target = dupstr(target);
	e->reason = dupstr(reason);
	e->result = dupstr(result);
	if (e->who == NULL || e->target == NULL || e->reason == NULL ||
	    e->result == NULL) {
		free((char *)e->who);
		free((char *)e->target);
		free((char *)e->reason);
		free((char *)e->result);
		return;
	}
	ab->n++;
}

/*
 * Writes the batch (and frees it).  The record in the database stands
 * even when the log cannot be written: the caller reports the failure.
 * 0, or NET_BLOCK_UNAUDITED with err.
 */
static int
audit_flush(struct abatch *ab, const struct net_block_conf *c, struct err *err)
{
	int rc = 0;

	if (audit_log_many(c->state_dir, ab->v, ab->n, err) == -1) {
		err_prefix(err, "not recorded in the audit log");
		rc = NET_BLOCK_UNAUDITED;
	}
	for (size_t i = 0; i < ab->n; i++) {
		free((char *)ab->v[i].who);
		free((char *)ab->v[i].target);
		free((char *)ab->v[i].reason);
		free((char *)ab->v[i].result);
	}
	free(ab->v);
	memset(ab, 0, sizeof(*ab));
	return rc;
}

/*
 * The end of a run: writes its audit batch and closes the backends.  rc,
 * or audit_flush's when rc is 0 (a run that failed keeps its own error).
 */
static int
finish(struct abatch *ab, struct backends *be, const struct net_block_conf *c,
    int rc, struct err *err)
{
	struct err e3 = {0};

	if (rc == 0)
		rc = audit_flush(ab, c, err);
	else
		audit_flush(ab, c, &e3);
	be_close(be);
	return rc;
}

/* Before anything is done: the audit log takes appends.  0 or EAUDIT. */
static int
audit_ready(const struct net_block_conf *c, struct err *err)
{
	if (audit_check(c->state_dir, err) == -1) {
		err_prefix(err,
		    "the audit log cannot be written, so nothing "
		    "is done");
		return NET_BLOCK_EAUDIT;
	}
	return 0;
}

uint64_t
net_block_repeat_secs(
    const struct net_block_conf *c, uint64_t secs, uint64_t earlier)
{
	double d = (double)secs;

	if (secs == 0 || c->repeat_factor <= 1)
		return secs;
	for (uint64_t i = 0; i < earlier && d < (double)c->max_duration; i++)
		d *= c->repeat_factor;
	if (c->max_duration != 0 && d > (double)c->max_duration)
		d = (double)(c->max_duration > secs ? c->max_duration : secs);
	if (d > (double)NET_BLOCK_MAX_SECS)
		d = (double)NET_BLOCK_MAX_SECS;
	return (uint64_t)d;
}

/*
 * The allow-list's verdict on p, for a block and for its restore alike:
 * 0 allowed, -1 refused (msg says why).
 */
static int
allow_refusal(const struct net_allow *allow, const struct net_prefix *p,
    char *msg, size_t msgsz)
{
	const struct net_allow_entry *a = net_allow_match(allow, p);
	char txt[NET_PREFIX_STRLEN], other[NET_PREFIX_STRLEN];

	if (a == NULL)
		return 0;
	net_prefix_format(p, txt, sizeof(txt));
	net_prefix_format(&a->p, other, sizeof(other));
	if (net_prefix_equal(&a->p, p))
		snprintf(msg, msgsz, "refused: %s is never blocked: it is %s",
		    txt, a->why);
	else if (net_prefix_contains(&a->p, p))
		snprintf(msg, msgsz,
		    "refused: %s lies inside %s, which is never blocked: %s",
		    txt, other, a->why);
	else
		snprintf(msg, msgsz,
		    "refused: %s contains %s, which is never blocked: %s", txt,
		    other, a->why);
	return -1;
}

/* Policy of one item; 0 accepted, -1 refused (msg set). */
static int
policy(const struct net_allow *allow, const struct net_block_conf *c,
    struct net_block_item *it)
{
	char txt[NET_PREFIX_STRLEN];
	unsigned broad = it->p.family == AF_INET ? c->broad4 : c->broad6;

	if (allow_refusal(allow, &it->p, it->msg, sizeof(it->msg)) == -1)
		return -1;
	net_prefix_format(&it->p, txt, sizeof(txt));
	if (it->secs > NET_BLOCK_MAX_SECS) {
		snprintf(it->msg, sizeof(it->msg),
		    "refused: %s: a block lasts at most 3650d (about ten "
		    "years), or forever",
		    txt);
		return -1;
	}
	if (it->p.len < broad && !c->force) {
		snprintf(it->msg, sizeof(it->msg),
		    "refused: %s is broader than /%u; give --force to block "
		    "it anyway",
		    txt, broad);
		return -1;
	}
	return 0;
}

/*
 * Adds the nftables elements of the accepted items in one command.
 * Returns a malloc'd flag per item (1: applied), or NULL when there was
 * nothing to batch or the batch failed (then each is tried alone).
 */
static char *
nft_batch(struct backends *be, const struct net_block_conf *c,
    const struct net_block_item *items, const struct net_ban *bans, size_t n,
    time_t now)
{
	struct net_prefix *p = calloc(n + 1, sizeof(*p));
	uint64_t *to = calloc(n + 1, sizeof(*to));
	char *done = calloc(n + 1, 1);
	struct err e2 = {0};
	size_t k = 0;

	if (c->dry_run || p == NULL || to == NULL || done == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if ((items[i].status != NET_BLOCK_DONE &&
		        items[i].status != NET_BLOCK_EXTENDED) ||
		    strcmp(bans[i].backend, "nftables") != 0)
			continue;
		p[k] = items[i].p;
		to[k++] =
		    items[i].until != 0 ? (uint64_t)(items[i].until - now) : 0;
		done[i] = 1;
	}
	if (k < 2 || be_nft(be, &e2) == -1 ||
	    net_nft_block(&be->nft, p, to, k, 1, &e2) == -1)
		goto fail;
	free(p);
	free(to);
	return done;
fail:
	free(p);
	free(to);
	free(done);
	return NULL;
}

/*
 * nftables keeps no two overlapping intervals in a set: after a failed
 * add, names the active nftables block that p overlaps, if any.
 */
static void
overlap_note(
    struct store *s, const struct net_prefix *p, char *msg, size_t msgsz)
{
	struct net_ban *b;
	struct err e2 = {0};
	size_t n, len = strlen(msg);

	if (net_ban_list(s, 0, &b, &n, &e2) == -1)
		return;
	for (size_t i = 0; i < n; i++) {
		char other[NET_PREFIX_STRLEN];

		if (strcmp(b[i].backend, "nftables") != 0 ||
		    net_prefix_equal(&b[i].prefix, p) ||
		    !net_prefix_overlaps(&b[i].prefix, p))
			continue;
		net_prefix_format_len(&b[i].prefix, other, sizeof(other));
		if (net_prefix_contains(&b[i].prefix, p))
			snprintf(msg + len, msgsz - len,
			    " (it lies inside %s, which is blocked already)",
			    other);
		else
			snprintf(msg + len, msgsz - len,
			    " (it overlaps %s, which is blocked already: "
			    "unblock that first)",
			    other);
		break;
	}
	free(b);
}

int
net_block_add(struct store *s, const struct net_allow *allow,
    const struct net_block_conf *c, struct net_block_item *items, size_t n,
    struct err *err)
{
	struct backends be = {0};
	struct abatch ab = {0};
	struct net_ban *bans;
	char *batched = NULL;
	int64_t active;
	time_t now = time(NULL);
	char until[40], txt[NET_PREFIX_STRLEN];
	int rc;

	if (net_ban_migrate(s, err) == -1)
		return -1;
	if (audit_ready(c, err) != 0)
		return NET_BLOCK_EAUDIT;
	if ((active = net_ban_count_active(s, err)) < 0)
		return -1;
	if ((bans = calloc(n != 0 ? n : 1, sizeof(*bans))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if (!c->dry_run && store_begin(s, err) == -1) {
		free(bans);
		return -1;
	}
	/* 1: check and record, before anything is applied */
	for (size_t i = 0; i < n; i++) {
		struct net_block_item *it = &items[i];
		struct net_ban *b = &bans[i];
		int64_t earlier;
		int found;
		uint64_t secs;

		it->status = NET_BLOCK_REFUSED;
		if (policy(allow, c, it) == -1)
			continue;
		found = net_ban_find_active(s, &it->p, b, err);
		if (found == -1)
			goto dberr;
		if ((earlier = net_ban_history(s, &it->p, err)) < 0)
			goto dberr;
		it->repeat = (uint64_t)earlier;
		secs = net_block_repeat_secs(c, it->secs, (uint64_t)earlier);
		it->until = secs != 0 ? now + (time_t)secs : 0;
		if (found == 0) {
			/* already blocked: keep the later expiry */
			if (b->until != 0 &&
			    (it->until == 0 || it->until > b->until)) {
				if (!c->dry_run &&
				    net_ban_extend(s, b->id, it->until, err) ==
				        -1)
					goto dberr;
				b->until = it->until;
			}
			it->until = b->until;
			it->status =
			    c->dry_run ? NET_BLOCK_DRYRUN : NET_BLOCK_EXTENDED;
			continue;
		}
		if ((uint64_t)active >= c->max_active) {
			snprintf(it->msg, sizeof(it->msg),
			    "refused: %lld blocks are active, the cap is %u "
			    "(block-max-active)",
			    (long long)active, c->max_active);
			continue;
		}
		memset(b, 0, sizeof(*b));
		b->prefix = it->p;
		snprintf(b->backend, sizeof(b->backend), "%s", c->backend);
		snprintf(b->kind, sizeof(b->kind), "%s",
		    strcmp(c->backend, "nftables") == 0 ? "drop" : c->kind);
		b->since = now;
		b->until = it->until;
		snprintf(b->reason, sizeof(b->reason), "%s",
		    it->reason != NULL ? it->reason : "");
		snprintf(b->by, sizeof(b->by), "%s", c->by);
		if (!c->dry_run && net_ban_insert(s, b, err) == -1)
			goto dberr;
		active++;
		it->status = c->dry_run ? NET_BLOCK_DRYRUN : NET_BLOCK_DONE;
	}
	if (!c->dry_run && store_commit(s, err) == -1)
		goto dberr;

	/* 2: apply what was recorded (again for extended: idempotent);
	   nftables elements in one transaction, one by one if it fails */
	batched = nft_batch(&be, c, items, bans, n, now);
	for (size_t i = 0; i < n; i++) {
		struct net_block_item *it = &items[i];
		struct net_ban *b = &bans[i];
		struct err e2 = {0};
		char reason[400];
		int extended = it->status == NET_BLOCK_EXTENDED;

		if (it->status == NET_BLOCK_REFUSED ||
		    it->status == NET_BLOCK_DRYRUN) {
			if (it->status == NET_BLOCK_DRYRUN) {
				time_iso_or(
				    until, sizeof(until), it->until, "never");
				net_prefix_format_len(&it->p, txt, sizeof(txt));
				snprintf(it->msg, sizeof(it->msg),
				    "would block %s until %s (%s)", txt, until,
				    c->backend);
			}
			audit(&ab, c, "block", &it->p, it->reason,
			    it->status == NET_BLOCK_DRYRUN ? "dry-run"
			                                   : it->msg);
			continue;
		}
		time_iso_or(until, sizeof(until), it->until, "never");
		snprintf(reason, sizeof(reason), "%s%suntil %s%s",
		    it->reason != NULL ? it->reason : "",
		    it->reason != NULL && it->reason[0] ? "; " : "", until,
		    it->repeat > 0 ? ", repeat offender" : "");
		if ((batched == NULL || !batched[i]) &&
		    be_apply(&be, b->backend, b->kind, &it->p,
		        it->until != 0 ? (uint64_t)(it->until - now) : 0, 1,
		        &e2) == -1) {
			it->status = NET_BLOCK_FAILED;
			str_printf(
			    it->msg, sizeof(it->msg), "failed: %s", e2.msg);
			it->err_code = e2.code;
			if (strcmp(b->backend, "nftables") == 0)
				overlap_note(
				    s, &it->p, it->msg, sizeof(it->msg));
			/* a new record failed; an extended one stays for
			   restore to retry */
			if (b->id != 0 && !extended &&
			    net_ban_end(s, b->id, NET_BAN_FAILED, now, c->by,
			        e2.msg, err) == -1) {
				finish(&ab, &be, c, -1, err);
				free(bans);
				free(batched);
				return -1;
			}
			audit(&ab, c, "block", &it->p, reason, it->msg);
			continue;
		}
		net_prefix_format_len(&it->p, txt, sizeof(txt));
		snprintf(it->msg, sizeof(it->msg), "%s %s until %s (%s %s)",
		    it->status == NET_BLOCK_EXTENDED ? "already blocked:"
		                                     : "blocked",
		    txt, until, b->backend, b->kind);
		audit(&ab, c, "block", &it->p, reason, "ok");
	}
	rc = finish(&ab, &be, c, 0, err);
	free(bans);
	free(batched);
	return rc;
dberr:
	if (!c->dry_run)
		store_rollback(s);
	finish(&ab, &be, c, -1, err);
	free(bans);
	return -1;
}

int
net_block_remove(struct store *s, const struct net_block_conf *c,
    struct net_block_item *items, size_t n, struct err *err)
{
	struct backends be = {0};
	struct abatch ab = {0};
	time_t now = time(NULL);
	int rc = 0;

	if (net_ban_migrate(s, err) == -1)
		return -1;
	if (audit_ready(c, err) != 0)
		return NET_BLOCK_EAUDIT;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct net_block_item *it = &items[i];
		struct net_ban b;
		struct err e2 = {0};
		char txt[NET_PREFIX_STRLEN];
		int found;

		net_prefix_format(&it->p, txt, sizeof(txt));
		found = net_ban_find_active(s, &it->p, &b, err);
		if (found == -1) {
			rc = -1;
			break;
		}
		if (found == 1) {
			it->status = NET_BLOCK_ABSENT;
			snprintf(it->msg, sizeof(it->msg),
			    "%s is not blocked (see 'sakimori net bans')", txt);
			continue;
		}
		if (c->dry_run) {
			it->status = NET_BLOCK_DRYRUN;
			snprintf(it->msg, sizeof(it->msg),
			    "would unblock %s (%s %s)", txt, b.backend, b.kind);
			audit(&ab, c, "unblock", &it->p, it->reason, "dry-run");
			continue;
		}
		if (be_apply(&be, b.backend, b.kind, &it->p, 0, 0, &e2) == -1) {
			it->status = NET_BLOCK_FAILED;
			str_printf(
			    it->msg, sizeof(it->msg), "failed: %s", e2.msg);
			audit(&ab, c, "unblock", &it->p, it->reason, it->msg);
			continue;
		}
		if (net_ban_end(s, b.id, NET_BAN_REMOVED, now, c->by,
		        it->reason, err) == -1) {
			/* removed from the kernel, but not from the record:
			   restore would put it back; say so */
			audit(&ab, c, "unblock", &it->p, it->reason,
			    "removed, but the record could not be updated");
			rc = -1;
			break;
		}
		it->status = NET_BLOCK_DONE;
		snprintf(it->msg, sizeof(it->msg), "unblocked %s", txt);
		audit(&ab, c, "unblock", &it->p, it->reason, "ok");
	}
	rc = finish(&ab, &be, c, rc, err);
	return rc;
}

/* Routes of ours that no active route block explains are stale. */
struct stale_ctx {
	struct hmap active; /* struct net_prefix of active route blocks */
	struct net_prefix *stale;
	size_t n, cap;
};

static int
stale_cb(const struct net_rt_info *ri, void *arg)
{
	struct stale_ctx *c = arg;

	if (ri->protocol != NET_RTPROT)
		return 0;
	if (hmap_get(&c->active, &ri->dst, sizeof(ri->dst)) != NULL)
		return 0;
	if (mem_grow(&c->stale, &c->cap, c->n + 1, sizeof(*c->stale)) == -1)
		return ENOMEM;
	c->stale[c->n++] = ri->dst;
	return 0;
}

static void
note_error(struct net_restore_stats *st, const char *msg)
{
	st->failed++;
	if (st->first_error[0] == '\0')
		str_copy(st->first_error, sizeof(st->first_error), msg);
}

static const char *
rt_kind_name(int type)
{
	switch (type) {
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	default:
		return "blackhole";
	}
}

struct kind_ctx {
	struct net_prefix *stale;
	size_t n;
	int *types;
};

static int
kind_cb(const struct net_rt_info *ri, void *arg)
{
	struct kind_ctx *k = arg;

	if (ri->protocol != NET_RTPROT)
		return 0;
	for (size_t i = 0; i < k->n; i++)
		if (net_prefix_equal(&k->stale[i], &ri->dst))
			k->types[i] = ri->type;
	return 0;
}

/* Notes an active block the allow-list now refuses; 0 or ENOMEM. */
static int
note_skip(
    struct net_restore_stats *st, const struct net_prefix *p, const char *msg)
{
	st->skipped++;
	if (st->nskip >= NET_RESTORE_SKIP_MAX)
		return 0;
	if (st->skip == NULL &&
	    (st->skip = calloc(NET_RESTORE_SKIP_MAX, sizeof(*st->skip))) ==
	        NULL)
		return ENOMEM;
	st->skip[st->nskip].p = *p;
	snprintf(st->skip[st->nskip].msg, sizeof(st->skip[st->nskip].msg), "%s",
	    msg);
	st->nskip++;
	return 0;
}

void
net_restore_stats_release(struct net_restore_stats *st)
{
	free(st->skip);
	st->skip = NULL;
	st->nskip = 0;
}

int
net_block_restore(struct store *s, const struct net_allow *allow,
    const struct net_block_conf *c, time_t now, struct net_restore_stats *st,
    struct err *err)
{
	struct backends be = {0};
	struct abatch ab = {0};
	struct net_ban *bans = NULL;
	struct stale_ctx sc = {0};
	size_t nb = 0, nnft = 0;
	struct net_prefix *np = NULL;
	uint64_t *nto = NULL;
	char *skip = NULL, msg[400];
	int rc = -1, any_nft = 0;

	memset(st, 0, sizeof(*st));
	hmap_init(&sc.active);
	if (net_ban_migrate(s, err) == -1)
		goto out;
	if (audit_ready(c, err) != 0) {
		rc = NET_BLOCK_EAUDIT;
		goto out;
	}
	if (net_ban_list(s, 0, &bans, &nb, err) == -1)
		goto out;
	if ((np = calloc(nb + 1, sizeof(*np))) == NULL ||
	    (nto = calloc(nb + 1, sizeof(*nto))) == NULL ||
	    (skip = calloc(nb + 1, 1)) == NULL) {
		err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nb; i++) {
		struct net_ban *b = &bans[i];
		struct err e2 = {0};
		int created;

		if (strcmp(b->backend, "nftables") == 0)
			any_nft = 1;
		if (b->until != 0 && b->until <= now) {
			/* time is up */
			st->expired++;
			if (!c->dry_run) {
				if (be_apply(&be, b->backend, b->kind,
				        &b->prefix, 0, 0, &e2) == -1)
					note_error(st, e2.msg);
				if (net_ban_end(s, b->id, NET_BAN_EXPIRED, now,
				        "expiry", "", err) == -1)
					goto out;
			}
			audit(&ab, c, "expire", &b->prefix, b->reason,
			    c->dry_run ? "dry-run" : "ok");
			b->id = 0; /* not active any more */
			continue;
		}
		if (allow_refusal(allow, &b->prefix, msg, sizeof(msg)) == -1) {
			/* kept on record, not applied; its route (a kernel
			   entry of an active block) is removed below */
			if (note_skip(st, &b->prefix, msg) != 0) {
				err_set(err, ENOMEM, "out of memory");
				goto out;
			}
			audit(&ab, c, "restore", &b->prefix, b->reason,
			    c->dry_run ? "dry-run" : msg);
			skip[i] = 1;
		}
		if (skip[i] && strcmp(b->backend, "nftables") == 0)
			continue; /* the set is refilled without it */
		if (strcmp(b->backend, "nftables") == 0) {
			np[nnft] = b->prefix;
			nto[nnft++] =
			    b->until != 0 ? (uint64_t)(b->until - now) : 0;
		} else if (hmap_put(&sc.active, &b->prefix, sizeof(b->prefix),
		               &created) == NULL) {
			err_set(err, ENOMEM, "out of memory");
			goto out;
		}
	}
	if (c->dry_run) {
		st->applied = nb - st->expired - st->skipped;
		rc = 0;
		goto out;
	}
	/* routes: remove stale ones of ours, then add every active one */
	{
		struct err e2 = {0};

		if (be_route(&be, &e2) == -1) {
			note_error(st, e2.msg);
		} else {
			int r =
			    net_rt_dump(&be.rt, AF_INET, stale_cb, &sc, &e2);

			if (r == 0)
				r = net_rt_dump(
				    &be.rt, AF_INET6, stale_cb, &sc, &e2);
			if (r != 0)
				note_error(
				    st, r == ENOMEM ? "out of memory" : e2.msg);
			if (sc.n > 0) {
				int *types = calloc(sc.n, sizeof(*types));
				struct kind_ctx k = {sc.stale, sc.n, types};

				if (types != NULL) {
					net_rt_dump(
					    &be.rt, AF_INET, kind_cb, &k, &e2);
					net_rt_dump(
					    &be.rt, AF_INET6, kind_cb, &k, &e2);
				}
				for (size_t i = 0; i < sc.n; i++) {
					struct err e3 = {0};
					const char *kind = rt_kind_name(
					    types != NULL ? types[i]
					                  : RTN_BLACKHOLE);

					if (net_rt_block(&be.rt, &sc.stale[i],
					        kind, 0, &e3) == -1)
						note_error(st, e3.msg);
					else
						st->stale++;
					audit(&ab, c, "unblock", &sc.stale[i],
					    "stale: no active block in the "
					    "state database",
					    e3.msg[0] ? e3.msg : "ok");
				}
				free(types);
			}
		}
	}
	for (size_t i = 0; i < nb; i++) {
		struct net_ban *b = &bans[i];
		struct err e2 = {0};

		if (b->id == 0 || strcmp(b->backend, "nftables") == 0)
			continue;
		if (be_apply(&be, b->backend, b->kind, &b->prefix, 0, !skip[i],
		        &e2) == -1)
			note_error(st, e2.msg);
		else if (!skip[i])
			st->applied++;
	}
	/* nftables: exactly the active set, with the time each has left */
	if (any_nft || nnft > 0) {
		struct err e2 = {0};

		if (be_nft(&be, &e2) == -1 ||
		    net_nft_flush(&be.nft, &e2) == -1 ||
		    net_nft_block(&be.nft, np, nto, nnft, 1, &e2) == -1)
			note_error(st, e2.msg);
		else
			st->applied += nnft;
	}
	rc = 0;
out:
	rc = finish(&ab, &be, c, rc, err);
	hmap_release(&sc.active);
	free(sc.stale);
	free(bans);
	free(np);
	free(nto);
	free(skip);
	return rc;
}
