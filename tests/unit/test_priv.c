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
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/act.h"
#include "act/alert.h"
#include "act/kill.h"
#include "agent/child.h"
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
	struct priv_progress pr = {1, 0, 10, 9, 2};
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
	struct priv_progress pr = {PRIV_SETS_MAX, 0, 10, 9, 2};
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

static void
finding_hooks(void **state)
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
	req.u.progress = (struct priv_progress){2, 0, 5, 5, 1};
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
	    cmocka_unit_test(lines_and_syncs),
	    cmocka_unit_test(show_and_shown),
	    cmocka_unit_test(finding_hooks),
	    cmocka_unit_test(death_words),
	    cmocka_unit_test(restart_backoff),
	    cmocka_unit_test(agent_user_names),
	    cmocka_unit_test(agent_user_setting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
