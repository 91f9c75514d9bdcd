/*
 * cmd_disk.c - "sakimori disk": filesystems and their recorded error
 * state, and the disk errors of the kernel log (ring buffer, journal,
 * kern.log/messages/syslog with rotations), in one view.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/esc.h"
#include "base/json.h"
#include "base/log.h"
#include "base/table.h"
#include "base/timeutil.h"
#include "base/cur.h"
#include "cli/cli.h"
#include "collect/snap.h"
#include "disk/fsstate.h"
#include "disk/kscan.h"
#include "disk/ksys.h"
#include "store/store.h"

enum {
	OPT_KERNEL_LOG = OPT_FIRST_PRIVATE,
	OPT_DEVICE,
	OPT_NO_KLOG,
	OPT_NEW,
	OPT_INTERVAL,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori disk [--json] [--interval S] [--new] "
	    "[--no-kernel-log]\n"
	    "       sakimori disk --kernel-log FILE [FILE...]\n"
	    "       sakimori disk --device PATH [--device PATH...]\n"
	    "\n"
	    "Filesystems (space, inodes, read-only) with their recorded "
	    "error state\n"
	    "(ext2/3/4 superblock, btrfs error counters), per-device I/O as "
	    "iostat -dx,\n"
	    "and the disk and filesystem errors in the kernel log:\n"
	    "/dev/kmsg, the journal, /var/log/kern.log, messages and syslog "
	    "(with\n"
	    "rotated .1 and .gz files).  Disk errors are CRITICAL: the disk "
	    "may fail\n"
	    "within days.  Filesystems that need an offline fsck are a "
	    "WARNING.\n"
	    "\n"
	    "  --kernel-log FILE  scan these files (plain or .gz) instead of "
	    "the system's\n"
	    "                     logs; more files may follow as arguments\n"
	    "  --device PATH      read the filesystem state of this block "
	    "device or image\n"
	    "                     (read-only) instead of the mounted "
	    "filesystems\n"
	    "  --interval S       I/O rates over S seconds (default: "
	    "averages since boot)\n"
	    "  --new              report only kernel-log errors not reported "
	    "by an earlier\n"
	    "                     --new run (positions kept in the state "
	    "directory)\n"
	    "  --no-kernel-log    do not read the kernel log\n"
	    "  --json             JSON lines: filesystem, kernel-source and "
	    "finding objects\n"
	    "\n"
	    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n");
}

static void
time_or_dash(char *dst, size_t dstsz, time_t t)
{
	if (t == 0)
		snprintf(dst, dstsz, "-");
	else
		time_iso(dst, dstsz, t);
}

static void
print_fs_json(const struct disk_fs *fs)
{
	json_t *o = json_object();
	char st[64], t[64];

	jset(o, "type", json_string("filesystem"));
	jset(o, "device", jstr(fs->dev));
	jset(o, "mount", fs->mnt[0] ? jstr(fs->mnt) : json_null());
	jset(o, "fstype", jstr(fs->type));
	if (fs->have_sb) {
		disk_extsb_state(&fs->sb, st, sizeof(st));
		jset(o, "state", json_string(st));
		jset(o, "state_flags", json_integer(fs->sb.state));
		jset(o, "error_count", json_integer(fs->sb.error_count));
		if (fs->sb.first_error_time) {
			time_iso(t, sizeof(t), fs->sb.first_error_time);
			jset(o, "first_error_time", json_string(t));
			jset(o, "first_error_time_epoch",
			    json_integer(fs->sb.first_error_time));
			jset(o, "first_error_func",
			    jstr(fs->sb.first_error_func));
			jset(o, "first_error_line",
			    json_integer(fs->sb.first_error_line));
		}
		if (fs->sb.last_error_time) {
			time_iso(t, sizeof(t), fs->sb.last_error_time);
			jset(o, "last_error_time", json_string(t));
			jset(o, "last_error_time_epoch",
			    json_integer(fs->sb.last_error_time));
			jset(
			    o, "last_error_func", jstr(fs->sb.last_error_func));
			jset(o, "last_error_line",
			    json_integer(fs->sb.last_error_line));
		}
		jset(o, "mount_count", json_integer(fs->sb.mnt_count));
		jset(o, "max_mount_count", json_integer(fs->sb.max_mnt_count));
		if (fs->sb.lastcheck) {
			time_iso(t, sizeof(t), fs->sb.lastcheck);
			jset(o, "last_check", json_string(t));
		}
		jset(o, "check_interval", json_integer(fs->sb.checkinterval));
		jset(o, "checksum",
		    fs->sb.csum < 0 ? json_null() : json_boolean(fs->sb.csum));
	}
	if (fs->have_counters) {
		jset(o, "write_errs", json_integer((json_int_t)fs->wr_errs));
		jset(o, "read_errs", json_integer((json_int_t)fs->rd_errs));
		jset(o, "flush_errs", json_integer((json_int_t)fs->flush_errs));
		jset(o, "corruption_errs",
		    json_integer((json_int_t)fs->corrupt_errs));
		jset(o, "generation_errs",
		    json_integer((json_int_t)fs->gen_errs));
	}
	if (fs->note[0])
		jset(o, "note", jstr(fs->note));
	json_line(stdout, o);
}

static void
print_fs_table(const struct out *o, const struct disk_fslist *l)
{
	static const char *const hdr[] = {"DEVICE", "MOUNT", "TYPE", "STATE",
	    "ERRORS", "FIRST ERROR", "LAST ERROR", "MOUNTS", "LAST CHECK"};
	struct table t;

	table_init(&t, 9, hdr, "lllrlllrl");
	for (size_t i = 0; i < l->n; i++) {
		const struct disk_fs *fs = &l->fs[i];
		char st[64] = "-", ne[32] = "-", fe[128] = "-", le[128] = "-",
		     mc[32] = "-", lc[64] = "-", tt[64];
		const char *cells[9];

		if (fs->have_sb) {
			disk_extsb_state(&fs->sb, st, sizeof(st));
			snprintf(ne, sizeof(ne), "%u", fs->sb.error_count);
			if (fs->sb.first_error_time) {
				time_or_dash(
				    tt, sizeof(tt), fs->sb.first_error_time);
				snprintf(fe, sizeof(fe), "%s %s", tt,
				    fs->sb.first_error_func);
			}
			if (fs->sb.last_error_time) {
				time_or_dash(
				    tt, sizeof(tt), fs->sb.last_error_time);
				snprintf(le, sizeof(le), "%s %s", tt,
				    fs->sb.last_error_func);
			}
			if (fs->sb.max_mnt_count > 0)
				snprintf(mc, sizeof(mc), "%u/%d",
				    fs->sb.mnt_count, fs->sb.max_mnt_count);
			else
				snprintf(
				    mc, sizeof(mc), "%u", fs->sb.mnt_count);
			time_or_dash(lc, sizeof(lc), fs->sb.lastcheck);
		} else if (fs->have_counters) {
			snprintf(st, sizeof(st), "counters");
			snprintf(ne, sizeof(ne), "%llu",
			    (unsigned long long)(fs->wr_errs + fs->rd_errs +
			        fs->flush_errs + fs->corrupt_errs +
			        fs->gen_errs));
		} else {
			snprintf(st, sizeof(st), "n/a");
		}
		cells[0] = fs->dev;
		cells[1] = fs->mnt[0] ? fs->mnt : "-";
		cells[2] = fs->type;
		cells[3] = st;
		cells[4] = ne;
		cells[5] = fe;
		cells[6] = le;
		cells[7] = mc;
		cells[8] = lc;
		table_row(&t, cells);
	}
	table_print(&t, o->fp, o->color);
	table_release(&t);
	for (size_t i = 0; i < l->n; i++)
		if (l->fs[i].note[0] && l->fs[i].type[0] &&
		    strncmp(l->fs[i].note, "the kernel exposes", 18) != 0) {
			char esc[1024];

			esc_text_buf(esc, sizeof(esc), l->fs[i].note,
			    strlen(l->fs[i].note));
			fprintf(o->fp, "  note: %s\n", esc);
		}
}

static void
print_sources(const struct out *o, const struct disk_ksys *run,
    const struct disk_kscan *s)
{
	for (size_t i = 0; i < run->nsrc; i++) {
		const struct disk_ksrc_res *r = &run->src[i];
		const char *status = r->ok == 1 ? "read"
		    : r->ok == 0                ? "absent"
		                                : "error";

		if (o->mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("kernel-source"));
			jset(j, "kind", json_string(r->kind));
			jset(j, "path", jstr(r->path));
			jset(j, "status", json_string(status));
			jset(j, "lines", json_integer((json_int_t)r->st.lines));
			jset(j, "cut", json_integer((json_int_t)r->st.cut));
			if (strcmp(r->kind, "kmsg") == 0) {
				jset(j, "first_seq",
				    json_integer((json_int_t)r->st.first_seq));
				jset(j, "last_seq",
				    json_integer((json_int_t)r->st.last_seq));
				jset(j, "skipped",
				    json_integer((json_int_t)r->st.skipped));
				jset(j, "lost",
				    json_integer((json_int_t)r->st.lost));
				jset(j, "malformed",
				    json_integer((json_int_t)r->st.malformed));
			}
			if (r->error[0])
				jset(j, "error", jstr(r->error));
			json_line(o->fp, j);
		} else if (r->ok != 0) {
			char esc[PATH_MAX + 64];

			esc_text_buf(esc, sizeof(esc),
			    r->path[0] ? r->path : r->kind,
			    strlen(r->path[0] ? r->path : r->kind));
			if (r->ok == 1)
				fprintf(o->fp, "  %-8s %s: %llu lines\n",
				    r->kind, esc,
				    (unsigned long long)r->st.lines);
			else
				fprintf(o->fp, "  %-8s %s: %s\n", r->kind, esc,
				    r->error);
		}
	}
	if (o->mode == OUT_JSON) {
		json_t *j = json_object();

		jset(j, "type", json_string("kernel-scan"));
		jset(j, "errors", json_integer((json_int_t)s->events));
		jset(j, "devices", json_integer((json_int_t)s->ndev));
		jset(j, "duplicates", json_integer((json_int_t)s->dups));
		jset(j, "already_reported", json_integer((json_int_t)s->old));
		json_line(o->fp, j);
	} else {
		fprintf(o->fp,
		    "  %llu disk error line%s on %zu device%s (%llu seen in "
		    "two "
		    "sources, %llu reported before)\n",
		    (unsigned long long)s->events, s->events == 1 ? "" : "s",
		    s->ndev, s->ndev == 1 ? "" : "s",
		    (unsigned long long)s->dups, (unsigned long long)s->old);
	}
}

/* The df view: every filesystem the mount table shows, as df would. */
static void
print_usage_table(const struct out *o, const struct snap *s)
{
	static const char *const hdr[] = {"FILESYSTEM", "MOUNT", "TYPE",
	    "SIZE-KB", "USED-KB", "AVAIL-KB", "USE%", "IUSE%", "RO"};
	struct table t;

	table_init(&t, 9, hdr, "lllrrrrrl");
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *m = &s->mounts.m[i];
		char sz[32] = "-", us[32] = "-", av[32] = "-", p[16] = "-",
		     ip[16] = "-";
		const char *cells[9];

		if (!m->shown)
			continue;
		if (m->have_usage) {
			snprintf(sz, sizeof(sz), "%llu",
			    (unsigned long long)m->u.size_kb);
			snprintf(us, sizeof(us), "%llu",
			    (unsigned long long)m->u.used_kb);
			snprintf(av, sizeof(av), "%llu",
			    (unsigned long long)m->u.avail_kb);
			if (m->u.used_pct == m->u.used_pct)
				snprintf(p, sizeof(p), "%.1f", m->u.used_pct);
			if (m->u.inodes_pct == m->u.inodes_pct)
				snprintf(
				    ip, sizeof(ip), "%.1f", m->u.inodes_pct);
		}
		cells[0] = m->source;
		cells[1] = m->mnt;
		cells[2] = m->fstype;
		cells[3] = sz;
		cells[4] = us;
		cells[5] = av;
		cells[6] = p;
		cells[7] = ip;
		cells[8] = m->readonly ? "ro" : "rw";
		table_row(&t, cells);
	}
	table_print(&t, o->fp, o->color);
	table_release(&t);
}

static void
print_usage_json(const struct snap *s)
{
	for (size_t i = 0; i < s->mounts.n; i++) {
		const struct mount_entry *m = &s->mounts.m[i];
		json_t *o;

		if (!m->shown)
			continue;
		o = json_object();
		jset(o, "type", json_string("mount"));
		jset(o, "source", jstr(m->source));
		jset(o, "mount", jstr(m->mnt));
		jset(o, "fstype", jstr(m->fstype));
		jset(o, "options", jstr(m->opts));
		jset(o, "readonly", json_boolean(m->readonly));
		if (m->have_usage) {
			jset(o, "size_kb",
			    json_integer((json_int_t)m->u.size_kb));
			jset(o, "used_kb",
			    json_integer((json_int_t)m->u.used_kb));
			jset(o, "avail_kb",
			    json_integer((json_int_t)m->u.avail_kb));
			jset(o, "used_pct", jreal_or_null(m->u.used_pct));
			jset(
			    o, "inodes", json_integer((json_int_t)m->u.inodes));
			jset(o, "inodes_used",
			    json_integer((json_int_t)m->u.inodes_used));
			jset(o, "inodes_pct", jreal_or_null(m->u.inodes_pct));
		}
		json_line(stdout, o);
	}
}

/* The iostat -dx view: whole disks that did any I/O. */
static void
print_io(const struct out *o, const struct snap *s)
{
	static const char *const hdr[] = {"DEVICE", "r/s", "w/s", "rkB/s",
	    "wkB/s", "rrqm/s", "wrqm/s", "r_await", "w_await", "aqu-sz",
	    "%util"};
	struct table t;

	table_init(&t, 11, hdr, "lrrrrrrrrrr");
	for (size_t i = 0; i < s->disk1.n; i++) {
		const struct disk_stat *d = &s->disk1.d[i];
		struct disk_rates r;
		double v[10];
		char cell[10][32];
		const char *cells[11];

		if (d->whole == 0 ||
		    d->f[DS_RD_IOS] + d->f[DS_WR_IOS] + d->f[DS_DC_IOS] == 0 ||
		    snap_disk(s, i, &r) == -1)
			continue;
		if (o->mode == OUT_JSON) {
			json_t *j = json_object();

			jset(j, "type", json_string("device"));
			jset(j, "name", jstr(d->name));
			jset(j, "interval_s", json_real(s->interval));
			jset(j, "r_s", json_real(r.r_s));
			jset(j, "w_s", json_real(r.w_s));
			jset(j, "rkb_s", json_real(r.rkb_s));
			jset(j, "wkb_s", json_real(r.wkb_s));
			jset(j, "rrqm_s", json_real(r.rrqm_s));
			jset(j, "wrqm_s", json_real(r.wrqm_s));
			jset(j, "r_await", json_real(r.r_await));
			jset(j, "w_await", json_real(r.w_await));
			jset(j, "aqu_sz", json_real(r.aqu_sz));
			jset(j, "util", json_real(r.util));
			json_line(o->fp, j);
			continue;
		}
		v[0] = r.r_s;
		v[1] = r.w_s;
		v[2] = r.rkb_s;
		v[3] = r.wkb_s;
		v[4] = r.rrqm_s;
		v[5] = r.wrqm_s;
		v[6] = r.r_await;
		v[7] = r.w_await;
		v[8] = r.aqu_sz;
		v[9] = r.util;
		cells[0] = d->name;
		for (int k = 0; k < 10; k++) {
			snprintf(cell[k], sizeof(cell[k]), "%.2f", v[k]);
			cells[k + 1] = cell[k];
		}
		table_row(&t, cells);
	}
	if (o->mode != OUT_JSON)
		table_print(&t, o->fp, o->color);
	table_release(&t);
}

int
cmd_disk(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"kernel-log", required_argument, NULL, OPT_KERNEL_LOG},
	    {"device", required_argument, NULL, OPT_DEVICE},
	    {"no-kernel-log", no_argument, NULL, OPT_NO_KLOG},
	    {"new", no_argument, NULL, OPT_NEW},
	    {"interval", required_argument, NULL, OPT_INTERVAL},
	    {NULL, 0, NULL, 0},
	};
	char **files = NULL, **devices = NULL;
	size_t nfiles = 0, ndevices = 0;
	int c, no_klog = 0, incremental = 0, rc = EXIT_OK, failed = EXIT_OK;
	struct disk_fslist fsl = {0};
	struct disk_kscan *scan = NULL;
	struct disk_ksys *run = NULL;
	struct disk_klog *k = NULL;
	struct report rep;
	struct err err = {0};
	time_t now = time(NULL);
	double interval = 0;
	struct snap snap;
	int have_snap = 0;

	files = calloc((size_t)argc + 1, sizeof(*files));
	devices = calloc((size_t)argc + 1, sizeof(*devices));
	if (files == NULL || devices == NULL) {
		free(files);
		free(devices);
		return EXIT_OSERR;
	}
	while ((c = getopt_long(
	            argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			free(files);
			free(devices);
			return EXIT_OK;
		case OPT_KERNEL_LOG:
			files[nfiles++] = optarg;
			break;
		case OPT_DEVICE:
			devices[ndevices++] = optarg;
			break;
		case OPT_NO_KLOG:
			no_klog = 1;
			break;
		case OPT_NEW:
			incremental = 1;
			break;
		case OPT_INTERVAL:
			if (str_dec(optarg, &interval) == -1 || interval < 0 ||
			    interval > 3600) {
				free(files);
				free(devices);
				return cli_usage_error(cli, "disk",
				    "--interval wants seconds (0 to 3600), got "
				    "'%s'",
				    optarg);
			}
			break;
		default:
			usage(stderr);
			free(files);
			free(devices);
			return EXIT_USAGE;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (nfiles == 0) {
			free(files);
			free(devices);
			return cli_usage_error(
			    cli, "disk", "unexpected argument '%s'", argv[i]);
		}
		files[nfiles++] = argv[i];
	}
	if (cli_conf(cli) == -1) {
		free(files);
		free(devices);
		return EXIT_CONFIG;
	}
	cli_out(cli);
	report_init(&rep);

	/* Filesystems. */
	if (ndevices > 0) {
		for (size_t i = 0; i < ndevices; i++) {
			disk_fs_device(devices[i], &fsl);
			if (!fsl.fs[fsl.n - 1].have_sb) {
				struct finding *f = report_add(&rep,
				    SEV_UNKNOWN, "fs-errors", devices[i], "%s",
				    fsl.fs[fsl.n - 1].note);

				(void)f;
				log_warnx("%s", fsl.fs[fsl.n - 1].note);
			}
		}
	} else if (nfiles == 0) {
		snap_take(&snap, cli->root,
		    SNAP_BIT(SNAP_LOAD) | SNAP_BIT(SNAP_FS) |
		        SNAP_BIT(SNAP_DISK),
		    interval, 0);
		have_snap = 1;
		for (int sec = SNAP_FS; sec <= SNAP_DISK; sec++)
			if (!(snap.have & SNAP_BIT(sec)))
				log_warnx("%s", snap.err[sec]);
		disk_fs_mounted(cli->root, &snap.mounts, &fsl);
		for (size_t i = 0; i < fsl.n; i++)
			if (fsl.fs[i].note[0] && !fsl.fs[i].have_sb &&
			    strstr(fsl.fs[i].note, "cannot") != NULL)
				log_info("%s", fsl.fs[i].note);
	}
	disk_fs_report(&fsl, now, &rep);

	/* Kernel log. */
	if (!no_klog && (ndevices == 0 || nfiles > 0)) {
		scan = malloc(sizeof(*scan));
		run = calloc(1, sizeof(*run));
		k = disk_klog_new(&err);
		if (scan == NULL || run == NULL || k == NULL) {
			log_warnx("%s", k == NULL ? err.msg : "out of memory");
			rc = EXIT_SOFTWARE;
			goto out;
		}
		disk_kscan_init(scan, k, cli->root, now);
		if (nfiles > 0) {
			disk_ksys_files(scan, files, nfiles, run);
		} else {
			struct store st, *stp = NULL;

			if (incremental) {
				if (cli_state_dir(cli) == -1 ||
				    store_open(&st, cli->state_dir, &err) ==
				        -1) {
					if (err.msg[0])
						log_warnx("%s", err.msg);
					rc = EXIT_CANTCREAT;
					goto out;
				}
				stp = &st;
			}
			if (disk_ksys_scan(scan, stp, run, &err) == -1)
				log_warnx("cannot save the kernel-log "
				          "positions: %s",
				    err.msg);
			if (stp != NULL)
				store_close(stp);
		}
		for (size_t i = 0; i < run->nsrc; i++) {
			const struct disk_ksrc_res *x = &run->src[i];

			if (x->ok != -1)
				continue;
			log_warnx("%s", x->error);
			if (nfiles == 0)
				continue;
			/* a named file that could not be read to its end:
			 * no "no problems found" about it */
			report_add(&rep, SEV_UNKNOWN, "kernel-log", x->path,
			    "%s", x->error);
			if (failed == EXIT_OK)
				failed = x->errcode == EBADMSG ? EXIT_DATAERR
				                               : EXIT_NOINPUT;
		}
		disk_kscan_report(scan, &rep);
	}

	if (cli->mode == OUT_JSON) {
		if (have_snap)
			print_usage_json(&snap);
		for (size_t i = 0; i < fsl.n; i++)
			print_fs_json(&fsl.fs[i]);
		if (have_snap)
			print_io(&cli->out, &snap);
		if (run != NULL)
			print_sources(&cli->out, run, scan);
	} else if (cli->mode == OUT_TABLE) {
		if (have_snap) {
			fprintf(cli->out.fp, "Filesystems\n");
			print_usage_table(&cli->out, &snap);
			fprintf(cli->out.fp, "\n");
		}
		if (fsl.n > 0) {
			fprintf(cli->out.fp, "Filesystem error state\n");
			print_fs_table(&cli->out, &fsl);
			fprintf(cli->out.fp, "\n");
		}
		if (have_snap) {
			if (snap.interval > 0)
				fprintf(cli->out.fp,
				    "Devices (I/O over %.1f s)\n",
				    snap.interval);
			else
				fprintf(cli->out.fp,
				    "Devices (I/O averaged since boot)\n");
			print_io(&cli->out, &snap);
			fprintf(cli->out.fp, "\n");
		}
		if (run != NULL) {
			fprintf(cli->out.fp, "Kernel log\n");
			print_sources(&cli->out, run, scan);
			fprintf(cli->out.fp, "\n");
		}
	}
	out_report(&cli->out, &rep, "SAKIMORI DISK");
	rc = cli_exit_for(&rep);
	/* a file not read to its end: its status (with --nagios the UNKNOWN
	 * finding says it, or a worse one) */
	if (failed != EXIT_OK && cli->mode != OUT_NAGIOS)
		rc = failed;
out:
	if (have_snap)
		snap_release(&snap);
	disk_klog_free(k);
	free(scan);
	free(run);
	disk_fslist_release(&fsl);
	report_release(&rep);
	free(files);
	free(devices);
	return rc;
}
