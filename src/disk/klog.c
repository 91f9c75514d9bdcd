/*
 * klog.c - classify kernel log lines that report disk and filesystem
 * errors (see klog.h).  One Hyperscan literal database holds the literals
 * of every pattern, so a line is scanned once whatever their number; the
 * PCRE2 (JIT) form of a pattern whose literal was found then decides and
 * captures the device and sector.
 *
 * The patterns follow the kernels' own format strings: Linux block layer
 * (blk_print_req_error, end_request, buffer_io_error), libata
 * (ata_eh_link_report), SCSI sense (scsi_print_sense), NVMe
 * (nvme_log_error, nvme_timeout), ext2/3/4, JBD2, XFS, btrfs, md, the
 * megaraid_sas event log and mpt*sas; the old IDE driver (hdX, Linux 2.0
 * to 2.6) and Linux 2.4's SCSI messages; FreeBSD's ata(4) ("adN: HARD
 * READ ERROR blk# N", its timeouts and retries), CAM (da, ada) and GEOM.
 * The last pattern takes any other "READ ERROR" or "WRITE ERROR" line.
 */
#include "disk/klog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/civtime.h"
#include "base/err.h"
#include "base/hex.h"
#include "base/mem.h"

struct kpattern {
	const char *id;
	enum disk_kclass cls;
	const char *re;
	int caseless;
	int dev;      /* capture group of the device, 0 if none */
	int dev2;     /* another group tried when dev did not take part */
	int extra;    /* group of an array name or failed command */
	int sector;   /* group of the sector or block */
	int sect_hex; /* the sector is hexadecimal */
};

/*
 * Order matters: the first pattern (in this order) that matches a line
 * decides its class, so the specific ones come before the general.
 */
static const struct kpattern patterns[] = {
    /* FreeBSD ata(4) and older wd/ad/da drivers. */
    {"freebsd.hard_error", DK_MEDIUM_ERROR,
        "\\b((?:a?da|ad|wd)\\d+\\w*): HARD (READ|WRITE) ERROR(?: blk# "
        "?(\\d+))?",
        0, 1, 0, 2, 3, 0},
    {"freebsd.hard_error_fsbn", DK_MEDIUM_ERROR,
        "\\b((?:a?da|ad|wd)\\d+\\w*): hard error (reading|writing) fsbn (\\d+)",
        0, 1, 0, 2, 3, 0},
    {"freebsd.ata_uncorrectable", DK_MEDIUM_ERROR,
        "\\b(ad\\d+): FAILURE - ((?:READ|WRITE)\\w*) status=\\w*<[^>]*> "
        "error=\\w*<[^>]*UNCORRECTABLE[^>]*>(?: LBA=(\\d+))?",
        0, 1, 0, 2, 3, 0},
    {"freebsd.ata_failure", DK_IO_ERROR,
        "\\b(ad\\d+): FAILURE - ((?:READ|WRITE)\\w*)(?:.*? LBA=(\\d+))?", 0, 1,
        0, 2, 3, 0},
    /* ata(4) of FreeBSD 4 (ad_timeout) and of FreeBSD 5 to 7. */
    {"freebsd.ata_cmd_timeout", DK_CONTROLLER,
        "\\b(ad\\d+): (READ|WRITE) command timeout tag=\\d+ serv=\\d+ - "
        "resetting",
        0, 1, 0, 2, 0, 0},
    {"freebsd.ata_timeout", DK_CONTROLLER,
        "\\b(ad\\d+): TIMEOUT - (\\w+) retrying \\(\\d+ retr(?:y|ies) "
        "left\\)(?: LBA=(\\d+))?",
        0, 1, 0, 2, 3, 0},
    {"freebsd.ata_icrc", DK_ATA_ERROR,
        "\\b(ad\\d+): (?:WARNING - (\\w+) UDMA ICRC error|UDMA ICRC "
        "(?:READ|WRITE) ERROR)(?:.*?(?:LBA=|blk# ?)(\\d+))?",
        0, 1, 0, 2, 3, 0},
    /* CAM: "SCSI sense: MEDIUM ERROR" (FreeBSD 5 on), "MEDIUM ERROR
     * info:N asc:11,0" and "Unrecovered read error" (FreeBSD 4). */
    {"freebsd.cam_medium", DK_MEDIUM_ERROR,
        "\\((a?da\\d+):[^)]*\\): .*?(?:MEDIUM ERROR|Unrecovered read error)", 0,
        1, 0, 0, 0, 0},
    {"freebsd.cam_unc", DK_MEDIUM_ERROR,
        "\\((a?da\\d+):[^)]*\\): ATA status: [^,]*, error: [0-9a-fA-F]+ "
        "\\([^)]*UNC",
        0, 1, 0, 0, 0, 0},
    {"freebsd.cam_error", DK_IO_ERROR,
        "\\((a?da\\d+):[^)]*\\): (?:CAM status: (?:ATA Status Error|SCSI "
        "Status Error|Command timeout|Uncorrectable parity/CRC error)|Error "
        "\\d+, Retries exhausted|ATA status: [0-9a-fA-F]+ \\([^)]*ERR)",
        0, 1, 0, 0, 0, 0},
    {"freebsd.g_vfs_done", DK_IO_ERROR,
        "g_vfs_done\\(\\):([\\w/.-]+)\\[(READ|WRITE)\\(offset=\\d+", 0, 1, 0, 2,
        0, 0},

    /* Linux block layer. */
    {"linux.end_request_medium", DK_MEDIUM_ERROR,
        "end_request: critical medium error, dev ([^\\s,]+), sector (\\d+)", 0,
        1, 0, 0, 2, 0},
    /* Linux 2.4 names the device twice: "dev 03:01 (hda)". */
    {"linux.end_request", DK_IO_ERROR,
        "end_request: I/O error, dev (?:[0-9a-fA-F]+:[0-9a-fA-F]+ "
        "\\((\\w+)\\)|([^\\s,]+)), sector (\\d+)",
        0, 1, 2, 0, 3, 0},
    /* Linux 2.4 SCSI (scsi_lib.c): the device as major:minor in hex. */
    {"linux24.io_error", DK_IO_ERROR,
        "(?:^|[\\s:\\]])I/O error: dev ([0-9a-fA-F]{2}:[0-9a-fA-F]{2}), "
        "sector (\\d+)",
        0, 1, 0, 0, 2, 0},
    {"linux.critical_medium", DK_MEDIUM_ERROR,
        "critical medium error, dev ([^\\s,]+), sector (\\d+)", 0, 1, 0, 0, 2,
        0},
    {"linux.blk_update_request", DK_IO_ERROR,
        "blk_update_request: I/O error, dev ([^\\s,]+), sector (\\d+)", 0, 1, 0,
        0, 2, 0},
    {"linux.print_req_error", DK_IO_ERROR,
        "print_req_error: I/O error, dev ([^\\s,]+), sector (\\d+)", 0, 1, 0, 0,
        2, 0},
    {"linux.io_error", DK_IO_ERROR,
        "(?:^|[\\s:\\]])I/O error, dev ([^\\s,]+), sector (\\d+)", 0, 1, 0, 0,
        2, 0},
    {"linux.blk_error", DK_IO_ERROR,
        "(?:critical (?:target|nexus|protection|space allocation)|recoverable "
        "transport|timeout) error, dev ([^\\s,]+), sector (\\d+)",
        0, 1, 0, 0, 2, 0},
    {"linux.buffer_io_error", DK_IO_ERROR,
        "Buffer I/O error on (?:dev|device) ([^\\s,]+), (?:logical )?block "
        "(\\d+)",
        0, 1, 0, 0, 2, 0},

    /*
     * The old IDE driver (ide_dump_status, Linux 2.0 to 2.6): a status
     * line, then an error line with the failing LBA.  drive_cmd and
     * task_no_data_intr errors are commands that hdparm or smartd sent
     * and the drive refused (ABRT), not failed transfers.
     */
    {"linux.ide_uncorrectable", DK_MEDIUM_ERROR,
        "\\b(hd[a-z]+): (?:[^:]+: error=0x[0-9a-fA-F]+ "
        "\\{[^}]*\\bUncorrectableError\\b[^}]*\\}(?:, LBAsect=(\\d+))?|"
        "media error \\(bad sector\\):)",
        0, 1, 0, 0, 2, 0},
    {"linux.ide_error", DK_ATA_ERROR,
        "\\b(hd[a-z]+): (?!drive_cmd:|task_no_data_intr:)[^:]+: "
        "(?:status=0x[0-9a-fA-F]+ \\{[^}]*\\bError\\b|error=0x[0-9a-fA-F]+ "
        "\\{ ?([A-Za-z][A-Za-z ]*[A-Za-z]))(?:.*?, LBAsect=(\\d+))?",
        0, 1, 0, 2, 3, 0},
    {"linux.ide_timeout", DK_CONTROLLER,
        "\\b(hd[a-z]+): (?:DMA timeout error|dma_timer_expiry: dma status|"
        "timeout waiting for DMA|irq timeout: status|status timeout: status)",
        0, 1, 0, 0, 0, 0},

    /* libata error handler. */
    {"linux.ata_unc", DK_MEDIUM_ERROR,
        "\\b(ata\\d+(?:\\.\\d+)?): error: \\{[^}]*\\bUNC\\b", 0, 1, 0, 0, 0, 0},
    {"linux.ata_failed_command", DK_ATA_ERROR,
        "\\b(ata\\d+(?:\\.\\d+)?): failed command: ([A-Z][A-Z0-9 ]*[A-Z0-9])",
        0, 1, 0, 2, 0, 0},
    {"linux.ata_status_err", DK_ATA_ERROR,
        "\\b(ata\\d+(?:\\.\\d+)?): status: \\{[^}]*\\bERR\\b", 0, 1, 0, 0, 0,
        0},
    {"linux.ata_error", DK_ATA_ERROR,
        "\\b(ata\\d+(?:\\.\\d+)?): error: \\{ ?([A-Z][A-Z ]*[A-Z]) ?\\}", 0, 1,
        0, 2, 0, 0},

    /* NVMe (before the SCSI sense texts: "Unrecovered Read Error"). */
    {"nvme.unrecovered_read", DK_MEDIUM_ERROR,
        "\\b(nvme\\d+n\\d+): [\\w /]+\\(0x[0-9a-fA-F]+\\) @ LBA (\\d+), \\d+ "
        "blocks, Unrecovered Read Error",
        0, 1, 0, 0, 2, 0},
    {"nvme.cmd_error", DK_IO_ERROR,
        "\\b(nvme\\d+n\\d+): [\\w /]+\\(0x[0-9a-fA-F]+\\) @ LBA (\\d+), \\d+ "
        "blocks, ([^(]*[^( ])",
        0, 1, 0, 3, 2, 0},
    {"nvme.timeout", DK_CONTROLLER,
        "\\bnvme (nvme\\d+): I/O .*QID \\d+ timeout", 0, 1, 0, 0, 0, 0},
    {"nvme.reset", DK_CONTROLLER,
        "\\bnvme (nvme\\d+): (?:controller is down; will reset|[Rr]esetting "
        "controller|Removing after probe failure|Device not ready; aborting "
        "reset|Disabling device after reset failure|Abort status)",
        0, 1, 0, 0, 0, 0},
    {"nvme.io_error", DK_IO_ERROR,
        "\\b(nvme\\d+(?:n\\d+)?)\\b.*\\bI/O\\b.*\\berror", 1, 1, 0, 0, 0, 0},

    /* SCSI sense data (sd), also from disks behind mpt*sas and megaraid. */
    {"linux.scsi_medium_error", DK_MEDIUM_ERROR,
        "(?:\\[([\\w-]+)\\] (?:tag#\\d+ )?)?Sense Key ?: Medium Error", 0, 1, 0,
        0, 0, 0},
    {"linux.unrecovered_read", DK_MEDIUM_ERROR,
        "(?:\\[([\\w-]+)\\] (?:tag#\\d+ )?)?(?:Add\\. Sense: )?Unrecovered "
        "read "
        "error",
        0, 1, 0, 0, 0, 0},
    /* Sense keys as Linux 2.4 ("Current sd08:01: sense key Medium
     * Error") and 2.6 up to 2.6.2x ("sda: Current: sense key: Medium
     * Error") printed them. */
    {"linux.old_sense_medium", DK_MEDIUM_ERROR,
        "(?:\\bCurrent (sd[0-9a-fA-F]{2}:[0-9a-fA-F]{2}|sd[a-z]+\\d*): sense "
        "key|\\b(sd[a-z]+\\d*): Current: sense key:) Medium Error",
        0, 1, 2, 0, 0, 0},
    {"linux.scsi_hardware_error", DK_IO_ERROR,
        "(?:\\[([\\w-]+)\\] (?:tag#\\d+ )?)?Sense Key ?: Hardware Error", 0, 1,
        0, 0, 0, 0},
    {"linux.scsi_failed", DK_IO_ERROR,
        "\\[([\\w-]+)\\] (?:tag#\\d+ )?(?:FAILED Result: |Unhandled (?:sense|"
        "error) code)",
        0, 1, 0, 0, 0, 0},
    {"linux.medium_error", DK_MEDIUM_ERROR,
        "(?:\\[([\\w-]+)\\].*)?Medium Error", 0, 1, 0, 0, 0, 0},

    /* Filesystems. */
    {"ext.remount_ro", DK_FS_READONLY,
        "\\bEXT[234]-fs \\(([^)\\s]+)\\): (?:error: )?[Rr]emounting "
        "filesystem read-only",
        0, 1, 0, 0, 0, 0},
    {"ext.io_warning", DK_IO_ERROR,
        "\\bEXT[234]-fs warning \\(device ([^)\\s]+)\\): .*I/O error", 0, 1, 0,
        0, 0, 0},
    {"ext.error", DK_FS_ERROR,
        "\\bEXT[234]-fs error \\(device ([^)\\s]+)\\)(?: in|:) ?(\\w+)?", 0, 1,
        0, 2, 0, 0},
    {"fs.remount_ro", DK_FS_READONLY, "[Rr]emounting filesystem read-only", 0,
        0, 0, 0, 0, 0},
    {"jbd2.aborted", DK_JOURNAL_ABORTED,
        "Aborting journal on device ([\\w:/-]+)-\\d+(?:\\.|\\s|$)", 0, 1, 0, 0,
        0, 0},
    {"jbd2.error_dev", DK_JOURNAL_ABORTED,
        "\\bJBD2: .*(?:[Ee]rror|IO errors|[Aa]bort).* (?:on|for) "
        "(?:device )?([\\w:/-]+)-\\d+(?:\\.|\\s|$)",
        0, 1, 0, 0, 0, 0},
    {"jbd2.error", DK_JOURNAL_ABORTED,
        "\\bJBD2: .*(?:IO error|I/O error|Error -?\\d+|abort)", 1, 0, 0, 0, 0,
        0},
    {"xfs.shutdown", DK_FS_SHUTDOWN,
        "\\bXFS \\(([^)\\s]+)\\):.*(?:Shutting down filesystem|[Ff]ilesystem "
        "has been shut down)",
        0, 1, 0, 0, 0, 0},
    {"xfs.metadata_io_error", DK_IO_ERROR,
        "\\bXFS \\(([^)\\s]+)\\): metadata I/O error(?:.*?(?:daddr|block) "
        "0x([0-9a-fA-F]+))?",
        0, 1, 0, 0, 2, 1},
    {"xfs.error", DK_FS_ERROR,
        "\\bXFS \\(([^)\\s]+)\\): (?:Corruption (?:detected|of in-memory "
        "data)|Internal error|[Ll]og I/O [Ee]rror|writeback error|[Mm]etadata "
        "corruption)",
        0, 1, 0, 0, 0, 0},
    {"btrfs.errs", DK_IO_ERROR,
        "\\bBTRFS (?:error|warning|info) \\(device ([^)\\s:]+)[^)]*\\): bdev "
        "\\S+ errs: wr \\d+, rd \\d+",
        0, 1, 0, 0, 0, 0},
    {"btrfs.io_error", DK_IO_ERROR,
        "\\bBTRFS (?:error|warning|critical|info) \\(device ([^)\\s:]+)[^)]*"
        "\\): .*\\b(?:read|write|i/o|I/O) error",
        0, 1, 0, 0, 0, 0},
    {"btrfs.error", DK_FS_ERROR,
        "\\bBTRFS (?:error|critical) \\(device ([^)\\s:]+)", 0, 1, 0, 0, 0, 0},

    /* Software and hardware RAID. */
    {"md.disk_failure", DK_RAID_FAILURE,
        "\\bmd/raid\\w*:(\\w+): Disk failure on ([^\\s,]+), disabling device",
        0, 2, 0, 1, 0, 0},
    {"md.read_error", DK_IO_ERROR,
        "\\bmd/raid\\w*:(\\w+): ([\\w-]+): (?:rescheduling "
        "sector|unrecoverable "
        "I/O read error for block) (\\d+)",
        0, 2, 0, 1, 3, 0},
    {"megaraid.medium_error", DK_RAID_FAILURE,
        "\\bmegaraid_sas \\S+: .*(?:[Mm]edium error|Predictive failure).*?"
        "(PD [0-9a-fA-F]+\\([^)]*\\))(?: at ([0-9a-fA-F]+))?",
        0, 1, 0, 0, 2, 1},
    {"mpt.medium_error", DK_RAID_FAILURE,
        "\\b(mpt\\w*|ioc\\d+)[^:]*: .*medium error", 1, 0, 0, 1, 0, 0},

    /* Last: any other "READ ERROR" (what the admin greps for by hand). */
    {"kernel.read_error", DK_IO_ERROR,
        "^(?:([A-Za-z][\\w.-]*): )?.*?\\b(READ|WRITE) ERROR\\b", 0, 1, 0, 2, 0,
        0},
};

#define NPATTERNS (countof(patterns))

/*
 * Literals that every line a pattern matches must contain (any one of a
 * pattern's literals, '|' separated).  Hyperscan looks for all of them in
 * one pass (literal mode compiles in milliseconds, where the full regular
 * expressions take most of a second); only the patterns whose literal was
 * found are then tried with PCRE2.  A literal is caseless when its
 * pattern is.
 */
static const struct {
	const char *id;
	const char *lits;
} prefilters[] = {
    {"freebsd.hard_error", "HARD READ ERROR|HARD WRITE ERROR"},
    {"freebsd.hard_error_fsbn",
        "hard error reading fsbn|hard error writing fsbn"},
    {"freebsd.ata_uncorrectable", "UNCORRECTABLE"},
    {"freebsd.ata_failure", ": FAILURE - "},
    {"freebsd.ata_cmd_timeout", " command timeout tag="},
    {"freebsd.ata_timeout", ": TIMEOUT - "},
    {"freebsd.ata_icrc", "UDMA ICRC "},
    {"freebsd.cam_medium", "MEDIUM ERROR|Unrecovered read error"},
    {"freebsd.cam_unc", "ATA status: "},
    {"freebsd.cam_error", "CAM status: |Retries exhausted|ATA status: "},
    {"freebsd.g_vfs_done", "g_vfs_done():"},
    {"linux.end_request_medium", "end_request: critical medium error, dev "},
    {"linux.end_request", "end_request: I/O error, dev "},
    {"linux24.io_error", "I/O error: dev "},
    {"linux.critical_medium", "critical medium error, dev "},
    {"linux.blk_update_request", "blk_update_request: I/O error, dev "},
    {"linux.print_req_error", "print_req_error: I/O error, dev "},
    {"linux.io_error", "I/O error, dev "},
    {"linux.blk_error", " error, dev "},
    {"linux.buffer_io_error", "Buffer I/O error on dev"},
    {"linux.ide_uncorrectable", "UncorrectableError|media error (bad sector)"},
    {"linux.ide_error", ": status=0x|: error=0x"},
    {"linux.ide_timeout",
        "DMA timeout error|dma_timer_expiry|timeout waiting for DMA|"
        "irq timeout: status|status timeout: status"},
    {"linux.ata_unc", ": error: {"},
    {"linux.ata_failed_command", ": failed command: "},
    {"linux.ata_status_err", ": status: {"},
    {"linux.ata_error", ": error: {"},
    {"nvme.unrecovered_read", "Unrecovered Read Error"},
    {"nvme.cmd_error", " @ LBA "},
    {"nvme.timeout", "nvme nvme"},
    {"nvme.reset", "nvme nvme"},
    {"nvme.io_error", "nvme"},
    {"linux.scsi_medium_error", "Medium Error"},
    {"linux.unrecovered_read", "Unrecovered read error"},
    {"linux.old_sense_medium", "sense key"},
    {"linux.scsi_hardware_error", "Hardware Error"},
    {"linux.scsi_failed",
        "FAILED Result: |Unhandled sense code|Unhandled error code"},
    {"linux.medium_error", "Medium Error"},
    {"ext.remount_ro", "emounting filesystem read-only"},
    {"ext.io_warning", "-fs warning (device "},
    {"ext.error", "-fs error (device "},
    {"fs.remount_ro", "emounting filesystem read-only"},
    {"jbd2.aborted", "Aborting journal on device "},
    {"jbd2.error_dev", "JBD2: "},
    {"jbd2.error", "JBD2: "},
    {"xfs.shutdown", "XFS ("},
    {"xfs.metadata_io_error", "XFS ("},
    {"xfs.error", "XFS ("},
    {"btrfs.errs", "BTRFS "},
    {"btrfs.io_error", "BTRFS "},
    {"btrfs.error", "BTRFS "},
    {"md.disk_failure", "Disk failure on "},
    {"md.read_error", "md/raid"},
    {"megaraid.medium_error", "megaraid_sas "},
    {"mpt.medium_error", "medium error"},
    {"kernel.read_error", "READ ERROR|WRITE ERROR"},
};

#define MAXLITS 128

struct disk_klog {
	hs_database_t *db;
	hs_scratch_t *scratch;
	pcre2_code *re[NPATTERNS];
	pcre2_match_data *md;
};

static const char *const class_names[DK_NCLASS] = {
    [DK_NONE] = "none",
    [DK_IO_ERROR] = "io-error",
    [DK_MEDIUM_ERROR] = "medium-error",
    [DK_ATA_ERROR] = "ata-error",
    [DK_CONTROLLER] = "controller-reset",
    [DK_FS_ERROR] = "fs-error",
    [DK_FS_READONLY] = "fs-readonly",
    [DK_JOURNAL_ABORTED] = "journal-aborted",
    [DK_FS_SHUTDOWN] = "fs-shutdown",
    [DK_RAID_FAILURE] = "raid-failure",
};

const char *
disk_kclass_name(enum disk_kclass c)
{
	if ((unsigned)c >= DK_NCLASS)
		return "none";
	return class_names[c];
}

size_t
disk_klog_npatterns(void)
{
	return NPATTERNS;
}

const char *
disk_klog_pattern_id(size_t i)
{
	return i < NPATTERNS ? patterns[i].id : NULL;
}

void
disk_klog_free(struct disk_klog *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < NPATTERNS; i++)
		pcre2_code_free(k->re[i]);
	pcre2_match_data_free(k->md);
	if (k->scratch != NULL)
		hs_free_scratch(k->scratch);
	if (k->db != NULL)
		hs_free_database(k->db);
	free(k);
}

/* Splits the prefilter literals of every pattern into the arrays. */
static int
collect_literals(const char **lit, size_t *len, unsigned *flags, unsigned *ids,
    struct err *err)
{
	unsigned n = 0;

	for (size_t i = 0; i < NPATTERNS; i++) {
		const char *l = NULL;

		for (size_t j = 0; j < countof(prefilters); j++)
			if (strcmp(prefilters[j].id, patterns[i].id) == 0)
				l = prefilters[j].lits;
		if (l == NULL) {
			err_set(err, 0, "pattern '%s' has no literal",
			    patterns[i].id);
			return -1;
		}
		while (*l) {
			size_t k = strcspn(l, "|");

			if (n == MAXLITS) {
				err_set(err, 0, "too many literals");
				return -1;
			}
			lit[n] = l;
			len[n] = k;
			flags[n] = HS_FLAG_SINGLEMATCH |
			    (patterns[i].caseless ? HS_FLAG_CASELESS : 0);
			ids[n] = (unsigned)i;
			n++;
			l += k;
			if (*l == '|')
				l++;
		}
	}
	return (int)n;
}

struct disk_klog *
disk_klog_new(struct err *err)
{
	const char *lit[MAXLITS];
	size_t len[MAXLITS];
	unsigned flags[MAXLITS], ids[MAXLITS];
	hs_compile_error_t *cerr = NULL;
	struct disk_klog *k;
	int nlit;

	_Static_assert(NPATTERNS <= 64, "pattern set is a 64-bit mask");
	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		err_sys(err, 12, "cannot compile the disk-error patterns");
		return NULL;
	}
	for (size_t i = 0; i < NPATTERNS; i++) {
		int ecode;
		PCRE2_SIZE eoff;

		k->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i].re,
		    PCRE2_ZERO_TERMINATED,
		    patterns[i].caseless ? PCRE2_CASELESS : 0, &ecode, &eoff,
		    NULL);
		if (k->re[i] == NULL) {
			PCRE2_UCHAR msg[128];

			pcre2_get_error_message(ecode, msg, sizeof(msg));
			err_set(err, 0, "pattern '%s': %s at offset %zu",
			    patterns[i].id, (const char *)msg, (size_t)eoff);
			disk_klog_free(k);
			return NULL;
		}
		/* JIT is an optimisation: without it pcre2_match interprets. */
		(void)pcre2_jit_compile(k->re[i], PCRE2_JIT_COMPLETE);
	}
	k->md = pcre2_match_data_create(8, NULL);
	if (k->md == NULL) {
		err_set(err, 12, "cannot compile the disk-error patterns");
		disk_klog_free(k);
		return NULL;
	}
	if ((nlit = collect_literals(lit, len, flags, ids, err)) == -1) {
		disk_klog_free(k);
		return NULL;
	}
	if (hs_compile_lit_multi(lit, flags, ids, len, (unsigned)nlit,
	        HS_MODE_BLOCK, NULL, &k->db, &cerr) != HS_SUCCESS) {
		err_set(err, 0, "literal '%.*s': %s",
		    cerr->expression >= 0 ? (int)len[cerr->expression] : 1,
		    cerr->expression >= 0 ? lit[cerr->expression] : "?",
		    cerr->message);
		hs_free_compile_error(cerr);
		disk_klog_free(k);
		return NULL;
	}
	if (hs_alloc_scratch(k->db, &k->scratch) != HS_SUCCESS) {
		err_set(err, 12, "cannot allocate Hyperscan scratch space");
		disk_klog_free(k);
		return NULL;
	}
	return k;
}

static int
on_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	*(uint64_t *)ctx |= (uint64_t)1 << id;
	return 0;
}

/* Copies capture group g into dst (cut to fit); 0 when it took part. */
static int
group(pcre2_match_data *md, int g, const char *line, char *dst, size_t dstsz)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	size_t n;

	dst[0] = '\0';
	if (g <= 0 || (uint32_t)g >= pcre2_get_ovector_count(md) ||
	    ov[2 * g] == PCRE2_UNSET)
		return -1;
	n = ov[2 * g + 1] - ov[2 * g];
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, line + ov[2 * g], n);
	dst[n] = '\0';
	return 0;
}

static uint64_t
parse_sector(const char *s, int hex)
{
	uint64_t v = 0;
	int any = 0;

	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (hex && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (hex && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / (hex ? 16 : 10))
			return UINT64_MAX;
		v = v * (hex ? 16 : 10) + d;
		any = 1;
	}
	return any ? v : UINT64_MAX;
}

/*
 * Linux 2.4 names some devices by number ("08:01", "sd08:01": major and
 * minor in hex, kdevname's form): rewrites the SCSI disk and IDE majors
 * as the names the admin knows ("sda1", "hdb"); other numbers stay.
 */
static void
kdev_name(char *dev, size_t devsz)
{
	static const struct {
		unsigned major;
		char first;     /* the unit at minor 0 ('a' of sda, hda, hdc) */
		unsigned shift; /* minor bits of the partition number */
		const char *prefix;
	} majors[] = {
	    {0x08, 'a', 4, "sd"},
	    {0x03, 'a', 6, "hd"},
	    {0x16, 'c', 6, "hd"},
	    {0x21, 'e', 6, "hd"},
	    {0x22, 'g', 6, "hd"},
	};
	const char *p = dev;
	unsigned char mj, mn;
	unsigned major, minor, unit, part;

	if (strncmp(p, "sd", 2) == 0)
		p += 2;
	if (strlen(p) != 5 || p[2] != ':')
		return;
	if (hex_decode(&mj, p, 1) == -1 || hex_decode(&mn, p + 3, 1) == -1)
		return;
	major = mj;
	minor = mn;
	for (size_t i = 0; i < countof(majors); i++) {
		if (majors[i].major != major)
			continue;
		unit = minor >> majors[i].shift;
		part = minor & ((1u << majors[i].shift) - 1);
		if (part == 0)
			snprintf(dev, devsz, "%s%c", majors[i].prefix,
			    majors[i].first + (int)unit);
		else
			snprintf(dev, devsz, "%s%c%u", majors[i].prefix,
			    majors[i].first + (int)unit, part);
		return;
	}
}

enum disk_kclass
disk_klog_classify(
    struct disk_klog *k, const char *line, size_t len, struct disk_kmatch *m)
{
	uint64_t hits = 0;
	static const char empty[1] = "";

	if (line == NULL || len == 0)
		line = empty, len = 0;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	if (hs_scan(k->db, line, (unsigned)len, 0, k->scratch, on_match,
	        &hits) != HS_SUCCESS ||
	    hits == 0)
		return DK_NONE;
	for (size_t i = 0; i < NPATTERNS; i++) {
		const struct kpattern *p = &patterns[i];
		char sect[32];

		if (!(hits & ((uint64_t)1 << i)))
			continue;
		if (pcre2_match(
		        k->re[i], (PCRE2_SPTR)line, len, 0, 0, k->md, NULL) < 0)
			continue;
		memset(m, 0, sizeof(*m));
		m->cls = p->cls;
		m->pattern = p->id;
		m->sector = UINT64_MAX;
		if (group(k->md, p->dev, line, m->device, sizeof(m->device)) ==
		        -1 ||
		    m->device[0] == '\0')
			group(
			    k->md, p->dev2, line, m->device, sizeof(m->device));
		if (strncmp(m->device, "/dev/", 5) == 0)
			memmove(
			    m->device, m->device + 5, strlen(m->device) - 4);
		kdev_name(m->device, sizeof(m->device));
		group(k->md, p->extra, line, m->extra, sizeof(m->extra));
		if (group(k->md, p->sector, line, sect, sizeof(sect)) == 0)
			m->sector = parse_sector(sect, p->sect_hex);
		return m->cls;
	}
	return DK_NONE;
}

/* --- prefixes ------------------------------------------------------- */

/* "2026-11-26T20:18:15[.frac](Z|+hh:mm)"; returns the end or NULL. */
static const char *
parse_rfc3339(const char *s, const char *end, time_t *when)
{
	struct civtime t;
	const char *p = s;

	if (civ_iso(&p, end, &t, CIV_ISO_T | CIV_ISO_SPACE) == -1)
		return NULL;
	/* without a numeric offset, the stamp ends at a space */
	if ((!t.has_tz || p[-1] == 'Z') && (p >= end || *p != ' '))
		return NULL;
	*when = (time_t)civ_epoch(&t);
	return p;
}

/*
 * "Nov 26 20:18:15" (day may be " 6") in the year of now, or the year
 * before when that would be more than a day ahead; the end or NULL.
 */
static const char *
parse_rfc3164(const char *s, const char *end, time_t now, time_t *when)
{
	struct civtime t;
	struct tm nowtm;
	const char *p = s;
	time_t w;

	if (localtime_r(&now, &nowtm) == NULL ||
	    civ_3164(&p, end, &t, nowtm.tm_year + 1900) == -1)
		return NULL;
	w = (time_t)civ_epoch(&t);
	if (w > now + 86400) {
		t.year--;
		civ_finish(&t);
		w = (time_t)civ_epoch(&t);
	}
	*when = w;
	return p;
}

/* "[  12.345678] " at p: seconds, and the end; NULL when absent. */
static const char *
parse_uptime(const char *p, const char *end, double *up)
{
	double v = 0, scale = 0.1;
	int any = 0;

	if (p >= end || *p != '[')
		return NULL;
	p++;
	while (p < end && *p == ' ')
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		p++;
		any = 1;
	}
	if (!any || p >= end || *p != '.')
		return NULL;
	p++;
	while (p < end && *p >= '0' && *p <= '9') {
		v += (*p - '0') * scale;
		scale /= 10;
		p++;
	}
	if (p >= end || *p != ']')
		return NULL;
	p++;
	if (p < end && *p == ' ')
		p++;
	*up = v;
	return p;
}

void
disk_klog_split(
    const char *line, size_t len, time_t now, struct disk_kline *out)
{
	const char *end = line + len, *p, *host, *tag;
	time_t when = 0;

	memset(out, 0, sizeof(*out));
	out->msg = line;
	out->msglen = len;
	out->uptime = -1;
	p = parse_rfc3339(line, end, &when);
	if (p == NULL)
		p = parse_rfc3164(line, end, now, &when);
	if (p != NULL && p < end && *p == ' ') {
		/* host, then the tag up to '[' or ':' */
		p++;
		host = p;
		while (p < end && *p != ' ')
			p++;
		if (p > host && p < end) {
			p++;
			tag = p;
			while (p < end && *p != ':' && *p != '[' && *p != ' ')
				p++;
			if (p > tag && p < end) {
				out->tag = tag;
				out->taglen = (size_t)(p - tag);
				if (*p == '[') /* pid */
					while (p < end && *p != ']')
						p++;
				if (p < end && *p == ']')
					p++;
				if (p < end && *p == ':')
					p++;
				if (p < end && *p == ' ')
					p++;
				out->when = when;
				out->msg = p;
				out->msglen = (size_t)(end - p);
			}
		}
	}
	p = parse_uptime(out->msg, end, &out->uptime);
	if (p != NULL) {
		out->msglen = (size_t)(end - p);
		out->msg = p;
	}
}

enum disk_kclass
disk_klog_line(struct disk_klog *k, const char *line, size_t len, time_t now,
    struct disk_kline *kl, struct disk_kmatch *m)
{
	disk_klog_split(line, len, now, kl);
	/* FreeBSD up to 4 logged the kernel as "/kernel". */
	if (kl->tag != NULL &&
	    !(kl->taglen == 6 && memcmp(kl->tag, "kernel", 6) == 0) &&
	    !(kl->taglen == 7 && memcmp(kl->tag, "/kernel", 7) == 0))
		return DK_NONE;
	return disk_klog_classify(k, kl->msg, kl->msglen, m);
}
