/*
 * cmd_status.h - what cmd_status.c (options, the human screen) and
 * cmd_status_json.c (the JSON lines) of "sakimori status" share.
 */
#ifndef CLI_CMD_STATUS_H
#define CLI_CMD_STATUS_H

#include <stddef.h>
#include <stdio.h>

struct cli;
struct snap;

struct status_opts {
	double interval;
	size_t top;
	int all_fs, all_disks;
	int full; /* --full: every section in detail */
};

/* The host name shown: "set hostname", else the system's. */
const char *status_hostname(const struct cli *cli, char *buf, size_t sz);

/* Every item of s as JSON lines on fp. */
void status_json(const struct cli *cli, const struct snap *s,
    const struct status_opts *o, FILE *fp);

#endif
