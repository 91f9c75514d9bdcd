/*
 * inv_int.h - shared by the inventory's own files.
 */
#ifndef INV_INV_INT_H
#define INV_INV_INT_H

#include <stddef.h>

#include "inv/inventory.h"

struct strbuf;

int inv_read(const char *root, const char *path, struct strbuf *sb);
void inv_read_line(const char *root, const char *path, char *dst, size_t dstsz);
/* Names, OS, kernel, CPU, uptime, virtualisation, interfaces, disks. */
void inv_host(struct inventory *inv, const char *root);
/* Memory and filesystems. */
void inv_resources(struct inventory *inv, const char *root);
/* Listening services and well-known installed services. */
void inv_services(struct inventory *inv, const char *root);

#endif
