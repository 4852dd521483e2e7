#!/usr/bin/env bash
# fuzz-all.sh runs every fuzz target of the module, one after the other,
# for FUZZTIME each (default 60s), and prints one line per target:
# package, target, time, executions, new corpus entries, PASS or FAIL.
# A crasher is left where `go test` writes it (testdata/fuzz/FuzzX/ of
# the package) so that it becomes a regression seed once fixed.
#
# Usage: scripts/fuzz-all.sh [PATTERN]    (PATTERN filters "pkg FuzzName")
#   FUZZTIME=60s  FUZZPARALLEL=1 (workers; default 1 to leave a core free)
#   FUZZMINIMIZE=60s (go test -fuzzminimizetime: a slow target spends its
#   whole budget minimizing new inputs at the default; 5s lets it fuzz)
set -u
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-60s}
parallel=${FUZZPARALLEL:-1}
minimize=${FUZZMINIMIZE:-60s}
filter=${1:-}
logdir=${FUZZLOG:-$(mktemp -d)}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
	pkg=./$(dirname "${f#./}")
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r name; do
		if [ -n "$filter" ] && ! grep -q -- "$filter" <<<"$pkg $name"; then
			continue
		fi
		log=$logdir/$(tr / _ <<<"${pkg#./}")_$name.log
		start=$(date +%s)
		if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" -parallel "$parallel" >"$log" 2>&1; then
			res=PASS
		else
			res=FAIL
		fi
		secs=$(( $(date +%s) - start ))
		last=$(grep -E '^fuzz: elapsed' "$log" | tail -1)
		execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
		newi=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
		printf '%-28s %-26s %4ss execs=%-10s new=%-5s %s %s\n' "$pkg" "$name" "$secs" "${execs:-?}" "${newi:-?}" "$res" "$log"
	done
done
