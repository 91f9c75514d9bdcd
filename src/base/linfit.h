/*
 * linfit.h - the least-squares line through points (x, y): its slope,
 * intercept and how well it fits (R squared).  Trends from samples (a
 * filesystem filling, a process growing) are fitted with it.
 */
#ifndef BASE_LINFIT_H
#define BASE_LINFIT_H

#include <stddef.h>

struct linfit {
	double slope;     /* y per unit of x */
	double intercept; /* y at x = 0 */
	double r2;        /* share of y's variance the line explains; 0..1 */
};

/*
 * Fits y = intercept + slope * x to the n points.  r2 is 0 when y does
 * not vary (there is nothing for a line to explain).  0, or -1 when
 * there are fewer than two points or every x is the same.
 */
int linfit(const double *x, const double *y, size_t n, struct linfit *out);

#endif
