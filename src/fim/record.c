/*
 * record.c - a new baseline's entries: a scan, with the package that
 * installed each file, so that a later check can tell a file an upgrade
 * dropped from one deleted by hand.
 */
#include <pthread.h>
#include <stddef.h>

#include "fim/fim.h"
#include "pkg/pkg.h"

static void *
preload(void *dp)
{
	pkg_md5sums_load(dp);
	return NULL;
}

int
fim_record(const struct fim_scan_opts *so, const char *root,
    const struct fim_opts *nice, struct fim_baseline *out,
    struct fim_scan_stats *st, struct err *err)
{
	/* dpkg's records are read by a thread of their own while the scan
	 * runs: otherwise a second or so alone after it */
	struct pkg_db *dp = pkg_open(root);
	pthread_t th;
	int loading = dp != NULL && pthread_create(&th, NULL, preload, dp) == 0;
	int rc;

	/* the reader keeps its priority: the scan waits for it at the end */
	if (nice != NULL)
		(void)fim_opts_nice(nice);
	rc = fim_scan(so, out, st, err);

	if (loading)
		pthread_join(th, NULL);
	if (rc == 0 && dp != NULL)
		fim_pkg_annotate(dp, out);
	pkg_free(dp);
	return rc;
}

void
fim_annotate(struct fim_baseline *b, const char *root)
{
	struct pkg_db *dp = pkg_open(root);

	if (dp == NULL)
		return;
	fim_pkg_annotate(dp, b);
	pkg_free(dp);
}
