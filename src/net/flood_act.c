/*
 * flood_act.c - conn-flood's block action (see flood_act.h): which
 * findings, for how long, and their outcome as evidence.
 */
#include "net/flood_act.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "act/act.h"
#include "base/err.h"
#include "base/finding.h"
#include "base/timeutil.h"
#include "conf/conf.h"
#include "net/addr.h"
#include "net/block.h"
#include "net/settings.h"

#define FLOOD_ACT_MAX 64

/* The action configured for conn-flood on port (its own block first). */
static const struct conf_node *
flood_block(const struct conf *c, const char *port, const char *key)
{
	const struct conf_node *b = conf_check(c, "conn-flood", port);

	if (conf_find(b, key) == NULL)
		b = conf_check(c, "conn-flood", NULL);
	return b;
}

/* The outcome of each blocked item into its finding's evidence. */
static void
flood_outcome(struct report *r, const size_t *idx,
    const struct net_block_item *items, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct finding *f = &r->f[idx[k]];
		char until[40];

		time_iso_or(until, sizeof(until), items[k].until, "");
		switch (items[k].status) {
		case NET_BLOCK_DONE:
		case NET_BLOCK_EXTENDED:
			finding_ev(f, "action", "%s until %s",
			    items[k].status == NET_BLOCK_DONE
			        ? "blocked"
			        : "block extended",
			    until);
			break;
		default:
			/* "refused: ..." and "failed: ..." say it themselves */
			finding_ev(f, "action", "%s", items[k].msg);
			break;
		}
	}
}

int
net_flood_act(const struct conf *c, const struct act_ops *act, struct report *r,
    size_t from, struct err *err)
{
	struct net_block_item items[FLOOD_ACT_MAX];
	char reasons[FLOOD_ACT_MAX][128];
	size_t idx[FLOOD_ACT_MAX], n = 0;
	int rc;

	for (size_t i = from; i < r->nf && n < FLOOD_ACT_MAX; i++) {
		struct finding *f = &r->f[i];
		const char *port = finding_ev_get(f, "port");
		const char *action;
		struct err perr = {0};
		double dflt;

		if (strcmp(f->check, "conn-flood") != 0 ||
		    f->sev != SEV_CRITICAL)
			continue;
		action =
		    conf_str(flood_block(c, port, "action"), "action", "none");
		if (strcmp(action, "none") == 0)
			continue;
		if (strcmp(action, "block") != 0)
			return err_set(err, EINVAL,
			    "conn-flood: action is 'block' or 'none', not '%s'",
			    action);
		memset(&items[n], 0, sizeof(items[n]));
		if (net_prefix_parse(f->subject, strlen(f->subject),
		        &items[n].p, &perr) == -1) {
			finding_ev(f, "action", "not blocked: %s", perr.msg);
			continue;
		}
		/* block-for, else block-duration, else an hour: a rule's
		 * block always ends by itself */
		dflt = conf_setting_num(c, "block-duration", 0);
		if (net_block_secs(conf_num(flood_block(c, port, "block-for"),
		                       "block-for", dflt > 0 ? dflt : 3600),
		        "conn-flood: block-for", &items[n].secs, err) == -1)
			return -1;
		if (items[n].secs == 0)
			items[n].secs = 3600;
		snprintf(reasons[n], sizeof(reasons[n]),
		    "conn-flood: %s connections to local port %s",
		    finding_ev_get(f, "count") ? finding_ev_get(f, "count")
		                               : "?",
		    port ? port : "?");
		items[n].reason = reasons[n];
		idx[n++] = i;
	}
	if (n == 0)
		return 0;
	if (act == NULL || act->state_dir == NULL)
		return err_set(err, 0, "conn-flood action: no state directory");
	rc = act->block(act, items, n, "rule:conn-flood", err);
	if (rc < 0 && rc != NET_BLOCK_UNAUDITED)
		return err_prefix(err, "conn-flood action block");
	flood_outcome(r, idx, items, n);
	if (rc == NET_BLOCK_UNAUDITED)
		return err_prefix(err, "conn-flood action block");
	return 0;
}
