/*
 * explain.c - which changes the package manager explains: a file whose
 * content is what its package installed at or after the baseline was made,
 * or a packaged file gone with its package's upgrade or removal, becomes
 * FIM_C_PACKAGE (no alert).  What fim check and the cross-check of running
 * programs share.
 */
#include <sys/stat.h>

#include "fim/fim.h"

void
fim_explain(
    struct fim_changes *ch, const struct fim_baseline *old, const char *root)
{
	struct fim_dpkg *dp = NULL;

	for (size_t i = 0; i < ch->n; i++) {
		struct fim_change *c = &ch->c[i];

		switch (c->cls) {
		case FIM_C_ADDED:
		case FIM_C_CHANGED:
		case FIM_C_SYSBIN:
		case FIM_C_DEFACEMENT:
		case FIM_C_WEBEXEC:
			if (!S_ISREG(c->cur->mode))
				break;
			if (dp == NULL)
				dp = fim_dpkg_open(root);
			if (dp &&
			    fim_dpkg_explains(dp, c->cur->path, old->created,
			        c->pkg, sizeof(c->pkg)))
				c->cls = FIM_C_PACKAGE;
			break;
		case FIM_C_REMOVED:
			if (c->old->pkg == NULL)
				break;
			if (dp == NULL)
				dp = fim_dpkg_open(root);
			if (dp &&
			    fim_dpkg_explains_removal(dp, c->old, old->created,
			        c->pkg, sizeof(c->pkg)))
				c->cls = FIM_C_PACKAGE;
			break;
		default:
			break;
		}
	}
	fim_dpkg_free(dp);
}
