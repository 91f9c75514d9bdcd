/*
 * size.c - sizes for a human (see size.h).
 */
#include "base/size.h"

#include <math.h>
#include <stdio.h>

void
size_format(char *dst, size_t dstsz, double bytes)
{
	static const char *const unit[] = {
	    "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	double v = fabs(bytes);
	int u = -1;

	/* rounded up to the next unit: 1023.96 KiB is "1.0 MiB" */
	while (u < 5 && v >= (u < 0 ? 1023.5 : 1023.95)) {
		v /= 1024;
		u++;
	}
	if (isnan(bytes) || u < 0)
		snprintf(dst, dstsz, "%.0f B", bytes);
	else
		snprintf(
		    dst, dstsz, "%s%.1f %s", bytes < 0 ? "-" : "", v, unit[u]);
}
