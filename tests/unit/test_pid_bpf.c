/*
 * test_pid_bpf.c - the PID sweep inside the kernel: its layout from small
 * BTF files (tests/fixtures/btf, made by make.py), the program's shape,
 * and, as root on this kernel, what the kernel marks: a live child, not a
 * thread's ID, not a reaped PID, every process the /proc listing shows
 * before and after (but one that even root may not inspect), and the
 * count.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bpf.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "collect/btf.h"
#include "collect/pid_bpf.h"

static void
load(const char *name, struct strbuf *sb)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/btf/%s", FIXTURES, name);
	assert_int_equal(file_read(path, 1 << 20, sb, NULL, NULL), 0);
}

/* The id of a function in the same BTF, looked up on its own. */
static uint32_t
func_id(const struct strbuf *sb, const char *name)
{
	struct btf b;
	struct btf_want w = {BTF_K_FUNC, name, 0};

	assert_int_equal(btf_init(&b, sb->p, sb->len, NULL), 0);
	assert_int_equal(btf_find(&b, &w, 1, NULL), 0);
	btf_release(&b);
	return w.id;
}

/* The offsets of Linux 6.18 (x86_64) and the functions, by name. */
static void
layout_from_btf(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct pid_bpf_layout l;
	struct err err = {0};

	(void)state;
	load("tasks.btf", &sb);
	assert_int_equal(pid_bpf_layout(sb.p, sb.len, &l, &err), 0);
	assert_int_equal(l.task_pid, 1264);
	assert_int_equal(l.task_tgid, 1268);
	assert_int_equal(l.from_pid, func_id(&sb, "bpf_task_from_pid"));
	assert_int_equal(l.release, func_id(&sb, "bpf_task_release"));
	assert_int_equal(l.num_new, func_id(&sb, "bpf_iter_num_new"));
	assert_int_equal(l.num_next, func_id(&sb, "bpf_iter_num_next"));
	assert_int_equal(l.num_destroy, func_id(&sb, "bpf_iter_num_destroy"));
	/* five different functions */
	assert_true(l.from_pid != l.release && l.num_new != l.num_next &&
	    l.num_next != l.num_destroy && l.from_pid != l.num_new);
	strbuf_release(&sb);
}

/* A kernel without a function is "not here" (1) with its name; cut or
 * foreign data is an error. */
static void
layout_refuses(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct pid_bpf_layout l;
	struct err err = {0};

	(void)state;
	load("tasks-old.btf", &sb);
	assert_int_equal(pid_bpf_layout(sb.p, sb.len, &l, &err), 1);
	assert_non_null(strstr(err.msg, "bpf_task_from_pid"));
	load("sock.btf", &sb);
	assert_int_equal(pid_bpf_layout(sb.p, sb.len, &l, &err), 1);
	assert_non_null(strstr(err.msg, "task_struct"));
	load("tasks.btf", &sb);
	for (size_t cut = 0; cut < sb.len; cut += 7) {
		int r = pid_bpf_layout(sb.p, cut, &l, &err);

		assert_true(r == -1 || r == 1);
	}
	strbuf_release(&sb);
}

/* Jumps land inside, the loop goes back, the calls are the layout's, the
 * map is the one given, and the bitmap bound is its size. */
static void
program_shape(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct pid_bpf_layout l;
	struct bpf_insn p[PID_BPF_INSNS];
	size_t n;
	int back = 0, bound = 0, kcalls = 0;

	(void)state;
	load("tasks.btf", &sb);
	assert_int_equal(pid_bpf_layout(sb.p, sb.len, &l, NULL), 0);
	n = pid_bpf_program(&l, 42, 32768, p);
	assert_true(n > 10 && n <= PID_BPF_INSNS);
	assert_int_equal(p[n - 1].code, BPF_JMP | BPF_EXIT);
	assert_int_equal(p[0].code, BPF_LD | BPF_DW | BPF_IMM);
	assert_int_equal(p[0].src_reg, BPF_PSEUDO_MAP_VALUE);
	assert_int_equal(p[0].imm, 42);
	for (size_t i = 0; i < n; i++) {
		unsigned cls = p[i].code & 7, op = p[i].code & 0xf0;

		if (cls == BPF_JMP && op == BPF_CALL &&
		    p[i].src_reg == BPF_PSEUDO_KFUNC_CALL) {
			uint32_t id = (uint32_t)p[i].imm;

			assert_true(id == l.from_pid || id == l.release ||
			    id == l.num_new || id == l.num_next ||
			    id == l.num_destroy);
			kcalls++;
		} else if (cls == BPF_JMP && op != BPF_CALL && op != BPF_EXIT) {
			long to = (long)i + 1 + p[i].off;

			assert_true(to >= 0 && to < (long)n);
			back += to <= (long)i;
		}
		if (p[i].code == (BPF_JMP | BPF_JGE | BPF_K))
			bound += p[i].imm == 32768 / 8;
	}
	assert_int_equal(kcalls, 5);
	assert_int_equal(back, 1);
	assert_int_equal(bound, 1);
	strbuf_release(&sb);
}

static int
can_run(void)
{
	return geteuid() == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0;
}

static int tid_of_thread;

/* A thread that says its ID, then waits for a byte on the pipe. */
static void *
idle_tid(void *arg)
{
	int *fd = arg;
	char c;

	__atomic_store_n(
	    &tid_of_thread, (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	(void)!read(*fd, &c, 1);
	return NULL;
}

/* The numeric entries of /proc, as bits. */
static void
listing(uint8_t *bits, int pid_max)
{
	struct dirent *de;
	DIR *d = opendir("/proc");

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		long v = strtol(de->d_name, NULL, 10);

		if (v > 0 && v < pid_max)
			bits[v >> 3] |= (uint8_t)(1u << (v & 7));
	}
	closedir(d);
}

/*
 * A process even root may not inspect (its /proc/PID/ns links say
 * EACCES): the sandbox this was written in protects its PID 1 that way,
 * and the kernel does not hand it to a BPF program either.
 */
static int protected(int pid)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	if (readlink(path, buf, sizeof(buf)) != -1 || errno != EACCES)
		return 0;
	print_message(
	    "pid %d is protected from inspection: not counted\n", pid);
	return 1;
}

/*
 * As root: the kernel marks a child that lives, not the ID of a thread
 * of ours, not a child once reaped; every PID listed both before and
 * after the sweep is marked; the count is the number of bits.
 */
static void
kernel_marks_processes(void **state)
{
	struct pid_bpf pb;
	struct err err = {0};
	int pid_max = 1 << 22, fds[2], marked = 0;
	pid_t child;
	pthread_t th;
	long n;
	uint8_t *before, *after;

	(void)state;
	if (!can_run())
		skip();
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pthread_create(&th, NULL, idle_tid, &fds[0]), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test ends it */
		pause();
		_exit(0);
	}
	while (__atomic_load_n(&tid_of_thread, __ATOMIC_SEQ_CST) == 0)
		usleep(1000);
	before = calloc((size_t)pid_max / 8, 1);
	after = calloc((size_t)pid_max / 8, 1);
	assert_non_null(before);
	assert_non_null(after);
	if (pid_bpf_open(&pb, pid_max, &err) == -1)
		fail_msg("the kernel refused the PID sweep: %s", err.msg);
	listing(before, pid_max);
	n = pid_bpf_sweep(&pb, 1, pid_max, &err);
	listing(after, pid_max);
	assert_true(n > 0);
	assert_true(pid_bpf_marked(&pb, getpid()));
	assert_true(pid_bpf_marked(&pb, child));
	assert_true(pid_bpf_marked(&pb, 2)); /* kthreadd */
	assert_false(pid_bpf_marked(&pb, tid_of_thread));
	for (int pid = 1; pid < pid_max; pid++) {
		int both =
		    (before[pid >> 3] & after[pid >> 3]) >> (pid & 7) & 1;

		marked += pid_bpf_marked(&pb, pid);
		if (!both || pid_bpf_marked(&pb, pid) || protected(pid))
			continue;
		fail_msg("pid %d is listed but was not marked", pid);
	}
	assert_int_equal(marked, n);
	/* one PID again, after it is gone */
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(pid_bpf_sweep(&pb, child, child + 1, &err), 0);
	assert_false(pid_bpf_marked(&pb, child));
	assert_true(pid_bpf_marked(&pb, getpid())); /* other bits are kept */
	pid_bpf_close(&pb);
	(void)!write(fds[1], "x", 1);
	pthread_join(th, NULL);
	free(before);
	free(after);
}

/* A bitmap smaller than our PID: the sweep still runs and marks within
 * it only; the range is clipped to it. */
static void
small_range(void **state)
{
	struct pid_bpf pb;
	struct err err = {0};
	long n;

	(void)state;
	if (!can_run())
		skip();
	if (pid_bpf_open(&pb, 64, &err) == -1)
		fail_msg("the kernel refused the PID sweep: %s", err.msg);
	n = pid_bpf_sweep(&pb, -5, 1 << 20, &err);
	assert_true(n >= 1); /* kthreadd, at least */
	assert_true(pid_bpf_marked(&pb, 2));
	assert_false(pid_bpf_marked(&pb, 64));
	assert_false(pid_bpf_marked(&pb, -1));
	pid_bpf_close(&pb);
	pid_bpf_close(&pb); /* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(layout_from_btf),
	    cmocka_unit_test(layout_refuses),
	    cmocka_unit_test(program_shape),
	    cmocka_unit_test(kernel_marks_processes),
	    cmocka_unit_test(small_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
