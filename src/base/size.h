/*
 * size.h - a size in bytes for a human: one convention everywhere, IEC
 * units of 1024 ("512 B", "1.5 KiB", "3.0 MiB", "2.1 GiB").  Machine
 * output (JSON, perfdata) keeps the number.
 */
#ifndef BASE_SIZE_H
#define BASE_SIZE_H

#include <stddef.h>

/* Longest text size_format writes, NUL included ("-1023.9 EiB"). */
#define SIZE_TEXT_MAX 16

/*
 * bytes as "N B" below 1 KiB, else with one decimal and the largest unit
 * that keeps the number at least 1 (KiB, MiB, GiB, TiB, PiB, EiB).
 */
void size_format(char *dst, size_t dstsz, double bytes);

#endif
