/*
 * btf.h - the kernel's BPF Type Format (/sys/kernel/btf/vmlinux), read just
 * far enough to find a type by kind and name and the byte offset and size
 * of a struct member: what a BPF program needs to be loaded against this
 * kernel's own layout (the few lookups libbpf's CO-RE would make, without
 * parsing all 100,000-odd types first).
 *
 * The reader is pure and bounded: it works on a buffer given by the caller
 * (mapped or read), checks every offset against it, and indexes types
 * lazily, only as far as a lookup needs.  Malformed data is an error, never
 * a read out of bounds.
 */
#ifndef COLLECT_BTF_H
#define COLLECT_BTF_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* Kinds (include/uapi/linux/btf.h), the ones a lookup names. */
#define BTF_K_STRUCT 4
#define BTF_K_UNION 5
#define BTF_K_FUNC 12

struct btf {
	const uint8_t *types; /* the type section */
	uint32_t types_len;
	const char *strs; /* the string section */
	uint32_t strs_len;
	uint32_t *cp; /* cp[k]: offset of type k * 64 + 1 */
	uint32_t n;   /* types 1..n-1 are checked */
	uint32_t cap;
	uint32_t pos; /* bytes of types checked */
};

/* Checks the header of len bytes at data (kept, not copied).  0 or -1. */
int btf_init(struct btf *b, const void *data, size_t len, struct err *err);

/* A type to look up: its kind and name in, its id out (0: none). */
struct btf_want {
	unsigned kind;
	const char *name;
	uint32_t id;
};

#define BTF_WANT_MAX 16

/*
 * The ids of the first types of those kinds and names (n at most
 * BTF_WANT_MAX), in one walk of the types.  0, or -1 with err when the
 * data is malformed.
 */
int btf_find(struct btf *b, struct btf_want *w, size_t n, struct err *err);

/*
 * Byte offset and size of member name of the struct or union id, looking
 * into anonymous struct and union members as C does.  0, 1 when there is
 * no such member or it is a bit field, -1 with err when malformed.
 */
int btf_member(struct btf *b, uint32_t id, const char *name, uint32_t *off,
    uint32_t *size, struct err *err);

void btf_release(struct btf *b);

#endif
