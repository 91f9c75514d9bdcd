/*
 * check_hooks.c - the checks of "sakimori check" that live in their own
 * modules (beyond the built-in rules of src/rules): each is one function
 * in hooks[] below, called after the built-in rules with the same snapshot
 * and report.  A hook whose check is disabled in the configuration is not
 * called; a hook that fails adds an UNKNOWN finding saying why.
 * Add a hook with one line in hooks[] (this file merges by union).
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/finding.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/cmd_net.h"
#include "collect/snap.h"
#include "disk/check.h"
#include "inv/inventory.h"
#include "rules/net_flood.h"

static int
hook_inventory(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	struct inv_opts o = {0};

	(void)s;
	if (cli_state_dir(cli) == -1)
		return err_set(err, 0, "no state directory");
	o.root = cli->root;
	o.location = conf_setting(&cli->conf, "location", NULL);
	o.rack = conf_setting(&cli->conf, "rack", NULL);
	o.owner = conf_setting(&cli->conf, "owner", NULL);
	return inv_check(&o, cli->state_dir, r, err);
}

/* Usage samples on every run; "full in N days" from their trend. */
static int
hook_fs_forecast(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	if (cli_state_dir(cli) == -1)
		return err_set(err, 0, "no state directory");
	return disk_check_forecast(
	    &cli->conf, cli->state_dir, &s->mounts, s->now, r, err);
}

/* Daily: kernel-log disk errors since the last daily run. */
static int
hook_disk_errors(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	if (!cli->daily)
		return 0;
	if (cli_state_dir(cli) == -1)
		return err_set(err, 0, "no state directory");
	return disk_check_klog(cli->root, cli->state_dir, s->now, r, err);
}

/* Daily: each mounted filesystem's recorded error state. */
static int
hook_fs_errors(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	(void)err;
	if (cli->daily)
		disk_check_fsstate(cli->root, &s->mounts, s->now, r);
	return 0;
}

static int
hook_conn_flood(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	size_t from = r->nf;

	if (rules_net_flood(
	        &cli->conf, s, cli->root, RULES_CONN_FLOOD, r, err) == -1)
		return -1;
	return cmd_net_flood_act(cli, r, from, err); /* action block */
}

static int
hook_conn_flood_prefix(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	return rules_net_flood(
	    &cli->conf, s, cli->root, RULES_CONN_FLOOD_PREFIX, r, err);
}

static int
hook_syn_flood(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	return rules_net_flood(
	    &cli->conf, s, cli->root, RULES_SYN_FLOOD, r, err);
}

static int
hook_web_conn_share(
    struct cli *cli, const struct snap *s, struct report *r, struct err *err)
{
	return rules_net_flood(
	    &cli->conf, s, cli->root, RULES_WEB_CONN_SHARE, r, err);
}

static const struct {
	const char *check; /* the check's name in src/conf/schema.c */
	int (*fn)(
	    struct cli *, const struct snap *, struct report *, struct err *);
} hooks[] = {
    {"inventory", hook_inventory},
    {"fs-full-forecast", hook_fs_forecast},
    {"disk-errors", hook_disk_errors},
    {"fs-errors", hook_fs_errors},
    {"conn-flood", hook_conn_flood},
    {"conn-flood-prefix", hook_conn_flood_prefix},
    {"syn-flood", hook_syn_flood},
    {"web-conn-share", hook_web_conn_share},
};

void
check_hooks_run(struct cli *cli, const struct snap *s, struct report *r)
{
	for (size_t i = 0; i < countof(hooks); i++) {
		struct threshold t;
		struct err err = {0};

		conf_threshold(&cli->conf, hooks[i].check, NULL, &t);
		if (!t.enabled)
			continue;
		if (hooks[i].fn(cli, s, r, &err) == -1)
			report_add(r, SEV_UNKNOWN, hooks[i].check,
			    hooks[i].check, "%s",
			    err.msg[0] ? err.msg : "failed");
	}
}
