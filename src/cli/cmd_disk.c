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
#include "base/log.h"
#include "base/cur.h"
#include "cli/cli.h"
#include "disk/show.h"
#include "collect/snap.h"
#include "disk/fsstate.h"
#include "disk/health.h"
#include "disk/kscan.h"
#include "disk/ksys.h"
#include "disk/md.h"
#include "store/store.h"

enum {
	OPT_KERNEL_LOG = OPT_FIRST_PRIVATE,
	OPT_DEVICE,
	OPT_NO_KLOG,
	OPT_NEW,
	OPT_INTERVAL,
	OPT_NO_SMART,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: sakimori disk [--json] [--interval S] [--new] "
	    "[--no-kernel-log] [--no-smart]\n"
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
	    "The md RAID arrays (degraded or failed: CRITICAL; rebuilding or "
	    "mismatches\n"
	    "after a check: WARNING) and each disk's SMART record through "
	    "smartctl,\n"
	    "joined per disk with the kernel-log errors into one verdict and "
	    "advice.\n"
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
	    "  --no-smart         do not run smartctl\n"
	    "  --json             JSON lines: filesystem, kernel-source and "
	    "finding objects\n"
	    "\n"
	    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n");
	fputs(CLI_TABLE_HELP, fp);
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
	    {"no-smart", no_argument, NULL, OPT_NO_SMART},
	    {NULL, 0, NULL, 0},
	};
	char **files = NULL, **devices = NULL;
	size_t nfiles = 0, ndevices = 0;
	int c, no_klog = 0, no_smart = 0, incremental = 0, rc = EXIT_OK,
	       failed = EXIT_OK;
	struct disk_mdlist *ml = NULL;
	struct disk_healthlist *hl = NULL;
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
		case OPT_NO_SMART:
			no_smart = 1;
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
			const char *why =
			    disk_fs_device_check(devices[i], &fsl, &rep);

			if (why != NULL)
				log_warnx("%s", why);
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

	/* The arrays and each disk's health, joined with the kernel log. */
	if (ndevices == 0 && nfiles == 0 &&
	    (ml = malloc(sizeof(*ml))) != NULL &&
	    (hl = malloc(sizeof(*hl))) != NULL) {
		const struct conf_node *blk =
		    conf_check(&cli->conf, "smart", NULL);

		if (disk_md_read(cli->root, ml, &err) == -1) {
			log_warnx("%s", err.msg);
			ml->n = 0;
		}
		disk_md_report(ml, now, &rep);
		disk_health_list(cli->root, hl);
		hl->skipped = no_smart || (cli->root && cli->root[0]);
		if (!hl->skipped) {
			hl->smartctl =
			    disk_smart_find(conf_str(blk, "smartctl", NULL));
			disk_health_smart(
			    hl, conf_num(blk, "timeout", 30), NULL, now);
		}
		disk_health_join(hl, ml, run != NULL ? scan : NULL);
		disk_health_report(hl, &rep);
	}

	if (cli->mode == OUT_JSON) {
		if (have_snap)
			disk_show_usage_json(stdout, &snap);
		for (size_t i = 0; i < fsl.n; i++)
			disk_show_fs_json(stdout, &fsl.fs[i]);
		if (have_snap)
			disk_show_io(&cli->out, &snap);
		if (run != NULL)
			disk_show_sources(&cli->out, run, scan);
		if (hl != NULL) {
			disk_show_raid(&cli->out, ml, now);
			disk_show_health(&cli->out, hl);
		}
	} else if (cli->mode == OUT_TABLE) {
		if (have_snap) {
			fprintf(cli->out.fp, "Filesystems\n");
			disk_show_usage_table(&cli->out, &snap);
			fprintf(cli->out.fp, "\n");
		}
		if (fsl.n > 0) {
			fprintf(cli->out.fp, "Filesystem error state\n");
			disk_show_fs_table(&cli->out, &fsl);
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
			disk_show_io(&cli->out, &snap);
			fprintf(cli->out.fp, "\n");
		}
		if (run != NULL) {
			fprintf(cli->out.fp, "Kernel log\n");
			disk_show_sources(&cli->out, run, scan);
			fprintf(cli->out.fp, "\n");
		}
		if (hl != NULL && ml->n > 0) {
			fprintf(cli->out.fp, "RAID arrays\n");
			disk_show_raid(&cli->out, ml, now);
			fprintf(cli->out.fp, "\n");
		}
		if (hl != NULL && hl->n > 0) {
			fprintf(cli->out.fp, "Disk health\n");
			disk_show_health(&cli->out, hl);
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
	free(ml);
	free(hl);
	disk_fslist_release(&fsl);
	report_release(&rep);
	free(files);
	free(devices);
	return rc;
}
