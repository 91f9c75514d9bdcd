/*
 * agent_respond.c - the respond rules (net/respond.h) applied live: the
 * findings the followed logs' analyzers make (an auth brute force, a
 * web-attack or a 404 scan, a relay prober) and the checks' (a
 * connection flood) block their address through the
 * system's block action (act/act.h), whose allow-list, breadth limit and
 * cap always apply.  One decision per address and line; an address
 * already blocked is left as it is (its history comes from the state
 * database, so a repeat offender's block grows).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/act.h"
#include "agent/agent_int.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/respond.h"

/* Decisions about one line's findings, at most. */
#define RESPOND_LINE_MAX 64

struct agent_respond {
	struct respond_conf rc;
	struct respond_decision d[RESPOND_LINE_MAX];
	struct net_block_item items[RESPOND_LINE_MAX];
};

int
agent_respond_start(struct agent *a, struct err *err)
{
	struct agent_respond *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return err_set(err, ENOMEM, "out of memory");
	if (respond_conf_load(&r->rc, &a->conf, err) == -1) {
		free(r);
		return -1;
	}
	if (r->rc.n == 0) {
		free(r);
		return 0;
	}
	/* the blocks' table, for their history (the block makes it too) */
	if (a->have_store && net_ban_migrate(&a->st, err) == -1) {
		free(r);
		return -1;
	}
	a->respond = r;
	log_info("respond: %zu rule%s block the addresses findings name",
	    r->rc.n, r->rc.n == 1 ? "" : "s");
	return 0;
}

void
agent_respond_stop(struct agent *a)
{
	free(a->respond);
	a->respond = NULL;
}

/* Logs what became of each decision (the block's own audit has it too). */
static void
told(const struct respond_decision *d, size_t n,
    const struct net_block_item *items)
{
	for (size_t i = 0, k = 0; i < n; i++) {
		char dur[32] = "forever";
		const struct net_block_item *it;

		if (d[i].what != RESPOND_BLOCK) {
			log_info("respond: %s not blocked (%s%s%s): %s",
			    d[i].addr, respond_what_name(d[i].what),
			    d[i].why[0] ? ": " : "", d[i].why, d[i].reason);
			continue;
		}
		it = &items[k++];
		/* the duration with a repeat offender's growth, as the block
		 * made it (it->secs is the rule's) */
		if (d[i].secs != 0)
			dur_format(dur, sizeof(dur), d[i].secs);
		/* an action taken: always logged */
		if (it->status == NET_BLOCK_DONE ||
		    it->status == NET_BLOCK_EXTENDED)
			log_warnx("respond: blocked %s for %s: %s", d[i].addr,
			    dur, d[i].reason);
		else
			log_warnx("respond: %s not blocked: %s", d[i].addr,
			    it->msg[0] ? it->msg
			               : net_block_status_name(it->status));
	}
}

void
agent_respond(struct agent *a, const struct report *rep)
{
	struct agent_respond *r = a->respond;
	struct respond_past *past = NULL;
	size_t n, npast = 0, active = 0, nitems;
	struct err err = {0};
	int rc;

	if (r == NULL || rep->nf == 0)
		return;
	/* most findings are not the rules': no history needed for them */
	if (respond_decide(
	        &r->rc, rep, NULL, 0, 0, NULL, r->d, RESPOND_LINE_MAX) == 0)
		return;
	if (a->have_store &&
	    respond_history(&a->st, time(NULL), &past, &npast, &active, &err) ==
	        -1)
		log_warnx("respond: %s", err.msg);
	n = respond_decide(
	    &r->rc, rep, past, npast, active, NULL, r->d, RESPOND_LINE_MAX);
	free(past);
	nitems = respond_items(r->d, n, r->items);
	if (nitems > 0) {
		rc = a->act.block(
		    &a->act, r->items, nitems, "rule:respond", &err);
		if (rc < 0) {
			log_warnx("respond: %s", err.msg);
			return;
		}
	}
	told(r->d, n, r->items);
}
