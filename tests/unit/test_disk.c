/*
 * test_disk.c - the disk module's parsers: the kernel-log disk-error
 * classifier on the project's fixture log (every pattern, with noise) and
 * on real kernel lines, and the ext2/3/4 superblock parser on superblocks
 * of real images, truncated and corrupt ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "slurp.h"

#include "base/err.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "base/finding.h"
#include "disk/extsb.h"
#include "disk/fsstate.h"
#include "disk/klog.h"
#include "disk/ksrc.h"

static struct disk_klog *klog;

static int
setup(void **state)
{
	struct err err = {0};

	(void)state;
	klog = disk_klog_new(&err);
	if (klog == NULL)
		fprintf(stderr, "%s\n", err.msg);
	return klog == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	disk_klog_free(klog);
	return 0;
}

struct expect {
	unsigned line;
	char cls[32], dev[64], sector[32];
};

/* Reads an expected.tsv: line, class, device, sector. */
static size_t
load_expected(const char *rel, struct expect *ex, size_t max)
{
	struct strbuf sb;
	const char *cur, *end;
	size_t n = 0;

	slurp(rel, &sb);
	cur = sb.p;
	end = sb.p + sb.len;
	while (cur < end && n < max) {
		const char *nl = memchr(cur, '\n', (size_t)(end - cur));
		char row[256], *f[4], *save = row;
		size_t len = nl ? (size_t)(nl - cur) : (size_t)(end - cur);

		if (len >= sizeof(row))
			fail_msg("expected.tsv: long row");
		memcpy(row, cur, len);
		row[len] = '\0';
		for (int i = 0; i < 4; i++) {
			f[i] = save;
			save = strchr(save, '\t');
			if (save == NULL && i < 3)
				fail_msg("expected.tsv: short row '%s'", row);
			if (save)
				*save++ = '\0';
		}
		ex[n].line = (unsigned)strtoul(f[0], NULL, 10);
		snprintf(ex[n].cls, sizeof(ex[n].cls), "%s", f[1]);
		snprintf(ex[n].dev, sizeof(ex[n].dev), "%s", f[2]);
		snprintf(ex[n].sector, sizeof(ex[n].sector), "%s", f[3]);
		n++;
		cur = nl ? nl + 1 : end;
	}
	strbuf_release(&sb);
	return n;
}

struct devcount {
	const char *dev;
	unsigned n;
};

/*
 * Classifies every line of the fixture log NAME.log and compares it with
 * NAME.expected.tsv: a listed line must match with that class, device and
 * sector, any other line must not match.  Counts the matches per device
 * in counts, per pattern in hit and per class in seen_cls; returns how
 * many lines were expected.
 */
static size_t
check_fixture(const char *name, struct devcount *counts, size_t ncounts,
    int *hit, unsigned *seen_cls)
{
	static struct expect ex[256];
	char rel[256];
	struct strbuf sb;
	const char *cur, *end;
	size_t nex, next = 0, i;
	unsigned lineno = 0, matched = 0;

	snprintf(rel, sizeof(rel), "kernel/%s.expected.tsv", name);
	nex = load_expected(rel, ex, 256);
	snprintf(rel, sizeof(rel), "kernel/%s.log", name);
	slurp(rel, &sb);
	cur = sb.p;
	end = sb.p + sb.len;
	while (cur < end) {
		const char *nl = memchr(cur, '\n', (size_t)(end - cur));
		size_t len = nl ? (size_t)(nl - cur) : (size_t)(end - cur);
		struct disk_kline kl;
		struct disk_kmatch m;
		enum disk_kclass c;

		lineno++;
		c = disk_klog_line(klog, cur, len, 1795000000, &kl, &m);
		if (next < nex && ex[next].line == lineno) {
			char sect[32];

			if (c == DK_NONE)
				fail_msg("%s:%u: no match: %.*s", name, lineno,
				    (int)len, cur);
			if (strcmp(disk_kclass_name(c), ex[next].cls) != 0)
				fail_msg("%s:%u: class %s, expected %s", name,
				    lineno, disk_kclass_name(c), ex[next].cls);
			if (strcmp(m.device[0] ? m.device : "-",
			        ex[next].dev) != 0)
				fail_msg("%s:%u: device '%s', expected '%s'",
				    name, lineno, m.device, ex[next].dev);
			if (m.sector == UINT64_MAX)
				snprintf(sect, sizeof(sect), "-");
			else
				snprintf(sect, sizeof(sect), "%llu",
				    (unsigned long long)m.sector);
			if (strcmp(sect, ex[next].sector) != 0)
				fail_msg("%s:%u: sector %s, expected %s", name,
				    lineno, sect, ex[next].sector);
			for (i = 0; i < ncounts; i++)
				if (strcmp(counts[i].dev, m.device) == 0)
					counts[i].n++;
			for (i = 0; i < disk_klog_npatterns(); i++)
				if (strcmp(disk_klog_pattern_id(i),
				        m.pattern) == 0)
					hit[i]++;
			seen_cls[c]++;
			matched++;
			next++;
		} else if (c != DK_NONE) {
			fail_msg("%s:%u: noise matched %s (%s): %.*s", name,
			    lineno, m.pattern, disk_kclass_name(c), (int)len,
			    cur);
		}
		cur = nl ? nl + 1 : end;
	}
	assert_int_equal(next, nex);
	assert_int_equal(matched, nex);
	strbuf_release(&sb);
	return nex;
}

static void
check_counts(const struct devcount *counts, const unsigned *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (counts[i].n != want[i])
			fail_msg("device %s: %u errors, expected %u",
			    counts[i].dev, counts[i].n, want[i]);
}

static void
fixture_log_every_line(void **state)
{
	struct devcount counts[] = {
	    {"sda", 0},
	    {"sda1", 0},
	    {"sdb", 0},
	    {"ata1.00", 0},
	    {"nvme0", 0},
	    {"nvme0n1", 0},
	    {"sdc1", 0},
	    {"sdd", 0},
	    {"ada0", 0},
	    {"PD 04(e0x20/s4)", 0},
	};
	/* Counted by hand from disk-errors.log, not from the code. */
	const unsigned want[] = {4, 7, 8, 4, 4, 3, 4, 4, 3, 2};
	/* The old IDE, Linux 2.4 and FreeBSD ata/CAM wordings. */
	struct devcount old[] = {
	    {"hda", 0},
	    {"ad0", 0},
	    {"da0", 0},
	    {"hdb", 0},
	    {"sdb1", 0},
	};
	/* Counted by hand from old-disks.log. */
	const unsigned want_old[] = {8, 8, 3, 3, 1};
	unsigned seen_cls[DK_NCLASS] = {0};
	size_t i;
	int *hit;

	(void)state;
	hit = calloc(disk_klog_npatterns(), sizeof(*hit));
	assert_true(check_fixture("disk-errors", counts, countof(counts), hit,
	                seen_cls) >= 60);
	check_counts(counts, want, countof(counts));
	assert_true(
	    check_fixture("old-disks", old, countof(old), hit, seen_cls) >= 30);
	check_counts(old, want_old, countof(old));
	for (i = 0; i < disk_klog_npatterns(); i++)
		if (hit[i] == 0)
			fail_msg("pattern %s has no line in the fixtures",
			    disk_klog_pattern_id(i));
	for (i = 1; i < DK_NCLASS; i++)
		assert_true(seen_cls[i] > 0);
	free(hit);
}

static void
real_kernel_lines(void **state)
{
	static const char *const quiet[] = {
	    "kernel/real/npd/au_opts_verify.log",
	    "kernel/real/npd/aufs_umount_hung.log",
	    "kernel/real/npd/divide_zero.log",
	    "kernel/real/npd/docker_hung.log",
	    "kernel/real/npd/null_pointer.log",
	    "kernel/real/npd/oom_kill.log",
	    "kernel/real/npd/unregister_netdevice.log",
	    "kernel/real/wazuh/kernel.log",
	    "kernel/real/ossec/syslog.log",
	};
	struct disk_kline kl;
	struct disk_kmatch m;
	struct strbuf sb;

	(void)state;
	for (size_t f = 0; f < countof(quiet); f++) {
		const char *cur, *end;

		slurp(quiet[f], &sb);
		cur = sb.p;
		end = sb.p + sb.len;
		while (cur < end) {
			const char *nl = memchr(cur, '\n', (size_t)(end - cur));
			size_t len =
			    nl ? (size_t)(nl - cur) : (size_t)(end - cur);

			if (disk_klog_line(
			        klog, cur, len, 1795000000, &kl, &m) != DK_NONE)
				fail_msg("%s: matched %s: %.*s", quiet[f],
				    m.pattern, (int)len, cur);
			cur = nl ? nl + 1 : end;
		}
		strbuf_release(&sb);
	}
	/* NPD's FilesystemIsReadOnly line (real): sda1 remounted read-only. */
	slurp("kernel/real/npd/readonly_filesystem.log", &sb);
	assert_int_equal(disk_klog_line(klog, sb.p, strcspn(sb.p, "\n"),
	                     1795000000, &kl, &m),
	    DK_FS_READONLY);
	assert_string_equal(m.device, "sda1");
	strbuf_release(&sb);
}

static void
garbage_and_edges(void **state)
{
	struct disk_kmatch m;
	struct disk_kline kl;
	char bin[512];
	const char nul[] = "blk_update_request: I/O error, dev s\0da, sector 1";
	const char cut[] = "ata1.00: failed command: ";

	(void)state;
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 37 + 11);
	assert_int_equal(
	    disk_klog_line(klog, bin, sizeof(bin), 0, &kl, &m), DK_NONE);
	assert_int_equal(disk_klog_classify(klog, "", 0, &m), DK_NONE);
	assert_int_equal(disk_klog_classify(klog, NULL, 0, &m), DK_NONE);
	/* A NUL inside the device name cuts the name; no overrun. */
	assert_int_equal(
	    disk_klog_classify(klog, nul, sizeof(nul) - 1, &m), DK_IO_ERROR);
	assert_string_equal(m.device, "s");
	assert_int_equal(
	    disk_klog_classify(klog, cut, strlen(cut), &m), DK_NONE);
}

static void
split_prefixes(void **state)
{
	struct disk_kline kl;
	const char *l1 = "Nov 21 04:00:00 www kernel: [ 3600.000011] hello";
	const char *l2 =
	    "2026-11-22T05:00:00.123456+01:00 www kernel: [ 7200.5] x";
	const char *l3 = "[  12.250000] raw dmesg";
	const char *l4 = "Nov 21 04:00:00 www sshd[812]: error: x";

	(void)state;
	disk_klog_split(l1, strlen(l1), 1795000000, &kl);
	assert_int_equal(kl.taglen, 6);
	assert_memory_equal(kl.tag, "kernel", 6);
	assert_int_equal(kl.msglen, 5);
	assert_memory_equal(kl.msg, "hello", 5);
	assert_true(kl.when > 0);
	assert_true(kl.uptime > 3600.0 && kl.uptime < 3600.1);
	disk_klog_split(l2, strlen(l2), 1795000000, &kl);
	/* 05:00 at +01:00 is 04:00 UTC */
	assert_int_equal(kl.when, 1795320000);
	assert_memory_equal(kl.msg, "x", 1);
	disk_klog_split(l3, strlen(l3), 1795000000, &kl);
	assert_null(kl.tag);
	assert_int_equal(kl.when, 0);
	assert_true(kl.uptime == 12.25);
	disk_klog_split(l4, strlen(l4), 1795000000, &kl);
	assert_memory_equal(kl.tag, "sshd", 4);
	assert_memory_equal(kl.msg, "error: x", 8);
}

static void
read_sb(const char *rel, unsigned char *buf)
{
	struct strbuf sb;

	slurp(rel, &sb);
	assert_int_equal(sb.len, DISK_EXTSB_SIZE);
	memcpy(buf, sb.p, DISK_EXTSB_SIZE);
	strbuf_release(&sb);
}

static void
extsb_errors(void **state)
{
	unsigned char buf[DISK_EXTSB_SIZE];
	struct disk_extsb s;
	struct err err = {0};
	char st[64], why[256];

	(void)state;
	read_sb("ext/errors.sb", buf);
	assert_int_equal(disk_extsb_parse(buf, sizeof(buf), &s, &err), 0);
	assert_string_equal(s.type, "ext4");
	assert_int_equal(s.state, 3);
	disk_extsb_state(&s, st, sizeof(st));
	assert_string_equal(st, "errors");
	assert_int_equal(s.error_count, 7);
	assert_int_equal(s.first_error_time, 1700000000);
	assert_string_equal(s.first_error_func, "ext4_lookup");
	assert_int_equal(s.first_error_line, 1234);
	assert_int_equal(s.first_error_ino, 12);
	assert_int_equal(s.first_error_block, 99);
	assert_int_equal(s.last_error_time, 1700086400);
	assert_string_equal(s.last_error_func, "ext4_readdir");
	assert_int_equal(s.last_error_line, 77);
	assert_int_equal(s.last_error_ino, 13);
	assert_int_equal(s.last_error_block, 100);
	assert_int_equal(s.mnt_count, 31);
	assert_int_equal(s.max_mnt_count, 30);
	assert_int_equal(s.csum, 1);
	assert_string_equal(s.uuid, "11111111-2222-3333-4444-555555555555");
	assert_string_equal(s.volume_name, "fixture");
	assert_int_equal(
	    disk_extsb_fsck_due(&s, 1795000000, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "7 errors"));
}

static void
extsb_clean_and_ext2(void **state)
{
	unsigned char buf[DISK_EXTSB_SIZE];
	struct disk_extsb s;
	struct err err = {0};
	char st[64], why[256];

	(void)state;
	read_sb("ext/clean.sb", buf);
	assert_int_equal(disk_extsb_parse(buf, sizeof(buf), &s, &err), 0);
	disk_extsb_state(&s, st, sizeof(st));
	assert_string_equal(st, "clean");
	assert_int_equal(s.error_count, 0);
	assert_int_equal(s.first_error_time, 0);
	assert_int_equal(s.csum, 1);
	assert_int_equal(
	    disk_extsb_fsck_due(&s, s.lastcheck + 10, why, sizeof(why)), 0);
	/* A check interval that has passed makes fsck due. */
	s.checkinterval = 86400;
	assert_int_equal(
	    disk_extsb_fsck_due(&s, s.lastcheck + 2 * 86400, why, sizeof(why)),
	    1);
	assert_non_null(strstr(why, "last checked 2 days ago"));

	read_sb("ext/ext2.sb", buf);
	assert_int_equal(disk_extsb_parse(buf, sizeof(buf), &s, &err), 0);
	assert_string_equal(s.type, "ext2");
	assert_int_equal(s.csum, -1);
}

static void
extsb_corrupt(void **state)
{
	unsigned char buf[DISK_EXTSB_SIZE];
	struct disk_extsb s;
	struct err err = {0};

	(void)state;
	read_sb("ext/errors.sb", buf);
	assert_int_equal(disk_extsb_parse(buf, 1023, &s, &err), -1);
	assert_non_null(strstr(err.msg, "1023 bytes"));
	assert_int_equal(disk_extsb_parse(buf, 0, &s, &err), -1);
	buf[0x100] ^= 0x55; /* a byte under the checksum */
	assert_int_equal(disk_extsb_parse(buf, sizeof(buf), &s, &err), 0);
	assert_int_equal(s.csum, 0);
	buf[0x18] = 40; /* absurd block size */
	assert_int_equal(disk_extsb_parse(buf, sizeof(buf), &s, &err), -1);
	assert_non_null(strstr(err.msg, "block size"));
	memset(buf, 0, sizeof(buf));
	assert_int_equal(disk_extsb_parse(buf, sizeof(buf), &s, &err), -1);
	assert_non_null(strstr(err.msg, "not an ext2/3/4"));
}

static void
kmsg_records(void **state)
{
	const char plain[] = "6,339,5140900,-;NET: Registered PF_INET6\n";
	const char dict[] = "3,1200,98765432,-,caller=T12;blk_update_request: "
	                    "I/O error, dev sda, sector 7\n SUBSYSTEM=block\n "
	                    "DEVICE=b8:0\n";
	const char cont[] = "12,7,1,c;first part";
	struct disk_kmsg_rec r;
	struct err err = {0};

	(void)state;
	assert_int_equal(disk_kmsg_parse(plain, strlen(plain), &r, &err), 0);
	assert_int_equal(r.facility, 0);
	assert_int_equal(r.level, 6);
	assert_int_equal(r.seq, 339);
	assert_int_equal(r.usec, 5140900);
	assert_int_equal(r.msglen, strlen("NET: Registered PF_INET6"));
	assert_int_equal(r.ndict, 0);
	/* Continuation (dictionary) lines and fields after the flag. */
	assert_int_equal(disk_kmsg_parse(dict, strlen(dict), &r, &err), 0);
	assert_int_equal(r.seq, 1200);
	assert_int_equal(r.ndict, 2);
	assert_int_equal(r.devlen, 4);
	assert_memory_equal(r.device, "b8:0", 4);
	assert_int_equal(r.msglen,
	    strlen("blk_update_request: I/O error, "
	           "dev sda, sector 7"));
	/* An old kernel's continued record: user facility, flag 'c'. */
	assert_int_equal(disk_kmsg_parse(cont, strlen(cont), &r, &err), 0);
	assert_int_equal(r.facility, 1);
	assert_int_equal(r.flag, 'c');
	assert_int_equal(r.msglen, 10);
	assert_int_equal(disk_kmsg_parse("6,1,2", 5, &r, &err), -1);
	assert_int_equal(
	    disk_kmsg_parse("6,1,2,-no semicolon", 19, &r, &err), -1);
	assert_int_equal(disk_kmsg_parse("x,1,2,-;m", 9, &r, &err), -1);
	assert_int_equal(disk_kmsg_parse("", 0, &r, &err), -1);
}

/*
 * "disk --device PATH": a device whose superblock cannot be read is an
 * UNKNOWN fs-errors finding (sakimori could not look); a readable one
 * adds none by itself.
 */
static void
device_check_unknown_when_unreadable(void **state)
{
	struct disk_fslist l = {0};
	struct report r;
	struct strbuf sb;
	char dir[] = "/tmp/test_disk.XXXXXX", img[64], zero[1024] = {0};
	const char *why;
	FILE *fp;

	(void)state;
	report_init(&r);
	why = disk_fs_device_check("/nonexistent/sakimori-dev", &l, &r);
	assert_non_null(why);
	assert_int_equal(l.n, 1);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_UNKNOWN);
	assert_string_equal(r.f[0].check, "fs-errors");
	assert_string_equal(r.f[0].subject, "/nonexistent/sakimori-dev");
	assert_non_null(strstr(r.f[0].message, why));

	/* an image with the clean superblock at offset 1024 */
	assert_non_null(mkdtemp(dir));
	snprintf(img, sizeof(img), "%s/img", dir);
	slurp("ext/clean.sb", &sb);
	assert_non_null(fp = fopen(img, "w"));
	assert_int_equal(fwrite(zero, 1, sizeof(zero), fp), sizeof(zero));
	assert_int_equal(fwrite(sb.p, 1, sb.len, fp), sb.len);
	assert_int_equal(fclose(fp), 0);
	strbuf_release(&sb);
	assert_null(disk_fs_device_check(img, &l, &r));
	assert_int_equal(l.n, 2);
	assert_true(l.fs[1].have_sb);
	assert_int_equal(r.nf, 1);
	assert_int_equal(unlink(img), 0);
	assert_int_equal(rmdir(dir), 0);
	disk_fslist_release(&l);
	report_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fixture_log_every_line),
	    cmocka_unit_test(device_check_unknown_when_unreadable),
	    cmocka_unit_test(real_kernel_lines),
	    cmocka_unit_test(garbage_and_edges),
	    cmocka_unit_test(split_prefixes),
	    cmocka_unit_test(extsb_errors),
	    cmocka_unit_test(extsb_clean_and_ext2),
	    cmocka_unit_test(extsb_corrupt),
	    cmocka_unit_test(kmsg_records),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
