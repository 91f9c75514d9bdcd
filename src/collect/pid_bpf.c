/*
 * pid_bpf.c - the PID sweep inside the kernel (see pid_bpf.h): the layout
 * from BTF, the program, the map it marks, the runs.
 */
#include "collect/pid_bpf.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/err.h"
#include "base/mem.h"
#include "collect/btf.h"
#include "collect/kbpf.h"

#define CHUNK 65536 /* PIDs per run: each run is a short one */

int
pid_bpf_layout(
    const void *data, size_t len, struct pid_bpf_layout *l, struct err *err)
{
	struct btf_want t[] = {
	    {BTF_K_STRUCT, "task_struct", 0},
	    {BTF_K_FUNC, "bpf_task_from_pid", 0},
	    {BTF_K_FUNC, "bpf_task_release", 0},
	    {BTF_K_FUNC, "bpf_iter_num_new", 0},
	    {BTF_K_FUNC, "bpf_iter_num_next", 0},
	    {BTF_K_FUNC, "bpf_iter_num_destroy", 0},
	};
	static const char *member[] = {"pid", "tgid"};
	uint16_t *at[] = {&l->task_pid, &l->task_tgid};
	struct btf b;
	int r;

	memset(l, 0, sizeof(*l));
	if (btf_init(&b, data, len, err) == -1)
		return -1;
	if ((r = btf_find(&b, t, countof(t), err)) == -1)
		goto out;
	for (size_t i = 0; i < countof(t); i++)
		if (t[i].id == 0) {
			err_set(err, ENOENT, "btf: no %s %s",
			    t[i].kind == BTF_K_FUNC ? "kernel function"
			                            : "struct",
			    t[i].name);
			r = 1;
			goto out;
		}
	for (size_t i = 0; i < countof(member); i++) {
		uint32_t off, size;

		r = btf_member(&b, t[0].id, member[i], &off, &size, err);
		if (r == -1)
			goto out;
		/* pid_t, at an offset a load can carry */
		if (r == 1 || size != 4 || off > INT16_MAX) {
			err_set(err, ENOENT,
			    "btf: task_struct.%s is not a 4-byte member",
			    member[i]);
			r = 1;
			goto out;
		}
		*at[i] = (uint16_t)off;
	}
	l->from_pid = t[1].id;
	l->release = t[2].id;
	l->num_new = t[3].id;
	l->num_next = t[4].id;
	l->num_destroy = t[5].id;
out:
	btf_release(&b);
	return r;
}

/* Labels, resolved at the end (see sock_bpf.c). */
enum { L_LOOP = 1, L_NEXT, L_DONE, L_N };

#define IT (-8) /* struct bpf_iter_num, on the stack */

size_t
pid_bpf_program(const struct pid_bpf_layout *l, int map_fd, uint32_t nbits,
    struct bpf_insn *p)
{
	size_t n = 0, at[L_N] = {0};
	unsigned char jumps[PID_BPF_INSNS] = {0};
	int32_t nbytes = (int32_t)((nbits + 7) / 8);

#define J(insn, label) (jumps[n] = (label), p[n++] = (insn))
#define LABEL(label) (at[label] = n)
	/* r7 = the map's value (a direct pointer: one array element) */
	p[n++] = INSN(
	    BPF_LD | BPF_DW | BPF_IMM, R7, BPF_PSEUDO_MAP_VALUE, 0, map_fd);
	p[n++] = INSN(0, 0, 0, 0, 0); /* the offset into it: 0 */
	/* who we are, as the kernel numbers us */
	p[n++] = CALL(BPF_FUNC_get_current_pid_tgid);
	p[n++] = ALU_K(BPF_RSH, R0, 32);
	p[n++] = STX(BPF_W, R7, R0, PID_BPF_SELF);
	/* bpf_iter_num_new(&it, lo, hi) */
	p[n++] = MOV_X(R1, R_FP);
	p[n++] = ALU_K(BPF_ADD, R1, IT);
	p[n++] = LDX(BPF_W, R2, R7, PID_BPF_LO);
	p[n++] = LDX(BPF_W, R3, R7, PID_BPF_HI);
	p[n++] = KCALL(l->num_new);
	/* for each pid: r6 = *bpf_iter_num_next(&it) */
	LABEL(L_LOOP);
	p[n++] = MOV_X(R1, R_FP);
	p[n++] = ALU_K(BPF_ADD, R1, IT);
	p[n++] = KCALL(l->num_next);
	J(JMP_K(BPF_JEQ, R0, 0), L_DONE);
	p[n++] = LDX(BPF_W, R6, R0, 0);
	/* the task with that PID in the kernel's table, if any */
	p[n++] = MOV_X(R1, R6);
	p[n++] = KCALL(l->from_pid);
	J(JMP_K(BPF_JEQ, R0, 0), L_NEXT);
	/* r9 = tgid ^ pid: 0 for a thread group's leader (a process) */
	p[n++] = LDX(BPF_W, R9, R0, l->task_tgid);
	p[n++] = LDX(BPF_W, R8, R0, l->task_pid);
	p[n++] = ALU_X(BPF_XOR, R9, R8);
	p[n++] = MOV_X(R1, R0);
	p[n++] = KCALL(l->release);
	J(JMP_K(BPF_JNE, R9, 0), L_NEXT);
	/* bits[pid >> 3] |= 1 << (pid & 7), inside the bitmap */
	p[n++] = MOV_X(R2, R6);
	p[n++] = ALU_K(BPF_RSH, R2, 3);
	J(JMP_K(BPF_JGE, R2, nbytes), L_NEXT);
	p[n++] = ALU_X(BPF_ADD, R2, R7);
	p[n++] = LDX(BPF_B, R3, R2, PID_BPF_BITS);
	p[n++] = MOV_X(R4, R6);
	p[n++] = ALU_K(BPF_AND, R4, 7);
	p[n++] = MOV_K(R5, 1);
	p[n++] = ALU_X(BPF_LSH, R5, R4);
	p[n++] = ALU_X(BPF_OR, R3, R5);
	p[n++] = STX(BPF_B, R2, R3, PID_BPF_BITS);
	p[n++] = LDX(BPF_W, R3, R7, PID_BPF_COUNT);
	p[n++] = ALU_K(BPF_ADD, R3, 1);
	p[n++] = STX(BPF_W, R7, R3, PID_BPF_COUNT);
	LABEL(L_NEXT);
	J(JA(), L_LOOP);
	LABEL(L_DONE);
	p[n++] = MOV_X(R1, R_FP);
	p[n++] = ALU_K(BPF_ADD, R1, IT);
	p[n++] = KCALL(l->num_destroy);
	p[n++] = MOV_K(R0, 0);
	p[n++] = EXIT();
#undef J
#undef LABEL
	for (size_t i = 0; i < n; i++)
		if (jumps[i] != 0)
			p[i].off = (int16_t)(at[jumps[i]] - i - 1);
	return n;
}

/* ---- the runs --------------------------------------------------------- */

static uint32_t
hdr_get(const struct pid_bpf *pb, size_t at)
{
	uint32_t v;

	memcpy(&v, pb->m + at, sizeof(v));
	return v;
}

static void
hdr_put(struct pid_bpf *pb, size_t at, uint32_t v)
{
	memcpy(pb->m + at, &v, sizeof(v));
}

static int
load(struct pid_bpf *pb, const struct pid_bpf_layout *l, struct err *err)
{
	struct bpf_insn prog[PID_BPF_INSNS];
	union bpf_attr a;
	size_t vsize = PID_BPF_BITS + ((size_t)pb->pid_max + 7) / 8;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = (uint32_t)vsize;
	a.max_entries = 1;
	a.map_flags = BPF_F_MMAPABLE;
	memcpy(a.map_name, "sakimori_pids", sizeof("sakimori_pids"));
	if ((pb->map = (int)kbpf_sys(BPF_MAP_CREATE, &a)) == -1)
		return err_sys(err, errno, "cannot make the PID map");
	pb->mlen = (vsize + 4095) & ~(size_t)4095;
	pb->m = mmap(
	    NULL, pb->mlen, PROT_READ | PROT_WRITE, MAP_SHARED, pb->map, 0);
	if (pb->m == MAP_FAILED) {
		pb->m = NULL;
		return err_sys(err, errno, "cannot map the PID map");
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE; /* a syscall program must be */
	a.insns = (uintptr_t)prog;
	a.insn_cnt =
	    (uint32_t)pid_bpf_program(l, pb->map, (uint32_t)pb->pid_max, prog);
	/* the kernel functions are for GPL-compatible programs; this one
	 * is ISC */
	a.license = (uintptr_t) "Dual BSD/GPL";
	memcpy(a.prog_name, "sakimori_pids", sizeof("sakimori_pids"));
	if ((pb->prog = (int)kbpf_sys(BPF_PROG_LOAD, &a)) == -1)
		return err_sys(err, errno, "cannot load the PID sweep");
	return 0;
}

int
pid_bpf_open(struct pid_bpf *pb, int pid_max, struct err *err)
{
	struct pid_bpf_layout l;
	struct kbpf_btf b;
	int me = getpid(), r;

	memset(pb, 0, sizeof(*pb));
	pb->prog = pb->map = -1;
	pb->pid_max = pid_max;
	if (pid_max < 2)
		return err_set(err, EINVAL, "PID sweep: pid_max %d", pid_max);
	if (kbpf_btf_load(&b, err) == -1)
		return -1;
	r = pid_bpf_layout(b.p, b.len, &l, err);
	kbpf_btf_release(&b);
	if (r != 0 || load(pb, &l, err) == -1)
		goto fail;
	/* one run on our own PID (any PID when ours is past pid_max) tells
	 * who we are to the kernel */
	if (pid_bpf_sweep(pb, me < pid_max ? me : 1, me < pid_max ? me + 1 : 2,
	        err) == -1)
		goto fail;
	if (hdr_get(pb, PID_BPF_SELF) != (uint32_t)me ||
	    (me < pid_max && !pid_bpf_marked(pb, me))) {
		err_set(err, EXDEV,
		    "PID sweep: this process is pid %u to the kernel and %d "
		    "here: another PID namespace",
		    hdr_get(pb, PID_BPF_SELF), me);
		goto fail;
	}
	return 0;
fail:
	pid_bpf_close(pb);
	return -1;
}

static void
bits_clear(struct pid_bpf *pb, int lo, int hi)
{
	uint8_t *bits = pb->m + PID_BPF_BITS;

	for (; lo < hi && (lo & 7) != 0; lo++)
		bits[lo >> 3] &= (uint8_t) ~(1u << (lo & 7));
	if (hi - lo >= 8) {
		memset(bits + (lo >> 3), 0, (size_t)(hi - lo) / 8);
		lo += (hi - lo) & ~7;
	}
	for (; lo < hi; lo++)
		bits[lo >> 3] &= (uint8_t) ~(1u << (lo & 7));
}

long
pid_bpf_sweep(struct pid_bpf *pb, int lo, int hi, struct err *err)
{
	if (lo < 0)
		lo = 0;
	if (hi > pb->pid_max)
		hi = pb->pid_max;
	if (lo >= hi)
		return 0;
	bits_clear(pb, lo, hi);
	hdr_put(pb, PID_BPF_COUNT, 0);
	for (int at = lo; at < hi;) {
		int to = hi - at > CHUNK ? at + CHUNK : hi;
		union bpf_attr a;

		hdr_put(pb, PID_BPF_LO, (uint32_t)at);
		hdr_put(pb, PID_BPF_HI, (uint32_t)to);
		memset(&a, 0, sizeof(a));
		a.test.prog_fd = (uint32_t)pb->prog;
		if (kbpf_sys(BPF_PROG_TEST_RUN, &a) == -1)
			return err_sys(err, errno, "cannot run the PID sweep");
		at = to;
	}
	return (long)hdr_get(pb, PID_BPF_COUNT);
}

int
pid_bpf_marked(const struct pid_bpf *pb, int pid)
{
	if (pb->m == NULL || pid < 0 || pid >= pb->pid_max)
		return 0;
	return (pb->m[PID_BPF_BITS + (pid >> 3)] >> (pid & 7)) & 1;
}

void
pid_bpf_close(struct pid_bpf *pb)
{
	if (pb->m != NULL)
		munmap(pb->m, pb->mlen);
	if (pb->prog >= 0)
		close(pb->prog);
	if (pb->map >= 0)
		close(pb->map);
	memset(pb, 0, sizeof(*pb));
	pb->prog = pb->map = -1;
}
