/*
 * finding.c - findings and reports (see finding.h).
 */
#include "base/finding.h"
#include "base/mem.h"

#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

void
report_release(struct report *r)
{
	free(r->f);
	free(r->p);
	memset(r, 0, sizeof(*r));
}

static void
copy(char *dst, size_t dstsz, const char *src)
{
	snprintf(dst, dstsz, "%s", src ? src : "");
}

/*
 * Grows a report's array.  A report of thousands of findings is tens of
 * MiB: past 4 MiB the new array is asked for in transparent huge pages
 * (the "madvise" mode) before the old one is copied in, so filling it costs
 * a page fault per 2 MiB rather than per 4 KiB.
 */
static void *
grow(void *old, size_t oldsz, size_t newsz)
{
	void *p = NULL;

	if (newsz < (4u << 20))
		return realloc(old, newsz);
	newsz = (newsz + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
	if (posix_memalign(&p, 2u << 20, newsz) != 0)
		return NULL;
	(void)madvise(p, newsz, MADV_HUGEPAGE);
	if (oldsz > 0)
		memcpy(p, old, oldsz);
	free(old);
	return p;
}

struct finding *
report_add(struct report *r, enum sev sev, const char *check,
    const char *subject, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (r->nf >= REPORT_MAX) {
		r->dropped++;
		return NULL;
	}
	if (r->nf == r->capf) {
		size_t ncap = r->capf ? r->capf * 2 : 16;
		struct finding *nf =
		    grow(r->f, r->nf * sizeof(*nf), ncap * sizeof(*nf));

		if (nf == NULL) {
			r->dropped++;
			return NULL;
		}
		r->f = nf;
		r->capf = ncap;
	}
	f = &r->f[r->nf++];
	/* the evidence array (most of the struct) is read only up to nev:
	 * zeroing all of it made a report of thousands cost page faults */
	memset(f, 0, offsetof(struct finding, ev));
	f->sev = sev;
	f->time = time(NULL);
	copy(f->check, sizeof(f->check), check);
	copy(f->subject, sizeof(f->subject), subject);
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return f;
}

void
finding_ev(struct finding *f, const char *key, const char *fmt, ...)
{
	struct finding_ev *e;
	va_list ap;

	if (f == NULL || f->nev >= FINDING_MAX_EV)
		return;
	e = &f->ev[f->nev++];
	copy(e->key, sizeof(e->key), key);
	va_start(ap, fmt);
	vsnprintf(e->val, sizeof(e->val), fmt, ap);
	va_end(ap);
}

const char *
finding_ev_get(const struct finding *f, const char *key)
{
	for (unsigned i = 0; i < f->nev; i++)
		if (strcmp(f->ev[i].key, key) == 0)
			return f->ev[i].val;
	return NULL;
}

void
report_perf(struct report *r, const char *label, double value, const char *uom,
    double warn, double crit, double min, double max)
{
	struct perf *p;

	if (mem_grow(&r->p, &r->capp, r->np + 1, sizeof(*r->p)) == -1)
		return;
	p = &r->p[r->np++];
	copy(p->label, sizeof(p->label), label);
	copy(p->uom, sizeof(p->uom), uom);
	p->value = value;
	p->warn = warn;
	p->crit = crit;
	p->min = min;
	p->max = max;
	p->lower = 0;
}

void
report_perf_lower(struct report *r, const char *label, double value,
    const char *uom, double warn, double crit, double min, double max)
{
	size_t n = r->np;

	report_perf(r, label, value, uom, warn, crit, min, max);
	if (r->np > n)
		r->p[n].lower = 1;
}

int
sev_rank(enum sev s)
{
	switch (s) {
	case SEV_CRITICAL:
		return 3;
	case SEV_WARNING:
		return 2;
	case SEV_UNKNOWN:
		return 1;
	default:
		return 0;
	}
}

enum sev
sev_worse(enum sev a, enum sev b)
{
	return sev_rank(a) >= sev_rank(b) ? a : b;
}

enum sev
report_worst(const struct report *r)
{
	enum sev w = SEV_OK;

	for (size_t i = 0; i < r->nf; i++)
		w = sev_worse(w, r->f[i].sev);
	return w;
}

size_t
report_count(const struct report *r, enum sev sev)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nf; i++)
		n += r->f[i].sev == sev;
	return n;
}

const char *
sev_name(enum sev sev)
{
	switch (sev) {
	case SEV_OK:
		return "OK";
	case SEV_WARNING:
		return "WARNING";
	case SEV_CRITICAL:
		return "CRITICAL";
	default:
		return "UNKNOWN";
	}
}

int
sev_parse(const char *s, enum sev *out)
{
	static const enum sev all[] = {
	    SEV_OK, SEV_WARNING, SEV_CRITICAL, SEV_UNKNOWN};

	for (size_t i = 0; i < countof(all); i++) {
		if (strcasecmp(s, sev_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}
