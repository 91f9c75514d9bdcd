#!/usr/bin/env bash
# completion.sh - the bash completion (etc/bash-completion/sakimori), loaded
# with bash-completion as an interactive shell loads it, completes the
# commands of the binary, each command's subcommands and options, the
# values of options that list them or name files and directories, and the
# check names; after the global options too.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?SRCDIR must name the source tree}"

BC=/usr/share/bash-completion/bash_completion
if [ ! -f "$BC" ]; then
	not_ok "bash-completion is installed (scripts/deps.sh test)" "$BC is missing"
	done_testing
	exit
fi

# comp WORD... -- what the completion offers for the last WORD (may be
# empty), sorted, on one line; in a new bash with bash-completion loaded.
comp() {
	bash -c '
		source "$1"
		source "$2"
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_sakimori "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$BC" "$SRCDIR/etc/bash-completion/sakimori" "$SAKIMORI" "$@" |
	    sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
}
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }

# The commands: those of the table in src/cli/main.c.
commands=$(grep -oE '^\s*\{"[a-z-]+", cmd_' "$SRCDIR/src/cli/main.c" | grep -oE '[a-z-]+' | grep -v '^cmd$')
check_eq "the commands of the binary" "$(sorted $commands)" "$(comp "")"
check_eq "a command from its start" "fim" "$(comp fi)"
check_eq "...after global options and their values" "status" \
    "$(comp -f /dev/null --state-dir "$TMP" --json stat)"
check_eq "fim's subcommands" "check export init keygen status update verify" "$(comp fim "")"
check_eq "ctl's subcommands, after its own option" "problems reload silence status" \
    "$(comp ctl --run-dir "$TMP" "")"
check_eq "net's" "bans block conns restore unblock" "$(comp net "")"
check_eq "fleet's" "problems rules services table" "$(comp fleet "")"
check_eq "fleet's options: --prometheus" "--prometheus" "$(comp fleet table --prom)"
check_eq "...and the formats" "csv json markdown table" "$(comp fleet table --format "")"
check_eq "an option of a subcommand" "--force" "$(comp fim init --f)"
check_eq "both spellings of du's option" "--apparent --apparent-size" "$(comp du --app)"
check_match "a command's options include the common ones" "--sort.*--state-dir.*--suspicious" \
    "$(comp --json ps --s)"
check_nomatch "...but not those of sakimori alone (--version)" "--version" "$(comp ps --v)"
check_match "short options too (top -b, -d, -n)" " -b -d .*-n( |$)" "$(comp top -)"
check_eq "the values an option lists" "nftables route" "$(comp net block --backend "")"
check_eq "...for --opt=value too" "csv json markdown table" "$(comp inventory --format=)"
check_eq "...and for the values of top's --sort" "cpu mem" "$(comp top --sort "")"
check_eq "nothing for a number" "" "$(comp logs follow --poll "")"

# Files and directories, where the option or argument names one.
mkdir -p "$TMP/c/dir1"
: > "$TMP/c/file1"
check_eq "-f FILE: files" "$TMP/c/dir1 $TMP/c/file1" "$(comp -f "$TMP/c/")"
check_eq "--baseline DIR: directories only" "$TMP/c/dir1" "$(comp fim init --baseline "$TMP/c/")"
check_eq "a PATH argument: files" "$TMP/c/dir1 $TMP/c/file1" "$(comp du "$TMP/c/")"

# check NAME: every check the binary knows (its error lists them).
names=$("$SAKIMORI" check zz-no-such-check 2>&1 | sed -n 's/.*one of: //p')
check "the binary lists its checks" [ -n "$names" ]
check_eq "check: every check name" "$(sorted $names)" "$(comp check "")"
check_eq "check: names from their start" \
    "proc-exe-changed proc-exe-deleted proc-exe-location proc-exe-writable" \
    "$(comp check --daily proc-exe-)"
check_eq "check: after an option's value" "load" "$(comp check -t 5 lo)"

# Every long option each command's --help names is offered.
for c in $commands; do
	want=$("$SAKIMORI" "$c" --help | grep -oE "(^|[^[:alnum:]_/'-])--[a-z][a-z0-9-]*" |
	    grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
	got=$(comp "$c" --)
	missing=""
	for o in $want; do
		case " $got " in *" $o "*) ;; *) missing="$missing $o" ;; esac
	done
	check_eq "$c: every long option of its --help is offered" "" "$missing"
done

# The installed completion is the one tested.
check "the completion is installed by meson" \
    grep -q "etc/bash-completion/sakimori" "$BUILDDIR/meson-info/intro-installed.json"
done_testing
