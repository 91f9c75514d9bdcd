/*
 * kbpf.h - what the collectors' BPF programs share: the bpf(2) call and
 * the running kernel's BTF (/sys/kernel/btf/vmlinux) brought into memory
 * for btf.h's reader.
 */
#ifndef COLLECT_KBPF_H
#define COLLECT_KBPF_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>

struct err;

/*
 * Instructions, for programs written here without a compiler.  A jump's
 * offset is filled in by its writer (sock_bpf.c and pid_bpf.c use labels).
 */
#define INSN(c, d, s, o, i)                                                    \
	((struct bpf_insn){(uint8_t)(c), (d), (s), (int16_t)(o), (int32_t)(i)})
#define MOV_X(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_K(d, k) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, k)
#define ALU_K(op, d, k) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, k)
#define ALU_X(op, d, s) INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define LDX(sz, d, s, o) INSN(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o) INSN(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST0(o) INSN(BPF_ST | BPF_MEM | BPF_DW, R_FP, 0, o, 0)
#define JMP_K(op, d, k) INSN(BPF_JMP | (op) | BPF_K, d, 0, 0, k)
#define JA() INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0)
#define CALL(f) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
/* a kernel function (kfunc) by its BTF id in vmlinux */
#define KCALL(id) INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, id)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R_FP };

#define KBPF_BTF_PATH "/sys/kernel/btf/vmlinux"

/* bpf(2): its return value, -1 with errno. */
long kbpf_sys(int cmd, union bpf_attr *a);

/* The kernel's BTF: mapped (Linux 6.16 and later), else read whole. */
struct kbpf_btf {
	void *p;
	size_t len;
	int mapped;
};

/* 0, or -1 with err when there is none to read (no BTF in this kernel,
 * no permission). */
int kbpf_btf_load(struct kbpf_btf *b, struct err *err);
void kbpf_btf_release(struct kbpf_btf *b);

#endif
