/*
 * act.c - the system's actions behind act.h: blocks through net/block.c,
 * kills through act/kill.c, mail through act/mail.c.
 */
#include "act/act.h"

#include <stdlib.h>

#include "act/kill.h"
#include "act/mail.h"
#include "base/dynlib.h"
#include "base/err.h"
#include "net/allow.h"
#include "net/ban.h"
#include "net/block.h"
#include "net/settings.h"
#include "store/store.h"

static int
sys_block(const struct act_ops *a, struct net_block_item *items, size_t n,
    const char *by, struct err *err)
{
	struct net_block_conf bc;
	struct net_allow allow = {0};
	struct store st;
	int rc;

	if (a->state_dir == NULL)
		return err_set(err, 0, "no state directory");
	if (dynlib_require(DYNLIB_SQLITE3, err) == -1)
		return -1;
	if (net_block_conf_load(&bc, a->conf, a->state_dir, err) == -1)
		return -1;
	bc.by = by;
	if (store_open(&st, a->state_dir, err) == -1 ||
	    net_ban_migrate(&st, err) == -1) {
		store_close(&st);
		return -1;
	}
	if (net_allow_from_conf(
	        &allow, a->conf, getenv("SSH_CONNECTION"), err) == -1) {
		store_close(&st);
		net_allow_release(&allow);
		return err_prefix(err, "the allow-list");
	}
	rc = net_block_add(&st, &allow, &bc, items, n, err);
	net_allow_release(&allow);
	store_close(&st);
	return rc;
}

static int
sys_kill(const struct act_ops *a, int pid, uint64_t start_ticks, double grace,
    struct err *err)
{
	(void)a;
	return act_kill(pid, start_ticks, grace, err);
}

static int
sys_mail(const struct act_ops *a, const struct mail *m, struct err *err)
{
	(void)a;
	return mail_send(m, err);
}

void
act_system(struct act_ops *a, const struct conf *c, const char *state_dir)
{
	a->block = sys_block;
	a->kill = sys_kill;
	a->mail = sys_mail;
	a->conf = c;
	a->state_dir = state_dir;
	a->priv = NULL;
}
