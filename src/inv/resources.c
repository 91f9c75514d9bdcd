/*
 * resources.c - memory and filesystems for the inventory, from the
 * collectors that status and check use too.
 */
#include "inv/inv_int.h"

#include <stdio.h>
#include <string.h>

#include "base/bounded.h"
#include "base/err.h"
#include "collect/meminfo.h"
#include "collect/mounts.h"

void
inv_resources(struct inventory *inv, const char *root)
{
	struct err err = {0};
	struct meminfo mi;
	struct mounts ms = {0};

	if (meminfo_read(root, &mi, &err) == 0)
		inv->mem_total_kb = mi.mem_total;
	else
		inv->skipped++;
	if (mounts_read(root, &ms, &err) == 0) {
		for (size_t i = 0; i < ms.n; i++)
			if (!ms.m[i].pseudo &&
			    mounts_usage(root, &ms.m[i], &err) == -1)
				inv->skipped++;
		mounts_select(&ms, 0);
		for (size_t i = 0; i < ms.n && inv->nfs < INV_MAX_FS; i++) {
			const struct mount_entry *e = &ms.m[i];
			struct inv_fs *f;

			if (!e->shown || !e->have_usage)
				continue;
			f = &inv->fs[inv->nfs++];
			snprintf(f->mount, sizeof(f->mount), "%s", e->mnt);
			snprintf(f->device, sizeof(f->device), "%s", e->source);
			str_copy(f->type, sizeof(f->type), e->fstype);
			f->size_bytes = e->u.size_kb * 1024;
			f->used_bytes = e->u.used_kb * 1024;
		}
	} else
		inv->skipped++;
	mounts_release(&ms);
}
