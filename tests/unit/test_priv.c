/*
 * test_priv.c - the privilege-separation channel (agent/priv.h): the
 * decoder on good, short, oversized, wrongly typed and fd-less messages
 * and on hostile bodies; sending and receiving with descriptors over a
 * socketpair; the parent's allow-list of logs and its services; the
 * supervisor's words for a child's death (agent/child.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "act/act.h"
#include "act/alert.h"
#include "act/kill.h"
#include "agent/child.h"
#include "agent/expo.h"
#include "agent/logs_tally.h"
#include "agent/priv.h"
#include "base/bounded.h"
#include "base/err.h"
#include "base/output.h"
#include "net/block.h"

#include "conf_of.h"
#include "rm_tree.h"

static char buf[PRIV_MSG_MAX + 64];

/* Decodes a message of type with body, as sent by from with nfds. */
static int
dec(enum priv_from from, enum priv_type type, const void *body, size_t n,
    size_t nfds, struct priv_msg *m, struct err *err)
{
	size_t len = priv_msg_encode(buf, sizeof(buf), type, 42, body, n);

	assert_true(len > 0);
	err_clear(err);
	return priv_msg_decode(buf, len, nfds, from, m, err);
}

static struct priv_msg msg;

static void
good_messages(void **state)
{
	struct err err;
	struct priv_block_req b = {0};
	struct priv_kill_req k = {0};
	struct alert_event e = {0};
	struct priv_error pe = {0};
	struct priv_done d = {7};

	(void)state;
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_OPEN, "/var/log/syslog", 16,
	                     0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_OPEN);
	assert_int_equal(msg.id, 42);
	assert_int_equal(msg.fd, -1);
	assert_string_equal(msg.u.path, "/var/log/syslog");

	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_NOTE, "hello", 6, 0, &msg, &err), 0);
	assert_string_equal(msg.u.text, "hello");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_NOTE, "quit", 5, 0, &msg, &err), 0);

	b.p.family = AF_INET;
	b.p.len = 24;
	memcpy(b.p.addr, "\xc0\x00\x02\x63", 4); /* 192.0.2.99/24 */
	b.secs = 3600;
	strcpy(b.by, "rule:web-attack");
	strcpy(b.reason, "sqli");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &b, sizeof(b), 0, &msg, &err), 0);
	assert_int_equal(msg.u.block.p.len, 24);
	/* host bits are cleared: the parent blocks 192.0.2.0/24 */
	assert_memory_equal(msg.u.block.p.addr, "\xc0\x00\x02\x00", 4);
	assert_int_equal(msg.u.block.secs, 3600);
	assert_string_equal(msg.u.block.by, "rule:web-attack");

	k.pid = 1234;
	k.start_ticks = 99;
	k.grace = 5;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_KILL, &k, sizeof(k), 0, &msg, &err), 0);
	assert_int_equal(msg.u.kill.pid, 1234);
	assert_int_equal(msg.u.kill.start_ticks, 99);

	e.kind = ALERT_OPEN;
	e.sev = SEV_WARNING;
	e.problem = 12;
	strcpy(e.check, "web-attack");
	strcpy(e.subject, "192.0.2.99");
	e.nev = 1;
	strcpy(e.ev[0].key, "count");
	strcpy(e.ev[0].val, "20");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_ALERT, &e, sizeof(e), 0, &msg, &err), 0);
	assert_string_equal(msg.u.alert.subject, "192.0.2.99");
	assert_string_equal(msg.u.alert.ev[0].val, "20");

	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_FD, NULL, 0, 1, &msg, &err), 0);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_DONE, &d, sizeof(d), 0, &msg, &err), 0);
	assert_int_equal(msg.u.done.result, 7);
	pe.code = EPERM;
	strcpy(pe.msg, "'/etc/shadow' is not a followed log");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_ERROR, &pe, sizeof(pe), 0, &msg, &err),
	    0);
	assert_string_equal(msg.u.error.msg, pe.msg);
}

static void
short_messages(void **state)
{
	struct err err = {0};
	struct priv_block_req b = {0};
	size_t len;

	(void)state;
	/* shorter than a header */
	assert_int_equal(
	    priv_msg_decode(buf, 0, 0, PRIV_FROM_CHILD, &msg, &err), -1);
	assert_int_equal(priv_msg_decode(buf, sizeof(struct priv_hdr) - 1, 0,
	                     PRIV_FROM_CHILD, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "shorter than its header"));
	/* a header that claims more than came */
	len = priv_msg_encode(buf, sizeof(buf), PRIV_OPEN, 1, "/a/b", 5);
	assert_int_equal(
	    priv_msg_decode(buf, len - 1, 0, PRIV_FROM_CHILD, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "says 17 bytes, has 16"));
	/* a fixed body one byte short */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &b, sizeof(b) - 1, 0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "block: body of"));
	/* empty strings */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_OPEN, "", 0, 0, &msg, &err), -1);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_NOTE, "", 0, 0, &msg, &err), -1);
}

static void
oversized_messages(void **state)
{
	static char big[PRIV_MSG_MAX];
	struct err err = {0};
	struct alert_event e[2] = {0};
	struct priv_hdr h;
	size_t len;

	(void)state;
	/* a path of PRIV_PATH_MAX bytes and its NUL */
	big[0] = '/';
	memset(big + 1, 'a', PRIV_PATH_MAX - 1);
	big[PRIV_PATH_MAX] = '\0';
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_OPEN, big, PRIV_PATH_MAX + 1,
	                     0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "open: body of 4097 bytes"));
	/* a fixed body one byte long */
	h.type = PRIV_ALERT;
	h.len = (uint32_t)(sizeof(h) + sizeof(e[0]) + 1);
	h.id = 1;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(
	    priv_msg_decode(buf, h.len, 0, PRIV_FROM_CHILD, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "alert: body of"));
	/* the encoder refuses what no datagram may hold */
	assert_int_equal(
	    priv_msg_encode(buf, sizeof(buf), PRIV_NOTE, 1, big, PRIV_MSG_MAX),
	    0);
	len = priv_msg_encode(buf, 8, PRIV_NOTE, 1, "x", 2);
	assert_int_equal(len, 0);
}

static void
wrong_types(void **state)
{
	static const uint32_t bad[] = {0, PRIV_TYPE_MAX, 999, 0xffffffffu};
	struct priv_done d = {0};
	struct priv_hdr h;
	struct err err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h.type = bad[i];
		h.len = sizeof(h);
		h.id = 1;
		memcpy(buf, &h, sizeof(h));
		assert_int_equal(priv_msg_decode(buf, sizeof(h), 0,
		                     PRIV_FROM_CHILD, &msg, &err),
		    -1);
		assert_int_equal(priv_msg_decode(buf, sizeof(h), 0,
		                     PRIV_FROM_PARENT, &msg, &err),
		    -1);
	}
	/* a reply from a child, a request from the parent */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_FD, NULL, 0, 1, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "(fd) not allowed from the child"));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_DONE, &d, sizeof(d), 0, &msg, &err), -1);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_OPEN, "/a", 3, 0, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "not allowed from the parent"));
	assert_string_equal(priv_type_name(0), "?");
	assert_string_equal(priv_type_name(PRIV_TYPE_MAX), "?");
	assert_string_equal(priv_type_name(PRIV_OPEN), "open");
}

static void
descriptors_counted(void **state)
{
	struct err err = {0};

	(void)state;
	/* PRIV_FD without its descriptor, or with two */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_FD, NULL, 0, 0, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "fd: 0 descriptors, wants 1"));
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_FD, NULL, 0, 2, &msg, &err), -1);
	/* any other type with one */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_OPEN, "/a", 3, 1, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "open: 1 descriptors, wants 0"));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_NOTE, "x", 2, 1, &msg, &err), -1);
	/* a PRIV_FD has no body */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_FD, "x", 2, 1, &msg, &err), -1);
}

static void
hostile_paths(void **state)
{
	static const char *const bad[] = {"var/log/x", "/var/log/../../etc",
	    "/var/log/./x", "/var//log/x", "/var/log/", "/..", "/", "/a/.."};
	struct err err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_OPEN, bad[i],
		                     strlen(bad[i]) + 1, 0, &msg, &err),
		    -1);
		assert_non_null(strstr(err.msg, "not a clean absolute path"));
	}
	/* a NUL inside, none at the end */
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_OPEN, "/a\0/etc/shadow", 15,
	                     0, &msg, &err),
	    -1);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_OPEN, "/abc", 4, 0, &msg, &err), -1);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_NOTE, "a\0b", 4, 0, &msg, &err), -1);
	/* dots inside a name are names */
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_OPEN, "/var/log/..x/a.log.1",
	                     21, 0, &msg, &err),
	    0);
}

static void
hostile_requests(void **state)
{
	struct err err = {0};
	struct priv_block_req b = {0}, g;
	struct priv_kill_req k = {0};
	struct alert_event e = {0};
	struct priv_block_rep r = {0};

	(void)state;
	b.p.family = AF_INET6;
	b.p.len = 64;
	strcpy(b.by, "rule:x");
	g = b;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), 0);
	g.p.family = AF_UNIX;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	g = b, g.p.len = 129;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	g = b, g.p.family = AF_INET, g.p.len = 33;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	g = b, g.secs = NET_BLOCK_MAX_SECS + 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	/* a child blocks only in a rule's name */
	g = b, strcpy(g.by, "user:root");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	g = b, strcpy(g.by, "rule:a b");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	g = b, memset(g.by, 'a', sizeof(g.by));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);
	g = b, memset(g.reason, 'a', sizeof(g.reason));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_BLOCK, &g, sizeof(g), 0, &msg, &err), -1);

	k.pid = 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_KILL, &k, sizeof(k), 0, &msg, &err), -1);
	k.pid = -5;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_KILL, &k, sizeof(k), 0, &msg, &err), -1);
	k.pid = 300;
	k.grace = NAN;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_KILL, &k, sizeof(k), 0, &msg, &err), -1);
	k.grace = PRIV_GRACE_MAX + 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_KILL, &k, sizeof(k), 0, &msg, &err), -1);
	k.grace = -1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_KILL, &k, sizeof(k), 0, &msg, &err), -1);

	memset(e.check, 'x', sizeof(e.check));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_ALERT, &e, sizeof(e), 0, &msg, &err), -1);
	memset(&e, 0, sizeof(e));
	e.nev = FINDING_MAX_EV + 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_ALERT, &e, sizeof(e), 0, &msg, &err), -1);
	e.nev = 1;
	memset(e.ev[0].val, 'v', sizeof(e.ev[0].val));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_ALERT, &e, sizeof(e), 0, &msg, &err), -1);
	memset(&e, 0, sizeof(e));
	e.kind = (enum alert_kind)9;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_ALERT, &e, sizeof(e), 0, &msg, &err), -1);
	e.kind = ALERT_OPEN;
	e.sev = (enum sev)4;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_ALERT, &e, sizeof(e), 0, &msg, &err), -1);

	/* and what a child decodes of a reply */
	r.status = NET_BLOCK_ABSENT + 1;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_BLOCKED, &r, sizeof(r), 0, &msg, &err),
	    -1);
}

/* The receiving end's count of open descriptors is checked by EOF. */
static void
send_and_receive(void **state)
{
	struct err err = {0};
	struct priv_hdr h = {PRIV_NOTE, sizeof(h) + 2, 3};
	int sv[2], pp[2], fd, r;
	struct stat a, b;
	char c;

	(void)state;
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	/* a descriptor travels with its PRIV_FD */
	fd = open(FIXTURES "/conf", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(priv_send(sv[0], PRIV_FD, 9, NULL, 0, fd, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_FD);
	assert_int_equal(msg.id, 9);
	assert_true(msg.fd >= 0 && msg.fd != fd);
	assert_int_equal(fstat(fd, &a), 0);
	assert_int_equal(fstat(msg.fd, &b), 0);
	assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	assert_true(fcntl(msg.fd, F_GETFD) & FD_CLOEXEC);
	close(msg.fd);
	close(fd);

	/*
	 * A descriptor a child slips in with a note is refused and closed:
	 * the pipe's read end sees end of file once both copies of the
	 * write end are gone.
	 */
	assert_int_equal(pipe(pp), 0);
	assert_int_equal(
	    priv_send(sv[0], PRIV_NOTE, 1, "x", 2, pp[1], &err), 0);
	close(pp[1]);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_CHILD, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "note: 1 descriptors"));
	assert_int_equal(msg.fd, -1);
	assert_int_equal(read(pp[0], &c, 1), 0);
	close(pp[0]);

	/* a datagram larger than any message is refused (truncated) */
	{
		static char huge[PRIV_MSG_MAX + 100];

		memcpy(huge, &h, sizeof(h));
		assert_true(send(sv[0], huge, sizeof(huge), 0) > 0);
		assert_int_equal(
		    priv_recv(sv[1], PRIV_FROM_CHILD, &msg, &err), -1);
		assert_non_null(strstr(err.msg, "truncated"));
	}
	/* a raw note whose header is right */
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), "y", 2);
	assert_true(send(sv[0], buf, sizeof(h) + 2, 0) > 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_CHILD, &msg, &err), 1);
	assert_string_equal(msg.u.text, "y");

	/* the peer gone: end of file, and a send says so */
	close(sv[0]);
	r = priv_recv(sv[1], PRIV_FROM_CHILD, &msg, &err);
	assert_int_equal(r, 0);
	assert_int_equal(priv_send_note(sv[1], "x", &err), -1);
	assert_int_equal(err.code, EPIPE);
	close(sv[1]);
}

static void
allow_list(void **state)
{
	static const char *const yes[] = {"/var/log/apache2/access.log",
	    "/var/log/apache2/access.log.1", "/var/log/apache2/access.log.2.gz",
	    "/var/log/apache2/access.log-20260101",
	    "/var/log/apache2/access.log-20260101.gz", "/dev/kmsg"};
	static const char *const no[] = {"/var/log/apache2/access.log1",
	    "/var/log/apache2/access.log.", "/var/log/apache2/access.lo",
	    "/var/log/apache2/error.log", "/var/log/apache2/access.log.1/x",
	    "/var/log/apache2/access.log.a b", "/etc/shadow", "/dev/kmsg.1x/y",
	    "/var/log/access.log"};
	struct priv_parent p;
	struct err err = {0};
	int exact;

	(void)state;
	priv_parent_init(&p);
	assert_int_equal(
	    priv_allow_path(&p, "/var/log/apache2/access.log", &err), 0);
	assert_int_equal(priv_allow_path(&p, "/dev/kmsg", &err), 0);
	assert_int_equal(priv_allow_path(&p, "relative.log", &err), -1);
	assert_non_null(strstr(err.msg, "'relative.log': not an absolute"));
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(priv_path_allowed(&p, yes[i], &exact));
	assert_true(priv_path_allowed(&p, "/dev/kmsg", &exact) && exact);
	assert_true(
	    priv_path_allowed(&p, "/var/log/apache2/access.log.1", &exact) &&
	    !exact);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(priv_path_allowed(&p, no[i], &exact));
	priv_parent_release(&p);
}

static int alerts;

static int
fake_alert(void *arg, const struct alert_event *e, struct err *err)
{
	(void)arg;
	(void)err;
	assert_string_equal(e->check, "load");
	alerts++;
	return 0;
}

/* Serves m on one end, returns the reply read on the other. */
static void
serve(struct priv_parent *p, int sv[2], const struct priv_msg *m)
{
	struct err err = {0};

	assert_int_equal(priv_serve(p, "logs", sv[0], m, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
}

static void
parent_services(void **state)
{
	static struct priv_msg req;
	struct act_ops ops = {0};
	struct conf *c;
	struct priv_parent p;
	struct err err = {0};
	char dir[] = "/tmp/test_priv.XXXXXX", path[64], link[64], sub[64];
	int sv[2], fd;
	char line[16] = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	str_printf(path, sizeof(path), "%s/access.log", dir);
	str_printf(link, sizeof(link), "%s/access.log.1", dir);
	str_printf(sub, sizeof(sub), "%s/access.log.2", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "GET /\n", 6), 6);
	close(fd);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	priv_parent_init(&p);
	assert_int_equal(priv_allow_path(&p, path, &err), 0);

	/* an allowed log: its descriptor, read-only */
	req.type = PRIV_OPEN;
	req.id = 5;
	strcpy(req.u.path, path);
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_FD);
	assert_int_equal(msg.id, 5);
	assert_int_equal(read(msg.fd, line, sizeof(line) - 1), 6);
	assert_string_equal(line, "GET /\n");
	assert_int_equal(fcntl(msg.fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	assert_int_equal(write(msg.fd, "x", 1), -1);
	close(msg.fd);
	/* a rotated sibling that is a symbolic link: not followed */
	strcpy(req.u.path, link);
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_int_equal(msg.u.error.code, ELOOP);
	/* one that is a directory */
	strcpy(req.u.path, sub);
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_non_null(strstr(msg.u.error.msg, "is not a regular file"));
	/* a file not on the list */
	strcpy(req.u.path, "/etc/passwd");
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_int_equal(msg.u.error.code, EPERM);
	assert_string_equal(
	    msg.u.error.msg, "'/etc/passwd' is not a followed log");

	/* without actions: blocks, kills and alerts are refused */
	req.type = PRIV_BLOCK;
	memset(&req.u.block, 0, sizeof(req.u.block));
	req.u.block.p.family = AF_INET;
	req.u.block.p.len = 24;
	req.u.block.p.addr[0] = 192;
	strcpy(req.u.block.by, "rule:web-attack");
	strcpy(req.u.block.reason, "sqli");
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_ERROR);
	req.type = PRIV_ALERT;
	memset(&req.u.alert, 0, sizeof(req.u.alert));
	strcpy(req.u.alert.check, "load");
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_string_equal(msg.u.error.msg, "no alert actions");

	/* with them: the system's policy answers */
	c = conf_of("set admin-networks \"192.0.2.0/24\"\n");
	act_system(&ops, c, dir);
	p.ops = &ops;
	p.alert = fake_alert;
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_DONE);
	assert_int_equal(alerts, 1);
	req.type = PRIV_BLOCK;
	memset(&req.u.block, 0, sizeof(req.u.block));
	req.u.block.p.family = AF_INET;
	req.u.block.p.len = 32;
	memcpy(req.u.block.p.addr, "\xc0\x00\x02\x07", 4);
	req.u.block.secs = 60;
	strcpy(req.u.block.by, "rule:web-attack");
	strcpy(req.u.block.reason, "sqli");
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_BLOCKED);
	assert_int_equal(msg.u.blocked.status, NET_BLOCK_REFUSED);
	assert_non_null(strstr(msg.u.blocked.msg, "admin network"));
	/* a process whose start time is not the one judged: left alone */
	req.type = PRIV_KILL;
	memset(&req.u.kill, 0, sizeof(req.u.kill));
	req.u.kill.pid = getppid();
	req.u.kill.start_ticks = 1;
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_DONE);
	assert_int_equal(msg.u.done.result, KILL_GONE);
	/* never the parent itself, whatever its start time */
	req.u.kill.pid = getpid();
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_non_null(strstr(msg.u.error.msg, "the agent itself"));

	priv_parent_release(&p);
	conf_release(c);
	close(sv[0]);
	close(sv[1]);
	rm_tree(dir);
}

/* The alert hook of the real alert actions: a digest takes the event. */
static void
alert_hook(void **state)
{
	static struct priv_msg req;
	char dir[] = "/tmp/test_priv.XXXXXX";
	struct conf *c = conf_of("alert mail m { to \"a@example.org\"; "
	                         "digest 1h; checks load }\n");
	struct priv_parent p;
	struct alert_actions *a;
	struct err err = {0};
	int sv[2];

	(void)state;
	assert_non_null(mkdtemp(dir));
	a = alert_actions_new(c, dir, &err);
	assert_non_null(a);
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	priv_parent_init(&p);
	p.alert = priv_alert_actions;
	p.alert_arg = a;
	req.type = PRIV_ALERT;
	req.id = 3;
	req.u.alert.kind = ALERT_OPEN;
	req.u.alert.sev = SEV_WARNING;
	strcpy(req.u.alert.check, "load");
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_DONE);
	assert_int_equal(msg.u.done.result, 1);
	strcpy(req.u.alert.check, "memory");
	serve(&p, sv, &req);
	assert_int_equal(msg.type, PRIV_DONE);
	assert_int_equal(msg.u.done.result, 0);
	alert_actions_free(a);
	priv_parent_release(&p);
	conf_release(c);
	close(sv[0]);
	close(sv[1]);
	rm_tree(dir);
}

/* A finding of the access logs as the attacks analyzer makes one. */
static void
a_finding(struct priv_finding *pf)
{
	struct finding f = {0};

	f.sev = SEV_WARNING;
	f.time = 1700000000;
	strcpy(f.check, "web-attack");
	strcpy(f.subject, "192.0.2.99");
	strcpy(f.message, "sqli from 192.0.2.99");
	f.nev = 2;
	strcpy(f.ev[0].key, "count");
	strcpy(f.ev[0].val, "20");
	strcpy(f.ev[1].key, "rule");
	strcpy(f.ev[1].val, "942100");
	priv_finding_from(pf, 0, 123, &f);
}

static void
findings_and_progress(void **state)
{
	struct err err = {0};
	struct priv_finding pf;
	struct priv_progress pr = {
	    .set = 1, .lines = 10, .analysed = 9, .findings = 2};
	char longer[sizeof(pr) + 1];
	struct finding back;

	(void)state;
	a_finding(&pf);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_FINDING, &pf, sizeof(pf), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_FINDING);
	assert_int_equal(msg.u.finding.set, 0);
	assert_int_equal(msg.u.finding.line, 123);
	priv_finding_to(&back, &msg.u.finding);
	assert_int_equal(back.sev, SEV_WARNING);
	assert_int_equal(back.time, 1700000000);
	assert_string_equal(back.check, "web-attack");
	assert_string_equal(back.subject, "192.0.2.99");
	assert_string_equal(back.message, "sqli from 192.0.2.99");
	assert_int_equal(back.nev, 2);
	assert_string_equal(back.ev[1].key, "rule");
	assert_string_equal(back.ev[1].val, "942100");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    0);
	assert_int_equal(msg.u.progress.set, 1);
	assert_int_equal(msg.u.progress.lines, 10);
	assert_int_equal(msg.u.progress.analysed, 9);
	assert_int_equal(msg.u.progress.findings, 2);

	/* only a child sends them, at their exact sizes, with no descriptor */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_FINDING, &pf, sizeof(pf), 0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "not allowed from the parent"));
	assert_int_equal(dec(PRIV_FROM_PARENT, PRIV_PROGRESS, &pr, sizeof(pr),
	                     0, &msg, &err),
	    -1);
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_FINDING, &pf, sizeof(pf) - 1,
	                     0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "finding: body of"));
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &pr, sizeof(pr));
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_PROGRESS, longer,
	                     sizeof(longer), 0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "progress: body of"));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_FINDING, &pf, sizeof(pf), 1, &msg, &err),
	    -1);
}

/* A copy of a good finding spoilt by spoil, refused saying why. */
static void
refused_finding(void (*spoil)(struct priv_finding *), const char *why)
{
	struct priv_finding pf;
	struct err err = {0};

	a_finding(&pf);
	spoil(&pf);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_FINDING, &pf, sizeof(pf), 0, &msg, &err),
	    -1);
	if (strstr(err.msg, why) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, why);
}

static void
spoil_set(struct priv_finding *f)
{
	f->set = PRIV_SETS_MAX;
}
static void
spoil_sev(struct priv_finding *f)
{
	f->sev = SEV_UNKNOWN + 1;
}
static void
spoil_time(struct priv_finding *f)
{
	f->time = -1;
}
static void
spoil_check(struct priv_finding *f)
{
	strcpy(f->check, "Web attack");
}
static void
spoil_nocheck(struct priv_finding *f)
{
	f->check[0] = '\0';
}
static void
spoil_endless_check(struct priv_finding *f)
{
	memset(f->check, 'a', sizeof(f->check));
}
static void
spoil_subject(struct priv_finding *f)
{
	memset(f->subject, 'x', sizeof(f->subject));
}
static void
spoil_message(struct priv_finding *f)
{
	memset(f->message, 'x', sizeof(f->message));
}
static void
spoil_nev(struct priv_finding *f)
{
	f->nev = FINDING_MAX_EV + 1;
}
static void
spoil_ev(struct priv_finding *f)
{
	memset(f->ev[1].val, 'x', sizeof(f->ev[1].val));
}

static void
hostile_findings(void **state)
{
	struct priv_progress pr = {
	    .set = PRIV_SETS_MAX, .lines = 10, .analysed = 9, .findings = 2};
	struct err err = {0};

	(void)state;
	refused_finding(spoil_set, "finding: set 8, at most 7");
	refused_finding(spoil_sev, "finding: unknown severity 4");
	refused_finding(spoil_time, "finding: time before the epoch");
	refused_finding(spoil_check, "finding: check is not an id");
	refused_finding(spoil_nocheck, "finding: check is not an id");
	refused_finding(spoil_endless_check, "finding: check is not an id");
	refused_finding(spoil_subject, "finding: unterminated string");
	refused_finding(spoil_message, "finding: unterminated string");
	refused_finding(spoil_nev, "finding: 17 evidence items, at most 16");
	refused_finding(spoil_ev, "finding: unterminated evidence 1");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "progress: set 8, at most 7");
	pr.set = 0;
	pr.analysed = 11;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "progress: more lines analysed than read");
}

/* A progress's request counts: within the requests, these within the
 * lines analysed. */
static void
hostile_counts(void **state)
{
	struct priv_progress pr = {.set = 0, .lines = 10, .analysed = 9};
	struct err err = {0};

	(void)state;
	pr.web[0][PRIV_WEB_HITS] = 5;
	pr.web[0][PRIV_WEB_PAGES] = 5;
	pr.web[0][PRIV_WEB_4XX] = 2;
	pr.web[0][PRIV_WEB_5XX] = 3;
	pr.web[0][PRIV_WEB_ATTACKS] = 5;
	pr.web[PRIV_WEB_LOGS][PRIV_WEB_HITS] = 4;
	pr.mail[PRIV_MAIL_RECEIVED] = 30; /* messages of earlier lines */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    0);
	assert_int_equal(msg.u.progress.web[0][PRIV_WEB_5XX], 3);
	assert_int_equal(msg.u.progress.web[PRIV_WEB_LOGS][PRIV_WEB_HITS], 4);
	assert_int_equal(msg.u.progress.mail[PRIV_MAIL_RECEIVED], 30);
	/* one request more than analysed, in any slot */
	pr.web[3][PRIV_WEB_HITS] = 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "progress: more requests than analysed");
	pr.web[3][PRIV_WEB_HITS] = 0;
	pr.web[0][PRIV_WEB_HITS] = UINT64_MAX; /* no wrap past the sum */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
	pr.web[0][PRIV_WEB_HITS] = 5;
	pr.web[0][PRIV_WEB_5XX] = 4; /* 4xx + 5xx past the requests */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
	assert_string_equal(
	    err.msg, "progress: more pages, errors or attacks than requests");
	pr.web[0][PRIV_WEB_5XX] = 3;
	pr.web[0][PRIV_WEB_ATTACKS] = 6;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
	pr.web[0][PRIV_WEB_ATTACKS] = 0;
	pr.web[0][PRIV_WEB_PAGES] = 6;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_PROGRESS, &pr, sizeof(pr), 0, &msg, &err),
	    -1);
}

/* The counts of progresses added up, per file, written and read back
 * by the paths' keys, whatever their order. */
static void
tally(void **state)
{
	const char *paths[18], *back[] = {"/l/b.log", "/l/new.log", "/l/a.log"};
	char names[18][16], text[LOGS_TALLY_TEXT];
	struct priv_progress pr = {.lines = 50, .analysed = 50};
	struct logs_tally t, u;
	const char *cur;
	size_t n;

	(void)state;
	for (size_t i = 0; i < 18; i++) {
		snprintf(
		    names[i], sizeof(names[i]), "/l/%c.log", (int)('a' + i));
		paths[i] = names[i];
	}
	logs_tally_init(&t, paths, 18, 1);
	assert_int_equal(t.nweb, PRIV_WEB_LOGS);
	pr.web[0][PRIV_WEB_HITS] = 7;
	pr.web[1][PRIV_WEB_PAGES] = 0;
	pr.web[1][PRIV_WEB_HITS] = 3;
	pr.web[1][PRIV_WEB_5XX] = 2;
	pr.web[PRIV_WEB_LOGS][PRIV_WEB_HITS] = 4;
	pr.mail[PRIV_MAIL_REJECTED] = 2;
	assert_int_equal(logs_tally_add(&t, &pr, 100), 0);
	assert_int_equal(logs_tally_add(&t, &pr, 100), 0);
	assert_int_equal(t.web[0][PRIV_WEB_HITS], 14);
	assert_int_equal(t.web[1][PRIV_WEB_5XX], 4);
	assert_int_equal(t.web[LOGS_TALLY_OTHER][PRIV_WEB_HITS], 8);
	assert_int_equal(t.mail[PRIV_MAIL_REJECTED], 4);
	/* mail counts past the set's lines: refused, nothing added */
	pr.mail[PRIV_MAIL_REJECTED] = 97;
	assert_int_equal(logs_tally_add(&t, &pr, 100), -1);
	assert_int_equal(t.mail[PRIV_MAIL_REJECTED], 4);
	assert_int_equal(t.web[0][PRIV_WEB_HITS], 14);
	pr.mail[PRIV_MAIL_REJECTED] = UINT64_MAX;
	assert_int_equal(logs_tally_add(&t, &pr, 100), -1);

	n = logs_tally_format(&t, text, sizeof(text));
	assert_true(n > 0 && text[n - 1] == '\n' && strlen(text) == n);
	/* the same length whatever the counts */
	t.web[2][PRIV_WEB_HITS] = 123456789;
	assert_int_equal(logs_tally_format(&t, text, sizeof(text)), n);
	assert_int_equal(logs_tally_format(&t, text, n), 0);
	assert_int_equal(logs_tally_format(&t, text, sizeof(text)), n);

	/* read back by other logs: a and b found by path, new.log and the
	 * logs past the first ones not */
	logs_tally_init(&u, back, 3, 1);
	cur = text;
	assert_int_equal(logs_tally_parse(&u, &cur, text + n), 0);
	assert_ptr_equal(cur, text + n);
	assert_int_equal(u.web[2][PRIV_WEB_HITS], 14);
	assert_int_equal(u.web[0][PRIV_WEB_HITS], 6);
	assert_int_equal(u.web[0][PRIV_WEB_5XX], 4);
	assert_int_equal(u.web[1][PRIV_WEB_HITS], 0);
	assert_int_equal(u.web[LOGS_TALLY_OTHER][PRIV_WEB_HITS], 8);
	assert_int_equal(u.mail[PRIV_MAIL_REJECTED], 4);
	/* not such a line: refused, unchanged */
	cur = text;
	text[5] = 'x';
	assert_int_equal(logs_tally_parse(&u, &cur, text + n), -1);
	assert_ptr_equal(cur, text);
	cur = text;
	assert_int_equal(logs_tally_parse(&u, &cur, text + n - 30), -1);
	/* no access logs: no slots */
	logs_tally_init(&u, back, 3, 0);
	assert_int_equal(u.nweb, 0);
	n = logs_tally_format(&u, text, sizeof(text));
	cur = text;
	assert_int_equal(logs_tally_parse(&u, &cur, text + n), 0);
}

/* A line and a sync: only the parent sends them, checked. */
static void
lines_and_syncs(void **state)
{
	static struct priv_line pl;
	struct priv_sync sy = {2, 0};
	struct err err = {0};
	const char text[] =
	    "192.0.2.1 - - [06/Dec/2026:10:00:00 +0000] \"GET /\"";
	size_t head = offsetof(struct priv_line, text);

	(void)state;
	memset(&pl, 0, sizeof(pl));
	pl.set = 1;
	pl.line = 77;
	pl.file = 3;
	pl.fline = 12;
	pl.len = sizeof(text) - 1;
	memcpy(pl.text, text, pl.len);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head + pl.len, 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_LINE);
	assert_int_equal(msg.u.line.set, 1);
	assert_int_equal(msg.u.line.line, 77);
	assert_int_equal(msg.u.line.file, 3);
	assert_int_equal(msg.u.line.fline, 12);
	assert_int_equal(msg.u.line.cut, 0);
	assert_int_equal(msg.u.line.len, sizeof(text) - 1);
	assert_memory_equal(msg.u.line.text, text, sizeof(text) - 1);
	/* an empty line, and the longest, cut */
	pl.len = 0;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head, 0, &msg, &err), 0);
	pl.len = PRIV_LINE_MAX;
	pl.cut = 1;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, sizeof(pl), 0, &msg, &err),
	    0);
	assert_int_equal(msg.u.line.cut, 1);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SYNC, &sy, sizeof(sy), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_SYNC);
	assert_int_equal(msg.u.sync.set, 2);
	assert_int_equal(msg.id, 42);

	/* never from a child */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINE, &pl, head, 0, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "not allowed from the child"));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SYNC, &sy, sizeof(sy), 0, &msg, &err),
	    -1);
	/* a length that is not the text's, a bad cut, set, size */
	pl.cut = 0;
	pl.len = 10;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head + 9, 0, &msg, &err), -1);
	assert_string_equal(err.msg, "line: says 10 bytes, has 9");
	pl.len = 0;
	pl.cut = 2;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head, 0, &msg, &err), -1);
	assert_string_equal(err.msg, "line: cut is 2");
	pl.cut = 0;
	pl.set = PRIV_SETS_MAX;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head, 0, &msg, &err), -1);
	assert_string_equal(err.msg, "line: set 8, at most 7");
	/* a file past the files a child is told of; none is one */
	pl.set = 0;
	pl.file = PRIV_FILES_MAX;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head, 0, &msg, &err), -1);
	assert_string_equal(err.msg, "line: file 4096, at most 4095");
	pl.file = PRIV_FILE_NONE;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head, 0, &msg, &err), 0);
	assert_int_equal(msg.u.line.file, PRIV_FILE_NONE);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINE, &pl, head - 1, 0, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "line: body of"));
	sy.set = PRIV_SETS_MAX;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SYNC, &sy, sizeof(sy), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "sync: set 8, at most 7");
	sy.set = 0;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SYNC, &sy, sizeof(sy), 1, &msg, &err),
	    -1);
}

/* /metrics' question for the machine's series: a format, no analyzers. */
static void
show_machine(void **state)
{
	struct priv_show q;
	struct err err = {0};

	(void)state;
	memset(&q, 0, sizeof(q));
	q.set = PRIV_SHOW_MACHINE;
	q.mode = EXPO_OPENMETRICS;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), 0);
	assert_int_equal(msg.type, PRIV_SHOW);
	assert_int_equal(msg.u.show.set, PRIV_SHOW_MACHINE);
	assert_int_equal(msg.u.show.mode, EXPO_OPENMETRICS);
	q.mode = EXPO_TEXT;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), 0);
	assert_int_equal(msg.u.show.mode, EXPO_TEXT);
	/* a format past the last (an output mode there would pass) */
	q.mode = 2;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "show: unknown format 2");
	/* analyzers named, or not terminated */
	q.mode = EXPO_TEXT;
	strcpy(q.analyzers, "stats");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(
	    err.msg, "show: analyzers named for the machine's series");
	memset(q.analyzers, 'a', sizeof(q.analyzers));
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	/* the sets between the last and the reserved one stay refused */
	memset(q.analyzers, 0, sizeof(q.analyzers));
	q.set = PRIV_SHOW_MACHINE - 1;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "show: set 4294967294, at most 7");
	/* never from a child */
	q.set = PRIV_SHOW_MACHINE;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
}

/* The dashboard's question to a log child and its answer in pieces. */
static void
show_and_shown(void **state)
{
	static struct priv_shown sh;
	static char over[sizeof(struct priv_shown) + 1];
	struct priv_show q;
	struct err err = {0};
	size_t head = offsetof(struct priv_shown, text);

	(void)state;
	memset(&q, 0, sizeof(q));
	q.set = 0;
	q.mode = OUT_JSON;
	strcpy(q.analyzers, "stats,links,attacks");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), 0);
	assert_int_equal(msg.type, PRIV_SHOW);
	assert_int_equal(msg.u.show.mode, OUT_JSON);
	assert_string_equal(msg.u.show.analyzers, "stats,links,attacks");
	/* "": every analyzer */
	q.analyzers[0] = '\0';
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), 0);
	/* never from a child; a bad set, mode, names, size */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_non_null(strstr(err.msg, "not allowed from the child"));
	q.set = PRIV_SETS_MAX;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "show: set 8, at most 7");
	q.set = 1;
	q.mode = 3;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "show: unknown mode 3");
	q.mode = OUT_TABLE;
	strcpy(q.analyzers, "stats;rm");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "show: analyzers not a list of names");
	memset(q.analyzers, 'a', sizeof(q.analyzers));
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "show: analyzers not a list of names");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOW, &q, sizeof(q) - 1, 0, &msg, &err),
	    -1);

	/* the answer: a piece, an empty last one, the largest */
	memset(&sh, 0, sizeof(sh));
	sh.len = 5;
	memcpy(sh.text, "{}\n{}", 5);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, &sh, head + 5, 0, &msg, &err), 0);
	assert_int_equal(msg.type, PRIV_SHOWN);
	assert_int_equal(msg.u.shown.len, 5);
	assert_int_equal(msg.u.shown.last, 0);
	assert_memory_equal(msg.u.shown.text, "{}\n{}", 5);
	sh.len = 0;
	sh.last = 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, &sh, head, 0, &msg, &err), 0);
	assert_int_equal(msg.u.shown.last, 1);
	sh.len = PRIV_SHOWN_MAX;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, &sh, sizeof(sh), 0, &msg, &err),
	    0);
	/* never from the parent; a length not the text's, a bad mark */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SHOWN, &sh, sizeof(sh), 0, &msg, &err),
	    -1);
	sh.len = 10;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, &sh, head + 9, 0, &msg, &err), -1);
	assert_string_equal(err.msg, "shown: says 10 bytes, has 9");
	sh.len = 0;
	sh.last = 2;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, &sh, head, 0, &msg, &err), -1);
	assert_string_equal(err.msg, "shown: last is 2");
	sh.last = 0;
	/* a body longer than the largest */
	memcpy(over, &sh, sizeof(sh));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, over, sizeof(over), 0, &msg, &err),
	    -1);
	/* with a descriptor: refused */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SHOWN, &sh, head, 1, &msg, &err), -1);
}

/* What the parent's finding hooks were given. */
static struct {
	char child[16];
	struct priv_finding f;
	struct priv_progress pr;
	int nf, npr;
} got;

static void
got_finding(void *arg, const char *child, const struct priv_finding *f)
{
	assert_ptr_equal(arg, &got);
	str_copy(got.child, sizeof(got.child), child);
	got.f = *f;
	got.nf++;
}

static void
got_progress(void *arg, const char *child, const struct priv_progress *pr)
{
	assert_ptr_equal(arg, &got);
	str_copy(got.child, sizeof(got.child), child);
	got.pr = *pr;
	got.npr++;
}

/* A parent with no service set, and a non-blocking channel. */
static void
parent_channel(struct priv_parent *p, int sv[2])
{
	assert_int_equal(
	    socketpair(
	        AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv),
	    0);
	priv_parent_init(p);
}

static void
finding_hooks(void **state)
{
	static struct priv_msg req;
	struct priv_parent p;
	struct err err = {0};
	int sv[2];

	(void)state;
	parent_channel(&p, sv);
	/* no hook: dropped, and no reply */
	req.type = PRIV_FINDING;
	a_finding(&req.u.finding);
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(got.nf, 0);
	p.finding = got_finding;
	p.progress = got_progress;
	p.finding_arg = &got;
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(got.nf, 1);
	assert_string_equal(got.child, "logs");
	assert_string_equal(got.f.subject, "192.0.2.99");
	assert_int_equal(got.f.line, 123);
	req.type = PRIV_PROGRESS;
	req.u.progress = (struct priv_progress){
	    .set = 2, .lines = 5, .analysed = 5, .findings = 1};
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(got.npr, 1);
	assert_int_equal(got.pr.set, 2);
	assert_int_equal(got.pr.lines, 5);
	/* neither is answered: nothing waits on the child's side */
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), -1);
	assert_int_equal(err.code, EAGAIN);
	priv_parent_release(&p);
	close(sv[0]);
	close(sv[1]);
}

/* An HTTP request: what the HTTP child may ask, checked field by field. */
static void
a_request(struct priv_http_req *r, uint32_t route)
{
	memset(r, 0, sizeof(*r));
	r->route = route;
}

static int
dec_http(const struct priv_http_req *r, struct err *err)
{
	return dec(PRIV_FROM_CHILD, PRIV_HTTP, r, sizeof(*r), 0, &msg, err);
}

static void
http_requests(void **state)
{
	static struct priv_http_req r;
	struct err err = {0};

	(void)state;
	/* good ones */
	a_request(&r, PRIV_HTTP_OVERVIEW);
	assert_int_equal(dec_http(&r, &err), 0);
	assert_int_equal(msg.type, PRIV_HTTP);
	assert_int_equal(msg.u.http.route, PRIV_HTTP_OVERVIEW);
	a_request(&r, PRIV_HTTP_GRAPH);
	str_copy(r.name, sizeof(r.name), "net.eth0.rx_bytes");
	r.arg = 3;
	assert_int_equal(dec_http(&r, &err), 0);
	assert_string_equal(msg.u.http.name, "net.eth0.rx_bytes");
	a_request(&r, PRIV_HTTP_SILENCE);
	str_copy(r.check, sizeof(r.check), "web-attack");
	str_copy(r.subject, sizeof(r.subject), "198.51.100.9");
	r.num = 3600;
	assert_int_equal(dec_http(&r, &err), 0);
	assert_int_equal(msg.u.http.num, 3600);
	a_request(&r, PRIV_HTTP_UNBLOCK);
	r.prefix.family = AF_INET;
	r.prefix.len = 24;
	memcpy(r.prefix.addr, "\xc0\x00\x02\x37", 4);
	assert_int_equal(dec_http(&r, &err), 0);
	/* made canonical: the host bits gone */
	assert_memory_equal(msg.u.http.prefix.addr, "\xc0\x00\x02\x00", 4);

	/* the wrong size, either way */
	a_request(&r, PRIV_HTTP_OVERVIEW);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_HTTP, &r, sizeof(r) - 1, 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "http: body of 967 bytes, wants 968..968");
	{
		static char longer[sizeof(r) + 8];

		memcpy(longer, &r, sizeof(r));
		assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_HTTP, longer,
		                     sizeof(longer), 0, &msg, &err),
		    -1);
		assert_string_equal(
		    err.msg, "http: body of 976 bytes, wants 968..968");
	}
	/* a request from the parent, or with a descriptor */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP, &r, sizeof(r), 0, &msg, &err), -1);
	assert_string_equal(
	    err.msg, "message of type 16 (http) not allowed from the parent");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_HTTP, &r, sizeof(r), 1, &msg, &err), -1);
	/* unknown routes */
	a_request(&r, 0);
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unknown route 0");
	a_request(&r, PRIV_HTTP_ROUTE_MAX);
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unknown route 28");
	/* unterminated strings */
	a_request(&r, PRIV_HTTP_GRAPHS);
	memset(r.text, 'x', sizeof(r.text));
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unterminated string");
	a_request(&r, PRIV_HTTP_SERIES);
	memset(r.name, 'a', sizeof(r.name));
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unterminated string");
	a_request(&r, PRIV_HTTP_SILENCE);
	str_copy(r.check, sizeof(r.check), "load");
	memset(r.subject, 's', sizeof(r.subject));
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unterminated string");
	/* names: a series where one is asked, and a clean one */
	a_request(&r, PRIV_HTTP_SERIES);
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: not a series name");
	str_copy(r.name, sizeof(r.name), "../../etc/passwd");
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: not a series name");
	a_request(&r, PRIV_HTTP_OVERVIEW);
	str_copy(r.name, sizeof(r.name), "load");
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: not a series name");
	a_request(&r, PRIV_HTTP_SILENCE);
	str_copy(r.check, sizeof(r.check), "Load;rm");
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: check is not an id");
	/* ranges */
	a_request(&r, PRIV_HTTP_SILENCE);
	str_copy(r.check, sizeof(r.check), "load");
	r.num = PRIV_HTTP_SILENCE_MAX + 1;
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: silence out of range");
	r.num = -1;
	assert_int_equal(dec_http(&r, &err), -1);
	a_request(&r, PRIV_HTTP_GRAPH);
	str_copy(r.name, sizeof(r.name), "load");
	r.arg = PRIV_HTTP_PERIODS;
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unknown period 4");
	a_request(&r, PRIV_HTTP_METRICS);
	r.arg = 2;
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unknown format 2");
	a_request(&r, PRIV_HTTP_API_ERROR);
	r.arg = 200;
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: error status 200");
	a_request(&r, PRIV_HTTP_UNBLOCK);
	r.prefix.family = AF_UNIX;
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: unknown address family 1");
	r.prefix.family = AF_INET;
	r.prefix.len = 33;
	assert_int_equal(dec_http(&r, &err), -1);
	assert_string_equal(err.msg, "http: prefix length 33 too long");
}

/* A piece of an answer: only the parent sends it, its length its text's. */
static void
http_answers(void **state)
{
	static struct priv_http_rep h;
	struct err err = {0};
	size_t head = offsetof(struct priv_http_rep, text);

	(void)state;
	memset(&h, 0, sizeof(h));
	h.status = 200;
	h.last = 1;
	h.len = 5;
	str_copy(h.type, sizeof(h.type), "text/html; charset=utf-8");
	memcpy(h.text, "<p>x\n", 5);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP_REP, &h, head + 5, 0, &msg, &err),
	    0);
	assert_int_equal(msg.u.http_rep.len, 5);
	assert_memory_equal(msg.u.http_rep.text, "<p>x\n", 5);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_HTTP_REP, &h, head + 5, 0, &msg, &err),
	    -1);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP_REP, &h, head + 4, 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "http-rep: says 5 bytes, has 4");
	h.status = 600;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP_REP, &h, head + 5, 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "http-rep: status 600");
	h.status = 303;
	h.loc = 3;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP_REP, &h, head + 5, 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "http-rep: unknown location 3");
	h.loc = PRIV_HTTP_LOC_HOME;
	str_copy(h.type, sizeof(h.type), "text/html\r\nSet-Cookie: x");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP_REP, &h, head + 5, 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "http-rep: bad content type");
	memset(h.type, 'a', sizeof(h.type));
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_HTTP_REP, &h, head + 5, 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "http-rep: bad content type");
}

static int
got_http(void *arg, int sock, uint32_t id, const struct priv_http_req *r,
    struct err *err)
{
	struct priv_http_rep h = {0};

	(void)arg;
	h.status = 200;
	h.last = 1;
	h.len = 0;
	str_copy(h.type, sizeof(h.type), "text/plain");
	got.nf = r->route;
	return priv_send(sock, PRIV_HTTP_REP, id, &h,
	    offsetof(struct priv_http_rep, text), -1, err);
}

/* PRIV_HTTP goes to the http hook; without one it is refused. */
static void
http_hook(void **state)
{
	static struct priv_msg req;
	struct priv_parent p;
	struct err err = {0};
	int sv[2];

	(void)state;
	parent_channel(&p, sv);
	req.type = PRIV_HTTP;
	req.id = 9;
	a_request(&req.u.http, PRIV_HTTP_API_STATUS);
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_int_equal(msg.id, 9);
	assert_string_equal(
	    msg.u.error.msg, "child 'logs' may not ask for HTTP answers");
	p.http = got_http;
	got.nf = 0;
	assert_int_equal(priv_serve(&p, "http", sv[0], &req, &err), 0);
	assert_int_equal(got.nf, PRIV_HTTP_API_STATUS);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_HTTP_REP);
	assert_int_equal(msg.id, 9);
	assert_int_equal(msg.u.http_rep.last, 1);
	priv_parent_release(&p);
	close(sv[0]);
	close(sv[1]);
}

/* Bytes sent in a memory file, read back whole (a child's setup). */
static void
setup_bytes(void **state)
{
	struct err err = {0};
	char *got_buf;
	size_t len;
	int sv[2];

	(void)state;
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(priv_send_bytes(sv[0], 3, "s3cret\n", 7, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_FD);
	assert_int_equal(msg.id, 3);
	assert_int_equal(priv_fd_read(msg.fd, 64, &got_buf, &len), 0);
	assert_int_equal(len, 7);
	assert_string_equal(got_buf, "s3cret\n");
	free(got_buf);
	/* larger than allowed: refused */
	assert_int_equal(priv_fd_read(msg.fd, 6, &got_buf, &len), -1);
	assert_null(got_buf);
	close(msg.fd);
	close(sv[0]);
	close(sv[1]);
}

/* A finding as the child sends one of a check's run: no line. */
static void
a_checked(struct priv_checked *pc)
{
	memset(pc, 0, sizeof(*pc));
	a_finding(&pc->f);
	pc->f.line = 0;
}

/* A check's finding the decoder refuses, saying why. */
static void
checked_refused(const struct priv_checked *pc, const char *why)
{
	struct err err = {0};

	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_CHECKED, pc, sizeof(*pc), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, why);
}

static void
check_runs(void **state)
{
	static struct priv_checked pc;
	static char longer[sizeof(struct priv_checked) + 1];
	struct priv_run run = {
	    1700000000, (UINT64_C(1) << 0) | (UINT64_C(1) << 63)};
	struct priv_ran ran = {3, 2, 1700000000};
	struct err err = {0};
	struct finding back;

	(void)state;
	/* a run: from the parent only, at its size, some entry, a time */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_RUN, &run, sizeof(run), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_RUN);
	assert_int_equal(msg.id, 42);
	assert_int_equal(msg.u.run.now, 1700000000);
	assert_true(msg.u.run.entries == run.entries);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_RUN, &run, sizeof(run), 0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "not allowed from the child"));
	assert_int_equal(dec(PRIV_FROM_PARENT, PRIV_RUN, &run, sizeof(run) - 1,
	                     0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "run: body of"));
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_RUN, &run, sizeof(run), 1, &msg, &err),
	    -1);
	run.entries = 0;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_RUN, &run, sizeof(run), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "run: no entry, or a bad time");
	run.entries = 1;
	run.now = -1;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_RUN, &run, sizeof(run), 0, &msg, &err),
	    -1);

	/* a finding of a run: from the child only, its fields back */
	a_checked(&pc);
	pc.entry = PRIV_ENTRIES_MAX - 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_CHECKED, &pc, sizeof(pc), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_CHECKED);
	assert_int_equal(msg.u.checked.entry, PRIV_ENTRIES_MAX - 1);
	priv_finding_to(&back, &msg.u.checked.f);
	assert_int_equal(back.sev, SEV_WARNING);
	assert_string_equal(back.check, "web-attack");
	assert_string_equal(back.subject, "192.0.2.99");
	assert_string_equal(back.ev[0].val, "20");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_CHECKED, &pc, sizeof(pc), 0, &msg, &err),
	    -1);
	/* wrong sizes */
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_CHECKED, &pc, sizeof(pc) - 1,
	                     0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "checked: body of"));
	memcpy(longer, &pc, sizeof(pc));
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_CHECKED, longer,
	                     sizeof(longer), 0, &msg, &err),
	    -1);
	/* an entry past the registry's bits */
	pc.entry = PRIV_ENTRIES_MAX;
	checked_refused(&pc, "checked: entry 64, at most 63");
	/* a set or a line: a log's finding, not a check's */
	a_checked(&pc);
	pc.f.line = 7;
	checked_refused(&pc, "checked: a set or a line given");
	/* unterminated names and strings, a check that is not an id, a bad
	 * severity, evidence past its count */
	a_checked(&pc);
	memset(pc.f.check, 'a', sizeof(pc.f.check));
	checked_refused(&pc, "finding: check is not an id");
	a_checked(&pc);
	strcpy(pc.f.check, "Load/..");
	checked_refused(&pc, "finding: check is not an id");
	a_checked(&pc);
	memset(pc.f.subject, 'x', sizeof(pc.f.subject));
	checked_refused(&pc, "finding: unterminated string");
	a_checked(&pc);
	memset(pc.f.ev[0].val, 'x', sizeof(pc.f.ev[0].val));
	checked_refused(&pc, "finding: unterminated evidence 0");
	a_checked(&pc);
	pc.f.sev = SEV_UNKNOWN + 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_CHECKED, &pc, sizeof(pc), 0, &msg, &err),
	    -1);
	a_checked(&pc);
	pc.f.nev = FINDING_MAX_EV + 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_CHECKED, &pc, sizeof(pc), 0, &msg, &err),
	    -1);

	/* an entry's end: from the child only, its size, entry, time */
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_RAN, &ran, sizeof(ran), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_RAN);
	assert_int_equal(msg.u.ran.entry, 3);
	assert_int_equal(msg.u.ran.nfound, 2);
	assert_int_equal(msg.u.ran.now, 1700000000);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_RAN, &ran, sizeof(ran), 0, &msg, &err),
	    -1);
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &ran, sizeof(ran));
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_RAN, longer, sizeof(ran) + 1,
	                     0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "ran: body of"));
	ran.entry = PRIV_ENTRIES_MAX;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_RAN, &ran, sizeof(ran), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "ran: entry 64 or time out of range");
	ran.entry = 0;
	ran.now = -5;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_RAN, &ran, sizeof(ran), 0, &msg, &err),
	    -1);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_RAN, &ran, sizeof(ran), 1, &msg, &err),
	    -1);
}

static void
samples(void **state)
{
	static struct priv_points pts;
	static char longer[sizeof(struct priv_points) + 1];
	size_t head = offsetof(struct priv_points, p);
	struct err err = {0};

	(void)state;
	/* the request: from the parent only, no body */
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SAMPLE, NULL, 0, 0, &msg, &err), 0);
	assert_int_equal(msg.type, PRIV_SAMPLE);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SAMPLE, NULL, 0, 0, &msg, &err), -1);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_SAMPLE, "x", 1, 0, &msg, &err), -1);

	/* a piece of two values, one unknown; an empty last piece */
	memset(&pts, 0, sizeof(pts));
	pts.n = 2;
	strcpy(pts.p[0].name, "load");
	pts.p[0].v = 0.5;
	strcpy(pts.p[1].name, "fs.var_log.used_bytes");
	pts.p[1].v = NAN;
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts,
	                     head + 2 * sizeof(pts.p[0]), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_SAMPLES);
	assert_int_equal(msg.u.points.n, 2);
	assert_int_equal(msg.u.points.last, 0);
	assert_string_equal(msg.u.points.p[1].name, "fs.var_log.used_bytes");
	assert_true(isnan(msg.u.points.p[1].v));
	pts.n = 0;
	pts.last = 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts, head, 0, &msg, &err), 0);
	assert_int_equal(msg.u.points.last, 1);
	pts.n = PRIV_POINTS_MAX;
	for (size_t i = 0; i < PRIV_POINTS_MAX; i++)
		snprintf(pts.p[i].name, sizeof(pts.p[i].name), "s%zu", i);
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts, sizeof(pts),
	                     0, &msg, &err),
	    0);
	/* never from the parent, never with a descriptor */
	assert_int_equal(dec(PRIV_FROM_PARENT, PRIV_SAMPLES, &pts, sizeof(pts),
	                     0, &msg, &err),
	    -1);
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts, sizeof(pts),
	                     1, &msg, &err),
	    -1);
	/* wrong sizes: a count not the body's, more than the most */
	pts.n = 3;
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts,
	                     head + 2 * sizeof(pts.p[0]), 0, &msg, &err),
	    -1);
	assert_non_null(strstr(err.msg, "samples: says 3 points"));
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts, head - 1, 0, &msg, &err),
	    -1);
	memcpy(longer, &pts, sizeof(pts));
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, longer,
	                     sizeof(longer), 0, &msg, &err),
	    -1);
	pts.n = PRIV_POINTS_MAX + 1;
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts, sizeof(pts),
	                     0, &msg, &err),
	    -1);
	pts.n = 1;
	pts.last = 2;
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts,
	                     head + sizeof(pts.p[0]), 0, &msg, &err),
	    -1);
	pts.last = 0;
	/* an unterminated name; names out of the series' charset */
	memset(pts.p[0].name, 'a', sizeof(pts.p[0].name));
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts,
	                     head + sizeof(pts.p[0]), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "samples: point 0: not a series name");
	{
		static const char *const bad[] = {"", "../etc/passwd", "a/b",
		    ".hidden", "load\nx", "a b", "fs..x", "\xc3\xa9"};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(pts.p[0].name, 0, sizeof(pts.p[0].name));
			strcpy(pts.p[0].name, bad[i]);
			assert_int_equal(
			    dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts,
			        head + sizeof(pts.p[0]), 0, &msg, &err),
			    -1);
			assert_string_equal(
			    err.msg, "samples: point 0: not a series name");
		}
	}
	/* an infinite value */
	strcpy(pts.p[0].name, "load");
	pts.p[0].v = INFINITY;
	assert_int_equal(dec(PRIV_FROM_CHILD, PRIV_SAMPLES, &pts,
	                     head + sizeof(pts.p[0]), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "samples: point 0: an infinite value");
}

/* What the parent's check hooks were given. */
static struct {
	uint32_t id;
	struct priv_checked c;
	struct priv_ran r;
	int nc, nr;
} gotc;

static void
got_checked(void *arg, uint32_t id, const struct priv_checked *c)
{
	assert_ptr_equal(arg, &gotc);
	gotc.id = id;
	gotc.c = *c;
	gotc.nc++;
}

static void
got_ran(void *arg, uint32_t id, const struct priv_ran *r)
{
	assert_ptr_equal(arg, &gotc);
	gotc.id = id;
	gotc.r = *r;
	gotc.nr++;
}

static void
check_hooks(void **state)
{
	static struct priv_msg req;
	struct priv_parent p;
	struct err err = {0};
	int sv[2];

	(void)state;
	assert_int_equal(
	    socketpair(
	        AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv),
	    0);
	priv_parent_init(&p);
	/* no hook: dropped, no reply */
	req.type = PRIV_CHECKED;
	req.id = 9;
	a_checked(&req.u.checked);
	req.u.checked.entry = 2;
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(gotc.nc, 0);
	p.checked = got_checked;
	p.ran = got_ran;
	p.check_arg = &gotc;
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(gotc.nc, 1);
	assert_int_equal(gotc.id, 9);
	assert_int_equal(gotc.c.entry, 2);
	assert_string_equal(gotc.c.f.check, "web-attack");
	req.type = PRIV_RAN;
	req.u.ran = (struct priv_ran){2, 1, 1700000000};
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(gotc.nr, 1);
	assert_int_equal(gotc.r.entry, 2);
	assert_int_equal(gotc.r.nfound, 1);
	/* neither is answered */
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), -1);
	assert_int_equal(err.code, EAGAIN);
	priv_parent_release(&p);
	close(sv[0]);
	close(sv[1]);
}

/* The stop hook: what it was given, and its answer. */
static struct {
	int n;
	struct priv_stop_req q;
} gots;

static void
got_stop(void *arg, const struct priv_stop_req *q, struct priv_stopped *rep)
{
	assert_ptr_equal(arg, &gots);
	gots.n++;
	gots.q = *q;
	rep->result = KILL_KILL;
	rep->nev = 1;
	strcpy(rep->ev[0].key, "action");
	strcpy(rep->ev[0].val, "ok: ended after SIGKILL");
}

static void
a_stop(struct priv_stop_req *q)
{
	memset(q, 0, sizeof(*q));
	q->pid = 4242;
	q->start_ticks = 123456;
	strcpy(q->comm, "perl");
	strcpy(q->user, "www-data");
	strcpy(q->script, "/var/www/cgi-bin/loop.pl");
	strcpy(q->why, "it ran for 3 s (critical 2 s)");
}

static void
stop_refused_as(const struct priv_stop_req *q, const char *what)
{
	struct err err = {0};

	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_STOP, q, sizeof(*q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, what);
}

static void
links_and_stops(void **state)
{
	static struct priv_links_req q;
	static struct priv_linked l;
	static struct priv_stop_req st;
	static struct priv_stopped sd;
	static struct priv_msg req;
	struct priv_parent p;
	struct err err = {0};
	char self[PRIV_LINK_MAX];
	ssize_t n;
	int sv[2];

	(void)state;
	/* a request of links: from the child only, a known link, 1..14
	 * positive pids */
	memset(&q, 0, sizeof(q));
	q.link = PRIV_LINK_EXE;
	q.n = 2;
	q.pid[0] = 1;
	q.pid[1] = 77;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err), 0);
	assert_int_equal(msg.type, PRIV_LINKS);
	assert_int_equal(msg.u.links.pid[1], 77);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err),
	    -1);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q) - 1, 0, &msg, &err),
	    -1);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 1, &msg, &err), -1);
	q.link = PRIV_LINK_N;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "links: unknown link 2");
	q.link = PRIV_LINK_CWD;
	q.n = 0;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "links: 0 pids, wants 1..14");
	q.n = PRIV_LINKS_MAX + 1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err), -1);
	q.n = 2;
	q.pid[1] = -1;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err), -1);
	assert_string_equal(err.msg, "links: bad pid -1");
	q.pid[1] = 0;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKS, &q, sizeof(q), 0, &msg, &err), -1);

	/* the answer: from the parent only; a length only with a link */
	memset(&l, 0, sizeof(l));
	l.link = PRIV_LINK_EXE;
	l.n = 2;
	l.l[0].pid = 1;
	l.l[0].code = EACCES;
	l.l[1].pid = 77;
	l.l[1].len = 13;
	memcpy(l.l[1].link, "/usr/bin/perl", 13);
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINKED, &l, sizeof(l), 0, &msg, &err),
	    0);
	assert_int_equal(msg.u.linked.l[0].code, EACCES);
	assert_int_equal(msg.u.linked.l[1].len, 13);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_LINKED, &l, sizeof(l), 0, &msg, &err),
	    -1);
	l.l[1].len = PRIV_LINK_MAX + 1;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINKED, &l, sizeof(l), 0, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "linked: bad entry 1");
	l.l[1].len = 0;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINKED, &l, sizeof(l), 0, &msg, &err),
	    -1);
	l.l[1].len = 13;
	l.l[0].len = 4;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_LINKED, &l, sizeof(l), 0, &msg, &err),
	    -1);

	/* a stop: from the child only, a pid past 1, strings terminated
	 * and without control characters, a script absolute or none */
	a_stop(&st);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_STOP, &st, sizeof(st), 0, &msg, &err), 0);
	assert_int_equal(msg.u.stop.pid, 4242);
	assert_true(msg.u.stop.start_ticks == 123456);
	assert_string_equal(msg.u.stop.script, "/var/www/cgi-bin/loop.pl");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_STOP, &st, sizeof(st), 0, &msg, &err),
	    -1);
	st.script[0] = '\0';
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_STOP, &st, sizeof(st), 0, &msg, &err), 0);
	a_stop(&st);
	st.pid = 1;
	stop_refused_as(&st, "stop: bad pid 1");
	a_stop(&st);
	strcpy(st.script, "loop.pl");
	stop_refused_as(&st, "stop: not an absolute script path");
	a_stop(&st);
	strcpy(st.script, "/var/www/x\n.pl");
	stop_refused_as(&st, "stop: not an absolute script path");
	a_stop(&st);
	memset(st.script, 'a', sizeof(st.script));
	stop_refused_as(&st, "stop: not an absolute script path");
	a_stop(&st);
	strcpy(st.user, "www\r\nBcc: x");
	stop_refused_as(&st, "stop: bad name, user or reason");
	a_stop(&st);
	memset(st.why, 'w', sizeof(st.why));
	stop_refused_as(&st, "stop: bad name, user or reason");
	a_stop(&st);
	memset(st.comm, 'c', sizeof(st.comm));
	stop_refused_as(&st, "stop: bad name, user or reason");

	/* its outcome: from the parent, a kill_result, terminated text */
	memset(&sd, 0, sizeof(sd));
	sd.result = KILL_TERM;
	sd.nev = 1;
	strcpy(sd.ev[0].key, "action");
	strcpy(sd.ev[0].val, "ok: ended after SIGTERM");
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_STOPPED, &sd, sizeof(sd), 0, &msg, &err),
	    0);
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_STOPPED, &sd, sizeof(sd), 0, &msg, &err),
	    -1);
	sd.result = 3;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_STOPPED, &sd, sizeof(sd), 0, &msg, &err),
	    -1);
	sd.result = KILL_GONE;
	sd.nev = PRIV_STOP_EV + 1;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_STOPPED, &sd, sizeof(sd), 0, &msg, &err),
	    -1);

	/* served: the links as readlink gives them, an errno for a pid
	 * that is none; a stop only through the hook */
	assert_int_equal(
	    socketpair(
	        AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv),
	    0);
	priv_parent_init(&p);
	n = readlink("/proc/self/exe", self, sizeof(self));
	assert_true(n > 0);
	req.type = PRIV_LINKS;
	req.id = 5;
	req.fd = -1;
	memset(&req.u.links, 0, sizeof(req.u.links));
	req.u.links.link = PRIV_LINK_EXE;
	req.u.links.n = 2;
	req.u.links.pid[0] = getpid();
	req.u.links.pid[1] = 0x3fffffff; /* past any pid_max */
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_LINKED);
	assert_int_equal(msg.id, 5);
	assert_int_equal(msg.u.linked.n, 2);
	assert_int_equal(msg.u.linked.l[0].pid, getpid());
	assert_int_equal(msg.u.linked.l[0].code, 0);
	assert_int_equal(msg.u.linked.l[0].len, (uint32_t)n);
	assert_memory_equal(msg.u.linked.l[0].link, self, (size_t)n);
	assert_int_equal(msg.u.linked.l[1].code, ENOENT);
	assert_int_equal(msg.u.linked.l[1].len, 0);
	req.u.links.link = PRIV_LINK_CWD;
	req.u.links.n = 1;
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_non_null(getcwd(self, sizeof(self)));
	assert_int_equal(msg.u.linked.l[0].len, strlen(self));
	assert_memory_equal(msg.u.linked.l[0].link, self, strlen(self));

	req.type = PRIV_STOP;
	req.id = 6;
	a_stop(&req.u.stop);
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_ERROR);
	assert_string_equal(
	    msg.u.error.msg, "stopping processes is not enabled");
	assert_int_equal(gots.n, 0);
	p.stop = got_stop;
	p.check_arg = &gots;
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(gots.n, 1);
	assert_int_equal(gots.q.pid, 4242);
	assert_string_equal(gots.q.why, "it ran for 3 s (critical 2 s)");
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_STOPPED);
	assert_int_equal(msg.id, 6);
	assert_int_equal(msg.u.stopped.result, KILL_KILL);
	assert_string_equal(msg.u.stopped.ev[0].val, "ok: ended after SIGKILL");
	priv_parent_release(&p);
	close(sv[0]);
	close(sv[1]);
}

/* Refused as what when decoded from from. */
static void
refused_as(enum priv_from from, enum priv_type type, const void *body, size_t n,
    const char *what)
{
	struct err err = {0};

	assert_int_equal(dec(from, type, body, n, 0, &msg, &err), -1);
	assert_string_equal(err.msg, what);
}

/* A copy of /bin/sleep at path, running (its pid). */
static pid_t
run_copy(const char *path)
{
	char cmd[512];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "cp /bin/sleep '%s'", path);
	assert_int_equal(system(cmd), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		execl(path, path, "30", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		char exe[512] = "", link[64];

		snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
		if (readlink(link, exe, sizeof(exe) - 1) > 0 &&
		    strcmp(exe, path) == 0)
			break;
		usleep(10000);
	}
	return pid;
}

static void
exe_facts(void **state)
{
	static struct priv_exefacts_req q;
	static struct priv_exefacts r;
	static struct priv_msg req;
	static char garbage[sizeof(struct priv_exefacts_req)];
	struct priv_parent p;
	struct err err = {0};
	char dir[] = "/tmp/test-priv-exe.XXXXXX", gone[64], swapped[64];
	char cmd[128];
	struct stat st, dst;
	const struct priv_exefact *f;
	pid_t a, b;
	int sv[2];

	(void)state;
	/* the request: from a child only, its exact size, no descriptor,
	 * 1..14 positive pids */
	memset(&q, 0, sizeof(q));
	q.n = 2;
	q.pid[0] = 1;
	q.pid[1] = 77;
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q), 0, &msg, &err),
	    0);
	assert_int_equal(msg.type, PRIV_EXEFACTS);
	assert_int_equal(msg.u.exefacts.n, 2);
	assert_int_equal(msg.u.exefacts.pid[1], 77);
	refused_as(PRIV_FROM_PARENT, PRIV_EXEFACTS, &q, sizeof(q),
	    "message of type 27 (exe-facts) not allowed from the parent");
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q) - 1,
	    "exe-facts: body of 63 bytes, wants 64..64");
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, 0,
	    "exe-facts: body of 0 bytes, wants 64..64");
	assert_int_equal(
	    dec(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q), 1, &msg, &err),
	    -1);
	assert_string_equal(err.msg, "exe-facts: 1 descriptors, wants 0");
	q.n = 0;
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q),
	    "exe-facts: 0 pids, wants 1..14");
	q.n = PRIV_EXEFACTS_MAX + 1;
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q),
	    "exe-facts: 15 pids, wants 1..14");
	q.n = 2;
	q.pid[1] = 0;
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q),
	    "exe-facts: bad pid 0");
	q.pid[1] = -5;
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, &q, sizeof(q),
	    "exe-facts: bad pid -5");
	memset(garbage, 0xa5, sizeof(garbage));
	refused_as(PRIV_FROM_CHILD, PRIV_EXEFACTS, garbage, sizeof(garbage),
	    "exe-facts: 2779096485 pids, wants 1..14");

	/* the answer: from the parent only; an errno and nothing else, or
	 * a link of 1..PRIV_LINK_MAX bytes and its facts */
	memset(&r, 0, sizeof(r));
	r.n = 2;
	r.f[0].pid = 1;
	r.f[0].code = EACCES;
	r.f[1].pid = 77;
	r.f[1].deleted = 1;
	r.f[1].len = 9;
	memcpy(r.f[1].link, "/opt/x/y", 9);
	r.f[1].file_code = ENOENT;
	assert_int_equal(
	    dec(PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), 0, &msg, &err), 0);
	assert_int_equal(msg.u.facts.f[0].code, EACCES);
	assert_int_equal(msg.u.facts.f[1].deleted, 1);
	refused_as(PRIV_FROM_CHILD, PRIV_FACTS, &r, sizeof(r),
	    "message of type 28 (facts) not allowed from the child");
	refused_as(PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r) - 1,
	    "facts: body of 58359 bytes, wants 58360..58360");
	r.f[0].len = 3;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: bad entry 0");
	r.f[0].len = 0;
	r.f[0].file_code = EACCES;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: bad entry 0");
	r.f[0].file_code = 0;
	r.f[1].deleted = 2;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: bad entry 1");
	r.f[1].deleted = 1;
	r.f[1].len = PRIV_LINK_MAX + 1;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: bad entry 1");
	r.f[1].len = 0;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: bad entry 1");
	r.f[1].len = 9;
	r.f[1].dir_code = -1;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: bad entry 1");
	r.f[1].dir_code = 0;
	r.n = PRIV_EXEFACTS_MAX + 1;
	refused_as(
	    PRIV_FROM_PARENT, PRIV_FACTS, &r, sizeof(r), "facts: 15 entries");

	/* served: a running program deleted, another replaced since it
	 * started, a pid that is none */
	assert_non_null(mkdtemp(dir));
	snprintf(gone, sizeof(gone), "%s/gone", dir);
	snprintf(swapped, sizeof(swapped), "%s/swapped", dir);
	a = run_copy(gone);
	b = run_copy(swapped);
	assert_int_equal(unlink(gone), 0);
	assert_int_equal(unlink(swapped), 0);
	snprintf(cmd, sizeof(cmd), "cp /bin/sleep '%s'", swapped);
	assert_int_equal(system(cmd), 0); /* another file at the path */
	assert_int_equal(stat(swapped, &st), 0);
	assert_int_equal(stat(dir, &dst), 0);
	assert_int_equal(
	    socketpair(
	        AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv),
	    0);
	priv_parent_init(&p);
	req.type = PRIV_EXEFACTS;
	req.id = 9;
	req.fd = -1;
	memset(&req.u.exefacts, 0, sizeof(req.u.exefacts));
	req.u.exefacts.n = 3;
	req.u.exefacts.pid[0] = a;
	req.u.exefacts.pid[1] = b;
	req.u.exefacts.pid[2] = 0x3fffffff; /* past any pid_max */
	assert_int_equal(priv_serve(&p, "logs", sv[0], &req, &err), 0);
	assert_int_equal(priv_recv(sv[1], PRIV_FROM_PARENT, &msg, &err), 1);
	assert_int_equal(msg.type, PRIV_FACTS);
	assert_int_equal(msg.id, 9);
	assert_int_equal(msg.u.facts.n, 3);
	f = &msg.u.facts.f[0];
	assert_int_equal(f->pid, a);
	assert_int_equal(f->code, 0);
	assert_int_equal(f->deleted, 1);
	assert_int_equal(f->len, strlen(gone));
	assert_memory_equal(f->link, gone, strlen(gone));
	assert_int_equal(f->file_code, ENOENT);
	assert_int_equal(f->dir_code, 0);
	assert_int_equal(f->dir_ino, (uint64_t)dst.st_ino);
	assert_int_equal(f->dir_mode, (uint32_t)dst.st_mode);
	f = &msg.u.facts.f[1];
	assert_int_equal(f->deleted, 1);
	assert_int_equal(f->len, strlen(swapped));
	assert_int_equal(f->file_code, 0);
	assert_int_equal(f->ino, (uint64_t)st.st_ino);
	assert_int_equal(f->dev, (uint64_t)st.st_dev);
	assert_int_equal(f->mode, (uint32_t)st.st_mode);
	assert_int_equal(f->uid, (uint32_t)st.st_uid);
	f = &msg.u.facts.f[2];
	assert_int_equal(f->code, ENOENT);
	assert_int_equal(f->len, 0);
	assert_int_equal(f->file_code, 0);
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	priv_parent_release(&p);
	close(sv[0]);
	close(sv[1]);
	rm_tree(dir);
}

/* A parent for call_meanwhile: answers the request after a sync and a
 * note of its own. */
static void *
parent_thread(void *arg)
{
	static struct priv_msg req;
	static struct priv_stopped sd;
	struct priv_sync sy = {3, 0};
	struct err err = {0};
	int sock = *(int *)arg;
	struct pollfd pfd = {sock, POLLIN, 0};

	if (poll(&pfd, 1, 5000) != 1 ||
	    priv_recv(sock, PRIV_FROM_CHILD, &req, &err) != 1 ||
	    req.type != PRIV_STOP)
		return NULL;
	/* the sync's id is the request's: it is no answer all the same */
	(void)priv_send(sock, PRIV_SYNC, req.id, &sy, sizeof(sy), -1, &err);
	(void)priv_send_note(sock, "hello", &err);
	memset(&sd, 0, sizeof(sd));
	sd.result = KILL_TERM;
	(void)priv_send(sock, PRIV_STOPPED, req.id, &sd, sizeof(sd), -1, &err);
	return NULL;
}

static struct {
	int n, syncs, notes;
	uint32_t set;
} meant;

static int
got_meanwhile(const struct priv_msg *m, void *arg)
{
	assert_ptr_equal(arg, &meant);
	meant.n++;
	if (m->type == PRIV_SYNC) {
		meant.syncs++;
		meant.set = m->u.sync.set;
	}
	meant.notes += m->type == PRIV_NOTE;
	return 0;
}

static void
call_meanwhile(void **state)
{
	static struct priv_stop_req st;
	static struct priv_msg rep;
	struct err err = {0};
	pthread_t th;
	int sv[2];

	(void)state;
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(pthread_create(&th, NULL, parent_thread, &sv[1]), 0);
	a_stop(&st);
	assert_int_equal(priv_call(sv[0], PRIV_STOP, &st, sizeof(st), &rep,
	                     got_meanwhile, &meant, &err),
	    0);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* the answer, and what came before it given to the caller */
	assert_int_equal(rep.type, PRIV_STOPPED);
	assert_int_equal(rep.u.stopped.result, KILL_TERM);
	assert_int_equal(meant.n, 2);
	assert_int_equal(meant.syncs, 1);
	assert_int_equal(meant.set, 3);
	assert_int_equal(meant.notes, 1);
	close(sv[0]);
	close(sv[1]);
}

static void
death_words(void **state)
{
	char s[128];

	(void)state;
	child_status_text(SIGSYS, s, sizeof(s)); /* a wait status: signalled */
	assert_string_equal(s, "killed by SIGSYS (bad system call)");
	child_status_text(SIGKILL, s, sizeof(s));
	assert_string_equal(s, "killed by SIGKILL (killed)");
	child_status_text(3 << 8, s, sizeof(s));
	assert_string_equal(s, "exited with status 3");
}

static void
restart_backoff(void **state)
{
	static const double want[] = {1, 2, 4, 8, 16, 32, 60, 60};
	double delay = 0;

	(void)state;
	/* dying at once, again and again: doubling up to a minute */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_true(child_backoff(&delay, 0.5) == want[i]);
	/* a child that lived 59 s is still in trouble, one of 60 s is not */
	assert_true(child_backoff(&delay, 59) == 60);
	assert_true(child_backoff(&delay, 60) == 1);
	assert_true(child_backoff(&delay, 3) == 2);
}

static void
agent_user_names(void **state)
{
	struct err err = {0};
	uid_t u;
	gid_t g;

	(void)state;
	assert_int_equal(child_user("-o", 0, &u, &g, &err), -1);
	assert_non_null(strstr(err.msg, "'-o' is not a user name"));
	assert_int_equal(child_user("a/b", 0, &u, &g, &err), -1);
	assert_int_equal(child_user("", 0, &u, &g, &err), -1);
	assert_int_equal(child_user("root", 0, &u, &g, &err), -1);
	assert_non_null(strstr(err.msg, "user 'root' is root"));
	assert_int_equal(child_user("_no_such_user_x9", 0, &u, &g, &err), -1);
	assert_string_equal(err.msg, "user '_no_such_user_x9' does not exist");
}

static void
agent_user_setting(void **state)
{
	struct conf *c;

	(void)state;
	c = conf_of("");
	assert_string_equal(child_user_name(c), "_sakimori");
	conf_release(c);
	c = conf_of("set agent-user \"_watch\"\n");
	assert_string_equal(child_user_name(c), "_watch");
	conf_release(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(good_messages),
	    cmocka_unit_test(short_messages),
	    cmocka_unit_test(oversized_messages),
	    cmocka_unit_test(wrong_types),
	    cmocka_unit_test(descriptors_counted),
	    cmocka_unit_test(hostile_paths),
	    cmocka_unit_test(hostile_requests),
	    cmocka_unit_test(send_and_receive),
	    cmocka_unit_test(allow_list),
	    cmocka_unit_test(parent_services),
	    cmocka_unit_test(alert_hook),
	    cmocka_unit_test(findings_and_progress),
	    cmocka_unit_test(hostile_findings),
	    cmocka_unit_test(hostile_counts),
	    cmocka_unit_test(tally),
	    cmocka_unit_test(lines_and_syncs),
	    cmocka_unit_test(show_and_shown),
	    cmocka_unit_test(show_machine),
	    cmocka_unit_test(finding_hooks),
	    cmocka_unit_test(http_requests),
	    cmocka_unit_test(http_answers),
	    cmocka_unit_test(http_hook),
	    cmocka_unit_test(setup_bytes),
	    cmocka_unit_test(check_runs),
	    cmocka_unit_test(check_hooks),
	    cmocka_unit_test(links_and_stops),
	    cmocka_unit_test(exe_facts),
	    cmocka_unit_test(call_meanwhile),
	    cmocka_unit_test(samples),
	    cmocka_unit_test(death_words),
	    cmocka_unit_test(restart_backoff),
	    cmocka_unit_test(agent_user_names),
	    cmocka_unit_test(agent_user_setting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
