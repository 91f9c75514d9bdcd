/*
 * test_diskhealth.c - disk health before the crash: the md RAID reader
 * and its verdicts on real /proc/mdstat and /sys/block/mdN/md captures
 * (tests/fixtures/md: clean, degraded with a faulty member, rebuilding
 * with progress, mismatches after a check; RAID1, RAID5, RAID6, RAID10),
 * the smartctl --json parser and its verdicts on real outputs
 * (tests/fixtures/smart: ATA and NVMe, healthy and failing, a disk
 * without SMART), the growth kept in the state database, and the join
 * per disk with its advice.
 */
#include <dirent.h>
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
#include "base/finding.h"
#include "base/strbuf.h"
#include "disk/health.h"
#include "disk/kscan.h"
#include "disk/md.h"
#include "disk/smart.h"
#include "store/store.h"

#define NOW ((time_t)1796547372)

static struct disk_mdlist *
read_tree(const char *rel)
{
	struct disk_mdlist *l = malloc(sizeof(*l));
	char root[4096];
	struct err err = {0};

	assert_non_null(l);
	snprintf(root, sizeof(root), "%s/%s", FIXTURES, rel);
	assert_int_equal(disk_md_read(root, l, &err), 0);
	assert_true(l->present);
	return l;
}

static const struct disk_md *
array(const struct disk_mdlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->md[i].name, name) == 0)
			return &l->md[i];
	fail_msg("no array %s", name);
	return NULL;
}

static enum sev
verdict(const struct disk_mdlist *l, const char *name, char *why, size_t n)
{
	return disk_md_verdict(array(l, name), NOW, why, n);
}

/* node_exporter's mdstat: every array and line understood. */
static void
mdstat_exporter_parsed(void **state)
{
	struct disk_mdlist *l = calloc(1, sizeof(*l));
	const struct disk_md *a;
	struct strbuf sb;

	(void)state;
	slurp("md/exporter/proc/mdstat", &sb);
	disk_md_parse(sb.p, sb.len, l);
	assert_int_equal(l->n, 12);
	assert_int_equal(l->malformed, 0);

	a = array(l, "md6");
	assert_string_equal(a->level, "raid1");
	assert_int_equal(a->raid_disks, 2);
	assert_int_equal(a->in_sync, 1);
	assert_int_equal(a->degraded, 1);
	assert_string_equal(a->map, "U_");
	assert_string_equal(a->action, "recovery");
	assert_true(a->progress > 8.49 && a->progress < 8.51);
	assert_true(a->finish_min > 16.99 && a->finish_min < 17.01);
	assert_true(a->speed_kps > 259782 && a->speed_kps < 259784);
	assert_int_equal(a->nm, 2);
	assert_string_equal(a->m[0].name, "sdb2");
	assert_int_equal(a->m[0].slot, 2);

	a = array(l, "md7");
	assert_string_equal(a->level, "raid6");
	assert_string_equal(a->map, "U_UU");
	assert_int_equal(a->degraded, 1);
	assert_string_equal(a->action, "");

	a = array(l, "md219");
	assert_true(a->inactive);
	assert_int_equal(a->nm, 3);
	for (size_t k = 0; k < a->nm; k++)
		assert_true(a->m[k].spare);

	assert_string_equal(array(l, "md9")->pending, "DELAYED");
	assert_string_equal(array(l, "md11")->pending, "PENDING");
	assert_string_equal(array(l, "md11")->level, "raid1");
	assert_string_equal(array(l, "md10")->level, "raid0");
	assert_int_equal(array(l, "md10")->raid_disks, -1);
	strbuf_release(&sb);
	free(l);
}

/* A line mdstat never has is counted with its number, not dropped
 * silently, and the arrays around it are still read. */
static void
mdstat_malformed_counted(void **state)
{
	static const char text[] =
	    "Personalities : [raid1]\n"
	    "md0 : active raid1 sdb1[1] sda1[0]\n"
	    "      1953382464 blocks super 1.2 [2/2] [UU]\n"
	    "      what is this\n"
	    "unused devices: <none>\n";
	struct disk_mdlist *l = calloc(1, sizeof(*l));

	(void)state;
	disk_md_parse(text, sizeof(text) - 1, l);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->malformed, 1);
	assert_int_equal(l->bad_line, 4);
	assert_string_equal(l->md[0].map, "UU");
	free(l);
}

/* A finish estimate no clock can hold (fuzz_mdstat found it: the time
 * it would end overflowed time_t) is unknown, and said so. */
static void
mdstat_finish_out_of_range(void **state)
{
	static const char text[] =
	    "Personalities : [raid1]\n"
	    "md0 : active raid1 sdb1[2] sda1[0]\n"
	    "      1953382464 blocks super 1.2 [2/1] [U_]\n"
	    "      [=>...................]  recovery =  8.5% "
	    "(16775552/195310144) finish=3333333333333333333.3min "
	    "speed=259783K/sec\n"
	    "unused devices: <none>\n";
	struct disk_mdlist *l = calloc(1, sizeof(*l));
	char prog[160];

	(void)state;
	disk_md_parse(text, sizeof(text) - 1, l);
	assert_int_equal(l->n, 1);
	assert_true(l->md[0].progress > 8.49 && l->md[0].progress < 8.51);
	assert_true(l->md[0].finish_min < 0);
	disk_md_progress(&l->md[0], 1700000000, prog, sizeof(prog));
	assert_string_equal(prog, "rebuilding 8.5%");
	free(l);
}

/* Degraded, rebuilding, resyncing, inactive and clean arrays. */
static void
verdicts_exporter(void **state)
{
	struct disk_mdlist *l = read_tree("md/exporter");
	const struct disk_md *a;
	char why[512];

	(void)state;
	assert_int_equal(verdict(l, "md6", why, sizeof(why)), SEV_WARNING);
	assert_non_null(strstr(why, "rebuilding 8.5%"));
	assert_non_null(strstr(why, "17 minutes left"));
	assert_non_null(strstr(why, "mirror is running on one disk"));
	assert_int_equal(verdict(l, "md7", why, sizeof(why)), SEV_CRITICAL);
	assert_non_null(strstr(why, "degraded"));
	assert_non_null(strstr(why, "[U_UU]"));
	assert_int_equal(verdict(l, "md8", why, sizeof(why)), SEV_WARNING);
	assert_non_null(strstr(why, "resync 8.5%"));
	assert_int_equal(verdict(l, "md4", why, sizeof(why)), SEV_CRITICAL);
	assert_non_null(strstr(why, "not running"));
	assert_int_equal(verdict(l, "md3", why, sizeof(why)), SEV_OK);
	assert_int_equal(verdict(l, "md127", why, sizeof(why)), SEV_OK);
	assert_int_equal(verdict(l, "md219", why, sizeof(why)), SEV_OK);
	assert_int_equal(verdict(l, "md9", why, sizeof(why)), SEV_OK);
	/* the member being rebuilt holds no complete copy, the other does */
	a = array(l, "md6");
	assert_string_equal(a->m[0].name, "sda2");
	assert_true(disk_md_in_sync(a, &a->m[0]));
	assert_string_equal(a->m[1].name, "sdb2");
	assert_false(disk_md_in_sync(a, &a->m[1]));
	free(l);
}

/* procfs's sysfs tree: RAID5 with a faulty member, RAID6 recovering,
 * RAID1 and RAID10 clean; arrays only sysfs knows. */
static void
verdicts_sysfs(void **state)
{
	struct disk_mdlist *l = read_tree("md/procfs");
	const struct disk_md *a;
	char why[512];

	(void)state;
	assert_int_equal(l->n, 4);
	a = array(l, "md5");
	assert_string_equal(a->level, "raid5");
	assert_int_equal(a->degraded, 1);
	assert_int_equal(verdict(l, "md5", why, sizeof(why)), SEV_CRITICAL);
	assert_non_null(strstr(why, "failed member: sdp"));
	assert_non_null(strstr(why, "back up now"));
	a = array(l, "md6");
	assert_string_equal(a->action, "recovery");
	assert_true(a->progress > 74.99 && a->progress < 75.01);
	assert_int_equal(verdict(l, "md6", why, sizeof(why)), SEV_WARNING);
	assert_non_null(strstr(why, "75.0%"));
	assert_int_equal(verdict(l, "md1", why, sizeof(why)), SEV_OK);
	assert_string_equal(array(l, "md10")->level, "raid10");
	assert_int_equal(array(l, "md10")->nm, 4);
	assert_int_equal(verdict(l, "md10", why, sizeof(why)), SEV_OK);
	free(l);
}

/* A RAID1 after a check that found mismatches; another one checking. */
static void
verdicts_scrub(void **state)
{
	struct disk_mdlist *l = read_tree("md/scrub");
	char why[512];

	(void)state;
	assert_int_equal(array(l, "md4")->mismatch, 128);
	assert_int_equal(verdict(l, "md4", why, sizeof(why)), SEV_WARNING);
	assert_non_null(strstr(why, "128 mismatched sectors"));
	assert_string_equal(array(l, "md2")->action, "check");
	assert_true(array(l, "md2")->progress > 99.7);
	assert_int_equal(verdict(l, "md2", why, sizeof(why)), SEV_OK);
	assert_int_equal(verdict(l, "md0", why, sizeof(why)), SEV_OK);
	free(l);
}

/* The findings: one per array not OK, the failed member named. */
static void
raid_findings(void **state)
{
	struct report r;
	struct err err = {0};
	char root[4096];
	int seen = 0;

	(void)state;
	report_init(&r);
	snprintf(root, sizeof(root), "%s/md/procfs", FIXTURES);
	assert_int_equal(disk_check_raid(NULL, root, NOW, &r, &err), 0);
	assert_int_equal(r.nf, 2);
	for (size_t i = 0; i < r.nf; i++) {
		const struct finding *f = &r.f[i];

		assert_string_equal(f->check, "raid");
		if (strcmp(f->subject, "md5") == 0) {
			seen++;
			assert_int_equal(f->sev, SEV_CRITICAL);
			assert_string_equal(finding_ev_get(f, "failed"), "sdp");
			assert_string_equal(
			    finding_ev_get(f, "failed_disk"), "sdp");
			assert_string_equal(finding_ev_get(f, "members"),
			    "sdaa(S) sdn sdo sdp(F)");
		} else {
			seen++;
			assert_string_equal(f->subject, "md6");
			assert_int_equal(f->sev, SEV_WARNING);
			assert_string_equal(
			    finding_ev_get(f, "progress"), "75.0");
		}
	}
	assert_int_equal(seen, 2);
	report_release(&r);
}

/* No md in the kernel: nothing to say, no error. */
static void
raid_absent(void **state)
{
	struct disk_mdlist *l = malloc(sizeof(*l));
	struct err err = {0};
	char root[4096];

	(void)state;
	snprintf(root, sizeof(root), "%s/smart", FIXTURES);
	assert_int_equal(disk_md_read(root, l, &err), 0);
	assert_false(l->present);
	assert_int_equal(l->n, 0);
	free(l);
}

static void
parse_smart(const char *rel, struct disk_smart *s)
{
	struct strbuf sb;
	struct err err = {0};

	slurp(rel, &sb);
	if (disk_smart_parse(sb.p, sb.len, s, &err) == -1)
		fail_msg("%s: %s", rel, err.msg);
	strbuf_release(&sb);
}

static void
smart_ata_failing(void **state)
{
	struct disk_smart s;
	char why[512];

	(void)state;
	parse_smart("smart/ata-failing.json", &s);
	assert_int_equal(s.status, DISK_SMART_OK);
	assert_string_equal(s.protocol, "ATA");
	assert_string_equal(s.model, "Hitachi HDS721050DLE630");
	assert_string_equal(s.serial, "MSK423Y20S3HBC");
	assert_int_equal(s.exit_status, 216);
	assert_int_equal(s.passed, 0);
	assert_int_equal(s.realloc, 1975);
	assert_int_equal(s.pending, 8);
	assert_int_equal(s.offline_unc, 0);
	assert_int_equal(s.crc, 0);
	assert_int_equal(s.temp, 25);
	assert_int_equal(s.power_on_hours, 65592);
	assert_string_equal(s.failing_now, "Reallocated_Sector_Ct");
	assert_int_equal(s.media_errors, DISK_SMART_ABSENT);
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_CRITICAL);
	assert_non_null(strstr(why, "predicts its own failure"));
	assert_non_null(strstr(why, "Back up its data now and replace"));
	/* pending sectors alone are CRITICAL too */
	s.passed = 1;
	s.failing_now[0] = '\0';
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_CRITICAL);
	assert_non_null(strstr(why, "8 sectors pending"));
}

static void
smart_ata_healthy_and_growth(void **state)
{
	struct disk_smart s;
	struct disk_smart_prev prev = {0, DISK_SMART_ABSENT, 0};
	char why[512];

	(void)state;
	parse_smart("smart/ata-healthy.json", &s);
	assert_int_equal(s.status, DISK_SMART_OK);
	assert_int_equal(s.passed, 1);
	assert_int_equal(s.realloc, 0);
	assert_int_equal(s.pending, 0);
	assert_int_equal(s.offline_unc, 0);
	assert_int_equal(s.crc, 0);
	assert_int_equal(s.temp, 32);
	assert_int_equal(s.power_on_hours, 1730);
	assert_string_equal(s.failing_now, "");
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_OK);
	assert_int_equal(
	    disk_smart_verdict(&s, &prev, why, sizeof(why)), SEV_OK);
	s.realloc = 3; /* three sectors reallocated since */
	assert_int_equal(
	    disk_smart_verdict(&s, &prev, why, sizeof(why)), SEV_WARNING);
	assert_non_null(strstr(why, "grew from 0 to 3"));
	/* the same count as last time is no news */
	prev.realloc = 3;
	assert_int_equal(
	    disk_smart_verdict(&s, &prev, why, sizeof(why)), SEV_OK);
}

static void
smart_nvme(void **state)
{
	struct disk_smart s;
	struct disk_smart_prev prev = {DISK_SMART_ABSENT, 5, 0};
	struct strbuf sb;
	struct err err = {0};
	char why[512], *p;

	(void)state;
	parse_smart("smart/nvme-healthy.json", &s);
	assert_string_equal(s.protocol, "NVMe");
	assert_int_equal(s.critical_warning, 0);
	assert_int_equal(s.media_errors, 0);
	assert_int_equal(s.spare, 100);
	assert_int_equal(s.spare_threshold, 10);
	assert_int_equal(s.pct_used, 0);
	assert_int_equal(s.temp, 36);
	assert_int_equal(s.power_on_hours, 2401);
	assert_int_equal(s.realloc, DISK_SMART_ABSENT);
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_OK);

	/* the same capture with the reliability bit of the critical warning */
	slurp("smart/nvme-healthy.json", &sb);
	p = strstr(sb.p, "\"critical_warning\": 0");
	assert_non_null(p);
	p[strlen("\"critical_warning\": ")] = '4';
	assert_int_equal(disk_smart_parse(sb.p, sb.len, &s, &err), 0);
	assert_int_equal(s.critical_warning, 4);
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_CRITICAL);
	assert_non_null(strstr(why, "reliability degraded"));
	strbuf_release(&sb);

	parse_smart("smart/nvme-media-errors.json", &s);
	assert_string_equal(s.model, "Samsung SSD 970 EVO 500GB");
	assert_int_equal(s.media_errors, 7);
	assert_int_equal(s.pct_used, 3);
	assert_int_equal(s.spare, 99);
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_OK);
	assert_int_equal(
	    disk_smart_verdict(&s, &prev, why, sizeof(why)), SEV_WARNING);
	assert_non_null(strstr(why, "media errors grew from 5 to 7"));
}

/* A virtio disk: no SMART, said as such, no error. */
static void
smart_virtio_none(void **state)
{
	struct disk_smart s;
	char why[512];

	(void)state;
	parse_smart("smart/virtio-vda.json", &s);
	assert_int_equal(s.status, DISK_SMART_NONE);
	assert_int_equal(s.exit_status, 1);
	assert_non_null(strstr(s.message, "Unable to detect device type"));
	assert_int_equal(
	    disk_smart_verdict(&s, NULL, why, sizeof(why)), SEV_OK);
}

static void
smart_bad_input(void **state)
{
	struct disk_smart s;
	struct err err = {0};

	(void)state;
	assert_int_equal(
	    disk_smart_parse("smartctl: not found", 19, &s, &err), -1);
	assert_non_null(strstr(err.msg, "not JSON"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(disk_smart_parse("{\"a\": 1}", 8, &s, &err), -1);
	assert_non_null(strstr(err.msg, "no \"smartctl\" object"));
	/* a document without health data and no known reason: cannot read */
	assert_int_equal(
	    disk_smart_parse(
	        "{\"smartctl\": {\"exit_status\": 2}}", 32, &s, &err),
	    0);
	assert_int_equal(s.status, DISK_SMART_ERROR);
	assert_non_null(strstr(s.message, "exit status 2"));
}

/* Removes the state directory (its files, one level). */
static void
rm_dir(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	char p[4096];

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

/* The figures of one disk are kept by id; the next check sees them. */
static void
smart_state_kept(void **state)
{
	char dir[] = "/tmp/test_diskhealth.XXXXXX";
	struct disk_smart s;
	struct disk_smart_prev prev;
	struct store st;
	struct err err = {0};

	(void)state;
	assert_non_null(mkdtemp(dir));
	parse_smart("smart/nvme-media-errors.json", &s);
	assert_int_equal(store_open(&st, dir, &err), 0);
	assert_int_equal(
	    disk_smart_state(&st, "serial:X", "nvme0n1", &s, NOW, &prev, &err),
	    1);
	s.media_errors = 9;
	assert_int_equal(disk_smart_state(&st, "serial:X", "nvme0n1", &s,
	                     NOW + 60, &prev, &err),
	    0);
	assert_int_equal(prev.media_errors, 7);
	assert_int_equal(prev.realloc, DISK_SMART_ABSENT);
	assert_int_equal(prev.t, NOW);
	assert_int_equal(disk_smart_state(&st, "serial:X", "nvme0n1", &s,
	                     NOW + 120, &prev, &err),
	    0);
	assert_int_equal(prev.media_errors, 9);
	/* another disk is another record */
	assert_int_equal(
	    disk_smart_state(&st, "serial:Y", "sda", &s, NOW, &prev, &err), 1);
	store_close(&st);
	rm_dir(dir);
}

static struct disk_health *
add_disk(struct disk_healthlist *hl, const char *name, const char *fixture)
{
	struct disk_health *h = &hl->d[hl->n++];

	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	if (fixture != NULL) {
		h->smart_asked = 1;
		parse_smart(fixture, &h->smart);
	} else {
		h->smart.status = DISK_SMART_NONE;
	}
	return h;
}

/* One verdict per disk, with the advice that applies. */
static void
join_advice(void **state)
{
	struct disk_healthlist *hl = calloc(1, sizeof(*hl));
	struct disk_mdlist *procfs = read_tree("md/procfs");
	struct disk_mdlist *exporter = read_tree("md/exporter");
	struct disk_mdlist *scrub = read_tree("md/scrub");

	(void)state;
	/* a failing disk in a clean mirror: back up and replace it */
	add_disk(hl, "sdc", "smart/ata-failing.json");
	add_disk(hl, "sdd", "smart/ata-healthy.json");
	disk_health_join(hl, scrub, NULL);
	assert_string_equal(hl->d[0].md, "md4");
	assert_int_equal(hl->d[0].sev, SEV_CRITICAL);
	assert_non_null(strstr(hl->d[0].advice, "Back up now and replace"));
	assert_int_equal(hl->d[1].sev, SEV_OK);
	assert_string_equal(hl->d[1].advice, "");

	/* the failed member of a RAID5 */
	hl->n = 0;
	add_disk(hl, "sdp", "smart/ata-healthy.json");
	disk_health_join(hl, procfs, NULL);
	assert_true(hl->d[0].md_faulty);
	assert_int_equal(hl->d[0].sev, SEV_CRITICAL);
	assert_non_null(strstr(hl->d[0].advice, "Replace the disk"));

	/* a degraded mirror: the disk left holds the only copy */
	hl->n = 0;
	add_disk(hl, "sda2", NULL);
	add_disk(hl, "sdb2", NULL);
	disk_health_join(hl, exporter, NULL);
	assert_true(hl->d[0].md_alone);
	assert_int_equal(hl->d[0].sev, SEV_WARNING);
	assert_non_null(
	    strstr(hl->d[0].advice, "mirror is running on this disk alone"));
	assert_false(hl->d[1].md_alone);
	/* ... and when that disk fails too, back up now */
	hl->n = 0;
	add_disk(hl, "sda2", "smart/ata-failing.json");
	disk_health_join(hl, exporter, NULL);
	assert_int_equal(hl->d[0].sev, SEV_CRITICAL);
	assert_non_null(strstr(hl->d[0].advice, "only complete copy"));
	free(hl);
	free(procfs);
	free(exporter);
	free(scrub);
}

/* Kernel-log errors on a disk whose SMART looks fine still condemn it. */
static void
join_kernel_log(void **state)
{
	struct disk_healthlist *hl = calloc(1, sizeof(*hl));
	struct disk_mdlist *scrub = read_tree("md/scrub");
	struct disk_kscan *ks = calloc(1, sizeof(*ks));
	struct report r;

	(void)state;
	ks->ndev = 1;
	snprintf(ks->dev[0].name, sizeof(ks->dev[0].name), "sdd");
	ks->dev[0].count = 3;
	add_disk(hl, "sdc", "smart/ata-healthy.json");
	add_disk(hl, "sdd", "smart/ata-healthy.json");
	hl->smartctl = "smartctl";
	disk_health_join(hl, scrub, ks);
	assert_int_equal(hl->d[0].sev, SEV_OK);
	assert_int_equal(hl->d[0].klog_errors, 0);
	assert_int_equal(hl->d[1].klog_errors, 3);
	assert_int_equal(hl->d[1].sev, SEV_CRITICAL);
	assert_non_null(strstr(hl->d[1].advice, "the array keeps the data"));
	/* SMART itself has nothing to report: the kernel log's own check
	 * (disk-errors) says it, not a second finding */
	report_init(&r);
	disk_health_report(hl, &r);
	assert_int_equal(r.nf, 0);
	assert_int_equal(r.np, 2); /* reallocated sectors of both disks */
	report_release(&r);
	free(ks);
	free(hl);
	free(scrub);
}

/* Without smartctl: one UNKNOWN, not one per disk; asked not to: none. */
static void
report_smartctl_missing(void **state)
{
	struct disk_healthlist *hl = calloc(1, sizeof(*hl));
	struct report r;

	(void)state;
	add_disk(hl, "sda", NULL);
	add_disk(hl, "sdb", NULL);
	report_init(&r);
	disk_health_report(hl, &r);
	assert_int_equal(r.nf, 1);
	assert_int_equal(r.f[0].sev, SEV_UNKNOWN);
	assert_string_equal(r.f[0].subject, "smartctl");
	assert_non_null(strstr(r.f[0].message, "smartctl not installed"));
	report_release(&r);
	report_init(&r);
	hl->skipped = 1;
	disk_health_report(hl, &r);
	assert_int_equal(r.nf, 0);
	report_release(&r);
	free(hl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mdstat_exporter_parsed),
	    cmocka_unit_test(mdstat_malformed_counted),
	    cmocka_unit_test(mdstat_finish_out_of_range),
	    cmocka_unit_test(verdicts_exporter),
	    cmocka_unit_test(verdicts_sysfs),
	    cmocka_unit_test(verdicts_scrub),
	    cmocka_unit_test(raid_findings),
	    cmocka_unit_test(raid_absent),
	    cmocka_unit_test(smart_ata_failing),
	    cmocka_unit_test(smart_ata_healthy_and_growth),
	    cmocka_unit_test(smart_nvme),
	    cmocka_unit_test(smart_virtio_none),
	    cmocka_unit_test(smart_bad_input),
	    cmocka_unit_test(smart_state_kept),
	    cmocka_unit_test(join_advice),
	    cmocka_unit_test(join_kernel_log),
	    cmocka_unit_test(report_smartctl_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
