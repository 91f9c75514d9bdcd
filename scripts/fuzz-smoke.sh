#!/bin/sh
# fuzz-smoke.sh BUILDDIR - runs every fuzz target in BUILDDIR/fuzz for a
# bounded time on its seed corpus (fuzz/corpus/NAME); fails on any crash.
# FUZZ_SECONDS (10) per target; FUZZ_SEED (1): libFuzzer's random seed, fixed
# so that a CI run can be reproduced from its commit (0: a new seed each
# run, for exploratory fuzzing with a longer FUZZ_SECONDS); FUZZ_JOBS (the
# number of CPUs): targets run side by side, each on one core.
set -eu

# one TARGET: runs one target; its report on stdout (the failing input in
# base64), exit 1 when it failed.
one() {
	t=$1
	name=$(basename "$t")
	t=$(cd "$(dirname "$t")" && pwd)/$name
	corpus="fuzz/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	mkdir "$work/corpus-run"
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work/corpus-run"/ 2>/dev/null || true
	rc=0
	# Run in an empty directory: relative paths in inputs find nothing.
	if (cd "$work" && "$t" -artifact_prefix="$work/" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
	    -seed="$seed" -timeout=10 -print_final_stats=0 corpus-run) >"$work.log" 2>&1; then
		echo "fuzz $name: ok ($(grep -c '' "$work.log") log lines)"
	else
		echo "fuzz $name: FAILED"
		grep -v -E '^#[0-9]+' "$work.log" | tail -n 60
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[ -f "$a" ] && { echo "input (base64):"; base64 -w0 "$a"; echo; }
		done
		rc=1
	fi
	rm -rf "$work" "$work.log"
	return $rc
}

secs=${FUZZ_SECONDS:-10}
seed=${FUZZ_SEED:-1}
if [ "${1:-}" = --one ]; then
	one "$2"
	exit $?
fi
dir=$1
jobs=${FUZZ_JOBS:-$(nproc)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Each target's report goes to a file of its own, printed whole in the
# targets' order once all have run, so that parallel runs do not mix.
for t in "$dir"/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] && printf '%s\n' "$t"
done | FUZZ_SECONDS=$secs FUZZ_SEED=$seed xargs -P "$jobs" -I{} \
    sh -c '"$0" --one "$1" >"$2/$(basename "$1").out" 2>&1 || touch "$2/$(basename "$1").failed"' \
    "$0" {} "$out" || true
rc=0
for f in "$out"/*.out; do
	[ -e "$f" ] || { echo "fuzz-smoke: no fuzz target in $dir/fuzz" >&2; exit 1; }
	cat "$f"
done
for f in "$out"/*.failed; do
	[ -e "$f" ] && rc=1
done
exit $rc
