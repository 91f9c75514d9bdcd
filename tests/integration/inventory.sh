#!/usr/bin/env bash
# inventory.sh - the server table against the machine: real Apache,
# Postfix and sshd on loopback ports are listed with the versions dpkg
# reports and the ports ss shows; every listener ss sees is in the table;
# formats; a fixture root without os-release.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"

AP=$(free_port)
start_apache "$TMP/apache" "$AP" || { not_ok "apache starts"; done_testing; exit 1; }
PF=$(free_port)
start_postfix "$TMP/postfix" "$PF" || { not_ok "postfix starts"; done_testing; exit 1; }
SP=$(free_port)
start_sshd "$TMP/sshd" "$SP" || { not_ok "sshd starts"; done_testing; exit 1; }
LP=$(free_port)

run "$SAKIMORI" inventory --json --no-save
check_eq "inventory --json exits 0" 0 "$RC"
printf '%s\n' "$OUT" > "$TMP/inv.json"

# svc FIELD NAME: a field of the named service, from the JSON (lists:
# ports as PORT/PROTO, others space-separated).
svc() {
	jq -r --arg f "$1" --arg n "$2" '.services[] | select(.name == $n) | .[$f] |
	    if type == "array" then map(if type == "object" then "\(.port)/\(.proto)" else tostring end) | join(" ")
	    else tostring end' "$TMP/inv.json" | head -n 1
}

for pair in "Apache apache2-bin $AP" "Postfix postfix $PF" "OpenSSH openssh-server $SP"; do
	set -- $pair
	want=$(dpkg-query -W -f='${Version}' "$2")
	check_eq "$1: the version dpkg-query -W reports for $2" "$want" "$(svc package_version "$1")"
	check_eq "$1: the package owning its executable" "$2" "$(svc package "$1")"
	check_match "$1: listens on port $3 as ss shows" "(^| )$3/tcp( |$)" "$(svc listen "$1")"
	# ss lists every process holding the socket (a forking server's workers too).
	sspids=$(ss -Hltnp "sport = :$3" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
	ours=$(svc pids "$1")
	hit=""
	for p in $ours; do printf '%s\n' "$sspids" | grep -qx "$p" && hit=$p; done
	check "$1: a PID ss shows holding port $3 is listed ($ours)" [ -n "$hit" ]
done
check_match "Apache: the upstream version read from the binary" '^2\.4\.[0-9]+$' "$(svc version Apache)"
check_match "OpenSSH: the upstream version read from the binary" '^[0-9]+\.[0-9]+p[0-9]+$' "$(svc version OpenSSH)"

# Every TCP and UDP listener that ss sees is somewhere in the table.  Other
# programs may open and close listeners meanwhile: only those ss sees both
# before and after the inventory count.
ss_ports() { ss -Hltun | awk '{ n = split($5, a, ":"); print a[n] "/" ($1 == "tcp" ? "tcp" : "udp") }' | sort -u; }
before=$(ss_ports)
run "$SAKIMORI" inventory --json --no-save
printf '%s\n' "$OUT" > "$TMP/inv2.json"
after=$(ss_ports)
ports=$(comm -12 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
listed=$(jq -r '.services[].listen[] | "\(.port)/\(.proto | rtrimstr("6"))"' "$TMP/inv2.json")
missing=""
for p in $ports; do
	printf '%s\n' "$listed" | grep -qx "$p" || missing="$missing $p"
done
check_eq "every listener ss -ltun shows is listed" "" "$missing"

jqok() { jq -e "$@" >/dev/null; }
for k in type schema taken_at host os kernel cpu memory_bytes uptime_seconds \
    virtualization interfaces disks filesystems services; do
	check "the JSON has the documented field '$k'" jqok "has(\"$k\")" "$TMP/inv.json"
done
check "schema 2, type inventory" jqok '.schema == 2 and .type == "inventory"' "$TMP/inv.json"
check "CPU count and memory are filled" jqok '.cpu.count >= 1 and .memory_bytes > 0' "$TMP/inv.json"
check "the root filesystem is listed" jqok 'any(.filesystems[]; .mount == "/")' "$TMP/inv.json"

run "$SAKIMORI" inventory --no-save
check_match "table: the notebook's columns" "^HOST +IP +LOCATION +OS +VERSION +SERVICE +VERSION" "$OUT"
check_match "table: Apache with its version and port" "Apache +2\.4\.[0-9]+ .*$AP/tcp" "$OUT"
check_match "table: the host name on the first row" "^$(hostname) " "$(printf '%s\n' "$OUT" | sed -n 2p)"
run "$SAKIMORI" inventory --no-save --format csv
check_match "csv: header" "^HOST,IP,LOCATION,OS,VERSION,SERVICE,SERVICE VERSION,PACKAGE VERSION,PORTS$" "$OUT"
check_match "csv: Postfix row with its port" "^[^,]+,[^,]*,[^,]*,[^,]+,[^,]*,Postfix,[^,]+,[^,]+,.*$PF/tcp" "$OUT"
run "$SAKIMORI" inventory --no-save --format markdown
check_match "markdown: a table row for OpenSSH" "^\| .* \| OpenSSH \| " "$OUT"
run "$SAKIMORI" inventory --format yaml
check_eq "an unknown format is a usage error" 64 "$RC"

# Location, rack and owner come from the configuration.
printf 'set location "Tokyo DC1"\nset rack "R12-U3"\nset owner "web team"\n' > "$TMP/inv.conf"
run "$SAKIMORI" -f "$TMP/inv.conf" inventory --no-save --format csv
check_match "configured location and rack in every row" ",Tokyo DC1 / R12-U3," "$(printf '%s\n' "$OUT" | sed -n 2p)"

# A fixture root without os-release: said plainly, not an error.
mkdir -p "$TMP/root/proc/net" "$TMP/root/etc"
: > "$TMP/root/proc/net/tcp"
run "$SAKIMORI" --root "$TMP/root" inventory --no-save --json
check_eq "no os-release: still exits 0" 0 "$RC"
check_match "no os-release: said so" '"pretty_name":"unknown \(no os-release\)"' "$OUT"

# check: a new listener is reported once, naming the process; its going
# too.  Only the inventory's findings about our port (or its state file)
# matter here: a busy test machine may raise others, and other programs
# may open and close listeners of their own meanwhile.
inv_findings() { printf '%s\n' "$OUT" | grep -E "\"check\":\"inventory-(state|listener\",\"subject\":\"tcp 127.0.0.1:$LP\")" || true; }
# (the process checks, part of check too, are procs.sh's business)
process_checks_off >"$TMP/check.conf"
export SAKIMORI_CONFIG="$TMP/check.conf"
run "$SAKIMORI" check --json --interval 0
check_eq "the first check only records the inventory" "" "$(printf '%s\n' "$OUT" | grep '"check":"inventory' || true)"
check "the inventory is kept in the state directory" test -s "$SAKIMORI_STATE_DIR/inventory.json"
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
	    Listen => 5, ReuseAddr => 1) or die "listen: $!";
	$0 = "backdoor-test";
	sleep 60;' "$LP" &
lpid=$!
cleanup "kill $lpid"
wait_port "$LP"
run "$SAKIMORI" check --json --interval 0
f=$(inv_findings)
check_match "a new listener is reported" "\"severity\":\"WARNING\",\"check\":\"inventory-listener\",\"subject\":\"tcp 127.0.0.1:$LP\"" "$f"
check_match "naming the process and its PID" "\"pid\":$lpid[,}]" "$f"
check_match "and that no package owns it... or perl's" '"exe":"/usr/bin/perl' "$f"
check "check exits non-zero" [ "$RC" -ge 1 ]
run "$SAKIMORI" check --json --interval 0
check_eq "reported once: the next check is quiet" "" "$(inv_findings)"
kill "$lpid"; wait "$lpid" 2>/dev/null
run "$SAKIMORI" check --json --interval 0
check_match "the listener's going is reported" "\"check\":\"inventory-listener\",\"subject\":\"tcp 127.0.0.1:$LP\",\"message\":\"listening tcp port $LP .* is gone" "$(inv_findings)"

# A corrupt kept inventory: said so, and a fresh one taken.
printf '{"schema":1,"services":[{"listen":7' > "$SAKIMORI_STATE_DIR/inventory.json"
run "$SAKIMORI" check --json --interval 0
check_match "a corrupt state file is reported" '"check":"inventory-state".*corrupt.*fresh inventory' "$(inv_findings)"
run "$SAKIMORI" check --json --interval 0
check_eq "and replaced by a good one" "" "$(inv_findings)"
{ printf 'check inventory { disable }\n'; process_checks_off; } > "$TMP/noinv.conf"
printf 'garbage' > "$SAKIMORI_STATE_DIR/inventory.json"
run "$SAKIMORI" -f "$TMP/noinv.conf" check --json --interval 0
check_eq "check inventory { disable } turns it off" "" "$(inv_findings)"

done_testing
