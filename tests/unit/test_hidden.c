/*
 * test_hidden.c - the hidden-process scan: a listing that omits a live PID
 * (this test's own) must name it, through the kernel's sweep and through
 * system calls; the real listing with extra threads
 * running must name nothing; the cross-checks alone (no sweep) find a
 * child hidden from the listing through its parent's children file and
 * through cgroup.procs; the hidepid mount option is recognised.
 */
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/fileio.h"
#include "collect/hidden.h"

/* The real /proc listing, minus the PID in ctx: what a rootkit does. */
static int
list_without(void *ctx, uint8_t *bits, int pid_max, struct err *err)
{
	int pid = *(int *)ctx;

	if (hidden_list_proc(NULL, bits, pid_max, err) == -1)
		return -1;
	if (pid < pid_max)
		bits[pid >> 3] &= (uint8_t) ~(1u << (pid & 7));
	return 0;
}

/*
 * The listing omits this test's own PID: the scan names it, by each
 * system call, /proc/PID, and (as root on this kernel, unless no_bpf) by
 * the kernel's sweep.
 */
static void
omitted_pid_is_named(int no_bpf)
{
	struct hidden_opts o = {0};
	struct hidden_result r;
	struct err err = {0};
	int me = getpid(), found = 0;
	int kernel = !no_bpf && geteuid() == 0 &&
	    access("/sys/kernel/btf/vmlinux", R_OK) == 0;

	unsetenv("SAKIMORI_HIDDEN_BPF");
	o.list = list_without;
	o.list_ctx = &me;
	o.thorough = 1;
	o.no_bpf = no_bpf;
	assert_int_equal(hidden_scan(&o, &r, &err), 0);
	if (kernel && !r.kernel_sweep)
		fail_msg(
		    "the kernel's sweep did not run: %s", r.why_not_kernel);
	assert_int_equal(r.kernel_sweep, kernel);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].pid == me) {
			found = 1;
			assert_true(r.v[i].how & HIDDEN_BY_KILL);
			assert_true(r.v[i].how & HIDDEN_BY_PRIO);
			assert_true(r.v[i].how & HIDDEN_BY_SCHED);
			assert_true(r.v[i].how & HIDDEN_BY_PROC);
			assert_int_equal(
			    !!(r.v[i].how & HIDDEN_BY_KERNEL), kernel);
			assert_int_equal(r.v[i].uid, getuid());
			assert_string_equal(r.v[i].comm, "test_hidden");
		}
	assert_true(found);
	assert_true(r.listed > 1);
	hidden_result_release(&r);
}

static void
fake_listing_omits_a_live_pid(void **state)
{
	(void)state;
	omitted_pid_is_named(0);
}

static void
fake_listing_by_system_calls(void **state)
{
	(void)state;
	omitted_pid_is_named(1);
}

/* SAKIMORI_HIDDEN_BPF=1 where the kernel's sweep cannot run is an error
 * naming why, not a quiet fallback; as root here it runs. */
static void
kernel_sweep_required(void **state)
{
	struct hidden_opts o = {0};
	struct hidden_result r;
	struct err err = {0};
	int me = 1 << 30; /* omit nothing */
	int rc;

	(void)state;
	o.list = list_without;
	o.list_ctx = &me;
	setenv("SAKIMORI_HIDDEN_BPF", "1", 1);
	rc = hidden_scan(&o, &r, &err);
	unsetenv("SAKIMORI_HIDDEN_BPF");
	if (geteuid() == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		if (rc != 0)
			fail_msg("%s", err.msg);
		assert_true(r.kernel_sweep);
		assert_int_equal(r.n, 0);
		hidden_result_release(&r);
	} else {
		assert_int_equal(rc, -1);
		assert_non_null(strstr(err.msg, "SAKIMORI_HIDDEN_BPF=1"));
	}
}

static void *
idle(void *arg)
{
	int *fd = arg;
	char c;

	(void)!read(*fd, &c, 1);
	return NULL;
}

static void
threads_are_not_hidden(void **state)
{
	struct hidden_opts o = {0};
	struct hidden_result r;
	struct err err = {0};
	pthread_t t[3];
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, idle, &p[0]), 0);
	/* as the foreign listing would, the real one omits thread IDs */
	assert_int_equal(hidden_scan(&o, &r, &err), 0);
	if (!r.hidepid) {
		for (size_t i = 0; i < r.n; i++)
			print_error(
			    "reported pid %d (%s)\n", r.v[i].pid, r.v[i].comm);
		assert_int_equal(r.n, 0);
		assert_true(r.threads >= 3);
	}
	hidden_result_release(&r);
	close(p[1]);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	close(p[0]);
}

static void
pid_range_is_bounded(void **state)
{
	struct hidden_opts o = {0};
	struct hidden_result r;
	struct err err = {0};
	int me = 1 << 30; /* omit nothing */

	(void)state;
	o.pid_max = 300;
	o.list = list_without;
	o.list_ctx = &me;
	assert_int_equal(hidden_scan(&o, &r, &err), 0);
	assert_int_equal(r.pid_max, 300);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.v[i].pid < 300);
	hidden_result_release(&r);
}

/* A child that waits for us; its pid. */
static pid_t
child_start(void)
{
	pid_t c = fork();

	assert_true(c >= 0);
	if (c == 0) {
		pause();
		_exit(0);
	}
	return c;
}

static void
child_stop(pid_t c)
{
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
}

/* 1 if r names pid with all the bits of how. */
static int
names(const struct hidden_result *r, int pid, unsigned how)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].pid == pid)
			return (r->v[i].how & how) == how;
	return 0;
}

static void
children_cross_check_finds_a_hidden_child(void **state)
{
	struct hidden_opts o = {0};
	struct hidden_result r;
	struct err err = {0};
	int c = child_start();

	(void)state;
	o.list = list_without;
	o.list_ctx = &c;
	o.no_sweep = 1; /* no brute force: the children file alone */
	o.no_cgroups = 1;
	assert_int_equal(hidden_scan(&o, &r, &err), 0);
	assert_true(r.children >= 1);
	assert_true(names(&r, c, HIDDEN_BY_CHILDREN | HIDDEN_BY_KILL));
	assert_int_equal(r.n, 1);
	hidden_result_release(&r);
	/* with nothing omitted, nothing is named */
	{
		int none = 1 << 30;

		o.list_ctx = &none;
		assert_int_equal(hidden_scan(&o, &r, &err), 0);
		assert_int_equal(r.n, 0);
		hidden_result_release(&r);
	}
	child_stop(c);
}

static void
cgroup_cross_check_finds_a_hidden_child(void **state)
{
	struct hidden_opts o = {0};
	struct hidden_result r;
	struct err err = {0};
	int c = child_start();

	(void)state;
	o.list = list_without;
	o.list_ctx = &c;
	o.no_sweep = 1;
	o.no_children = 1; /* cgroup.procs alone */
	assert_int_equal(hidden_scan(&o, &r, &err), 0);
	if (r.cgroups == 0) {
		child_stop(c);
		hidden_result_release(&r);
		skip(); /* no cgroup hierarchy mounted here */
	}
	assert_true(names(&r, c, HIDDEN_BY_CGROUP | HIDDEN_BY_KILL));
	hidden_result_release(&r);
	/* a fixture hierarchy: one cgroup.procs naming the child */
	{
		char dir[] = "/tmp/test_hidden.XXXXXX", file[64], sub[64];
		FILE *fp;

		assert_non_null(mkdtemp(dir));
		snprintf(sub, sizeof(sub), "%s/a.slice", dir);
		assert_int_equal(mkdir(sub, 0700), 0);
		assert_int_equal(
		    path_join(file, sizeof(file), sub, "cgroup.procs"), 0);
		fp = fopen(file, "w");
		assert_non_null(fp);
		fprintf(fp, "1\n%d\n", c);
		fclose(fp);
		o.cgroup_dir = dir;
		assert_int_equal(hidden_scan(&o, &r, &err), 0);
		assert_int_equal(r.cgroups, 1); /* the root has none: a.slice */
		assert_true(names(&r, c, HIDDEN_BY_CGROUP));
		hidden_result_release(&r);
		unlink(file);
		rmdir(sub);
		rmdir(dir);
	}
	child_stop(c);
}

static void
hidepid_option(void **state)
{
	const char plain[] = "21 26 0:20 / /proc rw,relatime - proc proc rw\n";
	const char hp[] = "1 2 0:5 / /sys rw - sysfs sysfs rw\n"
	                  "21 26 0:20 / /proc rw - proc proc rw,hidepid=2\n";
	const char inv[] =
	    "21 26 0:20 / /proc rw - proc proc rw,hidepid=invisible\n";
	const char off[] = "21 26 0:20 / /proc rw - proc proc rw,hidepid=0\n";

	(void)state;
	assert_int_equal(hidden_proc_hidepid(plain, strlen(plain)), 0);
	assert_int_equal(hidden_proc_hidepid(hp, strlen(hp)), 1);
	assert_int_equal(hidden_proc_hidepid(inv, strlen(inv)), 1);
	assert_int_equal(hidden_proc_hidepid(off, strlen(off)), 0);
	assert_int_equal(hidden_proc_hidepid("", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fake_listing_omits_a_live_pid),
	    cmocka_unit_test(fake_listing_by_system_calls),
	    cmocka_unit_test(kernel_sweep_required),
	    cmocka_unit_test(threads_are_not_hidden),
	    cmocka_unit_test(pid_range_is_bounded),
	    cmocka_unit_test(children_cross_check_finds_a_hidden_child),
	    cmocka_unit_test(cgroup_cross_check_finds_a_hidden_child),
	    cmocka_unit_test(hidepid_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
