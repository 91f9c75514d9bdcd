/*
 * test_btf.c - the BTF reader and the BPF socket iterator's pure parts:
 * the layout from small BTF files (tests/fixtures/btf, made by make.py),
 * malformed BTF, the program's shape, a record's decoding, and the
 * layout kept for the boot.  The program run by the kernel is tested in
 * test_sock.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "collect/btf.h"
#include "collect/sock_bpf.h"

static void
load(const char *name, struct strbuf *sb)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/btf/%s", FIXTURES, name);
	assert_int_equal(file_read(path, 1 << 20, sb, NULL, NULL), 0);
}

/* The offsets of Linux 6.18 (x86_64), as sock.btf has them. */
static void
layout_from_btf(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct sock_bpf_layout l;
	struct err err = {0};

	(void)state;
	load("sock.btf", &sb);
	assert_int_equal(sock_bpf_layout(sb.p, sb.len, &l, &err), 0);
	assert_true(l.iter_id > 0);
	assert_int_equal(l.ctx_meta, 0);
	assert_int_equal(l.ctx_sk, 8);
	assert_int_equal(l.ctx_uid, 16);
	assert_int_equal(l.meta_seq, 0);
	/* members of anonymous unions and structs inside sock_common */
	assert_int_equal(l.daddr, 0);
	assert_int_equal(l.rcv_saddr, 4);
	assert_int_equal(l.dport, 12);
	assert_int_equal(l.num, 14);
	assert_int_equal(l.family, 16);
	assert_int_equal(l.state, 18);
	assert_int_equal(l.v6_daddr, 56);
	assert_int_equal(l.v6_rcv_saddr, 72);
	assert_int_equal(l.tw_substate, 140);
	strbuf_release(&sb);
}

/* Offsets are read, not assumed; names found even when not deduplicated. */
static void
layout_follows_the_btf(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct sock_bpf_layout l;
	struct err err = {0};

	(void)state;
	load("shifted.btf", &sb);
	assert_int_equal(sock_bpf_layout(sb.p, sb.len, &l, &err), 0);
	assert_int_equal(l.daddr, 8);
	assert_int_equal(l.rcv_saddr, 12);
	assert_int_equal(l.dport, 20);
	assert_int_equal(l.num, 22);
	assert_int_equal(l.family, 24);
	assert_int_equal(l.state, 26);
	assert_int_equal(l.v6_daddr, 64);
	assert_int_equal(l.v6_rcv_saddr, 80);
	strbuf_release(&sb);
}

/* What the program cannot use is "no BPF here" (1), with the reason. */
static void
layout_refuses_what_it_cannot_read(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct sock_bpf_layout l;
	struct err err = {0};

	(void)state;
	load("bitfield.btf", &sb);
	assert_int_equal(sock_bpf_layout(sb.p, sb.len, &l, &err), 1);
	assert_non_null(strstr(err.msg, "skc_state"));
	load("nofunc.btf", &sb);
	assert_int_equal(sock_bpf_layout(sb.p, sb.len, &l, &err), 1);
	assert_non_null(strstr(err.msg, "bpf_iter_tcp"));
	strbuf_release(&sb);
}

/* Cut anywhere, or with a bad header, the data is an error, not a crash. */
static void
malformed_btf(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct sock_bpf_layout l;
	struct err err = {0};
	char *copy;
	uint32_t v;

	(void)state;
	load("sock.btf", &sb);
	copy = malloc(sb.len);
	assert_non_null(copy);
	for (size_t n = 0; n < sb.len; n++) {
		memcpy(copy, sb.p, n);
		assert_int_equal(sock_bpf_layout(copy, n, &l, &err), -1);
		assert_true(err.msg[0] != '\0');
	}
	/* wrong magic */
	memcpy(copy, sb.p, sb.len);
	copy[0] ^= 1;
	assert_int_equal(sock_bpf_layout(copy, sb.len, &l, &err), -1);
	assert_non_null(strstr(err.msg, "not BTF"));
	/* a type of an unknown kind (31) in place of the first */
	memcpy(copy, sb.p, sb.len);
	memcpy(&v, copy + 24 + 4, 4);
	v |= 0x1fu << 24;
	memcpy(copy + 24 + 4, &v, 4);
	assert_int_equal(sock_bpf_layout(copy, sb.len, &l, &err), -1);
	assert_non_null(strstr(err.msg, "unknown kind"));
	/* the string section without its final NUL */
	memcpy(copy, sb.p, sb.len);
	copy[sb.len - 1] = 'x';
	assert_int_equal(sock_bpf_layout(copy, sb.len, &l, &err), -1);
	free(copy);
	strbuf_release(&sb);
}

/* A struct whose anonymous member is itself: the look-up ends. */
static void
self_nested_struct(void **state)
{
	/* header; type 1: struct "s" (kind_flag 0), 1 anonymous member of
	 * type 1; strings "\0s\0x\0" */
	uint8_t b[24 + 24 + 5];
	/* magic, version 1, flags; header length, type section at 0 of 24
	 * bytes, strings at 24 of 5 */
	uint32_t h[6] = {0x0001eB9Fu, 24, 0, 24, 24, 5};
	/* "s": a struct (kind 4) of 8 bytes with one member, unnamed, of
	 * type 1 (itself) at offset 0 */
	uint32_t t[6] = {1, (4u << 24) | 1, 8, 0, 1, 0};
	struct btf btf;
	struct err err = {0};
	struct btf_want w = {BTF_K_STRUCT, "s", 0};
	uint32_t off, size;

	(void)state;
	memcpy(b, h, 24);
	memcpy(b + 24, t, 24);
	memcpy(b + 48, "\0s\0x", 5);
	assert_int_equal(btf_init(&btf, b, sizeof(b), &err), 0);
	assert_int_equal(btf_find(&btf, &w, 1, &err), 0);
	assert_int_equal(w.id, 1);
	assert_int_equal(btf_member(&btf, 1, "x", &off, &size, &err), -1);
	assert_non_null(strstr(err.msg, "nested too deep"));
	btf_release(&btf);
}

/* The vmlinux BTF of the running kernel, when it has one. */
static void
layout_of_this_kernel(void **state)
{
	struct sock_bpf_layout l;
	struct err err = {0};
	struct stat st;
	void *m;
	int fd;

	(void)state;
	if ((fd = open("/sys/kernel/btf/vmlinux", O_RDONLY)) == -1)
		skip();
	assert_int_equal(fstat(fd, &st), 0);
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		skip(); /* before Linux 6.16 */
	assert_int_equal(sock_bpf_layout(m, (size_t)st.st_size, &l, &err), 0);
	assert_true(l.iter_id > 0);
	assert_int_equal(l.ctx_sk, 8); /* struct bpf_iter__tcp is fixed */
	assert_true(l.state > l.family);
	munmap(m, (size_t)st.st_size);
}

/* Every jump lands inside the program, which ends in exit. */
static void
program_shape(void **state)
{
	struct strbuf sb = STRBUF_INIT(4096);
	struct sock_bpf_layout l;
	struct err err = {0};
	struct bpf_insn p[SOCK_BPF_INSNS];
	size_t n;
	int masks = 0;

	(void)state;
	load("sock.btf", &sb);
	assert_int_equal(sock_bpf_layout(sb.p, sb.len, &l, &err), 0);
	n = sock_bpf_program(&l, SOCK_STATE_BIT(SOCK_SYN_RECV), p);
	assert_true(n > 10 && n <= SOCK_BPF_INSNS);
	assert_int_equal(p[n - 1].code, BPF_JMP | BPF_EXIT);
	for (size_t i = 0; i < n; i++) {
		unsigned cls = p[i].code & 7, op = p[i].code & 0xf0;

		if (cls == BPF_JMP && op != BPF_CALL && op != BPF_EXIT) {
			long to = (long)i + 1 + p[i].off;

			assert_true(to > (long)i && to < (long)n);
		}
		/* SYN_RECV asked for: request sockets (12) too */
		if (p[i].code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
		    p[i].imm == ((1 << 3) | (1 << 12)))
			masks++;
	}
	assert_int_equal(masks, 1);
	strbuf_release(&sb);
}

static void
record_decoding(void **state)
{
	uint8_t r[SOCK_BPF_REC] = {0};
	struct sock_entry e;
	uint16_t fam = AF_INET6, dport = htons(443), num = 51234;
	uint32_t uid = 33;

	(void)state;
	memcpy(r, &fam, 2);
	r[2] = 12; /* NEW_SYN_RECV */
	memcpy(r + 4, &dport, 2);
	memcpy(r + 6, &num, 2);
	memcpy(r + 8, &uid, 4);
	inet_pton(AF_INET6, "2001:db8::1", r + 16);
	inet_pton(AF_INET6, "::ffff:192.0.2.7", r + 32);
	assert_int_equal(sock_bpf_decode(r, &e), 0);
	assert_int_equal(e.family, AF_INET6);
	assert_int_equal(e.proto, IPPROTO_TCP);
	assert_int_equal(e.state, SOCK_SYN_RECV);
	assert_int_equal(e.rport, 443);
	assert_int_equal(e.lport, 51234);
	assert_int_equal(e.uid, 33);
	assert_memory_equal(e.raddr, r + 16, 16);
	assert_memory_equal(e.laddr, r + 32, 16);
	assert_int_equal(e.inode, 0);
	/* not a record of the program */
	r[2] = 0;
	assert_int_equal(sock_bpf_decode(r, &e), -1);
	r[2] = 1;
	fam = 99;
	memcpy(r, &fam, 2);
	assert_int_equal(sock_bpf_decode(r, &e), -1);
}

/* The layout kept for the boot: the same boot and BTF only, intact. */
static void
layout_cache(void **state)
{
	char dir[] = "/tmp/test_btf.XXXXXX", path[64];
	const char *boot = "6f1e0c2a-0d4b-4a55-9d36-0c7d1b5e2f10";
	struct sock_bpf_layout l = {0}, got;
	FILE *f;

	(void)state;
	if (geteuid() != 0)
		skip(); /* only root's file is trusted */
	assert_non_null(mkdtemp(dir));
	l.iter_id = 64299;
	l.state = 18;
	l.tw_substate = 140;
	assert_int_equal(sock_bpf_cache_get(dir, boot, 5520272, &got), -1);
	assert_int_equal(sock_bpf_cache_put(dir, boot, 5520272, &l), 0);
	assert_int_equal(sock_bpf_cache_get(dir, boot, 5520272, &got), 0);
	assert_memory_equal(&got, &l, sizeof(l));
	/* another boot, another kernel */
	assert_int_equal(sock_bpf_cache_get(dir, "0000", 5520272, &got), -1);
	assert_int_equal(sock_bpf_cache_get(dir, boot, 5520273, &got), -1);
	/* one byte changed */
	snprintf(path, sizeof(path), "%s/btf-layout", dir);
	f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 70, SEEK_SET);
	fputc(0x55, f);
	fclose(f);
	assert_int_equal(sock_bpf_cache_get(dir, boot, 5520272, &got), -1);
	/* writable by others: not trusted */
	assert_int_equal(sock_bpf_cache_put(dir, boot, 5520272, &l), 0);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(sock_bpf_cache_get(dir, boot, 5520272, &got), -1);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(sock_bpf_cache_get(dir, boot, 5520272, &got), -1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(layout_from_btf),
	    cmocka_unit_test(layout_follows_the_btf),
	    cmocka_unit_test(layout_refuses_what_it_cannot_read),
	    cmocka_unit_test(malformed_btf),
	    cmocka_unit_test(self_nested_struct),
	    cmocka_unit_test(layout_of_this_kernel),
	    cmocka_unit_test(program_shape),
	    cmocka_unit_test(record_decoding),
	    cmocka_unit_test(layout_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
