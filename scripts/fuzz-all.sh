#!/usr/bin/env bash
# fuzz-all.sh runs every fuzz target of the module, one after the other,
# for FUZZTIME each (default 60s), and prints one line per target:
# package, target, time, executions, new corpus entries, PASS or FAIL.
# A crasher is left where `go test` writes it (testdata/fuzz/FuzzX/ of
# the package) so that it becomes a regression seed once fixed. It exits 1
# when a target failed, after printing that target's log; .ci/run calls it
# with a short FUZZTIME.
#
# Usage: scripts/fuzz-all.sh [PATTERN]    (PATTERN filters "pkg FuzzName")
#   FUZZTIME=60s  FUZZPARALLEL=1 (workers; default 1 to leave a core free)
#   FUZZMINIMIZE=60s (go test -fuzzminimizetime: a slow target spends its
#   whole budget minimizing new inputs at the default; 5s lets it fuzz)
#   FUZZLOG=DIR (where the logs go; default a new temporary directory)
set -u
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-60s}
parallel=${FUZZPARALLEL:-1}
minimize=${FUZZMINIMIZE:-60s}
filter=${1:-}
logdir=${FUZZLOG:-$(mktemp -d)}
failed=0
while read -r f; do
	pkg=./$(dirname "${f#./}")
	while read -r name; do
		if [ -n "$filter" ] && ! grep -q -- "$filter" <<<"$pkg $name"; then
			continue
		fi
		log=$logdir/$(tr / _ <<<"${pkg#./}")_$name.log
		start=$(date +%s)
		if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" -parallel "$parallel" >"$log" 2>&1; then
			res=PASS
		elif ! grep -q "Failing input written" "$log" && grep -q "context deadline exceeded" "$log"; then
			# The fuzzing engine's own "context deadline exceeded" at the
			# end of a short run on a busy machine (a known go test -fuzz
			# flake) left no failing input: not a finding.
			res="PASS (the engine timed out at the end; no failing input)"
		else
			res=FAIL
			failed=1
		fi
		secs=$(( $(date +%s) - start ))
		last=$(grep -E '^fuzz: elapsed' "$log" | tail -1)
		execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
		newi=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
		printf '%-28s %-26s %4ss execs=%-10s new=%-5s %s %s\n' "$pkg" "$name" "$secs" "${execs:-?}" "${newi:-?}" "$res" "$log"
		if [ "$res" = FAIL ]; then
			cat "$log"
		fi
	done < <(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //')
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort)
exit "$failed"
