#!/usr/bin/env python3
"""help_consistency.py - the help texts, the manual pages and the binary agree.

Run by help_consistency.sh (which reports each line it prints).  For every
command of 'sakimori --help' and every subcommand its usage lines name:

 - each option its --help names is accepted: run with the option (and a
   harmless argument where it takes one) followed by an option that does
   not exist, the command must complain about that one only;
 - each option its getopt tables accept (read from src/cli/*.c: the
   struct option arrays and short-option strings of the command's function
   and the static functions it calls) is in its --help (the options every
   command takes in 'sakimori --help') and in sakimori(8), in the
   command's entries (the common ones in DESCRIPTION);
 - an option that takes an argument shows one (a METAVAR or a|b list) in
   the help;
 - every check 'sakimori check' knows has a line in 'check --help' saying
   what it reports and an entry in sakimori.conf(5)'s Checks;
 - every SAKIMORI_* variable read by getenv in src/ is in sakimori(8)'s
   ENVIRONMENT;
 - the command lines README.md shows name commands and options that exist.

Each result is one line: "ok<TAB>description" or
"not ok<TAB>description<TAB>detail".
"""
import glob
import os
import re
import subprocess
import sys

SAK = os.environ["SAKIMORI"]
SRC = os.environ["SRCDIR"]
PROBE = "--zz-no-such-option"

LONG_RE = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
SHORT_RE = re.compile(r"(?<![\w/-])(-[A-Za-z])(?![\w-])")
# What follows an option that takes an argument: "--top N", "-d SECS",
# "--format table|csv", "--since=T", "[--pubkey FILE]".
METAVAR_RE = r"(?:[ =](?:[A-Z][A-Z0-9_./-]*|[a-z0-9]+(?:\|[a-z0-9]+)+)(?![a-z]))"


def say(good, desc, detail=""):
    line = ("ok" if good else "not ok") + "\t" + desc
    if not good and detail:
        line += "\t" + detail.replace("\n", " | ")[:1500]
    print(line, flush=True)


def run(args, timeout=30):
    try:
        p = subprocess.run([SAK] + args, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out"
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def help_options(text):
    """The options a help text names: {option: takes an argument}.  What
    another program is run with, quoted ('tail -F'), is not sakimori's."""
    opts = {}
    text = re.sub(r"'(?!sakimori\b)[a-z][a-z0-9]* -[^']*'", "''", text)
    for m in list(LONG_RE.finditer(text)) + list(SHORT_RE.finditer(text)):
        o = m.group(1)
        rest = text[m.end():m.end() + 40]
        arg = re.match(METAVAR_RE, rest) is not None
        opts[o] = opts.get(o, False) or arg
    return opts


def usage_lines(text, cmd):
    """The usage lines of a help text (continuations joined)."""
    lines, cur = [], None
    for ln in text.splitlines():
        m = re.match(r"^(?:usage:)?\s+sakimori " + re.escape(cmd) + r"\b(.*)",
                     ln) or re.match(r"^usage: sakimori " + re.escape(cmd) +
                                     r"\b(.*)", ln)
        if m:
            cur = m.group(1)
            lines.append(cur)
        elif cur is not None and ln.startswith("      ") and ln.strip():
            lines[-1] += " " + ln.strip()
        else:
            cur = None
    return lines


def subcommands(text, cmd):
    """The first bare word after 'sakimori CMD' on each usage line, outside
    brackets and options: "fim init ...", "ctl [--run-dir DIR] reload"."""
    subs = []
    for line in usage_lines(text, cmd):
        depth = 0
        for tok in line.split():
            if depth == 0 and not tok.startswith(("[", "-")):
                if re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", tok):
                    for s in tok.split("|"):
                        if s not in subs:
                            subs.append(s)
                break
            depth += tok.count("[") - tok.count("]")
    return subs


# ---- the source: getopt tables per command ----------------------------


def c_functions(text):
    """{name: body} for the functions of a C file in this project's style
    (the name at the start of a line, the body ending with '}' alone)."""
    funcs = {}
    for m in re.finditer(r"^([a-z_][a-z0-9_]*)\(([^;{]*?)\)\n\{\n(.*?)^\}",
                         text, re.S | re.M):
        funcs[m.group(1)] = m.group(3)
    return funcs


def macro(text, name):
    m = re.search(r"#define " + name + r"\s+((?:.*\\\n)*.*)", text)
    return m.group(1).replace("\\\n", "\n") if m else ""


CLI_H = open(os.path.join(SRC, "src/cli/cli.h")).read()
COMMON_LONG = macro(CLI_H, "CLI_COMMON_LONGOPTS")
COMMON_SHORT = "".join(re.findall(r'"([^"]*)"',
                                  macro(CLI_H, "CLI_COMMON_SHORTOPTS")))


def table_options(body):
    """{option: takes an argument} of the getopt tables in body."""
    opts = {}
    body = body.replace("CLI_COMMON_LONGOPTS", COMMON_LONG)
    for arr in re.findall(r"struct option \w+\[\]\s*=\s*\{(.*?)\n\s*\};",
                          body, re.S):
        for name, has in re.findall(r'\{\s*"([a-z0-9-]+)",\s*(\w+)', arr):
            opts["--" + name] = has == "required_argument"
    for m in re.finditer(r"getopt_long\(\s*\w+,\s*\w+,\s*([^,]*),", body):
        spec = "".join(re.findall(r'"([^"]*)"', m.group(1)))
        if "CLI_COMMON_SHORTOPTS" in m.group(1):
            spec = COMMON_SHORT + spec
        spec = spec.lstrip("+:")
        for i, ch in enumerate(spec):
            if ch.isalpha():
                opts["-" + ch] = spec[i + 1:i + 2] == ":"
    return opts


def source_options():
    """{command: {option: takes an argument}} from src/cli; "" is main."""
    files = {f: open(f).read() for f in glob.glob(os.path.join(SRC,
                                                                "src/cli/*.c"))}
    main_c = files[os.path.join(SRC, "src/cli/main.c")]
    cmds = re.findall(r'\{"([a-z-]+)",\s*(cmd_\w+),', main_c)
    result = {"": table_options(c_functions(main_c).get("run", ""))}
    for name, fn in cmds:
        for text in files.values():
            funcs = c_functions(text)
            if fn not in funcs:
                continue
            seen, todo, opts = set(), [fn], {}
            while todo:
                f = todo.pop()
                if f in seen:
                    continue
                seen.add(f)
                opts.update(table_options(funcs[f]))
                todo += [c for c in re.findall(r"\b(\w+)\s*\(", funcs[f])
                         if c in funcs]
            result[name] = opts
    return result


# ---- the manual ---------------------------------------------------------


def man_sections(path):
    """{section name: lines} of an mdoc page."""
    secs, cur = {}, None
    for ln in open(path).read().splitlines():
        if ln.startswith(".Sh "):
            cur = ln[4:].strip()
            secs[cur] = []
        elif cur is not None:
            secs[cur].append(ln)
    return secs


def man_options(lines):
    opts = set()
    for ln in lines:
        if not ln.startswith("."):
            continue
        for tok in re.findall(r"\bFl\s+(\S+)", ln):
            if tok.startswith("-"):
                opts.add("-" + tok)
            elif tok.isalpha():
                opts.update("-" + c for c in tok)
    return opts


def man_commands(lines):
    """{command: option set} from the top-level list of COMMANDS: each
    ".It Cm NAME ..." or ".It Xo / .Cm NAME ..." entry, with everything
    up to the next entry."""
    entries, cur, depth, want_cm = {}, None, 0, False
    for ln in lines:
        if ln.startswith(".Bl"):
            depth += 1
        elif ln.startswith(".El"):
            depth -= 1
        if depth == 1 and ln.startswith(".It"):
            cur = None
            m = re.match(r"\.It Cm (\S+)", ln)
            if m:
                cur = m.group(1)
            want_cm = ln.strip() == ".It Xo"
        elif want_cm:
            want_cm = False
            m = re.match(r"\.Cm (\S+)", ln)
            if m:
                cur = m.group(1)
        if cur is not None:
            entries.setdefault(cur, []).append(ln)
    return {c: man_options(ls) for c, ls in entries.items()}


# ---- the tests ----------------------------------------------------------


def main():
    rc, main_help, err = run(["--help"])
    say(rc == 0, "sakimori --help exits 0", err)
    commands = re.findall(r"^  ([a-z][a-z-]*)  ", main_help.split(
        "commands:")[1].split("\n\n")[0], re.M)
    say(len(commands) > 5, "sakimori --help lists the commands",
        main_help)
    src = source_options()
    common = table_options("struct option x[] = {CLI_COMMON_LONGOPTS\n};"
                           "getopt_long(argc, argv, CLI_COMMON_SHORTOPTS,")
    main_help_opts = help_options(main_help.split("\noptions")[1])
    man8 = man_sections(os.path.join(SRC, "docs/sakimori.8"))
    man_desc = man_options(man8["SYNOPSIS"] + man8["DESCRIPTION"])
    man_cmds = man_commands(man8["COMMANDS"])

    # The options of sakimori itself and those every command takes.
    for o in sorted(set(src[""]) | set(common)):
        say(o in main_help_opts, "sakimori --help names %s" % o)
        say(o in man_desc, "sakimori(8) DESCRIPTION names %s" % o)
    for o, arg in sorted(main_help_opts.items()):
        say(o in src[""] or o in common,
            "sakimori %s (named in sakimori --help) is in a getopt table" % o)

    # The probe must be refused, or nothing below means anything.
    rc, _, err = run(["du", PROBE])
    say(rc == 64 and ("unrecognized option '%s'" % PROBE) in err,
        "an unknown option is refused with 64, naming it", err)

    for cmd in commands:
        rc, text, err = run([cmd, "--help"])
        say(rc == 0 and text.startswith("usage: sakimori " + cmd),
            "%s --help exits 0 with its usage" % cmd, err)
        say(cmd in src and len(src[cmd]) > len(common) - 1,
            "%s: its getopt tables are found in src/cli" % cmd)
        named = help_options(text)
        subs = subcommands(text, cmd) or [None]
        for sub in subs:
            head = [cmd] + ([sub] if sub else [])
            # with an argument after it, so that a command that went on
            # past the unknown option would fail otherwise
            rc, _, err = run(head + [PROBE, "zz-probe-arg"])
            say(rc == 64 and ("unrecognized option '%s'" % PROBE) in err,
                "%s refuses an unknown option (64)" % " ".join(head),
                "exit %d: %s" % (rc, err))
            for o, arg in sorted(named.items()):
                takes = src.get(cmd, {}).get(o, arg)
                args = head + [o] + (["1"] if takes else []) + \
                    [PROBE, PROBE + "2"]
                rc, _, err = run(args)
                refused = ("unrecognized option '%s'" % o) in err or (
                    len(o) == 2 and ("invalid option -- '%s'" % o[1]) in err)
                say(not refused and rc != 124,
                    "%s accepts %s (named in its --help)" %
                    (" ".join(head), o), "exit %d: %s" % (rc, err))
        for o, takes in sorted(src.get(cmd, {}).items()):
            if o in common:
                continue
            say(o in named, "%s --help names %s (accepted)" % (cmd, o))
            if takes and o in named:
                say(named[o], "%s --help shows the argument of %s" % (cmd, o),
                    text)
            say(o in man_cmds.get(cmd, set()),
                "sakimori(8) names %s %s (accepted)" % (cmd, o))

    # The command lines README.md shows use options the command accepts.
    readme = open(os.path.join(SRC, "README.md")).read()
    for span in re.findall(r"`sakimori ([a-z][a-z-]*)([^`]*)`", readme):
        cmd, rest = span
        if cmd not in src:
            say(False, "README.md: 'sakimori %s' is a command" % cmd)
            continue
        for o in help_options(rest):
            say(o in src[cmd] or o in common,
                "README.md: sakimori %s accepts %s" % (cmd, o))

    # Checks: what 'check' knows, its help and sakimori.conf(5).
    rc, _, err = run(["check", "zz-no-such-check"])
    m = re.search(r"one of: (.*)", err)
    names = m.group(1).split() if m else []
    say(rc == 64 and len(names) > 10,
        "check with an unknown name lists the checks", err)
    _, text, _ = run(["check", "--help"])
    conf5 = man_sections(os.path.join(SRC, "docs/sakimori.conf.5"))
    documented = set()
    for ln in conf5["DESCRIPTION"]:
        m = re.match(r"\.It Ic (.*)", ln)
        if m:
            documented.update(w.strip(" ,") for w in m.group(1).split()
                              if w not in ("Op", "Ar", ","))
    for n in names:
        say(re.search(r"^  " + re.escape(n) + r" +\S", text, re.M),
            "check --help says what %s reports" % n)
        say(n in documented, "sakimori.conf(5) has an entry for check %s" % n)

    # Environment variables.
    env = set()
    for f in glob.glob(os.path.join(SRC, "src/**/*.c"), recursive=True):
        t = open(f).read()
        env.update(re.findall(r'getenv\(\s*"(SAKIMORI_\w+)"\s*\)', t))
        if re.search(r"getenv\(\s*[a-z_]", t):
            # getenv(name): the names this file passes around
            env.update(re.findall(r'"(SAKIMORI_[A-Z0-9_]+)"', t))
    say(len(env) > 3, "the SAKIMORI_* variables read are found in src/",
        " ".join(sorted(env)))
    documented = set(re.findall(r"^\.It Ev (SAKIMORI_\w+)",
                                "\n".join(man8["ENVIRONMENT"]), re.M))
    for v in sorted(env):
        say(v in documented, "sakimori(8) ENVIRONMENT has %s" % v)


if __name__ == "__main__":
    main()
