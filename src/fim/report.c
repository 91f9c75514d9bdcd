/*
 * report.c - changes as findings (see fim.h): what changed, how much it
 * matters on the program's one severity scale, and the evidence an
 * admin or a script needs to judge it.
 */
#include <string.h>

#include "base/bounded.h"
#include "base/finding.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "fim/fim.h"

/* What a class of change is, for a sentence. */
static const char *
class_text(enum fim_class c)
{
	switch (c) {
	case FIM_C_PACKAGE:
		return "changed by the package manager";
	case FIM_C_ADDED:
		return "new file";
	case FIM_C_REMOVED:
		return "file removed";
	case FIM_C_SYSBIN:
		return "program changed";
	case FIM_C_SETUID:
		return "new setuid or setgid file or bit";
	case FIM_C_WEBEXEC:
		return "new executable in a web root";
	case FIM_C_DEFACEMENT:
		return "page in a web root changed";
	case FIM_C_CAPABILITY:
		return "file capabilities added or changed";
	case FIM_C_UNREADABLE:
		return "cannot be read now";
	case FIM_C_UNSTABLE:
		return "kept changing while it was read";
	default:
		return "changed";
	}
}

/* The attributes whose values go into the evidence, most telling first:
 * when a change touches more than the evidence holds, the times go. */
static const unsigned value_order[] = {FIM_A_HASH, FIM_A_TARGET, FIM_A_CAPS,
    FIM_A_MODE, FIM_A_UID, FIM_A_GID, FIM_A_TYPE, FIM_A_SIZE, FIM_A_XATTRS,
    FIM_A_INO, FIM_A_NLINK, FIM_A_MTIME, FIM_A_CTIME, FIM_A_ATIME};

/* key_NAME=value of attribute a of e (nothing without e). */
static void
ev_value(struct finding *f, const char *key, const struct fim_entry *e,
    unsigned a, enum fim_hash h, struct strbuf *v)
{
	char name[32], k[sizeof(f->ev[0].key)];

	if (e == NULL)
		return;
	fim_attrs_names(a, name, sizeof(name));
	if (str_printf(k, sizeof(k), "%s_%s", key, name) != 0)
		return;
	strbuf_reset(v);
	fim_attr_value(e, a, h, v);
	finding_ev(f, k, "%s", strbuf_str(v));
}

struct finding *
fim_report_change(struct report *r, const struct fim_change *c, enum fim_hash h)
{
	const struct fim_entry *e = c->cur ? c->cur : c->old;
	const char *status = c->old == NULL ? "added"
	    : c->cur == NULL                ? "removed"
	                                    : "changed";
	const char *owner = c->old && c->old->pkg ? c->old->pkg
	    : c->cur && c->cur->pkg               ? c->cur->pkg
	                                          : NULL;
	enum sev sev = fim_class_sev(c->cls);
	unsigned shown = fim_change_shown(c);
	struct strbuf v = STRBUF_INIT(1 << 16);
	char attrs[256], what[256];
	struct finding *f;

	fim_attrs_names(shown, attrs, sizeof(attrs));
	/* the attributes that differ, or whether it came or went */
	if (c->old && c->cur)
		fim_attrs_names(c->attrs, what, sizeof(what));
	else
		str_copy(what, sizeof(what), status);
	if (c->cls == FIM_C_PACKAGE)
		f = report_add(r, sev, "fim", e->path,
		    "%s: %s (package %s: %s)", class_text(c->cls), e->path,
		    c->pkg, what);
	else if (c->cls == FIM_C_UNREADABLE && c->cur && c->cur->err)
		f = report_add(r, sev, "fim", e->path, "%s: %s (%s)",
		    class_text(c->cls), e->path, strerror(c->cur->err));
	else if (c->cls == FIM_C_ADDED || c->cls == FIM_C_REMOVED)
		f = report_add(r, sev, "fim", e->path, "%s: %s",
		    class_text(c->cls), e->path);
	else
		f = report_add(r, sev, "fim", e->path, "%s: %s (%s)",
		    class_text(c->cls), e->path, what);
	if (f == NULL) {
		strbuf_release(&v);
		return NULL;
	}
	finding_ev(f, "class", "%s", fim_class_name(c->cls));
	finding_ev(f, "status", "%s", status);
	finding_ev(f, "attributes", "%s", attrs);
	if (c->cls == FIM_C_PACKAGE)
		finding_ev(f, "package", "%s", c->pkg);
	if (owner != NULL)
		finding_ev(f, "owner", "%s", owner);
	if (c->cur && (c->cur->flags & FIM_F_UNREADABLE) && c->cur->err)
		finding_ev(f, "error", "%s", strerror(c->cur->err));
	for (size_t i = 0; i < countof(value_order); i++) {
		unsigned a = value_order[i];

		if (!(shown & a))
			continue;
		ev_value(f, "old", c->old, a, h, &v);
		ev_value(f, "new", c->cur, a, h, &v);
	}
	strbuf_release(&v);
	return f;
}

void
fim_report_changes(
    struct report *r, const struct fim_changes *ch, enum fim_hash h)
{
	int fits = r->nf + ch->n <= REPORT_MAX;

	/* Two passes when they do not all fit: what the package manager
	 * explains must not crowd out an alert. */
	for (int pass = 0; pass < (fits ? 1 : 2); pass++)
		for (size_t i = 0; i < ch->n; i++) {
			const struct fim_change *c = &ch->c[i];
			int explained = fim_class_sev(c->cls) == SEV_OK;

			if (fits || explained == pass)
				fim_report_change(r, c, h);
		}
}
