/*
 * leakfit.c - steady growth of a series of samples (see leak.h): pure, no
 * clock, no state.
 */
#include <string.h>

#include "base/linfit.h"
#include "check/leak.h"

int
leak_steady(const double *t, const double *y, size_t n,
    const struct leak_params *p, struct leak_fit *out)
{
	struct linfit f;
	size_t rose = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n < 2)
		return 0;
	out->span = t[n - 1] - t[0];
	for (size_t i = 1; i < n; i++)
		rose += y[i] > y[i - 1];
	out->rising = (double)rose / (double)(n - 1);
	if (linfit(t, y, n, &f) == -1)
		return 0;
	out->slope = f.slope;
	out->r2 = f.r2;
	return n >= p->min_samples && out->span >= p->min_span &&
	    out->slope >= p->min_rate && out->r2 >= p->min_r2 &&
	    out->rising >= p->min_rising;
}
