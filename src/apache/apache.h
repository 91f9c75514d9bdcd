/*
 * apache.h - read an Apache httpd configuration the way httpd itself does
 * at start-up, and answer what other parts of sakimori ask of it: the
 * active MPM and its worker limit, the document roots, the CGI
 * directories, the sections with their access rules.
 *
 * apache_conf_load follows Include / IncludeOptional (globs in any path
 * component, relative to ServerRoot, a directory means every file in it),
 * Define / UnDefine and ${VAR} (also from Debian's envvars file), and
 * evaluates <IfModule>, <IfDefine>, <IfVersion> and <IfFile> in file
 * order, as httpd does, for the modules loaded so far (the compiled-in
 * ones plus LoadModule).  What remains is a tree of directives and
 * sections (<VirtualHost>, <Directory>, <Location>, ...), each with its
 * file:line.
 *
 * The reading core is pure: apache_conf_load_string parses a buffer and
 * only opens files to follow Include (which it can be told not to do).
 * Every problem (syntax, a missing include, an include loop) is kept as
 * "file:line: message"; reading goes on after it where httpd's meaning is
 * still clear.
 */
#ifndef APACHE_APACHE_H
#define APACHE_APACHE_H

#include <limits.h>
#include <stddef.h>

struct report;

#define APACHE_MAX_ERRS 64

struct apache_node {
	char
	    *name; /* as written: "DocumentRoot", "Directory" for <Directory> */
	char **argv; /* arguments, ${VAR} expanded and unquoted */
	size_t argc;
	int section;      /* 1 for <Name args> ... </Name> */
	const char *file; /* owned by struct apache_conf */
	int line;
	struct apache_node *parent; /* the enclosing section (root at top) */
	struct apache_node **child;
	size_t nchild, capchild;
};

struct apache_opts {
	const char *root; /* prefix for every file read; NULL or "" none */
	/* -d: ServerRoot before any ServerRoot directive; NULL: the main
	 * file's directory (../ when it lies in a "conf" directory) */
	const char *server_root;
	const char *const *defines; /* -D NAME, NULL-terminated (may be NULL) */
	/* Debian's envvars file for ${APACHE_*}: NULL looks for "envvars"
	 * beside the main file; "" reads none */
	const char *envvars;
	/* compiled-in modules (ids such as "so_module"), NULL-terminated;
	 * NULL means Debian's apache2 (core, so, watchdog, http, log_config,
	 * logio, version, unixd) */
	const char *const *static_modules;
	const char *version; /* for <IfVersion>; NULL: "2.4.62" */
	int no_include;      /* record Include lines, read nothing (fuzzing) */
};

struct apache_var {
	char *name;
	char *value; /* NULL: defined without a value (IfDefine only) */
};

struct apache_module {
	char *id;   /* "status_module" */
	char *path; /* the LoadModule file; NULL for compiled-in modules */
	const char *file; /* where it was loaded (NULL: compiled in) */
	int line;
};

#define APACHE_MAX_HTACCESS 64

/* An access file (AccessFileName, .htaccess) read for a directory. */
struct apache_htaccess {
	char dir[PATH_MAX];      /* absolute, without a trailing slash */
	char file[PATH_MAX];     /* the file read (without the root prefix) */
	struct apache_node root; /* its directives, as the tree's root */
};

struct apache_conf {
	struct apache_node root; /* server-level directives are its children */
	char **files;            /* every file read, in order */
	size_t nfiles;
	struct apache_module *mods;
	size_t nmods;
	struct apache_var *vars; /* Define, -D and envvars */
	size_t nvars;
	char server_root[PATH_MAX];
	char main_file[PATH_MAX];
	char *errs[APACHE_MAX_ERRS]; /* "file:line: message" */
	size_t nerrs;
	size_t errs_dropped; /* past APACHE_MAX_ERRS */
	size_t nnodes;
	const char *version;
	/* access files of the CGI directories and their parents (read by
	 * apache_conf_load whatever AllowOverride says: the audit applies
	 * what it permits) */
	struct apache_htaccess *htaccess[APACHE_MAX_HTACCESS];
	size_t nhtaccess;
};

/*
 * Reads path (with the root prefix of opts) and everything it includes.
 * Returns 0, or -1 when any problem was found (see c->errs; the tree holds
 * what could be read).  c must be released with apache_conf_release
 * either way.
 */
int apache_conf_load(
    struct apache_conf *c, const char *path, const struct apache_opts *opts);
/* As apache_conf_load, for the text of a file named name. */
int apache_conf_load_string(struct apache_conf *c, const char *name,
    const char *text, size_t len, const struct apache_opts *opts);
void apache_conf_release(struct apache_conf *c);

/*
 * Parses the text of the access file file in directory dir (both
 * absolute) into c->htaccess: its directives are kept as written (the
 * conditional sections evaluated against c's modules); Include, Define,
 * LoadModule and ServerRoot act on nothing, as httpd refuses them there.
 * Problems are kept in c->errs.  0, or -1 when c holds
 * APACHE_MAX_HTACCESS files already.
 */
int apache_htaccess_parse(struct apache_conf *c, const char *dir,
    const char *file, const char *text, size_t len);
/*
 * Reads the access files (AccessFileName, default .htaccess) of dir and
 * of every directory above it, with the root prefix of opts, that are not
 * read yet.  A missing file is no problem; an unreadable one is kept in
 * c->errs.  apache_conf_load calls it for every CGI directory.
 */
void apache_htaccess_load(
    struct apache_conf *c, const char *dir, const struct apache_opts *opts);
/* The access files read for dir (exactly that directory): fills out (at
 * most max) and returns how many. */
size_t apache_htaccess_of(const struct apache_conf *c, const char *dir,
    const struct apache_htaccess **out, size_t max);

/* The first existing of the usual main files (apache2.conf, httpd.conf)
 * under root; 0 with path filled, or -1. */
int apache_conf_find(const char *root, char *path, size_t pathsz);

/* What a running httpd's command line says of its configuration. */
#define APACHE_CMD_DEFINES 16
struct apache_cmdline {
	char file[PATH_MAX];                /* -f, "" */
	char dir[PATH_MAX];                 /* -d, "" */
	char defs[APACHE_CMD_DEFINES][128]; /* -D */
	size_t ndefs;
	const char *defv[APACHE_CMD_DEFINES + 1]; /* for apache_opts.defines */
	char path[PATH_MAX]; /* the main file httpd reads */
};

/*
 * Reads -f FILE, -d DIR and -D NAME (also written -fFILE) from cmdline, a
 * process's arguments separated by spaces, and sets a->path to the main
 * file that httpd reads: override when not NULL, else -f (under -d when
 * relative), else the usual main file under root (apache_conf_find).
 * Fills o to load it (root, the defines, -d as ServerRoot).  0, or -1
 * when there is no main file.
 */
int apache_cmdline_conf(const char *cmdline, const char *root,
    const char *override, struct apache_cmdline *a, struct apache_opts *o);

/* 1 if module id ("status_module") or source name ("mod_status.c") is loaded. */
int apache_module_loaded(const struct apache_conf *c, const char *name);
/* 1 if name is defined (-D, Define, envvars), with or without a value. */
int apache_defined(const struct apache_conf *c, const char *name);
/* The value of a Define'd or envvars variable, or NULL. */
const char *apache_var(const struct apache_conf *c, const char *name);

/* The last directive name (case-insensitive) among n's direct children,
 * not entering sections; NULL when absent. */
const struct apache_node *apache_find(
    const struct apache_node *n, const char *name);

/* The MPM and the limits httpd derives from its directives and defaults. */
struct apache_limits {
	char mpm[32]; /* "prefork", "worker", "event", "" when none is loaded */
	int threaded; /* worker and event */
	long max_workers;  /* MaxRequestWorkers (MaxClients), effective */
	long server_limit; /* ServerLimit, effective */
	long threads_per_child;
	long thread_limit;
	long max_processes; /* child processes at most */
	/* where max_workers came from; file NULL: the MPM's default */
	const char *file;
	int line;
	char note[256]; /* how httpd adjusted what was written, or "" */
};

/* Fills l; -1 (and l->mpm "") when no MPM module is loaded. */
int apache_limits(const struct apache_conf *c, struct apache_limits *l);

/* A document root: the main server's or a virtual host's. */
struct apache_docroot {
	char path[PATH_MAX]; /* absolute, without a trailing slash */
	const char *file;    /* NULL: httpd's compiled-in default */
	int line;
	const struct apache_node *vhost; /* NULL: the main server */
};

/* The distinct document roots (main server first); returns how many were
 * found (may be more than max; only max are stored). */
size_t apache_docroots(
    const struct apache_conf *c, struct apache_docroot *out, size_t max);

/* The CGI directories: ScriptAlias / ScriptAliasMatch targets (up to the
 * first $) at server level and in virtual hosts, and <Directory> sections
 * that hand files to cgi-script.  Returns how many were found (only max
 * are stored); each is absolute without a trailing slash. */
size_t apache_cgi_dirs(
    const struct apache_conf *c, char (*out)[PATH_MAX], size_t max);

/*
 * Reviews the configuration and adds findings to r (check ids
 * "apache-status", "apache-info", "apache-cgi-open", "apache-exec-cgi",
 * "apache-indexes", "apache-tokens", "apache-signature"); the subject of
 * each is "file:line".  Load errors are added as UNKNOWN "apache-config".
 */
void apache_audit(const struct apache_conf *c, struct report *r);

#endif
