/*
 * linfit.c - the least-squares line (see linfit.h).
 */
#include "base/linfit.h"

int
linfit(const double *x, const double *y, size_t n, struct linfit *out)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;

	out->slope = out->intercept = out->r2 = 0;
	if (n < 2)
		return -1;
	/* centred sums: no cancellation with epoch-sized x */
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (!(sxx > 0))
		return -1;
	out->slope = sxy / sxx;
	out->intercept = my - out->slope * mx;
	if (syy > 0) {
		out->r2 = sxy * sxy / (sxx * syy);
		if (out->r2 > 1)
			out->r2 = 1;
	}
	return 0;
}
