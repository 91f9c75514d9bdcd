/*
 * show.h - the disks in tables and JSON lines (show.c): what "sakimori
 * disk" prints, and what the agent's dashboard shows of the disks.
 */
#ifndef DISK_SHOW_H
#define DISK_SHOW_H

#include <stdio.h>
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
void disk_show_fs_json(FILE *fp, const struct disk_fs *fs);
/* The error state of every filesystem of l as a table. */
void disk_show_fs_table(const struct out *o, const struct disk_fslist *l);
/* The kernel-log sources read and what each gave. */
void disk_show_sources(const struct out *o, const struct disk_ksys *run,
    const struct disk_kscan *s);
/* Filesystem usage (df) as a table, or as JSON lines. */
void disk_show_usage_table(const struct out *o, const struct snap *s);
void disk_show_usage_json(FILE *fp, const struct snap *s);
/* Device I/O (iostat -dx), table or JSON by o's mode. */
void disk_show_io(const struct out *o, const struct snap *s);

/* The md arrays with their verdicts, table or JSON by o's mode. */
void disk_show_raid(
    const struct out *o, const struct disk_mdlist *l, time_t now);
/* One line per disk: SMART, RAID membership, kernel log, verdict, advice. */
void disk_show_health(const struct out *o, const struct disk_healthlist *hl);

#endif
