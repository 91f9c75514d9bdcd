/*
 * test_procfd.c - socket inode to process: the link parser, a fixture
 * tree (including a process that vanished and one without an exe link),
 * built from /proc or from a list of pids, and the live /proc with a socket this test holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/mem.h"
#include "collect/procfd.h"

static void
link_parser(void **state)
{
	uint64_t ino;

	(void)state;
	assert_int_equal(procfd_parse_link("socket:[12345]", 14, &ino), 0);
	assert_int_equal(ino, 12345);
	assert_int_equal(procfd_parse_link("socket:[12345", 13, &ino), -1);
	assert_int_equal(procfd_parse_link("pipe:[12345]", 12, &ino), -1);
	assert_int_equal(procfd_parse_link("socket:[]", 9, &ino), -1);
	assert_int_equal(procfd_parse_link("socket:[1]x", 11, &ino), -1);
	assert_int_equal(procfd_parse_link("/dev/null", 9, &ino), -1);
	assert_int_equal(
	    procfd_parse_link("socket:[99999999999999999999]", 29, &ino), -1);
}

static void
mk(const char *root, const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
fixture_tree(void **state)
{
	char root[] = "/tmp/sakimori-procfd.XXXXXX", path[512], link[512];
	struct procfd_map m;
	struct err err = {0};
	const struct procfd_owner *o;

	(void)state;
	assert_non_null(mkdtemp(root));
	/* 100: sshd holding socket 4242 (and a pipe); 200: fd dir missing
	 * (vanished); 300: a worker holding 4242 too, and 777 without exe. */
	static const char *const dirs[] = {"/proc", "/proc/100", "/proc/100/fd",
	    "/proc/200", "/proc/300", "/proc/300/fd", "/proc/self-not-a-pid"};
	for (size_t i = 0; i < countof(dirs); i++) {
		snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	mk(root, "/proc/100/comm", "sshd\n");
	mk(root, "/proc/300/comm", "worker\n");
	struct {
		const char *at, *to;
	} links[] = {
	    {"/proc/100/fd/3", "socket:[4242]"},
	    {"/proc/100/fd/4", "pipe:[5]"},
	    {"/proc/100/exe", "/usr/sbin/sshd"},
	    {"/proc/300/fd/3", "socket:[4242]"},
	    {"/proc/300/fd/7", "socket:[777]"},
	};
	for (size_t i = 0; i < countof(links); i++) {
		snprintf(link, sizeof(link), "%s%s", root, links[i].at);
		assert_int_equal(symlink(links[i].to, link), 0);
	}
	assert_int_equal(procfd_map_build(&m, root, &err), 0);
	o = procfd_map_find(&m, 4242);
	assert_non_null(o);
	assert_int_equal(o->pid, 100); /* the lowest PID wins */
	assert_string_equal(o->comm, "sshd");
	assert_string_equal(o->exe, "/usr/sbin/sshd");
	o = procfd_map_find(&m, 777);
	assert_non_null(o);
	assert_int_equal(o->pid, 300);
	assert_string_equal(o->exe, "");
	assert_null(procfd_map_find(&m, 5));
	assert_int_equal(m.skipped, 1); /* 200 had no fd directory */
	procfd_map_release(&m);
	/* only the listed processes: 300's sockets alone, 200 gone, 999 never
	 * there; 100's socket is not read */
	static const int pids[] = {200, 300, 999};
	assert_int_equal(
	    procfd_map_build_pids(&m, root, pids, countof(pids), &err), 0);
	o = procfd_map_find(&m, 4242);
	assert_non_null(o);
	assert_int_equal(o->pid, 300);
	assert_string_equal(o->comm, "worker");
	assert_non_null(procfd_map_find(&m, 777));
	assert_int_equal(m.n, 2);
	assert_int_equal(m.skipped, 2); /* 200 and 999 */
	procfd_map_release(&m);
	assert_int_equal(procfd_map_build_pids(&m, root, NULL, 0, &err), 0);
	assert_int_equal(m.n, 0);
	procfd_map_release(&m);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);
}

static void
live_socket_is_ours(void **state)
{
	struct procfd_map m;
	struct err err = {0};
	const struct procfd_owner *o;
	struct stat st;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_true(s >= 0);
	assert_int_equal(fstat(s, &st), 0);
	assert_int_equal(procfd_map_build(&m, NULL, &err), 0);
	o = procfd_map_find(&m, (uint64_t)st.st_ino);
	assert_non_null(o);
	assert_int_equal(o->pid, getpid());
	assert_int_equal(o->uid, getuid());
	assert_non_null(strstr(o->exe, "test_procfd"));
	procfd_map_release(&m);
	close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(link_parser),
	    cmocka_unit_test(fixture_tree),
	    cmocka_unit_test(live_socket_is_ours),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
