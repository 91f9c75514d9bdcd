#!/usr/bin/env bash
# nrpe.sh - sakimori as a Nagios plugin behind a real NRPE: a private
# nrpe (its own configuration, a free loopback port, never the system's
# service) runs "sakimori check" as the nagios user, and check_nrpe gets
# each state's exit status and output: OK, WARNING and CRITICAL from
# thresholds given with -w/-c, UNKNOWN for a missing configuration, an
# unknown check name and a run that takes longer than -t.
. "$(dirname "$0")/lib.sh"

NRPE=/usr/sbin/nrpe
CHECK_NRPE=/usr/lib/nagios/plugins/check_nrpe
[ "$(id -u)" = 0 ] || skip_all "needs root (nrpe drops to the nagios user)"
[ -x "$NRPE" ] || skip_all "nrpe is missing (Debian package nagios-nrpe-server)"
[ -x "$CHECK_NRPE" ] || skip_all "check_nrpe is missing (Debian package nagios-nrpe-plugin)"
id nagios >/dev/null 2>&1 || skip_all "no nagios user (nagios-nrpe-server makes it)"

# What the nagios user may reach: the binary, a configuration and a state
# directory of its own, outside the private $TMP.
D=$(mktemp -d /run/sakimori-nrpe.XXXXXX)
cleanup "rm -rf '$D'"
chmod 755 "$D"
cp "$SAKIMORI" "$D/sakimori"
chmod 755 "$D/sakimori"
: >"$D/sakimori.conf"
printf 'check load { warning 0 critical 1000 }\ncheck memory { warning 100%% critical 0%% }\n' >"$D/two.conf"
chmod 644 "$D/sakimori.conf" "$D/two.conf"
install -d -m 700 -o nagios -g nagios "$D/state"

port=$(/usr/bin/python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

# A CPU-bound child keeps the load average above 0 for the WARNING case.
( while :; do :; done ) &
spin=$!
cleanup "kill $spin"

sk="$D/sakimori -f $D/sakimori.conf --state-dir $D/state --nagios"
cat >"$D/nrpe.cfg" <<CFG
server_address=127.0.0.1
server_port=$port
allowed_hosts=127.0.0.1
nrpe_user=nagios
nrpe_group=nagios
pid_file=$D/nrpe.pid
dont_blame_nrpe=0
command_timeout=60
connection_timeout=60
debug=0
command[whoami]=/usr/bin/id -un
command[sk_ok]=$sk check --interval 0 load -w 1000 -c 2000
command[sk_load_warning]=$sk check --interval 0 load -w 0 -c 1000
command[sk_mem_critical]=$sk check --interval 0 memory -w 100 -c 99.99
command[sk_long]=$D/sakimori -f $D/two.conf --state-dir $D/state --nagios check --interval 0 load memory
command[sk_no_config]=$D/sakimori -f $D/missing.conf --state-dir $D/state --nagios check --interval 0 load
command[sk_unknown_name]=$sk check nosuchcheck
command[sk_timeout]=$sk check --interval 10 -t 1 swap-activity
command[sk_fim_no_baseline]=$D/sakimori -f $D/sakimori.conf --state-dir $D/state fim check --nagios
CFG
chmod 644 "$D/nrpe.cfg"

"$NRPE" -c "$D/nrpe.cfg" -f &
nrpe_pid=$!
cleanup "kill $nrpe_pid; wait $nrpe_pid"
for _ in $(seq 50); do
	"$CHECK_NRPE" -H 127.0.0.1 -p "$port" -t 5 >/dev/null 2>&1 && break
	sleep 0.2
done

# nrpe CMD: check_nrpe's output and exit status (OUT, RC)
nrpe() { run "$CHECK_NRPE" -H 127.0.0.1 -p "$port" -t 30 -c "$1"; }

run "$CHECK_NRPE" -H 127.0.0.1 -p "$port" -t 5
check_match "the private nrpe answers on 127.0.0.1:$port" "^NRPE v" "$OUT"
nrpe whoami
check_eq "nrpe runs its commands as nagios" nagios "$OUT"
sleep 1	# the spinning child lifts the 1-minute load above 0.00

nrpe sk_ok
check_eq "OK: exit 0" 0 "$RC"
check_match "OK: the status line, with perfdata of the thresholds given" \
    "^SAKIMORI OK - all checks passed \| load1=[0-9.]+;;;0; load5=[0-9.]+;;;0; load15=[0-9.]+;;;0; load_per_cpu=[0-9.]+;1000;2000;0;$" "$OUT"

nrpe sk_load_warning
check_eq "load -w 0 -c 1000: WARNING, exit 1" 1 "$RC"
check_match "WARNING: the status line says why" \
    "^SAKIMORI WARNING - WARNING: 1-minute load average [0-9.]+ per CPU is above 0.00 \| .*load_per_cpu=[0-9.]+;0;1000;0;$" "$OUT"

nrpe sk_mem_critical
check_eq "memory -w 100 -c 99.99: CRITICAL, exit 2" 2 "$RC"
check_match "CRITICAL: a lower bound written as a range (100:)" \
    "^SAKIMORI CRITICAL - CRITICAL: available memory .* \| mem_available=[0-9.]+%;100:;99.99:;0;100$" "$OUT"

nrpe sk_long
check_eq "two WARNING findings: exit 1" 1 "$RC"
check_match "the status line names both, with the perfdata" \
    "^SAKIMORI WARNING - WARNING: 1-minute load .*; WARNING: available memory .* \| load1=.* mem_available=[0-9.]+%;100:;0:;0;100$" \
    "$(printf '%s\n' "$OUT" | head -1)"
check_match "then one line per finding (long output): load" \
    "^WARNING: load load: 1-minute load average " "$(printf '%s\n' "$OUT" | sed -n 2p)"
check_match "then one line per finding (long output): memory" \
    "^WARNING: memory memory: available memory " "$(printf '%s\n' "$OUT" | sed -n 3p)"
check_eq "three lines in all" 3 "$(printf '%s\n' "$OUT" | wc -l)"

nrpe sk_no_config
check_eq "a missing configuration: exit 3" 3 "$RC"
check_eq "a missing configuration: one line" 1 "$(printf '%s\n' "$OUT" | wc -l)"
check_match "a missing configuration: UNKNOWN, naming the file" \
    "^SAKIMORI UNKNOWN - .*$D/missing.conf" "$OUT"

nrpe sk_unknown_name
check_eq "an unknown check name: exit 3" 3 "$RC"
check_match "an unknown check name: UNKNOWN, with the valid names" \
    "^SAKIMORI UNKNOWN - unknown check 'nosuchcheck'; one of: load swap-activity memory .* fim$" "$OUT"

nrpe sk_timeout
check_eq "-t 1 on a 10 s sample: exit 3" 3 "$RC"
check_eq "-t 1: one clean UNKNOWN line" "SAKIMORI UNKNOWN - check timed out after 1 s" "$OUT"

nrpe sk_fim_no_baseline
check_eq "fim check without a baseline: exit 3" 3 "$RC"
check_match "fim check without a baseline: UNKNOWN under the command's name" \
    "^SAKIMORI FIM UNKNOWN - .*no baseline" "$OUT"

done_testing
