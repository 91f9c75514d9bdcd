#!/bin/sh
# fuzz-smoke.sh BUILDDIR - runs every fuzz target in BUILDDIR/fuzz for a
# bounded time on its seed corpus (fuzz/corpus/NAME); fails on any crash.
# FUZZ_SECONDS (10) per target; FUZZ_SEED (1): libFuzzer's random seed, fixed
# so that a CI run can be reproduced from its commit (0: a new seed each
# run, for exploratory fuzzing with a longer FUZZ_SECONDS).
set -eu
dir=$1
secs=${FUZZ_SECONDS:-10}
seed=${FUZZ_SEED:-1}
rc=0
for t in "$dir"/fuzz/fuzz_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	t=$(cd "$(dirname "$t")" && pwd)/$name
	corpus="fuzz/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	mkdir "$work/corpus-run"
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work/corpus-run"/ 2>/dev/null || true
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
done
exit $rc
