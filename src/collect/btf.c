/*
 * btf.c - a lazy, bounded reader of the kernel's BTF (see btf.h).
 *
 * The layout (Documentation/bpf/btf.rst): a header, then a type section of
 * variable-length records (struct btf_type, then data whose size depends
 * on the kind), numbered from 1 in order, and a string section that the
 * records' name offsets point into.
 */
#include "collect/btf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define BTF_MAGIC 0xeB9F
#define HDR_LEN 24
#define TYPE_LEN 12  /* struct btf_type */
#define MAX_DEPTH 16 /* typedef chains, nested anonymous members */

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static unsigned
kind_of(uint32_t info)
{
	return (info >> 24) & 0x1f;
}

static uint32_t
vlen_of(uint32_t info)
{
	return info & 0xffff;
}

int
btf_init(struct btf *b, const void *data, size_t len, struct err *err)
{
	const uint8_t *p = data;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint16_t magic;

	memset(b, 0, sizeof(*b));
	if (len < HDR_LEN)
		return err_set(err, EINVAL,
		    "btf: %zu bytes, shorter than its header", len);
	memcpy(&magic, p, sizeof(magic));
	if (magic != BTF_MAGIC || p[2] != 1)
		return err_set(
		    err, EINVAL, "btf: not BTF version 1 of this byte order");
	hdr_len = rd32(p + 4);
	type_off = rd32(p + 8);
	type_len = rd32(p + 12);
	str_off = rd32(p + 16);
	str_len = rd32(p + 20);
	if (hdr_len < HDR_LEN || hdr_len > len ||
	    (uint64_t)type_off + type_len > len - hdr_len ||
	    (uint64_t)str_off + str_len > len - hdr_len)
		return err_set(
		    err, EINVAL, "btf: sections past the end of the data");
	b->types = p + hdr_len + type_off;
	b->types_len = type_len;
	b->strs = (const char *)p + hdr_len + str_off;
	b->strs_len = str_len;
	/* names are compared with strcmp: the last one must end */
	if (str_len == 0 || b->strs[str_len - 1] != '\0')
		return err_set(
		    err, EINVAL, "btf: string section does not end with NUL");
	b->n = 1; /* id 0 is void */
	return 0;
}

void
btf_release(struct btf *b)
{
	free(b->cp);
	b->cp = NULL;
	b->n = b->cap = 0;
}

/* Bytes of a record's data after its struct btf_type; -1: unknown kind. */
static long
data_len(unsigned kind, uint32_t vlen)
{
	switch (kind) {
	case 1:  /* INT */
	case 14: /* VAR */
	case 17: /* DECL_TAG */
		return 4;
	case 3: /* ARRAY */
		return 12;
	case 4:  /* STRUCT */
	case 5:  /* UNION */
	case 15: /* DATASEC */
	case 19: /* ENUM64 */
		return 12L * vlen;
	case 6:  /* ENUM */
	case 13: /* FUNC_PROTO */
		return 8L * vlen;
	case 2:  /* PTR */
	case 7:  /* FWD */
	case 8:  /* TYPEDEF */
	case 9:  /* VOLATILE */
	case 10: /* CONST */
	case 11: /* RESTRICT */
	case 12: /* FUNC */
	case 16: /* FLOAT */
	case 18: /* TYPE_TAG */
		return 0;
	default:
		return -1;
	}
}

/* Every CP-th type's offset is kept (a full index costs page faults). */
#define CP 64

/* The bytes of the (checked) record at t. */
static uint32_t
rec_len(const uint8_t *t)
{
	uint32_t info = rd32(t + 4);

	return TYPE_LEN + (uint32_t)data_len(kind_of(info), vlen_of(info));
}

/* Check and count one more type.  1 done, 0 at the end, -1 malformed. */
static int
index_next(struct btf *b, struct err *err)
{
	uint32_t info, name_off;
	long dl;

	if (b->pos == b->types_len)
		return 0;
	if (b->types_len - b->pos < TYPE_LEN)
		return err_set(err, EINVAL, "btf: type %u cut short", b->n);
	name_off = rd32(b->types + b->pos);
	info = rd32(b->types + b->pos + 4);
	if (name_off >= b->strs_len)
		return err_set(err, EINVAL,
		    "btf: type %u: name past the string section", b->n);
	if ((dl = data_len(kind_of(info), vlen_of(info))) < 0)
		return err_set(err, EINVAL, "btf: type %u: unknown kind %u",
		    b->n, kind_of(info));
	if ((uint64_t)b->types_len - b->pos - TYPE_LEN < (uint64_t)dl)
		return err_set(err, EINVAL, "btf: type %u cut short", b->n);
	if (b->cp == NULL) {
		b->cap = b->types_len / TYPE_LEN / CP + 1;
		if ((b->cp = malloc((size_t)b->cap * sizeof(uint32_t))) == NULL)
			return err_set(err, ENOMEM, "out of memory");
	}
	if ((b->n - 1) % CP == 0)
		b->cp[(b->n - 1) / CP] = b->pos;
	b->n++;
	b->pos += TYPE_LEN + (uint32_t)dl;
	return 1;
}

/* The record of type id (1..), checking as far as needed; NULL: none. */
static const uint8_t *
type_at(struct btf *b, uint32_t id, struct err *err)
{
	uint32_t off;
	int r;

	if (id == 0) {
		err_set(err, EINVAL, "btf: type 0 (void) used as a type");
		return NULL;
	}
	while (id >= b->n)
		if ((r = index_next(b, err)) <= 0) {
			if (r == 0)
				err_set(err, EINVAL,
				    "btf: type %u does not exist", id);
			return NULL;
		}
	off = b->cp[(id - 1) / CP];
	for (uint32_t i = (id - 1) / CP * CP + 1; i < id; i++)
		off += rec_len(b->types + off);
	return b->types + off;
}

/*
 * The offset of name in the string section, 0 when it is not there as a
 * whole string.  The kernel's BTF has each string once, so comparing the
 * types' name offsets with it spares reading every name (a cache miss
 * each, in 2 MB of strings).
 */
static uint32_t
name_offset(const struct btf *b, const char *name)
{
	size_t len = strlen(name) + 1; /* with its NUL */
	const char *p = b->strs, *end = b->strs + b->strs_len;

	while ((p = memmem(p, (size_t)(end - p), name, len)) != NULL) {
		if (p > b->strs && p[-1] == '\0')
			return (uint32_t)(p - b->strs);
		p++;
	}
	return 0;
}

int
btf_find(struct btf *b, struct btf_want *w, size_t n, struct err *err)
{
	uint32_t want_off[BTF_WANT_MAX];
	size_t left = n;

	if (n > BTF_WANT_MAX)
		return err_set(
		    err, EINVAL, "btf: more than %d names", BTF_WANT_MAX);
	for (size_t i = 0; i < n; i++) {
		w[i].id = 0;
		want_off[i] = name_offset(b, w[i].name);
	}
	/*
	 * One walk, comparing name offsets; a second by name for what the
	 * first did not find (strings not deduplicated, or not there).
	 */
	for (int by_name = 0; by_name < 2 && left > 0; by_name++)
		for (uint32_t id = 1, off = 0; left > 0;
		     id++, off += rec_len(b->types + off)) {
			const uint8_t *t;
			uint32_t name_off;
			unsigned kind;
			int r;

			if (id >= b->n && (r = index_next(b, err)) <= 0) {
				if (r == -1)
					return -1;
				break;
			}
			t = b->types + off;
			name_off = rd32(t);
			kind = kind_of(rd32(t + 4));
			for (size_t i = 0; i < n; i++) {
				if (w[i].id != 0 || w[i].kind != kind)
					continue;
				if (by_name ? strcmp(b->strs + name_off,
				                  w[i].name) != 0
				            : want_off[i] == 0 ||
				            name_off != want_off[i])
					continue;
				w[i].id = id;
				left--;
			}
		}
	return 0;
}

/*
 * Follow typedefs and qualifiers from id to the type that has a size:
 * its id in *rid, kind in *kind and size in bytes in *size.  0, 1 for a kind without
 * a size (a function, a forward declaration), -1 malformed.
 */
static int
resolve(struct btf *b, uint32_t id, uint32_t *rid, unsigned *kind,
    uint64_t *size, int depth, struct err *err)
{
	const uint8_t *t;
	uint32_t info;

	if (depth > MAX_DEPTH)
		return err_set(err, EINVAL, "btf: type %u: chain too long", id);
	if (id == 0)
		return 1; /* void */
	if ((t = type_at(b, id, err)) == NULL)
		return -1;
	info = rd32(t + 4);
	*rid = id;
	*kind = kind_of(info);
	switch (*kind) {
	case 8:
	case 9:
	case 10:
	case 11:
	case 18: /* typedef, qualifiers */
		return resolve(b, rd32(t + 8), rid, kind, size, depth + 1, err);
	case 2: /* PTR */
		*size = sizeof(void *);
		return 0;
	case 3: { /* ARRAY: elem type, index type, count */
		uint64_t elem;
		unsigned ek;
		uint32_t eid, nelems = rd32(t + TYPE_LEN + 8);
		int r = resolve(
		    b, rd32(t + TYPE_LEN), &eid, &ek, &elem, depth + 1, err);

		if (r != 0)
			return r;
		*rid = id;
		*kind = 3;
		if (elem != 0 && nelems > UINT32_MAX / elem)
			return err_set(
			    err, EINVAL, "btf: array %u too large", id);
		*size = elem * nelems;
		return 0;
	}
	case 1:
	case 4:
	case 5:
	case 6:
	case 16:
	case 19:
		*size = rd32(t + 8);
		return 0;
	default:
		return 1;
	}
}

/*
 * Members visited in one lookup at most: a malformed struct whose
 * anonymous members are itself would otherwise take 65535^16 steps.
 */
#define MEMBER_BUDGET 100000u

static int
member_in(struct btf *b, uint32_t id, const char *name, uint32_t base,
    uint32_t *off, uint32_t *size, int depth, unsigned *budget, struct err *err)
{
	const uint8_t *t, *m;
	uint32_t info, vlen;

	if (depth > MAX_DEPTH)
		return err_set(
		    err, EINVAL, "btf: type %u: nested too deep", id);
	if ((t = type_at(b, id, err)) == NULL)
		return -1;
	info = rd32(t + 4);
	if (kind_of(info) != BTF_K_STRUCT && kind_of(info) != BTF_K_UNION)
		return err_set(err, EINVAL, "btf: type %u is not a struct", id);
	vlen = vlen_of(info);
	m = t + TYPE_LEN;
	for (uint32_t i = 0; i < vlen; i++, m += 12) {
		uint32_t mname = rd32(m), mtype = rd32(m + 4),
		         moff = rd32(m + 8), bits = 0;
		uint64_t msize = 0;
		uint32_t rid = 0;
		unsigned mkind = 0;
		int r;

		if (++*budget > MEMBER_BUDGET)
			return err_set(err, EINVAL,
			    "btf: type %u: too many members to look through",
			    id);
		if (mname >= b->strs_len)
			return err_set(err, EINVAL,
			    "btf: type %u: member name past the strings", id);
		if (info >> 31) { /* kind_flag: bit field size, bit offset */
			bits = moff >> 24;
			moff &= 0xffffff;
		}
		if ((uint64_t)base + moff > UINT32_MAX)
			return err_set(err, EINVAL,
			    "btf: type %u: member offset too large", id);
		if (mname == 0) {
			/* an anonymous struct or union: its members are ours */
			r = resolve(b, mtype, &rid, &mkind, &msize, 0, err);
			if (r == -1)
				return -1;
			if (r == 0 &&
			    (mkind == BTF_K_STRUCT || mkind == BTF_K_UNION)) {
				r = member_in(b, rid, name, base + moff, off,
				    size, depth + 1, budget, err);
				if (r != 1)
					return r;
			}
			continue;
		}
		if (strcmp(b->strs + mname, name) != 0)
			continue;
		if (bits != 0 || (base + moff) % 8 != 0)
			return 1; /* a bit field: no byte of its own */
		r = resolve(b, mtype, &rid, &mkind, &msize, 0, err);
		if (r != 0)
			return r;
		if (msize > UINT32_MAX)
			return 1;
		*off = (base + moff) / 8;
		*size = (uint32_t)msize;
		return 0;
	}
	return 1;
}

int
btf_member(struct btf *b, uint32_t id, const char *name, uint32_t *off,
    uint32_t *size, struct err *err)
{
	unsigned budget = 0;

	return member_in(b, id, name, 0, off, size, 0, &budget, err);
}
