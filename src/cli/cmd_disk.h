/*
 * cmd_disk.h - the output of "sakimori disk" (cmd_disk_show.c), called
 * by its command (cmd_disk.c).
 */
#ifndef CLI_CMD_DISK_H
#define CLI_CMD_DISK_H

#include <time.h>

struct out;
struct snap;
struct disk_fs;
struct disk_fslist;
struct disk_ksys;
struct disk_kscan;
struct disk_mdlist;
struct disk_healthlist;

/* One filesystem's error state as a JSON line. */
void cmd_disk_print_fs_json(const struct disk_fs *fs);
/* The error state of every filesystem of l as a table. */
void cmd_disk_print_fs_table(const struct out *o, const struct disk_fslist *l);
/* The kernel-log sources read and what each gave. */
void cmd_disk_print_sources(const struct out *o, const struct disk_ksys *run,
    const struct disk_kscan *s);
/* Filesystem usage (df) as a table, or as JSON lines. */
void cmd_disk_print_usage_table(const struct out *o, const struct snap *s);
void cmd_disk_print_usage_json(const struct snap *s);
/* Device I/O (iostat -dx), table or JSON by o's mode. */
void cmd_disk_print_io(const struct out *o, const struct snap *s);

/* The md arrays with their verdicts, table or JSON by o's mode. */
void cmd_disk_print_raid(
    const struct out *o, const struct disk_mdlist *l, time_t now);
/* One line per disk: SMART, RAID membership, kernel log, verdict, advice. */
void cmd_disk_print_health(
    const struct out *o, const struct disk_healthlist *hl);

#endif
