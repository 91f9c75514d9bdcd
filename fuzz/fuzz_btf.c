/*
 * fuzz_btf.c - libFuzzer target: the BTF reader and the layouts of the
 * BPF socket iterator and the in-kernel PID sweep never read out of bounds
 * or loop without end, whatever the bytes, and a layout found gives a
 * program whose jumps stay inside it.  Also looks up members of the first types by an arbitrary
 * name, as a malformed struct would be walked.
 */
#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "collect/btf.h"
#include "collect/pid_bpf.h"
#include "collect/sock_bpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every jump of the n instructions at prog lands inside them; the last
 * is exit. */
static void
jumps_inside(const struct bpf_insn *prog, size_t n, size_t max)
{
	if (n == 0 || n > max || prog[n - 1].code != (BPF_JMP | BPF_EXIT))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((prog[i].code & 7) == BPF_JMP &&
		    (prog[i].code & 0xf0) != BPF_CALL &&
		    (prog[i].code & 0xf0) != BPF_EXIT &&
		    ((long)i + 1 + prog[i].off < 0 ||
		        (long)i + 1 + prog[i].off >= (long)n))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_insn pprog[PID_BPF_INSNS];
	struct pid_bpf_layout pl;
	struct bpf_insn prog[SOCK_BPF_INSNS];
	struct sock_bpf_layout l;
	struct err err = {0};
	struct btf b;
	/* an exact copy: reads past the end are then caught */
	uint8_t *p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	if (sock_bpf_layout(p, size, &l, &err) == 0) {
		size_t n = sock_bpf_program(&l, 0, prog);

		jumps_inside(prog, n, SOCK_BPF_INSNS);
		/* the socket program only jumps forward */
		for (size_t i = 0; i < n; i++)
			if ((prog[i].code & 7) == BPF_JMP &&
			    (prog[i].code & 0xf0) != BPF_CALL &&
			    (prog[i].code & 0xf0) != BPF_EXIT &&
			    prog[i].off < 0)
				abort();
	}
	if (pid_bpf_layout(p, size, &pl, &err) == 0)
		jumps_inside(pprog, pid_bpf_program(&pl, 3, 1u << 22, pprog),
		    PID_BPF_INSNS);
	if (btf_init(&b, p, size, &err) == 0) {
		struct btf_want w[] = {
		    {BTF_K_STRUCT, "s", 0},
		    {BTF_K_UNION, "", 0},
		    {BTF_K_FUNC, "f", 0},
		};
		uint32_t off, sz;

		if (btf_find(&b, w, 3, &err) == 0)
			for (uint32_t id = 1; id < 6; id++)
				if (btf_member(&b, id, "x", &off, &sz, &err) ==
				        0 &&
				    (uint64_t)off * 8 > UINT32_MAX)
					abort();
		btf_release(&b);
	}
	free(p);
	return 0;
}
